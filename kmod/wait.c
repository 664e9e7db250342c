// SPDX-License-Identifier: GPL-2.0
/*
 * Sleeping for a hand-off: the waits of buffers and semaphores.
 */
#include <linux/hrtimer.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#include "kipc.h"

/**
 * kipc_sleep() - sleep until another task sets *@done and wakes us
 * @done: set with WRITE_ONCE() before wake_up_process() of this task
 * @timed: give up at @deadline
 * @deadline: absolute, CLOCK_MONOTONIC
 *
 * The caller made itself findable by the waker (queued under a lock),
 * and rechecks *@done under that lock afterwards: a hand-off that comes
 * together with a signal or the deadline is the caller's to keep.
 *
 * Return: 0 (*@done was set), -ERESTARTSYS or -ETIMEDOUT.
 */
int kipc_sleep(const bool *done, bool timed, ktime_t deadline)
{
	int ret = 0;

	for (;;) {
		/* a full barrier before reading *done: pairs with the wake */
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(*done))
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		if (!timed) {
			schedule();
		} else if (!schedule_hrtimeout_range(&deadline,
						     current->timer_slack_ns,
						     HRTIMER_MODE_ABS)) {
			ret = -ETIMEDOUT;
			break;
		}
	}
	__set_current_state(TASK_RUNNING);
	return ret;
}
