// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc mq: create, send to, receive from, inspect and remove message
 * queues from the shell, through libkipc.
 *
 *	kipc [--json] mq COMMAND NAME [OPTIONS] [ARGS]
 *
 * NAME may leave out the leading '/'. Payloads go through byte for byte:
 * send reads one message from its argument or the whole of stdin, recv
 * and peek write the payload as it is (or, with --json, one object per
 * message and line, the payload as a string or in base64).
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <kipc.h>

#include "cli.h"

/* The options of every mq command; a command says which it takes. */
enum mq_opt {
	MQ_MAX_MSGS,
	MQ_MSG_SIZE,
	MQ_MODE,
	MQ_EXCL,
	MQ_TYPE,
	MQ_TYPE_LE,
	MQ_TYPE_NOT,
	MQ_PRIO,
	MQ_NONBLOCK,
	MQ_TIMEOUT,
	MQ_COUNT,
	MQ_NEWLINE,
	MQ_NULL,
	MQ_JSON,
	MQ_HELP,
	MQ_NR_OPTS,
};

#define OPT(o)		(1u << (o))
/* getopt_long() returns MQ_OPT_VAL + enum mq_opt for a long option */
#define MQ_OPT_VAL	0x100

static const struct option mq_options[MQ_NR_OPTS + 1] = {
#define MQ_OPTION(o, name, arg) [o] = { name, arg, NULL, MQ_OPT_VAL + (o) }
	MQ_OPTION(MQ_MAX_MSGS, "max-msgs", required_argument),
	MQ_OPTION(MQ_MSG_SIZE, "msg-size", required_argument),
	MQ_OPTION(MQ_MODE, "mode", required_argument),
	MQ_OPTION(MQ_EXCL, "excl", no_argument),
	MQ_OPTION(MQ_TYPE, "type", required_argument),
	MQ_OPTION(MQ_TYPE_LE, "type-le", required_argument),
	MQ_OPTION(MQ_TYPE_NOT, "type-not", required_argument),
	MQ_OPTION(MQ_PRIO, "prio", required_argument),
	MQ_OPTION(MQ_NONBLOCK, "nonblock", no_argument),
	MQ_OPTION(MQ_TIMEOUT, "timeout", required_argument),
	MQ_OPTION(MQ_COUNT, "count", required_argument),
	MQ_OPTION(MQ_NEWLINE, "newline", no_argument),
	MQ_OPTION(MQ_NULL, "null", no_argument),
	MQ_OPTION(MQ_JSON, "json", no_argument),
	MQ_OPTION(MQ_HELP, "help", no_argument),
#undef MQ_OPTION
};

/* The range of a number option; modes are octal, the rest decimal or 0x. */
static const struct {
	unsigned long long min, max;
	int base;
} mq_ranges[MQ_NR_OPTS] = {
	[MQ_MAX_MSGS]	= { 1, UINT32_MAX, 10 },
	[MQ_MSG_SIZE]	= { 1, UINT32_MAX, 10 },
	[MQ_MODE]	= { 0, 0777, 8 },
	[MQ_TYPE]	= { 0, UINT64_MAX, 10 },
	[MQ_TYPE_LE]	= { 0, UINT64_MAX, 10 },
	[MQ_TYPE_NOT]	= { 0, UINT64_MAX, 10 },
	[MQ_PRIO]	= { 0, KIPC_MQ_PRIO_MAX, 10 },
	/* milliseconds that still fit libkipc's int64_t nanoseconds */
	[MQ_TIMEOUT]	= { 0, INT64_MAX / 1000000, 10 },
	[MQ_COUNT]	= { 1, UINT32_MAX, 10 },
};

/* Options that exclude each other. */
static const unsigned int mq_exclusive[] = {
	OPT(MQ_TYPE) | OPT(MQ_TYPE_LE) | OPT(MQ_TYPE_NOT),
	OPT(MQ_NONBLOCK) | OPT(MQ_TIMEOUT),
	OPT(MQ_NEWLINE) | OPT(MQ_NULL),
};

