/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kipc command-line tool: what its command files share.
 */
#ifndef _KIPC_CLI_H
#define _KIPC_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* Exit status, as ip(8) and bpftool(8) use them. */
enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
};

/* Options that apply to every command. */
struct cli_opts {
	bool json;
};

/**
 * struct cli_cmd - one `kipc NAME ...` command
 * @name: what the user types
 * @summary: one line for `kipc help`
 * @usage: the full text for `kipc help NAME`
 * @run: the handler; argv[0] is the command name; returns an exit status
 */
struct cli_cmd {
	const char *name;
	const char *summary;
	const char *usage;
	int (*run)(const struct cli_opts *opts, int argc, char **argv);
};

extern const struct cli_cmd cli_cmd_version;
extern const struct cli_cmd cli_cmd_mq;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* One line on stderr: "kipc: WHAT: errno text", errno given as -err. */
void cli_error(const char *what, int err);
void cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Flush stdout; a write error (a full disk, a closed pipe) is a failure:
 * returns EXIT_OK or EXIT_FAILED after saying so. */
int cli_flush_stdout(void);

/* Open /dev/kipc, or say why not (module not loaded?) and return -errno. */
int cli_open_device(void);

/* A minimal JSON writer: objects, arrays, strings and numbers. */
struct json {
	FILE *out;
	int depth;
	bool first;
};

void json_begin(struct json *j, FILE *out);
void json_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *s);
/* s[0..len) is UTF-8 and may hold NULs */
void json_string_len(struct json *j, const char *s, size_t len);
/* buf[0..len) as a base64 string (RFC 4648, padded) */
void json_base64(struct json *j, const void *buf, size_t len);
void json_uint(struct json *j, unsigned long long v);

/* Is buf[0..len) well-formed UTF-8 (RFC 3629), so a JSON string can hold it? */
bool utf8_valid(const void *buf, size_t len);

#endif /* _KIPC_CLI_H */
