// SPDX-License-Identifier: GPL-2.0
/*
 * kipc_buf_test: shared buffers: creation, mmap rules, wait/wake, poll.
 *
 * The ABI is exercised with raw ioctls where a bad input is the point and
 * through libkipc elsewhere, so the library is tested on the way.
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
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <kipc.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

_Static_assert(sizeof(struct kipc_buf_open) == 48, "kipc_buf_open size");
_Static_assert(sizeof(struct kipc_buf_wait) == 32, "kipc_buf_wait size");
_Static_assert(sizeof(struct kipc_buf_wake) == 24, "kipc_buf_wake size");
_Static_assert(sizeof(struct kipc_buf_stat) == 80, "kipc_buf_stat size");
_Static_assert(sizeof(struct kipc_buf_reopen) == 16, "kipc_buf_reopen size");

#define RW	(KIPC_OPEN_READ | KIPC_OPEN_WRITE)
#define CREATE	(RW | KIPC_OPEN_CREATE | KIPC_OPEN_EXCL)
#define NOBODY	65534

static long page_size;

static int buf_open_raw(int ctl, const char *name, uint32_t flags,
			uint64_t size, uint32_t mode, struct kipc_buf_open *out)
{
	struct kipc_buf_open o = {
		.size = sizeof(o), .flags = flags,
		.name = (uintptr_t)name, .name_len = name ? strlen(name) : 0,
		.mode = mode, .buf_size = size, .fd = -1,
	};
	int ret = ioctl(ctl, KIPC_IOC_BUF_OPEN, &o) ? errno : 0;

	if (out)
		*out = o;
	return ret;
}

static struct kipc_buf_stat buf_stat(int fd)
{
	struct kipc_buf_stat st;

	if (kipc_buf_stat(fd, &st, sizeof(st)))
		memset(&st, 0xff, sizeof(st));
	return st;
}

static int wait_raw(int fd, uint64_t offset, uint32_t value, uint32_t flags,
		    uint64_t deadline)
{
	struct kipc_buf_wait w = {
		.size = sizeof(w), .flags = flags, .offset = offset,
		.value = value, .deadline_ns = deadline,
	};

	return ioctl(fd, KIPC_IOC_BUF_WAIT, &w) ? errno : 0;
}

static int wake_raw(int fd, uint64_t offset, uint32_t count)
{
	struct kipc_buf_wake w = {
		.size = sizeof(w), .offset = offset, .count = count,
	};
	int ret = ioctl(fd, KIPC_IOC_BUF_WAKE, &w);

	return ret < 0 ? -errno : ret;
}

/* Poll until the buffer has n waiters; false after about 10 s. */
static bool wait_for_waiters(int fd, uint32_t n)
{
	for (int i = 0; i < 10000; i++) {
		if (buf_stat(fd).waiters == n)
			return true;
		usleep(1000);
	}
	return false;
}

FIXTURE(buf)
{
	int ctl;
	int fd;
	char name[64];
	uint64_t size;
};

FIXTURE_SETUP(buf)
{
	struct kipc_buf_attr attr = { .size = 3 * page_size, .mode = 0600 };

	self->ctl = kipc_open();
	ASSERT_LE(0, self->ctl);
	snprintf(self->name, sizeof(self->name), "/kipc-buf-test-%d",
		 getpid());
	self->fd = kipc_buf_open(self->ctl, self->name, CREATE, &attr,
				 &self->size);
	ASSERT_LE(0, self->fd) TH_LOG("kipc_buf_open: %s",
				      strerror(-self->fd));
}

FIXTURE_TEARDOWN(buf)
{
	kipc_buf_unlink(self->ctl, self->name);
	close(self->fd);
	close(self->ctl);
}

TEST(version_announces_buf)
{
	struct kipc_version v;
	int ctl = kipc_open();

	ASSERT_LE(0, ctl);
	ASSERT_EQ(0, kipc_get_version(ctl, &v, sizeof(v)));
	EXPECT_TRUE(v.features & KIPC_FEATURE_BUF);
	close(ctl);
}

/* Sizes are rounded up to pages; the buffer starts zeroed. */
TEST_F(buf, create_and_stat)
{
	struct kipc_buf_open o;
	struct kipc_buf_stat st;
	unsigned char *p;
	size_t len;

	EXPECT_EQ(3 * page_size, self->size);
	st = buf_stat(self->fd);
	EXPECT_NE(0, st.id);
	EXPECT_EQ(self->size, st.buf_size);
	EXPECT_EQ(0, st.mappings);
	EXPECT_EQ(0, st.waiters);
	EXPECT_EQ(0, st.waits);
	EXPECT_EQ(0, st.wakes);
	EXPECT_EQ(0, st.woken);
	EXPECT_EQ(0600, st.mode);
	EXPECT_EQ(getuid(), st.uid);
	EXPECT_EQ(getgid(), st.gid);
	EXPECT_NE(0, st.ctime_ns);

	/* one byte is one page */
	ASSERT_EQ(0, buf_open_raw(self->ctl, NULL, RW | KIPC_OPEN_CREATE, 1,
				  0600, &o));
	EXPECT_EQ(page_size, o.buf_size);
	EXPECT_NE(0, o.id);
	EXPECT_NE(st.id, o.id);
	ASSERT_EQ(0, kipc_buf_map(o.fd, 0, 0, PROT_READ, (void **)&p, &len));
	EXPECT_EQ(page_size, len);
	for (size_t i = 0; i < len; i++)
		ASSERT_EQ(0, p[i]);
	munmap(p, len);
	close(o.fd);
}

