package expressconnecttest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/expressconnect-go/expressconnect"
)

// FaultKind is the kind of a Fault.
type FaultKind int

// The kinds of fault the server can inject.
const (
	// FaultNone is no fault: the request is handled normally. Injected for n requests, it lets
	// them through before the faults injected after it.
	FaultNone FaultKind = iota
	// FaultError answers Fault.StatusCode with Fault.Code and Fault.Message in the service's
	// JSON error shape, without handling the request.
	FaultError
	// FaultThrottle answers HTTP 400 Throttling.User with an x-ratelimit-user-api header,
	// without handling the request.
	FaultThrottle
	// FaultBadGateway answers an HTML 502 Bad Gateway page, as a load balancer does, without
	// handling the request.
	FaultBadGateway
	// FaultTruncate handles the request, then sends the answer's headers with its full
	// Content-Length but only half of its body, and closes the connection.
	FaultTruncate
	// FaultDelay waits Fault.Delay (or until the client gives up) and then handles the
	// request normally.
	FaultDelay
	// FaultDrip handles the request and sends the answer's body one byte at a time, waiting
	// Fault.Interval before each byte, until done or the client gives up.
	FaultDrip
	// FaultReset resets the TCP connection (RST) without answering.
	FaultReset
	// FaultClose closes the connection without answering.
	FaultClose
)

// faultKindStrings are the names of the kinds, in the order of their values: what
// FaultKind.String returns, and, in lower case without "Fault", the Kind of a fault in the
// admin API (faultKindName).
var faultKindStrings = [...]string{"FaultNone", "FaultError", "FaultThrottle", "FaultBadGateway",
	"FaultTruncate", "FaultDelay", "FaultDrip", "FaultReset", "FaultClose"}

// String returns the kind's name, such as "FaultReset".
func (k FaultKind) String() string {
	if k < 0 || int(k) >= len(faultKindStrings) {
		return "FaultKind(" + strconv.Itoa(int(k)) + ")"
	}
	return faultKindStrings[k]
}

// faultKindName returns the name of k in the admin API, such as "reset".
func faultKindName(k FaultKind) string {
	return strings.ToLower(strings.TrimPrefix(k.String(), "Fault"))
}

// faultKindNamed returns the kind whose name in the admin API is name, FaultNone for "", and
// whether there is one.
func faultKindNamed(name string) (FaultKind, bool) {
	if name == "" {
		return FaultNone, true
	}
	for k := range FaultKind(len(faultKindStrings)) {
		if faultKindName(k) == name {
			return k, true
		}
	}
	return FaultNone, false
}

// faultKindNames returns the names of the kinds in the admin API, in the order of their values.
func faultKindNames() []string {
	names := make([]string, len(faultKindStrings))
	for k := range names {
		names[k] = faultKindName(FaultKind(k))
	}
	return names
}

// Default values of Fault fields.
const (
	// DefaultFaultStatus is the status of a FaultError with no StatusCode.
	DefaultFaultStatus = http.StatusServiceUnavailable
	// DefaultDripInterval is the pause between bytes of a FaultDrip with no Interval.
	DefaultDripInterval = 100 * time.Millisecond
	// DefaultDelay is the wait of a FaultDelay with no Delay.
	DefaultDelay = time.Second
	// MaxFaultWait is the longest Delay or Interval a fault may have: 10 minutes, longer than
	// any client waits.
	MaxFaultWait = 10 * time.Minute
)

