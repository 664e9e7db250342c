// SPDX-License-Identifier: GPL-2.0
/*
 * Semaphores: counting, waiters served in order within a bounded delay,
 * with undo per open file.
 *
 * DOC: semaphores
 * The value, the waiters and the counters are under sem->lock, a spinlock:
 * nothing under it sleeps or touches user memory. Waiters queue in the
 * order they came, each on its own stack with the count it wants.
 *
 * Whoever raises the value (a post, an undo file's release) or leaves the
 * queue without taking (a signal, a deadline, a waiter that lost a race)
 * serves the queue, under the lock, in one of two ways:
 *
 * - wake: the value is a budget; waiters are woken from the head, each
 *   whose count the budget still covers, and each takes its count when it
 *   runs, if it is still there. A running task may take it first (it
 *   "barges"); a woken waiter that finds too little serves the queue
 *   again and sleeps on in its place. Handing the value to a sleeper on
 *   every post would make a contended semaphore switch tasks on every
 *   post (a lock convoy): this is why futex-based semaphores and the
 *   kernel's mutexes let running tasks in (docs/abi.md has the
 *   measurement: dozens of times faster for 8 processes on one lock).
 * - hand-off: once the first waiter has been first for sem_handoff_us
 *   (the module parameter; 0: always), the value is given in order: the
 *   poster takes each head waiter's count for it, marks it granted and
 *   wakes it, stopping at the first the value does not cover, and new
 *   waits queue behind instead of barging. Nobody starves: not a large
 *   count behind a stream of small ones, not a waiter behind a task that
 *   takes the semaphore again as soon as it posts.
 *
 * The first waiter's clock starts when it becomes first, so after a
 * hand-off the next one gets a fresh interval of barging: a busy lock
 * hands over about once per sem_handoff_us, not on every post.
 *
 * Undo is per open file (struct kipc_sem_file), as flock() locks are: the
 * file's @held grows by what waits through it take and shrinks by what
 * posts through it give back, under sem->lock, and the file's release
 * posts what is left. Release runs once no ioctl is running on the file
 * (each holds a reference to it), so a wait cannot add to @held after it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/cred.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/ktime.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "kipc.h"
#include "trace.h"

/**
 * struct kipc_sem - a semaphore
 * @obj: identity, name, owner; first, so the registry can free us
 * @max: the largest value; fixed
 * @pollwq: pollers of its fds
 * @lock: everything below
 * @value: what waits can take now; never above @max
 * @waiters: struct kipc_sem_waiter, in the order they began to wait
 * @nr_waiters: on @waiters
 * @waits: waits that took their count, ever
 * @posts: posts that added to the value, ever
 * @sleeps: waits that went to sleep, ever
 * @undone: given back by undo files, ever
 * @undo_dropped: what undo files could not give back for @max, ever
 */
struct kipc_sem {
	struct kipc_obj obj;
	u32 max;
	wait_queue_head_t pollwq;
	/* the fields below, and every kipc_sem_file's @held */
	spinlock_t lock;
	u32 value;
	struct list_head waiters;
	u32 nr_waiters;
	u64 waits;
	u64 posts;
	u64 sleeps;
	u64 undone;
	u64 undo_dropped;
};

/**
 * struct kipc_sem_file - what one open semaphore fd has of its own
 * @sem: the semaphore, referenced
 * @undo: opened with KIPC_OPEN_UNDO; fixed
 * @held: with @undo, what waits through the file took and posts through
 *	it did not give back; under @sem->lock
 */
struct kipc_sem_file {
	struct kipc_sem *sem;
	bool undo;
	u64 held;
};

/**
 * struct kipc_sem_waiter - a task in KIPC_IOC_SEM_WAIT, on its stack
 * @node: in kipc_sem.waiters until it took its count or left
 * @task: the task
 * @count: what it waits for
 * @first_since: when it became the first waiter, CLOCK_MONOTONIC ns
 * @woken: set when it should look again; it clears it when it does
 * @granted: set with @woken when its count was taken for it (hand-off)
 */
