// SPDX-License-Identifier: GPL-2.0-only
/*
 * file-mmap: a regular file mapped MAP_SHARED holds a message slot each
 * way and, after them, four futex-based semaphores of our own, EMPTY and
 * FULL per direction (slot.h). The file is made with mkostemp() in
 * $TMPDIR (or /tmp) before the fork and unlinked at once: the mapping the
 * child inherits keeps it alive, and nothing is left behind unless a run
 * is killed between those two calls.
 *
 * How it differs from posix-shm, which has the same layout:
 *
 * - The memory is the page cache of whatever file system holds $TMPDIR
 *   (ext4, xfs, ...), not shmem: its dirty pages are written back to
 *   disk now and then, unlinked file or not, and a page written back is
 *   write-protected again, so the next store to it faults. Where $TMPDIR
 *   is a tmpfs (as in the test guest) the pages are shmem after all, and
 *   the two differ only in their semaphores.
 *
 * - The semaphores are the small protocol below, not glibc's sem_t: a
 *   value and a count of waiters in two 32-bit words, FUTEX_WAIT and
 *   FUTEX_WAKE without FUTEX_PRIVATE_FLAG, since the words are shared
 *   between processes (the kernel finds them by file and offset, not by
 *   address). It is the protocol of glibc's sem_t in miniature (glibc
 *   keeps value and count in one 64-bit word, so that a post adds and
 *   reads the count in one atomic operation): a post makes a system call
 *   only when somebody may be asleep, and a wait that finds 0 sleeps at
 *   once, without spinning first.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "slot.h"

/*
 * A counting semaphore in shared memory. wait() takes 1 from @value if it
 * is positive, else sleeps on it; post() adds 1 and wakes a sleeper if
 * @waiters says there may be one.
 *
 * No lost wake-up: a waiter counts itself in @waiters, then sleeps only
 * if @value is still 0 (FUTEX_WAIT reads it after a full barrier, and
 * atomically with going to sleep). A post adds to @value, then reads
 * @waiters. The count, the add and the read are sequentially consistent,
 * so either the post reads the count and wakes, or its add came first
 * and FUTEX_WAIT sees the new value and returns at once. A count that
 * stays up (a waiter killed asleep) only costs needless wakes.
 *
 * Memory: taking 1 is an acquire and adding 1 a release, so the slot's
 * contents written before a post are seen after the wait that takes it.
 */
struct fsem {
	uint32_t value;		/* the futex word */
	uint32_t waiters;	/* in wait(), about to sleep or asleep */
};

struct fmap_chan {
	struct slots s;		/* first: slot.c's */
	struct fsem *sem;	/* SLOT_NR_SEMS of them, in the mapping */
};

static long futex(uint32_t *word, int op, uint32_t val)
{
	return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

static int fsem_wait(struct slots *s, unsigned int i)
{
	struct fsem *sem = &((struct fmap_chan *)s)->sem[i];
	uint32_t v = __atomic_load_n(&sem->value, __ATOMIC_RELAXED);
	int err;

	for (;;) {
		/* a failed exchange reloads v */
		while (v > 0)
			if (__atomic_compare_exchange_n(&sem->value, &v, v - 1,
							true, __ATOMIC_ACQUIRE,
							__ATOMIC_RELAXED))
				return 0;
		__atomic_add_fetch(&sem->waiters, 1, __ATOMIC_SEQ_CST);
		err = futex(&sem->value, FUTEX_WAIT, 0) ? errno : 0;
		__atomic_sub_fetch(&sem->waiters, 1, __ATOMIC_RELAXED);
		/* EAGAIN: not 0 any more; EINTR: slot.c decides */
		if (err && err != EAGAIN)
			return -err;
		v = __atomic_load_n(&sem->value, __ATOMIC_RELAXED);
	}
}

static int fsem_post(struct slots *s, unsigned int i)
{
	struct fsem *sem = &((struct fmap_chan *)s)->sem[i];

	__atomic_add_fetch(&sem->value, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&sem->waiters, __ATOMIC_SEQ_CST) &&
	    futex(&sem->value, FUTEX_WAKE, 1) < 0)
		return -errno;
	return 0;
}

static const struct slot_ops fsem_ops = {
	.wait_name = "FUTEX_WAIT",
	.post_name = "FUTEX_WAKE",
	.shared_size = sizeof(struct fsem[SLOT_NR_SEMS]),
	.wait = fsem_wait,
	.post = fsem_post,
};

static const char *tmp_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir && *dir ? dir : "/tmp";
}

static int fmap_available(char *why, size_t len)
{
	const char *dir = tmp_dir();

	if (access(dir, W_OK | X_OK)) {
		int err = errno;

		snprintf(why, len, "%s is not writable (mkostemp needs it)",
			 dir);
		return -err;
	}
	return 0;
}

/* The file, already unlinked: an fd, or -errno */
static int open_file(struct bench_chan *ch)
{
	char path[PATH_MAX];
	int fd, err;

	if (snprintf(path, sizeof(path), "%s/kipc-bench.%d.XXXXXX",
		     tmp_dir(), (int)getpid()) >= (int)sizeof(path))
		return bench_fail(ch, ENAMETOOLONG, "TMPDIR %s", tmp_dir());
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return bench_fail(ch, errno, "mkostemp %s", path);
	if (unlink(path)) {
		err = bench_fail(ch, errno, "unlink %s", path);
		close(fd);
		return err;
	}
	return fd;
}

static int fmap_setup(struct bench_chan *ch)
{
	struct fmap_chan *c;
	int err;

	c = (struct fmap_chan *)slots_new(ch, &fsem_ops, sizeof(*c));
	if (!c)
		return -ENOMEM;
	err = slots_map_fd(ch, &c->s, open_file(ch), tmp_dir());
	if (err) {
		slots_teardown(ch);
		return err;
	}
	/* plain stores: the child does not exist yet */
	c->sem = slots_shared(&c->s);
	for (unsigned int i = 0; i < SLOT_NR_SEMS; i++)
		c->sem[i].value = slot_sem_value(i);
	return 0;
}

const struct bench_mech bench_file_mmap = {
	.name = "file-mmap",
	.desc = "a slot each way and futex semaphores in a MAP_SHARED file "
		"of $TMPDIR",
	.available = fmap_available,
	.max_size = slots_max_size,
	.setup = fmap_setup,
	.send = slots_send,
	.recv = slots_recv,
	.teardown = slots_teardown,
};