// Fault is a failure the server injects into its answer to a request, written as a literal
// such as Fault{Kind: FaultError, StatusCode: 500} or Fault{Kind: FaultReset, Action:
// "DeletePhysicalConnection", AfterHandling: true}. Each field other than Kind and Action
// applies to the kinds its comment names, and a fault that sets one for another kind is
// refused, so that a mistake is not silently ignored.
type Fault struct {
	// Kind is the kind of failure.
	Kind FaultKind
	// Action limits the fault to requests of that API action, such as
	// "DeletePhysicalConnection" (the Action parameter, or the x-acs-action header of a
	// V3-signed request): requests of other actions pass it by, without using it up. It must
	// be an action the server serves. Default (""): any request.
	Action string
	// StatusCode is the HTTP status of a FaultError, 400 to 599. Default (0):
	// DefaultFaultStatus (503).
	StatusCode int
	// Code is the error code of a FaultError, at most 4 KiB: any text, so that a test can
	// answer with a code of another shape than the service's.
	// Default (""): [expressconnect.CodeServiceUnavailable] for 503,
	// [expressconnect.CodeInternalError] otherwise.
	Code expressconnect.Code
	// Message is the error message of a FaultError, at most 4 KiB of any text. Default
	// (""): a message fitting Code.
	Message string
	// Delay is the wait of a FaultDelay, at most MaxFaultWait. Default (0): DefaultDelay.
	Delay time.Duration
	// Interval is the pause before each byte of a FaultDrip, at most MaxFaultWait. Default (0):
	// DefaultDripInterval.
	Interval time.Duration
	// AfterHandling makes a FaultReset or FaultClose handle the request (creating, changing
	// or deleting what the request asks for when it succeeds) before failing, as when an
	// answer is lost on the way back. Default false: the request is dropped unhandled.
	AfterHandling bool
}

// errorFields returns the status, code and message of a FaultError with defaults applied.
func (f Fault) errorFields() (int, expressconnect.Code, string) {
	status, code, message := f.StatusCode, f.Code, f.Message
	if status == 0 {
		status = DefaultFaultStatus
	}
	if code == "" {
		code = expressconnect.CodeInternalError
		if status == http.StatusServiceUnavailable {
			code = expressconnect.CodeServiceUnavailable
		}
	}
	if message == "" {
		message = "The request processing has failed due to some unknown error, exception or failure."
		if code == expressconnect.CodeServiceUnavailable {
			message = "The request has failed due to a temporary failure of the server."
		}
	}
	return status, code, message
}

// maxFaultText bounds the Code and the Message of a fault.
const maxFaultText = 4 << 10

// check returns why f cannot be injected, or nil: a kind the server does not know, an action
// it does not serve, a field set for a kind it does not apply to, or a value out of range.
func (f Fault) check() error {
	errorOnly := f.StatusCode != 0 || f.Code != "" || f.Message != ""
	switch {
	case f.Kind < FaultNone || f.Kind > FaultClose:
		return fmt.Errorf("the Kind %d is none of the kinds of fault", int(f.Kind))
	case f.Action != "" && !served(f.Action):
		return fmt.Errorf("Action %q is none of the actions the server serves: %s", clipped(f.Action), strings.Join(servedActions(), ", "))
	case errorOnly && f.Kind != FaultError:
		return errors.New("StatusCode, Code and Message apply to Kind error only")
	case f.StatusCode != 0 && (f.StatusCode < 400 || f.StatusCode > 599):
		return fmt.Errorf("StatusCode %d is not 400 to 599", f.StatusCode)
	case len(f.Code) > maxFaultText:
		return fmt.Errorf("the Code must be at most %d bytes", maxFaultText)
	case len(f.Message) > maxFaultText:
		return fmt.Errorf("the Message must be at most %d bytes", maxFaultText)
	case f.AfterHandling && f.Kind != FaultReset && f.Kind != FaultClose:
		return errors.New("AfterHandling applies to Kind reset and close only")
	case f.Delay != 0 && f.Kind != FaultDelay:
		return errors.New("the Delay applies to Kind delay only (the pause of a drip is its Interval)")
	case f.Interval != 0 && f.Kind != FaultDrip:
		return errors.New("the Interval applies to Kind drip only")
	case f.Delay < 0 || f.Delay > MaxFaultWait:
		return fmt.Errorf("the Delay %v is not 0 to %v", f.Delay, MaxFaultWait)
	case f.Interval < 0 || f.Interval > MaxFaultWait:
		return fmt.Errorf("the Interval %v is not 0 to %v", f.Interval, MaxFaultWait)
	}
	return nil
}

// isSpaceOrControl reports whether r is white space or a control character.
func isSpaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f }

