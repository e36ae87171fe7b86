// Command lifecycle runs the partner's side of a hosted connection's life after its creation:
// list the hosted connections of a circuit, wait until one is accepted, enabled or gone,
// change its VLAN or bandwidth, and delete it.
//
// Credentials come from credentials-go's default chain: the environment variables
// ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_SECURITY_TOKEN,
// then OIDC, the aliyun CLI's profile, the ~/.alibabacloud/credentials file, and the ECS RAM
// role. The region defaults to ALIBABA_CLOUD_REGION_ID.
//
// Usage:
//
//	lifecycle list   [-circuit pc-...] [-status UnConfirmed|Confirmed|Deleted] [-tenant UID]
//	lifecycle wait   [-circuit pc-...] -id pc-... -for accepted|enabled|gone [-timeout 1h] [-poll 2s]
//	lifecycle update -id pc-... -vlan N [-expect-spec 200M] [-token T] [-dry-run]
//	lifecycle delete -id pc-... [-token T]
//
// Every command also takes -region and -endpoint (a host or URL, such as the local endpoint's
// http://127.0.0.1:8080). list prints one JSON object per hosted connection; the others print
// one JSON object. Deleting a hosted connection that is already gone succeeds, saying so.
//
// Exit status: 0 on success, 1 on a failure of the service or the network, 2 for bad flags or
// a request refused by validation, 3 when a wait ends because its state can no longer be
// reached.
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
	"time"

	"github.com/expressconnect-go/expressconnect"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitUnreachable = 3
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// action runs a subcommand with the client, writing its result to out.
type action func(ctx context.Context, c *expressconnect.Client, out *json.Encoder) error

// commands adds each subcommand's flags to fs and returns the action that uses them.
var commands = map[string]func(fs *flag.FlagSet) action{
	"list":   listFlags,
	"wait":   waitFlags,
	"update": updateFlags,
	"delete": deleteFlags,
}

// errUsage is matched by the errors of flag values that only the action can check.
var errUsage = errors.New("bad flags")

// run is the command: it parses args, runs the subcommand, prints its result to stdout or the
// error to stderr, and returns the exit status. getenv supplies the default region.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 || commands[args[0]] == nil {
		fmt.Fprintln(stderr, "usage: lifecycle list|wait|update|delete [flags] (lifecycle <command> -h for its flags)")
		return exitUsage
	}
	fs := flag.NewFlagSet("lifecycle "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	region := fs.String("region", getenv("ALIBABA_CLOUD_REGION_ID"), "region ID (default $ALIBABA_CLOUD_REGION_ID)")
	endpoint := fs.String("endpoint", "", "endpoint host or URL (default: the region's)")
	do := commands[args[0]](fs)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "lifecycle: unexpected arguments %q\n", fs.Args())
		return exitUsage
	}
	if *region == "" {
		fmt.Fprintln(stderr, "lifecycle: -region is required (or set ALIBABA_CLOUD_REGION_ID)")
		return exitUsage
	}
	opts := []expressconnect.Option{expressconnect.WithRegion(*region)}
	if *endpoint != "" {
		opts = append(opts, expressconnect.WithEndpoint(*endpoint))
	}
	client, err := expressconnect.NewClient(opts...)
	if err != nil {
		fmt.Fprintln(stderr, "lifecycle:", err)
		return exitUsage
	}
	enc := json.NewEncoder(stdout)
	if err := do(ctx, client, enc); err != nil {
		return report(stderr, err)
	}
	return exitOK
}

// report describes err on stderr, with what to do, and returns the exit status.
func report(stderr io.Writer, err error) int {
	fmt.Fprintln(stderr, "lifecycle:", err)
	if r := expressconnect.Remedy(err); r != "" {
		fmt.Fprintln(stderr, "  what to do:", r)
	}
	switch {
	case errors.Is(err, errUsage), errors.Is(err, expressconnect.ErrInvalidRequest), errors.Is(err, expressconnect.ErrInvalidOption):
		return exitUsage
	case errors.Is(err, expressconnect.ErrUnreachable):
		return exitUnreachable
	}
	return exitFailure
}

// listFlags adds the flags of list.
func listFlags(fs *flag.FlagSet) action {
	var req expressconnect.ListVirtualPhysicalConnectionsRequest
	fs.StringVar(&req.PhysicalConnectionID, "circuit", "", "only the hosted connections on this circuit")
	status := fs.String("status", "", "only this acceptance state: UnConfirmed, Confirmed or Deleted")
	tenant := fs.String("tenant", "", "only this tenant's hosted connections (account ID)")
	return func(ctx context.Context, c *expressconnect.Client, out *json.Encoder) error {
		if *status != "" {
			req.VirtualPhysicalConnectionStatuses = []expressconnect.VirtualPhysicalConnectionStatus{expressconnect.VirtualPhysicalConnectionStatus(*status)}
		}
		if *tenant != "" {
			req.VpconnAliUIDs = []string{*tenant}
		}
		for conn, err := range c.ListAllVirtualPhysicalConnections(ctx, &req) {
			if err != nil {
				return err
			}
			if err := out.Encode(summary(&conn)); err != nil {
				return err
			}
		}
		return nil
	}
}

