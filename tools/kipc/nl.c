// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kipc generic netlink family through libnl-genl-3: connecting,
 * requests and their errors, and reading an object out of a reply or
 * an event. docs/netlink/kipc.yaml is the family's contract.
 *
 * Errors: the kernel's errno comes in an NLMSG_ERROR (a get, or a dump
 * that could not start) or in NLMSG_DONE (a dump that failed on the
 * way); libnl turns it into one of its own codes, so the error callback
 * keeps the real one, and the extended ack's message with it.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

static const struct knl_stat mq_stats[] = {
	{ KIPC_A_MQ_MAX_MSGS, "max_msgs", 4 },
	{ KIPC_A_MQ_MSG_SIZE, "msg_size", 4 },
	{ KIPC_A_MQ_DEPTH, "depth", 4 },
	{ KIPC_A_MQ_HIGH_WATER, "high_water", 4 },
	{ KIPC_A_MQ_BYTES, "bytes", 8 },
	{ KIPC_A_MQ_RECV_WAITERS, "recv_waiters", 4 },
	{ KIPC_A_MQ_SEND_WAITERS, "send_waiters", 4 },
	{ KIPC_A_MQ_SENT, "sent", 8 },
	{ KIPC_A_MQ_RECEIVED, "received", 8 },
};

static const struct knl_stat buf_stats[] = {
	{ KIPC_A_BUF_SIZE, "size", 8 },
	{ KIPC_A_BUF_MAPPINGS, "mappings", 4 },
	{ KIPC_A_BUF_WAITERS, "waiters", 4 },
	{ KIPC_A_BUF_WAITS, "waits", 8 },
	{ KIPC_A_BUF_WAKES, "wakes", 8 },
	{ KIPC_A_BUF_WOKEN, "woken", 8 },
};

static const struct knl_stat sem_stats[] = {
	{ KIPC_A_SEM_VALUE, "value", 4 },
	{ KIPC_A_SEM_MAX_VALUE, "max_value", 4 },
	{ KIPC_A_SEM_WAITERS, "waiters", 4 },
	{ KIPC_A_SEM_FIRST_WANTS, "first_wants", 4 },
	{ KIPC_A_SEM_WAITS, "waits", 8 },
	{ KIPC_A_SEM_POSTS, "posts", 8 },
	{ KIPC_A_SEM_SLEEPS, "sleeps", 8 },
	{ KIPC_A_SEM_UNDONE, "undone", 8 },
	{ KIPC_A_SEM_UNDO_DROPPED, "undo_dropped", 8 },
};

_Static_assert(KIPC_A_MQ_MAX < KNL_STATS_MAX && KIPC_A_BUF_MAX < KNL_STATS_MAX &&
	       KIPC_A_SEM_MAX < KNL_STATS_MAX, "knl_obj.stat is too small");
_Static_assert(KIPC_A_OBJ_MAX < 32, "knl_obj.has is too small");

static const struct knl_kind knl_kinds[] = {
	[KIPC_KIND_MQ] = { "mq", KIPC_A_OBJ_MQ, mq_stats, ARRAY_SIZE(mq_stats) },
	[KIPC_KIND_BUF] = { "buf", KIPC_A_OBJ_BUF, buf_stats,
			    ARRAY_SIZE(buf_stats) },
	[KIPC_KIND_SEM] = { "sem", KIPC_A_OBJ_SEM, sem_stats,
			    ARRAY_SIZE(sem_stats) },
};

const struct knl_kind *knl_kind(uint32_t kind)
{
	if (kind >= ARRAY_SIZE(knl_kinds) || !knl_kinds[kind].name)
		return NULL;
	return &knl_kinds[kind];
}

uint32_t knl_kind_parse(const char *name)
{
	for (uint32_t k = 0; k < ARRAY_SIZE(knl_kinds); k++)
		if (knl_kinds[k].name && !strcmp(knl_kinds[k].name, name))
			return k;
	return 0;
}

/* What the replies and events carry; libnl checks the sizes. */
static const struct nla_policy knl_obj_policy[KNL_ATTRS_MAX] = {
	[KIPC_A_OBJ_ID]		= { .type = NLA_U32 },
	[KIPC_A_OBJ_KIND]	= { .type = NLA_U32 },
	[KIPC_A_OBJ_NAME]	= { .type = NLA_STRING,
				    .maxlen = KIPC_NAME_MAX + 1 },
	[KIPC_A_OBJ_LINKED]	= { .type = NLA_FLAG },
	[KIPC_A_OBJ_UID]	= { .type = NLA_U32 },
	[KIPC_A_OBJ_GID]	= { .type = NLA_U32 },
	[KIPC_A_OBJ_MODE]	= { .type = NLA_U32 },
	[KIPC_A_OBJ_REFS]	= { .type = NLA_U32 },
	[KIPC_A_OBJ_CTIME]	= { .type = NLA_U64 },
	[KIPC_A_OBJ_CHARGE]	= { .type = NLA_U64 },
	[KIPC_A_OBJ_IPC_NS]	= { .type = NLA_U32 },
	[KIPC_A_OBJ_MQ]		= { .type = NLA_NESTED },
	[KIPC_A_OBJ_BUF]	= { .type = NLA_NESTED },
	[KIPC_A_OBJ_SEM]	= { .type = NLA_NESTED },
};

