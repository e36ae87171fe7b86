package otelexpressconnect_test

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
	"github.com/expressconnect-go/expressconnect/otelexpressconnect"
)

// scopeName is the instrumentation scope of every span and metric.
const scopeName = "github.com/expressconnect-go/expressconnect/otelexpressconnect"

// createSpanName is the span name, and rpc.method, of CreateVirtualPhysicalConnection.
const createSpanName = "Vpc/CreateVirtualPhysicalConnection"

// testWait is the wait before every retry in these tests.
const testWait = 5 * time.Millisecond

// recorder is an Observer that keeps what the client reported, to compare the spans with.
type recorder struct {
	mu    sync.Mutex
	calls []recordedCall
}

type recordedCall struct {
	info   expressconnect.CallInfo
	result expressconnect.CallResult
}

func (r *recorder) ObserveAttempt(context.Context, expressconnect.CallInfo, expressconnect.Attempt) {}

func (r *recorder) ObserveCall(_ context.Context, info expressconnect.CallInfo, result expressconnect.CallResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, recordedCall{info: info, result: result})
}

func (r *recorder) recorded() []recordedCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recordedCall(nil), r.calls...)
}

// harness is a local endpoint and a client whose observer reports to in-memory exporters.
type harness struct {
	srv    *expressconnecttest.Server
	client *expressconnect.Client
	tp     *sdktrace.TracerProvider
	spans  *tracetest.InMemoryExporter
	reader *sdkmetric.ManualReader
	rec    *recorder
}

// newHarness starts a local endpoint and a client of it with the observer under test, a
// recorder after it, a retry wait of testWait and opts.
func newHarness(t *testing.T, srv *expressconnecttest.Server, opts ...expressconnect.Option) *harness {
	t.Helper()
	h := &harness{srv: srv, spans: tracetest.NewInMemoryExporter(), reader: sdkmetric.NewManualReader(), rec: &recorder{}}
	h.tp = sdktrace.NewTracerProvider(sdktrace.WithSyncer(h.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(h.reader))
	t.Cleanup(func() {
		assert.NoError(t, h.tp.Shutdown(context.Background()))
		assert.NoError(t, mp.Shutdown(context.Background()))
	})
	obs := otelexpressconnect.NewObserver(otelexpressconnect.WithTracerProvider(h.tp), otelexpressconnect.WithMeterProvider(mp))
	all := append([]expressconnect.Option{
		expressconnect.WithObserver(obs),
		expressconnect.WithObserver(h.rec),
		expressconnect.WithBackoff(func(expressconnect.RetryClass, int, time.Duration) time.Duration { return testWait }),
	}, opts...)
	c, err := srv.Client(all...)
	require.NoError(t, err)
	h.client = c
	return h
}

// create sends a CreateVirtualPhysicalConnection with token under a caller's span, and returns
// the caller's span and the call's error.
func (h *harness) create(t *testing.T, req *expressconnect.CreateVirtualPhysicalConnectionRequest) (sdktrace.ReadOnlySpan, error) {
	t.Helper()
	ctx, caller := h.tp.Tracer("test").Start(context.Background(), "caller")
	_, err := h.client.CreateVirtualPhysicalConnection(ctx, req)
	caller.End()
	ro, ok := caller.(sdktrace.ReadOnlySpan)
	require.True(t, ok, "the SDK's spans are ReadOnlySpans")
	return ro, err
}

// createRequest returns a valid request for the local endpoint's circuit.
func createRequest(token string, vlan int) *expressconnect.CreateVirtualPhysicalConnectionRequest {
	return &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
		VpconnAliUID:         "1210123456123456",
		VLANID:               expressconnect.VLAN(vlan),
		Spec:                 expressconnect.Spec100M,
		OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
		Token:                token,
	}
}

// attrs returns kvs as a map from key to value.
func attrs(kvs []attribute.KeyValue) map[string]any {
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.AsInterface()
	}
	return m
}

// wantAttempt is what a case expects of one attempt.
type wantAttempt struct {
	status     int
	errorType  string
	code       string
	family     string
	retryClass string
}

