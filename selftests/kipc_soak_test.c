// SPDX-License-Identifier: GPL-2.0
/* kipc_soak_test: workers on all three kinds SIGKILLed at random; 100 rmmod/insmod under load. */
/*
 * Plain TAP, no harness: it takes options (the harness of Debian's 6.1
 * takes none) and its steps run in order on one state.
 *
 * usage: kipc_soak_test [--duration S] [--workers N] [--cycles N]
 *                       [--kill-ms MS] [--cycle-ms MS] [--seed N]
 *
 * Defaults: --duration $KIPC_SOAK_SECONDS or 20, 12 workers, --cycles
 * $KIPC_SOAK_CYCLES or 100, a kill every 100 ms on average, 100 ms of
 * load before each cycle's rmmod. docs/testing.md ("Soak") says what is
 * checked and why; in short:
 *
 * - Workers loop over random operations on shared names: persistent
 *   queues (send, recv, sendv, recvv, peek, with and without deadlines),
 *   ephemeral queues created, used, closed and unlinked, anonymous
 *   queues, named and anonymous buffers (mmap, write, wait, wake),
 *   semaphores (wait, post, with and without undo), and a counter in a
 *   buffer under a semaphore lock opened with undo. The supervisor
 *   SIGKILLs one every so often and forks a replacement.
 * - Every message has a unique id; its state (sending, sent, failed) is
 *   kept in shared memory by the sender around each call, and receivers
 *   receive straight into a landing area in shared memory, so a message
 *   the kernel handed to a receiver killed before it recorded it is
 *   found there. Ownership of an id is taken with a compare-and-swap:
 *   a second owner is a duplicate.
 * - The supervisor holds an fd to each persistent queue, which workers
 *   never unlink, so every message sent to one must be received or
 *   drained at the end, exactly once. Ephemeral queues may be destroyed
 *   with messages in them: their messages must not be duplicated or
 *   damaged, and those never seen are counted as gone with their queue.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <linux/kipc.h>
#include <linux/kipc_netlink.h>

#include "kipc_test.h"

#define MAX_WORKERS	64
#define BATCH		8		/* sendv/recvv entries, landing slots */
#define MAX_IDS		(1u << 22)	/* message ids, then sends stop */
#define MAX_INCS	(1u << 16)	/* worker incarnations */
#define DRAINED		0xffffffffu	/* owner of what the end drained */
#define NP		3		/* persistent queues */
#define NE		4		/* ephemeral queue names */
#define NB		3		/* buffer names */
#define NS		3		/* semaphore names */
#define HELD_MAX	6		/* objects a worker keeps open */
#define FILL_MAX	40
#define QDEPTH		16

/* A message as it is queued; the fill is a pattern of the id. */
struct smsg {
	uint32_t sender;	/* the sending worker's incarnation */
	uint32_t id;		/* unique: the sequence of every message */
	uint16_t q;		/* the queue it was sent to */
	uint16_t len;		/* bytes of fill */
	uint32_t sum;
	unsigned char fill[FILL_MAX];
};

#define HDR_LEN		offsetof(struct smsg, fill)

enum { ST_NONE, ST_SENDING, ST_SENT, ST_FAILED };

/* A worker's slot; a replacement takes over its predecessor's. */
struct wslot {
	pid_t pid;
	uint32_t inc;
	uint32_t rx_q;			/* the queue of what lands below */
	uint32_t lock_pending;		/* inside the counter's section */
	uint64_t lock_done;		/* increments made, all incarnations */
	uint64_t ops;
	struct smsg landing[BATCH];	/* receives land here */
};

/* The counter in "/soak-counter", under the "/soak-lock" semaphore. */
struct counter {
	uint32_t owner;			/* incarnation inside, or 0 */
	uint64_t count;
};

enum {
	OP_SEND, OP_SENDV, OP_RECV, OP_RECVV, OP_PEEK, OP_EPH_OPEN,
	OP_EPH_USE, OP_ANON_MQ, OP_CLOSE, OP_UNLINK, OP_BUF_OPEN, OP_BUF_USE,
	OP_ANON_BUF, OP_SEM_OPEN, OP_SEM_USE, OP_LOCK, OP_STAT, NOPS
};

static const char *const op_names[NOPS] = {
	"send", "sendv", "recv", "recvv", "peek", "eph-open", "eph-use",
	"anon-mq", "close", "unlink", "buf-open", "buf-use", "anon-buf",
	"sem-open", "sem-use", "lock", "stat",
};

static const unsigned int op_weight[NOPS] = {
	[OP_SEND] = 16, [OP_SENDV] = 8, [OP_RECV] = 14, [OP_RECVV] = 8,
	[OP_PEEK] = 2, [OP_EPH_OPEN] = 4, [OP_EPH_USE] = 8, [OP_ANON_MQ] = 2,
	[OP_CLOSE] = 5, [OP_UNLINK] = 3, [OP_BUF_OPEN] = 4, [OP_BUF_USE] = 8,
	[OP_ANON_BUF] = 1, [OP_SEM_OPEN] = 4, [OP_SEM_USE] = 8, [OP_LOCK] = 8,
	[OP_STAT] = 2,
};

/* Everything shared: MAP_SHARED anonymous, made before the first fork. */
struct board {
	uint32_t stop;
	uint32_t started;
	uint32_t next_id;
	uint32_t next_inc;
	uint32_t errors;		/* unexpected results */
	uint32_t dups;
	uint32_t corrupt;
	uint32_t takeovers;		/* a killed holder's counter */
	uint32_t lock_cut;		/* holders killed mid-increment */
	uint64_t op_count[NOPS];
	struct wslot w[MAX_WORKERS];
	uint8_t killed[MAX_INCS];	/* set before the SIGKILL */
	uint8_t state[MAX_IDS];
	uint8_t qof[MAX_IDS];
	uint32_t owner[MAX_IDS];	/* receiver's incarnation, DRAINED */
};

static struct {
	unsigned int duration, workers, cycles, kill_ms, cycle_ms;
	uint64_t seed;
} opt;

static struct board *b;
static int test_no, test_failed;

/* ---- small things ---- */

