// SPDX-License-Identifier: GPL-2.0
/*
 * kipc_fault_test: every allocation on every kipc path failed once, by
 * failslab and fail_page_alloc through /proc/thread-self/fail-nth: each
 * gives a clean errno, leaks and changes nothing, and the same call
 * without the fault then works.
 *
 * The method is syzkaller's. failslab and fail_page_alloc are set up to
 * fail nothing by themselves (probability 0, task-filter) but to let
 * fail-nth fail any allocation (ignore-gfp-wait N, for GFP_KERNEL;
 * ignore-gfp-highmem N and min-order 0, for single user pages). Then,
 * for N = 1, 2, ...: the state is set up, N goes to fail-nth, the call is
 * made, and fail-nth read back says whether the N-th injection point was
 * reached (0) or not (then every point of that path has failed once: the
 * loop ends, that last call being the one that must work). After each
 * call that failed:
 * - the errno is ENOMEM (or what each case says, with the reason);
 * - the objects of the test's IPC namespace, as a netlink dump shows them
 *   (ids, names, references, charges, queue depth and counters,
 *   semaphore value, buffer mappings), are what they were; so is the
 *   lowest free fd;
 * - the owner's quota says exactly what those objects charge: the
 *   objects are made by a user of their own (FI_UID_BASE plus the pid of
 *   the case's process, by setfsuid()), and
 *   the per-user limits are lowered to the expected figures to see that
 *   one more object, or one more byte, is refused and no less is.
 * A call that worked although its fault fired (an optional allocation)
 * is checked as working.
 *
 * A kernel without fault injection (the stock one) skips each case. On
 * the debug kernel the settings are put back at the end, and kmemleak is
 * scanned (tools/vm/run scans once more after rmmod).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/kipc.h>
#include <linux/kipc_netlink.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

#define RW		(KIPC_OPEN_READ | KIPC_OPEN_WRITE)
#define FI_UID_BASE	100000	/* + pid: owns what one case makes */
#define FI_MAX_POINTS	2000	/* a path with more is a runaway loop */
#define FI_MAX_OBJS	64
#define MIB		(1ul << 20)
#define PAGE		4096ul
#define DEBUGFS		"/sys/kernel/debug"

/* ---- failslab and fail_page_alloc, and fail-nth ---- */

struct fi_knob {
	const char *attr, *file, *value;
	char old[32];
	bool saved;
};

#define KNOB(a, f, v) { .attr = (a), .file = (f), .value = (v) }

static struct fi_knob fi_knobs[] = {
	KNOB("failslab", "probability", "0"),
	KNOB("failslab", "interval", "1"),
	KNOB("failslab", "times", "-1"),
	KNOB("failslab", "space", "0"),
	KNOB("failslab", "verbose", "0"),
	KNOB("failslab", "task-filter", "Y"),
	KNOB("failslab", "ignore-gfp-wait", "N"),
	KNOB("fail_page_alloc", "probability", "0"),
	KNOB("fail_page_alloc", "interval", "1"),
	KNOB("fail_page_alloc", "times", "-1"),
	KNOB("fail_page_alloc", "space", "0"),
	KNOB("fail_page_alloc", "verbose", "0"),
	KNOB("fail_page_alloc", "task-filter", "Y"),
	KNOB("fail_page_alloc", "ignore-gfp-wait", "N"),
	KNOB("fail_page_alloc", "ignore-gfp-highmem", "N"),
	KNOB("fail_page_alloc", "min-order", "0"),
};

static int fi_nth = -1;		/* /proc/thread-self/fail-nth */
static uid_t fi_uid;		/* the objects' owner */

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Set fault injection up for fail-nth only: NULL, or why it cannot be. */
static const char *fault_setup(void)
{
	char path[128];
	size_t i;

	if (access("/proc/thread-self/fail-nth", F_OK))
		return "no /proc/thread-self/fail-nth: kernel without CONFIG_FAULT_INJECTION";
	if (access(DEBUGFS "/failslab", F_OK))
		mount("debugfs", DEBUGFS, "debugfs", 0, NULL);
	if (access(DEBUGFS "/failslab", F_OK) ||
	    access(DEBUGFS "/fail_page_alloc", F_OK))
		return "no failslab or fail_page_alloc in debugfs: kernel without CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC or CONFIG_FAULT_INJECTION_DEBUG_FS";
	for (i = 0; i < KIPC_ARRAY_SIZE(fi_knobs); i++) {
		struct fi_knob *k = &fi_knobs[i];

		snprintf(path, sizeof(path), DEBUGFS "/%s/%s", k->attr, k->file);
		if (read_file(path, k->old, sizeof(k->old)))
			return "cannot read the fault injection settings";
		k->saved = true;
		if (kipc_write_file(path, k->value))
			return "cannot change the fault injection settings";
	}
	fi_nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	return fi_nth < 0 ? "cannot open /proc/thread-self/fail-nth" : NULL;
}

static void fault_restore(void)
{
	char path[128];
	size_t i;

	for (i = 0; i < KIPC_ARRAY_SIZE(fi_knobs); i++) {
		struct fi_knob *k = &fi_knobs[i];

		if (!k->saved)
			continue;
		snprintf(path, sizeof(path), DEBUGFS "/%s/%s", k->attr, k->file);
		kipc_write_file(path, k->old);
		k->saved = false;
	}
	if (fi_nth >= 0)
		close(fi_nth);
	fi_nth = -1;
}

/* The @n-th injection point this thread reaches from now on fails. */
static void fi_arm(unsigned int n)
{
	char b[16];
	int len = snprintf(b, sizeof(b), "%u", n);

	if (pwrite(fi_nth, b, len, 0) != len)
		abort();
}

/* Disarm: was the armed point reached (and failed)? */
static bool fi_fired(void)
{
	char b[16] = "";

	if (pread(fi_nth, b, sizeof(b) - 1, 0) <= 0)
		abort();
	if (atoi(b) == 0)
		return true;
	fi_arm(0);
	return false;
}

