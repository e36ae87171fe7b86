package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSTSRunsLocally(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	noEnv := func(string) string { return "" }
	require.NoError(t, run(context.Background(), []string{"-local"}, &out, noEnv))
	assert.Regexp(t, `^created pc-[a-z0-9]+ with sts credentials \(RequestId [0-9A-F-]+\)\n$`, out.String())
}

func TestSTSCredentialRefusesMissingToken(t *testing.T) {
	t.Parallel()
	_, err := stsCredential("STS.id", "secret", "")
	assert.Error(t, err)
}
