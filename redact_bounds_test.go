package expressconnect

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests pin the redactor's bounds: the shortest target it looks for, the longest text it
// searches without building the scrubber, the escape depth it reads through, the readings it
// keeps apart, and the AccessKeyId's mask.

// TestRedactShortestTarget checks that a secret of exactly minTarget bytes is found, in a short
// RequestId (searched without the scrubber) and in free text (searched with it), and that a
// shorter one is not looked for.
func TestRedactShortestTarget(t *testing.T) {
	t.Parallel()
	six := strings.Repeat("k", minTarget-1) + "Z"
	five := six[:minTarget-1]
	tests := []struct {
		name, secret, id, text string
		wantID, wantText       string
	}{
		{"a secret of minTarget bytes", six, "req-" + six + "-1", "secret " + six + " here", redacted, "secret **** here"},
		{"a secret of minTarget-1 bytes", five, "req-" + five + "-1", "secret " + five + " here", "req-" + five + "-1", "secret " + five + " here"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			short := newRedactor(credentialValues{accessKeyID: canaryKeyID, accessKeySecret: tc.secret}, scrubSignature)
			assert.Equal(t, tc.wantID, short.requestID(tc.id), "RequestId")
			assert.Nil(t, short.s, "a short RequestId is searched without the scrubber")

			full := newRedactor(credentialValues{accessKeyID: canaryKeyID, accessKeySecret: tc.secret}, scrubSignature)
			assert.Equal(t, tc.wantText, full.text(tc.text), "free text")
		})
	}
}

// TestRedactSecretFillsTheText checks a RequestId that is a secret and nothing else, and one that
// ends with it: the match takes the whole text, or its last bytes.
func TestRedactSecretFillsTheText(t *testing.T) {
	t.Parallel()
	const secret = "ShapeSecret0042"
	for _, id := range []string{secret, "req-" + secret, strings.ToLower(secret)} {
		x := newRedactor(credentialValues{accessKeyID: canaryKeyID, accessKeySecret: secret}, scrubSignature)
		assert.Equal(t, redacted, x.requestID(id), "%q", id)
	}
}

// TestRedactShortTextBound checks that a text of shortText bytes is searched without building
// the scrubber, and a longer one with it.
func TestRedactShortTextBound(t *testing.T) {
	t.Parallel()
	atBound := newRedactor(credentialValues{accessKeyID: canaryKeyID, accessKeySecret: canarySecret}, scrubSignature)
	assert.False(t, atBound.holdsSecret(strings.Repeat("a", shortText)))
	assert.Nil(t, atBound.s, "%d bytes: no scrubber", shortText)

	over := newRedactor(credentialValues{accessKeyID: canaryKeyID, accessKeySecret: canarySecret}, scrubSignature)
	assert.False(t, over.holdsSecret(strings.Repeat("a", shortText+1)))
	assert.NotNil(t, over.s, "%d bytes: the scrubber", shortText+1)
}

// TestRedactEscapeDepth checks the documented depth: a secret percent-encoded escapeDepth times
// is found, one encoded once more is not (the bound keeps the matcher's work small).
func TestRedactEscapeDepth(t *testing.T) {
	t.Parallel()
	const secret = "Depth/Secret+42"
	encoded := secret
	for range escapeDepth {
		encoded = canaryPct(encoded, true)
	}
	deeper := canaryPct(encoded, true)
	x := newRedactor(credentialValues{accessKeyID: canaryKeyID, accessKeySecret: secret}, scrubSignature)

	assert.Equal(t, "a **** b", x.text("a "+encoded+" b"), "%d layers", escapeDepth)
	assert.Equal(t, "a "+deeper+" b", x.text("a "+deeper+" b"), "%d layers", escapeDepth+1)

	// The parts of an escape count their layers too: the first character, D (%44), written with
	// the hex digit 4 or the u of \u0044 escaped once less deep than the escape, and then once
	// more.
	tests := []struct {
		name, first string
		found       bool
	}{
		{"a hex digit two layers deep", "%%25344", true},
		{"a hex digit three layers deep", "%%2525344", false},
		{"the u of a JSON escape two layers deep", `\%2575` + "0044", true},
		{"the u of a JSON escape three layers deep", `\%252575` + "0044", false},
	}
	for _, tc := range tests {
		text := "a " + tc.first + secret[1:] + " b"
		want := text
		if tc.found {
			want = "a **** b"
		}
		assert.Equal(t, want, x.text(text), tc.name)
	}
}

