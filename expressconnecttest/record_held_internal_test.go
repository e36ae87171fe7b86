package expressconnecttest

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/internal/localsign"
)

// postCreate signs a Create request on vlan with the server's AccessKey and sends it with
// ctx, returning the status of its answer.
func postCreate(ctx context.Context, s *Server, vlan int) (int, error) {
	p := url.Values{
		"AccessKeyId": {s.cfg.key.id}, "Action": {actionCreate}, "Format": {"JSON"},
		"SignatureMethod": {signatureMethod}, "SignatureNonce": {newRequestID()}, "SignatureVersion": {signatureVersion},
		"Timestamp": {s.clock.now().Format(timestampLayout)}, "Version": {apiVersion}, "RegionId": {DefaultRegionID},
		"PhysicalConnectionId": {DefaultCircuitID}, "VpconnAliUid": {"1210123456123456"}, "VlanId": {strconv.Itoa(vlan)},
		"Spec": {"50M"}, "OrderMode": {"PayByVirtualPhysicalConnectionOwner"},
	}
	p.Set("Signature", localsign.Sign(http.MethodPost, p, s.cfg.key.secret))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"/?"+p.Encode(), nil)
	if err != nil {
		return 0, err
	}
	resp, err := s.http.Client().Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// holdCreate sends a Create request on vlan that a delay fault holds, and returns once the
// server holds it; calling release makes its client give up, which lets the server record it
// (with no answer, StatusCode 0).
func holdCreate(t *testing.T, s *Server, vlan int) (release func()) {
	t.Helper()
	s.faults.inject(1, Fault{Kind: FaultDelay, Delay: MaxFaultWait})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel) // before the server's Close
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = postCreate(ctx, s, vlan)
	}()
	require.Eventually(t, func() bool {
		s.faults.mu.Lock()
		defer s.faults.mu.Unlock()
		return len(s.faults.queue) == 0
	}, 10*time.Second, time.Millisecond, "the held request took the delay fault")
	return func() { cancel(); <-done }
}

// heldLog returns every request the log holds.
func heldLog(s *Server) []Request {
	reqs, _ := s.log.after(0, s.log.size)
	return reqs
}

// heldVLANs returns the VlanId of each request the log holds.
func heldVLANs(s *Server) []string {
	out := []string{}
	for _, r := range heldLog(s) {
		out = append(out, r.Params.Get("VlanId"))
	}
	return out
}

// TestRequestsInOrderOfArrival holds the first request until a second one has been answered:
// the log lists the second only while the first is in flight, and then both in order of
// arrival.
func TestRequestsInOrderOfArrival(t *testing.T) {
	t.Parallel()
	s := NewTestServer(t, Config{})
	release := holdCreate(t, s, 31)
	status, err := postCreate(context.Background(), s, 32)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, []string{"32"}, heldVLANs(s), "the held request is not answered yet")

	release()
	require.Eventually(t, func() bool { return len(heldLog(s)) == 2 }, 10*time.Second, time.Millisecond)
	assert.Equal(t, []string{"31", "32"}, heldVLANs(s))
	assert.Zero(t, heldLog(s)[0].StatusCode, "no answer was sent")
}

// TestRequestLogDropsLateOldRequest holds the first request until later ones have filled the
// log: when it is recorded it is the oldest arrival, so it is dropped rather than a newer one.
func TestRequestLogDropsLateOldRequest(t *testing.T) {
	t.Parallel()
	s := NewTestServer(t, Config{RequestLogSize: 2})
	release := holdCreate(t, s, 10)
	for vlan := 11; vlan < 14; vlan++ {
		status, err := postCreate(context.Background(), s, vlan)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status)
	}
	assert.Equal(t, []string{"12", "13"}, heldVLANs(s))
	release()
	require.Eventually(t, func() bool { return s.log.droppedCount() == 2 }, 10*time.Second, time.Millisecond)
	assert.Equal(t, []string{"12", "13"}, heldVLANs(s))
}