TEST_F(buf, open_errors)
{
	struct kipc_buf_open o;
	char limit[32] = "";
	uint64_t max_mb;
	FILE *f;
	int ret;

	f = fopen("/sys/module/kipc/parameters/buf_max_mb", "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(limit, sizeof(limit), f));
	fclose(f);
	max_mb = strtoull(limit, NULL, 10);

	EXPECT_EQ(EINVAL, buf_open_raw(self->ctl, NULL, RW | KIPC_OPEN_CREATE,
				       0, 0600, NULL));
	EXPECT_EQ(EINVAL, buf_open_raw(self->ctl, NULL, RW | KIPC_OPEN_CREATE,
				       (max_mb << 20) + 1, 0600, NULL));
	EXPECT_EQ(EINVAL, buf_open_raw(self->ctl, NULL, RW | KIPC_OPEN_CREATE,
				       UINT64_MAX, 0600, NULL));
	EXPECT_EQ(EINVAL, buf_open_raw(self->ctl, NULL, RW | KIPC_OPEN_CREATE,
				       4096, 01000, NULL));
	EXPECT_EQ(EINVAL, buf_open_raw(self->ctl, NULL, KIPC_OPEN_CREATE,
				       4096, 0600, NULL));
	EXPECT_EQ(EINVAL, buf_open_raw(self->ctl, NULL, RW, 4096, 0600, NULL));
	EXPECT_EQ(EINVAL, buf_open_raw(self->ctl, "no-slash", CREATE, 4096,
				       0600, NULL));
	EXPECT_EQ(EINVAL, buf_open_raw(self->ctl, "/a/b", CREATE, 4096, 0600,
				       NULL));
	EXPECT_EQ(ENOENT, buf_open_raw(self->ctl, "/kipc-buf-test-none", RW,
				       0, 0, NULL));
	EXPECT_EQ(EEXIST, buf_open_raw(self->ctl, self->name, CREATE, 4096,
				       0600, NULL));
	/* unknown flag, non-zero reserved */
	EXPECT_EQ(EINVAL, buf_open_raw(self->ctl, NULL,
				       RW | KIPC_OPEN_CREATE | (1u << 31),
				       4096, 0600, NULL));
	o = (struct kipc_buf_open){
		.size = sizeof(o), .flags = RW | KIPC_OPEN_CREATE,
		.buf_size = 4096, .__reserved = 1,
	};
	EXPECT_EQ(-1, ioctl(self->ctl, KIPC_IOC_BUF_OPEN, &o));
	EXPECT_EQ(EINVAL, errno);

	/* an existing buffer keeps its size, and says so */
	ASSERT_EQ(0, buf_open_raw(self->ctl, self->name,
				  RW | KIPC_OPEN_CREATE, 1, 0600, &o));
	EXPECT_EQ(self->size, o.buf_size);
	close(o.fd);
	ASSERT_EQ(0, buf_open_raw(self->ctl, self->name, KIPC_OPEN_READ, 0, 0,
				  &o));
	EXPECT_EQ(self->size, o.buf_size);
	close(o.fd);

	/* names are per kind: a queue of the same name is another object */
	ret = kipc_mq_open(self->ctl, self->name, RW | KIPC_OPEN_CREATE, NULL);
	EXPECT_EQ(-EEXIST, ret);
	EXPECT_EQ(ENOENT, buf_open_raw(self->ctl, "/kipc-buf-test-mq", RW, 0,
				       0, NULL));
	ret = kipc_mq_open(self->ctl, "/kipc-buf-test-mq",
			   RW | KIPC_OPEN_CREATE, NULL);
	ASSERT_LE(0, ret);
	close(ret);
	EXPECT_EQ(ENOENT, buf_open_raw(self->ctl, "/kipc-buf-test-mq", RW, 0,
				       0, NULL));
	EXPECT_EQ(-ENOENT, kipc_buf_unlink(self->ctl, "/kipc-buf-test-mq"));
	EXPECT_EQ(0, kipc_mq_unlink(self->ctl, "/kipc-buf-test-mq"));

	/* the library's own checks */
	EXPECT_EQ(-EINVAL, kipc_buf_open(self->ctl, NULL,
					 RW | KIPC_OPEN_CREATE, NULL, NULL));
	EXPECT_EQ(-EINVAL, kipc_buf_open(self->ctl, "", RW, NULL, NULL));
}

/* Every command checks size, flags and pointers like the others do. */
TEST_F(buf, size_probe)
{
	static const struct kipc_probe_cmd cmds[] = {
		KIPC_PROBE(KIPC_IOC_BUF_WAIT, struct kipc_buf_wait),
		KIPC_PROBE(KIPC_IOC_BUF_WAKE, struct kipc_buf_wake),
		KIPC_PROBE(KIPC_IOC_BUF_STAT, struct kipc_buf_stat),
		KIPC_PROBE(KIPC_IOC_BUF_REOPEN, struct kipc_buf_reopen),
	};
	const char *err = kipc_size_probe(self->fd, cmds,
					  KIPC_ARRAY_SIZE(cmds), self->ctl);
	char b[4096 + 8];

	EXPECT_EQ(NULL, err) TH_LOG("%s", err);
	/* a larger, zero-tailed STAT works; a queue command does not */
	memset(b, 0, sizeof(b));
	*(uint32_t *)b = 4096;
	EXPECT_EQ(0, ioctl(self->fd, KIPC_IOC_BUF_STAT, b));
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_MQ_STAT, b));
	EXPECT_EQ(ENOTTY, errno);
	/* STAT's reserved field */
	struct kipc_buf_stat st = { .size = sizeof(st), .__reserved = 1 };
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_BUF_STAT, &st));
	EXPECT_EQ(EINVAL, errno);
}

