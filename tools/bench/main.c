// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc-bench - measure IPC mechanisms side by side: round-trip latency
 * and one-way throughput, with the CPU time they cost, every message
 * checked.
 *
 *	kipc-bench [--list] [--mechanism a,b] [--test pingpong,throughput]
 *		   [--size 64,4096] [--count N | --duration S] [--warmup N]
 *		   [--batch N]
 *		   [--timeout S] [--csv | --json]
 *
 * Runs go test by test, size by size, mechanism by mechanism, one forked
 * child each (run.c); the report comes at the end (report.c).
 * Exit status: 0 every run that could run passed, 1 a run failed, 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "run.h"

enum format { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON };

/* What --list and the runs need to know of each mechanism, found once */
struct mech_info {
	int err;		/* from available() */
	char why[128];
	size_t max_size;	/* 0: no limit */
};

struct selection {
	const struct bench_mech *mechs[BENCH_MAX_MECHS];
	size_t nr_mechs;
	const struct bench_test *tests[8];
	size_t nr_tests;
	size_t sizes[BENCH_MAX_SIZES];
	size_t nr_sizes;
	unsigned int batches[BENCH_MAX_SIZES];
	size_t nr_batches;
};

/* indexed like bench_mechs[] */
static struct mech_info infos[BENCH_MAX_MECHS];

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kipc-bench [OPTIONS]\n"
		"\n"
		"Measure IPC mechanisms between two processes: ping-pong round-trip\n"
		"latency and one-way throughput, with the CPU time they cost.\n"
		"\n"
		"  -l, --list              the mechanisms, whether they are available here\n"
		"  -m, --mechanism LIST    mechanisms to run (default: all available)\n"
		"  -t, --test LIST         pingpong,throughput (default: both)\n"
		"  -s, --size LIST         message sizes in bytes, K and M allowed, at least\n"
		"                          %zu (default: 64,4096)\n"
		"  -n, --count N           round trips (pingpong) or messages (throughput)\n"
		"                          measured (default: 2000 and 20000)\n"
		"  -d, --duration S        measure about S seconds per run instead, at the\n"
		"                          pace of the warm-up (decimals allowed)\n"
		"  -w, --warmup N          operations before the measured ones (default 200)\n"
		"  -b, --batch LIST        messages per call for mechanisms with batched\n"
		"                          forms, in throughput: a run each (default 1,32)\n"
		"  -T, --timeout S         fail a run after S seconds; 0: never (default 60)\n"
		"  -c, --cpus P,C          keep the parent on CPU P and the child on CPU C\n"
		"                          (default: where the scheduler puts them)\n"
		"      --csv               CSV: a header row, then a row per run\n"
		"  -j, --json              one JSON document\n"
		"  -p, --plot DIR          also write the report as table.txt, results.csv\n"
		"                          and results.json in DIR, with charts drawn by\n"
		"                          gnuplot (PNG) and the data and script for them\n"
		"      --fault KIND        break a message on purpose, to test kipc-bench:\n"
		"                          corrupt, skip or stall\n"
		"  -V, --version           print the version and exit\n"
		"  -h, --help              this text\n"
		"\n"
		"LIST is comma-separated. Exit status: 0 ok, 1 a run failed, 2 usage error.\n",
		BENCH_MIN_SIZE);
}

static int __attribute__((format(printf, 1, 2))) usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kipc-bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try 'kipc-bench --help')\n");
	return -EINVAL;
}

/* A whole number in [min, max], with a K or M (binary) suffix if units */
static int parse_num(const char *opt, const char *s, unsigned long min,
		     unsigned long max, bool units, unsigned long *val)
{
	unsigned long long v;
	unsigned int shift;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (units && *end && strchr("kKmM", *end)) {
		shift = *end == 'k' || *end == 'K' ? 10 : 20;
		/* too large stays too large */
		v = v > ULLONG_MAX >> shift ? ULLONG_MAX : v << shift;
		end++;
	}
	if (errno || end == s || *end || *s == '-')
		return usage_error("%s: '%s' is not a number", opt, s);
	if (v < min || v > max)
		return usage_error("%s: %s is not in [%lu, %lu]", opt, s, min,
				   max);
	*val = v;
	return 0;
}

/* --duration: seconds, decimals allowed, from 1 ms to an hour */
static int parse_duration(const char *opt, const char *s, uint64_t *ns)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0.001 && v <= 3600))
		return usage_error("%s: '%s' is not a number of seconds in "
				   "[0.001, 3600]", opt, s);
	*ns = v * 1e9;
	return 0;
}

/*
 * Split a comma-separated list in place and call fn on each item; an
 * empty item is a usage error.
 */