static uint64_t rnd(uint64_t *s)
{
	/* xorshift64*: enough for picking operations */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static unsigned int below(uint64_t *s, unsigned int n)
{
	return n ? (unsigned int)(rnd(s) >> 33) % n : 0;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}


/* Count a failure of @what; print the first 20 of them. */
static void bad(uint32_t *counter, const char *fmt, ...)
{
	static char line[400];
	va_list ap;

	if (__atomic_fetch_add(counter, 1, __ATOMIC_SEQ_CST) >= 20)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	kipc_line("# %s", line);
}

static void tap(bool ok, const char *fmt, ...)
{
	char line[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	kipc_line("%s %d - %s", ok ? "ok" : "not ok", ++test_no, line);
	test_failed += !ok;
}

static void tap_skip(const char *what, const char *why)
{
	kipc_line("ok %d - %s # SKIP %s", ++test_no, what, why);
}

static uint32_t checksum(const struct smsg *m)
{
	/* seeded: an all-zero slot must not pass */
	uint32_t sum = 0x9e3779b9u ^ m->sender * 2654435761u ^ m->id ^
		       (uint32_t)m->q << 16 ^ m->len;

	for (unsigned int i = 0; i < m->len && i < FILL_MAX; i++)
		sum = sum * 31 + m->fill[i];
	return sum;
}

static bool msg_ok(const struct smsg *m, uint32_t len, uint32_t q)
{
	return m->len <= FILL_MAX && len == HDR_LEN + m->len &&
	       m->id < MAX_IDS && m->sender && m->sender < MAX_INCS &&
	       m->q == q && m->sum == checksum(m);
}

static bool slot_empty(const struct smsg *m)
{
	static const struct smsg zero;

	return !memcmp(m, &zero, sizeof(zero));
}

/*
 * @m arrived at @who (an incarnation, or DRAINED) from queue @q: take
 * its id. @dead: a post-mortem of a killed worker, which may have taken
 * it already before it died.
 */
static void take(const struct smsg *m, uint32_t len, uint32_t q, uint32_t who,
		 bool dead)
{
	uint32_t old = 0;

	if (!msg_ok(m, len, q)) {
		bad(&b->corrupt, "a damaged message from queue %u (%u bytes): id %u sender %u q %u len %u",
		    q, len, m->id, m->sender, m->q, m->len);
		return;
	}
	if (__atomic_compare_exchange_n(&b->owner[m->id], &old, who, false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return;
	if (dead && old == who)
		return;
	bad(&b->dups, "message %u (sender %u, queue %u) seen by %u and by %u",
	    m->id, m->sender, q, old, who);
}

/* ---- the objects ---- */

static const char *name_of(const char *kind, unsigned int i)
{
	static char name[32];

	snprintf(name, sizeof(name), "/soak-%s-%u", kind, i);
	return name;
}

static int mq_open(int ctl, const char *name, uint32_t flags,
		   uint32_t max_msgs)
{
	struct kipc_mq_open o = {
		.size = sizeof(o), .flags = flags, .mode = 0600,
		.name = (uintptr_t)name, .name_len = name ? strlen(name) : 0,
		.max_msgs = max_msgs, .msg_size = sizeof(struct smsg),
	};

	return ioctl(ctl, KIPC_IOC_MQ_OPEN, &o) ? -errno : o.fd;
}

static int buf_open(int ctl, const char *name, uint32_t flags,
		    uint64_t *size)
{
	struct kipc_buf_open o = {
		.size = sizeof(o), .flags = flags, .mode = 0600,
		.name = (uintptr_t)name, .name_len = name ? strlen(name) : 0,
		.buf_size = *size,
	};

	if (ioctl(ctl, KIPC_IOC_BUF_OPEN, &o))
		return -errno;
	*size = o.buf_size;
	return o.fd;
}

static int sem_open(int ctl, const char *name, uint32_t flags,
		    uint32_t value, uint32_t max)
{
	struct kipc_sem_open o = {
		.size = sizeof(o), .flags = flags, .mode = 0600,
		.name = (uintptr_t)name, .name_len = name ? strlen(name) : 0,
		.value = value, .max = max,
	};

	return ioctl(ctl, KIPC_IOC_SEM_OPEN, &o) ? -errno : o.fd;
}

static int unlink_obj(int ctl, uint32_t kind, const char *name)
{
	struct kipc_unlink u = {
		.size = sizeof(u), .kind = kind, .name = (uintptr_t)name,
		.name_len = strlen(name),
	};

	return ioctl(ctl, KIPC_IOC_UNLINK, &u) ? errno : 0;
}

#define RW		(KIPC_OPEN_READ | KIPC_OPEN_WRITE)
#define RWC		(RW | KIPC_OPEN_CREATE)
#define LOCK_NAME	"/soak-lock"
#define COUNTER_NAME	"/soak-counter"

/* ---- a worker ---- */

struct held {
	uint32_t kind;		/* 0: a free entry */
	int fd;
	unsigned int name;	/* for a queue: its ephemeral index */
	uint32_t *map;
	size_t map_len;
};

struct worker {
	uint64_t rng;
	uint32_t inc;
	struct wslot *w;
	int ctl;
	int pq[NP];
	int lock;
	struct counter *counter;
	struct held held[HELD_MAX];
};

/* @err (0 or an errno) of @what is one of the expected, or a failure. */
static void expect(struct worker *k, const char *what, int err, int ok1,
		   int ok2, int ok3)
{
	if (err == 0 || err == ok1 || err == ok2 || err == ok3)
		return;
	bad(&b->errors, "worker %u: %s: %s", k->inc, what, strerror(err));
}

static uint64_t deadline(struct worker *k, unsigned int max_ms)
{
	return mono_ns() + below(&k->rng, max_ms * 1000 + 1) * 1000ull;
}

/* Send @n messages to queue index @q through @fd, singly or batched. */
static void send_msgs(struct worker *k, int fd, uint32_t q, unsigned int n,
		      bool batch)
{
	struct smsg m[BATCH];
	struct kipc_mq_msg v[BATCH];
	uint32_t id = __atomic_fetch_add(&b->next_id, n, __ATOMIC_SEQ_CST);
	uint32_t flags = below(&k->rng, 4) ? KIPC_MQ_DEADLINE : KIPC_MQ_NONBLOCK;
	uint64_t dl = deadline(k, 5);
	int done, err = 0;

	if (id >= MAX_IDS - n)
		return;
	for (unsigned int i = 0; i < n; i++) {
		m[i] = (struct smsg){ .sender = k->inc, .id = id + i, .q = q,
				      .len = below(&k->rng, FILL_MAX + 1) };
		for (unsigned int j = 0; j < m[i].len; j++)
			m[i].fill[j] = (unsigned char)(m[i].id * 7 + j);
		m[i].sum = checksum(&m[i]);
		v[i] = (struct kipc_mq_msg){ .buf = (uintptr_t)&m[i],
			.len = HDR_LEN + m[i].len, .prio = below(&k->rng, 4),
			.type = 1 + below(&k->rng, 3) };
		b->qof[id + i] = q;
		__atomic_store_n(&b->state[id + i], ST_SENDING,
				 __ATOMIC_SEQ_CST);
	}
	if (batch) {
		struct kipc_mq_batch s = {
			.size = sizeof(s), .flags = flags, .deadline_ns = dl,
			.msgs = (uintptr_t)v, .count = n, .msg_size = sizeof(v[0]),
		};

		done = ioctl(fd, KIPC_IOC_MQ_SENDV, &s);
		if (done < 0) {
			err = errno;
			done = 0;
		}
	} else {
		struct kipc_mq_send s = {
			.size = sizeof(s), .flags = flags, .deadline_ns = dl,
			.buf = v[0].buf, .len = v[0].len, .prio = v[0].prio,
			.type = v[0].type,
		};

		done = ioctl(fd, KIPC_IOC_MQ_SEND, &s) ? 0 : 1;
		if (!done)
			err = errno;
	}
	for (unsigned int i = 0; i < n; i++)
		__atomic_store_n(&b->state[id + i],
				 (int)i < done ? ST_SENT : ST_FAILED,
				 __ATOMIC_SEQ_CST);
	expect(k, batch ? "sendv" : "send", err, EAGAIN, ETIMEDOUT, 0);
}

/*
 * Receive up to @n messages from queue index @q through @fd, straight
 * into the landing area, then take each and clear its slot.
 */
static void recv_msgs(struct worker *k, int fd, uint32_t q, unsigned int n,
		      bool batch)
{
	struct kipc_mq_msg v[BATCH];
	struct smsg *land = k->w->landing;
	uint32_t flags = below(&k->rng, 4) ? KIPC_MQ_DEADLINE : KIPC_MQ_NONBLOCK;
	uint32_t select = below(&k->rng, 5) ? KIPC_MQ_SELECT_ANY :
			  KIPC_MQ_SELECT_EXACT;
	uint64_t type = 1 + below(&k->rng, 3), dl = deadline(k, 5);
	int got, err = 0;

	k->w->rx_q = q;
	if (batch) {
		struct kipc_mq_batch r = {
			.size = sizeof(r), .flags = flags, .deadline_ns = dl,
			.msgs = (uintptr_t)v, .count = n, .msg_size = sizeof(v[0]),
			.select = select, .type = type,
		};

		for (unsigned int i = 0; i < n; i++)
			v[i] = (struct kipc_mq_msg){ .buf = (uintptr_t)&land[i],
						     .len = sizeof(land[i]) };
		got = ioctl(fd, KIPC_IOC_MQ_RECVV, &r);
		if (got < 0) {
			err = errno;
			got = 0;
		}
	} else {
		struct kipc_mq_recv r = {
			.size = sizeof(r), .flags = flags, .deadline_ns = dl,
			.buf = (uintptr_t)land, .len = sizeof(land[0]),
			.select = select, .type = type,
		};

		got = ioctl(fd, KIPC_IOC_MQ_RECV, &r) ? 0 : 1;
		if (got)
			v[0].len = r.len;
		else
			err = errno;
	}
	for (int i = 0; i < got; i++) {
		take(&land[i], v[i].len, q, k->inc, false);
		memset(&land[i], 0, sizeof(land[i]));
	}
	expect(k, batch ? "recvv" : "recv", err, EAGAIN, ETIMEDOUT, 0);
}

/* A copy that leaves the message queued: not into the landing area. */
static void peek(struct worker *k, int fd, uint32_t q)
{
	struct smsg m = { 0 };
	struct kipc_mq_recv r = {
		.size = sizeof(r), .flags = KIPC_MQ_PEEK | KIPC_MQ_NONBLOCK,
		.buf = (uintptr_t)&m, .len = sizeof(m),
	};

	if (ioctl(fd, KIPC_IOC_MQ_RECV, &r)) {
		expect(k, "peek", errno, EAGAIN, 0, 0);
		return;
	}
	if (!msg_ok(&m, r.len, q))
		bad(&b->corrupt, "worker %u: a damaged message peeked at in queue %u",
		    k->inc, q);
}

static void drop(struct held *h)
{
	if (h->map)
		munmap(h->map, h->map_len);
	close(h->fd);
	memset(h, 0, sizeof(*h));
}

/* A free entry of @k->held, closing a random one when all are taken. */
static struct held *hold(struct worker *k)
{
	struct held *h = &k->held[below(&k->rng, HELD_MAX)];

	for (int i = 0; i < HELD_MAX; i++)
		if (!k->held[i].kind)
			return &k->held[i];
	drop(h);
	return h;
}

/* A held object of @kind (0: any), or NULL. */
static struct held *held_of(struct worker *k, uint32_t kind)
{
	unsigned int start = below(&k->rng, HELD_MAX);

	for (int i = 0; i < HELD_MAX; i++) {
		struct held *h = &k->held[(start + i) % HELD_MAX];

		if (h->kind && (!kind || h->kind == kind))
			return h;
	}
	return NULL;
}

static void eph_open(struct worker *k)
{
	unsigned int i = below(&k->rng, NE);
	uint32_t flags = RWC | (below(&k->rng, 4) ? 0 : KIPC_OPEN_EXCL);
	int fd = mq_open(k->ctl, name_of("mq", i), flags, 8);
	struct held *h;

	if (fd < 0) {
		expect(k, "open an ephemeral queue", -fd, EEXIST, 0, 0);
		return;
	}
	h = hold(k);
	*h = (struct held){ .kind = KIPC_KIND_MQ, .fd = fd, .name = i };
}

static void eph_use(struct worker *k)
{
	struct held *h = held_of(k, KIPC_KIND_MQ);

	if (!h)
		return;
	if (below(&k->rng, 2))
		send_msgs(k, h->fd, NP + h->name, 1 + below(&k->rng, 3),
			  below(&k->rng, 2));
	else
		recv_msgs(k, h->fd, NP + h->name, 1 + below(&k->rng, BATCH),
			  below(&k->rng, 2));
}

/* An anonymous queue, left with messages in it or not. */
static void anon_mq(struct worker *k)
{
	char text[16] = "anonymous";
	int fd = mq_open(k->ctl, NULL, RWC, 4);
	unsigned int n = below(&k->rng, 5), out = below(&k->rng, 5);

	if (fd < 0) {
		expect(k, "open an anonymous queue", -fd, 0, 0, 0);
		return;
	}
	for (unsigned int i = 0; i < n; i++)
		if (write(fd, text, sizeof(text)) != sizeof(text))
			expect(k, "write an anonymous queue", errno, 0, 0, 0);
	for (unsigned int i = 0; i < out && i < n; i++) {
		char in[16] = "";

		if (read(fd, in, sizeof(in)) != sizeof(in) ||
		    memcmp(in, text, sizeof(in)))
			bad(&b->errors, "worker %u: read an anonymous queue: not what was written",
			    k->inc);
	}
	close(fd);
}

static void unlink_random(struct worker *k)
{
	static const struct {
		uint32_t kind;
		const char *prefix;
		unsigned int n;
	} sets[] = {
		{ KIPC_KIND_MQ, "mq", NE }, { KIPC_KIND_BUF, "buf", NB },
		{ KIPC_KIND_SEM, "sem", NS },
	};
	unsigned int s = below(&k->rng, 3);
	int err = unlink_obj(k->ctl, sets[s].kind,
			     name_of(sets[s].prefix, below(&k->rng, sets[s].n)));

	expect(k, "unlink", err, ENOENT, 0, 0);
}

static int map_buf(struct worker *k, struct held *h, int fd, uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED) {
		expect(k, "mmap a buffer", errno, 0, 0, 0);
		close(fd);
		return -1;
	}
	*h = (struct held){ .kind = KIPC_KIND_BUF, .fd = fd, .map = p,
			    .map_len = size };
	return 0;
}

static void buf_open_op(struct worker *k)
{
	uint64_t size = 4096ull * (1 + below(&k->rng, 4));
	int fd = buf_open(k->ctl, name_of("buf", below(&k->rng, NB)), RWC,
			  &size);

	if (fd < 0) {
		expect(k, "open a buffer", -fd, 0, 0, 0);
		return;
	}
	map_buf(k, hold(k), fd, size);
}

/* Wait on a word, or change it and wake its waiters. */
static void buf_use(struct worker *k)
{
	struct held *h = held_of(k, KIPC_KIND_BUF);
	unsigned int word = below(&k->rng, 16);

	if (!h)
		return;
	if (below(&k->rng, 2)) {
		struct kipc_buf_wake wk = {
			.size = sizeof(wk), .offset = word * 4ull,
			.count = KIPC_BUF_WAKE_ALL,
		};

		__atomic_add_fetch(&h->map[word], 1, __ATOMIC_SEQ_CST);
		if (ioctl(h->fd, KIPC_IOC_BUF_WAKE, &wk) < 0)
			expect(k, "wake", errno, 0, 0, 0);
	} else {
		struct kipc_buf_wait wt = {
			.size = sizeof(wt), .flags = KIPC_BUF_DEADLINE,
			.offset = word * 4ull, .deadline_ns = deadline(k, 3),
			.value = __atomic_load_n(&h->map[word], __ATOMIC_SEQ_CST),
		};

		if (ioctl(h->fd, KIPC_IOC_BUF_WAIT, &wt))
			expect(k, "wait", errno, EAGAIN, ETIMEDOUT, 0);
	}
}

static void anon_buf(struct worker *k)
{
	uint64_t size = 4096ull * (1 + below(&k->rng, 8));
	int fd = buf_open(k->ctl, NULL, RWC, &size);
	struct held h;

	if (fd < 0) {
		expect(k, "open an anonymous buffer", -fd, 0, 0, 0);
		return;
	}
	if (map_buf(k, &h, fd, size))
		return;
	memset(h.map, 0x5a, size);
	drop(&h);
}

static void sem_open_op(struct worker *k)
{
	uint32_t flags = RWC | (below(&k->rng, 2) ? KIPC_OPEN_UNDO : 0);
	int fd = sem_open(k->ctl, name_of("sem", below(&k->rng, NS)), flags,
			  2, 4);

	if (fd < 0) {
		expect(k, "open a semaphore", -fd, 0, 0, 0);
		return;
	}
	*hold(k) = (struct held){ .kind = KIPC_KIND_SEM, .fd = fd };
}

static void sem_use(struct worker *k)
{
	struct held *h = held_of(k, KIPC_KIND_SEM);
	uint32_t count = 1 + below(&k->rng, 2);

	if (!h)
		return;
	if (below(&k->rng, 2)) {
		struct kipc_sem_wait w = {
			.size = sizeof(w), .count = count,
			.flags = below(&k->rng, 3) ? KIPC_SEM_DEADLINE :
						     KIPC_SEM_NONBLOCK,
			.deadline_ns = deadline(k, 3),
		};

		if (ioctl(h->fd, KIPC_IOC_SEM_WAIT, &w))
			expect(k, "semaphore wait", errno, EAGAIN, ETIMEDOUT, 0);
	} else {
		struct kipc_sem_post p = { .size = sizeof(p), .count = count };

		if (ioctl(h->fd, KIPC_IOC_SEM_POST, &p) < 0)
			expect(k, "semaphore post", errno, EOVERFLOW, 0, 0);
	}
}

/*
 * The counter's critical section. Whoever is inside when another enters
 * must have been killed (undo gave its unit back); the increments are
 * counted on both sides of the count so that a kill anywhere leaves the
 * count between them (see check_lock()).
 */
static void lock_op(struct worker *k)
{
	struct kipc_sem_wait w = {
		.size = sizeof(w), .flags = KIPC_SEM_DEADLINE, .count = 1,
		.deadline_ns = deadline(k, 10),
	};
	struct kipc_sem_post p = { .size = sizeof(p), .count = 1 };
	struct counter *c = k->counter;
	uint32_t owner;
	uint64_t v;

	if (ioctl(k->lock, KIPC_IOC_SEM_WAIT, &w)) {
		expect(k, "lock", errno, ETIMEDOUT, 0, 0);
		return;
	}
	owner = __atomic_load_n(&c->owner, __ATOMIC_SEQ_CST);
	if (owner && (owner >= MAX_INCS || !b->killed[owner]))
		bad(&b->errors, "worker %u: the lock is held by %u, alive",
		    k->inc, owner);
	else if (owner)
		__atomic_add_fetch(&b->takeovers, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&c->owner, k->inc, __ATOMIC_SEQ_CST);
	__atomic_store_n(&k->w->lock_pending, 1, __ATOMIC_SEQ_CST);
	v = __atomic_load_n(&c->count, __ATOMIC_SEQ_CST);
	/* let a kill find us inside now and then */
	if (!below(&k->rng, 16))
		sleep_ms(2);
	else if (!below(&k->rng, 8))
		sched_yield();
	__atomic_store_n(&c->count, v + 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&k->w->lock_done, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&k->w->lock_pending, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&c->owner, 0, __ATOMIC_SEQ_CST);
	if (ioctl(k->lock, KIPC_IOC_SEM_POST, &p) < 0)
		expect(k, "unlock", errno, 0, 0, 0);
}

static void stat_op(struct worker *k)
{
	struct kipc_mq_stat st = { .size = sizeof(st) };

	if (ioctl(k->pq[below(&k->rng, NP)], KIPC_IOC_MQ_STAT, &st)) {
		expect(k, "queue stat", errno, 0, 0, 0);
		return;
	}
	if (st.depth > st.max_msgs || st.max_msgs != QDEPTH)
		bad(&b->errors, "worker %u: a queue of %u holds %u", k->inc,
		    st.max_msgs, st.depth);
}

static void run_op(struct worker *k, unsigned int op)
{
	unsigned int q = below(&k->rng, NP);

	switch (op) {
	case OP_SEND:
	case OP_SENDV:
		send_msgs(k, k->pq[q], q,
			  op == OP_SEND ? 1 : 1 + below(&k->rng, BATCH),
			  op == OP_SENDV);
		break;
	case OP_RECV:
	case OP_RECVV:
		recv_msgs(k, k->pq[q], q,
			  op == OP_RECV ? 1 : 1 + below(&k->rng, BATCH),
			  op == OP_RECVV);
		break;
	case OP_PEEK:
		peek(k, k->pq[q], q);
		break;
	case OP_EPH_OPEN:
		eph_open(k);
		break;
	case OP_EPH_USE:
		eph_use(k);
		break;
	case OP_ANON_MQ:
		anon_mq(k);
		break;
	case OP_CLOSE: {
		struct held *h = held_of(k, 0);

		if (h)
			drop(h);
		break;
	}
	case OP_UNLINK:
		unlink_random(k);
		break;
	case OP_BUF_OPEN:
		buf_open_op(k);
		break;
	case OP_BUF_USE:
		buf_use(k);
		break;
	case OP_ANON_BUF:
		anon_buf(k);
		break;
	case OP_SEM_OPEN:
		sem_open_op(k);
		break;
	case OP_SEM_USE:
		sem_use(k);
		break;
	case OP_LOCK:
		lock_op(k);
		break;
	default:
		stat_op(k);
		break;
	}
}

/* The shared objects every worker (and the supervisor) opens. */
static int open_shared(int ctl, int pq[NP], int *lock, uint32_t lock_flags,
		       struct counter **counter)
{
	uint64_t size = 4096;
	int fd;

	for (int i = 0; i < NP; i++) {
		pq[i] = mq_open(ctl, name_of("pq", i), RWC, QDEPTH);
		if (pq[i] < 0)
			return -pq[i];
	}
	*lock = sem_open(ctl, LOCK_NAME, RWC | lock_flags, 1, 1);
	if (*lock < 0)
		return -*lock;
	fd = buf_open(ctl, COUNTER_NAME, RWC, &size);
	if (fd < 0)
		return -fd;
	*counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return *counter == MAP_FAILED ? errno : 0;
}

static void __attribute__((noreturn)) worker_main(int slot, uint32_t inc)
{
	struct worker k = { .inc = inc, .w = &b->w[slot] };
	unsigned int total = 0;
	int err;

	k.rng = opt.seed ^ (uint64_t)inc * 0x9e3779b97f4a7c15ull;
	if (!k.rng)
		k.rng = 1;
	for (int i = 0; i < NOPS; i++)
		total += op_weight[i];
	k.ctl = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (k.ctl < 0) {
		bad(&b->errors, "worker %u: open %s: %s", inc,
		    KIPC_DEVICE_PATH, strerror(errno));
		_exit(1);
	}
	err = open_shared(k.ctl, k.pq, &k.lock, KIPC_OPEN_UNDO, &k.counter);
	if (err) {
		bad(&b->errors, "worker %u: open the shared objects: %s", inc,
		    strerror(err));
		_exit(1);
	}
	__atomic_add_fetch(&b->started, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&b->stop, __ATOMIC_SEQ_CST)) {
		unsigned int r = below(&k.rng, total), op = 0;

		while (r >= op_weight[op])
			r -= op_weight[op++];
		run_op(&k, op);
		__atomic_add_fetch(&b->op_count[op], 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&k.w->ops, 1, __ATOMIC_RELAXED);
	}
	_exit(0);
}

/* ---- the supervisor ---- */

static unsigned int kills, replaced;

static void spawn(int slot)
{
	struct wslot *w = &b->w[slot];
	uint32_t inc = ++b->next_inc;
	pid_t pid;

	memset(w->landing, 0, sizeof(w->landing));
	w->inc = inc;
	w->pid = 0;
	if (inc >= MAX_INCS)
		return;		/* out of incarnations: the slot stays empty */
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		bad(&b->errors, "fork: %s", strerror(errno));
		return;
	}
	if (!pid)
		worker_main(slot, inc);
	w->pid = pid;
}

/*
 * What a dead worker left in its landing area had been handed over to
 * it: take it in its name (if it did before it died, nothing changes).
 */
static void post_mortem(int slot)
{
	struct wslot *w = &b->w[slot];

	for (int i = 0; i < BATCH; i++) {
		struct smsg *m = &w->landing[i];

		if (!slot_empty(m))
			take(m, HDR_LEN + (m->len <= FILL_MAX ? m->len : 0),
			     w->rx_q, w->inc, true);
		memset(m, 0, sizeof(*m));
	}
	if (w->lock_pending)
		b->lock_cut++;
	w->lock_pending = 0;
	w->pid = 0;
}

/* waitpid() for at most @ms: the status, or -1 with the child still there. */
static int reap_within(pid_t pid, unsigned int ms)
{
	uint64_t end = mono_ns() + ms * 1000000ull;
	int status;

	do {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0)
			return 0;
		sleep_ms(5);
	} while (mono_ns() < end);
	return -1;
}

