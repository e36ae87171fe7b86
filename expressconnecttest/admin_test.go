package expressconnecttest_test

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// This file checks Admin, the Go client of the admin API, both ways: Server.Admin in the
// process, and NewAdmin through the listener, as for the command.

// adminModes are the two ways to a server's admin API: its own Admin, in the process, and one
// from NewAdmin, through its listener.
var adminModes = []string{"in process", "through the listener"}

// adminOf returns the Admin of s for mode, one of adminModes.
func adminOf(t *testing.T, s *expressconnecttest.Server, mode string) *expressconnecttest.Admin {
	t.Helper()
	if mode == "in process" {
		return s.Admin()
	}
	adm, err := expressconnecttest.NewAdmin(s.URL(), "")
	require.NoError(t, err)
	return adm
}

// eachAdminMode runs test as a parallel subtest for each of adminModes, with a new server of
// cfg and its Admin in that mode.
func eachAdminMode(t *testing.T, cfg expressconnecttest.Config, test func(t *testing.T, s *expressconnecttest.Server, adm *expressconnecttest.Admin)) {
	t.Helper()
	for _, mode := range adminModes {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			s := expressconnecttest.NewTestServer(t, cfg)
			test(t, s, adminOf(t, s, mode))
		})
	}
}

// TestAdminAct checks every Action, one the state model refuses, and an unknown ID, with the
// errors that match ErrTransitionNotAllowed and ErrUnknownConnection.
func TestAdminAct(t *testing.T) {
	t.Parallel()
	eachAdminMode(t, expressconnecttest.Config{}, func(t *testing.T, s *expressconnecttest.Server, adm *expressconnecttest.Admin) {
		ctx := context.Background()
		c := newClient(t, s)
		id := createWithClient(t, c, 10)
		steps := []struct {
			act  expressconnecttest.Action
			want string
		}{
			{expressconnecttest.TenantAccepts, "Confirmed Confirmed Normal"},
			{expressconnecttest.BillingEnables, "Confirmed Enabled Normal"},
			{expressconnecttest.BillingLocksFinancial, "Confirmed Enabled FinancialLocked"},
			{expressconnecttest.BillingUnlocks, "Confirmed Enabled Normal"},
			{expressconnecttest.BillingLocksSecurity, "Confirmed Enabled SecurityLocked"},
		}
		for _, step := range steps {
			require.NoError(t, adm.Act(ctx, id, step.act), step.act)
			got, err := adm.Connection(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, step.want, state(got), step.act)
		}
		err := adm.Act(ctx, id, expressconnecttest.TenantAccepts)
		require.ErrorIs(t, err, expressconnecttest.ErrTransitionNotAllowed)
		assert.NotErrorIs(t, err, expressconnecttest.ErrUnknownConnection)
		assert.Contains(t, err.Error(), "admin API POST /_sandbox/connections/"+id+"/accept: HTTP 409 TransitionNotAllowed: ")
		assert.Contains(t, err.Error(), "it is Confirmed, Enabled and SecurityLocked; this needs UnConfirmed and Allocated")

		rejected := createWithClient(t, c, 11)
		require.NoError(t, adm.Act(ctx, rejected, expressconnecttest.TenantRejects))
		got, err := adm.Connection(ctx, rejected)
		require.NoError(t, err)
		assert.Equal(t, "UnConfirmed Rejected Normal", state(got))

		for _, act := range []expressconnecttest.Action{expressconnecttest.TenantAccepts, expressconnecttest.TenantRejects,
			expressconnecttest.BillingEnables, expressconnecttest.BillingLocksFinancial, expressconnecttest.BillingLocksSecurity,
			expressconnecttest.BillingUnlocks} {
			err := adm.Act(ctx, "pc-bp1unknown", act)
			assert.ErrorIs(t, err, expressconnecttest.ErrUnknownConnection, act)
			assert.NotErrorIs(t, err, expressconnecttest.ErrTransitionNotAllowed, act)
		}
		_, err = adm.Connection(ctx, "pc-bp1unknown")
		assert.ErrorIs(t, err, expressconnecttest.ErrUnknownConnection)
		err = adm.Act(ctx, id, expressconnecttest.Action("explode"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), `"explode" is none of the Actions`)
		assert.ErrorIs(t, adm.Act(ctx, "", expressconnecttest.TenantAccepts), expressconnecttest.ErrUnknownConnection)
		_, err = adm.Connection(ctx, "")
		assert.ErrorIs(t, err, expressconnecttest.ErrUnknownConnection)
	})
}

