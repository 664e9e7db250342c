// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libkipc: rings of variable-length records in a kipc shared buffer, from
 * one producer process to one consumer process. Careful where the kernel
 * is thin: the records move through shared memory without system calls;
 * the kernel is asked only to sleep and to wake, futex style, on the
 * ring's counters (KIPC_IOC_BUF_WAIT and KIPC_IOC_BUF_WAKE), and only when
 * the other side said it is asleep (the need-wakeup flags of io_uring and
 * AF_XDP).
 *
 * Layout. Page 0 of the buffer (RING_HDR bytes) is the header; the
 * records occupy data_size bytes from offset RING_HDR, data_size being the
 * largest power of two not above the buffer's size less the header,
 * at most 2^31. Header, each block on a 128-byte line of its own so that
 * the adjacent-line prefetcher does not make the two sides share one:
 *
 *   0    magic, version, data_size   written by FORMAT, magic last
 *   128  head, prod_wait             written by the producer only
 *   256  tail, cons_wait             written by the consumer only
 *
 * head and tail are byte counters, free-running modulo 2^32 as in
 * io_uring: record bytes [tail, head) are published and not yet released,
 * 0 <= head - tail <= data_size, both multiples of 8. A record is an
 * 8-byte header { __u32 len; __u32 flags; } and len bytes of data, padded
 * to a multiple of 8, at offset (counter & (data_size - 1)) of the data
 * area. A record never wraps: one that does not fit before the end of the
 * data area goes to its start, behind a RING_PAD record filling the rest,
 * published together with it. The largest record is data_size / 2 - 8
 * bytes, so that a record and its padding always fit in an empty ring; a
 * pad therefore only ever starts in the second half of the data area.
 *
 * The other side is not trusted. The handle keeps its own copy of
 * data_size and of its own counter, validated at open and never read back
 * from shared memory; every word read from shared memory (the other
 * side's counter, a record's len and flags) is read once into a local,
 * checked, and only then used. What breaks the rules above makes the call
 * fail with -EPROTO, and every later one on the handle too; no check
 * failing can make the library touch memory outside the data area. The
 * mapping has PROT_NONE guard pages on both sides, so that a bug here
 * would fault rather than read or write something else.
 *
 * Memory ordering (C11 atomics, paired as said at each barrier):
 * - publish: the producer fills a record, then stores head with release;
 *   the consumer loads head with acquire before reading the records below
 *   it. The consumer reads a record, then stores tail with release; the
 *   producer loads tail with acquire before writing over the space.
 * - FORMAT writes every field, then magic with release; open loads magic
 *   with acquire before the rest.
 *
 * Need-wakeup (Dekker). A side S that must wait for the other's counter
 * C (the consumer for head, the producer for tail) to reach a target T
 * (see ring_wait()), having last seen C == v:
 *
 *   sleeper S                          waker K, publishing C = n
 *   a. my_wait = T | 1                 d. C = n            (release)
 *   b. fence(seq_cst)                  e. fence(seq_cst)
 *   c. re-load C = v: if v reached T,  f. w = their_wait
 *      done                            h. wake(C) if w & 1, n reached
 *   g. kipc_buf_wait(C, v)                w's T, and w != K.woken;
 *                                         then K.woken = w
 *
 * "Reached" is (int32_t)(n - T) >= 0: counters are free-running mod 2^32
 * and stay within data_size <= 2^31 of each other. The wait word holds T
 * (counters and targets are multiples of 8, so bit 0 is free to mean
 * "waiting"); only S writes it: it sets it before sleeping and clears it
 * once it no longer waits. No wakeup is lost:
 * 1. b and e are in one total order. If e comes first, c reads n or a
 *    later value, and if that reached T, S does not sleep. If b comes
 *    first, f reads S's store a or a later one; S writes its word again
 *    only once it stopped waiting for T, so K sees w = T | 1 while S may
 *    sleep for T, and wakes it if n reached T. A K that publishes a
 *    value short of T does not wake, and S's kernel wait on v returns
 *    -EAGAIN if C moved after c: S loads C again and sleeps on the new
 *    value, still armed for T.
 * 2. K.woken == w means K published some n that reached T and then woke.
 *    The kernel compares C with v and queues S atomically with respect
 *    to a wake: a KIPC_IOC_BUF_WAIT that compared before n was stored is
 *    woken by that wake, one that compares after it returns -EAGAIN, and
 *    S then finds T reached. So once K has woken for T, no sleep for T is
 *    left or can begin, and later wakes for T | 1 would be wasted. K
 *    forgets woken as soon as it reads another value of the word, so a
 *    wait for the same T 2^32 bytes later is woken again.
 * A non-blocking reserve or peek that fails with -EAGAIN leaves the word
 * armed (steps a-c without g): K's next wake then makes the buffer's fds
 * readable, which is how kipc_ring_fd() works with poll and epoll.
 *
 * One producer and one consumer: two producers (or consumers) on one ring
 * corrupt it; the library can tell only through -EPROTO, and not always.
 */
