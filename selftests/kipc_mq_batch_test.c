// SPDX-License-Identifier: GPL-2.0
/* kipc_mq_batch_test: SENDV and RECVV: order, partial success, validation. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/kipc.h>

#include "kselftest_harness.h"

_Static_assert(sizeof(struct kipc_mq_msg) == 48, "kipc_mq_msg size");
_Static_assert(sizeof(struct kipc_mq_batch) == 48, "kipc_mq_batch size");

#define RW (KIPC_OPEN_READ | KIPC_OPEN_WRITE)
#define NMSG 16

static int mq_create(int ctl, uint32_t access, uint32_t max_msgs, int *fd)
{
	struct kipc_mq_open o = {
		.size = sizeof(o), .flags = access | KIPC_OPEN_CREATE,
		.mode = 0600, .max_msgs = max_msgs, .msg_size = 64,
	};

	if (ioctl(ctl, KIPC_IOC_MQ_OPEN, &o))
		return errno;
	*fd = o.fd;
	return 0;
}

/* ioctl() as count or -errno */
static int batch(int fd, unsigned long cmd, struct kipc_mq_batch *b)
{
	int ret = ioctl(fd, cmd, b);

	return ret < 0 ? -errno : ret;
}

static int sendv(int fd, struct kipc_mq_msg *m, uint32_t n, uint32_t flags)
{
	struct kipc_mq_batch b = {
		.size = sizeof(b), .flags = flags, .msgs = (uintptr_t)m,
		.count = n, .msg_size = sizeof(*m),
	};

	return batch(fd, KIPC_IOC_MQ_SENDV, &b);
}

static int recvv(int fd, struct kipc_mq_msg *m, uint32_t n, uint32_t select,
		 uint64_t type, uint32_t flags)
{
	struct kipc_mq_batch b = {
		.size = sizeof(b), .flags = flags, .msgs = (uintptr_t)m,
		.count = n, .msg_size = sizeof(*m), .select = select,
		.type = type,
	};

	return batch(fd, KIPC_IOC_MQ_RECVV, &b);
}

static int recv1(int fd, char *buf, uint32_t len)
{
	struct kipc_mq_recv r = {
		.size = sizeof(r), .flags = KIPC_MQ_NONBLOCK,
		.buf = (uintptr_t)buf, .len = len,
	};

	if (ioctl(fd, KIPC_IOC_MQ_RECV, &r))
		return -errno;
	return r.len;
}

static uint32_t depth(int fd)
{
	struct kipc_mq_stat st = { .size = sizeof(st) };

	if (ioctl(fd, KIPC_IOC_MQ_STAT, &st))
		return UINT32_MAX;
	return st.depth;
}

FIXTURE(batch)
{
	int ctl;
	int fd;
	char out[NMSG][64];
	char in[NMSG][64];
	struct kipc_mq_msg m[NMSG];
};

FIXTURE_SETUP(batch)
{
	self->ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, self->ctl);
	ASSERT_EQ(0, mq_create(self->ctl, RW, 4, &self->fd));
	for (int i = 0; i < NMSG; i++) {
		snprintf(self->out[i], sizeof(self->out[i]), "msg %d", i);
		self->m[i] = (struct kipc_mq_msg){
			.buf = (uintptr_t)self->out[i],
			.len = strlen(self->out[i]), .type = i,
		};
	}
}

FIXTURE_TEARDOWN(batch)
{
	close(self->fd);
	close(self->ctl);
}

/* Point m[] at the receive buffers. */
static void to_in(FIXTURE_DATA(batch) *self)
{
	memset(self->in, 0, sizeof(self->in));
	memset(self->m, 0, sizeof(self->m));
	for (int i = 0; i < NMSG; i++) {
		self->m[i].buf = (uintptr_t)self->in[i];
		self->m[i].len = sizeof(self->in[i]);
	}
}

TEST_F(batch, feature)
{
	struct kipc_version v = { .size = sizeof(v) };

	ASSERT_EQ(0, ioctl(self->ctl, KIPC_IOC_VERSION, &v));
	EXPECT_TRUE(v.features & KIPC_FEATURE_MQ_BATCH);
}