struct kipc_sem_waiter {
	struct list_head node;
	struct task_struct *task;
	u32 count;
	u64 first_since;
	bool woken;
	bool granted;
};

static void kipc_sem_free(struct kipc_obj *obj)
{
	struct kipc_sem *sem = container_of(obj, struct kipc_sem, obj);

	WARN_ON(!list_empty(&sem->waiters));
	kfree(sem);
}

static struct kipc_sem_waiter *kipc_sem_first(struct kipc_sem *sem)
	__must_hold(&sem->lock)
{
	return list_first_entry_or_null(&sem->waiters,
					struct kipc_sem_waiter, node);
}

/* Must the value go to the waiters in order, the first one first? */
static bool kipc_sem_in_order(struct kipc_sem *sem, u64 now)
	__must_hold(&sem->lock)
{
	struct kipc_sem_waiter *first = kipc_sem_first(sem);

	return first && now - first->first_since >=
		(u64)READ_ONCE(kipc_sem_handoff_us) * NSEC_PER_USEC;
}

/* Take @w off the queue; the next one's clock starts now. */
static void kipc_sem_dequeue(struct kipc_sem *sem, struct kipc_sem_waiter *w,
			     u64 now)
	__must_hold(&sem->lock)
{
	bool was_first = sem->waiters.next == &w->node;
	struct kipc_sem_waiter *first;

	list_del(&w->node);
	sem->nr_waiters--;
	first = kipc_sem_first(sem);
	if (was_first && first)
		first->first_since = now;
}

/*
 * The waiter cannot return before it takes the lock, so it and its task
 * are there until we drop it.
 */
static void kipc_sem_wake_waiter(struct kipc_sem_waiter *w)
{
	WRITE_ONCE(w->woken, true);
	wake_up_process(w->task);
}

/*
 * Serve the queue after the value rose or a waiter left: hand off in
 * order while the first waiter has waited long enough, then wake those
 * the rest of the value covers. See "semaphores" above.
 */
static void kipc_sem_serve(struct kipc_sem *sem, u32 *woken)
	__must_hold(&sem->lock)
{
	u64 now = ktime_get_ns();
	struct kipc_sem_waiter *w;
	u32 budget;

	while (kipc_sem_in_order(sem, now)) {
		w = kipc_sem_first(sem);
		if (w->count > sem->value)
			return;
		sem->value -= w->count;
		sem->waits++;
		trace_kipc_sem_grant(sem->obj.id, w->count, sem->value, w->task,
				     now, w->first_since);
		kipc_sem_dequeue(sem, w, now);
		w->granted = true;
		kipc_sem_wake_waiter(w);
		(*woken)++;
	}

	budget = sem->value;
	list_for_each_entry(w, &sem->waiters, node) {
		if (w->count > budget)
			continue;
		budget -= w->count;
		/* one woken and not yet run keeps its share of the budget */
		if (!w->woken) {
			kipc_sem_wake_waiter(w);
			(*woken)++;
		}
		if (!budget)
			break;
	}
}

/* The value or the queue changed: let pollers look again. */
static void kipc_sem_wake_pollers(struct kipc_sem *sem)
{
	/* pollers look under sem->lock, which we dropped: none is missed */
	if (wq_has_sleeper(&sem->pollwq))
		wake_up_interruptible_poll(&sem->pollwq,
					   EPOLLIN | EPOLLRDNORM |
					   EPOLLOUT | EPOLLWRNORM);
}

/* What @sf took: to be given back when it is released. */
static void kipc_sem_took(struct kipc_sem_file *sf, u32 count)
	__must_hold(&sf->sem->lock)
{
	if (sf->undo)
		sf->held += count;
}

