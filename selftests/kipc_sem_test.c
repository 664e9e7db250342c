// SPDX-License-Identifier: GPL-2.0
/*
 * kipc_sem_test: semaphores: creation, wait and post, overflow, timeouts,
 * signals, FIFO order with different counts, undo across close, death,
 * dup, fork and SCM_RIGHTS, reopen, poll.
 *
 * The ABI is exercised with raw ioctls where a bad input is the point and
 * through libkipc elsewhere. Children report through their exit status;
 * the order of events between processes is forced by waiting until the
 * semaphore's stats show a waiter, never by sleeping and hoping.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <kipc.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

_Static_assert(sizeof(struct kipc_sem_open) == 48, "kipc_sem_open size");
_Static_assert(sizeof(struct kipc_sem_wait) == 24, "kipc_sem_wait size");
_Static_assert(sizeof(struct kipc_sem_post) == 16, "kipc_sem_post size");
_Static_assert(sizeof(struct kipc_sem_stat) == 104, "kipc_sem_stat size");
_Static_assert(sizeof(struct kipc_sem_reopen) == 16, "kipc_sem_reopen size");

#define RW	(KIPC_OPEN_READ | KIPC_OPEN_WRITE)
#define CREATE	(RW | KIPC_OPEN_CREATE | KIPC_OPEN_EXCL)
#define ANON	(RW | KIPC_OPEN_CREATE)
#define NOBODY	65534

static int sem_open_raw(int ctl, const char *name, uint32_t flags,
			uint32_t value, uint32_t max, uint32_t mode,
			struct kipc_sem_open *out)
{
	struct kipc_sem_open o = {
		.size = sizeof(o), .flags = flags,
		.name = (uintptr_t)name, .name_len = name ? strlen(name) : 0,
		.mode = mode, .value = value, .max = max, .fd = -1,
	};
	int ret = ioctl(ctl, KIPC_IOC_SEM_OPEN, &o) ? errno : 0;

	if (out)
		*out = o;
	return ret;
}

/* An anonymous semaphore's fd, or -1. */
static int anon_sem(int ctl, uint32_t flags, uint32_t value, uint32_t max)
{
	struct kipc_sem_attr attr = { .value = value, .max = max,
				      .mode = 0600 };
	int fd = kipc_sem_open(ctl, NULL, flags | KIPC_OPEN_CREATE, &attr);

	return fd < 0 ? -1 : fd;
}

static struct kipc_sem_stat sem_stat(int fd)
{
	struct kipc_sem_stat st;

	if (kipc_sem_stat(fd, &st, sizeof(st)))
		memset(&st, 0xff, sizeof(st));
	return st;
}

static uint32_t value_of(int fd)
{
	unsigned int v;

	return kipc_sem_getvalue(fd, &v) ? UINT32_MAX : v;
}

static int wait_raw(int fd, uint32_t count, uint32_t flags, uint64_t deadline)
{
	struct kipc_sem_wait w = {
		.size = sizeof(w), .flags = flags, .count = count,
		.deadline_ns = deadline,
	};

	return ioctl(fd, KIPC_IOC_SEM_WAIT, &w) ? errno : 0;
}

/* Poll until the semaphore has n waiters; false after about 10 s. */
static bool wait_for_waiters(int fd, uint32_t n)
{
	for (int i = 0; i < 10000; i++) {
		if (sem_stat(fd).waiters == n)
			return true;
		usleep(1000);
	}
	return false;
}

