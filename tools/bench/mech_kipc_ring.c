// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc-ring: two kipc rings (kipc_ring(3)), one each way, each in an
 * anonymous kipc shared buffer that the parent creates and formats before
 * the fork; each process then opens its side of each ring. A ring holds
 * BENCH_QUEUE_DEPTH messages of the run's size or more (its data area is
 * a power of two), up to 16 MiB of them; a larger message gets a ring of
 * twice its size, the least that takes it.
 *
 * The throughput test uses the zero-copy forms: the sender fills each
 * message in the ring and commits it, the receiver checks it there and
 * releases it. send() and recv() (the round trips) copy, as the other
 * mechanisms do. Waiting is the ring's: a system call only when the other
 * side sleeps.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kipc.h>

#include "bench.h"

struct ring_chan {
	int fd[BENCH_NR_DIRS];
	struct kipc_ring *ring[BENCH_NR_DIRS];
};

static int ring_available(char *why, size_t len)
{
	return bench_kipc_feature(KIPC_FEATURE_BUF, "shared buffers", why, len);
}

/* Records are 8-byte aligned with an 8-byte header (kipc_ring(3)). */
static uint64_t ring_data_size(size_t size)
{
	uint64_t need = (uint64_t)BENCH_QUEUE_DEPTH * ((size + 15) & ~7ul);
	uint64_t data = 4096;

	if (need > 16u << 20)
		need = 16u << 20;

	/* and a record is at most half the ring */
	while (data < need || data / 2 - 8 < size)
		data *= 2;
	return data;
}

static void ring_teardown(struct bench_chan *ch)
{
	struct ring_chan *r = ch->priv;

	if (!r)
		return;
	for (int d = 0; d < BENCH_NR_DIRS; d++) {
		if (r->ring[d])
			kipc_ring_close(r->ring[d]);
		if (r->fd[d] >= 0)
			kipc_buf_close(r->fd[d]);
	}
	free(r);
	ch->priv = NULL;
}

static int ring_setup(struct bench_chan *ch)
{
	struct kipc_buf_attr attr = {
		.size = kipc_ring_buffer_size(ring_data_size(ch->size)),
		.mode = 0600,
	};
	struct ring_chan *r = calloc(1, sizeof(*r));
	struct kipc_ring *ring;
	int err = 0;

	if (!r)
		return bench_fail(ch, ENOMEM, "malloc");
	ch->priv = r;
	r->fd[0] = r->fd[1] = -1;
	if (!attr.size)
		return bench_fail(ch, EMSGSIZE, "ring size");
	for (int d = 0; d < BENCH_NR_DIRS && !err; d++) {
		r->fd[d] = kipc_buf_open(-1, NULL, KIPC_OPEN_READ |
					 KIPC_OPEN_WRITE | KIPC_OPEN_CREATE,
					 &attr, NULL);
		if (r->fd[d] < 0) {
			err = bench_fail(ch, -r->fd[d], "kipc_buf_open");
			break;
		}
		err = kipc_ring_open(r->fd[d], KIPC_RING_PRODUCER |
				     KIPC_RING_FORMAT, &ring);
		if (err) {
			err = bench_fail(ch, -err, "kipc_ring_open");
			break;
		}
		kipc_ring_close(ring);
	}
	if (err)
		ring_teardown(ch);
	return err;
}

/* Each process opens the side of each ring it uses. */
static int ring_attach(struct bench_chan *ch)
{
	struct ring_chan *r = ch->priv;

	for (int d = 0; d < BENCH_NR_DIRS; d++) {
		bool sends = (d == BENCH_TO_CHILD) == (ch->role == BENCH_PARENT);
		int ret = kipc_ring_open(r->fd[d], sends ? KIPC_RING_PRODUCER :
					 KIPC_RING_CONSUMER, &r->ring[d]);

		if (ret)
			return bench_fail(ch, -ret, "kipc_ring_open");
	}
	return 0;
}

static int ring_reserve(struct bench_chan *ch, enum bench_dir dir,
			size_t len, void **data)
{
	struct ring_chan *r = ch->priv;
	int ret;

	while ((ret = kipc_ring_reserve(r->ring[dir], len, data, -1)))
		if (!bench_again(-ret))
			return bench_fail(ch, -ret, "kipc_ring_reserve");
	return 0;
}

static int ring_commit(struct bench_chan *ch, enum bench_dir dir, size_t len)
{
	struct ring_chan *r = ch->priv;
	int ret = kipc_ring_commit(r->ring[dir], len);

	return ret ? bench_fail(ch, -ret, "kipc_ring_commit") : 0;
}

static int ring_peek(struct bench_chan *ch, enum bench_dir dir,
		     const void **data)
{
	struct ring_chan *r = ch->priv;
	size_t len;
	int ret;

	while ((ret = kipc_ring_peek(r->ring[dir], data, &len, -1)))
		if (!bench_again(-ret))
			return bench_fail(ch, -ret, "kipc_ring_peek");
	return len;
}

static int ring_release(struct bench_chan *ch, enum bench_dir dir)
{
	struct ring_chan *r = ch->priv;
	int ret = kipc_ring_release(r->ring[dir]);

	return ret ? bench_fail(ch, -ret, "kipc_ring_release") : 0;
}

static int ring_send(struct bench_chan *ch, enum bench_dir dir,
		     const void *buf, size_t len)
{
	void *p;
	int ret = ring_reserve(ch, dir, len, &p);

	if (ret)
		return ret;
	memcpy(p, buf, len);
	return ring_commit(ch, dir, len);
}

static int ring_recv(struct bench_chan *ch, enum bench_dir dir, void *buf,
		     size_t len)
{
	const void *p;
	int got = ring_peek(ch, dir, &p), ret;

	if (got < 0)
		return got;
	/* a longer record is the check's to report; copy what fits */
	memcpy(buf, p, (size_t)got < len ? (size_t)got : len);
	ret = ring_release(ch, dir);
	return ret ? ret : got;
}

const struct bench_mech bench_kipc_ring = {
	.name = "kipc-ring",
	.desc = "kipc ring in a shared buffer, zero-copy for throughput",
	.available = ring_available,
	.setup = ring_setup,
	.attach = ring_attach,
	.send = ring_send,
	.recv = ring_recv,
	.reserve = ring_reserve,
	.commit = ring_commit,
	.peek = ring_peek,
	.release = ring_release,
	.teardown = ring_teardown,
};
