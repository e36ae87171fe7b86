// Command soak is a chaos soak of the client against the expressconnect-local command: many
// goroutines drive the whole life of hosted connections (create with a stored idempotency
// token, list and iterate, describe, wait, update, accept and enable as the tenant and billing,
// terminate, cancel, delete) through three clients (an AccessKey with the RPC signature, STS
// credentials with the V3 signature, and an AccessKey with the V3 signature and the adaptive
// rate limiter), while a chaos goroutine injects faults through the admin API at random
// intervals (throttling, 5xx and HTML 502 answers, truncated, slow and dripping answers,
// connection resets and closes before and after the request was handled) and moves the
// sandbox's clock, within and beyond the 15 minutes the service accepts, so that the client's
// clock-skew correction has to act.
//
// Run it through scripts/soak.sh, which builds this command and cmd/expressconnect-local:
//
//	scripts/soak.sh 60s
//	scripts/soak.sh 30m -workers 64
//
// or directly, given the built sandbox:
//
//	go run . -duration 60s -sandbox /path/to/expressconnect-local
//
// It starts the sandbox as a separate process on 127.0.0.1 with a free port, the admin API on
// and a random admin token, with random credentials of its own and a retention of 10 minutes,
// and sends traffic to loopback only. At the end it checks five invariants and prints the
// figures as Markdown tables on standard output; progress goes to standard error. It exits 0
// when every invariant holds, 1 when one broke (each broken invariant is named, with
// evidence), and 2 when the run could not be made (a bad flag, a sandbox that did not start).
//
// The invariants, which docs/soak.md explains with the thresholds:
//
//  1. No token has two hosted connections: in every snapshot of the sandbox's hosted
//     connections (Admin.Connections, deleted ones included), taken periodically, before each
//     step forward of the sandbox's clock and at the end, each ClientToken maps to at most one
//     ID.
//  2. Every order is done or reported with its token: an order records its token before its
//     first call and every retry reuses it; it is done when the client returned an ID that the
//     sandbox holds under that token, and reported when the client's last error is an
//     *OperationError that carries the token and whose text shows it. Any other end is lost,
//     and one lost order fails the run.
//  3. No secret in any error or log: the AccessKeySecrets, the unmasked middle of the
//     AccessKeyIds, the STS SecurityToken and the admin token, raw in any letter case,
//     percent-encoded once or twice, JSON-escaped and in base64 (standard and URL alphabets, at
//     any alignment), never appear in the %v, %+v and %#v of any error a call or an attempt
//     returned, in the client's slog records (LogObserver), in the sandbox's standard error or
//     its standard output after the banner (which prints the credentials by design), nor in
//     the sandbox's request log (Admin.Requests; the AccessKeyId, which it keeps on purpose,
//     is not looked for there).
//  4. The driver's goroutines and heap are flat: sampled every second (the heap in use after
//     runtime.GC, the goroutines less the two net/http runs for each open connection), their
//     least-squares slope per minute over the second half of the run must
//     stay under -max-goroutine-slope and -max-heap-slope, or be within three standard errors
//     of zero (a run too short to tell noise from growth is not failed); and once the traffic
//     has stopped and idle connections are closed, the goroutines must be back within
//     -max-goroutine-rise of the count before the traffic began.
//  5. The sandbox's resident memory is bounded: its VmRSS (from /proc) sampled every second
//     must stay under -max-sandbox-rss.
package main
