package expressconnect

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file checks the parts of the redaction boundary (redact.go) from the inside: the
// scrubber of free text, the base64 forms it looks for, and the shapes of the kept fields.

// scrubSignature is a signature of the RPC kind, with the characters base64 uses.
const scrubSignature = "qi4NrnOWEZVbdX7+qNhkq+WapLw="

// scrubRedactor returns the redactor of an attempt with the canary STS credentials and
// scrubSignature.
func scrubRedactor() redactor {
	return newRedactor(credentialValues{accessKeyID: canaryKeyID, accessKeySecret: canarySecret, securityToken: canaryToken}, scrubSignature)
}

// TestRedactTextEncodings checks that the scrubber finds a secret through mixes of escapes that
// no list of encodings holds, and replaces exactly the span it covers.
func TestRedactTextEncodings(t *testing.T) {
	t.Parallel()
	pct := func(s string) string { return canaryPct(s, true) }
	tests := []struct {
		name string
		echo string
		// around is text on either side of the echo, which is kept.
		around [2]string
	}{
		{name: "raw", echo: canaryToken},
		{name: "percent-encoded twice with lower-case hex", echo: canaryPct(canaryPct(canaryToken, false), false)},
		{name: "percent-encoded three times", echo: pct(pct(pct(canaryToken)))},
		{name: "url.PathEscape", echo: url.PathEscape(canaryToken)},
		{name: "url.QueryEscape twice", echo: url.QueryEscape(url.QueryEscape(canaryToken))},
		{name: "JSON escape of the percent of a percent-encoding", echo: strings.ReplaceAll(pct(canaryToken), "%", `\u0025`)},
		{name: "percent-encoding of a JSON escape", echo: strings.ReplaceAll(canaryJSONAll(canaryToken, false), `\`, "%5C")},
		{name: "JSON inside JSON", echo: strings.ReplaceAll(canaryJSONAll(canaryToken, true), `\`, `\\`)},
		{name: "JSON escape of the letter u of an escape", echo: strings.ReplaceAll(canaryJSONAll(canaryToken, false), `\u`, `\\u0075`)},
		{name: "some characters escaped, each its own way", echo: "canary%54OKEN\\u002fa%2Bb\\u003Dc+9Kp%252BQ\\u003d="},
		{name: "a broken escape just before", echo: pct(canaryToken), around: [2]string{`\u00`, ""}},
		{name: "a broken percent-encoding just before", echo: pct(canaryToken), around: [2]string{"%2", ""}},
		{name: "upper case", echo: strings.ToUpper(canaryToken)},
		{name: "mixed case", echo: "CaNaRyToKeN/A+B=C 9kP+q=="},
		{name: "form-encoded", echo: strings.ReplaceAll(canaryToken, " ", "+")},
		{name: "JSON escapes of control characters around it", echo: canaryToken, around: [2]string{`\n\t`, `\r\b`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			x := scrubRedactor()

			got := x.text("before " + tc.around[0] + tc.echo + tc.around[1] + " after")

			assert.Equal(t, "before "+tc.around[0]+"****"+tc.around[1]+" after", got)
		})
	}
}

// TestRedactTextKeeps checks that the scrubber leaves alone a text without targets, escapes
// included, and masks the AccessKeyId in any form.
func TestRedactTextKeeps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, want string
	}{
		{name: "no target", text: "The specified VlanId is used.", want: "The specified VlanId is used."},
		{name: "escapes without a target", text: `a%2Fb \u0041 %25%%% \\ \u00zz \`, want: `a%2Fb \u0041 %25%%% \\ \u00zz \`},
		{name: "AccessKeyId", text: "id=" + canaryKeyID + ".", want: "id=CANA****0042."},
		{name: "AccessKeyId percent-encoded", text: "id=" + canaryPct(canaryKeyID, false) + ".", want: "id=CANA****0042."},
		{name: "AccessKeyId in base64", text: "id=" + base64.StdEncoding.EncodeToString([]byte(canaryKeyID)), want: "id=CANA****0042="},
		{name: "AccessKeyId next to the token", text: canaryKeyID + canaryToken, want: "CANA****0042****"},
		{name: "AccessKeyId overlapping the token", text: canaryKeyID[:10] + canaryToken, want: canaryKeyID[:10] + "****"},
		{name: "empty", text: "", want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			x := scrubRedactor()

			assert.Equal(t, tc.want, x.text(tc.text))
		})
	}
}

// TestRedactBase64Forms checks the base64 forms the redactor looks for against the ones
// canaryBase64Core computes another way, for targets of every length modulo 3, at each offset
// and in both alphabets.
func TestRedactBase64Forms(t *testing.T) {
	t.Parallel()
	for n := minTarget; n <= 40; n++ {
		target := strings.Repeat("s3cr+t/?", 5)[:n]
		scratch := make([]byte, n+2)
		for k := 1; k < formCount; k++ {
			enc, offset, alone := formEncoding(k)
			want := canaryBase64Core(target, offset, enc)
			if alone {
				want = enc.EncodeToString([]byte(target))
			}

			got := string(appendForm([]byte("prefix"), scratch, target, k))

			assert.Equal(t, "prefix"+want, got, "length %d, form %d", n, k)
			assert.Len(t, want, formLen(n, k), "length %d, form %d", n, k)
			assert.GreaterOrEqual(t, formLen(n, k), minTarget, "length %d, form %d", n, k)
		}
	}
}

// TestRedactRequestIDNoAllocation checks that keeping a RequestId of the service's shape, as
// every success does, allocates nothing, under either signature. AllocsPerRun forbids
// t.Parallel.
func TestRedactRequestIDNoAllocation(t *testing.T) {
	cred := credentialValues{accessKeyID: fixtureAccessKeyID, accessKeySecret: "0123456789abcdefABCDEF0123456789", securityToken: canaryToken}
	for _, signature := range []string{scrubSignature, strings.Repeat("0a", 32)} {
		x := newRedactor(cred, signature)
		var got string

		allocs := testing.AllocsPerRun(100, func() { got = x.requestID(fixtureOKRequestID) })

		assert.Zero(t, allocs)
		assert.Equal(t, fixtureOKRequestID, got)
		assert.Nil(t, x.s, "the scrubber was not built")
	}
}

// TestRedactHoldsSecretAgrees checks that the search of a short text without the scrubber finds
// what the scrubber finds: each form of each target, alone and in a RequestId's shape.
func TestRedactHoldsSecretAgrees(t *testing.T) {
	t.Parallel()
	const hexSignature = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	cred := credentialValues{accessKeyID: "LTAI5tShapeKey0001", accessKeySecret: "ShapeSecretOnlyLetters0123", securityToken: canaryToken}
	x := newRedactor(cred, hexSignature)
	var texts []string
	for _, target := range x.targets {
		scratch := make([]byte, len(target)+2)
		for k := range formCount {
			f := string(appendForm(nil, scratch, target, k))
			texts = append(texts, f, "a-"+f, strings.ToUpper(f)+"-b", f[:len(f)/2])
		}
	}
	texts = append(texts, fixtureOKRequestID, "req-1", strings.Repeat("z", shortText))
	for _, text := range texts {
		if len(text) > shortText {
			continue
		}
		short := newRedactor(cred, hexSignature)
		full := newRedactor(cred, hexSignature)
		full.scrubber()

		assert.Equal(t, full.holdsSecret(text), short.holdsSecret(text), "%q", text)
	}
}

// TestRedactShapes checks the shapes of the fields a redactor keeps, and that every code the
// client knows has the shape of a code while the placeholder is none of them.
func TestRedactShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		shape func(string) bool
		in    string
		want  bool
	}{
		{name: "code with dots", shape: isCode, in: "InvalidPhysicalConnectionId.NotFound", want: true},
		{name: "code with underscores", shape: isCode, in: "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION", want: true},
		{name: "code of 64 characters", shape: isCode, in: strings.Repeat("C", 64), want: true},
		{name: "code of 65 characters", shape: isCode, in: strings.Repeat("C", 65)},
		{name: "code with '='", shape: isCode, in: "Tok=abc"},
		{name: "code with a space", shape: isCode, in: "Bad Code"},
		{name: "code not in ASCII", shape: isCode, in: "Ошибка"},
		{name: "empty code", shape: isCode, in: ""},
		{name: "UUID", shape: isRequestID, in: fixtureOKRequestID, want: true},
		{name: "RequestId of 65 characters", shape: isRequestID, in: strings.Repeat("a", 65)},
		{name: "RequestId with '.'", shape: isRequestID, in: "req.1"},
		{name: "RequestId with a line break", shape: isRequestID, in: "req\n1"},
		{name: "host name", shape: isHostName, in: "vpc.cn-hangzhou.aliyuncs.com", want: true},
		{name: "host name of one label", shape: isHostName, in: "localhost", want: true},
		{name: "host name with an empty label", shape: isHostName, in: "vpc..aliyuncs.com"},
		{name: "host name with a label of 64 characters", shape: isHostName, in: strings.Repeat("a", 64) + ".com"},
		{name: "host name with '_'", shape: isHostName, in: "a_b.com"},
		{name: "host name of 254 characters", shape: isHostName, in: strings.Repeat("abc.", 63) + "ab"},
		{name: "host name of 253 characters", shape: isHostName, in: strings.Repeat("abc.", 63) + "a", want: true},
		{name: "host name with a label of 63 characters", shape: isHostName, in: strings.Repeat("a", 63) + ".com", want: true},
		{name: "RequestId of 64 characters", shape: isRequestID, in: strings.Repeat("a", 64), want: true},
		{name: "RequestId of one character", shape: isRequestID, in: "a", want: true},
		{name: "empty RequestId", shape: isRequestID, in: ""},
		{name: "code of one character", shape: isCode, in: "C", want: true},
		{name: "code of the first and last letters and digits", shape: isCode, in: "aAzZ09", want: true},
		{name: "code with '@', before 'A'", shape: isCode, in: "A@"},
		{name: "code with '[', after 'Z'", shape: isCode, in: "Z["},
		{name: "code with a backquote, before 'a'", shape: isCode, in: "a`"},
		{name: "code with '{', after 'z'", shape: isCode, in: "z{"},
		{name: "code with '/', before '0'", shape: isCode, in: "0/"},
		{name: "code with ':', after '9'", shape: isCode, in: "9:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, tc.shape(tc.in))
		})
	}
	for code := range codeConstants(t) {
		assert.True(t, isCode(string(code)), "%q has the shape of a code", code)
		assert.NotEqual(t, invalidCode, code)
	}
	require.NotContains(t, codeTable, invalidCode)
}

// TestRedactFold checks the folding the matcher compares with: ASCII letters to lower case, a
// space to "+", every other byte unchanged.
func TestRedactFold(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want byte
	}{
		{'A', 'a'}, {'Z', 'z'}, {'M', 'm'}, {'@', '@'}, {'[', '['},
		{'a', 'a'}, {'z', 'z'}, {' ', '+'}, {'+', '+'}, {'!', '!'}, {0x1f, 0x1f}, {0xc1, 0xc1},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, fold(tc.in), "fold(%q)", tc.in)
	}
}

