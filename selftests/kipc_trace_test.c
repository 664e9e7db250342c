// SPDX-License-Identifier: GPL-2.0
/*
 * kipc_trace_test: tracepoints: every kipc event in tracefs with the
 * documented fields and no pointer, and each firing with the right values
 * when queues, buffers and semaphores are used, sleeping included.
 *
 * Each test enables the kipc events, clears the trace, uses one object and
 * reads the trace back, looking for the object's id; the fixture disables
 * the events and clears the trace again, whatever happened. The trace
 * clock is "global" while a test runs, so that events of two tasks on two
 * CPUs are in the order they happened. Children report through their exit
 * status, and a child is known to sleep when the object's stats show a
 * waiter, never by sleeping and hoping. Skips without tracefs (a kernel
 * without CONFIG_EVENT_TRACING).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kipc.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

#define RW	(KIPC_OPEN_READ | KIPC_OPEN_WRITE)
#define ANON	(RW | KIPC_OPEN_CREATE)

/* The events and their fields, as trace.h documents them. */
static const struct {
	const char *name;
	const char *fields[8];
} events[] = {
	{ "kipc_mq_send", { "u32 id", "u64 type", "u32 prio", "u32 len",
			    "u32 depth", "u32 waiters" } },
	{ "kipc_mq_recv", { "u32 id", "u64 type", "u32 prio", "u32 len",
			    "u32 depth", "u32 waiters", "u64 age_ns" } },
	{ "kipc_mq_block", { "u32 id", "u8 dir", "u32 depth",
			     "u32 waiters" } },
	{ "kipc_mq_wake", { "u32 id", "u8 dir", "u32 depth", "int ret" } },
	{ "kipc_buf_block", { "u32 id", "u64 offset", "u32 value",
			      "u32 waiters" } },
	{ "kipc_buf_wait", { "u32 id", "u64 offset", "u32 value",
			     "int ret" } },
	{ "kipc_buf_wake", { "u32 id", "u64 offset", "u32 count",
			     "u32 woken" } },
	{ "kipc_sem_block", { "u32 id", "u32 count", "u32 value",
			      "u32 waiters" } },
	{ "kipc_sem_wait", { "u32 id", "u32 count", "u32 value",
			     "int ret" } },
	{ "kipc_sem_post", { "u32 id", "u32 count", "u32 value",
			     "u32 woken" } },
	{ "kipc_sem_grant", { "u32 id", "u32 count", "u32 value",
			      "pid_t pid", "u64 waited_ns" } },
	{ "kipc_sem_undo", { "u32 id", "u64 held", "u64 given", "u32 value",
			     "u32 woken" } },
};

/* Where tracefs is, mounting it if need be; NULL if this kernel has none. */
static const char *tracefs(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[64];

	for (size_t i = 0; i < KIPC_ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "%s/events", dirs[i]);
		if (access(path, F_OK) == 0)
			return dirs[i];
	}
	if (mount("tracefs", dirs[0], "tracefs", 0, NULL) == 0 &&
	    access("/sys/kernel/tracing/events", F_OK) == 0)
		return dirs[0];
	if (mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL) == 0 &&
	    access("/sys/kernel/debug/tracing/events", F_OK) == 0)
		return dirs[1];
	return NULL;
}

/* Write @val to tracefs file @file; 0 or an errno. */
static int tfs_write(const char *dir, const char *file, const char *val,
		     int flags)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC | flags);
	if (fd < 0)
		return errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? errno : 0;
}