// TestSpansAndMetrics sends one call per case and checks the call's span, its attempts' spans
// (names, kinds, every attribute, status, parent and times) and every metric it recorded.
func TestSpansAndMetrics(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// fault, when set, is injected for the call's first attempts.
		fault    *expressconnecttest.Fault
		faults   int
		opts     []expressconnect.Option
		attempts []wantAttempt
		// callErrorType is the call's error.type; "" for a success.
		callErrorType string
	}{
		{
			name:     "success",
			attempts: []wantAttempt{{status: http.StatusOK}},
		},
		{
			name:  "retried throttling",
			fault: ptr(expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle}), faults: 1,
			attempts: []wantAttempt{
				{status: http.StatusBadRequest, errorType: "Throttling.User", code: "Throttling.User", family: "throttled", retryClass: "RetryThrottled"},
				{status: http.StatusOK},
			},
		},
		{
			name:  "service error, not retried",
			fault: ptr(expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: http.StatusForbidden, Code: expressconnect.CodeForbiddenRAM, Message: "You are not authorized."}), faults: 1,
			attempts: []wantAttempt{
				{status: http.StatusForbidden, errorType: "Forbidden.RAM", code: "Forbidden.RAM", family: "permission denied"},
			},
			callErrorType: "Forbidden.RAM",
		},
		{
			name:  "HTML 502 retried until the attempts run out",
			fault: ptr(expressconnecttest.Fault{Kind: expressconnecttest.FaultBadGateway}), faults: 2,
			opts: []expressconnect.Option{expressconnect.WithMaxAttempts(2)},
			attempts: []wantAttempt{
				{status: http.StatusBadGateway, errorType: "service-side failure", family: "service-side failure", retryClass: "RetryTransient"},
				{status: http.StatusBadGateway, errorType: "service-side failure", family: "service-side failure"},
			},
			callErrorType: "service-side failure",
		},
		{
			name:  "code of another shape than the service's",
			fault: ptr(expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: http.StatusBadRequest, Code: "Not a code: a=b&c=d", Message: "refused"}), faults: 1,
			attempts:      []wantAttempt{{status: http.StatusBadRequest, errorType: "InvalidCode", code: "InvalidCode"}},
			callErrorType: "InvalidCode",
		},
		{
			name:  "connection reset, no answer",
			fault: ptr(expressconnecttest.Fault{Kind: expressconnecttest.FaultReset}), faults: 1,
			opts:          []expressconnect.Option{expressconnect.WithMaxAttempts(1)},
			attempts:      []wantAttempt{{errorType: "transport"}},
			callErrorType: "transport",
		},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
			h := newHarness(t, srv, tc.opts...)
			if tc.fault != nil {
				require.NoError(t, srv.Admin().InjectFaults(context.Background(), tc.faults, *tc.fault))
			}
			token := "token-" + strconv.Itoa(i)

			caller, err := h.create(t, createRequest(token, 10+i))

			if tc.callErrorType == "" {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
			calls := h.rec.recorded()
			require.Len(t, calls, 1)
			info, result := calls[0].info, calls[0].result
			require.Len(t, result.Attempts, len(tc.attempts))
			assert.Equal(t, h.client.Endpoint(), info.Endpoint, "CallInfo.Endpoint")
			u, err := url.Parse(srv.URL())
			require.NoError(t, err)
			port, err := strconv.Atoi(u.Port())
			require.NoError(t, err)

			spans := h.spans.GetSpans()
			require.Len(t, spans, len(tc.attempts)+2, "the attempts' spans, the call's and the caller's")
			var call tracetest.SpanStub
			var attempts []tracetest.SpanStub
			for _, s := range spans {
				switch s.Name {
				case createSpanName:
					call = s
				case "POST":
					attempts = append(attempts, s)
				}
			}
			require.Len(t, attempts, len(tc.attempts))
			require.Equal(t, createSpanName, call.Name)

			// The call's span.
			assert.Equal(t, trace.SpanKindClient, call.SpanKind)
			assert.Equal(t, scopeName, call.InstrumentationScope.Name)
			assert.Equal(t, caller.SpanContext().TraceID(), call.SpanContext.TraceID())
			assert.Equal(t, caller.SpanContext().SpanID(), call.Parent.SpanID(), "a child of the caller's span")
			assert.True(t, call.StartTime.Equal(info.Start), "starts at CallInfo.Start")
			assert.True(t, call.EndTime.Equal(info.Start.Add(result.Duration)), "ends at Start+Duration")
			assert.False(t, call.StartTime.Before(caller.StartTime()))
			assert.False(t, call.EndTime.After(caller.EndTime()))
			wantCall := map[string]any{
				"rpc.system.name":                  "alibaba_cloud",
				"rpc.method":                       createSpanName,
				"server.address":                   "127.0.0.1",
				"server.port":                      int64(port),
				"expressconnect.idempotency_token": token,
			}
			last := result.Attempts[len(result.Attempts)-1]
			if last.RequestID != "" {
				wantCall["alibabacloud.request_id"] = last.RequestID
			}
			if tc.callErrorType == "" {
				require.NotEmpty(t, result.RequestID)
				wantCall["alibabacloud.request_id"] = result.RequestID
				assert.Equal(t, codes.Unset, call.Status.Code)
			} else {
				wantLast := tc.attempts[len(tc.attempts)-1]
				wantCall["error.type"] = tc.callErrorType
				if wantLast.code != "" {
					wantCall["rpc.response.status_code"] = wantLast.code
					wantCall["alibabacloud.error_code"] = wantLast.code
				}
				if wantLast.family != "" {
					wantCall["expressconnect.error_family"] = wantLast.family
				}
				assert.Equal(t, codes.Error, call.Status.Code)
				assert.Equal(t, result.Err.Error(), call.Status.Description)
			}
			assert.Equal(t, wantCall, attrs(call.Attributes), "the call's attributes")

			// The attempts' spans, in the order they were made.
			prevEnd := call.StartTime
			for n, want := range tc.attempts {
				s, a := attempts[n], result.Attempts[n]
				assert.Equal(t, trace.SpanKindClient, s.SpanKind)
				assert.Equal(t, call.SpanContext.TraceID(), s.SpanContext.TraceID())
				assert.Equal(t, call.SpanContext.SpanID(), s.Parent.SpanID(), "attempt %d is a child of the call's span", n+1)
				assert.True(t, s.StartTime.Equal(a.Start), "attempt %d starts at Attempt.Start", n+1)
				assert.True(t, s.EndTime.Equal(a.Start.Add(a.Latency)), "attempt %d ends at Start+Latency", n+1)
				assert.False(t, s.StartTime.Before(prevEnd), "attempt %d starts after what came before", n+1)
				assert.False(t, s.EndTime.Before(s.StartTime))
				assert.False(t, s.EndTime.After(call.EndTime), "attempt %d ends within the call", n+1)
				prevEnd = s.EndTime
				if want.retryClass != "" {
					prevEnd = prevEnd.Add(testWait)
				}

				wantAttrs := map[string]any{
					"http.request.method":    "POST",
					"server.address":         "127.0.0.1",
					"server.port":            int64(port),
					"url.full":               srv.URL() + "/",
					"expressconnect.attempt": int64(n + 1),
				}
				if n > 0 {
					wantAttrs["http.request.resend_count"] = int64(n)
				}
				if want.status != 0 {
					wantAttrs["http.response.status_code"] = int64(want.status)
				}
				if want.status != 0 && want.status != http.StatusBadGateway {
					require.NotEmpty(t, a.RequestID, "the local endpoint's JSON answers have a RequestId")
				}
				if a.RequestID != "" {
					wantAttrs["alibabacloud.request_id"] = a.RequestID
				}
				if want.errorType != "" {
					wantAttrs["error.type"] = want.errorType
					assert.Equal(t, codes.Error, s.Status.Code)
					assert.Equal(t, a.Err.Error(), s.Status.Description)
				} else {
					assert.Equal(t, codes.Unset, s.Status.Code)
				}
				if want.code != "" {
					wantAttrs["alibabacloud.error_code"] = want.code
				}
				if want.family != "" {
					wantAttrs["expressconnect.error_family"] = want.family
				}
				if want.retryClass != "" {
					wantAttrs["expressconnect.retry_class"] = want.retryClass
					wantAttrs["expressconnect.retry_wait"] = testWait.Seconds()
				}
				assert.Equal(t, wantAttrs, attrs(s.Attributes), "attempt %d's attributes", n+1)
			}

			// The metrics.
			rpc := []attribute.KeyValue{
				attribute.String("rpc.system.name", "alibaba_cloud"), attribute.String("rpc.method", createSpanName),
				attribute.String("server.address", "127.0.0.1"), attribute.Int("server.port", port),
			}
			failure := func(w wantAttempt) []attribute.KeyValue {
				var kvs []attribute.KeyValue
				if w.errorType != "" {
					kvs = append(kvs, attribute.String("error.type", w.errorType))
				}
				if w.code != "" {
					kvs = append(kvs, attribute.String("alibabacloud.error_code", w.code))
				}
				if w.family != "" {
					kvs = append(kvs, attribute.String("expressconnect.error_family", w.family))
				}
				return kvs
			}
			wantAttempts, wantThrottled, wantRetries := map[string]int64{}, map[string]int64{}, map[string]int64{}
			for _, w := range tc.attempts {
				kvs := append(append([]attribute.KeyValue{}, rpc...), failure(w)...)
				if w.status != 0 {
					kvs = append(kvs, attribute.Int("http.response.status_code", w.status))
				}
				wantAttempts[key(kvs...)]++
				if w.family == "throttled" {
					wantThrottled[key(kvs...)]++
				}
				if w.retryClass != "" {
					wantRetries[key(append(kvs, attribute.String("expressconnect.retry_class", w.retryClass))...)]++
				}
			}
			wantDuration := append([]attribute.KeyValue{}, rpc...)
			if tc.callErrorType != "" {
				w := tc.attempts[len(tc.attempts)-1]
				wantDuration = append(wantDuration, failure(w)...)
				if w.code != "" {
					wantDuration = append(wantDuration, attribute.String("rpc.response.status_code", w.code))
				}
			}

			m := collect(t, h.reader)
			assert.Equal(t, wantAttempts, sums(t, m, "expressconnect.client.attempts", "{attempt}"), "attempts")
			assert.Equal(t, wantThrottled, sums(t, m, "expressconnect.client.throttled_attempts", "{attempt}"), "throttled attempts")
			assert.Equal(t, wantRetries, sums(t, m, "expressconnect.client.retries", "{retry}"), "retries")
			hist, ok := m["rpc.client.call.duration"]
			require.True(t, ok, "rpc.client.call.duration recorded")
			assert.Equal(t, "s", hist.Unit)
			h64, ok := hist.Data.(metricdata.Histogram[float64])
			require.True(t, ok, "a float64 histogram")
			require.Len(t, h64.DataPoints, 1)
			p := h64.DataPoints[0]
			assert.Equal(t, uint64(1), p.Count)
			assert.Equal(t, result.Duration.Seconds(), p.Sum)
			assert.Equal(t, key(wantDuration...), key(p.Attributes.ToSlice()...), "the duration's attributes")
		})
	}
}