#define MQ_WAIT		(OPT(MQ_NONBLOCK) | OPT(MQ_TIMEOUT))
#define MQ_SELECT	(OPT(MQ_TYPE) | OPT(MQ_TYPE_LE) | OPT(MQ_TYPE_NOT))
#define MQ_OUTPUT	(OPT(MQ_NEWLINE) | OPT(MQ_NULL))

struct mq_ctx;

/**
 * struct mq_cmd - one `kipc mq COMMAND`
 * @name: what the user types
 * @opts: OPT() of the options it takes besides --json and --help
 * @max_args: arguments it takes after NAME
 * @names: they are all queue names too
 * @run: the handler; returns an exit status
 */
struct mq_cmd {
	const char *name;
	unsigned int opts;
	int max_args;
	bool names;
	int (*run)(struct mq_ctx *c);
};

/* A command line, parsed. */
struct mq_ctx {
	const struct mq_cmd *cmd;
	int ctl;			/* /dev/kipc */
	char name[KIPC_NAME_MAX + 1];	/* "/name", of the queue at hand */
	char **args;			/* NAME and what follows it */
	int nargs;
	unsigned int given;		/* OPT() of the options given */
	bool json;
	struct kipc_mq_attr attr;	/* create */
	unsigned int select;		/* recv, peek: enum kipc_mq_select */
	uint64_t type;			/* send: the type; else the key */
	unsigned int prio;
	int64_t timeout_ns;		/* -1: wait as long as it takes */
	unsigned int count;
	int delim;			/* after each payload, or -1 */
};

