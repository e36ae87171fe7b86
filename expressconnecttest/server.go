package expressconnecttest

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/internal/adminauth"
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
// loopback address unless its Config says otherwise, with the admin API under /_sandbox/. It
// is safe for concurrent use.
type Server struct {
	cfg      config
	http     *httptest.Server
	clock    clock
	auth     *authenticator
	store    *store
	faults   faultPlan
	log      *requestLog
	adminMux *http.ServeMux
	admin    *Admin
	// limiter is the rate limit of Config.RateLimit; nil when there is none.
	limiter *rateLimiter
}

// NewServer starts a Server configured by cfg, whose zero fields take the defaults that
// Config documents, and returns it. The caller must Close it. A Config that breaks a rule of
// Config is an error, and so is a listener that cannot be used.
func NewServer(cfg Config) (*Server, error) {
	c, err := cfg.resolve()
	if err != nil {
		return nil, fmt.Errorf("expressconnecttest: Config: %w", err)
	}
	return start(c)
}

// start starts a Server configured by c.
func start(c config) (*Server, error) {
	s := &Server{
		cfg:     c,
		auth:    newAuthenticator(c.accountID, c.creds),
		log:     newRequestLog(c.requestLogSize),
		limiter: newRateLimiter(c.rateLimit), // ratelimit.go
	}
	s.clock.setOffset(c.clockOffset)
	s.store = newStore(c.regionID, c.circuits, c.forbiddenTenants, c.auto, s.clock.now)
	s.store.retention.keep = c.retention
	s.adminMux = newAdminMux(s)
	s.http = httptest.NewUnstartedServer(http.HandlerFunc(s.route))
	c.timeouts.apply(s.http.Config)
	s.http.Config.MaxHeaderBytes = maxHeaderBytes
	if c.listener != nil {
		if err := s.http.Listener.Close(); err != nil {
			return nil, fmt.Errorf("expressconnecttest: closing the default listener: %w", err)
		}
		s.http.Listener = c.listener
	}
	s.cfg.admin.tokenRequired = adminauth.TokenRequiredOn(s.http.Listener.Addr())
	s.http.Start()
	s.admin = newInProcessAdmin(s)
	return s, nil
}

// NewTestServer starts a Server configured by cfg for the test tb, stops the test when cfg is
// invalid, and closes the server when the test ends.
func NewTestServer(tb testing.TB, cfg Config) *Server {
	tb.Helper()
	s, err := NewServer(cfg)
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

// URL returns the server's base URL, such as "http://127.0.0.1:34567": the endpoint of the
// service's API, with the admin API under URL() + "/_sandbox/".
func (s *Server) URL() string { return s.http.URL }

// Account is what a client needs to call a Server: its account, region and credentials.
type Account struct {
	// AccountID is the UID of the account the credentials belong to, which owns the circuits
	// by default.
	AccountID string
	// RegionID is the server's region, the default region of its circuits.
	RegionID string
	// AccessKeyID and AccessKeySecret are the account's own AccessKey pair, the first of
	// Config.AccessKeys.
	AccessKeyID, AccessKeySecret string
	// STS are the STS credentials of a role in the account.
	STS STSCredentials
}

// Account returns the server's account, region and credentials.
func (s *Server) Account() Account {
	return Account{AccountID: s.cfg.accountID, RegionID: s.cfg.regionID, AccessKeyID: s.cfg.key.id,
		AccessKeySecret: s.cfg.key.secret, STS: STSCredentials{AccessKeyID: s.cfg.sts.id,
			AccessKeySecret: s.cfg.sts.secret, SecurityToken: s.cfg.sts.securityToken}}
}

// route hands a request under /_sandbox/ to the admin API, and every other request to the
// service. It matches the raw prefix, without the path cleaning and redirects of
// http.ServeMux, so that the service answers every other path as it always does.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, adminPrefix) {
		s.serveListenerAdmin(w, r)
		return
	}
	s.serveHTTP(w, r)
}

// serveHTTP answers one request: an injected fault, or the operation.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	arrival, arrivedAt := s.log.arrive(), s.clock.now()
	in := readRequest(r)
	rec := newRecord(r, in.params, in.formBody())
	rec.arrival, rec.RequestID, rec.Time = arrival, newRequestID(), arrivedAt
	if f, ok := s.faults.next(rec.Action); ok {
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
	s.logRequest(rec)
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
		writeDripping(r.Context(), w, a, orDefault(f.Interval, DefaultDripInterval))
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
