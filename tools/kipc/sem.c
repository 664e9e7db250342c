// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc sem: create, wait on, post, inspect and remove semaphores from the
 * shell, through libkipc.
 *
 *	kipc [--json] sem COMMAND NAME [OPTIONS] [ARGS]
 *
 * wait takes the count and exits, leaving it taken, or holds it: with
 * --undo and no command until SIGINT, SIGTERM or SIGHUP, with a command
 * after "--" while the command runs, as flock(1) does with a lock. The
 * semaphore's fd is kipc's own (close-on-exec), never the command's: with
 * --undo, the kernel gives the count back as soon as kipc is gone, killed
 * or not; without, kipc posts it back when the command ends.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kipc.h>

#include "cli.h"

extern char **environ;

/* The options of every sem command; a command says which it takes. */
enum sem_opt {
	SEM_MAX = CLI_NR_COMMON,
	SEM_MODE,
	SEM_EXCL,
	SEM_TIMEOUT,
	SEM_UNDO,
	SEM_NR_OPTS,
};

static const struct cli_opt sem_options[SEM_NR_OPTS] = {
	CLI_COMMON_OPTS,
	[SEM_MAX]	= { "max", 0, CLI_DEC, 1, KIPC_SEM_VALUE_MAX },
	[SEM_MODE]	= { "mode", 0, CLI_OCTAL, 0, 0777 },
	[SEM_EXCL]	= { "excl", 0, CLI_FLAG, 0, 0 },
	/* milliseconds that still fit libkipc's int64_t nanoseconds */
	[SEM_TIMEOUT]	= { "timeout", 0, CLI_DEC, 0, INT64_MAX / 1000000 },
	[SEM_UNDO]	= { "undo", 0, CLI_FLAG, 0, 0 },
};

/* A command line, parsed, and what its arguments mean for a semaphore. */
struct sem_ctx {
	struct cli_ctx c;
	unsigned int value;		/* create: VALUE */
	unsigned int count;		/* wait, post: N */
	int64_t timeout_ns;		/* wait: -1 as long as it takes */
};

static struct sem_ctx *sem_ctx(const struct cli_ctx *c)
{
	return container_of(c, struct sem_ctx, c);
}

static int sem_parsed(struct cli_ctx *cc)
{
	struct sem_ctx *c = sem_ctx(cc);
	unsigned long long max = KIPC_SEM_VALUE_MAX, v;

	if (cc->cmd->need) {	/* create: VALUE, up to --max */
		if (!cli_parse_number(cc, "VALUE", CLI_DEC, 0, max,
				      cc->args[1], &v))
			return EXIT_USAGE;
		if (cc->given & OPT(SEM_MAX) && v > cc->val[SEM_MAX]) {
			cli_ctx_usage_error(cc, "VALUE %llu is above --max %llu",
					    v, cc->val[SEM_MAX]);
			return EXIT_USAGE;
		}
		c->value = v;
	} else if (cc->nargs > 1 && !(cc->cmd->flags & CLI_NAMES)) {
		/* wait, post: N */
		if (!cli_parse_number(cc, "N", CLI_DEC, 1, max, cc->args[1],
				      &v))
			return EXIT_USAGE;
		c->count = v;
	}
	if (cc->given & OPT(SEM_TIMEOUT))
		c->timeout_ns = cc->val[SEM_TIMEOUT] * 1000000;
	return EXIT_OK;
}

static int sem_open_quiet(const struct cli_ctx *c, unsigned int flags)
{
	return kipc_sem_open(c->ctl, c->name, flags, NULL);
}

/* Say why an open failed. */
static void sem_open_error(const struct cli_ctx *c, int err)
{
	/* the control fd knows no KIPC_IOC_SEM_OPEN */
	if (err == -ENOTTY)
		cli_ctx_error(c, err, "a kipc module without semaphores?");
	else
		cli_ctx_error(c, err, NULL);
}

/* Open the semaphore c->name, or say why not; returns the fd or -errno. */
static int sem_open(const struct cli_ctx *c, unsigned int flags)
{
	int fd = sem_open_quiet(c, flags);

	if (fd < 0)
		sem_open_error(c, fd);
	return fd;
}

