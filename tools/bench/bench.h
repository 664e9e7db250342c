/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kipc-bench: what its files share.
 *
 * A run is one (test, message size, mechanism): the parent sets the
 * mechanism's channels up, forks a child, and the two exchange messages
 * over them, one channel each way (run.c). A mechanism is a file of its
 * own that defines one struct bench_mech and is listed in mechs.c; a test
 * is a pair of functions, parent side and child side, listed in run.c.
 */
#ifndef _KIPC_BENCH_H
#define _KIPC_BENCH_H

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit status: the CLI's. */
enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Room for this many in mechs.c's table, and sizes and batches in a run */
#define BENCH_MAX_MECHS 32
#define BENCH_MAX_SIZES 32

/* The largest message and batch accepted; buffers are size * batch. */
#define BENCH_MAX_SIZE (16u << 20)
#define BENCH_MAX_BATCH 1024u

/* The most operations a run measures, and round trips it times */
#define BENCH_MAX_COUNT 100000000ul
#define BENCH_MAX_SAMPLES 1000000ul

/*
 * Queues are this deep where the mechanism lets us choose, so that
 * queue-based mechanisms compare at the same depth.
 */
#define BENCH_QUEUE_DEPTH 64

enum bench_dir {
	BENCH_TO_CHILD,		/* the parent sends, the child receives */
	BENCH_TO_PARENT,	/* the child sends, the parent receives */
	BENCH_NR_DIRS,
};

enum bench_role {
	BENCH_PARENT,
	BENCH_CHILD,
};

/*
 * --fault: break one message on purpose, to show that the checks and the
 * clean-up work (the self-test uses it). The first sender of a test does
 * it: the parent's request in pingpong, the child's message in throughput.
 */
enum bench_fault {
	BENCH_FAULT_NONE,
	BENCH_FAULT_CORRUPT,	/* flip a payload bit after the checksum */
	BENCH_FAULT_SKIP,	/* skip a sequence number */
	BENCH_FAULT_STALL,	/* the child stops: only the timeout ends it */
};

/* The command line, as every run sees it. */
struct bench_opts {
	unsigned long count;	/* 0: each test's default */
	unsigned long warmup;
	uint64_t duration_ns;	/* --duration: count from the warm-up's pace */
	unsigned int timeout;	/* seconds per run; 0: none */
	enum bench_fault fault;
	int cpu[2];		/* by role: --cpus, or -1 for the scheduler's */
};

/**
 * struct bench_chan - one run's channels, as a mechanism sees them
 * @mech: the mechanism
 * @opts: the command line
 * @size: the length of every message in the run
 * @batch: messages per call: from --batch if the mechanism has batched
 *	forms, else 1 (the report shows this one)
 * @role: which process this is; set before attach()
 * @priv: the mechanism's own state, made by setup()
 * @what: what failed, set through bench_fail() for the one-line report
 */
struct bench_chan {
	const struct bench_mech *mech;
	const struct bench_opts *opts;
	size_t size;
	unsigned int batch;
	enum bench_role role;
	void *priv;
	char what[128];
};

/**
 * struct bench_mech - one IPC mechanism
 * @name: what --mechanism takes ("pipe", "posix-mq", ...)
 * @desc: one line for --list
 * @available: optional; 0, or -errno and a reason in @why (no such kernel
 *	feature, module not loaded): the mechanism is skipped with the note
 * @max_size: optional, called after available() succeeded: the largest
 *	message it carries (NULL or 0: no limit). Larger sizes are reported
 *	"not supported", never clamped.
 * @notify_only: a notification that holds one value (eventfd), not a
 *	queue: only the round-trip test runs; the others are reported "not
 *	supported".
 * @setup: in the parent before the fork: make the channels, both ways.
 *	On failure, leave nothing behind.
 * @attach: optional; in each process after the fork, @ch->role set: drop
 *	the ends this process does not use (so that a dead peer shows as
 *	end-of-file, not a hang), connect, map.
 * @send: send one message of @len bytes on channel @dir: 0 or -errno.
 * @recv: receive one message on @dir into @buf (room for @len bytes):
 *	its length, or -errno.
 * @send_batch: optional; send up to @n messages of @len bytes laid out one
 *	after another at @buf in one call: how many were sent (>= 1), or
 *	-errno.
 * @recv_batch: optional; receive 1 to @n messages of @len bytes into @buf
 *	likewise: how many, or -errno (-EBADMSG for one of another length).
 * @reserve: optional zero-copy send, used by the throughput test when
 *	messages go one at a time: *@data gets room for @len bytes in the
 *	channel, which the test fills in place; 0 or -errno.
 * @commit: sends what reserve() gave, @len bytes: 0 or -errno.
 * @peek: optional zero-copy receive, likewise: *@data gets the next
 *	message in place; its length, or -errno.
 * @release: hands back what peek() gave: 0 or -errno.
 * @local: optional; the mechanism is a baseline measured in one process,
 *	with no channel or child: do @count operations of the run's size,
 *	put their wall time in *@wall_ns; 0 or -errno. It is called for the
 *	warm-up, then for the measured count, repeated if that is quick to
 *	time it well. The other hooks but
 *	available() and max_size() are then unused.
 * @teardown: in the parent, after the child is reaped, whether or not the
 *	run succeeded: release everything setup() made, names included.
 *
 * Blocking calls are interrupted when the run must stop (timeout, the child
 * died, Ctrl-C): a mechanism retries EINTR only while bench_again() says so,
 * and otherwise returns -EINTR. Errors are returned, never printed: record
 * what failed with bench_fail().
 */