/* Has the child exited yet? Its status then, else -2. */
static int try_reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, WNOHANG) != pid)
		return -2;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static short revents(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

/* A child that waits for count on fd and exits 0 once it has it. */
static pid_t waiter(int fd, unsigned int count)
{
	pid_t pid = fork();

	if (!pid)
		_exit(kipc_sem_wait(fd, count) ? 1 : 0);
	return pid;
}

/* Start a waiter and return once it is queued, as the n-th waiter. */
static pid_t queued_waiter(int fd, unsigned int count, uint32_t n)
{
	pid_t pid = waiter(fd, count);

	if (pid > 0 && !wait_for_waiters(fd, n)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

FIXTURE(sem)
{
	int ctl;
	int fd;
	char name[64];
	unsigned int handoff_us;	/* the module's, put back at the end */
};

/* Set sem_handoff_us; the fixture puts the module's back. */
static bool set_handoff(unsigned int us)
{
	char v[16];

	snprintf(v, sizeof(v), "%u", us);
	return kipc_param_set("sem_handoff_us", v) == 0;
}

FIXTURE_SETUP(sem)
{
	struct kipc_sem_attr attr = { .value = 0, .max = 10, .mode = 0600 };

	/*
	 * Most tests check the order waiters are served in: hand off in
	 * order at once, unless a test says otherwise.
	 */
	ASSERT_EQ(0, kipc_param_get("sem_handoff_us", &self->handoff_us));
	ASSERT_TRUE(set_handoff(0)) TH_LOG("cannot set sem_handoff_us: root?");
	self->ctl = kipc_open();
	ASSERT_LE(0, self->ctl);
	snprintf(self->name, sizeof(self->name), "/kipc-sem-test-%d",
		 getpid());
	self->fd = kipc_sem_open(self->ctl, self->name, CREATE, &attr);
	ASSERT_LE(0, self->fd) TH_LOG("kipc_sem_open: %s",
				      strerror(-self->fd));
}

FIXTURE_TEARDOWN(sem)
{
	kipc_sem_unlink(self->ctl, self->name);
	close(self->fd);
	close(self->ctl);
	set_handoff(self->handoff_us);
}

TEST_F(sem, create_and_stat)
{
	struct kipc_sem_stat st = sem_stat(self->fd);
	struct kipc_sem_open o;

	EXPECT_NE(0, st.id);
	EXPECT_EQ(0, st.value);
	EXPECT_EQ(10, st.max);
	EXPECT_EQ(0, st.waiters);
	EXPECT_EQ(0, st.first_wants);
	EXPECT_EQ(0600, st.mode);
	EXPECT_EQ(getuid(), st.uid);
	EXPECT_EQ(getgid(), st.gid);
	EXPECT_EQ(0, st.undo);
	EXPECT_EQ(0, st.waits);
	EXPECT_EQ(0, st.posts);
	EXPECT_EQ(0, st.sleeps);
	EXPECT_EQ(0, st.undone);
	EXPECT_EQ(0, st.undo_dropped);
	EXPECT_EQ(0, st.held);
	EXPECT_NE(0, st.ctime_ns);

	/* max 0 is the largest; the value may start there */
	ASSERT_EQ(0, sem_open_raw(self->ctl, NULL, ANON, KIPC_SEM_VALUE_MAX,
				  0, 0600, &o));
	EXPECT_EQ(KIPC_SEM_VALUE_MAX, o.max);
	EXPECT_NE(0, o.id);
	EXPECT_NE(st.id, o.id);
	EXPECT_EQ(KIPC_SEM_VALUE_MAX, value_of(o.fd));
	close(o.fd);

	/* an existing semaphore keeps its value and maximum, and says so */
	ASSERT_EQ(0, kipc_sem_post(self->fd, 4));
	ASSERT_EQ(0, sem_open_raw(self->ctl, self->name, RW | KIPC_OPEN_CREATE,
				  1, 2, 0600, &o));
	EXPECT_EQ(10, o.max);
	EXPECT_EQ(4, value_of(o.fd));
	close(o.fd);
	ASSERT_EQ(0, sem_open_raw(self->ctl, self->name, KIPC_OPEN_READ, 0, 0,
				  0, &o));
	EXPECT_EQ(10, o.max);
	EXPECT_EQ(st.id, o.id);
	close(o.fd);
}

TEST_F(sem, open_errors)
{
	struct kipc_sem_open o;
	int fd;

	/* value above the maximum, maximum above the largest, mode */
	EXPECT_EQ(EINVAL, sem_open_raw(self->ctl, NULL, ANON, 3, 2, 0600,
				       NULL));
	EXPECT_EQ(EINVAL, sem_open_raw(self->ctl, NULL, ANON, 0,
				       KIPC_SEM_VALUE_MAX + 1, 0600, NULL));
	EXPECT_EQ(EINVAL, sem_open_raw(self->ctl, NULL, ANON,
				       KIPC_SEM_VALUE_MAX + 1, 0, 0600, NULL));
	EXPECT_EQ(EINVAL, sem_open_raw(self->ctl, NULL, ANON, 0, 0, 01000,
				       NULL));
	/* no access, anonymous without CREATE, EXCL without CREATE */
	EXPECT_EQ(EINVAL, sem_open_raw(self->ctl, NULL, KIPC_OPEN_CREATE, 0, 0,
				       0600, NULL));
	EXPECT_EQ(EINVAL, sem_open_raw(self->ctl, NULL, RW, 0, 0, 0600, NULL));
	EXPECT_EQ(EINVAL, sem_open_raw(self->ctl, self->name,
				       RW | KIPC_OPEN_EXCL, 0, 0, 0600, NULL));
	/* names */
	EXPECT_EQ(EINVAL, sem_open_raw(self->ctl, "no-slash", CREATE, 0, 0,
				       0600, NULL));
	EXPECT_EQ(EINVAL, sem_open_raw(self->ctl, "/a/b", CREATE, 0, 0, 0600,
				       NULL));
	EXPECT_EQ(ENOENT, sem_open_raw(self->ctl, "/kipc-sem-test-none", RW,
				       0, 0, 0, NULL));
	EXPECT_EQ(EEXIST, sem_open_raw(self->ctl, self->name, CREATE, 0, 0,
				       0600, NULL));
	/* with CREATE, bad settings fail even for an existing semaphore */
	EXPECT_EQ(EINVAL, sem_open_raw(self->ctl, self->name,
				       RW | KIPC_OPEN_CREATE, 5, 1, 0600, NULL));
	/* unknown flag, non-zero reserved */
	EXPECT_EQ(EINVAL, sem_open_raw(self->ctl, NULL, ANON | (1u << 31), 0,
				       0, 0600, NULL));
	o = (struct kipc_sem_open){
		.size = sizeof(o), .flags = ANON, .__reserved = 1,
	};
	EXPECT_EQ(-1, ioctl(self->ctl, KIPC_IOC_SEM_OPEN, &o));
	EXPECT_EQ(EINVAL, errno);

	/* KIPC_OPEN_UNDO is the semaphores' alone */
	struct kipc_mq_attr mq = { .max_msgs = 1, .msg_size = 1 };
	struct kipc_buf_attr buf = { .size = 1 };

	EXPECT_EQ(-EINVAL, kipc_mq_open(self->ctl, NULL,
					ANON | KIPC_OPEN_UNDO, &mq));
	EXPECT_EQ(-EINVAL, kipc_buf_open(self->ctl, NULL,
					 ANON | KIPC_OPEN_UNDO, &buf, NULL));

	/* names are per kind: a queue of the same name is another object */
	EXPECT_EQ(-EEXIST, kipc_mq_open(self->ctl, self->name, ANON, NULL));
	fd = kipc_mq_open(self->ctl, "/kipc-sem-test-mq", ANON, NULL);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(ENOENT, sem_open_raw(self->ctl, "/kipc-sem-test-mq", RW, 0,
				       0, 0, NULL));
	EXPECT_EQ(-ENOENT, kipc_sem_unlink(self->ctl, "/kipc-sem-test-mq"));
	EXPECT_EQ(0, kipc_mq_unlink(self->ctl, "/kipc-sem-test-mq"));

	/* the library's own checks */
	EXPECT_EQ(-EINVAL, kipc_sem_open(self->ctl, "", RW, NULL));
	EXPECT_EQ(-EINVAL, kipc_sem_getvalue(self->fd, NULL));
	EXPECT_EQ(-EINVAL, kipc_sem_timedwait(self->fd, 1, -1));
	EXPECT_EQ(-EINVAL, kipc_sem_unlink(self->ctl, NULL));
}

/* Every command checks size, flags and pointers like the others do. */
TEST_F(sem, size_probe)
{
	static const struct kipc_probe_cmd cmds[] = {
		KIPC_PROBE(KIPC_IOC_SEM_WAIT, struct kipc_sem_wait),
		KIPC_PROBE(KIPC_IOC_SEM_POST, struct kipc_sem_post),
		KIPC_PROBE(KIPC_IOC_SEM_STAT, struct kipc_sem_stat),
		KIPC_PROBE(KIPC_IOC_SEM_REOPEN, struct kipc_sem_reopen),
	};
	const char *err = kipc_size_probe(self->fd, cmds,
					  KIPC_ARRAY_SIZE(cmds), self->ctl);
	struct kipc_sem_post p = { .size = sizeof(p), .count = 1 };
	struct kipc_sem_reopen r = { .size = sizeof(r), .flags = RW };
	char b[4096 + 8];

	EXPECT_EQ(NULL, err) TH_LOG("%s", err);
	/* a larger, zero-tailed STAT works; a buffer command does not */
	memset(b, 0, sizeof(b));
	*(uint32_t *)b = 4096;
	EXPECT_EQ(0, ioctl(self->fd, KIPC_IOC_SEM_STAT, b));
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_BUF_STAT, b));
	EXPECT_EQ(ENOTTY, errno);
	/* reserved fields */
	p.__reserved = 1;
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_SEM_POST, &p));
	EXPECT_EQ(EINVAL, errno);
	r.__reserved = 1;
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_SEM_REOPEN, &r));
	EXPECT_EQ(EINVAL, errno);
	struct kipc_sem_wait w = { .size = sizeof(w), .count = 1,
				   .__reserved = 1 };
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_SEM_WAIT, &w));
	EXPECT_EQ(EINVAL, errno);
	struct kipc_sem_stat st = { .size = sizeof(st), .flags = 1 };
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_SEM_STAT, &st));
	EXPECT_EQ(EINVAL, errno);
	/* nothing of that changed the value */
	EXPECT_EQ(0, value_of(self->fd));
}

