// SPDX-License-Identifier: GPL-2.0
/*
 * kipc_limits_test: what an unprivileged user cannot do: exceed the byte
 * quota and object limits (in any process or IPC namespace, with sizes
 * that would overflow), open or unlink another user's objects, reach
 * another IPC namespace's, or keep rmmod waiting; docs/security.md.
 *
 * The test runs as root and does each unprivileged part in a forked
 * child that has become an ordinary user (kipc_become(): no capability
 * left). A child reports a broken expectation on stderr with its line and
 * exits 1; the parent's EXPECT_EQ(0, reap()) fails the case. Charges are
 * read through the netlink family, the only place that shows them.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <kipc.h>
#include <linux/kipc_netlink.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

#define RW	(KIPC_OPEN_READ | KIPC_OPEN_WRITE)
#define MIB	(1ull << 20)

/* The users: A owns, G is in A's group (supplementary), O is another. */
#define UID_A	1001
#define UID_G	1002
#define UID_O	1003
#define GID_A	1001
#define GID_O	1003

/* In a child: report and exit 1 if @cond is false. */
#define CHILD_CHECK(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "# child %d, line %d: %s (%s)\n", \
				(int)getpid(), __LINE__, #cond,		\
				strerror(errno));			\
			_exit(1);					\
		}							\
	} while (0)

static const uint32_t kinds[] = { KIPC_KIND_MQ, KIPC_KIND_BUF, KIPC_KIND_SEM };
static const char *const kind_names[] = { "", "mq", "buf", "sem" };

/* ---- objects of any kind, by raw ioctl ---- */

/* The parts of the three open structs that matter here, in one. */
struct obj_spec {
	uint32_t kind;
	uint32_t flags;
	const char *name;	/* NULL: anonymous */
	uint32_t mode;
	uint32_t max_msgs, msg_size;	/* mq */
	uint64_t buf_size;		/* buf */
};

/*
 * Open or create: 0 with *@fd and *@id, or the errno (and *@fd and *@id
 * as they were). The defaults are
 * small: a queue of 1 x 16 bytes, a page, a semaphore of value 0.
 */
static int obj_open(int ctl, const struct obj_spec *s, int *fd, uint64_t *id)
{
	uint32_t name_len = s->name ? strlen(s->name) : 0;
	uint64_t name = (uintptr_t)s->name, fd_id[2];
	int ret;

	if (s->kind == KIPC_KIND_MQ) {
		struct kipc_mq_open o = {
			.size = sizeof(o), .flags = s->flags, .name = name,
			.name_len = name_len, .mode = s->mode,
			.max_msgs = s->max_msgs ?: 1,
			.msg_size = s->msg_size ?: 16,
		};

		ret = ioctl(ctl, KIPC_IOC_MQ_OPEN, &o);
		fd_id[0] = o.fd;
		fd_id[1] = o.id;
	} else if (s->kind == KIPC_KIND_BUF) {
		struct kipc_buf_open o = {
			.size = sizeof(o), .flags = s->flags, .name = name,
			.name_len = name_len, .mode = s->mode,
			.buf_size = s->buf_size ?: 4096,
		};

		ret = ioctl(ctl, KIPC_IOC_BUF_OPEN, &o);
		fd_id[0] = o.fd;
		fd_id[1] = o.id;
	} else {
		struct kipc_sem_open o = {
			.size = sizeof(o), .flags = s->flags, .name = name,
			.name_len = name_len, .mode = s->mode,
		};

		ret = ioctl(ctl, KIPC_IOC_SEM_OPEN, &o);
		fd_id[0] = o.fd;
		fd_id[1] = o.id;
	}
	if (ret)
		return errno;
	*fd = (int)fd_id[0];
	*id = fd_id[1];
	return 0;
}

/* Create one (anonymous if @name is NULL), mode @mode: 0 or the errno. */
static int obj_create(int ctl, uint32_t kind, const char *name, uint32_t mode,
		      int *fd, uint64_t *id)
{
	struct obj_spec s = {
		.kind = kind, .name = name, .mode = mode,
		.flags = RW | KIPC_OPEN_CREATE | (name ? KIPC_OPEN_EXCL : 0),
	};

	return obj_open(ctl, &s, fd, id);
}

/* Open an existing named object with @flags; the fd is closed. */
static int obj_try(int ctl, uint32_t kind, const char *name, uint32_t flags)
{
	struct obj_spec s = { .kind = kind, .name = name, .flags = flags };
	uint64_t id;
	int fd, ret = obj_open(ctl, &s, &fd, &id);

	if (!ret)
		close(fd);
	return ret;
}

static int obj_unlink(int ctl, uint32_t kind, const char *name)
{
	struct kipc_unlink u = {
		.size = sizeof(u), .kind = kind,
		.name = (uintptr_t)name, .name_len = strlen(name),
	};

	return ioctl(ctl, KIPC_IOC_UNLINK, &u) ? errno : 0;
}

/* ---- the netlink view: one object by id or name, or a dump ---- */

struct nl_obj {
	int err;		/* the kernel's errno, or 0 */
	int seen;		/* replies */
	uint32_t want;		/* in a dump: the id looked for */
	int found;		/* in a dump: replies with that id */
	uint32_t id, kind, uid, mode, waiters;
	uint64_t charge;
};

static int nl_valid(struct nl_msg *msg, void *arg)
{
	static const int waiters[] = {
		[KIPC_KIND_MQ] = KIPC_A_MQ_RECV_WAITERS,
		[KIPC_KIND_BUF] = KIPC_A_BUF_WAITERS,
		[KIPC_KIND_SEM] = KIPC_A_SEM_WAITERS,
	};
	struct nlattr *tb[KIPC_A_OBJ_MAX + 1], *sub[KIPC_A_SEM_MAX + 1];
	struct nl_obj *o = arg;
	struct nlattr *nest;
	uint32_t id;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, KIPC_A_OBJ_MAX, NULL) ||
	    !tb[KIPC_A_OBJ_ID] || !tb[KIPC_A_OBJ_KIND] ||
	    !tb[KIPC_A_OBJ_CHARGE])
		return NL_SKIP;
	id = nla_get_u32(tb[KIPC_A_OBJ_ID]);
	o->seen++;
	if (o->want && id != o->want)
		return NL_OK;
	o->found++;
	o->id = id;
	o->kind = nla_get_u32(tb[KIPC_A_OBJ_KIND]);
	o->uid = tb[KIPC_A_OBJ_UID] ? nla_get_u32(tb[KIPC_A_OBJ_UID]) : ~0u;
	o->mode = tb[KIPC_A_OBJ_MODE] ? nla_get_u32(tb[KIPC_A_OBJ_MODE]) : ~0u;
	o->charge = nla_get_u64(tb[KIPC_A_OBJ_CHARGE]);
	o->waiters = ~0u;
	if (o->kind < KIPC_ARRAY_SIZE(waiters) && waiters[o->kind]) {
		nest = tb[KIPC_A_OBJ_MQ + o->kind - KIPC_KIND_MQ];
		if (nest && !nla_parse_nested(sub, KIPC_A_SEM_MAX, nest, NULL) &&
		    sub[waiters[o->kind]])
			o->waiters = nla_get_u32(sub[waiters[o->kind]]);
	}
	return NL_OK;
}

