// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc monitor: the events of the kipc netlink family, a line each as
 * they come, as ip monitor prints those of rtnetlink, until SIGINT or
 * SIGTERM (exit 0).
 *
 *	kipc [--json] monitor [--all-namespaces] [--rcvbuf BYTES]
 *
 * The group carries the events of every IPC namespace sharing the
 * network namespace; each names its IPC namespace, and the monitor
 * keeps to its own unless told otherwise. Joining needs CAP_NET_ADMIN.
 * A listener that falls behind loses events (ENOBUFS): the monitor says
 * so where it happened, and goes on.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>

#include "nl.h"

/* What the events are called, in text and JSON. */
static const char *const mon_events[] = {
	[KIPC_NL_CMD_OBJ_ADD_NTF]	= "add",
	[KIPC_NL_CMD_OBJ_UNLINK_NTF]	= "unlink",
	[KIPC_NL_CMD_OBJ_DEL_NTF]	= "del",
	[KIPC_NL_CMD_MQ_FULL_NTF]	= "mq-full",
	[KIPC_NL_CMD_MQ_EMPTY_NTF]	= "mq-empty",
};

/**
 * struct mon - a monitor
 * @json: a JSON object per line
 * @all: every IPC namespace's events, each with its ipc_ns
 * @rcvbuf: the socket's receive buffer, bytes; 0: the system's default
 * @ipc_ns: the inode of ours, for the others' to be left out
 * @family: the family's id
 * @ret: EXIT_FAILED once stdout failed
 */
struct mon {
	bool json, all;
	int rcvbuf;
	uint32_t ipc_ns;
	int family;
	int ret;
};

/* A line out, at once: the monitor may be read through a pipe. */
static int mon_flush(struct mon *m)
{
	if (m->ret == EXIT_OK)
		m->ret = cli_flush_stdout();
	return m->ret == EXIT_OK ? NL_OK : NL_STOP;
}

/*
 * "add      mq  12 /jobs uid 0 gid 0 mode 0600", and " ipc_ns N" with
 * --all-namespaces; or the JSON object, "event" first.
 */
static int mon_on_event(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	char name[KIPC_NAME_MAX + 16];
	const struct knl_kind *k;
	struct mon *m = arg;
	const char *event;
	struct knl_obj o;
	struct json j;
	uint8_t cmd;

	if (h->nlmsg_type != m->family || !genlmsg_valid_hdr(h, 0))
		return NL_SKIP;
	cmd = genlmsg_hdr(h)->cmd;
	/* those of a newer kernel than this tool knows are left out */
	event = cmd < ARRAY_SIZE(mon_events) ? mon_events[cmd] : NULL;
	if (!event)
		return NL_SKIP;
	if (knl_obj_parse(msg, &o)) {
		fprintf(stderr, "kipc: monitor: an event %s that could not be read\n",
			event);
		return NL_SKIP;
	}
	if (!m->all && (!KNL_HAS(&o, KIPC_A_OBJ_IPC_NS) || o.ipc_ns != m->ipc_ns))
		return NL_SKIP;

	if (m->json) {
		json_begin(&j, stdout);
		json_object_begin(&j);
		json_key(&j, "event");
		json_string(&j, event);
		knl_obj_json(&j, &o);
		json_object_end(&j);
		json_end(&j);
		return mon_flush(m);
	}
	k = knl_kind(o.kind);
	printf("%-8s %-3s %u %s", event, k ? k->name : "?", o.id,
	       knl_obj_name(&o, false, name, sizeof(name)));
	if (KNL_HAS(&o, KIPC_A_OBJ_UID))
		printf(" uid %u", o.uid);
	if (KNL_HAS(&o, KIPC_A_OBJ_GID))
		printf(" gid %u", o.gid);
	if (KNL_HAS(&o, KIPC_A_OBJ_MODE))
		printf(" mode %04o", o.mode);
	if (m->all && KNL_HAS(&o, KIPC_A_OBJ_IPC_NS))
		printf(" ipc_ns %u", o.ipc_ns);
	putchar('\n');
	return mon_flush(m);
}

/* ENOBUFS: the kernel dropped events for us; say so and go on. */
static void mon_lost(struct mon *m)
{
	if (m->json)
		printf("{\"event\":\"lost\"}\n");
	else
		printf("lost     events: the receive buffer overflowed\n");
	mon_flush(m);
}

/* Join the events group, as a socket with a handler for them. */
static int mon_join(struct mon *m, struct knl_req *r)
{
	int grp, err;

	m->family = r->family;
	grp = genl_ctrl_resolve_grp(r->sk, KIPC_FAMILY_NAME, KIPC_MCGRP_EVENTS);
	if (grp < 0) {
		cli_error("monitor: " KIPC_MCGRP_EVENTS " group",
			  knl_errno(r, grp));
		return -1;
	}
	/* events come with sequence number 0: no checks for them */
	nl_socket_disable_seq_check(r->sk);
	nl_socket_modify_cb(r->sk, NL_CB_VALID, NL_CB_CUSTOM, mon_on_event, m);
	if (m->rcvbuf) {
		int fd = nl_socket_get_fd(r->sk);

		/* past rmem_max where CAP_NET_ADMIN allows, as it must here */
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &m->rcvbuf,
			       sizeof(m->rcvbuf)) &&
		    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &m->rcvbuf,
			       sizeof(m->rcvbuf))) {
			cli_error("monitor: --rcvbuf", -errno);
			return -1;
		}
	}
	err = nl_socket_add_membership(r->sk, grp);
	if (err) {
		err = knl_errno(r, err);
		if (err == -EPERM)
			fprintf(stderr, "kipc: monitor: %s (joining the events group needs CAP_NET_ADMIN)\n",
				strerror(-err));
		else
			cli_error("monitor", err);
		return -1;
	}
	return nl_socket_set_nonblocking(r->sk) ? -1 : 0;
}

