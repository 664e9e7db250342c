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
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <kipc.h>

#include "cli.h"

/* The options of every mq command; a command says which it takes. */
enum mq_opt {
	MQ_MAX_MSGS = CLI_NR_COMMON,
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
	MQ_NR_OPTS,
};

/* Their names and values: modes are octal, numbers decimal or 0x. */
static const struct cli_opt mq_options[MQ_NR_OPTS] = {
	CLI_COMMON_OPTS,
	[MQ_MAX_MSGS]	= { "max-msgs", 0, CLI_DEC, 1, UINT32_MAX },
	[MQ_MSG_SIZE]	= { "msg-size", 0, CLI_DEC, 1, UINT32_MAX },
	[MQ_MODE]	= { "mode", 0, CLI_OCTAL, 0, 0777 },
	[MQ_EXCL]	= { "excl", 0, CLI_FLAG, 0, 0 },
	[MQ_TYPE]	= { "type", 0, CLI_DEC, 0, UINT64_MAX },
	[MQ_TYPE_LE]	= { "type-le", 0, CLI_DEC, 0, UINT64_MAX },
	[MQ_TYPE_NOT]	= { "type-not", 0, CLI_DEC, 0, UINT64_MAX },
	[MQ_PRIO]	= { "prio", 0, CLI_DEC, 0, KIPC_MQ_PRIO_MAX },
	[MQ_NONBLOCK]	= { "nonblock", 0, CLI_FLAG, 0, 0 },
	/* milliseconds that still fit libkipc's int64_t nanoseconds */
	[MQ_TIMEOUT]	= { "timeout", 0, CLI_DEC, 0, INT64_MAX / 1000000 },
	[MQ_COUNT]	= { "count", 0, CLI_DEC, 1, UINT32_MAX },
	[MQ_NEWLINE]	= { "newline", 0, CLI_FLAG, 0, 0 },
	[MQ_NULL]	= { "null", '0', CLI_FLAG, 0, 0 },
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

/* A command line, parsed, and what its options mean for a queue. */
struct mq_ctx {
	struct cli_ctx c;
	struct kipc_mq_attr attr;	/* create */
	unsigned int select;		/* recv, peek: enum kipc_mq_select */
	uint64_t type;			/* send: the type; else the key */
	unsigned int prio;
	int64_t timeout_ns;		/* -1: wait as long as it takes */
	unsigned int count;
	int delim;			/* after each payload, or -1 */
};

static struct mq_ctx *mq_ctx(struct cli_ctx *c)
{
	return container_of(c, struct mq_ctx, c);
}

/* What the options given mean; a usage error for raw output in JSON. */
static int mq_parsed(struct cli_ctx *cc)
{
	struct mq_ctx *c = mq_ctx(cc);
	const unsigned long long *v = cc->val;

	if (cc->json && cc->given & MQ_OUTPUT) {
		cli_ctx_usage_error(cc, "--newline and --null are for raw output, not --json");
		return EXIT_USAGE;
	}
	c->attr.max_msgs = v[MQ_MAX_MSGS];
	c->attr.msg_size = v[MQ_MSG_SIZE];
	c->prio = v[MQ_PRIO];
	/* send: the message's type; recv and peek: the selector's */
	for (unsigned int o = MQ_TYPE; o <= MQ_TYPE_NOT; o++) {
		if (!(cc->given & OPT(o)))
			continue;
		c->select = o == MQ_TYPE ? KIPC_MQ_SELECT_EXACT :
			    o == MQ_TYPE_LE ? KIPC_MQ_SELECT_LE :
			    KIPC_MQ_SELECT_NOT;
		c->type = v[o];
	}
	if (cc->given & OPT(MQ_NONBLOCK))
		c->timeout_ns = 0;
	if (cc->given & OPT(MQ_TIMEOUT))
		c->timeout_ns = v[MQ_TIMEOUT] * 1000000;
	if (cc->given & OPT(MQ_COUNT))
		c->count = v[MQ_COUNT];
	if (cc->given & OPT(MQ_NEWLINE))
		c->delim = '\n';
	if (cc->given & OPT(MQ_NULL))
		c->delim = '\0';
	return EXIT_OK;
}

/* Open the queue c->name, or say why not; returns the fd or -errno. */
static int mq_open_queue(const struct mq_ctx *c, unsigned int flags)
{
	int fd = kipc_mq_open(c->c.ctl, c->c.name, flags, NULL);

	if (fd < 0)
		cli_ctx_error(&c->c, fd, NULL);
	return fd;
}

static int mq_get_stat(const struct mq_ctx *c, int fd, struct kipc_mq_stat *st)
{
	int err = kipc_mq_stat(fd, st, sizeof(*st));

	if (err)
		cli_ctx_error(&c->c, err, NULL);
	return err;
}

/* The stat of a queue: "key: value" lines, or one JSON object. */
static int mq_print_stat(const struct mq_ctx *c, const struct kipc_mq_stat *st)
{
	const struct cli_field fields[] = {
		{ "id", st->id, CLI_NUMBER },
		{ "max_msgs", st->max_msgs, CLI_NUMBER },
		{ "msg_size", st->msg_size, CLI_NUMBER },
		{ "depth", st->depth, CLI_NUMBER },
		{ "bytes", st->bytes, CLI_NUMBER },
		{ "high_water", st->high_water, CLI_NUMBER },
		{ "recv_waiters", st->recv_waiters, CLI_NUMBER },
		{ "send_waiters", st->send_waiters, CLI_NUMBER },
		{ "sent", st->sent, CLI_NUMBER },
		{ "received", st->received, CLI_NUMBER },
		CLI_OWNER_FIELDS(st),
	};

	return cli_print_fields(&c->c, fields, ARRAY_SIZE(fields));
}

/* stat the queue behind fd and print it */
static int mq_show(const struct mq_ctx *c, int fd)
{
	struct kipc_mq_stat st;

	if (mq_get_stat(c, fd, &st))
		return EXIT_FAILED;
	return mq_print_stat(c, &st);
}

/* create NAME...: each, on with the others when one fails, as mkdir(1) */
static int mq_create(struct cli_ctx *cc)
{
	unsigned int flags = KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CREATE;
	struct mq_ctx *c = mq_ctx(cc);
	int fd, ret = EXIT_OK;

	if (cc->given & OPT(MQ_EXCL))
		flags |= KIPC_OPEN_EXCL;
	c->attr.mode = cli_create_mode(cc, MQ_MODE);

	for (int i = 0; i < cc->nargs; i++) {
		cli_name(cc->args[i], cc->name);	/* checked before */
		fd = kipc_mq_open(cc->ctl, cc->name, flags, &c->attr);
		if (fd == -EINVAL &&
		    cc->given & (OPT(MQ_MAX_MSGS) | OPT(MQ_MSG_SIZE)))
			cli_ctx_error(cc, fd, "above the module's mq_max_msgs or mq_max_msgsize?");
		else if (fd == -EDQUOT)
			cli_ctx_error(cc, fd, "over the owner's user_quota_mb or max_objects_per_user?");
		else if (fd == -ENOSPC)
			cli_ctx_error(cc, fd, "over the module's max_objects?");
		else if (fd < 0)
			cli_ctx_error(cc, fd, NULL);
		if (fd < 0) {
			ret = EXIT_FAILED;
			continue;
		}
		if (cc->json && mq_show(c, fd))
			ret = EXIT_FAILED;
		kipc_mq_close(fd);
	}
	return ret;
}

static int mq_open_quiet(const struct cli_ctx *c, unsigned int flags)
{
	return kipc_mq_open(c->ctl, c->name, flags, NULL);
}

static int mq_show_fd(const struct cli_ctx *c, int fd)
{
	return mq_show(container_of(c, struct mq_ctx, c), fd);
}

static int mq_stat(struct cli_ctx *cc)
{
	return cli_stat(cc, mq_open_quiet, mq_show_fd);
}

static int mq_send(struct cli_ctx *cc)
{
	struct mq_ctx *c = mq_ctx(cc);
	struct kipc_msg m = { .prio = c->prio, .type = c->type };
	char *text = cc->nargs > 1 ? cc->args[1] : NULL;
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
			cli_ctx_error(cc, -ENOMEM, NULL);
			goto out;
		}
		n = cli_read_all(STDIN_FILENO, buf, (size_t)st.msg_size + 1);
		if (n < 0) {
			cli_error("standard input", n);
			goto out;
		}
		m.buf = buf;
		m.len = n;
	}
	if (m.len > st.msg_size) {
		cli_ctx_error(cc, -EMSGSIZE, "longer than the queue's %u bytes",
			      st.msg_size);
		goto out;
	}

	err = kipc_mq_send(fd, &m, 0, c->timeout_ns);
	if (err)
		cli_wait_error(cc, err, "queue full", c->timeout_ns);
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
	const struct cli_field fields[] = {
		{ "type", m->type, CLI_NUMBER },
		{ "prio", m->prio, CLI_NUMBER },
		{ "len", m->len, CLI_NUMBER },
		{ "sender_pid", m->sender_pid, CLI_NUMBER },
		{ "sender_uid", m->sender_uid, CLI_NUMBER },
		{ "timestamp_ns", m->timestamp_ns, CLI_NUMBER },
	};
	struct json j;
	bool text;

	if (!c->c.json) {
		fwrite(m->buf, 1, m->len, stdout);
		if (c->delim >= 0)
			putchar(c->delim);
		/* now: a reader of a pipe sees each message as it comes */
		return cli_flush_stdout();
	}

	text = utf8_valid(m->buf, m->len);
	json_begin(&j, stdout);
	json_object_begin(&j);
	cli_json_fields(&j, fields, ARRAY_SIZE(fields));
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
		cli_ctx_error(&c->c, -ENOMEM, NULL);
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
		cli_wait_error(&c->c, err, what, c->timeout_ns);
	}
