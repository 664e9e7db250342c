// SPDX-License-Identifier: GPL-2.0
/* kipc_mq_test: message queues: names, permissions, order, selectors, waits. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
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
#include "kipc_test.h"

_Static_assert(sizeof(struct kipc_mq_open) == 48, "kipc_mq_open size");
_Static_assert(sizeof(struct kipc_unlink) == 24, "kipc_unlink size");
_Static_assert(sizeof(struct kipc_mq_send) == 40, "kipc_mq_send size");
_Static_assert(sizeof(struct kipc_mq_recv) == 64, "kipc_mq_recv size");
_Static_assert(sizeof(struct kipc_mq_stat) == 88, "kipc_mq_stat size");

#define RW (KIPC_OPEN_READ | KIPC_OPEN_WRITE)

static int mq_open_full(int ctl, const char *name, uint32_t flags,
			uint32_t mode, uint32_t max_msgs, uint32_t msg_size,
			int *fd)
{
	struct kipc_mq_open o = {
		.size = sizeof(o), .flags = flags,
		.name = (uintptr_t)name, .name_len = name ? strlen(name) : 0,
		.mode = mode, .max_msgs = max_msgs, .msg_size = msg_size,
		.fd = -1,
	};

	if (ioctl(ctl, KIPC_IOC_MQ_OPEN, &o))
		return errno;
	*fd = o.fd;
	return 0;
}

static int mq_open(int ctl, const char *name, uint32_t flags, int *fd)
{
	return mq_open_full(ctl, name, flags, 0600, 4, 64, fd);
}

static int mq_unlink(int ctl, const char *name)
{
	struct kipc_unlink u = {
		.size = sizeof(u), .kind = KIPC_KIND_MQ,
		.name = (uintptr_t)name, .name_len = strlen(name),
	};

	return ioctl(ctl, KIPC_IOC_UNLINK, &u) ? errno : 0;
}

static int mq_send(int fd, const char *text, uint32_t prio, uint64_t type,
		   uint32_t flags)
{
	struct kipc_mq_send s = {
		.size = sizeof(s), .flags = flags, .buf = (uintptr_t)text,
		.len = strlen(text), .prio = prio, .type = type,
	};

	return ioctl(fd, KIPC_IOC_MQ_SEND, &s) ? errno : 0;
}

static int mq_recv(int fd, char *buf, uint32_t len, uint32_t select,
		   uint64_t type, uint32_t flags, struct kipc_mq_recv *out)
{
	struct kipc_mq_recv r = {
		.size = sizeof(r), .flags = flags, .buf = (uintptr_t)buf,
		.len = len, .select = select, .type = type,
	};
	int ret = ioctl(fd, KIPC_IOC_MQ_RECV, &r) ? errno : 0;

	if (!ret && r.len < len)
		buf[r.len] = '\0';
	if (out)
		*out = r;
	return ret;
}

FIXTURE(mq)
{
	int ctl;
	int fd;
	char name[64];
};

FIXTURE_SETUP(mq)
{
	self->ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, self->ctl);
	snprintf(self->name, sizeof(self->name), "/kipc-test-%d", getpid());
	ASSERT_EQ(0, mq_open(self->ctl, self->name,
			     RW | KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, &self->fd));
}

FIXTURE_TEARDOWN(mq)
{
	mq_unlink(self->ctl, self->name);
	close(self->fd);
	close(self->ctl);
}

TEST_F(mq, version_announces_mq)
{
	struct kipc_version v = { .size = sizeof(v) };

	ASSERT_EQ(0, ioctl(self->ctl, KIPC_IOC_VERSION, &v));
	EXPECT_TRUE(v.features & KIPC_FEATURE_MQ);
}

TEST_F(mq, open_existing_and_errors)
{
	int fd;

	/* open without CREATE, and CREATE without EXCL, find the same queue */
	ASSERT_EQ(0, mq_open(self->ctl, self->name, RW, &fd));
	/* errno: NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage) */
	ASSERT_EQ(0, mq_send(fd, "hello", 0, 0, 0));
	close(fd);
	ASSERT_EQ(0, mq_open(self->ctl, self->name, RW | KIPC_OPEN_CREATE, &fd));
	struct kipc_mq_stat st = { .size = sizeof(st) };
	ASSERT_EQ(0, ioctl(fd, KIPC_IOC_MQ_STAT, &st));
	EXPECT_EQ(1, st.depth);
	close(fd);

	EXPECT_EQ(EEXIST, mq_open(self->ctl, self->name,
				  RW | KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, &fd));
	EXPECT_EQ(ENOENT, mq_open(self->ctl, "/kipc-no-such-queue", RW, &fd));
	/* neither READ nor WRITE; EXCL without CREATE; anonymous, no CREATE */
	EXPECT_EQ(EINVAL, mq_open(self->ctl, self->name, 0, &fd));
	EXPECT_EQ(EINVAL, mq_open(self->ctl, self->name, RW | KIPC_OPEN_EXCL, &fd));
	EXPECT_EQ(EINVAL, mq_open(self->ctl, NULL, RW, &fd));
	/* unknown flag; mode beyond 0777; sizes beyond the limits */
	EXPECT_EQ(EINVAL, mq_open(self->ctl, self->name, RW | (1u << 31), &fd));
	EXPECT_EQ(EINVAL, mq_open_full(self->ctl, "/kipc-t2", RW | KIPC_OPEN_CREATE,
				       01777, 1, 1, &fd));
	EXPECT_EQ(EINVAL, mq_open_full(self->ctl, "/kipc-t2", RW | KIPC_OPEN_CREATE,
				       0600, 1u << 30, 1, &fd));
	EXPECT_EQ(EINVAL, mq_open_full(self->ctl, "/kipc-t2", RW | KIPC_OPEN_CREATE,
				       0600, 1, 1u << 30, &fd));
	EXPECT_EQ(ENOENT, mq_unlink(self->ctl, "/kipc-t2"));
}