TEST_F(sem, wait_and_post)
{
	struct kipc_sem_stat st;

	EXPECT_EQ(-EAGAIN, kipc_sem_trywait(self->fd, 1));
	EXPECT_EQ(0, kipc_sem_post(self->fd, 3));
	EXPECT_EQ(3, value_of(self->fd));
	EXPECT_EQ(0, kipc_sem_wait(self->fd, 2));
	EXPECT_EQ(1, value_of(self->fd));
	/* all or nothing: 2 is not there, and nothing is taken */
	EXPECT_EQ(-EAGAIN, kipc_sem_trywait(self->fd, 2));
	EXPECT_EQ(1, value_of(self->fd));
	EXPECT_EQ(0, kipc_sem_trywait(self->fd, 1));
	EXPECT_EQ(0, value_of(self->fd));

	/* counts of 0, and above the maximum, can never be taken */
	EXPECT_EQ(-EINVAL, kipc_sem_wait(self->fd, 0));
	EXPECT_EQ(-EINVAL, kipc_sem_wait(self->fd, 11));
	EXPECT_EQ(-EINVAL, kipc_sem_wait(self->fd, UINT32_MAX));
	EXPECT_EQ(-EINVAL, kipc_sem_post(self->fd, 0));
	/* the maximum itself can */
	EXPECT_EQ(0, kipc_sem_post(self->fd, 10));
	EXPECT_EQ(0, kipc_sem_wait(self->fd, 10));

	st = sem_stat(self->fd);
	EXPECT_EQ(0, st.value);
	EXPECT_EQ(3, st.waits);
	EXPECT_EQ(2, st.posts);
	EXPECT_EQ(0, st.sleeps);
}

/* A post past the maximum changes nothing; the value never wraps. */
TEST_F(sem, overflow)
{
	EXPECT_EQ(0, kipc_sem_post(self->fd, 7));
	EXPECT_EQ(-EOVERFLOW, kipc_sem_post(self->fd, 4));
	EXPECT_EQ(7, value_of(self->fd));
	EXPECT_EQ(-EOVERFLOW, kipc_sem_post(self->fd, UINT32_MAX));
	EXPECT_EQ(-EOVERFLOW, kipc_sem_post(self->fd, UINT32_MAX - 6));
	EXPECT_EQ(7, value_of(self->fd));
	EXPECT_EQ(0, kipc_sem_post(self->fd, 3));
	EXPECT_EQ(10, value_of(self->fd));
	EXPECT_EQ(-EOVERFLOW, kipc_sem_post(self->fd, 1));
	EXPECT_EQ(10, value_of(self->fd));
	EXPECT_EQ(2, sem_stat(self->fd).posts);

	/* at the largest maximum too */
	int fd = anon_sem(self->ctl, RW, KIPC_SEM_VALUE_MAX - 1, 0);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EOVERFLOW, kipc_sem_post(fd, 2));
	EXPECT_EQ(-EOVERFLOW, kipc_sem_post(fd, UINT32_MAX));
	EXPECT_EQ(0, kipc_sem_post(fd, 1));
	EXPECT_EQ(KIPC_SEM_VALUE_MAX, value_of(fd));
	EXPECT_EQ(-EOVERFLOW, kipc_sem_post(fd, 1));
	EXPECT_EQ(0, kipc_sem_wait(fd, KIPC_SEM_VALUE_MAX));
	EXPECT_EQ(0, value_of(fd));
	close(fd);
}

