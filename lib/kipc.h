/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libkipc - the user-space side of /dev/kipc.
 *
 * Every function returns 0 (or a count, or an fd) on success and a
 * negative errno on failure; none relies on errno. The functions are
 * thread-safe: they keep no state of their own beyond the fds you pass.
 */
#ifndef _KIPC_LIB_H
#define _KIPC_LIB_H

#include <stddef.h>
#include <linux/kipc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Open /dev/kipc: a control fd (O_RDWR | O_CLOEXEC), or -errno. */
int kipc_open(void);

/*
 * Ask the module behind ctl_fd what it implements (KIPC_IOC_VERSION).
 * size is sizeof(*ver) as the caller knows it, so that a library built
 * with a grown struct never writes past a caller's older, smaller one.
 */
int kipc_get_version(int ctl_fd, struct kipc_version *ver, size_t size);

/* The library's own release, "MAJOR.MINOR.PATCH". */
const char *kipc_library_version(void);

#ifdef __cplusplus
}
#endif

#endif /* _KIPC_LIB_H */