TEST_F(mq, names)
{
	/* (an empty name, name_len 0, asks for an anonymous queue) */
	static const char *const bad[] = {
		"/", "noslash", "/a/b", "//", "/trailing/",
	};
	char longname[KIPC_NAME_MAX + 2];
	int fd;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(EINVAL, mq_open(self->ctl, bad[i],
					  RW | KIPC_OPEN_CREATE, &fd)) {
			TH_LOG("name '%s'", bad[i]);
		}
	}
	/* an embedded NUL */
	struct kipc_mq_open o = {
		.size = sizeof(o), .flags = RW | KIPC_OPEN_CREATE,
		.name = (uintptr_t)"/a\0b", .name_len = 4, .mode = 0600,
	};
	EXPECT_EQ(-1, ioctl(self->ctl, KIPC_IOC_MQ_OPEN, &o));
	EXPECT_EQ(EINVAL, errno);
	/* the longest name works, one more byte does not */
	memset(longname, 'n', sizeof(longname));
	longname[0] = '/';
	longname[KIPC_NAME_MAX] = '\0';
	ASSERT_EQ(0, mq_open(self->ctl, longname, RW | KIPC_OPEN_CREATE, &fd));
	close(fd);
	EXPECT_EQ(0, mq_unlink(self->ctl, longname));
	longname[KIPC_NAME_MAX] = 'n';
	longname[KIPC_NAME_MAX + 1] = '\0';
	EXPECT_EQ(ENAMETOOLONG, mq_open(self->ctl, longname,
					RW | KIPC_OPEN_CREATE, &fd));
	/* a bad name pointer */
	o.name = 8;
	o.name_len = 4;
	EXPECT_EQ(-1, ioctl(self->ctl, KIPC_IOC_MQ_OPEN, &o));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(mq, fd_flags_and_modes)
{
	int fd;

	ASSERT_EQ(0, mq_open(self->ctl, self->name, KIPC_OPEN_WRITE |
			     KIPC_OPEN_CLOEXEC | KIPC_OPEN_NONBLOCK, &fd));
	/* errno: NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage) */
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_NONBLOCK, fcntl(fd, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(O_WRONLY, fcntl(fd, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(0, mq_send(fd, "x", 0, 0, 0));
	EXPECT_EQ(EBADF, mq_recv(fd, (char[8]){}, 8, 0, 0, 0, NULL));
	close(fd);

	ASSERT_EQ(0, mq_open(self->ctl, self->name, KIPC_OPEN_READ, &fd));
	EXPECT_EQ(0, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(EBADF, mq_send(fd, "x", 0, 0, 0));
	close(fd);
}

/* Higher priority first, FIFO within a priority, boundaries kept. */
TEST_F(mq, priority_order)
{
	static const struct { const char *text; uint32_t prio; } in[] = {
		{ "low-1", 1 }, { "high-1", 9 }, { "low-2", 1 }, { "high-2", 9 },
	};
	static const char *const out[] = { "high-1", "high-2", "low-1", "low-2" };
	struct kipc_mq_recv r;
	char buf[64];

	for (int i = 0; i < 4; i++)
		ASSERT_EQ(0, mq_send(self->fd, in[i].text, in[i].prio, 0, 0));
	for (int i = 0; i < 4; i++) {
		ASSERT_EQ(0, mq_recv(self->fd, buf, sizeof(buf), 0, 0, 0, &r));
		EXPECT_STREQ(out[i], buf);
		EXPECT_EQ(strlen(out[i]), r.len);
		EXPECT_EQ(r.len, r.msg_len);
	}
	EXPECT_EQ(EINVAL, mq_send(self->fd, "x", KIPC_MQ_PRIO_MAX + 1, 0, 0));
}

TEST_F(mq, selectors)
{
	char buf[64];

	ASSERT_EQ(0, mq_send(self->fd, "t5", 0, 5, 0));
	ASSERT_EQ(0, mq_send(self->fd, "t3", 0, 3, 0));
	ASSERT_EQ(0, mq_send(self->fd, "t7", 0, 7, 0));
	ASSERT_EQ(0, mq_send(self->fd, "t3b", 0, 3, 0));
	/* exact */
	ASSERT_EQ(0, mq_recv(self->fd, buf, 64, KIPC_MQ_SELECT_EXACT, 7, 0, NULL));
	EXPECT_STREQ("t7", buf);
	EXPECT_EQ(EAGAIN, mq_recv(self->fd, buf, 64, KIPC_MQ_SELECT_EXACT, 9,
				  KIPC_MQ_NONBLOCK, NULL));
	/* lowest type <= 6: t3 first, then t3b, then t5 */
	ASSERT_EQ(0, mq_recv(self->fd, buf, 64, KIPC_MQ_SELECT_LE, 6, 0, NULL));
	EXPECT_STREQ("t3", buf);
	/* any type but 3 */
	ASSERT_EQ(0, mq_recv(self->fd, buf, 64, KIPC_MQ_SELECT_NOT, 3, 0, NULL));
	EXPECT_STREQ("t5", buf);
	EXPECT_EQ(EAGAIN, mq_recv(self->fd, buf, 64, KIPC_MQ_SELECT_NOT, 3,
				  KIPC_MQ_NONBLOCK, NULL));
	ASSERT_EQ(0, mq_recv(self->fd, buf, 64, KIPC_MQ_SELECT_ANY, 0, 0, NULL));
	EXPECT_STREQ("t3b", buf);
	EXPECT_EQ(EINVAL, mq_recv(self->fd, buf, 64, 4, 0, 0, NULL));
}

TEST_F(mq, truncate_and_peek)
{
	struct kipc_mq_recv r;
	char buf[64];

	ASSERT_EQ(0, mq_send(self->fd, "0123456789", 3, 42, 0));
	/* too small: EMSGSIZE with the length, the message stays */
	EXPECT_EQ(EMSGSIZE, mq_recv(self->fd, buf, 4, 0, 0, 0, &r));
	EXPECT_EQ(10, r.msg_len);
	/* peek copies and leaves it */
	ASSERT_EQ(0, mq_recv(self->fd, buf, 64, 0, 0, KIPC_MQ_PEEK, &r));
	EXPECT_STREQ("0123456789", buf);
	EXPECT_EQ(42, r.type);
	EXPECT_EQ(3, r.prio);
	EXPECT_EQ(getpid(), r.sender_pid);
	EXPECT_EQ(geteuid(), r.sender_uid);
	EXPECT_NE(0, r.timestamp_ns);
	/* truncation on request takes it */
	ASSERT_EQ(0, mq_recv(self->fd, buf, 4, 0, 0, KIPC_MQ_TRUNCATE, &r));
	EXPECT_EQ(4, r.len);
	EXPECT_EQ(10, r.msg_len);
	EXPECT_EQ(0, memcmp(buf, "0123", 4));
	EXPECT_EQ(EAGAIN, mq_recv(self->fd, buf, 64, 0, 0, KIPC_MQ_NONBLOCK, NULL));
}

TEST_F(mq, full_and_empty)
{
	uint64_t t0;
	char buf[64];
	struct kipc_mq_send s = {
		.size = sizeof(s), .buf = (uintptr_t)"x", .len = 1,
		.flags = KIPC_MQ_DEADLINE,
	};
	struct kipc_mq_recv r = {
		.size = sizeof(r), .buf = (uintptr_t)buf, .len = sizeof(buf),
		.flags = KIPC_MQ_DEADLINE,
	};

	for (int i = 0; i < 4; i++)
		ASSERT_EQ(0, mq_send(self->fd, "m", 0, 0, 0));
	EXPECT_EQ(EAGAIN, mq_send(self->fd, "m", 0, 0, KIPC_MQ_NONBLOCK));
	/* a deadline 50 ms ahead: ETIMEDOUT, not before it */
	t0 = mono_ns();
	s.deadline_ns = t0 + 50000000;
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_MQ_SEND, &s));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_LE(s.deadline_ns, mono_ns());
	/* a deadline in the past on a full queue */
	s.deadline_ns = 1;
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_MQ_SEND, &s));
	EXPECT_EQ(ETIMEDOUT, errno);
	/* too big for the queue */
	char big[66] = { 0 };
	memset(big, 'b', 65);
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(0, mq_recv(self->fd, buf, 64, 0, 0, 0, NULL));
	EXPECT_EQ(EMSGSIZE, mq_send(self->fd, big, 0, 0, 0));
	big[63] = '\0';
	EXPECT_EQ(0, mq_send(self->fd, big, 0, 0, 0));
	ASSERT_EQ(0, mq_recv(self->fd, buf, 64, 0, 0, 0, NULL));

	r.deadline_ns = mono_ns() + 50000000;
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_MQ_RECV, &r));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_LE(r.deadline_ns, mono_ns());
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A signal ends a wait with EINTR (no SA_RESTART); nothing is lost. */
TEST_F(mq, signal_interrupts_wait)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	char buf[8];

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	alarm(1);
	EXPECT_EQ(EINTR, mq_recv(self->fd, buf, sizeof(buf), 0, 0, 0, NULL));
	ASSERT_EQ(0, mq_send(self->fd, "after", 0, 0, 0));
	ASSERT_EQ(0, mq_recv(self->fd, buf, sizeof(buf), 0, 0, 0, NULL));
	EXPECT_STREQ("after", buf);
}