/* Waiting needs read access, posting write access; stat needs either. */
TEST_F(sem, access)
{
	int rd, wr;

	ASSERT_EQ(0, kipc_sem_post(self->fd, 2));
	rd = kipc_sem_open(self->ctl, self->name, KIPC_OPEN_READ, NULL);
	ASSERT_LE(0, rd);
	wr = kipc_sem_open(self->ctl, self->name, KIPC_OPEN_WRITE, NULL);
	ASSERT_LE(0, wr);
	EXPECT_EQ(-EBADF, kipc_sem_post(rd, 1));
	EXPECT_EQ(-EBADF, kipc_sem_wait(wr, 1));
	EXPECT_EQ(-EBADF, kipc_sem_trywait(wr, 1));
	EXPECT_EQ(0, kipc_sem_wait(rd, 1));
	EXPECT_EQ(0, kipc_sem_post(wr, 1));
	EXPECT_EQ(2, value_of(rd));
	EXPECT_EQ(2, value_of(wr));
	/* no read() or write() on a semaphore fd */
	char c = 0;

	EXPECT_EQ(-1, read(self->fd, &c, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write(self->fd, &c, 1));
	EXPECT_EQ(EINVAL, errno);
	close(rd);
	close(wr);
}

/* The owner's mode bits; another user gets what the mode gives. */
TEST_F(sem, permissions)
{
	struct kipc_sem_attr attr = { .value = 1, .max = 1, .mode = 0604 };
	char name[80];
	int fd;
	pid_t pid;

	if (getuid() != 0)
		SKIP(return, "needs root to become another user");
	snprintf(name, sizeof(name), "%s-perm", self->name);
	fd = kipc_sem_open(self->ctl, name, CREATE, &attr);
	ASSERT_LE(0, fd);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int r, w, ret;

		/* drop CAP_IPC_OWNER with root: a plain other user */
		if (setgid(NOBODY) || setuid(NOBODY))
			_exit(10);
		r = kipc_sem_open(-1, name, KIPC_OPEN_READ, NULL);
		w = kipc_sem_open(-1, name, KIPC_OPEN_WRITE, NULL);
		if (r < 0)
			_exit(11);
		if (w != -EACCES)
			_exit(12);
		/* a reopen cannot add access either */
		if (kipc_sem_reopen(r, RW) != -EACCES)
			_exit(13);
		if (kipc_sem_wait(r, 1))
			_exit(14);
		ret = kipc_sem_unlink(-1, name);
		_exit(ret == -EACCES ? 0 : 15);
	}
	EXPECT_EQ(0, reap(pid));
	EXPECT_EQ(0, value_of(fd));
	EXPECT_EQ(0, kipc_sem_unlink(self->ctl, name));
	close(fd);
}

TEST_F(sem, timeouts)
{
	uint64_t t0;
	int fd;

	/* a relative timeout: not before it, whatever the load after */
	t0 = mono_ns();
	EXPECT_EQ(-ETIMEDOUT, kipc_sem_timedwait(self->fd, 1, 50000000));
	EXPECT_LE(t0 + 50000000, mono_ns());
	EXPECT_EQ(0, sem_stat(self->fd).waiters);
	/* 0 and a deadline already past: no sleep, but a take if it can */
	EXPECT_EQ(-ETIMEDOUT, kipc_sem_timedwait(self->fd, 1, 0));
	EXPECT_EQ(ETIMEDOUT, wait_raw(self->fd, 1, KIPC_SEM_DEADLINE, 0));
	ASSERT_EQ(0, kipc_sem_post(self->fd, 2));
	EXPECT_EQ(0, kipc_sem_timedwait(self->fd, 1, 0));
	EXPECT_EQ(0, wait_raw(self->fd, 1, KIPC_SEM_DEADLINE, 0));
	EXPECT_EQ(0, value_of(self->fd));
	/* NONBLOCK wins over a deadline */
	EXPECT_EQ(EAGAIN, wait_raw(self->fd, 1,
				   KIPC_SEM_NONBLOCK | KIPC_SEM_DEADLINE,
				   mono_ns() + 1000000000ull));

	/* a timed wait that a post ends early */
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid)
		_exit(kipc_sem_timedwait(self->fd, 2, 20000000000ll) ? 1 : 0);
	ASSERT_TRUE(wait_for_waiters(self->fd, 1));
	EXPECT_EQ(1, kipc_sem_post(self->fd, 2));
	EXPECT_EQ(0, reap(pid));
	EXPECT_EQ(0, value_of(self->fd));

	/* an fd opened NONBLOCK never sleeps */
	uint64_t sleeps = sem_stat(self->fd).sleeps;

	fd = kipc_sem_open(self->ctl, self->name, RW | KIPC_OPEN_NONBLOCK,
			   NULL);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EAGAIN, kipc_sem_wait(fd, 1));
	EXPECT_EQ(sleeps, sem_stat(fd).sleeps);
	close(fd);
}

/* EINTR without SA_RESTART; with it, the wait goes on until posted. */
TEST_F(sem, signals)
{
	for (int restart = 0; restart < 2; restart++) {
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (!pid) {
			struct sigaction sa = {
				.sa_handler = on_signal,
				.sa_flags = restart ? SA_RESTART : 0,
			};
			int r;

			sigaction(SIGUSR1, &sa, NULL);
			r = kipc_sem_timedwait(self->fd, 1, 20000000000ll);
			if (restart)
				_exit(r == 0 ? 0 : 10);
			_exit(r == -EINTR ? 0 : 11);
		}
		ASSERT_TRUE(wait_for_waiters(self->fd, 1));
		kill(pid, SIGUSR1);
		if (restart) {
			/* it restarts and waits again; then a post ends it */
			usleep(100000);
			ASSERT_TRUE(wait_for_waiters(self->fd, 1));
			EXPECT_EQ(1, kipc_sem_post(self->fd, 1));
		}
		EXPECT_EQ(0, reap(pid));
		EXPECT_EQ(0, sem_stat(self->fd).waiters);
		EXPECT_EQ(0, value_of(self->fd));
	}

	/* a waiter killed in its sleep leaves nothing behind, takes nothing */
	pid_t pid = queued_waiter(self->fd, 1, 1);

	ASSERT_LT(0, pid);
	kill(pid, SIGKILL);
	EXPECT_EQ(-1, reap(pid));
	EXPECT_EQ(0, sem_stat(self->fd).waiters);
	EXPECT_EQ(0, kipc_sem_post(self->fd, 1));
	EXPECT_EQ(1, value_of(self->fd));
}