static int nl_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	(void)nla;
	((struct nl_obj *)arg)->err = -e->error;
	return NL_STOP;
}

/*
 * Ask the family, as the calling task: by @id, or by @name if not NULL,
 * or a dump (@dump) counting the replies with @id. 0 with the answer in
 * *@o (o->err: the kernel's errno), or -1 if netlink itself failed.
 */
static int nl_ask(uint32_t id, const char *name, bool dump, struct nl_obj *o)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_msg *msg = nlmsg_alloc();
	int family, ret = -1;

	memset(o, 0, sizeof(*o));
	if (!sk || !msg || genl_connect(sk))
		goto out;
	family = genl_ctrl_resolve(sk, KIPC_FAMILY_NAME);
	if (family < 0)
		goto out;
	nl_socket_disable_auto_ack(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, nl_valid, o);
	nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, nl_error, o);
	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
		    dump ? NLM_F_DUMP : 0, KIPC_NL_CMD_OBJ_GET,
		    KIPC_FAMILY_VERSION);
	if (dump)
		o->want = id;
	else if (name)
		nla_put_string(msg, KIPC_A_OBJ_NAME, name);
	else
		nla_put_u32(msg, KIPC_A_OBJ_ID, id);
	if (nl_send_auto(sk, msg) < 0)
		goto out;
	/* a get ends with its reply or error, a dump with NLMSG_DONE */
	ret = nl_recvmsgs_default(sk);
	ret = ret < 0 && !o->err ? -1 : 0;
out:
	nlmsg_free(msg);
	nl_socket_free(sk);
	return ret;
}

/* The bytes charged for object @id, or 0 if netlink does not show it. */
static uint64_t charge_of(uint64_t id)
{
	struct nl_obj o;

	if (nl_ask(id, NULL, false, &o) || o.err || o.found != 1)
		return 0;
	return o.charge;
}

/* ---- the fixture: the module's limits, restored whatever happens ---- */

static const char *const params[] = {
	"max_objects", "max_objects_per_user", "user_quota_mb",
	"mq_max_msgs", "mq_max_msgsize", "buf_max_mb",
};

FIXTURE(lim)
{
	unsigned int saved[KIPC_ARRAY_SIZE(params)];
	bool have_saved;
};

FIXTURE_SETUP(lim)
{
	self->have_saved = false;
	if (geteuid() != 0 || access(KIPC_DEVICE_PATH, F_OK))
		return;
	for (size_t i = 0; i < KIPC_ARRAY_SIZE(params); i++)
		ASSERT_EQ(0, kipc_param_get(params[i], &self->saved[i]));
	self->have_saved = true;
}

FIXTURE_TEARDOWN(lim)
{
	char val[16];

	if (!self->have_saved)
		return;
	for (size_t i = 0; i < KIPC_ARRAY_SIZE(params); i++) {
		snprintf(val, sizeof(val), "%u", self->saved[i]);
		kipc_param_set(params[i], val);
	}
}

#define REQUIRE_ROOT()							\
	do {								\
		if (!self->have_saved)					\
			SKIP(return, "needs root and kipc loaded");	\
	} while (0)

static void set_param(struct __test_metadata *_metadata, const char *name,
		      unsigned long long val)
{
	char s[24];

	snprintf(s, sizeof(s), "%llu", val);
	ASSERT_EQ(0, kipc_param_set(name, s)) TH_LOG("%s=%s", name, s);
}

/* Fork a child that is user @uid for good; 0 in the child. */
static pid_t fork_as(uid_t uid, gid_t gid, gid_t group)
{
	struct rlimit nofile = { 16384, 16384 };
	pid_t pid = fork();

	/* room for a quota's worth of semaphores as fds */
	if (pid == 0 && (setrlimit(RLIMIT_NOFILE, &nofile) ||
			 kipc_become(uid, gid, group))) {
		fprintf(stderr, "# cannot become %u: %s\n", uid, strerror(errno));
		_exit(1);
	}
	return pid;
}

/*
 * As user O in a child: @n anonymous semaphores, each created, and if
 * @then is an errno, one more that fails with it. The child's status.
 */
static int sems_as_o(int n, int then)
{
	pid_t pid = fork_as(UID_O, GID_O, -1);

	if (pid < 0)
		return -1;
	if (!pid) {
		int ctl = kipc_open(), fd;
		uint64_t id;

		for (int i = 0; i < n; i++)
			CHILD_CHECK(!obj_create(ctl, KIPC_KIND_SEM, NULL, 0600,
						&fd, &id));
		if (then)
			CHILD_CHECK(obj_create(ctl, KIPC_KIND_SEM, NULL, 0600,
					       &fd, &id) == then);
		_exit(0);
	}
	return reap(pid);
}

/* ---- memory: the byte quota ---- */

/*
 * Create anonymous objects of one kind until the quota says EDQUOT: as
 * many as floor(quota / charge), each charged the same, and after
 * all are closed the full quota is there again. As user A, quota 1 MiB.
 */
static void fill_with(struct __test_metadata *_metadata, uint32_t kind,
		      const struct obj_spec *spec)
{
	pid_t pid;

	set_param(_metadata, "user_quota_mb", 1);
	pid = fork_as(UID_A, GID_A, -1);
	ASSERT_LE(0, pid);
	if (!pid) {
		static int fds[16000];
		int ctl = kipc_open(), n = 0, ret, fd;
		uint64_t id, charge = 0;

		CHILD_CHECK(ctl >= 0);
		for (;;) {
			CHILD_CHECK(n < (int)KIPC_ARRAY_SIZE(fds));
			ret = obj_open(ctl, spec, &fds[n], &id);
			if (ret)
				break;
			/* a netlink round trip each is slow: one in 256 */
			if (!charge)
				charge = charge_of(id);
			else if (!(n % 256))
				CHILD_CHECK(charge_of(id) == charge);
			n++;
		}
		fprintf(stderr, "# %s: %d objects of %llu bytes in 1 MiB\n",
			kind_names[kind], n, (unsigned long long)charge);
		CHILD_CHECK(ret == EDQUOT);
		CHILD_CHECK(charge && (uint64_t)n == MIB / charge);
		for (int i = 0; i < n; i++)
			close(fds[i]);
		/* everything came back: as many again */
		for (int i = 0; i < n; i++)
			CHILD_CHECK(!obj_open(ctl, spec, &fds[i], &id));
		CHILD_CHECK(obj_open(ctl, spec, &fd, &id) == EDQUOT);
		_exit(0);
	}
	EXPECT_EQ(0, reap(pid));
}

TEST_F(lim, quota_filled_by_queues)
{
	struct obj_spec s = { .kind = KIPC_KIND_MQ, .flags = RW | KIPC_OPEN_CREATE,
			      .mode = 0600, .max_msgs = 4, .msg_size = 16384 };

	REQUIRE_ROOT();
	fill_with(_metadata, KIPC_KIND_MQ, &s);
}

TEST_F(lim, quota_filled_by_buffers)
{
	struct obj_spec s = { .kind = KIPC_KIND_BUF, .flags = RW | KIPC_OPEN_CREATE,
			      .mode = 0600, .buf_size = 61441 };

	REQUIRE_ROOT();
	fill_with(_metadata, KIPC_KIND_BUF, &s);
}