/* SIGKILL the worker in @slot, wait for it, take what it left. */
static bool kill_worker(int slot)
{
	struct wslot *w = &b->w[slot];

	if (!w->pid)
		return true;
	b->killed[w->inc] = 1;
	kill(w->pid, SIGKILL);
	if (reap_within(w->pid, 60000) == -1) {
		bad(&b->errors, "worker %u (pid %d) not gone 60 s after SIGKILL",
		    w->inc, w->pid);
		return false;
	}
	post_mortem(slot);
	return true;
}

/* Ask the workers to stop, and wait: a worker that does not is hung. */
static bool stop_workers(unsigned int n)
{
	bool ok = true;

	__atomic_store_n(&b->stop, 1, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < n; i++) {
		struct wslot *w = &b->w[i];
		int status;

		if (!w->pid)
			continue;
		status = reap_within(w->pid, 60000);
		if (status == -1) {
			bad(&b->errors, "worker %u did not stop within 60 s",
			    w->inc);
			ok = false;
			kill_worker(i);
			continue;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad(&b->errors, "worker %u ended with status %#x",
			    w->inc, status);
		post_mortem(i);
	}
	return ok;
}

/* Receive everything left in @fd (queue index @q) as drained. */
static void drain(int fd, uint32_t q, uint64_t *drained)
{
	struct smsg land[BATCH];
	struct kipc_mq_msg v[BATCH];
	struct kipc_mq_batch r = {
		.size = sizeof(r), .flags = KIPC_MQ_NONBLOCK,
		.msgs = (uintptr_t)v, .count = BATCH, .msg_size = sizeof(v[0]),
	};
	int got;

	do {
		memset(land, 0, sizeof(land));
		for (int i = 0; i < BATCH; i++)
			v[i] = (struct kipc_mq_msg){ .buf = (uintptr_t)&land[i],
						     .len = sizeof(land[i]) };
		got = ioctl(fd, KIPC_IOC_MQ_RECVV, &r);
		for (int i = 0; i < got; i++)
			take(&land[i], v[i].len, q, DRAINED, false);
		if (got > 0)
			*drained += got;
	} while (got > 0);
	if (errno != EAGAIN)
		bad(&b->errors, "drain queue %u: %s", q, strerror(errno));
}

/* Objects in this IPC namespace, by a netlink dump; -1 on failure. */
static int count_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	++*(int *)arg;
	return NL_OK;
}

