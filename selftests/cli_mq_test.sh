#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# cli_mq_test.sh: kipc mq from the shell: create, send, recv, peek, stat
# and rm, each option, text and JSON output, binary payloads through
# stdin and stdout, waiting, permissions, usage errors, and no leftovers.

dir=$(cd "$(dirname "$0")" && pwd)
. "$dir/tap.sh"
kipc=$dir/../tools/kipc/kipc
# shellcheck disable=SC2034 # for cli_lib.sh
obj=mq
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$dir/cli_lib.sh"
umask 022

echo "TAP version 13"

# Queue names of this run; all are removed, and checked to be gone, at the end.
p=kipc-cli-$$-
created=
mkq() { # NAME [OPTIONS]: a new queue, or bail out
	created="$created $1"
	"$kipc" mq create "$@" --excl || tap_bail "cannot create queue $1"
}

# ---- help and usage ----
expect 0 "help mq" "$kipc" help mq
expect_output "help mq shows the usage" '^usage: kipc \[--json\] mq COMMAND'
expect 0 "mq --help" "$kipc" mq --help
expect_output "mq --help lists the commands" '^  recv   NAME'
expect 0 "mq help" "$kipc" mq help
expect_output "mq help shows the usage" '^usage: kipc \[--json\] mq'
expect 0 "--help after a command" "$kipc" mq recv "${p}q" --help
expect_output "--help after a command shows the usage" '^usage: kipc'
expect 0 "kipc --help" "$kipc" --help
expect_output "kipc --help lists mq" '^  mq '
expect 2 "mq without a command" "$kipc" mq
expect_output "mq without a command shows the usage" '^usage: kipc'
expect 2 "mq with an unknown command" "$kipc" mq frobnicate "${p}q"
expect_output "the unknown command is named" \
	"^kipc mq: unknown command 'frobnicate' \\(try 'kipc help mq'\\)\$"

# ---- create and stat ----
q=${p}a
expect 0 "create with sizes and a mode" \
	"$kipc" mq create "$q" --max-msgs 4 --msg-size 64 --mode 0646
created="$created $q"
expect_empty "create prints nothing"
expect 0 "stat" "$kipc" mq stat "$q"
expect_output "stat names the queue with its '/'" "^name: +/$q\$"
expect_output "stat shows max_msgs" '^max_msgs: +4$'
expect_output "stat shows msg_size" '^msg_size: +64$'
expect_output "stat shows the mode in octal, not less the umask (022)" \
	'^mode: +0646$'
expect_output "stat shows the owner" "^uid: +$(id -u)\$"
expect_output "stat shows when it was made" \
	'^ctime: +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\.[0-9]{9} [-+][0-9]{4}$'
expect 0 "stat with the '/'" "$kipc" mq stat "/$q"
expect_output "is the same queue" "^name: +/$q\$"
expect 1 "create --excl of a queue that exists" \
	"$kipc" mq create "$q" --excl
expect_output "fails naming the queue and EEXIST" \
	"^kipc: mq create /$q: File exists\$"
expect 0 "create of a queue that exists, without --excl" \
	"$kipc" mq create "$q" --mode 0666 --max-msgs 8
expect 0 "leaves it as it was" "$kipc" mq stat "$q"
expect_output "its mode" '^mode: +0646$'
expect_output "its max_msgs" '^max_msgs: +4$'

mkq "${p}u"
expect 0 "stat of a queue made without --mode" "$kipc" mq stat "${p}u"
expect_output "has the defaults: 0600, 64 x 8192" \
	'^max_msgs: +64$'
expect_output "and a msg_size of 8192" '^msg_size: +8192$'
expect_output "and mode 0600" '^mode: +0600$'
(umask 0200 && "$kipc" mq create "${p}m" --excl) || tap_bail "cannot create ${p}m"
created="$created ${p}m"
expect 0 "the default mode is less the umask" "$kipc" mq stat "${p}m"
expect_output "umask 0200 makes it 0400" '^mode: +0400$'

expect 0 "stat --json" "$kipc" mq stat "$q" --json
expect_output "stat --json has every key, in order" \
	"^\\{\"name\":\"/$q\",\"id\":[0-9]+,\"max_msgs\":4,\"msg_size\":64,\"depth\":0,\"bytes\":0,\"high_water\":0,\"recv_waiters\":0,\"send_waiters\":0,\"sent\":0,\"received\":0,\"mode\":422,\"uid\":$(id -u),\"gid\":$(id -g),\"ctime_ns\":[0-9]+\\}\$"