/* The stat of a semaphore: "key: value" lines, or one JSON object. */
static int sem_print_stat(const struct cli_ctx *c,
			  const struct kipc_sem_stat *st)
{
	const struct cli_field fields[] = {
		{ "id", st->id, CLI_NUMBER },
		{ "value", st->value, CLI_NUMBER },
		{ "max", st->max, CLI_NUMBER },
		{ "waiters", st->waiters, CLI_NUMBER },
		{ "first_wants", st->first_wants, CLI_NUMBER },
		{ "waits", st->waits, CLI_NUMBER },
		{ "posts", st->posts, CLI_NUMBER },
		{ "sleeps", st->sleeps, CLI_NUMBER },
		{ "undone", st->undone, CLI_NUMBER },
		{ "undo_dropped", st->undo_dropped, CLI_NUMBER },
		CLI_OWNER_FIELDS(st),
	};

	return cli_print_fields(c, fields, ARRAY_SIZE(fields));
}

/* stat the semaphore behind fd and print it */
static int sem_show(const struct cli_ctx *c, int fd)
{
	struct kipc_sem_stat st;
	int err = kipc_sem_stat(fd, &st, sizeof(st));

	if (err) {
		cli_ctx_error(c, err, NULL);
		return EXIT_FAILED;
	}
	return sem_print_stat(c, &st);
}

static int sem_create(struct cli_ctx *cc)
{
	unsigned int flags = KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CREATE;
	struct kipc_sem_attr attr = {
		.value = sem_ctx(cc)->value,
		.max = cc->val[SEM_MAX],	/* 0 if not given: the largest */
	};
	int fd, ret = EXIT_OK;

	if (cc->given & OPT(SEM_EXCL))
		flags |= KIPC_OPEN_EXCL;
	attr.mode = cli_create_mode(cc, SEM_MODE);

	fd = kipc_sem_open(cc->ctl, cc->name, flags, &attr);
	if (fd == -EDQUOT)
		cli_ctx_error(cc, fd, "over the owner's max_objects_per_user?");
	else if (fd < 0)
		sem_open_error(cc, fd);
	if (fd < 0)
		return EXIT_FAILED;
	if (cc->json)
		ret = sem_show(cc, fd);
	kipc_sem_close(fd);
	return ret;
}

static int sem_stat(struct cli_ctx *cc)
{
	return cli_stat(cc, sem_open_quiet, sem_show);
}

/*
 * The signals that end a hold (kipc sem wait --undo without a command) or
 * that kipc passes on to the command it runs while holding.
 */
static const int sem_signals[] = { SIGINT, SIGTERM, SIGHUP };
static volatile sig_atomic_t sem_signal;	/* the first that came */
static volatile sig_atomic_t sem_child;		/* the command, once it runs */

static void sem_on_signal(int sig)
{
	if (sem_child > 0)
		kill(sem_child, sig);
	else if (!sem_signal)
		sem_signal = sig;
}

/*
 * Catch sem_signals, and fill in *set with them. No SA_RESTART: a wait
 * they interrupt ends. keep_ignored leaves those ignored (nohup) as they
 * are, for the command to inherit.
 */
