package expressconnect_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// vlanClient returns a client of srv with opts.
func vlanClient(t *testing.T, srv *expressconnecttest.Server, opts ...expressconnect.Option) *expressconnect.Client {
	t.Helper()
	c, err := srv.Client(opts...)
	require.NoError(t, err)
	return c
}

// createOn creates a hosted connection for tenant on vlan of the default circuit.
func createOn(t *testing.T, c *expressconnect.Client, tenant string, vlan int, spec expressconnect.Spec) string {
	t.Helper()
	req := exampleRequest(vlan)
	req.VpconnAliUID, req.Spec = tenant, spec
	resp, err := c.CreateVirtualPhysicalConnection(context.Background(), req)
	require.NoError(t, err)
	return resp.VirtualPhysicalConnectionID
}

func TestFreeVLAN(t *testing.T) {
	t.Parallel()
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	c := vlanClient(t, srv)
	for _, v := range []int{4, 1, 2} {
		createOn(t, c, "1210123456789012", v, expressconnect.Spec100M)
	}
	deleted := createOn(t, c, "1210123456789012", 3, expressconnect.Spec1G)
	_, err := c.DeleteVirtualPhysicalConnection(context.Background(), &expressconnect.HostedConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionID: deleted})
	require.NoError(t, err)

	resp, err := c.FreeVLAN(context.Background(), &expressconnect.FreeVLANRequest{PhysicalConnectionID: expressconnecttest.DefaultCircuitID})

	require.NoError(t, err)
	assert.Equal(t, []expressconnect.VLANID{expressconnect.VLAN(1), expressconnect.VLAN(2), expressconnect.VLAN(4)}, resp.Used)
	assert.Equal(t, expressconnect.VLAN(3), resp.Free, "a deleted hosted connection frees its VLAN")
	assert.Equal(t, 3, resp.HostedConnections)
	assert.Equal(t, 300, resp.ReservedMbps)

	tests := []struct {
		name     string
		from, to expressconnect.VLANID
		want     expressconnect.VLANID
	}{
		{"from 4", expressconnect.VLAN(4), expressconnect.VLANID{}, expressconnect.VLAN(5)},
		{"a full window", expressconnect.VLAN(1), expressconnect.VLAN(2), expressconnect.VLANID{}},
		{"VLAN 0 on a circuit in use", expressconnect.VLAN(0), expressconnect.VLAN(0), expressconnect.VLANID{}},
	}
	for _, tc := range tests {
		resp, err := c.FreeVLAN(context.Background(), &expressconnect.FreeVLANRequest{
			PhysicalConnectionID: expressconnecttest.DefaultCircuitID, From: tc.from, To: tc.to})
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, resp.Free, tc.name)
	}
	_, err = c.FreeVLAN(context.Background(), &expressconnect.FreeVLANRequest{From: expressconnect.VLAN(3000), To: expressconnect.VLAN(3)})
	var vErr *expressconnect.ValidationError
	require.ErrorAs(t, err, &vErr)
	assert.Len(t, vErr.Violations, 3, "%v", vErr)
}

func TestCreateOnFreeVLAN(t *testing.T) {
	t.Parallel()
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	c := vlanClient(t, srv)
	createOn(t, c, "1210999999999999", 1, expressconnect.Spec50M) // another tenant's
	createOn(t, c, "1210123456789012", 2, expressconnect.Spec50M) // another order of this tenant
	order := &expressconnect.CreateOnFreeVLANRequest{Connection: *exampleRequest(0), OrderKey: "order-17"}
	order.Connection.VLANID = expressconnect.VLANID{}

	first, err := c.CreateVirtualPhysicalConnectionOnFreeVLAN(context.Background(), order)
	require.NoError(t, err)
	again, err := c.CreateVirtualPhysicalConnectionOnFreeVLAN(context.Background(), order)
	require.NoError(t, err)

	assert.Equal(t, first.VirtualPhysicalConnectionID, again.VirtualPhysicalConnectionID, "the order is created once")
	assert.Equal(t, first.Token, again.Token)
	assert.Equal(t, expressconnect.VLAN(3), heldConnection(t, srv, first.VirtualPhysicalConnectionID).VLANID, "the lowest free VLAN")
	assert.Len(t, heldConnections(t, srv), 3)

	other := *order
	other.OrderKey = "order-18"
	second, err := c.CreateVirtualPhysicalConnectionOnFreeVLAN(context.Background(), &other)
	require.NoError(t, err)
	assert.NotEqual(t, first.VirtualPhysicalConnectionID, second.VirtualPhysicalConnectionID, "another order gets its own")
	assert.Equal(t, expressconnect.VLAN(4), heldConnection(t, srv, second.VirtualPhysicalConnectionID).VLANID)
	assert.NotEqual(t, first.Token, second.Token)
}

