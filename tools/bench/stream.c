// SPDX-License-Identifier: GPL-2.0-only
/*
 * Channels of file descriptors, and messages over byte streams (stream.h).
 *
 * A byte stream (a pipe, a fifo, a stream socket) keeps no message
 * boundaries: a write may be split, and a read may return part of a
 * message, so the reader reads on until it has the whole message (every
 * message of a run has the same size; the header's checksum covers the
 * length). The batched forms are what a stream allows for free: n
 * messages in one write(), and a read of whatever whole messages are
 * there, up to n.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "stream.h"

int fd_chan_new(struct bench_chan *ch, size_t size)
{
	struct fd_chan *f = calloc(1, size);

	if (!f)
		return bench_fail(ch, ENOMEM, "malloc");
	for (int d = 0; d < BENCH_NR_DIRS; d++) {
		f->fd[d][FD_READ] = -1;
		f->fd[d][FD_WRITE] = -1;
	}
	ch->priv = f;
	return 0;
}

void fd_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void fd_chan_teardown(struct bench_chan *ch)
{
	struct fd_chan *f = ch->priv;

	if (!f)
		return;
	for (int d = 0; d < BENCH_NR_DIRS; d++) {
		fd_close(&f->fd[d][FD_READ]);
		fd_close(&f->fd[d][FD_WRITE]);
	}
	free(f);
	ch->priv = NULL;
}

/* Keep only this process's ends, so that a peer's death is end-of-file. */
int fd_chan_attach(struct bench_chan *ch)
{
	struct fd_chan *f = ch->priv;
	enum bench_dir in = ch->role == BENCH_PARENT ? BENCH_TO_PARENT :
						       BENCH_TO_CHILD;

	fd_close(&f->fd[in][FD_WRITE]);
	fd_close(&f->fd[!in][FD_READ]);
	return 0;
}

static int write_all(struct bench_chan *ch, int fd, const char *buf,
		     size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && bench_again(errno))
			continue;
		if (n < 0)
			return bench_fail(ch, errno, "write");
		buf += n;
		len -= n;
	}
	return 0;
}

/* Read at least min and at most max bytes: how many, or -errno. */
static ssize_t read_some(struct bench_chan *ch, int fd, char *buf,
			 size_t min, size_t max)
{
	size_t done = 0;
	ssize_t n;

	while (done < min) {
		n = read(fd, buf + done, max - done);
		if (n < 0 && bench_again(errno))
			continue;
		if (n < 0)
			return bench_fail(ch, errno, "read");
		if (n == 0)
			return bench_fail(ch, EPIPE, "read: end of file");
		done += n;
	}
	return done;
}

int stream_send(struct bench_chan *ch, enum bench_dir dir, const void *buf,
		size_t len)
{
	struct fd_chan *f = ch->priv;

	return write_all(ch, f->fd[dir][FD_WRITE], buf, len);
}

int stream_recv(struct bench_chan *ch, enum bench_dir dir, void *buf,
		size_t len)
{
	struct fd_chan *f = ch->priv;

	return read_some(ch, f->fd[dir][FD_READ], buf, len, len);
}

int stream_send_batch(struct bench_chan *ch, enum bench_dir dir,
		      const void *buf, size_t len, unsigned int n)
{
	struct fd_chan *f = ch->priv;
	int err = write_all(ch, f->fd[dir][FD_WRITE], buf, len * n);

	return err ? err : (int)n;
}

int stream_recv_batch(struct bench_chan *ch, enum bench_dir dir, void *buf,
		      size_t len, unsigned int n)
{
	struct fd_chan *f = ch->priv;
	int fd = f->fd[dir][FD_READ];
	ssize_t got, rest;

	/* whatever is there, up to n messages; then the rest of the last */
	got = read_some(ch, fd, buf, 1, len * n);
	if (got > 0 && got % len) {
		rest = read_some(ch, fd, (char *)buf + got, len - got % len,
				 len - got % len);
		got = rest < 0 ? rest : got + rest;
	}
	return got < 0 ? (int)got : (int)(got / len);
}
