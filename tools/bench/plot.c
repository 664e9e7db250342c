// SPDX-License-Identifier: GPL-2.0-only
/*
 * --plot DIR: the report in every format and its charts, in one directory.
 *
 *	table.txt, results.csv, results.json	the report, as printed
 *	latency.dat, throughput.dat		the charts' data, for gnuplot
 *	plot.gp					the script that draws them
 *	latency-SIZE.png	round trips by mechanism: p50, p90, p99, p99.9
 *	latency.png		p50 and p99 round trip against size
 *	throughput.png		messages/s against size, log axes
 *	bandwidth.png		MB/s against size, log axes
 *	cpu.png			CPU time per message against size, log axes
 *
 * The data and the script are written first and are the lasting result:
 * gnuplot is run on them if it is installed, and where it is not (the
 * test VM has no gnuplot) they can be drawn later, elsewhere, with
 * "gnuplot plot.gp" in the directory; "gnuplot -e 'fmt=\"svg\"' plot.gp"
 * draws SVG instead of PNG. A chart with no data (throughput charts when
 * only round trips ran) is not drawn, and gnuplot says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"

/* What gnuplot's exec failure exits with: no gnuplot here */
#define NO_GNUPLOT 127

/* One line of a chart: a mechanism, and a batch size in throughput */
struct series {
	const struct bench_mech *mech;
	unsigned int batch;
};

struct plot {
	const char *dir;
	int dirfd;
	const struct bench_report *rep;
	const struct bench_test *pingpong, *throughput;
	size_t sizes[BENCH_MAX_SIZES];	/* of pingpong results, ascending */
	size_t nr_sizes;
	size_t all_sizes[BENCH_MAX_SIZES];	/* of every result: the x tics */
	size_t nr_all_sizes;
	struct series lines[BENCH_MAX_MECHS * BENCH_MAX_SIZES];
	size_t nr_lines;		/* of throughput results */
	size_t nr_lat_lines;		/* mechanisms with round trips */
	const struct bench_mech *lat_mechs[BENCH_MAX_MECHS];
	const struct bench_result **rs;	/* room for every result */
};

static bool ok_in(const struct bench_result *r, const struct bench_test *t)
{
	return r->status == BENCH_OK && r->test == t;
}