/*
 * The statistics in the kind's nest; those this tool does not know are
 * left out, as newer kernels may add some.
 */
static int knl_stats_parse(struct nlattr *nest, const struct knl_kind *k,
			   struct knl_obj *o)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		for (size_t i = 0; i < k->nr_stats; i++) {
			const struct knl_stat *s = &k->stats[i];

			if (nla_type(a) != s->type)
				continue;
			if (nla_len(a) != s->len)
				return -EPROTO;
			o->stat[s->type] = s->len == 4 ? nla_get_u32(a) :
					   nla_get_u64(a);
			o->has_stat |= 1u << s->type;
		}
	}
	return 0;
}

int knl_obj_parse(struct nl_msg *msg, struct knl_obj *o)
{
	struct nlattr *tb[KNL_ATTRS_MAX];
	const struct knl_kind *k;
	uint32_t *u32[KNL_ATTRS_MAX] = {
		[KIPC_A_OBJ_ID] = &o->id, [KIPC_A_OBJ_KIND] = &o->kind,
		[KIPC_A_OBJ_UID] = &o->uid, [KIPC_A_OBJ_GID] = &o->gid,
		[KIPC_A_OBJ_MODE] = &o->mode, [KIPC_A_OBJ_REFS] = &o->refs,
		[KIPC_A_OBJ_IPC_NS] = &o->ipc_ns,
	};
	uint64_t *u64[KNL_ATTRS_MAX] = {
		[KIPC_A_OBJ_CTIME] = &o->ctime,
		[KIPC_A_OBJ_CHARGE] = &o->charge,
	};

	memset(o, 0, sizeof(*o));
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, KIPC_A_OBJ_MAX, knl_obj_policy))
		return -EPROTO;
	for (int t = 0; t < KNL_ATTRS_MAX; t++) {
		if (!tb[t])
			continue;
		o->has |= 1u << t;
		if (u32[t])
			*u32[t] = nla_get_u32(tb[t]);
		else if (u64[t])
			*u64[t] = nla_get_u64(tb[t]);
	}
	/* an object is its id and its kind; the rest may be missing */
	if (!tb[KIPC_A_OBJ_ID] || !tb[KIPC_A_OBJ_KIND])
		return -EPROTO;
	o->linked = tb[KIPC_A_OBJ_LINKED];
	if (tb[KIPC_A_OBJ_NAME])
		nla_strlcpy(o->name, tb[KIPC_A_OBJ_NAME], sizeof(o->name));
	k = knl_kind(o->kind);
	if (k && tb[k->nest])
		return knl_stats_parse(tb[k->nest], k, o);
	return 0;
}

