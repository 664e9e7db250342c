#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench_test.sh: kipc-bench with tiny counts: every available mechanism in
# CSV and JSON, the shape of the output, "not supported" sizes, broken
# messages and a stalled peer failing the run, batches and large messages
# over streams and sockets, no semaphore, SysV queue, shared memory, fifo
# or file left behind, eventfd's 8-byte round trips only, and usage
# errors. Never timings.

dir=$(cd "$(dirname "$0")" && pwd)
. "$dir/tap.sh"
bench=$dir/../tools/bench/kipc-bench
columns=25

# kipc-bench with 20 measured operations after 2 of warm-up
tiny() { "$bench" --count 20 --warmup 2 "$@"; }

echo "TAP version 13"
[ -x "$bench" ] || tap_bail "$bench is not built (make tools)"

expect 0 "--help" "$bench" --help
expect_output "--help shows the usage" '^usage: kipc-bench '
expect 0 "--list" "$bench" --list
expect_output "--list shows pipe" '^pipe +yes '
expect 0 "--list --json" "$bench" --list --json
expect_output "--list --json is one object" '^\{"mechanisms":\[\{"name":"pipe",.*\]\}$'

# what the mechanisms could leave behind, a line each: named POSIX
# semaphores of ours and SysV semaphore sets (sem), SysV message queues
# (msg), POSIX shared memory of ours (shm), file-mmap's files (tmp);
# /proc/sysvipc files have a header line
leftovers() { # KIND
	case $1 in
	sem)
		ls /dev/shm 2>/dev/null | grep '^sem\.kipc-bench\.'
		[ -r /proc/sysvipc/sem ] && tail -n +2 /proc/sysvipc/sem
		;;
	msg)
		[ -r /proc/sysvipc/msg ] && tail -n +2 /proc/sysvipc/msg
		;;
	shm)
		ls /dev/shm 2>/dev/null | grep '^kipc-bench\.'
		;;
	tmp)
		ls "${TMPDIR:-/tmp}" 2>/dev/null | grep '^kipc-bench\.'
		;;
	esac
}
kinds="sem msg shm tmp"
for k in $kinds; do
	eval "before_$k=\$(leftovers $k)"
done

# the mechanisms available here, from the CSV list
mechs=$("$bench" --list --csv | awk -F, 'NR > 1 && $2 == "yes" { print $1 }')
[ -n "$mechs" ] || tap_bail "no mechanism is available"
available=$mechs

# On a debug kernel (kmemleak, KASAN, lockdep) only kipc's mechanisms and
# pipe, the baseline, run: the others reach none of kipc's code, the
# stock kernel's run covers kipc-bench's handling of them, and under KASAN
# they would take many minutes.
debug_kernel=0
[ -e /sys/kernel/debug/kmemleak ] && debug_kernel=1
if [ $debug_kernel = 1 ]; then
	for m in $mechs; do
		case $m in
		kipc-*|pipe) ;;
		*) tap_skip "$m: the mechanism's checks" \
			"kernel-independent: run on the stock kernel" ;;
		esac
	done
	mechs=$(echo "$mechs" | grep -E '^(kipc-.*|pipe)$')
fi

# runs M: M is available and checked here; else $why says why not
runs() {
	if echo "$mechs" | grep -qx "$1"; then
		return 0
	elif echo "$available" | grep -qx "$1"; then
		why="kernel-independent: run on the stock kernel"
	else
		why="$1 is unavailable"
	fi
	return 1
}

# memcpy is a one-process baseline: throughput only, nothing to damage
if runs memcpy; then
	expect 0 "memcpy: --csv" tiny --mechanism memcpy --csv
	rows=$(echo "$tap_out" | grep -c '^memcpy,throughput,[0-9]*,1,ok,,20,2,')
	if [ "$rows" -eq 2 ] && ! echo "$tap_out" | grep -q '^memcpy,pingpong'; then
		tap_ok "memcpy: throughput at 64 and 4096 B, no round trips"
	else
		echo "$tap_out" | sed 's/^/#   /'
		tap_not_ok "memcpy: $rows throughput rows"
	fi
	mechs=$(echo "$mechs" | grep -vx memcpy)
else
	tap_skip "memcpy: --csv" "$why"
	tap_skip "memcpy: throughput only" "$why"
fi

