// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libkipc: shared buffers. Thin, like the queue functions: sizes,
 * pointers and deadlines for the kernel, mmap for the mapping.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kipc.h"
#include "internal.h"

int kipc_buf_open(int ctl_fd, const char *name, unsigned int flags,
		  const struct kipc_buf_attr *attr, uint64_t *size)
{
	struct kipc_buf_open o = {
		.size = sizeof(o),
		.flags = flags | KIPC_OPEN_CLOEXEC,
		.name = (uintptr_t)name,
	};
	int ret;

	if (flags & KIPC_OPEN_CREATE) {
		if (!attr)
			return -EINVAL;
		o.mode = attr->mode;
		o.buf_size = attr->size;
	}
	ret = kipc_name_len(name, &o.name_len);
	if (ret)
		return ret;
	ret = kipc_with_ctl(ctl_fd, KIPC_IOC_BUF_OPEN, &o);
	if (ret < 0)
		return ret;
	if (size)
		*size = o.buf_size;
	return o.fd;
}

int kipc_buf_close(int fd)
{
	return close(fd) ? -errno : 0;
}

int kipc_buf_unlink(int ctl_fd, const char *name)
{
	return kipc_unlink_kind(ctl_fd, KIPC_KIND_BUF, name);
}

int kipc_buf_map(int fd, uint64_t offset, size_t length, int prot,
		 void **addr, size_t *mapped)
{
	struct kipc_buf_stat st;
	void *p;
	int ret;

	if (!addr || prot & ~(PROT_READ | PROT_WRITE) || !(prot & PROT_READ))
		return -EINVAL;
	if (!length) {
		ret = kipc_buf_stat(fd, &st, sizeof(st));
		if (ret)
			return ret;
		if (offset >= st.buf_size)
			return -ENXIO;
		if (st.buf_size - offset > SIZE_MAX)
			return -ENOMEM;
		length = st.buf_size - offset;
	}
	if (offset > (uint64_t)INT64_MAX)
		return -ENXIO;
	p = mmap(NULL, length, prot, MAP_SHARED, fd, (off_t)offset);
	if (p == MAP_FAILED)
		return -errno;
	*addr = p;
	if (mapped)
		*mapped = length;
	return 0;
}

int kipc_buf_unmap(void *addr, size_t length)
{
	return munmap(addr, length) ? -errno : 0;
}

int kipc_buf_wait(int fd, uint64_t offset, uint32_t value,
		  int64_t timeout_ns)
{
	struct kipc_buf_wait w = {
		.size = sizeof(w),
		.offset = offset,
		.value = value,
	};
	int ret;

	if (timeout_ns == 0 || timeout_ns < -1)
		return -EINVAL;
	if (timeout_ns > 0) {
		ret = kipc_deadline(timeout_ns, &w.deadline_ns);
		if (ret)
			return ret;
		w.flags = KIPC_BUF_DEADLINE;
	}
	return kipc_ioctl(fd, KIPC_IOC_BUF_WAIT, &w);
}

int kipc_buf_wake(int fd, uint64_t offset, unsigned int count)
{
	struct kipc_buf_wake w = {
		.size = sizeof(w),
		.offset = offset,
		.count = count,
	};

	return kipc_ioctl(fd, KIPC_IOC_BUF_WAKE, &w);
}

int kipc_buf_stat(int fd, struct kipc_buf_stat *st, size_t size)
{
	return kipc_sized_ioctl(fd, KIPC_IOC_BUF_STAT, st, size);
}

int kipc_buf_reopen(int fd, unsigned int flags)
{
	struct kipc_buf_reopen r = {
		.size = sizeof(r),
		.flags = flags | KIPC_OPEN_CLOEXEC,
	};
	int ret = kipc_ioctl(fd, KIPC_IOC_BUF_REOPEN, &r);

	return ret < 0 ? ret : r.fd;
}
