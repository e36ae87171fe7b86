package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// lifecycleServer starts a local endpoint whose tenant accepts after 20 ms and whose billing
// enables 20 ms later, creates one hosted connection on VLAN 10, and puts the server's
// credentials in the environment, where credentials-go's default chain finds them. It sets the
// environment, so its tests are not parallel.
func lifecycleServer(t *testing.T) (*expressconnecttest.Server, string) {
	t.Helper()
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.WithAutoAccept(20*time.Millisecond),
		expressconnecttest.WithAutoEnable(20*time.Millisecond))
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", srv.AccessKeyID())
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", srv.AccessKeySecret())
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	t.Setenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")
	client, err := srv.Client()
	require.NoError(t, err)
	resp, err := client.CreateVirtualPhysicalConnection(context.Background(), &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VpconnAliUID: "1210123456789012",
		VLANID: expressconnect.VLAN(10), Spec: expressconnect.Spec100M, OrderMode: expressconnect.PayByPhysicalConnectionOwner,
	})
	require.NoError(t, err)
	return srv, resp.VirtualPhysicalConnectionID
}

// lifecycleRun runs the command against srv with args and returns its stdout, stderr and exit
// status.
func lifecycleRun(srv *expressconnecttest.Server, args ...string) (string, string, int) {
	var stdout, stderr bytes.Buffer
	args = append(args[:1:1], append([]string{"-endpoint", srv.URL(), "-region", srv.Region()}, args[1:]...)...)
	code := run(context.Background(), args, &stdout, &stderr, func(string) string { return "" })
	return stdout.String(), stderr.String(), code
}

func TestLifecycleCommands(t *testing.T) {
	srv, id := lifecycleServer(t)

	out, errOut, code := lifecycleRun(srv, "wait", "-id", id, "-for", "enabled", "-poll", "10ms", "-timeout", "5s")
	require.Equal(t, exitOK, code, errOut)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, "Enabled", got["Status"])
	assert.Equal(t, "Confirmed", got["VirtualPhysicalConnectionStatus"])

	out, errOut, code = lifecycleRun(srv, "list", "-circuit", expressconnecttest.DefaultCircuitID)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, 1, strings.Count(out, "\n"), "one hosted connection, one line")
	assert.Contains(t, out, `"VlanId":"10"`)

	out, errOut, code = lifecycleRun(srv, "update", "-id", id, "-vlan", "0", "-token", "upd-1")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, `"Token":"upd-1"`)
	conn, ok := srv.Connection(id)
	require.True(t, ok)
	assert.Equal(t, expressconnect.VLAN(0), conn.VLANID)

	_, errOut, code = lifecycleRun(srv, "delete", "-id", id)
	assert.Equal(t, exitFailure, code, "an Enabled hosted connection must be terminated first")
	assert.Contains(t, errOut, "Forbidden.NotInAllowDeleteStatus")
	assert.Contains(t, errOut, "what to do: an Enabled hosted connection must be terminated")

	require.NoError(t, srv.Terminate(id))
	out, errOut, code = lifecycleRun(srv, "delete", "-id", id)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, `"RequestId"`)
	out, errOut, code = lifecycleRun(srv, "delete", "-id", id)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, `"AlreadyGone":true`)

	out, errOut, code = lifecycleRun(srv, "wait", "-id", id, "-for", "gone", "-poll", "10ms")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, `"Deleted"`)
}

func TestLifecycleWaitUnreachable(t *testing.T) {
	srv, id := lifecycleServer(t)
	require.NoError(t, srv.RejectAsTenant(id))
	_, errOut, code := lifecycleRun(srv, "wait", "-id", id, "-for", "accepted", "-poll", "10ms")
	assert.Equal(t, exitUnreachable, code)
	assert.Contains(t, errOut, "can no longer be reached")
}

func TestLifecycleUsage(t *testing.T) {
	srv, id := lifecycleServer(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "usage: lifecycle"},
		{"unknown command", []string{"create"}, "usage: lifecycle"},
		{"update without -vlan", []string{"update", "-id", id}, "VLAN(0) is a valid value"},
		{"wait for nonsense", []string{"wait", "-id", id, "-for", "done"}, "-for must be accepted, enabled or gone"},
		{"bad flag", []string{"list", "-nope"}, "flag provided but not defined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := tc.args
			if len(args) > 0 && commands[args[0]] != nil {
				_, errOut, code := lifecycleRun(srv, args...)
				assert.Equal(t, exitUsage, code)
				assert.Contains(t, errOut, tc.want)
				return
			}
			code := run(context.Background(), args, &stdout, &stderr, func(string) string { return "" })
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, stderr.String(), tc.want)
		})
	}
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"list", "-endpoint", srv.URL()}, &bytes.Buffer{}, &stderr, func(string) string { return "" })
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr.String(), "-region is required")
}
