// SPDX-License-Identifier: GPL-2.0
/*
 * Shared buffers: memory that processes map, and futex-like wait and wake
 * on 32-bit words in it.
 *
 * DOC: shared buffers
 * A buffer's memory is a shmem file of its own (as SysV shared memory's
 * is), made at creation, filled with zeroed pages there, so that they are
 * charged to the creator's memory cgroup, and swappable afterwards. Each
 * buffer fd is a file on that shmem inode with kipc's file operations, as
 * SysV's shm files are: the kernel's shmem code that looks at a file
 * (seals, mmap checks) finds the right inode, a mapping's vm_file is the
 * buffer fd's file, which keeps the buffer and the module alive while
 * anything is mapped, and reclaim finds the mapping through the shmem
 * mapping's i_mmap, which is what lets it swap pages out. Faults look
 * pages up in the shmem mapping. The size never changes: the inode is
 * sealed against growing and shrinking (and against new seals), and the
 * fd has no write or fallocate, so no page is ever removed while the
 * buffer lives. The inode's own open is replaced, so that reopening a
 * buffer fd through /proc/PID/fd (or a file handle) cannot give more
 * access than kipc's permission check did; the shmem one is put back
 * before the inode goes.
 *
 * Waiters sit on one list per buffer, under buf->wait_lock, with the
 * offset they wait at. A waiter reads the word and queues itself under
 * that lock; a waker takes the lock after user space changed the word.
 * Either the waker's lock comes first, and the waiter then reads the new
 * value (EAGAIN), or the waiter is queued when the waker looks: a wake
 * cannot fall between the compare and the sleep (futex's argument, with
 * the lock on both sides). The waiter reads the word through a page
 * reference taken before the lock; reclaim and migration leave a page
 * alone while someone else holds a reference, and nothing truncates, so
 * the page is the buffer's while the word is read.
 *
 * Every wake also bumps buf->wakes; a buffer fd is readable while that
 * differs from what the fd's reader last consumed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "compat.h"
#include "kipc.h"
#include "trace.h"

/**
 * struct kipc_buf - a shared buffer
 * @obj: identity, name, owner; first, so the registry can free us
 * @shmem: the memory
 * @shmem_fop: the shmem inode's own i_fop, put back when we are done
 * @size: bytes, a whole number of pages; fixed
 * @mappings: VMAs mapping it, in all processes
 * @wakes: KIPC_IOC_BUF_WAKE calls, ever; pollers watch it
 * @pollwq: pollers and readers of the fd
 * @wait_lock: the fields below
 * @waiters: struct kipc_buf_waiter, in the order they began to wait
 * @nr_waiters: on @waiters
 * @waits: waits that went to sleep, ever
 * @woken: waiters woken, ever
 */
struct kipc_buf {
	struct kipc_obj obj;
	struct file *shmem;
	const struct file_operations *shmem_fop;
	u64 size;
	atomic_t mappings;
	atomic64_t wakes;
	wait_queue_head_t pollwq;
	/* the waiter list and the counters below */
	spinlock_t wait_lock;
	struct list_head waiters;
	u32 nr_waiters;
	u64 waits;
	u64 woken;
};

/**
 * struct kipc_buf_file - what one open buffer fd has of its own
 * @buf: the buffer, referenced
 * @seen: @buf->wakes when the fd was opened or last read
 */
struct kipc_buf_file {
	struct kipc_buf *buf;
	atomic64_t seen;
};

/**
 * struct kipc_buf_waiter - a task in KIPC_IOC_BUF_WAIT, on its stack
 * @node: in kipc_buf.waiters until woken or gone
 * @task: the task
 * @offset: the word it waits at
 * @woken: set by the waker, under wait_lock, when it takes @node off
 */
struct kipc_buf_waiter {
	struct list_head node;
	struct task_struct *task;
	u64 offset;
	bool woken;
};

static struct kipc_buf *kipc_buf_of(struct file *file)
{
	struct kipc_buf_file *bf = file->private_data;

