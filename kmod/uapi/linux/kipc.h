/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kipc - kernel-mediated IPC objects behind /dev/kipc
 *
 * This header is the whole ABI between the kipc module and user space.
 */
#ifndef _UAPI_LINUX_KIPC_H
#define _UAPI_LINUX_KIPC_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define KIPC_DEVICE_PATH	"/dev/kipc"

/*
 * The ABI version changes only if an existing command changes in an
 * incompatible way, which is not planned; additions are announced in
 * kipc_version.features and by growing structs (see below) instead. A
 * program checks features, not this number, for what it needs.
 */
#define KIPC_ABI_VERSION	1

/**
 * DOC: General ioctl format
 *
 * Every ioctl takes a pointer to a struct that starts with two __u32
 * fields, ``size`` and ``flags``. Callers set ``size`` to the sizeof() of
 * the struct they were compiled with; this is how structs grow without new
 * command numbers (the scheme of iommufd, openat2 and clone3):
 *
 * - a size smaller than the struct's first published version is EINVAL;
 * - a size larger than the kernel knows is accepted only if every byte the
 *   kernel does not know is zero, otherwise E2BIG; a size larger than the
 *   page size is always E2BIG (as for openat2 and clone3);
 * - the kernel writes back at most ``size`` bytes, so an old binary on a
 *   new kernel and a new binary on an old kernel both keep working.
 *
 * Fields named ``__reserved`` must be zero (EINVAL otherwise). Flags the
 * kernel does not know are rejected with EINVAL, never ignored, so that a
 * flag can be given a meaning later without breaking anyone. Pointers are
 * passed as __aligned_u64. Command numbers are _IO(KIPC_TYPE, nr): the size
 * lives in the struct, not in the command.
 */
#define KIPC_TYPE	0xBC

/* Commands on the control fd (/dev/kipc). */
enum {
	KIPC_CMD_BASE = 0x00,
	KIPC_CMD_VERSION = KIPC_CMD_BASE,
	KIPC_CMD_MQ_OPEN,
	KIPC_CMD_UNLINK,
	KIPC_CMD_BUF_OPEN,
	KIPC_CMD_SEM_OPEN,
};

/* Commands on a message queue fd. */
enum {
	KIPC_CMD_MQ_BASE = 0x20,
	KIPC_CMD_MQ_SEND = KIPC_CMD_MQ_BASE,
	KIPC_CMD_MQ_RECV,
	KIPC_CMD_MQ_STAT,
	KIPC_CMD_MQ_SENDV,
	KIPC_CMD_MQ_RECVV,
};

/* Commands on a shared buffer fd. */
enum {
	KIPC_CMD_BUF_BASE = 0x40,
	KIPC_CMD_BUF_WAIT = KIPC_CMD_BUF_BASE,
	KIPC_CMD_BUF_WAKE,
	KIPC_CMD_BUF_STAT,
	KIPC_CMD_BUF_REOPEN,
};

/* Commands on a semaphore fd. */
enum {
	KIPC_CMD_SEM_BASE = 0x60,
	KIPC_CMD_SEM_WAIT = KIPC_CMD_SEM_BASE,
	KIPC_CMD_SEM_POST,
	KIPC_CMD_SEM_STAT,
	KIPC_CMD_SEM_REOPEN,
};

/**
 * DOC: Error codes
 *
 * Errors every command may return:
 *
 * ENOTTY  the command number is not a kipc command
 * EFAULT  the argument pointer, or a pointer inside it, cannot be accessed
 * EINVAL  size below the minimum, an unknown flag, or a non-zero
 *         __reserved field
 * E2BIG   size above what the kernel knows, with non-zero bytes beyond it,
 *         or above the page size
 * ENOMEM  the kernel could not allocate memory
 *
 * Each command documents the errors of its own below.
 */

/**
 * struct kipc_version - KIPC_IOC_VERSION: what the module implements
 * @size: sizeof(struct kipc_version)
 * @flags: must be 0
 * @abi_version: out, KIPC_ABI_VERSION of the module
 * @__reserved: must be 0
 * @features: out, KIPC_FEATURE_* bits for the object kinds and commands
 *            the module implements
 *
 * Works on the control fd (/dev/kipc). No errors of its own. The module's
 * release is in /sys/module/kipc/version, not in the ABI.
 */
struct kipc_version {
	__u32 size;
	__u32 flags;
	__u32 abi_version;
	__u32 __reserved;
	__aligned_u64 features;
};

#define KIPC_IOC_VERSION	_IO(KIPC_TYPE, KIPC_CMD_VERSION)

/* kipc_version.features */
#define KIPC_FEATURE_MQ		_BITULL(0)	/* message queues */
#define KIPC_FEATURE_MQ_BATCH	_BITULL(1)	/* KIPC_IOC_MQ_SENDV/RECVV */
#define KIPC_FEATURE_BUF	_BITULL(2)	/* shared buffers */
#define KIPC_FEATURE_SEM	_BITULL(3)	/* semaphores */

