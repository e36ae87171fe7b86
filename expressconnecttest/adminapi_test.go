package expressconnecttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// This file checks the admin API as a script sees it: raw HTTP and JSON. admin_test.go checks
// the Go client of it, Admin.

// adminAnswer is an answer of the admin API.
type adminAnswer struct {
	status int
	header http.Header
	body   string
}

// errorBody decodes an error answer, failing the test unless the body is {"Code": "...",
// "Message": "..."}.
func (a adminAnswer) errorBody(t *testing.T) (code, message string) {
	t.Helper()
	var e map[string]string
	require.NoError(t, json.Unmarshal([]byte(a.body), &e), a.body)
	require.Len(t, e, 2, a.body)
	require.NotEmpty(t, e["Code"], a.body)
	require.NotEmpty(t, e["Message"], a.body)
	return e["Code"], e["Message"]
}

// errorCode returns the Code of an error answer.
func (a adminAnswer) errorCode(t *testing.T) string {
	t.Helper()
	code, _ := a.errorBody(t)
	return code
}

// errorText returns the Message of an error answer.
func (a adminAnswer) errorText(t *testing.T) string {
	t.Helper()
	_, message := a.errorBody(t)
	return message
}

// decode decodes the JSON body into v.
func (a adminAnswer) decode(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal([]byte(a.body), v), a.body)
}

// adminDo sends req and returns the answer, which is always JSON.
func adminDo(t *testing.T, req *http.Request) adminAnswer {
	t.Helper()
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	return adminAnswer{status: resp.StatusCode, header: resp.Header, body: string(raw)}
}

// adminCall sends method path with body (none when "", JSON otherwise) to the admin API of s,
// without a token, as a script on loopback may.
func adminCall(t *testing.T, s *expressconnecttest.Server, method, path, body string) adminAnswer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, s.URL()+path, rd)
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return adminDo(t, req)
}

// sandbox is a server for an admin test, with an SDK client that makes one attempt.
type sandbox struct {
	*expressconnecttest.Server
	client *expressconnect.Client
	log    *syncBuffer
}

// newSandbox starts a server configured by cfg, logging to its buffer in text.
func newSandbox(t *testing.T, cfg expressconnecttest.Config) sandbox {
	t.Helper()
	log := &syncBuffer{}
	cfg.Logger = slog.New(slog.NewTextHandler(log, nil))
	s := expressconnecttest.NewTestServer(t, cfg)
	return sandbox{Server: s, client: newClient(t, s, expressconnect.WithMaxAttempts(1)), log: log}
}

// call sends an admin request.
func (s sandbox) call(t *testing.T, method, path, body string) adminAnswer {
	t.Helper()
	return adminCall(t, s.Server, method, path, body)
}

// create creates a hosted connection on vlan and returns its ID.
func (s sandbox) create(t *testing.T, vlan int) string {
	t.Helper()
	return createWithClient(t, s.client, vlan)
}

// tryCreateOn creates a hosted connection on vlan on the circuit.
func (s sandbox) tryCreateOn(circuit string, vlan int) error {
	req := request(vlan)
	req.PhysicalConnectionID = circuit
	_, err := s.client.CreateVirtualPhysicalConnection(context.Background(), req)
	return err
}

// connectionOf decodes a hosted connection answered by the admin API.
func connectionOf(t *testing.T, a adminAnswer) expressconnecttest.Connection {
	t.Helper()
	require.Equal(t, http.StatusOK, a.status, a.body)
	var c expressconnecttest.Connection
	a.decode(t, &c)
	return c
}

// TestAdminIndexAndRouting checks the index, unknown routes and wrong methods.
func TestAdminIndexAndRouting(t *testing.T) {
	t.Parallel()
	s := newSandbox(t, expressconnecttest.Config{})
	a := s.call(t, http.MethodGet, "/_sandbox/", "")
	require.Equal(t, http.StatusOK, a.status)
	var index struct{ Routes, Actions []string }
	a.decode(t, &index)
	assert.Len(t, index.Routes, 17)
	assert.Contains(t, index.Routes, "POST /_sandbox/reset: start again from the configured state: no hosted connections, requests, faults or tokens")
	assert.Equal(t, []string{"CancelPhysicalConnection", "CreateVirtualPhysicalConnection", "DeletePhysicalConnection",
		"DescribePhysicalConnections", "ListVirtualPhysicalConnections", "TerminatePhysicalConnection",
		"UpdateVirtualPhysicalConnection"}, index.Actions)

	cases := []struct {
		name, method, path string
		status             int
		code, allow, want  string
	}{
		{"unknown route", http.MethodGet, "/_sandbox/nothing", http.StatusNotFound, "NotFound", "", "no admin route GET /_sandbox/nothing"},
		{"unknown change", http.MethodPost, "/_sandbox/connections/pc-x/explode", http.StatusNotFound, "NotFound", "", "no admin route POST"},
		{"terminate is the API's", http.MethodPost, "/_sandbox/connections/pc-x/terminate", http.StatusNotFound, "NotFound", "", "no admin route POST"},
		{"wrong method", http.MethodGet, "/_sandbox/connections/pc-x/accept", http.StatusMethodNotAllowed, "MethodNotAllowed", "POST", "takes POST, not GET"},
		{"wrong method, two allowed", http.MethodPost, "/_sandbox/clock", http.StatusMethodNotAllowed, "MethodNotAllowed", "GET, PUT", "takes GET or PUT, not POST"},
		{"index method", http.MethodDelete, "/_sandbox/", http.StatusMethodNotAllowed, "MethodNotAllowed", "GET", "not DELETE"},
	}
	t.Run("errors", func(t *testing.T) { // returns once its parallel cases are done
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				a := s.call(t, tc.method, tc.path, "")
				assert.Equal(t, tc.status, a.status)
				assert.Equal(t, tc.allow, a.header.Get("Allow"))
				code, message := a.errorBody(t)
				assert.Equal(t, tc.code, code)
				assert.Contains(t, message, tc.want)
			})
		}
	})
	assert.Contains(t, s.log.String(), "msg=admin method=GET path=/_sandbox/nothing status=404\n")
	assert.Contains(t, s.log.String(), "msg=admin method=GET path=/_sandbox/ status=200\n")
}

