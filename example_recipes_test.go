package expressconnect_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"expvar"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// expvarObserver feeds expvar counters from the facts the client reports, which never hold a
// secret: attempts, retries and failures by family, calls, time and failed calls by operation.
type expvarObserver struct{ m *expvar.Map }

func (o expvarObserver) ObserveAttempt(_ context.Context, call expressconnect.CallInfo, a expressconnect.Attempt) {
	o.m.Add("attempts."+call.Operation, 1)
	if a.Retry != expressconnect.NoRetry {
		o.m.Add("retries."+a.Retry.String(), 1)
	}
	if a.Family != "" {
		o.m.Add("failures."+string(a.Family), 1)
	}
}

func (o expvarObserver) ObserveCall(_ context.Context, call expressconnect.CallInfo, r expressconnect.CallResult) {
	o.m.Add("calls."+call.Operation, 1)
	o.m.AddFloat("seconds."+call.Operation, r.Duration.Seconds())
	if r.Err != nil {
		o.m.Add("failed_calls."+call.Operation, 1)
	}
}

// This example counts calls, attempts and retries with expvar, through an Observer. The local
// endpoint answers the first attempt with ServiceUnavailable.
func ExampleWithObserver() {
	srv, err := expressconnecttest.NewServer(expressconnecttest.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	// A program publishes the map once, at /debug/vars on its default HTTP mux, with
	// metrics := expvar.NewMap("expressconnect").
	metrics := new(expvar.Map).Init()
	client, err := srv.Client(expressconnect.WithObserver(expvarObserver{metrics}))
	if err != nil {
		log.Fatal(err)
	}
	inject(srv, 1, expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 503, Code: "ServiceUnavailable", Message: "The service is busy."})

	if _, err := client.CreateVirtualPhysicalConnection(context.Background(), exampleRequest(300)); err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"calls.CreateVirtualPhysicalConnection", "attempts.CreateVirtualPhysicalConnection",
		"retries.RetryTransient", "failures.service-side failure"} {
		fmt.Println(name, metrics.Get(name))
	}
	// Output:
	// calls.CreateVirtualPhysicalConnection 1
	// attempts.CreateVirtualPhysicalConnection 2
	// retries.RetryTransient 1
	// failures.service-side failure 1
}