/* A batch is queued in order, then in priority order received. */
TEST_F(batch, round_trip)
{
	self->m[1].prio = 5;
	self->m[3].prio = 5;
	ASSERT_EQ(4, sendv(self->fd, self->m, 4, 0));
	EXPECT_EQ(4, depth(self->fd));
	to_in(self);
	ASSERT_EQ(4, recvv(self->fd, self->m, NMSG, 0, 0, 0));
	const int order[] = { 1, 3, 0, 2 };
	for (int i = 0; i < 4; i++) {
		char want[16];

		snprintf(want, sizeof(want), "msg %d", order[i]);
		EXPECT_STREQ(want, self->in[i]);
		EXPECT_EQ(strlen(want), self->m[i].len);
		EXPECT_EQ(strlen(want), self->m[i].msg_len);
		EXPECT_EQ(order[i], self->m[i].type);
		EXPECT_EQ(order[i] % 2 ? 5 : 0, self->m[i].prio);
		EXPECT_EQ(getpid(), self->m[i].sender_pid);
		EXPECT_EQ(geteuid(), self->m[i].sender_uid);
		EXPECT_NE(0, self->m[i].timestamp_ns);
		EXPECT_EQ(0, self->m[i].__reserved);
	}
	/* entries past the count are untouched */
	EXPECT_EQ(0, self->m[4].msg_len);
	EXPECT_EQ(0, depth(self->fd));
}

/* Selectors pick from the whole queue, in receive order. */
TEST_F(batch, selectors)
{
	for (int i = 0; i < 4; i++)
		self->m[i].type = i % 2 ? 7 : 3;
	ASSERT_EQ(4, sendv(self->fd, self->m, 4, 0));
	to_in(self);
	ASSERT_EQ(2, recvv(self->fd, self->m, NMSG, KIPC_MQ_SELECT_EXACT, 7, 0));
	EXPECT_STREQ("msg 1", self->in[0]);
	EXPECT_STREQ("msg 3", self->in[1]);
	to_in(self);
	EXPECT_EQ(-EAGAIN, recvv(self->fd, self->m, NMSG, KIPC_MQ_SELECT_LE, 2,
				 KIPC_MQ_NONBLOCK));
	ASSERT_EQ(1, recvv(self->fd, self->m, 1, KIPC_MQ_SELECT_NOT, 7, 0));
	EXPECT_STREQ("msg 0", self->in[0]);
	ASSERT_EQ(1, recvv(self->fd, self->m, NMSG, KIPC_MQ_SELECT_LE, 3, 0));
	EXPECT_STREQ("msg 2", self->in[0]);
}

/* A full queue: as many as fit, then EAGAIN; nothing else queued. */
TEST_F(batch, partial_when_full)
{
	EXPECT_EQ(4, sendv(self->fd, self->m, NMSG, KIPC_MQ_NONBLOCK));
	EXPECT_EQ(-EAGAIN, sendv(self->fd, self->m + 4, NMSG - 4,
				 KIPC_MQ_NONBLOCK));
	EXPECT_EQ(4, depth(self->fd));
	to_in(self);
	ASSERT_EQ(4, recvv(self->fd, self->m, NMSG, 0, 0, 0));
	EXPECT_STREQ("msg 3", self->in[3]);
	/* and empty: EAGAIN, or ETIMEDOUT after a deadline */
	EXPECT_EQ(-EAGAIN, recvv(self->fd, self->m, NMSG, 0, 0,
				 KIPC_MQ_NONBLOCK));
	struct kipc_mq_batch b = {
		.size = sizeof(b), .flags = KIPC_MQ_DEADLINE,
		.msgs = (uintptr_t)self->m, .count = 1,
		.msg_size = sizeof(self->m[0]), .deadline_ns = 1,
	};
	EXPECT_EQ(-ETIMEDOUT, batch(self->fd, KIPC_IOC_MQ_RECVV, &b));
}

/* A bad message ends the batch before it; the next call reports it. */
TEST_F(batch, partial_on_bad_message)
{
	self->m[2].prio = KIPC_MQ_PRIO_MAX + 1;
	EXPECT_EQ(2, sendv(self->fd, self->m, 4, 0));
	EXPECT_EQ(-EINVAL, sendv(self->fd, self->m + 2, 2, 0));
	self->m[2].prio = 0;
	self->m[2].len = 65;
	EXPECT_EQ(-EMSGSIZE, sendv(self->fd, self->m + 2, 2, 0));
	self->m[2].len = 4;
	self->m[2].buf = 8;
	EXPECT_EQ(-EFAULT, sendv(self->fd, self->m + 2, 2, 0));
	self->m[2].buf = (uintptr_t)self->out[2];
	self->m[2].__reserved = 1;
	EXPECT_EQ(-EINVAL, sendv(self->fd, self->m + 2, 2, 0));
	EXPECT_EQ(2, depth(self->fd));

	/* receive side: a small buffer, a bad pointer, a reserved field */
	self->m[2].__reserved = 0;
	ASSERT_EQ(2, sendv(self->fd, self->m + 2, 2, 0));
	to_in(self);
	self->m[1].len = 2;
	EXPECT_EQ(1, recvv(self->fd, self->m, NMSG, 0, 0, 0));
	EXPECT_EQ(5, self->m[1].msg_len);
	EXPECT_EQ(3, depth(self->fd));
	to_in(self);
	self->m[0].buf = 8;
	EXPECT_EQ(-EFAULT, recvv(self->fd, self->m, NMSG, 0, 0, 0));
	to_in(self);
	self->m[1].__reserved = 1;
	EXPECT_EQ(1, recvv(self->fd, self->m, NMSG, 0, 0, 0));
	EXPECT_STREQ("msg 1", self->in[0]);
	EXPECT_EQ(2, depth(self->fd));
	/* truncation on request */
	to_in(self);
	self->m[0].len = 3;
	self->m[1].len = 3;
	EXPECT_EQ(2, recvv(self->fd, self->m, NMSG, 0, 0, KIPC_MQ_TRUNCATE));
	EXPECT_EQ(0, memcmp("msg 2", self->in[0], 5 - 2));
	EXPECT_EQ(3, self->m[1].len);
	EXPECT_EQ(5, self->m[1].msg_len);
	EXPECT_EQ(0, depth(self->fd));
}

