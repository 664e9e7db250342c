// SPDX-License-Identifier: GPL-2.0-only
/* What the kipc mechanisms share: is the module there, with a feature? */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include <kipc.h>

#include "bench.h"

int bench_kipc_feature(uint64_t feature, const char *what, char *why,
		       size_t len)
{
	struct kipc_version v;
	int fd = kipc_open(), ret;

	if (fd < 0) {
		snprintf(why, len, "%s: kipc module not loaded",
			 KIPC_DEVICE_PATH);
		return fd;
	}
	ret = kipc_get_version(fd, &v, sizeof(v));
	close(fd);
	if (!ret && !(v.features & feature))
		ret = -EOPNOTSUPP;
	if (ret)
		snprintf(why, len, "the kipc module has no %s", what);
	return ret;
}