#include <errno.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kipc.h"

#define RING_MAGIC	0x676e6972u	/* "ring" in little-endian */
#define RING_VERSION	1u
#define RING_HDR	4096u		/* page 0: the header */
#define RING_DATA_MIN	4096u
#define RING_DATA_MAX	0x80000000u	/* 2^31: head - tail fits */
#define RING_LINE	128		/* two cache lines: adjacent prefetch */

#define REC_HDR		8u		/* struct ring_rec */
#define RING_PAD	1u		/* ring_rec.flags: padding to the end */

#define RING_WAITING	1u		/* *_wait: bit 0, the value above it */

#define RING_SIDES	(KIPC_RING_PRODUCER | KIPC_RING_CONSUMER)

struct ring_hdr {
	/* written by FORMAT only; magic last */
	alignas(RING_LINE) _Atomic uint32_t magic;
	_Atomic uint32_t version;
	_Atomic uint32_t data_size;
	/* written by the producer only */
	alignas(RING_LINE) _Atomic uint32_t head;
	_Atomic uint32_t prod_wait;
	/* written by the consumer only */
	alignas(RING_LINE) _Atomic uint32_t tail;
	_Atomic uint32_t cons_wait;
};

struct ring_rec {
	_Atomic uint32_t len;
	_Atomic uint32_t flags;
};

_Static_assert(offsetof(struct ring_hdr, head) == 128, "producer's line");
_Static_assert(offsetof(struct ring_hdr, tail) == 256, "consumer's line");
_Static_assert(sizeof(struct ring_hdr) <= RING_HDR, "header fits page 0");
_Static_assert(sizeof(struct ring_rec) == REC_HDR, "record header");
_Static_assert(sizeof(_Atomic uint32_t) == 4 && ATOMIC_INT_LOCK_FREE == 2,
	       "the kernel compares plain 32-bit words");

struct kipc_ring {
	struct ring_hdr *hdr;
	unsigned char *data;		/* the data area, data_size bytes */
	void *area;			/* the mapping, guard pages included */
	size_t area_len;
	uint32_t data_size;		/* our copy, checked at open */
	int fd;				/* our dup of the buffer fd */
	unsigned int side;		/* KIPC_RING_PRODUCER or _CONSUMER */
	/* this side's words and the other side's, and their offsets */
	_Atomic uint32_t *mine, *my_wait, *theirs, *their_wait;
	uint64_t my_off, their_off;
	uint32_t pos;			/* our counter: head, or tail */
	uint32_t other;			/* theirs, as last loaded and checked */
	uint32_t woken;			/* their wait word we woke for */
	bool armed;			/* our wait word is set */
	bool broken;			/* -EPROTO seen: for good */
	/* the record in hand: reserved, or peeked at */
	bool busy;
	uint32_t pad;			/* bytes of padding before it */
	uint32_t off;			/* its header's offset in the data */
	uint32_t len;			/* reserved, or its length */
};

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

static uint32_t rec_size(uint32_t len)
{
	return (REC_HDR + len + 7) & ~7u;
}

static uint32_t ring_max(const struct kipc_ring *r)
{
	return r->data_size / 2 - REC_HDR;
}

/* The data_size FORMAT lays out in a buffer of size bytes. */
static uint32_t ring_fit(uint64_t size)
{
	uint64_t d = RING_DATA_MAX;

	while (d > size - RING_HDR)
		d >>= 1;
	return d;
}

uint64_t kipc_ring_buffer_size(uint64_t data_size)
{
	if (!is_pow2(data_size) || data_size < RING_DATA_MIN ||
	    data_size > RING_DATA_MAX)
		return 0;
	return data_size + RING_HDR;
}

static int ring_break(struct kipc_ring *r)
{
	r->broken = true;
	return -EPROTO;
}

