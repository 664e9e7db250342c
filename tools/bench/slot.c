// SPDX-License-Identifier: GPL-2.0-only
/*
 * The message slots of the semaphore mechanisms (slot.h): the layout,
 * send and receive over an abstract wait and post, and teardown.
 *
 * The slots are one shared mapping, made by the parent before the fork
 * and so inherited by the child: direction 0's slot, then direction 1's,
 * each a length and room for the run's message size, cache-line aligned.
 * Only the sender writes a slot between its wait for EMPTY and its post
 * of FULL, and only the receiver reads it between its wait for FULL and
 * its post of EMPTY. No other ordering is needed: every semaphore here
 * orders memory as a lock does (POSIX semaphores by specification, XBD
 * 4.12; SysV and kipc ones by the kernel's lock around the value), so
 * a post publishes the stores before it to whoever waits next.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "slot.h"

struct slot {
	uint64_t len;
	unsigned char data[] __attribute__((aligned(64)));
};

static size_t slot_stride(size_t cap)
{
	return (sizeof(struct slot) + cap + 63) & ~(size_t)63;
}

static struct slot *slot_at(struct slots *s, enum bench_dir dir)
{
	return (struct slot *)((char *)s->mem + dir * slot_stride(s->cap));
}

struct slots *slots_new(struct bench_chan *ch, const struct slot_ops *ops,
			size_t priv_size)
{
	struct slots *s = calloc(1, priv_size);

	if (!s) {
		bench_fail(ch, ENOMEM, "malloc");
		return NULL;
	}
	s->ops = ops;
	s->cap = ch->size;
	s->mem_len = BENCH_NR_DIRS * slot_stride(ch->size);
	ch->priv = s;
	return s;
}

int slots_map_anon(struct bench_chan *ch, struct slots *s)
{
	void *p = mmap(NULL, s->mem_len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return bench_fail(ch, errno, "mmap %zu B shared", s->mem_len);
	s->mem = p;
	return 0;
}

size_t slots_max_size(void)
{
	return SLOT_MAX_SIZE;
}

static int slot_wait(struct bench_chan *ch, struct slots *s,
		     enum bench_dir dir, enum slot_sem_kind kind)
{
	int ret;

	while ((ret = s->ops->wait(s, slot_sem(dir, kind))))
		if (!bench_again(-ret))
			return bench_fail(ch, -ret, "%s", s->ops->wait_name);
	return 0;
}

static int slot_post(struct bench_chan *ch, struct slots *s,
		     enum bench_dir dir, enum slot_sem_kind kind)
{
	int ret = s->ops->post(s, slot_sem(dir, kind));

	return ret ? bench_fail(ch, -ret, "%s", s->ops->post_name) : 0;
}

int slots_send(struct bench_chan *ch, enum bench_dir dir, const void *buf,
	       size_t len)
{
	struct slots *s = ch->priv;
	struct slot *slot = slot_at(s, dir);
	int ret;

	if (len > s->cap)
		return bench_fail(ch, EMSGSIZE, "%zu B in a slot of %zu",
				  len, s->cap);
	ret = slot_wait(ch, s, dir, SLOT_EMPTY);
	if (ret)
		return ret;
	slot->len = len;
	memcpy(slot->data, buf, len);
	return slot_post(ch, s, dir, SLOT_FULL);
}

int slots_recv(struct bench_chan *ch, enum bench_dir dir, void *buf,
	       size_t len)
{
	struct slots *s = ch->priv;
	struct slot *slot = slot_at(s, dir);
	uint64_t got;
	int ret;

	ret = slot_wait(ch, s, dir, SLOT_FULL);
	if (ret)
		return ret;
	got = slot->len;
	if (got > s->cap)
		return bench_fail(ch, EBADMSG, "slot length %llu of %zu B",
				  (unsigned long long)got, s->cap);
	/* a longer message is the check's to report; copy what fits */
	memcpy(buf, slot->data, got < len ? got : len);
	ret = slot_post(ch, s, dir, SLOT_EMPTY);
	return ret ? ret : (int)got;
}

void slots_teardown(struct bench_chan *ch)
{
	struct slots *s = ch->priv;

	if (!s)
		return;
	s->ops->release(s);
	if (s->mem)
		munmap(s->mem, s->mem_len);
	free(s);
	ch->priv = NULL;
}
