module github.com/expressconnect-go/expressconnect/soak

go 1.26.0

replace github.com/expressconnect-go/expressconnect => ../

require github.com/expressconnect-go/expressconnect v0.0.0

require (
	github.com/alibabacloud-go/debug v1.0.1 // indirect
	github.com/alibabacloud-go/tea v1.5.4 // indirect
	github.com/aliyun/credentials-go v1.4.14 // indirect
	github.com/go-json-experiment/json v1.27.2 // indirect
	github.com/json-iterator/go v1.1.12 // indirect
	github.com/modern-go/concurrent v0.0.0-20180306012644-bacd9c7ef1dd // indirect
	github.com/modern-go/reflect2 v1.0.2 // indirect
	golang.org/x/net v0.63.0 // indirect
	gopkg.in/ini.v1 v1.68.0 // indirect
)
