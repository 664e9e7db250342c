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

#include <linux/file.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
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
	struct kipc_mq_open mq_open;
	struct kipc_unlink unlink;
	struct kipc_mq_send mq_send;
	struct kipc_mq_recv mq_recv;
	struct kipc_mq_stat mq_stat;
	struct kipc_mq_batch mq_batch;
	struct kipc_buf_open buf_open;
	struct kipc_buf_wait buf_wait;
	struct kipc_buf_wake buf_wake;
	struct kipc_buf_stat buf_stat;
	struct kipc_buf_reopen buf_reopen;
	struct kipc_sem_open sem_open;
	struct kipc_sem_wait sem_wait;
	struct kipc_sem_post sem_post;
	struct kipc_sem_stat sem_stat;
	struct kipc_sem_reopen sem_reopen;
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
	cmd->features = KIPC_FEATURE_MQ | KIPC_FEATURE_MQ_BATCH |
			KIPC_FEATURE_BUF | KIPC_FEATURE_SEM;
	return kipc_ucmd_respond(ucmd);
}

/*
 * Answer an open command that made @file for @fd (or failed with @fd < 0).
 * The fd goes live only once user space can learn its number.
 */
static int kipc_open_respond(struct kipc_ucmd *ucmd, int fd,
			     struct file *file)
{
	int ret;

	if (fd < 0)
		return fd;
	ret = kipc_ucmd_respond(ucmd);
	if (ret) {
		fput(file);
		put_unused_fd(fd);
		return ret;
	}
	fd_install(fd, file);
	return 0;
}

/*
 * A new name is linked before the answer is written, and cannot be taken
 * back unnoticed (the listeners heard of it, another may have opened it):
 * so a create first makes sure that the answer can be written, without
 * writing it. A struct in read-only or unmapped memory fails with EFAULT
 * before anything is made (one made read-only in between still fails
 * after its name is linked: the caller's own doing, in its own quota).
 */
static int kipc_open_answerable(struct kipc_ucmd *ucmd, u32 flags)
{
	if (!(flags & KIPC_OPEN_CREATE))
		return 0;
	if (fault_in_safe_writeable(ucmd->ubuffer,
				    min(ucmd->user_size, ucmd->cmd_size)))
		return -EFAULT;
	return 0;
}

static int kipc_cmd_mq_open(struct kipc_ucmd *ucmd)
{
	struct kipc_mq_open *cmd = ucmd->cmd;
	struct file *file = NULL;
	int fd = kipc_open_answerable(ucmd, cmd->flags);

	if (!fd)
		fd = kipc_mq_open(ucmd->file->private_data, cmd, &file);
	return kipc_open_respond(ucmd, fd, file);
}

static int kipc_cmd_buf_open(struct kipc_ucmd *ucmd)
{
	struct kipc_buf_open *cmd = ucmd->cmd;
	struct file *file = NULL;
	int fd = kipc_open_answerable(ucmd, cmd->flags);

	if (!fd)
		fd = kipc_buf_open(ucmd->file->private_data, cmd, &file);
	return kipc_open_respond(ucmd, fd, file);
}

static int kipc_cmd_sem_open(struct kipc_ucmd *ucmd)
{
	struct kipc_sem_open *cmd = ucmd->cmd;
	struct file *file = NULL;
	int fd = kipc_open_answerable(ucmd, cmd->flags);

	if (!fd)
		fd = kipc_sem_open(ucmd->file->private_data, cmd, &file);
	return kipc_open_respond(ucmd, fd, file);
}

static int kipc_cmd_unlink(struct kipc_ucmd *ucmd)
{
	struct kipc_unlink *cmd = ucmd->cmd;
	char name[KIPC_NAME_MAX + 1];
	int ret;

	if (cmd->kind != KIPC_KIND_MQ && cmd->kind != KIPC_KIND_BUF &&
	    cmd->kind != KIPC_KIND_SEM)
		return -EINVAL;
	ret = kipc_name_copy(name, cmd->name, cmd->name_len);
	if (ret)
		return ret;
	return kipc_obj_unlink(ucmd->file->private_data, cmd->kind, name);
}

static int kipc_cmd_mq_send(struct kipc_ucmd *ucmd)
{
	return kipc_mq_send_cmd(ucmd->file, ucmd->cmd);
}

/* The answer is written before the message is taken: see mq.c. */
static int kipc_cmd_mq_recv(struct kipc_ucmd *ucmd)
{
	int ret = kipc_mq_recv_cmd(ucmd->file, ucmd->cmd, ucmd);

	/* a too-small buffer still learns the message's length */
	if (ret == -EMSGSIZE) {
		int err = kipc_ucmd_respond(ucmd);

		if (err)
			return err;
	}
	return ret;
}

static int kipc_cmd_mq_stat(struct kipc_ucmd *ucmd)
{
	int ret = kipc_mq_stat_cmd(ucmd->file, ucmd->cmd);

	return ret ? ret : kipc_ucmd_respond(ucmd);
}

