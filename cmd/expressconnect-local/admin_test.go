package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// adminAnswer is an answer of the admin API.
type adminAnswer struct {
	status int
	header http.Header
	body   string
}

// errorText returns the Error of an error answer, failing the test when the body is not
// {"Error": "..."}.
func (a adminAnswer) errorText(t *testing.T) string {
	t.Helper()
	var e map[string]string
	require.NoError(t, json.Unmarshal([]byte(a.body), &e), a.body)
	require.Len(t, e, 1, a.body)
	require.NotEmpty(t, e["Error"], a.body)
	return e["Error"]
}

// decode decodes the JSON body into v.
func (a adminAnswer) decode(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal([]byte(a.body), v), a.body)
}

// adminCall sends method path with body (none when "", JSON otherwise) to the command at
// base.
func adminCall(t *testing.T, base, method, path, body string) adminAnswer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, base+path, rd)
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	return adminAnswer{status: resp.StatusCode, header: resp.Header, body: string(raw)}
}

// sandbox is the command run for an admin test, with an SDK client that makes one attempt.
type sandbox struct {
	*running
	client *expressconnect.Client
}

// startSandbox runs the command with fixed credentials and args.
func startSandbox(t *testing.T, args ...string) sandbox {
	t.Helper()
	r := startRun(t, noEnv, append([]string{"-access-key", "LTAI5tAdminTest:admin-secret",
		"-sts-access-key-id", "STS.NUAdminTest", "-sts-access-key-secret", "sts-secret", "-sts-security-token", "CAISadmin"}, args...)...)
	c, err := expressconnect.NewClient(expressconnect.WithEndpoint(r.banner.url), expressconnect.WithRegion("cn-hangzhou"),
		expressconnect.WithAccessKey(r.banner.keyID, r.banner.keySecret), expressconnect.WithMaxAttempts(1))
	require.NoError(t, err)
	return sandbox{running: r, client: c}
}

// call sends an admin request.
func (s sandbox) call(t *testing.T, method, path, body string) adminAnswer {
	t.Helper()
	return adminCall(t, s.banner.url, method, path, body)
}

// create creates a hosted connection on vlan and returns its ID.
func (s sandbox) create(t *testing.T, vlan int) string {
	t.Helper()
	resp, err := s.tryCreate(vlan)
	require.NoError(t, err)
	return resp.VirtualPhysicalConnectionID
}

// tryCreate creates a hosted connection on vlan on the default circuit.
func (s sandbox) tryCreate(vlan int) (*expressconnect.CreateVirtualPhysicalConnectionResponse, error) {
	return s.tryCreateOn(expressconnecttest.DefaultCircuitID, vlan)
}

// tryCreateOn creates a hosted connection on vlan on the circuit.
func (s sandbox) tryCreateOn(circuit string, vlan int) (*expressconnect.CreateVirtualPhysicalConnectionResponse, error) {
	return s.client.CreateVirtualPhysicalConnection(context.Background(), &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: circuit, VpconnAliUID: "1210123456123456", VLANID: expressconnect.VLAN(vlan),
		Spec: expressconnect.Spec100M, OrderMode: expressconnect.PayByPhysicalConnectionOwner,
	})
}

// connectionOf decodes a hosted connection answered by the admin API.
func connectionOf(t *testing.T, a adminAnswer) expressconnecttest.Connection {
	t.Helper()
	require.Equal(t, http.StatusOK, a.status, a.body)
	var c expressconnecttest.Connection
	a.decode(t, &c)
	return c
}

// apiCode returns the error code of err, failing the test when it is not an API error.
func apiCode(t *testing.T, err error) expressconnect.Code {
	t.Helper()
	var apiErr *expressconnect.APIError
	require.True(t, errors.As(err, &apiErr), "an API error: %v", err)
	return apiErr.Code
}

