// Package expressconnecttest provides a local Express Connect endpoint for the life of a hosted
// connection (CreateVirtualPhysicalConnection, ListVirtualPhysicalConnections,
// UpdateVirtualPhysicalConnection, and the circuit owner's generic DeletePhysicalConnection,
// TerminatePhysicalConnection, CancelPhysicalConnection and DescribePhysicalConnections), in
// the style of net/http/httptest: a test double for code that uses package expressconnect, and
// a sandbox to try the SDK without a circuit.
//
// A test starts a server with [NewTestServer] and a [Config], whose zero value is the
// defaults, gets a client of it with [Server.Client], and drives what happens outside the
// partner's API (the tenant, billing, the clock, faults) and reads what the server holds and
// received through its [Admin]:
//
//	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
//	client, err := srv.Client()
//	// ... the code under test creates a hosted connection with client ...
//	err = srv.Admin().Act(ctx, id, expressconnecttest.TenantAccepts)
//	conns, err := srv.Admin().Connections(ctx)
//
// The same Admin, from [NewAdmin], drives the expressconnect-local command, the same server
// as a program, from a test in any process.
//
// A Server listens on 127.0.0.1 and answers like the service: JSON bodies with the field names
// of the official SDKs' models, the same error codes (the [expressconnect.Code] values) and
// HTTP statuses, an x-acs-request-id header equal to the RequestId and a Date header from the
// server's clock. The parameter rules are the client's own, in strict mode: a request that
// [expressconnect.Client] accepts without WithLenientValidation is accepted here, and one it
// refuses is refused here with the code the service answers.
//
// # Order of the checks
//
// When a request has several problems, the server answers the code of the first check that
// fails. Every request passes these first:
//
//  1. Authentication, either way the service accepts. A request with a Signature parameter is
//     RPC-signed: common parameters, AccessKey, STS SecurityToken, HMAC-SHA1 signature
//     (verified with the server's own canonicalization, not the client's signer), Timestamp
//     within 15 minutes of the server clock, SignatureNonce unused within 15 minutes. A request
//     with an Authorization header is V3-signed (ACS3-HMAC-SHA256), checked in the same order
//     with headers for parameters: the Authorization header and the common headers
//     (x-acs-action, x-acs-version, x-acs-date, x-acs-signature-nonce, x-acs-content-sha256;
//     MissingParameter names one that is missing); SignedHeaders must cover the Host and every
//     x-acs- header the request has, and name none it lacks; AccessKey (the Credential); STS
//     x-acs-security-token; signature (the server's own canonicalization, over the method,
//     path, query, signed headers and the SHA-256 of the body received, which x-acs-content-sha256 must equal); x-acs-date within 15 minutes;
//     x-acs-signature-nonce unused. A wrong signature either way is SignatureDoesNotMatch, whose
//     message ends with the server's string to sign. A request with neither a Signature
//     parameter nor an Authorization header, and a malformed Authorization header or one of
//     another algorithm, are IncompleteSignature: Alibaba Cloud documents no code for a
//     missing signature, and its common error codes give IncompleteSignature ("The request
//     signature does not conform to Aliyun standards.") for a signature that does not
//     conform. An action other than the seven above is HTTP 404 InvalidAction.NotFound.
//  2. Permission: the AccessKeys of Config.DeniedAccessKeys get HTTP 403 Forbidden.RAM, whose
//     AccessDeniedDetail names the action ("vpc:" and the Action).
//
// CreateVirtualPhysicalConnection then checks:
//
//  3. Parameter rules: MissingParameter for RegionId, PhysicalConnectionId, VpconnAliUid, VlanId
//     and OrderMode, MissingParam.Spec; then VlanId (InvalidVlanId.Malformed,
//     IllegalParam.VlanId), Spec (IllegalParam.Spec), OrderMode (IllegalParam.OrderMode),
//     VpconnAliUid (IllegalParam.VpconnAliUid), Name (InvalidName.Malformed), Description
//     (InvalidDescription.Malformed), Token (IllegalParam.Token), DryRun (IllegalParam.DryRun),
//     ResourceGroupId (IllegalParam.ResourceGroupId), Tag.N (IllegalParam.TagKey,
//     IllegalParam.TagValue, Forbidden.TagKey.Duplicated, SizeLimitExceeded.TagNum).
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
//  7. Success: HTTP 200 with RequestId and VirtualPhysicalConnection, the new ID.
//
// ListVirtualPhysicalConnections checks:
//
//  3. Parameter rules, in the order of the API reference's table: RegionId (MissingParameter);
//     VirtualPhysicalConnectionIds.N (not empty), IsConfirmed (true or false) and
//     VirtualPhysicalConnectionStatuses.N (UnConfirmed, Confirmed or Deleted), each
//     InvalidParameter; VirtualPhysicalConnectionAliUids.N (IllegalParam.VpconnAliUid);
//     VlanIds.N (InvalidVlanId.Malformed, IllegalParam.VlanId);
//     VirtualPhysicalConnectionBusinessStatus (Normal, FinancialLocked or SecurityLocked) and
//     MaxResults (1 to 100, default 20), each InvalidParameter; ResourceGroupId and Tags.N as on
//     Create. The N of a list filter must be 1 to 20, and a filter holds at most 20 values
//     (InvalidParameter).
//  4. Region: one the server does not know is HTTP 404 InvalidRegionId.NotFound.
//  5. NextToken: one the server did not issue, no longer remembers (see [MaxPageTokens]) or
//     issued for other filters is IllegalParam.NextToken.
//  6. Success: HTTP 200 with RequestId, NextToken (empty on the last page), TotalCount, Count
//     and VirtualPhysicalConnections.
//
// UpdateVirtualPhysicalConnection checks:
//
//  3. Parameter rules: MissingParameter for RegionId, InstanceId and VlanId; then VlanId
//     (InvalidVlanId.Malformed, IllegalParam.VlanId), ExpectSpec (IllegalParam.Spec), Token
//     (IllegalParam.Token), DryRun (IllegalParam.DryRun).
//  4. Idempotency, as on Create: a Token seen before with the same parameters answers success
//     and changes nothing again.
//  5. State, in this order: unknown region (HTTP 404 InvalidRegionId.NotFound); hosted
//     connection unknown, deleted, in another region or on another account's circuit
//     (ResourceNotFound.PhysicalConnectionId); Terminating, Terminated, Canceled or Rejected
//     (Forbidden.NotAllowedInState); a new VLAN held by another hosted connection on the
//     circuit (VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION); VLAN 0 asked for on a circuit with
//     other hosted connections (OperationFailed.PconnAllocateVlan0); an ExpectSpec beyond the
//     circuit's free capacity (ResourceNotEnough.Bandwidth).
//  6. DryRun: HTTP 400 DryRunOperation when everything above passed.
//  7. Success: HTTP 200 with RequestId and Success "true".
//
// DeletePhysicalConnection, TerminatePhysicalConnection and CancelPhysicalConnection act on
// whatever their PhysicalConnectionId names, one of the caller's circuits or a hosted
// connection on one of them, as the service's actions do, and check:
//
//  3. Parameter rules: MissingParameter for RegionId and PhysicalConnectionId; ClientToken
//     (IllegalParam.Token).
//  4. Idempotency with the ClientToken: seen before for the same action with the same
//     parameters, it answers success again, even though the state no longer allows the action
//     (the hosted connection is gone, or Terminating, by then); with other parameters,
//     IdempotentParameterMismatch.
//  5. State, in this order: unknown region (HTTP 404 InvalidRegionId.NotFound); the ID names
//     none of the caller's circuits in the region and no hosted connection on them that is not
//     deleted (HTTP 404 InvalidPhysicalConnectionId.NotFound, in the client's ErrNotFound
//     family): an unknown ID, an ID in another region, a circuit of another account or a
//     hosted connection on one; the state of the circuit or hosted connection
//     (Forbidden.NotInAllowDeleteStatus for Delete, Forbidden.NotAllowedInState for Terminate
//     and Cancel); a circuit that still carries hosted connections that are not deleted
//     (OperationFailed.VpconnAttached).
//  6. Success: HTTP 200 with RequestId.
//
// DescribePhysicalConnections checks:
//
//  3. Parameter rules, in the order of the API reference's table: RegionId
//     (MissingParameter); PageNumber (1 to 2147483647, default 1) and PageSize (1 to 50,
//     default 10), each InvalidParameter; Filter.N.Key and Filter.N.Value.M (N from 1 to 5, M
//     from 1 to 20; a key without values or values without a key is MissingParameter; a key
//     other than PhysicalConnectionId, AccessPointId, Type, LineOperator, Spec, Status, Name
//     and ProductType, an empty value, or a value that is none of the documented ones of Type,
//     LineOperator, Spec, Status and ProductType is InvalidParameter); IncludeReservationData
//     (true or false, InvalidParameter); ClientToken (IllegalParam.Token); ResourceGroupId and
//     Tags.N as on Create.
//  4. Region: one the server does not know is HTTP 404 InvalidRegionId.NotFound.
//  5. Success: HTTP 200 with RequestId, PageNumber, PageSize, TotalCount and
//     PhysicalConnectionSet.PhysicalConnectionType, the rows of the page.
//
// Two places in these orders are deliberate. Forbidden.RAM comes right after authentication
// rather than after the state checks, because RAM authorization happens at the gateway before
// the operation's parameters are read. DryRun comes after the state checks rather than before
// them, because the API reference says a dry run checks instance status.
//
// # State model
//
// A circuit ([Circuit]) has one status field, Status, any of the documented states (Enabled
// unless its Circuit says otherwise); Config.Circuits and [Admin.SetCircuit] set it, and the
// API changes it:
//
//   - TerminatePhysicalConnection: from Enabled, when the circuit carries no hosted connection
//     that is not deleted, Status becomes Terminating, then Terminated once the delay of
//     Config.TerminationDelay (default 2 s) has passed on the server's clock.
//   - CancelPhysicalConnection: from Initial, Approved, Allocated or Confirmed, when the
//     circuit carries no hosted connection that is not deleted, Status becomes Canceled.
//   - DeletePhysicalConnection: from Allocated, Confirmed, Rejected, Canceled,
//     AllocationFailed and Terminated, when the circuit carries no hosted connection that is
//     not deleted, the circuit is gone: DescribePhysicalConnections no longer lists it, Create
//     on it answers InvalidPhysicalConnectionId.NotFound, and the actions on it HTTP 404. An
//     Enabled circuit is refused with Forbidden.NotInAllowDeleteStatus.
//   - Create needs an Enabled circuit (InvalidPhysicalConnectionId.NotEnabled otherwise).
//
// A circuit given as Terminating (by Config.Circuits or [Admin.SetCircuit]) begins its
// termination then, and ends it after the same delay.
//
// A hosted connection has three status fields, typed as the client types them:
// VirtualPhysicalConnectionStatus (whether the tenant accepted it), Status (its life cycle) and
// BusinessStatus (billing). The partner changes it with the API; the tenant and billing
// change its state through the [Admin] ([Admin.Act] with an [Action]), or automatically:
//
//   - Create: UnConfirmed, Allocated, Normal; ExpectSpec equals Spec.
//   - [TenantAccepts], or Config.AutoAccept after a delay: from UnConfirmed and Allocated,
//     both VirtualPhysicalConnectionStatus and Status become Confirmed.
//   - [TenantRejects]: from UnConfirmed and Allocated, Status becomes Rejected.
//   - [BillingEnables], or Config.AutoEnable after a delay from the acceptance: from
//     Confirmed, Status becomes Enabled, EnabledTime is set and ExpectSpec becomes Spec. On an
//     Enabled one whose ExpectSpec differs from its Spec, it makes the new ExpectSpec the Spec.
//   - [BillingLocksFinancial] and [BillingLocksSecurity]: FinancialLocked or SecurityLocked
//     from Normal; [BillingUnlocks]: Normal from either.
//   - CancelPhysicalConnection: from Allocated or Confirmed, Status becomes Canceled.
//   - TerminatePhysicalConnection: from Enabled, Status becomes Terminating, then Terminated
//     once Config.TerminationDelay (default 2 s) has passed on the server's clock.
//   - Update: changes VlanId and ExpectSpec in any state but Terminating, Terminated, Canceled
//     and Rejected; the status fields do not change.
//   - DeletePhysicalConnection: from Allocated, Confirmed, Rejected, Canceled,
//     AllocationFailed and Terminated (the 2025 edition of its reference); an Enabled one must
//     be terminated first, and a Terminating one waits until it is Terminated.
//     VirtualPhysicalConnectionStatus becomes Deleted; the other fields keep their last values
//     until the server forgets it, [DefaultRetention] after the deletion (see Config.Retention).
//
// Every other change is refused: by the methods with an error matching
// [ErrTransitionNotAllowed], by the API with the codes above. No change applies to a deleted
// hosted connection. Every hosted connection that is not deleted holds its VLAN, a place in
// its circuit's quota and the larger of its Spec and ExpectSpec in bandwidth, whatever its
// state, Terminating and Terminated included; deletion frees them.
//
// # Modelling choices
//
// Where the service's documentation is silent, or its editions disagree, the endpoint makes
// these choices:
//
//   - Initial state: Allocated and UnConfirmed, for either OrderMode.
//   - Acceptance sets both status fields to Confirmed at once; accepting again is refused. The
//     tenant's own calls (ConfirmPhysicalConnection, OpenPhysicalConnectionService) are not
//     served: the server holds only the partner's account, and the methods stand in for them.
//   - Enabling takes no API call: it is billing's step, for a partner-paid hosted connection
//     too, which acceptance alone does not enable. EnablePhysicalConnection and
//     ModifyPhysicalConnectionAttribute are not served (InvalidAction.NotFound).
//   - RecoverPhysicalConnection is not served (InvalidAction.NotFound): its sources disagree
//     on the state it recovers from (suspended or terminated) and say nothing of the state it
//     leads to or of who calls it.
//   - The actions of the circuit owner (Delete, Terminate, Cancel) act on circuits too, as the
//     service's do: a caller who passes a circuit's ID deletes, terminates or cancels the
//     circuit. A circuit that carries hosted connections that are not deleted is refused with
//     OperationFailed.VpconnAttached, the code the Terminate reference gives, for Delete and
//     Cancel too (with the action's verb in the message), after the state check. Its
//     references say nothing of circuits with hosted connections on Delete and Cancel; since
//     hosted connections can only be created on an Enabled circuit, only a circuit changed
//     with [Admin.SetCircuit] meets that check on them.
//   - A circuit's VBRs, MACsec keys and system locks are not modelled: Forbidden.VbrAttached,
//     OperationDenied.MacsecAttached and OperationFailed.ResourceLockedBySystem are never
//     answered.
//   - A termination takes Config.TerminationDelay, 2 s by default, on the server's clock, and
//     ends by itself: no call is needed to go from Terminating to Terminated. A Terminating or
//     Terminated hosted connection keeps its VLAN, its place in the quota and its bandwidth
//     until it is deleted; it cannot be updated, canceled or deleted while Terminating. List
//     shows Terminating too, though its reference lists the state for Describe only. Initial,
//     Approved, Allocating and Allocation Failed never occur for a hosted connection:
//     allocation is immediate, and its failures are Create's errors.
//   - A lock (BusinessStatus) does not block Update, Delete, acceptance or enabling.
//   - Update is allowed in every state but Terminating, Terminated, Canceled and Rejected (and
//     deleted); it does not check the circuit's state, and answers Success "true" whenever it
//     applies the change. A new VLAN follows Create's VLAN rules; keeping the same VLAN is
//     always allowed.
//   - Only the circuit's owner, the partner (the server's account and its STS role), calls the
//     API; hosted connections on other accounts' circuits are answered as unknown.
//     OperationDenied.NeedVpconnOwner and OperationDenied.NeedPconnOwner are never answered,
//     nor are Forbidden.VBRExists and Forbidden.AssociateToVBR: no VBR is ever attached.
//   - List omits deleted hosted connections unless VirtualPhysicalConnectionStatuses includes
//     Deleted, and shows them with VirtualPhysicalConnectionStatus Deleted. IsConfirmed
//     selects by whether the tenant accepted, deleted ones included. A tag filter with an empty
//     value matches any value of its key. A list filter sent without an index (such as
//     VirtualPhysicalConnectionStatuses=Confirmed, as Terraform's data source sends it) counts
//     as one value. A PhysicalConnectionId filter naming no circuit selects nothing.
//   - List's page order is the order of creation. A NextToken is random, stands for the
//     request's filters (MaxResults aside, which may change from page to page) and the position
//     of the next page, can be used any number of times, and is remembered among the last
//     [MaxPageTokens] issued.
//   - The service documents no codes for List's own rules: the endpoint answers
//     InvalidParameter with a message naming the parameter, except where Create's rule applies
//     (VlanIds.N as VlanId, VirtualPhysicalConnectionAliUids.N as VpconnAliUid, ResourceGroupId
//     and Tags.N as on Create). Update's ExpectSpec is answered as Spec (IllegalParam.Spec),
//     the ClientToken of Delete, Terminate, Cancel and Describe as Token (IllegalParam.Token).
//     Describe's own rules are answered InvalidParameter, or MissingParameter for a filter's
//     missing half, with a message naming the parameter.
//   - The regions the server knows are its own and those of every circuit it was given, deleted
//     since or not. On List, Update, Delete, Terminate, Cancel and Describe another region is
//     HTTP 404 InvalidRegionId.NotFound; Create keeps answering
//     InvalidPhysicalConnectionId.NotFound, as its reference lists no region code.
//   - Delete, Terminate and Cancel answer an unknown ID with HTTP 404
//     InvalidPhysicalConnectionId.NotFound, as the Delete and Cancel references give it
//     (Create's gives HTTP 400 for the same code). Update answers
//     ResourceNotFound.PhysicalConnectionId, whose message names the ID.
//   - A dry run that passes is HTTP 400 DryRunOperation on Create and on Update (the form
//     other VPC operations document); Delete, Terminate and Cancel have no DryRun.
//   - The deleted hosted connections of a deleted circuit are no longer listed by List, whose
//     rows need their circuit; [Admin.Connections] still lists them.
//   - Describe lists the caller's circuits in the region in order of their IDs, each followed
//     by the hosted connections on it that are not deleted, in order of creation; deleted
//     circuits and deleted hosted connections are not listed. Its filters are ANDed, the values
//     of one filter ORed, and the same key may be given in two filters. A PhysicalConnectionId
//     filter compares each row's own ID, so a circuit's ID selects the circuit's row, not the
//     rows on it. The Spec filter puts a row's bandwidth (a circuit's capacity, a hosted
//     connection's Spec) in its class: "1G and below", "10G" (up to 10 Gbit/s), "40G" (up to
//     40 Gbit/s), "100G". Tags.N and ResourceGroupId select hosted connections only, as
//     circuits have neither. A filter holds at most 20 values (the reference states no limit;
//     List's is 20), and PageNumber is at most 2147483647, the largest the official SDKs' int32
//     can send. IncludeReservationData is read and checked, but there is no reservation
//     data: HasReservationData is "false" and the Reservation fields are empty. ClientToken is
//     checked but, as Describe changes nothing, not remembered.
//   - A Describe row has the field names and types of the official SDKs' model: Bandwidth and
//     VirtualPhysicalConnectionCount are numbers, ParentPhysicalConnectionAliUid a number (a
//     string on List), VlanId a string, Tags an object {"tags": [...]}. Times are RFC 3339 in
//     UTC, as the Describe reference's examples show them. A circuit's row has its capacity as
//     Spec ("10G", or "500M" when not a whole number of Gbit/s) and Bandwidth, the number of
//     its hosted connections that are not deleted as VirtualPhysicalConnectionCount, the time
//     the server was given it as CreationTime, the time it was given or became Enabled as
//     EnabledTime (empty unless it is Enabled, Terminating or Terminated; EndTime one year
//     later), BusinessStatus Normal, a made-up QosId when it is QoS-bound, and empty Name,
//     Description, ResourceGroupId, tags and hosted-connection fields
//     (ParentPhysicalConnectionId, VlanId, VpconnStatus, OrderMode, ExpectSpec); it has no
//     ParentPhysicalConnectionAliUid.
//     A hosted connection's row has the circuit's Bandwidth, as List's element does, and
//     VirtualPhysicalConnectionCount 0.
//   - Times follow the layouts of the List reference's examples, CreationTime
//     "2021-06-08T12:20:55" (UTC, no zone) and EndTime "2021-11-08T16:00:00Z", except
//     EnabledTime, which keeps its seconds ("2021-10-08T10:44:09Z") where the example has none
//     ("2021-10-08T10:44Z"): cut to the minute, the EnabledTime of a hosted connection enabled
//     in the minute of its creation would come before its CreationTime. EnabledTime and
//     EndTime are empty until the hosted connection is enabled; EndTime is one year after
//     EnabledTime.
//   - The circuit's fields of a List element are made up from the [Circuit]: Bandwidth is its
//     capacity, PortType the smallest documented port that carries it, AccessPointId,
//     AdLocation, PeerLocation, CircuitCode and PortNumber are fixed shapes, LineOperator is
//     "Other", LoaStatus "Available", ChargeType "Prepaid", Type "VPC" and
//     RedundantPhysicalConnectionId empty.
//   - Client tokens (Create's and Update's Token, the ClientToken of Delete, Terminate and
//     Cancel) are scoped to the account and the action. Only successful requests are
//     remembered, so a token whose request failed can be used again; a dry run does not use up
//     its token. A token seen before answers as the first time did even if the state has
//     changed since, for [DefaultRetention] after its first successful use (see
//     Config.Retention): Alibaba Cloud documents no window of idempotency for these actions,
//     and a day is the common practice.
//
// # Parameters and answers
//
// Parameters are read from the URL query and from an application/x-www-form-urlencoded body
// of at most [MaxBodyBytes]; a parameter given more than once (in either or across both) is
// answered InvalidParameter before authentication, like parameters that cannot be parsed and
// a larger body (whose message names the limit). The body of a V3-signed request is read,
// within the same limit, whatever its type, since its signature covers it.
// Answers are always JSON, whatever the Format parameter says. Only what is not an HTTP
// request at all (malformed, or with more than 64 KiB in its request line and headers, HTTP
// 431) gets the plain-text answer of Go's HTTP server instead.
//
// # The admin API and Admin
//
// Besides the service's API at "/", a server serves an admin API under /_sandbox/: plain JSON
// over HTTP, with no Alibaba Cloud signature, to act as the tenant, billing and the clock,
// change circuits, inject faults, and read what the server holds and received. [Admin] is its
// Go client: [Server.Admin] for a server in the test's process, whose requests go to the
// admin API's handler in the process (so that they work with Config.NoAdmin too and are not
// logged), and [NewAdmin] for the expressconnect-local command. Each Admin method is one or
// more of its requests, so it behaves the same both ways; each takes a context, as each can
// wait on the network. Its routes:
//
//	GET    /_sandbox/                         the routes, and the actions the server serves (Admin.Actions)
//	GET    /_sandbox/connections              the hosted connections, deleted ones included (Admin.Connections)
//	GET    /_sandbox/connections/{id}         one hosted connection (Admin.Connection)
//	POST   /_sandbox/connections/{id}/accept  TenantAccepts; reject: TenantRejects; enable: BillingEnables;
//	                                          lock {"BusinessStatus":"FinancialLocked"|"SecurityLocked"}; unlock
//	GET    /_sandbox/circuits                 the circuits, with their defaults (Admin.Circuits)
//	PUT    /_sandbox/circuits/{id}            add or change a circuit (Admin.SetCircuit)
//	GET    /_sandbox/requests                 a page of requests: ?after=Next&limit=1..100 (Admin.Requests)
//	POST   /_sandbox/faults                   inject a fault for the next Count requests (Admin.InjectFaults)
//	DELETE /_sandbox/faults                   remove them (Admin.ClearFaults)
//	GET    /_sandbox/clock                    the server's time and offset (Admin.Now)
//	PUT    /_sandbox/clock                    set the offset: {"Offset":"-20m"} (Admin.SetClockOffset)
//	POST   /_sandbox/sts/expire               expire the STS credentials (Admin.ExpireSTSCredentials)
//	POST   /_sandbox/reset                    the configured state again (Admin.Reset)
//
// Its JSON field names are the service's where the service has the field
// (PhysicalConnectionId, RegionId, VlanId, VpconnAliUid, VirtualPhysicalConnectionStatus,
// RequestId, ...), and the Go names otherwise (CapacityMbps, Quota, CreatedAt, ...). Its errors
// are {"Code": "...", "Message": "..."}, as the service's are, with HTTP 400 InvalidParameter,
// 401 Unauthorized, 403 Forbidden, 404 NotFound (no such route), UnknownConnection or AdminOff,
// 405 MethodNotAllowed (the Allow header lists the methods), 409 TransitionNotAllowed or 415
// UnsupportedMediaType; Admin returns them as errors, those of UnknownConnection and
// TransitionNotAllowed matching [ErrUnknownConnection] and [ErrTransitionNotAllowed].
// Terminating and canceling are the partner's calls, which the service's API serves: the admin
// API has no route for them.
//
// So that only the server's user drives it, the admin API refuses, before any route runs, a
// Host header that is neither localhost, a loopback address nor one of
// Config.AdminAllowedHosts (HTTP 403: a web page cannot reach it through a DNS name rebound to
// loopback), an Origin whose host is not allowed by the same rule (403), a request without
// "Authorization: Bearer" and the admin token when the server listens beyond loopback, and a
// wrong token wherever it listens (401; the token is compared in constant time, and is
// Config.AdminToken or random), and a body whose Content-Type is not application/json (415:
// the form and text posts a page of another site can send without asking). Requests under
// /_sandbox/ are not the service's: they are not recorded and get no fault.
//
// # Faults
//
// [Admin.InjectFaults] makes the next n requests of the service's API fail with a [Fault]
// literal: error answers (FaultError, with StatusCode, Code and Message), throttling, an HTML
// 502, truncated and dripping bodies (Interval), delays (Delay), connection resets and closes
// (AfterHandling, to handle the request first, as when an answer is lost on the way back).
// Fault.Action limits a fault to the requests of one action, which is how a test fails the
// DeletePhysicalConnection that follows the client's guard List: requests of other actions
// pass it by without using it up. Faults apply in the order they were injected, each to the
// first request it applies to; FaultNone lets requests through before the faults after it.
//
// # Inspection and longevity
//
// [Admin.Connections] and [Admin.Connection] show what the server holds, [Admin.Circuits] what
// it checks requests against, and [Admin.Requests] what it received, with the answer of each
// request. A page's Next is a cursor: kept before a step of a test, it reads the requests of
// that step. Config.Logger receives a record for every request as it is answered, for a test
// that wants to see the traffic as it happens. [Admin.Reset] gives a server a fresh state
// with its configuration. A Server is safe for concurrent use, and so is an Admin.
//
// A Server can run for months: what it keeps of the requests it receives is bounded. Its log
// holds only the last [DefaultRequestLogSize] requests (see Config.RequestLogSize; a page of
// [Admin.Requests] counts those dropped), and each record keeps a bounded part of its request
// (see [MaxRecordedBytes] and [MaxRecordedFieldBytes]), never a credential: only the values of
// an allow-list of headers are kept (every other header keeps its name only, an Authorization
// header its scheme, masked AccessKeyId and signed header names), and the values of
// Signature, SecurityToken, BearerToken, AccessKeySecret and every parameter named after a
// token, secret, password, signature, cookie or authorization are recorded as "<redacted>" (see
// [Request]). Connections that clients leave idle or half sent are closed (see
// [ReadHeaderTimeout], [ReadTimeout], [WriteTimeout] and [DefaultIdleTimeout]), except while a
// fault holds an answer on purpose. Deleted hosted connections and the tokens of successful
// requests are forgotten after [DefaultRetention] (see Config.Retention), so that what it keeps
// of them is bounded by what its clients do in that time; the hosted connections that are not
// deleted are kept.
package expressconnecttest
