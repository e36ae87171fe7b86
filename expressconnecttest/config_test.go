package expressconnecttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// TestConfigDefaults checks what the zero Config gives: the default account and region, a
// random AccessKey and random STS credentials that the server accepts, the default circuit,
// and a tenant and billing that do not act by themselves.
func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	a := s.Account()
	assert.Equal(t, expressconnecttest.DefaultAccountID, a.AccountID)
	assert.Equal(t, expressconnecttest.DefaultRegionID, a.RegionID)
	assert.Regexp(t, `^LTAI5t[A-Za-z0-9]{18}$`, a.AccessKeyID)
	assert.Len(t, a.AccessKeySecret, 30)
	assert.Regexp(t, `^STS\.NU[A-Za-z0-9]{24}$`, a.STS.AccessKeyID)
	assert.NotEmpty(t, a.STS.AccessKeySecret)
	assert.True(t, strings.HasPrefix(a.STS.SecurityToken, "CAIS"))
	assert.NotEqual(t, a, expressconnecttest.NewTestServer(t, expressconnecttest.Config{}).Account(), "random at each start")
	assert.Equal(t, []expressconnecttest.Circuit{{ID: expressconnecttest.DefaultCircuitID, RegionID: expressconnecttest.DefaultRegionID,
		Status: expressconnect.StatusEnabled, CapacityMbps: expressconnecttest.DefaultCapacityMbps, Quota: expressconnecttest.DefaultQuota,
		Owner: expressconnecttest.DefaultAccountID}}, admin(t, s).Circuits())

	sts := newClient(t, s, expressconnect.WithSTSCredentials(a.STS.AccessKeyID, a.STS.AccessKeySecret, a.STS.SecurityToken))
	id := createWithClient(t, sts, 10)
	admin(t, s).SetClockOffset(100 * 365 * 24 * time.Hour) // no automatic step, however long the wait
	assert.Equal(t, "UnConfirmed Allocated Normal", state(connOf(t, s, id)))
}

// TestConfigAccessKeys checks that the first AccessKey is the account's own, which Account
// returns and Client uses, and that the others are accepted too.
func TestConfigAccessKeys(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{AccessKeys: []expressconnecttest.AccessKey{
		{AccessKeyID: "LTAI5tFirstKey", AccessKeySecret: "first-secret"}, {AccessKeyID: "LTAI5tSecondKey", AccessKeySecret: "second-secret"}}})
	assert.Equal(t, "LTAI5tFirstKey", s.Account().AccessKeyID)
	assert.Equal(t, "first-secret", s.Account().AccessKeySecret)
	createWithClient(t, newClient(t, s), 10)
	createWithClient(t, newClient(t, s, expressconnect.WithAccessKey("LTAI5tSecondKey", "second-secret")), 11)
}

// TestConfigErrors checks that a Config that breaks a rule is refused with an error that names
// the field, and never shows a secret.
func TestConfigErrors(t *testing.T) {
	t.Parallel()
	key := func(id, secret string) []expressconnecttest.AccessKey {
		return []expressconnecttest.AccessKey{{AccessKeyID: id, AccessKeySecret: secret}}
	}
	cases := []struct {
		name string
		cfg  expressconnecttest.Config
		want string
	}{
		{"circuit without ID", expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{}}}, "circuit has no ID"},
		{"circuit ID without pc-", expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{ID: "x"}}}, `circuit ID "x" does not start with "pc-"`},
		{"circuit given twice", expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{ID: "pc-x"}, {ID: "pc-x"}}}, "circuit pc-x is given twice"},
		{"negative quota", expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{ID: "pc-x", Quota: -1}}}, "negative capacity or quota"},
		{"undocumented circuit status", expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{ID: "pc-x", Status: "Active"}}},
			`Status "Active" is none of the documented states`},
		{"circuit status in lower case", expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{ID: "pc-x", Status: "enabled"}}},
			`Status "enabled" is none of the documented states`},
		{"bad account", expressconnecttest.Config{AccountID: "me"}, `AccountID "me"`},
		{"empty AccessKey ID", expressconnecttest.Config{AccessKeys: key("", "s")}, "AccessKeys[0]: empty AccessKeyID"},
		{"empty secret", expressconnecttest.Config{AccessKeys: key("LTAI5tA", "")}, "AccessKeys[0]: AccessKeyID LTAI5tA: empty AccessKeySecret"},
		{"white space", expressconnecttest.Config{AccessKeys: key("LTAI 5tA", "x")}, "holds white space"},
		{"white space in the secret", expressconnecttest.Config{AccessKeys: key("LTAI5tA", "se cret")},
			"AccessKeys[0]: AccessKeyID LTAI5tA: the AccessKeySecret holds white space or a control character"},
		{"key given twice", expressconnecttest.Config{AccessKeys: append(key("LTAI5tA", "x"), key("LTAI5tA", "y")...)},
			`AccessKey ID "LTAI5tA" is given twice`},
		{"denied key equals the account key", expressconnecttest.Config{AccessKeys: key("LTAI5tA", "x"), DeniedAccessKeys: key("LTAI5tA", "s")},
			`AccessKey ID "LTAI5tA" is given twice`},
		{"empty STS token", expressconnecttest.Config{STS: expressconnecttest.STSCredentials{AccessKeyID: "STS.x", AccessKeySecret: "y"}},
			"STS: the SecurityToken must be non-empty"},
		{"STS without a secret", expressconnecttest.Config{STS: expressconnecttest.STSCredentials{AccessKeyID: "STS.x", SecurityToken: "t"}},
			"STS: AccessKeyID STS.x: empty AccessKeySecret"},
		{"negative accept delay", expressconnecttest.Config{AutoAccept: -time.Second}, "AutoAccept -1s is negative"},
		{"negative enable delay", expressconnecttest.Config{AutoEnable: -time.Second}, "AutoEnable -1s is negative"},
		{"negative termination delay", expressconnecttest.Config{TerminationDelay: -time.Second}, "TerminationDelay -1s is negative"},
		{"negative retention", expressconnecttest.Config{Retention: -time.Second}, "Retention -1s is negative"},
		{"negative idle timeout", expressconnecttest.Config{IdleTimeout: -time.Second}, "IdleTimeout -1s is negative"},
		{"short admin token", expressconnecttest.Config{AdminToken: "short-token"}, "AdminToken must be 16 to 256 letters"},
		{"admin token with a space", expressconnecttest.Config{AdminToken: "0123456789 abcdef"}, "AdminToken must be 16 to 256 letters"},
		{"allowed host with a port", expressconnecttest.Config{AdminAllowedHosts: []string{"sandbox:8080"}}, "AdminAllowedHosts[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := expressconnecttest.NewServer(tc.cfg)
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "expressconnecttest: Config: "), err.Error())
			for _, secret := range []string{"short-token", "0123456789 abcdef"} {
				assert.NotContains(t, err.Error(), secret)
			}
		})
	}
}