const char *knl_obj_name(const struct knl_obj *o, bool mark, char *buf,
			 size_t len)
{
	char *p;

	if (!o->name[0])
		return "-";
	snprintf(buf, len, "%s%s", o->name,
		 mark && !o->linked ? " (unlinked)" : "");
	/* one object, one line: no control character gets through */
	for (p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return buf;
}

size_t knl_obj_fields(const struct knl_obj *o, struct cli_field *f)
{
	const struct cli_field all[] = {
		{ "linked", o->linked, CLI_BOOL },
		{ "uid", o->uid, CLI_NUMBER },
		{ "gid", o->gid, CLI_NUMBER },
		{ "mode", o->mode, CLI_MODE },
		{ "refs", o->refs, CLI_NUMBER },
		{ "ctime", o->ctime, CLI_TIME },
		{ "charge", o->charge, CLI_NUMBER },
		{ "ipc_ns", o->ipc_ns, CLI_NUMBER },
	};
	static const int attr[] = {
		-1, KIPC_A_OBJ_UID, KIPC_A_OBJ_GID, KIPC_A_OBJ_MODE,
		KIPC_A_OBJ_REFS, KIPC_A_OBJ_CTIME, KIPC_A_OBJ_CHARGE,
		KIPC_A_OBJ_IPC_NS,
	};
	size_t n = 0;

	_Static_assert(ARRAY_SIZE(all) == ARRAY_SIZE(attr) &&
		       ARRAY_SIZE(all) <= KNL_FIELDS_MAX, "a field per attribute");
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		/* cppcheck-suppress [shiftTooManyBits,signConversion] ; -1 is not shifted */
		if (attr[i] < 0 || KNL_HAS(o, attr[i]))
			f[n++] = all[i];
	return n;
}

size_t knl_obj_stat_fields(const struct knl_obj *o, struct cli_field *f)
{
	const struct knl_kind *k = knl_kind(o->kind);
	size_t n = 0;

	for (size_t i = 0; k && i < k->nr_stats; i++) {
		const struct knl_stat *s = &k->stats[i];

		if (o->has_stat & 1u << s->type)
			f[n++] = (struct cli_field){ s->key, o->stat[s->type],
						     CLI_NUMBER };
	}
	return n;
}

void knl_obj_json(struct json *j, const struct knl_obj *o)
{
	const struct knl_kind *k = knl_kind(o->kind);
	struct cli_field f[KNL_FIELDS_MAX];

	json_key(j, "id");
	json_uint(j, o->id);
	json_key(j, "kind");
	if (k)
		json_string(j, k->name);
	else
		json_uint(j, o->kind);
	json_key(j, "name");
	if (o->name[0])
		json_name(j, o->name);
	else
		json_null(j);
	cli_json_fields(j, f, knl_obj_fields(o, f));
	if (!k || !KNL_HAS(o, k->nest))
		return;
	json_key(j, k->name);
	json_object_begin(j);
	cli_json_fields(j, f, knl_obj_stat_fields(o, f));
	json_object_end(j);
}

/* libnl's codes, back to the errno values they stand for */
static const struct {
	int nle, err;
} knl_errnos[] = {
	{ NLE_INTR, EINTR }, { NLE_AGAIN, EAGAIN }, { NLE_NOMEM, ENOMEM },
	{ NLE_EXIST, EEXIST }, { NLE_INVAL, EINVAL }, { NLE_RANGE, ERANGE },
	{ NLE_MSGSIZE, EMSGSIZE }, { NLE_OPNOTSUPP, EOPNOTSUPP },
	{ NLE_AF_NOSUPPORT, EAFNOSUPPORT }, { NLE_OBJ_NOTFOUND, ENOENT },
	{ NLE_BUSY, EBUSY }, { NLE_NOACCESS, EACCES }, { NLE_PERM, EPERM },
	{ NLE_NODEV, ENODEV }, { NLE_DUMP_INTR, EINTR },
};

int knl_errno(const struct knl_req *r, int nlerr)
{
	if (r->err)
		return r->err;
	for (size_t i = 0; i < ARRAY_SIZE(knl_errnos); i++)
		if (knl_errnos[i].nle == -nlerr)
			return -knl_errnos[i].err;
	return -EPROTO;
}

void knl_error(const struct knl_req *r, const char *what, int err)
{
	if (r->extack[0])
		fprintf(stderr, "kipc: %s: %s (%s)\n", what, strerror(-err),
			r->extack);
	else
		cli_error(what, err);
}

/*
 * An NLMSG_ERROR with an errno: keep it, and the extended ack's message
 * (NETLINK_EXT_ACK), which follows the request, or its header if capped.
 */
static int knl_on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *h = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct knl_req *r = arg;
	size_t off = sizeof(*e);
	int len;

	(void)nla;
	r->err = e->error < 0 ? e->error : -EPROTO;
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	len = nlmsg_datalen(h) - (int)NLMSG_ALIGN(off);
	if (len <= 0 || nla_parse(tb, NLMSGERR_ATTR_MAX,
				  (struct nlattr *)((char *)e + NLMSG_ALIGN(off)),
				  len, NULL))
		return NL_STOP;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(r->extack, tb[NLMSGERR_ATTR_MSG], sizeof(r->extack));
	return NL_STOP;
}

/* NLMSG_DONE ends a dump; an errno in it means the dump failed. */
static int knl_on_done(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct knl_req *r = arg;
	int err;

	if (nlmsg_datalen(h) >= (int)sizeof(err)) {
		memcpy(&err, nlmsg_data(h), sizeof(err));
		if (err < 0)
			r->err = err;
	}
	return NL_STOP;
}

