package localsign

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// This file is the V3 signature, ACS3-HMAC-SHA256, written from the published rules (Alibaba Cloud, "Request syntax and signature method V3"):
//
//	CanonicalRequest = METHOD "\n" CanonicalURI "\n" CanonicalQueryString "\n"
//	                   CanonicalHeaders "\n" SignedHeaders "\n" HashedRequestPayload
//	StringToSign     = "ACS3-HMAC-SHA256" "\n" hex(SHA-256(CanonicalRequest))
//	Signature        = hex(HMAC-SHA256(AccessKeySecret, StringToSign))
//	Authorization    = "ACS3-HMAC-SHA256 Credential=" AccessKeyId ",SignedHeaders="
//	                   SignedHeaders ",Signature=" Signature

// AlgorithmV3 is the name of the V3 signature, which starts its Authorization header and its
// string to sign.
const AlgorithmV3 = "ACS3-HMAC-SHA256"

// HeaderContentSHA256 is the header of a V3 request that holds HashedPayload of its body.
const HeaderContentSHA256 = "x-acs-content-sha256"

// AuthorizationV3 is the parsed Authorization header of a V3 request.
type AuthorizationV3 struct {
	// AccessKeyID is the AccessKey ID of the Credential field.
	AccessKeyID string
	// SignedHeaders are the names of the SignedHeaders field, as given.
	SignedHeaders []string
	// Signature is the hex signature of the Signature field.
	Signature string
}

// ErrMalformedAuthorization is returned by ParseAuthorizationV3 for a header that is not a V3
// Authorization header.
var ErrMalformedAuthorization = errors.New("localsign: malformed ACS3-HMAC-SHA256 Authorization header")

// ParseAuthorizationV3 parses "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=a;b,Signature=hex".
// Each of the three fields must be given once and not be empty.
func ParseAuthorizationV3(value string) (AuthorizationV3, error) {
	algorithm, fields, ok := strings.Cut(strings.TrimSpace(value), " ")
	if !ok || algorithm != AlgorithmV3 {
		return AuthorizationV3{}, ErrMalformedAuthorization
	}
	got := map[string]string{}
	for _, field := range strings.Split(fields, ",") {
		name, v, ok := strings.Cut(strings.TrimSpace(field), "=")
		if _, dup := got[name]; !ok || dup || v == "" {
			return AuthorizationV3{}, ErrMalformedAuthorization
		}
		got[name] = v
	}
	a := AuthorizationV3{AccessKeyID: got["Credential"], Signature: got["Signature"]}
	if len(got) != 3 || a.AccessKeyID == "" || a.Signature == "" || got["SignedHeaders"] == "" {
		return AuthorizationV3{}, ErrMalformedAuthorization
	}
	a.SignedHeaders = strings.Split(got["SignedHeaders"], ";")
	return a, nil
}

// SignV3 sets the Authorization header of req, whose body is body, to the V3 signature by
// accessKeyID with accessKeySecret. It signs req's Host and every x-acs- header req has, which
// is what the official SDKs sign; set them (x-acs-action, x-acs-version, x-acs-date,
// x-acs-signature-nonce, x-acs-content-sha256 and, for STS credentials, x-acs-security-token)
// before calling it.
func SignV3(req *http.Request, body []byte, accessKeyID, accessKeySecret string) {
	signed := []string{"host"}
	for name := range req.Header {
		if lower := strings.ToLower(name); strings.HasPrefix(lower, "x-acs-") {
			signed = append(signed, lower)
		}
	}
	signed = signedHeaderList(signed)
	sts := StringToSignV3(CanonicalRequestV3(req.Method, req.URL.EscapedPath(), req.URL.Query(), headerWithHost(req), signed, HashedPayload(body)))
	req.Header.Set("Authorization", AlgorithmV3+" Credential="+accessKeyID+",SignedHeaders="+strings.Join(signed, ";")+
		",Signature="+signStringV3(accessKeySecret, sts))
}

