package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// sandbox is the expressconnect-local command, run as a process of its own for the soak.
type sandbox struct {
	cmd  *exec.Cmd
	url  string
	scan *scanner

	mu          sync.Mutex
	stderrLines int64
	stdoutLines int64            // after the banner
	applied     map[string]int64 // faults the sandbox logged, by kind
	codes       map[string]int64 // error codes the sandbox logged
	lastLines   []string         // the last lines of standard error, for a failed start

	readers sync.WaitGroup
	exited  chan struct{}
	waitErr error
}

// bannerEnd is the last line of the banner, which prints the credentials by design; the
// standard output after it is scanned for secrets.
const bannerEnd = "Press Ctrl+C to stop."

// sandboxArgs returns the command's arguments: a free port of 127.0.0.1, the run's
// credentials and admin token, the circuits (each with room for every worker's hosted
// connections), retention and the request log's size.
func sandboxArgs(c credentials, circuits []string, quota int, retention time.Duration) []string {
	args := []string{
		"-addr", "127.0.0.1:0",
		"-access-key", c.accessKeyID + ":" + c.accessKeySecret,
		"-sts-access-key-id", c.stsAccessKeyID,
		"-sts-access-key-secret", c.stsAccessKeySecret,
		"-sts-security-token", c.stsSecurity,
		"-admin-token", c.adminToken,
		"-retention", retention.String(),
		"-no-default-circuit",
		"-log-format", "text",
	}
	for _, id := range circuits {
		args = append(args, "-circuit", fmt.Sprintf("%s,capacity=%d,quota=%d", id, circuitCapacityMbps, quota))
	}
	return args
}

// circuitCapacityMbps is the capacity of each circuit: room for every hosted connection the
// soak can hold on it at the largest Spec it asks for.
const circuitCapacityMbps = 1_000_000

// startSandbox starts the command bin with args, reads its banner for the endpoint, and
// scans its standard output after the banner and its standard error with scan. The
// environment's EXPRESSCONNECT_LOCAL_ variables are left out, so that a maintainer's settings
// do not change the run.
func startSandbox(ctx context.Context, bin string, args []string, scan *scanner) (*sandbox, error) {
	cmd := exec.Command(bin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "EXPRESSCONNECT_LOCAL_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("sandbox: starting %s: %w", bin, err)
	}
	s := &sandbox{cmd: cmd, scan: scan, applied: map[string]int64{}, codes: map[string]int64{}, exited: make(chan struct{})}
	urls := make(chan string, 1)
	s.readers.Add(2)
	go s.readStdout(stdout, urls)
	go s.readStderr(stderr)
	go func() {
		s.readers.Wait() // Wait closes the pipes: read them to the end first
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	timer := time.NewTimer(30 * time.Second)
	defer timer.Stop()
	select {
	case u, ok := <-urls:
		if ok {
			s.url = u
			return s, nil
		}
		<-s.exited
		return nil, fmt.Errorf("sandbox: it stopped before its banner (%v); its last lines: %s", s.waitErr, s.tail())
	case <-timer.C:
		s.kill()
		return nil, fmt.Errorf("sandbox: no banner within 30 s; its last lines: %s", s.tail())
	case <-ctx.Done():
		s.kill()
		return nil, fmt.Errorf("sandbox: %w", ctx.Err())
	}
}

// readStdout reads the banner, sends the endpoint it names on urls (closing urls without one
// when the output ends first), and scans every line after it.
func (s *sandbox) readStdout(r io.Reader, urls chan<- string) {
	defer s.readers.Done()
	lines := bufio.NewScanner(r)
	lines.Buffer(make([]byte, 64<<10), 4<<20)
	endpoint, inBanner := "", true
	for lines.Scan() {
		line := lines.Text()
		if inBanner {
			if f := strings.Fields(line); len(f) == 2 && f[0] == "Endpoint" {
				endpoint = f[1]
			}
			if strings.TrimSpace(line) == bannerEnd {
				inBanner = false
				if endpoint != "" {
					urls <- endpoint
				}
				close(urls)
			}
			continue
		}
		s.scan.scan("sandbox stdout", line)
		s.mu.Lock()
		s.stdoutLines++
		s.mu.Unlock()
	}
	if inBanner {
		close(urls)
	}
	_, _ = io.Copy(io.Discard, r)
}

// readStderr scans every line of the log and counts the faults and codes it names.
func (s *sandbox) readStderr(r io.Reader) {
	defer s.readers.Done()
	lines := bufio.NewScanner(r)
	lines.Buffer(make([]byte, 64<<10), 4<<20)
	for lines.Scan() {
		line := lines.Text()
		s.scan.scan("sandbox stderr", line)
		fault, code := logValue(line, "fault"), logValue(line, "code")
		s.mu.Lock()
		s.stderrLines++
		if fault != "" {
			s.applied[fault]++
		}
		if code != "" {
			s.codes[code]++
		}
		if len(s.lastLines) == 5 {
			s.lastLines = s.lastLines[1:]
		}
		s.lastLines = append(s.lastLines, line)
		s.mu.Unlock()
	}
	_, _ = io.Copy(io.Discard, r)
}

// logValue returns the unquoted value of key in a line of slog's text format, "" when the
// line has none or it is empty.
func logValue(line, key string) string {
	i := strings.Index(line, " "+key+"=")
	if i < 0 {
		return ""
	}
	v := line[i+len(key)+2:]
	if strings.HasPrefix(v, `"`) {
		if u, err := strconv.QuotedPrefix(v); err == nil {
			v, _ = strconv.Unquote(u)
			return v
		}
	}
	if j := strings.IndexByte(v, ' '); j >= 0 {
		v = v[:j]
	}
	return v
}

// tail returns the last lines of the sandbox's standard error, on one line.
func (s *sandbox) tail() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.lastLines) == 0 {
		return "(none)"
	}
	return strings.Join(s.lastLines, " | ")
}

