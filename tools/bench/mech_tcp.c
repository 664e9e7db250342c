// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcp: one TCP connection over loopback (127.0.0.1, tcp(7)) carries both
 * directions, as programs use TCP: a connection is full duplex, with
 * buffers of its own each way, and a second one would add nothing but a
 * handshake. TCP_NODELAY on both ends, so that a message goes out when it
 * is written rather than when Nagle's algorithm lets it (small round trips
 * would otherwise wait for delayed ACKs). The buffers are left to the
 * kernel's autotuning, as for any connection: SO_SNDBUF and SO_RCVBUF
 * would turn it off, and programs on loopback do not set them.
 *
 * The parent listens on an ephemeral port, connects and accepts before
 * the fork, then closes the listener: the connection exists before either
 * process uses it, with no port to agree on and no race. The parent keeps
 * the connecting end and the child the accepted one. Each end stands in
 * the channel once per direction, the second time as a dup(), so that the
 * channel, attach and teardown are pipe's (stream.c); it is a byte stream,
 * read until the whole message is there.
 *
 * available() makes such a connection: without loopback (lo down, as in a
 * bare initramfs) there is none, and tcp is skipped with a note.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "bench.h"
#include "stream.h"

/*
 * How long connect() and accept() may take. Over loopback they take
 * microseconds; a firewall that drops SYNs must not make setup hang.
 */
#define TCP_SETUP_TIMEOUT_S 2

static int set_timeout(int fd, int opt, time_t sec)
{
	struct timeval tv = { .tv_sec = sec };

	return setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof(tv));
}

static int set_nodelay(int fd)
{
	int one = 1;

	return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/*
 * A connection over loopback: fd[0] the connecting end, fd[1] the
 * accepted one, both TCP_NODELAY. 0, or -errno and what failed in *op.
 */
static int loopback_pair(int fd[2], const char **op)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in mine, peer;
	socklen_t len = sizeof(addr), mlen = sizeof(mine), plen = sizeof(peer);
	int lfd, err;

	fd[0] = -1;
	fd[1] = -1;
	*op = "socket";
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return -errno;
	*op = "bind 127.0.0.1";
	if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)))
		goto fail;
	*op = "listen on 127.0.0.1";
	if (listen(lfd, 1) ||
	    getsockname(lfd, (struct sockaddr *)&addr, &len) ||
	    set_timeout(lfd, SO_RCVTIMEO, TCP_SETUP_TIMEOUT_S))
		goto fail;
	*op = "socket";
	fd[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd[0] < 0)
		goto fail;
	*op = "connect to 127.0.0.1";
	if (set_timeout(fd[0], SO_SNDTIMEO, TCP_SETUP_TIMEOUT_S) ||
	    connect(fd[0], (struct sockaddr *)&addr, sizeof(addr)) ||
	    set_timeout(fd[0], SO_SNDTIMEO, 0))
		goto fail;
	*op = "accept";
	/* cppcheck-suppress nullPointer ; accept4(2) allows NULL */
	fd[1] = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd[1] < 0)
		goto fail;
	*op = "getpeername";
	if (getsockname(fd[0], (struct sockaddr *)&mine, &mlen) ||
	    getpeername(fd[1], (struct sockaddr *)&peer, &plen))
		goto fail;
	/* another process may have connected between listen() and ours */
	*op = "accept: not our connection";
	/* getsockname() and getpeername() filled them in */
	/* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
	if (mine.sin_port != peer.sin_port) {
		errno = ECONNABORTED;
		goto fail;
	}
	*op = "TCP_NODELAY";
	if (set_nodelay(fd[0]) || set_nodelay(fd[1]))
		goto fail;
	close(lfd);
	return 0;
fail:
	err = -errno;
	close(lfd);
	fd_close(&fd[0]);
	fd_close(&fd[1]);
	return err;
}

static int tcp_available(char *why, size_t len)
{
	const char *op;
	int fd[2], err = loopback_pair(fd, &op);

	if (err) {
		snprintf(why, len, "no loopback: %s: %s (is lo up?)", op,
			 strerror(-err));
		return err;
	}
	close(fd[0]);
	close(fd[1]);
	return 0;
}

static int tcp_setup(struct bench_chan *ch)
{
	struct fd_chan *f;
	const char *op;
	int fd[2], err;

	err = fd_chan_new(ch, sizeof(*f));
	if (err)
		return err;
	f = ch->priv;
	err = loopback_pair(fd, &op);
	if (err) {
		fd_chan_teardown(ch);
		return bench_fail(ch, -err, "%s", op);
	}
	/* the parent writes on its end, the child on the accepted one */
	f->fd[BENCH_TO_CHILD][FD_WRITE] = fd[0];
	f->fd[BENCH_TO_CHILD][FD_READ] = fd[1];
	f->fd[BENCH_TO_PARENT][FD_WRITE] = fcntl(fd[1], F_DUPFD_CLOEXEC, 0);
	f->fd[BENCH_TO_PARENT][FD_READ] = fcntl(fd[0], F_DUPFD_CLOEXEC, 0);
	if (f->fd[BENCH_TO_PARENT][FD_WRITE] < 0 ||
	    f->fd[BENCH_TO_PARENT][FD_READ] < 0) {
		err = errno;
		fd_chan_teardown(ch);
		return bench_fail(ch, err, "dup");
	}
	return 0;
}

const struct bench_mech bench_tcp = {
	.name = "tcp",
	.desc = "one TCP connection over 127.0.0.1, TCP_NODELAY",
	.available = tcp_available,
	.setup = tcp_setup,
	STREAM_MECH_HOOKS,
};
