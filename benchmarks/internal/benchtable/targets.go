package benchtable

import (
	"fmt"
	"io"
	"strings"
)

// The performance targets.
const (
	maxCallRatio         = 1.05   // full call ns/op against the signed floor, serial
	maxParallelCallRatio = 1.10   // full call ns/op against the signed floor, parallel
	maxCallAllocs        = 110    // allocs/op of a full call
	maxCallBytes         = 14000  // B/op of a full call ("14 KB")
	maxSignShareOfCall   = 0.10   // this SDK's signing against its full serial call
	maxClientSideOfCall  = 0.10   // 20-tag validation and encoding against the full call
	minListAllocsFewer   = 3.0    // Tea's allocs/op of a 100-item list page over this SDK's
	maxListRatioToTea    = 1.0    // this SDK's ns/op of a 100-item list page against Tea's
	maxListRatioToOld    = 1.0    // this SDK's ns/op of a 100-item list page against the old SDK's
	maxListBytes         = 300000 // B/op of a 100-item list page ("300 KB")
	maxListAllocs        = 1500   // allocs/op of a 100-item list page
)

// check is one target: a description, whose numbers come from the constants above, and a way
// to judge it from the results.
type check struct {
	name  string
	judge func(Results) (met bool, detail string, err error)
}

// targets returns the performance targets: the full call's, signing's share of it, then the
// list's. Signing is judged only as its share of a call: it costs microseconds of a call that
// costs hundreds on loopback and tens of milliseconds against the service.
func targets() []check {
	return []check{
		{fmt.Sprintf("full call ns/op ≤ %.2f× signed floor (serial)", maxCallRatio),
			ratioAtMost("Call/client=sdk", "Call/client=floor-signed", "ns/op", maxCallRatio)},
		{fmt.Sprintf("full call allocs/op ≤ %d", maxCallAllocs), valueAtMost("Call/client=sdk", "allocs/op", maxCallAllocs)},
		{fmt.Sprintf("full call B/op ≤ %d KB", maxCallBytes/1000), valueAtMost("Call/client=sdk", "B/op", maxCallBytes)},
		{fmt.Sprintf("parallel full call ns/op ≤ %.2f× signed floor (parallel)", maxParallelCallRatio),
			ratioAtMost("CallParallel/client=sdk", "CallParallel/client=floor-signed", "ns/op", maxParallelCallRatio)},
		{fmt.Sprintf("signing < 1/%.0f of the call", 1/maxSignShareOfCall),
			ratioAtMost("Sign/signer=sdk", "Call/client=sdk", "ns/op", maxSignShareOfCall)},
		{fmt.Sprintf("validation+encoding of 20 tags < 1/%.0f of the call", 1/maxClientSideOfCall), validateEncodeShare},
		{fmt.Sprintf("list of 100: ≥ %.0f× fewer allocs/op than Tea", minListAllocsFewer),
			ratioAtLeast("List/client=tea", "List/client=sdk", "allocs/op", minListAllocsFewer)},
		{"list of 100: ns/op ≤ Tea's", ratioAtMost("List/client=sdk", "List/client=tea", "ns/op", maxListRatioToTea)},
		{"list of 100: ns/op below the old SDK's", ratioBelow("List/client=sdk", "List/client=old", "ns/op", maxListRatioToOld)},
		{fmt.Sprintf("list of 100: B/op ≤ %d KB", maxListBytes/1000), valueAtMost("List/client=sdk", "B/op", maxListBytes)},
		{fmt.Sprintf("list of 100: allocs/op ≤ %s", formatValue(maxListAllocs)), valueAtMost("List/client=sdk", "allocs/op", maxListAllocs)},
	}
}

// WriteTargets writes one line per target: MET, MISSED or UNKNOWN (a row is missing), with the
// numbers behind it. It returns how many targets were missed.
func WriteTargets(w io.Writer, r Results) (missed int, err error) {
	var b strings.Builder
	b.WriteString("Targets, from the medians above\n\n")
	for _, t := range targets() {
		met, detail, jerr := t.judge(r)
		verdict := "MET"
		switch {
		case jerr != nil:
			verdict, detail = "UNKNOWN", jerr.Error()
		case !met:
			verdict = "MISSED"
			missed++
		}
		fmt.Fprintf(&b, "- %-7s %s: %s\n", verdict, t.name, detail)
	}
	_, err = io.WriteString(w, b.String())
	return missed, err
}

// validateEncodeShare judges the cost of validating and encoding a 20-tag request against the
// full serial call: from the root package's ValidateEncode/tags=20 when run.sh found it, else
// from ClientSide/client=sdk/tags=20, an upper bound (it also signs and decodes).
func validateEncodeShare(r Results) (bool, string, error) {
	row, note := "ValidateEncode/tags=20", ""
	if _, ok := r.Median(row, "ns/op"); !ok {
		row, note = "ClientSide/client=sdk/tags=20", " (upper bound: whole call without network; ValidateEncode/tags=20 not run)"
	}
	met, detail, err := ratioAtMost(row, "Call/client=sdk", "ns/op", maxClientSideOfCall)(r)
	return met, detail + note, err
}

// ratioAtMost judges row/base ≤ limit in unit.
func ratioAtMost(row, base, unit string, limit float64) func(Results) (bool, string, error) {
	return func(r Results) (bool, string, error) {
		q, err := ratio(r, row, base, unit)
		if err != nil {
			return false, "", err
		}
		return q <= limit, fmt.Sprintf("%.2f× (limit %.2f×)", q, limit), nil
	}
}

// ratioBelow judges row/base < limit in unit.
func ratioBelow(row, base, unit string, limit float64) func(Results) (bool, string, error) {
	return func(r Results) (bool, string, error) {
		q, err := ratio(r, row, base, unit)
		if err != nil {
			return false, "", err
		}
		return q < limit, fmt.Sprintf("%.2f× (below %.2f×)", q, limit), nil
	}
}

// ratioAtLeast judges row/base ≥ limit in unit.
func ratioAtLeast(row, base, unit string, limit float64) func(Results) (bool, string, error) {
	return func(r Results) (bool, string, error) {
		q, err := ratio(r, row, base, unit)
		if err != nil {
			return false, "", err
		}
		return q >= limit, fmt.Sprintf("%.2f× (at least %.2f×)", q, limit), nil
	}
}

// valueAtMost judges the median of row in unit ≤ limit.
func valueAtMost(row, unit string, limit float64) func(Results) (bool, string, error) {
	return func(r Results) (bool, string, error) {
		v, ok := r.Median(row, unit)
		if !ok {
			return false, "", fmt.Errorf("no samples of %s", row)
		}
		return v <= limit, fmt.Sprintf("%s %s (limit %s)", formatValue(v), unit, formatValue(limit)), nil
	}
}

// ratio returns the ratio of the medians of row and base in unit.
func ratio(r Results, row, base, unit string) (float64, error) {
	v, ok := r.Median(row, unit)
	if !ok {
		return 0, fmt.Errorf("no samples of %s", row)
	}
	d, ok := r.Median(base, unit)
	if !ok || d == 0 {
		return 0, fmt.Errorf("no samples of %s", base)
	}
	return v / d, nil
}