expect 0 "kipc -j mq stat" "$kipc" -j mq stat "$q"
expect_output "prints the same object" "^\\{\"name\":\"/$q\",\"id\":[0-9]+,\"max_msgs\":4,"
expect 0 "create --json" "$kipc" mq create "${p}j" --json --max-msgs 0x10
created="$created ${p}j"
expect_output "prints the new queue as stat does (and 0x is hex)" \
	"^\\{\"name\":\"/${p}j\",\"id\":[0-9]+,\"max_msgs\":16,\"msg_size\":8192,\"depth\":0,.*\"mode\":384,"
expect 1 "create beyond the module's limits" \
	"$kipc" mq create "${p}big" --max-msgs 4294967295
expect_output "fails with EINVAL and a hint" \
	"^kipc: mq create /${p}big: Invalid argument \\(above the module's"

# ---- send and recv ----
expect 0 "send TEXT" "$kipc" mq send "$q" hello
expect_empty "send prints nothing"
expect 0 "recv" out_to "$tmp/out" "$kipc" mq recv "$q"
expect_file "recv writes the payload, nothing added" "$tmp/out" 'hello'
expect 0 "send TEXT with a newline in it" "$kipc" mq send "$q" "$(printf 'a\nb')"
"$kipc" mq recv "$q" >"$tmp/out"
expect_file "comes back as it went" "$tmp/out" 'a\nb'
expect 0 "send an empty TEXT" "$kipc" mq send "$q" ""
expect 0 "recv an empty message" "$kipc" mq recv "$q" --json
expect_output "is 0 bytes" '"len":0,.*"payload":""\}$'
expect 0 "send -- -5" "$kipc" mq send "$q" -- -5
"$kipc" mq recv "$q" >"$tmp/out"
expect_file "sends -5: -- ends the options" "$tmp/out" '-5'

"$kipc" mq send "$q" low --prio 1
"$kipc" mq send "$q" high --prio 32767
"$kipc" mq send "$q" mid --prio 3
"$kipc" mq send "$q" mid2 --prio 3
expect 0 "recv --count 4 --newline" out_to "$tmp/out" "$kipc" mq recv "$q" --count 4 --newline
expect_file "highest priority first, in order within one" "$tmp/out" \
	'high\nmid\nmid2\nlow\n'

"$kipc" mq send "$q" x
"$kipc" mq send "$q" y
expect 0 "recv --count 2 -0" out_to "$tmp/out" "$kipc" mq recv "$q" --count 2 -0
expect_file "a NUL after each" "$tmp/out" 'x\0y\0'
"$kipc" mq send "$q" x
"$kipc" mq send "$q" y
expect 0 "recv --count 2 without a delimiter" out_to "$tmp/out" "$kipc" mq recv "$q" --count 2
expect_file "runs the payloads together" "$tmp/out" 'xy'

"$kipc" mq send "$q" one
expect 1 "recv --count 2 of one message, --nonblock" \
	"$kipc" mq recv "$q" --count 2 --nonblock
expect_output "prints the one" '^onekipc: mq recv'
expect_output "and fails saying how many came" \
	"kipc: mq recv /$q: Resource temporarily unavailable \\(only 1 of 2 messages\\)\$"

# ---- types ----
"$kipc" mq send "$q" five --type 5
"$kipc" mq send "$q" one --type 1
"$kipc" mq send "$q" three --type 0x3
"$kipc" mq send "$q" seven --type 7
expect 0 "recv --type 3 (sent as 0x3)" out_to "$tmp/out" "$kipc" mq recv "$q" --type 3
expect_file "takes the message of type 3" "$tmp/out" 'three'
expect 0 "recv --type-le 6" out_to "$tmp/out" "$kipc" mq recv "$q" --type-le 6
expect_file "takes the lowest type <= 6" "$tmp/out" 'one'
expect 0 "recv --type-not 5" out_to "$tmp/out" "$kipc" mq recv "$q" --type-not 5
expect_file "takes the first not of type 5" "$tmp/out" 'seven'
expect 1 "recv --type 9 --nonblock" "$kipc" mq recv "$q" --type 9 --nonblock
expect_output "finds no matching message" \
	"^kipc: mq recv /$q: Resource temporarily unavailable \\(no matching message\\)\$"
