package expressconnect_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This example is the usage snippet of the package documentation and the README: it calls the
// real service, with credentials from credentials-go's default chain (for example the
// ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET environment variables). It is
// compiled but not run by go test; the examples below run against the local endpoint.
func Example() {
	ctx := context.Background()
	client, err := expressconnect.NewClient(expressconnect.WithRegion("cn-hangzhou"))
	if err != nil {
		log.Fatal(err)
	}
	token := expressconnect.NewToken() // store it with the order before calling; reuse it to retry
	resp, err := client.CreateVirtualPhysicalConnection(ctx, &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: "pc-bp1ciz7ekd2grn1as****", // the partner's circuit
		VpconnAliUID:         "1210123456789012",         // the tenant's account ID
		VLANID:               expressconnect.VLAN(100),   // VLAN(0) is valid too
		Spec:                 expressconnect.Spec100M,
		OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
		Token:                token,
	})
	if err != nil {
		log.Fatal(err) // one line: the operation, code, message, RequestId, Token and attempts
	}
	fmt.Println(resp.VirtualPhysicalConnectionID, resp.RequestID)
}

// exampleServer starts a local endpoint and returns it with a client pointed at it, built the
// way a program builds one for the service. The caller closes the server.
func exampleServer() (*expressconnecttest.Server, *expressconnect.Client) {
	srv, err := expressconnecttest.NewServer(expressconnecttest.Config{})
	if err != nil {
		log.Fatal(err)
	}
	account := srv.Account()
	client, err := expressconnect.NewClient(
		expressconnect.WithRegion(account.RegionID),
		expressconnect.WithEndpoint(srv.URL()),
		expressconnect.WithAccessKey(account.AccessKeyID, account.AccessKeySecret),
	)
	if err != nil {
		log.Fatal(err)
	}
	return srv, client
}

// exampleRequest returns a request for a 100 Mbit/s hosted connection on the local endpoint's
// circuit.
func exampleRequest(vlan int) *expressconnect.CreateVirtualPhysicalConnectionRequest {
	return &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
		VpconnAliUID:         "1210123456789012",
		VLANID:               expressconnect.VLAN(vlan),
		Spec:                 expressconnect.Spec100M,
		OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
	}
}

