package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// app is one run of the command: its global flags, its output, and what the run learned that
// its error needs (the token, the credentials used).
type app struct {
	stdout, stderr io.Writer
	// args is the command line without the program name, for the command that resumes it.
	args []string

	// The global flags.
	profile, region, endpoint, output, signature string
	printRequest, verbose, lenient               bool
	timeout, attemptTimeout                      time.Duration
	maxAttempts                                  int

	// creds are the credentials of the run, once set up.
	creds *credentialSetup
	// capture is the transport of --print-request, nil without it.
	capture *capture
	// token is the idempotency token of the command's action, "" for actions that take none
	// and for a dry run.
	token string
	// resumable reports that running the same command line again (with --token token, when
	// token is set) resumes the command without doing its action twice.
	resumable bool
	// dryRun reports a dry run (--dry-run).
	dryRun bool
}

// Defaults of the global flags.
const (
	defaultTimeout     = 2 * time.Minute
	defaultWaitTimeout = 10 * time.Minute
)

// run runs the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	a := &app{stdout: stdout, stderr: stderr, args: args}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var failed *runFailure
	if !errors.As(err, &failed) {
		err = &usageError{msg: err.Error() + " (see expressconnect -h)"}
	} else {
		err = failed.err
	}
	return a.fail(ctx, err)
}

// runFailure marks the error of a command's run, as opposed to cobra's own errors on the
// command line, which are usage errors.
type runFailure struct{ err error }

// Error returns the command's error's message.
func (e *runFailure) Error() string { return e.err.Error() }

// runE adapts a command's run function to cobra, marking its errors.
func runE(f func(cmd *cobra.Command) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		if err := f(cmd); err != nil {
			return &runFailure{err: err}
		}
		return nil
	}
}

// rootCommand returns the command tree.
func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "expressconnect",
		Short:         "Run the hosted connections a partner sells on its Express Connect circuits",
		Long:          rootHelp,
		Version:       expressconnect.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		// A command with subcommands and no run of its own shows its help.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return a.checkFlags(cmd) },
	}
	root.SetGlobalNormalizationFunc(normalizeAliases)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &usageError{msg: err.Error() + " (see " + cmd.CommandPath() + " -h)"}
	})
	pf := root.PersistentFlags()
	pf.StringVar(&a.profile, "profile", "", "profile of the aliyun CLI's configuration (~/.aliyun/config.json) to take the credentials and region from\n(default: credentials-go's default chain)")
	pf.StringVar(&a.region, "region", "", "region ID, such as cn-hangzhou (default: $ALIBABA_CLOUD_REGION_ID, else the profile's region_id)")
	pf.StringVar(&a.endpoint, "endpoint", "", "endpoint host or URL, such as http://127.0.0.1:8080 for the local endpoint (default: the region's)")
	a.output = "json"
	pf.Var(choiceFlag{value: &a.output, choices: []string{"json", "table"}}, "output", "format of the result on standard output")
	_ = root.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"json", "table"}, cobra.ShellCompDirectiveNoFileComp))
	pf.BoolVar(&a.printRequest, "print-request", false, "print the signed request, secrets masked, instead of sending it")
	pf.DurationVar(&a.timeout, "timeout", defaultTimeout, "how long the action may take, retries included (a wait after it has --wait-timeout)")
	pf.DurationVar(&a.attemptTimeout, "attempt-timeout", expressconnect.DefaultAttemptTimeout, "how long one attempt may take")
	pf.IntVar(&a.maxAttempts, "max-attempts", expressconnect.DefaultMaxAttempts, "requests sent at most per call, the first included")
	pf.BoolVar(&a.lenient, "lenient", false, "skip the documented character rules of names, descriptions and tags")
	a.signature = string(expressconnect.SignatureHMACSHA1)
	algorithms := []string{string(expressconnect.SignatureHMACSHA1), string(expressconnect.SignatureACS3HMACSHA256)}
	pf.Var(choiceFlag{value: &a.signature, choices: algorithms}, "signature-algorithm", "how requests are signed: the RPC signature (HMAC-SHA1) or V3")
	_ = root.RegisterFlagCompletionFunc("signature-algorithm", cobra.FixedCompletions(algorithms, cobra.ShellCompDirectiveNoFileComp))
	pf.BoolVarP(&a.verbose, "verbose", "v", false, "log every attempt to standard error, as JSON lines (never a secret)")
	_ = root.RegisterFlagCompletionFunc("profile", a.completeProfiles)
	_ = root.RegisterFlagCompletionFunc("region", a.completeRegions)

	root.AddCommand(a.createCommand(), a.getCommand(), a.listCommand(), a.waitCommand(), a.updateCommand(),
		a.guardedCommand(terminateAction), a.guardedCommand(cancelAction), a.guardedCommand(deleteAction),
		a.circuitCommand(), a.freeVLANCommand())
	for _, cmd := range root.Commands() {
		giveOnce(cmd.Flags())
	}
	giveOnce(pf)
	return root
}

// checkFlags checks the global flags and refuses an empty value for any flag given.
func (a *app) checkFlags(cmd *cobra.Command) error {
	var err error
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if err == nil && f.Value.Type() == "string" && f.Value.String() == "" {
			err = usagef("--%s: the value is empty: leave the flag out instead", f.Name)
		}
	})
	switch {
	case err != nil:
		return err
	case a.timeout <= 0:
		return usagef("--timeout must be positive, got %s", a.timeout)
	case a.attemptTimeout <= 0:
		return usagef("--attempt-timeout must be positive, got %s", a.attemptTimeout)
	case a.maxAttempts < 1:
		return usagef("--max-attempts must be at least 1, got %d", a.maxAttempts)
	}
	return nil
}