// TestCreateOnFreeVLANRace takes the free VLAN from under the call, between its List and its
// Create: the call moves on to the next free VLAN with a new token.
func TestCreateOnFreeVLANRace(t *testing.T) {
	t.Parallel()
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	racer := vlanClient(t, srv)
	var once sync.Once
	taker := observer{call: func(info expressconnect.CallInfo) {
		if info.Operation == "ListVirtualPhysicalConnections" {
			once.Do(func() { createOn(t, racer, "1210999999999999", 1, expressconnect.Spec50M) })
		}
	}}
	c := vlanClient(t, srv, expressconnect.WithObserver(taker))
	order := &expressconnect.CreateOnFreeVLANRequest{Connection: *exampleRequest(0), OrderKey: "order-race"}
	order.Connection.VLANID = expressconnect.VLANID{}

	resp, err := c.CreateVirtualPhysicalConnectionOnFreeVLAN(context.Background(), order)

	require.NoError(t, err)
	assert.Equal(t, expressconnect.VLAN(2), heldConnection(t, srv, resp.VirtualPhysicalConnectionID).VLANID, "VLAN 1 was taken meanwhile")
}

func TestCreateOnFreeVLANRefuses(t *testing.T) {
	t.Parallel()
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{ID: "pc-bp1smallcircuit01"}}})
	c := vlanClient(t, srv)
	bad := &expressconnect.CreateOnFreeVLANRequest{Connection: *exampleRequest(5)}
	bad.Connection.Token = "mine"
	_, err := c.CreateVirtualPhysicalConnectionOnFreeVLAN(context.Background(), bad)
	var vErr *expressconnect.ValidationError
	require.ErrorAs(t, err, &vErr)
	for _, field := range []string{"OrderKey", "Connection.VLANID", "Connection.Token"} {
		assert.NotEmpty(t, vErr.Field(field), field)
	}

	full := &expressconnect.CreateOnFreeVLANRequest{Connection: *exampleRequest(0), OrderKey: "order-full",
		From: expressconnect.VLAN(7), To: expressconnect.VLAN(7)}
	full.Connection.VLANID = expressconnect.VLANID{}
	createOn(t, c, "1210999999999999", 7, expressconnect.Spec50M)
	_, err = c.CreateVirtualPhysicalConnectionOnFreeVLAN(context.Background(), full)
	assert.ErrorIs(t, err, expressconnect.ErrVLANConflict)
	assert.Contains(t, err.Error(), "no free VLAN from 7 to 7")
}

// observer is an Observer that calls call at the end of every call.
type observer struct {
	call func(info expressconnect.CallInfo)
}

func (o observer) ObserveAttempt(context.Context, expressconnect.CallInfo, expressconnect.Attempt) {}

func (o observer) ObserveCall(_ context.Context, info expressconnect.CallInfo, _ expressconnect.CallResult) {
	o.call(info)
}

// The environment of TestCreateOnFreeVLANSurvivesACrash's child process.
const (
	crashChildEnv  = "EXPRESSCONNECT_CRASH_CHILD"
	crashAfterEnv  = "EXPRESSCONNECT_CRASH_AFTER_CREATE"
	crashExitCode  = 3
	crashOrderKey  = "order-crash-1"
	crashEndpoint  = "EXPRESSCONNECT_CRASH_ENDPOINT"
	crashAccessKey = "EXPRESSCONNECT_CRASH_ACCESS_KEY"
)