// TestAdminIndexAndRouting checks the index, unknown routes and wrong methods.
func TestAdminIndexAndRouting(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	a := s.call(t, http.MethodGet, "/_sandbox/", "")
	require.Equal(t, http.StatusOK, a.status)
	var index struct{ Routes []string }
	a.decode(t, &index)
	assert.Len(t, index.Routes, len(adminRoutes()))
	assert.Contains(t, index.Routes, "POST /_sandbox/reset: start again from the configured state: no hosted connections, requests, faults or tokens")

	cases := []struct {
		name, method, path string
		status             int
		allow, want        string
	}{
		{"unknown route", http.MethodGet, "/_sandbox/nothing", http.StatusNotFound, "", "no admin route GET /_sandbox/nothing"},
		{"unknown action", http.MethodPost, "/_sandbox/connections/pc-x/explode", http.StatusNotFound, "", "no admin route POST"},
		{"wrong method", http.MethodGet, "/_sandbox/connections/pc-x/accept", http.StatusMethodNotAllowed, "POST", "takes POST, not GET"},
		{"wrong method, two allowed", http.MethodPost, "/_sandbox/clock", http.StatusMethodNotAllowed, "GET, PUT", "takes GET or PUT, not POST"},
		{"index method", http.MethodDelete, "/_sandbox/", http.StatusMethodNotAllowed, "GET", "not DELETE"},
	}
	t.Run("errors", func(t *testing.T) { // returns once its parallel cases are done
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				a := s.call(t, tc.method, tc.path, "")
				assert.Equal(t, tc.status, a.status)
				assert.Equal(t, tc.allow, a.header.Get("Allow"))
				assert.Contains(t, a.errorText(t), tc.want)
			})
		}
	})
	require.NoError(t, s.stop())
	assert.Regexp(t, `msg=admin method=GET path=/_sandbox/nothing status=404\n`, s.stderr.String())
	assert.Regexp(t, `msg=admin method=GET path=/_sandbox/ status=200\n`, s.stderr.String())
}

// TestAdminConnections checks the list and the lookup of hosted connections.
func TestAdminConnections(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	a := s.call(t, http.MethodGet, "/_sandbox/connections", "")
	require.Equal(t, http.StatusOK, a.status)
	assert.JSONEq(t, "[]", a.body)

	id := s.create(t, 10)
	var list []expressconnecttest.Connection
	s.call(t, http.MethodGet, "/_sandbox/connections", "").decode(t, &list)
	require.Len(t, list, 1)
	assert.Equal(t, id, list[0].VirtualPhysicalConnectionID)
	assert.Equal(t, expressconnect.VLAN(10), list[0].VLANID)
	assert.Equal(t, expressconnect.StatusAllocated, list[0].Status)

	c := connectionOf(t, s.call(t, http.MethodGet, "/_sandbox/connections/"+id, ""))
	assert.Equal(t, list[0], c)

	a = s.call(t, http.MethodGet, "/_sandbox/connections/pc-bp1unknown", "")
	assert.Equal(t, http.StatusNotFound, a.status)
	assert.Contains(t, a.errorText(t), `no hosted connection has this ID: "pc-bp1unknown"`)
}