// TestAdminRequestsAreNotTheService checks that the admin API's requests are neither recorded
// nor given faults, and that the service still answers every path outside /_sandbox/.
func TestAdminRequestsAreNotTheService(t *testing.T) {
	t.Parallel()
	s := newSandbox(t, expressconnecttest.Config{})
	require.Equal(t, http.StatusOK, s.call(t, http.MethodPost, "/_sandbox/faults", `{"Kind":"reset","Count":2}`).status)
	require.Equal(t, http.StatusOK, s.call(t, http.MethodGet, "/_sandbox/connections", "").status, "no fault")
	var page struct{ Requests []json.RawMessage }
	s.call(t, http.MethodGet, "/_sandbox/requests", "").decode(t, &page)
	assert.Empty(t, page.Requests, "the admin's requests are not recorded")

	require.Equal(t, http.StatusOK, s.call(t, http.MethodDelete, "/_sandbox/faults", "").status)
	for _, path := range []string{"/_sandbox", "/x/_sandbox/", "/_SANDBOX/connections"} {
		r := do(t, mustRequest(t, http.MethodPost, s.URL()+path))
		assert.Equal(t, http.StatusNotFound, r.Status, path)
		assert.Equal(t, string(expressconnect.CodeInvalidActionNotFound), r.code(), path)
	}
	s.call(t, http.MethodGet, "/_sandbox/requests", "").decode(t, &page)
	assert.Len(t, page.Requests, 3, "the service's requests are")
}

// TestAdminConnections checks the list and the lookup of hosted connections, and their JSON
// field names, the service's.
func TestAdminConnections(t *testing.T) {
	t.Parallel()
	s := newSandbox(t, expressconnecttest.Config{})
	a := s.call(t, http.MethodGet, "/_sandbox/connections", "")
	require.Equal(t, http.StatusOK, a.status)
	assert.JSONEq(t, "[]", a.body)

	id := s.create(t, 10)
	var list []expressconnecttest.Connection
	a = s.call(t, http.MethodGet, "/_sandbox/connections", "")
	a.decode(t, &list)
	require.Len(t, list, 1)
	assert.Equal(t, id, list[0].VirtualPhysicalConnectionID)
	assert.Equal(t, expressconnect.VLAN(10), list[0].VLANID)
	assert.Equal(t, expressconnect.StatusAllocated, list[0].Status)
	var fields []map[string]any
	a.decode(t, &fields)
	for _, name := range []string{"VirtualPhysicalConnectionId", "RegionId", "PhysicalConnectionId", "VpconnAliUid", "VlanId", "Spec",
		"ExpectSpec", "OrderMode", "Name", "Description", "ResourceGroupId", "Tags", "Token", "VirtualPhysicalConnectionStatus",
		"Status", "BusinessStatus", "RequestId", "CreatedAt"} {
		assert.Contains(t, fields[0], name)
	}
	assert.InDelta(t, 10, fields[0]["VlanId"], 0, "a number, as the service's VlanId")
	assert.NotContains(t, fields[0], "AcceptedAt", "zero times are left out")

	c := connectionOf(t, s.call(t, http.MethodGet, "/_sandbox/connections/"+id, ""))
	assert.Equal(t, list[0], c)

	a = s.call(t, http.MethodGet, "/_sandbox/connections/pc-bp1unknown", "")
	assert.Equal(t, http.StatusNotFound, a.status)
	code, message := a.errorBody(t)
	assert.Equal(t, "UnknownConnection", code)
	assert.Equal(t, `no hosted connection has this ID: "pc-bp1unknown"`, message)
}

