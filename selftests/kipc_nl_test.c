// SPDX-License-Identifier: GPL-2.0
/*
 * kipc_nl_test: the generic netlink family "kipc": get and dump against
 * what the test created (a few objects and 5,000), dumps while others
 * create and delete, malformed requests, IPC and network namespaces, and
 * the events group in order.
 *
 * Each test runs in an IPC namespace of its own (the harness forks one
 * process per test), so a dump shows exactly what the test made. libnl
 * builds and parses the messages; requests are sent and answers read as
 * raw buffers, so that the test sees every flag and error the kernel
 * sends, extack included.
 */
#include <errno.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <kipc.h>
#include <linux/kipc_netlink.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

#define RW	(KIPC_OPEN_READ | KIPC_OPEN_WRITE)
#define CREATE	(RW | KIPC_OPEN_CREATE | KIPC_OPEN_EXCL)
#define ANON	(RW | KIPC_OPEN_CREATE)
#define NOBODY	65534

/* One object as a reply or an event shows it; 0 / false where absent. */
struct kn_obj {
	uint8_t cmd;
	uint32_t id, kind, uid, gid, mode, refs, ipc_ns;
	uint64_t ctime, charge;
	char name[KIPC_NAME_MAX + 2];
	bool has_name, linked, has_refs, has_stats;
	uint32_t mq_depth, mq_max_msgs;
	uint64_t mq_sent;
	uint64_t buf_size;
	uint32_t sem_value, sem_max;
};

/* What one request brought back. */
struct kn_reply {
	int error;		/* 0, or the errno of an NLMSG_ERROR */
	char extack[256];	/* its message, if any */
	struct kn_obj *objs;
	int n, cap;
	int msgs;		/* data messages */
	int intr;		/* of those, marked NLM_F_DUMP_INTR */
	bool done;
};

struct kn {
	struct nl_sock *sk;
	int family;
	int events;		/* the events group's id */
};

static int kn_connect(struct kn *nl)
{
	int one = 1;

	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	if (genl_connect(nl->sk))
		return -ENOTCONN;
	nl_socket_enable_msg_peek(nl->sk);
	/* errors come anyway; an ACK after a reply would answer the next */
	nl_socket_disable_auto_ack(nl->sk);
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sk, KIPC_FAMILY_NAME);
	if (nl->family < 0)
		return nl->family;
	nl->events = genl_ctrl_resolve_grp(nl->sk, KIPC_FAMILY_NAME,
					   KIPC_MCGRP_EVENTS);
	return nl->events < 0 ? nl->events : 0;
}

static void kn_close(struct kn *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

static void kn_reply_free(struct kn_reply *r)
{
	free(r->objs);
	memset(r, 0, sizeof(*r));
}

static void parse_obj(struct nlmsghdr *nlh, struct kn_obj *o)
{
	struct nlattr *tb[KIPC_A_OBJ_MAX + 1], *sub[KIPC_A_OBJ_MAX + 16];
	struct genlmsghdr *g = nlmsg_data(nlh);

	memset(o, 0, sizeof(*o));
	o->cmd = g->cmd;
	if (genlmsg_parse(nlh, 0, tb, KIPC_A_OBJ_MAX, NULL))
		return;
#define U32(a) (tb[a] ? nla_get_u32(tb[a]) : 0)
	o->id = U32(KIPC_A_OBJ_ID);
	o->kind = U32(KIPC_A_OBJ_KIND);
	o->uid = U32(KIPC_A_OBJ_UID);
	o->gid = U32(KIPC_A_OBJ_GID);
	o->mode = U32(KIPC_A_OBJ_MODE);
	o->refs = U32(KIPC_A_OBJ_REFS);
	o->ipc_ns = U32(KIPC_A_OBJ_IPC_NS);
#undef U32
	o->has_refs = tb[KIPC_A_OBJ_REFS];
	if (tb[KIPC_A_OBJ_CTIME])
		o->ctime = nla_get_u64(tb[KIPC_A_OBJ_CTIME]);
	if (tb[KIPC_A_OBJ_CHARGE])
		o->charge = nla_get_u64(tb[KIPC_A_OBJ_CHARGE]);
	if (tb[KIPC_A_OBJ_NAME]) {
		o->has_name = true;
		nla_strlcpy(o->name, tb[KIPC_A_OBJ_NAME], sizeof(o->name));
	}
	o->linked = tb[KIPC_A_OBJ_LINKED];
	if (tb[KIPC_A_OBJ_MQ] &&
	    !nla_parse_nested(sub, KIPC_A_MQ_MAX, tb[KIPC_A_OBJ_MQ], NULL)) {
		o->has_stats = true;
		o->mq_depth = nla_get_u32(sub[KIPC_A_MQ_DEPTH]);
		o->mq_max_msgs = nla_get_u32(sub[KIPC_A_MQ_MAX_MSGS]);
		o->mq_sent = nla_get_u64(sub[KIPC_A_MQ_SENT]);
	}
	if (tb[KIPC_A_OBJ_BUF] &&
	    !nla_parse_nested(sub, KIPC_A_BUF_MAX, tb[KIPC_A_OBJ_BUF], NULL)) {
		o->has_stats = true;
		o->buf_size = nla_get_u64(sub[KIPC_A_BUF_SIZE]);
	}
	if (tb[KIPC_A_OBJ_SEM] &&
	    !nla_parse_nested(sub, KIPC_A_SEM_MAX, tb[KIPC_A_OBJ_SEM], NULL)) {
		o->has_stats = true;
		o->sem_value = nla_get_u32(sub[KIPC_A_SEM_VALUE]);
		o->sem_max = nla_get_u32(sub[KIPC_A_SEM_MAX_VALUE]);
	}
}

static void add_obj(struct kn_reply *r, struct nlmsghdr *nlh)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->objs = realloc(r->objs, r->cap * sizeof(*r->objs));
		if (!r->objs)
			abort();
	}
	parse_obj(nlh, &r->objs[r->n++]);
}

