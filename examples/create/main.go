// Command create creates one hosted connection (CreateVirtualPhysicalConnection) on a
// partner's Express Connect circuit and prints the result as JSON.
//
// Credentials come from credentials-go's default chain: the environment variables
// ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_SECURITY_TOKEN,
// then OIDC, the aliyun CLI's profile, the ~/.alibabacloud/credentials file, and the ECS RAM
// role. The region defaults to ALIBABA_CLOUD_REGION_ID.
//
// Usage:
//
//	go run ./examples/create -region cn-hangzhou -circuit pc-bp1... -tenant 1210123456789012 \
//	    -vlan 100 -spec 100M -order-mode PayByPhysicalConnectionOwner -name tenant-a -tag env=prod
//
// Flags:
//
//	-region       region ID (default $ALIBABA_CLOUD_REGION_ID)
//	-circuit      the partner's circuit, PhysicalConnectionId (required)
//	-tenant       the tenant's account ID, VpconnAliUid (required)
//	-vlan         VLAN 0..2999 (required; 0 is valid)
//	-spec         bandwidth: 50M 100M 200M 300M 400M 500M 1G 2G 5G 8G 10G (required)
//	-order-mode   PayByPhysicalConnectionOwner or PayByVirtualPhysicalConnectionOwner (required)
//	-name         name of the hosted connection
//	-description  description of the hosted connection
//	-resource-group  resource group ID
//	-tag k=v      a tag; repeat for more
//	-token        idempotency token (default: generated and printed)
//	-dry-run      check the request without creating anything
//	-endpoint     endpoint host or URL, such as http://127.0.0.1:8080 (default: the region's)
//
// On success it prints {"VirtualPhysicalConnectionId": ..., "RequestId": ..., "Token": ...,
// "DryRun": ...} and exits 0. On failure it prints the error's code, request ID,
// troubleshooting URL and the Token to retry with to standard error, and exits 1; bad flags
// and requests refused by validation exit 2.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/expressconnect-go/expressconnect"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run is the command: it parses args, sends the request, prints the result to stdout or the
// error to stderr, and returns the exit status. getenv supplies the default region.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	req, opts, err := parseArgs(args, stderr, getenv)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "create:", err)
		return exitUsage
	}
	client, err := expressconnect.NewClient(opts...)
	if err != nil {
		fmt.Fprintln(stderr, "create:", err)
		return exitUsage
	}
	resp, err := client.CreateVirtualPhysicalConnection(ctx, req)
	if err != nil {
		return printError(stderr, err)
	}
	return printResult(stdout, stderr, resp)
}

// vlanFlag is the -vlan flag; it remembers whether it was given, so that a missing -vlan is
// an error and never a silent VLAN 0.
type vlanFlag struct{ id expressconnect.VLANID }

func (f *vlanFlag) String() string { return f.id.String() }

func (f *vlanFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("not an integer: %q", s)
	}
	f.id = expressconnect.VLAN(n)
	return nil
}

// tagsFlag is the repeatable -tag k=v flag.
type tagsFlag []expressconnect.Tag

func (f *tagsFlag) String() string {
	parts := make([]string, len(*f))
	for i, t := range *f {
		parts[i] = t.Key + "=" + t.Value
	}
	return strings.Join(parts, ",")
}

func (f *tagsFlag) Set(s string) error {
	key, value, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("want key=value, got %q", s)
	}
	*f = append(*f, expressconnect.Tag{Key: key, Value: value})
	return nil
}

