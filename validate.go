package expressconnect

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/expressconnect-go/expressconnect/internal/rules"
)

// validator collects every violation of one request. The rules themselves live in package
// internal/rules, which the local endpoint shares; this file maps them to fields.
type validator struct {
	// strict is false under WithLenientValidation, which skips the character rules (allowed
	// characters, first letter, forbidden prefixes) and the conventions the reference does
	// not state; presence, lengths, ranges and enumerations are still checked.
	strict bool
	out    []Violation
}

// add records each rule broken by the field (Go path) with the wire name param.
func (v *validator) add(field, param string, broken ...string) {
	for _, rule := range broken {
		v.out = append(v.out, Violation{Field: field, Param: param, Rule: rule})
	}
}

// result returns a *ValidationError for the action listing the violations, or nil.
func (v *validator) result(action string) error {
	if len(v.out) == 0 {
		return nil
	}
	return &ValidationError{Operation: action, Violations: v.out}
}

// validateRequest is every request type's Validate: it checks r as given, strictly, and
// reports a nil request.
func validateRequest(r request) error {
	c := r.resolved("")
	if c == nil {
		return nilRequest(r.action())
	}
	return c.validate(true)
}

// nilRequest returns the error of a nil request for action.
func nilRequest(action string) error {
	return &ValidationError{Operation: action, Violations: []Violation{{Field: "request", Param: "-", Rule: "must not be nil"}}}
}

// region checks the RegionID field, which the client fills from its own region.
func (v *validator) region(id string) {
	if id == "" {
		v.add("RegionID", paramRegionID, "required: set it on the request or give the client a region")
	}
}

// required checks that a required text field is set.
func (v *validator) required(field, param, value string) {
	if value == "" {
		v.add(field, param, "required")
	}
}

// vlan checks a required VLANID field.
func (v *validator) vlan(field string, id VLANID) {
	n, ok := id.Value()
	if !ok {
		v.add(field, paramVLANID, "required: set it with VLAN(n); VLAN(0) is a valid value")
		return
	}
	v.add(field, paramVLANID, rules.VLAN(n)...)
}

// spec checks a Spec field; an empty one is reported only when required.
func (v *validator) spec(field, param string, s Spec, required bool) {
	switch {
	case s == "" && required:
		v.add(field, param, "required")
	case s != "" && s.Mbps() == 0:
		v.add(field, param, fmt.Sprintf("must be one of %s, got %q", joinSpecs(), s))
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

// orderMode checks a required OrderMode field.
func (v *validator) orderMode(m OrderMode) {
	switch {
	case m == "":
		v.add("OrderMode", paramOrderMode, "required")
	case !m.valid():
		v.add("OrderMode", paramOrderMode, fmt.Sprintf("must be %s or %s, got %q",
			PayByPhysicalConnectionOwner, PayByVirtualPhysicalConnectionOwner, m))
	}
}

// optional checks a text field that may be empty with rule.
func (v *validator) optional(field, param, value string, rule func(string, bool) []string) {
	if value != "" {
		v.add(field, param, rule(value, v.strict)...)
	}
}

// token checks an idempotency token field, which may be empty.
func (v *validator) token(field, param, value string) {
	v.add(field, param, rules.Token(value, v.strict)...)
}

// tags checks the tags of field (such as "Tags"), sent as prefix.N.Key and prefix.N.Value:
// at most rules.MaxTags, each valid, with unique keys.
func (v *validator) tags(field, prefix string, tags []Tag) {
	if len(tags) > rules.MaxTags {
		v.add(field, prefix+".N", fmt.Sprintf("must be at most %d tags, got %d", rules.MaxTags, len(tags)))
	}
	first := firstIndexOfKey(tags)
	for i, t := range tags {
		keyRules := rules.TagKey(t.Key, v.strict)
		if j := first(t.Key); t.Key != "" && j < i {
			keyRules = append(keyRules, fmt.Sprintf("must be unique, %q is also %s[%d].Key", t.Key, field, j))
		}
		if len(keyRules) > 0 {
			v.add(tagField(field, i, "Key"), tagParam(prefix, i, "Key"), keyRules...)
		}
		if valueRules := rules.TagValue(t.Value, v.strict); len(valueRules) > 0 {
			v.add(tagField(field, i, "Value"), tagParam(prefix, i, "Value"), valueRules...)
		}
	}
}

// tagField returns the Go path of part ("Key" or "Value") of the i-th tag of field, such as
// "Tags[2].Key". It is built only for a violation, since most requests have none.
func tagField(field string, i int, part string) string {
	return field + "[" + strconv.Itoa(i) + "]." + part
}

// firstIndexOfKey returns a function giving the index of the first tag with a key. Up to
// rules.MaxTags tags it scans them, which allocates nothing; past that it uses a map, so that
// a list of any length is checked in linear time.
func firstIndexOfKey(tags []Tag) func(key string) int {
	if len(tags) <= rules.MaxTags {
		return func(key string) int {
			for i, t := range tags {
				if t.Key == key {
					return i
				}
			}
			return -1
		}
	}
	first := make(map[string]int, len(tags))
	for i := len(tags) - 1; i >= 0; i-- {
		first[tags[i].Key] = i
	}
	return func(key string) int { return first[key] }
}
