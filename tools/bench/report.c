// SPDX-License-Identifier: GPL-2.0-only
/*
 * The figures of the runs: latency percentiles, and the report as an
 * aligned table, CSV (one header row, one row per run) or one JSON
 * document.
 *
 * Derived figures, the same in every format: ops/s is round trips or
 * messages per second of the measured part; MB/s is 10^6 bytes of
 * messages (header included) per second; cpu per op is the user and
 * system time of both processes over the measured count; cpu% is that
 * time over the wall time (200% is two CPUs busy throughout); the ratio
 * to the baseline is above 1 when a run did better than the baseline's
 * (a lower p50 round trip, more messages per second).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_escape.h"
#include "run.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The nearest-rank percentile, in thousandths: the value that per_mille
 * of the samples do not exceed.
 */
static uint64_t rank(const uint64_t *sorted, size_t n, unsigned int per_mille)
{
	size_t r = (n * per_mille + 999) / 1000;

	return sorted[r ? r - 1 : 0];
}

void bench_latency(struct bench_latency *lat, uint64_t *samples, size_t n)
{
	uint64_t sum = 0;

	qsort(samples, n, sizeof(*samples), cmp_u64);
	for (size_t i = 0; i < n; i++)
		sum += samples[i];
	lat->min = samples[0];
	lat->p50 = rank(samples, n, 500);
	lat->p90 = rank(samples, n, 900);
	lat->p99 = rank(samples, n, 990);
	lat->p999 = rank(samples, n, 999);
	lat->max = samples[n - 1];
	/* n >= 1: bench_count_for() never returns 0 */
	lat->mean = sum / n;	/* NOLINT(clang-analyzer-core.DivideZero) */
}

/* ---- the figures of a run, one list for every format ---- */

/* CSV column and JSON key, and how precisely to print */
static const struct {
	const char *name;
	const char *fmt;
} figures[NR_FIGURES] = {
	[FIG_COUNT] = { "count", "%.0f" },
	[FIG_WARMUP] = { "warmup", "%.0f" },
	[FIG_WALL_NS] = { "wall_ns", "%.0f" },
	[FIG_OPS_PER_S] = { "ops_per_s", "%.1f" },
	[FIG_MB_PER_S] = { "mb_per_s", "%.3f" },
	[FIG_LAT_MIN] = { "lat_min_ns", "%.0f" },
	[FIG_LAT_P50] = { "lat_p50_ns", "%.0f" },
	[FIG_LAT_P90] = { "lat_p90_ns", "%.0f" },
	[FIG_LAT_P99] = { "lat_p99_ns", "%.0f" },
	[FIG_LAT_P999] = { "lat_p999_ns", "%.0f" },
	[FIG_LAT_MAX] = { "lat_max_ns", "%.0f" },
	[FIG_LAT_MEAN] = { "lat_mean_ns", "%.0f" },
	[FIG_CPU_PARENT_USER] = { "cpu_parent_user_ns", "%.0f" },
	[FIG_CPU_PARENT_SYS] = { "cpu_parent_sys_ns", "%.0f" },
	[FIG_CPU_CHILD_USER] = { "cpu_child_user_ns", "%.0f" },
	[FIG_CPU_CHILD_SYS] = { "cpu_child_sys_ns", "%.0f" },
	[FIG_CPU_PER_OP] = { "cpu_ns_per_op", "%.0f" },
	[FIG_CPU_PERCENT] = { "cpu_percent", "%.1f" },
	[FIG_VS_BASELINE] = { "vs_baseline", "%.3f" },
};

/* The baseline's result for the same test and size, if it ran well */
static const struct bench_result *baseline_of(const struct bench_report *rep,
					      const struct bench_result *r)
{
	for (size_t i = 0; i < rep->nr_res; i++) {
		const struct bench_result *b = &rep->res[i];

		if (b->mech == rep->baseline && b->test == r->test &&
		    b->size == r->size)
			return b->status == BENCH_OK ? b : NULL;
	}
	return NULL;
}

/* Messages, or round trips, per second */
static double ops_per_s(const struct bench_result *r)
{
	return r->count / ((r->wall_ns ? r->wall_ns : 1) / 1e9);
}

/*
 * The figures of a run that went well, NAN where one does not apply (no
 * latency in throughput, no ratio without a baseline). The ratio is above
 * 1 when the run did better than the baseline: see the top of the file.
 */
