package expressconnecttest

import (
	"fmt"

	"github.com/expressconnect-go/expressconnect"
)

// Client returns an *expressconnect.Client that sends to the server with the account's own
// AccessKey, the server's region and its HTTP client. opts are applied after those, so they
// can replace any of them; with the STS credentials of [Server.Account], for example:
//
//	sts := srv.Account().STS
//	client, err := srv.Client(expressconnect.WithSTSCredentials(sts.AccessKeyID, sts.AccessKeySecret, sts.SecurityToken))
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
