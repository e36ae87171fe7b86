package expressconnecttest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// Example shows a test of code that creates hosted connections: the server stands in for the
// service, and the test inspects what was created.
func Example() {
	s, err := expressconnecttest.NewServer(expressconnecttest.Config{}) // in a test: s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	client, err := s.Client()
	if err != nil {
		fmt.Println(err)
		return
	}
	req := &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
		VpconnAliUID:         "1210123456123456",
		VLANID:               expressconnect.VLAN(100),
		Spec:                 expressconnect.Spec1G,
		OrderMode:            expressconnect.PayByVirtualPhysicalConnectionOwner,
	}
	if _, err := client.CreateVirtualPhysicalConnection(context.Background(), req); err != nil {
		fmt.Println(err)
		return
	}
	_, err = client.CreateVirtualPhysicalConnection(context.Background(), req)
	fmt.Println(errors.Is(err, expressconnect.CodeVLANIDHasBeenUsedInPhysicalConnection))
	c := s.Connections()[0]
	fmt.Println(c.VLANID, c.Spec, c.VirtualPhysicalConnectionStatus, c.Status)
	// Output:
	// true
	// 100 1G UnConfirmed Allocated
}

// ExampleServer_InjectFaults shows a resilience test: the first attempt fails with HTTP 503,
// the client retries with the same Token, and exactly one hosted connection exists.
func ExampleServer_InjectFaults() {
	s, err := expressconnecttest.NewServer(expressconnecttest.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	s.InjectFaults(1, expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 503, Code: "ServiceUnavailable"})
	client, err := s.Client()
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = client.CreateVirtualPhysicalConnection(context.Background(), &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
		VpconnAliUID:         "1210123456123456",
		VLANID:               expressconnect.VLAN(7),
		Spec:                 expressconnect.Spec100M,
		OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
	})
	fmt.Println(err, len(s.Requests()), len(s.Connections()))
	// Output:
	// <nil> 2 1
}

// ExampleConfig shows a test of code that waits for a hosted connection: with AutoAccept and
// AutoEnable, the tenant accepts it and billing enables it by themselves, each 20 ms after the
// step before, and the waiter polls List until it is Enabled.
func ExampleConfig() {
	s, err := expressconnecttest.NewServer(expressconnecttest.Config{
		AutoAccept:       20 * time.Millisecond,
		AutoEnable:       20 * time.Millisecond,
		TerminationDelay: time.Nanosecond, // Terminated at once
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	client, err := s.Client()
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	created, err := client.CreateVirtualPhysicalConnection(ctx, &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
		VpconnAliUID:         "1210123456123456",
		VLANID:               expressconnect.VLAN(100),
		Spec:                 expressconnect.Spec1G,
		OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	waited, err := client.WaitVirtualPhysicalConnections(ctx, &expressconnect.WaitRequest{
		PhysicalConnectionID:         expressconnecttest.DefaultCircuitID,
		VirtualPhysicalConnectionIDs: []string{created.VirtualPhysicalConnectionID},
		Until:                        expressconnect.IsEnabled,
		MinDelay:                     10 * time.Millisecond,
		MaxDelay:                     50 * time.Millisecond,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	conn := waited.Connections[0]
	fmt.Println(conn.VpconnStatus, conn.Status, conn.Spec)

	// An Enabled hosted connection must be terminated before it can be deleted; with a
	// termination delay of 0, Terminating becomes Terminated at once.
	if err := s.Terminate(conn.VirtualPhysicalConnectionID); err != nil {
		fmt.Println(err)
		return
	}
	del := &expressconnect.HostedConnectionRequest{PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionID: conn.VirtualPhysicalConnectionID}
	_, err = client.DeleteVirtualPhysicalConnection(ctx, del)
	fmt.Println(err)
	_, err = client.DeleteVirtualPhysicalConnection(ctx, del)
	fmt.Println(errors.Is(err, expressconnect.ErrNotFound))
	// Output:
	// Confirmed Enabled 1G
	// <nil>
	// true
}
