package main

import (
	"context"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// writeConfig writes content to a config file of the test and returns its path.
func writeConfig(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sandbox.json")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// TestDefaultsNeedNothing checks that no flag, variable or file is needed, and what the
// defaults are.
func TestDefaultsNeedNothing(t *testing.T) {
	t.Parallel()
	s, err := loadSettings(nil, noEnv, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, defaultSettings(), s)
	assert.Equal(t, "127.0.0.1:8080", s.Addr)
	assert.True(t, s.Admin)
	assert.Empty(t, s.AccessKeys, "random credentials")
}

// TestSettingsPrecedence checks that the environment overrides the file and the flags override
// both, a list replacing the whole list.
func TestSettingsPrecedence(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, `{"Region": "cn-shanghai", "LogFormat": "json", "AutoAccept": "5s",
		"Circuits": [{"ID": "pc-file1"}, {"ID": "pc-file2"}],
		"AccessKeys": [{"AccessKeyId": "LTAI5tFromFile", "AccessKeySecret": "file-secret"}],
		"ForbiddenTenants": ["1210000000000001"]}`)
	env := envOf(map[string]string{
		"EXPRESSCONNECT_LOCAL_CONFIG":     path,
		"EXPRESSCONNECT_LOCAL_REGION":     "cn-beijing",
		"EXPRESSCONNECT_LOCAL_CIRCUIT":    "pc-env1,enabled=false  pc-env2,capacity=1000,quota=2,qos=true,region=cn-beijing  pc-env3,status=Terminated",
		"EXPRESSCONNECT_LOCAL_LOG_FORMAT": "text",
		"EXPRESSCONNECT_LOCAL_ADMIN":      "false",
		"EXPRESSCONNECT_LOCAL_QUIET":      "", // empty: unset
	})
	s, err := loadSettings([]string{"-log-format", "json", "-forbidden-tenant", "1210000000000002",
		"-forbidden-tenant", "1210000000000003", "-admin"}, env, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "cn-beijing", s.Region, "environment over file")
	assert.Equal(t, "json", s.LogFormat, "flag over environment")
	assert.Equal(t, delay{after: 5 * time.Second, on: true}, s.AutoAccept, "file over default")
	assert.True(t, s.Admin, "flag over environment")
	assert.False(t, s.Quiet)
	assert.Equal(t, []accessKey{{ID: "LTAI5tFromFile", Secret: "file-secret"}}, s.AccessKeys)
	assert.Equal(t, []string{"1210000000000002", "1210000000000003"}, s.ForbiddenTenants, "the flags replace the file's list")
	assert.Equal(t, []expressconnecttest.Circuit{{ID: "pc-env1", Status: expressconnect.StatusAllocated},
		{ID: "pc-env2", RegionID: "cn-beijing", CapacityMbps: 1000, Quota: 2, QoSBound: true},
		{ID: "pc-env3", Status: expressconnect.StatusTerminated}}, s.Circuits, "enabled=false is Allocated, no key is Enabled")
}

// TestAccessKeyFlags checks the ways to give AccessKey pairs and STS credentials.
func TestAccessKeyFlags(t *testing.T) {
	t.Parallel()
	s, err := loadSettings([]string{"-access-key", "LTAI5tOne:secret:with:colons", "-access-key", "LTAI5tTwo:two",
		"-denied-access-key", "LTAI5tDenied:no", "-sts-access-key-id", "STS.NUx", "-sts-access-key-secret", "sts-secret",
		"-sts-security-token", "CAIStoken"}, noEnv, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, []accessKey{{"LTAI5tOne", "secret:with:colons"}, {"LTAI5tTwo", "two"}}, s.AccessKeys)
	assert.Equal(t, []accessKey{{"LTAI5tDenied", "no"}}, s.DeniedAccessKeys)
	assert.Equal(t, &stsCredentials{"STS.NUx", "sts-secret", "CAIStoken"}, s.STS)

	path := writeConfig(t, `{"AccessKeys": [{"AccessKeyId": "LTAI5tA", "AccessKeySecret": "a"}, {"AccessKeyId": "LTAI5tB", "AccessKeySecret": "b"}]}`)
	s, err = loadSettings([]string{"-config", path, "-access-key-id", "LTAI5tC", "-access-key-secret", "c"}, noEnv, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, []accessKey{{"LTAI5tC", "c"}, {"LTAI5tB", "b"}}, s.AccessKeys, "-access-key-id replaces the first pair")
}

// TestSettingsHideSecrets checks that no way of printing the settings shows a secret.
func TestSettingsHideSecrets(t *testing.T) {
	t.Parallel()
	s, err := loadSettings([]string{"-access-key", "LTAI5tOne:topsecret1", "-sts-access-key-id", "STS.NUx",
		"-sts-access-key-secret", "topsecret2", "-sts-security-token", "topsecret3", "-admin-token", "topsecret4-admin-token"}, noEnv, io.Discard)
	require.NoError(t, err)
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		text := fmt.Sprintf(format, s) + fmt.Sprintf(format, *s.STS) + fmt.Sprintf(format, s.AccessKeys)
		assert.NotContains(t, text, "topsecret", format)
		assert.Contains(t, text, "LTAI5tOne", format)
	}
}

