package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
	"github.com/expressconnect-go/expressconnect/internal/adminauth"
	"github.com/expressconnect-go/expressconnect/internal/rules"
	"github.com/expressconnect-go/expressconnect/internal/strictjson"
)

// This file is the command's configuration: its settings, typed, and their defaults; the JSON
// config file, read over them; and the parsing and checking of each value, which the config
// file, the environment and the flags (flags.go) share, so that each value is parsed once,
// when it is loaded, and the server is built from typed values.

// Limits of the settings.
const (
	// maxRequestLogSize bounds RequestLogSize, so that a typo cannot reserve gigabytes.
	maxRequestLogSize = 1_000_000
	// maxConfigBytes bounds the config file.
	maxConfigBytes = 1 << 20
	// defaultMaxConnections is how many connections the command holds open at once unless
	// MaxConnections says otherwise: each costs at most about 80 KiB (64 KiB of headers, its
	// buffers and goroutine), so 256 of them about 20 MiB, and a test suite rarely opens more
	// than a few dozen.
	defaultMaxConnections = 256
	// maxMaxConnections bounds MaxConnections.
	maxMaxConnections = 100_000
)

// settings configure the command, every value parsed and checked. The config file
// (configFile) names its fields as these are named.
type settings struct {
	// Addr is the address to listen on, host:port.
	Addr string
	// Region is the server's region and the default region of its circuits.
	Region string
	// AccountID is the UID of the account that the credentials belong to.
	AccountID string
	// AccessKeys are the accepted AccessKey pairs: the first is the account's own (the one the
	// banner prints), the others are other RAM users of the account with the same rights.
	// Empty: one random pair.
	AccessKeys []accessKey
	// DeniedAccessKeys are pairs of RAM users who lack permission (HTTP 403 Forbidden.RAM).
	DeniedAccessKeys []accessKey
	// STS are the STS credentials of a role in the account; nil: random ones.
	STS *stsCredentials
	// Circuits are the circuits besides the default one (which one of them may replace), as
	// the server takes them: a zero field stands for the server's default.
	Circuits []expressconnecttest.Circuit
	// NoDefaultCircuit removes the default circuit.
	NoDefaultCircuit bool
	// ForbiddenTenants are tenant UIDs that Create refuses (Forbidden.VpconnAliUid).
	ForbiddenTenants []string
	// ClockOffset is how far the server's clock is ahead of the system clock.
	ClockOffset time.Duration
	// AutoAccept and AutoEnable are the delays of the tenant's acceptance and billing's
	// enabling, off by default.
	AutoAccept, AutoEnable delay
	// RequestLogSize is how many requests the admin API can list.
	RequestLogSize int
	// IdleTimeout is how long a keep-alive connection may wait for its next request.
	IdleTimeout time.Duration
	// MaxConnections is how many connections the command holds open at once.
	MaxConnections int
	// Retention is how long the server remembers deleted hosted connections and used client
	// tokens; 0: for as long as it runs.
	Retention time.Duration
	// LogFormat is "text" or "json".
	LogFormat string
	// Quiet turns the log of requests off.
	Quiet bool
	// Admin turns the admin API on.
	Admin bool
	// AdminToken is the admin API's token; "": a random one at each start.
	AdminToken secret
	// AdminAllowedHosts are the host names and addresses, in lower case, that the admin API
	// answers in the Host and Origin headers besides loopback ones.
	AdminAllowedHosts []string
}

// secret is a setting that no %v, %+v or %#v of the settings shows.
type secret string

