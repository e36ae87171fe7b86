package main

import (
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// serverOptions returns the options of the expressconnecttest server that s describes. Every
// value of s was parsed and checked when it was loaded; the server applies its own defaults
// to what s leaves zero.
func serverOptions(s settings) []expressconnecttest.Option {
	logSize := s.RequestLogSize
	if !s.Admin {
		logSize = 0 // only the admin API reads the request log
	}
	opts := []expressconnecttest.Option{
		expressconnecttest.WithRegion(s.Region),
		expressconnecttest.WithAccountID(s.AccountID),
		expressconnecttest.WithClockOffset(s.ClockOffset),
		expressconnecttest.WithIdleTimeout(s.IdleTimeout),
		expressconnecttest.WithRetention(s.Retention),
		expressconnecttest.WithRequestLogSize(logSize),
		expressconnecttest.WithForbiddenTenant(s.ForbiddenTenants...),
	}
	for i, k := range s.AccessKeys {
		if i == 0 {
			opts = append(opts, expressconnecttest.WithAccessKey(k.ID, k.Secret))
		} else {
			opts = append(opts, expressconnecttest.WithAdditionalAccessKey(k.ID, k.Secret))
		}
	}
	for _, k := range s.DeniedAccessKeys {
		opts = append(opts, expressconnecttest.WithDeniedAccessKey(k.ID, k.Secret))
	}
	if s.STS != nil {
		opts = append(opts, expressconnecttest.WithSTSCredentials(s.STS.ID, s.STS.Secret, s.STS.SecurityToken))
	}
	if s.NoDefaultCircuit {
		opts = append(opts, expressconnecttest.WithoutDefaultCircuit())
	}
	for _, c := range s.Circuits {
		opts = append(opts, expressconnecttest.WithCircuit(c))
	}
	if s.AutoAccept.on {
		opts = append(opts, expressconnecttest.WithAutoAccept(s.AutoAccept.after))
	}
	if s.AutoEnable.on {
		opts = append(opts, expressconnecttest.WithAutoEnable(s.AutoEnable.after))
	}
	return opts
}