/* Take @count for @sf, if the value and the queue let it be taken now. */
static bool kipc_sem_take(struct kipc_sem_file *sf, u32 count,
			  struct kipc_sem_waiter *w, u64 now)
	__must_hold(&sf->sem->lock)
{
	struct kipc_sem *sem = sf->sem;

	if (count > sem->value)
		return false;
	/* in order: only the first waiter may take */
	if (kipc_sem_in_order(sem, now) &&
	    (!w || sem->waiters.next != &w->node))
		return false;
	sem->value -= count;
	sem->waits++;
	if (w)
		kipc_sem_dequeue(sem, w, now);
	kipc_sem_took(sf, count);
	return true;
}

int kipc_sem_wait_cmd(struct file *file, struct kipc_sem_wait *cmd)
{
	struct kipc_sem_file *sf = file->private_data;
	struct kipc_sem *sem = sf->sem;
	struct kipc_sem_waiter w = {
		.task = current,
		.count = cmd->count,
	};
	bool timed = cmd->flags & KIPC_SEM_DEADLINE;
	u32 woken = 0;
	u64 now;
	int ret;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	if (cmd->__reserved || !cmd->count || cmd->count > sem->max)
		return -EINVAL;

	spin_lock(&sem->lock);
	now = ktime_get_ns();
	if (kipc_sem_take(sf, cmd->count, NULL, now)) {
		trace_kipc_sem_wait(sem->obj.id, cmd->count, sem->value, 0);
		spin_unlock(&sem->lock);
		kipc_sem_wake_pollers(sem);
		return 0;
	}
	if ((cmd->flags & KIPC_SEM_NONBLOCK) || (file->f_flags & O_NONBLOCK)) {
		trace_kipc_sem_wait(sem->obj.id, cmd->count, sem->value,
				    -EAGAIN);
		spin_unlock(&sem->lock);
		return -EAGAIN;
	}
	/* a deadline already past: no need to queue to learn that */
	if (timed && now >= cmd->deadline_ns) {
		trace_kipc_sem_wait(sem->obj.id, cmd->count, sem->value,
				    -ETIMEDOUT);
		spin_unlock(&sem->lock);
		return -ETIMEDOUT;
	}
	w.first_since = now;
	list_add_tail(&w.node, &sem->waiters);
	sem->nr_waiters++;
	sem->sleeps++;
	trace_kipc_sem_block(sem->obj.id, cmd->count, sem->value,
			     sem->nr_waiters);

	for (;;) {
		spin_unlock(&sem->lock);
		ret = kipc_sleep(&w.woken, timed,
				 ns_to_ktime(cmd->deadline_ns));
		spin_lock(&sem->lock);
		/* what was given or taken counts even if a signal came too */
		if (w.granted) {
			kipc_sem_took(sf, cmd->count);
			ret = 0;
			break;
		}
		now = ktime_get_ns();
		if (w.woken && kipc_sem_take(sf, cmd->count, &w, now)) {
			ret = 0;
			break;
		}
		w.woken = false;
		if (ret)
			kipc_sem_dequeue(sem, &w, now);
		/*
		 * Lost the race, or leaving: what is left may be another's,
		 * and we may have been holding others up.
		 */
		kipc_sem_serve(sem, &woken);
		if (ret)
			break;
	}
	trace_kipc_sem_wait(sem->obj.id, cmd->count, sem->value, ret);
	spin_unlock(&sem->lock);
	kipc_sem_wake_pollers(sem);
	return ret;
}

int kipc_sem_post_cmd(struct file *file, struct kipc_sem_post *cmd)
{
	struct kipc_sem_file *sf = file->private_data;
	struct kipc_sem *sem = sf->sem;
	u32 woken = 0;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (cmd->__reserved || !cmd->count)
		return -EINVAL;

	spin_lock(&sem->lock);
	if (cmd->count > sem->max - sem->value) {
		spin_unlock(&sem->lock);
		return -EOVERFLOW;
	}
	sem->value += cmd->count;
	sem->posts++;
	sf->held -= min_t(u64, sf->held, cmd->count);
	kipc_sem_serve(sem, &woken);
	trace_kipc_sem_post(sem->obj.id, cmd->count, sem->value, woken);
	spin_unlock(&sem->lock);

	kipc_sem_wake_pollers(sem);
	return woken;
}

