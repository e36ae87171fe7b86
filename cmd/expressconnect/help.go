package main

// rootHelp is the long help of the root command: what the commands share, the output, the
// credentials and the exit statuses.
var rootHelp = `expressconnect runs the hosted connections an Express Connect partner sells to tenants on
its circuits: create, read, wait for, update, terminate, cancel and delete them.

Credentials and region, as the aliyun CLI finds them:
  --profile NAME   the profile NAME of the aliyun CLI's configuration, ~/.aliyun/config.json
                   (or $ALIBABA_CLOUD_CONFIG_FILE), read by credentials-go: every mode the aliyun
                   CLI writes (AK, StsToken, RamRoleArn, EcsRamRole, OIDC, ...)
  (no --profile)   credentials-go's default chain, as the Go SDK uses it: the environment
                   (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and
                   ALIBABA_CLOUD_SECURITY_TOKEN), OIDC, the aliyun CLI's current profile (or
                   $ALIBABA_CLOUD_PROFILE), ~/.alibabacloud/credentials, the ECS instance's RAM role
  --region ID      else $ALIBABA_CLOUD_REGION_ID, else region_id of the profile (--profile, else
                   $ALIBABA_CLOUD_PROFILE, else the configuration's current profile)
  --endpoint URL   another endpoint, such as the local endpoint: http://127.0.0.1:8080
No secret is ever printed: an error about credentials names their source and the AccessKeyId
masked to its first and last 4 characters.

Output: JSON on standard output (--output table for people), with the API's names:
  VirtualPhysicalConnectionId  the hosted connection (List's PhysicalConnectionId)
  PhysicalConnectionId         the circuit it is on (List's ParentPhysicalConnectionId)
  VpconnAliUid                 the tenant's account ID (List's AliUid)
  VlanId (a number, or null when none), Spec, ExpectSpec, OrderMode,
  VirtualPhysicalConnectionStatus (the tenant's acceptance), Status (its life),
  BusinessStatus (billing), Name, Description, ResourceGroupId, Tags [{Key, Value}],
  CreationTime, EnabledTime, EndTime (RFC 3339, UTC), and the rest as List names them;
  RequestId and Token of the action; Wait {Until, Polls, VirtualPhysicalConnection} with --wait.
Errors: {"Error": {"Message", "Code", "Family", "RequestIds", "Token", "Retryable", "Remedy",
"ExitCode", "Resume", "CredentialSource", "AccessKeyId"}} on standard error, the empty ones left
out. Before a create, update, terminate, cancel or delete sends anything, a line
{"Notice", "Token", "Resume"} on standard error gives the idempotency token it chose: after any
failure or interruption (Ctrl-C), run "Resume" to finish without doing anything twice.
--dry-run asks the service to check a create or update; --print-request prints the signed
request, secrets masked, and sends nothing.

` + exitHelp + `
Shell completion: expressconnect completion bash|zsh|fish|powershell -h tells how to load it.`