/**
 * DOC: Objects and names
 *
 * Objects (message queues, shared buffers and semaphores) are
 * opened or created through the control fd and handed out as an fd of
 * their own. A named object lives in the registry of the creator's IPC
 * namespace until it is unlinked, and is freed when it is unlinked and its
 * last fd is closed. An anonymous object (name_len 0) has no name; it lives
 * while an fd refers to it and is shared by passing that fd.
 *
 * Names are POSIX-style: a '/' followed by 1 to KIPC_NAME_MAX - 1 bytes
 * that are neither '/' nor NUL, passed as a pointer and a length (no
 * terminating NUL needed). Other names are EINVAL; longer ones are
 * ENAMETOOLONG.
 *
 * Every object has an owner (the creator's fsuid and fsgid) and a mode
 * (the creator's mode & 0777 & ~umask). Opening for reading needs the read
 * bit, for writing the write bit, of the owner, group or other class the
 * caller falls in; CAP_IPC_OWNER in the namespace's user namespace
 * overrides. Unlinking needs to be the owner or to have CAP_IPC_OWNER.
 */
#define KIPC_NAME_MAX		255

enum kipc_kind {
	KIPC_KIND_MQ = 1,
	KIPC_KIND_BUF = 2,
	KIPC_KIND_SEM = 3,
};

/* Flags of the open commands, and of the reopen commands where they say */
enum kipc_open_flags {
	KIPC_OPEN_READ = 1 << 0,	/* receive through the fd */
	KIPC_OPEN_WRITE = 1 << 1,	/* send through the fd */
	KIPC_OPEN_CREATE = 1 << 2,	/* create if it does not exist */
	KIPC_OPEN_EXCL = 1 << 3,	/* with CREATE: EEXIST if it does */
	KIPC_OPEN_NONBLOCK = 1 << 4,	/* O_NONBLOCK on the new fd */
	KIPC_OPEN_CLOEXEC = 1 << 5,	/* O_CLOEXEC on the new fd */
	KIPC_OPEN_UNDO = 1 << 6,	/* semaphores only: see "Undo" */
};

/**
 * struct kipc_mq_open - KIPC_IOC_MQ_OPEN: open or create a message queue
 * @size: sizeof(struct kipc_mq_open)
 * @flags: KIPC_OPEN_*; READ, WRITE or both are required
 * @name: pointer to the name; ignored when @name_len is 0
 * @name_len: bytes of the name; 0 creates an anonymous queue (CREATE)
 * @mode: with CREATE, the permission bits (0777 at most), less the umask
 * @max_msgs: with CREATE, messages the queue holds (0: 64, capped by the
 *            mq_max_msgs module parameter)
 * @msg_size: with CREATE, the largest message in bytes (0: 8192, capped by
 *            mq_max_msgsize)
 * @fd: out, the queue's new fd
 * @__reserved: must be 0
 * @id: out, the queue's id, unique while the module is loaded, never 0
 *
 * Errors: ENOENT (no such queue, no CREATE), EEXIST (CREATE|EXCL and it
 * exists), EACCES (mode), EINVAL (bad name, mode, sizes above the limits,
 * neither READ nor WRITE, anonymous without CREATE), ENAMETOOLONG, ENOSPC
 * (the module's max_objects reached), EDQUOT (the owner's object count or
 * byte quota reached), EMFILE (no free fd). An existing queue keeps its
 * own mode and sizes: @mode, @max_msgs and @msg_size are not applied to
 * it, but with CREATE they are checked first and must be valid for a new
 * queue (unlike POSIX mq_open(), which ignores its attr then).
 */
struct kipc_mq_open {
	__u32 size;
	__u32 flags;
	__aligned_u64 name;
	__u32 name_len;
	__u32 mode;
	__u32 max_msgs;
	__u32 msg_size;
	__s32 fd;
	__u32 __reserved;
	__aligned_u64 id;
};

#define KIPC_IOC_MQ_OPEN	_IO(KIPC_TYPE, KIPC_CMD_MQ_OPEN)

/**
 * struct kipc_unlink - KIPC_IOC_UNLINK: remove a name from the registry
 * @size: sizeof(struct kipc_unlink)
 * @flags: must be 0
 * @kind: enum kipc_kind of the object
 * @name_len: bytes of the name
 * @name: pointer to the name
 *
 * The object lives on while fds refer to it; a new object may take the
 * name at once. Errors: ENOENT (no such object of that kind), EACCES (not
 * the owner and no CAP_IPC_OWNER), EINVAL (bad kind or name).
 */
struct kipc_unlink {
	__u32 size;
	__u32 flags;
	__u32 kind;
	__u32 name_len;
	__aligned_u64 name;
};

#define KIPC_IOC_UNLINK		_IO(KIPC_TYPE, KIPC_CMD_UNLINK)

