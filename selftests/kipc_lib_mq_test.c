// SPDX-License-Identifier: GPL-2.0
/* kipc_lib_mq_test: libkipc's kipc_mq_* functions, epoll and restarts. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <kipc.h>

#include "kselftest_harness.h"

#define RW (KIPC_OPEN_READ | KIPC_OPEN_WRITE)
#define CREATE (RW | KIPC_OPEN_CREATE)

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static int send_str(int fd, const char *s, unsigned int prio, uint64_t type)
{
	struct kipc_msg m = {
		.buf = (void *)s, .len = strlen(s), .prio = prio, .type = type,
	};

	return kipc_mq_send(fd, &m, 0, -1);
}

FIXTURE(lib)
{
	int fd;
	char buf[128];
	struct kipc_msg m;
};

FIXTURE_SETUP(lib)
{
	struct kipc_mq_attr attr = { .max_msgs = 4, .msg_size = 64 };

	/* an anonymous queue through a control fd of the call's own */
	self->fd = kipc_mq_open(-1, NULL, CREATE, &attr);
	ASSERT_LE(0, self->fd) TH_LOG("kipc_mq_open: %s", strerror(-self->fd));
	memset(self->buf, 0, sizeof(self->buf));
	self->m = (struct kipc_msg){ .buf = self->buf, .len = sizeof(self->buf) };
}

FIXTURE_TEARDOWN(lib)
{
	kipc_mq_close(self->fd);
}