// TestRedactHexValue checks hex digits of either case at the edges of each range.
func TestRedactHexValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   byte
		want int
		ok   bool
	}{
		{'0', 0, true}, {'9', 9, true}, {'a', 10, true}, {'f', 15, true}, {'A', 10, true}, {'F', 15, true},
		{'/', 0, false}, {':', 0, false}, {'`', 0, false}, {'g', 0, false}, {'@', 0, false}, {'G', 0, false},
	}
	for _, tc := range tests {
		got, ok := hexValue(int(tc.in))
		assert.Equal(t, tc.ok, ok, "hexValue(%q)", tc.in)
		assert.Equal(t, tc.want, got, "hexValue(%q)", tc.in)
	}
}

// canarySecretHost is an AccessKeySecret that can be written as a host name.
const canarySecretHost = "HostShapedSecret0042"

// TestRedactLocation checks what a redactor keeps of a redirect's Location: the scheme and host
// of an absolute http or https URL whose host is a host name or an IP address holding no
// secret.
func TestRedactLocation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, location, want string
	}{
		{"https host name", "https://vpc.aliyuncs.com/path?q=1#f", "https://vpc.aliyuncs.com"},
		{"http with a port", "http://vpc.aliyuncs.com:8080/x", "http://vpc.aliyuncs.com:8080"},
		{"an IPv4 address", "https://192.0.2.7/x", "https://192.0.2.7"},
		{"an IPv6 address, which is no host name", "https://[2001:db8::1]:8443/x", "https://[2001:db8::1]:8443"},
		{"a host that is neither a host name nor an IP address", "https://bad_host.example/x", redacted},
		{"a host name holding the AccessKeySecret", "https://" + strings.ToLower(canarySecretHost) + ".example/", redacted},
		{"a host name holding it, with a port", "https://" + canarySecretHost + ":443/", redacted},
		{"the user info is dropped", "https://user:pass@vpc.aliyuncs.com/", "https://vpc.aliyuncs.com"},
		{"another scheme", "ftp://vpc.aliyuncs.com/", redacted},
		{"no scheme", "//vpc.aliyuncs.com/", redacted},
		{"not a URL", "https://vpc.aliyuncs.com/%zz", redacted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			x := newRedactor(credentialValues{accessKeyID: canaryKeyID, accessKeySecret: canarySecretHost}, scrubSignature)
			assert.Equal(t, tc.want, x.location(tc.location))
		})
	}
}
