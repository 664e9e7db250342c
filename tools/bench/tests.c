// SPDX-License-Identifier: GPL-2.0-only
/*
 * The measurements, each a parent side and a child side over one run's
 * channels (run.c does the rest). Every message is filled and checked
 * (payload.c); the first one that is wrong fails the run.
 *
 * CPU time is taken by each process around its own measured part, not
 * from wait4() over the child's whole life, so that set-up and warm-up do
 * not count.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

static const char *const dir_name[] = {
	[BENCH_TO_CHILD] = "parent to child",
	[BENCH_TO_PARENT] = "child to parent",
};

static void fill(struct bench_run *run, void *buf, enum bench_dir dir,
		 unsigned long seq)
{
	bool fault = seq == run->fault_at && dir == run->res->test->fault_dir;
	enum bench_fault kind = fault ? run->opts->fault : BENCH_FAULT_NONE;

	bench_fill(buf, run->ch.size, dir,
		   (uint32_t)seq + (kind == BENCH_FAULT_SKIP));
	if (kind == BENCH_FAULT_CORRUPT)
		bench_damage(buf, run->ch.size);
}

static int check(struct bench_run *run, const void *buf, size_t got,
		 enum bench_dir dir, unsigned long seq)
{
	char why[96];

	if (!bench_check(buf, got, run->ch.size, dir, (uint32_t)seq, why,
			 sizeof(why)))
		return 0;
	return bench_run_fail(run, -EBADMSG, "message %lu (%s): %s", seq,
			      dir_name[dir], why);
}

/* --fault stall: the child stops before message fault_at */
static void stall_at(const struct bench_run *run, unsigned long seq)
{
	if (run->opts->fault == BENCH_FAULT_STALL && seq == run->fault_at &&
	    run->ch.role == BENCH_CHILD)
		bench_stall();
}

/* Zero-copy: each message is filled in place, then committed. */
static int send_msgs_in_place(struct bench_run *run, enum bench_dir dir,
			      unsigned long seq, unsigned long end)
{
	const struct bench_mech *mech = run->ch.mech;
	void *p;
	int ret;

	for (; seq < end; seq++) {
		stall_at(run, seq);
		ret = mech->reserve(&run->ch, dir, run->ch.size, &p);
		if (ret)
			return bench_mech_fail(run, ret, "reserve");
		fill(run, p, dir, seq);
		ret = mech->commit(&run->ch, dir, run->ch.size);
		if (ret)
			return bench_mech_fail(run, ret, "commit");
	}
	return 0;
}

/* Zero-copy: each message is checked in place, then released. */
static int recv_msgs_in_place(struct bench_run *run, enum bench_dir dir,
			      unsigned long seq, unsigned long end)
{
	const struct bench_mech *mech = run->ch.mech;
	const void *p;
	int ret;

	for (; seq < end; seq++) {
		ret = mech->peek(&run->ch, dir, &p);
		if (ret < 0)
			return bench_mech_fail(run, ret, "peek");
		ret = check(run, p, ret, dir, seq);
		if (ret)
			return ret;
		ret = mech->release(&run->ch, dir);
		if (ret)
			return bench_mech_fail(run, ret, "release");
	}
	return 0;
}

/* Send messages [seq, end) on dir, ch.batch of them per call. */
static int send_msgs(struct bench_run *run, enum bench_dir dir,
		     unsigned long seq, unsigned long end)
{
	const struct bench_mech *mech = run->ch.mech;
	size_t size = run->ch.size;
	unsigned int i, n, done;
	int ret;

	if (mech->reserve && run->ch.batch == 1)
		return send_msgs_in_place(run, dir, seq, end);
	while (seq < end) {
		n = end - seq < run->ch.batch ? end - seq : run->ch.batch;
		for (i = 0; i < n; i++) {
			stall_at(run, seq + i);
			fill(run, (char *)run->sbuf + i * size, dir, seq + i);
		}
		for (done = 0; done < n; done += ret) {
			const char *p = (char *)run->sbuf + done * size;

			if (run->ch.batch == 1) {
				ret = mech->send(&run->ch, dir, p, size);
				if (!ret)
					ret = 1;
			} else {
				ret = mech->send_batch(&run->ch, dir, p, size,
						       n - done);
			}
			if (ret < 0)
				return bench_mech_fail(run, ret, "send");
			if (!ret || (unsigned int)ret > n - done)
				return bench_run_fail(run, -EPROTO,
						      "send_batch: %d of %u",
						      ret, n - done);
		}
		seq += n;
	}
	return 0;
}