/* Several processes, each at an address of its own, see the same bytes. */
TEST_F(buf, shared_between_processes)
{
	enum { N = 3 };
	unsigned char *p;
	pid_t pids[N];
	size_t len;

	ASSERT_EQ(0, kipc_buf_map(self->fd, 0, 0, PROT_READ | PROT_WRITE,
				  (void **)&p, &len));
	EXPECT_EQ(1, buf_stat(self->fd).mappings);
	memset(p, 0xa5, 16);

	for (int i = 0; i < N; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			/* a fresh fd and mapping, shifted by a spacer */
			void *spacer = mmap(NULL, (i + 1) * page_size,
					    PROT_NONE,
					    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			unsigned char *q;
			int fd = kipc_buf_open(-1, self->name, RW, NULL, NULL);

			if (fd < 0 || spacer == MAP_FAILED ||
			    kipc_buf_map(fd, 0, len, PROT_READ | PROT_WRITE,
					 (void **)&q, NULL))
				_exit(10);
			if (q == p)
				_exit(11);
			if (q[15] != 0xa5)
				_exit(12);
			/* one page each, the last byte of it too */
			memset(q + (i + 0) * page_size + 64, 'A' + i,
			       page_size - 64);
			_exit(0);
		}
	}
	for (int i = 0; i < N; i++)
		EXPECT_EQ(0, reap(pids[i]));
	for (int i = 0; i < N; i++) {
		EXPECT_EQ('A' + i, p[i * page_size + 64]);
		EXPECT_EQ('A' + i, p[(i + 1) * page_size - 1]);
	}
	/* the children's mappings went with them */
	EXPECT_EQ(1, buf_stat(self->fd).mappings);

	/* a mapping of the middle page alone sees the middle page */
	unsigned char *mid;

	ASSERT_EQ(0, kipc_buf_map(self->fd, page_size, page_size, PROT_READ,
				  (void **)&mid, NULL));
	EXPECT_EQ('B', mid[64]);
	EXPECT_EQ(2, buf_stat(self->fd).mappings);
	munmap(mid, page_size);
	munmap(p, len);
	EXPECT_EQ(0, buf_stat(self->fd).mappings);
}

TEST_F(buf, mmap_bounds)
{
	size_t size = self->size;
	void *p;

	/* beyond the end, from the start or an offset */
	p = mmap(NULL, size + page_size, PROT_READ, MAP_SHARED, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(ENXIO, errno);
	p = mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->fd, size);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(ENXIO, errno);
	p = mmap(NULL, 2 * page_size, PROT_READ, MAP_SHARED, self->fd,
		 size - page_size);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(ENXIO, errno);
	p = mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->fd,
		 (off_t)1 << 40);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(ENXIO, errno);
	/* offsets are page-aligned */
	p = mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->fd, 64);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	/* no private mappings */
	p = mmap(NULL, page_size, PROT_READ, MAP_PRIVATE, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		 self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, buf_stat(self->fd).mappings);

	/* the last page exactly is fine; a mapping cannot grow */
	p = mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->fd,
		 size - page_size);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(MAP_FAILED, mremap(p, page_size, 2 * page_size, 0));
	EXPECT_EQ(MAP_FAILED, mremap(p, page_size, 2 * page_size,
				     MREMAP_MAYMOVE));
	EXPECT_EQ(0, munmap(p, page_size));

	/* the library's checks */
	EXPECT_EQ(-ENXIO, kipc_buf_map(self->fd, size, 0, PROT_READ, &p,
				       NULL));
	EXPECT_EQ(-EINVAL, kipc_buf_map(self->fd, 0, 0, PROT_WRITE, &p, NULL));
	EXPECT_EQ(-EINVAL, kipc_buf_map(self->fd, 0, 0, PROT_READ | PROT_EXEC,
					&p, NULL));
}

