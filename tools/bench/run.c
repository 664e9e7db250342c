// SPDX-License-Identifier: GPL-2.0-only
/*
 * One run: set a mechanism up, fork, synchronise, let a test run on both
 * sides, reap the child, tear down; and make sure that a run that goes
 * wrong fails in bounded time, says why in one line, and leaves nothing
 * behind.
 *
 * Start and end go through two control pipes, never through sleeps:
 *
 *	parent                          child
 *	setup(), fork()                 attach(), report "ready"
 *	attach(), read "ready"
 *	test->parent()      <------>    test->child()
 *	read the child's report         report "done" (CPU time, error)
 *	close the control pipe  --->    read end-of-file, _exit()
 *	waitpid(), teardown()
 *
 * The child exits only when told, so a SIGCHLD during a run means it
 * failed. SIGCHLD, SIGALRM (--timeout), SIGINT and SIGTERM set bench_stop
 * through a handler installed without SA_RESTART, so that a send or recv
 * blocked in the parent returns EINTR. The signal can also land just
 * before the parent enters a blocking call, so the first one starts an
 * interval timer that interrupts the parent every 10 ms until the run is
 * wound up: stopping takes at most that long, whatever the mechanism.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

enum {
	STOP_CHILD = 1,		/* SIGCHLD: the child died */
	STOP_TIMEOUT,		/* SIGALRM: --timeout expired */
	STOP_INTERRUPT,		/* SIGINT, SIGTERM */
};

volatile sig_atomic_t bench_stop;
static volatile sig_atomic_t interrupted;

static const struct timeval tick = { .tv_usec = 10000 };

static void on_signal(int sig)
{
	const struct itimerval ticking = { .it_interval = tick, .it_value = tick };
	int saved_errno = errno;

	if (sig == SIGINT || sig == SIGTERM)
		interrupted = 1;
	if (!bench_stop) {
		bench_stop = sig == SIGCHLD ? STOP_CHILD :
			     sig == SIGALRM ? STOP_TIMEOUT : STOP_INTERRUPT;
		/* a plain system call on Linux, safe in a handler */
		setitimer(ITIMER_REAL, &ticking, NULL);
	}
	errno = saved_errno;
}

static const int stop_signals[] = { SIGCHLD, SIGALRM, SIGINT, SIGTERM };

void bench_signals_init(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/*
	 * No SA_RESTART: blocked calls must return EINTR. sigaction() and
	 * setitimer() cannot fail with these arguments.
	 */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_SIZE(stop_signals); i++)
		sigaction(stop_signals[i], &sa, NULL);
	/* a peer that is gone is an EPIPE to report, not a silent death */
	signal(SIGPIPE, SIG_IGN);
}

bool bench_interrupted(void)
{
	return interrupted;
}

static void timer_set(unsigned int seconds)
{
	/* after the timeout, keep ticking; see the comment at the top */
	struct itimerval t = {
		.it_interval = seconds ? tick : (struct timeval){ 0 },
		.it_value = { .tv_sec = seconds },
	};

	setitimer(ITIMER_REAL, &t, NULL);
}

int bench_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	/* cannot fail: the clock exists and &ts is valid */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint64_t tv_ns(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000000 + (uint64_t)tv.tv_usec * 1000;
}

void bench_cpu_now(struct bench_cpu *cpu)
{
	struct rusage ru;

	/* cannot fail for RUSAGE_SELF and a valid pointer */
	getrusage(RUSAGE_SELF, &ru);
	cpu->user = tv_ns(ru.ru_utime);
	cpu->sys = tv_ns(ru.ru_stime);
}

void bench_cpu_since(struct bench_cpu *cpu, const struct bench_cpu *start)
{
	bench_cpu_now(cpu);
	cpu->user -= start->user;
	cpu->sys -= start->sys;
}

void bench_stall(void)
{
	for (;;)
		pause();
}

int bench_fail(struct bench_chan *ch, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ch->what, sizeof(ch->what), fmt, ap);
	va_end(ap);
	return -err;
}

