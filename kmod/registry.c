// SPDX-License-Identifier: GPL-2.0
/*
 * The object registry: names per IPC namespace, ids, owners, permissions
 * and the limits on how many objects and bytes there may be.
 *
 * DOC: lifetime
 * An object is referenced by each fd on it and, while its name is linked,
 * by the registry. Unlinking drops the registry's reference; the last fd
 * closing then frees it, as for POSIX message queues. The registry of an
 * IPC namespace (struct kipc_ns) is referenced by each control fd opened
 * in it, by each linked name and by each object created in it (its
 * home, where the netlink view shows it), and holds a reference on the
 * namespace: an object pins its namespace until it is freed. At module
 * exit no fd can be open (each pins the module), so every object left is
 * a linked name, freed there.
 *
 * DOC: dead namespaces
 * Nothing tells a module that an IPC namespace has ended, yet its names
 * must not outlive it: nobody could open or unlink them, and they would
 * count against the limits until rmmod. The kernel removes a namespace's
 * POSIX queues and System V objects when it ends; kipc unlinks its names
 * once it sees that the namespace has ended: no reference is left but
 * kipc's own (no process in it, no nsfs file or mount of it) and no
 * control fd opened in it is left either (a control fd reaches the
 * names). That cannot change back: nothing can enter such a namespace
 * again. kipc looks when a control fd is opened and before it refuses an
 * object for a limit; objects open elsewhere live on, unlinked.
 *
 * One mutex guards names, namespaces and the per-user counts: creating,
 * opening by name and unlinking are not hot paths. Sending and receiving
 * never take it. The netlink events of an object's life (created,
 * unlinked, destroyed) are sent under it, so that listeners get them in
 * the order they happened.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/file.h>
#include <linux/hashtable.h>
#include <linux/ipc_namespace.h>
#include <linux/nsproxy.h>
#include <linux/proc_ns.h>
#include <linux/slab.h>
#include <linux/stringhash.h>
#include <linux/timekeeping.h>
#include <linux/user_namespace.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "kipc.h"

/**
 * struct kipc_ns - the registry of one IPC namespace
 * @ipc_ns: the namespace, referenced
 * @refs: control fds opened in it, linked names, and objects whose home
 *	it is
 * @users: of @refs, those that can reach its names: control fds and
 *	netlink requests (kipc_ns_get_current())
 * @gen: changes each time an object of this home is published or
 *	unlinked or goes away, so that a dump can tell it was interrupted
 * @node: in kipc_namespaces
 * @names: linked objects by name
 */
struct kipc_ns {
	struct ipc_namespace *ipc_ns;
	unsigned int refs;
	unsigned int users;
	unsigned int gen;
	struct list_head node;
	DECLARE_HASHTABLE(names, 8);
};

/**
 * struct kipc_user - what one user owns, for the per-user limits
 * @uid: the user
 * @objects: objects owned
 * @bytes: bytes charged
 * @node: in kipc_users
 */
struct kipc_user {
	kuid_t uid;
	unsigned int objects;
	u64 bytes;
	struct hlist_node node;
};

static DEFINE_MUTEX(kipc_registry_lock);
static LIST_HEAD(kipc_namespaces);
static DEFINE_HASHTABLE(kipc_users, 6);
static DEFINE_XARRAY_ALLOC1(kipc_ids);	/* ids from 1: 0 is "none" */
static u32 kipc_next_id;
static unsigned int kipc_nr_objects;

static void kipc_put_ipc_ns(struct ipc_namespace *ipc_ns)
{
	/* put_ipc_ns() is not exported; the namespace's own ops are */
#ifdef CONFIG_IPC_NS
	ipc_ns->ns.ops->put(&ipc_ns->ns);
#endif
}

static void kipc_reap_dead(void);

/*
 * The registry of the caller's IPC namespace, created on first use, for a
 * control fd or a netlink request: it can reach the names.
 */
struct kipc_ns *kipc_ns_get_current(void)
{
	struct ipc_namespace *ipc_ns = current->nsproxy->ipc_ns;
	struct kipc_ns *ns, *new;

	kipc_reap_dead();
	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return ERR_PTR(-ENOMEM);