/* Free bytes (producer) or published bytes (consumer), as last seen. */
static uint32_t ring_room(const struct kipc_ring *r)
{
	if (r->side == KIPC_RING_PRODUCER)
		return r->data_size - (r->pos - r->other);
	return r->other - r->pos;
}

/*
 * Load the other side's counter. It may only move forward, stay a
 * multiple of 8, and keep 0 <= head - tail <= data_size: tail in
 * [other, head], head in [other, tail + data_size].
 */
static int ring_refresh(struct kipc_ring *r)
{
	uint32_t limit = r->pos, v;

	if (r->side == KIPC_RING_CONSUMER)
		limit += r->data_size;
	/*
	 * acquire: pairs with the release store in ring_publish() on the
	 * other side; its record writes (or reads) are done before we use
	 * the space it published (or freed).
	 */
	v = atomic_load_explicit(r->theirs, memory_order_acquire);
	if (v & 7 || v - r->other > limit - r->other)
		return ring_break(r);
	r->other = v;
	return 0;
}

static void ring_disarm(struct kipc_ring *r)
{
	/* relaxed: a waker that still sees it set only wakes in vain */
	atomic_store_explicit(r->my_wait, 0, memory_order_relaxed);
	r->armed = false;
}

static int64_t ring_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* Polls of the other side's counter before a wait goes to the kernel */
#define RING_SPIN	256

static inline void ring_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	atomic_signal_fence(memory_order_seq_cst);
#endif
}

/*
 * The other side's counter at which ring_room() reaches want: tail for
 * the producer, head for the consumer (mod 2^32, a multiple of 8).
 */
static uint32_t ring_target(const struct kipc_ring *r, uint32_t want)
{
	if (r->side == KIPC_RING_PRODUCER)
		return r->pos + want - r->data_size;
	return r->pos + want;
}

/*
 * Wait until ring_room() >= need: steps a-c and g of the need-wakeup
 * protocol above. timeout_ns 0 returns -EAGAIN with the word armed.
 *
 * A producer that has to sleep asks to be woken only once a quarter of
 * the ring is free (or its record fits, if that is more): woken for every
 * record the consumer frees, it would make a wake and a sleep per record
 * while the consumer is the slower side. A consumer is woken by any
 * record: holding records back would only add latency. A blocking wait
 * first polls the counter a little (RING_SPIN times, a few microseconds):
 * when the other side is busy on another CPU, what it needs is usually
 * that close, and a sleep and a wake would cost both sides a system call
 * per record.
 */
static int ring_wait(struct kipc_ring *r, uint32_t need, int64_t timeout_ns)
{
	int64_t deadline = INT64_MAX, left = -1;
	uint32_t want = need, target, seen;
	int ret;

	if (r->side == KIPC_RING_PRODUCER && want < r->data_size / 4)
		want = r->data_size / 4;
	target = ring_target(r, want);
	for (int i = 0; timeout_ns && i < RING_SPIN; i++) {
		ret = ring_refresh(r);
		if (ret)
			return ret;
		if (ring_room(r) >= need) {
			if (r->armed)
				ring_disarm(r);
			return 0;
		}
		ring_relax();
	}
	if (timeout_ns > 0 && timeout_ns < INT64_MAX - ring_now())
		deadline = ring_now() + timeout_ns;
	for (;;) {
		ret = ring_refresh(r);
		if (ret)
			return ret;
		if (ring_room(r) >= need)
			break;
		atomic_store_explicit(r->my_wait, target | RING_WAITING,
				      memory_order_relaxed);
		r->armed = true;
		/*
		 * seq_cst fence, step b: pairs with the fence in
		 * ring_publish() (step e). Either the other side sees our
		 * word set, or we see its new counter below.
		 */
		atomic_thread_fence(memory_order_seq_cst);
		ret = ring_refresh(r);
		if (ret)
			return ret;
		if (ring_room(r) >= need)
			break;
		if (timeout_ns == 0)
			return -EAGAIN;
		if (timeout_ns > 0) {
			left = deadline - ring_now();
			if (left <= 0) {
				ret = -ETIMEDOUT;
				break;
			}
		}
		/*
		 * The kernel sleeps only if their counter is still what we
		 * saw last; the other side wakes us once it reaches target.
		 */
		seen = r->other;
		ret = kipc_buf_wait(r->fd, r->their_off, seen, left);
		if (ret && ret != -EAGAIN)
			break;
	}
	if (r->armed)
		ring_disarm(r);
	return ret;
}

