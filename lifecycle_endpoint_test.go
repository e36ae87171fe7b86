package expressconnect_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// These tests drive the lifecycle through the public API against the local endpoint, which
// follows the service where that is dangerous for a caller: DeletePhysicalConnection,
// TerminatePhysicalConnection and CancelPhysicalConnection act on a partner's own circuit too.

// secondCircuit is another circuit of the partner, newly ordered (Allocated): the service
// would delete or cancel it for good.
const secondCircuit = "pc-bp1secondcircuit00"

// guardedCalls are the client's guarded actions.
var guardedCalls = map[string]func(c *expressconnect.Client, ctx context.Context, req *expressconnect.HostedConnectionRequest, opts ...expressconnect.CallOption) (*expressconnect.ResponseMetadata, error){
	"DeletePhysicalConnection":    (*expressconnect.Client).DeleteVirtualPhysicalConnection,
	"TerminatePhysicalConnection": (*expressconnect.Client).TerminateVirtualPhysicalConnection,
	"CancelPhysicalConnection":    (*expressconnect.Client).CancelVirtualPhysicalConnection,
}

// TestGuardKeepsCircuitsSafe passes the partner's second circuit where a hosted connection's
// ID belongs, to each guarded action: the client refuses, nothing of the action is sent, and
// the circuit is still there.
func TestGuardKeepsCircuitsSafe(t *testing.T) {
	t.Parallel()
	for action, call := range guardedCalls {
		t.Run(action, func(t *testing.T) {
			t.Parallel()
			srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{ID: secondCircuit, Status: expressconnect.StatusAllocated}}})
			c := vlanClient(t, srv)

			_, err := call(c, context.Background(), &expressconnect.HostedConnectionRequest{
				PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionID: secondCircuit})

			require.ErrorIs(t, err, expressconnect.ErrNotHostedConnection)
			assert.Contains(t, err.Error(), "is a circuit, not a hosted connection")
			sent, _ := receivedSince(t, srv, 0)
			for _, r := range sent {
				assert.NotEqual(t, action, r.Action, "nothing of the action was sent")
			}
			d, err := c.DescribePhysicalConnection(context.Background(), &expressconnect.DescribePhysicalConnectionRequest{PhysicalConnectionID: secondCircuit})
			require.NoError(t, err, "the circuit is still there")
			assert.Equal(t, expressconnect.StatusAllocated, d.Status)

			_, err = call(c, context.Background(), &expressconnect.HostedConnectionRequest{
				PhysicalConnectionID: secondCircuit, VirtualPhysicalConnectionID: secondCircuit})
			var vErr *expressconnect.ValidationError
			require.ErrorAs(t, err, &vErr, "the same ID twice is refused at once")
		})
	}
}

// TestTerminateCancelDelete takes one hosted connection from Enabled through Terminating to
// Terminated and deletes it, and cancels another before it is enabled and deletes it.
func TestTerminateCancelDelete(t *testing.T) {
	t.Parallel()
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{TerminationDelay: 50 * time.Millisecond})
	c := vlanClient(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	target := func(id string) *expressconnect.HostedConnectionRequest {
		return &expressconnect.HostedConnectionRequest{PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionID: id}
	}

	enabled := createOn(t, c, "1210123456789012", 10, expressconnect.Spec100M)
	require.NoError(t, srv.Admin().Act(ctx, enabled, expressconnecttest.TenantAccepts))
	require.NoError(t, srv.Admin().Act(ctx, enabled, expressconnecttest.BillingEnables))
	_, err := c.CancelVirtualPhysicalConnection(ctx, target(enabled))
	require.ErrorIs(t, err, expressconnect.ErrInvalidState, "an Enabled one is not canceled")
	resp, err := c.TerminateVirtualPhysicalConnection(ctx, target(enabled))
	require.NoError(t, err)
	assert.Len(t, resp.Token, 36)
	got, err := c.GetVirtualPhysicalConnection(ctx, &expressconnect.GetVirtualPhysicalConnectionRequest{VirtualPhysicalConnectionID: enabled})
	require.NoError(t, err)
	assert.Equal(t, expressconnect.StatusTerminating, got.Status)
	waited, err := c.WaitVirtualPhysicalConnections(ctx, &expressconnect.WaitRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionIDs: []string{enabled},
		Until: expressconnect.IsTerminated, MinDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond})
	require.NoError(t, err)
	assert.Equal(t, expressconnect.StatusTerminated, waited.Connections[0].Status)
	_, err = c.DeleteVirtualPhysicalConnection(ctx, target(enabled))
	require.NoError(t, err)

	pending := createOn(t, c, "1210123456789012", 11, expressconnect.Spec100M)
	_, err = c.TerminateVirtualPhysicalConnection(ctx, target(pending))
	require.ErrorIs(t, err, expressconnect.ErrInvalidState, "only an Enabled one is terminated")
	_, err = c.CancelVirtualPhysicalConnection(ctx, target(pending))
	require.NoError(t, err)
	got, err = c.GetVirtualPhysicalConnection(ctx, &expressconnect.GetVirtualPhysicalConnectionRequest{VirtualPhysicalConnectionID: pending})
	require.NoError(t, err)
	assert.Equal(t, expressconnect.StatusCanceled, got.Status)
	_, err = c.DeleteVirtualPhysicalConnection(ctx, target(pending))
	require.NoError(t, err)
	_, err = c.DeleteVirtualPhysicalConnection(ctx, target(pending))
	assert.ErrorIs(t, err, expressconnect.ErrNotFound, "already gone")
}