static int nl_count_objects(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int n = 0, family;

	if (!sk)
		return -1;
	if (genl_connect(sk) ||
	    (family = genl_ctrl_resolve(sk, KIPC_FAMILY_NAME)) < 0 ||
	    nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, count_cb, &n) ||
	    genl_send_simple(sk, family, KIPC_NL_CMD_OBJ_GET,
			     KIPC_FAMILY_VERSION, NLM_F_DUMP) < 0 ||
	    nl_recvmsgs_default(sk) < 0)
		n = -1;
	nl_socket_free(sk);
	return n;
}

#define KMEMLEAK	"/sys/kernel/debug/kmemleak"

static int kmemleak_write(const char *cmd)
{
	return kipc_write_file(KMEMLEAK, cmd);
}

/* The lines kmemleak reports now, the first 60 printed if @print. */
static int kmemleak_read(bool print)
{
	char line[256];
	int lines = 0;
	FILE *f = fopen(KMEMLEAK, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (lines++ < 60 && print)
			kipc_line("# kmemleak: %.*s", (int)strcspn(line, "\n"), line);
	fclose(f);
	return lines;
}

/*
 * Scan for leaks at least 6 s after @since (kmemleak passes over younger
 * objects): the number of lines it reports, printed, or -1 if there is
 * no kmemleak. What one scan reports is scanned again, as the kernel's
 * kmemleak.rst advises, so that a pointer in flight does not count.
 */
static int kmemleak_check(uint64_t since)
{
	uint64_t now = mono_ns(), ready = since + 6500000000ull;
	int lines;

	if (access(KMEMLEAK, W_OK))
		return -1;
	if (now < ready)
		sleep_ms((ready - now) / 1000000);
	if (kmemleak_write("scan"))
		return -1;
	lines = kmemleak_read(false);
	if (lines) {
		kmemleak_write("scan");
		lines = kmemleak_read(true);
	}
	kmemleak_write("clear");
	return lines;
}

static void kmemleak_step(const char *what, uint64_t since)
{
	uint64_t t0 = mono_ns();
	int leaks = kmemleak_check(since);

	if (leaks >= 0)
		kipc_line("# kmemleak: %.1f s to wait and scan", (mono_ns() - t0) / 1e9);
	if (leaks < 0)
		tap_skip(what, "no kmemleak (debug kernel only)");
	else
		tap(leaks == 0, "%s", what);
}

/*
 * The counter's check: between the increments done and those plus the
 * ones a kill cut short; the lock back at 1 with nobody waiting: undo
 * gave back what the killed holders took.
 */
static bool check_lock(int lock, const struct counter *c)
{
	struct kipc_sem_stat st = { .size = sizeof(st) };
	uint64_t done = 0;

	for (unsigned int i = 0; i < opt.workers; i++)
		done += b->w[i].lock_done;
	if (ioctl(lock, KIPC_IOC_SEM_STAT, &st)) {
		kipc_line("# lock stat: %s", strerror(errno));
		return false;
	}
	kipc_line("# counter %llu: %llu increments done, %u holders killed inside, %u entries after a killed holder; lock value %u, %llu given back by undo",
	    (unsigned long long)c->count, (unsigned long long)done,
	    b->lock_cut, b->takeovers, st.value,
	    (unsigned long long)st.undone);
	if (c->owner)
		kipc_line("# the last holder, %u, was killed inside", c->owner);
	return c->count >= done && c->count <= done + b->lock_cut &&
	       st.value == 1 && st.waiters == 0 &&
	       (!c->owner || (c->owner < MAX_INCS && b->killed[c->owner]));
}

/* Every message id against its sender's state: see the top comment. */
static bool check_messages(uint64_t drained)
{
	uint64_t sent = 0, failed = 0, received = 0, gone = 0, doubt = 0,
		 doubt_seen = 0, lost = 0, never = 0;
	uint32_t n = __atomic_load_n(&b->next_id, __ATOMIC_SEQ_CST);

	if (n > MAX_IDS)
		n = MAX_IDS;
	for (uint32_t id = 0; id < n; id++) {
		uint32_t own = b->owner[id];

		switch (b->state[id]) {
		case ST_SENDING:
			doubt++;
			doubt_seen += !!own;
			break;
		case ST_SENT:
			sent++;
			if (own && own != DRAINED)
				received++;
			else if (!own && b->qof[id] >= NP)
				gone++;
			else if (!own && lost++ < 10)
				kipc_line("# message %u, sent to persistent queue %u, never seen",
				    id, b->qof[id]);
			break;
		case ST_FAILED:
			failed++;
			if (own && never++ < 10)
				kipc_line("# message %u: its send failed, yet %u received it",
				    id, own);
			break;
		default:
			if (own && never++ < 10)
				kipc_line("# message %u was never sent, yet %u received it",
				    id, own);
			break;
		}
	}
	kipc_line("# messages: %llu sent, %llu received, %llu drained, %llu gone with a destroyed ephemeral queue, %llu failed (full, timed out), %llu cut short by a kill (%llu of them seen)",
	    (unsigned long long)sent, (unsigned long long)received,
	    (unsigned long long)drained, (unsigned long long)gone,
	    (unsigned long long)failed, (unsigned long long)doubt,
	    (unsigned long long)doubt_seen);
	kipc_line("# %u duplicates, %u damaged, %llu lost, %llu seen unsent",
	    b->dups, b->corrupt, (unsigned long long)lost,
	    (unsigned long long)never);
	if (b->next_id >= MAX_IDS)
		kipc_line("# the %u message ids ran out: sends stopped", MAX_IDS);
	return sent && received && !b->dups && !b->corrupt && !lost && !never;
}

static void print_ops(void)
{
	char line[512];
	int len = 0;

	for (int i = 0; i < NOPS; i++)
		len += snprintf(line + len, sizeof(line) - len, " %s %llu",
				op_names[i],
				(unsigned long long)b->op_count[i]);
	kipc_line("# operations:%s", line);
}

/*
 * The soak: workers for opt.duration s, a random one SIGKILLed and
 * replaced every opt.kill_ms on average, then the checks.
 */
static void soak(void)
{
	char what[96];
	int ctl, pq[NP] = { 0 }, lock, objects0, refs0, objects, refs;
	struct counter *counter;
	uint64_t drained = 0, end, t0 = mono_ns();
	uint64_t rng = opt.seed | 1;
	bool ok;

	refs0 = kipc_module_refcnt();
	objects0 = nl_count_objects();
	ctl = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (ctl < 0 || open_shared(ctl, pq, &lock, 0, &counter)) {
		kipc_line("Bail out! cannot open %s and the shared objects: %s",
		    KIPC_DEVICE_PATH, strerror(errno));
		exit(1);
	}
	for (unsigned int i = 0; i < opt.workers; i++)
		spawn(i);
	end = mono_ns() + opt.duration * 1000000000ull;
	while (mono_ns() < end) {
		unsigned int slot = below(&rng, opt.workers);

		sleep_ms(opt.kill_ms / 2 + below(&rng, opt.kill_ms + 1));
		/* every other kill, one inside the counter's section if any */
		for (unsigned int i = 0; i < opt.workers && kills % 2; i++)
			if (b->w[i].lock_pending)
				slot = i;
		/* a worker that ended by itself failed; replace it too */
		for (unsigned int i = 0; i < opt.workers; i++) {
			int status;

			if (b->w[i].pid &&
			    waitpid(b->w[i].pid, &status, WNOHANG) > 0) {
				bad(&b->errors, "worker %u ended by itself, status %#x",
				    b->w[i].inc, status);
				post_mortem(i);
				spawn(i);
			}
		}
		if (!kill_worker(slot))
			break;
		kills++;
		spawn(slot);
		replaced++;
	}
	ok = stop_workers(opt.workers);
	snprintf(what, sizeof(what),
		 "soak: %u workers for %u s, %u SIGKILLed, no unexpected result",
		 opt.workers, opt.duration, kills);
	print_ops();
	tap(ok && !b->errors && kills > 0, "%s", what);

	/* drain: persistent queues by their fds, ephemeral ones by name */
	for (int i = 0; i < NP; i++)
		drain(pq[i], i, &drained);
	for (int i = 0; i < NE; i++) {
		int fd = mq_open(ctl, name_of("mq", i), RW, 0);

		if (fd < 0)
			continue;
		drain(fd, NP + i, &drained);
		close(fd);
	}
	tap(check_messages(drained),
	    "soak: every message sent is received or drained exactly once, undamaged");
	tap(check_lock(lock, counter),
	    "soak: the counter under the undo lock is consistent, the lock back at 1");

	/* unlink every name; close everything: nothing may be left */
	for (int i = 0; i < NP; i++) {
		unlink_obj(ctl, KIPC_KIND_MQ, name_of("pq", i));
		close(pq[i]);
	}
	for (int i = 0; i < NE; i++)
		unlink_obj(ctl, KIPC_KIND_MQ, name_of("mq", i));
	for (int i = 0; i < NB; i++)
		unlink_obj(ctl, KIPC_KIND_BUF, name_of("buf", i));
	for (int i = 0; i < NS; i++)
		unlink_obj(ctl, KIPC_KIND_SEM, name_of("sem", i));
	unlink_obj(ctl, KIPC_KIND_SEM, LOCK_NAME);
	unlink_obj(ctl, KIPC_KIND_BUF, COUNTER_NAME);
	close(lock);
	munmap(counter, 4096);
	close(ctl);
	objects = nl_count_objects();
	refs = kipc_module_refcnt();
	kipc_line("# objects in this IPC namespace: %d before, %d after; module references: %d before, %d after",
	    objects0, objects, refs0, refs);
	tap(objects >= 0 && objects == objects0 && refs == refs0,
	    "soak: no object left, module references back where they were");
	kipc_line("# soak took %.1f s", (mono_ns() - t0) / 1e9);
}

/*
 * delete_module() with O_NONBLOCK in a child, so that a hang (which it
 * must never be) fails the test rather than blocking it: the errno, 0,
 * or ETIME if it did not return within 30 s.
 */
static int unload_within(void)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return errno;
	if (!pid)
		_exit(kipc_module_unload());
	status = reap_within(pid, 30000);
	if (status == -1)
		return ETIME;
	return WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
}

