#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# cli_buf_test.sh: kipc buf from the shell: create, stat, dump, write,
# wait, wake and rm, each option, sizes and offsets at the edges, all 256
# byte values through write and dump, waiting and waking across processes,
# a dump while another process writes, permissions, usage errors, and no
# leftovers.

dir=$(cd "$(dirname "$0")" && pwd)
. "$dir/tap.sh"
kipc=$dir/../tools/kipc/kipc
# shellcheck disable=SC2034 # for cli_lib.sh
obj=buf
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$dir/cli_lib.sh"
umask 022

echo "TAP version 13"

# Skip, do not fail, on a module without shared buffers (KIPC_FEATURE_BUF).
require_feature 4 "shared buffers"

# Buffer names of this run; all are removed, and checked to be gone, at the end.
p=kipc-clibuf-$$-
created=
mkbuf() { # NAME SIZE [OPTIONS]: a new buffer, or bail out
	created="$created $1"
	"$kipc" buf create "$@" --excl || tap_bail "cannot create buffer $1"
}

# until_waiters NAME N: wait (up to 10 s) until N tasks wait on NAME
until_waiters() { until_stat "$1" waiters "$2"; }

# raw NAME OFFSET LENGTH: the bytes, to stdout
raw() {
	"$kipc" buf dump "$1" --raw --offset "$2" --length "$3"
}

# ---- help and usage ----
expect 0 "help buf" "$kipc" help buf
expect_output "help buf shows the usage" '^usage: kipc \[--json\] buf COMMAND'
expect 0 "buf --help" "$kipc" buf --help
expect_output "buf --help lists the commands" '^  dump   NAME'
expect 0 "buf help" "$kipc" buf help
expect_output "buf help shows the usage" '^usage: kipc \[--json\] buf'
expect 0 "--help after a command" "$kipc" buf dump "${p}b" --help
expect_output "--help after a command shows the usage" '^usage: kipc'
expect 0 "kipc --help" "$kipc" --help
expect_output "kipc --help lists buf" '^  buf '
expect 2 "buf without a command" "$kipc" buf
expect_output "buf without a command shows the usage" '^usage: kipc'
expect 2 "buf with an unknown command" "$kipc" buf frobnicate "${p}b"
expect_output "the unknown command is named" \
	"^kipc buf: unknown command 'frobnicate' \\(try 'kipc help buf'\\)\$"

# ---- create and stat ----
b=${p}a
expect 0 "create with a size and a mode" "$kipc" buf create "$b" 4K --mode 0646
created="$created $b"
expect_empty "create prints nothing"
expect 0 "stat" "$kipc" buf stat "$b"
expect_output "stat names the buffer with its '/'" "^name: +/$b\$"
expect_output "stat shows the size" '^buf_size: +4096$'
expect_output "stat shows no mapping" '^mappings: +0$'
expect_output "stat shows no waiter" '^waiters: +0$'
expect_output "stat shows the mode in octal, not less the umask (022)" \
	'^mode: +0646$'
expect_output "stat shows the owner" "^uid: +$(id -u)\$"
expect_output "stat shows when it was made" \
	'^ctime: +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\.[0-9]{9} [-+][0-9]{4}$'
expect 0 "stat with the '/'" "$kipc" buf stat "/$b"
expect_output "is the same buffer" "^name: +/$b\$"
expect 1 "create --excl of a buffer that exists" \
	"$kipc" buf create "$b" 4K --excl
expect_output "fails naming the buffer and EEXIST" \
	"^kipc: buf create /$b: File exists\$"
expect 0 "create of a buffer that exists, without --excl" \
	"$kipc" buf create "$b" 8K --mode 0666
expect 0 "leaves it as it was" "$kipc" buf stat "$b"
expect_output "its mode" '^mode: +0646$'
expect_output "its size" '^buf_size: +4096$'

expect 0 "stat --json" "$kipc" buf stat "$b" --json
expect_output "stat --json has every key, in order" \
	"^\\{\"name\":\"/$b\",\"id\":[0-9]+,\"buf_size\":4096,\"mappings\":0,\"waiters\":0,\"waits\":0,\"wakes\":0,\"woken\":0,\"mode\":422,\"uid\":$(id -u),\"gid\":$(id -g),\"ctime_ns\":[0-9]+\\}\$"
expect 0 "kipc -j buf stat" "$kipc" -j buf stat "$b"
expect_output "prints the same object" "^\\{\"name\":\"/$b\",\"id\":[0-9]+,\"buf_size\":4096,"
id1=$(stat_field "$b" id)
expect 0 "create --json" "$kipc" buf create "${p}j" 0x2000 --json
created="$created ${p}j"
expect_output "prints the new buffer as stat does (and 0x is hex)" \
	"^\\{\"name\":\"/${p}j\",\"id\":[0-9]+,\"buf_size\":8192,\"mappings\":0,.*\"mode\":384,"