static void mq_usage_error(const struct mq_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void mq_usage_error(const struct mq_ctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_usage_error("mq", "%s: %s", c->cmd->name, msg);
}

/*
 * "kipc: mq COMMAND /name: errno text (hint)": one line naming what
 * failed; hint (printf-style, or NULL) says what it means here.
 */
static void mq_error(const struct mq_ctx *c, int err, const char *hint, ...)
	__attribute__((format(printf, 3, 4)));

static void mq_error(const struct mq_ctx *c, int err, const char *hint, ...)
{
	va_list ap;

	fprintf(stderr, "kipc: mq %s %s: %s", c->cmd->name, c->name,
		strerror(-err));
	if (hint) {
		fputs(" (", stderr);
		va_start(ap, hint);
		vfprintf(stderr, hint, ap);
		va_end(ap);
		fputc(')', stderr);
	}
	fputc('\n', stderr);
}

/*
 * A whole number in the option's range: digits only (no sign, no blanks),
 * in the option's base, or hexadecimal after "0x" where the base is 10.
 */
static bool mq_parse_number(const struct mq_ctx *c, enum mq_opt o,
			    const char *arg, unsigned long long *v)
{
	const char *digits = arg;
	int base = mq_ranges[o].base;
	char *end = NULL;

	if (base == 10 && digits[0] == '0' && tolower(digits[1]) == 'x') {
		base = 16;
		digits += 2;
	}
	/* strtoull() would skip blanks and take a sign */
	if (isxdigit((unsigned char)*digits)) {
		errno = 0;
		*v = strtoull(digits, &end, base);
	}
	if (end && end != digits && !*end && !errno &&
	    *v >= mq_ranges[o].min && *v <= mq_ranges[o].max)
		return true;

	if (mq_ranges[o].base == 8)
		mq_usage_error(c, "--%s wants an octal mode, 0 to 0%llo, not '%s'",
			       mq_options[o].name, mq_ranges[o].max, arg);
	else
		mq_usage_error(c, "--%s wants a number, %llu to %llu, not '%s'",
			       mq_options[o].name, mq_ranges[o].min,
			       mq_ranges[o].max, arg);
	return false;
}

/*
 * NAME as the kernel wants it, "/name": the '/' is added if it is not
 * there; 1 to KIPC_NAME_MAX - 1 bytes follow it, none of them a '/'.
 */
static bool mq_parse_name(const struct mq_ctx *c, const char *arg,
			  char name[KIPC_NAME_MAX + 1])
{
	const char *base = arg[0] == '/' ? arg + 1 : arg;
	size_t len = strlen(base);

	if (!len || len > KIPC_NAME_MAX - 1 || strchr(base, '/')) {
		mq_usage_error(c, "bad queue name '%s' (1 to %d bytes after an optional '/', no other '/')",
			       arg, KIPC_NAME_MAX - 1);
		return false;
	}
	name[0] = '/';
	memcpy(name + 1, base, len + 1);
	return true;
}

/* Take option o and its value; false after a usage error. */
static bool mq_set_option(struct mq_ctx *c, enum mq_opt o, const char *arg)
{
	unsigned long long v = 0;

	if (o != MQ_JSON && o != MQ_HELP && !(c->cmd->opts & OPT(o))) {
		mq_usage_error(c, "--%s does not apply", mq_options[o].name);
		return false;
	}
	if (mq_options[o].has_arg && !mq_parse_number(c, o, arg, &v))
		return false;
	c->given |= OPT(o);

	switch (o) {
	case MQ_MAX_MSGS:
		c->attr.max_msgs = v;
		break;
	case MQ_MSG_SIZE:
		c->attr.msg_size = v;
		break;
	case MQ_MODE:
		c->attr.mode = v;
		break;
	case MQ_TYPE:		/* send: the message's type */
	case MQ_TYPE_LE:
	case MQ_TYPE_NOT:
		c->select = o == MQ_TYPE ? KIPC_MQ_SELECT_EXACT :
			    o == MQ_TYPE_LE ? KIPC_MQ_SELECT_LE :
			    KIPC_MQ_SELECT_NOT;
		c->type = v;
		break;
	case MQ_PRIO:
		c->prio = v;
		break;
	case MQ_NONBLOCK:
		c->timeout_ns = 0;
		break;
	case MQ_TIMEOUT:
		c->timeout_ns = v * 1000000;
		break;
	case MQ_COUNT:
		c->count = v;
		break;
	case MQ_NEWLINE:
		c->delim = '\n';
		break;
	case MQ_NULL:
		c->delim = '\0';
		break;
	case MQ_JSON:
		c->json = true;
		break;
	case MQ_EXCL:
	case MQ_HELP:
	case MQ_NR_OPTS:
		break;
	}
	return true;
}

/* What getopt_long() did not like, as a usage error. */
static void mq_bad_option(const struct mq_ctx *c, int ch, char **argv)
{
	if (ch == ':')
		mq_usage_error(c, "%s needs a value", argv[optind - 1]);
	else if (optopt >= MQ_OPT_VAL)
		mq_usage_error(c, "--%s takes no value",
			       mq_options[optopt - MQ_OPT_VAL].name);
	else if (optopt)
		mq_usage_error(c, "unknown option '-%c'", optopt);
	else
		mq_usage_error(c, "unknown option '%s'", argv[optind - 1]);
}

/*
 * The options and arguments after COMMAND (argv[0]); EXIT_OK to go on,
 * with OPT(MQ_HELP) in c->given if the usage was asked for.
 */
static int mq_parse(struct mq_ctx *c, int argc, char **argv)
{
	int ch, o, names;

	c->args = calloc(argc, sizeof(*c->args));
	if (!c->args) {
		cli_error("mq", -ENOMEM);
		return EXIT_FAILED;
	}
	/*
	 * '-': arguments come back in order as 1, so that options may follow
	 * NAME whatever POSIXLY_CORRECT says; ':' tells a missing value.
	 * optind 0 starts glibc's getopt afresh after main()'s '+' parse.
	 */
	optind = 0;
	while ((ch = getopt_long(argc, argv, "-:hj0", mq_options, NULL)) != -1) {
		switch (ch) {
		case 1:
			c->args[c->nargs++] = optarg;
			continue;
		case 'h':
			o = MQ_HELP;
			break;
		case 'j':
			o = MQ_JSON;
			break;
		case '0':
			o = MQ_NULL;
			break;
		case ':':
		case '?':
			mq_bad_option(c, ch, argv);
			return EXIT_USAGE;
		default:
			o = ch - MQ_OPT_VAL;
			break;
		}
		if (!mq_set_option(c, o, optarg))
			return EXIT_USAGE;
		if (o == MQ_HELP)
			return EXIT_OK;
	}
	/* those after "--" */
	while (optind < argc)
		c->args[c->nargs++] = argv[optind++];

	for (size_t i = 0; i < ARRAY_SIZE(mq_exclusive); i++) {
		unsigned int both = c->given & mq_exclusive[i];

		if (both & (both - 1)) {
			mq_usage_error(c, "--%s and --%s exclude each other",
				       mq_options[__builtin_ctz(both)].name,
				       mq_options[__builtin_ctz(both & (both - 1))].name);
			return EXIT_USAGE;
		}
	}
	if (c->json && c->given & MQ_OUTPUT) {
		mq_usage_error(c, "--newline and --null are for raw output, not --json");
		return EXIT_USAGE;
	}
	if (c->nargs < 1) {
		mq_usage_error(c, "missing NAME");
		return EXIT_USAGE;
	}
	if (c->nargs - 1 > c->cmd->max_args) {
		mq_usage_error(c, "unexpected argument '%s'",
			       c->args[c->cmd->max_args + 1]);
		return EXIT_USAGE;
	}
	/* every name is checked before anything is done to any */
	names = c->cmd->names ? c->nargs : 1;
	for (int i = 0; i < names; i++)
		if (!mq_parse_name(c, c->args[i], c->name))
			return EXIT_USAGE;
	return EXIT_OK;
}

/* Open the queue c->name, or say why not; returns the fd or -errno. */
static int mq_open_queue(const struct mq_ctx *c, unsigned int flags)
{
	int fd = kipc_mq_open(c->ctl, c->name, flags, NULL);

	if (fd < 0)
		mq_error(c, fd, NULL);
	return fd;
}

static int mq_get_stat(const struct mq_ctx *c, int fd, struct kipc_mq_stat *st)
{
	int err = kipc_mq_stat(fd, st, sizeof(*st));

	if (err)
		mq_error(c, err, NULL);
	return err;
}

/* EAGAIN and ETIMEDOUT say what was missing: "no message", "queue full". */
static void mq_wait_error(const struct mq_ctx *c, int err, const char *what)
{
	if (err == -ETIMEDOUT)
		mq_error(c, err, "%s after %lld ms", what,
			 (long long)(c->timeout_ns / 1000000));
	else if (err == -EAGAIN)
		mq_error(c, err, "%s", what);
	else
		mq_error(c, err, NULL);
}

/* "2026-11-21 10:00:00.123456789 +0100", as ls --full-time shows times */
static void mq_print_time(unsigned long long ns)
{
	time_t sec = ns / 1000000000;
	char date[32], zone[8];
	struct tm tm;

	if (!localtime_r(&sec, &tm)) {
		printf("%llu ns\n", ns);
		return;
	}
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	printf("%s.%09llu %s\n", date, ns % 1000000000, zone);
}

/* A number to print: in JSON as it is, in text as format says. */
struct mq_field {
	const char *key;
	unsigned long long val;
	enum { NUM, MODE, TIME } format;
};

static void mq_json_fields(struct json *j, const struct mq_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_key(j, f[i].key);
		json_uint(j, f[i].val);
	}
}

