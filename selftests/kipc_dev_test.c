// SPDX-License-Identifier: GPL-2.0
/* kipc_dev_test: /dev/kipc, the control fd and the ioctl ABI rules. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/kipc.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

/* The ABI is fixed: these change only with a new struct version. */
_Static_assert(sizeof(struct kipc_version) == 24, "kipc_version size");
_Static_assert(offsetof(struct kipc_version, features) == 16,
	       "kipc_version.features offset");
_Static_assert(KIPC_IOC_VERSION == 0xbc00, "KIPC_IOC_VERSION number");

/*
 * Every command, for the checks every command must pass: its number, the
 * size of its first published struct, and where its flags are.
 */
static void fill_mq_open(void *p)
{
	struct kipc_mq_open *o = p;

	/* an anonymous queue: nothing to clean up but the fd */
	o->flags = KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CREATE |
		   KIPC_OPEN_CLOEXEC;
	o->max_msgs = 1;
	o->msg_size = 1;
}

static void done_mq_open(void *p)
{
	close(((struct kipc_mq_open *)p)->fd);
}

static void fill_buf_open(void *p)
{
	struct kipc_buf_open *o = p;

	o->flags = KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CREATE |
		   KIPC_OPEN_CLOEXEC;
	o->buf_size = 1;
}

static void done_buf_open(void *p)
{
	close(((struct kipc_buf_open *)p)->fd);
}

static void fill_sem_open(void *p)
{
	struct kipc_sem_open *o = p;

	o->flags = KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CREATE |
		   KIPC_OPEN_CLOEXEC;
	o->value = 1;
}

static void done_sem_open(void *p)
{
	close(((struct kipc_sem_open *)p)->fd);
}

static void fill_unlink(void *p)
{
	struct kipc_unlink *u = p;
	static const char name[] = "/kipc-size-probe-none";

	u->kind = KIPC_KIND_MQ;
	u->name = (uintptr_t)name;
	u->name_len = sizeof(name) - 1;
}

static const struct kipc_cmd_desc {
	const char *name;
	unsigned long cmd;
	size_t size;
	void (*fill)(void *cmd);	/* a valid call, after size */
	int ok;				/* what the valid call returns */
	void (*done)(void *cmd);	/* undo a successful call */
} kipc_cmds[] = {
	{ .name = "VERSION", .cmd = KIPC_IOC_VERSION,
	  .size = sizeof(struct kipc_version) },
	{ .name = "MQ_OPEN", .cmd = KIPC_IOC_MQ_OPEN,
	  .size = sizeof(struct kipc_mq_open),
	  .fill = fill_mq_open, .done = done_mq_open },
	{ .name = "UNLINK", .cmd = KIPC_IOC_UNLINK,
	  .size = sizeof(struct kipc_unlink),
	  .fill = fill_unlink, .ok = ENOENT },
	{ .name = "BUF_OPEN", .cmd = KIPC_IOC_BUF_OPEN,
	  .size = sizeof(struct kipc_buf_open),
	  .fill = fill_buf_open, .done = done_buf_open },
	{ .name = "SEM_OPEN", .cmd = KIPC_IOC_SEM_OPEN,
	  .size = sizeof(struct kipc_sem_open),
	  .fill = fill_sem_open, .done = done_sem_open },
};

/* c names the loop variable: NOLINTBEGIN(bugprone-macro-parentheses) */
#define for_each_cmd(c) \
	for (const struct kipc_cmd_desc *c = kipc_cmds; \
	     c < kipc_cmds + sizeof(kipc_cmds) / sizeof(kipc_cmds[0]); c++)
/* NOLINTEND(bugprone-macro-parentheses) */

/* ioctl() returning the errno, 0 on success. */
static int kioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

TEST(device_node)
{
	struct stat st;

	ASSERT_EQ(0, stat(KIPC_DEVICE_PATH, &st)) TH_LOG("module not loaded?");
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	/* world read-write: access control is per object */
	EXPECT_EQ(0666, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	EXPECT_EQ(10, major(st.st_rdev)); /* a misc device */
}

FIXTURE(ctl)
{
	int fd;
};

FIXTURE_SETUP(ctl)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", KIPC_DEVICE_PATH,
				      strerror(errno));
}

FIXTURE_TEARDOWN(ctl)
{
	close(self->fd);
}

TEST_F(ctl, version)
{
	struct kipc_version v = { .size = sizeof(v) };

	ASSERT_EQ(0, kioctl(self->fd, KIPC_IOC_VERSION, &v));
	EXPECT_EQ(sizeof(v), v.size);
	EXPECT_EQ(0, v.flags);
	EXPECT_EQ(KIPC_ABI_VERSION, v.abi_version);
	EXPECT_EQ(KIPC_FEATURE_MQ | KIPC_FEATURE_MQ_BATCH | KIPC_FEATURE_BUF |
		  KIPC_FEATURE_SEM,
		  v.features);
	EXPECT_EQ(0, v.__reserved);
}

