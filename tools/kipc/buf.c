// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc buf: create, look into, write into, inspect and remove shared
 * buffers from the shell, and wait and wake on their words, through
 * libkipc.
 *
 *	kipc [--json] buf COMMAND NAME [OPTIONS] [ARGS]
 *
 * dump and write map the pages that cover what they read or write, and
 * nothing else: read-only for dump, read-write for write, which checks
 * that its bytes fit before it writes any. wait and wake are
 * KIPC_IOC_BUF_WAIT and KIPC_IOC_BUF_WAKE, one call each.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <kipc.h>

#include "cli.h"

/* The options of every buf command; a command says which it takes. */
enum buf_opt {
	BUF_MODE = CLI_NR_COMMON,
	BUF_EXCL,
	BUF_OFFSET,
	BUF_LENGTH,
	BUF_RAW,
	BUF_NO_SQUEEZE,
	BUF_VALUE,
	BUF_TIMEOUT,
	BUF_COUNT,
	BUF_ALL,
	BUF_NR_OPTS,
};

/* Their names and values: modes are octal, byte counts may end in K, M, G. */
static const struct cli_opt buf_options[BUF_NR_OPTS] = {
	CLI_COMMON_OPTS,
	[BUF_MODE]	= { "mode", 0, CLI_OCTAL, 0, 0777 },
	[BUF_EXCL]	= { "excl", 0, CLI_FLAG, 0, 0 },
	[BUF_OFFSET]	= { "offset", 0, CLI_BYTES, 0, UINT64_MAX },
	[BUF_LENGTH]	= { "length", 0, CLI_BYTES, 0, UINT64_MAX },
	[BUF_RAW]	= { "raw", 0, CLI_FLAG, 0, 0 },
	[BUF_NO_SQUEEZE] = { "no-squeeze", 'v', CLI_FLAG, 0, 0 },
	[BUF_VALUE]	= { "value", 0, CLI_DEC, 0, UINT32_MAX },
	/* libkipc's wait takes no 0 (it would be a load), and int64_t ns */
	[BUF_TIMEOUT]	= { "timeout", 0, CLI_DEC, 1, INT64_MAX / 1000000 },
	[BUF_COUNT]	= { "count", 0, CLI_DEC, 1, UINT32_MAX },
	[BUF_ALL]	= { "all", 0, CLI_FLAG, 0, 0 },
};

/* Options that exclude each other. */
static const unsigned int buf_exclusive[] = {
	OPT(BUF_RAW) | OPT(BUF_NO_SQUEEZE),
	OPT(BUF_COUNT) | OPT(BUF_ALL),
};

/* A command line, parsed, and what its options mean for a buffer. */
struct buf_ctx {
	struct cli_ctx c;
	uint64_t size;			/* create: SIZE */
	uint64_t offset;
	int64_t timeout_ns;		/* wait: -1 as long as it takes */
};

static struct buf_ctx *buf_ctx(struct cli_ctx *c)
{
	return container_of(c, struct buf_ctx, c);
}

static int buf_parsed(struct cli_ctx *cc)
{
	struct buf_ctx *c = buf_ctx(cc);
	unsigned long long size;

	if (cc->json && cc->given & (OPT(BUF_RAW) | OPT(BUF_NO_SQUEEZE))) {
		cli_ctx_usage_error(cc, "--raw and --no-squeeze are for the hexdump, not --json");
		return EXIT_USAGE;
	}
	/* write: TEXT or the word --value; wait takes no TEXT */
	if (cc->given & OPT(BUF_VALUE) && cc->nargs > 1) {
		cli_ctx_usage_error(cc, "TEXT and --value exclude each other");
		return EXIT_USAGE;
	}
	/* wait, wake and write --value work on a __u32 */
	c->offset = cc->val[BUF_OFFSET];
	if ((cc->given & OPT(BUF_VALUE) || !strcmp(cc->cmd->name, "wake")) &&
	    c->offset % 4) {
		cli_ctx_usage_error(cc, "--offset of a word wants a multiple of 4, not %llu",
				    (unsigned long long)c->offset);
		return EXIT_USAGE;
	}
	if (cc->cmd->need) {	/* create: SIZE */
		if (!cli_parse_number(cc, "SIZE", CLI_BYTES, 1, UINT64_MAX,
				      cc->args[1], &size))
			return EXIT_USAGE;
		c->size = size;
	}
	if (cc->given & OPT(BUF_TIMEOUT))
		c->timeout_ns = cc->val[BUF_TIMEOUT] * 1000000;
	return EXIT_OK;
}