// TestAdminTransitions checks acting as the tenant, billing and the owner: each change, one
// the state model refuses (409), bad input (400) and an unknown ID (404).
func TestAdminTransitions(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	post := func(id, action, body string) adminAnswer {
		return s.call(t, http.MethodPost, "/_sandbox/connections/"+id+"/"+action, body)
	}
	id := s.create(t, 20)
	c := connectionOf(t, post(id, "accept", ""))
	assert.Equal(t, expressconnect.StatusConfirmed, c.Status)
	assert.Equal(t, expressconnect.VpconnStatusConfirmed, c.VirtualPhysicalConnectionStatus)
	a := post(id, "accept", "")
	assert.Equal(t, http.StatusConflict, a.status)
	assert.Contains(t, a.errorText(t), "the state model does not allow this change")

	assert.Equal(t, expressconnect.StatusEnabled, connectionOf(t, post(id, "enable", "")).Status)
	assert.Equal(t, expressconnect.BusinessStatusFinancialLocked, connectionOf(t, post(id, "lock", "")).BusinessStatus)
	assert.Equal(t, http.StatusConflict, post(id, "lock", `{"BusinessStatus":"SecurityLocked"}`).status)
	assert.Equal(t, expressconnect.BusinessStatusNormal, connectionOf(t, post(id, "unlock", "")).BusinessStatus)
	assert.Equal(t, expressconnect.BusinessStatusSecurityLocked,
		connectionOf(t, post(id, "lock", `{"BusinessStatus":"SecurityLocked"}`)).BusinessStatus)
	assert.Equal(t, expressconnect.StatusTerminating, connectionOf(t, post(id, "terminate", "")).Status)
	assert.Equal(t, http.StatusConflict, post(id, "cancel", "").status)
	require.Equal(t, http.StatusOK, s.call(t, http.MethodPut, "/_sandbox/clock", `{"Offset":"1m"}`).status)
	assert.Equal(t, expressconnect.StatusTerminated, connectionOf(t, s.call(t, http.MethodGet, "/_sandbox/connections/"+id, "")).Status,
		"Terminated once the termination delay has passed on the server's clock")

	rejected := s.create(t, 21)
	assert.Equal(t, expressconnect.StatusRejected, connectionOf(t, post(rejected, "reject", "")).Status)
	canceled := s.create(t, 22)
	assert.Equal(t, expressconnect.StatusCanceled, connectionOf(t, post(canceled, "cancel", "")).Status)

	bad := []struct{ name, body, want string }{
		{"lock to Normal", `{"BusinessStatus":"Normal"}`, `BusinessStatus "Normal" is neither FinancialLocked nor SecurityLocked`},
		{"unknown field", `{"Status":"FinancialLocked"}`, `the body: json: unknown field "Status"`},
		{"not JSON", `lock it`, "the body: invalid character"},
	}
	for _, tc := range bad {
		a := post(canceled, "lock", tc.body)
		assert.Equal(t, http.StatusBadRequest, a.status, tc.name)
		assert.Contains(t, a.errorText(t), tc.want, tc.name)
	}
	for _, tr := range transitions() {
		a := post("pc-bp1unknown", tr.name, "")
		assert.Equal(t, http.StatusNotFound, a.status, tr.name)
		assert.Contains(t, a.errorText(t), "no hosted connection has this ID", tr.name)
	}
}

// TestAdminRequests checks the list of requests, redacted, and forgetting them.
func TestAdminRequests(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, "-request-log-size", "2")
	stsClient, err := expressconnect.NewClient(expressconnect.WithEndpoint(s.banner.url), expressconnect.WithRegion("cn-hangzhou"),
		expressconnect.WithSTSCredentials("STS.NUAdminTest", "sts-secret", "CAISadmin"))
	require.NoError(t, err)
	s.create(t, 30)
	_, err = stsClient.CreateVirtualPhysicalConnection(context.Background(), &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VpconnAliUID: "1210123456123456", VLANID: expressconnect.VLAN(31),
		Spec: expressconnect.Spec100M, OrderMode: expressconnect.PayByPhysicalConnectionOwner})
	require.NoError(t, err)
	s.create(t, 32)

	a := s.call(t, http.MethodGet, "/_sandbox/requests", "")
	require.Equal(t, http.StatusOK, a.status)
	var list requestList
	a.decode(t, &list)
	require.Len(t, list.Requests, 2, "the log size")
	assert.Equal(t, uint64(1), list.Dropped)
	sts := list.Requests[0]
	assert.Equal(t, "CreateVirtualPhysicalConnection", sts.Action)
	assert.Equal(t, "31", sts.Params.Get("VlanId"))
	assert.Equal(t, "<redacted>", sts.Params.Get("Signature"))
	assert.Equal(t, "<redacted>", sts.Params.Get("SecurityToken"))
	assert.True(t, sts.SignatureVerified)
	assert.Equal(t, http.StatusOK, sts.StatusCode)
	assert.Empty(t, sts.Fault)
	assert.NotContains(t, a.body, "CAISadmin")
	assert.NotContains(t, a.body, "sts-secret")

	require.Equal(t, http.StatusOK, s.call(t, http.MethodDelete, "/_sandbox/requests", "").status)
	s.call(t, http.MethodGet, "/_sandbox/requests", "").decode(t, &list)
	assert.Empty(t, list.Requests)
	assert.Zero(t, list.Dropped)
}

