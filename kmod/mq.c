// SPDX-License-Identifier: GPL-2.0
/*
 * Message queues: the kernel holds each message until it is received.
 *
 * DOC: message queues
 * A queue keeps its messages in one list in receive order: higher
 * priority first, FIFO within a priority. Senders wait while the queue is
 * full, receivers while nothing matches their selector; nothing is ever
 * dropped. A queue charges its owner for its whole capacity when it is
 * created (as POSIX queues do against RLIMIT_MSGQUEUE), so a full queue
 * never fails for want of quota; each message's memory is charged to the
 * sender's memory cgroup.
 *
 * q->lock is a mutex: a receive copies the payload to user space under it,
 * so a fault leaves the message where it was, in order. Payloads are
 * copied in from the sender before the lock is taken. Waiters sleep on
 * rwait (receivers) and wwait (senders) and re-check under the lock; a
 * receiver with a selector waits for q->sent to change, not for a
 * particular message, and all receivers are woken on each send.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "kipc.h"
#include "trace.h"

#define KIPC_MQ_DEFAULT_MSGS	64
#define KIPC_MQ_DEFAULT_SIZE	8192

/**
 * struct kipc_msg - one queued message
 * @node: in kipc_mq.msgs
 * @type: the sender's type
 * @prio: the sender's priority
 * @len: bytes in @data
 * @timestamp_ns: when it was queued, CLOCK_REALTIME
 * @pid: the sending process, referenced
 * @uid: the sender's euid
 * @data: the payload
 */
struct kipc_msg {
	struct list_head node;
	u64 type;
	u32 prio;
	u32 len;
	u64 timestamp_ns;
	struct pid *pid;
	kuid_t uid;
	char data[];
};

/**
 * struct kipc_mq - a message queue
 * @obj: identity, name, owner; first, so the registry can free us
 * @lock: everything below that changes
 * @msgs: the messages, in receive order
 * @max_msgs: capacity in messages; fixed at creation
 * @msg_size: largest payload; fixed at creation
 * @depth: messages queued
 * @high_water: the largest @depth so far
 * @bytes: payload bytes queued
 * @sent: messages queued, ever; receivers wait for it to change
 * @received: messages taken, ever
 * @recv_waiters: receivers asleep
 * @send_waiters: senders asleep
 * @rwait: receivers and pollers for EPOLLIN
 * @wwait: senders and pollers for EPOLLOUT
 */
struct kipc_mq {
	struct kipc_obj obj;
	/* the fields below; held across copy_to_user() in receive */
	struct mutex lock;
	struct list_head msgs;
	u32 max_msgs;
	u32 msg_size;
	u32 depth;
	u32 high_water;
	u64 bytes;
	u64 sent;
	u64 received;
	u32 recv_waiters;
	u32 send_waiters;
	wait_queue_head_t rwait;
	wait_queue_head_t wwait;
};

static void kipc_msg_free(struct kipc_msg *msg)
{
	put_pid(msg->pid);
	kvfree(msg);
}

static void kipc_mq_free(struct kipc_obj *obj)
{
	struct kipc_mq *q = container_of(obj, struct kipc_mq, obj);
	struct kipc_msg *msg, *tmp;

	list_for_each_entry_safe(msg, tmp, &q->msgs, node)
		kipc_msg_free(msg);
	mutex_destroy(&q->lock);
	kfree(q);
}

/*
 * A deadline from user space as a ktime_t: one past KTIME_MAX (292 years
 * of uptime) is KTIME_MAX, never reached, not the negative time, long
 * past, that a cast makes of it.
 */
static ktime_t kipc_mq_deadline(u64 ns)
{
	return ns_to_ktime(min_t(u64, ns, KTIME_MAX));
}

/*
 * Sleep until @cond, a signal or the absolute CLOCK_MONOTONIC @deadline
 * (if @timed). 0, -ERESTARTSYS or -ETIMEDOUT.
 */
#define kipc_wait_event(wq, cond, timed, deadline)			\
({									\
	long __ret = 0;							\
	if (!(timed)) {							\
		__ret = wait_event_interruptible(wq, cond);		\
	} else {							\
		ktime_t __left = ktime_sub(kipc_mq_deadline(deadline),	\
					   ktime_get());		\
		if (ktime_to_ns(__left) <= 0)				\
			__ret = (cond) ? 0 : -ETIME;			\
		else							\
			__ret = wait_event_interruptible_hrtimeout(wq,	\
					cond, __left);			\
	}								\
	__ret == -ETIME ? -ETIMEDOUT : (int)__ret;			\
})

