package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/internal/localsign"
)

// nonce returns a fresh SignatureNonce.
func nonce(t *testing.T) string {
	t.Helper()
	var b [16]byte
	_, err := rand.Read(b[:])
	require.NoError(t, err)
	return hex.EncodeToString(b[:])
}

// TestLogsNeverShowSecrets runs the command in each format with fixed credentials, sends
// requests that carry every secret (AccessKey, STS token, signature of either version; a wrong
// signature whose answer repeats the string to sign) and admin requests, and checks that the log shows none
// of them while the banner does show the credentials.
func TestLogsNeverShowSecrets(t *testing.T) {
	t.Parallel()
	const (
		keyID, keySecret    = "LTAI5tLogCheck0001", "topsecret-account"
		stsID, stsSecret    = "STS.NULogCheck0001", "topsecret-sts"
		stsToken            = "CAIStopsecret+token/=="
		deniedID, deniedKey = "LTAI5tLogDenied01", "topsecret-denied"
	)
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			r := startRun(t, noEnv, "-log-format", format, "-access-key", keyID+":"+keySecret,
				"-denied-access-key", deniedID+":"+deniedKey, "-sts-access-key-id", stsID,
				"-sts-access-key-secret", stsSecret, "-sts-security-token", stsToken)
			assert.Contains(t, r.stdout.String(), keySecret, "the banner prints the credentials")
			assert.Contains(t, r.stdout.String(), stsToken, "the banner prints the credentials")

			var signatures []string
			send := func(id, secret, token, action string, wrongSignature bool) {
				params := url.Values{"Action": {action}, "Version": {"2016-04-28"}, "Format": {"JSON"},
					"AccessKeyId": {id}, "SignatureMethod": {"HMAC-SHA1"}, "SignatureVersion": {"1.0"},
					"SignatureNonce": {nonce(t)}, "Timestamp": {time.Now().UTC().Format("2006-01-02T15:04:05Z")},
					"RegionId": {"cn-hangzhou"}}
				if token != "" {
					params.Set("SecurityToken", token)
				}
				sig := localsign.Sign(http.MethodPost, params, secret)
				if wrongSignature {
					sig = localsign.Sign(http.MethodPost, params, "wrong")
				}
				signatures = append(signatures, sig)
				params.Set("Signature", sig)
				resp, err := http.Post(r.banner.url+"/?"+params.Encode(), "", nil)
				require.NoError(t, err)
				_, _ = io.Copy(io.Discard, resp.Body)
				require.NoError(t, resp.Body.Close())
			}
			sendV3 := func(id, secret, token string) {
				req, err := http.NewRequest(http.MethodPost, r.banner.url+"/?RegionId=cn-hangzhou", nil)
				require.NoError(t, err)
				req.Header.Set("x-acs-action", "ListVirtualPhysicalConnections")
				req.Header.Set("x-acs-version", "2016-04-28")
				req.Header.Set("x-acs-date", time.Now().UTC().Format("2006-01-02T15:04:05Z"))
				req.Header.Set("x-acs-signature-nonce", nonce(t))
				req.Header.Set("x-acs-content-sha256", localsign.HashedPayload(nil))
				req.Header.Set("x-acs-security-token", token)
				localsign.SignV3(req, nil, id, secret)
				_, sig, ok := strings.Cut(req.Header.Get("Authorization"), "Signature=")
				require.True(t, ok)
				signatures = append(signatures, sig)
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				_, _ = io.Copy(io.Discard, resp.Body)
				require.NoError(t, resp.Body.Close())
				require.Equal(t, http.StatusOK, resp.StatusCode)
			}
			sendV3(stsID, stsSecret, stsToken)
			send(keyID, keySecret, "", "ListVirtualPhysicalConnections", false)
			send(stsID, stsSecret, stsToken, "ListVirtualPhysicalConnections", false)
			send(stsID, stsSecret, stsToken, "ListVirtualPhysicalConnections", true)
			send(deniedID, deniedKey, "", "ListVirtualPhysicalConnections", false)
			adminCall(t, r.banner.url, http.MethodGet, "/_sandbox/requests", "")
			require.NoError(t, r.stop())

			log := r.stderr.String()
			assert.Equal(t, 5, strings.Count(log, "ListVirtualPhysicalConnections"), "a line per request: %s", log)
			assert.Contains(t, log, "STS.****0001", "the AccessKeyId masked")
			for _, secret := range append([]string{keySecret, stsSecret, stsToken, url.QueryEscape(stsToken), deniedKey, keyID, stsID}, signatures...) {
				assert.NotContains(t, log, secret)
			}
			for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
				if format == "json" {
					assert.True(t, json.Valid([]byte(line)), "a JSON line: %s", line)
				} else {
					assert.Regexp(t, `^time=\S+ level=\w+ msg=`, line)
				}
			}
		})
	}
}

// TestQuietLogsNothing checks that -quiet leaves standard error empty.
func TestQuietLogsNothing(t *testing.T) {
	t.Parallel()
	r := startRun(t, noEnv, "-quiet")
	createWith(t, r.banner)
	adminCall(t, r.banner.url, http.MethodGet, "/_sandbox/connections", "")
	require.NoError(t, r.stop())
	assert.Empty(t, r.stderr.String())
}
