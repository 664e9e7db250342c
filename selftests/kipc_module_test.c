// SPDX-License-Identifier: GPL-2.0
/* kipc_module_test: load, unload, parameters, and rmmod while in use. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/kipc.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

FIXTURE(mod)
{
	const char *ko;
};

/*
 * In this harness a SKIP() in FIXTURE_SETUP does not stop the test body,
 * so each test starts with REQUIRE_MODULE() as well.
 */
#define REQUIRE_MODULE()						\
	do {								\
		if (!self->ko)						\
			SKIP(return, "KIPC_KO not set: run under tools/vm/run"); \
		if (geteuid() != 0)					\
			SKIP(return, "needs root");			\
	} while (0)

FIXTURE_SETUP(mod)
{
	self->ko = kipc_module_path();
	if (self->ko && geteuid() == 0)
		ASSERT_TRUE(kipc_module_loaded());
}

/*
 * Whatever happened, leave kipc loaded, with the defaults of the
 * parameters the tests change, for the next test.
 */
FIXTURE_TEARDOWN(mod)
{
	if (!self->ko || geteuid() != 0)
		return;
	if (!kipc_module_loaded())
		kipc_module_load(self->ko, "");
	kipc_param_set("max_objects", "16384");
	kipc_param_set("mq_max_msgs", "4096");
	kipc_param_set("mq_max_msgsize", "1048576");
	kipc_param_set("user_quota_mb", "256");
	kipc_param_set("buf_max_mb", "256");
	kipc_param_set("sem_handoff_us", "4000");
}

TEST_F(mod, rmmod_refused_while_open)
{
	struct kipc_version v = { .size = sizeof(v) };
	int fd;

	REQUIRE_MODULE();
	fd = open(KIPC_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EWOULDBLOCK, kipc_module_unload());
	EXPECT_TRUE(kipc_module_loaded());
	/* the fd still works after the refused unload */
	EXPECT_EQ(0, ioctl(fd, KIPC_IOC_VERSION, &v));
	close(fd);

	ASSERT_EQ(0, kipc_module_unload());
	EXPECT_FALSE(kipc_module_loaded());
	EXPECT_NE(0, access(KIPC_DEVICE_PATH, F_OK));
	ASSERT_EQ(0, kipc_module_load(self->ko, ""));
}

/* A dup()ed or inherited fd pins the module as well. */
TEST_F(mod, rmmod_refused_while_dup_open)
{
	int fd, fd2;

	REQUIRE_MODULE();
	fd = open(KIPC_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, fd);
	fd2 = dup(fd);
	ASSERT_LE(0, fd2);
	close(fd);
	EXPECT_EQ(EWOULDBLOCK, kipc_module_unload());
	close(fd2);
	EXPECT_EQ(0, kipc_module_unload());
	ASSERT_EQ(0, kipc_module_load(self->ko, ""));
}

/* A queue's fd pins the module like the control fd does. */
TEST_F(mod, rmmod_refused_while_queue_open)
{
	struct kipc_mq_open o = {
		.size = sizeof(o),
		.flags = KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CREATE,
	};
	int ctl;

	REQUIRE_MODULE();
	ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, ctl);
	ASSERT_EQ(0, ioctl(ctl, KIPC_IOC_MQ_OPEN, &o));
	close(ctl);
	EXPECT_EQ(EWOULDBLOCK, kipc_module_unload());
	EXPECT_EQ(1, write(o.fd, "x", 1));
	close(o.fd);
	EXPECT_EQ(0, kipc_module_unload());
	ASSERT_EQ(0, kipc_module_load(self->ko, ""));
}

static int buf_create(int ctl, const char *name, unsigned long long size,
		      int *fd)
{
	struct kipc_buf_open o = {
		.size = sizeof(o),
		.flags = KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CREATE,
		.name = (uintptr_t)name, .name_len = name ? strlen(name) : 0,
		.mode = 0600, .buf_size = size,
	};

	if (ioctl(ctl, KIPC_IOC_BUF_OPEN, &o))
		return errno;
	*fd = o.fd;
	return 0;
}

