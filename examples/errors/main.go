// Command errors shows how to branch on what went wrong, without parsing strings: every error
// family (errors.Is with ErrNotFound, ErrVLANConflict, ...), the client's own errors
// (*ValidationError, ErrCredentials, *ResponseError, *TransportError), a canceled context,
// and the *OperationError that keeps the idempotency Token for a later retry.
//
// It runs offline against the local endpoint (package expressconnecttest), provoking each
// failure for real where the endpoint can (unknown circuit, VLAN in use, a wrong secret, ...)
// and with injected faults otherwise (throttling, 503, an HTML 502, a reset connection):
//
//	go run ./examples/errors
//
// The function to copy is handle.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "errors:", err)
		os.Exit(1)
	}
}

// handle says what to do about err, a failure of CreateVirtualPhysicalConnection.
func handle(err error) string {
	var (
		vErr    *expressconnect.ValidationError
		apiErr  *expressconnect.APIError
		respErr *expressconnect.ResponseError
		tErr    *expressconnect.TransportError
		opErr   *expressconnect.OperationError
	)
	// Token for a later retry: repeating the call with it never creates a second connection.
	retryLater := ""
	if errors.As(err, &opErr) {
		retryLater = fmt.Sprintf("; retry later with Token %s (%d attempt(s) made)", opErr.Token, len(opErr.Attempts))
	}

	switch {
	case errors.As(err, &vErr):
		return fmt.Sprintf("*ValidationError: fix %d field(s) first, nothing was sent (%s)", len(vErr.Violations), vErr)
	case errors.Is(err, expressconnect.ErrCredentials):
		// Nothing was sent. The error says which sources of the chain were tried.
		return "ErrCredentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET or a profile"
	case errors.Is(err, context.Canceled):
		// Checked before the rest: the caller gave up, and the last attempt may have reached
		// the service, so its outcome is unknown; the same Token finds out without a duplicate.
		return "context.Canceled: stopped by the caller, outcome unknown" + retryLater
	case errors.Is(err, expressconnect.ErrInvalidParameter):
		return "ErrInvalidParameter: the service refused a parameter: " + code(err)
	case errors.Is(err, expressconnect.ErrNotFound):
		return "ErrNotFound: check the circuit ID: " + code(err)
	case errors.Is(err, expressconnect.ErrVLANConflict):
		return "ErrVLANConflict: pick another VLAN: " + code(err)
	case errors.Is(err, expressconnect.ErrQuotaOrCapacity):
		return "ErrQuotaOrCapacity: free capacity or ask for more: " + code(err)
	case errors.Is(err, expressconnect.ErrInvalidState):
		return "ErrInvalidState: the circuit cannot take it now: " + code(err)
	case errors.Is(err, expressconnect.ErrPermission):
		return "ErrPermission: tenant or caller not allowed: " + code(err)
	case errors.Is(err, expressconnect.ErrThrottled):
		return "ErrThrottled: slow down: " + code(err) + retryLater
	case errors.Is(err, expressconnect.ErrAuthentication):
		return "ErrAuthentication: check the AccessKey or STS token: " + code(err)
	case errors.Is(err, expressconnect.ErrSignature):
		return "ErrSignature: check the secret and the clock: " + code(err)
	case errors.Is(err, expressconnect.ErrIdempotency):
		return "ErrIdempotency: this Token was used for another request: " + code(err)
	case errors.As(err, &respErr):
		// Checked before ErrServerSide, which a 5xx *ResponseError also matches.
		return fmt.Sprintf("*ResponseError: unreadable HTTP %d answer (server side: %t)%s",
			respErr.StatusCode, errors.Is(err, expressconnect.ErrServerSide), retryLater)
	case errors.Is(err, expressconnect.ErrServerSide):
		return "ErrServerSide: the service failed: " + code(err) + retryLater
	case errors.As(err, &tErr):
		return fmt.Sprintf("*TransportError: no answer from %s (timeout: %t)%s", tErr.Endpoint, tErr.Timeout(), retryLater)
	case errors.As(err, &apiErr):
		return "*APIError with a code of no family: " + string(apiErr.Code)
	}
	return "unexpected: " + err.Error()
}

// code returns the service's error code of err, or "".
func code(err error) string {
	var apiErr *expressconnect.APIError
	if errors.As(err, &apiErr) {
		return string(apiErr.Code)
	}
	return ""
}

// Circuits of the local endpoint besides the default one.
const (
	disabledCircuit = "pc-bp1disabled0000000001"
	smallCircuit    = "pc-bp1small000000000001"
	forbiddenTenant = "1219999999999999"
)