# eventfd carries only its 8-byte header, and only in round trips: its
# throughput runs are "not supported", and so is any other size
notify_note="not supported: a notification, not a queue"

for m in $mechs; do
	if [ "$m" = eventfd ]; then
		sizes=8 odd=8 small=8 tests=pingpong runs=2 oks=1
		what="pingpong at 8 B ok, throughput not supported"
	else
		sizes=64,4096 odd=100 small=64 tests="pingpong throughput"
		runs=4 oks=4
		what="pingpong and throughput at 64 and 4096 B ok"
	fi

	expect 0 "$m: --csv" tiny --mechanism "$m" --size $sizes --batch 1 --csv
	expect_output "$m: --csv has its header" '^mechanism,test,size,batch,status,'
	rows=$(echo "$tap_out" | grep -c "^$m,")
	# a quoted field may hold commas
	bad=$(echo "$tap_out" | sed 's/"[^"]*"//g' |
	      awk -F, -v n=$columns 'NF != n' | wc -l)
	if [ "$rows" -eq $runs ] && [ "$bad" -eq 0 ]; then
		tap_ok "$m: --csv has $runs rows of $columns fields"
	else
		echo "$tap_out" | sed 's/^/#   /'
		tap_not_ok "$m: --csv has $rows rows, $bad of another width"
	fi
	ok=$(echo "$tap_out" | grep -c "^$m,[a-z]*,[0-9]*,1,ok,,20,2,")
	skipped=$(echo "$tap_out" |
		  grep -c "^$m,throughput,[0-9]*,1,skipped,\"$notify_note\",")
	if [ "$ok" -eq $oks ] && [ $((ok + skipped)) -eq $runs ]; then
		tap_ok "$m: --csv: $what"
	else
		echo "$tap_out" | sed 's/^/#   /'
		tap_not_ok "$m: --csv: $ok of $runs runs ok"
	fi

	expect 0 "$m: --json" tiny --mechanism "$m" --size $sizes --batch 1 --json
	lines=$(echo "$tap_out" | wc -l)
	ok=$(echo "$tap_out" | grep -o '"status":"ok"' | wc -l)
	skipped=$(echo "$tap_out" |
		  grep -o "\"status\":\"skipped\",\"note\":\"$notify_note\"" | wc -l)
	if [ "$lines" -eq 1 ] && [ "$ok" -eq $oks ] &&
	   [ $((ok + skipped)) -eq $runs ] &&
	   echo "$tap_out" | grep -Eq '^\{"tool":"kipc-bench",.*,"results":\[\{.*\}\]\}$' &&
	   echo "$tap_out" | grep -q '"lat_min_ns":[0-9]*,"lat_p50_ns":[0-9]*,' &&
	   { [ "$tests" = pingpong ] ||
	     echo "$tap_out" | grep -q '"mb_per_s":[0-9.]*,"cpu_parent_user_ns":'; }; then
		tap_ok "$m: --json is one document with $runs runs"
	else
		echo "$tap_out" | sed 's/^/#   /'
		tap_not_ok "$m: --json: $lines lines, $ok runs ok"
	fi

	expect 0 "$m: the table" tiny --mechanism "$m" --size $odd
	expect_output "$m: the table has a row per test" "^$m +$odd +1 +[0-9]"

	# the receiver must catch what the sender broke, in either direction
	for t in $tests; do
		expect 1 "$m: $t: a damaged message fails the run" \
			tiny -m "$m" -t "$t" -s $small --fault corrupt
		expect_output "$m: $t: and says so" \
			"^kipc-bench: $m: $t $small B: .*message 12 .*: checksum .* \\(damaged, or from the other channel\\)\$"
		expect 1 "$m: $t: a lost message fails the run" \
			tiny -m "$m" -t "$t" -s $small --fault skip
		expect_output "$m: $t: and says so" \
			"^kipc-bench: $m: $t $small B: .*message 12 .*: sequence number 13 \\(lost or reordered\\)\$"
		expect 1 "$m: $t: a stalled child times out" \
			tiny -m "$m" -t "$t" -s $small --fault stall --timeout 1
		expect_output "$m: $t: and says so" \
			"^kipc-bench: $m: $t $small B: timed out after 1 s"
	done
done