expect 0 "recv --json" "$kipc" mq recv "$q" --json
expect_output "shows the type left" '^\{"type":5,'
"$kipc" mq send "$q" ten --type 010
expect 0 "--type 010 is decimal" out_to "$tmp/out" "$kipc" mq recv "$q" --type 10 --nonblock
expect_file "is ten" "$tmp/out" 'ten'
"$kipc" mq send "$q" max --type 18446744073709551615
expect 0 "the largest type" "$kipc" -j mq recv "$q" --type 0xffffffffffffffff
expect_output "goes through" '^\{"type":18446744073709551615,'

# ---- peek ----
"$kipc" mq send "$q" peeked --type 2 --prio 9
expect 0 "peek" out_to "$tmp/out" "$kipc" mq peek "$q" --nonblock
expect_file "shows the message" "$tmp/out" 'peeked'
expect 0 "peek --json" "$kipc" mq peek "$q" --json
expect_output "shows the message as JSON" '^\{"type":2,"prio":9,"len":6,.*"payload":"peeked"\}$'
expect 0 "peek --newline" "$kipc" mq peek "$q" --newline
expect 0 "the message is still queued" "$kipc" mq stat "$q"
expect_output "depth 1" '^depth: +1$'
expect 1 "peek --type-not 2 --nonblock" "$kipc" mq peek "$q" --type-not 2 --nonblock
expect_output "finds nothing to peek at" '\(no matching message\)$'
expect 2 "peek --count" "$kipc" mq peek "$q" --count 2
expect_output "is a usage error: peek is of one" "^kipc mq: peek: --count does not apply"
"$kipc" mq recv "$q" >/dev/null

# ---- JSON messages ----
"$kipc" mq send "$q" hello --type 7 --prio 2 &
pid=$!
wait $pid
expect 0 "recv --json of a text message" "$kipc" mq recv "$q" --json
expect_output "is one object with every key, in order" \
	"^\\{\"type\":7,\"prio\":2,\"len\":5,\"sender_pid\":$pid,\"sender_uid\":$(id -u),\"timestamp_ns\":[0-9]+,\"encoding\":\"utf-8\",\"payload\":\"hello\"\\}\$"
"$kipc" mq send "$q" "$(printf 'say "hi"\\\n\tnow\001')"
expect 0 "recv --json of quotes, a backslash, controls" "$kipc" -j mq recv "$q"
expect_output "escapes them" '"payload":"say \\"hi\\"\\\\\\u000a\\u0009now\\u0001"\}$'
"$kipc" mq send "$q" "$(printf '\303\251t\303\251 \360\237\230\200')"
expect 0 "recv --json of UTF-8" "$kipc" -j mq recv "$q"
expect_output "is a string as it is" "\"encoding\":\"utf-8\",\"payload\":\"$(printf '\303\251t\303\251 \360\237\230\200')\"\\}\$"
printf '\377\000\001' | "$kipc" mq send "$q" -
expect 0 "recv --json of bytes that are not UTF-8" "$kipc" -j mq recv "$q"
expect_output "is base64" '"len":3,.*"encoding":"base64","payload":"/wAB"\}$'
printf '\300\200' | "$kipc" mq send "$q"
expect 0 "recv --json of an overlong NUL" "$kipc" -j mq recv "$q"
expect_output "is base64 too" '"encoding":"base64","payload":"wIA="\}$'
printf '\355\240\200' | "$kipc" mq send "$q"
expect 0 "recv --json of a UTF-16 surrogate" "$kipc" -j mq recv "$q"
expect_output "is base64 too" '"encoding":"base64","payload":"7aCA"\}$'
printf 'a\000b' | "$kipc" mq send "$q"
expect 0 "recv --json of a NUL" "$kipc" -j mq recv "$q"
expect_output "is text with \\u0000" '"encoding":"utf-8","payload":"a\\u0000b"\}$'
"$kipc" mq send "$q" one
"$kipc" mq send "$q" two
expect 0 "recv --count 2 --json" "$kipc" -j mq recv "$q" --count 2
expect_output "prints an object per line" \
	"^\\{\"type\":0,.*\"payload\":\"one\"\\}
