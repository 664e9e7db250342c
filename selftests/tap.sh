# SPDX-License-Identifier: GPL-2.0
# tap.sh - TAP output for the shell tests; source it, call the checks,
# end with tap_done. POSIX sh, so it runs under the guest's busybox too.

tap_n=0
tap_failed=0

tap_ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n $1"; }
tap_not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n $1"
}
tap_skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n $1 # SKIP $2"; }

# expect STATUS DESCRIPTION CMD...: CMD exits with STATUS; its output is
# kept in $tap_out for further checks.
expect() {
	want=$1 desc=$2
	shift 2
	tap_out=$("$@" 2>&1)
	got=$?
	if [ "$got" -eq "$want" ]; then
		tap_ok "$desc"
	else
		echo "$tap_out" | sed 's/^/#   /'
		tap_not_ok "$desc (exit $got, wanted $want)"
	fi
}

# expect_output DESCRIPTION PATTERN: $tap_out of the last expect matches
# the extended regular expression PATTERN.
expect_output() {
	if echo "$tap_out" | grep -Eq -- "$2"; then
		tap_ok "$1"
	else
		echo "$tap_out" | sed 's/^/#   /'
		tap_not_ok "$1 (no match for '$2')"
	fi
}

# tap_bail REASON: stop here; the runner counts it as a failure
tap_bail() {
	echo "Bail out! $1"
	exit 1
}

tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