/*
 * A mapping pins the module after every fd is closed: its vm_file is the
 * buffer's file. Unmapping lets rmmod go.
 */
TEST_F(mod, rmmod_refused_while_mapped)
{
	char *p;
	int ctl, fd = -1;

	REQUIRE_MODULE();
	ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, ctl);
	ASSERT_EQ(0, buf_create(ctl, NULL, 8192, &fd));
	close(ctl);
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	close(fd);
	EXPECT_EQ(EWOULDBLOCK, kipc_module_unload());
	/* the mapping still works after the refused unload */
	strcpy(p + 4096, "still here");	/* NOLINT(clang-analyzer-security.insecureAPI.strcpy) */
	EXPECT_STREQ("still here", p + 4096);
	/* a part of it pins the module as well */
	ASSERT_EQ(0, munmap(p, 4096));
	EXPECT_EQ(EWOULDBLOCK, kipc_module_unload());
	ASSERT_EQ(0, munmap(p + 4096, 4096));
	EXPECT_EQ(0, kipc_module_unload());
	ASSERT_EQ(0, kipc_module_load(self->ko, ""));
}

/* Named buffers nobody has open or mapped are freed at unload. */
TEST_F(mod, unload_frees_named_buffers)
{
	char name[32];
	int ctl, fd = -1;

	REQUIRE_MODULE();
	ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, ctl);
	for (int i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "/kipc-unload-buf-%d", i);
		ASSERT_EQ(0, buf_create(ctl, name, 65536, &fd));
		close(fd);
	}
	close(ctl);
	ASSERT_EQ(0, kipc_module_unload());
	ASSERT_EQ(0, kipc_module_load(self->ko, ""));
}

/* A buffer charges its whole size to the quota; buf_max_mb bounds it. */
/* Named semaphores, one with a waiter's undo given back, go at unload. */
TEST_F(mod, rmmod_refused_while_sem_open_then_frees)
{
	char name[32];
	int ctl, fd = -1;

	REQUIRE_MODULE();
	ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, ctl);
	for (int i = 0; i < 10; i++) {
		struct kipc_sem_open o = {
			.size = sizeof(o),
			.flags = KIPC_OPEN_READ | KIPC_OPEN_WRITE |
				 KIPC_OPEN_CREATE | KIPC_OPEN_UNDO,
			.mode = 0600, .value = 3,
		};
		struct kipc_sem_wait w = { .size = sizeof(w), .count = 2 };

		snprintf(name, sizeof(name), "/kipc-unload-sem-%d", i);
		o.name = (uintptr_t)name;
		o.name_len = strlen(name);
		ASSERT_EQ(0, ioctl(ctl, KIPC_IOC_SEM_OPEN, &o));
		ASSERT_EQ(0, ioctl(o.fd, KIPC_IOC_SEM_WAIT, &w));
		if (fd >= 0)
			close(fd);
		fd = o.fd;
	}
	close(ctl);
	EXPECT_EQ(EWOULDBLOCK, kipc_module_unload());
	close(fd);
	ASSERT_EQ(0, kipc_module_unload());
	ASSERT_EQ(0, kipc_module_load(self->ko, ""));
}

TEST_F(mod, buffer_limits)
{
	int ctl, fd1 = -1, fd2 = -1;

	REQUIRE_MODULE();
	ASSERT_EQ(0, kipc_param_set("user_quota_mb", "2"));
	ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, ctl);
	ASSERT_EQ(0, buf_create(ctl, NULL, 1 << 20, &fd1));
	EXPECT_EQ(EDQUOT, buf_create(ctl, NULL, 1 << 20, &fd2));
	close(fd1);
	ASSERT_EQ(0, buf_create(ctl, NULL, 1 << 20, &fd2));
	close(fd2);
	ASSERT_EQ(0, kipc_param_set("user_quota_mb", "256"));

	ASSERT_EQ(0, kipc_param_set("buf_max_mb", "1"));
	EXPECT_EQ(EINVAL, buf_create(ctl, NULL, (1 << 20) + 1, &fd1));
	ASSERT_EQ(0, buf_create(ctl, NULL, 1 << 20, &fd1));
	close(fd1);
	ASSERT_EQ(0, kipc_param_set("buf_max_mb", "256"));
	close(ctl);
}