// TestAdminFaults checks injecting faults for the next N requests of the service (admin
// requests do not use them up), clearing them, and the checks of a fault.
func TestAdminFaults(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	a := s.call(t, http.MethodPost, "/_sandbox/faults", `{"Kind":"error","Count":2,"StatusCode":500,"Code":"InternalError"}`)
	require.Equal(t, http.StatusOK, a.status, a.body)
	assert.JSONEq(t, `{"Kind":"FaultError","Count":2}`, a.body)
	require.Equal(t, http.StatusOK, s.call(t, http.MethodGet, "/_sandbox/connections", "").status)
	for i := range 2 {
		_, err := s.tryCreate(40 + i)
		assert.Equal(t, expressconnect.CodeInternalError, apiCode(t, err), "request %d", i)
	}
	_, err := s.tryCreate(42)
	require.NoError(t, err, "the faults are used up")

	require.Equal(t, http.StatusOK, s.call(t, http.MethodPost, "/_sandbox/faults", `{"Kind":"Throttle","Count":5}`).status)
	require.Equal(t, http.StatusOK, s.call(t, http.MethodDelete, "/_sandbox/faults", "").status)
	_, err = s.tryCreate(43)
	require.NoError(t, err, "the faults are cleared")

	require.Equal(t, http.StatusOK, s.call(t, http.MethodPost, "/_sandbox/faults", `{"Kind":"reset","AfterHandling":true}`).status)
	_, err = s.tryCreate(44)
	var transportErr *expressconnect.TransportError
	assert.ErrorAs(t, err, &transportErr)
	var list []expressconnecttest.Connection
	s.call(t, http.MethodGet, "/_sandbox/connections", "").decode(t, &list)
	assert.Len(t, list, 3, "the reset came after handling")

	bad := []struct{ name, body, want string }{
		{"no body", "", "the body must be a JSON object"},
		{"unknown kind", `{"Kind":"explode"}`, `Kind "explode" is none of none, error, throttle`},
		{"no kind", `{"Count":1}`, `Kind "" is none of`},
		{"zero count", `{"Kind":"close","Count":0}`, "Count 0 is not positive"},
		{"status for reset", `{"Kind":"reset","StatusCode":503}`, "StatusCode, Code and Message apply to Kind error only"},
		{"bad status", `{"Kind":"error","StatusCode":200}`, "StatusCode 200 is not 400 to 599"},
		{"code with space", `{"Kind":"error","Code":"Bad Code"}`, "Code must be at most 64 characters without white space"},
		{"message on two lines", `{"Kind":"error","Message":"a\nb"}`, "Message must be at most 1024 bytes on one line"},
		{"delay for error", `{"Kind":"error","Delay":"1s"}`, "Delay applies to Kind delay only"},
		{"delay for drip", `{"Kind":"drip","Delay":"1s"}`, "the pause of a drip is its Interval"},
		{"bad delay", `{"Kind":"delay","Delay":"soon"}`, `Delay "soon" must be a duration above 0 and at most 10m0s`},
		{"long interval", `{"Kind":"drip","Interval":"1h"}`, `Interval 1h0m0s is not 0 to 10m0s`},
		{"unknown action", `{"Kind":"close","Action":"DeleteVpc"}`, `Action "DeleteVpc" is none of the actions the server serves`},
		{"after handling for throttle", `{"Kind":"throttle","AfterHandling":true}`, "AfterHandling applies to Kind reset and close only"},
		{"unknown field", `{"Kind":"close","Times":2}`, `json: unknown field "Times"`},
		{"wrong type", `{"Kind":"close","Count":"2"}`, "field Count: a JSON string cannot be a int"},
		{"key twice", `{"Kind":"close","Kind":"error"}`, `key "Kind" is given twice`},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			a := s.call(t, http.MethodPost, "/_sandbox/faults", tc.body)
			assert.Equal(t, http.StatusBadRequest, a.status)
			assert.Contains(t, a.errorText(t), tc.want)
		})
	}
	_, err = s.tryCreate(45)
	assert.NoError(t, err, "refused faults are not injected")
}