/* Make our counter n, and wake the other side if it waits (steps d-h). */
static void ring_publish(struct kipc_ring *r, uint32_t n)
{
	uint32_t w;

	r->pos = n;
	/*
	 * release, step d: pairs with the acquire load in ring_refresh()
	 * on the other side, so the record bytes written (producer) or
	 * read (consumer) before it are done when the other side sees n.
	 */
	atomic_store_explicit(r->mine, n, memory_order_release);
	/*
	 * seq_cst fence, step e: pairs with the fence in ring_wait()
	 * (step b); orders the store of n before the load of their word.
	 */
	atomic_thread_fence(memory_order_seq_cst);
	w = atomic_load_explicit(r->their_wait, memory_order_relaxed);
	if (w == r->woken)
		return;
	r->woken = 0;
	/* not waiting, or waiting for more than n: (int32_t) for the wrap */
	if (!(w & RING_WAITING) || (int32_t)(n - (w & ~7u)) < 0)
		return;
	/* on our own valid fd a wake cannot fail; nothing to report */
	kipc_buf_wake(r->fd, r->my_off, 1);
	r->woken = w;
}

/*
 * Map the buffer's first len bytes between two PROT_NONE guard pages.
 */
static int ring_map(struct kipc_ring *r, size_t len)
{
	size_t page = sysconf(_SC_PAGESIZE);
	void *base;
	int ret;

	len = (len + page - 1) & ~(page - 1);
	r->area_len = len + 2 * page;
	r->area = mmap(NULL, r->area_len, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r->area == MAP_FAILED) {
		r->area = NULL;
		return -errno;
	}
	base = mmap((char *)r->area + page, len, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_FIXED, r->fd, 0);
	if (base == MAP_FAILED) {
		ret = -errno;
		munmap(r->area, r->area_len);
		r->area = NULL;
		return ret;
	}
	r->hdr = base;
	r->data = (unsigned char *)base + RING_HDR;
	return 0;
}

/* magic, version and data_size of the header at hdr, or -EPROTO */
static int ring_check_meta(struct ring_hdr *hdr, uint64_t buf_size,
			   uint32_t *data_size)
{
	uint32_t d;

	/* acquire: pairs with the release store of magic in ring_format() */
	if (atomic_load_explicit(&hdr->magic, memory_order_acquire) !=
	    RING_MAGIC ||
	    atomic_load_explicit(&hdr->version, memory_order_relaxed) !=
	    RING_VERSION)
		return -EPROTO;
	d = atomic_load_explicit(&hdr->data_size, memory_order_relaxed);
	if (!kipc_ring_buffer_size(d) || kipc_ring_buffer_size(d) > buf_size)
		return -EPROTO;
	*data_size = d;
	return 0;
}

/* data_size from a header-only mapping, to know how much to map */
static int ring_peek_size(int fd, uint64_t buf_size, uint32_t *data_size)
{
	void *p = mmap(NULL, RING_HDR, PROT_READ, MAP_SHARED, fd, 0);
	int ret;

	if (p == MAP_FAILED)
		return -errno;
	ret = ring_check_meta(p, buf_size, data_size);
	munmap(p, RING_HDR);
	return ret;
}

static void ring_format(struct ring_hdr *hdr, uint32_t data_size)
{
	atomic_store_explicit(&hdr->magic, 0, memory_order_relaxed);
	atomic_store_explicit(&hdr->version, RING_VERSION,
			      memory_order_relaxed);
	atomic_store_explicit(&hdr->data_size, data_size,
			      memory_order_relaxed);
	atomic_store_explicit(&hdr->head, 0, memory_order_relaxed);
	atomic_store_explicit(&hdr->prod_wait, 0, memory_order_relaxed);
	atomic_store_explicit(&hdr->tail, 0, memory_order_relaxed);
	atomic_store_explicit(&hdr->cons_wait, 0, memory_order_relaxed);
	/* release: pairs with the acquire load in ring_check_meta() */
	atomic_store_explicit(&hdr->magic, RING_MAGIC, memory_order_release);
}