// This example chooses the idempotency token before the call and stores it with the order,
// which is the crash-safe pattern: should the program die before it learns the outcome, the
// next run calls again with the stored token, and the service creates nothing twice.
func ExampleNewToken() {
	srv, client := exampleServer()
	defer srv.Close()
	ctx := context.Background()

	orders := map[string]string{} // stands for the program's own database
	token, ok := orders["order-4711"]
	if !ok {
		token = expressconnect.NewToken()
		orders["order-4711"] = token // stored before the call
	}
	req := exampleRequest(400)
	req.Token = token
	first, err := client.CreateVirtualPhysicalConnection(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	// After a crash, the same token again:
	again, err := client.CreateVirtualPhysicalConnection(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("same hosted connection:", first.VirtualPhysicalConnectionID == again.VirtualPhysicalConnectionID)
	fmt.Println("hosted connections created:", len(held(srv)))
	// Output:
	// same hosted connection: true
	// hosted connections created: 1
}

// This example derives every call's token from the caller's order ID, which the program puts
// in the context, so that a retried order reuses its token without storing one.
func ExampleWithTokenProvider() {
	type orderKey struct{}
	provider := func(ctx context.Context, action string) (string, error) {
		order, ok := ctx.Value(orderKey{}).(string)
		if !ok {
			return "", errors.New("no order ID in the context")
		}
		return action + "-" + order, nil
	}
	srv, err := expressconnecttest.NewServer(expressconnecttest.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := srv.Client(expressconnect.WithTokenProvider(provider))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.WithValue(context.Background(), orderKey{}, "order-4711")
	resp, err := client.CreateVirtualPhysicalConnection(ctx, exampleRequest(500))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Token)
	// Output:
	// CreateVirtualPhysicalConnection-order-4711
}

// This example sends every request through a corporate proxy that asks for a user name and
// password (HTTP Basic authentication, carried in the proxy URL). The client keeps the
// transport and refuses redirects. It is compiled, not run.
func ExampleWithHTTPClient_proxy() {
	proxy := &url.URL{Scheme: "http", Host: "proxy.corp.example:3128", User: url.UserPassword("svc-partner", os.Getenv("PROXY_PASSWORD"))}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.Proxy = http.ProxyURL(proxy)
	client, err := expressconnect.NewClient(
		expressconnect.WithRegion("cn-hangzhou"),
		expressconnect.WithHTTPClient(&http.Client{Transport: transport}),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.Endpoint())
}

// This example trusts a private certificate authority, as in front of the service a
// TLS-inspecting proxy needs, in addition to the system's roots. It is compiled, not run.
func ExampleWithHTTPClient_customCA() {
	pem, err := os.ReadFile("/etc/partner/proxy-ca.pem")
	if err != nil {
		log.Fatal(err)
	}
	roots, err := x509.SystemCertPool()
	if err != nil {
		log.Fatal(err)
	}
	if !roots.AppendCertsFromPEM(pem) {
		log.Fatal("no certificate in proxy-ca.pem")
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	client, err := expressconnect.NewClient(
		expressconnect.WithRegion("cn-hangzhou"),
		expressconnect.WithHTTPClient(&http.Client{Transport: transport}),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.Endpoint())
}

// This example calls the VPC API through its VPC endpoint, reachable only from inside an
// Alibaba Cloud VPC, which Alibaba Cloud names [product]-vpc.[region].aliyuncs.com
// (https://www.alibabacloud.com/help/en/openapi/endpoints).
func ExampleWithEndpoint_vpc() {
	client, err := expressconnect.NewClient(
		expressconnect.WithRegion("cn-hangzhou"),
		expressconnect.WithEndpoint("vpc-vpc.cn-hangzhou.aliyuncs.com"),
		expressconnect.WithAccessKey("LTAI5tExampleKeyId", "example-secret"),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.Endpoint(), client.Region())
	// Output:
	// https://vpc-vpc.cn-hangzhou.aliyuncs.com/ cn-hangzhou
}

// This example refuses a mistyped region before anything is sent, and shows the list the client
// knows.
func ExampleRegions() {
	_, err := expressconnect.NewClient(expressconnect.WithRegion("cn-hangzou"), expressconnect.WithAccessKey("id", "secret"))
	fmt.Println(errors.Is(err, expressconnect.ErrInvalidOption))
	fmt.Println(err)
	fmt.Println(len(expressconnect.Regions()) > 30)
	// Output:
	// true
	// expressconnect: invalid option: region "cn-hangzou" is not one the client knows: did you mean "cn-hangzhou"? (Regions lists them; WithUnlistedRegions allows a newer one, WithEndpoint any endpoint)
	// true
}

// This example gives one call its own settings: the client retries up to three times with 30 s
// per attempt, this call tries once with 2 s. The call still shares the client's connections
// and retry budget.
func ExampleCallOption() {
	srv, client := exampleServer()
	defer srv.Close()
	inject(srv, 1, expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 503, Code: "ServiceUnavailable", Message: "The service is busy."})

	_, err := client.CreateVirtualPhysicalConnection(context.Background(), exampleRequest(600),
		expressconnect.WithMaxAttempts(1),
		expressconnect.WithAttemptTimeout(2*time.Second),
	)
	fmt.Println(errors.Is(err, expressconnect.ErrServerSide), len(received(srv)))
	// Output:
	// true 1
}

// This example signs with ACS3-HMAC-SHA256, the V3 signature, as a security policy that
// forbids SHA-1 in any form asks; the calls and their answers are the same.
func ExampleWithSignatureAlgorithm() {
	srv, err := expressconnecttest.NewServer(expressconnecttest.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := srv.Client(expressconnect.WithSignatureAlgorithm(expressconnect.SignatureACS3HMACSHA256))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.CreateVirtualPhysicalConnection(context.Background(), exampleRequest(700)); err != nil {
		log.Fatal(err)
	}
	r := received(srv)[0]
	fmt.Println(strings.HasPrefix(r.Header.Get("Authorization"), "ACS3-HMAC-SHA256 Credential="), r.Params.Has("Signature"))
	// Output:
	// true false
}
