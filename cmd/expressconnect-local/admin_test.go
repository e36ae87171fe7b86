package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// This file checks that the command's settings of the admin API reach the server; the
// server's own tests check the admin API itself.

// adminAnswer is an answer of the admin API.
type adminAnswer struct {
	status int
	body   string
}

// errorBody decodes an error answer, failing the test unless the body is {"Code": "...",
// "Message": "..."}.
func (a adminAnswer) errorBody(t *testing.T) (code, message string) {
	t.Helper()
	var e map[string]string
	require.NoError(t, json.Unmarshal([]byte(a.body), &e), a.body)
	require.Len(t, e, 2, a.body)
	return e["Code"], e["Message"]
}

// adminCall sends method path with body (none when "", JSON otherwise) to the command at
// base, with the Host host ("" keeps the URL's) and the Authorization auth ("" sends none).
func adminCall(t *testing.T, base, method, path, body string, header ...string) adminAnswer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, base+path, rd)
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	return adminAnswer{status: resp.StatusCode, body: string(raw)}
}

// sandbox is the command run for an admin test, with an SDK client that makes one attempt.
type sandbox struct {
	*running
	client *expressconnect.Client
}

// startSandbox runs the command with fixed credentials and args.
func startSandbox(t *testing.T, args ...string) sandbox {
	t.Helper()
	r := startRun(t, noEnv, append([]string{"-access-key", "LTAI5tAdminTest:admin-secret"}, args...)...)
	c, err := expressconnect.NewClient(expressconnect.WithEndpoint(r.banner.url), expressconnect.WithRegion("cn-hangzhou"),
		expressconnect.WithAccessKey(r.banner.keyID, r.banner.keySecret), expressconnect.WithMaxAttempts(1))
	require.NoError(t, err)
	return sandbox{running: r, client: c}
}

// call sends an admin request.
func (s sandbox) call(t *testing.T, method, path, body string, header ...string) adminAnswer {
	t.Helper()
	return adminCall(t, s.banner.url, method, path, body, header...)
}

// create creates a hosted connection on vlan and returns its ID.
func (s sandbox) create(t *testing.T, vlan int) string {
	t.Helper()
	resp, err := s.client.CreateVirtualPhysicalConnection(context.Background(), &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VpconnAliUID: "1210123456123456", VLANID: expressconnect.VLAN(vlan),
		Spec: expressconnect.Spec100M, OrderMode: expressconnect.PayByPhysicalConnectionOwner,
	})
	require.NoError(t, err)
	return resp.VirtualPhysicalConnectionID
}

// TestAdminSettings checks that -admin-token and -admin-allowed-hosts reach the server: the
// allowed host is answered, another is not, and a wrong token is refused; and that the admin
// requests are logged without the token.
func TestAdminSettings(t *testing.T) {
	t.Parallel()
	const token = "0123456789abcdef0123456789abcdef"
	s := startSandbox(t, "-admin-token", token, "-admin-allowed-hosts", "sandbox.ci.internal")
	cases := []struct {
		name   string
		header []string
		status int
		code   string
	}{
		{"loopback, no token", nil, http.StatusOK, ""},
		{"right token", []string{"Authorization", "Bearer " + token}, http.StatusOK, ""},
		{"allowed host", []string{"Host", "SANDBOX.ci.internal:8080"}, http.StatusOK, ""},
		{"other host", []string{"Host", "attacker.example"}, http.StatusForbidden, "Forbidden"},
		{"wrong token", []string{"Authorization", "Bearer " + strings.Repeat("0", len(token))}, http.StatusUnauthorized, "Unauthorized"},
	}
	for _, tc := range cases {
		a := s.call(t, http.MethodGet, "/_sandbox/clock", "", tc.header...)
		assert.Equal(t, tc.status, a.status, tc.name)
		if tc.code != "" {
			code, _ := a.errorBody(t)
			assert.Equal(t, tc.code, code, tc.name)
		}
	}
	require.NoError(t, s.stop())
	assert.NotContains(t, s.stderr.String(), token, "no log line holds the token")
	for _, status := range []string{"200", "401", "403"} {
		assert.Regexp(t, `msg=admin method=GET path=/_sandbox/clock status=`+status+`\n`, s.stderr.String())
	}
}

