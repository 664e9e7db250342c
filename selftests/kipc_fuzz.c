// SPDX-License-Identifier: GPL-2.0
/*
 * kipc_fuzz: structured-random calls at every entry point of kipc, from
 * threads and processes that share fds, fork, race close and munmap
 * against use, and get SIGKILLed; then nothing may be left behind.
 *
 * usage: kipc_fuzz [--seed N] [--duration S] [--iterations N] [--procs N]
 *                  [--threads N] [--slack S] [--unload KO]
 *
 * Entry points: every ioctl of the control fd and of each object fd, with
 * valid and invalid command numbers, sizes below, at and above the
 * struct (zero and non-zero tails, above the page), unknown flags, set
 * reserved fields, fields at their edges, and pointers that are NULL,
 * unmapped, kernel, non-canonical, PROT_NONE, read-only, into a kipc
 * mapping, or running into a guard page; read, write, poll and epoll on
 * every fd kind; mmap of buffers at random offsets, lengths, protections
 * and flags, munmap, mprotect, mremap, madvise and loads and stores that
 * race them; fcntl, dup, close, ftruncate, fallocate, lseek, /proc
 * reopen; fork, an IPC namespace of one's own, SIGKILL; and the "kipc"
 * generic netlink family over a raw socket: random commands, flags,
 * reserved bytes and attributes (well-formed and not), dumps read to the
 * end or abandoned, and the event group, whose order is checked.
 *
 * Phases, one TAP line each, and a closing "N passed, N failed":
 *   setup    /dev/kipc, the netlink family, the baseline (objects of this
 *            IPC namespace, the module's reference count)
 *   sweep    one thread: every command with every malformed shape and
 *            field edge on fresh objects: the exact errno, and a failed
 *            call leaves the object, the struct and the fd table as they
 *            were
 *   limits   objects and messages at the module parameters' edges (root)
 *   random   --procs (4) processes x --threads (4) threads of
 *            structured-random calls for --duration seconds (30), and at
 *            most --iterations calls a thread if given, that fork children
 *            (some in an IPC namespace of their own) and are SIGKILLed:
 *            fails on an errno a command does not document, an errno of
 *            the kernel's own (ERESTARTSYS...), a success of a call that
 *            must fail, a result that breaks an invariant (a queue's
 *            depth against its counters, a semaphore above its maximum,
 *            a write through a read-only fd's mapping, a permission
 *            granted against the mode, netlink dumps out of id order,
 *            events out of order, another namespace's objects seen), a
 *            crash, or a call that outlives its deadline by --slack
 *            seconds (20: a hang)
 *   quiet    with every process gone: every object's references are what
 *            the survivors hold, no waiter is left, mapping counts and
 *            queue counters are as they must be
 *   cleanup  every fd closed, every name unlinked: no object of the run
 *            left, no kipc fd or mapping in the process, the module's
 *            reference count back to the baseline
 *   unload   (--unload KO) rmmod kipc succeeds, and KO loads again
 *
 * The seed is printed first; --seed repeats each thread's sequence of
 * calls (the interleaving of threads and processes is the scheduler's).
 * Every call is bounded: blocking calls have near deadlines or are
 * interrupted by a watchdog's signals (some with SA_RESTART, which must
 * restart them without extending their deadline).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <linux/fs.h>
#include <linux/genetlink.h>
#include <linux/kipc.h>
#include <linux/kipc_netlink.h>
#include <linux/netlink.h>

#include "kipc_test.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP	4
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS	1033
#define F_GET_SEALS	1034
#define F_SEAL_SEAL	0x0001
#define F_SEAL_SHRINK	0x0002
#define F_SEAL_GROW	0x0004
#endif

#define PAGE		4096ul
#define NSLOTS		40		/* fds a process keeps track of */
#define NMAPS		16		/* mapping slots of a process */
#define MAP_SLOT	(2ul << 20)	/* each slot's address range */
#define NNAMES		24		/* the names a run uses */
#define MAX_PROCS	16
#define MAX_THREADS	16
#define MAX_KIDS	4		/* forked children a worker keeps */
#define RBUF		(256ul << 10)	/* where the kernel writes payloads */
#define MSG_CAP		(RBUF / 2)	/* largest message size created */
#define BATCH		(64ul << 10)	/* batch arrays */
#define NLBUF		(64ul << 10)
#define ERRNO_MAX	160		/* larger ones are the kernel's own */
#define FAIL_LINES	60		/* failures printed in full */

enum kind { K_CTL, K_MQ, K_BUF, K_SEM, NKINDS };
static const char *const kind_name[NKINDS] = { "ctl", "mq", "buf", "sem" };
#define KM(k)	(1u << (k))
#define KM_OBJ	(KM(K_MQ) | KM(K_BUF) | KM(K_SEM))
#define KM_ANY	(KM_OBJ | KM(K_CTL))
#define RW	(KIPC_OPEN_READ | KIPC_OPEN_WRITE)

/* ---- output, and what all processes count together ---- */

enum op {
	OP_IOCTL, OP_RAW_IOCTL, OP_VFS_IOCTL, OP_READ, OP_WRITE, OP_POLL,
	OP_EPOLL, OP_MMAP, OP_MMAP_BAD, OP_UNMAP, OP_MPROTECT, OP_MREMAP,
	OP_MADVISE, OP_TOUCH, OP_CLOSE, OP_DUP, OP_FCNTL, OP_FILE, OP_CTL,
	OP_FORK, OP_REAP, OP_NETLINK, NOPS
};
static const char *const op_name[NOPS] = {
	"ioctl", "raw-ioctl", "vfs-ioctl", "read", "write", "poll", "epoll",
	"mmap", "mmap-bad", "unmap", "mprotect", "mremap", "madvise", "touch",
	"close", "dup", "fcntl", "file", "ctl", "fork", "reap", "netlink",
};
/* how often each is picked, out of the sum */
static const unsigned int op_weight[NOPS] = {
	[OP_IOCTL] = 400, [OP_RAW_IOCTL] = 25, [OP_VFS_IOCTL] = 15,
	[OP_READ] = 30, [OP_WRITE] = 30, [OP_POLL] = 20, [OP_EPOLL] = 20,
	[OP_MMAP] = 40, [OP_MMAP_BAD] = 15, [OP_UNMAP] = 25,
	[OP_MPROTECT] = 15, [OP_MREMAP] = 10, [OP_MADVISE] = 10,
	[OP_TOUCH] = 60, [OP_CLOSE] = 35, [OP_DUP] = 10, [OP_FCNTL] = 20,
	[OP_FILE] = 15, [OP_CTL] = 5, [OP_FORK] = 4, [OP_REAP] = 10,
	[OP_NETLINK] = 40,
};

struct board {
	uint64_t calls;
	uint64_t failures;
	uint64_t printed;
	uint64_t hangs;
	uint64_t forks;
	uint64_t kills;
	uint64_t respawns;
	uint64_t nl_msgs;
	uint64_t events;
	uint64_t interrupts;
	uint64_t op_calls[NOPS];
	uint64_t errnos[ERRNO_MAX + 1];
	int stop;
};

static struct board *board;	/* MAP_SHARED: every process counts here */

#define ADD(field, n)	__atomic_fetch_add(&(field), (n), __ATOMIC_RELAXED)

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kipc_vline(fmt, ap);
	va_end(ap);
}

static const char *ename(int e)
{
	static __thread char other[24];
	const char *s = e > 0 && e < 4096 ? strerrorname_np(e) : NULL;

	if (s)
		return s;
	if (e == 0)
		return "ok";
	snprintf(other, sizeof(other), "errno %d", e);
	return other;
}

/* ---- options and the run's identity ---- */

static struct {
	uint64_t seed;
	double duration;
	uint64_t iterations;
	unsigned int procs, threads;
	double slack;
	const char *unload;
} opt = { .procs = 4, .threads = 4, .slack = 20 };

static pid_t sup_pid;		/* the supervisor: names carry its pid */
static bool is_root;
static uint64_t deadline_ns;	/* when the random phase ends */
static char names[NNAMES][KIPC_NAME_MAX + 1];
static uint32_t mq_msgsize_max, mq_msgs_max, buf_max;	/* limits now */

/* ---- random numbers: xorshift64*, a stream per thread ---- */

struct rng {
	uint64_t s;
};

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static void rng_seed(struct rng *r, uint64_t a, uint64_t b, uint64_t c)
{
	r->s = splitmix(splitmix(splitmix(a) ^ b) ^ c) | 1;
}

static uint64_t rnd(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ull;
}

static uint32_t below(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)((rnd(r) >> 32) * n >> 32) : 0;
}

static bool chance(struct rng *r, unsigned int pct)
{
	return below(r, 100) < pct;
}

static uint32_t edge32(struct rng *r)
{
	static const uint32_t v[] = {
		0, 1, 2, 3, 4, 7, 8, 63, 64, 255, 256, 4095, 4096, 4097,
		0x7fff, 0x8000, 0xffff, 0x10000, 0x100000, 0x7fffffff,
		0x80000000, 0xfffffffe, 0xffffffff,
	};

	return chance(r, 85) ? v[below(r, KIPC_ARRAY_SIZE(v))] : (uint32_t)rnd(r);
}

static uint64_t edge64(struct rng *r)
{
	static const uint64_t v[] = {
		0, 1, 4, 4095, 4096, 4097, 0xffffffffull, 0x100000000ull,
		0x7fffffffffffffffull, 0x8000000000000000ull,
		0xfffffffffffff000ull, 0xfffffffffffffffcull,
		0xffffffffffffffffull,
	};

	return chance(r, 80) ? v[below(r, KIPC_ARRAY_SIZE(v))] :
	       chance(r, 50) ? edge32(r) : rnd(r);
}

/* ---- errno sets ---- */

typedef struct {
	uint64_t w[(ERRNO_MAX + 64) / 64];
} errset;

static errset es_of(const int *e)
{
	errset s = { { 0 } };

	for (; *e; e++)
		s.w[*e / 64] |= 1ull << (*e % 64);
	return s;
}
#define ES(...)	es_of((const int[]){ __VA_ARGS__, 0 })

static bool es_has(const errset *s, int e)
{
	return e > 0 && e <= ERRNO_MAX && (s->w[e / 64] >> (e % 64) & 1);
}

static void es_add(errset *s, const errset *o)
{
	for (size_t i = 0; i < KIPC_ARRAY_SIZE(s->w); i++)
		s->w[i] |= o->w[i];
}

/* ---- what every thread and forked child has of its own ---- */

/* A thread's call in progress, for the watchdog. */
struct tslot {
	uint64_t start;		/* 0: not in a call */
	uint64_t bound;		/* latest expected return; 0: none */
	uint32_t usr1, usr2;	/* signals sent during the call */
	pid_t tid;
	bool hung;
	char what[200];
};

struct tctx {
	struct rng r;
	unsigned int proc, thread;
	bool kid;		/* a forked child: no watchdog, an itimer */
	bool newns;		/* a child in an IPC namespace of its own */
	struct tslot *slot;
	unsigned char *arena;	/* 8 KiB + guard: structs */
	unsigned char *rbuf;	/* RBUF + guard: where the kernel writes */
	unsigned char *batch;	/* BATCH + guard */
	unsigned char *nlbuf;	/* NLBUF + guard */
	unsigned char *edge;	/* a page whose next page is PROT_NONE */
	unsigned char *ro;	/* 2 pages, read-only view of ... */
	unsigned char *ro_rw;	/* ... this writable one */
	int epfd;
	int nl;
	uint32_t nl_seq;
	uint32_t ipc_inum;	/* the IPC namespace this task is in */
	uint64_t calls;
	char what[200];
};

static __thread struct tctx *tc;

/* SIGUSR1 and SIGALRM (no SA_RESTART) this thread has handled */
static __thread volatile sig_atomic_t nintr;
static __thread sig_atomic_t nintr_before;

static void on_intr(int sig)
{
	(void)sig;
	nintr++;
}

static void on_restart(int sig)
{
	(void)sig;
}

/* ---- the fd table of a process ---- */

struct fdent {
	int fd;			/* -1: free */
	int kind;
	uint32_t access;	/* KIPC_OPEN_READ/WRITE of the open file */
	bool undo;
	bool newns;		/* a control fd of a child's own namespace */
	uint32_t id;
	uint64_t size;		/* buffer bytes, message size, sem maximum */
	uint32_t max_msgs;
	uint32_t gen;		/* changes before the fd is closed */
};

static struct {
	pthread_mutex_t lock;
	struct fdent e[NSLOTS];
	uint32_t gen;
} ft = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* ---- mapping slots: a reserved range, each slot a kipc mapping or not ---- */

struct mslot {
	bool kipc;
	bool pristine;		/* one whole VMA, as mapped */
	int prot;
	uint32_t access;	/* of the fd it was mapped from */
	uint32_t id;
	uint64_t len;
	uint32_t gen;
};

static struct {
	pthread_mutex_t lock;
	unsigned char *base;
	struct mslot s[NMAPS];
	uint32_t gen;
} mt = { .lock = PTHREAD_MUTEX_INITIALIZER };

static struct {
	pthread_mutex_t lock;
	pid_t pid[MAX_KIDS];
	uint64_t born[MAX_KIDS];
} kids = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Lock order: kids, then mt, then ft. */
static void atfork_prepare(void)
{
	pthread_mutex_lock(&kids.lock);
	pthread_mutex_lock(&mt.lock);
	pthread_mutex_lock(&ft.lock);
}

static void atfork_parent(void)
{
	pthread_mutex_unlock(&ft.lock);
	pthread_mutex_unlock(&mt.lock);
	pthread_mutex_unlock(&kids.lock);
}

/* ---- failures ---- */

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	char msg[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ADD(board->failures, 1);
	if (ADD(board->printed, 1) >= FAIL_LINES)
		return;		/* the first of each phase are enough */
	if (tc)
		out("# FAIL [proc %u%s thread %u, call %" PRIu64 "] %s: %s",
		    tc->proc, tc->kid ? " child" : "", tc->thread, tc->calls,
		    tc->what, msg);
	else
		out("# FAIL %s", msg);
}

/* ---- calls: each one timed for the watchdog, its errno judged ---- */

/*
 * Start a call: @bound_ns is when it must have returned by (its deadline,
 * or now for one that must not block), 0 if it may block until a signal.
 */
static void call_begin(uint64_t bound_ns)
{
	struct tslot *s = tc->slot;

	tc->calls++;
	ADD(board->calls, 1);
	nintr_before = nintr;
	if (!s)
		return;
	memcpy(s->what, tc->what, sizeof(s->what));
	s->usr1 = s->usr2 = 0;
	s->hung = false;
	__atomic_store_n(&s->bound, bound_ns, __ATOMIC_RELAXED);
	__atomic_store_n(&s->start, mono_ns(), __ATOMIC_RELEASE);
}

/* End a call; true if a signal without SA_RESTART may have cut it short. */
static bool call_end(void)
{
	struct tslot *s = tc->slot;

	if (s)
		__atomic_store_n(&s->start, 0, __ATOMIC_RELEASE);
	return nintr != nintr_before;
}

static void count_errno(int e)
{
	ADD(board->errnos[e > ERRNO_MAX ? ERRNO_MAX : e], 1);
}

/* Errnos any call may give. */
static errset es_generic;
/* Blocking calls, if a signal without SA_RESTART came. */
static errset es_intr;

/*
 * What a call was expected to do. @exact: the one errno it must fail
 * with; @must_fail: it cannot succeed; @ok: errnos it may give besides
 * its command's own.
 */
struct expect {
	int exact;
	bool must_fail;
	errset ok;
};

/*
 * Judge a result: 0 if it was acceptable, -1 if not (reported). @err is
 * errno when @ret < 0. @cmd_errs are the errnos the call documents.
 */
static int judge(long ret, int err, const struct expect *e,
		 const errset *cmd_errs, bool interrupted)
{
	count_errno(ret < 0 ? err : 0);
	if (ret >= 0) {
		if (e->exact || e->must_fail) {
			fail("succeeded (%ld), expected %s", ret,
			     e->exact ? ename(e->exact) : "a failure");
			return -1;
		}
		return 0;
	}
	if (err >= 512) {
		fail("errno %d, the kernel's own, leaked to user space", err);
		return -1;
	}
	if (err == EINTR && interrupted)
		return 0;
	if (err == EINTR && !interrupted && es_has(&e->ok, EINTR))
		return 0;
	if (e->exact) {
		if (err == e->exact)
			return 0;
		fail("%s, expected %s", ename(err), ename(e->exact));
		return -1;
	}
	if (es_has(cmd_errs, err) || es_has(&e->ok, err) ||
	    es_has(&es_generic, err))
		return 0;
	if (err == EINTR)
		fail("EINTR without a signal that could interrupt (SA_RESTART only)");
	else
		fail("%s, which it does not document", ename(err));
	return -1;
}

static void describe(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void describe(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tc->what, sizeof(tc->what), fmt, ap);
	va_end(ap);
}

/* ---- the fd table ---- */

static int ft_pick(uint32_t kinds, struct fdent *copy)
{
	int idx[NSLOTS], n = 0, i;

	pthread_mutex_lock(&ft.lock);
	for (i = 0; i < NSLOTS; i++)
		if (ft.e[i].fd >= 0 && (kinds & KM(ft.e[i].kind)))
			idx[n++] = i;
	if (!n) {
		pthread_mutex_unlock(&ft.lock);
		return -1;
	}
	i = idx[below(&tc->r, n)];
	*copy = ft.e[i];
	pthread_mutex_unlock(&ft.lock);
	return i;
}

/* Is slot @i still the fd it was when picked? Else results mean nothing. */
static bool ft_same(int i, const struct fdent *copy)
{
	bool same;

	pthread_mutex_lock(&ft.lock);
	same = ft.e[i].fd == copy->fd && ft.e[i].gen == copy->gen;
	pthread_mutex_unlock(&ft.lock);
	return same;
}

/* Keep @e; closes it when the table is full. */
static void ft_add(const struct fdent *e)
{
	int i;

	pthread_mutex_lock(&ft.lock);
	for (i = 0; i < NSLOTS; i++) {
		if (ft.e[i].fd < 0) {
			ft.e[i] = *e;
			ft.e[i].gen = ++ft.gen;
			pthread_mutex_unlock(&ft.lock);
			return;
		}
	}
	pthread_mutex_unlock(&ft.lock);
	close(e->fd);
}

/* Take slot @i out of the table (if it is still @copy); the caller closes. */
static bool ft_take(int i, const struct fdent *copy)
{
	bool same;

	pthread_mutex_lock(&ft.lock);
	same = ft.e[i].fd == copy->fd && ft.e[i].gen == copy->gen;
	if (same) {
		ft.e[i].fd = -1;
		ft.e[i].gen = ++ft.gen;
	}
	pthread_mutex_unlock(&ft.lock);
	return same;
}

static void ft_init(void)
{
	for (int i = 0; i < NSLOTS; i++)
		ft.e[i].fd = -1;
}

static void ft_close_all(void)
{
	pthread_mutex_lock(&ft.lock);
	for (int i = 0; i < NSLOTS; i++) {
		if (ft.e[i].fd >= 0)
			close(ft.e[i].fd);
		ft.e[i].fd = -1;
		ft.e[i].gen = ++ft.gen;
	}
	pthread_mutex_unlock(&ft.lock);
}

/* ---- ioctl commands ---- */

enum cmd_id {
	C_VERSION, C_MQ_OPEN, C_UNLINK, C_BUF_OPEN, C_SEM_OPEN,
	C_MQ_SEND, C_MQ_RECV, C_MQ_STAT, C_MQ_SENDV, C_MQ_RECVV,
	C_BUF_WAIT, C_BUF_WAKE, C_BUF_STAT, C_BUF_REOPEN,
	C_SEM_WAIT, C_SEM_POST, C_SEM_STAT, C_SEM_REOPEN, NCMDS
};

#define OPEN_FLAGS	(RW | KIPC_OPEN_CREATE | KIPC_OPEN_EXCL | \
			 KIPC_OPEN_NONBLOCK | KIPC_OPEN_CLOEXEC)

struct cmdesc {
	const char *name;
	unsigned long nr;
	int kind;
	uint32_t size;
	uint32_t flags;		/* the flags it accepts */
	int reserved;		/* offset of __reserved; -1: none */
	bool responds;		/* writes the struct back on success */
	bool blocks;		/* may sleep */
};

