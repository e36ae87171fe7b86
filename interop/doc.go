// Package interop checks the local endpoint against clients that this project did not write:
// the Tea SDK (github.com/alibabacloud-go/vpc-20160428/v6) and the older SDK
// (github.com/aliyun/alibaba-cloud-sdk-go, services/vpc), each driven through
// CreateVirtualPhysicalConnection, ListVirtualPhysicalConnections,
// UpdateVirtualPhysicalConnection, DeletePhysicalConnection, TerminatePhysicalConnection,
// CancelPhysicalConnection and DescribePhysicalConnections against the expressconnect-local
// command, built the way the Dockerfile builds it and run as a separate process, whose admin
// API the tests drive with its Go client (expressconnecttest.NewAdmin) to read, change and
// reset its state. It holds only tests; run them with go test ./... in this folder.
//
// It is a nested module, so that the main module's dependencies stay the four it names;
// replace points at the SDK in the parent folder.
package interop