// TestValidationFailureMakesNoSpan checks that a request the client refuses before sending
// anything makes no span and no measurement: the observer does not hear of it.
func TestValidationFailureMakesNoSpan(t *testing.T) {
	t.Parallel()
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	h := newHarness(t, srv)
	req := createRequest("token-invalid", 10)
	req.Spec = "3G"

	caller, err := h.create(t, req)

	require.ErrorIs(t, err, expressconnect.ErrInvalidParameter)
	page, err := srv.Admin().Requests(context.Background(), 0, 0)
	require.NoError(t, err)
	assert.Empty(t, page.Requests, "nothing was sent")
	assert.Empty(t, h.rec.recorded(), "no observer heard of the call")
	spans := h.spans.GetSpans()
	require.Len(t, spans, 1, "the caller's span alone")
	assert.Equal(t, caller.SpanContext().SpanID(), spans[0].SpanContext.SpanID())
	assert.Empty(t, collect(t, h.reader), "no measurement")
}

// TestConcurrentCalls checks that one observer serves calls made at once from several
// goroutines: each call gets its own span, with its own attempts as children.
func TestConcurrentCalls(t *testing.T) {
	t.Parallel()
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	h := newHarness(t, srv)
	const calls = 8
	require.NoError(t, srv.Admin().InjectFaults(context.Background(), calls/2, expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle}))
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			_, err := h.client.CreateVirtualPhysicalConnection(context.Background(), createRequest("token-concurrent-"+strconv.Itoa(i), 100+i))
			assert.NoError(t, err)
		})
	}
	wg.Wait()

	spans := h.spans.GetSpans()
	byID := map[trace.SpanID]tracetest.SpanStub{}
	children := map[trace.SpanID]int{}
	tokens := map[string]bool{}
	for _, s := range spans {
		byID[s.SpanContext.SpanID()] = s
		if s.Name == "POST" {
			children[s.Parent.SpanID()]++
		}
	}
	attemptsSeen := 0
	for _, s := range spans {
		if s.Name != createSpanName {
			continue
		}
		assert.False(t, s.Parent.IsValid(), "a root span")
		token, _ := attrs(s.Attributes)["expressconnect.idempotency_token"].(string)
		tokens[token] = true
		n := children[s.SpanContext.SpanID()]
		assert.True(t, n == 1 || n == 2, "one or two attempts, got %d", n)
		attemptsSeen += n
	}
	assert.Len(t, tokens, calls, "one span per call")
	assert.Equal(t, calls+calls/2, attemptsSeen, "every attempt under its call's span")
	assert.Len(t, spans, calls+attemptsSeen)
	for parent := range children {
		assert.Equal(t, createSpanName, byID[parent].Name, "an attempt's parent is a call's span")
	}
	m := collect(t, h.reader)
	total := int64(0)
	for _, v := range sums(t, m, "expressconnect.client.attempts", "{attempt}") {
		total += v
	}
	assert.Equal(t, int64(calls+calls/2), total, "attempts counted")
}

