package otelexpressconnect

import (
	"context"
	"net/url"
	"strconv"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/rpcconv"
	"go.opentelemetry.io/otel/trace"

	"github.com/expressconnect-go/expressconnect"
)

// scope is the instrumentation scope of the spans and metrics: this package's import path.
const scope = "github.com/expressconnect-go/expressconnect/otelexpressconnect"

// Option configures the observer of NewObserver.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// config is what the options set.
type config struct {
	tracerProvider trace.TracerProvider
	meterProvider  metric.MeterProvider
}

// WithTracerProvider makes the observer create its spans with tp. Default, and when tp is
// nil: the global TracerProvider, otel.GetTracerProvider(), which forwards to the provider
// that otel.SetTracerProvider installs, even later.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) {
		if tp != nil {
			c.tracerProvider = tp
		}
	})
}

// WithMeterProvider makes the observer record its metrics with mp. Default, and when mp is
// nil: the global MeterProvider, otel.GetMeterProvider(), which forwards to the provider that
// otel.SetMeterProvider installs, even later.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) {
		if mp != nil {
			c.meterProvider = mp
		}
	})
}

// NewObserver returns an [expressconnect.Observer] that reports every call and attempt as
// spans and metrics (see the package documentation for their names and attributes); install
// it with [expressconnect.WithObserver]. Without options it uses the global TracerProvider and
// MeterProvider. One observer can serve any number of clients, concurrently. An instrument
// that the MeterProvider refuses to create is reported to otel.Handle and records nothing.
func NewObserver(opts ...Option) expressconnect.Observer {
	cfg := config{tracerProvider: otel.GetTracerProvider(), meterProvider: otel.GetMeterProvider()}
	for _, opt := range opts {
		if opt != nil {
			opt.apply(&cfg)
		}
	}
	o := &observer{
		tracer: cfg.tracerProvider.Tracer(scope,
			trace.WithInstrumentationVersion(expressconnect.Version), trace.WithSchemaURL(semconv.SchemaURL)),
	}
	meter := cfg.meterProvider.Meter(scope,
		metric.WithInstrumentationVersion(expressconnect.Version), metric.WithSchemaURL(semconv.SchemaURL))
	var err error
	// rpc.client.call.duration, with the unit, description and buckets of the RPC conventions.
	if o.duration, err = rpcconv.NewClientCallDuration(meter); err != nil {
		otel.Handle(err)
	}
	o.attempts = counter(meter, metricAttempts, "{attempt}", "Attempts of Express Connect calls, sent or not.")
	o.throttled = counter(meter, metricThrottled, "{attempt}", "Attempts of Express Connect calls that the service throttled.")
	o.retries = counter(meter, metricRetries, "{retry}", "Retries that the Express Connect client decided on.")
	return o
}

// counter returns meter's counter name, or a no-op counter when meter refuses it, after
// reporting why to otel.Handle.
func counter(meter metric.Meter, name, unit, description string) metric.Int64Counter {
	c, err := meter.Int64Counter(name, metric.WithUnit(unit), metric.WithDescription(description))
	if err != nil {
		otel.Handle(err)
	}
	if c == nil {
		return noop.Int64Counter{}
	}
	return c
}

// observer is the Observer of NewObserver. Its instruments are never nil.
type observer struct {
	tracer    trace.Tracer
	duration  rpcconv.ClientCallDuration
	attempts  metric.Int64Counter
	throttled metric.Int64Counter
	retries   metric.Int64Counter
}

// ObserveAttempt counts the attempt, its throttling and its retry. Its span is made with the
// call's, when the call ends.
func (o *observer) ObserveAttempt(ctx context.Context, call expressconnect.CallInfo, a expressconnect.Attempt) {
	if !o.attempts.Enabled(ctx) && !o.throttled.Enabled(ctx) && !o.retries.Enabled(ctx) {
		return
	}
	attrs := make([]attribute.KeyValue, 0, 10)
	attrs = append(attrs, rpcAttrs(call)...)
	if a.StatusCode != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCodeKey.Int(a.StatusCode))
	}
	attrs = append(attrs, failureAttrs(a, false)...)
	set := metric.WithAttributeSet(attribute.NewSet(attrs...))
	o.attempts.Add(ctx, 1, set)
	if a.Family == expressconnect.ErrThrottled {
		o.throttled.Add(ctx, 1, set)
	}
	if a.Retry != expressconnect.NoRetry {
		o.retries.Add(ctx, 1, metric.WithAttributes(append(attrs, keyRetryClass.String(a.Retry.String()))...))
	}
}