if [ "$(stat_field "${p}j" id)" != "$id1" ] && [ -n "$id1" ]; then
	tap_ok "each buffer has an id of its own"
else
	tap_not_ok "each buffer has an id of its own"
fi

mkbuf "${p}u" 1
expect 0 "stat of a buffer made without --mode" "$kipc" buf stat "${p}u"
expect_output "has mode 0600" '^mode: +0600$'
expect_output "and 1 byte rounded up to a page" '^buf_size: +4096$'
(umask 0200 && "$kipc" buf create "${p}m" 1 --excl) || tap_bail "cannot create ${p}m"
created="$created ${p}m"
expect 0 "the default mode is less the umask" "$kipc" buf stat "${p}m"
expect_output "umask 0200 makes it 0400" '^mode: +0400$'

# SIZE: bytes, 0x, K, M, G; rounded up to pages
for size in 4097:8192 4095:4096 3k:4096 1M:1048576 0x1001:8192 2K:4096; do
	expect 0 "SIZE ${size%:*}" "$kipc" buf create "${p}s" "${size%:*}" --excl --json
	expect_output "is ${size#*:} bytes" "\"buf_size\":${size#*:},"
	"$kipc" buf rm "${p}s"
done
param=/sys/module/kipc/parameters/buf_max_mb
max_mb=$(cat $param 2>/dev/null || echo 256)
if [ -w $param ] && echo 1 >$param 2>/dev/null; then
	expect 0 "SIZE 1M with buf_max_mb=1" "$kipc" buf create "${p}max" 1M --excl
	expect 1 "SIZE 1M and a byte with buf_max_mb=1" \
		"$kipc" buf create "${p}big" 1048577
	expect_output "fails with EINVAL and a hint" \
		"^kipc: buf create /${p}big: Invalid argument \\(above the module's buf_max_mb\\?\\)\$"
	"$kipc" buf rm "${p}max"
	echo "$max_mb" >$param
else
	tap_skip "SIZE 1M with buf_max_mb=1" "cannot set $param here"
	tap_skip "SIZE 1M and a byte with buf_max_mb=1" "cannot set $param here"
	tap_skip "fails with EINVAL and a hint" "cannot set $param here"
fi
expect 1 "SIZE of buf_max_mb MiB and a byte" \
	"$kipc" buf create "${p}big" $((max_mb * 1048576 + 1))
expect_output "fails with EINVAL and a hint" \
	"^kipc: buf create /${p}big: Invalid argument \\(above the module's buf_max_mb\\?\\)\$"
expect 1 "SIZE of 1G more than buf_max_mb" "$kipc" buf create "${p}big" $((max_mb / 1024 + 1))G
expect_output "fails the same way" "Invalid argument \\(above the module's buf_max_mb"
expect 1 "SIZE 0xffffffffffffffff (rounding it up would wrap)" \
	"$kipc" buf create "${p}big" 0xffffffffffffffff
expect_output "fails the same way" "Invalid argument \\(above the module's buf_max_mb"
expect 1 "no such buffer afterwards" "$kipc" buf stat "${p}big"
for size in 0 abc 1X 1KB -1 +1 ' 1' 1.5K '' 0x 18446744073709551616 17179869184G K; do
	expect 2 "SIZE '$size'" "$kipc" buf create "${p}x" "$size"
done
expect_output "names SIZE, its range and the value" \
	"^kipc buf: create: SIZE wants a number of bytes \\(or of KiB, MiB, GiB with K, M, G after it\\), 1 to 18446744073709551615, not 'K' \\(try 'kipc help buf'\\)\$"
expect 2 "create without SIZE" "$kipc" buf create "${p}x"
expect_output "says SIZE is missing" "^kipc buf: create: missing SIZE"
expect 1 "no buffer was made by them" "$kipc" buf stat "${p}x"

# ---- dump ----
expect 0 "dump of a new buffer" out_to "$tmp/out" "$kipc" buf dump "$b"
expect_file "is zeros: a line, a '*' for the 255 like it, the end" "$tmp/out" \
	'00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n*\n00001000\n'
expect 0 "dump -v" out_to "$tmp/out" "$kipc" buf dump "$b" -v
expect 0 "prints every line" test $(($(wc -l <"$tmp/out"))) -eq 257
expect 0 "dump --no-squeeze --length 32" out_to "$tmp/out" "$kipc" buf dump "$b" --no-squeeze --length 32
expect_file "prints both lines" "$tmp/out" \
	'00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n00000010  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n00000020\n'
