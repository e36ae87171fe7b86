package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// credentials are the secrets of one run: the sandbox is started with them, the clients sign
// with them, and the scanner looks for them everywhere they must not be.
type credentials struct {
	accessKeyID, accessKeySecret                    string
	stsAccessKeyID, stsAccessKeySecret, stsSecurity string
	adminToken                                      string
}

// Character sets of the random credentials. The secrets hold characters that percent-encoding
// changes ('+', '/', '='), so that the encoded forms the scanner looks for differ from the raw
// ones.
const (
	alnum      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	secretSet  = alnum + "+/="
	tokenChars = alnum + "-._~+/=" // what the sandbox allows in an admin token
)

// newCredentials returns random credentials of the shapes Alibaba Cloud uses.
func newCredentials() (credentials, error) {
	var c credentials
	var err error
	parts := []struct {
		dst          *string
		prefix, set  string
		n            int
		suffix       string
		alnumAtStart bool
	}{
		{&c.accessKeyID, "LTAI5t", alnum, 18, "", false},
		{&c.accessKeySecret, "", secretSet, 30, "", true},
		{&c.stsAccessKeyID, "STS.NU", alnum, 24, "", false},
		{&c.stsAccessKeySecret, "", secretSet, 40, "", true},
		{&c.stsSecurity, "CAIS", secretSet, 60, "==", false},
		{&c.adminToken, "", tokenChars, 40, "", true},
	}
	for _, p := range parts {
		body := ""
		if p.alnumAtStart {
			// A secret that starts with a letter or digit, so that no flag parser takes it
			// for something else.
			if body, err = randomString(alnum, 1); err != nil {
				return c, err
			}
			p.n--
		}
		rest, err := randomString(p.set, p.n)
		if err != nil {
			return c, err
		}
		*p.dst = p.prefix + body + rest + p.suffix
	}
	return c, nil
}

// randomString returns n characters drawn from set with crypto/rand.
func randomString(set string, n int) (string, error) {
	b := make([]byte, n)
	for i := range b {
		k, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		if err != nil {
			return "", fmt.Errorf("drawing a random credential: %w", err)
		}
		b[i] = set[k.Int64()]
	}
	return string(b), nil
}

// secret is one value that must never be shown, with its name for the report.
type secret struct {
	name, value string
	// id marks the unmasked part of an AccessKeyId: an identifier rather than a credential,
	// which the sandbox's request log keeps on purpose (its tests tell the signing key by it),
	// so that log is not searched for it.
	id bool
}

// secrets returns what the scanner looks for. An AccessKeyId may be shown masked to its first
// and last four characters, as the client and the sandbox mask it, so the part looked for is
// the rest of it: what a mask hides.
func (c credentials) secrets() []secret {
	return []secret{
		{"AccessKeySecret", c.accessKeySecret, false},
		{"AccessKeyId (unmasked middle)", c.accessKeyID[4 : len(c.accessKeyID)-4], true},
		{"STS AccessKeySecret", c.stsAccessKeySecret, false},
		{"STS AccessKeyId (unmasked middle)", c.stsAccessKeyID[4 : len(c.stsAccessKeyID)-4], true},
		{"STS SecurityToken", c.stsSecurity, false},
		{"admin token", c.adminToken, false},
	}
}

// needle is one form of a secret to look for in a text.
type needle struct {
	secret string // the secret's name
	form   string // the form's name, such as "base64"
	text   string // what to look for; in lower case when fold is set
	fold   bool   // compare in any letter case
	id     bool   // the secret is an AccessKeyId's unmasked part
}

// needlesOf returns every form of s the scanner looks for: raw and percent-encoded (once and
// twice, as a query and as a path escapes it) in any letter case, JSON-escaped, and base64 in
// either alphabet at each of the three alignments it can have inside a larger encoded text.
func needlesOf(s secret) []needle {
	var out []needle
	seen := map[string]bool{}
	add := func(form, text string, fold bool) {
		if fold {
			text = strings.ToLower(text)
		}
		if text == "" || seen[text] {
			return
		}
		seen[text] = true
		out = append(out, needle{secret: s.name, form: form, text: text, fold: fold, id: s.id})
	}
	add("raw", s.value, true)
	add("query-escaped", url.QueryEscape(s.value), true)
	add("path-escaped", url.PathEscape(s.value), true)
	add("query-escaped twice", url.QueryEscape(url.QueryEscape(s.value)), true)
	if j, err := json.Marshal(s.value); err == nil {
		add("JSON-escaped", strings.Trim(string(j), `"`), true)
	}
	for _, enc := range []struct {
		name string
		enc  *base64.Encoding
	}{{"base64", base64.StdEncoding}, {"base64url", base64.URLEncoding}} {
		for shift := range 3 {
			add(enc.name, base64Core(enc.enc, s.value, shift), false)
		}
	}
	return out
}

