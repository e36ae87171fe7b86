package main

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// This file is --print-request: an http.RoundTripper, given to the client with
// expressconnect.WithHTTPClient, that keeps each signed request with its secrets masked and
// sends none of them.

// errNotSent is what the capturing transport answers instead of sending a request.
var errNotSent = errors.New("not sent: --print-request")

// capturedRequest is one signed request as --print-request prints it.
type capturedRequest struct {
	Action string              `json:"Action"`
	Method string              `json:"Method"`
	URL    string              `json:"URL"`
	Query  map[string]string   `json:"Query"`
	Header map[string][]string `json:"Header"`
	// Note says what the request is for, when it is not the command's action itself.
	Note string `json:"Note,omitempty"`
	// Sent is always false: nothing is sent.
	Sent bool `json:"Sent"`
}

// capture is the transport of --print-request.
type capture struct {
	// secrets returns the secrets of the credentials, which are masked wherever they appear.
	secrets func() []string
	// answer returns the body of a success answer to give the client for a request of
	// action instead of failing it, or nil. It lets the command show the requests that would
	// follow a check (such as the guard's List), answered here without sending anything.
	answer func(action string, query url.Values) []byte

	mu       sync.Mutex
	requests []capturedRequest
}

// RoundTrip records req, masked, and answers it with c.answer or errNotSent. It sends nothing.
func (c *capture) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	query := req.URL.Query()
	action := query.Get("Action")
	if action == "" {
		action = req.Header.Get("x-acs-action")
	}
	masked := capturedRequest{
		Action: action,
		Method: req.Method,
		URL:    (&url.URL{Scheme: req.URL.Scheme, Host: req.URL.Host, Path: req.URL.Path}).String(),
		Query:  map[string]string{},
		Header: map[string][]string{},
	}
	var secrets []string
	if c.secrets != nil {
		secrets = c.secrets()
	}
	for name, values := range query {
		masked.Query[name] = maskParam(name, strings.Join(values, ","), secrets)
	}
	for name, values := range req.Header {
		for _, v := range values {
			masked.Header[name] = append(masked.Header[name], maskHeader(name, v, secrets))
		}
	}
	c.mu.Lock()
	c.requests = append(c.requests, masked)
	c.mu.Unlock()
	if c.answer != nil {
		if body := c.answer(action, query); body != nil {
			return &http.Response{
				StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
				Header:        http.Header{"Content-Type": {"application/json"}},
				Body:          io.NopCloser(bytes.NewReader(body)),
				ContentLength: int64(len(body)),
				Request:       req,
			}, nil
		}
	}
	return nil, errNotSent
}

// captured returns the requests recorded so far.
func (c *capture) captured() []capturedRequest {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.requests)
}

// masked is what a secret is replaced with.
const masked = "****"

// maskParam returns the value of the query parameter name with its secrets masked: the
// signature and the SecurityToken whole, the AccessKeyId as the expressconnect package masks
// it, and any value holding a secret of the credentials.
func maskParam(name, value string, secrets []string) string {
	switch strings.ToLower(name) {
	case "signature", "securitytoken", "accesskeysecret":
		return masked
	case "accesskeyid":
		return maskKeyID(value)
	}
	return maskSecrets(value, secrets)
}

// authorizationParts finds the Credential (AccessKeyId) and Signature of a V3 Authorization
// header: "ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=...,Signature=HEX".
var authorizationParts = regexp.MustCompile(`(Credential=)([^,\s]*)|(Signature=)([^,\s]*)`)

// maskHeader returns the value of the header name with its secrets masked.
func maskHeader(name, value string, secrets []string) string {
	switch strings.ToLower(name) {
	case "authorization":
		value = authorizationParts.ReplaceAllStringFunc(value, func(m string) string {
			key, v, _ := strings.Cut(m, "=")
			if key == "Credential" {
				return key + "=" + maskKeyID(v)
			}
			return key + "=" + masked
		})
	case "x-acs-accesskey-id":
		return maskKeyID(value)
	case "x-acs-security-token":
		return masked
	}
	return maskSecrets(value, secrets)
}

// maskSecrets replaces every secret of secrets in value.
func maskSecrets(value string, secrets []string) string {
	for _, s := range secrets {
		if s != "" {
			value = strings.ReplaceAll(value, s, masked)
		}
	}
	return value
}
