/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers the kipc selftests share; include after kselftest_harness.h
 * (kipc_fuzz, which has no harness, uses them too).
 */
#ifndef _KIPC_TEST_H
#define _KIPC_TEST_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

/* CLOCK_MONOTONIC now, in ns: the clock of kipc's deadlines */
static inline uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * A line to stdout in one write(), so that the lines of processes and
 * threads writing at once do not mix: for TAP from many processes.
 */
static inline void kipc_vline(const char *fmt, va_list ap)
{
	char line[1024];
	int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);

	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDOUT_FILENO, line, n) < 0)
		return;
}

static inline void kipc_line(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline void kipc_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kipc_vline(fmt, ap);
	va_end(ap);
}

/* Write @val to the file at @path (sysfs, debugfs): 0 or an errno. */
static inline int kipc_write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return errno;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		ret = errno ? errno : EIO;
	close(fd);
	return ret;
}

/* A child's exit status, or -1 if it did not exit normally. */
static inline int reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* A handler that only makes a blocking call return EINTR. */
static inline void on_signal(int sig)
{
	(void)sig;
}

/*
 * ioctl() that SIGALRM, without SA_RESTART, interrupts after @ms (under
 * a second) if it is still waiting then: the errno, or 0. The alarm
 * repeats every @ms: on a busy machine the first can come before the
 * call sleeps, and would then interrupt nothing.
 */
static inline int kipc_ioctl_alarm(int fd, unsigned long cmd, void *arg,
				   int ms)
{
	struct sigaction sa = { .sa_handler = on_signal }, old;
	struct itimerval it = {
		.it_value = { .tv_usec = ms * 1000 },
		.it_interval = { .tv_usec = ms * 1000 },
	};
	struct itimerval off = { 0 };
	int ret;

	sigaction(SIGALRM, &sa, &old);
	setitimer(ITIMER_REAL, &it, NULL);
	ret = ioctl(fd, cmd, arg) ? errno : 0;
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);
	return ret;
}

/* A command of an object fd, for kipc_size_probe(). */
struct kipc_probe_cmd {
	const char *name;
	unsigned long cmd;
	size_t size;		/* its struct, as this program knows it */
};

/*
 * The rules of "General ioctl format" for each of @cmds on @fd: a size
 * below the minimum is EINVAL, one above with non-zero bytes beyond or
 * above the page size E2BIG, a NULL argument EFAULT, an unknown flag
 * EINVAL; and on @foreign_fd (if >= 0), an fd of another kind, ENOTTY.
 * Returns NULL, or what broke a rule, in a static string.
 */
static inline const char *kipc_size_probe(int fd,
					  const struct kipc_probe_cmd *cmds,
					  size_t n, int foreign_fd)
{
	static char what[128];
	char buf[4096 + 8];
	uint32_t *word = (uint32_t *)buf;
	static const struct {
		const char *rule;
		int err;
	} rules[] = {
		{ "size - 1", EINVAL }, { "size + 1, tail set", E2BIG },
		{ "size 4097", E2BIG }, { "NULL", EFAULT },
		{ "unknown flag", EINVAL }, { "on another fd", ENOTTY },
	};

	for (size_t i = 0; i < n; i++) {
		for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
			void *arg = buf;
			int on = fd, ret;

			memset(buf, 0, sizeof(buf));
			word[0] = cmds[i].size;
			switch (r) {
			case 0:
				word[0] = cmds[i].size - 1;
				break;
			case 1:
				word[0] = cmds[i].size + 1;
				buf[cmds[i].size] = 1;
				break;
			case 2:
				word[0] = 4097;
				break;
			case 3:
				arg = NULL;
				break;
			case 4:
				word[1] = 1u << 31;
				break;
			case 5:
				if (foreign_fd < 0)
					continue;
				on = foreign_fd;
				break;
			}
			ret = ioctl(on, cmds[i].cmd, arg);
			if (ret != -1 || errno != rules[r].err) {
				snprintf(what, sizeof(what),
					 "%s, %s: %d (%s), not %s", cmds[i].name,
					 rules[r].rule, ret,
					 ret ? strerror(errno) : "ok",
					 strerror(rules[r].err));
				return what;
			}
		}
	}
	return NULL;
}

/* A module parameter of kipc: 0 or an errno. Setting needs root. */
static inline int kipc_param_get(const char *name, unsigned int *val)
{
	char path[128];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/sys/module/kipc/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return errno;
	n = fscanf(f, "%u", val);
	fclose(f);
	return n == 1 ? 0 : EIO;
}

static inline int kipc_param_set(const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/kipc/parameters/%s", name);
	return kipc_write_file(path, val);
}

/* References on the module: every kipc fd and mapping holds one; -1. */
static inline int kipc_module_refcnt(void)
{
	FILE *f = fopen("/sys/module/kipc/refcnt", "r");
	int n = -1;

	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/*
 * tools/vm/run puts the kipc.ko it loaded at $KIPC_KO (and its parameters
 * in $KIPC_MODPARAMS); NULL without it (a machine where someone else
 * loaded kipc): tests that unload the module skip then.
 */
static inline const char *kipc_module_path(void)
{
	const char *ko = getenv("KIPC_KO");

	return ko && *ko && access(ko, R_OK) == 0 ? ko : NULL;
}

/* finit_module() of @ko with @params: 0 or an errno. Needs root. */
static inline int kipc_module_load(const char *ko, const char *params)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? errno : 0;
	close(fd);
	return ret;
}