/* Open the buffer c->name, or say why not; returns the fd or -errno. */
static int buf_open(const struct cli_ctx *c, unsigned int flags,
		    uint64_t *size)
{
	int fd = kipc_buf_open(c->ctl, c->name, flags, NULL, size);

	if (fd < 0)
		cli_ctx_error(c, fd, NULL);
	return fd;
}

/* Do length bytes from offset lie in the buffer? Say so if they do not. */
static bool buf_within(const struct cli_ctx *c, uint64_t size,
		       uint64_t offset, uint64_t length, bool more)
{
	if (offset > size)
		cli_ctx_error(c, -ENXIO, "offset %llu is beyond the buffer's %llu bytes",
			      (unsigned long long)offset,
			      (unsigned long long)size);
	else if (length > size - offset)
		cli_ctx_error(c, -ENXIO, "%s%llu byte%s at offset %llu go%s beyond the buffer's %llu bytes",
			      more ? "more than " : "",
			      (unsigned long long)length - more,
			      length - more == 1 ? "" : "s",
			      (unsigned long long)offset,
			      length - more == 1 && !more ? "es" : "",
			      (unsigned long long)size);
	else
		return true;
	return false;
}

/* The pages of a buffer that cover some bytes of it. */
struct buf_map {
	void *addr;
	size_t len;
	unsigned char *data;	/* the first byte asked for */
};

/* Map length (> 0) bytes from offset; 0 or -errno. */
static int buf_map(int fd, uint64_t offset, uint64_t length, int prot,
		   struct buf_map *m)
{
	uint64_t page = sysconf(_SC_PAGESIZE);
	uint64_t start = offset / page * page;
	uint64_t len = offset - start + length;
	int err;

	if (len > SIZE_MAX)
		return -ENOMEM;
	err = kipc_buf_map(fd, start, len, prot, &m->addr, &m->len);
	if (err)
		return err;
	m->data = (unsigned char *)m->addr + (offset - start);
	return 0;
}

/* The stat of a buffer: "key: value" lines, or one JSON object. */
static int buf_print_stat(const struct cli_ctx *c,
			  const struct kipc_buf_stat *st)
{
	const struct cli_field fields[] = {
		{ "id", st->id, CLI_NUMBER },
		{ "buf_size", st->buf_size, CLI_NUMBER },
		{ "mappings", st->mappings, CLI_NUMBER },
		{ "waiters", st->waiters, CLI_NUMBER },
		{ "waits", st->waits, CLI_NUMBER },
		{ "wakes", st->wakes, CLI_NUMBER },
		{ "woken", st->woken, CLI_NUMBER },
		CLI_OWNER_FIELDS(st),
	};

	return cli_print_fields(c, fields, ARRAY_SIZE(fields));
}

/* stat the buffer behind fd and print it */
static int buf_show(const struct cli_ctx *c, int fd)
{
	struct kipc_buf_stat st;
	int err = kipc_buf_stat(fd, &st, sizeof(st));

	if (err) {
		cli_ctx_error(c, err, NULL);
		return EXIT_FAILED;
	}
	return buf_print_stat(c, &st);
}

static int buf_create(struct cli_ctx *cc)
{
	unsigned int flags = KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CREATE;
	struct kipc_buf_attr attr = { .size = buf_ctx(cc)->size };
	int fd, ret = EXIT_OK;

	if (cc->given & OPT(BUF_EXCL))
		flags |= KIPC_OPEN_EXCL;
	attr.mode = cli_create_mode(cc, BUF_MODE);

	fd = kipc_buf_open(cc->ctl, cc->name, flags, &attr, NULL);
	if (fd == -EINVAL)
		cli_ctx_error(cc, fd, "above the module's buf_max_mb?");
	else if (fd == -EDQUOT)
		cli_ctx_error(cc, fd, "over the owner's user_quota_mb or max_objects_per_user?");
	else if (fd < 0)
		cli_ctx_error(cc, fd, NULL);
	if (fd < 0)
		return EXIT_FAILED;
	if (cc->json)
		ret = buf_show(cc, fd);
	kipc_buf_close(fd);
	return ret;
}

static int buf_open_quiet(const struct cli_ctx *c, unsigned int flags)
{
	return kipc_buf_open(c->ctl, c->name, flags, NULL, NULL);
}

