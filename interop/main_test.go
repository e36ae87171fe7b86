package interop

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// The sandbox's fixed settings, given to it in a config file.
const (
	region            = "cn-hangzhou"
	keyID, keySecret  = "LTAI5tInteropKey0001", "interop-secret-0001"
	stsID, stsSecret  = "STS.NUInteropRole0001", "interop-sts-secret-0001"
	stsToken          = "CAISinterop+Token/0001=="
	tenant            = "1210123456123456"
	circuitID         = expressconnecttest.DefaultCircuitID
	commandPackage    = "github.com/expressconnect-go/expressconnect/cmd/expressconnect-local"
	stopWait          = 10 * time.Second
	startWait         = 60 * time.Second
	sandboxConfigJSON = `{
  "Region": "` + region + `",
  "AccessKeys": [{"AccessKeyId": "` + keyID + `", "AccessKeySecret": "` + keySecret + `"}],
  "STS": {"AccessKeyId": "` + stsID + `", "AccessKeySecret": "` + stsSecret + `", "SecurityToken": "` + stsToken + `"},
  "LogFormat": "json"
}`
)

// scenariosRan records that runScenarios ran, so that the SDKs sent requests whose lines the
// sandbox's log must hold; a run of other tests only (go test -run TestBinaryIsStatic) sends
// none.
var scenariosRan atomic.Bool

// sandbox is the running command. TestMain sets it before any test runs and never changes it
// afterwards.
var sandbox *process

// process is the expressconnect-local command running as a child process.
type process struct {
	cmd    *exec.Cmd
	binary string // the binary built the Dockerfile's way
	url    string // the endpoint, such as http://127.0.0.1:34567
	host   string // its host:port, as the SDKs take it
	admin  *expressconnecttest.Admin
	logs   string // the file that holds its standard error
}

func TestMain(m *testing.M) {
	os.Exit(runWithSandbox(m))
}

// runWithSandbox builds and starts the command, runs the tests, stops the command, and fails
// the run if the command did not stop cleanly.
func runWithSandbox(m *testing.M) int {
	dir, err := os.MkdirTemp("", "interop")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	sandbox, err = startSandbox(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "start the sandbox:", err)
		return 1
	}
	code := m.Run()
	if err := sandbox.stop(); err != nil {
		fmt.Fprintln(os.Stderr, "FAIL: stop the sandbox:", err)
		return 1
	}
	if err := checkLog(sandbox.logs, scenariosRan.Load()); err != nil {
		fmt.Fprintln(os.Stderr, "FAIL: the sandbox's log:", err)
		return 1
	}
	return code
}

// checkLog checks the log the command wrote during the tests: JSON lines, none holding a secret
// the SDKs sent, with request lines among them when scenarios ran (sent says so).
func checkLog(path string, sent bool) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	requests := 0
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var rec struct{ Msg string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			return fmt.Errorf("line %d is not JSON: %w", i+1, err)
		}
		if rec.Msg == "request" {
			requests++
		}
	}
	if sent && requests == 0 {
		return errors.New("no request was logged")
	}
	for _, secret := range []string{keySecret, stsSecret, stsToken, url.QueryEscape(stsToken), keyID, stsID} {
		if strings.Contains(string(data), secret) {
			return fmt.Errorf("it holds %s", strings.Repeat("*", len(secret)))
		}
	}
	return nil
}

// buildCommand builds the command into dir as the Dockerfile does: CGO_ENABLED=0 go build
// -trimpath. It returns the binary's path.
func buildCommand(dir string) (string, error) {
	binary := filepath.Join(dir, "expressconnect-local")
	build := exec.Command("go", "build", "-trimpath", "-o", binary, commandPackage)
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return binary, nil
}

// startSandbox builds the command, starts it on a random loopback port with the fixed
// settings, and waits for its banner.
func startSandbox(dir string) (*process, error) {
	binary, err := buildCommand(dir)
	if err != nil {
		return nil, err
	}
	config := filepath.Join(dir, "sandbox.json")
	if err := os.WriteFile(config, []byte(sandboxConfigJSON), 0o600); err != nil {
		return nil, err
	}
	logs := filepath.Join(dir, "stderr.log")
	stderr, err := os.Create(logs)
	if err != nil {
		return nil, err
	}
	defer stderr.Close() // the child has its own copy
	cmd := exec.Command(binary, "-config", config, "-addr", "127.0.0.1:0")
	cmd.Env = sandboxEnv()
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, binary: binary, logs: logs}
	p.url, err = readEndpoint(stdout, startWait)
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, err
	}
	p.host = strings.TrimPrefix(p.url, "http://")
	if p.admin, err = expressconnecttest.NewAdmin(p.url, ""); err != nil { // on loopback: no token needed
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, err
	}
	return p, nil
}

// sandboxEnv returns the environment of the tests without the command's own variables, so
// that only the config file and the flags configure it.
func sandboxEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "EXPRESSCONNECT_LOCAL_") {
			env = append(env, kv)
		}
	}
	return env
}

// endpointLine is the banner's line with the endpoint.
var endpointLine = regexp.MustCompile(`^  Endpoint +(http://\S+)$`)

// readEndpoint reads the banner from stdout until its last line and returns the endpoint,
// waiting at most timeout; it then drains stdout.
func readEndpoint(stdout io.Reader, timeout time.Duration) (string, error) {
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		url := ""
		for sc.Scan() {
			if m := endpointLine.FindStringSubmatch(sc.Text()); m != nil {
				url = m[1]
			}
			if strings.Contains(sc.Text(), "Ctrl+C") {
				break
			}
		}
		found <- url
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case url := <-found:
		if url == "" {
			return "", errors.New("the command printed no endpoint")
		}
		return url, nil
	case <-time.After(timeout):
		return "", fmt.Errorf("the command printed no banner within %v", timeout)
	}
}

// stop sends SIGTERM and waits for a clean exit, killing the process after stopWait.
func (p *process) stop() error {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(stopWait):
		_ = p.cmd.Process.Kill()
		<-done
		return fmt.Errorf("killed after not stopping within %v of SIGTERM", stopWait)
	}
}

// resetSandbox gives the sandbox its configured state again.
func resetSandbox(t *testing.T) {
	t.Helper()
	require.NoError(t, sandbox.admin.Reset(context.Background()))
}

// connection is a hosted connection the sandbox holds, with the fields the scenarios check.
type connection struct {
	VirtualPhysicalConnectionID     string
	PhysicalConnectionID            string
	VLANID                          int
	Spec, ExpectSpec                string
	Token                           string
	VirtualPhysicalConnectionStatus string
	Status                          string
}

// connections returns the hosted connections the sandbox holds, deleted ones included.
func connections(t *testing.T) []connection {
	t.Helper()
	held, err := sandbox.admin.Connections(context.Background())
	require.NoError(t, err)
	list := make([]connection, 0, len(held))
	for _, c := range held {
		vlan, _ := c.VLANID.Value()
		list = append(list, connection{VirtualPhysicalConnectionID: c.VirtualPhysicalConnectionID, PhysicalConnectionID: c.PhysicalConnectionID,
			VLANID: vlan, Spec: string(c.Spec), ExpectSpec: string(c.ExpectSpec), Token: c.Token,
			VirtualPhysicalConnectionStatus: string(c.VirtualPhysicalConnectionStatus), Status: string(c.Status)})
	}
	return list
}

// receivedRequests returns the requests the sandbox received since its last reset.
func receivedRequests(t *testing.T) []expressconnecttest.Request {
	t.Helper()
	page, err := sandbox.admin.Requests(context.Background(), 0, 0)
	require.NoError(t, err)
	return page.Requests
}