/* A blocked receiver wakes for a message from another process. */
TEST_F(mq, blocking_across_processes)
{
	struct kipc_mq_recv r;
	char buf[16];
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(100000);
		_exit(mq_send(self->fd, "wake", 0, 0, 0));
	}
	ASSERT_EQ(0, mq_recv(self->fd, buf, sizeof(buf), 0, 0, 0, &r));
	EXPECT_STREQ("wake", buf);
	EXPECT_EQ(pid, r.sender_pid);
	int status;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
}

TEST_F(mq, poll_both_ways)
{
	struct pollfd p = { .fd = self->fd, .events = POLLIN | POLLOUT };
	char buf[8];

	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLOUT, p.revents);
	ASSERT_EQ(0, mq_send(self->fd, "a", 0, 0, 0));
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLIN | POLLOUT, p.revents);
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, mq_send(self->fd, "b", 0, 0, 0));
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLIN, p.revents);
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(0, mq_recv(self->fd, buf, 8, 0, 0, 0, NULL));
	p.events = POLLIN;
	EXPECT_EQ(0, poll(&p, 1, 0));
}

TEST_F(mq, read_write)
{
	char buf[80];

	EXPECT_EQ(5, write(self->fd, "hello", 5));
	EXPECT_EQ(0, write(self->fd, "", 0));
	/* read() never truncates */
	EXPECT_EQ(-1, read(self->fd, buf, 2));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(5, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(0, read(self->fd, buf, sizeof(buf)));
	/* the queue's msg_size is 64 */
	memset(buf, 'w', sizeof(buf));
	EXPECT_EQ(-1, write(self->fd, buf, 65));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(64, write(self->fd, buf, 64));
	EXPECT_EQ(64, read(self->fd, buf, sizeof(buf)));
}

TEST_F(mq, stat)
{
	struct kipc_mq_stat st = { .size = sizeof(st) };
	char buf[8];

	ASSERT_EQ(0, mq_send(self->fd, "abc", 0, 0, 0));
	ASSERT_EQ(0, mq_send(self->fd, "de", 0, 0, 0));
	ASSERT_EQ(0, mq_recv(self->fd, buf, 8, 0, 0, 0, NULL));
	ASSERT_EQ(0, ioctl(self->fd, KIPC_IOC_MQ_STAT, &st));
	EXPECT_EQ(4, st.max_msgs);
	EXPECT_EQ(64, st.msg_size);
	EXPECT_EQ(1, st.depth);
	EXPECT_EQ(2, st.bytes);
	EXPECT_EQ(2, st.high_water);
	EXPECT_EQ(2, st.sent);
	EXPECT_EQ(1, st.received);
	EXPECT_EQ(geteuid(), st.uid);
	EXPECT_NE(0, st.id);
	st.__reserved = 1;
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_MQ_STAT, &st));
	EXPECT_EQ(EINVAL, errno);
	/* queue commands on the control fd, and control commands here */
	EXPECT_EQ(-1, ioctl(self->ctl, KIPC_IOC_MQ_STAT, &st));
	EXPECT_EQ(ENOTTY, errno);
	struct kipc_version v = { .size = sizeof(v) };
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_VERSION, &v));
	EXPECT_EQ(ENOTTY, errno);
}