// pid returns the process ID of the sandbox.
func (s *sandbox) pid() int { return s.cmd.Process.Pid }

// stop asks the sandbox to stop (SIGTERM), waits for it and for the end of its output, and
// kills it if it has not stopped within 15 s. It returns an error when the command did not
// exit cleanly.
func (s *sandbox) stop() error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	timer := time.NewTimer(15 * time.Second)
	defer timer.Stop()
	select {
	case <-s.exited:
	case <-timer.C:
		s.kill()
		return errors.New("sandbox: it did not stop within 15 s of SIGTERM and was killed")
	}
	if s.waitErr != nil {
		return fmt.Errorf("sandbox: it exited with %w; its last lines: %s", s.waitErr, s.tail())
	}
	return nil
}

// kill ends the sandbox at once and waits for it.
func (s *sandbox) kill() {
	_ = s.cmd.Process.Kill()
	<-s.exited
}

// logFigures returns the lines the sandbox logged and the faults and codes it named.
func (s *sandbox) logFigures() (stderrLines, stdoutLines int64, applied, codes map[string]int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	applied, codes = map[string]int64{}, map[string]int64{}
	for k, v := range s.applied {
		applied[k] = v
	}
	for k, v := range s.codes {
		codes[k] = v
	}
	return s.stderrLines, s.stdoutLines, applied, codes
}

// readRSS returns the resident set size of process pid in bytes, from /proc/pid/status.
func readRSS(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, fmt.Errorf("reading the sandbox's RSS: %w", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest) // "12345 kB"
			if len(f) == 2 && f[1] == "kB" {
				kb, err := strconv.ParseInt(f[0], 10, 64)
				if err == nil {
					return kb << 10, nil
				}
			}
		}
	}
	return 0, errors.New("reading the sandbox's RSS: no VmRSS line in /proc/PID/status")
}
