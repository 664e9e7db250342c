// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libkipc: opening the control device and asking it what it implements.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kipc.h"
#include "internal.h"

int kipc_open(void)
{
	int fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int kipc_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

int kipc_sized_ioctl(int fd, unsigned long cmd, void *arg, size_t size)
{
	/* size and flags at least; the kernel knows each struct's minimum */
	if (!arg || size < 2 * sizeof(__u32))
		return -EINVAL;
	if (size > UINT32_MAX)
		return -E2BIG;
	memset(arg, 0, size);
	*(__u32 *)arg = size;
	return kipc_ioctl(fd, cmd, arg);
}

int kipc_get_version(int ctl_fd, struct kipc_version *ver, size_t size)
{
	return kipc_sized_ioctl(ctl_fd, KIPC_IOC_VERSION, ver, size);
}

const char *kipc_library_version(void)
{
	return KIPC_VERSION_STR;
}
