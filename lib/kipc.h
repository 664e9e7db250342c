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

/*
 * Shared buffers (kipc_buf(3)): memory to mmap in several processes, with
 * futex-like wait and wake on 32-bit words in it.
 */

/* What a new buffer is like. */
struct kipc_buf_attr {
	uint64_t size;			/* bytes, rounded up to whole pages */
	unsigned int mode;		/* permission bits, less the umask */
};

/*
 * Open or create a buffer; returns its fd (always O_CLOEXEC). ctl_fd and
 * name as for kipc_mq_open(). flags are KIPC_OPEN_* (READ, WRITE or both;
 * CREATE, EXCL, NONBLOCK). attr is required with KIPC_OPEN_CREATE and
 * ignored otherwise; size, if not NULL, gets the buffer's real size.
 */
int kipc_buf_open(int ctl_fd, const char *name, unsigned int flags,
		  const struct kipc_buf_attr *attr, uint64_t *size);
int kipc_buf_close(int fd);
int kipc_buf_unlink(int ctl_fd, const char *name);

/*
 * A new fd on the same buffer, an open file of its own (unlike dup()):
 * with its own readiness for poll, so that two processes sharing a buffer
 * fd can each wait in epoll. flags: KIPC_OPEN_READ and/or WRITE (at most
 * fd's access), NONBLOCK; always O_CLOEXEC.
 */
int kipc_buf_reopen(int fd, unsigned int flags);

/*
 * Map length bytes of the buffer from offset (page-aligned); length 0
 * maps the rest of the buffer. prot is PROT_READ or PROT_READ|PROT_WRITE.
 * *addr gets the mapping; *mapped, if not NULL, its length. The mapping
 * outlives the fd; kipc_buf_unmap() (munmap) ends it.
 */
int kipc_buf_map(int fd, uint64_t offset, size_t length, int prot,
		 void **addr, size_t *mapped);
int kipc_buf_unmap(void *addr, size_t length);

/*
 * Sleep while the 32-bit word at offset holds value, until a wake there:
 * 0 when woken, -EAGAIN if the word differs, -ETIMEDOUT, -EINTR.
 * timeout_ns: -1 no limit, > 0 at most that long (0 is -EINVAL: a wait
 * that cannot sleep is a load).
 */
int kipc_buf_wait(int fd, uint64_t offset, uint32_t value,
		  int64_t timeout_ns);
/* Wake up to count waiters at offset (KIPC_BUF_WAKE_ALL: all); returns
 * how many were woken. */
int kipc_buf_wake(int fd, uint64_t offset, unsigned int count);
int kipc_buf_stat(int fd, struct kipc_buf_stat *st, size_t size);

/*
 * Semaphores (kipc_sem_open(3)): counting, waiters served in order, and undo:
 * what waits through an fd opened with KIPC_OPEN_UNDO took is given back
 * when that open file is released, by close() or by the process dying.
 */

/* What a new semaphore is like; NULL: value 0, maximum
 * KIPC_SEM_VALUE_MAX, mode 0600. */
struct kipc_sem_attr {
	unsigned int value;		/* initial value */
	unsigned int max;		/* 0: KIPC_SEM_VALUE_MAX */
	unsigned int mode;		/* permission bits, less the umask */
};

/*
 * Open or create a semaphore; returns its fd (always O_CLOEXEC). ctl_fd
 * and name as for kipc_mq_open(). flags are KIPC_OPEN_* (READ to wait,
 * WRITE to post, both for a lock; CREATE, EXCL, NONBLOCK, UNDO). attr
 * matters only when the call creates the semaphore.
 */
int kipc_sem_open(int ctl_fd, const char *name, unsigned int flags,
		  const struct kipc_sem_attr *attr);
int kipc_sem_close(int fd);
int kipc_sem_unlink(int ctl_fd, const char *name);

/*
 * A new fd on the same semaphore, an open file of its own (unlike dup()),
 * with an undo count of its own starting at 0: what a child that
 * inherited the fd does to hold the semaphore on its own account. flags:
 * KIPC_OPEN_READ and/or WRITE (at most fd's access), UNDO, NONBLOCK.
 */
int kipc_sem_reopen(int fd, unsigned int flags);

/*
 * Take count (1 to the maximum) from the value: wait sleeps until it can
 * (or fails with -EAGAIN on an fd opened NONBLOCK), trywait fails with
 * -EAGAIN rather than sleep, timedwait sleeps at most timeout_ns (>= 0)
 * and then fails with -ETIMEDOUT. All three fail with -EINTR on a signal
 * (without SA_RESTART; with it, a timed wait keeps its deadline).
 */
