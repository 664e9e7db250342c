// SPDX-License-Identifier: GPL-2.0-only
/*
 * pipe: two pipes, one each way. A message is one write() of its bytes.
 *
 * A pipe is a byte stream: a write of more than PIPE_BUF bytes may be
 * split, and a read may return part of a message, so the reader reads on
 * until it has the whole message (every message of a run has the same
 * size; the header's length field checks that). The batched forms are
 * what a pipe allows for free: n messages in one write(), and a read of
 * whatever whole messages are there, up to n.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

/* fd[dir][0] is the read end, fd[dir][1] the write end; -1 once closed */
struct pipe_chan {
	int fd[BENCH_NR_DIRS][2];
};

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void pipe_teardown(struct bench_chan *ch)
{
	struct pipe_chan *p = ch->priv;

	if (!p)
		return;
	for (int d = 0; d < BENCH_NR_DIRS; d++) {
		close_fd(&p->fd[d][0]);
		close_fd(&p->fd[d][1]);
	}
	free(p);
	ch->priv = NULL;
}

static int pipe_setup(struct bench_chan *ch)
{
	struct pipe_chan *p = malloc(sizeof(*p));

	if (!p)
		return bench_fail(ch, ENOMEM, "malloc");
	ch->priv = p;
	for (int d = 0; d < BENCH_NR_DIRS; d++) {
		p->fd[d][0] = -1;
		p->fd[d][1] = -1;
	}
	for (int d = 0; d < BENCH_NR_DIRS; d++) {
		if (pipe2(p->fd[d], O_CLOEXEC)) {
			int err = errno;

			pipe_teardown(ch);
			return bench_fail(ch, err, "pipe2");
		}
	}
	return 0;
}

/* Keep only this process's ends, so that a peer's death is end-of-file. */
static int pipe_attach(struct bench_chan *ch)
{
	struct pipe_chan *p = ch->priv;
	enum bench_dir in = ch->role == BENCH_PARENT ? BENCH_TO_PARENT :
						       BENCH_TO_CHILD;

	close_fd(&p->fd[in][1]);
	close_fd(&p->fd[!in][0]);
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

static int pipe_send(struct bench_chan *ch, enum bench_dir dir,
		     const void *buf, size_t len)
{
	struct pipe_chan *p = ch->priv;

	return write_all(ch, p->fd[dir][1], buf, len);
}

static int pipe_recv(struct bench_chan *ch, enum bench_dir dir, void *buf,
		     size_t len)
{
	struct pipe_chan *p = ch->priv;

	return read_some(ch, p->fd[dir][0], buf, len, len);
}

static int pipe_send_batch(struct bench_chan *ch, enum bench_dir dir,
			   const void *buf, size_t len, unsigned int n)
{
	struct pipe_chan *p = ch->priv;
	int err = write_all(ch, p->fd[dir][1], buf, len * n);

	return err ? err : (int)n;
}

static int pipe_recv_batch(struct bench_chan *ch, enum bench_dir dir,
			   void *buf, size_t len, unsigned int n)
{
	struct pipe_chan *p = ch->priv;
	ssize_t got, rest;

	/* whatever is there, up to n messages; then the rest of the last */
	got = read_some(ch, p->fd[dir][0], buf, 1, len * n);
	if (got > 0 && got % len) {
		rest = read_some(ch, p->fd[dir][0], (char *)buf + got,
				 len - got % len, len - got % len);
		got = rest < 0 ? rest : got + rest;
	}
	return got < 0 ? (int)got : (int)(got / len);
}

const struct bench_mech bench_pipe = {
	.name = "pipe",
	.desc = "two pipes, one write() per message",
	.setup = pipe_setup,
	.attach = pipe_attach,
	.send = pipe_send,
	.recv = pipe_recv,
	.send_batch = pipe_send_batch,
	.recv_batch = pipe_recv_batch,
	.teardown = pipe_teardown,
};
