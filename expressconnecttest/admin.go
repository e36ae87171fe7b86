package expressconnecttest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/expressconnect-go/expressconnect/internal/adminauth"
)

// This file is the Go client of the admin API, Admin. Every method is one or more HTTP
// requests to the admin API, for a Server in the test's process and for the
// expressconnect-local command alike, so that each has one implementation.

// Admin is a client of a server's admin API: it acts as the tenant and billing, changes the
// circuits and the clock, injects faults, and reads what the server holds and received. Get
// one from [Server.Admin] for a Server in the test's process, or from NewAdmin for the
// expressconnect-local command. Every method sends HTTP requests, and so takes a context; an
// error answer of the admin API is an error that names the route, its status and code, and
// matches ErrUnknownConnection or ErrTransitionNotAllowed when it says so. An Admin is safe for
// concurrent use.
type Admin struct {
	base   string // the server's base URL, such as "http://127.0.0.1:8080"
	token  string
	client *http.Client
}

// defaultAdminTimeout bounds each request of an Admin from NewAdmin, whatever its context
// says, so that a test does not hang on a server that stopped answering.
const defaultAdminTimeout = time.Minute

// NewAdmin returns a client of the admin API of the expressconnect-local command at baseURL,
// the endpoint its banner prints ("http://127.0.0.1:8080"; the admin API's own URL, ending
// in /_sandbox/, is taken too, and so is a bare host:port, as http). token is the admin token
// ("" sends none): optional when the command listens on loopback, required beyond, and
// refused when wrong; one that breaks the admin token's rule (16 to 256 letters, digits and
// -._~+/=, as the command checks it) is refused here. An http URL whose host is not a
// loopback name or address is refused without a token, as the command refuses its requests
// then. Each request of the client is bounded by a minute besides its context, and redirects
// are not followed.
func NewAdmin(baseURL, token string) (*Admin, error) {
	if !strings.Contains(baseURL, "://") {
		baseURL = "http://" + baseURL
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("expressconnecttest: NewAdmin: %w", err)
	}
	path := strings.TrimSuffix(u.Path, "/")
	var tokenErr error
	if token != "" {
		tokenErr = adminauth.CheckToken(token)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("expressconnecttest: NewAdmin: the URL %q is neither http nor https", clipped(baseURL))
	case u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || (path != "" && path != strings.TrimSuffix(adminPrefix, "/")):
		return nil, fmt.Errorf("expressconnecttest: NewAdmin: the URL %q is not a server's base URL, such as http://127.0.0.1:8080",
			clipped(baseURL))
	case tokenErr != nil:
		return nil, fmt.Errorf("expressconnecttest: NewAdmin: the admin token %w", tokenErr)
	case u.Scheme == "http" && token == "" && !adminauth.IsLoopbackHost(u.Hostname()):
		return nil, fmt.Errorf("expressconnecttest: NewAdmin: %s is not a loopback host: a server that listens beyond loopback "+
			"needs the admin token (the command's banner prints it)", clipped(u.Host))
	}
	client := &http.Client{
		Timeout: defaultAdminTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return errors.New("the admin API does not redirect")
		},
	}
	return &Admin{base: u.Scheme + "://" + u.Host, token: token, client: client}, nil
}

// Admin returns the client of the server's admin API. Its requests go straight to the admin
// API's handler in the process, guards included, rather than through the listener, so that
// they work whatever the listener (Config.NoAdmin turns the admin API off for the listener
// only) and are not logged.
func (s *Server) Admin() *Admin { return s.admin }

// inProcessBase is the base URL of the in-process Admin: its requests never reach a network,
// and the guard takes their Host for a loopback one, whatever address the listener has
// (0.0.0.0, say, which the guard refuses as a Host).
const inProcessBase = "http://localhost"

// newInProcessAdmin returns the Admin of s, whose requests s.serveAdmin answers in the process.
func newInProcessAdmin(s *Server) *Admin {
	return &Admin{base: inProcessBase, token: s.cfg.admin.token, client: &http.Client{Transport: handlerTransport{s.serveAdmin}}}
}

// handlerTransport answers each request with its handler, in the process.
type handlerTransport struct {
	handler http.HandlerFunc
}

