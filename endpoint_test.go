package expressconnect

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// endpointCentral is the endpoint map of the official SDK vpc-20160428 v6.12.8 (client.go,
// EndpointMap): every region it sends somewhere other than vpc.<region>.aliyuncs.com.
var endpointCentral = map[string]string{
	"cn-hangzhou":                 "vpc.aliyuncs.com",
	"cn-shanghai-finance-1":       "vpc.aliyuncs.com",
	"cn-shenzhen-finance-1":       "vpc.aliyuncs.com",
	"cn-north-2-gov-1":            "vpc.aliyuncs.com",
	"ap-northeast-2-pop":          "vpc.aliyuncs.com",
	"cn-beijing-finance-pop":      "vpc.aliyuncs.com",
	"cn-beijing-gov-1":            "vpc.aliyuncs.com",
	"cn-beijing-nu16-b01":         "vpc.aliyuncs.com",
	"cn-edge-1":                   "vpc-nebula.cn-qingdao-nebula.aliyuncs.com",
	"cn-fujian":                   "vpc.aliyuncs.com",
	"cn-haidian-cm12-c01":         "vpc.aliyuncs.com",
	"cn-hangzhou-bj-b01":          "vpc.aliyuncs.com",
	"cn-hangzhou-finance":         "vpc.aliyuncs.com",
	"cn-hangzhou-internal-prod-1": "vpc.aliyuncs.com",
	"cn-hangzhou-internal-test-1": "vpc-pre.cn-hangzhou.aliyuncs.com",
	"cn-hangzhou-internal-test-2": "vpc-inner-pre.cn-hangzhou.aliyuncs.com",
	"cn-hangzhou-internal-test-3": "vpc-pre.cn-hangzhou.aliyuncs.com",
	"cn-hangzhou-test-306":        "vpc-pre.cn-hangzhou.aliyuncs.com",
	"cn-hongkong-finance-pop":     "vpc.aliyuncs.com",
	"cn-huhehaote-nebula-1":       "vpc-nebula.cn-qingdao-nebula.aliyuncs.com",
	"cn-qingdao-nebula":           "vpc-nebula.cn-qingdao-nebula.aliyuncs.com",
	"cn-shanghai-et15-b01":        "vpc-pre.cn-hangzhou.aliyuncs.com",
	"cn-shanghai-et2-b01":         "vpc.aliyuncs.com",
	"cn-shanghai-inner":           "vpc.aliyuncs.com",
	"cn-shanghai-internal-test-1": "vpc-pre.cn-hangzhou.aliyuncs.com",
	"cn-shenzhen-inner":           "vpc.aliyuncs.com",
	"cn-shenzhen-st4-d01":         "vpc.aliyuncs.com",
	"cn-shenzhen-su18-b01":        "vpc.aliyuncs.com",
	"cn-wuhan":                    "vpc.aliyuncs.com",
	"cn-yushanfang":               "vpc.aliyuncs.com",
	"cn-zhangbei":                 "vpc.aliyuncs.com",
	"cn-zhangbei-na61-b01":        "vpc.aliyuncs.com",
	"cn-zhangjiakou-na62-a01":     "vpc.cn-zhangjiakou.aliyuncs.com",
	"cn-zhengzhou-nebula-1":       "vpc-nebula.cn-qingdao-nebula.aliyuncs.com",
	"eu-west-1-oxs":               "vpc-nebula.cn-shenzhen-cloudstone.aliyuncs.com",
	"rus-west-1-pop":              "vpc.aliyuncs.com",
}

func TestEndpointForRegion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		region, want string
	}{
		{"cn-hangzhou", "vpc.aliyuncs.com"},
		{"cn-beijing", "vpc.cn-beijing.aliyuncs.com"},
		{"cn-shanghai", "vpc.cn-shanghai.aliyuncs.com"},
		{"cn-zhangjiakou", "vpc.cn-zhangjiakou.aliyuncs.com"},
		{"ap-southeast-1", "vpc.ap-southeast-1.aliyuncs.com"},
		{"us-west-1", "vpc.us-west-1.aliyuncs.com"},
		{"eu-central-1", "vpc.eu-central-1.aliyuncs.com"},
	}
	for region, want := range endpointCentral {
		tests = append(tests, struct{ region, want string }{region, want})
	}
	for _, tc := range tests {
		t.Run(tc.region, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, EndpointForRegion(tc.region))
		})
	}
}

