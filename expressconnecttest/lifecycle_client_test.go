package expressconnecttest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// Poll intervals and deadline of the waits below: short polls, and a deadline generous enough
// for a loaded machine, which only a broken wait reaches.
const (
	firstPoll    = 10 * time.Millisecond
	maxPoll      = 50 * time.Millisecond
	waitDeadline = 30 * time.Second
)

// createWithClient creates a hosted connection on the default circuit on vlan with c.
func createWithClient(t *testing.T, c *expressconnect.Client, vlan int) string {
	t.Helper()
	resp, err := c.CreateVirtualPhysicalConnection(context.Background(), request(vlan))
	require.NoError(t, err)
	return resp.VirtualPhysicalConnectionID
}

// TestClientLists checks that the client reads List's answers: every field decoded and typed,
// the filters sent as the endpoint reads them, and the pages of ListAllVirtualPhysicalConnections.
func TestClientLists(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	c := newClient(t, s)
	ctx := context.Background()
	var ids []string
	for vlan := 1; vlan <= 5; vlan++ {
		ids = append(ids, createWithClient(t, c, vlan))
	}
	require.NoError(t, act(s, ids[1], expressconnecttest.TenantAccepts))
	require.NoError(t, act(s, ids[1], expressconnecttest.BillingEnables))
	require.NoError(t, act(s, ids[3], expressconnecttest.BillingLocksFinancial))

	page, err := c.ListVirtualPhysicalConnections(ctx, &expressconnect.ListVirtualPhysicalConnectionsRequest{MaxResults: 2})
	require.NoError(t, err)
	assert.Equal(t, 5, page.TotalCount)
	assert.Equal(t, 2, page.Count)
	assert.NotEmpty(t, page.NextToken)
	assert.NotEmpty(t, page.RequestID)
	require.Len(t, page.VirtualPhysicalConnections, 2)

	got := page.VirtualPhysicalConnections[1]
	held := connOf(t, s, ids[1])
	assert.Equal(t, ids[1], got.VirtualPhysicalConnectionID)
	assert.Equal(t, expressconnecttest.DefaultCircuitID, got.ParentPhysicalConnectionID)
	assert.Equal(t, s.Account().AccountID, got.ParentPhysicalConnectionAliUID)
	assert.Equal(t, testTenant, got.VpconnAliUID)
	assert.Equal(t, expressconnect.VLAN(2), got.VLANID)
	assert.Equal(t, expressconnect.VpconnStatusConfirmed, got.VpconnStatus)
	assert.Equal(t, expressconnect.StatusEnabled, got.Status)
	assert.Equal(t, expressconnect.BusinessStatusNormal, got.BusinessStatus)
	assert.Equal(t, expressconnect.Spec100M, got.Spec)
	assert.Equal(t, expressconnect.Spec100M, got.ExpectSpec)
	assert.Equal(t, int64(expressconnecttest.DefaultCapacityMbps), got.Bandwidth)
	assert.Equal(t, held.CreatedAt.Truncate(time.Second), got.CreationTime)
	assert.Equal(t, held.EnabledAt.Truncate(time.Second), got.EnabledTime)
	assert.Equal(t, held.EnabledAt.Truncate(time.Second).AddDate(1, 0, 0), got.EndTime)
	assert.Equal(t, "VirtualPhysicalConnection", got.ProductType)

	var all []string
	for conn, err := range c.ListAllVirtualPhysicalConnections(ctx, &expressconnect.ListVirtualPhysicalConnectionsRequest{MaxResults: 2}) {
		require.NoError(t, err)
		all = append(all, conn.VirtualPhysicalConnectionID)
	}
	assert.Equal(t, ids, all, "every page, in order of creation")

	cases := []struct {
		name string
		req  expressconnect.ListVirtualPhysicalConnectionsRequest
		want []string
	}{
		{"VLANs", expressconnect.ListVirtualPhysicalConnectionsRequest{VLANIDs: []expressconnect.VLANID{expressconnect.VLAN(1), expressconnect.VLAN(5)}}, []string{ids[0], ids[4]}},
		{"confirmed", expressconnect.ListVirtualPhysicalConnectionsRequest{Confirmation: expressconnect.OnlyConfirmed}, ids[1:2]},
		{"locked", expressconnect.ListVirtualPhysicalConnectionsRequest{BusinessStatus: expressconnect.BusinessStatusFinancialLocked}, ids[3:4]},
		{"IDs on the circuit", expressconnect.ListVirtualPhysicalConnectionsRequest{
			PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionIDs: []string{ids[2]}}, ids[2:3]},
		{"tenant", expressconnect.ListVirtualPhysicalConnectionsRequest{VpconnAliUIDs: []string{"1999999999999999"}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for conn, err := range c.ListAllVirtualPhysicalConnections(ctx, &tc.req) {
				require.NoError(t, err)
				got = append(got, conn.VirtualPhysicalConnectionID)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestClientUpdates drives UpdateVirtualPhysicalConnection through the client: the change,
// the dry run, and the typed errors.
func TestClientUpdates(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	c := newClient(t, s)
	ctx := context.Background()
	id := createWithClient(t, c, 10)
	other := createWithClient(t, c, 11)

	resp, err := c.UpdateVirtualPhysicalConnection(ctx, &expressconnect.UpdateVirtualPhysicalConnectionRequest{
		VirtualPhysicalConnectionID: id, VLANID: expressconnect.VLAN(20), ExpectSpec: expressconnect.Spec200M,
	})
	require.NoError(t, err)
	assert.NotEmpty(t, resp.Token, "the client filled in the Token")
	assert.False(t, resp.DryRun)
	held := connOf(t, s, id)
	assert.Equal(t, expressconnect.VLAN(20), held.VLANID)
	assert.Equal(t, expressconnect.Spec200M, held.ExpectSpec)
	assert.Equal(t, resp.Token, admin(t, s).Requests()[len(admin(t, s).Requests())-1].Params.Get("Token"))

	dry, err := c.UpdateVirtualPhysicalConnection(ctx, &expressconnect.UpdateVirtualPhysicalConnectionRequest{
		VirtualPhysicalConnectionID: id, VLANID: expressconnect.VLAN(30), DryRun: true,
	})
	require.NoError(t, err)
	assert.True(t, dry.DryRun)
	assert.Equal(t, expressconnect.VLAN(20), connOf(t, s, id).VLANID)

	_, err = c.UpdateVirtualPhysicalConnection(ctx, &expressconnect.UpdateVirtualPhysicalConnectionRequest{
		VirtualPhysicalConnectionID: id, VLANID: expressconnect.VLAN(11),
	})
	assert.ErrorIs(t, err, expressconnect.CodeVLANIDHasBeenUsedInPhysicalConnection)
	assert.ErrorIs(t, err, expressconnect.ErrVLANConflict)

	_, err = c.UpdateVirtualPhysicalConnection(ctx, &expressconnect.UpdateVirtualPhysicalConnectionRequest{
		VirtualPhysicalConnectionID: "pc-bp1nosuchconnection00", VLANID: expressconnect.VLAN(12),
	})
	assert.ErrorIs(t, err, expressconnect.CodeResourceNotFoundPhysicalConnectionID)
	assert.ErrorIs(t, err, expressconnect.ErrNotFound)

	_, err = c.CancelVirtualPhysicalConnection(ctx, &expressconnect.HostedConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionID: other})
	require.NoError(t, err)
	_, err = c.UpdateVirtualPhysicalConnection(ctx, &expressconnect.UpdateVirtualPhysicalConnectionRequest{
		VirtualPhysicalConnectionID: other, VLANID: expressconnect.VLAN(12),
	})
	assert.ErrorIs(t, err, expressconnect.CodeForbiddenNotAllowedInState)
	assert.ErrorIs(t, err, expressconnect.ErrInvalidState)
}

// TestClientDeletes deletes a hosted connection twice through the client: the second time is
// an error in the ErrNotFound family, which a caller takes as "already gone".
func TestClientDeletes(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	c := newClient(t, s)
	ctx := context.Background()
	id := createWithClient(t, c, 10)
	resp, err := c.DeleteVirtualPhysicalConnection(ctx, &expressconnect.HostedConnectionRequest{PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionID: id})
	require.NoError(t, err)
	assert.NotEmpty(t, resp.Token)
	assert.NotEmpty(t, resp.RequestID)
	assert.Equal(t, expressconnect.VpconnStatusDeleted, connOf(t, s, id).VirtualPhysicalConnectionStatus)

	before := len(admin(t, s).Requests())
	_, err = c.DeleteVirtualPhysicalConnection(ctx, &expressconnect.HostedConnectionRequest{PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionID: id})
	require.Error(t, err)
	assert.ErrorIs(t, err, expressconnect.ErrNotFound, "the guard's List shows it deleted")
	assert.Len(t, admin(t, s).Requests(), before+1, "only the guard's List is sent")

	enabled := createWithClient(t, c, 11)
	require.NoError(t, act(s, enabled, expressconnecttest.TenantAccepts))
	require.NoError(t, act(s, enabled, expressconnecttest.BillingEnables))
	_, err = c.DeleteVirtualPhysicalConnection(ctx, &expressconnect.HostedConnectionRequest{PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionID: enabled})
	assert.ErrorIs(t, err, expressconnect.CodeForbiddenNotInAllowDeleteStatus)
	assert.ErrorIs(t, err, expressconnect.ErrInvalidState)

	_, err = c.DeleteVirtualPhysicalConnection(ctx, &expressconnect.HostedConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionID: id, RegionID: "xx-nowhere-1",
	})
	assert.ErrorIs(t, err, expressconnect.CodeInvalidRegionIDNotFound)
	assert.NotErrorIs(t, err, expressconnect.ErrNotFound, "a wrong region is not taken for a deleted hosted connection")
}

// TestClientRetriesUpdateAndDelete checks that a retry after an answer lost on the way back
// sends the same token, and the endpoint answers it as the first time: one change, and a
// deletion that succeeds rather than answering NotFound.
func TestClientRetriesUpdateAndDelete(t *testing.T) {
	t.Parallel()
	lost := expressconnecttest.Fault{Kind: expressconnecttest.FaultClose, AfterHandling: true}
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	c := newClient(t, s)
	ctx := context.Background()
	id := createWithClient(t, c, 10)

	admin(t, s).InjectFaults(1, lost)
	_, err := c.UpdateVirtualPhysicalConnection(ctx, &expressconnect.UpdateVirtualPhysicalConnectionRequest{
		VirtualPhysicalConnectionID: id, VLANID: expressconnect.VLAN(20),
	})
	require.NoError(t, err)
	assert.Equal(t, expressconnect.VLAN(20), connOf(t, s, id).VLANID)

	lostDelete := lost
	lostDelete.Action = "DeletePhysicalConnection" // not the guard's List that comes first
	admin(t, s).InjectFaults(1, lostDelete)
	_, err = c.DeleteVirtualPhysicalConnection(ctx, &expressconnect.HostedConnectionRequest{PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionID: id})
	require.NoError(t, err, "the retry with the same ClientToken succeeds")
	reqs := admin(t, s).Requests()
	require.GreaterOrEqual(t, len(reqs), 2)
	first, retry := reqs[len(reqs)-2], reqs[len(reqs)-1]
	assert.Equal(t, expressconnecttest.FaultClose, first.Fault)
	assert.Equal(t, first.Params.Get("ClientToken"), retry.Params.Get("ClientToken"))
	assert.Equal(t, 200, retry.StatusCode)
}

// TestClientWaits demonstrates WaitVirtualPhysicalConnections against the automatic acceptance
// and enabling: the waiter polls List until the state it waits for comes.
func TestClientWaits(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{AutoAccept: 30 * time.Millisecond, AutoEnable: 30 * time.Millisecond, TerminationDelay: 30 * time.Millisecond})
	c := newClient(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), waitDeadline)
	defer cancel()
	id := createWithClient(t, c, 10)

	accepted, err := waitOne(ctx, c, id, expressconnect.IsAccepted)
	require.NoError(t, err)
	assert.Equal(t, expressconnect.VpconnStatusConfirmed, accepted.VpconnStatus)

	enabled, err := waitOne(ctx, c, id, expressconnect.IsEnabled)
	require.NoError(t, err)
	assert.Equal(t, expressconnect.StatusEnabled, enabled.Status)
	assert.False(t, enabled.EnabledTime.IsZero())

	_, err = c.TerminateVirtualPhysicalConnection(ctx, &expressconnect.HostedConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionID: id})
	require.NoError(t, err)
	terminated, err := waitOne(ctx, c, id, expressconnect.IsTerminated)
	require.NoError(t, err, "Terminating becomes Terminated after the termination delay")
	assert.Equal(t, expressconnect.StatusTerminated, terminated.Status)
	_, err = c.DeleteVirtualPhysicalConnection(ctx, &expressconnect.HostedConnectionRequest{PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionID: id})
	require.NoError(t, err)
	gone, err := waitOne(ctx, c, id, expressconnect.IsGone)
	require.NoError(t, err)
	require.NotNil(t, gone, "the waiter asks for deleted ones, which the endpoint lists")
	assert.Equal(t, expressconnect.VpconnStatusDeleted, gone.VpconnStatus)
}

