package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
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
// start the command as a process and signal it. It does not start with the command's prefix,
// whose unknown variables the command refuses.
const runMainEnv = "RUN_EXPRESSCONNECT_LOCAL_MAIN"

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

// noEnv is an environment with no variable set, so that the tests do not depend on the
// environment they run in.
var noEnv = environment{}

// envOf returns an environment with the variables of vars.
func envOf(vars map[string]string) environment { return environment(vars) }

// running is the command run in-process by startRun.
type running struct {
	banner         banner
	stdout, stderr *syncBuffer
	stop           func() error // cancels the context and waits for run to return
}

// startRun runs the command in-process with args (on a random port unless args say
// otherwise) and env, waits for its banner, and stops it when the test ends.
func startRun(t *testing.T, env environment, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), env, r.stdout, r.stderr)
	}()
	var once sync.Once
	var runErr error
	r.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(10 * time.Second):
				runErr = errors.New("run did not return after its context ended")
			}
		})
		return runErr
	}
	t.Cleanup(func() { _ = r.stop() })
	require.Eventually(t, func() bool {
		var ok bool
		r.banner, ok = parseBanner(r.stdout.String())
		return ok
	}, 10*time.Second, 10*time.Millisecond, "banner: %s\nstderr: %s", r.stdout, r.stderr)
	return r
}

// TestRunServesAndStops runs the command in-process: it prints a usable banner, logs
// requests, and returns when its context ends.
func TestRunServesAndStops(t *testing.T) {
	t.Parallel()
	r := startRun(t, noEnv, "-access-key-id", "LTAI5tLocal", "-access-key-secret", "local-secret")
	b := r.banner
	assert.Equal(t, "LTAI5tLocal", b.keyID)
	assert.Equal(t, "local-secret", b.keySecret)
	assert.Contains(t, r.stdout.String(), "export ALIBABA_CLOUD_ACCESS_KEY_ID='LTAI5tLocal'\n")
	assert.Contains(t, r.stdout.String(), "  Actions          CancelPhysicalConnection, CreateVirtualPhysicalConnection, "+
		"DeletePhysicalConnection, DescribePhysicalConnections, ListVirtualPhysicalConnections, TerminatePhysicalConnection, "+
		"UpdateVirtualPhysicalConnection\n")
	assert.Contains(t, r.stdout.String(), "  Circuit          "+expressconnecttest.DefaultCircuitID+" (cn-hangzhou, enabled, 10000 Mbit/s, quota 16)\n")
	assert.Contains(t, r.stdout.String(), "  Admin API        "+b.url+"/_sandbox/")

	resp := createWith(t, b)
	listed := listWith(t, b)
	assert.Equal(t, []string{resp.VirtualPhysicalConnectionID}, listed)

	require.NoError(t, r.stop())
	assert.Contains(t, r.stdout.String(), "expressconnect-local: stopped")
	assert.Regexp(t, `level=INFO msg=request request_id=\S+ action=CreateVirtualPhysicalConnection method=POST status=200 code="" connection_id=`+
		resp.VirtualPhysicalConnectionID+` fault="" access_key_id=LTAI\*\*\*\*ocal\n`, r.stderr.String())
	assert.Regexp(t, `msg=request request_id=\S+ action=ListVirtualPhysicalConnections method=POST status=200 code="" connection_id="" fault=""`, r.stderr.String())
	assert.Regexp(t, `msg=listening url=`+b.url+` admin=true region=cn-hangzhou`, r.stderr.String())
	assert.NotContains(t, r.stderr.String(), "local-secret")
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
	assert.Regexp(t, `expressconnect-local: stopped; [1-9][0-9]* log lines were dropped`, string(rest))
}

// TestBannerListsTheConfiguration checks that the banner lists every circuit and every
// AccessKeyId it accepts or denies, and the admin API's state.
func TestBannerListsTheConfiguration(t *testing.T) {
	t.Parallel()
	r := startRun(t, noEnv, "-access-key", "LTAI5tFirst:one", "-access-key", "LTAI5tSecond:two",
		"-denied-access-key", "LTAI5tDenied:three", "-no-default-circuit",
		"-circuit", "pc-bp1first,capacity=1000,quota=2", "-circuit", "pc-uf6second,region=cn-shanghai,enabled=false,qos=true,owner=1210000000000009",
		"-admin=false")
	out := r.stdout.String()
	for _, line := range []string{
		"  Circuit          pc-bp1first (cn-hangzhou, enabled, 1000 Mbit/s, quota 2)\n",
		"  Circuit          pc-uf6second (cn-shanghai, not enabled: Allocated, 10000 Mbit/s, quota 16, QoS-bound, owner 1210000000000009)\n",
		"  AccessKeyId      LTAI5tFirst\n",
		"  Also accepted    LTAI5tSecond (secret as configured)\n",
		"  Denied (403)     LTAI5tDenied (secret as configured)\n",
		"  Admin API        off\n",
	} {
		assert.Contains(t, out, line)
	}
	assert.NotContains(t, out, expressconnecttest.DefaultCircuitID)
	assert.NotContains(t, out, "three")
}
