package expressconnect

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// This file is the one loopback fixture of the package's tests: a scripted server that records
// what it receives, a client for it, and the answers (steps) it can play. The requests it is
// sent are built by allParamsRequest and minimalRequest (request_test.go).

// The static AccessKey of fixtureClient.
const (
	fixtureAccessKeyID = "LTAI5tFixtureTestKey0001"
	fixtureSecret      = "fixture-test-secret"
)

// The documented sample success answer, played by fixtureOK.
const (
	fixtureOKRequestID    = "CD14EA74-E9C3-59A9-942A-DFEC7E12818D"
	fixtureOKConnectionID = "pc-bp1mrgfbtmc9brre7****"
	fixtureOKBody         = `{"RequestId":"` + fixtureOKRequestID + `","VirtualPhysicalConnection":"` + fixtureOKConnectionID + `"}`
)

// fixtureNoWait is a Backoff that never waits, for tests where timing is not the point.
func fixtureNoWait(RetryClass, int, time.Duration) time.Duration { return 0 }

// fixtureStep answers one request of a fixtureServer.
type fixtureStep func(w http.ResponseWriter, r *http.Request)

// fixtureSeen is one request a fixtureServer received.
type fixtureSeen struct {
	at            time.Time
	method, path  string
	rawQuery      string
	query         url.Values
	header        http.Header
	contentLength int64
	body          []byte
}

// fixtureServer is an httptest server that answers its i-th request with steps[i] (the last
// step repeats) and records every request. It is safe for concurrent use.
type fixtureServer struct {
	*httptest.Server
	steps []fixtureStep

	mu   sync.Mutex
	seen []fixtureSeen
}

// newFixtureServer starts a fixtureServer playing steps (fixtureOK when none are given), closed
// when tb ends.
func newFixtureServer(tb testing.TB, steps ...fixtureStep) *fixtureServer {
	tb.Helper()
	return newFixtureServerWith(tb, nil, steps...)
}

// newFixtureServerWith is newFixtureServer with configure, when not nil, applied to the
// *http.Server before it starts.
func newFixtureServerWith(tb testing.TB, configure func(*http.Server), steps ...fixtureStep) *fixtureServer {
	tb.Helper()
	if len(steps) == 0 {
		steps = []fixtureStep{fixtureOK}
	}
	s := &fixtureServer{steps: steps}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	if configure != nil {
		configure(s.Config)
	}
	s.Start()
	tb.Cleanup(s.Close)
	return s
}

func (s *fixtureServer) serve(w http.ResponseWriter, r *http.Request) {
	at := time.Now()
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	i := len(s.seen)
	s.seen = append(s.seen, fixtureSeen{
		at: at, method: r.Method, path: r.URL.Path, rawQuery: r.URL.RawQuery, query: r.URL.Query(),
		header: r.Header.Clone(), contentLength: r.ContentLength, body: body,
	})
	s.mu.Unlock()
	s.steps[min(i, len(s.steps)-1)](w, r)
}

// requests returns what the server received so far.
func (s *fixtureServer) requests() []fixtureSeen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]fixtureSeen(nil), s.seen...)
}

// queries returns the query of every request received so far.
func (s *fixtureServer) queries() []url.Values {
	var out []url.Values
	for _, r := range s.requests() {
		out = append(out, r.query)
	}
	return out
}

// param returns the values of a query parameter over every request received so far.
func (s *fixtureServer) param(name string) []string {
	var out []string
	for _, r := range s.requests() {
		out = append(out, r.query.Get(name))
	}
	return out
}

// fixtureClient returns a Client of endpoint with region cn-hangzhou, the static AccessKey
// fixtureAccessKeyID and fixtureNoWait; opts come after those defaults and may replace them.
// Its idle connections are closed when tb ends.
func fixtureClient(tb testing.TB, endpoint string, opts ...Option) *Client {
	tb.Helper()
	base := []Option{
		WithRegion("cn-hangzhou"), WithEndpoint(endpoint),
		WithAccessKey(fixtureAccessKeyID, fixtureSecret), WithBackoff(fixtureNoWait),
	}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(tb, err)
	tb.Cleanup(c.http.CloseIdleConnections)
	return c
}

