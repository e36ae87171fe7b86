package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stsNoEnv is a getenv with nothing set.
func stsNoEnv(string) string { return "" }

func TestSTSRunsLocally(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
	}{
		{"local defaults", []string{"-local"}},
		{"local with VLAN 0 and another tenant", []string{"-local", "-vlan", "0", "-tenant", "1210000000000001"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			require.NoError(t, run(context.Background(), tc.args, &stdout, &stderr, stsNoEnv))
			assert.Regexp(t, `^created pc-[a-z0-9]+ with sts credentials \(RequestId [0-9A-F-]+\)\n$`, stdout.String())
			assert.Empty(t, stderr.String())
		})
	}
}

// TestSTSRequiresRequestFlags checks that, without -local, nothing defaults to a circuit or a
// tenant: every missing flag is named and the command stops before building a credential.
func TestSTSRequiresRequestFlags(t *testing.T) {
	t.Parallel()
	region := []string{"-region", "cn-hangzhou"}
	const suffix = " required against the service (or give -local to try it offline)"
	tests := []struct {
		name    string
		args    []string
		missing string
	}{
		{"no flags", nil, "-region (or $ALIBABA_CLOUD_REGION_ID), -circuit, -tenant, -vlan"},
		{"only -circuit", append([]string{"-circuit", "pc-bp1x"}, region...), "-tenant, -vlan"},
		{"only -tenant and -vlan", append([]string{"-tenant", "1210123456789012", "-vlan", "7"}, region...), "-circuit"},
		{"no -vlan", append([]string{"-circuit", "pc-bp1x", "-tenant", "1210123456789012"}, region...), "-vlan"},
		{"no region", []string{"-circuit", "pc-bp1x", "-tenant", "1210123456789012", "-vlan", "7"}, "-region (or $ALIBABA_CLOUD_REGION_ID)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseFlags(tc.args, &bytes.Buffer{}, stsNoEnv)
			require.Error(t, err)
			assert.Equal(t, tc.missing+suffix, err.Error())

			var stdout bytes.Buffer
			err = run(context.Background(), tc.args, &stdout, &bytes.Buffer{}, stsNoEnv)
			require.Error(t, err)
			assert.Equal(t, tc.missing+suffix, err.Error())
			assert.Empty(t, stdout.String())
		})
	}
}

func TestSTSAcceptsCompleteFlags(t *testing.T) {
	t.Parallel()
	getenv := func(name string) string {
		if name == "ALIBABA_CLOUD_REGION_ID" {
			return "cn-beijing"
		}
		return ""
	}
	set, err := parseFlags([]string{"-circuit", "pc-bp1x", "-tenant", "1210123456789012", "-vlan", "0"}, &bytes.Buffer{}, getenv)
	require.NoError(t, err)
	assert.Equal(t, "cn-beijing", set.region)
	id, ok := set.vlan.Value()
	assert.True(t, ok, "-vlan 0 counts as given")
	assert.Equal(t, 0, id)
}

func TestSTSRefusesBadFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"-vlan not a number", []string{"-local", "-vlan", "ten"}, "VLAN ID must be a decimal number"},
		{"stray argument", []string{"-local", "extra"}, "unexpected arguments"},
		{"unknown flag", []string{"-spec", "1G"}, "flag provided but not defined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tc.args, &stdout, &stderr, stsNoEnv)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, stdout.String())
		})
	}
}

// TestSTSCredentialFromEnvironment checks that an incomplete environment is refused before
// any request: run stops at the credential, and the secret is not in the error.
func TestSTSCredentialFromEnvironment(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"ALIBABA_CLOUD_REGION_ID":         "cn-hangzhou",
		"ALIBABA_CLOUD_ACCESS_KEY_ID":     "STS.id",
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "sts-secret-value",
	}
	getenv := func(name string) string { return env[name] }
	err := run(context.Background(), []string{"-circuit", "pc-bp1x", "-tenant", "1210123456789012", "-vlan", "1"},
		&bytes.Buffer{}, &bytes.Buffer{}, getenv)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "building the credential")
	assert.NotContains(t, err.Error(), "sts-secret-value")
}

func TestSTSCredentialRefusesMissingToken(t *testing.T) {
	t.Parallel()
	_, err := stsCredential("STS.id", "secret", "")
	assert.Error(t, err)
}

func TestSTSHelp(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-h"}, &stdout, &stderr, stsNoEnv)
	require.ErrorIs(t, err, flag.ErrHelp)
	assert.Contains(t, stderr.String(), "-circuit")
	assert.Empty(t, stdout.String())
}

func TestSTSExitStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantStderr string
	}{
		{"success", nil, 0, ""},
		{"help requested", flag.ErrHelp, 0, ""},
		{"failure", errors.New("boom"), 1, "sts: boom\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stderr bytes.Buffer
			assert.Equal(t, tc.wantStatus, exitStatus(&stderr, tc.err))
			assert.Equal(t, tc.wantStderr, stderr.String())
		})
	}
}