/* A kmemleak scan now, and whatever it reports on the log: 0 if none. */
static int kmemleak_scan(void)
{
	char buf[4096];
	int fd;
	ssize_t n;

	if (kipc_write_file(DEBUGFS "/kmemleak", "scan"))
		return 0;	/* no kmemleak: nothing to say */
	fd = open(DEBUGFS "/kmemleak", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	fprintf(stderr, "# kmemleak:\n%s", buf);
	return 1;
}

/* ---- the generic netlink family ---- */

struct nlreq {
	struct nlmsghdr n;
	struct genlmsghdr g;
	unsigned char attrs[256];
};

#define NLBUF	65536
static unsigned char nlbuf[NLBUF];
static uint16_t fam_id;
static uint32_t fam_events;

static int resolve_family(void)
{
	struct nlreq q = { 0 };
	unsigned char *p = q.attrs;
	struct pollfd pfd;
	ssize_t len;
	int fd = kipc_nl_open();

	if (fd < 0)
		return -errno;
	q.n.nlmsg_type = GENL_ID_CTRL;
	q.n.nlmsg_flags = NLM_F_REQUEST;
	q.g.cmd = CTRL_CMD_GETFAMILY;
	q.g.version = 1;
	p = kipc_nla_put(p, CTRL_ATTR_FAMILY_NAME, KIPC_FAMILY_NAME,
			 sizeof(KIPC_FAMILY_NAME));
	q.n.nlmsg_len = p - (unsigned char *)&q;
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (kipc_nl_send(fd, &q, q.n.nlmsg_len) || poll(&pfd, 1, 5000) != 1 ||
	    (len = recv(fd, nlbuf, NLBUF, 0)) < 0) {
		close(fd);
		return -EIO;
	}
	close(fd);
	for (struct nlmsghdr *n = (void *)nlbuf; NLMSG_OK(n, (size_t)len);
	     n = NLMSG_NEXT(n, len))
		if (n->nlmsg_type == GENL_ID_CTRL)
			kipc_nl_ctrl_parse(n, KIPC_MCGRP_EVENTS, &fam_id,
					   &fam_events);
	return fam_id && fam_events ? 0 : -ENOENT;
}

/* An object as a dump shows it: what must not change when a call fails. */
struct fi_obj {
	uint32_t id, kind, refs;
	bool linked;
	uint64_t charge;
	uint64_t stat[16];
	char name[KIPC_NAME_MAX + 2];
};

/* What a dump or get brought back. */
struct fi_answer {
	struct fi_obj objs[FI_MAX_OBJS];
	int n;
	int error;		/* the errno of an NLMSG_ERROR, or 0 */
	int sock_error;		/* a recv() error: ENOBUFS */
	bool done;		/* NLMSG_DONE, or the one reply of a get */
	uint8_t cmds[FI_MAX_OBJS];	/* for events: their commands */
};

static void parse_obj(const struct nlmsghdr *n, struct fi_obj *o)
{
	const struct nlattr *tb[KIPC_A_OBJ_MAX + 1] = { 0 };
	const struct nlattr *st[16] = { 0 };
	const unsigned char *p = NLMSG_DATA(n);
	int nest;

	memset(o, 0, sizeof(*o));
	if (kipc_nla_walk(p + GENL_HDRLEN,
			  n->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, tb,
			  KIPC_A_OBJ_MAX))
		return;
	if (tb[KIPC_A_OBJ_ID])
		o->id = kipc_nla_uint(tb[KIPC_A_OBJ_ID]);
	if (tb[KIPC_A_OBJ_KIND])
		o->kind = kipc_nla_uint(tb[KIPC_A_OBJ_KIND]);
	if (tb[KIPC_A_OBJ_REFS])
		o->refs = kipc_nla_uint(tb[KIPC_A_OBJ_REFS]);
	if (tb[KIPC_A_OBJ_CHARGE])
		o->charge = kipc_nla_uint(tb[KIPC_A_OBJ_CHARGE]);
	o->linked = tb[KIPC_A_OBJ_LINKED];
	if (tb[KIPC_A_OBJ_NAME])
		snprintf(o->name, sizeof(o->name), "%s",
			 (const char *)tb[KIPC_A_OBJ_NAME] + NLA_HDRLEN);
	nest = o->kind == KIPC_KIND_MQ ? KIPC_A_OBJ_MQ :
	       o->kind == KIPC_KIND_BUF ? KIPC_A_OBJ_BUF : KIPC_A_OBJ_SEM;
	if (!tb[nest] ||
	    kipc_nla_walk((const unsigned char *)tb[nest] + NLA_HDRLEN,
			  tb[nest]->nla_len - NLA_HDRLEN, st, 15))
		return;
	for (int t = 1; t < 16; t++)
		if (st[t])
			o->stat[t] = kipc_nla_uint(st[t]);
}

/* Send a get (@id) or a dump (@id 0) of this IPC namespace: 0 or -errno. */
static int nl_request(int fd, uint32_t id)
{
	struct nlreq q = { 0 };
	unsigned char *p = q.attrs;

	q.n.nlmsg_type = fam_id;
	q.n.nlmsg_flags = NLM_F_REQUEST | (id ? 0 : NLM_F_DUMP);
	q.n.nlmsg_seq = 1;
	q.g.cmd = KIPC_NL_CMD_OBJ_GET;
	q.g.version = KIPC_FAMILY_VERSION;
	if (id)
		p = kipc_nla_put(p, KIPC_A_OBJ_ID, &id, sizeof(id));
	q.n.nlmsg_len = p - (unsigned char *)&q;
	return kipc_nl_send(fd, &q, q.n.nlmsg_len);
}

/*
 * Read what is queued on @fd (and what a dump makes as it is read),
 * without waiting, into @a: until the answer is complete, an error, or
 * nothing more is there.
 */
static void nl_collect(int fd, struct fi_answer *a)
{
	for (;;) {
		ssize_t len = recv(fd, nlbuf, NLBUF, MSG_DONTWAIT);

		if (len < 0) {
			if (errno != EAGAIN)
				a->sock_error = errno;
			if (errno == EAGAIN || errno == ENOBUFS)
				return;
			continue;
		}
		for (struct nlmsghdr *n = (void *)nlbuf;
		     NLMSG_OK(n, (size_t)len); n = NLMSG_NEXT(n, len)) {
			if (n->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(n);

				a->error = -e->error;
				return;
			}
			if (n->nlmsg_type == NLMSG_DONE) {
				a->done = true;
				return;
			}
			if (n->nlmsg_type != fam_id || a->n >= FI_MAX_OBJS)
				continue;
			a->cmds[a->n] = ((struct genlmsghdr *)NLMSG_DATA(n))->cmd;
			parse_obj(n, &a->objs[a->n++]);
			if (!(n->nlmsg_flags & NLM_F_MULTI) && n->nlmsg_seq)
				a->done = true;
		}
	}
}

/* A dump of this IPC namespace, with no fault: complete or it fails. */
static void nl_dump(struct __test_metadata *_metadata, struct fi_answer *a)
{
	int fd = kipc_nl_open();

	ASSERT_LE(0, fd);
	memset(a, 0, sizeof(*a));
	ASSERT_EQ(0, nl_request(fd, 0));
	for (int tries = 0; !a->done && !a->error && tries < 1000; tries++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		poll(&p, 1, 100);
		nl_collect(fd, a);
	}
	close(fd);
	ASSERT_TRUE(a->done) TH_LOG("dump: error %d, socket %d", a->error,
				    a->sock_error);
	ASSERT_EQ(0, a->error);
	ASSERT_EQ(0, a->sock_error);
}

/* ---- the state that a failed call must leave as it was ---- */

struct fi_state {
	struct fi_answer dump;
	int lowest_fd;
	uint64_t charge;
};

static void state_take(struct __test_metadata *_metadata, struct fi_state *s)
{
	int fd = dup(0);

	ASSERT_LE(0, fd);
	close(fd);
	s->lowest_fd = fd;
	nl_dump(_metadata, &s->dump);
	s->charge = 0;
	for (int i = 0; i < s->dump.n; i++)
		s->charge += s->dump.objs[i].charge;
}

static void state_same(struct __test_metadata *_metadata, const char *what,
		       const struct fi_state *a, const struct fi_state *b)
{
	ASSERT_EQ(a->lowest_fd, b->lowest_fd) TH_LOG("%s: the fd table changed", what);
	ASSERT_EQ(a->dump.n, b->dump.n) TH_LOG("%s: %d objects, then %d", what,
					       a->dump.n, b->dump.n);
	for (int i = 0; i < a->dump.n; i++) {
		const struct fi_obj *x = &a->dump.objs[i], *y = &b->dump.objs[i];

		ASSERT_TRUE(x->id == y->id && x->kind == y->kind &&
			    x->refs == y->refs && x->linked == y->linked &&
			    x->charge == y->charge && !strcmp(x->name, y->name) &&
			    !memcmp(x->stat, y->stat, sizeof(x->stat)))
			TH_LOG("%s: object %u changed (refs %u/%u, linked %d/%d, name '%s'/'%s')",
			       what, x->id, x->refs, y->refs, x->linked,
			       y->linked, x->name, y->name);
	}
}

/* ---- the owner's quota, measured by its limits ---- */

static uint64_t mq_overhead;	/* a queue's charge beyond its payload */

static int param(const char *name, unsigned int val)
{
	char b[16];
	int ret;

	snprintf(b, sizeof(b), "%u", val);
	setfsuid(0);
	ret = kipc_param_set(name, b);
	setfsuid(fi_uid);
	return ret;
}

static int mq_create(int ctl, const char *name, uint32_t flags,
		     uint32_t max_msgs, uint32_t msg_size, int *fd)
{
	struct kipc_mq_open o = {
		.size = sizeof(o), .flags = flags,
		.name = (uintptr_t)name, .name_len = name ? strlen(name) : 0,
		.mode = 0600, .max_msgs = max_msgs, .msg_size = msg_size,
		.fd = -1,
	};
	int ret = ioctl(ctl, KIPC_IOC_MQ_OPEN, &o) ? errno : 0;

	*fd = ret ? -1 : o.fd;
	return ret;
}

static int sem_create(int ctl, const char *name, uint32_t flags,
		      uint32_t value, int *fd)
{
	struct kipc_sem_open o = {
		.size = sizeof(o), .flags = flags,
		.name = (uintptr_t)name, .name_len = name ? strlen(name) : 0,
		.mode = 0600, .value = value, .max = 100, .fd = -1,
	};
	int ret = ioctl(ctl, KIPC_IOC_SEM_OPEN, &o) ? errno : 0;

	*fd = ret ? -1 : o.fd;
	return ret;
}

static int buf_create(int ctl, const char *name, uint32_t flags,
		      uint64_t size, int *fd)
{
	struct kipc_buf_open o = {
		.size = sizeof(o), .flags = flags,
		.name = (uintptr_t)name, .name_len = name ? strlen(name) : 0,
		.mode = 0600, .buf_size = size, .fd = -1,
	};
	int ret = ioctl(ctl, KIPC_IOC_BUF_OPEN, &o) ? errno : 0;

	*fd = ret ? -1 : o.fd;
	return ret;
}

/*
 * fi_uid owns exactly the @s's objects, charged exactly their charges:
 * with its object limit at that count plus one, one more object is made
 * and a second refused; with its byte quota at the charges plus room R,
 * a queue charging R is made and one charging R + 1 refused.
 */
static void ledger_check(struct __test_metadata *_metadata, int ctl,
			 const struct fi_state *s)
{
	unsigned int quota_mb = s->charge / MIB + 2;
	uint64_t room = (uint64_t)quota_mb * MIB - s->charge - mq_overhead;
	int a, b, ret;

	ASSERT_EQ(0, param("max_objects_per_user", s->dump.n + 1));
	ret = sem_create(ctl, NULL, RW | KIPC_OPEN_CREATE, 0, &a);
	ASSERT_EQ(0, ret) TH_LOG("%d objects: the user is charged more", s->dump.n);
	ret = sem_create(ctl, NULL, RW | KIPC_OPEN_CREATE, 0, &b);
	close(a);
	ASSERT_EQ(EDQUOT, ret) TH_LOG("%d objects: the user is charged fewer",
				      s->dump.n);
	ASSERT_EQ(0, param("max_objects_per_user", 8192));

	ASSERT_EQ(0, param("mq_max_msgsize", 16 * MIB));
	ASSERT_EQ(0, param("user_quota_mb", quota_mb));
	ret = mq_create(ctl, NULL, RW | KIPC_OPEN_CREATE, 1, room, &a);
	ASSERT_EQ(0, ret) TH_LOG("%llu bytes: the user is charged more",
				 (unsigned long long)s->charge);
	ret = mq_create(ctl, NULL, RW | KIPC_OPEN_CREATE, 1, room + 1, &b);
	close(a);
	ASSERT_EQ(EDQUOT, ret) TH_LOG("%llu bytes: the user is charged less",
				      (unsigned long long)s->charge);
	ASSERT_EQ(0, param("user_quota_mb", 256));
	ASSERT_EQ(0, param("mq_max_msgsize", MIB));
}

/* ---- the fixture ---- */

FIXTURE(fi)
{
	const char *skip;
	int ctl;
	int fd, fd2;		/* the object a case works on, and another */
	char *map;
	int lsn;		/* an events listener, or -1 */
	struct fi_answer events;
	int points;		/* injection points the last loop went through */
	const char *name;	/* of the object a case makes or opens */
	uint32_t flags;		/* its open flags */
	uint32_t kind;
	int ret;		/* what a batch answered */
	uint8_t event;		/* the event the call must send, or 0 */
};

#define REQUIRE_FI()							\
	do {								\
		if (self->skip)						\
			SKIP(return, "%s", self->skip);			\
	} while (0)

FIXTURE_SETUP(fi)
{
	struct fi_state s;
	int fd;

	self->ctl = self->fd = self->fd2 = self->lsn = -1;
	self->map = MAP_FAILED;
	if (geteuid()) {
		self->skip = "needs root";
		return;
	}
	self->skip = fault_setup();
	if (self->skip)
		return;
	if (access("/dev/kipc", F_OK)) {
		self->skip = "kipc is not loaded";
		return;
	}
	/* a namespace of our own: the dump shows what the test made */
	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	ASSERT_EQ(0, resolve_family());
	fi_uid = FI_UID_BASE + getpid();
	setfsuid(fi_uid);
	self->ctl = open("/dev/kipc", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->ctl);

	/* what a queue charges beyond max_msgs x msg_size */
	ASSERT_EQ(0, mq_create(self->ctl, NULL, RW | KIPC_OPEN_CREATE, 1, 1, &fd));
	state_take(_metadata, &s);
	ASSERT_EQ(1, s.dump.n);
	mq_overhead = s.charge - 1;
	close(fd);
}

FIXTURE_TEARDOWN(fi)
{
	if (self->map != MAP_FAILED)
		munmap(self->map, 4 * PAGE);
	if (self->lsn >= 0)
		close(self->lsn);
	if (self->fd2 >= 0)
		close(self->fd2);
	if (self->fd >= 0)
		close(self->fd);
	if (self->ctl >= 0)
		close(self->ctl);
	setfsuid(0);
	if (!self->skip) {
		kipc_param_set("max_objects_per_user", "8192");
		kipc_param_set("user_quota_mb", "256");
		kipc_param_set("mq_max_msgsize", "1048576");
	}
	fault_restore();
}

/*
 * One call of a case: @run makes it (inside the armed window: nothing
 * else there), @prepare sets the state up before it, @check checks what
 * a call that worked did and undoes it, @cleanup puts back what @prepare
 * made; each may be NULL.
 */
struct fi_case {
	const char *name;
	void (*prepare)(struct __test_metadata *, FIXTURE_DATA(fi) *);
	int (*run)(FIXTURE_DATA(fi) *);
	void (*check)(struct __test_metadata *, FIXTURE_DATA(fi) *);
	void (*cleanup)(struct __test_metadata *, FIXTURE_DATA(fi) *);
	int alt_errno;		/* accepted beside ENOMEM, or 0 */
};

static void drain_events(FIXTURE_DATA(fi) *self)
{
	memset(&self->events, 0, sizeof(self->events));
	if (self->lsn >= 0)
		nl_collect(self->lsn, &self->events);
}

/*
 * The loop: fail the first, second, ... injection point of the case's
 * call until the call reaches none. Returns the number of points.
 */
static int fi_loop(struct __test_metadata *_metadata, FIXTURE_DATA(fi) *self,
		   const struct fi_case *c)
{
	struct fi_state before, after;
	uint64_t t0 = mono_ns();
	unsigned int n;
	bool fired;
	int err;

	for (n = 1; ; n++) {
		ASSERT_GT(FI_MAX_POINTS, n) TH_LOG("%s: no end", c->name);
		if (c->prepare)
			c->prepare(_metadata, self);
		drain_events(self);
		state_take(_metadata, &before);

		fi_arm(n);
		err = c->run(self);
		fired = fi_fired();

		if (!err) {
			if (c->check)
				c->check(_metadata, self);
		} else {
			ASSERT_TRUE(fired)
				TH_LOG("%s: %s without a fault", c->name,
				       strerror(err));
			ASSERT_TRUE(err == ENOMEM ||
				    (c->alt_errno && err == c->alt_errno))
				TH_LOG("%s: fault %u: %s", c->name, n,
				       strerror(err));
			state_take(_metadata, &after);
			state_same(_metadata, c->name, &before, &after);
		}
		if (c->cleanup)
			c->cleanup(_metadata, self);
		state_take(_metadata, &after);
		ledger_check(_metadata, self->ctl, &after);
		if (!fired)
			break;
	}
	self->points = n - 1;
	fprintf(stderr, "# %s: %u injection points, each failed once; %.1f s\n",
		c->name, n - 1, (mono_ns() - t0) / 1e9);
	return n - 1;
}

/* ---- opening /dev/kipc ---- */

static int run_ctl_open(FIXTURE_DATA(fi) *self)
{
	self->fd = open("/dev/kipc", O_RDWR | O_CLOEXEC);
	return self->fd < 0 ? errno : 0;
}

static void check_version(struct __test_metadata *_metadata,
			  FIXTURE_DATA(fi) *self)
{
	struct kipc_version v = { .size = sizeof(v) };

	ASSERT_EQ(0, ioctl(self->fd, KIPC_IOC_VERSION, &v));
	ASSERT_EQ(KIPC_ABI_VERSION, v.abi_version);
	close(self->fd);
	self->fd = -1;
}

TEST_F_TIMEOUT(fi, ctl_open, 300)
{
	static const struct fi_case c = {
		.name = "open /dev/kipc",
		.run = run_ctl_open,
		.check = check_version,
	};

	REQUIRE_FI();
	fi_loop(_metadata, self, &c);
	ASSERT_LT(0, self->points);
}

/* The first open in an IPC namespace makes its registry. */
static void prepare_new_ns(struct __test_metadata *_metadata,
			   FIXTURE_DATA(fi) *self)
{
	(void)self;
	setfsuid(0);
	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	setfsuid(fi_uid);
}

TEST_F_TIMEOUT(fi, ctl_open_new_namespace, 300)
{
	static const struct fi_case c = {
		.name = "open /dev/kipc in a new IPC namespace",
		.prepare = prepare_new_ns,
		.run = run_ctl_open,
		.check = check_version,
	};

	REQUIRE_FI();
	fi_loop(_metadata, self, &c);
	ASSERT_LT(0, self->points);
}

/* ---- creating and opening each kind ---- */

static int open_kind(FIXTURE_DATA(fi) *self, int *fd)
{
	switch (self->kind) {
	case KIPC_KIND_MQ:
		return mq_create(self->ctl, self->name, self->flags, 4, 64, fd);
	case KIPC_KIND_BUF:
		return buf_create(self->ctl, self->name, self->flags, 4 * PAGE,
				  fd);
	default:
		return sem_create(self->ctl, self->name, self->flags, 1, fd);
	}
}

static int unlink_kind(FIXTURE_DATA(fi) *self)
{
	struct kipc_unlink u = {
		.size = sizeof(u), .kind = self->kind,
		.name = (uintptr_t)self->name, .name_len = strlen(self->name),
	};

	return ioctl(self->ctl, KIPC_IOC_UNLINK, &u) ? errno : 0;
}

static int run_open(FIXTURE_DATA(fi) *self)
{
	return open_kind(self, &self->fd);
}

/* The new fd is its kind's: its stat works; then close, and unlink. */
static void check_opened(struct __test_metadata *_metadata,
			 FIXTURE_DATA(fi) *self)
{
	union {
		struct kipc_mq_stat mq;
		struct kipc_buf_stat buf;
		struct kipc_sem_stat sem;
	} st;
	unsigned long cmd = self->kind == KIPC_KIND_MQ ? KIPC_IOC_MQ_STAT :
			    self->kind == KIPC_KIND_BUF ? KIPC_IOC_BUF_STAT :
			    KIPC_IOC_SEM_STAT;

	memset(&st, 0, sizeof(st));
	st.mq.size = self->kind == KIPC_KIND_MQ ? sizeof(st.mq) :
		     self->kind == KIPC_KIND_BUF ? sizeof(st.buf) :
		     sizeof(st.sem);
	ASSERT_EQ(0, ioctl(self->fd, cmd, &st));
	close(self->fd);
	self->fd = -1;
	/* a name this call made goes; one that was there (fd2) stays */
	if (self->name && self->fd2 < 0)
		ASSERT_EQ(0, unlink_kind(self));
}

/* For the cases that open what exists: the object, named, in fd2. */
static void prepare_existing(struct __test_metadata *_metadata,
			     FIXTURE_DATA(fi) *self)
{
	uint32_t flags = self->flags;

	if (self->fd2 >= 0)
		return;
	self->flags = RW | KIPC_OPEN_CREATE | KIPC_OPEN_EXCL;
	ASSERT_EQ(0, open_kind(self, &self->fd2));
	self->flags = flags;
}

static void open_cases(struct __test_metadata *_metadata,
		       FIXTURE_DATA(fi) *self, uint32_t kind, const char *what)
{
	static const struct {
		const char *what;
		uint32_t flags;
		bool named, existing;
	} v[] = {
		{ "anonymous", KIPC_OPEN_CREATE, false, false },
		{ "named, create", KIPC_OPEN_CREATE, true, false },
		{ "named, create exclusive",
		  KIPC_OPEN_CREATE | KIPC_OPEN_EXCL | KIPC_OPEN_CLOEXEC, true,
		  false },
		{ "named, open existing", KIPC_OPEN_NONBLOCK, true, true },
		{ "named, create existing", KIPC_OPEN_CREATE, true, true },
	};
	char label[128];

	for (size_t i = 0; i < KIPC_ARRAY_SIZE(v); i++) {
		struct fi_case c = {
			.name = label,
			.prepare = v[i].existing ? prepare_existing : NULL,
			.run = run_open,
			.check = check_opened,
		};

		snprintf(label, sizeof(label), "%s open, %s", what, v[i].what);
		self->kind = kind;
		self->name = v[i].named ? "/fault" : NULL;
		self->flags = RW | v[i].flags;
		fi_loop(_metadata, self, &c);
		if (v[i].named && !v[i].existing)
			ASSERT_LT(0, self->points);
		if (self->fd2 >= 0) {
			close(self->fd2);
			self->fd2 = -1;
			ASSERT_EQ(0, unlink_kind(self));
		}
	}
}

TEST_F_TIMEOUT(fi, mq_open, 300)
{
	REQUIRE_FI();
	open_cases(_metadata, self, KIPC_KIND_MQ, "queue");
}

TEST_F_TIMEOUT(fi, buf_open, 300)
{
	REQUIRE_FI();
	open_cases(_metadata, self, KIPC_KIND_BUF, "buffer");
}

TEST_F_TIMEOUT(fi, sem_open, 300)
{
	REQUIRE_FI();
	open_cases(_metadata, self, KIPC_KIND_SEM, "semaphore");
}

/* Reopen of a buffer or semaphore fd: a new file on the same object. */
static int run_reopen(FIXTURE_DATA(fi) *self)
{
	struct kipc_sem_reopen r = {
		.size = sizeof(r), .flags = self->flags, .fd = -1,
	};
	unsigned long cmd = self->kind == KIPC_KIND_BUF ? KIPC_IOC_BUF_REOPEN :
			    KIPC_IOC_SEM_REOPEN;

	_Static_assert(sizeof(struct kipc_buf_reopen) ==
		       sizeof(struct kipc_sem_reopen), "reopen structs");
	if (ioctl(self->fd2, cmd, &r))
		return errno;
	self->fd = r.fd;
	return 0;
}

TEST_F_TIMEOUT(fi, reopen, 300)
{
	const struct fi_case c = {
		.name = "reopen", .run = run_reopen, .check = check_opened,
	};
	uint32_t kinds[] = { KIPC_KIND_BUF, KIPC_KIND_SEM };

	REQUIRE_FI();
	for (size_t i = 0; i < KIPC_ARRAY_SIZE(kinds); i++) {
		self->kind = kinds[i];
		self->name = NULL;
		self->flags = RW | KIPC_OPEN_CREATE;
		ASSERT_EQ(0, open_kind(self, &self->fd2));
		self->flags = RW | (kinds[i] == KIPC_KIND_SEM ? KIPC_OPEN_UNDO : 0);
		fi_loop(_metadata, self, &c);
		ASSERT_LT(0, self->points);
		close(self->fd2);
		self->fd2 = -1;
	}
}

/* ---- unlink, with and without an events listener ---- */

static void prepare_named(struct __test_metadata *_metadata,
			  FIXTURE_DATA(fi) *self)
{
	self->flags = RW | KIPC_OPEN_CREATE | KIPC_OPEN_EXCL;
	ASSERT_EQ(0, open_kind(self, &self->fd));
}

static int run_unlink(FIXTURE_DATA(fi) *self)
{
	return unlink_kind(self);
}

/* The call's event came, or the listener learnt that one was lost. */
static void expect_event(struct __test_metadata *_metadata,
			 FIXTURE_DATA(fi) *self)
{
	bool seen = false;

	if (self->lsn < 0 || !self->event)
		return;
	nl_collect(self->lsn, &self->events);
	for (int i = 0; i < self->events.n; i++)
		seen |= self->events.cmds[i] == self->event;
	ASSERT_TRUE(seen || self->events.sock_error == ENOBUFS)
		TH_LOG("event %u neither sent nor reported lost (%d)",
		       self->event, self->events.sock_error);
}

static void check_unlinked(struct __test_metadata *_metadata,
			   FIXTURE_DATA(fi) *self)
{
	expect_event(_metadata, self);
	/* gone from the name table: it can be made again */
	ASSERT_EQ(ENOENT, unlink_kind(self));
}

static void cleanup_fd(struct __test_metadata *_metadata,
		       FIXTURE_DATA(fi) *self)
{
	(void)_metadata;
	if (self->fd >= 0)
		close(self->fd);
	self->fd = -1;
	/* a failed unlink left the name */
	if (self->name)
		unlink_kind(self);
}

static void listen_events(struct __test_metadata *_metadata,
			  FIXTURE_DATA(fi) *self)
{
	int rcvbuf = 1 << 20;

	self->lsn = kipc_nl_open();
	ASSERT_LE(0, self->lsn);
	ASSERT_EQ(0, setsockopt(self->lsn, SOL_NETLINK,
				NETLINK_ADD_MEMBERSHIP, &fam_events,
				sizeof(fam_events)));
	setsockopt(self->lsn, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
}

TEST_F_TIMEOUT(fi, unlink, 300)
{
	const struct fi_case c = {
		.name = "unlink", .prepare = prepare_named, .run = run_unlink,
		.check = check_unlinked, .cleanup = cleanup_fd,
	};

	REQUIRE_FI();
	self->kind = KIPC_KIND_SEM;
	self->name = "/unlink";
	fi_loop(_metadata, self, &c);
	listen_events(_metadata, self);
	self->event = KIPC_NL_CMD_OBJ_UNLINK_NTF;
	fi_loop(_metadata, self, &c);
	ASSERT_LT(0, self->points);
}

/* ---- message queues: send, receive, batches ---- */

#define SMALL	100
#define LARGE	(256 << 10)
/* beyond kmalloc's largest (4 MiB): kvmalloc() goes to vmalloc() at once */
#define HUGE	(5 << 20)
static char payload[HUGE], answer[HUGE];

static int send_len(int fd, uint32_t len)
{
	struct kipc_mq_send m = {
		.size = sizeof(m), .flags = KIPC_MQ_NONBLOCK,
		.buf = (uintptr_t)payload, .len = len, .prio = 3, .type = 7,
	};

	return ioctl(fd, KIPC_IOC_MQ_SEND, &m) ? errno : 0;
}

static int recv_len(int fd, uint32_t *len)
{
	struct kipc_mq_recv r = {
		.size = sizeof(r), .flags = KIPC_MQ_NONBLOCK,
		.buf = (uintptr_t)answer, .len = sizeof(answer),
	};

	if (ioctl(fd, KIPC_IOC_MQ_RECV, &r))
		return errno;
	*len = r.len;
	return 0;
}

/* The queue holds one message, @payload's first @len bytes: take it. */
static void take_one(struct __test_metadata *_metadata, int fd, uint32_t len)
{
	uint32_t got = 0;

	ASSERT_EQ(0, recv_len(fd, &got));
	ASSERT_EQ(len, got);
	ASSERT_EQ(0, memcmp(payload, answer, len));
	ASSERT_EQ(EAGAIN, recv_len(fd, &got));
}

static int run_send_small(FIXTURE_DATA(fi) *self)
{
	return send_len(self->fd, SMALL);
}

static int run_send_large(FIXTURE_DATA(fi) *self)
{
	return send_len(self->fd, LARGE);
}

static void check_sent_small(struct __test_metadata *_metadata,
			     FIXTURE_DATA(fi) *self)
{
	expect_event(_metadata, self);
	take_one(_metadata, self->fd, SMALL);
}

static void check_sent_large(struct __test_metadata *_metadata,
			     FIXTURE_DATA(fi) *self)
{
	take_one(_metadata, self->fd, LARGE);
}

static int run_send_huge(FIXTURE_DATA(fi) *self)
{
	return send_len(self->fd2, HUGE);
}

static void check_sent_huge(struct __test_metadata *_metadata,
			    FIXTURE_DATA(fi) *self)
{
	take_one(_metadata, self->fd2, HUGE);
}

static void prepare_one(struct __test_metadata *_metadata,
			FIXTURE_DATA(fi) *self)
{
	ASSERT_EQ(0, send_len(self->fd, SMALL));
}

static int run_recv(FIXTURE_DATA(fi) *self)
{
	uint32_t len = 0;
	int ret = recv_len(self->fd, &len);

	return ret ?: len == SMALL ? 0 : EBADMSG;
}

static void check_received(struct __test_metadata *_metadata,
			   FIXTURE_DATA(fi) *self)
{
	uint32_t len = 0;

	expect_event(_metadata, self);
	ASSERT_EQ(0, memcmp(payload, answer, SMALL));
	ASSERT_EQ(EAGAIN, recv_len(self->fd, &len));
}

#define BATCH	4

static char answers[BATCH][SMALL];

/* A batch of BATCH entries of SMALL bytes, sent or received: 0 or errno. */
static int run_batch(FIXTURE_DATA(fi) *self, unsigned long cmd)
{
	struct kipc_mq_msg m[BATCH];
	struct kipc_mq_batch b = {
		.size = sizeof(b), .flags = KIPC_MQ_NONBLOCK,
		.msgs = (uintptr_t)m, .count = BATCH, .msg_size = sizeof(m[0]),
	};

	memset(m, 0, sizeof(m));
	for (int i = 0; i < BATCH; i++) {
		/* the kernel reads them: m is the ioctl's, through b */
		/* cppcheck-suppress unreadVariable */
		m[i].buf = cmd == KIPC_IOC_MQ_SENDV ? (uintptr_t)(payload + i) :
						      (uintptr_t)answers[i];
		/* cppcheck-suppress unreadVariable */
		m[i].len = SMALL;
	}
	self->ret = ioctl(self->fd, cmd, &b);
	return self->ret < 0 ? errno : 0;
}

static int run_sendv(FIXTURE_DATA(fi) *self)
{
	return run_batch(self, KIPC_IOC_MQ_SENDV);
}

/*
 * A batch stops at the first message it cannot allocate and answers how
 * many it queued, failing only if that is none (docs/abi.md, "Batches"):
 * those are the first, in order.
 */
static void check_sentv(struct __test_metadata *_metadata,
			FIXTURE_DATA(fi) *self)
{
	uint32_t len = 0;

	ASSERT_LT(0, self->ret);
	ASSERT_GE(BATCH, self->ret);
	for (int i = 0; i < self->ret; i++) {
		ASSERT_EQ(0, recv_len(self->fd, &len));
		ASSERT_EQ(SMALL, len);
		ASSERT_EQ(0, memcmp(payload + i, answer, SMALL));
	}
	ASSERT_EQ(EAGAIN, recv_len(self->fd, &len));
}

static void prepare_batch(struct __test_metadata *_metadata,
			  FIXTURE_DATA(fi) *self)
{
	for (int i = 0; i < BATCH; i++)
		ASSERT_EQ(0, send_len(self->fd, SMALL));
}

static int run_recvv(FIXTURE_DATA(fi) *self)
{
	return run_batch(self, KIPC_IOC_MQ_RECVV);
}

static void check_receivedv(struct __test_metadata *_metadata,
			    FIXTURE_DATA(fi) *self)
{
	uint32_t len = 0;

	ASSERT_EQ(BATCH, self->ret);
	for (int i = 0; i < BATCH; i++)
		ASSERT_EQ(0, memcmp(payload, answers[i], SMALL));
	ASSERT_EQ(EAGAIN, recv_len(self->fd, &len));
}

TEST_F_TIMEOUT(fi, mq_send_recv, 300)
{
	/*
	 * A 256 KiB message is a kmalloc() of 64 pages, whose failure
	 * kvmalloc() makes up for with vmalloc(): optional, the send works.
	 * fail-nth fails one point only, so vmalloc()'s own points are
	 * failed with a 5 MiB message, which kmalloc() refuses before the
	 * page allocator is asked.
	 */
	const struct fi_case cases[] = {
		{ .name = "send 100 bytes", .run = run_send_small,
		  .check = check_sent_small },
		{ .name = "send 256 KiB", .run = run_send_large,
		  .check = check_sent_large },
		{ .name = "send 5 MiB", .run = run_send_huge,
		  .check = check_sent_huge },
		{ .name = "receive", .prepare = prepare_one, .run = run_recv,
		  .check = check_received },
		{ .name = "send a batch of 4", .run = run_sendv,
		  .check = check_sentv },
		{ .name = "receive a batch of 4", .prepare = prepare_batch,
		  .run = run_recvv, .check = check_receivedv },
	};
	int points[KIPC_ARRAY_SIZE(cases)];

	REQUIRE_FI();
	for (int i = 0; i < HUGE; i++)
		payload[i] = i * 7 + i / 251;
	ASSERT_EQ(0, mq_create(self->ctl, NULL, RW | KIPC_OPEN_CREATE, BATCH,
			       LARGE, &self->fd));
	ASSERT_EQ(0, param("mq_max_msgsize", HUGE));
	ASSERT_EQ(0, mq_create(self->ctl, NULL, RW | KIPC_OPEN_CREATE, 1,
			       HUGE, &self->fd2));
	for (size_t i = 0; i < KIPC_ARRAY_SIZE(cases); i++)
		points[i] = fi_loop(_metadata, self, &cases[i]);
	ASSERT_LT(0, points[0]);
	ASSERT_LT(points[1], points[2]);
	ASSERT_LT(0, points[4]);
}

static void check_event(struct __test_metadata *_metadata,
			FIXTURE_DATA(fi) *self)
{
	expect_event(_metadata, self);
}

/* The queue's full and empty events: lost ones are reported. */
static void prepare_almost_full(struct __test_metadata *_metadata,
				FIXTURE_DATA(fi) *self)
{
	for (int i = 0; i < BATCH - 1; i++)
		ASSERT_EQ(0, send_len(self->fd, SMALL));
}

static void drain(struct __test_metadata *_metadata, FIXTURE_DATA(fi) *self)
{
	uint32_t len = 0;

	(void)_metadata;
	while (!recv_len(self->fd, &len))
		;
}

TEST_F_TIMEOUT(fi, mq_events, 300)
{
	const struct fi_case full = {
		.name = "send filling the queue, listened to",
		.prepare = prepare_almost_full, .run = run_send_small,
		.check = check_event, .cleanup = drain,
	};
	const struct fi_case empty = {
		.name = "receive emptying the queue, listened to",
		.prepare = prepare_one, .run = run_recv,
		.check = check_received, .cleanup = drain,
	};

	REQUIRE_FI();
	ASSERT_EQ(0, mq_create(self->ctl, NULL, RW | KIPC_OPEN_CREATE, BATCH,
			       SMALL, &self->fd));
	listen_events(_metadata, self);
	self->event = KIPC_NL_CMD_MQ_FULL_NTF;
	fi_loop(_metadata, self, &full);
	ASSERT_LT(0, self->points);
	self->event = KIPC_NL_CMD_MQ_EMPTY_NTF;
	fi_loop(_metadata, self, &empty);
	ASSERT_LT(0, self->points);
}

/* Objects made and destroyed, listened to. */
static int run_close(FIXTURE_DATA(fi) *self)
{
	int ret = close(self->fd) ? errno : 0;

	self->fd = -1;
	return ret;
}

static void prepare_anon(struct __test_metadata *_metadata,
			 FIXTURE_DATA(fi) *self)
{
	ASSERT_EQ(0, open_kind(self, &self->fd));
}

static void check_created(struct __test_metadata *_metadata,
			  FIXTURE_DATA(fi) *self)
{
	expect_event(_metadata, self);
	check_opened(_metadata, self);
}

TEST_F_TIMEOUT(fi, life_events, 300)
{
	const struct fi_case create = {
		.name = "create, listened to", .run = run_open,
		.check = check_created,
	};
	const struct fi_case destroy = {
		.name = "last close, listened to", .prepare = prepare_anon,
		.run = run_close, .check = check_event,
	};

	REQUIRE_FI();
	listen_events(_metadata, self);
	self->kind = KIPC_KIND_SEM;
	self->flags = RW | KIPC_OPEN_CREATE | KIPC_OPEN_EXCL;
	self->name = "/events";
	self->event = KIPC_NL_CMD_OBJ_ADD_NTF;
	fi_loop(_metadata, self, &create);
	self->name = NULL;
	self->flags = RW | KIPC_OPEN_CREATE;
	self->event = KIPC_NL_CMD_OBJ_DEL_NTF;
	fi_loop(_metadata, self, &destroy);
	ASSERT_LT(0, self->points);
}

/* ---- buffers: mmap, page faults, wait and wake ---- */

static int run_mmap(FIXTURE_DATA(fi) *self)
{
	self->map = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 self->fd, 0);
	return self->map == MAP_FAILED ? errno : 0;
}

static sigjmp_buf on_sigbus;

static void sigbus(int sig)
{
	(void)sig;
	siglongjmp(on_sigbus, 1);
}

/* The pattern, by page, through the mapping: faults each page in. */
static int run_touch(FIXTURE_DATA(fi) *self)
{
	volatile uint32_t *w;
	int i;

	for (i = 0; i < 4; i++) {
		w = (volatile uint32_t *)(self->map + i * PAGE + 64);
		if (sigsetjmp(on_sigbus, 1))
			return EFAULT;	/* SIGBUS: see the case */
		if (*w != 0x5a5a0000u + i)
			return EBADMSG;
		*w = 0x5a5a0000u + i;
	}
	return 0;
}

static void check_mapped(struct __test_metadata *_metadata,
			 FIXTURE_DATA(fi) *self)
{
	struct kipc_buf_stat st = { .size = sizeof(st) };

	ASSERT_EQ(0, run_touch(self));
	ASSERT_EQ(0, ioctl(self->fd, KIPC_IOC_BUF_STAT, &st));
	ASSERT_EQ(1, st.mappings);
	munmap(self->map, 4 * PAGE);
	self->map = MAP_FAILED;
}

/*
 * A mapping where nothing was mapped before, 512 GiB apart: its faults
 * allocate the page tables down from the PUD (the buffer's pages exist
 * since its creation).
 */
static void prepare_map(struct __test_metadata *_metadata,
			FIXTURE_DATA(fi) *self)
{
	static uintptr_t next = 0x200000000000;

	/* an address to map at, not a pointer to anything */
	void *at = (void *)next; /* NOLINT(performance-no-int-to-ptr) */

	self->map = mmap(at, 4 * PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED_NOREPLACE, self->fd, 0);
	ASSERT_NE(MAP_FAILED, self->map);
	next += 1ull << 39;
}

static void check_touched(struct __test_metadata *_metadata,
			  FIXTURE_DATA(fi) *self)
{
	(void)_metadata;
	munmap(self->map, 4 * PAGE);
	self->map = MAP_FAILED;
}

static int run_buf_wait(FIXTURE_DATA(fi) *self)
{
	struct kipc_buf_wait w = {
		.size = sizeof(w), .offset = 64, .value = 1,
	};
	struct kipc_buf_wait t = {
		.size = sizeof(t), .flags = KIPC_BUF_DEADLINE, .offset = 64,
		.value = 0x5a5a0000u, .deadline_ns = 1,
	};

	/* the word is not 1: at once; it is the value: until the deadline */
	if (!ioctl(self->fd, KIPC_IOC_BUF_WAIT, &w) || errno != EAGAIN)
		return errno == EAGAIN ? EBADMSG : errno;
	if (!ioctl(self->fd, KIPC_IOC_BUF_WAIT, &t) || errno != ETIMEDOUT)
		return errno == ETIMEDOUT ? EBADMSG : errno;
	return 0;
}

static int run_buf_wake(FIXTURE_DATA(fi) *self)
{
	struct kipc_buf_wake w = { .size = sizeof(w), .offset = 64, .count = 1 };

	return ioctl(self->fd, KIPC_IOC_BUF_WAKE, &w) == 0 ? 0 :
	       errno ?: EBADMSG;
}

static int run_buf_stat(FIXTURE_DATA(fi) *self)
{
	struct kipc_buf_stat st = { .size = sizeof(st) };

	return ioctl(self->fd, KIPC_IOC_BUF_STAT, &st) ? errno : 0;
}

TEST_F_TIMEOUT(fi, buf_map_fault_wait, 300)
{
	const struct fi_case cases[] = {
		{ .name = "buffer mmap", .run = run_mmap,
		  .check = check_mapped },
		/*
		 * A page fault that cannot allocate (a page table) gives
		 * VM_FAULT_OOM, and the kernel retries the fault (nothing
		 * is left armed); SIGBUS (EFAULT here) would be a failure.
		 */
		{ .name = "buffer page faults", .prepare = prepare_map,
		  .run = run_touch, .check = check_touched,
		  .cleanup = check_touched },
		{ .name = "buffer wait", .run = run_buf_wait },
		{ .name = "buffer wake", .run = run_buf_wake },
		{ .name = "buffer stat", .run = run_buf_stat },
	};
	struct sigaction sa = { .sa_handler = sigbus };
	char *m;
	int i;

	REQUIRE_FI();
	ASSERT_EQ(0, sigaction(SIGBUS, &sa, NULL));
	ASSERT_EQ(0, buf_create(self->ctl, NULL, RW | KIPC_OPEN_CREATE,
				4 * PAGE, &self->fd));
	m = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		 0);
	ASSERT_NE(MAP_FAILED, m);
	for (i = 0; i < 4; i++)
		*(uint32_t *)(m + i * PAGE + 64) = 0x5a5a0000u + i;
	munmap(m, 4 * PAGE);
	for (size_t c = 0; c < KIPC_ARRAY_SIZE(cases); c++) {
		fi_loop(_metadata, self, &cases[c]);
		if (c < 2)
			ASSERT_LT(0, self->points);
	}
}

