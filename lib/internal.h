/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* libkipc internals; not installed, not exported (see libkipc.map). */
#ifndef _KIPC_LIB_INTERNAL_H
#define _KIPC_LIB_INTERNAL_H

#include <stddef.h>

/* ioctl() as a count or -errno */
int kipc_ioctl(int fd, unsigned long cmd, void *arg);

/*
 * A command whose struct the caller sized: zero it, set its size field
 * (which the kernel checks) and issue it.
 */
int kipc_sized_ioctl(int fd, unsigned long cmd, void *arg, size_t size);

#endif /* _KIPC_LIB_INTERNAL_H */