/* Check the mapped header against what we know; set up our side. */
static int ring_setup(struct kipc_ring *r, uint64_t buf_size)
{
	struct ring_hdr *h = r->hdr;
	uint32_t d, head, tail;
	bool prod = r->side == KIPC_RING_PRODUCER;

	if (ring_check_meta(h, buf_size, &d) || d != r->data_size)
		return -EPROTO;
	head = atomic_load_explicit(&h->head, memory_order_acquire);
	tail = atomic_load_explicit(&h->tail, memory_order_acquire);
	if ((head | tail) & 7 || head - tail > d)
		return -EPROTO;
	r->mine = prod ? &h->head : &h->tail;
	r->my_wait = prod ? &h->prod_wait : &h->cons_wait;
	r->theirs = prod ? &h->tail : &h->head;
	r->their_wait = prod ? &h->cons_wait : &h->prod_wait;
	r->my_off = prod ? offsetof(struct ring_hdr, head) :
			   offsetof(struct ring_hdr, tail);
	r->their_off = prod ? offsetof(struct ring_hdr, tail) :
			      offsetof(struct ring_hdr, head);
	r->pos = prod ? head : tail;
	r->other = prod ? tail : head;
	return 0;
}

int kipc_ring_open(int fd, unsigned int flags, struct kipc_ring **ringp)
{
	unsigned int side = flags & RING_SIDES;
	struct kipc_buf_stat st;
	struct kipc_ring *r;
	int ret;

	if (!ringp || flags & ~(RING_SIDES | KIPC_RING_FORMAT) ||
	    (side != KIPC_RING_PRODUCER && side != KIPC_RING_CONSUMER))
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->side = side;
	/*
	 * An open file of our own, not a dup: its readiness for poll is
	 * ours alone, even if the caller shares its fd with the other side
	 * (fork, SCM_RIGHTS). Non-blocking, so that read() in an epoll loop
	 * never waits.
	 */
	r->fd = kipc_buf_reopen(fd, KIPC_OPEN_READ | KIPC_OPEN_WRITE |
				KIPC_OPEN_NONBLOCK);
	if (r->fd < 0) {
		ret = r->fd;
		goto err_free;
	}
	ret = kipc_buf_stat(r->fd, &st, sizeof(st));
	if (ret)
		goto err_close;
	if (st.buf_size < RING_HDR + RING_DATA_MIN) {
		ret = -ENOSPC;
		goto err_close;
	}
	if (flags & KIPC_RING_FORMAT)
		r->data_size = ring_fit(st.buf_size);
	else
		ret = ring_peek_size(r->fd, st.buf_size, &r->data_size);
	if (ret)
		goto err_close;
	ret = ring_map(r, RING_HDR + (size_t)r->data_size);
	if (ret)
		goto err_close;
	if (flags & KIPC_RING_FORMAT)
		ring_format(r->hdr, r->data_size);
	ret = ring_setup(r, st.buf_size);
	if (ret)
		goto err_unmap;
	*ringp = r;
	return 0;

err_unmap:
	munmap(r->area, r->area_len);
err_close:
	close(r->fd);
err_free:
	free(r);
	return ret;
}

void kipc_ring_close(struct kipc_ring *r)
{
	if (!r)
		return;
	if (r->armed)
		ring_disarm(r);
	munmap(r->area, r->area_len);
	close(r->fd);
	free(r);
}

int kipc_ring_fd(const struct kipc_ring *r)
{
	return r ? r->fd : -EINVAL;
}

size_t kipc_ring_max_record(const struct kipc_ring *r)
{
	return r ? ring_max(r) : 0;
}

/* Common checks of a call on side; 0 if it may go on. */
static int ring_enter(const struct kipc_ring *r, unsigned int side,
		      int64_t timeout_ns)
{
	if (!r || r->side != side || timeout_ns < -1)
		return -EINVAL;
	return r->broken ? -EPROTO : 0;
}

static void rec_put(unsigned char *p, uint32_t len, uint32_t flags)
{
	struct ring_rec *rec = (struct ring_rec *)p;

	/* relaxed: published by the release store of head */
	atomic_store_explicit(&rec->len, len, memory_order_relaxed);
	atomic_store_explicit(&rec->flags, flags, memory_order_relaxed);
}

/* One read of each field: the producer may change them under us. */
static void rec_get(const unsigned char *p, uint32_t *len, uint32_t *flags)
{
	struct ring_rec *rec = (struct ring_rec *)p;

	/* relaxed: ordered by the acquire load of head in ring_refresh() */
	*len = atomic_load_explicit(&rec->len, memory_order_relaxed);
	*flags = atomic_load_explicit(&rec->flags, memory_order_relaxed);
}