/* A read-only opener never gets a writable mapping, by any route. */
TEST_F(buf, read_only_opener)
{
	char path[64];
	void *p, *w;
	int ro, wo, fd;

	ro = kipc_buf_open(self->ctl, self->name, KIPC_OPEN_READ, NULL, NULL);
	ASSERT_LE(0, ro);
	p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EACCES, errno);
	p = mmap(NULL, page_size, PROT_READ, MAP_SHARED, ro, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, page_size, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	/* it sees a writer's bytes */
	ASSERT_EQ(0, kipc_buf_map(self->fd, 0, page_size,
				  PROT_READ | PROT_WRITE, &w, NULL));
	strcpy(w, "written");	/* NOLINT(clang-analyzer-security.insecureAPI.strcpy) */
	EXPECT_STREQ("written", p);
	/* reopening the fd through /proc gives nothing, not even to root */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", ro);
	fd = open(path, O_RDWR);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(ENXIO, errno);
	if (fd >= 0)
		close(fd);
	fd = open(path, O_RDONLY);
	EXPECT_EQ(-1, fd);
	if (fd >= 0)
		close(fd);
	/* ftruncate and fallocate cannot change the size, nor a seal */
	EXPECT_EQ(-1, ftruncate(self->fd, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, ftruncate(self->fd, 4 * self->size));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, fallocate(self->fd, 0, 0, 2 * self->size));
	EXPECT_EQ(-1, fcntl(self->fd, F_ADD_SEALS, F_SEAL_WRITE));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, fcntl(ro, F_ADD_SEALS, F_SEAL_GROW));
	EXPECT_EQ(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW,
		  fcntl(self->fd, F_GET_SEALS));
	EXPECT_EQ(self->size, buf_stat(self->fd).buf_size);
	EXPECT_EQ(-1, write(self->fd, "x", 1));
	/* fstat sees the memory: a regular file of the buffer's size */
	struct stat sb;

	ASSERT_EQ(0, fstat(self->fd, &sb));
	EXPECT_EQ(self->size, sb.st_size);
	EXPECT_TRUE(S_ISREG(sb.st_mode));
	munmap(p, page_size);
	munmap(w, page_size);
	close(ro);

	/* a write-only fd maps nothing, but may wake */
	wo = kipc_buf_open(self->ctl, self->name, KIPC_OPEN_WRITE, NULL, NULL);
	ASSERT_LE(0, wo);
	p = mmap(NULL, page_size, PROT_READ, MAP_SHARED, wo, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(EBADF, wait_raw(wo, 0, 0, 0, 0));
	EXPECT_EQ(0, wake_raw(wo, 0, 1));
	close(wo);
}

/* Mode bits: another user reads a 0644 buffer but cannot write it. */
TEST_F(buf, permissions)
{
	struct kipc_buf_attr attr = { .size = page_size, .mode = 0644 };
	char name[80];
	pid_t pid;
	int fd;

	if (getuid() != 0)
		SKIP(return, "needs root to switch users");
	snprintf(name, sizeof(name), "%s-perm", self->name);
	fd = kipc_buf_open(self->ctl, name, CREATE, &attr, NULL);
	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		void *p;
		int r;

		if (setgid(NOBODY) || setuid(NOBODY))
			_exit(10);
		if (kipc_buf_open(-1, name, RW, NULL, NULL) != -EACCES)
			_exit(11);
		r = kipc_buf_open(-1, name, KIPC_OPEN_READ, NULL, NULL);
		if (r < 0 || kipc_buf_map(r, 0, 0, PROT_READ, &p, NULL))
			_exit(12);
		if (kipc_buf_unlink(-1, name) != -EACCES)
			_exit(13);
		_exit(0);
	}
	EXPECT_EQ(0, reap(pid));
	EXPECT_EQ(0, kipc_buf_unlink(self->ctl, name));
	close(fd);
}

