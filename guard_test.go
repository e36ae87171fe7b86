package expressconnect

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// guardedActions are the three actions the guard protects, by the method that sends each.
var guardedActions = []struct {
	action string
	call   func(c *Client, ctx context.Context, req *HostedConnectionRequest) (*ResponseMetadata, error)
}{
	{actionDelete, func(c *Client, ctx context.Context, req *HostedConnectionRequest) (*ResponseMetadata, error) {
		return c.DeleteVirtualPhysicalConnection(ctx, req)
	}},
	{actionTerminate, func(c *Client, ctx context.Context, req *HostedConnectionRequest) (*ResponseMetadata, error) {
		return c.TerminateVirtualPhysicalConnection(ctx, req)
	}},
	{actionCancel, func(c *Client, ctx context.Context, req *HostedConnectionRequest) (*ResponseMetadata, error) {
		return c.CancelVirtualPhysicalConnection(ctx, req)
	}},
}

// TestGuard checks, for each guarded action, that it is sent only once a List on the circuit
// found the ID as a hosted connection of that circuit, and that every other answer is refused
// before anything is sent.
func TestGuard(t *testing.T) {
	t.Parallel()
	onCircuit := listPage("", hostedElement("pc-hosted", "pc-circuit", "Enabled", "Confirmed"))
	elsewhere := listPage("", hostedElement("pc-hosted", "pc-other", "Enabled", "Confirmed"))
	deleted := listPage("", hostedElement("pc-hosted", "pc-circuit", "Terminated", "Deleted"))
	empty := listPage("")
	tests := []struct {
		name     string
		lists    []string          // the answers to the guard's List calls, in order
		known    map[string]string // what DescribePhysicalConnections knows, by ID
		sent     bool
		wantErr  error
		wantText string
	}{
		{"a hosted connection of the circuit", []string{onCircuit}, nil, true, nil, ""},
		{"found only beyond the circuit's filter, on that circuit", []string{empty, onCircuit}, nil, true, nil, ""},
		{"a hosted connection of another circuit", []string{empty, elsewhere}, nil, false, ErrNotHostedConnection, "on circuit pc-other"},
		{"the ID of another of the partner's circuits", []string{empty, empty}, map[string]string{"pc-hosted": productCircuit}, false, ErrNotHostedConnection, "is a circuit"},
		{"already deleted", []string{deleted}, nil, false, ErrNotFound, "already deleted"},
		{"exists nowhere", []string{empty, empty}, map[string]string{}, false, ErrNotFound, "already gone, or never created"},
	}
	for _, a := range guardedActions {
		for _, tc := range tests {
			t.Run(a.action+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				var lists []fixtureStep
				for _, body := range tc.lists {
					lists = append(lists, fixtureJSON(http.StatusOK, body, ""))
				}
				srv := newFixtureServer(t, fixtureByAction(map[string][]fixtureStep{
					actionList:     lists,
					actionDescribe: {fixtureDescribe(tc.known)},
					a.action:       {fixtureJSON(http.StatusOK, `{"RequestId":"ACT-1"}`, "")},
				}))
				req := &HostedConnectionRequest{PhysicalConnectionID: "pc-circuit", VirtualPhysicalConnectionID: "pc-hosted"}
				resp, err := a.call(fixtureClient(t, srv.URL), context.Background(), req)

				q := srv.queries()
				require.NotEmpty(t, q)
				assert.Equal(t, actionList, q[0].Get("Action"), "the guard lists first")
				assert.Equal(t, "pc-circuit", q[0].Get("PhysicalConnectionId"))
				assert.Equal(t, "pc-hosted", q[0].Get("VirtualPhysicalConnectionIds.1"))
				sent := false
				for _, action := range srv.actions() {
					sent = sent || action == a.action
				}
				assert.Equal(t, tc.sent, sent, "was %s sent? %v", a.action, srv.actions())
				if tc.wantErr == nil {
					require.NoError(t, err)
					assert.Equal(t, "ACT-1", resp.RequestID)
					assert.Len(t, resp.Token, 36)
					return
				}
				assert.Nil(t, resp)
				require.ErrorIs(t, err, tc.wantErr)
				assert.Contains(t, err.Error(), tc.wantText)
				assert.Contains(t, err.Error(), "nothing sent")
				if errors.Is(tc.wantErr, ErrNotHostedConnection) {
					assert.NotErrorIs(t, err, ErrNotFound, "a circuit is never taken for a gone hosted connection")
				}
			})
		}
	}
}

// TestGuardRefusesEqualIDs checks that the circuit's ID given as the hosted connection's is
// refused before anything is sent, with the field named.
func TestGuardRefusesEqualIDs(t *testing.T) {
	t.Parallel()
	for _, a := range guardedActions {
		t.Run(a.action, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t)
			_, err := a.call(fixtureClient(t, srv.URL), context.Background(),
				&HostedConnectionRequest{PhysicalConnectionID: "pc-circuit", VirtualPhysicalConnectionID: "pc-circuit"})
			var vErr *ValidationError
			require.ErrorAs(t, err, &vErr)
			assert.Equal(t, a.action, vErr.Operation)
			require.NotEmpty(t, vErr.Field("VirtualPhysicalConnectionID"))
			assert.Contains(t, vErr.Field("VirtualPhysicalConnectionID")[0].Rule, "swapped")
			_, err = a.call(fixtureClient(t, srv.URL), context.Background(), &HostedConnectionRequest{VirtualPhysicalConnectionID: "pc-hosted"})
			require.ErrorAs(t, err, &vErr)
			assert.NotEmpty(t, vErr.Field("PhysicalConnectionID"), "the circuit is required")
			assert.Empty(t, srv.requests())
		})
	}
}

// TestGuardListFails checks that a guard whose List fails sends nothing and returns the List's
// failure.
func TestGuardListFails(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, fixtureByAction(map[string][]fixtureStep{
		actionList: {fixtureAPI(http.StatusBadRequest, "Throttling.User")},
	}))
	_, err := fixtureClient(t, srv.URL, WithMaxAttempts(1)).TerminateVirtualPhysicalConnection(context.Background(),
		&HostedConnectionRequest{PhysicalConnectionID: "pc-circuit", VirtualPhysicalConnectionID: "pc-hosted"})
	require.ErrorIs(t, err, ErrThrottled)
	assert.Contains(t, err.Error(), "nothing sent")
	assert.Equal(t, []string{actionList}, srv.actions())
}