/* The stat of a queue: "key: value" lines, or one JSON object. */
static int mq_print_stat(const struct mq_ctx *c, const struct kipc_mq_stat *st)
{
	const struct mq_field fields[] = {
		{ "id", st->id, NUM },
		{ "max_msgs", st->max_msgs, NUM },
		{ "msg_size", st->msg_size, NUM },
		{ "depth", st->depth, NUM },
		{ "bytes", st->bytes, NUM },
		{ "high_water", st->high_water, NUM },
		{ "recv_waiters", st->recv_waiters, NUM },
		{ "send_waiters", st->send_waiters, NUM },
		{ "sent", st->sent, NUM },
		{ "received", st->received, NUM },
		{ "mode", st->mode, MODE },
		{ "uid", st->uid, NUM },
		{ "gid", st->gid, NUM },
		{ "ctime_ns", st->ctime_ns, TIME },
	};
	struct json j;

	if (c->json) {
		json_begin(&j, stdout);
		json_object_begin(&j);
		json_key(&j, "name");
		json_string(&j, c->name);
		mq_json_fields(&j, fields, ARRAY_SIZE(fields));
		json_object_end(&j);
		json_end(&j);
		return cli_flush_stdout();
	}

	printf("%-14s%s\n", "name:", c->name);
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		int pad = 13 - (int)strlen(fields[i].key);

		switch (fields[i].format) {
		case NUM:
			printf("%s:%*s%llu\n", fields[i].key, pad, "",
			       fields[i].val);
			break;
		case MODE:
			printf("%s:%*s%04llo\n", fields[i].key, pad, "",
			       fields[i].val);
			break;
		case TIME:
			printf("%-14s", "ctime:");
			mq_print_time(fields[i].val);
			break;
		}
	}
	return cli_flush_stdout();
}

