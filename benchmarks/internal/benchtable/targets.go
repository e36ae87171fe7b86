package benchtable

import (
	"fmt"
	"io"
	"strings"
)

// The performance targets.
const (
	maxCallRatio        = 1.15      // full call ns/op against the signed floor, serial and parallel
	maxCallAllocs       = 150       // allocs/op of a full call
	maxCallBytes        = 20 * 1024 // B/op of a full call ("20 KB")
	minSignSpeedup      = 5.0       // official signing ns/op over this SDK's
	maxSignAllocs       = 10        // allocs/op of this SDK's signing
	maxClientSideOfCall = 0.10      // 20-tag validation and encoding against the full call
	minListAllocsFewer  = 3.0       // Tea's allocs/op of a 100-item list page over this SDK's
	maxListRatioToTea   = 1.0       // this SDK's ns/op of a 100-item list page against Tea's
)

// check is one target: a description and a way to judge it from the results.
type check struct {
	name  string
	judge func(Results) (met bool, detail string, err error)
}

// targets returns the performance targets: the full call's and signing's, then the list's.
func targets() []check {
	return []check{
		{"full call ns/op ≤ 1.15× signed floor (serial)", ratioAtMost("Call/client=sdk", "Call/client=floor-signed", "ns/op", maxCallRatio)},
		{"full call allocs/op ≤ 150", valueAtMost("Call/client=sdk", "allocs/op", maxCallAllocs)},
		{"full call B/op ≤ 20 KB", valueAtMost("Call/client=sdk", "B/op", maxCallBytes)},
		{"signing ≥ 5× faster than Tea's", ratioAtLeast("Sign/signer=tea", "Sign/signer=sdk", "ns/op", minSignSpeedup)},
		{"signing ≥ 5× faster than the old SDK's", ratioAtLeast("Sign/signer=old", "Sign/signer=sdk", "ns/op", minSignSpeedup)},
		{"signing allocs/op ≤ 10", valueAtMost("Sign/signer=sdk", "allocs/op", maxSignAllocs)},
		{"parallel full call ns/op close to the floor's (≤ 1.15× signed floor, parallel)",
			ratioAtMost("CallParallel/client=sdk", "CallParallel/client=floor-signed", "ns/op", maxCallRatio)},
		{"validation+encoding of 20 tags < 1/10 of the call", validateEncodeShare},
		{"list of 100: ≥ 3× fewer allocs/op than Tea", ratioAtLeast("List/client=tea", "List/client=sdk", "allocs/op", minListAllocsFewer)},
		{"list of 100: ns/op ≤ Tea's", ratioAtMost("List/client=sdk", "List/client=tea", "ns/op", maxListRatioToTea)},
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
