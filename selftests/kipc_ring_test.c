// SPDX-License-Identifier: GPL-2.0
/* kipc_ring_test: libkipc's rings: layout, errors, hostile headers, epoll, 1,000,000 records between processes. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <kipc.h>

#include "kselftest_harness.h"

#define RW		(KIPC_OPEN_READ | KIPC_OPEN_WRITE)
#define PROD		KIPC_RING_PRODUCER
#define CONS		KIPC_RING_CONSUMER
#define FORMAT		KIPC_RING_FORMAT
#define MS		1000000ll
#define LONG_WAIT	(30000 * MS)	/* "never": a lost wakeup fails */

/* The header as kipc_ring_open(3) documents it. */
#define HDR		4096
#define OFF_MAGIC	0
#define OFF_VERSION	4
#define OFF_DATA_SIZE	8
#define OFF_HEAD	128
#define OFF_PROD_WAIT	132
#define OFF_TAIL	256
#define OFF_CONS_WAIT	260
#define REC_PAD		1

#define DATA		16384		/* the fixtures' data area */

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* Whether the module has shared buffers; tests skip if not. */
static bool have_buffers(void)
{
	struct kipc_version v;
	int ctl = kipc_open();
	bool ok;

	if (ctl < 0)
		return false;
	ok = !kipc_get_version(ctl, &v, sizeof(v)) &&
	     v.features & KIPC_FEATURE_BUF;
	close(ctl);
	return ok;
}

/* An anonymous buffer of size bytes. */
static int new_buf(uint64_t size)
{
	struct kipc_buf_attr attr = { .size = size, .mode = 0600 };

	return kipc_buf_open(-1, NULL, RW | KIPC_OPEN_CREATE, &attr, NULL);
}

/* A new buffer called /kipc-WHAT-PID, its name in name[64]. */
static int new_named(char name[64], const char *what, uint64_t size)
{
	struct kipc_buf_attr attr = { .size = size, .mode = 0600 };

	snprintf(name, 64, "/kipc-%s-%d", what, getpid());
	return kipc_buf_open(-1, name, RW | KIPC_OPEN_CREATE | KIPC_OPEN_EXCL |
			     KIPC_OPEN_NONBLOCK, &attr, NULL);
}

static uint32_t rec_size(uint32_t len)
{
	return (8 + len + 7) & ~7u;
}

/*
 * A ring of DATA bytes, both sides open in this process, and a mapping
 * of our own to look at (and damage) the shared header.
 */
FIXTURE(ring)
{
	int fd;
	struct kipc_ring *p, *c;
	unsigned char *m;
	size_t len;
};

FIXTURE_SETUP(ring)
{
	void *m;

	self->p = self->c = NULL;
	self->m = NULL;
	if (!have_buffers())
		SKIP(return, "no shared buffers in this kipc");
	self->fd = new_buf(kipc_ring_buffer_size(DATA));
	ASSERT_LE(0, self->fd) TH_LOG("kipc_buf_open: %s", strerror(-self->fd));
	ASSERT_EQ(0, kipc_ring_open(self->fd, PROD | FORMAT, &self->p));
	ASSERT_EQ(0, kipc_ring_open(self->fd, CONS, &self->c));
	ASSERT_EQ(0, kipc_buf_map(self->fd, 0, 0, PROT_READ | PROT_WRITE, &m,
				  &self->len));
	self->m = m;
}

FIXTURE_TEARDOWN(ring)
{
	kipc_ring_close(self->p);
	kipc_ring_close(self->c);
	if (self->m)
		kipc_buf_unmap(self->m, self->len);
	if (self->p || self->m)
		close(self->fd);
}

/* A word of the shared header, as the other side would see it. */
static _Atomic uint32_t *word(struct _test_data_ring *self, size_t off)
{
	return (_Atomic uint32_t *)(self->m + off);
}

static uint32_t get(struct _test_data_ring *self, size_t off)
{
	return atomic_load(word(self, off));
}

static void set(struct _test_data_ring *self, size_t off, uint32_t v)
{
	atomic_store(word(self, off), v);
}

/* A record header written by hand at offset off of the data area. */
static void put_rec(struct _test_data_ring *self, uint32_t off, uint32_t len,
		    uint32_t flags)
{
	set(self, HDR + off, len);
	set(self, HDR + off + 4, flags);
}

/* Both sides again, with head and tail at pos: an empty ring there. */
static int reopen_at(struct _test_data_ring *self, uint32_t pos)
{
	int ret;

	kipc_ring_close(self->p);
	kipc_ring_close(self->c);
	self->p = self->c = NULL;
	set(self, OFF_HEAD, pos);
	set(self, OFF_TAIL, pos);
	ret = kipc_ring_open(self->fd, PROD, &self->p);
	return ret ? ret : kipc_ring_open(self->fd, CONS, &self->c);
}

static int write_str(struct kipc_ring *r, const char *s)
{
	return kipc_ring_write(r, s, strlen(s), 0);
}

/* Write n-byte records until the ring is full; returns how many. */
static int fill(struct kipc_ring *r, size_t n)
{
	static char junk[DATA];
	int i = 0;

	while (kipc_ring_write(r, junk, n, 0) == 0)
		i++;
	return i;
}

TEST(buffer_size)
{
	EXPECT_EQ(8192, kipc_ring_buffer_size(4096));
	EXPECT_EQ(65536 + 4096, kipc_ring_buffer_size(65536));
	EXPECT_EQ((1ull << 31) + 4096, kipc_ring_buffer_size(1ull << 31));
	EXPECT_EQ(0, kipc_ring_buffer_size(0));
	EXPECT_EQ(0, kipc_ring_buffer_size(2048));
	EXPECT_EQ(0, kipc_ring_buffer_size(4097));
	/* a constant: NOLINTNEXTLINE(bugprone-implicit-widening-of-multiplication-result) */
	EXPECT_EQ(0, kipc_ring_buffer_size(3 * 4096));
	EXPECT_EQ(0, kipc_ring_buffer_size(1ull << 32));
}