/*
 * Strict FIFO with different counts: a waiter for 3 at the head holds up
 * a waiter for 1 behind it, and a post serves as many as it covers.
 */
TEST_F(sem, fifo_different_counts)
{
	pid_t a, b, c;

	a = queued_waiter(self->fd, 3, 1);
	ASSERT_LT(0, a);
	b = queued_waiter(self->fd, 1, 2);
	ASSERT_LT(0, b);
	c = queued_waiter(self->fd, 2, 3);
	ASSERT_LT(0, c);
	EXPECT_EQ(3, sem_stat(self->fd).first_wants);

	/* 1 would cover b, but b is behind a: nobody is served */
	EXPECT_EQ(0, kipc_sem_post(self->fd, 1));
	EXPECT_EQ(1, value_of(self->fd));
	EXPECT_EQ(3, sem_stat(self->fd).waiters);
	/* nor can anybody overtake the queue without sleeping */
	EXPECT_EQ(-EAGAIN, kipc_sem_trywait(self->fd, 1));
	EXPECT_EQ(-ETIMEDOUT, kipc_sem_timedwait(self->fd, 1, 0));

	/* 3 now: a is served, and only a */
	EXPECT_EQ(1, kipc_sem_post(self->fd, 2));
	EXPECT_EQ(0, reap(a));
	EXPECT_EQ(0, value_of(self->fd));
	EXPECT_EQ(2, sem_stat(self->fd).waiters);
	EXPECT_EQ(1, sem_stat(self->fd).first_wants);
	EXPECT_EQ(-2, try_reap(b));
	EXPECT_EQ(-2, try_reap(c));

	/* one post covers both b and c, and one left over */
	EXPECT_EQ(2, kipc_sem_post(self->fd, 4));
	EXPECT_EQ(0, reap(b));
	EXPECT_EQ(0, reap(c));
	EXPECT_EQ(1, value_of(self->fd));
	EXPECT_EQ(0, sem_stat(self->fd).waiters);
	EXPECT_EQ(0, sem_stat(self->fd).first_wants);
	EXPECT_EQ(3, sem_stat(self->fd).waits);
	EXPECT_EQ(3, sem_stat(self->fd).sleeps);
}

/*
 * Before the first waiter has waited sem_handoff_us, a post wakes those
 * the value covers, in order but skipping counts it does not cover, and
 * a running task may take the value ahead of them; after it, the value
 * goes in order.
 */
TEST_F(sem, overtaking_until_handoff)
{
	pid_t a, b;

	ASSERT_TRUE(set_handoff(10000000));
	a = queued_waiter(self->fd, 3, 1);
	ASSERT_LT(0, a);
	b = queued_waiter(self->fd, 1, 2);
	ASSERT_LT(0, b);

	/* 1 covers b, behind a */
	EXPECT_EQ(1, kipc_sem_post(self->fd, 1));
	EXPECT_EQ(0, reap(b));
	EXPECT_EQ(0, value_of(self->fd));
	EXPECT_EQ(1, sem_stat(self->fd).waiters);
	/* a running task takes what a does not cover */
	EXPECT_EQ(0, kipc_sem_post(self->fd, 2));
	EXPECT_EQ(0, kipc_sem_trywait(self->fd, 1));
	EXPECT_EQ(1, value_of(self->fd));
	EXPECT_EQ(POLLIN | POLLOUT, revents(self->fd));

	/* a has waited long enough now: nobody overtakes it any more */
	ASSERT_TRUE(set_handoff(0));
	EXPECT_EQ(-EAGAIN, kipc_sem_trywait(self->fd, 1));
	EXPECT_EQ(POLLOUT, revents(self->fd));
	EXPECT_EQ(1, kipc_sem_post(self->fd, 2));
	EXPECT_EQ(0, reap(a));
	EXPECT_EQ(0, value_of(self->fd));
	EXPECT_EQ(3, sem_stat(self->fd).waits);
}

/*
 * No lost wake-up: when the head waiter gives up (deadline or signal),
 * those behind it that the value covers are served at once, with no
 * further post.
 */
TEST_F(sem, leaving_head_passes_turn)
{
	for (int how = 0; how < 2; how++) {
		pid_t head, b, c;

		head = fork();
		ASSERT_LE(0, head);
		if (!head) {
			/* long enough for the others to queue behind */
			int r = how ? kipc_sem_wait(self->fd, 9) :
				      kipc_sem_timedwait(self->fd, 9,
							 3000000000ll);

			_exit(r == -ETIMEDOUT ? 0 : 1);
		}
		ASSERT_TRUE(wait_for_waiters(self->fd, 1));
		b = queued_waiter(self->fd, 2, 2);
		ASSERT_LT(0, b);
		c = queued_waiter(self->fd, 1, 3);
		ASSERT_LT(0, c);
		EXPECT_EQ(0, kipc_sem_post(self->fd, 3));
		EXPECT_EQ(3, value_of(self->fd));
		/* the head was still there when the value covered the rest */
		EXPECT_EQ(3, sem_stat(self->fd).waiters);

		if (how)
			kill(head, SIGKILL);
		EXPECT_EQ(how ? -1 : 0, reap(head));
		EXPECT_EQ(0, reap(b));
		EXPECT_EQ(0, reap(c));
		EXPECT_EQ(0, value_of(self->fd));
		EXPECT_EQ(0, sem_stat(self->fd).waiters);
	}
}

