package expressconnecttest

import (
	"fmt"

	"github.com/expressconnect-go/expressconnect"
)

// Client returns an *expressconnect.Client that sends to the server with the server's
// AccessKey, region and HTTP client. opts are applied after those, so they can replace any of
// them (for example expressconnect.WithSTSCredentials(s.STSCredentials())).
func (s *Server) Client(opts ...expressconnect.Option) (*expressconnect.Client, error) {
	all := append([]expressconnect.Option{
		expressconnect.WithEndpoint(s.URL()),
		expressconnect.WithRegion(s.cfg.regionID),
		expressconnect.WithAccessKey(s.cfg.key.id, s.cfg.key.secret),
		expressconnect.WithHTTPClient(s.http.Client()),
	}, opts...)
	c, err := expressconnect.NewClient(all...)
	if err != nil {
		return nil, fmt.Errorf("expressconnecttest: creating the client: %w", err)
	}
	return c, nil
}
