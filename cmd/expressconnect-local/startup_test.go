package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUnknownVariableStopsTheStart checks that a variable of the command's prefix that names
// no setting stops the start with an error naming it and the nearest variable there is,
// before anything listens, while -h still prints the help.
func TestUnknownVariableStopsTheStart(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"typo", map[string]string{"EXPRESSCONNECT_LOCAL_ADRR": "127.0.0.1:0"},
			[]string{"EXPRESSCONNECT_LOCAL_ADRR", "EXPRESSCONNECT_LOCAL_ADDR"}},
		{"lower case", map[string]string{"EXPRESSCONNECT_LOCAL_log_format": "json"},
			[]string{"EXPRESSCONNECT_LOCAL_log_format", "EXPRESSCONNECT_LOCAL_LOG_FORMAT"}},
		{"empty", map[string]string{"EXPRESSCONNECT_LOCAL_AUTO_ACEPT": ""},
			[]string{"EXPRESSCONNECT_LOCAL_AUTO_ACEPT", "EXPRESSCONNECT_LOCAL_AUTO_ACCEPT"}},
		{"two of them, with a known one", map[string]string{"EXPRESSCONNECT_LOCAL_QUIT": "true", "EXPRESSCONNECT_LOCAL_REGIONS": "cn-beijing",
			"EXPRESSCONNECT_LOCAL_REGION": "cn-shanghai"},
			[]string{"EXPRESSCONNECT_LOCAL_QUIT", "EXPRESSCONNECT_LOCAL_QUIET", "EXPRESSCONNECT_LOCAL_REGIONS", "EXPRESSCONNECT_LOCAL_REGION"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout syncBuffer
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // should it start after all
			defer cancel()
			err := run(ctx, []string{"-addr", "127.0.0.1:0", "-quiet"}, envOf(tc.env), &stdout, io.Discard)
			require.Error(t, err)
			for _, want := range tc.want {
				assert.Contains(t, err.Error(), want)
			}
			assert.Contains(t, err.Error(), "did you mean")
			assert.Empty(t, stdout.String(), "nothing started")
		})
	}
	t.Run("help", func(t *testing.T) {
		t.Parallel()
		var help syncBuffer
		err := run(context.Background(), []string{"-h"}, envOf(map[string]string{"EXPRESSCONNECT_LOCAL_ADRR": "x"}), io.Discard, &help)
		assert.ErrorContains(t, err, "help requested")
		assert.Contains(t, help.String(), "Usage: expressconnect-local")
	})
}

// TestConfigFileDuplicateKeys checks that a key given twice in an object of the config file,
// at any level, and in any case (encoding/json matches field names whatever their case and
// keeps the last), stops the start with an error naming the key and where it is.
func TestConfigFileDuplicateKeys(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, file, want string
	}{
		{"top level", `{"Addr": "127.0.0.1:1", "Region": "cn-beijing", "Addr": "0.0.0.0:8080"}`, `key "Addr" is given twice`},
		{"other case", `{"LogFormat": "json", "logformat": "text"}`, `key "logformat" is given twice`},
		{"in an object", `{"STS": {"AccessKeyId": "STS.a", "AccessKeySecret": "s", "SecurityToken": "t", "AccessKeyId": "STS.b"}}`,
			`key "STS.AccessKeyId" is given twice`},
		{"in an array", `{"Circuits": [{"ID": "pc-a"}, {"ID": "pc-b", "Quota": 1, "Quota": 2}]}`, `key "Circuits[1].Quota" is given twice`},
		{"in the second of two arrays", `{"AccessKeys": [{"AccessKeyId": "LTAI5tA", "AccessKeySecret": "a"}],
			"DeniedAccessKeys": [{"AccessKeyId": "LTAI5tB", "AccessKeySecret": "b", "AccessKeySecret": "c"}]}`,
			`key "DeniedAccessKeys[0].AccessKeySecret" is given twice`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := loadSettings([]string{"-config", writeConfig(t, tc.file)}, noEnv, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "config file")
		})
	}
	t.Run("same key in two objects", func(t *testing.T) {
		t.Parallel()
		_, err := loadSettings([]string{"-config", writeConfig(t, `{"Circuits": [{"ID": "pc-a", "Quota": 1}, {"ID": "pc-b", "Quota": 1}]}`)},
			noEnv, io.Discard)
		assert.NoError(t, err)
	})
}

// TestBannerIsSafeForTheShell runs the command with credentials full of what a shell would
// expand or run, feeds the banner's export lines to sh, and checks that the shell ran
// nothing and got each value exactly as configured.
func TestBannerIsSafeForTheShell(t *testing.T) {
	t.Parallel()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on this machine")
	}
	dir := t.TempDir()
	canary := filepath.Join(dir, "canary")
	id := `LTAI'$(touch${IFS}` + canary + `)'` + "`touch${IFS}" + canary + "`"
	secret := `s'e"c\r$HOME;touch${IFS}` + canary + `&&'x`
	r := startRun(t, noEnv, "-access-key", id+":"+secret)

	var exports []string
	sc := bufio.NewScanner(strings.NewReader(r.stdout.String()))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, "export ") {
			exports = append(exports, line)
		}
	}
	require.NotEmpty(t, exports)
	script := strings.Join(exports, "\n") + "\n" +
		`printf '%s\n' "$ALIBABA_CLOUD_ACCESS_KEY_ID" "$ALIBABA_CLOUD_ACCESS_KEY_SECRET" "$ALIBABA_CLOUD_REGION_ID"`
	cmd := exec.Command(sh, "-c", script)
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Equal(t, id+"\n"+secret+"\ncn-hangzhou\n", string(out))
	assert.NoFileExists(t, canary, "the shell ran what the banner printed")
}
