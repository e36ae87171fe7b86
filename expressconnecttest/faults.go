package expressconnecttest

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/expressconnect-go/expressconnect"
)

// FaultKind is the kind of a Fault.
type FaultKind int

// The kinds of fault the server can inject.
const (
	// FaultNone is no fault: the request is handled normally.
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
	// Fault.Delay before each byte, until done or the client gives up.
	FaultDrip
	// FaultReset resets the TCP connection (RST) without answering.
	FaultReset
	// FaultClose closes the connection without answering.
	FaultClose
)

// String returns the kind's name, such as "FaultReset".
func (k FaultKind) String() string {
	names := [...]string{"FaultNone", "FaultError", "FaultThrottle", "FaultBadGateway",
		"FaultTruncate", "FaultDelay", "FaultDrip", "FaultReset", "FaultClose"}
	if k < 0 || int(k) >= len(names) {
		return "FaultKind(" + strconv.Itoa(int(k)) + ")"
	}
	return names[k]
}

// Default values of Fault fields.
const (
	// DefaultFaultStatus is the status of a FaultError with no StatusCode.
	DefaultFaultStatus = http.StatusServiceUnavailable
	// DefaultDripInterval is the pause between bytes of a FaultDrip with no Delay.
	DefaultDripInterval = 100 * time.Millisecond
	// DefaultDelay is the wait of a FaultDelay with no Delay.
	DefaultDelay = time.Second
)

// Fault is a failure the server injects into its answer to one request. Build one with the
// functions below or as a literal.
type Fault struct {
	// Kind is the kind of failure.
	Kind FaultKind
	// StatusCode is the HTTP status of a FaultError. Default: DefaultFaultStatus (503).
	StatusCode int
	// Code is the error code of a FaultError. Default:
	// [expressconnect.CodeServiceUnavailable] for 503, [expressconnect.CodeInternalError]
	// otherwise.
	Code expressconnect.Code
	// Message is the error message of a FaultError. Default: a message fitting Code.
	Message string
	// Delay is the wait of a FaultDelay (default DefaultDelay) or the pause between bytes of a
	// FaultDrip (default DefaultDripInterval).
	Delay time.Duration
	// AfterHandling makes a FaultReset or FaultClose handle the request (creating, changing
	// or deleting the hosted connection when it succeeds) before failing, as when an answer is
	// lost on the way back.
	// Default false: the request is dropped unhandled.
	AfterHandling bool
}

// ErrorFault returns a Fault answering status with code and message.
func ErrorFault(status int, code expressconnect.Code, message string) Fault {
	return Fault{Kind: FaultError, StatusCode: status, Code: code, Message: message}
}

// ThrottleFault returns a Fault answering Throttling.User.
func ThrottleFault() Fault { return Fault{Kind: FaultThrottle} }

// BadGatewayFault returns a Fault answering an HTML 502 page.
func BadGatewayFault() Fault { return Fault{Kind: FaultBadGateway} }

// TruncateFault returns a Fault that handles the request and cuts its answer's body short.
func TruncateFault() Fault { return Fault{Kind: FaultTruncate} }

// DelayFault returns a Fault that waits d before handling the request.
func DelayFault(d time.Duration) Fault { return Fault{Kind: FaultDelay, Delay: d} }

// DripFault returns a Fault that sends the answer's body one byte every interval.
func DripFault(interval time.Duration) Fault { return Fault{Kind: FaultDrip, Delay: interval} }

// ResetFault returns a Fault that resets the connection without answering.
func ResetFault() Fault { return Fault{Kind: FaultReset} }

// CloseFault returns a Fault that closes the connection without answering.
func CloseFault() Fault { return Fault{Kind: FaultClose} }

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

// faultPlan decides which requests get a fault: first the queued ones, then the function.
// It is safe for concurrent use.
type faultPlan struct {
	mu    sync.Mutex
	queue []queuedFault
	fn    func(*Request) *Fault
}

// queuedFault is a fault injected for the next remaining requests, so that injecting one for
// many requests costs one entry.
type queuedFault struct {
	fault     Fault
	remaining int
}

// inject queues f for the next n requests; n <= 0 queues nothing.
func (p *faultPlan) inject(n int, f Fault) {
	if n <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.queue = append(p.queue, queuedFault{fault: f, remaining: n})
}

func (p *faultPlan) setFunc(fn func(*Request) *Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fn = fn
}

func (p *faultPlan) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.queue = nil
	p.fn = nil
}

// next returns the fault for r, if any. The function is called without the lock held, with a
// copy of r.
func (p *faultPlan) next(r *Request) (Fault, bool) {
	p.mu.Lock()
	if len(p.queue) > 0 {
		f := p.queue[0].fault
		p.queue[0].remaining--
		if p.queue[0].remaining == 0 {
			p.queue = p.queue[1:]
		}
		p.mu.Unlock()
		return f, f.Kind != FaultNone
	}
	fn := p.fn
	p.mu.Unlock()
	if fn == nil {
		return Fault{}, false
	}
	cp := r.clone()
	f := fn(&cp)
	if f == nil || f.Kind == FaultNone {
		return Fault{}, false
	}
	return *f, true
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