// newClient returns the client of the run: credentials and region from --profile or the
// default chain, and the global flags' options. With --print-request, its transport keeps the
// requests instead of sending them; answer, if not nil, answers some of them (see capture).
func (a *app) newClient(answer func(action string, query url.Values) []byte) (*expressconnect.Client, error) {
	creds, err := setupCredentials(a.profile)
	if err != nil {
		return nil, err
	}
	a.creds = creds
	region := a.region
	if region == "" {
		region = os.Getenv("ALIBABA_CLOUD_REGION_ID")
	}
	if region == "" {
		region = creds.region
	}
	if region == "" {
		msg := "no region: give --region, set ALIBABA_CLOUD_REGION_ID, or set region_id in the aliyun CLI profile"
		if a.profile != "" {
			msg += fmt.Sprintf(" (profile %q has none)", a.profile)
		}
		if creds.regionProblem != "" {
			msg += " (" + creds.regionProblem + ")"
		}
		return nil, usagef("%s", msg)
	}
	opts := []expressconnect.Option{
		expressconnect.WithRegion(region),
		expressconnect.WithCredential(creds.cred),
		expressconnect.WithSignatureAlgorithm(expressconnect.SignatureAlgorithm(a.signature)),
		expressconnect.WithUserAgent("expressconnect-cli/" + expressconnect.Version),
		expressconnect.WithMaxAttempts(a.maxAttempts),
		expressconnect.WithAttemptTimeout(a.attemptTimeout),
	}
	if a.endpoint != "" {
		opts = append(opts, expressconnect.WithEndpoint(a.endpoint))
	}
	if a.lenient {
		opts = append(opts, expressconnect.WithLenientValidation())
	}
	if a.verbose {
		logger := slog.New(slog.NewJSONHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		opts = append(opts, expressconnect.WithObserver(expressconnect.LogObserver(logger)))
	}
	if a.printRequest {
		a.capture = &capture{secrets: creds.cred.secretValues, answer: answer}
		// One attempt: a request that is not sent is not retried.
		opts = append(opts, expressconnect.WithHTTPClient(&http.Client{Transport: a.capture}), expressconnect.WithMaxAttempts(1))
	}
	client, err := expressconnect.NewClient(opts...)
	if err != nil {
		return nil, &reworded{msg: operatorMessage(err.Error()), err: err}
	}
	return client, nil
}

// actionContext returns the context of the command's action, bounded by --timeout.
func (a *app) actionContext(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	return context.WithTimeout(cmd.Context(), a.timeout)
}

// chooseToken returns the idempotency token of the command's action: given (--token) when
// set, else a new one, which it prints on standard error before anything is sent so that it
// is known even if the process is killed (not with --print-request, which sends nothing; a
// token given with --token is the caller's already and is not printed). A dry run's token
// means nothing, so none is chosen for it.
func (a *app) chooseToken(given string, dryRun bool) string {
	a.dryRun = dryRun
	if dryRun {
		return given
	}
	a.resumable = true
	if given != "" {
		a.token = given
		return given
	}
	a.token = expressconnect.NewToken()
	if !a.printRequest {
		a.notice("idempotency token chosen: store it; to resume after a failure or an interruption, run the command again with it", a.token)
	}
	return a.token
}

// notice writes one JSON line on standard error: what the command says before it acts, with
// the token to resume with and the command line that does.
func (a *app) notice(msg, token string) {
	line, _ := json.Marshal(struct {
		Notice string `json:"Notice"`
		Token  string `json:"Token,omitempty"`
		Resume string `json:"Resume,omitempty"`
	}{msg, token, a.resumeCommand(token)})
	fmt.Fprintf(a.stderr, "%s\n", line)
}

// resumeCommand returns the command line that runs the command again with token, quoted for
// a POSIX shell: the same arguments, any --token replaced.
func (a *app) resumeCommand(token string) string {
	parts := []string{"expressconnect"}
	for i := 0; i < len(a.args); i++ {
		arg := a.args[i]
		name, _, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if strings.HasPrefix(arg, "--") && (name == "token" || name == "client-token") {
			if !hasValue {
				i++ // the value follows
			}
			continue
		}
		parts = append(parts, shellQuote(arg))
	}
	if token != "" {
		parts = append(parts, "--token", shellQuote(token))
	}
	return strings.Join(parts, " ")
}

// shellQuote returns s quoted for a POSIX shell when it needs quotes.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,@%+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// printer returns the printer of --output.
func (a *app) printer() printer { return printer{w: a.stdout, table: a.output == "table"} }

// printCaptured prints the requests --print-request kept, with notes, and reports whether
// there were any.
func (a *app) printCaptured(notes map[int]string) (bool, error) {
	if a.capture == nil {
		return false, nil
	}
	reqs := a.capture.captured()
	if len(reqs) == 0 {
		return false, nil
	}
	for i, note := range notes {
		if i >= 0 && i < len(reqs) {
			reqs[i].Note = note
		}
	}
	return true, a.printer().print(struct {
		Requests []capturedRequest `json:"Requests"`
	}{reqs})
}

// completeProfiles offers the profiles of the aliyun CLI's configuration file.
func (a *app) completeProfiles(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	conf, err := readCLIConfig(cliConfigPath())
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return conf.names(), cobra.ShellCompDirectiveNoFileComp
}

// completeRegions offers the regions the client knows.
func (a *app) completeRegions(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return expressconnect.Regions(), cobra.ShellCompDirectiveNoFileComp
}

// reworded is an error of the expressconnect package with its message worded for an operator.
type reworded struct {
	msg string
	err error
}

// Error returns the reworded message.
func (e *reworded) Error() string { return e.msg }

// Unwrap returns the package's error, so that errors.Is still matches it.
func (e *reworded) Unwrap() error { return e.err }
