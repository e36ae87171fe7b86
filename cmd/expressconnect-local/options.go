package main

import (
	"time"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// serverConfig returns the configuration of the expressconnecttest server that s describes,
// with the admin token token. Every value of s was parsed and checked when it was loaded; the
// server applies its own defaults to what s leaves zero, so a value of the command that means
// something else than the server's zero (a delay of "0s", "at once"; a retention of 0, "as
// long as it runs"; a request log of 0, none) is translated here.
func serverConfig(s settings, token string) expressconnecttest.Config {
	cfg := expressconnecttest.Config{
		Region:            s.Region,
		AccountID:         s.AccountID,
		ClockOffset:       s.ClockOffset,
		IdleTimeout:       s.IdleTimeout,
		Retention:         s.Retention,
		RequestLogSize:    s.RequestLogSize,
		ForbiddenTenants:  s.ForbiddenTenants,
		Circuits:          s.Circuits,
		NoDefaultCircuit:  s.NoDefaultCircuit,
		AutoAccept:        s.AutoAccept.duration(),
		AutoEnable:        s.AutoEnable.duration(),
		AdminToken:        token,
		AdminAllowedHosts: s.AdminAllowedHosts,
		NoAdmin:           !s.Admin,
	}
	if cfg.Retention == 0 {
		cfg.Retention = expressconnecttest.RetainForever
	}
	if cfg.RequestLogSize == 0 || !s.Admin {
		cfg.RequestLogSize = -1 // none; only the admin API reads the log
	}
	for _, k := range s.AccessKeys {
		cfg.AccessKeys = append(cfg.AccessKeys, expressconnecttest.AccessKey{AccessKeyID: k.ID, AccessKeySecret: k.Secret})
	}
	for _, k := range s.DeniedAccessKeys {
		cfg.DeniedAccessKeys = append(cfg.DeniedAccessKeys, expressconnecttest.AccessKey{AccessKeyID: k.ID, AccessKeySecret: k.Secret})
	}
	if s.STS != nil {
		cfg.STS = expressconnecttest.STSCredentials{AccessKeyID: s.STS.ID, AccessKeySecret: s.STS.Secret, SecurityToken: s.STS.SecurityToken}
	}
	return cfg
}

// duration returns the delay as the server takes it: 0 for off, and at least a nanosecond for
// on, so that "0s" (at once) is not taken for off.
func (d delay) duration() time.Duration {
	if !d.on {
		return 0
	}
	return max(d.after, time.Nanosecond)
}
