package main

import (
	"bytes"
	"context"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuickstartRuns(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))

	text := out.String()
	assert.Regexp(t, regexp.MustCompile(`created pc-[a-z0-9]+\n`), text)
	assert.Contains(t, text, "same ID: true")
	assert.Contains(t, text, "hosted connections on the endpoint: 1\n")
	assert.Contains(t, text, "passed: DryRun=true")
	assert.Contains(t, text, "VlanId (VLANID): must be 0 to 2999, got 3000")
	assert.Contains(t, text, "refused: VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION (HTTP 400)")
	assert.Contains(t, text, "done: 2 hosted connections on the local endpoint")
}