// base64Core returns the part of the base64 encoding of value that does not depend on what
// surrounds it, when value starts shift bytes into a 3-byte group of a larger encoded text:
// the groups of 4 characters that encode value's bytes alone.
func base64Core(enc *base64.Encoding, value string, shift int) string {
	padded := strings.Repeat("\x00", shift) + value
	full := enc.EncodeToString([]byte(padded))
	start := 0
	if shift > 0 {
		start = 4 // the first group mixes the bytes before value with its own
	}
	end := (len(padded) / 3) * 4 // the last group mixes its end with what follows
	if end <= start {
		return ""
	}
	return full[start:end]
}

// scanner looks for the secrets in texts and counts what it finds, by source. It is safe for
// concurrent use.
type scanner struct {
	needles []needle
	mu      sync.Mutex
	scanned map[string]int64 // texts scanned, by source
	hits    map[string]int64 // hits, by source
	samples []string         // the first hits, with every secret replaced by its name
}

// maxHitSamples bounds the evidence kept.
const maxHitSamples = 10

// newScanner returns a scanner of the secrets.
func newScanner(secrets []secret) *scanner {
	s := &scanner{scanned: map[string]int64{}, hits: map[string]int64{}}
	for _, sec := range secrets {
		s.needles = append(s.needles, needlesOf(sec)...)
	}
	return s
}

// scan looks for every secret in text, which came from source, and records a hit for each
// one found.
func (s *scanner) scan(source, text string) { s.scanFor(source, text, true) }

// scanCredentials looks for the secrets in text as scan does, but not for the AccessKeyIds.
func (s *scanner) scanCredentials(source, text string) { s.scanFor(source, text, false) }

// scanFor looks for the secrets in text, the AccessKeyIds too when ids is set, and records a
// hit for each one found.
func (s *scanner) scanFor(source, text string, ids bool) {
	lower := ""
	var found []needle
	for _, n := range s.needles {
		if n.id && !ids {
			continue
		}
		hay := text
		if n.fold {
			if lower == "" {
				lower = strings.ToLower(text)
			}
			hay = lower
		}
		if strings.Contains(hay, n.text) {
			found = append(found, n)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scanned[source]++
	if len(found) == 0 {
		return
	}
	s.hits[source] += int64(len(found))
	if len(s.samples) < maxHitSamples {
		names := make([]string, len(found))
		for i, n := range found {
			names[i] = n.secret + " (" + n.form + ")"
		}
		s.samples = append(s.samples, fmt.Sprintf("%s: %s in %q", source, strings.Join(names, ", "), s.masked(text)))
	}
}

// scanError scans the %v, %+v and %#v of err, which came from source.
func (s *scanner) scanError(source string, err error) {
	if err == nil {
		return
	}
	s.scan(source+" %v", fmt.Sprintf("%v", err))
	s.scan(source+" %+v", fmt.Sprintf("%+v", err))
	s.scan(source+" %#v", fmt.Sprintf("%#v", err))
}

// masked returns text with every secret form found replaced by its name, cut to 400 bytes,
// so that the evidence of a leak does not leak it again.
func (s *scanner) masked(text string) string {
	for _, n := range s.needles {
		if !n.fold {
			text = strings.ReplaceAll(text, n.text, "<"+n.secret+">")
			continue
		}
		for {
			lower := strings.ToLower(text)
			i := strings.Index(lower, n.text)
			if i < 0 {
				break
			}
			if len(lower) != len(text) {
				// Offsets in lower are not offsets in text: show nothing rather than a secret.
				return "<a text holding a secret, with letters whose lower case has another length>"
			}
			text = text[:i] + "<" + n.secret + ">" + text[i+len(n.text):]
		}
	}
	if len(text) > 400 {
		text = text[:400] + "..."
	}
	return text
}

// totals returns the texts scanned and the hits, by source, and the evidence kept.
func (s *scanner) totals() (scanned, hits map[string]int64, samples []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	scanned, hits = map[string]int64{}, map[string]int64{}
	for k, v := range s.scanned {
		scanned[k] = v
	}
	for k, v := range s.hits {
		hits[k] = v
	}
	return scanned, hits, append([]string(nil), s.samples...)
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