func TestEndpointOfClient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		region   string
		endpoint string
		want     string
	}{
		{name: "central region", region: "cn-hangzhou", want: "https://vpc.aliyuncs.com/"},
		{name: "regional region", region: "cn-beijing", want: "https://vpc.cn-beijing.aliyuncs.com/"},
		{name: "override with a host", region: "cn-hangzhou", endpoint: "vpc.cn-beijing.aliyuncs.com", want: "https://vpc.cn-beijing.aliyuncs.com/"},
		{name: "override with a host and port", region: "cn-hangzhou", endpoint: "vpc.example.test:8443", want: "https://vpc.example.test:8443/"},
		{name: "override with a loopback URL", region: "cn-hangzhou", endpoint: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080/"},
		{name: "override with a URL ending in a slash", region: "cn-hangzhou", endpoint: "http://127.0.0.1:8080/", want: "http://127.0.0.1:8080/"},
		{name: "override with an https URL", region: "cn-hangzhou", endpoint: "https://vpc-vpc.example.test", want: "https://vpc-vpc.example.test/"},
		{name: "override with an IPv6 loopback URL", region: "cn-hangzhou", endpoint: "http://[::1]:8080", want: "http://[::1]:8080/"},
		{name: "override without a region", endpoint: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := []Option{WithAccessKey("id", "secret")}
			if tc.region != "" {
				opts = append(opts, WithRegion(tc.region))
			}
			if tc.endpoint != "" {
				opts = append(opts, WithEndpoint(tc.endpoint))
			}

			c, err := NewClient(opts...)

			require.NoError(t, err)
			assert.Equal(t, tc.want, c.Endpoint())
			if tc.region != "" {
				assert.Equal(t, tc.region, c.Region())
			}
		})
	}
}

// TestEndpointOverrideKeepsRegion checks that requests go to the override while RegionId stays
// the client's region.
func TestEndpointOverrideKeepsRegion(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t)
	c := fixtureClient(t, srv.URL, WithRegion("cn-beijing"))
	req := allParamsRequest()
	req.RegionID = ""

	_, err := c.CreateVirtualPhysicalConnection(context.Background(), req)

	require.NoError(t, err)
	got := srv.queries()
	require.Len(t, got, 1)
	assert.Equal(t, "cn-beijing", got[0].Get("RegionId"))
}

func TestEndpointRejected(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opt      Option
		wantText string
	}{
		{name: "empty", opt: WithEndpoint(""), wantText: "WithEndpoint: endpoint must not be empty"},
		{name: "unknown scheme", opt: WithEndpoint("ftp://vpc.aliyuncs.com"), wantText: "scheme must be http or https"},
		{name: "no host", opt: WithEndpoint("https://"), wantText: "has no host"},
		{name: "no scheme before ://", opt: WithEndpoint("://vpc.aliyuncs.com"), wantText: "is not a host or URL"},
		{name: "bad port", opt: WithEndpoint("vpc.aliyuncs.com:port"), wantText: "is not a host or URL"},
		{name: "user info", opt: WithEndpoint("https://user@vpc.aliyuncs.com"), wantText: "must not carry user info"},
		{name: "query", opt: WithEndpoint("https://vpc.aliyuncs.com/?a=b"), wantText: "a query"},
		{name: "fragment", opt: WithEndpoint("https://vpc.aliyuncs.com/#top"), wantText: "a fragment"},
		{name: "path", opt: WithEndpoint("https://vpc.aliyuncs.com/api"), wantText: "must not carry a path"},
		{name: "host with a path", opt: WithEndpoint("vpc.aliyuncs.com/api"), wantText: "must not carry a path"},
		{name: "region that breaks the host", opt: WithRegion("cn-beijing/evil"), wantText: `must be at most 63 lower-case letters, digits and "-"`},
		{name: "region with a fragment", opt: WithRegion("evil.example#"), wantText: `must be at most 63 lower-case letters, digits and "-"`},
		{name: "region longer than a host name label", opt: WithRegion(strings.Repeat("a", 64)), wantText: `must be at most 63 lower-case letters`},
		{name: "region with a typo", opt: WithRegion("cn-hangzou"), wantText: `region "cn-hangzou" is not one the client knows: did you mean "cn-hangzhou"?`},
		{name: "region far from any", opt: WithRegion("mars-north-1"), wantText: `region "mars-north-1" is not one the client knows (Regions`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(WithAccessKey("id", "secret"), tc.opt)

			assert.Nil(t, c)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantText)
			assert.Regexp(t, "^expressconnect: ", err.Error())
		})
	}
}