TEST_F(ring, layout)
{
	struct kipc_buf_stat st;
	struct kipc_ring *r;
	int fd, rfd = kipc_ring_fd(self->p);

	EXPECT_EQ(0x676e6972, get(self, OFF_MAGIC));
	EXPECT_EQ(1, get(self, OFF_VERSION));
	EXPECT_EQ(DATA, get(self, OFF_DATA_SIZE));
	EXPECT_EQ(0, get(self, OFF_HEAD));
	EXPECT_EQ(0, get(self, OFF_TAIL));
	EXPECT_EQ(DATA / 2 - 8, kipc_ring_max_record(self->p));
	EXPECT_EQ(DATA / 2 - 8, kipc_ring_max_record(self->c));
	EXPECT_EQ(0, kipc_ring_max_record(NULL));
	EXPECT_EQ(-EINVAL, kipc_ring_fd(NULL));
	/* the ring's fd is its own dup, close-on-exec, of the same buffer */
	ASSERT_LE(0, rfd);
	EXPECT_NE(self->fd, rfd);
	EXPECT_NE(rfd, kipc_ring_fd(self->c));
	EXPECT_EQ(FD_CLOEXEC, fcntl(rfd, F_GETFD) & FD_CLOEXEC);
	/* one mapping per side, besides ours; closing unmaps */
	ASSERT_EQ(0, kipc_buf_stat(rfd, &st, sizeof(st)));
	EXPECT_EQ(3, st.mappings);
	kipc_ring_close(self->c);
	self->c = NULL;
	ASSERT_EQ(0, kipc_buf_stat(rfd, &st, sizeof(st)));
	EXPECT_EQ(2, st.mappings);

	/* data_size: the largest power of two the buffer holds */
	fd = new_buf(4096 + 3 * 4096);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kipc_ring_open(fd, CONS | FORMAT, &r));
	EXPECT_EQ(8192 / 2 - 8, kipc_ring_max_record(r));
	/* the caller's fd may go: the ring has its own */
	close(fd);
	EXPECT_EQ(0, write_str(self->p, "x"));
	kipc_ring_close(r);
}

TEST(open_errors)
{
	struct kipc_ring *r = NULL;
	int fd, ro, null;
	char name[64];

	if (!have_buffers())
		SKIP(return, "no shared buffers in this kipc");
	fd = new_buf(kipc_ring_buffer_size(4096));
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, kipc_ring_open(fd, 0, &r));
	EXPECT_EQ(-EINVAL, kipc_ring_open(fd, FORMAT, &r));
	EXPECT_EQ(-EINVAL, kipc_ring_open(fd, PROD | CONS, &r));
	EXPECT_EQ(-EINVAL, kipc_ring_open(fd, PROD | 1u << 31, &r));
	EXPECT_EQ(-EINVAL, kipc_ring_open(fd, PROD, NULL));
	/* a buffer without a ring: zeroes are no ring */
	EXPECT_EQ(-EPROTO, kipc_ring_open(fd, CONS, &r));
	EXPECT_EQ(-EPROTO, kipc_ring_open(fd, PROD, &r));
	EXPECT_EQ(NULL, r);
	EXPECT_EQ(-EBADF, kipc_ring_open(-1, PROD, &r));
	null = open("/dev/null", O_RDWR);
	ASSERT_LE(0, null);
	EXPECT_EQ(-ENOTTY, kipc_ring_open(null, PROD | FORMAT, &r));
	close(null);
	close(fd);

	/* one page: no room for a header and 4096 bytes of records */
	fd = new_buf(4096);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENOSPC, kipc_ring_open(fd, PROD | FORMAT, &r));
	close(fd);

	/* a ring needs to write the header: a read-only fd cannot */
	fd = new_named(name, "ring-ro", 8192);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kipc_ring_open(fd, PROD | FORMAT, &r));
	kipc_ring_close(r);
	ro = kipc_buf_open(-1, name, KIPC_OPEN_READ, NULL, NULL);
	ASSERT_LE(0, ro);
	EXPECT_EQ(-EACCES, kipc_ring_open(ro, CONS, &r));
	EXPECT_EQ(0, kipc_buf_unlink(-1, name));
	close(ro);
	close(fd);
}