/* Receive and check messages [seq, end) on dir, up to ch.batch per call. */
static int recv_msgs(struct bench_run *run, enum bench_dir dir,
		     unsigned long seq, unsigned long end)
{
	const struct bench_mech *mech = run->ch.mech;
	size_t size = run->ch.size;
	unsigned int i, n;
	int ret;

	if (mech->peek && run->ch.batch == 1)
		return recv_msgs_in_place(run, dir, seq, end);
	while (seq < end) {
		n = end - seq < run->ch.batch ? end - seq : run->ch.batch;
		if (run->ch.batch == 1) {
			ret = mech->recv(&run->ch, dir, run->rbuf, size);
			if (ret < 0)
				return bench_mech_fail(run, ret, "recv");
			ret = check(run, run->rbuf, ret, dir, seq);
			if (ret)
				return ret;
			seq++;
			continue;
		}
		ret = mech->recv_batch(&run->ch, dir, run->rbuf, size, n);
		if (ret < 0)
			return bench_mech_fail(run, ret, "recv");
		if (!ret || (unsigned int)ret > n)
			return bench_run_fail(run, -EPROTO,
					      "recv_batch: %d of %u", ret, n);
		n = ret;
		for (i = 0; i < n; i++) {
			ret = check(run, (char *)run->rbuf + i * size, size,
				    dir, seq + i);
			if (ret)
				return ret;
		}
		seq += n;
	}
	return 0;
}

/*
 * pingpong: the parent sends a request, the child answers it; each round
 * trip is timed on its own. The parent fills its request before starting
 * the clock and checks the answer after stopping it; the child fills its
 * answer before the request arrives and checks the request after
 * answering, so the clock sees the mechanism and little else. The
 * warm-up round trips come first, then a barrier that settles the count.
 */
static int round_trip(struct bench_run *run, unsigned long i, uint64_t *ns)
{
	const struct bench_mech *mech = run->ch.mech;
	uint64_t t0;
	int ret;

	fill(run, run->sbuf, BENCH_TO_CHILD, i);
	t0 = bench_now_ns();
	ret = mech->send(&run->ch, BENCH_TO_CHILD, run->sbuf, run->ch.size);
	if (ret)
		return bench_mech_fail(run, ret, "send");
	ret = mech->recv(&run->ch, BENCH_TO_PARENT, run->rbuf, run->ch.size);
	*ns = bench_now_ns() - t0;
	if (ret < 0)
		return bench_mech_fail(run, ret, "recv");
	return check(run, run->rbuf, ret, BENCH_TO_PARENT, i);
}

static int pingpong_parent(struct bench_run *run)
{
	struct bench_result *res = run->res;
	unsigned long i, count;
	struct bench_cpu cpu0;
	uint64_t *samples, ns, start;
	int ret = 0;

	start = bench_now_ns();
	for (i = 0; i < res->warmup; i++) {
		ret = round_trip(run, i, &ns);
		if (ret)
			return ret;
	}
	count = bench_count_for(run, res->warmup, bench_now_ns() - start,
				BENCH_MAX_SAMPLES);
	samples = malloc(count * sizeof(*samples));
	if (!samples)
		return bench_run_fail(run, -ENOMEM, "samples");
	ret = bench_barrier_go(run, count);
	bench_cpu_now(&cpu0);
	start = bench_now_ns();
	for (i = 0; !ret && i < count; i++)
		ret = round_trip(run, res->warmup + i, &samples[i]);
	if (!ret) {
		res->wall_ns = bench_now_ns() - start;
		bench_cpu_since(&res->cpu[BENCH_PARENT], &cpu0);
		bench_latency(&res->lat, samples, count);
	}
	free(samples);
	return ret;
}