/* stat the queue behind fd and print it */
static int mq_show(const struct mq_ctx *c, int fd)
{
	struct kipc_mq_stat st;

	if (mq_get_stat(c, fd, &st))
		return EXIT_FAILED;
	return mq_print_stat(c, &st);
}

static int mq_create(struct mq_ctx *c)
{
	unsigned int flags = KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CREATE;
	int fd, ret = EXIT_OK;

	if (c->given & OPT(MQ_EXCL))
		flags |= KIPC_OPEN_EXCL;
	/* --mode is the mode, as for mkfifo -m; the default is less the umask */
	if (c->given & OPT(MQ_MODE))
		umask(0);
	else
		c->attr.mode = 0600;

	fd = kipc_mq_open(c->ctl, c->name, flags, &c->attr);
	if (fd == -EINVAL && c->given & (OPT(MQ_MAX_MSGS) | OPT(MQ_MSG_SIZE)))
		mq_error(c, fd, "above the module's mq_max_msgs or mq_max_msgsize?");
	else if (fd < 0)
		mq_error(c, fd, NULL);
	if (fd < 0)
		return EXIT_FAILED;
	if (c->json)
		ret = mq_show(c, fd);
	kipc_mq_close(fd);
	return ret;
}

static int mq_stat(struct mq_ctx *c)
{
	int fd, ret;

	/* either direction will do: try the other before giving up */
	fd = kipc_mq_open(c->ctl, c->name, KIPC_OPEN_READ, NULL);
	if (fd == -EACCES)
		fd = kipc_mq_open(c->ctl, c->name, KIPC_OPEN_WRITE, NULL);
	if (fd < 0) {
		mq_error(c, fd, NULL);
		return EXIT_FAILED;
	}
	ret = mq_show(c, fd);
	kipc_mq_close(fd);
	return ret;
}

/* Read fd to its end, or len bytes; returns the bytes read or -errno. */
static ssize_t mq_read_all(int fd, char *buf, size_t len)
{
	size_t n = 0;

	while (n < len) {
		ssize_t r = read(fd, buf + n, len - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r)
			break;
		n += r;
	}
	return n;
}

static int mq_send(struct mq_ctx *c)
{
	struct kipc_msg m = { .prio = c->prio, .type = c->type };
	char *text = c->nargs > 1 ? c->args[1] : NULL;
	int fd, err, ret = EXIT_FAILED;
	struct kipc_mq_stat st;
	char *buf = NULL;
	ssize_t n;

	fd = mq_open_queue(c, KIPC_OPEN_WRITE);
	if (fd < 0)
		return EXIT_FAILED;
	if (mq_get_stat(c, fd, &st))
		goto out;

	if (text && strcmp(text, "-")) {
		m.buf = text;
		m.len = strlen(text);
	} else {
		/* a byte more than fits tells a message that is too long */
		buf = malloc((size_t)st.msg_size + 1);
		if (!buf) {
			mq_error(c, -ENOMEM, NULL);
			goto out;
		}
		n = mq_read_all(STDIN_FILENO, buf, (size_t)st.msg_size + 1);
		if (n < 0) {
			cli_error("standard input", n);
			goto out;
		}
		m.buf = buf;
		m.len = n;
	}
	if (m.len > st.msg_size) {
		mq_error(c, -EMSGSIZE, "longer than the queue's %u bytes",
			 st.msg_size);
		goto out;
	}

	err = kipc_mq_send(fd, &m, 0, c->timeout_ns);
	if (err)
		mq_wait_error(c, err, "queue full");
	else
		ret = EXIT_OK;
out:
	free(buf);
	kipc_mq_close(fd);
	return ret;
}

