package expressconnecttest

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// pathHandler is a handler of [WithPathHandler] with the path prefix it serves.
type pathHandler struct {
	prefix  string
	handler http.Handler
}

// WithPathHandler makes the server hand every request whose URL path starts with prefix to h
// instead of answering it as the service, which serves its API at "/" only: a tool such as
// the expressconnect-local command can serve its own routes on the server's port. Those
// requests are not recorded, get no injected fault and are not passed to the request
// observer. prefix must start and end with "/" and hold more than "/"; the prefixes of two
// handlers must not overlap. Default: none, so every path is the service's.
func WithPathHandler(prefix string, h http.Handler) Option {
	return func(c *config) error {
		if len(prefix) < 3 || !strings.HasPrefix(prefix, "/") || !strings.HasSuffix(prefix, "/") {
			return fmt.Errorf("expressconnecttest: path prefix %q must start and end with \"/\" and hold more than \"/\"", prefix)
		}
		if h == nil {
			return errors.New("expressconnecttest: nil handler for path prefix " + prefix)
		}
		for _, have := range c.pathHandlers {
			if strings.HasPrefix(have.prefix, prefix) || strings.HasPrefix(prefix, have.prefix) {
				return fmt.Errorf("expressconnecttest: path prefixes %q and %q overlap", have.prefix, prefix)
			}
		}
		c.pathHandlers = append(c.pathHandlers, pathHandler{prefix: prefix, handler: h})
		return nil
	}
}

// routes returns the server's handler: the handlers of WithPathHandler for their prefixes, and
// the service for every other path. It matches raw prefixes, without the path cleaning and
// redirects of http.ServeMux, so that the service answers every other path as it always does.
func (s *Server) routes() http.Handler {
	if len(s.cfg.pathHandlers) == 0 {
		return http.HandlerFunc(s.serveHTTP)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, ph := range s.cfg.pathHandlers {
			if strings.HasPrefix(r.URL.Path, ph.prefix) {
				ph.handler.ServeHTTP(w, r)
				return
			}
		}
		s.serveHTTP(w, r)
	})
}