	return bf->buf;
}

static void kipc_buf_free(struct kipc_obj *obj)
{
	struct kipc_buf *buf = container_of(obj, struct kipc_buf, obj);

	WARN_ON(!list_empty(&buf->waiters));
	if (buf->shmem) {
		/* no file of ours is left: nothing can be opening it */
		file_inode(buf->shmem)->i_fop = buf->shmem_fop;
		fput(buf->shmem);
	}
	kfree(buf);
}

/* The page that holds byte @offset, referenced. */
static struct page *kipc_buf_page(struct kipc_buf *buf, u64 offset)
{
	struct address_space *mapping = buf->shmem->f_mapping;

	return shmem_read_mapping_page_gfp(mapping, offset >> PAGE_SHIFT,
					   mapping_gfp_mask(mapping));
}

/* A word's offset: 4-byte aligned and inside the buffer. */
static int kipc_buf_check_word(struct kipc_buf *buf, u64 offset)
{
	if (offset & 3)
		return -EINVAL;
	if (offset >= buf->size)
		return -ENXIO;
	return 0;
}

static u32 kipc_buf_read_word(struct page *page, u64 offset)
{
	u32 *p = kmap_local_page(page);
	u32 val = READ_ONCE(p[offset_in_page(offset) / sizeof(u32)]);

	kunmap_local(p);
	return val;
}

int kipc_buf_wait_cmd(struct file *file, struct kipc_buf_wait *cmd)
{
	struct kipc_buf *buf = kipc_buf_of(file);
	struct kipc_buf_waiter w = {
		.task = current,
		.offset = cmd->offset,
	};
	struct page *page;
	int ret;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	if (cmd->__reserved)
		return -EINVAL;
	ret = kipc_buf_check_word(buf, cmd->offset);
	if (ret)
		return ret;
	page = kipc_buf_page(buf, cmd->offset);
	if (IS_ERR(page))
		return PTR_ERR(page);

	spin_lock(&buf->wait_lock);
	if (kipc_buf_read_word(page, cmd->offset) != cmd->value) {
		trace_kipc_buf_wait(buf->obj.id, cmd->offset, cmd->value,
				    -EAGAIN);
		spin_unlock(&buf->wait_lock);
		put_page(page);
		return -EAGAIN;
	}
	list_add_tail(&w.node, &buf->waiters);
	buf->nr_waiters++;
	buf->waits++;
	trace_kipc_buf_block(buf->obj.id, cmd->offset, cmd->value,
			     buf->nr_waiters);
	spin_unlock(&buf->wait_lock);
	put_page(page);

	ret = kipc_sleep(&w.woken, cmd->flags & KIPC_BUF_DEADLINE,
			 ns_to_ktime(cmd->deadline_ns));

	spin_lock(&buf->wait_lock);
	if (w.woken) {
		/* the wake counts even if a signal or the deadline came too */
		ret = 0;
	} else {
		list_del(&w.node);
		buf->nr_waiters--;
	}
	trace_kipc_buf_wait(buf->obj.id, cmd->offset, cmd->value, ret);
	spin_unlock(&buf->wait_lock);
	return ret;
}

int kipc_buf_wake_cmd(struct file *file, struct kipc_buf_wake *cmd)
{
	struct kipc_buf *buf = kipc_buf_of(file);
	struct kipc_buf_waiter *w, *tmp;
	u32 woken = 0;
	int ret;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (cmd->__reserved || !cmd->count)
		return -EINVAL;
	ret = kipc_buf_check_word(buf, cmd->offset);
	if (ret)
		return ret;

	spin_lock(&buf->wait_lock);
	list_for_each_entry_safe(w, tmp, &buf->waiters, node) {
		if (w->offset != cmd->offset)
			continue;
		list_del(&w->node);
		buf->nr_waiters--;
		/*
		 * The waiter cannot return before it takes wait_lock, so it
		 * and its task are there until we drop it.
		 */
		WRITE_ONCE(w->woken, true);
		wake_up_process(w->task);
		if (++woken == cmd->count)
			break;
	}
	buf->woken += woken;
	atomic64_inc(&buf->wakes);
	trace_kipc_buf_wake(buf->obj.id, cmd->offset, cmd->count, woken);
	spin_unlock(&buf->wait_lock);

	/* pollers add themselves under pollwq's lock: none is missed */
	wake_up_interruptible_poll(&buf->pollwq, EPOLLIN | EPOLLRDNORM);
	return woken;
}