#define CMD(id, n, k, st, fl, res, resp, blk)				\
	[id] = { #n, n, k, sizeof(st), fl, res, resp, blk }

static const struct cmdesc cmds[NCMDS] = {
	CMD(C_VERSION, KIPC_IOC_VERSION, K_CTL, struct kipc_version, 0,
	    offsetof(struct kipc_version, __reserved), true, false),
	CMD(C_MQ_OPEN, KIPC_IOC_MQ_OPEN, K_CTL, struct kipc_mq_open,
	    OPEN_FLAGS, offsetof(struct kipc_mq_open, __reserved), true, false),
	CMD(C_UNLINK, KIPC_IOC_UNLINK, K_CTL, struct kipc_unlink, 0, -1,
	    false, false),
	CMD(C_BUF_OPEN, KIPC_IOC_BUF_OPEN, K_CTL, struct kipc_buf_open,
	    OPEN_FLAGS, offsetof(struct kipc_buf_open, __reserved), true, false),
	CMD(C_SEM_OPEN, KIPC_IOC_SEM_OPEN, K_CTL, struct kipc_sem_open,
	    OPEN_FLAGS | KIPC_OPEN_UNDO,
	    offsetof(struct kipc_sem_open, __reserved), true, false),
	CMD(C_MQ_SEND, KIPC_IOC_MQ_SEND, K_MQ, struct kipc_mq_send,
	    KIPC_MQ_NONBLOCK | KIPC_MQ_DEADLINE, -1, false, true),
	CMD(C_MQ_RECV, KIPC_IOC_MQ_RECV, K_MQ, struct kipc_mq_recv,
	    KIPC_MQ_NONBLOCK | KIPC_MQ_DEADLINE | KIPC_MQ_TRUNCATE |
	    KIPC_MQ_PEEK, -1, true, true),
	CMD(C_MQ_STAT, KIPC_IOC_MQ_STAT, K_MQ, struct kipc_mq_stat, 0,
	    offsetof(struct kipc_mq_stat, __reserved), true, false),
	CMD(C_MQ_SENDV, KIPC_IOC_MQ_SENDV, K_MQ, struct kipc_mq_batch,
	    KIPC_MQ_NONBLOCK | KIPC_MQ_DEADLINE,
	    offsetof(struct kipc_mq_batch, __reserved), false, true),
	CMD(C_MQ_RECVV, KIPC_IOC_MQ_RECVV, K_MQ, struct kipc_mq_batch,
	    KIPC_MQ_NONBLOCK | KIPC_MQ_DEADLINE | KIPC_MQ_TRUNCATE,
	    offsetof(struct kipc_mq_batch, __reserved), false, true),
	CMD(C_BUF_WAIT, KIPC_IOC_BUF_WAIT, K_BUF, struct kipc_buf_wait,
	    KIPC_BUF_DEADLINE, offsetof(struct kipc_buf_wait, __reserved),
	    false, true),
	CMD(C_BUF_WAKE, KIPC_IOC_BUF_WAKE, K_BUF, struct kipc_buf_wake, 0,
	    offsetof(struct kipc_buf_wake, __reserved), false, false),
	CMD(C_BUF_STAT, KIPC_IOC_BUF_STAT, K_BUF, struct kipc_buf_stat, 0,
	    offsetof(struct kipc_buf_stat, __reserved), true, false),
	CMD(C_BUF_REOPEN, KIPC_IOC_BUF_REOPEN, K_BUF, struct kipc_buf_reopen,
	    RW | KIPC_OPEN_NONBLOCK | KIPC_OPEN_CLOEXEC,
	    offsetof(struct kipc_buf_reopen, __reserved), true, false),
	CMD(C_SEM_WAIT, KIPC_IOC_SEM_WAIT, K_SEM, struct kipc_sem_wait,
	    KIPC_SEM_NONBLOCK | KIPC_SEM_DEADLINE,
	    offsetof(struct kipc_sem_wait, __reserved), false, true),
	CMD(C_SEM_POST, KIPC_IOC_SEM_POST, K_SEM, struct kipc_sem_post, 0,
	    offsetof(struct kipc_sem_post, __reserved), false, false),
	CMD(C_SEM_STAT, KIPC_IOC_SEM_STAT, K_SEM, struct kipc_sem_stat, 0,
	    -1, true, false),
	CMD(C_SEM_REOPEN, KIPC_IOC_SEM_REOPEN, K_SEM, struct kipc_sem_reopen,
	    RW | KIPC_OPEN_NONBLOCK | KIPC_OPEN_CLOEXEC | KIPC_OPEN_UNDO,
	    offsetof(struct kipc_sem_reopen, __reserved), true, false),
};

/* The errnos each command documents (uapi/linux/kipc.h), beyond es_generic. */
static errset cmd_errs[NCMDS];

static void errsets_init(void)
{
	errset open = ES(ENOENT, EEXIST, EACCES, ENAMETOOLONG, ENOSPC, EDQUOT,
			 EMFILE);

	es_generic = ES(EFAULT, EINVAL, E2BIG, ENOMEM);
	es_intr = ES(EINTR);
	cmd_errs[C_MQ_OPEN] = open;
	cmd_errs[C_BUF_OPEN] = open;
	cmd_errs[C_SEM_OPEN] = open;
	cmd_errs[C_UNLINK] = ES(ENOENT, EACCES, ENAMETOOLONG);
	cmd_errs[C_MQ_SEND] = ES(EBADF, EMSGSIZE, EAGAIN, ETIMEDOUT, EDQUOT);
	cmd_errs[C_MQ_RECV] = ES(EBADF, EAGAIN, ETIMEDOUT, EMSGSIZE);
	cmd_errs[C_MQ_SENDV] = cmd_errs[C_MQ_SEND];
	cmd_errs[C_MQ_RECVV] = cmd_errs[C_MQ_RECV];
	cmd_errs[C_BUF_WAIT] = ES(EAGAIN, ETIMEDOUT, EBADF, ENXIO);
	cmd_errs[C_BUF_WAKE] = ES(EBADF, ENXIO);
	cmd_errs[C_BUF_REOPEN] = ES(EACCES, EMFILE);
	cmd_errs[C_SEM_WAIT] = ES(EAGAIN, ETIMEDOUT, EBADF);
	cmd_errs[C_SEM_POST] = ES(EOVERFLOW, EBADF);
	cmd_errs[C_SEM_REOPEN] = ES(EACCES, EMFILE);
}

/* ---- pointers ---- */

static unsigned char *prot_none;	/* a PROT_NONE page */

enum ptr {
	P_GOOD, P_NULL, P_LOW, P_KERNEL, P_NONCANON, P_NONE, P_RO, P_SLOT,
	P_EDGE, P_RANDOM, NPTRS
};
static const char *const ptr_name[NPTRS] = {
	"good", "NULL", "low", "kernel", "non-canonical", "PROT_NONE",
	"read-only", "kipc-mapping", "edge", "random",
};

/* A user address as the kernel takes it (a __u64) back to a pointer. */
static void *uptr(uint64_t addr)
{
	return (void *)(uintptr_t)addr;	/* on purpose: NOLINT(performance-no-int-to-ptr) */
}

/*
 * A pointer of kind @p for the kernel to read @len bytes from, or to
 * write to if @write: then only where a write cannot hurt this process
 * (our own buffers, the mapping slots, or memory that faults). @good is
 * the caller's buffer, @good_len its size.
 */
static uint64_t ptr_of(int p, bool write, void *good)
{
	switch (p) {
	case P_GOOD:
		return (uintptr_t)good;
	case P_NULL:
		return 0;
	case P_LOW:
		return 0x10;
	case P_KERNEL:
		return 0xffff888000000000ull;
	case P_NONCANON:
		return 0x8000000000000000ull;
	case P_NONE:
		return (uintptr_t)prot_none;
	case P_RO:
		return (uintptr_t)tc->ro;
	case P_SLOT:
		return (uintptr_t)(mt.base +
				   (size_t)below(&tc->r, NMAPS) * MAP_SLOT +
				   below(&tc->r, (MAP_SLOT - MSG_CAP) / 8) * 8ul);
	case P_EDGE:
		return (uintptr_t)(tc->edge + PAGE -
				   8ul * (1 + below(&tc->r, 4)));
	default:
		return write ? (uintptr_t)prot_none + below(&tc->r, PAGE) :
		       rnd(&tc->r);
	}
}

static int pick_ptr(unsigned int good_pct)
{
	return chance(&tc->r, good_pct) ? P_GOOD : 1 + below(&tc->r, NPTRS - 1);
}

static bool ptr_faults(int p)
{
	return p == P_NULL || p == P_LOW || p == P_KERNEL || p == P_NONCANON ||
	       p == P_NONE;
}

/* ---- names ---- */

static void names_init(void)
{
	for (int i = 0; i < NNAMES; i++) {
		int n = snprintf(names[i], sizeof(names[i]), "/kfz%d.%d",
				 (int)sup_pid, i);

		/* two of them as long as a name can be, and one shorter */
		if (i >= NNAMES - 2) {
			int len = i == NNAMES - 1 ? KIPC_NAME_MAX :
				  KIPC_NAME_MAX - 1;

			memset(names[i] + n, 'x', len - n);
			names[i][len] = '\0';
		}
	}
}

/*
 * A name for an open or unlink: a name of the run, or a malformed one,
 * which no call may accept. Sets *@name and *@len; true if malformed.
 */
static bool pick_name(unsigned char *area, __u64 *name, uint32_t *len)
{
	struct rng *r = &tc->r;
	unsigned char *p = area;
	int i = below(r, NNAMES);

	if (chance(r, 85)) {
		size_t l = strlen(names[i]);

		memcpy(p, names[i], l + 1);
		*name = (uintptr_t)p;
		*len = l;
		return false;
	}
	memcpy(p, names[i], strlen(names[i]) + 1);
	*name = (uintptr_t)p;
	*len = strlen(names[i]);
	switch (below(r, 9)) {
	case 0:		/* no leading '/' */
		p[0] = 'x';
		break;
	case 1:		/* a '/' inside */
		p[1 + below(r, *len - 1)] = '/';
		break;
	case 2:		/* a NUL inside */
		p[1 + below(r, *len - 1)] = '\0';
		break;
	case 3:		/* "/" alone, or one byte */
		*len = 1;
		break;
	case 4:		/* longer than the string: its NUL is inside */
		*len += 1 + below(r, 16);
		memset(p + strlen(names[i]), 0, 17);
		break;
	case 5:		/* too long */
		*len = KIPC_NAME_MAX + 1 + (chance(r, 50) ? 0 : edge32(r) / 2);
		memset(p, '/', 1);
		memset(p + 1, 'y', KIPC_NAME_MAX + 8);
		break;
	case 6:		/* an unreadable name */
		*name = ptr_of(1 + below(r, 5), false, NULL);
		break;
	case 7:		/* a name running into a PROT_NONE page */
		*name = (uintptr_t)(tc->edge + PAGE - 3);
		memcpy(tc->edge + PAGE - 3, "/ab", 3);
		*len = 8;
		break;
	default:	/* a '/' in front of a name of the run */
		memmove(p + 1, p, *len + 1);
		p[0] = '/';
		*len += 1;
		if (*len > KIPC_NAME_MAX)
			*len = KIPC_NAME_MAX + 1;
		break;
	}
	return true;
}

/* ---- struct shapes: how the struct is laid out for the kernel ---- */

enum shape {
	SH_OK, SH_EXT0, SH_PAGE0, SH_EXTDIRTY, SH_SHORT, SH_ZERO, SH_4097,
	SH_HUGE, SH_FLAG, SH_RESERVED, SH_NULL, SH_UNMAPPED, SH_KERNEL,
	SH_NONCANON, SH_PROTNONE, SH_STRADDLE, SH_STRADDLE_SIZE, SH_RO,
	SH_CMD_DIR, SH_CMD_SIZE, SH_CMD_TYPE, NSHAPES
};
static const char *const shape_name[NSHAPES] = {
	"ok", "ext-zero", "page-zero", "ext-dirty", "short", "size-0",
	"size-4097", "size-huge", "unknown-flag", "reserved", "NULL",
	"unmapped", "kernel", "non-canonical", "PROT_NONE", "straddle",
	"straddle-size", "read-only", "cmd-dir", "cmd-size", "cmd-type",
};

/*
 * One ioctl call as built: the struct (@s), its shape, where it went
 * (@arg), and what to expect. @out is where the kernel's answer can be
 * read back (the arena, or the read-only page's writable alias).
 */
struct icall {
	const struct cmdesc *cd;
	int id;
	int shape;
	unsigned long nr;
	unsigned char s[512];
	uint32_t size;		/* the size field */
	uint32_t bit;		/* SH_FLAG's unknown flag; 0: pick one */
	void *arg;
	unsigned char *outp;
	unsigned char before[PAGE];	/* the arena before the call */
	uint32_t extent;	/* bytes of the arena compared */
	struct expect e;
	uint64_t bound;		/* the watchdog's bound; 0: interrupt it */
};

static int pick_shape(struct rng *r, const struct cmdesc *cd)
{
	static const uint8_t w[NSHAPES] = {
		[SH_OK] = 160, [SH_EXT0] = 12, [SH_PAGE0] = 4, [SH_EXTDIRTY] = 4,
		[SH_SHORT] = 4, [SH_ZERO] = 2, [SH_4097] = 2, [SH_HUGE] = 2,
		[SH_FLAG] = 6, [SH_RESERVED] = 5, [SH_NULL] = 2,
		[SH_UNMAPPED] = 1, [SH_KERNEL] = 1, [SH_NONCANON] = 1,
		[SH_PROTNONE] = 1, [SH_STRADDLE] = 2, [SH_STRADDLE_SIZE] = 1,
		[SH_RO] = 6, [SH_CMD_DIR] = 2, [SH_CMD_SIZE] = 2,
		[SH_CMD_TYPE] = 1,
	};
	unsigned int sum = 0, x;
	int i;

	for (i = 0; i < NSHAPES; i++)
		sum += w[i];
	x = below(r, sum);
	for (i = 0; i < NSHAPES; i++) {
		if (x < w[i])
			break;
		x -= w[i];
	}
	if (i == SH_RESERVED && cd->reserved < 0)
		i = SH_OK;
	if (i == SH_FLAG && cd->flags == 0xffffffff)
		i = SH_OK;
	return i;
}

/*
 * Lay @c->s out as @c->shape says and set the expectations that the
 * shape alone decides (the dispatcher's checks come first, so they are
 * exact).
 */
static void shape_apply(struct icall *c)
{
	const struct cmdesc *cd = c->cd;
	struct rng *r = &tc->r;
	unsigned char *a = tc->arena;
	uint32_t ksize = cd->size;

	c->nr = cd->nr;
	c->size = ksize;
	memset(a, 0, 2 * PAGE);
	c->arg = a;
	c->outp = a;
	c->extent = PAGE;
	switch (c->shape) {
	case SH_EXT0:
		c->size = ksize + 8 * (1 + below(r, 8));
		break;
	case SH_PAGE0:
		c->size = PAGE;
		break;
	case SH_EXTDIRTY:
		c->size = ksize + 1 + below(r, PAGE - ksize);
		a[ksize + below(r, c->size - ksize)] = 1 + below(r, 255);
		c->e.exact = E2BIG;
		break;
	case SH_SHORT:
		c->size = 4 + below(r, ksize - 4);
		c->e.exact = EINVAL;
		break;
	case SH_ZERO:
		c->size = below(r, 4);
		c->e.exact = EINVAL;
		break;
	case SH_4097:
		c->size = PAGE + 1;
		c->e.exact = E2BIG;
		break;
	case SH_HUGE:
		c->size = PAGE + 1 + below(r, 0xffffffffu - PAGE - 1);
		c->e.exact = E2BIG;
		break;
	case SH_FLAG: {
		uint32_t unknown = ~cd->flags;
		uint32_t bit;

		bit = c->bit;
		while (!(bit & unknown))
			bit = 1u << below(r, 32);
		((uint32_t *)c->s)[1] |= bit;
		c->bit = bit;
		c->e.exact = EINVAL;
		break;
	}
	case SH_RESERVED: {
		uint32_t v = 1 + below(r, 0xfffffffe);

		memcpy(c->s + cd->reserved, &v, 4);
		c->e.must_fail = true;
		c->e.ok = ES(EINVAL, EBADF);
		break;
	}
	case SH_NULL:
		c->arg = NULL;
		c->e.exact = EFAULT;
		break;
	case SH_UNMAPPED:
		c->arg = (void *)0x10;
		c->e.exact = EFAULT;
		break;
	case SH_KERNEL:
		c->arg = (void *)0xffff888000000000ull;
		c->e.exact = EFAULT;
		break;
	case SH_NONCANON:
		c->arg = (void *)0x8000000000000000ull;
		c->e.exact = EFAULT;
		break;
	case SH_PROTNONE:
		c->arg = prot_none;
		c->e.exact = EFAULT;
		break;
	case SH_STRADDLE:
		/* size and flags readable, the rest in a PROT_NONE page */
		c->arg = tc->edge + PAGE - 8;
		c->outp = c->arg;
		c->extent = 8;
		c->e.exact = EFAULT;
		break;
	case SH_STRADDLE_SIZE:
		c->arg = tc->edge + PAGE - 2;
		c->outp = c->arg;
		c->extent = 2;
		c->e.exact = EFAULT;
		break;
	case SH_RO:
		c->arg = tc->ro;
		c->outp = tc->ro_rw;
		memset(tc->ro_rw, 0, 2 * PAGE);
		break;
	case SH_CMD_DIR:
		c->nr |= (unsigned long)(1 + below(r, 3)) << _IOC_DIRSHIFT;
		c->e.exact = ENOTTY;
		break;
	case SH_CMD_SIZE:
		c->nr |= (unsigned long)(1 + below(r, 0x3fff)) << _IOC_SIZESHIFT;
		c->e.exact = ENOTTY;
		break;
	case SH_CMD_TYPE: {
		/* none the VFS answers itself (FIONBIO is 'T' 0x21, FIBMAP 0 1) */
		static const uint8_t types[] = { 0xbb, 0xbd, 0xac, 0xfc, 0x3c };

		c->nr = (c->nr & ~(0xfful << _IOC_TYPESHIFT)) |
			((unsigned long)types[below(r, sizeof(types))] <<
			 _IOC_TYPESHIFT);
		c->e.exact = ENOTTY;
		break;
	}
	}
	memcpy(c->s, &c->size, 4);
	/* the struct, then whatever tail the shape left in the arena */
	if (c->shape == SH_STRADDLE || c->shape == SH_STRADDLE_SIZE) {
		memcpy(c->arg, c->s, c->extent);
	} else if (c->outp != a) {
		memcpy(tc->ro_rw, c->s, ksize);
		if (c->size > ksize && c->size <= PAGE)
			memcpy(tc->ro_rw + ksize, a + ksize, c->size - ksize);
	} else {
		memcpy(a, c->s, ksize);
	}
	memcpy(c->before, c->outp, c->extent);
}

/* The kernel's answer, as far as it could be written. */
static void *answer(struct icall *c)
{
	return c->outp;
}

/*
 * After the call: what the kernel wrote must stay within the struct, and
 * nothing at all when the dispatcher rejected it.
 */
static void check_writes(struct icall *c, long ret)
{
	uint32_t ksize = c->cd->size;

	if (c->shape == SH_RO || c->outp == NULL)
		return;
	if (c->e.exact && ret < 0 && c->shape != SH_RESERVED) {
		if (memcmp(c->before, c->outp, c->extent))
			fail("a rejected call (%s) wrote to its struct",
			     shape_name[c->shape]);
		return;
	}
	if ((c->shape == SH_EXT0 || c->shape == SH_PAGE0) &&
	    memcmp(c->before + ksize, c->outp + ksize, c->size - ksize))
		fail("wrote past its struct (size %u, the kernel's %u)",
		     c->size, ksize);
}

/* Run @c on @fd; returns the ioctl's result, errno in *@err. */
static long icall_run(struct icall *c, int fd, int *err, bool *intr)
{
	long ret;

	call_begin(c->bound);
	ret = ioctl(fd, c->nr, c->arg);
	*err = ret < 0 ? errno : 0;
	*intr = call_end();
	return ret;
}

/* ---- deadlines ---- */

/*
 * A deadline for a blocking call: past, near (the call's bound), or far
 * (never reached: the watchdog interrupts it). Sets c->bound.
 */
static uint64_t pick_deadline(struct icall *c, bool *far)
{
	uint64_t now = mono_ns();
	struct rng *r = &tc->r;

	*far = false;
	switch (below(r, 10)) {
	case 0:
		c->bound = now;
		return chance(r, 50) ? 0 : 1;
	case 1:
		c->bound = now;
		return now > 1000000000 ? now - below(r, 1000000000) : 1;
	case 2:
		*far = true;
		c->bound = 0;
		return chance(r, 50) ? UINT64_MAX : now + (3600ull << 30);
	case 3:
		*far = true;
		c->bound = 0;
		return 0x8000000000000000ull + below(r, 1000);
	default: {
		uint64_t d = now + below(r, 30000000);

		c->bound = d;
		return d;
	}
	}
}

/* A wait that ended in ETIMEDOUT long before its deadline. */
static void check_timeout(int err, uint64_t deadline, uint64_t started)
{
	if (err == ETIMEDOUT && deadline > started + 3600ull * 1000000000)
		fail("ETIMEDOUT at once for a deadline %" PRIu64
		     " s away (deadline_ns %#" PRIx64 ")",
		     (deadline - started) / 1000000000, deadline);
}

/* ---- building each command ---- */

/* An fd of the kind @cd works on, or sometimes of another: ENOTTY. */
static int pick_target(const struct cmdesc *cd, struct fdent *f,
		       struct icall *c)
{
	int i;

	if (chance(&tc->r, 95)) {
		i = ft_pick(KM(cd->kind), f);
		if (i >= 0)
			return i;
	}
	i = ft_pick(KM_ANY & ~KM(cd->kind), f);
	if (i >= 0) {
		c->e.exact = ENOTTY;
		c->e.must_fail = true;
	}
	return i;
}

struct opened {
	int fd;
	uint32_t flags;		/* KIPC_OPEN_* asked for */
	int kind;
	uint32_t id;
	uint64_t size;
	bool newns;		/* made in a child's own IPC namespace */
};

static void build_open(struct icall *c, const struct fdent *ctl, int kind,
		       bool *named, bool *bad_name)
{
	struct rng *r = &tc->r;
	uint32_t flags = 0, mode;
	__u64 name = 0;
	uint32_t name_len = 0;
	bool create;

	switch (below(r, 10)) {
	case 0:
		break;
	case 1: case 2:
		flags = KIPC_OPEN_READ;
		break;
	case 3:
		flags = KIPC_OPEN_WRITE;
		break;
	default:
		flags = RW;
	}
	if (chance(r, 70))
		flags |= KIPC_OPEN_CREATE;
	if (chance(r, 20))
		flags |= KIPC_OPEN_EXCL;
	if (chance(r, 30))
		flags |= KIPC_OPEN_NONBLOCK;
	if (chance(r, 50))
		flags |= KIPC_OPEN_CLOEXEC;
	if (kind == K_SEM && chance(r, 40))
		flags |= KIPC_OPEN_UNDO;
	create = flags & KIPC_OPEN_CREATE;

	*named = chance(r, 60) && !(ctl->newns && create);
	*bad_name = false;
	if (*named) {
		*bad_name = pick_name(tc->batch, &name, &name_len);
	} else if (chance(r, 50)) {
		name = rnd(r);	/* ignored: anonymous */
	}
	if (chance(r, 85)) {
		static const uint32_t modes[] = {
			0600, 0644, 0666, 0400, 0200, 0, 0777, 0640, 0604,
		};
		mode = modes[below(r, KIPC_ARRAY_SIZE(modes))];
	} else {
		mode = edge32(r);
	}

	if (!(flags & RW) || ((flags & KIPC_OPEN_EXCL) && !create) ||
	    (!*named && !create) || *bad_name) {
		c->e.must_fail = true;
		c->e.ok = ES(EINVAL, ENAMETOOLONG, EFAULT);
	}
	if (create && (mode & ~0777)) {
		c->e.must_fail = true;
		c->e.ok = ES(EINVAL, ENAMETOOLONG, EFAULT);
	}

	switch (kind) {
	case K_MQ: {
		struct kipc_mq_open *o = (void *)c->s;

		o->flags = flags;
		o->name = name;
		o->name_len = name_len;
		o->mode = mode;
		o->max_msgs = chance(r, 20) ? 0 : chance(r, 85) ?
			      1 + below(r, 8) : edge32(r);
		o->msg_size = chance(r, 20) ? 0 : chance(r, 85) ?
			      below(r, 4096) + 1 : edge32(r);
		if (o->msg_size > MSG_CAP && o->msg_size <= mq_msgsize_max)
			o->msg_size = mq_msgsize_max + 1;
		o->fd = (int32_t)rnd(r);
		o->id = rnd(r);
		if (create && (o->max_msgs > mq_msgs_max ||
			       o->msg_size > mq_msgsize_max)) {
			c->e.must_fail = true;
			c->e.ok = ES(EINVAL, ENAMETOOLONG, EFAULT);
		}
		break;
	}
	case K_BUF: {
		struct kipc_buf_open *o = (void *)c->s;

		o->flags = flags;
		o->name = name;
		o->name_len = name_len;
		o->mode = mode;
		o->buf_size = chance(r, 85) ? 1 + below(r, 4 * PAGE) :
			      chance(r, 40) ? (uint64_t)buf_max << 20 :
			      chance(r, 50) ? ((uint64_t)buf_max << 20) + 1 :
			      edge64(r);
		if (o->buf_size > (2ul << 20) &&
		    o->buf_size <= (uint64_t)buf_max << 20)
			o->buf_size = 2ul << 20;
		o->fd = (int32_t)rnd(r);
		o->id = rnd(r);
		if (create && (!o->buf_size ||
			       o->buf_size > (uint64_t)buf_max << 20)) {
			c->e.must_fail = true;
			c->e.ok = ES(EINVAL, ENAMETOOLONG, EFAULT);
		}
		break;
	}
	default: {
		struct kipc_sem_open *o = (void *)c->s;
		uint32_t max;

		o->flags = flags;
		o->name = name;
		o->name_len = name_len;
		o->mode = mode;
		o->max = chance(r, 20) ? 0 : chance(r, 80) ? 1 + below(r, 8) :
			 edge32(r);
		max = o->max ? o->max : KIPC_SEM_VALUE_MAX;
		o->value = chance(r, 85) ? below(r, 3) : edge32(r);
		o->fd = (int32_t)rnd(r);
		o->id = rnd(r);
		if (create && (max > KIPC_SEM_VALUE_MAX || o->value > max)) {
			c->e.must_fail = true;
			c->e.ok = ES(EINVAL, ENAMETOOLONG, EFAULT);
		}
		break;
	}
	}
	/* an fd opened in a namespace of our own finds no name of the run */
	if (ctl->newns && *named && !*bad_name && !create) {
		c->e.must_fail = true;
		c->e.ok = ES(ENOENT);
	}
}

/* Check a new fd against what was asked for, then keep it. */
static void keep_fd(struct opened *o, bool undo)
{
	uint32_t access = o->flags & RW;
	int fdfl, fl, want;
	struct fdent e = {
		.fd = o->fd, .kind = o->kind, .access = access, .undo = undo,
		.id = o->id, .size = o->size, .newns = o->newns,
	};

	fdfl = fcntl(o->fd, F_GETFD);
	fl = fcntl(o->fd, F_GETFL);
	if (fdfl < 0 || fl < 0) {
		fail("the new fd %d is not open (%s)", o->fd, ename(errno));
		return;
	}
	want = access == KIPC_OPEN_READ ? O_RDONLY :
	       access == KIPC_OPEN_WRITE ? O_WRONLY : O_RDWR;
	if ((fl & O_ACCMODE) != want)
		fail("new fd: access mode %#o, asked for %#x", fl & O_ACCMODE,
		     o->flags);
	if (!!(fdfl & FD_CLOEXEC) != !!(o->flags & KIPC_OPEN_CLOEXEC))
		fail("new fd: FD_CLOEXEC %d, asked for %#x", fdfl, o->flags);
	if (!!(fl & O_NONBLOCK) != !!(o->flags & KIPC_OPEN_NONBLOCK))
		fail("new fd: O_NONBLOCK %#x, asked for %#x", fl, o->flags);
	if (!o->id)
		fail("new fd %d has id 0", o->fd);

	/* what the object is, from its own stat */
	if (o->kind == K_MQ) {
		struct kipc_mq_stat st = { .size = sizeof(st) };

		if (!ioctl(o->fd, KIPC_IOC_MQ_STAT, &st)) {
			e.size = st.msg_size;
			e.max_msgs = st.max_msgs;
			if (st.id != o->id)
				fail("queue id %" PRIu64 ", opened as %u",
				     (uint64_t)st.id, o->id);
		}
	} else if (o->kind == K_SEM) {
		struct kipc_sem_stat st = { .size = sizeof(st) };

		if (!ioctl(o->fd, KIPC_IOC_SEM_STAT, &st)) {
			if (st.max != o->size)
				fail("semaphore max %u, open said %" PRIu64,
				     st.max, o->size);
			if (st.undo != undo)
				fail("semaphore fd undo %u, opened with %d",
				     st.undo, undo);
		}
	} else if (o->kind == K_BUF) {
		struct kipc_buf_stat st = { .size = sizeof(st) };

		if (o->size % PAGE || !o->size)
			fail("buffer size %" PRIu64 " is not whole pages",
			     o->size);
		if (!ioctl(o->fd, KIPC_IOC_BUF_STAT, &st) &&
		    st.buf_size != o->size)
			fail("buffer size %" PRIu64 ", open said %" PRIu64,
			     (uint64_t)st.buf_size, o->size);
	}
	ft_add(&e);
}

/*
 * An object opened without privilege: the mode must have allowed it,
 * unless this open created it (@created: it may have).
 */
static void check_permission(int kind, int fd, uint32_t access, bool created)
{
	uint32_t uid, gid, mode, granted;
	unsigned char st[128] = { 0 };
	unsigned long nr = kind == K_MQ ? KIPC_IOC_MQ_STAT :
			   kind == K_BUF ? KIPC_IOC_BUF_STAT : KIPC_IOC_SEM_STAT;
	size_t mo = kind == K_MQ ? offsetof(struct kipc_mq_stat, mode) :
		    kind == K_BUF ? offsetof(struct kipc_buf_stat, mode) :
		    offsetof(struct kipc_sem_stat, mode);

	if (is_root && geteuid() == 0)
		return;		/* CAP_IPC_OWNER */
	*(uint32_t *)st = kind == K_MQ ? sizeof(struct kipc_mq_stat) :
			  kind == K_BUF ? sizeof(struct kipc_buf_stat) :
			  sizeof(struct kipc_sem_stat);
	if (ioctl(fd, nr, st))
		return;
	memcpy(&mode, st + mo, 4);
	memcpy(&uid, st + mo + 4, 4);
	memcpy(&gid, st + mo + 8, 4);
	if (created && uid == geteuid())
		return;		/* the creator gets its fd, whatever the mode */
	granted = uid == geteuid() ? mode >> 6 : gid == getegid() ? mode >> 3 :
		  mode;
	if (((access & KIPC_OPEN_READ) && !(granted & 4)) ||
	    ((access & KIPC_OPEN_WRITE) && !(granted & 2)))
		fail("opened for %#x an object of uid %u gid %u mode %#o as uid %u",
		     access, uid, gid, mode, geteuid());
}

static void after_open(struct icall *c, long ret, int kind,
		       const struct fdent *ctl)
{
	unsigned char *a = answer(c);
	struct opened o = { .kind = kind, .newns = ctl->newns };
	uint32_t flags;

	memcpy(&flags, c->s + 4, 4);
	o.flags = flags;
	if (ret < 0)
		return;
	if (kind == K_MQ) {
		struct kipc_mq_open *m = (void *)a;

		o.fd = m->fd;
		o.id = m->id;
	} else if (kind == K_BUF) {
		struct kipc_buf_open *b = (void *)a;

		o.fd = b->fd;
		o.id = b->id;
		o.size = b->buf_size;
	} else {
		struct kipc_sem_open *s = (void *)a;

		o.fd = s->fd;
		o.id = s->id;
		o.size = s->max;
	}
	if (ret != 0) {
		fail("open returned %ld, not 0", ret);
		return;
	}
	check_permission(kind, o.fd, flags & RW, flags & KIPC_OPEN_CREATE);
	keep_fd(&o, flags & KIPC_OPEN_UNDO);
}

static void check_version(struct icall *c, long ret)
{
	struct kipc_version *v = answer(c);

	if (ret == 0 && (v->abi_version != KIPC_ABI_VERSION ||
			 (v->features & 0xf) != 0xf))
		fail("version: abi %u features %#" PRIx64, v->abi_version,
		     (uint64_t)v->features);
}

static void build_unlink(struct icall *c, const struct fdent *ctl)
{
	struct kipc_unlink *u = (void *)c->s;
	struct rng *r = &tc->r;
	bool bad;

	u->kind = chance(r, 90) ? 1 + below(r, 3) : edge32(r);
	bad = pick_name(tc->batch, &u->name, &u->name_len);
	if (u->kind < KIPC_KIND_MQ || u->kind > KIPC_KIND_SEM || bad) {
		c->e.must_fail = true;
		c->e.ok = ES(EINVAL, ENAMETOOLONG, EFAULT);
	}
	if (ctl->newns && !c->e.must_fail) {
		c->e.must_fail = true;
		c->e.ok = ES(ENOENT);
	}
}

static void build_send(struct icall *c, const struct fdent *f, uint64_t *dl,
		       bool *far)
{
	struct kipc_mq_send *s = (void *)c->s;
	struct rng *r = &tc->r;
	int p = pick_ptr(85);

	s->flags = below(r, 4);
	if (s->flags & KIPC_MQ_DEADLINE)
		s->deadline_ns = *dl = pick_deadline(c, far);
	else if (s->flags & KIPC_MQ_NONBLOCK)
		c->bound = mono_ns();
	s->len = chance(r, 85) ? below(r, f->size + 1) :
		 chance(r, 50) ? f->size + 1 : edge32(r);
	if (s->len > RBUF)
		s->len = chance(r, 50) ? f->size + 1 : RBUF;
	s->buf = ptr_of(p, false, tc->rbuf);
	s->prio = chance(r, 90) ? below(r, 4) : chance(r, 50) ?
		  KIPC_MQ_PRIO_MAX + below(r, 2) : edge32(r);
	s->type = chance(r, 90) ? below(r, 4) : edge64(r);
	if (!(f->access & KIPC_OPEN_WRITE)) {
		c->e.exact = EBADF;
	} else if (s->prio > KIPC_MQ_PRIO_MAX) {
		c->e.exact = EINVAL;
	} else if (s->len > f->size) {
		c->e.exact = EMSGSIZE;
	} else if (s->len && ptr_faults(p)) {
		c->e.exact = EFAULT;
	}
	for (uint32_t i = 0; i < 16 && i < RBUF; i++)
		tc->rbuf[i] = (unsigned char)rnd(r);
}

static int recv_ptr(__u64 *buf)
{
	int p = pick_ptr(85);

	*buf = p == P_GOOD ? (uintptr_t)(tc->rbuf + below(&tc->r, RBUF / 2)) :
	       ptr_of(p, true, NULL);
	return p;
}

static void build_recv(struct icall *c, const struct fdent *f, uint64_t *dl,
		       bool *far)
{
	struct kipc_mq_recv *m = (void *)c->s;
	struct rng *r = &tc->r;

	m->flags = below(r, 16);
	if (m->flags & KIPC_MQ_DEADLINE)
		m->deadline_ns = *dl = pick_deadline(c, far);
	else if (m->flags & KIPC_MQ_NONBLOCK)
		c->bound = mono_ns();
	recv_ptr(&m->buf);
	m->len = chance(r, 85) ? below(r, f->size + 2) : edge32(r);
	m->select = chance(r, 90) ? below(r, 4) : edge32(r);
	m->type = chance(r, 90) ? below(r, 4) : edge64(r);
	m->msg_len = (uint32_t)rnd(r);
	m->prio = (uint32_t)rnd(r);
	if (!(f->access & KIPC_OPEN_READ)) {
		c->e.exact = EBADF;
	} else if (m->select > KIPC_MQ_SELECT_NOT) {
		c->e.exact = EINVAL;
	}
}

static void check_recv(struct icall *c, long ret, int err)
{
	struct kipc_mq_recv *in = (void *)c->s, *m = answer(c);

	if (c->shape == SH_RO)
		return;
	if (ret == 0) {
		if (m->len > in->len || m->len > m->msg_len ||
		    (!(in->flags & KIPC_MQ_TRUNCATE) && m->len != m->msg_len))
			fail("recv: len %u of buffer %u, message %u, flags %#x",
			     m->len, in->len, m->msg_len, in->flags);
		if (m->prio > KIPC_MQ_PRIO_MAX)
			fail("recv: priority %u", m->prio);
		if ((in->select == KIPC_MQ_SELECT_EXACT && m->type != in->type) ||
		    (in->select == KIPC_MQ_SELECT_NOT && m->type == in->type) ||
		    (in->select == KIPC_MQ_SELECT_LE && m->type > in->type))
			fail("recv: type %" PRIu64 " for selector %u type %" PRIu64,
			     (uint64_t)m->type, in->select, (uint64_t)in->type);
		if (!m->timestamp_ns || m->sender_pid <= 0)
			fail("recv: timestamp %" PRIu64 ", sender %d",
			     (uint64_t)m->timestamp_ns, m->sender_pid);
	} else if (err == EMSGSIZE && m->msg_len <= in->len) {
		fail("recv: EMSGSIZE for a %u-byte message into %u bytes",
		     m->msg_len, in->len);
	}
}

static void check_mq_stat(const struct kipc_mq_stat *st, const struct fdent *f)
{
	if (st->depth > st->max_msgs || st->high_water > st->max_msgs ||
	    st->high_water < st->depth ||
	    st->sent - st->received != st->depth ||
	    st->bytes > (uint64_t)st->depth * st->msg_size)
		fail("queue %" PRIu64 ": depth %u of %u, high water %u, sent %"
		     PRIu64 ", received %" PRIu64 ", bytes %" PRIu64,
		     (uint64_t)st->id, st->depth, st->max_msgs, st->high_water,
		     (uint64_t)st->sent, (uint64_t)st->received,
		     (uint64_t)st->bytes);
	if (f && (st->id != f->id ||
		  (f->max_msgs && (st->max_msgs != f->max_msgs ||
				   st->msg_size != f->size))))
		fail("queue %" PRIu64 " (%u x %u) through the fd of %u (%u x %"
		     PRIu64 ")", (uint64_t)st->id, st->max_msgs, st->msg_size,
		     f->id, f->max_msgs, f->size);
}

static void build_batch(struct icall *c, const struct fdent *f, bool send,
			uint64_t *dl, bool *far)
{
	struct kipc_mq_batch *b = (void *)c->s;
	struct rng *r = &tc->r;
	uint32_t stride, count, n;
	unsigned char *arr;
	int p;

	b->flags = below(r, send ? 4 : 8);
	if (b->flags & KIPC_MQ_DEADLINE)
		b->deadline_ns = *dl = pick_deadline(c, far);
	else if (b->flags & KIPC_MQ_NONBLOCK)
		c->bound = mono_ns();
	stride = chance(r, 80) ? sizeof(struct kipc_mq_msg) :
		 chance(r, 60) ? sizeof(struct kipc_mq_msg) + 8ul * below(r, 8) :
		 edge32(r);
	count = chance(r, 85) ? 1 + below(r, 16) : chance(r, 50) ?
		KIPC_MQ_BATCH_MAX + below(r, 2) : edge32(r);
	b->count = count;
	b->msg_size = stride;
	if (!send || chance(r, 5)) {
		b->select = chance(r, 90) ? below(r, 4) : edge32(r);
		b->type = chance(r, 90) ? below(r, 4) : edge64(r);
	}
	memset(tc->batch, 0, BATCH);
	/* the array may run into the guard page after the batch area */
	n = stride && stride <= PAGE ? BATCH / stride : 0;
	if (count < n)
		n = count;
	arr = tc->batch + (n && chance(r, 10) ?
			   BATCH - (size_t)stride * (n / 2 + 1) : 0);
	/* entries overlap when the stride is short: each fits, whole */
	for (uint32_t i = 0; i < n && arr + i * (uint64_t)stride +
	     (stride > sizeof(struct kipc_mq_msg) ? stride :
	      sizeof(struct kipc_mq_msg)) <= tc->batch + BATCH; i++) {
		struct kipc_mq_msg *m = (void *)(arr + (size_t)i * stride);

		if (send) {
			p = pick_ptr(90);
			m->buf = ptr_of(p, false, tc->rbuf);
			m->len = chance(r, 90) ? below(r, f->size + 1) :
				 edge32(r);
			if (m->len > RBUF)
				m->len = f->size + 1;
			m->prio = chance(r, 95) ? below(r, 4) : edge32(r);
			m->type = below(r, 4);
		} else {
			recv_ptr(&m->buf);
			m->len = chance(r, 85) ? below(r, f->size + 2) :
				 edge32(r);
		}
		if (chance(r, 2))
			m->__reserved = 1;
		if (stride > sizeof(*m) && chance(r, 5))
			arr[(size_t)i * stride + sizeof(*m) +
			    below(r, stride - sizeof(*m))] = 1;
	}
	p = chance(r, 95) ? P_GOOD : 1 + below(r, 5);
	b->msgs = p == P_GOOD ? (uintptr_t)arr : ptr_of(p, true, NULL);

	if (!(f->access & (send ? KIPC_OPEN_WRITE : KIPC_OPEN_READ)))
		c->e.exact = EBADF;
	else if (!count || count > KIPC_MQ_BATCH_MAX ||
		 stride < sizeof(struct kipc_mq_msg))
		c->e.exact = EINVAL;	/* before E2BIG: NOLINT(bugprone-branch-clone) */
	else if (stride > PAGE)
		c->e.exact = E2BIG;
	else if (b->select > KIPC_MQ_SELECT_NOT ||
		 (send && (b->select || b->type)))
		c->e.exact = EINVAL;
}

static void check_batch(struct icall *c, long ret, bool send)
{
	struct kipc_mq_batch *b = (void *)c->s;

	if (ret > 0 && (uint64_t)ret > b->count)
		fail("%s returned %ld for %u messages", send ? "SENDV" : "RECVV",
		     ret, b->count);
	if (ret == 0)
		fail("%s returned 0", send ? "SENDV" : "RECVV");
	if (!send && ret > 0 && b->msgs >= (uintptr_t)tc->batch &&
	    b->msgs < (uintptr_t)tc->batch + BATCH) {
		for (long i = 0; i < ret; i++) {
			struct kipc_mq_msg *m = uptr(b->msgs +
						     i * b->msg_size);

			if ((unsigned char *)(m + 1) > tc->batch + BATCH)
				break;
			if (m->len > m->msg_len || m->prio > KIPC_MQ_PRIO_MAX ||
			    (!(b->flags & KIPC_MQ_TRUNCATE) &&
			     m->len != m->msg_len))
				fail("RECVV entry %ld: len %u, message %u, prio %u",
				     i, m->len, m->msg_len, m->prio);
		}
	}
}

static void build_buf_wait(struct icall *c, const struct fdent *f,
			   uint64_t *dl, bool *far)
{
	struct kipc_buf_wait *w = (void *)c->s;
	struct rng *r = &tc->r;

	w->flags = chance(r, 75) ? KIPC_BUF_DEADLINE : 0;
	if (w->flags)
		w->deadline_ns = *dl = pick_deadline(c, far);
	w->offset = chance(r, 85) ? below(r, f->size / 4) * 4ull :
		    chance(r, 50) ? f->size + 4ull * below(r, 4) : edge64(r);
	w->value = chance(r, 80) ? below(r, 2) : (uint32_t)rnd(r);
	if (!(f->access & KIPC_OPEN_READ))
		c->e.exact = EBADF;
	else if (w->offset & 3)
		c->e.exact = EINVAL;
	else if (w->offset >= f->size)
		c->e.exact = ENXIO;
}

static void build_buf_wake(struct icall *c, const struct fdent *f)
{
	struct kipc_buf_wake *w = (void *)c->s;
	struct rng *r = &tc->r;

	w->offset = chance(r, 85) ? below(r, f->size / 4) * 4ull : edge64(r);
	w->count = chance(r, 85) ? (chance(r, 30) ? KIPC_BUF_WAKE_ALL :
				    1 + below(r, 3)) : edge32(r);
	if (!(f->access & KIPC_OPEN_WRITE))
		c->e.exact = EBADF;
	else if ((w->offset & 3) || !w->count)
		c->e.exact = EINVAL;
	else if (w->offset >= f->size)
		c->e.exact = ENXIO;
}

static void build_reopen(struct icall *c, const struct fdent *f, bool sem)
{
	struct kipc_buf_reopen *o = (void *)c->s;	/* same as sem's */
	struct rng *r = &tc->r;
	uint32_t access;

	o->flags = below(r, 4);
	if (chance(r, 30))
		o->flags |= KIPC_OPEN_NONBLOCK;
	if (chance(r, 50))
		o->flags |= KIPC_OPEN_CLOEXEC;
	if (sem && chance(r, 40))
		o->flags |= KIPC_OPEN_UNDO;
	o->fd = (int32_t)rnd(r);
	access = o->flags & RW;
	if (!access)
		c->e.exact = EINVAL;
	else if (access & ~f->access)
		c->e.exact = EACCES;
}

static void after_reopen(struct icall *c, long ret, const struct fdent *f)
{
	struct kipc_buf_reopen *o = answer(c);
	uint32_t flags;
	struct opened n = {
		.kind = f->kind, .id = f->id, .size = f->size,
		.newns = f->newns,
	};

	if (ret < 0)
		return;
	memcpy(&flags, c->s + 4, 4);
	n.fd = o->fd;
	n.flags = flags;
	keep_fd(&n, flags & KIPC_OPEN_UNDO);
}

static void build_sem_wait(struct icall *c, const struct fdent *f,
			   uint64_t *dl, bool *far)
{
	struct kipc_sem_wait *w = (void *)c->s;
	struct rng *r = &tc->r;

	w->flags = below(r, 4);
	if (w->flags & KIPC_SEM_DEADLINE)
		w->deadline_ns = *dl = pick_deadline(c, far);
	if (w->flags & KIPC_SEM_NONBLOCK)
		c->bound = mono_ns();
	w->count = chance(r, 85) ? 1 + below(r, 3) : chance(r, 50) ?
		   (uint32_t)f->size + below(r, 2) : edge32(r);
	if (!(f->access & KIPC_OPEN_READ))
		c->e.exact = EBADF;
	else if (!w->count || w->count > f->size)
		c->e.exact = EINVAL;
}

static void build_sem_post(struct icall *c, const struct fdent *f)
{
	struct kipc_sem_post *p = (void *)c->s;
	struct rng *r = &tc->r;

	p->count = chance(r, 85) ? 1 + below(r, 3) : edge32(r);
	if (!(f->access & KIPC_OPEN_WRITE))
		c->e.exact = EBADF;
	else if (!p->count)
		c->e.exact = EINVAL;
	else if (p->count > f->size)
		c->e.exact = EOVERFLOW;
}

static void check_sem_stat(const struct kipc_sem_stat *st,
			   const struct fdent *f)
{
	if (st->value > st->max || st->max > KIPC_SEM_VALUE_MAX || !st->max ||
	    (st->waiters == 0) != (st->first_wants == 0) ||
	    st->first_wants > st->max || (!st->undo && st->held))
		fail("semaphore %" PRIu64 ": value %u max %u waiters %u first wants %u undo %u held %" PRIu64,
		     (uint64_t)st->id, st->value, st->max, st->waiters,
		     st->first_wants, st->undo, (uint64_t)st->held);
	if (f && (st->id != f->id || st->max != f->size || st->undo != f->undo))
		fail("semaphore %" PRIu64 " (max %u, undo %u) through the fd of %u (max %" PRIu64 ", undo %d)",
		     (uint64_t)st->id, st->max, st->undo, f->id, f->size,
		     f->undo);
}

static void check_buf_stat(const struct kipc_buf_stat *st,
			   const struct fdent *f)
{
	if (!st->buf_size || st->buf_size % PAGE ||
	    (f && (st->id != f->id || st->buf_size != f->size)))
		fail("buffer %" PRIu64 " of %" PRIu64 " bytes through the fd of %u (%" PRIu64 ")",
		     (uint64_t)st->id, (uint64_t)st->buf_size, f ? f->id : 0,
		     f ? f->size : 0);
}

/* The fd a successful open or reopen answered, or -1. */
static int new_fd_of(struct icall *c)
{
	size_t off;
	int32_t fd;

	switch (c->id) {
	case C_MQ_OPEN:
		off = offsetof(struct kipc_mq_open, fd);
		break;
	case C_BUF_OPEN:
		off = offsetof(struct kipc_buf_open, fd);
		break;
	case C_SEM_OPEN:
		off = offsetof(struct kipc_sem_open, fd);
		break;
	case C_BUF_REOPEN:
	case C_SEM_REOPEN:
		off = offsetof(struct kipc_buf_reopen, fd);
		break;
	default:
		return -1;
	}
	memcpy(&fd, (unsigned char *)c->outp + off, 4);
	return fd;
}

/* One structured ioctl on a random fd. */
static void op_ioctl(void)
{
	struct rng *r = &tc->r;
	struct icall c;
	struct fdent f;
	uint64_t dl = 0, started;
	bool far = false, named = false, bad_name = false, intr, bad;
	int id, idx, err, nfd;
	long ret;

	id = below(r, NCMDS);
	memset(&c, 0, sizeof(c));
	c.cd = &cmds[id];
	c.id = id;
	idx = pick_target(c.cd, &f, &c);
	if (idx < 0)
		return;
	c.shape = pick_shape(r, c.cd);
	c.bound = c.cd->blocks ? 0 : mono_ns();
	if (f.kind == c.cd->kind) {
		switch (id) {
		case C_MQ_OPEN:
			build_open(&c, &f, K_MQ, &named, &bad_name);
			break;
		case C_BUF_OPEN:
			build_open(&c, &f, K_BUF, &named, &bad_name);
			break;
		case C_SEM_OPEN:
			build_open(&c, &f, K_SEM, &named, &bad_name);
			break;
		case C_UNLINK:
			build_unlink(&c, &f);
			break;
		case C_MQ_SEND:
			build_send(&c, &f, &dl, &far);
			break;
		case C_MQ_RECV:
			build_recv(&c, &f, &dl, &far);
			break;
		case C_MQ_SENDV:
		case C_MQ_RECVV:
			build_batch(&c, &f, id == C_MQ_SENDV, &dl, &far);
			break;
		case C_BUF_WAIT:
			build_buf_wait(&c, &f, &dl, &far);
			break;
		case C_BUF_WAKE:
			build_buf_wake(&c, &f);
			break;
		case C_BUF_REOPEN:
		case C_SEM_REOPEN:
			build_reopen(&c, &f, id == C_SEM_REOPEN);
			break;
		case C_SEM_WAIT:
			build_sem_wait(&c, &f, &dl, &far);
			break;
		case C_SEM_POST:
			build_sem_post(&c, &f);
			break;
		}
	}
	/* the shape's own expectations override the fields' */
	{
		struct expect fields = c.e;

		memset(&c.e, 0, sizeof(c.e));
		shape_apply(&c);
		if ((!c.e.exact && !c.e.must_fail) || fields.exact == ENOTTY)
			c.e = fields;
		/* a read-only struct fails the write-back: EFAULT or earlier */
		if (c.shape == SH_RO && c.cd->responds && !c.e.exact) {
			errset efault = ES(EFAULT);

			c.e.must_fail = true;
			es_add(&c.e.ok, &efault);
		}
	}
	describe("%s on fd %d (%s %u, access %#x) shape %s size %u%s",
		 c.cd->name, f.fd, kind_name[f.kind], f.id, f.access,
		 shape_name[c.shape], c.size, far ? " far deadline" : "");
	started = mono_ns();
	ret = icall_run(&c, f.fd, &err, &intr);
	/* closed under us: no verdict */
	bad = !ft_same(idx, &f) || judge(ret, err, &c.e, &cmd_errs[id], intr);
	if (!bad) {
		check_writes(&c, ret);
		if (far && ret < 0)
			check_timeout(err, dl, started);
	}
	if (bad || f.kind != c.cd->kind || c.shape == SH_RO) {
		/* an fd it made anyway is ours to close */
		if (ret == 0 && c.shape != SH_RO && (nfd = new_fd_of(&c)) >= 0)
			close(nfd);
		return;
	}
	switch (id) {
	case C_VERSION:
		check_version(&c, ret);
		break;
	case C_MQ_OPEN:
		after_open(&c, ret, K_MQ, &f);
		break;
	case C_BUF_OPEN:
		after_open(&c, ret, K_BUF, &f);
		break;
	case C_SEM_OPEN:
		after_open(&c, ret, K_SEM, &f);
		break;
	case C_MQ_RECV:
		check_recv(&c, ret, err);
		break;
	case C_MQ_STAT:
		if (!ret)
			check_mq_stat(answer(&c), &f);
		break;
	case C_MQ_SENDV:
	case C_MQ_RECVV:
		check_batch(&c, ret, id == C_MQ_SENDV);
		break;
	case C_BUF_STAT:
		if (!ret)
			check_buf_stat(answer(&c), &f);
		break;
	case C_BUF_WAKE: {
		struct kipc_buf_wake *w = (void *)c.s;

		if (ret > 0 && w->count != KIPC_BUF_WAKE_ALL &&
		    (uint64_t)ret > w->count)
			fail("woke %ld of at most %u", ret, w->count);
		break;
	}
	case C_SEM_STAT:
		if (!ret)
			check_sem_stat(answer(&c), &f);
		break;
	case C_BUF_REOPEN:
	case C_SEM_REOPEN:
		after_reopen(&c, ret, &f);
		break;
	default:
		if (ret > 0 && id != C_SEM_POST)
			fail("returned %ld", ret);
	}
}

/* Command numbers no fd knows: ENOTTY, whatever the argument. */
static void op_raw_ioctl(void)
{
	static const uint8_t types[] = { KIPC_TYPE, KIPC_TYPE, KIPC_TYPE, 0xbb,
					 0xbd, 0xcb };
	struct rng *r = &tc->r;
	struct expect e = { .exact = ENOTTY };
	struct fdent f;
	unsigned long nr;
	bool intr;
	long ret;
	int idx, err;
	size_t i;

	idx = ft_pick(KM_ANY, &f);
	if (idx < 0)
		return;
	nr = _IOC(below(r, 4), types[below(r, sizeof(types))], below(r, 256),
		  chance(r, 50) ? 0 : below(r, 1 << 14));
	for (i = 0; i < NCMDS; i++)
		if (cmds[i].nr == nr)
			return;		/* a real command: op_ioctl's job */
	memset(tc->arena, 0, PAGE);
	for (i = 0; i < 64; i++)
		tc->arena[i] = (unsigned char)rnd(r);
	describe("raw ioctl %#lx on fd %d (%s)", nr, f.fd, kind_name[f.kind]);
	call_begin(mono_ns());
	ret = ioctl(f.fd, nr, chance(r, 80) ? (void *)tc->arena :
		    uptr(ptr_of(1 + below(r, 5), true, NULL)));
	err = errno;
	intr = call_end();
	if (ft_same(idx, &f))
		judge(ret, err, &e, &es_generic, intr);
}

/* The VFS's own ioctls, on kipc's fds. */
static void op_vfs_ioctl(void)
{
	static const unsigned long nrs[] = {
		FIONBIO, FIOASYNC, FIOCLEX, FIONCLEX, FIONREAD, FIOQSIZE,
		FS_IOC_GETFLAGS, FS_IOC_GETVERSION, FIGETBSZ,
	};
	struct rng *r = &tc->r;
	struct expect e = { 0 };
	struct fdent f;
	unsigned long nr;
	long ret;
	int idx, err, v;
	bool intr;

	idx = ft_pick(KM_ANY, &f);
	if (idx < 0)
		return;
	nr = nrs[below(r, KIPC_ARRAY_SIZE(nrs))];
	memset(tc->arena, 0, 64);
	v = below(r, 2);
	memcpy(tc->arena, &v, sizeof(v));
	describe("vfs ioctl %#lx on fd %d (%s)", nr, f.fd, kind_name[f.kind]);
	call_begin(mono_ns());
	ret = ioctl(f.fd, nr, tc->arena);
	err = errno;
	intr = call_end();
	if (!ft_same(idx, &f))
		return;
	e.ok = ES(ENOTTY, EOPNOTSUPP, EPERM, EBADF);
	judge(ret, err, &e, &es_generic, intr);
	if (!ret && nr == FIONREAD && f.kind == K_BUF) {
		int n;

		memcpy(&n, tc->arena, sizeof(n));
		if ((uint64_t)n != f.size)
			fail("FIONREAD on a buffer of %" PRIu64 ": %d", f.size, n);
	}
}

/* ---- read, write, poll, epoll ---- */

/* read() or write() of any fd: each kind's own rules, as the VFS orders them. */
static void op_rw(bool wr)
{
	struct rng *r = &tc->r;
	struct expect e = { .ok = ES(EAGAIN, EMSGSIZE, EDQUOT) };
	uint32_t need = wr ? KIPC_OPEN_WRITE : KIPC_OPEN_READ;
	struct fdent f;
	__u64 buf;
	size_t count;
	ssize_t ret;
	int idx, err, p;
	bool intr;

	idx = ft_pick(KM_ANY, &f);
	if (idx < 0)
		return;
	if (wr) {
		p = pick_ptr(85);
		buf = ptr_of(p, false, tc->rbuf);
		count = chance(r, 85) ? below(r, f.kind == K_MQ ? f.size + 2 :
					      PAGE) :
			chance(r, 50) ? RBUF : edge64(r);
	} else {
		p = recv_ptr(&buf);
		count = chance(r, 80) ? below(r, 4 * PAGE) : edge64(r);
	}
	if (!(f.access & need))
		e.exact = EBADF;
	else if (f.kind == K_CTL || f.kind == K_SEM || (wr && f.kind == K_BUF) ||
		 (f.kind == K_BUF && count < 8 && p == P_GOOD))
		e.exact = EINVAL;
	else if (wr && count > f.size && p == P_GOOD && count <= RBUF)
		e.exact = EMSGSIZE;
	describe("%s(fd %d (%s %u, access %#x), %s, %zu)",
		 wr ? "wr" : "read", f.fd, kind_name[f.kind], f.id,
		 f.access, ptr_name[p], count);
	call_begin(0);
	ret = wr ? write(f.fd, uptr(buf), count) : read(f.fd, uptr(buf), count);
	err = errno;
	intr = call_end();
	if (!ft_same(idx, &f) || judge(ret, err, &e, &es_generic, intr) ||
	    ret < 0)
		return;
	if (wr ? (size_t)ret != count :
	    (size_t)ret > count || (f.kind == K_BUF &&
				   (ret != 8 || !*(uint64_t *)uptr(buf))))
		fail("%s of %zu returned %zd", wr ? "wr" : "read", count,
		     ret);
}

static void op_poll(void)
{
	struct rng *r = &tc->r;
	struct pollfd pfd[6];
	struct fdent f[6];
	struct expect e = { .ok = ES(EINTR) };
	int idx[6], n = 1 + below(r, 6), i, ret, err;

	for (i = 0; i < n; i++) {
		idx[i] = ft_pick(KM_ANY, &f[i]);
		pfd[i].fd = idx[i] < 0 ? -1 : f[i].fd;
		pfd[i].events = (short)rnd(r);
		pfd[i].revents = 0;
	}
	describe("poll of %d fds", n);
	call_begin(mono_ns() + 5000000);
	ret = poll(pfd, n, below(r, 4));
	err = errno;
	call_end();
	if (judge(ret, err, &e, &es_generic, true) || ret < 0)
		return;
	for (i = 0; i < n; i++)
		if (idx[i] >= 0 && (pfd[i].revents & POLLNVAL) &&
		    ft_same(idx[i], &f[i]))
			fail("poll: POLLNVAL on open fd %d (%s)", pfd[i].fd,
			     kind_name[f[i].kind]);
}

static void op_epoll(void)
{
	struct rng *r = &tc->r;
	struct epoll_event evs[8];
	struct expect e = {
		.ok = ES(EEXIST, ENOENT, EBADF, EPERM, EINTR, ELOOP),
	};
	struct fdent f;
	int ret, err, op;

	if (tc->epfd < 0)
		return;
	if (chance(r, 40)) {
		describe("epoll_wait");
		call_begin(mono_ns() + 5000000);
		ret = epoll_wait(tc->epfd, evs, 8, below(r, 3));
		err = errno;
		call_end();
		judge(ret, err, &e, &es_generic, true);
		return;
	}
	if (ft_pick(KM_ANY, &f) < 0)
		return;
	op = 1 + below(r, 3);
	evs[0].events = (uint32_t)rnd(r) & (EPOLLIN | EPOLLOUT | EPOLLET |
					   EPOLLONESHOT | EPOLLRDNORM |
					   EPOLLWRNORM | EPOLLPRI |
					   (op == EPOLL_CTL_ADD ? EPOLLEXCLUSIVE : 0));
	evs[0].data.u64 = f.fd;
	describe("epoll_ctl(%d, fd %d (%s))", op, f.fd, kind_name[f.kind]);
	call_begin(mono_ns());
	ret = epoll_ctl(tc->epfd, op, f.fd, evs);
	err = errno;
	call_end();
	judge(ret, err, &e, &es_generic, true);
}

/* ---- mappings ---- */

static unsigned char *slot_addr(int s)
{
	return mt.base + (size_t)s * MAP_SLOT;
}

/* Make [off, off + len) of slot @s reserved memory again. */
static void reserve(int s, size_t off, size_t len)
{
	/* MAP_FIXED over the slot, which mt owns: */
	/* cppcheck-suppress leakReturnValNotUsed */
	if (mmap(slot_addr(s) + off, len, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1,
		 0) == MAP_FAILED) {
		fail("cannot reserve slot %d again: %s", s, ename(errno));
		abort();
	}
}

static void slot_forget(int s)
{
	mt.s[s].kipc = false;
	mt.s[s].pristine = false;
	mt.s[s].gen = ++mt.gen;
}

/* Map a buffer fd into a slot; called with mt.lock held. */
static int map_into(int s, const struct fdent *f, uint64_t off, size_t len,
		    int prot, int flags, const struct expect *e, int idx)
{
	uintptr_t p;	/* the slot's already, MAP_FIXED */
	int err, ret = 0;
	bool intr;

	reserve(s, 0, MAP_SLOT);
	slot_forget(s);
	describe("mmap(slot %d, %zu, prot %#x, flags %#x, fd %d (%s %u, access %#x), %#" PRIx64 ")",
		 s, len, prot, flags, f->fd, kind_name[f->kind], f->id,
		 f->access, off);
	call_begin(mono_ns());
	p = (uintptr_t)mmap(slot_addr(s), len, prot, flags | MAP_FIXED, f->fd,
			    off);
	err = errno;
	intr = call_end();
	if (p == (uintptr_t)MAP_FAILED) {
		reserve(s, 0, MAP_SLOT);
		if (idx < 0 || ft_same(idx, f))
			judge(-1, err, e, &es_generic, intr);
		return -1;
	}
	if (p != (uintptr_t)slot_addr(s)) {
		fail("MAP_FIXED mapped at %#lx, not %p", (unsigned long)p,
		     slot_addr(s));
		abort();
	}
	if (idx >= 0 && !ft_same(idx, f)) {
		/* some other file now: keep it, but know nothing of it */
		mt.s[s].kipc = true;
		mt.s[s].access = 0;
		mt.s[s].len = len;
	} else if (idx >= 0 && judge(0, 0, e, &es_generic, intr)) {
		ret = -1;
	} else {
		mt.s[s].kipc = true;
		mt.s[s].pristine = true;
		mt.s[s].prot = prot;
		mt.s[s].access = f->access;
		mt.s[s].id = f->id;
		mt.s[s].len = (len + PAGE - 1) & ~(PAGE - 1);
	}
	/* cppcheck-suppress memleak ; p is the slot's, known to mt */
	return ret;
}

static void op_mmap(void)
{
	struct rng *r = &tc->r;
	static const int prots[] = {
		PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE,
		PROT_WRITE, PROT_NONE, PROT_READ | PROT_EXEC,
	};
	struct expect e = { .ok = ES(ENOMEM, EAGAIN) };
	struct fdent f;
	uint64_t off, maxlen;
	size_t len;
	int idx, prot;

	pthread_mutex_lock(&mt.lock);
	idx = ft_pick(KM(K_BUF), &f);
	if (idx < 0 || !f.size) {
		pthread_mutex_unlock(&mt.lock);
		return;
	}
	off = below(r, f.size / PAGE) * PAGE;
	maxlen = f.size - off < MAP_SLOT ? f.size - off : MAP_SLOT;
	len = chance(r, 80) ? (1 + below(r, maxlen / PAGE)) * PAGE :
	      1 + below(r, maxlen);
	prot = prots[below(r, KIPC_ARRAY_SIZE(prots))];
	if (!(f.access & KIPC_OPEN_READ) ||
	    ((prot & PROT_WRITE) && !(f.access & KIPC_OPEN_WRITE)))
		e.exact = EACCES;
	map_into(below(r, NMAPS), &f, off, len, prot,
		 chance(r, 80) ? MAP_SHARED : MAP_SHARED_VALIDATE, &e, idx);
	pthread_mutex_unlock(&mt.lock);
}

/* Mappings that must not happen. */
static void op_mmap_bad(void)
{
	struct rng *r = &tc->r;
	struct expect e = { .must_fail = true };
	struct fdent f;
	uint64_t off = 0;
	size_t len = PAGE;
	int idx, prot = PROT_READ, flags = MAP_SHARED, err, how;
	bool intr;
	void *p;

	pthread_mutex_lock(&mt.lock);
	idx = ft_pick(chance(r, 70) ? KM(K_BUF) : KM_ANY, &f);
	if (idx < 0) {
		pthread_mutex_unlock(&mt.lock);
		return;
	}
	how = f.kind == K_BUF ? below(r, 7) : 7;
	switch (how) {
	case 0:
		flags = MAP_PRIVATE;
		if (chance(r, 50))
			prot |= PROT_WRITE;
		e.ok = ES(EINVAL, EACCES);
		break;
	case 1:
		off = below(r, f.size / PAGE) * PAGE + 1 + below(r, PAGE - 1);
		e.exact = EINVAL;
		break;
	case 2:
		off = f.size + below(r, 4) * PAGE;
		e.ok = ES(ENXIO, EACCES);
		break;
	case 3:
		len = f.size + 1 + below(r, 4 * PAGE);
		e.ok = ES(ENXIO, EACCES);
		break;
	case 4:
		len = 0;
		e.exact = EINVAL;
		break;
	case 5:
		flags = MAP_SHARED_VALIDATE | 0x80000;	/* MAP_SYNC */
		e.exact = EOPNOTSUPP;
		break;
	case 6:
		off = edge64(r) & ~(PAGE - 1);
		len = chance(r, 50) ? PAGE : edge64(r);
		if (off < f.size && len <= f.size - off)
			off = f.size;
		e.ok = ES(ENXIO, EACCES, EOVERFLOW, ENOMEM);
		break;
	default:
		e.ok = ES(ENODEV, EACCES);
		break;
	}
	describe("bad mmap #%d (len %zu, prot %#x, flags %#x, off %#" PRIx64 ") of fd %d (%s %u, access %#x, size %" PRIu64 ")",
		 how, len, prot, flags, off, f.fd, kind_name[f.kind], f.id,
		 f.access, f.size);
	call_begin(mono_ns());
	p = mmap(NULL, len, prot, flags, f.fd, off);
	err = errno;
	intr = call_end();
	if (p != MAP_FAILED)
		munmap(p, len);
	if (ft_same(idx, &f))
		judge(p == MAP_FAILED ? -1 : 0, err, &e, &es_generic, intr);
	pthread_mutex_unlock(&mt.lock);
}

static int pick_mapped(void)
{
	int s = below(&tc->r, NMAPS);

	for (int i = 0; i < NMAPS; i++, s = (s + 1) % NMAPS)
		if (mt.s[s].kipc)
			return s;
	return -1;
}

/* A mapped slot, and what it was when picked; -1 if none. */
static int pick_mapped_copy(struct mslot *m)
{
	int s;

	pthread_mutex_lock(&mt.lock);
	s = pick_mapped();
	if (s >= 0)
		*m = mt.s[s];
	pthread_mutex_unlock(&mt.lock);
	return s;
}

static void op_unmap(void)
{
	struct rng *r = &tc->r;
	struct expect e = { 0 };
	int s, ret, err;
	size_t off, len;
	bool intr;

	pthread_mutex_lock(&mt.lock);
	s = pick_mapped();
	if (s < 0)
		goto out;
	switch (below(r, 3)) {
	case 0:		/* replaced at once by reserved memory */
		describe("unmap slot %d by MAP_FIXED", s);
		call_begin(mono_ns());
		reserve(s, 0, MAP_SLOT);
		call_end();
		slot_forget(s);
		break;
	case 1:		/* a real munmap, then reserved again */
		describe("munmap slot %d", s);
		call_begin(mono_ns());
		ret = munmap(slot_addr(s), MAP_SLOT);
		err = errno;
		intr = call_end();
		judge(ret, err, &e, &es_generic, intr);
		/* the slot is mt's again: */
		/* cppcheck-suppress leakReturnValNotUsed */
		if (mmap(slot_addr(s), MAP_SLOT, PROT_NONE, MAP_PRIVATE |
			 MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
			 -1, 0) != slot_addr(s)) {
			fail("slot %d taken while unmapped", s);
			abort();
		}
		slot_forget(s);
		break;
	default:	/* a hole in it: the mapping splits */
		len = mt.s[s].len;
		off = below(r, len / PAGE) * PAGE;
		len = (1 + below(r, (len - off) / PAGE)) * PAGE;
		describe("munmap %zu at %zu of slot %d", len, off, s);
		call_begin(mono_ns());
		ret = munmap(slot_addr(s) + off, len);
		err = errno;
		intr = call_end();
		judge(ret, err, &e, &es_generic, intr);
		reserve(s, off, len);
		mt.s[s].pristine = false;
		mt.s[s].gen = ++mt.gen;
		break;
	}
out:
	pthread_mutex_unlock(&mt.lock);
}

static void op_mprotect(void)
{
	static const int prots[] = {
		PROT_READ, PROT_READ | PROT_WRITE, PROT_NONE, PROT_WRITE,
		PROT_READ | PROT_EXEC,
	};
	struct rng *r = &tc->r;
	struct expect e = { .ok = ES(ENOMEM) };
	int s, ret, err, prot;
	size_t off, len;
	bool whole, intr;

	pthread_mutex_lock(&mt.lock);
	s = pick_mapped();
	if (s < 0)
		goto out;
	len = mt.s[s].len;
	whole = chance(r, 50);
	off = whole ? 0 : below(r, len / PAGE) * PAGE;
	len = whole ? len : (1 + below(r, (len - off) / PAGE)) * PAGE;
	prot = prots[below(r, KIPC_ARRAY_SIZE(prots))];
	if ((prot & PROT_WRITE) && mt.s[s].pristine && mt.s[s].access &&
	    !(mt.s[s].access & KIPC_OPEN_WRITE))
		e.exact = EACCES;
	else if (!(mt.s[s].access & KIPC_OPEN_WRITE))
		e.ok = ES(ENOMEM, EACCES);
	describe("mprotect(slot %d + %zu, %zu, %#x) of a mapping of access %#x",
		 s, off, len, prot, mt.s[s].access);
	call_begin(mono_ns());
	ret = mprotect(slot_addr(s) + off, len, prot);
	err = errno;
	intr = call_end();
	judge(ret, err, &e, &es_generic, intr);
	if (!ret) {
		if (whole)
			mt.s[s].prot = prot;
		else
			mt.s[s].pristine = false;
		mt.s[s].gen = ++mt.gen;
	}
out:
	pthread_mutex_unlock(&mt.lock);
}

static void op_mremap(void)
{
	struct rng *r = &tc->r;
	struct expect e = { 0 };
	unsigned char *src;
	int s, d = -1, err, how;
	size_t len, nlen;
	bool intr;
	void *p;

	pthread_mutex_lock(&mt.lock);
	s = pick_mapped();
	if (s < 0 || !mt.s[s].pristine)
		goto out;
	src = slot_addr(s);
	len = mt.s[s].len;
	how = below(r, 4);
	if (how == 1 && len < 2 * PAGE)
		how = 0;
	nlen = how == 1 ? len - PAGE * (1 + below(r, len / PAGE - 1)) : len;
	if (how == 2) {
		d = (s + 1 + below(r, NMAPS - 1)) % NMAPS;
		reserve(d, 0, MAP_SLOT);
		slot_forget(d);
	}
	describe("mremap #%d of slot %d (%zu bytes, to %zu)", how, s, len,
		 nlen);
	call_begin(mono_ns());
	switch (how) {
	case 0:		/* grow: VM_DONTEXPAND */
		e.exact = EFAULT;
		p = mremap(src, len, len + PAGE * (1 + below(r, 4)),
			   chance(r, 50) ? MREMAP_MAYMOVE : 0, NULL);
		break;
	case 1:		/* shrink in place */
		p = mremap(src, len, nlen, 0, NULL);
		break;
	case 2:		/* move to another slot */
		p = mremap(src, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
			   slot_addr(d));
		break;
	default:	/* DONTUNMAP: for private anonymous memory only */
		e.exact = EINVAL;
		p = mremap(src, len, len, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
			   NULL);
		break;
	}
	err = errno;
	intr = call_end();
	if (p != MAP_FAILED && how != 1 && how != 2) {
		fail("mremap #%d of a buffer mapping succeeded", how);
		abort();	/* the slots are no longer what we think */
	}
	judge(p == MAP_FAILED ? -1 : 0, err, &e, &es_generic, intr);
	if (p == MAP_FAILED) {
		if (how == 2)
			reserve(d, 0, MAP_SLOT);
		goto out;
	}
	if (how == 1) {
		/* what was cut off is a hole now */
		reserve(s, nlen, MAP_SLOT - nlen);
		mt.s[s].len = nlen;
		mt.s[s].gen = ++mt.gen;
	} else {
		mt.s[d] = mt.s[s];
		mt.s[d].gen = ++mt.gen;
		reserve(s, 0, MAP_SLOT);
		slot_forget(s);
	}
out:
	pthread_mutex_unlock(&mt.lock);
}

static void op_madvise(void)
{
	static const int advice[] = {
		MADV_DONTNEED, MADV_WILLNEED, MADV_NORMAL, MADV_RANDOM,
		MADV_SEQUENTIAL, MADV_COLD, MADV_PAGEOUT, MADV_DONTFORK,
		MADV_DOFORK, MADV_DONTDUMP, MADV_DODUMP, MADV_POPULATE_READ,
		MADV_POPULATE_WRITE, MADV_REMOVE, MADV_FREE,
	};
	struct rng *r = &tc->r;
	struct expect e = {
		.ok = ES(EINVAL, EACCES, EPERM, EFAULT, ENOMEM, EAGAIN, EIO,
			 EHWPOISON, EOPNOTSUPP, EBADF, ENOSYS),
	};
	struct mslot m;
	int s, ret, err, adv;
	size_t off, len;
	bool intr;

	s = pick_mapped_copy(&m);
	if (s < 0)
		return;
	off = below(r, m.len / PAGE) * PAGE;
	len = (1 + below(r, (m.len - off) / PAGE)) * PAGE;
	adv = advice[below(r, KIPC_ARRAY_SIZE(advice))];
	if (adv == MADV_REMOVE && m.pristine && m.access)
		e.must_fail = true;	/* a hole in a buffer: never */
	describe("madvise(slot %d + %zu, %zu, %d)", s, off, len, adv);
	call_begin(mono_ns() + 1000000000);
	ret = madvise(slot_addr(s) + off, len, adv);
	err = errno;
	intr = call_end();
	pthread_mutex_lock(&mt.lock);
	if (mt.s[s].gen == m.gen)
		judge(ret, err, &e, &es_generic, intr);
	pthread_mutex_unlock(&mt.lock);
}

/* Loads and stores that race munmap and mprotect: faults are caught. */
static __thread sigjmp_buf guard_jb;
static __thread volatile sig_atomic_t guard_on;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };

	(void)uc;
	if (guard_on) {
		guard_on = 0;
		siglongjmp(guard_jb, sig);
	}
	/* not ours to catch: say where, then die of it */
	{
		ucontext_t *u = uc;
		uintptr_t ip = u->uc_mcontext.gregs[REG_RIP];
		uintptr_t sp = u->uc_mcontext.gregs[REG_RSP];
		char maps[16384];
		int fd = open("/proc/self/maps", O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, maps, sizeof(maps) - 1) : 0;

		out("# FAIL signal %d (code %d) at %p ip %#lx sp %#lx in pid %d: %s",
		    sig, si->si_code, si->si_addr, (unsigned long)ip,
		    (unsigned long)sp, (int)getpid(), tc ? tc->what : "?");
		if (n > 0) {
			maps[n] = 0;
			char *save = NULL;

			for (char *l = strtok_r(maps, "\n", &save); l;
			     l = strtok_r(NULL, "\n", &save)) {
				unsigned long lo, hi;

				if (sscanf(l, "%lx-%lx", &lo, &hi) == 2 &&
				    ((lo <= (uintptr_t)si->si_addr && (uintptr_t)si->si_addr < hi) ||
				     (lo <= ip && ip < hi) || (lo <= sp && sp < hi)))
					out("#   %s", l);
			}
		}
	}
	sigaction(sig, &sa, NULL);
}