// String masks the secret.
func (s secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString masks the secret.
func (s secret) GoString() string { return s.String() }

// delay is the delay of an automatic step, or none.
type delay struct {
	after time.Duration
	on    bool
}

// String returns the delay as the settings write it: "off", or a duration.
func (d delay) String() string {
	if !d.on {
		return "off"
	}
	return d.after.String()
}

// accessKey is an AccessKey pair.
type accessKey struct {
	ID     string `json:"AccessKeyId"`
	Secret string `json:"AccessKeySecret"`
}

// String masks the secret, so that no %v or %+v of settings prints it.
func (k accessKey) String() string { return k.ID + ":" + redacted }

// GoString masks the secret, so that no %#v of settings prints it.
func (k accessKey) GoString() string { return k.String() }

// stsCredentials are STS credentials.
type stsCredentials struct {
	ID            string `json:"AccessKeyId"`
	Secret        string `json:"AccessKeySecret"`
	SecurityToken string `json:"SecurityToken"`
}

// String masks the secret and the token, so that no %v or %+v of settings prints them.
func (c stsCredentials) String() string { return c.ID + ":" + redacted + ":" + redacted }

// GoString masks the secret and the token, so that no %#v of settings prints them.
func (c stsCredentials) GoString() string { return c.String() }

// redacted stands for a secret in what the command prints about its settings.
const redacted = "****"

// newCircuit returns the circuit id as the command takes it before its other fields: every
// field zero, which the server reads as its default (expressconnecttest.Circuit documents
// them: an empty Status is Enabled, since a circuit given to the command is meant to be used).
func newCircuit(id string) expressconnecttest.Circuit {
	return expressconnecttest.Circuit{ID: id}
}

// fileCircuit is a circuit as the config file writes it (the admin API names its ID and
// region PhysicalConnectionId and RegionId; the config file keeps ID and RegionID).
type fileCircuit struct {
	ID           string                `json:"ID"`
	RegionID     string                `json:"RegionID"`
	Enabled      *bool                 `json:"Enabled"` // nil: as Status says; false: disabledStatus
	Status       expressconnect.Status `json:"Status"`  // "": Enabled, or as Enabled says
	CapacityMbps int                   `json:"CapacityMbps"`
	Quota        int                   `json:"Quota"`
	QoSBound     bool                  `json:"QoSBound"`
	Owner        string                `json:"Owner"`
}

// disabledStatus is the Status of a circuit given as not enabled (enabled=false, "Enabled":
// false): Allocated, the documented state of a circuit that is built but not yet enabled, from
// which it can still be canceled or deleted.
const disabledStatus = expressconnect.StatusAllocated

// statusOf returns the Status a circuit given with enabled (nil when not given) and status
// has, or an error when it gives both.
func statusOf(id string, enabled *bool, status expressconnect.Status) (expressconnect.Status, error) {
	switch {
	case enabled != nil && status != "":
		return status, fmt.Errorf("circuit %s: give Enabled (enabled=) or Status (status=), not both", id)
	case enabled != nil && !*enabled:
		return disabledStatus, nil
	case enabled != nil:
		return expressconnect.StatusEnabled, nil
	}
	return status, nil
}

// circuit returns c as the server takes it, enabled unless it says otherwise, and checked.
func (c fileCircuit) circuit() (expressconnecttest.Circuit, error) {
	out := newCircuit(c.ID)
	status, err := statusOf(c.ID, c.Enabled, c.Status)
	if err != nil {
		return out, err
	}
	out.Status = status
	out.RegionID, out.CapacityMbps, out.Quota, out.QoSBound, out.Owner = c.RegionID, c.CapacityMbps, c.Quota, c.QoSBound, c.Owner
	return out, checkCircuit(out)
}

// defaultSettings returns the settings before the config file, the environment and the flags:
// a quickstart needs none of them.
func defaultSettings() settings {
	return settings{
		Addr:           "127.0.0.1:8080",
		Region:         expressconnecttest.DefaultRegionID,
		AccountID:      expressconnecttest.DefaultAccountID,
		RequestLogSize: expressconnecttest.DefaultRequestLogSize,
		IdleTimeout:    expressconnecttest.DefaultIdleTimeout,
		MaxConnections: defaultMaxConnections,
		Retention:      expressconnecttest.DefaultRetention,
		LogFormat:      "text",
		Admin:          true,
	}
}

// configFile is the JSON config file: one object whose fields, all optional, are those of
// settings. A field that is absent (or null) leaves the setting as it is; a list replaces the
// whole list. Durations are written as Go writes them.
type configFile struct {
	Addr              *string         `json:"Addr"`
	Region            *string         `json:"Region"`
	AccountID         *string         `json:"AccountID"`
	AccessKeys        *[]accessKey    `json:"AccessKeys"`
	DeniedAccessKeys  *[]accessKey    `json:"DeniedAccessKeys"`
	STS               *stsCredentials `json:"STS"`
	Circuits          *[]fileCircuit  `json:"Circuits"`
	NoDefaultCircuit  *bool           `json:"NoDefaultCircuit"`
	ForbiddenTenants  *[]string       `json:"ForbiddenTenants"`
	ClockOffset       *string         `json:"ClockOffset"`
	AutoAccept        *string         `json:"AutoAccept"`
	AutoEnable        *string         `json:"AutoEnable"`
	RequestLogSize    *int            `json:"RequestLogSize"`
	IdleTimeout       *string         `json:"IdleTimeout"`
	MaxConnections    *int            `json:"MaxConnections"`
	Retention         *string         `json:"Retention"`
	LogFormat         *string         `json:"LogFormat"`
	Quiet             *bool           `json:"Quiet"`
	Admin             *bool           `json:"Admin"`
	AdminToken        *string         `json:"AdminToken"`
	AdminAllowedHosts *[]string       `json:"AdminAllowedHosts"`
}

// readConfigFile reads the JSON config file at path over s: the fields it has replace those of
// s, a list replacing the whole list. Unknown fields are refused, and so is every value that
// breaks a rule, with an error naming the file and the field.
func readConfigFile(path string, s *settings) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	if len(data) > maxConfigBytes {
		return fmt.Errorf("config file %s: larger than %d bytes", path, maxConfigBytes)
	}
	var file configFile
	if err := strictjson.Decode(data, &file); err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	if err := file.apply(s); err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	return nil
}