\\{\"type\":0,.*\"payload\":\"two\"\\}\$"

# ---- binary payloads through stdin and stdout ----
i=0
while [ $i -lt 256 ]; do
	# shellcheck disable=SC2059 # an octal escape made on the fly
	printf "\\$(printf %03o $i)"
	i=$((i + 1))
done >"$tmp/bytes"
cat "$tmp/bytes" "$tmp/bytes" >"$tmp/bin"
dd if=/dev/zero bs=100 count=1 2>/dev/null >>"$tmp/bin"
b=${p}bin
mkq "$b" --msg-size 612
expect 0 "send - of all 256 byte values and NULs" \
	in_from "$tmp/bin" "$kipc" mq send "$b" -
expect 0 "stat counts its bytes" "$kipc" mq stat "$b"
expect_output "612 of them" '^bytes: +612$'
expect 0 "peek it to a file" out_to "$tmp/peeked" "$kipc" mq peek "$b"
expect 0 "recv it to a file" out_to "$tmp/got" "$kipc" mq recv "$b"
if cmp "$tmp/bin" "$tmp/got" && cmp "$tmp/bin" "$tmp/peeked"; then
	tap_ok "what came out is what went in, byte for byte"
else
	tap_not_ok "what came out is what went in, byte for byte"
fi
expect 0 "send without TEXT reads stdin" \
	in_from "$tmp/bytes" "$kipc" mq send "$b"
"$kipc" -j mq recv "$b" | sed 's/.*"payload":"\([^"]*\)".*/\1/' | base64 -d >"$tmp/got"
if cmp "$tmp/bytes" "$tmp/got"; then
	tap_ok "its base64 in --json decodes to the bytes sent"
else
	tap_not_ok "its base64 in --json decodes to the bytes sent"
fi
dd if=/dev/zero bs=613 count=1 2>/dev/null >"$tmp/toobig"
expect 1 "send - of msg_size + 1 bytes" \
	in_from "$tmp/toobig" "$kipc" mq send "$b" -
expect_output "fails: too long for the queue" \
	"^kipc: mq send /$b: Message too long \\(longer than the queue's 612 bytes\\)\$"
expect 1 "send TEXT longer than msg_size" \
	"$kipc" mq send "$q" 01234567890123456789012345678901234567890123456789012345678901234
expect_output "fails the same way" \
	"^kipc: mq send /$q: Message too long \\(longer than the queue's 64 bytes\\)\$"
expect 0 "stat after the message too long" "$kipc" mq stat "$b"
expect_output "shows it was not sent" '^depth: +0$'

# ---- waiting ----
expect 1 "recv --nonblock of an empty queue" "$kipc" mq recv "$q" --nonblock
expect_output "fails at once, saying so" \
	"^kipc: mq recv /$q: Resource temporarily unavailable \\(no message\\)\$"
expect 1 "recv --timeout 0 of an empty queue" "$kipc" mq recv "$q" --timeout 0
expect_output "does not wait either" '\(no message\)$'
t0=$(uptime_cs)
expect 1 "recv --timeout 300 of an empty queue" "$kipc" mq recv "$q" --timeout 300
t1=$(uptime_cs)
expect_output "times out, saying so" \
	"^kipc: mq recv /$q: Connection timed out \\(no message after 300 ms\\)\$"
if [ $((t1 - t0)) -ge 30 ]; then
	tap_ok "after 300 ms at least"
else
	tap_not_ok "after 300 ms at least (took $(((t1 - t0) * 10)) ms)"
fi
(sleep 1 && "$kipc" mq send "$q" late) &
expect 0 "a waiting recv" out_to "$tmp/out" "$kipc" mq recv "$q" --timeout 20000
wait
expect_file "gets a message sent while it waits" "$tmp/out" 'late'

"$kipc" mq recv "$q" --timeout 20000 >"$tmp/out" &
pid=$!
until_stat "$q" recv_waiters 1
expect 0 "stat of a queue with a receiver waiting" "$kipc" mq stat "$q"
expect_output "counts it in recv_waiters" '^recv_waiters: +1$'
"$kipc" mq send "$q" wake
wait $pid
expect_file "which then gets its message" "$tmp/out" 'wake'

f=${p}full
mkq "$f" --max-msgs 2
"$kipc" mq send "$f" 1
"$kipc" mq send "$f" 2
expect 1 "send --nonblock to a full queue" "$kipc" mq send "$f" 3 --nonblock
expect_output "fails: queue full" \
	"^kipc: mq send /$f: Resource temporarily unavailable \\(queue full\\)\$"
expect 1 "send --timeout 200 to a full queue" "$kipc" mq send "$f" 3 --timeout 200
expect_output "times out" \
	"^kipc: mq send /$f: Connection timed out \\(queue full after 200 ms\\)\$"
"$kipc" mq recv "$f" >/dev/null
expect 0 "stat counts what went through" "$kipc" -j mq stat "$f"
expect_output "depth, bytes, high_water, sent, received" \
	'"depth":1,"bytes":1,"high_water":2,"recv_waiters":0,"send_waiters":0,"sent":2,"received":1,'

# ---- usage errors: exit 2, naming what is wrong ----
expect 2 "create --max-msgs 0" "$kipc" mq create "${p}x" --max-msgs 0
expect_output "names the option, its range and the value" \
	"^kipc mq: create: --max-msgs wants a number, 1 to 4294967295, not '0' \\(try 'kipc help mq'\\)\$"
expect 2 "create --max-msgs 4294967296" "$kipc" mq create "${p}x" --max-msgs 4294967296
expect 2 "create --msg-size abc" "$kipc" mq create "${p}x" --msg-size abc
expect 2 "create --msg-size -1" "$kipc" mq create "${p}x" --msg-size -1
expect 2 "create --msg-size ' 1'" "$kipc" mq create "${p}x" --msg-size ' 1'
expect 2 "create --msg-size 1k" "$kipc" mq create "${p}x" --msg-size 1k
expect 2 "create --mode 1000" "$kipc" mq create "${p}x" --mode 1000
expect_output "names the octal range" \
	"--mode wants an octal mode, 0 to 0777, not '1000'"
expect 2 "create --mode 0800" "$kipc" mq create "${p}x" --mode 0800
expect 2 "create --mode 0x1ff" "$kipc" mq create "${p}x" --mode 0x1ff
expect 2 "send --prio 32768" "$kipc" mq send "$q" x --prio 32768
expect_output "names the range of priorities" "--prio wants a number, 0 to 32767, not '32768'"
expect 2 "send --prio +1" "$kipc" mq send "$q" x --prio +1
expect 2 "send --type 18446744073709551616" \
	"$kipc" mq send "$q" x --type 18446744073709551616
expect 2 "send --type ''" "$kipc" mq send "$q" x --type ''
expect 2 "send --type 0x" "$kipc" mq send "$q" x --type 0x
expect 2 "send --timeout -5" "$kipc" mq send "$q" x --timeout -5
expect 2 "send --timeout beyond int64 nanoseconds" \
	"$kipc" mq send "$q" x --timeout 9223372036855
expect 0 "send --timeout at the top of its range" \
	"$kipc" mq send "$q" x --timeout 9223372036854
"$kipc" mq recv "$q" >/dev/null
expect 2 "send --prio without a value" "$kipc" mq send "$q" x --prio
expect_output "says it needs one" "^kipc mq: send: --prio needs a value"
expect 2 "send with two TEXTs" "$kipc" mq send "$q" a b
expect_output "names the extra one" "unexpected argument 'b'"
expect 2 "recv --count 0" "$kipc" mq recv "$q" --count 0
expect 2 "recv --count 1.5" "$kipc" mq recv "$q" --count 1.5
expect 2 "recv --type and --type-le" "$kipc" mq recv "$q" --type 1 --type-le 2
expect_output "exclude each other" "^kipc mq: recv: --type and --type-le exclude each other"
expect 2 "recv --type-le and --type-not" "$kipc" mq recv "$q" --type-not 1 --type-le 2
expect 2 "recv --nonblock and --timeout" "$kipc" mq recv "$q" --nonblock --timeout 5
expect 2 "recv --newline and -0" "$kipc" mq recv "$q" --newline -0
expect 2 "recv --json --newline" "$kipc" mq recv "$q" --json --newline
expect 2 "kipc -j mq recv -0" "$kipc" -j mq recv "$q" -0
expect 2 "recv with an argument" "$kipc" mq recv "$q" extra
expect 2 "recv --prio" "$kipc" mq recv "$q" --prio 1
expect_output "does not apply" "^kipc mq: recv: --prio does not apply"
expect 2 "create --excl=1" "$kipc" mq create "$q" --excl=1
expect_output "takes no value" "--excl takes no value"
expect 2 "an unknown long option" "$kipc" mq stat "$q" --frobnicate
expect_output "is named" "unknown option '--frobnicate'"
expect 2 "an unknown short option" "$kipc" mq stat "$q" -x
expect_output "is named" "unknown option '-x'"
expect 2 "stat --nonblock" "$kipc" mq stat "$q" --nonblock
expect 2 "rm --count" "$kipc" mq rm "$q" --count 1
for cmd in create send recv peek stat rm; do
	expect 2 "$cmd without NAME" "$kipc" mq $cmd
	expect_output "says NAME is missing" "^kipc mq: $cmd: missing NAME"
done
expect 2 "a name with a '/' inside" "$kipc" mq create a/b
expect_output "is named" "^kipc mq: create: bad queue name 'a/b'"
expect 2 "the name '/'" "$kipc" mq stat /
expect 2 "an empty name" "$kipc" mq stat ''
expect 2 "the name '//x'" "$kipc" mq stat //x
long=$(printf "%0254d" 0)
expect 2 "a name of 255 bytes" "$kipc" mq create "${long}1"
expect 0 "a name of 254 bytes (255 with its '/')" "$kipc" mq create "$long" --excl
expect 0 "rm it" "$kipc" mq rm "/$long"

# ---- rm ----
"$kipc" mq create "${p}r1"
"$kipc" mq create "${p}r2"
expect 0 "rm of two queues" "$kipc" mq rm "${p}r1" "/${p}r2"
expect_empty "prints nothing"
expect 1 "recv after rm" "$kipc" mq recv "${p}r1"
expect_output "fails with ENOENT" "^kipc: mq recv /${p}r1: No such file or directory\$"
expect 1 "stat after rm" "$kipc" mq stat "${p}r2"
"$kipc" mq create "${p}r3"
expect 1 "rm of a missing and an existing queue" "$kipc" mq rm "${p}r1" "${p}r3"
expect_output "names the missing one" "^kipc: mq rm /${p}r1: No such file or directory\$"
expect 1 "and removes the other anyway" "$kipc" mq stat "${p}r3"
expect 2 "rm with a bad name among good ones" "$kipc" mq rm "$q" a/b
expect 0 "removes none of them" "$kipc" mq stat "$q"

# ---- another user ----
if can_be_nobody; then
	mkq "${p}priv" --mode 0600
	"$kipc" mq send "${p}priv" secret
	expect 1 "recv from a 0600 queue as another user" as_nobody mq recv "${p}priv"
	expect_output "is refused" "^kipc: mq recv /${p}priv: Permission denied\$"
	expect 1 "send to it" as_nobody mq send "${p}priv" x
	expect_output "is refused" "^kipc: mq send /${p}priv: Permission denied\$"
	expect 1 "peek at it" as_nobody mq peek "${p}priv"
	expect 1 "stat it" as_nobody mq stat "${p}priv"
	expect 1 "rm it" as_nobody mq rm "${p}priv"
	expect_output "is refused" "^kipc: mq rm /${p}priv: Permission denied\$"
	expect 0 "the queue is as it was" "$kipc" mq stat "${p}priv"
	expect_output "with its message" '^depth: +1$'
	mkq "${p}box" --mode 0622
	expect 0 "send to a 0622 queue as another user" as_nobody mq send "${p}box" hi
	expect 0 "stat it (write access is enough)" as_nobody mq stat "${p}box"
	expect_output "shows the message" '^depth: +1$'
	expect 0 "recv as the owner" "$kipc" mq recv "${p}box" --json
	expect_output "shows who sent it" '"sender_uid":65534,'
else
	tap_skip "another user's access" "not root, or no su to nobody here"
fi

# ---- nothing left behind ----
# shellcheck disable=SC2086 # the names have no blanks
expect 0 "rm of every queue made" "$kipc" mq rm $created
# and those that failing tests might have made
all="$created ${p}r1 ${p}r2 ${p}r3 ${p}x ${p}big $long"
# shellcheck disable=SC2086 # the names have no blanks
expect_all_gone queue $all
expect_no_module queue "$q"

tap_done
