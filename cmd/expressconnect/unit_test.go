package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strings"
	"testing"

	"github.com/expressconnect-go/expressconnect"
)

// exitStatuses lists every exit status with the name the help gives it.
var exitStatuses = map[int]string{
	exitOK: "success", exitFailure: "a failure of no other kind", exitUsage: "bad flags", exitCredentials: "no usable credentials",
	exitInvalidParam: "invalid parameter", exitNotFound: "not found", exitVLANConflict: "VLAN conflict", exitQuota: "quota or capacity",
	exitInvalidState: "invalid state", exitPermission: "permission denied", exitAuth: "authentication failed",
	exitSignature: "signature rejected", exitIdempotency: "idempotency conflict", exitThrottled: "throttled",
	exitServerSide: "service-side failure", exitNoAnswer: "no answer in time", exitNotHosted: "not a hosted connection",
	exitWaitTimeout: "the wait timed out", exitUnreachable: "can no longer be reached", exitInterrupted: "interrupted",
}

// TestExitStatusesAreDocumented checks that each status has a line of its own in the help,
// and that the list above names every exit constant of exit.go.
func TestExitStatusesAreDocumented(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "exit.go", nil, 0)
	if err != nil {
		t.Fatalf("parsing exit.go: %v", err)
	}
	var constants []string
	for _, decl := range f.Decls {
		if gen, ok := decl.(*ast.GenDecl); ok && gen.Tok == token.CONST {
			for _, spec := range gen.Specs {
				for _, name := range spec.(*ast.ValueSpec).Names {
					if strings.HasPrefix(name.Name, "exit") {
						constants = append(constants, name.Name)
					}
				}
			}
		}
	}
	if len(constants) != len(exitStatuses) {
		t.Errorf("exit.go has %d exit constants %v, the list here %d statuses", len(constants), constants, len(exitStatuses))
	}
	for code, name := range exitStatuses {
		line := regexp.MustCompile(fmt.Sprintf(`(?m)^ +%d  .*%s`, code, regexp.QuoteMeta(name)))
		if !line.MatchString(exitHelp) {
			t.Errorf("the help has no line for %d %s", code, name)
		}
	}
}

// TestExitCodeOfEachFamily checks that each family of the package has its own status.
func TestExitCodeOfEachFamily(t *testing.T) {
	seen := map[int]expressconnect.Family{}
	for _, fe := range familyExits {
		err := &expressconnect.OperationError{Err: fmt.Errorf("%w", fe.family)}
		got := exitCode(context.Background(), err)
		if got != fe.exit {
			t.Errorf("%s: exit %d, want %d", fe.family, got, fe.exit)
		}
		if other, dup := seen[got]; dup {
			t.Errorf("%s and %s share exit %d", fe.family, other, got)
		}
		seen[got] = fe.family
	}
	cases := []struct {
		name string
		ctx  context.Context
		err  error
		want int
	}{
		{"usage", context.Background(), usagef("bad"), exitUsage},
		{"validation", context.Background(), &expressconnect.ValidationError{Operation: "X", Violations: []expressconnect.Violation{{}}}, exitUsage},
		{"credentials", context.Background(), fmt.Errorf("%w: none", expressconnect.ErrCredentials), exitCredentials},
		{"guard", context.Background(), fmt.Errorf("nothing sent: %w", expressconnect.ErrNotHostedConnection), exitNotHosted},
		{"wait deadline", context.Background(), &waitFailure{err: &expressconnect.WaitError{Err: fmt.Errorf("%w; the polls were failing: %w", context.DeadlineExceeded, expressconnect.ErrThrottled)}}, exitWaitTimeout},
		{"action deadline", context.Background(), &expressconnect.OperationError{Err: &expressconnect.TransportError{Err: context.DeadlineExceeded}}, exitNoAnswer},
		{"unreachable", context.Background(), &waitFailure{err: &expressconnect.WaitError{Err: expressconnect.ErrUnreachable}}, exitUnreachable},
		{"interrupted", interruptedContext(), &waitFailure{err: context.Canceled}, exitInterrupted},
		{"other", context.Background(), errors.New("odd"), exitFailure},
	}
	for _, tc := range cases {
		if got := exitCode(tc.ctx, tc.err); got != tc.want {
			t.Errorf("%s: exit %d, want %d", tc.name, got, tc.want)
		}
	}
}

// interruptedContext returns a context canceled as a signal cancels the command's.
func interruptedContext() context.Context {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errInterrupted)
	return ctx
}

