package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorsReachesEveryBranch(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))

	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	want := []string{
		"*ValidationError: fix 1 field(s)",
		"ErrInvalidParameter: the service refused a parameter: IllegalParam.ResourceGroupId",
		"ErrNotFound: check the circuit ID: InvalidPhysicalConnectionId.NotFound",
		"ErrVLANConflict: pick another VLAN: VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION",
		"ErrQuotaOrCapacity: free capacity or ask for more: ResourceNotEnough.Bandwidth",
		"ErrInvalidState: the circuit cannot take it now: InvalidPhysicalConnectionId.NotEnabled",
		"ErrPermission: tenant or caller not allowed: Forbidden.VpconnAliUid",
		"ErrThrottled: slow down: Throttling.User; retry later with Token ",
		"ErrAuthentication: check the AccessKey or STS token: InvalidAccessKeyId.NotFound",
		"ErrSignature: check the secret and the clock: SignatureDoesNotMatch",
		"ErrIdempotency: this Token was used for another request: IdempotentParameterMismatch",
		"ErrServerSide: the service failed: ServiceUnavailable; retry later with Token ",
		"*ResponseError: unreadable HTTP 502 answer (server side: true); retry later with Token ",
		"*TransportError: no answer from http://127.0.0.1:",
	}
	require.Len(t, lines, len(want), out.String())
	for i, w := range want {
		assert.Contains(t, lines[i], w, "line %d", i+1)
	}
}
