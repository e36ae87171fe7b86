package expressconnecttest

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/expressconnect-go/expressconnect/internal/rules"
)

// Defaults of a Server.
const (
	// DefaultRegionID is the server's region unless WithRegion says otherwise.
	DefaultRegionID = "cn-hangzhou"
	// DefaultAccountID is the UID of the server's account unless WithAccountID says otherwise.
	DefaultAccountID = "1580000000000001"
)

// Option configures a Server.
type Option func(*config) error

// config is what the options set.
type config struct {
	accountID        string
	regionID         string
	key              credential
	sts              credential
	denied           []credential
	additional       []credential
	pathHandlers     []pathHandler
	circuits         []Circuit
	noDefaultCircuit bool
	forbiddenTenants []string
	clockOffset      time.Duration
	listener         net.Listener
	observer         func(Request)
	requestLogSize   int
	timeouts         timeouts
	auto             autoTransitions
	retention        time.Duration
	rateLimit        int
}

// defaultConfig returns the configuration before options: random credentials, the default
// account and region.
func defaultConfig() config {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	return config{
		accountID:      DefaultAccountID,
		regionID:       DefaultRegionID,
		requestLogSize: DefaultRequestLogSize,
		retention:      DefaultRetention,
		timeouts:       defaultTimeouts(),
		auto:           autoTransitions{terminate: defaultTerminationDelay},
		key: credential{id: "LTAI5t" + randomString(alnum, 18), secret: randomString(alnum, 30),
			kind: principalAccount},
		sts: credential{id: "STS.NU" + randomString(alnum, 24), secret: randomString(alnum, 40),
			securityToken: "CAIS" + randomString(alnum+"+/", 60) + "==", kind: principalRole,
			displayName: "expressconnecttest-role"},
	}
}

// WithRegion sets the server's region, the default region of its circuits and of the client
// Server.Client returns. Default: DefaultRegionID.
func WithRegion(regionID string) Option {
	return func(c *config) error {
		if regionID == "" {
			return errors.New("expressconnecttest: empty region")
		}
		c.regionID = regionID
		return nil
	}
}

// WithAccountID sets the UID of the account the server's credentials belong to, which owns
// the circuits by default. Default: DefaultAccountID.
func WithAccountID(uid string) Option {
	return func(c *config) error {
		if broken := rules.AccountUID(uid); len(broken) > 0 {
			return fmt.Errorf("expressconnecttest: account ID %q: %s", uid, strings.Join(broken, "; "))
		}
		c.accountID = uid
		return nil
	}
}

// WithAccessKey sets the AccessKey pair of the server's account. Default: a random pair.
func WithAccessKey(id, secret string) Option {
	return func(c *config) error {
		if err := checkKey(id, secret); err != nil {
			return err
		}
		c.key.id, c.key.secret = id, secret
		return nil
	}
}

// WithSTSCredentials sets the STS credentials (AccessKey pair and SecurityToken) of a role in
// the server's account. Default: a random triple.
func WithSTSCredentials(id, secret, securityToken string) Option {
	return func(c *config) error {
		if err := checkKey(id, secret); err != nil {
			return err
		}
		if securityToken == "" {
			return errors.New("expressconnecttest: empty SecurityToken")
		}
		c.sts.id, c.sts.secret, c.sts.securityToken = id, secret, securityToken
		return nil
	}
}

// WithDeniedAccessKey adds the AccessKey pair of a RAM user of the server's account that lacks
// permission for the operation: its correctly signed requests are answered HTTP 403
// Forbidden.RAM with an AccessDeniedDetail.
func WithDeniedAccessKey(id, secret string) Option {
	return func(c *config) error {
		if err := checkKey(id, secret); err != nil {
			return err
		}
		c.denied = append(c.denied, credential{id: id, secret: secret, kind: principalDenied})
		return nil
	}
}

// WithAdditionalAccessKey adds an AccessKey pair that the server accepts besides the one of
// [WithAccessKey], with the same permissions: that of another RAM user of the server's account
// allowed to call the operations. Give it once for each pair. Default: none.
func WithAdditionalAccessKey(id, secret string) Option {
	return func(c *config) error {
		if err := checkKey(id, secret); err != nil {
			return err
		}
		c.additional = append(c.additional, credential{id: id, secret: secret, kind: principalAccount})
		return nil
	}
}

// WithCircuit adds a circuit, or replaces the default circuit when c.ID is DefaultCircuitID.
func WithCircuit(c Circuit) Option {
	return func(cfg *config) error {
		if c.ID == "" {
			return errors.New("expressconnecttest: circuit has no ID")
		}
		for _, have := range cfg.circuits {
			if have.ID == c.ID {
				return fmt.Errorf("expressconnecttest: circuit %s given twice", c.ID)
			}
		}
		cfg.circuits = append(cfg.circuits, c)
		return nil
	}
}

// WithoutDefaultCircuit removes the default circuit, leaving only those of WithCircuit.
func WithoutDefaultCircuit() Option {
	return func(c *config) error {
		c.noDefaultCircuit = true
		return nil
	}
}

// WithForbiddenTenant makes the tenant UIDs forbidden owners of hosted connections (RAM or
// partner accounts): creating a hosted connection for one is answered Forbidden.VpconnAliUid.
func WithForbiddenTenant(uids ...string) Option {
	return func(c *config) error {
		c.forbiddenTenants = append(c.forbiddenTenants, uids...)
		return nil
	}
}

