/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc internals shared by the files of the module. The ABI is in
 * uapi/linux/kipc.h; nothing here is visible to user space.
 */
#ifndef _KIPC_H
#define _KIPC_H

#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include "uapi/linux/kipc.h"
#include "uapi/linux/kipc_netlink.h"

/* limits.c: global limits, module parameters writable at run time */
extern unsigned int kipc_max_objects;
extern unsigned int kipc_max_objects_per_user;
extern unsigned int kipc_user_quota_mb;
extern unsigned int kipc_mq_max_msgs;
extern unsigned int kipc_mq_max_msgsize;
extern unsigned int kipc_buf_max_mb;
extern unsigned int kipc_sem_handoff_us;

/* wait.c */
int kipc_sleep(const bool *done, bool timed, ktime_t deadline);

struct ipc_namespace;
struct kipc_ns;
struct net;
struct user_namespace;
struct kipc_user;
struct kipc_ucmd;

/**
 * struct kipc_obj - what every object kind has: identity, name, owner
 * @ref: references: each fd, and the registry while the name is linked
 * @kind: enum kipc_kind
 * @id: unique while the module is loaded
 * @ns: the registry (IPC namespace) the name lives in; NULL if anonymous
 *	or unlinked
 * @name: "/name", NUL-terminated; NULL if anonymous
 * @hnode: in @ns's name table while linked
 * @uid: owner; @gid: group; @mode: permission bits
 * @ctime_ns: creation time, CLOCK_REALTIME
 * @user: whom the object's memory is charged to
 * @charge: bytes charged to @user
 * @home: the registry the object was created in, referenced while the
 *	object lives: the netlink view shows it there; NULL until published
 * @ipc_inum: the inode number of @home's IPC namespace, for events
 * @net: the creator's network namespace, referenced: where the events
 *	about the object go
 * @free: the kind's destructor, called with the last reference
 *
 * Identity fields never change after publication and need no lock. @ns,
 * @hnode and the name tables are under the registry mutex.
 */
struct kipc_obj {
	struct kref ref;
	u32 kind;
	u32 id;
	struct kipc_ns *ns;
	char *name;
	struct hlist_node hnode;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;
	u64 ctime_ns;
	struct kipc_user *user;
	u64 charge;
	struct kipc_ns *home;
	u32 ipc_inum;
	struct net *net;
	void (*free)(struct kipc_obj *obj);
};

/**
 * struct kipc_kind_ops - what the registry needs to know of a kind
 * @kind: enum kipc_kind
 * @create: a new, unnamed object from the kind's open command (which it
 *	checks), holding one reference; or an ERR_PTR
 * @get_file: a file on @obj with open flags @oflags (access mode,
 *	O_NONBLOCK), for KIPC_OPEN_* @flags (the kind's own, such as UNDO);
 *	it takes over the caller's reference, on success only
 */
struct kipc_kind_ops {
	u32 kind;
	struct kipc_obj *(*create)(const void *cmd);
	struct file *(*get_file)(struct kipc_obj *obj, int oflags, u32 flags);
};

/* registry.c */
void kipc_registry_exit(void);
struct kipc_ns *kipc_ns_get_current(void);
void kipc_ns_put(struct kipc_ns *ns);
int kipc_name_copy(char *dst, u64 uname, u32 len);
bool kipc_name_valid(const char *name, size_t len);
int kipc_obj_init(struct kipc_obj *obj, u32 kind, umode_t mode, u64 charge,
		  void (*free)(struct kipc_obj *obj));
int kipc_obj_publish(struct kipc_obj *obj, struct kipc_ns *ns,
		     const char *name, struct kipc_obj **existing);
int kipc_obj_permission(struct kipc_obj *obj, struct kipc_ns *ns, int may);
int kipc_obj_unlink(struct kipc_ns *ns, u32 kind, const char *name);
void kipc_obj_put(struct kipc_obj *obj);
int kipc_obj_get_fd(struct kipc_obj *obj, const struct kipc_kind_ops *ops,
		    u32 flags, struct file **filep);