/*
 * 32 waiters for counts 1 to 4, fed in uneven posts: after each post the
 * value and the queue are exactly what serving them in order gives.
 */
TEST_F(sem, many_waiters)
{
	enum { N = 32 };
	unsigned int want[N], total = 0, done = 0, next = 0, value = 0;
	pid_t pids[N];
	int fd;

	fd = anon_sem(self->ctl, RW, 0, 1000);
	ASSERT_LE(0, fd);
	/* the same counts every run */
	srand(5);	/* NOLINT(cert-msc32-c) */
	for (int i = 0; i < N; i++) {
		want[i] = 1 + rand() % 4;	/* NOLINT(cert-msc30-c) */
		total += want[i];
		pids[i] = queued_waiter(fd, want[i], i + 1);
		ASSERT_LT(0, pids[i]);
	}

	/* posts of 1, 2, 3 ... until the total */
	for (unsigned int p = 1; done < total; p++) {
		unsigned int n = p < total - done ? p : total - done;
		unsigned int served = next;
		struct kipc_sem_stat st;

		value += n;
		while (next < N && want[next] <= value)
			value -= want[next++];
		ASSERT_EQ(next - served, kipc_sem_post(fd, n));
		done += n;
		st = sem_stat(fd);
		EXPECT_EQ(value, st.value);
		EXPECT_EQ(N - next, st.waiters);
		EXPECT_EQ(next < N ? want[next] : 0, st.first_wants);
	}
	for (int i = 0; i < N; i++)
		EXPECT_EQ(0, reap(pids[i]));
	EXPECT_EQ(0, value_of(fd));
	EXPECT_EQ(0, sem_stat(fd).waiters);
	EXPECT_EQ(N, sem_stat(fd).waits);
	close(fd);
}

/*
 * Mutual exclusion: 8 processes each add 1 to a counter in a shared
 * buffer 100,000 times, with a plain load and store, holding a
 * semaphore of value 1. Any overlap loses increments.
 */
TEST_F_TIMEOUT(sem, mutual_exclusion, 540)
{
	enum { PROCS = 8, ROUNDS = 100000 };
	struct kipc_buf_attr battr = { .size = 4096, .mode = 0600 };
	volatile uint64_t *counter;
	pid_t pids[PROCS];
	uint64_t t0;
	int lock, buf;
	size_t len;

	/* as the module is configured: see "semaphores" in kmod/sem.c */
	ASSERT_TRUE(set_handoff(self->handoff_us));
	lock = anon_sem(self->ctl, RW, 1, 1);
	ASSERT_LE(0, lock);
	buf = kipc_buf_open(self->ctl, NULL, ANON, &battr, NULL);
	ASSERT_LE(0, buf);
	ASSERT_EQ(0, kipc_buf_map(buf, 0, 0, PROT_READ | PROT_WRITE,
				  (void **)&counter, &len));

	t0 = mono_ns();
	for (int i = 0; i < PROCS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i])
			continue;
		for (int r = 0; r < ROUNDS; r++) {
			uint64_t v;

			if (kipc_sem_wait(lock, 1))
				_exit(1);
			v = *counter;
			*counter = v + 1;
			if (kipc_sem_post(lock, 1) < 0)
				_exit(2);
		}
		_exit(0);
	}
	for (int i = 0; i < PROCS; i++)
		EXPECT_EQ(0, reap(pids[i]));
	TH_LOG("%d x %d in %.1f s", PROCS, ROUNDS, (mono_ns() - t0) / 1e9);
	EXPECT_EQ((uint64_t)PROCS * ROUNDS, *counter);
	EXPECT_EQ(1, value_of(lock));
	EXPECT_EQ((uint64_t)PROCS * ROUNDS, sem_stat(lock).waits);
	EXPECT_EQ((uint64_t)PROCS * ROUNDS, sem_stat(lock).posts);
	munmap((void *)counter, len);
	close(buf);
	close(lock);
}

/* Undo counts what was taken, less what was given back; never below 0. */
TEST_F(sem, undo_accounting)
{
	struct kipc_sem_stat st;
	int u;

	ASSERT_EQ(0, kipc_sem_post(self->fd, 5));
	u = kipc_sem_open(self->ctl, self->name, RW | KIPC_OPEN_UNDO, NULL);
	ASSERT_LE(0, u);
	EXPECT_EQ(1, sem_stat(u).undo);
	EXPECT_EQ(0, sem_stat(self->fd).undo);
	EXPECT_EQ(0, kipc_sem_wait(u, 3));
	EXPECT_EQ(3, sem_stat(u).held);
	EXPECT_EQ(0, sem_stat(self->fd).held);
	EXPECT_EQ(0, kipc_sem_post(u, 1));
	EXPECT_EQ(2, sem_stat(u).held);
	/* a post beyond the debt adds to the value, not to a credit */
	EXPECT_EQ(0, kipc_sem_post(u, 5));
	EXPECT_EQ(0, sem_stat(u).held);
	EXPECT_EQ(8, value_of(u));
	EXPECT_EQ(0, kipc_sem_wait(u, 4));
	EXPECT_EQ(4, sem_stat(u).held);
	EXPECT_EQ(4, value_of(u));
	/* posts through another fd do not pay this one's debt */
	EXPECT_EQ(0, kipc_sem_post(self->fd, 1));
	EXPECT_EQ(4, sem_stat(u).held);
	close(u);
	st = sem_stat(self->fd);
	EXPECT_EQ(9, st.value);
	EXPECT_EQ(4, st.undone);
	EXPECT_EQ(0, st.undo_dropped);

	/* undo stops at the maximum, and says what it dropped */
	u = kipc_sem_open(self->ctl, self->name, RW | KIPC_OPEN_UNDO, NULL);
	ASSERT_LE(0, u);
	EXPECT_EQ(0, kipc_sem_wait(u, 6));
	EXPECT_EQ(3, value_of(u));
	EXPECT_EQ(0, kipc_sem_post(self->fd, 5));
	close(u);
	st = sem_stat(self->fd);
	EXPECT_EQ(10, st.value);
	EXPECT_EQ(4 + 2, st.undone);
	EXPECT_EQ(4, st.undo_dropped);
}