expect 0 "dump --raw" out_to "$tmp/out" "$kipc" buf dump "$b" --raw
dd if=/dev/zero bs=4096 count=1 2>/dev/null >"$tmp/zero4k"
expect_same "writes the 4096 zero bytes" "$tmp/out" "$tmp/zero4k"
expect 0 "dump --length 0" "$kipc" buf dump "$b" --length 0
expect_empty "prints nothing"
expect 0 "dump --offset 4096: at the end" "$kipc" buf dump "$b" --offset 4096
expect_empty "prints nothing"
expect 1 "dump --offset 4097" "$kipc" buf dump "$b" --offset 4097
expect_output "fails: beyond the buffer" \
	"^kipc: buf dump /$b: No such device or address \\(offset 4097 is beyond the buffer's 4096 bytes\\)\$"
expect 1 "dump --length 4097" "$kipc" buf dump "$b" --length 4097
expect_output "fails: beyond the buffer" \
	"^kipc: buf dump /$b: No such device or address \\(4097 bytes at offset 0 go beyond the buffer's 4096 bytes\\)\$"
expect 1 "dump --offset 4095 --length 2" "$kipc" buf dump "$b" --offset 4095 --length 2
expect_output "fails: one past the end" "\\(2 bytes at offset 4095 go beyond"
expect 1 "dump --offset 8 --length 0xffffffffffffffff" \
	"$kipc" buf dump "$b" --offset 8 --length 0xffffffffffffffff
expect_output "fails, no wrap-around" "\\(18446744073709551615 bytes at offset 8 go beyond"
expect 0 "dump --offset 4095 --length 1: the last byte" "$kipc" buf dump "$b" --offset 4095 --length 1
expect_output "shows its offset" '^00000fff  00 {48}\|\.\|$'
expect 0 "dump --json" "$kipc" buf dump "$b" --json --offset 4K --length 0
expect_output "is one object (4K is 4096)" "^\\{\"name\":\"/$b\",\"offset\":4096,\"length\":0,\"data\":\"\"\\}\$"
expect 1 "dump of no such buffer" "$kipc" buf dump "${p}none"
expect_output "fails with ENOENT" "^kipc: buf dump /${p}none: No such file or directory\$"

# ---- write ----
expect 0 "write TEXT" "$kipc" buf write "$b" hello
expect_empty "write prints nothing"
expect 0 "dump --raw of it" out_to "$tmp/out" raw "$b" 0 5
expect_file "gives the text back, nothing added" "$tmp/out" 'hello'
expect 0 "write TEXT at --offset 0x10" "$kipc" buf write "$b" --offset 0x10 "$(printf 'a\nb')"
expect 0 "dump --offset 16 --length 3" out_to "$tmp/out" "$kipc" buf dump "$b" --offset 16 --length 3
expect_file "shows it where it was put" "$tmp/out" \
	'00000010  61 0a 62                                          |a.b|\n00000013\n'
expect 0 "dump of the first 48 bytes" out_to "$tmp/out" "$kipc" buf dump "$b" --length 48
expect_file "shows both writes" "$tmp/out" \
	'00000000  68 65 6c 6c 6f 00 00 00  00 00 00 00 00 00 00 00  |hello...........|\n00000010  61 0a 62 00 00 00 00 00  00 00 00 00 00 00 00 00  |a.b.............|\n00000020  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n00000030\n'
expect 0 "dump --json of them" "$kipc" -j buf dump "$b" --length 5
expect_output "has them in base64" '"offset":0,"length":5,"data":"aGVsbG8="\}$'
expect 0 "write -- -5 at --offset 1K" "$kipc" buf write "$b" --offset 1K -- -5
"$kipc" buf dump "$b" --raw --offset 1024 --length 2 >"$tmp/out"
expect_file "writes -5: -- ends the options, 1K is 1024" "$tmp/out" '-5'
expect 0 "write an empty TEXT" "$kipc" buf write "$b" ""

# the edges: the last byte, one past it, nothing written on failure
expect 0 "write the last byte" "$kipc" buf write "$b" --offset 4095 Z
expect 0 "dump it" out_to "$tmp/out" raw "$b" 4095 1
expect_file "is there" "$tmp/out" 'Z'
"$kipc" buf dump "$b" --raw >"$tmp/before"
expect 1 "write 2 bytes at the last byte" "$kipc" buf write "$b" --offset 4095 xy
expect_output "fails: beyond the buffer" \
	"^kipc: buf write /$b: No such device or address \\(2 bytes at offset 4095 go beyond the buffer's 4096 bytes\\)\$"
