package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/expressconnect-go/expressconnect"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// This file holds the flag types the commands share: a VLAN that knows whether it was given,
// repeatable lists, tags and closed sets of words, and the check that a flag is given at most
// once.

// vlanFlag is a --vlan style flag: an expressconnect.VLANID set through its
// encoding.TextUnmarshaler, so that a flag that is not given stays unset and is never sent as
// VLAN 0.
type vlanFlag struct {
	id *expressconnect.VLANID
}

// Set parses a decimal VLAN; empty text is refused, since it would unset the VLAN silently.
func (f vlanFlag) Set(s string) error {
	if s == "" {
		return fmt.Errorf("must be a VLAN number from 0 to 2999, got an empty value")
	}
	return f.id.UnmarshalText([]byte(s))
}

// String returns the VLAN as text, empty when unset.
func (f vlanFlag) String() string {
	b, _ := f.id.MarshalText()
	return string(b)
}

// Type names the value in the help.
func (f vlanFlag) Type() string { return "vlan" }

// vlanListFlag is a repeatable VLAN flag: each value is one VLAN.
type vlanListFlag struct {
	ids *[]expressconnect.VLANID
}

// Set adds one VLAN.
func (f vlanListFlag) Set(s string) error {
	var id expressconnect.VLANID
	if err := (vlanFlag{&id}).Set(s); err != nil {
		return err
	}
	*f.ids = append(*f.ids, id)
	return nil
}

// String returns the VLANs separated by commas.
func (f vlanListFlag) String() string {
	parts := make([]string, len(*f.ids))
	for i, id := range *f.ids {
		parts[i] = id.String()
	}
	return strings.Join(parts, ",")
}

// Type names the value in the help.
func (f vlanListFlag) Type() string { return "vlan" }

// repeatable marks the flag as one that may be given more than once.
func (f vlanListFlag) repeatable() {}

// stringListFlag is a repeatable flag of words: each value is one item, kept as given.
type stringListFlag struct {
	items *[]string
	name  string
}

// Set adds one item; an empty one is refused.
func (f stringListFlag) Set(s string) error {
	if s == "" {
		return fmt.Errorf("must not be empty")
	}
	*f.items = append(*f.items, s)
	return nil
}

// String returns the items separated by commas.
func (f stringListFlag) String() string { return strings.Join(*f.items, ",") }

// Type names the value in the help.
func (f stringListFlag) Type() string { return f.name }

// repeatable marks the flag as one that may be given more than once.
func (f stringListFlag) repeatable() {}

// tagsFlag is the repeatable --tag KEY=VALUE flag.
type tagsFlag struct {
	tags *[]expressconnect.Tag
}

// Set adds the tag KEY=VALUE; the value may be empty ("KEY="), the "=" may not be left out.
func (f tagsFlag) Set(s string) error {
	key, value, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("must be KEY=VALUE (an empty value is written KEY=), got %q", s)
	}
	*f.tags = append(*f.tags, expressconnect.Tag{Key: key, Value: value})
	return nil
}

// String returns the tags separated by commas.
func (f tagsFlag) String() string {
	parts := make([]string, len(*f.tags))
	for i, t := range *f.tags {
		parts[i] = t.Key + "=" + t.Value
	}
	return strings.Join(parts, ",")
}

// Type names the value in the help.
func (f tagsFlag) Type() string { return "key=value" }

// repeatable marks the flag as one that may be given more than once.
func (f tagsFlag) repeatable() {}

// choiceFlag is a flag whose value is one of a closed set of words, matched exactly.
type choiceFlag struct {
	value   *string
	choices []string
}

// Set accepts one of the choices.
func (f choiceFlag) Set(s string) error {
	if !slices.Contains(f.choices, s) {
		return fmt.Errorf("must be one of %s, got %q", strings.Join(f.choices, ", "), s)
	}
	*f.value = s
	return nil
}

// String returns the value.
func (f choiceFlag) String() string { return *f.value }

// Type lists the choices in the help.
func (f choiceFlag) Type() string { return strings.Join(f.choices, "|") }

