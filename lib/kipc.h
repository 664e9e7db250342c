/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libkipc - the user-space side of /dev/kipc.
 *
 * Every function returns 0 (or a count, or an fd) on success and a
 * negative errno on failure; none relies on errno. The functions are
 * thread-safe: they keep no state of their own beyond the fds you pass.
 */
#ifndef _KIPC_LIB_H
#define _KIPC_LIB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/kipc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Open /dev/kipc: a control fd (O_RDWR | O_CLOEXEC), or -errno. */
int kipc_open(void);

/*
 * Ask the module behind ctl_fd what it implements (KIPC_IOC_VERSION).
 * size is sizeof(*ver) as the caller knows it, so that a library built
 * with a grown struct never writes past a caller's older, smaller one.
 */
int kipc_get_version(int ctl_fd, struct kipc_version *ver, size_t size);

/* The library's own release, "MAJOR.MINOR.PATCH". */
const char *kipc_library_version(void);

/*
 * Message queues (kipc_mq(3)). The structs below are part of the
 * library's ABI: they change only with a new symbol version.
 */

/* What a new queue is like; NULL for the defaults. */
struct kipc_mq_attr {
	unsigned int max_msgs;		/* 0: the module's default, 64 */
	unsigned int msg_size;		/* 0: the module's default, 8192 */
	unsigned int mode;		/* permission bits, less the umask */
};

/* One message, sent or received. */
struct kipc_msg {
	void *buf;			/* the payload */
	size_t len;			/* its bytes; receive: in, the buffer's
					 * size, out, the bytes copied */
	unsigned int prio;		/* 0..KIPC_MQ_PRIO_MAX, higher first */
	uint64_t type;			/* what receivers select on */
	/* filled in by receive: */
	size_t msg_len;			/* the full length (> len: truncated) */
	uint64_t timestamp_ns;		/* when queued, CLOCK_REALTIME */
	pid_t sender_pid;		/* 0 if not in our pid namespace */
	uid_t sender_uid;
};

/*
 * Open or create a queue; returns its fd. ctl_fd is a control fd from
 * kipc_open(), or -1 to use one for this call only. name is "/name", or
 * NULL for an anonymous queue (with KIPC_OPEN_CREATE). flags are
 * KIPC_OPEN_* (READ, WRITE or both; CREATE, EXCL, NONBLOCK); the fd is
 * always O_CLOEXEC. attr matters only when the call creates the queue.
 */
int kipc_mq_open(int ctl_fd, const char *name, unsigned int flags,
		 const struct kipc_mq_attr *attr);
int kipc_mq_close(int fd);
int kipc_mq_unlink(int ctl_fd, const char *name);

/*
 * timeout_ns: -1 waits as the fd says (until done, or EAGAIN if it is
 * O_NONBLOCK), 0 does not wait (EAGAIN), > 0 waits at most that long
 * (ETIMEDOUT). flags: KIPC_MQ_NONBLOCK, and for receive KIPC_MQ_TRUNCATE
 * and KIPC_MQ_PEEK. select is enum kipc_mq_select, type its key.
 */
int kipc_mq_send(int fd, const struct kipc_msg *msg, unsigned int flags,
		 int64_t timeout_ns);
int kipc_mq_receive(int fd, struct kipc_msg *msg, unsigned int select,
		    uint64_t type, unsigned int flags, int64_t timeout_ns);

/* Up to KIPC_MQ_BATCH_MAX messages per call; return the count done. */
int kipc_mq_send_batch(int fd, const struct kipc_msg *msgs,
		       unsigned int count, unsigned int flags,
		       int64_t timeout_ns);
int kipc_mq_receive_batch(int fd, struct kipc_msg *msgs, unsigned int count,
			  unsigned int select, uint64_t type,
			  unsigned int flags, int64_t timeout_ns);

/* Settings and counters; size is sizeof(*st) as the caller knows it. */
int kipc_mq_stat(int fd, struct kipc_mq_stat *st, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* _KIPC_LIB_H */