/* A waiter served by hand-off through an undo fd owes what it got. */
TEST_F(sem, undo_after_hand_off)
{
	int u = kipc_sem_open(self->ctl, self->name, RW | KIPC_OPEN_UNDO,
			      NULL);
	pid_t pid;
	int done[2];

	ASSERT_LE(0, u);
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char c;

		close(done[1]);
		if (kipc_sem_wait(u, 2))
			_exit(1);
		if (sem_stat(u).held != 2)
			_exit(2);
		/* hold it until told, then exit; the parent has u too */
		_exit(read(done[0], &c, 1) == 0 ? 0 : 3);
	}
	close(done[0]);
	ASSERT_TRUE(wait_for_waiters(self->fd, 1));
	EXPECT_EQ(1, kipc_sem_post(self->fd, 2));
	close(done[1]);
	EXPECT_EQ(0, reap(pid));
	/* the open file lives on in the parent: nothing is given back yet */
	EXPECT_EQ(0, value_of(self->fd));
	EXPECT_EQ(2, sem_stat(u).held);
	close(u);
	EXPECT_EQ(2, value_of(self->fd));
}

/*
 * The case undo is for: a holder killed with SIGKILL. With undo the others
 * proceed; without it the count stays taken (as with a POSIX semaphore),
 * and only a post frees them.
 */
TEST_F(sem, holder_killed)
{
	for (int undo = 1; undo >= 0; undo--) {
		pid_t holder, other;
		int ready[2];
		char c;

		ASSERT_EQ(0, kipc_sem_post(self->fd, 1));
		ASSERT_EQ(0, pipe(ready));
		holder = fork();
		ASSERT_LE(0, holder);
		if (!holder) {
			int fd = kipc_sem_open(-1, self->name,
					       RW | (undo ? KIPC_OPEN_UNDO : 0),
					       NULL);

			close(ready[0]);
			if (fd < 0 || kipc_sem_wait(fd, 1))
				_exit(1);
			if (write(ready[1], "x", 1) != 1)
				_exit(2);
			pause();
			_exit(3);
		}
		close(ready[1]);
		ASSERT_EQ(1, read(ready[0], &c, 1));
		close(ready[0]);
		EXPECT_EQ(0, value_of(self->fd));
		other = queued_waiter(self->fd, 1, 1);
		ASSERT_LT(0, other);

		kill(holder, SIGKILL);
		EXPECT_EQ(-1, reap(holder));
		if (undo) {
			EXPECT_EQ(0, reap(other));
			EXPECT_EQ(1, sem_stat(self->fd).undone);
		} else {
			/* still waiting, for good: the count went with it */
			usleep(100000);
			EXPECT_EQ(-2, try_reap(other));
			EXPECT_EQ(1, sem_stat(self->fd).waiters);
			EXPECT_EQ(1, sem_stat(self->fd).undone);
			EXPECT_EQ(1, kipc_sem_post(self->fd, 1));
			EXPECT_EQ(0, reap(other));
		}
		EXPECT_EQ(0, value_of(self->fd));
	}
}

/* dup() and fork() share the open file, and so its undo count. */
TEST_F(sem, undo_shared_by_dup_and_fork)
{
	int u, d;
	pid_t pid;

	ASSERT_EQ(0, kipc_sem_post(self->fd, 4));
	u = kipc_sem_open(self->ctl, self->name, RW | KIPC_OPEN_UNDO, NULL);
	ASSERT_LE(0, u);
	d = dup(u);
	ASSERT_LE(0, d);
	EXPECT_EQ(0, kipc_sem_wait(d, 1));
	EXPECT_EQ(1, sem_stat(u).held);
	close(d);
	/* one fd of two closed: the open file is still there */
	EXPECT_EQ(3, value_of(self->fd));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(kipc_sem_wait(u, 2) ? 1 : 0);
	EXPECT_EQ(0, reap(pid));
	/* the child died holding 2, but through our open file */
	EXPECT_EQ(1, value_of(self->fd));
	EXPECT_EQ(3, sem_stat(u).held);

	/* a child that reopens holds on its own account */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int own = kipc_sem_reopen(u, RW | KIPC_OPEN_UNDO);

		if (own < 0 || kipc_sem_wait(own, 1))
			_exit(1);
		_exit(sem_stat(own).held == 1 && sem_stat(u).held == 3 ?
		      0 : 2);
	}
	EXPECT_EQ(0, reap(pid));
	EXPECT_EQ(1, value_of(self->fd));
	close(u);
	EXPECT_EQ(4, value_of(self->fd));
}

