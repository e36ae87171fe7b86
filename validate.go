package expressconnect

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/expressconnect-go/expressconnect/internal/rules"
)

// This file is the client's side of the parameter rules: the encoder's methods for each kind
// of field. The rules themselves live in package internal/rules, which the local endpoint
// shares; these methods map them to Go fields and wire names, and write the parameters.

// nilRequest returns the error of a nil request for action.
func nilRequest(action string) error {
	return &ValidationError{Operation: action, Violations: []Violation{{Field: "request", Param: "-", Rule: "must not be nil"}}}
}

// required writes a text field that must not be empty.
func (e *encoder) required(field, param, value string) {
	if value == "" {
		e.add(field, param, "required")
		return
	}
	e.put(param, value)
}

// optional writes a text field unless it is empty, checked with rule (nil: any text).
func (e *encoder) optional(field, param, value string, rule func(string, bool) []string) {
	if value == "" {
		return
	}
	if rule != nil {
		e.add(field, param, rule(value, e.strict)...)
	}
	e.put(param, value)
}

// accountUID writes a required Alibaba Cloud account ID.
func (e *encoder) accountUID(field, param, value string) {
	e.add(field, param, rules.AccountUID(value)...)
	e.put(param, value)
}

// vlan writes a required VLANID field as VlanId.
func (e *encoder) vlan(field string, id VLANID) {
	n, ok := id.Value()
	if !ok {
		e.add(field, paramVLANID, "required: set it with VLAN(n); VLAN(0) is a valid value")
		return
	}
	e.add(field, paramVLANID, rules.VLAN(n)...)
	e.put(paramVLANID, strconv.Itoa(n))
}

// spec writes a Spec field; an empty one is reported only when required.
func (e *encoder) spec(field, param string, s Spec, required bool) {
	switch {
	case s == "" && required:
		e.add(field, param, "required")
	case s == "":
		return
	case s.Mbps() == 0:
		e.add(field, param, fmt.Sprintf("must be one of %s, got %q", joinSpecs(), s))
	}
	e.put(param, string(s))
}

func joinSpecs() string {
	parts := make([]string, len(specTable))
	for i, s := range specTable {
		parts[i] = string(s.spec)
	}
	return strings.Join(parts, " ")
}

// orderMode writes a required OrderMode field.
func (e *encoder) orderMode(field, param string, m OrderMode) {
	switch m {
	case PayByPhysicalConnectionOwner, PayByVirtualPhysicalConnectionOwner:
	case "":
		e.add(field, param, "required")
	default:
		e.add(field, param, fmt.Sprintf("must be %s or %s, got %q", PayByPhysicalConnectionOwner, PayByVirtualPhysicalConnectionOwner, m))
	}
	e.put(param, string(m))
}

// checkToken checks an idempotency token, which may be empty.
func (e *encoder) checkToken(field, param, value string) {
	e.add(field, param, rules.Token(value, e.strict)...)
}

// tags writes the tags of field (such as "Tags") as prefix.N.Key and prefix.N.Value: at most
// rules.MaxTags, each valid, with unique keys.
func (e *encoder) tags(field, prefix string, tags []Tag) {
	if len(tags) > rules.MaxTags {
		e.add(field, prefix+".N", fmt.Sprintf("must be at most %d tags, got %d", rules.MaxTags, len(tags)))
	}
	var first map[string]int
	if len(tags) > 1 {
		first = make(map[string]int, len(tags))
	}
	for i, t := range tags {
		keyParam, valueParam := tagParam(prefix, i, "Key"), tagParam(prefix, i, "Value")
		keyRules := rules.TagKey(t.Key, e.strict)
		if j, dup := first[t.Key]; dup && t.Key != "" {
			keyRules = append(keyRules, fmt.Sprintf("must be unique, %q is also %s[%d].Key", t.Key, field, j))
		} else if first != nil {
			first[t.Key] = i
		}
		if len(keyRules) > 0 {
			e.add(tagField(field, i, "Key"), keyParam, keyRules...)
		}
		if valueRules := rules.TagValue(t.Value, e.strict); len(valueRules) > 0 {
			e.add(tagField(field, i, "Value"), valueParam, valueRules...)
		}
		e.put(keyParam, t.Key)
		e.put(valueParam, t.Value)
	}
}

// tagParam returns the wire name of part ("Key" or "Value") of the i-th tag (i counts from 0;
// the wire from 1), such as "Tag.1.Key".
func tagParam(prefix string, i int, part string) string {
	return prefix + "." + strconv.Itoa(i+1) + "." + part
}

// tagField returns the Go path of part ("Key" or "Value") of the i-th tag of field, such as
// "Tags[2].Key". It is built only for a violation, since most requests have none.
func tagField(field string, i int, part string) string {
	return field + "[" + strconv.Itoa(i) + "]." + part
}

// encodeList writes a list filter as param.1, param.2, ...: at most rules.MaxListValues
// values, each following rule and written as text gives it.
func encodeList[T any](e *encoder, field, param string, values []T, rule func(T) []string, text func(T) string) {
	if len(values) > rules.MaxListValues {
		e.add(field, param+".N", fmt.Sprintf("must hold at most %d values, got %d", rules.MaxListValues, len(values)))
	}
	for i, v := range values {
		name := listParam(param, i)
		if broken := rule(v); len(broken) > 0 {
			e.add(field+"["+strconv.Itoa(i)+"]", name, broken...)
		}
		e.put(name, text(v))
	}
}

// notEmpty is the rule of a list value that must not be empty.
func notEmpty(s string) []string {
	if s == "" {
		return []string{"must not be empty"}
	}
	return nil
}

// oneOf returns the rule of a value that must be one of allowed.
func oneOf[T ~string](allowed ...T) func(T) []string {
	return func(v T) []string {
		for _, a := range allowed {
			if v == a {
				return nil
			}
		}
		parts := make([]string, len(allowed))
		for i, a := range allowed {
			parts[i] = string(a)
		}
		return []string{fmt.Sprintf("must be one of %s, got %q", strings.Join(parts, " "), v)}
	}
}

// vlanRule checks a VLANID in a list: set, and 0 to 2999.
func vlanRule(id VLANID) []string {
	n, ok := id.Value()
	if !ok {
		return []string{"must be set: build it with VLAN(n)"}
	}
	return rules.VLAN(n)
}

// identity returns s.
func identity(s string) string { return s }