	mutex_lock(&kipc_registry_lock);
	list_for_each_entry(ns, &kipc_namespaces, node) {
		if (ns->ipc_ns == ipc_ns) {
			ns->refs++;
			ns->users++;
			mutex_unlock(&kipc_registry_lock);
			kfree(new);
			return ns;
		}
	}
	new->ipc_ns = get_ipc_ns(ipc_ns);
	new->refs = 1;
	new->users = 1;
	/* never 0: netlink takes a 0 sequence for "not started" */
	new->gen = 1;
	hash_init(new->names);
	list_add(&new->node, &kipc_namespaces);
	mutex_unlock(&kipc_registry_lock);
	return new;
}

/* Called with kipc_registry_lock; returns the namespace to put, if any. */
static struct ipc_namespace *kipc_ns_put_locked(struct kipc_ns *ns)
{
	struct ipc_namespace *ipc_ns;

	lockdep_assert_held(&kipc_registry_lock);
	if (--ns->refs)
		return NULL;
	ipc_ns = ns->ipc_ns;
	list_del(&ns->node);
	kfree(ns);
	return ipc_ns;
}

/* Put what kipc_ns_get_current() got. */
void kipc_ns_put(struct kipc_ns *ns)
{
	struct ipc_namespace *ipc_ns;

	mutex_lock(&kipc_registry_lock);
	ns->users--;
	ipc_ns = kipc_ns_put_locked(ns);
	mutex_unlock(&kipc_registry_lock);
	if (ipc_ns)
		kipc_put_ipc_ns(ipc_ns);
}

/**
 * kipc_name_copy() - copy and check a name from user space
 * @dst: KIPC_NAME_MAX + 1 bytes
 * @uname: the user's pointer
 * @len: the user's length
 *
 * Return: 0, -EINVAL (not "/name"), -ENAMETOOLONG or -EFAULT.
 */
int kipc_name_copy(char *dst, u64 uname, u32 len)
{
	if (len > KIPC_NAME_MAX)
		return -ENAMETOOLONG;
	if (len < 2)
		return -EINVAL;
	if (copy_from_user(dst, u64_to_user_ptr(uname), len))
		return -EFAULT;
	dst[len] = '\0';
	return kipc_name_valid(dst, len) ? 0 : -EINVAL;
}

/* Is @name, of @len bytes, "/" and then 1 or more bytes, none '/' or NUL? */
bool kipc_name_valid(const char *name, size_t len)
{
	size_t i;

	if (len < 2 || len > KIPC_NAME_MAX || name[0] != '/')
		return false;
	for (i = 1; i < len; i++)
		if (name[i] == '/' || name[i] == '\0')
			return false;
	return true;
}

static struct kipc_user *kipc_user_find(kuid_t uid)
{
	struct kipc_user *user;

	hash_for_each_possible(kipc_users, user, node, __kuid_val(uid))
		if (uid_eq(user->uid, uid))
			return user;
	return NULL;
}

/**
 * kipc_obj_init() - give a new object its identity and charge its owner
 * @obj: embedded in the kind's object, zeroed
 * @kind: enum kipc_kind
 * @mode: permission bits, already checked and masked
 * @charge: bytes to charge to the caller against user_quota_mb
 * @free: the kind's destructor
 *
 * Return: 0, -ENOSPC (max_objects), -EDQUOT (the caller's object count or
 * byte quota) or -ENOMEM. On success the caller holds the one reference
 * and kipc_obj_put() undoes everything; on failure nothing was taken and
 * the caller frees the object itself.
 */