/* ---- semaphores: wait, post, undo, stat ---- */

static int run_sem_wait(FIXTURE_DATA(fi) *self)
{
	struct kipc_sem_wait w = {
		.size = sizeof(w), .flags = KIPC_SEM_NONBLOCK, .count = 1,
	};

	return ioctl(self->fd, KIPC_IOC_SEM_WAIT, &w) ? errno : 0;
}

static int run_sem_post(FIXTURE_DATA(fi) *self)
{
	struct kipc_sem_post p = { .size = sizeof(p), .count = 1 };

	return ioctl(self->fd, KIPC_IOC_SEM_POST, &p) < 0 ? errno : 0;
}

static int run_sem_stat(FIXTURE_DATA(fi) *self)
{
	struct kipc_sem_stat st = { .size = sizeof(st) };

	return ioctl(self->fd, KIPC_IOC_SEM_STAT, &st) ? errno : 0;
}

static void post_back(struct __test_metadata *_metadata,
		      FIXTURE_DATA(fi) *self)
{
	ASSERT_EQ(0, run_sem_post(self));
}

static void wait_back(struct __test_metadata *_metadata,
		      FIXTURE_DATA(fi) *self)
{
	ASSERT_EQ(0, run_sem_wait(self));
}

/* An undo fd (fd) that took 1 of the semaphore (fd2, value 1). */
static void prepare_undo(struct __test_metadata *_metadata,
			 FIXTURE_DATA(fi) *self)
{
	struct kipc_sem_reopen r = {
		.size = sizeof(r), .flags = RW | KIPC_OPEN_UNDO, .fd = -1,
	};

	ASSERT_EQ(0, ioctl(self->fd2, KIPC_IOC_SEM_REOPEN, &r));
	self->fd = r.fd;
	ASSERT_EQ(0, run_sem_wait(self));
}