if runs eventfd; then
	expect 0 "eventfd: a message above 8 B is no failure" \
		tiny -m eventfd -s 9,64 --csv
	if [ "$(echo "$tap_out" | grep -c '^eventfd,pingpong,[0-9]*,1,skipped,not supported: at most 8 B,')" -eq 2 ] &&
	   [ "$(echo "$tap_out" | grep -c "^eventfd,throughput,[0-9]*,1,skipped,\"$notify_note\",")" -eq 2 ]; then
		tap_ok "eventfd: it is reported as not supported, not clamped"
	else
		echo "$tap_out" | sed 's/^/#   /'
		tap_not_ok "eventfd: it is reported as not supported, not clamped"
	fi
else
	tap_skip "eventfd: a message above 8 B" "$why"
fi

if runs posix-mq; then
	max=$(cat /proc/sys/fs/mqueue/msgsize_max)
	expect 0 "posix-mq: a size above msgsize_max is no failure" \
		tiny -m posix-mq -s $((max + 1)) --csv
	expect_output "posix-mq: it is reported as not supported, not clamped" \
		"^posix-mq,pingpong,$((max + 1)),1,skipped,not supported: at most $max B,"
	left=$(find /dev/mqueue -type f 2>/dev/null)
	if [ -n "$left" ]; then
		echo "$left" | sed 's/^/#   /'
		tap_not_ok "posix-mq: no queue is left behind"
	elif [ -d /dev/mqueue ]; then
		tap_ok "posix-mq: no queue is left behind"
	else
		tap_skip "posix-mq: no queue is left behind" "no /dev/mqueue"
	fi
else
	tap_skip "posix-mq: a size above msgsize_max" "$why"
fi

if runs sysv-mq; then
	max=$(cat /proc/sys/kernel/msgmax)
	expect 0 "sysv-mq: a message of msgmax bytes" \
		tiny -m sysv-mq -t pingpong -s "$max" --csv
	expect_output "sysv-mq: msgmax bytes go through" \
		"^sysv-mq,pingpong,$max,1,ok,"
	expect 0 "sysv-mq: a size above msgmax is no failure" \
		tiny -m sysv-mq -s $((max + 1)) --csv
	expect_output "sysv-mq: it is reported as not supported, not clamped" \
		"^sysv-mq,pingpong,$((max + 1)),1,skipped,not supported: at most $max B,"
else
	tap_skip "sysv-mq: msgmax and above" "$why"
fi

# the mechanisms over file descriptors: a batch that ends in a part
# batch, and 1 MiB messages that cross a byte stream in pieces
for m in fifo unix-stream unix-dgram unix-seqpacket tcp; do
	if ! runs "$m"; then
		tap_skip "$m: batches of 8" "$why"
		continue
	fi
	expect 0 "$m: batches of 8, 20 messages of 100 B" \
		tiny -m "$m" -t throughput -s 100 --batch 8 --csv
	expect_output "$m: all of them arrive" "^$m,throughput,100,8,ok,,20,"
done
for m in fifo unix-stream tcp; do
	if ! runs "$m"; then
		tap_skip "$m: 1 MiB messages" "$why"
		continue
	fi
	expect 0 "$m: 1 MiB messages" \
		"$bench" --count 4 --warmup 1 -m "$m" -s 1M --batch 1,4 --csv
	expect_output "$m: 1 MiB round trips" "^$m,pingpong,1048576,1,ok,"
	expect_output "$m: 1 MiB one way" "^$m,throughput,1048576,1,ok,"
	expect_output "$m: 1 MiB four per call" "^$m,throughput,1048576,4,ok,"
done

# where loopback is up, tcp must be available (tools/vm/init brings it up)
lo_flags=$(cat /sys/class/net/lo/flags 2>/dev/null || echo 0)
if [ $((lo_flags & 1)) -eq 0 ]; then
	tap_skip "tcp is available" "loopback is down"
elif echo "$available" | grep -qx tcp; then
	tap_ok "tcp is available"
else
	"$bench" --list | grep '^tcp ' | sed 's/^/#   /'
	tap_not_ok "tcp is available"
fi