/* One message: its payload as it is, or a JSON object on a line. */
static int mq_print_msg(const struct mq_ctx *c, const struct kipc_msg *m)
{
	const struct mq_field fields[] = {
		{ "type", m->type, NUM },
		{ "prio", m->prio, NUM },
		{ "len", m->len, NUM },
		{ "sender_pid", m->sender_pid, NUM },
		{ "sender_uid", m->sender_uid, NUM },
		{ "timestamp_ns", m->timestamp_ns, NUM },
	};
	struct json j;
	bool text;

	if (!c->json) {
		fwrite(m->buf, 1, m->len, stdout);
		if (c->delim >= 0)
			putchar(c->delim);
		/* now: a reader of a pipe sees each message as it comes */
		return cli_flush_stdout();
	}

	text = utf8_valid(m->buf, m->len);
	json_begin(&j, stdout);
	json_object_begin(&j);
	mq_json_fields(&j, fields, ARRAY_SIZE(fields));
	json_key(&j, "encoding");
	json_string(&j, text ? "utf-8" : "base64");
	json_key(&j, "payload");
	if (text)
		json_string_len(&j, m->buf, m->len);
	else
		json_base64(&j, m->buf, m->len);
	json_object_end(&j);
	json_end(&j);
	return cli_flush_stdout();
}

static int64_t mq_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* recv and peek: c->count messages, printed as they come. */
static int mq_receive(struct mq_ctx *c, unsigned int flags)
{
	const char *kind = c->select == KIPC_MQ_SELECT_ANY ? "" : "matching ";
	int64_t timeout, start = mq_now_ns();
	int fd, err, ret = EXIT_FAILED;
	struct kipc_mq_stat st;
	unsigned int done = 0;
	char what[64];
	void *buf;

	fd = mq_open_queue(c, KIPC_OPEN_READ);
	if (fd < 0)
		return EXIT_FAILED;
	if (mq_get_stat(c, fd, &st))
		goto out;
	buf = malloc(st.msg_size);
	if (!buf) {
		mq_error(c, -ENOMEM, NULL);
		goto out;
	}

	for (; done < c->count; done++) {
		struct kipc_msg m = { .buf = buf, .len = st.msg_size };

		/* --timeout bounds the whole command, not each message */
		timeout = c->timeout_ns;
		if (timeout > 0) {
			timeout = c->timeout_ns - (mq_now_ns() - start);
			if (timeout < 1)
				timeout = 1;
		}
		err = kipc_mq_receive(fd, &m, c->select, c->type, flags,
				      timeout);
		if (err)
			break;
		if (mq_print_msg(c, &m))
			goto out_free;
	}
	if (done == c->count) {
		ret = EXIT_OK;
	} else {
		if (c->count == 1)
			snprintf(what, sizeof(what), "no %smessage", kind);
		else
			snprintf(what, sizeof(what), "only %u of %u %smessages",
				 done, c->count, kind);
		mq_wait_error(c, err, what);
	}
out_free:
	free(buf);
out:
	kipc_mq_close(fd);
	return ret;
}

static int mq_recv(struct mq_ctx *c)
{
	return mq_receive(c, 0);
}

static int mq_peek(struct mq_ctx *c)
{
	return mq_receive(c, KIPC_MQ_PEEK);
}

static int mq_rm(struct mq_ctx *c)
{
	int err, ret = EXIT_OK;

	/* on with the others when one fails, as rm(1) does */
	for (int i = 0; i < c->nargs; i++) {
		mq_parse_name(c, c->args[i], c->name);	/* checked before */
		err = kipc_mq_unlink(c->ctl, c->name);
		if (err) {
			mq_error(c, err, NULL);
			ret = EXIT_FAILED;
		}
	}
	return ret;
}