int kipc_obj_init(struct kipc_obj *obj, u32 kind, umode_t mode, u64 charge,
		  void (*free)(struct kipc_obj *obj))
{
	struct kipc_user *user, *new;
	u64 quota = (u64)READ_ONCE(kipc_user_quota_mb) << 20;
	kuid_t uid = current_fsuid();
	bool reaped = false;
	int ret;

	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;

	kref_init(&obj->ref);
	obj->kind = kind;
	obj->uid = uid;
	obj->gid = current_fsgid();
	obj->mode = mode;
	obj->ctime_ns = ktime_get_real_ns();
	obj->charge = charge;
	obj->free = free;
	INIT_HLIST_NODE(&obj->hnode);

again:
	mutex_lock(&kipc_registry_lock);
	user = kipc_user_find(uid);
	if (kipc_nr_objects >= READ_ONCE(kipc_max_objects)) {
		ret = -ENOSPC;
		goto out_limit;
	}
	/* a user not in the table owns nothing yet */
	if ((user ? user->objects : 0) >= READ_ONCE(kipc_max_objects_per_user) ||
	    (user ? user->bytes : 0) + charge > quota) {
		ret = -EDQUOT;
		goto out_limit;
	}
	ret = xa_alloc_cyclic(&kipc_ids, &obj->id, obj, xa_limit_32b,
			      &kipc_next_id, GFP_KERNEL);
	if (ret < 0)
		goto out_unlock;
	if (!user) {
		user = new;
		new = NULL;
		user->uid = uid;
		hash_add(kipc_users, &user->node, __kuid_val(uid));
	}
	user->objects++;
	user->bytes += charge;
	obj->user = user;
	kipc_nr_objects++;
	/* where the events about it go: see kipc_nl_notify() */
	obj->net = get_net(current->nsproxy->net_ns);
	ret = 0;
out_unlock:
	mutex_unlock(&kipc_registry_lock);
	kfree(new);
	return ret;

out_limit:
	mutex_unlock(&kipc_registry_lock);
	/* names of ended namespaces count until someone looks: look once */
	if (!reaped) {
		reaped = true;
		kipc_reap_dead();
		goto again;
	}
	kfree(new);
	return ret;
}

static struct kipc_obj *kipc_name_find(struct kipc_ns *ns, const char *name)
{
	struct kipc_obj *obj;
	u32 hash = full_name_hash(NULL, name, strlen(name));

	hash_for_each_possible(ns->names, obj, hnode, hash)
		if (!strcmp(obj->name, name))
			return obj;
	return NULL;
}

/**
 * kipc_obj_publish() - make a new object visible, linking its name unless
 *	it is taken
 * @obj: initialised, not yet visible
 * @ns: the registry of the caller: the object's home, where the netlink
 *	view shows it, and where its name is linked
 * @name: checked name, copied; NULL for an anonymous object
 * @existing: out, if the name is taken, that object, referenced
 *
 * Announces the object to the netlink event listeners.
 *
 * Return: 0, -EEXIST (then *@existing is set) or -ENOMEM.
 */
int kipc_obj_publish(struct kipc_obj *obj, struct kipc_ns *ns,
		     const char *name, struct kipc_obj **existing)
{
	struct kipc_obj *other;
	char *copy = NULL;

	if (name) {
		copy = kstrdup(name, GFP_KERNEL_ACCOUNT);
		if (!copy)
			return -ENOMEM;
	}

	mutex_lock(&kipc_registry_lock);
	if (name) {
		other = kipc_name_find(ns, name);
		if (other) {
			kref_get(&other->ref);
			mutex_unlock(&kipc_registry_lock);
			kfree(copy);
			*existing = other;
			return -EEXIST;
		}
		obj->name = copy;
		WRITE_ONCE(obj->ns, ns);
		ns->refs++;
		/* the registry's reference */
		kref_get(&obj->ref);
		hash_add(ns->names, &obj->hnode,
			 full_name_hash(NULL, name, strlen(name)));
	}
	obj->home = ns;
	obj->ipc_inum = ns->ipc_ns->ns.inum;
	ns->refs++;
	ns->gen++;
	kipc_nl_notify(obj, KIPC_NL_CMD_OBJ_ADD_NTF);
	mutex_unlock(&kipc_registry_lock);
	return 0;
}

/**
 * kipc_obj_find() - an object of a home, by id or by linked name
 * @ns: the caller's registry
 * @kind: only an object of this kind; 0 for any
 * @id: the id, or 0 to look up @name
 * @name: checked name
 *
 * Return: the object, referenced, or NULL if there is none in @ns.
 */
struct kipc_obj *kipc_obj_find(struct kipc_ns *ns, u32 kind, u32 id,
			       const char *name)
{
	struct kipc_obj *obj;

	mutex_lock(&kipc_registry_lock);
	obj = id ? xa_load(&kipc_ids, id) : kipc_name_find(ns, name);
	/* in release, waiting for the lock to leave the table: gone */
	if (obj && (obj->home != ns || (kind && obj->kind != kind) ||
		    !kref_get_unless_zero(&obj->ref)))
		obj = NULL;
	mutex_unlock(&kipc_registry_lock);
	return obj;
}