/* What a stat command answers, with owners as @user_ns sees them. */
void kipc_buf_stat_obj(struct kipc_obj *obj, struct user_namespace *user_ns,
		       struct kipc_buf_stat *cmd)
{
	struct kipc_buf *buf = container_of(obj, struct kipc_buf, obj);

	spin_lock(&buf->wait_lock);
	cmd->waiters = buf->nr_waiters;
	cmd->waits = buf->waits;
	cmd->woken = buf->woken;
	cmd->wakes = atomic64_read(&buf->wakes);
	spin_unlock(&buf->wait_lock);

	cmd->id = buf->obj.id;
	cmd->buf_size = buf->size;
	cmd->mappings = atomic_read(&buf->mappings);
	cmd->mode = buf->obj.mode;
	cmd->uid = from_kuid_munged(user_ns, buf->obj.uid);
	cmd->gid = from_kgid_munged(user_ns, buf->obj.gid);
	cmd->ctime_ns = buf->obj.ctime_ns;
}

int kipc_buf_stat_cmd(struct file *file, struct kipc_buf_stat *cmd)
{
	if (cmd->__reserved)
		return -EINVAL;
	kipc_buf_stat_obj(&kipc_buf_of(file)->obj, current_user_ns(), cmd);
	return 0;
}

/* Each VMA is counted: mmap, then a split, fork or mremap copy opens one */
static void kipc_buf_vm_open(struct vm_area_struct *vma)
{
	struct kipc_buf *buf = vma->vm_private_data;

	atomic_inc(&buf->mappings);
}

static void kipc_buf_vm_close(struct vm_area_struct *vma)
{
	struct kipc_buf *buf = vma->vm_private_data;

	atomic_dec(&buf->mappings);
}

static vm_fault_t kipc_buf_fault(struct vm_fault *vmf)
{
	struct kipc_buf *buf = vmf->vma->vm_private_data;
	struct page *page;

	if (vmf->pgoff >= buf->size >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS;
	page = kipc_buf_page(buf, (u64)vmf->pgoff << PAGE_SHIFT);
	if (IS_ERR(page))
		return vmf_error(PTR_ERR(page));
	/* the core locks it, maps it and drops our reference */
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct kipc_buf_vm_ops = {
	.open		= kipc_buf_vm_open,
	.close		= kipc_buf_vm_close,
	.fault		= kipc_buf_fault,
	.map_pages	= filemap_map_pages,
};

/*
 * The core has checked the access mode: no mapping without FMODE_READ,
 * no writable shared one without FMODE_WRITE, and VM_MAYWRITE is off for
 * a shared mapping of an fd opened for reading only, so mprotect() cannot
 * add PROT_WRITE later.
 */
static int kipc_buf_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct kipc_buf *buf = kipc_buf_of(file);
	u64 pages = buf->size >> PAGE_SHIFT;

	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_pgoff > pages || vma_pages(vma) > pages - vma->vm_pgoff)
		return -ENXIO;

	vm_flags_set(vma, VM_DONTEXPAND);
	vma->vm_private_data = buf;
	vma->vm_ops = &kipc_buf_vm_ops;
	kipc_buf_vm_open(vma);
	return 0;
}

