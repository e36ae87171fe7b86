package benchserver

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/expressconnect-go/expressconnect/internal/localsign"
)

// Run serves the benchmark endpoint on 127.0.0.1 at a free port until stdin reaches EOF (the
// parent closed it or died). It writes the address ("127.0.0.1:PORT") and a newline to stdout
// as soon as it listens, and the final Stats to log when it stops.
func Run(stdin io.Reader, stdout, log io.Writer) error {
	h, err := New(localsign.VerifySignature)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("benchserver: listen: %w", err)
	}
	srv := &http.Server{Handler: h, ConnState: h.ConnState, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if _, err := fmt.Fprintln(stdout, ln.Addr().String()); err != nil {
		_ = srv.Close()
		return fmt.Errorf("benchserver: announce address: %w", err)
	}
	_, _ = io.Copy(io.Discard, bufio.NewReader(stdin))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	st := h.Stats()
	// Not "key: value", which benchstat would read as a configuration line.
	fmt.Fprintf(log, "loopback server stopped after %d verified and %d refused requests over %d connections\n",
		st.Verified, st.Rejected, st.Connections)
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("benchserver: serve: %w", err)
	}
	return nil
}