/* A batch answers with its count; the entries are written as it goes. */
static int kipc_cmd_mq_sendv(struct kipc_ucmd *ucmd)
{
	return kipc_mq_sendv_cmd(ucmd->file, ucmd->cmd);
}

static int kipc_cmd_mq_recvv(struct kipc_ucmd *ucmd)
{
	return kipc_mq_recvv_cmd(ucmd->file, ucmd->cmd);
}

static int kipc_cmd_buf_wait(struct kipc_ucmd *ucmd)
{
	return kipc_buf_wait_cmd(ucmd->file, ucmd->cmd);
}

/* Answers with the number woken. */
static int kipc_cmd_buf_wake(struct kipc_ucmd *ucmd)
{
	return kipc_buf_wake_cmd(ucmd->file, ucmd->cmd);
}

static int kipc_cmd_buf_stat(struct kipc_ucmd *ucmd)
{
	int ret = kipc_buf_stat_cmd(ucmd->file, ucmd->cmd);

	return ret ? ret : kipc_ucmd_respond(ucmd);
}

static int kipc_cmd_buf_reopen(struct kipc_ucmd *ucmd)
{
	struct file *file = NULL;
	int fd = kipc_buf_reopen(ucmd->file, ucmd->cmd, &file);

	return kipc_open_respond(ucmd, fd, file);
}

static int kipc_cmd_sem_wait(struct kipc_ucmd *ucmd)
{
	return kipc_sem_wait_cmd(ucmd->file, ucmd->cmd);
}

/* Answers with the number woken. */
static int kipc_cmd_sem_post(struct kipc_ucmd *ucmd)
{
	return kipc_sem_post_cmd(ucmd->file, ucmd->cmd);
}

static int kipc_cmd_sem_stat(struct kipc_ucmd *ucmd)
{
	int ret = kipc_sem_stat_cmd(ucmd->file, ucmd->cmd);

	return ret ? ret : kipc_ucmd_respond(ucmd);
}

static int kipc_cmd_sem_reopen(struct kipc_ucmd *ucmd)
{
	struct file *file = NULL;
	int fd = kipc_sem_reopen(ucmd->file, ucmd->cmd, &file);

	return kipc_open_respond(ucmd, fd, file);
}

#define IOCTL_OP(_base, _ioctl, _fn, _struct, _last, _flags)		\
	[_IOC_NR(_ioctl) - (_base)] = {					\
		.size = sizeof(_struct) +				\
			BUILD_BUG_ON_ZERO(sizeof(union kipc_ucmd_buffer) < \
					  sizeof(_struct)),		\
		.min_size = offsetofend(_struct, _last),		\
		.ioctl_num = _ioctl,					\
		.valid_flags = _flags,					\
		.execute = _fn,						\
	}

static const struct kipc_ioctl_op kipc_ctl_ops[] = {
	IOCTL_OP(KIPC_CMD_BASE, KIPC_IOC_VERSION, kipc_cmd_version,
		 struct kipc_version, features, 0),
	IOCTL_OP(KIPC_CMD_BASE, KIPC_IOC_MQ_OPEN, kipc_cmd_mq_open,
		 struct kipc_mq_open, id,
		 KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CREATE |
		 KIPC_OPEN_EXCL | KIPC_OPEN_NONBLOCK | KIPC_OPEN_CLOEXEC),
	IOCTL_OP(KIPC_CMD_BASE, KIPC_IOC_UNLINK, kipc_cmd_unlink,
		 struct kipc_unlink, name, 0),
	IOCTL_OP(KIPC_CMD_BASE, KIPC_IOC_BUF_OPEN, kipc_cmd_buf_open,
		 struct kipc_buf_open, id,
		 KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CREATE |
		 KIPC_OPEN_EXCL | KIPC_OPEN_NONBLOCK | KIPC_OPEN_CLOEXEC),
	IOCTL_OP(KIPC_CMD_BASE, KIPC_IOC_SEM_OPEN, kipc_cmd_sem_open,
		 struct kipc_sem_open, id,
		 KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CREATE |
		 KIPC_OPEN_EXCL | KIPC_OPEN_NONBLOCK | KIPC_OPEN_CLOEXEC |
		 KIPC_OPEN_UNDO),
};