/**
 * DOC: Messages
 *
 * A message is a payload of 0 to msg_size bytes with a priority (0 to
 * KIPC_MQ_PRIO_MAX, higher first, FIFO within a priority) and a type, a
 * 64-bit key that receivers can select on. The kernel keeps each message
 * until it is received: a full queue blocks the sender or fails with
 * EAGAIN, it never drops. A receiver learns the sender's pid and uid as
 * seen from the receiver's namespaces (0 and the overflow uid when not
 * visible) and when the message was queued (CLOCK_REALTIME).
 *
 * Blocking follows the fd's O_NONBLOCK unless KIPC_MQ_NONBLOCK asks not
 * to block for one call. KIPC_MQ_DEADLINE bounds the wait by deadline_ns,
 * an absolute CLOCK_MONOTONIC time: ETIMEDOUT after it. A signal ends a
 * wait with EINTR, or restarts the call where SA_RESTART allows (the
 * deadline being absolute, a restart does not extend it).
 *
 * read() and write() on a queue fd receive and send one message each
 * (any type, priority 0 and type 0 for write), so shell tools work.
 */
#define KIPC_MQ_PRIO_MAX	32767

/* Flags of kipc_mq_send.flags and kipc_mq_recv.flags */
enum kipc_mq_flags {
	KIPC_MQ_NONBLOCK = 1 << 0,	/* EAGAIN instead of waiting */
	KIPC_MQ_DEADLINE = 1 << 1,	/* ETIMEDOUT after deadline_ns */
	KIPC_MQ_TRUNCATE = 1 << 2,	/* recv: cut a too-long message */
	KIPC_MQ_PEEK = 1 << 3,		/* recv: copy, leave it queued */
};

/* kipc_mq_recv.select: which message to take */
enum kipc_mq_select {
	KIPC_MQ_SELECT_ANY = 0,		/* the first in priority order */
	KIPC_MQ_SELECT_EXACT,		/* the first of type == type */
	KIPC_MQ_SELECT_LE,		/* the lowest type <= type (SysV < 0) */
	KIPC_MQ_SELECT_NOT,		/* the first of type != type */
};

/**
 * struct kipc_mq_send - KIPC_IOC_MQ_SEND: queue one message
 * @size: sizeof(struct kipc_mq_send)
 * @flags: KIPC_MQ_NONBLOCK, KIPC_MQ_DEADLINE
 * @buf: pointer to the payload
 * @len: bytes of payload, at most the queue's msg_size
 * @prio: 0 to KIPC_MQ_PRIO_MAX
 * @type: the message's type
 * @deadline_ns: with KIPC_MQ_DEADLINE, CLOCK_MONOTONIC time to give up at
 *
 * Errors: EBADF (fd not opened for writing), EMSGSIZE (len > msg_size),
 * EINVAL (prio), EAGAIN (full, not waiting), ETIMEDOUT, EINTR, EFAULT,
 * EDQUOT/ENOMEM (no memory for the message).
 */
struct kipc_mq_send {
	__u32 size;
	__u32 flags;
	__aligned_u64 buf;
	__u32 len;
	__u32 prio;
	__aligned_u64 type;
	__aligned_u64 deadline_ns;
};

#define KIPC_IOC_MQ_SEND	_IO(KIPC_TYPE, KIPC_CMD_MQ_SEND)

/**
 * struct kipc_mq_recv - KIPC_IOC_MQ_RECV: take (or peek at) one message
 * @size: sizeof(struct kipc_mq_recv)
 * @flags: KIPC_MQ_NONBLOCK, KIPC_MQ_DEADLINE, KIPC_MQ_TRUNCATE, KIPC_MQ_PEEK
 * @buf: where the payload goes
 * @len: in, the buffer's size; out, the bytes copied
 * @select: enum kipc_mq_select
 * @type: in, the selector's type; out, the message's type
 * @deadline_ns: with KIPC_MQ_DEADLINE, CLOCK_MONOTONIC time to give up at
 * @msg_len: out, the message's full length (> len when truncated)
 * @prio: out, the message's priority
 * @timestamp_ns: out, when it was queued, CLOCK_REALTIME
 * @sender_pid: out, the sender's pid in the receiver's pid namespace
 * @sender_uid: out, the sender's uid in the receiver's user namespace
 *
 * A message longer than @len stays queued and the call fails with
 * EMSGSIZE (@msg_len says how long it is), unless KIPC_MQ_TRUNCATE.
 * Errors: EBADF (fd not opened for reading), EINVAL (select), EAGAIN
 * (nothing matching, not waiting), ETIMEDOUT, EINTR, EMSGSIZE, EFAULT
 * (the message stays queued).
 */
struct kipc_mq_recv {
	__u32 size;
	__u32 flags;
	__aligned_u64 buf;
	__u32 len;
	__u32 select;
	__aligned_u64 type;
	__aligned_u64 deadline_ns;
	__u32 msg_len;
	__u32 prio;
	__aligned_u64 timestamp_ns;
	__s32 sender_pid;
	__u32 sender_uid;
};

#define KIPC_IOC_MQ_RECV	_IO(KIPC_TYPE, KIPC_CMD_MQ_RECV)

