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
// service, and the test inspects what was created through the server's Admin.
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
	ctx := context.Background()
	req := &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
		VpconnAliUID:         "1210123456123456",
		VLANID:               expressconnect.VLAN(100),
		Spec:                 expressconnect.Spec1G,
		OrderMode:            expressconnect.PayByVirtualPhysicalConnectionOwner,
	}
	if _, err := client.CreateVirtualPhysicalConnection(ctx, req); err != nil {
		fmt.Println(err)
		return
	}
	_, err = client.CreateVirtualPhysicalConnection(ctx, req)
	fmt.Println(errors.Is(err, expressconnect.CodeVLANIDHasBeenUsedInPhysicalConnection))
	conns, err := s.Admin().Connections(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	c := conns[0]
	fmt.Println(c.VLANID, c.Spec, c.VirtualPhysicalConnectionStatus, c.Status)
	// Output:
	// true
	// 100 1G UnConfirmed Allocated
}

// ExampleAdmin_Act shows the tenant accepting a hosted connection and billing enabling it,
// the steps that happen outside the partner's API, and a step the state model refuses.
func ExampleAdmin_Act() {
	s, err := expressconnecttest.NewServer(expressconnecttest.Config{})
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
	ctx := context.Background()
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
	id, admin := created.VirtualPhysicalConnectionID, s.Admin()
	if err := admin.Act(ctx, id, expressconnecttest.TenantAccepts); err != nil {
		fmt.Println(err)
		return
	}
	if err := admin.Act(ctx, id, expressconnecttest.BillingEnables); err != nil {
		fmt.Println(err)
		return
	}
	c, err := admin.Connection(ctx, id)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.VirtualPhysicalConnectionStatus, c.Status, c.BusinessStatus)
	err = admin.Act(ctx, id, expressconnecttest.TenantRejects)
	fmt.Println(errors.Is(err, expressconnecttest.ErrTransitionNotAllowed))
	// Output:
	// Confirmed Enabled Normal
	// true
}

// ExampleAdmin_InjectFaults shows a resilience test: the first attempt fails with HTTP 503,
// the client retries with the same Token, and exactly one hosted connection exists.
func ExampleAdmin_InjectFaults() {
	s, err := expressconnecttest.NewServer(expressconnecttest.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	ctx := context.Background()
	err = s.Admin().InjectFaults(ctx, 1, expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 503,
		Action: "CreateVirtualPhysicalConnection"})
	if err != nil {
		fmt.Println(err)
		return
	}
	client, err := s.Client()
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = client.CreateVirtualPhysicalConnection(ctx, &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
		VpconnAliUID:         "1210123456123456",
		VLANID:               expressconnect.VLAN(7),
		Spec:                 expressconnect.Spec100M,
		OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
	})
	requests, _ := s.Admin().Requests(ctx, 0, 0)
	conns, _ := s.Admin().Connections(ctx)
	fmt.Println(err, len(requests.Requests), requests.Requests[0].StatusCode, len(conns))
	// Output:
	// <nil> 2 503 1
}

// ExampleNewAdmin shows a test that drives a running expressconnect-local command through its
// admin API: NewAdmin takes the endpoint the command's banner prints, and the admin token
// ("" on loopback, where it is optional). Here a Server in the process stands in for the
// command, and the tenant accepts the hosted connection the code under test created.
func ExampleNewAdmin() {
	s, err := expressconnecttest.NewServer(expressconnecttest.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	endpoint, token := s.URL(), "" // the command's, such as "http://127.0.0.1:8080"
	client, err := expressconnect.NewClient(expressconnect.WithEndpoint(endpoint), expressconnect.WithRegion("cn-hangzhou"),
		expressconnect.WithAccessKey(s.Account().AccessKeyID, s.Account().AccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
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

	admin, err := expressconnecttest.NewAdmin(endpoint, token)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := admin.Act(ctx, created.VirtualPhysicalConnectionID, expressconnecttest.TenantAccepts); err != nil {
		fmt.Println(err)
		return
	}
	conn, err := admin.Connection(ctx, created.VirtualPhysicalConnectionID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(conn.VirtualPhysicalConnectionStatus, conn.Status)
	// Output:
	// Confirmed Confirmed
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
	// termination delay of a nanosecond, Terminating becomes Terminated at once.
	hosted := &expressconnect.HostedConnectionRequest{PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
		VirtualPhysicalConnectionID: conn.VirtualPhysicalConnectionID}
	if _, err := client.TerminateVirtualPhysicalConnection(ctx, hosted); err != nil {
		fmt.Println(err)
		return
	}
	_, err = client.DeleteVirtualPhysicalConnection(ctx, hosted)
	fmt.Println(err)
	_, err = client.DeleteVirtualPhysicalConnection(ctx, hosted)
	fmt.Println(errors.Is(err, expressconnect.ErrNotFound))
	// Output:
	// Confirmed Enabled 1G
	// <nil>
	// true
}