/* Its release gave the 1 back. */
static void check_undone(struct __test_metadata *_metadata,
			 FIXTURE_DATA(fi) *self)
{
	struct kipc_sem_stat st = { .size = sizeof(st) };

	ASSERT_EQ(0, ioctl(self->fd2, KIPC_IOC_SEM_STAT, &st));
	ASSERT_EQ(1, st.value);
}

TEST_F_TIMEOUT(fi, sem_wait_post_undo, 300)
{
	const struct fi_case cases[] = {
		{ .name = "semaphore wait", .run = run_sem_wait,
		  .check = post_back },
		{ .name = "semaphore post", .prepare = wait_back,
		  .run = run_sem_post },
		{ .name = "semaphore stat", .run = run_sem_stat },
	};
	const struct fi_case undo = {
		.name = "semaphore undo on close", .prepare = prepare_undo,
		.run = run_close, .check = check_undone,
	};

	REQUIRE_FI();
	ASSERT_EQ(0, sem_create(self->ctl, NULL, RW | KIPC_OPEN_CREATE, 1,
				&self->fd));
	for (size_t c = 0; c < KIPC_ARRAY_SIZE(cases); c++)
		fi_loop(_metadata, self, &cases[c]);
	self->fd2 = self->fd;
	self->fd = -1;
	fi_loop(_metadata, self, &undo);
}