/* A load or store at @w; the signal it died of, or 0. */
static __attribute__((noinline)) int guarded(volatile uint32_t *w, bool write,
					     bool bulk, uint32_t v)
{
	int sig = sigsetjmp(guard_jb, 1);

	if (sig)
		return sig;
	guard_on = 1;
	if (bulk) {
		if (write)
			memcpy((void *)w, tc->rbuf, PAGE);
		else
			memcpy(tc->rbuf, (void *)w, PAGE);
	} else if (write) {
		*w = v;
	} else {
		(void)*w;
	}
	guard_on = 0;
	return 0;
}

static void op_touch(void)
{
	struct rng *r = &tc->r;
	struct mslot m;
	size_t off;
	int s, sig;
	bool write = chance(r, 50), bulk = chance(r, 10);
	uint32_t v = chance(r, 50) ? below(r, 2) : (uint32_t)rnd(r);

	s = pick_mapped_copy(&m);
	if (s < 0)
		return;
	off = chance(r, 95) ? below(r, m.len / 4) * 4 :
	      below(r, MAP_SLOT / 4) * 4;
	if (off + PAGE > m.len)
		bulk = false;
	describe("%s slot %d + %zu (mapping of %u, access %#x, prot %#x, %zu bytes)",
		 write ? "store to" : "load from", s, off, m.id, m.access,
		 m.prot, (size_t)m.len);
	ADD(board->calls, 1);
	sig = guarded((volatile uint32_t *)(slot_addr(s) + off), write, bulk,
		      v);
	pthread_mutex_lock(&mt.lock);
	if (mt.s[s].gen == m.gen && m.kipc && m.pristine && m.access &&
	    off < m.len) {
		if (sig == SIGBUS)
			fail("SIGBUS inside a mapping of a buffer");
		if (!sig && write && !(m.access & KIPC_OPEN_WRITE))
			fail("stored through a mapping of a read-only fd");
	}
	pthread_mutex_unlock(&mt.lock);
}

