// SPDX-License-Identifier: GPL-2.0-only
/*
 * memcpy: no IPC at all, the bandwidth bound. One process copies a
 * message of the run's size from one buffer to another, count times; the
 * buffers are the run's own, cache-line aligned and touched beforehand.
 * It carries no sequence numbers or checksums (nothing is sent), so it is
 * what a transport's copies alone would cost, not a transport. Only the
 * throughput test measures it: a round trip of one process is meaningless.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "run.h"

static int memcpy_local(struct bench_chan *ch, unsigned long count,
			uint64_t *wall_ns)
{
	size_t size = ch->size, stride = (size + 63) & ~(size_t)63;
	char *src, *dst;
	uint64_t t0;

	/* two cache-line aligned buffers, touched before the clock starts */
	if (posix_memalign((void **)&src, 64, 2 * stride))
		return bench_fail(ch, ENOMEM, "posix_memalign");
	dst = src + stride;
	memset(src, 0x5a, size);
	memset(dst, 0, size);
	t0 = bench_now_ns();
	for (unsigned long i = 0; i < count; i++) {
		memcpy(dst, src, size);
		/* keep the copy: the compiler may not drop or merge them */
		__asm__ __volatile__("" : : "r"(dst) : "memory");
	}
	*wall_ns = bench_now_ns() - t0;
	free(src);
	return 0;
}

const struct bench_mech bench_memcpy = {
	.name = "memcpy",
	.desc = "one process's memcpy, no IPC: the copy bandwidth bound",
	.local = memcpy_local,
};