TEST_F(lib, open_named)
{
	char name[64];
	struct kipc_mq_stat st;
	int ctl = kipc_open(), fd, fd2;

	ASSERT_LE(0, ctl);
	snprintf(name, sizeof(name), "/kipc-lib-%d", getpid());
	fd = kipc_mq_open(ctl, name, CREATE | KIPC_OPEN_EXCL, NULL);
	ASSERT_LE(0, fd);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(-EEXIST, kipc_mq_open(ctl, name, CREATE | KIPC_OPEN_EXCL,
					NULL));
	fd2 = kipc_mq_open(-1, name, KIPC_OPEN_READ | KIPC_OPEN_NONBLOCK, NULL);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(O_RDONLY | O_NONBLOCK,
		  fcntl(fd2, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	/* defaults when attr is NULL */
	ASSERT_EQ(0, kipc_mq_stat(fd2, &st, sizeof(st)));
	EXPECT_EQ(64, st.max_msgs);
	EXPECT_EQ(8192, st.msg_size);
	EXPECT_EQ(0600 & ~0022, st.mode & ~0022);
	EXPECT_EQ(0, kipc_mq_close(fd2));
	EXPECT_EQ(0, kipc_mq_unlink(ctl, name));
	EXPECT_EQ(-ENOENT, kipc_mq_unlink(-1, name));
	EXPECT_EQ(-ENOENT, kipc_mq_open(ctl, name, RW, NULL));
	EXPECT_EQ(0, kipc_mq_close(fd));
	EXPECT_EQ(-EBADF, kipc_mq_close(fd));
	close(ctl);
}

TEST_F(lib, open_errors)
{
	char longname[KIPC_NAME_MAX + 2];

	memset(longname, 'x', sizeof(longname) - 1);
	longname[0] = '/';
	longname[sizeof(longname) - 1] = '\0';
	EXPECT_EQ(-EINVAL, kipc_mq_open(-1, "", CREATE, NULL));
	EXPECT_EQ(-EINVAL, kipc_mq_open(-1, "noslash", CREATE, NULL));
	EXPECT_EQ(-EINVAL, kipc_mq_open(-1, NULL, RW, NULL));
	EXPECT_EQ(-EINVAL, kipc_mq_open(-1, "/x", KIPC_OPEN_CREATE, NULL));
	EXPECT_EQ(-ENAMETOOLONG, kipc_mq_open(-1, longname, CREATE, NULL));
	EXPECT_EQ(-EINVAL, kipc_mq_open(-1, NULL, CREATE,
				       &(struct kipc_mq_attr){ .mode = 01000 }));
	EXPECT_EQ(-EINVAL, kipc_mq_unlink(-1, NULL));
	EXPECT_EQ(-ENAMETOOLONG, kipc_mq_unlink(-1, longname));
	EXPECT_EQ(-EBADF, kipc_mq_open(1000, "/x", CREATE, NULL));
}

TEST_F(lib, send_receive)
{
	ASSERT_EQ(0, send_str(self->fd, "low", 1, 7));
	ASSERT_EQ(0, send_str(self->fd, "high", 9, 8));
	ASSERT_EQ(0, kipc_mq_receive(self->fd, &self->m, KIPC_MQ_SELECT_ANY, 0,
				     0, -1));
	EXPECT_EQ(4, self->m.len);
	EXPECT_EQ(4, self->m.msg_len);
	EXPECT_EQ(0, memcmp("high", self->buf, 4));
	EXPECT_EQ(9, self->m.prio);
	EXPECT_EQ(8, self->m.type);
	EXPECT_EQ(getpid(), self->m.sender_pid);
	EXPECT_EQ(getuid(), self->m.sender_uid);
	EXPECT_NE(0, self->m.timestamp_ns);
	/* a selector that matches nothing, without waiting */
	self->m.len = sizeof(self->buf);
	EXPECT_EQ(-EAGAIN, kipc_mq_receive(self->fd, &self->m,
					   KIPC_MQ_SELECT_EXACT, 8, 0, 0));
	/* peek, then a too-small buffer, then truncation */
	ASSERT_EQ(0, kipc_mq_receive(self->fd, &self->m, KIPC_MQ_SELECT_EXACT,
				     7, KIPC_MQ_PEEK, 0));
	self->m.len = 2;
	EXPECT_EQ(-EMSGSIZE, kipc_mq_receive(self->fd, &self->m, 0, 0, 0, 0));
	EXPECT_EQ(3, self->m.msg_len);
	ASSERT_EQ(0, kipc_mq_receive(self->fd, &self->m, 0, 0,
				     KIPC_MQ_TRUNCATE, 0));
	EXPECT_EQ(2, self->m.len);
	EXPECT_EQ(3, self->m.msg_len);
	EXPECT_EQ(0, memcmp("lo", self->buf, 2));
}

TEST_F(lib, bad_arguments)
{
	EXPECT_EQ(-EINVAL, kipc_mq_send(self->fd, NULL, 0, -1));
	EXPECT_EQ(-EINVAL, kipc_mq_receive(self->fd, NULL, 0, 0, 0, -1));
	/* the deadline is the library's business, from the timeout */
	EXPECT_EQ(-EINVAL, kipc_mq_send(self->fd, &self->m, KIPC_MQ_DEADLINE,
					-1));
	EXPECT_EQ(-EINVAL, kipc_mq_receive(self->fd, &self->m, 0, 0,
					   KIPC_MQ_DEADLINE, -1));
	EXPECT_EQ(-EINVAL, kipc_mq_send(self->fd, &self->m, KIPC_MQ_PEEK, -1));
	EXPECT_EQ(-EINVAL, kipc_mq_send(self->fd, &self->m, 1u << 31, -1));
	EXPECT_EQ(-EINVAL, kipc_mq_send(self->fd, &self->m, 0, -2));
	EXPECT_EQ(-EINVAL, kipc_mq_receive(self->fd, &self->m, 0, 0, 0, -2));
	EXPECT_EQ(-EINVAL, kipc_mq_receive(self->fd, &self->m, 99, 0, 0, 0));
	self->m.len = 65;
	EXPECT_EQ(-EMSGSIZE, kipc_mq_send(self->fd, &self->m, 0, -1));
	self->m.len = (size_t)UINT32_MAX + 1;
	EXPECT_EQ(-EMSGSIZE, kipc_mq_send(self->fd, &self->m, 0, -1));
	self->m.len = 1;
	self->m.prio = KIPC_MQ_PRIO_MAX + 1;
	EXPECT_EQ(-EINVAL, kipc_mq_send(self->fd, &self->m, 0, -1));
	EXPECT_EQ(-EBADF, kipc_mq_send(-1, &self->m, 0, -1));
	int null = open("/dev/null", O_RDWR);
	ASSERT_LE(0, null);
	EXPECT_EQ(-ENOTTY, kipc_mq_send(null, &self->m, 0, -1));
	close(null);
	struct kipc_mq_stat st;
	EXPECT_EQ(-EINVAL, kipc_mq_stat(self->fd, NULL, sizeof(st)));
	EXPECT_EQ(-EINVAL, kipc_mq_stat(self->fd, &st, 4));
}

TEST_F(lib, timeouts)
{
	int64_t t0 = mono_ns();

	EXPECT_EQ(-EAGAIN, kipc_mq_receive(self->fd, &self->m, 0, 0, 0, 0));
	EXPECT_EQ(-EAGAIN, kipc_mq_receive(self->fd, &self->m, 0, 0,
					   KIPC_MQ_NONBLOCK, -1));
	EXPECT_EQ(-ETIMEDOUT, kipc_mq_receive(self->fd, &self->m, 0, 0, 0,
					      50000000));
	EXPECT_LE(50000000, mono_ns() - t0);
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(0, send_str(self->fd, "x", 0, 0));
	struct kipc_msg m = { .buf = "y", .len = 1 };
	EXPECT_EQ(-EAGAIN, kipc_mq_send(self->fd, &m, 0, 0));
	t0 = mono_ns();
	EXPECT_EQ(-ETIMEDOUT, kipc_mq_send(self->fd, &m, 0, 20000000));
	EXPECT_LE(20000000, mono_ns() - t0);
	/* a huge timeout is "very long", not an overflow into the past */
	EXPECT_EQ(-EAGAIN, kipc_mq_send(self->fd, &m, KIPC_MQ_NONBLOCK,
					INT64_MAX));
}

TEST_F(lib, batch)
{
	char out[100][8], in[100][8];
	struct kipc_msg m[100];
	struct kipc_mq_attr attr = { .max_msgs = 100, .msg_size = 8 };
	int fd = kipc_mq_open(-1, NULL, CREATE, &attr);

	ASSERT_LE(0, fd);
	for (int i = 0; i < 100; i++) {
		snprintf(out[i], sizeof(out[i]), "%d", i);
		m[i] = (struct kipc_msg){ .buf = out[i], .len = strlen(out[i]),
					  .type = i };
	}
	/* 100 entries: the library's array comes from the heap */
	ASSERT_EQ(100, kipc_mq_send_batch(fd, m, 100, 0, -1));
	EXPECT_EQ(-EAGAIN, kipc_mq_send_batch(fd, m, 1, 0, 0));
	memset(m, 0, sizeof(m));
	for (int i = 0; i < 100; i++)
		m[i] = (struct kipc_msg){ .buf = in[i], .len = sizeof(in[i]) };
	m[60].len = 1;		/* "60" does not fit: the batch ends before */
	ASSERT_EQ(60, kipc_mq_receive_batch(fd, m, 100, 0, 0, 0, -1));
	EXPECT_EQ(2, m[60].msg_len);
	for (int i = 0; i < 60; i++) {
		ASSERT_EQ(strlen(out[i]), m[i].len);
		ASSERT_EQ(0, memcmp(out[i], in[i], m[i].len));
		ASSERT_EQ(i, m[i].type);
		ASSERT_EQ(getpid(), m[i].sender_pid);
	}
	EXPECT_EQ(-EMSGSIZE, kipc_mq_receive_batch(fd, m + 60, 1, 0, 0, 0, 0));
	EXPECT_EQ(2, m[60].msg_len);
	ASSERT_EQ(40, kipc_mq_receive_batch(fd, m, 50, 0, 0, KIPC_MQ_TRUNCATE,
					    0));
	EXPECT_EQ(-EAGAIN, kipc_mq_receive_batch(fd, m, 50, 0, 0, 0, 0));
	EXPECT_EQ(-EINVAL, kipc_mq_send_batch(fd, m, 0, 0, -1));
	EXPECT_EQ(-EINVAL, kipc_mq_send_batch(fd, m, KIPC_MQ_BATCH_MAX + 1, 0,
					      -1));
	EXPECT_EQ(-EINVAL, kipc_mq_receive_batch(fd, m, 1, 0, 0, KIPC_MQ_PEEK,
						 0));
	EXPECT_EQ(-EINVAL, kipc_mq_send_batch(fd, NULL, 1, 0, -1));
	EXPECT_EQ(-EINVAL, kipc_mq_receive_batch(fd, NULL, 1, 0, 0, 0, -1));
	/* an entry too long for 32 bits ends a batch like a too-long one */
	m[0] = (struct kipc_msg){ .buf = out[0], .len = 1 };
	m[1] = (struct kipc_msg){ .buf = out[1], .len = (size_t)1 << 32 };
	EXPECT_EQ(1, kipc_mq_send_batch(fd, m, 2, 0, -1));
	EXPECT_EQ(-EMSGSIZE, kipc_mq_send_batch(fd, m + 1, 1, 0, -1));
	kipc_mq_close(fd);
}

TEST_F(lib, stat)
{
	struct kipc_mq_stat st;

	ASSERT_EQ(0, send_str(self->fd, "abc", 0, 0));
	ASSERT_EQ(0, kipc_mq_stat(self->fd, &st, sizeof(st)));
	EXPECT_EQ(sizeof(st), st.size);
	EXPECT_EQ(4, st.max_msgs);
	EXPECT_EQ(64, st.msg_size);
	EXPECT_EQ(1, st.depth);
	EXPECT_EQ(3, st.bytes);
	EXPECT_EQ(1, st.sent);
}

static void *sender(void *arg)
{
	int fd = *(int *)arg;
	char buf[16];

	for (int i = 0; i < 1000; i++) {
		struct kipc_msg m = { .buf = buf };

		m.len = snprintf(buf, sizeof(buf), "%d", i);
		if (kipc_mq_send(fd, &m, 0, -1))
			return (void *)1;
	}
	return NULL;
}

/* Threads share one queue fd; each thread's messages stay in order. */
TEST_F(lib, threads)
{
	pthread_t t[2];
	int next[2] = { 0, 0 };

	for (int i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, sender, &self->fd));
	for (int n = 0; n < 2000; n++) {
		self->m.len = sizeof(self->buf) - 1;
		ASSERT_EQ(0, kipc_mq_receive(self->fd, &self->m, 0, 0, 0, -1));
		self->buf[self->m.len] = '\0';
		int v = atoi(self->buf);
		/* each value comes once from each thread, in order per thread */
		if (v == next[0])
			next[0]++;
		else
			ASSERT_EQ(next[1]++, v);
	}
	for (int i = 0; i < 2; i++) {
		void *ret;

		ASSERT_EQ(0, pthread_join(t[i], &ret));
		EXPECT_EQ(NULL, ret);
	}
	EXPECT_EQ(1000, next[0]);
	EXPECT_EQ(1000, next[1]);
}

/* epoll: readable when a message arrives, writable when room opens. */
TEST_F(lib, epoll)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 1 }, out;
	int ep = epoll_create1(EPOLL_CLOEXEC), status;
	pid_t pid;

	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->fd, &ev));
	EXPECT_EQ(0, epoll_wait(ep, &out, 1, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(50000);
		_exit(send_str(self->fd, "wake", 0, 0) ? 1 : 0);
	}
	ASSERT_EQ(1, epoll_wait(ep, &out, 1, 10000));
	EXPECT_EQ(EPOLLIN, out.events);
	EXPECT_EQ(1, out.data.u32);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);

	/* fill it; EPOLLOUT comes back when another process takes one */
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, send_str(self->fd, "fill", 0, 0));
	ev.events = EPOLLOUT | EPOLLET;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_MOD, self->fd, &ev));
	EXPECT_EQ(0, epoll_wait(ep, &out, 1, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(50000);
		_exit(kipc_mq_receive(self->fd, &self->m, 0, 0, 0, 0) ? 1 : 0);
	}
	ASSERT_EQ(1, epoll_wait(ep, &out, 1, 10000));
	EXPECT_EQ(EPOLLOUT, out.events);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	close(ep);
}

