// SPDX-License-Identifier: GPL-2.0-only
/*
 * pipe: two pipes, one each way. A message is one write() of its bytes,
 * read as a byte stream (stream.c): the reader reads on until it has the
 * whole message, since a write of more than PIPE_BUF bytes may be split.
 * The batched forms are n messages in one write(), and a read of whatever
 * whole messages are there, up to n.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "bench.h"
#include "stream.h"

static int pipe_setup(struct bench_chan *ch)
{
	struct fd_chan *f;
	int err = fd_chan_new(ch, sizeof(*f));

	if (err)
		return err;
	f = ch->priv;
	for (int d = 0; d < BENCH_NR_DIRS; d++) {
		if (pipe2(f->fd[d], O_CLOEXEC)) {
			err = errno;
			fd_chan_teardown(ch);
			return bench_fail(ch, err, "pipe2");
		}
	}
	return 0;
}

const struct bench_mech bench_pipe = {
	.name = "pipe",
	.desc = "two pipes, one write() per message",
	.setup = pipe_setup,
	STREAM_MECH_HOOKS,
};
