/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kipc command-line tool: what its command files share.
 */
#ifndef _KIPC_CLI_H
#define _KIPC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <linux/kipc.h>

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
extern const struct cli_cmd cli_cmd_buf;
extern const struct cli_cmd cli_cmd_sem;
extern const struct cli_cmd cli_cmd_ls;
extern const struct cli_cmd cli_cmd_stat;
extern const struct cli_cmd cli_cmd_monitor;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* One line on stderr: "kipc: WHAT: errno text", errno given as -err. */
void cli_error(const char *what, int err);
void cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Flush stdout; a write error (a full disk, a closed pipe) is a failure:
 * returns EXIT_OK or EXIT_FAILED after saying so. */
int cli_flush_stdout(void);

/* Open /dev/kipc, or say why not (module not loaded?) and return -errno. */
int cli_open_device(void);

/*
 * Object commands, `kipc OBJECT COMMAND NAME [OPTIONS] [ARGS]` (object.c):
 * one parser for every object kind, so that names, numbers, options and
 * their errors work the same for queues (mq.c), buffers (buf.c) and
 * semaphores (sem.c).
 */

/* How an option's value is read; numbers are whole and unsigned. */
enum cli_num {
	CLI_FLAG,	/* it takes no value */
	CLI_DEC,	/* decimal, or hexadecimal after 0x */
	CLI_OCTAL,	/* a mode */
	CLI_BYTES,	/* as CLI_DEC, then K, M or G for KiB, MiB or GiB */
};

/**
 * struct cli_opt - one option of an object's commands
 * @name: --name
 * @short_name: -c for it too, or 0
 * @num: its value
 * @min: the smallest value it takes
 * @max: the largest
 */
struct cli_opt {
	const char *name;
	char short_name;
	enum cli_num num;
	unsigned long long min, max;
};

/* Every object's options start with these; its own follow, up to 32. */
enum {
	CLI_JSON,
	CLI_HELP,
	CLI_NR_COMMON,
};

#define CLI_COMMON_OPTS \
	[CLI_JSON] = { "json", 'j', CLI_FLAG, 0, 0 }, \
	[CLI_HELP] = { "help", 'h', CLI_FLAG, 0, 0 }

#define OPT(o)		(1u << (o))

struct cli_ctx;
struct json;

/**
 * struct cli_subcmd - one `kipc OBJECT COMMAND`
 * @name: what the user types
 * @opts: OPT() of the options it takes besides --json and --help
 * @required: OPT() of those it cannot do without
 * @need: the argument after NAME that it cannot do without ("SIZE"), or NULL
 * @max_args: arguments it takes after NAME
 * @flags: CLI_NAMES, the arguments are all names too; CLI_COMMAND, what
 *         follows "--", if anything, is a command to run (in
 *         cli_ctx.command), not more arguments
 * @run: the handler; returns an exit status
 */
struct cli_subcmd {
	const char *name;
	unsigned int opts;
	unsigned int required;
	const char *need;
	int max_args;
	unsigned int flags;
	int (*run)(struct cli_ctx *c);
};

enum {
	CLI_NAMES = 1 << 0,
	CLI_COMMAND = 1 << 1,
};

/**
 * struct cli_object - an object kind's commands
 * @cmd: `kipc OBJECT`, for its name and usage
 * @noun: what NAME names, for "bad queue name"
 * @opts: the options, indexed by their number, CLI_JSON and CLI_HELP first
 * @nr_opts: how many
 * @exclusive: OPT() sets of options that exclude each other
 * @nr_exclusive: how many
 * @cmds: the commands
 * @nr_cmds: how many
 * @parsed: the object's own checks of a parsed command line (EXIT_OK or,
 *          after saying why, EXIT_USAGE), before the device is opened
 */
struct cli_object {
	const struct cli_cmd *cmd;
	const char *noun;
	const struct cli_opt *opts;
	unsigned int nr_opts;
	const unsigned int *exclusive;
	size_t nr_exclusive;
	const struct cli_subcmd *cmds;
	size_t nr_cmds;
	int (*parsed)(struct cli_ctx *c);
};

/* A command line, parsed; an object's context may wrap it (container_of). */
struct cli_ctx {
	const struct cli_object *obj;
	const struct cli_subcmd *cmd;
	int ctl;			/* /dev/kipc */
	char name[KIPC_NAME_MAX + 1];	/* "/name", of the object at hand */
	char **args;			/* NAME and what follows it */
	int nargs;
	char **command;			/* after "--", NULL-terminated, or NULL */
	unsigned int given;		/* OPT() of the options given */
	bool json;
	unsigned long long val[32];	/* the value of each option given */
};