// TestAdminCircuits checks adding and changing circuits.
func TestAdminCircuits(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	const added = "pc-bp1admincircuit00001"
	a := s.call(t, http.MethodPut, "/_sandbox/circuits/"+added, `{"Quota":1,"CapacityMbps":1000}`)
	require.Equal(t, http.StatusOK, a.status, a.body)
	var c expressconnecttest.Circuit
	a.decode(t, &c)
	assert.Equal(t, expressconnecttest.Circuit{ID: added, RegionID: "cn-hangzhou", Status: expressconnect.StatusEnabled,
		Quota: 1, CapacityMbps: 1000, Owner: expressconnecttest.DefaultAccountID}, c)
	_, err := s.tryCreateOn(added, 1)
	require.NoError(t, err)
	_, err = s.tryCreateOn(added, 2)
	assert.Equal(t, expressconnect.CodeQuotaExceededVpconn, apiCode(t, err))

	disabled := s.call(t, http.MethodPut, "/_sandbox/circuits/"+expressconnecttest.DefaultCircuitID, `{"Enabled":false}`)
	require.Equal(t, http.StatusOK, disabled.status)
	disabled.decode(t, &c)
	assert.Equal(t, expressconnect.StatusAllocated, c.Status, `"Enabled":false is Allocated`)
	_, err = s.tryCreate(3)
	assert.Equal(t, expressconnect.CodeInvalidPhysicalConnectionIDNotEnabled, apiCode(t, err))
	terminated := s.call(t, http.MethodPut, "/_sandbox/circuits/"+expressconnecttest.DefaultCircuitID, `{"Status":"Terminated"}`)
	require.Equal(t, http.StatusOK, terminated.status)
	terminated.decode(t, &c)
	assert.Equal(t, expressconnect.StatusTerminated, c.Status)
	_, err = s.tryCreate(3)
	assert.Equal(t, expressconnect.CodeInvalidPhysicalConnectionIDNotEnabled, apiCode(t, err))
	require.Equal(t, http.StatusOK, s.call(t, http.MethodPut, "/_sandbox/circuits/"+expressconnecttest.DefaultCircuitID, `{"QoSBound":true}`).status)
	_, err = s.tryCreate(3)
	assert.Equal(t, expressconnect.CodeEcAssociatedQoSPconnNotAllowCreateVpconn, apiCode(t, err))

	bad := []struct{ name, path, body, want string }{
		{"bad ID", "/_sandbox/circuits/bp1x", "", `circuit ID "bp1x" must be "pc-"`},
		{"other ID in the body", "/_sandbox/circuits/pc-a", `{"ID":"pc-b"}`, `the body's ID "pc-b" is not the path's "pc-a"`},
		{"negative quota", "/_sandbox/circuits/pc-a", `{"Quota":-1}`, "circuit pc-a: Quota -1 is negative"},
		{"bad region", "/_sandbox/circuits/pc-a", `{"RegionID":"Hangzhou"}`, `RegionID: region "Hangzhou" must be`},
		{"unknown field", "/_sandbox/circuits/pc-a", `{"Capacity":1}`, `json: unknown field "Capacity"`},
		{"unknown status", "/_sandbox/circuits/pc-a", `{"Status":"Active"}`, `circuit pc-a: Status "Active" is none of the documented states`},
		{"status and enabled", "/_sandbox/circuits/pc-a", `{"Status":"Enabled","Enabled":true}`, "give Enabled (enabled=) or Status (status=), not both"},
	}
	for _, tc := range bad {
		a := s.call(t, http.MethodPut, tc.path, tc.body)
		assert.Equal(t, http.StatusBadRequest, a.status, tc.name)
		assert.Contains(t, a.errorText(t), tc.want, tc.name)
	}
}

