// Package rules holds the documented rules of the VPC API's request parameters, written once and
// used by both sides: the client validates requests with them before sending, and the local
// endpoint (package expressconnecttest) refuses requests that break them.
//
// Each function returns the rules a value breaks, as short sentences such as "must be 0 to 2999,
// got 3000", or nil when it breaks none; it allocates only on failure. Where the API reference is
// silent, the choice made is stated in the function's comment; strict is false under the client's
// WithLenientValidation, which skips the character rules (allowed characters, first letter,
// forbidden prefixes) and the conventions that are not in the operation's reference.
//
// Sources: the API reference pages of CreateVirtualPhysicalConnection,
// ListVirtualPhysicalConnections and UpdateVirtualPhysicalConnection (VPC API 2016-04-28).
package rules

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Documented limits.
const (
	// MaxVLAN is the largest VLAN ID; 0 is valid too.
	MaxVLAN = 2999
	// MinNameLen and MaxNameLen bound a Name, in characters.
	MinNameLen, MaxNameLen = 2, 128
	// MinDescriptionLen and MaxDescriptionLen bound a Description, in characters.
	MinDescriptionLen, MaxDescriptionLen = 2, 256
	// MaxTokenLen bounds an idempotency token, in bytes (it is ASCII).
	MaxTokenLen = 64
	// MaxTags is the most tags a request may carry.
	MaxTags = 20
	// MaxTagKeyLen and MaxTagValueLen bound tag keys and values, in characters.
	MaxTagKeyLen, MaxTagValueLen = 64, 128
	// MaxResourceGroupIDLen bounds the part of a resource group ID after "rg-".
	MaxResourceGroupIDLen = 40
	// MaxListValues is the most values a list filter of ListVirtualPhysicalConnections, such as
	// VlanIds.N, may hold.
	MaxListValues = 20
	// MaxPageSize is the largest MaxResults of ListVirtualPhysicalConnections.
	MaxPageSize = 100
)

// VLAN checks a VLAN ID: 0 to MaxVLAN.
func VLAN(id int) []string {
	if id < 0 || id > MaxVLAN {
		return []string{fmt.Sprintf("must be 0 to %d, got %d", MaxVLAN, id)}
	}
	return nil
}

// PageSize checks the MaxResults of a ListVirtualPhysicalConnections request: 1 to MaxPageSize.
func PageSize(n int) []string {
	if n < 1 || n > MaxPageSize {
		return []string{fmt.Sprintf("must be 1 to %d, got %d", MaxPageSize, n)}
	}
	return nil
}

// RegionID checks the ID of a region, such as "cn-hangzhou": 1 to 63 lower-case letters,
// digits and "-". The reference lists the regions without stating a format; this is the shape
// every listed ID has, and what a host name label may hold (RFC 1035), as the region is in the
// endpoint's host name (vpc.cn-hangzhou.aliyuncs.com).
func RegionID(s string) []string {
	if s == "" {
		return []string{"required"}
	}
	if len(s) > 63 || strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
		return []string{fmt.Sprintf("must be at most 63 lower-case letters, digits and \"-\", such as cn-hangzhou, got %q", s)}
	}
	return nil
}

// AccountUID checks an Alibaba Cloud account ID, such as a tenant's: a positive decimal integer
// that fits in a signed 64-bit integer, written without sign, spaces or leading zeros. The
// reference gives no format; a leading zero is refused because the service stores the ID as a
// number, so "0123" would name another string than the one sent.
func AccountUID(s string) []string {
	switch {
	case s == "":
		return []string{"required"}
	case strings.Trim(s, "0123456789") != "":
		return []string{fmt.Sprintf("must be a decimal account ID, got %q", s)}
	case strings.Trim(s, "0") == "":
		return []string{"must not be 0"}
	case s[0] == '0':
		return []string{fmt.Sprintf("must not start with 0, got %q", s)}
	}
	if _, err := strconv.ParseInt(s, 10, 64); err != nil {
		return []string{fmt.Sprintf("must fit in a signed 64-bit integer, got %q", s)}
	}
	return nil
}

// Name checks a hosted connection's Name: MinNameLen to MaxNameLen characters; strictly, also
// letters (any script), digits, "_" and "-" only, starting with a letter and not with
// "http://" or "https://" (in any case).
func Name(s string, strict bool) []string {
	out, valid := length(s, MinNameLen, MaxNameLen)
	if !strict || !valid {
		return out
	}
	out = append(out, startRules(s)...)
	if r, ok := firstRune(s, func(r rune) bool { return !letterOrDigit(r) && r != '_' && r != '-' }); ok {
		out = append(out, fmt.Sprintf("may contain only letters, digits, '_' and '-', got %q", r))
	}
	return out
}

// Description checks a Description: MinDescriptionLen to MaxDescriptionLen characters;
// strictly, also starting with a letter and not with "http://" or "https://" (in any case).
func Description(s string, strict bool) []string {
	out, valid := length(s, MinDescriptionLen, MaxDescriptionLen)
	if !strict || !valid {
		return out
	}
	return append(out, startRules(s)...)
}

