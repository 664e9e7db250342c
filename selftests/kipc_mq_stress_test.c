// SPDX-License-Identifier: GPL-2.0
/* kipc_mq_stress_test: 4 producers, 4 consumers, 200,000 checksummed messages. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/kipc.h>

#include "kselftest_harness.h"

#define PRODUCERS	4
#define CONSUMERS	4
#define PRIOS		3

/* What each message carries; the rest of the payload is a pattern. */
struct payload {
	uint32_t producer;
	uint32_t seq;
	uint32_t len;
	uint32_t sum;
	unsigned char fill[48];
};

#define BUSY_SLOTS	4096

/*
 * Shared between the processes: one count per message ever received, and
 * where the busy victim receives to: the kernel copies each message there
 * before it takes it off the queue, so what a killed victim took is there.
 */
struct board {
	uint32_t total;
	uint32_t bad;
	uint32_t order;
	uint32_t busy_taken;
	struct payload busy[BUSY_SLOTS];
	unsigned char seen[];	/* PRODUCERS * per_producer */
};


static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint32_t checksum(const struct payload *p)
{
	/* seeded: an all-zero payload must not pass */
	uint32_t sum = 0x9e3779b9u ^ p->producer * 2654435761u ^ p->seq;

	for (uint32_t i = 0; i < p->len; i++)
		sum = sum * 31 + p->fill[i];
	return sum;
}

static bool payload_ok(const struct payload *p, uint32_t per_producer)
{
	return p->producer < PRODUCERS && p->seq < per_producer &&
	       p->len <= sizeof(p->fill) && p->sum == checksum(p);
}

static int open_queue(int ctl, uint32_t flags)
{
	struct kipc_mq_open o = {
		.size = sizeof(o), .flags = flags, .mode = 0600,
		.max_msgs = 8, .msg_size = sizeof(struct payload),
		.name = (uintptr_t)"/kipc-stress",
		.name_len = strlen("/kipc-stress"),
	};

	return ioctl(ctl, KIPC_IOC_MQ_OPEN, &o) ? -errno : o.fd;
}

static void produce(int fd, uint32_t id, uint32_t count)
{
	struct payload p;

	for (uint32_t seq = 0; seq < count; seq++) {
		struct kipc_mq_send s = {
			.size = sizeof(s), .buf = (uintptr_t)&p,
			.prio = seq % PRIOS, .type = id,
		};

		p.producer = id;
		p.seq = seq;
		p.len = (seq * 7 + id) % sizeof(p.fill);
		for (uint32_t i = 0; i < p.len; i++)
			p.fill[i] = (unsigned char)(seq + i * id);
		p.sum = checksum(&p);
		s.len = offsetof(struct payload, fill) + p.len;
		while (ioctl(fd, KIPC_IOC_MQ_SEND, &s))
			if (errno != EINTR)
				_exit(1);
	}
	_exit(0);
}

/* Receive until every message is accounted for; check each one. */
static void consume(int fd, struct board *b, uint32_t per_producer)
{
	uint32_t total = PRODUCERS * per_producer;
	/* per producer and priority, the last seq this consumer saw */
	int64_t last[PRODUCERS][PRIOS];
	struct payload p;

	for (int i = 0; i < PRODUCERS; i++)
		for (int j = 0; j < PRIOS; j++)
			last[i][j] = -1;

	while (__atomic_load_n(&b->total, __ATOMIC_SEQ_CST) < total) {
		struct kipc_mq_recv r = {
			.size = sizeof(r), .buf = (uintptr_t)&p, .len = sizeof(p),
			.flags = KIPC_MQ_DEADLINE,
			.deadline_ns = mono_ns() + 100000000,
		};

		/* block, but look up now and then: the others may be done */
		if (ioctl(fd, KIPC_IOC_MQ_RECV, &r)) {
			if (errno == ETIMEDOUT || errno == EINTR)
				continue;
			_exit(2);
		}
		if (!payload_ok(&p, per_producer) ||
		    r.len != offsetof(struct payload, fill) + p.len ||
		    r.type != p.producer || r.prio != p.seq % PRIOS) {
			__atomic_add_fetch(&b->bad, 1, __ATOMIC_SEQ_CST);
		} else {
			/* FIFO within a priority, per producer */
			if ((int64_t)p.seq <= last[p.producer][r.prio])
				__atomic_add_fetch(&b->order, 1, __ATOMIC_SEQ_CST);
			last[p.producer][r.prio] = p.seq;
			__atomic_add_fetch(&b->seen[p.producer * per_producer +
						    p.seq], 1, __ATOMIC_SEQ_CST);
		}
		__atomic_add_fetch(&b->total, 1, __ATOMIC_SEQ_CST);
	}
	_exit(0);
}

/*
 * A consumer as busy as the others, into the board's slots, until it is
 * killed. It does not count what it takes: the parent does, from the
 * slots, once it is dead.
 */
static void consume_busy(int fd, struct board *b)
{
	for (uint32_t k = 0; k < BUSY_SLOTS; k++) {
		struct kipc_mq_recv r = {
			.size = sizeof(r), .buf = (uintptr_t)&b->busy[k],
			.len = sizeof(b->busy[k]),
		};

		while (ioctl(fd, KIPC_IOC_MQ_RECV, &r))
			if (errno != EINTR)
				_exit(2);
		__atomic_add_fetch(&b->busy_taken, 1, __ATOMIC_SEQ_CST);
	}
	pause();
	_exit(0);
}