# a datagram must fit whole: its largest size is what --list says, found
# by sending; a message that large works, one byte more is not supported
for m in unix-dgram unix-seqpacket; do
	if ! runs "$m"; then
		tap_skip "$m: its largest message" "$why"
		tap_skip "$m: a larger one is not supported" "$why"
		continue
	fi
	max=$("$bench" --list --csv | awk -F, -v m="$m" '$1 == m { print $4 }')
	expect 0 "$m: a message of its largest size, $max B" \
		"$bench" -n 2 -w 1 -m "$m" -t pingpong -s "$max" --csv
	expect_output "$m: it arrives whole" "^$m,pingpong,$max,1,ok,"
	expect 0 "$m: a size above its largest is no failure" \
		tiny -m "$m" -s $((max + 1)) --csv
	expect_output "$m: it is reported as not supported, not clamped" \
		"^$m,throughput,$((max + 1)),1,skipped,not supported: at most $max B,"
done

# fifo: its names and their directory go as soon as the ends are open, so
# nothing is left in $TMPDIR: not after a run, a stalled one, or a SIGKILL
tmp_empty() {
	left=$(ls -A "$tmp")
	if [ -z "$left" ]; then
		tap_ok "$1"
	else
		echo "$left" | sed 's/^/#   /'
		tap_not_ok "$1"
	fi
}
# the processes whose parent is $1
children() { grep -ls "^PPid:[[:space:]]*$1\$" /proc/[0-9]*/status; }

if runs fifo; then
	tmp=$(mktemp -d)
	expect 0 "fifo: a run in a TMPDIR of its own" \
		env TMPDIR="$tmp" "$bench" --count 20 --warmup 2 -m fifo --csv
	tmp_empty "fifo: nothing is left in \$TMPDIR after a run"
	expect 1 "fifo: a stalled run there" \
		env TMPDIR="$tmp" "$bench" --count 20 --warmup 2 -m fifo \
		-t pingpong --fault stall --timeout 1
	tmp_empty "fifo: nothing is left in \$TMPDIR after a stalled run"
	env TMPDIR="$tmp" "$bench" --count 20 --warmup 2 -m fifo \
		-t pingpong --fault stall --timeout 60 >/dev/null 2>&1 &
	pid=$!
	# the run's child is forked once setup is over; 10 s at most
	i=0
	while [ -z "$(children $pid)" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 $pid
	# the shell's "Killed" is no TAP line
	wait $pid 2>/dev/null
	tmp_empty "fifo: nothing is left in \$TMPDIR after a SIGKILL in a run"
	rm -rf "$tmp"
else
	tap_skip "fifo: nothing is left in \$TMPDIR" "$why"
fi

# a slot handed over by semaphores: 1 MiB at most, and never clamped
for m in posix-sem sysv-sem kipc-sem posix-shm file-mmap; do
	if ! runs "$m"; then
		tap_skip "$m: a 1 MiB message fits its slot" "$why"
		tap_skip "$m: a larger one is not supported" "$why"
		continue
	fi
	expect 0 "$m: a 1 MiB message" tiny -m "$m" -s 1M --csv
	expect_output "$m: a 1 MiB message fits its slot" \
		"^$m,throughput,1048576,1,ok,,20,2,"
	expect 0 "$m: a size above its slot is no failure" \
		tiny -m "$m" -t pingpong -s 1048577 --csv
	expect_output "$m: it is reported as not supported, not clamped" \
		"^$m,pingpong,1048577,1,skipped,not supported: at most 1048576 B,"
done
# after every run above, stalled and timed-out ones included
for k in $kinds; do
	case $k in
	sem) what="no POSIX named semaphore or SysV set" ;;
	msg) what="no SysV message queue" ;;
	shm) what="no POSIX shared memory object" ;;
	tmp) what="no file of ours in ${TMPDIR:-/tmp}" ;;
	esac
	left=$(leftovers $k)
	eval "before=\$before_$k"
	if [ "$left" = "$before" ]; then
		tap_ok "$what is left behind"
	else
		echo "$left" | sed 's/^/#   /'
		tap_not_ok "$what is left behind"
	fi
done

expect 0 "--batch 8" tiny -m pipe -t throughput -s 64 --batch 8 --csv
expect_output "pipe has batched forms: batch 8 used" '^pipe,throughput,64,8,ok,'
expect 0 "--batch 8, 20 messages of 100 B: a part batch at the end" \
	tiny -m pipe -t throughput -s 100 --batch 8 --csv
expect_output "all of them arrive" '^pipe,throughput,100,8,ok,,20,'
expect 0 "--batch 1,8: a run per batch size where there are batched forms" \
	tiny -m pipe,posix-mq -t throughput -s 64 --batch 1,8 --csv
