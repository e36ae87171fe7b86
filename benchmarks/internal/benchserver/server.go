// Package benchserver is the loopback endpoint of the benchmarks: it verifies the signature of
// every request and answers the way the service documents a successful
// CreateVirtualPhysicalConnection, or ListVirtualPhysicalConnections with a page of 100 hosted
// connections, and it serves the scale circuits of scale.go, made up on the fly. It runs in
// its own process (see Run), so that the benchmarks' B/op and allocs/op count only the client.
package benchserver

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"

	"github.com/expressconnect-go/expressconnect/benchmarks/internal/fixture"
)

// StatsPath is the path at which the server reports its Stats as JSON (GET). Every other path
// is the API.
const StatsPath = "/_stats"

// Stats counts what the server has seen since it started.
type Stats struct {
	// Verified is the number of requests whose signature matched.
	Verified int64
	// Rejected is the number of requests refused: bad signature, unknown AccessKeyId, a body
	// that does not parse, an action other than the fixture's two, or a list request for a
	// page size other than the fixture's.
	Rejected int64
	// Connections is the number of TCP connections accepted; with keep-alive clients it stays
	// at about one per client and goroutine.
	Connections int64
}

// VerifyFunc checks the signature of a request's parameters (Signature among them) under the
// secret and returns nil if it matches.
type VerifyFunc func(method string, params url.Values, accessKeySecret string) error

// Handler answers API requests and counts them. Use New.
type Handler struct {
	verify                          VerifyFunc
	listBody                        []byte
	verified, rejected, connections atomic.Int64
	scale                           scaleState
}

// New returns a Handler that checks signatures with verify against the fixture credentials.
func New(verify VerifyFunc) (*Handler, error) {
	listBody, err := fixture.ListBody()
	if err != nil {
		return nil, fmt.Errorf("benchserver: %w", err)
	}
	return &Handler{verify: verify, listBody: listBody}, nil
}

// Stats returns the counters so far.
func (h *Handler) Stats() Stats {
	return Stats{Verified: h.verified.Load(), Rejected: h.rejected.Load(), Connections: h.connections.Load()}
}

// ConnState is an http.Server ConnState hook that counts new connections.
func (h *Handler) ConnState(_ net.Conn, state http.ConnState) {
	if state == http.StateNew {
		h.connections.Add(1)
	}
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == StatsPath && r.Method == http.MethodGet {
		h.serveStats(w)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.Header().Set("x-acs-request-id", fixture.RequestID)
	if code, msg := h.check(r); code != "" {
		h.rejected.Add(1)
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{
			"RequestId": fixture.RequestID, "HostId": r.Host, "Code": code, "Message": msg,
		})
		return
	}
	h.verified.Add(1)
	if _, _, scale := checkScale(r.Form); scale {
		h.serveScale(w, r.Form)
		return
	}
	if r.Form.Get("Action") == fixture.ListAction {
		_, _ = w.Write(h.listBody)
		return
	}
	_, _ = io.WriteString(w, fixture.SuccessBody)
}

// check returns the error code and message to refuse r with, or "" if r is signed correctly.
func (h *Handler) check(r *http.Request) (code, msg string) {
	if err := r.ParseForm(); err != nil {
		return "InvalidParameter", "The request parameters do not parse."
	}
	if r.Form.Get("AccessKeyId") != fixture.AccessKeyID {
		return "InvalidAccessKeyId.NotFound", "Specified access key is not found."
	}
	if err := h.verify(r.Method, r.Form, fixture.AccessKeySecret); err != nil {
		return "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."
	}
	if code, msg, scale := checkScale(r.Form); scale {
		return code, msg
	}
	switch r.Form.Get("Action") {
	case fixture.CreateAction:
	case fixture.ListAction:
		if r.Form.Get("MaxResults") != strconv.Itoa(fixture.ListMaxResults) {
			return "InvalidParameter", "The benchmarks list pages of " + strconv.Itoa(fixture.ListMaxResults) + "."
		}
	default:
		return "InvalidAction.NotFound", "Specified api is not found, please check your url and method."
	}
	return "", ""
}

func (h *Handler) serveStats(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(h.Stats())
}
