// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libkipc: opening the control device and asking it what it implements.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kipc.h"

int kipc_open(void)
{
	int fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int kipc_get_version(int ctl_fd, struct kipc_version *ver)
{
	if (!ver)
		return -EINVAL;
	memset(ver, 0, sizeof(*ver));
	ver->size = sizeof(*ver);
	if (ioctl(ctl_fd, KIPC_IOC_VERSION, ver) < 0)
		return -errno;
	return 0;
}

const char *kipc_library_version(void)
{
	return KIPC_VERSION_STR;
}

unsigned int kipc_library_version_code(void)
{
	return KIPC_VERSION_CODE(KIPC_VERSION_MAJ, KIPC_VERSION_MIN,
				 KIPC_VERSION_PAT);
}
