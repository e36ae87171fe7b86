package expressconnect

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// centralEndpoint returns the endpoint of the regions that the official SDK
// (vpc-20160428 v6.12.8) maps to an endpoint other than vpc.<region>.aliyuncs.com.
func centralEndpoint(region string) (string, bool) {
	switch region {
	case "cn-hangzhou", "cn-shanghai-finance-1", "cn-shenzhen-finance-1", "cn-north-2-gov-1",
		"ap-northeast-2-pop", "cn-beijing-finance-pop", "cn-beijing-gov-1", "cn-beijing-nu16-b01",
		"cn-fujian", "cn-haidian-cm12-c01", "cn-hangzhou-bj-b01", "cn-hangzhou-finance",
		"cn-hangzhou-internal-prod-1", "cn-hongkong-finance-pop", "cn-shanghai-et2-b01",
		"cn-shanghai-inner", "cn-shenzhen-inner", "cn-shenzhen-st4-d01", "cn-shenzhen-su18-b01",
		"cn-wuhan", "cn-yushanfang", "cn-zhangbei", "cn-zhangbei-na61-b01", "rus-west-1-pop":
		return "vpc.aliyuncs.com", true
	case "cn-edge-1", "cn-huhehaote-nebula-1", "cn-qingdao-nebula", "cn-zhengzhou-nebula-1":
		return "vpc-nebula.cn-qingdao-nebula.aliyuncs.com", true
	case "cn-hangzhou-internal-test-1", "cn-hangzhou-internal-test-3", "cn-hangzhou-test-306",
		"cn-shanghai-et15-b01", "cn-shanghai-internal-test-1":
		return "vpc-pre.cn-hangzhou.aliyuncs.com", true
	case "cn-hangzhou-internal-test-2":
		return "vpc-inner-pre.cn-hangzhou.aliyuncs.com", true
	case "cn-zhangjiakou-na62-a01":
		return "vpc.cn-zhangjiakou.aliyuncs.com", true
	case "eu-west-1-oxs":
		return "vpc-nebula.cn-shenzhen-cloudstone.aliyuncs.com", true
	}
	return "", false
}

// EndpointForRegion returns the host the client sends to for region: the official SDK's
// endpoint for the regions it maps (vpc.aliyuncs.com for cn-hangzhou and others), and
// vpc.<region>.aliyuncs.com for every other region.
func EndpointForRegion(region string) string {
	if host, ok := centralEndpoint(region); ok {
		return host
	}
	return "vpc." + region + ".aliyuncs.com"
}

// parseEndpoint turns an endpoint option, a host ("vpc.cn-beijing.aliyuncs.com", with an
// optional port) or a URL with scheme ("http://127.0.0.1:8080", "http://[fe80::1%25eth0]:8080"),
// into the base URL requests are sent to, ending in "/". It refuses an endpoint without a
// host, with a port outside 1..65535, or with user info, a path, a query or a fragment.
func parseEndpoint(endpoint string) (string, error) {
	if endpoint == "" {
		return "", errors.New("endpoint must not be empty")
	}
	if !strings.Contains(endpoint, "://") {
		endpoint = "https://" + endpoint
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", errors.New("endpoint is not a host or URL")
	}
	if u.User != nil {
		return "", errors.New("endpoint must not carry user info")
	}
	shown := u.Redacted()
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("endpoint %q: scheme must be http or https", shown)
	case u.Hostname() == "":
		return "", fmt.Errorf("endpoint %q has no host", shown)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", fmt.Errorf("endpoint %q must not carry a query or a fragment", shown)
	case u.Path != "" && u.Path != "/":
		return "", fmt.Errorf("endpoint %q must not carry a path: the RPC API is served at /", shown)
	}
	if err := checkPort(u); err != nil {
		return "", fmt.Errorf("endpoint %q: %w", shown, err)
	}
	base := url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/"}
	return base.String(), nil
}

// checkPort checks that u's port, when it has one, is 1 to 65535.
func checkPort(u *url.URL) error {
	if !strings.HasSuffix(u.Host, ":") && u.Port() == "" {
		return nil
	}
	n, err := strconv.Atoi(u.Port())
	if err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("port must be 1 to 65535, got %q", u.Port())
	}
	return nil
}
