package benchtable

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Section is one block of the table: rows whose ratios are taken against a baseline row.
type Section struct {
	Title    string
	Baseline string
	Rows     []string
}

// Sections returns the table's blocks, in order.
func Sections() []Section {
	return []Section{
		{
			Title:    "Full call, serial (× = ratio to the signed floor)",
			Baseline: "Call/client=floor-signed",
			Rows:     []string{"Call/client=sdk", "Call/client=tea", "Call/client=old", "Call/client=floor-signed", "Call/client=floor"},
		},
		{
			Title:    "Full call, b.RunParallel (× = ratio to the signed floor, parallel)",
			Baseline: "CallParallel/client=floor-signed",
			Rows: []string{"CallParallel/client=sdk", "CallParallel/client=tea", "CallParallel/client=old",
				"CallParallel/client=floor-signed", "CallParallel/client=floor"},
		},
		{
			Title:    "List, a page of 100 (× = ratio to the floor: a bare POST, io.ReadAll and encoding/json into the IDs)",
			Baseline: "List/client=floor",
			Rows:     []string{"List/client=sdk", "List/client=tea", "List/client=old", "List/client=floor", "List/client=floor-v2"},
		},
		{
			Title:    "Signing alone (× = ratio to the floor's plain stdlib signer)",
			Baseline: "Sign/signer=floor",
			Rows:     []string{"Sign/signer=sdk", "Sign/signer=tea", "Sign/signer=old", "Sign/signer=floor"},
		},
		{
			Title:    "This SDK's own work (× = ratio to its full serial call): validation and encoding alone (root package), and the whole call with the network stubbed out",
			Baseline: "Call/client=sdk",
			Rows: []string{"ValidateEncode/tags=2", "ValidateEncode/tags=20",
				"ClientSide/client=sdk/tags=2", "ClientSide/client=sdk/tags=20"},
		},
	}
}

// WriteTable writes the sections as Markdown tables of medians and ratios. A row without
// samples shows "missing".
func WriteTable(w io.Writer, r Results) error {
	var b strings.Builder
	for i, s := range Sections() {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s\n\n", s.Title)
		b.WriteString("| benchmark | ns/op | × | B/op | × | allocs/op | × |\n")
		b.WriteString("|---|---:|---:|---:|---:|---:|---:|\n")
		for _, row := range s.Rows {
			fmt.Fprintf(&b, "| %s |", row)
			for _, unit := range Units() {
				v, ok := r.Median(row, unit)
				if !ok {
					b.WriteString(" missing | |")
					continue
				}
				fmt.Fprintf(&b, " %s | %s |", formatValue(v), formatRatio(r, row, s.Baseline, unit))
			}
			b.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// formatRatio returns row/baseline in unit as "1.23", or "" when either is missing or the
// baseline is zero.
func formatRatio(r Results, row, baseline, unit string) string {
	v, ok1 := r.Median(row, unit)
	base, ok2 := r.Median(baseline, unit)
	if !ok1 || !ok2 || base == 0 {
		return ""
	}
	return strconv.FormatFloat(v/base, 'f', 2, 64)
}

// formatValue prints a median with thousands separators and no decimals (one decimal below 10).
func formatValue(v float64) string {
	if v < 10 && v != float64(int64(v)) {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	s := strconv.FormatInt(int64(v+0.5), 10)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
