package expressconnecttest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// TestRequestsAfter checks that Admin.Requests pages through the requests the log holds in
// order of arrival, skipping those it dropped, and that a cursor stays valid across Reset.
func TestRequestsAfter(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{RequestLogSize: 5})
	send := func(vlan int) {
		resp, _, err := rawPost(context.Background(), s, vlan)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	for vlan := 1; vlan <= 8; vlan++ { // ranks 1 to 8; the log holds 4 to 8
		send(vlan)
	}
	cases := []struct {
		name     string
		after    uint64
		limit    int
		vlans    []string
		wantLast uint64
	}{
		{"first page", 0, 2, []string{"4", "5"}, 5},
		{"next page", 5, 2, []string{"6", "7"}, 7},
		{"last page, shorter", 7, 2, []string{"8"}, 8},
		{"past the end", 8, 2, []string{}, 8},
		{"from a dropped rank", 2, 10, []string{"4", "5", "6", "7", "8"}, 8},
		{"no limit", 0, 0, []string{"4", "5", "6", "7", "8"}, 8},
		{"negative limit: no limit", 3, -1, []string{"4", "5", "6", "7", "8"}, 8},
	}
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page, err := s.Admin().Requests(ctx, tc.after, tc.limit)
			require.NoError(t, err)
			assert.Equal(t, tc.vlans, vlansOf(page.Requests))
			assert.Equal(t, tc.wantLast, page.Next)
			assert.Equal(t, uint64(3), page.Dropped)
		})
	}

	admin(t, s).Reset()
	send(9)
	page, err := s.Admin().Requests(ctx, 8, 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"9"}, vlansOf(page.Requests), "ranks go on after Reset")
	assert.Equal(t, uint64(9), page.Next)
}
