package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/aliyun/credentials-go/credentials/providers"
	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/internal/keyid"
)

// This file finds the credentials and the default region: a profile of the aliyun CLI's
// configuration (--profile), or credentials-go's default chain, the one
// expressconnect.NewClient uses without options. It remembers which source gave the
// credentials and their AccessKeyId, so that an error can name them (masked), and keeps the
// content of the configuration file out of every error.

// cliConfig is what the command reads of the aliyun CLI's configuration file: the profile
// names, their mode and region. Secrets are left to credentials-go.
type cliConfig struct {
	Current  string       `json:"current"`
	Profiles []cliProfile `json:"profiles"`
}

// cliProfile is one profile of the aliyun CLI's configuration file.
type cliProfile struct {
	Name     string `json:"name"`
	Mode     string `json:"mode"`
	RegionID string `json:"region_id"`
}

// cliConfigPath returns the aliyun CLI's configuration file as credentials-go finds it:
// ALIBABA_CLOUD_CONFIG_FILE, else .aliyun/config.json in the home directory ($HOME).
func cliConfigPath() string {
	if p := os.Getenv("ALIBABA_CLOUD_CONFIG_FILE"); p != "" {
		return p
	}
	home := os.Getenv("HOME")
	if home == "" {
		return ""
	}
	return filepath.Join(home, ".aliyun", "config.json")
}

// cliProfilesDisabled reports whether credentials-go is told to ignore the aliyun CLI's
// configuration.
func cliProfilesDisabled() bool {
	return strings.EqualFold(os.Getenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED"), "true")
}

// readCLIConfig reads the configuration file at path. Its errors never quote the file, which
// holds secrets.
func readCLIConfig(path string) (*cliConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var conf cliConfig
	if err := json.Unmarshal(data, &conf); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return nil, fmt.Errorf("%s is not valid JSON (at byte %d; its content is not shown)", path, syntax.Offset)
		}
		return nil, fmt.Errorf("%s is not an aliyun CLI configuration: a field has the wrong type (its content is not shown)", path)
	}
	return &conf, nil
}

// profileName returns the profile the command uses: --profile, else ALIBABA_CLOUD_PROFILE,
// else the file's current profile, as credentials-go chooses it.
func (c *cliConfig) profileName(flag string) string {
	switch {
	case flag != "":
		return flag
	case os.Getenv("ALIBABA_CLOUD_PROFILE") != "":
		return os.Getenv("ALIBABA_CLOUD_PROFILE")
	}
	return c.Current
}

// profile returns the profile name, or nil.
func (c *cliConfig) profile(name string) *cliProfile {
	for i := range c.Profiles {
		if c.Profiles[i].Name == name {
			return &c.Profiles[i]
		}
	}
	return nil
}

// names returns the profiles' names, sorted.
func (c *cliConfig) names() []string {
	var out []string
	for _, p := range c.Profiles {
		out = append(out, p.Name)
	}
	slices.Sort(out)
	return out
}

// credentialSetup is where the command's credentials and default region come from.
type credentialSetup struct {
	cred *sourcedCredential
	// region is the profile's region_id, "" when there is none.
	region string
	// regionSource names where region came from, for errors.
	regionSource string
	// regionProblem says why no region could be read from the configuration file, if the
	// file could not be read.
	regionProblem string
}

// setupCredentials returns the credentials of profile (from --profile; "" for the default
// chain) and the region its profile gives. A profile that cannot be used is an error matching
// expressconnect.ErrCredentials.
func setupCredentials(profile string) (*credentialSetup, error) {
	path := cliConfigPath()
	if profile != "" {
		return setupProfile(path, profile)
	}
	setup := &credentialSetup{}
	chain, err := credentials.NewCredential(nil)
	if err != nil {
		return nil, fmt.Errorf("%w: credentials-go's default chain: %w", expressconnect.ErrCredentials, err)
	}
	setup.cred = &sourcedCredential{inner: chain, source: "credentials-go's default chain", configPath: path}
	// The chain's aliyun CLI profile, if any, also gives the default region, as it does for
	// the aliyun CLI.
	if path == "" || cliProfilesDisabled() {
		return setup, nil
	}
	conf, err := readCLIConfig(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return setup, nil
	case err != nil:
		setup.regionProblem = err.Error()
		return setup, nil
	}
	name := conf.profileName("")
	setup.cred.chainProfile = name
	if p := conf.profile(name); p != nil && p.RegionID != "" {
		setup.region, setup.regionSource = p.RegionID, fmt.Sprintf("region_id of profile %q in %s", name, path)
	}
	return setup, nil
}

// setupProfile returns the credentials and region of the profile name of the aliyun CLI's
// configuration file at path, through credentials-go's CLI profile provider.
func setupProfile(path, name string) (*credentialSetup, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w: --profile %s: %s", expressconnect.ErrCredentials, name, fmt.Sprintf(format, args...))
	}
	if cliProfilesDisabled() {
		return nil, fail("the aliyun CLI's profiles are turned off by ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true")
	}
	if path == "" {
		return nil, fail("no configuration file: HOME is not set (or set ALIBABA_CLOUD_CONFIG_FILE)")
	}
	conf, err := readCLIConfig(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, fail("no configuration file %s (create it with `aliyun configure --profile %s`)", path, name)
	case err != nil:
		return nil, fail("%v", err)
	}
	p := conf.profile(name)
	if p == nil {
		return nil, fail("no such profile in %s; its profiles: %s", path, strings.Join(conf.names(), ", "))
	}
	provider, err := providers.NewCLIProfileCredentialsProviderBuilder().WithProfileFile(path).WithProfileName(name).Build()
	if err != nil {
		return nil, fail("%v", err)
	}
	source := fmt.Sprintf("profile %q (mode %s) from %s", name, p.Mode, path)
	setup := &credentialSetup{
		cred: &sourcedCredential{inner: credentials.FromCredentialsProvider("cli_profile", provider), source: source, configPath: path},
	}
	if p.RegionID != "" {
		setup.region, setup.regionSource = p.RegionID, fmt.Sprintf("region_id of profile %q in %s", name, path)
	}
	return setup, nil
}