// RoundTrip serves req as the server would receive it and returns the answer.
func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		defer req.Body.Close()
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	in := req.Clone(req.Context())
	if in.Host == "" {
		in.Host = req.URL.Host
	}
	in.RequestURI, in.RemoteAddr = req.URL.RequestURI(), "127.0.0.1:0"
	if in.Body == nil {
		in.Body = http.NoBody
	}
	rec := httptest.NewRecorder()
	t.handler(rec, in)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// Action is a change of a hosted connection's state that the tenant or billing makes, which
// [Admin.Act] makes as they would.
type Action string

// The actions of the tenant and billing. Each is refused, with an error matching
// ErrTransitionNotAllowed, from a state the package documentation's state model does not
// allow it from.
const (
	// TenantAccepts accepts the hosted connection as its tenant does in the console or with
	// ConfirmPhysicalConnection: from VirtualPhysicalConnectionStatus UnConfirmed and Status
	// Allocated, both become Confirmed.
	TenantAccepts Action = "accept"
	// TenantRejects refuses it as its tenant may instead of accepting it: from UnConfirmed and
	// Allocated, Status becomes Rejected.
	TenantRejects Action = "reject"
	// BillingEnables records its payment: a Confirmed one becomes Enabled, its EnabledTime is
	// set and its ExpectSpec becomes its Spec; an Enabled one whose ExpectSpec differs from its
	// Spec (an update not yet paid) gets ExpectSpec as its Spec.
	BillingEnables Action = "enable"
	// BillingLocksFinancial locks a Normal one: its BusinessStatus becomes FinancialLocked.
	BillingLocksFinancial Action = "lock-financial"
	// BillingLocksSecurity locks a Normal one as security does: its BusinessStatus becomes
	// SecurityLocked.
	BillingLocksSecurity Action = "lock-security"
	// BillingUnlocks unlocks a locked one: its BusinessStatus becomes Normal.
	BillingUnlocks Action = "unlock"
)

// actionRoutes maps each Action to the last element of its route's path and its body.
var actionRoutes = map[Action]struct{ route, body string }{
	TenantAccepts:         {"accept", ""},
	TenantRejects:         {"reject", ""},
	BillingEnables:        {"enable", ""},
	BillingLocksFinancial: {"lock", `{"BusinessStatus":"FinancialLocked"}`},
	BillingLocksSecurity:  {"lock", `{"BusinessStatus":"SecurityLocked"}`},
	BillingUnlocks:        {"unlock", ""},
}

// Act makes the change a to the hosted connection id, as the tenant or billing does. It
// returns an error matching ErrUnknownConnection when no hosted connection has the ID, and
// one matching ErrTransitionNotAllowed when the state model does not allow the change from
// its state (a deleted hosted connection allows none).
func (a *Admin) Act(ctx context.Context, id string, act Action) error {
	r, ok := actionRoutes[act]
	switch {
	case !ok:
		return fmt.Errorf("expressconnecttest: Act: %q is none of the Actions", clipped(string(act)))
	case id == "":
		return fmt.Errorf("%w: the ID is empty", ErrUnknownConnection)
	}
	return a.call(ctx, http.MethodPost, adminPrefix+"connections/"+url.PathEscape(id)+"/"+r.route, r.body, nil)
}

// Connection returns the hosted connection id, deleted or not, or an error matching
// ErrUnknownConnection when there is none (or the server no longer remembers it, see
// Config.Retention).
func (a *Admin) Connection(ctx context.Context, id string) (Connection, error) {
	var c Connection
	if id == "" {
		return c, fmt.Errorf("%w: the ID is empty", ErrUnknownConnection)
	}
	err := a.call(ctx, http.MethodGet, adminPrefix+"connections/"+url.PathEscape(id), "", &c)
	return c, err
}

// Connections returns the hosted connections the server holds, oldest first, deleted ones
// included (with VirtualPhysicalConnectionStatus Deleted) until the server forgets them.
func (a *Admin) Connections(ctx context.Context) ([]Connection, error) {
	var list []Connection
	err := a.call(ctx, http.MethodGet, adminPrefix+"connections", "", &list)
	return list, err
}

