// SPDX-License-Identifier: GPL-2.0-only
/*
 * eventfd: notification only. Two eventfds (eventfd(2)), one each way,
 * made before the fork: plain counters, no EFD_SEMAPHORE. A message is
 * exactly its 8-byte header (struct bench_hdr: sequence number and
 * checksum) taken as the 64-bit value: a send is one write() of those 8
 * bytes, which adds them to the counter and wakes the reader, a receive
 * one read(), which takes the counter and leaves 0. The checksum is never
 * 0, so neither is a value: every write wakes the reader (adding 0 would
 * leave it asleep).
 *
 * An eventfd holds one value, not a queue: two writes before a read add
 * up, and the sum fails the checksum, which is the check that nothing
 * coalesced. So only the round trips run (notify_only), and only 8-byte
 * messages (max_size()).
 *
 * This is the floor of any notification-based round trip: two sleeping
 * processes woken in turn and four system calls, with no payload beyond
 * the value, and no queue, slot or lock. Every mechanism here that
 * sleeps pays at least as much per round trip (a futex hand-off takes
 * about the same path without the file layer); what it costs above
 * eventfd at 8 B is its own data path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "bench.h"

struct efd_chan {
	int fd[BENCH_NR_DIRS];	/* -1: none */
};

static int efd_available(char *why, size_t len)
{
	int fd = eventfd(0, EFD_CLOEXEC);

	if (fd < 0) {
		int err = errno;

		/* anything else: its errno text */
		if (err == ENOSYS)
			snprintf(why, len, "kernel without CONFIG_EVENTFD");
		return -err;
	}
	close(fd);
	return 0;
}

static size_t efd_max_size(void)
{
	return sizeof(uint64_t);
}

static void efd_teardown(struct bench_chan *ch)
{
	struct efd_chan *e = ch->priv;

	if (!e)
		return;
	for (int d = 0; d < BENCH_NR_DIRS; d++)
		if (e->fd[d] >= 0)
			close(e->fd[d]);
	free(e);
	ch->priv = NULL;
}

static int efd_setup(struct bench_chan *ch)
{
	struct efd_chan *e = malloc(sizeof(*e));
	int err;

	if (!e)
		return bench_fail(ch, ENOMEM, "malloc");
	ch->priv = e;
	for (int d = 0; d < BENCH_NR_DIRS; d++)
		e->fd[d] = -1;
	for (int d = 0; d < BENCH_NR_DIRS; d++) {
		e->fd[d] = eventfd(0, EFD_CLOEXEC);
		if (e->fd[d] < 0) {
			err = bench_fail(ch, errno, "eventfd");
			efd_teardown(ch);
			return err;
		}
	}
	return 0;
}

static int efd_send(struct bench_chan *ch, enum bench_dir dir,
		    const void *buf, size_t len)
{
	struct efd_chan *e = ch->priv;

	if (len != sizeof(uint64_t))
		return bench_fail(ch, EMSGSIZE, "%zu B: an eventfd takes 8",
				  len);
	while (write(e->fd[dir], buf, len) < 0) {
		if (!bench_again(errno))
			return bench_fail(ch, errno, "write");
	}
	return 0;
}

static int efd_recv(struct bench_chan *ch, enum bench_dir dir, void *buf,
		    size_t len)
{
	struct efd_chan *e = ch->priv;
	ssize_t n;

	/* read() wants room for the whole value: EINVAL otherwise */
	while ((n = read(e->fd[dir], buf, len)) < 0) {
		if (!bench_again(errno))
			return bench_fail(ch, errno, "read");
	}
	return n;
}

const struct bench_mech bench_eventfd = {
	.name = "eventfd",
	.desc = "two eventfds, the 8-byte header as the value: round trips only",
	.available = efd_available,
	.max_size = efd_max_size,
	.notify_only = true,
	.setup = efd_setup,
	.send = efd_send,
	.recv = efd_recv,
	.teardown = efd_teardown,
};
