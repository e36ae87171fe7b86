// Command quickstart shows the SDK's whole flow with no cloud account: it starts the local
// Express Connect endpoint (package expressconnecttest) in this process and, against it, takes
// a hosted connection through its life: choose the idempotency token first, create, repeat the
// call with the same token, make a dry run, wait until the tenant accepts, list the circuit's
// hosted connections, change the VLAN, and at the end delete it twice. On the way it shows a
// request that fails client-side validation and a VLAN that is already in use.
//
// Run it with:
//
//	go run ./examples/quickstart
//
// To use the real service instead, drop the server, build the client with
// expressconnect.NewClient(expressconnect.WithRegion("cn-hangzhou")) (credentials then come
// from credentials-go's default chain), and put your own circuit's ID and your tenant's
// account ID in the requests: the ones here exist only on the local endpoint. The calls and
// the error handling stay the same; on the service the tenant accepts in their own console.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

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

// circuit is the partner's circuit on the local endpoint.
const circuit = expressconnecttest.DefaultCircuitID

// run walks through the flow, printing each step to w.
func run(ctx context.Context, w io.Writer) error {
	// A local endpoint with one enabled circuit. Here the tenant accepts every new hosted
	// connection 200 ms after it is created.
	srv, err := expressconnecttest.NewServer(expressconnecttest.WithAutoAccept(200 * time.Millisecond))
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Fprintf(w, "local endpoint %s, circuit %s\n\n", srv.URL(), circuit)

	client, err := expressconnect.NewClient(
		expressconnect.WithRegion(srv.Region()),
		expressconnect.WithEndpoint(srv.URL()),
		expressconnect.WithAccessKey(srv.AccessKeyID(), srv.AccessKeySecret()),
	)
	if err != nil {
		return err
	}

	f := flow{client: client, srv: srv, w: w}
	steps := []func(context.Context) error{
		f.create, f.dryRun, f.waitAccepted, f.list, f.changeVLAN, f.invalidRequest, f.vlanInUse, f.delete,
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "done")
	return nil
}

// flow is the quickstart's state: the client, the local endpoint, and the hosted connection
// created in the first step.
type flow struct {
	client *expressconnect.Client
	srv    *expressconnecttest.Server
	w      io.Writer
	id     string
}

// newRequest returns a request for a 100 Mbit/s hosted connection on VLAN vlan, paid by the
// circuit's owner.
func newRequest(vlan int) *expressconnect.CreateVirtualPhysicalConnectionRequest {
	return &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: circuit,
		VpconnAliUID:         tenantUID,
		VLANID:               expressconnect.VLAN(vlan),
		Spec:                 expressconnect.Spec100M,
		OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
		Name:                 fmt.Sprintf("tenant-vlan-%d", vlan),
	}
}