expect 1 "write a byte one past the end" "$kipc" buf write "$b" --offset 4096 x
expect_output "fails" "\\(1 byte at offset 4096 goes beyond the buffer's 4096 bytes\\)\$"
expect 1 "write at offset 4097" "$kipc" buf write "$b" --offset 4097 x
expect_output "fails: the offset is beyond" "\\(offset 4097 is beyond the buffer's 4096 bytes\\)\$"
expect 1 "write at offset 0xffffffffffffffff" "$kipc" buf write "$b" --offset 0xffffffffffffffff x
expect_output "fails, no wrap-around" "\\(offset 18446744073709551615 is beyond"
dd if=/dev/zero bs=4097 count=1 2>/dev/null | tr '\0' 'Q' >"$tmp/toobig"
expect 1 "write - of 4097 bytes" in_from "$tmp/toobig" "$kipc" buf write "$b" -
expect_output "fails: more than fits" \
	"^kipc: buf write /$b: No such device or address \\(more than 4096 bytes at offset 0 go beyond the buffer's 4096 bytes\\)\$"
expect 1 "write - of 2 bytes at the last byte" \
	in_from "$tmp/toobig" "$kipc" buf write "$b" --offset 4095 -
expect_output "fails: more than 1 byte" "\\(more than 1 byte at offset 4095 go beyond"
"$kipc" buf dump "$b" --raw >"$tmp/after"
expect_same "none of the writes that failed wrote a byte" "$tmp/after" "$tmp/before"
expect 0 "write an empty TEXT at the end" "$kipc" buf write "$b" --offset 4096 ""
head -c 4096 "$tmp/toobig" >"$tmp/full"
expect 0 "write - of exactly 4096 bytes" in_from "$tmp/full" "$kipc" buf write "$b" -
"$kipc" buf dump "$b" --raw >"$tmp/out"
expect_same "fills the buffer" "$tmp/out" "$tmp/full"
expect 0 "and a dump of it" out_to "$tmp/out" "$kipc" buf dump "$b"
expect_file "is one line and a '*'" "$tmp/out" \
	'00000000  51 51 51 51 51 51 51 51  51 51 51 51 51 51 51 51  |QQQQQQQQQQQQQQQQ|\n*\n00001000\n'
expect 1 "write to no such buffer" "$kipc" buf write "${p}none" x
expect_output "fails with ENOENT" "^kipc: buf write /${p}none: No such file or directory\$"

# ---- all 256 byte values, through stdin and stdout ----
i=0
while [ $i -lt 256 ]; do
	# shellcheck disable=SC2059 # an octal escape made on the fly
	printf "\\$(printf %03o $i)"
	i=$((i + 1))
done >"$tmp/bytes"
cat "$tmp/bytes" "$tmp/bytes" >"$tmp/bin"
bb=${p}bin
mkbuf "$bb" 8K
expect 0 "write - of all 256 byte values, twice, across a page boundary" \
	in_from "$tmp/bin" "$kipc" buf write "$bb" --offset 3900 -
expect 0 "dump --raw of them" out_to "$tmp/got" raw "$bb" 3900 512
expect_same "what came out is what went in, byte for byte" "$tmp/got" "$tmp/bin"
expect 0 "write without TEXT reads stdin" \
	in_from "$tmp/bytes" "$kipc" buf write "$bb" --offset 5
raw "$bb" 5 256 >"$tmp/got"
expect_same "and writes it all" "$tmp/got" "$tmp/bytes"
"$kipc" -j buf dump "$bb" --offset 5 --length 256 |
	sed 's/.*"data":"\([^"]*\)".*/\1/' | base64 -d >"$tmp/got"
expect_same "dump --json's base64 decodes to the bytes" "$tmp/got" "$tmp/bytes"
"$kipc" buf dump "$bb" --raw | hexdump -C >"$tmp/want"
expect 0 "dump of the whole buffer" out_to "$tmp/got" "$kipc" buf dump "$bb"
expect_same "is what hexdump -C makes of the bytes, '*' and all" "$tmp/got" "$tmp/want"
expect 0 "dump --offset 3 --length 21: lines from an odd offset" \
	out_to "$tmp/got" "$kipc" buf dump "$bb" --offset 3 --length 21
expect_file "start there" "$tmp/got" \
	'00000003  00 00 00 01 02 03 04 05  06 07 08 09 0a 0b 0c 0d  |................|\n00000013  0e 0f 10 11 12                                    |.....|\n00000018\n'
expect 0 "dump --offset 0x1000 --length 0x20: the second page" \
	out_to "$tmp/got" "$kipc" buf dump "$bb" --offset 0x1000 --length 0x20