static FILE *create(struct plot *p, const char *name)
{
	int fd = openat(p->dirfd, name, O_WRONLY | O_CREAT | O_TRUNC |
			O_CLOEXEC, 0666);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");

	if (!f) {
		fprintf(stderr, "kipc-bench: %s/%s: %s\n", p->dir, name,
			strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}

static int finish(struct plot *p, FILE *f, const char *name)
{
	bool bad = ferror(f);

	if (fclose(f) || bad) {
		fprintf(stderr, "kipc-bench: %s/%s: %s\n", p->dir, name,
			strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

/* A string in gnuplot's double quotes */
static void gp_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* The sizes, mechanisms and lines there are data for */
static void survey(struct plot *p)
{
	const struct bench_report *rep = p->rep;

	p->pingpong = bench_find_test("pingpong");
	p->throughput = bench_find_test("throughput");
	for (size_t i = 0; i < rep->nr_res; i++) {
		const struct bench_result *r = &rep->res[i];
		size_t j;

		for (j = 0; j < p->nr_all_sizes && p->all_sizes[j] != r->size;
		     j++)
			;
		if (j == p->nr_all_sizes && j < BENCH_MAX_SIZES)
			p->all_sizes[p->nr_all_sizes++] = r->size;
		if (ok_in(r, p->pingpong)) {
			for (j = 0; j < p->nr_sizes && p->sizes[j] != r->size; j++)
				;
			if (j == p->nr_sizes && j < BENCH_MAX_SIZES)
				p->sizes[p->nr_sizes++] = r->size;
			for (j = 0; j < p->nr_lat_lines &&
			     p->lat_mechs[j] != r->mech; j++)
				;
			if (j == p->nr_lat_lines)
				p->lat_mechs[p->nr_lat_lines++] = r->mech;
		}
		if (ok_in(r, p->throughput)) {
			for (j = 0; j < p->nr_lines; j++)
				if (p->lines[j].mech == r->mech &&
				    p->lines[j].batch == r->batch)
					break;
			if (j == p->nr_lines && j < ARRAY_SIZE(p->lines))
				p->lines[p->nr_lines++] = (struct series){
					r->mech, r->batch };
		}
	}
	qsort(p->sizes, p->nr_sizes, sizeof(p->sizes[0]), cmp_size);
}

/*
 * The results of test @t matching @pick, in ascending size: gnuplot
 * draws lines in the order of the data.
 */
static size_t collect(const struct plot *p, const struct bench_test *t,
		      bool (*pick)(const struct bench_result *r,
				   const void *arg),
		      const void *arg)
{
	const struct bench_result **out = p->rs;
	size_t n = 0;

	for (size_t i = 0; i < p->rep->nr_res; i++)
		if (ok_in(&p->rep->res[i], t) && pick(&p->rep->res[i], arg))
			out[n++] = &p->rep->res[i];
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j && out[j - 1]->size > out[j]->size; j--) {
			const struct bench_result *tmp = out[j];

			out[j] = out[j - 1];
			out[j - 1] = tmp;
		}
	return n;
}

static bool same_mech(const struct bench_result *r, const void *arg)
{
	return r->mech == arg;
}

static bool same_size(const struct bench_result *r, const void *arg)
{
	return r->size == *(const size_t *)arg;
}

static bool same_line(const struct bench_result *r, const void *arg)
{
	const struct series *s = arg;

	return r->mech == s->mech && r->batch == s->batch;
}

/*
 * latency.dat: a block per size (mechanism p50 p90 p99 p99.9 in us),
 * then a block per mechanism (size p50 p99); blocks are gnuplot's
 * "index", two blank lines apart.
 */
static void write_latency(const struct plot *p, FILE *f)
{
	const struct bench_result **rs = p->rs;
	double v[NR_FIGURES];
	size_t n;

	fprintf(f, "# kipc-bench round trips, us; blocks: one per size "
		"(mechanism p50 p90 p99 p99.9),\n# then one per mechanism "
		"(size p50 p99)\n");
	for (size_t i = 0; i < p->nr_sizes; i++) {
		n = collect(p, p->pingpong, same_size, &p->sizes[i]);
		fprintf(f, "# %zu B\n", p->sizes[i]);
		for (size_t j = 0; j < n; j++) {
			bench_figures(p->rep, rs[j], v);
			gp_string(f, rs[j]->mech->name);
			fprintf(f, " %.3f %.3f %.3f %.3f\n", v[FIG_LAT_P50] / 1e3,
				v[FIG_LAT_P90] / 1e3, v[FIG_LAT_P99] / 1e3,
				v[FIG_LAT_P999] / 1e3);
		}
		fprintf(f, "\n\n");
	}
	for (size_t i = 0; i < p->nr_lat_lines; i++) {
		n = collect(p, p->pingpong, same_mech, p->lat_mechs[i]);
		fprintf(f, "# %s\n", p->lat_mechs[i]->name);
		for (size_t j = 0; j < n; j++) {
			bench_figures(p->rep, rs[j], v);
			fprintf(f, "%zu %.3f %.3f\n", rs[j]->size,
				v[FIG_LAT_P50] / 1e3, v[FIG_LAT_P99] / 1e3);
		}
		fprintf(f, "\n\n");
	}
}

/* throughput.dat: a block per line (size msgs/s MB/s cpu-us/msg) */
static void write_throughput(const struct plot *p, FILE *f)
{
	const struct bench_result **rs = p->rs;
	double v[NR_FIGURES];
	size_t n;

	fprintf(f, "# kipc-bench one-way throughput; blocks: one per "
		"mechanism and batch\n# (size msgs/s MB/s cpu-us-per-msg)\n");
	for (size_t i = 0; i < p->nr_lines; i++) {
		n = collect(p, p->throughput, same_line, &p->lines[i]);
		fprintf(f, "# %s, batch %u\n", p->lines[i].mech->name,
			p->lines[i].batch);
		for (size_t j = 0; j < n; j++) {
			bench_figures(p->rep, rs[j], v);
			fprintf(f, "%zu %.1f %.3f %.4f\n", rs[j]->size,
				v[FIG_OPS_PER_S], v[FIG_MB_PER_S],
				v[FIG_CPU_PER_OP] / 1e3);
		}
		fprintf(f, "\n\n");
	}
}

static void line_title(FILE *f, const struct series *s)
{
	char buf[64];

	if (s->batch > 1)
		snprintf(buf, sizeof(buf), "%s, batch %u", s->mech->name,
			 s->batch);
	else
		snprintf(buf, sizeof(buf), "%s", s->mech->name);
	gp_string(f, buf);
}

/* "set xtics" at the sizes measured, labelled 8, 64, 1K, 1M */
static void size_tics(const struct plot *p, FILE *f)
{
	fprintf(f, "set xtics nomirror rotate by -40 (");
	for (size_t i = 0; i < p->nr_all_sizes; i++) {
		size_t sz = p->all_sizes[i];

		if (sz >= 1 << 20 && !(sz % (1 << 20)))
			fprintf(f, "\"%zuM\" %zu", sz >> 20, sz);
		else if (sz >= 1 << 10 && !(sz % (1 << 10)))
			fprintf(f, "\"%zuK\" %zu", sz >> 10, sz);
		else
			fprintf(f, "\"%zu\" %zu", sz, sz);
		fprintf(f, "%s", i + 1 < p->nr_all_sizes ? ", " : ")\n");
	}
	if (!p->nr_all_sizes)
		fprintf(f, ")\n");
	/* one size: an x range of its own, or gnuplot warns that it is empty */
	if (p->nr_all_sizes == 1)
		fprintf(f, "set xrange [%zu:%zu]\n", p->all_sizes[0] / 2,
			p->all_sizes[0] * 2);
}

/* A chart of the throughput lines, column @col of throughput.dat */
static void plot_lines(const struct plot *p, FILE *f, const char *name,
		       const char *title, const char *ylabel, int col)
{
	if (!p->nr_lines) {
		fprintf(f, "\nprint \"%s: no throughput results, not "
			"drawn\"\n", name);
		return;
	}
	fprintf(f, "\nset output \"%s.\".fmt\nset title \"%s\\n\".system\n"
		"set ylabel \"%s\"\nplot \\\n", name, title, ylabel);
	for (size_t i = 0; i < p->nr_lines; i++) {
		fprintf(f, "  \"throughput.dat\" index %zu using 1:%d with "
			"linespoints lt %zu pt %zu dt %zu title ", i, col,
			i % 8 + 1, i % 13 + 1, i / 8 + 1);
		line_title(f, &p->lines[i]);
		fprintf(f, "%s\n", i + 1 < p->nr_lines ? ", \\" : "");
	}
}

static void write_script(const struct plot *p, FILE *f)
{
	fprintf(f, "# kipc-bench's charts: gnuplot plot.gp (PNG), or\n"
		"# gnuplot -e 'fmt=\"svg\"' plot.gp (SVG)\n"
		"if (!exists(\"fmt\")) fmt = \"png\"\n"
		"if (fmt eq \"svg\") {\n"
		"  set terminal svg size 1100,600 dynamic font \"sans,11\" "
		"background \"white\"\n"
		"} else {\n"
		"  set terminal pngcairo size 1100,600 font \"sans,10\"\n"
		"}\n"
		"set termoption noenhanced\n"
		"system = ");
	gp_string(f, p->rep->system);
	fprintf(f, "\nset grid\nset key outside right top\n");

	/* round trips by mechanism, a chart per size */
	fprintf(f, "\nset style data histograms\n"
		"set style histogram clustered gap 1\n"
		"set style fill solid 0.8 border -1\n"
		"set logscale y\nset yrange [0.1:*]\n"
		"set xtics rotate by -40 nomirror\n"
		"set ylabel \"round trip, us (log scale)\"\n");
	for (size_t i = 0; i < p->nr_sizes; i++) {
		fprintf(f, "\nset output \"latency-%zu.\".fmt\n"
			"set title \"Ping-pong round trip, %zu-byte messages"
			"\\n\".system\n"
			"plot \"latency.dat\" index %zu using 2:xtic(1) title "
			"\"p50\", \\\n  \"\" index %zu using 3 title \"p90\", "
			"\\\n  \"\" index %zu using 4 title \"p99\", \\\n"
			"  \"\" index %zu using 5 title \"p99.9\"\n",
			p->sizes[i], p->sizes[i], i, i, i, i);
	}

	/* against size: log axes */
	fprintf(f, "\nset style data linespoints\nunset xtics\n");
	size_tics(p, f);
	fprintf(f, "set autoscale y\nset logscale xy\n"
		"set format y \"%%.0s%%c\"\nset offsets graph 0.03, "
		"graph 0.03, 0, 0\n"
		"set xlabel \"message size, bytes (log scale)\"\n");
	if (!p->nr_lat_lines) {
		fprintf(f, "\nprint \"latency: no round-trip results, not "
			"drawn\"\n");
	} else {
		fprintf(f, "\nset output \"latency.\".fmt\n"
			"set title \"Ping-pong round trip against message "
			"size (p50 solid, p99 dashed)\\n\".system\n"
			"set ylabel \"round trip, us (log scale)\"\nplot \\\n");
		for (size_t i = 0; i < p->nr_lat_lines; i++) {
			size_t idx = p->nr_sizes + i;

			fprintf(f, "  \"latency.dat\" index %zu using 1:2 with "
				"linespoints lt %zu pt %zu title ", idx,
				i % 8 + 1, i % 13 + 1);
			gp_string(f, p->lat_mechs[i]->name);
			fprintf(f, ", \\\n  \"\" index %zu using 1:3 with lines "
				"lt %zu dt 2 notitle%s\n", idx, i % 8 + 1,
				i + 1 < p->nr_lat_lines ? ", \\" : "");
		}
	}
	plot_lines(p, f, "throughput", "One-way throughput, messages per "
		   "second", "messages/s (log scale)", 2);
	plot_lines(p, f, "bandwidth", "One-way throughput, megabytes per "
		   "second", "MB/s, 10^6 bytes (log scale)", 3);
	plot_lines(p, f, "cpu", "CPU time per message, both processes "
		   "(user + system)", "us per message (log scale)", 4);
}

/* Run gnuplot plot.gp in the directory: 0, 1 no gnuplot, or -1 */
static int run_gnuplot(const struct plot *p)
{
	int status;
	pid_t pid;

	/* run.c's handler would take gnuplot's end for a run's failure */
	signal(SIGCHLD, SIG_DFL);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "kipc-bench: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (fchdir(p->dirfd))
			_exit(EXIT_FAILED);
		execlp("gnuplot", "gnuplot", "plot.gp", (char *)NULL);
		_exit(errno == ENOENT ? NO_GNUPLOT : EXIT_FAILED);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "kipc-bench: waitpid: %s\n",
				strerror(errno));
			return -1;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == NO_GNUPLOT)
		return 1;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "kipc-bench: gnuplot failed on %s/plot.gp\n",
			p->dir);
		return -1;
	}
	return 0;
}

