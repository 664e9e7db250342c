// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the commands of every object kind share (kipc mq, buf, sem):
 *
 *	kipc [--json] OBJECT COMMAND NAME [OPTIONS] [ARGS]
 *
 * NAME may leave out the leading '/'. Options may follow NAME; "--" ends
 * them. Numbers are decimal or 0x hexadecimal, modes octal, byte counts
 * may end in K, M or G. The errors, usage or not, name the object kind,
 * the command and what is wrong, in one line.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <kipc.h>

#include "cli.h"

/* getopt_long() returns CLI_OPT_VAL + the option's number for a long one */
#define CLI_OPT_VAL	0x100

void cli_ctx_usage_error(const struct cli_ctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_usage_error(c->obj->cmd->name, "%s: %s", c->cmd->name, msg);
}

void cli_ctx_error(const struct cli_ctx *c, int err, const char *hint, ...)
{
	va_list ap;

	fprintf(stderr, "kipc: %s %s %s: %s", c->obj->cmd->name, c->cmd->name,
		c->name, strerror(-err));
	if (hint) {
		fputs(" (", stderr);
		va_start(ap, hint);
		vfprintf(stderr, hint, ap);
		va_end(ap);
		fputc(')', stderr);
	}
	fputc('\n', stderr);
}

void cli_wait_error(const struct cli_ctx *c, int err, const char *what,
		    int64_t timeout_ns)
{
	if (err == -ETIMEDOUT)
		cli_ctx_error(c, err, "%s after %lld ms", what,
			      (long long)(timeout_ns / 1000000));
	else if (err == -EAGAIN)
		cli_ctx_error(c, err, "%s", what);
	else
		cli_ctx_error(c, err, NULL);
}

/* K, M or G (either case) after a byte count: its shift, or -1 */
static int cli_unit_shift(const char *s)
{
	static const char units[] = "kmg";
	const char *u;

	if (!s[0] || s[1] || !(u = strchr(units, tolower((unsigned char)s[0]))))
		return -1;
	return 10 * (int)(u - units + 1);
}

/*
 * digits only (no sign, no blanks), in the kind's base, or hexadecimal
 * after "0x" where the base is 10, and a unit after a byte count
 */
bool cli_parse_number(const struct cli_ctx *c, const char *what,
		      enum cli_num num, unsigned long long min,
		      unsigned long long max, const char *arg,
		      unsigned long long *v)
{
	int base = num == CLI_OCTAL ? 8 : 10, shift;
	const char *digits = arg;
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
	if (end && end != digits && *end && num == CLI_BYTES) {
		shift = cli_unit_shift(end);
		if (shift > 0 && *v <= ULLONG_MAX >> shift) {
			*v <<= shift;
			end += 1;
		}
	}
	if (end && end != digits && !*end && !errno && *v >= min && *v <= max)
		return true;

	if (num == CLI_OCTAL)
		cli_ctx_usage_error(c, "%s wants an octal mode, 0 to 0%llo, not '%s'",
				    what, max, arg);
	else if (num == CLI_BYTES)
		cli_ctx_usage_error(c, "%s wants a number of bytes (or of KiB, MiB, GiB with K, M, G after it), %llu to %llu, not '%s'",
				    what, min, max, arg);
	else
		cli_ctx_usage_error(c, "%s wants a number, %llu to %llu, not '%s'",
				    what, min, max, arg);
	return false;
}

/*
 * NAME as the kernel wants it, "/name": the '/' is added if it is not
 * there; 1 to KIPC_NAME_MAX - 1 bytes follow it, none of them a '/'.
 */
_Static_assert(KIPC_NAME_MAX - 1 == 254, "CLI_NAME_RULE says 254");

bool cli_name(const char *arg, char name[KIPC_NAME_MAX + 1])
{
	/* cli_parse() passes a counted argument, never NULL */
	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
	const char *base = arg[0] == '/' ? arg + 1 : arg;
	size_t len = strlen(base);

	if (!len || len > KIPC_NAME_MAX - 1 || strchr(base, '/'))
		return false;
	name[0] = '/';
	memcpy(name + 1, base, len + 1);
	return true;
}

static bool cli_parse_name(const struct cli_ctx *c, const char *arg,
			   char name[KIPC_NAME_MAX + 1])
{
	if (cli_name(arg, name))
		return true;
	cli_ctx_usage_error(c, "bad %s name '%s' (%s)", c->obj->noun, arg,
			    CLI_NAME_RULE);
	return false;
}

/* Take option o and its value; false after a usage error. */
static bool cli_set_option(struct cli_ctx *c, unsigned int o, const char *arg)
{
	const struct cli_opt *opt = &c->obj->opts[o];
	char what[64];

	if (o >= CLI_NR_COMMON && !(c->cmd->opts & OPT(o))) {
		cli_ctx_usage_error(c, "--%s does not apply", opt->name);
		return false;
	}
	snprintf(what, sizeof(what), "--%s", opt->name);
	if (opt->num != CLI_FLAG &&
	    !cli_parse_number(c, what, opt->num, opt->min, opt->max, arg,
			      &c->val[o]))
		return false;
	c->given |= OPT(o);
	if (o == CLI_JSON)
		c->json = true;
	return true;
}

