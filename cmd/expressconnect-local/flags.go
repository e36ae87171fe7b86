package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
	"github.com/expressconnect-go/expressconnect/internal/adminauth"
	"github.com/expressconnect-go/expressconnect/internal/rules"
)

// This file reads the settings from the command line and the environment, over the config
// file: defaults, then the config file, then the environment variables, then the flags, each
// replacing what came before (a list replacing the whole list).

// envPrefix starts the name of the environment variable of every flag:
// EXPRESSCONNECT_LOCAL_ADDR for -addr.
const envPrefix = "EXPRESSCONNECT_LOCAL_"

// envName returns the environment variable of the flag name.
func envName(name string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// environment is the environment the command reads its variables from, by name.
type environment map[string]string

// processEnvironment returns the environment of the process.
func processEnvironment() environment {
	env := environment{}
	for _, kv := range os.Environ() {
		name, value, _ := strings.Cut(kv, "=")
		env[name] = value
	}
	return env
}

// checkVariables refuses every variable of env that starts with envPrefix and is not the
// variable of one of specs, naming each with the nearest variable there is: a misspelt
// variable would otherwise be ignored without a word.
func checkVariables(specs []flagSpec, env environment) error {
	known := make([]string, 0, len(specs))
	for _, spec := range specs {
		known = append(known, envName(spec.name))
	}
	var unknown []string
	for _, name := range slices.Sorted(maps.Keys(env)) {
		if strings.HasPrefix(name, envPrefix) && !slices.Contains(known, name) {
			unknown = append(unknown, fmt.Sprintf("%s is not a variable of expressconnect-local; did you mean %s?",
				name, nearest(strings.ToUpper(name), known)))
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("%s (every variable starting with %s must name a setting: unset it, or see -h)",
			strings.Join(unknown, " "), envPrefix)
	}
	return nil
}

// nearest returns the candidate closest to name, by edit distance; the first of equals.
func nearest(name string, candidates []string) string {
	return rules.Nearest(name, candidates, len(name)+len(envPrefix)+64)
}

// flagSpec is one flag.
type flagSpec struct {
	name string
	// arg names the flag's value in the help; "" for a boolean flag.
	arg string
	// usage says what the flag sets.
	usage string
	// def is the default the help shows; "" shows none.
	def string
	// list says that the flag may be given more than once, each time with one item; its
	// environment variable holds the items separated by white space.
	list bool
	// set applies the flag's values to s: the last one for a flag that is not a list, every
	// one for a list, which replaces the list. Its error names no flag: the caller does.
	set func(s *settings, values []string) error
}

// Names of the flags that loadSettings reads itself or checks together.
const (
	flagConfig          = "config"
	flagAccessKey       = "access-key"
	flagAccessKeyID     = "access-key-id"
	flagAccessKeySecret = "access-key-secret"
)

// togetherGroups are flags that are given all or none (from the command line or the
// environment).
var togetherGroups = [][]string{
	{flagAccessKeyID, flagAccessKeySecret},
	{"sts-access-key-id", "sts-access-key-secret", "sts-security-token"},
}

// flagSpecs returns every flag, in the order the help lists them.
func flagSpecs() []flagSpec {
	d := defaultSettings()
	return []flagSpec{
		{name: flagConfig, arg: "path", usage: "JSON config file (see below); the environment and the flags override it"},
		{name: "addr", arg: "host:port", def: d.Addr,
			usage: "address to listen on; 0.0.0.0:8080 to be reached from outside a container",
			set:   scalar((*settings).setAddr)},
		{name: "region", arg: "id", def: d.Region, usage: "region of the server and the default region of its circuits",
			set: scalar((*settings).setRegion)},
		{name: "account-id", arg: "uid", def: d.AccountID, usage: "UID of the account the credentials belong to, which owns the circuits",
			set: scalar((*settings).setAccountID)},
		{name: flagAccessKey, arg: "id:secret", list: true, def: "one random pair",
			usage: "accepted AccessKey pair; repeat for more: the first is the account's own, the others RAM users with the same rights",
			set: func(s *settings, values []string) error {
				keys, err := parseKeys(values)
				s.AccessKeys = keys
				return err
			}},
		{name: flagAccessKeyID, arg: "id", usage: "with -access-key-secret: the account's own AccessKey pair, the first of -access-key",
			set: scalar(func(s *settings, v string) error {
				return checkedPut(checkAccessKey(accessKey{ID: v, Secret: "x"}), &firstKey(s).ID, v)
			})},
		{name: flagAccessKeySecret, arg: "secret", usage: "with -access-key-id: the secret of the account's own AccessKey pair",
			set: scalar(func(s *settings, v string) error {
				return checkedPut(checkAccessKey(accessKey{ID: "x", Secret: v}), &firstKey(s).Secret, v)
			})},
		{name: "denied-access-key", arg: "id:secret", list: true,
			usage: "AccessKey pair of a RAM user without permission (HTTP 403 Forbidden.RAM); repeat for more",
			set: func(s *settings, values []string) error {
				keys, err := parseKeys(values)
				s.DeniedAccessKeys = keys
				return err
			}},
		{name: "sts-access-key-id", arg: "id", def: "random", usage: "STS AccessKeyId of a role in the account (with the two below)",
			set: scalar(func(s *settings, v string) error {
				return checkedPut(checkAccessKey(accessKey{ID: v, Secret: "x"}), &stsOf(s).ID, v)
			})},
		{name: "sts-access-key-secret", arg: "secret", def: "random", usage: "STS AccessKeySecret",
			set: scalar(func(s *settings, v string) error {
				return checkedPut(checkAccessKey(accessKey{ID: "x", Secret: v}), &stsOf(s).Secret, v)
			})},
		{name: "sts-security-token", arg: "token", def: "random", usage: "STS SecurityToken",
			set: scalar(func(s *settings, v string) error {
				return checkedPut(checkSTS(stsCredentials{ID: "x", Secret: "x", SecurityToken: v}), &stsOf(s).SecurityToken, v)
			})},
		{name: "circuit", arg: "spec", list: true,
			usage: "circuit ID[,region=ID][,enabled=BOOL|status=STATUS][,capacity=MBPS][,quota=N][,qos=BOOL][,owner=UID], Enabled by default (enabled=false is Allocated); repeat for more",
			set: func(s *settings, values []string) error {
				circuits := make([]expressconnecttest.Circuit, 0, len(values))
				for _, v := range values {
					c, err := parseCircuit(v)
					if err != nil {
						return err
					}
					circuits = append(circuits, c)
				}
				s.Circuits = circuits
				return nil
			}},
		{name: "no-default-circuit", usage: "remove the default circuit " + defaultCircuitText(),
			set: boolean(func(s *settings, v bool) { s.NoDefaultCircuit = v })},
		{name: "forbidden-tenant", arg: "uid", list: true, usage: "tenant UID that Create refuses (Forbidden.VpconnAliUid); repeat for more",
			set: func(s *settings, values []string) error {
				for _, v := range values {
					if err := checkUID(v); err != nil {
						return err
					}
				}
				s.ForbiddenTenants = values
				return nil
			}},
		{name: "clock-offset", arg: "duration", def: d.ClockOffset.String(), usage: "how far the server's clock is ahead of the system clock, such as -20m",
			set: scalar((*settings).setClockOffset)},
		{name: "auto-accept", arg: "delay", def: d.AutoAccept.String(), usage: "the tenant accepts each new hosted connection after this delay (0s: at once)",
			set: scalar(func(s *settings, v string) error { return setDelay(&s.AutoAccept, v) })},
		{name: "auto-enable", arg: "delay", def: d.AutoEnable.String(), usage: "billing enables each accepted hosted connection after this delay (0s: at once)",
			set: scalar(func(s *settings, v string) error { return setDelay(&s.AutoEnable, v) })},
		{name: "request-log-size", arg: "n", def: strconv.Itoa(d.RequestLogSize),
			usage: "how many of the last requests the admin API lists (0 to " + strconv.Itoa(maxRequestLogSize) + ")",
			set:   scalar(wholeNumber((*settings).setRequestLogSize))},
		{name: "idle-timeout", arg: "duration", def: d.IdleTimeout.String(), usage: "how long a keep-alive connection may wait for its next request",
			set: scalar((*settings).setIdleTimeout)},
		{name: "retention", arg: "duration", def: d.Retention.String(),
			usage: "how long the server remembers deleted hosted connections and used client tokens (0s: as long as it runs); " +
				"Alibaba Cloud documents no window, and a day is the common practice",
			set: scalar((*settings).setRetention)},
		{name: "max-connections", arg: "n", def: strconv.Itoa(d.MaxConnections),
			usage: "how many connections the command holds open at once (1 to " + strconv.Itoa(maxMaxConnections) +
				"); another client waits until one closes",
			set: scalar(wholeNumber((*settings).setMaxConnections))},
		{name: "log-format", arg: "text|json", def: d.LogFormat, usage: "format of the log on standard error",
			set: scalar((*settings).setLogFormat)},
		{name: "quiet", usage: "do not log (the banner still goes to standard output)", set: boolean(func(s *settings, v bool) { s.Quiet = v })},
		{name: "admin", def: strconv.FormatBool(d.Admin), usage: "serve the admin API under " + adminPrefix + " (-admin=false turns it off)",
			set: boolean(func(s *settings, v bool) { s.Admin = v })},
		{name: "admin-token", arg: "token", def: "random",
			usage: "token of the admin API, sent as Authorization: Bearer token; required when the command listens beyond loopback " +
				"(such as on 0.0.0.0, as the container image does), optional on loopback; 16 to 256 letters, digits and -._~+/=",
			set: scalar(func(s *settings, v string) error { return s.setAdminToken(v) })},
		{name: "admin-allowed-hosts", arg: "host", list: true,
			usage: "host name or address, besides localhost and loopback addresses, that the admin API answers in the Host and " +
				"Origin headers, such as the name a CI network gives the sandbox; repeat for more",
			set: func(s *settings, values []string) error {
				hosts := make([]string, 0, len(values))
				for _, v := range values {
					host, err := adminauth.CheckHost(v)
					if err != nil {
						return err
					}
					hosts = append(hosts, host)
				}
				s.AdminAllowedHosts = hosts
				return nil
			}},
	}
}

// scalar returns the set function of a flag that is not a list: set parses and checks the
// last value and puts it in s.
func scalar(set func(s *settings, v string) error) func(*settings, []string) error {
	return func(s *settings, values []string) error { return set(s, last(values)) }
}

// wholeNumber returns the set function of a setting that is a whole number, given as text.
func wholeNumber(set func(s *settings, n int) error) func(*settings, string) error {
	return func(s *settings, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		return set(s, n)
	}
}

// checkedPut puts v in *dst when err, the result of checking v, is nil, and returns err.
func checkedPut(err error, dst *string, v string) error {
	if err == nil {
		*dst = v
	}
	return err
}

// boolean returns the set function of a boolean flag.
func boolean(put func(s *settings, v bool)) func(*settings, []string) error {
	return func(s *settings, values []string) error {
		v, err := strconv.ParseBool(last(values))
		if err != nil {
			return fmt.Errorf("%q is neither true nor false", last(values))
		}
		put(s, v)
		return nil
	}
}

// last returns the last of values, the one that counts for a flag given more than once.
func last(values []string) string { return values[len(values)-1] }

// firstKey returns the first of the AccessKeys of s, adding an empty one when there is none.
func firstKey(s *settings) *accessKey {
	if len(s.AccessKeys) == 0 {
		s.AccessKeys = []accessKey{{}}
	}
	return &s.AccessKeys[0]
}

// stsOf returns the STS credentials of s, adding empty ones when there are none.
func stsOf(s *settings) *stsCredentials {
	if s.STS == nil {
		s.STS = &stsCredentials{}
	}
	return s.STS
}

// parseKeys parses AccessKey pairs written id:secret.
func parseKeys(values []string) ([]accessKey, error) {
	keys := make([]accessKey, 0, len(values))
	for _, v := range values {
		id, secret, ok := strings.Cut(v, ":")
		if !ok {
			return nil, fmt.Errorf("an AccessKey pair is written id:secret, and %q has no \":\"", maskedPair(v))
		}
		k := accessKey{ID: id, Secret: secret}
		if err := checkAccessKey(k); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// maskedPair returns what an error may show of a value meant to be an id:secret pair: its
// first 4 bytes at most, as the secret may be all of it.
func maskedPair(v string) string {
	if len(v) <= 4 {
		return redacted
	}
	return v[:4] + redacted
}

// parseCircuit parses a -circuit value: ID[,key=value]... with the keys region, enabled,
// status, capacity, quota, qos and owner; the circuit is enabled unless it says otherwise.
func parseCircuit(v string) (expressconnecttest.Circuit, error) {
	parts := strings.Split(v, ",")
	c := newCircuit(parts[0])
	var enabled *bool
	for _, part := range parts[1:] {
		key, value, ok := strings.Cut(part, "=")
		if !ok {
			return c, fmt.Errorf("circuit %s: %q is not key=value", c.ID, part)
		}
		if err := setCircuitField(&c, &enabled, key, value); err != nil {
			return c, fmt.Errorf("circuit %s: %s: %w", c.ID, key, err)
		}
	}
	status, err := statusOf(c.ID, enabled, c.Status)
	if err != nil {
		return c, err
	}
	c.Status = status
	return c, checkCircuit(c)
}

// setCircuitField sets the field key of c to value; enabled= is kept in *enabled, which
// statusOf turns into a Status.
func setCircuitField(c *expressconnecttest.Circuit, enabled **bool, key, value string) error {
	var err error
	switch key {
	case "region":
		c.RegionID = value
	case "enabled":
		var b bool
		if b, err = strconv.ParseBool(value); err == nil {
			*enabled = &b
		}
	case "status":
		c.Status = expressconnect.Status(value)
	case "capacity":
		c.CapacityMbps, err = strconv.Atoi(value)
	case "quota":
		c.Quota, err = strconv.Atoi(value)
	case "qos":
		c.QoSBound, err = strconv.ParseBool(value)
	case "owner":
		c.Owner = value
	default:
		return errors.New("unknown key; the keys are region, enabled, status, capacity, quota, qos and owner")
	}
	if err != nil {
		return fmt.Errorf("%q is not a valid value", value)
	}
	return nil
}

// commandLine holds the values each flag was given on the command line, by name.
type commandLine map[string][]string

// recorder is the flag.Value of every flag: it records the values given, which loadSettings
// applies in its order of sources.
type recorder struct {
	values *[]string
	isBool bool
}

func (r recorder) String() string { return "" }

func (r recorder) Set(v string) error {
	*r.values = append(*r.values, v)
	return nil
}

func (r recorder) IsBoolFlag() bool { return r.isBool }

// parseCommandLine records the flags of specs given in args. -h and -help print the help to
// stderr and return flag.ErrHelp.
func parseCommandLine(specs []flagSpec, args []string, stderr io.Writer) (commandLine, error) {
	recorded := make(map[string]*[]string, len(specs))
	fs := flag.NewFlagSet("expressconnect-local", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { printHelp(stderr, specs) }
	for _, spec := range specs {
		recorded[spec.name] = new([]string)
		fs.Var(recorder{values: recorded[spec.name], isBool: spec.arg == ""}, spec.name, spec.usage)
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q: every setting is a flag", fs.Args())
	}
	given := commandLine{}
	for name, values := range recorded {
		if len(*values) > 0 {
			given[name] = *values
		}
	}
	return given, nil
}

// loadSettings returns the settings of args and the environment env over the config file
// over the defaults, with every value checked. Its errors name the flag, environment variable
// or config field at fault.
func loadSettings(args []string, env environment, stderr io.Writer) (settings, error) {
	s := defaultSettings()
	specs := flagSpecs()
	given, err := parseCommandLine(specs, args, stderr)
	if err != nil {
		return s, err
	}
	if err := checkVariables(specs, env); err != nil {
		return s, err
	}
	sources := resolveSources(specs, given, env)
	if src, ok := sources[flagConfig]; ok {
		if err := readConfigFile(last(src.values), &s); err != nil {
			return s, fmt.Errorf("%s: %w", src.name, err)
		}
	}
	if err := checkGroups(sources); err != nil {
		return s, err
	}
	for _, spec := range specs {
		src, ok := sources[spec.name]
		if !ok || spec.set == nil {
			continue
		}
		if err := spec.set(&s, src.values); err != nil {
			return s, fmt.Errorf("%s: %w", src.name, err)
		}
	}
	return s, s.checkCrossFields()
}

// source is where a flag's values come from: the command line or the environment.
type source struct {
	name   string // "-addr" or "EXPRESSCONNECT_LOCAL_ADDR"
	values []string
}

// resolveSources returns, for every flag given, where its values come from: the command line,
// else its environment variable when set and not empty.
func resolveSources(specs []flagSpec, given commandLine, env environment) map[string]source {
	sources := map[string]source{}
	for _, spec := range specs {
		if values, ok := given[spec.name]; ok {
			sources[spec.name] = source{name: "-" + spec.name, values: values}
			continue
		}
		value := env[envName(spec.name)]
		if strings.TrimSpace(value) == "" {
			continue
		}
		values := []string{value}
		if spec.list {
			values = strings.Fields(value)
		}
		sources[spec.name] = source{name: envName(spec.name), values: values}
	}
	return sources
}

// checkGroups checks the flags that go together, and that -access-key and -access-key-id are
// not both given.
func checkGroups(sources map[string]source) error {
	for _, group := range togetherGroups {
		var have, lack []string
		for _, name := range group {
			if src, ok := sources[name]; ok {
				have = append(have, src.name)
			} else {
				lack = append(lack, "-"+name)
			}
		}
		if len(have) > 0 && len(lack) > 0 {
			return fmt.Errorf("%s needs %s too: they go together", strings.Join(have, " and "), strings.Join(lack, " and "))
		}
	}
	if list, ok := sources[flagAccessKey]; ok {
		if id, ok := sources[flagAccessKeyID]; ok {
			return fmt.Errorf("%s and %s both set the account's AccessKey pair: give one of them", list.name, id.name)
		}
	}
	return nil
}