TEST_F(ring, records)
{
	char buf[64];
	const void *d;
	void *w;
	size_t len;

	ASSERT_EQ(0, write_str(self->p, "hello"));
	ASSERT_EQ(0, kipc_ring_reserve(self->p, 5, &w, 0));
	memcpy(w, "world", 5);
	ASSERT_EQ(0, kipc_ring_commit(self->p, 5));
	ASSERT_EQ(0, kipc_ring_write(self->p, NULL, 0, 0));
	EXPECT_EQ(3 * 16 - 8, get(self, OFF_HEAD));

	ASSERT_EQ(0, kipc_ring_peek(self->c, &d, &len, 0));
	ASSERT_EQ(5, len);
	EXPECT_EQ(0, memcmp("hello", d, 5));
	/* peeking again shows the same record */
	ASSERT_EQ(0, kipc_ring_peek(self->c, &d, &len, 0));
	EXPECT_EQ(0, memcmp("hello", d, 5));
	EXPECT_EQ(0, get(self, OFF_TAIL));
	ASSERT_EQ(0, kipc_ring_release(self->c));
	EXPECT_EQ(16, get(self, OFF_TAIL));
	EXPECT_EQ(5, kipc_ring_read(self->c, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp("world", buf, 5));
	EXPECT_EQ(0, kipc_ring_read(self->c, NULL, 0, 0));
	EXPECT_EQ(-EAGAIN, kipc_ring_read(self->c, buf, sizeof(buf), 0));
	EXPECT_EQ(get(self, OFF_HEAD), get(self, OFF_TAIL));
}

TEST_F(ring, misuse)
{
	const void *d;
	void *w;
	size_t len;

	EXPECT_EQ(-EINVAL, kipc_ring_commit(self->p, 0));
	EXPECT_EQ(-EINVAL, kipc_ring_release(self->c));
	ASSERT_EQ(0, kipc_ring_reserve(self->p, 10, &w, 0));
	EXPECT_EQ(-EBUSY, kipc_ring_reserve(self->p, 10, &w, 0));
	EXPECT_EQ(-EBUSY, kipc_ring_write(self->p, "x", 1, 0));
	EXPECT_EQ(-EINVAL, kipc_ring_commit(self->p, 11));
	ASSERT_EQ(0, kipc_ring_commit(self->p, 10));
	EXPECT_EQ(-EINVAL, kipc_ring_commit(self->p, 0));
	/* each side does its own part only */
	EXPECT_EQ(-EINVAL, kipc_ring_peek(self->p, &d, &len, 0));
	EXPECT_EQ(-EINVAL, kipc_ring_release(self->p));
	EXPECT_EQ(-EINVAL, kipc_ring_read(self->p, &w, sizeof(w), 0));
	EXPECT_EQ(-EINVAL, kipc_ring_reserve(self->c, 1, &w, 0));
	EXPECT_EQ(-EINVAL, kipc_ring_commit(self->c, 0));
	EXPECT_EQ(-EINVAL, kipc_ring_write(self->c, "x", 1, 0));
	/* bad arguments */
	EXPECT_EQ(-EINVAL, kipc_ring_reserve(self->p, 1, NULL, 0));
	EXPECT_EQ(-EINVAL, kipc_ring_reserve(self->p, 1, &w, -2));
	EXPECT_EQ(-EINVAL, kipc_ring_write(self->p, NULL, 1, 0));
	EXPECT_EQ(-EINVAL, kipc_ring_peek(self->c, NULL, &len, 0));
	EXPECT_EQ(-EINVAL, kipc_ring_peek(self->c, &d, NULL, 0));
	EXPECT_EQ(-EINVAL, kipc_ring_peek(self->c, &d, &len, -2));
	EXPECT_EQ(-EINVAL, kipc_ring_read(self->c, NULL, 1, 0));
	EXPECT_EQ(-EINVAL, kipc_ring_reserve(NULL, 1, &w, 0));
	EXPECT_EQ(-EINVAL, kipc_ring_peek(NULL, &d, &len, 0));
	EXPECT_EQ(-EINVAL, kipc_ring_commit(NULL, 0));
	EXPECT_EQ(-EINVAL, kipc_ring_release(NULL));
	kipc_ring_close(NULL);
	/* none of it did any harm */
	ASSERT_EQ(0, kipc_ring_peek(self->c, &d, &len, 0));
	EXPECT_EQ(10, len);
	ASSERT_EQ(0, kipc_ring_release(self->c));
	EXPECT_EQ(-EAGAIN, kipc_ring_peek(self->c, &d, &len, 0));
}

TEST_F(ring, max_record)
{
	size_t max = kipc_ring_max_record(self->p), len;
	static char big[DATA], in[DATA];
	const void *d;
	void *w;

	EXPECT_EQ(-EMSGSIZE, kipc_ring_reserve(self->p, max + 1, &w, 0));
	EXPECT_EQ(-EMSGSIZE, kipc_ring_reserve(self->p, SIZE_MAX, &w, 0));
	EXPECT_EQ(-EMSGSIZE, kipc_ring_write(self->p, big, max + 1, -1));
	/* the largest record fits an empty ring wherever head is */
	for (uint32_t pos = 0; pos < DATA; pos += DATA / 8 + 8) {
		ASSERT_EQ(0, reopen_at(self, pos));
		memset(big, pos, max);
		ASSERT_EQ(0, kipc_ring_write(self->p, big, max, 0));
		ASSERT_EQ(0, kipc_ring_peek(self->c, &d, &len, 0));
		ASSERT_EQ(max, len);
		EXPECT_EQ(0, memcmp(big, d, max));
		/* too small a buffer: the record stays */
		EXPECT_EQ(-EMSGSIZE, kipc_ring_read(self->c, in, max - 1, 0));
		ASSERT_EQ(max, kipc_ring_read(self->c, in, sizeof(in), 0));
		EXPECT_EQ(0, memcmp(big, in, max));
	}
}

TEST_F(ring, commit_shrink)
{
	const void *d;
	void *w;
	size_t len;

	ASSERT_EQ(0, kipc_ring_reserve(self->p, 1000, &w, 0));
	memcpy(w, "0123456789", 10);
	ASSERT_EQ(0, kipc_ring_commit(self->p, 10));
	EXPECT_EQ(rec_size(10), get(self, OFF_HEAD));
	ASSERT_EQ(0, kipc_ring_reserve(self->p, 1000, &w, 0));
	ASSERT_EQ(0, kipc_ring_commit(self->p, 0));
	EXPECT_EQ(rec_size(10) + 8, get(self, OFF_HEAD));
	ASSERT_EQ(0, kipc_ring_peek(self->c, &d, &len, 0));
	ASSERT_EQ(10, len);
	EXPECT_EQ(0, memcmp("0123456789", d, 10));
	ASSERT_EQ(0, kipc_ring_release(self->c));
	ASSERT_EQ(0, kipc_ring_peek(self->c, &d, &len, 0));
	EXPECT_EQ(0, len);
	ASSERT_EQ(0, kipc_ring_release(self->c));

	/* a reservation behind a pad keeps it when it shrinks */
	ASSERT_EQ(0, reopen_at(self, DATA - 64));
	ASSERT_EQ(0, kipc_ring_reserve(self->p, 100, &w, 0));
	memcpy(w, "after", 5);
	ASSERT_EQ(0, kipc_ring_commit(self->p, 5));
	EXPECT_EQ(DATA - 64 + 64 + rec_size(5), get(self, OFF_HEAD));
	EXPECT_EQ(REC_PAD, get(self, HDR + DATA - 64 + 4));
	ASSERT_EQ(0, kipc_ring_peek(self->c, &d, &len, 0));
	ASSERT_EQ(5, len);
	EXPECT_EQ(0, memcmp("after", d, 5));
	ASSERT_EQ(0, kipc_ring_release(self->c));
	EXPECT_EQ(get(self, OFF_HEAD), get(self, OFF_TAIL));
}

/* Records of many sizes, many times round: order and bytes kept. */
TEST_F(ring, wrap)
{
	unsigned int seed = 1, sent = 0, got = 0;
	char out[600], in[600];
	uint32_t pos = 0xffff0000;	/* the counters wrap too */

	ASSERT_EQ(0, reopen_at(self, pos));
	while (got < 20000) {
		for (;;) {
			size_t n = rand_r(&seed) % sizeof(out);

			memset(out, sent & 0xff, n);
			memcpy(out, &sent, n < 4 ? n : 4);
			if (kipc_ring_write(self->p, out, n, 0))
				break;
			sent++;
		}
		while (got < sent) {
			ssize_t n = kipc_ring_read(self->c, in, sizeof(in), 0);

			ASSERT_LE(0, n);
			memset(out, got & 0xff, n);
			memcpy(out, &got, n < 4 ? n : 4);
			ASSERT_EQ(0, memcmp(out, in, n)) TH_LOG("record %u", got);
			got++;
		}
	}
	EXPECT_GT(pos, get(self, OFF_TAIL));
}

TEST_F(ring, timeouts)
{
	int64_t t0 = mono_ns();
	const void *d;
	void *w;
	size_t len;

	EXPECT_EQ(-EAGAIN, kipc_ring_peek(self->c, &d, &len, 0));
	/* a failed non-blocking peek asks for a wake at the next record */
	EXPECT_EQ((get(self, OFF_TAIL) + 8) | 1, get(self, OFF_CONS_WAIT));
	EXPECT_EQ(-ETIMEDOUT, kipc_ring_peek(self->c, &d, &len, 20 * MS));
	EXPECT_LE(20 * MS, mono_ns() - t0);
	/* a blocking call that ends says it no longer waits */
	EXPECT_EQ(0, get(self, OFF_CONS_WAIT));

	EXPECT_LT(0, fill(self->p, 100));
	EXPECT_EQ(-EAGAIN, kipc_ring_reserve(self->p, 100, &w, 0));
	/* a full producer asks for a wake once a quarter is free */
	EXPECT_EQ((get(self, OFF_HEAD) + DATA / 4 - DATA) | 1,
		  get(self, OFF_PROD_WAIT));
	t0 = mono_ns();
	EXPECT_EQ(-ETIMEDOUT, kipc_ring_write(self->p, self->m, 100, 20 * MS));
	EXPECT_LE(20 * MS, mono_ns() - t0);
	/* a huge timeout is "very long", not an overflow into the past */
	ASSERT_EQ(0, kipc_ring_peek(self->c, &d, &len, INT64_MAX));
	ASSERT_EQ(0, kipc_ring_release(self->c));
	EXPECT_EQ(0, kipc_ring_write(self->p, self->m, 100, INT64_MAX));
	EXPECT_EQ(0, get(self, OFF_PROD_WAIT));
}

/* A child process that opens a side of its own and runs fn on it. */
static pid_t child(int fd, unsigned int side, int (*fn)(struct kipc_ring *))
{
	struct kipc_ring *r;
	pid_t pid = fork();

	if (pid)
		return pid;
	usleep(100000);		/* let the parent go to sleep first */
	if (kipc_ring_open(fd, side, &r))
		_exit(10);
	_exit(fn(r));
}

/* Read the ring empty: 100-byte records. */
static int drain100(struct kipc_ring *r)
{
	char buf[200];
	ssize_t n;

	while ((n = kipc_ring_read(r, buf, sizeof(buf), 0)) == 100)
		;
	return n == -EAGAIN ? 0 : 1;
}

static int write_back(struct kipc_ring *r)
{
	return write_str(r, "back") ? 1 : 0;
}

/* Blocking forms: each side sleeps in the kernel and the other wakes it. */
TEST_F(ring, blocking)
{
	struct kipc_buf_stat st;
	static char buf[DATA];
	int status;
	pid_t pid;

	/* full: the producer sleeps until the child reads */
	ASSERT_LT(0, fill(self->p, 100));
	pid = child(self->fd, CONS, drain100);
	ASSERT_LE(0, pid);
	EXPECT_EQ(0, kipc_ring_write(self->p, buf, 100, LONG_WAIT));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	ASSERT_EQ(0, kipc_buf_stat(self->fd, &st, sizeof(st)));
	EXPECT_LE(1, st.waits);
	EXPECT_LE(1, st.woken);

	/* empty: the consumer sleeps until the child writes */
	ASSERT_EQ(0, reopen_at(self, 4096));
	pid = child(self->fd, PROD, write_back);
	ASSERT_LE(0, pid);
	EXPECT_EQ(4, kipc_ring_read(self->c, buf, sizeof(buf), LONG_WAIT));
	EXPECT_EQ(0, memcmp("back", buf, 4));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	ASSERT_EQ(0, kipc_buf_stat(self->fd, &st, sizeof(st)));
	EXPECT_LE(2, st.waits);
	EXPECT_LE(2, st.woken);
}

/* Nobody asleep: no system call, however many records go through. */
TEST_F(ring, no_needless_wakes)
{
	struct kipc_buf_stat st, st2;
	char buf[64];

	ASSERT_EQ(0, kipc_buf_stat(self->fd, &st, sizeof(st)));
	for (int i = 0; i < 10000; i++) {
		ASSERT_EQ(0, write_str(self->p, "0123456789"));
		ASSERT_EQ(10, kipc_ring_read(self->c, buf, sizeof(buf), 0));
	}
	ASSERT_EQ(0, kipc_buf_stat(self->fd, &st2, sizeof(st2)));
	EXPECT_EQ(st.wakes, st2.wakes);
	/* one armed peek: one wake, not one per record */
	EXPECT_EQ(-EAGAIN, kipc_ring_read(self->c, buf, sizeof(buf), 0));
	for (int i = 0; i < 10; i++)
		ASSERT_EQ(0, write_str(self->p, "0123456789"));
	ASSERT_EQ(0, kipc_buf_stat(self->fd, &st2, sizeof(st2)));
	EXPECT_EQ(st.wakes + 1, st2.wakes);
}

/* The two sides on fds of their own, one open of the named buffer each. */
FIXTURE(epoll)
{
	char name[64];
	int pfd, cfd, ep;
	struct kipc_ring *p, *c;
};

FIXTURE_SETUP(epoll)
{
	struct epoll_event ev = { .events = EPOLLIN };

	self->p = self->c = NULL;
	self->ep = -1;
	if (!have_buffers())
		SKIP(return, "no shared buffers in this kipc");
	self->cfd = new_named(self->name, "ring-ep",
			      kipc_ring_buffer_size(4096));
	ASSERT_LE(0, self->cfd);
	/*
	 * Both sides on one open file, as after a fork: each ring has an
	 * open file of its own (kipc_buf_reopen), so neither side's read()
	 * takes the other's wakes.
	 */
	self->pfd = dup(self->cfd);
	ASSERT_LE(0, self->pfd);
	ASSERT_EQ(0, kipc_buf_unlink(-1, self->name));
	ASSERT_EQ(0, kipc_ring_open(self->cfd, CONS | FORMAT, &self->c));
	ASSERT_EQ(0, kipc_ring_open(self->pfd, PROD, &self->p));
	self->ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, self->ep);
	ev.data.u32 = 0;
	ASSERT_EQ(0, epoll_ctl(self->ep, EPOLL_CTL_ADD,
			       kipc_ring_fd(self->c), &ev));
	ev.data.u32 = 1;
	ASSERT_EQ(0, epoll_ctl(self->ep, EPOLL_CTL_ADD,
			       kipc_ring_fd(self->p), &ev));
}