/**
 * kipc_obj_permission() - may the caller open @obj this way?
 * @obj: the object
 * @ns: the registry the caller found it in
 * @may: MAY_READ and/or MAY_WRITE
 *
 * The owner, group or other bits of the mode, as for files; CAP_IPC_OWNER
 * in the user namespace that owns @ns's IPC namespace overrides.
 *
 * Return: 0 or -EACCES.
 */
int kipc_obj_permission(struct kipc_obj *obj, struct kipc_ns *ns, int may)
{
	umode_t granted = obj->mode;

	if (uid_eq(current_fsuid(), obj->uid))
		granted >>= 6;
	else if (in_group_p(obj->gid))
		granted >>= 3;
	if (!(may & ~granted & (MAY_READ | MAY_WRITE)))
		return 0;

	if (ns_capable(ns->ipc_ns->user_ns, CAP_IPC_OWNER))
		return 0;
	return -EACCES;
}

static void kipc_obj_release(struct kref *ref)
{
	struct kipc_obj *obj = container_of(ref, struct kipc_obj, ref);
	struct ipc_namespace *ipc_ns = NULL;

	mutex_lock(&kipc_registry_lock);
	if (obj->user) {
		obj->user->objects--;
		obj->user->bytes -= obj->charge;
		if (!obj->user->objects) {
			hash_del(&obj->user->node);
			kfree(obj->user);
		}
		xa_erase(&kipc_ids, obj->id);
		kipc_nr_objects--;
	}
	/* only what was announced goes away for the listeners */
	if (obj->home) {
		obj->home->gen++;
		kipc_nl_notify(obj, KIPC_NL_CMD_OBJ_DEL_NTF);
		ipc_ns = kipc_ns_put_locked(obj->home);
	}
	mutex_unlock(&kipc_registry_lock);

	if (ipc_ns)
		kipc_put_ipc_ns(ipc_ns);
	if (obj->net)
		put_net(obj->net);
	kfree(obj->name);
	obj->free(obj);
}

void kipc_obj_put(struct kipc_obj *obj)
{
	kref_put(&obj->ref, kipc_obj_release);
}

/**
 * kipc_obj_get_fd() - a file on @obj and an fd number for it
 * @obj: the object; the caller's reference goes to the file, or is put
 *	on failure
 * @ops: its kind
 * @flags: KIPC_OPEN_*: READ and/or WRITE (at least one), NONBLOCK, CLOEXEC
 * @filep: out, the new file
 *
 * Return: the reserved fd number, or -errno. The caller answers user space
 * and then installs the file, or puts both on failure, so that an fd never
 * appears in the table without the caller learning its number.
 */
int kipc_obj_get_fd(struct kipc_obj *obj, const struct kipc_kind_ops *ops,
		    u32 flags, struct file **filep)
{
	u32 access = flags & (KIPC_OPEN_READ | KIPC_OPEN_WRITE);
	struct file *file;
	int fd, oflags;

	oflags = access == KIPC_OPEN_READ ? O_RDONLY :
		 access == KIPC_OPEN_WRITE ? O_WRONLY : O_RDWR;
	if (flags & KIPC_OPEN_NONBLOCK)
		oflags |= O_NONBLOCK;
	fd = get_unused_fd_flags(flags & KIPC_OPEN_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0) {
		kipc_obj_put(obj);
		return fd;
	}
	file = ops->get_file(obj, oflags, flags);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		kipc_obj_put(obj);
		return PTR_ERR(file);
	}
	*filep = file;
	return fd;
}

/**
 * kipc_obj_reopen() - a new open file on the object an fd refers to
 * @file: the fd's file
 * @obj: its object
 * @ops: its kind
 * @flags: KIPC_OPEN_*: READ and/or WRITE, at most @file's access, and
 *	the flags of the new file
 * @filep: out, the new file
 *
 * Needs no permission beyond @file's: whoever has the fd could use it.
 *
 * Return: as kipc_obj_get_fd(), or -EINVAL (no access asked for) or
 * -EACCES (more than @file's).
 */
int kipc_obj_reopen(struct file *file, struct kipc_obj *obj,
		    const struct kipc_kind_ops *ops, u32 flags,
		    struct file **filep)
{
	u32 access = flags & (KIPC_OPEN_READ | KIPC_OPEN_WRITE);

	if (!access)
		return -EINVAL;
	if (((access & KIPC_OPEN_READ) && !(file->f_mode & FMODE_READ)) ||
	    ((access & KIPC_OPEN_WRITE) && !(file->f_mode & FMODE_WRITE)))
		return -EACCES;
	/* the new file's reference */
	kref_get(&obj->ref);
	return kipc_obj_get_fd(obj, ops, flags, filep);
}

