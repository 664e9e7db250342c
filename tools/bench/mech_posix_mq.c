// SPDX-License-Identifier: GPL-2.0-only
/*
 * posix-mq: two POSIX message queues (mq_overview(7)), one each way, as
 * BENCH_QUEUE_DEPTH deep if we may, else as deep as
 * /proc/sys/fs/mqueue/msg_max allows, with messages of exactly
 * the run's size. A size above msgsize_max is not supported; it is never
 * clamped.
 *
 * Queue names are for opening only: both processes use the descriptors
 * the parent opened before the fork, so each name is unlinked as soon as
 * its queue exists. A run that crashes or is killed leaves no queue
 * behind. A leftover name of our own (same pid, a run killed between
 * create and unlink) is removed first.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

#define MQ_SYSCTL "/proc/sys/fs/mqueue/"

struct mq_chan {
	mqd_t q[BENCH_NR_DIRS];
};

/* /proc/sys/fs/mqueue/msgsize_max, as available() found it */
static long msgsize_max;

/* A number from /proc/sys/fs/mqueue/: 0, or -errno */
static int read_limit(const char *name, long *val)
{
	char path[64];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), MQ_SYSCTL "%s", name);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	/* the kernel's number: NOLINTNEXTLINE(cert-err34-c) */
	ret = fscanf(f, "%ld", val) == 1 && *val > 0 ? 0 : -EINVAL;
	fclose(f);
	return ret;
}

static int mq_available(char *why, size_t len)
{
	int err = read_limit("msgsize_max", &msgsize_max);

	if (err == -ENOENT)
		snprintf(why, len, "no " MQ_SYSCTL
			 " (kernel without CONFIG_POSIX_MQUEUE)");
	else if (err)
		snprintf(why, len, MQ_SYSCTL "msgsize_max: unreadable");
	return err;
}

static size_t mq_max_size(void)
{
	return msgsize_max;
}

static void mq_teardown(struct bench_chan *ch)
{
	struct mq_chan *m = ch->priv;

	if (!m)
		return;
	for (int d = 0; d < BENCH_NR_DIRS; d++)
		if (m->q[d] != (mqd_t)-1)
			mq_close(m->q[d]);
	free(m);
	ch->priv = NULL;
}

static int open_queue(struct bench_chan *ch, mqd_t *q, enum bench_dir dir,
		      long depth)
{
	struct mq_attr attr = { .mq_maxmsg = depth, .mq_msgsize = ch->size };
	char name[NAME_MAX];
	int tries = 0;

	/*
	 * As deep as the other queues (BENCH_QUEUE_DEPTH) where we may: up
	 * to msg_max, or beyond with CAP_SYS_RESOURCE; else msg_max.
	 */
	attr.mq_maxmsg = BENCH_QUEUE_DEPTH;
	snprintf(name, sizeof(name), "/kipc-bench.%d.%d", (int)getpid(), dir);
	while ((*q = mq_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
			     0600, &attr)) == (mqd_t)-1) {
		if (errno == EEXIST && !tries++ && !mq_unlink(name))
			continue;
		if (errno == EINVAL && attr.mq_maxmsg > depth) {
			attr.mq_maxmsg = depth;
			continue;
		}
		if (errno == EMFILE)
			return bench_fail(ch, errno,
					  "mq_open %s (RLIMIT_MSGQUEUE?)", name);
		return bench_fail(ch, errno, "mq_open %s", name);
	}
	if (mq_unlink(name))
		return bench_fail(ch, errno, "mq_unlink %s", name);
	return 0;
}

static int mq_setup(struct bench_chan *ch)
{
	struct mq_chan *m = malloc(sizeof(*m));
	long depth;
	int err;

	if (!m)
		return bench_fail(ch, ENOMEM, "malloc");
	ch->priv = m;
	for (int d = 0; d < BENCH_NR_DIRS; d++)
		m->q[d] = (mqd_t)-1;
	err = read_limit("msg_max", &depth);
	if (err) {
		bench_fail(ch, -err, MQ_SYSCTL "msg_max");
		goto fail;
	}
	for (int d = 0; d < BENCH_NR_DIRS; d++) {
		/* errno: NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage) */
		err = open_queue(ch, &m->q[d], d, depth);
		if (err)
			goto fail;
	}
	return 0;
fail:
	mq_teardown(ch);
	return err;
}

static int mq_chan_send(struct bench_chan *ch, enum bench_dir dir,
			const void *buf, size_t len)
{
	struct mq_chan *m = ch->priv;

	while (mq_send(m->q[dir], buf, len, 0)) {
		if (!bench_again(errno))
			return bench_fail(ch, errno, "mq_send");
	}
	return 0;
}

static int mq_chan_recv(struct bench_chan *ch, enum bench_dir dir, void *buf,
			size_t len)
{
	struct mq_chan *m = ch->priv;
	ssize_t n;

	while ((n = mq_receive(m->q[dir], buf, len, NULL)) < 0) {
		if (!bench_again(errno))
			return bench_fail(ch, errno, "mq_receive");
	}
	return n;
}

const struct bench_mech bench_posix_mq = {
	.name = "posix-mq",
	.desc = "two POSIX message queues (mq_send, mq_receive)",
	.available = mq_available,
	.max_size = mq_max_size,
	.setup = mq_setup,
	.send = mq_chan_send,
	.recv = mq_chan_recv,
	.teardown = mq_teardown,
};
