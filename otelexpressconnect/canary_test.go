package otelexpressconnect_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/otelexpressconnect"
)

// Canary STS credentials, with characters that each encoding writes differently ("/", "+",
// "=", and a space in the secret and the token).
const (
	canaryKeyID  = "CANARYid/Key+Zz=0042"
	canarySecret = "canarySECRET/x+y=z 7Q"
	canaryToken  = "canaryTOKEN/a+b=c 9Kp+Q=="
)

// canaryPiece is the length of the shortest piece of a secret's form that counts as a leak.
const canaryPiece = 10

// percent returns s with every byte but the RFC 3986 unreserved characters percent-encoded,
// with upper- or lower-case hex digits.
func percent(s string, upper bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', strings.IndexByte("-_.~", c) >= 0:
			b.WriteByte(c)
		case upper:
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			fmt.Fprintf(&b, "%%%02x", c)
		}
	}
	return b.String()
}

// jsonEscaped returns s with every byte but letters and digits written as a JSON \u escape.
func jsonEscaped(s string, upper bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			b.WriteByte(c)
		case upper:
			fmt.Fprintf(&b, `\u%04X`, c)
		default:
			fmt.Fprintf(&b, `\u%04x`, c)
		}
	}
	return b.String()
}

// forms returns s as an echo of a request may carry it: raw, percent-encoded once and twice,
// form-encoded, and JSON-escaped three ways.
func forms(s string) []string {
	marshalled, err := json.Marshal(s)
	if err != nil {
		panic(err) // A string always marshals.
	}
	all := []string{
		s, percent(s, true), percent(s, false),
		percent(percent(s, true), true), percent(percent(s, false), false),
		url.QueryEscape(s), string(marshalled[1 : len(marshalled)-1]),
		strings.ReplaceAll(s, "/", `\/`), jsonEscaped(s, true), jsonEscaped(s, false),
	}
	var out []string
	seen := map[string]bool{}
	for _, f := range all {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// echo returns what a careless server or proxy repeats of r: its URL and query, and every
// secret it carries (and the AccessKeySecret, which no echo can know) in every form.
func echo(r *http.Request) string {
	q := r.URL.Query()
	parts := []string{"url=" + r.URL.String(), "query=" + r.URL.RawQuery}
	for _, s := range []string{q.Get("AccessKeyId"), canarySecret, q.Get("SecurityToken"), q.Get("Signature")} {
		parts = append(parts, forms(s)...)
	}
	return strings.Join(parts, " ")
}

// answerJSON answers status with body as JSON and the header pairs.
func answerJSON(w http.ResponseWriter, status int, body any, header ...string) {
	b, err := json.Marshal(body)
	if err != nil {
		panic(err) // The bodies of this file always marshal.
	}
	w.Header().Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		w.Header().Set(header[i], header[i+1])
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// sentRecorder is a RoundTripper that keeps the Signature of every request, then sends it with
// next.
type sentRecorder struct {
	next http.RoundTripper

	mu         sync.Mutex
	signatures []string
}

func (s *sentRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.signatures = append(s.signatures, r.URL.Query().Get("Signature"))
	s.mu.Unlock()
	return s.next.RoundTrip(r)
}

func (s *sentRecorder) sent() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.signatures...)
}

// urlTransport fails every request with an error whose text holds the signed URL.
type urlTransport struct{}

func (urlTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("proxy refused POST %s (values %v)", r.URL, r.URL.Query())
}

// TestNoSecretInTelemetry plays answers and transports that hand the signed request back to a
// client with canary STS credentials, and checks that no span name, attribute, status, event,
// metric name or metric attribute holds the AccessKeySecret, the SecurityToken, the
// AccessKeyId or a signature that was sent, in any form, nor a long piece of any of them.
func TestNoSecretInTelemetry(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// handler answers every request; nil for a transport that answers itself.
		handler   http.HandlerFunc
		transport http.RoundTripper
		attempts  int
	}{
		{
			name: "error echoing the request in Code, Message, RequestId and HostId", attempts: 1,
			handler: func(w http.ResponseWriter, r *http.Request) {
				e := echo(r)
				answerJSON(w, http.StatusBadRequest, map[string]any{"Code": "InvalidParameter " + e, "Message": e, "RequestId": e, "HostId": e, "Recommend": e})
			},
		},
		{
			name: "5xx error echoing the request, retried", attempts: 3,
			handler: func(w http.ResponseWriter, r *http.Request) {
				e := echo(r)
				answerJSON(w, http.StatusServiceUnavailable, map[string]any{"Code": "ServiceUnavailable", "Message": e, "RequestId": e})
			},
		},
		{
			name: "Forbidden.RAM echoing the request in AccessDeniedDetail", attempts: 1,
			handler: func(w http.ResponseWriter, r *http.Request) {
				e := echo(r)
				answerJSON(w, http.StatusForbidden, map[string]any{"Code": "Forbidden.RAM", "Message": e, "RequestId": "CANARY-RAM-1",
					"AccessDeniedDetail": map[string]string{"AuthAction": e, "EncodedDiagnosticMessage": e}})
			},
		},
		{
			name: "x-acs-request-id is the raw query", attempts: 1,
			handler: func(w http.ResponseWriter, r *http.Request) {
				answerJSON(w, http.StatusBadRequest, map[string]any{"Code": "InvalidParameter", "Message": "refused"}, "x-acs-request-id", r.URL.RawQuery)
			},
		},
		{
			name: "HTML 502 echoing the request, retried", attempts: 3,
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.Header().Set("x-acs-request-id", r.URL.RawQuery)
				w.WriteHeader(http.StatusBadGateway)
				_, _ = io.WriteString(w, "<html><body><h1>Bad Gateway</h1><p>"+echo(r)+"</p></body></html>")
			},
		},
		{
			name: "302 with the query in the Location", attempts: 1,
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Location", "http://127.0.0.1:1/?"+r.URL.RawQuery)
				w.WriteHeader(http.StatusFound)
			},
		},
		{
			name: "success whose RequestId echoes the request", attempts: 1,
			handler: func(w http.ResponseWriter, r *http.Request) {
				answerJSON(w, http.StatusOK, map[string]any{"RequestId": echo(r), "VirtualPhysicalConnection": "pc-canary"}, "x-acs-request-id", r.URL.RawQuery)
			},
		},
		{name: "transport whose error holds the signed URL", attempts: 3, transport: urlTransport{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			endpoint := "http://127.0.0.1:1"
			var next http.RoundTripper = tc.transport
			if tc.handler != nil {
				srv := httptest.NewServer(tc.handler)
				t.Cleanup(srv.Close)
				endpoint, next = srv.URL, srv.Client().Transport
			}
			sent := &sentRecorder{next: next}
			spans := tracetest.NewInMemoryExporter()
			tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
			reader := sdkmetric.NewManualReader()
			mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
			client, err := expressconnect.NewClient(
				expressconnect.WithRegion("cn-hangzhou"),
				expressconnect.WithEndpoint(endpoint),
				expressconnect.WithSTSCredentials(canaryKeyID, canarySecret, canaryToken),
				expressconnect.WithHTTPClient(&http.Client{Transport: sent}),
				expressconnect.WithBackoff(func(expressconnect.RetryClass, int, time.Duration) time.Duration { return time.Millisecond }),
				expressconnect.WithObserver(otelexpressconnect.NewObserver(
					otelexpressconnect.WithTracerProvider(tp), otelexpressconnect.WithMeterProvider(mp))),
			)
			require.NoError(t, err)

			_, callErr := client.CreateVirtualPhysicalConnection(context.Background(), createRequest("canary-token", 10))

			signatures := sent.sent()
			require.Len(t, signatures, tc.attempts, "requests sent")
			for _, s := range signatures {
				require.NotEmpty(t, s)
			}
			var opErr *expressconnect.OperationError
			if callErr != nil {
				require.True(t, errors.As(callErr, &opErr), "an *OperationError: %v", callErr)
			}
			got := spans.GetSpans()
			require.Len(t, got, tc.attempts+1, "the call's span and its attempts'")
			var texts []string
			for _, s := range got {
				texts = append(texts, spanTexts(s)...)
			}
			var rm metricdata.ResourceMetrics
			require.NoError(t, reader.Collect(context.Background(), &rm))
			require.NotEmpty(t, rm.ScopeMetrics, "metrics were recorded")
			texts = append(texts, metricTexts(rm)...)
			assertNoSecret(t, texts, append([]string{canaryKeyID, canarySecret, canaryToken}, signatures...))
		})
	}
}

