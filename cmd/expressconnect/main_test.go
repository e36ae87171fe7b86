package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The binaries TestMain builds: the command, and the local endpoint it runs against.
var (
	cliBinary   string
	localBinary string
)

// TestMain builds the command and cmd/expressconnect-local once, so that the tests run them
// as an operator would: separate processes that talk HTTP.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "expressconnect-cli-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cliBinary, localBinary = filepath.Join(dir, "expressconnect"), filepath.Join(dir, "expressconnect-local")
	for _, b := range []struct{ out, dir, pkg string }{
		{cliBinary, ".", "."},
		{localBinary, filepath.Join("..", ".."), "./cmd/expressconnect-local"}, // built in the package's module
	} {
		build := exec.Command("go", "build", "-o", b.out, b.pkg)
		build.Dir, build.Stderr = b.dir, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "building", b.pkg, err)
			_ = os.RemoveAll(dir)
			os.Exit(1)
		}
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// The fixed credentials the local endpoint accepts in these tests, and its default circuit.
const (
	testKeyID     = "LTAI5tLocalTest0001"
	testKeySecret = "local-secret-0001"
	testCircuit   = "pc-bp1ciz7ekd2grn1as0001"
	otherCircuit  = "pc-bp1ciz7ekd2grn1as0002"
	testTenant    = "1210123456789012"
)

// sandbox is a running cmd/expressconnect-local.
type sandbox struct {
	url string
}

// startSandbox starts cmd/expressconnect-local on a free loopback port with the fixed
// credentials, a second circuit and extra flags, and stops it when the test ends.
func startSandbox(t *testing.T, extra ...string) *sandbox {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute) // only keeps a hung process from outliving the test
	args := append([]string{"-addr", "127.0.0.1:0", "-access-key", testKeyID + ":" + testKeySecret, "-circuit", otherCircuit, "-quiet"}, extra...)
	cmd := exec.CommandContext(ctx, localBinary, args...)
	cmd.Env = []string{"HOME=" + t.TempDir()}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		_, _ = io.Copy(io.Discard, stdout)
		_ = cmd.Wait()
		cancel()
	})
	var banner strings.Builder
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		banner.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "Ctrl+C") {
			break
		}
	}
	m := regexp.MustCompile(`(?m)^  Endpoint +(\S+)`).FindStringSubmatch(banner.String())
	if m == nil {
		t.Fatalf("no endpoint in the banner of expressconnect-local:\n%s\nstderr: %s", banner.String(), stderr.String())
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return &sandbox{url: m[1]}
}

// admin sends method to the admin API's path (after /_sandbox/) and decodes the JSON answer
// into out, if not nil. It is the tests' own small client of the admin API.
func (s *sandbox) admin(t *testing.T, method, path string, out any) {
	t.Helper()
	req, err := http.NewRequest(method, s.url+"/_sandbox/"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("admin %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("admin %s %s: HTTP %d: %s", method, path, resp.StatusCode, body)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("admin %s %s: %v: %s", method, path, err, body)
		}
	}
}

// adminConnection is what the tests read of a hosted connection from the admin API.
type adminConnection struct {
	VirtualPhysicalConnectionID     string
	VLANID                          *int
	Status                          string
	VirtualPhysicalConnectionStatus string
	Token                           string
}

// connections returns the hosted connections the sandbox holds, deleted ones included.
func (s *sandbox) connections(t *testing.T) []adminConnection {
	t.Helper()
	var out []adminConnection
	s.admin(t, http.MethodGet, "connections", &out)
	return out
}

// requests returns the actions of the requests the sandbox received.
func (s *sandbox) requests(t *testing.T) []string {
	t.Helper()
	var page struct {
		Requests []struct {
			Action string
			Params map[string][]string
		}
	}
	s.admin(t, http.MethodGet, "requests", &page)
	var actions []string
	for _, r := range page.Requests {
		actions = append(actions, r.Action)
	}
	return actions
}

// home returns a home directory whose aliyun CLI configuration has the profile "local" with
// the sandbox's credentials and region, and the current profile "other" with a key the
// sandbox does not know and another region.
func home(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ".aliyun"), 0o700); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf(`{"current": "other", "profiles": [
  {"name": "other", "mode": "AK", "access_key_id": "LTAI5tUnknownKey0009", "access_key_secret": "other-secret-0009", "region_id": "cn-beijing"},
  {"name": "local", "mode": "AK", "access_key_id": %q, "access_key_secret": %q, "region_id": "cn-hangzhou"}
]}`, testKeyID, testKeySecret)
	if err := os.WriteFile(filepath.Join(dir, ".aliyun", "config.json"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// result is one run of the command.
type result struct {
	stdout, stderr string
	exit           int
}

// cli runs the command with args and env (besides a HOME without credentials, unless env
// sets one), and returns what it printed and its exit status.
func cli(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(cliBinary, args...)
	cmd.Env = append([]string{"HOME=" + t.TempDir(), "ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"}, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		r.exit = exitErr.ExitCode()
	case err != nil:
		t.Fatalf("running the command: %v", err)
	}
	for _, secret := range []string{testKeySecret, "other-secret-0009"} {
		if strings.Contains(r.stdout+r.stderr, secret) {
			t.Errorf("a secret is in the output of %v:\n%s\n%s", args, r.stdout, r.stderr)
		}
	}
	return r
}

// decode decodes the JSON on the command's stdout into v.
func (r result) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s\nstderr: %s", err, r.stdout, r.stderr)
	}
}

// failure decodes the error JSON the command printed on stderr.
func (r result) failure(t *testing.T) failureJSON {
	t.Helper()
	return errorOf(t, r.stderr)
}

// notice returns the token and resume command of the notice the command printed first.
func (r result) notice(t *testing.T) (token, resume string) {
	t.Helper()
	line, _, _ := strings.Cut(r.stderr, "\n")
	var n struct{ Notice, Token, Resume string }
	if err := json.Unmarshal([]byte(line), &n); err != nil || n.Token == "" {
		t.Fatalf("the first line of stderr is not a notice with a token: %q", line)
	}
	return n.Token, n.Resume
}

// want fails the test unless the command exited with status.
func (r result) want(t *testing.T, status int) {
	t.Helper()
	if r.exit != status {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.exit, status, r.stdout, r.stderr)
	}
}

// envKeys are the sandbox's credentials in the environment, for credentials-go's default
// chain, with its region.
func envKeys() []string {
	return []string{"ALIBABA_CLOUD_ACCESS_KEY_ID=" + testKeyID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET=" + testKeySecret,
		"ALIBABA_CLOUD_REGION_ID=cn-hangzhou", "ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true"}
}

// createArgs returns the flags of a create on the default circuit on vlan, followed by extra.
func createArgs(s *sandbox, vlan string, extra ...string) []string {
	return append([]string{"create", "--endpoint", s.url, "--circuit", testCircuit, "--tenant", testTenant, "--vlan", vlan,
		"--spec", "100M", "--order-mode", "PayByPhysicalConnectionOwner"}, extra...)
}

// errorsAs is errors.As, for the tests that name their own err.
func errorsAs(err error, target any) bool { return errors.As(err, target) }