/* Where the cycles' time goes: load, rmmod, kill, insmod. */
static uint64_t cycle_ns[4];

/* One cycle; NULL or what went wrong. */
static const char *cycle(const char *ko, const char *params, unsigned int n)
{
	uint64_t t0 = mono_ns(), t, end = t0 + 60000000000ull;
	struct kipc_version v = { .size = sizeof(v) };
	int err, fd;

	__atomic_store_n(&b->stop, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&b->started, 0, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < n; i++)
		spawn(i);
	while (__atomic_load_n(&b->started, __ATOMIC_SEQ_CST) < n &&
	       mono_ns() < end)
		sleep_ms(2);
	if (b->started < n)
		return "the workers did not start within 60 s";
	sleep_ms(opt.cycle_ms);
	t = mono_ns();
	cycle_ns[0] += t - t0;

	err = unload_within();
	cycle_ns[1] += mono_ns() - t;
	if (err == ETIME)
		return "rmmod under load hung";
	if (err != EWOULDBLOCK) {
		if (!err)
			kipc_module_load(ko, params);
		return err ? "rmmod under load: not EWOULDBLOCK" :
			     "rmmod under load succeeded";
	}
	t = mono_ns();
	for (unsigned int i = 0; i < n; i++) {
		b->killed[b->w[i].inc] = 1;
		kill(b->w[i].pid, SIGKILL);
	}
	for (unsigned int i = 0; i < n; i++)
		if (!kill_worker(i))
			return "a worker did not die";
	cycle_ns[2] += mono_ns() - t;
	t = mono_ns();

	/* the last references go as the workers' files are released */
	end = mono_ns() + 10000000000ull;
	while ((err = unload_within()) == EWOULDBLOCK && mono_ns() < end)
		sleep_ms(10);
	if (err == ETIME)
		return "rmmod hung";
	if (err)
		return "rmmod after the load: still refused after 10 s";
	if (kipc_module_loaded())
		return "kipc still loaded after rmmod";
	cycle_ns[1] += mono_ns() - t;
	t = mono_ns();
	err = kipc_module_load(ko, params);
	cycle_ns[3] += mono_ns() - t;
	if (err)
		return "insmod failed";
	fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return "no /dev/kipc after insmod";
	err = ioctl(fd, KIPC_IOC_VERSION, &v);
	close(fd);
	return err || v.abi_version != KIPC_ABI_VERSION ?
	       "KIPC_IOC_VERSION failed after insmod" : NULL;
}