// maxQuotedBytes is the longest text of a request that an error quotes, in bytes.
const maxQuotedBytes = 128

// clipped returns at most maxQuotedBytes bytes of s, text a client chose, for an error.
func clipped(s string) string {
	if len(s) > maxQuotedBytes {
		return s[:maxQuotedBytes] + "..."
	}
	return s
}

// faultPlan holds the faults injected and not used up yet, in the order they were injected.
// It is safe for concurrent use.
type faultPlan struct {
	mu    sync.Mutex
	queue []queuedFault
}

// queuedFault is a fault injected for the next remaining requests it applies to, so that
// injecting one for many requests costs one entry.
type queuedFault struct {
	fault     Fault
	remaining int
}

// inject queues f for the next n requests it applies to; n <= 0 queues nothing.
func (p *faultPlan) inject(n int, f Fault) {
	if n <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.queue = append(p.queue, queuedFault{fault: f, remaining: n})
}

// clear removes the faults not used up yet.
func (p *faultPlan) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.queue = nil
}

// next uses up, for a request to action, the first fault queued that applies to it (one for
// any action or for that one), and returns it, if it is a fault at all.
func (p *faultPlan) next(action string) (Fault, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := range p.queue {
		q := &p.queue[i]
		if q.fault.Action != "" && q.fault.Action != action {
			continue
		}
		f := q.fault
		if q.remaining--; q.remaining == 0 {
			p.queue = slices.Delete(p.queue, i, i+1)
		}
		return f, f.Kind != FaultNone
	}
	return Fault{}, false
}

// badGatewayPage is the HTML body of a FaultBadGateway answer.
const badGatewayPage = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
	"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n"

// badGatewayAnswer returns the HTML 502 answer of a load balancer, without x-acs-request-id.
func badGatewayAnswer(now time.Time) answer {
	h := http.Header{}
	h.Set("Content-Type", "text/html")
	h.Set("Date", now.UTC().Format(http.TimeFormat))
	return answer{status: http.StatusBadGateway, header: h, body: []byte(badGatewayPage)}
}

// sleepCtx waits d or until ctx is done, and reports whether the full wait elapsed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// writeTruncated writes a's status line and headers, with the full Content-Length, and half
// of its body straight to the hijacked connection, then closes it.
func writeTruncated(w http.ResponseWriter, a answer) error {
	conn, buf, err := hijack(w)
	if err != nil {
		return err
	}
	defer conn.Close()
	writeRawHead(buf, a)
	_, _ = buf.Write(a.body[:len(a.body)/2])
	return buf.Flush()
}

// writeRawHead writes the HTTP/1.1 status line and headers of a.
func writeRawHead(buf *bufio.ReadWriter, a answer) {
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", a.status, http.StatusText(a.status))
	h := a.header.Clone()
	h.Set("Content-Length", strconv.Itoa(len(a.body)))
	_ = h.Write(buf)
	_, _ = buf.WriteString("\r\n")
}

// writeDripping writes a's headers, then its body one byte per interval, flushing each, until
// done or ctx is done.
func writeDripping(ctx context.Context, w http.ResponseWriter, a answer, interval time.Duration) {
	writeHead(w, a)
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	for i := range a.body {
		if !sleepCtx(ctx, interval) {
			return
		}
		if _, err := w.Write(a.body[i : i+1]); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

// dropConnection closes the hijacked connection, resetting it (SO_LINGER 0) when reset is
// true.
func dropConnection(w http.ResponseWriter, reset bool) error {
	conn, _, err := hijack(w)
	if err != nil {
		return err
	}
	// A *net.TCPConn, or a connection that wraps one (a tool's listener may wrap them).
	if tcp, ok := conn.(interface{ SetLinger(sec int) error }); ok && reset {
		_ = tcp.SetLinger(0)
	}
	return conn.Close()
}

// hijack takes over the connection of w.
func hijack(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter, error) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil, nil, fmt.Errorf("expressconnecttest: cannot take over the connection: %w", err)
	}
	return conn, buf, nil
}