// TestAdminOff checks that -admin=false (or its variable) turns every admin route off.
func TestAdminOff(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"flag", nil, []string{"-admin=false"}},
		{"environment", map[string]string{"EXPRESSCONNECT_LOCAL_ADMIN": "false"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := startRun(t, envOf(tc.env), tc.args...)
			assert.Contains(t, r.stdout.String(), "  Admin API        off\n")
			createWith(t, r.banner)
			for _, rt := range adminRoutes {
				path := strings.ReplaceAll(rt.path, "{id}", "pc-x")
				a := adminCall(t, r.banner.url, rt.method, path, "")
				assert.Equal(t, http.StatusNotFound, a.status, path)
				code, message := a.errorBody(t)
				assert.Equal(t, "AdminOff", code, path)
				assert.Contains(t, message, "the command's -admin=false", path)
			}
			assert.Len(t, listWith(t, r.banner), 1, "the reset route did nothing")
		})
	}
}

// TestAdminRoutesAreTheServers checks that the routes the help and the documentation list are
// those of the server's index, in its order and words.
func TestAdminRoutesAreTheServers(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	var index struct{ Routes []string }
	require.NoError(t, json.Unmarshal([]byte(s.call(t, http.MethodGet, "/_sandbox/", "").body), &index))
	var ours []string
	for _, rt := range adminRoutes {
		ours = append(ours, rt.method+" "+rt.path+": "+rt.doc)
	}
	assert.Equal(t, index.Routes, ours)
}

// TestBannerPrintsTheAdminToken checks that the banner prints the admin token, random unless
// given, quoted for the shell, and that it opens the admin API.
func TestBannerPrintsTheAdminToken(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		want string // "" for a random one
	}{
		{"random", nil, ""},
		{"given", []string{"-admin-token", "given-token-0123456789"}, "given-token-0123456789"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := startRun(t, noEnv, tc.args...)
			m := regexpFind(t, `(?m)^  Admin token      '([^']+)' \(optional on loopback\)$`, r.stdout.String())
			if tc.want == "" {
				assert.Regexp(t, `^[0-9a-f]{32}$`, m)
			} else {
				assert.Equal(t, tc.want, m)
			}
			assert.Contains(t, r.stdout.String(), "  export EXPRESSCONNECT_LOCAL_ADMIN_TOKEN='"+m+"'\n")
			assert.Equal(t, http.StatusOK, adminCall(t, r.banner.url, http.MethodGet, "/_sandbox/clock", "", "Authorization", "Bearer "+m).status)
			assert.Equal(t, http.StatusUnauthorized, adminCall(t, r.banner.url, http.MethodGet, "/_sandbox/clock", "",
				"Authorization", "Bearer wrong-token-0123456789").status, "the server checks the banner's token")
		})
	}
}

// regexpFind returns the first submatch of pattern in text, failing the test when there is
// none.
func regexpFind(t *testing.T, pattern, text string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(text)
	require.NotNil(t, m, "%s in:\n%s", pattern, text)
	return m[1]
}

// TestConnectionLimit checks that the command holds at most -max-connections connections open
// at once: another client waits until one of them closes.
func TestConnectionLimit(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, "-max-connections", "2")
	addr := strings.TrimPrefix(s.banner.url, "http://")
	hold := func() net.Conn { // a keep-alive connection, answered once, then left open
		t.Helper()
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		require.NoError(t, err)
		_, err = io.WriteString(c, "GET /_sandbox/clock HTTP/1.1\r\nHost: localhost\r\n\r\n")
		require.NoError(t, err)
		require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, http.StatusOK, resp.StatusCode)
		return c
	}
	first, second := hold(), hold()
	defer second.Close()
	get := func(timeout time.Duration) error {
		client := &http.Client{Timeout: timeout, Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := client.Get(s.banner.url + "/_sandbox/clock")
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.Body.Close()
	}
	assert.Error(t, get(300*time.Millisecond), "a third connection waits")
	require.NoError(t, first.Close())
	assert.NoError(t, get(5*time.Second), "it is served once one closes")
}

