package expressconnecttest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/expressconnect-go/expressconnect"
)

// hostID is the HostId the service puts in its error answers.
const hostID = "vpc.aliyuncs.com"

// Header names of the answers.
const (
	headerRequestID = "x-acs-request-id"
	headerRateLimit = "x-ratelimit-user-api"
)

// answer is a complete HTTP answer to one request, ready to write.
type answer struct {
	status int
	header http.Header
	body   []byte
	// code is the error code, empty on success.
	code expressconnect.Code
	// connectionID is the hosted connection a successful request concerned.
	connectionID string
}

// errorBody is the JSON body of an error answer, shaped like the service's.
type errorBody struct {
	RequestID          string              `json:"RequestId"`
	HostID             string              `json:"HostId"`
	Code               expressconnect.Code `json:"Code"`
	Message            string              `json:"Message"`
	Recommend          string              `json:"Recommend"`
	AccessDeniedDetail *accessDeniedDetail `json:"AccessDeniedDetail,omitempty"`
}

// successAnswer returns the HTTP 200 answer with body, a request about connectionID.
func successAnswer(requestID string, body any, connectionID string, now time.Time) answer {
	return answer{status: http.StatusOK, header: baseHeader(requestID, now), body: mustJSON(body),
		connectionID: connectionID}
}

// errorAnswer returns the answer for e.
func errorAnswer(requestID string, e *apiError, now time.Time) answer {
	body := mustJSON(errorBody{
		RequestID:          requestID,
		HostID:             hostID,
		Code:               e.code,
		Message:            e.message,
		Recommend:          recommendURL(e.code, requestID),
		AccessDeniedDetail: e.denied,
	})
	return answer{status: e.status, header: baseHeader(requestID, now), body: body, code: e.code}
}

// throttlingAnswer returns the Throttling.User answer with its rate-limit header.
func throttlingAnswer(requestID string, now time.Time) answer {
	a := errorAnswer(requestID, errThrottling(), now)
	const timeLeft = 1200 * time.Millisecond
	reset := now.Add(timeLeft).UnixMilli()
	a.header.Set(headerRateLimit, "Limit:10,Remain:0,TimeLeft:"+
		strconv.FormatInt(timeLeft.Milliseconds(), 10)+",Reset:"+strconv.FormatInt(reset, 10))
	return a
}

// recommendURL returns the troubleshooting link the service puts in Recommend.
func recommendURL(code expressconnect.Code, requestID string) string {
	return "https://api.aliyun.com/troubleshoot?q=" + url.QueryEscape(string(code)) +
		"&product=Vpc&requestId=" + url.QueryEscape(requestID)
}

// baseHeader returns the headers of every JSON answer.
func baseHeader(requestID string, now time.Time) http.Header {
	h := http.Header{}
	h.Set("Content-Type", "application/json;charset=utf-8")
	h.Set(headerRequestID, requestID)
	h.Set("Date", now.UTC().Format(http.TimeFormat))
	return h
}

// writeAnswer writes a to w with an exact Content-Length.
func writeAnswer(w http.ResponseWriter, a answer) {
	writeHead(w, a)
	_, _ = w.Write(a.body) // A failed write means the client is gone; nothing to do.
}

// writeHead writes a's status and headers to w, with the exact Content-Length of its body.
func writeHead(w http.ResponseWriter, a answer) {
	h := w.Header()
	for name, values := range a.header {
		h[name] = values
	}
	h.Set("Content-Length", strconv.Itoa(len(a.body)))
	w.WriteHeader(a.status)
}

// mustJSON marshals v without HTML escaping (so "&" in a string to sign stays "&"). v is always
// one of this package's plain structs, which cannot fail to marshal.
func mustJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte(`{}`)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