/* ---- stat of a queue ---- */

static int run_mq_stat(FIXTURE_DATA(fi) *self)
{
	struct kipc_mq_stat st = { .size = sizeof(st) };

	return ioctl(self->fd, KIPC_IOC_MQ_STAT, &st) ? errno : 0;
}

TEST_F_TIMEOUT(fi, mq_stat, 300)
{
	const struct fi_case c = { .name = "queue stat", .run = run_mq_stat };

	REQUIRE_FI();
	ASSERT_EQ(0, mq_create(self->ctl, NULL, RW | KIPC_OPEN_CREATE, 4, 64,
			       &self->fd));
	fi_loop(_metadata, self, &c);
}

/* ---- netlink: get and dump ---- */

static struct fi_answer nl_answer;

static void prepare_socket(struct __test_metadata *_metadata,
			   FIXTURE_DATA(fi) *self)
{
	self->fd2 = kipc_nl_open();
	ASSERT_LE(0, self->fd2);
}

static void close_socket(struct __test_metadata *_metadata,
			 FIXTURE_DATA(fi) *self)
{
	(void)_metadata;
	close(self->fd2);
	self->fd2 = -1;
}

/*
 * The request, then what the kernel queued on the socket as it handled
 * it (the first part of a dump, and the rest as it is read): a request
 * that cannot be sent is ENOBUFS (netlink_sendmsg), an answer that could
 * not be allocated an ENOBUFS on the socket (netlink_ack, netlink_dump),
 * an allocation of the family's own an error answer with ENOMEM.
 */