FIXTURE_TEARDOWN(epoll)
{
	kipc_ring_close(self->p);
	kipc_ring_close(self->c);
	if (self->ep >= 0) {
		close(self->ep);
		close(self->pfd);
		close(self->cfd);
	}
}

/* Which sides' fds are readable now; drains them. */
static unsigned int ready(struct _test_data_epoll *self, int timeout_ms)
{
	struct epoll_event ev[2];
	unsigned int mask = 0;
	uint64_t count;
	int n = epoll_wait(self->ep, ev, 2, timeout_ms);

	for (int i = 0; i < n; i++) {
		mask |= 1u << ev[i].data.u32;
		if (read(kipc_ring_fd(ev[i].data.u32 ? self->p : self->c),
			 &count, sizeof(count)) != sizeof(count) || !count)
			return 1u << 31;
	}
	return mask;
}

TEST_F(epoll, both_sides)
{
	char buf[64];

	EXPECT_EQ(0, ready(self, 0));
	/* the consumer finds nothing and asks for a wake */
	EXPECT_EQ(-EAGAIN, kipc_ring_read(self->c, buf, sizeof(buf), 0));
	EXPECT_EQ(0, ready(self, 0));
	EXPECT_EQ(0, write_str(self->p, "wake"));
	EXPECT_EQ(1, ready(self, 10000) & 1);
	EXPECT_EQ(4, kipc_ring_read(self->c, buf, sizeof(buf), 0));
	/* not asked for, no wake */
	EXPECT_EQ(0, write_str(self->p, "quiet"));
	EXPECT_EQ(0, ready(self, 0));
	EXPECT_EQ(5, kipc_ring_read(self->c, buf, sizeof(buf), 0));

	/*
	 * The other way: a full ring, and room made. The producer is woken
	 * once a quarter of the ring (4096 bytes of data here) is free, not
	 * by the first record read: 1024 bytes are 21 or 22 records of 40
	 * bytes (48 with their headers), depending on where the pad fell.
	 */
	ASSERT_LT(0, fill(self->p, 40));
	EXPECT_EQ(-EAGAIN, kipc_ring_write(self->p, buf, 40, 0));
	EXPECT_EQ(0, ready(self, 0));
	unsigned int reads = 0, mask = 0;

	while (!(mask & 2) && reads < 100) {
		EXPECT_EQ(40, kipc_ring_read(self->c, buf, sizeof(buf), 0));
		reads++;
		mask = ready(self, 0);
	}
	EXPECT_EQ(2, mask & 2);
	EXPECT_LE(20, reads);
	EXPECT_GE(23, reads);
	EXPECT_EQ(0, kipc_ring_write(self->p, buf, 40, 0));
	EXPECT_EQ(40, kipc_ring_read(self->c, buf, sizeof(buf), 0));
	EXPECT_EQ(0, ready(self, 0));
}

