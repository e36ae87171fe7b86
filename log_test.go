package expressconnect

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alibabacloud-go/tea/tea"
	"github.com/expressconnect-go/expressconnect/internal/keyid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Canary credentials: none of these may appear in an error, a log record or a formatted value,
// except the AccessKeyId masked to its first and last 4 characters.
const (
	logCanaryKeyID  = "LTAIlogCanaryKeyId0123456789ab"
	logCanarySecret = "logCanarySECRET/with+chars=0001"
	logCanaryToken  = "CAISlogCanaryTOKEN/xyz+abc=0002"
)

// logRecord is one captured slog record.
type logRecord struct {
	level slog.Level
	msg   string
	// attrs holds every attribute, resolved, by its key (group keys joined with ".").
	attrs map[string]slog.Value
	// text is the message and every attribute, rendered.
	text string
}

// logCapture is a slog.Handler that keeps every record at or above its level.
type logCapture struct {
	level  slog.Level
	store  *logStore
	attrs  []slog.Attr
	groups []string
}

// logStore holds the records of a logCapture and its derived handlers.
type logStore struct {
	mu      sync.Mutex
	records []logRecord
}

// newLogCapture returns a handler capturing records at level and above, and its store.
func newLogCapture(level slog.Level) (*logCapture, *logStore) {
	s := &logStore{}
	return &logCapture{level: level, store: s}, s
}

func (h *logCapture) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *logCapture) Handle(_ context.Context, r slog.Record) error {
	rec := logRecord{level: r.Level, msg: r.Message, attrs: map[string]slog.Value{}}
	var b strings.Builder
	b.WriteString(r.Level.String() + " " + r.Message)
	prefix := strings.Join(h.groups, ".")
	for _, a := range h.attrs {
		logFlatten(&rec, &b, "", a)
	}
	r.Attrs(func(a slog.Attr) bool {
		logFlatten(&rec, &b, prefix, a)
		return true
	})
	rec.text = b.String()
	h.store.mu.Lock()
	h.store.records = append(h.store.records, rec)
	h.store.mu.Unlock()
	return nil
}

func (h *logCapture) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := *h
	prefix := strings.Join(h.groups, ".")
	out.attrs = append([]slog.Attr(nil), h.attrs...)
	for _, a := range attrs {
		if prefix != "" {
			a.Key = prefix + "." + a.Key
		}
		out.attrs = append(out.attrs, a)
	}
	return &out
}

func (h *logCapture) WithGroup(name string) slog.Handler {
	out := *h
	out.groups = append(append([]string(nil), h.groups...), name)
	return &out
}

// logFlatten resolves a and adds it, and the members of a group, to rec and b.
func logFlatten(rec *logRecord, b *strings.Builder, prefix string, a slog.Attr) {
	a.Value = a.Value.Resolve()
	key := a.Key
	if prefix != "" {
		key = prefix + "." + key
	}
	if a.Value.Kind() == slog.KindGroup {
		for _, m := range a.Value.Group() {
			logFlatten(rec, b, key, m)
		}
		return
	}
	rec.attrs[key] = a.Value
	fmt.Fprintf(b, " %s=%s", key, a.Value.String())
}

func (s *logStore) all() []logRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]logRecord(nil), s.records...)
}

// TestLogAttemptRecords checks the debug records of a call retried once: one per attempt with
// the operation, Token, attempt number, status, code, family, request ID and latency, and, for
// an attempt that is retried, the retry class and the wait.
func TestLogAttemptRecords(t *testing.T) {
	leakCheck(t)
	srv := newFixtureServer(t, fixtureAPI(503, "ServiceUnavailable"), fixtureOK)
	h, store := newLogCapture(slog.LevelDebug)
	c := fixtureClient(t, srv.URL, WithObserver(LogObserver(slog.New(h))), WithBackoff(defaultBackoff(retryHalf)))

	_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
	require.NoError(t, err)

	records := store.all()
	require.Len(t, records, 2)
	first, second := records[0], records[1]
	for _, r := range records {
		assert.Equal(t, slog.LevelDebug, r.level)
		assert.Equal(t, actionCreate, r.attrs["operation"].String())
		assert.Equal(t, srv.param("Token")[0], r.attrs["token"].String(), "the Token is in every record")
	}
	assert.Equal(t, int64(1), first.attrs["attempt"].Int64())
	assert.Equal(t, int64(503), first.attrs["status"].Int64())
	assert.Equal(t, "ServiceUnavailable", first.attrs["code"].String())
	assert.Equal(t, "req-503", first.attrs["request_id"].String())
	assert.Equal(t, slog.KindDuration, first.attrs["latency"].Kind())

	assert.Equal(t, string(ErrServerSide), first.attrs["family"].String())
	assert.Equal(t, "RetryTransient", first.attrs["retry"].String())
	assert.Equal(t, 25*time.Millisecond, first.attrs["wait"].Duration())

	assert.Equal(t, int64(2), second.attrs["attempt"].Int64())
	assert.Equal(t, int64(200), second.attrs["status"].Int64())
	assert.Equal(t, fixtureOKRequestID, second.attrs["request_id"].String(), "a success is logged with its RequestId too")
	assert.NotContains(t, second.attrs, "code")
	assert.NotContains(t, second.attrs, "error")
	assert.NotContains(t, second.attrs, "retry")
}