/* Named queues nobody has open are freed at unload, messages and all. */
TEST_F(mod, unload_frees_named_queues)
{
	char name[32];
	int ctl;

	REQUIRE_MODULE();
	ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, ctl);
	for (int i = 0; i < 10; i++) {
		struct kipc_mq_open o = {
			.size = sizeof(o),
			.flags = KIPC_OPEN_WRITE | KIPC_OPEN_CREATE,
			.mode = 0600,
		};

		snprintf(name, sizeof(name), "/kipc-unload-%d", i);
		o.name = (uintptr_t)name;
		o.name_len = strlen(name);
		ASSERT_EQ(0, ioctl(ctl, KIPC_IOC_MQ_OPEN, &o));
		ASSERT_EQ(5, write(o.fd, "queued", 5));
		close(o.fd);
	}
	close(ctl);
	ASSERT_EQ(0, kipc_module_unload());
	ASSERT_EQ(0, kipc_module_load(self->ko, ""));
	/* a new module starts empty */
	ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, ctl);
	struct kipc_mq_open o = {
		.size = sizeof(o), .flags = KIPC_OPEN_READ,
		.name = (uintptr_t)name, .name_len = strlen(name),
	};
	EXPECT_EQ(-1, ioctl(ctl, KIPC_IOC_MQ_OPEN, &o));
	EXPECT_EQ(ENOENT, errno);
	/* and its first object's id is 1: 0 means "none" */
	o = (struct kipc_mq_open){
		.size = sizeof(o), .flags = KIPC_OPEN_READ | KIPC_OPEN_CREATE,
	};
	ASSERT_EQ(0, ioctl(ctl, KIPC_IOC_MQ_OPEN, &o));
	EXPECT_EQ(1, o.id);
	close(o.fd);
	close(ctl);
}

/* The per-user byte quota: a clear EDQUOT, and the charge comes back. */
TEST_F(mod, user_quota)
{
	struct kipc_mq_open o = {
		.size = sizeof(o),
		.flags = KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CREATE,
		.max_msgs = 64, .msg_size = 8192,
	};
	int ctl, fd1;

	REQUIRE_MODULE();
	ASSERT_EQ(0, kipc_param_set("user_quota_mb", "1"));
	ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, ctl);
	/* a queue of 64 x 8 KiB takes half the MiB; the second one is over */
	ASSERT_EQ(0, ioctl(ctl, KIPC_IOC_MQ_OPEN, &o));
	fd1 = o.fd;
	EXPECT_EQ(-1, ioctl(ctl, KIPC_IOC_MQ_OPEN, &o));
	EXPECT_EQ(EDQUOT, errno);
	close(fd1);
	EXPECT_EQ(0, ioctl(ctl, KIPC_IOC_MQ_OPEN, &o));
	close(o.fd);
	close(ctl);
	ASSERT_EQ(0, kipc_param_set("user_quota_mb", "256"));
}

/*
 * The largest message the parameters allow, 16 MiB, goes through whole:
 * its allocation is larger than the page allocator's largest block, and
 * kmalloc() warned and failed it. kipc_fuzz found it.
 */