// fixtureClosedURL returns the URL of a loopback port nothing listens on.
func fixtureClosedURL(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	addr := l.Addr().String()
	require.NoError(tb, l.Close())
	return "http://" + addr
}

// fixtureOK answers with fixtureOKBody.
func fixtureOK(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, fixtureOKBody)
}

// fixtureBody answers with status, body and the given header pairs; a pair with an empty value
// is left out.
func fixtureBody(status int, body string, headers ...string) fixtureStep {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			if headers[i+1] != "" {
				w.Header().Set(headers[i], headers[i+1])
			}
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// fixtureJSON answers status with a JSON body, and requestID in x-acs-request-id when it is not
// empty.
func fixtureJSON(status int, body, requestID string) fixtureStep {
	return fixtureBody(status, body, "Content-Type", "application/json;charset=utf-8", "x-acs-request-id", requestID)
}

// fixtureAPI answers with the service's error body for status and code, RequestId
// "req-<status>", and the given header pairs.
func fixtureAPI(status int, code string, headers ...string) fixtureStep {
	body := fmt.Sprintf(`{"RequestId":"req-%s","HostId":"vpc.aliyuncs.com","Code":%q,"Message":"fault %s"}`,
		strconv.Itoa(status), code, code)
	return fixtureBody(status, body, append([]string{"Content-Type", "application/json"}, headers...)...)
}

// fixtureHTML answers status with an HTML page, as a proxy in front of the service would.
func fixtureHTML(status int) fixtureStep {
	page := fmt.Sprintf("<html><body><h1>%d %s</h1></body></html>", status, http.StatusText(status))
	return fixtureBody(status, page, "Content-Type", "text/html")
}

// fixtureHijack takes the connection, writes raw bytes, and closes it: with an RST when reset
// is set, after a pause that lets the client read what was written; with a FIN otherwise.
func fixtureHijack(raw string, reset bool) fixtureStep {
	return func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err) // The test server always supports hijacking.
		}
		defer conn.Close()
		if raw != "" {
			_, _ = buf.WriteString(raw)
			_ = buf.Flush()
		}
		if reset {
			if raw != "" {
				time.Sleep(30 * time.Millisecond)
			}
			_ = conn.(*net.TCPConn).SetLinger(0)
		}
	}
}

var (
	// fixtureResetBeforeHeaders resets the connection without answering.
	fixtureResetBeforeHeaders = fixtureHijack("", true)
	// fixtureResetAfterHeaders sends a 200's headers and part of its body, then resets.
	fixtureResetAfterHeaders = fixtureHijack("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 80\r\n\r\n{\"RequestId\":", true)
	// fixtureTruncated sends a 200 whose body stops before its Content-Length, then closes.
	fixtureTruncated = fixtureHijack("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 80\r\n\r\n{\"RequestId\":\"req-tr", false)
)

// fixtureDrip sends a 200's headers, then one byte of body every interval until the client
// goes away.
func fixtureDrip(interval time.Duration) fixtureStep {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(http.StatusOK)
		rc := http.NewResponseController(w)
		_ = rc.Flush()
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
				if _, err := w.Write([]byte(" ")); err != nil {
					return
				}
				_ = rc.Flush()
			}
		}
	}
}

// fixtureSlow waits d, or until the client goes away, before answering with fixtureOK.
func fixtureSlow(d time.Duration) fixtureStep {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(d):
			fixtureOK(w, r)
		}
	}
}

// fixtureRedirect answers with a redirect of status to location, with the request's signed
// query appended when keepQuery is set (as an HTTP-to-HTTPS redirect does).
func fixtureRedirect(status int, location string, keepQuery bool) fixtureStep {
	return func(w http.ResponseWriter, r *http.Request) {
		to := location
		if keepQuery {
			to += "/?" + r.URL.RawQuery
		}
		http.Redirect(w, r, to, status)
	}
}

// decodeCreate decodes resp as an attempt decodes the answer to a Create request, and returns
// the response or the attempt's error (before the redaction boundary).
func decodeCreate(resp *http.Response, dryRun bool) (*CreateVirtualPhysicalConnectionResponse, error) {
	out := &CreateVirtualPhysicalConnectionResponse{}
	a := decodeAnswer(context.Background(), resp, actionCreate, dryRun, out)
	if a.err != nil {
		return nil, a.err
	}
	*out.metadata() = ResponseMetadata{RequestID: a.requestID, DryRun: a.dryRunPassed}
	return out, nil
}