/**
 * struct kipc_mq_stat - KIPC_IOC_MQ_STAT: a queue's settings and counters
 * @size: sizeof(struct kipc_mq_stat)
 * @flags: must be 0
 * @id: the queue's id
 * @max_msgs: messages it holds
 * @msg_size: largest message
 * @depth: messages queued now
 * @bytes: payload bytes queued now
 * @high_water: the largest depth so far
 * @recv_waiters: tasks waiting to receive now
 * @send_waiters: tasks waiting to send now
 * @sent: messages sent, ever
 * @received: messages received, ever (peeks do not count)
 * @mode: permission bits
 * @uid: owner, in the caller's user namespace
 * @gid: group, in the caller's user namespace
 * @__reserved: must be 0
 * @ctime_ns: creation time, CLOCK_REALTIME
 */
struct kipc_mq_stat {
	__u32 size;
	__u32 flags;
	__aligned_u64 id;
	__u32 max_msgs;
	__u32 msg_size;
	__u32 depth;
	__u32 high_water;
	__aligned_u64 bytes;
	__u32 recv_waiters;
	__u32 send_waiters;
	__aligned_u64 sent;
	__aligned_u64 received;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__u32 __reserved;
	__aligned_u64 ctime_ns;
};

#define KIPC_IOC_MQ_STAT	_IO(KIPC_TYPE, KIPC_CMD_MQ_STAT)

/**
 * DOC: Batches
 *
 * KIPC_IOC_MQ_SENDV and KIPC_IOC_MQ_RECVV move up to KIPC_MQ_BATCH_MAX
 * messages in one call, each described by a struct kipc_mq_msg in an
 * array. Like sendmmsg() and recvmmsg(), they return the number of
 * messages done, a positive count, and fail only if none was: an error
 * on the k-th message (k > 0) ends the call, returns k and leaves the
 * k-th message untouched, so the next call reports the error.
 *
 * SENDV queues the messages in array order; each waits for room as a
 * single send would (blocking, non-blocking or up to the deadline), and
 * receivers are woken before a sender goes to sleep, so a batch larger
 * than the queue flows through it. RECVV waits, as a single receive
 * would, for the first message that matches the selector only, then
 * takes those that are there, up to @count: it returns what is available
 * rather than waiting to fill the array. Messages are taken in receive
 * order; PEEK is not supported in a batch (EINVAL). The first entry is
 * read before RECVV waits, so a bad array fails at once.
 */
#define KIPC_MQ_BATCH_MAX	1024

/**
 * struct kipc_mq_msg - one message of a batch
 * @buf: pointer to the payload
 * @len: SENDV: the payload's bytes; RECVV: in, the buffer's size; out,
 *       the bytes copied
 * @prio: SENDV: in; RECVV: out (see struct kipc_mq_send/kipc_mq_recv)
 * @type: SENDV: in; RECVV: out
 * @timestamp_ns: RECVV: out, when it was queued, CLOCK_REALTIME
 * @msg_len: RECVV: out, the message's full length
 * @sender_pid: RECVV: out, as in struct kipc_mq_recv
 * @sender_uid: RECVV: out, as in struct kipc_mq_recv
 * @__reserved: must be 0
 *
 * SENDV reads only @buf, @len, @prio, @type and @__reserved, so one array
 * can serve both directions. A message's errors are those of a single
 * send or receive, EINVAL for a non-zero @__reserved.
 */
struct kipc_mq_msg {
	__aligned_u64 buf;
	__u32 len;
	__u32 prio;
	__aligned_u64 type;
	__aligned_u64 timestamp_ns;
	__u32 msg_len;
	__s32 sender_pid;
	__u32 sender_uid;
	__u32 __reserved;
};

/**
 * struct kipc_mq_batch - KIPC_IOC_MQ_SENDV, KIPC_IOC_MQ_RECVV
 * @size: sizeof(struct kipc_mq_batch)
 * @flags: SENDV: KIPC_MQ_NONBLOCK, KIPC_MQ_DEADLINE; RECVV: those and
 *         KIPC_MQ_TRUNCATE
 * @msgs: pointer to an array of @count entries of @msg_size bytes each
 * @count: entries in the array, 1 to KIPC_MQ_BATCH_MAX
 * @msg_size: sizeof(struct kipc_mq_msg), the stride of the array; the
 *            entries grow by the rules of the general ioctl format
 * @select: RECVV: enum kipc_mq_select; SENDV: must be 0
 * @__reserved: must be 0
 * @type: RECVV: the selector's type; SENDV: must be 0
 * @deadline_ns: with KIPC_MQ_DEADLINE, CLOCK_MONOTONIC time to give up at
 *
 * Return: the number of messages sent or received (1 to @count).
 * Errors: EINVAL (@count, @msg_size below the first struct kipc_mq_msg,
 * @select, PEEK, SENDV's @select or @type not 0) and E2BIG (@msg_size
 * above what the kernel knows with non-zero bytes beyond, or above the
 * page size), then those of the first message, as for a single send or
 * receive.
 */
struct kipc_mq_batch {
	__u32 size;
	__u32 flags;
	__aligned_u64 msgs;
	__u32 count;
	__u32 msg_size;
	__u32 select;
	__u32 __reserved;
	__aligned_u64 type;
	__aligned_u64 deadline_ns;
};

