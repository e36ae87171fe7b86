package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Paths of the commands built by TestMain.
var (
	createBinary string
	// localBinary is cmd/expressconnect-local, the standalone local endpoint.
	localBinary string
)

// TestMain builds the command and the standalone local endpoint once, so that the tests run
// them as a user would: separate processes, the command finding its credentials with
// credentials-go's default chain.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "create-example-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	createBinary = filepath.Join(dir, "create")
	localBinary = filepath.Join(dir, "expressconnect-local")
	// One build for both: with -o a directory, each main package becomes a binary named after it.
	build := exec.Command("go", "build", "-o", dir+string(filepath.Separator),
		".", "github.com/expressconnect-go/expressconnect/cmd/expressconnect-local")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the command:", err)
		_ = os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

const createTenant = "1210123456789012"

// createRun runs the built command with args and the AccessKey pair in the environment, and
// returns its stdout, stderr and exit status.
func createRun(t *testing.T, keyID, keySecret string, args ...string) (stdout, stderr string, exit int) {
	t.Helper()
	cmd := exec.Command(createBinary, args...)
	cmd.Env = []string{
		"HOME=" + t.TempDir(), // no credentials file or CLI profile of the machine's user
		"ALIBABA_CLOUD_ACCESS_KEY_ID=" + keyID,
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET=" + keySecret,
		"ALIBABA_CLOUD_ECS_METADATA_DISABLED=true", // never ask 100.100.100.200
		"ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true",
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return out.String(), errOut.String(), exitErr.ExitCode()
	}
	require.NoError(t, err, "running the command")
	return out.String(), errOut.String(), 0
}

// createArgs returns the flags of a valid request to srv on vlan, followed by extra.
func createArgs(srv *expressconnecttest.Server, vlan string, extra ...string) []string {
	return append([]string{
		"-endpoint", srv.URL(),
		"-region", srv.Account().RegionID,
		"-circuit", expressconnecttest.DefaultCircuitID,
		"-tenant", createTenant,
		"-vlan", vlan,
		"-spec", "100M",
		"-order-mode", "PayByPhysicalConnectionOwner",
	}, extra...)
}

func TestCreateCommandSucceeds(t *testing.T) {
	t.Parallel()
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})

	stdout, stderr, exit := createRun(t, srv.Account().AccessKeyID, srv.Account().AccessKeySecret,
		createArgs(srv, "0", "-name", "tenant-a", "-description", "Hosted for tenant A",
			"-tag", "env=test", "-tag", "team=", "-token", "create-test-token-1")...)
	require.Equal(t, 0, exit, "stderr: %s", stderr)
	assert.Empty(t, stderr)

	var got result
	require.NoError(t, json.Unmarshal([]byte(stdout), &got), "stdout: %s", stdout)
	assert.True(t, strings.HasPrefix(got.VirtualPhysicalConnectionID, "pc-"), got.VirtualPhysicalConnectionID)
	assert.NotEmpty(t, got.RequestID)
	assert.Equal(t, "create-test-token-1", got.Token)
	assert.False(t, got.DryRun)

	conns := heldConnections(t, srv)
	require.Len(t, conns, 1)
	c := conns[0]
	assert.Equal(t, got.VirtualPhysicalConnectionID, c.VirtualPhysicalConnectionID)
	assert.Equal(t, expressconnect.VLAN(0), c.VLANID, "-vlan 0 is sent as VLAN 0")
	assert.Equal(t, createTenant, c.VpconnAliUID)
	assert.Equal(t, expressconnect.Spec100M, c.Spec)
	assert.Equal(t, "tenant-a", c.Name)
	assert.Equal(t, "Hosted for tenant A", c.Description)
	assert.Equal(t, []expressconnect.Tag{{Key: "env", Value: "test"}, {Key: "team", Value: ""}}, c.Tags)
}

func TestCreateCommandDryRun(t *testing.T) {
	t.Parallel()
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})

	stdout, stderr, exit := createRun(t, srv.Account().AccessKeyID, srv.Account().AccessKeySecret, createArgs(srv, "7", "-dry-run")...)
	require.Equal(t, 0, exit, "stderr: %s", stderr)

	var got result
	require.NoError(t, json.Unmarshal([]byte(stdout), &got), "stdout: %s", stdout)
	assert.True(t, got.DryRun)
	assert.Empty(t, got.VirtualPhysicalConnectionID)
	assert.Empty(t, got.Token, "a dry run's token means nothing, so none is printed")
	assert.NotContains(t, stderr, "Token", "nor chosen before the call")
	assert.Empty(t, heldConnections(t, srv))
}

