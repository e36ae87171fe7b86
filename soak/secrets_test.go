package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// testCredentials are fixed credentials with characters that encodings change.
var testCredentials = credentials{
	accessKeyID:        "LTAI5tSoakTestKey0000001",
	accessKeySecret:    "Ab+cD/eF=gH+iJ/kL=mN+oP/qR=sT+",
	stsAccessKeyID:     "STS.NUSoakTestRoleKey00000001",
	stsAccessKeySecret: "Zy+xW/vU=tS+rQ/pO=nM+lK/jI=hG+fE/dC=bA9",
	stsSecurity:        "CAISsoakTestSecurityToken+With/Slashes=AndMore0123456789abcdef==",
	adminToken:         "admin-token.soak~test+token/0001=",
}

// TestScannerFindsEveryForm checks that each secret is found raw in another letter case,
// percent-encoded once and twice, JSON-escaped and in base64 of either alphabet at each
// alignment inside a larger encoded text, and that the masked AccessKeyId and texts without a
// secret are not taken for one.
func TestScannerFindsEveryForm(t *testing.T) {
	t.Parallel()
	for _, sec := range testCredentials.secrets() {
		forms := map[string]string{
			"upper case":          strings.ToUpper(sec.value),
			"query-escaped":       url.QueryEscape(sec.value),
			"query-escaped twice": url.QueryEscape(url.QueryEscape(sec.value)),
			"path-escaped":        url.PathEscape(sec.value),
		}
		for shift := range 3 {
			around := strings.Repeat("x", shift) + sec.value + "tail"
			forms[fmt.Sprintf("base64 at %d", shift)] = base64.StdEncoding.EncodeToString([]byte(around))
			forms[fmt.Sprintf("base64url at %d", shift)] = base64.RawURLEncoding.EncodeToString([]byte(around))
		}
		for form, text := range forms {
			s := newScanner(testCredentials.secrets())
			s.scan("test", "before "+text+" after")
			_, hits, samples := s.totals()
			if hits["test"] == 0 {
				t.Errorf("%s, %s: not found in %q", sec.name, form, text)
				continue
			}
			if strings.Contains(strings.Join(samples, ""), sec.value) {
				t.Errorf("%s, %s: the evidence shows the secret: %q", sec.name, form, samples)
			}
		}
	}

	s := newScanner(testCredentials.secrets())
	s.scan("test", "credentials from WithAccessKey, AccessKeyId LTAI****0001; Token 5d1f2a9e-4b6c-4d7e-8f90-a1b2c3d4e5f6")
	if _, hits, _ := s.totals(); hits["test"] != 0 {
		t.Errorf("the masked AccessKeyId was taken for a secret")
	}
}

// TestScannerRequestLogSkipsAccessKeyIDs checks that the request log, which keeps the
// AccessKeyId on purpose, is searched for the credentials only.
func TestScannerRequestLogSkipsAccessKeyIDs(t *testing.T) {
	t.Parallel()
	s := newScanner(testCredentials.secrets())
	s.scanCredentials("log", "AccessKeyId="+testCredentials.accessKeyID)
	if _, hits, _ := s.totals(); hits["log"] != 0 {
		t.Errorf("the AccessKeyId counted in the request log")
	}
	s.scanCredentials("log", "SecurityToken="+url.QueryEscape(testCredentials.stsSecurity))
	if _, hits, _ := s.totals(); hits["log"] != 1 {
		t.Errorf("the SecurityToken was not found in the request log: %d hits", hits["log"])
	}
}

// secretError is an error whose %#v shows a field that %v does not.
type secretError struct{ hidden string }

func (e *secretError) Error() string { return "nothing to see" }

// TestScanErrorLooksAtEveryVerb checks that an error is scanned as %v, %+v and %#v each.
func TestScanErrorLooksAtEveryVerb(t *testing.T) {
	t.Parallel()
	s := newScanner(testCredentials.secrets())
	s.scanError("call", fmt.Errorf("wrapped: %w", errors.New("plain")))
	s.scanError("call", &secretError{hidden: testCredentials.accessKeySecret})
	_, hits, _ := s.totals()
	if hits["call %#v"] != 1 || hits["call %v"] != 0 {
		t.Errorf("hits %v, want one in %%#v only", hits)
	}
}

// TestMaskedHidesEverySecret checks that the evidence of a hit names the secret instead of
// showing it, in any letter case.
func TestMaskedHidesEverySecret(t *testing.T) {
	t.Parallel()
	s := newScanner(testCredentials.secrets())
	text := "a " + strings.ToLower(testCredentials.adminToken) + " b " + testCredentials.stsSecurity
	got := s.masked(text)
	if strings.Contains(strings.ToLower(got), strings.ToLower(testCredentials.adminToken)) ||
		strings.Contains(got, testCredentials.stsSecurity) {
		t.Errorf("masked(%q) = %q", text, got)
	}
	if !strings.Contains(got, "<admin token>") || !strings.Contains(got, "<STS SecurityToken>") {
		t.Errorf("masked(%q) = %q, want the secrets' names", text, got)
	}
}

// TestNewCredentialsAreUsable checks the shapes the sandbox requires of the random
// credentials.
func TestNewCredentialsAreUsable(t *testing.T) {
	t.Parallel()
	c, err := newCredentials()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.accessKeyID, "LTAI5t") || len(c.accessKeyID) != 24 || !strings.HasPrefix(c.stsSecurity, "CAIS") {
		t.Errorf("unexpected shapes: %q, %q", c.accessKeyID, c.stsSecurity)
	}
	if len(c.adminToken) < 16 || strings.Trim(c.adminToken, tokenChars) != "" {
		t.Errorf("the admin token %q breaks the sandbox's rule", c.adminToken)
	}
	if strings.Contains(c.accessKeySecret, ":") || strings.ContainsAny(c.accessKeySecret[:1], "+/=") {
		t.Errorf("the secret %q cannot follow the ':' of -access-key", c.accessKeySecret)
	}
	d, err := newCredentials()
	if err != nil {
		t.Fatal(err)
	}
	if c == d {
		t.Error("two runs got the same credentials")
	}
}