#define KIPC_IOC_MQ_SENDV	_IO(KIPC_TYPE, KIPC_CMD_MQ_SENDV)
#define KIPC_IOC_MQ_RECVV	_IO(KIPC_TYPE, KIPC_CMD_MQ_RECVV)

/**
 * DOC: Shared buffers
 *
 * A shared buffer is memory that processes map with mmap(MAP_SHARED) on
 * the buffer's fd, each at an address of its own. Its size is fixed at
 * creation, rounded up to whole pages and bounded by the buf_max_mb
 * module parameter and the creator's byte quota. It starts zero-filled.
 * Its pages are shmem pages: swappable, allocated when the buffer is
 * created and charged to the creator's memory cgroup then, so that a
 * buffer that could be created can be used without faulting for memory.
 *
 * mmap() takes offsets and lengths in the buffer: the offset must be
 * page-aligned (EINVAL) and the mapping must lie within the buffer
 * (ENXIO); a mapping cannot be grown with mremap(). Only MAP_SHARED is
 * allowed (MAP_PRIVATE is EINVAL: a private mapping would silently stop
 * seeing the other side's writes on every page it wrote to). Mapping
 * needs an fd opened for reading (EACCES otherwise), and a writable
 * mapping one opened for reading and writing: an fd opened for reading
 * only gives mappings that mprotect() cannot make writable (EACCES). A
 * mapping holds the buffer, and the module, until it is unmapped, after
 * the fd is closed and the name unlinked too; fork() shares it with the
 * child.
 *
 * Wait and wake work on a __u32 at a 4-byte-aligned offset in the
 * buffer, as futex(2) does but keyed on the buffer and the offset, so
 * they work whatever address each process mapped it at, or without a
 * mapping at all. KIPC_IOC_BUF_WAIT compares the word with @value and
 * sleeps only if they are equal, atomically with respect to
 * KIPC_IOC_BUF_WAKE: a waker that changes the word and then wakes never
 * misses a waiter that saw the old value. Waiting needs the fd opened
 * for reading, waking for writing.
 *
 * poll() and epoll report a buffer fd readable (EPOLLIN) once a
 * KIPC_IOC_BUF_WAKE has been made on the buffer, at any offset, since the
 * fd was opened or last read; read() of 8 bytes returns, as a __u64, the
 * number of such wakes and makes the fd unreadable again (it waits for
 * one, or fails with EAGAIN if the fd is O_NONBLOCK). The count belongs
 * to the open file, as eventfd's does: dup()ed fds, and those a child
 * inherits, share it; KIPC_IOC_BUF_REOPEN gives an open file of its own,
 * even for an anonymous buffer. So a process can sleep in an epoll loop
 * and be woken by the same wake that would end a KIPC_IOC_BUF_WAIT.
 */

/**
 * struct kipc_buf_open - KIPC_IOC_BUF_OPEN: open or create a shared buffer
 * @size: sizeof(struct kipc_buf_open)
 * @flags: KIPC_OPEN_*; READ, WRITE or both are required
 * @name: pointer to the name; ignored when @name_len is 0
 * @name_len: bytes of the name; 0 creates an anonymous buffer (CREATE)
 * @mode: with CREATE, the permission bits (0777 at most), less the umask
 * @buf_size: in, with CREATE, the size in bytes (1 to buf_max_mb MiB,
 *            rounded up to whole pages); out, the buffer's size, which
 *            for an existing buffer may differ from what was asked
 * @fd: out, the buffer's new fd
 * @__reserved: must be 0
 * @id: out, the buffer's id, unique while the module is loaded, never 0
 *
 * KIPC_OPEN_NONBLOCK makes read() on the fd fail with EAGAIN rather than
 * wait; it does not affect KIPC_IOC_BUF_WAIT, which states its own
 * deadline. Errors: those of KIPC_IOC_MQ_OPEN, with EINVAL for a
 * @buf_size of 0 or above buf_max_mb, and ENOMEM when the pages cannot
 * be allocated (or the creator's memory cgroup is full).
 */
struct kipc_buf_open {
	__u32 size;
	__u32 flags;
	__aligned_u64 name;
	__u32 name_len;
	__u32 mode;
	__aligned_u64 buf_size;
	__s32 fd;
	__u32 __reserved;
	__aligned_u64 id;
};

#define KIPC_IOC_BUF_OPEN	_IO(KIPC_TYPE, KIPC_CMD_BUF_OPEN)

/* Flags of kipc_buf_wait.flags */
enum kipc_buf_flags {
	KIPC_BUF_DEADLINE = 1 << 0,	/* ETIMEDOUT after deadline_ns */
};