// admin returns the Go client of the command's admin API, with token ("" for none).
func (s sandbox) admin(t *testing.T, token string) *expressconnecttest.Admin {
	t.Helper()
	adm, err := expressconnecttest.NewAdmin(s.banner.url, token)
	require.NoError(t, err)
	return adm
}

// TestAdminClientAgainstTheCommand drives the command with the Go client of its admin API,
// every method of it, with the admin token the command was given.
func TestAdminClientAgainstTheCommand(t *testing.T) {
	t.Parallel()
	const token = "0123456789abcdef0123456789abcdef"
	s := startSandbox(t, "-admin-token", token, "-sts-access-key-id", "STS.NUAdminTest", "-sts-access-key-secret", "sts-secret",
		"-sts-security-token", "CAISadmin", "-clock-offset", "1m", "-request-log-size", "50")
	adm := s.admin(t, token)
	ctx := context.Background()

	actions, err := adm.Actions(ctx)
	require.NoError(t, err)
	assert.Contains(t, actions, "CreateVirtualPhysicalConnection")
	for _, a := range actions {
		assert.Contains(t, strings.Join(strings.Fields(helpIntro), " "), a, "-h names every action the command serves")
	}
	circuits, err := adm.Circuits(ctx)
	require.NoError(t, err)
	require.Len(t, circuits, 1)
	assert.Equal(t, expressconnecttest.DefaultCircuitID, circuits[0].ID)
	require.NoError(t, adm.SetCircuit(ctx, expressconnecttest.Circuit{ID: "pc-bp1commandcircuit001", Quota: 1}))
	circuits, err = adm.Circuits(ctx)
	require.NoError(t, err)
	assert.Len(t, circuits, 2)

	id := s.create(t, 10)
	for _, act := range []expressconnecttest.Action{expressconnecttest.TenantAccepts, expressconnecttest.BillingEnables,
		expressconnecttest.BillingLocksFinancial, expressconnecttest.BillingUnlocks, expressconnecttest.BillingLocksSecurity} {
		require.NoError(t, adm.Act(ctx, id, act), act)
	}
	c, err := adm.Connection(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, expressconnect.StatusEnabled, c.Status)
	assert.Equal(t, expressconnect.BusinessStatusSecurityLocked, c.BusinessStatus)
	assert.ErrorIs(t, adm.Act(ctx, id, expressconnecttest.TenantRejects), expressconnecttest.ErrTransitionNotAllowed)
	assert.ErrorIs(t, adm.Act(ctx, "pc-bp1unknown", expressconnecttest.TenantAccepts), expressconnecttest.ErrUnknownConnection)
	conns, err := adm.Connections(ctx)
	require.NoError(t, err)
	assert.Equal(t, []expressconnecttest.Connection{c}, conns)

	require.NoError(t, adm.InjectFaults(ctx, 1, expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle,
		Action: "ListVirtualPhysicalConnections"}))
	_, err = s.client.ListVirtualPhysicalConnections(ctx, &expressconnect.ListVirtualPhysicalConnectionsRequest{})
	assert.ErrorIs(t, err, expressconnect.CodeThrottlingUser)
	require.NoError(t, adm.InjectFaults(ctx, 3, expressconnecttest.Fault{Kind: expressconnecttest.FaultClose}))
	require.NoError(t, adm.ClearFaults(ctx))
	page, err := adm.Requests(ctx, 0, 0)
	require.NoError(t, err)
	require.Len(t, page.Requests, 2)
	assert.Equal(t, expressconnecttest.FaultThrottle, page.Requests[1].Fault)
	assert.Equal(t, "<redacted>", page.Requests[0].Params.Get("Signature"))

	require.NoError(t, adm.ExpireSTSCredentials(ctx))
	sts, err := expressconnect.NewClient(expressconnect.WithEndpoint(s.banner.url), expressconnect.WithRegion("cn-hangzhou"),
		expressconnect.WithSTSCredentials("STS.NUAdminTest", "sts-secret", "CAISadmin"), expressconnect.WithMaxAttempts(1))
	require.NoError(t, err)
	_, err = sts.ListVirtualPhysicalConnections(ctx, &expressconnect.ListVirtualPhysicalConnectionsRequest{})
	assert.ErrorIs(t, err, expressconnect.CodeInvalidSecurityTokenExpired)

	require.NoError(t, adm.SetClockOffset(ctx, -time.Hour))
	now, err := adm.Now(ctx)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(-time.Hour), now, 10*time.Second)

	require.NoError(t, adm.Reset(ctx))
	now, err = adm.Now(ctx)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(time.Minute), now, 10*time.Second, "-clock-offset again")
	conns, err = adm.Connections(ctx)
	require.NoError(t, err)
	assert.Empty(t, conns)
	_, err = sts.ListVirtualPhysicalConnections(ctx, &expressconnect.ListVirtualPhysicalConnectionsRequest{})
	assert.NoError(t, err, "the STS credentials are valid again")
}