// CanonicalRequestV3 returns the canonical request of a request with method, the escaped URL
// path ("/" when empty), the query, the header (with its Host, which net/http keeps apart
// from a received request's header), the names of the signed headers and the hashed payload.
// Query names and values are percent-encoded per RFC 3986 and sorted by name (repeated names
// keep their order), empty values staying as "name=". Each signed header is its lower-case
// name, ":" and its values without leading and trailing spaces, sorted and joined with ",";
// the names are lower-cased, sorted and deduplicated.
func CanonicalRequestV3(method, path string, query url.Values, header http.Header, signedHeaders []string, hashedPayload string) string {
	if path == "" {
		path = "/"
	}
	names := signedHeaderList(signedHeaders)
	var headers strings.Builder
	for _, name := range names {
		values := make([]string, 0, len(header.Values(name)))
		for _, v := range header.Values(name) {
			values = append(values, strings.TrimSpace(v))
		}
		sort.Strings(values)
		headers.WriteString(name + ":" + strings.Join(values, ",") + "\n")
	}
	return strings.Join([]string{method, path, canonicalQueryV3(query), headers.String(), strings.Join(names, ";"), hashedPayload}, "\n")
}

// StringToSignV3 returns "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonicalRequest)).
func StringToSignV3(canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return AlgorithmV3 + "\n" + hex.EncodeToString(sum[:])
}

// HashedPayload returns hex(SHA-256(body)), the value of x-acs-content-sha256.
func HashedPayload(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// VerifyV3 checks auth's signature of the request r, whose body is body, with accessKeySecret.
// The hashed payload it signs is its own hash of the body, and the request's
// x-acs-content-sha256 must equal it: a body changed on the way, or declared with another
// hash, fails as a wrong signature does. It returns nil when the signature matches and a
// *SignatureError otherwise.
func VerifyV3(r *http.Request, body []byte, auth AuthorizationV3, accessKeySecret string) error {
	payload := HashedPayload(body)
	sts := StringToSignV3(CanonicalRequestV3(r.Method, r.URL.EscapedPath(), r.URL.Query(), headerWithHost(r), auth.SignedHeaders, payload))
	declared := subtle.ConstantTimeCompare([]byte(r.Header.Get(HeaderContentSHA256)), []byte(payload)) == 1
	signed := subtle.ConstantTimeCompare([]byte(auth.Signature), []byte(signStringV3(accessKeySecret, sts))) == 1
	if !declared || !signed {
		return &SignatureError{StringToSign: sts}
	}
	return nil
}

// UncoveredHeader returns a header that auth's SignedHeaders should name and does not (the
// Host and every x-acs- header of r), or one it names that r does not have; "" when there is
// none. The service requires every common header a request has to be signed.
func UncoveredHeader(r *http.Request, auth AuthorizationV3) string {
	signed := signedHeaderList(auth.SignedHeaders)
	if !slices.Contains(signed, "host") {
		return "host"
	}
	for name := range r.Header {
		if lower := strings.ToLower(name); strings.HasPrefix(lower, "x-acs-") && !slices.Contains(signed, lower) {
			return lower
		}
	}
	for _, name := range signed {
		if name != "host" && len(r.Header.Values(name)) == 0 {
			return name
		}
	}
	return ""
}

// signStringV3 returns hex(HMAC-SHA256(secret, stringToSign)).
func signStringV3(secret, stringToSign string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	return hex.EncodeToString(mac.Sum(nil))
}

// canonicalQueryV3 returns every parameter of query, sorted by name (repeated names keep their
// order), as percent-encoded name=value pairs joined with "&": the RPC signature's
// canonicalized query, Signature included.
func canonicalQueryV3(query url.Values) string { return sortedPairs(query, "") }

// signedHeaderList returns names lower-cased, sorted and without duplicates.
func signedHeaderList(names []string) []string {
	out := make([]string, len(names))
	for i, name := range names {
		out[i] = strings.ToLower(strings.TrimSpace(name))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// headerWithHost returns a copy of r's header with its Host.
func headerWithHost(r *http.Request) http.Header {
	h := r.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Host", r.Host)
	return h
}
