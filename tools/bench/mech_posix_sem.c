// SPDX-License-Identifier: GPL-2.0-only
/*
 * posix-sem: a message slot each way in MAP_SHARED | MAP_ANONYMOUS memory
 * made before the fork, handed over by four POSIX named semaphores
 * (sem_overview(7)), EMPTY and FULL per direction (slot.h). The memory is
 * the same kind as sysv-sem's, so that only the semaphores differ.
 *
 * As for posix-mq, names are for creating only: both processes use the
 * semaphores the parent opened before the fork (sem_open() maps a file
 * of /dev/shm, and the child inherits the mapping), so each name is
 * unlinked as soon as its semaphore exists, and a run that crashes or is
 * killed leaves nothing in /dev/shm. A leftover name of our own (same
 * pid, a run killed between create and unlink) is removed first.
 *
 * glibc's semaphores are futexes: a post that finds no waiter makes no
 * system call, and a running task may take a value posted for a sleeping
 * one (no hand-off order), unlike kipc-sem's.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

#include "slot.h"

static int psem_available(char *why, size_t len)
{
	return slots_dev_shm_available("sem_open", why, len);
}

static void psem_release(struct slots *s)
{
	struct slots_psem *p = (struct slots_psem *)s;

	for (int i = 0; i < SLOT_NR_SEMS; i++)
		if (p->sem[i])
			sem_close(p->sem[i]);
}

static const struct slot_ops psem_ops = {
	.wait_name = "sem_wait",
	.post_name = "sem_post",
	.wait = slots_psem_wait,
	.post = slots_psem_post,
	.release = psem_release,
};

static int open_sem(struct bench_chan *ch, sem_t **sem, unsigned int i)
{
	char name[NAME_MAX];
	int tries = 0;

	snprintf(name, sizeof(name), "/kipc-bench.%d.%u", (int)getpid(), i);
	while ((*sem = sem_open(name, O_RDWR | O_CREAT | O_EXCL, 0600,
				slot_sem_value(i))) == SEM_FAILED) {
		if (errno == EEXIST && !tries++ && !sem_unlink(name))
			continue;
		*sem = NULL;
		return bench_fail(ch, errno, "sem_open %s", name);
	}
	if (sem_unlink(name))
		return bench_fail(ch, errno, "sem_unlink %s", name);
	return 0;
}

static int psem_setup(struct bench_chan *ch)
{
	struct slots_psem *p;
	int err;

	p = (struct slots_psem *)slots_new(ch, &psem_ops, sizeof(*p));
	if (!p)
		return -ENOMEM;
	err = slots_map_anon(ch, &p->s);
	for (int i = 0; i < SLOT_NR_SEMS && !err; i++)
		err = open_sem(ch, &p->sem[i], i);
	if (err)
		slots_teardown(ch);
	return err;
}

const struct bench_mech bench_posix_sem = {
	.name = "posix-sem",
	.desc = "a slot each way in MAP_SHARED|MAP_ANONYMOUS memory, "
		"POSIX named semaphores",
	.available = psem_available,
	.max_size = slots_max_size,
	.setup = psem_setup,
	.send = slots_send,
	.recv = slots_recv,
	.teardown = slots_teardown,
};