// Token checks an idempotency token: ASCII, as the references state. Strictly, also no control
// characters (a guess: no token needs them and they break logs) and at most MaxTokenLen
// characters (stated by the references of DeletePhysicalConnection and
// CancelPhysicalConnection, and by one edition of UpdateVirtualPhysicalConnection's, but not
// by CreateVirtualPhysicalConnection's).
func Token(s string, strict bool) []string {
	var out []string
	if strict && len(s) > MaxTokenLen {
		out = append(out, fmt.Sprintf("must be at most %d characters, got %d", MaxTokenLen, len(s)))
	}
	for _, r := range s {
		switch {
		case strict && (r < 0x20 || r >= 0x7F):
			return append(out, fmt.Sprintf("must be printable ASCII, got %q", r))
		case r > 0x7F:
			return append(out, fmt.Sprintf("must be ASCII, got %q", r))
		}
	}
	return out
}

// TagKey checks a tag key: 1 to MaxTagKeyLen characters; strictly, also the character rules of
// tagText.
func TagKey(s string, strict bool) []string {
	if s == "" {
		return []string{"required: a tag key must not be empty"}
	}
	return tagText(s, 1, MaxTagKeyLen, strict)
}

// TagValue checks a tag value: 0 to MaxTagValueLen characters (empty is allowed); strictly, a
// non-empty value also follows the character rules of tagText.
func TagValue(s string, strict bool) []string {
	if s == "" {
		return nil
	}
	return tagText(s, 0, MaxTagValueLen, strict)
}

// tagText checks a non-empty tag key or value of minLen to maxLen characters. Strictly, it must
// contain only letters (any script), digits, ".", "_" and "-", start with a letter, not start
// with "aliyun" or "acs:" and not contain "http://" or "https://", all in any case.
func tagText(s string, minLen, maxLen int, strict bool) []string {
	out, valid := length(s, minLen, maxLen)
	if !strict || !valid {
		return out
	}
	if !startsWithLetter(s) {
		out = append(out, "must start with a letter")
	}
	if hasPrefixFold(s, "aliyun") || hasPrefixFold(s, "acs:") {
		out = append(out, `must not start with "aliyun" or "acs:"`)
	}
	if IndexFold(s, "http://") >= 0 || IndexFold(s, "https://") >= 0 {
		out = append(out, `must not contain "http://" or "https://"`)
	}
	if r, ok := firstRune(s, func(r rune) bool { return !letterOrDigit(r) && r != '.' && r != '_' && r != '-' }); ok {
		out = append(out, fmt.Sprintf("may contain only letters, digits, '.', '_' and '-', got %q", r))
	}
	return out
}

// ResourceGroupID checks a resource group ID. The references give no format, so this is a
// guess, checked only strictly: it must look like the IDs the service hands out, "rg-"
// followed by 1 to MaxResourceGroupIDLen lower-case letters and digits. The service itself
// answers IllegalParam.ResourceGroupId for a group that is malformed or unknown.
func ResourceGroupID(s string, strict bool) []string {
	if !strict {
		return nil
	}
	rest, ok := strings.CutPrefix(s, "rg-")
	if !ok || rest == "" || len(rest) > MaxResourceGroupIDLen || strings.Trim(rest, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
		return []string{fmt.Sprintf(`must be "rg-" followed by 1 to %d lower-case letters and digits, got %q`, MaxResourceGroupIDLen, s)}
	}
	return nil
}

// length checks that s is valid UTF-8 of lo to hi characters (runes, not bytes), and reports
// whether s is valid UTF-8, which the character rules need.
func length(s string, lo, hi int) (broken []string, valid bool) {
	if !utf8.ValidString(s) {
		return []string{"must be valid UTF-8"}, false
	}
	if n := utf8.RuneCountInString(s); n < lo || n > hi {
		return []string{fmt.Sprintf("must be %d to %d characters, got %d", lo, hi, n)}, true
	}
	return nil, true
}

// startRules checks that s starts with a letter and not with "http://" or "https://" in any
// case.
func startRules(s string) []string {
	var out []string
	if !startsWithLetter(s) {
		out = append(out, "must start with a letter")
	}
	if hasPrefixFold(s, "http://") || hasPrefixFold(s, "https://") {
		out = append(out, `must not start with "http://" or "https://"`)
	}
	return out
}

// hasPrefixFold reports whether s starts with the ASCII prefix p, in any case.
func hasPrefixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p)
}

// IndexFold returns the index of the first instance of the ASCII string sub in s, in any
// case, or -1.
func IndexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

func startsWithLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

func letterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// firstRune returns the first rune of s for which bad is true.
func firstRune(s string, bad func(rune) bool) (rune, bool) {
	for _, r := range s {
		if bad(r) {
			return r, true
		}
	}
	return 0, false
}

// Nearest returns the candidate closest to name in edit distance (the fewest insertions,
// deletions and substitutions of bytes that turn one into the other), the first of equals, or
// "" when none is at most maxDistance away. It suggests the name a caller probably meant.
func Nearest(name string, candidates []string, maxDistance int) string {
	best, bestDistance := "", maxDistance+1
	for _, c := range candidates {
		if d := editDistance(name, c); d < bestDistance {
			best, bestDistance = c, d
		}
	}
	return best
}

// editDistance returns the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