static const struct kipc_ioctl_op kipc_mq_ops[] = {
	IOCTL_OP(KIPC_CMD_MQ_BASE, KIPC_IOC_MQ_SEND, kipc_cmd_mq_send,
		 struct kipc_mq_send, deadline_ns,
		 KIPC_MQ_NONBLOCK | KIPC_MQ_DEADLINE),
	IOCTL_OP(KIPC_CMD_MQ_BASE, KIPC_IOC_MQ_RECV, kipc_cmd_mq_recv,
		 struct kipc_mq_recv, sender_uid,
		 KIPC_MQ_NONBLOCK | KIPC_MQ_DEADLINE | KIPC_MQ_TRUNCATE |
		 KIPC_MQ_PEEK),
	IOCTL_OP(KIPC_CMD_MQ_BASE, KIPC_IOC_MQ_STAT, kipc_cmd_mq_stat,
		 struct kipc_mq_stat, ctime_ns, 0),
	IOCTL_OP(KIPC_CMD_MQ_BASE, KIPC_IOC_MQ_SENDV, kipc_cmd_mq_sendv,
		 struct kipc_mq_batch, deadline_ns,
		 KIPC_MQ_NONBLOCK | KIPC_MQ_DEADLINE),
	IOCTL_OP(KIPC_CMD_MQ_BASE, KIPC_IOC_MQ_RECVV, kipc_cmd_mq_recvv,
		 struct kipc_mq_batch, deadline_ns,
		 KIPC_MQ_NONBLOCK | KIPC_MQ_DEADLINE | KIPC_MQ_TRUNCATE),
};

static const struct kipc_ioctl_op kipc_buf_ops[] = {
	IOCTL_OP(KIPC_CMD_BUF_BASE, KIPC_IOC_BUF_WAIT, kipc_cmd_buf_wait,
		 struct kipc_buf_wait, deadline_ns, KIPC_BUF_DEADLINE),
	IOCTL_OP(KIPC_CMD_BUF_BASE, KIPC_IOC_BUF_WAKE, kipc_cmd_buf_wake,
		 struct kipc_buf_wake, __reserved, 0),
	IOCTL_OP(KIPC_CMD_BUF_BASE, KIPC_IOC_BUF_STAT, kipc_cmd_buf_stat,
		 struct kipc_buf_stat, ctime_ns, 0),
	IOCTL_OP(KIPC_CMD_BUF_BASE, KIPC_IOC_BUF_REOPEN, kipc_cmd_buf_reopen,
		 struct kipc_buf_reopen, __reserved,
		 KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_NONBLOCK |
		 KIPC_OPEN_CLOEXEC),
};

static const struct kipc_ioctl_op kipc_sem_ops[] = {
	IOCTL_OP(KIPC_CMD_SEM_BASE, KIPC_IOC_SEM_WAIT, kipc_cmd_sem_wait,
		 struct kipc_sem_wait, deadline_ns,
		 KIPC_SEM_NONBLOCK | KIPC_SEM_DEADLINE),
	IOCTL_OP(KIPC_CMD_SEM_BASE, KIPC_IOC_SEM_POST, kipc_cmd_sem_post,
		 struct kipc_sem_post, __reserved, 0),
	IOCTL_OP(KIPC_CMD_SEM_BASE, KIPC_IOC_SEM_STAT, kipc_cmd_sem_stat,
		 struct kipc_sem_stat, ctime_ns, 0),
	IOCTL_OP(KIPC_CMD_SEM_BASE, KIPC_IOC_SEM_REOPEN, kipc_cmd_sem_reopen,
		 struct kipc_sem_reopen, __reserved,
		 KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_NONBLOCK |
		 KIPC_OPEN_CLOEXEC | KIPC_OPEN_UNDO),
};

static long kipc_dispatch(struct file *file, const struct kipc_ioctl_op *ops,
			  size_t nr_ops, unsigned int base, unsigned int cmd,
			  unsigned long arg)
{
	const struct kipc_ioctl_op *op;
	union kipc_ucmd_buffer buf;
	struct kipc_ucmd ucmd = {};
	unsigned int nr = _IOC_NR(cmd);
	int ret;

	if (_IOC_TYPE(cmd) != KIPC_TYPE || nr < base || nr - base >= nr_ops)
		return -ENOTTY;
	op = &ops[nr - base];
	/* holes in the table, and the right nr with wrong dir/size bits */
	if (!op->execute || op->ioctl_num != cmd)
		return -ENOTTY;

	ucmd.file = file;
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
	return kipc_dispatch(file, kipc_ctl_ops, ARRAY_SIZE(kipc_ctl_ops),
			     KIPC_CMD_BASE, cmd, arg);
}

long kipc_mq_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return kipc_dispatch(file, kipc_mq_ops, ARRAY_SIZE(kipc_mq_ops),
			     KIPC_CMD_MQ_BASE, cmd, arg);
}

long kipc_buf_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return kipc_dispatch(file, kipc_buf_ops, ARRAY_SIZE(kipc_buf_ops),
			     KIPC_CMD_BUF_BASE, cmd, arg);
}

long kipc_sem_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return kipc_dispatch(file, kipc_sem_ops, ARRAY_SIZE(kipc_sem_ops),
			     KIPC_CMD_SEM_BASE, cmd, arg);
}

/* A control fd works in the IPC namespace it was opened in. */
int kipc_ctl_open(struct inode *inode, struct file *file)
{
	struct kipc_ns *ns = kipc_ns_get_current();

	if (IS_ERR(ns))
		return PTR_ERR(ns);
	file->private_data = ns;
	return nonseekable_open(inode, file);
}

int kipc_ctl_release(struct inode *inode, struct file *file)
{
	kipc_ns_put(file->private_data);
	return 0;
}