// TestAdminConnectionsAndCircuits checks the lists of hosted connections and circuits, and
// SetCircuit, with a circuit the server refuses.
func TestAdminConnectionsAndCircuits(t *testing.T) {
	t.Parallel()
	eachAdminMode(t, expressconnecttest.Config{}, func(t *testing.T, s *expressconnecttest.Server, adm *expressconnecttest.Admin) {
		ctx := context.Background()
		const added = "pc-bp1admingoclient0001"
		conns, err := adm.Connections(ctx)
		require.NoError(t, err)
		assert.Empty(t, conns)
		id := createWithClient(t, newClient(t, s), 10)
		conns, err = adm.Connections(ctx)
		require.NoError(t, err)
		require.Len(t, conns, 1)
		assert.Equal(t, id, conns[0].VirtualPhysicalConnectionID)
		assert.Equal(t, expressconnect.VLAN(10), conns[0].VLANID)
		one, err := adm.Connection(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, one, conns[0])
		require.NoError(t, adm.SetCircuit(ctx, expressconnecttest.Circuit{ID: added, Quota: 1, CapacityMbps: 1000}))
		circuits, err := adm.Circuits(ctx)
		require.NoError(t, err)
		assert.Equal(t, []expressconnecttest.Circuit{
			{ID: added, RegionID: expressconnecttest.DefaultRegionID, Status: expressconnect.StatusEnabled, CapacityMbps: 1000, Quota: 1,
				Owner: expressconnecttest.DefaultAccountID},
			{ID: expressconnecttest.DefaultCircuitID, RegionID: expressconnecttest.DefaultRegionID, Status: expressconnect.StatusEnabled,
				CapacityMbps: expressconnecttest.DefaultCapacityMbps, Quota: expressconnecttest.DefaultQuota, Owner: expressconnecttest.DefaultAccountID},
		}, circuits)

		assert.ErrorContains(t, adm.SetCircuit(ctx, expressconnecttest.Circuit{Quota: 1}), "SetCircuit: the circuit has no ID")
		err = adm.SetCircuit(ctx, expressconnecttest.Circuit{ID: "pc-bp1bad", Status: "Active"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), `HTTP 400 InvalidParameter: circuit pc-bp1bad: Status "Active" is none of the documented states`)
		assert.NotErrorIs(t, err, expressconnecttest.ErrUnknownConnection)
	})
}

