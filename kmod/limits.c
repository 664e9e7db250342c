// SPDX-License-Identifier: GPL-2.0
/*
 * Global limits of kipc, as module parameters.
 *
 * Each limit can be given at load time (insmod kipc.ko max_objects=100) and
 * changed later by root through /sys/module/kipc/parameters/. Values out of
 * range are refused with EINVAL, at load time as well. A lowered limit
 * applies to new objects and new allocations; nothing that exists is
 * reclaimed. Readers use READ_ONCE(): a limit may change under them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>

#include "kipc.h"

#define KIPC_LIMIT(name, def, min, max, desc)				\
	unsigned int kipc_##name = def;					\
	static int kipc_set_##name(const char *val,			\
				   const struct kernel_param *kp)	\
	{								\
		return param_set_uint_minmax(val, kp, min, max);	\
	}								\
	static const struct kernel_param_ops kipc_##name##_ops = {	\
		.set = kipc_set_##name,					\
		.get = param_get_uint,					\
	};								\
	module_param_cb(name, &kipc_##name##_ops, &kipc_##name, 0644);	\
	MODULE_PARM_DESC(name, desc " [" #min ".." #max ", default " #def "]")

KIPC_LIMIT(max_objects, 16384, 1, 1048576,
	   "Named and anonymous objects in all namespaces together");
KIPC_LIMIT(max_objects_per_user, 8192, 1, 1048576,
	   "Objects one user may own");
KIPC_LIMIT(user_quota_mb, 256, 1, 1048576,
	   "MiB of queued messages and buffers one user may own");
KIPC_LIMIT(mq_max_msgs, 4096, 1, 1048576,
	   "Highest max-messages a message queue may be created with");
KIPC_LIMIT(mq_max_msgsize, 1048576, 1, 16777216,
	   "Largest message size, in bytes, a queue may be created with");
KIPC_LIMIT(buf_max_mb, 256, 1, 65536,
	   "Largest shared buffer, in MiB");
KIPC_LIMIT(sem_handoff_us, 4000, 0, 10000000,
	   "Microseconds a semaphore's first waiter may be overtaken before posts hand over to waiters in order (0: always in order)");
