/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the semaphore mechanisms share (slot.c). A semaphore carries no
 * data, so each of them is a message slot in shared memory per direction,
 * handed over by two semaphores: EMPTY (starts at 1) and FULL (starts at
 * 0). A send waits for EMPTY, copies the message into the slot and posts
 * FULL; a receive waits for FULL, copies it out and posts EMPTY. A round
 * trip is so two hand-offs and two small copies; only the semaphores, and
 * where the slots live, differ between the mechanisms.
 */
#ifndef _KIPC_BENCH_SLOT_H
#define _KIPC_BENCH_SLOT_H

#include <semaphore.h>

#include "bench.h"

/* The largest message a slot holds; larger sizes are not supported. */
#define SLOT_MAX_SIZE (1u << 20)

enum slot_sem_kind {
	SLOT_EMPTY,		/* the sender may fill the slot */
	SLOT_FULL,		/* the receiver may empty it */
};

/* Two semaphores per direction, numbered 0 to SLOT_NR_SEMS - 1 */
#define SLOT_NR_SEMS (2 * BENCH_NR_DIRS)

static inline unsigned int slot_sem(enum bench_dir dir,
				    enum slot_sem_kind kind)
{
	return 2 * dir + kind;
}

/* The value semaphore @sem starts with: 1 for EMPTY, 0 for FULL */
static inline unsigned int slot_sem_value(unsigned int sem)
{
	return sem % 2 == SLOT_EMPTY;
}

struct slots;

/**
 * struct slot_ops - one kind of semaphore
 * @wait_name: the call that waits, for the report ("sem_wait", ...)
 * @post_name: the call that posts
 * @shared_size: bytes for the semaphores in the slots' mapping, after the
 *	slots (slots_shared()); 0 for semaphores that live elsewhere
 * @wait: take 1 from semaphore @sem, sleeping until it can: 0 or -errno.
 *	-EINTR is retried by slot.c while bench_again() says so.
 * @post: add 1 to semaphore @sem: 0 or -errno
 * @release: optional; in teardown: close and remove the semaphores that
 *	exist, and anything else of the mechanism's but the slots' mapping
 */
struct slot_ops {
	const char *wait_name;
	const char *post_name;
	size_t shared_size;
	int (*wait)(struct slots *s, unsigned int sem);
	int (*post)(struct slots *s, unsigned int sem);
	void (*release)(struct slots *s);
};

/**
 * struct slots - a semaphore mechanism's channels; the first member of
 *	the mechanism's own state, which holds its semaphores
 * @ops: its semaphores
 * @mem: both slots, then @ops->shared_size bytes for the semaphores: a
 *	shared mapping made before the fork; NULL: none yet
 * @mem_len: its length
 * @cap: the largest message a slot holds: the run's size
 */
struct slots {
	const struct slot_ops *ops;
	void *mem;
	size_t mem_len;
	size_t cap;
};

/*
 * In setup(): a zeroed state of @priv_size bytes (at least a struct
 * slots) for @ch->priv, with @mem_len set for the run's size and nothing
 * mapped yet; NULL after bench_fail().
 */
struct slots *slots_new(struct bench_chan *ch, const struct slot_ops *ops,
			size_t priv_size);
/* Map the slots as MAP_SHARED | MAP_ANONYMOUS memory: 0 or -errno. */
int slots_map_anon(struct bench_chan *ch, struct slots *s);
/*
 * Or from the file @fd (@name for the report), sized and allocated to
 * hold them first: 0 or -errno. It closes @fd, which the mapping does
 * not need; an @fd below 0 is the -errno of opening it, returned as is.
 */
int slots_map_fd(struct bench_chan *ch, struct slots *s, int fd,
		 const char *name);
/* Where the semaphores' @ops->shared_size bytes are, once mapped */
void *slots_shared(struct slots *s);

/* The struct bench_mech hooks every semaphore mechanism uses */
size_t slots_max_size(void);
int slots_send(struct bench_chan *ch, enum bench_dir dir, const void *buf,
	       size_t len);
int slots_recv(struct bench_chan *ch, enum bench_dir dir, void *buf,
	       size_t len);
/* ops->release(), unmap the slots, free the state; safe after any failure */
void slots_teardown(struct bench_chan *ch);

/*
 * POSIX semaphores, named (posix-sem) or unnamed in the slots' mapping
 * (posix-shm): the state of both, and the wait and post of their
 * slot_ops. Both need /dev/shm: 0, or -errno and why not, naming @call.
 */
struct slots_psem {
	struct slots s;			/* first: slot.c's */
	sem_t *sem[SLOT_NR_SEMS];	/* NULL: not open or initialised */
};

int slots_psem_wait(struct slots *s, unsigned int sem);
int slots_psem_post(struct slots *s, unsigned int sem);
int slots_dev_shm_available(const char *call, char *why, size_t len);

#endif /* _KIPC_BENCH_SLOT_H */