/* about 4,700 of them: a minute or so on a debug kernel */
TEST_F_TIMEOUT(lim, quota_filled_by_semaphores, 300)
{
	struct obj_spec s = { .kind = KIPC_KIND_SEM, .flags = RW | KIPC_OPEN_CREATE,
			      .mode = 0600 };

	REQUIRE_ROOT();
	fill_with(_metadata, KIPC_KIND_SEM, &s);
}

/* A queue of one message of @msg_size bytes, anonymous: 0 or errno. */
static int queue_of(int ctl, uint32_t msg_size, int *fd, uint64_t *id)
{
	struct obj_spec s = { .kind = KIPC_KIND_MQ, .flags = RW | KIPC_OPEN_CREATE,
			      .mode = 0600, .max_msgs = 1, .msg_size = msg_size };

	return obj_open(ctl, &s, fd, id);
}

static int send_bytes(int fd, size_t len)
{
	static char payload[16384] = "kipc";
	struct kipc_msg m = { .buf = payload, .len = len };

	return kipc_mq_send(fd, &m, KIPC_MQ_NONBLOCK, 0);
}

/*
 * A mix of the three kinds, named and anonymous, filling the quota to the
 * byte: a queue sized to take exactly what is left fits, one byte more
 * does not, nothing else fits then; queued messages change no charge, and
 * sends into a user's full quota never fail for it; an unlinked name
 * still open is still charged; once all is closed the whole quota is one
 * queue's again, to the byte. Per-queue charges are the netlink view's;
 * a 1-message queue's grows by exactly one byte per byte of msg_size.
 */
TEST_F(lim, quota_exact_to_the_byte)
{
	pid_t pid;

	REQUIRE_ROOT();
	set_param(_metadata, "user_quota_mb", 1);
	pid = fork_as(UID_A, GID_A, -1);
	ASSERT_LE(0, pid);
	if (!pid) {
		int ctl = kipc_open(), sem, buf, mq, fill, fd;
		uint64_t id, c1, used = 0, rest, m;
		struct obj_spec s = {
			.kind = KIPC_KIND_MQ, .flags = RW | KIPC_OPEN_CREATE,
			.mode = 0600, .max_msgs = 4, .msg_size = 1024,
		};

		CHILD_CHECK(ctl >= 0);
		/* the charge of a queue of 1 x n is c1 + n - 1 */
		CHILD_CHECK(!queue_of(ctl, 1, &fd, &id));
		c1 = charge_of(id);
		close(fd);
		CHILD_CHECK(!queue_of(ctl, 1000, &fd, &id));
		CHILD_CHECK(c1 > 1 && charge_of(id) == c1 + 999);
		close(fd);
		/* and of 4 x 1024, 4 x (1024 + header) + queue */
		CHILD_CHECK(!obj_open(ctl, &s, &mq, &id));
		CHILD_CHECK(charge_of(id) > 4096);
		used += charge_of(id);
		CHILD_CHECK(!obj_create(ctl, KIPC_KIND_SEM, NULL, 0600, &sem, &id));
		used += charge_of(id);
		s = (struct obj_spec){ .kind = KIPC_KIND_BUF, .name = "/lim-exact",
				       .flags = RW | KIPC_OPEN_CREATE, .mode = 0600,
				       .buf_size = 65536 };
		CHILD_CHECK(!obj_open(ctl, &s, &buf, &id));
		CHILD_CHECK(charge_of(id) >= 65536);
		used += charge_of(id);

		/* what is left, in one queue, to the byte */
		rest = MIB - used;
		m = rest - c1 + 1;
		CHILD_CHECK(queue_of(ctl, m + 1, &fd, &id) == EDQUOT);
		CHILD_CHECK(!queue_of(ctl, m, &fill, &id));
		CHILD_CHECK(charge_of(id) == rest);
		CHILD_CHECK(queue_of(ctl, 1, &fd, &id) == EDQUOT);
		CHILD_CHECK(obj_create(ctl, KIPC_KIND_SEM, NULL, 0600, &fd,
				       &id) == EDQUOT);
		CHILD_CHECK(obj_create(ctl, KIPC_KIND_BUF, NULL, 0600, &fd,
				       &id) == EDQUOT);

		/* messages: already paid for */
		for (int i = 0; i < 4; i++)
			CHILD_CHECK(!send_bytes(mq, 1024));
		CHILD_CHECK(send_bytes(mq, 1) == -EAGAIN);
		CHILD_CHECK(!send_bytes(fill, m < 16384 ? m : 16384));
		CHILD_CHECK(charge_of(id) == rest);
		CHILD_CHECK(queue_of(ctl, 1, &fd, &id) == EDQUOT);

		/* the filler goes: its bytes, and not one more, come back */
		close(fill);
		CHILD_CHECK(queue_of(ctl, m + 1, &fd, &id) == EDQUOT);
		CHILD_CHECK(!queue_of(ctl, m, &fill, &id));

		/* an unlinked name still open is still charged */
		close(fill);
		CHILD_CHECK(!obj_unlink(ctl, KIPC_KIND_BUF, "/lim-exact"));
		CHILD_CHECK(queue_of(ctl, m + 1, &fd, &id) == EDQUOT);

		/* all gone: the whole MiB is one queue's, to the byte */
		close(buf);
		close(sem);
		close(mq);
		m = MIB - c1 + 1;
		CHILD_CHECK(queue_of(ctl, m + 1, &fd, &id) == EDQUOT);
		CHILD_CHECK(!queue_of(ctl, m, &fd, &id));
		CHILD_CHECK(charge_of(id) == MIB);
		_exit(0);
	}
	EXPECT_EQ(0, reap(pid));
}

/*
 * One user's exhausted quota and object count are that user's: another
 * user, and root, still create. A is left holding its objects meanwhile.
 */