/*
 * What a stat command answers, with owners as @user_ns sees them; with
 * @sf, that open file's undo state too.
 */
static void kipc_sem_stat(struct kipc_sem *sem, struct kipc_sem_file *sf,
			  struct user_namespace *user_ns,
			  struct kipc_sem_stat *cmd)
{
	struct kipc_sem_waiter *first;

	spin_lock(&sem->lock);
	cmd->value = sem->value;
	cmd->waiters = sem->nr_waiters;
	first = kipc_sem_first(sem);
	cmd->first_wants = first ? first->count : 0;
	cmd->waits = sem->waits;
	cmd->posts = sem->posts;
	cmd->sleeps = sem->sleeps;
	cmd->undone = sem->undone;
	cmd->undo_dropped = sem->undo_dropped;
	if (sf) {
		cmd->held = sf->held;
		cmd->undo = sf->undo;
	}
	spin_unlock(&sem->lock);

	cmd->id = sem->obj.id;
	cmd->max = sem->max;
	cmd->mode = sem->obj.mode;
	cmd->uid = from_kuid_munged(user_ns, sem->obj.uid);
	cmd->gid = from_kgid_munged(user_ns, sem->obj.gid);
	cmd->ctime_ns = sem->obj.ctime_ns;
}

void kipc_sem_stat_obj(struct kipc_obj *obj, struct user_namespace *user_ns,
		       struct kipc_sem_stat *cmd)
{
	kipc_sem_stat(container_of(obj, struct kipc_sem, obj), NULL, user_ns,
		      cmd);
}

int kipc_sem_stat_cmd(struct file *file, struct kipc_sem_stat *cmd)
{
	struct kipc_sem_file *sf = file->private_data;

	kipc_sem_stat(sf->sem, sf, current_user_ns(), cmd);
	return 0;
}

static __poll_t kipc_sem_poll(struct file *file, poll_table *wait)
{
	struct kipc_sem_file *sf = file->private_data;
	struct kipc_sem *sem = sf->sem;
	__poll_t mask = 0;

	poll_wait(file, &sem->pollwq, wait);
	spin_lock(&sem->lock);
	if (sem->value && !kipc_sem_in_order(sem, ktime_get_ns()))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (sem->value < sem->max)
		mask |= EPOLLOUT | EPOLLWRNORM;
	spin_unlock(&sem->lock);
	return mask;
}

/* Give back what the file holds, as far as the maximum lets us. */
static void kipc_sem_undo(struct kipc_sem_file *sf)
{
	struct kipc_sem *sem = sf->sem;
	u32 woken = 0;
	u64 give;

	spin_lock(&sem->lock);
	give = min_t(u64, sf->held, sem->max - sem->value);
	sem->value += give;
	sem->undone += give;
	sem->undo_dropped += sf->held - give;
	kipc_sem_serve(sem, &woken);
	trace_kipc_sem_undo(sem->obj.id, sf->held, give, sem->value, woken);
	sf->held = 0;
	spin_unlock(&sem->lock);

	kipc_sem_wake_pollers(sem);
}

static int kipc_sem_release(struct inode *inode, struct file *file)
{
	struct kipc_sem_file *sf = file->private_data;

	if (sf->undo)
		kipc_sem_undo(sf);
	kipc_obj_put(&sf->sem->obj);
	kfree(sf);
	return 0;
}

