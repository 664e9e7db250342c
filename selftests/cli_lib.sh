# SPDX-License-Identifier: GPL-2.0
# cli_lib.sh - what the tests of kipc's object commands share
# (cli_mq_test.sh, cli_buf_test.sh, cli_sem_test.sh). Source it after
# tap.sh, with $kipc the tool, $obj the object kind (mq, buf, sem) and
# $tmp a scratch directory.
# POSIX sh, so it runs under the guest's busybox too.

# require_feature BIT NOUNS: skip the whole test, passing, unless the
# module has KIPC_FEATURE_* BIT (a number: 4 is 1 << 2)
require_feature() {
	features=$("$kipc" -j version 2>/dev/null | sed -n 's/.*"features":\([0-9]*\).*/\1/p')
	if [ -z "$features" ] || [ $((features & $1)) -eq 0 ]; then
		tap_skip "kipc $obj" "the module has no $2 (features ${features:-?})"
		tap_done
		exit 0
	fi
}

# expect_empty DESCRIPTION: the last expect printed nothing at all
expect_empty() {
	if [ -z "$tap_out" ]; then
		tap_ok "$1"
	else
		echo "$tap_out" | sed 's/^/#   /'
		tap_not_ok "$1 (printed something)"
	fi
}

# expect_same DESCRIPTION GOT WANT: the two files hold the same bytes
expect_same() {
	if cmp -s "$3" "$2"; then
		tap_ok "$1"
	else
		od -c "$2" | head -20 | sed 's/^/#   got:  /'
		od -c "$3" | head -20 | sed 's/^/#   want: /'
		tap_not_ok "$1"
	fi
}

# expect_file DESCRIPTION FILE PRINTF-FORMAT: FILE holds exactly the bytes
# that printf makes of the format (expect's $(...) would drop newlines).
expect_file() {
	# shellcheck disable=SC2059 # the format is the point
	printf -- "$3" >"$tmp/want"
	expect_same "$1" "$2" "$tmp/want"
}

# out_to FILE CMD...: CMD with its stdout in FILE (for expect)
out_to() {
	out=$1
	shift
	"$@" >"$out"
}

# in_from FILE CMD...: CMD reading FILE (for expect)
in_from() {
	in=$1
	shift
	"$@" <"$in"
}

# stat_field NAME KEY: one number of `kipc $obj stat --json NAME`
stat_field() {
	"$kipc" "$obj" stat "$1" --json | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"
}

# until_stat NAME KEY VALUE: wait (up to 10 s) until stat's KEY is VALUE
until_stat() {
	i=0
	while [ "$(stat_field "$1" "$2")" != "$3" ] && [ $i -lt 100 ]; do
		sleep 0.1 2>/dev/null || sleep 1
		i=$((i + 1))
	done
}

# centiseconds since boot
uptime_cs() {
	read -r up _ </proc/uptime
	echo $((${up%.*} * 100 + 1${up#*.} - 100))
}

# as_nobody ARGS...: kipc ARGS as the user nobody
as_nobody() {
	# shellcheck disable=SC2016 # for the shell su starts
	su -s /bin/sh -c 'exec "$0" "$@"' -- nobody "$kipc" "$@"
}

# can_be_nobody: true if as_nobody works here (as root, with su)
can_be_nobody() {
	# The test guest has no /etc/passwd; su needs one for nobody.
	if ! id nobody >/dev/null 2>&1 && [ -n "$KIPC_KO" ] && [ "$(id -u)" = 0 ]; then
		mkdir -p /etc
		echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
		echo 'nogroup:x:65534:' >>/etc/group
	fi
	[ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 &&
		[ "$(as_nobody -V 2>/dev/null)" = "kipc $(cat "$dir/../VERSION")" ]
}

# expect_all_gone NOUN NAME...: no object of those names is left, and no
# fd or mapping holds the module
expect_all_gone() {
	noun=$1
	shift
	gone=0
	for name in "$@"; do
		"$kipc" "$obj" stat "$name" >/dev/null 2>&1 || gone=$((gone + 1))
	done
	if [ $gone -eq $# ]; then
		tap_ok "all $# ${noun}s are gone"
	else
		tap_not_ok "all $# ${noun}s are gone (only $gone)"
	fi
	if [ -r /sys/module/kipc/refcnt ]; then
		expect 0 "read the module's refcount" cat /sys/module/kipc/refcnt
		expect_output "nothing is left open or mapped on kipc" '^0$'
	else
		tap_skip "read the module's refcount" "no /sys/module/kipc/refcnt"
		tap_skip "nothing is left open or mapped on kipc" "no /sys/module/kipc/refcnt"
	fi
}

# expect_no_module NOUN NAME: stat NAME without the module (unloaded for
# the purpose, in the test guest) fails, saying why
expect_no_module() {
	if [ "$(id -u)" = 0 ] && [ -n "$KIPC_KO" ] && rmmod kipc 2>/dev/null; then
		expect 1 "$obj without the module fails" "$kipc" "$obj" stat "$2"
		expect_output "and says why, not ENOENT of the $1" \
			'^kipc: /dev/kipc: No such file or directory \(module not loaded\?\)$'
		insmod "$KIPC_KO" || tap_bail "cannot reload kipc.ko"
	else
		tap_skip "$obj without the module fails" "cannot unload kipc here"
		tap_skip "and says why" "cannot unload kipc here"
	fi
}