// TestRedactReadCharJSONEscape checks that a \u escape stands for a byte only for an ASCII
// character: \u007f is the byte 0x7f, while \u0080 is U+0080, two bytes in UTF-8, and is read as
// no byte.
func TestRedactReadCharJSONEscape(t *testing.T) {
	t.Parallel()
	values := func(text string) []int {
		var rs readings
		readChar(text, 0, escapeDepth, &rs)
		var out []int
		for _, r := range rs.list[:rs.n] {
			out = append(out, r.value)
		}
		return out
	}
	assert.Equal(t, []int{'\\', 0x7f}, values(`\u007f`))
	assert.Equal(t, []int{'\\'}, values(`\u0080`))
	assert.Equal(t, []int{'\\', '/'}, values(`\/`))
	assert.Equal(t, []int{'\\', '\n'}, values(`\n`))
	assert.Equal(t, []int{'%', 0x2f}, values(`%2f`))
	assert.Equal(t, []int{'%'}, values(`%2`), "cut short")
	assert.Empty(t, values(""))
}

// TestRedactReadingsAdd checks that a set of readings keeps each reading once and at most
// maxReads of them.
func TestRedactReadingsAdd(t *testing.T) {
	t.Parallel()
	var rs readings
	rs.add(reading{value: 'a', end: 1})
	rs.add(reading{value: 'a', end: 1})
	rs.add(reading{value: 'a', end: 2})
	require.Equal(t, 2, rs.n, "a reading already there is not added again")
	assert.Equal(t, []reading{{'a', 1}, {'a', 2}}, rs.list[:rs.n])

	require.NotPanics(t, func() {
		for i := range maxReads + 4 {
			rs.add(reading{value: 'b', end: i})
		}
	})
	assert.Equal(t, maxReads, rs.n, "the set stops at maxReads")
	assert.Equal(t, reading{value: 'b', end: maxReads - 3}, rs.list[maxReads-1], "the first ones are kept")
}

// TestRedactSnapshot checks that a snapshot of an empty body is nil, and that of a longer body
// its first bodySnapshotSize bytes, scrubbed before the cut.
func TestRedactSnapshot(t *testing.T) {
	t.Parallel()
	x := scrubRedactor()
	assert.Nil(t, x.snapshot(nil))
	assert.Nil(t, x.snapshot([]byte{}))

	body := []byte(strings.Repeat("b", bodySnapshotSize-4) + canaryToken + strings.Repeat("c", 10))
	got := x.snapshot(body)
	assert.Equal(t, strings.Repeat("b", bodySnapshotSize-4)+"****", string(got))
	assert.Len(t, got, bodySnapshotSize)
}

// TestRedactFormEncoding checks the numbering of the forms that formCount documents: forms 1
// and 2 the encoding alone in the standard and the URL alphabet, then forms 3 to 8 at offsets
// 0, 1 and 2, each in the standard alphabet first.
func TestRedactFormEncoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		k      int
		enc    *base64.Encoding
		offset int
		alone  bool
	}{
		{1, base64.RawStdEncoding, 0, true}, {2, base64.RawURLEncoding, 0, true},
		{3, base64.RawStdEncoding, 0, false}, {4, base64.RawURLEncoding, 0, false},
		{5, base64.RawStdEncoding, 1, false}, {6, base64.RawURLEncoding, 1, false},
		{7, base64.RawStdEncoding, 2, false}, {8, base64.RawURLEncoding, 2, false},
	}
	require.Len(t, tests, formCount-1)
	for _, tc := range tests {
		enc, offset, alone := formEncoding(tc.k)
		assert.Same(t, tc.enc, enc, "form %d's alphabet", tc.k)
		assert.Equal(t, tc.offset, offset, "form %d's offset", tc.k)
		assert.Equal(t, tc.alone, alone, "form %d alone", tc.k)
	}
}

