// Package benchmarks measures this SDK's CreateVirtualPhysicalConnection call side by side with
// both official Alibaba Cloud Go SDKs and with a bare net/http floor, and its
// ListVirtualPhysicalConnections of a 100-item page side by side with the official SDKs,
// against a loopback server in a separate process that verifies every signature. It also
// checks this SDK against the official SDKs' error values and endpoint data. It holds only
// tests and benchmarks; run them with run.sh (see the README).
package benchmarks