/*
 * NAME as the kernel wants it: "/name", the '/' added if it is not there
 * ("q" is "/q"); false if arg cannot be a name (CLI_NAME_RULE says why).
 */
bool cli_name(const char *arg, char name[KIPC_NAME_MAX + 1]);

#define CLI_NAME_RULE	"1 to 254 bytes after an optional '/', no other '/'"

/* Parse argv (argv[1] is COMMAND), open the device and run the command. */
int cli_object_run(const struct cli_object *obj, struct cli_ctx *c,
		   const struct cli_opts *opts, int argc, char **argv);

/* "kipc OBJECT: COMMAND: what is wrong (try 'kipc help OBJECT')" */
void cli_ctx_usage_error(const struct cli_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * "kipc: OBJECT COMMAND /name: errno text (hint)": one line naming what
 * failed; hint (printf-style, or NULL) says what it means here.
 */
void cli_ctx_error(const struct cli_ctx *c, int err, const char *hint, ...)
	__attribute__((format(printf, 3, 4)));

/* EAGAIN and ETIMEDOUT say what was missing ("no message") and how long
 * it was waited for; other errors are said as they are. */
void cli_wait_error(const struct cli_ctx *c, int err, const char *what,
		    int64_t timeout_ns);

/*
 * A number as an option of kind num takes it, min to max, for the
 * argument what ("--offset", "SIZE"); false after a usage error.
 */
bool cli_parse_number(const struct cli_ctx *c, const char *what,
		      enum cli_num num, unsigned long long min,
		      unsigned long long max, const char *arg,
		      unsigned long long *v);

/* create's mode: --mode as it is (the umask cleared for it), or 0600
 * less the umask without it; opt is the object's --mode. */
unsigned int cli_create_mode(const struct cli_ctx *c, unsigned int opt);

/*
 * stat NAME: open the object with open(c, flags) for reading, or, if that
 * is EACCES, for writing (either will do), then show(c, fd) and close it.
 * open returns an fd or -errno and says nothing.
 */
int cli_stat(struct cli_ctx *c,
	     int (*open)(const struct cli_ctx *c, unsigned int flags),
	     int (*show)(const struct cli_ctx *c, int fd));

/* rm NAME...: unlink each, on with the others when one fails, as rm(1). */
int cli_rm(struct cli_ctx *c, int (*unlink)(int ctl_fd, const char *name));

/* Read fd to its end, or len bytes; returns the bytes read or -errno. */
ssize_t cli_read_all(int fd, void *buf, size_t len);

/* A number to print: in JSON as it is, in text as format says. */
struct cli_field {
	const char *key;
	unsigned long long val;
	enum { CLI_NUMBER, CLI_MODE, CLI_TIME, CLI_BOOL } format;
};

/* What every object's stat ends with, from its kipc_*_stat *st. */
#define CLI_OWNER_FIELDS(st) \
	{ "mode", (st)->mode, CLI_MODE }, \
	{ "uid", (st)->uid, CLI_NUMBER }, \
	{ "gid", (st)->gid, CLI_NUMBER }, \
	{ "ctime_ns", (st)->ctime_ns, CLI_TIME }

void cli_json_fields(struct json *j, const struct cli_field *f, size_t n);

/* The fields as "key: value" lines (CLI_BOOL: yes or no). */
void cli_print_field_lines(const struct cli_field *f, size_t n);

/* An object's name and fields: "key: value" lines, or one JSON object. */
int cli_print_fields(const struct cli_ctx *c, const struct cli_field *f,
		     size_t n);

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
/* an object's name, any bytes but NUL: if it is not UTF-8, each byte
 * beyond ASCII shows as U+FFFD, so that the JSON stays valid */
void json_name(struct json *j, const char *name);
/* buf[0..len) as a base64 string (RFC 4648, padded) */
void json_base64(struct json *j, const void *buf, size_t len);
void json_uint(struct json *j, unsigned long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* Is buf[0..len) well-formed UTF-8 (RFC 3629), so a JSON string can hold it? */
bool utf8_valid(const void *buf, size_t len);

#endif /* _KIPC_CLI_H */
