#!/bin/bash
# check-host.sh OUTDIR - run the built user tests on this Linux host and
# compare each run's end with expect.txt (see README.md for the format).
#
# The x86_64 variants (NAME.glibc64, NAME.musl64) run natively: they are
# the proof that each test is right about Linux. The i386 variants run
# under qemu-i386 when it is installed (Debian package qemu-user), only as
# a smoke test: qemu-i386 emulates the Linux system calls itself and is
# not Linux (it differs on some mmap/mprotect/getdents64 errnos), so i386
# results are reported but do not fail the check. Set QEMU_I386=no to skip
# them. Lines marked "vm-only" are left out: they may change the machine.
#
# Prints one line per run and "N passed, N failed"; exits 1 if any x86_64
# run failed.
set -u

out=${1:-../build/user}
manifest="$out/expect.txt"
[ -f "$manifest" ] || { echo "check-host.sh: no $manifest (run make first)" >&2; exit 2; }

qemu=""
if [ "${QEMU_I386:-}" != "no" ] && command -v qemu-i386 >/dev/null 2>&1; then
	qemu=qemu-i386
fi

signum() {
	case "$1" in
	SIGILL) echo 4 ;; SIGTRAP) echo 5 ;; SIGABRT) echo 6 ;; SIGBUS) echo 7 ;;
	SIGFPE) echo 8 ;; SIGKILL) echo 9 ;; SIGSEGV) echo 11 ;; SIGPIPE) echo 13 ;;
	SIGSYS) echo 31 ;; *) echo "check-host.sh: unknown signal $1" >&2; echo 255 ;;
	esac
}

# describe STATUS: "exit=N" or "signal=N" from a shell exit status.
describe() {
	if [ "$1" -gt 128 ]; then echo "signal=$(($1 - 128))"; else echo "exit=$1"; fi
}

passed=0 failed=0 qemu_passed=0 qemu_differ=0 tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

while read -r first rest; do
	case "$first" in ''|'#'*|vm-only) continue ;; esac
	name=$first
	read -r expect args <<<"$rest"
	case "$expect" in
	exit=*) want=${expect#exit=} ;;
	signal=*) want=$((128 + $(signum "${expect#signal=}"))) ;;
	*) echo "check-host.sh: bad expectation '$expect' for $name" >&2; exit 2 ;;
	esac
	for variant in glibc64 musl64 i386; do
		prog="$out/$name.$variant"
		[ -x "$prog" ] || { echo "FAIL $name.$variant: not built"; failed=$((failed + 1)); continue; }
		runner=""
		if [ "$variant" = i386 ]; then
			[ -n "$qemu" ] || continue
			runner=$qemu
		fi
		start=$(date +%s%N)
		# The braces take bash's own "Segmentation fault" report off the
		# terminal: a death by signal is the expected end of some tests.
		# shellcheck disable=SC2086 # args are words by design
		{ timeout 600 $runner "$prog" $args >"$tmp" 2>&1; } 2>/dev/null
		status=$?
		ms=$((($(date +%s%N) - start) / 1000000))
		label="$name.$variant${args:+ $args}"
		if [ "$status" -eq "$want" ]; then
			printf 'PASS %-40s %s (%d.%03d s)\n' "$label" "$expect" $((ms / 1000)) $((ms % 1000))
			if [ -n "$runner" ]; then qemu_passed=$((qemu_passed + 1)); else passed=$((passed + 1)); fi
		else
			if [ -n "$runner" ]; then
				printf 'DIFF %-40s under qemu-i386: expected %s, got %s\n' "$label" "$expect" "$(describe $status)"
				qemu_differ=$((qemu_differ + 1))
			else
				printf 'FAIL %-40s expected %s, got %s\n' "$label" "$expect" "$(describe $status)"
				failed=$((failed + 1))
			fi
			grep -v '^ok' "$tmp" | tail -20 | sed 's/^/    /'
		fi
	done
done <"$manifest"

[ -n "$qemu" ] && echo "i386 under qemu-i386 (not counted): $qemu_passed as expected, $qemu_differ different"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
