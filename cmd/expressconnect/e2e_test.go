package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLifecycleWithProfile walks a hosted connection's life with the credentials and the
// region of a profile of the aliyun CLI's configuration: create and wait until it is enabled
// (the sandbox accepts and enables at once), list it as a table, move it to another VLAN,
// terminate it, delete it, and delete it again.
func TestLifecycleWithProfile(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, "-auto-accept", "0s", "-auto-enable", "0s")
	env := []string{"HOME=" + home(t)}
	profile := []string{"--profile", "local"} // no --region: the profile's region_id, cn-hangzhou

	r := cli(t, env, append(createArgs(s, "100", "--name", "tenant-a", "--tag", "env=test", "--wait", "enabled"), profile...)...)
	r.want(t, exitOK)
	token, resume := r.notice(t)
	if !strings.Contains(resume, "--token "+token) || !strings.Contains(resume, "--profile local") {
		t.Errorf("resume command %q", resume)
	}
	var created actionJSON
	r.decode(t, &created)
	id := created.VirtualPhysicalConnectionID
	if !strings.HasPrefix(id, "pc-") || created.Token != token || created.DryRun || created.Wait == nil {
		t.Fatalf("create result: %+v", created)
	}
	if c := created.Wait.VirtualPhysicalConnection; created.Wait.Until != "enabled" || c == nil || c.Status != "Enabled" ||
		c.VirtualPhysicalConnectionStatus != "Confirmed" || c.PhysicalConnectionID != testCircuit || c.Name != "tenant-a" {
		t.Errorf("wait result: %+v", created.Wait)
	}
	if n, _ := created.VlanID.Value(); n != 100 {
		t.Errorf("VlanId %v", created.VlanID)
	}

	r = cli(t, env, append([]string{"list", "--endpoint", s.url, "--circuit", testCircuit, "--output", "table"}, profile...)...)
	r.want(t, exitOK)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 2 || strings.Join(strings.Fields(lines[0]), " ") != "ID CIRCUIT VLAN SPEC STATUS ACCEPTANCE BILLING TENANT NAME" ||
		strings.Join(strings.Fields(lines[1]), " ") != id+" "+testCircuit+" 100 100M Enabled Confirmed Normal "+testTenant+" tenant-a" {
		t.Errorf("table:\n%s", r.stdout)
	}

	r = cli(t, env, append([]string{"update", "--endpoint", s.url, "--id", id, "--vlan", "200"}, profile...)...)
	r.want(t, exitOK)
	var updated actionJSON
	r.decode(t, &updated)
	if n, _ := updated.VlanID.Value(); n != 200 || updated.Success == nil || !*updated.Success {
		t.Errorf("update result: %s", r.stdout)
	}

	r = cli(t, env, append([]string{"terminate", "--endpoint", s.url, "--circuit", testCircuit, "--id", id, "--wait", "terminated"}, profile...)...)
	r.want(t, exitOK)
	var terminated actionJSON
	r.decode(t, &terminated)
	if terminated.Wait == nil || terminated.Wait.VirtualPhysicalConnection.Status != "Terminated" {
		t.Errorf("terminate result: %s", r.stdout)
	}

	r = cli(t, env, append([]string{"delete", "--endpoint", s.url, "--circuit", testCircuit, "--id", id, "--wait", "gone", "--output", "table"}, profile...)...)
	r.want(t, exitOK)
	if !regexp.MustCompile(`(?s)^VirtualPhysicalConnectionId +` + id + `\n.*\nwaited until gone \(\d+ polls?\):\nID +CIRCUIT.*\n` + id + ` .* Terminated +Deleted `).MatchString(r.stdout) {
		t.Errorf("delete --wait gone as a table:\n%s", r.stdout)
	}

	r = cli(t, env, append([]string{"delete", "--endpoint", s.url, "--circuit", testCircuit, "--id", id}, profile...)...)
	r.want(t, exitNotFound)
	if f := r.failure(t); f.Family != "not found" || !strings.Contains(f.Message, "already deleted") || f.ExitCode != exitNotFound || f.Remedy == "" {
		t.Errorf("second delete: %+v", f)
	}

	conns := s.connections(t)
	if len(conns) != 1 || conns[0].VirtualPhysicalConnectionStatus != "Deleted" || conns[0].Token != token {
		t.Errorf("the sandbox holds %+v", conns)
	}
}