/* Mappings outlive the fd and the name; fork shares them. */
TEST_F(buf, mapping_outlives_fd_and_name)
{
	struct kipc_buf_stat st;
	unsigned char *p;
	int other, status;
	pid_t pid;

	/* a second fd, to watch the buffer after ours is gone */
	other = kipc_buf_open(self->ctl, self->name, KIPC_OPEN_READ, NULL,
			      NULL);
	ASSERT_LE(0, other);
	ASSERT_EQ(0, kipc_buf_map(self->fd, 0, 0, PROT_READ | PROT_WRITE,
				  (void **)&p, NULL));
	ASSERT_EQ(0, kipc_buf_unlink(self->ctl, self->name));
	close(self->fd);
	self->fd = other;
	p[0] = 1;
	EXPECT_EQ(1, buf_stat(other).mappings);

	/* nobody can open it by name any more; the mapping still works */
	EXPECT_EQ(-ENOENT, kipc_buf_open(self->ctl, self->name, RW, NULL,
					 NULL));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* the child's copy of the mapping is the same memory */
		while (p[0] != 2)
			usleep(1000);
		p[1] = 3;
		_exit(0);
	}
	/* the child's inherited mapping counts */
	EXPECT_EQ(2, buf_stat(other).mappings);
	p[0] = 2;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	EXPECT_EQ(3, p[1]);
	st = buf_stat(other);
	EXPECT_EQ(1, st.mappings);
	munmap(p, self->size);
	EXPECT_EQ(0, buf_stat(other).mappings);
}

/* A split mapping counts each part; unmapping all of it counts none. */
TEST_F(buf, mapping_count_splits)
{
	char *p;

	ASSERT_EQ(0, kipc_buf_map(self->fd, 0, 0, PROT_READ | PROT_WRITE,
				  (void **)&p, NULL));
	EXPECT_EQ(1, buf_stat(self->fd).mappings);
	ASSERT_EQ(0, munmap(p + page_size, page_size));
	EXPECT_EQ(2, buf_stat(self->fd).mappings);
	ASSERT_EQ(0, mprotect(p, page_size, PROT_READ));
	EXPECT_EQ(2, buf_stat(self->fd).mappings);
	munmap(p, self->size);
	EXPECT_EQ(0, buf_stat(self->fd).mappings);
}

TEST_F(buf, wait_errors)
{
	uint32_t *word;

	EXPECT_EQ(EAGAIN, wait_raw(self->fd, 0, 1, 0, 0));
	EXPECT_EQ(EINVAL, wait_raw(self->fd, 2, 0, 0, 0));
	EXPECT_EQ(ENXIO, wait_raw(self->fd, self->size, 0, 0, 0));
	EXPECT_EQ(ENXIO, wait_raw(self->fd, UINT64_MAX - 3, 0, 0, 0));
	EXPECT_EQ(EINVAL, wait_raw(self->fd, 0, 0, 1u << 1, 0));
	/* a deadline in the past: the compare still happens first */
	EXPECT_EQ(ETIMEDOUT, wait_raw(self->fd, 0, 0, KIPC_BUF_DEADLINE, 0));
	EXPECT_EQ(EAGAIN, wait_raw(self->fd, 0, 5, KIPC_BUF_DEADLINE, 0));
	struct kipc_buf_wait w = { .size = sizeof(w), .__reserved = 1 };
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_BUF_WAIT, &w));
	EXPECT_EQ(EINVAL, errno);

	EXPECT_EQ(-EINVAL, wake_raw(self->fd, 0, 0));
	EXPECT_EQ(-EINVAL, wake_raw(self->fd, 1, 1));
	EXPECT_EQ(-ENXIO, wake_raw(self->fd, self->size, 1));
	struct kipc_buf_wake k = { .size = sizeof(k), .count = 1,
				   .__reserved = 1 };
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_BUF_WAKE, &k));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, wake_raw(self->fd, 0, KIPC_BUF_WAKE_ALL));

	/* the value is read from the buffer: the last word, too */
	ASSERT_EQ(0, kipc_buf_map(self->fd, 0, 0, PROT_READ | PROT_WRITE,
				  (void **)&word, NULL));
	word[self->size / 4 - 1] = 0xdeadbeef;
	EXPECT_EQ(EAGAIN, wait_raw(self->fd, self->size - 4, 0, 0, 0));
	EXPECT_EQ(ETIMEDOUT, wait_raw(self->fd, self->size - 4, 0xdeadbeef,
				      KIPC_BUF_DEADLINE, 0));
	munmap(word, self->size);

	/* the library */
	EXPECT_EQ(-EINVAL, kipc_buf_wait(self->fd, 0, 0, 0));
	EXPECT_EQ(-EINVAL, kipc_buf_wait(self->fd, 0, 0, -2));
	EXPECT_EQ(-EAGAIN, kipc_buf_wait(self->fd, 0, 1, -1));
	EXPECT_EQ(0, buf_stat(self->fd).waiters);
}