static void parse_error(struct kn_reply *r, struct nlmsghdr *nlh)
{
	struct nlmsgerr *e = nlmsg_data(nlh);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);

	r->error = -e->error;
	r->done = true;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)e + NLMSG_ALIGN(off)),
		      nlmsg_datalen(nlh) - NLMSG_ALIGN(off), NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(r->extack, tb[NLMSGERR_ATTR_MSG],
			    sizeof(r->extack));
}

/*
 * Read what is there, or wait up to @timeout_ms for it; 0 when the reply
 * is complete or the wait ran out, -errno if the socket failed.
 */
static int kn_read(struct kn *nl, struct kn_reply *r, int timeout_ms)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(nl->sk), .events = POLLIN };
	struct sockaddr_nl peer;
	unsigned char *buf;
	struct nlmsghdr *nlh;
	int len;

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return 0;
	len = nl_recv(nl->sk, &peer, &buf, NULL);
	if (len < 0)
		return len == -NLE_NOMEM ? -ENOBUFS : -EIO;
	for (nlh = (void *)buf; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_type == NLMSG_DONE) {
			r->done = true;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				r->intr++;
		} else if (nlh->nlmsg_type == NLMSG_ERROR) {
			parse_error(r, nlh);
		} else if (nlh->nlmsg_type == nl->family) {
			r->msgs++;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				r->intr++;
			add_obj(r, nlh);
			if (!(nlh->nlmsg_flags & NLM_F_MULTI))
				r->done = true;
		}
	}
	free(buf);
	return 0;
}

/* A request of our own making, sent; its answer read into @r. */
static int kn_call(struct kn *nl, struct nl_msg *msg, struct kn_reply *r)
{
	int ret;

	memset(r, 0, sizeof(*r));
	ret = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (ret < 0)
		return -EIO;
	while (!r->done) {
		ret = kn_read(nl, r, 10000);
		if (ret)
			return ret;
		if (!r->done && !r->msgs && !r->error)
			return -ETIMEDOUT;
	}
	return 0;
}

static struct nl_msg *kn_req(struct kn *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg)
		genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			    flags, cmd, KIPC_FAMILY_VERSION);
	return msg;
}

/* Get by id (name NULL) or by name; kind 0 for any. */
static int kn_get(struct kn *nl, uint32_t id, const char *name, uint32_t kind,
		  struct kn_reply *r)
{
	struct nl_msg *msg = kn_req(nl, KIPC_NL_CMD_OBJ_GET, 0);

	if (name)
		nla_put_string(msg, KIPC_A_OBJ_NAME, name);
	else
		nla_put_u32(msg, KIPC_A_OBJ_ID, id);
	if (kind)
		nla_put_u32(msg, KIPC_A_OBJ_KIND, kind);
	return kn_call(nl, msg, r);
}

static int kn_dump(struct kn *nl, uint32_t kind, struct kn_reply *r)
{
	struct nl_msg *msg = kn_req(nl, KIPC_NL_CMD_OBJ_GET, NLM_F_DUMP);

	if (kind)
		nla_put_u32(msg, KIPC_A_OBJ_KIND, kind);
	return kn_call(nl, msg, r);
}

static uint32_t own_ipc_ns(void)
{
	struct stat st;

	return stat("/proc/self/ns/ipc", &st) ? 0 : (uint32_t)st.st_ino;
}

/* The id of what an fd refers to, through its kind's stat ioctl. */
static uint32_t mq_id(int fd)
{
	struct kipc_mq_stat st;

	return kipc_mq_stat(fd, &st, sizeof(st)) ? 0 : (uint32_t)st.id;
}

static uint32_t sem_id(int fd)
{
	struct kipc_sem_stat st;

	return kipc_sem_stat(fd, &st, sizeof(st)) ? 0 : (uint32_t)st.id;
}

static uint32_t buf_id(int fd)
{
	struct kipc_buf_stat st;

	return kipc_buf_stat(fd, &st, sizeof(st)) ? 0 : (uint32_t)st.id;
}

static int send_msg(int fd)
{
	char byte = 'x';
	struct kipc_msg m = { .buf = &byte, .len = 1 };

	return kipc_mq_send(fd, &m, 0, -1);
}

static int recv_msg(int fd)
{
	char byte;
	struct kipc_msg m = { .buf = &byte, .len = 1 };

	return kipc_mq_receive(fd, &m, 0, 0, 0, -1);
}