/* ---- fds: close, dup, fcntl, the file syscalls, control fds ---- */

static void op_close(void)
{
	struct expect e = { 0 };
	struct fdent f;
	int idx, ret, err;

	idx = ft_pick(KM_ANY, &f);
	if (idx < 0 || !ft_take(idx, &f))
		return;
	describe("close(fd %d (%s %u))", f.fd, kind_name[f.kind], f.id);
	call_begin(mono_ns());
	ret = close(f.fd);
	err = errno;
	call_end();
	judge(ret, err, &e, &(errset){ { 0 } }, false);
}

static void op_dup(void)
{
	struct fdent f, n;
	int idx, fd;

	idx = ft_pick(KM_ANY, &f);
	if (idx < 0)
		return;
	describe("dup(fd %d (%s))", f.fd, kind_name[f.kind]);
	call_begin(mono_ns());
	fd = chance(&tc->r, 50) ? dup(f.fd) :
	     fcntl(f.fd, F_DUPFD_CLOEXEC, 64 + below(&tc->r, 200));
	call_end();
	if (fd < 0)
		return;
	if (!ft_same(idx, &f)) {
		close(fd);
		return;
	}
	n = f;
	n.fd = fd;
	ft_add(&n);
}

static void op_fcntl(void)
{
	struct rng *r = &tc->r;
	struct expect e = { 0 };
	struct fdent f;
	int idx, ret, err, how, want;
	bool intr;

	idx = ft_pick(KM_ANY, &f);
	if (idx < 0)
		return;
	how = below(r, 7);
	describe("fcntl #%d on fd %d (%s %u, access %#x)", how, f.fd,
		 kind_name[f.kind], f.id, f.access);
	call_begin(mono_ns());
	switch (how) {
	case 0:
		ret = fcntl(f.fd, F_GETFL);
		break;
	case 1:
		ret = fcntl(f.fd, F_SETFL, (chance(r, 50) ? O_NONBLOCK : 0) |
			    (chance(r, 5) ? O_APPEND : 0) |
			    (chance(r, 5) ? O_DIRECT : 0) |
			    (chance(r, 5) ? O_NOATIME : 0));
		e.ok = ES(EINVAL, EPERM);
		break;
	case 2:
		ret = fcntl(f.fd, F_SETFD, chance(r, 50) ? FD_CLOEXEC : 0);
		break;
	case 3:
		ret = fcntl(f.fd, F_GET_SEALS);
		if (f.kind != K_BUF)
			e.exact = EINVAL;
		break;
	case 4:
		ret = fcntl(f.fd, F_ADD_SEALS, 1 << below(r, 6));
		e.must_fail = true;
		e.ok = ES(EPERM, EINVAL);
		break;
	case 5:
		ret = flock(f.fd, (chance(r, 50) ? LOCK_EX : LOCK_SH) | LOCK_NB);
		if (!ret)
			flock(f.fd, LOCK_UN);
		e.ok = ES(EWOULDBLOCK, EINTR, ENOLCK);
		break;
	default:
		ret = fcntl(f.fd, F_GETFD);
		break;
	}
	err = errno;
	intr = call_end();
	if (!ft_same(idx, &f) || judge(ret, err, &e, &es_generic, intr))
		return;
	want = f.access == KIPC_OPEN_READ ? O_RDONLY :
	       f.access == KIPC_OPEN_WRITE ? O_WRONLY : O_RDWR;
	if (how == 0 && ret >= 0 && (ret & O_ACCMODE) != want)
		fail("F_GETFL %#x, opened with access %#x", ret, f.access);
	if (how == 3 && ret >= 0 &&
	    ret != (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW))
		fail("F_GET_SEALS %#x on a buffer", ret);
}

static int other_buf_fd(void)
{
	struct fdent f;

	return ft_pick(KM(K_BUF), &f) < 0 ? -1 : f.fd;
}

static void op_file(void)
{
	struct rng *r = &tc->r;
	struct expect e = { 0 };
	struct fdent f;
	struct stat st;
	char path[64];
	long ret;
	int idx, err, how, o = -1;
	off_t len;
	bool intr;

	idx = ft_pick(KM_ANY, &f);
	if (idx < 0)
		return;
	how = below(r, 7);
	describe("file call #%d on fd %d (%s %u, access %#x)", how, f.fd,
		 kind_name[f.kind], f.id, f.access);
	call_begin(mono_ns() + 1000000000);
	switch (how) {
	case 0:
		ret = fstat(f.fd, &st);
		break;
	case 1:
		len = chance(r, 50) ? (off_t)f.size : (off_t)edge64(r);
		ret = ftruncate(f.fd, len);
		if (f.kind != K_BUF || !(f.access & KIPC_OPEN_WRITE)) {
			e.exact = EINVAL;
		} else if (len != (off_t)f.size) {
			e.must_fail = true;
			e.ok = ES(EPERM, EINVAL, EFBIG);
		}
		break;
	case 2:
		ret = fallocate(f.fd, chance(r, 50) ? 0 : FALLOC_FL_PUNCH_HOLE |
				FALLOC_FL_KEEP_SIZE, below(r, 2 * PAGE),
				1 + below(r, 2 * PAGE));
		e.must_fail = true;
		e.ok = ES(EBADF, ENODEV, EOPNOTSUPP, ESPIPE);
		break;
	case 3:
		ret = lseek(f.fd, (off_t)edge64(r), below(r, 5));
		if (f.kind == K_CTL)
			e.exact = ESPIPE;
		break;
	case 4:
		snprintf(path, sizeof(path), "/proc/self/fd/%d", f.fd);
		ret = o = open(path, chance(r, 50) ? O_RDONLY : O_RDWR);
		if (f.kind != K_CTL) {
			e.must_fail = true;
			e.ok = ES(ENXIO, EACCES);
		}
		break;
	case 5:
		ret = sendfile(f.fd, other_buf_fd(), NULL, 1 + below(r, PAGE));
		e.must_fail = true;
		e.ok = ES(EBADF, ESPIPE, EOVERFLOW);
		break;
	default:
		ret = copy_file_range(f.fd, NULL, other_buf_fd(), NULL,
				      1 + below(r, PAGE), 0);
		e.must_fail = true;
		e.ok = ES(EBADF, EXDEV, EOPNOTSUPP, EISDIR, ESPIPE);
		break;
	}
	err = errno;
	intr = call_end();
	if (o >= 0)
		close(o);
	if (!ft_same(idx, &f) || judge(ret, err, &e, &es_generic, intr))
		return;
	if (how == 0 && f.kind == K_BUF &&
	    (!S_ISREG(st.st_mode) || (uint64_t)st.st_size != f.size))
		fail("fstat of a buffer of %" PRIu64 ": mode %#o size %lld",
		     f.size, st.st_mode, (long long)st.st_size);
}

static void op_ctl(void)
{
	struct rng *r = &tc->r;
	static const int modes[] = { O_RDWR, O_RDWR, O_RDONLY, O_WRONLY };
	int mode = modes[below(r, 4)];
	struct fdent e = { .kind = K_CTL, .newns = tc->newns };

	describe("open(%s)", KIPC_DEVICE_PATH);
	call_begin(mono_ns());
	e.fd = open(KIPC_DEVICE_PATH, mode | (chance(r, 50) ? O_CLOEXEC : 0) |
		    (chance(r, 20) ? O_NONBLOCK : 0));
	call_end();
	if (e.fd < 0) {
		fail("cannot open %s: %s", KIPC_DEVICE_PATH, ename(errno));
		/* cppcheck-suppress memleak ; no fd, fd < 0 */
		return;
	}
	e.access = mode == O_RDONLY ? KIPC_OPEN_READ :
		   mode == O_WRONLY ? KIPC_OPEN_WRITE : RW;
	ft_add(&e);
}

/* ---- forked children ---- */

static void kid_main(void);

