// Package benchtable turns raw `go test -bench` output into the performance table of the
// README: the median ns/op, B/op and allocs/op of each benchmark, each with its ratio to a
// baseline row, and a check of the performance targets.
package benchtable

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// RootPackage is the import path of the SDK itself, whose signing benchmark run.sh merges in.
const RootPackage = "github.com/expressconnect-go/expressconnect"

// Units returns the measurements the table shows, in order.
func Units() []string { return []string{"ns/op", "B/op", "allocs/op"} }

// Results maps a benchmark name (without "Benchmark" and the -GOMAXPROCS suffix) to its
// samples per unit.
type Results map[string]map[string][]float64

// Parse reads `go test -bench` output (several runs and packages may be concatenated) and
// returns the samples of every benchmark. Benchmarks of RootPackage are renamed by
// rootAlias (its "Sign" becomes "Sign/signer=sdk"), so that they sit next to
// the benchmarks module's rows.
func Parse(r io.Reader) (Results, error) {
	res := Results{}
	pkg := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(p)
			continue
		}
		name, values, ok := parseLine(line)
		if !ok {
			continue
		}
		if pkg == RootPackage {
			name = rootAlias(name)
		}
		if res[name] == nil {
			res[name] = map[string][]float64{}
		}
		for unit, v := range values {
			res[name][unit] = append(res[name][unit], v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("benchtable: read: %w", err)
	}
	return res, nil
}

// rootAlias returns the name a root package benchmark has in this module's table: its
// BenchmarkSign, which has no sub-benchmark, is "Sign/signer=sdk"; others keep their name.
func rootAlias(name string) string {
	if name == "Sign" {
		return "Sign/signer=sdk"
	}
	return name
}

// parseLine parses one result line such as
// "BenchmarkCall/client=sdk-2   4000   250172 ns/op   5173 B/op   59 allocs/op".
func parseLine(line string) (name string, values map[string]float64, ok bool) {
	fields := strings.Fields(line)
	if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
		return "", nil, false
	}
	if _, err := strconv.Atoi(fields[1]); err != nil {
		return "", nil, false
	}
	name = strings.TrimPrefix(fields[0], "Benchmark")
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			name = name[:i]
		}
	}
	values = map[string]float64{}
	for i := 2; i+1 < len(fields); i += 2 {
		v, err := strconv.ParseFloat(fields[i], 64)
		if err != nil {
			return "", nil, false
		}
		values[fields[i+1]] = v
	}
	return name, values, true
}

// Median returns the median of the named benchmark's samples in unit, and whether there are any.
func (r Results) Median(name, unit string) (float64, bool) {
	s := slices.Clone(r[name][unit])
	if len(s) == 0 {
		return 0, false
	}
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2], true
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2, true
}