FIXTURE(kn) {
	int ctl;
	struct kn nl;
};

FIXTURE_SETUP(kn)
{
	int ret;

	if (access("/dev/kipc", F_OK))
		SKIP(return, "kipc is not loaded");
	/* a namespace of our own: a dump shows what this test made */
	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	self->ctl = kipc_open();
	ASSERT_LE(0, self->ctl);
	memset(&self->nl, 0, sizeof(self->nl));
	ret = kn_connect(&self->nl);
	ASSERT_EQ(0, ret) TH_LOG("the kipc family: %d", ret);
}

/* Names outlive the test's namespace: unlink what a failed test left. */
FIXTURE_TEARDOWN(kn)
{
	struct kn_reply r;
	int i;

	if (self->nl.sk && !kn_dump(&self->nl, 0, &r)) {
		for (i = 0; i < r.n; i++) {
			if (!r.objs[i].linked)
				continue;
			if (r.objs[i].kind == KIPC_KIND_MQ)
				kipc_mq_unlink(self->ctl, r.objs[i].name);
			else if (r.objs[i].kind == KIPC_KIND_BUF)
				kipc_buf_unlink(self->ctl, r.objs[i].name);
			else
				kipc_sem_unlink(self->ctl, r.objs[i].name);
		}
		kn_reply_free(&r);
	}
	kn_close(&self->nl);
	if (self->ctl >= 0)
		close(self->ctl);
}

/* Get by id and by name: every attribute, against the ioctl's view. */
TEST_F(kn, get_mq)
{
	struct kipc_mq_attr attr = { .max_msgs = 4, .msg_size = 64,
				     .mode = 0640 };
	struct kipc_mq_stat st;
	struct kn_reply r;
	struct kn_obj *o;
	int fd, i;

	umask(0);
	fd = kipc_mq_open(self->ctl, "/nlq", CREATE, &attr);
	ASSERT_LE(0, fd);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, send_msg(fd));
	ASSERT_EQ(0, kipc_mq_stat(fd, &st, sizeof(st)));

	ASSERT_EQ(0, kn_get(&self->nl, st.id, NULL, 0, &r));
	ASSERT_EQ(0, r.error) TH_LOG("%s", r.extack);
	ASSERT_EQ(1, r.n);
	o = &r.objs[0];
	EXPECT_EQ(KIPC_NL_CMD_OBJ_GET, o->cmd);
	EXPECT_EQ(st.id, o->id);
	EXPECT_EQ(KIPC_KIND_MQ, o->kind);
	EXPECT_TRUE(o->has_name);
	EXPECT_STREQ("/nlq", o->name);
	EXPECT_TRUE(o->linked);
	EXPECT_EQ(getuid(), o->uid);
	EXPECT_EQ(getgid(), o->gid);
	EXPECT_EQ(0640, o->mode);
	/* the fd and the linked name */
	EXPECT_EQ(2, o->refs);
	EXPECT_EQ(st.ctime_ns, o->ctime);
	EXPECT_LT(0, o->charge);
	EXPECT_EQ(own_ipc_ns(), o->ipc_ns);
	EXPECT_EQ(3, o->mq_depth);
	EXPECT_EQ(4, o->mq_max_msgs);
	EXPECT_EQ(3, o->mq_sent);
	kn_reply_free(&r);

	ASSERT_EQ(0, kn_get(&self->nl, 0, "/nlq", 0, &r));
	ASSERT_EQ(0, r.error) TH_LOG("%s", r.extack);
	ASSERT_EQ(1, r.n);
	EXPECT_EQ(st.id, r.objs[0].id);
	kn_reply_free(&r);

	/* the right kind, and another */
	ASSERT_EQ(0, kn_get(&self->nl, st.id, NULL, KIPC_KIND_MQ, &r));
	EXPECT_EQ(0, r.error);
	EXPECT_EQ(1, r.n);
	kn_reply_free(&r);
	ASSERT_EQ(0, kn_get(&self->nl, 0, "/nlq", KIPC_KIND_SEM, &r));
	EXPECT_EQ(ENOENT, r.error);
	EXPECT_EQ(0, r.n);
	kn_reply_free(&r);

	ASSERT_EQ(0, kipc_mq_unlink(self->ctl, "/nlq"));
	ASSERT_EQ(0, kipc_mq_close(fd));
	ASSERT_EQ(0, kn_get(&self->nl, st.id, NULL, 0, &r));
	EXPECT_EQ(ENOENT, r.error);
	kn_reply_free(&r);
}