FIXTURE(stress)
{
	int ctl;
};

FIXTURE_SETUP(stress)
{
	self->ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, self->ctl);
}

FIXTURE_TEARDOWN(stress)
{
	struct kipc_unlink u = {
		.size = sizeof(u), .kind = KIPC_KIND_MQ,
		.name = (uintptr_t)"/kipc-stress",
		.name_len = strlen("/kipc-stress"),
	};

	ioctl(self->ctl, KIPC_IOC_UNLINK, &u);
	close(self->ctl);
}

/*
 * KIPC_MQ_STRESS_MSGS (default 200000) messages from 4 producers through a
 * queue of 8 to 4 consumers: none lost, none duplicated, none corrupted,
 * FIFO within a priority per producer as each consumer sees it. Two more
 * receivers are SIGKILLed mid-run: one asleep on a type nobody sends, and
 * one busy receiving with the others: what it took is in its slots, and
 * nothing still queued is lost.
 */
TEST_F_TIMEOUT(stress, many_to_many, 1800)
{
	const char *env = getenv("KIPC_MQ_STRESS_MSGS");
	uint32_t per = (env ? strtoul(env, NULL, 0) : 200000) / PRODUCERS;
	size_t size = sizeof(struct board) + PRODUCERS * (size_t)per;
	pid_t pids[PRODUCERS + CONSUMERS], victim, busy;
	uint32_t missing = 0, dup = 0;
	struct board *b;
	int fd, status;

	b = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		 -1, 0);
	ASSERT_NE(MAP_FAILED, b);
	fd = open_queue(self->ctl, KIPC_OPEN_READ | KIPC_OPEN_WRITE |
			KIPC_OPEN_CREATE | KIPC_OPEN_EXCL);
	ASSERT_LE(0, fd);

	victim = fork();
	ASSERT_LE(0, victim);
	if (victim == 0) {
		char buf[sizeof(struct payload)];
		struct kipc_mq_recv r = {
			.size = sizeof(r), .buf = (uintptr_t)buf,
			.len = sizeof(buf), .select = KIPC_MQ_SELECT_EXACT,
			.type = 999,
		};

		ioctl(fd, KIPC_IOC_MQ_RECV, &r);
		_exit(3);
	}
	busy = fork();
	ASSERT_LE(0, busy);
	if (busy == 0)
		consume_busy(fd, b);
	for (int i = 0; i < CONSUMERS; i++) {
		pids[PRODUCERS + i] = fork();
		ASSERT_LE(0, pids[PRODUCERS + i]);
		if (!pids[PRODUCERS + i])
			consume(fd, b, per);
	}
	for (int i = 0; i < PRODUCERS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i])
			produce(fd, i, per);
	}

	/* mid-run: kill the busy receiver once it has had a share */
	while (__atomic_load_n(&b->busy_taken, __ATOMIC_SEQ_CST) < 200)
		usleep(1000);
	ASSERT_EQ(0, kill(busy, SIGKILL));
	ASSERT_EQ(busy, waitpid(busy, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	uint32_t taken = 0;
	for (uint32_t k = 0; k < BUSY_SLOTS; k++) {
		const struct payload *p = &b->busy[k];

		if (!payload_ok(p, per))
			break;
		__atomic_add_fetch(&b->seen[p->producer * per + p->seq], 1,
				   __ATOMIC_SEQ_CST);
		taken++;
	}
	/* it may have died between a receive and counting it, not before */
	EXPECT_LE(__atomic_load_n(&b->busy_taken, __ATOMIC_SEQ_CST), taken);
	EXPECT_GE(__atomic_load_n(&b->busy_taken, __ATOMIC_SEQ_CST) + 1, taken);
	/* killed while it was still receiving, not after it stopped */
	EXPECT_GT(BUSY_SLOTS, taken);
	__atomic_add_fetch(&b->total, taken, __ATOMIC_SEQ_CST);

	/* and the sleeping one */
	while (__atomic_load_n(&b->total, __ATOMIC_SEQ_CST) < per / 2)
		usleep(10000);
	ASSERT_EQ(0, kill(victim, SIGKILL));
	ASSERT_EQ(victim, waitpid(victim, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));

	for (int i = 0; i < PRODUCERS + CONSUMERS; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_EQ(0, status) TH_LOG("%s %d", i < PRODUCERS ?
					     "producer" : "consumer", i);
	}

	for (size_t i = 0; i < (size_t)PRODUCERS * per; i++) {
		missing += b->seen[i] == 0;
		dup += b->seen[i] > 1;
	}
	EXPECT_EQ(0, missing);
	EXPECT_EQ(0, dup);
	EXPECT_EQ(0, b->bad);
	EXPECT_EQ(0, b->order);
	EXPECT_EQ(PRODUCERS * per, b->total);

	struct kipc_mq_stat st = { .size = sizeof(st) };
	ASSERT_EQ(0, ioctl(fd, KIPC_IOC_MQ_STAT, &st));
	EXPECT_EQ(0, st.depth);
	EXPECT_EQ(PRODUCERS * per, st.sent);
	EXPECT_EQ(PRODUCERS * per, st.received);
	EXPECT_EQ(8, st.high_water);
	EXPECT_EQ(0, st.recv_waiters);
	close(fd);
	munmap(b, size);
}

TEST_HARNESS_MAIN