TEST_F(mod, largest_message)
{
	const size_t size = 16 << 20;
	struct kipc_mq_open o = {
		.size = sizeof(o),
		.flags = KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CREATE,
		.max_msgs = 1, .msg_size = size,
	};
	unsigned char *buf;
	int ctl;

	REQUIRE_MODULE();
	ASSERT_EQ(0, kipc_param_set("mq_max_msgsize", "16777216"));
	ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, ctl);
	ASSERT_EQ(0, ioctl(ctl, KIPC_IOC_MQ_OPEN, &o));
	buf = mmap(NULL, 2 * size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	for (size_t i = 0; i < size; i++)
		buf[i] = i * 31 + (i >> 12);

	struct kipc_mq_send s = {
		.size = sizeof(s), .flags = KIPC_MQ_NONBLOCK,
		.buf = (uintptr_t)buf, .len = size,
	};
	struct kipc_mq_recv r = {
		.size = sizeof(r), .flags = KIPC_MQ_NONBLOCK,
		.buf = (uintptr_t)(buf + size), .len = size,
	};
	EXPECT_EQ(0, ioctl(o.fd, KIPC_IOC_MQ_SEND, &s))
		TH_LOG("send: %s", strerror(errno));
	EXPECT_EQ(0, ioctl(o.fd, KIPC_IOC_MQ_RECV, &r))
		TH_LOG("recv: %s", strerror(errno));
	EXPECT_EQ(size, r.len);
	EXPECT_EQ(0, memcmp(buf, buf + size, size));
	munmap(buf, 2 * size);
	close(o.fd);
	close(ctl);
}

/* max_objects: a clear ENOSPC. */
TEST_F(mod, max_objects)
{
	struct kipc_mq_open o = {
		.size = sizeof(o),
		.flags = KIPC_OPEN_READ | KIPC_OPEN_CREATE,
		.max_msgs = 1, .msg_size = 1,
	};
	int ctl, fds[3];

	REQUIRE_MODULE();
	ASSERT_EQ(0, kipc_param_set("max_objects", "3"));
	ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, ctl);
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, ioctl(ctl, KIPC_IOC_MQ_OPEN, &o));
		fds[i] = o.fd;
	}
	EXPECT_EQ(-1, ioctl(ctl, KIPC_IOC_MQ_OPEN, &o));
	EXPECT_EQ(ENOSPC, errno);
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	EXPECT_EQ(0, ioctl(ctl, KIPC_IOC_MQ_OPEN, &o));
	close(o.fd);
	close(ctl);
}

TEST_F(mod, load_unload_cycles)
{
	REQUIRE_MODULE();
	for (int i = 0; i < 20; i++) {
		int fd;

		ASSERT_EQ(0, kipc_module_unload()) TH_LOG("cycle %d", i);
		ASSERT_EQ(0, kipc_module_load(self->ko, ""))
			TH_LOG("cycle %d", i);
		/* use it each time, so a cycle exercises open and release */
		fd = open(KIPC_DEVICE_PATH, O_RDWR);
		ASSERT_LE(0, fd) TH_LOG("cycle %d", i);
		close(fd);
	}
}

TEST_F(mod, params_at_load)
{
	unsigned int v;

	REQUIRE_MODULE();

	ASSERT_EQ(0, kipc_module_unload());
	ASSERT_EQ(0, kipc_module_load(self->ko, "max_objects=7 mq_max_msgs=3"));
	ASSERT_EQ(0, kipc_param_get("max_objects", &v));
	EXPECT_EQ(7, v);	/* errno: NOLINT(clang-analyzer-core.uninitialized.Assign) */
	ASSERT_EQ(0, kipc_param_get("mq_max_msgs", &v));
	EXPECT_EQ(3, v);
	ASSERT_EQ(0, kipc_module_unload());

	/* out of range or not a number: the load fails cleanly */
	EXPECT_EQ(EINVAL, kipc_module_load(self->ko, "max_objects=0"));
	EXPECT_EQ(EINVAL,
		  kipc_module_load(self->ko, "mq_max_msgsize=16777217"));
	EXPECT_EQ(EINVAL, kipc_module_load(self->ko, "max_objects=lots"));
	EXPECT_FALSE(kipc_module_loaded());

	ASSERT_EQ(0, kipc_module_load(self->ko, ""));
	ASSERT_EQ(0, kipc_param_get("max_objects", &v));
	EXPECT_EQ(16384, v);
}