expect_file "shows its bytes" "$tmp/got" \
	'00001000  c4 c5 c6 c7 c8 c9 ca cb  cc cd ce cf d0 d1 d2 d3  |................|\n00001010  d4 d5 d6 d7 d8 d9 da db  dc dd de df e0 e1 e2 e3  |................|\n00001020\n'
expect 0 "dump of printable bytes" "$kipc" buf dump "$bb" --offset 37 --length 16
expect_output "shows them in the text column" '^00000025  20 21 22 23 .*\| !"#\$%&'"'"'\(\)\*\+,-\./\|$'

# ---- a dump while another process writes ----
w=${p}busy
mkbuf "$w" 4K
(
	while [ ! -e "$tmp/stop" ]; do
		"$kipc" buf write "$w" --offset 100 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
		"$kipc" buf write "$w" --offset 100 BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB
	done
) &
writer=$!
ok=0 n=0
while [ $n -lt 10 ]; do
	"$kipc" buf dump "$w" >"$tmp/busy" || break
	"$kipc" buf dump "$w" --raw --offset 90 --length 50 >"$tmp/busyraw" || break
	grep -Evq '^(\*|[0-9a-f]{8}|[0-9a-f]{8}  ([0-9a-f]{2} ){8} ([0-9a-f]{2} ){8} \|.{16}\|)$' "$tmp/busy" && break
	tail -1 "$tmp/busy" | grep -qx 00001000 || break
	[ "$(wc -c <"$tmp/busyraw")" -eq 50 ] || break
	# nothing but zeros and the writer's As and Bs
	od -An -tx1 -v "$tmp/busyraw" | tr ' ' '\n' | grep -Evq '^(|00|41|42)$' && break
	n=$((n + 1))
done
[ $n -eq 10 ] && ok=1
touch "$tmp/stop"
wait $writer
if [ $ok -eq 1 ]; then
	tap_ok "10 dumps while another process writes: well-formed, only its bytes"
else
	sed 's/^/#   /' "$tmp/busy"
	tap_not_ok "10 dumps while another process writes (dump $n was wrong)"
fi
expect 0 "stat after the dumps" "$kipc" buf stat "$w"
expect_output "shows no mapping left" '^mappings: +0$'

# ---- words: write --value, wait, wake ----
expect 0 "write --value 0x01020304 --offset 8" \
	"$kipc" buf write "$bb" --offset 8 --value 0x01020304
expect 0 "dump --raw of the word" out_to "$tmp/out" raw "$bb" 8 4
expect_file "is the number in this machine's byte order (x86: little-endian)" \
	"$tmp/out" '\004\003\002\001'
expect 0 "write --value 4294967295 --offset 8188: the last word" \
	"$kipc" buf write "$bb" --offset 8188 --value 4294967295
raw "$bb" 8188 4 >"$tmp/out"
expect_file "is all ones" "$tmp/out" '\377\377\377\377'
expect 2 "write --value 4294967296" "$kipc" buf write "$bb" --value 4294967296
expect 2 "write --value at an offset not a multiple of 4" \
	"$kipc" buf write "$bb" --offset 6 --value 1
expect_output "is a usage error" \
	"^kipc buf: write: --offset of a word wants a multiple of 4, not 6"
expect 2 "write TEXT and --value" "$kipc" buf write "$bb" x --value 1
expect_output "exclude each other" "^kipc buf: write: TEXT and --value exclude each other"
expect 1 "write --value at the end" "$kipc" buf write "$bb" --offset 8192 --value 1
expect_output "fails: beyond the buffer" "\\(4 bytes at offset 8192 go beyond the buffer's 8192 bytes\\)\$"

"$kipc" buf write "$bb" --offset 8 --value 7
expect 1 "wait while the word is 0, and it is 7" "$kipc" buf wait "$bb" --offset 8 --value 0
expect_output "fails at once, saying what the word is" \
	"^kipc: buf wait /$bb: Resource temporarily unavailable \\(the word at offset 8 is 7, not 0\\)\$"
t0=$(uptime_cs)
expect 1 "wait --timeout 300 while the word is 7" "$kipc" buf wait "$bb" --offset 8 --value 7 --timeout 300
t1=$(uptime_cs)
expect_output "times out, saying so" \
	"^kipc: buf wait /$bb: Connection timed out \\(not woken after 300 ms\\)\$"
if [ $((t1 - t0)) -ge 30 ]; then
	tap_ok "after 300 ms at least"
else
	tap_not_ok "after 300 ms at least (took $(((t1 - t0) * 10)) ms)"
