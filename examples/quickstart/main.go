// Command quickstart walks a hosted connection through its whole life with no cloud account:
// it starts the local Express Connect endpoint (package expressconnecttest) in this process
// and, against it, creates a hosted connection on the first free VLAN of the circuit (in a way
// a crash cannot double), waits while the tenant accepts it and billing enables it, upgrades
// its bandwidth and waits for the upgrade, terminates it, deletes it, and deletes it again. On
// the way it shows a request refused before anything is sent, and the guard that keeps a
// circuit's ID from being deleted by mistake.
//
// Run it with:
//
//	go run ./examples/quickstart
//
// To use the real service instead, drop the server, build the client with
// expressconnect.NewClient(expressconnect.WithRegion("cn-hangzhou")) (credentials then come
// from credentials-go's default chain), and put your own circuit's ID and your tenant's
// account ID in the requests: the ones here exist only on the local endpoint. On the service,
// the tenant accepts in their own console and billing enables after payment; the waits are
// the same.
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

// tenantUID is the Alibaba Cloud account ID of the tenant who will own the hosted connection:
// a made-up one, which the local endpoint accepts. Use your tenant's real ID with the service.
const tenantUID = "1210123456789012"

// circuit is the partner's circuit on the local endpoint.
const circuit = expressconnecttest.DefaultCircuitID