// TestConfigExampleIsValid checks that the example of the help loads and starts a server with
// its circuits and credentials.
func TestConfigExampleIsValid(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, configExample)
	s, err := loadSettings([]string{"-config", path}, noEnv, io.Discard)
	require.NoError(t, err)
	assert.Len(t, s.AccessKeys, 2)
	assert.Len(t, s.Circuits, 3)
	assert.Equal(t, "json", s.LogFormat)

	srv, err := expressconnecttest.NewServer(serverConfig(s, "test-admin-token-0001"))
	require.NoError(t, err)
	defer srv.Close()
	assert.Equal(t, "LTAI5tSandboxKey0001", srv.Account().AccessKeyID)
	assert.Equal(t, "STS.NUSandboxRole0001", srv.Account().STS.AccessKeyID)
	assert.Equal(t, "CAISsandboxSecurityToken", srv.Account().STS.SecurityToken)
	circuits, err := srv.Admin().Circuits(context.Background())
	require.NoError(t, err)
	require.Len(t, circuits, 3, "the example replaces the default circuit")
	assert.Equal(t, expressconnecttest.Circuit{ID: "pc-uf6sandboxcircuit0002", RegionID: "cn-shanghai",
		Status: expressconnect.StatusAllocated, CapacityMbps: expressconnecttest.DefaultCapacityMbps,
		Quota: expressconnecttest.DefaultQuota, Owner: expressconnecttest.DefaultAccountID}, circuits[2], `in ID order; "Enabled": false is Allocated`)
}