fi
expect 0 "wake with nobody waiting" "$kipc" buf wake "$bb" --offset 8
expect_output "prints 0" '^0$'
expect 0 "wake --json" "$kipc" -j buf wake "$bb" --offset 8
expect_output "prints the count as JSON" '^\{"woken":0\}$'
expect 0 "stat" "$kipc" buf stat "$bb"
expect_output "counts the wakes" '^wakes: +2$'
expect_output "and one wait that slept" '^waits: +1$'
expect_output "which no wake woke" '^woken: +0$'

# a wake from another process ends a wait
"$kipc" buf wait "$bb" --offset 8 --value 7 --timeout 20000 >"$tmp/out" 2>&1 &
pid=$!
until_waiters "$bb" 1
expect 0 "stat of a buffer with a waiter" "$kipc" buf stat "$bb"
expect_output "counts it in waiters" '^waiters: +1$'
expect 0 "wake at another word" "$kipc" buf wake "$bb" --offset 12
expect_output "wakes nobody" '^0$'
expect 0 "stat" "$kipc" buf stat "$bb"
expect_output "still shows the waiter" '^waiters: +1$'
expect 0 "wake at its word" "$kipc" buf wake "$bb" --offset 8
expect_output "wakes it" '^1$'
wait $pid
status=$?
if [ $status -eq 0 ] && [ ! -s "$tmp/out" ]; then
	tap_ok "the wait ends, exit 0, nothing printed"
else
	sed 's/^/#   /' "$tmp/out"
	tap_not_ok "the wait ends, exit 0, nothing printed (exit $status)"
fi
expect 0 "stat after the wake" "$kipc" -j buf stat "$bb"
expect_output "counts the waiter woken" '"waiters":0,"waits":2,"wakes":4,"woken":1,'

# as a C program would: change the word, then wake
"$kipc" buf write "$bb" --offset 16 --value 0
"$kipc" buf wait "$bb" --offset 16 --value 0 --timeout 20000 &
pid=$!
until_waiters "$bb" 1
"$kipc" buf write "$bb" --offset 16 --value 1
expect 0 "write --value 1, then wake" "$kipc" buf wake "$bb" --offset 0x10
expect_output "wakes the waiter" '^1$'
wait $pid
expect 0 "whose wait then succeeds" test $? -eq 0
expect 1 "a new wait for 0" "$kipc" buf wait "$bb" --offset 16 --value 0
expect_output "does not sleep: the word is 1 now" '\(the word at offset 16 is 1, not 0\)$'

# --count and --all, at words past the bytes written above
for i in 1 2 3; do
	"$kipc" buf wait "$bb" --offset 6000 --value 0 --timeout 20000 &
done
until_waiters "$bb" 3
expect 0 "wake --count 2 of 3 waiters" "$kipc" buf wake "$bb" --offset 6000 --count 2
expect_output "wakes 2" '^2$'
until_waiters "$bb" 1
expect 0 "stat" "$kipc" buf stat "$bb"
expect_output "leaves one waiting" '^waiters: +1$'
"$kipc" buf wait "$bb" --offset 6000 --value 0 --timeout 20000 &
"$kipc" buf wait "$bb" --offset 6004 --value 0 --timeout 20000 &
until_waiters "$bb" 3
expect 0 "wake --all" "$kipc" buf wake "$bb" --offset 6000 --all
expect_output "wakes the 2 at that word" '^2$'
expect 0 "wake --count 0xffffffff" "$kipc" buf wake "$bb" --offset 6004 --count 0xffffffff
expect_output "wakes the last one" '^1$'
wait
expect 0 "stat" "$kipc" buf stat "$bb"
expect_output "shows nobody waiting" '^waiters: +0$'

# offsets
expect 1 "wait at the end of the buffer" "$kipc" buf wait "$bb" --offset 8192 --value 0
expect_output "fails: beyond the buffer" \
	"^kipc: buf wait /$bb: No such device or address \\(offset 8192 is beyond the buffer's 8192 bytes\\)\$"
expect 1 "wake at the end of the buffer" \
	out_to "$tmp/out" "$kipc" buf wake "$bb" --offset 8K
expect_output "fails the same way" \
	"^kipc: buf wake /$bb: No such device or address \\(offset 8192 is beyond the buffer's 8192 bytes\\)\$"
expect_file "and prints no count" "$tmp/out" ""
expect 1 "wait --value 0 at the last word, which is all ones" \
	"$kipc" buf wait "$bb" --offset 8188 --value 0
expect_output "fails: not 0" '\(the word at offset 8188 is 4294967295, not 0\)$'
expect 2 "wait at an offset not a multiple of 4" "$kipc" buf wait "$bb" --offset 2 --value 0
expect_output "is a usage error" "^kipc buf: wait: --offset of a word wants a multiple of 4, not 2"
expect 2 "wake at an offset not a multiple of 4" "$kipc" buf wake "$bb" --offset 7
expect 2 "wait without --value" "$kipc" buf wait "$bb"
expect_output "says --value is missing" "^kipc buf: wait: missing --value"
expect 2 "wait --timeout 0" "$kipc" buf wait "$bb" --value 0 --timeout 0
expect_output "is a usage error: a wait that cannot sleep is a load" \
	"--timeout wants a number, 1 to 9223372036854, not '0'"
