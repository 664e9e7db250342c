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

int kipc_open(void)
{
	int fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int kipc_get_version(int ctl_fd, struct kipc_version *ver, size_t size)
{
	if (!ver || size < offsetof(struct kipc_version, abi_version))
		return -EINVAL;
	if (size > UINT32_MAX)
		return -E2BIG;
	memset(ver, 0, size);
	ver->size = size;
	if (ioctl(ctl_fd, KIPC_IOC_VERSION, ver) < 0)
		return -errno;
	return 0;
}

const char *kipc_library_version(void)
{
	return KIPC_VERSION_STR;
}
