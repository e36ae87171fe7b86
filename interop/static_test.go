package interop

import (
	"bytes"
	"debug/elf"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBinaryIsStatic checks the binary that TestMain built as the Dockerfile builds it
// (CGO_ENABLED=0 go build -trimpath): statically linked, so that it runs on a distroless or
// scratch image (no program interpreter, no shared library), and holding no path of the
// machine that built it.
func TestBinaryIsStatic(t *testing.T) {
	t.Parallel()
	f, err := elf.Open(sandbox.binary)
	require.NoError(t, err)
	defer f.Close()
	for _, prog := range f.Progs {
		assert.NotEqual(t, elf.PT_INTERP, prog.Type, "a program interpreter (dynamic linker)")
		assert.NotEqual(t, elf.PT_DYNAMIC, prog.Type, "a dynamic section")
	}
	libs, err := f.ImportedLibraries()
	require.NoError(t, err)
	assert.Empty(t, libs, "shared libraries")

	data, err := os.ReadFile(sandbox.binary)
	require.NoError(t, err)
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	assert.False(t, bytes.Contains(data, []byte(root)), "-trimpath leaves out %s", root)
}

// TestDockerfileBuildsTheSameWay checks that the Dockerfile builds the binary with the
// command TestBinaryIsStatic checks, runs it as a non-root user on a static runtime image,
// and listens on every interface of the container on the port it exposes.
func TestDockerfileBuildsTheSameWay(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("..", "Dockerfile"))
	require.NoError(t, err)
	text := string(data)
	for _, want := range []string{
		"CGO_ENABLED=0 go build -trimpath -o /out/expressconnect-local ./cmd/expressconnect-local",
		"FROM gcr.io/distroless/static-debian12:nonroot",
		"USER nonroot:nonroot",
		"ENV EXPRESSCONNECT_LOCAL_ADDR=0.0.0.0:8080",
		"EXPOSE 8080",
		`ENTRYPOINT ["/expressconnect-local"]`,
	} {
		assert.True(t, strings.Contains(text, want), "the Dockerfile lacks %q", want)
	}
}