/* Buffers and semaphores; anonymous and unlinked objects. */
TEST_F(kn, get_buf_sem_anonymous_unlinked)
{
	/* a constant: NOLINTNEXTLINE(bugprone-implicit-widening-of-multiplication-result) */
	struct kipc_buf_attr battr = { .size = 3 * 4096, .mode = 0600 };
	struct kipc_sem_attr sattr = { .value = 5, .max = 9, .mode = 0600 };
	struct kn_reply r;
	int bfd, sfd;

	bfd = kipc_buf_open(self->ctl, "/nlbuf", CREATE, &battr, NULL);
	ASSERT_LE(0, bfd);
	sfd = kipc_sem_open(self->ctl, NULL, ANON, &sattr);
	ASSERT_LE(0, sfd);

	ASSERT_EQ(0, kn_get(&self->nl, sem_id(sfd), NULL, 0, &r));
	ASSERT_EQ(1, r.n);
	EXPECT_EQ(KIPC_KIND_SEM, r.objs[0].kind);
	EXPECT_FALSE(r.objs[0].has_name);
	EXPECT_FALSE(r.objs[0].linked);
	EXPECT_EQ(1, r.objs[0].refs);
	EXPECT_EQ(5, r.objs[0].sem_value);
	EXPECT_EQ(9, r.objs[0].sem_max);
	kn_reply_free(&r);

	ASSERT_EQ(0, kipc_buf_unlink(self->ctl, "/nlbuf"));
	/* gone by name; by id it keeps the name it had, not linked */
	ASSERT_EQ(0, kn_get(&self->nl, 0, "/nlbuf", 0, &r));
	EXPECT_EQ(ENOENT, r.error);
	kn_reply_free(&r);
	ASSERT_EQ(0, kn_get(&self->nl, buf_id(bfd), NULL, 0, &r));
	ASSERT_EQ(1, r.n);
	EXPECT_EQ(KIPC_KIND_BUF, r.objs[0].kind);
	EXPECT_STREQ("/nlbuf", r.objs[0].name);
	EXPECT_FALSE(r.objs[0].linked);
	EXPECT_EQ(1, r.objs[0].refs);
	EXPECT_EQ(3 * 4096, r.objs[0].buf_size);
	kn_reply_free(&r);

	/* both in a dump, and the kind filter */
	ASSERT_EQ(0, kn_dump(&self->nl, 0, &r));
	EXPECT_EQ(0, r.error);
	EXPECT_EQ(2, r.n);
	kn_reply_free(&r);
	ASSERT_EQ(0, kn_dump(&self->nl, KIPC_KIND_BUF, &r));
	ASSERT_EQ(1, r.n);
	EXPECT_EQ(buf_id(bfd), r.objs[0].id);
	kn_reply_free(&r);

	close(bfd);
	close(sfd);
	ASSERT_EQ(0, kn_dump(&self->nl, 0, &r));
	EXPECT_EQ(0, r.error);
	EXPECT_EQ(0, r.n);
	EXPECT_TRUE(r.done);
	kn_reply_free(&r);
}

/* One malformed request: what is wrong with it and what the kernel says. */
struct bad_req {	/* NOLINT(clang-analyzer-optin.performance.Padding): a table */
	const char *what;
	uint8_t cmd;
	int flags;
	int reserved;		/* genlmsghdr.reserved */
	void (*put)(struct nl_msg *msg);
	int error;
	const char *extack;	/* a part of the message, or NULL */
};

static void put_nothing(struct nl_msg *msg) { (void)msg; }
static void put_id0(struct nl_msg *msg) { nla_put_u32(msg, KIPC_A_OBJ_ID, 0); }
static void put_id_u16(struct nl_msg *msg) { nla_put_u16(msg, KIPC_A_OBJ_ID, 1); }
static void put_id_and_name(struct nl_msg *msg)
{
	nla_put_u32(msg, KIPC_A_OBJ_ID, 1);
	nla_put_string(msg, KIPC_A_OBJ_NAME, "/x");
}
static void put_kind0(struct nl_msg *msg)
{
	nla_put_u32(msg, KIPC_A_OBJ_ID, 1);
	nla_put_u32(msg, KIPC_A_OBJ_KIND, 0);
}
static void put_kind4(struct nl_msg *msg)
{
	nla_put_u32(msg, KIPC_A_OBJ_ID, 1);
	nla_put_u32(msg, KIPC_A_OBJ_KIND, 4);
}
static void put_name_noslash(struct nl_msg *msg) { nla_put_string(msg, KIPC_A_OBJ_NAME, "q"); }
static void put_name_slash(struct nl_msg *msg) { nla_put_string(msg, KIPC_A_OBJ_NAME, "/"); }
static void put_name_two(struct nl_msg *msg) { nla_put_string(msg, KIPC_A_OBJ_NAME, "/a/b"); }
static void put_name_long(struct nl_msg *msg)
{
	char name[KIPC_NAME_MAX + 2];

	memset(name, 'n', sizeof(name));
	name[0] = '/';
	name[KIPC_NAME_MAX + 1] = '\0';
	nla_put_string(msg, KIPC_A_OBJ_NAME, name);
}
static void put_name_unterminated(struct nl_msg *msg) { nla_put(msg, KIPC_A_OBJ_NAME, 2, "/q"); }
static void put_uid(struct nl_msg *msg)
{
	nla_put_u32(msg, KIPC_A_OBJ_ID, 1);
	nla_put_u32(msg, KIPC_A_OBJ_UID, 0);
}
static void put_unknown(struct nl_msg *msg)
{
	nla_put_u32(msg, KIPC_A_OBJ_ID, 1);
	nla_put_u32(msg, KIPC_A_OBJ_MAX + 1, 0);
}
static void put_nest_garbage(struct nl_msg *msg)
{
	nla_put_u32(msg, KIPC_A_OBJ_ID, 1);
	nla_put(msg, KIPC_A_OBJ_MQ, 3, "abc");
}

