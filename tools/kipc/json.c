// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small JSON writer for --json output: compact, one document per line,
 * strings escaped per RFC 8259.
 */
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "json_escape.h"

static void json_sep(struct json *j)
{
	if (!j->first)
		fputc(',', j->out);
	j->first = false;
}

void json_begin(struct json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	j->first = true;
}

void json_end(struct json *j)
{
	fputc('\n', j->out);
}

/* s holds UTF-8 (see utf8_valid()) */
static void json_raw_string(struct json *j, const char *s, size_t len)
{
	json_escape(j->out, s, len);
}

void json_key(struct json *j, const char *key)
{
	json_sep(j);
	json_raw_string(j, key, strlen(key));
	fputc(':', j->out);
	/* the value that follows needs no separator of its own */
	j->first = true;
}

static void json_open(struct json *j, char c)
{
	json_sep(j);
	fputc(c, j->out);
	j->depth++;
	j->first = true;
}

static void json_close(struct json *j, char c)
{
	fputc(c, j->out);
	j->depth--;
	j->first = false;
}

void json_object_begin(struct json *j) { json_open(j, '{'); }
void json_object_end(struct json *j) { json_close(j, '}'); }
void json_array_begin(struct json *j) { json_open(j, '['); }
void json_array_end(struct json *j) { json_close(j, ']'); }

void json_string(struct json *j, const char *s)
{
	json_string_len(j, s, strlen(s));
}

void json_string_len(struct json *j, const char *s, size_t len)
{
	json_sep(j);
	json_raw_string(j, s, len);
}

void json_name(struct json *j, const char *name)
{
	char buf[3 * KIPC_NAME_MAX + 1];
	size_t len = strlen(name), n = 0;

	if (utf8_valid(name, len) || len > KIPC_NAME_MAX) {
		json_string_len(j, name, len);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)name[i] < 0x80) {
			buf[n++] = name[i];
		} else {
			/* U+FFFD; buf goes with its length n, unterminated */
			/* NOLINTNEXTLINE(bugprone-not-null-terminated-result) */
			memcpy(buf + n, "\xef\xbf\xbd", 3);
			n += 3;
		}
	}
	json_string_len(j, buf, n);
}

void json_base64(struct json *j, const void *buf, size_t len)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = buf;

	json_sep(j);
	fputc('"', j->out);
	for (size_t i = 0; i < len; i += 3) {
		/* 3 bytes, zero-padded at the end, make 4 digits or '=' */
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < len)
			v |= p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		fputc(digits[v >> 18], j->out);
		fputc(digits[v >> 12 & 63], j->out);
		fputc(i + 1 < len ? digits[v >> 6 & 63] : '=', j->out);
		fputc(i + 2 < len ? digits[v & 63] : '=', j->out);
	}
	fputc('"', j->out);
}

void json_uint(struct json *j, unsigned long long v)
{
	json_sep(j);
	fprintf(j->out, "%llu", v);
}

void json_bool(struct json *j, bool v)
{
	json_sep(j);
	fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j)
{
	json_sep(j);
	fputs("null", j->out);
}

bool utf8_valid(const void *buf, size_t len)
{
	/* the smallest code point of a 2, 3 and 4-byte sequence */
	static const uint32_t min[] = { 0x80, 0x800, 0x10000 };
	const unsigned char *s = buf;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t n;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c < 0xc0 || c >= 0xf8)
			return false;
		n = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;	/* bytes that follow */
		if (len - i <= n)
			return false;
		cp = c & (0x3f >> n);
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		/* overlong forms, UTF-16 surrogates, beyond Unicode */
		if (cp < min[n - 1] || (cp >= 0xd800 && cp <= 0xdfff) ||
		    cp > 0x10ffff)
			return false;
		i += n + 1;
	}
	return true;
}
