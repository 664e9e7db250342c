#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# cli_sem_test.sh: kipc sem from the shell: create, wait, post, stat and
# rm, each option, text and JSON output, waiting across processes in FIFO
# order, holders with and without --undo killed, commands run while
# holding, permissions, usage errors, and no leftovers.

dir=$(cd "$(dirname "$0")" && pwd)
. "$dir/tap.sh"
kipc=$dir/../tools/kipc/kipc
# shellcheck disable=SC2034 # for cli_lib.sh
obj=sem
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$dir/cli_lib.sh"
umask 022

echo "TAP version 13"

# Skip, do not fail, on a module without semaphores (KIPC_FEATURE_SEM).
require_feature 8 semaphores

# Semaphore names of this run; all are removed, and checked to be gone,
# at the end.
p=kipc-clisem-$$-
created=
mksem() { # NAME VALUE [OPTIONS]: a new semaphore, or bail out
	created="$created $1"
	"$kipc" sem create "$@" --excl || tap_bail "cannot create semaphore $1"
}

# expect_stat DESCRIPTION NAME PATTERN: stat --json of NAME matches PATTERN
expect_stat() {
	expect 0 "stat of $2 for: $1" "$kipc" sem stat "$2" --json
	expect_output "$1" "$3"
}

# expect_done DESCRIPTION PID STATUS [PATTERN]: background job PID ended
# with STATUS, having printed nothing, or a line that matches PATTERN
# (its output is in $tmp/out.PID)
expect_done() {
	wait "$2"
	got=$?
	if [ $# -gt 3 ]; then
		grep -Eq -- "$4" "$tmp/out.$2"
	else
		[ ! -s "$tmp/out.$2" ]
	fi
	printed=$?
	if [ "$got" -eq "$3" ] && [ $printed -eq 0 ]; then
		tap_ok "$1"
	else
		sed 's/^/#   /' "$tmp/out.$2"
		tap_not_ok "$1 (exit $got, wanted $3)"
	fi
}

# bg ARGS...: kipc ARGS in the background, its pid in $bgpid and its
# output in $tmp/out.PID
bg() {
	# shellcheck disable=SC2016 # for the sh that becomes kipc
	sh -c 'exec "$@" >"$0.$$" 2>&1' "$tmp/out" "$kipc" "$@" &
	bgpid=$!
}

# queue WAITERS NAME [N] [OPTIONS]: kipc sem wait in the background, as
# bg, once NAME has WAITERS waiters with it
queue() {
	n=$1
	shift
	bg sem wait "$@"
	until_stat "$1" waiters "$n"
}

# expect_alive DESCRIPTION PID...: the processes have not ended yet
expect_alive() {
	desc=$1
	shift
	for pid in "$@"; do
		if ! kill -0 "$pid" 2>/dev/null; then
			tap_not_ok "$desc ($pid has)"
			return
		fi
	done
	tap_ok "$desc"
}

# ---- help and usage ----
expect 0 "help sem" "$kipc" help sem
expect_output "help sem shows the usage" '^usage: kipc \[--json\] sem COMMAND'
expect 0 "sem --help" "$kipc" sem --help
expect_output "sem --help lists the commands" '^  wait   NAME \[N\]'
expect 0 "sem help" "$kipc" sem help
expect 0 "--help after a command" "$kipc" sem wait "${p}s" --help
expect_output "--help after a command shows the usage" '^usage: kipc'
expect 0 "kipc --help" "$kipc" --help
expect_output "kipc --help lists sem" '^  sem '
expect 2 "sem without a command" "$kipc" sem
expect_output "sem without a command shows the usage" '^usage: kipc'
expect 2 "sem with an unknown command" "$kipc" sem frobnicate "${p}s"
expect_output "the unknown command is named" \
	"^kipc sem: unknown command 'frobnicate' \\(try 'kipc help sem'\\)\$"
expect 0 "kipc version" "$kipc" version
expect_output "names the feature" '^module: .*\(ABI [0-9]+, features 0x[0-9a-f]+:.* sem'

# ---- create and stat ----
s=${p}a
expect 0 "create with a value, a maximum and a mode" \
	"$kipc" sem create "$s" 3 --max 5 --mode 0646
created="$created $s"
expect_empty "create prints nothing"
expect 0 "stat" "$kipc" sem stat "$s"
expect_output "stat names the semaphore with its '/'" "^name: +/$s\$"
expect_output "stat shows the value" '^value: +3$'
expect_output "stat shows the maximum" '^max: +5$'
expect_output "stat shows no waiter" '^waiters: +0$'
expect_output "stat shows no first_wants" '^first_wants: +0$'
expect_output "stat shows the counters" '^waits: +0$'
expect_output "posts" '^posts: +0$'
expect_output "sleeps" '^sleeps: +0$'
expect_output "undone" '^undone: +0$'
expect_output "undo_dropped" '^undo_dropped: +0$'
expect_output "stat shows the mode in octal, not less the umask (022)" \
	'^mode: +0646$'
expect_output "stat shows the owner" "^uid: +$(id -u)\$"
expect_output "and the group" "^gid: +$(id -g)\$"
expect_output "stat shows when it was made" \
	'^ctime: +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\.[0-9]{9} [-+][0-9]{4}$'
expect_output "and its id" '^id: +[1-9][0-9]*$'
expect 0 "stat with the '/'" "$kipc" sem stat "/$s"
expect_output "is the same semaphore" "^name: +/$s\$"
expect 1 "create --excl of a semaphore that exists" \
	"$kipc" sem create "$s" 1 --excl
expect_output "fails naming the semaphore and EEXIST" \
	"^kipc: sem create /$s: File exists\$"
expect 0 "create of a semaphore that exists, without --excl" \
	"$kipc" sem create "$s" 1 --max 2 --mode 0666
expect_stat "leaves it as it was" "$s" '"value":3,"max":5,.*"mode":422,'

expect 0 "stat --json" "$kipc" sem stat "$s" --json
expect_output "stat --json has every key, in order" \
	"^\\{\"name\":\"/$s\",\"id\":[0-9]+,\"value\":3,\"max\":5,\"waiters\":0,\"first_wants\":0,\"waits\":0,\"posts\":0,\"sleeps\":0,\"undone\":0,\"undo_dropped\":0,\"mode\":422,\"uid\":$(id -u),\"gid\":$(id -g),\"ctime_ns\":[0-9]+\\}\$"
expect 0 "kipc -j sem stat" "$kipc" -j sem stat "$s"
expect_output "prints the same object" "^\\{\"name\":\"/$s\",\"id\":[0-9]+,\"value\":3,"
id1=$(stat_field "$s" id)
expect 0 "create --json" "$kipc" sem create "${p}j" 0x10 --json
created="$created ${p}j"
expect_output "prints the new semaphore as stat does (0x is hex, the maximum the largest)" \
	"^\\{\"name\":\"/${p}j\",\"id\":[0-9]+,\"value\":16,\"max\":2147483647,\"waiters\":0,.*\"mode\":384,"
if [ -n "$id1" ] && [ "$(stat_field "${p}j" id)" != "$id1" ]; then
	tap_ok "each semaphore has an id of its own"
else
	tap_not_ok "each semaphore has an id of its own"
fi

mksem "${p}u" 0
expect_stat "made without --mode or --max: 0600, the largest maximum" "${p}u" \
	'"value":0,"max":2147483647,.*"mode":384,'
(umask 0200 && "$kipc" sem create "${p}m" 0 --excl) || tap_bail "cannot create ${p}m"
created="$created ${p}m"
expect_stat "the default mode is less the umask: 0200 makes it 0400" "${p}m" \
	'"mode":256,'
mksem "${p}top" 2147483647 --max 0x7fffffff
expect_stat "VALUE and --max at the top of their range" "${p}top" \
	'"value":2147483647,"max":2147483647,'
mksem "${p}one" 1 --max 1
expect_stat "--max 1 and VALUE 1" "${p}one" '"value":1,"max":1,'

# ---- wait and post ----
expect 0 "wait" "$kipc" sem wait "$s"
expect_empty "wait prints nothing"
expect_stat "takes 1, and it stays taken" "$s" '"value":2,.*"waits":1,'
expect 0 "wait 2" "$kipc" sem wait "$s" 2
expect_stat "takes 2" "$s" '"value":0,.*"waits":2,"posts":0,"sleeps":0,'
expect 1 "wait --timeout 0 of a semaphore at 0" "$kipc" sem wait "$s" --timeout 0
expect_output "fails at once, saying so" \
	"^kipc: sem wait /$s: Resource temporarily unavailable \\(could not take 1\\)\$"
expect 1 "wait 3 --timeout 200 of a semaphore at 0" "$kipc" sem wait "$s" 3 --timeout 200
expect_output "times out, saying so" \
	"^kipc: sem wait /$s: Connection timed out \\(could not take 3 after 200 ms\\)\$"
expect_stat "took nothing, and counts the one that slept" "$s" \
	'"value":0,"max":5,"waiters":0,"first_wants":0,"waits":2,"posts":0,"sleeps":1,'
expect 0 "post" "$kipc" sem post "$s"
expect_empty "post prints nothing"
expect 0 "post 3 --json" "$kipc" sem post "$s" 3 --json
expect_output "prints how many it woke" '^\{"woken":0\}$'
expect_stat "adds 1, then 3" "$s" '"value":4,.*"posts":2,'
expect 1 "post 2 to 4 of 5" "$kipc" sem post "$s" 2
expect_output "fails with EOVERFLOW, saying why" \
	"^kipc: sem post /$s: Value too large for defined data type \\(the value 4 and 2 more would pass the maximum, 5; nothing was added\\)\$"
expect_stat "and adds nothing" "$s" '"value":4,.*"posts":2,'
expect 0 "post 1: to the maximum" "$kipc" sem post "$s" 1
expect 1 "post 2147483647 at the maximum" "$kipc" sem post "$s" 2147483647
expect_output "fails the same way" '\(the value 5 and 2147483647 more would pass the maximum, 5; nothing was added\)$'
expect 1 "post to 2147483647 of 2147483647" "$kipc" sem post "${p}top"
expect_output "fails with EOVERFLOW" \
	"^kipc: sem post /${p}top: Value too large for defined data type \\(the value 2147483647 and 1 more"
expect 1 "wait 6 of a maximum of 5" "$kipc" sem wait "$s" 6 --timeout 0
expect_output "fails: it could never be taken" \
	"^kipc: sem wait /$s: Invalid argument \\(6 is above the semaphore's maximum, 5\\)\$"
expect 0 "wait 5 --timeout 0 of 5" "$kipc" sem wait "$s" 5 --timeout 0
expect_stat "takes all" "$s" '"value":0,'
expect 0 "wait 0x7fffffff of 2147483647" "$kipc" sem wait "${p}top" 0x7fffffff
expect_stat "takes all of it" "${p}top" '"value":0,"max":2147483647,'
expect 0 "wait with the '/'" "$kipc" sem wait "/${p}one" --timeout 0
expect 1 "and again without it: the same semaphore, at 0 now" "$kipc" sem wait "${p}one" --timeout 0
expect 0 "wait --timeout at the top of its range, with the value there" \
	"$kipc" sem wait "${p}j" --timeout 9223372036854

# ---- waiting across processes ----
queue 1 "$s" --timeout 20000
w1=$bgpid
expect_stat "a waiter in another process" "$s" '"value":0,"max":5,"waiters":1,"first_wants":1,'
expect 0 "post --json to it" "$kipc" -j sem post "$s"
expect_output "wakes it" '^\{"woken":1\}$'
expect_done "the waiter takes it and ends, exit 0, nothing printed" "$w1" 0
expect_stat "the value it took stays taken" "$s" '"value":0,"max":5,"waiters":0,"first_wants":0,'

# FIFO: a wait of 3, then one of 1 behind it
queue 1 "$s" 3 --timeout 20000
wa=$bgpid
queue 2 "$s" 1 --timeout 20000
wb=$bgpid
expect_stat "two waiters, the first wanting 3" "$s" '"value":0,"max":5,"waiters":2,"first_wants":3,'
expect 0 "post 1" "$kipc" -j sem post "$s" 1
expect_output "wakes nobody: the first wants 3, and the second is behind it" '^\{"woken":0\}$'
expect_stat "value 1, both waiting, the first wanting 3" "$s" \
	'"value":1,"max":5,"waiters":2,"first_wants":3,'
expect_alive "neither wait has ended" "$wa" "$wb"
expect 1 "wait 1 --timeout 0 while they wait, with 1 there" "$kipc" sem wait "$s" --timeout 0
expect_output "does not jump the queue" '\(could not take 1\)$'
expect 0 "post 2" "$kipc" -j sem post "$s" 2
expect_output "wakes the first" '^\{"woken":1\}$'
expect_done "the wait of 3 ends" "$wa" 0
expect_stat "the wait of 1 is first now" "$s" '"value":0,"max":5,"waiters":1,"first_wants":1,'
expect_alive "the wait of 1 has not ended" "$wb"
expect 0 "post 2 more" "$kipc" -j sem post "$s" 2
expect_output "wakes the second" '^\{"woken":1\}$'
expect_done "the wait of 1 ends" "$wb" 0
expect_stat "1 is left over" "$s" '"value":1,"max":5,"waiters":0,"first_wants":0,'

# a waiter that gives up lets those behind it through
expect 0 "post 1" "$kipc" sem post "$s"
queue 1 "$s" 5 --timeout 3000
wc=$bgpid
queue 2 "$s" 2 --timeout 20000
wd=$bgpid
expect_done "nobody posts: the wait of 5 times out" "$wc" 1 \
	"^kipc: sem wait /$s: Connection timed out \\(could not take 5 after 3000 ms\\)\$"
expect_done "and the wait of 2 behind it takes the 2 there at once" "$wd" 0
expect_stat "nothing left, nobody waiting" "$s" '"value":0,"max":5,"waiters":0,'

# ---- holding: --undo, commands ----
h=${p}hold
mksem "$h" 3 --max 3
bg sem wait "$h" 2 --undo
hk=$bgpid
until_stat "$h" value 1
expect_stat "a holder with --undo took 2" "$h" '"value":1,"max":3,"waiters":0,.*"undone":0,"undo_dropped":0,'
expect_alive "and holds it" "$hk"
kill -9 "$hk"
wait "$hk"
expect 0 "the holder killed with SIGKILL" test $? -eq 137
expect_stat "gives the 2 back (undone)" "$h" '"value":3,"max":3,"waiters":0,.*"undone":2,"undo_dropped":0,'

for sig in TERM INT HUP; do
	bg sem wait "$h" --undo
	ht=$bgpid
	until_stat "$h" value 2
	kill -$sig "$ht"
	expect_done "a holder with --undo ends on SIG$sig: exit 0, nothing printed" "$ht" 0
	expect_stat "and gives the count back" "$h" '"value":3,'
done
expect_stat "undone counts all of it" "$h" '"undone":5,"undo_dropped":0,'

bg sem wait "$h" 3 --undo
ht=$bgpid
until_stat "$h" value 0
queue 1 "$h" 2 --timeout 20000
hw=$bgpid
kill -TERM "$ht"
expect_done "a holder's count goes to the next waiter" "$hw" 0
expect_done "and the holder ends" "$ht" 0
expect_stat "which took 2 of it" "$h" '"value":1,'
"$kipc" sem post "$h" 2

bg sem wait "$h" 2 --undo
ht=$bgpid
until_stat "$h" value 1
expect 0 "post 2 while the holder holds 2: at the maximum" "$kipc" sem post "$h" 2
kill -9 "$ht"
wait "$ht"
expect_stat "undo past the maximum is dropped, and counted" "$h" \
	'"value":3,"max":3,.*"undone":8,"undo_dropped":2,'

# without --undo: a command holds it, and kipc posts it back
expect 0 "wait -- COMMAND" "$kipc" sem wait "$h" 2 -- \
	"$kipc" sem stat "$h" --json
expect_output "runs it with the 2 taken" '"value":1,'
expect_stat "and posts it back after" "$h" '"value":3,'
expect 3 "wait -- COMMAND that fails" "$kipc" sem wait "$h" -- sh -c 'exit 3'
expect_stat "exits with its status and posts it back" "$h" '"value":3,'
expect 143 "wait -- COMMAND killed by SIGTERM" "$kipc" sem wait "$h" -- sh -c 'kill -TERM $$'
expect_stat "exits with 128 + 15 and posts it back" "$h" '"value":3,'
expect 127 "wait -- a COMMAND that does not exist" "$kipc" sem wait "$h" -- "${p}no-such-command"
expect_output "says so" \
	"^kipc: sem wait /$h: No such file or directory \\(cannot run '${p}no-such-command'\\)\$"
expect_stat "and posts it back" "$h" '"value":3,'
# shellcheck disable=SC2016 # for the command's sh
expect 0 "wait -- COMMAND with options of its own" \
	"$kipc" sem wait "$h" 3 -- sh -c 'echo "$1" "$2"' sh --timeout -x
expect_output "passes them on" '^--timeout -x$'
"$kipc" sem wait "$h" 3
expect 1 "wait --timeout 0 -- COMMAND of a semaphore at 0" \
	"$kipc" sem wait "$h" --timeout 0 -- sh -c 'echo ran'
expect_output "does not run it" "^kipc: sem wait /$h: Resource temporarily unavailable \\(could not take 1\\)\$"
"$kipc" sem post "$h" 3

# with --undo: the same, the kernel giving it back
expect 0 "wait --undo -- COMMAND" "$kipc" sem wait "$h" 2 --undo -- \
	"$kipc" sem stat "$h" --json
expect_output "runs it with the 2 taken" '"value":1,'
expect_stat "and gives it back after (undone)" "$h" '"value":3,.*"undone":10,'
expect 5 "wait --undo -- COMMAND that fails" "$kipc" sem wait "$h" --undo -- sh -c 'exit 5'
expect_stat "gives it back too" "$h" '"value":3,.*"undone":11,'

# the holder of a command killed: with --undo it comes back, without not
# kill_command_holder [--undo]: take 2 of $h for a command, then SIGKILL
# kipc (the command goes on, and is killed after)
kill_command_holder() {
	rm -f "$tmp/cmdpid"
	# shellcheck disable=SC2016 # for the command's sh
	bg sem wait "$h" 2 "$@" -- sh -c 'echo $$ >"$0"; exec sleep 1000' "$tmp/cmdpid"
	until_stat "$h" value 1
	i=0
	while [ ! -s "$tmp/cmdpid" ] && [ $i -lt 100 ]; do
		sleep 0.1 2>/dev/null || sleep 1
		i=$((i + 1))
	done
	kill -9 "$bgpid"
	wait "$bgpid"
	stat_field "$h" value >"$tmp/value"
	kill "$(cat "$tmp/cmdpid")" 2>/dev/null
}
kill_command_holder --undo
expect_file "kipc killed while its command runs, --undo: the 2 come back" \
	"$tmp/value" '3\n'
kill_command_holder
expect_file "the same without --undo: the 2 stay taken" "$tmp/value" '1\n'
"$kipc" sem post "$h" 2

# SIGTERM to kipc ends the command, then kipc gives the count back
bg sem wait "$h" 2 -- sleep 1000
hc=$bgpid
until_stat "$h" value 1
kill -TERM "$hc"
wait "$hc"
expect 0 "SIGTERM to kipc holding for a command: passed on, exit 143" test $? -eq 143
expect_stat "and the 2 are posted back" "$h" '"value":3,'

# ---- usage errors: exit 2, naming what is wrong ----
expect 2 "create without VALUE" "$kipc" sem create "${p}x"
expect_output "says VALUE is missing" "^kipc sem: create: missing VALUE \\(try 'kipc help sem'\\)\$"
for v in abc -1 +1 ' 1' '' 0x 1.5 2147483648 4294967296; do
	expect 2 "create VALUE '$v'" "$kipc" sem create "${p}x" "$v"
done
expect_output "names VALUE, its range and the value" \
	"^kipc sem: create: VALUE wants a number, 0 to 2147483647, not '4294967296' \\(try 'kipc help sem'\\)\$"
expect 2 "create VALUE above --max" "$kipc" sem create "${p}x" 6 --max 5
expect_output "says so" "^kipc sem: create: VALUE 6 is above --max 5 \\(try 'kipc help sem'\\)\$"
expect 2 "create --max 2147483648" "$kipc" sem create "${p}x" 0 --max 2147483648
expect_output "names --max and its range" \
	"^kipc sem: create: --max wants a number, 1 to 2147483647, not '2147483648'"
expect 2 "create --max 0" "$kipc" sem create "${p}x" 0 --max 0
expect 2 "create --max without a value" "$kipc" sem create "${p}x" 0 --max
expect_output "says it needs one" "^kipc sem: create: --max needs a value"
expect 2 "create --mode 1000" "$kipc" sem create "${p}x" 0 --mode 1000
expect_output "names the octal range" "--mode wants an octal mode, 0 to 0777, not '1000'"
expect 2 "create --mode 0x1ff" "$kipc" sem create "${p}x" 0 --mode 0x1ff
expect 2 "create --excl=1" "$kipc" sem create "${p}x" 0 --excl=1
expect_output "takes no value" "--excl takes no value"
expect 2 "create with two values" "$kipc" sem create "${p}x" 1 2
expect_output "names the extra one" "unexpected argument '2'"
expect 2 "create --undo" "$kipc" sem create "${p}x" 1 --undo
expect_output "does not apply" "^kipc sem: create: --undo does not apply"
for cmd in wait post; do
	for n in 0 -1 abc 2147483648 ''; do
		expect 2 "$cmd N '$n'" "$kipc" sem $cmd "$s" "$n"
	done
	expect_output "names N, its range and the value" \
		"^kipc sem: $cmd: N wants a number, 1 to 2147483647, not '' \\(try 'kipc help sem'\\)\$"
	expect 2 "$cmd with two Ns" "$kipc" sem $cmd "$s" 1 2
	expect_output "names the extra one" "unexpected argument '2'"
done
expect 2 "wait --timeout -1" "$kipc" sem wait "$s" --timeout -1
expect_output "names the range" "--timeout wants a number, 0 to 9223372036854, not '-1'"
expect 2 "wait --timeout beyond int64 nanoseconds" "$kipc" sem wait "$s" --timeout 9223372036855
expect 2 "wait --undo=1" "$kipc" sem wait "$s" --undo=1
expect 2 "wait --max" "$kipc" sem wait "$s" --max 1
expect_output "does not apply" "^kipc sem: wait: --max does not apply"
expect 2 "wait with -- and no command" "$kipc" sem wait "$s" --undo --
expect_output "says the command is missing" "^kipc sem: wait: missing the command after --"
expect 2 "post --timeout" "$kipc" sem post "$s" --timeout 1
expect_output "does not apply" "^kipc sem: post: --timeout does not apply"
expect 2 "post --undo" "$kipc" sem post "$s" --undo
expect 2 "post -- with more after it" "$kipc" sem post "$s" -- 1 sh
expect_output "takes no command" "unexpected argument 'sh'"
expect 2 "stat --undo" "$kipc" sem stat "$s" --undo
expect 2 "stat with an argument" "$kipc" sem stat "$s" extra
expect 2 "rm --excl" "$kipc" sem rm "$s" --excl
expect 2 "an unknown long option" "$kipc" sem stat "$s" --frobnicate
expect_output "is named" "unknown option '--frobnicate'"
expect 2 "an unknown short option" "$kipc" sem wait "$s" -x
expect_output "is named" "unknown option '-x'"
for cmd in create wait post stat rm; do
	expect 2 "$cmd without NAME" "$kipc" sem $cmd
	expect_output "says NAME is missing" "^kipc sem: $cmd: missing NAME"
done
expect 2 "a name with a '/' inside" "$kipc" sem create a/b 1
expect_output "is named" "^kipc sem: create: bad semaphore name 'a/b'"
expect 2 "the name '/'" "$kipc" sem stat /
expect 2 "an empty name" "$kipc" sem wait ''
long=$(printf "%0254d" 0)
expect 2 "a name of 255 bytes" "$kipc" sem create "${long}1" 1
expect 0 "a name of 254 bytes (255 with its '/')" "$kipc" sem create "$long" 1 --excl
expect 0 "rm it" "$kipc" sem rm "/$long"
expect 1 "no semaphore was made by the usage errors" "$kipc" sem stat "${p}x"
expect_stat "and none touched $s" "$s" '"value":0,"max":5,"waiters":0,'

# ---- rm ----
"$kipc" sem create "${p}r1" 1
"$kipc" sem create "${p}r2" 1
expect 0 "rm of two semaphores" "$kipc" sem rm "${p}r1" "/${p}r2"
expect_empty "prints nothing"
expect 1 "wait after rm" "$kipc" sem wait "${p}r1"
expect_output "fails with ENOENT" "^kipc: sem wait /${p}r1: No such file or directory\$"
expect 1 "post after rm" "$kipc" sem post "${p}r1"
expect_output "fails with ENOENT" "^kipc: sem post /${p}r1: No such file or directory\$"
expect 1 "stat after rm" "$kipc" sem stat "${p}r2"
expect_output "fails with ENOENT" "^kipc: sem stat /${p}r2: No such file or directory\$"
"$kipc" sem create "${p}r3" 1
expect 1 "rm of a missing and an existing semaphore" "$kipc" sem rm "${p}r1" "${p}r3"
expect_output "names the missing one" "^kipc: sem rm /${p}r1: No such file or directory\$"
expect 1 "and removes the other anyway" "$kipc" sem stat "${p}r3"
expect 2 "rm with a bad name among good ones" "$kipc" sem rm "$s" a/b
expect 0 "removes none of them" "$kipc" sem stat "$s"
"$kipc" sem create "${p}r4" 3
"$kipc" sem rm "${p}r4"
expect 0 "a new semaphore may take the name at once" "$kipc" sem create "${p}r4" 0 --excl
expect_stat "with its own value" "${p}r4" '"value":0,'
queue 1 "${p}r4" --timeout 2000
wr=$bgpid
expect 0 "rm of a semaphore with a waiter" "$kipc" sem rm "${p}r4"
expect_done "the waiter sleeps on, until its deadline" "$wr" 1 \
	"^kipc: sem wait /${p}r4: Connection timed out \\(could not take 1 after 2000 ms\\)\$"

# ---- another user ----
if can_be_nobody; then
	mksem "${p}priv" 1 --mode 0600
	for cmd in stat "wait --timeout 0" "wait --undo --timeout 0" post rm; do
		# shellcheck disable=SC2086 # the command and its options
		expect 1 "$cmd of a 0600 semaphore as another user" as_nobody sem $cmd "${p}priv"
		expect_output "is refused" "^kipc: sem ${cmd%% *} /${p}priv: Permission denied\$"
	done
	expect_stat "the semaphore is as it was" "${p}priv" '"value":1,.*"waits":0,"posts":0,'

	mksem "${p}ro" 2 --mode 0644
	expect 0 "stat of a 0644 semaphore as another user" as_nobody sem stat "${p}ro"
	expect 0 "wait on it (read access is enough)" as_nobody sem wait "${p}ro" --timeout 0
	expect 1 "post to it" as_nobody sem post "${p}ro"
	expect_output "is refused" "^kipc: sem post /${p}ro: Permission denied\$"
	expect 1 "wait -- COMMAND without --undo (it posts back)" \
		as_nobody sem wait "${p}ro" -- sh -c 'echo ran'
	expect_output "is refused: posting needs write access" \
		"^kipc: sem wait /${p}ro: Permission denied\$"
	expect 0 "wait --undo -- COMMAND (undo needs no write access)" \
		as_nobody sem wait "${p}ro" --undo -- sh -c 'echo ran'
	expect_output "runs it" '^ran$'
	expect 1 "rm it" as_nobody sem rm "${p}ro"
	expect_output "is refused" "^kipc: sem rm /${p}ro: Permission denied\$"
	expect_stat "the one wait took 1; undo gave back what the other took" "${p}ro" \
		'"value":1,.*"waits":2,"posts":0,.*"undone":1,'

	mksem "${p}wo" 0 --mode 0622
	expect 0 "post to a 0622 semaphore as another user" as_nobody sem post "${p}wo"
	expect 0 "stat it (write access is enough)" as_nobody sem stat "${p}wo"
	expect_output "shows the owner, not the poster" "^uid: +$(id -u)\$"
	expect 1 "wait on it" as_nobody sem wait "${p}wo" --timeout 0
	expect_output "is refused" "^kipc: sem wait /${p}wo: Permission denied\$"
else
	tap_skip "another user's access" "not root, or no su to nobody here"
fi

# ---- nothing left behind ----
# shellcheck disable=SC2086 # the names have no blanks
expect 0 "rm of every semaphore made" "$kipc" sem rm $created
# and those that failing tests might have made
all="$created ${p}r1 ${p}r2 ${p}r3 ${p}r4 ${p}x $long"
# shellcheck disable=SC2086 # the names have no blanks
expect_all_gone semaphore $all
expect_no_module semaphore "$s"

tap_done