/* run_op(), op_fork(), kid_main(): a chain across a fork(), not a recursion */
static void op_fork(void)	/* NOLINT(misc-no-recursion) */
{
	pid_t pid;
	int i;

	pthread_mutex_lock(&kids.lock);
	for (i = 0; i < MAX_KIDS && kids.pid[i]; i++)
		;
	pthread_mutex_unlock(&kids.lock);
	if (i == MAX_KIDS)
		return;
	describe("fork");
	call_begin(mono_ns() + 1000000000);
	pid = fork();
	if (pid == 0)
		kid_main();	/* does not return */
	call_end();
	if (pid < 0) {
		if (errno != EAGAIN && errno != ENOMEM)
			fail("fork: %s", ename(errno));
		return;
	}
	ADD(board->forks, 1);
	pthread_mutex_lock(&kids.lock);
	for (i = 0; i < MAX_KIDS && kids.pid[i]; i++)
		;
	if (i < MAX_KIDS) {
		kids.pid[i] = pid;
		kids.born[i] = mono_ns();
	} else {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	pthread_mutex_unlock(&kids.lock);
}

/* A child's end: its own exit, or our SIGKILL; anything else is a crash. */
static void kid_status(pid_t pid, int status, bool killed)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && killed)
		return;
	fail("child %d ended with %s %d", (int)pid,
	     WIFSIGNALED(status) ? "signal" : "status",
	     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

/* Reap children that ended; SIGKILL some that lived long enough. */
static void reap_kids(bool all)
{
	uint64_t now = mono_ns();
	int status;

	pthread_mutex_lock(&kids.lock);
	for (int i = 0; i < MAX_KIDS; i++) {
		pid_t pid = kids.pid[i];
		bool killed = false;

		if (!pid)
			continue;
		if (all || (now - kids.born[i] > 20000000 &&
			    chance(&tc->r, 30))) {
			kill(pid, SIGKILL);
			ADD(board->kills, 1);
			killed = true;
		}
		if (waitpid(pid, &status, killed ? 0 : WNOHANG) == pid) {
			kid_status(pid, status, killed);
			kids.pid[i] = 0;
		}
	}
	pthread_mutex_unlock(&kids.lock);
}

static void op_reap(void)
{
	describe("reap children");
	reap_kids(false);
}

/* ---- netlink: a raw generic netlink socket ---- */

static struct {
	uint16_t id;
	uint32_t events;	/* the multicast group's id */
} fam;

struct nlreq {
	struct nlmsghdr n;
	struct genlmsghdr g;
	unsigned char attrs[1024];
};

/* An object in a reply or an event, checked as the spec says. */
struct nlobj {
	uint32_t id, kind, refs, ipc_ns;
	bool linked, has_name;
	uint64_t stat[16];
	bool has_stat[16];
	char name[KIPC_NAME_MAX + 2];
};

static int nl_obj_parse(const struct nlmsghdr *n, struct nlobj *o, bool event)
{
	static const uint8_t sizes[KIPC_A_OBJ_MAX + 1] = {
		[KIPC_A_OBJ_ID] = 4, [KIPC_A_OBJ_KIND] = 4, [KIPC_A_OBJ_UID] = 4,
		[KIPC_A_OBJ_GID] = 4, [KIPC_A_OBJ_MODE] = 4,
		[KIPC_A_OBJ_REFS] = 4, [KIPC_A_OBJ_IPC_NS] = 4,
		[KIPC_A_OBJ_CTIME] = 8, [KIPC_A_OBJ_CHARGE] = 8,
		[KIPC_A_OBJ_LINKED] = 0,
	};
	const struct nlattr *tb[KIPC_A_OBJ_MAX + 1] = { 0 };
	const struct nlattr *st[16] = { 0 };
	const unsigned char *p = NLMSG_DATA(n);
	size_t len = n->nlmsg_len - NLMSG_HDRLEN;
	int nest = 0, t;

	memset(o, 0, sizeof(*o));
	if (len < GENL_HDRLEN ||
	    kipc_nla_walk(p + GENL_HDRLEN, len - GENL_HDRLEN, tb, KIPC_A_OBJ_MAX))
		return -1;
	for (t = KIPC_A_OBJ_ID; t <= KIPC_A_OBJ_IPC_NS; t++) {
		if (t == KIPC_A_OBJ_NAME || !tb[t])
			continue;
		if (tb[t]->nla_len != NLA_HDRLEN + sizes[t])
			return -1;
	}
	if (!tb[KIPC_A_OBJ_ID] || !tb[KIPC_A_OBJ_KIND] || !tb[KIPC_A_OBJ_UID] ||
	    !tb[KIPC_A_OBJ_MODE] || !tb[KIPC_A_OBJ_CTIME] ||
	    !tb[KIPC_A_OBJ_IPC_NS])
		return -1;
	o->id = kipc_nla_uint(tb[KIPC_A_OBJ_ID]);
	o->kind = kipc_nla_uint(tb[KIPC_A_OBJ_KIND]);
	o->ipc_ns = kipc_nla_uint(tb[KIPC_A_OBJ_IPC_NS]);
	o->linked = tb[KIPC_A_OBJ_LINKED];
	if (!o->id || o->kind < KIPC_KIND_MQ || o->kind > KIPC_KIND_SEM ||
	    kipc_nla_uint(tb[KIPC_A_OBJ_MODE]) & ~0777u)
		return -1;
	if (tb[KIPC_A_OBJ_NAME]) {
		const char *s = (const char *)tb[KIPC_A_OBJ_NAME] + NLA_HDRLEN;
		size_t l = tb[KIPC_A_OBJ_NAME]->nla_len - NLA_HDRLEN;

		if (!l || l > KIPC_NAME_MAX + 1 || s[l - 1] || strlen(s) != l - 1 ||
		    s[0] != '/' || strchr(s + 1, '/'))
			return -1;
		memcpy(o->name, s, l);
		o->has_name = true;
	}
	if (o->linked && !o->has_name)
		return -1;
	if (event)
		return 0;
	if (!tb[KIPC_A_OBJ_REFS] || !tb[KIPC_A_OBJ_CHARGE])
		return -1;
	o->refs = kipc_nla_uint(tb[KIPC_A_OBJ_REFS]);
	nest = o->kind == KIPC_KIND_MQ ? KIPC_A_OBJ_MQ :
	       o->kind == KIPC_KIND_BUF ? KIPC_A_OBJ_BUF : KIPC_A_OBJ_SEM;
	if (!tb[nest] || kipc_nla_walk((const unsigned char *)tb[nest] + NLA_HDRLEN,
				  tb[nest]->nla_len - NLA_HDRLEN, st, 15))
		return -1;
	for (t = 1; t < 16; t++) {
		if (!st[t])
			continue;
		if (st[t]->nla_len != NLA_HDRLEN + 4 &&
		    st[t]->nla_len != NLA_HDRLEN + 8)
			return -1;
		o->stat[t] = kipc_nla_uint(st[t]);
		o->has_stat[t] = true;
	}
	return 0;
}

/* What the statistics of a dumped object must satisfy, at any time. */
static void nl_obj_check(const struct nlobj *o)
{
	const uint64_t *s = o->stat;

	switch (o->kind) {
	case KIPC_KIND_MQ:
		if (s[KIPC_A_MQ_DEPTH] > s[KIPC_A_MQ_MAX_MSGS] ||
		    s[KIPC_A_MQ_SENT] - s[KIPC_A_MQ_RECEIVED] != s[KIPC_A_MQ_DEPTH] ||
		    s[KIPC_A_MQ_HIGH_WATER] < s[KIPC_A_MQ_DEPTH])
			fail("netlink: queue %u depth %" PRIu64 " of %" PRIu64 ", sent %" PRIu64 ", received %" PRIu64,
			     o->id, s[KIPC_A_MQ_DEPTH], s[KIPC_A_MQ_MAX_MSGS],
			     s[KIPC_A_MQ_SENT], s[KIPC_A_MQ_RECEIVED]);
		break;
	case KIPC_KIND_BUF:
		if (!s[KIPC_A_BUF_SIZE] || s[KIPC_A_BUF_SIZE] % PAGE)
			fail("netlink: buffer %u of %" PRIu64 " bytes", o->id,
			     s[KIPC_A_BUF_SIZE]);
		break;
	default:
		if (s[KIPC_A_SEM_VALUE] > s[KIPC_A_SEM_MAX_VALUE] ||
		    !s[KIPC_A_SEM_MAX_VALUE] ||
		    (s[KIPC_A_SEM_WAITERS] == 0) !=
		    (s[KIPC_A_SEM_FIRST_WANTS] == 0))
			fail("netlink: semaphore %u value %" PRIu64 " max %" PRIu64 " waiters %" PRIu64 " first wants %" PRIu64,
			     o->id, s[KIPC_A_SEM_VALUE],
			     s[KIPC_A_SEM_MAX_VALUE], s[KIPC_A_SEM_WAITERS],
			     s[KIPC_A_SEM_FIRST_WANTS]);
	}
}

/*
 * Read the answers to @seq: each object to @each, until the error or ack,
 * or NLMSG_DONE of a dump. Returns 0 or -errno as the kernel said, 1 if
 * the kernel sent nothing more within @ms, 2 if the caller's @each asked
 * to stop.
 */
static int nl_answer(int fd, uint32_t seq, unsigned char *buf, int ms,
		     bool dump, bool ack,
		     int (*each)(const struct nlmsghdr *, void *), void *arg)
{
	uint64_t end = mono_ns() + ms * 1000000ull;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	for (;;) {
		uint64_t now = mono_ns();
		ssize_t len;

		if (now >= end)
			return 1;
		if (poll(&p, 1, (end - now) / 1000000 + 1) <= 0)
			continue;
		len = recv(fd, buf, NLBUF, MSG_DONTWAIT);
		if (len < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		ADD(board->nl_msgs, 1);
		for (struct nlmsghdr *n = (void *)buf; NLMSG_OK(n, (size_t)len);
		     n = NLMSG_NEXT(n, len)) {
			if (n->nlmsg_seq != seq)
				continue;
			if (n->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(n);

				if (n->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					return -EBADMSG;
				return e->error;
			}
			if (n->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				if (n->nlmsg_len >= NLMSG_LENGTH(sizeof(err)))
					memcpy(&err, NLMSG_DATA(n), sizeof(err));
				return err;
			}
			if (n->nlmsg_type != (fam.id ?: GENL_ID_CTRL))
				return -EBADMSG;
			if (each && each(n, arg))
				return 2;
			if (!dump && !ack)
				return 0;
		}
	}
}

/* ---- the family's id and group, from the controller ---- */

static int ctrl_each(const struct nlmsghdr *n, void *arg)
{
	(void)arg;
	kipc_nl_ctrl_parse(n, KIPC_MCGRP_EVENTS, &fam.id, &fam.events);
	return 0;
}

static int resolve_family(unsigned char *buf)
{
	struct nlreq q = { 0 };
	unsigned char *p = q.attrs;
	int fd = kipc_nl_open(), ret;

	if (fd < 0)
		return -errno;
	q.n.nlmsg_type = GENL_ID_CTRL;
	q.n.nlmsg_flags = NLM_F_REQUEST;
	q.n.nlmsg_seq = 1;
	q.g.cmd = CTRL_CMD_GETFAMILY;
	q.g.version = 1;
	p = kipc_nla_put(p, CTRL_ATTR_FAMILY_NAME, KIPC_FAMILY_NAME,
		    sizeof(KIPC_FAMILY_NAME));
	q.n.nlmsg_len = p - (unsigned char *)&q;
	ret = kipc_nl_send(fd, &q, q.n.nlmsg_len);
	if (!ret)
		ret = nl_answer(fd, 1, buf, 5000, false, false, ctrl_each, NULL);
	close(fd);
	if (ret)
		return ret < 0 ? ret : -ETIMEDOUT;
	return fam.id && fam.events ? 0 : -ENOENT;
}

/* ---- dumps ---- */

static uint32_t ipc_inum(void)
{
	char link[64];
	ssize_t n = readlink("/proc/self/ns/ipc", link, sizeof(link) - 1);
	unsigned long v = 0;

	if (n > 0) {
		link[n] = '\0';
		sscanf(link, "ipc:[%lu]", &v);
	}
	return v;
}

/* What a dump, or a get, answered. */
struct dump {
	uint32_t last;		/* the id before */
	uint32_t n;
	uint32_t *ids;		/* if set, the ids seen, up to @max */
	struct nlobj *objs;	/* if set, the objects seen, up to @max */
	uint32_t max;
	uint32_t want_id;	/* a get of an object we hold: it, and no other */
	int want_kind;
	bool stop_early;
};

static int dump_each(const struct nlmsghdr *n, void *arg)
{
	struct dump *d = arg;
	struct nlobj o;

	if (nl_obj_parse(n, &o, false)) {
		fail("netlink: a malformed object");
		return 1;
	}
	if (o.id <= d->last)
		fail("netlink: id %u after %u", o.id, d->last);
	if (d->want_id && (o.id != d->want_id || (int)o.kind != d->want_kind))
		fail("netlink: get of %u (%s) answered %u (kind %u)", d->want_id,
		     kind_name[d->want_kind], o.id, o.kind);
	if (tc && tc->ipc_inum && o.ipc_ns != tc->ipc_inum)
		fail("netlink: dump in IPC namespace %u shows object %u of %u",
		     tc->ipc_inum, o.id, o.ipc_ns);
	d->last = o.id;
	nl_obj_check(&o);
	if (d->n < d->max) {
		if (d->ids)
			d->ids[d->n] = o.id;
		if (d->objs)
			d->objs[d->n] = o;
	}
	d->n++;
	return d->stop_early;
}

/* Dump the objects this task's IPC namespace sees; 0 or -errno. */
static int nl_dump(int fd, unsigned char *buf, struct dump *d)
{
	static uint32_t seq = 1000;
	struct nlreq q = { 0 };
	uint32_t s = __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED);
	int ret;

	q.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	q.n.nlmsg_type = fam.id;
	q.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	q.n.nlmsg_seq = s;
	q.g.cmd = KIPC_NL_CMD_OBJ_GET;
	q.g.version = KIPC_FAMILY_VERSION;
	ret = kipc_nl_send(fd, &q, q.n.nlmsg_len);
	if (ret)
		return ret;
	ret = nl_answer(fd, s, buf, (int)(opt.slack * 1000), true, false,
			dump_each, d);
	if (ret == 1) {
		fail("netlink: a dump did not end within %.0f s", opt.slack);
		return -ETIMEDOUT;
	}
	return ret == 2 ? 0 : ret;
}

/* ---- random netlink requests ---- */

/*
 * A name attribute: a name of the run (0), one that is not a name (1:
 * a get refuses it, a dump does not look), or one the policy refuses (2).
 */
static int nl_put_name(struct nlreq *q, unsigned char **p)
{
	struct rng *r = &tc->r;
	unsigned char s[KIPC_NAME_MAX + 8];
	const char *nm = names[below(r, NNAMES)];
	size_t l = strlen(nm);
	int bad = 0;

	(void)q;
	memcpy(s, nm, l + 1);
	switch (chance(r, 80) ? 0 : 1 + below(r, 5)) {
	case 1:
		s[0] = 'x';
		bad = 1;
		break;
	case 2:
		s[1 + below(r, l - 1)] = '/';
		bad = 1;
		break;
	case 3:		/* no NUL */
		*p = kipc_nla_put(*p, KIPC_A_OBJ_NAME, s, l);
		return 2;
	case 4:		/* too long */
		memset(s + 1, 'z', KIPC_NAME_MAX + 4);
		s[KIPC_NAME_MAX + 5] = '\0';
		l = KIPC_NAME_MAX + 5;
		bad = 2;
		break;
	case 5:
		s[1] = '\0';
		l = 1;
		bad = 1;
		break;
	}
	*p = kipc_nla_put(*p, KIPC_A_OBJ_NAME, s, l + 1);
	return bad;
}

static void op_netlink(void)
{
	struct rng *r = &tc->r;
	struct nlreq *q = (void *)tc->arena;
	struct dump d = { 0 };
	struct fdent f;
	unsigned char *p;
	errset nl_errs = ES(EINVAL, ERANGE, ENOENT, EOPNOTSUPP, EMSGSIZE,
			    ENOMEM, EPERM);
	bool dump, ack, defect = false, mangled = false, id_held = false;
	bool last_name_bad = false;
	int n, ret, idx = -1, ids = 0, names_n = 0, kind = 0;
	uint32_t seq, id = 0;
	size_t sent;

	if (tc->nl < 0)
		tc->nl = kipc_nl_open();
	if (tc->nl < 0)
		return;
	memset(q, 0, sizeof(*q));
	seq = ++tc->nl_seq;
	dump = chance(r, 35);
	ack = chance(r, 50);
	q->n.nlmsg_type = chance(r, 97) ? fam.id : fam.id + 64 + below(r, 64);
	/* the family checks flags: others than these are refused */
	q->n.nlmsg_flags = NLM_F_REQUEST | (ack ? NLM_F_ACK : 0) |
			   (dump ? NLM_F_DUMP : 0) |
			   (chance(r, 3) ? (uint16_t)rnd(r) & 0xf0 : 0);
	if (q->n.nlmsg_flags & 0xf0)
		defect = true;
	q->n.nlmsg_seq = seq;
	q->g.cmd = chance(r, 90) ? KIPC_NL_CMD_OBJ_GET : below(r, 256);
	q->g.version = chance(r, 90) ? KIPC_FAMILY_VERSION : below(r, 256);
	q->g.reserved = chance(r, 95) ? 0 : (uint16_t)(1 + below(r, 0xfffe));
	if (q->n.nlmsg_type != fam.id || q->g.cmd != KIPC_NL_CMD_OBJ_GET ||
	    q->g.reserved)
		defect = true;
	p = q->attrs;
	n = below(r, 4);
	for (int i = 0; i < n; i++) {
		unsigned char junk[32];
		uint64_t w;
		uint32_t v;

		switch (below(r, 10)) {
		case 0: case 1: case 2: case 3:
			ids++;
			if (chance(r, 70) && (idx = ft_pick(KM_OBJ, &f)) >= 0) {
				v = id = f.id;
				id_held = true;
			} else {
				v = chance(r, 30) ? 0 : edge32(r);
				id_held = false;
				if (!v)
					defect = true;
			}
			if (chance(r, 95)) {
				p = kipc_nla_put(p, KIPC_A_OBJ_ID, &v, 4);
			} else {
				w = v;
				p = kipc_nla_put(p, KIPC_A_OBJ_ID, &w,
					    chance(r, 50) ? 2 : 8);
				defect = true;
			}
			break;
		case 4: case 5:
			v = chance(r, 80) ? 1 + below(r, 3) : edge32(r);
			if (v < KIPC_KIND_MQ || v > KIPC_KIND_SEM)
				defect = true;
			kind = v;
			p = kipc_nla_put(p, KIPC_A_OBJ_KIND, &v, 4);
			break;
		case 6: case 7:
			names_n++;
			v = nl_put_name(q, &p);
			if (v == 2)
				defect = true;
			last_name_bad = v == 1;
			break;
		case 8:		/* a reply-only or unknown attribute */
			for (size_t j = 0; j < sizeof(junk); j++)
				junk[j] = (unsigned char)rnd(r);
			p = kipc_nla_put(p, KIPC_A_OBJ_LINKED + below(r, 40), junk,
				    below(r, sizeof(junk)));
			defect = true;
			break;
		default:	/* a broken attribute header, last */
			((struct nlattr *)p)->nla_type = below(r, 8);
			((struct nlattr *)p)->nla_len = chance(r, 50) ?
				below(r, NLA_HDRLEN) : 200 + below(r, 900);
			p += NLA_HDRLEN;
			defect = true;
			i = n;
			break;
		}
	}
	/* a get names one object, by id or by name (the last of each counts) */
	if (!dump && (!ids == !names_n || last_name_bad))
		defect = true;
	sent = p - (unsigned char *)q;
	q->n.nlmsg_len = sent;
	if (chance(r, 3)) {
		q->n.nlmsg_len = chance(r, 50) ? below(r, sent) :
				 sent + 1 + below(r, 64);
		mangled = true;
		defect = true;
	}
	if (!dump && !defect && ids == 1 && id_held && !kind)
		kind = f.kind;
	if (!dump && !defect && ids == 1 && id_held && kind == f.kind) {
		d.want_id = id;
		d.want_kind = f.kind;
	}
	describe("netlink %s cmd %u type %#x flags %#x reserved %u version %u, %d attributes, %zu bytes%s",
		 dump ? "dump" : "get", q->g.cmd, q->n.nlmsg_type,
		 q->n.nlmsg_flags, q->g.reserved, q->g.version, n, sent,
		 defect ? " (malformed)" : "");
	call_begin(mono_ns() + 1000000000);
	ret = kipc_nl_send(tc->nl, q, sent);
	if (!ret) {
		d.stop_early = dump && chance(r, 15);
		ret = nl_answer(tc->nl, seq, tc->nlbuf,
				mangled ? 50 : (int)(opt.slack * 1000), dump,
				ack, dump_each, &d);
	}
	call_end();
	if (ret == 2 || (ret == 1 && mangled) || ret == -ENOBUFS) {
		/* a dump abandoned half-way, its socket closed under it */
		close(tc->nl);
		tc->nl = -1;
		return;
	}
	if (ret == 1) {
		fail("netlink: no answer within %.0f s", opt.slack);
		close(tc->nl);
		tc->nl = -1;
		return;
	}
	if (ret > 0 || ret < -ERRNO_MAX) {
		fail("netlink: error %d", ret);
		return;
	}
	count_errno(-ret);
	if (ret == 0 && defect && !mangled && (dump || d.n))
		fail("netlink: a malformed request succeeded");
	if (ret < 0 && !defect && -ret != ENOENT)
		fail("netlink: a well-formed request failed: %s", ename(-ret));
	if (ret < 0 && !es_has(&nl_errs, -ret))
		fail("netlink: %s", ename(-ret));
	if (!d.want_id || idx < 0 || !ft_same(idx, &f))
		return;
	/* an object whose fd we hold: seen here, unless from another namespace */
	if (tc->newns && !f.newns && ret == 0 && d.n)
		fail("netlink: object %u of another IPC namespace is visible", id);
	else if (tc->newns == f.newns && ret != 0)
		fail("netlink: get of object %u, whose fd we hold: %s", id,
		     ename(-ret));
}

/* ---- running ops ---- */

static void run_op(int op)	/* NOLINT(misc-no-recursion): see op_fork() */
{
	ADD(board->op_calls[op], 1);
	switch (op) {
	case OP_IOCTL:		op_ioctl(); break;
	case OP_RAW_IOCTL:	op_raw_ioctl(); break;
	case OP_VFS_IOCTL:	op_vfs_ioctl(); break;
	case OP_READ:		op_rw(false); break;
	case OP_WRITE:		op_rw(true); break;
	case OP_POLL:		op_poll(); break;
	case OP_EPOLL:		op_epoll(); break;
	case OP_MMAP:		op_mmap(); break;
	case OP_MMAP_BAD:	op_mmap_bad(); break;
	case OP_UNMAP:		op_unmap(); break;
	case OP_MPROTECT:	op_mprotect(); break;
	case OP_MREMAP:		op_mremap(); break;
	case OP_MADVISE:	op_madvise(); break;
	case OP_TOUCH:		op_touch(); break;
	case OP_CLOSE:		op_close(); break;
	case OP_DUP:		op_dup(); break;
	case OP_FCNTL:		op_fcntl(); break;
	case OP_FILE:		op_file(); break;
	case OP_CTL:		op_ctl(); break;
	case OP_FORK:		op_fork(); break;
	case OP_REAP:		op_reap(); break;
	case OP_NETLINK:	op_netlink(); break;
	}
}

static int pick_op(void)
{
	unsigned int sum = 0, x, i;

	for (i = 0; i < NOPS; i++)
		sum += op_weight[i];
	x = below(&tc->r, sum);
	for (i = 0; i < NOPS; i++) {
		if (x < op_weight[i])
			break;
		x -= op_weight[i];
	}
	if (tc->kid && (i == OP_FORK || i == OP_REAP))
		i = OP_IOCTL;
	return i;
}

/* ---- per-thread memory: everything the kernel may write to is ours ---- */

/*
 * One page seen twice: written through ro_rw, read-only to the kernel
 * through ro. Shared memory, so a forked child must make its own (else
 * the two processes write each other's calls' structs).
 */
static void ro_map(struct tctx *t)
{
	int mfd = memfd_create("kipc-fuzz-ro", MFD_CLOEXEC);

	if (mfd < 0 || ftruncate(mfd, 2 * PAGE)) {
		perror("memfd");
		exit(1);
	}
	t->ro_rw = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
			mfd, 0);
	t->ro = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, mfd, 0);
	close(mfd);
	if (t->ro_rw == MAP_FAILED || t->ro == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
}

static void tctx_init(struct tctx *t, unsigned int proc, unsigned int thread,
		      uint64_t salt)
{
	size_t size = 3 * PAGE + RBUF + PAGE + BATCH + PAGE + NLBUF + PAGE +
		      2 * PAGE;
	unsigned char *m;

	memset(t, 0, sizeof(*t));
	rng_seed(&t->r, opt.seed, (uint64_t)proc << 32 | thread, salt);
	t->proc = proc;
	t->thread = thread;
	t->epfd = -1;
	t->nl = -1;
	m = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	/* each area, then a PROT_NONE page */
	t->arena = m;
	mprotect(m + 2 * PAGE, PAGE, PROT_NONE);
	t->rbuf = m + 3 * PAGE;
	mprotect(t->rbuf + RBUF, PAGE, PROT_NONE);
	t->batch = t->rbuf + RBUF + PAGE;
	mprotect(t->batch + BATCH, PAGE, PROT_NONE);
	t->nlbuf = t->batch + BATCH + PAGE;
	mprotect(t->nlbuf + NLBUF, PAGE, PROT_NONE);
	t->edge = t->nlbuf + NLBUF + PAGE;
	mprotect(t->edge + PAGE, PAGE, PROT_NONE);
	ro_map(t);
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	t->ipc_inum = ipc_inum();
}

/* ---- the watchdog of a worker: interrupts, restarts, hangs ---- */

struct watch {
	struct tslot *slots;
	unsigned int n;
	volatile int stop;
	struct rng r;
};

static void *watchdog_main(void *arg)
{
	struct watch *w = arg;
	uint64_t slack = opt.slack * 1e9;
	pid_t pid = getpid();
	sigset_t all;

	/*
	 * Signals sent to the process (the sweep's SIGALRM) must reach the
	 * thread in the call, not this one: a SIGALRM handled here ended
	 * only this usleep() and left the sweep's wait to be reported hung.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	while (!w->stop) {
		uint64_t now;

		usleep(4000);
		now = mono_ns();
		for (unsigned int i = 0; i < w->n; i++) {
			struct tslot *s = &w->slots[i];
			uint64_t start = __atomic_load_n(&s->start,
							 __ATOMIC_ACQUIRE);
			uint64_t bound = s->bound, el;

			if (!start || now < start)
				continue;
			el = now - start;
			if (!bound && el > (s->usr1 + 1) * 15000000ull) {
				s->usr1++;
				ADD(board->interrupts, 1);
				syscall(SYS_tgkill, pid, s->tid, SIGUSR1);
			} else if (bound && !s->hung && el > 1000000 &&
				   s->usr2 < 2 && chance(&w->r, 20)) {
				s->usr2++;
				syscall(SYS_tgkill, pid, s->tid, SIGUSR2);
			}
			if (!s->hung && now > (bound ? bound : start) + slack &&
			    __atomic_load_n(&s->start, __ATOMIC_ACQUIRE) == start) {
				s->hung = true;
				ADD(board->hangs, 1);
				fail("hang: thread %d in %s for %.1f s, %.1f s past its %s (%u interrupts)",
				     (int)s->tid, s->what, el / 1e9,
				     (now - (bound ? bound : start)) / 1e9,
				     bound ? "deadline" : "start", s->usr1);
			}
			if (s->hung && bound && el > (s->usr1 + 1) * 100000000ull) {
				s->usr1++;
				syscall(SYS_tgkill, pid, s->tid, SIGUSR1);
			}
		}
	}
	return NULL;
}

/* ---- processes ---- */

static pthread_barrier_t start_line;

static bool time_left(uint64_t n)
{
	return !board->stop && (!opt.iterations || n < opt.iterations) &&
	       mono_ns() < deadline_ns;
}

static void *thread_main(void *arg)
{
	tc = arg;
	tc->slot->tid = syscall(SYS_gettid);
	pthread_barrier_wait(&start_line);
	for (uint64_t n = 0; time_left(n); n++)
		run_op(pick_op());
	return NULL;
}

/* kipc fds or mappings this process still has, after it closed its own */
static int scan_leaks(const char *who)
{
	char path[300], link[256];
	struct dirent *de;
	int leaks = 0;
	DIR *d = opendir("/proc/self/fd");
	FILE *f;

	/* readdir_r() is deprecated; the stream is ours alone */
	/* cppcheck-suppress readdirCalled */
	while (d && (de = readdir(d))) {
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strstr(link, "kipc") && !strstr(link, "kipc-fuzz")) {
			fail("%s: fd %s (%s) left open", who, de->d_name, link);
			leaks++;
		}
	}
	if (d)
		closedir(d);
	f = fopen("/proc/self/maps", "r");
	while (f && fgets(link, sizeof(link), f)) {
		if (strstr(link, "kipc-buf")) {
			fail("%s: still mapped: %s", who, link);
			leaks++;
		}
	}
	if (f)
		fclose(f);
	return leaks;
}

static void drop_privileges(unsigned int idx)
{
	uid_t id = 1000 + idx;

	if (setgroups(0, NULL) || setresgid(id, id, id) || setresuid(id, id, id)) {
		fail("cannot become uid %u: %s", id, ename(errno));
		_exit(3);
	}
}

static void close_supervisor_fds(void);

static void worker_main(unsigned int idx, unsigned int gen)
{
	struct tctx *ts;
	struct tslot *slots;
	struct watch w = { 0 };
	pthread_t th[MAX_THREADS], wd;
	unsigned int i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != sup_pid)
		_exit(0);
	close_supervisor_fds();
	if (is_root && idx % 4 == 3)
		drop_privileges(idx);
	ts = mmap(NULL, sizeof(*ts) * opt.threads, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	slots = mmap(NULL, sizeof(*slots) * opt.threads,
		     PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ts == MAP_FAILED || slots == MAP_FAILED)
		_exit(3);
	for (i = 0; i < opt.threads; i++) {
		tctx_init(&ts[i], idx, i, gen);
		ts[i].slot = &slots[i];
	}
	/* the supervisor's netlink sockets are not ours to read */
	w.slots = slots;
	w.n = opt.threads;
	rng_seed(&w.r, opt.seed, idx, gen ^ 0x5a5a);
	pthread_barrier_init(&start_line, NULL, opt.threads + 1);
	for (i = 0; i < opt.threads; i++)
		if (pthread_create(&th[i], NULL, thread_main, &ts[i]))
			_exit(3);
	if (pthread_create(&wd, NULL, watchdog_main, &w))
		_exit(3);
	pthread_barrier_wait(&start_line);
	for (i = 0; i < opt.threads; i++)
		pthread_join(th[i], NULL);
	w.stop = 1;
	pthread_join(wd, NULL);

	tc = &ts[0];
	describe("the end of worker %u", idx);
	reap_kids(true);
	ft_close_all();
	for (i = 0; i < opt.threads; i++) {
		if (ts[i].nl >= 0)
			close(ts[i].nl);
		if (ts[i].epfd >= 0)
			close(ts[i].epfd);
	}
	/* mappings may stay: exit unmaps them; fds must all be gone */
	munmap(mt.base, NMAPS * MAP_SLOT);
	tc = NULL;
	scan_leaks("worker");
	_exit(0);
}

/* A forked child: a short burst of calls, alone, perhaps elsewhere. */
static void kid_main(void)	/* NOLINT(misc-no-recursion): see op_fork() */
{
	struct itimerval it = {
		.it_interval = { .tv_usec = 5000 },
		.it_value = { .tv_usec = 5000 },
	};
	pid_t parent = getppid();
	int n, i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	tc->kid = true;
	tc->slot = NULL;
	tc->nl = -1;	/* the parent thread's socket: its answers are not ours */
	/*
	 * MADV_DONTFORK left holes in the slots where the parent had such
	 * mappings, and a new mapping (ro_map() below) could land in one, to
	 * be clobbered by the slot's next reserve(): every slot is reserved
	 * again first, and nothing is known of any.
	 */
	for (i = 0; i < NMAPS; i++) {
		reserve(i, 0, MAP_SLOT);
		slot_forget(i);
		mt.s[i].access = 0;
	}
	/* the parent thread's read-only page pair is shared: one of our own */
	munmap(tc->ro_rw, 2 * PAGE);
	munmap(tc->ro, 2 * PAGE);
	ro_map(tc);
	rng_seed(&tc->r, opt.seed, rnd(&tc->r), getpid());
	memset(kids.pid, 0, sizeof(kids.pid));
	setitimer(ITIMER_REAL, &it, NULL);
	if (geteuid() == 0 && chance(&tc->r, 30)) {
		struct fdent e = { .kind = K_CTL, .access = RW, .newns = true };
		struct dump d = { 0 };
		unsigned char *buf = tc->nlbuf;
		int nl;

		describe("unshare(CLONE_NEWIPC)");
		if (unshare(CLONE_NEWIPC)) {
			fail("unshare(CLONE_NEWIPC): %s", ename(errno));
			_exit(0);
		}
		tc->newns = true;
		tc->ipc_inum = ipc_inum();
		/* a new namespace: a dump shows nothing at all */
		nl = kipc_nl_open();
		if (nl >= 0) {
			describe("a dump in a new IPC namespace");
			if (!nl_dump(nl, buf, &d) && d.n)
				fail("a new IPC namespace shows %u objects, the first %u",
				     d.n, d.last);
			close(nl);
		}
		e.fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		if (e.fd >= 0)
			ft_add(&e);
	}
	n = 5 + below(&tc->r, 40);
	for (i = 0; i < n && !board->stop; i++)
		run_op(pick_op());
	_exit(0);
}

/* ---- the supervisor: events, module parameters, workers ---- */

#define EV_SLOTS	(1u << 18)

enum { EV_NONE, EV_LINKED, EV_LIVE, EV_DEAD };

/* Every object's events, in order: add, unlink if named, del. */
static struct {
	uint32_t *id;
	uint8_t *state;
	uint32_t used;
	uint64_t lost;
	int fd;
	volatile int stop;
	pthread_t th;
	bool running;
} ev = { .fd = -1 };

static uint8_t *ev_find(uint32_t id, bool add)
{
	uint32_t h = (id * 2654435761u) & (EV_SLOTS - 1);

	for (uint32_t i = 0; i < EV_SLOTS; i++, h = (h + 1) & (EV_SLOTS - 1)) {
		if (ev.id[h] == id)
			return &ev.state[h];
		if (!ev.id[h]) {
			if (!add)
				return NULL;
			ev.id[h] = id;
			ev.used++;
			return &ev.state[h];
		}
	}
	return NULL;
}

/*
 * An object's state; @add: a new entry for an id not seen. Past half
 * full, the dead are forgotten first: the others are put in again, since
 * an emptied slot would cut the probe sequences that run through it.
 */
static uint8_t *ev_state(uint32_t id, bool add)
{
	uint8_t *st;

	if (!ev.id || !ev.state)
		return NULL;
	st = ev_find(id, false);
	if (st || !add)
		return st;
	if (ev.used > EV_SLOTS / 2) {
		uint32_t *old_id = ev.id, *new_id;
		uint8_t *old_state = ev.state, *new_state;

		new_id = calloc(EV_SLOTS, sizeof(*new_id));
		new_state = calloc(EV_SLOTS, sizeof(*new_state));
		if (new_id && new_state) {
			ev.id = new_id;
			ev.state = new_state;
			ev.used = 0;
			for (uint32_t j = 0; j < EV_SLOTS; j++) {
				if (!old_id[j] || old_state[j] == EV_DEAD)
					continue;
				st = ev_find(old_id[j], true);
				if (st)
					*st = old_state[j];
			}
			new_id = old_id;
			new_state = old_state;
		}
		free(new_id);
		free(new_state);
	}
	return ev_find(id, true);
}

static void ev_forget(void)
{
	memset(ev.id, 0, EV_SLOTS * sizeof(*ev.id));
	memset(ev.state, 0, EV_SLOTS);
	ev.used = 0;
}

static void ev_one(const struct nlmsghdr *n)
{
	const struct genlmsghdr *g = NLMSG_DATA(n);
	static const char *const what[] = {
		[KIPC_NL_CMD_OBJ_ADD_NTF] = "add",
		[KIPC_NL_CMD_OBJ_UNLINK_NTF] = "unlink",
		[KIPC_NL_CMD_OBJ_DEL_NTF] = "del",
		[KIPC_NL_CMD_MQ_FULL_NTF] = "mq-full",
		[KIPC_NL_CMD_MQ_EMPTY_NTF] = "mq-empty",
	};
	struct nlobj o;
	uint8_t *st;

	ADD(board->events, 1);
	if (n->nlmsg_type != fam.id || g->cmd < KIPC_NL_CMD_OBJ_ADD_NTF ||
	    g->cmd > KIPC_NL_CMD_MQ_EMPTY_NTF || nl_obj_parse(n, &o, true)) {
		fail("event: a malformed message (type %u, cmd %u)",
		     n->nlmsg_type, g->cmd);
		return;
	}
	st = ev_state(o.id, g->cmd == KIPC_NL_CMD_OBJ_ADD_NTF);
	if (!st)
		return;		/* born before we listened, or forgotten */
	switch (g->cmd) {
	case KIPC_NL_CMD_OBJ_ADD_NTF:
		if (*st != EV_NONE)
			goto bad;
		*st = o.linked ? EV_LINKED : EV_LIVE;
		return;
	case KIPC_NL_CMD_OBJ_UNLINK_NTF:
		if (*st != EV_LINKED || o.linked)
			goto bad;
		*st = EV_LIVE;
		return;
	case KIPC_NL_CMD_OBJ_DEL_NTF:
		if (*st != EV_LIVE || o.linked)
			goto bad;
		*st = EV_DEAD;
		return;
	default:
		if (*st == EV_NONE || *st == EV_DEAD ||
		    o.kind != KIPC_KIND_MQ)
			goto bad;
		return;
	}
bad:
	fail("event: %s of object %u (%s) in state %u", what[g->cmd], o.id,
	     o.has_name ? o.name : "anonymous", *st);
}

/* Read what is there; true if anything was. */
static bool ev_drain(unsigned char *buf, int ms)
{
	struct pollfd p = { .fd = ev.fd, .events = POLLIN };
	bool any = false;
	ssize_t len;

	while (poll(&p, 1, ms) > 0) {
		len = recv(ev.fd, buf, NLBUF, MSG_DONTWAIT);
		if (len < 0) {
			if (errno == ENOBUFS) {
				ev.lost++;
				ev_forget();
			}
			continue;
		}
		any = true;
		for (struct nlmsghdr *n = (void *)buf; NLMSG_OK(n, (size_t)len);
		     n = NLMSG_NEXT(n, len))
			ev_one(n);
	}
	return any;
}

static void *events_main(void *arg)
{
	unsigned char *buf = arg;

	while (!ev.stop)
		ev_drain(buf, 100);
	return NULL;
}

static int events_start(void)
{
	static unsigned char *buf;
	int size = 32 << 20, ret;

	ev.id = calloc(EV_SLOTS, sizeof(*ev.id));
	ev.state = calloc(EV_SLOTS, 1);
	buf = malloc(NLBUF);
	ev.fd = kipc_nl_open();
	if (!ev.id || !ev.state || !buf || ev.fd < 0)
		return -ENOMEM;
	if (setsockopt(ev.fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(ev.fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	ret = setsockopt(ev.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			 &fam.events, sizeof(fam.events));
	if (ret)
		return -errno;
	if (pthread_create(&ev.th, NULL, events_main, buf))
		return -EAGAIN;
	ev.running = true;
	return 0;
}

static const char *const params[] = {
	"max_objects", "max_objects_per_user", "user_quota_mb", "mq_max_msgs",
	"mq_max_msgsize", "buf_max_mb", "sem_handoff_us",
};
enum { P_OBJS, P_PER_USER, P_QUOTA, P_MSGS, P_MSGSIZE, P_BUF, P_HANDOFF };
static unsigned int saved_params[KIPC_ARRAY_SIZE(params)];
static bool params_changed;

static void params_save(void)
{
	for (size_t i = 0; i < KIPC_ARRAY_SIZE(params); i++)
		kipc_param_get(params[i], &saved_params[i]);
}

static int param_set(int i, unsigned int v)
{
	char val[24];

	snprintf(val, sizeof(val), "%u", v);
	params_changed = true;
	return kipc_param_set(params[i], val);
}

static void params_restore(void)
{
	if (!params_changed)
		return;
	for (size_t i = 0; i < KIPC_ARRAY_SIZE(params); i++)
		if (param_set(i, saved_params[i]))
			fail("cannot restore %s=%u", params[i], saved_params[i]);
	params_changed = false;
}

static void limits_read(void)
{
	if (kipc_param_get(params[P_MSGSIZE], &mq_msgsize_max))
		mq_msgsize_max = 1 << 20;
	if (kipc_param_get(params[P_MSGS], &mq_msgs_max))
		mq_msgs_max = 4096;
	if (kipc_param_get(params[P_BUF], &buf_max))
		buf_max = 256;
}

/* Random values, in range and not, for the limits that only refuse. */
static void params_fuzz(void)
{
	static const struct {
		int p;
		unsigned int lo, hi;
	} lim[] = {
		{ P_OBJS, 1, 1048576 }, { P_PER_USER, 1, 1048576 },
		{ P_QUOTA, 1, 1048576 }, { P_HANDOFF, 0, 10000000 },
	};
	struct rng *r = &tc->r;
	int i = below(r, KIPC_ARRAY_SIZE(lim)), err;
	unsigned int v;
	bool bad;

	switch (below(r, 4)) {
	case 0:		/* out of range */
		v = chance(r, 50) ? lim[i].hi + 1 : lim[i].lo ? lim[i].lo - 1 :
		    lim[i].hi + 1 + below(r, 1000);
		break;
	case 1:		/* back to what it was */
		v = saved_params[lim[i].p];
		break;
	default:	/* low, to make the limits bite, or anywhere */
		v = chance(r, 70) ? lim[i].lo + below(r, 200) :
		    lim[i].lo + below(r, lim[i].hi - lim[i].lo + 1);
		if (lim[i].p == P_QUOTA && v > 32)
			v = 32;		/* memory is small in a guest */
		break;
	}
	bad = v < lim[i].lo || v > lim[i].hi;
	describe("%s=%u", params[lim[i].p], v);
	err = param_set(lim[i].p, v);
	if (bad != (err != 0) || (bad && err != EINVAL))
		fail("writing %s=%u: %s", params[lim[i].p], v,
		     err ? ename(err) : "accepted");
}

/* ---- simple object makers for the supervisor ---- */

static int make_obj(int ctl, int kind, const char *name, uint32_t flags,
		    uint32_t mode, uint64_t a, uint64_t b, uint32_t *id,
		    uint64_t *size)
{
	union {
		struct kipc_mq_open mq;
		struct kipc_buf_open buf;
		struct kipc_sem_open sem;
	} o;
	uint32_t len = name ? strlen(name) : 0;
	int ret;

	memset(&o, 0, sizeof(o));
	switch (kind) {
	case K_MQ:
		o.mq = (struct kipc_mq_open){
			.size = sizeof(o.mq), .flags = flags,
			.name = (uintptr_t)name, .name_len = len, .mode = mode,
			.max_msgs = a, .msg_size = b,
		};
		ret = ioctl(ctl, KIPC_IOC_MQ_OPEN, &o.mq);
		*id = o.mq.id;
		*size = o.mq.msg_size;
		return ret ? -errno : o.mq.fd;
	case K_BUF:
		o.buf = (struct kipc_buf_open){
			.size = sizeof(o.buf), .flags = flags,
			.name = (uintptr_t)name, .name_len = len, .mode = mode,
			.buf_size = a,
		};
		ret = ioctl(ctl, KIPC_IOC_BUF_OPEN, &o.buf);
		*id = o.buf.id;
		*size = o.buf.buf_size;
		return ret ? -errno : o.buf.fd;
	default:
		o.sem = (struct kipc_sem_open){
			.size = sizeof(o.sem), .flags = flags,
			.name = (uintptr_t)name, .name_len = len, .mode = mode,
			.value = a, .max = b,
		};
		ret = ioctl(ctl, KIPC_IOC_SEM_OPEN, &o.sem);
		*id = o.sem.id;
		*size = o.sem.max;
		return ret ? -errno : o.sem.fd;
	}
}

/* Make an object and keep its fd; the fd or -errno. */
static int pool_add(int ctl, int kind, const char *name, uint32_t flags,
		    uint32_t mode, uint64_t a, uint64_t b)
{
	struct opened o = { .kind = kind, .flags = flags };
	int fd = make_obj(ctl, kind, name, flags, mode, a, b, &o.id, &o.size);

	if (fd < 0) {
		fail("making a %s %s: %s", kind_name[kind], name ? name : "",
		     ename(-fd));
		return fd;
	}
	o.fd = fd;
	keep_fd(&o, flags & KIPC_OPEN_UNDO);
	return fd;
}

static int unlink_name(int ctl, int kind, const char *name)
{
	struct kipc_unlink u = {
		.size = sizeof(u), .kind = kind, .name = (uintptr_t)name,
		.name_len = strlen(name),
	};

	return ioctl(ctl, KIPC_IOC_UNLINK, &u) ? errno : 0;
}

/* ---- the sweep: one thread, every command, every shape ---- */

static int sctl = -1;		/* the supervisor's control fd */
static int snl = -1;		/* and netlink socket */
static char none_name[64];	/* a name nothing has */

struct snap {
	uint64_t v[4];
};

static void snap_of(int kind, int fd, struct snap *s)
{
	memset(s, 0, sizeof(*s));
	if (kind == K_MQ) {
		struct kipc_mq_stat st = { .size = sizeof(st) };

		if (!ioctl(fd, KIPC_IOC_MQ_STAT, &st))
			*s = (struct snap){ { st.depth, st.sent, st.received,
					      st.bytes } };
	} else if (kind == K_BUF) {
		struct kipc_buf_stat st = { .size = sizeof(st) };

		if (!ioctl(fd, KIPC_IOC_BUF_STAT, &st))
			*s = (struct snap){ { st.wakes, st.waits, st.waiters,
					      st.mappings } };
	} else if (kind == K_SEM) {
		struct kipc_sem_stat st = { .size = sizeof(st) };

		if (!ioctl(fd, KIPC_IOC_SEM_STAT, &st))
			*s = (struct snap){ { st.value, st.waits, st.posts,
					      st.held } };
	} else {
		struct dump d = { 0 };

		if (!nl_dump(snl, tc->nlbuf, &d))
			s->v[0] = d.n;
	}
}

static const char *const snap_what[NKINDS][4] = {
	[K_CTL] = { "objects" },
	[K_MQ] = { "depth", "sent", "received", "bytes" },
	[K_BUF] = { "wakes", "waits", "waiters", "mappings" },
	[K_SEM] = { "value", "waits", "posts", "held" },
};

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	/* cppcheck-suppress readdirCalled ; the stream is ours alone */
	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

static int sweep_new(int kind, uint32_t flags)
{
	uint32_t id;
	uint64_t size;
	int fd;

	flags |= KIPC_OPEN_CREATE;
	fd = kind == K_MQ ? make_obj(sctl, K_MQ, NULL, flags, 0600, 4, 64, &id,
				     &size) :
	     kind == K_BUF ? make_obj(sctl, K_BUF, NULL, flags, 0600, PAGE, 0,
				      &id, &size) :
	     make_obj(sctl, K_SEM, NULL, flags, 0600, 1, 4, &id, &size);
	if (fd < 0) {
		fail("sweep: cannot make a %s: %s", kind_name[kind], ename(-fd));
		exit(1);
	}
	return fd;
}

static int mq_put(int fd, const char *text)
{
	struct kipc_mq_send m = {
		.size = sizeof(m), .flags = KIPC_MQ_NONBLOCK,
		.buf = (uintptr_t)text, .len = strlen(text),
	};

	return ioctl(fd, KIPC_IOC_MQ_SEND, &m) ? errno : 0;
}

static void mq_drain(int fd)
{
	struct kipc_mq_recv m = {
		.size = sizeof(m), .flags = KIPC_MQ_NONBLOCK | KIPC_MQ_TRUNCATE,
		.buf = (uintptr_t)tc->rbuf, .len = 0,
	};

	while (!ioctl(fd, KIPC_IOC_MQ_RECV, &m))
		m.len = 0;
}

/* A valid call of command @id on a fresh object @fd, in c->s. */
static void sweep_build(struct icall *c, int fd)
{
	struct kipc_mq_msg *m = (void *)tc->batch;
	void *s = c->s;

	memset(tc->batch, 0, 2 * sizeof(*m));
	switch (c->id) {
	case C_MQ_OPEN:
		*(struct kipc_mq_open *)s = (struct kipc_mq_open){
			.flags = RW | KIPC_OPEN_CREATE, .mode = 0600,
			.max_msgs = 4, .msg_size = 64,
		};
		break;
	case C_UNLINK:
		*(struct kipc_unlink *)s = (struct kipc_unlink){
			.kind = KIPC_KIND_MQ, .name = (uintptr_t)none_name,
			.name_len = strlen(none_name),
		};
		break;
	case C_BUF_OPEN:
		*(struct kipc_buf_open *)s = (struct kipc_buf_open){
			.flags = RW | KIPC_OPEN_CREATE, .mode = 0600,
			.buf_size = PAGE,
		};
		break;
	case C_SEM_OPEN:
		*(struct kipc_sem_open *)s = (struct kipc_sem_open){
			.flags = RW | KIPC_OPEN_CREATE, .mode = 0600,
			.value = 1,
		};
		break;
	case C_MQ_SEND:
		*(struct kipc_mq_send *)s = (struct kipc_mq_send){
			.flags = KIPC_MQ_NONBLOCK, .buf = (uintptr_t)"abcd",
			.len = 4,
		};
		break;
	case C_MQ_RECV:
		*(struct kipc_mq_recv *)s = (struct kipc_mq_recv){
			.flags = KIPC_MQ_NONBLOCK, .buf = (uintptr_t)tc->rbuf,
			.len = 64,
		};
		mq_put(fd, "abcd");
		mq_put(fd, "efgh");
		break;
	case C_MQ_SENDV:
	case C_MQ_RECVV:
		*(struct kipc_mq_batch *)s = (struct kipc_mq_batch){
			.flags = KIPC_MQ_NONBLOCK, .msgs = (uintptr_t)m,
			.count = 2, .msg_size = sizeof(*m),
		};
		for (int i = 0; i < 2; i++) {
			m[i].buf = (uintptr_t)(c->id == C_MQ_SENDV ? "abcd" :
					       (char *)tc->rbuf + 64l * i);
			m[i].len = c->id == C_MQ_SENDV ? 4 : 64;
		}
		if (c->id == C_MQ_RECVV) {
			mq_put(fd, "abcd");
			mq_put(fd, "efgh");
		}
		break;
	case C_BUF_WAIT:
		*(struct kipc_buf_wait *)s = (struct kipc_buf_wait){ .value = 1 };
		break;
	case C_BUF_WAKE:
		*(struct kipc_buf_wake *)s = (struct kipc_buf_wake){ .count = 1 };
		break;
	case C_BUF_REOPEN:
		*(struct kipc_buf_reopen *)s = (struct kipc_buf_reopen){
			.flags = RW,
		};
		break;
	case C_SEM_WAIT:
		*(struct kipc_sem_wait *)s = (struct kipc_sem_wait){
			.flags = KIPC_SEM_NONBLOCK, .count = 1,
		};
		break;
	case C_SEM_POST:
		*(struct kipc_sem_post *)s = (struct kipc_sem_post){ .count = 1 };
		break;
	case C_SEM_REOPEN:
		*(struct kipc_sem_reopen *)s = (struct kipc_sem_reopen){
			.flags = RW | KIPC_OPEN_UNDO,
		};
		break;
	}
}

/* What the valid call answers: 0, a count, or an errno. */
static int sweep_normal(int id, long *count)
{
	*count = id == C_MQ_SENDV || id == C_MQ_RECVV ? 2 : 0;
	return id == C_UNLINK ? ENOENT : id == C_BUF_WAIT ? EAGAIN : 0;
}

/*
 * Command @id in shape @shape on a fresh fd of kind @on: the exact
 * errno, nothing written where it must not be, and a failure that
 * changed nothing (the object, the fd table, the objects there are).
 */
static void sweep_one(int id, int shape, uint32_t bit, int on)
{
	struct icall c;
	struct snap before, after;
	int fd, want, err, fds0, newfd;
	long ret, count;

	memset(&c, 0, sizeof(c));
	c.cd = &cmds[id];
	c.id = id;
	c.shape = shape;
	c.bit = bit;
	fd = on == K_CTL ? sctl : sweep_new(on, RW);
	sweep_build(&c, fd);
	shape_apply(&c);
	want = sweep_normal(id, &count);
	if (on != c.cd->kind)
		want = ENOTTY;
	else if (c.e.exact)
		want = c.e.exact;
	else if (shape == SH_RESERVED)
		want = EINVAL;
	else if (shape == SH_RO && c.cd->responds)
		want = EFAULT;
	describe("sweep: %s, shape %s%s, size %u, on a %s fd", c.cd->name,
		 shape_name[shape], shape == SH_FLAG ? " (flag)" : "", c.size,
		 kind_name[on]);
	if (shape == SH_FLAG)
		snprintf(tc->what + strlen(tc->what),
			 sizeof(tc->what) - strlen(tc->what), " flag %#x",
			 c.bit);
	snap_of(on, fd, &before);
	fds0 = count_fds();
	call_begin(mono_ns());
	ret = ioctl(fd, c.nr, c.arg);
	err = ret < 0 ? errno : 0;
	call_end();
	count_errno(err);
	if (want ? ret != -1 || err != want : ret != count)
		fail("%ld (%s), expected %s", ret, ret < 0 ? ename(err) : "ok",
		     want ? ename(want) : "success");
	check_writes(&c, ret);
	if (ret >= 0) {
		newfd = new_fd_of(&c);
		if (newfd >= 0)
			close(newfd);
	} else {
		snap_of(on, fd, &after);
		for (int i = 0; i < 4; i++)
			if (before.v[i] != after.v[i])
				fail("the failed call changed %s %s: %" PRIu64 " -> %" PRIu64,
				     kind_name[on], snap_what[on][i],
				     before.v[i], after.v[i]);
		if (count_fds() != fds0)
			fail("the failed call left %d fds, not %d",
			     count_fds(), fds0);
	}
	if (fd != sctl)
		close(fd);
}

static void sweep_expect(long ret, int err, int want)
{
	count_errno(ret < 0 ? err : 0);
	if (want ? ret != -1 || err != want : ret < 0)
		fail("%ld (%s), expected %s", ret, ret < 0 ? ename(err) : "ok",
		     want ? ename(want) : "success");
}

static void sweep_same(int kind, int fd, const struct snap *before)
{
	struct snap after;

	snap_of(kind, fd, &after);
	for (int i = 0; i < 4; i++)
		if (before->v[i] != after.v[i])
			fail("changed %s %s: %" PRIu64 " -> %" PRIu64,
			     kind_name[kind], snap_what[kind][i], before->v[i],
			     after.v[i]);
}

/*
 * An interval timer to end a wait that has no end of its own; it repeats
 * until stopped (ms 0): a first SIGALRM can come before the call sleeps
 * when the machine is busy, and would then end nothing.
 */
static void alarm_ms(int ms)
{
	struct itimerval it = {
		.it_value = { .tv_usec = ms * 1000l },
		.it_interval = { .tv_usec = ms * 1000l },
	};

	setitimer(ITIMER_REAL, &it, NULL);
}

#define EXPECT(what, want, call)					\
	do {								\
		long __r;						\
		int __e;						\
		describe("%s", what);					\
		call_begin(mono_ns());					\
		__r = (call);						\
		__e = errno;						\
		call_end();						\
		sweep_expect(__r, __e, want);				\
	} while (0)

/* A wait whose deadline is far: it waits, until the alarm: EINTR. */
#define EXPECT_WAITS(what, call)					\
	do {								\
		long __r;						\
		int __e;						\
		describe("%s", what);					\
		alarm_ms(100);						\
		call_begin(mono_ns() + 100000000);			\
		__r = (call);						\
		__e = errno;						\
		call_end();						\
		alarm_ms(0);						\
		sweep_expect(__r, __e, EINTR);				\
	} while (0)

static long mq_recv_c(int fd, uint32_t flags, uint64_t buf, uint32_t len,
		      uint32_t select, uint64_t deadline, struct kipc_mq_recv *out)
{
	struct kipc_mq_recv m = {
		.size = sizeof(m), .flags = flags, .buf = buf, .len = len,
		.select = select, .deadline_ns = deadline,
	};
	long ret = ioctl(fd, KIPC_IOC_MQ_RECV, &m);

	if (out)
		*out = m;
	return ret;
}

static long mq_send_c(int fd, uint32_t flags, uint64_t buf, uint32_t len,
		      uint32_t prio, uint64_t deadline)
{
	struct kipc_mq_send m = {
		.size = sizeof(m), .flags = flags, .buf = buf, .len = len,
		.prio = prio, .deadline_ns = deadline,
	};

	return ioctl(fd, KIPC_IOC_MQ_SEND, &m);
}

static long batch_c(int fd, unsigned long nr, uint32_t flags, void *msgs,
		    uint32_t count, uint32_t stride, uint32_t select)
{
	struct kipc_mq_batch b = {
		.size = sizeof(b), .flags = flags, .msgs = (uintptr_t)msgs,
		.count = count, .msg_size = stride, .select = select,
	};

	return ioctl(fd, nr, &b);
}

static long wait_c(int fd, uint32_t flags, uint64_t off, uint32_t value,
		   uint64_t deadline)
{
	struct kipc_buf_wait w = {
		.size = sizeof(w), .flags = flags, .offset = off,
		.value = value, .deadline_ns = deadline,
	};

	return ioctl(fd, KIPC_IOC_BUF_WAIT, &w);
}

static long wake_c(int fd, uint64_t off, uint32_t count)
{
	struct kipc_buf_wake w = {
		.size = sizeof(w), .offset = off, .count = count,
	};

	return ioctl(fd, KIPC_IOC_BUF_WAKE, &w);
}

static long semwait_c(int fd, uint32_t flags, uint32_t count, uint64_t deadline)
{
	struct kipc_sem_wait w = {
		.size = sizeof(w), .flags = flags, .count = count,
		.deadline_ns = deadline,
	};

	return ioctl(fd, KIPC_IOC_SEM_WAIT, &w);
}

static long sempost_c(int fd, uint32_t count)
{
	struct kipc_sem_post p = { .size = sizeof(p), .count = count };

	return ioctl(fd, KIPC_IOC_SEM_POST, &p);
}

static int reopen_c(int fd, bool sem, uint32_t flags)
{
	struct kipc_sem_reopen o = { .size = sizeof(o), .flags = flags };
	int ret = ioctl(fd, sem ? KIPC_IOC_SEM_REOPEN : KIPC_IOC_BUF_REOPEN, &o);

	return ret ? ret : o.fd;
}

#define FAR	UINT64_MAX
#define FAR63	0x8000000000000000ull

static void sweep_queue(void)
{
	unsigned char *rb = tc->rbuf;
	struct kipc_mq_msg *m = (void *)tc->batch;
	struct kipc_mq_recv ans;
	struct snap s;
	int q = sweep_new(K_MQ, RW), qr, qw;
	char name[64];
	uint32_t id;
	uint64_t size;

	snprintf(name, sizeof(name), "/kfz%d.sweep", (int)sup_pid);
	qr = make_obj(sctl, K_MQ, name, RW | KIPC_OPEN_CREATE |
		      KIPC_OPEN_EXCL, 0600, 4, 64, &id, &size);
	close(qr);
	qr = make_obj(sctl, K_MQ, name, KIPC_OPEN_READ, 0, 0, 0, &id, &size);
	qw = make_obj(sctl, K_MQ, name, KIPC_OPEN_WRITE, 0, 0, 0, &id, &size);
	unlink_name(sctl, KIPC_KIND_MQ, name);

	snap_of(K_MQ, q, &s);
	EXPECT("send, priority 32768", EINVAL,
	       mq_send_c(q, 0, (uintptr_t)rb, 4, KIPC_MQ_PRIO_MAX + 1, 0));
	EXPECT("send, 65 bytes into 64", EMSGSIZE,
	       mq_send_c(q, 0, (uintptr_t)rb, 65, 0, 0));
	EXPECT("send from NULL", EFAULT, mq_send_c(q, 0, 0, 4, 0, 0));
	EXPECT("send from PROT_NONE", EFAULT,
	       mq_send_c(q, 0, (uintptr_t)prot_none, 4, 0, 0));
	EXPECT("send on a read-only fd", EBADF,
	       mq_send_c(qr, 0, (uintptr_t)rb, 4, 0, 0));
	EXPECT("recv on a write-only fd", EBADF,
	       mq_recv_c(qw, KIPC_MQ_NONBLOCK, (uintptr_t)rb, 64, 0, 0, NULL));
	EXPECT("recv, nothing there", EAGAIN,
	       mq_recv_c(q, KIPC_MQ_NONBLOCK, (uintptr_t)rb, 64, 0, 0, NULL));
	EXPECT("recv, deadline 1", ETIMEDOUT,
	       mq_recv_c(q, KIPC_MQ_DEADLINE, (uintptr_t)rb, 64, 0, 1, NULL));
	EXPECT_WAITS("recv, deadline UINT64_MAX",
		     mq_recv_c(q, KIPC_MQ_DEADLINE, (uintptr_t)rb, 64, 0, FAR,
			       NULL));
	EXPECT_WAITS("recv, deadline 2^63",
		     mq_recv_c(q, KIPC_MQ_DEADLINE, (uintptr_t)rb, 64, 0, FAR63,
			       NULL));
	sweep_same(K_MQ, q, &s);

	mq_put(q, "abcd");
	snap_of(K_MQ, q, &s);
	EXPECT("recv into 3 bytes", EMSGSIZE,
	       mq_recv_c(q, KIPC_MQ_NONBLOCK, (uintptr_t)rb, 3, 0, 0, &ans));
	if (ans.msg_len != 4)
		fail("EMSGSIZE told msg_len %u, not 4", ans.msg_len);
	EXPECT("recv into PROT_NONE", EFAULT,
	       mq_recv_c(q, KIPC_MQ_NONBLOCK, (uintptr_t)prot_none, 64, 0, 0,
			 NULL));
	EXPECT("recv into read-only memory", EFAULT,
	       mq_recv_c(q, KIPC_MQ_NONBLOCK, (uintptr_t)tc->ro, 64, 0, 0,
			 NULL));
	EXPECT("recv, selector 4", EINVAL,
	       mq_recv_c(q, KIPC_MQ_NONBLOCK, (uintptr_t)rb, 64, 4, 0, NULL));
	EXPECT("read() into 3 bytes", EMSGSIZE, read(q, rb, 3));
	sweep_same(K_MQ, q, &s);
	EXPECT("recv, PEEK", 0,
	       mq_recv_c(q, KIPC_MQ_NONBLOCK | KIPC_MQ_PEEK, (uintptr_t)rb, 64,
			 0, 0, NULL));
	EXPECT("recv, TRUNCATE to 2", 0,
	       mq_recv_c(q, KIPC_MQ_NONBLOCK | KIPC_MQ_TRUNCATE, (uintptr_t)rb,
			 2, 0, 0, &ans));
	if (ans.len != 2 || ans.msg_len != 4)
		fail("TRUNCATE: len %u msg_len %u", ans.len, ans.msg_len);

	for (int i = 0; i < 4; i++)
		mq_put(q, "full");
	snap_of(K_MQ, q, &s);
	EXPECT("send, full", EAGAIN,
	       mq_send_c(q, KIPC_MQ_NONBLOCK, (uintptr_t)rb, 4, 0, 0));
	EXPECT("send, full, deadline 1", ETIMEDOUT,
	       mq_send_c(q, KIPC_MQ_DEADLINE, (uintptr_t)rb, 4, 0, 1));
	EXPECT_WAITS("send, full, deadline UINT64_MAX",
		     mq_send_c(q, KIPC_MQ_DEADLINE, (uintptr_t)rb, 4, 0, FAR));
	EXPECT("write(), full", EAGAIN,
	       (fcntl(q, F_SETFL, O_NONBLOCK), write(q, rb, 4)));
	fcntl(q, F_SETFL, 0);
	sweep_same(K_MQ, q, &s);
	mq_drain(q);

	/* batches: the whole batch refused, or the part before the bad entry */
	memset(m, 0, 4 * sizeof(*m));
	for (int i = 0; i < 2; i++) {
		m[i].buf = (uintptr_t)rb;
		m[i].len = 4;
	}
	snap_of(K_MQ, q, &s);
	EXPECT("SENDV, stride 47", EINVAL,
	       batch_c(q, KIPC_IOC_MQ_SENDV, 0, m, 2, sizeof(*m) - 1, 0));
	EXPECT("SENDV, stride 4097", E2BIG,
	       batch_c(q, KIPC_IOC_MQ_SENDV, 0, m, 2, PAGE + 1, 0));
	EXPECT("SENDV, count 0", EINVAL,
	       batch_c(q, KIPC_IOC_MQ_SENDV, 0, m, 0, sizeof(*m), 0));
	EXPECT("SENDV, count 1025", EINVAL,
	       batch_c(q, KIPC_IOC_MQ_SENDV, 0, m, KIPC_MQ_BATCH_MAX + 1,
		       sizeof(*m), 0));
	EXPECT("SENDV, a selector", EINVAL,
	       batch_c(q, KIPC_IOC_MQ_SENDV, 0, m, 2, sizeof(*m), 1));
	EXPECT("RECVV, PEEK", EINVAL,
	       batch_c(q, KIPC_IOC_MQ_RECVV, KIPC_MQ_PEEK, m, 2, sizeof(*m), 0));
	m[0].__reserved = 1;
	EXPECT("SENDV, entry 0 reserved", EINVAL,
	       batch_c(q, KIPC_IOC_MQ_SENDV, 0, m, 2, sizeof(*m), 0));
	m[0].__reserved = 0;
	tc->batch[sizeof(*m) + 3] = 1;	/* entry 0's tail, at stride 56 */
	EXPECT("SENDV, entry 0's tail set", E2BIG,
	       batch_c(q, KIPC_IOC_MQ_SENDV, 0, m, 1, sizeof(*m) + 8, 0));
	tc->batch[sizeof(*m) + 3] = 0;
	EXPECT("SENDV, the array in PROT_NONE", EFAULT,
	       batch_c(q, KIPC_IOC_MQ_SENDV, 0, prot_none, 2, sizeof(*m), 0));
	sweep_same(K_MQ, q, &s);
	m[1].buf = 0;
	EXPECT("SENDV, entry 1 from NULL: 1 sent", 0,
	       batch_c(q, KIPC_IOC_MQ_SENDV, 0, m, 2, sizeof(*m), 0) == 1 ?
	       0 : -1);
	mq_put(q, "abcd");
	snap_of(K_MQ, q, &s);
	m[0].buf = (uintptr_t)prot_none;
	m[0].len = 64;
	EXPECT("RECVV, entry 0 into PROT_NONE", EFAULT,
	       batch_c(q, KIPC_IOC_MQ_RECVV, KIPC_MQ_NONBLOCK, m, 2,
		       sizeof(*m), 0));
	memcpy(tc->ro_rw, m, 2 * sizeof(*m));
	((struct kipc_mq_msg *)tc->ro_rw)[0].buf = (uintptr_t)rb;
	EXPECT("RECVV, the array read-only", EFAULT,
	       batch_c(q, KIPC_IOC_MQ_RECVV, KIPC_MQ_NONBLOCK, tc->ro, 2,
		       sizeof(*m), 0));
	sweep_same(K_MQ, q, &s);
	m[0].buf = (uintptr_t)rb;
	m[1].buf = (uintptr_t)prot_none;
	m[1].len = 64;
	EXPECT("RECVV, entry 1 into PROT_NONE: 1 taken", 0,
	       batch_c(q, KIPC_IOC_MQ_RECVV, KIPC_MQ_NONBLOCK, m, 2,
		       sizeof(*m), 0) == 1 ? 0 : -1);
	snap_of(K_MQ, q, &s);
	if (s.v[0] != 1)
		fail("RECVV: depth %" PRIu64 " after taking 1 of 2", s.v[0]);
	close(q);
	close(qr);
	close(qw);
}

static void sweep_buffer(void)
{
	int b = sweep_new(K_BUF, RW), br, bw, bn;
	unsigned char *rb = tc->rbuf;
	char path[64];
	struct snap s;
	void *p;

	br = reopen_c(b, false, KIPC_OPEN_READ);
	bw = reopen_c(b, false, KIPC_OPEN_WRITE);
	bn = reopen_c(b, false, RW | KIPC_OPEN_NONBLOCK);
	snap_of(K_BUF, b, &s);
	EXPECT("wait at 2", EINVAL, wait_c(b, 0, 2, 0, 0));
	EXPECT("wait at 4096", ENXIO, wait_c(b, 0, PAGE, 0, 0));
	EXPECT("wait at 2^64 - 4", ENXIO, wait_c(b, 0, (uint64_t)-4, 0, 0));
	EXPECT("wait on a write-only fd", EBADF, wait_c(bw, 0, 0, 0, 0));
	EXPECT("wait for 1 at a 0", EAGAIN, wait_c(b, 0, 0, 1, 0));
	EXPECT("wake, count 0", EINVAL, wake_c(b, 0, 0));
	EXPECT("wake at 4096", ENXIO, wake_c(b, PAGE, 1));
	EXPECT("wake on a read-only fd", EBADF, wake_c(br, 0, 1));
	EXPECT("read() 4 bytes", EINVAL, read(b, rb, 4));
	EXPECT("read(), no wake yet", EAGAIN, read(bn, rb, 8));
	EXPECT("read() into PROT_NONE", EINVAL, read(b, prot_none, 4));
	EXPECT("write()", EINVAL, write(b, rb, 8));
	EXPECT("MAP_PRIVATE", EINVAL, (long)mmap(NULL, PAGE, PROT_READ,
						 MAP_PRIVATE, b, 0));
	EXPECT("mmap at 4096", ENXIO, (long)mmap(NULL, PAGE, PROT_READ,
						 MAP_SHARED, b, PAGE));
	EXPECT("mmap of 2 pages", ENXIO, (long)mmap(NULL, 2 * PAGE, PROT_READ,
						    MAP_SHARED, b, 0));
	EXPECT("mmap at 1", EINVAL, (long)mmap(NULL, PAGE, PROT_READ,
					       MAP_SHARED, b, 1));
	EXPECT("writable mmap of a read-only fd", EACCES,
	       (long)mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, br,
			  0));
	EXPECT("ftruncate to 2 pages", EPERM, ftruncate(b, 2 * PAGE));
	EXPECT("fallocate", EOPNOTSUPP, fallocate(b, 0, 0, PAGE));
	EXPECT("F_ADD_SEALS", EPERM, fcntl(b, F_ADD_SEALS, F_SEAL_SHRINK));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", b);
	EXPECT("open of /proc/self/fd/N", ENXIO, open(path, O_RDONLY));
	sweep_same(K_BUF, b, &s);

	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, br, 0);
	if (p == MAP_FAILED) {
		fail("sweep: cannot map a read-only buffer fd: %s",
		     ename(errno));
	} else {
		EXPECT("mprotect of a read-only fd's mapping to write", EACCES,
		       mprotect(p, PAGE, PROT_READ | PROT_WRITE));
		EXPECT("mremap to grow", EFAULT,
		       (long)mremap(p, PAGE, 2 * PAGE, MREMAP_MAYMOVE, NULL));
		munmap(p, PAGE);
	}
	sweep_same(K_BUF, b, &s);
	EXPECT("wait at a 0, deadline 1", ETIMEDOUT,
	       wait_c(b, KIPC_BUF_DEADLINE, 0, 0, 1));
	EXPECT_WAITS("wait at a 0, deadline UINT64_MAX",
		     wait_c(b, KIPC_BUF_DEADLINE, 0, 0, FAR));
	EXPECT_WAITS("wait at a 0, deadline 2^63",
		     wait_c(b, KIPC_BUF_DEADLINE, 0, 0, FAR63));
	close(b);
	close(br);
	close(bw);
	close(bn);
}

static void sweep_semaphore(void)
{
	int s = sweep_new(K_SEM, RW), sr, sw, fds;
	unsigned char *rb = tc->rbuf;
	struct snap st;

	sr = reopen_c(s, true, KIPC_OPEN_READ);
	sw = reopen_c(s, true, KIPC_OPEN_WRITE);
	snap_of(K_SEM, s, &st);
	EXPECT("wait for 0", EINVAL, semwait_c(s, 0, 0, 0));
	EXPECT("wait for 5 of at most 4", EINVAL, semwait_c(s, 0, 5, 0));
	EXPECT("wait for 2 of 1, NONBLOCK", EAGAIN,
	       semwait_c(s, KIPC_SEM_NONBLOCK, 2, 0));
	EXPECT("wait for 2 of 1, deadline 1", ETIMEDOUT,
	       semwait_c(s, KIPC_SEM_DEADLINE, 2, 1));
	EXPECT_WAITS("wait for 2 of 1, deadline UINT64_MAX",
		     semwait_c(s, KIPC_SEM_DEADLINE, 2, FAR));
	EXPECT_WAITS("wait for 2 of 1, deadline 2^63",
		     semwait_c(s, KIPC_SEM_DEADLINE, 2, FAR63));
	EXPECT("wait on a write-only fd", EBADF, semwait_c(sw, 0, 1, 0));
	EXPECT("post 0", EINVAL, sempost_c(s, 0));
	EXPECT("post 4 onto 1 of 4", EOVERFLOW, sempost_c(s, 4));
	EXPECT("post 2^32 - 1", EOVERFLOW, sempost_c(s, UINT32_MAX));
	EXPECT("post on a read-only fd", EBADF, sempost_c(sr, 1));
	fds = count_fds();
	EXPECT("reopen, no access", EINVAL, reopen_c(s, true, 0));
	EXPECT("reopen a read-only fd for writing", EACCES,
	       reopen_c(sr, true, KIPC_OPEN_WRITE));
	if (count_fds() != fds)
		fail("failed reopens left %d fds, not %d", count_fds(), fds);
	EXPECT("read()", EINVAL, read(s, rb, 8));
	EXPECT("write()", EINVAL, write(s, rb, 8));
	EXPECT("mmap", ENODEV, (long)mmap(NULL, PAGE, PROT_READ, MAP_SHARED, s,
					  0));
	sweep_same(K_SEM, s, &st);
	close(s);
	close(sr);
	close(sw);
}

/* Opens that must fail, each leaving no fd and no object behind. */
static void sweep_control(void)
{
	static const struct {	/* NOLINT(clang-analyzer-optin.performance.Padding): a table */
		const char *what;
		int kind;
		uint32_t flags, mode;
		const char *name;
		uint32_t name_len;	/* 0: strlen */
		uint64_t a, b;
		int want;
	} bad[] = {
		{ "no access", K_MQ, KIPC_OPEN_CREATE, 0600, NULL, 0, 4, 64, EINVAL },
		{ "EXCL without CREATE", K_MQ, RW | KIPC_OPEN_EXCL, 0600, "$", 0, 0, 0, EINVAL },
		{ "anonymous without CREATE", K_SEM, RW, 0600, NULL, 0, 0, 0, EINVAL },
		{ "mode 01000", K_MQ, RW | KIPC_OPEN_CREATE, 01000, NULL, 0, 4, 64, EINVAL },
		{ "name \"/\"", K_MQ, RW | KIPC_OPEN_CREATE, 0600, "/", 0, 4, 64, EINVAL },
		{ "name of 256 bytes", K_BUF, RW | KIPC_OPEN_CREATE, 0600, "$", 256, PAGE, 0, ENAMETOOLONG },
		{ "name without '/'", K_SEM, RW | KIPC_OPEN_CREATE, 0600, "ab", 0, 1, 0, EINVAL },
		{ "name \"/a/b\"", K_SEM, RW | KIPC_OPEN_CREATE, 0600, "/a/b", 0, 1, 0, EINVAL },
		{ "name with a NUL", K_MQ, RW | KIPC_OPEN_CREATE, 0600, "/a\0b", 4, 4, 64, EINVAL },
		{ "name NULL", K_MQ, RW | KIPC_OPEN_CREATE, 0600, "", 5, 4, 64, EFAULT },
		{ "no such name", K_BUF, RW, 0, "$", 0, 0, 0, ENOENT },
		{ "max_msgs over the limit", K_MQ, RW | KIPC_OPEN_CREATE, 0600, NULL, 0, ~0u, 64, EINVAL },
		{ "msg_size over the limit", K_MQ, RW | KIPC_OPEN_CREATE, 0600, NULL, 0, 4, ~0u, EINVAL },
		{ "buf_size 0", K_BUF, RW | KIPC_OPEN_CREATE, 0600, NULL, 0, 0, 0, EINVAL },
		{ "buf_size 2^64 - 1", K_BUF, RW | KIPC_OPEN_CREATE, 0600, NULL, 0, ~0ull, 0, EINVAL },
		{ "sem max 2^31", K_SEM, RW | KIPC_OPEN_CREATE, 0600, NULL, 0, 0, 1u << 31, EINVAL },
		{ "sem value 5 of 4", K_SEM, RW | KIPC_OPEN_CREATE, 0600, NULL, 0, 5, 4, EINVAL },
		{ "CREATE|EXCL of a name there", K_MQ, RW | KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600, "!", 0, 4, 64, EEXIST },
		{ "a name of another kind, CREATE", K_SEM, RW | KIPC_OPEN_CREATE, 0600, "!", 0, 1, 0, EEXIST },
		{ "a name of another kind", K_BUF, RW, 0, "!", 0, 0, 0, ENOENT },
	};
	char there[64], longname[300];
	struct snap s0, s1;
	uint32_t id;
	uint64_t size;
	int keep, fds, fd;

	snprintf(there, sizeof(there), "/kfz%d.there", (int)sup_pid);
	keep = make_obj(sctl, K_MQ, there, RW | KIPC_OPEN_CREATE, 0600, 4, 64,
			&id, &size);
	memset(longname, 'n', sizeof(longname));
	longname[0] = '/';
	snap_of(K_CTL, sctl, &s0);
	fds = count_fds();
	for (size_t i = 0; i < KIPC_ARRAY_SIZE(bad); i++) {
		const char *name = bad[i].name;
		union {
			struct kipc_mq_open mq;
			struct kipc_buf_open buf;
			struct kipc_sem_open sem;
		} o;
		unsigned long nr = bad[i].kind == K_MQ ? KIPC_IOC_MQ_OPEN :
				   bad[i].kind == K_BUF ? KIPC_IOC_BUF_OPEN :
				   KIPC_IOC_SEM_OPEN;
		uint64_t uname;
		uint32_t len;

		if (name && !strcmp(name, "$"))
			name = bad[i].name_len ? longname : none_name;
		else if (name && !strcmp(name, "!"))
			name = there;
		uname = name && *name ? (uintptr_t)name : 0;
		len = bad[i].name_len ? bad[i].name_len : name ? strlen(name) : 0;
		memset(&o, 0, sizeof(o));
		/* the open structs share their first 24 bytes */
		o.mq.size = bad[i].kind == K_MQ ? sizeof(o.mq) :
			    bad[i].kind == K_BUF ? sizeof(o.buf) : sizeof(o.sem);
		o.mq.flags = bad[i].flags;
		o.mq.name = uname;
		o.mq.name_len = len;
		o.mq.mode = bad[i].mode;
		if (bad[i].kind == K_MQ) {
			o.mq.max_msgs = bad[i].a;
			o.mq.msg_size = bad[i].b;
		} else if (bad[i].kind == K_BUF) {
			o.buf.buf_size = bad[i].a;
		} else {
			o.sem.value = bad[i].a;
			o.sem.max = bad[i].b;
		}
		EXPECT(bad[i].what, bad[i].want, ioctl(sctl, nr, &o));
	}
	EXPECT("unlink, kind 0", EINVAL,
	       ({ struct kipc_unlink u = { .size = sizeof(u),
			.name = (uintptr_t)there, .name_len = strlen(there) };
		  ioctl(sctl, KIPC_IOC_UNLINK, &u); }));
	EXPECT("unlink, kind 4", EINVAL, unlink_name(sctl, 4, there) ? -1 : 0);
	EXPECT("unlink of another kind", ENOENT,
	       unlink_name(sctl, KIPC_KIND_BUF, there) ? -1 : 0);
	if (count_fds() != fds)
		fail("failed opens left %d fds, not %d", count_fds(), fds);
	snap_of(K_CTL, sctl, &s1);
	if (s0.v[0] != s1.v[0])
		fail("failed opens left %" PRIu64 " objects, not %" PRIu64,
		     s1.v[0], s0.v[0]);
	EXPECT("read() of the control fd", EINVAL, read(sctl, tc->rbuf, 8));
	EXPECT("write() of the control fd", EINVAL, write(sctl, tc->rbuf, 8));
	EXPECT("mmap of the control fd", ENODEV,
	       (long)mmap(NULL, PAGE, PROT_READ, MAP_SHARED, sctl, 0));
	EXPECT("lseek of the control fd", ESPIPE, lseek(sctl, 0, SEEK_SET));
	unlink_name(sctl, KIPC_KIND_MQ, there);
	close(keep);
	fd = make_obj(sctl, K_MQ, there, RW, 0, 0, 0, &id, &size);
	if (fd >= 0) {
		fail("the unlinked name %s still opens", there);
		close(fd);
	}
}

static void phase_sweep(char *desc, size_t len)
{
	unsigned int calls0 = board->calls;
	int n = 0;

	snprintf(none_name, sizeof(none_name), "/kfz%d.none", (int)sup_pid);
	for (int id = 0; id < NCMDS; id++) {
		for (int sh = 0; sh < NSHAPES; sh++) {
			if (sh == SH_RESERVED && cmds[id].reserved < 0)
				continue;
			if (sh == SH_FLAG) {
				for (int b = 0; b < 32; b++) {
					if (cmds[id].flags & (1u << b))
						continue;
					sweep_one(id, sh, 1u << b, cmds[id].kind);
					n++;
				}
				continue;
			}
			sweep_one(id, sh, 0, cmds[id].kind);
			n++;
		}
		for (int k = 0; k < NKINDS; k++) {
			if (k == cmds[id].kind)
				continue;
			sweep_one(id, SH_OK, 0, k);
			n++;
		}
	}
	sweep_queue();
	sweep_buffer();
	sweep_semaphore();
	sweep_control();
	snprintf(desc, len, "sweep: %d commands x shapes and fds, and the field edges of each kind (%u calls)",
		 n, (unsigned int)(board->calls - calls0));
}

/* ---- the other phases ---- */

#define MAX_BASE	65536
static uint32_t *base_ids;	/* objects there were before the run */
static uint32_t base_n;
static int base_refs;
static bool wedged;		/* a process we could not kill: stop there */

/* The supervisor's own fds: not for a worker to use or to keep open. */
static void close_supervisor_fds(void)
{
	close(sctl);
	close(snl);
	close(ev.fd);
}

/* Nothing can be tested: say why, in TAP, and stop. */
static void bail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void bail(const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	out("Bail out! %s", msg);
	out("0 passed, 1 failed");
	exit(1);
}

static bool in_base(uint32_t id)
{
	for (uint32_t i = 0; i < base_n && i < MAX_BASE; i++)
		if (base_ids[i] == id)
			return true;
	return false;
}

static void phase_setup(char *desc, size_t len)
{
	struct kipc_version v = { .size = sizeof(v) };
	struct dump d = { 0 };
	int ret;

	base_refs = kipc_module_refcnt();
	sctl = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (sctl < 0)
		bail("cannot open %s: %s (is kipc loaded?)", KIPC_DEVICE_PATH,
		     ename(errno));
	if (ioctl(sctl, KIPC_IOC_VERSION, &v) || v.abi_version != KIPC_ABI_VERSION)
		fail("KIPC_IOC_VERSION: %s, ABI %u", ename(errno), v.abi_version);
	ret = resolve_family(tc->nlbuf);
	if (ret)
		bail("the generic netlink family %s: %s", KIPC_FAMILY_NAME,
		     ename(-ret));
	snl = kipc_nl_open();
	base_ids = calloc(MAX_BASE, sizeof(*base_ids));
	d.ids = base_ids;
	d.max = MAX_BASE;
	ret = nl_dump(snl, tc->nlbuf, &d);
	if (ret)
		fail("the first dump: %s", ename(-ret));
	base_n = d.n;
	ret = events_start();
	if (is_root && ret)
		fail("joining the event group as root: %s", ename(-ret));
	else if (!is_root && ret != -EPERM)
		fail("joining the event group without CAP_NET_ADMIN: %s",
		     ret ? ename(-ret) : "allowed");
	if (is_root)
		params_save();
	limits_read();
	mt.base = mmap(NULL, NMAPS * MAP_SLOT, PROT_NONE, MAP_PRIVATE |
		       MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mt.base == MAP_FAILED)
		bail("mmap: %s", ename(errno));
	snprintf(desc, len, "setup: %s ABI %u, family %u, events group %u%s, %u objects before, module refcount %d",
		 KIPC_DEVICE_PATH, v.abi_version, fam.id, fam.events,
		 ev.running ? " (listening)" : "", base_n, base_refs);
}

/* The module parameters' edges, one at a time (root). */
static void phase_limits(char *desc, size_t len, bool *skip)
{
	unsigned char *big;
	uint32_t id;
	uint64_t size;
	size_t bigsz = 16 << 20;
	int q, fd[3], s;
	struct kipc_mq_recv ans;
	struct snap st;

	if (!is_root) {
		snprintf(desc, len, "limits # SKIP not root: the module parameters are root's");
		*skip = true;
		return;
	}
	describe("limits");
	/* out of range: refused, and nothing changes */
	{
		static const unsigned int lo[] = { 1, 1, 1, 1, 1, 1, 0 };
		static const unsigned int hi[] = {
			1048576, 1048576, 1048576, 1048576, 16777216, 65536,
			10000000,
		};

		for (size_t i = 0; i < KIPC_ARRAY_SIZE(params); i++) {
			unsigned int now = 0;
			int err;

			if (lo[i]) {
				err = param_set(i, lo[i] - 1);
				if (err != EINVAL)
					fail("%s=%u: %s", params[i], lo[i] - 1,
					     err ? ename(err) : "accepted");
			}
			err = param_set(i, hi[i] + 1);
			if (err != EINVAL)
				fail("%s=%u: %s", params[i], hi[i] + 1,
				     err ? ename(err) : "accepted");
			err = kipc_param_set(params[i], "12x");
			if (err != EINVAL)
				fail("%s=12x: %s", params[i],
				     err ? ename(err) : "accepted");
			if (kipc_param_get(params[i], &now) ||
			    now != saved_params[i])
				fail("%s is %u after refused writes, not %u",
				     params[i], now, saved_params[i]);
		}
	}

	/* the largest message: 16 MiB, sent and received whole */
	param_set(P_MSGSIZE, 16777216);
	param_set(P_MSGS, 1048576);
	describe("limits: a queue of 1 x 16 MiB");
	q = make_obj(sctl, K_MQ, NULL, RW | KIPC_OPEN_CREATE, 0600, 1, 16777216,
		     &id, &size);
	big = mmap(NULL, 2 * bigsz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (q < 0 || big == MAP_FAILED) {
		fail("a queue of 1 x 16 MiB: %s", ename(q < 0 ? -q : errno));
	} else {
		for (size_t i = 0; i < bigsz; i += 8)
			*(uint64_t *)(big + i) = splitmix(i);
		EXPECT("limits: send 16 MiB", 0,
		       mq_send_c(q, KIPC_MQ_NONBLOCK, (uintptr_t)big, bigsz, 0,
				 0));
		describe("limits: receive 16 MiB");
		call_begin(mono_ns());
		if (mq_recv_c(q, KIPC_MQ_NONBLOCK, (uintptr_t)(big + bigsz),
			      bigsz, 0, 0, &ans))
			fail("%s", ename(errno));
		else if (ans.len != bigsz || memcmp(big, big + bigsz, bigsz))
			fail("%u bytes came back, %s", ans.len,
			     memcmp(big, big + bigsz, bigsz) ? "changed" :
			     "the same");
		call_end();
		close(q);
	}
	if (big != MAP_FAILED)
		munmap(big, 2 * bigsz);
	describe("limits: msg_size 16 MiB + 1");
	q = make_obj(sctl, K_MQ, NULL, RW | KIPC_OPEN_CREATE, 0600, 1,
		     16777217, &id, &size);
	if (q != -EINVAL)
		fail("%s", q < 0 ? ename(-q) : "created");
	if (q >= 0)
		close(q);
	describe("limits: a queue of 1048576 x 1 byte");
	q = make_obj(sctl, K_MQ, NULL, RW | KIPC_OPEN_CREATE, 0600, 1048576, 1,
		     &id, &size);
	if (q < 0) {
		fail("%s", ename(-q));
	} else {
		for (int i = 0; i < 1000; i++)
			if (mq_put(q, "x")) {
				fail("send %d: %s", i, ename(errno));
				break;
			}
		snap_of(K_MQ, q, &st);
		if (st.v[0] != 1000)
			fail("depth %" PRIu64 " after 1000 sends", st.v[0]);
		close(q);
	}
	describe("limits: max_msgs 1048577");
	q = make_obj(sctl, K_MQ, NULL, RW | KIPC_OPEN_CREATE, 0600, 1048577, 1,
		     &id, &size);
	if (q != -EINVAL)
		fail("%s", q < 0 ? ename(-q) : "created");
	if (q >= 0)
		close(q);
	param_set(P_MSGSIZE, saved_params[P_MSGSIZE]);
	param_set(P_MSGS, saved_params[P_MSGS]);

	/* buffers at buf_max_mb, and one past */
	param_set(P_BUF, 1);
	describe("limits: a buffer of buf_max_mb=1");
	q = make_obj(sctl, K_BUF, NULL, RW | KIPC_OPEN_CREATE, 0600, 1 << 20, 0,
		     &id, &size);
	if (q < 0 || size != 1 << 20)
		fail("%s, %" PRIu64 " bytes", q < 0 ? ename(-q) : "ok", size);
	if (q >= 0)
		close(q);
	describe("limits: a buffer of 1 MiB + 1");
	q = make_obj(sctl, K_BUF, NULL, RW | KIPC_OPEN_CREATE, 0600,
		     (1 << 20) + 1, 0, &id, &size);
	if (q != -EINVAL)
		fail("%s", q < 0 ? ename(-q) : "created");
	if (q >= 0)
		close(q);
	param_set(P_BUF, 65536);
	describe("limits: a buffer of 64 GiB");
	q = make_obj(sctl, K_BUF, NULL, RW | KIPC_OPEN_CREATE, 0600,
		     64ull << 30, 0, &id, &size);
	if (q != -EDQUOT && q != -ENOMEM)
		fail("%s", q < 0 ? ename(-q) : "created");
	if (q >= 0)
		close(q);
	param_set(P_BUF, saved_params[P_BUF]);

	/* a semaphore at 2^31 - 1 */
	describe("limits: a semaphore at its largest");
	s = make_obj(sctl, K_SEM, NULL, RW | KIPC_OPEN_CREATE, 0600,
		     KIPC_SEM_VALUE_MAX, 0, &id, &size);
	if (s < 0 || size != KIPC_SEM_VALUE_MAX) {
		fail("%s, max %" PRIu64, s < 0 ? ename(-s) : "ok", size);
	} else {
		EXPECT("post 1 at 2^31 - 1", EOVERFLOW, sempost_c(s, 1));
		EXPECT("wait for 2^31 - 1", 0,
		       semwait_c(s, KIPC_SEM_NONBLOCK, KIPC_SEM_VALUE_MAX, 0));
		EXPECT("post 2^31 - 1", 0, sempost_c(s, KIPC_SEM_VALUE_MAX));
		EXPECT("wait for 2^31", EINVAL,
		       semwait_c(s, KIPC_SEM_NONBLOCK, KIPC_SEM_VALUE_MAX + 1,
				 0));
	}
	if (s >= 0)
		close(s);

	/* object counts and the byte quota */
	describe("limits: max_objects");
	for (int i = 0; i < 3; i++)
		fd[i] = -1;
	fd[0] = make_obj(sctl, K_SEM, NULL, RW | KIPC_OPEN_CREATE, 0600, 0, 0,
			 &id, &size);
	fd[1] = make_obj(sctl, K_SEM, NULL, RW | KIPC_OPEN_CREATE, 0600, 0, 0,
			 &id, &size);
	param_set(P_OBJS, 2);
	fd[2] = make_obj(sctl, K_SEM, NULL, RW | KIPC_OPEN_CREATE, 0600, 0, 0,
			 &id, &size);
	if (fd[2] != -ENOSPC)
		fail("a third object with max_objects=2: %s",
		     fd[2] < 0 ? ename(-fd[2]) : "created");
	param_set(P_OBJS, saved_params[P_OBJS]);
	param_set(P_PER_USER, 1);
	describe("limits: max_objects_per_user");
	if (fd[2] >= 0)
		close(fd[2]);
	fd[2] = make_obj(sctl, K_SEM, NULL, RW | KIPC_OPEN_CREATE, 0600, 0, 0,
			 &id, &size);
	if (fd[2] != -EDQUOT)
		fail("an object over max_objects_per_user=1: %s",
		     fd[2] < 0 ? ename(-fd[2]) : "created");
	param_set(P_PER_USER, saved_params[P_PER_USER]);
	param_set(P_QUOTA, 1);
	describe("limits: user_quota_mb");
	if (fd[2] >= 0)
		close(fd[2]);
	fd[2] = make_obj(sctl, K_MQ, NULL, RW | KIPC_OPEN_CREATE, 0600, 64,
			 32768, &id, &size);
	if (fd[2] != -EDQUOT)
		fail("a 2 MiB queue over user_quota_mb=1: %s",
		     fd[2] < 0 ? ename(-fd[2]) : "created");
	param_set(P_QUOTA, saved_params[P_QUOTA]);
	for (int i = 0; i < 3; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	params_restore();
	snprintf(desc, len, "limits: every parameter refuses its range's edges + 1; a 16 MiB message, 1048576 messages, buf_max_mb, a 64 GiB buffer, 2^31 - 1, max_objects, per user, quota");
}

static struct worker {
	pid_t pid;
	unsigned int gen;
	bool killed;
	bool done;
} workers[MAX_PROCS];

static void spawn(unsigned int i)
{
	pid_t pid = fork();

	if (pid == 0)
		worker_main(i, workers[i].gen);
	if (pid < 0) {
		fail("fork: %s", ename(errno));
		return;
	}
	workers[i].pid = pid;
	workers[i].killed = false;
}

/* A worker that ended: how, and whether to start another. */
static void worker_ended(pid_t pid, int status)
{
	for (unsigned int i = 0; i < opt.procs; i++) {
		if (workers[i].pid != pid)
			continue;
		workers[i].pid = 0;
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
		    workers[i].killed) {
			/* ours: another takes its place */
		} else if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fail("worker %u ended with %s %d", i,
			     WIFSIGNALED(status) ? "signal" : "status",
			     WIFSIGNALED(status) ? WTERMSIG(status) :
			     WEXITSTATUS(status));
			workers[i].done = true;
			return;
		} else {
			workers[i].done = true;
			return;
		}
		if (!opt.iterations && mono_ns() < deadline_ns &&
		    !board->stop) {
			workers[i].gen++;
			ADD(board->respawns, 1);
			spawn(i);
		}
		return;
	}
	/* a grandchild whose worker died: we are its reaper */
}

static unsigned int workers_alive(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < opt.procs; i++)
		n += workers[i].pid != 0;
	return n;
}

/* Reap until every process below us is gone, or @ms passed. */
static bool reap_all(int ms)
{
	uint64_t end = mono_ns() + ms * 1000000ull;
	int status;
	pid_t pid;

	while (mono_ns() < end) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			worker_ended(pid, status);
			continue;
		}
		if (pid < 0 && errno == ECHILD)
			return true;
		usleep(10000);
	}
	return false;
}

