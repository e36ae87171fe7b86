#!/usr/bin/env bash
# Runs the performance benchmarks and prints the performance table, the scale table and the
# rate-limit table.
#
# Usage: benchmarks/run.sh            (from any directory)
#   COUNT=6        samples per benchmark (go test -count)
#   BENCHTIME=1s   go test -benchtime
#   SCALE=1        run the scale runs (ListAll of 1,000 to 100,000, a batch wait of 1,000;
#                  about 20 s); 0 skips them
#   RATELIMIT_SECONDS=15
#                  length of each of the two rate-limit runs (64 goroutines against a limit
#                  of 20 requests a second, without and with the client's adaptive limiter);
#                  60 for the full measurement the README quotes; 0 skips them
#   OUT=dir        keep the raw outputs there (default: a temporary folder, printed at the end)
#
# It runs, with -benchmem:
#   - this module's benchmarks (full call serial and parallel for this SDK, the Tea SDK, the
#     old SDK, the floor and the signed floor; a 100-item ListVirtualPhysicalConnections page
#     for this SDK, the Tea SDK and the old SDK; the official signing functions; this SDK with
#     the network stubbed out), against a loopback server in its own process;
#   - the root package's BenchmarkSign and BenchmarkValidateEncode (this SDK's unexported
#     signer and request encoding, on the same parameters);
# then summarizes all samples with benchstat (pinned below) and prints the medians with their
# ratios to each section's baseline (the signed floor for full calls, the list floor for the
# list), and whether each performance target is met; then the scale and rate-limit tables
# (TestScale and TestRateLimitedCreates, which go test skips unless their variables are set).
set -euo pipefail

BENCHSTAT_VERSION=v0.0.0-20260908200009-22c9c6c9d4da # golang.org/x/perf
COUNT="${COUNT:-6}"
BENCHTIME="${BENCHTIME:-1s}"
SCALE="${SCALE:-1}"
RATELIMIT_SECONDS="${RATELIMIT_SECONDS:-15}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
out="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/expressconnect-bench.XXXXXX")}"
mkdir -p "$out"

echo "== installing benchstat $BENCHSTAT_VERSION"
# Outside any module, so the pinned version resolves on its own and touches no go.mod.
(cd "$tmp" && GOBIN="$tmp/bin" GOFLAGS= go install "golang.org/x/perf/cmd/benchstat@$BENCHSTAT_VERSION")

{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "go: $(go version)"
	echo "nproc: $(nproc 2>/dev/null || sysctl -n hw.ncpu)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)"
	echo "kernel: $(uname -sr)"
	echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
} | tee "$out/machine.txt"

echo "== benchmarks module: -count $COUNT -benchtime $BENCHTIME -benchmem (a few minutes)"
(cd "$here" && go test -run '^$' -bench . -benchmem -count "$COUNT" -benchtime "$BENCHTIME" .) | tee "$out/benchmarks.txt"

echo "== root package: this SDK's signer and request encoding"
(cd "$root" && go test -run '^$' -bench '^Benchmark(Sign|ValidateEncode)$' -benchmem -count "$COUNT" -benchtime "$BENCHTIME" .) | tee "$out/root.txt"

if [ "$SCALE" = 1 ]; then
	echo "== scale: ListAll of 1,000, 10,000 and 100,000 hosted connections, a batch wait of 1,000 (about 20 s)"
	(cd "$here" && EXPRESSCONNECT_SCALE=1 EXPRESSCONNECT_TABLE_DIR="$out" go test -run '^TestScale$' -v -count 1 .) > "$out/scale.txt"
fi
if [ "$RATELIMIT_SECONDS" != 0 ]; then
	echo "== rate limit: two runs of ${RATELIMIT_SECONDS} s"
	(cd "$here" && EXPRESSCONNECT_RATELIMIT_SECONDS="$RATELIMIT_SECONDS" EXPRESSCONNECT_TABLE_DIR="$out" \
		go test -run '^TestRateLimitedCreates$' -v -count 1 -timeout 30m .) > "$out/ratelimit.txt"
fi

cat "$out/benchmarks.txt" "$out/root.txt" > "$out/all.txt"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)" >> "$out/machine.txt"

echo
echo "== benchstat"
"$tmp/bin/benchstat" "$out/all.txt" | tee "$out/benchstat.txt"

echo
echo "== table (medians of $COUNT runs)"
echo
cat "$out/machine.txt"
echo
(cd "$here" && go run ./cmd/benchtable "$out/all.txt") | tee "$out/table.md"
for table in scale ratelimit; do
	if [ -f "$out/$table.md" ]; then
		{ echo; cat "$out/$table.md"; } | tee -a "$out/table.md"
	fi
done
echo
echo "raw outputs: $out"
