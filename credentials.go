package expressconnect

import (
	"fmt"

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

// GoString is String, so that %#v hides the secret too.
func (s staticCredential) GoString() string { return s.String() }

func ptr(s string) *string { return &s }

// readCredential asks cred for the values of one attempt.
func readCredential(cred credentials.Credential) (credentialValues, error) {
	m, err := cred.GetCredential()
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
