package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// standaloneBanner is what the banner of cmd/expressconnect-local says.
type standaloneBanner struct {
	endpoint, region, circuit, keyID, keySecret string
}

// parseStandaloneBanner reads the banner's fields; ok is false when one is missing.
func parseStandaloneBanner(text string) (b standaloneBanner, ok bool) {
	field := func(label string) string {
		m := regexp.MustCompile(`(?m)^  ` + label + ` +(\S+)`).FindStringSubmatch(text)
		if m == nil {
			return ""
		}
		return m[1]
	}
	b = standaloneBanner{
		endpoint:  field("Endpoint"),
		region:    field("Region"),
		circuit:   field("Circuit"),
		keyID:     field("AccessKeyId"),
		keySecret: field("AccessKeySecret"),
	}
	return b, b.endpoint != "" && b.region != "" && b.circuit != "" && b.keyID != "" && b.keySecret != ""
}

// startStandalone starts cmd/expressconnect-local on a free loopback port and returns its
// banner, its stdout (after the banner) and a function that stops it with SIGINT and returns
// its exit error and the rest of its output.
func startStandalone(t *testing.T) (standaloneBanner, func() (stdoutRest, stderr string, err error)) {
	t.Helper()
	// The timeout only keeps a hung process from outliving the test.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, localBinary, "-addr", "127.0.0.1:0")
	cmd.Env = []string{"HOME=" + t.TempDir()}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	var text strings.Builder
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		text.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "Ctrl+C") {
			break
		}
	}
	b, ok := parseStandaloneBanner(text.String())
	if !ok {
		_ = cmd.Process.Kill()
		_ = cmd.Wait() // so that its stderr can be read
		require.Fail(t, "no banner from expressconnect-local", "stdout: %s\nstderr: %s", text.String(), stderr.String())
	}
	require.True(t, strings.HasPrefix(b.endpoint, "http://127.0.0.1:"), b.endpoint)

	stop := func() (string, string, error) {
		require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
		rest, readErr := io.ReadAll(stdout)
		require.NoError(t, readErr)
		err := cmd.Wait() // after the reads: Wait closes the pipe
		return string(rest), stderr.String(), err
	}
	return b, stop
}

// TestCreateCommandAgainstStandaloneEndpoint runs the built command against the standalone
// local endpoint, cmd/expressconnect-local, as a user following the README would: the
// banner's credentials in the environment and its URL in -endpoint.
func TestCreateCommandAgainstStandaloneEndpoint(t *testing.T) {
	t.Parallel()
	b, stop := startStandalone(t)

	stdout, stderr, exit := createRun(t, b.keyID, b.keySecret,
		"-endpoint", b.endpoint,
		"-region", b.region,
		"-circuit", b.circuit,
		"-tenant", createTenant,
		"-vlan", "100",
		"-spec", "100M",
		"-order-mode", "PayByPhysicalConnectionOwner",
		"-token", "standalone-test-token-1",
	)
	require.Equal(t, 0, exit, "stderr: %s", stderr)
	assert.Empty(t, stderr)
	var got result
	require.NoError(t, json.Unmarshal([]byte(stdout), &got), "stdout: %s", stdout)
	assert.Regexp(t, `^pc-[a-z0-9]+$`, got.VirtualPhysicalConnectionID)
	assert.NotEmpty(t, got.RequestID)
	assert.Equal(t, "standalone-test-token-1", got.Token)
	assert.False(t, got.DryRun)

	rest, localStderr, err := stop()
	require.NoError(t, err, "exit status of expressconnect-local; stderr: %s", localStderr)
	assert.Contains(t, rest, "expressconnect-local: stopped")
	// The standalone endpoint, not some other server, created it.
	assert.Regexp(t, ` action=CreateVirtualPhysicalConnection method=POST status=200 code="" connection_id=`+
		got.VirtualPhysicalConnectionID+` `, localStderr)
}