// validateCreate checks r as a client with the default region region does, strictly unless
// lenient.
func validateCreate(r *CreateVirtualPhysicalConnectionRequest, region string, lenient bool) error {
	if r == nil {
		return nilRequest(actionCreate)
	}
	return encodeRequest(r, !lenient, region).result(actionCreate)
}

// encodedParams returns the wire parameters of r as a call with the region cn-hangzhou sends
// them, sorted by name: the token parameter is there when r has a token.
func encodedParams(r Request) []param {
	e := encodeRequest(r, true, "cn-hangzhou")
	if e.token.param != "" && e.token.value != "" {
		e.put(e.token.param, e.token.value)
	}
	sortParams(e.params)
	return e.params
}

// fixtureNoRegion is an Option that takes back the region fixtureClient sets, so that the
// client has only what ALIBABA_CLOUD_REGION_ID or a later WithRegion gives it.
var fixtureNoRegion Option = clientOption(func(c *config) error {
	c.region = ""
	return nil
})

// observerFuncs is an Observer made of two functions; a nil function is not called.
type observerFuncs struct {
	Attempt func(ctx context.Context, call CallInfo, a Attempt)
	Call    func(ctx context.Context, call CallInfo, r CallResult)
}

func (f observerFuncs) ObserveAttempt(ctx context.Context, call CallInfo, a Attempt) {
	if f.Attempt != nil {
		f.Attempt(ctx, call, a)
	}
}

func (f observerFuncs) ObserveCall(ctx context.Context, call CallInfo, r CallResult) {
	if f.Call != nil {
		f.Call(ctx, call, r)
	}
}

// fixtureByAction returns a step that answers each request with the steps of its Action (the
// query's, or the x-acs-action header's): the i-th request to an action gets its i-th step,
// the last one repeating. An action without steps is answered InvalidAction.NotFound.
func fixtureByAction(steps map[string][]fixtureStep) fixtureStep {
	var mu sync.Mutex
	seen := map[string]int{}
	return func(w http.ResponseWriter, r *http.Request) {
		action := r.URL.Query().Get("Action")
		if action == "" {
			action = r.Header.Get("x-acs-action")
		}
		mu.Lock()
		i := seen[action]
		seen[action]++
		mu.Unlock()
		s, ok := steps[action]
		if !ok || len(s) == 0 {
			fixtureAPI(http.StatusNotFound, "InvalidAction.NotFound")(w, r)
			return
		}
		s[min(i, len(s)-1)](w, r)
	}
}

// actions returns the Action of every request received so far.
func (s *fixtureServer) actions() []string {
	var out []string
	for _, r := range s.requests() {
		a := r.query.Get("Action")
		if a == "" {
			a = r.header.Get("x-acs-action")
		}
		out = append(out, a)
	}
	return out
}

// fixtureDescribe answers DescribePhysicalConnections for the ID in its filter: a row with
// the product type known gives it, none for an ID it does not know.
func fixtureDescribe(known map[string]string) fixtureStep {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("Filter.1.Value.1")
		rows := ""
		if productType, ok := known[id]; ok {
			rows = fmt.Sprintf(`{"PhysicalConnectionId":%q,"ProductType":%q,"Status":"Enabled","Bandwidth":10000,"VirtualPhysicalConnectionCount":3}`, id, productType)
		}
		fixtureJSON(http.StatusOK, `{"RequestId":"DESC-1","PageNumber":1,"PageSize":10,"TotalCount":1,"PhysicalConnectionSet":{"PhysicalConnectionType":[`+rows+`]}}`, "")(w, r)
	}
}

// hostedElement returns a List element of the hosted connection id on circuit, in the states
// given.
func hostedElement(id, circuit, status, vpconnStatus string) string {
	return fmt.Sprintf(`{"PhysicalConnectionId":%q,"ParentPhysicalConnectionId":%q,"ProductType":"VirtualPhysicalConnection",`+
		`"Status":%q,"VirtualPhysicalConnectionStatus":%q,"VlanId":"10","Spec":"100M","ExpectSpec":"100M","AliUid":"1210123456789012"}`,
		id, circuit, status, vpconnStatus)
}
