package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// runMainEnv makes the test binary run main instead of the tests, so that the tests can
// start the command as a process and signal it.
const runMainEnv = "EXPRESSCONNECT_LOCAL_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// banner holds what the banner says.
type banner struct{ url, keyID, keySecret string }

// parseBanner extracts the endpoint and the AccessKey from the banner text.
func parseBanner(text string) (banner, bool) {
	find := func(label string) string {
		m := regexp.MustCompile(`(?m)^  ` + label + `\s+(\S+)$`).FindStringSubmatch(text)
		if m == nil {
			return ""
		}
		return m[1]
	}
	b := banner{url: find("Endpoint"), keyID: find("AccessKeyId"), keySecret: find("AccessKeySecret")}
	return b, b.url != "" && b.keyID != "" && b.keySecret != "" && strings.Contains(text, "Ctrl+C")
}

// createWith calls the operation through the SDK client against the banner's endpoint.
func createWith(t *testing.T, b banner) *expressconnect.CreateVirtualPhysicalConnectionResponse {
	t.Helper()
	c, err := expressconnect.NewClient(expressconnect.WithEndpoint(b.url), expressconnect.WithRegion("cn-hangzhou"),
		expressconnect.WithAccessKey(b.keyID, b.keySecret))
	require.NoError(t, err)
	resp, err := c.CreateVirtualPhysicalConnection(context.Background(), &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VpconnAliUID: "1210123456123456",
		VLANID: expressconnect.VLAN(42), Spec: expressconnect.Spec1G, OrderMode: expressconnect.PayByPhysicalConnectionOwner,
	})
	require.NoError(t, err)
	return resp
}

// listWith lists the hosted connections through the SDK client against the banner's endpoint.
func listWith(t *testing.T, b banner) []string {
	t.Helper()
	c, err := expressconnect.NewClient(expressconnect.WithEndpoint(b.url), expressconnect.WithRegion("cn-hangzhou"),
		expressconnect.WithAccessKey(b.keyID, b.keySecret))
	require.NoError(t, err)
	var ids []string
	for conn, err := range c.ListAllVirtualPhysicalConnections(context.Background(), &expressconnect.ListVirtualPhysicalConnectionsRequest{}) {
		require.NoError(t, err)
		ids = append(ids, conn.VirtualPhysicalConnectionID)
	}
	return ids
}

// TestRunServesAndStops runs the command in-process: it prints a usable banner, logs
// requests, and returns when its context ends.
func TestRunServesAndStops(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-access-key-id", "LTAI5tLocal", "-access-key-secret", "local-secret"}, &stdout, &stderr)
	}()
	var b banner
	require.Eventually(t, func() bool {
		var ok bool
		b, ok = parseBanner(stdout.String())
		return ok
	}, 10*time.Second, 10*time.Millisecond, "banner: %s", stdout.String())
	assert.Equal(t, "LTAI5tLocal", b.keyID)
	assert.Equal(t, "local-secret", b.keySecret)
	assert.Contains(t, stdout.String(), "export ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tLocal")

	assert.Contains(t, stdout.String(), "  Actions          CreateVirtualPhysicalConnection, DeletePhysicalConnection, "+
		"ListVirtualPhysicalConnections, UpdateVirtualPhysicalConnection\n")

	resp := createWith(t, b)
	assert.Contains(t, stderr.String(), "POST 200 CreateVirtualPhysicalConnection "+resp.VirtualPhysicalConnectionID)
	listed := listWith(t, b)
	assert.Equal(t, []string{resp.VirtualPhysicalConnectionID}, listed)
	assert.Contains(t, stderr.String(), "POST 200 ListVirtualPhysicalConnections\n")

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
	assert.Contains(t, stdout.String(), "expressconnect-local: stopped")
}

// TestRunFlagErrors checks that bad command lines are refused.
func TestRunFlagErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"key ID without secret", []string{"-access-key-id", "x"}, "go together"},
		{"extra argument", []string{"serve"}, "unexpected arguments"},
		{"unknown flag", []string{"-port", "1"}, "flag provided but not defined"},
		{"bad address", []string{"-addr", "127.0.0.1:notaport"}, "listening on"},
		{"bad region", []string{"-addr", "127.0.0.1:0", "-region", ""}, "empty region"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := run(context.Background(), tc.args, io.Discard, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestSignalsStopTheProcess starts the command as a process and checks that SIGINT and
// SIGTERM make it exit with status 0.
func TestSignalsStopTheProcess(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-addr", "127.0.0.1:0", "-quiet")
			cmd.Env = append(os.Environ(), runMainEnv+"=1")
			out, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			t.Cleanup(func() { _ = cmd.Process.Kill() })

			var text strings.Builder
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				text.WriteString(sc.Text() + "\n")
				if strings.Contains(sc.Text(), "Ctrl+C") {
					break
				}
			}
			b, ok := parseBanner(text.String())
			require.True(t, ok, "banner: %s", text.String())
			createWith(t, b)

			require.NoError(t, cmd.Process.Signal(sig))
			rest, err := io.ReadAll(out)
			require.NoError(t, err)
			require.NoError(t, cmd.Wait(), "exit status")
			assert.Contains(t, string(rest), "expressconnect-local: stopped")
		})
	}
}

