package expressconnecttest_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
	"github.com/expressconnect-go/expressconnect/internal/localsign"
)

// testTenant is a tenant UID used by the tests.
const testTenant = "1210123456123456"

// validParams returns the parameters of a valid request from the server's account, unsigned,
// with a fresh nonce and the server's current time. It may be called from any goroutine, so it
// panics, rather than fail a test, when the server's clock cannot be read.
func validParams(s *expressconnecttest.Server) url.Values {
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	now, err := s.Admin().Now(context.Background())
	if err != nil {
		panic(err)
	}
	return url.Values{
		"AccessKeyId":          {s.Account().AccessKeyID},
		"Action":               {"CreateVirtualPhysicalConnection"},
		"Format":               {"JSON"},
		"SignatureMethod":      {"HMAC-SHA1"},
		"SignatureNonce":       {hex.EncodeToString(nonce[:])},
		"SignatureVersion":     {"1.0"},
		"Timestamp":            {now.Format("2006-01-02T15:04:05Z")},
		"Version":              {"2016-04-28"},
		"RegionId":             {"cn-hangzhou"},
		"PhysicalConnectionId": {expressconnecttest.DefaultCircuitID},
		"VpconnAliUid":         {testTenant},
		"VlanId":               {"10"},
		"Spec":                 {"50M"},
		"OrderMode":            {"PayByVirtualPhysicalConnectionOwner"},
	}
}

// result is a decoded answer.
type result struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

// code returns the Code of an error answer.
func (r result) code() string { s, _ := r.Body["Code"].(string); return s }

// str returns the string field name of the body.
func (r result) str(name string) string { s, _ := r.Body[name].(string); return s }

// signWith sets the Signature of params computed with secret for POST.
func signWith(params url.Values, secret string) url.Values {
	params.Del("Signature")
	params.Set("Signature", localsign.Sign(http.MethodPost, params, secret))
	return params
}

// post signs params with the server's secret and sends them as the official SDKs do: POST /
// with every parameter in the URL query and an empty body.
func post(t *testing.T, s *expressconnecttest.Server, params url.Values) result {
	t.Helper()
	return postRaw(t, s, signWith(params, s.Account().AccessKeySecret))
}

// postRaw sends params as they are, in the URL query.
func postRaw(t *testing.T, s *expressconnecttest.Server, params url.Values) result {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/?"+encode(params), nil)
	require.NoError(t, err)
	return do(t, req)
}

// postForm signs params and sends them in a form body.
func postForm(t *testing.T, s *expressconnecttest.Server, params url.Values) result {
	t.Helper()
	signWith(params, s.Account().AccessKeySecret)
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/", strings.NewReader(encode(params)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, req)
}

// do sends req and decodes the JSON answer.
func do(t *testing.T, req *http.Request) result {
	t.Helper()
	r, err := doE(req)
	require.NoError(t, err)
	return r
}

// tryPost signs params and sends them in the URL query; it is safe to call from any goroutine.
func tryPost(s *expressconnecttest.Server, params url.Values) (result, error) {
	signWith(params, s.Account().AccessKeySecret)
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/?"+encode(params), nil)
	if err != nil {
		return result{}, err
	}
	return doE(req)
}

// doE sends req and decodes the JSON answer.
func doE(req *http.Request) (result, error) {
	return doWith(&http.Client{Timeout: 10 * time.Second}, req)
}

// doWith sends req with client and decodes the JSON answer.
func doWith(client *http.Client, req *http.Request) (result, error) {
	resp, err := client.Do(req)
	if err != nil {
		return result{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return result{}, err
	}
	r := result{Status: resp.StatusCode, Header: resp.Header, Raw: string(raw)}
	if err := json.Unmarshal(raw, &r.Body); err != nil {
		return r, fmt.Errorf("decoding %q: %w", raw, err)
	}
	return r, nil
}

// encode percent-encodes params the way the official SDKs do (space as %20).
func encode(params url.Values) string {
	return strings.ReplaceAll(params.Encode(), "+", "%20")
}

// actionParams returns the parameters of a request to action from the server's account,
// unsigned, with RegionId and the pairs of kv (name, value, name, value, ...).
func actionParams(s *expressconnecttest.Server, action string, kv ...string) url.Values {
	p := validParams(s)
	for _, name := range []string{"PhysicalConnectionId", "VpconnAliUid", "VlanId", "Spec", "OrderMode"} {
		p.Del(name)
	}
	p.Set("Action", action)
	for i := 0; i+1 < len(kv); i += 2 {
		p.Set(kv[i], kv[i+1])
	}
	return p
}

// callAction signs and sends a request to action with the pairs of kv.
func callAction(t *testing.T, s *expressconnecttest.Server, action string, kv ...string) result {
	t.Helper()
	return post(t, s, actionParams(s, action, kv...))
}

// errorCase is a row of a table of refused requests: the parameters kv set on a request, and
// the HTTP status and the error code it is answered with ("" when it is accepted).
type errorCase struct {
	name   string
	kv     []string
	status int
	code   string
}

// check sends a request to action with tc's parameters and checks the status and the code of
// the answer.
func (tc errorCase) check(t *testing.T, s *expressconnecttest.Server, action string) {
	t.Helper()
	r := callAction(t, s, action, tc.kv...)
	assert.Equal(t, tc.status, r.Status, r.Raw)
	assert.Equal(t, tc.code, r.code(), r.Raw)
}

// targetFixture is a server with what the checks of the ID of Terminate, Cancel and Delete
// tell apart.
type targetFixture struct {
	s *expressconnecttest.Server
	// id is a hosted connection on the default circuit.
	id string
	// shanghai is a circuit in cn-shanghai; there is a hosted connection on it.
	shanghai, there string
	// foreign is a circuit of another account; theirs is a hosted connection created on it
	// while the server's account owned it.
	foreign, theirs string
}

// newTargetFixture starts a server with the circuits of a targetFixture and creates its
// hosted connections.
func newTargetFixture(t *testing.T) targetFixture {
	t.Helper()
	f := targetFixture{shanghai: "pc-uf6shanghaicircuit001", foreign: "pc-bp1foreigncircuit0001"}
	f.s = expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{ID: f.shanghai, RegionID: "cn-shanghai"}, {ID: f.foreign}}})
	f.id = createConn(t, f.s, 10)
	p := validParams(f.s)
	p.Set("RegionId", "cn-shanghai")
	p.Set("PhysicalConnectionId", f.shanghai)
	f.there = post(t, f.s, p).str("VirtualPhysicalConnection")
	p = validParams(f.s)
	p.Set("PhysicalConnectionId", f.foreign)
	f.theirs = post(t, f.s, p).str("VirtualPhysicalConnection")
	admin(t, f.s).SetCircuit(expressconnecttest.Circuit{ID: f.foreign, Owner: "1999999999999999"})
	return f
}

