// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small JSON writer for --json output: compact, one document per line,
 * strings escaped per RFC 8259.
 */
#include "cli.h"

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

static void json_raw_string(struct json *j, const char *s)
{
	fputc('"', j->out);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(j->out, "\\%c", c);
		else if (c < 0x20)
			fprintf(j->out, "\\u%04x", c);
		else
			fputc(c, j->out);
	}
	fputc('"', j->out);
}

void json_key(struct json *j, const char *key)
{
	json_sep(j);
	json_raw_string(j, key);
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
	json_sep(j);
	json_raw_string(j, s);
}

void json_uint(struct json *j, unsigned long long v)
{
	json_sep(j);
	fprintf(j->out, "%llu", v);
}