static int parse_list(const char *opt, char *list,
		      int (*fn)(const char *opt, const char *item, void *arg),
		      void *arg)
{
	char *item, *save = NULL;
	int err;

	if (!*list || list[strlen(list) - 1] == ',' || strstr(list, ",,") ||
	    *list == ',')
		return usage_error("%s: an empty item in '%s'", opt, list);
	for (item = strtok_r(list, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		err = fn(opt, item, arg);
		if (err)
			return err;
	}
	return 0;
}

static const char *mech_name(size_t i)
{
	return bench_mechs[i]->name;
}

static const char *test_name(size_t i)
{
	return bench_tests[i]->name;
}

/* The usage error for an unknown name: it lists the known ones */
static int not_one_of(const char *opt, const char *name, size_t nr,
		      const char *(*name_at)(size_t i))
{
	char names[256] = "";
	size_t n = 0;

	for (size_t i = 0; i < nr && n < sizeof(names); i++)
		n += snprintf(names + n, sizeof(names) - n, "%s%s",
			      i ? ", " : "", name_at(i));
	return usage_error("%s: '%s' is not one of %s", opt, name, names);
}

static int add_mech(const char *opt, const char *name, void *arg)
{
	struct selection *sel = arg;
	const struct bench_mech *m = bench_find_mech(name);

	if (!m)
		return not_one_of(opt, name, bench_nr_mechs, mech_name);
	for (size_t i = 0; i < sel->nr_mechs; i++)
		if (sel->mechs[i] == m)
			return 0;
	sel->mechs[sel->nr_mechs++] = m;
	return 0;
}

static int add_test(const char *opt, const char *name, void *arg)
{
	struct selection *sel = arg;
	const struct bench_test *t = bench_find_test(name);

	if (!t)
		return not_one_of(opt, name, bench_nr_tests, test_name);
	for (size_t i = 0; i < sel->nr_tests; i++)
		if (sel->tests[i] == t)
			return 0;
	sel->tests[sel->nr_tests++] = t;
	return 0;
}

/*
 * parse_num() sets v when it returns 0 (variadic: see .clang-tidy).
 * NOLINTBEGIN(clang-analyzer-core.uninitialized.Assign)
 */
static int add_size(const char *opt, const char *s, void *arg)
{
	struct selection *sel = arg;
	unsigned long v;
	int err;

	if (sel->nr_sizes == BENCH_MAX_SIZES)
		return usage_error("%s: at most %d sizes", opt, BENCH_MAX_SIZES);
	err = parse_num(opt, s, BENCH_MIN_SIZE, BENCH_MAX_SIZE, true, &v);
	if (!err)
		sel->sizes[sel->nr_sizes++] = v;
	return err;
}

static int add_batch(const char *opt, const char *s, void *arg)
{
	struct selection *sel = arg;
	unsigned long v;
	int err;

	if (sel->nr_batches == BENCH_MAX_SIZES)
		return usage_error("%s: at most %d values", opt, BENCH_MAX_SIZES);
	err = parse_num(opt, s, 1, BENCH_MAX_BATCH, false, &v);
	if (!err)
		sel->batches[sel->nr_batches++] = v;
	return err;
}

/* --cpus P,C: the parent's, then the child's */
static int add_cpu(const char *opt, const char *s, void *arg)
{
	struct bench_opts *opts = arg;
	int role = opts->cpu[BENCH_PARENT] < 0 ? BENCH_PARENT : BENCH_CHILD;
	unsigned long v;
	int err;

	if (opts->cpu[BENCH_CHILD] >= 0)
		return usage_error("%s: two CPUs, the parent's and the child's",
				   opt);
	err = parse_num(opt, s, 0, CPU_SETSIZE - 1, false, &v);
	if (!err)
		opts->cpu[role] = v;
	return err;
}
/* NOLINTEND(clang-analyzer-core.uninitialized.Assign) */

static size_t mech_index(const struct bench_mech *m)
{
	size_t i;

	for (i = 0; bench_mechs[i] != m; i++)
		;
	return i;
}

/*
 * Ask the mechanisms of @sel (all of them if it names none) whether they
 * can run here, and how large a message they carry: some find out by
 * trying (a datagram's largest size), so only the ones needed are asked.
 */
static void probe_mechs(const struct selection *sel)
{
	for (size_t i = 0; i < bench_nr_mechs; i++) {
		const struct bench_mech *m = bench_mechs[i];
		struct mech_info *info = &infos[i];
		bool wanted = !sel->nr_mechs;

		for (size_t j = 0; j < sel->nr_mechs; j++)
			wanted |= sel->mechs[j] == m;
		if (!wanted)
			continue;
		if (m->available)
			info->err = m->available(info->why, sizeof(info->why));
		if (info->err && !info->why[0])
			snprintf(info->why, sizeof(info->why), "%s",
				 strerror(-info->err));
		if (!info->err && m->max_size)
			info->max_size = m->max_size();
	}
}

static void print_list(FILE *out, enum format fmt)
{
	if (fmt == FORMAT_JSON)
		fprintf(out, "{\"mechanisms\":[");
	else if (fmt == FORMAT_CSV)
		fprintf(out, "mechanism,available,note,max_size,batched,"
			"description\n");
	else
		fprintf(out, "%-14s %-9s %8s %7s  %s\n", "mechanism", "available",
			"max size", "batched", "description");
	for (size_t i = 0; i < bench_nr_mechs; i++) {
		const struct bench_mech *m = bench_mechs[i];
		const struct mech_info *info = &infos[i];
		bool batched = m->send_batch && m->recv_batch;

		if (fmt == FORMAT_JSON) {
			fprintf(out, "%s{\"name\":", i ? "," : "");
			bench_json_string(out, m->name);
			fprintf(out, ",\"available\":%s,\"note\":",
				info->err ? "false" : "true");
			bench_json_string(out, info->err ? info->why : "");
			fprintf(out, ",\"max_size\":%zu,\"batched\":%s,"
				"\"description\":", info->max_size,
				batched ? "true" : "false");
			bench_json_string(out, m->desc);
			fputc('}', out);
		} else if (fmt == FORMAT_CSV) {
			fprintf(out, "%s,%s,", m->name, info->err ? "no" : "yes");
			bench_csv_string(out, info->err ? info->why : "");
			fprintf(out, ",%zu,%s,", info->max_size,
				batched ? "yes" : "no");
			bench_csv_string(out, m->desc);
			fputc('\n', out);
		} else {
			fprintf(out, "%-14s %-9s", m->name, info->err ? "no" : "yes");
			if (info->max_size)
				fprintf(out, " %8zu", info->max_size);
			else
				fprintf(out, " %8s", "-");
			fprintf(out, " %7s  %s", batched ? "yes" : "no", m->desc);
			if (info->err)
				fprintf(out, " (%s)", info->why);
			fputc('\n', out);
		}
	}
	if (fmt == FORMAT_JSON)
		fprintf(out, "]}\n");
}

/* --cpus: both CPUs must be ones we may use; then pin the parent */
static int pin_parent(const struct bench_opts *opts)
{
	cpu_set_t allowed;
	int err;

	if (sched_getaffinity(0, sizeof(allowed), &allowed)) {
		fprintf(stderr, "kipc-bench: sched_getaffinity: %s\n",
			strerror(errno));
		return -1;
	}
	for (int role = BENCH_PARENT; role <= BENCH_CHILD; role++) {
		if (!CPU_ISSET(opts->cpu[role], &allowed)) {
			fprintf(stderr, "kipc-bench: --cpus: CPU %d is not one "
				"this process may run on\n", opts->cpu[role]);
			return -1;
		}
	}
	err = bench_pin(opts->cpu[BENCH_PARENT]);
	if (err)
		fprintf(stderr, "kipc-bench: sched_setaffinity CPU %d: %s\n",
			opts->cpu[BENCH_PARENT], strerror(-err));
	return err;
}

/* What one clock_gettime() costs here: under emulation, not nothing */
static uint64_t clock_cost(void)
{
	uint64_t start = bench_now_ns();

	for (int i = 0; i < 999; i++)
		bench_now_ns();
	return (bench_now_ns() - start) / 1000;
}

static void describe_system(char *buf, size_t len)
{
	struct utsname u;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "?");
	snprintf(buf, len, "Linux %s %s, %ld CPUs", u.release, u.machine,
		 cpus);
}

