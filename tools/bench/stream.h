/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the mechanisms over file descriptors share (pipe, fifo, the AF_UNIX
 * sockets, tcp): a channel that is a read end and a write end each way,
 * and messages over a byte stream.
 *
 * Each process keeps only the ends it uses (fd_chan_attach()), so that a
 * peer that is gone shows as end-of-file or EPIPE, not as a hang. Where
 * one descriptor serves both directions (a TCP connection), each of its
 * slots holds a dup() of its own, so that closing one closes no other.
 */
#ifndef _KIPC_BENCH_STREAM_H
#define _KIPC_BENCH_STREAM_H

#include "bench.h"

/* The ends, in the order pipe(2) fills them in */
enum {
	FD_READ,
	FD_WRITE,
};

/**
 * struct fd_chan - a channel of file descriptors, in ch->priv
 * @fd: fd[dir][FD_READ] is where the receiver of dir reads,
 *	fd[dir][FD_WRITE] where its sender writes; -1 once closed
 *
 * A mechanism that needs more puts this first in a struct of its own.
 */
struct fd_chan {
	int fd[BENCH_NR_DIRS][2];
};

/*
 * Make ch->priv: @size bytes, zeroed, that start with a struct fd_chan
 * whose ends are all -1. 0 or -errno; fd_chan_teardown() frees it.
 */
int fd_chan_new(struct bench_chan *ch, size_t size);
void fd_close(int *fd);

/* struct bench_mech's attach and teardown for a struct fd_chan */
int fd_chan_attach(struct bench_chan *ch);
void fd_chan_teardown(struct bench_chan *ch);

/*
 * A message over a byte stream: one write() of its bytes, read until the
 * whole of it has arrived. struct bench_mech's send, recv and batched
 * forms for a struct fd_chan.
 */
int stream_send(struct bench_chan *ch, enum bench_dir dir, const void *buf,
		size_t len);
int stream_recv(struct bench_chan *ch, enum bench_dir dir, void *buf,
		size_t len);
int stream_send_batch(struct bench_chan *ch, enum bench_dir dir,
		      const void *buf, size_t len, unsigned int n);
int stream_recv_batch(struct bench_chan *ch, enum bench_dir dir, void *buf,
		      size_t len, unsigned int n);

/* Every struct bench_mech hook but setup() of a byte stream on fd_chan */
#define STREAM_MECH_HOOKS				\
	.attach = fd_chan_attach,			\
	.send = stream_send,				\
	.recv = stream_recv,				\
	.send_batch = stream_send_batch,		\
	.recv_batch = stream_recv_batch,		\
	.teardown = fd_chan_teardown

#endif /* _KIPC_BENCH_STREAM_H */