static int buf_stat(struct cli_ctx *cc)
{
	return cli_stat(cc, buf_open_quiet, buf_show);
}

/* A line of 16 bytes, or fewer at the end, as hexdump -C prints it. */
static void buf_hex_line(uint64_t offset, const unsigned char *b, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char line[80], *p = line;

	p += sprintf(p, "%08llx ", (unsigned long long)offset);
	for (size_t i = 0; i < 16; i++) {
		if (i == 8)
			*p++ = ' ';
		*p++ = ' ';
		*p++ = i < n ? hex[b[i] >> 4] : ' ';
		*p++ = i < n ? hex[b[i] & 15] : ' ';
	}
	*p++ = ' ';
	*p++ = ' ';
	*p++ = '|';
	for (size_t i = 0; i < n; i++)
		*p++ = b[i] >= 0x20 && b[i] < 0x7f ? b[i] : '.';
	*p++ = '|';
	*p++ = '\n';
	fwrite(line, 1, p - line, stdout);
}

/*
 * hexdump -C of length bytes at data, offset in the buffer: a line that
 * repeats the one before is left out, and the first of those left out
 * is a '*' (unless squeeze is false); then the offset of the end.
 */
static void buf_hexdump(const unsigned char *data, uint64_t offset,
			uint64_t length, bool squeeze)
{
	unsigned char line[16], prev[16];
	bool have_prev = false, starred = false;

	for (uint64_t done = 0; done < length; done += 16) {
		size_t n = length - done < 16 ? length - done : 16;

		/* one copy: a writer may change the bytes as they are shown */
		memcpy(line, data + done, n);
		/* cppcheck-suppress knownConditionTrueFalse ; 16 but at the end */
		if (squeeze && have_prev && n == 16 && !memcmp(line, prev, 16)) {
			if (!starred)
				fputs("*\n", stdout);
			starred = true;
			continue;
		}
		starred = false;
		memcpy(prev, line, n);
		have_prev = n == 16;
		buf_hex_line(offset + done, line, n);
	}
	if (length)
		printf("%08llx\n", (unsigned long long)offset + length);
}

static int buf_dump(struct cli_ctx *cc)
{
	uint64_t size, offset = buf_ctx(cc)->offset, length;
	struct buf_map m = { NULL, 0, NULL };
	int fd, err, ret = EXIT_FAILED;
	struct json j;

	fd = buf_open(cc, KIPC_OPEN_READ, &size);
	if (fd < 0)
		return EXIT_FAILED;
	if (cc->given & OPT(BUF_LENGTH))
		length = cc->val[BUF_LENGTH];
	else
		length = offset < size ? size - offset : 0;
	if (!buf_within(cc, size, offset, length, false))
		goto out;
	if (length) {
		err = buf_map(fd, offset, length, PROT_READ, &m);
		if (err) {
			cli_ctx_error(cc, err, NULL);
			goto out;
		}
	}

	if (cc->json) {
		json_begin(&j, stdout);
		json_object_begin(&j);
		json_key(&j, "name");
		json_string(&j, cc->name);
		json_key(&j, "offset");
		json_uint(&j, offset);
		json_key(&j, "length");
		json_uint(&j, length);
		json_key(&j, "data");
		json_base64(&j, m.data, length);
		json_object_end(&j);
		json_end(&j);
	} else if (cc->given & OPT(BUF_RAW)) {
		fwrite(m.data, 1, length, stdout);
	} else {
		buf_hexdump(m.data, offset, length,
			    !(cc->given & OPT(BUF_NO_SQUEEZE)));
	}
	ret = cli_flush_stdout();
	if (m.addr)
		kipc_buf_unmap(m.addr, m.len);
out:
	kipc_buf_close(fd);
	return ret;
}