// addChoice defines the flag name on cmd with its choices, which shell completion offers.
func addChoice(cmd *cobra.Command, value *string, name, usage string, choices ...string) {
	cmd.Flags().Var(choiceFlag{value: value, choices: choices}, name, usage)
	completeWith(cmd, name, choices...)
}

// completeWith makes shell completion offer values for the flag name of cmd.
func completeWith(cmd *cobra.Command, name string, values ...string) {
	_ = cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// onceFlag refuses a second value for a flag that takes one, so that "--vlan 100 --vlan 200"
// is an error rather than a silent choice of the last.
type onceFlag struct {
	pflag.Value
	name string
	seen bool
}

// Set sets the value the first time and refuses any later one.
func (f *onceFlag) Set(s string) error {
	if f.seen {
		return fmt.Errorf("given more than once (again as %q): give --%s once", s, f.name)
	}
	f.seen = true
	return f.Value.Set(s)
}

// Type is the wrapped flag's, so that completion and help are unchanged.
func (f *onceFlag) Type() string { return f.Value.Type() }

// repeatableFlag is implemented by the flag types that may be given more than once.
type repeatableFlag interface{ repeatable() }

// giveOnce wraps every flag of fs that takes a single value, booleans and the repeatable ones
// aside, in onceFlag.
func giveOnce(fs *pflag.FlagSet) {
	fs.VisitAll(func(f *pflag.Flag) {
		if _, ok := f.Value.(repeatableFlag); ok || f.Value.Type() == "bool" {
			return
		}
		if _, ok := f.Value.(*onceFlag); ok {
			return
		}
		f.Value = &onceFlag{Value: f.Value, name: f.Name}
	})
}

// flagAliases are the long names accepted for a flag besides its own: the kebab-case names of
// the API's parameters, for operators who know those.
var flagAliases = map[string]string{
	"physical-connection-id":         "circuit",
	"vpconn-ali-uid":                 "tenant",
	"vlan-id":                        "vlan",
	"virtual-physical-connection-id": "id",
	"client-token":                   "token",
	"resource-group-id":              "resource-group",
}

// normalizeAliases maps an alias to its flag's name, for pflag's SetNormalizeFunc.
func normalizeAliases(_ *pflag.FlagSet, name string) pflag.NormalizedName {
	if to, ok := flagAliases[name]; ok {
		return pflag.NormalizedName(to)
	}
	return pflag.NormalizedName(name)
}

// given reports whether the flag name was given on cmd's command line.
func given(cmd *cobra.Command, name string) bool {
	f := cmd.Flags().Lookup(name)
	return f != nil && f.Changed
}

// usageError is a command line that cannot be run as given: nothing was sent.
type usageError struct {
	msg string
}

// Error returns the message.
func (e *usageError) Error() string { return e.msg }

// usagef returns a usageError.
func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// requireFlags returns a usageError naming every flag of names that cmd was not given, with
// why each is needed (from why, by name, else the flag's usage).
func requireFlags(cmd *cobra.Command, why map[string]string, names ...string) error {
	var missing []string
	for _, name := range names {
		if given(cmd, name) {
			continue
		}
		reason := why[name]
		if reason == "" {
			if f := cmd.Flags().Lookup(name); f != nil {
				reason = f.Usage
			}
		}
		missing = append(missing, fmt.Sprintf("--%s (%s)", name, reason))
	}
	if len(missing) == 0 {
		return nil
	}
	return usagef("missing required flags: %s", strings.Join(missing, "; "))
}

// onlyWith returns a usageError when a flag of names is given without the flag needed.
func onlyWith(cmd *cobra.Command, needed string, names ...string) error {
	if given(cmd, needed) {
		return nil
	}
	for _, name := range names {
		if given(cmd, name) {
			return usagef("--%s applies only with --%s", name, needed)
		}
	}
	return nil
}

// notTogether returns a usageError when both flags a and b are given, with why.
func notTogether(cmd *cobra.Command, a, b, why string) error {
	if given(cmd, a) && given(cmd, b) {
		return usagef("--%s and --%s cannot be given together: %s", a, b, why)
	}
	return nil
}