int bench_run_fail(struct bench_run *run, int err, const char *fmt, ...)
{
	/* stopped: the reason is reported, not the EINTR it caused */
	bool errno_text = err != -EBADMSG && !(err == -EINTR && bench_stop);
	size_t n;
	va_list ap;

	if (run->msg[0])
		return err;
	n = snprintf(run->msg, sizeof(run->msg), "%s",
		     run->ch.role == BENCH_CHILD ? "child: " : "");
	va_start(ap, fmt);
	n += vsnprintf(run->msg + n, sizeof(run->msg) - n, fmt, ap);
	va_end(ap);
	if (errno_text && n < sizeof(run->msg))
		snprintf(run->msg + n, sizeof(run->msg) - n, ": %s",
			 strerror(-err));
	return err;
}

int bench_mech_fail(struct bench_run *run, int err, const char *op)
{
	/* the mechanism's own words when it gave some */
	err = bench_run_fail(run, err, "%s", run->ch.what[0] ? run->ch.what : op);
	run->ch.what[0] = '\0';
	return err;
}

/* ---- the control pipes ---- */

/*
 * What the child tells the parent: that it is ready, then how its side
 * went. One write each, so atomic (at most PIPE_BUF bytes).
 */
enum { CTL_READY = 'R', CTL_DONE = 'D' };

struct ctl_report {
	int32_t type;
	int32_t err;		/* CTL_DONE: 0, or the child's -errno */
	struct bench_cpu cpu;	/* CTL_DONE: the child's measured CPU time */
	char msg[200];		/* CTL_DONE: what failed */
};

_Static_assert(sizeof(struct ctl_report) <= 512, "one atomic pipe write");

static int ctl_fd(const struct bench_run *run, bool sending)
{
	bool to_child = (run->ch.role == BENCH_PARENT) == sending;

	return run->ctl[to_child ? BENCH_TO_CHILD : BENCH_TO_PARENT];
}

static int ctl_write(struct bench_run *run, const void *buf, size_t len)
{
	ssize_t n;

	do {
		n = write(ctl_fd(run, true), buf, len);
	} while (n < 0 && bench_again(errno));
	if (n < 0)
		return bench_run_fail(run, -errno, "control pipe: write");
	return 0;
}

/* Read len bytes: 0, or -EPIPE at end-of-file, or -errno. */
static int ctl_read(struct bench_run *run, void *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = read(ctl_fd(run, false), (char *)buf + done, len - done);
		if (n < 0 && bench_again(errno))
			continue;
		if (n < 0)
			return bench_run_fail(run, -errno, "control pipe: read");
		if (n == 0)
			return bench_run_fail(run, -EPIPE,
					      "control pipe: end of file");
		done += n;
	}
	return 0;
}

/* The barrier's message: 'G' and the measured count */
struct ctl_go {
	char type;
	uint64_t count;
};

static void set_count(struct bench_run *run, unsigned long count)
{
	run->res->count = count;
	run->fault_at = run->res->warmup + count / 2;
}

int bench_barrier_go(struct bench_run *run, unsigned long count)
{
	struct ctl_go go = { .type = 'G', .count = count };

	set_count(run, count);
	return ctl_write(run, &go, sizeof(go));
}

int bench_barrier_wait(struct bench_run *run)
{
	struct ctl_go go;
	int err = ctl_read(run, &go, sizeof(go));

	if (err)
		return err;
	if (go.type != 'G' || !go.count)
		return bench_run_fail(run, -EPROTO, "control pipe: got '%c'",
				      go.type);
	set_count(run, go.count);
	return 0;
}

unsigned long bench_count_for(const struct bench_run *run, unsigned long ops,
			      uint64_t ns, unsigned long max)
{
	uint64_t want = run->opts->duration_ns;
	double n;

	if (!want)
		return run->res->count;
	/* a warm-up too quick for the clock: assume the fastest pace */
	n = (double)want * ops / (ns ? ns : 1);
	return n < 1 ? 1 : n > max ? max : (unsigned long)n;
}