static int buf_write(struct cli_ctx *cc)
{
	const char *text = cc->nargs > 1 ? cc->args[1] : NULL;
	uint64_t size, offset = buf_ctx(cc)->offset, room;
	int fd, err, ret = EXIT_FAILED;
	const void *data = NULL;
	bool more = false;
	char *in = NULL;
	struct buf_map m;
	size_t len;
	ssize_t n;

	fd = buf_open(cc, KIPC_OPEN_READ | KIPC_OPEN_WRITE, &size);
	if (fd < 0)
		return EXIT_FAILED;
	/* before stdin is read: it may be a terminal */
	if (!buf_within(cc, size, offset, 0, false))
		goto out;
	room = size - offset;

	if (cc->given & OPT(BUF_VALUE)) {
		len = sizeof(uint32_t);
	} else if (text && strcmp(text, "-")) {
		data = text;
		len = strlen(text);
	} else {
		/* a byte more than fits tells input that is too long */
		if (room >= SIZE_MAX)
			room = SIZE_MAX - 1;
		in = malloc(room + 1);
		if (!in) {
			cli_ctx_error(cc, -ENOMEM, NULL);
			goto out;
		}
		n = cli_read_all(STDIN_FILENO, in, room + 1);
		if (n < 0) {
			cli_error("standard input", n);
			goto out;
		}
		data = in;
		len = n;
		more = len > room;
	}
	if (!buf_within(cc, size, offset, len, more))
		goto out;

	if (len) {
		err = buf_map(fd, offset, len, PROT_READ | PROT_WRITE, &m);
		if (err) {
			cli_ctx_error(cc, err, NULL);
			goto out;
		}
		/* a word in one store, as a waker in C would make it */
		if (cc->given & OPT(BUF_VALUE))
			__atomic_store_n((uint32_t *)m.data,
					 (uint32_t)cc->val[BUF_VALUE],
					 __ATOMIC_SEQ_CST);
		else
			memcpy(m.data, data, len);
		kipc_buf_unmap(m.addr, m.len);
	}
	ret = EXIT_OK;
out:
	free(in);
	kipc_buf_close(fd);
	return ret;
}

/* The word at offset now, for an error message; false if it cannot tell. */
static bool buf_peek_word(int fd, uint64_t offset, uint32_t *value)
{
	struct buf_map m;

	if (buf_map(fd, offset, sizeof(*value), PROT_READ, &m))
		return false;
	*value = __atomic_load_n((uint32_t *)m.data, __ATOMIC_SEQ_CST);
	kipc_buf_unmap(m.addr, m.len);
	return true;
}

/* ENXIO and EAGAIN of wait and wake, said for the word at hand. */
static void buf_word_error(const struct cli_ctx *c, int err, int fd,
			   uint64_t size)
{
	uint64_t offset = container_of(c, struct buf_ctx, c)->offset;
	uint32_t now;

	if (err == -ENXIO)
		cli_ctx_error(c, err, "offset %llu is beyond the buffer's %llu bytes",
			      (unsigned long long)offset,
			      (unsigned long long)size);
	else if (err == -EAGAIN && buf_peek_word(fd, offset, &now))
		cli_ctx_error(c, err, "the word at offset %llu is %u, not %llu",
			      (unsigned long long)offset, now,
			      c->val[BUF_VALUE]);
	else if (err == -EAGAIN)
		cli_ctx_error(c, err, "the word at offset %llu is not %llu",
			      (unsigned long long)offset, c->val[BUF_VALUE]);
	else
		cli_wait_error(c, err, "not woken",
			       container_of(c, struct buf_ctx, c)->timeout_ns);
}

static int buf_wait(struct cli_ctx *cc)
{
	struct buf_ctx *c = buf_ctx(cc);
	int fd, err;
	uint64_t size;

	fd = buf_open(cc, KIPC_OPEN_READ, &size);
	if (fd < 0)
		return EXIT_FAILED;
	err = kipc_buf_wait(fd, c->offset, cc->val[BUF_VALUE], c->timeout_ns);
	if (err)
		buf_word_error(cc, err, fd, size);
	kipc_buf_close(fd);
	return err ? EXIT_FAILED : EXIT_OK;
}

static int buf_wake(struct cli_ctx *cc)
{
	unsigned int count = (cc->given & OPT(BUF_COUNT)) ? cc->val[BUF_COUNT] :
			     (cc->given & OPT(BUF_ALL)) ? KIPC_BUF_WAKE_ALL : 1;
	int fd, woken, ret = EXIT_FAILED;
	uint64_t size;
	struct json j;

	fd = buf_open(cc, KIPC_OPEN_WRITE, &size);
	if (fd < 0)
		return EXIT_FAILED;
	woken = kipc_buf_wake(fd, buf_ctx(cc)->offset, count);
	if (woken < 0) {
		buf_word_error(cc, woken, fd, size);
		goto out;
	}
	if (cc->json) {
		json_begin(&j, stdout);
		json_object_begin(&j);
		json_key(&j, "woken");
		json_uint(&j, woken);
		json_object_end(&j);
		json_end(&j);
	} else {
		printf("%d\n", woken);
	}
	ret = cli_flush_stdout();
out:
	kipc_buf_close(fd);
	return ret;
}

