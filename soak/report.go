package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// mib is a mebibyte, in bytes.
const mib = 1 << 20

// result is what a run measured, and what print reports.
type result struct {
	set        settings
	elapsed    time.Duration // how long the traffic ran
	half       time.Duration // where the second half begins
	clientDesc []string

	finalErr, stopErr error
	remaining         int // hosted connections not deleted at the end

	goStart, goEnd     int
	heapStart, heapEnd uint64
	goroutines, heap   []point
	own                []point // goroutines less two per open connection
	openConns          []point // the clients' connections open
	dialed             int64
	rss                []point
	rssErr             error
	ops                *opStats
	api                map[string]apiCounters
	perClient          []apiCounters // in the order of clientDesc
	injected           map[string]int64
	injectFailed       int64
	maxOffset          time.Duration
	stderrLines        int64
	stdoutLines        int64
	applied, codes     map[string]int64
	scanned, hits      map[string]int64
	hitSamples         []string
	slogRecords        int64
	orders             orderFigures
	traffic            *trafficFigures
	adminErrors        int64
	requestsRead       int64
}

// check is one invariant's outcome.
type check struct {
	n        int // 0 for a check of the run itself
	name     string
	ok       bool
	figure   string
	evidence []string
}

// checks evaluates the invariants.
func (r *result) checks() []check {
	var out []check

	out = append(out, check{n: 1, name: "no second hosted connection for any token",
		ok:       r.orders.tokensWithTwo == 0,
		figure:   fmt.Sprintf("%d tokens with >1 hosted connection, in %d snapshots (largest %d)", r.orders.tokensWithTwo, r.orders.snapshots, r.orders.largestSnapshot),
		evidence: r.orders.evidence[1]})

	o := r.orders
	out = append(out, check{n: 2, name: "every order done or reported with its token",
		ok:       o.lost == 0 && o.done+o.reported+o.lost == o.opened && o.confirmed == o.done,
		figure:   fmt.Sprintf("%d orders: %d done (%d confirmed by the sandbox), %d reported with token, %d lost", o.opened, o.done, o.confirmed, o.reported, o.lost),
		evidence: o.evidence[2]})

	hits := sum(r.hits)
	var samples []string
	if hits > 0 {
		samples = r.hitSamples
	}
	out = append(out, check{n: 3, name: "no secret in any error or log line",
		ok: hits == 0, figure: fmt.Sprintf("%d hits in %d texts scanned", hits, sum(r.scanned)), evidence: samples})

	gf, hf := fitLine(since(r.own, r.half)), fitLine(since(r.heap, r.half))
	rise := r.goEnd - r.goStart
	var ev []string
	if gf.growing(r.set.maxGoSlope) {
		ev = append(ev, fmt.Sprintf("goroutines (less two per open connection) grow %.2f/min (± %.2f) over the second half, limit %.2f/min", gf.slope, gf.stderr, r.set.maxGoSlope))
	}
	if rise > r.set.maxGoRise {
		ev = append(ev, fmt.Sprintf("goroutines once quiet: %d, %d more than before the traffic (limit %d)", r.goEnd, rise, r.set.maxGoRise))
	}
	if hf.growing(r.set.maxHeapSlope * mib) {
		ev = append(ev, fmt.Sprintf("heap grows %.3f MiB/min (± %.3f) over the second half, limit %.2f MiB/min", hf.slope/mib, hf.stderr/mib, r.set.maxHeapSlope))
	}
	out = append(out, check{n: 4, name: "driver's goroutines and heap flat", ok: len(ev) == 0,
		figure: fmt.Sprintf("goroutines less two per connection %s/min, rise once quiet %+d; heap %s MiB/min", fitText(gf, 1), rise, fitText(hf, mib)), evidence: ev})

	_, peak, _ := bounds(r.rss)
	c5 := check{n: 5, name: "sandbox RSS bounded", ok: peak <= float64(r.set.maxSandboxRSS*mib),
		figure: fmt.Sprintf("peak %.1f MiB, limit %d MiB", peak/mib, r.set.maxSandboxRSS)}
	if r.rssErr != nil {
		c5.ok, c5.figure = false, "not measured: "+r.rssErr.Error()
	} else if !c5.ok {
		c5.evidence = []string{fmt.Sprintf("VmRSS reached %.1f MiB", peak/mib)}
	}
	out = append(out, c5)

	var runEv []string
	for _, err := range []error{r.finalErr, r.stopErr} {
		if err != nil {
			runEv = append(runEv, err.Error())
		}
	}
	out = append(out, check{name: "the sandbox answered the final checks and stopped cleanly", ok: len(runEv) == 0,
		figure: "exit status 0 on SIGTERM", evidence: runEv})
	return out
}