static const struct bad_req bad_reqs[] = {
	{ "no id, no name", KIPC_NL_CMD_OBJ_GET, 0, 0, put_nothing, EINVAL,
	  "exactly one of id and name" },
	{ "id and name", KIPC_NL_CMD_OBJ_GET, 0, 0, put_id_and_name, EINVAL,
	  "exactly one of id and name" },
	{ "id 0", KIPC_NL_CMD_OBJ_GET, 0, 0, put_id0, ERANGE, "out of range" },
	{ "id of 2 bytes", KIPC_NL_CMD_OBJ_GET, 0, 0, put_id_u16, EINVAL, NULL },
	{ "kind 0", KIPC_NL_CMD_OBJ_GET, 0, 0, put_kind0, ERANGE,
	  "out of range" },
	{ "kind 4", KIPC_NL_CMD_OBJ_GET, 0, 0, put_kind4, ERANGE,
	  "out of range" },
	{ "name without '/'", KIPC_NL_CMD_OBJ_GET, 0, 0, put_name_noslash,
	  EINVAL, "a name is" },
	{ "name \"/\"", KIPC_NL_CMD_OBJ_GET, 0, 0, put_name_slash, EINVAL,
	  "a name is" },
	{ "name with two '/'", KIPC_NL_CMD_OBJ_GET, 0, 0, put_name_two, EINVAL,
	  "a name is" },
	{ "name too long", KIPC_NL_CMD_OBJ_GET, 0, 0, put_name_long, EINVAL,
	  "policy" },
	{ "name not terminated", KIPC_NL_CMD_OBJ_GET, 0, 0,
	  put_name_unterminated, EINVAL, NULL },
	{ "a reply attribute", KIPC_NL_CMD_OBJ_GET, 0, 0, put_uid, EINVAL,
	  NULL },
	{ "an unknown attribute", KIPC_NL_CMD_OBJ_GET, 0, 0, put_unknown,
	  EINVAL, NULL },
	{ "a nest in a request", KIPC_NL_CMD_OBJ_GET, 0, 0, put_nest_garbage,
	  EINVAL, NULL },
	{ "reserved header bits", KIPC_NL_CMD_OBJ_GET, 0, 1, NULL, EINVAL,
	  "reserved" },
	{ "dump with an unknown attribute", KIPC_NL_CMD_OBJ_GET, NLM_F_DUMP, 0,
	  put_unknown, EINVAL, NULL },
	{ "dump with kind 4", KIPC_NL_CMD_OBJ_GET, NLM_F_DUMP, 0, put_kind4,
	  ERANGE, "out of range" },
	{ "command 0", 0, 0, 0, put_id0, EOPNOTSUPP, NULL },
	{ "a notification as a request", KIPC_NL_CMD_OBJ_ADD_NTF, 0, 0,
	  put_id0, EOPNOTSUPP, NULL },
	{ "command 200", 200, 0, 0, put_id0, EOPNOTSUPP, NULL },
	{ "an id nobody has", KIPC_NL_CMD_OBJ_GET, 0, 0, NULL, ENOENT, NULL },
};

static void put_free_id(struct nl_msg *msg)
{
	nla_put_u32(msg, KIPC_A_OBJ_ID, UINT32_MAX);
}

/* Every malformed request: its errno and message; the family still works. */
TEST_F(kn, malformed)
{
	struct kn_reply r;
	size_t i;
	int fd;

	fd = kipc_sem_open(self->ctl, "/nlsem", CREATE, NULL);
	ASSERT_LE(0, fd);
	for (i = 0; i < KIPC_ARRAY_SIZE(bad_reqs); i++) {
		const struct bad_req *b = &bad_reqs[i];
		struct nl_msg *msg = kn_req(&self->nl, b->cmd, b->flags);

		genlmsg_hdr(nlmsg_hdr(msg))->reserved = b->reserved;
		(b->put ? b->put : put_free_id)(msg);
		ASSERT_EQ(0, kn_call(&self->nl, msg, &r)) TH_LOG("%s", b->what);
		EXPECT_EQ(b->error, r.error)
			TH_LOG("%s: %s (%s)", b->what, strerror(r.error),
			       r.extack);
		EXPECT_EQ(0, r.n) TH_LOG("%s", b->what);
		if (b->extack)
			EXPECT_NE(NULL, strstr(r.extack, b->extack))
				TH_LOG("%s: extack \"%s\"", b->what, r.extack);
		kn_reply_free(&r);
	}
	/* nothing was disturbed */
	ASSERT_EQ(0, kn_get(&self->nl, 0, "/nlsem", 0, &r));
	EXPECT_EQ(0, r.error);
	EXPECT_EQ(1, r.n);
	kn_reply_free(&r);
	close(fd);
	ASSERT_EQ(0, kipc_sem_unlink(self->ctl, "/nlsem"));
}

#define MANY 5000

