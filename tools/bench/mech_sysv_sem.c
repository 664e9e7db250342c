// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysv-sem: a message slot each way in MAP_SHARED | MAP_ANONYMOUS memory
 * made before the fork (as posix-sem's, so that only the semaphores
 * differ), handed over by a SysV semaphore set (semget(2)) of four, EMPTY
 * and FULL per direction (slot.h). Every wait and post is one semop(2)
 * system call; no SEM_UNDO, as the other mechanisms have no undo either.
 *
 * The set is private (IPC_PRIVATE) and removed (IPC_RMID) in teardown,
 * whether or not the run succeeded. A SysV set has no name to unlink
 * early and goes at once when removed, so a parent killed by SIGKILL
 * mid-run leaves its set behind (ipcs -s shows it); anything else,
 * SIGINT and --timeout included, ends in teardown.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <unistd.h>

#include "slot.h"

#define SEM_SYSCTL "/proc/sys/kernel/sem"

struct ssem_chan {
	struct slots s;		/* first: slot.c's */
	int id;			/* the set; -1: none */
};

/*
 * semctl(2): the caller defines it, as the man page does (cppcheck misses
 * the use of .array in a compound literal)
 */
union semun {
	int val;		/* cppcheck-suppress unusedStructMember */
	struct semid_ds *buf;	/* cppcheck-suppress unusedStructMember */
	unsigned short *array;	/* cppcheck-suppress unusedStructMember */
};

static int ssem_available(char *why, size_t len)
{
	if (access(SEM_SYSCTL, R_OK)) {
		int err = errno;

		snprintf(why, len, "no " SEM_SYSCTL
			 " (kernel without CONFIG_SYSVIPC)");
		return -err;
	}
	return 0;
}

static int ssem_op(struct slots *s, unsigned int i, short op)
{
	struct ssem_chan *c = (struct ssem_chan *)s;
	struct sembuf b = { .sem_num = i, .sem_op = op };

	return semop(c->id, &b, 1) ? -errno : 0;
}

static int ssem_wait(struct slots *s, unsigned int i)
{
	return ssem_op(s, i, -1);
}

static int ssem_post(struct slots *s, unsigned int i)
{
	return ssem_op(s, i, 1);
}

static void ssem_release(struct slots *s)
{
	struct ssem_chan *c = (struct ssem_chan *)s;

	if (c->id >= 0)
		semctl(c->id, 0, IPC_RMID);
}

static const struct slot_ops ssem_ops = {
	.wait_name = "semop -1",
	.post_name = "semop +1",
	.wait = ssem_wait,
	.post = ssem_post,
	.release = ssem_release,
};

static int ssem_setup(struct bench_chan *ch)
{
	unsigned short values[SLOT_NR_SEMS];
	struct ssem_chan *c;
	int err;

	c = (struct ssem_chan *)slots_new(ch, &ssem_ops, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->id = -1;
	err = slots_map_anon(ch, &c->s);
	if (err)
		goto fail;
	c->id = semget(IPC_PRIVATE, SLOT_NR_SEMS, IPC_CREAT | 0600);
	if (c->id < 0) {
		err = bench_fail(ch, errno, "semget");
		goto fail;
	}
	for (unsigned int i = 0; i < SLOT_NR_SEMS; i++)
		values[i] = slot_sem_value(i);
	if (semctl(c->id, 0, SETALL, (union semun){ .array = values })) {
		err = bench_fail(ch, errno, "semctl SETALL");
		goto fail;
	}
	return 0;
fail:
	slots_teardown(ch);
	return err;
}

const struct bench_mech bench_sysv_sem = {
	.name = "sysv-sem",
	.desc = "a slot each way in MAP_SHARED|MAP_ANONYMOUS memory, "
		"a SysV semaphore set",
	.available = ssem_available,
	.max_size = slots_max_size,
	.setup = ssem_setup,
	.send = slots_send,
	.recv = slots_recv,
	.teardown = slots_teardown,
};