/*
 * Hostile headers: one field damaged at a time, as a broken or malicious
 * other side could. Each must give -EPROTO, for good, and never a fault:
 * the library maps the ring between guard pages, so a read or write
 * outside it would kill the test.
 */
#define EXPECT_BROKEN_C(self) do {					\
	const void *_d;							\
	size_t _l;							\
	EXPECT_EQ(-EPROTO, kipc_ring_peek((self)->c, &_d, &_l, 0));	\
	EXPECT_EQ(-EPROTO, kipc_ring_peek((self)->c, &_d, &_l, 0));	\
	EXPECT_EQ(-EPROTO, kipc_ring_release((self)->c));		\
} while (0)

#define EXPECT_BROKEN_P(self) do {					\
	void *_w;							\
	size_t _max = kipc_ring_max_record((self)->p);			\
	EXPECT_EQ(-EPROTO, kipc_ring_reserve((self)->p, _max, &_w, 0));	\
	EXPECT_EQ(-EPROTO, kipc_ring_reserve((self)->p, 1, &_w, 0));	\
	EXPECT_EQ(-EPROTO, kipc_ring_commit((self)->p, 0));		\
} while (0)

static int open_cons(struct _test_data_ring *self)
{
	struct kipc_ring *r = NULL;
	int ret = kipc_ring_open(self->fd, CONS, &r);

	kipc_ring_close(r);
	return ret;
}

