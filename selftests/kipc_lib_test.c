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
	ASSERT_EQ(0, kipc_get_version(fd, &v, sizeof(v)));
	EXPECT_EQ(sizeof(v), v.size);
	EXPECT_EQ(0, v.flags);
	EXPECT_EQ(KIPC_ABI_VERSION, v.abi_version);
	EXPECT_EQ(0, v.__reserved);
	close(fd);
}

/*
 * A caller compiled with a larger struct (a newer header) on this module:
 * the library passes its size on, the kernel fills what it knows and
 * leaves the zeroed rest alone.
 */
TEST(get_version_larger_struct)
{
	struct {
		struct kipc_version v;
		__u64 newer_field;
	} big;
	int fd = kipc_open();

	ASSERT_LE(0, fd);
	memset(&big, 0xff, sizeof(big));
	ASSERT_EQ(0, kipc_get_version(fd, &big.v, sizeof(big)));
	EXPECT_EQ(sizeof(big), big.v.size);
	EXPECT_EQ(KIPC_ABI_VERSION, big.v.abi_version);
	EXPECT_EQ(0, big.newer_field);
	close(fd);
}

/* Errors come back as -errno; errno itself is not the interface. */
TEST(get_version_errors)
{
	struct kipc_version v;
	int fd;

	EXPECT_EQ(-EBADF, kipc_get_version(-1, &v, sizeof(v)));
	fd = open("/dev/null", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENOTTY, kipc_get_version(fd, &v, sizeof(v)));
	close(fd);

	fd = kipc_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, kipc_get_version(fd, NULL, sizeof(v)));
	EXPECT_EQ(-EINVAL, kipc_get_version(fd, &v, 0));
	EXPECT_EQ(-EINVAL, kipc_get_version(fd, &v, 4));
	/* smaller than the first published struct: the kernel says no */
	EXPECT_EQ(-EINVAL, kipc_get_version(fd, &v, sizeof(v) - 1));
	close(fd);
}

/* The library reports the release in ../VERSION, the one version source. */
TEST(library_version)
{
	char want[32] = "";
	FILE *f = fopen("../VERSION", "r");

	if (!f)
		SKIP(return, "no ../VERSION (run from selftests/)");
	ASSERT_NE(NULL, fgets(want, sizeof(want), f));
	fclose(f);
	want[strcspn(want, "\n")] = '\0';
	ASSERT_NE(NULL, kipc_library_version());
	EXPECT_STREQ(want, kipc_library_version());
}

TEST_HARNESS_MAIN
