package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/expressconnect-go/expressconnect"
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
		"context.Canceled: stopped by the caller, outcome unknown; retry later with Token ",
	}
	require.Len(t, lines, len(want), out.String())
	for i, w := range want {
		assert.Contains(t, lines[i], w, "line %d", i+1)
	}
}

// TestErrorsHandlesWhatTheLocalEndpointCannotProvoke covers the branches that run does not
// reach, with errors shaped like the client's.
func TestErrorsHandlesWhatTheLocalEndpointCannotProvoke(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{
			name: "no credentials in the default chain",
			err: &expressconnect.OperationError{Operation: "CreateVirtualPhysicalConnection", Token: "t-1",
				Err: fmt.Errorf("%w: the default credential chain: nothing found", expressconnect.ErrCredentials)},
			want: "ErrCredentials: set ALIBABA_CLOUD_ACCESS_KEY_ID",
		},
		{
			name: "an error of no family",
			err:  fmt.Errorf("something else"),
			want: "unexpected: something else",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Contains(t, handle(tc.err), tc.want)
		})
	}
}