int kipc_ring_reserve(struct kipc_ring *r, size_t len, void **data,
		      int64_t timeout_ns)
{
	uint32_t off, contig, total, need;
	int ret;

	ret = ring_enter(r, KIPC_RING_PRODUCER, timeout_ns);
	if (ret || !data)
		return ret ? ret : -EINVAL;
	if (r->busy)
		return -EBUSY;
	if (len > ring_max(r))
		return -EMSGSIZE;
	total = rec_size(len);
	off = r->pos & (r->data_size - 1);
	contig = r->data_size - off;
	/* a record that does not fit before the end goes behind a pad */
	need = total <= contig ? total : contig + total;
	if (ring_room(r) < need) {
		ret = ring_wait(r, need, timeout_ns);
		if (ret)
			return ret;
	} else if (r->armed) {
		ring_disarm(r);
	}
	r->busy = true;
	r->pad = total <= contig ? 0 : contig;
	r->off = r->pad ? 0 : off;
	r->len = len;
	*data = r->data + r->off + REC_HDR;
	return 0;
}

int kipc_ring_commit(struct kipc_ring *r, size_t len)
{
	int ret = ring_enter(r, KIPC_RING_PRODUCER, 0);

	if (ret)
		return ret;
	if (!r->busy || len > r->len)
		return -EINVAL;
	if (r->pad)
		rec_put(r->data + (r->pos & (r->data_size - 1)),
			r->pad - REC_HDR, RING_PAD);
	rec_put(r->data + r->off, len, 0);
	r->busy = false;
	ring_publish(r, r->pos + r->pad + rec_size(len));
	return 0;
}

/*
 * The record at our tail, of the avail bytes published: check it (and
 * the pad before it) against what the producer can have written.
 */
static int ring_parse(struct kipc_ring *r)
{
	uint32_t avail = r->other - r->pos, pad = 0, len, flags;
	uint32_t off = r->pos & (r->data_size - 1);
	uint32_t contig = r->data_size - off;

	rec_get(r->data + off, &len, &flags);
	if (flags == RING_PAD) {
		/*
		 * Only where the largest record would not fit, exactly to
		 * the end, and published with the record after it.
		 */
		if (contig >= r->data_size / 2 || len != contig - REC_HDR ||
		    avail < contig + REC_HDR)
			return ring_break(r);
		pad = contig;
		avail -= contig;
		contig = r->data_size;
		off = 0;
		rec_get(r->data, &len, &flags);
	}
	if (flags || len > ring_max(r) || rec_size(len) > avail ||
	    rec_size(len) > contig)
		return ring_break(r);
	r->busy = true;
	r->pad = pad;
	r->off = off;
	r->len = len;
	return 0;
}

int kipc_ring_peek(struct kipc_ring *r, const void **data, size_t *len,
		   int64_t timeout_ns)
{
	int ret;

	ret = ring_enter(r, KIPC_RING_CONSUMER, timeout_ns);
	if (ret || !data || !len)
		return ret ? ret : -EINVAL;
	if (!r->busy) {
		if (ring_room(r) < REC_HDR) {
			ret = ring_wait(r, REC_HDR, timeout_ns);
			if (ret)
				return ret;
		} else if (r->armed) {
			ring_disarm(r);
		}
		ret = ring_parse(r);
		if (ret)
			return ret;
	}
	*data = r->data + r->off + REC_HDR;
	*len = r->len;
	return 0;
}

int kipc_ring_release(struct kipc_ring *r)
{
	int ret = ring_enter(r, KIPC_RING_CONSUMER, 0);

	if (ret)
		return ret;
	if (!r->busy)
		return -EINVAL;
	r->busy = false;
	ring_publish(r, r->pos + r->pad + rec_size(r->len));
	return 0;
}

int kipc_ring_write(struct kipc_ring *r, const void *data, size_t len,
		    int64_t timeout_ns)
{
	void *p;
	int ret;

	if (!data && len)
		return -EINVAL;
	ret = kipc_ring_reserve(r, len, &p, timeout_ns);
	if (ret)
		return ret;
	if (len)
		memcpy(p, data, len);
	return kipc_ring_commit(r, len);
}

ssize_t kipc_ring_read(struct kipc_ring *r, void *buf, size_t size,
		       int64_t timeout_ns)
{
	const void *p;
	size_t len;
	int ret;

	if (!buf && size)
		return -EINVAL;
	ret = kipc_ring_peek(r, &p, &len, timeout_ns);
	if (ret)
		return ret;
	if (len > size)
		return -EMSGSIZE;
	if (len)
		memcpy(buf, p, len);
	kipc_ring_release(r);
	return len;
}