// TestSettingsErrors checks that every bad value is refused with an error naming where it
// came from (flag, variable or config field) and the rule, and never showing a secret.
func TestSettingsErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		env  map[string]string
		file string // config file content, given with -config when set
		want string
	}{
		{"unknown flag", []string{"-port", "1"}, nil, "", "flag provided but not defined: -port"},
		{"extra argument", []string{"serve"}, nil, "", `unexpected arguments ["serve"]`},
		{"bad address", []string{"-addr", "localhost"}, nil, "", `-addr: "localhost" is not host:port`},
		{"bad port", []string{"-addr", "127.0.0.1:99999"}, nil, "", "-addr: \"127.0.0.1:99999\": the port must be a number"},
		{"empty region", []string{"-region", ""}, nil, "", "-region: region required"},
		{"bad region", []string{"-region", "CN Hangzhou"}, nil, "", `-region: region must be at most 63 lower-case letters, digits and "-", such as cn-hangzhou, got "CN Hangzhou"`},
		{"bad account", []string{"-account-id", "0123"}, nil, "", `-account-id: account ID "0123": must not start with 0`},
		{"pair without colon", []string{"-access-key", "LTAItopsecret"}, nil, "", `-access-key: an AccessKey pair is written id:secret, and "LTAI****" has no ":"`},
		{"pair without secret", []string{"-access-key", "LTAI5tA:"}, nil, "", "-access-key: AccessKeyId LTAI5tA: empty AccessKeySecret"},
		{"secret with a space", []string{"-access-key", "LTAI5tA:top secret"}, nil, "", "-access-key: AccessKeyId LTAI5tA: the AccessKeySecret holds white space"},
		{"key ID without secret", []string{"-access-key-id", "x"}, nil, "", "-access-key-id needs -access-key-secret too: they go together"},
		{"key ID from the environment", nil, map[string]string{"EXPRESSCONNECT_LOCAL_ACCESS_KEY_SECRET": "topsecret"}, "",
			"EXPRESSCONNECT_LOCAL_ACCESS_KEY_SECRET needs -access-key-id too"},
		{"both key forms", []string{"-access-key", "a:b", "-access-key-id", "c", "-access-key-secret", "d"}, nil, "",
			"-access-key and -access-key-id both set the account's AccessKey pair: give one of them"},
		{"partial STS", []string{"-sts-access-key-id", "STS.x", "-sts-security-token", "topsecret"}, nil, "",
			"-sts-access-key-id and -sts-security-token needs -sts-access-key-secret too"},
		{"denied key without colon", []string{"-denied-access-key", "x"}, nil, "", "-denied-access-key: an AccessKey pair is written id:secret"},
		{"circuit ID", []string{"-circuit", "bp1"}, nil, "", `-circuit: circuit ID "bp1" must be "pc-"`},
		{"circuit capacity", []string{"-circuit", "pc-a,capacity=-1"}, nil, "", "-circuit: circuit pc-a: CapacityMbps -1 is negative"},
		{"circuit quota", []string{"-circuit", "pc-a,quota=x"}, nil, "", `-circuit: circuit pc-a: quota: "x" is not a valid value`},
		{"circuit key", []string{"-circuit", "pc-a,speed=1"}, nil, "", "-circuit: circuit pc-a: speed: unknown key"},
		{"circuit field", []string{"-circuit", "pc-a,enabled"}, nil, "", `-circuit: circuit pc-a: "enabled" is not key=value`},
		{"circuit owner", []string{"-circuit", "pc-a,owner=abc"}, nil, "", `-circuit: circuit pc-a: Owner: account ID "abc"`},
		{"circuit twice", []string{"-circuit", "pc-a", "-circuit", "pc-a,quota=2"}, nil, "", "circuit pc-a is given twice"},
		{"circuit status", []string{"-circuit", "pc-a,status=Active"}, nil, "", `-circuit: circuit pc-a: Status "Active" is none of the documented states: Initial, Approved`},
		{"circuit status and enabled", []string{"-circuit", "pc-a,enabled=true,status=Enabled"}, nil, "", "-circuit: circuit pc-a: give Enabled (enabled=) or Status (status=), not both"},
		{"file circuit status", nil, nil, `{"Circuits": [{"ID": "pc-a", "Status": "enabled"}]}`, `field Circuits[0]: circuit pc-a: Status "enabled" is none of the documented states`},
		{"tenant", []string{"-forbidden-tenant", "12x"}, nil, "", `-forbidden-tenant: account ID "12x"`},
		{"clock offset", []string{"-clock-offset", "20"}, nil, "", `-clock-offset: "20" is not a duration`},
		{"auto-accept negative", []string{"-auto-accept", "-1s"}, nil, "", `-auto-accept: "-1s" is negative`},
		{"auto-enable word", []string{"-auto-enable", "never"}, nil, "", `-auto-enable: "never" is neither "off" nor a duration`},
		{"log size", []string{"-request-log-size", "-1"}, nil, "", "-request-log-size: -1 is not 0 to 1000000"},
		{"log size word", []string{"-request-log-size", "many"}, nil, "", `-request-log-size: "many" is not a whole number`},
		{"idle timeout", []string{"-idle-timeout", "0s"}, nil, "", `-idle-timeout: "0s" is not positive`},
		{"log format", []string{"-log-format", "xml"}, nil, "", `-log-format: "xml" is neither text nor json`},
		{"boolean", []string{"-admin=maybe"}, nil, "", `-admin: "maybe" is neither true nor false`},
		{"environment", nil, map[string]string{"EXPRESSCONNECT_LOCAL_LOG_FORMAT": "xml"}, "", `EXPRESSCONNECT_LOCAL_LOG_FORMAT: "xml" is neither text nor json`},
		{"environment list", nil, map[string]string{"EXPRESSCONNECT_LOCAL_FORBIDDEN_TENANT": "1210000000000001 x"}, "",
			`EXPRESSCONNECT_LOCAL_FORBIDDEN_TENANT: account ID "x"`},
		{"missing file", []string{"-config", "/nonexistent/sandbox.json"}, nil, "", "-config: config file: open /nonexistent/sandbox.json"},
		{"file from the environment", nil, map[string]string{"EXPRESSCONNECT_LOCAL_CONFIG": "/nonexistent/x.json"}, "",
			"EXPRESSCONNECT_LOCAL_CONFIG: config file: open /nonexistent/x.json"},
		{"unknown field", nil, nil, `{"Adr": "127.0.0.1:1"}`, `json: unknown field "Adr"`},
		{"wrong type", nil, nil, `{"Circuits": [{"ID": "pc-a", "Quota": "2"}]}`, "Quota: a JSON string cannot be a int"}, // the path: internal/strictjson
		{"not an object", nil, nil, `[1]`, "cannot unmarshal array"},
		{"two objects", nil, nil, `{} {}`, "more than one JSON value"},
		{"file address", nil, nil, `{"Addr": "x"}`, `field Addr: "x" is not host:port`},
		{"file circuit", nil, nil, `{"Circuits": [{"ID": "pc-a"}, {"ID": "pc-b", "CapacityMbps": -5}]}`, "field Circuits[1]: circuit pc-b: CapacityMbps -5 is negative"},
		{"file key", nil, nil, `{"AccessKeys": [{"AccessKeyId": "LTAI5tA"}]}`, "field AccessKeys[0]: AccessKeyId LTAI5tA: empty AccessKeySecret"},
		{"file denied key", nil, nil, `{"DeniedAccessKeys": [{"AccessKeySecret": "topsecret"}]}`, "field DeniedAccessKeys[0]: empty AccessKeyId"},
		{"file STS", nil, nil, `{"STS": {"AccessKeyId": "STS.x", "AccessKeySecret": "topsecret"}}`, "field STS: AccessKeyId STS.x: the SecurityToken must be non-empty"},
		{"file tenant", nil, nil, `{"ForbiddenTenants": ["1", "-2"]}`, `field ForbiddenTenants[1]: account ID "-2"`},
		{"file delay", nil, nil, `{"AutoEnable": "soon"}`, `field AutoEnable: "soon" is neither "off" nor a duration`},
		{"file log size", nil, nil, `{"RequestLogSize": 2000000}`, "field RequestLogSize: 2000000 is not 0 to 1000000"},
		{"admin token too short", []string{"-admin-token", "topsecret"}, nil, "", "-admin-token: the admin token must be 16 to 256"},
		{"admin token with a space", nil, map[string]string{"EXPRESSCONNECT_LOCAL_ADMIN_TOKEN": "topsecret topsecret"}, "",
			"EXPRESSCONNECT_LOCAL_ADMIN_TOKEN: the admin token must be 16 to 256 letters"},
		{"file admin token", nil, nil, `{"AdminToken": "topsecret-topsecret\n"}`, "field AdminToken: the admin token must be"},
		{"allowed host with a port", []string{"-admin-allowed-hosts", "sandbox:8080"}, nil, "",
			`-admin-allowed-hosts: "sandbox:8080" is neither a host name`},
		{"allowed host as a URL", nil, nil, `{"AdminAllowedHosts": ["ok.example", "http://x"]}`,
			`field AdminAllowedHosts[1]: "http://x" is neither a host name`},
		{"negative retention", []string{"-retention", "-1h"}, nil, "", `-retention: "-1h" is negative`},
		{"retention word", nil, map[string]string{"EXPRESSCONNECT_LOCAL_RETENTION": "forever"}, "",
			`EXPRESSCONNECT_LOCAL_RETENTION: "forever" is not a duration`},
		{"file retention", nil, nil, `{"Retention": 24}`, "field Retention: a JSON number cannot be a string"},
		{"key in file and flag", []string{"-denied-access-key", "LTAI5tA:topsecret"}, nil,
			`{"AccessKeys": [{"AccessKeyId": "LTAI5tA", "AccessKeySecret": "a"}]}`,
			"AccessKeyId LTAI5tA is given twice: in AccessKeys (-access-key) and in DeniedAccessKeys (-denied-access-key)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := tc.args
			if tc.file != "" {
				args = append([]string{"-config", writeConfig(t, tc.file)}, args...)
			}
			_, err := loadSettings(args, envOf(tc.env), io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "topsecret")
		})
	}
}

