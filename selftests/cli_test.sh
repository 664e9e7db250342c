#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# cli_test.sh: the kipc command line: help, version, usage errors, and the
# error when the module is not loaded.

dir=$(cd "$(dirname "$0")" && pwd)
. "$dir/tap.sh"
kipc=$dir/../tools/kipc/kipc
version=$(cat "$dir/../VERSION")

echo "TAP version 13"

expect 0 "--help" "$kipc" --help
expect_output "--help lists commands" '^  version '
expect 0 "help version" "$kipc" help version
expect_output "help version shows usage" '^usage: kipc .*version'
expect 0 "help alone" "$kipc" help
expect 0 "-V" "$kipc" -V
expect_output "-V prints the version" "^kipc $version\$"

expect 2 "no command is a usage error" "$kipc"
expect 2 "unknown command" "$kipc" frobnicate
expect_output "unknown command names it" "unknown command 'frobnicate'"
expect 2 "unknown option" "$kipc" --frobnicate version
expect 2 "help for an unknown command" "$kipc" help frobnicate
expect 2 "version takes no argument" "$kipc" version extra

expect 0 "version" "$kipc" version
expect_output "version shows the module" "^module:  $version \\(ABI 1,"
expect_output "version names the feature bits" \
	"^module:  .*, features 0xf: mq mq-batch buf sem\\)\$"
expect_output "version shows the library" "^library: $version\$"
expect 0 "--json version" "$kipc" --json version
expect_output "--json version is one JSON object" \
	"^\\{\"tool\":\"$version\",\"library\":\"$version\",\"module\":\"$version\",\"abi\":1,\"features\":15\\}\$"

if [ "$(id -u)" = 0 ] && [ -n "$KIPC_KO" ] && rmmod kipc 2>/dev/null; then
	expect 1 "version without the module fails" "$kipc" version
	expect_output "and says why in one line" \
		'^kipc: /dev/kipc: No such file or directory \(module not loaded\?\)$'
	insmod "$KIPC_KO" || tap_bail "cannot reload kipc.ko"
else
	tap_skip "version without the module fails" "cannot unload kipc here"
fi

tap_done
