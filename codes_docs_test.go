package expressconnect

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// codeConstants returns the Code constants that codes.go declares, by value, read from its
// source, so that the table of docs/errors.md can name them.
func codeConstants(t *testing.T) map[Code]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "codes.go", nil, 0)
	require.NoError(t, err)
	names := map[Code]string{}
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.CONST {
			continue
		}
		for _, spec := range gen.Specs {
			vs := spec.(*ast.ValueSpec)
			if ident, ok := vs.Type.(*ast.Ident); !ok || ident.Name != "Code" {
				continue
			}
			for i, name := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				require.True(t, ok, "%s is a string literal", name.Name)
				value, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				names[Code(value)] = name.Name
			}
		}
	}
	return names
}

// docsCodeTable returns the table of codes of docs/errors.md: the row of each code, as written.
func docsCodeTable(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("docs/errors.md")
	require.NoError(t, err)
	defer f.Close()
	var rows []string
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "| Code | Constant | Family | Retried | HTTP | What to do |":
			in = true
		case in && strings.HasPrefix(line, "|---"):
		case in && strings.HasPrefix(line, "| `"):
			rows = append(rows, line)
		case in:
			in = false
		}
	}
	require.NoError(t, sc.Err())
	return rows
}

// codeTableRows returns the rows the code table holds, sorted by family and code.
func codeTableRows(t *testing.T) []string {
	names := codeConstants(t)
	codes := make([]Code, 0, len(codeTable))
	for code := range codeTable {
		codes = append(codes, code)
	}
	slices.SortFunc(codes, func(a, b Code) int {
		if c := strings.Compare(string(a.Family()), string(b.Family())); c != 0 {
			return c
		}
		return strings.Compare(string(a), string(b))
	})
	rows := make([]string, 0, len(codes))
	for _, code := range codes {
		info := codeTable[code]
		family, status, retry := "—", "—", "no"
		if info.family != "" {
			family = "`Err" + familyConstantName(info.family) + "`"
		}
		if info.status != 0 {
			status = strconv.Itoa(info.status)
		}
		switch info.retry {
		case RetryTransient:
			retry = "yes"
		case RetryThrottled:
			retry = "yes, throttled"
		case RetryClockSkew:
			retry = "once, clock corrected"
		}
		rows = append(rows, fmt.Sprintf("| `%s` | `%s` | %s | %s | %s | %s |", code, names[code], family, retry, status, codeRemedy(code, 0)))
	}
	return rows
}

// familyConstantName returns the name of a family's constant without its Err prefix.
func familyConstantName(f Family) string {
	return map[Family]string{
		ErrInvalidParameter: "InvalidParameter", ErrNotFound: "NotFound", ErrVLANConflict: "VLANConflict",
		ErrQuotaOrCapacity: "QuotaOrCapacity", ErrInvalidState: "InvalidState", ErrPermission: "Permission",
		ErrThrottled: "Throttled", ErrAuthentication: "Authentication", ErrSignature: "Signature",
		ErrServerSide: "ServerSide", ErrIdempotency: "Idempotency",
	}[f]
}

// TestDocsCodeTable checks that the table of codes of docs/errors.md is the code table: every
// code, its constant, family, retry class, documented status and remedy. On a difference it
// prints the table to paste.
func TestDocsCodeTable(t *testing.T) {
	t.Parallel()
	want := codeTableRows(t)
	for _, row := range want {
		require.NotContains(t, row, "``", "every code of the table has a constant in codes.go: %s", row)
	}
	got := docsCodeTable(t)
	if !assert.Equal(t, want, got, "docs/errors.md's table of codes is not the code table") {
		t.Logf("the table, to paste into docs/errors.md:\n| Code | Constant | Family | Retried | HTTP | What to do |\n|---|---|---|---|---|---|\n%s", strings.Join(want, "\n"))
	}
}
