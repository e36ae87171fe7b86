package expressconnecttest

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/expressconnect-go/expressconnect"
)

// MaxBodyBytes is the largest form body the server reads: 1 MiB. A larger one is answered
// HTTP 400 InvalidParameter with a message that names the limit. The service's own limit is
// not documented; 400 InvalidParameter is how it answers parameters it cannot take, which a
// client treats as a mistake in its request rather than a failure worth retrying.
const MaxBodyBytes = 1 << 20

// maxHeaderBytes is the most bytes the server reads of a request's line (its URL query
// included) and headers: 64 KiB, dozens of times what the service's clients send. Go's HTTP
// server answers a request with more HTTP 431 without handing it to the server; its own
// default is 1 MiB.
const maxHeaderBytes = 64 << 10

// Server is a local Express Connect endpoint for the life of hosted connections, listening on a
// loopback address. It is safe for concurrent use.
type Server struct {
	cfg    config
	http   *httptest.Server
	clock  clock
	auth   *authenticator
	store  *store
	faults faultPlan
	log    *requestLog
	// limiter is the rate limit of WithRateLimit; nil when there is none.
	limiter *rateLimiter
}

// NewServer starts a Server configured by opts and returns it. The caller must Close it.
func NewServer(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	creds, err := cfg.credentials()
	if err != nil {
		return nil, err
	}
	circuits, err := cfg.allCircuits()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:  cfg,
		auth: newAuthenticator(cfg.accountID, creds),
		log:  newRequestLog(cfg.requestLogSize),
		// The rate limit lives in ratelimit.go.
		limiter: newRateLimiter(cfg.rateLimit),
	}
	s.clock.setOffset(cfg.clockOffset)
	s.store = newStore(cfg.regionID, circuits, cfg.forbiddenTenants, cfg.auto, s.clock.now)
	s.store.retention.keep = cfg.retention
	s.http = httptest.NewUnstartedServer(s.routes())
	cfg.timeouts.apply(s.http.Config)
	s.http.Config.MaxHeaderBytes = maxHeaderBytes
	if cfg.listener != nil {
		if err := s.http.Listener.Close(); err != nil {
			return nil, fmt.Errorf("expressconnecttest: closing the default listener: %w", err)
		}
		s.http.Listener = cfg.listener
	}
	s.http.Start()
	return s, nil
}

// NewTestServer starts a Server for the test tb, stops the test when opts are invalid, and
// closes the server when the test ends.
func NewTestServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := NewServer(opts...)
	if err != nil {
		tb.Fatalf("expressconnecttest.NewServer: %v", err)
		return nil
	}
	tb.Cleanup(s.Close)
	return s
}

// Close shuts the server down. Connections with a request still in flight (such as a delayed
// or dripping answer) are dropped rather than waited for. Calling it again does nothing.
func (s *Server) Close() {
	s.http.CloseClientConnections()
	s.http.Close()
}

// URL returns the server's base URL, such as "http://127.0.0.1:34567".
func (s *Server) URL() string { return s.http.URL }

// AccountID returns the UID of the account the server's credentials belong to.
func (s *Server) AccountID() string { return s.cfg.accountID }

// Region returns the server's region, the default region of its circuits and of the client
// [Server.Client] returns.
func (s *Server) Region() string { return s.cfg.regionID }

// AccessKeyID returns the AccessKey ID of the server's account.
func (s *Server) AccessKeyID() string { return s.cfg.key.id }

// AccessKeySecret returns the AccessKey secret of the server's account.
func (s *Server) AccessKeySecret() string { return s.cfg.key.secret }

// STSCredentials returns the STS credentials of a role in the server's account.
func (s *Server) STSCredentials() (accessKeyID, accessKeySecret, securityToken string) {
	return s.cfg.sts.id, s.cfg.sts.secret, s.cfg.sts.securityToken
}

// ExpireSTSCredentials makes the STS credentials expired: from now on their requests are
// answered InvalidSecurityToken.Expired.
func (s *Server) ExpireSTSCredentials() { s.auth.expireSTS() }

// Now returns the time on the server's clock.
func (s *Server) Now() time.Time { return s.clock.now() }

// SetClockOffset sets how far the server's clock is from the system clock (positive: ahead).
func (s *Server) SetClockOffset(d time.Duration) { s.clock.setOffset(d) }

// SetCircuit adds a circuit or changes the one with the same ID (for example to disable it),
// keeping the hosted connections already on it.
func (s *Server) SetCircuit(c Circuit) error {
	c, err := c.withDefaults(s.cfg.regionID, s.cfg.accountID)
	if err != nil {
		return err
	}
	s.store.putCircuit(c)
	return nil
}

