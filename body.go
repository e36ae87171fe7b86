package expressconnect

import (
	"bytes"
	"io"
	"sync"
)

// Success bodies are read into buffers that a sync.Pool keeps from one answer to the next: a
// List page of 100 is about 110 KB, and reading it into a new slice each time, as io.ReadAll
// does, allocates twice that when the service sends it without a Content-Length (growing
// pieces, then one slice of the final size). A body is decoded and forgotten before its
// buffer goes back (see the response interface); errors keep a copy.

// bodyBuffers holds the buffers of success bodies.
var bodyBuffers sync.Pool

// maxPooledBody is the capacity of the largest buffer bodyBuffers keeps: a few List pages of
// 100. A buffer that grew past it, for an unusually large answer, is dropped.
const maxPooledBody = 256 << 10

// getBodyBuffer returns an empty buffer with room for a body of contentLength bytes (-1 when
// unknown) and for the read that finds its end.
func getBodyBuffer(contentLength int64) *bytes.Buffer {
	buf, _ := bodyBuffers.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	if contentLength > 0 && contentLength <= maxSuccessBody {
		buf.Grow(int(contentLength) + bytes.MinRead)
	}
	return buf
}

// putBodyBuffer gives buf back to bodyBuffers, emptied, unless it grew past maxPooledBody.
func putBodyBuffer(buf *bytes.Buffer) {
	if buf.Cap() > maxPooledBody {
		return
	}
	buf.Reset()
	bodyBuffers.Put(buf)
}

// readAll reads r to its end into buf, when not nil, and returns what it read; with a nil buf
// it is io.ReadAll.
func readAll(r io.Reader, buf *bytes.Buffer) ([]byte, error) {
	if buf == nil {
		return io.ReadAll(r)
	}
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}
