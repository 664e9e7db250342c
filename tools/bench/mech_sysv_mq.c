// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysv-mq: two SysV message queues (msgget(2)), one each way, private
 * (IPC_PRIVATE) and made before the fork. A message is one msgsnd(2) of
 * type 1 and one msgrcv(2) of the first message of type 1. Both calls
 * take the type and the text together (struct msgbuf), so each process
 * copies every message into and out of a buffer of its own: a copy in
 * user space that posix-mq does not make, and that any SysV user makes
 * who does not build messages in place.
 *
 * Depth: a queue holds at most msg_qbytes bytes of text, and at most as
 * many messages (the kernel counts each as a byte, so that empty messages
 * cannot fill memory). It starts at /proc/sys/kernel/msgmnb and is set
 * (IPC_SET) to BENCH_QUEUE_DEPTH messages of the run's size, the depth of
 * the other queues. Lowering it needs no privilege; raising it above
 * msgmnb needs CAP_SYS_RESOURCE, and nothing else bounds it (msgctl(2)).
 * Without that capability a queue stays at msgmnb, shallower for large
 * messages; one that cannot hold a single message of the run's size would
 * make msgsnd() wait for ever, so that run fails in setup, saying why.
 *
 * The largest message is /proc/sys/kernel/msgmax, the most msgsnd()
 * accepts; larger sizes are not supported.
 *
 * The queues are removed (IPC_RMID) in teardown, whether or not the run
 * succeeded. Nothing can tie them to the processes' lives: a queue has
 * no name to unlink early, and IPC_RMID destroys it at once (its users
 * get EIDRM), where a SysV shared memory segment lasts until its last
 * detach. So a parent killed by SIGKILL mid-run leaves both queues behind
 * (ipcs -q shows them, ipcrm -q removes them), as sysv-sem does its set;
 * anything else, SIGINT and --timeout included, ends in teardown. Only a
 * private IPC namespace (unshare -i) would take them along.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#include "bench.h"

#define MSGMAX_SYSCTL "/proc/sys/kernel/msgmax"

/* What msgsnd() and msgrcv() take: glibc's struct msgbuf, of any length */
struct smq_msg {
	long type;
	char text[];
};

struct smq_chan {
	int id[BENCH_NR_DIRS];	/* -1: none */
	struct smq_msg *msg;	/* room for the run's size; each process's own */
};

/* /proc/sys/kernel/msgmax, as available() found it */
static long msgmax;

static int smq_available(char *why, size_t len)
{
	FILE *f = fopen(MSGMAX_SYSCTL, "re");
	int ret;

	if (!f) {
		ret = -errno;
		snprintf(why, len, "no " MSGMAX_SYSCTL
			 " (kernel without CONFIG_SYSVIPC)");
		return ret;
	}
	/* the kernel's number: NOLINTNEXTLINE(cert-err34-c) */
	ret = fscanf(f, "%ld", &msgmax) == 1 && msgmax > 0 ? 0 : -EINVAL;
	fclose(f);
	if (ret)
		snprintf(why, len, MSGMAX_SYSCTL ": unreadable");
	return ret;
}

static size_t smq_max_size(void)
{
	return msgmax;
}

static void smq_teardown(struct bench_chan *ch)
{
	struct smq_chan *q = ch->priv;

	if (!q)
		return;
	for (int d = 0; d < BENCH_NR_DIRS; d++)
		if (q->id[d] >= 0)
			msgctl(q->id[d], IPC_RMID, NULL);
	free(q->msg);
	free(q);
	ch->priv = NULL;
}

static int make_queue(struct bench_chan *ch, int *id)
{
	unsigned long want = (unsigned long)BENCH_QUEUE_DEPTH * ch->size;
	struct msqid_ds ds;
	unsigned long mnb;

	*id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (*id < 0)
		return bench_fail(ch, errno, "msgget%s",
				  errno == ENOSPC ? " (msgmni queues?)" : "");
	if (msgctl(*id, IPC_STAT, &ds))
		return bench_fail(ch, errno, "msgctl IPC_STAT");
	mnb = ds.msg_qbytes;
	ds.msg_qbytes = want;
	if (!msgctl(*id, IPC_SET, &ds))
		return 0;
	/* above msgmnb without CAP_SYS_RESOURCE: msgmnb, if a message fits */
	if (errno == EPERM && ch->size <= mnb)
		return 0;
	return bench_fail(ch, errno, "msgctl IPC_SET msg_qbytes %lu (msgmnb %lu)",
			  want, mnb);
}

static int smq_setup(struct bench_chan *ch)
{
	struct smq_chan *q = malloc(sizeof(*q));
	int err;

	if (!q)
		return bench_fail(ch, ENOMEM, "malloc");
	ch->priv = q;
	for (int d = 0; d < BENCH_NR_DIRS; d++)
		q->id[d] = -1;
	q->msg = malloc(sizeof(*q->msg) + ch->size);
	if (!q->msg) {
		err = bench_fail(ch, ENOMEM, "malloc");
		goto fail;
	}
	q->msg->type = 1;
	for (int d = 0; d < BENCH_NR_DIRS; d++) {
		err = make_queue(ch, &q->id[d]);
		if (err)
			goto fail;
	}
	return 0;
fail:
	smq_teardown(ch);
	return err;
}

static int smq_send(struct bench_chan *ch, enum bench_dir dir,
		    const void *buf, size_t len)
{
	struct smq_chan *q = ch->priv;

	if (len > ch->size)
		return bench_fail(ch, EMSGSIZE, "%zu B in a buffer of %zu",
				  len, ch->size);
	memcpy(q->msg->text, buf, len);
	while (msgsnd(q->id[dir], q->msg, len, 0)) {
		if (!bench_again(errno))
			return bench_fail(ch, errno, "msgsnd");
	}
	return 0;
}

/* A shorter message is returned as it is, for the check to report. */
static int smq_recv(struct bench_chan *ch, enum bench_dir dir, void *buf,
		    size_t len)
{
	struct smq_chan *q = ch->priv;
	size_t room = len < ch->size ? len : ch->size;
	ssize_t n;

	while ((n = msgrcv(q->id[dir], q->msg, room, 1, 0)) < 0) {
		/* without MSG_NOERROR, a longer one stays queued */
		if (errno == E2BIG)
			return bench_fail(ch, EBADMSG,
					  "msgrcv: a message of more than %zu B",
					  room);
		if (!bench_again(errno))
			return bench_fail(ch, errno, "msgrcv");
	}
	memcpy(buf, q->msg->text, n);
	return n;
}

const struct bench_mech bench_sysv_mq = {
	.name = "sysv-mq",
	.desc = "two SysV message queues (msgsnd, msgrcv)",
	.available = smq_available,
	.max_size = smq_max_size,
	.setup = smq_setup,
	.send = smq_send,
	.recv = smq_recv,
	.teardown = smq_teardown,
};