// TestAdminClockAndSTS checks setting the clock offset and expiring the STS credentials.
func TestAdminClockAndSTS(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	var clock clockView
	s.call(t, http.MethodGet, "/_sandbox/clock", "").decode(t, &clock)
	assert.Equal(t, "0s", clock.Offset)

	a := s.call(t, http.MethodPut, "/_sandbox/clock", `{"Offset":"-20m"}`)
	require.Equal(t, http.StatusOK, a.status, a.body)
	a.decode(t, &clock)
	assert.Equal(t, "-20m0s", clock.Offset)
	assert.WithinDuration(t, time.Now().Add(-20*time.Minute), clock.Now, time.Minute)
	_, err := s.tryCreate(50)
	assert.Equal(t, expressconnect.CodeInvalidTimeStampExpired, apiCode(t, err))

	for _, body := range []string{"", `{"Offset":"20"}`, `{"Offset":5}`} {
		a := s.call(t, http.MethodPut, "/_sandbox/clock", body)
		assert.Equal(t, http.StatusBadRequest, a.status, body)
		assert.NotEmpty(t, a.errorText(t), body)
	}
	require.Equal(t, http.StatusOK, s.call(t, http.MethodPut, "/_sandbox/clock", `{"Offset":"0s"}`).status)

	sts, err := expressconnect.NewClient(expressconnect.WithEndpoint(s.banner.url), expressconnect.WithRegion("cn-hangzhou"),
		expressconnect.WithSTSCredentials("STS.NUAdminTest", "sts-secret", "CAISadmin"), expressconnect.WithMaxAttempts(1))
	require.NoError(t, err)
	list := func() error {
		_, err := sts.ListVirtualPhysicalConnections(context.Background(), &expressconnect.ListVirtualPhysicalConnectionsRequest{})
		return err
	}
	require.NoError(t, list())
	require.Equal(t, http.StatusOK, s.call(t, http.MethodPost, "/_sandbox/sts/expire", "").status)
	assert.Equal(t, expressconnect.CodeInvalidSecurityTokenExpired, apiCode(t, list()))
}

// TestAdminReset checks that a reset gives the configured state again.
func TestAdminReset(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, "-clock-offset", "1m", "-circuit", "pc-bp1configured0000001,quota=1")
	req := &expressconnect.CreateVirtualPhysicalConnectionRequest{PhysicalConnectionID: "pc-bp1configured0000001",
		VpconnAliUID: "1210123456123456", VLANID: expressconnect.VLAN(60), Spec: expressconnect.Spec100M,
		OrderMode: expressconnect.PayByPhysicalConnectionOwner, Token: "reset-token"}
	first, err := s.client.CreateVirtualPhysicalConnection(context.Background(), req)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, s.call(t, http.MethodPut, "/_sandbox/circuits/pc-bp1configured0000001", `{"Enabled":false}`).status)
	require.Equal(t, http.StatusOK, s.call(t, http.MethodPut, "/_sandbox/clock", `{"Offset":"5m"}`).status)
	require.Equal(t, http.StatusOK, s.call(t, http.MethodPost, "/_sandbox/faults", `{"Kind":"close","Count":3}`).status)

	a := s.call(t, http.MethodPost, "/_sandbox/reset", "")
	require.Equal(t, http.StatusOK, a.status)
	assert.JSONEq(t, "{}", a.body)

	var conns []expressconnecttest.Connection
	s.call(t, http.MethodGet, "/_sandbox/connections", "").decode(t, &conns)
	assert.Empty(t, conns)
	var clock clockView
	s.call(t, http.MethodGet, "/_sandbox/clock", "").decode(t, &clock)
	assert.Equal(t, "1m0s", clock.Offset, "the configured offset")
	again, err := s.client.CreateVirtualPhysicalConnection(context.Background(), req)
	require.NoError(t, err, "no fault; the configured circuit is enabled again")
	assert.NotEqual(t, first.VirtualPhysicalConnectionID, again.VirtualPhysicalConnectionID, "the token is forgotten")
	var list requestList
	s.call(t, http.MethodGet, "/_sandbox/requests", "").decode(t, &list)
	assert.Len(t, list.Requests, 1, "only the request after the reset")
}