static int run_nl(FIXTURE_DATA(fi) *self, uint32_t id)
{
	int ret;

	memset(&nl_answer, 0, sizeof(nl_answer));
	ret = nl_request(self->fd2, id);
	if (ret)
		return -ret;
	nl_collect(self->fd2, &nl_answer);
	if (nl_answer.error)
		return nl_answer.error;
	if (nl_answer.sock_error)
		return nl_answer.sock_error;
	return nl_answer.done ? 0 : EBADMSG;
}

static int run_nl_get(FIXTURE_DATA(fi) *self)
{
	return run_nl(self, self->ret);
}

static int run_nl_dump(FIXTURE_DATA(fi) *self)
{
	return run_nl(self, 0);
}

static void check_got(struct __test_metadata *_metadata,
		      FIXTURE_DATA(fi) *self)
{
	ASSERT_EQ(1, nl_answer.n);
	ASSERT_EQ((uint32_t)self->ret, nl_answer.objs[0].id);
	ASSERT_EQ(1, nl_answer.objs[0].stat[KIPC_A_MQ_DEPTH]);
}

static void check_dumped(struct __test_metadata *_metadata,
			 FIXTURE_DATA(fi) *self)
{
	(void)self;
	ASSERT_EQ(3, nl_answer.n);
}

