// Command benchserver runs the benchmarks' loopback endpoint on its own: it listens on
// 127.0.0.1 at a free port, prints the address, verifies the signature of every request
// (AccessKey LTAI5tHarnessTestKey0001 with the fixture secret) and answers with the documented
// success body, until its standard input is closed (Ctrl-D). GET /_stats shows the counters.
//
// The benchmarks themselves start the same server by re-running their test binary; this
// command is for poking at it by hand.
package main

import (
	"fmt"
	"os"

	"github.com/expressconnect-go/expressconnect/benchmarks/internal/benchserver"
)

func main() {
	if err := benchserver.Run(os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