// Circuits returns the circuits the server holds, those of its options and of
// [Server.SetCircuit], in the order of their IDs, each with the defaults of its zero fields
// applied as [Circuit] documents them: what the server checks requests against.
func (s *Server) Circuits() []Circuit { return s.store.circuitList(s.clock.now()) }

// Connections returns the hosted connections created so far, oldest first, deleted ones
// included (with VirtualPhysicalConnectionStatus Deleted).
func (s *Server) Connections() []Connection { return s.store.connections(s.clock.now()) }

// Connection returns the hosted connection id, deleted or not, and whether there is one.
func (s *Server) Connection(id string) (Connection, bool) {
	return s.store.connection(id, s.clock.now())
}

// Requests returns the requests received so far that the log still holds, in order of arrival
// (oldest first). The log holds the last [DefaultRequestLogSize] requests to arrive unless
// [WithRequestLogSize] says otherwise; older ones are dropped, and [Server.DroppedRequests]
// counts them. A request is listed once its answer is decided, just before the answer is written:
// one still in flight, such as one held by a delay fault, is not listed yet, and is then
// listed at its place of arrival, before requests that arrived after it (or dropped at once,
// when the log is full of requests that arrived after it).
func (s *Server) Requests() []Request { return s.log.all() }

// RequestsAfter returns a page of the requests that [Server.Requests] lists: at most limit
// of them (none when limit is not positive), the first to arrive after the request of rank
// after, in order of arrival, and the rank of the last one returned, to pass as after for the
// next page (after itself when none is returned). Ranks count the requests in order of
// arrival since the server started, from 1; they go on across [Server.ResetRequests] and
// [Server.Reset], and a page from after 0 starts at the oldest request the log holds. Unlike
// Requests, it copies only the page, so that a tool can read a large log a little at a time
// (the expressconnect-local command's admin API does). A request listed late, one held by a
// delay fault, is not in a page read after one that went past its rank.
func (s *Server) RequestsAfter(after uint64, limit int) (page []Request, last uint64) {
	return s.log.after(after, limit)
}

// DroppedRequests returns how many requests were dropped from the log, to keep it within its
// size, since the server started or [Server.ResetRequests] was last called.
func (s *Server) DroppedRequests() uint64 { return s.log.droppedCount() }

// ResetRequests forgets the requests received so far and zeroes [Server.DroppedRequests].
func (s *Server) ResetRequests() { s.log.reset() }

// InjectFaults makes the next n requests fail with f (after the faults injected before). It
// costs the same memory whatever n is; n <= 0 injects nothing.
func (s *Server) InjectFaults(n int, f Fault) { s.faults.inject(n, f) }

// SetFaultFunc makes fn decide, for each request with no injected fault pending, whether it
// fails: fn returns the fault, or nil to handle the request normally. fn gets a copy of the
// request's record, without the answer, and may be called from several goroutines at once.
// A nil fn removes the function.
func (s *Server) SetFaultFunc(fn func(r *Request) *Fault) { s.faults.setFunc(fn) }

// ClearFaults removes the pending injected faults and the fault function.
func (s *Server) ClearFaults() { s.faults.clear() }

// serveHTTP answers one request: an injected fault, or the operation.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	arrival, arrivedAt := s.log.arrive(), s.clock.now()
	in := readRequest(r)
	rec := newRecord(r, in.params, in.formBody())
	rec.arrival, rec.RequestID, rec.Time = arrival, newRequestID(), arrivedAt
	if f, ok := s.faults.next(&rec); ok {
		rec.Fault = f.Kind
		s.serveFault(w, r, rec, in, f)
		return
	}
	a := s.handle(r, in, &rec)
	s.finish(rec, a)
	writeAnswer(w, a)
}

// finish records rec with the answer a; it runs before a is written, so that a client that
// has its answer always finds the request in Requests.
func (s *Server) finish(rec Request, a answer) {
	rec.StatusCode, rec.Code, rec.ConnectionID = a.status, a.code, a.connectionID
	s.log.add(rec)
	if s.cfg.observer != nil {
		s.cfg.observer(rec.clone())
	}
}