int knl_open(struct knl_req *r)
{
	int err, one = 1;

	memset(r, 0, sizeof(*r));
	r->sk = nl_socket_alloc();
	if (!r->sk) {
		cli_error("netlink", -ENOMEM);
		return -ENOMEM;
	}
	err = genl_connect(r->sk);
	if (err) {
		err = knl_errno(r, err);
		cli_error("netlink", err);
		goto fail;
	}
	/* the kernel's reasons with its errors, where it has any */
	setsockopt(nl_socket_get_fd(r->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));

	r->family = genl_ctrl_resolve(r->sk, KIPC_FAMILY_NAME);
	if (r->family < 0) {
		err = knl_errno(r, r->family);
		if (err == -ENOENT)
			fprintf(stderr, "kipc: netlink family %s: %s (%s)\n",
				KIPC_FAMILY_NAME, strerror(-err),
				access(KIPC_DEVICE_PATH, F_OK) ?
				"module not loaded?" :
				"a kipc module without netlink?");
		else
			cli_error("netlink family " KIPC_FAMILY_NAME, err);
		goto fail;
	}
	r->err = 0;
	nl_socket_modify_err_cb(r->sk, NL_CB_CUSTOM, knl_on_error, r);
	nl_socket_modify_cb(r->sk, NL_CB_FINISH, NL_CB_CUSTOM, knl_on_done, r);
	return 0;
fail:
	nl_socket_free(r->sk);
	r->sk = NULL;
	return err;
}

void knl_close(struct knl_req *r)
{
	nl_socket_free(r->sk);
	r->sk = NULL;
}

/* Send KIPC_NL_CMD_OBJ_GET with flags and those attributes given. */
static int knl_send_get(struct knl_req *r, int flags, uint32_t id,
			const char *name, uint32_t kind)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err = -NLE_NOMEM;

	r->err = 0;
	r->extack[0] = '\0';
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, r->family, 0, flags,
			 KIPC_NL_CMD_OBJ_GET, KIPC_FAMILY_VERSION))
		goto out;
	if (name)
		err = nla_put_string(msg, KIPC_A_OBJ_NAME, name);
	else if (id)
		err = nla_put_u32(msg, KIPC_A_OBJ_ID, id);
	else
		err = 0;
	if (!err && kind)
		err = nla_put_u32(msg, KIPC_A_OBJ_KIND, kind);
	if (!err)
		err = nl_send_auto(r->sk, msg);
out:
	nlmsg_free(msg);
	return err < 0 ? knl_errno(r, err) : 0;
}

struct knl_get_ctx {
	struct knl_obj *o;
	int err;
	bool found;
};

static int knl_on_obj(struct nl_msg *msg, void *arg)
{
	struct knl_get_ctx *g = arg;

	g->err = knl_obj_parse(msg, g->o);
	g->found = true;
	return NL_OK;
}

int knl_get(struct knl_req *r, uint32_t id, const char *name, uint32_t kind,
	    struct knl_obj *o)
{
	struct knl_get_ctx g = { .o = o };
	int err;

	err = knl_send_get(r, 0, id, name, kind);
	if (err)
		return err;
	nl_socket_modify_cb(r->sk, NL_CB_VALID, NL_CB_CUSTOM, knl_on_obj, &g);
	/* the reply, or the error instead of it */
	err = nl_recvmsgs_default(r->sk);
	if (err)
		return knl_errno(r, err);
	/* then the ack that nl_send_auto() asked for */
	err = nl_wait_for_ack(r->sk);
	if (err)
		return knl_errno(r, err);
	if (!g.found)
		return -EPROTO;
	return g.err;
}

struct knl_dump_ctx {
	struct knl_objs *objs;
	int err;
};

static int knl_on_dump(struct nl_msg *msg, void *arg)
{
	struct knl_dump_ctx *d = arg;
	struct knl_objs *objs = d->objs;
	int err;

	if (objs->n == objs->cap) {
		size_t cap = objs->cap ? 2 * objs->cap : 256;
		struct knl_obj *v = realloc(objs->v, cap * sizeof(*v));

		if (!v) {
			d->err = -ENOMEM;
			return NL_SKIP;
		}
		objs->v = v;
		objs->cap = cap;
	}
	err = knl_obj_parse(msg, &objs->v[objs->n]);
	if (err)
		d->err = err;
	else
		objs->n++;
	return NL_OK;
}

int knl_dump(struct knl_req *r, uint32_t kind, struct knl_objs *objs)
{
	struct knl_dump_ctx d = { .objs = objs };
	int err;

	objs->n = 0;
	err = knl_send_get(r, NLM_F_DUMP, 0, NULL, kind);
	if (err)
		return err;
	nl_socket_modify_cb(r->sk, NL_CB_VALID, NL_CB_CUSTOM, knl_on_dump, &d);
	/* every part up to NLMSG_DONE, interrupted or not */
	err = nl_recvmsgs_default(r->sk);
	if (err == -NLE_DUMP_INTR && !r->err && !d.err)
		return -EINTR;
	if (err)
		return knl_errno(r, err);
	return r->err ? r->err : d.err;
}