int kipc_obj_reopen(struct file *file, struct kipc_obj *obj,
		    const struct kipc_kind_ops *ops, u32 flags,
		    struct file **filep);
int kipc_obj_open(struct kipc_ns *ns, const struct kipc_kind_ops *ops,
		  const void *cmd, u32 flags, u64 uname, u32 name_len,
		  struct file **filep);
struct kipc_obj *kipc_obj_find(struct kipc_ns *ns, u32 kind, u32 id,
			       const char *name);
struct kipc_obj *kipc_obj_next(struct kipc_ns *ns, u32 kind,
			       unsigned long *id, unsigned int *gen);

/* netlink.c: the generic netlink view; commands of uapi/linux/kipc_netlink.h */
int kipc_netlink_init(void);
void kipc_netlink_exit(void);
void kipc_nl_notify(struct kipc_obj *obj, u8 cmd);

/* mq.c: message queues; the ioctl table is in ioctl.c */
extern const struct file_operations kipc_mq_fops;
int kipc_mq_open(struct kipc_ns *ns, struct kipc_mq_open *cmd,
		 struct file **filep);
long kipc_mq_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int kipc_mq_send_cmd(struct file *file, struct kipc_mq_send *cmd);
int kipc_mq_recv_cmd(struct file *file, struct kipc_mq_recv *cmd,
		     struct kipc_ucmd *ucmd);
int kipc_mq_stat_cmd(struct file *file, struct kipc_mq_stat *cmd);
void kipc_mq_stat_obj(struct kipc_obj *obj, struct user_namespace *user_ns,
		      struct kipc_mq_stat *st);
int kipc_mq_sendv_cmd(struct file *file, struct kipc_mq_batch *cmd);
int kipc_mq_recvv_cmd(struct file *file, struct kipc_mq_batch *cmd);

/* buf.c: shared buffers; the ioctl table is in ioctl.c */
int kipc_buf_open(struct kipc_ns *ns, struct kipc_buf_open *cmd,
		  struct file **filep);
long kipc_buf_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int kipc_buf_wait_cmd(struct file *file, struct kipc_buf_wait *cmd);
int kipc_buf_wake_cmd(struct file *file, struct kipc_buf_wake *cmd);
int kipc_buf_stat_cmd(struct file *file, struct kipc_buf_stat *cmd);
void kipc_buf_stat_obj(struct kipc_obj *obj, struct user_namespace *user_ns,
		       struct kipc_buf_stat *st);
int kipc_buf_reopen(struct file *file, struct kipc_buf_reopen *cmd,
		    struct file **filep);

/* sem.c: semaphores; the ioctl table is in ioctl.c */
int kipc_sem_open(struct kipc_ns *ns, struct kipc_sem_open *cmd,
		  struct file **filep);
long kipc_sem_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int kipc_sem_wait_cmd(struct file *file, struct kipc_sem_wait *cmd);
int kipc_sem_post_cmd(struct file *file, struct kipc_sem_post *cmd);
int kipc_sem_stat_cmd(struct file *file, struct kipc_sem_stat *cmd);
void kipc_sem_stat_obj(struct kipc_obj *obj, struct user_namespace *user_ns,
		       struct kipc_sem_stat *st);
int kipc_sem_reopen(struct file *file, struct kipc_sem_reopen *cmd,
		    struct file **filep);

/**
 * struct kipc_ucmd - one ioctl call, as the dispatcher hands it over
 * @file: the fd the call came on
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
	struct file *file;
	void __user *ubuffer;
	u32 user_size;
	void *cmd;
	u32 cmd_size;
};

int kipc_ucmd_respond(struct kipc_ucmd *ucmd);

/* ioctl.c: the dispatcher and the control fd's commands */
long kipc_ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int kipc_ctl_open(struct inode *inode, struct file *file);
int kipc_ctl_release(struct inode *inode, struct file *file);

#endif /* _KIPC_H */
