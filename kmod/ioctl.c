// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl dispatch: one table of commands, one copy-in.
 *
 * Every kipc command is _IO(KIPC_TYPE, nr) with a struct that starts with
 * __u32 size and __u32 flags (see "General ioctl format" in the uapi
 * header). The dispatcher looks the command up, reads the size, copies the
 * struct in with copy_struct_from_user() and rejects unknown flags, so the
 * handlers only check what is specific to them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

#include "kipc.h"

/* Every command struct starts like this. */
struct kipc_cmd_header {
	u32 size;
	u32 flags;
};

/* Large enough for any command's struct: the one buffer on the stack. */
union kipc_ucmd_buffer {
	struct kipc_cmd_header header;
	struct kipc_version version;
};

/**
 * struct kipc_ioctl_op - one command of the dispatch table
 * @size: the struct as the kernel knows it
 * @min_size: the struct's first published version; smaller is EINVAL
 * @ioctl_num: the full command number, direction and size bits included
 * @valid_flags: flags the command accepts; any other is EINVAL
 * @execute: the handler
 */
struct kipc_ioctl_op {
	unsigned int size;
	unsigned int min_size;
	unsigned int ioctl_num;
	u32 valid_flags;
	int (*execute)(struct kipc_ucmd *ucmd);
};

int kipc_ucmd_respond(struct kipc_ucmd *ucmd)
{
	if (copy_to_user(ucmd->ubuffer, ucmd->cmd,
			 min(ucmd->user_size, ucmd->cmd_size)))
		return -EFAULT;
	return 0;
}

static int kipc_cmd_version(struct kipc_ucmd *ucmd)
{
	struct kipc_version *cmd = ucmd->cmd;

	if (cmd->__reserved)
		return -EINVAL;

	cmd->abi_version = KIPC_ABI_VERSION;
	cmd->features = 0;
	return kipc_ucmd_respond(ucmd);
}

#define IOCTL_OP(_ioctl, _fn, _struct, _last, _flags)			\
	[_IOC_NR(_ioctl) - KIPC_CMD_BASE] = {				\
		.size = sizeof(_struct) +				\
			BUILD_BUG_ON_ZERO(sizeof(union kipc_ucmd_buffer) < \
					  sizeof(_struct)),		\
		.min_size = offsetofend(_struct, _last),		\
		.ioctl_num = _ioctl,					\
		.valid_flags = _flags,					\
		.execute = _fn,						\
	}

static const struct kipc_ioctl_op kipc_ctl_ops[] = {
	IOCTL_OP(KIPC_IOC_VERSION, kipc_cmd_version, struct kipc_version,
		 features, 0),
};

static long kipc_dispatch(const struct kipc_ioctl_op *ops, size_t nr_ops,
			  unsigned int cmd, unsigned long arg)
{
	const struct kipc_ioctl_op *op;
	union kipc_ucmd_buffer buf;
	struct kipc_ucmd ucmd = {};
	unsigned int nr = _IOC_NR(cmd);
	int ret;

	if (_IOC_TYPE(cmd) != KIPC_TYPE || nr < KIPC_CMD_BASE ||
	    nr - KIPC_CMD_BASE >= nr_ops)
		return -ENOTTY;
	op = &ops[nr - KIPC_CMD_BASE];
	/* holes in the table, and the right nr with wrong dir/size bits */
	if (!op->execute || op->ioctl_num != cmd)
		return -ENOTTY;

	ucmd.ubuffer = (void __user *)arg;
	if (get_user(ucmd.user_size, (u32 __user *)ucmd.ubuffer))
		return -EFAULT;
	if (ucmd.user_size < op->min_size)
		return -EINVAL;
	/* no struct will be this big; don't scan megabytes for zeroes */
	if (ucmd.user_size > PAGE_SIZE)
		return -E2BIG;

	ucmd.cmd = &buf;
	ucmd.cmd_size = op->size;
	ret = copy_struct_from_user(ucmd.cmd, op->size, ucmd.ubuffer,
				    ucmd.user_size);
	if (ret)
		return ret;
	/* size was read twice; only the first read counts */
	buf.header.size = ucmd.user_size;
	if (buf.header.flags & ~op->valid_flags)
		return -EINVAL;

	return op->execute(&ucmd);
}

long kipc_ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return kipc_dispatch(kipc_ctl_ops, ARRAY_SIZE(kipc_ctl_ops), cmd, arg);
}