/* A tracefs file's contents, NUL-terminated and malloc()ed; NULL if not. */
static char *tfs_read(const char *dir, const char *file)
{
	size_t len = 0, size = 65536;
	char path[256], *buf = malloc(size);
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !buf) {
		if (fd >= 0)
			close(fd);
		free(buf);
		return NULL;
	}
	while ((n = read(fd, buf + len, size - len - 1)) > 0) {
		len += n;
		if (size - len == 1) {
			char *bigger = realloc(buf, size * 2);

			if (!bigger)
				break;
			buf = bigger;
			size *= 2;
		}
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/*
 * The trace lines whose event and fields read @want ("kipc_mq_send: id=3
 * ..."), to the end of the line, or only so far if @want ends in '=' or
 * ' '.
 * Returns how many there are; *first gets the index of the first among
 * all lines (-1 if none), *pid the pid of the task that fired it.
 */
static int trace_find(const char *trace, const char *want, int *first,
		      int *pid)
{
	size_t wlen = strlen(want);
	bool prefix = wlen && strchr("= ", want[wlen - 1]);
	const char *line = trace;
	int count = 0, index = 0;

	if (first)
		*first = -1;
	while (line && *line) {
		const char *end = strchr(line, '\n');
		const char *at = strstr(line, want);

		if (!end)
			end = line + strlen(line);
		if (at && at < end && at > line + 1 && at[-2] == ':' &&
		    (prefix || at + wlen == end)) {
			if (!count && first)
				*first = index;
			/* "  comm-PID  [CPU] flags  TIME: event: ..." */
			if (!count && pid) {
				const char *cpu = strstr(line, " [");
				const char *dash = cpu;

				while (dash > line && *dash != '-')
					dash--;
				*pid = atoi(dash + 1);
			}
			count++;
		}
		index++;
		line = *end ? end + 1 : end;
	}
	return count;
}

/*
 * trace_find() in self->trace, the line described by a format: how many
 * there are; the first one's index and pid in *@first and *@pid.
 */
#define FIND_AT(first, pid, want_fmt, ...)				\
	({								\
		char __w[256];						\
		snprintf(__w, sizeof(__w), want_fmt, ##__VA_ARGS__);	\
		trace_find(self->trace, __w, first, pid);		\
	})
#define FIND(want_fmt, ...) FIND_AT(NULL, NULL, want_fmt, ##__VA_ARGS__)

FIXTURE(trace)
{
	const char *dir;
	char clock[32];		/* the trace clock to put back */
	char tracing_on[4];
	unsigned int handoff_us;	/* sem_handoff_us, to put back */
	bool handoff_saved;
	int ctl;
	char *trace;		/* what READ_TRACE() read last */
};

/*
 * In this harness a SKIP() in FIXTURE_SETUP does not stop the test body,
 * so each test starts with REQUIRE_TRACEFS() as well.
 */
#define REQUIRE_TRACEFS()						\
	do {								\
		if (!self->dir)						\
			SKIP(return, "no tracefs, or not root");	\
	} while (0)

/* Read the trace into self->trace, for FIND() and trace_find(). */
#define READ_TRACE()							\
	do {								\
		free(self->trace);					\
		self->trace = tfs_read(self->dir, "trace");		\
		ASSERT_NE(NULL, self->trace);				\
	} while (0)

FIXTURE_SETUP(trace)
{
	char *s, *open, *close_;

	self->ctl = -1;
	if (geteuid() != 0)
		SKIP(return, "tracefs needs root");
	self->dir = tracefs();
	if (!self->dir)
		SKIP(return, "no tracefs: no CONFIG_EVENT_TRACING?");

	/* "[local] global counter ...": the one in brackets is in use */
	s = tfs_read(self->dir, "trace_clock");
	ASSERT_NE(NULL, s);
	open = strchr(s, '[');
	close_ = open ? strchr(open, ']') : NULL;
	ASSERT_NE(NULL, close_);
	snprintf(self->clock, sizeof(self->clock), "%.*s",
		 (int)(close_ - open - 1), open + 1);
	free(s);
	s = tfs_read(self->dir, "tracing_on");
	ASSERT_NE(NULL, s);
	snprintf(self->tracing_on, sizeof(self->tracing_on), "%c", s[0]);
	free(s);
	ASSERT_EQ(0, kipc_param_get("sem_handoff_us", &self->handoff_us));
	self->handoff_saved = true;

	ASSERT_EQ(0, tfs_write(self->dir, "trace_clock", "global", 0));
	ASSERT_EQ(0, tfs_write(self->dir, "tracing_on", "1", 0));
	ASSERT_EQ(0, tfs_write(self->dir, "trace", "", O_TRUNC));
	ASSERT_EQ(0, tfs_write(self->dir, "events/kipc/enable", "1", 0))
		TH_LOG("no kipc events in %s/events", self->dir);
	self->ctl = kipc_open();
	ASSERT_LE(0, self->ctl);
}

/* The events off and the trace empty for whatever runs next. */
FIXTURE_TEARDOWN(trace)
{
	char v[16];

	free(self->trace);
	if (self->ctl >= 0)
		close(self->ctl);
	if (!self->dir)
		return;
	tfs_write(self->dir, "events/kipc/enable", "0", 0);
	tfs_write(self->dir, "trace", "", O_TRUNC);
	if (self->clock[0])
		tfs_write(self->dir, "trace_clock", self->clock, 0);
	if (self->tracing_on[0])
		tfs_write(self->dir, "tracing_on", self->tracing_on, 0);
	if (self->handoff_saved) {
		snprintf(v, sizeof(v), "%u", self->handoff_us);
		kipc_param_set("sem_handoff_us", v);
	}
}

static struct kipc_mq_stat mq_stat(int fd)
{
	struct kipc_mq_stat st;

	if (kipc_mq_stat(fd, &st, sizeof(st)))
		memset(&st, 0xff, sizeof(st));
	return st;
}

static struct kipc_buf_stat buf_stat(int fd)
{
	struct kipc_buf_stat st;

	if (kipc_buf_stat(fd, &st, sizeof(st)))
		memset(&st, 0xff, sizeof(st));
	return st;
}

static struct kipc_sem_stat sem_stat(int fd)
{
	struct kipc_sem_stat st;

	if (kipc_sem_stat(fd, &st, sizeof(st)))
		memset(&st, 0xff, sizeof(st));
	return st;
}

/* How long a child waits at most: the test has failed by then. */
#define CHILD_NS	10000000000ll

/* Poll until @cond, about 10 s at most; its value then. */
#define UNTIL(cond)							\
	({								\
		bool __ok = false;					\
		for (int __i = 0; __i < 10000 && !__ok; __i++) {	\
			__ok = (cond);					\
			if (!__ok)					\
				usleep(1000);				\
		}							\
		__ok;							\
	})

/* A child that waits on semaphore @fd for @count, once it sleeps; or -1. */
static pid_t sem_sleeper(int fd, unsigned int count)
{
	pid_t child = fork();

	if (child == 0)
		_exit(kipc_sem_timedwait(fd, count, CHILD_NS) ? 1 : 0);
	if (child > 0 && !UNTIL(sem_stat(fd).waiters == 1)) {
		kill(child, SIGKILL);
		reap(child);
		return -1;
	}
	return child;
}

static int send_msg(int fd, const char *s, unsigned int prio, uint64_t type,
		    int64_t timeout_ns)
{
	struct kipc_msg m = {
		.buf = (void *)s, .len = strlen(s), .prio = prio, .type = type,
	};

	return kipc_mq_send(fd, &m, 0, timeout_ns);
}

static int recv_msg(int fd, unsigned int flags, int64_t timeout_ns)
{
	char buf[64];
	struct kipc_msg m = { .buf = buf, .len = sizeof(buf) };

	return kipc_mq_receive(fd, &m, KIPC_MQ_SELECT_ANY, 0, flags,
			       timeout_ns);
}

/* Every event has a directory, a format with its fields, no pointer. */
TEST_F(trace, formats)
{
	char path[128], *fmt, *avail;

	REQUIRE_TRACEFS();
	avail = tfs_read(self->dir, "available_events");
	ASSERT_NE(NULL, avail);
	for (size_t i = 0; i < KIPC_ARRAY_SIZE(events); i++) {
		snprintf(path, sizeof(path), "kipc:%s\n", events[i].name);
		EXPECT_NE(NULL, strstr(avail, path))
			TH_LOG("%s not in available_events", events[i].name);
		snprintf(path, sizeof(path), "events/kipc/%s/format",
			 events[i].name);
		fmt = tfs_read(self->dir, path);
		ASSERT_NE(NULL, fmt) TH_LOG("no %s", path);
		for (int f = 0; events[i].fields[f]; f++) {
			char want[64];

			snprintf(want, sizeof(want), "field:%s;",
				 events[i].fields[f]);
			EXPECT_NE(NULL, strstr(fmt, want))
				TH_LOG("%s: no %s", events[i].name, want);
		}
		EXPECT_NE(NULL, strstr(fmt, "print fmt: \"id=%u "));
		EXPECT_EQ(NULL, strstr(fmt, "%p"))
			TH_LOG("%s prints a pointer", events[i].name);
		free(fmt);
	}
	free(avail);
}

/* A send and a receive; a peek fires nothing; a batch fires per message. */
TEST_F(trace, mq_send_recv)
{
	struct kipc_mq_attr attr = { .max_msgs = 8, .msg_size = 64,
				     .mode = 0600 };
	struct kipc_msg m[3];
	char in[3][8];
	int fd, first, pid;
	uint32_t id;

	REQUIRE_TRACEFS();
	fd = kipc_mq_open(self->ctl, NULL, ANON, &attr);
	ASSERT_LE(0, fd);
	id = mq_stat(fd).id;
	ASSERT_NE(0, id);

	ASSERT_EQ(0, send_msg(fd, "hello", 2, 7, -1));
	ASSERT_EQ(0, recv_msg(fd, KIPC_MQ_PEEK, 0));
	ASSERT_EQ(0, recv_msg(fd, 0, 0));
	for (int i = 0; i < 3; i++)
		m[i] = (struct kipc_msg){ .buf = "abc", .len = i + 1,
					  .type = 10 + i };
	ASSERT_EQ(3, kipc_mq_send_batch(fd, m, 3, 0, -1));
	for (int i = 0; i < 3; i++)
		m[i] = (struct kipc_msg){ .buf = in[i], .len = sizeof(in[i]) };
	ASSERT_EQ(3, kipc_mq_receive_batch(fd, m, 3, KIPC_MQ_SELECT_ANY, 0, 0,
					   -1));
	READ_TRACE();

	EXPECT_EQ(1, FIND_AT(&first, &pid,
			     "kipc_mq_send: id=%u type=7 prio=2 len=5 depth=1 "
			     "waiters=0", id));
	EXPECT_EQ(getpid(), pid);
	/* the peek took nothing: one receive, and it emptied the queue */
	EXPECT_EQ(1, FIND("kipc_mq_recv: id=%u type=7 prio=2 len=5 depth=0 "
			  "waiters=0 age_ns=", id));
	EXPECT_EQ(4, FIND("kipc_mq_recv: id=%u ", id));
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(1, FIND("kipc_mq_send: id=%u type=%d prio=0 len=%d "
				  "depth=%d waiters=0", id, 10 + i, i + 1,
				  i + 1));
		EXPECT_EQ(1, FIND("kipc_mq_recv: id=%u type=%d prio=0 len=%d "
				  "depth=%d waiters=0 age_ns=", id, 10 + i,
				  i + 1, 2 - i));
	}
	EXPECT_EQ(0, FIND("kipc_mq_block: id=%u ", id));
	kipc_mq_close(fd);
}

/* A receiver sleeps on an empty queue and a send wakes it. */
TEST_F(trace, mq_blocking_recv)
{
	int fd, block, send, wake, recv, pid, sender;
	uint32_t id;
	pid_t child;

	REQUIRE_TRACEFS();
	fd = kipc_mq_open(self->ctl, NULL, ANON, NULL);
	ASSERT_LE(0, fd);
	id = mq_stat(fd).id;
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(recv_msg(fd, 0, CHILD_NS) ? 1 : 0);
	/* UNTIL() counts __i, sets __ok: NOLINTNEXTLINE(bugprone-infinite-loop) */
	ASSERT_TRUE(UNTIL(mq_stat(fd).recv_waiters == 1));
	ASSERT_EQ(0, send_msg(fd, "wake up", 0, 3, -1));
	ASSERT_EQ(0, reap(child));
	READ_TRACE();

	EXPECT_EQ(1, FIND_AT(&block, &pid,
			     "kipc_mq_block: id=%u dir=recv depth=0 waiters=1",
			     id));
	EXPECT_EQ(child, pid);
	EXPECT_EQ(1, FIND_AT(&send, &sender,
			     "kipc_mq_send: id=%u type=3 prio=0 len=7 depth=1 "
			     "waiters=1", id));
	EXPECT_EQ(getpid(), sender);
	EXPECT_EQ(1, FIND_AT(&wake, &pid,
			     "kipc_mq_wake: id=%u dir=recv depth=1 ret=0", id));
	EXPECT_EQ(child, pid);
	EXPECT_EQ(1, FIND_AT(&recv, &pid,
			     "kipc_mq_recv: id=%u type=3 prio=0 len=7 depth=0 "
			     "waiters=0 age_ns=", id));
	EXPECT_EQ(child, pid);
	EXPECT_LT(block, send);
	EXPECT_LT(send, wake);
	EXPECT_LT(wake, recv);
	kipc_mq_close(fd);
}

/* A sender sleeps on a full queue until its deadline. */
TEST_F(trace, mq_send_timeout)
{
	struct kipc_mq_attr attr = { .max_msgs = 1, .msg_size = 64,
				     .mode = 0600 };
	int fd, block, wake;
	uint32_t id;

	REQUIRE_TRACEFS();
	fd = kipc_mq_open(self->ctl, NULL, ANON, &attr);
	ASSERT_LE(0, fd);
	id = mq_stat(fd).id;
	ASSERT_EQ(0, send_msg(fd, "one", 0, 0, -1));
	ASSERT_EQ(-ETIMEDOUT, send_msg(fd, "two", 0, 0, 1000000));
	READ_TRACE();

	EXPECT_EQ(1, FIND_AT(&block, NULL,
			     "kipc_mq_block: id=%u dir=send depth=1 waiters=1",
			     id));
	EXPECT_EQ(1, FIND_AT(&wake, NULL,
			     "kipc_mq_wake: id=%u dir=send depth=1 ret=%d",
			     id, -ETIMEDOUT));
	EXPECT_LT(block, wake);
	EXPECT_EQ(1, FIND("kipc_mq_send: id=%u ", id));
	kipc_mq_close(fd);
}

/* A wait that finds another value; one that sleeps until a wake. */
TEST_F(trace, buf_wait_wake)
{
	struct kipc_buf_attr attr = { .size = 4096, .mode = 0600 };
	int fd, block, wake, wait, pid;
	uint32_t id;
	pid_t child;

	REQUIRE_TRACEFS();
	fd = kipc_buf_open(self->ctl, NULL, ANON, &attr, NULL);
	ASSERT_LE(0, fd);
	id = buf_stat(fd).id;
	ASSERT_EQ(-EAGAIN, kipc_buf_wait(fd, 8, 1, -1));
	EXPECT_EQ(0, kipc_buf_wake(fd, 16, 1));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(kipc_buf_wait(fd, 8, 0, CHILD_NS) ? 1 : 0);
	/* UNTIL() counts __i, sets __ok: NOLINTNEXTLINE(bugprone-infinite-loop) */
	ASSERT_TRUE(UNTIL(buf_stat(fd).waiters == 1));
	ASSERT_EQ(1, kipc_buf_wake(fd, 8, KIPC_BUF_WAKE_ALL));
	ASSERT_EQ(0, reap(child));
	READ_TRACE();

	EXPECT_EQ(1, FIND("kipc_buf_wait: id=%u offset=8 value=1 ret=%d", id,
			  -EAGAIN));
	EXPECT_EQ(1, FIND("kipc_buf_wake: id=%u offset=16 count=1 woken=0",
			  id));
	EXPECT_EQ(1, FIND_AT(&block, &pid,
			     "kipc_buf_block: id=%u offset=8 value=0 waiters=1",
			     id));
	EXPECT_EQ(child, pid);
	EXPECT_EQ(1, FIND_AT(&wake, &pid,
			     "kipc_buf_wake: id=%u offset=8 count=%u woken=1",
			     id, KIPC_BUF_WAKE_ALL));
	EXPECT_EQ(getpid(), pid);
	EXPECT_EQ(1, FIND_AT(&wait, &pid,
			     "kipc_buf_wait: id=%u offset=8 value=0 ret=0",
			     id));
	EXPECT_EQ(child, pid);
	EXPECT_LT(block, wake);
	EXPECT_LT(wake, wait);
	kipc_buf_close(fd);
}

/*
 * Waits that take at once or fail at once, then one that sleeps until a
 * post that, with sem_handoff_us 0, hands the count over (grant).
 */
TEST_F(trace, sem_wait_post_grant)
{
	struct kipc_sem_attr attr = { .value = 1, .max = 10, .mode = 0600 };
	int fd, block, grant, post, wait, pid;
	uint32_t id;
	pid_t child;

	REQUIRE_TRACEFS();
	ASSERT_EQ(0, kipc_param_set("sem_handoff_us", "0"));
	fd = kipc_sem_open(self->ctl, NULL, ANON, &attr);
	ASSERT_LE(0, fd);
	id = sem_stat(fd).id;
	ASSERT_EQ(0, kipc_sem_wait(fd, 1));
	ASSERT_EQ(-EAGAIN, kipc_sem_trywait(fd, 1));
	child = sem_sleeper(fd, 2);
	ASSERT_LT(0, child);
	ASSERT_EQ(1, kipc_sem_post(fd, 2));
	ASSERT_EQ(0, reap(child));
	READ_TRACE();

	EXPECT_EQ(1, FIND("kipc_sem_wait: id=%u count=1 value=0 ret=0", id));
	EXPECT_EQ(1, FIND("kipc_sem_wait: id=%u count=1 value=0 ret=%d", id,
			  -EAGAIN));
	EXPECT_EQ(1, FIND_AT(&block, &pid,
			     "kipc_sem_block: id=%u count=2 value=0 waiters=1",
			     id));
	EXPECT_EQ(child, pid);
	/* the grant comes from within the post, before the post's event */
	EXPECT_EQ(1, FIND_AT(&grant, &pid,
			     "kipc_sem_grant: id=%u count=2 value=0 pid=%d "
			     "waited_ns=", id, child));
	EXPECT_EQ(getpid(), pid);
	EXPECT_EQ(1, FIND_AT(&post, &pid,
			     "kipc_sem_post: id=%u count=2 value=0 woken=1",
			     id));
	EXPECT_EQ(getpid(), pid);
	EXPECT_EQ(1, FIND_AT(&wait, &pid,
			     "kipc_sem_wait: id=%u count=2 value=0 ret=0", id));
	EXPECT_EQ(child, pid);
	EXPECT_LT(block, grant);
	EXPECT_LT(grant, post);
	EXPECT_LT(post, wait);
	kipc_sem_close(fd);
}

/* Before sem_handoff_us a post wakes the waiter, which takes: no grant. */
TEST_F(trace, sem_wake_without_grant)
{
	int fd, post, wait, pid;
	uint32_t id;
	pid_t child;

	REQUIRE_TRACEFS();
	ASSERT_EQ(0, kipc_param_set("sem_handoff_us", "10000000"));
	fd = kipc_sem_open(self->ctl, NULL, ANON, NULL);
	ASSERT_LE(0, fd);
	id = sem_stat(fd).id;
	child = sem_sleeper(fd, 1);
	ASSERT_LT(0, child);
	ASSERT_EQ(1, kipc_sem_post(fd, 1));
	ASSERT_EQ(0, reap(child));
	READ_TRACE();

	EXPECT_EQ(1, FIND("kipc_sem_block: id=%u count=1 value=0 waiters=1",
			  id));
	/* the value is still 1 when the post's event fires: the waiter
	 * takes it when it runs
	 */
	EXPECT_EQ(1, FIND_AT(&post, NULL,
			     "kipc_sem_post: id=%u count=1 value=1 woken=1",
			     id));
	EXPECT_EQ(1, FIND_AT(&wait, &pid,
			     "kipc_sem_wait: id=%u count=1 value=0 ret=0", id));
	EXPECT_EQ(child, pid);
	EXPECT_LT(post, wait);
	EXPECT_EQ(0, FIND("kipc_sem_grant: id=%u ", id));
	kipc_sem_close(fd);
}

/* A timed wait that runs out; an undo file's release gives back. */
TEST_F(trace, sem_timeout_undo)
{
	struct kipc_sem_attr attr = { .value = 1, .max = 10, .mode = 0600 };
	int fd, undo;
	uint32_t id;

	REQUIRE_TRACEFS();
	fd = kipc_sem_open(self->ctl, NULL, ANON, &attr);
	ASSERT_LE(0, fd);
	id = sem_stat(fd).id;
	undo = kipc_sem_reopen(fd, RW | KIPC_OPEN_UNDO);
	ASSERT_LE(0, undo);
	ASSERT_EQ(0, kipc_sem_wait(undo, 1));
	ASSERT_EQ(-ETIMEDOUT, kipc_sem_timedwait(fd, 1, 1000000));
	ASSERT_EQ(0, kipc_sem_close(undo));
	/* nothing held: no event */
	undo = kipc_sem_reopen(fd, RW | KIPC_OPEN_UNDO);
	ASSERT_LE(0, undo);
	ASSERT_EQ(0, kipc_sem_close(undo));
	READ_TRACE();

	EXPECT_EQ(1, FIND("kipc_sem_block: id=%u count=1 value=0 waiters=1",
			  id));
	EXPECT_EQ(1, FIND("kipc_sem_wait: id=%u count=1 value=0 ret=%d", id,
			  -ETIMEDOUT));
	EXPECT_EQ(1, FIND("kipc_sem_undo: id=%u held=1 given=1 value=1 "
			  "woken=0", id));
	EXPECT_EQ(1, FIND("kipc_sem_undo: id=%u ", id));
	kipc_sem_close(fd);
}

/* With the events disabled nothing of kipc reaches the trace. */
TEST_F(trace, disabled)
{
	int q, s;

	REQUIRE_TRACEFS();
	ASSERT_EQ(0, tfs_write(self->dir, "events/kipc/enable", "0", 0));
	q = kipc_mq_open(self->ctl, NULL, ANON, NULL);
	ASSERT_LE(0, q);
	ASSERT_EQ(0, send_msg(q, "x", 0, 0, -1));
	ASSERT_EQ(0, recv_msg(q, 0, 0));
	s = kipc_sem_open(self->ctl, NULL, ANON, NULL);
	ASSERT_LE(0, s);
	ASSERT_EQ(0, kipc_sem_post(s, 1));
	ASSERT_EQ(0, kipc_sem_wait(s, 1));
	READ_TRACE();
	EXPECT_EQ(NULL, strstr(self->trace, ": kipc_"));
	kipc_mq_close(q);
	kipc_sem_close(s);
}

TEST_HARNESS_MAIN
