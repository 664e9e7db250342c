// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc-sem: a message slot each way in an anonymous kipc shared buffer
 * (kipc_buf_open(3), mapped before the fork), handed over by four
 * anonymous kipc semaphores (kipc_sem(3)), EMPTY and FULL per direction
 * (slot.h). Both processes use the fds and the mapping the parent made
 * before the fork; nothing has a name to leave behind. The semaphores'
 * maximum is 1, so a post that would hand over a slot twice fails
 * (EOVERFLOW) instead of going unnoticed; no KIPC_OPEN_UNDO.
 *
 * kipc semaphores serve waiters in order with direct hand-off: a post to
 * a semaphore somebody waits on always wakes that waiter, through the
 * scheduler, where a futex-based POSIX semaphore lets a running task take
 * the value first. Every wait and post is one ioctl.
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include <kipc.h>

#include "slot.h"

struct ksem_chan {
	struct slots s;		/* first: slot.c's */
	int buf;		/* the buffer the slots are in; -1: none */
	int sem[SLOT_NR_SEMS];	/* -1: not open */
};

static int ksem_available(char *why, size_t len)
{
	int ret = bench_kipc_feature(KIPC_FEATURE_BUF, "shared buffers", why,
				     len);

	return ret ? ret : bench_kipc_feature(KIPC_FEATURE_SEM, "semaphores",
					      why, len);
}

static int ksem_wait(struct slots *s, unsigned int i)
{
	struct ksem_chan *k = (struct ksem_chan *)s;

	return kipc_sem_wait(k->sem[i], 1);
}

static int ksem_post(struct slots *s, unsigned int i)
{
	struct ksem_chan *k = (struct ksem_chan *)s;
	int ret = kipc_sem_post(k->sem[i], 1);

	/* it answers with the number of waiters it woke */
	return ret < 0 ? ret : 0;
}

static void ksem_release(struct slots *s)
{
	struct ksem_chan *k = (struct ksem_chan *)s;

	for (int i = 0; i < SLOT_NR_SEMS; i++)
		if (k->sem[i] >= 0)
			kipc_sem_close(k->sem[i]);
	if (k->buf >= 0)
		kipc_buf_close(k->buf);
}

static const struct slot_ops ksem_ops = {
	.wait_name = "kipc_sem_wait",
	.post_name = "kipc_sem_post",
	.wait = ksem_wait,
	.post = ksem_post,
	.release = ksem_release,
};

/* The buffer, mapped: 0 or -errno */
static int ksem_map(struct bench_chan *ch, struct ksem_chan *k, int ctl)
{
	struct kipc_buf_attr attr = { .size = k->s.mem_len, .mode = 0600 };
	int ret;

	k->buf = kipc_buf_open(ctl, NULL, KIPC_OPEN_READ | KIPC_OPEN_WRITE |
			       KIPC_OPEN_CREATE, &attr, NULL);
	if (k->buf < 0)
		return bench_fail(ch, -k->buf, "kipc_buf_open");
	ret = kipc_buf_map(k->buf, 0, k->s.mem_len, PROT_READ | PROT_WRITE,
			   &k->s.mem, NULL);
	if (ret) {
		k->s.mem = NULL;
		return bench_fail(ch, -ret, "kipc_buf_map");
	}
	return 0;
}

static int ksem_setup(struct bench_chan *ch)
{
	struct kipc_sem_attr attr = { .max = 1, .mode = 0600 };
	struct ksem_chan *k;
	int ctl, err;

	k = (struct ksem_chan *)slots_new(ch, &ksem_ops, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->buf = -1;
	for (int i = 0; i < SLOT_NR_SEMS; i++)
		k->sem[i] = -1;
	ctl = kipc_open();
	if (ctl < 0) {
		slots_teardown(ch);
		return bench_fail(ch, -ctl, "%s", KIPC_DEVICE_PATH);
	}
	err = ksem_map(ch, k, ctl);
	for (int i = 0; i < SLOT_NR_SEMS && !err; i++) {
		attr.value = slot_sem_value(i);
		k->sem[i] = kipc_sem_open(ctl, NULL, KIPC_OPEN_READ |
					  KIPC_OPEN_WRITE | KIPC_OPEN_CREATE,
					  &attr);
		if (k->sem[i] < 0)
			err = bench_fail(ch, -k->sem[i], "kipc_sem_open");
	}
	close(ctl);
	if (err)
		slots_teardown(ch);
	return err;
}

const struct bench_mech bench_kipc_sem = {
	.name = "kipc-sem",
	.desc = "a slot each way in a kipc shared buffer, kipc semaphores",
	.available = ksem_available,
	.max_size = slots_max_size,
	.setup = ksem_setup,
	.send = slots_send,
	.recv = slots_recv,
	.teardown = slots_teardown,
};