static volatile sig_atomic_t ticks;

static void on_tick(int sig)
{
	(void)sig;
	ticks++;
}

static void start_ticks(void)
{
	struct sigaction sa = { .sa_handler = on_tick, .sa_flags = SA_RESTART };
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };

	ticks = 0;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void stop_ticks(void)
{
	struct itimerval it = {};

	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_DFL);
}

/*
 * With SA_RESTART a wait survives signals: it goes on until the message
 * comes; and the deadline stays where it was (signals every 20 ms would
 * otherwise push a 200 ms timeout out for ever).
 */
TEST_F(lib, sa_restart)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(300000);
		_exit(send_str(self->fd, "late", 0, 0) ? 1 : 0);
	}
	start_ticks();
	EXPECT_EQ(0, kipc_mq_receive(self->fd, &self->m, 0, 0, 0, -1));
	EXPECT_LT(1, ticks);
	EXPECT_EQ(0, memcmp("late", self->buf, 4));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);

	int64_t t0 = mono_ns();
	EXPECT_EQ(-ETIMEDOUT, kipc_mq_receive(self->fd, &self->m, 0, 0, 0,
					      200000000));
	EXPECT_LE(200000000, mono_ns() - t0);
	EXPECT_LT(1, ticks);
	stop_ticks();
}

TEST_HARNESS_MAIN