// TestWaitNeverReportsAFalseGone waits for IsGone with the circuit wrong or the arguments
// swapped: the wait fails with an error naming the argument instead of reporting a live
// hosted connection deleted.
func TestWaitNeverReportsAFalseGone(t *testing.T) {
	t.Parallel()
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{ID: secondCircuit}}})
	c := vlanClient(t, srv)
	live := createOn(t, c, "1210123456789012", 10, expressconnect.Spec100M)
	tests := []struct {
		name, circuit, id, text string
	}{
		{"the wrong circuit", secondCircuit, live, "is on circuit " + expressconnecttest.DefaultCircuitID},
		{"swapped", live, expressconnecttest.DefaultCircuitID, "is a hosted connection, not a circuit"},
		{"a circuit where the hosted connection belongs", expressconnecttest.DefaultCircuitID, secondCircuit, "is a circuit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			resp, err := c.WaitVirtualPhysicalConnections(ctx, &expressconnect.WaitRequest{
				PhysicalConnectionID: tc.circuit, VirtualPhysicalConnectionIDs: []string{tc.id},
				Until: expressconnect.IsGone, MinDelay: 10 * time.Millisecond, MaxDelay: 20 * time.Millisecond})
			assert.Nil(t, resp)
			require.ErrorIs(t, err, expressconnect.ErrNotHostedConnection)
			assert.Contains(t, err.Error(), tc.text)
		})
	}
}

// TestWaitBatchCost waits for 200 hosted connections of one circuit, each until it has been
// seen in three rounds, and counts the List calls the endpoint answers: 10 a round (20 IDs a
// call), 30 in all.
func TestWaitBatchCost(t *testing.T) {
	t.Parallel()
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{ID: secondCircuit, Quota: 200, CapacityMbps: 20000}}})
	c := vlanClient(t, srv)
	var ids []string
	for v := 1; v <= 200; v++ {
		req := exampleRequest(v)
		req.PhysicalConnectionID, req.Spec = secondCircuit, expressconnect.Spec50M
		resp, err := c.CreateVirtualPhysicalConnection(context.Background(), req)
		require.NoError(t, err)
		ids = append(ids, resp.VirtualPhysicalConnectionID)
	}
	_, created := receivedSince(t, srv, 0) // the requests that follow are the waiter's
	var mu sync.Mutex
	seen := map[string]int{}
	thirdRound := func(conn *expressconnect.VirtualPhysicalConnection) (bool, error) {
		mu.Lock()
		defer mu.Unlock()
		seen[conn.VirtualPhysicalConnectionID]++
		return seen[conn.VirtualPhysicalConnectionID] == 3, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	resp, err := c.WaitVirtualPhysicalConnections(ctx, &expressconnect.WaitRequest{
		PhysicalConnectionID: secondCircuit, VirtualPhysicalConnectionIDs: ids, Until: thirdRound,
		MinDelay: 10 * time.Millisecond, MaxDelay: 20 * time.Millisecond})

	require.NoError(t, err)
	require.Len(t, resp.Connections, 200)
	lists := 0
	polls, _ := receivedSince(t, srv, created)
	for _, r := range polls {
		if r.Action == "ListVirtualPhysicalConnections" {
			lists++
			assert.NotContains(t, r.Params, "VirtualPhysicalConnectionIds.21")
		}
	}
	assert.Equal(t, resp.Polls, lists)
	assert.Equal(t, 30, lists, "3 rounds of 10 List calls for 200 pending connections")
}
