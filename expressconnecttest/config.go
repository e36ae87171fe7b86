package expressconnecttest

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/expressconnect-go/expressconnect/internal/rules"
)

// Defaults of a Server.
const (
	// DefaultRegionID is the server's region when Config.Region is empty.
	DefaultRegionID = "cn-hangzhou"
	// DefaultAccountID is the UID of the server's account when Config.AccountID is empty.
	DefaultAccountID = "1580000000000001"
	// DefaultTerminationDelay is how long a termination takes when Config.TerminationDelay is
	// 0: 2 s on the server's clock.
	DefaultTerminationDelay = 2 * time.Second
	// RetainForever, as Config.Retention, makes the server remember deleted hosted connections
	// and used client tokens for as long as it runs: it is the longest time.Duration, some 292
	// years.
	RetainForever time.Duration = math.MaxInt64
)

// Config configures a Server. Every field is optional: the zero Config is a server in
// DefaultRegionID for DefaultAccountID, with one random AccessKey pair, random STS
// credentials, the default circuit and the admin API, on a random port of 127.0.0.1, whose
// tenant and billing act only when a test tells them to through its [Admin]. A test with the
// defaults writes
//
//	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
type Config struct {
	// Region is the server's region, the default region of its circuits and of the client
	// [Server.Client] returns. Default (""): DefaultRegionID.
	Region string
	// AccountID is the UID of the account the server's credentials belong to, which owns the
	// circuits unless they say otherwise. Default (""): DefaultAccountID.
	AccountID string
	// AccessKeys are the AccessKey pairs the server accepts: the first is the account's own
	// (the one [Server.Account] returns and [Server.Client] uses), the others belong to RAM
	// users of the account with the same rights. Default (none): one random pair.
	AccessKeys []AccessKey
	// DeniedAccessKeys are the AccessKey pairs of RAM users of the account who lack permission
	// for the operations: their correctly signed requests are answered HTTP 403 Forbidden.RAM
	// with an AccessDeniedDetail. Default: none.
	DeniedAccessKeys []AccessKey
	// STS are the STS credentials of a role in the account, which the server accepts with the
	// same rights as the account's own AccessKey. Default (the zero value): random ones, which
	// [Server.Account] returns.
	STS STSCredentials
	// Circuits are the circuits the server has besides the default circuit (DefaultCircuitID),
	// which one of them replaces when it has that ID. Each must have an ID, and no two the
	// same; [Circuit] documents the defaults of their other fields. Default: none.
	Circuits []Circuit
	// NoDefaultCircuit removes the default circuit, leaving only those of Circuits.
	NoDefaultCircuit bool
	// ForbiddenTenants are tenant UIDs that may not own hosted connections (RAM or partner
	// accounts): creating a hosted connection for one is answered Forbidden.VpconnAliUid.
	// Default: none.
	ForbiddenTenants []string
	// ClockOffset is how far the server's clock is from the system clock (positive: ahead).
	// The clock decides which Timestamps have expired, the Date header and every time the
	// server records. Default 0.
	ClockOffset time.Duration
	// AutoAccept makes the tenant accept every new hosted connection AutoAccept after its
	// creation, on the server's clock, as [Admin.Act] with TenantAccepts does. The acceptance
	// is dated at its due time and seen by the first read of the state after it; a hosted
	// connection that is no longer UnConfirmed and Allocated by then is left alone. Default
	// (0): never, so that the tenant acts only through the Admin; a test that wants the tenant
	// to accept at once gives time.Nanosecond.
	AutoAccept time.Duration
	// AutoEnable makes billing enable every accepted hosted connection AutoEnable after its
	// acceptance, on the server's clock, as [Admin.Act] with BillingEnables does. The enabling
	// is dated at its due time (the EnabledTime List reports) and seen by the first read of
	// the state after it; a hosted connection that is no longer Confirmed by then is left
	// alone. Default (0): never, so that billing acts only through the Admin; a test that
	// wants billing to enable at once gives time.Nanosecond.
	AutoEnable time.Duration
	// TerminationDelay is how long a termination takes on the server's clock: a circuit or
	// hosted connection that TerminatePhysicalConnection terminates is Terminating until the
	// delay has passed, then Terminated. As with AutoAccept, the change is seen by the first
	// read of the state after its due time. Default (0): DefaultTerminationDelay (2 s); a test
	// that wants it Terminated at once gives time.Nanosecond.
	TerminationDelay time.Duration
	// Retention is how long the server remembers a deleted hosted connection (counted from
	// its deletion) and a client token (counted from the request that first used it
	// successfully), on the server's clock: after that, the hosted connection is gone from the
	// Admin's lists and from List, and the token is free again, so that a request with it is
	// answered as a new one. The server looks for what to forget when the state is read or
	// changed, at most once every Retention/16 of its clock, so that a hosted connection or
	// token is forgotten between Retention and Retention + Retention/16 after its time.
	// Default (0): DefaultRetention (24 h); RetainForever remembers them for as long as the
	// server runs.
	Retention time.Duration
	// RequestLogSize is how many requests the server keeps for [Admin.Requests]: the last
	// RequestLogSize to arrive; older ones are dropped and counted. Default (0):
	// DefaultRequestLogSize; a negative size keeps none.
	RequestLogSize int
	// IdleTimeout is how long a keep-alive connection may wait for its next request before the
	// server closes it. Default (0): DefaultIdleTimeout.
	IdleTimeout time.Duration
	// RateLimit limits the requests of an account to each API action to RateLimit in each
	// second of the server's clock, as the service does: a request past the limit is answered
	// HTTP 400 Throttling.User with an x-ratelimit-user-api header
	// ("Limit:20,Remain:0,TimeLeft:350", the milliseconds until the second ends), and not
	// handled. Default (0): no limit.
	RateLimit int
	// Listener is where the server serves; it closes it when it is closed. Default (nil): a
	// new listener on 127.0.0.1 with a random port.
	Listener net.Listener
	// Logger receives a record for every request to the service's API once its answer is
	// decided (message "request": request_id, action, method, status, code, connection_id,
	// fault, and access_key_id masked to its first and last 4 characters) and for every
	// request to the admin API from the listener (message "admin": method, path, status). No
	// record holds a secret or a parameter's value. Logging must not block: the server calls
	// the logger before it answers. Default (nil): no log.
	Logger *slog.Logger
	// AdminToken is the admin API's token, which its clients send as "Authorization: Bearer"
	// and the token: required when Listener is not on a loopback address, optional on
	// loopback, and a wrong token is refused everywhere. It is 16 to 256 letters, digits and
	// -._~+/=. Default (""): a random token, which [Server.Admin] uses.
	AdminToken string
	// AdminAllowedHosts are host names and addresses that the admin API answers in the Host
	// and Origin headers besides localhost and loopback addresses, such as the name of the
	// server's container on a test network. Default: none.
	AdminAllowedHosts []string
	// NoAdmin turns the admin API off for the listener: every path under /_sandbox/ is
	// answered HTTP 404. [Server.Admin] still works, in process. Default false: the admin API
	// is on.
	NoAdmin bool
}