static void __attribute__((noreturn)) child_main(struct bench_run *run,
						 pid_t parent)
{
	struct ctl_report rep = { .type = CTL_READY };
	int err = 0;
	char c;

	for (size_t i = 0; i < ARRAY_SIZE(stop_signals); i++)
		signal(stop_signals[i], SIG_DFL);
	/* never outlive the parent, even a SIGKILLed one */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(EXIT_FAILED);

	run->ch.role = BENCH_CHILD;
	if (run->opts->cpu[BENCH_CHILD] >= 0) {
		err = bench_pin(run->opts->cpu[BENCH_CHILD]);
		if (err)
			bench_run_fail(run, err, "sched_setaffinity CPU %d",
				       run->opts->cpu[BENCH_CHILD]);
	}
	if (!err && run->ch.mech->attach) {
		err = run->ch.mech->attach(&run->ch);
		if (err)
			bench_mech_fail(run, err, "attach");
	}
	if (!err)
		err = ctl_write(run, &rep, sizeof(rep));
	if (!err)
		err = run->res->test->child(run);

	rep.type = CTL_DONE;
	rep.err = err;
	rep.cpu = run->child_cpu;
	snprintf(rep.msg, sizeof(rep.msg), "%s", run->msg);
	if (ctl_write(run, &rep, sizeof(rep)) || err)
		_exit(EXIT_FAILED);
	/* exit only when told: see the comment at the top */
	while (read(ctl_fd(run, false), &c, 1) < 0 && errno == EINTR)
		;
	_exit(EXIT_OK);
}

/* The parent's side after the fork: 0, or -errno with run->msg set. */
static int parent_side(struct bench_run *run, struct ctl_report *rep,
		       bool *have_rep)
{
	int err;

	if (run->ch.mech->attach) {
		err = run->ch.mech->attach(&run->ch);
		if (err)
			return bench_mech_fail(run, err, "attach");
	}
	err = ctl_read(run, rep, sizeof(*rep));
	if (err)
		return err;
	if (rep->type == CTL_DONE) {
		/* the child failed before it was ready, and said why */
		*have_rep = true;
		return -ECHILD;
	}
	err = run->res->test->parent(run);
	if (err)
		return err;
	err = ctl_read(run, rep, sizeof(*rep));
	*have_rep = !err;
	return err;
}

static void report_line(const struct bench_result *res, const char *msg)
{
	fprintf(stderr, "kipc-bench: %s: %s %zu B: %s\n", res->mech->name,
		res->test->name, res->size, msg);
}

/*
 * End the child (killing it first if the parent's side failed: it would
 * wait for messages that never come), reap it, and judge the run: 0 if
 * all went well, else -1 with the one line that says why reported.
 */
static int wind_up(struct bench_run *run, pid_t pid, int err,
		   struct ctl_report *rep, bool have_rep)
{
	struct bench_result *res = run->res;
	char buf[sizeof(res->note)];
	const char *note = NULL;
	ssize_t n;
	int status;

	if (err)
		kill(pid, SIGKILL);
	close(run->ctl[BENCH_TO_CHILD]);
	run->ctl[BENCH_TO_CHILD] = -1;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			/* not for our own child; but say so if it happens */
			err = bench_run_fail(run, -errno, "waitpid");
			status = 0;
			break;
		}
		if (bench_stop == STOP_TIMEOUT || bench_stop == STOP_INTERRUPT)
			kill(pid, SIGKILL);
	}
	/* the child is gone: a report it wrote is in the pipe */
	if (!have_rep) {
		do {
			n = read(run->ctl[BENCH_TO_PARENT], rep, sizeof(*rep));
		} while (n < 0 && errno == EINTR);
		have_rep = n == sizeof(*rep) && rep->type == CTL_DONE;
	}

	if (bench_stop == STOP_TIMEOUT) {
		snprintf(buf, sizeof(buf), "timed out after %u s%s%s",
			 run->opts->timeout, run->msg[0] ? " in " : "",
			 run->msg);
		note = buf;
	} else if (bench_stop == STOP_INTERRUPT) {
		note = "interrupted";
	} else if (have_rep && rep->err) {
		/*
		 * The parent's error follows from the child's, unless it is
		 * a message the parent found wrong.
		 */
		if (err == -EBADMSG)
			report_line(res, run->msg);
		note = rep->msg;
	} else if (err == -EBADMSG) {	/* NOLINT(bugprone-branch-clone) */
		/* as the last branch, but ahead of the child's exit status */
		note = run->msg;
	} else if (WIFSIGNALED(status) && !(err && WTERMSIG(status) == SIGKILL)) {
		snprintf(buf, sizeof(buf), "child killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
		note = buf;
	} else if (WIFEXITED(status) && WEXITSTATUS(status)) {
		snprintf(buf, sizeof(buf), "child exited with status %d",
			 WEXITSTATUS(status));
		note = buf;
	} else if (err) {
		note = run->msg;
	}
	if (note) {
		snprintf(res->note, sizeof(res->note), "%s", note);
		report_line(res, res->note);
		return -1;
	}
	res->cpu[BENCH_CHILD] = rep->cpu;
	return 0;
}