int kipc_sem_wait(int fd, unsigned int count);
int kipc_sem_trywait(int fd, unsigned int count);
int kipc_sem_timedwait(int fd, unsigned int count, int64_t timeout_ns);
/* Add count; -EOVERFLOW, changing nothing, past the maximum. Returns the
 * number of waiters it woke. */
int kipc_sem_post(int fd, unsigned int count);
int kipc_sem_getvalue(int fd, unsigned int *value);
int kipc_sem_stat(int fd, struct kipc_sem_stat *st, size_t size);

/*
 * Rings (kipc_ring(3)): variable-length records in a shared buffer, from
 * one producer to one consumer, without copies or system calls while
 * neither side has to wait. The first page of the buffer holds the
 * ring's header, the rest (rounded down to a power of two) its records.
 * Each process opens its own side on its own fd of the buffer (opened for
 * reading and writing); the handle is not shared between threads.
 */
struct kipc_ring;

/* kipc_ring_open() flags */
enum kipc_ring_flags {
	KIPC_RING_PRODUCER = 1 << 0,	/* this side writes records */
	KIPC_RING_CONSUMER = 1 << 1,	/* this side reads them */
	KIPC_RING_FORMAT = 1 << 2,	/* lay out an empty ring first */
};

/*
 * The buffer size a ring with data_size bytes of records needs (a power
 * of two, at least 4096, up to 2^31), or 0 if data_size is none of those.
 */
uint64_t kipc_ring_buffer_size(uint64_t data_size);

/*
 * Open one side of the ring in buffer fd (the ring reopens it with
 * kipc_buf_reopen(); close yours when you like). flags: KIPC_RING_PRODUCER or KIPC_RING_CONSUMER,
 * and KIPC_RING_FORMAT to write an empty ring over the buffer: do it
 * once, before the other side opens. Errors: -EINVAL (flags), -EPROTO
 * (no ring or a damaged header), -ENOSPC (buffer too small), those of
 * mmap and of kipc_buf_stat().
 */
int kipc_ring_open(int fd, unsigned int flags, struct kipc_ring **ring);
void kipc_ring_close(struct kipc_ring *ring);

/*
 * The ring's fd, for poll and epoll: a reserve or peek that fails with
 * -EAGAIN (timeout 0) asks the other side to wake this one, and the fd
 * becomes readable when it does; read() 8 bytes from it to clear that,
 * then try again. The fd is the ring's own open file (non-blocking), so
 * the other side's reads never take its wakes.
 */
int kipc_ring_fd(const struct kipc_ring *ring);

/* The largest record the ring takes, in bytes. */
size_t kipc_ring_max_record(const struct kipc_ring *ring);

/*
 * Producer: reserve room for a record of len bytes, fill it in place at
 * *data, then commit it (len may shrink at commit). One reservation at a
 * time. timeout_ns as for kipc_buf_wait(), and 0 does not wait (-EAGAIN).
 * Errors: -EMSGSIZE (len > max record), -EAGAIN, -ETIMEDOUT, -EINTR,
 * -EPROTO (the shared header was damaged; nothing outside the buffer was
 * touched), -EBUSY (reserve twice), -EINVAL (commit without reserve).
 */
int kipc_ring_reserve(struct kipc_ring *ring, size_t len, void **data,
		      int64_t timeout_ns);
int kipc_ring_commit(struct kipc_ring *ring, size_t len);

/*
 * Consumer: peek at the oldest record in place (again the same one until
 * it is released), then release it. Errors as above; -EPROTO also for a
 * record that does not fit the ring. After -EPROTO every call on the
 * handle fails with -EPROTO.
 */
int kipc_ring_peek(struct kipc_ring *ring, const void **data, size_t *len,
		   int64_t timeout_ns);
int kipc_ring_release(struct kipc_ring *ring);

/* Copying forms: write one record; read one into buf (-EMSGSIZE if it
 * does not fit; the record stays). read returns the record's length. */
int kipc_ring_write(struct kipc_ring *ring, const void *data, size_t len,
		    int64_t timeout_ns);
ssize_t kipc_ring_read(struct kipc_ring *ring, void *buf, size_t size,
		       int64_t timeout_ns);

#ifdef __cplusplus
}
#endif

#endif /* _KIPC_LIB_H */