/**
 * struct kipc_buf_wait - KIPC_IOC_BUF_WAIT: sleep while a word is @value
 * @size: sizeof(struct kipc_buf_wait)
 * @flags: KIPC_BUF_DEADLINE
 * @offset: the word's offset in the buffer, a multiple of 4
 * @value: sleep only if the word holds this
 * @__reserved: must be 0
 * @deadline_ns: with KIPC_BUF_DEADLINE, CLOCK_MONOTONIC time to give up at
 *
 * Returns 0 once a KIPC_IOC_BUF_WAKE at @offset woke the caller. A wake
 * that arrives together with a signal or the deadline is not lost: the
 * call returns 0. Wakes are not remembered: a wake before the wait began
 * wakes nobody, which is why the wait compares @value first. Errors:
 * EAGAIN (the word is not @value), ETIMEDOUT, EINTR (or a restart under
 * SA_RESTART, the deadline being absolute), EBADF (fd not opened for
 * reading), EINVAL (@offset not a multiple of 4), ENXIO (@offset beyond
 * the buffer).
 */
struct kipc_buf_wait {
	__u32 size;
	__u32 flags;
	__aligned_u64 offset;
	__u32 value;
	__u32 __reserved;
	__aligned_u64 deadline_ns;
};

#define KIPC_IOC_BUF_WAIT	_IO(KIPC_TYPE, KIPC_CMD_BUF_WAIT)

/* kipc_buf_wake.count: every waiter */
#define KIPC_BUF_WAKE_ALL	0xffffffffU

/**
 * struct kipc_buf_wake - KIPC_IOC_BUF_WAKE: wake waiters on a word
 * @size: sizeof(struct kipc_buf_wake)
 * @flags: must be 0
 * @offset: the word's offset in the buffer, a multiple of 4
 * @count: how many waiters to wake at most, 1 or more;
 *         KIPC_BUF_WAKE_ALL for all
 * @__reserved: must be 0
 *
 * Wakes waiters at @offset in the order they began to wait, and makes the
 * buffer's fds readable (see "Shared buffers"). Return: the number of
 * waiters woken, 0 or more. Errors: EBADF (fd not opened for writing),
 * EINVAL (@offset not a multiple of 4, @count 0), ENXIO (@offset beyond
 * the buffer).
 */
struct kipc_buf_wake {
	__u32 size;
	__u32 flags;
	__aligned_u64 offset;
	__u32 count;
	__u32 __reserved;
};

#define KIPC_IOC_BUF_WAKE	_IO(KIPC_TYPE, KIPC_CMD_BUF_WAKE)

/**
 * struct kipc_buf_stat - KIPC_IOC_BUF_STAT: a buffer's settings and counters
 * @size: sizeof(struct kipc_buf_stat)
 * @flags: must be 0
 * @id: the buffer's id
 * @buf_size: its size in bytes
 * @mappings: mappings of it now, in all processes (a mapping that
 *            munmap() or mprotect() split in two counts twice)
 * @waiters: tasks in KIPC_IOC_BUF_WAIT now
 * @waits: KIPC_IOC_BUF_WAIT calls that went to sleep, ever
 * @wakes: KIPC_IOC_BUF_WAKE calls, ever
 * @woken: waiters woken by them, ever
 * @mode: permission bits
 * @uid: owner, in the caller's user namespace
 * @gid: group, in the caller's user namespace
 * @__reserved: must be 0
 * @ctime_ns: creation time, CLOCK_REALTIME
 */
struct kipc_buf_stat {
	__u32 size;
	__u32 flags;
	__aligned_u64 id;
	__aligned_u64 buf_size;
	__u32 mappings;
	__u32 waiters;
	__aligned_u64 waits;
	__aligned_u64 wakes;
	__aligned_u64 woken;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__u32 __reserved;
	__aligned_u64 ctime_ns;
};

#define KIPC_IOC_BUF_STAT	_IO(KIPC_TYPE, KIPC_CMD_BUF_STAT)

/**
 * struct kipc_buf_reopen - KIPC_IOC_BUF_REOPEN: a new open file, same buffer
 * @size: sizeof(struct kipc_buf_reopen)
 * @flags: KIPC_OPEN_READ and/or KIPC_OPEN_WRITE, at most the access of
 *         the fd the call is made on; KIPC_OPEN_NONBLOCK, KIPC_OPEN_CLOEXEC
 * @fd: out, the new fd
 * @__reserved: must be 0
 *
 * Unlike dup(), the new fd is an open file of its own, with its own wake
 * count for poll and read() (see "Shared buffers"): two processes that
 * share a buffer fd, by fork() or SCM_RIGHTS, can each wait in epoll
 * without taking the other's wakes. Works on anonymous and unlinked
 * buffers; needs no permission beyond the fd's own. Errors: EACCES
 * (access beyond the fd's), EINVAL (no access asked for), EMFILE.
 */
struct kipc_buf_reopen {
	__u32 size;
	__u32 flags;
	__s32 fd;
	__u32 __reserved;
};

#define KIPC_IOC_BUF_REOPEN	_IO(KIPC_TYPE, KIPC_CMD_BUF_REOPEN)

