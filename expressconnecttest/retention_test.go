package expressconnecttest_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// createParams returns the signed-to-be parameters of a Create on vlan with the client token.
func createParams(s *expressconnecttest.Server, vlan int, token string) func() url.Values {
	return func() url.Values {
		p := validParams(s) // a fresh nonce and the server's time at each call
		p.Set("VlanId", strconv.Itoa(vlan))
		p.Set("Token", token)
		return p
	}
}

// TestRetention checks that the server forgets a deleted hosted connection and a used client
// token once the retention has passed on its clock, and not before: a replay within it
// answers as the first time did, one after it is a new request.
func TestRetention(t *testing.T) {
	t.Parallel()
	const retention = time.Hour
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Retention: retention})
	createDeleted := createParams(s, 10, "create-token")
	first := post(t, s, createDeleted())
	require.Equal(t, http.StatusOK, first.Status, first.Raw)
	deletedID := first.str("VirtualPhysicalConnection")
	deleteIt := func() result {
		return callAction(t, s, "DeletePhysicalConnection", "PhysicalConnectionId", deletedID, "ClientToken", "delete-token")
	}
	require.Equal(t, http.StatusOK, deleteIt().Status)
	kept := post(t, s, createParams(s, 11, "kept-token")())
	require.Equal(t, http.StatusOK, kept.Status, kept.Raw)
	keptID := kept.str("VirtualPhysicalConnection")

	admin(t, s).SetClockOffset(retention - time.Minute)
	again := post(t, s, createDeleted())
	assert.Equal(t, deletedID, again.str("VirtualPhysicalConnection"), "within the retention, the token answers as the first time")
	assert.Equal(t, http.StatusOK, deleteIt().Status, "within the retention, the ClientToken answers success again")
	require.Len(t, admin(t, s).Connections(), 2)

	admin(t, s).SetClockOffset(2 * retention)
	conns := admin(t, s).Connections()
	require.Len(t, conns, 1, "the deleted hosted connection is forgotten")
	assert.Equal(t, keptID, conns[0].VirtualPhysicalConnectionID, "one that is not deleted stays")
	_, err := s.Admin().Connection(context.Background(), deletedID)
	assert.ErrorIs(t, err, expressconnecttest.ErrUnknownConnection)
	gone := deleteIt()
	assert.Equal(t, http.StatusNotFound, gone.Status, "the ClientToken is forgotten: %s", gone.Raw)
	assert.Equal(t, "InvalidPhysicalConnectionId.NotFound", gone.code())
	anew := post(t, s, createDeleted())
	require.Equal(t, http.StatusOK, anew.Status, anew.Raw)
	assert.NotEqual(t, deletedID, anew.str("VirtualPhysicalConnection"), "the token is forgotten: a new hosted connection")
	reuse := post(t, s, createParams(s, 11, "kept-token")())
	assert.Equal(t, "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION", reuse.code(),
		"the token of a hosted connection that stays is forgotten too: the request is checked anew")
}

// TestRetentionKeepsNextTokens checks that a NextToken issued before the server forgets a
// deleted hosted connection still leads to the page it stood for.
func TestRetentionKeepsNextTokens(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Retention: time.Hour})
	var ids []string
	for vlan := 20; vlan < 24; vlan++ {
		r := post(t, s, createParams(s, vlan, "")())
		require.Equal(t, http.StatusOK, r.Status, r.Raw)
		ids = append(ids, r.str("VirtualPhysicalConnection"))
	}
	require.Equal(t, http.StatusOK, callAction(t, s, "DeletePhysicalConnection", "PhysicalConnectionId", ids[0]).Status)
	require.Equal(t, http.StatusOK, callAction(t, s, "DeletePhysicalConnection", "PhysicalConnectionId", ids[2]).Status)
	list := func(kv ...string) result {
		return callAction(t, s, "ListVirtualPhysicalConnections", append([]string{"MaxResults", "1"}, kv...)...)
	}
	page := list()
	require.Equal(t, []string{ids[1]}, page.listedField("PhysicalConnectionId"))
	next := page.str("NextToken")
	require.NotEmpty(t, next)

	admin(t, s).SetClockOffset(3 * time.Hour)
	require.Len(t, admin(t, s).Connections(), 2, "the deleted ones are forgotten")
	page = list("NextToken", next)
	assert.Equal(t, []string{ids[3]}, page.listedField("PhysicalConnectionId"))
	assert.Empty(t, page.str("NextToken"))
}

// TestRetentionDefaultAndForever checks the default retention, DefaultRetention, and that a
// retention of 0 forgets nothing.
func TestRetentionDefaultAndForever(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		cfg  expressconnecttest.Config
		kept int
	}{
		{"default", expressconnecttest.Config{}, 0},
		{"forever", expressconnecttest.Config{Retention: expressconnecttest.RetainForever}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := expressconnecttest.NewTestServer(t, tc.cfg)
			r := post(t, s, createParams(s, 30, "")())
			require.Equal(t, http.StatusOK, r.Status, r.Raw)
			require.Equal(t, http.StatusOK, callAction(t, s, "DeletePhysicalConnection", "PhysicalConnectionId", r.str("VirtualPhysicalConnection")).Status)

			admin(t, s).SetClockOffset(expressconnecttest.DefaultRetention - time.Minute)
			assert.Len(t, admin(t, s).Connections(), 1, "kept within the default retention")
			admin(t, s).SetClockOffset(2 * expressconnecttest.DefaultRetention)
			assert.Len(t, admin(t, s).Connections(), tc.kept)
		})
	}
}