TEST_F(ring, bad_magic)
{
	set(self, OFF_MAGIC, 0x676e6973);
	EXPECT_EQ(-EPROTO, open_cons(self));
}

TEST_F(ring, bad_version)
{
	set(self, OFF_VERSION, 2);
	EXPECT_EQ(-EPROTO, open_cons(self));
}

TEST_F(ring, data_size_not_pow2)
{
	set(self, OFF_DATA_SIZE, DATA - 4096);
	EXPECT_EQ(-EPROTO, open_cons(self));
}

TEST_F(ring, data_size_too_big)
{
	set(self, OFF_DATA_SIZE, 2 * DATA);
	EXPECT_EQ(-EPROTO, open_cons(self));
	set(self, OFF_DATA_SIZE, 1u << 31);
	EXPECT_EQ(-EPROTO, open_cons(self));
}

TEST_F(ring, data_size_too_small)
{
	set(self, OFF_DATA_SIZE, 2048);
	EXPECT_EQ(-EPROTO, open_cons(self));
	set(self, OFF_DATA_SIZE, 0);
	EXPECT_EQ(-EPROTO, open_cons(self));
}

TEST_F(ring, open_head_tail_apart)
{
	set(self, OFF_HEAD, DATA + 8);
	EXPECT_EQ(-EPROTO, open_cons(self));
	set(self, OFF_HEAD, 0);
	set(self, OFF_TAIL, 8);		/* tail past head */
	EXPECT_EQ(-EPROTO, open_cons(self));
	set(self, OFF_TAIL, 4);
	EXPECT_EQ(-EPROTO, open_cons(self));
}

TEST_F(ring, head_too_far)
{
	set(self, OFF_HEAD, DATA + 8);
	EXPECT_BROKEN_C(self);
}

TEST_F(ring, head_misaligned)
{
	ASSERT_EQ(0, write_str(self->p, "x"));
	set(self, OFF_HEAD, 12);
	EXPECT_BROKEN_C(self);
}

TEST_F(ring, head_backwards)
{
	char buf[8];

	ASSERT_EQ(0, write_str(self->p, "a"));
	ASSERT_EQ(0, write_str(self->p, "b"));
	ASSERT_EQ(1, kipc_ring_read(self->c, buf, sizeof(buf), 0));
	ASSERT_EQ(1, kipc_ring_read(self->c, buf, sizeof(buf), 0));
	set(self, OFF_HEAD, 16);	/* the consumer has seen 32 */
	EXPECT_BROKEN_C(self);
}

TEST_F(ring, rec_len_too_big)
{
	put_rec(self, 0, DATA / 2 - 7, 0);
	set(self, OFF_HEAD, DATA);
	EXPECT_BROKEN_C(self);
}

TEST_F(ring, rec_len_huge)
{
	put_rec(self, 0, UINT32_MAX - 3, 0);	/* rec_size() would wrap */
	set(self, OFF_HEAD, DATA);
	EXPECT_BROKEN_C(self);
}

TEST_F(ring, rec_past_head)
{
	put_rec(self, 0, 9, 0);		/* 24 bytes, 16 published */
	set(self, OFF_HEAD, 16);
	EXPECT_BROKEN_C(self);
}

TEST_F(ring, rec_past_end)
{
	/* 64 bytes to the end, 128 published (as if wrapped) */
	ASSERT_EQ(0, reopen_at(self, DATA - 64));
	put_rec(self, DATA - 64, 100, 0);
	set(self, OFF_HEAD, DATA + 64);
	EXPECT_BROKEN_C(self);
}

TEST_F(ring, rec_flags)
{
	put_rec(self, 0, 1, 2);
	set(self, OFF_HEAD, 16);
	EXPECT_BROKEN_C(self);
}

TEST_F(ring, pad_first_half)
{
	/* the largest record always fits before a point in the first half */
	ASSERT_EQ(0, reopen_at(self, DATA / 2));
	put_rec(self, DATA / 2, DATA / 2 - 8, REC_PAD);
	put_rec(self, 0, 0, 0);
	set(self, OFF_HEAD, DATA + 8);
	EXPECT_BROKEN_C(self);
}

TEST_F(ring, pad_at_zero)
{
	put_rec(self, 0, DATA - 8, REC_PAD);
	set(self, OFF_HEAD, DATA);
	EXPECT_BROKEN_C(self);
}

TEST_F(ring, pad_short)
{
	ASSERT_EQ(0, reopen_at(self, DATA - 64));
	put_rec(self, DATA - 64, 48, REC_PAD);	/* 8 bytes short of the end */
	put_rec(self, 0, 0, 0);
	set(self, OFF_HEAD, DATA + 8);
	EXPECT_BROKEN_C(self);
}

TEST_F(ring, pad_alone)
{
	ASSERT_EQ(0, reopen_at(self, DATA - 64));
	put_rec(self, DATA - 64, 56, REC_PAD);	/* and no record after it */
	set(self, OFF_HEAD, DATA);
	EXPECT_BROKEN_C(self);
}

TEST_F(ring, pad_after_pad)
{
	ASSERT_EQ(0, reopen_at(self, DATA - 64));
	put_rec(self, DATA - 64, 56, REC_PAD);
	put_rec(self, 0, DATA - 8, REC_PAD);
	set(self, OFF_HEAD, 2 * DATA - 64);
	EXPECT_BROKEN_C(self);
}

