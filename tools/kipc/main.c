// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc - command-line front end to /dev/kipc, in the style of ip(8):
 *
 *	kipc [OPTIONS] COMMAND [ARGS]
 *
 * Exit status: 0 success, 1 the operation failed, 2 usage error.
 * Errors are one line on stderr naming what failed and the errno text.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <kipc.h>

#include "cli.h"

static const struct cli_cmd *const commands[] = {
	&cli_cmd_version,
	&cli_cmd_mq,
	&cli_cmd_buf,
	&cli_cmd_sem,
	&cli_cmd_ls,
	&cli_cmd_stat,
	&cli_cmd_monitor,
};

void cli_error(const char *what, int err)
{
	fprintf(stderr, "kipc: %s: %s\n", what, strerror(-err));
}

void cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kipc %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try 'kipc help %s')\n", cmd);
}

int cli_open_device(void)
{
	int fd = kipc_open();

	if (fd == -ENOENT || fd == -ENXIO || fd == -ENODEV)
		fprintf(stderr, "kipc: %s: %s (module not loaded?)\n",
			KIPC_DEVICE_PATH, strerror(-fd));
	else if (fd < 0)
		cli_error(KIPC_DEVICE_PATH, fd);
	return fd;
}

int cli_flush_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		cli_error("standard output", errno ? -errno : -EIO);
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

static const struct cli_cmd *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kipc [OPTIONS] COMMAND [ARGS]\n"
		"       kipc help [COMMAND]\n"
		"\n"
		"Options:\n"
		"  -j, --json     machine-readable output (one JSON document)\n"
		"  -V, --version  print the tool's version and exit\n"
		"  -h, --help     this text\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name,
			commands[i]->summary);
	fprintf(out, "  %-10s %s\n", "help", "show this text or a command's");
	fprintf(out,
		"\n"
		"Exit status: 0 ok, 1 failed, 2 usage error.\n");
}

static int help_run(int argc, char **argv)
{
	const struct cli_cmd *cmd;

	if (argc < 2) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc > 2) {
		cli_usage_error("help", "unexpected argument '%s'", argv[2]);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help")) {
		printf("usage: kipc help [COMMAND]\n");
		return EXIT_OK;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "kipc: unknown command '%s' (try 'kipc help')\n",
			argv[1]);
		return EXIT_USAGE;
	}
	fputs(cmd->usage, stdout);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_opts opts = { 0 };
	const struct cli_cmd *cmd;
	int c;

	/* '+': options end at the command; the rest is the command's */
	while ((c = getopt_long(argc, argv, "+jVh", options, NULL)) != -1) {
		switch (c) {
		case 'j':
			opts.json = true;
			break;
		case 'V':
			printf("kipc %s\n", KIPC_VERSION_STR);
			return EXIT_OK;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;

	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[0], "help"))
		return help_run(argc, argv);
	cmd = find_command(argv[0]);
	if (!cmd) {
		fprintf(stderr, "kipc: unknown command '%s' (try 'kipc help')\n",
			argv[0]);
		return EXIT_USAGE;
	}
	return cmd->run(&opts, argc, argv);
}