/* Every header field checked on its own. */
TEST_F(batch, validation)
{
	struct kipc_mq_batch good = {
		.size = sizeof(good), .msgs = (uintptr_t)self->m, .count = 1,
		.msg_size = sizeof(self->m[0]),
	}, b;
	const unsigned long cmds[] = { KIPC_IOC_MQ_SENDV, KIPC_IOC_MQ_RECVV };

	for (int c = 0; c < 2; c++) {
		unsigned long cmd = cmds[c];

		b = good, b.count = 0;
		EXPECT_EQ(-EINVAL, batch(self->fd, cmd, &b));
		b = good, b.count = KIPC_MQ_BATCH_MAX + 1;
		EXPECT_EQ(-EINVAL, batch(self->fd, cmd, &b));
		b = good, b.msg_size = sizeof(self->m[0]) - 1;
		EXPECT_EQ(-EINVAL, batch(self->fd, cmd, &b));
		b = good, b.msg_size = 0;
		EXPECT_EQ(-EINVAL, batch(self->fd, cmd, &b));
		b = good, b.msg_size = 4097;
		EXPECT_EQ(-E2BIG, batch(self->fd, cmd, &b));
		b = good, b.select = KIPC_MQ_SELECT_NOT + 1;
		EXPECT_EQ(-EINVAL, batch(self->fd, cmd, &b));
		b = good, b.__reserved = 1;
		EXPECT_EQ(-EINVAL, batch(self->fd, cmd, &b));
		b = good, b.flags = KIPC_MQ_PEEK;
		EXPECT_EQ(-EINVAL, batch(self->fd, cmd, &b));
		b = good, b.flags = 1u << 31;
		EXPECT_EQ(-EINVAL, batch(self->fd, cmd, &b));
		b = good, b.msgs = 0;
		EXPECT_EQ(-EFAULT, batch(self->fd, cmd, &b));
	}
	/* send has no selector, and only send has no TRUNCATE */
	b = good, b.select = KIPC_MQ_SELECT_EXACT;
	EXPECT_EQ(-EINVAL, batch(self->fd, KIPC_IOC_MQ_SENDV, &b));
	b = good, b.type = 1;
	EXPECT_EQ(-EINVAL, batch(self->fd, KIPC_IOC_MQ_SENDV, &b));
	b = good, b.flags = KIPC_MQ_TRUNCATE;
	EXPECT_EQ(-EINVAL, batch(self->fd, KIPC_IOC_MQ_SENDV, &b));
	EXPECT_EQ(0, depth(self->fd));
}

/* Entries grow like structs: a longer stride with a zero tail works. */
TEST_F(batch, entry_stride)
{
	struct {
		struct kipc_mq_msg m;
		uint64_t tail;
	} big[3] = {};
	struct kipc_mq_batch b = {
		.size = sizeof(b), .msgs = (uintptr_t)big, .count = 3,
		.msg_size = sizeof(big[0]),
	};

	for (int i = 0; i < 3; i++)
		big[i].m = self->m[i];
	ASSERT_EQ(3, batch(self->fd, KIPC_IOC_MQ_SENDV, &b));

	char in[3][64];
	memset(big, 0, sizeof(big));
	for (int i = 0; i < 3; i++) {
		big[i].m.buf = (uintptr_t)in[i];
		big[i].m.len = sizeof(in[i]);
	}
	ASSERT_EQ(3, batch(self->fd, KIPC_IOC_MQ_RECVV, &b));
	EXPECT_EQ(0, memcmp(in[2], "msg 2", 5));
	/* the kernel writes its own entry only, never the tail */
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(0, big[i].tail);

	/* a non-zero tail is that entry's E2BIG */
	for (int i = 0; i < 3; i++)
		big[i].m = self->m[i];
	big[1].tail = 1;
	EXPECT_EQ(1, batch(self->fd, KIPC_IOC_MQ_SENDV, &b));
	b.msgs = (uintptr_t)&big[1];
	b.count = 2;
	EXPECT_EQ(-E2BIG, batch(self->fd, KIPC_IOC_MQ_SENDV, &b));
	EXPECT_EQ(-E2BIG, batch(self->fd, KIPC_IOC_MQ_RECVV, &b));
	EXPECT_EQ(1, depth(self->fd));
}