TEST_F(buf, wait_timeout)
{
	uint64_t t0 = mono_ns();
	struct kipc_buf_stat st;

	EXPECT_EQ(-ETIMEDOUT, kipc_buf_wait(self->fd, 8, 0, 50000000));
	EXPECT_LE(50000000, mono_ns() - t0);
	st = buf_stat(self->fd);
	EXPECT_EQ(0, st.waiters);
	EXPECT_EQ(1, st.waits);
	EXPECT_EQ(0, st.woken);
}

/* A wake from another process, which changed the word, ends the wait. */
TEST_F(buf, wake_across_processes)
{
	struct kipc_buf_stat st;
	uint32_t *word;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* no mapping needed to wait: the word is the buffer's */
		int fd = kipc_buf_open(-1, self->name, KIPC_OPEN_READ, NULL,
				       NULL);

		if (fd < 0)
			_exit(10);
		_exit(kipc_buf_wait(fd, 64, 0, 20000000000ll) ? 11 : 0);
	}
	ASSERT_TRUE(wait_for_waiters(self->fd, 1));
	ASSERT_EQ(0, kipc_buf_map(self->fd, 0, 0, PROT_READ | PROT_WRITE,
				  (void **)&word, NULL));
	/* a wake at another offset wakes nobody */
	EXPECT_EQ(0, kipc_buf_wake(self->fd, 68, KIPC_BUF_WAKE_ALL));
	EXPECT_EQ(1, buf_stat(self->fd).waiters);
	__atomic_store_n(&word[16], 1, __ATOMIC_SEQ_CST);
	EXPECT_EQ(1, kipc_buf_wake(self->fd, 64, 1));
	EXPECT_EQ(0, reap(pid));
	st = buf_stat(self->fd);
	EXPECT_EQ(0, st.waiters);
	EXPECT_EQ(1, st.waits);
	EXPECT_EQ(2, st.wakes);
	EXPECT_EQ(1, st.woken);
	/* the value changed: a late waiter does not sleep */
	EXPECT_EQ(-EAGAIN, kipc_buf_wait(self->fd, 64, 0, -1));
	munmap(word, self->size);
}

/* Wake N wakes N, oldest first; the rest stay; WAKE_ALL takes them all. */
TEST_F(buf, wake_counts)
{
	enum { N = 5 };
	int pipes[N][2];
	pid_t pids[N], other;

	/* a waiter at another offset, never woken by the wakes at 0 */
	other = fork();
	ASSERT_LE(0, other);
	if (!other)
		_exit(kipc_buf_wait(self->fd, 4, 0, 20000000000ll) ? 11 : 0);
	ASSERT_TRUE(wait_for_waiters(self->fd, 1));

	for (int i = 0; i < N; i++) {
		ASSERT_EQ(0, pipe(pipes[i]));
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			int r = kipc_buf_wait(self->fd, 0, 0, 20000000000ll);
			char c = 'w';

			if (write(pipes[i][1], &c, 1) != 1)
				_exit(12);
			_exit(r ? 11 : 0);
		}
		close(pipes[i][1]);
		/* one at a time, so the order of waiting is known */
		ASSERT_TRUE(wait_for_waiters(self->fd, i + 2));
	}

	EXPECT_EQ(2, kipc_buf_wake(self->fd, 0, 2));
	for (int i = 0; i < N; i++) {
		struct pollfd pfd = { .fd = pipes[i][0], .events = POLLIN };

		/* the two that waited longest, and only they */
		EXPECT_EQ(i < 2 ? 1 : 0, poll(&pfd, 1, i < 2 ? 10000 : 100));
	}
	for (int i = 0; i < 2; i++)
		EXPECT_EQ(0, reap(pids[i]));
	EXPECT_EQ(N - 2 + 1, buf_stat(self->fd).waiters);
	EXPECT_EQ(N - 2, kipc_buf_wake(self->fd, 0, KIPC_BUF_WAKE_ALL));
	for (int i = 2; i < N; i++)
		EXPECT_EQ(0, reap(pids[i]));
	EXPECT_EQ(1, buf_stat(self->fd).waiters);
	EXPECT_EQ(0, kipc_buf_wake(self->fd, 0, KIPC_BUF_WAKE_ALL));
	EXPECT_EQ(1, kipc_buf_wake(self->fd, 4, KIPC_BUF_WAKE_ALL));
	EXPECT_EQ(0, reap(other));
	EXPECT_EQ(0, buf_stat(self->fd).waiters);
	EXPECT_EQ(N + 1, buf_stat(self->fd).woken);
	for (int i = 0; i < N; i++)
		close(pipes[i][0]);
}

