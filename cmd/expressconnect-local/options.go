package main

import (
	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// serverOptions returns the options of the expressconnecttest server that s describes, which
// must have been checked.
func serverOptions(s settings) []expressconnecttest.Option {
	offset, _ := parseDuration(s.ClockOffset)
	idle, _ := parseDuration(s.IdleTimeout)
	logSize := s.RequestLogSize
	if !s.Admin {
		logSize = 0 // only the admin API reads the request log
	}
	opts := []expressconnecttest.Option{
		expressconnecttest.WithRegion(s.Region),
		expressconnecttest.WithAccountID(s.AccountID),
		expressconnecttest.WithClockOffset(offset),
		expressconnecttest.WithIdleTimeout(idle),
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
		opts = append(opts, expressconnecttest.WithCircuit(c.testCircuit()))
	}
	if d, on, _ := parseDelay(s.AutoAccept); on {
		opts = append(opts, expressconnecttest.WithAutoAccept(d))
	}
	if d, on, _ := parseDelay(s.AutoEnable); on {
		opts = append(opts, expressconnecttest.WithAutoEnable(d))
	}
	return opts
}

// circuitsOf returns the circuits the server of s starts with, as the banner lists them.
func circuitsOf(s settings) []expressconnecttest.Circuit {
	var out []expressconnecttest.Circuit
	replaced := false
	for _, c := range s.Circuits {
		replaced = replaced || c.ID == expressconnecttest.DefaultCircuitID
	}
	if !s.NoDefaultCircuit && !replaced {
		out = append(out, expressconnecttest.Circuit{ID: expressconnecttest.DefaultCircuitID})
	}
	for _, c := range s.Circuits {
		out = append(out, c.testCircuit())
	}
	for i := range out {
		out[i] = circuitDefaults(out[i], s.Region, s.AccountID)
	}
	return out
}

// circuitDefaults returns c with the defaults the server gives its zero fields, for display:
// the server's region and account, Enabled, DefaultCapacityMbps and DefaultQuota.
func circuitDefaults(c expressconnecttest.Circuit, region, account string) expressconnecttest.Circuit {
	if c.Status == "" {
		c.Status = expressconnect.StatusEnabled
	}
	if c.RegionID == "" {
		c.RegionID = region
	}
	if c.CapacityMbps == 0 {
		c.CapacityMbps = expressconnecttest.DefaultCapacityMbps
	}
	if c.Quota == 0 {
		c.Quota = expressconnecttest.DefaultQuota
	}
	if c.Owner == "" {
		c.Owner = account
	}
	return c
}
