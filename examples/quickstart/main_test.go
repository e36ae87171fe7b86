package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQuickstartRuns runs the whole life against the in-process local endpoint and checks the
// outcome of every step.
func TestQuickstartRuns(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))

	text := out.String()
	for _, want := range []string{
		"VLANs in use [1], first free 2\n",
		"same ID true, hosted connections on the endpoint: 2\n",
		"accepted: Confirmed, Status Confirmed\n",
		"enabled: Status Enabled on VLAN 2 at 100M\n",
		"ExpectSpec 200M, Spec 100M until paid for, VLAN 2 kept",
		"in effect: Spec 200M\n",
		"VlanId (VLANID): must be 0 to 2999, got 3000\n",
		"requests sent: 0\n",
		"refused: must not be the circuit's ID (PhysicalConnectionID): are the two swapped?\n",
		"delete refused first: an Enabled hosted connection cannot be deleted: terminate it first",
		"Status Terminated\n",
		"second delete: already gone, nothing to do\n",
		"\ndone\n",
	} {
		assert.Contains(t, text, want)
	}
	assert.Regexp(t, `created pc-[a-z0-9]+ with Token [0-9a-f-]{36}\n`, text)
}
