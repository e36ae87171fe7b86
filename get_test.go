package expressconnect

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGetVirtualPhysicalConnection(t *testing.T) {
	t.Parallel()
	found := fixtureJSON(http.StatusOK, listPage("", hostedElement("pc-hosted", "pc-circuit", "Enabled", "Confirmed")), "")
	srv := newFixtureServer(t, found, fixtureJSON(http.StatusOK, listPage(""), ""))
	c := fixtureClient(t, srv.URL)

	got, err := c.GetVirtualPhysicalConnection(context.Background(), &GetVirtualPhysicalConnectionRequest{VirtualPhysicalConnectionID: "pc-hosted"})
	require.NoError(t, err)
	assert.Equal(t, "pc-circuit", got.ParentPhysicalConnectionID)
	assert.Equal(t, "LIST-REQ", got.RequestID)
	q := srv.queries()[0]
	assert.Equal(t, "pc-hosted", q.Get("VirtualPhysicalConnectionIds.1"))
	assert.Equal(t, "Deleted", q.Get("VirtualPhysicalConnectionStatuses.3"), "deleted ones are read too")

	_, err = c.GetVirtualPhysicalConnection(context.Background(), &GetVirtualPhysicalConnectionRequest{VirtualPhysicalConnectionID: "pc-hosted"})
	require.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), "no hosted connection pc-hosted")

	_, err = c.GetVirtualPhysicalConnection(context.Background(), &GetVirtualPhysicalConnectionRequest{})
	var vErr *ValidationError
	require.ErrorAs(t, err, &vErr)
	assert.NotEmpty(t, vErr.Field("VirtualPhysicalConnectionID"))
	_, err = c.GetVirtualPhysicalConnection(context.Background(), nil)
	require.ErrorAs(t, err, &vErr)
	assert.Len(t, srv.requests(), 2)
}

func TestDescribePhysicalConnection(t *testing.T) {
	t.Parallel()
	row := `{"PhysicalConnectionId":"pc-circuit","ProductType":"PhysicalConnection","Status":"Enabled","Bandwidth":10000,` +
		`"VirtualPhysicalConnectionCount":3,"ParentPhysicalConnectionAliUid":1580000000000001,"Spec":"10G","CreationTime":"2021-06-08T12:20:55Z",` +
		`"EnabledTime":"2021-06-09 08:00:00","Name":"edge-1","Tags":{"tags":[{"Key":"k","Value":"v"}]}}`
	srv := newFixtureServer(t,
		fixtureJSON(http.StatusOK, `{"RequestId":"DESC-9","PageNumber":1,"PageSize":10,"TotalCount":1,"PhysicalConnectionSet":{"PhysicalConnectionType":[`+row+`]}}`, ""),
		fixtureJSON(http.StatusOK, `{"RequestId":"DESC-10","PhysicalConnectionSet":{"PhysicalConnectionType":[]}}`, ""))
	c := fixtureClient(t, srv.URL)

	got, err := c.DescribePhysicalConnection(context.Background(), &DescribePhysicalConnectionRequest{PhysicalConnectionID: "pc-circuit"})
	require.NoError(t, err)
	assert.Equal(t, "DESC-9", got.RequestID)
	assert.Equal(t, productCircuit, got.ProductType)
	assert.Equal(t, StatusEnabled, got.Status)
	assert.Equal(t, int64(10000), got.Bandwidth)
	assert.Equal(t, 3, got.VirtualPhysicalConnectionCount)
	assert.Equal(t, "1580000000000001", got.ParentPhysicalConnectionAliUID, "a number here, a string in List")
	assert.Equal(t, "edge-1", got.Name)
	assert.Equal(t, 2021, got.CreationTime.Year())
	assert.Equal(t, 8, got.EnabledTime.Hour())
	assert.Nil(t, got.Unreadable)
	q := srv.queries()[0]
	assert.Equal(t, "DescribePhysicalConnections", q.Get("Action"))
	assert.Equal(t, "PhysicalConnectionId", q.Get("Filter.1.Key"))
	assert.Equal(t, "pc-circuit", q.Get("Filter.1.Value.1"))

	_, err = c.DescribePhysicalConnection(context.Background(), &DescribePhysicalConnectionRequest{PhysicalConnectionID: "pc-circuit"})
	require.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), "DESC-10")
}

func TestConditions(t *testing.T) {
	t.Parallel()
	conn := func(status Status, vpconn VpconnStatus, spec Spec) *VirtualPhysicalConnection {
		return &VirtualPhysicalConnection{Status: status, VpconnStatus: vpconn, Spec: spec}
	}
	tests := []struct {
		name        string
		cond        Condition
		conn        *VirtualPhysicalConnection
		done        bool
		unreachable bool
	}{
		{"terminated", IsTerminated, conn(StatusTerminated, VpconnStatusConfirmed, Spec50M), true, false},
		{"terminating", IsTerminated, conn(StatusTerminating, VpconnStatusConfirmed, Spec50M), false, false},
		{"enabled, not yet terminated", IsTerminated, conn(StatusEnabled, VpconnStatusConfirmed, Spec50M), false, false},
		{"terminated but deleted", IsTerminated, conn(StatusTerminated, VpconnStatusDeleted, Spec50M), false, true},
		{"absent while terminating", IsTerminated, nil, false, true},
		{"canceled never terminates", IsTerminated, conn(StatusCanceled, VpconnStatusConfirmed, Spec50M), false, true},
		{"the new bandwidth", HasSpec(Spec200M), conn(StatusEnabled, VpconnStatusConfirmed, Spec200M), true, false},
		{"the old bandwidth still", HasSpec(Spec200M), conn(StatusEnabled, VpconnStatusConfirmed, Spec100M), false, false},
		{"terminated before the upgrade", HasSpec(Spec200M), conn(StatusTerminated, VpconnStatusConfirmed, Spec100M), false, true},
		{"deleted before the upgrade", HasSpec(Spec200M), conn(StatusEnabled, VpconnStatusDeleted, Spec100M), false, true},
		{"absent before the upgrade", HasSpec(Spec200M), nil, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			done, err := tc.cond(tc.conn)
			assert.Equal(t, tc.done, done)
			assert.Equal(t, tc.unreachable, err != nil && errors.Is(err, ErrUnreachable), "%v", err)
		})
	}
}