// runHere runs the command in this process with args; only for command lines that fail
// before anything is sent.
func runHere(t *testing.T, args ...string) (stdout, stderr string, exit int) {
	t.Helper()
	t.Setenv("HOME", t.TempDir())
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	var out, errb bytes.Buffer
	exit = run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), exit
}

// errorOf decodes the {"Error": ...} on stderr.
func errorOf(t *testing.T, stderr string) failureJSON {
	t.Helper()
	i := strings.Index(stderr, "{\n")
	if i < 0 {
		t.Fatalf("no error JSON on stderr: %s", stderr)
	}
	var v map[string]failureJSON
	if err := json.Unmarshal([]byte(stderr[i:]), &v); err != nil {
		t.Fatalf("stderr is not an error JSON: %v\n%s", err, stderr)
	}
	return v["Error"]
}

// TestBadCommandLines checks that every bad input is refused before anything is sent, with an
// error that names the flag and the rule.
func TestBadCommandLines(t *testing.T) {
	create := []string{"create", "--region", "cn-hangzhou", "--endpoint", "http://127.0.0.1:1", "--circuit", "pc-x",
		"--tenant", "1210123456789012", "--spec", "100M", "--order-mode", "PayByPhysicalConnectionOwner"}
	with := func(extra ...string) []string { return append(append([]string{}, create...), extra...) }
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no --vlan", create, "--vlan (0 to 2999; 0 is a valid VLAN: give --vlan 0 to use it)"},
		{"empty --vlan", with("--vlan", ""), `invalid argument "" for "--vlan" flag: must be a VLAN number`},
		{"--vlan not a number", with("--vlan", "ten"), `VLAN ID must be a decimal number, got "ten"`},
		{"--vlan twice", with("--vlan", "1", "--vlan", "2"), `given more than once (again as "2"): give --vlan once`},
		{"--vlan out of range", with("--vlan", "3000"), "--vlan: must be 0 to 2999, got 3000"},
		{"--tag without =", with("--vlan", "1", "--tag", "env"), `must be KEY=VALUE (an empty value is written KEY=), got "env"`},
		{"empty --name", with("--vlan", "1", "--name", ""), "--name: the value is empty: leave the flag out instead"},
		{"--wait unknown", with("--vlan", "1", "--wait", "forever"), `must be one of accepted, enabled, got "forever"`},
		{"--wait with --dry-run", with("--vlan", "1", "--wait", "accepted", "--dry-run"), "--wait and --dry-run cannot be given together"},
		{"--wait-timeout alone", with("--vlan", "1", "--wait-timeout", "1m"), "--wait-timeout applies only with --wait"},
		{"--order-key alone", with("--vlan", "1", "--order-key", "k"), "--order-key applies only with --on-free-vlan"},
		{"--vlan with --on-free-vlan", with("--vlan", "1", "--on-free-vlan", "--order-key", "k"), "--vlan and --on-free-vlan cannot be given together"},
		{"--on-free-vlan without key", with("--on-free-vlan"), "missing required flags: --order-key"},
		{"missing flags", []string{"create", "--vlan", "1"}, "missing required flags: --circuit (the partner's circuit"},
		{"unknown flag", with("--vlan", "1", "--colour", "red"), "unknown flag: --colour"},
		{"stray argument", with("--vlan", "1", "extra"), `unknown command "extra" for "expressconnect create"`},
		{"unknown command", []string{"destroy"}, `unknown command "destroy" for "expressconnect"`},
		{"bad --output", []string{"list", "--output", "yaml"}, `must be one of json, table, got "yaml"`},
		{"no region", []string{"list", "--endpoint", "http://127.0.0.1:1"}, "no region: give --region, set ALIBABA_CLOUD_REGION_ID"},
		{"unknown region", []string{"list", "--region", "cn-hangzhoo"}, `did you mean "cn-hangzhou"? (give --endpoint vpc.REGION.aliyuncs.com`},
		{"guarded without circuit", []string{"delete", "--id", "pc-1"}, "missing required flags: --circuit (the circuit the hosted connection is on"},
		{"guarded with the same IDs", []string{"delete", "--region", "cn-hangzhou", "--endpoint", "http://127.0.0.1:1", "--circuit", "pc-1", "--id", "pc-1"},
			"--id: must not be the circuit's ID (--circuit): are the two swapped?"},
		{"update with nothing", []string{"update", "--id", "pc-1"}, "nothing to change: give --vlan, --expect-spec or both"},
		{"update --wait without circuit", []string{"update", "--id", "pc-1", "--expect-spec", "200M", "--wait", "spec"}, "missing required flags: --circuit"},
		{"wait --spec without spec", []string{"wait", "--circuit", "pc-1", "--id", "pc-2", "--until", "enabled", "--spec", "1G"}, "--spec applies only with --until spec"},
		{"list --max-results", []string{"list", "--max-results", "101"}, "--max-results must be 1 to 100, got 101"},
		{"--timeout", []string{"list", "--timeout", "0s"}, "--timeout must be positive"},
		{"missing profile file", []string{"list", "--profile", "prod"}, "--profile prod: no configuration file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, exit := runHere(t, tc.args...)
			want := exitUsage
			if strings.Contains(tc.name, "profile") {
				want = exitCredentials
			}
			if exit != want {
				t.Errorf("exit %d, want %d; stderr: %s", exit, want, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout: %s", stdout)
			}
			f := errorOf(t, stderr)
			if !strings.Contains(f.Message, tc.want) {
				t.Errorf("message %q lacks %q", f.Message, tc.want)
			}
			if f.ExitCode != exit || f.Remedy == "" || f.Retryable {
				t.Errorf("error JSON: %+v", f)
			}
			if strings.Contains(stderr, `"Notice"`) {
				t.Errorf("a token was announced for a command that sends nothing: %s", stderr)
			}
		})
	}
}