/* The size rules on the queue fd's commands. */
TEST_F(mq, size_probe)
{
	static const struct kipc_probe_cmd cmds[] = {
		KIPC_PROBE(KIPC_IOC_MQ_SEND, struct kipc_mq_send),
		KIPC_PROBE(KIPC_IOC_MQ_RECV, struct kipc_mq_recv),
		KIPC_PROBE(KIPC_IOC_MQ_STAT, struct kipc_mq_stat),
		KIPC_PROBE(KIPC_IOC_MQ_SENDV, struct kipc_mq_batch),
		KIPC_PROBE(KIPC_IOC_MQ_RECVV, struct kipc_mq_batch),
	};
	const char *err = kipc_size_probe(self->fd, cmds,
					  KIPC_ARRAY_SIZE(cmds), self->ctl);
	char buf[4096 + 8];

	EXPECT_EQ(NULL, err) TH_LOG("%s", err);
	/* STAT with a larger, zero-tailed struct works */
	memset(buf, 0, sizeof(buf));
	*(uint32_t *)buf = 4096;
	EXPECT_EQ(0, ioctl(self->fd, KIPC_IOC_MQ_STAT, buf));
	/* bad payload pointers: EFAULT, and nothing queued or lost */
	struct kipc_mq_send snd = { .size = sizeof(snd), .buf = 8, .len = 4 };
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_MQ_SEND, &snd));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, mq_send(self->fd, "keep", 0, 0, 0));
	struct kipc_mq_recv rcv = { .size = sizeof(rcv), .buf = 8, .len = 8 };
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_MQ_RECV, &rcv));
	EXPECT_EQ(EFAULT, errno);
	char out[8];
	ASSERT_EQ(0, mq_recv(self->fd, out, 8, 0, 0, 0, NULL));
	EXPECT_STREQ("keep", out);
}