// WithClockOffset sets how far the server's clock is from the system clock (positive: ahead).
// The clock decides which Timestamps have expired and the Date header. Default 0.
func WithClockOffset(d time.Duration) Option {
	return func(c *config) error {
		c.clockOffset = d
		return nil
	}
}

// WithListener makes the server serve on l instead of a new listener on 127.0.0.1 with a
// random port. The server closes l when it is closed.
func WithListener(l net.Listener) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("expressconnecttest: nil listener")
		}
		c.listener = l
		return nil
	}
}

// WithRequestObserver makes the server call fn with the record of every request, once its
// answer is decided and before it is sent. fn may be called from several goroutines at once
// and must not block. Default: none.
func WithRequestObserver(fn func(Request)) Option {
	return func(c *config) error {
		c.observer = fn
		return nil
	}
}

// WithRequestLogSize sets how many requests the server keeps for [Server.Requests]: the last n
// to arrive. Older ones are dropped and counted by [Server.DroppedRequests]; 0 keeps none.
// Default: [DefaultRequestLogSize].
func WithRequestLogSize(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("expressconnecttest: request log size %d is negative", n)
		}
		c.requestLogSize = n
		return nil
	}
}

// WithIdleTimeout sets how long a keep-alive connection may wait for its next request before
// the server closes it. Default: [DefaultIdleTimeout].
func WithIdleTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("expressconnecttest: idle timeout %v is not positive", d)
		}
		c.timeouts.idle = d
		return nil
	}
}

// WithAutoAccept makes the tenant accept every new hosted connection d after its creation, on
// the server's clock, as [Server.AcceptAsTenant] does (0 accepts it at once). The acceptance
// is dated at its due time and seen by the first read of the state after it; a hosted
// connection that is no longer UnConfirmed and Allocated by then is left alone. Default: no
// automatic acceptance.
func WithAutoAccept(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("expressconnecttest: WithAutoAccept: negative delay %v", d)
		}
		c.auto.accept = delay{after: d, on: true}
		return nil
	}
}

// WithAutoEnable makes billing enable every accepted hosted connection d after its acceptance,
// on the server's clock, as [Server.EnableAsBilling] does (0 enables it at once). The enabling
// is dated at its due time (the EnabledTime List reports) and seen by the first read of the
// state after it; a hosted connection that is no longer Confirmed by then is left alone.
// Default: no automatic enabling.
func WithAutoEnable(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("expressconnecttest: WithAutoEnable: negative delay %v", d)
		}
		c.auto.enable = delay{after: d, on: true}
		return nil
	}
}

// WithTerminationDelay sets how long a termination takes on the server's clock: a circuit or
// hosted connection that TerminatePhysicalConnection or [Server.Terminate] terminates is
// Terminating until d has passed, then Terminated (0 makes it Terminated at once). As with
// [WithAutoAccept], the change is seen by the first read of the state after its due time.
// Default: 2 s.
func WithTerminationDelay(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("expressconnecttest: WithTerminationDelay: negative delay %v", d)
		}
		c.auto.terminate = d
		return nil
	}
}

// WithRateLimit makes the server limit the requests of an account to each API action to
// perSecond in each second of its clock, as the service does: a request past the limit is
// answered HTTP 400 Throttling.User with an x-ratelimit-user-api header
// ("Limit:20,Remain:0,TimeLeft:350", the milliseconds until the second ends), and not handled.
// Default: 0, no limit.
func WithRateLimit(perSecond int) Option {
	return func(c *config) error {
		if perSecond < 0 {
			return fmt.Errorf("expressconnecttest: WithRateLimit: negative rate %d", perSecond)
		}
		c.rateLimit = perSecond
		return nil
	}
}

// checkKey rejects AccessKey pairs that cannot work.
func checkKey(id, secret string) error {
	if id == "" || secret == "" {
		return errors.New("expressconnecttest: empty AccessKey ID or secret")
	}
	if strings.ContainsAny(id, " \t\r\n") {
		return fmt.Errorf("expressconnecttest: AccessKey ID %q contains white space", id)
	}
	return nil
}

// credentials returns every AccessKey of the configuration, giving denied keys a display name.
func (c config) credentials() ([]credential, error) {
	creds := append([]credential{c.key, c.sts}, c.additional...)
	for i, d := range c.denied {
		d.displayName = fmt.Sprintf("restricted-user-%d@%s.onaliyun.com", i+1, c.accountID)
		creds = append(creds, d)
	}
	seen := map[string]bool{}
	for _, cr := range creds {
		if seen[cr.id] {
			return nil, fmt.Errorf("expressconnecttest: AccessKey ID %q given twice", cr.id)
		}
		seen[cr.id] = true
	}
	return creds, nil
}

// allCircuits returns the circuits of the configuration with their defaults applied.
func (c config) allCircuits() ([]Circuit, error) {
	list := c.circuits
	replacesDefault := false
	for _, cc := range list {
		replacesDefault = replacesDefault || cc.ID == DefaultCircuitID
	}
	if !c.noDefaultCircuit && !replacesDefault {
		list = append([]Circuit{{ID: DefaultCircuitID}}, list...)
	}
	out := make([]Circuit, 0, len(list))
	for _, cc := range list {
		d, err := cc.withDefaults(c.regionID, c.accountID)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}
