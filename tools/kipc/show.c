// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc ls, kipc stat: the objects of the caller's IPC namespace, of every
 * kind, named or anonymous, linked or not, whoever owns them, as ipcs(1)
 * shows SysV objects. Through the kipc netlink family (nl.c), so neither
 * opens an object: a stat by name needs no permission on it.
 *
 *	kipc [--json] ls [--kind KIND]
 *	kipc [--json] stat NAME|ID [--kind KIND]
 *
 * ls prints a table, one object a line, in id order; stat every field of
 * one object, as `kipc mq stat` and the others do.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "nl.h"

/* How often ls reads the list again when objects came or went meanwhile */
#define LS_TRIES	4

/* A command line of ls or stat. */
struct show_opts {
	const char *cmd;
	bool json;
	uint32_t kind;		/* 0: any */
	char *args[2];
	int nargs;
};

/*
 * [--json] [--kind KIND] [--help] and up to max_args arguments, in any
 * order, "--" ending the options; EXIT_OK to go on, with o->cmd NULL
 * after --help.
 */
static int show_parse(struct show_opts *o, const struct cli_cmd *cmd,
		      int max_args, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "kind", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	/* optind 0 starts glibc's getopt afresh after main()'s parse */
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "-:jh", longopts, NULL)) != -1) {
		switch (ch) {
		case 1:
			if (o->nargs == max_args) {
				cli_usage_error(cmd->name, "unexpected argument '%s'",
						optarg);
				return EXIT_USAGE;
			}
			o->args[o->nargs++] = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'k':
			o->kind = knl_kind_parse(optarg);
			if (!o->kind) {
				cli_usage_error(cmd->name, "--kind wants mq, buf or sem, not '%s'",
						optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(cmd->usage, stdout);
			o->cmd = NULL;
			return cli_flush_stdout();
		case ':':
			cli_usage_error(cmd->name, "%s needs a value",
					argv[optind - 1]);
			return EXIT_USAGE;
		default:
			if (optopt)
				cli_usage_error(cmd->name, "unknown option '-%c'",
						optopt);
			else
				cli_usage_error(cmd->name, "unknown option '%s'",
						argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	for (; optind < argc; optind++) {
		if (o->nargs == max_args) {
			cli_usage_error(cmd->name, "unexpected argument '%s'",
					argv[optind]);
			return EXIT_USAGE;
		}
		o->args[o->nargs++] = argv[optind];
	}
	o->cmd = cmd->name;
	return EXIT_OK;
}

/* A byte count as the CLI takes them: 64K, 1M, or 1000 */
static const char *ls_bytes(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "GMK";

	for (int i = 0; i < 3; i++) {
		int shift = 30 - 10 * i;

		if (v && !(v & ((1ull << shift) - 1))) {
			snprintf(buf, len, "%llu%c",
				 (unsigned long long)(v >> shift), units[i]);
			return buf;
		}
	}
	snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

/* One statistic, or "?" if the kernel left it out. */
static const char *ls_stat(const struct knl_obj *o, int type, char *buf,
			   size_t len)
{
	if (!(o->has_stat & 1u << type))
		return "?";
	snprintf(buf, len, "%llu", (unsigned long long)o->stat[type]);
	return buf;
}

/* What matters most of each kind, in a few words. */
static void ls_print_stats(const struct knl_obj *o)
{
	char a[24], b[24], c[24], d[24], e[24];

	switch (o->kind) {
	case KIPC_KIND_MQ:
		printf("depth %s/%s bytes %s sent %s received %s",
		       ls_stat(o, KIPC_A_MQ_DEPTH, a, sizeof(a)),
		       ls_stat(o, KIPC_A_MQ_MAX_MSGS, b, sizeof(b)),
		       ls_stat(o, KIPC_A_MQ_BYTES, c, sizeof(c)),
		       ls_stat(o, KIPC_A_MQ_SENT, d, sizeof(d)),
		       ls_stat(o, KIPC_A_MQ_RECEIVED, e, sizeof(e)));
		break;
	case KIPC_KIND_BUF:
		printf("size %s mappings %s waiters %s",
		       (o->has_stat & (1u << KIPC_A_BUF_SIZE)) ?
		       ls_bytes(o->stat[KIPC_A_BUF_SIZE], a, sizeof(a)) : "?",
		       ls_stat(o, KIPC_A_BUF_MAPPINGS, b, sizeof(b)),
		       ls_stat(o, KIPC_A_BUF_WAITERS, c, sizeof(c)));
		break;
	case KIPC_KIND_SEM:
		printf("value %s/%s waiters %s",
		       ls_stat(o, KIPC_A_SEM_VALUE, a, sizeof(a)),
		       ls_stat(o, KIPC_A_SEM_MAX_VALUE, b, sizeof(b)),
		       ls_stat(o, KIPC_A_SEM_WAITERS, c, sizeof(c)));
		break;
	}
}

static int digits(unsigned long long v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

#define MAX(a, b)	((a) > (b) ? (a) : (b))

/* Longer names push their line out rather than every line. */
#define LS_NAME_WIDTH	32

/*
 * The table: a header, then a line per object, columns as wide as their
 * widest value (NAME at most LS_NAME_WIDTH), numbers to the right.
 */
static void ls_print_table(const struct knl_objs *objs)
{
	int wid = 2, wname = 4, wuid = 3, wgid = 3, wrefs = 4;
	char name[KIPC_NAME_MAX + 16], kind[12];

	for (size_t i = 0; i < objs->n; i++) {
		const struct knl_obj *o = &objs->v[i];
		int len = strlen(knl_obj_name(o, true, name, sizeof(name)));

		wid = MAX(wid, digits(o->id));
		wname = MAX(wname, len > LS_NAME_WIDTH ? LS_NAME_WIDTH : len);
		wuid = MAX(wuid, digits(o->uid));
		wgid = MAX(wgid, digits(o->gid));
		wrefs = MAX(wrefs, digits(o->refs));
	}
	if (!objs->n)
		return;
	printf("%*s %-4s %-*s %*s %*s MODE %*s STATS\n", wid, "ID", "KIND",
	       wname, "NAME", wuid, "UID", wgid, "GID", wrefs, "REFS");
	for (size_t i = 0; i < objs->n; i++) {
		const struct knl_obj *o = &objs->v[i];
		const struct knl_kind *k = knl_kind(o->kind);

		if (k)
			snprintf(kind, sizeof(kind), "%s", k->name);
		else
			snprintf(kind, sizeof(kind), "%u", o->kind);
		printf("%*u %-4s %-*s %*u %*u %04o %*u ", wid, o->id, kind,
		       wname, knl_obj_name(o, true, name, sizeof(name)),
		       wuid, o->uid, wgid, o->gid, o->mode, wrefs, o->refs);
		ls_print_stats(o);
		putchar('\n');
	}
}

static int ls_run(const struct cli_opts *opts, int argc, char **argv)
{
	struct show_opts o = { .json = opts->json };
	struct knl_objs objs = { 0 };
	struct knl_req r;
	int ret, err, tries = 0;
	struct json j;

	ret = show_parse(&o, &cli_cmd_ls, 0, argc, argv);
	if (ret != EXIT_OK || !o.cmd)
		return ret;
	if (knl_open(&r))
		return EXIT_FAILED;
	/* a list that objects came into or left while it was read: again */
	do
		err = knl_dump(&r, o.kind, &objs);
	while (err == -EINTR && ++tries < LS_TRIES);
	if (err == -EINTR) {
		fprintf(stderr, "kipc: ls: objects came or went while they were listed, %d times; this list may lack some\n",
			LS_TRIES);
	} else if (err) {
		knl_error(&r, "ls", err);
		ret = EXIT_FAILED;
		goto out;
	}

	if (o.json) {
		json_begin(&j, stdout);
		json_array_begin(&j);
		for (size_t i = 0; i < objs.n; i++) {
			json_object_begin(&j);
			knl_obj_json(&j, &objs.v[i]);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_end(&j);
	} else {
		ls_print_table(&objs);
	}
	ret = cli_flush_stdout();
out:
	free(objs.v);
	knl_close(&r);
	return ret;
}

const struct cli_cmd cli_cmd_ls = {
	.name = "ls",
	.summary = "list the objects of this IPC namespace, of every kind",
	.usage =
	"usage: kipc [--json] ls [--kind mq|buf|sem]\n"
	"\n"
	"List the kipc objects of this IPC namespace in id order: named and\n"
	"anonymous ones, those unlinked but still open, whoever owns them. A line\n"
	"each: ID, KIND, NAME (\"-\" for an anonymous object, \"(unlinked)\" after\n"
	"the name of one that can no longer be opened by it), UID, GID, MODE,\n"
	"REFS (open files, and one for a linked name) and STATS, the kind's main\n"
	"figures: a queue's depth/max-msgs, bytes queued, messages sent and\n"
	"received; a buffer's size, mappings and waiters; a semaphore's\n"
	"value/maximum and waiters. Nothing at all when there is no object.\n"
	"--kind lists only objects of that kind. --json prints an array of\n"
	"objects with every field, as stat --json does.\n"
	"\n"
	"Uses kipc's generic netlink family.\n",
	.run = ls_run,
};

/* Every field: "key: value" lines, or one JSON object. */
static int stat_print(const struct knl_obj *o, bool json)
{
	const struct knl_kind *k = knl_kind(o->kind);
	struct cli_field f[KNL_FIELDS_MAX];
	char name[KIPC_NAME_MAX + 16];
	struct json j;

	if (json) {
		json_begin(&j, stdout);
		json_object_begin(&j);
		knl_obj_json(&j, o);
		json_object_end(&j);
		json_end(&j);
		return cli_flush_stdout();
	}
	printf("%-14s%u\n", "id:", o->id);
	if (k)
		printf("%-14s%s\n", "kind:", k->name);
	else
		printf("%-14s%u\n", "kind:", o->kind);
	printf("%-14s%s\n", "name:", knl_obj_name(o, false, name, sizeof(name)));
	cli_print_field_lines(f, knl_obj_fields(o, f));
	cli_print_field_lines(f, knl_obj_stat_fields(o, f));
	return cli_flush_stdout();
}

static int stat_run(const struct cli_opts *opts, int argc, char **argv)
{
	struct show_opts o = { .json = opts->json };
	char name[KIPC_NAME_MAX + 1], what[KIPC_NAME_MAX + 16];
	unsigned long long id = 0;
	struct knl_req r;
	struct knl_obj obj;
	char *end;
	int ret, err;

	ret = show_parse(&o, &cli_cmd_stat, 1, argc, argv);
	if (ret != EXIT_OK || !o.cmd)
		return ret;
	if (!o.nargs) {
		cli_usage_error("stat", "missing NAME or ID");
		return EXIT_USAGE;
	}
	/* digits are an id; a name of digits takes its '/' */
	if (strspn(o.args[0], "0123456789") == strlen(o.args[0])) {
		errno = 0;
		id = strtoull(o.args[0], &end, 10);
		if (errno || !id || id > UINT32_MAX) {
			cli_usage_error("stat", "bad id '%s' (1 to %u; a name of digits starts with '/')",
					o.args[0], UINT32_MAX);
			return EXIT_USAGE;
		}
		snprintf(what, sizeof(what), "stat %llu", id);
	} else if (cli_name(o.args[0], name)) {
		snprintf(what, sizeof(what), "stat %s", name);
	} else {
		cli_usage_error("stat", "bad name '%s' (%s)", o.args[0],
				CLI_NAME_RULE);
		return EXIT_USAGE;
	}

	if (knl_open(&r))
		return EXIT_FAILED;
	err = knl_get(&r, id, id ? NULL : name, o.kind, &obj);
	if (err == -ENOENT && o.kind && !r.extack[0])
		fprintf(stderr, "kipc: %s: %s (none of kind %s)\n", what,
			strerror(ENOENT), knl_kind(o.kind)->name);
	else if (err)
		knl_error(&r, what, err);
	knl_close(&r);
	if (err)
		return EXIT_FAILED;
	return stat_print(&obj, o.json);
}

const struct cli_cmd cli_cmd_stat = {
	.name = "stat",
	.summary = "show one object of any kind, by name or id",
	.usage =
	"usage: kipc [--json] stat NAME|ID [--kind mq|buf|sem]\n"
	"\n"
	"Show every field of one kipc object of this IPC namespace, whatever its\n"
	"kind, owner or mode, named or not: by NAME (\"/name\", or \"name\" for\n"
	"short; a name of digits only needs its '/') or by ID, the number that\n"
	"ls and the stat of each kind show. --kind fails unless it is of that\n"
	"kind. --json prints one object.\n"
	"\n"
	"Uses kipc's generic netlink family; kipc mq stat and the others ask the\n"
	"object itself, and need permission to open it.\n",
	.run = stat_run,
};