/**
 * DOC: Semaphores
 *
 * A counting semaphore: a value from 0 to a maximum fixed at creation
 * (KIPC_SEM_VALUE_MAX at most). KIPC_IOC_SEM_WAIT takes @count from the
 * value, sleeping until it can; KIPC_IOC_SEM_POST adds @count, and fails
 * with EOVERFLOW, changing nothing, if that would pass the maximum: the
 * value never wraps and never exceeds the maximum. Waiting needs the fd
 * opened for reading, posting for writing; a lock is opened for both.
 *
 * Waiters queue in the order they began to wait, and are served in that
 * order within a bounded delay, whatever count each wants:
 *
 * - A post wakes the queued waiters its value covers, from the first on,
 *   skipping any whose count it does not cover, and each takes its count
 *   as it runs. Until then a running task may take the value ahead of
 *   them (a wait takes at once whenever the value covers it), so that a
 *   contended semaphore used as a lock does not switch tasks on every
 *   post: the lock convoy that strict hand-off causes (docs/abi.md
 *   has the measurement).
 * - Once the first waiter has been first for sem_handoff_us microseconds
 *   (a module parameter, 4000 by default; 0 means always), the value is
 *   handed to the waiters strictly in order: a post takes each one's
 *   count for it, from the first, and stops at the first it does not
 *   cover, and new waits queue behind instead of taking. So nobody
 *   starves: not a large count behind a stream of small ones, nor a task
 *   behind one that takes the semaphore again as soon as it posts.
 *
 * A waiter that gives up (signal, deadline), or loses its count to a
 * running task, passes the value on to those behind it before it sleeps
 * again or goes: no wake-up is lost. A wait with KIPC_SEM_NONBLOCK fails
 * with EAGAIN exactly when a blocking one would queue.
 *
 * poll() and epoll report a semaphore fd readable (EPOLLIN) while a wait
 * for 1 would take at once (the value is above 0 and the waiters are not
 * being served in order), and writable (EPOLLOUT) while a post of 1 would
 * not overflow.
 */

/* The largest maximum a semaphore can have */
#define KIPC_SEM_VALUE_MAX	0x7fffffffU

/**
 * DOC: Undo
 *
 * A semaphore fd opened with KIPC_OPEN_UNDO keeps a count of what waits
 * through it took and posts through it have not yet given back (posts
 * beyond that count add to the value but not to the fd's debt). When the
 * fd's open file is released, that count is posted back (up to the
 * maximum: what would pass it is dropped, and counted in the stats), so
 * a process that dies holding the semaphore does not wedge the others.
 * This is what SysV's SEM_UNDO gives and POSIX named semaphores lack.
 *
 * The count belongs to the open file description, as flock() locks do,
 * not to a process: dup()ed fds, fds a child inherits across fork() and
 * fds passed with SCM_RIGHTS share it, and it is given back when the last
 * of them is closed. A process that dies while its child still holds a
 * copy of the fd gives nothing back until the child closes it too. A
 * process that wants a count of its own opens the semaphore itself, or
 * makes an open file of its own with KIPC_IOC_SEM_REOPEN (which also
 * works for anonymous semaphores). Without KIPC_OPEN_UNDO nothing is
 * given back: a process that dies holding the semaphore leaves the value
 * where it was, as with a POSIX semaphore.
 */

/**
 * struct kipc_sem_open - KIPC_IOC_SEM_OPEN: open or create a semaphore
 * @size: sizeof(struct kipc_sem_open)
 * @flags: KIPC_OPEN_*; READ, WRITE or both are required; KIPC_OPEN_UNDO
 *         for an fd whose waits are undone when it is released
 * @name: pointer to the name; ignored when @name_len is 0
 * @name_len: bytes of the name; 0 creates an anonymous semaphore (CREATE)
 * @mode: with CREATE, the permission bits (0777 at most), less the umask
 * @value: with CREATE, the initial value, at most the maximum
 * @max: in, with CREATE, the maximum, 1 to KIPC_SEM_VALUE_MAX (0: that);
 *       out, the semaphore's maximum, which for an existing semaphore
 *       may differ from what was asked
 * @fd: out, the semaphore's new fd
 * @__reserved: must be 0
 * @id: out, the semaphore's id, unique while the module is loaded, never 0
 *
 * KIPC_OPEN_NONBLOCK makes every wait through the fd non-blocking.
 * Errors: those of KIPC_IOC_MQ_OPEN, with EINVAL for a @max above
 * KIPC_SEM_VALUE_MAX or a @value above the maximum. As for queues, an
 * existing semaphore keeps its own mode, value and maximum, but with
 * CREATE @value and @max are checked first.
 */
struct kipc_sem_open {
	__u32 size;
	__u32 flags;
	__aligned_u64 name;
	__u32 name_len;
	__u32 mode;
	__u32 value;
	__u32 max;
	__s32 fd;
	__u32 __reserved;
	__aligned_u64 id;
};

#define KIPC_IOC_SEM_OPEN	_IO(KIPC_TYPE, KIPC_CMD_SEM_OPEN)

/* Flags of kipc_sem_wait.flags */
enum kipc_sem_flags {
	KIPC_SEM_NONBLOCK = 1 << 0,	/* EAGAIN rather than sleep */
	KIPC_SEM_DEADLINE = 1 << 1,	/* ETIMEDOUT after deadline_ns */
};