// The tests below set ALIBABA_CLOUD_REGION_ID and so cannot run in parallel.

func TestEndpointNoRegion(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_REGION_ID", "")

	c, err := NewClient(WithAccessKey("id", "secret"))

	assert.Nil(t, c)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no region")
	assert.Contains(t, err.Error(), "ALIBABA_CLOUD_REGION_ID")
}

func TestEndpointRegionFromEnvironment(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_REGION_ID", "cn-beijing")
	tests := []struct {
		name         string
		opts         []Option
		wantRegion   string
		wantEndpoint string
	}{
		{name: "environment", wantRegion: "cn-beijing", wantEndpoint: "https://vpc.cn-beijing.aliyuncs.com/"},
		{name: "WithRegion wins", opts: []Option{WithRegion("cn-hangzhou")}, wantRegion: "cn-hangzhou", wantEndpoint: "https://vpc.aliyuncs.com/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient(append([]Option{WithAccessKey("id", "secret")}, tc.opts...)...)

			require.NoError(t, err)
			assert.Equal(t, tc.wantRegion, c.Region())
			assert.Equal(t, tc.wantEndpoint, c.Endpoint())
		})
	}
}

// TestEndpointRegions checks the list of regions: sorted, each a valid host label whose
// endpoint is a valid host, and the regions the official SDK maps to a central endpoint keep
// it.
func TestEndpointRegions(t *testing.T) {
	t.Parallel()
	regions := Regions()
	assert.True(t, slices.IsSorted(regions))
	for _, r := range regions {
		assert.True(t, validRegionName(r), r)
		assert.NoError(t, checkRegion(r))
		_, err := parseEndpoint(EndpointForRegion(r))
		assert.NoError(t, err, r)
	}
	assert.Contains(t, regions, "us-east-1", "Alibaba Cloud's US (Virginia) region")
	assert.Equal(t, "vpc.aliyuncs.com", EndpointForRegion("cn-hangzhou"))
	assert.Equal(t, "vpc.cn-beijing.aliyuncs.com", EndpointForRegion("cn-beijing"))
	regions[0] = "changed"
	assert.NotEqual(t, "changed", Regions()[0], "Regions returns a copy")
}

// TestEndpointUnlistedRegion checks that WithUnlistedRegions allows a region the client does
// not list, at its regional endpoint, and that WithEndpoint needs no listed region.
func TestEndpointUnlistedRegion(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithAccessKey("id", "secret"), WithRegion("cn-newcity"), WithUnlistedRegions())
	require.NoError(t, err)
	assert.Equal(t, "https://vpc.cn-newcity.aliyuncs.com/", c.Endpoint())

	c, err = NewClient(WithAccessKey("id", "secret"), WithRegion("cn-newcity"), WithEndpoint("http://127.0.0.1:9"))
	require.NoError(t, err)
	assert.Equal(t, "cn-newcity", c.Region())

	_, err = NewClient(WithAccessKey("id", "secret"), WithRegion("cn-new/city"), WithUnlistedRegions())
	require.ErrorIs(t, err, ErrInvalidOption, "an unlisted region must still be a host label")
}

// TestEndpointRegionFromEnvironmentChecked checks that a region from ALIBABA_CLOUD_REGION_ID is
// checked like one from WithRegion. It sets the environment, so it is not parallel.
func TestEndpointRegionFromEnvironmentChecked(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_REGION_ID", "cn-shangai")
	_, err := NewClient(WithAccessKey("id", "secret"))
	require.ErrorIs(t, err, ErrInvalidOption)
	assert.Contains(t, err.Error(), `did you mean "cn-shanghai"?`)
}