/*
 * A receive whose answer cannot be written (its struct in a read-only
 * page) fails with EFAULT and takes nothing: the message stays queued
 * for a receive that can learn its length. kipc_fuzz found it taken.
 */
TEST_F(mq, recv_answer_unwritable_keeps_message)
{
	struct kipc_mq_stat st = { .size = sizeof(st) };
	struct kipc_mq_recv *r;
	char out[8];
	void *page;

	ASSERT_EQ(0, mq_send(self->fd, "keep", 0, 0, 0));
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	r = page;
	*r = (struct kipc_mq_recv){
		.size = sizeof(*r), .flags = KIPC_MQ_NONBLOCK,
		.buf = (uintptr_t)out, .len = sizeof(out),
	};
	ASSERT_EQ(0, mprotect(page, 4096, PROT_READ));
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_MQ_RECV, r));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, ioctl(self->fd, KIPC_IOC_MQ_STAT, &st));
	EXPECT_EQ(1, st.depth);
	EXPECT_EQ(0, st.received);
	memset(out, 0, sizeof(out));
	ASSERT_EQ(0, mq_recv(self->fd, out, sizeof(out), 0, 0, 0, NULL));
	EXPECT_STREQ("keep", out);
	munmap(page, 4096);
}

/*
 * A deadline too far to reach (UINT64_MAX, 2^63 ns) is a wait without
 * end, for a receiver and for a sender on a full queue, not ETIMEDOUT
 * at once as a negative ktime made it. kipc_fuzz found it.
 */
