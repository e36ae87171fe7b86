package main

import (
	"bytes"
	"encoding/json"
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
	"github.com/expressconnect-go/expressconnect/internal/rules"
)

// This file is the command's configuration: its settings, which are also the shape of the
// JSON config file, their defaults, the reading of the file, and the checks of each value.
// flags.go sets the same settings from the command line and the environment.

// Limits of the settings.
const (
	// maxRequestLogSize bounds RequestLogSize, so that a typo cannot reserve gigabytes.
	maxRequestLogSize = 1_000_000
	// maxConfigBytes bounds the config file.
	maxConfigBytes = 1 << 20
)

// settings configure the command. Their JSON names are the config file's fields.
type settings struct {
	// Addr is the address to listen on.
	Addr string `json:"Addr"`
	// Region is the server's region and the default region of its circuits.
	Region string `json:"Region"`
	// AccountID is the UID of the account that the credentials belong to.
	AccountID string `json:"AccountID"`
	// AccessKeys are the accepted AccessKey pairs: the first is the account's own (the one the
	// banner prints), the others are other RAM users of the account with the same rights.
	// Empty: one random pair.
	AccessKeys []accessKey `json:"AccessKeys"`
	// DeniedAccessKeys are pairs of RAM users who lack permission (HTTP 403 Forbidden.RAM).
	DeniedAccessKeys []accessKey `json:"DeniedAccessKeys"`
	// STS are the STS credentials of a role in the account; nil: random ones.
	STS *stsCredentials `json:"STS"`
	// Circuits are the circuits besides the default one (which one of them may replace).
	Circuits []circuit `json:"Circuits"`
	// NoDefaultCircuit removes the default circuit.
	NoDefaultCircuit bool `json:"NoDefaultCircuit"`
	// ForbiddenTenants are tenant UIDs that Create refuses (Forbidden.VpconnAliUid).
	ForbiddenTenants []string `json:"ForbiddenTenants"`
	// ClockOffset is how far the server's clock is ahead of the system clock, a duration.
	ClockOffset string `json:"ClockOffset"`
	// AutoAccept and AutoEnable are the delays of the tenant's acceptance and billing's
	// enabling: "off" (the default) or a duration.
	AutoAccept string `json:"AutoAccept"`
	AutoEnable string `json:"AutoEnable"`
	// RequestLogSize is how many requests the admin API can list.
	RequestLogSize int `json:"RequestLogSize"`
	// IdleTimeout is how long a keep-alive connection may wait for its next request.
	IdleTimeout string `json:"IdleTimeout"`
	// LogFormat is "text" or "json".
	LogFormat string `json:"LogFormat"`
	// Quiet turns the log of requests off.
	Quiet bool `json:"Quiet"`
	// Admin turns the admin API on.
	Admin bool `json:"Admin"`
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

// circuit is a circuit of the config file and of the -circuit flag; it becomes an
// expressconnecttest.Circuit.
type circuit struct {
	ID           string                `json:"ID"`
	RegionID     string                `json:"RegionID"`
	Enabled      *bool                 `json:"Enabled"` // nil: true; false: disabledStatus
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

// testCircuit returns c as the server takes it: its Status, else Enabled unless Enabled is
// false, which is disabledStatus.
func (c circuit) testCircuit() expressconnecttest.Circuit {
	status := c.Status
	if status == "" && c.Enabled != nil && !*c.Enabled {
		status = disabledStatus
	}
	return expressconnecttest.Circuit{ID: c.ID, RegionID: c.RegionID, Status: status,
		CapacityMbps: c.CapacityMbps, Quota: c.Quota, QoSBound: c.QoSBound, Owner: c.Owner}
}

// defaultSettings returns the settings before the config file, the environment and the flags:
// a quickstart needs none of them.
func defaultSettings() settings {
	return settings{
		Addr:           "127.0.0.1:8080",
		Region:         expressconnecttest.DefaultRegionID,
		AccountID:      expressconnecttest.DefaultAccountID,
		RequestLogSize: expressconnecttest.DefaultRequestLogSize,
		ClockOffset:    "0s",
		AutoAccept:     "off",
		AutoEnable:     "off",
		IdleTimeout:    expressconnecttest.DefaultIdleTimeout.String(),
		LogFormat:      "text",
		Admin:          true,
	}
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
	if err := decodeStrict(data, s); err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	if err := s.check(); err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	return nil
}

// decodeStrict decodes the one JSON object in data into v, refusing unknown fields and
// naming the field of a value of the wrong type.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return fmt.Errorf("field %s: a JSON %s cannot be a %s", typeErr.Field, typeErr.Value, typeErr.Type)
	case err != nil:
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}

// check checks every value of s, naming the field (as the config file names it) of the first
// that breaks a rule.
func (s *settings) check() error {
	checks := []struct {
		field string
		err   error
	}{
		{"Addr", checkAddr(s.Addr)},
		{"Region", checkRegion(s.Region)},
		{"AccountID", checkUID(s.AccountID)},
		{"RequestLogSize", checkRequestLogSize(s.RequestLogSize)},
		{"ClockOffset", checkClockOffset(s.ClockOffset)},
		{"AutoAccept", checkDelay(s.AutoAccept)},
		{"AutoEnable", checkDelay(s.AutoEnable)},
		{"IdleTimeout", checkIdleTimeout(s.IdleTimeout)},
		{"LogFormat", checkLogFormat(s.LogFormat)},
	}
	for _, c := range checks {
		if c.err != nil {
			return fmt.Errorf("field %s: %w", c.field, c.err)
		}
	}
	for i, k := range s.AccessKeys {
		if err := checkAccessKey(k); err != nil {
			return fmt.Errorf("field AccessKeys[%d]: %w", i, err)
		}
	}
	for i, k := range s.DeniedAccessKeys {
		if err := checkAccessKey(k); err != nil {
			return fmt.Errorf("field DeniedAccessKeys[%d]: %w", i, err)
		}
	}
	if s.STS != nil {
		if err := checkSTS(*s.STS); err != nil {
			return fmt.Errorf("field STS: %w", err)
		}
	}
	for i, c := range s.Circuits {
		if err := checkCircuit(c); err != nil {
			return fmt.Errorf("field Circuits[%d]: %w", i, err)
		}
	}
	for i, uid := range s.ForbiddenTenants {
		if err := checkUID(uid); err != nil {
			return fmt.Errorf("field ForbiddenTenants[%d]: %w", i, err)
		}
	}
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

// checkRegion checks a region ID: lower-case letters, digits and "-", such as "cn-hangzhou".
func checkRegion(region string) error {
	if region == "" {
		return errors.New("empty region")
	}
	if len(region) > 64 || strings.Trim(region, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
		return fmt.Errorf("region %q must be at most 64 lower-case letters, digits and \"-\", such as cn-hangzhou", region)
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
func checkCircuit(c circuit) error {
	switch {
	case !strings.HasPrefix(c.ID, "pc-") || len(c.ID) > 64 ||
		strings.Trim(c.ID[min(len(c.ID), 3):], "abcdefghijklmnopqrstuvwxyz0123456789-") != "" || len(c.ID) == 3:
		return fmt.Errorf("circuit ID %q must be \"pc-\" and lower-case letters, digits or \"-\", at most 64 in all", c.ID)
	case c.CapacityMbps < 0:
		return fmt.Errorf("circuit %s: CapacityMbps %d is negative (0 means %d)", c.ID, c.CapacityMbps, expressconnecttest.DefaultCapacityMbps)
	case c.Quota < 0:
		return fmt.Errorf("circuit %s: Quota %d is negative (0 means %d)", c.ID, c.Quota, expressconnecttest.DefaultQuota)
	case c.Status != "" && c.Enabled != nil:
		return fmt.Errorf("circuit %s: give Enabled (enabled=) or Status (status=), not both", c.ID)
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

// checkRequestLogSize checks the size of the request log.
func checkRequestLogSize(n int) error {
	if n < 0 || n > maxRequestLogSize {
		return fmt.Errorf("%d is not 0 to %d", n, maxRequestLogSize)
	}
	return nil
}

// checkLogFormat checks the log format.
func checkLogFormat(format string) error {
	if format != "text" && format != "json" {
		return fmt.Errorf("%q is neither text nor json", format)
	}
	return nil
}

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

// parseDelay parses the delay of an automatic step: "off", or a duration that is not negative
// ("0s" is at once).
func parseDelay(s string) (d time.Duration, on bool, err error) {
	if s == "off" {
		return 0, false, nil
	}
	d, err = parseDuration(s)
	if err != nil {
		return 0, false, fmt.Errorf("%q is neither \"off\" nor a duration such as \"30s\"", s)
	}
	if d < 0 {
		return 0, false, fmt.Errorf("%q is negative", s)
	}
	return d, true, nil
}

// checkIdleTimeout checks the idle timeout of keep-alive connections.
func checkIdleTimeout(s string) error {
	d, err := parseDuration(s)
	if err == nil && d <= 0 {
		err = fmt.Errorf("%q is not positive", s)
	}
	return err
}

// checkClockOffset checks the clock offset.
func checkClockOffset(s string) error {
	_, err := parseDuration(s)
	return err
}

// checkDelay checks the delay of an automatic step.
func checkDelay(s string) error {
	_, _, err := parseDelay(s)
	return err
}