// apply parses and checks each field of f that is present and puts it in s, naming the field
// of the first that breaks a rule.
func (f *configFile) apply(s *settings) error {
	scalars := []struct {
		field   string
		present bool
		set     func() error
	}{
		{"Addr", f.Addr != nil, func() error { return s.setAddr(deref(f.Addr)) }},
		{"Region", f.Region != nil, func() error { return s.setRegion(deref(f.Region)) }},
		{"AccountID", f.AccountID != nil, func() error { return s.setAccountID(deref(f.AccountID)) }},
		{"ClockOffset", f.ClockOffset != nil, func() error { return s.setClockOffset(deref(f.ClockOffset)) }},
		{"AutoAccept", f.AutoAccept != nil, func() error { return setDelay(&s.AutoAccept, deref(f.AutoAccept)) }},
		{"AutoEnable", f.AutoEnable != nil, func() error { return setDelay(&s.AutoEnable, deref(f.AutoEnable)) }},
		{"RequestLogSize", f.RequestLogSize != nil, func() error { return s.setRequestLogSize(deref(f.RequestLogSize)) }},
		{"IdleTimeout", f.IdleTimeout != nil, func() error { return s.setIdleTimeout(deref(f.IdleTimeout)) }},
		{"MaxConnections", f.MaxConnections != nil, func() error { return s.setMaxConnections(deref(f.MaxConnections)) }},
		{"Retention", f.Retention != nil, func() error { return s.setRetention(deref(f.Retention)) }},
		{"LogFormat", f.LogFormat != nil, func() error { return s.setLogFormat(deref(f.LogFormat)) }},
		{"NoDefaultCircuit", f.NoDefaultCircuit != nil, func() error { s.NoDefaultCircuit = deref(f.NoDefaultCircuit); return nil }},
		{"Quiet", f.Quiet != nil, func() error { s.Quiet = deref(f.Quiet); return nil }},
		{"Admin", f.Admin != nil, func() error { s.Admin = deref(f.Admin); return nil }},
		{"AdminToken", f.AdminToken != nil, func() error { return s.setAdminToken(deref(f.AdminToken)) }},
	}
	for _, sc := range scalars {
		if !sc.present {
			continue
		}
		if err := sc.set(); err != nil {
			return fmt.Errorf("field %s: %w", sc.field, err)
		}
	}
	if f.AccessKeys != nil {
		if err := checkEach("AccessKeys", *f.AccessKeys, checkAccessKey); err != nil {
			return err
		}
		s.AccessKeys = *f.AccessKeys
	}
	if f.DeniedAccessKeys != nil {
		if err := checkEach("DeniedAccessKeys", *f.DeniedAccessKeys, checkAccessKey); err != nil {
			return err
		}
		s.DeniedAccessKeys = *f.DeniedAccessKeys
	}
	if f.STS != nil {
		if err := checkSTS(*f.STS); err != nil {
			return fmt.Errorf("field STS: %w", err)
		}
		s.STS = f.STS
	}
	if f.Circuits != nil {
		s.Circuits = make([]expressconnecttest.Circuit, 0, len(*f.Circuits))
		for i, fc := range *f.Circuits {
			c, err := fc.circuit()
			if err != nil {
				return fmt.Errorf("field Circuits[%d]: %w", i, err)
			}
			s.Circuits = append(s.Circuits, c)
		}
	}
	if f.AdminAllowedHosts != nil {
		hosts := make([]string, 0, len(*f.AdminAllowedHosts))
		for i, h := range *f.AdminAllowedHosts {
			host, err := adminauth.CheckHost(h)
			if err != nil {
				return fmt.Errorf("field AdminAllowedHosts[%d]: %w", i, err)
			}
			hosts = append(hosts, host)
		}
		s.AdminAllowedHosts = hosts
	}
	if f.ForbiddenTenants != nil {
		if err := checkEach("ForbiddenTenants", *f.ForbiddenTenants, checkUID); err != nil {
			return err
		}
		s.ForbiddenTenants = *f.ForbiddenTenants
	}
	return nil
}

