// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc version: the tool's, the library's and the module's versions.
 */
#include <string.h>
#include <unistd.h>

#include <kipc.h>

#include "cli.h"

/* The module's release: sysfs has it; the ABI deliberately does not. */
static void module_release(char *buf, size_t len)
{
	FILE *f = fopen("/sys/module/kipc/version", "r");

	if (!f || !fgets(buf, len, f))
		snprintf(buf, len, "unknown");
	buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
}

/* KIPC_FEATURE_* for people; the number says it for programs */
static const struct {
	unsigned long long bit;
	const char *name;
} features[] = {
	{ KIPC_FEATURE_MQ, "mq" },
	{ KIPC_FEATURE_MQ_BATCH, "mq-batch" },
	{ KIPC_FEATURE_BUF, "buf" },
	{ KIPC_FEATURE_SEM, "sem" },
};

static int version_run(const struct cli_opts *opts, int argc, char **argv)
{
	struct kipc_version ver;
	char module[64];
	int fd, err;

	if (argc > 1) {
		cli_usage_error("version", "unexpected argument '%s'", argv[1]);
		return EXIT_USAGE;
	}

	fd = cli_open_device();
	if (fd < 0)
		return EXIT_FAILED;
	err = kipc_get_version(fd, &ver, sizeof(ver));
	close(fd);
	if (err) {
		cli_error("version", err);
		return EXIT_FAILED;
	}
	module_release(module, sizeof(module));

	if (opts->json) {
		struct json j;

		json_begin(&j, stdout);
		json_object_begin(&j);
		json_key(&j, "tool");
		json_string(&j, KIPC_VERSION_STR);
		json_key(&j, "library");
		json_string(&j, kipc_library_version());
		json_key(&j, "module");
		json_string(&j, module);
		json_key(&j, "abi");
		json_uint(&j, ver.abi_version);
		json_key(&j, "features");
		json_uint(&j, ver.features);
		json_object_end(&j);
		json_end(&j);
	} else {
		printf("kipc %s\n", KIPC_VERSION_STR);
		printf("library: %s\n", kipc_library_version());
		printf("module:  %s (ABI %u, features 0x%llx", module,
		       ver.abi_version, (unsigned long long)ver.features);
		for (size_t i = 0, n = 0; i < ARRAY_SIZE(features); i++)
			if (ver.features & features[i].bit)
				printf("%s%s", n++ ? " " : ": ", features[i].name);
		printf(")\n");
	}
	return cli_flush_stdout();
}

const struct cli_cmd cli_cmd_version = {
	.name = "version",
	.summary = "show the versions of kipc, libkipc and the kipc module",
	.usage =
	"usage: kipc [--json] version\n"
	"\n"
	"Print the versions of this tool, of libkipc, and of the loaded kipc\n"
	"module with its ABI version and feature bits (by name; --json: the\n"
	"number). Fails (exit 1) when /dev/kipc cannot be opened.\n",
	.run = version_run,
};