if [ "$(echo "$tap_out" | grep -c '^pipe,throughput,64,[18],ok,')" = 2 ] &&
   [ "$(echo "$tap_out" | grep -c '^posix-mq,throughput,64,')" = 1 ]; then
	tap_ok "pipe twice, posix-mq once"
else
	echo "$tap_out" | sed 's/^/#   /'
	tap_not_ok "pipe twice, posix-mq once"
fi

if [ -c /dev/kipc ]; then
	expect 0 "kipc-mq, single and batched" \
		tiny -m kipc-mq -s 64,4096 --batch 1,16 --csv
	expect_output "kipc-mq batches of 16 arrive whole" \
		'^kipc-mq,throughput,4096,16,ok,,20,'
	max=$(cat /sys/module/kipc/parameters/mq_max_msgsize)
	expect 0 "kipc-mq: a size above the module's mq_max_msgsize" \
		tiny -m kipc-mq -t pingpong -s $((max + 1)) --csv
	expect_output "kipc-mq: it is reported as not supported" \
		"^kipc-mq,pingpong,$((max + 1)),1,skipped,not supported: at most $max B,"
	# kipc's mechanisms must not be skipped where the module is loaded
	for m in kipc-mq kipc-ring kipc-sem; do
		if echo "$mechs" | grep -qx "$m"; then
			tap_ok "$m is available with the module loaded"
		else
			tap_not_ok "$m is available with the module loaded"
		fi
	done
else
	tap_skip "kipc-mq, single and batched" "kipc is not loaded"
	# natively, without the module: kipc's mechanisms are named, not run
	expect 0 "without the module, the default run still runs" \
		tiny -t pingpong -s 64
	expect_output "and says kipc-mq is skipped, and why" \
		'^kipc-bench: skipping kipc-mq: /dev/kipc: kipc module not loaded$'
fi

# --duration: the count comes from the warm-up's pace; every run still
# measures at least one operation, and says how many
expect 0 "--duration 0.05" "$bench" -m pipe -s 64 --duration 0.05 --warmup 5 --csv
n=$(echo "$tap_out" | grep -c '^pipe,[a-z]*,64,1,ok,,[1-9][0-9]*,5,')
if [ "$n" -eq 2 ]; then
	tap_ok "--duration: both tests ran a count of their own"
else
	echo "$tap_out" | sed 's/^/#   /'
	tap_not_ok "--duration: $n of 2 runs with a count"
fi
expect 0 "--duration --json" "$bench" -m pipe -t pingpong -s 64 -d 0.05 -w 5 --json
expect_output "the JSON says the duration" '"duration_s":0\.050,'

