// Package expressconnecttest provides a local Express Connect endpoint for
// CreateVirtualPhysicalConnection, in the style of net/http/httptest: a test double for code
// that uses package expressconnect, and a sandbox to try the SDK without a circuit.
//
// A Server listens on 127.0.0.1 and answers like the service: JSON bodies of the same shape,
// the same error codes and HTTP statuses, an x-acs-request-id header equal to the RequestId
// and a Date header from the server's clock. It checks each request in this order, and when a
// request has several problems it answers the code of the first check that fails:
//
//  1. Common parameters, AccessKey, STS SecurityToken, HMAC-SHA1 signature (verified with this
//     package's own canonicalization, see VerifySignature), Timestamp within 15 minutes of the
//     server clock, SignatureNonce unused within 15 minutes.
//  2. Permission: AccessKeys added with WithDeniedAccessKey get HTTP 403 Forbidden.RAM.
//  3. The operation's documented parameter rules (MissingParameter, IllegalParam.*, ...).
//  4. Idempotency: a Token seen before with the same parameters answers the same hosted
//     connection ID and creates nothing (the state checks are not run again); with other
//     parameters, IdempotentParameterMismatch.
//  5. State, in this order: unknown circuit, or one of another account or region
//     (InvalidPhysicalConnectionId.NotFound); circuit not enabled
//     (InvalidPhysicalConnectionId.NotEnabled); VLAN already used on the circuit
//     (VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION); VLAN 0 on a circuit that has hosted
//     connections, or any VLAN on a circuit whose VLAN 0 is taken
//     (OperationFailed.PconnAllocateVlan0); hosted-connection quota of the circuit
//     (QuotaExceeded.VPCONN); bandwidth capacity (ResourceNotEnough.Bandwidth); forbidden
//     tenant (Forbidden.VpconnAliUid); QoS-bound circuit
//     (EcAssociatedQoSPconnNotAllowCreateVpconn).
//  6. DryRun: HTTP 400 DryRunOperation when everything above passed.
//  7. Success: HTTP 200 with a new hosted connection ID, recorded with status UnConfirmed.
//
// Two places in this order are deliberate. Forbidden.RAM comes right after authentication
// rather than after the state checks, because RAM authorization happens at the gateway before
// the operation's parameters are read. DryRun comes after the state checks rather than before
// them, because the API reference says a dry run checks instance status.
//
// Parameters are read from the URL query and from an application/x-www-form-urlencoded body
// of at most [MaxBodyBytes]; a parameter given more than once (in either or across both) is
// answered InvalidParameter before authentication, like parameters that cannot be parsed and
// a larger body (whose message names the limit).
// Answers are always JSON, whatever the Format parameter says. Only what is not an HTTP
// request at all (malformed, or with more than 1 MiB of headers) gets the plain-text answer of
// Go's HTTP server instead.
//
// Tests can inspect what the server saw (Requests) and created (Connections), and inject
// faults (InjectFaults, SetFaultFunc): error answers, throttling, an HTML 502, truncated and
// dripping bodies, delays, connection resets and closes. A Server is safe for concurrent use.
//
// A Server can run for months: what it keeps of the requests it receives is bounded.
// [Server.Requests] lists only the last [DefaultRequestLogSize] requests (see
// [WithRequestLogSize], and [Server.DroppedRequests] for how many were dropped), and each
// record keeps a bounded part of its request (see [MaxRecordedBytes] and
// [MaxRecordedFieldBytes]), never a secret. Connections that clients leave idle or half sent
// are closed (see [ReadHeaderTimeout], [ReadTimeout], [WriteTimeout] and
// [DefaultIdleTimeout]), except while a fault holds an answer on purpose.
package expressconnecttest
