package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"testing"

	"github.com/expressconnect-go/expressconnect"
)

// codeConstants returns every constant of type Code that the expressconnect package declares,
// read from its source, so that a code added later is covered without editing this test.
func codeConstants(t *testing.T) []expressconnect.Code {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("finding the package's source: %v", err)
	}
	var codes []expressconnect.Code
	fset := token.NewFileSet()
	for _, name := range files {
		if matched, _ := filepath.Match("*_test.go", filepath.Base(name)); matched {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatalf("parsing %s: %v", name, err)
		}
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.CONST {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
					continue
				}
				for _, v := range vs.Values {
					lit, ok := v.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						t.Fatalf("%s: a Code constant that is not a string literal", fset.Position(v.Pos()))
					}
					codes = append(codes, expressconnect.Code(lit.Value[1:len(lit.Value)-1]))
				}
			}
		}
	}
	if len(codes) < 60 {
		t.Fatalf("found %d Code constants; the package declares more: is the parser reading the right files?", len(codes))
	}
	return codes
}

// libraryRemedies returns every remedy the expressconnect package can return, each with an
// error that gets it: one per Code constant, the families of codes the table does not list,
// and the client's own failures.
func libraryRemedies(t *testing.T) map[string]error {
	t.Helper()
	errs := []error{}
	for _, c := range codeConstants(t) {
		errs = append(errs, &expressconnect.APIError{Code: c, StatusCode: 400})
	}
	for _, c := range []expressconnect.Code{"IllegalParam.Unknown", "MissingParam.Unknown", "Unknown.Malformed", "Throttling.Unknown", "Unknown"} {
		errs = append(errs, &expressconnect.APIError{Code: c, StatusCode: 400}, &expressconnect.APIError{Code: c, StatusCode: 503})
	}
	errs = append(errs,
		&expressconnect.ValidationError{Operation: "CreateVirtualPhysicalConnection", Violations: []expressconnect.Violation{{Field: "VLANID", Param: "VlanId", Rule: "required"}}},
		fmt.Errorf("expressconnect: %w: WithEndpoint: bad", expressconnect.ErrInvalidOption),
		expressconnect.ErrUninitializedClient,
		fmt.Errorf("%w: none", expressconnect.ErrCredentials),
		&expressconnect.OperationError{Err: expressconnect.ErrAttemptTimeout},
		&expressconnect.OperationError{Err: &expressconnect.ResponseError{StatusCode: 200, Err: expressconnect.ErrNotApplied}},
		&expressconnect.ResponseError{StatusCode: 302, Err: expressconnect.ErrRedirectRefused},
		&expressconnect.ResponseError{StatusCode: 200, Err: expressconnect.ErrResponseTooLarge},
		&expressconnect.ResponseError{StatusCode: 502, Err: expressconnect.ErrMalformedResponse},
		&expressconnect.ResponseError{StatusCode: 200, Err: expressconnect.ErrMalformedResponse},
		&expressconnect.OperationError{Err: &expressconnect.TransportError{Endpoint: "https://vpc.aliyuncs.com/", Err: errors.New("connection refused")}},
	)
	out := map[string]error{}
	for _, err := range errs {
		if r := expressconnect.Remedy(err); r != "" {
			out[r] = err
		}
	}
	return out
}

// TestEveryRemedyHasAnOperatorWording checks that the table words every remedy the package
// can return, and holds no wording the package no longer returns (the families' remedies
// aside, which a code the package adds later may reach).
func TestEveryRemedyHasAnOperatorWording(t *testing.T) {
	remedies := libraryRemedies(t)
	var missing []string
	for r, err := range remedies {
		if _, ok := operatorRemedies[r]; !ok {
			missing = append(missing, fmt.Sprintf("%q (from %v)", r, err))
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("no operator wording for the remedy %s", m)
	}
	for r := range operatorRemedies {
		if _, ok := remedies[r]; !ok && !slices.Contains(familyRemedies, r) {
			t.Errorf("the table words %q, which the package no longer returns", r)
		}
	}
}

// goSpeak matches what an operator cannot act on: the package's option, method and field
// names.
var goSpeak = regexp.MustCompile(`\bWith[A-Z]\w*|\bGet[A-Z]\w*|AccessDeniedDetail|VLAN\(|\bToken\b|\bSpec\b|\bNextToken\b|` +
	`\bRegions\b|the client's configuration|\bName\b|\bDescription\b`)

// TestOperatorWordingsSpeakFlags checks that no wording names a Go option or field, and that
// the placeholders are filled.
func TestOperatorWordingsSpeakFlags(t *testing.T) {
	rc := remedyContext{token: "tok-1", source: `profile "p" from /home/x/.aliyun/config.json (AccessKeyId LTAI****0001)`}
	for lib, wording := range operatorRemedies {
		got := rc.fill(wording)
		if m := goSpeak.FindString(got); m != "" {
			t.Errorf("the wording of %q speaks Go (%q): %q", lib, m, got)
		}
		if regexp.MustCompile(`\{\w+\}`).MatchString(got) {
			t.Errorf("the wording of %q keeps a placeholder: %q", lib, got)
		}
	}
	if got, _ := operatorRemedy("retry later with the same Token", rc); got != "run the command again with --token tok-1 later" {
		t.Errorf("retry wording: %q", got)
	}
	if got, _ := operatorRemedy("retry later with the same Token", remedyContext{}); got != "run the command again later" {
		t.Errorf("retry wording without a token: %q", got)
	}
	if got, _ := operatorRemedy("check the AccessKeyId", rc); got != "check the AccessKeyId of "+rc.source {
		t.Errorf("AccessKeyId wording: %q", got)
	}
}

// TestViolationsNameFlags checks that a validation error names flags, not Go fields.
func TestViolationsNameFlags(t *testing.T) {
	err := expressconnect.Validate(&expressconnect.CreateVirtualPhysicalConnectionRequest{
		RegionID: "cn-hangzhou", PhysicalConnectionID: "pc-1", VpconnAliUID: "12x", Spec: "3G", OrderMode: "Other",
		Tags: []expressconnect.Tag{{Key: "a"}, {Key: "a"}},
	})
	var vErr *expressconnect.ValidationError
	if !errors.As(err, &vErr) {
		t.Fatalf("want a ValidationError, got %v", err)
	}
	got := violationText(vErr)
	for _, want := range []string{"--tenant: must be a decimal account ID", "--vlan: required (0 is a valid VLAN: give --vlan 0 to use it)",
		"--spec: must be one of", "--order-mode: must be", "--tag (the 2nd): must be unique", "the key of the 1st --tag"} {
		if !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(got) {
			t.Errorf("violations %q lack %q", got, want)
		}
	}
	if m := regexp.MustCompile(`VLANID|VpconnAliUID|Tags\[|VLAN\(`).FindString(got); m != "" {
		t.Errorf("violations %q name the Go field %q", got, m)
	}
}