/* The report's row for one run; whether it is skipped is decided now */
static void plan_run(struct bench_result *r, const struct bench_test *test,
		     const struct bench_mech *mech, size_t size,
		     unsigned int batch, const struct bench_opts *opts)
{
	const struct mech_info *info = &infos[mech_index(mech)];

	r->test = test;
	r->mech = mech;
	r->size = size;
	r->batch = batch;
	r->count = opts->count ? opts->count : test->default_count;
	r->warmup = opts->warmup;
	if (info->err) {
		r->status = BENCH_SKIPPED;
		snprintf(r->note, sizeof(r->note), "%s", info->why);
	} else if (mech->notify_only && !test->latency) {
		r->status = BENCH_SKIPPED;
		snprintf(r->note, sizeof(r->note),
			 "not supported: a notification, not a queue");
	} else if (info->max_size && size > info->max_size) {
		r->status = BENCH_SKIPPED;
		snprintf(r->note, sizeof(r->note),
			 "not supported: at most %zu B", info->max_size);
	}
}

/*
 * One result per run, in the report's order: a run per batch size for a
 * mechanism with batched forms in a test that uses them, one otherwise.
 */
static struct bench_result *plan_runs(const struct selection *sel,
				      const struct bench_opts *opts,
				      size_t *nr)
{
	struct bench_result *res;
	size_t n = 0;

	/* never 0: each count is at least 1 (memcpy is always available) */
	/* NOLINTNEXTLINE(clang-analyzer-optin.portability.UnixAPI) */
	res = calloc(sel->nr_tests * sel->nr_sizes * sel->nr_mechs *
		     sel->nr_batches, sizeof(*res));
	if (!res)
		return NULL;
	/*
	 * sel->mechs[] holds entries of bench_mechs[], none NULL, which the
	 * analyzer cannot see from here.
	 * NOLINTBEGIN(clang-analyzer-core.NullDereference)
	 */
	for (size_t t = 0; t < sel->nr_tests; t++)
		for (size_t s = 0; s < sel->nr_sizes; s++)
			for (size_t m = 0; m < sel->nr_mechs; m++) {
				const struct bench_mech *mech = sel->mechs[m];
				bool batched = sel->tests[t]->batched &&
					mech->send_batch && mech->recv_batch;
				size_t nb = batched ? sel->nr_batches : 1;

				/* one process has no round trip to time */
				if (mech->local && sel->tests[t]->latency)
					continue;
				for (size_t b = 0; b < nb; b++)
					plan_run(&res[n++], sel->tests[t], mech,
						 sel->sizes[s], batched ?
						 sel->batches[b] : 1, opts);
			}
	/* NOLINTEND(clang-analyzer-core.NullDereference) */
	*nr = n;
	return res;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "list", no_argument, NULL, 'l' },
		{ "mechanism", required_argument, NULL, 'm' },
		{ "test", required_argument, NULL, 't' },
		{ "size", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "batch", required_argument, NULL, 'b' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "csv", no_argument, NULL, 'C' },
		{ "json", no_argument, NULL, 'j' },
		{ "plot", required_argument, NULL, 'p' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "fault", required_argument, NULL, 'F' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_opts opts = {
		.warmup = 200, .timeout = 60, .cpu = { -1, -1 },
	};
	struct selection sel = { 0 };
	struct bench_report rep = { .opts = &opts };
	struct bench_result *res;
	enum format fmt = FORMAT_TABLE;
	bool list = false, failed = false;
	const char *plot_dir = NULL;
	unsigned long v;
	char system[200];
	size_t nr;
	int c, err = 0;

	/* getopt's own messages name the path; ours say what to try */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":lm:t:s:n:d:w:b:T:c:jp:Vh", options,
				NULL)) != -1) {
		switch (c) {
		case 'l':
			list = true;
			break;
		case 'm':
			err = parse_list("--mechanism", optarg, add_mech, &sel);
			break;
		case 't':
			err = parse_list("--test", optarg, add_test, &sel);
			break;
		case 's':
			err = parse_list("--size", optarg, add_size, &sel);
			break;
		case 'n':
			err = parse_num("--count", optarg, 1, BENCH_MAX_COUNT,
					false, &opts.count);
			break;
		case 'd':
			err = parse_duration("--duration", optarg,
					     &opts.duration_ns);
			break;
		case 'w':
			err = parse_num("--warmup", optarg, 0, 100000000, false,
					&opts.warmup);
			break;
		case 'b':
			err = parse_list("--batch", optarg, add_batch, &sel);
			break;
		case 'T':
			/* variadic: NOLINTBEGIN(clang-analyzer-core.uninitialized.Assign) */
			err = parse_num("--timeout", optarg, 0, 86400, false, &v);
			if (!err)
				opts.timeout = v;
			/* NOLINTEND(clang-analyzer-core.uninitialized.Assign) */
			break;
		case 'C':
		case 'j':
			if (fmt != FORMAT_TABLE)
				err = usage_error("--csv and --json: one of them");
			fmt = c == 'C' ? FORMAT_CSV : FORMAT_JSON;
			break;
		case 'p':
			plot_dir = optarg;
			break;
		case 'c':
			opts.cpu[BENCH_PARENT] = -1;
			opts.cpu[BENCH_CHILD] = -1;
			err = parse_list("--cpus", optarg, add_cpu, &opts);
			if (!err && opts.cpu[BENCH_CHILD] < 0)
				err = usage_error("--cpus: two CPUs, the parent's "
						  "and the child's");
			break;
		case 'F':
			if (!strcmp(optarg, "corrupt"))
				opts.fault = BENCH_FAULT_CORRUPT;
			else if (!strcmp(optarg, "skip"))
				opts.fault = BENCH_FAULT_SKIP;
			else if (!strcmp(optarg, "stall"))
				opts.fault = BENCH_FAULT_STALL;
			else
				err = usage_error("--fault: no fault '%s'", optarg);
			break;
		case 'V':
			printf("kipc-bench %s\n", KIPC_VERSION_STR);
			return EXIT_OK;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
			usage_error("%s needs an argument", argv[optind - 1]);
			return EXIT_USAGE;
		default:
			if (optopt)
				usage_error("unknown option '-%c'", optopt);
			else
				usage_error("unknown option '%s'",
					    argv[optind - 1]);
			return EXIT_USAGE;
		}
		if (err)
			return EXIT_USAGE;
	}
	if (optind < argc) {
		usage_error("unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	if (opts.duration_ns && opts.count) {
		usage_error("--count and --duration: one of them");
		return EXIT_USAGE;
	}
	if (opts.duration_ns && !opts.warmup) {
		usage_error("--duration needs a warm-up to set the pace");
		return EXIT_USAGE;
	}
	if (opts.fault == BENCH_FAULT_STALL && opts.timeout == 0) {
		usage_error("--fault stall needs a --timeout");
		return EXIT_USAGE;
	}

	if (list)
		sel.nr_mechs = 0;	/* --list: every mechanism */
	probe_mechs(&sel);
	if (list) {
		print_list(stdout, fmt);
		goto out_flush;
	}

	/*
	 * The defaults: every mechanism available here (the others are
	 * named, with the reason, so that a native run without the module
	 * says what it left out), every test.
	 */
	if (!sel.nr_mechs) {
		for (size_t i = 0; i < bench_nr_mechs; i++) {
			if (!infos[i].err)
				sel.mechs[sel.nr_mechs++] = bench_mechs[i];
			else
				fprintf(stderr, "kipc-bench: skipping %s: %s\n",
					bench_mechs[i]->name, infos[i].why);
		}
	}
	if (!sel.nr_tests)
		for (size_t i = 0; i < bench_nr_tests; i++)
			sel.tests[sel.nr_tests++] = bench_tests[i];
	if (!sel.nr_batches) {
		sel.batches[sel.nr_batches++] = 1;
		sel.batches[sel.nr_batches++] = 32;
	}
	if (!sel.nr_sizes) {
		sel.sizes[sel.nr_sizes++] = 64;
		sel.sizes[sel.nr_sizes++] = 4096;
	}
	/* the baseline of the ratios: the first mechanism that can run */
	for (size_t i = 0; !rep.baseline && i < sel.nr_mechs; i++)
		if (!infos[mech_index(sel.mechs[i])].err)
			rep.baseline = sel.mechs[i];

	res = plan_runs(&sel, &opts, &nr);
	if (!res) {
		fprintf(stderr, "kipc-bench: results: %s\n", strerror(ENOMEM));
		return EXIT_FAILED;
	}
	/* the parent's CPU now, once; each child pins itself (run.c) */
	if (opts.cpu[BENCH_PARENT] >= 0 && pin_parent(&opts)) {
		free(res);
		return EXIT_FAILED;
	}
	bench_signals_init();
	describe_system(system, sizeof(system));
	rep.system = system;
	rep.clock_ns = clock_cost();
	rep.res = res;
	rep.nr_res = nr;

	for (size_t i = 0; i < nr; i++) {
		if (res[i].status == BENCH_SKIPPED)
			continue;
		if (bench_interrupted()) {
			res[i].status = BENCH_SKIPPED;
			snprintf(res[i].note, sizeof(res[i].note), "interrupted");
			continue;
		}
		bench_run(&opts, &res[i]);
	}
	for (size_t i = 0; i < nr; i++)
		failed |= res[i].status == BENCH_FAILED;
	failed |= bench_interrupted();

	if (fmt == FORMAT_JSON)
		bench_print_json(stdout, &rep);
	else if (fmt == FORMAT_CSV)
		bench_print_csv(stdout, &rep);
	else
		bench_print_table(stdout, &rep);
	if (plot_dir && bench_plot(plot_dir, &rep))
		failed = true;
	free(res);
out_flush:
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "kipc-bench: standard output: %s\n",
			strerror(errno ? errno : EIO));
		return EXIT_FAILED;
	}
	return failed ? EXIT_FAILED : EXIT_OK;
}
