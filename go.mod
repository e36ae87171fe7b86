module github.com/expressconnect-go/expressconnect

go 1.26.0

require (
	github.com/alibabacloud-go/tea v1.5.4
	github.com/aliyun/credentials-go v1.4.14
	github.com/go-json-experiment/json v1.27.2
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/alibabacloud-go/debug v1.0.1 // indirect
	github.com/json-iterator/go v1.1.12 // indirect
	github.com/modern-go/concurrent v0.0.0-20180306012644-bacd9c7ef1dd // indirect
	github.com/modern-go/reflect2 v1.0.2 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/net v0.63.0 // indirect
	gopkg.in/ini.v1 v1.68.0 // indirect
)