// TestRegionOfTheCurrentProfile checks that without --profile the default chain takes the
// configuration's current profile, whose region and refused key the error names.
func TestRegionOfTheCurrentProfile(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	r := cli(t, []string{"HOME=" + home(t)}, "list", "--endpoint", s.url)
	r.want(t, exitAuth)
	f := r.failure(t)
	if f.Code != "InvalidAccessKeyId.NotFound" || f.Family != "authentication failed" || f.AccessKeyID != "LTAI****0009" ||
		!strings.Contains(f.CredentialSource, `profile "other"`) || !strings.Contains(f.Remedy, "LTAI****0009") ||
		!strings.Contains(f.Message, "AccessKeyId LTAI****0009") {
		t.Errorf("error: %+v", f)
	}
	if strings.Contains(r.stderr, "LTAI5tUnknownKey0009") {
		t.Errorf("the AccessKeyId is not masked: %s", r.stderr)
	}
}

// TestCredentialErrorsNameTheSource checks the error of a key the service refuses, from the
// environment, and of a profile that does not exist.
func TestCredentialErrorsNameTheSource(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	env := []string{"ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tNotAKnownKey77", "ALIBABA_CLOUD_ACCESS_KEY_SECRET=not-the-secret",
		"ALIBABA_CLOUD_REGION_ID=cn-hangzhou", "ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true"}
	r := cli(t, env, createArgs(s, "5")...)
	r.want(t, exitAuth)
	f := r.failure(t)
	if f.AccessKeyID != "LTAI****ey77" || !strings.Contains(f.CredentialSource, "the environment") || f.Token == "" || len(f.RequestIDs) == 0 {
		t.Errorf("error: %+v", f)
	}
	if strings.Contains(r.stderr, "not-the-secret") || strings.Contains(r.stderr, "LTAI5tNotAKnownKey77") {
		t.Errorf("a secret or the whole AccessKeyId is printed: %s", r.stderr)
	}

	r = cli(t, []string{"HOME=" + home(t)}, "list", "--endpoint", s.url, "--profile", "prod")
	r.want(t, exitCredentials)
	if f := r.failure(t); !strings.Contains(f.Message, `--profile prod: no such profile`) || !strings.Contains(f.Message, "its profiles: local, other") {
		t.Errorf("error: %+v", f)
	}
	if got := s.requests(t); len(got) != 1 {
		t.Errorf("requests %v: the missing profile sent something", got)
	}
}

// TestVLANConflict checks the exit status and error of a VLAN already used on the circuit.
func TestVLANConflict(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	cli(t, envKeys(), createArgs(s, "42")...).want(t, exitOK)
	r := cli(t, envKeys(), createArgs(s, "42", "--token", "conflict-token-1")...)
	r.want(t, exitVLANConflict)
	f := r.failure(t)
	if f.Code != "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION" || f.Family != "VLAN conflict" || f.Token != "conflict-token-1" ||
		f.Retryable || len(f.RequestIDs) != 1 || !strings.Contains(f.Remedy, "give another --vlan") || f.Resume != "" {
		t.Errorf("error: %+v", f)
	}
	if strings.Contains(r.stderr, `"Notice"`) {
		t.Errorf("a token given with --token is announced: %s", r.stderr)
	}
}

