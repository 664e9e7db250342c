// SPDX-License-Identifier: GPL-2.0-only
/*
 * unix-stream, unix-dgram, unix-seqpacket: AF_UNIX socket pairs
 * (unix(7)), one pair each way as pipe has one pipe each way, so that
 * the channel is pipe's (stream.c) and each direction queues in a socket
 * of its own. One pair would carry both directions as well (each socket
 * has its own receive queue); it would only save two descriptors.
 *
 * unix-stream is a byte stream, read as a pipe is. unix-dgram and
 * unix-seqpacket keep message boundaries: one send() and one recv() per
 * message, sendmmsg(2) and recvmmsg(2) for the batched forms, and a
 * message longer than the run's size is caught (MSG_TRUNC), not cut to
 * fit. Unlike a stream, a datagram socket sees no end-of-file when its
 * peer is gone: a receiver left waiting is ended by the run (SIGCHLD in
 * the parent, the parent-death signal in the child), as for posix-mq.
 *
 * Queue depth: AF_UNIX charges what is in flight to the sending socket's
 * send buffer and never consults the receiver's SO_RCVBUF; between the
 * two sockets of a pair nothing else limits it (net.unix.max_dgram_qlen
 * only holds back senders the receiver is not connected to). So each
 * sending socket's SO_SNDBUF is set to hold BENCH_QUEUE_DEPTH messages of
 * the run's size, as kipc-mq's and posix-mq's queues do; what a message
 * costs there, the kernel's bookkeeping included, is measured by sending
 * one on a scratch pair (SIOCOUTQ). At most 16 MiB, or two messages for
 * larger ones, as kipc-ring; without CAP_NET_ADMIN (SO_SNDBUFFORCE),
 * net.core.wmem_max caps it, and queues of large messages are shallower.
 *
 * A datagram, unlike a stream, must fit in the sender's buffer whole, and
 * the kernel must find memory for it in one piece or nearly: its largest
 * size depends on wmem_max, on privilege and on the kernel. available()
 * finds it by sending on a scratch pair, max_size() reports it, and larger
 * sizes are "not supported", never clamped.
 */
#include <errno.h>
#include <limits.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"
#include "stream.h"

#define UNIX_SNDBUF_MAX (16u << 20)

/* Enough for a scratch pair to take any message the runs may send */
#define UNIX_SNDBUF_SCRATCH (2 * (size_t)BENCH_MAX_SIZE)

/* fd_chan first: stream.c's hooks take ch->priv as one */
struct unix_chan {
	struct fd_chan f;
	struct mmsghdr msg[BENCH_MAX_BATCH];	/* a batch, for *mmsg() */
	struct iovec iov[BENCH_MAX_BATCH];
};

/* The largest datagram, as available() found it, by type */
static size_t dgram_max, seqpacket_max;

/*
 * Let @fd's send buffer hold @bytes as the kernel counts them (it doubles
 * what it is given, for its bookkeeping): with SO_SNDBUFFORCE where we may,
 * else SO_SNDBUF, which net.core.wmem_max caps. 0 or -errno.
 */
static int set_sndbuf(int fd, size_t bytes)
{
	int val = bytes / 2 < INT_MAX / 2 ? (int)(bytes / 2) : INT_MAX / 2;

	if (!setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &val, sizeof(val)))
		return 0;
	if (errno != EPERM)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &val, sizeof(val)))
		return -errno;
	return 0;
}

/* A pair of @type whose sv[1] may send as much as it is allowed to */
static int scratch_pair(int type, int sv[2])
{
	int err;

	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv))
		return -errno;
	err = set_sndbuf(sv[1], UNIX_SNDBUF_SCRATCH);
	if (err) {
		close(sv[0]);
		close(sv[1]);
	}
	return err;
}

/*
 * The largest datagram a pair of @type takes here, found by sending: it
 * must fit the send buffer, and the kernel allocates most of it in one
 * piece. Sizes that are too large mostly fail before anything is
 * allocated or copied (EMSGSIZE); the others are received and dropped.
 */
