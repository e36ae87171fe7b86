// Command benchtable prints the README's performance table from raw `go test -bench` output
// files (benchmarks module and root package, concatenated or separate): the median ns/op,
// B/op and allocs/op of each benchmark with its ratio to the section's baseline, then whether
// each performance target is met. It exits 0 even when targets are missed; the verdicts are
// in the output.
//
// Usage:
//
//	benchtable FILE...
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/expressconnect-go/expressconnect/benchmarks/internal/benchtable"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

func run(files []string, out io.Writer) error {
	if len(files) == 0 {
		return errors.New("usage: benchtable FILE [FILE]")
	}
	readers := make([]io.Reader, 0, len(files))
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		readers = append(readers, f)
	}
	res, err := benchtable.Parse(io.MultiReader(readers...))
	if err != nil {
		return err
	}
	if err := benchtable.WriteTable(out, res); err != nil {
		return err
	}
	if _, err := fmt.Fprintln(out); err != nil {
		return err
	}
	_, err = benchtable.WriteTargets(out, res)
	return err
}