TEST_F(lim, other_user_unaffected)
{
	int ready[2], st;
	pid_t a, o;
	char c;

	REQUIRE_ROOT();
	set_param(_metadata, "user_quota_mb", 1);
	set_param(_metadata, "max_objects_per_user", 8);
	ASSERT_EQ(0, pipe(ready));
	a = fork_as(UID_A, GID_A, -1);
	ASSERT_LE(0, a);
	if (!a) {
		int ctl = kipc_open(), fd;
		uint64_t id;

		CHILD_CHECK(ctl >= 0);
		CHILD_CHECK(!queue_of(ctl, 800000, &fd, &id));
		CHILD_CHECK(queue_of(ctl, 300000, &fd, &id) == EDQUOT);
		for (int i = 0; i < 7; i++)
			CHILD_CHECK(!obj_create(ctl, KIPC_KIND_SEM, NULL, 0600,
						&fd, &id));
		CHILD_CHECK(obj_create(ctl, KIPC_KIND_SEM, NULL, 0600, &fd,
				       &id) == EDQUOT);
		CHILD_CHECK(write(ready[1], "x", 1) == 1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1) {
		kill(a, SIGKILL);
		ASSERT_EQ(0, reap(a));
	}
	close(ready[0]);

	o = fork_as(UID_O, GID_O, -1);
	ASSERT_LE(0, o);
	if (!o) {
		int ctl = kipc_open(), fd;
		uint64_t id;

		CHILD_CHECK(ctl >= 0);
		CHILD_CHECK(!queue_of(ctl, 900000, &fd, &id));
		for (int i = 0; i < 7; i++)
			CHILD_CHECK(!obj_create(ctl, KIPC_KIND_SEM, NULL, 0600,
						&fd, &id));
		_exit(0);
	}
	EXPECT_EQ(0, reap(o));

	/* root is a user like the others here, with a quota of its own */
	int ctl = kipc_open(), fd = -1;
	uint64_t id;

	EXPECT_EQ(0, queue_of(ctl, 900000, &fd, &id));
	close(fd);
	close(ctl);
	kill(a, SIGKILL);
	ASSERT_EQ(a, waitpid(a, &st, 0));
	EXPECT_TRUE(WIFSIGNALED(st));
}

/*
 * Sizes whose products or roundings overflow 32 or 64 bits are refused or
 * charged in full, never wrapped: with every parameter at its maximum,
 * and a quota of 4 GiB, a queue of 65536 x 65536 (2^32 bytes of payload,
 * 0 in 32 bits) and the largest one, 2^20 x 2^24, are over quota; a
 * buffer of 2^32 + 4096 bytes (4096 in 32 bits) too; sizes near 2^64,
 * whose page rounding wraps to 0, are EINVAL; and a queue just under the
 * quota is charged its exact 64-bit product.
 */
TEST_F(lim, overflowing_sizes)
{
	pid_t pid;

	REQUIRE_ROOT();
	set_param(_metadata, "mq_max_msgs", 1048576);
	set_param(_metadata, "mq_max_msgsize", 16777216);
	set_param(_metadata, "buf_max_mb", 65536);
	set_param(_metadata, "user_quota_mb", 4096);
	pid = fork_as(UID_A, GID_A, -1);
	ASSERT_LE(0, pid);
	if (!pid) {
		int ctl = kipc_open(), fd;
		uint64_t id, c1, hdr;
		struct obj_spec s = { .kind = KIPC_KIND_MQ, .mode = 0600,
				      .flags = RW | KIPC_OPEN_CREATE };

		CHILD_CHECK(ctl >= 0);
		CHILD_CHECK(!queue_of(ctl, 1, &fd, &id));
		c1 = charge_of(id);
		close(fd);
		s.max_msgs = 2;
		s.msg_size = 1;
		CHILD_CHECK(!obj_open(ctl, &s, &fd, &id));
		hdr = charge_of(id) - c1 - 1;	/* per message, beyond its bytes */
		close(fd);

		s.max_msgs = 65536;
		s.msg_size = 65536;
		CHILD_CHECK(obj_open(ctl, &s, &fd, &id) == EDQUOT);
		s.max_msgs = 1048576;
		s.msg_size = 16777216;
		CHILD_CHECK(obj_open(ctl, &s, &fd, &id) == EDQUOT);
		s.max_msgs = UINT32_MAX;
		CHILD_CHECK(obj_open(ctl, &s, &fd, &id) == EINVAL);
		s.max_msgs = 1;
		s.msg_size = UINT32_MAX;
		CHILD_CHECK(obj_open(ctl, &s, &fd, &id) == EINVAL);
		/* 4095 x 1 MiB: just under 4 GiB, nothing allocated yet */
		s.max_msgs = 4095;
		s.msg_size = 1 << 20;
		CHILD_CHECK(!obj_open(ctl, &s, &fd, &id));
		CHILD_CHECK(charge_of(id) ==
			    4095 * ((1ull << 20) + hdr) + (c1 - 1 - hdr));
		close(fd);

		s = (struct obj_spec){ .kind = KIPC_KIND_BUF, .mode = 0600,
				       .flags = RW | KIPC_OPEN_CREATE };
		s.buf_size = (1ull << 32) + 4096;
		CHILD_CHECK(obj_open(ctl, &s, &fd, &id) == EDQUOT);
		s.buf_size = 65536 * MIB;
		CHILD_CHECK(obj_open(ctl, &s, &fd, &id) == EDQUOT);
		s.buf_size = 65536 * MIB + 1;
		CHILD_CHECK(obj_open(ctl, &s, &fd, &id) == EINVAL);
		s.buf_size = UINT64_MAX - 4094;
		CHILD_CHECK(obj_open(ctl, &s, &fd, &id) == EINVAL);
		s.buf_size = UINT64_MAX;
		CHILD_CHECK(obj_open(ctl, &s, &fd, &id) == EINVAL);
		_exit(0);
	}
	EXPECT_EQ(0, reap(pid));
}

/* ---- private objects: modes, /proc, fd passing, netlink, unlink ---- */

static const uint32_t modes[] = {
	0600, 0400, 0200, 0000, 0640, 0620, 0660, 0604, 0602, 0606, 0044,
	0022, 0777, 0466,
};

/* What @mode gives the class @shift (6 owner, 3 group, 0 other) for @acc. */
static bool mode_allows(uint32_t mode, int shift, uint32_t acc)
{
	uint32_t bits = (mode >> shift) & 7;

	return (!(acc & KIPC_OPEN_READ) || (bits & 4)) &&
	       (!(acc & KIPC_OPEN_WRITE) || (bits & 2));
}

static void perm_name(char *name, size_t len, uint32_t kind, uint32_t mode)
{
	snprintf(name, len, "/lim-perm-%s-%04o", kind_names[kind], mode);
}

/*
 * Every kind, every mode of modes[], each class (the owner, a member of
 * its group by a supplementary group, another user) and each access
 * (read, write, both): open by name succeeds exactly when the mode's bits
 * for that class allow it, EACCES otherwise, even for the owner; nobody
 * but the owner unlinks, whatever the mode. Root (CAP_IPC_OWNER) opens
 * all. The owner created them all, so it got its fds whatever the mode.
 */
TEST_F(lim, mode_bits_for_each_class)
{
	static const struct { uid_t uid; gid_t gid, group; int shift; } who[] = {
		{ UID_A, GID_A, -1, 6 },
		{ UID_G, UID_G, GID_A, 3 },
		{ UID_O, GID_O, -1, 0 },
	};
	static const uint32_t access_of[] = {
		KIPC_OPEN_READ, KIPC_OPEN_WRITE, RW,
	};
	char name[64];
	pid_t pid;

	REQUIRE_ROOT();
	pid = fork_as(UID_A, GID_A, -1);
	ASSERT_LE(0, pid);
	if (!pid) {
		int ctl = kipc_open(), fd;
		uint64_t id;

		umask(0);
		CHILD_CHECK(ctl >= 0);
		for (size_t k = 0; k < 3; k++)
			for (size_t m = 0; m < KIPC_ARRAY_SIZE(modes); m++) {
				perm_name(name, sizeof(name), kinds[k], modes[m]);
				CHILD_CHECK(!obj_create(ctl, kinds[k], name,
							modes[m], &fd, &id));
				close(fd);
			}
		_exit(0);
	}
	ASSERT_EQ(0, reap(pid));

	for (size_t w = 0; w < KIPC_ARRAY_SIZE(who); w++) {
		pid = fork_as(who[w].uid, who[w].gid, who[w].group);
		ASSERT_LE(0, pid);
		if (pid) {
			EXPECT_EQ(0, reap(pid)) TH_LOG("uid %u", who[w].uid);
			continue;
		}
		int ctl = kipc_open(), bad = 0;

		CHILD_CHECK(ctl >= 0);
		for (size_t k = 0; k < 3; k++)
			for (size_t m = 0; m < KIPC_ARRAY_SIZE(modes); m++)
				for (size_t a = 0; a < 3; a++) {
					bool ok = mode_allows(modes[m], who[w].shift,
							      access_of[a]);
					int ret;

					perm_name(name, sizeof(name), kinds[k],
						  modes[m]);
					ret = obj_try(ctl, kinds[k], name,
						      access_of[a]);
					if (ret != (ok ? 0 : EACCES)) {
						fprintf(stderr, "# uid %u %s %s access %u: %s\n",
							who[w].uid, kind_names[kinds[k]],
							name, access_of[a],
							ret ? strerror(ret) : "opened");
						bad++;
					}
				}
		/* only the owner unlinks, and it unlinks last */
		for (size_t k = 0; w && k < 3; k++)
			for (size_t m = 0; m < KIPC_ARRAY_SIZE(modes); m++) {
				perm_name(name, sizeof(name), kinds[k], modes[m]);
				CHILD_CHECK(obj_unlink(ctl, kinds[k], name) == EACCES);
			}
		_exit(bad ? 1 : 0);
	}

	/* root: CAP_IPC_OWNER opens everything */
	int ctl = kipc_open();

	ASSERT_LE(0, ctl);
	for (size_t k = 0; k < 3; k++)
		for (size_t m = 0; m < KIPC_ARRAY_SIZE(modes); m++) {
			perm_name(name, sizeof(name), kinds[k], modes[m]);
			EXPECT_EQ(0, obj_try(ctl, kinds[k], name, RW)) TH_LOG("%s", name);
		}
	close(ctl);

	pid = fork_as(UID_A, GID_A, -1);
	ASSERT_LE(0, pid);
	if (!pid) {
		ctl = kipc_open();
		for (size_t k = 0; k < 3; k++)
			for (size_t m = 0; m < KIPC_ARRAY_SIZE(modes); m++) {
				perm_name(name, sizeof(name), kinds[k], modes[m]);
				CHILD_CHECK(!obj_unlink(ctl, kinds[k], name));
			}
		_exit(0);
	}
	EXPECT_EQ(0, reap(pid));
}

/* ---- object counts: per user and global ---- */

/*
 * Hold @n named objects (names /NAME-0 ...) in a child of user @uid and
 * report on @ready; in a new user and IPC namespace if @userns. The child
 * pauses until killed. Its pid, or -1.
 */
static pid_t holder(uid_t uid, gid_t gid, const char *prefix, int n,
		    bool userns, int ready)
{
	pid_t pid = fork_as(uid, gid, -1);

	if (pid)
		return pid;
	if (userns && kipc_enter_userns()) {
		CHILD_CHECK(write(ready, "s", 1) == 1);
		_exit(0);
	}
	int ctl = kipc_open(), fd, ret = 0;
	char name[64], r;
	uint64_t id;

	CHILD_CHECK(ctl >= 0);
	for (int i = 0; i < n && !ret; i++) {
		snprintf(name, sizeof(name), "/%s-%d", prefix, i);
		/* a name in a namespace of its own would outlive the test */
		ret = obj_create(ctl, kinds[i % 3],
				 i % 2 || userns ? NULL : name, 0600, &fd, &id);
	}
	r = ret ? (char)ret : 'k';
	CHILD_CHECK(write(ready, &r, 1) == 1);
	pause();
	_exit(0);
}

/*
 * What a holder said: 'k', 's' (no user namespace for it), or the errno
 * of its first failed create.
 */
static int heard(int fd)
{
	char r = 0;

	return read(fd, &r, 1) == 1 ? r : -1;
}

/* Stop a holder: killed, reaped. */
static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Unlink /PREFIX-0 ... -(n-1) of every kind as root, whatever is there. */
static void unlink_all(const char *prefix, int n)
{
	int ctl = kipc_open();
	char name[64];

	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "/%s-%d", prefix, i);
		for (int k = 0; k < 3; k++)
			obj_unlink(ctl, kinds[k], name);
	}
	close(ctl);
}

