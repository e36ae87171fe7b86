// Command create shows the one call a partner makes most: it creates a hosted connection
// (CreateVirtualPhysicalConnection) on a circuit for a tenant, choosing and printing the
// idempotency token before the call, so that a run that dies can be repeated with -token
// without creating a second one. For every operation from the command line, with profiles,
// tables and waits, use the expressconnect command (cmd/expressconnect).
//
// Usage:
//
//	go run ./examples/create -region cn-hangzhou -circuit pc-bp1... -tenant 1210123456789012 -vlan 100
//
// Credentials come from credentials-go's default chain (the ALIBABA_CLOUD_ACCESS_KEY_ID and
// ALIBABA_CLOUD_ACCESS_KEY_SECRET variables, the aliyun CLI's profile, ...); -endpoint sends to
// another endpoint, such as the local one of cmd/expressconnect-local.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/expressconnect-go/expressconnect"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "create:", err)
		if remedy := expressconnect.Remedy(err); remedy != "" {
			fmt.Fprintln(os.Stderr, "  what to do:", remedy)
		}
		os.Exit(1)
	}
}

// run parses args, creates the hosted connection and prints its ID to stdout; the token goes
// to stderr before the call.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	region := fs.String("region", os.Getenv("ALIBABA_CLOUD_REGION_ID"), "region ID (default $ALIBABA_CLOUD_REGION_ID)")
	endpoint := fs.String("endpoint", "", "endpoint host or URL (default: the region's)")
	req := &expressconnect.CreateVirtualPhysicalConnectionRequest{
		Spec: expressconnect.Spec100M, OrderMode: expressconnect.PayByPhysicalConnectionOwner,
	}
	fs.StringVar(&req.PhysicalConnectionID, "circuit", "", "the partner's circuit (required)")
	fs.StringVar(&req.VpconnAliUID, "tenant", "", "the tenant's account ID (required)")
	fs.TextVar(&req.VLANID, "vlan", expressconnect.VLANID{}, "VLAN 0..2999 (required; 0 is valid)")
	fs.TextVar((*specFlag)(&req.Spec), "spec", specFlag(req.Spec), "bandwidth, such as 100M or 1G")
	fs.StringVar(&req.Token, "token", "", "idempotency token of an earlier run to repeat (default: a new one)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if req.Token == "" {
		req.Token = expressconnect.NewToken() // store it with the order before calling
	}
	fmt.Fprintf(stderr, "Token %s (to repeat this call safely: -token %s)\n", req.Token, req.Token)

	opts := []expressconnect.Option{expressconnect.WithRegion(*region)}
	if *endpoint != "" {
		opts = append(opts, expressconnect.WithEndpoint(*endpoint))
	}
	client, err := expressconnect.NewClient(opts...)
	if err != nil {
		return err
	}
	resp, err := client.CreateVirtualPhysicalConnection(ctx, req)
	if errors.Is(err, expressconnect.ErrVLANConflict) {
		free, ferr := client.FreeVLAN(ctx, &expressconnect.FreeVLANRequest{PhysicalConnectionID: req.PhysicalConnectionID})
		if ferr == nil {
			return fmt.Errorf("%w (the first free VLAN is %s)", err, free.Free)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, resp.VirtualPhysicalConnectionID)
	return nil
}

// specFlag is a Spec as a flag value.
type specFlag expressconnect.Spec

func (s specFlag) MarshalText() ([]byte, error) { return []byte(s), nil }

func (s *specFlag) UnmarshalText(b []byte) error {
	*s = specFlag(b)
	return nil
}