// TestPrintRequest checks that --print-request sends nothing and masks the secrets, for both
// signatures, and shows a guarded action after the guard's check.
func TestPrintRequest(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	for _, algorithm := range []string{"HMAC-SHA1", "ACS3-HMAC-SHA256"} {
		r := cli(t, envKeys(), createArgs(s, "7", "--print-request", "--signature-algorithm", algorithm)...)
		r.want(t, exitOK)
		var out struct{ Requests []capturedRequest }
		r.decode(t, &out)
		if len(out.Requests) != 1 {
			t.Fatalf("%s: %d requests printed", algorithm, len(out.Requests))
		}
		req := out.Requests[0]
		if req.Action != "CreateVirtualPhysicalConnection" || req.Sent || req.Query["VlanId"] != "7" || req.Query["Token"] == "" {
			t.Errorf("%s: %+v", algorithm, req)
		}
		if algorithm == "HMAC-SHA1" && (req.Query["Signature"] != "****" || req.Query["AccessKeyId"] != "LTAI****0001") {
			t.Errorf("query not masked: %v", req.Query)
		}
		if auth := strings.Join(req.Header["Authorization"], ""); algorithm != "HMAC-SHA1" &&
			(!strings.Contains(auth, "Credential=LTAI****0001,") || !strings.HasSuffix(auth, "Signature=****")) {
			t.Errorf("Authorization not masked: %q", auth)
		}
		if strings.Contains(r.stdout, testKeyID) {
			t.Errorf("the AccessKeyId is not masked:\n%s", r.stdout)
		}
	}
	r := cli(t, envKeys(), "delete", "--endpoint", s.url, "--circuit", testCircuit, "--id", "pc-bp1notsent000000000001", "--print-request")
	r.want(t, exitOK)
	var out struct{ Requests []capturedRequest }
	r.decode(t, &out)
	if len(out.Requests) != 2 || out.Requests[0].Action != "ListVirtualPhysicalConnections" || out.Requests[0].Note == "" ||
		out.Requests[1].Action != "DeletePhysicalConnection" || out.Requests[1].Query["PhysicalConnectionId"] != "pc-bp1notsent000000000001" {
		t.Errorf("guarded --print-request: %s", r.stdout)
	}
	if got := s.requests(t); len(got) != 0 {
		t.Errorf("the sandbox received %v", got)
	}
}

// TestDryRun checks that --dry-run asks the service, which creates nothing.
func TestDryRun(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	r := cli(t, envKeys(), createArgs(s, "8", "--dry-run")...)
	r.want(t, exitOK)
	var out actionJSON
	r.decode(t, &out)
	if !out.DryRun || out.Token != "" || out.VirtualPhysicalConnectionID != "" || out.RequestID == "" {
		t.Errorf("dry run: %s", r.stdout)
	}
	if r.stderr != "" {
		t.Errorf("stderr: %s", r.stderr)
	}
	if got := s.requests(t); !slices.Equal(got, []string{"CreateVirtualPhysicalConnection"}) {
		t.Errorf("requests %v", got)
	}
	if conns := s.connections(t); len(conns) != 0 {
		t.Errorf("a dry run created %+v", conns)
	}
}

// TestGuardRefusal gives a circuit's ID as the hosted connection's: the guard refuses and
// nothing but its checks is sent.
func TestGuardRefusal(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	for _, action := range []string{"delete", "terminate", "cancel"} {
		r := cli(t, envKeys(), action, "--endpoint", s.url, "--circuit", otherCircuit, "--id", testCircuit)
		r.want(t, exitNotHosted)
		if f := r.failure(t); !strings.Contains(f.Message, testCircuit+" is a circuit, not a hosted connection") ||
			!strings.Contains(f.Message, "are --id and --circuit swapped?") || f.Retryable || !strings.Contains(f.Remedy, "nothing was sent") {
			t.Errorf("%s: %+v", action, f)
		}
	}
	for _, action := range s.requests(t) {
		if action != "ListVirtualPhysicalConnections" && action != "DescribePhysicalConnections" {
			t.Errorf("the guard let %s through", action)
		}
	}
}