static const struct mq_cmd mq_cmds[] = {
	{ "create", OPT(MQ_MAX_MSGS) | OPT(MQ_MSG_SIZE) | OPT(MQ_MODE) |
		    OPT(MQ_EXCL), 0, false, mq_create },
	{ "send", OPT(MQ_TYPE) | OPT(MQ_PRIO) | MQ_WAIT, 1, false, mq_send },
	{ "recv", MQ_SELECT | MQ_WAIT | OPT(MQ_COUNT) | MQ_OUTPUT, 0, false,
		  mq_recv },
	{ "peek", MQ_SELECT | MQ_WAIT | MQ_OUTPUT, 0, false, mq_peek },
	{ "stat", 0, 0, false, mq_stat },
	{ "rm", 0, INT_MAX, true, mq_rm },
};

static int mq_run(const struct cli_opts *opts, int argc, char **argv)
{
	struct mq_ctx c = {
		.ctl = -1,
		.json = opts->json,
		.timeout_ns = -1,
		.count = 1,
		.delim = -1,
	};
	int ret;

	if (argc < 2) {
		fputs(cli_cmd_mq.usage, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		fputs(cli_cmd_mq.usage, stdout);
		return cli_flush_stdout();
	}
	for (size_t i = 0; i < ARRAY_SIZE(mq_cmds); i++)
		if (!strcmp(argv[1], mq_cmds[i].name))
			c.cmd = &mq_cmds[i];
	if (!c.cmd) {
		cli_usage_error("mq", "unknown command '%s'", argv[1]);
		return EXIT_USAGE;
	}

	ret = mq_parse(&c, argc - 1, argv + 1);
	if (ret == EXIT_OK && c.given & OPT(MQ_HELP)) {
		fputs(cli_cmd_mq.usage, stdout);
		ret = cli_flush_stdout();
	} else if (ret == EXIT_OK) {
		c.ctl = cli_open_device();
		ret = c.ctl < 0 ? EXIT_FAILED : c.cmd->run(&c);
		if (c.ctl >= 0)
			close(c.ctl);
	}
	free(c.args);
	return ret;
}

const struct cli_cmd cli_cmd_mq = {
	.name = "mq",
	.summary = "create, send to, receive from and remove message queues",
	.usage =
	"usage: kipc [--json] mq COMMAND NAME [OPTIONS]\n"
	"\n"
	"  create NAME [--max-msgs N] [--msg-size BYTES] [--mode OCTAL] [--excl]\n"
	"  send   NAME [TEXT | -] [--type T] [--prio P] [WAIT]\n"
	"  recv   NAME [SELECT] [WAIT] [--count N] [--newline | -0]\n"
	"  peek   NAME [SELECT] [WAIT] [--newline | -0]\n"
	"  stat   NAME\n"
	"  rm     NAME...\n"
	"\n"
	"NAME    \"/name\", or \"name\" for short\n"
	"TEXT    the message, byte for byte; - or none: all of stdin is one\n"
	"SELECT  --type T (of type T), --type-le T (the lowest type <= T) or\n"
	"        --type-not T (of any type but T); default: the next message\n"
	"WAIT    --nonblock (not at all) or --timeout MS; default: as long as\n"
	"        it takes\n"
	"\n"
	"create makes a queue (default: 64 messages of up to 8192 bytes, mode\n"
	"0600 less the umask; --mode is taken as it is) or leaves one that\n"
	"exists as it is (--excl: fails). recv takes messages, highest priority\n"
	"first, and peek looks at the next one; both write each payload as it\n"
	"is, binary-safe, and --newline (-0, --null) adds a newline (a NUL) after\n"
	"each. With --json they print one object per message, one per line\n"
	"(payload in base64 when it is not UTF-8), and stat and create the\n"
	"queue's settings and counters. Options may follow NAME; -- ends them.\n"
	"Numbers are decimal, or hexadecimal after 0x.\n"
	"\n"
	"Exit status: 0 ok, 1 failed (no message, queue full, ...), 2 usage.\n",
	.run = mq_run,
};
