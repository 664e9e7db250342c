/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kipc generic netlink family from the command line (nl.c): what
 * kipc ls, stat (show.c) and monitor (monitor.c) share.
 *
 * libnl-genl-3 does the talking, as its own tests do: resolve the
 * family, put the message, one callback for the valid replies; the
 * monitor disables sequence checks for its events. Only these files use
 * netlink; the other commands and libkipc know nothing of it.
 */
#ifndef _KIPC_NL_H
#define _KIPC_NL_H

#include <netlink/genl/genl.h>

#include <linux/kipc_netlink.h>

#include "cli.h"

/**
 * struct knl_stat - one statistic of an object kind (a KIPC_A_MQ_* ...)
 * @type: its attribute
 * @key: its name in JSON and text, the spec's with '_' for '-'
 * @len: 4 for a u32, 8 for a u64
 */
struct knl_stat {
	int type;
	const char *key;
	int len;
};

/**
 * struct knl_kind - what the family says of one enum kipc_kind
 * @name: "mq", "buf", "sem": as --kind takes it and JSON says it
 * @nest: the attribute of its statistics (KIPC_A_OBJ_MQ ...)
 * @stats: its statistics, in the spec's order
 * @nr_stats: how many
 */
struct knl_kind {
	const char *name;
	int nest;
	const struct knl_stat *stats;
	size_t nr_stats;
};

/* The kind of that number, or NULL for one this tool does not know. */
const struct knl_kind *knl_kind(uint32_t kind);

/* The kind of that name ("mq"), or 0. */
uint32_t knl_kind_parse(const char *name);

/* The most statistics of a kind, and the attributes of an object. */
#define KNL_STATS_MAX	16
#define KNL_ATTRS_MAX	(KIPC_A_OBJ_MAX + 1)

/**
 * struct knl_obj - an object as a reply or an event shows it
 * @has: a bit per KIPC_A_OBJ_* attribute it carried
 * @has_stat: a bit per statistic (KIPC_A_MQ_* ... of its kind) it carried
 * @stat: the statistics, by attribute
 * The other members are the attributes of the same names; @name is ""
 * for an anonymous object.
 */
struct knl_obj {
	uint32_t has;
	uint32_t has_stat;
	uint32_t id, kind, uid, gid, mode, refs, ipc_ns;
	uint64_t ctime, charge;
	bool linked;
	char name[KIPC_NAME_MAX + 1];
	uint64_t stat[KNL_STATS_MAX];
};

#define KNL_HAS(o, attr)	((o)->has & (1u << (attr)))

/* Read a reply's or an event's attributes into *o: 0 or -EPROTO. */
int knl_obj_parse(struct nl_msg *msg, struct knl_obj *o);

/*
 * An object's name for people: "/q", "-" for an anonymous one, and with
 * mark "/q (unlinked)" once it is unlinked; control characters show as
 * '?'. buf holds KIPC_NAME_MAX + 16 bytes.
 */
const char *knl_obj_name(const struct knl_obj *o, bool mark, char *buf,
			 size_t len);

/* The most fields of an object, or statistics of a kind. */
#define KNL_FIELDS_MAX	KNL_STATS_MAX

/*
 * Fill f with what an object carried besides id, kind and name, in the
 * spec's order: linked (always), uid, gid, mode, refs, ctime, charge,
 * ipc_ns; returns how many.
 */
size_t knl_obj_fields(const struct knl_obj *o, struct cli_field *f);

/* Fill f with the statistics of its kind it carried; returns how many. */
size_t knl_obj_stat_fields(const struct knl_obj *o, struct cli_field *f);

/*
 * The object as JSON members, inside an object the caller began: id,
 * kind (its name), name (null if none), the fields above, and the
 * statistics as an object under the kind's name ("mq": {...}).
 */
void knl_obj_json(struct json *j, const struct knl_obj *o);

/**
 * struct knl_req - a socket of the kipc family
 * @sk: the socket
 * @family: the family's id
 * @err: the kernel's errno (negative) from the last error reply, or 0
 * @extack: the kernel's message with it, or ""
 */
struct knl_req {
	struct nl_sock *sk;
	int family;
	int err;
	char extack[256];
};

/*
 * Connect and resolve the family; 0, or -errno after saying why on
 * stderr ("kipc: netlink family kipc: No such file or directory (module
 * not loaded?)").
 */
int knl_open(struct knl_req *r);
void knl_close(struct knl_req *r);

/* -errno for libnl's error nlerr (negative), preferring the kernel's. */
int knl_errno(const struct knl_req *r, int nlerr);

/*
 * "kipc: WHAT: errno text (the kernel's message)": one line, as
 * cli_error(), with the kernel's extended ack if it said something.
 */
void knl_error(const struct knl_req *r, const char *what, int err);

/*
 * One object by id, or by name if name is not NULL, and only of that
 * kind unless kind is 0: 0 and *o, or -errno (ENOENT: no such object in
 * the caller's IPC namespace).
 */
int knl_get(struct knl_req *r, uint32_t id, const char *name, uint32_t kind,
	    struct knl_obj *o);

/* What a dump read: objects in the order they came. */
struct knl_objs {
	struct knl_obj *v;
	size_t n, cap;
};

/*
 * Every object of the caller's IPC namespace, only of that kind unless
 * kind is 0, into *objs (emptied first): 0, -EINTR if objects came or
 * went while it ran (what it read is in *objs: a consistent list needs
 * another try), or -errno.
 */
int knl_dump(struct knl_req *r, uint32_t kind, struct knl_objs *objs);

#endif /* _KIPC_NL_H */