// waitFlags adds the flags of wait.
func waitFlags(fs *flag.FlagSet) action {
	circuit := fs.String("circuit", "", "the circuit the hosted connection is on (optional)")
	id := fs.String("id", "", "the hosted connection (required)")
	until := fs.String("for", "", "accepted, enabled or gone (required)")
	timeout := fs.Duration("timeout", time.Hour, "how long to wait at most")
	poll := fs.Duration("poll", expressconnect.DefaultFirstPoll, "the first wait between polls; it doubles up to 15 times that")
	return func(ctx context.Context, c *expressconnect.Client, out *json.Encoder) error {
		cond, ok := map[string]expressconnect.Condition{
			"accepted": expressconnect.IsAccepted, "enabled": expressconnect.IsEnabled, "gone": expressconnect.IsGone,
		}[*until]
		if !ok {
			return fmt.Errorf("%w: -for must be accepted, enabled or gone, got %q", errUsage, *until)
		}
		ctx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		conn, err := c.WaitVirtualPhysicalConnection(ctx, *circuit, *id, cond, expressconnect.WithPollInterval(*poll, 15**poll))
		if err != nil {
			return err
		}
		if conn == nil {
			return out.Encode(map[string]string{"VirtualPhysicalConnectionId": *id, "State": "gone"})
		}
		return out.Encode(summary(conn))
	}
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

// updateFlags adds the flags of update.
func updateFlags(fs *flag.FlagSet) action {
	var req expressconnect.UpdateVirtualPhysicalConnectionRequest
	var vlan vlanFlag
	fs.StringVar(&req.VirtualPhysicalConnectionID, "id", "", "the hosted connection (required)")
	fs.Var(&vlan, "vlan", "VLAN 0..2999, the current one to change only the bandwidth (required; 0 is valid)")
	expect := fs.String("expect-spec", "", "the bandwidth to change to, such as 200M")
	fs.StringVar(&req.Token, "token", "", "idempotency token (default: generated)")
	fs.BoolVar(&req.DryRun, "dry-run", false, "check the request without changing anything")
	return func(ctx context.Context, c *expressconnect.Client, out *json.Encoder) error {
		req.VLANID, req.ExpectSpec = vlan.id, expressconnect.Spec(*expect)
		resp, err := c.UpdateVirtualPhysicalConnection(ctx, &req)
		if err != nil {
			return err
		}
		return out.Encode(map[string]any{"RequestId": resp.RequestID, "Token": resp.Token, "DryRun": resp.DryRun})
	}
}

// deleteFlags adds the flags of delete.
func deleteFlags(fs *flag.FlagSet) action {
	var req expressconnect.DeleteVirtualPhysicalConnectionRequest
	fs.StringVar(&req.VirtualPhysicalConnectionID, "id", "", "the hosted connection (required)")
	fs.StringVar(&req.ClientToken, "token", "", "idempotency token (default: generated)")
	return func(ctx context.Context, c *expressconnect.Client, out *json.Encoder) error {
		resp, err := c.DeleteVirtualPhysicalConnection(ctx, &req)
		if errors.Is(err, expressconnect.ErrNotFound) {
			return out.Encode(map[string]any{"VirtualPhysicalConnectionId": req.VirtualPhysicalConnectionID, "AlreadyGone": true})
		}
		if err != nil {
			return err
		}
		return out.Encode(map[string]any{"VirtualPhysicalConnectionId": req.VirtualPhysicalConnectionID, "RequestId": resp.RequestID, "ClientToken": resp.ClientToken})
	}
}

// connectionSummary is what list and wait print of a hosted connection.
type connectionSummary struct {
	ID             string `json:"VirtualPhysicalConnectionId"`
	Circuit        string `json:"ParentPhysicalConnectionId"`
	Tenant         int64  `json:"VpconnAliUid"`
	VLAN           string `json:"VlanId"`
	Spec           string `json:"Spec"`
	ExpectSpec     string `json:"ExpectSpec,omitempty"`
	Accepted       string `json:"VirtualPhysicalConnectionStatus"`
	Status         string `json:"Status"`
	BusinessStatus string `json:"BusinessStatus"`
}

func summary(c *expressconnect.VirtualPhysicalConnection) connectionSummary {
	return connectionSummary{
		ID: c.VirtualPhysicalConnectionID, Circuit: c.ParentPhysicalConnectionID, Tenant: c.VpconnAliUID,
		VLAN: c.VLANID.String(), Spec: string(c.Spec), ExpectSpec: string(c.ExpectSpec),
		Accepted: string(c.VirtualPhysicalConnectionStatus), Status: string(c.Status), BusinessStatus: string(c.BusinessStatus),
	}
}