// TestCreateOnFreeVLANSurvivesACrash runs CreateVirtualPhysicalConnectionOnFreeVLAN in a child
// process that is killed right after the service created the hosted connection, before the
// program learned its ID, and then runs the same order again in a new process: the second
// run finds the first one's hosted connection and creates nothing more.
func TestCreateOnFreeVLANSurvivesACrash(t *testing.T) {
	t.Parallel()
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	c := vlanClient(t, srv)
	createOn(t, c, "1210999999999999", 1, expressconnect.Spec50M)

	run := func(crash bool) (string, int) {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"=1", crashEndpoint+"="+srv.URL(),
			crashAccessKey+"="+srv.Account().AccessKeyID+":"+srv.Account().AccessKeySecret)
		if crash {
			cmd.Env = append(cmd.Env, crashAfterEnv+"=1")
		}
		out, err := cmd.CombinedOutput()
		code := 0
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			code = exitErr.ExitCode()
		} else {
			require.NoError(t, err, "%s", out)
		}
		return string(out), code
	}

	out, code := run(true)
	require.Equal(t, crashExitCode, code, "the first run dies after the create: %s", out)
	require.Len(t, heldConnections(t, srv), 2, "the first run created its hosted connection")

	out, code = run(false)
	require.Zero(t, code, "%s", out)
	conns := heldConnections(t, srv)
	require.Len(t, conns, 2, "the second run created nothing more")
	assert.Contains(t, out, "created "+conns[1].VirtualPhysicalConnectionID, "the second run reports the first run's hosted connection")
	assert.Equal(t, expressconnect.VLAN(2), conns[1].VLANID)
}

// TestMain runs the child process of TestCreateOnFreeVLANSurvivesACrash when the test binary
// is started as one, and the tests otherwise.
func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) != "" {
		os.Exit(crashChild())
	}
	os.Exit(m.Run())
}

// crashChild creates the order crashOrderKey on a free VLAN of the endpoint in the
// environment, dying right after the create when crashAfterEnv is set, and returns the exit
// status.
func crashChild() int {
	id, secret, _ := strings.Cut(os.Getenv(crashAccessKey), ":")
	opts := []expressconnect.Option{
		expressconnect.WithRegion("cn-hangzhou"), expressconnect.WithEndpoint(os.Getenv(crashEndpoint)),
		expressconnect.WithAccessKey(id, secret),
	}
	if os.Getenv(crashAfterEnv) != "" {
		opts = append(opts, expressconnect.WithObserver(attemptObserver(func(info expressconnect.CallInfo, a expressconnect.Attempt) {
			if info.Operation == "CreateVirtualPhysicalConnection" && a.Err == nil {
				os.Exit(crashExitCode) // the hosted connection exists; the program never learns its ID
			}
		})))
	}
	c, err := expressconnect.NewClient(opts...)
	if err != nil {
		fmt.Println(err)
		return 1
	}
	order := &expressconnect.CreateOnFreeVLANRequest{Connection: *exampleRequest(0), OrderKey: crashOrderKey}
	order.Connection.VLANID = expressconnect.VLANID{}
	resp, err := c.CreateVirtualPhysicalConnectionOnFreeVLAN(context.Background(), order)
	if err != nil {
		fmt.Println(err)
		return 1
	}
	fmt.Println("created", resp.VirtualPhysicalConnectionID)
	return 0
}

// attemptObserver is an Observer that calls f after every attempt.
type attemptObserver func(info expressconnect.CallInfo, a expressconnect.Attempt)

func (f attemptObserver) ObserveAttempt(_ context.Context, info expressconnect.CallInfo, a expressconnect.Attempt) {
	f(info, a)
}

func (f attemptObserver) ObserveCall(context.Context, expressconnect.CallInfo, expressconnect.CallResult) {
}
