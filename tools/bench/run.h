/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kipc-bench's core: tests, runs and their results (run.c), and the
 * report (report.c). Mechanisms need only bench.h.
 */
#ifndef _KIPC_BENCH_RUN_H
#define _KIPC_BENCH_RUN_H

#include <stdio.h>

#include "bench.h"

struct bench_run;

/**
 * struct bench_test - one measurement
 * @name: what --test takes
 * @desc: the title of its part of the table
 * @unit: what one counted operation is
 * @default_count: operations measured when --count is not given
 * @latency: each operation is timed: the report has percentiles
 * @batched: whether it uses the mechanisms' batched forms
 * @fault_dir: the direction --fault breaks a message in
 * @parent: the parent's side; fills in the figures of @run
 * @child: the child's side
 *
 * Both sides return 0 or -errno; on an error they have said what failed
 * (bench_run_error()), unless the run was stopped.
 */
struct bench_test {
	const char *name;
	const char *desc;
	const char *unit;
	unsigned long default_count;
	bool latency;
	bool batched;
	enum bench_dir fault_dir;
	int (*parent)(struct bench_run *run);
	int (*child)(struct bench_run *run);
};

extern const struct bench_test *const bench_tests[];
extern const size_t bench_nr_tests;
const struct bench_test *bench_find_test(const char *name);

enum bench_status {
	BENCH_OK,
	BENCH_SKIPPED,		/* mechanism unavailable, size not supported */
	BENCH_FAILED,
};

/* Latency percentiles, in ns, of the measured round trips. */
struct bench_latency {
	uint64_t min, p50, p90, p99, p999, max, mean;
};

/* CPU time, in ns, of the measured part of the run. */
struct bench_cpu {
	uint64_t user, sys;
};

/**
 * struct bench_result - what one run measured
 * @test, @mech, @size: which run
 * @batch: messages per call actually used (1 without batched forms)
 * @status: ok, skipped or failed; @note says why for the last two
 * @count, @warmup: operations measured, and before them not measured
 * @wall_ns: the measured part's duration, on the parent's clock
 * @cpu: of the parent ([BENCH_PARENT]) and of the child
 * @lat: pingpong's round trips
 */
struct bench_result {
	const struct bench_test *test;
	const struct bench_mech *mech;
	size_t size;
	unsigned int batch;
	enum bench_status status;
	char note[256];
	unsigned long count, warmup;
	uint64_t wall_ns;
	struct bench_cpu cpu[2];
	struct bench_latency lat;
};

/**
 * struct bench_run - the state of one run, in both processes
 * @ch: the mechanism's channels
 * @res: the result the parent fills in
 * @opts: the command line
 * @ctl: this process's end of the control pipe each way (-1: none)
 * @sbuf: what this process sends from: size * batch bytes
 * @rbuf: what it receives into, as large
 * @fault_at: the message that --fault breaks
 * @child_cpu: the child's CPU time in the measured part, set by its side
 * @msg: what failed first in this process, for the report
 */
struct bench_run {
	struct bench_chan ch;
	struct bench_result *res;
	const struct bench_opts *opts;
	int ctl[BENCH_NR_DIRS];
	void *sbuf, *rbuf;
	unsigned long fault_at;
	struct bench_cpu child_cpu;
	char msg[200];
};

/* run.c */
void bench_signals_init(void);
bool bench_interrupted(void);
void bench_run(const struct bench_opts *opts, struct bench_result *res);

/*
 * Record what failed (only the first failure counts) and return err, a
 * negative errno. Its text follows WHAT, unless err is -EBADMSG: then
 * WHAT says it all.
 */
int bench_run_fail(struct bench_run *run, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* bench_run_fail() for an error of a mechanism's call OP */
int bench_mech_fail(struct bench_run *run, int err, const char *op);

/*
 * After the warm-up: the parent settles the measured count (--duration:
 * from the warm-up's pace, bench_count_for()) and lets the child go on
 * with it; the child waits for it. Both set run->res->count and
 * run->fault_at.
 */
int bench_barrier_go(struct bench_run *run, unsigned long count);
int bench_barrier_wait(struct bench_run *run);

/*
 * The measured count: --count or the test's default, or with --duration
 * as many operations as fit in it at the pace of @ops operations in
 * @ns, at most @max and at least 1.
 */
unsigned long bench_count_for(const struct bench_run *run, unsigned long ops,
			      uint64_t ns, unsigned long max);

/* Keep this process on one CPU: 0 or -errno */
int bench_pin(int cpu);

uint64_t bench_now_ns(void);
/* This process's CPU time so far */
void bench_cpu_now(struct bench_cpu *cpu);
void bench_cpu_since(struct bench_cpu *cpu, const struct bench_cpu *start);

/* The child stops for good here (--fault stall): the timeout must end it. */
void bench_stall(void) __attribute__((noreturn));

/* report.c */
struct bench_report {
	const struct bench_opts *opts;
	const struct bench_result *res;
	size_t nr_res;
	const struct bench_mech *baseline;
	const char *system;	/* kernel, machine, CPUs */
	uint64_t clock_ns;	/* cost of one clock_gettime() */
};

void bench_latency(struct bench_latency *lat, uint64_t *samples, size_t n);

/* The figures of a run, in every format (report.c says what each is) */
enum figure {
	FIG_COUNT, FIG_WARMUP, FIG_WALL_NS, FIG_OPS_PER_S, FIG_MB_PER_S,
	FIG_LAT_MIN, FIG_LAT_P50, FIG_LAT_P90, FIG_LAT_P99, FIG_LAT_P999,
	FIG_LAT_MAX, FIG_LAT_MEAN,
	FIG_CPU_PARENT_USER, FIG_CPU_PARENT_SYS, FIG_CPU_CHILD_USER,
	FIG_CPU_CHILD_SYS, FIG_CPU_PER_OP, FIG_CPU_PERCENT, FIG_VS_BASELINE,
	NR_FIGURES
};

/* Those of a run that went well; NAN where one does not apply */
void bench_figures(const struct bench_report *rep,
		   const struct bench_result *r, double v[NR_FIGURES]);
void bench_print_table(FILE *out, const struct bench_report *rep);
void bench_print_csv(FILE *out, const struct bench_report *rep);
void bench_print_json(FILE *out, const struct bench_report *rep);
void bench_json_string(FILE *out, const char *s);
void bench_csv_string(FILE *out, const char *s);

/* plot.c: the report, its data and charts in @dir: 0, or -1 said why */
int bench_plot(const char *dir, const struct bench_report *rep);

#endif /* _KIPC_BENCH_RUN_H */