// TestResetFaultThroughTheConnectionLimit checks that a reset fault still resets the
// connection (rather than closing it) through the listener that limits the connections.
func TestResetFaultThroughTheConnectionLimit(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	require.NoError(t, s.admin(t, "").InjectFaults(context.Background(), 1, expressconnecttest.Fault{Kind: expressconnecttest.FaultReset}))
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	_, err := client.Post(s.banner.url+"/", "application/x-www-form-urlencoded", strings.NewReader("Action=x"))
	assert.ErrorIs(t, err, syscall.ECONNRESET)
}

// TestRetentionSetting checks that -retention reaches the server: a deleted hosted connection
// is forgotten once the retention has passed on the server's clock.
func TestRetentionSetting(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, "-retention", "1h")
	id := s.create(t, 80)
	kept := s.create(t, 81)
	_, err := s.client.DeleteVirtualPhysicalConnection(context.Background(), &expressconnect.HostedConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionID: id})
	require.NoError(t, err)
	adm, ctx := s.admin(t, ""), context.Background()
	conns, err := adm.Connections(ctx)
	require.NoError(t, err)
	require.Len(t, conns, 2, "kept within the retention")

	require.NoError(t, adm.SetClockOffset(ctx, 2*time.Hour))
	conns, err = adm.Connections(ctx)
	require.NoError(t, err)
	require.Len(t, conns, 1, "the deleted one is forgotten")
	assert.Equal(t, kept, conns[0].VirtualPhysicalConnectionID)
}

// TestAdminBeyondLoopback runs the command on every address, as the container image does: the
// banner says the admin token is required, the server refuses an admin client without it,
// and takes one with it.
func TestAdminBeyondLoopback(t *testing.T) {
	t.Parallel()
	const token = "fedcba9876543210fedcba9876543210"
	r := startRun(t, noEnv, "-addr", "0.0.0.0:0", "-admin-token", token)
	assert.Contains(t, r.stdout.String(), "(required: the sandbox listens beyond loopback)")
	_, port, err := net.SplitHostPort(strings.TrimPrefix(r.banner.url, "http://"))
	require.NoError(t, err)
	loopback := "http://127.0.0.1:" + port
	ctx := context.Background()

	without, err := expressconnecttest.NewAdmin(loopback, "")
	require.NoError(t, err)
	_, err = without.Now(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "HTTP 401 Unauthorized")
	with, err := expressconnecttest.NewAdmin(loopback, token)
	require.NoError(t, err)
	_, err = with.Now(ctx)
	assert.NoError(t, err)
}