// fitText formats a slope and its standard error, divided by unit.
func fitText(f fit, unit float64) string {
	if math.IsInf(f.stderr, 1) {
		return "n/a (too few samples)"
	}
	return fmt.Sprintf("%+.3f ± %.3f", f.slope/unit, f.stderr/unit)
}

// print writes the report as Markdown tables to w and returns the invariants that broke, each
// with its evidence, on one line.
func (r *result) print(w io.Writer) []string {
	checks := r.checks()
	gf, of, hf := fitLine(since(r.goroutines, r.half)), fitLine(since(r.own, r.half)), fitLine(since(r.heap, r.half))
	rssStart, rssPeak, rssEnd := bounds(r.rss)
	tf := r.traffic
	tf.mu.Lock()
	iterations, created, gone, parked, left, missing, exhausted := tf.iterations, tf.created, tf.gone, tf.parked, tf.left, tf.listAllMissing, tf.vlanExhausted
	tf.mu.Unlock()

	var attempts, calls, failedCalls, transient, throttled, skew, noAnswer int64
	var rateWait time.Duration
	for _, c := range r.api {
		attempts += c.attempts
		calls += c.calls
		failedCalls += c.failedCalls
		transient += c.transient
		throttled += c.throttled
		skew += c.clockSkew
		noAnswer += c.noAnswer
		rateWait += c.rateLimitWait
	}
	var injected int64
	for _, v := range r.injected {
		injected += v
	}
	o := r.orders

	fmt.Fprintf(w, "## Soak: %s, %d workers\n\n", r.set.duration, r.set.workers)
	table(w, []string{"Figure", "Value"}, [][]string{
		{"duration", fmt.Sprintf("%s of traffic (asked: %s)", r.elapsed.Round(time.Second), r.set.duration)},
		{"goroutines driving", fmt.Sprintf("%d workers on %d circuits, over %d clients: %s", r.set.workers, r.set.circuits, len(r.clientDesc), strings.Join(r.clientDesc, "; "))},
		{"seed", fmt.Sprint(r.set.seed)},
		{"orders", fmt.Sprintf("%d: %d done (%d confirmed by the sandbox), %d reported with token (%d of them created on the sandbox all the same), **%d lost**", o.opened, o.done, o.confirmed, o.reported, o.reportedCreated, o.lost)},
		{"tokens with >1 hosted connection", fmt.Sprintf("**%d** (%d snapshots, the largest of %d hosted connections)", o.tokensWithTwo, o.snapshots, o.largestSnapshot)},
		{"secret hits", fmt.Sprintf("**%d** in %d texts scanned", sum(r.hits), sum(r.scanned))},
		{"goroutines (driver)", fmt.Sprintf("start %d, end %d once quiet; slope over the second half %s /min, less two per open connection %s /min", r.goStart, r.goEnd, fitText(gf, 1), fitText(of, 1))},
		{"client connections (driver)", connText(r.openConns, r.dialed)},
		{"heap in use after GC (driver)", fmt.Sprintf("start %.1f MiB, end %.1f MiB; slope over the second half %s MiB/min", float64(r.heapStart)/mib, float64(r.heapEnd)/mib, fitText(hf, mib))},
		{"sandbox RSS", rssText(r.rssErr, rssStart, rssPeak, rssEnd) + "; slope over the second half " + fitText(fitLine(since(r.rss, r.half)), mib) + " MiB/min"},
		{"client calls / attempts", fmt.Sprintf("%d calls (%d failed), %d attempts, %.3f attempts a call", calls, failedCalls, attempts, ratio(attempts, calls))},
		{"client retries", fmt.Sprintf("%d: %d transient, %d throttled, %d clock skew; %d attempts without an answer; %s waited for the adaptive rate limiter", transient+throttled+skew, transient, throttled, skew, noAnswer, rateWait.Round(time.Millisecond))},
		{"faults injected", fmt.Sprintf("%d (%d injections refused); largest clock offset %s", injected, r.injectFailed, r.maxOffset)},
		{"lifecycles", fmt.Sprintf("%d rounds; %d hosted connections created, %d seen gone, %d parked after a failed step, %d still parked at the end, %d not deleted on the sandbox at the end", iterations, created, gone, parked, left, r.remaining)},
		{"listing anomalies", fmt.Sprintf("%d live hosted connections missing from their worker's own listing; %d times a worker had no free VLAN", missing, exhausted)},
		{"logs scanned", fmt.Sprintf("%d client slog records, %d sandbox stderr lines, %d sandbox stdout lines after the banner, %d request-log records", r.slogRecords, r.stderrLines, r.stdoutLines, r.requestsRead)},
		{"checks of the orders that could not read the sandbox", fmt.Sprint(r.adminErrors)},
	})

	names, ok, ko := r.ops.counts()
	var rows [][]string
	for _, n := range names {
		rows = append(rows, []string{n, fmt.Sprint(ok[n]), fmt.Sprint(ko[n])})
	}
	fmt.Fprintf(w, "\n### Operations of the workers\n\n")
	table(w, []string{"Operation", "ok", "error"}, rows)

	if samples := r.ops.errorSamples(); len(samples) > 0 {
		fmt.Fprintf(w, "\nThe first errors of each operation (most are the injected faults, as the client reports them once its retries are spent):\n\n")
		for _, n := range sortedKeys(samples) {
			for _, e := range samples[n] {
				fmt.Fprintf(w, "- %s: %s\n", n, e)
			}
		}
	}

	rows = nil
	for _, n := range sortedKeys(r.api) {
		c := r.api[n]
		rows = append(rows, []string{n, fmt.Sprint(c.calls), fmt.Sprint(c.failedCalls), fmt.Sprint(c.attempts),
			fmt.Sprint(c.transient), fmt.Sprint(c.throttled), fmt.Sprint(c.clockSkew), fmt.Sprint(c.noAnswer)})
	}
	fmt.Fprintf(w, "\n### API calls, as the clients' observers saw them\n\n")
	table(w, []string{"Action", "calls", "failed", "attempts", "transient retries", "throttled retries", "clock-skew retries", "no answer"}, rows)

	rows = nil
	for i, c := range r.perClient {
		rows = append(rows, []string{r.clientDesc[i], fmt.Sprint(c.calls), fmt.Sprint(c.failedCalls), fmt.Sprint(c.attempts),
			fmt.Sprint(c.transient + c.throttled + c.clockSkew), c.rateLimitWait.Round(time.Millisecond).String(),
			c.longestRateLimitWait.Round(time.Millisecond).String(), fmt.Sprint(c.rateLimitWaitsOver1s)})
	}
	fmt.Fprintf(w, "\nBy client:\n\n")
	table(w, []string{"Client", "calls", "failed", "attempts", "retries", "rate-limiter wait", "longest", "waits > 1 s"}, rows)

	rows = nil
	for _, n := range sortedKeys(r.injected) {
		rows = append(rows, []string{n, fmt.Sprint(r.injected[n])})
	}
	fmt.Fprintf(w, "\n### Faults injected\n\n")
	table(w, []string{"Kind", "injected"}, rows)
	rows = nil
	for _, n := range sortedKeys(r.applied) {
		rows = append(rows, []string{n, fmt.Sprint(r.applied[n])})
	}
	fmt.Fprintf(w, "\nFaults the sandbox logged as applied (a fault limited to an action waits for its request; those left at the end were cleared):\n\n")
	table(w, []string{"Sandbox fault", "requests"}, rows)
	rows = nil
	for _, n := range sortedKeys(r.codes) {
		rows = append(rows, []string{n, fmt.Sprint(r.codes[n])})
	}
	fmt.Fprintf(w, "\nError codes the sandbox answered, from its log (the injected ones, and the clock steps' InvalidTimeStamp.Expired):\n\n")
	table(w, []string{"Code", "answers"}, rows)

	rows = nil
	var broken []string
	for _, c := range checks {
		num, result := "-", "ok"
		if c.n > 0 {
			num = fmt.Sprint(c.n)
		}
		if !c.ok {
			result = "**FAILED**"
			line := c.name + ": " + c.figure
			if len(c.evidence) > 0 {
				line += "; " + strings.Join(c.evidence, "; ")
			}
			if c.n > 0 {
				line = fmt.Sprintf("invariant %d (%s)", c.n, line)
			}
			broken = append(broken, line)
		}
		rows = append(rows, []string{num, c.name, result, c.figure})
	}
	fmt.Fprintf(w, "\n### Invariants\n\n")
	table(w, []string{"#", "Invariant", "Result", "Figure"}, rows)
	for _, c := range checks {
		if !c.ok && len(c.evidence) > 0 {
			fmt.Fprintf(w, "\nEvidence, %s:\n\n", c.name)
			for _, e := range c.evidence {
				fmt.Fprintf(w, "- %s\n", e)
			}
		}
	}
	fmt.Fprintf(w, "\nThresholds (docs/soak.md says why): goroutine slope %.2f/min and heap slope %.2f MiB/min over the second half, failed only when also more than 3 standard errors above 0; goroutines once quiet at most %d above the start; sandbox RSS at most %d MiB, with -retention %s.\n",
		r.set.maxGoSlope, r.set.maxHeapSlope, r.set.maxGoRise, r.set.maxSandboxRSS, r.set.retention)
	return broken
}

