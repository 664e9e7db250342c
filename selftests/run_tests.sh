#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh - run kipc's selftests where kipc is loaded (the test guest,
# as root: `tools/vm/run -- selftests/run_tests.sh`, or `make check`).
#
# usage: selftests/run_tests.sh [--nested] [TEST...]
#
# TEST is a file name in selftests/ (kipc_dev_test, cli_test.sh, ...); the
# default is every *_test and *_test.sh. Each test's TAP passes through. As
# liburing's runtests.sh does, the kernel log is marked before each test and
# the test fails if a BUG, WARNING, KASAN, lockdep ... report follows.
# Ends with one line "N passed, N failed, N skipped" counting test cases;
# --nested prefixes it with "# " for a caller that prints the total itself.
# Exit status 1 if anything failed.

dir=$(cd "$(dirname "$0")" && pwd)
patterns=$dir/../tools/vm/kmsg-patterns
nested=
[ "$1" = --nested ] && { nested="# "; shift; }

if [ $# -eq 0 ]; then
	for t in "$dir"/*_test "$dir"/*_test.sh; do
		[ -x "$t" ] && set -- "$@" "$(basename "$t")"
	done
fi

pass=0 fail=0 skip=0
out=$(mktemp)
for name in "$@"; do
	t=$dir/$name
	echo "# ---- $name"
	if [ ! -x "$t" ]; then
		echo "not ok - $name: not found (make selftests)"
		fail=$((fail + 1))
		continue
	fi
	mark="kipc-selftest: begin $name $$"
	[ -w /dev/kmsg ] && echo "$mark" >/dev/kmsg
	(cd "$dir" && "$t") >"$out" 2>&1
	status=$?
	cat "$out"

	p=$(grep -c '^ok ' "$out")
	s=$(grep -c '^ok .*# SKIP' "$out")
	f=$(grep -c '^not ok ' "$out")
	p=$((p - s))
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name: exited with status $status"
		f=1
	elif [ $((p + s + f)) -eq 0 ]; then
		echo "not ok - $name: ran no test"
		f=1
	fi

	if [ -w /dev/kmsg ]; then
		bad=$(dmesg | sed -n "/$mark\$/,\$p" | grep -E -f "$patterns")
		if [ -n "$bad" ]; then
			echo "$bad" | sed 's/^/# kernel: /'
			echo "not ok - $name: the kernel log shows problems"
			f=$((f + 1))
		fi
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
done
rm -f "$out"

echo "$nested$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