// deref returns what p points to.
func deref[T any](p *T) T { return *p }

// checkEach checks every item of the list field, naming the first that breaks a rule by its
// index.
func checkEach[T any](field string, items []T, check func(T) error) error {
	for i, item := range items {
		if err := check(item); err != nil {
			return fmt.Errorf("field %s[%d]: %w", field, i, err)
		}
	}
	return nil
}

// The set methods below parse and check one setting given as text (by a flag, an environment
// variable or the config file) and put it in s. Their errors name no source: the caller does.

// setAddr sets the address to listen on.
func (s *settings) setAddr(v string) error {
	if err := checkAddr(v); err != nil {
		return err
	}
	s.Addr = v
	return nil
}

// setRegion sets the region.
func (s *settings) setRegion(v string) error {
	if err := checkRegion(v); err != nil {
		return err
	}
	s.Region = v
	return nil
}

// setAccountID sets the account.
func (s *settings) setAccountID(v string) error {
	if err := checkUID(v); err != nil {
		return err
	}
	s.AccountID = v
	return nil
}

// setClockOffset sets the clock offset, any duration.
func (s *settings) setClockOffset(v string) error {
	d, err := parseDuration(v)
	if err != nil {
		return err
	}
	s.ClockOffset = d
	return nil
}

// setIdleTimeout sets the idle timeout of keep-alive connections, a positive duration.
func (s *settings) setIdleTimeout(v string) error {
	d, err := parseDuration(v)
	if err != nil {
		return err
	}
	if d <= 0 {
		return fmt.Errorf("%q is not positive", v)
	}
	s.IdleTimeout = d
	return nil
}

// setRequestLogSize sets the size of the request log, 0 to maxRequestLogSize.
func (s *settings) setRequestLogSize(n int) error {
	if n < 0 || n > maxRequestLogSize {
		return fmt.Errorf("%d is not 0 to %d", n, maxRequestLogSize)
	}
	s.RequestLogSize = n
	return nil
}

// setRetention sets how long the server remembers deleted hosted connections and used client
// tokens, a duration that is not negative (0: for as long as it runs).
func (s *settings) setRetention(v string) error {
	d, err := parseDuration(v)
	if err != nil {
		return err
	}
	if d < 0 {
		return fmt.Errorf("%q is negative", v)
	}
	s.Retention = d
	return nil
}

// setMaxConnections sets how many connections the command holds open at once, 1 to
// maxMaxConnections.
func (s *settings) setMaxConnections(n int) error {
	if n < 1 || n > maxMaxConnections {
		return fmt.Errorf("%d is not 1 to %d", n, maxMaxConnections)
	}
	s.MaxConnections = n
	return nil
}

// setLogFormat sets the log format, text or json.
func (s *settings) setLogFormat(v string) error {
	if v != "text" && v != "json" {
		return fmt.Errorf("%q is neither text nor json", v)
	}
	s.LogFormat = v
	return nil
}

// setAdminToken sets the admin token.
func (s *settings) setAdminToken(v string) error {
	if err := adminauth.CheckToken(v); err != nil {
		return fmt.Errorf("the admin token %w", err)
	}
	s.AdminToken = secret(v)
	return nil
}

// setDelay sets *d to the delay of an automatic step: "off", or a duration that is not
// negative ("0s" is at once).
func setDelay(d *delay, v string) error {
	if v == "off" {
		*d = delay{}
		return nil
	}
	after, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("%q is neither \"off\" nor a duration such as \"30s\"", v)
	}
	if after < 0 {
		return fmt.Errorf("%q is negative", v)
	}
	*d = delay{after: after, on: true}
	return nil
}

// checkAddr checks a host:port address to listen on.
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port: %w", addr, err)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%q: the port must be a number from 0 to 65535", addr)
	}
	return nil
}

// checkRegion checks a region ID by the local endpoint's rule (rules.RegionID).
func checkRegion(region string) error {
	if broken := rules.RegionID(region); len(broken) > 0 {
		return fmt.Errorf("region %s", strings.Join(broken, "; "))
	}
	return nil
}

// checkUID checks an Alibaba Cloud account ID.
func checkUID(uid string) error {
	if broken := rules.AccountUID(uid); len(broken) > 0 {
		return fmt.Errorf("account ID %q: %s", uid, strings.Join(broken, "; "))
	}
	return nil
}