// TestLogQuiet checks that nothing is logged without a logger, or with one above Debug.
func TestLogQuiet(t *testing.T) {
	leakCheck(t)
	srv := newFixtureServer(t, fixtureAPI(503, "ServiceUnavailable"), fixtureOK)
	h, store := newLogCapture(slog.LevelInfo)
	tests := []struct {
		name string
		opt  Option
	}{
		{"nil logger", WithObserver(LogObserver(nil))},
		{"info logger", WithObserver(LogObserver(slog.New(h)))},
	}
	for _, tt := range tests {
		c := fixtureClient(t, srv.URL, tt.opt)
		_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
		assert.NoError(t, err, tt.name)
	}
	assert.Empty(t, store.all())
	assert.Len(t, srv.requests(), 3, "a 503 and a success, then a success")
}

// logCanaryTransport records the Signature of every request it sends.
type logCanaryTransport struct {
	base *http.Transport

	mu         sync.Mutex
	signatures []string
}

func (rt *logCanaryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.signatures = append(rt.signatures, r.URL.Query().Get("Signature"))
	rt.mu.Unlock()
	return rt.base.RoundTrip(r)
}

// CloseIdleConnections closes the idle connections of the base transport.
func (rt *logCanaryTransport) CloseIdleConnections() { rt.base.CloseIdleConnections() }

func (rt *logCanaryTransport) sent() []string {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]string(nil), rt.signatures...)
}

// logCanaryFaults returns the fault scenarios of the canary scan: the shared ones and a few
// that carry credentials back (a signature mismatch with the server string-to-sign, a redirect
// whose Location repeats the signed query, as an HTTP-to-HTTPS redirect does) or end in a
// timeout.
func logCanaryFaults(redirectTo string) []retryFault {
	return append(retryFaults(redirectTo),
		retryFault{name: "redirect keeping the signed query", steps: []fixtureStep{fixtureRedirect(http.StatusMovedPermanently, redirectTo, true)}, requests: 1, attempts: 1, is: ErrRedirectRefused},
		retryFault{name: "signature mismatch with server string-to-sign", steps: []fixtureStep{errsSignatureMismatch(CodeSignatureDoesNotMatch)}, requests: 1, attempts: 1, is: CodeSignatureDoesNotMatch},
		retryFault{name: "clock skew corrected", steps: []fixtureStep{clockServer(20*time.Minute, "")}, requests: 2, ok: true},
		retryFault{name: "dripping body times out", steps: []fixtureStep{fixtureDrip(5 * time.Millisecond)}, requests: 3, attempts: 3,
			is: ErrAttemptTimeout, opts: []Option{WithAttemptTimeout(300 * time.Millisecond)}},
	)
}

// logFormats returns v printed with every verb a caller might log it with.
func logFormats(v any) []string {
	return []string{fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), fmt.Sprintf("%s", v), fmt.Sprintf("%q", v)}
}

// TestLogCanary runs every fault scenario with STS credentials and a debug logger, and checks
// that no error string, no formatted value and no log record holds the AccessKeySecret, the
// SecurityToken, a Signature that was sent, or the unmasked AccessKeyId.
func TestLogCanary(t *testing.T) {
	leakCheck(t)
	target := newFixtureServer(t, fixtureOK)
	for _, f := range logCanaryFaults(target.URL) {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			h, store := newLogCapture(slog.LevelDebug)
			rt := &logCanaryTransport{base: defaultTransport()}
			opts := []Option{
				WithSTSCredentials(logCanaryKeyID, logCanarySecret, logCanaryToken),
				WithObserver(LogObserver(slog.New(h))),
				WithHTTPClient(&http.Client{Transport: rt}),
			}
			srv, resp, err := retryRun(t, f, opts...)

			var texts []string
			for _, e := range errsChain(err) {
				texts = append(texts, e.Error())
				texts = append(texts, logFormats(e)...)
			}
			var sdkErr *tea.SDKError
			if errors.As(err, &sdkErr) {
				texts = append(texts, sdkErr.Error())
				texts = append(texts, logFormats(sdkErr)...)
			}
			if resp != nil {
				texts = append(texts, logFormats(resp)...)
				texts = append(texts, logFormats(*resp)...)
			}
			records := store.all()
			assert.NotEmpty(t, records, "the logger saw the attempts")
			for _, r := range records {
				texts = append(texts, r.text)
			}

			secrets := append(errsForms(logCanarySecret), errsForms(logCanaryToken)...)
			secrets = append(secrets, errsForms(logCanaryKeyID)...)
			signatures := rt.sent()
			if srv != nil {
				signatures = append(signatures, srv.param("Signature")...)
			}
			require.NotEmpty(t, signatures)
			for _, sig := range signatures {
				require.NotEmpty(t, sig)
				secrets = append(secrets, errsForms(sig)...)
			}
			for _, text := range texts {
				for _, secret := range secrets {
					assert.NotContains(t, text, secret)
				}
			}
		})
	}
	t.Cleanup(func() { assert.Empty(t, target.requests(), "the redirect was followed") })
}

// TestLogCanaryFormattedValues checks %v, %+v and %#v of the exported types that hold or
// reach credentials: the Client and every error type.
func TestLogCanaryFormattedValues(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithRegion("cn-hangzhou"), WithSTSCredentials(logCanaryKeyID, logCanarySecret, logCanaryToken))
	require.NoError(t, err)
	t.Cleanup(c.http.CloseIdleConnections)
	values := []any{c, c.cfg.credentials}
	var texts []string
	for _, v := range values {
		texts = append(texts, logFormats(v)...)
	}
	for _, text := range texts {
		for _, secret := range [...]string{logCanarySecret, logCanaryToken, logCanaryKeyID} {
			assert.NotContains(t, text, secret)
		}
	}
	assert.Contains(t, fmt.Sprint(c.cfg.credentials), keyid.Mask(logCanaryKeyID), "the AccessKeyId shows masked")
}
