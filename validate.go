package expressconnect

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits the reference documents for the request's fields.
const (
	maxVLANID        = 2999
	minNameLen       = 2
	maxNameLen       = 128
	minDescLen       = 2
	maxDescLen       = 256
	maxTokenLen      = 64
	maxTags          = 20
	maxTagKeyLen     = 64
	maxTagValueLen   = 128
	ruleStartsLetter = "must start with a letter"
)

// validator collects every violation of one request.
type validator struct {
	// lenient skips the character rules (allowed characters, first letter, forbidden
	// prefixes); presence, lengths, ranges and enumerations are still checked.
	lenient bool
	out     []Violation
}

func (v *validator) add(field, param, rule string) {
	v.out = append(v.out, Violation{Field: field, Param: param, Rule: rule})
}

// validate checks r, with region as the client's default region, and returns a
// *ValidationError listing every violation, or nil.
func validate(r *CreateVirtualPhysicalConnectionRequest, region string, lenient bool) error {
	if r == nil {
		return &ValidationError{Violations: []Violation{{Field: "request", Param: "-", Rule: "must not be nil"}}}
	}
	v := validator{lenient: lenient}
	v.required(r, region)
	v.name(r.Name)
	v.description(r.Description)
	v.token(r.Token)
	v.tags(r.Tags)
	if len(v.out) == 0 {
		return nil
	}
	return &ValidationError{Violations: v.out}
}

func (v *validator) required(r *CreateVirtualPhysicalConnectionRequest, region string) {
	if r.RegionID == "" && region == "" {
		v.add("RegionID", paramRegionID, "required: set it on the request or give the client a region")
	}
	if r.PhysicalConnectionID == "" {
		v.add("PhysicalConnectionID", paramPhysicalConnectionID, "required")
	}
	v.tenant(r.VpconnAliUID)
	if id, ok := r.VLANID.Value(); !ok {
		v.add("VLANID", paramVlanID, "required: set it with VLAN(n); VLAN(0) is a valid value")
	} else if id < 0 || id > maxVLANID {
		v.add("VLANID", paramVlanID, fmt.Sprintf("must be 0 to %d, got %d", maxVLANID, id))
	}
	switch {
	case r.Spec == "":
		v.add("Spec", paramSpec, "required")
	case !r.Spec.valid():
		v.add("Spec", paramSpec, fmt.Sprintf("must be one of %s, got %q", joinSpecs(), r.Spec))
	}
	switch {
	case r.OrderMode == "":
		v.add("OrderMode", paramOrderMode, "required")
	case !r.OrderMode.valid():
		v.add("OrderMode", paramOrderMode, fmt.Sprintf("must be %s or %s, got %q",
			PayByPhysicalConnectionOwner, PayByVirtualPhysicalConnectionOwner, r.OrderMode))
	}
}

func joinSpecs() string {
	specs := Specs()
	parts := make([]string, len(specs))
	for i, s := range specs {
		parts[i] = string(s)
	}
	return strings.Join(parts, " ")
}

func (v *validator) tenant(uid string) {
	const field = "VpconnAliUID"
	if uid == "" {
		v.add(field, paramVpconnAliUID, "required")
		return
	}
	for i := 0; i < len(uid); i++ {
		if uid[i] < '0' || uid[i] > '9' {
			v.add(field, paramVpconnAliUID, fmt.Sprintf("must be a decimal account ID, got %q", uid))
			return
		}
	}
	n, err := strconv.ParseInt(uid, 10, 64)
	switch {
	case err != nil:
		v.add(field, paramVpconnAliUID, fmt.Sprintf("must fit in a signed 64-bit integer, got %q", uid))
	case n == 0:
		v.add(field, paramVpconnAliUID, "must not be 0")
	}
}

func (v *validator) name(name string) {
	if name == "" {
		return
	}
	v.addAll("Name", paramName, lengthRule(name, minNameLen, maxNameLen))
	if !v.lenient {
		v.addAll("Name", paramName, nameRules(name))
	}
}

func (v *validator) description(desc string) {
	if desc == "" {
		return
	}
	v.addAll("Description", paramDescription, lengthRule(desc, minDescLen, maxDescLen))
	if !v.lenient {
		v.addAll("Description", paramDescription, descriptionRules(desc))
	}
}

func (v *validator) token(token string) {
	if token == "" {
		return
	}
	if len(token) > maxTokenLen {
		v.add("Token", paramToken, fmt.Sprintf("must be at most %d characters, got %d", maxTokenLen, len(token)))
	}
	if r, ok := firstRune(token, func(r rune) bool { return r > unicode.MaxASCII }); ok {
		v.add("Token", paramToken, fmt.Sprintf("must be ASCII, got %q", r))
	}
}