TEST_F(ctl, version_read_only_opener)
{
	struct kipc_version v = { .size = sizeof(v) };
	int fd = open(KIPC_DEVICE_PATH, O_RDONLY);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, kioctl(fd, KIPC_IOC_VERSION, &v));
	EXPECT_EQ(KIPC_ABI_VERSION, v.abi_version);
	close(fd);
}

TEST_F(ctl, version_bad_flags)
{
	for (int bit = 0; bit < 32; bit++) {
		struct kipc_version v = { .size = sizeof(v), .flags = 1u << bit };

		EXPECT_EQ(EINVAL, kioctl(self->fd, KIPC_IOC_VERSION, &v))
			TH_LOG("flag bit %d accepted", bit);
	}
}

TEST_F(ctl, version_bad_reserved)
{
	struct kipc_version v = { .size = sizeof(v), .__reserved = 1 };

	EXPECT_EQ(EINVAL, kioctl(self->fd, KIPC_IOC_VERSION, &v));
	v.__reserved = 1u << 31;
	EXPECT_EQ(EINVAL, kioctl(self->fd, KIPC_IOC_VERSION, &v));
}

/*
 * The size rules of "General ioctl format", for every command: too small
 * is EINVAL; larger is fine while the tail is zero, up to a page; the
 * kernel never writes past its own struct nor changes size.
 */
TEST_F(ctl, size_probe)
{
	long page = sysconf(_SC_PAGESIZE);
	char *buf = calloc(1, 2 * page);

	ASSERT_NE(NULL, buf);
	for_each_cmd(c) {
		uint32_t *size = (uint32_t *)buf;
		const uint32_t small[] = { 0, 4, 8, c->size - 1 };
		const uint32_t fine[] = { c->size, c->size + 1, c->size + 8, page };

		for (size_t i = 0; i < sizeof(small) / sizeof(small[0]); i++) {
			memset(buf, 0, 2 * page);
			*size = small[i];
			EXPECT_EQ(EINVAL, kioctl(self->fd, c->cmd, buf))
				TH_LOG("%s: size %u", c->name, small[i]);
		}
		for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
			int ret;

			memset(buf, 0, 2 * page);
			*size = fine[i];
			if (c->fill)
				c->fill(buf);
			ret = kioctl(self->fd, c->cmd, buf);
			EXPECT_EQ(c->ok, ret)
				TH_LOG("%s: size %u", c->name, fine[i]);
			if (!ret && c->done)
				c->done(buf);
			EXPECT_EQ(fine[i], *size);
			for (long b = c->size; b < 2 * page; b++) {
				if (buf[b]) {
					TH_LOG("%s: size %u: byte %ld written",
					       c->name, fine[i], b);
					EXPECT_EQ(0, buf[b]);
					break;
				}
			}
		}
		/* anything non-zero past the kernel's struct: E2BIG */
		memset(buf, 0, 2 * page);
		*size = c->size + 1;
		buf[c->size] = 1;
		EXPECT_EQ(E2BIG, kioctl(self->fd, c->cmd, buf)) TH_LOG("%s", c->name);
		memset(buf, 0, 2 * page);
		*size = page;
		buf[page - 1] = 1;
		EXPECT_EQ(E2BIG, kioctl(self->fd, c->cmd, buf)) TH_LOG("%s", c->name);
		/* more than a page, even all zero: E2BIG */
		memset(buf, 0, 2 * page);
		*size = page + 1;
		EXPECT_EQ(E2BIG, kioctl(self->fd, c->cmd, buf)) TH_LOG("%s", c->name);
		*size = UINT32_MAX;
		EXPECT_EQ(E2BIG, kioctl(self->fd, c->cmd, buf)) TH_LOG("%s", c->name);
	}
	free(buf);
}

/* Bad pointers: EFAULT, never a crash, for every command. */
TEST_F(ctl, bad_pointers)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map, *tail;

	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + page, page));

	for_each_cmd(c) {
		/* NULL, unmapped, and a kernel address */
		EXPECT_EQ(EFAULT, kioctl(self->fd, c->cmd, NULL));
		EXPECT_EQ(EFAULT, kioctl(self->fd, c->cmd, map + page));
		EXPECT_EQ(EFAULT, kioctl(self->fd, c->cmd,
					 (void *)0xffff888000000000ul));

		/* a struct running off the end of the mapping */
		tail = map + page - c->size / 2;
		memset(tail, 0, c->size / 2);
		*(uint32_t *)tail = c->size;
		EXPECT_EQ(EFAULT, kioctl(self->fd, c->cmd, tail))
			TH_LOG("%s", c->name);

		/* a size that claims more than is mapped */
		tail = map + page - 64;
		memset(tail, 0, 64);
		*(uint32_t *)tail = page;
		EXPECT_EQ(EFAULT, kioctl(self->fd, c->cmd, tail))
			TH_LOG("%s", c->name);
	}

	/* a read-only struct: the answer cannot be written back */
	ASSERT_EQ(0, munmap(map, page));
	map = mmap(NULL, page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	((struct kipc_version *)map)->size = sizeof(struct kipc_version);
	ASSERT_EQ(0, mprotect(map, page, PROT_READ));
	EXPECT_EQ(EFAULT, kioctl(self->fd, KIPC_IOC_VERSION, map));
	munmap(map, page);
}