// ObserveCall records the call's duration and makes its span and the spans of its attempts,
// with the times the client recorded.
func (o *observer) ObserveCall(ctx context.Context, call expressconnect.CallInfo, r expressconnect.CallResult) {
	var last expressconnect.Attempt
	if n := len(r.Attempts); n > 0 {
		last = r.Attempts[n-1]
	}
	if last.Err == nil && r.Err != nil {
		// The client ends a failed call with a failed attempt; should a call end otherwise,
		// its own error is the best account of the failure.
		last = expressconnect.Attempt{Err: r.Err}
	}
	var failure []attribute.KeyValue
	if r.Err != nil {
		failure = failureAttrs(last, true)
	}
	rpc := rpcAttrs(call)
	if o.duration.Enabled(ctx) {
		attrs := append(rpc[:len(rpc):len(rpc)], failure...)
		o.duration.Float64Histogram.Record(ctx, r.Duration.Seconds(), metric.WithAttributeSet(attribute.NewSet(attrs...)))
	}

	// The attributes a sampler may look at are given at the start, as the conventions ask.
	ctx, span := o.tracer.Start(ctx, rpcMethod(call), trace.WithSpanKind(trace.SpanKindClient),
		trace.WithTimestamp(call.Start), trace.WithAttributes(rpc...))
	if !span.IsRecording() {
		span.End(trace.WithTimestamp(call.Start.Add(r.Duration)))
		return
	}
	if call.Token != "" {
		span.SetAttributes(keyToken.String(call.Token))
	}
	switch {
	case r.RequestID != "":
		span.SetAttributes(keyRequestID.String(r.RequestID))
	case r.Err != nil && last.RequestID != "":
		span.SetAttributes(keyRequestID.String(last.RequestID))
	}
	if r.Err != nil {
		span.SetAttributes(failure...)
		span.SetStatus(codes.Error, r.Err.Error())
	}
	for _, a := range r.Attempts {
		o.attemptSpan(ctx, call.Endpoint, rpc[2:], a)
	}
	span.End(trace.WithTimestamp(call.Start.Add(r.Duration)))
}

// attemptSpan makes the span of attempt a, a child of the span in ctx, of a call to endpoint,
// whose server attributes are server.
func (o *observer) attemptSpan(ctx context.Context, endpoint string, server []attribute.KeyValue, a expressconnect.Attempt) {
	attrs := make([]attribute.KeyValue, 0, 14)
	attrs = append(attrs, semconv.HTTPRequestMethodPost)
	attrs = append(attrs, server...)
	if endpoint != "" {
		// The endpoint without the signed query, which holds the AccessKeyId, the
		// SecurityToken and the signature (and which the client never reports).
		attrs = append(attrs, semconv.URLFullKey.String(endpoint))
	}
	attrs = append(attrs, keyAttempt.Int(a.Number))
	if a.Number > 1 {
		attrs = append(attrs, semconv.HTTPRequestResendCountKey.Int(a.Number-1))
	}
	if a.StatusCode != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCodeKey.Int(a.StatusCode))
	}
	if a.RequestID != "" {
		attrs = append(attrs, keyRequestID.String(a.RequestID))
	}
	if a.Err != nil {
		attrs = append(attrs, failureAttrs(a, false)...)
	}
	if a.Retry != expressconnect.NoRetry {
		attrs = append(attrs, keyRetryClass.String(a.Retry.String()), keyRetryWait.Float64(a.Wait.Seconds()))
	}
	// The HTTP client conventions name a span without a URL template after the method alone.
	_, span := o.tracer.Start(ctx, "POST",
		trace.WithSpanKind(trace.SpanKindClient), trace.WithTimestamp(a.Start), trace.WithAttributes(attrs...))
	if a.Err != nil {
		span.SetStatus(codes.Error, a.Err.Error())
	}
	span.End(trace.WithTimestamp(a.Start.Add(a.Latency)))
}

// rpcAttrs returns the attributes that identify call's method and server, for its span and
// every metric: rpc.system.name and rpc.method, then those of serverAttrs.
func rpcAttrs(call expressconnect.CallInfo) []attribute.KeyValue {
	return append([]attribute.KeyValue{rpcSystemName, semconv.RPCMethodKey.String(rpcMethod(call))},
		serverAttrs(call.Endpoint)...)
}

// rpcMethod returns call's rpc.method: the conventions' fully-qualified "service/method".
func rpcMethod(call expressconnect.CallInfo) string { return rpcService + "/" + call.Operation }

// serverAttrs returns server.address and server.port of endpoint, a URL as
// [expressconnect.Client.Endpoint] returns it: its host, and the port it names, else the
// scheme's. It returns none when endpoint has no host.
func serverAttrs(endpoint string) []attribute.KeyValue {
	u, err := url.Parse(endpoint)
	if err != nil || u.Hostname() == "" {
		return nil
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		port = 443
		if u.Scheme == "http" {
			port = 80
		}
	}
	return []attribute.KeyValue{semconv.ServerAddressKey.String(u.Hostname()), semconv.ServerPortKey.Int(port)}
}
