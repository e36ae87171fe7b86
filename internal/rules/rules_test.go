package rules

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// These tables hold the documented rules of the operation's reference (see rules.go), one
// named case per rule and edge. Package rules did not exist in v0.1.0, so they cannot run
// there; run through v0.1.0's client validation, its "HTTP://x" and "Https://x" Description,
// "Aliyunx" tag key, "0123" account ID and tokens with "\x01" or "\n" were accepted in both
// modes, and its 65-character token was refused leniently too. Control characters in tokens are
// a guess of this project, refused strictly only.

// modeCase is one value of a rule that has a strict and a lenient mode, with the rules it
// breaks in each (nil when none).
type modeCase struct {
	name    string
	value   string
	strict  []string
	lenient []string
}

// checkModes runs every case through check in both modes.
func checkModes(t *testing.T, check func(string, bool) []string, cases []modeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.strict, check(tc.value, true), "strict")
			assert.Equal(t, tc.lenient, check(tc.value, false), "lenient")
		})
	}
}

const (
	notUTF8      = "must be valid UTF-8"
	startLetter  = "must start with a letter"
	noURLStart   = `must not start with "http://" or "https://"`
	noURLInside  = `must not contain "http://" or "https://"`
	noCloudStart = `must not start with "aliyun" or "acs:"`
)

// invalidUTF8 is a string that is not UTF-8: a lone continuation byte between letters.
const invalidUTF8 = "ab\x80cd"

func TestVLAN(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		id   int
		want []string
	}{
		{"0, a router interface", 0, nil},
		{"1", 1, nil},
		{"2999, the largest", MaxVLAN, nil},
		{"3000", 3000, []string{"must be 0 to 2999, got 3000"}},
		{"-1", -1, []string{"must be 0 to 2999, got -1"}},
		{"4095, the largest 802.1Q ID", 4095, []string{"must be 0 to 2999, got 4095"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, VLAN(tc.id))
		})
	}
}

func TestPageSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		n    int
		want []string
	}{
		{"1, the smallest", 1, nil},
		{"100, the largest", MaxPageSize, nil},
		{"0", 0, []string{"must be 1 to 100, got 0"}},
		{"101", 101, []string{"must be 1 to 100, got 101"}},
		{"-1", -1, []string{"must be 1 to 100, got -1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, PageSize(tc.n))
		})
	}
}

func TestRegionID(t *testing.T) {
	t.Parallel()
	bad := func(s string) []string {
		return []string{`must be at most 63 lower-case letters, digits and "-", such as cn-hangzhou, got "` + s + `"`}
	}
	long := strings.Repeat("a", 64)
	tests := []struct {
		name  string
		value string
		want  []string
	}{
		{"a region", "cn-hangzhou", nil},
		{"63 characters", long[:63], nil},
		{"64 characters", long, bad(long)},
		{"empty", "", []string{"required"}},
		{"upper case", "CN-Hangzhou", bad("CN-Hangzhou")},
		{"a space", "cn hangzhou", bad("cn hangzhou")},
		{"an underscore", "cn_hangzhou", bad("cn_hangzhou")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, RegionID(tc.value))
		})
	}
}