static void reload_cycles(void)
{
	const char *ko = kipc_module_path(), *params = getenv("KIPC_MODPARAMS");
	unsigned int n = opt.workers < 2 ? opt.workers : 2, done = 0;
	uint64_t t0 = mono_ns();
	const char *why = NULL;
	char what[96];

	snprintf(what, sizeof(what),
		 "%u times: rmmod refused under load, done after it, insmod",
		 opt.cycles);
	if (!opt.cycles) {
		tap_skip(what, "--cycles 0");
		return;
	}
	if (!ko || geteuid()) {
		tap_skip(what, "needs root and KIPC_KO (run under tools/vm/run)");
		return;
	}
	/* the soak's accounting is done: ids start again */
	memset(b->state, 0, sizeof(b->state));
	memset(b->owner, 0, sizeof(b->owner));
	b->next_id = 0;
	b->errors = b->dups = b->corrupt = 0;
	while (done < opt.cycles && !(why = cycle(ko, params ? params : "", n)))
		done++;
	if (why) {
		kipc_line("# cycle %u: %s", done, why);
		stop_workers(n);
		if (!kipc_module_loaded())
			kipc_module_load(ko, params ? params : "");
	}
	kipc_line("# %u cycles in %.1f s (%.1f s starting the load and running it, %.1f s in rmmod, %.1f s killing, %.1f s in insmod), %u worker errors, %u duplicates, %u damaged",
	    done, (mono_ns() - t0) / 1e9, cycle_ns[0] / 1e9, cycle_ns[1] / 1e9,
	    cycle_ns[2] / 1e9, cycle_ns[3] / 1e9, b->errors, b->dups,
	    b->corrupt);
	tap(!why && !b->errors && !b->dups && !b->corrupt, "%s", what);
}