func TestCreateCommandFails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// setup prepares the server and returns the credentials and flags to run with.
		setup     func(t *testing.T, srv *expressconnecttest.Server) (keyID, keySecret string, args []string)
		wantCode  expressconnect.Code
		wantExit  int
		wantAdv   string
		retryable bool
	}{
		{
			name: "VLAN already used on the circuit",
			setup: func(t *testing.T, srv *expressconnecttest.Server) (string, string, []string) {
				client, err := srv.Client()
				require.NoError(t, err)
				_, err = client.CreateVirtualPhysicalConnection(context.Background(), &expressconnect.CreateVirtualPhysicalConnectionRequest{
					PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
					VpconnAliUID:         createTenant,
					VLANID:               expressconnect.VLAN(42),
					Spec:                 expressconnect.Spec100M,
					OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
				})
				require.NoError(t, err)
				return srv.Account().AccessKeyID, srv.Account().AccessKeySecret, createArgs(srv, "42")
			},
			wantCode: expressconnect.CodeVLANIDHasBeenUsedInPhysicalConnection,
			wantExit: exitVLANConflict,
			wantAdv:  "what to do: pick another VLAN",
		},
		{
			name: "unknown circuit",
			setup: func(t *testing.T, srv *expressconnecttest.Server) (string, string, []string) {
				return srv.Account().AccessKeyID, srv.Account().AccessKeySecret, append(createArgs(srv, "1"), "-circuit", "pc-doesnotexist0000000")
			},
			wantCode: expressconnect.CodeInvalidPhysicalConnectionIDNotFound,
			wantExit: exitNotFound,
			wantAdv:  "what to do: check the circuit ID",
		},
		{
			name: "unknown AccessKey in the environment",
			setup: func(t *testing.T, srv *expressconnecttest.Server) (string, string, []string) {
				return "LTAI-not-a-known-key", "not-the-secret", createArgs(srv, "1")
			},
			wantCode: expressconnect.CodeInvalidAccessKeyIDNotFound,
			wantExit: exitAuth,
			wantAdv:  "what to do: check the AccessKeyId",
		},
		{
			name: "the service is unavailable",
			setup: func(t *testing.T, srv *expressconnecttest.Server) (string, string, []string) {
				require.NoError(t, srv.Admin().InjectFaults(context.Background(), 3, expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 503}))
				return srv.Account().AccessKeyID, srv.Account().AccessKeySecret, createArgs(srv, "1", "-token", "retry-token-1")
			},
			wantCode:  expressconnect.CodeServiceUnavailable,
			wantExit:  exitRetryLater,
			wantAdv:   "retry with -token retry-token-1: nothing is created twice",
			retryable: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
			keyID, keySecret, args := tc.setup(t, srv)

			stdout, stderr, exit := createRun(t, keyID, keySecret, args...)
			assert.Equal(t, tc.wantExit, exit, "stderr: %s", stderr)
			var got map[string]failure
			require.NoError(t, json.Unmarshal([]byte(stdout), &got), "stdout: %s", stdout)
			f := got["Error"]
			assert.Equal(t, string(tc.wantCode), f.Code)
			assert.NotEmpty(t, f.RequestIDs)
			assert.NotEmpty(t, f.Token)
			assert.Equal(t, tc.retryable, f.Retryable)
			assert.Equal(t, tc.wantExit, f.ExitCode)
			assert.Contains(t, stderr, tc.wantAdv)
			if !tc.retryable {
				assert.NotContains(t, stderr, "retry with -token", "the advice follows the family")
			}
			assert.NotContains(t, stdout+stderr, keySecret)
		})
	}
}

// TestCreateCommandNoCredentials runs the command with no credentials anywhere: it fails
// before any attempt and says so, instead of promising a safe retry.
func TestCreateCommandNoCredentials(t *testing.T) {
	t.Parallel()
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	stdout, stderr, exit := createRun(t, "", "", append(createArgs(srv, "1"), "-attempt-timeout", "2s")...)
	assert.Equal(t, exitCredentials, exit, "stderr: %s", stderr)
	assert.Contains(t, stderr, "no request was sent")
	assert.NotContains(t, stderr, "nothing is created twice")
	assert.Contains(t, stdout, `"ExitCode": 3`)
	assert.Empty(t, receivedRequests(t, srv))
}

