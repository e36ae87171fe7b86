package interop

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// This file holds the scenarios every official SDK goes through, written once against the
// client interface; tea_test.go and old_test.go adapt each SDK to it with its own request,
// response and error types.

// createInput is a CreateVirtualPhysicalConnection request of the scenarios: on the default
// circuit, for the tenant, paid by the circuit's owner.
type createInput struct {
	vlan   int
	spec   string // "" is 50M
	token  string
	dryRun bool
}

// updateInput is an UpdateVirtualPhysicalConnection request of the scenarios.
type updateInput struct {
	id         string
	vlan       int
	expectSpec string
	token      string
	dryRun     bool
}

// listInput is a ListVirtualPhysicalConnections request of the scenarios.
type listInput struct {
	ids        []string
	maxResults int // 0: the default
	nextToken  string
}

// row is what a scenario reads of a DescribePhysicalConnections row.
type row struct {
	id, productType, status, parentID, vlan string
	parentUID                               int64 // a number in Describe's model
	tagKeys                                 []string
}

// page is what a scenario reads of a List answer.
type page struct {
	ids, vlans, statuses []string
	nextToken            string
	total                int
}

// client is one official SDK driven through the operations.
type client interface {
	create(in createInput) (string, error)
	list(in listInput) (page, error)
	update(in updateInput) error
	delete(id, clientToken string) error
	terminate(id, clientToken string) error
	cancel(id, clientToken string) error
	// describe returns the rows of DescribePhysicalConnections whose PhysicalConnectionId is
	// id (a filter).
	describe(id string) ([]row, error)
	// codeOf returns the error code and HTTP status of err, read through the SDK's own error
	// type; ok is false when err is not of that type.
	codeOf(err error) (code string, status int, ok bool)
}

// newClientFunc returns an SDK's client for the sandbox, with its AccessKey pair or, when sts
// is true, its STS credentials.
type newClientFunc func(t *testing.T, sts bool) client

// Signature algorithms, as a recorded request shows the one it was signed with (see
// signatureMethod).
const (
	rpcSignature = "HMAC-SHA1"        // the RPC signature, SignatureMethod=HMAC-SHA1
	v3Signature  = "ACS3-HMAC-SHA256" // the Authorization header of version 3
)

// runScenarios runs every scenario with the SDK of newClient, one after another: they share
// the sandbox, which each resets first. After each, it checks that the sandbox received
// every request signed with algorithm (rpcSignature or v3Signature), so that a test of one
// signature cannot pass on the other.
func runScenarios(t *testing.T, algorithm string, newClient newClientFunc) {
	scenariosRan.Store(true)
	scenarios := []struct {
		name string
		run  func(t *testing.T, c client, newClient newClientFunc)
	}{
		{"create, list, update, delete", lifecycle},
		{"list pages and filters", paging},
		{"documented error codes", documentedErrors},
		{"idempotent replay", idempotentReplay},
		{"dry run", dryRun},
		{"STS credentials", stsCredentials},
		{"terminate, cancel, describe", terminateAndCancel},
		{"terminate and cancel: idempotent replay", terminateAndCancelReplay},
		{"terminate and cancel: documented error codes", terminateAndCancelErrors},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			resetSandbox(t)
			sc.run(t, newClient(t, false), newClient)
			received := receivedRequests(t)
			require.NotEmpty(t, received)
			for i, r := range received {
				assert.Equal(t, algorithm, signatureMethod(r), "request %d (%s)", i, r.Action)
			}
		})
	}
}

// signatureMethod returns the algorithm a recorded request was signed with: that of its
// Authorization header (a V3 signature), else its SignatureMethod parameter (the RPC
// signature); "" when it has neither.
func signatureMethod(r expressconnecttest.Request) string {
	if auth := r.Header["Authorization"]; len(auth) > 0 {
		algorithm, _, _ := strings.Cut(auth[0], " ")
		return algorithm
	}
	if method := r.Params["SignatureMethod"]; len(method) > 0 {
		return method[0]
	}
	return ""
}

// assertCode checks that err is the SDK's own error type with code and status.
func assertCode(t *testing.T, c client, err error, code string, status int) {
	t.Helper()
	require.Error(t, err)
	gotCode, gotStatus, ok := c.codeOf(err)
	require.True(t, ok, "the SDK's own error type: %T %v", err, err)
	assert.Equal(t, code, gotCode)
	assert.Equal(t, status, gotStatus)
}