// Circuits returns the circuits the server holds, those of its Config and of SetCircuit, in
// the order of their IDs, each with the defaults of its zero fields applied as [Circuit]
// documents them: what the server checks requests against.
func (a *Admin) Circuits(ctx context.Context) ([]Circuit, error) {
	var list []Circuit
	err := a.call(ctx, http.MethodGet, adminPrefix+"circuits", "", &list)
	return list, err
}

// SetCircuit adds the circuit c, or changes the one with its ID (for example to disable it),
// keeping the hosted connections already on it. The zero fields of c take their defaults, as
// [Circuit] documents them. A circuit that breaks a rule of Circuit is refused.
func (a *Admin) SetCircuit(ctx context.Context, c Circuit) error {
	if c.ID == "" {
		return errors.New("expressconnecttest: SetCircuit: the circuit has no ID")
	}
	body, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("expressconnecttest: SetCircuit: %w", err)
	}
	return a.call(ctx, http.MethodPut, adminPrefix+"circuits/"+url.PathEscape(c.ID), string(body), nil)
}

// InjectFaults makes the next n requests of the service's API that f applies to (those of its
// Action, or any) fail with f, after the faults injected before that apply to them. It costs
// the server the same memory whatever n is; n <= 0 injects nothing. A fault that [Fault]
// documents as refused is an error, and is not injected. The admin API's own requests never
// get a fault.
func (a *Admin) InjectFaults(ctx context.Context, n int, f Fault) error {
	if n <= 0 {
		return nil
	}
	body, err := json.Marshal(faultToJSON(f, n))
	if err != nil {
		return fmt.Errorf("expressconnecttest: InjectFaults: %w", err)
	}
	return a.call(ctx, http.MethodPost, adminPrefix+"faults", string(body), nil)
}

// ClearFaults removes the faults injected and not used up yet.
func (a *Admin) ClearFaults(ctx context.Context) error {
	return a.call(ctx, http.MethodDelete, adminPrefix+"faults", "", nil)
}

// RequestPage is a page of the requests the server received, as [Admin.Requests] reads them.
type RequestPage struct {
	// Requests are the requests of the page, in order of arrival (oldest first).
	Requests []Request
	// Next is the cursor to pass as after to read the requests that arrive after those of the
	// page: the rank of the last one (ranks count the requests in order of arrival since the
	// server started, from 1, across resets), or the after of the call when the page is empty.
	Next uint64
	// Dropped is how many requests the server's log dropped, to keep within its size
	// (Config.RequestLogSize), since it started or was last reset.
	Dropped uint64
	// More reports whether the log held requests after the page when it was read.
	More bool
}

// maxRequestsPerCall is how many requests one request of Admin.Requests asks for: the admin
// API's largest page.
const maxRequestsPerCall = maxRequestsPage

// Requests returns a page of the requests the server received that its log still holds, with
// their answers and their credentials redacted: at most limit of them (every one there is
// when limit <= 0), the first to arrive after the request of rank after (0: the oldest the
// log holds), in order of arrival. It reads the admin API's pages of at most 100 requests
// until it has them. A request is listed once its answer is decided: one still in flight,
// such as one held by a delay fault, is listed later at its place of arrival, and is not in a
// page read after one that went past its rank. To read the requests of one step of a test,
// keep the Next of a page read before it and pass it as after.
func (a *Admin) Requests(ctx context.Context, after uint64, limit int) (RequestPage, error) {
	page := RequestPage{Next: after, Requests: []Request{}}
	for {
		ask := maxRequestsPerCall
		if limit > 0 {
			ask = min(ask, limit-len(page.Requests))
		}
		var got requestPageJSON
		path := adminPrefix + "requests?after=" + strconv.FormatUint(page.Next, 10) + "&limit=" + strconv.Itoa(ask)
		if err := a.call(ctx, http.MethodGet, path, "", &got); err != nil {
			return page, err
		}
		for _, r := range got.Requests {
			page.Requests = append(page.Requests, r.request())
		}
		page.Next, page.Dropped, page.More = got.Next, got.Dropped, got.More
		if !got.More || len(got.Requests) == 0 || limit > 0 && len(page.Requests) >= limit {
			return page, nil
		}
	}
}