// TestAdminFaultsAndRequests checks injecting faults, one limited to an action, clearing
// them, and reading the requests a page at a time or all at once.
func TestAdminFaultsAndRequests(t *testing.T) {
	t.Parallel()
	eachAdminMode(t, expressconnecttest.Config{}, func(t *testing.T, s *expressconnecttest.Server, adm *expressconnecttest.Admin) {
		ctx := context.Background()
		c := newClient(t, s, expressconnect.WithMaxAttempts(1))
		require.NoError(t, adm.InjectFaults(ctx, 1, expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 500,
			Action: "ListVirtualPhysicalConnections"}))
		require.NoError(t, adm.InjectFaults(ctx, 0, expressconnecttest.Fault{Kind: expressconnecttest.FaultReset}), "nothing")
		require.NoError(t, adm.InjectFaults(ctx, 1, expressconnecttest.Fault{Kind: expressconnecttest.FaultDrip, Interval: time.Millisecond}))
		createWithClient(t, c, 10) // dripped, whole
		_, err := c.ListVirtualPhysicalConnections(ctx, &expressconnect.ListVirtualPhysicalConnectionsRequest{})
		assert.ErrorIs(t, err, expressconnect.CodeInternalError)
		require.NoError(t, adm.InjectFaults(ctx, 5, expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle}))
		require.NoError(t, adm.ClearFaults(ctx))
		createWithClient(t, c, 11)

		err = adm.InjectFaults(ctx, 1, expressconnecttest.Fault{Kind: expressconnecttest.FaultDrip, Delay: time.Second})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "HTTP 400 InvalidParameter: the Delay applies to Kind delay only")

		page, err := adm.Requests(ctx, 0, 0)
		require.NoError(t, err)
		require.Len(t, page.Requests, 3)
		assert.Equal(t, []expressconnecttest.FaultKind{expressconnecttest.FaultDrip, expressconnecttest.FaultError, expressconnecttest.FaultNone},
			[]expressconnecttest.FaultKind{page.Requests[0].Fault, page.Requests[1].Fault, page.Requests[2].Fault})
		assert.Equal(t, "ListVirtualPhysicalConnections", page.Requests[1].Action)
		assert.Equal(t, "<redacted>", page.Requests[0].Params.Get("Signature"))
		assert.True(t, page.Requests[0].SignatureVerified)
		assert.Nil(t, page.Requests[0].Body, "the client sends its parameters in the URL query")
		assert.False(t, page.More)
		assert.Zero(t, page.Dropped)

		first, err := adm.Requests(ctx, 0, 1)
		require.NoError(t, err)
		require.Len(t, first.Requests, 1)
		assert.True(t, first.More)
		assert.Equal(t, page.Requests[0], first.Requests[0])
		rest, err := adm.Requests(ctx, first.Next, 0)
		require.NoError(t, err)
		assert.Equal(t, page.Requests[1:], rest.Requests)
		assert.Equal(t, page.Next, rest.Next)
		none, err := adm.Requests(ctx, rest.Next, 10)
		require.NoError(t, err)
		assert.Empty(t, none.Requests)
		assert.Equal(t, rest.Next, none.Next, "past the end, the cursor stays")

		params := validParams(s)
		params.Set("VlanId", "12")
		form := postForm(t, s, params)
		require.Equal(t, http.StatusOK, form.Status, form.Raw)
		posted, err := adm.Requests(ctx, rest.Next, 0)
		require.NoError(t, err)
		require.Len(t, posted.Requests, 1)
		assert.Contains(t, string(posted.Requests[0].Body), "Action=CreateVirtualPhysicalConnection&", "the form body")
		assert.Contains(t, string(posted.Requests[0].Body), "&Signature=<redacted>")
	})
}

// TestAdminRequestsBeyondAPage checks that Requests reads the admin API's pages of 100 until
// it has the requests asked for, or every one.
func TestAdminRequestsBeyondAPage(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{RequestLogSize: 300})
	client := &http.Client{Timeout: 10 * time.Second}
	for i := range 250 { // unsigned: each is recorded and answered IncompleteSignature
		resp, err := client.Get(s.URL() + "/?n=" + strconv.Itoa(i))
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
	}
	ctx := context.Background()
	all, err := s.Admin().Requests(ctx, 0, 0)
	require.NoError(t, err)
	require.Len(t, all.Requests, 250)
	assert.Equal(t, "249", all.Requests[249].Params.Get("n"))
	assert.False(t, all.More)
	some, err := s.Admin().Requests(ctx, 0, 150)
	require.NoError(t, err)
	require.Len(t, some.Requests, 150)
	assert.Equal(t, "149", some.Requests[149].Params.Get("n"))
	assert.True(t, some.More)
	rest, err := s.Admin().Requests(ctx, some.Next, 0)
	require.NoError(t, err)
	assert.Equal(t, all.Requests[150:], rest.Requests)

	small := expressconnecttest.NewTestServer(t, expressconnecttest.Config{RequestLogSize: 2})
	for range 5 {
		resp, err := client.Get(small.URL() + "/")
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
	}
	page, err := small.Admin().Requests(ctx, 0, 0)
	require.NoError(t, err)
	assert.Len(t, page.Requests, 2)
	assert.Equal(t, uint64(3), page.Dropped)
	assert.Equal(t, uint64(5), page.Next)
}