/*
 * max_objects_per_user = 6: three processes of A holding two each, named
 * and anonymous, reach it; a fourth process, one in a user and IPC
 * namespace of A's own where A is root, and the first again cannot go
 * beyond (EDQUOT); another user can.
 */
TEST_F(lim, objects_per_user_across_processes_and_namespaces)
{
	pid_t h[3], p;
	int ready[2], ns, r;

	REQUIRE_ROOT();
	set_param(_metadata, "max_objects_per_user", 6);
	ASSERT_EQ(0, pipe(ready));
	for (int i = 0; i < 3; i++) {
		char prefix[16];

		snprintf(prefix, sizeof(prefix), "lim-pu%d", i);
		h[i] = holder(UID_A, GID_A, prefix, 2, i == 2, ready[1]);
		ASSERT_LE(0, h[i]);
		ns = heard(ready[0]);
		if (ns == 's') {
			stop(h[i]);
			h[i] = holder(UID_A, GID_A, prefix, 2, false, ready[1]);
			ASSERT_LE(0, h[i]);
			ns = heard(ready[0]);
			TH_LOG("no unprivileged user namespace: all in this one");
		}
		EXPECT_EQ('k', ns);
	}
	for (ns = 0; ns < 2; ns++) {
		p = holder(UID_A, GID_A, "lim-pu3", 1, ns, ready[1]);
		ASSERT_LE(0, p);
		r = heard(ready[0]);
		if (r != 's')
			EXPECT_EQ(EDQUOT, r) TH_LOG("namespace %d", ns);
		stop(p);
	}
	p = holder(UID_O, GID_O, "lim-pu4", 6, false, ready[1]);
	ASSERT_LE(0, p);
	EXPECT_EQ('k', heard(ready[0]));
	stop(p);
	for (int i = 0; i < 3; i++)
		stop(h[i]);
	/* named ones outlive their holders: unlinked, A has room again */
	unlink_all("lim-pu0", 2);
	unlink_all("lim-pu1", 2);
	unlink_all("lim-pu4", 6);
	p = holder(UID_A, GID_A, "lim-pu5", 4, false, ready[1]);
	ASSERT_LE(0, p);
	EXPECT_EQ('k', heard(ready[0]));
	stop(p);
	unlink_all("lim-pu5", 4);
	/* lim-pu2's names live in a namespace nobody can reach now */
	close(ready[0]);
	close(ready[1]);
}

/*
 * max_objects counts everyone together, every namespace included: A and
 * O fill it (ENOSPC for both, and for root), in the initial namespace
 * and in one of A's own.
 */