static int buf_rm(struct cli_ctx *cc)
{
	return cli_rm(cc, kipc_buf_unlink);
}

#define BUF_RANGE	(OPT(BUF_OFFSET) | OPT(BUF_LENGTH))

static const struct cli_subcmd buf_cmds[] = {
	{ "create", OPT(BUF_MODE) | OPT(BUF_EXCL), 0, "SIZE", 1, 0,
		    buf_create },
	{ "stat", 0, 0, NULL, 0, 0, buf_stat },
	{ "dump", BUF_RANGE | OPT(BUF_RAW) | OPT(BUF_NO_SQUEEZE), 0, NULL, 0,
		  0, buf_dump },
	{ "write", OPT(BUF_OFFSET) | OPT(BUF_VALUE), 0, NULL, 1, 0,
		   buf_write },
	{ "wait", OPT(BUF_OFFSET) | OPT(BUF_VALUE) | OPT(BUF_TIMEOUT),
		  OPT(BUF_VALUE), NULL, 0, 0, buf_wait },
	{ "wake", OPT(BUF_OFFSET) | OPT(BUF_COUNT) | OPT(BUF_ALL), 0, NULL, 0,
		  0, buf_wake },
	{ "rm", 0, 0, NULL, INT_MAX, CLI_NAMES, buf_rm },
};

static const struct cli_object buf_object = {
	.cmd = &cli_cmd_buf,
	.noun = "buffer",
	.opts = buf_options,
	.nr_opts = BUF_NR_OPTS,
	.exclusive = buf_exclusive,
	.nr_exclusive = ARRAY_SIZE(buf_exclusive),
	.cmds = buf_cmds,
	.nr_cmds = ARRAY_SIZE(buf_cmds),
	.parsed = buf_parsed,
};

static int buf_run(const struct cli_opts *opts, int argc, char **argv)
{
	struct buf_ctx c = { .timeout_ns = -1 };

	return cli_object_run(&buf_object, &c.c, opts, argc, argv);
}

const struct cli_cmd cli_cmd_buf = {
	.name = "buf",
	.summary = "create, dump, write, wait on and remove shared buffers",
	.usage =
	"usage: kipc [--json] buf COMMAND NAME [OPTIONS]\n"
	"\n"
	"  create NAME SIZE [--mode OCTAL] [--excl]\n"
	"  stat   NAME\n"
	"  dump   NAME [--offset O] [--length L] [--raw | -v]\n"
	"  write  NAME [--offset O] [TEXT | - | --value V]\n"
	"  wait   NAME [--offset O] --value V [--timeout MS]\n"
	"  wake   NAME [--offset O] [--count N | --all]\n"
	"  rm     NAME...\n"
	"\n"
	"NAME    \"/name\", or \"name\" for short\n"
	"SIZE    bytes, rounded up to whole pages; K, M or G after the number\n"
	"        for KiB, MiB or GiB (so are O and L)\n"
	"TEXT    the bytes to write; - or none: all of stdin\n"
	"\n"
	"create makes a zero-filled buffer (mode 0600 less the umask; --mode is\n"
	"taken as it is) or leaves one that exists as it is (--excl: fails).\n"
	"dump prints L bytes from O (default: all of it) as hexdump -C does,\n"
	"repeated lines as one '*' unless -v (--no-squeeze); --raw writes the\n"
	"bytes as they are, --json as base64. write puts TEXT, or stdin, or the\n"
	"32-bit word V, at O (default 0), and nothing unless all of it fits.\n"
	"wait sleeps while the word at O is V, until a wake there or MS\n"
	"milliseconds; wake wakes N of its waiters (default 1), or all, and\n"
	"prints how many it woke. A word's offset is a multiple of 4. With\n"
	"--json, stat and create print the buffer's settings and counters.\n"
	"Options may follow NAME; -- ends them. Numbers are decimal, or\n"
	"hexadecimal after 0x.\n"
	"\n"
	"Exit status: 0 ok, 1 failed (beyond the buffer, the word is not V,\n"
	"not woken in time, ...), 2 usage.\n",
	.run = buf_run,
};