// checkAccessKey checks an AccessKey pair. It never puts the secret in its error.
func checkAccessKey(k accessKey) error {
	switch {
	case k.ID == "":
		return errors.New("empty AccessKeyId")
	case strings.ContainsFunc(k.ID, isSpaceOrControl):
		return fmt.Errorf("AccessKeyId %q holds white space or a control character", k.ID)
	case k.Secret == "":
		return fmt.Errorf("AccessKeyId %s: empty AccessKeySecret", k.ID)
	case strings.ContainsFunc(k.Secret, isSpaceOrControl):
		return fmt.Errorf("AccessKeyId %s: the AccessKeySecret holds white space or a control character", k.ID)
	}
	return nil
}

// checkSTS checks STS credentials. It never puts the secret or the token in its error.
func checkSTS(c stsCredentials) error {
	if err := checkAccessKey(accessKey{ID: c.ID, Secret: c.Secret}); err != nil {
		return err
	}
	if c.SecurityToken == "" || strings.ContainsFunc(c.SecurityToken, isSpaceOrControl) {
		return fmt.Errorf("AccessKeyId %s: the SecurityToken must be non-empty, without white space or control characters", c.ID)
	}
	return nil
}

// isSpaceOrControl reports whether r is white space or a control character, which no
// credential holds.
func isSpaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f }

// checkCircuit checks a circuit.
func checkCircuit(c expressconnecttest.Circuit) error {
	switch {
	case !strings.HasPrefix(c.ID, "pc-") || len(c.ID) > 64 ||
		strings.Trim(c.ID[min(len(c.ID), 3):], "abcdefghijklmnopqrstuvwxyz0123456789-") != "" || len(c.ID) == 3:
		return fmt.Errorf("circuit ID %q must be \"pc-\" and lower-case letters, digits or \"-\", at most 64 in all", c.ID)
	case c.CapacityMbps < 0:
		return fmt.Errorf("circuit %s: CapacityMbps %d is negative (0 means %d)", c.ID, c.CapacityMbps, expressconnecttest.DefaultCapacityMbps)
	case c.Quota < 0:
		return fmt.Errorf("circuit %s: Quota %d is negative (0 means %d)", c.ID, c.Quota, expressconnecttest.DefaultQuota)
	case c.Status != "" && !slices.ContainsFunc(circuitStatuses, func(s string) bool { return c.Status.Is(expressconnect.Status(s)) }):
		return fmt.Errorf("circuit %s: Status %q is none of the documented states: %s", c.ID, c.Status, strings.Join(circuitStatuses, ", "))
	}
	if c.RegionID != "" {
		if err := checkRegion(c.RegionID); err != nil {
			return fmt.Errorf("circuit %s: RegionID: %w", c.ID, err)
		}
	}
	if c.Owner != "" {
		if err := checkUID(c.Owner); err != nil {
			return fmt.Errorf("circuit %s: Owner: %w", c.ID, err)
		}
	}
	return nil
}

// circuitStatuses are the documented states of a circuit, in the order of the
// DescribePhysicalConnections reference.
var circuitStatuses = []string{"Initial", "Approved", "Allocating", "Allocated", "Confirmed", "Enabled",
	"Rejected", "Canceled", "Allocation Failed", "Terminating", "Terminated"}

// checkCrossFields checks the rules between settings that may come from different places
// (the file, the environment, the flags): an AccessKeyId and a circuit ID may be given only
// once.
func (s *settings) checkCrossFields() error {
	seen := map[string]string{}
	use := func(id, where string) error {
		if before, ok := seen[id]; ok {
			return fmt.Errorf("AccessKeyId %s is given twice: in %s and in %s", id, before, where)
		}
		seen[id] = where
		return nil
	}
	for _, k := range s.AccessKeys {
		if err := use(k.ID, "AccessKeys (-access-key)"); err != nil {
			return err
		}
	}
	for _, k := range s.DeniedAccessKeys {
		if err := use(k.ID, "DeniedAccessKeys (-denied-access-key)"); err != nil {
			return err
		}
	}
	if s.STS != nil {
		if err := use(s.STS.ID, "STS (-sts-access-key-id)"); err != nil {
			return err
		}
	}
	circuits := map[string]bool{}
	for _, c := range s.Circuits {
		if circuits[c.ID] {
			return fmt.Errorf("circuit %s is given twice in Circuits (-circuit)", c.ID)
		}
		circuits[c.ID] = true
	}
	return nil
}

// parseDuration parses a duration as Go writes them, such as "90s" or "-20m".
func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as \"90s\" or \"-20m\"", s)
	}
	return d, nil
}