out_free:
	free(buf);
out:
	kipc_mq_close(fd);
	return ret;
}

static int mq_recv(struct cli_ctx *cc)
{
	return mq_receive(mq_ctx(cc), 0);
}

static int mq_peek(struct cli_ctx *cc)
{
	return mq_receive(mq_ctx(cc), KIPC_MQ_PEEK);
}

static int mq_rm(struct cli_ctx *cc)
{
	return cli_rm(cc, kipc_mq_unlink);
}

static const struct cli_subcmd mq_cmds[] = {
	{ "create", OPT(MQ_MAX_MSGS) | OPT(MQ_MSG_SIZE) | OPT(MQ_MODE) |
		    OPT(MQ_EXCL), 0, NULL, INT_MAX, CLI_NAMES, mq_create },
	{ "send", OPT(MQ_TYPE) | OPT(MQ_PRIO) | MQ_WAIT, 0, NULL, 1, 0,
		  mq_send },
	{ "recv", MQ_SELECT | MQ_WAIT | OPT(MQ_COUNT) | MQ_OUTPUT, 0, NULL, 0,
		  0, mq_recv },
	{ "peek", MQ_SELECT | MQ_WAIT | MQ_OUTPUT, 0, NULL, 0, 0, mq_peek },
	{ "stat", 0, 0, NULL, 0, 0, mq_stat },
	{ "rm", 0, 0, NULL, INT_MAX, CLI_NAMES, mq_rm },
};

