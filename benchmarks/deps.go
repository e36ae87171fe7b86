package benchmarks

import (
	_ "github.com/alibabacloud-go/vpc-20160428/v6/client"
	_ "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)
