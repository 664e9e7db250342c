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
 * @cmd_size: the size of that copy, as the kernel knows the struct
 *
 * The dispatcher has copied the struct in, checked its size and rejected
 * unknown flags; the handler checks the rest and answers with
 * kipc_ucmd_respond().
 */
struct kipc_ucmd {
	void __user *ubuffer;
	u32 user_size;
	void *cmd;
	u32 cmd_size;
};

int kipc_ucmd_respond(struct kipc_ucmd *ucmd);

/* ioctl.c: the control fd's commands */
long kipc_ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

#endif /* _KIPC_H */