TEST_F(mq, far_deadline_waits)
{
	static const uint64_t far[] = { UINT64_MAX, 1ull << 63 };
	char buf[64];

	for (size_t i = 0; i < 2; i++) {
		struct kipc_mq_recv r = {
			.size = sizeof(r), .flags = KIPC_MQ_DEADLINE,
			.buf = (uintptr_t)buf, .len = sizeof(buf),
			.deadline_ns = far[i],
		};

		EXPECT_EQ(EINTR, kipc_ioctl_alarm(self->fd, KIPC_IOC_MQ_RECV,
						  &r, 100));
	}
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(0, mq_send(self->fd, "full", 0, 0, 0));
	for (size_t i = 0; i < 2; i++) {
		struct kipc_mq_send s = {
			.size = sizeof(s), .flags = KIPC_MQ_DEADLINE,
			.buf = (uintptr_t)buf, .len = 1, .deadline_ns = far[i],
		};

		EXPECT_EQ(EINTR, kipc_ioctl_alarm(self->fd, KIPC_IOC_MQ_SEND,
						  &s, 100));
	}
}

/* UNLINK's own validation, one field at a time. */
TEST_F(mq, unlink_errors)
{
	struct kipc_unlink u = {
		.size = sizeof(u), .kind = KIPC_KIND_MQ,
		.name = (uintptr_t)self->name, .name_len = strlen(self->name),
	};

	u.kind = 0;
	EXPECT_EQ(-1, ioctl(self->ctl, KIPC_IOC_UNLINK, &u));
	EXPECT_EQ(EINVAL, errno);
	u.kind = 1000;
	EXPECT_EQ(-1, ioctl(self->ctl, KIPC_IOC_UNLINK, &u));
	EXPECT_EQ(EINVAL, errno);
	/* another kind: no such object of that kind */
	u.kind = KIPC_KIND_BUF;
	EXPECT_EQ(-1, ioctl(self->ctl, KIPC_IOC_UNLINK, &u));
	EXPECT_EQ(ENOENT, errno);
	u.kind = KIPC_KIND_MQ;
	u.flags = 1;
	EXPECT_EQ(-1, ioctl(self->ctl, KIPC_IOC_UNLINK, &u));
	EXPECT_EQ(EINVAL, errno);
	u.flags = 0;
	u.name = (uintptr_t)"noslash";
	u.name_len = 7;
	EXPECT_EQ(-1, ioctl(self->ctl, KIPC_IOC_UNLINK, &u));
	EXPECT_EQ(EINVAL, errno);
	u.name_len = KIPC_NAME_MAX + 1;
	EXPECT_EQ(-1, ioctl(self->ctl, KIPC_IOC_UNLINK, &u));
	EXPECT_EQ(ENAMETOOLONG, errno);
	u.name = 8;
	u.name_len = 4;
	EXPECT_EQ(-1, ioctl(self->ctl, KIPC_IOC_UNLINK, &u));
	EXPECT_EQ(EFAULT, errno);
	/* none of that removed the queue */
	u.name = (uintptr_t)self->name;
	u.name_len = strlen(self->name);
	EXPECT_EQ(0, ioctl(self->ctl, KIPC_IOC_UNLINK, &u));
}