# --plot: the report three ways, the charts' data and script, and the
# charts where gnuplot is installed
plot=$(mktemp -d) || tap_bail "mktemp"
expect 0 "--plot DIR" tiny -m pipe,posix-mq -s 64,4096 --plot "$plot/out"
missing=
for f in table.txt results.csv results.json latency.dat throughput.dat plot.gp; do
	[ -s "$plot/out/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then
	tap_ok "--plot writes the report, the data and plot.gp"
else
	tap_not_ok "--plot: missing:$missing"
fi
if head -1 "$plot/out/results.csv" | grep -q '^mechanism,test,size,' &&
   grep -q '^{"tool":"kipc-bench",' "$plot/out/results.json" &&
   grep -Eq '^pipe +64 +1 ' "$plot/out/table.txt"; then
	tap_ok "--plot: the report in CSV, JSON and as a table"
else
	tap_not_ok "--plot: the report in CSV, JSON and as a table"
fi
if grep -q '^"pipe" [0-9.]* [0-9.]* [0-9.]* [0-9.]*$' "$plot/out/latency.dat" &&
   grep -q '^4096 [0-9.]* [0-9.]* [0-9.]*$' "$plot/out/throughput.dat"; then
	tap_ok "--plot: the charts' data has the runs"
else
	tap_not_ok "--plot: the charts' data has the runs"
fi
if command -v gnuplot >/dev/null; then
	n=0
	for f in latency-64 latency-4096 latency throughput bandwidth cpu; do
		[ -s "$plot/out/$f.png" ] && n=$((n + 1))
	done
	if [ $n -eq 6 ]; then
		tap_ok "--plot: gnuplot drew the six charts"
	else
		ls "$plot/out" | sed 's/^/#   /'
		tap_not_ok "--plot: $n of 6 charts"
	fi
	(cd "$plot/out" && gnuplot -e 'fmt="svg"' plot.gp) 2>"$plot/err"
	if [ -s "$plot/out/throughput.svg" ] && [ ! -s "$plot/err" ]; then
		tap_ok "plot.gp draws SVG with fmt=\"svg\", without a complaint"
	else
		sed 's/^/#   /' "$plot/err"
		tap_not_ok "plot.gp draws SVG with fmt=\"svg\", without a complaint"
	fi
	# round trips only: the throughput charts have no data, and are
	# left out with a word, not a failure
	expect 0 "--plot with round trips only" \
		tiny -m pipe -t pingpong -s 64 --plot "$plot/pp"
	expect_output "gnuplot says what it did not draw" \
		'^throughput: no throughput results, not drawn$'
	if [ -s "$plot/pp/latency-64.png" ] && [ ! -e "$plot/pp/throughput.png" ]; then
		tap_ok "--plot: the round-trip charts, no empty throughput chart"
	else
		ls "$plot/pp" | sed 's/^/#   /'
		tap_not_ok "--plot: the round-trip charts, no empty throughput chart"
	fi
else
	tap_skip "--plot: gnuplot drew the charts" "no gnuplot here"
	tap_skip "plot.gp draws SVG" "no gnuplot here"
fi
# without gnuplot: the data and the script, and a note, not a failure
mkdir "$plot/bin" && ln -s "$(command -v sh)" "$plot/bin/sh"
expect 0 "--plot without gnuplot" env PATH="$plot/bin" "$bench" -m pipe -t pingpong -s 64 -n 20 -w 2 --plot "$plot/nognuplot"
expect_output "says how to draw them later" "^kipc-bench: no gnuplot here: .*'gnuplot plot.gp' there"
if [ -s "$plot/nognuplot/plot.gp" ] && ! ls "$plot/nognuplot" | grep -q '\.png$'; then
	tap_ok "--plot without gnuplot leaves the data and plot.gp"
else
	tap_not_ok "--plot without gnuplot leaves the data and plot.gp"
fi
: >"$plot/file"
expect 1 "--plot into a file that is not a directory fails" \
	tiny -m pipe -t pingpong -s 64 --plot "$plot/file"
expect_output "and says why" "^kipc-bench: $plot/file: Not a directory\$"
rm -rf "$plot"

expect 0 "--cpus 0,0: both on one CPU" tiny -m pipe -t pingpong -s 64 --cpus 0,0
expect_output "the table says where they ran" '^parent on CPU 0, child on CPU 0$'
expect 0 "--cpus 0,0 --json" tiny -m pipe -t pingpong -s 64 --cpus 0,0 --json
expect_output "the JSON too" '"cpus":\[0,0\],'
expect 2 "--cpus takes two CPUs" "$bench" --cpus 0
expect 1 "--cpus: a CPU that is not there fails" "$bench" --cpus 0,1023
expect_output "and says so" \
	'^kipc-bench: --cpus: CPU 1023 is not one this process may run on$'

expect 2 "an unknown option is a usage error" "$bench" --frobnicate
expect_output "and says so in one line" \
	"^kipc-bench: unknown option '--frobnicate' \\(try 'kipc-bench --help'\\)\$"
expect 2 "an unknown mechanism" "$bench" --mechanism nosuch
expect_output "is named" "^kipc-bench: --mechanism: 'nosuch' is not one of pipe"
expect 2 "an unknown test" "$bench" --test nosuch
expect 2 "a size below the header" "$bench" --size 7
expect 2 "an empty size" "$bench" --size 64,,128
expect 2 "--count 0" "$bench" --count 0
expect 2 "--csv and --json" "$bench" --csv --json
expect 2 "an argument" "$bench" extra
expect 2 "--count and --duration" "$bench" --count 10 --duration 1
expect 2 "--duration without a warm-up to pace it" "$bench" --duration 1 --warmup 0
expect 2 "--duration 0" "$bench" --duration 0
expect 2 "--duration above an hour" "$bench" --duration 3601
expect 2 "--duration in words" "$bench" --duration soon

tap_done