// sourcedCredential is a credentials-go Credential that remembers which source answered and
// the AccessKeyId it gave, and scrubs from its errors what could quote a configuration file.
type sourcedCredential struct {
	inner credentials.Credential
	// source describes where the credentials come from, as set up.
	source string
	// configPath is the aliyun CLI's configuration file; chainProfile is the profile the
	// default chain would read there.
	configPath, chainProfile string

	mu        sync.Mutex
	keyID     string
	provider  string
	secrets   []string
	readCount int
}

// GetCredential asks the source and records what it answered.
func (s *sourcedCredential) GetCredential() (*credentials.CredentialModel, error) {
	m, err := s.inner.GetCredential()
	if err != nil {
		return nil, s.scrub(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readCount++
	if m != nil {
		s.keyID, s.provider = deref(m.AccessKeyId), deref(m.ProviderName)
		for _, secret := range []string{deref(m.AccessKeySecret), deref(m.SecurityToken)} {
			if secret != "" && !slices.Contains(s.secrets, secret) {
				s.secrets = append(s.secrets, secret)
			}
		}
	}
	return m, nil
}

// GetAccessKeyId is the deprecated accessor of credentials.Credential, answered from
// GetCredential.
func (s *sourcedCredential) GetAccessKeyId() (*string, error) {
	m, err := s.GetCredential()
	if err != nil || m == nil {
		return nil, err
	}
	return m.AccessKeyId, nil
}

// GetAccessKeySecret is the deprecated accessor of credentials.Credential, answered from
// GetCredential.
func (s *sourcedCredential) GetAccessKeySecret() (*string, error) {
	m, err := s.GetCredential()
	if err != nil || m == nil {
		return nil, err
	}
	return m.AccessKeySecret, nil
}

// GetSecurityToken is the deprecated accessor of credentials.Credential, answered from
// GetCredential.
func (s *sourcedCredential) GetSecurityToken() (*string, error) {
	m, err := s.GetCredential()
	if err != nil || m == nil {
		return nil, err
	}
	return m.SecurityToken, nil
}

// GetBearerToken is the deprecated accessor of credentials.Credential.
func (s *sourcedCredential) GetBearerToken() *string { return s.inner.GetBearerToken() }

// GetType returns the source's type.
func (s *sourcedCredential) GetType() *string { return s.inner.GetType() }

// configQuote is how credentials-go starts an error that quotes the whole aliyun CLI
// configuration file, secrets included, when the file is not valid JSON.
const configQuote = "unmarshal aliyun cli config from"

// scrub returns err, or an error that says the same without quoting the configuration file.
func (s *sourcedCredential) scrub(err error) error {
	if err == nil || !strings.Contains(err.Error(), configQuote) {
		return err
	}
	return fmt.Errorf("the aliyun CLI's configuration file %s is not valid JSON (its content is not shown)", s.configPath)
}

// used returns the source that gave the credentials of the last read, described for an
// operator, and their AccessKeyId masked; empty strings before any read.
func (s *sourcedCredential) used() (source, maskedKeyID string) {
	if s == nil {
		return "", ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.readCount == 0 {
		return s.source, ""
	}
	return s.describe(), maskKeyID(s.keyID)
}

// describe names the source from the provider that answered, for the default chain.
func (s *sourcedCredential) describe() string {
	name := strings.TrimPrefix(s.provider, "default/")
	if name == s.provider {
		return s.source // not the default chain: the profile named
	}
	switch {
	case name == "env":
		return "the environment (ALIBABA_CLOUD_ACCESS_KEY_ID), through credentials-go's default chain"
	case strings.HasPrefix(name, "oidc_role_arn"):
		return "the OIDC role of ALIBABA_CLOUD_ROLE_ARN, through credentials-go's default chain"
	case strings.HasPrefix(name, "cli_profile"):
		return fmt.Sprintf("profile %q from %s, through credentials-go's default chain", s.chainProfile, s.configPath)
	case strings.HasPrefix(name, "profile"):
		return "the credentials file (~/.alibabacloud/credentials or ALIBABA_CLOUD_CREDENTIALS_FILE), through credentials-go's default chain"
	case strings.HasPrefix(name, "ecs_ram_role"):
		return "the ECS instance's RAM role, through credentials-go's default chain"
	case strings.HasPrefix(name, "credential_uri"):
		return "the credentials URI of ALIBABA_CLOUD_CREDENTIALS_URI, through credentials-go's default chain"
	}
	return fmt.Sprintf("credentials-go's default chain (provider %s)", name)
}

// secretValues returns the secrets the source has given, to mask them wherever they appear.
func (s *sourcedCredential) secretValues() []string {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.secrets)
}

// maskKeyID masks an AccessKeyId as the expressconnect package does: its first and last 4
// characters around "****", or "****" alone for an ID of 8 characters or fewer.
func maskKeyID(id string) string {
	if id == "" {
		return ""
	}
	return keyid.Mask(id)
}

// deref returns *p, or "" for nil.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
