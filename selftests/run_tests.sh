#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh - run kipc's selftests where kipc is loaded (the test guest,
# as root: `tools/vm/run -- selftests/run_tests.sh`, or `make check`).
#
# usage: selftests/run_tests.sh [--nested] [TEST...]
#
# TEST is a name in selftests/ (kipc_dev_test, cli_test.sh, ...); the
# default is every test there is a source for, so a test that failed to
# build fails here instead of vanishing. Each test's TAP passes through as
# it runs. As liburing's runtests.sh does, the kernel log is marked before
# each test and the test fails if a BUG, WARNING, KASAN, lockdep ... report
# follows. A test fails, too, if it exits non-zero, bails out, runs fewer
# tests than its plan, runs none, or outlives KIPC_TEST_TIMEOUT (600 s).
# Ends with one line "N passed, N failed, N skipped" counting test cases;
# --nested prefixes it with "# " for a caller that prints the total itself.
# Exit status 1 if anything failed or nothing ran.

dir=$(cd "$(dirname "$0")" && pwd)
patterns=$dir/../tools/vm/kmsg-patterns
limit=${KIPC_TEST_TIMEOUT:-600}
nested=
[ "$1" = --nested ] && { nested="# "; shift; }

if [ $# -eq 0 ]; then
	for src in "$dir"/*_test.c "$dir"/*_test.sh; do
		[ -e "$src" ] || continue
		name=$(basename "$src")
		set -- "$@" "${name%.c}"
	done
	# built from kipc_dev_test.c where a 32-bit toolchain exists
	[ -x "$dir/kipc_compat_test" ] && set -- "$@" kipc_compat_test
fi

pass=0 fail=0 skip=0
out=$(mktemp)
for name in "$@"; do
	t=$dir/$name
	echo "# ---- $name"
	if [ ! -x "$t" ]; then
		echo "not ok - $name: not built (make selftests)"
		fail=$((fail + 1))
		continue
	fi
	mark="kipc-selftest: begin $name $$"
	[ -w /dev/kmsg ] && echo "$mark" >/dev/kmsg
	{
		cd "$dir" && timeout -s KILL "$limit" "$t" 2>&1
		echo $? >"$out.status"
	} | tee "$out"
	status=$(cat "$out.status")

	p=$(grep -c '^ok ' "$out")
	s=$(grep -c '^ok .*# SKIP' "$out")
	f=$(grep -c '^not ok ' "$out")
	p=$((p - s))
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$out" | tail -1)
	if grep -q '^Bail out!' "$out"; then
		echo "not ok - $name: bailed out"
		f=$((f + 1))
	fi
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name: exited with status $status"
		f=1
	elif [ $((p + s + f)) -eq 0 ]; then
		echo "not ok - $name: ran no test"
		f=1
	elif [ -n "$plan" ] && [ $((p + s + f)) -lt "$plan" ]; then
		echo "not ok - $name: $((p + s + f)) results for a plan of $plan"
		f=$((f + 1))
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
rm -f "$out" "$out.status"

if [ $((pass + fail + skip)) -eq 0 ]; then
	echo "not ok - no test ran"
	fail=1
fi
echo "$nested$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