static int probe_max_size(int type, size_t *max)
{
	size_t ok = 0, bad = BENCH_MAX_SIZE + 1, mid;
	char *buf;
	int sv[2], err;

	err = scratch_pair(type, sv);
	if (err)
		return err;
	/* zeroes that are never written: the zero page, not 16 MiB */
	buf = calloc(1, BENCH_MAX_SIZE);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	while (bad - ok > 1) {
		mid = ok + (bad - ok) / 2;
		if (send(sv[1], buf, mid, MSG_DONTWAIT) == (ssize_t)mid) {
			ok = mid;
			/* a zero-length receive drops a whole datagram */
			/* cppcheck-suppress nullPointer ; with length 0 */
			recv(sv[0], NULL, 0, MSG_DONTWAIT);
		} else {
			bad = mid;
		}
	}
	*max = ok;
	if (ok < BENCH_MIN_SIZE)
		err = -EMSGSIZE;
	free(buf);
out:
	close(sv[0]);
	close(sv[1]);
	return err;
}

static int probe_available(int type, size_t *max, char *why, size_t len)
{
	int err = probe_max_size(type, max);

	if (err == -EMSGSIZE)
		snprintf(why, len, "not even a %zu-byte datagram fits",
			 BENCH_MIN_SIZE);
	else if (err)
		snprintf(why, len, "an AF_UNIX pair to probe: %s",
			 strerror(-err));
	return err;
}

static int dgram_available(char *why, size_t len)
{
	return probe_available(SOCK_DGRAM, &dgram_max, why, len);
}

static int seqpacket_available(char *why, size_t len)
{
	return probe_available(SOCK_SEQPACKET, &seqpacket_max, why, len);
}

static size_t dgram_max_size(void)
{
	return dgram_max;
}

static size_t seqpacket_max_size(void)
{
	return seqpacket_max;
}

/*
 * The send buffer that holds BENCH_QUEUE_DEPTH messages of the run's
 * size in a pair of @type: what one costs, measured on a scratch pair.
 */
static int queue_bytes(struct bench_chan *ch, int type, size_t *bytes)
{
	size_t cost, len = ch->size;
	int sv[2], err, outq;
	ssize_t n;
	char *buf;

	buf = calloc(1, len);
	if (!buf)
		return bench_fail(ch, ENOMEM, "malloc");
	err = scratch_pair(type, sv);
	if (err) {
		free(buf);
		return bench_fail(ch, -err, "socketpair");
	}
	n = send(sv[1], buf, len, MSG_DONTWAIT);
	if (n <= 0)
		err = bench_fail(ch, n ? errno : EIO, "send on a scratch pair");
	else if (ioctl(sv[1], SIOCOUTQ, &outq))
		err = bench_fail(ch, errno, "SIOCOUTQ");
	close(sv[0]);
	close(sv[1]);
	free(buf);
	if (err)
		return err;

	/* a stream may have taken part of it (wmem_max) */
	/* variadic: NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
	cost = ((size_t)outq * len + n - 1) / n;
	*bytes = cost * BENCH_QUEUE_DEPTH;
	if (*bytes > UNIX_SNDBUF_MAX)
		*bytes = 2 * cost > UNIX_SNDBUF_MAX ? 2 * cost :
						      UNIX_SNDBUF_MAX;
	return 0;
}

static int unix_setup(struct bench_chan *ch, int type)
{
	struct unix_chan *u;
	size_t sndbuf = 0;
	int err;

	err = fd_chan_new(ch, sizeof(*u));
	if (err)
		return err;
	u = ch->priv;
	err = queue_bytes(ch, type, &sndbuf);
	for (int d = 0; d < BENCH_NR_DIRS && !err; d++) {
		/* sv[0] reads, sv[1] writes: FD_READ and FD_WRITE */
		if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, u->f.fd[d])) {
			err = bench_fail(ch, errno, "socketpair");
			break;
		}
		err = set_sndbuf(u->f.fd[d][FD_WRITE], sndbuf);
		if (err)
			err = bench_fail(ch, -err, "SO_SNDBUF %zu", sndbuf);
	}
	if (err)
		fd_chan_teardown(ch);
	return err;
}

static int stream_setup(struct bench_chan *ch)
{
	return unix_setup(ch, SOCK_STREAM);
}

static int dgram_setup(struct bench_chan *ch)
{
	return unix_setup(ch, SOCK_DGRAM);
}

static int seqpacket_setup(struct bench_chan *ch)
{
	return unix_setup(ch, SOCK_SEQPACKET);
}

/*
 * What op (a receive with MSG_TRUNC) said of a message: its length, which
 * the checks compare with the run's, or -errno if it did not fit. Zero is
 * end-of-file: we never send empty messages.
 */
