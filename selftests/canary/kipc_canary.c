// SPDX-License-Identifier: GPL-2.0
/*
 * kipc_canary: a module that misbehaves on request, so the tests can prove
 * that tools/vm/run notices a kernel that misbehaves. Test guests only.
 *
 *   insmod kipc_canary.ko warn=1   a WARN_ON() at load: WARNING, taint W
 *   insmod kipc_canary.ko leak=1   128 bytes allocated and forgotten at
 *                                  load: a kmemleak report on a debug kernel
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>

static bool warn;
module_param(warn, bool, 0444);
MODULE_PARM_DESC(warn, "WARN_ON() at load");

static bool leak;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "leak 128 bytes at load");

static int __init kipc_canary_init(void)
{
	if (leak) {
		void *p = kmalloc(128, GFP_KERNEL);

		if (!p)
			return -ENOMEM;
		/* kmemleak must see no reference: print a hashed pointer */
		pr_info("leaking %p on purpose\n", p);
	}
	WARN_ON(warn);
	return 0;
}

static void __exit kipc_canary_exit(void)
{
}

module_init(kipc_canary_init);
module_exit(kipc_canary_exit);

MODULE_DESCRIPTION("kipc test canary: warns or leaks on request");
MODULE_LICENSE("GPL");
