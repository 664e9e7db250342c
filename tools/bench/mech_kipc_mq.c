// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc-mq: two anonymous kipc message queues, one each way, through
 * libkipc (kipc_mq(3)). Both processes use the fds the parent opened
 * before the fork; an anonymous queue has no name to leave behind.
 * BENCH_QUEUE_DEPTH deep, messages of at most the run's size.
 *
 * The batched forms are KIPC_IOC_MQ_SENDV and KIPC_IOC_MQ_RECVV: up to n
 * messages per system call, a receive taking what is there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <kipc.h>

#include "bench.h"

struct kipc_chan {
	int fd[BENCH_NR_DIRS];
	struct kipc_msg *msgs;		/* a batch's descriptors */
};

/* The module's mq_max_msgsize, as available() found it */
static size_t kipc_msgsize_max;

static size_t kipc_max_size(void)
{
	return kipc_msgsize_max;
}

static int kipc_available(char *why, size_t len)
{
	int ret = bench_kipc_feature(KIPC_FEATURE_MQ_BATCH, "batched queues",
				     why, len);
	FILE *f;

	if (ret)
		return ret;
	f = fopen("/sys/module/kipc/parameters/mq_max_msgsize", "re");
	if (f) {
		/* the kernel's number: NOLINTNEXTLINE(cert-err34-c) */
		if (fscanf(f, "%zu", &kipc_msgsize_max) != 1)
			kipc_msgsize_max = 0;
		fclose(f);
	}
	return 0;
}

static void kipc_teardown(struct bench_chan *ch)
{
	struct kipc_chan *k = ch->priv;

	if (!k)
		return;
	for (int d = 0; d < BENCH_NR_DIRS; d++)
		if (k->fd[d] >= 0)
			kipc_mq_close(k->fd[d]);
	free(k->msgs);
	free(k);
	ch->priv = NULL;
}

static int kipc_setup(struct bench_chan *ch)
{
	struct kipc_mq_attr attr = {
		.max_msgs = BENCH_QUEUE_DEPTH, .msg_size = ch->size, .mode = 0600,
	};
	struct kipc_chan *k = calloc(1, sizeof(*k));
	int ctl, err = 0;

	if (!k)
		return bench_fail(ch, ENOMEM, "malloc");
	ch->priv = k;
	k->fd[0] = k->fd[1] = -1;
	k->msgs = calloc(ch->batch, sizeof(*k->msgs));
	if (!k->msgs) {
		kipc_teardown(ch);
		return bench_fail(ch, ENOMEM, "malloc");
	}
	ctl = kipc_open();
	if (ctl < 0) {
		kipc_teardown(ch);
		return bench_fail(ch, -ctl, "%s", KIPC_DEVICE_PATH);
	}
	for (int d = 0; d < BENCH_NR_DIRS && !err; d++) {
		k->fd[d] = kipc_mq_open(ctl, NULL, KIPC_OPEN_READ |
					KIPC_OPEN_WRITE | KIPC_OPEN_CREATE,
					&attr);
		if (k->fd[d] < 0)
			err = bench_fail(ch, -k->fd[d], "kipc_mq_open");
	}
	close(ctl);
	if (err)
		kipc_teardown(ch);
	return err;
}

static int kipc_send(struct bench_chan *ch, enum bench_dir dir,
		     const void *buf, size_t len)
{
	struct kipc_chan *k = ch->priv;
	struct kipc_msg m = { .buf = (void *)buf, .len = len };
	int ret;

	while ((ret = kipc_mq_send(k->fd[dir], &m, 0, -1)))
		if (!bench_again(-ret))
			return bench_fail(ch, -ret, "kipc_mq_send");
	return 0;
}

static int kipc_recv(struct bench_chan *ch, enum bench_dir dir, void *buf,
		     size_t len)
{
	struct kipc_chan *k = ch->priv;
	struct kipc_msg m = { .buf = buf, .len = len };
	int ret;

	while ((ret = kipc_mq_receive(k->fd[dir], &m, KIPC_MQ_SELECT_ANY, 0,
				      0, -1)))
		if (!bench_again(-ret))
			return bench_fail(ch, -ret, "kipc_mq_receive");
	return m.len;
}

static int kipc_send_batch(struct bench_chan *ch, enum bench_dir dir,
			   const void *buf, size_t len, unsigned int n)
{
	struct kipc_chan *k = ch->priv;
	int ret;

	for (unsigned int i = 0; i < n; i++)
		k->msgs[i] = (struct kipc_msg){
			.buf = (char *)buf + i * len, .len = len,
		};
	while ((ret = kipc_mq_send_batch(k->fd[dir], k->msgs, n, 0, -1)) < 0)
		if (!bench_again(-ret))
			return bench_fail(ch, -ret, "kipc_mq_send_batch");
	return ret;
}

static int kipc_recv_batch(struct bench_chan *ch, enum bench_dir dir,
			   void *buf, size_t len, unsigned int n)
{
	struct kipc_chan *k = ch->priv;
	int ret;

	for (unsigned int i = 0; i < n; i++)
		k->msgs[i] = (struct kipc_msg){
			.buf = (char *)buf + i * len, .len = len,
		};
	while ((ret = kipc_mq_receive_batch(k->fd[dir], k->msgs, n,
					    KIPC_MQ_SELECT_ANY, 0, 0, -1)) < 0)
		if (!bench_again(-ret))
			return bench_fail(ch, -ret, "kipc_mq_receive_batch");
	for (int i = 0; i < ret; i++)
		if (k->msgs[i].len != len)
			return bench_fail(ch, EBADMSG, "message %d: %zu bytes",
					  i, k->msgs[i].len);
	return ret;
}

const struct bench_mech bench_kipc_mq = {
	.name = "kipc-mq",
	.desc = "two kipc message queues (kipc_mq_send, kipc_mq_receive; "
		"SENDV/RECVV batches)",
	.available = kipc_available,
	.max_size = kipc_max_size,
	.setup = kipc_setup,
	.send = kipc_send,
	.recv = kipc_recv,
	.send_batch = kipc_send_batch,
	.recv_batch = kipc_recv_batch,
	.teardown = kipc_teardown,
};