// This example creates a hosted connection on the local endpoint from package
// expressconnecttest, so it runs without an account.
func ExampleClient_CreateVirtualPhysicalConnection() {
	srv, err := expressconnecttest.NewServer(expressconnecttest.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := expressconnect.NewClient(
		expressconnect.WithRegion(srv.Account().RegionID),
		expressconnect.WithEndpoint(srv.URL()),
		expressconnect.WithAccessKey(srv.Account().AccessKeyID, srv.Account().AccessKeySecret),
	)
	if err != nil {
		log.Fatal(err)
	}

	resp, err := client.CreateVirtualPhysicalConnection(context.Background(), &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
		VpconnAliUID:         "1210123456789012",
		VLANID:               expressconnect.VLAN(0), // a Layer 3 router interface: one VBR on the circuit
		Spec:                 expressconnect.Spec1G,
		OrderMode:            expressconnect.PayByVirtualPhysicalConnectionOwner,
		Name:                 "tenant-a",
		Tags:                 []expressconnect.Tag{{Key: "env", Value: "prod"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("new ID starts with pc-:", strings.HasPrefix(resp.VirtualPhysicalConnectionID, "pc-"))
	fmt.Println("generated Token:", resp.Token != "")
	fmt.Println("status:", held(srv)[0].VirtualPhysicalConnectionStatus)
	// Output:
	// new ID starts with pc-: true
	// generated Token: true
	// status: UnConfirmed
}

// This example checks a request with DryRun: the service runs every check and creates
// nothing, and the client returns a response marked DryRun with a nil error.
func ExampleClient_CreateVirtualPhysicalConnection_dryRun() {
	srv, client := exampleServer()
	defer srv.Close()

	req := exampleRequest(100)
	req.DryRun = true
	resp, err := client.CreateVirtualPhysicalConnection(context.Background(), req)
	if err != nil {
		log.Fatal(err) // the dry run failed: err says why, as a real call's would
	}
	fmt.Println("DryRun:", resp.DryRun)
	fmt.Println("ID empty:", resp.VirtualPhysicalConnectionID == "")
	fmt.Println("created:", len(held(srv)))
	// Output:
	// DryRun: true
	// ID empty: true
	// created: 0
}

// This example repeats a call with the same Token, as a program does after a crash or a
// timeout when it cannot tell whether the first call went through: the second call answers the
// same hosted connection and creates nothing.
func ExampleClient_CreateVirtualPhysicalConnection_token() {
	srv, client := exampleServer()
	defer srv.Close()
	ctx := context.Background()

	req := exampleRequest(100)
	req.Token = "order-4711" // store it with the order before calling
	first, err := client.CreateVirtualPhysicalConnection(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	again, err := client.CreateVirtualPhysicalConnection(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("same ID:", again.VirtualPhysicalConnectionID == first.VirtualPhysicalConnectionID)
	fmt.Println("Token:", again.Token)
	fmt.Println("created:", len(held(srv)))

	// The same Token with other parameters is refused.
	req.VLANID = expressconnect.VLAN(101)
	_, err = client.CreateVirtualPhysicalConnection(ctx, req)
	fmt.Println(errors.Is(err, expressconnect.ErrIdempotency))
	// Output:
	// same ID: true
	// Token: order-4711
	// created: 1
	// true
}

// This example branches on errors: a request the client refuses before sending, with every
// violation listed, and an error answer of the service, matched by its code, by its family,
// and read as an *APIError.
func ExampleClient_CreateVirtualPhysicalConnection_errors() {
	srv, client := exampleServer()
	defer srv.Close()
	ctx := context.Background()

	bad := exampleRequest(3000)
	bad.Spec = "3G"
	_, err := client.CreateVirtualPhysicalConnection(ctx, bad)
	var vErr *expressconnect.ValidationError
	if errors.As(err, &vErr) {
		for _, v := range vErr.Violations {
			fmt.Println("invalid:", v.Param)
		}
	}

	if _, err := client.CreateVirtualPhysicalConnection(ctx, exampleRequest(100)); err != nil {
		log.Fatal(err)
	}
	_, err = client.CreateVirtualPhysicalConnection(ctx, exampleRequest(100))
	switch {
	case errors.Is(err, expressconnect.CodeVLANIDHasBeenUsedInPhysicalConnection):
		fmt.Println("VLAN 100 is taken: pick another")
	case errors.Is(err, expressconnect.ErrThrottled), errors.Is(err, expressconnect.ErrServerSide):
		fmt.Println("retry later")
	case err != nil:
		log.Fatal(err)
	}
	fmt.Println("family VLAN conflict:", errors.Is(err, expressconnect.ErrVLANConflict))

	var apiErr *expressconnect.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.RequestID != "")
	}
	var opErr *expressconnect.OperationError
	if errors.As(err, &opErr) {
		fmt.Println("Token to retry with:", opErr.Token != "", "attempts:", len(opErr.Attempts), "RequestIds:", len(opErr.RequestIDs()))
	}
	fmt.Println("what to do:", expressconnect.Remedy(err))
	// Output:
	// invalid: VlanId
	// invalid: Spec
	// VLAN 100 is taken: pick another
	// family VLAN conflict: true
	// 400 VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION true
	// Token to retry with: true attempts: 1 RequestIds: 1
	// what to do: pick another VLAN: this one is taken on the circuit
}

// This example shows a retry: the local endpoint answers 503 twice, and the call succeeds on
// its third attempt, every attempt with the same Token.
func ExampleClient_CreateVirtualPhysicalConnection_retries() {
	srv, client := exampleServer()
	defer srv.Close()
	inject(srv, 2, expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 503, Code: "ServiceUnavailable", Message: "The service is unavailable."})

	resp, err := client.CreateVirtualPhysicalConnection(context.Background(), exampleRequest(100))
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range received(srv) {
		fmt.Println(r.StatusCode, r.Params.Get("Token") == resp.Token)
	}
	// Output:
	// 503 true
	// 503 true
	// 200 true
}

// This example sets the retry and timeout options; the values shown are the defaults.
func ExampleNewClient() {
	client, err := expressconnect.NewClient(
		expressconnect.WithRegion("cn-shanghai"),
		expressconnect.WithMaxAttempts(expressconnect.DefaultMaxAttempts),       // 3; 1 turns retries off
		expressconnect.WithAttemptTimeout(expressconnect.DefaultAttemptTimeout), // 30 s per attempt
		expressconnect.WithAccessKey("LTAI5t********", "********"),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.Endpoint())
	// Output:
	// https://vpc.cn-shanghai.aliyuncs.com/
}

// This example shows which host a region is served by.
func ExampleEndpointForRegion() {
	fmt.Println(expressconnect.EndpointForRegion("cn-hangzhou"))
	fmt.Println(expressconnect.EndpointForRegion("cn-beijing"))
	fmt.Println(expressconnect.EndpointForRegion("ap-southeast-1"))
	// Output:
	// vpc.aliyuncs.com
	// vpc.cn-beijing.aliyuncs.com
	// vpc.ap-southeast-1.aliyuncs.com
}

// This example logs every attempt with log/slog at the Debug level. The record never holds a
// secret; the time, latency and request ID are left out here to keep the output fixed.
func ExampleLogObserver() {
	srv, err := expressconnecttest.NewServer(expressconnecttest.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "latency" || a.Key == "request_id" {
				return slog.Attr{}
			}
			return a
		},
	}))
	client, err := srv.Client(expressconnect.WithObserver(expressconnect.LogObserver(logger)))
	if err != nil {
		log.Fatal(err)
	}
	inject(srv, 1, expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 400, Code: "IllegalParam.Spec", Message: "The param of Spec is illegal."})
	req := exampleRequest(100)
	req.Token = "order-42"
	_, err = client.CreateVirtualPhysicalConnection(context.Background(), req)
	fmt.Println(errors.Is(err, expressconnect.CodeIllegalParamSpec))
	// Output:
	// level=DEBUG msg="expressconnect attempt" operation=CreateVirtualPhysicalConnection attempt=1 token=order-42 status=400 code=IllegalParam.Spec family="invalid parameter"
	// true
}

