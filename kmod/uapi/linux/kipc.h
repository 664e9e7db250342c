/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kipc - kernel-mediated IPC objects behind /dev/kipc
 *
 * This header is the whole ABI between the kipc module and user space.
 */
#ifndef _UAPI_LINUX_KIPC_H
#define _UAPI_LINUX_KIPC_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define KIPC_DEVICE_PATH	"/dev/kipc"

/*
 * The ABI version changes only if an existing command changes in an
 * incompatible way, which is not planned; additions are announced in
 * kipc_version.features and by growing structs (see below) instead. A
 * program checks features, not this number, for what it needs.
 */
#define KIPC_ABI_VERSION	1

/**
 * DOC: General ioctl format
 *
 * Every ioctl takes a pointer to a struct that starts with two __u32
 * fields, ``size`` and ``flags``. Callers set ``size`` to the sizeof() of
 * the struct they were compiled with; this is how structs grow without new
 * command numbers (the scheme of iommufd, openat2 and clone3):
 *
 * - a size smaller than the struct's first published version is EINVAL;
 * - a size larger than the kernel knows is accepted only if every byte the
 *   kernel does not know is zero, otherwise E2BIG; a size larger than the
 *   page size is always E2BIG (as for openat2 and clone3);
 * - the kernel writes back at most ``size`` bytes, so an old binary on a
 *   new kernel and a new binary on an old kernel both keep working.
 *
 * Fields named ``__reserved`` must be zero (EINVAL otherwise). Flags the
 * kernel does not know are rejected with EINVAL, never ignored, so that a
 * flag can be given a meaning later without breaking anyone. Pointers are
 * passed as __aligned_u64. Command numbers are _IO(KIPC_TYPE, nr): the size
 * lives in the struct, not in the command.
 */
#define KIPC_TYPE	0xBC

enum {
	KIPC_CMD_BASE = 0x00,
	KIPC_CMD_VERSION = KIPC_CMD_BASE,
};

/**
 * DOC: Error codes
 *
 * Errors every command may return:
 *
 * ENOTTY  the command number is not a kipc command
 * EFAULT  the argument pointer, or a pointer inside it, cannot be accessed
 * EINVAL  size below the minimum, an unknown flag, or a non-zero
 *         __reserved field
 * E2BIG   size above what the kernel knows, with non-zero bytes beyond it,
 *         or above the page size
 * ENOMEM  the kernel could not allocate memory
 *
 * Each command documents the errors of its own below.
 */

/**
 * struct kipc_version - KIPC_IOC_VERSION: what the module implements
 * @size: sizeof(struct kipc_version)
 * @flags: must be 0
 * @abi_version: out, KIPC_ABI_VERSION of the module
 * @__reserved: must be 0
 * @features: out, KIPC_FEATURE_* bits for the object kinds and commands
 *            the module implements; none are defined yet
 *
 * Works on the control fd (/dev/kipc). No errors of its own. The module's
 * release is in /sys/module/kipc/version, not in the ABI.
 */
struct kipc_version {
	__u32 size;
	__u32 flags;
	__u32 abi_version;
	__u32 __reserved;
	__aligned_u64 features;
};

#define KIPC_IOC_VERSION	_IO(KIPC_TYPE, KIPC_CMD_VERSION)

#endif /* _UAPI_LINUX_KIPC_H */