/* What getopt_long() did not like, as a usage error. */
static void cli_bad_option(const struct cli_ctx *c, int ch, char **argv)
{
	if (ch == ':')
		cli_ctx_usage_error(c, "%s needs a value", argv[optind - 1]);
	else if (optopt >= CLI_OPT_VAL)
		cli_ctx_usage_error(c, "--%s takes no value",
				    c->obj->opts[optopt - CLI_OPT_VAL].name);
	else if (optopt)
		cli_ctx_usage_error(c, "unknown option '-%c'", optopt);
	else
		cli_ctx_usage_error(c, "unknown option '%s'", argv[optind - 1]);
}

/* The getopt_long() tables of the object's options. */
static bool cli_getopt_tables(const struct cli_object *obj,
			      struct option **longopts, char *shortopts,
			      size_t len)
{
	struct option *lo = calloc(obj->nr_opts + 1, sizeof(*lo));
	size_t n;

	*longopts = lo;
	if (!lo)
		return false;
	/*
	 * '-': arguments come back in order as 1, so that options may follow
	 * NAME whatever POSIXLY_CORRECT says; ':' tells a missing value.
	 */
	n = snprintf(shortopts, len, "-:");
	for (unsigned int o = 0; o < obj->nr_opts; o++) {
		const struct cli_opt *opt = &obj->opts[o];

		lo[o] = (struct option){
			opt->name,
			opt->num == CLI_FLAG ? no_argument : required_argument,
			NULL, CLI_OPT_VAL + o
		};
		if (opt->short_name && n + 3 < len) {
			shortopts[n++] = opt->short_name;
			if (opt->num != CLI_FLAG)
				shortopts[n++] = ':';
			shortopts[n] = '\0';
		}
	}
	return true;
}

/* The option a short one stands for. */
static unsigned int cli_short_option(const struct cli_object *obj, int ch)
{
	for (unsigned int o = 0; o < obj->nr_opts; o++)
		if (obj->opts[o].short_name == ch)
			return o;
	return CLI_HELP;	/* not reached: getopt knows only these */
}

/*
 * The options and arguments after COMMAND (argv[0]); EXIT_OK to go on,
 * with OPT(CLI_HELP) in c->given if the usage was asked for.
 */
static int cli_parse(struct cli_ctx *c, int argc, char **argv)
{
	const struct cli_subcmd *cmd = c->cmd;
	struct option *longopts;
	char shortopts[80];
	int ch, names;
	unsigned int o;

	c->args = calloc(argc, sizeof(*c->args));
	if (!c->args ||
	    !cli_getopt_tables(c->obj, &longopts, shortopts, sizeof(shortopts))) {
		cli_error(c->obj->cmd->name, -ENOMEM);
		return EXIT_FAILED;
	}
	/* optind 0 starts glibc's getopt afresh after main()'s '+' parse */
	optind = 0;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (ch == 1) {
			c->args[c->nargs++] = optarg;
			continue;
		}
		if (ch == ':' || ch == '?') {
			cli_bad_option(c, ch, argv);
			free(longopts);
			return EXIT_USAGE;
		}
		o = ch >= CLI_OPT_VAL ? (unsigned int)ch - CLI_OPT_VAL :
		    cli_short_option(c->obj, ch);
		if (!cli_set_option(c, o, optarg)) {
			free(longopts);
			return EXIT_USAGE;
		}
		if (o == CLI_HELP) {
			free(longopts);
			return EXIT_OK;
		}
	}
	free(longopts);
	/* those after "--": a command to run, or more arguments */
	if (cmd->flags & CLI_COMMAND && optind > 0 && !strcmp(argv[optind - 1], "--")) {
		if (optind == argc) {
			cli_ctx_usage_error(c, "missing the command after --");
			return EXIT_USAGE;
		}
		c->command = argv + optind;	/* argv[argc] is NULL */
	}
	while (!c->command && optind < argc)
		c->args[c->nargs++] = argv[optind++];

	for (size_t i = 0; i < c->obj->nr_exclusive; i++) {
		unsigned int both = c->given & c->obj->exclusive[i];

		if (both & (both - 1)) {
			cli_ctx_usage_error(c, "--%s and --%s exclude each other",
					    c->obj->opts[__builtin_ctz(both)].name,
					    c->obj->opts[__builtin_ctz(both & (both - 1))].name);
			return EXIT_USAGE;
		}
	}
	if (c->nargs < 1) {
		cli_ctx_usage_error(c, "missing NAME");
		return EXIT_USAGE;
	}
	if (c->nargs - 1 > cmd->max_args) {
		cli_ctx_usage_error(c, "unexpected argument '%s'",
				    c->args[cmd->max_args + 1]);
		return EXIT_USAGE;
	}
	if (cmd->need && c->nargs < 2) {
		cli_ctx_usage_error(c, "missing %s", cmd->need);
		return EXIT_USAGE;
	}
	if (cmd->required & ~c->given) {
		cli_ctx_usage_error(c, "missing --%s",
				    c->obj->opts[__builtin_ctz(cmd->required & ~c->given)].name);
		return EXIT_USAGE;
	}
	/* every name is checked before anything is done to any */
	names = cmd->flags & CLI_NAMES ? c->nargs : 1;
	for (int i = 0; i < names; i++)
		if (!cli_parse_name(c, c->args[i], c->name))
			return EXIT_USAGE;
	return c->obj->parsed ? c->obj->parsed(c) : EXIT_OK;
}