/* read(): how many wakes since the last read, as a __u64. */
static ssize_t kipc_buf_read(struct file *file, char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct kipc_buf_file *bf = file->private_data;
	struct kipc_buf *buf = bf->buf;
	s64 seen, now;
	int ret;

	if (count < sizeof(u64))
		return -EINVAL;
	for (;;) {
		seen = atomic64_read(&bf->seen);
		now = atomic64_read(&buf->wakes);
		if (now != seen) {
			/* a fault loses nothing: the count is taken after */
			if (put_user((u64)(now - seen), (u64 __user *)ubuf))
				return -EFAULT;
			/* another reader of this file may have taken them */
			if (atomic64_try_cmpxchg(&bf->seen, &seen, now))
				return sizeof(u64);
			continue;
		}
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(buf->pollwq,
					       atomic64_read(&buf->wakes) !=
					       atomic64_read(&bf->seen));
		if (ret)
			return ret;
	}
}

static __poll_t kipc_buf_poll(struct file *file, poll_table *wait)
{
	struct kipc_buf_file *bf = file->private_data;
	struct kipc_buf *buf = bf->buf;

	poll_wait(file, &buf->pollwq, wait);
	if (atomic64_read(&buf->wakes) != atomic64_read(&bf->seen))
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

static int kipc_buf_release(struct inode *inode, struct file *file)
{
	struct kipc_buf_file *bf = file->private_data;

	kipc_obj_put(&bf->buf->obj);
	kfree(bf);
	return 0;
}

static const struct file_operations kipc_buf_fops = {
	.owner		= THIS_MODULE,
	.read		= kipc_buf_read,
	.poll		= kipc_buf_poll,
	.mmap		= kipc_buf_mmap,
	.unlocked_ioctl	= kipc_buf_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.release	= kipc_buf_release,
	.llseek		= noop_llseek,
};

/* The shmem inode's open, while it is a buffer's: see "shared buffers" */
static int kipc_buf_no_open(struct inode *inode, struct file *file)
{
	return -ENXIO;
}

static const struct file_operations kipc_buf_no_open_fops = {
	.owner		= THIS_MODULE,
	.open		= kipc_buf_no_open,
};

/* Allocate every page now: charged to the creator, zeroed, swappable. */
static int kipc_buf_populate(struct kipc_buf *buf)
{
	pgoff_t i;

	for (i = 0; i < buf->size >> PAGE_SHIFT; i++) {
		struct page *page = kipc_buf_page(buf, (u64)i << PAGE_SHIFT);

		if (IS_ERR(page))
			return PTR_ERR(page);
		put_page(page);
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

static struct kipc_obj *kipc_buf_create(const void *arg)
{
	const struct kipc_buf_open *cmd = arg;
	u64 max = (u64)READ_ONCE(kipc_buf_max_mb) << 20;
	struct inode *inode;
	struct file *shmem;
	struct kipc_buf *buf;
	u64 size;
	int ret;

	if (cmd->mode & ~0777)
		return ERR_PTR(-EINVAL);
	if (!cmd->buf_size || cmd->buf_size > max)
		return ERR_PTR(-EINVAL);
	size = PAGE_ALIGN(cmd->buf_size);

	buf = kzalloc(sizeof(*buf), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	buf->size = size;
	atomic_set(&buf->mappings, 0);
	atomic64_set(&buf->wakes, 0);
	init_waitqueue_head(&buf->pollwq);
	spin_lock_init(&buf->wait_lock);
	INIT_LIST_HEAD(&buf->waiters);

	/* the quota first: it is cheap, the pages are not */
	ret = kipc_obj_init(&buf->obj, KIPC_KIND_BUF,
			    cmd->mode & ~current_umask(), size + sizeof(*buf),
			    kipc_buf_free);
	if (ret) {
		kfree(buf);
		return ERR_PTR(ret);
	}
	/* from here on kipc_obj_put() undoes it all */
	shmem = shmem_file_setup("kipc-buf", size, EMPTY_VMA_FLAGS);
	if (IS_ERR(shmem)) {
		ret = PTR_ERR(shmem);
		/*
		 * shmem's internal mount has no limits: its ENOSPC is an
		 * inode it could not allocate. Ours means max_objects.
		 */
		if (ret == -ENOSPC)
			ret = -ENOMEM;
		goto out_put;
	}
	/* nobody else has seen the inode yet */
	inode = file_inode(shmem);
	SHMEM_I(inode)->seals |= F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW;
	buf->shmem_fop = inode->i_fop;
	inode->i_fop = &kipc_buf_no_open_fops;
	buf->shmem = shmem;
	ret = kipc_buf_populate(buf);
	if (ret)
		goto out_put;
	return &buf->obj;

out_put:
	kipc_obj_put(&buf->obj);
	return ERR_PTR(ret);
}

/*
 * A file on the buffer's shmem inode with kipc's operations, as
 * anon_inode_getfile() makes one on the anonymous inode.
 */
static struct file *kipc_buf_get_file(struct kipc_obj *obj, int oflags,
				      u32 flags)
{
	struct kipc_buf *buf = container_of(obj, struct kipc_buf, obj);
	struct inode *inode = file_inode(buf->shmem);
	struct kipc_buf_file *bf;
	struct file *file;

	bf = kzalloc(sizeof(*bf), GFP_KERNEL_ACCOUNT);
	if (!bf)
		return ERR_PTR(-ENOMEM);
	bf->buf = buf;
	atomic64_set(&bf->seen, atomic64_read(&buf->wakes));

	/* the file's: __fput() puts both, alloc_file_pseudo() takes neither */
	__module_get(THIS_MODULE);
	ihold(inode);
	file = alloc_file_pseudo(inode, buf->shmem->f_path.mnt, "kipc-buf",
				 oflags, &kipc_buf_fops);
	if (IS_ERR(file)) {
		iput(inode);
		module_put(THIS_MODULE);
		kfree(bf);
		return file;
	}
	file->private_data = bf;
	return file;
}

static const struct kipc_kind_ops kipc_buf_kind = {
	.kind		= KIPC_KIND_BUF,
	.create		= kipc_buf_create,
	.get_file	= kipc_buf_get_file,
};

/**
 * kipc_buf_reopen() - KIPC_IOC_BUF_REOPEN, up to a file ready to install
 * @file: the buffer fd the call came on
 * @cmd: the command; @cmd->fd is filled in
 * @filep: out, the new file
 *
 * Return: the reserved fd number, or -errno; the caller installs the file
 * once user space has the answer, as for kipc_obj_open().
 */
int kipc_buf_reopen(struct file *file, struct kipc_buf_reopen *cmd,
		    struct file **filep)
{
	int fd;

	if (cmd->__reserved)
		return -EINVAL;
	fd = kipc_obj_reopen(file, &kipc_buf_of(file)->obj, &kipc_buf_kind,
			     cmd->flags, filep);
	if (fd >= 0)
		cmd->fd = fd;
	return fd;
}

/**
 * kipc_buf_open() - KIPC_IOC_BUF_OPEN, up to a file ready to install
 * @ns: the caller's registry
 * @cmd: the command; @cmd->fd, @cmd->id and @cmd->buf_size are filled in
 * @filep: out, the new file
 *
 * Return: the reserved fd number, or -errno; see kipc_obj_open().
 */
int kipc_buf_open(struct kipc_ns *ns, struct kipc_buf_open *cmd,
		  struct file **filep)
{
	struct kipc_buf *buf;
	int fd;

	if (cmd->__reserved)
		return -EINVAL;
	fd = kipc_obj_open(ns, &kipc_buf_kind, cmd, cmd->flags, cmd->name,
			   cmd->name_len, filep);
	if (fd < 0)
		return fd;
	buf = kipc_buf_of(*filep);
	cmd->fd = fd;
	cmd->id = buf->obj.id;
	cmd->buf_size = buf->size;
	return fd;
}