// parseArgs turns the flags into a request and the client's options.
func parseArgs(args []string, stderr io.Writer, getenv func(string) string) (*expressconnect.CreateVirtualPhysicalConnectionRequest, []expressconnect.Option, error) {
	var (
		req              expressconnect.CreateVirtualPhysicalConnectionRequest
		vlan             vlanFlag
		tags             tagsFlag
		region, endpoint string
		spec, orderMode  string
	)
	fs := flag.NewFlagSet("create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&region, "region", getenv("ALIBABA_CLOUD_REGION_ID"), "region ID (default $ALIBABA_CLOUD_REGION_ID)")
	fs.StringVar(&req.PhysicalConnectionID, "circuit", "", "the partner's circuit, PhysicalConnectionId (required)")
	fs.StringVar(&req.VpconnAliUID, "tenant", "", "the tenant's account ID, VpconnAliUid (required)")
	fs.Var(&vlan, "vlan", "VLAN 0..2999 (required; 0 is valid)")
	fs.StringVar(&spec, "spec", "", "bandwidth: 50M 100M 200M 300M 400M 500M 1G 2G 5G 8G 10G (required)")
	fs.StringVar(&orderMode, "order-mode", "", "PayByPhysicalConnectionOwner or PayByVirtualPhysicalConnectionOwner (required)")
	fs.StringVar(&req.Name, "name", "", "name of the hosted connection")
	fs.StringVar(&req.Description, "description", "", "description of the hosted connection")
	fs.StringVar(&req.ResourceGroupID, "resource-group", "", "resource group ID")
	fs.Var(&tags, "tag", "tag as key=value; repeat for more")
	fs.StringVar(&req.Token, "token", "", "idempotency token (default: generated and printed)")
	fs.BoolVar(&req.DryRun, "dry-run", false, "check the request without creating anything")
	fs.StringVar(&endpoint, "endpoint", "", "endpoint host or URL (default: the region's)")
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if fs.NArg() > 0 {
		return nil, nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if !vlan.id.IsSet() {
		return nil, nil, errors.New("-vlan is required (0 is a valid VLAN: give -vlan 0 to use it)")
	}
	req.VLANID = vlan.id
	req.Spec = expressconnect.Spec(spec)
	req.OrderMode = expressconnect.OrderMode(orderMode)
	req.Tags = tags

	var opts []expressconnect.Option
	if region != "" {
		opts = append(opts, expressconnect.WithRegion(region))
	}
	if endpoint != "" {
		opts = append(opts, expressconnect.WithEndpoint(endpoint))
	}
	return &req, opts, nil
}

// result is the JSON printed on success.
type result struct {
	VirtualPhysicalConnectionID string `json:"VirtualPhysicalConnectionId,omitempty"`
	RequestID                   string `json:"RequestId"`
	Token                       string `json:"Token"`
	DryRun                      bool   `json:"DryRun"`
}

func printResult(stdout, stderr io.Writer, resp *expressconnect.CreateVirtualPhysicalConnectionResponse) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	err := enc.Encode(result{
		VirtualPhysicalConnectionID: resp.VirtualPhysicalConnectionID,
		RequestID:                   resp.RequestID,
		Token:                       resp.Token,
		DryRun:                      resp.DryRun,
	})
	if err != nil {
		fmt.Fprintln(stderr, "create: writing the result:", err)
		return exitFailure
	}
	return exitOK
}

// printError describes err on stderr and returns the exit status.
func printError(stderr io.Writer, err error) int {
	var vErr *expressconnect.ValidationError
	if errors.As(err, &vErr) {
		fmt.Fprintln(stderr, "create: invalid request, nothing was sent:")
		for _, v := range vErr.Violations {
			fmt.Fprintf(stderr, "  %s\n", v)
		}
		return exitUsage
	}

	var apiErr *expressconnect.APIError
	if errors.As(err, &apiErr) {
		fmt.Fprintf(stderr, "create: %s: %s\n", apiErr.Code, apiErr.Message)
		fmt.Fprintf(stderr, "  HTTP status:   %d\n", apiErr.StatusCode)
		fmt.Fprintf(stderr, "  RequestId:     %s\n", apiErr.RequestID)
		if apiErr.Recommend != "" {
			fmt.Fprintf(stderr, "  Troubleshoot:  %s\n", apiErr.Recommend)
		}
	} else {
		fmt.Fprintln(stderr, "create:", err)
	}
	var opErr *expressconnect.OperationError
	if errors.As(err, &opErr) {
		fmt.Fprintf(stderr, "  Attempts:      %d\n", len(opErr.Attempts))
		fmt.Fprintf(stderr, "  Token:         %s (retry with -token %s: nothing is created twice)\n", opErr.Token, opErr.Token)
	}
	return exitFailure
}