// TestBlockedStderrNeverBlocksAnswers starts the command as a process with standard error on a
// pipe that nobody reads: thousands of requests, far more log lines than the pipe holds, are
// all answered, and SIGTERM still stops the process, which reports the dropped lines.
func TestBlockedStderrNeverBlocksAnswers(t *testing.T) {
	t.Parallel()
	const requests = 3000
	unread, stderr, err := os.Pipe()
	require.NoError(t, err)
	defer unread.Close()
	cmd := exec.Command(os.Args[0], "-addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	require.NoError(t, stderr.Close()) // the process has its own copy
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	br := bufio.NewReader(out)
	var text strings.Builder
	for !strings.Contains(text.String(), "Ctrl+C") {
		line, err := br.ReadString('\n')
		require.NoError(t, err, "banner: %s", text.String())
		text.WriteString(line)
	}
	b, ok := parseBanner(text.String())
	require.True(t, ok, "banner: %s", text.String())

	client := &http.Client{Timeout: 10 * time.Second}
	for i := range requests {
		resp, err := client.Get(b.url + "/")
		require.NoError(t, err, "request %d is answered", i)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, "request %d: %s", i, body)
	}
	client.CloseIdleConnections()

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	exited := make(chan error, 1)
	var rest []byte
	go func() {
		rest, _ = io.ReadAll(br)
		exited <- cmd.Wait()
	}()
	select {
	case err := <-exited:
		require.NoError(t, err, "exit status")
	case <-time.After(5 * time.Second):
		t.Fatal("the process did not stop within 5 s of SIGTERM")
	}
	assert.Regexp(t, `expressconnect-local: stopped; [1-9][0-9]* request log lines were dropped`, string(rest))
}

// TestRequestLine checks the request lines: one line each, with the action and the outcome,
// whatever the client put in the Action parameter.
func TestRequestLine(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 3, 11, 8, 30, 5, 0, time.UTC)
	cases := []struct {
		name string
		req  expressconnecttest.Request
		want string
	}{
		{"created", expressconnecttest.Request{Action: "CreateVirtualPhysicalConnection", StatusCode: 200, ConnectionID: "pc-bp1x"},
			"08:30:05 R1 POST 200 CreateVirtualPhysicalConnection pc-bp1x"},
		{"listed", expressconnecttest.Request{Action: "ListVirtualPhysicalConnections", StatusCode: 200},
			"08:30:05 R1 POST 200 ListVirtualPhysicalConnections"},
		{"refused", expressconnecttest.Request{Action: "UpdateVirtualPhysicalConnection", StatusCode: 400, Code: expressconnect.CodeIllegalParamVLANID},
			"08:30:05 R1 POST 400 UpdateVirtualPhysicalConnection IllegalParam.VlanId"},
		{"no action", expressconnecttest.Request{StatusCode: 400, Code: expressconnect.CodeMissingParameter},
			"08:30:05 R1 POST 400 - MissingParameter"},
		{"forged line", expressconnecttest.Request{Action: "X\n08:30:06 R2 POST 200 Y", StatusCode: 404, Code: expressconnect.CodeInvalidActionNotFound},
			`08:30:05 R1 POST 404 "X\n08:30:06 R2 POST 200 Y" InvalidAction.NotFound`},
		{"long action", expressconnecttest.Request{Action: strings.Repeat("A", 100), StatusCode: 404, Code: expressconnect.CodeInvalidActionNotFound},
			"08:30:05 R1 POST 404 " + strings.Repeat("A", maxLogField) + " InvalidAction.NotFound"},
		{"fault", expressconnecttest.Request{Action: "DeletePhysicalConnection", Fault: expressconnecttest.FaultReset},
			"08:30:05 R1 POST 0 DeletePhysicalConnection (FaultReset)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.req.Time, tc.req.RequestID, tc.req.Method = at, "R1", http.MethodPost
			assert.Equal(t, tc.want, requestLine(tc.req))
		})
	}
}