TEST_F_TIMEOUT(fi, netlink_get_dump, 300)
{
	const struct fi_case get = {
		.name = "netlink get", .prepare = prepare_socket,
		.run = run_nl_get, .check = check_got, .cleanup = close_socket,
		.alt_errno = ENOBUFS,
	};
	const struct fi_case dump = {
		.name = "netlink dump", .prepare = prepare_socket,
		.run = run_nl_dump, .check = check_dumped,
		.cleanup = close_socket, .alt_errno = ENOBUFS,
	};
	struct kipc_mq_stat st = { .size = sizeof(st) };
	int b, s;

	REQUIRE_FI();
	ASSERT_EQ(0, mq_create(self->ctl, "/nl", RW | KIPC_OPEN_CREATE, 4,
			       SMALL, &self->fd));
	ASSERT_EQ(0, send_len(self->fd, SMALL));
	ASSERT_EQ(0, ioctl(self->fd, KIPC_IOC_MQ_STAT, &st));
	self->ret = st.id;
	ASSERT_EQ(0, buf_create(self->ctl, NULL, RW | KIPC_OPEN_CREATE, PAGE,
				&b));
	ASSERT_EQ(0, sem_create(self->ctl, NULL, RW | KIPC_OPEN_CREATE, 2, &s));
	fi_loop(_metadata, self, &get);
	ASSERT_LT(0, self->points);
	fi_loop(_metadata, self, &dump);
	ASSERT_LT(0, self->points);
	close(b);
	close(s);
	self->kind = KIPC_KIND_MQ;
	self->name = "/nl";
	ASSERT_EQ(0, unlink_kind(self));
}