// objects returns the objects of the array that the names of path lead to in the body, one
// name an object deep.
func (r result) objects(path ...string) []map[string]any {
	var v any = r.Body
	for _, name := range path {
		m, _ := v.(map[string]any)
		v = m[name]
	}
	raw, _ := v.([]any)
	out := make([]map[string]any, len(raw))
	for i, e := range raw {
		out[i], _ = e.(map[string]any)
	}
	return out
}

// stringField returns the string field name of every object of objects.
func stringField(objects []map[string]any, name string) []string {
	var out []string
	for _, e := range objects {
		s, _ := e[name].(string)
		out = append(out, s)
	}
	return out
}

// listed returns the elements of a List answer.
func (r result) listed() []map[string]any { return r.objects("VirtualPhysicalConnections") }

// listedField returns the field name of every element of a List answer.
func (r result) listedField(name string) []string { return stringField(r.listed(), name) }

// number returns the number field name of the body.
func (r result) number(name string) int { n, _ := r.Body[name].(float64); return int(n) }

// testAdmin is the Admin of a server for a test: each of its calls fails the test when it
// returns an error, for the tests that check the state rather than the admin API.
type testAdmin struct {
	t   testing.TB
	adm *expressconnecttest.Admin
}

// admin returns the server's Admin for the test t.
func admin(t testing.TB, s *expressconnecttest.Server) testAdmin {
	t.Helper()
	return testAdmin{t: t, adm: s.Admin()}
}

// check fails the test when err is not nil.
func (a testAdmin) check(err error) {
	a.t.Helper()
	require.NoError(a.t, err)
}

// Connections returns the hosted connections the server holds.
func (a testAdmin) Connections() []expressconnecttest.Connection {
	a.t.Helper()
	list, err := a.adm.Connections(context.Background())
	a.check(err)
	return list
}

// Connection returns the hosted connection id, which must exist.
func (a testAdmin) Connection(id string) expressconnecttest.Connection {
	a.t.Helper()
	c, err := a.adm.Connection(context.Background(), id)
	a.check(err)
	return c
}

// Circuits returns the circuits the server holds.
func (a testAdmin) Circuits() []expressconnecttest.Circuit {
	a.t.Helper()
	list, err := a.adm.Circuits(context.Background())
	a.check(err)
	return list
}

// Requests returns every request the server's log holds.
func (a testAdmin) Requests() []expressconnecttest.Request {
	a.t.Helper()
	page, err := a.adm.Requests(context.Background(), 0, 0)
	a.check(err)
	return page.Requests
}

// Act makes the change act to the hosted connection id, which the state model must allow.
func (a testAdmin) Act(id string, act expressconnecttest.Action) {
	a.t.Helper()
	a.check(a.adm.Act(context.Background(), id, act))
}

// SetCircuit adds or changes the circuit c.
func (a testAdmin) SetCircuit(c expressconnecttest.Circuit) {
	a.t.Helper()
	a.check(a.adm.SetCircuit(context.Background(), c))
}

// InjectFaults makes the next n requests that f applies to fail with f.
func (a testAdmin) InjectFaults(n int, f expressconnecttest.Fault) {
	a.t.Helper()
	a.check(a.adm.InjectFaults(context.Background(), n, f))
}

// ClearFaults removes the faults not used up yet.
func (a testAdmin) ClearFaults() {
	a.t.Helper()
	a.check(a.adm.ClearFaults(context.Background()))
}

// Reset gives the server its configured state again.
func (a testAdmin) Reset() {
	a.t.Helper()
	a.check(a.adm.Reset(context.Background()))
}

// SetClockOffset sets how far the server's clock is ahead of the system clock.
func (a testAdmin) SetClockOffset(d time.Duration) {
	a.t.Helper()
	a.check(a.adm.SetClockOffset(context.Background(), d))
}

// Now returns the time on the server's clock.
func (a testAdmin) Now() time.Time {
	a.t.Helper()
	now, err := a.adm.Now(context.Background())
	a.check(err)
	return now
}

// ExpireSTSCredentials makes the STS credentials expired.
func (a testAdmin) ExpireSTSCredentials() {
	a.t.Helper()
	a.check(a.adm.ExpireSTSCredentials(context.Background()))
}

// act makes the change a to the hosted connection id through the server's Admin, and returns
// its error.
func act(s *expressconnecttest.Server, id string, a expressconnecttest.Action) error {
	return s.Admin().Act(context.Background(), id, a)
}
