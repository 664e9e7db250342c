/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc's tracepoints: the hot operations of queues, buffers and
 * semaphores, for ftrace, perf and bpftrace without rebuilding kipc.
 *
 * DOC: tracepoints
 * The events are in the "kipc" system of tracefs
 * (/sys/kernel/tracing/events/kipc/); docs/tracing.md shows how to use
 * them. A disabled event is a no-op instruction behind a static key; every
 * field is a number, copied or derived only when the event is enabled,
 * and none is a kernel address. @id is the object's id, as
 * KIPC_IOC_*_STAT and kipc(1) show it; the task, CPU and time are in
 * every event's common fields. Each event fires under the object's lock:
 * the values it reports are consistent with each other, and with the
 * "global" trace clock the events of one object are in the order they
 * happened. @ret is 0 or a negative errno; -ERESTARTSYS (-512) is a
 * signal, which user space sees as EINTR or a restarted call.
 *
 * Message queues (a batch fires an event per message, as single sends
 * and receives do; so do read() and write()):
 *
 * - kipc_mq_send: a message was queued. @type, @prio, @len: the message;
 *   @depth: messages queued after it; @waiters: receivers asleep, whom
 *   the send wakes (a batch wakes them after each chunk of up to 64
 *   messages, and before it sleeps for room).
 * - kipc_mq_recv: a message was taken off the queue (a peek fires
 *   nothing). @type, @prio, @len (the whole message, even if truncated);
 *   @depth after; @waiters: senders asleep, woken now; @age_ns: how long
 *   it was queued (CLOCK_REALTIME, so a clock step distorts it; never
 *   below 0).
 * - kipc_mq_block: a task is about to sleep. @dir: send (the queue is
 *   full) or recv (nothing its selector picks); @depth now; @waiters on
 *   its side, itself included.
 * - kipc_mq_wake: a task that blocked runs again (a queue has no wake
 *   command: this is the sleeper's side). @dir and @depth as above;
 *   @ret: 0 if the queue changed (it looks again, and may block again),
 *   -ETIMEDOUT or -ERESTARTSYS.
 *
 * Shared buffers:
 *
 * - kipc_buf_block: a KIPC_IOC_BUF_WAIT found @value at @offset and is
 *   about to sleep; @waiters on the buffer (any offset), itself included.
 * - kipc_buf_wait: a KIPC_IOC_BUF_WAIT that got as far as comparing the
 *   word returns: @ret is 0 (woken by a wake), -EAGAIN (the word was not
 *   @value: it did not sleep), -ETIMEDOUT or -ERESTARTSYS.
 * - kipc_buf_wake: a KIPC_IOC_BUF_WAKE at @offset for up to @count
 *   waiters (4294967295: all) woke @woken of them.
 *
 * Semaphores:
 *
 * - kipc_sem_block: a wait for @count is queued and about to sleep;
 *   @value now; @waiters, itself included.
 * - kipc_sem_wait: a KIPC_IOC_SEM_WAIT for @count that got past its
 *   argument checks returns; @value after; @ret is 0 (taken), -EAGAIN
 *   (non-blocking), -ETIMEDOUT or -ERESTARTSYS.
 * - kipc_sem_post: a KIPC_IOC_SEM_POST added @count; @value after the
 *   waiters it served; @woken: waiters it woke or handed their count to.
 * - kipc_sem_grant: in-order hand-off (see sem_handoff_us): @count was
 *   taken from the value for the waiting task @pid (its thread id, as in
 *   the trace's own pid column), which had been first in the queue for
 *   @waited_ns; @value after. It fires within the post, undo or leaving
 *   waiter that served the queue, so before that one's own event;
 *   kipc_sem_wait follows in @pid with @ret 0.
 * - kipc_sem_undo: an undo file that held @held was released and gave
 *   back @given (less than @held where the maximum did not let it give
 *   all); @value after; @woken as for a post. Fires only when it held
 *   something or woke someone.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kipc

#ifndef _KIPC_TRACE_DIRS
#define _KIPC_TRACE_DIRS
/* kipc_mq_block and kipc_mq_wake: which side of the queue waits */
#define KIPC_TRACE_RECV		0
#define KIPC_TRACE_SEND		1
#endif

#if !defined(_KIPC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KIPC_TRACE_H

#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>
#include <linux/types.h>

#define kipc_trace_dir(dir)						\
	__print_symbolic(dir, { KIPC_TRACE_RECV, "recv" },		\
			 { KIPC_TRACE_SEND, "send" })

TRACE_EVENT(kipc_mq_send,
	TP_PROTO(u32 id, u64 type, u32 prio, u32 len, u32 depth,
		 u32 waiters),
	TP_ARGS(id, type, prio, len, depth, waiters),
	TP_STRUCT__entry(
		__field(u64, type)
		__field(u32, id)
		__field(u32, prio)
		__field(u32, len)
		__field(u32, depth)
		__field(u32, waiters)
	),
	TP_fast_assign(
		__entry->type = type;
		__entry->id = id;
		__entry->prio = prio;
		__entry->len = len;
		__entry->depth = depth;
		__entry->waiters = waiters;
	),
	TP_printk("id=%u type=%llu prio=%u len=%u depth=%u waiters=%u",
		  __entry->id, __entry->type, __entry->prio, __entry->len,
		  __entry->depth, __entry->waiters)
);

TRACE_EVENT(kipc_mq_recv,
	TP_PROTO(u32 id, u64 type, u32 prio, u32 len, u32 depth,
		 u32 waiters, u64 timestamp_ns),
	TP_ARGS(id, type, prio, len, depth, waiters, timestamp_ns),
	TP_STRUCT__entry(
		__field(u64, type)
		__field(u64, age_ns)
		__field(u32, id)
		__field(u32, prio)
		__field(u32, len)
		__field(u32, depth)
		__field(u32, waiters)
	),
	TP_fast_assign(
		__entry->type = type;
		__entry->age_ns = max_t(s64, ktime_get_real_ns() - timestamp_ns,
					0);
		__entry->id = id;
		__entry->prio = prio;
		__entry->len = len;
		__entry->depth = depth;
		__entry->waiters = waiters;
	),
	TP_printk("id=%u type=%llu prio=%u len=%u depth=%u waiters=%u age_ns=%llu",
		  __entry->id, __entry->type, __entry->prio, __entry->len,
		  __entry->depth, __entry->waiters, __entry->age_ns)
);

TRACE_EVENT(kipc_mq_block,
	TP_PROTO(u32 id, u8 dir, u32 depth, u32 waiters),
	TP_ARGS(id, dir, depth, waiters),
	TP_STRUCT__entry(
		__field(u32, id)
		__field(u32, depth)
		__field(u32, waiters)
		__field(u8, dir)
	),
	TP_fast_assign(
		__entry->id = id;
		__entry->depth = depth;
		__entry->waiters = waiters;
		__entry->dir = dir;
	),
	TP_printk("id=%u dir=%s depth=%u waiters=%u", __entry->id,
		  kipc_trace_dir(__entry->dir), __entry->depth,
		  __entry->waiters)
);

TRACE_EVENT(kipc_mq_wake,
	TP_PROTO(u32 id, u8 dir, u32 depth, int ret),
	TP_ARGS(id, dir, depth, ret),
	TP_STRUCT__entry(
		__field(u32, id)
		__field(u32, depth)
		__field(int, ret)
		__field(u8, dir)
	),
	TP_fast_assign(
		__entry->id = id;
		__entry->depth = depth;
		__entry->ret = ret;
		__entry->dir = dir;
	),
	TP_printk("id=%u dir=%s depth=%u ret=%d", __entry->id,
		  kipc_trace_dir(__entry->dir), __entry->depth, __entry->ret)
);

TRACE_EVENT(kipc_buf_block,
	TP_PROTO(u32 id, u64 offset, u32 value, u32 waiters),
	TP_ARGS(id, offset, value, waiters),
	TP_STRUCT__entry(
		__field(u64, offset)
		__field(u32, id)
		__field(u32, value)
		__field(u32, waiters)
	),
	TP_fast_assign(
		__entry->offset = offset;
		__entry->id = id;
		__entry->value = value;
		__entry->waiters = waiters;
	),
	TP_printk("id=%u offset=%llu value=%u waiters=%u", __entry->id,
		  __entry->offset, __entry->value, __entry->waiters)
);

TRACE_EVENT(kipc_buf_wait,
	TP_PROTO(u32 id, u64 offset, u32 value, int ret),
	TP_ARGS(id, offset, value, ret),
	TP_STRUCT__entry(
		__field(u64, offset)
		__field(u32, id)
		__field(u32, value)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->offset = offset;
		__entry->id = id;
		__entry->value = value;
		__entry->ret = ret;
	),
	TP_printk("id=%u offset=%llu value=%u ret=%d", __entry->id,
		  __entry->offset, __entry->value, __entry->ret)
);

TRACE_EVENT(kipc_buf_wake,
	TP_PROTO(u32 id, u64 offset, u32 count, u32 woken),
	TP_ARGS(id, offset, count, woken),
	TP_STRUCT__entry(
		__field(u64, offset)
		__field(u32, id)
		__field(u32, count)
		__field(u32, woken)
	),
	TP_fast_assign(
		__entry->offset = offset;
		__entry->id = id;
		__entry->count = count;
		__entry->woken = woken;
	),
	TP_printk("id=%u offset=%llu count=%u woken=%u", __entry->id,
		  __entry->offset, __entry->count, __entry->woken)
);

TRACE_EVENT(kipc_sem_block,
	TP_PROTO(u32 id, u32 count, u32 value, u32 waiters),
	TP_ARGS(id, count, value, waiters),
	TP_STRUCT__entry(
		__field(u32, id)
		__field(u32, count)
		__field(u32, value)
		__field(u32, waiters)
	),
	TP_fast_assign(
		__entry->id = id;
		__entry->count = count;
		__entry->value = value;
		__entry->waiters = waiters;
	),
	TP_printk("id=%u count=%u value=%u waiters=%u", __entry->id,
		  __entry->count, __entry->value, __entry->waiters)
);

TRACE_EVENT(kipc_sem_wait,
	TP_PROTO(u32 id, u32 count, u32 value, int ret),
	TP_ARGS(id, count, value, ret),
	TP_STRUCT__entry(
		__field(u32, id)
		__field(u32, count)
		__field(u32, value)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->id = id;
		__entry->count = count;
		__entry->value = value;
		__entry->ret = ret;
	),
	TP_printk("id=%u count=%u value=%u ret=%d", __entry->id,
		  __entry->count, __entry->value, __entry->ret)
);

TRACE_EVENT(kipc_sem_post,
	TP_PROTO(u32 id, u32 count, u32 value, u32 woken),
	TP_ARGS(id, count, value, woken),
	TP_STRUCT__entry(
		__field(u32, id)
		__field(u32, count)
		__field(u32, value)
		__field(u32, woken)
	),
	TP_fast_assign(
		__entry->id = id;
		__entry->count = count;
		__entry->value = value;
		__entry->woken = woken;
	),
	TP_printk("id=%u count=%u value=%u woken=%u", __entry->id,
		  __entry->count, __entry->value, __entry->woken)
);

TRACE_EVENT(kipc_sem_grant,
	TP_PROTO(u32 id, u32 count, u32 value, struct task_struct *task,
		 u64 now, u64 first_since),
	TP_ARGS(id, count, value, task, now, first_since),
	TP_STRUCT__entry(
		__field(u64, waited_ns)
		__field(u32, id)
		__field(u32, count)
		__field(u32, value)
		__field(pid_t, pid)
	),
	TP_fast_assign(
		__entry->waited_ns = now - first_since;
		__entry->id = id;
		__entry->count = count;
		__entry->value = value;
		__entry->pid = task->pid;
	),
	TP_printk("id=%u count=%u value=%u pid=%d waited_ns=%llu",
		  __entry->id, __entry->count, __entry->value, __entry->pid,
		  __entry->waited_ns)
);

TRACE_EVENT_CONDITION(kipc_sem_undo,
	TP_PROTO(u32 id, u64 held, u64 given, u32 value, u32 woken),
	TP_ARGS(id, held, given, value, woken),
	TP_CONDITION(held || woken),
	TP_STRUCT__entry(
		__field(u64, held)
		__field(u64, given)
		__field(u32, id)
		__field(u32, value)
		__field(u32, woken)
	),
	TP_fast_assign(
		__entry->held = held;
		__entry->given = given;
		__entry->id = id;
		__entry->value = value;
		__entry->woken = woken;
	),
	TP_printk("id=%u held=%llu given=%llu value=%u woken=%u",
		  __entry->id, __entry->held, __entry->given, __entry->value,
		  __entry->woken)
);

#endif /* _KIPC_TRACE_H */

/* Outside the guard: define_trace.h reads this file again from here */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