// waitOne waits for the hosted connection id on the default circuit until cond holds, with
// short polls, and returns it as the wait last saw it.
func waitOne(ctx context.Context, c *expressconnect.Client, id string, cond expressconnect.Condition) (*expressconnect.VirtualPhysicalConnection, error) {
	resp, err := c.WaitVirtualPhysicalConnections(ctx, &expressconnect.WaitRequest{
		PhysicalConnectionID:         expressconnecttest.DefaultCircuitID,
		VirtualPhysicalConnectionIDs: []string{id},
		Until:                        cond,
		MinDelay:                     firstPoll,
		MaxDelay:                     maxPoll,
	})
	if err != nil {
		return nil, err
	}
	return resp.Connections[0], nil
}

// TestClientWaitEndsWhenUnreachable checks that a wait for a state the hosted connection can
// no longer reach ends with ErrUnreachable rather than at its deadline.
func TestClientWaitEndsWhenUnreachable(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	c := newClient(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), waitDeadline)
	defer cancel()
	id := createWithClient(t, c, 10)
	require.NoError(t, act(s, id, expressconnecttest.TenantRejects))
	_, err := waitOne(ctx, c, id, expressconnect.IsEnabled)
	require.ErrorIs(t, err, expressconnect.ErrUnreachable)
	var waitErr *expressconnect.WaitError
	require.ErrorAs(t, err, &waitErr)
	require.NotNil(t, waitErr.Results[0].Last)
	assert.Equal(t, expressconnect.StatusRejected, waitErr.Results[0].Last.Status)
	assert.NoError(t, ctx.Err(), "the wait ended before its deadline")
}
