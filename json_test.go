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
