package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// TestSettingsAreTyped checks that loading the settings parses every value once into its
// type, from the config file, the environment and the flags alike, so that building the
// server parses nothing again.
func TestSettingsAreTyped(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, `{"ClockOffset": "-20m", "AutoAccept": "2s", "IdleTimeout": "90s",
		"Circuits": [{"ID": "pc-file1", "Quota": 3}, {"ID": "pc-file2", "Enabled": false}]}`)
	s, err := loadSettings([]string{"-config", path, "-auto-enable", "1m30s", "-request-log-size", "7", "-quiet"},
		envOf(map[string]string{"EXPRESSCONNECT_LOCAL_NO_DEFAULT_CIRCUIT": "true"}), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, -20*time.Minute, s.ClockOffset)
	assert.Equal(t, delay{after: 2 * time.Second, on: true}, s.AutoAccept)
	assert.Equal(t, delay{after: 90 * time.Second, on: true}, s.AutoEnable)
	assert.Equal(t, 90*time.Second, s.IdleTimeout)
	assert.Equal(t, 7, s.RequestLogSize)
	assert.True(t, s.Quiet)
	assert.True(t, s.NoDefaultCircuit)
	assert.Equal(t, []expressconnecttest.Circuit{{ID: "pc-file1", Quota: 3}, {ID: "pc-file2", Status: expressconnect.StatusAllocated}}, s.Circuits,
		"the command's circuits are enabled unless they say otherwise; zero fields take the server's defaults")

	// The defaults as a run without flags, variables or file gets them, through the loader.
	d, err := loadSettings(nil, noEnv, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, time.Duration(0), d.ClockOffset)
	assert.Equal(t, delay{}, d.AutoAccept, "off")
	assert.Equal(t, "off", d.AutoAccept.String())
	assert.Equal(t, expressconnecttest.DefaultIdleTimeout, d.IdleTimeout)
	assert.Equal(t, expressconnecttest.DefaultRetention, d.Retention, "the server's own default")

	forever, err := loadSettings([]string{"-retention", "0s"}, noEnv, io.Discard)
	require.NoError(t, err)
	assert.Zero(t, forever.Retention)
	file, err := loadSettings([]string{"-config", writeConfig(t, `{"Retention": "36h"}`)}, noEnv, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, 36*time.Hour, file.Retention)
}

// TestNoErrorOfThisPackageIsDiscarded checks, in the command's source, that no call to a
// function of the command (not a method, whose name may be another type's) that returns an
// error has that error assigned to "_": a value is parsed once, where its error is handled,
// rather than parsed again with the error ignored.
func TestNoErrorOfThisPackageIsDiscarded(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	var files []*ast.File
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		f, err := parser.ParseFile(fset, name, src, 0)
		require.NoError(t, err)
		files = append(files, f)
	}
	// errorAt maps each function of the package whose last result is an error to the number
	// of its results, methods left out.
	errorAt := map[string]int{}
	for _, f := range files {
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Type.Results == nil {
				continue
			}
			results := fn.Type.Results.List
			if id, ok := results[len(results)-1].Type.(*ast.Ident); ok && id.Name == "error" {
				errorAt[fn.Name.Name] = fn.Type.Results.NumFields()
			}
		}
	}
	require.NotEmpty(t, errorAt)
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			assign, ok := n.(*ast.AssignStmt)
			if !ok || len(assign.Rhs) != 1 {
				return true
			}
			call, ok := assign.Rhs[0].(*ast.CallExpr)
			if !ok {
				return true
			}
			fun, ok := call.Fun.(*ast.Ident)
			if !ok {
				return true
			}
			name := fun.Name
			count, ok := errorAt[name]
			if !ok || len(assign.Lhs) != count {
				return true
			}
			if id, ok := assign.Lhs[count-1].(*ast.Ident); ok && id.Name == "_" {
				t.Errorf("%s: the error of %s is discarded", fset.Position(assign.Pos()), name)
			}
			return true
		})
	}
}
