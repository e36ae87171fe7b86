package benchserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/benchmarks/internal/fixture"
	"github.com/expressconnect-go/expressconnect/benchmarks/internal/floor"
	"github.com/expressconnect-go/expressconnect/internal/localsign"
)

// scalePage is what the tests read of a scale answer.
type scalePage struct {
	NextToken                  string
	TotalCount                 int
	VirtualPhysicalConnections []fixture.ListedConnection
	PhysicalConnectionSet      struct {
		PhysicalConnectionType []struct{ PhysicalConnectionID, ProductType string }
	}
}

// askScale sends h a signed request with params and decodes the answer.
func askScale(t *testing.T, h *Handler, action string, params url.Values) scalePage {
	t.Helper()
	q, err := url.ParseQuery(floor.SignedQueryFor(action, http.MethodPost, params, fixture.AccessKeyID, fixture.AccessKeySecret, time.Now()))
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/?"+q.Encode(), nil))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var p scalePage
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	return p
}

// TestScaleCircuitPages checks that the pages of a scale circuit hold each of its hosted
// connections once, in order, and end with an empty NextToken.
func TestScaleCircuitPages(t *testing.T) {
	t.Parallel()
	h, err := New(localsign.VerifySignature)
	require.NoError(t, err)
	const n = 250
	var ids []string
	token := ""
	for pages := 0; pages < 10; pages++ {
		p := askScale(t, h, fixture.ListAction, url.Values{"RegionId": {fixture.RegionID}, "PhysicalConnectionId": {ScaleCircuit(n)},
			"MaxResults": {"100"}, "NextToken": {token}})
		assert.Equal(t, n, p.TotalCount)
		for _, c := range p.VirtualPhysicalConnections {
			ids = append(ids, c.PhysicalConnectionID)
		}
		if token = p.NextToken; token == "" {
			break
		}
	}
	require.Len(t, ids, n)
	assert.Equal(t, ScaleID(n, 0), ids[0])
	assert.Equal(t, ScaleID(n, n-1), ids[n-1])
}

// TestScaleCircuitByID checks that a hosted connection read by ID is pending for its first
// ScalePendingPolls reads and accepted after, and that the circuit is described.
func TestScaleCircuitByID(t *testing.T) {
	t.Parallel()
	h, err := New(localsign.VerifySignature)
	require.NoError(t, err)
	params := url.Values{"RegionId": {fixture.RegionID}, "PhysicalConnectionId": {ScaleCircuit(1000)},
		"VirtualPhysicalConnectionIds.1": {ScaleID(1000, 7)}, "VirtualPhysicalConnectionIds.2": {"pc-elsewhere"}}
	for read := range ScalePendingPolls + 1 {
		p := askScale(t, h, fixture.ListAction, params)
		require.Len(t, p.VirtualPhysicalConnections, 1)
		want := "Confirmed"
		if read < ScalePendingPolls {
			want = "UnConfirmed"
		}
		assert.Equal(t, want, p.VirtualPhysicalConnections[0].VirtualPhysicalConnectionStatus, "read %d", read)
	}
	d := askScale(t, h, "DescribePhysicalConnections", url.Values{"RegionId": {fixture.RegionID},
		"Filter.1.Key": {"PhysicalConnectionId"}, "Filter.1.Value.1": {ScaleCircuit(1000)}})
	require.Len(t, d.PhysicalConnectionSet.PhysicalConnectionType, 1)
	assert.Equal(t, "PhysicalConnection", d.PhysicalConnectionSet.PhysicalConnectionType[0].ProductType)
	assert.Equal(t, Stats{Verified: ScalePendingPolls + 2}, h.Stats())
}
