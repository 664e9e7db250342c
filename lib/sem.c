// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libkipc: semaphores. Thin, like the queue and buffer functions: the
 * kernel does the counting, the queueing and the undo.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "kipc.h"
#include "internal.h"

int kipc_sem_open(int ctl_fd, const char *name, unsigned int flags,
		  const struct kipc_sem_attr *attr)
{
	struct kipc_sem_open o = {
		.size = sizeof(o),
		.flags = flags | KIPC_OPEN_CLOEXEC,
		.name = (uintptr_t)name,
		.mode = attr ? attr->mode : 0600,
		.value = attr ? attr->value : 0,
		.max = attr ? attr->max : 0,
	};
	int ret;

	ret = kipc_name_len(name, &o.name_len);
	if (ret)
		return ret;
	ret = kipc_with_ctl(ctl_fd, KIPC_IOC_SEM_OPEN, &o);
	return ret < 0 ? ret : o.fd;
}

int kipc_sem_close(int fd)
{
	return close(fd) ? -errno : 0;
}

int kipc_sem_unlink(int ctl_fd, const char *name)
{
	return kipc_unlink_kind(ctl_fd, KIPC_KIND_SEM, name);
}

int kipc_sem_reopen(int fd, unsigned int flags)
{
	struct kipc_sem_reopen r = {
		.size = sizeof(r),
		.flags = flags | KIPC_OPEN_CLOEXEC,
	};
	int ret = kipc_ioctl(fd, KIPC_IOC_SEM_REOPEN, &r);

	return ret < 0 ? ret : r.fd;
}

int kipc_sem_wait(int fd, unsigned int count)
{
	struct kipc_sem_wait w = {
		.size = sizeof(w),
		.count = count,
	};

	return kipc_ioctl(fd, KIPC_IOC_SEM_WAIT, &w);
}

int kipc_sem_trywait(int fd, unsigned int count)
{
	struct kipc_sem_wait w = {
		.size = sizeof(w),
		.flags = KIPC_SEM_NONBLOCK,
		.count = count,
	};

	return kipc_ioctl(fd, KIPC_IOC_SEM_WAIT, &w);
}

int kipc_sem_timedwait(int fd, unsigned int count, int64_t timeout_ns)
{
	struct kipc_sem_wait w = {
		.size = sizeof(w),
		.flags = KIPC_SEM_DEADLINE,
		.count = count,
	};
	int ret;

	if (timeout_ns < 0)
		return -EINVAL;
	ret = kipc_deadline(timeout_ns, &w.deadline_ns);
	if (ret)
		return ret;
	return kipc_ioctl(fd, KIPC_IOC_SEM_WAIT, &w);
}

int kipc_sem_post(int fd, unsigned int count)
{
	struct kipc_sem_post p = {
		.size = sizeof(p),
		.count = count,
	};

	return kipc_ioctl(fd, KIPC_IOC_SEM_POST, &p);
}

int kipc_sem_getvalue(int fd, unsigned int *value)
{
	struct kipc_sem_stat st;
	int ret;

	if (!value)
		return -EINVAL;
	ret = kipc_sem_stat(fd, &st, sizeof(st));
	if (ret)
		return ret;
	*value = st.value;
	return 0;
}

int kipc_sem_stat(int fd, struct kipc_sem_stat *st, size_t size)
{
	return kipc_sized_ioctl(fd, KIPC_IOC_SEM_STAT, st, size);
}
