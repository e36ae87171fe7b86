#!/usr/bin/env bash
# fuzz.sh runs every fuzz target of the main module, one after another, for the same time each.
#
# Usage: scripts/fuzz.sh [DURATION]
#
#   DURATION  how long each target runs, as go test's -fuzztime takes it: "5m", "30s", or a
#             count of executions such as "10000x". Default: 1m.
#
# It finds the targets by running `go test -list '^Fuzz'` in each package of the main module
# (the nested benchmarks module is left out), then runs each alone with
# `go test -run '^$' -fuzz '^Target$' -fuzztime DURATION`. After each target it prints the
# target's final execution count, or FAIL; go test's full output of a failing target is
# printed too, and the input that failed is saved under the package's testdata/fuzz/Target
# folder, where plain `go test` replays it from then on. It exits 1 when any target failed,
# after running all of them, and 2 on a usage error.
#
# Run it from anywhere; it changes to the module root first. The seed corpus of every target
# also runs, without fuzzing, in every `go test ./...`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -gt 1 ]; then
	echo "usage: scripts/fuzz.sh [DURATION]" >&2
	exit 2
fi
duration="${1:-1m}"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

failed=()
total=0
for pkg in $(go list ./...); do
	targets=$(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)
	for target in $targets; do
		total=$((total + 1))
		printf '%-72s ' "$pkg $target"
		if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$duration" "$pkg" >"$log" 2>&1; then
			# The last progress line, such as "fuzz: elapsed: 5m0s, execs: 2917640 (9725/sec), ...".
			execs=$(sed -n 's/^fuzz: elapsed: .*, execs: \([0-9]*\) .*/\1/p' "$log" | tail -n 1)
			echo "ok, ${execs:-?} executions"
		else
			echo "FAIL"
			cat "$log"
			failed+=("$pkg $target")
		fi
	done
done

if [ "$total" -eq 0 ]; then
	echo "no fuzz targets found" >&2
	exit 1
fi
if [ "${#failed[@]}" -gt 0 ]; then
	printf '\n%d of %d fuzz targets failed:\n' "${#failed[@]}" "$total"
	printf '  %s\n' "${failed[@]}"
	exit 1
fi
printf '\nall %d fuzz targets passed, %s each\n' "$total" "$duration"
