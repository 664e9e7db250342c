/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* libkipc internals; not installed, not exported (see libkipc.map). */
#ifndef _KIPC_LIB_INTERNAL_H
#define _KIPC_LIB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

/* ioctl() as a count or -errno */
int kipc_ioctl(int fd, unsigned long cmd, void *arg);

/*
 * A command whose struct the caller sized: zero it, set its size field
 * (which the kernel checks) and issue it.
 */
int kipc_sized_ioctl(int fd, unsigned long cmd, void *arg, size_t size);

/* ioctl on ctl_fd, or on a control fd of its own if ctl_fd < 0 */
int kipc_with_ctl(int ctl_fd, unsigned long cmd, void *arg);

/*
 * The CLOCK_MONOTONIC deadline timeout_ns (> 0) from now, saturated. The
 * kernel takes absolute deadlines, so a call restarted after a signal
 * does not wait longer.
 */
int kipc_deadline(int64_t timeout_ns, __u64 *deadline);

/* A name's length for the kernel: 0 for NULL (anonymous), or -errno. */
int kipc_name_len(const char *name, __u32 *len);

/* KIPC_IOC_UNLINK of an object of kind */
int kipc_unlink_kind(int ctl_fd, unsigned int kind, const char *name);

#endif /* _KIPC_LIB_INTERNAL_H */