TEST_F(lim, max_objects_across_users_and_namespaces)
{
	int ready[2], ctl, fd, r;
	pid_t a, o, p;
	uint64_t id;

	REQUIRE_ROOT();
	ctl = kipc_open();
	ASSERT_LE(0, ctl);
	set_param(_metadata, "max_objects", 6);
	ASSERT_EQ(0, pipe(ready));
	a = holder(UID_A, GID_A, "lim-g0", 3, true, ready[1]);
	ASSERT_LE(0, a);
	r = heard(ready[0]);
	if (r == 's') {
		stop(a);
		a = holder(UID_A, GID_A, "lim-g0", 3, false, ready[1]);
		ASSERT_LE(0, a);
		r = heard(ready[0]);
	}
	EXPECT_EQ('k', r);
	o = holder(UID_O, GID_O, "lim-g1", 3, false, ready[1]);
	ASSERT_LE(0, o);
	EXPECT_EQ('k', heard(ready[0]));
	for (int ns = 0; ns < 2; ns++) {
		p = holder(UID_O, GID_O, "lim-g2", 1, ns, ready[1]);
		ASSERT_LE(0, p);
		r = heard(ready[0]);
		if (r != 's')
			EXPECT_EQ(ENOSPC, r) TH_LOG("namespace %d", ns);
		stop(p);
	}
	EXPECT_EQ(ENOSPC, obj_create(ctl, KIPC_KIND_SEM, NULL, 0600, &fd, &id));
	stop(a);
	stop(o);
	unlink_all("lim-g0", 3);
	unlink_all("lim-g1", 3);
	EXPECT_EQ(0, obj_create(ctl, KIPC_KIND_SEM, NULL, 0600, &fd, &id));
	close(fd);
	close(ctl);
	close(ready[0]);
	close(ready[1]);
}

/* Receive an fd sent with send_fd(); -1 on failure. */
static int recv_fd(int sock)
{
	char byte, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &mh, 0) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&mh);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	return fd;
}

static int send_fd(int sock, int fd)
{
	char byte = 'f', cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(fd));
	return sendmsg(sock, &mh, 0) == 1 ? 0 : -1;
}

/*
 * Reopening through /proc/PID/fd: the errno of open(/proc/@pid/fd/@fd,
 * @flags), or 0 if it opened.
 */
static int proc_reopen(pid_t pid, int fd, int flags)
{
	char path[64];
	int r;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
	r = open(path, flags);
	if (r < 0)
		return errno;
	close(r);
	return 0;
}

/*
 * A holds a 0644 object of each kind read-write; O holds each read-only,
 * opened by name. Through /proc/PID/fd, O cannot reopen A's fds (another
 * user's process: EACCES) nor its own for more access, not even for
 * reading (mq and sem fds are anon inodes, 0600 root: EACCES; a buffer's
 * inode has no open: ENXIO), and root cannot either (ENXIO: no open).
 * What O can do by design: take A's read-write fd through SCM_RIGHTS and
 * use it; and see the metadata of A's private (0600) objects through
 * netlink, as ipcs shows SysV objects: owner, mode, charge and stats,
 * never a message or a byte of a buffer.
 */
TEST_F(lim, proc_fd_fd_passing_and_netlink)
{
	int sv[2], pa[2], po[2], fa[3], fo[3];
	char name[3][32];
	pid_t a, o, p;

	REQUIRE_ROOT();
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(0, pipe(pa));
	ASSERT_EQ(0, pipe(po));
	for (int k = 0; k < 3; k++)
		snprintf(name[k], sizeof(name[k]), "/lim-proc-%s",
			 kind_names[kinds[k]]);

	a = fork_as(UID_A, GID_A, -1);
	ASSERT_LE(0, a);
	if (!a) {
		int ctl = kipc_open(), fd[3], priv;
		uint64_t id;

		CHILD_CHECK(ctl >= 0);
		umask(0);
		for (int k = 0; k < 3; k++)
			CHILD_CHECK(!obj_create(ctl, kinds[k], name[k], 0644,
						&fd[k], &id));
		/* a private queue with a message, for fd passing */
		CHILD_CHECK(!obj_create(ctl, KIPC_KIND_MQ, "/lim-private", 0600,
					&priv, &id));
		CHILD_CHECK(!send_bytes(priv, 5));
		CHILD_CHECK(write(pa[1], fd, sizeof(fd)) == sizeof(fd));
		CHILD_CHECK(!send_fd(sv[0], priv));
		pause();
		_exit(0);
	}
	ASSERT_EQ(sizeof(fa), read(pa[0], fa, sizeof(fa)));

	o = fork_as(UID_O, GID_O, -1);
	ASSERT_LE(0, o);
	if (!o) {
		int ctl = kipc_open(), fd[3];

		CHILD_CHECK(ctl >= 0);
		for (int k = 0; k < 3; k++) {
			struct obj_spec s = { .kind = kinds[k], .name = name[k],
					      .flags = KIPC_OPEN_READ };
			uint64_t id;

			CHILD_CHECK(!obj_open(ctl, &s, &fd[k], &id));
		}
		CHILD_CHECK(write(po[1], fd, sizeof(fd)) == sizeof(fd));
		pause();
		_exit(0);
	}
	ASSERT_EQ(sizeof(fo), read(po[0], fo, sizeof(fo)));

	p = fork_as(UID_O, GID_O, -1);
	ASSERT_LE(0, p);
	if (!p) {
		struct kipc_mq_stat st;
		struct nl_obj n;
		char m[8];
		struct kipc_msg msg = { .buf = m, .len = sizeof(m) };
		int fd, ctl = kipc_open();

		for (int k = 0; k < 3; k++) {
			int own = kinds[k] == KIPC_KIND_BUF ? ENXIO : EACCES;

			CHILD_CHECK(proc_reopen(a, fa[k], O_RDONLY) == EACCES);
			CHILD_CHECK(proc_reopen(a, fa[k], O_RDWR) == EACCES);
			CHILD_CHECK(proc_reopen(o, fo[k], O_RDONLY) == own);
			CHILD_CHECK(proc_reopen(o, fo[k], O_RDWR) == own);
			CHILD_CHECK(proc_reopen(o, fo[k], O_WRONLY) == own);
		}
		/* the private queue: not by name, yes by fd passing */
		CHILD_CHECK(obj_try(ctl, KIPC_KIND_MQ, "/lim-private",
				    KIPC_OPEN_READ) == EACCES);
		fd = recv_fd(sv[1]);
		CHILD_CHECK(fd >= 0);
		CHILD_CHECK(kipc_mq_receive(fd, &msg, 0, 0, 0, 0) == 0 &&
			    msg.len == 5);
		CHILD_CHECK(!send_bytes(fd, 3));
		CHILD_CHECK(!kipc_mq_stat(fd, &st, sizeof(st)));
		/* netlink: its metadata, by id and by name, and in a dump */
		CHILD_CHECK(!nl_ask(st.id, NULL, false, &n) && !n.err);
		CHILD_CHECK(n.found == 1 && n.uid == UID_A && n.mode == 0600 &&
			    n.charge > 0 && n.kind == KIPC_KIND_MQ);
		CHILD_CHECK(!nl_ask(0, "/lim-private", false, &n) && !n.err &&
			    n.id == st.id);
		CHILD_CHECK(!nl_ask(st.id, NULL, true, &n) && !n.err &&
			    n.found == 1);
		/* and still no unlink */
		CHILD_CHECK(obj_unlink(ctl, KIPC_KIND_MQ, "/lim-private") ==
			    EACCES);
		_exit(0);
	}
	EXPECT_EQ(0, reap(p));

	/* root: CAP_IPC_OWNER opens by name, but nothing reopens /proc */
	for (int k = 0; k < 3; k++) {
		EXPECT_EQ(ENXIO, proc_reopen(a, fa[k], O_RDONLY));
		EXPECT_EQ(ENXIO, proc_reopen(o, fo[k], O_RDWR));
	}
	stop(a);
	stop(o);
	int ctl = kipc_open();

	for (int k = 0; k < 3; k++)
		EXPECT_EQ(0, obj_unlink(ctl, kinds[k], name[k]));
	EXPECT_EQ(0, obj_unlink(ctl, KIPC_KIND_MQ, "/lim-private"));
	close(ctl);
	close(sv[0]);
	close(sv[1]);
}

