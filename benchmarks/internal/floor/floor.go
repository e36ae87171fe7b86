// Package floor is the hand-written baseline the SDKs are measured against: the least a caller
// could write with net/http and the standard library to sign the request and read the answer.
// It is deliberately plain (url.Values, sort, strings.Builder, url.QueryEscape), not tuned.
package floor

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
	"time"
)

// The common parameters of an RPC call to VPC; SignedQuery's action is
// CreateVirtualPhysicalConnection.
const (
	action           = "CreateVirtualPhysicalConnection"
	version          = "2016-04-28"
	timestampLayout  = "2006-01-02T15:04:05Z"
	signatureMethod  = "HMAC-SHA1"
	signatureVersion = "1.0"
)

// SignedQuery returns the URL query of a signed request: params plus the common parameters
// (Format JSON, a fresh SignatureNonce, Timestamp now), in canonical order, followed by the
// Signature. params is not modified.
func SignedQuery(method string, params url.Values, accessKeyID, accessKeySecret string, now time.Time) string {
	return SignedQueryFor(action, method, params, accessKeyID, accessKeySecret, now)
}

// SignedQueryFor is SignedQuery for the API action act.
func SignedQueryFor(act, method string, params url.Values, accessKeyID, accessKeySecret string, now time.Time) string {
	all := make(url.Values, len(params)+8)
	for k, v := range params {
		all[k] = v
	}
	all.Set("Action", act)
	all.Set("Version", version)
	all.Set("Format", "JSON")
	all.Set("AccessKeyId", accessKeyID)
	all.Set("SignatureMethod", signatureMethod)
	all.Set("SignatureVersion", signatureVersion)
	all.Set("SignatureNonce", nonce())
	all.Set("Timestamp", now.UTC().Format(timestampLayout))
	canonical := CanonicalQuery(all)
	return canonical + "&Signature=" + PercentEncode(sign(method, canonical, accessKeySecret))
}

// Signature returns the signature of params (any Signature parameter among them is ignored)
// for an HTTP method, under accessKeySecret.
func Signature(method string, params url.Values, accessKeySecret string) string {
	return sign(method, CanonicalQuery(params), accessKeySecret)
}

// CanonicalQuery returns the parameters sorted by name, percent-encoded, joined as name=value
// pairs with "&"; a Signature parameter is left out. Only the first value of each name counts.
func CanonicalQuery(params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(PercentEncode(k))
		b.WriteByte('=')
		b.WriteString(PercentEncode(params.Get(k)))
	}
	return b.String()
}

// PercentEncode encodes s per RFC 3986 the way the RPC signature wants it: url.QueryEscape
// already keeps A-Z a-z 0-9 - _ . ~ and escapes everything else, except that it writes a
// space as "+" instead of "%20".
func PercentEncode(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// sign returns Base64(HMAC-SHA1(secret + "&", method + "&%2F&" + enc(canonical))).
func sign(method, canonical, accessKeySecret string) string {
	stringToSign := method + "&" + PercentEncode("/") + "&" + PercentEncode(canonical)
	mac := hmac.New(sha1.New, []byte(accessKeySecret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// nonce returns 16 random bytes as 32 hex digits.
func nonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