// TestAdminClockAndSTSCredentials checks the clock and the expiry of the STS credentials, and that Reset
// undoes both.
func TestAdminClockAndSTSCredentials(t *testing.T) {
	t.Parallel()
	eachAdminMode(t, expressconnecttest.Config{ClockOffset: time.Minute}, func(t *testing.T, s *expressconnecttest.Server, adm *expressconnecttest.Admin) {
		ctx := context.Background()
		now, err := adm.Now(ctx)
		require.NoError(t, err)
		assert.WithinDuration(t, time.Now().Add(time.Minute), now, 10*time.Second)
		require.NoError(t, adm.SetClockOffset(ctx, -20*time.Minute))
		now, err = adm.Now(ctx)
		require.NoError(t, err)
		assert.WithinDuration(t, time.Now().Add(-20*time.Minute), now, 10*time.Second)
		_, err = newClient(t, s, expressconnect.WithMaxAttempts(1), expressconnect.WithClockSkewCorrection(false)).
			CreateVirtualPhysicalConnection(ctx, request(10))
		assert.ErrorIs(t, err, expressconnect.CodeInvalidTimeStampExpired)

		sts := s.Account().STS
		stsClient := newClient(t, s, expressconnect.WithSTSCredentials(sts.AccessKeyID, sts.AccessKeySecret, sts.SecurityToken),
			expressconnect.WithMaxAttempts(1))
		require.NoError(t, adm.ExpireSTSCredentials(ctx))
		_, err = stsClient.ListVirtualPhysicalConnections(ctx, &expressconnect.ListVirtualPhysicalConnectionsRequest{})
		assert.ErrorIs(t, err, expressconnect.CodeInvalidSecurityTokenExpired)

		require.NoError(t, adm.Reset(ctx))
		now, err = adm.Now(ctx)
		require.NoError(t, err)
		assert.WithinDuration(t, time.Now().Add(time.Minute), now, 10*time.Second, "the configured offset")
		_, err = stsClient.ListVirtualPhysicalConnections(ctx, &expressconnect.ListVirtualPhysicalConnectionsRequest{})
		assert.NoError(t, err, "no longer expired")
	})
}

// TestAdminActions checks the actions the server serves.
func TestAdminActions(t *testing.T) {
	t.Parallel()
	actions, err := expressconnecttest.NewTestServer(t, expressconnecttest.Config{}).Admin().Actions(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"CancelPhysicalConnection", "CreateVirtualPhysicalConnection", "DeletePhysicalConnection",
		"DescribePhysicalConnections", "ListVirtualPhysicalConnections", "TerminatePhysicalConnection",
		"UpdateVirtualPhysicalConnection"}, actions)
}

// TestServerAdminInProcess checks that the server's own Admin works with the admin API off
// for the listener, and that its requests are not logged.
func TestServerAdminInProcess(t *testing.T) {
	t.Parallel()
	var out syncBuffer
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{NoAdmin: true, Logger: slog.New(slog.NewTextHandler(&out, nil))})
	id := createWithClient(t, newClient(t, s), 10)
	require.NoError(t, s.Admin().Act(context.Background(), id, expressconnecttest.TenantAccepts))
	assert.NotContains(t, out.String(), "msg=admin")

	remote, err := expressconnecttest.NewAdmin(s.URL(), "")
	require.NoError(t, err)
	_, err = remote.Connections(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "HTTP 404 AdminOff: the admin API is off for the listener")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, s.Admin().Reset(ctx), context.Canceled)
}

// TestServerAdminBeyondLoopback checks that the server's own Admin works when the server
// listens beyond loopback, where the admin API needs the token and refuses the listener's
// address as a Host.
func TestServerAdminBeyondLoopback(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	far := farListener{Listener: l, addr: &net.TCPAddr{IP: net.IPv4zero, Port: l.Addr().(*net.TCPAddr).Port}}
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Listener: far})
	assert.Equal(t, "http://0.0.0.0:"+strconv.Itoa(far.addr.(*net.TCPAddr).Port), s.URL())
	actions, err := s.Admin().Actions(context.Background())
	require.NoError(t, err)
	assert.NotEmpty(t, actions)
}

