package otelexpressconnect_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
	"github.com/expressconnect-go/expressconnect/otelexpressconnect"
)

// Example traces a call whose first attempt the local endpoint throttles. The stdouttrace
// exporter writes each span as JSON when it ends; in a program it writes to os.Stdout. Here it
// writes to a buffer, and the example prints the name and a few attributes of each span,
// leaving out what changes from run to run: IDs, times, the port, request IDs.
func Example() {
	srv, err := expressconnecttest.NewServer(expressconnecttest.Config{}) // in a test: expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	if err := srv.Admin().InjectFaults(context.Background(), 1, expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle}); err != nil {
		fmt.Println(err)
		return
	}

	var out bytes.Buffer
	exporter, err := stdouttrace.New(stdouttrace.WithWriter(&out), stdouttrace.WithoutTimestamps())
	if err != nil {
		fmt.Println(err)
		return
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exporter))
	defer func() { _ = tp.Shutdown(context.Background()) }()

	client, err := srv.Client(
		expressconnect.WithObserver(otelexpressconnect.NewObserver(otelexpressconnect.WithTracerProvider(tp))),
		// A short wait before the retry, so that the example runs fast.
		expressconnect.WithBackoff(func(expressconnect.RetryClass, int, time.Duration) time.Duration { return 10 * time.Millisecond }),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = client.CreateVirtualPhysicalConnection(context.Background(), &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
		VpconnAliUID:         "1210123456123456",
		VLANID:               expressconnect.VLAN(100),
		Spec:                 expressconnect.Spec1G,
		OrderMode:            expressconnect.PayByVirtualPhysicalConnectionOwner,
		Token:                "order-42",
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	shown := []string{"expressconnect.attempt", "http.response.status_code", "error.type",
		"expressconnect.retry_class", "rpc.system.name", "server.address", "expressconnect.idempotency_token"}
	dec := json.NewDecoder(&out)
	for dec.More() {
		var span struct {
			Name       string
			Status     struct{ Code string }
			Attributes []struct {
				Key   string
				Value struct{ Value any }
			}
		}
		if err := dec.Decode(&span); err != nil {
			fmt.Println(err)
			return
		}
		line := []string{span.Name, span.Status.Code}
		for _, key := range shown {
			for _, a := range span.Attributes {
				if a.Key == key {
					line = append(line, fmt.Sprintf("%s=%v", a.Key, a.Value.Value))
				}
			}
		}
		fmt.Println(strings.Join(line, " "))
	}
	// Output:
	// POST Error expressconnect.attempt=1 http.response.status_code=400 error.type=Throttling.User expressconnect.retry_class=RetryThrottled server.address=127.0.0.1
	// POST Unset expressconnect.attempt=2 http.response.status_code=200 server.address=127.0.0.1
	// Vpc/CreateVirtualPhysicalConnection Unset rpc.system.name=alibaba_cloud server.address=127.0.0.1 expressconnect.idempotency_token=order-42
}

// ExampleNewObserver installs the observer on a client. Without options, it reports to the
// global TracerProvider and MeterProvider, those a program installs with
// otel.SetTracerProvider and otel.SetMeterProvider; here it reports to providers of its own,
// which a program gives exporters.
func ExampleNewObserver() {
	tp := sdktrace.NewTracerProvider()
	defer func() { _ = tp.Shutdown(context.Background()) }()
	mp := sdkmetric.NewMeterProvider()
	defer func() { _ = mp.Shutdown(context.Background()) }()

	// The global TracerProvider and MeterProvider, unless given:
	obs := otelexpressconnect.NewObserver(
		otelexpressconnect.WithTracerProvider(tp), // optional
		otelexpressconnect.WithMeterProvider(mp),  // optional
	)
	client, err := expressconnect.NewClient(
		expressconnect.WithRegion("cn-hangzhou"),
		expressconnect.WithObserver(obs),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(client.Endpoint())
	// Output:
	// https://vpc.aliyuncs.com/
}