// create chooses the idempotency token first (a real program stores it with the order before
// calling), creates the hosted connection, and repeats the call with the same token: the
// service answers the same ID and creates nothing.
func (f *flow) create(ctx context.Context) error {
	req := newRequest(100)
	req.Token = expressconnect.NewToken()
	fmt.Fprintln(f.w, "1. create a hosted connection on VLAN 100")
	fmt.Fprintf(f.w, "   Token   %s (chosen and stored before the call)\n", req.Token)
	resp, err := f.client.CreateVirtualPhysicalConnection(ctx, req)
	if err != nil {
		return err
	}
	f.id = resp.VirtualPhysicalConnectionID
	fmt.Fprintf(f.w, "   created %s\n", f.id)

	again, err := f.client.CreateVirtualPhysicalConnection(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(f.w, "   the same call again, as after a crash: same ID %t, hosted connections on the endpoint: %d\n",
		again.VirtualPhysicalConnectionID == f.id, len(f.srv.Connections()))
	return nil
}

// waitAccepted waits until the tenant has accepted the hosted connection.
func (f *flow) waitAccepted(ctx context.Context) error {
	fmt.Fprintln(f.w, "3. wait until the tenant accepts it")
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	resp, err := f.client.WaitVirtualPhysicalConnections(ctx, &expressconnect.WaitRequest{
		PhysicalConnectionID:         circuit,
		VirtualPhysicalConnectionIDs: []string{f.id},
		Until:                        expressconnect.IsAccepted,
		MinDelay:                     50 * time.Millisecond,
		MaxDelay:                     200 * time.Millisecond,
	})
	if err != nil {
		return err
	}
	conn := resp.Connections[0]
	fmt.Fprintf(f.w, "   accepted: %s, Status %s\n", conn.VpconnStatus, conn.Status)
	return nil
}

// list reads every hosted connection on the circuit, page after page.
func (f *flow) list(ctx context.Context) error {
	fmt.Fprintln(f.w, "4. list the circuit's hosted connections")
	req := &expressconnect.ListVirtualPhysicalConnectionsRequest{PhysicalConnectionID: circuit}
	for conn, err := range f.client.ListAllVirtualPhysicalConnections(ctx, req) {
		if err != nil {
			return err
		}
		fmt.Fprintf(f.w, "   %s VLAN %s %s tenant %s %s\n", conn.VirtualPhysicalConnectionID, conn.VLANID, conn.Spec,
			conn.VpconnAliUID, conn.VpconnStatus)
	}
	return nil
}

// changeVLAN moves the hosted connection to VLAN 0, which makes the VBR's port a Layer 3
// router interface.
func (f *flow) changeVLAN(ctx context.Context) error {
	fmt.Fprintln(f.w, "5. change its VLAN to 0")
	_, err := f.client.UpdateVirtualPhysicalConnection(ctx, &expressconnect.UpdateVirtualPhysicalConnectionRequest{
		VirtualPhysicalConnectionID: f.id,
		VLANID:                      expressconnect.VLAN(0),
	})
	if err != nil {
		return err
	}
	conn, _ := f.srv.Connection(f.id)
	fmt.Fprintf(f.w, "   now on VLAN %s\n", conn.VLANID)
	return nil
}

// dryRun checks a request without creating anything.
func (f *flow) dryRun(ctx context.Context) error {
	req := newRequest(200)
	req.DryRun = true
	fmt.Fprintln(f.w, "2. dry run on VLAN 200")
	resp, err := f.client.CreateVirtualPhysicalConnection(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(f.w, "   passed: DryRun=%t, RequestId %s\n", resp.DryRun, resp.RequestID)
	fmt.Fprintf(f.w, "   hosted connections on the endpoint: %d\n", len(f.srv.Connections()))
	return nil
}

// invalidRequest sends a request that breaks several rules: the client refuses it before
// anything is sent and lists every violation.
func (f *flow) invalidRequest(ctx context.Context) error {
	req := newRequest(3000)
	req.VpconnAliUID = "tenant-42"
	req.Spec = "3G"
	req.Name = "1st-connection"
	_, err := f.client.CreateVirtualPhysicalConnection(ctx, req)
	var vErr *expressconnect.ValidationError
	if !errors.As(err, &vErr) {
		return fmt.Errorf("expected a *ValidationError, got %v", err)
	}
	fmt.Fprintln(f.w, "6. an invalid request is refused before anything is sent")
	for _, v := range vErr.Violations {
		fmt.Fprintf(f.w, "   - %s (%s): %s\n", v.Param, v.Field, v.Rule)
	}
	return nil
}

// vlanInUse asks for VLAN 0, which the first hosted connection now holds, recognises the error
// with errors.Is, and says what to do with Remedy.
func (f *flow) vlanInUse(ctx context.Context) error {
	fmt.Fprintln(f.w, "7. VLAN 0 again, for another hosted connection")
	_, err := f.client.CreateVirtualPhysicalConnection(ctx, newRequest(0))
	switch {
	case errors.Is(err, expressconnect.ErrVLANConflict):
		var apiErr *expressconnect.APIError
		if errors.As(err, &apiErr) {
			fmt.Fprintf(f.w, "   refused: %s (HTTP %d): %s\n", apiErr.Code, apiErr.StatusCode, expressconnect.Remedy(err))
		}
	case err != nil:
		return err
	default:
		return errors.New("expected VLAN 0 to be refused")
	}
	return nil
}

// delete deletes the hosted connection, then deletes it again: the second call reports that it
// is already gone, which a caller can take as done.
func (f *flow) delete(ctx context.Context) error {
	fmt.Fprintln(f.w, "8. delete it, twice")
	req := &expressconnect.HostedConnectionRequest{PhysicalConnectionID: circuit, VirtualPhysicalConnectionID: f.id}
	if _, err := f.client.DeleteVirtualPhysicalConnection(ctx, req); err != nil {
		return err
	}
	fmt.Fprintf(f.w, "   deleted %s\n", f.id)
	_, err := f.client.DeleteVirtualPhysicalConnection(ctx, req)
	switch {
	case errors.Is(err, expressconnect.ErrNotFound):
		fmt.Fprintln(f.w, "   second delete: already gone, nothing to do")
	case err != nil:
		return err
	default:
		return errors.New("expected the second delete to report the hosted connection gone")
	}
	return nil
}
