package expressconnect_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// autoTenantAndBilling make the local endpoint's tenant accept every hosted connection 20 ms
// after its creation and its billing enable it 20 ms after that.
var autoTenantAndBilling = expressconnecttest.Config{AutoAccept: 20 * time.Millisecond, AutoEnable: 20 * time.Millisecond}

// lifecycleServer starts a local endpoint configured by cfg and returns it with a client and
// the ID of a new hosted connection on VLAN 100. The caller closes the server.
func lifecycleServer(cfg expressconnecttest.Config) (*expressconnecttest.Server, *expressconnect.Client, string) {
	srv, err := expressconnecttest.NewServer(cfg)
	if err != nil {
		log.Fatal(err)
	}
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	resp, err := client.CreateVirtualPhysicalConnection(context.Background(), exampleRequest(100))
	if err != nil {
		log.Fatal(err)
	}
	return srv, client, resp.VirtualPhysicalConnectionID
}

// waitFor returns a request to wait for the hosted connection id on the default circuit until
// cond holds, with the short polls of a local endpoint (the defaults are 2 s growing to 30 s).
func waitFor(id string, cond expressconnect.Condition) *expressconnect.WaitRequest {
	return &expressconnect.WaitRequest{
		PhysicalConnectionID:         expressconnecttest.DefaultCircuitID,
		VirtualPhysicalConnectionIDs: []string{id},
		Until:                        cond,
		MinDelay:                     10 * time.Millisecond,
		MaxDelay:                     50 * time.Millisecond,
	}
}

// This example waits until the tenant has accepted a new hosted connection and billing has
// enabled it. A wait ends early, with ErrUnreachable, when the state can no longer be reached.
func ExampleClient_WaitVirtualPhysicalConnections() {
	srv, client, id := lifecycleServer(autoTenantAndBilling)
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := client.WaitVirtualPhysicalConnections(ctx, waitFor(id, expressconnect.IsEnabled))
	switch {
	case errors.Is(err, expressconnect.ErrUnreachable):
		fmt.Println("it will never be enabled:", err)
	case err != nil:
		log.Fatal(err)
	default:
		conn := resp.Connections[0]
		fmt.Println(conn.VpconnStatus, conn.Status)
	}
	// Output:
	// Confirmed Enabled
}

// This example writes a condition of its own: the wait holds once the bandwidth asked for with
// UpdateVirtualPhysicalConnection is in effect.
func ExampleCondition() {
	srv, client, id := lifecycleServer(autoTenantAndBilling)
	defer srv.Close()
	ctx := context.Background()
	if _, err := client.WaitVirtualPhysicalConnections(ctx, waitFor(id, expressconnect.IsEnabled)); err != nil {
		log.Fatal(err)
	}
	_, err := client.UpdateVirtualPhysicalConnection(ctx, &expressconnect.UpdateVirtualPhysicalConnectionRequest{
		VirtualPhysicalConnectionID: id,
		ExpectSpec:                  expressconnect.Spec200M, // no VLANID: the current VLAN is kept
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.Admin().Act(ctx, id, expressconnecttest.BillingEnables); err != nil { // billing takes the payment for the upgrade
		log.Fatal(err)
	}

	upgraded := func(conn *expressconnect.VirtualPhysicalConnection) (bool, error) {
		if done, err := expressconnect.IsGone(conn); done || err != nil {
			return false, fmt.Errorf("%w: the hosted connection is gone", expressconnect.ErrUnreachable)
		}
		return conn.Spec == expressconnect.Spec200M, nil
	}
	resp, err := client.WaitVirtualPhysicalConnections(ctx, waitFor(id, upgraded))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Connections[0].Spec)
	// Output:
	// 200M
}

// This example reads every hosted connection of a circuit, page after page; the iteration
// stops at its first error.
func ExampleClient_ListAllVirtualPhysicalConnections() {
	srv, client, _ := lifecycleServer(expressconnecttest.Config{})
	defer srv.Close()
	ctx := context.Background()
	for vlan := 101; vlan <= 104; vlan++ {
		if _, err := client.CreateVirtualPhysicalConnection(ctx, exampleRequest(vlan)); err != nil {
			log.Fatal(err)
		}
	}

	req := &expressconnect.ListVirtualPhysicalConnectionsRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
		MaxResults:           2, // small pages, to show the paging
	}
	for conn, err := range client.ListAllVirtualPhysicalConnections(ctx, req) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(conn.VLANID, conn.Spec, conn.VpconnAliUID)
	}
	// Output:
	// 100 100M 1210123456789012
	// 101 100M 1210123456789012
	// 102 100M 1210123456789012
	// 103 100M 1210123456789012
	// 104 100M 1210123456789012
}

// This example moves a hosted connection to VLAN 0, which makes the VBR's port a Layer 3
// router interface. VLAN(0) is a value, never a default: a request without a VLANID keeps the
// current VLAN.
func ExampleClient_UpdateVirtualPhysicalConnection() {
	srv, client, id := lifecycleServer(expressconnecttest.Config{})
	defer srv.Close()
	resp, err := client.UpdateVirtualPhysicalConnection(context.Background(), &expressconnect.UpdateVirtualPhysicalConnectionRequest{
		VirtualPhysicalConnectionID: id,
		VLANID:                      expressconnect.VLAN(0),
	})
	if err != nil {
		log.Fatal(err)
	}
	conn, err := srv.Admin().Connection(context.Background(), id)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("VLAN", conn.VLANID, "Token sent:", resp.Token != "")
	// Output:
	// VLAN 0 Token sent: true
}

// This example deletes a hosted connection and deletes it again: the second call reports it
// gone (the ErrNotFound family), which a caller can take as done.
func ExampleClient_DeleteVirtualPhysicalConnection() {
	srv, client, id := lifecycleServer(expressconnecttest.Config{})
	defer srv.Close()
	ctx := context.Background()
	req := &expressconnect.HostedConnectionRequest{PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionID: id}
	for range 2 {
		_, err := client.DeleteVirtualPhysicalConnection(ctx, req)
		switch {
		case errors.Is(err, expressconnect.ErrNotFound):
			fmt.Println("already gone")
		case err != nil:
			log.Fatal(err)
		default:
			fmt.Println("deleted")
		}
	}
	// Output:
	// deleted
	// already gone
}
