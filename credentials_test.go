package expressconnect

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCredentialProviderErrorHidesSecrets gives the default chain an aliyun CLI configuration
// it cannot parse, holding a secret: credentials-go quotes the file in its error, and the
// client's error keeps the rest of the text but not the secret. It sets the environment, so
// it is not parallel.
func TestCredentialProviderErrorHidesSecrets(t *testing.T) {
	const secret = "Sup3rS3cretValue-do-not-print"
	dir := t.TempDir()
	config := filepath.Join(dir, "config.json")
	broken := `{"current": "default", "profiles": [{"name": "default", "mode": "AK", "access_key_id": "LTAI5tLeakCheck0001",` +
		` "access_key_secret": "` + secret + `", "sts_token": "` + secret + `-sts", "region_id": "cn-hangzhou"}` // not closed
	require.NoError(t, os.WriteFile(config, []byte(broken), 0o600))
	for _, name := range []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
		"ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "ALIBABA_CLOUD_CREDENTIALS_URI"} {
		t.Setenv(name, "")
	}
	t.Setenv("ALIBABA_CLOUD_CONFIG_FILE", config)
	t.Setenv("ALIBABA_CLOUD_CREDENTIALS_FILE", filepath.Join(dir, "none"))
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	t.Setenv("HOME", dir)

	c, err := NewClient(WithRegion("cn-hangzhou"), WithEndpoint(fixtureClosedURL(t)))
	if err == nil {
		_, err = c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
	}
	require.ErrorIs(t, err, ErrCredentials)
	for _, form := range append([]string{err.Error()}, canaryFormats(err)...) {
		assert.NotContains(t, form, secret)
	}
	assert.Contains(t, err.Error(), "access_key_secret", "the rest of the text is kept")
}

func TestProviderErrorShapes(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"JSON", `bad {"access_key_secret": "abc123", "access_key_id": "LTAI"}`, `bad {"access_key_secret": "****", "access_key_id": "LTAI"}`},
		{"ini", "access_key_secret = abc123\ntype = access_key", "access_key_secret = ****\ntype = access_key"},
		{"camel case", "AccessKeySecret: abc123, SecurityToken: xyz", "AccessKeySecret: ****, SecurityToken: ****"},
		{"nothing secret", "no provider in the chain answered", "no provider in the chain answered"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, providerError(errorString(tc.in)).Error())
		})
	}
}

// errorString is an error with a fixed text.
type errorString string

func (e errorString) Error() string { return string(e) }
