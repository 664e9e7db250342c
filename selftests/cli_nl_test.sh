#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# cli_nl_test.sh: kipc ls, stat and monitor, through the netlink family:
# objects of each kind with known figures, unlinked and anonymous ones,
# --kind, JSON well-formed with the documented keys, 5,000 queues listed
# exactly once, stat by name and id and its errors, the events of a
# scripted sequence in order (text through a pipe, JSON, all namespaces),
# lost events, CAP_NET_ADMIN, another IPC namespace, usage errors, no
# module.

dir=$(cd "$(dirname "$0")" && pwd)
. "$dir/tap.sh"
kipc=$dir/../tools/kipc/kipc
bench=$dir/../tools/bench/kipc-bench
# shellcheck disable=SC2034 # for cli_lib.sh
obj=mq
tmp=$(mktemp -d) || exit 1
params=/sys/module/kipc/parameters
old_limit=
cleanup() {
	for f in "$tmp"/*.pid; do
		[ -e "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	[ -n "$old_limit" ] && echo "$old_limit" >"$params/max_objects_per_user"
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$dir/cli_lib.sh"
umask 022

echo "TAP version 13"

# A module without the family (an older kipc) is skipped; one that is
# not loaded at all fails below like any other missing thing.
if ! "$kipc" ls >/dev/null 2>"$tmp/err" &&
   grep -q 'kipc module without netlink' "$tmp/err"; then
	tap_skip "kipc ls, stat, monitor" "$(cat "$tmp/err")"
	tap_done
	exit 0
fi

# Object names of this run; checked to be gone at the end.
p=kipc-clinl-$$-
uid=$(id -u)
gid=$(id -g)
ns=$(stat -L -c %i /proc/self/ns/ipc)

# json_valid FILE: each line of FILE is one well-formed JSON value. A
# reduction with sed (busybox has no JSON parser): strings become s,
# other scalars v, then empty and filled objects and arrays of those v,
# until nothing changes; a line left as anything but s or v is not JSON.
json_valid() {
	[ -s "$1" ] && ! sed -E '
		s/"([^"\\[:cntrl:]]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/s/g
		s/-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/v/g
		s/true|false|null/v/g
		s/[[:space:]]+//g
		:a
		s/\{\}|\[\]/v/g
		s/\{s:[sv](,s:[sv])*\}/v/g
		s/\[[sv](,[sv])*\]/v/g
		ta
	' "$1" | grep -qvx '[sv]'
}

# the check itself: it must refuse what is not JSON
printf '[{"a":1,"b":[true,null,"x\\"y"]},{}]\n' >"$tmp/j"
printf '[{"a":1,}]\n{"a":"\t"}\n[1 2]\n{"a"}\n' >"$tmp/bad"
bad=0
while read -r line; do
	echo "$line" >"$tmp/j1"
	json_valid "$tmp/j1" || bad=$((bad + 1))
done <"$tmp/bad"
if json_valid "$tmp/j" && [ $bad -eq 4 ]; then
	tap_ok "the JSON check takes JSON and refuses 4 kinds of not-JSON"
else
	tap_not_ok "the JSON check: refused $bad of 4 bad lines"
fi

# expect_json DESCRIPTION FILE: json_valid, as a test
expect_json() {
	if json_valid "$2"; then
		tap_ok "$1"
	else
		head -c 2000 "$2" | sed 's/^/#   /'
		tap_not_ok "$1 (not well-formed JSON)"
	fi
}

# nl_field NAME|ID KEY: one number of `kipc stat --json`
nl_field() {
	"$kipc" stat "$1" --json 2>/dev/null |
		sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"
}

# until_nl NAME|ID KEY VALUE: wait (up to 20 s) until nl_field is VALUE
until_nl() {
	i=0
	while [ "$(nl_field "$1" "$2")" != "$3" ] && [ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# expect_lines DESCRIPTION GOT WANT: the two files hold the same lines
expect_lines() {
	if cmp -s "$2" "$3"; then
		tap_ok "$1"
	else
		sed 's/^/#   got:  /' "$2"
		sed 's/^/#   want: /' "$3"
		tap_not_ok "$1"
	fi
}

# expect_count DESCRIPTION GOT WANT: two numbers are the same
expect_count() {
	if [ "$2" = "$3" ]; then
		tap_ok "$1"
	else
		tap_not_ok "$1 ($2, wanted $3)"
	fi
}

# ---- help and usage ----
expect 0 "help ls" "$kipc" help ls
expect_output "shows its usage" '^usage: kipc \[--json\] ls \[--kind mq\|buf\|sem\]$'
expect 0 "help stat" "$kipc" help stat
expect_output "shows its usage" '^usage: kipc \[--json\] stat NAME\|ID'
expect 0 "help monitor" "$kipc" help monitor
expect_output "shows its usage" '^usage: kipc \[--json\] monitor \[--all-namespaces\]'
expect 0 "stat --help" "$kipc" stat --help
expect_output "shows the usage" '^usage: kipc \[--json\] stat'
expect 0 "kipc --help" "$kipc" --help
expect_output "lists ls" '^  ls +list the objects'
expect_output "lists stat" '^  stat +show one object'
expect_output "lists monitor" '^  monitor +print events'
expect 2 "ls with an argument" "$kipc" ls extra
expect_output "names it" "^kipc ls: unexpected argument 'extra' \\(try 'kipc help ls'\\)\$"
expect 2 "ls --kind of no kind" "$kipc" ls --kind pipe
expect_output "says which there are" "^kipc ls: --kind wants mq, buf or sem, not 'pipe'"
expect 2 "ls --kind without a value" "$kipc" ls --kind
expect_output "says it needs one" "^kipc ls: --kind needs a value"
expect 2 "ls with an unknown option" "$kipc" ls --frobnicate
expect_output "names it" "^kipc ls: unknown option '--frobnicate'"
expect 2 "stat without NAME" "$kipc" stat
expect_output "says so" "^kipc stat: missing NAME or ID"
expect 2 "stat of two" "$kipc" stat a b
expect_output "names the second" "^kipc stat: unexpected argument 'b'"
expect 2 "stat of a bad name" "$kipc" stat a/b
expect_output "says why" "^kipc stat: bad name 'a/b' \\(1 to 254 bytes"
expect 2 "stat of id 0" "$kipc" stat 0
expect_output "says that ids start at 1" "^kipc stat: bad id '0' \\(1 to 4294967295;"
expect 2 "stat of id 2^32" "$kipc" stat 4294967296
expect 2 "monitor with an argument" "$kipc" monitor extra
expect_output "names it" "^kipc monitor: unexpected argument 'extra'"
expect 2 "monitor --rcvbuf 0" "$kipc" monitor --rcvbuf 0
expect_output "says what it takes" "^kipc monitor: --rcvbuf wants a number of bytes"

# ---- objects of each kind, with known figures ----
q=${p}q s=${p}s b=${p}b
"$kipc" mq create "$q" --max-msgs 4 --msg-size 64 --mode 0640 --excl &&
	"$kipc" mq send "$q" one && "$kipc" mq send "$q" two &&
	"$kipc" mq send "$q" three &&
	"$kipc" sem create "$s" 2 --max 5 --mode 0604 --excl &&
	"$kipc" sem wait "$s" &&
	"$kipc" buf create "$b" 8K --excl ||
	tap_bail "cannot make the objects"

expect 0 "ls" "$kipc" ls
ls_out=$tap_out
expect_output "has a header" '^ *ID KIND NAME +UID +GID MODE REFS STATS$'
expect_output "shows the queue: depth 3 of 4, 11 bytes, 3 sent" \
	"^ *[0-9]+ mq +/$q +$uid +$gid 0640 +1 depth 3/4 bytes 11 sent 3 received 0\$"
expect_output "shows the semaphore: value 1 of 5" \
	"^ *[0-9]+ sem +/$s +$uid +$gid 0604 +1 value 1/5 waiters 0\$"
expect_output "shows the buffer: 8K" \
	"^ *[0-9]+ buf +/$b +$uid +$gid 0600 +1 size 8K mappings 0 waiters 0\$"
if echo "$ls_out" | awk 'NR > 1 { if ($1 + 0 <= last) bad = 1; last = $1 + 0 }
			  END { exit bad }'; then
	tap_ok "in id order"
else
	tap_not_ok "in id order"
fi
# the rows' names and statistics start under their headers
if echo "$ls_out" | awk 'NR == 1 { n = index($0, "NAME"); st = index($0, "STATS") }
		NR > 1 && (substr($0, n - 1, 2) !~ /^ [^ ]$/ ||
			   substr($0, st - 1, 2) !~ /^ [^ ]$/) { bad = 1 }
		END { exit bad }'; then
	tap_ok "columns under their headers"
else
	echo "$ls_out" | sed 's/^/#   /'
	tap_not_ok "columns under their headers"
fi

for k in mq buf sem; do
	expect 0 "ls --kind $k" "$kipc" ls --kind "$k"
	others=$(echo "$tap_out" | awk -v k=$k 'NR > 1 && $2 != k' | wc -l)
	mine=$(echo "$tap_out" | grep -c " /${p}[qsb] ")
	if [ "$others" -eq 0 ] && [ "$mine" -eq 1 ]; then
		tap_ok "--kind $k lists only objects of that kind, ours among them"
	else
		echo "$tap_out" | sed 's/^/#   /'
		tap_not_ok "--kind $k: $others of other kinds, $mine of ours"
	fi
done

qid=$(nl_field "$q" id)
sid=$(nl_field "$s" id)
expect 0 "ls --json" out_to "$tmp/ls.json" "$kipc" ls --json
expect_json "is well-formed JSON" "$tmp/ls.json"
expect_count "is one line" "$(wc -l <"$tmp/ls.json")" 1
tap_out=$(cat "$tmp/ls.json")
expect_output "is an array of objects" '^\[\{"id":.*\}\]$'
expect_output "the queue, every key in order" \
	"\\{\"id\":$qid,\"kind\":\"mq\",\"name\":\"/$q\",\"linked\":true,\"uid\":$uid,\"gid\":$gid,\"mode\":416,\"refs\":1,\"ctime\":[0-9]+,\"charge\":[0-9]+,\"ipc_ns\":$ns,\"mq\":\\{\"max_msgs\":4,\"msg_size\":64,\"depth\":3,\"high_water\":3,\"bytes\":11,\"recv_waiters\":0,\"send_waiters\":0,\"sent\":3,\"received\":0\\}\\}"
expect_output "the semaphore" \
	"\\{\"id\":$sid,\"kind\":\"sem\",\"name\":\"/$s\",\"linked\":true,\"uid\":$uid,\"gid\":$gid,\"mode\":388,\"refs\":1,\"ctime\":[0-9]+,\"charge\":[0-9]+,\"ipc_ns\":$ns,\"sem\":\\{\"value\":1,\"max_value\":5,\"waiters\":0,\"first_wants\":0,\"waits\":1,\"posts\":0,\"sleeps\":0,\"undone\":0,\"undo_dropped\":0\\}\\}"
expect_output "the buffer" \
	"\\{\"id\":[0-9]+,\"kind\":\"buf\",\"name\":\"/$b\",\"linked\":true,\"uid\":$uid,\"gid\":$gid,\"mode\":384,\"refs\":1,\"ctime\":[0-9]+,\"charge\":[0-9]+,\"ipc_ns\":$ns,\"buf\":\\{\"size\":8192,\"mappings\":0,\"waiters\":0,\"waits\":0,\"wakes\":0,\"woken\":0\\}\\}"
expect 0 "kipc -j ls --kind sem" "$kipc" -j ls --kind sem
expect_output "has our semaphore" "\"name\":\"/$s\""
kinds=$(echo "$tap_out" | grep -o '"kind":"[a-z]*"' | sort -u)
expect_count "and objects of that kind only" "$kinds" '"kind":"sem"'

expect 0 "stat" "$kipc" stat "$q"
expect_output "id" "^id: +$qid\$"
expect_output "kind" '^kind: +mq$'
expect_output "name, with its '/'" "^name: +/$q\$"
expect_output "linked" '^linked: +yes$'
expect_output "uid" "^uid: +$uid\$"
expect_output "gid" "^gid: +$gid\$"
expect_output "mode, in octal" '^mode: +0640$'
expect_output "refs: the name's" '^refs: +1$'
expect_output "ctime" \
	'^ctime: +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\.[0-9]{9} [-+][0-9]{4}$'
expect_output "charge" '^charge: +[0-9]+$'
expect_output "ipc_ns: this namespace" "^ipc_ns: +$ns\$"
expect_output "max_msgs" '^max_msgs: +4$'
expect_output "msg_size" '^msg_size: +64$'
expect_output "depth" '^depth: +3$'
expect_output "high_water" '^high_water: +3$'
expect_output "bytes" '^bytes: +11$'
expect_output "sent" '^sent: +3$'
expect_output "received" '^received: +0$'
expect_output "send_waiters" '^send_waiters: +0$'
expect 0 "stat --json" out_to "$tmp/stat.json" "$kipc" stat "/$q" --json
expect_json "is well-formed JSON" "$tmp/stat.json"
if grep -qF "$(cat "$tmp/stat.json")" "$tmp/ls.json"; then
	tap_ok "is the object that ls --json shows"
else
	sed 's/^/#   /' "$tmp/stat.json"
	tap_not_ok "is the object that ls --json shows"
fi
expect 0 "stat by id --json" out_to "$tmp/id.json" "$kipc" -j stat "$qid"
expect_same "is the same as by name" "$tmp/id.json" "$tmp/stat.json"
expect 0 "stat by id" "$kipc" stat "$qid"
expect_output "names the queue" "^name: +/$q\$"
expect_count "mq stat shows the same id" "$(stat_field "$q" id)" "$qid"
expect 0 "stat of a semaphore" "$kipc" stat "$s" --kind sem
expect_output "value" '^value: +1$'
expect_output "max_value" '^max_value: +5$'
expect_output "waits" '^waits: +1$'
expect_output "undo_dropped" '^undo_dropped: +0$'
expect 0 "stat of a buffer" "$kipc" stat "$b"
expect_output "size in bytes" '^size: +8192$'
expect_output "woken" '^woken: +0$'
expect 1 "stat --kind of another kind" "$kipc" stat "$s" --kind mq
expect_output "fails with ENOENT, saying why" \
	"^kipc: stat /$s: No such file or directory \\(none of kind mq\\)\$"
expect 1 "stat of no such name" "$kipc" stat "${p}nope"
expect_output "fails with ENOENT" "^kipc: stat /${p}nope: No such file or directory\$"
expect 1 "stat of no such id" "$kipc" stat 4294967295
expect_output "fails with ENOENT" '^kipc: stat 4294967295: No such file or directory$'

# ---- unlinked but open ----
u=${p}u
"$kipc" sem create "$u" 3 --excl || tap_bail "cannot create $u"
# shellcheck disable=SC2016 # for the sh that becomes kipc
sh -c 'echo $$ >"$0.pid"; exec "$1" sem wait "$2" --undo' "$tmp/holder" "$kipc" "$u" &
until_nl "$u" value 2
uid_u=$(nl_field "$u" id)
expect 0 "ls while a holder has it open" "$kipc" ls --kind sem
expect_output "refs: the name's and the holder's" \
	"^ *$uid_u sem +/$u +$uid +$gid 0600 +2 value 2/2147483647 waiters 0\$"
"$kipc" sem rm "$u" || tap_bail "cannot remove $u"
expect 0 "ls once it is unlinked" "$kipc" ls --kind sem
expect_output "marks the name unlinked" \
	"^ *$uid_u sem +/$u \\(unlinked\\) +$uid +$gid 0600 +1 value 2/"
expect 0 "ls --json once it is unlinked" "$kipc" ls --json
expect_output "keeps the name, linked false" \
	"\\{\"id\":$uid_u,\"kind\":\"sem\",\"name\":\"/$u\",\"linked\":false,\"uid\":$uid,\"gid\":$gid,\"mode\":384,\"refs\":1,"
expect 1 "stat by its name" "$kipc" stat "$u"
expect_output "finds none: names are of linked objects" \
	"^kipc: stat /$u: No such file or directory\$"
expect 0 "stat by its id" "$kipc" stat "$uid_u"
expect_output "finds it, with its name" "^name: +/$u\$"
expect_output "not linked" '^linked: +no$'
kill "$(cat "$tmp/holder.pid")"
wait
rm -f "$tmp/holder.pid"
expect 1 "stat by id once the holder is gone" "$kipc" stat "$uid_u"
expect_output "finds nothing: it was destroyed" \
	"^kipc: stat $uid_u: No such file or directory\$"

# ---- anonymous: kipc-bench's, held while its child stalls ----
if [ -x "$bench" ] &&
   "$bench" --list --csv 2>/dev/null | grep -q '^kipc-sem,yes,'; then
	# shellcheck disable=SC2016 # for the sh that becomes kipc-bench
	sh -c 'echo $$ >"$0.pid"; exec "$1" -m kipc-sem -t throughput -s 64 \
		--count 20 --warmup 2 --fault stall --timeout 600 >/dev/null 2>&1' \
		"$tmp/bench" "$bench" &
	i=0
	while ! "$kipc" ls | grep -q '^ *[0-9]* buf  *- ' && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	expect 0 "ls while kipc-bench holds anonymous objects" "$kipc" ls
	anon=$tap_out
	expect_output "shows its buffer, nameless, mapped" \
		"^ *[0-9]+ buf +- +$uid +$gid [0-7]{4} +[1-9][0-9]* size [0-9]+[KMG]? mappings [1-9][0-9]* waiters [0-9]+\$"
	expect_output "and its semaphores" \
		"^ *[0-9]+ sem +- +$uid +$gid [0-7]{4} +[1-9][0-9]* value [0-9]+/[0-9]+ waiters [0-9]+\$"
	expect 0 "ls --json" "$kipc" ls --kind buf --json
	expect_output "names it null, not linked" \
		'"kind":"buf","name":null,"linked":false,'
	anon_ids=$(echo "$anon" | awk '$3 == "-" { print $1 }')
	kill "$(cat "$tmp/bench.pid")"
	wait
	rm -f "$tmp/bench.pid"
	left=0
	for id in $anon_ids; do
		"$kipc" stat "$id" >/dev/null 2>&1 && left=$((left + 1))
	done
	expect_count "they are gone with kipc-bench" $left 0
else
	tap_skip "ls of anonymous objects" "kipc-bench's kipc-sem is unavailable"
fi

# ---- whoever owns them, whatever their mode ----
if can_be_nobody; then
	expect 0 "ls as another user" as_nobody ls
	expect_output "shows root's objects of mode 0600" "^ *[0-9]+ buf +/$b +$uid "
	expect 0 "stat as another user" as_nobody stat "$b"
	expect_output "needs no permission on the object" "^name: +/$b\$"
	expect 1 "where buf stat, which opens it" as_nobody buf stat "$b"
	expect_output "is refused" "^kipc: buf stat /$b: Permission denied\$"
	expect 1 "monitor as another user" as_nobody monitor
	expect_output "is refused: the group needs CAP_NET_ADMIN" \
		'^kipc: monitor: Operation not permitted \(joining the events group needs CAP_NET_ADMIN\)$'
else
	tap_skip "ls and stat as another user" "not root, or no su"
fi

# ---- another IPC namespace ----
if unshare -i true 2>/dev/null; then
	can_unshare=1
	expect 0 "ls in a new IPC namespace" unshare -i "$kipc" ls
	expect_empty "shows nothing of this one"
	expect 0 "ls --json there" unshare -i "$kipc" ls --json
	expect_output "is an empty array" '^\[\]$'
	expect 1 "stat by name there" unshare -i "$kipc" stat "$q"
	expect_output "finds nothing" "^kipc: stat /$q: No such file or directory\$"
	expect 1 "stat by id there" unshare -i "$kipc" stat "$qid"
	expect_output "finds nothing" "^kipc: stat $qid: No such file or directory\$"
	# shellcheck disable=SC2016 # for that namespace's sh
	expect 0 "an object made there" unshare -i sh -c \
		'"$0" sem create "$1" 1 && "$0" ls && "$0" stat "$1" --json &&
		 "$0" sem rm "$1"' "$kipc" "${p}x"
	expect_output "shows it there" \
		"^ *[0-9]+ sem +/${p}x +$uid +$gid 0600 +1 value 1/2147483647 waiters 0\$"
	expect_count "and nothing else" \
		"$(echo "$tap_out" | grep -c '^ *[0-9]')" 1
	other=$(echo "$tap_out" | sed -n 's/.*"ipc_ns":\([0-9]*\).*/\1/p')
	if [ -n "$other" ] && [ "$other" != "$ns" ]; then
		tap_ok "its ipc_ns is that namespace's"
	else
		tap_not_ok "its ipc_ns is that namespace's ($other, ours $ns)"
	fi
	expect 0 "ls here" "$kipc" ls
	if echo "$tap_out" | grep -q "/${p}x"; then
		tap_not_ok "shows nothing of that namespace"
	else
		tap_ok "shows nothing of that namespace"
	fi
else
	can_unshare=
	tap_skip "another IPC namespace" "no unshare -i here"
fi

# ---- 5,000 queues, each listed once ----
n=5000
limit=$(cat "$params/max_objects_per_user" 2>/dev/null)
if [ -n "$limit" ] && [ "$limit" -lt $((n + 100)) ]; then
	old_limit=$limit
	echo $((n + 100)) >"$params/max_objects_per_user"
fi
names=$(seq 1 $n | sed "s|^|${p}n|")
# shellcheck disable=SC2086 # one name a word
expect 0 "create $n queues in one call" \
	"$kipc" mq create $names --max-msgs 1 --msg-size 1 --excl
expect 0 "ls" out_to "$tmp/many" "$kipc" ls --kind mq
sed -n "s|^ *[0-9]* mq  */\\(${p}n[0-9]*\\) .*|\\1|p" "$tmp/many" | sort >"$tmp/got"
echo "$names" | sort >"$tmp/want"
expect_lines "lists each of them once" "$tmp/got" "$tmp/want"
if awk 'NR > 1 { if ($1 + 0 <= last) bad = 1; last = $1 + 0 } END { exit bad }' \
	"$tmp/many"; then
	tap_ok "in id order"
else
	tap_not_ok "in id order"
fi
expect 0 "ls --json" out_to "$tmp/many.json" "$kipc" ls --json
expect_json "is well-formed JSON" "$tmp/many.json"
grep -o "\"name\":\"/${p}n[0-9]*\"" "$tmp/many.json" |
	sed 's/.*"\/\(.*\)"/\1/' | sort >"$tmp/got"
expect_lines "lists each of them once" "$tmp/got" "$tmp/want"
# shellcheck disable=SC2086 # one name a word
expect 0 "remove them in one call" "$kipc" mq rm $names
expect 0 "ls" "$kipc" ls
if echo "$tap_out" | grep -q "/${p}n"; then
	tap_not_ok "lists none of them any more"
else
	tap_ok "lists none of them any more"
fi
if [ -n "$old_limit" ]; then
	echo "$old_limit" >"$params/max_objects_per_user"
	old_limit=
fi

# ---- monitor ----
# mon NAME ARGS...: kipc monitor ARGS in the background, its output
# through a pipe into $tmp/NAME, its pid in $tmp/NAME.pid, its exit
# status in $tmp/NAME.status once it ends
mon() {
	m=$1
	shift
	: >"$tmp/$m"
	{
		"$kipc" monitor "$@" &
		echo $! >"$tmp/$m.pid"
		wait $!
		echo $? >"$tmp/$m.status"
	} | cat >>"$tmp/$m" &
	i=0
	while [ ! -s "$tmp/$m.pid" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# sync_mon NAME...: make and remove a semaphore until each of the
# monitors has shown it (up to 50 tries of 2 s): then they have joined,
# and have shown every event before it
probe=0
sync_mon() {
	tries=0
	while [ $tries -lt 50 ]; do
		probe=$((probe + 1))
		"$kipc" sem create "${p}sync$probe" 0 && "$kipc" sem rm "${p}sync$probe"
		i=0
		while [ $i -lt 20 ]; do
			seen=0
			for m in "$@"; do
				grep -q "/${p}sync${probe}[ \"]" "$tmp/$m" &&
					seen=$((seen + 1))
			done
			[ $seen -eq $# ] && return 0
			sleep 0.1
			i=$((i + 1))
		done
		tries=$((tries + 1))
	done
	return 1
}

# stop_mon SIGNAL NAME: end the monitor; its exit status
stop_mon() {
	kill -"$1" "$(cat "$tmp/$2.pid")"
	i=0
	while [ ! -s "$tmp/$2.status" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	rm -f "$tmp/$2.pid"
	cat "$tmp/$2.status" 2>/dev/null || echo none
}

mon text
mon json --json
mon all --all-namespaces
sync_mon text json all || tap_bail "the monitors show no event"
mq=${p}mq ms=${p}ms
"$kipc" mq create "$mq" --max-msgs 2 --msg-size 16 --excl &&
	"$kipc" sem create "$ms" 1 --excl &&
	"$kipc" mq send "$mq" a && "$kipc" mq send "$mq" b &&
	"$kipc" mq recv "$mq" >/dev/null && "$kipc" mq recv "$mq" >/dev/null &&
	"$kipc" mq rm "$mq" && "$kipc" sem rm "$ms" ||
	tap_bail "cannot run the script of events"
if [ -n "$can_unshare" ]; then
	# shellcheck disable=SC2016 # for that namespace's sh
	unshare -i sh -c '"$0" sem create "$1" 1 && "$0" sem rm "$1"' \
		"$kipc" "${p}nsx" || tap_bail "cannot run the script in a namespace"
fi
sync_mon text json all || tap_bail "the monitors stopped showing events"
expect_count "monitor ends with 0 on SIGTERM" "$(stop_mon TERM text)" 0
expect_count "monitor --json ends with 0 on SIGINT" "$(stop_mon INT json)" 0
expect_count "monitor --all-namespaces too" "$(stop_mon INT all)" 0

cat >"$tmp/want" <<EOF
add mq /$mq
add sem /$ms
mq-full mq /$mq
mq-empty mq /$mq
unlink mq /$mq
del mq /$mq
unlink sem /$ms
del sem /$ms
EOF
grep -E " /($mq|$ms) " "$tmp/text" | awk '{ print $1, $2, $4 }' >"$tmp/got"
expect_lines "monitor shows every event of the script, in order" \
	"$tmp/got" "$tmp/want"
tap_out=$(cat "$tmp/text")
expect_output "a line: event, kind, id, name, owner, mode" \
	"^add +mq +[0-9]+ /$mq uid $uid gid $gid mode 0600\$"
expect_count "with the queue's id on each of its lines" \
	"$(grep " /$mq " "$tmp/text" | awk '{ print $3 }' | sort -u | wc -l)" 1
if grep -q "/${p}nsx" "$tmp/text"; then
	tap_not_ok "and nothing of another IPC namespace"
else
	tap_ok "and nothing of another IPC namespace"
fi

expect_json "monitor --json: each line is well-formed JSON" "$tmp/json"
grep -E "\"/($mq|$ms)\"" "$tmp/json" |
	sed 's/^{"event":"\([a-z-]*\)","id":[0-9]*,"kind":"\([a-z]*\)","name":"\([^"]*\)".*/\1 \2 \3/' \
	>"$tmp/got"
expect_lines "the same events" "$tmp/got" "$tmp/want"
tap_out=$(cat "$tmp/json")
expect_output "an object: event, then the keys of stat but refs, charge, statistics" \
	"^\\{\"event\":\"add\",\"id\":[0-9]+,\"kind\":\"mq\",\"name\":\"/$mq\",\"linked\":true,\"uid\":$uid,\"gid\":$gid,\"mode\":384,\"ctime\":[0-9]+,\"ipc_ns\":$ns\\}\$"
expect_output "linked as after the event" \
	"^\\{\"event\":\"unlink\",\"id\":[0-9]+,\"kind\":\"mq\",\"name\":\"/$mq\",\"linked\":false,"

grep -E " /($mq|$ms) " "$tmp/all" | awk '{ print $1, $2, $4 }' >"$tmp/got"
expect_lines "--all-namespaces shows the same events of this namespace" \
	"$tmp/got" "$tmp/want"
tap_out=$(cat "$tmp/all")
expect_output "with their ipc_ns" "^add +mq +[0-9]+ /$mq uid $uid gid $gid mode 0600 ipc_ns $ns\$"
if [ -n "$can_unshare" ]; then
	printf 'add sem /%s\nunlink sem /%s\ndel sem /%s\n' "${p}nsx" "${p}nsx" \
		"${p}nsx" >"$tmp/want"
	grep " /${p}nsx " "$tmp/all" | awk '{ print $1, $2, $4 }' >"$tmp/got"
	expect_lines "and those of another IPC namespace" "$tmp/got" "$tmp/want"
	other=$(grep " /${p}nsx " "$tmp/all" | sed -n '1s/.* ipc_ns //p')
	if [ -n "$other" ] && [ "$other" != "$ns" ]; then
		tap_ok "with that namespace's ipc_ns"
	else
		tap_not_ok "with that namespace's ipc_ns ($other, ours $ns)"
	fi
else
	tap_skip "--all-namespaces: another IPC namespace" "no unshare -i here"
fi

# lost events: monitors with the smallest buffer, stopped while 30 queues
# come and go
mon lost --rcvbuf 1
mon lostj --json --rcvbuf 1
sync_mon lost lostj || tap_bail "the monitors show no event"
kill -STOP "$(cat "$tmp/lost.pid")" "$(cat "$tmp/lostj.pid")"
few=$(seq 1 30 | sed "s|^|${p}f|")
# shellcheck disable=SC2086 # one name a word
"$kipc" mq create $few && "$kipc" mq rm $few || tap_bail "cannot make queues"
kill -CONT "$(cat "$tmp/lost.pid")" "$(cat "$tmp/lostj.pid")"
sync_mon lost lostj || tap_bail "the monitors stopped showing events"
tap_out=$(cat "$tmp/lost")
expect_output "a monitor that fell behind says that it lost events" \
	'^lost +events: the receive buffer overflowed$'
tap_out=$(cat "$tmp/lostj")
expect_output "with --json too" '^\{"event":"lost"\}$'
expect_count "and goes on until SIGTERM, ending with 0" "$(stop_mon TERM lost)" 0
expect_count "with --json too" "$(stop_mon TERM lostj)" 0

# ---- the end: nothing left, and no module ----
"$kipc" mq rm "$q" && "$kipc" sem rm "$s" && "$kipc" buf rm "$b" ||
	tap_not_ok "remove the objects"
expect 0 "ls" "$kipc" ls
if echo "$tap_out" | grep -q "/$p"; then
	echo "$tap_out" | grep "/$p" | sed 's/^/#   /'
	tap_not_ok "none of this test's objects is left"
else
	tap_ok "none of this test's objects is left"
fi
if [ "$(id -u)" = 0 ] && [ -n "$KIPC_KO" ] && rmmod kipc 2>/dev/null; then
	expect 1 "ls without the module" "$kipc" ls
	expect_output "fails, saying why" \
		'^kipc: netlink family kipc: No such file or directory \(module not loaded\?\)$'
	expect 1 "stat without the module" "$kipc" stat 1
	expect_output "the same" '^kipc: netlink family kipc: No such file or directory'
	expect 1 "monitor without the module" "$kipc" monitor
	expect_output "the same" '^kipc: netlink family kipc: No such file or directory'
	insmod "$KIPC_KO" || tap_bail "cannot reload kipc.ko"
else
	tap_skip "ls, stat, monitor without the module" "cannot unload kipc here"
fi

tap_done
