// Package expressconnect is a Go client for the Alibaba Cloud VPC API (version 2016-04-28)
// operations with which an Express Connect partner runs the hosted connections it provides to
// its tenants on its circuits, through their whole life:
//
//   - [Client.CreateVirtualPhysicalConnection] creates a hosted connection for a tenant, and
//     [Client.CreateVirtualPhysicalConnectionOnFreeVLAN] creates one on the first free VLAN of
//     the circuit ([Client.FreeVLAN] reads them), in a way a crash cannot double;
//   - [Client.ListVirtualPhysicalConnections], [Client.ListAllVirtualPhysicalConnections] and
//     [Client.GetVirtualPhysicalConnection] read them back, and
//     [Client.DescribePhysicalConnection] reads a circuit;
//   - [Client.WaitVirtualPhysicalConnections] waits until one or many are accepted by the
//     tenant ([IsAccepted]), enabled ([IsEnabled]), upgraded ([HasSpec]), terminated
//     ([IsTerminated]) or gone ([IsGone]);
//   - [Client.UpdateVirtualPhysicalConnection] changes its VLAN or asks for more bandwidth;
//   - [Client.TerminateVirtualPhysicalConnection] ends the service of an Enabled one,
//     [Client.CancelVirtualPhysicalConnection] cancels one not yet enabled, and
//     [Client.DeleteVirtualPhysicalConnection] deletes it. These send the circuit owner's
//     generic PhysicalConnection actions, which would act on a circuit as well: the client
//     sends them only once it has confirmed that the ID is a hosted connection on the circuit
//     the request names ([ErrNotHostedConnection] otherwise).
//
// # Usage
//
//	client, err := expressconnect.NewClient(expressconnect.WithRegion("cn-hangzhou"))
//	if err != nil {
//		return err
//	}
//	token := expressconnect.NewToken() // store it with the order first
//	resp, err := client.CreateVirtualPhysicalConnection(ctx, &expressconnect.CreateVirtualPhysicalConnectionRequest{
//		PhysicalConnectionID: "pc-bp1ciz7ekd2grn1as****", // the partner's circuit
//		VpconnAliUID:         "1210123456789012",         // the tenant's account ID
//		VLANID:               expressconnect.VLAN(100),   // VLAN(0) is valid too
//		Spec:                 expressconnect.Spec100M,
//		OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
//		Token:                token,
//	})
//
// Every request is validated before anything is sent; a request that breaks a rule returns a
// *ValidationError listing every violation. [Validate] checks a request without sending it.
//
// # Credentials
//
// Without [WithCredential], [WithAccessKey] or [WithSTSCredentials], NewClient uses
// credentials-go's default chain (github.com/aliyun/credentials-go v1.4.14). On first use it
// tries these in order and then keeps to the first that yields credentials:
//
//  1. The environment variables ALIBABA_CLOUD_ACCESS_KEY_ID and
//     ALIBABA_CLOUD_ACCESS_KEY_SECRET, with ALIBABA_CLOUD_SECURITY_TOKEN for STS.
//  2. OIDC role assumption, when ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and
//     ALIBABA_CLOUD_OIDC_TOKEN_FILE (or ALIBABA_CLOUD_OIDC_TOKEN) are set.
//  3. The aliyun CLI's configuration, ~/.aliyun/config.json (or ALIBABA_CLOUD_CONFIG_FILE),
//     unless ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true.
//  4. The credentials file, ~/.alibabacloud/credentials (or ALIBABA_CLOUD_CREDENTIALS_FILE),
//     profile ALIBABA_CLOUD_PROFILE or "default".
//  5. The ECS instance's RAM role from the metadata service, unless
//     ALIBABA_CLOUD_ECS_METADATA_DISABLED=true.
//  6. A credentials URI, when ALIBABA_CLOUD_CREDENTIALS_URI is set.
//
// Credentials are read for every attempt, so STS credentials that a provider refreshes are
// picked up; a provider that does not answer in time fails the attempt when its context ends.
// The region comes from [WithRegion], else ALIBABA_CLOUD_REGION_ID; a region that [Regions]
// does not list is refused unless [WithUnlistedRegions] or [WithEndpoint] is given.
//
// # Defaults
//
//   - Attempts: [DefaultMaxAttempts] (3) per call, the first included; [WithMaxAttempts](1)
//     turns retries off. Retried: no answer, HTTP 500/502/503/504, a truncated answer, and the
//     codes the code table marks retryable (InternalError, ServiceUnavailable,
//     SignatureNonceUsed, the throttling codes, and InvalidTimeStamp.Expired once after the
//     clock-skew correction).
//   - Backoff before retry k: a random wait between half and all of min(base * 2^(k-1), 20 s),
//     base 50 ms, or 1 s when throttled; a throttle hint from the service (x-ratelimit-user-api,
//     x-ratelimit-user, Retry-After) is honoured within [wait, wait + 5 s]. The polls of a wait
//     are spaced by the same engine, from 2 s to 30 s.
//   - Retry budget: 500 tokens per Client; a retry costs 14 (5 when throttled), a success gives
//     1 back. An empty budget fails the call with [ErrRetryBudgetExhausted].
//   - Attempt timeout: [DefaultAttemptTimeout] (30 s), from reading the credentials to reading
//     the whole body; the context's deadline wins when earlier. An attempt that runs out of it
//     matches [ErrAttemptTimeout], and context.DeadlineExceeded only when the caller's own
//     deadline passed.
//   - Answers: at most 1 MiB for a success body and 64 KiB for any other; a larger body is
//     refused without reading the rest ([ErrResponseTooLarge]). Redirects and informational (1xx) answers are
//     never followed.
//   - Transport (when no [WithHTTPClient]): dial 5 s, TLS handshake 5 s, response headers 10 s,
//     10 idle connections per host, TLS 1.2 minimum, proxy from HTTPS_PROXY and NO_PROXY.
//   - Endpoint: the region's, over HTTPS. [WithEndpoint] may name a plain http:// URL only when
//     its host is loopback (localhost, 127.0.0.0/8, ::1), as the local endpoint's is; NewClient
//     refuses any other http:// host unless [WithInsecureHTTP] is given, since over http:// the
//     signature and any SecurityToken cross the network in clear.
//   - Signature: the RPC signature 1.0 (HMAC-SHA1), anew for every attempt;
//     [WithSignatureAlgorithm] chooses ACS3-HMAC-SHA256 (V3) instead.
//   - Idempotency: every attempt of a call sends the same token (the request's Token, sent as
//     Token or ClientToken as the action names it, else one from [WithTokenProvider], else
//     [NewToken]'s), so a retry never does the work twice. The token
//     is in the response and in the *OperationError.
//   - Options: [Option] configures the client; [WithMaxAttempts], [WithAttemptTimeout],
//     [WithCheckRetry], [WithBackoff] and [WithLenientValidation] are CallOptions as well:
//     given to a call, they override the client's setting for that call only.
//   - Observation: none; [WithObserver] reports every attempt and every call, with redacted
//     facts only, and [LogObserver] is an Observer that writes one slog debug record per
//     attempt.
//
// # Errors
//
// Every failure once a request is valid and has its token is an *OperationError, which carries the token, the record
// of every attempt (their RequestIds are what Alibaba Cloud support asks for), and wraps the
// last attempt's *APIError (the service answered with a code), *ResponseError (an answer that
// could not be read) or *TransportError (no answer). Match a code with errors.Is(err,
// [CodeVLANIDHasBeenUsedInPhysicalConnection]), a family of codes with errors.Is(err,
// [ErrVLANConflict]), read the details with errors.As into *APIError, and ask [Remedy] what to
// do. No error, log record or observed fact carries the AccessKeySecret, the SecurityToken or
// the signature, and the AccessKeyId is masked.
//
// What an error keeps of an answer passes one redaction boundary. A field whose shape is known
// is kept only when it has that shape and holds no secret: the Code when it is 1 to 64 ASCII
// letters, digits, '.', '_' and '-' (else "InvalidCode", which errors.Is matches like any
// code), the RequestId when it is 1 to 64 ASCII letters, digits and '-' and the HostId when it
// is a host name (each else "****"), and of a redirect's Location the scheme and host alone.
// Free text (a message, a body, AccessDeniedDetail, a transport error) is searched by content:
// a secret is found wherever each of its characters is raw, in any letter case, or behind up
// to three layers of percent-encoding and JSON escapes in any mix, and so are its base64
// encodings, alone or inside a larger encoded text; each secret becomes "****" and the
// AccessKeyId its masked form. Not found: a secret that the answer splits across two fields or
// that the body size limit cuts, one written in another encoding (hex, HTML entities, deeper
// escapes), and a credential shorter than 6 characters.
//
// # Testing
//
// Package expressconnecttest provides a local endpoint of these operations with the tenant's
// and billing's side of the state model, for tests and to try the SDK without an account;
// command expressconnect-local serves it on a port.
package expressconnect