expect 2 "wait --value -1" "$kipc" buf wait "$bb" --value -1
expect 2 "wake --count 0" "$kipc" buf wake "$bb" --count 0
expect 2 "wake --count 4294967296" "$kipc" buf wake "$bb" --count 4294967296
expect 2 "wake --count and --all" "$kipc" buf wake "$bb" --count 1 --all
expect_output "exclude each other" "^kipc buf: wake: --count and --all exclude each other"

# ---- usage errors: exit 2, naming what is wrong ----
expect 2 "create --mode 1000" "$kipc" buf create "${p}x" 4K --mode 1000
expect_output "names the octal range" \
	"--mode wants an octal mode, 0 to 0777, not '1000'"
expect 2 "create --mode 0x1ff" "$kipc" buf create "${p}x" 4K --mode 0x1ff
expect 2 "create --excl=1" "$kipc" buf create "${p}x" 4K --excl=1
expect_output "takes no value" "--excl takes no value"
expect 2 "dump --offset abc" "$kipc" buf dump "$b" --offset abc
expect_output "names the option" \
	"^kipc buf: dump: --offset wants a number of bytes \\(or of KiB, MiB, GiB with K, M, G after it\\), 0 to 18446744073709551615, not 'abc'"
expect 2 "dump --offset 16E" "$kipc" buf dump "$b" --offset 16E
expect 2 "dump --offset 17179869184G (beyond 64 bits)" "$kipc" buf dump "$b" --offset 17179869184G
expect 2 "dump --length -1" "$kipc" buf dump "$b" --length -1
expect 2 "dump --length without a value" "$kipc" buf dump "$b" --length
expect_output "says it needs one" "^kipc buf: dump: --length needs a value"
expect 2 "dump --raw -v" "$kipc" buf dump "$b" --raw -v
expect_output "exclude each other" "^kipc buf: dump: --raw and --no-squeeze exclude each other"
expect 2 "dump --json --raw" "$kipc" buf dump "$b" --json --raw
expect_output "is refused" "are for the hexdump, not --json"
expect 2 "kipc -j buf dump -v" "$kipc" -j buf dump "$b" -v
expect 2 "dump with an argument" "$kipc" buf dump "$b" extra
expect_output "names it" "unexpected argument 'extra'"
expect 2 "write with two TEXTs" "$kipc" buf write "$b" a b
expect 2 "write --length" "$kipc" buf write "$b" x --length 1
expect_output "does not apply" "^kipc buf: write: --length does not apply"
expect 2 "stat --offset" "$kipc" buf stat "$b" --offset 0
expect 2 "rm --excl" "$kipc" buf rm "$b" --excl
expect 2 "create --value" "$kipc" buf create "${p}x" 4K --value 1
expect 2 "an unknown long option" "$kipc" buf stat "$b" --frobnicate
expect_output "is named" "unknown option '--frobnicate'"
expect 2 "an unknown short option" "$kipc" buf stat "$b" -x
expect_output "is named" "unknown option '-x'"
for cmd in create stat dump write wait wake rm; do
	expect 2 "$cmd without NAME" "$kipc" buf $cmd
	expect_output "says NAME is missing" "^kipc buf: $cmd: missing NAME"
done
expect 2 "a name with a '/' inside" "$kipc" buf create a/b 4K
expect_output "is named" "^kipc buf: create: bad buffer name 'a/b'"
expect 2 "the name '/'" "$kipc" buf stat /
expect 2 "an empty name" "$kipc" buf stat ''
expect 2 "the name '//x'" "$kipc" buf dump //x
long=$(printf "%0254d" 0)
expect 2 "a name of 255 bytes" "$kipc" buf create "${long}1" 4K
expect 0 "a name of 254 bytes (255 with its '/')" "$kipc" buf create "$long" 4K --excl
expect 0 "rm it" "$kipc" buf rm "/$long"
expect 1 "no buffer was made by the usage errors" "$kipc" buf stat "${p}x"

