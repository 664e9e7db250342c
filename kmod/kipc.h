/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc internals shared by the files of the module. The ABI is in
 * uapi/linux/kipc.h; nothing here is visible to user space.
 */
#ifndef _KIPC_H
#define _KIPC_H

#include <linux/fs.h>
#include <linux/types.h>
#include "uapi/linux/kipc.h"

#define KIPC_MODULE_VERSION_CODE \
	KIPC_VERSION_CODE(KIPC_VERSION_MAJ, KIPC_VERSION_MIN, KIPC_VERSION_PAT)

/* limits.c: global limits, module parameters writable at run time */
extern unsigned int kipc_max_objects;
extern unsigned int kipc_max_objects_per_user;
extern unsigned int kipc_user_quota_mb;
extern unsigned int kipc_mq_max_msgs;
extern unsigned int kipc_mq_max_msgsize;
extern unsigned int kipc_buf_max_mb;

/**
 * struct kipc_ucmd - one ioctl call, as the dispatcher hands it over
 * @ubuffer: the user's struct
 * @user_size: the size the user declared in it
 * @cmd: the kernel's copy, zero-extended or checked to the kernel's size
 *
 * The dispatcher has copied the struct in, checked its size and rejected
 * unknown flags; the handler checks the rest and answers with
 * kipc_ucmd_respond().
 */
struct kipc_ucmd {
	void __user *ubuffer;
	u32 user_size;
	void *cmd;
};

int kipc_ucmd_respond(struct kipc_ucmd *ucmd, size_t cmd_len);

/* ioctl.c: the control fd's commands */
long kipc_ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

#endif /* _KIPC_H */