// TestMasking checks the masks of --print-request.
func TestMasking(t *testing.T) {
	secrets := []string{"the-secret", "the-sts-token"}
	cases := []struct{ name, value, want string }{
		{"Signature", "abc=", "****"},
		{"SecurityToken", "the-sts-token", "****"},
		{"AccessKeyId", "LTAI5tLocalTest0001", "LTAI****0001"},
		{"AccessKeyId", "short", "****"},
		{"Name", "x-the-secret-y", "x-****-y"},
		{"RegionId", "cn-hangzhou", "cn-hangzhou"},
	}
	for _, tc := range cases {
		if got := maskParam(tc.name, tc.value, secrets); got != tc.want {
			t.Errorf("maskParam(%s, %q) = %q, want %q", tc.name, tc.value, got, tc.want)
		}
	}
	auth := "ACS3-HMAC-SHA256 Credential=LTAI5tLocalTest0001,SignedHeaders=host;x-acs-date,Signature=0123abcd"
	want := "ACS3-HMAC-SHA256 Credential=LTAI****0001,SignedHeaders=host;x-acs-date,Signature=****"
	if got := maskHeader("Authorization", auth, secrets); got != want {
		t.Errorf("Authorization: %q, want %q", got, want)
	}
	if got := maskHeader("X-Acs-Security-Token", "the-sts-token", secrets); got != "****" {
		t.Errorf("security token header: %q", got)
	}
}

// TestResumeCommand checks the command line printed to resume: the same arguments, quoted, and
// the token given once.
func TestResumeCommand(t *testing.T) {
	a := &app{args: []string{"create", "--name", "it's", "--token", "old", "--client-token=older", "--tag", "env=prod west"}}
	got := a.resumeCommand("new-1")
	want := `expressconnect create --name 'it'\''s' --tag 'env=prod west' --token new-1`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestWaitTimeoutRemedy checks the remedy of a wait that timed out: that the action before it
// succeeded, and for a wait for a bandwidth, that it takes effect only once paid for.
func TestWaitTimeoutRemedy(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		err     *waitFailure
		want    []string
		wantNot []string
	}{
		{"spec after update", &waitFailure{err: &expressconnect.WaitError{Err: context.DeadlineExceeded}, done: "updated pc-x", until: "spec"},
			[]string{"the action succeeded; ", "only once it is paid for", "--wait-timeout"}, nil},
		{"accepted after create", &waitFailure{err: &expressconnect.WaitError{Err: context.DeadlineExceeded}, done: "created pc-x", until: "accepted"},
			[]string{"the action succeeded; to wait longer"}, []string{"paid for"}},
		{"wait command", &waitFailure{err: &expressconnect.WaitError{Err: context.DeadlineExceeded}, until: "spec"},
			[]string{"only once it is paid for"}, []string{"the action succeeded"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stderr bytes.Buffer
			a := &app{stderr: &stderr}
			if exit := a.fail(context.Background(), tc.err); exit != exitWaitTimeout {
				t.Fatalf("exit %d, want %d", exit, exitWaitTimeout)
			}
			var out map[string]failureJSON
			if err := json.Unmarshal(stderr.Bytes(), &out); err != nil {
				t.Fatalf("stderr is not JSON: %v: %s", err, stderr.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out["Error"].Remedy, w) {
					t.Errorf("remedy %q lacks %q", out["Error"].Remedy, w)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(out["Error"].Remedy, w) {
					t.Errorf("remedy %q has %q", out["Error"].Remedy, w)
				}
			}
		})
	}
}