TEST_F(ring, pad_valid)
{
	const void *d;
	size_t len;

	/* the same by hand, done right: the pad is skipped */
	ASSERT_EQ(0, reopen_at(self, DATA - 64));
	put_rec(self, DATA - 64, 56, REC_PAD);
	put_rec(self, 0, 3, 0);
	memcpy(self->m + HDR + 8, "abc", 3);
	set(self, OFF_HEAD, DATA + 16);
	ASSERT_EQ(0, kipc_ring_peek(self->c, &d, &len, 0));
	ASSERT_EQ(3, len);
	EXPECT_EQ(0, memcmp("abc", d, 3));
	ASSERT_EQ(0, kipc_ring_release(self->c));
	EXPECT_EQ(DATA + 16, get(self, OFF_TAIL));
}

TEST_F(ring, tail_past_head)
{
	ASSERT_LT(0, fill(self->p, 100));
	set(self, OFF_TAIL, get(self, OFF_HEAD) + 8);
	EXPECT_BROKEN_P(self);
}

TEST_F(ring, tail_misaligned)
{
	ASSERT_LT(0, fill(self->p, 100));
	set(self, OFF_TAIL, 4);
	EXPECT_BROKEN_P(self);
}

TEST_F(ring, tail_backwards)
{
	char buf[128];

	ASSERT_LT(0, fill(self->p, 100));
	ASSERT_EQ(100, kipc_ring_read(self->c, buf, sizeof(buf), 0));
	ASSERT_EQ(100, kipc_ring_read(self->c, buf, sizeof(buf), 0));
	/* the producer learns the new tail when it needs the room */
	ASSERT_EQ(2, fill(self->p, 100));
	set(self, OFF_TAIL, 0);
	EXPECT_BROKEN_P(self);
}

/*
 * Random damage, many times: every call answers 0, -EAGAIN or -EPROTO,
 * and every byte of every record handed out can be read. A ring goes on
 * until damage is noticed, then both sides start again somewhere else
 * (opening costs mmaps, slow under KASAN).
 */
TEST_F_TIMEOUT(ring, fuzz, 120)
{
	static const uint32_t offs[] = { OFF_HEAD, OFF_TAIL };
	unsigned int seed = 42, protos = 0;
	/* a sink that makes every byte be read */
	/* NOLINTNEXTLINE(clang-diagnostic-unused-but-set-variable) */
	volatile unsigned char sum = 0;
	bool broken = true;

	for (int i = 0; i < 1000; i++) {
		const void *d;
		size_t len;
		int ret;

		if (broken || i % 16 == 0)
			ASSERT_EQ(0, reopen_at(self, rand_r(&seed) % DATA * 8));
		broken = false;
		for (int j = rand_r(&seed) % 8; j > 0; j--) {
			ret = write_str(self->p, "some record or other");
			ASSERT_TRUE(ret == 0 || ret == -EAGAIN || ret == -EPROTO);
			broken |= ret == -EPROTO;
		}
		for (int j = rand_r(&seed) % 3 + 1; j > 0; j--) {
			uint32_t v = rand_r(&seed);

			switch (rand_r(&seed) % 4) {
			case 0:
				v %= 2 * DATA;
				/* fall through */
			case 1:
				set(self, offs[j & 1], get(self, offs[j & 1]) + v);
				break;
			default:
				set(self, HDR + rand_r(&seed) % (DATA / 4) * 4,
				    rand_r(&seed) & 1 ? v : v % DATA);
			}
		}
		if (i % 16 == 0) {
			/* a side opened now: the same checks at open */
			struct kipc_ring *c = NULL;

			ret = kipc_ring_open(self->fd, CONS, &c);
			ASSERT_TRUE(ret == 0 || ret == -EPROTO);
			kipc_ring_close(c);
		}
		for (int j = 0; j < 10; j++) {
			ret = kipc_ring_peek(self->c, &d, &len, 0);
			if (ret)
				break;
			for (size_t k = 0; k < len; k++)
				sum += ((const unsigned char *)d)[k];
			ASSERT_EQ(0, kipc_ring_release(self->c));
		}
		if (ret == -EPROTO)
			broken = true;
		else
			ASSERT_TRUE(ret == 0 || ret == -EAGAIN);
		protos += broken;
	}
	TH_LOG("%u of 1000 rounds noticed damage", protos);
	EXPECT_LT(100, protos);
}

/*
 * A stream of checksummed records of random sizes from a child process
 * (producer) to this one (consumer): none lost, reordered or damaged.
 * Naps on one side make the other wait in the kernel many times.
 */
FIXTURE(stream)
{
	int fd;
	char name[64];
};

FIXTURE_VARIANT(stream)
{
	unsigned int records;
	unsigned int max_payload;
	unsigned int prod_nap;		/* usleep(50) every N records */
	unsigned int cons_nap;
	bool epoll;			/* consumer: peek(0) and epoll_wait */
	bool must_wait;			/* both sides waited: assert it */
};

FIXTURE_VARIANT_ADD(stream, million)
{
	.records = 1000000, .max_payload = 48,
};

FIXTURE_VARIANT_ADD(stream, consumer_naps)
{
	.records = 100000, .max_payload = 1000, .cons_nap = 200,
	.must_wait = true,
};

FIXTURE_VARIANT_ADD(stream, producer_naps)
{
	.records = 100000, .max_payload = 1000, .prod_nap = 200,
	.must_wait = true,
};

FIXTURE_VARIANT_ADD(stream, epoll)
{
	.records = 100000, .max_payload = 1000, .prod_nap = 500,
	.epoll = true, .must_wait = true,
};

