package expressconnect

import (
	"errors"
	"net/url"
	"strings"
)

// scrubAnswer removes one attempt's secrets (AccessKeySecret, SecurityToken, Signature) from
// what err kept of the answer: a proxy page or a truncated signature error can echo the signed
// query or the service's string-to-sign. query is the attempt's signed query.
func scrubAnswer(err error, cred credentialValues, query string) {
	var respErr *ResponseError
	var apiErr *APIError
	hasResp, hasAPI := errors.As(err, &respErr), errors.As(err, &apiErr)
	if !hasResp && !hasAPI {
		return
	}
	r := secretReplacer(cred.accessKeySecret, cred.securityToken, signatureIn(query))
	if hasResp {
		respErr.Body = replaceIn(r, respErr.Body)
	}
	if hasAPI {
		apiErr.body = replaceIn(r, apiErr.body)
	}
}

// replaceIn returns b with r applied, or b itself when r changes nothing.
func replaceIn(r *strings.Replacer, b []byte) []byte {
	if s := r.Replace(string(b)); s != string(b) {
		return []byte(s)
	}
	return b
}

// secretReplacer replaces each non-empty secret with "****", as sent and as an answer may echo
// it: raw, percent-encoded once or twice, and with "/" escaped as JSON may write it.
func secretReplacer(secrets ...string) *strings.Replacer {
	var pairs []string
	for _, s := range secrets {
		if s == "" {
			continue
		}
		once := string(appendEscaped(nil, s))
		twice := string(appendEscaped(nil, once))
		for _, form := range []string{s, once, twice, strings.ReplaceAll(s, "/", `\/`)} {
			pairs = append(pairs, form, "****")
		}
	}
	return strings.NewReplacer(pairs...)
}

// signatureIn returns the Signature of a signed query, decoded.
func signatureIn(query string) string {
	const key = "&Signature="
	i := strings.LastIndex(query, key)
	if i < 0 {
		return ""
	}
	sig, err := url.QueryUnescape(query[i+len(key):])
	if err != nil {
		return ""
	}
	return sig
}
