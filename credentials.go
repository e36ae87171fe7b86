package expressconnect

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"regexp"
	"sync"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/expressconnect-go/expressconnect/internal/keyid"
)

// credentialValues are the values one attempt signs with, and where they came from.
type credentialValues struct {
	accessKeyID     string
	accessKeySecret string
	securityToken   string
	// source names where the values came from, such as "WithAccessKey" or the
	// credentials-go provider's name; it is no secret.
	source string
}

// credentialSource is where a Client reads the credentials of each attempt.
type credentialSource interface {
	// read returns the credentials to sign with, or an error matching ErrCredentials. It
	// returns when ctx is done, whatever the source does.
	read(ctx context.Context) (credentialValues, error)
}

// staticCredentials are a fixed AccessKey pair, with a SecurityToken for STS credentials
// (WithAccessKey, WithSTSCredentials).
type staticCredentials credentialValues

func (s staticCredentials) read(context.Context) (credentialValues, error) {
	return credentialValues(s), nil
}

// describe returns where values came from and their AccessKeyId, masked, for an error that
// says the service refused them.
func (v credentialValues) describe() string {
	return "credentials from " + v.source + ", AccessKeyId " + keyid.Mask(v.accessKeyID)
}

// String names the kind of credentials and the masked AccessKeyId only.
func (s staticCredentials) String() string {
	kind := "access key"
	if s.securityToken != "" {
		kind = "STS credentials"
	}
	return kind + " " + keyid.Mask(s.accessKeyID)
}

// Format prints String for every verb, so that no verb (%#v, %d, ...) reaches the secret.
func (s staticCredentials) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.String()) }

// providerCredentials read a credentials-go Credential (WithCredential, or the default chain).
// credentials-go's providers update their cached session without a lock, so reads are
// serialized: at most one is in flight. It runs in the background, and a caller waits for it
// only until its own context ends; a read that finishes after its callers gave up still
// serves those that joined it, and the provider caches what it fetched for the next read.
type providerCredentials struct {
	cred credentials.Credential

	mu       sync.Mutex
	inflight *credentialRead
}

// credentialRead is one read of the provider; done is closed when v and err are set.
type credentialRead struct {
	done chan struct{}
	v    credentialValues
	err  error
}

func (p *providerCredentials) read(ctx context.Context) (credentialValues, error) {
	p.mu.Lock()
	r := p.inflight
	if r == nil {
		r = &credentialRead{done: make(chan struct{})}
		p.inflight = r
		go p.fetch(r)
	}
	p.mu.Unlock()
	select {
	case <-r.done:
		return r.v, r.err
	case <-ctx.Done():
		return credentialValues{}, fmt.Errorf("%w: the credential provider did not answer before the context ended: %w", ErrCredentials, ctx.Err())
	}
}

// fetch asks the provider, then ends the read.
func (p *providerCredentials) fetch(r *credentialRead) {
	defer func() {
		if v := recover(); v != nil {
			r.v, r.err = credentialValues{}, fmt.Errorf("%w: the credential provider panicked: %v", ErrCredentials, v)
		}
		p.mu.Lock()
		p.inflight = nil
		p.mu.Unlock()
		close(r.done)
	}()
	m, err := p.cred.GetCredential()
	r.v, r.err = valuesOf(m, err)
}

// valuesOf checks what a provider returned.
func valuesOf(m *credentials.CredentialModel, err error) (credentialValues, error) {
	if err != nil {
		return credentialValues{}, fmt.Errorf("%w: %w", ErrCredentials, providerError(err))
	}
	if m == nil {
		return credentialValues{}, fmt.Errorf("%w: the provider returned none", ErrCredentials)
	}
	v := credentialValues{accessKeyID: deref(m.AccessKeyId), accessKeySecret: deref(m.AccessKeySecret), securityToken: deref(m.SecurityToken),
		source: "the credentials-go provider " + cmp.Or(deref(m.ProviderName), deref(m.Type))}
	if v.accessKeyID == "" || v.accessKeySecret == "" {
		return credentialValues{}, fmt.Errorf("%w: the provider returned an empty AccessKeyId or AccessKeySecret", ErrCredentials)
	}
	return v, nil
}

// String names the provider's type only.
func (p *providerCredentials) String() string {
	return "credential provider " + deref(p.cred.GetType())
}

// Format prints String for every verb.
func (p *providerCredentials) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, p.String()) }

// defaultCredentials returns credentials-go's default chain.
func defaultCredentials() (credentialSource, error) {
	cred, err := credentials.NewCredential(nil)
	if err != nil {
		return nil, fmt.Errorf("%w: the default credential chain: %w", ErrCredentials, providerError(err))
	}
	return &providerCredentials{cred: cred}, nil
}

// secretShapedValue matches a value named like a credential in a credential provider's error
// text, as JSON ("access_key_secret": "...") or as key = value: credentials-go quotes a
// configuration file it cannot parse, whole, in its error.
var secretShapedValue = regexp.MustCompile(`(?i)([a-z_.-]*(?:secret|token|password|passwd)[a-z_.-]*["']?\s*[:=]\s*["']?)([^"'\s,;}\]]+)`)

// providerError returns the error of a credential provider with every value named like a
// credential replaced by "****": the redaction boundary knows no secret of credentials it
// could not read. It matches what err matches.
func providerError(err error) error {
	return &redactedError{msg: secretShapedValue.ReplaceAllString(err.Error(), "${1}"+redacted), err: err}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