// handle authenticates the request r, whose parameters and body were read as in, checks its
// permission, and hands it to the operation its action names, and returns the answer.
func (s *Server) handle(r *http.Request, in received, rec *Request) answer {
	now := s.clock.now()
	fail := func(e *apiError) answer { return errorAnswer(rec.RequestID, e, now) }
	if r.URL.Path != "/" || (r.Method != http.MethodPost && r.Method != http.MethodGet) {
		return fail(errInvalidAction())
	}
	if in.err != nil {
		return fail(in.err)
	}
	if name := repeatedParam(in.params); name != "" {
		return fail(errInvalidParameter("The parameter " + name + " is given more than once."))
	}
	p, action, verified, authErr := s.auth.authenticate(r, in.params, in.body, now)
	rec.SignatureVerified = verified
	if authErr != nil {
		return fail(authErr)
	}
	if p.cred.kind == principalDenied {
		return fail(errForbiddenRAM(deniedDetail(p, action, rec.RequestID)))
	}
	if a, throttled := s.throttle(p.accountID, action, rec.RequestID, now); throttled {
		return a
	}
	res := operations[action](s, call{params: in.params, accountID: p.accountID, requestID: rec.RequestID, now: now})
	if res.err != nil {
		return fail(res.err)
	}
	return successAnswer(rec.RequestID, res.body, res.connectionID, now)
}

// received is what the server read of a request besides its header.
type received struct {
	// params are the parameters of the URL query and, for a form, of the body.
	params url.Values
	// body is the body as read: a form's, or any body of a V3-signed request, whose signature
	// covers it; nil when the server did not read it.
	body []byte
	// form reports whether the body is application/x-www-form-urlencoded.
	form bool
	// err is the answer to parameters or a body that cannot be read.
	err *apiError
}

// formBody returns the body when it is a form, nil otherwise.
func (in received) formBody() []byte {
	if in.form {
		return in.body
	}
	return nil
}

// readRequest reads the parameters of the URL query and, for a form, of the body. It reads
// the body of a form, and of a V3-signed request (one with an Authorization header) whatever
// its type, at most MaxBodyBytes of it.
func readRequest(r *http.Request) received {
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return received{params: params, err: errUnparsableParams()}
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	in := received{params: params, form: ct == "application/x-www-form-urlencoded"}
	if r.Body == nil || (!in.form && len(r.Header.Values("Authorization")) == 0) {
		in.form = false
		return in
	}
	in.body, err = io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	switch {
	case err != nil:
		in.err = errUnparsableParams()
	case len(in.body) > MaxBodyBytes:
		in.err = errBodyTooLarge(MaxBodyBytes)
	case in.form:
		form, err := url.ParseQuery(string(in.body))
		if err != nil {
			in.err = errUnparsableParams()
			break
		}
		for k, v := range form {
			params[k] = append(params[k], v...)
		}
	}
	return in
}

// repeatedParam returns the first name, in byte order, given more than once in params (the
// URL query and form body together), or "" when there is none. The service's parameters are
// all single-valued, so a second value is refused rather than silently ignored.
func repeatedParam(params url.Values) string {
	repeated := ""
	for name, values := range params {
		if len(values) > 1 && (repeated == "" || name < repeated) {
			repeated = name
		}
	}
	return repeated
}

// serveFault answers a request with the fault f.
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, rec Request, in received, f Fault) {
	now := s.clock.now()
	switch f.Kind {
	case FaultError:
		status, code, message := f.errorFields()
		s.answerWith(w, rec, errorAnswer(rec.RequestID, &apiError{status: status, code: code, message: message}, now))
	case FaultThrottle:
		s.answerWith(w, rec, throttlingAnswer(rec.RequestID, now))
	case FaultBadGateway:
		s.answerWith(w, rec, badGatewayAnswer(now))
	case FaultDelay:
		exemptFromTimeouts(w)
		if !sleepCtx(r.Context(), orDefault(f.Delay, DefaultDelay)) {
			s.finish(rec, answer{})
			return
		}
		s.answerWith(w, rec, s.handle(r, in, &rec))
	case FaultTruncate:
		a := s.handle(r, in, &rec)
		s.finish(rec, a)
		if err := writeTruncated(w, a); err != nil {
			writeAnswer(w, a)
		}
	case FaultDrip:
		exemptFromTimeouts(w)
		a := s.handle(r, in, &rec)
		s.finish(rec, a)
		writeDripping(r.Context(), w, a, orDefault(f.Delay, DefaultDripInterval))
	case FaultReset, FaultClose:
		if f.AfterHandling {
			a := s.handle(r, in, &rec)
			rec.ConnectionID = a.connectionID
		}
		s.finish(rec, answer{connectionID: rec.ConnectionID})
		if err := dropConnection(w, f.Kind == FaultReset); err != nil {
			writeAnswer(w, errorAnswer(rec.RequestID, &apiError{status: http.StatusInternalServerError,
				code: expressconnect.CodeInternalError, message: err.Error()}, now))
		}
	default:
		s.answerWith(w, rec, s.handle(r, in, &rec))
	}
}

// answerWith records rec with a and writes a.
func (s *Server) answerWith(w http.ResponseWriter, rec Request, a answer) {
	s.finish(rec, a)
	writeAnswer(w, a)
}

// orDefault returns d, or def when d is not positive.
func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