// TestRunRefusesBusyAddress checks the error of an address that cannot be listened on.
func TestRunRefusesBusyAddress(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	err = run(context.Background(), []string{"-addr", l.Addr().String()}, noEnv, io.Discard, io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "-addr: listening on "+l.Addr().String())
}

// TestHelp checks that -h returns flag.ErrHelp after printing every flag with its default,
// the config file's example and the admin routes.
func TestHelp(t *testing.T) {
	t.Parallel()
	var out syncBuffer
	err := run(context.Background(), []string{"-h"}, noEnv, io.Discard, &out)
	require.ErrorIs(t, err, flag.ErrHelp)
	help := out.String()
	for _, spec := range flagSpecs() {
		assert.True(t, regexp.MustCompile(`(?m)^  -`+spec.name+`( |$)`).MatchString(help), "help lacks -%s", spec.name)
		if spec.def != "" {
			assert.True(t, strings.Contains(help, "(default "+spec.def+")"), "help lacks the default of -%s", spec.name)
		}
	}
	assert.True(t, strings.Contains(help, indent(configExample, "  ")), "help lacks the config example")
	for _, rt := range adminRoutes {
		assert.True(t, regexp.MustCompile(rt.method+` +`+regexp.QuoteMeta(rt.path)+"\n").MatchString(help), "help lacks %s %s", rt.method, rt.path)
	}
	assert.True(t, strings.Contains(help, adminExamples), "help lacks the curl examples")
}