// TestAdminTransitions checks acting as the tenant and billing: each change, one the state
// model refuses (409), bad input (400) and an unknown ID (404).
func TestAdminTransitions(t *testing.T) {
	t.Parallel()
	s := newSandbox(t, expressconnecttest.Config{})
	post := func(id, change, body string) adminAnswer {
		return s.call(t, http.MethodPost, "/_sandbox/connections/"+id+"/"+change, body)
	}
	id := s.create(t, 20)
	c := connectionOf(t, post(id, "accept", ""))
	assert.Equal(t, expressconnect.StatusConfirmed, c.Status)
	assert.Equal(t, expressconnect.VpconnStatusConfirmed, c.VirtualPhysicalConnectionStatus)
	a := post(id, "accept", "")
	assert.Equal(t, http.StatusConflict, a.status)
	code, message := a.errorBody(t)
	assert.Equal(t, "TransitionNotAllowed", code)
	assert.Contains(t, message, "the state model does not allow this change")

	assert.Equal(t, expressconnect.StatusEnabled, connectionOf(t, post(id, "enable", "")).Status)
	assert.Equal(t, expressconnect.BusinessStatusFinancialLocked, connectionOf(t, post(id, "lock", "")).BusinessStatus)
	assert.Equal(t, http.StatusConflict, post(id, "lock", `{"BusinessStatus":"SecurityLocked"}`).status)
	assert.Equal(t, expressconnect.BusinessStatusNormal, connectionOf(t, post(id, "unlock", "")).BusinessStatus)
	assert.Equal(t, expressconnect.BusinessStatusSecurityLocked,
		connectionOf(t, post(id, "lock", `{"BusinessStatus":"SecurityLocked"}`)).BusinessStatus)

	rejected := s.create(t, 21)
	assert.Equal(t, expressconnect.StatusRejected, connectionOf(t, post(rejected, "reject", "")).Status)

	bad := []struct{ name, body, want string }{
		{"lock to Normal", `{"BusinessStatus":"Normal"}`, `BusinessStatus "Normal" is neither FinancialLocked nor SecurityLocked`},
		{"unknown field", `{"Status":"FinancialLocked"}`, `the body: json: unknown field "Status"`},
		{"not JSON", `lock it`, "the body: invalid character"},
	}
	for _, tc := range bad {
		a := post(rejected, "lock", tc.body)
		assert.Equal(t, http.StatusBadRequest, a.status, tc.name)
		code, message := a.errorBody(t)
		assert.Equal(t, "InvalidParameter", code, tc.name)
		assert.Contains(t, message, tc.want, tc.name)
	}
	for _, change := range []string{"accept", "reject", "enable", "lock", "unlock"} {
		a := post("pc-bp1unknown", change, "")
		assert.Equal(t, http.StatusNotFound, a.status, change)
		assert.Equal(t, "UnknownConnection", a.errorCode(t), change)
	}
}

// TestAdminRequests checks the list of requests, redacted, and its JSON field names.
func TestAdminRequests(t *testing.T) {
	t.Parallel()
	const stsID, stsSecret, stsToken = "STS.NUAdminTest", "sts-secret", "CAISadmin"
	s := newSandbox(t, expressconnecttest.Config{RequestLogSize: 2,
		STS: expressconnecttest.STSCredentials{AccessKeyID: stsID, AccessKeySecret: stsSecret, SecurityToken: stsToken}})
	stsClient := newClient(t, s.Server, expressconnect.WithSTSCredentials(stsID, stsSecret, stsToken))
	s.create(t, 30)
	createWithClient(t, stsClient, 31)
	admin(t, s.Server).InjectFaults(1, expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle})
	require.Error(t, s.tryCreateOn(expressconnecttest.DefaultCircuitID, 32))

	a := s.call(t, http.MethodGet, "/_sandbox/requests", "")
	require.Equal(t, http.StatusOK, a.status)
	var page struct {
		Requests []map[string]any
		Dropped  uint64
		Next     uint64
		More     bool
	}
	a.decode(t, &page)
	require.Len(t, page.Requests, 2, "the log size")
	assert.Equal(t, uint64(1), page.Dropped)
	assert.Equal(t, uint64(3), page.Next)
	assert.False(t, page.More)
	sts := page.Requests[0]
	for _, name := range []string{"RequestId", "Time", "Method", "Path", "Action", "Header", "Params", "Body", "BodyLength",
		"Truncated", "SignatureVerified", "StatusCode", "Code", "ConnectionId", "Fault"} {
		assert.Contains(t, sts, name)
	}
	assert.Equal(t, "CreateVirtualPhysicalConnection", sts["Action"])
	params, _ := sts["Params"].(map[string]any)
	assert.Equal(t, []any{"31"}, params["VlanId"])
	assert.Equal(t, []any{"<redacted>"}, params["Signature"])
	assert.Equal(t, []any{"<redacted>"}, params["SecurityToken"])
	assert.Equal(t, true, sts["SignatureVerified"])
	assert.InDelta(t, http.StatusOK, sts["StatusCode"], 0)
	assert.Empty(t, sts["Fault"])
	assert.Equal(t, "throttle", page.Requests[1]["Fault"], "the name of the faults route")
	assert.NotContains(t, a.body, stsToken)
	assert.NotContains(t, a.body, stsSecret)
}

