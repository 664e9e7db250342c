// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libkipc: message queues. Thin: the kernel does the work; the library
 * fills in sizes, turns relative timeouts into the kernel's absolute
 * deadlines and pointers into __u64.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "kipc.h"
#include "internal.h"

#define MQ_USER_FLAGS	(KIPC_MQ_NONBLOCK | KIPC_MQ_TRUNCATE | KIPC_MQ_PEEK)

/*
 * The kernel's flags and deadline for a relative timeout. The deadline is
 * absolute, so a call restarted after a signal does not wait longer.
 */
static int kipc_wait_flags(unsigned int flags, int64_t timeout_ns,
			   __u32 *kflags, __u64 *deadline)
{
	int ret;

	if (flags & ~MQ_USER_FLAGS || timeout_ns < -1)
		return -EINVAL;
	*kflags = flags;
	*deadline = 0;
	if (timeout_ns == 0) {
		*kflags |= KIPC_MQ_NONBLOCK;
	} else if (timeout_ns > 0) {
		ret = kipc_deadline(timeout_ns, deadline);
		if (ret)
			return ret;
		*kflags |= KIPC_MQ_DEADLINE;
	}
	return 0;
}

int kipc_mq_open(int ctl_fd, const char *name, unsigned int flags,
		 const struct kipc_mq_attr *attr)
{
	struct kipc_mq_open o = {
		.size = sizeof(o),
		.flags = flags | KIPC_OPEN_CLOEXEC,
		.name = (uintptr_t)name,
		.mode = attr ? attr->mode : 0600,
		.max_msgs = attr ? attr->max_msgs : 0,
		.msg_size = attr ? attr->msg_size : 0,
	};
	int ret;

	ret = kipc_name_len(name, &o.name_len);
	if (ret)
		return ret;
	ret = kipc_with_ctl(ctl_fd, KIPC_IOC_MQ_OPEN, &o);
	return ret < 0 ? ret : o.fd;
}

int kipc_mq_close(int fd)
{
	return close(fd) ? -errno : 0;
}

int kipc_mq_unlink(int ctl_fd, const char *name)
{
	return kipc_unlink_kind(ctl_fd, KIPC_KIND_MQ, name);
}

/* Lengths beyond 32 bits are too long for any queue. */
static bool kipc_len_ok(size_t len)
{
	return len <= UINT32_MAX;
}

int kipc_mq_send(int fd, const struct kipc_msg *msg, unsigned int flags,
		 int64_t timeout_ns)
{
	struct kipc_mq_send s = { .size = sizeof(s) };
	int ret;

	if (!msg || flags & (KIPC_MQ_TRUNCATE | KIPC_MQ_PEEK))
		return -EINVAL;
	if (!kipc_len_ok(msg->len))
		return -EMSGSIZE;
	ret = kipc_wait_flags(flags, timeout_ns, &s.flags, &s.deadline_ns);
	if (ret)
		return ret;
	s.buf = (uintptr_t)msg->buf;
	s.len = msg->len;
	s.prio = msg->prio;
	s.type = msg->type;
	return kipc_ioctl(fd, KIPC_IOC_MQ_SEND, &s);
}

int kipc_mq_receive(int fd, struct kipc_msg *msg, unsigned int select,
		    uint64_t type, unsigned int flags, int64_t timeout_ns)
{
	struct kipc_mq_recv r = { .size = sizeof(r) };
	int ret;

	if (!msg)
		return -EINVAL;
	ret = kipc_wait_flags(flags, timeout_ns, &r.flags, &r.deadline_ns);
	if (ret)
		return ret;
	r.buf = (uintptr_t)msg->buf;
	/* a bigger buffer than any message can be is just as good */
	r.len = kipc_len_ok(msg->len) ? msg->len : UINT32_MAX;
	r.select = select;
	r.type = type;
	ret = kipc_ioctl(fd, KIPC_IOC_MQ_RECV, &r);
	if (ret == -EMSGSIZE)
		msg->msg_len = r.msg_len;
	if (ret)
		return ret;
	msg->len = r.len;
	msg->prio = r.prio;
	msg->type = r.type;
	msg->msg_len = r.msg_len;
	msg->timestamp_ns = r.timestamp_ns;
	msg->sender_pid = r.sender_pid;
	msg->sender_uid = r.sender_uid;
	return 0;
}

/* The kernel's array for a batch: on the stack if small. */
#define BATCH_STACK	32

