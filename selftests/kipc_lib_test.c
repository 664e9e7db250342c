// SPDX-License-Identifier: GPL-2.0
/* kipc_lib_test: libkipc's control-device and version functions. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <kipc.h>

#include "kselftest_harness.h"

TEST(open_close)
{
	int fd = kipc_open();

	ASSERT_LE(0, fd) TH_LOG("kipc_open: %s", strerror(-fd));
	/* O_CLOEXEC: a library must not leak fds into exec'd programs */
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_RDWR, fcntl(fd, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(0, close(fd));
}

TEST(get_version)
{
	struct kipc_version v;
	int fd = kipc_open();

	ASSERT_LE(0, fd);
	memset(&v, 0xff, sizeof(v));
	ASSERT_EQ(0, kipc_get_version(fd, &v));
	EXPECT_EQ(sizeof(v), v.size);
	EXPECT_EQ(KIPC_ABI_VERSION, v.abi_version);
	/* library and module come from one version source */
	EXPECT_EQ(kipc_library_version_code(), v.module_version);
	EXPECT_EQ(0, v.__reserved);
	close(fd);
}

/* Errors come back as -errno; errno itself is not the interface. */
TEST(get_version_errors)
{
	struct kipc_version v;
	int fd;

	EXPECT_EQ(-EBADF, kipc_get_version(-1, &v));
	fd = open("/dev/null", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENOTTY, kipc_get_version(fd, &v));
	close(fd);

	fd = kipc_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, kipc_get_version(fd, NULL));
	close(fd);
}

TEST(library_version)
{
	unsigned int major, minor, patch;
	const char *s = kipc_library_version();

	ASSERT_NE(NULL, s);
	ASSERT_EQ(3, sscanf(s, "%u.%u.%u", &major, &minor, &patch));
	EXPECT_EQ(KIPC_VERSION_CODE(major, minor, patch),
		  kipc_library_version_code());
}

TEST_HARNESS_MAIN
