// Command quickstart shows the SDK's whole flow with no cloud account: it starts the local
// Express Connect endpoint (package expressconnecttest) in this process and, against it,
// creates a hosted connection, repeats the call with the same Token, makes a dry run, sends a
// request that fails client-side validation, and handles a VLAN that is already in use.
//
// Run it with:
//
//	go run ./examples/quickstart
//
// To use the real service instead, drop the server, build the client with
// expressconnect.NewClient(expressconnect.WithRegion("cn-hangzhou")) (credentials then come
// from credentials-go's default chain), and put your own circuit's ID and your tenant's
// account ID in the request: the ones here exist only on the local endpoint. The calls and
// the error handling stay the same.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// tenantUID is the Alibaba Cloud account ID of the tenant who will own the hosted connections:
// a made-up one, which the local endpoint accepts. Use your tenant's real ID with the service.
const tenantUID = "1210123456789012"

// run walks through the flow, printing each step to w.
func run(ctx context.Context, w io.Writer) error {
	// A local endpoint with one enabled circuit, expressconnecttest.DefaultCircuitID.
	srv, err := expressconnecttest.NewServer()
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Fprintf(w, "local endpoint %s, circuit %s\n\n", srv.URL(), expressconnecttest.DefaultCircuitID)

	client, err := expressconnect.NewClient(
		expressconnect.WithRegion(srv.Region()),
		expressconnect.WithEndpoint(srv.URL()),
		expressconnect.WithAccessKey(srv.AccessKeyID(), srv.AccessKeySecret()),
	)
	if err != nil {
		return err
	}

	steps := []func(context.Context, io.Writer, *expressconnect.Client, *expressconnecttest.Server) error{
		createAndRepeat, dryRun, invalidRequest, vlanInUse,
	}
	for _, step := range steps {
		if err := step(ctx, w, client, srv); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "done: %d hosted connections on the local endpoint\n", len(srv.Connections()))
	return nil
}

// newRequest returns a request for a 100 Mbit/s hosted connection on VLAN vlan, paid by the
// circuit's owner.
func newRequest(vlan int) *expressconnect.CreateVirtualPhysicalConnectionRequest {
	return &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
		VpconnAliUID:         tenantUID,
		VLANID:               expressconnect.VLAN(vlan),
		Spec:                 expressconnect.Spec100M,
		OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
		Name:                 fmt.Sprintf("tenant-vlan-%d", vlan),
	}
}

// createAndRepeat creates a hosted connection, then sends the same request with the Token the
// first call used: the service answers the same ID and creates nothing.
func createAndRepeat(ctx context.Context, w io.Writer, client *expressconnect.Client, srv *expressconnecttest.Server) error {
	req := newRequest(100)
	resp, err := client.CreateVirtualPhysicalConnection(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "1. create a hosted connection on VLAN 100")
	fmt.Fprintf(w, "   created %s\n", resp.VirtualPhysicalConnectionID)
	fmt.Fprintf(w, "   Token   %s (store it: repeating the call with it is safe)\n\n", resp.Token)

	req.Token = resp.Token
	again, err := client.CreateVirtualPhysicalConnection(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "2. repeat the call with the same Token")
	fmt.Fprintf(w, "   got %s, same ID: %t\n", again.VirtualPhysicalConnectionID, again.VirtualPhysicalConnectionID == resp.VirtualPhysicalConnectionID)
	fmt.Fprintf(w, "   hosted connections on the endpoint: %d\n", len(srv.Connections()))
	return nil
}

// dryRun checks a request without creating anything.
func dryRun(ctx context.Context, w io.Writer, client *expressconnect.Client, srv *expressconnecttest.Server) error {
	req := newRequest(200)
	req.DryRun = true
	resp, err := client.CreateVirtualPhysicalConnection(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "3. dry run on VLAN 200")
	fmt.Fprintf(w, "   passed: DryRun=%t, RequestId %s\n", resp.DryRun, resp.RequestID)
	fmt.Fprintf(w, "   hosted connections on the endpoint: %d\n", len(srv.Connections()))
	return nil
}

// invalidRequest sends a request that breaks several rules: the client refuses it before
// anything is sent and lists every violation.
func invalidRequest(ctx context.Context, w io.Writer, client *expressconnect.Client, _ *expressconnecttest.Server) error {
	req := newRequest(3000)
	req.VpconnAliUID = "tenant-42"
	req.Spec = "3G"
	req.Name = "1st-connection"
	_, err := client.CreateVirtualPhysicalConnection(ctx, req)
	var vErr *expressconnect.ValidationError
	if !errors.As(err, &vErr) {
		return fmt.Errorf("expected a *ValidationError, got %v", err)
	}
	fmt.Fprintln(w, "4. an invalid request is refused before anything is sent")
	for _, v := range vErr.Violations {
		fmt.Fprintf(w, "   - %s\n", v)
	}
	return nil
}

// vlanInUse asks for a VLAN that the first hosted connection holds, recognises the error with
// errors.Is, and picks another VLAN.
func vlanInUse(ctx context.Context, w io.Writer, client *expressconnect.Client, _ *expressconnecttest.Server) error {
	fmt.Fprintln(w, "5. VLAN 100 again, for another hosted connection")
	req := newRequest(100)
	_, err := client.CreateVirtualPhysicalConnection(ctx, req)
	switch {
	case errors.Is(err, expressconnect.CodeVLANIDHasBeenUsedInPhysicalConnection):
		var apiErr *expressconnect.APIError
		if errors.As(err, &apiErr) {
			fmt.Fprintf(w, "   refused: %s (HTTP %d)\n", apiErr.Code, apiErr.StatusCode)
		}
	case errors.Is(err, expressconnect.ErrVLANConflict):
		// The family's other codes, such as VLAN 0 refused on this circuit.
		fmt.Fprintf(w, "   refused, VLAN conflict: %v\n", err)
	case err != nil:
		return err
	default:
		return errors.New("expected VLAN 100 to be refused")
	}
	req = newRequest(101)
	resp, err := client.CreateVirtualPhysicalConnection(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   picked VLAN 101 instead: created %s\n", resp.VirtualPhysicalConnectionID)
	return nil
}