// TestNewAdmin checks the URLs and tokens NewAdmin takes and refuses.
func TestNewAdmin(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, url, token, want string
	}{
		{"loopback", "http://127.0.0.1:8080", "", ""},
		{"loopback with a slash", "http://127.0.0.1:8080/", "", ""},
		{"the admin API's URL", "http://localhost:8080/_sandbox/", "", ""},
		{"bare host and port", "127.0.0.1:8080", "", ""},
		{"IPv6 loopback", "http://[::1]:8080", "", ""},
		{"beyond loopback with a token", "http://expressconnect:8080", "0123456789abcdef", ""},
		{"https without a token", "https://sandbox.example", "", ""},
		{"beyond loopback without a token", "http://expressconnect:8080", "", "expressconnect:8080 is not a loopback host"},
		{"another scheme", "ftp://127.0.0.1:8080", "", "is neither http nor https"},
		{"another path", "http://127.0.0.1:8080/api", "", "is not a server's base URL"},
		{"a query", "http://127.0.0.1:8080/?x=1", "", "is not a server's base URL"},
		{"a user", "http://me:pw@127.0.0.1:8080", "", "is not a server's base URL"},
		{"no host", "http://", "", "is not a server's base URL"},
		{"token with a line break", "http://127.0.0.1:8080", "0123456789abcdef\nx", "must be 16 to 256 letters"},
		{"token too short", "http://127.0.0.1:8080", "abc", "must be 16 to 256 letters"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			adm, err := expressconnecttest.NewAdmin(tc.url, tc.token)
			if tc.want == "" {
				require.NoError(t, err)
				assert.NotNil(t, adm)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "abc\ndef")
		})
	}
}

// TestNewAdminSendsTheToken checks that an Admin from NewAdmin sends its token, which a server
// listening beyond loopback requires, and that a wrong or missing one is an error naming the
// refusal.
func TestNewAdminSendsTheToken(t *testing.T) {
	t.Parallel()
	const token = "fedcba9876543210fedcba9876543210"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	real := "http://" + l.Addr().String()
	far := farListener{Listener: l, addr: &net.TCPAddr{IP: net.IPv4zero, Port: l.Addr().(*net.TCPAddr).Port}}
	expressconnecttest.NewTestServer(t, expressconnecttest.Config{Listener: far, AdminToken: token})
	ctx := context.Background()
	for _, tc := range []struct{ name, token, want string }{
		{"right", token, ""},
		{"missing", "", "HTTP 401 Unauthorized: the admin API needs the admin token"},
		{"wrong", "0123456789abcdef0123456789abcdef", "HTTP 401 Unauthorized: the admin token is wrong"},
	} {
		adm, err := expressconnecttest.NewAdmin(real, tc.token)
		require.NoError(t, err)
		_, err = adm.Now(ctx)
		if tc.want == "" {
			assert.NoError(t, err, tc.name)
			continue
		}
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), tc.want, tc.name)
		assert.NotContains(t, err.Error(), token, tc.name)
	}
}

// TestAdminAnswersThatAreNotTheAdminAPIs checks the errors of an Admin pointed at a server that
// is not a sandbox: an error page, JSON of another shape, a redirect.
func TestAdminAnswersThatAreNotTheAdminAPIs(t *testing.T) {
	t.Parallel()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/_sandbox/clock":
			http.Error(w, "<html>busy</html>", http.StatusBadGateway)
		case "/_sandbox/connections":
			_, _ = w.Write([]byte(`{"not": "a list"}`))
		default:
			http.Redirect(w, r, "http://attacker.example/", http.StatusFound)
		}
	}))
	t.Cleanup(other.Close)
	adm, err := expressconnecttest.NewAdmin(other.URL, "0123456789abcdef")
	require.NoError(t, err)
	ctx := context.Background()
	_, err = adm.Now(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "HTTP 502 Bad Gateway: the answer is not an error of the admin API: <html>busy</html>")
	_, err = adm.Connections(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the answer is not the admin API's JSON")
	err = adm.Reset(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the admin API does not redirect")
	var urlErr interface{ Timeout() bool }
	assert.True(t, errors.As(err, &urlErr), "the transport's error, wrapped")
}