static const struct cli_object mq_object = {
	.cmd = &cli_cmd_mq,
	.noun = "queue",
	.opts = mq_options,
	.nr_opts = MQ_NR_OPTS,
	.exclusive = mq_exclusive,
	.nr_exclusive = ARRAY_SIZE(mq_exclusive),
	.cmds = mq_cmds,
	.nr_cmds = ARRAY_SIZE(mq_cmds),
	.parsed = mq_parsed,
};

static int mq_run(const struct cli_opts *opts, int argc, char **argv)
{
	struct mq_ctx c = {
		.timeout_ns = -1,
		.count = 1,
		.delim = -1,
	};

	return cli_object_run(&mq_object, &c.c, opts, argc, argv);
}

const struct cli_cmd cli_cmd_mq = {
	.name = "mq",
	.summary = "create, send to, receive from and remove message queues",
	.usage =
	"usage: kipc [--json] mq COMMAND NAME [OPTIONS]\n"
	"\n"
	"  create NAME... [--max-msgs N] [--msg-size BYTES] [--mode OCTAL] [--excl]\n"
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
	"create makes a queue of each NAME (default: 64 messages of up to 8192\n"
	"bytes, mode 0600 less the umask; --mode is taken as it is) or leaves\n"
	"one that exists as it is (--excl: fails). recv takes messages, highest priority\n"
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