// onlyConnection returns the one hosted connection the sandbox holds.
func onlyConnection(t *testing.T) connection {
	t.Helper()
	list := connections(t)
	require.Len(t, list, 1)
	return list[0]
}

func lifecycle(t *testing.T, c client, _ newClientFunc) {
	id, err := c.create(createInput{vlan: 100, spec: "1G"})
	require.NoError(t, err)
	got := onlyConnection(t)
	assert.Equal(t, id, got.VirtualPhysicalConnectionID)
	assert.Equal(t, circuitID, got.PhysicalConnectionID)
	assert.Equal(t, 100, got.VLANID)
	assert.Equal(t, "1G", got.Spec)
	assert.Equal(t, "Allocated", got.Status)

	p, err := c.list(listInput{})
	require.NoError(t, err)
	assert.Equal(t, page{ids: []string{id}, vlans: []string{"100"}, statuses: []string{"UnConfirmed"}, total: 1}, p)

	require.NoError(t, c.update(updateInput{id: id, vlan: 101, expectSpec: "2G"}))
	got = onlyConnection(t)
	assert.Equal(t, 101, got.VLANID)
	assert.Equal(t, "2G", got.ExpectSpec)

	require.NoError(t, sandbox.admin.Act(context.Background(), id, expressconnecttest.TenantAccepts))
	p, err = c.list(listInput{})
	require.NoError(t, err)
	assert.Equal(t, []string{"Confirmed"}, p.statuses, "the tenant accepted it through the admin API")

	require.NoError(t, c.delete(id, ""))
	assert.Equal(t, "Deleted", onlyConnection(t).VirtualPhysicalConnectionStatus)
	p, err = c.list(listInput{})
	require.NoError(t, err)
	assert.Empty(t, p.ids)
	assert.Zero(t, p.total)
}

