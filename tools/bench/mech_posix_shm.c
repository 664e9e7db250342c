// SPDX-License-Identifier: GPL-2.0-only
/*
 * posix-shm: POSIX shared memory with POSIX semaphores, the way programs
 * usually share a buffer. One shared memory object (shm_overview(7)),
 * made and mapped MAP_SHARED before the fork, holds a message slot each
 * way and, after them, four unnamed process-shared semaphores (sem_init(3)
 * with pshared 1), EMPTY and FULL per direction (slot.h).
 *
 * The name is for creating only: the object is unlinked as soon as it
 * exists, and the mapping the child inherits keeps it alive, so a run
 * that crashes or is killed leaves nothing in /dev/shm. A leftover name
 * of our own (same pid, a run killed between create and unlink) is
 * removed first.
 *
 * The semaphores are glibc's futex-based ones, as posix-sem's, and the
 * memory is shmem, as posix-sem's MAP_SHARED | MAP_ANONYMOUS memory is
 * too: the two differ only in where the semaphores' words live (in the
 * slots' object here, a file of /dev/shm each there), so they should
 * measure alike. posix-shm is the form a program would use: one object,
 * which unrelated processes can open by name.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "slot.h"

static int pshm_available(char *why, size_t len)
{
	return slots_dev_shm_available("shm_open", why, len);
}

static void pshm_release(struct slots *s)
{
	struct slots_psem *p = (struct slots_psem *)s;

	/* the child is reaped: nobody waits on them any more */
	for (int i = 0; i < SLOT_NR_SEMS; i++)
		if (p->sem[i])
			sem_destroy(p->sem[i]);
}

static const struct slot_ops pshm_ops = {
	.wait_name = "sem_wait",
	.post_name = "sem_post",
	.shared_size = sizeof(sem_t[SLOT_NR_SEMS]),
	.wait = slots_psem_wait,
	.post = slots_psem_post,
	.release = pshm_release,
};

/* The object, its name already unlinked: an fd, or -errno */
static int open_shm(struct bench_chan *ch)
{
	char name[NAME_MAX];
	int fd, err, tries = 0;

	snprintf(name, sizeof(name), "/kipc-bench.%d", (int)getpid());
	while ((fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600)) < 0) {
		if (errno == EEXIST && !tries++ && !shm_unlink(name))
			continue;
		return bench_fail(ch, errno, "shm_open %s", name);
	}
	if (shm_unlink(name)) {
		err = bench_fail(ch, errno, "shm_unlink %s", name);
		close(fd);
		return err;
	}
	return fd;
}

static int pshm_setup(struct bench_chan *ch)
{
	struct slots_psem *p;
	sem_t *sems;
	int err;

	p = (struct slots_psem *)slots_new(ch, &pshm_ops, sizeof(*p));
	if (!p)
		return -ENOMEM;
	err = slots_map_fd(ch, &p->s, open_shm(ch), "/dev/shm");
	if (err)
		goto fail;
	sems = slots_shared(&p->s);
	for (unsigned int i = 0; i < SLOT_NR_SEMS; i++) {
		if (sem_init(&sems[i], 1, slot_sem_value(i))) {
			err = bench_fail(ch, errno, "sem_init");
			goto fail;
		}
		p->sem[i] = &sems[i];
	}
	return 0;
fail:
	slots_teardown(ch);
	return err;
}

const struct bench_mech bench_posix_shm = {
	.name = "posix-shm",
	.desc = "a slot each way and unnamed POSIX semaphores in POSIX "
		"shared memory (shm_open)",
	.available = pshm_available,
	.max_size = slots_max_size,
	.setup = pshm_setup,
	.send = slots_send,
	.recv = slots_recv,
	.teardown = slots_teardown,
};