// TestDocMatchesHelp checks that the command's documentation names every flag with its
// default and every admin route, as the help does.
func TestDocMatchesHelp(t *testing.T) {
	t.Parallel()
	doc := commandDoc(t)
	for _, spec := range flagSpecs() {
		assert.True(t, regexp.MustCompile(`(?m)^\t-`+regexp.QuoteMeta(spec.name)+`( |$)`).MatchString(doc), "doc lacks -%s", spec.name)
		if spec.def != "" && spec.def != "random" && spec.def != "one random pair" {
			assert.True(t, strings.Contains(doc, "default "+spec.def), "doc lacks the default of -%s", spec.name)
		}
	}
	for _, rt := range adminRoutes {
		assert.True(t, regexp.MustCompile(`(?m)^\t`+rt.method+` +`+regexp.QuoteMeta(rt.path)+` `).MatchString(doc), "doc lacks %s %s", rt.method, rt.path)
	}
	for _, line := range strings.Split(strings.TrimSpace(adminExamples), "\n")[1:] {
		assert.True(t, strings.Contains(doc, strings.TrimSpace(line)), "doc lacks %s", line)
	}
}

// TestDocConfigExampleIsValid checks that the config file example of the command's
// documentation, which differs from the help's, loads and starts a server.
func TestDocConfigExampleIsValid(t *testing.T) {
	t.Parallel()
	var example []string
	in := false
	for _, line := range strings.Split(commandDoc(t), "\n") {
		in = in || line == "\t{"
		if in {
			example = append(example, strings.TrimPrefix(line, "\t"))
		}
		if in && line == "\t}" {
			break
		}
	}
	require.NotEmpty(t, example, "the documentation has no config example")
	s, err := loadSettings([]string{"-config", writeConfig(t, strings.Join(example, "\n"))}, noEnv, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "json", s.LogFormat, "the example's settings")
	assert.Len(t, s.Circuits, 1)
	srv, err := expressconnecttest.NewServer(serverConfig(s, "test-admin-token-0001"))
	require.NoError(t, err)
	srv.Close()
}

// commandDoc returns the command's documentation, main.go's package comment.
func commandDoc(t *testing.T) string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	require.NoError(t, err)
	return f.Doc.Text()
}