func paging(t *testing.T, c client, _ newClientFunc) {
	var ids []string
	for vlan := 1; vlan <= 3; vlan++ {
		id, err := c.create(createInput{vlan: vlan})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	first, err := c.list(listInput{maxResults: 2})
	require.NoError(t, err)
	assert.Equal(t, ids[:2], first.ids)
	assert.Equal(t, 3, first.total)
	require.NotEmpty(t, first.nextToken)
	second, err := c.list(listInput{maxResults: 2, nextToken: first.nextToken})
	require.NoError(t, err)
	assert.Equal(t, ids[2:], second.ids)
	assert.Empty(t, second.nextToken)

	filtered, err := c.list(listInput{ids: []string{ids[2], ids[0]}})
	require.NoError(t, err)
	assert.Equal(t, []string{ids[0], ids[2]}, filtered.ids, "in order of creation")
	assert.Equal(t, []string{"1", "3"}, filtered.vlans)
}

func documentedErrors(t *testing.T, c client, _ newClientFunc) {
	id, err := c.create(createInput{vlan: 200})
	require.NoError(t, err)
	_, err = c.create(createInput{vlan: 200})
	assertCode(t, c, err, "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION", http.StatusBadRequest)
	other, err := c.create(createInput{vlan: 201})
	require.NoError(t, err)
	err = c.update(updateInput{id: other, vlan: 200})
	assertCode(t, c, err, "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION", http.StatusBadRequest)
	err = c.update(updateInput{id: "pc-bp1unknown0000000000", vlan: 202})
	assertCode(t, c, err, "ResourceNotFound.PhysicalConnectionId", http.StatusBadRequest)

	require.NoError(t, c.delete(id, ""))
	err = c.delete(id, "")
	assertCode(t, c, err, "InvalidPhysicalConnectionId.NotFound", http.StatusNotFound)
	assert.Len(t, connections(t), 2, "nothing created by the refused calls")
}

func idempotentReplay(t *testing.T, c client, _ newClientFunc) {
	const token = "interop-create-token-01"
	in := createInput{vlan: 300, token: token}
	first, err := c.create(in)
	require.NoError(t, err)
	again, err := c.create(in)
	require.NoError(t, err)
	assert.Equal(t, first, again, "the same answer")
	got := onlyConnection(t)
	assert.Equal(t, first, got.VirtualPhysicalConnectionID, "the ID the sandbox holds")
	assert.Equal(t, token, got.Token, "nothing created twice")

	up := updateInput{id: first, vlan: 301, token: "interop-update-token-01"}
	require.NoError(t, c.update(up))
	require.NoError(t, c.update(up))
	assert.Equal(t, 301, onlyConnection(t).VLANID)

	require.NoError(t, c.delete(first, "interop-delete-token-01"))
	require.NoError(t, c.delete(first, "interop-delete-token-01"), "the replay answers success again")
	assert.Equal(t, "Deleted", onlyConnection(t).VirtualPhysicalConnectionStatus)

	var creates []expressconnecttest.Request
	for _, r := range receivedRequests(t) {
		if r.Action == "CreateVirtualPhysicalConnection" {
			creates = append(creates, r)
		}
	}
	require.Len(t, creates, 2, "both calls reached the sandbox")
	for i, r := range creates {
		assert.Equal(t, http.StatusOK, r.StatusCode, "call %d", i)
		assert.True(t, r.SignatureVerified, "call %d", i)
	}
}

func dryRun(t *testing.T, c client, _ newClientFunc) {
	_, err := c.create(createInput{vlan: 400, dryRun: true})
	assertCode(t, c, err, "DryRunOperation", http.StatusBadRequest)
	assert.Empty(t, connections(t), "a dry run creates nothing")

	require.NoError(t, sandbox.admin.SetCircuit(context.Background(), expressconnecttest.Circuit{ID: circuitID, CapacityMbps: 1000}))
	_, err = c.create(createInput{vlan: 400, dryRun: true, spec: "2G"})
	assertCode(t, c, err, "ResourceNotEnough.Bandwidth", http.StatusBadRequest)

	id, err := c.create(createInput{vlan: 400})
	require.NoError(t, err)
	err = c.update(updateInput{id: id, vlan: 401, dryRun: true})
	assertCode(t, c, err, "DryRunOperation", http.StatusBadRequest)
	assert.Equal(t, 400, onlyConnection(t).VLANID, "a dry run changes nothing")
}

func stsCredentials(t *testing.T, _ client, newClient newClientFunc) {
	c := newClient(t, true)
	id, err := c.create(createInput{vlan: 500})
	require.NoError(t, err)
	p, err := c.list(listInput{})
	require.NoError(t, err)
	assert.Equal(t, []string{id}, p.ids)
	require.NoError(t, c.update(updateInput{id: id, vlan: 501}))
	require.NoError(t, c.delete(id, ""))
	for i, r := range receivedRequests(t) {
		assert.True(t, r.SignatureVerified, "request %d", i)
		assert.Equal(t, http.StatusOK, r.StatusCode, "request %d", i)
	}

	require.NoError(t, sandbox.admin.ExpireSTSCredentials(context.Background()))
	_, err = c.create(createInput{vlan: 502})
	assertCode(t, c, err, "InvalidSecurityToken.Expired", http.StatusBadRequest)
	assert.Len(t, connections(t), 1, fmt.Sprintf("the expired credentials created nothing after %s", id))
}

// accountUID is the UID of the sandbox's account, which owns its circuits: the default, as the
// config file sets none.
const accountUID = 1580000000000001

// enable has the tenant accept the hosted connection id and billing enable it, through the
// admin API.
func enable(t *testing.T, id string) {
	t.Helper()
	require.NoError(t, sandbox.admin.Act(context.Background(), id, expressconnecttest.TenantAccepts))
	require.NoError(t, sandbox.admin.Act(context.Background(), id, expressconnecttest.BillingEnables))
}

// describeOne returns the one row DescribePhysicalConnections lists for id.
func describeOne(t *testing.T, c client, id string) row {
	t.Helper()
	rows, err := c.describe(id)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	return rows[0]
}

// terminateAndCancel terminates a hosted connection (Terminating, then Terminated once the
// sandbox's clock has passed the termination delay) and cancels another, reading both back
// with DescribePhysicalConnections, whose rows the SDK decodes with its own types; then
// deletes both.
func terminateAndCancel(t *testing.T, c client, _ newClientFunc) {
	enabled, err := c.create(createInput{vlan: 600})
	require.NoError(t, err)
	enable(t, enabled)
	canceled, err := c.create(createInput{vlan: 601})
	require.NoError(t, err)

	require.NoError(t, c.terminate(enabled, ""))
	assert.Equal(t, row{id: enabled, productType: "VirtualPhysicalConnection", status: "Terminating",
		parentID: circuitID, parentUID: accountUID, vlan: "600"}, describeOne(t, c, enabled))
	circuit := describeOne(t, c, circuitID)
	assert.Equal(t, row{id: circuitID, productType: "PhysicalConnection", status: "Enabled"}, circuit,
		"the circuit's row: no parent, no VLAN")

	require.NoError(t, sandbox.admin.SetClockOffset(context.Background(), time.Minute)) // past the termination delay
	assert.Equal(t, "Terminated", describeOne(t, c, enabled).status)
	require.NoError(t, c.delete(enabled, ""), "a Terminated hosted connection can be deleted")

	require.NoError(t, c.cancel(canceled, ""))
	assert.Equal(t, "Canceled", describeOne(t, c, canceled).status)
	require.NoError(t, c.delete(canceled, ""))
	rows, err := c.describe(canceled)
	require.NoError(t, err)
	assert.Empty(t, rows, "deleted hosted connections are not listed")
	for _, conn := range connections(t) {
		assert.Equal(t, "Deleted", conn.VirtualPhysicalConnectionStatus, conn.VirtualPhysicalConnectionID)
	}
}

// terminateAndCancelReplay sends Terminate and Cancel twice with the same ClientToken: the
// second answers success as the first did, though the state no longer allows the action, and
// changes nothing.
func terminateAndCancelReplay(t *testing.T, c client, _ newClientFunc) {
	enabled, err := c.create(createInput{vlan: 700})
	require.NoError(t, err)
	enable(t, enabled)
	allocated, err := c.create(createInput{vlan: 701})
	require.NoError(t, err)

	require.NoError(t, c.terminate(enabled, "interop-terminate-token-01"))
	require.NoError(t, c.terminate(enabled, "interop-terminate-token-01"), "the replay answers success again")
	require.NoError(t, c.cancel(allocated, "interop-cancel-token-01"))
	require.NoError(t, c.cancel(allocated, "interop-cancel-token-01"), "the replay answers success again")
	statuses := map[string]string{}
	for _, conn := range connections(t) {
		statuses[conn.VirtualPhysicalConnectionID] = conn.Status
	}
	assert.Equal(t, map[string]string{enabled: "Terminating", allocated: "Canceled"}, statuses)

	err = c.terminate(enabled, "")
	assertCode(t, c, err, "Forbidden.NotAllowedInState", http.StatusBadRequest)
	var replays []expressconnecttest.Request
	for _, r := range receivedRequests(t) {
		if (r.Action == "TerminatePhysicalConnection" || r.Action == "CancelPhysicalConnection") &&
			len(r.Params["ClientToken"]) > 0 && r.Params["ClientToken"][0] != "" {
			replays = append(replays, r)
		}
	}
	require.Len(t, replays, 4, "every call reached the sandbox")
	for i, r := range replays {
		assert.Equal(t, http.StatusOK, r.StatusCode, "call %d", i)
		assert.True(t, r.SignatureVerified, "call %d", i)
	}
}

// terminateAndCancelErrors provokes the documented error codes of Terminate and Cancel, each
// read through the SDK's own error type.
func terminateAndCancelErrors(t *testing.T, c client, _ newClientFunc) {
	allocated, err := c.create(createInput{vlan: 800})
	require.NoError(t, err)
	enabled, err := c.create(createInput{vlan: 801})
	require.NoError(t, err)
	enable(t, enabled)

	err = c.terminate(allocated, "")
	assertCode(t, c, err, "Forbidden.NotAllowedInState", http.StatusBadRequest)
	err = c.cancel(enabled, "")
	assertCode(t, c, err, "Forbidden.NotAllowedInState", http.StatusBadRequest)
	err = c.terminate(circuitID, "")
	assertCode(t, c, err, "OperationFailed.VpconnAttached", http.StatusBadRequest)
	err = c.cancel("pc-bp1unknown0000000000", "")
	assertCode(t, c, err, "InvalidPhysicalConnectionId.NotFound", http.StatusNotFound)

	require.NoError(t, c.cancel(allocated, "interop-error-token-01"))
	err = c.cancel(enabled, "interop-error-token-01")
	assertCode(t, c, err, "IdempotentParameterMismatch", http.StatusBadRequest)

	statuses := map[string]string{}
	for _, conn := range connections(t) {
		statuses[conn.VirtualPhysicalConnectionID] = conn.Status
	}
	assert.Equal(t, map[string]string{allocated: "Canceled", enabled: "Enabled"}, statuses, "the refused calls changed nothing")
	assert.Equal(t, "Enabled", describeOne(t, c, circuitID).status, "the circuit was not terminated")
}
