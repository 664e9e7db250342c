// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mechanisms kipc-bench knows, in the order it runs and reports them.
 * Adding one: a file that defines its struct bench_mech (see bench.h),
 * and a line here. The first one available is the baseline of the
 * report's ratios.
 */
#include <string.h>

#include "bench.h"

extern const struct bench_mech bench_pipe;
extern const struct bench_mech bench_fifo;
extern const struct bench_mech bench_unix_stream;
extern const struct bench_mech bench_unix_dgram;
extern const struct bench_mech bench_unix_seqpacket;
extern const struct bench_mech bench_tcp;
extern const struct bench_mech bench_posix_mq;
extern const struct bench_mech bench_sysv_mq;
extern const struct bench_mech bench_kipc_mq;
extern const struct bench_mech bench_kipc_ring;
extern const struct bench_mech bench_posix_sem;
extern const struct bench_mech bench_sysv_sem;
extern const struct bench_mech bench_kipc_sem;
extern const struct bench_mech bench_posix_shm;
extern const struct bench_mech bench_file_mmap;
extern const struct bench_mech bench_eventfd;
extern const struct bench_mech bench_memcpy;

const struct bench_mech *const bench_mechs[] = {
	&bench_pipe,
	&bench_fifo,
	&bench_unix_stream,
	&bench_unix_dgram,
	&bench_unix_seqpacket,
	&bench_tcp,
	&bench_posix_mq,
	&bench_sysv_mq,
	&bench_kipc_mq,
	&bench_kipc_ring,
	&bench_posix_sem,
	&bench_sysv_sem,
	&bench_kipc_sem,
	&bench_posix_shm,
	&bench_file_mmap,
	&bench_eventfd,
	&bench_memcpy,
};

const size_t bench_nr_mechs = ARRAY_SIZE(bench_mechs);
_Static_assert(ARRAY_SIZE(bench_mechs) <= BENCH_MAX_MECHS, "BENCH_MAX_MECHS");

const struct bench_mech *bench_find_mech(const char *name)
{
	for (size_t i = 0; i < bench_nr_mechs; i++)
		if (!strcmp(bench_mechs[i]->name, name))
			return bench_mechs[i];
	return NULL;
}