/* Open @obj, found or lost a race for, if the caller may; as kipc_obj_get_fd(). */
static int kipc_obj_open_existing(struct kipc_obj *obj, struct kipc_ns *ns,
				  const struct kipc_kind_ops *ops, u32 flags,
				  struct file **filep)
{
	int ret, may = 0;

	if (flags & KIPC_OPEN_READ)
		may |= MAY_READ;
	if (flags & KIPC_OPEN_WRITE)
		may |= MAY_WRITE;
	ret = kipc_obj_permission(obj, ns, may);
	if (ret) {
		kipc_obj_put(obj);
		return ret;
	}
	return kipc_obj_get_fd(obj, ops, flags, filep);
}

/**
 * kipc_obj_open() - open or create an object of any kind, up to its file
 * @ns: the caller's registry
 * @ops: the kind
 * @cmd: the kind's open command, for @ops->create
 * @flags: KIPC_OPEN_* of the command
 * @uname: the user's pointer to the name
 * @name_len: its length; 0 for an anonymous object (CREATE only)
 * @filep: out, the new file
 *
 * Looks the name up, or creates the object and links its name (opening
 * the one that won if another got there first), checks permissions
 * (whoever created it may open it, whatever its mode) and makes a file
 * with the access of @flags. A new object gets its fd and file before it
 * is published: once its name is linked (and the event listeners told),
 * nothing may fail, or a call that failed would leave a name behind.
 *
 * Return: as kipc_obj_get_fd().
 */
int kipc_obj_open(struct kipc_ns *ns, const struct kipc_kind_ops *ops,
		  const void *cmd, u32 flags, u64 uname, u32 name_len,
		  struct file **filep)
{
	u32 access = flags & (KIPC_OPEN_READ | KIPC_OPEN_WRITE);
	bool create = flags & KIPC_OPEN_CREATE;
	char name[KIPC_NAME_MAX + 1];
	struct kipc_obj *obj, *existing;
	int fd, ret;

	if (!access)
		return -EINVAL;
	if ((flags & KIPC_OPEN_EXCL) && !create)
		return -EINVAL;
	if (!name_len && !create)
		return -EINVAL;
	if (name_len) {
		ret = kipc_name_copy(name, uname, name_len);
		if (ret)
			return ret;
	}

	if (!create) {
		obj = kipc_obj_find(ns, ops->kind, 0, name);
		if (!obj)
			return -ENOENT;
		return kipc_obj_open_existing(obj, ns, ops, flags, filep);
	}

	obj = ops->create(cmd);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	fd = kipc_obj_get_fd(obj, ops, flags, filep);
	if (fd < 0)
		return fd;
	ret = kipc_obj_publish(obj, ns, name_len ? name : NULL, &existing);
	if (!ret)
		return fd;

	/* the file takes the unpublished object with it */
	fput(*filep);
	put_unused_fd(fd);
	if (ret != -EEXIST)
		return ret;
	/* lost a race, or it was there: open that */
	if ((flags & KIPC_OPEN_EXCL) || existing->kind != ops->kind) {
		kipc_obj_put(existing);
		return -EEXIST;
	}
	return kipc_obj_open_existing(existing, ns, ops, flags, filep);
}

/* Called with kipc_registry_lock; the caller puts the returned refs. */
static struct ipc_namespace *kipc_obj_unlink_locked(struct kipc_obj *obj)
{
	struct kipc_ns *ns = obj->ns;

	lockdep_assert_held(&kipc_registry_lock);
	hash_del(&obj->hnode);
	/* the registry may go with this name; don't keep pointing at it */
	WRITE_ONCE(obj->ns, NULL);
	obj->home->gen++;
	kipc_nl_notify(obj, KIPC_NL_CMD_OBJ_UNLINK_NTF);
	return kipc_ns_put_locked(ns);
}