// TestAdminOff checks that -admin=false (or its variable) turns every admin route off.
func TestAdminOff(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"flag", nil, []string{"-admin=false"}},
		{"environment", map[string]string{"EXPRESSCONNECT_LOCAL_ADMIN": "false"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := startRun(t, envOf(tc.env), tc.args...)
			assert.Contains(t, r.stdout.String(), "  Admin API        off\n")
			createWith(t, r.banner)
			for _, rt := range adminRoutes() {
				path := strings.ReplaceAll(strings.TrimSuffix(rt.path, "{$}"), "{id}", "pc-x")
				a := adminCall(t, r.banner.url, rt.method, path, "")
				assert.Equal(t, http.StatusNotFound, a.status, path)
				assert.Equal(t, "the admin API is off: the command runs with -admin=false", a.errorText(t), path)
			}
			assert.Len(t, listWith(t, r.banner), 1, "the reset route did nothing")
		})
	}
}

// replayTransport sends each request and keeps the last one with its body, so that a test
// can send it again unchanged, as an eavesdropper would.
type replayTransport struct {
	last *http.Request
	body []byte
}

func (rt *replayTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var err error
	if req.Body != nil {
		if rt.body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(rt.body))
	}
	rt.last = req.Clone(context.Background())
	return http.DefaultTransport.RoundTrip(req)
}

// TestAdminResetKeepsUsedNonces checks that a request captured before POST /_sandbox/reset
// cannot be replayed after it: the reset forgets the hosted connections, not the nonces.
func TestAdminResetKeepsUsedNonces(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	tap := &replayTransport{}
	c, err := expressconnect.NewClient(expressconnect.WithEndpoint(s.banner.url), expressconnect.WithRegion("cn-hangzhou"),
		expressconnect.WithAccessKey(s.banner.keyID, s.banner.keySecret), expressconnect.WithMaxAttempts(1),
		expressconnect.WithHTTPClient(&http.Client{Transport: tap}))
	require.NoError(t, err)
	_, err = c.CreateVirtualPhysicalConnection(context.Background(), &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VpconnAliUID: "1210123456123456",
		VLANID: expressconnect.VLAN(70), Spec: expressconnect.Spec100M, OrderMode: expressconnect.PayByPhysicalConnectionOwner})
	require.NoError(t, err)
	require.NotNil(t, tap.last)
	require.Equal(t, http.StatusOK, s.call(t, http.MethodPost, "/_sandbox/reset", "").status)

	replay := tap.last.Clone(context.Background())
	replay.RequestURI = ""
	replay.Body = io.NopCloser(bytes.NewReader(tap.body))
	resp, err := http.DefaultClient.Do(replay)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s", raw)
	assert.Contains(t, string(raw), `"Code":"SignatureNonceUsed"`)
	var conns []expressconnecttest.Connection
	s.call(t, http.MethodGet, "/_sandbox/connections", "").decode(t, &conns)
	assert.Empty(t, conns, "the replay created nothing")
}