// Reset gives the server its configured state again, as if it had just started on the same
// port: the hosted connections, the client tokens and NextTokens, the requests received and
// the faults injected are forgotten; the circuits are those of its Config again (changes of
// SetCircuit and of the API, such as a deleted or terminated circuit, are undone), its clock
// offset is Config.ClockOffset again, and the STS credentials are no longer expired. The
// SignatureNonces and x-acs-signature-nonces already used stay used for their 15 minutes, so
// that a request captured before the reset cannot be sent again after it. An operation in
// flight meanwhile sees the hosted connections, tokens and NextTokens either all as they were
// before the reset or all as they are after it.
func (a *Admin) Reset(ctx context.Context) error {
	return a.call(ctx, http.MethodPost, adminPrefix+"reset", "", nil)
}

// SetClockOffset sets how far the server's clock is from the system clock (positive: ahead).
// The clock decides which Timestamps have expired, the Date header, the times the server
// records, and when the automatic steps (Config.AutoAccept, AutoEnable, TerminationDelay,
// Retention) are due.
func (a *Admin) SetClockOffset(ctx context.Context, d time.Duration) error {
	body, err := json.Marshal(clockJSON{Offset: d.String()})
	if err != nil {
		return fmt.Errorf("expressconnecttest: SetClockOffset: %w", err)
	}
	return a.call(ctx, http.MethodPut, adminPrefix+"clock", string(body), nil)
}

// Now returns the time on the server's clock.
func (a *Admin) Now(ctx context.Context) (time.Time, error) {
	var c clockJSON
	err := a.call(ctx, http.MethodGet, adminPrefix+"clock", "", &c)
	return c.Now, err
}

// ExpireSTSCredentials makes the STS credentials expired: from now on their requests are
// answered InvalidSecurityToken.Expired, until Reset.
func (a *Admin) ExpireSTSCredentials(ctx context.Context) error {
	return a.call(ctx, http.MethodPost, adminPrefix+"sts/expire", "", nil)
}

// Actions returns the API actions the server serves, in alphabetical order.
func (a *Admin) Actions(ctx context.Context) ([]string, error) {
	var index routeIndex
	err := a.call(ctx, http.MethodGet, adminPrefix, "", &index)
	return index.Actions, err
}

// maxAdminAnswer bounds the answer of an admin request that the client reads: more than a
// page of 100 requests at their largest.
const maxAdminAnswer = 64 << 20

// call sends method path with body (none when "") to the admin API and decodes its JSON
// answer into out, when not nil; an error answer is an *adminCallError.
func (a *Admin) call(ctx context.Context, method, path, body string, out any) error {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return fmt.Errorf("expressconnecttest: admin API %s %s: %w", method, path, err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return fmt.Errorf("expressconnecttest: admin API %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAdminAnswer))
	if err != nil {
		return fmt.Errorf("expressconnecttest: admin API %s %s: reading the answer: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		e := &adminCallError{method: method, path: path, status: resp.StatusCode}
		var eb adminErrorBody
		if json.Unmarshal(raw, &eb) != nil || eb.Code == "" {
			eb.Message = "the answer is not an error of the admin API: " + clipped(string(bytes.TrimSpace(raw)))
		}
		e.code, e.message = eb.Code, eb.Message
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("expressconnecttest: admin API %s %s: the answer is not the admin API's JSON: %w", method, path, err)
	}
	return nil
}

// adminCallError is an error answer of the admin API.
type adminCallError struct {
	method, path  string
	status        int
	code, message string
}

// Error names the route, the status and code of the answer, and its message.
func (e *adminCallError) Error() string {
	code := e.code
	if code == "" {
		code = http.StatusText(e.status)
	}
	return fmt.Sprintf("expressconnecttest: admin API %s %s: HTTP %d %s: %s", e.method, e.path, e.status, code, e.message)
}

// Unwrap returns ErrUnknownConnection or ErrTransitionNotAllowed when the answer's code says
// so, nil otherwise.
func (e *adminCallError) Unwrap() error {
	switch e.code {
	case codeUnknownConnection:
		return ErrUnknownConnection
	case codeTransitionNotAllowed:
		return ErrTransitionNotAllowed
	}
	return nil
}