// run walks through the life, printing each step to w.
func run(ctx context.Context, w io.Writer) error {
	// A local endpoint with one enabled circuit, on which another tenant already holds VLAN 1.
	// The tenant accepts each new hosted connection 100 ms after its creation, billing enables
	// it 100 ms after that, and a termination takes 100 ms.
	srv, err := expressconnecttest.NewServer(expressconnecttest.Config{AutoAccept: 100 * time.Millisecond, AutoEnable: 100 * time.Millisecond, TerminationDelay: 100 * time.Millisecond})
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Fprintf(w, "local endpoint %s, circuit %s\n\n", srv.URL(), circuit)

	client, err := expressconnect.NewClient(
		expressconnect.WithRegion(srv.Account().RegionID),
		expressconnect.WithEndpoint(srv.URL()),
		expressconnect.WithAccessKey(srv.Account().AccessKeyID, srv.Account().AccessKeySecret),
	)
	if err != nil {
		return err
	}
	if err := takeVLAN1(ctx, client); err != nil {
		return err
	}

	f := flow{client: client, srv: srv, w: w}
	steps := []func(context.Context) error{
		f.create, f.waitEnabled, f.upgrade, f.invalidRequest, f.guard, f.terminate, f.delete,
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

// takeVLAN1 creates another tenant's hosted connection on VLAN 1, so that VLAN 1 is in use.
func takeVLAN1(ctx context.Context, client *expressconnect.Client) error {
	req := newRequest()
	req.VpconnAliUID, req.VLANID = "1210999999999999", expressconnect.VLAN(1)
	_, err := client.CreateVirtualPhysicalConnection(ctx, req)
	return err
}

// flow is the quickstart's state: the client, the local endpoint, and the hosted connection
// created in the first step.
type flow struct {
	client *expressconnect.Client
	srv    *expressconnecttest.Server
	w      io.Writer
	id     string
}

// newRequest returns a request for a 100 Mbit/s hosted connection on the circuit, paid by the
// circuit's owner, with no VLAN yet.
func newRequest() *expressconnect.CreateVirtualPhysicalConnectionRequest {
	return &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: circuit,
		VpconnAliUID:         tenantUID,
		Spec:                 expressconnect.Spec100M,
		OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
		Name:                 "tenant-a",
	}
}

// waitFor waits for the hosted connection until cond holds, polling every 20 to 100 ms (the
// defaults, 2 s to 30 s, suit the service), and returns it as the last poll saw it.
func (f *flow) waitFor(ctx context.Context, cond expressconnect.Condition) (*expressconnect.VirtualPhysicalConnection, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	resp, err := f.client.WaitVirtualPhysicalConnections(ctx, &expressconnect.WaitRequest{
		PhysicalConnectionID:         circuit,
		VirtualPhysicalConnectionIDs: []string{f.id},
		Until:                        cond,
		MinDelay:                     20 * time.Millisecond,
		MaxDelay:                     100 * time.Millisecond,
	})
	if err != nil {
		return nil, err
	}
	return resp.Connections[0], nil
}

// create creates the hosted connection on the first free VLAN, under the key of the order it
// belongs to: each attempt's token derives from that key and the VLAN, so running the same
// order again (after a crash, say) creates nothing new.
func (f *flow) create(ctx context.Context) error {
	fmt.Fprintln(f.w, "1. create a hosted connection on the first free VLAN, for order order-17")
	free, err := f.client.FreeVLAN(ctx, &expressconnect.FreeVLANRequest{PhysicalConnectionID: circuit})
	if err != nil {
		return err
	}
	fmt.Fprintf(f.w, "   VLANs in use %v, first free %s\n", free.Used, free.Free)
	order := &expressconnect.CreateOnFreeVLANRequest{Connection: *newRequest(), OrderKey: "order-17"}
	resp, err := f.client.CreateVirtualPhysicalConnectionOnFreeVLAN(ctx, order)
	if err != nil {
		return err
	}
	f.id = resp.VirtualPhysicalConnectionID
	fmt.Fprintf(f.w, "   created %s with Token %s\n", f.id, resp.Token)

	again, err := f.client.CreateVirtualPhysicalConnectionOnFreeVLAN(ctx, order)
	if err != nil {
		return err
	}
	held, err := f.srv.Admin().Connections(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(f.w, "   the same order again, as after a crash: same ID %t, hosted connections on the endpoint: %d\n",
		again.VirtualPhysicalConnectionID == f.id, len(held))
	return nil
}

// waitEnabled waits until the tenant has accepted the hosted connection and billing has
// enabled it.
func (f *flow) waitEnabled(ctx context.Context) error {
	fmt.Fprintln(f.w, "2. wait until the tenant accepts it and billing enables it")
	conn, err := f.waitFor(ctx, expressconnect.IsAccepted)
	if err != nil {
		return err
	}
	fmt.Fprintf(f.w, "   accepted: %s, Status %s\n", conn.VpconnStatus, conn.Status)
	if conn, err = f.waitFor(ctx, expressconnect.IsEnabled); err != nil {
		return err
	}
	fmt.Fprintf(f.w, "   enabled: Status %s on VLAN %s at %s\n", conn.Status, conn.VLANID, conn.Spec)
	return nil
}

// upgrade asks for 200 Mbit/s, keeping the VLAN, and waits until billing has put the new
// bandwidth in effect.
func (f *flow) upgrade(ctx context.Context) error {
	fmt.Fprintln(f.w, "3. upgrade it to 200M and wait for the new bandwidth")
	resp, err := f.client.UpdateVirtualPhysicalConnection(ctx, &expressconnect.UpdateVirtualPhysicalConnectionRequest{
		VirtualPhysicalConnectionID: f.id,
		ExpectSpec:                  expressconnect.Spec200M, // no VLANID: the current one is kept
	})
	if err != nil {
		return err
	}
	asked, err := f.client.GetVirtualPhysicalConnection(ctx, &expressconnect.GetVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: circuit, VirtualPhysicalConnectionID: f.id,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(f.w, "   asked (Token %s): ExpectSpec %s, Spec %s until paid for, VLAN %s kept\n",
		resp.Token, asked.ExpectSpec, asked.Spec, asked.VLANID)
	if err := f.srv.Admin().Act(ctx, f.id, expressconnecttest.BillingEnables); err != nil { // on the service, the payment
		return err
	}
	conn, err := f.waitFor(ctx, expressconnect.HasSpec(expressconnect.Spec200M))
	if err != nil {
		return err
	}
	fmt.Fprintf(f.w, "   in effect: Spec %s\n", conn.Spec)
	return nil
}

// invalidRequest shows client-side validation: every broken rule at once, nothing sent.
func (f *flow) invalidRequest(ctx context.Context) error {
	req := newRequest()
	req.VpconnAliUID, req.VLANID, req.Spec, req.Name = "tenant-42", expressconnect.VLAN(3000), "3G", "-bad"
	before, err := f.srv.Admin().Requests(ctx, 0, 0)
	if err != nil {
		return err
	}
	_, err = f.client.CreateVirtualPhysicalConnection(ctx, req)
	var vErr *expressconnect.ValidationError
	if !errors.As(err, &vErr) {
		return fmt.Errorf("expected a *ValidationError, got %v", err)
	}
	fmt.Fprintln(f.w, "4. an invalid request is refused before anything is sent")
	for _, v := range vErr.Violations {
		fmt.Fprintf(f.w, "   - %s (%s): %s\n", v.Param, v.Field, v.Rule)
	}
	sent, err := f.srv.Admin().Requests(ctx, before.Next, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(f.w, "   requests sent: %d\n", len(sent.Requests))
	return nil
}

// guard passes the circuit's ID where the hosted connection's belongs: DeletePhysicalConnection
// would delete the circuit itself, so the client refuses.
func (f *flow) guard(ctx context.Context) error {
	fmt.Fprintln(f.w, "5. a circuit's ID given to delete is refused, nothing sent")
	_, err := f.client.DeleteVirtualPhysicalConnection(ctx, &expressconnect.HostedConnectionRequest{
		PhysicalConnectionID: circuit, VirtualPhysicalConnectionID: circuit,
	})
	var vErr *expressconnect.ValidationError
	if !errors.As(err, &vErr) {
		return fmt.Errorf("expected a *ValidationError, got %v", err)
	}
	fmt.Fprintf(f.w, "   refused: %s\n", vErr.Violations[0].Rule)
	return nil
}

// terminate ends the service of the Enabled hosted connection and waits until it is
// Terminated, the state from which it can be deleted.
func (f *flow) terminate(ctx context.Context) error {
	fmt.Fprintln(f.w, "6. terminate it")
	_, err := f.client.DeleteVirtualPhysicalConnection(ctx, f.target())
	if !errors.Is(err, expressconnect.ErrInvalidState) {
		return fmt.Errorf("expected an Enabled hosted connection to be refused deletion, got %v", err)
	}
	fmt.Fprintf(f.w, "   delete refused first: %s\n", expressconnect.Remedy(err))
	if _, err := f.client.TerminateVirtualPhysicalConnection(ctx, f.target()); err != nil {
		return err
	}
	conn, err := f.waitFor(ctx, expressconnect.IsTerminated)
	if err != nil {
		return err
	}
	fmt.Fprintf(f.w, "   Status %s\n", conn.Status)
	return nil
}

// delete deletes the hosted connection, then deletes it again: the second time it is gone
// (the ErrNotFound family), which a caller takes as done.
func (f *flow) delete(ctx context.Context) error {
	fmt.Fprintln(f.w, "7. delete it, twice")
	if _, err := f.client.DeleteVirtualPhysicalConnection(ctx, f.target()); err != nil {
		return err
	}
	fmt.Fprintf(f.w, "   deleted %s\n", f.id)
	_, err := f.client.DeleteVirtualPhysicalConnection(ctx, f.target())
	switch {
	case errors.Is(err, expressconnect.ErrNotFound):
		fmt.Fprintln(f.w, "   second delete: already gone, nothing to do")
	case err != nil:
		return err
	default:
		return errors.New("the second delete succeeded")
	}
	return nil
}

// target names the hosted connection and its circuit for the guarded actions.
func (f *flow) target() *expressconnect.HostedConnectionRequest {
	return &expressconnect.HostedConnectionRequest{PhysicalConnectionID: circuit, VirtualPhysicalConnectionID: f.id}
}