/* ---- IPC namespaces ---- */

/*
 * A's objects of the initial IPC namespace (mode 0666: nothing hides
 * them but the namespace) are out of reach from a user and IPC namespace
 * of A's own, where A is root with CAP_IPC_OWNER: open, unlink, netlink
 * get by id or name, dump: ENOENT or absent. The same names there are
 * other objects; and the reverse holds from the initial namespace.
 */
TEST_F(lim, namespace_isolation)
{
	uint64_t ids[3], theirs[3];
	int res[2], back[2], fd[3], ctl;
	char name[3][32], r = 0;
	struct nl_obj n;
	pid_t pid;

	REQUIRE_ROOT();
	ctl = kipc_open();
	ASSERT_LE(0, ctl);
	umask(0);
	for (int k = 0; k < 3; k++) {
		snprintf(name[k], sizeof(name[k]), "/lim-ns-%s",
			 kind_names[kinds[k]]);
		ASSERT_EQ(0, obj_create(ctl, kinds[k], name[k], 0666, &fd[k],
					&ids[k]));
	}
	ASSERT_EQ(0, pipe(res));
	ASSERT_EQ(0, pipe(back));
	pid = fork_as(UID_A, GID_A, -1);
	ASSERT_LE(0, pid);
	if (!pid) {
		int c, own[3];

		if (kipc_enter_userns()) {
			CHILD_CHECK(write(res[1], "s", 1) == 1);
			_exit(0);
		}
		c = kipc_open();
		CHILD_CHECK(c >= 0);
		for (int k = 0; k < 3; k++) {
			CHILD_CHECK(obj_try(c, kinds[k], name[k], KIPC_OPEN_READ) ==
				    ENOENT);
			CHILD_CHECK(obj_try(c, kinds[k], name[k], RW) == ENOENT);
			CHILD_CHECK(obj_unlink(c, kinds[k], name[k]) == ENOENT);
			CHILD_CHECK(!nl_ask(ids[k], NULL, false, &n) &&
				    n.err == ENOENT);
			CHILD_CHECK(!nl_ask(0, name[k], false, &n) &&
				    n.err == ENOENT);
			CHILD_CHECK(!nl_ask(ids[k], NULL, true, &n) && !n.err &&
				    !n.found);
			/* here the name is free for another object */
			CHILD_CHECK(!obj_create(c, kinds[k], name[k], 0600,
						&own[k], &theirs[k]));
			CHILD_CHECK(theirs[k] != ids[k]);
		}
		CHILD_CHECK(write(res[1], "k", 1) == 1);
		CHILD_CHECK(write(res[1], theirs, sizeof(theirs)) ==
			    sizeof(theirs));
		/* hold them until the parent looked */
		CHILD_CHECK(read(back[0], &r, 1) == 1);
		for (int k = 0; k < 3; k++)
			CHILD_CHECK(!obj_unlink(c, kinds[k], name[k]));
		_exit(0);
	}
	close(res[1]);
	EXPECT_EQ(1, read(res[0], &r, 1));
	if (r == 'k') {
		ASSERT_EQ(sizeof(theirs), read(res[0], theirs, sizeof(theirs)));
		for (int k = 0; k < 3; k++) {
			uint64_t id;
			int f;

			EXPECT_EQ(0, nl_ask(theirs[k], NULL, false, &n));
			EXPECT_EQ(ENOENT, n.err);
			EXPECT_EQ(0, nl_ask(theirs[k], NULL, true, &n));
			EXPECT_EQ(0, n.found);
			/* the name here is still ours */
			struct obj_spec sp = { .kind = kinds[k], .name = name[k],
					       .flags = RW };
			EXPECT_EQ(0, obj_open(ctl, &sp, &f, &id));
			EXPECT_EQ(ids[k], id);
			close(f);
		}
	}
	EXPECT_EQ(1, write(back[1], "x", 1));
	EXPECT_EQ(0, reap(pid));
	for (int k = 0; k < 3; k++) {
		EXPECT_EQ(0, obj_unlink(ctl, kinds[k], name[k]));
		close(fd[k]);
	}
	close(ctl);
	if (r == 's')
		SKIP(return, "no unprivileged user namespaces");
}

/* ---- rmmod ---- */

/*
 * delete_module("kipc", @flags) in a child that SIGALRM kills after 60 s:
 * its errno, 0, or -1 if it blocked.
 */
static int rmmod_now(int flags)
{
	pid_t pid = fork();

	if (!pid) {
		alarm(60);
		_exit(syscall(SYS_delete_module, "kipc", flags) ? errno : 0);
	}
	return pid < 0 ? -1 : reap(pid);
}

enum pin { PIN_CTL, PIN_MAP, PIN_MQ_RECV, PIN_BUF_WAIT, PIN_SEM_WAIT,
	   PIN_DUMP };

static const char *const pin_names[] = {
	"a control fd", "a mapping", "a queue receive", "a buffer wait",
	"a semaphore wait", "a netlink dump half read",
};

/*
 * User O pins the module with @pin, telling @ready the id of the object
 * it sleeps on (0 for none), and never lets go.
 */
static void pin_module(enum pin pin, int ready)
{
	int ctl = kipc_open(), fd = -1;
	uint64_t id = 0;
	void *p;

	CHILD_CHECK(ctl >= 0);
	switch (pin) {
	case PIN_CTL:
		break;
	case PIN_MAP:
		CHILD_CHECK(!obj_create(ctl, KIPC_KIND_BUF, NULL, 0600, &fd, &id));
		CHILD_CHECK(!kipc_buf_map(fd, 0, 4096, PROT_READ, &p, NULL));
		close(fd);
		close(ctl);
		id = 0;
		break;
	case PIN_MQ_RECV:
	case PIN_BUF_WAIT:
	case PIN_SEM_WAIT:
		CHILD_CHECK(!obj_create(ctl, kinds[pin - PIN_MQ_RECV], NULL, 0600,
					&fd, &id));
		close(ctl);
		break;
	case PIN_DUMP: {
		/* enough objects that the dump does not fit one message */
		struct nl_sock *sk = nl_socket_alloc();
		struct nl_msg *msg = nlmsg_alloc();
		char name[32];
		int family;

		for (int i = 0; i < 500; i++) {
			snprintf(name, sizeof(name), "/lim-dump-%d", i);
			CHILD_CHECK(!obj_create(ctl, KIPC_KIND_SEM, name, 0600,
						&fd, &id));
			close(fd);
		}
		close(ctl);
		id = 0;
		CHILD_CHECK(sk && msg && !genl_connect(sk));
		family = genl_ctrl_resolve(sk, KIPC_FAMILY_NAME);
		CHILD_CHECK(family > 0);
		genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			    NLM_F_DUMP, KIPC_NL_CMD_OBJ_GET, KIPC_FAMILY_VERSION);
		CHILD_CHECK(nl_send_auto(sk, msg) > 0);
		break;
	}
	}
	CHILD_CHECK(write(ready, &id, sizeof(id)) == sizeof(id));
	switch (pin) {
	case PIN_MQ_RECV: {
		char b[16];
		struct kipc_msg m = { .buf = b, .len = sizeof(b) };

		kipc_mq_receive(fd, &m, 0, 0, 0, -1);
		break;
	}
	case PIN_BUF_WAIT:
		kipc_buf_wait(fd, 0, 0, -1);
		break;
	case PIN_SEM_WAIT:
		kipc_sem_wait(fd, 1);
		break;
	default:
		break;
	}
	for (;;)
		pause();
}

