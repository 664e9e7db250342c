// SPDX-License-Identifier: GPL-2.0-only
/*
 * fifo: two named pipes (fifo(7)), one each way, in a directory of our
 * own that mkdtemp(3) makes in $TMPDIR (or /tmp). After opening they are
 * pipes, and the rest is pipe's (stream.c).
 *
 * The parent opens both ends of each before the fork, without ever
 * blocking: the read end O_NONBLOCK first (which succeeds with no writer),
 * then made blocking again; then the write end, which has a reader now,
 * so its open() returns at once. Not O_RDWR, which Linux allows on a fifo
 * without blocking: the reader would hold a write end of its own, and
 * never see end-of-file.
 * Each name is unlinked as soon as its ends are open, and the directory as
 * soon as both are: a run killed, even by SIGKILL, leaves nothing behind,
 * unless it dies within setup itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "stream.h"

static const char *const fifo_name[] = {
	[BENCH_TO_CHILD] = "to-child",
	[BENCH_TO_PARENT] = "to-parent",
};

/* Make the fifo of @dir in @dir_path, open both ends, unlink it. */
static int open_fifo(struct bench_chan *ch, const char *dir_path,
		     enum bench_dir dir, int fd[2])
{
	char path[PATH_MAX];
	int err = 0, flags;

	if (snprintf(path, sizeof(path), "%s/%s", dir_path,
		     fifo_name[dir]) >= (int)sizeof(path))
		return bench_fail(ch, ENAMETOOLONG, "%s", dir_path);
	if (mkfifo(path, 0600))
		return bench_fail(ch, errno, "mkfifo %s", path);
	fd[FD_READ] = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd[FD_READ] < 0)
		err = bench_fail(ch, errno, "open %s", path);
	if (!err) {
		flags = fcntl(fd[FD_READ], F_GETFL);
		if (flags < 0 ||
		    fcntl(fd[FD_READ], F_SETFL, flags & ~O_NONBLOCK))
			err = bench_fail(ch, errno, "fcntl %s", path);
	}
	if (!err) {
		fd[FD_WRITE] = open(path, O_WRONLY | O_CLOEXEC);
		if (fd[FD_WRITE] < 0)
			err = bench_fail(ch, errno, "open %s for writing",
					 path);
	}
	if (unlink(path) && !err)
		err = bench_fail(ch, errno, "unlink %s", path);
	return err;
}

static int fifo_setup(struct bench_chan *ch)
{
	const char *tmp = getenv("TMPDIR");
	char dir_path[PATH_MAX];
	struct fd_chan *f;
	int err;

	err = fd_chan_new(ch, sizeof(*f));
	if (err)
		return err;
	f = ch->priv;
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (snprintf(dir_path, sizeof(dir_path), "%s/kipc-bench.XXXXXX",
		     tmp) >= (int)sizeof(dir_path)) {
		err = bench_fail(ch, ENAMETOOLONG, "$TMPDIR");
		goto out;
	}
	if (!mkdtemp(dir_path)) {
		err = bench_fail(ch, errno, "mkdtemp %s", dir_path);
		goto out;
	}
	for (int d = 0; d < BENCH_NR_DIRS && !err; d++)
		err = open_fifo(ch, dir_path, d, f->fd[d]);
	/* the names are gone: only the directory is left to remove */
	if (rmdir(dir_path) && !err)
		err = bench_fail(ch, errno, "rmdir %s", dir_path);
out:
	if (err)
		fd_chan_teardown(ch);
	return err;
}

const struct bench_mech bench_fifo = {
	.name = "fifo",
	.desc = "two named pipes (mkfifo), one write() per message",
	.setup = fifo_setup,
	STREAM_MECH_HOOKS,
};
