package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// main runs the command line, and cancels the command's context on the first SIGINT or
// SIGTERM, so that the command prints how to resume before it exits.
func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-signals
		// A second Ctrl-C ends the process at once, as the shell's default does.
		signal.Stop(signals)
		cancel(errInterrupted)
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	cancel(nil)
	os.Exit(code)
}
