// Package localsign is the local endpoint's own implementation of Alibaba Cloud's request
// signatures, the RPC signature (HMAC-SHA1, version 1.0) and the V3 signature
// (ACS3-HMAC-SHA256), written from the published rules. It does not call the client's signer,
// so that each can catch the other's mistakes: package expressconnecttest verifies requests
// with it, and the tests of the command, the benchmarks and the interop module sign and check
// requests with it.
package localsign

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/url"
	"sort"
	"strings"
)

// This file is the RPC signature, version 1.0, written from the published rules (sort by name,
// RFC 3986 percent-encoding, StringToSign = METHOD&%2F&enc(canonicalized query), HMAC-SHA1
// keyed with AccessKeySecret + "&").

// signatureParam is the name of the parameter that carries the signature.
const signatureParam = "Signature"

// ErrMissingSignature is returned by VerifySignature when params has no Signature.
var ErrMissingSignature = errors.New("localsign: request has no Signature parameter")

// SignatureError is returned by VerifySignature when the signature does not match. It holds the
// string the server signed, which the service also reports in its message, so that a wrong
// secret (same string on both sides) can be told from a canonicalization bug (different
// strings). Its Error method does not print the string, which contains every parameter value,
// a SecurityToken included.
type SignatureError struct {
	// StringToSign is the server's string to sign.
	StringToSign string
}

// Error says that the signature does not match.
func (e *SignatureError) Error() string {
	return "localsign: signature does not match the server's calculation (see StringToSign)"
}

// VerifySignature checks the Signature in params (URL query and form parameters together)
// against the HMAC-SHA1 signature of the request computed with accessKeySecret. method is the
// HTTP method ("POST" or "GET"). It returns nil when the signature matches, ErrMissingSignature
// when there is none, and a *SignatureError otherwise.
func VerifySignature(method string, params url.Values, accessKeySecret string) error {
	got, ok := params[signatureParam]
	if !ok || len(got) == 0 || got[0] == "" {
		return ErrMissingSignature
	}
	sts := StringToSign(method, params)
	want := signString(accessKeySecret, sts)
	if len(got) != 1 || subtle.ConstantTimeCompare([]byte(got[0]), []byte(want)) != 1 {
		return &SignatureError{StringToSign: sts}
	}
	return nil
}

// Sign returns the signature of params (its Signature, if any, ignored) for method under
// accessKeySecret: Base64(HMAC-SHA1(accessKeySecret + "&", StringToSign(method, params))).
func Sign(method string, params url.Values, accessKeySecret string) string {
	return signString(accessKeySecret, StringToSign(method, params))
}

// StringToSign returns method + "&%2F&" + percentEncode(CanonicalQuery(params)).
func StringToSign(method string, params url.Values) string {
	return method + "&" + percentEncode("/") + "&" + percentEncode(CanonicalQuery(params))
}

// CanonicalQuery returns the canonicalized query string of params: every parameter except
// Signature, sorted by name in byte order (repeated names keep their order), names and values
// percent-encoded per RFC 3986, joined as name=value pairs with "&". Empty values stay.
func CanonicalQuery(params url.Values) string { return sortedPairs(params, signatureParam) }

// sortedPairs returns the parameters of params, but the one named skip when skip is not
// empty, sorted by name in byte order (repeated names keep their order), as percent-encoded
// name=value pairs joined with "&". Empty values stay as "name=".
func sortedPairs(params url.Values, skip string) string {
	names := make([]string, 0, len(params))
	for name := range params {
		if skip == "" || name != skip {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		for _, value := range params[name] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(percentEncode(name))
			b.WriteByte('=')
			b.WriteString(percentEncode(value))
		}
	}
	return b.String()
}

// signString returns Base64(HMAC-SHA1(secret + "&", stringToSign)).
func signString(secret, stringToSign string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// percentEncode encodes s per RFC 3986: the bytes A-Z a-z 0-9 - _ . ~ stay, every other byte
// of its UTF-8 form becomes %XX with upper-case hex digits.
func percentEncode(s string) string {
	const upperHex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) * 3)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&0xF])
	}
	return b.String()
}

// unreserved reports whether c is an RFC 3986 unreserved character.
func unreserved(c byte) bool {
	switch {
	case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return true
	}
	return c == '-' || c == '_' || c == '.' || c == '~'
}
