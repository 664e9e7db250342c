#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kipc_fuzz_test.sh: a bounded pass of kipc_fuzz (60 s of structured-random
# calls by 4 processes x 4 threads), then rmmod kipc and load it again.
#
# usage: selftests/kipc_fuzz_test.sh [kipc_fuzz options]
#
# The options follow the defaults, so they win: --duration
# $KIPC_FUZZ_DURATION (60), and, as root where the guest says which
# kipc.ko it loaded ($KIPC_KO), --unload it as the last step.

dir=$(cd "$(dirname "$0")" && pwd)

set -- --duration "${KIPC_FUZZ_DURATION:-60}" "$@"
if [ "$(id -u)" = 0 ] && [ -n "$KIPC_KO" ]; then
	set -- "$@" --unload "$KIPC_KO"
fi
exec "$dir/kipc_fuzz" "$@"