void bench_figures(const struct bench_report *rep,
		   const struct bench_result *r, double v[NR_FIGURES])
{
	const struct bench_result *b = baseline_of(rep, r);
	const struct bench_cpu *cpu = r->cpu;
	double wall = r->wall_ns ? r->wall_ns : 1;
	double cpu_ns = (double)cpu[BENCH_PARENT].user + cpu[BENCH_PARENT].sys +
			cpu[BENCH_CHILD].user + cpu[BENCH_CHILD].sys;
	bool pp = r->test->latency;

	v[FIG_COUNT] = r->count;
	v[FIG_WARMUP] = r->warmup;
	v[FIG_WALL_NS] = r->wall_ns;
	v[FIG_OPS_PER_S] = ops_per_s(r);
	v[FIG_MB_PER_S] = pp ? NAN : r->count * (double)r->size / wall * 1e3;
	v[FIG_LAT_MIN] = pp ? r->lat.min : NAN;
	v[FIG_LAT_P50] = pp ? r->lat.p50 : NAN;
	v[FIG_LAT_P90] = pp ? r->lat.p90 : NAN;
	v[FIG_LAT_P99] = pp ? r->lat.p99 : NAN;
	v[FIG_LAT_P999] = pp ? r->lat.p999 : NAN;
	v[FIG_LAT_MAX] = pp ? r->lat.max : NAN;
	v[FIG_LAT_MEAN] = pp ? r->lat.mean : NAN;
	v[FIG_CPU_PARENT_USER] = cpu[BENCH_PARENT].user;
	v[FIG_CPU_PARENT_SYS] = cpu[BENCH_PARENT].sys;
	v[FIG_CPU_CHILD_USER] = cpu[BENCH_CHILD].user;
	v[FIG_CPU_CHILD_SYS] = cpu[BENCH_CHILD].sys;
	v[FIG_CPU_PER_OP] = cpu_ns / r->count;
	v[FIG_CPU_PERCENT] = 100 * cpu_ns / wall;
	if (!b)
		v[FIG_VS_BASELINE] = NAN;
	else if (pp)
		v[FIG_VS_BASELINE] = (double)b->lat.p50 /
				     (r->lat.p50 ? r->lat.p50 : 1);
	else
		v[FIG_VS_BASELINE] = ops_per_s(r) / ops_per_s(b);
}

static const char *status_name(enum bench_status s)
{
	return s == BENCH_OK ? "ok" : s == BENCH_SKIPPED ? "skipped" : "failed";
}

/* ---- the table ---- */

/* Three significant digits or so, in a field of width w */
static void num(FILE *out, int w, double v)
{
	fprintf(out, " %*.*f", w, v < 10 ? 2 : v < 100 ? 1 : 0, v);
}

static void table_header(FILE *out, const struct bench_report *rep,
			 const struct bench_test *t)
{
	const char *base = rep->baseline ? rep->baseline->name : "-";

	fprintf(out, "\n%s: %s (cpu: us per %s)\n", t->name, t->desc,
		t->unit);
	if (t->latency)
		fprintf(out, "%-14s %7s %5s %8s %8s %8s %8s %8s %9s %5s  vs %s\n",
			"mechanism", "size", "batch", "p50 us", "p90", "p99",
			"p99.9", "max", "cpu", "cpu%", base);
	else
		fprintf(out, "%-14s %7s %5s %10s %9s %10s %5s  vs %s\n",
			"mechanism", "size", "batch", "msgs/s", "MB/s", "cpu",
			"cpu%", base);
}

static void table_row(FILE *out, const struct bench_report *rep,
		      const struct bench_result *r)
{
	double v[NR_FIGURES];

	fprintf(out, "%-14s %7zu %5u", r->mech->name, r->size, r->batch);
	if (r->status != BENCH_OK) {
		fprintf(out, "  %s: %s\n", r->status == BENCH_SKIPPED ?
			"skipped" : "FAILED", r->note);
		return;
	}
	bench_figures(rep, r, v);
	/* every result has its test (plan_run()) */
	if (r->test->latency) {	/* NOLINT(clang-analyzer-core.NullDereference) */
		for (int f = FIG_LAT_P50; f <= FIG_LAT_MAX; f++)
			num(out, 8, v[f] / 1e3);
		num(out, 9, v[FIG_CPU_PER_OP] / 1e3);
	} else {
		fprintf(out, " %10.0f", v[FIG_OPS_PER_S]);
		num(out, 9, v[FIG_MB_PER_S]);
		num(out, 10, v[FIG_CPU_PER_OP] / 1e3);
	}
	fprintf(out, " %5.0f", v[FIG_CPU_PERCENT]);
	if (isnan(v[FIG_VS_BASELINE]))
		fprintf(out, "  -\n");
	else
		fprintf(out, "  %.2fx\n", v[FIG_VS_BASELINE]);
}