/* Poll netlink until object @id has a waiter; false after about 60 s. */
static bool has_waiter(uint64_t id)
{
	struct nl_obj n;

	for (int i = 0; i < 6000; i++) {
		if (!nl_ask(id, NULL, false, &n) && !n.err && n.waiters == 1)
			return true;
		usleep(10000);
	}
	return false;
}

/*
 * For each way an unprivileged user can hold on to kipc, rmmod, with
 * O_NONBLOCK and without, is refused at once (EWOULDBLOCK, never a wait:
 * a child that blocked would die of SIGALRM) and kipc stays loaded; once
 * the user's process is killed, rmmod succeeds. Root holds nothing.
 */
TEST_F(lim, rmmod_refused_promptly_until_killed)
{
	const char *ko = kipc_module_path();
	int ready[2], ret;
	uint64_t id;
	pid_t pid;

	REQUIRE_ROOT();
	if (!ko)
		SKIP(return, "KIPC_KO not set: run under tools/vm/run");
	ASSERT_EQ(0, pipe(ready));
	for (int pin = PIN_CTL; pin <= PIN_DUMP; pin++) {
		pid = fork_as(UID_O, GID_O, -1);
		ASSERT_LE(0, pid);
		if (!pid)
			pin_module(pin, ready[1]);
		ASSERT_EQ(sizeof(id), read(ready[0], &id, sizeof(id)));
		if (id)
			EXPECT_TRUE(has_waiter(id)) TH_LOG("%s", pin_names[pin]);
		EXPECT_LT(0, kipc_module_refcnt()) TH_LOG("%s", pin_names[pin]);
		EXPECT_EQ(EWOULDBLOCK, rmmod_now(O_NONBLOCK))
			TH_LOG("%s", pin_names[pin]);
		EXPECT_EQ(EWOULDBLOCK, rmmod_now(0)) TH_LOG("%s", pin_names[pin]);
		EXPECT_TRUE(kipc_module_loaded());
		stop(pid);
		/*
		 * Its files were closed before it was reaped; should the
		 * kernel ever defer a release (an fput from a kernel thread
		 * is), allow that, up to about 10 s.
		 */
		for (int i = 0; i < 1000; i++) {
			ret = rmmod_now(O_NONBLOCK);
			if (ret != EWOULDBLOCK)
				break;
			usleep(10000);
		}
		EXPECT_EQ(0, ret) TH_LOG("%s: %s", pin_names[pin], strerror(ret));
		if (!kipc_module_loaded())
			ASSERT_EQ(0, kipc_module_load(ko, ""));
	}
	close(ready[0]);
	close(ready[1]);
}

/*
 * Names in an IPC namespace that ended: user O fills its quota with
 * names in a user and IPC namespace of its own, three times in a row,
 * leaving each namespace with every name linked. Each ended namespace's
 * names are unlinked (docs/abi.md), so every round has the whole quota
 * again: three 300 KiB buffers of the 1 MiB, then four semaphores (the
 * object count's bound) twice; then O has it all in the initial
 * namespace too, nothing pins the module, and another user was never
 * affected.
 */
TEST_F(lim, dead_namespace_names_reclaimed)
{
	const char *ko = kipc_module_path();
	int ready[2], before, made[3], err[3];
	pid_t pid;

	REQUIRE_ROOT();
	if (!ko)
		SKIP(return, "KIPC_KO not set: run under tools/vm/run");
	set_param(_metadata, "max_objects_per_user", 4);
	set_param(_metadata, "user_quota_mb", 1);
	before = kipc_module_refcnt();
	ASSERT_EQ(0, pipe(ready));
	for (int round = 0; round < 3; round++) {
		pid = fork_as(UID_O, GID_O, -1);
		ASSERT_LE(0, pid);
		if (!pid) {
			struct obj_spec s = { .kind = round ? KIPC_KIND_SEM :
						      KIPC_KIND_BUF,
					      .flags = RW | KIPC_OPEN_CREATE |
						       KIPC_OPEN_EXCL,
					      .mode = 0600, .buf_size = 300 << 10 };
			int res[2] = { 0, 0 }, ctl, fd = -1;
			char name[32];
			uint64_t id;

			if (kipc_enter_userns()) {
				res[1] = -1;
				CHILD_CHECK(write(ready[1], res, sizeof(res)) ==
					    sizeof(res));
				_exit(0);
			}
			ctl = kipc_open();
			CHILD_CHECK(ctl >= 0);
			for (; res[0] < 10; res[0]++) {
				snprintf(name, sizeof(name), "/lim-dead-%d",
					 res[0]);
				s.name = name;
				res[1] = obj_open(ctl, &s, &fd, &id);
				if (res[1])
					break;
				close(fd);
			}
			CHILD_CHECK(write(ready[1], res, sizeof(res)) ==
				    sizeof(res));
			_exit(0);
		}
		int res[2] = { 0, -2 };

		EXPECT_EQ(sizeof(res), read(ready[0], res, sizeof(res)));
		EXPECT_EQ(0, reap(pid));
		if (res[1] == -1)
			SKIP(return, "no unprivileged user namespaces");
		made[round] = res[0];
		err[round] = res[1];
	}
	EXPECT_EQ(3, made[0]);
	EXPECT_EQ(EDQUOT, err[0]);
	EXPECT_EQ(4, made[1]);
	EXPECT_EQ(EDQUOT, err[1]);
	EXPECT_EQ(4, made[2]);
	EXPECT_EQ(EDQUOT, err[2]);
	/* they pin nothing: every process of O is gone */
	EXPECT_EQ(before, kipc_module_refcnt());

	EXPECT_EQ(0, sems_as_o(4, EDQUOT));
	pid = fork_as(UID_A, GID_A, -1);
	ASSERT_LE(0, pid);
	if (!pid) {
		int ctl = kipc_open(), fd;
		uint64_t id;

		CHILD_CHECK(!queue_of(ctl, 900000, &fd, &id));
		for (int i = 0; i < 3; i++)
			CHILD_CHECK(!obj_create(ctl, KIPC_KIND_SEM, NULL, 0600,
						&fd, &id));
		_exit(0);
	}
	EXPECT_EQ(0, reap(pid));

	/* nothing left to pin the module: rmmod goes through at once */
	ASSERT_EQ(0, rmmod_now(O_NONBLOCK));
	ASSERT_EQ(0, kipc_module_load(ko, "max_objects_per_user=4"));
	EXPECT_EQ(0, sems_as_o(4, 0));
	close(ready[0]);
	close(ready[1]);
}

TEST_HARNESS_MAIN
