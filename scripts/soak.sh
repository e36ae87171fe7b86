#!/usr/bin/env bash
# soak.sh runs the chaos soak: many goroutines drive the whole life of hosted connections
# through the client against the expressconnect-local command, run as a separate process on
# 127.0.0.1, while faults are injected and the sandbox's clock is moved; at the end it checks
# the invariants and prints the figures as Markdown tables.
#
# Usage: scripts/soak.sh DURATION [FLAG...]
#
#   DURATION  how long the traffic runs, as Go writes a duration: "60s", "30m", "2h".
#   FLAG      flags of the soak command, such as -workers 64 or -seed 42 (go run ./soak -h,
#             from the repository's root, lists them).
#
# It builds cmd/expressconnect-local and the soak module's command into a temporary folder,
# then runs the soak, which starts the sandbox itself. The report goes to standard output and
# progress to standard error. It exits 0 when every invariant held, 1 when one broke (named on
# standard error, with evidence), and 2 when the soak could not run. docs/soak.md says what it
# checks and why the thresholds are what they are.
#
# Run it from anywhere; it changes to the repository's root first.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -lt 1 ]; then
	echo "usage: scripts/soak.sh DURATION [FLAG...]" >&2
	exit 2
fi
duration="$1"
shift

bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT

CGO_ENABLED=0 go build -trimpath -o "$bin/expressconnect-local" ./cmd/expressconnect-local
(cd soak && go build -o "$bin/soak" .)
"$bin/soak" -duration "$duration" -sandbox "$bin/expressconnect-local" "$@"