struct kipc_batch_buf {
	struct kipc_mq_msg stack[BATCH_STACK];
	struct kipc_mq_msg *m;
};

static int kipc_batch_alloc(struct kipc_batch_buf *b, unsigned int count)
{
	if (!count || count > KIPC_MQ_BATCH_MAX)
		return -EINVAL;
	b->m = b->stack;
	if (count > BATCH_STACK) {
		b->m = calloc(count, sizeof(*b->m));
		if (!b->m)
			return -ENOMEM;
	} else {
		memset(b->stack, 0, count * sizeof(*b->m));
	}
	return 0;
}

/* Flags, deadline and the kernel's array for a batch of b->count. */
static int kipc_batch_start(struct kipc_mq_batch *b, struct kipc_batch_buf *buf,
			    unsigned int flags, int64_t timeout_ns)
{
	int ret;

	ret = kipc_wait_flags(flags, timeout_ns, &b->flags, &b->deadline_ns);
	if (ret)
		return ret;
	ret = kipc_batch_alloc(buf, b->count);
	if (ret)
		return ret;
	b->size = sizeof(*b);
	b->msg_size = sizeof(struct kipc_mq_msg);
	b->msgs = (uintptr_t)buf->m;
	return 0;
}

static void kipc_batch_free(struct kipc_batch_buf *b)
{
	if (b->m != b->stack)
		free(b->m);
}

int kipc_mq_send_batch(int fd, const struct kipc_msg *msgs,
		       unsigned int count, unsigned int flags,
		       int64_t timeout_ns)
{
	struct kipc_mq_batch b = {
		.count = count,
	};
	struct kipc_batch_buf buf;
	unsigned int i;
	int ret;

	if (!msgs || flags & (KIPC_MQ_TRUNCATE | KIPC_MQ_PEEK))
		return -EINVAL;
	ret = kipc_batch_start(&b, &buf, flags, timeout_ns);
	if (ret)
		return ret;
	for (i = 0; i < count; i++) {
		/* the kernel stops at a bad entry; so do we */
		if (!kipc_len_ok(msgs[i].len)) {
			buf.m[i].len = UINT32_MAX;
			break;
		}
		buf.m[i].buf = (uintptr_t)msgs[i].buf;
		buf.m[i].len = msgs[i].len;
		buf.m[i].prio = msgs[i].prio;
		buf.m[i].type = msgs[i].type;
	}
	ret = kipc_ioctl(fd, KIPC_IOC_MQ_SENDV, &b);
	kipc_batch_free(&buf);
	return ret;
}

int kipc_mq_receive_batch(int fd, struct kipc_msg *msgs, unsigned int count,
			  unsigned int select, uint64_t type,
			  unsigned int flags, int64_t timeout_ns)
{
	struct kipc_mq_batch b = {
		.count = count,
		.select = select,
		.type = type,
	};
	struct kipc_batch_buf buf;
	unsigned int i;
	int ret;

	if (!msgs || flags & KIPC_MQ_PEEK)
		return -EINVAL;
	ret = kipc_batch_start(&b, &buf, flags, timeout_ns);
	if (ret)
		return ret;
	for (i = 0; i < count; i++) {
		buf.m[i].buf = (uintptr_t)msgs[i].buf;
		buf.m[i].len = kipc_len_ok(msgs[i].len) ? msgs[i].len :
							   UINT32_MAX;
	}
	ret = kipc_ioctl(fd, KIPC_IOC_MQ_RECVV, &b);
	/* the entry after the last one done may say how long it is */
	if (ret >= 0 && (unsigned int)ret < count)
		msgs[ret].msg_len = buf.m[ret].msg_len;
	else if (ret == -EMSGSIZE)
		msgs[0].msg_len = buf.m[0].msg_len;
	for (i = 0; ret > 0 && i < (unsigned int)ret; i++) {
		msgs[i].len = buf.m[i].len;
		msgs[i].prio = buf.m[i].prio;
		msgs[i].type = buf.m[i].type;
		msgs[i].msg_len = buf.m[i].msg_len;
		msgs[i].timestamp_ns = buf.m[i].timestamp_ns;
		msgs[i].sender_pid = buf.m[i].sender_pid;
		msgs[i].sender_uid = buf.m[i].sender_uid;
	}
	kipc_batch_free(&buf);
	return ret;
}

int kipc_mq_stat(int fd, struct kipc_mq_stat *st, size_t size)
{
	return kipc_sized_ioctl(fd, KIPC_IOC_MQ_STAT, st, size);
}