/* Unlinked, the queue lives on for its fds; the name is free at once. */
TEST_F(mq, unlink_while_open)
{
	char buf[8];
	int fd;

	ASSERT_EQ(0, mq_send(self->fd, "kept", 0, 0, 0));
	ASSERT_EQ(0, mq_unlink(self->ctl, self->name));
	EXPECT_EQ(ENOENT, mq_unlink(self->ctl, self->name));
	EXPECT_EQ(ENOENT, mq_open(self->ctl, self->name, RW, &fd));
	ASSERT_EQ(0, mq_recv(self->fd, buf, 8, 0, 0, 0, NULL));
	EXPECT_STREQ("kept", buf);
	ASSERT_EQ(0, mq_open(self->ctl, self->name,
			     RW | KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, &fd));
	close(fd);	/* errno: NOLINT(clang-analyzer-core.CallAndMessage) */
}

/* Another uid: the mode decides (run as root, drops to nobody). */
TEST_F(mq, permissions)
{
	int status;
	pid_t pid;

	if (geteuid() != 0)
		SKIP(return, "needs root to switch uid");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		if (mq_open(self->ctl, self->name, KIPC_OPEN_READ, &fd) != EACCES)
			_exit(11);
		if (mq_open(self->ctl, self->name, KIPC_OPEN_WRITE, &fd) != EACCES)
			_exit(12);
		if (mq_unlink(self->ctl, self->name) != EACCES)
			_exit(13);
		/* its own queue, mode 0600: fine for it */
		if (mq_open(self->ctl, "/kipc-nobody", RW | KIPC_OPEN_CREATE, &fd))
			_exit(14);
		if (mq_unlink(self->ctl, "/kipc-nobody"))
			_exit(15);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* Another IPC namespace does not see the name. */
TEST_F(mq, ipc_namespace_isolation)
{
	int status;
	pid_t pid;

	if (geteuid() != 0)
		SKIP(return, "needs CAP_SYS_ADMIN for unshare");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int ctl, fd;

		if (unshare(CLONE_NEWIPC))
			_exit(10);
		ctl = open(KIPC_DEVICE_PATH, O_RDWR);
		if (ctl < 0)
			_exit(11);
		if (mq_open(ctl, self->name, RW, &fd) != ENOENT)
			_exit(12);
		/* the same name here is another queue */
		if (mq_open(ctl, self->name, RW | KIPC_OPEN_CREATE |
			    KIPC_OPEN_EXCL, &fd))
			_exit(13);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* the old control fd still works in the old namespace */
	int fd = -1;
	EXPECT_EQ(0, mq_open(self->ctl, self->name, RW, &fd));
	close(fd);
}

/* An anonymous queue, shared by fork. */
TEST(anonymous)
{
	int ctl = open(KIPC_DEVICE_PATH, O_RDWR), fd = -1, status;
	char buf[8];
	pid_t pid;

	ASSERT_LE(0, ctl);
	ASSERT_EQ(0, mq_open(ctl, NULL, RW | KIPC_OPEN_CREATE, &fd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(mq_send(fd, "anon", 0, 0, 0));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, mq_recv(fd, buf, 8, 0, 0, 0, NULL));
	EXPECT_STREQ("anon", buf);
	close(fd);
	close(ctl);
}

TEST_HARNESS_MAIN
