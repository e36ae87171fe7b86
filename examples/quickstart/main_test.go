package main

import (
	"bytes"
	"context"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQuickstartRuns runs the whole flow against the in-process local endpoint and checks the
// outcome of every step.
func TestQuickstartRuns(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))

	text := out.String()
	token := regexp.MustCompile(`Token   ([0-9a-f-]{36}) \(chosen and stored before the call\)`).FindStringSubmatch(text)
	require.NotNil(t, token, "the token is printed before the call: %s", text)
	assert.Regexp(t, `created pc-[a-z0-9]+\n`, text)
	assert.Contains(t, text, "same ID true, hosted connections on the endpoint: 1\n")
	assert.Contains(t, text, "passed: DryRun=true")
	assert.Contains(t, text, "accepted: Confirmed, Status Confirmed")
	assert.Regexp(t, `pc-[a-z0-9]+ VLAN 100 100M tenant 1210123456789012 Confirmed\n`, text)
	assert.Contains(t, text, "now on VLAN 0\n")
	assert.Contains(t, text, "VlanId (VLANID): must be 0 to 2999, got 3000")
	assert.Contains(t, text, "refused: VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION (HTTP 400): pick another VLAN")
	assert.Contains(t, text, "second delete: already gone, nothing to do")
	assert.Contains(t, text, "\ndone\n")
}
