// SPDX-License-Identifier: GPL-2.0
/*
 * kipc: kernel-mediated message queues, shared buffers and semaphores.
 *
 * User space opens /dev/kipc and gets a control fd; the ioctls of
 * <linux/kipc.h> on that fd ask what the module implements and, as the
 * object kinds land, create or open objects, each handed out as an fd of
 * its own. The device node is world read-write (0666): access control is
 * per object, by owner and mode, as for POSIX message queues and shared
 * memory; opening the device grants nothing by itself.
 *
 * The generic netlink family "kipc" (netlink.c) shows the objects and
 * sends events about them.
 *
 * Every open fd holds a reference on the module, so rmmod is refused while
 * anyone uses kipc; so does a netlink dump in progress.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "kipc.h"

static const struct file_operations kipc_ctl_fops = {
	.owner		= THIS_MODULE,
	.open		= kipc_ctl_open,
	.release	= kipc_ctl_release,
	.unlocked_ioctl	= kipc_ctl_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice kipc_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "kipc",
	.fops	= &kipc_ctl_fops,
	.mode	= 0666,
};

static int __init kipc_init(void)
{
	int ret;

	/* The ABI is fixed: a layout change here is a bug, not an update. */
	BUILD_BUG_ON(sizeof(struct kipc_version) != 24);
	BUILD_BUG_ON(sizeof(struct kipc_mq_open) != 48);
	BUILD_BUG_ON(sizeof(struct kipc_unlink) != 24);
	BUILD_BUG_ON(sizeof(struct kipc_mq_send) != 40);
	BUILD_BUG_ON(sizeof(struct kipc_mq_recv) != 64);
	BUILD_BUG_ON(sizeof(struct kipc_mq_stat) != 88);
	BUILD_BUG_ON(sizeof(struct kipc_mq_msg) != 48);
	BUILD_BUG_ON(sizeof(struct kipc_mq_batch) != 48);
	BUILD_BUG_ON(sizeof(struct kipc_buf_open) != 48);
	BUILD_BUG_ON(sizeof(struct kipc_buf_wait) != 32);
	BUILD_BUG_ON(sizeof(struct kipc_buf_wake) != 24);
	BUILD_BUG_ON(sizeof(struct kipc_buf_stat) != 80);
	BUILD_BUG_ON(sizeof(struct kipc_buf_reopen) != 16);
	BUILD_BUG_ON(sizeof(struct kipc_sem_open) != 48);
	BUILD_BUG_ON(sizeof(struct kipc_sem_wait) != 24);
	BUILD_BUG_ON(sizeof(struct kipc_sem_post) != 16);
	BUILD_BUG_ON(sizeof(struct kipc_sem_stat) != 104);
	BUILD_BUG_ON(sizeof(struct kipc_sem_reopen) != 16);

	/* objects announce themselves to the family: it comes first */
	ret = kipc_netlink_init();
	if (ret) {
		pr_err("cannot register the netlink family: %d\n", ret);
		return ret;
	}

	/* The device goes last: once it exists, user space can call in. */
	ret = misc_register(&kipc_misc);
	if (ret) {
		pr_err("cannot register /dev/kipc: %d\n", ret);
		goto err_netlink;
	}
	return 0;

err_netlink:
	kipc_netlink_exit();
	return ret;
}

static void __exit kipc_exit(void)
{
	misc_deregister(&kipc_misc);
	/* no fd is open (each pins the module): only unopened names remain */
	kipc_registry_exit();
	kipc_netlink_exit();
}

module_init(kipc_init);
module_exit(kipc_exit);

MODULE_DESCRIPTION("kipc: kernel-mediated IPC objects behind /dev/kipc");
MODULE_AUTHOR("The kipc developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(KIPC_VERSION_STR);