// TestExampleUserTest is the README's example of a user's own test with the local endpoint:
// the code under test gets a client pointed at the endpoint, and the test checks what was
// created.
func TestExampleUserTest(t *testing.T) {
	t.Parallel()
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{}) // closed when the test ends
	client, err := srv.Client()
	require.NoError(t, err)

	// The code under test, given client:
	_, err = client.CreateVirtualPhysicalConnection(context.Background(), &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VpconnAliUID: "1210123456789012", VLANID: expressconnect.VLAN(7),
		Spec: expressconnect.Spec100M, OrderMode: expressconnect.PayByPhysicalConnectionOwner,
	})
	require.NoError(t, err)

	got, err := srv.Admin().Connections(context.Background())
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, expressconnect.VLAN(7), got[0].VLANID)
	assert.Equal(t, expressconnect.VpconnStatusUnConfirmed, got[0].VirtualPhysicalConnectionStatus)
}

// exampleDocSource matches the first line of a Go code block in the documentation, which
// names the file the block is quoted from, relative to the repository's root.
var exampleDocSource = regexp.MustCompile(`^// From (\S+) \((\w+)\)\.$`)

// TestExampleDocCodeBlocks checks that every Go code block of README.md and docs/*.md is
// quoted from a file that compiles and runs (an example or an example program), line for line
// up to indentation, so that the documentation cannot drift from the code.
func TestExampleDocCodeBlocks(t *testing.T) {
	t.Parallel()
	docs, err := filepath.Glob("docs/*.md")
	require.NoError(t, err)
	blocks := 0
	for _, doc := range append([]string{"README.md"}, docs...) {
		for _, b := range exampleGoBlocks(t, doc) {
			blocks++
			require.NotEmpty(t, b)
			m := exampleDocSource.FindStringSubmatch(b[0])
			if !assert.NotNil(t, m, "a Go block of %s does not start with // From <file> (<name>).: %q", doc, b[0]) {
				continue
			}
			src, err := os.ReadFile(m[1])
			require.NoError(t, err)
			assert.True(t, exampleContainsLines(exampleTrimmed(strings.Split(string(src), "\n")), exampleTrimmed(b[1:])),
				"%s's block from %s (%s) is not in that file as shown", doc, m[1], m[2])
		}
	}
	require.GreaterOrEqual(t, blocks, 5, "the documentation has too few Go code blocks")
}

// exampleGoBlocks returns the lines of every ```go block of the Markdown file path.
func exampleGoBlocks(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var blocks [][]string
	var cur []string
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case !in && line == "```go":
			in, cur = true, nil
		case in && line == "```":
			in = false
			blocks = append(blocks, cur)
		case in:
			cur = append(cur, line)
		}
	}
	require.NoError(t, sc.Err())
	require.False(t, in, "%s has an unclosed code block", path)
	return blocks
}

// exampleTrimmed returns lines without their leading and trailing white space.
func exampleTrimmed(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimSpace(l)
	}
	return out
}

// exampleContainsLines reports whether want appears in have as consecutive lines.
func exampleContainsLines(have, want []string) bool {
	for i := 0; i+len(want) <= len(have); i++ {
		match := true
		for j := range want {
			if have[i+j] != want[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}