/* EINTR without SA_RESTART; with it, the wait goes on until woken. */
TEST_F(buf, wait_signals)
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
			r = kipc_buf_wait(self->fd, 0, 0, 20000000000ll);
			if (restart)
				_exit(r == 0 ? 0 : 10);
			_exit(r == -EINTR ? 0 : 11);
		}
		ASSERT_TRUE(wait_for_waiters(self->fd, 1));
		kill(pid, SIGUSR1);
		if (restart) {
			/* it restarts and waits again; then a wake ends it */
			usleep(100000);
			ASSERT_TRUE(wait_for_waiters(self->fd, 1));
			EXPECT_EQ(1, kipc_buf_wake(self->fd, 0, 1));
		}
		EXPECT_EQ(0, reap(pid));
		EXPECT_EQ(0, buf_stat(self->fd).waiters);
	}

	/* a waiter killed in its sleep leaves no waiter behind */
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid)
		_exit(kipc_buf_wait(self->fd, 0, 0, -1));
	ASSERT_TRUE(wait_for_waiters(self->fd, 1));
	kill(pid, SIGKILL);
	EXPECT_EQ(-1, reap(pid));
	EXPECT_EQ(0, buf_stat(self->fd).waiters);
	EXPECT_EQ(0, kipc_buf_wake(self->fd, 0, KIPC_BUF_WAKE_ALL));
}

/* A wake makes the fd readable; read() says how many and clears it. */
TEST_F(buf, poll_and_read)
{
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	uint64_t n = 0;
	int fd2, nb;
	void *bad = mmap(NULL, page_size, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, bad);

	EXPECT_EQ(0, poll(&pfd, 1, 0));
	EXPECT_EQ(0, kipc_buf_wake(self->fd, 0, 1));
	EXPECT_EQ(0, kipc_buf_wake(self->fd, 8, KIPC_BUF_WAKE_ALL));
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLIN, pfd.revents);
	EXPECT_EQ(-1, read(self->fd, &n, 4));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(8, read(self->fd, &n, 8));
	EXPECT_EQ(2, n);
	EXPECT_EQ(0, poll(&pfd, 1, 0));

	/* an fd opened later starts clean; NONBLOCK read is EAGAIN */
	nb = kipc_buf_open(self->ctl, self->name,
			   KIPC_OPEN_READ | KIPC_OPEN_NONBLOCK, NULL, NULL);
	ASSERT_LE(0, nb);
	EXPECT_EQ(-1, read(nb, &n, 8));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, read(nb, bad, 8));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, kipc_buf_wake(self->fd, 0, 1));
	EXPECT_EQ(-1, read(nb, bad, 8));
	EXPECT_EQ(EFAULT, errno);
	/* the count is per open file: each fd has its own */
	fd2 = dup(nb);
	EXPECT_EQ(8, read(fd2, &n, 8));
	EXPECT_EQ(1, n);
	EXPECT_EQ(-1, read(nb, &n, 8));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(8, read(self->fd, &n, 8));
	EXPECT_EQ(1, n);
	close(fd2);
	close(nb);
	munmap(bad, page_size);
}

/* REOPEN: an open file of its own, never more access than the fd's. */
TEST_F(buf, reopen)
{
	struct kipc_buf_reopen r = { .size = sizeof(r) };
	struct pollfd pfd[2];
	uint64_t n;
	int ro, fd2, anon;
	void *p;

	/* a new open file: its own wake count, unlike a dup */
	fd2 = kipc_buf_reopen(self->fd, RW | KIPC_OPEN_NONBLOCK);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd2, F_GETFD));
	EXPECT_EQ(0, kipc_buf_wake(fd2, 0, 1));
	pfd[0] = (struct pollfd){ .fd = self->fd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = fd2, .events = POLLIN };
	EXPECT_EQ(2, poll(pfd, 2, 0));
	EXPECT_EQ(8, read(fd2, &n, 8));
	EXPECT_EQ(1, poll(pfd, 2, 0));
	EXPECT_EQ(POLLIN, pfd[0].revents);
	EXPECT_EQ(0, pfd[1].revents);
	EXPECT_EQ(8, read(self->fd, &n, 8));
	/* NONBLOCK was asked for: an empty read does not wait */
	EXPECT_EQ(-1, read(fd2, &n, 8));
	EXPECT_EQ(EAGAIN, errno);
	/* the same buffer */
	EXPECT_EQ(buf_stat(self->fd).id, buf_stat(fd2).id);
	close(fd2);

	/* access: at most the fd's */
	ro = kipc_buf_open(self->ctl, self->name, KIPC_OPEN_READ, NULL, NULL);
	ASSERT_LE(0, ro);
	EXPECT_EQ(-EACCES, kipc_buf_reopen(ro, RW));
	EXPECT_EQ(-EACCES, kipc_buf_reopen(ro, KIPC_OPEN_WRITE));
	fd2 = kipc_buf_reopen(ro, KIPC_OPEN_READ);
	ASSERT_LE(0, fd2);
	p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EACCES, errno);
	close(fd2);
	close(ro);
	EXPECT_EQ(-EINVAL, kipc_buf_reopen(self->fd, 0));
	EXPECT_EQ(-EINVAL, kipc_buf_reopen(self->fd, KIPC_OPEN_CREATE));
	r.flags = KIPC_OPEN_READ;
	r.__reserved = 1;
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_BUF_REOPEN, &r));
	EXPECT_EQ(EINVAL, errno);
	/* not a buffer */
	EXPECT_EQ(-ENOTTY, kipc_buf_reopen(self->ctl, KIPC_OPEN_READ));

	/* an anonymous, unlinked buffer: the only way to a new open file */
	struct kipc_buf_attr attr = { .size = page_size, .mode = 0600 };

	anon = kipc_buf_open(self->ctl, NULL, RW | KIPC_OPEN_CREATE, &attr,
			     NULL);
	ASSERT_LE(0, anon);
	fd2 = kipc_buf_reopen(anon, RW);
	ASSERT_LE(0, fd2);
	close(anon);
	/* the reopened fd alone keeps it */
	EXPECT_EQ(page_size, buf_stat(fd2).buf_size);
	close(fd2);
}