// TestAdminRequestsPages checks that GET /_sandbox/requests answers a page of the log at a
// time: at most limit requests (100 when not given, and at most), after the cursor after, with
// the cursor of the next page and whether there are more.
func TestAdminRequestsPages(t *testing.T) {
	t.Parallel()
	s := newSandbox(t, expressconnecttest.Config{RequestLogSize: 200})
	client := &http.Client{Timeout: 10 * time.Second}
	for i := range 105 { // unsigned: each is recorded and answered IncompleteSignature
		resp, err := client.Get(s.URL() + "/?n=" + strconv.Itoa(i))
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		require.NoError(t, resp.Body.Close())
	}
	type page struct {
		Requests []struct{ Params map[string][]string }
		Next     uint64
		More     bool
	}
	read := func(query string) page {
		t.Helper()
		a := s.call(t, http.MethodGet, "/_sandbox/requests"+query, "")
		require.Equal(t, http.StatusOK, a.status, a.body)
		var p page
		a.decode(t, &p)
		return p
	}
	n := func(p page, i int) string { return p.Requests[i].Params["n"][0] }
	first := read("")
	require.Len(t, first.Requests, 100, "the default limit")
	assert.True(t, first.More)
	assert.Equal(t, "0", n(first, 0))
	rest := read("?after=" + strconv.FormatUint(first.Next, 10))
	require.Len(t, rest.Requests, 5)
	assert.Equal(t, "100", n(rest, 0))
	assert.False(t, rest.More)
	assert.Equal(t, first.Next+5, rest.Next)

	small := read("?limit=2&after=" + strconv.FormatUint(first.Next, 10))
	assert.Equal(t, []string{"100", "101"}, []string{n(small, 0), n(small, 1)})
	assert.True(t, small.More)
	end := read("?after=" + strconv.FormatUint(rest.Next, 10))
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

// TestAdminFaults checks injecting faults for the next Count requests of the service (admin
// requests do not use them up), for one action, clearing them, and the checks of a fault.
func TestAdminFaults(t *testing.T) {
	t.Parallel()
	s := newSandbox(t, expressconnecttest.Config{})
	a := s.call(t, http.MethodPost, "/_sandbox/faults", `{"Kind":"error","Count":2,"StatusCode":500,"Code":"InternalError"}`)
	require.Equal(t, http.StatusOK, a.status, a.body)
	assert.JSONEq(t, `{"Kind":"error","Count":2}`, a.body)
	require.Equal(t, http.StatusOK, s.call(t, http.MethodGet, "/_sandbox/connections", "").status)
	for i := range 2 {
		err := s.tryCreateOn(expressconnecttest.DefaultCircuitID, 40+i)
		assert.ErrorIs(t, err, expressconnect.CodeInternalError, "request %d", i)
	}
	require.NoError(t, s.tryCreateOn(expressconnecttest.DefaultCircuitID, 42), "the faults are used up")

	require.Equal(t, http.StatusOK, s.call(t, http.MethodPost, "/_sandbox/faults", `{"Kind":"Throttle","Count":5}`).status)
	require.Equal(t, http.StatusOK, s.call(t, http.MethodDelete, "/_sandbox/faults", "").status)
	require.NoError(t, s.tryCreateOn(expressconnecttest.DefaultCircuitID, 43), "the faults are cleared")

	require.Equal(t, http.StatusOK, s.call(t, http.MethodPost, "/_sandbox/faults", `{"Kind":"throttle","Action":"ListVirtualPhysicalConnections"}`).status)
	require.NoError(t, s.tryCreateOn(expressconnecttest.DefaultCircuitID, 44), "Create passes a List fault by")
	_, err := s.client.ListVirtualPhysicalConnections(context.Background(), &expressconnect.ListVirtualPhysicalConnectionsRequest{})
	assert.ErrorIs(t, err, expressconnect.CodeThrottlingUser)

	require.Equal(t, http.StatusOK, s.call(t, http.MethodPost, "/_sandbox/faults", `{"Kind":"reset","AfterHandling":true}`).status)
	var transportErr *expressconnect.TransportError
	assert.ErrorAs(t, s.tryCreateOn(expressconnecttest.DefaultCircuitID, 45), &transportErr)
	var list []expressconnecttest.Connection
	s.call(t, http.MethodGet, "/_sandbox/connections", "").decode(t, &list)
	assert.Len(t, list, 4, "the reset came after handling")

	bad := []struct{ name, body, want string }{
		{"no body", "", "the body must be a JSON object"},
		{"unknown kind", `{"Kind":"explode"}`, `Kind "explode" is none of none, error, throttle`},
		{"no kind", `{"Count":1}`, `Kind "" is none of`},
		{"zero count", `{"Kind":"close","Count":0}`, "Count 0 is not positive"},
		{"unknown action", `{"Kind":"close","Action":"DeleteVpc"}`, `Action "DeleteVpc" is none of the actions the server serves`},
		{"status for reset", `{"Kind":"reset","StatusCode":503}`, "StatusCode, Code and Message apply to Kind error only"},
		{"bad status", `{"Kind":"error","StatusCode":200}`, "StatusCode 200 is not 400 to 599"},
		{"code too long", `{"Kind":"error","Code":"` + strings.Repeat("c", 4097) + `"}`, "Code must be at most 4096 bytes"},
		{"message too long", `{"Kind":"error","Message":"` + strings.Repeat("m", 4097) + `"}`, "Message must be at most 4096 bytes"},
		{"delay for error", `{"Kind":"error","Delay":"1s"}`, "Delay applies to Kind delay only"},
		{"delay for drip", `{"Kind":"drip","Delay":"1s"}`, "the pause of a drip is its Interval"},
		{"bad delay", `{"Kind":"delay","Delay":"soon"}`, `Delay "soon" is not a duration such as "3s"`},
		{"negative delay", `{"Kind":"delay","Delay":"-1s"}`, "Delay -1s is not 0 to 10m0s"},
		{"long interval", `{"Kind":"drip","Interval":"1h"}`, "Interval 1h0m0s is not 0 to 10m0s"},
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
	assert.NoError(t, s.tryCreateOn(expressconnecttest.DefaultCircuitID, 46), "refused faults are not injected")
}

// TestAdminCircuits checks listing, adding and changing circuits, and their JSON field names.
func TestAdminCircuits(t *testing.T) {
	t.Parallel()
	s := newSandbox(t, expressconnecttest.Config{})
	const added = "pc-bp1admincircuit00001"
	a := s.call(t, http.MethodPut, "/_sandbox/circuits/"+added, `{"Quota":1,"CapacityMbps":1000}`)
	require.Equal(t, http.StatusOK, a.status, a.body)
	assert.JSONEq(t, `{"PhysicalConnectionId":"`+added+`","RegionId":"cn-hangzhou","Status":"Enabled","CapacityMbps":1000,
		"Quota":1,"QoSBound":false,"Owner":"`+expressconnecttest.DefaultAccountID+`"}`, a.body)
	require.NoError(t, s.tryCreateOn(added, 1))
	assert.ErrorIs(t, s.tryCreateOn(added, 2), expressconnect.CodeQuotaExceededVpconn)

	var list []expressconnecttest.Circuit
	s.call(t, http.MethodGet, "/_sandbox/circuits", "").decode(t, &list)
	require.Len(t, list, 2)
	assert.Equal(t, []string{added, expressconnecttest.DefaultCircuitID}, []string{list[0].ID, list[1].ID}, "in the order of their IDs")

	var c expressconnecttest.Circuit
	disabled := s.call(t, http.MethodPut, "/_sandbox/circuits/"+expressconnecttest.DefaultCircuitID, `{"Enabled":false}`)
	require.Equal(t, http.StatusOK, disabled.status)
	disabled.decode(t, &c)
	assert.Equal(t, expressconnect.StatusAllocated, c.Status, `"Enabled":false is Allocated`)
	assert.ErrorIs(t, s.tryCreateOn(expressconnecttest.DefaultCircuitID, 3), expressconnect.CodeInvalidPhysicalConnectionIDNotEnabled)
	terminated := s.call(t, http.MethodPut, "/_sandbox/circuits/"+expressconnecttest.DefaultCircuitID,
		`{"PhysicalConnectionId":"`+expressconnecttest.DefaultCircuitID+`","Status":"Terminated"}`)
	require.Equal(t, http.StatusOK, terminated.status)
	terminated.decode(t, &c)
	assert.Equal(t, expressconnect.StatusTerminated, c.Status)
	require.Equal(t, http.StatusOK, s.call(t, http.MethodPut, "/_sandbox/circuits/"+expressconnecttest.DefaultCircuitID, `{"QoSBound":true}`).status)
	assert.ErrorIs(t, s.tryCreateOn(expressconnecttest.DefaultCircuitID, 3), expressconnect.CodeEcAssociatedQoSPconnNotAllowCreateVpconn)

	bad := []struct{ name, path, body, want string }{
		{"bad ID", "/_sandbox/circuits/bp1x", "", `circuit ID "bp1x" does not start with "pc-"`},
		{"other ID in the body", "/_sandbox/circuits/pc-a", `{"PhysicalConnectionId":"pc-b"}`, `the body's PhysicalConnectionId "pc-b" is not the path's "pc-a"`},
		{"negative quota", "/_sandbox/circuits/pc-a", `{"Quota":-1}`, "circuit pc-a has a negative capacity or quota"},
		{"bad region", "/_sandbox/circuits/pc-a", `{"RegionId":"Hangzhou"}`, `circuit pc-a: RegionId must be at most 63 lower-case letters, digits and "-", such as cn-hangzhou, got "Hangzhou"`},
		{"bad owner", "/_sandbox/circuits/pc-a", `{"Owner":"me"}`, `circuit pc-a: Owner "me"`},
		{"unknown field", "/_sandbox/circuits/pc-a", `{"Capacity":1}`, `json: unknown field "Capacity"`},
		{"unknown status", "/_sandbox/circuits/pc-a", `{"Status":"Active"}`, `circuit pc-a: Status "Active" is none of the documented states`},
		{"status and enabled", "/_sandbox/circuits/pc-a", `{"Status":"Enabled","Enabled":true}`, "give Enabled or Status, not both"},
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
	s := newSandbox(t, expressconnecttest.Config{})
	var clock struct {
		Now    time.Time
		Offset string
	}
	s.call(t, http.MethodGet, "/_sandbox/clock", "").decode(t, &clock)
	assert.Equal(t, "0s", clock.Offset)

	a := s.call(t, http.MethodPut, "/_sandbox/clock", `{"Offset":"-20m"}`)
	require.Equal(t, http.StatusOK, a.status, a.body)
	a.decode(t, &clock)
	assert.Equal(t, "-20m0s", clock.Offset)
	assert.WithinDuration(t, time.Now().Add(-20*time.Minute), clock.Now, time.Minute)
	assert.ErrorIs(t, s.tryCreateOn(expressconnecttest.DefaultCircuitID, 50), expressconnect.CodeInvalidTimeStampExpired)

	for _, body := range []string{"", `{"Offset":"20"}`, `{"Offset":5}`} {
		a := s.call(t, http.MethodPut, "/_sandbox/clock", body)
		assert.Equal(t, http.StatusBadRequest, a.status, body)
		assert.NotEmpty(t, a.errorText(t), body)
	}
	require.Equal(t, http.StatusOK, s.call(t, http.MethodPut, "/_sandbox/clock", `{"Offset":"0s"}`).status)

	sts := s.Account().STS
	stsClient := newClient(t, s.Server, expressconnect.WithSTSCredentials(sts.AccessKeyID, sts.AccessKeySecret, sts.SecurityToken),
		expressconnect.WithMaxAttempts(1))
	list := func() error {
		_, err := stsClient.ListVirtualPhysicalConnections(context.Background(), &expressconnect.ListVirtualPhysicalConnectionsRequest{})
		return err
	}
	require.NoError(t, list())
	require.Equal(t, http.StatusOK, s.call(t, http.MethodPost, "/_sandbox/sts/expire", "").status)
	assert.ErrorIs(t, list(), expressconnect.CodeInvalidSecurityTokenExpired)
}

// TestAdminReset checks that a reset gives the configured state again.
func TestAdminReset(t *testing.T) {
	t.Parallel()
	const configured = "pc-bp1configured0000001"
	s := newSandbox(t, expressconnecttest.Config{ClockOffset: time.Minute, Circuits: []expressconnecttest.Circuit{{ID: configured, Quota: 1}}})
	req := request(60)
	req.PhysicalConnectionID, req.Token = configured, "reset-token"
	first, err := s.client.CreateVirtualPhysicalConnection(context.Background(), req)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, s.call(t, http.MethodPut, "/_sandbox/circuits/"+configured, `{"Enabled":false}`).status)
	require.Equal(t, http.StatusOK, s.call(t, http.MethodPut, "/_sandbox/clock", `{"Offset":"5m"}`).status)
	require.Equal(t, http.StatusOK, s.call(t, http.MethodPost, "/_sandbox/faults", `{"Kind":"close","Count":3}`).status)

	a := s.call(t, http.MethodPost, "/_sandbox/reset", "")
	require.Equal(t, http.StatusOK, a.status)
	assert.JSONEq(t, "{}", a.body)

	var conns []expressconnecttest.Connection
	s.call(t, http.MethodGet, "/_sandbox/connections", "").decode(t, &conns)
	assert.Empty(t, conns)
	var clock struct{ Offset string }
	s.call(t, http.MethodGet, "/_sandbox/clock", "").decode(t, &clock)
	assert.Equal(t, "1m0s", clock.Offset, "the configured offset")
	again, err := s.client.CreateVirtualPhysicalConnection(context.Background(), req)
	require.NoError(t, err, "no fault; the configured circuit is enabled again")
	assert.NotEqual(t, first.VirtualPhysicalConnectionID, again.VirtualPhysicalConnectionID, "the token is forgotten")
	var page struct{ Requests []json.RawMessage }
	s.call(t, http.MethodGet, "/_sandbox/requests", "").decode(t, &page)
	assert.Len(t, page.Requests, 1, "only the request after the reset")
}

// guardCase is a request to the admin API and the status it must get.
type guardCase struct {
	name        string
	method      string
	host        string // the Host header; "" keeps the URL's
	origin      string // the Origin header; "" sends none
	contentType string // sent with the body; "" sends none
	body        string
	auth        string // the Authorization header; "" sends none
	status      int
	code, want  string // in the error, when status is not 200
}

// send sends tc to the admin API at base.
func (tc guardCase) send(t *testing.T, base string) adminAnswer {
	t.Helper()
	var rd io.Reader
	if tc.body != "" {
		rd = strings.NewReader(tc.body)
	}
	req, err := http.NewRequestWithContext(context.Background(), tc.method, base+"/_sandbox/clock", rd)
	require.NoError(t, err)
	if tc.host != "" {
		req.Host = tc.host
	}
	for name, value := range map[string]string{"Origin": tc.origin, "Content-Type": tc.contentType, "Authorization": tc.auth} {
		if value != "" {
			req.Header.Set(name, value)
		}
	}
	return adminDo(t, req)
}

// check sends tc and checks its status and error.
func (tc guardCase) check(t *testing.T, base string) {
	t.Helper()
	a := tc.send(t, base)
	assert.Equal(t, tc.status, a.status, a.body)
	if tc.status != http.StatusOK {
		code, message := a.errorBody(t)
		assert.Equal(t, tc.code, code)
		assert.Contains(t, message, tc.want)
	}
}

// TestAdminGuards checks what the admin API refuses before any route runs, the server
// listening on loopback: a body that is not JSON (415: a browser's form or text post from
// another origin needs no preflight), a Host or an Origin that is neither loopback nor allowed
// (403: DNS rebinding, cross-site requests), and a wrong admin token (401; the token is
// optional on loopback).
func TestAdminGuards(t *testing.T) {
	t.Parallel()
	const token = "0123456789abcdef0123456789abcdef"
	s := newSandbox(t, expressconnecttest.Config{AdminToken: token, AdminAllowedHosts: []string{"Sandbox.CI.internal", "10.1.2.3"}})
	offset := `{"Offset":"0s"}`
	const forbidden, unsupported, unauthorized = "Forbidden", "UnsupportedMediaType", "Unauthorized"
	cases := []guardCase{
		{name: "JSON body", method: http.MethodPut, contentType: "application/json", body: offset, status: http.StatusOK},
		{name: "JSON body with a charset", method: http.MethodPut, contentType: "application/json; charset=utf-8", body: offset, status: http.StatusOK},
		{name: "JSON in upper case", method: http.MethodPut, contentType: "Application/JSON", body: offset, status: http.StatusOK},
		{name: "no body", method: http.MethodGet, status: http.StatusOK},
		{name: "form body", method: http.MethodPut, contentType: "application/x-www-form-urlencoded", body: offset,
			status: http.StatusUnsupportedMediaType, code: unsupported, want: "Content-Type application/json"},
		{name: "text body", method: http.MethodPut, contentType: "text/plain", body: offset, status: http.StatusUnsupportedMediaType,
			code: unsupported, want: `"text/plain"`},
		{name: "multipart body", method: http.MethodPut, contentType: "multipart/form-data; boundary=x", body: offset,
			status: http.StatusUnsupportedMediaType, code: unsupported, want: "Content-Type application/json"},
		{name: "body without a type", method: http.MethodPut, body: offset, status: http.StatusUnsupportedMediaType,
			code: unsupported, want: "Content-Type application/json"},
		{name: "bad type", method: http.MethodPut, contentType: "json;;", body: offset, status: http.StatusUnsupportedMediaType,
			code: unsupported, want: "Content-Type application/json"},
		{name: "localhost", method: http.MethodGet, host: "localhost:8080", status: http.StatusOK},
		{name: "localhost in upper case, no port", method: http.MethodGet, host: "LOCALHOST", status: http.StatusOK},
		{name: "127/8", method: http.MethodGet, host: "127.1.2.3:80", status: http.StatusOK},
		{name: "IPv6 loopback", method: http.MethodGet, host: "[::1]:8080", status: http.StatusOK},
		{name: "allowed name", method: http.MethodGet, host: "sandbox.ci.internal:8080", status: http.StatusOK},
		{name: "allowed name in upper case", method: http.MethodGet, host: "SANDBOX.CI.INTERNAL", status: http.StatusOK},
		{name: "allowed address", method: http.MethodGet, host: "10.1.2.3:8080", status: http.StatusOK},
		{name: "other name", method: http.MethodGet, host: "attacker.example:8080", status: http.StatusForbidden, code: forbidden,
			want: `Host "attacker.example:8080"`},
		{name: "loopback name as a prefix", method: http.MethodGet, host: "localhost.attacker.example", status: http.StatusForbidden,
			code: forbidden, want: "Host"},
		{name: "loopback address as a prefix", method: http.MethodGet, host: "127.0.0.1.nip.io:8080", status: http.StatusForbidden,
			code: forbidden, want: "Host"},
		{name: "other address", method: http.MethodGet, host: "192.168.1.10:8080", status: http.StatusForbidden, code: forbidden, want: "Host"},
		{name: "any address", method: http.MethodGet, host: "0.0.0.0:8080", status: http.StatusForbidden, code: forbidden, want: "Host"},
		{name: "loopback origin", method: http.MethodGet, origin: "http://localhost:3000", status: http.StatusOK},
		{name: "allowed origin", method: http.MethodGet, origin: "https://sandbox.ci.internal", status: http.StatusOK},
		{name: "other origin", method: http.MethodGet, origin: "https://attacker.example", status: http.StatusForbidden, code: forbidden,
			want: `Origin "https://attacker.example"`},
		{name: "null origin", method: http.MethodGet, origin: "null", status: http.StatusForbidden, code: forbidden, want: `Origin "null"`},
		{name: "other origin, JSON body", method: http.MethodPut, origin: "http://attacker.example", contentType: "application/json", body: offset,
			status: http.StatusForbidden, code: forbidden, want: "Origin"},
		{name: "right token", method: http.MethodGet, auth: "Bearer " + token, status: http.StatusOK},
		{name: "right token, scheme in lower case", method: http.MethodGet, auth: "bearer " + token, status: http.StatusOK},
		{name: "wrong token", method: http.MethodGet, auth: "Bearer " + strings.Repeat("0", len(token)), status: http.StatusUnauthorized,
			code: unauthorized, want: "admin token"},
		{name: "token of another length", method: http.MethodGet, auth: "Bearer x", status: http.StatusUnauthorized, code: unauthorized,
			want: "admin token"},
		{name: "other scheme", method: http.MethodGet, auth: "Basic " + token, status: http.StatusUnauthorized, code: unauthorized, want: "Bearer"},
	}
	t.Run("cases", func(t *testing.T) { // returns once its parallel cases are done
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				tc.check(t, s.URL())
			})
		}
	})
	assert.NotContains(t, s.log.String(), token, "no log record holds the token")
	for _, status := range []string{"401", "403", "415"} {
		assert.Regexp(t, `msg=admin method=(GET|PUT) path=/_sandbox/clock status=`+status+`\n`, s.log.String())
	}
}