static void raise_limits(struct __test_metadata *_metadata, unsigned int n,
			 unsigned int *old_user, unsigned int *old_all)
{
	char val[16];

	ASSERT_EQ(0, kipc_param_get("max_objects_per_user", old_user));
	ASSERT_EQ(0, kipc_param_get("max_objects", old_all));
	snprintf(val, sizeof(val), "%u", n);
	/* errno: NOLINTBEGIN(clang-analyzer-core.UndefinedBinaryOperatorResult) */
	if (*old_user < n)
		ASSERT_EQ(0, kipc_param_set("max_objects_per_user", val));
	if (*old_all < n)
		ASSERT_EQ(0, kipc_param_set("max_objects", val));
	/* NOLINTEND(clang-analyzer-core.UndefinedBinaryOperatorResult) */
}

static void restore_limits(unsigned int old_user, unsigned int old_all)
{
	char val[16];

	snprintf(val, sizeof(val), "%u", old_user);
	kipc_param_set("max_objects_per_user", val);
	snprintf(val, sizeof(val), "%u", old_all);
	kipc_param_set("max_objects", val);
}

/* 5,000 objects: each exactly once, in id order, over many messages. */
TEST_F_TIMEOUT(kn, dump_5000, 300)
{
	struct kipc_mq_attr small = { .max_msgs = 1, .msg_size = 16 };
	unsigned int old_user, old_all;
	static unsigned char seen[MANY];
	struct kn_reply r;
	char name[32];
	uint32_t prev = 0;
	int i, fd, n;

	raise_limits(_metadata, MANY + 100, &old_user, &old_all);
	for (i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "/many-%d", i);
		fd = i % 3 == 0 ? kipc_sem_open(self->ctl, name, CREATE, NULL) :
			kipc_mq_open(self->ctl, name, CREATE, &small);
		ASSERT_LE(0, fd) TH_LOG("object %d: %s", i, strerror(-fd));
		close(fd);
	}

	ASSERT_EQ(0, kn_dump(&self->nl, 0, &r));
	ASSERT_EQ(0, r.error) TH_LOG("%s", r.extack);
	EXPECT_EQ(MANY, r.n);
	EXPECT_LT(1, r.msgs);
	EXPECT_EQ(0, r.intr);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < r.n; i++) {
		struct kn_obj *o = &r.objs[i];

		ASSERT_LT(prev, o->id) TH_LOG("ids out of order at %d", i);
		prev = o->id;
		ASSERT_EQ(1, sscanf(o->name, "/many-%d", &n)) TH_LOG("%s", o->name);
		ASSERT_TRUE(n >= 0 && n < MANY);
		ASSERT_EQ(0, seen[n]++) TH_LOG("%s twice", o->name);
		EXPECT_EQ(n % 3 ? KIPC_KIND_MQ : KIPC_KIND_SEM, o->kind);
		EXPECT_TRUE(o->linked);
		EXPECT_EQ(1, o->refs);
		EXPECT_TRUE(o->has_stats);
	}
	kn_reply_free(&r);

	ASSERT_EQ(0, kn_dump(&self->nl, KIPC_KIND_SEM, &r));
	EXPECT_EQ((MANY + 2) / 3, r.n);
	kn_reply_free(&r);

	/* a sample by name agrees with the dump */
	for (i = 0; i < MANY; i += 97) {
		snprintf(name, sizeof(name), "/many-%d", i);
		ASSERT_EQ(0, kn_get(&self->nl, 0, name, 0, &r));
		ASSERT_EQ(1, r.n) TH_LOG("%s: %s", name, strerror(r.error));
		EXPECT_STREQ(name, r.objs[0].name);
		kn_reply_free(&r);
	}

	for (i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "/many-%d", i);
		ASSERT_EQ(0, i % 3 == 0 ? kipc_sem_unlink(self->ctl, name) :
			  kipc_mq_unlink(self->ctl, name));
	}
	restore_limits(old_user, old_all);
	ASSERT_EQ(0, kn_dump(&self->nl, 0, &r));
	EXPECT_EQ(0, r.n);
	kn_reply_free(&r);
}

#define STABLE	200
#define DUMPS	10

/* Create and delete named and anonymous objects until killed. */
static void churn(int ctl, int seed)
{
	char name[48];
	int i, fd, anon;

	for (i = 0;; i++) {
		snprintf(name, sizeof(name), "/churn-%d-%d", seed, i % 50);
		kipc_mq_unlink(ctl, name);
		fd = kipc_mq_open(ctl, name, CREATE, NULL);
		if (fd >= 0)
			close(fd);
		anon = kipc_sem_open(ctl, NULL, ANON, NULL);
		if (anon >= 0)
			close(anon);
	}
}

/*
 * Dumps while two processes create and delete: each dump in id order,
 * each object at most once, every stable object exactly once, nothing
 * that is neither.
 */
