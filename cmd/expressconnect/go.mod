module github.com/expressconnect-go/expressconnect/cmd/expressconnect

go 1.26.0

require (
	github.com/aliyun/credentials-go v1.4.14
	github.com/expressconnect-go/expressconnect v0.0.0
	github.com/spf13/cobra v1.10.2
	github.com/spf13/pflag v1.1.0
)

require (
	github.com/alibabacloud-go/debug v1.0.1 // indirect
	github.com/alibabacloud-go/tea v1.5.4 // indirect
	github.com/go-json-experiment/json v1.27.2 // indirect
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/json-iterator/go v1.1.12 // indirect
	github.com/modern-go/concurrent v0.0.0-20180306012644-bacd9c7ef1dd // indirect
	github.com/modern-go/reflect2 v1.0.2 // indirect
	golang.org/x/net v0.63.0 // indirect
	gopkg.in/ini.v1 v1.68.0 // indirect
)

replace github.com/expressconnect-go/expressconnect => ../..