# ---- rm ----
"$kipc" buf create "${p}r1" 1
"$kipc" buf create "${p}r2" 1
expect 0 "rm of two buffers" "$kipc" buf rm "${p}r1" "/${p}r2"
expect_empty "prints nothing"
expect 1 "dump after rm" "$kipc" buf dump "${p}r1"
expect_output "fails with ENOENT" "^kipc: buf dump /${p}r1: No such file or directory\$"
expect 1 "stat after rm" "$kipc" buf stat "${p}r2"
expect_output "fails with ENOENT" "^kipc: buf stat /${p}r2: No such file or directory\$"
expect 1 "wake after rm" "$kipc" buf wake "${p}r2"
"$kipc" buf create "${p}r3" 1
expect 1 "rm of a missing and an existing buffer" "$kipc" buf rm "${p}r1" "${p}r3"
expect_output "names the missing one" "^kipc: buf rm /${p}r1: No such file or directory\$"
expect 1 "and removes the other anyway" "$kipc" buf stat "${p}r3"
expect 2 "rm with a bad name among good ones" "$kipc" buf rm "$b" a/b
expect 0 "removes none of them" "$kipc" buf stat "$b"
"$kipc" buf create "${p}r4" 8K
"$kipc" buf write "${p}r4" old
"$kipc" buf rm "${p}r4"
expect 0 "a new buffer may take the name at once" "$kipc" buf create "${p}r4" 4K --excl
expect 0 "and starts zero-filled" out_to "$tmp/out" raw "${p}r4" 0 3
expect_file "not with the old bytes" "$tmp/out" '\0\0\0'
"$kipc" buf rm "${p}r4"

# ---- another user ----
if can_be_nobody; then
	mkbuf "${p}priv" 4K --mode 0600
	"$kipc" buf write "${p}priv" secret
	for cmd in stat dump "write --value 1" "wait --value 0" wake rm; do
		# shellcheck disable=SC2086 # the command and its arguments
		expect 1 "$cmd of a 0600 buffer as another user" as_nobody buf $cmd "${p}priv"
		expect_output "is refused" "^kipc: buf ${cmd%% *} /${p}priv: Permission denied\$"
	done
	expect 0 "the buffer is as it was" out_to "$tmp/out" raw "${p}priv" 0 6
	expect_file "with its bytes" "$tmp/out" 'secret'

	mkbuf "${p}ro" 4K --mode 0644
	"$kipc" buf write "${p}ro" public
	expect 0 "dump of a 0644 buffer as another user" as_nobody buf dump "${p}ro" --length 6
	expect_output "shows its bytes" '\|public\|$'
	expect 0 "stat it" as_nobody buf stat "${p}ro"
	expect 1 "write to it (a writable mapping needs write access)" \
		as_nobody buf write "${p}ro" x
	expect_output "is refused" "^kipc: buf write /${p}ro: Permission denied\$"
	expect 1 "wait on it (read access is enough)" \
		as_nobody buf wait "${p}ro" --value 0 --offset 8 --timeout 100
	expect_output "times out" "Connection timed out \\(not woken after 100 ms\\)\$"
	expect 1 "wake on it" as_nobody buf wake "${p}ro"
	expect_output "is refused" "^kipc: buf wake /${p}ro: Permission denied\$"
	expect 1 "rm it" as_nobody buf rm "${p}ro"
	expect_output "is refused" "^kipc: buf rm /${p}ro: Permission denied\$"
	expect 0 "the buffer is as it was" out_to "$tmp/out" raw "${p}ro" 0 6
	expect_file "with its bytes" "$tmp/out" 'public'

	mkbuf "${p}rw" 4K --mode 0666
	expect 0 "write to a 0666 buffer as another user" as_nobody buf write "${p}rw" hi
	"$kipc" buf dump "${p}rw" --raw --length 2 >"$tmp/out"
	expect_file "the owner sees it" "$tmp/out" 'hi'
	expect 0 "stat shows the owner, not the writer" "$kipc" buf stat "${p}rw"
	expect_output "uid $(id -u)" "^uid: +$(id -u)\$"
	mkbuf "${p}wo" 4K --mode 0622
	expect 0 "stat of a 0622 buffer as another user (write access is enough)" \
		as_nobody buf stat "${p}wo"
	expect 0 "wake on it" as_nobody buf wake "${p}wo"
	expect 1 "dump it" as_nobody buf dump "${p}wo"
	expect_output "is refused" "^kipc: buf dump /${p}wo: Permission denied\$"
else
	tap_skip "another user's access" "not root, or no su to nobody here"
fi

# ---- nothing left behind ----
# shellcheck disable=SC2086 # the names have no blanks
expect 0 "rm of every buffer made" "$kipc" buf rm $created
# and those that failing tests might have made
all="$created ${p}r1 ${p}r2 ${p}r3 ${p}r4 ${p}x ${p}big ${p}s ${p}max $long"
# shellcheck disable=SC2086 # the names have no blanks
expect_all_gone buffer $all
expect_no_module buffer "$b"

tap_done