static const struct file_operations kipc_sem_fops = {
	.owner		= THIS_MODULE,
	.poll		= kipc_sem_poll,
	.unlocked_ioctl	= kipc_sem_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.release	= kipc_sem_release,
	.llseek		= noop_llseek,
};

static struct kipc_obj *kipc_sem_create(const void *arg)
{
	const struct kipc_sem_open *cmd = arg;
	u32 max = cmd->max ?: KIPC_SEM_VALUE_MAX;
	struct kipc_sem *sem;
	int ret;

	if (cmd->mode & ~0777)
		return ERR_PTR(-EINVAL);
	if (max > KIPC_SEM_VALUE_MAX || cmd->value > max)
		return ERR_PTR(-EINVAL);

	sem = kzalloc(sizeof(*sem), GFP_KERNEL_ACCOUNT);
	if (!sem)
		return ERR_PTR(-ENOMEM);
	sem->max = max;
	sem->value = cmd->value;
	init_waitqueue_head(&sem->pollwq);
	spin_lock_init(&sem->lock);
	INIT_LIST_HEAD(&sem->waiters);

	ret = kipc_obj_init(&sem->obj, KIPC_KIND_SEM,
			    cmd->mode & ~current_umask(), sizeof(*sem),
			    kipc_sem_free);
	if (ret) {
		kfree(sem);
		return ERR_PTR(ret);
	}
	return &sem->obj;
}

static struct file *kipc_sem_get_file(struct kipc_obj *obj, int oflags,
				      u32 flags)
{
	struct kipc_sem_file *sf;
	struct file *file;

	sf = kzalloc(sizeof(*sf), GFP_KERNEL_ACCOUNT);
	if (!sf)
		return ERR_PTR(-ENOMEM);
	sf->sem = container_of(obj, struct kipc_sem, obj);
	sf->undo = flags & KIPC_OPEN_UNDO;
	file = anon_inode_getfile("[kipc-sem]", &kipc_sem_fops, sf, oflags);
	if (IS_ERR(file))
		kfree(sf);
	return file;
}

static const struct kipc_kind_ops kipc_sem_kind = {
	.kind		= KIPC_KIND_SEM,
	.create		= kipc_sem_create,
	.get_file	= kipc_sem_get_file,
};

/**
 * kipc_sem_reopen() - KIPC_IOC_SEM_REOPEN, up to a file ready to install
 * @file: the semaphore fd the call came on
 * @cmd: the command; @cmd->fd is filled in
 * @filep: out, the new file
 *
 * Return: the reserved fd number, or -errno; see kipc_obj_reopen().
 */
int kipc_sem_reopen(struct file *file, struct kipc_sem_reopen *cmd,
		    struct file **filep)
{
	struct kipc_sem_file *sf = file->private_data;
	int fd;

	if (cmd->__reserved)
		return -EINVAL;
	fd = kipc_obj_reopen(file, &sf->sem->obj, &kipc_sem_kind, cmd->flags,
			     filep);
	if (fd >= 0)
		cmd->fd = fd;
	return fd;
}

/**
 * kipc_sem_open() - KIPC_IOC_SEM_OPEN, up to a file ready to install
 * @ns: the caller's registry
 * @cmd: the command; @cmd->fd, @cmd->id and @cmd->max are filled in
 * @filep: out, the new file
 *
 * Return: the reserved fd number, or -errno; see kipc_obj_open().
 */
int kipc_sem_open(struct kipc_ns *ns, struct kipc_sem_open *cmd,
		  struct file **filep)
{
	struct kipc_sem_file *sf;
	int fd;

	if (cmd->__reserved)
		return -EINVAL;
	fd = kipc_obj_open(ns, &kipc_sem_kind, cmd, cmd->flags, cmd->name,
			   cmd->name_len, filep);
	if (fd < 0)
		return fd;
	sf = (*filep)->private_data;
	cmd->fd = fd;
	cmd->id = sf->sem->obj.id;
	cmd->max = sf->sem->max;
	return fd;
}