/**
 * struct kipc_sem_wait - KIPC_IOC_SEM_WAIT: take @count from the value
 * @size: sizeof(struct kipc_sem_wait)
 * @flags: KIPC_SEM_NONBLOCK, KIPC_SEM_DEADLINE
 * @count: how much to take, 1 to the semaphore's maximum
 * @__reserved: must be 0
 * @deadline_ns: with KIPC_SEM_DEADLINE, CLOCK_MONOTONIC time to give up
 *               at; a deadline already past still takes what is there
 *
 * Returns 0 once @count was taken, all at once (never part of it). A
 * hand-off that arrives together with a signal or the deadline is kept:
 * the call returns 0. Errors: EAGAIN (KIPC_SEM_NONBLOCK or an O_NONBLOCK
 * fd, and the wait would sleep), ETIMEDOUT, EINTR (or a restart under
 * SA_RESTART: the deadline is absolute, but the restarted wait queues
 * again, behind those waiting then), EBADF (fd not opened for
 * reading), EINVAL (@count 0 or above the maximum: it could never be
 * taken).
 */
struct kipc_sem_wait {
	__u32 size;
	__u32 flags;
	__u32 count;
	__u32 __reserved;
	__aligned_u64 deadline_ns;
};

#define KIPC_IOC_SEM_WAIT	_IO(KIPC_TYPE, KIPC_CMD_SEM_WAIT)

/**
 * struct kipc_sem_post - KIPC_IOC_SEM_POST: add @count to the value
 * @size: sizeof(struct kipc_sem_post)
 * @flags: must be 0
 * @count: how much to add, 1 or more
 * @__reserved: must be 0
 *
 * Hands the value to waiters in order (see "Semaphores"). Returns the
 * number of waiters it woke, 0 or more. Errors: EOVERFLOW (the value
 * would pass the maximum; nothing changed), EBADF (fd not opened for
 * writing), EINVAL (@count 0).
 */
struct kipc_sem_post {
	__u32 size;
	__u32 flags;
	__u32 count;
	__u32 __reserved;
};

#define KIPC_IOC_SEM_POST	_IO(KIPC_TYPE, KIPC_CMD_SEM_POST)

/**
 * struct kipc_sem_stat - KIPC_IOC_SEM_STAT: a semaphore's state and counters
 * @size: sizeof(struct kipc_sem_stat)
 * @flags: must be 0
 * @id: the semaphore's id
 * @value: its value now
 * @max: its maximum
 * @waiters: tasks in KIPC_IOC_SEM_WAIT now
 * @first_wants: the count the first of them waits for; 0 if none
 * @mode: permission bits
 * @uid: owner, in the caller's user namespace
 * @gid: group, in the caller's user namespace
 * @undo: 1 if the fd the call is made on has KIPC_OPEN_UNDO, else 0
 * @waits: waits that took their count, ever
 * @posts: posts that added to the value, ever
 * @sleeps: waits that had to sleep (whatever their outcome), ever
 * @undone: total given back by undo fds as they were released, ever
 * @undo_dropped: what undo could not give back for the maximum, ever
 * @held: what the fd the call is made on would give back if it were
 *        released now (0 without KIPC_OPEN_UNDO)
 * @ctime_ns: creation time, CLOCK_REALTIME
 *
 * Works on any semaphore fd. No errors of its own.
 */
struct kipc_sem_stat {
	__u32 size;
	__u32 flags;
	__aligned_u64 id;
	__u32 value;
	__u32 max;
	__u32 waiters;
	__u32 first_wants;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__u32 undo;
	__aligned_u64 waits;
	__aligned_u64 posts;
	__aligned_u64 sleeps;
	__aligned_u64 undone;
	__aligned_u64 undo_dropped;
	__aligned_u64 held;
	__aligned_u64 ctime_ns;
};

#define KIPC_IOC_SEM_STAT	_IO(KIPC_TYPE, KIPC_CMD_SEM_STAT)

/**
 * struct kipc_sem_reopen - KIPC_IOC_SEM_REOPEN: a new open file, same
 *                          semaphore
 * @size: sizeof(struct kipc_sem_reopen)
 * @flags: KIPC_OPEN_READ and/or KIPC_OPEN_WRITE, at most the access of
 *         the fd the call is made on; KIPC_OPEN_UNDO, KIPC_OPEN_NONBLOCK,
 *         KIPC_OPEN_CLOEXEC
 * @fd: out, the new fd
 * @__reserved: must be 0
 *
 * Unlike dup(), the new fd is an open file of its own, with its own undo
 * count (see "Undo"), starting at 0 whether or not the old fd has one:
 * a child that inherited a semaphore fd reopens it to hold the semaphore
 * on its own account. Works on anonymous and unlinked semaphores; needs no
 * permission beyond the fd's own. Errors: EACCES (access beyond the fd's),
 * EINVAL (no access asked for), EMFILE.
 */
struct kipc_sem_reopen {
	__u32 size;
	__u32 flags;
	__s32 fd;
	__u32 __reserved;
};

#define KIPC_IOC_SEM_REOPEN	_IO(KIPC_TYPE, KIPC_CMD_SEM_REOPEN)

#endif /* _UAPI_LINUX_KIPC_H */