// TestInterruptedWaitResumes interrupts a create --wait with SIGINT while it waits, checks the
// exit status and the token printed, then resumes with the printed command: the same hosted
// connection, created once.
func TestInterruptedWaitResumes(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	cmd := exec.Command(cliBinary, createArgs(s, "300", "--wait", "accepted")...)
	cmd.Env = append([]string{"HOME=" + t.TempDir(), "ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"}, envKeys()...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderrPipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	errLines := bufio.NewReader(stderrPipe)
	first, err := errLines.ReadString('\n')
	if err != nil {
		t.Fatalf("reading the notice: %v", err)
	}
	// Interrupt once the wait has polled: the create is done, the wait sleeps.
	deadline := time.Now().Add(20 * time.Second)
	for !slices.Contains(s.requests(t), "ListVirtualPhysicalConnections") {
		if time.Now().After(deadline) {
			t.Fatal("the command never polled")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(errLines)
	err = cmd.Wait()
	var exitErr *exec.ExitError
	if !errorsAs(err, &exitErr) || exitErr.ExitCode() != exitInterrupted {
		t.Fatalf("exit: %v\nstderr: %s%s", err, first, rest)
	}
	r := result{stdout: stdout.String(), stderr: first + string(rest), exit: exitInterrupted}
	token, resume := r.notice(t)
	f := r.failure(t)
	if f.ExitCode != exitInterrupted || f.Token != token || !f.Retryable || f.Resume != resume ||
		!strings.Contains(f.Remedy, resume) || !strings.HasPrefix(f.Message, "interrupted: created pc-") {
		t.Errorf("error: %+v\nnotice token %s, resume %s", f, token, resume)
	}
	var created actionJSON
	r.decode(t, &created)

	conns := s.connections(t)
	if len(conns) != 1 {
		t.Fatalf("the sandbox holds %+v", conns)
	}
	s.admin(t, http.MethodPost, "connections/"+conns[0].VirtualPhysicalConnectionID+"/accept", nil)
	args := strings.Fields(strings.TrimPrefix(resume, "expressconnect "))
	r = cli(t, envKeys(), args...)
	r.want(t, exitOK)
	var resumed actionJSON
	r.decode(t, &resumed)
	if resumed.VirtualPhysicalConnectionID != created.VirtualPhysicalConnectionID || resumed.Token != token ||
		resumed.Wait == nil || resumed.Wait.VirtualPhysicalConnection.VirtualPhysicalConnectionStatus != "Confirmed" {
		t.Errorf("resumed: %s", r.stdout)
	}
	if conns := s.connections(t); len(conns) != 1 {
		t.Errorf("the resumed create made another: %+v", conns)
	}
}

// TestWaitTimesOut checks that a wait that runs out of --wait-timeout has its own status,
// and that the action's result is printed.
func TestWaitTimesOut(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	r := cli(t, envKeys(), createArgs(s, "301", "--wait", "accepted", "--wait-timeout", "1s", "--token", "timeout-token-1")...)
	r.want(t, exitWaitTimeout)
	var created actionJSON
	r.decode(t, &created)
	f := r.failure(t)
	if created.VirtualPhysicalConnectionID == "" || !f.Retryable || f.Token != "timeout-token-1" ||
		!strings.Contains(f.Message, "created "+created.VirtualPhysicalConnectionID+", but waiting") ||
		!strings.Contains(f.Resume, "--token timeout-token-1") || f.Family != "" {
		t.Errorf("error: %+v", f)
	}

	r = cli(t, envKeys(), "wait", "--endpoint", s.url, "--circuit", testCircuit, "--id", created.VirtualPhysicalConnectionID,
		"--until", "enabled", "--wait-timeout", "1s")
	r.want(t, exitWaitTimeout)
	if f := r.failure(t); strings.Contains(f.Remedy, "the action succeeded") || !strings.HasPrefix(f.Resume, "expressconnect wait ") {
		t.Errorf("wait command's error: %+v", f)
	}
}

// TestMalformedConfigIsNotQuoted checks that an aliyun CLI configuration that is not valid
// JSON, which credentials-go quotes whole in its error, secrets included, is named and not
// quoted, with and without --profile.
func TestMalformedConfigIsNotQuoted(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ".aliyun"), 0o700); err != nil {
		t.Fatal(err)
	}
	conf := `{"current": "a", "profiles": [{"name": "a", "mode": "AK", "access_key_id": "LTAI5tLeakCheck0001", "access_key_secret": "` + testKeySecret + `"`
	if err := os.WriteFile(filepath.Join(dir, ".aliyun", "config.json"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"list", "--region", "cn-hangzhou"}, {"list", "--profile", "a"}} {
		r := cli(t, []string{"HOME=" + dir}, append(args, "--endpoint", s.url)...) // cli fails the test on a secret
		r.want(t, exitCredentials)
		if f := r.failure(t); !strings.Contains(f.Message, "is not valid JSON") || !strings.Contains(f.Message, "content is not shown") {
			t.Errorf("%v: %+v", args, f)
		}
	}
}

// TestUpdateKeepsTheVLAN checks that an update without --vlan keeps the VLAN, never 0.
func TestUpdateKeepsTheVLAN(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	r := cli(t, envKeys(), createArgs(s, "77")...)
	r.want(t, exitOK)
	var created actionJSON
	r.decode(t, &created)
	r = cli(t, envKeys(), "update", "--endpoint", s.url, "--id", created.VirtualPhysicalConnectionID, "--expect-spec", "200M")
	r.want(t, exitOK)
	var updated actionJSON
	r.decode(t, &updated)
	if updated.VlanID != nil || updated.ExpectSpec != "200M" {
		t.Errorf("update: %s", r.stdout)
	}
	if conns := s.connections(t); len(conns) != 1 || conns[0].VLANID == nil || *conns[0].VLANID != 77 {
		t.Errorf("the sandbox holds %+v", conns)
	}
}

// TestCompletion checks cobra's completion scripts and the completion of flag values.
func TestCompletion(t *testing.T) {
	t.Parallel()
	for _, shell := range []string{"bash", "zsh", "fish"} {
		r := cli(t, nil, "completion", shell)
		r.want(t, exitOK)
		if !strings.Contains(r.stdout, "expressconnect") {
			t.Errorf("%s completion: %.200s", shell, r.stdout)
		}
	}
	r := cli(t, nil, "__complete", "create", "--wait", "")
	r.want(t, exitOK)
	if !strings.Contains(r.stdout, "accepted\nenabled\n") {
		t.Errorf("completion of --wait: %q", r.stdout)
	}
	r = cli(t, []string{"HOME=" + home(t)}, "__complete", "list", "--profile", "")
	if !strings.Contains(r.stdout, "local\nother\n") {
		t.Errorf("completion of --profile: %q", r.stdout)
	}
}

// TestHelp checks that the root help lists the exit statuses and every command, and that a
// command's help shows the aliases' parameter names.
func TestHelp(t *testing.T) {
	t.Parallel()
	r := cli(t, nil, "-h")
	r.want(t, exitOK)
	for _, want := range []string{"Exit statuses:", "  130  interrupted", "   17  the wait timed out", "free-vlan", "completion",
		"--profile", "--print-request", "VirtualPhysicalConnectionId", "VlanId"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the help lacks %q", want)
		}
	}
	r = cli(t, nil, "create", "-h")
	r.want(t, exitOK)
	for _, want := range []string{"--on-free-vlan", "alias --physical-connection-id", "--wait accepted|enabled", "--dry-run"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("create's help lacks %q", want)
		}
	}
}