TEST_F(mod, params_at_run_time)
{
	unsigned int v;

	REQUIRE_MODULE();

	EXPECT_EQ(0, kipc_param_set("max_objects", "100"));
	ASSERT_EQ(0, kipc_param_get("max_objects", &v));
	EXPECT_EQ(100, v);	/* errno: NOLINT(clang-analyzer-core.uninitialized.Assign) */
	EXPECT_EQ(EINVAL, kipc_param_set("max_objects", "0"));
	EXPECT_EQ(EINVAL, kipc_param_set("max_objects", "-1"));
	EXPECT_EQ(EINVAL, kipc_param_set("max_objects", "1048577"));
	ASSERT_EQ(0, kipc_param_get("max_objects", &v));
	EXPECT_EQ(100, v);
	EXPECT_EQ(0, kipc_param_set("max_objects", "16384"));

	/* 0 is allowed where it means something: always hand off in order */
	EXPECT_EQ(0, kipc_param_set("sem_handoff_us", "0"));
	EXPECT_EQ(EINVAL, kipc_param_set("sem_handoff_us", "10000001"));
	ASSERT_EQ(0, kipc_param_get("sem_handoff_us", &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(0, kipc_param_set("sem_handoff_us", "4000"));
}

/*
 * Objects named in an IPC namespace that has ended: nothing can reach
 * them, and they must not count against the limits until rmmod. The
 * test moves between namespaces with setns() on a saved /proc file;
 * kipc is reloaded with max_objects=1, so one object left counted shows
 * as ENOSPC.
 */
static int named_queue(int ctl, const char *name, unsigned int flags)
{
	struct kipc_mq_open o = {
		.size = sizeof(o), .flags = KIPC_OPEN_READ | flags,
		.name = (uintptr_t)name, .name_len = strlen(name),
		.mode = 0600, .max_msgs = 1, .msg_size = 8,
	};

	return ioctl(ctl, KIPC_IOC_MQ_OPEN, &o) ? -errno : o.fd;
}

/* An anonymous queue through a new control fd: 0 or the errno. */
static int anon_queue(void)
{
	int ctl = open(KIPC_DEVICE_PATH, O_RDWR), fd;

	if (ctl < 0)
		return errno;
	fd = named_queue(ctl, "", KIPC_OPEN_CREATE);
	close(ctl);
	if (fd < 0)
		return -fd;
	close(fd);
	return 0;
}

FIXTURE(deadns)
{
	const char *ko;
	int home;	/* this test's IPC namespace, to come back to */
};

FIXTURE_SETUP(deadns)
{
	self->ko = kipc_module_path();
	self->home = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC);
	if (!self->ko || geteuid() != 0)
		return;
	ASSERT_LE(0, self->home);
	/* empty, with room for one object */
	ASSERT_EQ(0, kipc_module_unload());
	ASSERT_EQ(0, kipc_module_load(self->ko, "max_objects=1"));
}

FIXTURE_TEARDOWN(deadns)
{
	if (self->home >= 0)
		close(self->home);
	if (!self->ko || geteuid() != 0)
		return;
	kipc_module_unload();
	kipc_module_load(self->ko, "");
}

/* A name in a new namespace, then back home: 0, or the errno. */
static int name_elsewhere(int home, const char *name, int *nsfd, int *ctlp)
{
	int ctl, fd;

	if (unshare(CLONE_NEWIPC))
		return errno;
	if (nsfd)
		*nsfd = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC);
	ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	if (ctl < 0)
		return errno;
	fd = named_queue(ctl, name, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL);
	if (fd >= 0)
		close(fd);
	if (ctlp)
		*ctlp = ctl;
	else
		close(ctl);
	if (setns(home, CLONE_NEWIPC))
		return errno;
	return fd < 0 ? -fd : 0;
}