// TestDefaultsToGlobalProviders checks that NewObserver without options reports to the global
// providers, those installed after it was made included, and that nil options are ignored.
// It sets the global providers, so it does not run in parallel with tests that read them
// (none of the others does).
func TestDefaultsToGlobalProviders(t *testing.T) {
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	obs := otelexpressconnect.NewObserver(nil, otelexpressconnect.WithTracerProvider(nil), otelexpressconnect.WithMeterProvider(nil))
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	prevTP, prevMP := otel.GetTracerProvider(), otel.GetMeterProvider()
	otel.SetTracerProvider(tp)
	otel.SetMeterProvider(mp)
	t.Cleanup(func() {
		otel.SetTracerProvider(prevTP)
		otel.SetMeterProvider(prevMP)
		assert.NoError(t, tp.Shutdown(context.Background()))
		assert.NoError(t, mp.Shutdown(context.Background()))
	})
	c, err := srv.Client(expressconnect.WithObserver(obs))
	require.NoError(t, err)

	_, err = c.CreateVirtualPhysicalConnection(context.Background(), createRequest("token-global", 10))

	require.NoError(t, err)
	got := spans.GetSpans()
	require.Len(t, got, 2)
	assert.Equal(t, "POST", got[0].Name)
	assert.Equal(t, createSpanName, got[1].Name)
	assert.False(t, got[1].Parent.IsValid(), "a root span: the call's context had none")
	m := collect(t, reader)
	assert.Contains(t, m, "rpc.client.call.duration")
	assert.Contains(t, m, "expressconnect.client.attempts")
}

// collect returns the metrics reader has, by name; they must all be of this package's scope.
func collect(t *testing.T, reader *sdkmetric.ManualReader) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			assert.Equal(t, scopeName, sm.Scope.Name, "the scope of %s", m.Name)
			out[m.Name] = m
		}
	}
	return out
}

// sums returns the data points of the monotonic int64 sum name in m, by key of their
// attributes; none when m has no such metric.
func sums(t *testing.T, m map[string]metricdata.Metrics, name, unit string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	got, ok := m[name]
	if !ok {
		return out
	}
	assert.Equal(t, unit, got.Unit, "the unit of %s", name)
	sum, ok := got.Data.(metricdata.Sum[int64])
	require.True(t, ok, "%s is an int64 sum", name)
	assert.True(t, sum.IsMonotonic, "%s is a counter", name)
	for _, p := range sum.DataPoints {
		out[key(p.Attributes.ToSlice()...)] += p.Value
	}
	return out
}

// key returns a text that stands for the set of kvs, whatever their order.
func key(kvs ...attribute.KeyValue) string {
	parts := make([]string, 0, len(kvs))
	for _, kv := range kvs {
		parts = append(parts, string(kv.Key)+"="+kv.Value.String())
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

func ptr[T any](v T) *T { return &v }