// TestAliasesAndFreeVLAN uses the API's parameter names as flags, and reads the free VLAN.
func TestAliasesAndFreeVLAN(t *testing.T) {
	t.Parallel()
	s := startSandbox(t)
	cli(t, envKeys(), "create", "--endpoint", s.url, "--physical-connection-id", testCircuit, "--vpconn-ali-uid", testTenant,
		"--vlan-id", "1", "--spec", "100M", "--order-mode", "PayByPhysicalConnectionOwner").want(t, exitOK)
	r := cli(t, envKeys(), "free-vlan", "--endpoint", s.url, "--circuit", testCircuit)
	r.want(t, exitOK)
	var out struct {
		FreeVlanID  int   `json:"FreeVlanId"`
		UsedVlanIDs []int `json:"UsedVlanIds"`
	}
	r.decode(t, &out)
	if out.FreeVlanID != 2 || !slices.Equal(out.UsedVlanIDs, []int{1}) {
		t.Errorf("free-vlan: %s", r.stdout)
	}
	r = cli(t, envKeys(), "create", "--endpoint", s.url, "--circuit", testCircuit, "--tenant", testTenant, "--on-free-vlan",
		"--order-key", "order-7", "--spec", "100M", "--order-mode", "PayByPhysicalConnectionOwner")
	r.want(t, exitOK)
	var created actionJSON
	r.decode(t, &created)
	if n, ok := created.VlanID.Value(); !ok || n != 2 {
		t.Errorf("on a free VLAN: %s", r.stdout)
	}
	r = cli(t, envKeys(), "circuit", "--endpoint", s.url, "--circuit", testCircuit, "--output", "table")
	r.want(t, exitOK)
	if !strings.Contains(r.stdout, "VirtualPhysicalConnectionCount") || !strings.Contains(r.stdout, "PhysicalConnection\n") {
		t.Errorf("circuit: %s", r.stdout)
	}
	var list listPageJSON
	r = cli(t, envKeys(), "list", "--endpoint", s.url, "--vlan", "2")
	r.want(t, exitOK)
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || list.Count != 1 {
		t.Errorf("list --vlan 2: %s", r.stdout)
	}
}