/*
 * A create whose struct is read-only cannot be answered: EFAULT, and
 * nothing made, the name in particular (it was left linked).
 */
TEST_F(ctl, read_only_create_leaves_no_name)
{
	static const char *const names[3] = {
		"/kipc-dev-ro-mq", "/kipc-dev-ro-buf", "/kipc-dev-ro-sem",
	};
	long page = sysconf(_SC_PAGESIZE);
	struct kipc_mq_open *mq;
	struct kipc_buf_open *buf;
	struct kipc_sem_open *sem;
	unsigned long cmds[3] = {
		KIPC_IOC_MQ_OPEN, KIPC_IOC_BUF_OPEN, KIPC_IOC_SEM_OPEN,
	};
	char *map;

	map = mmap(NULL, page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	for (int i = 0; i < 3; i++) {
		memset(map, 0, page);
		mq = (void *)map;
		buf = (void *)map;
		sem = (void *)map;
		switch (i) {
		case 0:
			*mq = (struct kipc_mq_open){
				.size = sizeof(*mq), .max_msgs = 1,
				.msg_size = 8,
			};
			break;
		case 1:
			*buf = (struct kipc_buf_open){
				.size = sizeof(*buf), .buf_size = 4096,
			};
			break;
		default:
			*sem = (struct kipc_sem_open){
				.size = sizeof(*sem), .value = 1, .max = 1,
			};
		}
		/* the shared head of the three: flags, name, name_len, mode */
		mq->flags = KIPC_OPEN_READ | KIPC_OPEN_CREATE;
		mq->name = (uintptr_t)names[i];
		mq->name_len = strlen(names[i]);
		mq->mode = 0600;
		ASSERT_EQ(0, mprotect(map, page, PROT_READ));
		EXPECT_EQ(EFAULT, kioctl(self->fd, cmds[i], map)) TH_LOG("kind %d", i);
		ASSERT_EQ(0, mprotect(map, page, PROT_READ | PROT_WRITE));
		/* no such name */
		mq->flags = KIPC_OPEN_READ;
		EXPECT_EQ(ENOENT, kioctl(self->fd, cmds[i], map)) TH_LOG("kind %d", i);
	}
	munmap(map, page);
}

TEST_F(ctl, cmd_fail)
{
	struct kipc_version v = { .size = sizeof(v) };

	/* numbers past the table, in the middle of the range, at its end,
	 * and a queue's command on the control fd */
	EXPECT_EQ(ENOTTY, kioctl(self->fd, _IO(KIPC_TYPE, KIPC_CMD_SEM_OPEN + 1),
				 &v));
	EXPECT_EQ(ENOTTY, kioctl(self->fd, KIPC_IOC_MQ_SEND, &v));
	EXPECT_EQ(ENOTTY, kioctl(self->fd, _IO(KIPC_TYPE, 0x7f), &v));
	EXPECT_EQ(ENOTTY, kioctl(self->fd, _IO(KIPC_TYPE, 0xff), &v));
	/* the right number with direction or size bits */
	EXPECT_EQ(ENOTTY, kioctl(self->fd, _IOWR(KIPC_TYPE, KIPC_CMD_VERSION,
						  struct kipc_version), &v));
	EXPECT_EQ(ENOTTY, kioctl(self->fd, _IOR(KIPC_TYPE, KIPC_CMD_VERSION,
						 __u32), &v));
	/* another driver's type letter */
	EXPECT_EQ(ENOTTY, kioctl(self->fd, _IO('x', KIPC_CMD_VERSION), &v));
	/* a generic tty ioctl */
	EXPECT_EQ(ENOTTY, kioctl(self->fd, TCGETS, &v));
}

/* The control fd is for ioctls only. */
TEST_F(ctl, no_io)
{
	char c = 0;

	EXPECT_EQ(-1, read(self->fd, &c, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write(self->fd, &c, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED,
				   self->fd, 0));
	EXPECT_EQ(ENODEV, errno);
}

/* Many control fds at once: each pins the module, closing unpins it. */
TEST(many_opens)
{
	int fds[512], before = kipc_module_refcnt();

	ASSERT_LE(0, before);
	for (int i = 0; i < 512; i++) {
		fds[i] = open(KIPC_DEVICE_PATH, O_RDWR);
		ASSERT_LE(0, fds[i]);
	}
	EXPECT_EQ(before + 512, kipc_module_refcnt());
	for (int i = 0; i < 512; i++)
		ASSERT_EQ(0, close(fds[i]));
	EXPECT_EQ(before, kipc_module_refcnt());
}

TEST_HARNESS_MAIN