TEST_F_TIMEOUT(kn, dump_concurrent, 300)
{
	unsigned int old_user, old_all;
	int stable_fd[STABLE];
	unsigned char seen[STABLE];
	pid_t pid[2];
	int i, d, n, intr = 0, churned = 0;
	char name[32];

	raise_limits(_metadata, STABLE + 1000, &old_user, &old_all);
	for (i = 0; i < STABLE; i++) {
		snprintf(name, sizeof(name), "/stable-%d", i);
		stable_fd[i] = i % 2 ?
			kipc_buf_open(self->ctl, name, CREATE,
				      &(struct kipc_buf_attr){ .size = 4096 },
				      NULL) :
			kipc_sem_open(self->ctl, name, CREATE, NULL);
		ASSERT_LE(0, stable_fd[i]);
	}
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i]) {
			churn(self->ctl, i);
			_exit(0);
		}
	}

	for (d = 0; d < DUMPS; d++) {
		struct kn_reply r;
		uint32_t prev = 0;

		ASSERT_EQ(0, kn_dump(&self->nl, 0, &r));
		ASSERT_EQ(0, r.error) TH_LOG("%s", r.extack);
		memset(seen, 0, sizeof(seen));
		for (i = 0; i < r.n; i++) {
			struct kn_obj *o = &r.objs[i];

			ASSERT_LT(prev, o->id) TH_LOG("dump %d: order", d);
			prev = o->id;
			ASSERT_TRUE(o->kind >= KIPC_KIND_MQ &&
				    o->kind <= KIPC_KIND_SEM);
			ASSERT_TRUE(o->has_stats);
			ASSERT_EQ(own_ipc_ns(), o->ipc_ns);
			if (sscanf(o->name, "/stable-%d", &n) == 1) {
				ASSERT_TRUE(n >= 0 && n < STABLE);
				ASSERT_EQ(0, seen[n]++) TH_LOG("%s twice", o->name);
				continue;
			}
			churned++;
			ASSERT_TRUE(!o->has_name ||
				    !strncmp(o->name, "/churn-", 7))
				TH_LOG("dump %d: \"%s\"", d, o->name);
		}
		for (n = 0; n < STABLE; n++)
			ASSERT_EQ(1, seen[n]) TH_LOG("dump %d: /stable-%d", d, n);
		intr += !!r.intr;
		kn_reply_free(&r);
	}
	for (i = 0; i < 2; i++) {
		kill(pid[i], SIGKILL);
		waitpid(pid[i], NULL, 0);
	}
	TH_LOG("%d dumps, %d interrupted, %d churned objects seen",
	       DUMPS, intr, churned);

	for (i = 0; i < STABLE; i++) {
		snprintf(name, sizeof(name), "/stable-%d", i);
		close(stable_fd[i]);
		ASSERT_EQ(0, i % 2 ? kipc_buf_unlink(self->ctl, name) :
			  kipc_sem_unlink(self->ctl, name));
	}
	for (i = 0; i < 2; i++)
		for (n = 0; n < 50; n++) {
			snprintf(name, sizeof(name), "/churn-%d-%d", i, n);
			kipc_mq_unlink(self->ctl, name);
		}
	restore_limits(old_user, old_all);
}

/* Another IPC namespace sees nothing of this one, and the reverse. */
TEST_F(kn, ipc_namespace)
{
	struct kn_reply r;
	uint32_t id;
	int fd, status;
	pid_t pid;

	fd = kipc_mq_open(self->ctl, "/mine", CREATE, NULL);
	ASSERT_LE(0, fd);
	id = mq_id(fd);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct kn nl = {};
		int ctl, other;

		if (unshare(CLONE_NEWIPC) || kn_connect(&nl))
			_exit(10);
		if (kn_dump(&nl, 0, &r) || r.error || r.n)
			_exit(11);
		kn_reply_free(&r);
		if (kn_get(&nl, id, NULL, 0, &r) || r.error != ENOENT)
			_exit(12);
		kn_reply_free(&r);
		if (kn_get(&nl, 0, "/mine", 0, &r) || r.error != ENOENT)
			_exit(13);
		kn_reply_free(&r);
		/* one of its own: seen here, with this namespace's inode */
		ctl = kipc_open();
		other = kipc_mq_open(ctl, "/mine", CREATE, NULL);
		if (other < 0)
			_exit(14);
		if (kn_dump(&nl, 0, &r) || r.n != 1 ||
		    r.objs[0].id != mq_id(other) ||
		    r.objs[0].ipc_ns != own_ipc_ns() ||
		    r.objs[0].ipc_ns == 0)
			_exit(15);
		kn_reply_free(&r);
		kipc_mq_unlink(ctl, "/mine");
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));

	ASSERT_EQ(0, kn_dump(&self->nl, 0, &r));
	ASSERT_EQ(1, r.n);
	EXPECT_EQ(id, r.objs[0].id);
	kn_reply_free(&r);
	close(fd);
	ASSERT_EQ(0, kipc_mq_unlink(self->ctl, "/mine"));
}

/* Read events until @n have come, or 5 s without one. */
static int read_events(struct kn *nl, struct kn_reply *r, int n)
{
	int ret, before;

	while (r->n < n) {
		before = r->n;
		ret = kn_read(nl, r, 5000);
		if (ret)
			return ret;
		if (r->n == before)
			break;
	}
	return 0;
}

static int listen_events(struct kn *nl)
{
	nl_socket_disable_seq_check(nl->sk);
	return nl_socket_add_membership(nl->sk, nl->events);
}

