package expressconnect

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/expressconnect-go/expressconnect/internal/rules"
)

// regionEndpoints lists every region the client knows, with the endpoint of those that the
// official SDK maps to a host other than vpc.<region>.aliyuncs.com ("" for the others). It
// holds the public regions of Alibaba Cloud's "Regions and zones" documentation
// (https://www.alibabacloud.com/help/doc-detail/189254.htm)
// and every region of the official SDKs' endpoint data: the EndpointMap of
// github.com/alibabacloud-go/vpc-20160428/v6 v6.12.8 and of github.com/aliyun/alibaba-cloud-sdk-go
// v1.63.107's vpc client, whose endpoints are the ones used here, and the regions of the vpc
// entry of that SDK's generic endpoints configuration (sdk/endpoints, which sends eight public
// regions to vpc.aliyuncs.com where both vpc clients use the regional endpoint). A test of the
// benchmarks module, which depends on the official SDKs, fails when this table and their data
// disagree.
var regionEndpoints = map[string]string{
	// Public regions, mainland China.
	"cn-qingdao": "", "cn-beijing": "", "cn-zhangjiakou": "", "cn-huhehaote": "", "cn-wulanchabu": "",
	"cn-hangzhou": "vpc.aliyuncs.com", "cn-shanghai": "", "cn-nanjing": "", "cn-fuzhou": "",
	"cn-shenzhen": "", "cn-heyuan": "", "cn-guangzhou": "", "cn-chengdu": "",
	"cn-zhengzhou-jva": "",
	// Public regions elsewhere.
	"cn-hongkong": "", "ap-northeast-1": "", "ap-northeast-2": "", "ap-southeast-1": "",
	"ap-southeast-2": "", "ap-southeast-3": "", "ap-southeast-5": "", "ap-southeast-6": "",
	"ap-southeast-7": "", "ap-southeast-8": "", "ap-south-1": "", "us-east-1": "", "us-west-1": "",
	"us-southeast-1": "", "eu-central-1": "", "eu-west-1": "", "me-east-1": "",
	// Finance and government clouds.
	"cn-shanghai-finance-1": "vpc.aliyuncs.com", "cn-shenzhen-finance-1": "vpc.aliyuncs.com",
	"cn-north-2-gov-1": "vpc.aliyuncs.com",
	// The other regions of the official SDK's endpoint data.
	"ap-northeast-2-pop": "vpc.aliyuncs.com", "cn-beijing-finance-pop": "vpc.aliyuncs.com",
	"cn-beijing-gov-1": "vpc.aliyuncs.com", "cn-beijing-nu16-b01": "vpc.aliyuncs.com",
	"cn-fujian": "vpc.aliyuncs.com", "cn-haidian-cm12-c01": "vpc.aliyuncs.com",
	"cn-hangzhou-bj-b01": "vpc.aliyuncs.com", "cn-hangzhou-finance": "vpc.aliyuncs.com",
	"cn-hangzhou-internal-prod-1": "vpc.aliyuncs.com", "cn-hongkong-finance-pop": "vpc.aliyuncs.com",
	"cn-shanghai-et2-b01": "vpc.aliyuncs.com", "cn-shanghai-inner": "vpc.aliyuncs.com",
	"cn-shenzhen-inner": "vpc.aliyuncs.com", "cn-shenzhen-st4-d01": "vpc.aliyuncs.com",
	"cn-shenzhen-su18-b01": "vpc.aliyuncs.com", "cn-wuhan": "vpc.aliyuncs.com",
	"cn-yushanfang": "vpc.aliyuncs.com", "cn-zhangbei": "vpc.aliyuncs.com",
	"cn-zhangbei-na61-b01": "vpc.aliyuncs.com", "rus-west-1-pop": "vpc.aliyuncs.com",
	"cn-edge-1": "vpc-nebula.cn-qingdao-nebula.aliyuncs.com", "cn-huhehaote-nebula-1": "vpc-nebula.cn-qingdao-nebula.aliyuncs.com",
	"cn-qingdao-nebula": "vpc-nebula.cn-qingdao-nebula.aliyuncs.com", "cn-zhengzhou-nebula-1": "vpc-nebula.cn-qingdao-nebula.aliyuncs.com",
	"cn-hangzhou-internal-test-1": "vpc-pre.cn-hangzhou.aliyuncs.com", "cn-hangzhou-internal-test-3": "vpc-pre.cn-hangzhou.aliyuncs.com",
	"cn-hangzhou-test-306": "vpc-pre.cn-hangzhou.aliyuncs.com", "cn-shanghai-et15-b01": "vpc-pre.cn-hangzhou.aliyuncs.com",
	"cn-shanghai-internal-test-1": "vpc-pre.cn-hangzhou.aliyuncs.com",
	"cn-hangzhou-internal-test-2": "vpc-inner-pre.cn-hangzhou.aliyuncs.com",
	"cn-zhangjiakou-na62-a01":     "vpc.cn-zhangjiakou.aliyuncs.com",
	"eu-west-1-oxs":               "vpc-nebula.cn-shenzhen-cloudstone.aliyuncs.com",
}

// Regions returns every region the client knows, sorted. A client refuses any other region
// unless [WithUnlistedRegions] or [WithEndpoint] is given.
func Regions() []string {
	return slices.Sorted(maps.Keys(regionEndpoints))
}

// EndpointForRegion returns the host the client sends to for region: the official SDK's
// endpoint for the regions it maps (vpc.aliyuncs.com for cn-hangzhou and others), and
// vpc.<region>.aliyuncs.com for every other region.
func EndpointForRegion(region string) string {
	if host := regionEndpoints[region]; host != "" {
		return host
	}
	return "vpc." + region + ".aliyuncs.com"
}

// checkRegion returns nil for a region the client knows, and otherwise an error that names the
// nearest known region when one is close.
func checkRegion(region string) error {
	if _, ok := regionEndpoints[region]; ok {
		return nil
	}
	msg := fmt.Sprintf("region %q is not one the client knows", region)
	if near := nearestRegion(region); near != "" {
		msg += fmt.Sprintf(": did you mean %q?", near)
	}
	return errors.New(msg + " (Regions lists them; WithUnlistedRegions allows a newer one, WithEndpoint any endpoint)")
}

// nearestRegion returns the known region nearest to region in edit distance, if it is at most
// 3 edits away.
func nearestRegion(region string) string { return rules.Nearest(region, Regions(), 3) }

// validRegionName reports whether region can be a host name label (rules.RegionID).
func validRegionName(region string) bool { return rules.RegionID(region) == nil }

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

// checkPlainHTTP refuses baseURL, a URL that parseEndpoint returned, when it is plain http://
// to a host that is not loopback: the signature and any SecurityToken would cross the network
// in clear.
func checkPlainHTTP(baseURL string) error {
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme != "http" || isLoopbackHost(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("WithEndpoint %q: plain http:// is allowed only to a loopback host (localhost, 127.0.0.0/8, ::1), "+
		"since the signature and any SecurityToken would cross the network in clear: use https://, or WithInsecureHTTP to allow it", baseURL)
}

// isLoopbackHost reports whether host, a URL's host name without brackets or port, is
// "localhost" or a loopback IP address (127.0.0.0/8, ::1).
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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

// hostOf returns the host (with its port, if any) of a base URL that parseEndpoint returned.
func hostOf(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil {
		return ""
	}
	return u.Host
}