// connText formats the figures of the clients' connections.
func connText(open []point, dialed int64) string {
	first, peak, last := bounds(open)
	return fmt.Sprintf("%d dialed; open: start %.0f, peak %.0f, end of traffic %.0f", dialed, first, peak, last)
}

// rssText formats the sandbox's RSS figures.
func rssText(err error, start, peak, end float64) string {
	if err != nil {
		return "not measured: " + err.Error()
	}
	return fmt.Sprintf("start %.1f MiB, peak %.1f MiB, end %.1f MiB", start/mib, peak/mib, end/mib)
}

// ratio returns a/b, or 0 when b is 0.
func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// sum adds up the values of m.
func sum(m map[string]int64) (n int64) {
	for _, v := range m {
		n += v
	}
	return n
}

// table writes a Markdown table, escaping the cells' pipes.
func table(w io.Writer, header []string, rows [][]string) {
	line := func(cells []string) {
		esc := make([]string, len(cells))
		for i, c := range cells {
			esc[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(esc, " | "))
	}
	line(header)
	seps := make([]string, len(header))
	for i := range seps {
		seps[i] = "---"
		if i > 0 && len(rows) > 0 && isNumber(rows[0][i]) {
			seps[i] = "---:"
		}
	}
	fmt.Fprintf(w, "|%s|\n", strings.Join(seps, "|"))
	for _, r := range rows {
		line(r)
	}
}

// isNumber reports whether s is a whole number.
func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