static void *alloc_buf(size_t len)
{
	void *p;

	/*
	 * Cache-line aligned, and touched now rather than by the first
	 * measured message.
	 */
	if (posix_memalign(&p, 64, len))
		return NULL;
	memset(p, 0, len);
	return p;
}

/* A run that failed before the fork */
static void early_failure(struct bench_run *run, int err, const char *what)
{
	bench_mech_fail(run, err, what);
	snprintf(run->res->note, sizeof(run->res->note), "%s", run->msg);
	report_line(run->res, run->msg);
	run->res->status = BENCH_FAILED;
}

/*
 * A baseline measured in this process: no child, no channel. A count that
 * takes less than LOCAL_MIN_NS is repeated until the total does, and the
 * figures are those of one repetition: CPU time is counted in ticks.
 */
#define LOCAL_MIN_NS 200000000ull

static void run_local(struct bench_run *run)
{
	struct bench_result *res = run->res;
	uint64_t ns, total = 0, reps = 0;
	struct bench_cpu cpu0, *cpu = &res->cpu[BENCH_PARENT];
	int err;

	err = res->mech->local(&run->ch, res->warmup, &ns);
	res->count = bench_count_for(run, res->warmup, ns, BENCH_MAX_COUNT);
	bench_cpu_now(&cpu0);
	while (!err && total < LOCAL_MIN_NS) {
		err = res->mech->local(&run->ch, res->count, &ns);
		total += ns;
		reps++;
	}
	if (err) {
		early_failure(run, err, "run");
		return;
	}
	bench_cpu_since(cpu, &cpu0);
	cpu->user /= reps;
	cpu->sys /= reps;
	res->wall_ns = total / reps;
	res->status = BENCH_OK;
}

void bench_run(const struct bench_opts *opts, struct bench_result *res)
{
	struct bench_run run = {
		.res = res,
		.opts = opts,
		.ctl = { -1, -1 },
		.ch = {
			.mech = res->mech,
			.opts = opts,
			.size = res->size,
			.batch = res->batch,
			.role = BENCH_PARENT,
		},
	};
	struct ctl_report rep = { 0 };
	size_t buflen = res->size * res->batch;
	pid_t parent = getpid(), pid;
	int p2c[2], c2p[2], err;
	bool have_rep = false;

	run.fault_at = res->warmup + res->count / 2;
	bench_stop = 0;
	run.sbuf = alloc_buf(buflen);
	run.rbuf = alloc_buf(buflen);
	if (!run.sbuf || !run.rbuf) {
		early_failure(&run, -ENOMEM, "buffers");
		goto out_free;
	}
	if (res->mech->local) {
		run_local(&run);
		goto out_free;
	}
	err = res->mech->setup(&run.ch);
	if (err) {
		early_failure(&run, err, "setup");
		goto out_free;
	}
	if (pipe2(p2c, O_CLOEXEC)) {
		early_failure(&run, -errno, "control pipe");
		goto out_teardown;
	}
	if (pipe2(c2p, O_CLOEXEC)) {
		early_failure(&run, -errno, "control pipe");
		goto out_p2c;
	}

	timer_set(opts->timeout);
	/* nothing buffered may be written twice */
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		early_failure(&run, -errno, "fork");
		goto out_c2p;
	}
	if (pid == 0) {
		close(p2c[1]);
		close(c2p[0]);
		run.ctl[BENCH_TO_CHILD] = p2c[0];
		run.ctl[BENCH_TO_PARENT] = c2p[1];
		child_main(&run, parent);
	}
	close(p2c[0]);
	close(c2p[1]);
	run.ctl[BENCH_TO_CHILD] = p2c[1];
	run.ctl[BENCH_TO_PARENT] = c2p[0];

	err = parent_side(&run, &rep, &have_rep);
	res->status = wind_up(&run, pid, err, &rep, have_rep) ?
		      BENCH_FAILED : BENCH_OK;
	close(run.ctl[BENCH_TO_PARENT]);
	goto out_teardown;

out_c2p:
	close(c2p[0]);
	close(c2p[1]);
out_p2c:
	close(p2c[0]);
	close(p2c[1]);
out_teardown:
	/* stop the ticking first: teardown must not be interrupted */
	timer_set(0);
	res->mech->teardown(&run.ch);
out_free:
	timer_set(0);
	bench_stop = 0;
	free(run.sbuf);
	free(run.rbuf);
}