// farListener is a loopback listener that says it listens on another address, so that a test
// sees how the server behaves beyond loopback without listening there.
type farListener struct {
	net.Listener
	addr net.Addr
}

// Addr returns the address the listener says it listens on.
func (l farListener) Addr() net.Addr { return l.addr }

// TestAdminTokenRequiredBeyondLoopback checks that the admin API asks for the token (401, with
// a WWW-Authenticate header) when the server listens beyond loopback, and takes it when it is
// right.
func TestAdminTokenRequiredBeyondLoopback(t *testing.T) {
	t.Parallel()
	const token = "fedcba9876543210fedcba9876543210"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	real := "http://" + l.Addr().String()
	far := farListener{Listener: l, addr: &net.TCPAddr{IP: net.IPv4zero, Port: l.Addr().(*net.TCPAddr).Port}}
	expressconnecttest.NewTestServer(t, expressconnecttest.Config{Listener: far, AdminToken: token})
	cases := []struct {
		name   string
		auth   string
		status int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"right token", "Bearer " + token, http.StatusOK},
		{"wrong token", "Bearer " + strings.ToUpper(token), http.StatusUnauthorized},
		{"empty token", "Bearer ", http.StatusUnauthorized},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := guardCase{method: http.MethodGet, auth: tc.auth}.send(t, real)
			assert.Equal(t, tc.status, a.status, a.body)
			if tc.status == http.StatusUnauthorized {
				assert.Equal(t, `Bearer realm="expressconnecttest admin API"`, a.header.Get("WWW-Authenticate"))
				assert.Equal(t, "Unauthorized", a.errorCode(t))
				assert.Contains(t, a.errorText(t), "admin token")
				assert.NotContains(t, a.body, token)
			}
		})
	}
}

// TestAdminResetKeepsUsedNonces checks that a request captured before POST /_sandbox/reset
// cannot be replayed after it: the reset forgets the hosted connections, not the nonces.
func TestAdminResetKeepsUsedNonces(t *testing.T) {
	t.Parallel()
	s := newSandbox(t, expressconnecttest.Config{})
	p := validParams(s.Server)
	signWith(p, s.Account().AccessKeySecret)
	send := func() result {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, s.URL()+"/", bytes.NewReader([]byte(encode(p))))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return do(t, req)
	}
	require.Equal(t, http.StatusOK, send().Status)
	require.Equal(t, http.StatusOK, s.call(t, http.MethodPost, "/_sandbox/reset", "").status)
	replay := send()
	assert.Equal(t, http.StatusBadRequest, replay.Status)
	assert.Equal(t, string(expressconnect.CodeSignatureNonceUsed), replay.code())
	var conns []expressconnecttest.Connection
	s.call(t, http.MethodGet, "/_sandbox/connections", "").decode(t, &conns)
	assert.Empty(t, conns, "the replay created nothing")
}