static void write_table(const struct plot *p, FILE *f)
{
	bench_print_table(f, p->rep);
}

static void write_csv(const struct plot *p, FILE *f)
{
	bench_print_csv(f, p->rep);
}

static void write_json(const struct plot *p, FILE *f)
{
	bench_print_json(f, p->rep);
}

/* The files, in the order they are written: the script last */
static const struct {
	const char *name;
	void (*write)(const struct plot *p, FILE *f);
} files[] = {
	{ "table.txt", write_table },
	{ "results.csv", write_csv },
	{ "results.json", write_json },
	{ "latency.dat", write_latency },
	{ "throughput.dat", write_throughput },
	{ "plot.gp", write_script },
};

int bench_plot(const char *dir, const struct bench_report *rep)
{
	struct plot *p = calloc(1, sizeof(*p));
	int err = -1;
	FILE *f;

	if (!p) {
		fprintf(stderr, "kipc-bench: --plot: %s\n", strerror(ENOMEM));
		return -1;
	}
	p->dir = dir;
	p->rep = rep;
	/* an array of pointers: NOLINTNEXTLINE(bugprone-sizeof-expression) */
	p->rs = calloc(rep->nr_res + 1, sizeof(*p->rs));
	if (!p->rs) {
		fprintf(stderr, "kipc-bench: --plot: %s\n", strerror(ENOMEM));
		goto out_free;
	}
	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "kipc-bench: %s: %s\n", dir, strerror(errno));
		goto out_free;
	}
	p->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->dirfd < 0) {
		fprintf(stderr, "kipc-bench: %s: %s\n", dir, strerror(errno));
		goto out_free;
	}
	survey(p);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		f = create(p, files[i].name);
		if (!f)
			goto out_close;
		files[i].write(p, f);
		if (finish(p, f, files[i].name))
			goto out_close;
	}

	err = run_gnuplot(p);
	if (err > 0) {
		fprintf(stderr, "kipc-bench: no gnuplot here: the data and "
			"plot.gp are in %s; 'gnuplot plot.gp' there draws the "
			"charts\n", dir);
		err = 0;
	}
out_close:
	close(p->dirfd);
out_free:
	free(p->rs);
	free(p);
	return err;
}
