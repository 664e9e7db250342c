// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libkipc: opening the control device and asking it what it implements.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "kipc.h"
#include "internal.h"

int kipc_open(void)
{
	int fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	/* cppcheck-suppress resourceLeak ; it is returned */
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

int kipc_with_ctl(int ctl_fd, unsigned long cmd, void *arg)
{
	int ret, fd = ctl_fd;

	if (ctl_fd < 0) {
		fd = kipc_open();
		if (fd < 0)
			return fd;
	}
	ret = kipc_ioctl(fd, cmd, arg);
	if (ctl_fd < 0)
		close(fd);
	return ret;
}

int kipc_deadline(int64_t timeout_ns, __u64 *deadline)
{
	struct timespec now;

	if (clock_gettime(CLOCK_MONOTONIC, &now))
		return -errno;
	*deadline = (uint64_t)now.tv_sec * 1000000000u + now.tv_nsec;
	/* saturate: a timeout near INT64_MAX means "very long" */
	if (*deadline > UINT64_MAX - (uint64_t)timeout_ns)
		*deadline = UINT64_MAX;
	else
		*deadline += timeout_ns;
	return 0;
}

int kipc_name_len(const char *name, __u32 *len)
{
	size_t n = name ? strlen(name) : 0;

	if (name && !n)
		return -EINVAL;
	if (n > KIPC_NAME_MAX)
		return -ENAMETOOLONG;
	*len = n;
	return 0;
}

int kipc_unlink_kind(int ctl_fd, unsigned int kind, const char *name)
{
	struct kipc_unlink u = {
		.size = sizeof(u),
		.kind = kind,
		.name = (uintptr_t)name,
	};
	int ret;

	if (!name)
		return -EINVAL;
	ret = kipc_name_len(name, &u.name_len);
	if (ret)
		return ret;
	return kipc_with_ctl(ctl_fd, KIPC_IOC_UNLINK, &u);
}

int kipc_get_version(int ctl_fd, struct kipc_version *ver, size_t size)
{
	return kipc_sized_ioctl(ctl_fd, KIPC_IOC_VERSION, ver, size);
}

const char *kipc_library_version(void)
{
	return KIPC_VERSION_STR;
}