static int answer(struct bench_run *run, unsigned long i)
{
	const struct bench_mech *mech = run->ch.mech;
	int got, ret;

	stall_at(run, i);
	fill(run, run->sbuf, BENCH_TO_PARENT, i);
	got = mech->recv(&run->ch, BENCH_TO_CHILD, run->rbuf, run->ch.size);
	if (got < 0)
		return bench_mech_fail(run, got, "recv");
	ret = mech->send(&run->ch, BENCH_TO_PARENT, run->sbuf, run->ch.size);
	if (ret)
		return bench_mech_fail(run, ret, "send");
	return check(run, run->rbuf, got, BENCH_TO_CHILD, i);
}

static int pingpong_child(struct bench_run *run)
{
	const struct bench_result *res = run->res;
	unsigned long i, end;
	struct bench_cpu cpu0;
	int ret = 0;

	for (i = 0; !ret && i < res->warmup; i++)
		ret = answer(run, i);
	if (!ret)
		ret = bench_barrier_wait(run);
	if (ret)
		return ret;
	bench_cpu_now(&cpu0);
	end = res->warmup + res->count;
	for (; !ret && i < end; i++)
		ret = answer(run, i);
	if (!ret)
		bench_cpu_since(&run->child_cpu, &cpu0);
	return ret;
}

/*
 * throughput: the child sends, the parent receives, as fast as the
 * mechanism lets them; in place where the mechanism can (a ring), so
 * that it is measured without copies it does not need. The warm-up
 * messages go first; the clock starts when the parent has them all and
 * lets the child go on with the count, so that nothing of the measured
 * count is already queued when it starts.
 */
static int throughput_parent(struct bench_run *run)
{
	struct bench_result *res = run->res;
	struct bench_cpu cpu0;
	unsigned long count;
	uint64_t start;
	int ret;

	start = bench_now_ns();
	ret = recv_msgs(run, BENCH_TO_PARENT, 0, res->warmup);
	if (ret)
		return ret;
	count = bench_count_for(run, res->warmup, bench_now_ns() - start,
				BENCH_MAX_COUNT);
	bench_cpu_now(&cpu0);
	start = bench_now_ns();
	ret = bench_barrier_go(run, count);
	if (!ret)
		ret = recv_msgs(run, BENCH_TO_PARENT, res->warmup,
				res->warmup + count);
	if (ret)
		return ret;
	res->wall_ns = bench_now_ns() - start;
	bench_cpu_since(&res->cpu[BENCH_PARENT], &cpu0);
	return 0;
}

static int throughput_child(struct bench_run *run)
{
	const struct bench_result *res = run->res;
	struct bench_cpu cpu0;
	int ret;

	ret = send_msgs(run, BENCH_TO_PARENT, 0, res->warmup);
	if (!ret)
		ret = bench_barrier_wait(run);
	if (ret)
		return ret;
	bench_cpu_now(&cpu0);
	ret = send_msgs(run, BENCH_TO_PARENT, res->warmup,
			res->warmup + res->count);
	if (!ret)
		bench_cpu_since(&run->child_cpu, &cpu0);
	return ret;
}

static const struct bench_test pingpong = {
	.name = "pingpong",
	.desc = "round-trip latency",
	.unit = "round trip",
	.default_count = 2000,
	.latency = true,
	.fault_dir = BENCH_TO_CHILD,
	.parent = pingpong_parent,
	.child = pingpong_child,
};

static const struct bench_test throughput = {
	.name = "throughput",
	.desc = "one way, child to parent",
	.unit = "message",
	.default_count = 20000,
	.batched = true,
	.fault_dir = BENCH_TO_PARENT,
	.parent = throughput_parent,
	.child = throughput_child,
};

/* The order of runs and of the report. */
const struct bench_test *const bench_tests[] = {
	&pingpong,
	&throughput,
};

const size_t bench_nr_tests = ARRAY_SIZE(bench_tests);

const struct bench_test *bench_find_test(const char *name)
{
	for (size_t i = 0; i < bench_nr_tests; i++)
		if (!strcmp(bench_tests[i]->name, name))
			return bench_tests[i];
	return NULL;
}