/* An undo fd passed with SCM_RIGHTS: given back when its last holder goes. */
TEST_F(sem, undo_passed_by_scm_rights)
{
	char cbuf[CMSG_SPACE(sizeof(int))], byte = 'x';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int sv[2], u, got[2];
	pid_t pid;
	char c;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(0, pipe(got));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char rbuf[CMSG_SPACE(sizeof(int))];
		struct msghdr rmsg = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = rbuf, .msg_controllen = sizeof(rbuf),
		};
		int fd;

		close(sv[0]);
		close(got[0]);
		if (recvmsg(sv[1], &rmsg, 0) != 1)
			_exit(1);
		cm = CMSG_FIRSTHDR(&rmsg);
		if (!cm || cm->cmsg_type != SCM_RIGHTS)
			_exit(2);
		memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
		if (sem_stat(fd).held != 1)
			_exit(3);
		if (write(got[1], "x", 1) != 1)
			_exit(4);
		/* hold until the parent closes the socket */
		if (read(sv[1], &c, 1) != 0)
			_exit(5);
		_exit(0);
	}
	close(sv[1]);
	close(got[1]);

	ASSERT_EQ(0, kipc_sem_post(self->fd, 1));
	u = kipc_sem_open(self->ctl, self->name, RW | KIPC_OPEN_UNDO, NULL);
	ASSERT_LE(0, u);
	ASSERT_EQ(0, kipc_sem_wait(u, 1));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &u, sizeof(u));
	ASSERT_EQ(1, sendmsg(sv[0], &msg, 0));
	close(u);
	ASSERT_EQ(1, read(got[0], &c, 1));
	/* we closed ours; the receiver's copy still holds it */
	EXPECT_EQ(0, value_of(self->fd));
	close(sv[0]);
	EXPECT_EQ(0, reap(pid));
	EXPECT_EQ(1, value_of(self->fd));
	close(got[0]);
}

TEST_F(sem, reopen)
{
	int rd, fd, anon;

	rd = kipc_sem_open(self->ctl, self->name, KIPC_OPEN_READ, NULL);
	ASSERT_LE(0, rd);
	EXPECT_EQ(-EACCES, kipc_sem_reopen(rd, RW));
	EXPECT_EQ(-EACCES, kipc_sem_reopen(rd, KIPC_OPEN_WRITE));
	EXPECT_EQ(-EINVAL, kipc_sem_reopen(rd, 0));
	EXPECT_EQ(-EINVAL, kipc_sem_reopen(rd, KIPC_OPEN_READ |
					   KIPC_OPEN_CREATE));
	fd = kipc_sem_reopen(rd, KIPC_OPEN_READ | KIPC_OPEN_UNDO);
	ASSERT_LE(0, fd);
	EXPECT_EQ(1, sem_stat(fd).undo);
	EXPECT_EQ(sem_stat(rd).id, sem_stat(fd).id);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	fd = kipc_sem_reopen(self->fd, RW | KIPC_OPEN_NONBLOCK);
	ASSERT_LE(0, fd);
	EXPECT_EQ(O_NONBLOCK, fcntl(fd, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(0, sem_stat(fd).undo);
	EXPECT_EQ(-EAGAIN, kipc_sem_wait(fd, 1));
	close(fd);
	close(rd);

	/* anonymous and unlinked semaphores reopen too */
	anon = anon_sem(self->ctl, RW, 1, 1);
	ASSERT_LE(0, anon);
	fd = kipc_sem_reopen(anon, RW | KIPC_OPEN_UNDO);
	ASSERT_LE(0, fd);
	close(anon);
	EXPECT_EQ(0, kipc_sem_wait(fd, 1));
	EXPECT_EQ(0, value_of(fd));
	close(fd);
	ASSERT_EQ(0, kipc_sem_unlink(self->ctl, self->name));
	fd = kipc_sem_reopen(self->fd, RW);
	ASSERT_LE(0, fd);
	close(fd);
}

/* Readable while a wait for 1 would not sleep, writable below the max. */
TEST_F(sem, poll)
{
	struct pollfd p = { .fd = self->fd, .events = POLLIN };
	pid_t pid, w;

	EXPECT_EQ(POLLOUT, revents(self->fd));
	ASSERT_EQ(0, kipc_sem_post(self->fd, 1));
	EXPECT_EQ(POLLIN | POLLOUT, revents(self->fd));
	ASSERT_EQ(0, kipc_sem_post(self->fd, 9));
	EXPECT_EQ(POLLIN, revents(self->fd));
	ASSERT_EQ(0, kipc_sem_wait(self->fd, 8));
	EXPECT_EQ(POLLIN | POLLOUT, revents(self->fd));

	/* value 2, a waiter for 5 queued: the value is its, not readable */
	w = queued_waiter(self->fd, 5, 1);
	ASSERT_LT(0, w);
	EXPECT_EQ(POLLOUT, revents(self->fd));
	kill(w, SIGKILL);
	EXPECT_EQ(-1, reap(w));
	EXPECT_EQ(POLLIN | POLLOUT, revents(self->fd));
	ASSERT_EQ(0, kipc_sem_wait(self->fd, 2));

	/* a poller asleep is woken by a post from another process */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		usleep(100000);
		_exit(kipc_sem_post(self->fd, 1) ? 1 : 0);
	}
	EXPECT_EQ(1, poll(&p, 1, 20000));
	EXPECT_EQ(POLLIN, p.revents);
	EXPECT_EQ(0, reap(pid));
}

/* An anonymous semaphore lives while an fd does; a name while linked. */
TEST_F(sem, lifetime)
{
	int fd;

	ASSERT_EQ(0, kipc_sem_unlink(self->ctl, self->name));
	EXPECT_EQ(-ENOENT, kipc_sem_unlink(self->ctl, self->name));
	EXPECT_EQ(-ENOENT, kipc_sem_open(self->ctl, self->name, RW, NULL));
	/* still usable through the fd */
	EXPECT_EQ(0, kipc_sem_post(self->fd, 1));
	EXPECT_EQ(0, kipc_sem_wait(self->fd, 1));
	/* and the name is free for a new one */
	fd = kipc_sem_open(self->ctl, self->name, CREATE, NULL);
	ASSERT_LE(0, fd);
	EXPECT_NE(sem_stat(fd).id, sem_stat(self->fd).id);
	EXPECT_EQ(KIPC_SEM_VALUE_MAX, sem_stat(fd).max);
	close(fd);
}

TEST_HARNESS_MAIN