static unsigned int env_uint(const char *name, unsigned int def)
{
	const char *v = getenv(name);

	return v && *v ? (unsigned int)strtoul(v, NULL, 0) : def;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: kipc_soak_test [--duration S] [--workers N] [--cycles N]\n"
		"                      [--kill-ms MS] [--cycle-ms MS] [--seed N]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	opt.duration = env_uint("KIPC_SOAK_SECONDS", 20);
	opt.cycles = env_uint("KIPC_SOAK_CYCLES", 100);
	opt.workers = 12;
	opt.kill_ms = 100;
	opt.cycle_ms = 100;
	opt.seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		unsigned long long v;
		char *end;

		if (i + 1 >= argc)
			usage();
		v = strtoull(argv[++i], &end, 0);
		if (*end)
			usage();
		if (!strcmp(a, "--duration"))
			opt.duration = v;
		else if (!strcmp(a, "--workers") && v >= 1 && v <= MAX_WORKERS)
			opt.workers = v;
		else if (!strcmp(a, "--cycles"))
			opt.cycles = v;
		else if (!strcmp(a, "--kill-ms") && v >= 1)
			opt.kill_ms = v;
		else if (!strcmp(a, "--cycle-ms"))
			opt.cycle_ms = v;
		else if (!strcmp(a, "--seed"))
			opt.seed = v;
		else
			usage();
	}

	kipc_line("TAP version 13");
	if (access(KIPC_DEVICE_PATH, R_OK | W_OK)) {
		kipc_line("1..0 # SKIP %s: %s", KIPC_DEVICE_PATH, strerror(errno));
		return 0;
	}
	kipc_line("1..6");
	kipc_line("# kipc_soak_test --duration %u --workers %u --cycles %u --kill-ms %u --cycle-ms %u --seed %llu",
	    opt.duration, opt.workers, opt.cycles, opt.kill_ms, opt.cycle_ms,
	    (unsigned long long)opt.seed);
	b = mmap(NULL, sizeof(*b), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (b == MAP_FAILED) {
		kipc_line("Bail out! mmap: %s", strerror(errno));
		return 1;
	}
	/* an IPC namespace of its own, where root may: a dump sees ours only */
	if (unshare(CLONE_NEWIPC))
		kipc_line("# unshare(CLONE_NEWIPC): %s: the objects of others count too",
		    strerror(errno));
	soak();
	reload_cycles();
	/* one scan for both: a scan costs half a minute on the debug kernel */
	kmemleak_step("kmemleak finds no leak after the soak and the cycles",
		      mono_ns());
	return test_failed ? 1 : 0;
}