/* ---- loading the module ---- */

static int kmsg = -1;		/* /dev/kmsg, read from its end */

/* Has the trace event code logged a line since the last call? */
static bool kmsg_trace(void)
{
	char rec[1024];
	bool said = false;
	ssize_t n;

	while ((n = read(kmsg, rec, sizeof(rec) - 1)) > 0 || errno == EPIPE) {
		if (n <= 0)
			continue;
		rec[n] = '\0';
		said |= strstr(rec, "tracefs") || strstr(rec, "trace point") ||
			strstr(rec, "event subsystem") ||
			strstr(rec, "system directory");
	}
	return said;
}

/*
 * One load with the @n-th injection point failing, after an rmmod:
 * ENOMEM and no module, or a module that works (then or after a load
 * without a fault). Returns whether the point was reached.
 */
static bool fault_load(struct __test_metadata *_metadata,
		       FIXTURE_DATA(fi) *self, int ko, unsigned int n)
{
	bool fired;
	int ret;

	ASSERT_EQ(0, syscall(SYS_delete_module, "kipc", O_NONBLOCK))
		TH_LOG("rmmod: %s", strerror(errno));
	fi_arm(n);
	ret = syscall(SYS_finit_module, ko, "", 0) ? errno : 0;
	fired = fi_fired();
	if (ret) {
		ASSERT_TRUE(fired) TH_LOG("%s", strerror(ret));
		ASSERT_EQ(ENOMEM, ret) TH_LOG("fault %u: %s", n, strerror(ret));
		ASSERT_NE(0, access("/sys/module/kipc", F_OK));
		ASSERT_EQ(0, syscall(SYS_finit_module, ko, "", 0));
	}
	self->fd = open("/dev/kipc", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("fault %u: /dev/kipc: %s", n,
				      strerror(errno));
	check_version(_metadata, self);
	return fired;
}

/*
 * finit_module of kipc.ko, after an rmmod, with injection points failing
 * in turn from the first on and from the last back. Not all of them:
 * a load goes through about 900, a second each here, and in the middle
 * the kernel's trace event code, making kipc's tracepoints
 * (trace_module_notify()), meets an allocation failure with a
 * WARN_ON_ONCE() (event_define_fields(), "error code is -12"), a kernel
 * report that would fail the run and that no count can avoid. So: the
 * first 30 (the loader's start) and the last 60 (kipc_init(), with the
 * netlink family and /dev/kipc, and the module's last sysfs files), each
 * walk stopping at the first point whose failure the trace code logs.
 */
TEST_F_TIMEOUT(fi, module_load, 600)
{
	const char *path = getenv("KIPC_KO");
	unsigned int total, head, tail, n, tested = 0;
	uint64_t t0 = mono_ns();
	char left[16] = "";
	int ko;

	REQUIRE_FI();
	if (!path || access(path, R_OK))
		SKIP(return, "KIPC_KO not set: run under tools/vm/run");
	close(self->ctl);
	self->ctl = -1;
	setfsuid(0);
	ko = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, ko);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, kmsg);
	lseek(kmsg, 0, SEEK_END);

	/* how many points a load goes through */
	ASSERT_EQ(0, syscall(SYS_delete_module, "kipc", O_NONBLOCK));
	fi_arm(1u << 30);
	ASSERT_EQ(0, syscall(SYS_finit_module, ko, "", 0));
	ASSERT_LT(0, pread(fi_nth, left, sizeof(left) - 1, 0));
	fi_arm(0);
	total = (1u << 30) - atoi(left);

	/*
	 * A load takes about a second on the debug kernel under TCG: the
	 * first 30 points (the module loader's start) and the last 60
	 * (kipc_init(): the netlink family and /dev/kipc, and the module's
	 * last sysfs files), each stopping early at the trace code.
	 */
	kmsg_trace();
	for (head = 1; head <= 30 && head <= total; head++) {
		tested++;
		ASSERT_TRUE(fault_load(_metadata, self, ko, head));
		if (kmsg_trace())
			break;
	}
	for (tail = 0; tail < 60 && tail < total - head; tail++) {
		tested++;
		/* a load's count varies by a few: a point may not be reached */
		fault_load(_metadata, self, ko, total - tail);
		if (kmsg_trace())
			break;
	}
	for (n = total + 1; fault_load(_metadata, self, ko, n); n++)
		ASSERT_GT(total + 100, n);
	close(kmsg);
	close(ko);
	fprintf(stderr, "# module load: %u injection points (the last load %u), %u failed once: the first %u and the last %u; %.0f s\n",
		total, n - 1, tested, head - 1, tail, (mono_ns() - t0) / 1e9);
	ASSERT_LT(20, head);
	ASSERT_LT(40, tail);
	ASSERT_EQ(0, kmemleak_scan());
}

TEST_HARNESS_MAIN