static bool kipc_mq_nonblock(struct file *file, u32 flags)
{
	return (flags & KIPC_MQ_NONBLOCK) || (file->f_flags & O_NONBLOCK);
}

/* Queue @msg behind every message of its priority or higher. */
static void kipc_mq_insert(struct kipc_mq *q, struct kipc_msg *msg)
{
	struct kipc_msg *pos;

	list_for_each_entry_reverse(pos, &q->msgs, node) {
		if (pos->prio >= msg->prio) {
			list_add(&msg->node, &pos->node);
			return;
		}
	}
	list_add(&msg->node, &q->msgs);
}

/* A message with the sender's payload and identity, not yet queued. */
static struct kipc_msg *kipc_msg_new(struct kipc_mq *q, u64 ubuf, u32 len,
				     u32 prio, u64 type)
{
	struct kipc_msg *msg;

	if (prio > KIPC_MQ_PRIO_MAX)
		return ERR_PTR(-EINVAL);
	if (len > q->msg_size)
		return ERR_PTR(-EMSGSIZE);

	/*
	 * Up to mq_max_msgsize (16 MiB) and a header: beyond what the page
	 * allocator gives in one piece, and needing no contiguous pages.
	 */
	msg = kvmalloc(struct_size(msg, data, len), GFP_KERNEL_ACCOUNT);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(msg->data, u64_to_user_ptr(ubuf), len)) {
		kvfree(msg);
		return ERR_PTR(-EFAULT);
	}
	msg->type = type;
	msg->prio = prio;
	msg->len = len;
	msg->pid = get_pid(task_tgid(current));
	msg->uid = current_euid();
	return msg;
}

/* Wait until there is room for one more message. */
static int kipc_mq_wait_room(struct file *file, struct kipc_mq *q, u32 flags,
			     u64 deadline)
	__must_hold(&q->lock)
{
	int ret;

	while (q->depth >= q->max_msgs) {
		if (kipc_mq_nonblock(file, flags))
			return -EAGAIN;
		q->send_waiters++;
		trace_kipc_mq_block(q->obj.id, KIPC_TRACE_SEND, q->depth,
				    q->send_waiters);
		mutex_unlock(&q->lock);
		ret = kipc_wait_event(q->wwait,
				      READ_ONCE(q->depth) < q->max_msgs,
				      flags & KIPC_MQ_DEADLINE, deadline);
		mutex_lock(&q->lock);
		q->send_waiters--;
		trace_kipc_mq_wake(q->obj.id, KIPC_TRACE_SEND, q->depth, ret);
		if (ret)
			return ret;
	}
	return 0;
}

/* Queue @msg; the caller has made room and wakes the receivers. */
static void kipc_mq_enqueue(struct kipc_mq *q, struct kipc_msg *msg)
	__must_hold(&q->lock)
{
	msg->timestamp_ns = ktime_get_real_ns();
	kipc_mq_insert(q, msg);
	q->depth++;
	q->bytes += msg->len;
	WRITE_ONCE(q->sent, q->sent + 1);
	if (q->depth > q->high_water)
		q->high_water = q->depth;
	trace_kipc_mq_send(q->obj.id, msg->type, msg->prio, msg->len, q->depth,
			   q->recv_waiters);
	if (q->depth == q->max_msgs)
		kipc_nl_notify(&q->obj, KIPC_NL_CMD_MQ_FULL_NTF);
}

static void kipc_mq_wake_receivers(struct kipc_mq *q)
{
	wake_up_interruptible_poll(&q->rwait, EPOLLIN | EPOLLRDNORM);
}

static void kipc_mq_wake_senders(struct kipc_mq *q)
{
	wake_up_interruptible_poll(&q->wwait, EPOLLOUT | EPOLLWRNORM);
}

int kipc_mq_send_cmd(struct file *file, struct kipc_mq_send *cmd)
{
	struct kipc_mq *q = file->private_data;
	struct kipc_msg *msg;
	int ret;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	msg = kipc_msg_new(q, cmd->buf, cmd->len, cmd->prio, cmd->type);
	if (IS_ERR(msg))
		return PTR_ERR(msg);

	mutex_lock(&q->lock);
	ret = kipc_mq_wait_room(file, q, cmd->flags, cmd->deadline_ns);
	if (!ret)
		kipc_mq_enqueue(q, msg);
	mutex_unlock(&q->lock);

	if (ret) {
		kipc_msg_free(msg);
		return ret;
	}
	kipc_mq_wake_receivers(q);
	return 0;
}

