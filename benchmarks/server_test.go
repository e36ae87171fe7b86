package benchmarks

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/expressconnect-go/expressconnect/benchmarks/internal/benchserver"
)

// serverEnv, set to "1", makes the test binary run the loopback server instead of the tests:
// TestMain starts the server by running its own binary again, so the server is a separate
// process and needs no toolchain at test time.
const serverEnv = "EXPRESSCONNECT_BENCHSERVER"

// loopback is the running server process. TestMain sets it once before any test or benchmark
// runs and never changes it afterwards.
var loopback *serverProcess

func TestMain(m *testing.M) {
	if os.Getenv(serverEnv) == "1" {
		if err := benchserver.Run(os.Stdin, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(runWithServer(m))
}

// runWithServer starts the server, runs the tests and benchmarks, stops the server, and fails
// the run if the server refused any request.
func runWithServer(m *testing.M) int {
	srv, err := startServer()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	loopback = srv
	code := m.Run()
	st, statsErr := srv.stats()
	if stopErr := srv.stop(); stopErr != nil {
		fmt.Fprintln(os.Stderr, stopErr)
	}
	switch {
	case statsErr != nil:
		fmt.Fprintln(os.Stderr, statsErr)
		return 1
	case st.Rejected > 0:
		fmt.Fprintf(os.Stderr, "FAIL: the loopback server refused %d of %d requests (bad signature or key)\n",
			st.Rejected, st.Rejected+st.Verified)
		return 1
	}
	return code
}

// serverProcess is the loopback server running in a child process.
type serverProcess struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	addr  string // host:port
	stats func() (benchserver.Stats, error)
}

// startServer runs this test binary again as the server and waits for it to print its address.
func startServer() (*serverProcess, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("start loopback server: %w", err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), serverEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("start loopback server: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("start loopback server: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start loopback server: %w", err)
	}
	p := &serverProcess{cmd: cmd, stdin: stdin}
	addr, err := readAddress(stdout, 30*time.Second)
	if err != nil {
		_ = p.stop()
		return nil, fmt.Errorf("start loopback server: %w", err)
	}
	p.addr = addr
	p.stats = func() (benchserver.Stats, error) { return fetchStats(addr) }
	return p, nil
}

// readAddress returns the first line the server prints, waiting at most timeout.
func readAddress(stdout io.Reader, timeout time.Duration) (string, error) {
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- strings.TrimSpace(line)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-lines:
		if line == "" {
			return "", errors.New("the server exited without printing its address")
		}
		return line, nil
	case <-time.After(timeout):
		return "", fmt.Errorf("the server printed no address within %v", timeout)
	}
}

// stop closes the server's stdin, which makes it shut down, and kills it if it has not exited
// within five seconds.
func (p *serverProcess) stop() error {
	_ = p.stdin.Close()
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("loopback server: %w", err)
		}
		return nil
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
		return errors.New("loopback server: killed after not stopping within 5s")
	}
}

// fetchStats asks the server at addr for its counters, over a connection of its own that it
// closes afterwards (so each call adds exactly one to Stats.Connections).
func fetchStats(addr string) (benchserver.Stats, error) {
	var st benchserver.Stats
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get("http://" + addr + benchserver.StatsPath)
	if err != nil {
		return st, fmt.Errorf("loopback server stats: %w", err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return st, fmt.Errorf("loopback server stats: %w", err)
	}
	return st, nil
}