/* epoll: a process asleep in epoll_wait is woken by another's wake. */
TEST_F(buf, epoll_wakes)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep = epoll_create1(EPOLL_CLOEXEC);
	uint64_t n;
	pid_t pid;

	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->fd, &ev));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		usleep(100000);
		_exit(kipc_buf_wake(self->fd, 0, 1) == 0 ? 0 : 10);
	}
	EXPECT_EQ(1, epoll_wait(ep, &ev, 1, 20000));
	EXPECT_EQ(EPOLLIN, ev.events);
	EXPECT_EQ(0, reap(pid));
	EXPECT_EQ(8, read(self->fd, &n, 8));
	EXPECT_EQ(0, epoll_wait(ep, &ev, 1, 0));
	close(ep);

	/* a blocking read is ended by a wake too */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		usleep(100000);
		_exit(kipc_buf_wake(self->fd, 4, 1) == 0 ? 0 : 10);
	}
	EXPECT_EQ(8, read(self->fd, &n, 8));
	EXPECT_EQ(1, n);
	EXPECT_EQ(0, reap(pid));
}

/* Futex-style hand-offs in both directions: no wake is ever lost. */
TEST_F(buf, ping_pong_no_lost_wakes)
{
	enum { ROUNDS = 2000 };
	uint32_t *w;
	pid_t pid;

	ASSERT_EQ(0, kipc_buf_map(self->fd, 0, 0, PROT_READ | PROT_WRITE,
				  (void **)&w, NULL));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* odd turns are the child's */
		for (uint32_t t = 1; t < 2 * ROUNDS; t += 2) {
			uint32_t v;

			while ((v = __atomic_load_n(w, __ATOMIC_ACQUIRE)) != t) {
				int r = kipc_buf_wait(self->fd, 0, v,
						      20000000000ll);

				if (r && r != -EAGAIN)
					_exit(10);
			}
			__atomic_store_n(w, t + 1, __ATOMIC_RELEASE);
			if (kipc_buf_wake(self->fd, 0, 1) < 0)
				_exit(11);
		}
		_exit(0);
	}
	for (uint32_t t = 0; t < 2 * ROUNDS; t += 2) {
		uint32_t v;

		while ((v = __atomic_load_n(w, __ATOMIC_ACQUIRE)) != t) {
			int r = kipc_buf_wait(self->fd, 0, v, 20000000000ll);

			ASSERT_TRUE(!r || r == -EAGAIN) TH_LOG("wait: %d", r);
		}
		__atomic_store_n(w, t + 1, __ATOMIC_RELEASE);
		ASSERT_LE(0, kipc_buf_wake(self->fd, 0, 1));
	}
	EXPECT_EQ(0, reap(pid));
	EXPECT_EQ(2 * ROUNDS, *w);
	EXPECT_EQ(0, buf_stat(self->fd).waiters);
	munmap(w, self->size);
}

/* The quota counts a buffer's whole size; freeing it gives it back. */
TEST(anonymous_lifetime)
{
	struct kipc_buf_attr attr = { .size = 1 << 20, .mode = 0600 };
	int ctl = kipc_open();
	void *p;
	int fd;

	ASSERT_LE(0, ctl);
	fd = kipc_buf_open(ctl, NULL, RW | KIPC_OPEN_CREATE, &attr, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kipc_buf_map(fd, 0, 0, PROT_READ | PROT_WRITE, &p, NULL));
	close(fd);
	/* the mapping alone keeps it: write all of it */
	memset(p, 0x5a, 1 << 20);
	EXPECT_EQ(0x5a, ((unsigned char *)p)[(1 << 20) - 1]);
	munmap(p, 1 << 20);
	close(ctl);
}

static void __attribute__((constructor)) init_page_size(void)
{
	page_size = sysconf(_SC_PAGESIZE);
}

TEST_HARNESS_MAIN