/* The supervisor's objects: workers inherit them, so they are shared. */
static void make_pool(void)
{
	static const uint32_t modes[] = { 0600, 0644, 0666, 0640 };
	struct expect none = { 0 };
	struct fdent f;
	int i, k, idx;

	for (k = K_MQ; k <= K_SEM; k++) {
		for (i = 0; i < 3; i++) {
			const char *name = i < 2 ? names[(k - 1) * 2 + i] : NULL;
			uint32_t flags = RW | KIPC_OPEN_CREATE |
					 (k == K_SEM && i == 1 ? KIPC_OPEN_UNDO : 0);
			uint64_t a = k == K_MQ ? 8 : k == K_BUF ? 4 * PAGE : 2;
			uint64_t b = k == K_MQ ? 256 : k == K_BUF ? 0 : 16;

			pool_add(sctl, k, name, flags, modes[i], a, b);
			/* a read-only and a write-only fd of the named ones */
			if (name) {
				pool_add(sctl, k, name, KIPC_OPEN_READ, 0, 0, 0);
				pool_add(sctl, k, name, KIPC_OPEN_WRITE, 0, 0, 0);
			}
		}
	}
	/* the buffers mapped, some read-only */
	pthread_mutex_lock(&mt.lock);
	for (i = 0, k = 0; i < 4 && k < 100; i++, k++) {
		idx = ft_pick(KM(K_BUF), &f);
		if (idx < 0 || !(f.access & KIPC_OPEN_READ)) {
			i--;
			continue;
		}
		map_into(i, &f, 0, f.size, f.access & KIPC_OPEN_WRITE ?
			 PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, &none,
			 -1);
	}
	pthread_mutex_unlock(&mt.lock);
}