func (v *validator) tags(tags []Tag) {
	firstIndex := indexOfKey
	if len(tags) > maxTags {
		v.add("Tags", "Tag.N", fmt.Sprintf("must be at most %d tags, got %d", maxTags, len(tags)))
		// Past the limit, look duplicates up in a map: a scan of the earlier keys would make
		// validation quadratic in a list of any length.
		seen := make(map[string]int, len(tags))
		for i := len(tags) - 1; i >= 0; i-- {
			seen[tags[i].Key] = i
		}
		firstIndex = func(earlier []Tag, key string) int {
			if j := seen[key]; j < len(earlier) {
				return j
			}
			return -1
		}
	}
	for i, t := range tags {
		var keyRules []string
		if t.Key == "" {
			keyRules = append(keyRules, "required: a tag key must not be empty")
		} else {
			keyRules = append(keyRules, lengthRule(t.Key, 1, maxTagKeyLen)...)
			if !v.lenient {
				keyRules = append(keyRules, tagRules(t.Key)...)
			}
			if j := firstIndex(tags[:i], t.Key); j >= 0 {
				keyRules = append(keyRules, fmt.Sprintf("must be unique, %q is also Tags[%d].Key", t.Key, j))
			}
		}
		v.addTagRules(i, "Key", tagKeyParam, keyRules)
		if t.Value != "" {
			valueRules := lengthRule(t.Value, 0, maxTagValueLen)
			if !v.lenient {
				valueRules = append(valueRules, tagRules(t.Value)...)
			}
			v.addTagRules(i, "Value", tagValueParam, valueRules)
		}
	}
}

func (v *validator) addAll(field, param string, rules []string) {
	for _, r := range rules {
		v.add(field, param, r)
	}
}

// addTagRules adds the rules broken by part ("Key" or "Value") of the i-th tag, whose wire name
// wireName gives, naming the field only when there is one to report.
func (v *validator) addTagRules(i int, part string, wireName func(int) string, rules []string) {
	if len(rules) == 0 {
		return
	}
	v.addAll("Tags["+strconv.Itoa(i)+"]."+part, wireName(i), rules)
}

func indexOfKey(tags []Tag, key string) int {
	for i, t := range tags {
		if t.Key == key {
			return i
		}
	}
	return -1
}

// The rule functions below return the rules s breaks, or nil; they allocate only on failure.

// lengthRule checks that s is valid UTF-8 of lo to hi characters (runes, not bytes).
func lengthRule(s string, lo, hi int) []string {
	if !utf8.ValidString(s) {
		return []string{"must be valid UTF-8"}
	}
	if n := utf8.RuneCountInString(s); n < lo || n > hi {
		return []string{fmt.Sprintf("must be %d to %d characters, got %d", lo, hi, n)}
	}
	return nil
}

func nameRules(s string) []string {
	out := descriptionRules(s)
	if r, ok := firstRune(s, func(r rune) bool { return !isLetterOrDigit(r) && r != '_' && r != '-' }); ok {
		out = append(out, fmt.Sprintf("may contain only letters, digits, '_' and '-', got %q", r))
	}
	return out
}

func descriptionRules(s string) []string {
	var out []string
	if !startsWithLetter(s) {
		out = append(out, ruleStartsLetter)
	}
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		out = append(out, `must not start with "http://" or "https://"`)
	}
	return out
}

// tagRules checks the character rules shared by tag keys and non-empty tag values.
func tagRules(s string) []string {
	var out []string
	if !startsWithLetter(s) {
		out = append(out, ruleStartsLetter)
	}
	if strings.HasPrefix(s, "aliyun") || strings.HasPrefix(s, "acs:") {
		out = append(out, `must not start with "aliyun" or "acs:"`)
	}
	if strings.Contains(s, "http://") || strings.Contains(s, "https://") {
		out = append(out, `must not contain "http://" or "https://"`)
	}
	if r, ok := firstRune(s, func(r rune) bool { return !isLetterOrDigit(r) && r != '.' && r != '_' && r != '-' }); ok {
		out = append(out, fmt.Sprintf("may contain only letters, digits, '.', '_' and '-', got %q", r))
	}
	return out
}

func startsWithLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// firstRune returns the first rune of s for which bad is true.
func firstRune(s string, bad func(rune) bool) (rune, bool) {
	for _, r := range s {
		if bad(r) {
			return r, true
		}
	}
	return 0, false
}