int cli_object_run(const struct cli_object *obj, struct cli_ctx *c,
		   const struct cli_opts *opts, int argc, char **argv)
{
	const char *usage = obj->cmd->usage;
	int ret;

	c->obj = obj;
	c->ctl = -1;
	c->json = opts->json;
	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		fputs(usage, stdout);
		return cli_flush_stdout();
	}
	for (size_t i = 0; i < obj->nr_cmds; i++)
		if (!strcmp(argv[1], obj->cmds[i].name))
			c->cmd = &obj->cmds[i];
	if (!c->cmd) {
		cli_usage_error(obj->cmd->name, "unknown command '%s'", argv[1]);
		return EXIT_USAGE;
	}

	ret = cli_parse(c, argc - 1, argv + 1);
	if (ret == EXIT_OK && c->given & OPT(CLI_HELP)) {
		fputs(usage, stdout);
		ret = cli_flush_stdout();
	} else if (ret == EXIT_OK) {
		c->ctl = cli_open_device();
		ret = c->ctl < 0 ? EXIT_FAILED : c->cmd->run(c);
		if (c->ctl >= 0)
			close(c->ctl);
	}
	free(c->args);
	return ret;
}

unsigned int cli_create_mode(const struct cli_ctx *c, unsigned int opt)
{
	/* --mode is the mode, as for mkfifo -m; the default is less the umask */
	if (!(c->given & OPT(opt)))
		return 0600;
	umask(0);
	return c->val[opt];
}

int cli_stat(struct cli_ctx *c,
	     int (*open)(const struct cli_ctx *c, unsigned int flags),
	     int (*show)(const struct cli_ctx *c, int fd))
{
	int fd, ret;

	/* either direction will do: try the other before giving up */
	fd = open(c, KIPC_OPEN_READ);
	if (fd == -EACCES)
		fd = open(c, KIPC_OPEN_WRITE);
	if (fd < 0) {
		cli_ctx_error(c, fd, NULL);
		return EXIT_FAILED;
	}
	ret = show(c, fd);
	close(fd);
	return ret;
}

int cli_rm(struct cli_ctx *c, int (*unlink)(int ctl_fd, const char *name))
{
	int err, ret = EXIT_OK;

	for (int i = 0; i < c->nargs; i++) {
		cli_parse_name(c, c->args[i], c->name);	/* checked before */
		err = unlink(c->ctl, c->name);
		if (err) {
			cli_ctx_error(c, err, NULL);
			ret = EXIT_FAILED;
		}
	}
	return ret;
}

ssize_t cli_read_all(int fd, void *buf, size_t len)
{
	size_t n = 0;

	while (n < len) {
		ssize_t r = read(fd, (char *)buf + n, len - n);

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

/* "2026-11-21 10:00:00.123456789 +0100", as ls --full-time shows times */
static void cli_print_time(unsigned long long ns)
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

void cli_json_fields(struct json *j, const struct cli_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_key(j, f[i].key);
		if (f[i].format == CLI_BOOL)
			json_bool(j, f[i].val);
		else
			json_uint(j, f[i].val);
	}
}

void cli_print_field_lines(const struct cli_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int pad = 13 - (int)strlen(f[i].key);

		switch (f[i].format) {
		case CLI_NUMBER:
			printf("%s:%*s%llu\n", f[i].key, pad, "", f[i].val);
			break;
		case CLI_MODE:
			printf("%s:%*s%04llo\n", f[i].key, pad, "", f[i].val);
			break;
		case CLI_TIME:
			printf("%-14s", "ctime:");
			cli_print_time(f[i].val);
			break;
		case CLI_BOOL:
			printf("%s:%*s%s\n", f[i].key, pad, "",
			       f[i].val ? "yes" : "no");
			break;
		}
	}
}

int cli_print_fields(const struct cli_ctx *c, const struct cli_field *f,
		     size_t n)
{
	struct json j;

	if (c->json) {
		json_begin(&j, stdout);
		json_object_begin(&j);
		json_key(&j, "name");
		json_name(&j, c->name);
		cli_json_fields(&j, f, n);
		json_object_end(&j);
		json_end(&j);
		return cli_flush_stdout();
	}

	printf("%-14s%s\n", "name:", c->name);
	cli_print_field_lines(f, n);
	return cli_flush_stdout();
}