static void phase_random(char *desc, size_t len)
{
	uint64_t start = mono_ns(), calls0 = board->calls;
	uint64_t stop_by;
	struct dump d = { 0 };
	unsigned int i;
	int status;
	pid_t pid;

	if (is_root) {
		/* small limits: their edges are cheap, memory stays bounded */
		param_set(P_MSGSIZE, 65536);
		param_set(P_MSGS, 256);
		param_set(P_BUF, 2);
		param_set(P_QUOTA, 32);
		limits_read();
	}
	make_pool();
	for (i = 0; i < opt.procs; i++)
		spawn(i);
	while (workers_alive()) {
		usleep(20000 + below(&tc->r, 80000));
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			worker_ended(pid, status);
		if (mono_ns() >= deadline_ns)
			break;
		if (!opt.iterations && chance(&tc->r, 10)) {
			i = below(&tc->r, opt.procs);
			if (workers[i].pid) {
				workers[i].killed = true;
				kill(workers[i].pid, SIGKILL);
				ADD(board->kills, 1);
			}
		}
		if (is_root && chance(&tc->r, 5))
			params_fuzz();
		if (chance(&tc->r, 20)) {
			describe("the supervisor's dump");
			memset(&d, 0, sizeof(d));
			nl_dump(snl, tc->nlbuf, &d);
		}
	}
	/* stop: everyone finishes the call in hand */
	board->stop = 1;
	stop_by = mono_ns() + (uint64_t)((opt.slack + 30) * 1e9);
	while (workers_alive() && mono_ns() < stop_by) {
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			worker_ended(pid, status);
		usleep(20000);
	}
	for (i = 0; i < opt.procs; i++) {
		if (!workers[i].pid)
			continue;
		ADD(board->hangs, 1);
		fail("worker %u (pid %d) did not stop within %.0f s: a hang",
		     i, (int)workers[i].pid, opt.slack + 30);
		workers[i].killed = true;
		kill(workers[i].pid, SIGKILL);
	}
	if (!reap_all(30000)) {
		fail("processes left that SIGKILL does not end");
		wedged = true;
	}
	params_restore();
	limits_read();
	snprintf(desc, len, "random: %" PRIu64 " calls in %.1f s by %u processes x %u threads, %" PRIu64 " of them killed, %" PRIu64 " forks, %" PRIu64 " netlink messages, %" PRIu64 " events, %" PRIu64 " interrupts, %" PRIu64 " hangs",
		 board->calls - calls0, (mono_ns() - start) / 1e9, opt.procs,
		 opt.threads, board->respawns, board->forks, board->nl_msgs,
		 board->events, board->interrupts, board->hangs);
}