void bench_print_table(FILE *out, const struct bench_report *rep)
{
	const struct bench_opts *o = rep->opts;
	const struct bench_test *last = NULL;

	fprintf(out, "kipc-bench %s: %s; clock_gettime() %llu ns\n",
		KIPC_VERSION_STR, rep->system, (unsigned long long)rep->clock_ns);
	fprintf(out, "timeout %u s per run, %lu warm-up operations before "
		"each measured ", o->timeout, o->warmup);
	if (o->duration_ns)
		fprintf(out, "%.3g s\n", o->duration_ns / 1e9);
	else
		fprintf(out, "count\n");
	if (o->cpu[BENCH_PARENT] >= 0)
		fprintf(out, "parent on CPU %d, child on CPU %d\n",
			o->cpu[BENCH_PARENT], o->cpu[BENCH_CHILD]);
	else
		fprintf(out, "CPUs: where the scheduler puts them (--cpus "
			"pins them)\n");
	for (size_t i = 0; i < rep->nr_res; i++) {
		const struct bench_result *r = &rep->res[i];

		if (r->test != last)
			table_header(out, rep, r->test);
		last = r->test;
		table_row(out, rep, &rep->res[i]);
	}
	fprintf(out, "\ncpu: user+sys time of both processes in the measured "
		"part, per round trip or\nmessage; cpu%%: the same over the wall "
		"time (200%% = both CPUs busy throughout).\n");
	if (rep->baseline)
		fprintf(out, "vs %s: %s's p50 round trip over this one's, or "
			"this one's messages/s over\n%s's (above 1: faster).\n",
			rep->baseline->name, rep->baseline->name,
			rep->baseline->name);
}

/* ---- CSV (RFC 4180) ---- */

void bench_csv_string(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

void bench_print_csv(FILE *out, const struct bench_report *rep)
{
	double v[NR_FIGURES];

	fprintf(out, "mechanism,test,size,batch,status,note");
	for (int f = 0; f < NR_FIGURES; f++)
		fprintf(out, ",%s", figures[f].name);
	fputc('\n', out);
	for (size_t i = 0; i < rep->nr_res; i++) {
		const struct bench_result *r = &rep->res[i];

		fprintf(out, "%s,%s,%zu,%u,%s,", r->mech->name, r->test->name,
			r->size, r->batch, status_name(r->status));
		bench_csv_string(out, r->note);
		if (r->status == BENCH_OK)
			bench_figures(rep, r, v);
		for (int f = 0; f < NR_FIGURES; f++) {
			fputc(',', out);
			/* empty where there is no such figure */
			if (r->status == BENCH_OK && !isnan(v[f]))
				fprintf(out, figures[f].fmt, v[f]);
		}
		fputc('\n', out);
	}
}

/* ---- JSON: one document, compact, on one line ---- */

void bench_json_string(FILE *out, const char *s)
{
	json_escape(out, s, strlen(s));
}

static void json_result(FILE *out, const struct bench_report *rep,
			const struct bench_result *r)
{
	double v[NR_FIGURES];

	fprintf(out, "{\"mechanism\":");
	bench_json_string(out, r->mech->name);
	fprintf(out, ",\"test\":\"%s\",\"size\":%zu,\"batch\":%u,"
		"\"status\":\"%s\"", r->test->name, r->size, r->batch,
		status_name(r->status));
	if (r->status != BENCH_OK) {
		fprintf(out, ",\"note\":");
		bench_json_string(out, r->note);
		fputc('}', out);
		return;
	}
	bench_figures(rep, r, v);
	/* a figure that does not apply is left out */
	for (int f = 0; f < NR_FIGURES; f++) {
		if (isnan(v[f]))
			continue;
		fprintf(out, ",\"%s\":", figures[f].name);
		fprintf(out, figures[f].fmt, v[f]);
	}
	fputc('}', out);
}

void bench_print_json(FILE *out, const struct bench_report *rep)
{
	const struct bench_opts *o = rep->opts;

	fprintf(out, "{\"tool\":\"kipc-bench\",\"version\":\"%s\",\"system\":",
		KIPC_VERSION_STR);
	bench_json_string(out, rep->system);
	fprintf(out, ",\"clock_ns\":%llu,\"timeout_s\":%u,",
		(unsigned long long)rep->clock_ns, o->timeout);
	if (o->duration_ns)
		fprintf(out, "\"duration_s\":%.3f,", o->duration_ns / 1e9);
	else
		fprintf(out, "\"duration_s\":null,");
	if (o->cpu[BENCH_PARENT] >= 0)
		fprintf(out, "\"cpus\":[%d,%d],", o->cpu[BENCH_PARENT],
			o->cpu[BENCH_CHILD]);
	else
		fprintf(out, "\"cpus\":null,");
	fprintf(out, "\"baseline\":");
	if (rep->baseline)
		bench_json_string(out, rep->baseline->name);
	else
		fputs("null", out);
	fprintf(out, ",\"results\":[");
	for (size_t i = 0; i < rep->nr_res; i++) {
		if (i)
			fputc(',', out);
		json_result(out, rep, &rep->res[i]);
	}
	fprintf(out, "]}\n");
}
