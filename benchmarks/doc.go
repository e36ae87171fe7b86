// Package benchmarks measures this SDK's CreateVirtualPhysicalConnection call side by side with
// both official Alibaba Cloud Go SDKs and with a bare net/http floor, against a loopback server
// in a separate process that verifies every signature. It holds only tests and benchmarks; run
// them with run.sh (see the README's Performance section).
package benchmarks