static int msg_length(struct bench_chan *ch, const char *op, size_t got,
		      size_t len)
{
	if (!got)
		return bench_fail(ch, EPIPE, "%s: end of file", op);
	if (got > len)
		return bench_fail(ch, EMSGSIZE,
				  "%s: a message of %zu bytes, not %zu", op,
				  got, len);
	return got;
}

static int msg_send(struct bench_chan *ch, enum bench_dir dir,
		    const void *buf, size_t len)
{
	struct fd_chan *f = ch->priv;

	/* a message goes whole or not at all */
	while (send(f->fd[dir][FD_WRITE], buf, len, 0) < 0) {
		if (!bench_again(errno))
			return bench_fail(ch, errno, "send");
	}
	return 0;
}

static int msg_recv(struct bench_chan *ch, enum bench_dir dir, void *buf,
		    size_t len)
{
	struct fd_chan *f = ch->priv;
	ssize_t n;

	/* MSG_TRUNC: the message's own length, even if it did not fit */
	while ((n = recv(f->fd[dir][FD_READ], buf, len, MSG_TRUNC)) < 0) {
		if (!bench_again(errno))
			return bench_fail(ch, errno, "recv");
	}
	return msg_length(ch, "recv", n, len);
}

/* Point u's batch at n messages of len bytes at buf. */
static void batch_init(struct unix_chan *u, const void *buf, size_t len,
		       unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		u->iov[i].iov_base = (char *)buf + i * len;
		u->iov[i].iov_len = len;
		u->msg[i].msg_hdr = (struct msghdr){
			.msg_iov = &u->iov[i],
			.msg_iovlen = 1,
		};
	}
}

static int msg_send_batch(struct bench_chan *ch, enum bench_dir dir,
			  const void *buf, size_t len, unsigned int n)
{
	struct unix_chan *u = ch->priv;
	int sent;

	batch_init(u, buf, len, n);
	/* interrupted after some were sent, it says how many */
	while ((sent = sendmmsg(u->f.fd[dir][FD_WRITE], u->msg, n, 0)) < 0) {
		if (!bench_again(errno))
			return bench_fail(ch, errno, "sendmmsg");
	}
	return sent;
}

static int msg_recv_batch(struct bench_chan *ch, enum bench_dir dir,
			  void *buf, size_t len, unsigned int n)
{
	struct unix_chan *u = ch->priv;
	int got, ret;

	batch_init(u, buf, len, n);
	/* wait for the first; then whatever else is there, up to n */
	while ((got = recvmmsg(u->f.fd[dir][FD_READ], u->msg, n,
			       MSG_WAITFORONE | MSG_TRUNC, NULL)) < 0) {
		if (!bench_again(errno))
			return bench_fail(ch, errno, "recvmmsg");
	}
	for (int i = 0; i < got; i++) {
		ret = msg_length(ch, "recvmmsg", u->msg[i].msg_len, len);
		if (ret < 0)
			return ret;
		/* recv() lets the checks say so; a batch must say it here */
		if ((size_t)ret != len)
			return bench_fail(ch, EBADMSG,
					  "recvmmsg: a message of %d bytes, not %zu",
					  ret, len);
	}
	return got;
}

const struct bench_mech bench_unix_stream = {
	.name = "unix-stream",
	.desc = "two AF_UNIX stream socket pairs, one write() per message",
	.setup = stream_setup,
	STREAM_MECH_HOOKS,
};

/* What unix-dgram and unix-seqpacket share of their struct bench_mech */
#define MSG_MECH_HOOKS					\
	.attach = fd_chan_attach,			\
	.send = msg_send,				\
	.recv = msg_recv,				\
	.send_batch = msg_send_batch,			\
	.recv_batch = msg_recv_batch,			\
	.teardown = fd_chan_teardown

const struct bench_mech bench_unix_dgram = {
	.name = "unix-dgram",
	.desc = "two AF_UNIX datagram socket pairs, send() and recv()",
	.available = dgram_available,
	.max_size = dgram_max_size,
	.setup = dgram_setup,
	MSG_MECH_HOOKS,
};

const struct bench_mech bench_unix_seqpacket = {
	.name = "unix-seqpacket",
	.desc = "two AF_UNIX seqpacket socket pairs, send() and recv()",
	.available = seqpacket_available,
	.max_size = seqpacket_max_size,
	.setup = seqpacket_setup,
	MSG_MECH_HOOKS,
};