// TestRedactHoldsSecretEscaped checks that the search of a short text without the scrubber
// reads escapes as the scrubber does: a target percent-encoded or JSON-escaped from its first
// character on is found, and an escaped text without one is not.
func TestRedactHoldsSecretEscaped(t *testing.T) {
	t.Parallel()
	const secret = "EscSecret42"
	// escapeAll writes every byte of s with format, such as "%%%02X".
	escapeAll := func(s, format string) string {
		var b strings.Builder
		for i := range len(s) {
			fmt.Fprintf(&b, format, s[i])
		}
		return b.String()
	}
	tests := []struct {
		text string
		want bool
	}{
		{escapeAll(secret, "%%%02X"), true},
		{escapeAll(secret[:5], "%%%02x") + secret[5:], true},
		{escapeAll(secret[:4], `\u%04x`) + secret[4:], true},
		{"%45" + secret[1:], true},
		{`\u0045` + secret[1:], true},
		{"id-" + escapeAll(secret[:2], "%%%02X") + secret[2:], true},
		{escapeAll("EscSecret", "%%%02X") + "43", false},
		{`\u0045\u0073c`, false},
		{"%zz" + secret[:8], false},
	}
	for _, tc := range tests {
		require.LessOrEqual(t, len(tc.text), shortText, "%q", tc.text)
		short := newRedactor(credentialValues{accessKeyID: canaryKeyID, accessKeySecret: secret}, scrubSignature)
		full := newRedactor(credentialValues{accessKeyID: canaryKeyID, accessKeySecret: secret}, scrubSignature)
		full.scrubber()

		assert.Equal(t, tc.want, full.holdsSecret(tc.text), "the scrubber, %q", tc.text)
		assert.Equal(t, tc.want, short.holdsSecret(tc.text), "without the scrubber, %q", tc.text)
		assert.Nil(t, short.s, "%q", tc.text)
	}
}

// TestRedactEscapedPrefixAtTheEnd checks a text that ends in the middle of an escaped target:
// the match runs out of text and the text is kept.
func TestRedactEscapedPrefixAtTheEnd(t *testing.T) {
	t.Parallel()
	x := scrubRedactor()
	for _, text := range []string{
		"x " + canaryPct(canaryToken[:1], true) + canaryToken[1:len(canaryToken)-1],
		"x " + canaryPct(canaryToken[:len(canaryToken)-1], false),
		"x " + canaryToken[:len(canaryToken)-1] + "%",
		"x " + canaryToken[:len(canaryToken)-1] + `\u00`,
	} {
		assert.Equal(t, text, x.text(text))
	}
}

// TestRedactCause checks the text and the matching of a redacted cause: the cause's own text
// scrubbed, a *url.Error unwrapped first, and the attempt's time limit named only when it ended
// the attempt.
func TestRedactCause(t *testing.T) {
	t.Parallel()
	x := scrubRedactor()
	signed := &url.Error{Op: "Post", URL: "https://vpc.aliyuncs.com/?SecurityToken=" + url.QueryEscape(canaryToken), Err: io.ErrUnexpectedEOF}
	tests := []struct {
		name     string
		err      error
		timeout  time.Duration
		want     string
		timedOut bool
	}{
		{"no time limit", errors.New("boom " + canaryToken), 0, "boom ****", false},
		{"the signed URL is dropped", signed, 0, io.ErrUnexpectedEOF.Error(), false},
		{"the attempt's time limit", context.DeadlineExceeded, 2 * time.Second,
			"attempt timed out after 2s (see WithAttemptTimeout): " + context.DeadlineExceeded.Error(), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := x.cause(tc.err, tc.timeout)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			assert.Equal(t, tc.timedOut, errors.Is(err, ErrAttemptTimeout), "ErrAttemptTimeout")
			var netErr net.Error
			require.ErrorAs(t, err, &netErr)
			assert.Equal(t, tc.timedOut, netErr.Timeout(), "Timeout")
		})
	}
	assert.NoError(t, x.cause(nil, 0))
	assert.NoError(t, x.cause(&url.Error{Op: "Post", URL: "https://x/"}, 0), "a *url.Error without a cause")
	assert.True(t, errors.Is(x.cause(context.DeadlineExceeded, 0), context.DeadlineExceeded), "the caller's deadline")
	assert.False(t, errors.Is(x.cause(context.DeadlineExceeded, time.Second), context.DeadlineExceeded), "the attempt's, not the caller's")
}