/*
 * Until SIGINT or SIGTERM: they come through a signalfd, so that a
 * signal is never lost between poll() and a receive that libnl would
 * restart on EINTR.
 */
static int mon_loop(struct mon *m, struct knl_req *r, int sfd)
{
	struct pollfd p[2] = {
		{ .fd = nl_socket_get_fd(r->sk), .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
	};
	int err, so_err;
	socklen_t len;

	while (m->ret == EXIT_OK) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			cli_error("monitor: poll", -errno);
			return EXIT_FAILED;
		}
		if (p[1].revents)
			return EXIT_OK;
		if (p[0].revents & POLLERR) {
			len = sizeof(so_err);
			if (getsockopt(p[0].fd, SOL_SOCKET, SO_ERROR, &so_err,
				       &len))
				so_err = errno;
			if (so_err == ENOBUFS) {
				mon_lost(m);
			} else if (so_err) {
				cli_error("monitor", -so_err);
				return EXIT_FAILED;
			}
		}
		if (!(p[0].revents & POLLIN))
			continue;
		errno = 0;
		err = nl_recvmsgs_default(r->sk);
		/* an overflow since poll(): libnl says NLE_NOMEM for it */
		if (err == -NLE_NOMEM && errno == ENOBUFS) {
			mon_lost(m);
		} else if (err < 0) {
			cli_error("monitor", knl_errno(r, err));
			return EXIT_FAILED;
		}
	}
	return m->ret;
}

static int mon_usage(const char *fmt, const char *arg)
{
	char msg[128];

	snprintf(msg, sizeof(msg), fmt, arg);
	cli_usage_error("monitor", "%s", msg);
	return EXIT_USAGE;
}

static int mon_parse(struct mon *m, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "all-namespaces", no_argument, NULL, 'a' },
		{ "rcvbuf", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	char *end;
	int ch;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:jah", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			m->json = true;
			break;
		case 'a':
			m->all = true;
			break;
		case 'r':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (optarg[0] < '0' || optarg[0] > '9' || *end ||
			    errno || !v || v > INT_MAX / 2)
				return mon_usage("--rcvbuf wants a number of bytes, 1 to 1073741823, not '%s'",
						 optarg);
			m->rcvbuf = v;
			break;
		case 'h':
			fputs(cli_cmd_monitor.usage, stdout);
			return -1;
		case ':':
			return mon_usage("%s needs a value", argv[optind - 1]);
		default:
			if (optopt) {
				cli_usage_error("monitor", "unknown option '-%c'",
						optopt);
				return EXIT_USAGE;
			}
			return mon_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return mon_usage("unexpected argument '%s'", argv[optind]);
	return EXIT_OK;
}

static int monitor_run(const struct cli_opts *opts, int argc, char **argv)
{
	struct mon m = { .json = opts->json };
	struct knl_req r;
	struct stat st;
	sigset_t set;
	int ret, sfd;

	ret = mon_parse(&m, argc, argv);
	if (ret < 0)
		return cli_flush_stdout();
	if (ret != EXIT_OK)
		return ret;
	if (!m.all) {
		if (stat("/proc/self/ns/ipc", &st)) {
			fprintf(stderr, "kipc: monitor: /proc/self/ns/ipc: %s (--all-namespaces does without)\n",
				strerror(errno));
			return EXIT_FAILED;
		}
		m.ipc_ns = st.st_ino;
	}

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0) {
		cli_error("monitor: signalfd", -errno);
		return EXIT_FAILED;
	}
	if (knl_open(&r)) {
		close(sfd);
		return EXIT_FAILED;
	}
	ret = mon_join(&m, &r) ? EXIT_FAILED : mon_loop(&m, &r, sfd);
	knl_close(&r);
	close(sfd);
	return ret;
}

const struct cli_cmd cli_cmd_monitor = {
	.name = "monitor",
	.summary = "print events as objects come, go, fill and empty",
	.usage =
	"usage: kipc [--json] monitor [--all-namespaces] [--rcvbuf BYTES]\n"
	"\n"
	"Print a line per event of kipc objects until SIGINT or SIGTERM (exit 0):\n"
	"\n"
	"  EVENT KIND ID NAME uid UID gid GID mode MODE [ipc_ns INODE]\n"
	"\n"
	"EVENT is add (created), unlink (its name unlinked), del (destroyed),\n"
	"mq-full (a send filled a queue) or mq-empty (a receive emptied it);\n"
	"NAME is \"-\" for an anonymous object. Only those of this IPC namespace,\n"
	"unless --all-namespaces, which adds ipc_ns, the namespace's inode (as\n"
	"stat -L /proc/PID/ns/ipc shows it). \"lost\" says that the kernel dropped\n"
	"events here, the monitor having fallen behind; --rcvbuf BYTES sets the\n"
	"socket's receive buffer (default: the system's). --json prints a JSON\n"
	"object per line instead: \"event\", then the keys of stat --json without\n"
	"refs, charge and the statistics; {\"event\":\"lost\"} for lost events.\n"
	"Each line is written out at once. Needs CAP_NET_ADMIN.\n"
	"\n"
	"Uses kipc's generic netlink family.\n",
	.run = monitor_run,
};
