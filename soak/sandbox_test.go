package main

import (
	"strings"
	"testing"
)

// TestLogValue checks the reading of slog's text format, quoted values included.
func TestLogValue(t *testing.T) {
	t.Parallel()
	line := `time=2026-12-06T19:44:31.786Z level=INFO msg=request action=ListVirtualPhysicalConnections status=400 code=Throttling.User connection_id="" fault=FaultThrottle access_key_id="LTAI****0001"`
	for key, want := range map[string]string{"fault": "FaultThrottle", "code": "Throttling.User", "connection_id": "",
		"access_key_id": "LTAI****0001", "missing": ""} {
		if got := logValue(line, key); got != want {
			t.Errorf("logValue(%s) = %q, want %q", key, got, want)
		}
	}
	if got := logValue(`msg=x code="a b" fault=FaultNone`, "code"); got != "a b" {
		t.Errorf("quoted value = %q", got)
	}
}

// TestSandboxArgs checks that the run's secrets go to the sandbox as flags, with a free port
// of loopback and the circuits.
func TestSandboxArgs(t *testing.T) {
	t.Parallel()
	args := strings.Join(sandboxArgs(testCredentials, []string{"pc-a", "pc-b"}, 128, 3600e9), " ")
	for _, want := range []string{"-addr 127.0.0.1:0", "-admin-token " + testCredentials.adminToken,
		"-access-key " + testCredentials.accessKeyID + ":" + testCredentials.accessKeySecret,
		"-sts-security-token " + testCredentials.stsSecurity, "-retention 1h0m0s", "-circuit pc-b,capacity=1000000,quota=128"} {
		if !strings.Contains(args, want) {
			t.Errorf("%q lacks %q", args, want)
		}
	}
}
