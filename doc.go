// Package expressconnect is a Go client for the Alibaba Cloud VPC API operation
// CreateVirtualPhysicalConnection (API version 2016-04-28), with which an Express Connect
// partner creates a hosted connection on its circuit for a tenant's account.
//
// The operation's reference:
// https://www.alibabacloud.com/help/en/express-connect/developer-reference/api-vpc-2016-04-28-createvirtualphysicalconnection-efficiency-channels
//
// # Usage
//
//	client, err := expressconnect.NewClient(expressconnect.WithRegion("cn-hangzhou"))
//	if err != nil {
//		return err
//	}
//	resp, err := client.CreateVirtualPhysicalConnection(ctx, &expressconnect.CreateVirtualPhysicalConnectionRequest{
//		PhysicalConnectionID: "pc-bp1ciz7ekd2grn1as****", // the partner's circuit
//		VpconnAliUID:         "1210123456789012",         // the tenant's account ID
//		VLANID:               expressconnect.VLAN(100),   // VLAN(0) is valid too
//		Spec:                 expressconnect.Spec100M,
//		OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
//	})
//	fmt.Println(resp.VirtualPhysicalConnectionID, resp.Token)
//
// The request is validated before anything is sent; a request that breaks a rule returns a
// *ValidationError listing every violation.
//
// # Credentials
//
// Without WithCredential, WithAccessKey or WithSTSCredentials, NewClient uses credentials-go's
// default chain (github.com/aliyun/credentials-go v1.4.14). On first use it tries these in
// order and then keeps to the first that yields credentials:
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
// picked up. The region comes from WithRegion, else ALIBABA_CLOUD_REGION_ID.
//
// # Defaults
//
//   - Attempts: DefaultMaxAttempts (3) per call, the first included; WithMaxAttempts(1) turns
//     retries off. Retried: no answer, HTTP 500/502/503/504, InternalError,
//     ServiceUnavailable, a truncated answer, SignatureNonceUsed, the throttling codes, and
//     InvalidTimeStamp.Expired once after the clock-skew correction.
//   - Backoff before retry k: full jitter, a random wait in [0, min(base * 2^(k-1), 20 s)),
//     base 50 ms, or 1 s when throttled; a throttle hint from the service (x-ratelimit-user-api,
//     x-ratelimit-user, Retry-After) is honoured within [wait, wait + 5 s].
//   - Retry budget: 500 tokens per Client; a retry costs 14 (5 when throttled), a success gives
//     1 back. An empty budget fails the call with ErrRetryBudgetExhausted.
//   - Attempt timeout: DefaultAttemptTimeout (30 s), covering the whole body; the context's
//     deadline wins when earlier.
//   - Transport (when no WithHTTPClient): dial 5 s, TLS handshake 5 s, response headers 10 s,
//     10 idle connections per host, TLS 1.2 minimum, proxy from HTTPS_PROXY and NO_PROXY.
//     Redirects are never followed.
//   - Idempotency: every attempt of a call sends the same Token, the request's or a UUID the
//     client generates, so a retry never creates a second hosted connection. The Token is in
//     the response and in the *OperationError of a failed call.
//   - Logging: none; WithLogger writes one debug record per attempt, never a secret.
//
// # Errors
//
// Every failure after validation is an *OperationError, which carries the Token and wraps the
// last attempt's *APIError (the service answered with a code), *ResponseError (an answer that
// could not be read) or *TransportError (no answer). Match a code with errors.Is(err,
// CodeVLANIDHasBeenUsedInPhysicalConnection), a family of codes with errors.Is(err,
// ErrVLANConflict), and read the details with errors.As into *APIError.
//
// # Testing
//
// Package expressconnecttest provides a local endpoint of this operation, for tests and to try
// the SDK without an account; command expressconnect-local serves it on a port.
package expressconnect
