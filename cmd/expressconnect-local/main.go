// Command expressconnect-local serves a local Express Connect endpoint for the life of hosted
// connections (package expressconnecttest: CreateVirtualPhysicalConnection,
// ListVirtualPhysicalConnections, UpdateVirtualPhysicalConnection and DeletePhysicalConnection)
// so that tools in any language (the aliyun CLI, Terraform, Python SDKs) can be tested against
// it. It prints the endpoint
// URL and the credentials to use, logs one line per request to standard error, and exits
// cleanly on SIGINT or SIGTERM.
//
// Logging never holds up an answer: request lines wait in a bounded queue for a writer of
// their own, and when standard error does not keep up (a pipe nobody reads), the lines that do
// not fit are dropped and counted; the count is logged once the writer catches up, and printed
// with the last line on standard output when the command stops. Stopping waits at most half a
// second for the lines still queued. The command keeps no record of past requests in memory.
//
// Usage:
//
//	go run ./cmd/expressconnect-local -addr 127.0.0.1:8080
//
// Flags:
//
//	-addr               address to listen on (default 127.0.0.1:8080)
//	-region             region of the server and its circuit (default cn-hangzhou)
//	-access-key-id      AccessKey ID to accept (default random; needs -access-key-secret)
//	-access-key-secret  AccessKey secret to accept (default random)
//	-quiet              do not log requests
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "expressconnect-local:", err)
		os.Exit(1)
	}
}

// settings are the command's flags.
type settings struct {
	addr, region, keyID, keySecret string
	quiet                          bool
}

// parseFlags reads args into settings.
func parseFlags(args []string, stderr io.Writer) (settings, error) {
	var s settings
	fs := flag.NewFlagSet("expressconnect-local", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&s.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&s.region, "region", expressconnecttest.DefaultRegionID, "region of the server and its circuit")
	fs.StringVar(&s.keyID, "access-key-id", "", "AccessKey ID to accept (default random)")
	fs.StringVar(&s.keySecret, "access-key-secret", "", "AccessKey secret to accept (default random)")
	fs.BoolVar(&s.quiet, "quiet", false, "do not log requests")
	if err := fs.Parse(args); err != nil {
		return s, err
	}
	if fs.NArg() > 0 {
		return s, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if (s.keyID == "") != (s.keySecret == "") {
		return s, errors.New("-access-key-id and -access-key-secret go together")
	}
	return s, nil
}

// run serves until ctx is done, printing the banner to stdout and request lines to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	set, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", set.addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", set.addr, err)
	}
	opts := []expressconnecttest.Option{expressconnecttest.WithListener(l), expressconnecttest.WithRegion(set.region),
		expressconnecttest.WithRequestLogSize(0)} // nothing here reads Server.Requests
	if set.keyID != "" {
		opts = append(opts, expressconnecttest.WithAccessKey(set.keyID, set.keySecret))
	}
	var reqLog *lineLog
	if !set.quiet {
		reqLog = newLineLog(stderr, logQueueLines)
		opts = append(opts, expressconnecttest.WithRequestObserver(func(r expressconnecttest.Request) {
			reqLog.Print(requestLine(r))
		}))
	}
	srv, err := expressconnecttest.NewServer(opts...)
	if err != nil {
		_ = l.Close()
		if reqLog != nil {
			reqLog.Close(shutdownGrace)
		}
		return err
	}
	printBanner(stdout, srv)
	<-ctx.Done()
	srv.Close()
	fmt.Fprintln(stdout, stoppedLine(reqLog))
	return nil
}

// stoppedLine stops the request log, if any, and returns the last line to print, with the
// number of request lines dropped from the log.
func stoppedLine(log *lineLog) string {
	const stopped = "expressconnect-local: stopped"
	if log == nil {
		return stopped
	}
	if n := log.Close(shutdownGrace); n > 0 {
		return fmt.Sprintf("%s; %d request log lines were dropped: standard error was not keeping up", stopped, n)
	}
	return stopped
}

// printBanner prints the endpoint and the credentials to use.
func printBanner(w io.Writer, srv *expressconnecttest.Server) {
	stsID, stsSecret, stsToken := srv.STSCredentials()
	fmt.Fprintf(w, "expressconnect-local listening on %s\n\n", srv.URL())
	fmt.Fprintf(w, "  Endpoint         %s\n", srv.URL())
	fmt.Fprintf(w, "  Actions          %s\n", strings.Join(expressconnecttest.Actions(), ", "))
	fmt.Fprintf(w, "  Region           %s\n", srv.Region())
	fmt.Fprintf(w, "  Account          %s\n", srv.AccountID())
	fmt.Fprintf(w, "  Circuit          %s (enabled, %d Mbit/s, quota %d)\n",
		expressconnecttest.DefaultCircuitID, expressconnecttest.DefaultCapacityMbps, expressconnecttest.DefaultQuota)
	fmt.Fprintf(w, "  AccessKeyId      %s\n", srv.AccessKeyID())
	fmt.Fprintf(w, "  AccessKeySecret  %s\n", srv.AccessKeySecret())
	fmt.Fprintf(w, "  STS AccessKeyId  %s\n", stsID)
	fmt.Fprintf(w, "  STS Secret       %s\n", stsSecret)
	fmt.Fprintf(w, "  STS Token        %s\n\n", stsToken)
	fmt.Fprintf(w, "For the shell (these are local test credentials):\n\n")
	fmt.Fprintf(w, "  export ALIBABA_CLOUD_ACCESS_KEY_ID=%s\n", srv.AccessKeyID())
	fmt.Fprintf(w, "  export ALIBABA_CLOUD_ACCESS_KEY_SECRET=%s\n", srv.AccessKeySecret())
	fmt.Fprintf(w, "  export ALIBABA_CLOUD_REGION_ID=%s\n\n", srv.Region())
	fmt.Fprintf(w, "Press Ctrl+C to stop.\n")
}

// requestLine describes one request in one line: its time, RequestId, method, status, action,
// and the error code or the hosted connection it concerned.
func requestLine(r expressconnecttest.Request) string {
	outcome := string(r.Code)
	if outcome == "" {
		outcome = r.ConnectionID
	}
	line := fmt.Sprintf("%s %s %s %d %s", r.Time.Format("15:04:05"), r.RequestID, r.Method, r.StatusCode, logField(r.Action))
	if outcome != "" {
		line += " " + outcome
	}
	if r.Fault != expressconnecttest.FaultNone {
		line += " (" + r.Fault.String() + ")"
	}
	return line
}

// maxLogField is the longest client-chosen text a request line shows.
const maxLogField = 64

// logField returns s as a request line shows text the client chose: "-" when empty, else at
// most maxLogField bytes, quoted unless it holds only letters, digits and '.', so that no
// client can break a line or forge one.
func logField(s string) string {
	if s == "" {
		return "-"
	}
	if len(s) > maxLogField {
		s = s[:maxLogField]
	}
	if strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.") != "" {
		return strconv.Quote(s)
	}
	return s
}