// AccessKey is an AccessKey pair the server accepts.
type AccessKey struct {
	// AccessKeyID is the AccessKey ID, without white space.
	AccessKeyID string
	// AccessKeySecret is the AccessKey secret.
	AccessKeySecret string
}

// STSCredentials are the STS credentials of a role in the server's account.
type STSCredentials struct {
	// AccessKeyID is the STS AccessKey ID, without white space.
	AccessKeyID string
	// AccessKeySecret is the STS AccessKey secret.
	AccessKeySecret string
	// SecurityToken is the SecurityToken that requests with the STS AccessKey must carry.
	SecurityToken string
}

// config is a Config checked, with its defaults applied.
type config struct {
	accountID        string
	regionID         string
	key              credential // the account's own AccessKey
	sts              credential
	creds            []credential // every credential the server accepts or denies
	circuits         []Circuit    // the configured circuits, defaults applied
	forbiddenTenants []string
	clockOffset      time.Duration
	listener         net.Listener
	logger           *slog.Logger
	requestLogSize   int
	timeouts         timeouts
	auto             autoTransitions
	retention        time.Duration // 0: forever
	rateLimit        int           // requests a second per account and action; 0: none
	admin            adminGuard
	adminOff         bool
}

// resolve checks c and returns it with its defaults applied.
func (c Config) resolve() (config, error) {
	cfg := config{
		accountID: orString(c.AccountID, DefaultAccountID), regionID: orString(c.Region, DefaultRegionID),
		forbiddenTenants: slices.Clone(c.ForbiddenTenants), clockOffset: c.ClockOffset, listener: c.Listener,
		logger: c.Logger, timeouts: defaultTimeouts(), adminOff: c.NoAdmin,
	}
	if broken := rules.AccountUID(cfg.accountID); len(broken) > 0 {
		return cfg, fmt.Errorf("AccountID %q: %s", cfg.accountID, strings.Join(broken, "; "))
	}
	for _, d := range []struct {
		name string
		d    time.Duration
	}{{"AutoAccept", c.AutoAccept}, {"AutoEnable", c.AutoEnable}, {"TerminationDelay", c.TerminationDelay},
		{"Retention", c.Retention}, {"IdleTimeout", c.IdleTimeout}} {
		if d.d < 0 {
			return cfg, fmt.Errorf("%s %v is negative", d.name, d.d)
		}
	}
	cfg.auto = autoTransitions{
		accept:    delay{after: c.AutoAccept, on: c.AutoAccept > 0},
		enable:    delay{after: c.AutoEnable, on: c.AutoEnable > 0},
		terminate: orDefault(c.TerminationDelay, DefaultTerminationDelay),
	}
	cfg.retention = orDefault(c.Retention, DefaultRetention)
	if cfg.retention == RetainForever {
		cfg.retention = 0
	}
	cfg.timeouts.idle = orDefault(c.IdleTimeout, DefaultIdleTimeout)
	if c.RateLimit < 0 {
		return cfg, fmt.Errorf("RateLimit %d is negative", c.RateLimit)
	}
	cfg.rateLimit = c.RateLimit
	switch {
	case c.RequestLogSize == 0:
		cfg.requestLogSize = DefaultRequestLogSize
	case c.RequestLogSize > 0:
		cfg.requestLogSize = c.RequestLogSize
	}
	var err error
	if cfg.creds, err = c.credentials(&cfg); err != nil {
		return cfg, err
	}
	if cfg.circuits, err = c.allCircuits(cfg.regionID, cfg.accountID); err != nil {
		return cfg, err
	}
	if cfg.admin, err = c.adminGuard(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// credentials returns every credential of c, the account's AccessKey and the STS credentials
// first (random when not given, and put in cfg), and then the other accepted keys and the
// denied ones, which get a display name.
func (c Config) credentials(cfg *config) ([]credential, error) {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	keys := c.AccessKeys
	if len(keys) == 0 {
		keys = []AccessKey{{AccessKeyID: "LTAI5t" + randomString(alnum, 18), AccessKeySecret: randomString(alnum, 30)}}
	}
	sts := c.STS
	if sts == (STSCredentials{}) {
		sts = STSCredentials{AccessKeyID: "STS.NU" + randomString(alnum, 24), AccessKeySecret: randomString(alnum, 40),
			SecurityToken: "CAIS" + randomString(alnum+"+/", 60) + "=="}
	}
	if err := checkKey("STS", sts.AccessKeyID, sts.AccessKeySecret); err != nil {
		return nil, err
	}
	if sts.SecurityToken == "" || strings.ContainsFunc(sts.SecurityToken, isSpaceOrControl) {
		return nil, errors.New("STS: the SecurityToken must be non-empty, without white space or control characters")
	}
	cfg.sts = credential{id: sts.AccessKeyID, secret: sts.AccessKeySecret, securityToken: sts.SecurityToken,
		kind: principalRole, displayName: "expressconnecttest-role"}
	creds := []credential{cfg.sts}
	for i, k := range keys {
		if err := checkKey(fmt.Sprintf("AccessKeys[%d]", i), k.AccessKeyID, k.AccessKeySecret); err != nil {
			return nil, err
		}
		creds = append(creds, credential{id: k.AccessKeyID, secret: k.AccessKeySecret, kind: principalAccount})
	}
	cfg.key = creds[1]
	for i, k := range c.DeniedAccessKeys {
		if err := checkKey(fmt.Sprintf("DeniedAccessKeys[%d]", i), k.AccessKeyID, k.AccessKeySecret); err != nil {
			return nil, err
		}
		creds = append(creds, credential{id: k.AccessKeyID, secret: k.AccessKeySecret, kind: principalDenied,
			displayName: fmt.Sprintf("restricted-user-%d@%s.onaliyun.com", i+1, cfg.accountID)})
	}
	seen := map[string]bool{}
	for _, cr := range creds {
		if seen[cr.id] {
			return nil, fmt.Errorf("AccessKey ID %q is given twice", cr.id)
		}
		seen[cr.id] = true
	}
	return creds, nil
}

// checkKey rejects an AccessKey pair that cannot work; field names it for the error, which
// never shows the secret.
func checkKey(field, id, secret string) error {
	switch {
	case id == "":
		return fmt.Errorf("%s: empty AccessKeyID", field)
	case strings.ContainsFunc(id, isSpaceOrControl):
		return fmt.Errorf("%s: AccessKeyID %q holds white space or a control character", field, id)
	case secret == "":
		return fmt.Errorf("%s: AccessKeyID %s: empty AccessKeySecret", field, id)
	case strings.ContainsFunc(secret, isSpaceOrControl):
		return fmt.Errorf("%s: AccessKeyID %s: the AccessKeySecret holds white space or a control character", field, id)
	}
	return nil
}

// allCircuits returns the circuits of c, the default one first unless c removes or replaces
// it, with their defaults applied for a server in region for account.
func (c Config) allCircuits(region, account string) ([]Circuit, error) {
	list := c.Circuits
	seen := map[string]bool{}
	for _, cc := range list {
		if seen[cc.ID] && cc.ID != "" {
			return nil, fmt.Errorf("circuit %s is given twice", cc.ID)
		}
		seen[cc.ID] = true
	}
	if !c.NoDefaultCircuit && !seen[DefaultCircuitID] {
		list = append([]Circuit{{ID: DefaultCircuitID}}, list...)
	}
	out := make([]Circuit, 0, len(list))
	for _, cc := range list {
		d, err := cc.withDefaults(region, account)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// orString returns s, or def when s is empty.
func orString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