/* rmmod kipc without waiting: 0, or EWOULDBLOCK while it is in use. */
static inline int kipc_module_unload(void)
{
	return syscall(SYS_delete_module, "kipc", O_NONBLOCK) ? errno : 0;
}

static inline int kipc_module_loaded(void)
{
	return access("/sys/module/kipc", F_OK) == 0;
}

/*
 * Become an ordinary user for good: uid, gid and (if @group is not -1)
 * one supplementary group; every other group and, since no uid stays 0,
 * every capability goes. Dumpable again, as a process the user started
 * would be (a change of uid clears it, which leaves /proc/self to root).
 * 0 or an errno. In a forked child.
 */
static inline int kipc_become(uid_t uid, gid_t gid, gid_t group)
{
	if (setgroups(group == (gid_t)-1 ? 0 : 1, &group) ||
	    setresgid(gid, gid, gid) || setresuid(uid, uid, uid) ||
	    prctl(PR_SET_DUMPABLE, 1))
		return errno;
	return 0;
}

/*
 * As an unprivileged user: a user namespace of one's own, in which one is
 * root (uid and gid 0 mapped to one's own), and a new IPC namespace owned
 * by it. 0, or an errno: unshare's (EPERM, EINVAL, ENOSPC where the
 * kernel forbids unprivileged user namespaces) or a map's.
 */
static inline int kipc_enter_userns(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int ret;

	if (unshare(CLONE_NEWUSER | CLONE_NEWIPC))
		return errno;
	snprintf(map, sizeof(map), "0 %u 1", (unsigned int)uid);
	ret = kipc_write_file("/proc/self/uid_map", map);
	if (!ret)
		ret = kipc_write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1", (unsigned int)gid);
	if (!ret)
		ret = kipc_write_file("/proc/self/gid_map", map);
	return ret;
}

/* ---- a raw generic netlink socket (kipc_fuzz, kipc_fault_test) ---- */

/* A bound NETLINK_GENERIC socket with extended acks, or -1 (errno). */
static inline int kipc_nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return fd;
}

/* Send @len bytes of @msg to the kernel: 0 or -errno. */
static inline int kipc_nl_send(int fd, const void *msg, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	return sendto(fd, msg, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0 ?
	       -errno : 0;
}

/* Append an attribute at @p; returns where the next one goes. */
static inline unsigned char *kipc_nla_put(unsigned char *p, uint16_t type,
					  const void *data, uint16_t len)
{
	struct nlattr *a = (struct nlattr *)p;

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(p + NLA_HDRLEN, data, len);
	memset(p + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return p + NLA_HDRLEN + NLA_ALIGN(len);
}

/* Attributes of a message: each within it, or -1. */
static inline int kipc_nla_walk(const unsigned char *p, size_t len,
				const struct nlattr *tb[], int max)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		int type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return -1;
		if (type <= max)
			tb[type] = a;
		if ((size_t)NLA_ALIGN(a->nla_len) >= len)
			return 0;
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	return len ? -1 : 0;
}

/* A u32 or u64 attribute's value; 0 for any other length. */
static inline uint64_t kipc_nla_uint(const struct nlattr *a)
{
	uint64_t v = 0;

	if (a->nla_len == NLA_HDRLEN + 4) {
		uint32_t w;

		memcpy(&w, (const char *)a + NLA_HDRLEN, 4);
		v = w;
	} else if (a->nla_len == NLA_HDRLEN + 8) {
		memcpy(&v, (const char *)a + NLA_HDRLEN, 8);
	}
	return v;
}

/*
 * The family id and the id of multicast group @group in the controller's
 * answer @n to CTRL_CMD_GETFAMILY; each left alone if absent.
 */
static inline void kipc_nl_ctrl_parse(const struct nlmsghdr *n,
				      const char *group, uint16_t *id,
				      uint32_t *grp_id)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = { 0 };
	const unsigned char *p = NLMSG_DATA(n), *g;
	size_t len;

	if (n->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
	    kipc_nla_walk(p + GENL_HDRLEN,
			  n->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, tb,
			  CTRL_ATTR_MAX) || !tb[CTRL_ATTR_FAMILY_ID])
		return;
	memcpy(id, (const char *)tb[CTRL_ATTR_FAMILY_ID] + NLA_HDRLEN, 2);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return;
	g = (const unsigned char *)tb[CTRL_ATTR_MCAST_GROUPS] + NLA_HDRLEN;
	len = tb[CTRL_ATTR_MCAST_GROUPS]->nla_len - NLA_HDRLEN;
	while (len >= NLA_HDRLEN) {
		const struct nlattr *grp = (const void *)g;
		const struct nlattr *gt[CTRL_ATTR_MCAST_GRP_MAX + 1] = { 0 };

		if (grp->nla_len < NLA_HDRLEN || grp->nla_len > len)
			break;
		if (!kipc_nla_walk(g + NLA_HDRLEN, grp->nla_len - NLA_HDRLEN,
				   gt, CTRL_ATTR_MCAST_GRP_MAX) &&
		    gt[CTRL_ATTR_MCAST_GRP_NAME] && gt[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp((const char *)gt[CTRL_ATTR_MCAST_GRP_NAME] +
			    NLA_HDRLEN, group))
			*grp_id = kipc_nla_uint(gt[CTRL_ATTR_MCAST_GRP_ID]);
		if ((size_t)NLA_ALIGN(grp->nla_len) >= len)
			break;
		len -= NLA_ALIGN(grp->nla_len);
		g += NLA_ALIGN(grp->nla_len);
	}
}

#define KIPC_PROBE(cmd, type) { #cmd, cmd, sizeof(type) }
#define KIPC_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* _KIPC_TEST_H */