static void sem_catch_signals(sigset_t *set, bool keep_ignored)
{
	struct sigaction sa = { .sa_handler = sem_on_signal }, old;

	sigemptyset(set);
	for (size_t i = 0; i < ARRAY_SIZE(sem_signals); i++) {
		sigaddset(set, sem_signals[i]);
		if (keep_ignored && !sigaction(sem_signals[i], NULL, &old) &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(sem_signals[i], &sa, NULL);
	}
}

/* End as the signal would have ended us had we not caught it. */
static void sem_die_by(int sig)
{
	sigset_t set;

	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	/* cppcheck-suppress unreachableCode ; cppcheck takes raise() for noreturn */
	exit(128 + sig);	/* not reached */
}

/* Take N, waiting as --timeout says; say why not if it fails. */
static int sem_take(const struct cli_ctx *cc, int fd)
{
	const struct sem_ctx *c = sem_ctx(cc);
	struct kipc_sem_stat st;
	char what[40];
	int err;

	if (c->timeout_ns < 0)
		err = kipc_sem_wait(fd, c->count);
	else if (c->timeout_ns == 0)
		err = kipc_sem_trywait(fd, c->count);
	else
		err = kipc_sem_timedwait(fd, c->count, c->timeout_ns);
	if (!err)
		return 0;

	if (err == -EINTR && sem_signal)
		sem_die_by(sem_signal);
	if (err == -EINVAL && !kipc_sem_stat(fd, &st, sizeof(st)) &&
	    c->count > st.max) {
		cli_ctx_error(cc, err, "%u is above the semaphore's maximum, %u",
			      c->count, st.max);
		return err;
	}
	snprintf(what, sizeof(what), "could not take %u", c->count);
	cli_wait_error(cc, err, what, c->timeout_ns);
	return err;
}

/* Without --undo, what a command held is posted back when it ends. */
static int sem_give_back(const struct cli_ctx *cc, int fd)
{
	unsigned int count = sem_ctx(cc)->count;
	int woken = kipc_sem_post(fd, count);

	if (woken < 0) {
		cli_ctx_error(cc, woken, "could not give back %u", count);
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

/*
 * Run the command while holding: its exit status, 128 + N if signal N
 * killed it, 127 if it was not found, 126 if it could not be run. The
 * signals kipc gets meanwhile are passed on to it. Called with
 * sem_signals blocked (in *set); orig is the mask to give the command.
 */
static int sem_run_command(const struct cli_ctx *cc, const sigset_t *set,
			   const sigset_t *orig)
{
	posix_spawnattr_t attr;
	siginfo_t info = { 0 };
	pid_t pid;
	int err;

	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, orig);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	err = posix_spawnp(&pid, cc->command[0], NULL, &attr, cc->command,
			   environ);
	posix_spawnattr_destroy(&attr);
	if (err) {
		cli_ctx_error(cc, -err, "cannot run '%s'", cc->command[0]);
		return err == ENOENT ? 127 : 126;
	}

	sem_child = pid;
	sigprocmask(SIG_SETMASK, orig, NULL);
	/* WNOWAIT: the pid stays the command's while signals may pass on */
	while (waitid(P_PID, pid, &info, WEXITED | WNOWAIT) && errno == EINTR)
		;
	sigprocmask(SIG_BLOCK, set, NULL);
	sem_child = 0;
	waitid(P_PID, pid, &info, WEXITED);
	if (info.si_code == CLD_EXITED)
		return info.si_status;
	return 128 + info.si_status;
}

static int sem_wait(struct cli_ctx *cc)
{
	bool undo = cc->given & OPT(SEM_UNDO), hold = undo && !cc->command;
	unsigned int flags = KIPC_OPEN_READ;
	sigset_t set, orig, unblocked;
	int fd, ret = EXIT_OK;

	if (undo)
		flags |= KIPC_OPEN_UNDO;
	else if (cc->command)
		flags |= KIPC_OPEN_WRITE;	/* to post it back */
	fd = sem_open(cc, flags);
	if (fd < 0)
		return EXIT_FAILED;
	if (hold || cc->command)
		sem_catch_signals(&set, !hold);
	/* one that came before the wait sleeps is seen when it ends */
	if (sem_signal)
		sem_die_by(sem_signal);
	if (sem_take(cc, fd)) {
		kipc_sem_close(fd);
		return EXIT_FAILED;
	}
	if (!hold && !cc->command) {
		/* taken, and it stays so: the point of a wait on its own */
		kipc_sem_close(fd);
		return EXIT_OK;
	}

	sigprocmask(SIG_BLOCK, &set, &orig);
	if (hold) {
		unblocked = orig;
		for (size_t i = 0; i < ARRAY_SIZE(sem_signals); i++)
			sigdelset(&unblocked, sem_signals[i]);
		while (!sem_signal)
			sigsuspend(&unblocked);
	} else if (!sem_signal) {
		ret = sem_run_command(cc, &set, &orig);
	}
	if (!undo && sem_give_back(cc, fd))
		ret = EXIT_FAILED;
	/* with --undo, closing gives it back */
	kipc_sem_close(fd);
	/* a signal before the command ran: end as it says */
	if (!hold && sem_signal)
		sem_die_by(sem_signal);
	return ret;
}

static int sem_post(struct cli_ctx *cc)
{
	unsigned int count = sem_ctx(cc)->count;
	int fd, woken, ret = EXIT_FAILED;
	struct kipc_sem_stat st;
	struct json j;

	fd = sem_open(cc, KIPC_OPEN_WRITE);
	if (fd < 0)
		return EXIT_FAILED;
	woken = kipc_sem_post(fd, count);
	if (woken == -EOVERFLOW && !kipc_sem_stat(fd, &st, sizeof(st)))
		cli_ctx_error(cc, woken, "the value %u and %u more would pass the maximum, %u; nothing was added",
			      st.value, count, st.max);
	else if (woken < 0)
		cli_ctx_error(cc, woken, NULL);
	if (woken < 0)
		goto out;
	ret = EXIT_OK;
	if (cc->json) {
		json_begin(&j, stdout);
		json_object_begin(&j);
		json_key(&j, "woken");
		json_uint(&j, woken);
		json_object_end(&j);
		json_end(&j);
		ret = cli_flush_stdout();
	}
out:
	kipc_sem_close(fd);
	return ret;
}

static int sem_rm(struct cli_ctx *cc)
{
	return cli_rm(cc, kipc_sem_unlink);
}

static const struct cli_subcmd sem_cmds[] = {
	{ "create", OPT(SEM_MAX) | OPT(SEM_MODE) | OPT(SEM_EXCL), 0, "VALUE",
		    1, 0, sem_create },
	{ "wait", OPT(SEM_TIMEOUT) | OPT(SEM_UNDO), 0, NULL, 1, CLI_COMMAND,
		  sem_wait },
	{ "post", 0, 0, NULL, 1, 0, sem_post },
	{ "stat", 0, 0, NULL, 0, 0, sem_stat },
	{ "rm", 0, 0, NULL, INT_MAX, CLI_NAMES, sem_rm },
};

static const struct cli_object sem_object = {
	.cmd = &cli_cmd_sem,
	.noun = "semaphore",
	.opts = sem_options,
	.nr_opts = SEM_NR_OPTS,
	.cmds = sem_cmds,
	.nr_cmds = ARRAY_SIZE(sem_cmds),
	.parsed = sem_parsed,
};

static int sem_run(const struct cli_opts *opts, int argc, char **argv)
{
	struct sem_ctx c = { .count = 1, .timeout_ns = -1 };

	return cli_object_run(&sem_object, &c.c, opts, argc, argv);
}

const struct cli_cmd cli_cmd_sem = {
	.name = "sem",
	.summary = "create, wait on, post to and remove semaphores",
	.usage =
	"usage: kipc [--json] sem COMMAND NAME [OPTIONS]\n"
	"\n"
	"  create NAME VALUE [--max M] [--mode OCTAL] [--excl]\n"
	"  wait   NAME [N] [--timeout MS] [--undo] [-- COMMAND [ARGS]]\n"
	"  post   NAME [N]\n"
	"  stat   NAME\n"
	"  rm     NAME...\n"
	"\n"
	"NAME    \"/name\", or \"name\" for short\n"
	"VALUE   the value to start with, 0 to M\n"
	"M       the largest value, 1 to 2147483647 (the default)\n"
	"N       how much to take or add, 1 to M; default 1\n"
	"\n"
	"create makes a semaphore (mode 0600 less the umask; --mode is taken as\n"
	"it is) or leaves one that exists as it is (--excl: fails). wait takes N\n"
	"from the value, in turn behind those already waiting, and exits, the N\n"
	"staying taken; --timeout MS waits at most that long, 0 not at all.\n"
	"With a COMMAND, wait runs it once N is taken and gives N back when it\n"
	"ends, exiting with its status. --undo opens the semaphore so that the\n"
	"kernel gives N back when kipc exits, however it exits; without a\n"
	"COMMAND, wait --undo then holds N until SIGINT, SIGTERM or SIGHUP, and\n"
	"exits 0. post adds N, if that does not pass the maximum (--json: how\n"
	"many waiters it woke). With --json, stat and create print the\n"
	"semaphore's value and counters. Options may follow NAME; -- ends them.\n"
	"Numbers are decimal, or hexadecimal after 0x.\n"
	"\n"
	"Exit status: 0 ok, 1 failed (not taken in time, past the maximum,\n"
	"...), 2 usage; with a COMMAND, its status once it ran.\n",
	.run = sem_run,
};