// spanTexts returns every text of s that an exporter sends: its name, status, attributes,
// events and links.
func spanTexts(s tracetest.SpanStub) []string {
	out := []string{s.Name, s.Status.Description}
	out = append(out, attrTexts(s.Attributes)...)
	for _, e := range s.Events {
		out = append(out, e.Name)
		out = append(out, attrTexts(e.Attributes)...)
	}
	for _, l := range s.Links {
		out = append(out, attrTexts(l.Attributes)...)
	}
	return out
}

// metricTexts returns every name, description, unit and data point attribute of rm.
func metricTexts(rm metricdata.ResourceMetrics) []string {
	var out []string
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			out = append(out, m.Name, m.Description, m.Unit)
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					out = append(out, attrTexts(p.Attributes.ToSlice())...)
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					out = append(out, attrTexts(p.Attributes.ToSlice())...)
				}
			default:
				out = append(out, fmt.Sprintf("%+v", d))
			}
		}
	}
	return out
}

// attrTexts returns each key and value of kvs.
func attrTexts(kvs []attribute.KeyValue) []string {
	out := make([]string, 0, 2*len(kvs))
	for _, kv := range kvs {
		out = append(out, string(kv.Key), kv.Value.String())
	}
	return out
}

// assertNoSecret fails t if a text holds a form of a secret or, when none does, a piece of
// canaryPiece bytes of one, as a cut through a secret leaves behind.
func assertNoSecret(t *testing.T, texts, secrets []string) {
	t.Helper()
	all := strings.Join(texts, "\n")
	for _, s := range secrets {
		for _, f := range forms(s) {
			for i := 0; i+canaryPiece <= len(f); i++ {
				if piece := f[i : i+canaryPiece]; strings.Contains(all, piece) {
					assert.Failf(t, "secret in telemetry", "%q, a piece of %q, is in:\n%s", piece, s, containing(texts, piece))
					break
				}
			}
		}
	}
}

// containing returns the first text that holds s.
func containing(texts []string, s string) string {
	for _, text := range texts {
		if strings.Contains(text, s) {
			return text
		}
	}
	return ""
}