/* Access mode: send needs write, receive needs read. */
TEST_F(batch, access_mode)
{
	int wr = -1, rd = -1;

	ASSERT_EQ(0, mq_create(self->ctl, KIPC_OPEN_WRITE, 4, &wr));
	ASSERT_EQ(0, mq_create(self->ctl, KIPC_OPEN_READ, 4, &rd));
	EXPECT_EQ(-EBADF, recvv(wr, self->m, 1, 0, 0, 0));
	EXPECT_EQ(-EBADF, sendv(rd, self->m, 1, 0));
	close(wr);
	close(rd);
}

/* A receiver waits for the first message only, not for a full array. */
TEST_F(batch, recv_waits_for_first_only)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(100000);
		_exit(sendv(self->fd, self->m, 1, 0) == 1 ? 0 : 1);
	}
	to_in(self);
	EXPECT_EQ(1, recvv(self->fd, self->m, NMSG, 0, 0, 0));
	EXPECT_STREQ("msg 0", self->in[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
}

/*
 * A blocking batch larger than the queue flows through it: the sender
 * wakes the receiver before it sleeps. 1000 messages through 4 slots.
 */
TEST_F(batch, flows_through_small_queue)
{
	enum { TOTAL = 1000, PER = 100 };
	static char payload[TOTAL][16];
	static struct kipc_mq_msg big[PER];
	pid_t pid = fork();
	int status, got = 0;

	ASSERT_LE(0, pid);
	if (pid == 0) {
		for (int i = 0; i < TOTAL; i += PER) {
			for (int j = 0; j < PER; j++) {
				snprintf(payload[i + j], 16, "%d", i + j);
				big[j] = (struct kipc_mq_msg){
					.buf = (uintptr_t)payload[i + j],
					.len = strlen(payload[i + j]),
					.type = i + j,
				};
			}
			if (sendv(self->fd, big, PER, 0) != PER)
				_exit(1);
		}
		_exit(0);
	}
	while (got < TOTAL) {
		int n;

		to_in(self);
		n = recvv(self->fd, self->m, NMSG, 0, 0, 0);
		ASSERT_LT(0, n) TH_LOG("recvv: %s", strerror(-n));
		ASSERT_GE(4, n);
		for (int i = 0; i < n; i++, got++) {
			char want[16];

			snprintf(want, sizeof(want), "%d", got);
			ASSERT_STREQ(want, self->in[i]);
			ASSERT_EQ(got, self->m[i].type);
		}
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	EXPECT_EQ(0, depth(self->fd));
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * A signal ends a blocked batch: the count so far if any was queued,
 * EINTR if none.
 */
TEST_F(batch, signal)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	alarm(1);
	EXPECT_EQ(4, sendv(self->fd, self->m, NMSG, 0));
	alarm(1);
	EXPECT_EQ(-EINTR, sendv(self->fd, self->m, NMSG, 0));
	EXPECT_EQ(4, depth(self->fd));
	to_in(self);
	ASSERT_EQ(4, recvv(self->fd, self->m, NMSG, 0, 0, 0));
	alarm(1);
	EXPECT_EQ(-EINTR, recvv(self->fd, self->m, NMSG, 0, 0, 0));
}

/* KIPC_MQ_BATCH_MAX entries at once; read() sees the same messages. */
TEST(batch_max)
{
	static struct kipc_mq_msg m[KIPC_MQ_BATCH_MAX];
	static uint32_t val[KIPC_MQ_BATCH_MAX];
	int ctl = open(KIPC_DEVICE_PATH, O_RDWR), fd = -1;
	char buf[8];

	ASSERT_LE(0, ctl);
	ASSERT_EQ(0, mq_create(ctl, RW, KIPC_MQ_BATCH_MAX, &fd));
	for (uint32_t i = 0; i < KIPC_MQ_BATCH_MAX; i++) {
		val[i] = i * 2654435761u;
		m[i] = (struct kipc_mq_msg){
			.buf = (uintptr_t)&val[i], .len = sizeof(val[i]),
		};
	}
	ASSERT_EQ(KIPC_MQ_BATCH_MAX, sendv(fd, m, KIPC_MQ_BATCH_MAX, 0));
	for (uint32_t i = 0; i < KIPC_MQ_BATCH_MAX; i++) {
		ASSERT_EQ(4, recv1(fd, buf, sizeof(buf)));
		ASSERT_EQ(0, memcmp(buf, &val[i], 4));
	}
	close(fd);
	close(ctl);
}

TEST_HARNESS_MAIN