// TestCreateCommandTokenFirst checks that without -token the command prints the token it
// chose before it calls, and sends that one.
func TestCreateCommandTokenFirst(t *testing.T) {
	t.Parallel()
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	stdout, stderr, exit := createRun(t, srv.Account().AccessKeyID, srv.Account().AccessKeySecret, createArgs(srv, "9", "-v", "-max-attempts", "1")...)
	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	var got result
	require.NoError(t, json.Unmarshal([]byte(stdout), &got))
	assert.Contains(t, stderr, "create: Token "+got.Token+" (store it; to retry, run again with -token "+got.Token+")")
	assert.Contains(t, stderr, `msg="expressconnect attempt"`, "-v logs every attempt")
	assert.Contains(t, stderr, "token="+got.Token)
	assert.NotContains(t, stderr, srv.Account().AccessKeySecret)
	conns := heldConnections(t, srv)
	require.Len(t, conns, 1)
	assert.Equal(t, got.Token, conns[0].Token)
}

// TestCreateRunRefusesBadInput covers what fails before any request: run is called in this
// process, and nothing reaches the network or reads credentials.
func TestCreateRunRefusesBadInput(t *testing.T) {
	t.Parallel()
	base := []string{"-region", "cn-hangzhou", "-endpoint", "http://127.0.0.1:1", "-circuit", "pc-x", "-tenant", createTenant,
		"-spec", "100M", "-order-mode", "PayByPhysicalConnectionOwner"}
	tests := []struct {
		name       string
		args       []string
		wantStderr string
	}{
		{"no -vlan", base, "-vlan is required"},
		{"-vlan not a number", append([]string{"-vlan", "ten"}, base...), "VLAN ID must be a decimal number"},
		{"-tag without =", append([]string{"-vlan", "1", "-tag", "env"}, base...), `want key=value, got "env"`},
		{"stray argument", append(append([]string{"-vlan", "1"}, base...), "extra"), "unexpected arguments"},
		{"no region and no endpoint", []string{"-vlan", "1"}, "-region is required"},
		{"endpoint without region", []string{"-vlan", "1", "-endpoint", "http://127.0.0.1:1"}, "-region is required"},
		{"lenient still checks ranges", append([]string{"-vlan", "3000", "-lenient"}, base...), "VlanId (VLANID): must be 0 to 2999"},
		{"validation lists every violation", append([]string{"-vlan", "3000", "-spec", "3G"}, base[:len(base)-4]...),
			"VlanId (VLANID): must be 0 to 2999, got 3000; Spec (Spec): must be one of"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			noEnv := func(string) string { return "" }
			exit := run(context.Background(), tc.args, &stdout, &stderr, noEnv)
			assert.Equal(t, exitUsage, exit)
			assert.Contains(t, stderr.String(), tc.wantStderr)
			assert.NotContains(t, stderr.String(), "retry with -token")
		})
	}
}

func TestCreateRunRegionFromEnvironment(t *testing.T) {
	t.Parallel()
	getenv := func(name string) string {
		if name == "ALIBABA_CLOUD_REGION_ID" {
			return "cn-beijing"
		}
		return ""
	}
	set, err := parseArgs([]string{"-vlan", "0"}, &bytes.Buffer{}, getenv)
	require.NoError(t, err)
	client, err := expressconnect.NewClient(append(set.clientOpts, expressconnect.WithAccessKey("id", "secret"))...)
	require.NoError(t, err)
	assert.Equal(t, "cn-beijing", client.Region())
	id, ok := set.req.VLANID.Value()
	assert.True(t, ok)
	assert.Equal(t, 0, id)
}

func TestCreateCommandHelpExitsZero(t *testing.T) {
	t.Parallel()
	stdout, stderr, exit := createRun(t, "", "", "-h")
	assert.Equal(t, exitOK, exit)
	assert.Empty(t, stdout)
	for _, want := range []string{"-circuit", "-lenient", "-timeout", "-max-attempts", "-v\t", "ALIBABA_CLOUD_ACCESS_KEY_ID",
		"~/.alibabacloud/credentials", "Exit statuses:", "6 VLAN conflict: pick another VLAN", "13 retry later with the same -token"} {
		assert.Contains(t, stderr, want)
	}
}

// heldConnections returns the hosted connections the local endpoint holds.
func heldConnections(t *testing.T, srv *expressconnecttest.Server) []expressconnecttest.Connection {
	t.Helper()
	conns, err := srv.Admin().Connections(context.Background())
	require.NoError(t, err)
	return conns
}

// receivedRequests returns the requests the local endpoint received.
func receivedRequests(t *testing.T, srv *expressconnecttest.Server) []expressconnecttest.Request {
	t.Helper()
	page, err := srv.Admin().Requests(context.Background(), 0, 0)
	require.NoError(t, err)
	return page.Requests
}