/* The message @select and @type pick, in receive order; NULL if none. */
static struct kipc_msg *kipc_mq_find(struct kipc_mq *q, u32 select, u64 type)
{
	struct kipc_msg *msg, *best = NULL;

	list_for_each_entry(msg, &q->msgs, node) {
		switch (select) {
		case KIPC_MQ_SELECT_ANY:
			return msg;
		case KIPC_MQ_SELECT_EXACT:
			if (msg->type == type)
				return msg;
			break;
		case KIPC_MQ_SELECT_NOT:
			if (msg->type != type)
				return msg;
			break;
		case KIPC_MQ_SELECT_LE:
			/* the lowest type; the first of it in receive order */
			if (msg->type <= type && (!best || msg->type < best->type))
				best = msg;
			break;
		}
	}
	return best;
}

/* Wait for a message that @select and @type pick; *msgp is it. */
static int kipc_mq_wait_match(struct file *file, struct kipc_mq *q, u32 flags,
			      u64 deadline, u32 select, u64 type,
			      struct kipc_msg **msgp)
	__must_hold(&q->lock)
{
	u64 seen;
	int ret;

	while (!(*msgp = kipc_mq_find(q, select, type))) {
		if (kipc_mq_nonblock(file, flags))
			return -EAGAIN;
		seen = q->sent;
		q->recv_waiters++;
		trace_kipc_mq_block(q->obj.id, KIPC_TRACE_RECV, q->depth,
				    q->recv_waiters);
		mutex_unlock(&q->lock);
		ret = kipc_wait_event(q->rwait, READ_ONCE(q->sent) != seen,
				      flags & KIPC_MQ_DEADLINE, deadline);
		mutex_lock(&q->lock);
		q->recv_waiters--;
		trace_kipc_mq_wake(q->obj.id, KIPC_TRACE_RECV, q->depth, ret);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Copy @msg to the buffer @out describes and describe it in @out. The
 * message stays queued; on EMSGSIZE @out->msg_len says what it needs.
 */
static int kipc_mq_copy_out(struct kipc_msg *msg, struct kipc_mq_msg *out,
			    u32 flags)
{
	u32 len;

	out->msg_len = msg->len;
	if (msg->len > out->len && !(flags & KIPC_MQ_TRUNCATE))
		return -EMSGSIZE;
	len = min(msg->len, out->len);
	if (copy_to_user(u64_to_user_ptr(out->buf), msg->data, len))
		return -EFAULT;
	out->len = len;
	out->type = msg->type;
	out->prio = msg->prio;
	out->timestamp_ns = msg->timestamp_ns;
	out->sender_pid = pid_vnr(msg->pid);
	out->sender_uid = from_kuid_munged(current_user_ns(), msg->uid);
	return 0;
}

/* Take @msg off the queue; the caller frees it and wakes the senders. */
static void kipc_mq_dequeue(struct kipc_mq *q, struct kipc_msg *msg)
	__must_hold(&q->lock)
{
	list_del(&msg->node);
	q->depth--;
	q->bytes -= msg->len;
	q->received++;
	trace_kipc_mq_recv(q->obj.id, msg->type, msg->prio, msg->len, q->depth,
			   q->send_waiters, msg->timestamp_ns);
	if (!q->depth)
		kipc_nl_notify(&q->obj, KIPC_NL_CMD_MQ_EMPTY_NTF);
}

/*
 * KIPC_IOC_MQ_RECV, and read() without @ucmd. With @ucmd, the answer is
 * copied to user space before the message leaves the queue, under the
 * lock, as the payload is: a struct user space cannot be written to (a
 * read-only page) fails the call with EFAULT and leaves the message
 * queued, rather than taking a message whose length the caller never
 * learns.
 */
int kipc_mq_recv_cmd(struct file *file, struct kipc_mq_recv *cmd,
		     struct kipc_ucmd *ucmd)
{
	struct kipc_mq *q = file->private_data;
	struct kipc_mq_msg out = { .buf = cmd->buf, .len = cmd->len };
	struct kipc_msg *msg;
	int ret;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	if (cmd->select > KIPC_MQ_SELECT_NOT)
		return -EINVAL;

	mutex_lock(&q->lock);
	ret = kipc_mq_wait_match(file, q, cmd->flags, cmd->deadline_ns,
				 cmd->select, cmd->type, &msg);
	if (ret)
		goto out_unlock;
	ret = kipc_mq_copy_out(msg, &out, cmd->flags);
	cmd->msg_len = out.msg_len;
	if (ret)
		goto out_unlock;
	cmd->len = out.len;
	cmd->type = out.type;
	cmd->prio = out.prio;
	cmd->timestamp_ns = out.timestamp_ns;
	cmd->sender_pid = out.sender_pid;
	cmd->sender_uid = out.sender_uid;
	if (ucmd) {
		ret = kipc_ucmd_respond(ucmd);
		if (ret)
			goto out_unlock;
	}
	if (cmd->flags & KIPC_MQ_PEEK)
		goto out_unlock;
	kipc_mq_dequeue(q, msg);
	mutex_unlock(&q->lock);

	kipc_msg_free(msg);
	kipc_mq_wake_senders(q);
	return 0;

out_unlock:
	mutex_unlock(&q->lock);
	return ret;
}

/* Read entry @i of a batch; entries grow like command structs. */
static int kipc_mq_batch_get(const struct kipc_mq_batch *cmd, u32 i,
			     struct kipc_mq_msg *m)
{
	void __user *u = u64_to_user_ptr(cmd->msgs + (u64)i * cmd->msg_size);
	int ret;

	ret = copy_struct_from_user(m, sizeof(*m), u, cmd->msg_size);
	if (ret)
		return ret;
	return m->__reserved ? -EINVAL : 0;
}

static int kipc_mq_batch_put(const struct kipc_mq_batch *cmd, u32 i,
			     const struct kipc_mq_msg *m)
{
	void __user *u = u64_to_user_ptr(cmd->msgs + (u64)i * cmd->msg_size);

	if (copy_to_user(u, m, min_t(u32, cmd->msg_size, sizeof(*m))))
		return -EFAULT;
	return 0;
}

static int kipc_mq_batch_check(const struct kipc_mq_batch *cmd)
{
	if (cmd->__reserved || !cmd->count || cmd->count > KIPC_MQ_BATCH_MAX)
		return -EINVAL;
	if (cmd->msg_size < offsetofend(struct kipc_mq_msg, __reserved))
		return -EINVAL;
	if (cmd->msg_size > PAGE_SIZE)
		return -E2BIG;
	if (cmd->select > KIPC_MQ_SELECT_NOT)
		return -EINVAL;
	return 0;
}

/*
 * A batch is copied in a chunk at a time, outside the lock, and queued
 * under one lock hold and one wake-up per chunk; the chunk bounds the
 * kernel memory a batch holds beyond what the queue holds.
 */
#define KIPC_MQ_CHUNK_MSGS	64
#define KIPC_MQ_CHUNK_BYTES	(256 << 10)

/* Copy in entries from @first on; @chunk gets at least one or an error. */
static int kipc_mq_sendv_chunk(struct kipc_mq *q,
			       const struct kipc_mq_batch *cmd, u32 first,
			       struct list_head *chunk)
{
	struct kipc_msg *msg;
	struct kipc_mq_msg m;
	size_t bytes = 0;
	u32 i;
	int ret;

	for (i = first; i < cmd->count && i - first < KIPC_MQ_CHUNK_MSGS &&
	     bytes < KIPC_MQ_CHUNK_BYTES; i++) {
		ret = kipc_mq_batch_get(cmd, i, &m);
		if (ret)
			return ret;
		msg = kipc_msg_new(q, m.buf, m.len, m.prio, m.type);
		if (IS_ERR(msg))
			return PTR_ERR(msg);
		list_add_tail(&msg->node, chunk);
		bytes += msg->len;
	}
	return 0;
}

int kipc_mq_sendv_cmd(struct file *file, struct kipc_mq_batch *cmd)
{
	struct kipc_mq *q = file->private_data;
	struct kipc_msg *msg, *tmp;
	u32 done = 0, unwoken;
	int ret = 0, err;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	ret = kipc_mq_batch_check(cmd);
	if (ret)
		return ret;
	if (cmd->select || cmd->type)
		return -EINVAL;

	while (!ret && done < cmd->count) {
		LIST_HEAD(chunk);

		/* an error here still queues the entries before it */
		ret = kipc_mq_sendv_chunk(q, cmd, done, &chunk);

		unwoken = 0;
		mutex_lock(&q->lock);
		list_for_each_entry_safe(msg, tmp, &chunk, node) {
			if (q->depth >= q->max_msgs && unwoken) {
				/* let receivers drain it before we sleep */
				kipc_mq_wake_receivers(q);
				unwoken = 0;
			}
			err = kipc_mq_wait_room(file, q, cmd->flags,
						cmd->deadline_ns);
			if (err) {
				ret = err;
				break;
			}
			list_del(&msg->node);
			kipc_mq_enqueue(q, msg);
			done++;
			unwoken++;
		}
		mutex_unlock(&q->lock);

		if (unwoken)
			kipc_mq_wake_receivers(q);
		list_for_each_entry_safe(msg, tmp, &chunk, node)
			kipc_msg_free(msg);
	}
	return done ?: ret;
}

int kipc_mq_recvv_cmd(struct file *file, struct kipc_mq_batch *cmd)
{
	struct kipc_mq *q = file->private_data;
	struct kipc_msg *msg, *tmp;
	struct kipc_mq_msg m;
	LIST_HEAD(taken);
	u32 done = 0;
	int ret, err;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	ret = kipc_mq_batch_check(cmd);
	if (ret)
		return ret;

	/* a bad array fails now, not after a wait */
	ret = kipc_mq_batch_get(cmd, 0, &m);
	if (ret)
		return ret;

	mutex_lock(&q->lock);
	/* wait for the first message only, then take what is there */
	ret = kipc_mq_wait_match(file, q, cmd->flags, cmd->deadline_ns,
				 cmd->select, cmd->type, &msg);
	while (!ret) {
		if (done) {
			ret = kipc_mq_batch_get(cmd, done, &m);
			if (ret)
				break;
		}
		ret = kipc_mq_copy_out(msg, &m, cmd->flags);
		/* on EMSGSIZE the entry still learns the length needed */
		if (!ret || ret == -EMSGSIZE) {
			err = kipc_mq_batch_put(cmd, done, &m);
			ret = ret ?: err;
		}
		if (ret)
			break;
		kipc_mq_dequeue(q, msg);
		list_add_tail(&msg->node, &taken);
		if (++done == cmd->count)
			break;
		msg = kipc_mq_find(q, cmd->select, cmd->type);
		if (!msg)
			break;
	}
	mutex_unlock(&q->lock);

	list_for_each_entry_safe(msg, tmp, &taken, node)
		kipc_msg_free(msg);
	if (done)
		kipc_mq_wake_senders(q);
	return done ?: ret;
}

/* What a stat command answers, with owners as @user_ns sees them. */
void kipc_mq_stat_obj(struct kipc_obj *obj, struct user_namespace *user_ns,
		      struct kipc_mq_stat *cmd)
{
	struct kipc_mq *q = container_of(obj, struct kipc_mq, obj);

	mutex_lock(&q->lock);
	cmd->depth = q->depth;
	cmd->high_water = q->high_water;
	cmd->bytes = q->bytes;
	cmd->recv_waiters = q->recv_waiters;
	cmd->send_waiters = q->send_waiters;
	cmd->sent = q->sent;
	cmd->received = q->received;
	mutex_unlock(&q->lock);

	cmd->id = q->obj.id;
	cmd->max_msgs = q->max_msgs;
	cmd->msg_size = q->msg_size;
	cmd->mode = q->obj.mode;
	cmd->uid = from_kuid_munged(user_ns, q->obj.uid);
	cmd->gid = from_kgid_munged(user_ns, q->obj.gid);
	cmd->ctime_ns = q->obj.ctime_ns;
}

int kipc_mq_stat_cmd(struct file *file, struct kipc_mq_stat *cmd)
{
	struct kipc_mq *q = file->private_data;

	if (cmd->__reserved)
		return -EINVAL;
	kipc_mq_stat_obj(&q->obj, current_user_ns(), cmd);
	return 0;
}

/* read(): receive the next message, whole, whatever its type. */
static ssize_t kipc_mq_read(struct file *file, char __user *buf, size_t count,
			    loff_t *ppos)
{
	struct kipc_mq_recv cmd = {
		.buf = (u64)(uintptr_t)buf,
		.len = min_t(size_t, count, U32_MAX),
		.select = KIPC_MQ_SELECT_ANY,
	};
	int ret = kipc_mq_recv_cmd(file, &cmd, NULL);

	if (ret)
		return ret;
	return cmd.len;
}

/* write(): send one message of priority 0 and type 0. */
static ssize_t kipc_mq_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *ppos)
{
	struct kipc_mq_send cmd = {
		.buf = (u64)(uintptr_t)buf,
		.len = min_t(size_t, count, U32_MAX),
	};
	int ret;

	if (count > U32_MAX)
		return -EMSGSIZE;
	ret = kipc_mq_send_cmd(file, &cmd);
	if (ret)
		return ret;
	return count;
}

static __poll_t kipc_mq_poll(struct file *file, poll_table *wait)
{
	struct kipc_mq *q = file->private_data;
	__poll_t mask = 0;
	u32 depth;

	poll_wait(file, &q->rwait, wait);
	poll_wait(file, &q->wwait, wait);
	depth = READ_ONCE(q->depth);
	if (depth)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (depth < q->max_msgs)
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

static int kipc_mq_release(struct inode *inode, struct file *file)
{
	struct kipc_mq *q = file->private_data;

	kipc_obj_put(&q->obj);
	return 0;
}

const struct file_operations kipc_mq_fops = {
	.owner		= THIS_MODULE,
	.read		= kipc_mq_read,
	.write		= kipc_mq_write,
	.poll		= kipc_mq_poll,
	.unlocked_ioctl	= kipc_mq_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.release	= kipc_mq_release,
	.llseek		= noop_llseek,
};

static struct kipc_mq *kipc_mq_create(const struct kipc_mq_open *cmd)
{
	u32 max_msgs = cmd->max_msgs ?: min(KIPC_MQ_DEFAULT_MSGS,
					    READ_ONCE(kipc_mq_max_msgs));
	u32 msg_size = cmd->msg_size ?: min(KIPC_MQ_DEFAULT_SIZE,
					    READ_ONCE(kipc_mq_max_msgsize));
	struct kipc_mq *q;
	u64 charge;
	int ret;

	if (cmd->mode & ~0777)
		return ERR_PTR(-EINVAL);
	if (max_msgs > READ_ONCE(kipc_mq_max_msgs) ||
	    msg_size > READ_ONCE(kipc_mq_max_msgsize))
		return ERR_PTR(-EINVAL);

	q = kzalloc(sizeof(*q), GFP_KERNEL_ACCOUNT);
	if (!q)
		return ERR_PTR(-ENOMEM);
	mutex_init(&q->lock);
	INIT_LIST_HEAD(&q->msgs);
	init_waitqueue_head(&q->rwait);
	init_waitqueue_head(&q->wwait);
	q->max_msgs = max_msgs;
	q->msg_size = msg_size;

	charge = (u64)max_msgs * (msg_size + sizeof(struct kipc_msg)) +
		 sizeof(*q);
	ret = kipc_obj_init(&q->obj, KIPC_KIND_MQ,
			    cmd->mode & ~current_umask(), charge, kipc_mq_free);
	if (ret) {
		mutex_destroy(&q->lock);
		kfree(q);
		return ERR_PTR(ret);
	}
	return q;
}

static struct kipc_obj *kipc_mq_new(const void *cmd)
{
	struct kipc_mq *q = kipc_mq_create(cmd);

	return IS_ERR(q) ? ERR_CAST(q) : &q->obj;
}

static struct file *kipc_mq_get_file(struct kipc_obj *obj, int oflags,
				     u32 flags)
{
	return anon_inode_getfile("[kipc-mq]", &kipc_mq_fops,
				  container_of(obj, struct kipc_mq, obj), oflags);
}

static const struct kipc_kind_ops kipc_mq_kind = {
	.kind		= KIPC_KIND_MQ,
	.create		= kipc_mq_new,
	.get_file	= kipc_mq_get_file,
};

/**
 * kipc_mq_open() - KIPC_IOC_MQ_OPEN, up to a file ready to install
 * @ns: the caller's registry
 * @cmd: the command; @cmd->fd and @cmd->id are filled in
 * @filep: out, the new file
 *
 * Return: the reserved fd number, or -errno; see kipc_obj_open().
 */
int kipc_mq_open(struct kipc_ns *ns, struct kipc_mq_open *cmd,
		 struct file **filep)
{
	struct kipc_mq *q;
	int fd;

	if (cmd->__reserved)
		return -EINVAL;
	fd = kipc_obj_open(ns, &kipc_mq_kind, cmd, cmd->flags, cmd->name,
			   cmd->name_len, filep);
	if (fd < 0)
		return fd;
	q = (*filep)->private_data;
	cmd->fd = fd;
	cmd->id = q->obj.id;
	return fd;
}