/* Everyone gone: what every object's state must be now. */
static void phase_quiet(char *desc, size_t len)
{
	struct nlobj *objs = calloc(MAX_BASE, sizeof(*objs));
	struct dump d = { .objs = objs, .max = MAX_BASE };
	unsigned int nobj = 0;
	int ret;

	describe("quiet");
	ret = nl_dump(snl, tc->nlbuf, &d);
	if (ret)
		fail("dump: %s", ename(-ret));
	for (uint32_t i = 0; i < d.n && i < d.max; i++) {
		const struct nlobj *o = &objs[i];
		uint32_t fds = 0, maps = 0;

		if (in_base(o->id))
			continue;
		nobj++;
		for (int j = 0; j < NSLOTS; j++)
			fds += ft.e[j].fd >= 0 && ft.e[j].id == o->id;
		for (int j = 0; j < NMAPS; j++)
			maps += mt.s[j].kipc && mt.s[j].id == o->id;
		if (o->refs != fds + o->linked)
			fail("object %u (%s, %s): %u references, the supervisor has %u fds%s",
			     o->id, kind_name[o->kind],
			     o->has_name ? o->name : "anonymous", o->refs, fds,
			     o->linked ? " and the name" : "");
		switch (o->kind) {
		case KIPC_KIND_MQ:
			if (o->stat[KIPC_A_MQ_RECV_WAITERS] ||
			    o->stat[KIPC_A_MQ_SEND_WAITERS])
				fail("queue %u: %" PRIu64 " receivers, %" PRIu64 " senders waiting, with nobody left",
				     o->id, o->stat[KIPC_A_MQ_RECV_WAITERS],
				     o->stat[KIPC_A_MQ_SEND_WAITERS]);
			break;
		case KIPC_KIND_BUF:
			if (o->stat[KIPC_A_BUF_WAITERS] ||
			    o->stat[KIPC_A_BUF_MAPPINGS] != maps)
				fail("buffer %u: %" PRIu64 " waiters, %" PRIu64 " mappings; the supervisor has %u",
				     o->id, o->stat[KIPC_A_BUF_WAITERS],
				     o->stat[KIPC_A_BUF_MAPPINGS], maps);
			break;
		default:
			if (o->stat[KIPC_A_SEM_WAITERS])
				fail("semaphore %u: %" PRIu64 " waiters with nobody left",
				     o->id, o->stat[KIPC_A_SEM_WAITERS]);
		}
	}
	/* and through the supervisor's own fds */
	for (int j = 0; j < NSLOTS; j++) {
		struct fdent *f = &ft.e[j];

		if (f->fd < 0)
			continue;
		if (f->kind == K_MQ) {
			struct kipc_mq_stat st = { .size = sizeof(st) };

			if (!ioctl(f->fd, KIPC_IOC_MQ_STAT, &st))
				check_mq_stat(&st, f);
		} else if (f->kind == K_SEM) {
			struct kipc_sem_stat st = { .size = sizeof(st) };

			if (!ioctl(f->fd, KIPC_IOC_SEM_STAT, &st))
				check_sem_stat(&st, f);
		} else if (f->kind == K_BUF) {
			struct kipc_buf_stat st = { .size = sizeof(st) };

			if (!ioctl(f->fd, KIPC_IOC_BUF_STAT, &st))
				check_buf_stat(&st, f);
		}
	}
	free(objs);
	snprintf(desc, len, "quiet: %u objects left by the run, each with the references the survivors hold, no waiter, mappings as mapped",
		 nobj);
}

static void phase_cleanup(char *desc, size_t len)
{
	unsigned char *buf = tc->nlbuf;
	struct dump d = { .ids = calloc(MAX_BASE, sizeof(uint32_t)),
			  .max = MAX_BASE };
	unsigned int unlinked = 0, left = 0, live = 0;
	int refs, err;

	describe("cleanup");
	ft_close_all();
	munmap(mt.base, NMAPS * MAP_SLOT);
	for (int i = 0; i < NMAPS; i++)
		mt.s[i].kipc = false;
	for (int i = 0; i < NNAMES; i++) {
		for (int k = KIPC_KIND_MQ; k <= KIPC_KIND_SEM; k++) {
			err = unlink_name(sctl, k, names[i]);
			if (!err)
				unlinked++;
			else if (err != ENOENT)
				fail("unlink %s (kind %d): %s", names[i], k,
				     ename(err));
		}
	}
	close(sctl);
	sctl = -1;
	err = nl_dump(snl, buf, &d);
	if (err)
		fail("dump: %s", ename(-err));
	for (uint32_t i = 0; i < d.n && i < d.max; i++) {
		if (in_base(d.ids[i]))
			continue;
		left++;
		fail("object %u outlived the run", d.ids[i]);
	}
	free(d.ids);
	/* every object added was deleted, in order */
	if (ev.running) {
		ev.stop = 1;
		pthread_join(ev.th, NULL);
		ev.running = false;
		ev_drain(buf, 300);
		if (!ev.lost) {
			for (uint32_t i = 0; i < EV_SLOTS; i++) {
				if (ev.state[i] != EV_LINKED &&
				    ev.state[i] != EV_LIVE)
					continue;
				if (in_base(ev.id[i]))
					continue;
				live++;
				fail("object %u: added, never deleted (events)",
				     ev.id[i]);
			}
		}
		close(ev.fd);
		ev.fd = -1;
	}
	close(snl);
	snl = -1;
	/*
	 * A dump abandoned with its socket holds the module until the
	 * socket's destructor runs, after an RCU grace period, from a
	 * workqueue: give that a moment.
	 */
	for (int i = 0; i < 100 && (refs = kipc_module_refcnt()) > base_refs;
	     i++)
		usleep(100000);
	if (refs != base_refs)
		fail("the module's reference count is %d, %d before the run",
		     refs, base_refs);
	scan_leaks("the supervisor");
	snprintf(desc, len, "cleanup: %u names unlinked, %u objects left, %u without a del event%s, module refcount %d",
		 unlinked, left, live,
		 ev.lost ? " (events lost: not checked)" : "", refs);
}

/* rmmod kipc, then load @ko again with the parameters it had. */
static void phase_unload(char *desc, size_t len)
{
	char args[512] = "";
	size_t n = 0;
	int fd, ret;

	describe("unload");
	for (size_t i = 0; i < KIPC_ARRAY_SIZE(params); i++) {
		unsigned int v = 0;

		if (!kipc_param_get(params[i], &v))
			n += snprintf(args + n, sizeof(args) - n, "%s%s=%u",
				      n ? " " : "", params[i], v);
	}
	ret = syscall(SYS_delete_module, "kipc", O_NONBLOCK);
	if (ret) {
		fail("rmmod kipc: %s (refcount %d)", ename(errno),
		     kipc_module_refcnt());
		snprintf(desc, len, "unload: rmmod kipc failed");
		return;
	}
	if (!access(KIPC_DEVICE_PATH, F_OK))
		fail("%s is still there after rmmod", KIPC_DEVICE_PATH);
	fd = open(opt.unload, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, args, 0)) {
		fail("loading %s again: %s", opt.unload, ename(errno));
		exit(1);
	}
	close(fd);
	fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fail("%s after loading again: %s", KIPC_DEVICE_PATH,
		     ename(errno));
	else
		close(fd);
	snprintf(desc, len, "unload: rmmod kipc succeeds, %s loads again (%s)",
		 opt.unload, args);
}

/* ---- main ---- */

static void usage(void)
{
	fprintf(stderr,
		"usage: kipc_fuzz [--seed N] [--duration S] [--iterations N] [--procs N]\n"
		"                 [--threads N] [--slack S] [--unload KO]\n");
	exit(2);
}

static double number(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (!*s || *end || v < 0)
		usage();
	return v;
}

static void stats(void)
{
	char line[900];
	size_t n = 0;

	n += snprintf(line + n, sizeof(line) - n, "# calls by op:");
	for (int i = 0; i < NOPS; i++)
		n += snprintf(line + n, sizeof(line) - n, " %s %" PRIu64,
			      op_name[i], board->op_calls[i]);
	out("%s", line);
	n = snprintf(line, sizeof(line), "# results:");
	for (int e = 0; e <= ERRNO_MAX && n < sizeof(line) - 40; e++)
		if (board->errnos[e])
			n += snprintf(line + n, sizeof(line) - n, " %s %" PRIu64,
				      e == ERRNO_MAX ? "other" : ename(e),
				      board->errnos[e]);
	out("%s", line);
}

int main(int argc, char **argv)
{
	static struct tctx sup;
	static struct tslot sup_slot;
	static struct watch sup_watch;
	pthread_t sup_wd;
	struct sigaction sa = { 0 };
	char desc[600];
	int passed = 0, failed = 0, n = 0;
	struct {
		const char *name;
		void (*fn)(char *, size_t);
	} phases[] = {
		{ "setup", phase_setup }, { "sweep", phase_sweep },
		{ "limits", NULL }, { "random", phase_random },
		{ "quiet", phase_quiet }, { "cleanup", phase_cleanup },
		{ "unload", phase_unload },
	};

	opt.seed = splitmix(time(NULL) ^ (uint64_t)getpid() << 32) % 1000000000;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--seed"))
			opt.seed = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--duration"))
			opt.duration = number(v);
		else if (!strcmp(a, "--iterations"))
			opt.iterations = number(v);
		else if (!strcmp(a, "--procs"))
			opt.procs = number(v);
		else if (!strcmp(a, "--threads"))
			opt.threads = number(v);
		else if (!strcmp(a, "--slack"))
			opt.slack = number(v);
		else if (!strcmp(a, "--unload"))
			opt.unload = v;
		else
			usage();
	}
	if (!opt.procs || opt.procs > MAX_PROCS || !opt.threads ||
	    opt.threads > MAX_THREADS || opt.slack < 1)
		usage();
	if (!opt.duration && !opt.iterations)
		opt.duration = 30;

	setvbuf(stdout, NULL, _IONBF, 0);
	out("TAP version 13");
	out("# kipc_fuzz: seed %" PRIu64 "; to repeat: kipc_fuzz --seed %" PRIu64 " %s %g --procs %u --threads %u",
	    opt.seed, opt.seed, opt.iterations ? "--iterations" : "--duration",
	    opt.iterations ? (double)opt.iterations : opt.duration, opt.procs,
	    opt.threads);

	sup_pid = getpid();
	is_root = geteuid() == 0;
	board = mmap(NULL, sizeof(*board), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	prot_none = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	if (board == MAP_FAILED || prot_none == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	errsets_init();
	names_init();
	ft_init();
	sa.sa_handler = on_intr;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = on_restart;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR2, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = NULL;
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	pthread_atfork(atfork_prepare, atfork_parent, atfork_parent);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	tctx_init(&sup, 0, 0, 0xface);
	tc = &sup;
	/* the supervisor's calls are watched too */
	sup.slot = &sup_slot;
	sup_slot.tid = syscall(SYS_gettid);
	sup_watch.slots = &sup_slot;
	sup_watch.n = 1;
	rng_seed(&sup_watch.r, opt.seed, 0, 0xd06);
	if (pthread_create(&sup_wd, NULL, watchdog_main, &sup_watch)) {
		perror("pthread_create");
		return 1;
	}

	for (size_t p = 0; p < KIPC_ARRAY_SIZE(phases); p++) {
		uint64_t f0 = board->failures;
		bool skip = false;

		if (p == KIPC_ARRAY_SIZE(phases) - 1 && !opt.unload)
			break;
		if (wedged && p > 3) {
			out("ok %d %s # SKIP a process could not be killed", ++n,
			    phases[p].name);
			continue;
		}
		if (!strcmp(phases[p].name, "random"))
			deadline_ns = opt.duration ?
				      mono_ns() + (uint64_t)(opt.duration * 1e9) :
				      UINT64_MAX;
		desc[0] = '\0';
		board->printed = 0;
		if (phases[p].fn)
			phases[p].fn(desc, sizeof(desc));
		else
			phase_limits(desc, sizeof(desc), &skip);
		tc = &sup;
		if (skip) {
			out("ok %d %s", ++n, desc);
			continue;
		}
		if (board->failures == f0) {
			out("ok %d %s", ++n, desc);
			passed++;
		} else {
			out("not ok %d %s (%" PRIu64 " failures)", ++n, desc,
			    board->failures - f0);
			failed++;
		}
	}
	sup_watch.stop = 1;
	pthread_join(sup_wd, NULL);
	stats();
	if (board->failures)
		out("# %" PRIu64 " failures in all; the first %d of each phase are above",
		    board->failures, FAIL_LINES);
	out("# seed %" PRIu64, opt.seed);
	out("1..%d", n);
	out("%d passed, %d failed", passed, failed);
	return failed ? 1 : 0;
}