// TestConfigListener checks that the server serves on the listener it is given, and closes it
// when it is closed.
func TestConfigListener(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s, err := expressconnecttest.NewServer(expressconnecttest.Config{Listener: l})
	require.NoError(t, err)
	assert.Equal(t, "http://"+l.Addr().String(), s.URL())
	createWithClient(t, newClient(t, s), 10)
	s.Close()
	_, err = l.Accept()
	assert.Error(t, err, "closed with the server")
}

// syncBuffer is a bytes.Buffer safe for concurrent writers and readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written.
func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestConfigLogger checks the records of Config.Logger: one per request of the service's API,
// a faulted one included, by the time the client has its answer, with its AccessKeyId masked
// and no secret.
func TestConfigLogger(t *testing.T) {
	t.Parallel()
	var out syncBuffer
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{
		AccessKeys: []expressconnecttest.AccessKey{{AccessKeyID: "LTAI5tLoggedKey1", AccessKeySecret: "logged-secret"}},
		Logger:     slog.New(slog.NewJSONHandler(&out, nil)),
	})
	records := func() []map[string]any {
		var recs []map[string]any
		for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			var rec map[string]any
			require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
			recs = append(recs, rec)
		}
		return recs
	}

	created := post(t, s, validParams(s))
	require.Equal(t, http.StatusOK, created.Status, created.Raw)
	recs := records()
	require.Len(t, recs, 1, "logged before the answer reached the client")
	assert.Equal(t, "request", recs[0]["msg"])
	assert.Equal(t, created.str("RequestId"), recs[0]["request_id"])
	assert.Equal(t, "CreateVirtualPhysicalConnection", recs[0]["action"])
	assert.Equal(t, "POST", recs[0]["method"])
	assert.InDelta(t, http.StatusOK, recs[0]["status"], 0)
	assert.Equal(t, created.str("VirtualPhysicalConnection"), recs[0]["connection_id"])
	assert.Equal(t, "LTAI****Key1", recs[0]["access_key_id"])
	assert.Empty(t, recs[0]["fault"])

	admin(t, s).InjectFaults(1, expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle})
	p := validParams(s)
	p.Set("VlanId", "11")
	throttled := post(t, s, p)
	require.Equal(t, http.StatusBadRequest, throttled.Status, throttled.Raw)
	recs = records()
	require.Len(t, recs, 2)
	assert.Equal(t, string(expressconnect.CodeThrottlingUser), recs[1]["code"])
	assert.Equal(t, "FaultThrottle", recs[1]["fault"])
	assert.NotContains(t, out.String(), "logged-secret")
	assert.NotContains(t, out.String(), "LTAI5tLoggedKey1")
}

// TestNoAdmin checks that Config.NoAdmin answers every admin path of the listener HTTP 404,
// logs them, and leaves the service alone.
func TestNoAdmin(t *testing.T) {
	t.Parallel()
	var out syncBuffer
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{NoAdmin: true, Logger: slog.New(slog.NewTextHandler(&out, nil))})
	for _, path := range []string{"/_sandbox/", "/_sandbox/connections", "/_sandbox/reset", "/_sandbox/nothing"} {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, s.URL()+path, nil)
		require.NoError(t, err)
		a := adminDo(t, req)
		assert.Equal(t, http.StatusNotFound, a.status, path)
		assert.Equal(t, "AdminOff", a.errorCode(t), path)
	}
	createWithClient(t, newClient(t, s), 10)
	assert.Contains(t, out.String(), "msg=admin method=GET path=/_sandbox/reset status=404\n")
}