func TestAccountUID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		value string
		want  []string
	}{
		{"a 16-digit ID", "1210123456123456", nil},
		{"1", "1", nil},
		{"the largest int64", "9223372036854775807", nil},
		{"one past the largest int64", "9223372036854775808", []string{`must fit in a signed 64-bit integer, got "9223372036854775808"`}},
		{"20 digits", "12345678901234567890", []string{`must fit in a signed 64-bit integer, got "12345678901234567890"`}},
		{"empty", "", []string{"required"}},
		{"0", "0", []string{"must not be 0"}},
		{"all zeros", "0000", []string{"must not be 0"}},
		{"a leading zero", "0123", []string{`must not start with 0, got "0123"`}},
		{"a sign", "+123", []string{`must be a decimal account ID, got "+123"`}},
		{"negative", "-123", []string{`must be a decimal account ID, got "-123"`}},
		{"a space", "123 ", []string{`must be a decimal account ID, got "123 "`}},
		{"a letter", "12a3", []string{`must be a decimal account ID, got "12a3"`}},
		{"non-ASCII digits", "١٢٣", []string{`must be a decimal account ID, got "١٢٣"`}},
		{"hexadecimal", "0x1F", []string{`must be a decimal account ID, got "0x1F"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, AccountUID(tc.value))
		})
	}
}

func TestName(t *testing.T) {
	t.Parallel()
	lengthRule := func(n int) []string { return []string{"must be 2 to 128 characters, got " + strconv.Itoa(n)} }
	cases := []modeCase{
		{name: "letters, digits, '_' and '-'", value: "vpconn_01-a"},
		{name: "two characters", value: "ab"},
		{name: "any script", value: "专线连接"},
		{name: "128 characters", value: strings.Repeat("a", 128)},
		{name: "128 two-byte characters, counted in runes", value: strings.Repeat("é", 128)},
		{name: "one character", value: "a", strict: lengthRule(1), lenient: lengthRule(1)},
		{name: "129 characters", value: strings.Repeat("a", 129), strict: lengthRule(129), lenient: lengthRule(129)},
		{name: "129 two-byte characters", value: strings.Repeat("é", 129), strict: lengthRule(129), lenient: lengthRule(129)},
		{name: "starts with a digit", value: "1conn", strict: []string{startLetter}},
		{name: "starts with '_'", value: "_conn", strict: []string{startLetter}},
		{name: "a space", value: "my conn", strict: []string{`may contain only letters, digits, '_' and '-', got ' '`}},
		{name: "a dot", value: "conn.1", strict: []string{`may contain only letters, digits, '_' and '-', got '.'`}},
		{name: "http:// in upper case", value: "HTTP://x", strict: []string{noURLStart, `may contain only letters, digits, '_' and '-', got ':'`}},
		{name: "https:// in mixed case", value: "Https://x", strict: []string{noURLStart, `may contain only letters, digits, '_' and '-', got ':'`}},
		{name: "invalid UTF-8", value: invalidUTF8, strict: []string{notUTF8}, lenient: []string{notUTF8}},
	}
	checkModes(t, Name, cases)
}

func TestDescription(t *testing.T) {
	t.Parallel()
	lengthRule := func(n int) []string { return []string{"must be 2 to 256 characters, got " + strconv.Itoa(n)} }
	cases := []modeCase{
		{name: "a sentence", value: "Hosted connection for tenant 42, floor 3."},
		{name: "any script", value: "租户专线, 三楼"},
		{name: "256 characters", value: "D" + strings.Repeat(".", 255)},
		{name: "256 three-byte characters, counted in runes", value: strings.Repeat("专", 256)},
		{name: "http:// inside is allowed", value: "see http://example.com"},
		{name: "one character", value: "D", strict: lengthRule(1), lenient: lengthRule(1)},
		{name: "257 characters", value: "D" + strings.Repeat(".", 256), strict: lengthRule(257), lenient: lengthRule(257)},
		{name: "257 three-byte characters", value: strings.Repeat("专", 257), strict: lengthRule(257), lenient: lengthRule(257)},
		{name: "starts with a digit", value: "3rd floor", strict: []string{startLetter}},
		{name: "starts with a space", value: " leading", strict: []string{startLetter}},
		{name: "HTTP://x", value: "HTTP://x", strict: []string{noURLStart}},
		{name: "Https://x", value: "Https://x", strict: []string{noURLStart}},
		{name: "http://x", value: "http://x", strict: []string{noURLStart}},
		{name: "invalid UTF-8", value: invalidUTF8, strict: []string{notUTF8}, lenient: []string{notUTF8}},
	}
	checkModes(t, Description, cases)
}

func TestToken(t *testing.T) {
	t.Parallel()
	tooLong := []string{"must be at most 64 characters, got 65"}
	cases := []modeCase{
		{name: "empty, filled by the client", value: ""},
		{name: "a UUID", value: "2b9e4e51-6c4a-4f1e-8a52-2a3f1d2c9b77"},
		{name: "printable ASCII with a space", value: "order #42 / retry ~1"},
		{name: "64 characters", value: strings.Repeat("t", 64)},
		{name: "65 characters, a convention only", value: strings.Repeat("t", 65), strict: tooLong},
		{name: "a control character, a guess", value: "tok\x01en", strict: []string{`must be printable ASCII, got '\x01'`}},
		{name: "a line feed, a guess", value: "tok\nen", strict: []string{`must be printable ASCII, got '\n'`}},
		{name: "DEL, a guess", value: "tok\x7fen", strict: []string{`must be printable ASCII, got '\x7f'`}},
		{name: "non-ASCII", value: "tökén", strict: []string{`must be printable ASCII, got 'ö'`}, lenient: []string{`must be ASCII, got 'ö'`}},
		{name: "65 characters with a control character", value: strings.Repeat("t", 64) + "\x01",
			strict: append(tooLong, `must be printable ASCII, got '\x01'`)},
		{name: "invalid UTF-8", value: "tok\x80en", strict: []string{`must be printable ASCII, got '�'`}, lenient: []string{`must be ASCII, got '�'`}},
	}
	checkModes(t, Token, cases)
}

func TestTagKey(t *testing.T) {
	t.Parallel()
	onlyChars := func(r string) string { return "may contain only letters, digits, '.', '_' and '-', got " + r }
	cases := []modeCase{
		{name: "letters, digits, '.', '_' and '-'", value: "env.tier_1-a"},
		{name: "one character", value: "k"},
		{name: "any script", value: "环境"},
		{name: "64 characters", value: strings.Repeat("k", 64)},
		{name: "64 three-byte characters, counted in runes", value: strings.Repeat("环", 64)},
		{name: "empty", value: "", strict: []string{"required: a tag key must not be empty"}, lenient: []string{"required: a tag key must not be empty"}},
		{name: "65 characters", value: strings.Repeat("k", 65),
			strict: []string{"must be 1 to 64 characters, got 65"}, lenient: []string{"must be 1 to 64 characters, got 65"}},
		{name: "65 three-byte characters", value: strings.Repeat("环", 65),
			strict: []string{"must be 1 to 64 characters, got 65"}, lenient: []string{"must be 1 to 64 characters, got 65"}},
		{name: "Aliyunx", value: "Aliyunx", strict: []string{noCloudStart}},
		{name: "aliyun", value: "aliyun", strict: []string{noCloudStart}},
		{name: "ACS:x", value: "ACS:x", strict: []string{noCloudStart, onlyChars("':'")}},
		{name: "acs:x", value: "acs:x", strict: []string{noCloudStart, onlyChars("':'")}},
		{name: "acs without the colon", value: "acsx", strict: nil},
		{name: "HTTP:// inside", value: "xHTTP://y", strict: []string{noURLInside, onlyChars("':'")}},
		{name: "http:// at the start", value: "http://y", strict: []string{noURLInside, onlyChars("':'")}},
		{name: "https:// at the start", value: "https://y", strict: []string{noURLInside, onlyChars("':'")}},
		{name: "ending in http://", value: "xhttp://", strict: []string{noURLInside, onlyChars("':'")}},
		{name: "ending in https://", value: "xhttps://", strict: []string{noURLInside, onlyChars("':'")}},
		{name: "http:/ cut short at the end", value: "xhttp:/", strict: []string{onlyChars("':'")}},
		{name: "starts with a digit", value: "1env", strict: []string{startLetter}},
		{name: "a space", value: "my env", strict: []string{onlyChars("' '")}},
		{name: "invalid UTF-8", value: invalidUTF8, strict: []string{notUTF8}, lenient: []string{notUTF8}},
	}
	checkModes(t, TagKey, cases)
}

func TestTagValue(t *testing.T) {
	t.Parallel()
	cases := []modeCase{
		{name: "empty, allowed", value: ""},
		{name: "letters, digits, '.', '_' and '-'", value: "prod.v1_a-b"},
		{name: "128 characters", value: strings.Repeat("v", 128)},
		{name: "128 three-byte characters, counted in runes", value: strings.Repeat("值", 128)},
		{name: "129 characters", value: strings.Repeat("v", 129),
			strict: []string{"must be 0 to 128 characters, got 129"}, lenient: []string{"must be 0 to 128 characters, got 129"}},
		{name: "129 three-byte characters", value: strings.Repeat("值", 129),
			strict: []string{"must be 0 to 128 characters, got 129"}, lenient: []string{"must be 0 to 128 characters, got 129"}},
		{name: "Aliyun prefix", value: "AliyunProd", strict: []string{noCloudStart}},
		{name: "https:// inside", value: "see https://x", strict: []string{noURLInside, "may contain only letters, digits, '.', '_' and '-', got ' '"}},
		{name: "starts with a digit", value: "1", strict: []string{startLetter}},
		{name: "invalid UTF-8", value: invalidUTF8, strict: []string{notUTF8}, lenient: []string{notUTF8}},
	}
	checkModes(t, TagValue, cases)
}

func TestResourceGroupID(t *testing.T) {
	t.Parallel()
	bad := func(s string) []string {
		return []string{`must be "rg-" followed by 1 to 40 lower-case letters and digits, got ` + strconv.Quote(s)}
	}
	cases := []modeCase{
		{name: "an ID the service hands out", value: "rg-acfmxazb4ph6aiy"},
		{name: "one character after rg-", value: "rg-a"},
		{name: "40 characters after rg-", value: "rg-" + strings.Repeat("a", 40)},
		{name: "41 characters after rg-", value: "rg-" + strings.Repeat("a", 41), strict: bad("rg-" + strings.Repeat("a", 41))},
		{name: "nothing after rg-", value: "rg-", strict: bad("rg-")},
		{name: "upper-case prefix", value: "RG-abc", strict: bad("RG-abc")},
		{name: "upper-case letters", value: "rg-ABC", strict: bad("rg-ABC")},
		{name: "a dash after rg-", value: "rg-ab-c", strict: bad("rg-ab-c")},
		{name: "no prefix", value: "acfmxazb4ph6aiy", strict: bad("acfmxazb4ph6aiy")},
		{name: "empty", value: "", strict: bad("")},
		{name: "invalid UTF-8", value: "rg-\x80", strict: bad("rg-\x80")},
	}
	checkModes(t, ResourceGroupID, cases)
}

// allocSink keeps the results of TestRulesAllocateOnlyOnFailure alive: a result that is
// dropped lets the compiler put an inlined rule's slice on the stack, and no allocation would
// show.
var allocSink []string

// TestRulesAllocateOnlyOnFailure checks the package's promise that a value breaking no rule
// costs no allocation. It measures allocations, so it does not run in parallel.
func TestRulesAllocateOnlyOnFailure(t *testing.T) {
	checks := map[string]func(){
		"VLAN":            func() { allocSink = VLAN(42) },
		"PageSize":        func() { allocSink = PageSize(100) },
		"AccountUID":      func() { allocSink = AccountUID("1210123456123456") },
		"Name":            func() { allocSink = Name("vpconn_01-a", true) },
		"Description":     func() { allocSink = Description("Hosted connection for tenant 42.", true) },
		"Token":           func() { allocSink = Token("2b9e4e51-6c4a-4f1e-8a52-2a3f1d2c9b77", true) },
		"TagKey":          func() { allocSink = TagKey("env.tier_1-a", true) },
		"TagValue":        func() { allocSink = TagValue("prod.v1_a-b", true) },
		"ResourceGroupID": func() { allocSink = ResourceGroupID("rg-acfmxazb4ph6aiy", true) },
	}
	for name, check := range checks {
		assert.Zero(t, testing.AllocsPerRun(100, check), name)
	}
}

func TestNearest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "ab", 2}, {"cn-hangzou", "cn-hangzhou", 1},
		{"kitten", "sitting", 3}, {"us-east1", "us-east-1", 1},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, editDistance(tc.a, tc.b), "%q %q", tc.a, tc.b)
		assert.Equal(t, tc.want, editDistance(tc.b, tc.a), "%q %q", tc.b, tc.a)
	}
	regions := []string{"cn-hangzhou", "cn-shanghai", "cn-beijing"}
	assert.Equal(t, "cn-hangzhou", Nearest("cn-hangzou", regions, 3))
	assert.Equal(t, "cn-shanghai", Nearest("cn-shangai", regions, 3))
	assert.Empty(t, Nearest("eu-central-1", regions, 3), "none close enough")
	assert.Equal(t, "cn-beijing", Nearest("cn-beijing", regions, 0))
	assert.Equal(t, "ac", Nearest("ab", []string{"ac", "ad"}, 1), "the first of equals")
	assert.Equal(t, "ad", Nearest("ab", []string{"xyz", "ad", "ac"}, 1), "the first of equals, after a farther one")
	assert.Equal(t, "xyz", Nearest("abc", []string{"xyz"}, 3), "exactly maxDistance away")
	assert.Empty(t, Nearest("abc", []string{"xyz"}, 2), "one more than maxDistance away")
	assert.Empty(t, Nearest("abc", nil, 3), "no candidates")
}

// TestIndexFold checks the search at both ends of the text and in any case.
func TestIndexFold(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, s, sub string
		want         int
	}{
		{"at the start", "http://x", "http://", 0},
		{"at the end", "xhttp://", "http://", 1},
		{"the whole text", "http://", "http://", 0},
		{"in another case", "xHtTp://", "http://", 1},
		{"the first of two", "a-HTTP://-http://", "http://", 2},
		{"cut short at the end", "xhttp:/", "http://", -1},
		{"longer than the text", "http", "http://", -1},
		{"empty sub", "abc", "", 0},
		{"absent", "abc", "x", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, IndexFold(tt.s, tt.sub))
		})
	}
}