/* The namespace ends with its last process: its name no longer counts. */
TEST_F(deadns, names_of_an_ended_namespace_are_unlinked)
{
	REQUIRE_MODULE();
	ASSERT_EQ(0, name_elsewhere(self->home, "/deadns", NULL, NULL));
	/* this process has left it and nothing else holds it */
	EXPECT_EQ(0, anon_queue());
	/* the limit itself still holds */
	int ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	int fd = named_queue(ctl, "/here", KIPC_OPEN_CREATE);

	ASSERT_LE(0, fd);
	EXPECT_EQ(ENOSPC, anon_queue());
	close(fd);
	close(ctl);
}

/* An nsfs file keeps a namespace, and so its names, reachable. */
TEST_F(deadns, names_kept_while_an_nsfs_file_holds_the_namespace)
{
	int nsfd = -1, ctl, fd;

	REQUIRE_MODULE();
	ASSERT_EQ(0, name_elsewhere(self->home, "/kept", &nsfd, NULL));
	ASSERT_LE(0, nsfd);
	EXPECT_EQ(ENOSPC, anon_queue());
	/* back in: the name is there */
	ASSERT_EQ(0, setns(nsfd, CLONE_NEWIPC));
	ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, ctl);
	fd = named_queue(ctl, "/kept", 0);
	EXPECT_LE(0, fd) TH_LOG("open by name: %s", strerror(-fd));
	if (fd >= 0)
		close(fd);
	close(ctl);
	ASSERT_EQ(0, setns(self->home, CLONE_NEWIPC));
	EXPECT_EQ(ENOSPC, anon_queue());
	close(nsfd);
	/* the last reference gone: the slot comes back */
	EXPECT_EQ(0, anon_queue());
}

/* A control fd opened in a namespace reaches its names after it ended. */
TEST_F(deadns, names_kept_while_a_control_fd_reaches_them)
{
	int ctl = -1, fd;

	REQUIRE_MODULE();
	ASSERT_EQ(0, name_elsewhere(self->home, "/byfd", NULL, &ctl));
	ASSERT_LE(0, ctl);
	EXPECT_EQ(ENOSPC, anon_queue());
	fd = named_queue(ctl, "/byfd", 0);
	EXPECT_LE(0, fd) TH_LOG("open by name: %s", strerror(-fd));
	if (fd >= 0)
		close(fd);
	close(ctl);
	EXPECT_EQ(0, anon_queue());
}

/* An open fd keeps its object, unlinked, after its namespace ended. */
TEST_F(deadns, open_objects_outlive_their_ended_namespace)
{
	int ctl, fd, nsfd = -1;

	REQUIRE_MODULE();
	ASSERT_EQ(0, kipc_module_unload());
	ASSERT_EQ(0, kipc_module_load(self->ko, "max_objects=2"));
	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, ctl);
	fd = named_queue(ctl, "/open", KIPC_OPEN_CREATE | KIPC_OPEN_WRITE);
	ASSERT_LE(0, fd);
	close(ctl);
	ASSERT_EQ(0, setns(self->home, CLONE_NEWIPC));
	/* reaped: the name's reference goes, the fd's stays */
	EXPECT_EQ(0, anon_queue());
	EXPECT_EQ(8, write(fd, "8 bytes!", 8));
	char buf[8];

	EXPECT_EQ(8, read(fd, buf, sizeof(buf)));
	/* still one object of two */
	ctl = open(KIPC_DEVICE_PATH, O_RDWR);
	nsfd = named_queue(ctl, "/second", KIPC_OPEN_CREATE);
	EXPECT_LE(0, nsfd);
	EXPECT_EQ(ENOSPC, anon_queue());
	close(nsfd);
	close(ctl);
	close(fd);
	EXPECT_EQ(0, anon_queue());
}

TEST_HARNESS_MAIN
