// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "kipc": a read-only view of the objects, and
 * a multicast group of events about them. The spec, with every attribute,
 * is docs/netlink/kipc.yaml; uapi/linux/kipc_netlink.h is generated from
 * it, and the policies below follow it.
 *
 * KIPC_NL_CMD_OBJ_GET gets one object of the caller's IPC namespace by id
 * or by name, or dumps them all in id order. A dump keeps its place by
 * id, not by position, so objects that come and go cannot make it repeat
 * or skip one that stays; the generation of the namespace's registry
 * marks its messages NLM_F_DUMP_INTR when any came or went meanwhile.
 *
 * DOC: events
 * Sent only when someone listens, to the network namespace the object's
 * creator was in: a destroy may happen in a task that has already left
 * its namespaces (the last close of an exiting task), and an IPC
 * namespace has no network namespace of its own. Since the group carries
 * the events of every IPC namespace sharing the network namespace,
 * joining it needs CAP_NET_ADMIN there; each event names its IPC
 * namespace so that a listener can keep to its own. Events carry the
 * object's identity, not its statistics: a queue's become full and empty
 * are sent under its lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "kipc.h"

enum kipc_nl_groups {
	KIPC_NLGRP_EVENTS,
};

static const struct genl_multicast_group kipc_nl_mcgrps[] = {
	[KIPC_NLGRP_EVENTS] = {
		.name = KIPC_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

/* Requests name an object or a kind; strict validation rejects the rest. */
static const struct nla_policy kipc_nl_obj_policy[KIPC_A_OBJ_MAX + 1] = {
	[KIPC_A_OBJ_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[KIPC_A_OBJ_KIND] = NLA_POLICY_RANGE(NLA_U32, KIPC_KIND_MQ,
					     KIPC_KIND_SEM),
	[KIPC_A_OBJ_NAME] = { .type = NLA_NUL_STRING, .len = KIPC_NAME_MAX },
};

static struct genl_family kipc_nl_family;

static int kipc_nl_put_mq(struct sk_buff *skb, struct kipc_obj *obj,
			  struct user_namespace *user_ns)
{
	struct kipc_mq_stat st = {};
	struct nlattr *nest;

	kipc_mq_stat_obj(obj, user_ns, &st);
	nest = nla_nest_start(skb, KIPC_A_OBJ_MQ);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KIPC_A_MQ_MAX_MSGS, st.max_msgs) ||
	    nla_put_u32(skb, KIPC_A_MQ_MSG_SIZE, st.msg_size) ||
	    nla_put_u32(skb, KIPC_A_MQ_DEPTH, st.depth) ||
	    nla_put_u32(skb, KIPC_A_MQ_HIGH_WATER, st.high_water) ||
	    nla_put_u64_64bit(skb, KIPC_A_MQ_BYTES, st.bytes, KIPC_A_MQ_PAD) ||
	    nla_put_u32(skb, KIPC_A_MQ_RECV_WAITERS, st.recv_waiters) ||
	    nla_put_u32(skb, KIPC_A_MQ_SEND_WAITERS, st.send_waiters) ||
	    nla_put_u64_64bit(skb, KIPC_A_MQ_SENT, st.sent, KIPC_A_MQ_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_MQ_RECEIVED, st.received,
			      KIPC_A_MQ_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int kipc_nl_put_buf(struct sk_buff *skb, struct kipc_obj *obj,
			   struct user_namespace *user_ns)
{
	struct kipc_buf_stat st = {};
	struct nlattr *nest;

	kipc_buf_stat_obj(obj, user_ns, &st);
	nest = nla_nest_start(skb, KIPC_A_OBJ_BUF);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, KIPC_A_BUF_SIZE, st.buf_size,
			      KIPC_A_BUF_PAD) ||
	    nla_put_u32(skb, KIPC_A_BUF_MAPPINGS, st.mappings) ||
	    nla_put_u32(skb, KIPC_A_BUF_WAITERS, st.waiters) ||
	    nla_put_u64_64bit(skb, KIPC_A_BUF_WAITS, st.waits, KIPC_A_BUF_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_BUF_WAKES, st.wakes, KIPC_A_BUF_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_BUF_WOKEN, st.woken, KIPC_A_BUF_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int kipc_nl_put_sem(struct sk_buff *skb, struct kipc_obj *obj,
			   struct user_namespace *user_ns)
{
	struct kipc_sem_stat st = {};
	struct nlattr *nest;

	kipc_sem_stat_obj(obj, user_ns, &st);
	nest = nla_nest_start(skb, KIPC_A_OBJ_SEM);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KIPC_A_SEM_VALUE, st.value) ||
	    nla_put_u32(skb, KIPC_A_SEM_MAX_VALUE, st.max) ||
	    nla_put_u32(skb, KIPC_A_SEM_WAITERS, st.waiters) ||
	    nla_put_u32(skb, KIPC_A_SEM_FIRST_WANTS, st.first_wants) ||
	    nla_put_u64_64bit(skb, KIPC_A_SEM_WAITS, st.waits, KIPC_A_SEM_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_SEM_POSTS, st.posts, KIPC_A_SEM_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_SEM_SLEEPS, st.sleeps,
			      KIPC_A_SEM_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_SEM_UNDONE, st.undone,
			      KIPC_A_SEM_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_SEM_UNDO_DROPPED, st.undo_dropped,
			      KIPC_A_SEM_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* What identifies an object: all an event carries. */
static int kipc_nl_put_ident(struct sk_buff *skb, struct kipc_obj *obj,
			     struct user_namespace *user_ns)
{
	if (nla_put_u32(skb, KIPC_A_OBJ_ID, obj->id) ||
	    nla_put_u32(skb, KIPC_A_OBJ_KIND, obj->kind) ||
	    (obj->name && nla_put_string(skb, KIPC_A_OBJ_NAME, obj->name)) ||
	    /* a hint, read without the registry lock */
	    (READ_ONCE(obj->ns) && nla_put_flag(skb, KIPC_A_OBJ_LINKED)) ||
	    nla_put_u32(skb, KIPC_A_OBJ_UID,
			from_kuid_munged(user_ns, obj->uid)) ||
	    nla_put_u32(skb, KIPC_A_OBJ_GID,
			from_kgid_munged(user_ns, obj->gid)) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MODE, obj->mode) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_CTIME, obj->ctime_ns,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u32(skb, KIPC_A_OBJ_IPC_NS, obj->ipc_inum))
		return -EMSGSIZE;
	return 0;
}

static size_t kipc_nl_ident_size(struct kipc_obj *obj)
{
	return nla_total_size(sizeof(u32)) * 6 +	/* id ... mode, ipc-ns */
	       nla_total_size(0) +			/* linked */
	       nla_total_size_64bit(sizeof(u64)) +	/* ctime */
	       (obj->name ? nla_total_size(strlen(obj->name) + 1) : 0);
}

/*
 * A reply: the identity, and what a reader would want to know now. The
 * caller holds a reference on @obj, not counted in refs.
 */
static int kipc_nl_fill(struct sk_buff *skb, struct kipc_obj *obj,
			struct user_namespace *user_ns, u32 portid, u32 seq,
			int flags, struct netlink_callback *cb)
{
	void *hdr;
	int ret;

	hdr = genlmsg_put(skb, portid, seq, &kipc_nl_family, flags,
			  KIPC_NL_CMD_OBJ_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	ret = kipc_nl_put_ident(skb, obj, user_ns);
	if (!ret &&
	    (nla_put_u32(skb, KIPC_A_OBJ_REFS, kref_read(&obj->ref) - 1) ||
	     nla_put_u64_64bit(skb, KIPC_A_OBJ_CHARGE, obj->charge,
			       KIPC_A_OBJ_PAD)))
		ret = -EMSGSIZE;
	if (!ret) {
		switch (obj->kind) {
		case KIPC_KIND_MQ:
			ret = kipc_nl_put_mq(skb, obj, user_ns);
			break;
		case KIPC_KIND_BUF:
			ret = kipc_nl_put_buf(skb, obj, user_ns);
			break;
		case KIPC_KIND_SEM:
			ret = kipc_nl_put_sem(skb, obj, user_ns);
			break;
		}
	}
	if (ret) {
		genlmsg_cancel(skb, hdr);
		return ret;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int kipc_nl_obj_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *id_attr = info->attrs[KIPC_A_OBJ_ID];
	struct nlattr *name_attr = info->attrs[KIPC_A_OBJ_NAME];
	struct nlattr *kind_attr = info->attrs[KIPC_A_OBJ_KIND];
	const char *name = NULL;
	struct kipc_obj *obj;
	struct sk_buff *msg;
	struct kipc_ns *ns;
	u32 id = 0;
	int ret;

	if (!id_attr == !name_attr) {
		NL_SET_ERR_MSG(info->extack, "need exactly one of id and name");
		return -EINVAL;
	}
	if (name_attr) {
		name = nla_data(name_attr);
		if (!kipc_name_valid(name, strlen(name))) {
			NL_SET_ERR_MSG_ATTR(info->extack, name_attr,
					    "a name is '/' and 1 to 254 bytes, no '/'");
			return -EINVAL;
		}
	} else {
		id = nla_get_u32(id_attr);
	}

	ns = kipc_ns_get_current();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	obj = kipc_obj_find(ns, kind_attr ? nla_get_u32(kind_attr) : 0, id,
			    name);
	kipc_ns_put(ns);
	if (!obj)
		return -ENOENT;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out_put;
	}
	ret = kipc_nl_fill(msg, obj, current_user_ns(), info->snd_portid,
			   info->snd_seq, 0, NULL);
	if (ret) {
		nlmsg_free(msg);
		goto out_put;
	}
	ret = genlmsg_reply(msg, info);
out_put:
	kipc_obj_put(obj);
	return ret;
}

/**
 * struct kipc_nl_dump - a dump's place, in the netlink callback's context
 * @ns: the registry of the IPC namespace of the task that asked, referenced
 * @user_ns: that task's user namespace, referenced: owners as it sees them
 * @next_id: the id to look at next
 * @kind: only objects of this kind, or 0
 * @end: the last possible id was dumped
 *
 * Taken when the dump starts, not at each step: later steps run in
 * whoever reads the socket.
 */
struct kipc_nl_dump {
	struct kipc_ns *ns;
	struct user_namespace *user_ns;
	unsigned long next_id;
	u32 kind;
	bool end;
};

static struct kipc_nl_dump *kipc_nl_dump_of(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct kipc_nl_dump) > sizeof(cb->ctx));
	return (struct kipc_nl_dump *)cb->ctx;
}

static int kipc_nl_obj_get_start(struct netlink_callback *cb)
{
	struct nlattr *kind_attr = genl_info_dump(cb)->attrs[KIPC_A_OBJ_KIND];
	struct kipc_nl_dump *d = kipc_nl_dump_of(cb);
	struct kipc_ns *ns;

	ns = kipc_ns_get_current();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	d->ns = ns;
	d->user_ns = get_user_ns(current_user_ns());
	d->next_id = 1;
	d->kind = kind_attr ? nla_get_u32(kind_attr) : 0;
	return 0;
}

static int kipc_nl_obj_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct kipc_nl_dump *d = kipc_nl_dump_of(cb);
	struct kipc_obj *obj;
	unsigned int gen;
	int ret;

	while (!d->end &&
	       (obj = kipc_obj_next(d->ns, d->kind, &d->next_id, &gen))) {
		cb->seq = gen;
		ret = kipc_nl_fill(skb, obj, d->user_ns,
				   NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		kipc_obj_put(obj);
		if (ret)
			/* full: this object starts the next message */
			return skb->len ?: ret;
		if (d->next_id == U32_MAX)
			d->end = true;
		d->next_id++;
	}
	return skb->len;
}

static int kipc_nl_obj_get_done(struct netlink_callback *cb)
{
	struct kipc_nl_dump *d = kipc_nl_dump_of(cb);

	kipc_ns_put(d->ns);
	put_user_ns(d->user_ns);
	return 0;
}

static const struct genl_ops kipc_nl_ops[] = {
	{
		.cmd		= KIPC_NL_CMD_OBJ_GET,
		.doit		= kipc_nl_obj_get_doit,
		.start		= kipc_nl_obj_get_start,
		.dumpit		= kipc_nl_obj_get_dumpit,
		.done		= kipc_nl_obj_get_done,
		.policy		= kipc_nl_obj_policy,
		.maxattr	= KIPC_A_OBJ_MAX,
	},
};

/* resv_start_op 0: the header's reserved bits checked, strict policies */
static struct genl_family kipc_nl_family __ro_after_init = {
	.name		= KIPC_FAMILY_NAME,
	.version	= KIPC_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= kipc_nl_ops,
	.n_ops		= ARRAY_SIZE(kipc_nl_ops),
	.mcgrps		= kipc_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(kipc_nl_mcgrps),
};

/**
 * kipc_nl_notify() - tell the event listeners about @obj, if there are any
 * @obj: the object, referenced by the caller or being released
 * @cmd: KIPC_NL_CMD_*_NTF
 *
 * May sleep; called under the registry's mutex for the events of an
 * object's life, under a queue's mutex for its full and empty. An event
 * that cannot be allocated is lost, as one is when a listener's socket
 * buffer is full: either way the listeners see ENOBUFS.
 */
void kipc_nl_notify(struct kipc_obj *obj, u8 cmd)
{
	struct net *net = obj->net;
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(&kipc_nl_family, net, KIPC_NLGRP_EVENTS))
		return;

	skb = genlmsg_new(kipc_nl_ident_size(obj), GFP_KERNEL);
	if (!skb)
		goto lost;
	hdr = genlmsg_put(skb, 0, 0, &kipc_nl_family, 0, cmd);
	if (!hdr || kipc_nl_put_ident(skb, obj, net->user_ns)) {
		nlmsg_free(skb);
		goto lost;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&kipc_nl_family, net, skb, 0,
				KIPC_NLGRP_EVENTS, GFP_KERNEL);
	return;
lost:
	genl_set_err(&kipc_nl_family, net, 0, KIPC_NLGRP_EVENTS, -ENOBUFS);
}

int __init kipc_netlink_init(void)
{
	return genl_register_family(&kipc_nl_family);
}

void kipc_netlink_exit(void)
{
	genl_unregister_family(&kipc_nl_family);
}