int kipc_obj_unlink(struct kipc_ns *ns, u32 kind, const char *name)
{
	struct ipc_namespace *ipc_ns;
	struct kipc_obj *obj;

	mutex_lock(&kipc_registry_lock);
	obj = kipc_name_find(ns, name);
	if (!obj || obj->kind != kind) {
		mutex_unlock(&kipc_registry_lock);
		return -ENOENT;
	}
	if (!uid_eq(current_fsuid(), obj->uid) &&
	    !ns_capable(ns->ipc_ns->user_ns, CAP_IPC_OWNER)) {
		mutex_unlock(&kipc_registry_lock);
		return -EACCES;
	}
	ipc_ns = kipc_obj_unlink_locked(obj);
	mutex_unlock(&kipc_registry_lock);

	if (ipc_ns)
		kipc_put_ipc_ns(ipc_ns);
	/* the registry's reference */
	kipc_obj_put(obj);
	return 0;
}

/**
 * kipc_obj_next() - the next object of a home in id order, for a dump
 * @ns: the caller's registry
 * @kind: only objects of this kind; 0 for any
 * @id: in, the first id to look at; out, the id of the object found
 * @gen: out, @ns's generation as the object was found
 *
 * The registry lock is taken for each object rather than across a dump:
 * filling in an object takes its kind's locks, and a queue's lock may be
 * held across a copy to user space.
 *
 * Return: the object, referenced, or NULL if there are no more.
 */
struct kipc_obj *kipc_obj_next(struct kipc_ns *ns, u32 kind,
			       unsigned long *id, unsigned int *gen)
{
	struct kipc_obj *obj;
	unsigned long index;

	mutex_lock(&kipc_registry_lock);
	*gen = ns->gen;
	xa_for_each_start(&kipc_ids, index, obj, *id) {
		if (obj->home != ns || (kind && obj->kind != kind))
			continue;
		if (!kref_get_unless_zero(&obj->ref))
			continue;
		*id = index;
		mutex_unlock(&kipc_registry_lock);
		return obj;
	}
	mutex_unlock(&kipc_registry_lock);
	return NULL;
}

static struct kipc_obj *kipc_ns_first_name(struct kipc_ns *ns)
{
	struct kipc_obj *obj;
	int bkt;

	hash_for_each(ns->names, bkt, obj, hnode)
		return obj;
	return NULL;
}

/*
 * Has @ns's namespace ended, for kipc? Only kipc's reference is left on
 * it (see "dead namespaces"): nothing can take a new one. The initial
 * namespace never ends, and since 6.18 its count stays at 1.
 */
static bool kipc_ns_dead(struct kipc_ns *ns)
{
	lockdep_assert_held(&kipc_registry_lock);
	return IS_ENABLED(CONFIG_IPC_NS) && !ns->users &&
	       ns->ipc_ns->ns.inum != PROC_IPC_INIT_INO &&
	       __ns_ref_read(&ns->ipc_ns->ns) == 1;
}

/*
 * Unlink every name of each registry @which() picks, one at a time: the
 * registry's reference on the object is put without the lock, and a
 * registry goes with its last reference.
 */
static void kipc_unlink_all(bool (*which)(struct kipc_ns *ns))
{
	struct ipc_namespace *ipc_ns;
	struct kipc_obj *obj;
	struct kipc_ns *ns;

	for (;;) {
		obj = NULL;
		mutex_lock(&kipc_registry_lock);
		list_for_each_entry(ns, &kipc_namespaces, node) {
			if (which(ns)) {
				obj = kipc_ns_first_name(ns);
				if (obj)
					break;
			}
		}
		if (!obj) {
			mutex_unlock(&kipc_registry_lock);
			return;
		}
		ipc_ns = kipc_obj_unlink_locked(obj);
		mutex_unlock(&kipc_registry_lock);
		if (ipc_ns)
			kipc_put_ipc_ns(ipc_ns);
		kipc_obj_put(obj);
	}
}

/* The names of namespaces that have ended: see "dead namespaces". */
static void kipc_reap_dead(void)
{
	kipc_unlink_all(kipc_ns_dead);
}

static bool kipc_ns_any(struct kipc_ns *ns)
{
	return true;
}

/*
 * No fd can be open at module exit (each one pins the module), so the
 * objects left are linked names holding only the registry's reference,
 * and nothing runs concurrently. Each name holds its namespace's registry:
 * the last one unlinked frees it.
 */
void kipc_registry_exit(void)
{
	kipc_unlink_all(kipc_ns_any);
	/* a registry with no names must have had no refs left */
	WARN_ON(!list_empty(&kipc_namespaces));
	WARN_ON(!xa_empty(&kipc_ids));
	xa_destroy(&kipc_ids);
}