/* A scripted sequence: every event, in order, with the right identity. */
TEST_F(kn, events_in_order)
{
	struct kipc_mq_attr attr = { .max_msgs = 2 };
	struct kn ev = {};
	struct kn_reply r = {};
	uint32_t qid, sid;
	int q, s, i;
	static const uint8_t want[] = {
		KIPC_NL_CMD_OBJ_ADD_NTF, KIPC_NL_CMD_MQ_FULL_NTF,
		KIPC_NL_CMD_MQ_EMPTY_NTF, KIPC_NL_CMD_OBJ_ADD_NTF,
		KIPC_NL_CMD_OBJ_UNLINK_NTF, KIPC_NL_CMD_OBJ_DEL_NTF,
		KIPC_NL_CMD_OBJ_DEL_NTF,
	};

	ASSERT_EQ(0, kn_connect(&ev));
	ASSERT_EQ(0, listen_events(&ev));

	q = kipc_mq_open(self->ctl, "/evq", CREATE, &attr);
	ASSERT_LE(0, q);
	qid = mq_id(q);
	ASSERT_EQ(0, send_msg(q));
	ASSERT_EQ(0, send_msg(q));		/* full */
	ASSERT_EQ(0, recv_msg(q));
	ASSERT_EQ(0, recv_msg(q));		/* empty */
	s = kipc_sem_open(self->ctl, NULL, ANON, NULL);
	ASSERT_LE(0, s);
	sid = sem_id(s);
	ASSERT_EQ(0, kipc_mq_unlink(self->ctl, "/evq"));
	close(q);				/* destroyed */
	close(s);

	ASSERT_EQ(0, read_events(&ev, &r, KIPC_ARRAY_SIZE(want)));
	ASSERT_EQ(KIPC_ARRAY_SIZE(want), r.n);
	for (i = 0; i < r.n; i++) {
		struct kn_obj *o = &r.objs[i];
		bool is_q = i != 3 && i != 6;

		EXPECT_EQ(want[i], o->cmd) TH_LOG("event %d", i);
		EXPECT_EQ(is_q ? qid : sid, o->id) TH_LOG("event %d", i);
		EXPECT_EQ(is_q ? KIPC_KIND_MQ : KIPC_KIND_SEM, o->kind);
		EXPECT_EQ(is_q, o->has_name);
		if (is_q)
			EXPECT_STREQ("/evq", o->name);
		/* linked as after the event */
		EXPECT_EQ(i < 3, o->linked) TH_LOG("event %d", i);
		EXPECT_EQ(own_ipc_ns(), o->ipc_ns);
		EXPECT_EQ(getuid(), o->uid);
		EXPECT_FALSE(o->has_refs);
		EXPECT_FALSE(o->has_stats);
	}
	kn_reply_free(&r);
	/* and nothing more */
	ASSERT_EQ(0, kn_read(&ev, &r, 200));
	EXPECT_EQ(0, r.n);
	kn_reply_free(&r);
	kn_close(&ev);
}

/*
 * Joining the group needs CAP_NET_ADMIN; getting and dumping do not, and
 * show an unprivileged caller every object of its namespace.
 */
TEST_F(kn, events_need_admin)
{
	int fd, status;
	uint32_t id;
	pid_t pid;

	fd = kipc_sem_open(self->ctl, "/private", CREATE, NULL);
	ASSERT_LE(0, fd);
	id = sem_id(fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct kn nl = {};
		struct kn_reply r;

		if (setgid(NOBODY) || setuid(NOBODY) || kn_connect(&nl))
			_exit(10);
		if (nl_socket_add_membership(nl.sk, nl.events) !=
		    -NLE_PERM)
			_exit(11);
		if (kn_get(&nl, id, NULL, 0, &r) || r.n != 1 ||
		    r.objs[0].uid != 0 || r.objs[0].mode != 0600)
			_exit(12);
		kn_reply_free(&r);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(fd);
	ASSERT_EQ(0, kipc_sem_unlink(self->ctl, "/private"));
}

/*
 * Events go to the network namespace of the object's creator: a listener
 * here hears nothing of objects made in another one, whose own listener
 * hears them.
 */
TEST_F(kn, events_network_namespace)
{
	struct kn ev = {};
	struct kn_reply r = {};
	int status, fd;
	pid_t pid;

	ASSERT_EQ(0, kn_connect(&ev));
	ASSERT_EQ(0, listen_events(&ev));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct kn mine = {};
		struct kn_reply mr = {};
		int ctl, q;

		if (unshare(CLONE_NEWNET) || kn_connect(&mine) ||
		    listen_events(&mine))
			_exit(10);
		ctl = kipc_open();
		q = kipc_mq_open(ctl, NULL, ANON, NULL);
		if (q < 0)
			_exit(11);
		close(q);
		if (read_events(&mine, &mr, 2) || mr.n != 2 ||
		    mr.objs[0].cmd != KIPC_NL_CMD_OBJ_ADD_NTF ||
		    mr.objs[1].cmd != KIPC_NL_CMD_OBJ_DEL_NTF)
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* a marker of our own: everything before it has arrived */
	fd = kipc_sem_open(self->ctl, NULL, ANON, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, read_events(&ev, &r, 1));
	ASSERT_EQ(1, r.n);
	EXPECT_EQ(sem_id(fd), r.objs[0].id);
	kn_reply_free(&r);
	close(fd);
	kn_close(&ev);
}

TEST_HARNESS_MAIN