// TestAdminRequestsPages checks that GET /_sandbox/requests answers a page of the log at a
// time: at most limit requests (100 when not given, and at most), after the cursor after, with
// the cursor of the next page and whether there are more.
func TestAdminRequestsPages(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, "-request-log-size", "200")
	client := &http.Client{Timeout: 10 * time.Second}
	for i := range 105 { // unsigned: each is recorded and answered IncompleteSignature
		resp, err := client.Get(s.banner.url + "/?n=" + strconv.Itoa(i))
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		require.NoError(t, resp.Body.Close())
	}
	page := func(query string) requestList {
		t.Helper()
		a := s.call(t, http.MethodGet, "/_sandbox/requests"+query, "")
		require.Equal(t, http.StatusOK, a.status, a.body)
		var list requestList
		a.decode(t, &list)
		return list
	}
	first := page("")
	assert.Len(t, first.Requests, 100, "the default limit")
	assert.True(t, first.More)
	assert.Equal(t, "0", first.Requests[0].Params.Get("n"))
	rest := page("?after=" + strconv.FormatUint(first.Next, 10))
	require.Len(t, rest.Requests, 5)
	assert.Equal(t, "100", rest.Requests[0].Params.Get("n"))
	assert.False(t, rest.More)
	assert.Equal(t, first.Next+5, rest.Next)

	small := page("?limit=2&after=" + strconv.FormatUint(first.Next, 10))
	assert.Equal(t, []string{"100", "101"}, []string{small.Requests[0].Params.Get("n"), small.Requests[1].Params.Get("n")})
	assert.True(t, small.More)
	end := page("?after=" + strconv.FormatUint(rest.Next, 10))
	assert.Empty(t, end.Requests)
	assert.Equal(t, rest.Next, end.Next, "past the end, the cursor stays")
	assert.False(t, end.More)

	bad := []struct{ name, query, want string }{
		{"limit too large", "?limit=101", "limit 101 is not 1 to 100"},
		{"limit zero", "?limit=0", "limit 0 is not 1 to 100"},
		{"limit not a number", "?limit=all", `limit "all" is not a whole number`},
		{"after negative", "?after=-1", `after "-1" is not a request's rank`},
		{"after twice", "?after=1&after=2", "after is given more than once"},
		{"unknown parameter", "?page=2", `unknown query parameter "page": the parameters are after and limit`},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := s.call(t, http.MethodGet, "/_sandbox/requests"+tc.query, "")
			assert.Equal(t, http.StatusBadRequest, a.status)
			assert.Contains(t, a.errorText(t), tc.want)
		})
	}
}

// TestConnectionLimit checks that the command holds at most -max-connections connections open
// at once: another client waits until one of them closes.
func TestConnectionLimit(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, "-max-connections", "2")
	addr := strings.TrimPrefix(s.banner.url, "http://")
	hold := func() net.Conn { // a keep-alive connection, answered once, then left open
		t.Helper()
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		require.NoError(t, err)
		_, err = io.WriteString(c, "GET /_sandbox/clock HTTP/1.1\r\nHost: localhost\r\n\r\n")
		require.NoError(t, err)
		require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, http.StatusOK, resp.StatusCode)
		return c
	}
	first, second := hold(), hold()
	defer second.Close()
	get := func(timeout time.Duration) error {
		client := &http.Client{Timeout: timeout, Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := client.Get(s.banner.url + "/_sandbox/clock")
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.Body.Close()
	}
	assert.Error(t, get(300*time.Millisecond), "a third connection waits")
	require.NoError(t, first.Close())
	assert.NoError(t, get(5*time.Second), "it is served once one closes")
}

// TestResetFaultThroughTheConnectionLimit checks that a reset fault still resets the
// connection (rather than closing it) through the listener that limits the connections.
func TestResetFaultThroughTheConnectionLimit(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	require.Equal(t, http.StatusOK, s.call(t, http.MethodPost, "/_sandbox/faults", `{"Kind":"reset"}`).status)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	_, err := client.Post(s.banner.url+"/", "application/x-www-form-urlencoded", strings.NewReader("Action=x"))
	assert.ErrorIs(t, err, syscall.ECONNRESET)
}

// TestRetentionSetting checks that -retention reaches the server: a deleted hosted connection
// is forgotten once the retention has passed on the server's clock.
func TestRetentionSetting(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, "-retention", "1h")
	id := s.create(t, 80)
	kept := s.create(t, 81)
	_, err := s.client.DeleteVirtualPhysicalConnection(context.Background(), &expressconnect.HostedConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionID: id})
	require.NoError(t, err)
	var conns []expressconnecttest.Connection
	s.call(t, http.MethodGet, "/_sandbox/connections", "").decode(t, &conns)
	require.Len(t, conns, 2, "kept within the retention")

	require.Equal(t, http.StatusOK, s.call(t, http.MethodPut, "/_sandbox/clock", `{"Offset":"2h"}`).status)
	s.call(t, http.MethodGet, "/_sandbox/connections", "").decode(t, &conns)
	require.Len(t, conns, 1, "the deleted one is forgotten")
	assert.Equal(t, kept, conns[0].VirtualPhysicalConnectionID)
}
