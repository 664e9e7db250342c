// SPDX-License-Identifier: GPL-2.0-only
/*
 * The message slots of the semaphore mechanisms (slot.h): the layout,
 * send and receive over an abstract wait and post, and teardown; and the
 * POSIX semaphores that two of them share.
 *
 * The slots are one shared mapping, made by the parent before the fork
 * and so inherited by the child: direction 0's slot, then direction 1's,
 * each a length and room for the run's message size, cache-line aligned,
 * then the semaphores of the mechanisms that keep them there.
 * Only the sender writes a slot between its wait for EMPTY and its post
 * of FULL, and only the receiver reads it between its wait for FULL and
 * its post of EMPTY. No other ordering is needed: every semaphore here
 * orders memory as a lock does (POSIX semaphores by specification, XBD
 * 4.12; SysV and kipc ones by the kernel's lock around the value;
 * file-mmap's by acquire and release atomics), so a post publishes the
 * stores before it to whoever waits next.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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
	s->mem_len = BENCH_NR_DIRS * slot_stride(ch->size) + ops->shared_size;
	ch->priv = s;
	return s;
}

/* The whole of s->mem_len, from @fd or anonymous (-1) */
static int slots_mmap(struct bench_chan *ch, struct slots *s, int fd,
		      const char *what)
{
	int flags = fd < 0 ? MAP_SHARED | MAP_ANONYMOUS : MAP_SHARED;
	void *p = mmap(NULL, s->mem_len, PROT_READ | PROT_WRITE, flags, fd, 0);

	if (p == MAP_FAILED)
		return bench_fail(ch, errno, "mmap %zu B of %s", s->mem_len,
				  what);
	s->mem = p;
	return 0;
}

int slots_map_anon(struct bench_chan *ch, struct slots *s)
{
	return slots_mmap(ch, s, -1, "shared memory");
}

int slots_map_fd(struct bench_chan *ch, struct slots *s, int fd,
		 const char *name)
{
	int err;

	if (fd < 0)
		return fd;
	/*
	 * Allocate the pages now rather than at their first touch, so that
	 * a full tmpfs or disk fails here and does not kill a process with
	 * SIGBUS mid-run, as a sparse file would.
	 */
	err = posix_fallocate(fd, 0, s->mem_len);
	if (err)
		err = bench_fail(ch, err, "posix_fallocate %s, %zu B", name,
				 s->mem_len);
	else
		err = slots_mmap(ch, s, fd, name);
	close(fd);
	return err;
}

void *slots_shared(struct slots *s)
{
	return (char *)s->mem + BENCH_NR_DIRS * slot_stride(s->cap);
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
	if (s->ops->release)
		s->ops->release(s);
	if (s->mem)
		munmap(s->mem, s->mem_len);
	free(s);
	ch->priv = NULL;
}

int slots_psem_wait(struct slots *s, unsigned int i)
{
	struct slots_psem *p = (struct slots_psem *)s;

	return sem_wait(p->sem[i]) ? -errno : 0;
}

int slots_psem_post(struct slots *s, unsigned int i)
{
	struct slots_psem *p = (struct slots_psem *)s;

	return sem_post(p->sem[i]) ? -errno : 0;
}

int slots_dev_shm_available(const char *call, char *why, size_t len)
{
	if (access("/dev/shm", W_OK | X_OK)) {
		int err = errno;

		snprintf(why, len, "/dev/shm is not writable (%s needs it)",
			 call);
		return -err;
	}
	return 0;
}
