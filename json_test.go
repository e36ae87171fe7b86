package expressconnect

import (
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecodeJSONErrorsQuoteNothing checks that decodeJSON's errors name the place and the kind
// of what could not be read, never a member name or a value of the body, which may be anything
// whoever answered put there.
func TestDecodeJSONErrorsQuoteNothing(t *testing.T) {
	t.Parallel()
	const canary = "CANARY-a8f3e1"
	cases := []struct {
		name     string
		body     string
		wantText string
		wantEOF  bool
	}{
		{name: "name twice", body: `{"RequestId":"R","` + canary + `":1,"` + canary + `":2}`, wantText: "names a member twice, at byte"},
		{name: "not JSON after a name", body: `{"` + canary + `" x}`, wantText: "not well formed at byte"},
		{name: "not JSON in a value", body: `{"RequestId":"R","Code":` + canary + `}`, wantText: "not well formed at byte"},
		{name: "a string for a number", body: `{"RequestId":"R","TotalCount":"` + canary + `"}`, wantText: "JSON string at byte"},
		{name: "an object for a string", body: `{"RequestId":{"` + canary + `":"` + canary + `"}}`, wantText: "JSON object at byte"},
		{name: "ends in a string", body: `{"RequestId":"` + canary, wantText: "ends early", wantEOF: true},
		{name: "ends after a name", body: `{"` + canary + `"`, wantText: "ends early", wantEOF: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var b listBody
			err := decodeJSON([]byte(tc.body), &b)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantText)
			assert.NotContains(t, err.Error(), canary)
			assert.Equal(t, tc.wantEOF, errors.Is(err, io.ErrUnexpectedEOF), "matches io.ErrUnexpectedEOF")
		})
	}
}

// TestDecodeAnswerBrokenSuccessSaysNothing checks that a 2xx body that is not JSON is a
// malformed answer, whatever its well-formed part said: the decoder reads as it goes, so a
// Code, a RequestId or a dry run's pass read before the error must not be acted on. A body
// cut short is incomplete (and so retried whatever its status).
func TestDecodeAnswerBrokenSuccessSaysNothing(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name           string
		body           string
		dryRun         bool
		wantIncomplete bool
	}{
		{name: "an error code, then cut", body: `{"RequestId":"R-1","Code":"Throttling.User","Message":"m`, wantIncomplete: true},
		{name: "a dry run's pass, then cut", body: `{"RequestId":"R-1","Code":"DryRunOperation"`, dryRun: true, wantIncomplete: true},
		{name: "a dry run's pass, then another code", body: `{"RequestId":"R-1","Code":"DryRunOperation","Code":"Forbidden.RAM"}`, dryRun: true},
		{name: "an error code, then garbage", body: `{"RequestId":"R-1","Code":"Throttling.User"} x`},
		{name: "an error code, then a syntax error", body: `{"RequestId":"R-1","Code":"Throttling.User",}`},
		{name: "cut inside a literal", body: `{"RequestId":"R-1","X":tru`, wantIncomplete: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, err := decodeCreate(respSyntheticResponse(200, []byte(tc.body), ""), tc.dryRun)
			require.Error(t, err, "response %+v", resp)
			var re *ResponseError
			require.ErrorAs(t, err, &re)
			assert.ErrorIs(t, err, ErrMalformedResponse)
			assert.Empty(t, re.RequestID, "a RequestId read from a broken body")
			assert.Equal(t, tc.wantIncomplete, re.Incomplete())
		})
	}
}

// TestDecodeJSONNamesMatchAsEqualFold checks that member names match the fields' names as
// strings.EqualFold does, as encoding/json matched them: in any case, but with underscores and
// dashes as they are.
func TestDecodeJSONNamesMatchAsEqualFold(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body, wantID string
	}{
		{name: "as sent", body: `{"RequestId":"R","VirtualPhysicalConnections":[{"PhysicalConnectionId":"pc-1"}]}`, wantID: "pc-1"},
		{name: "another case", body: `{"REQUESTID":"R","virtualPhysicalConnections":[{"physicalconnectionid":"pc-1"}]}`, wantID: "pc-1"},
		{name: "an underscore", body: `{"RequestId":"R","VirtualPhysicalConnections":[{"Physical_Connection_Id":"pc-1"}]}`},
		{name: "a dash", body: `{"RequestId":"R","VirtualPhysicalConnections":[{"physical-connection-id":"pc-1"}]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var resp ListVirtualPhysicalConnectionsResponse
			_, err := resp.decode([]byte(tc.body), false)
			require.NoError(t, err)
			require.Len(t, resp.VirtualPhysicalConnections, 1)
			assert.Equal(t, tc.wantID, resp.VirtualPhysicalConnections[0].VirtualPhysicalConnectionID)
		})
	}
}