FIXTURE_SETUP(stream)
{
	self->fd = -1;
	if (!have_buffers())
		SKIP(return, "no shared buffers in this kipc");
	/* named, so that each side can open a file of its own (epoll) */
	self->fd = new_named(self->name, "stream",
			     kipc_ring_buffer_size(65536));
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(stream)
{
	if (self->fd >= 0) {
		kipc_buf_unlink(-1, self->name);
		close(self->fd);
	}
}

struct rec {
	uint64_t seq;
	uint32_t len;		/* of the payload after this header */
	uint32_t sum;
};

static uint32_t xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* FNV-1a of the payload and the sequence number */
static uint32_t checksum(uint64_t seq, const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u ^ (uint32_t)seq;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* The producer: its sizes come from the seed the consumer uses too. */
static int produce(const char *name, const FIXTURE_VARIANT(stream) *v)
{
	uint32_t sizes = 1, bytes = 7;
	struct kipc_ring *r;
	unsigned char tmp[2048];
	int fd, ret;

	fd = kipc_buf_open(-1, name, RW, NULL, NULL);
	if (fd < 0)
		return 10;
	ret = kipc_ring_open(fd, PROD, &r);
	close(fd);
	if (ret)
		return 11;
	for (uint64_t seq = 0; seq < v->records; seq++) {
		uint32_t n = xorshift(&sizes) % (v->max_payload + 1);
		unsigned char *p;
		struct rec *h;
		void *w;

		/* a third copied in, the rest in place; some shrink */
		if (seq % 3 == 0) {
			h = (struct rec *)tmp;
		} else {
			size_t ask = sizeof(*h) + n + (seq % 5 == 1 ? 100 : 0);

			ret = kipc_ring_reserve(r, ask, &w, LONG_WAIT);
			if (ret)
				return ret == -ETIMEDOUT ? 12 : 13;
			h = w;
		}
		p = (unsigned char *)(h + 1);
		for (uint32_t i = 0; i < n; i++)
			p[i] = xorshift(&bytes);
		h->seq = seq;
		h->len = n;
		h->sum = checksum(seq, p, n);
		if (seq % 3 == 0)
			ret = kipc_ring_write(r, tmp, sizeof(*h) + n, LONG_WAIT);
		else
			ret = kipc_ring_commit(r, sizeof(*h) + n);
		if (ret)
			return ret == -ETIMEDOUT ? 14 : 15;
		if (v->prod_nap && seq % v->prod_nap == 0)
			usleep(50);
	}
	kipc_ring_close(r);
	return 0;
}

/* peek, or with epoll: peek without waiting, and sleep in epoll_wait */
static int consume_peek(struct kipc_ring *r, int ep, const void **d,
			size_t *len)
{
	struct epoll_event ev;
	uint64_t count;
	int ret;

	if (ep < 0)
		return kipc_ring_peek(r, d, len, LONG_WAIT);
	while ((ret = kipc_ring_peek(r, d, len, 0)) == -EAGAIN) {
		if (epoll_wait(ep, &ev, 1, LONG_WAIT / MS) != 1)
			return -ETIMEDOUT;
		if (read(kipc_ring_fd(r), &count, sizeof(count)) < 0 &&
		    errno != EAGAIN)
			return -errno;
	}
	return ret;
}

TEST_F_TIMEOUT(stream, records, 300)
{
	uint32_t sizes = 1;
	struct kipc_buf_stat st;
	struct kipc_ring *r;
	static unsigned char copy[2048];
	int ep = -1, status;
	pid_t pid;

	ASSERT_EQ(0, kipc_ring_open(self->fd, CONS | FORMAT, &r));
	if (variant->epoll) {
		struct epoll_event ev = { .events = EPOLLIN };

		ep = epoll_create1(EPOLL_CLOEXEC);
		ASSERT_LE(0, ep);
		ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, kipc_ring_fd(r), &ev));
	}
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(produce(self->name, variant));

	for (uint64_t seq = 0; seq < variant->records; seq++) {
		uint32_t n = xorshift(&sizes) % (variant->max_payload + 1);
		const struct rec *h;
		const void *d;
		size_t len;
		int ret;

		if (seq % 4 == 0) {
			ssize_t got;

			/* copied out; the producer cannot change it now */
			ret = consume_peek(r, ep, &d, &len);
			ASSERT_EQ(0, ret) TH_LOG("record %llu: %s",
						 (unsigned long long)seq,
						 strerror(-ret));
			got = kipc_ring_read(r, copy, sizeof(copy), 0);
			ASSERT_EQ(len, got);
			d = copy;
		} else {
			ret = consume_peek(r, ep, &d, &len);
			ASSERT_EQ(0, ret) TH_LOG("record %llu: %s",
						 (unsigned long long)seq,
						 strerror(-ret));
		}
		h = d;
		ASSERT_EQ(sizeof(*h) + n, len) TH_LOG("record %llu",
						      (unsigned long long)seq);
		ASSERT_EQ(seq, h->seq);
		ASSERT_EQ(n, h->len);
		ASSERT_EQ(h->sum, checksum(seq, (const void *)(h + 1), n))
			TH_LOG("record %llu damaged", (unsigned long long)seq);
		if (seq % 4)
			ASSERT_EQ(0, kipc_ring_release(r));
		if (variant->cons_nap && seq % variant->cons_nap == 0)
			usleep(50);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status) TH_LOG("producer exit status %d",
				    WEXITSTATUS(status));
	{
		const void *d;
		size_t len;

		EXPECT_EQ(-EAGAIN, kipc_ring_peek(r, &d, &len, 0));
	}
	ASSERT_EQ(0, kipc_buf_stat(self->fd, &st, sizeof(st)));
	TH_LOG("%u records: %llu waits, %llu wakes, %llu woken",
	       variant->records, (unsigned long long)st.waits,
	       (unsigned long long)st.wakes, (unsigned long long)st.woken);
	if (variant->must_wait) {
		EXPECT_LT(0, st.wakes);
		if (!variant->epoll)
			EXPECT_LT(0, st.waits);
	}
	if (ep >= 0)
		close(ep);
	kipc_ring_close(r);
}

TEST_HARNESS_MAIN