struct bench_mech {
	const char *name;
	const char *desc;
	int (*available)(char *why, size_t len);
	size_t (*max_size)(void);
	bool notify_only;
	int (*setup)(struct bench_chan *ch);
	int (*attach)(struct bench_chan *ch);
	int (*send)(struct bench_chan *ch, enum bench_dir dir,
		    const void *buf, size_t len);
	int (*recv)(struct bench_chan *ch, enum bench_dir dir,
		    void *buf, size_t len);
	int (*send_batch)(struct bench_chan *ch, enum bench_dir dir,
			  const void *buf, size_t len, unsigned int n);
	int (*recv_batch)(struct bench_chan *ch, enum bench_dir dir,
			  void *buf, size_t len, unsigned int n);
	int (*reserve)(struct bench_chan *ch, enum bench_dir dir, size_t len,
		       void **data);
	int (*commit)(struct bench_chan *ch, enum bench_dir dir, size_t len);
	int (*peek)(struct bench_chan *ch, enum bench_dir dir,
		    const void **data);
	int (*release)(struct bench_chan *ch, enum bench_dir dir);
	int (*local)(struct bench_chan *ch, unsigned long count,
		     uint64_t *wall_ns);
	void (*teardown)(struct bench_chan *ch);
};

/*
 * kipc_feature.c: 0 if /dev/kipc is there and announces feature (a
 * KIPC_FEATURE_* bit), else -errno and why not ("... has no @what").
 */
int bench_kipc_feature(uint64_t feature, const char *what, char *why,
		       size_t len);

/* mechs.c: every mechanism, in the order runs and reports use */
extern const struct bench_mech *const bench_mechs[];
extern const size_t bench_nr_mechs;
const struct bench_mech *bench_find_mech(const char *name);

/*
 * Why a run is being stopped; set by the parent's signal handler (run.c).
 * Zero while the run goes on.
 */
extern volatile sig_atomic_t bench_stop;

/* After EINTR: true to retry the call, false to give up with -EINTR. */
static inline bool bench_again(int err)
{
	return err == EINTR && !bench_stop;
}

/* Record "WHAT" for the report of the error err; returns -err. */
int bench_fail(struct bench_chan *ch, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * payload.c: every message starts with this header; the rest is a
 * pattern derived from the sequence number. The checksum covers the
 * direction, the length, the sequence number and the payload, so a lost,
 * repeated, reordered, truncated or damaged message, or one from the other
 * direction, fails. Eight bytes, so that the smallest message is eight
 * bytes too: eventfd's value, and the small end of the size sweep.
 */
struct bench_hdr {
	uint32_t seq;
	uint32_t sum;		/* never 0 (an eventfd value cannot be) */
};

#define BENCH_MIN_SIZE sizeof(struct bench_hdr)

void bench_fill(void *buf, size_t len, enum bench_dir dir, uint32_t seq);
/* 0, or -EBADMSG with what is wrong in @why */
int bench_check(const void *buf, size_t got, size_t len, enum bench_dir dir,
		uint32_t seq, char *why, size_t whylen);
void bench_damage(void *buf, size_t len);

#endif /* _KIPC_BENCH_H */
