package expressconnect

import (
	"fmt"
	"io"
	"sync"

	"github.com/aliyun/credentials-go/credentials"
)

// staticCredential is a fixed AccessKey pair, with a SecurityToken for STS. It implements
// credentials.Credential and never prints its secret.
type staticCredential struct {
	accessKeyID     string
	accessKeySecret string
	securityToken   string
}

var _ credentials.Credential = staticCredential{}

func (s staticCredential) GetAccessKeyId() (*string, error)     { return ptr(s.accessKeyID), nil }
func (s staticCredential) GetAccessKeySecret() (*string, error) { return ptr(s.accessKeySecret), nil }
func (s staticCredential) GetSecurityToken() (*string, error)   { return ptr(s.securityToken), nil }
func (s staticCredential) GetBearerToken() *string              { return ptr("") }
func (s staticCredential) GetType() *string                     { return ptr(s.typeName()) }

func (s staticCredential) GetCredential() (*credentials.CredentialModel, error) {
	return &credentials.CredentialModel{
		AccessKeyId:     ptr(s.accessKeyID),
		AccessKeySecret: ptr(s.accessKeySecret),
		SecurityToken:   ptr(s.securityToken),
		Type:            ptr(s.typeName()),
		ProviderName:    ptr(s.typeName()),
	}, nil
}

func (s staticCredential) typeName() string {
	if s.securityToken != "" {
		return "sts"
	}
	return "access_key"
}

// String shows the type and the masked AccessKeyId only.
func (s staticCredential) String() string {
	return fmt.Sprintf("%s credential %s", s.typeName(), maskAccessKeyID(s.accessKeyID))
}

// Format prints String for every verb, so that no verb (%#v, %d, ...) reaches the secret.
func (s staticCredential) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.String()) }

// lockedCredential serializes the calls to a provider. credentials-go's providers (the default
// chain, the ECS RAM role, RAM role ARN and OIDC providers) update their cached session without
// a lock, and a Client reads credentials from many goroutines.
type lockedCredential struct {
	mu   sync.Mutex
	cred credentials.Credential
}

func (l *lockedCredential) get() (*credentials.CredentialModel, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cred.GetCredential()
}

// String names the provider's type only.
func (l *lockedCredential) String() string {
	return "credential provider " + deref(l.cred.GetType())
}

// Format prints String for every verb.
func (l *lockedCredential) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, l.String()) }

// credentialSource is where a Client reads the credentials of each attempt.
type credentialSource interface {
	get() (*credentials.CredentialModel, error)
}

// get returns the fixed values; a staticCredential needs no lock.
func (s staticCredential) get() (*credentials.CredentialModel, error) { return s.GetCredential() }

// sourceFor returns the credentialSource of cred.
func sourceFor(cred credentials.Credential) credentialSource {
	if s, ok := cred.(staticCredential); ok {
		return s
	}
	return &lockedCredential{cred: cred}
}

func ptr(s string) *string { return &s }

// readCredential asks src for the values of one attempt.
func readCredential(src credentialSource) (credentialValues, error) {
	m, err := src.get()
	if err != nil {
		return credentialValues{}, fmt.Errorf("%w: %w", ErrCredentials, err)
	}
	if m == nil {
		return credentialValues{}, fmt.Errorf("%w: the provider returned none", ErrCredentials)
	}
	v := credentialValues{accessKeyID: deref(m.AccessKeyId), accessKeySecret: deref(m.AccessKeySecret), securityToken: deref(m.SecurityToken)}
	if v.accessKeyID == "" || v.accessKeySecret == "" {
		return credentialValues{}, fmt.Errorf("%w: the provider returned an empty AccessKeyId or AccessKeySecret", ErrCredentials)
	}
	return v, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// maskAccessKeyID keeps the first and last 4 characters of id, as logs may show.
func maskAccessKeyID(id string) string {
	if len(id) <= 8 {
		return "****"
	}
	return id[:4] + "****" + id[len(id)-4:]
}