// scenario provokes one failure.
type scenario struct {
	name string
	call func(ctx context.Context) error
}

// run provokes each failure against a local endpoint and prints how handle reacts.
func run(ctx context.Context, w io.Writer) error {
	srv, err := expressconnecttest.NewServer(expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{ID: disabledCircuit, Status: expressconnect.StatusAllocated}, {ID: smallCircuit, CapacityMbps: 50}}, ForbiddenTenants: []string{forbiddenTenant}})
	if err != nil {
		return err
	}
	defer srv.Close()

	// One attempt per call, so that each injected fault shows as it is. The default client
	// retries throttling, 5xx and lost connections up to 3 attempts, with the same Token.
	client, err := srv.Client(expressconnect.WithMaxAttempts(1))
	if err != nil {
		return err
	}
	wrongKey, err := srv.Client(expressconnect.WithMaxAttempts(1), expressconnect.WithAccessKey("LTAI5tUnknownKey0000000", "secret"))
	if err != nil {
		return err
	}
	wrongSecret, err := srv.Client(expressconnect.WithMaxAttempts(1), expressconnect.WithAccessKey(srv.Account().AccessKeyID, "not-the-secret"))
	if err != nil {
		return err
	}
	create := func(c *expressconnect.Client, edit func(*expressconnect.CreateVirtualPhysicalConnectionRequest), opts ...expressconnect.CallOption) func(context.Context) error {
		return func(ctx context.Context) error {
			req := &expressconnect.CreateVirtualPhysicalConnectionRequest{
				PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
				VpconnAliUID:         "1210123456789012",
				VLANID:               expressconnect.VLAN(100),
				Spec:                 expressconnect.Spec100M,
				OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
			}
			if edit != nil {
				edit(req)
			}
			_, err := c.CreateVirtualPhysicalConnection(ctx, req, opts...)
			return err
		}
	}
	withFault := func(f expressconnecttest.Fault) func(context.Context) error {
		return func(ctx context.Context) error {
			if err := srv.Admin().InjectFaults(ctx, 1, f); err != nil {
				return err
			}
			return create(client, func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) { r.VLANID = expressconnect.VLAN(300) })(ctx)
		}
	}

	// The first hosted connection, on VLAN 100, with a Token.
	if err := create(client, func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) { r.Token = "order-4711" })(ctx); err != nil {
		return err
	}

	scenarios := []scenario{
		{"VLAN 3000", create(client, func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) { r.VLANID = expressconnect.VLAN(3000) })},
		// The client refuses this resource group itself; with lenient validation the service does.
		{"resource group not rg-...", create(client, func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) {
			r.VLANID, r.ResourceGroupID = expressconnect.VLAN(101), "project-x"
		}, expressconnect.WithLenientValidation())},
		{"unknown circuit", create(client, func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) {
			r.PhysicalConnectionID = "pc-bp1nosuchcircuit00001"
		})},
		{"VLAN 100 again", create(client, nil)},
		{"200M on a 50M circuit", create(client, func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) {
			r.PhysicalConnectionID, r.Spec = smallCircuit, expressconnect.Spec200M
		})},
		{"disabled circuit", create(client, func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) {
			r.PhysicalConnectionID = disabledCircuit
		})},
		{"forbidden tenant", create(client, func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) {
			r.VLANID, r.VpconnAliUID = expressconnect.VLAN(102), forbiddenTenant
		})},
		{"throttled", withFault(expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle})},
		{"unknown AccessKey", create(wrongKey, nil)},
		{"wrong secret", create(wrongSecret, nil)},
		{"Token reused for VLAN 103", create(client, func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) {
			r.VLANID, r.Token = expressconnect.VLAN(103), "order-4711"
		})},
		{"HTTP 503", withFault(expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 503, Code: "ServiceUnavailable", Message: "The request has failed due to a temporary failure of the server."})},
		{"HTML 502 from a proxy", withFault(expressconnecttest.Fault{Kind: expressconnecttest.FaultBadGateway})},
		{"connection reset", withFault(expressconnecttest.Fault{Kind: expressconnecttest.FaultReset})},
		{"canceled by the caller", func(ctx context.Context) error {
			ctx, cancel := context.WithCancel(ctx)
			cancel()
			return create(client, func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) { r.VLANID = expressconnect.VLAN(104) })(ctx)
		}},
	}
	for _, s := range scenarios {
		err := s.call(ctx)
		if err == nil {
			return fmt.Errorf("%s: expected an error", s.name)
		}
		fmt.Fprintf(w, "%-26s -> %s\n", s.name, handle(err))
	}
	return nil
}
