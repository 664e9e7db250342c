/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for differences between the kernels kipc builds on: each
 * entry gives an older kernel what a newer one has, under the newer name,
 * so the rest of the module is written for the newest.
 *
 * What a kernel has is probed from its headers by ../Kbuild (KIPC_HAVE_*),
 * not guessed from its version: distribution kernels backport.
 */
#ifndef _KIPC_COMPAT_H
#define _KIPC_COMPAT_H

#include <linux/mm.h>
#include <net/genetlink.h>

#ifndef KIPC_HAVE_VM_FLAGS_SET
/* 6.3 made vm_flags read-only outside these helpers */
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}
#endif

#ifndef KIPC_HAVE_NS_REF_READ
#include <linux/ns_common.h>

/* 6.18 hid the namespace reference count behind this helper */
static inline int __ns_ref_read(const struct ns_common *ns)
{
	return refcount_read(&ns->count);
}
#endif

#ifndef KIPC_HAVE_EMPTY_VMA_FLAGS
/* by 7.2, shmem_file_setup() takes its VMA flags as a vma_flags_t bitmap */
#define EMPTY_VMA_FLAGS 0
#endif

#ifndef KIPC_HAVE_GENL_INFO_DUMP
/*
 * 6.2 moved a dump's parsed attributes into a struct genl_info, reached
 * by genl_info_dump(cb)->attrs; before, genl_dumpit_info(cb)->attrs.
 */
#define genl_info_dump(cb) genl_dumpit_info(cb)
#endif

#endif /* _KIPC_COMPAT_H */