// TestEndpointPlainHTTP checks the plain-HTTP rule: an http:// endpoint is accepted when its
// host is loopback, and refused otherwise, naming the rule, unless WithInsecureHTTP is given.
func TestEndpointPlainHTTP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		endpoint string
		insecure bool
		wantErr  bool
	}{
		{name: "http to a public host", endpoint: "http://vpc.cn-hangzhou.aliyuncs.com", wantErr: true},
		{name: "http to a public host with a port", endpoint: "http://vpc.aliyuncs.com:8080", wantErr: true},
		{name: "http to a private address", endpoint: "http://10.0.0.1:8080", wantErr: true},
		{name: "http to an unspecified address", endpoint: "http://0.0.0.0:8080", wantErr: true},
		{name: "http to a name that starts like localhost", endpoint: "http://localhost.example.com", wantErr: true},
		{name: "http to an IPv6 link-local address", endpoint: "http://[fe80::1%25eth0]:8080", wantErr: true},
		{name: "HTTP in upper case to a public host", endpoint: "HTTP://vpc.aliyuncs.com", wantErr: true},
		{name: "http to a public host with WithInsecureHTTP", endpoint: "http://vpc.cn-hangzhou.aliyuncs.com", insecure: true},
		{name: "http to an IPv6 link-local address with WithInsecureHTTP", endpoint: "http://[fe80::1%25eth0]:8080", insecure: true},
		{name: "http to 127.0.0.1", endpoint: "http://127.0.0.1:8080"},
		{name: "http to another address of 127.0.0.0/8", endpoint: "http://127.1.2.3:8080"},
		{name: "http to localhost", endpoint: "http://localhost:8080"},
		{name: "http to LOCALHOST", endpoint: "http://LOCALHOST:8080"},
		{name: "http to ::1", endpoint: "http://[::1]:8080"},
		{name: "https to a public host", endpoint: "https://vpc.cn-hangzhou.aliyuncs.com"},
		{name: "a host alone, sent over https", endpoint: "vpc.cn-hangzhou.aliyuncs.com"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := []Option{WithAccessKey("id", "secret"), WithRegion("cn-hangzhou"), WithEndpoint(tc.endpoint)}
			if tc.insecure {
				opts = append(opts, WithInsecureHTTP())
			}

			c, err := NewClient(opts...)

			if tc.wantErr {
				assert.Nil(t, c)
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidOption)
				assert.Contains(t, err.Error(), "plain http:// is allowed only to a loopback host (localhost, 127.0.0.0/8, ::1)")
				assert.Contains(t, err.Error(), "WithInsecureHTTP")
				return
			}
			require.NoError(t, err)
			assert.NotEmpty(t, c.Endpoint())
		})
	}
}

// TestEndpointPlainHTTPOrder checks that WithInsecureHTTP allows a plain http:// endpoint
// whether it comes before or after WithEndpoint.
func TestEndpointPlainHTTPOrder(t *testing.T) {
	t.Parallel()
	for _, opts := range [][]Option{
		{WithInsecureHTTP(), WithEndpoint("http://vpc.aliyuncs.com")},
		{WithEndpoint("http://vpc.aliyuncs.com"), WithInsecureHTTP()},
	} {
		c, err := NewClient(append([]Option{WithAccessKey("id", "secret"), WithRegion("cn-hangzhou")}, opts...)...)
		require.NoError(t, err)
		assert.Equal(t, "http://vpc.aliyuncs.com/", c.Endpoint())
	}
}

// TestEndpointLoopbackCalls checks that calls work over http:// and https:// to a loopback
// server, without WithInsecureHTTP.
func TestEndpointLoopbackCalls(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		tls  bool
	}{
		{name: "http"},
		{name: "https", tls: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			handler := http.HandlerFunc(fixtureOK)
			srv := httptest.NewUnstartedServer(handler)
			if tc.tls {
				srv.StartTLS()
			} else {
				srv.Start()
			}
			t.Cleanup(srv.Close)
			c := fixtureClient(t, srv.URL, WithHTTPClient(srv.Client()))

			resp, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

			require.NoError(t, err)
			assert.Equal(t, fixtureOKConnectionID, resp.VirtualPhysicalConnectionID)
		})
	}
}
