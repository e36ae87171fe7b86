package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// conn returns a hosted connection of a snapshot.
func conn(id, token string) expressconnecttest.Connection {
	return expressconnecttest.Connection{VirtualPhysicalConnectionID: id, Token: token}
}

// TestCheckFindsASecondConnection checks that a token with two hosted connections breaks
// invariant 1, once however many snapshots show it.
func TestCheckFindsASecondConnection(t *testing.T) {
	t.Parallel()
	b := newOrderBook()
	snapshot := []expressconnecttest.Connection{conn("pc-1", "t1"), conn("pc-2", "t2"), conn("pc-3", "t1")}
	b.check(snapshot, time.Now(), false)
	b.check(snapshot, time.Now(), true)
	f := b.figures()
	if f.tokensWithTwo != 1 || len(f.evidence[1]) != 1 || !strings.Contains(f.evidence[1][0], "pc-1, pc-3") {
		t.Errorf("figures %+v, want token t1 with pc-1 and pc-3", f)
	}
}

// TestCheckConcludesOrders checks invariant 2: an order is done when the sandbox holds its ID
// under its token, lost when it does not or when the error did not carry the token, and
// reported when it did; an order that ended after the snapshot was asked for waits for the
// next one, and one still in flight at the end is lost.
func TestCheckConcludesOrders(t *testing.T) {
	t.Parallel()
	b := newOrderBook()
	good, missing, swapped, reported, silent, late, open := b.open(0, "c", 1), b.open(0, "c", 2), b.open(0, "c", 3),
		b.open(0, "c", 4), b.open(0, "c", 5), b.open(0, "c", 6), b.open(0, "c", 7)
	b.succeeded(good, "pc-good")
	b.succeeded(missing, "pc-missing")
	b.succeeded(swapped, "pc-swapped")
	b.failed(reported, &expressconnect.OperationError{Operation: "CreateVirtualPhysicalConnection", Token: reported.token,
		Err: errors.New("no answer")}, "")
	b.failed(silent, fmt.Errorf("lost somewhere: %w", errors.New("no answer")), "lost somewhere")
	taken := time.Now()
	time.Sleep(time.Millisecond)
	b.succeeded(late, "pc-late")
	snapshot := []expressconnecttest.Connection{conn("pc-good", good.token), conn("pc-swapped", "another-token"),
		conn("pc-reported", reported.token)}
	b.check(snapshot, taken, false)
	f := b.figures()
	if f.opened != 7 || f.done != 4 || f.confirmed != 1 || f.reported != 1 || f.reportedCreated != 1 || f.lost != 3 {
		t.Errorf("after the first snapshot: %+v", f)
	}
	b.check(append(snapshot, conn("pc-late", late.token)), time.Now(), true)
	f = b.figures()
	if f.confirmed != 2 || f.lost != 4 {
		t.Errorf("after the last snapshot: %+v, want the late order confirmed and the open one lost", f)
	}
	ev := strings.Join(f.evidence[2], "\n")
	for _, o := range []*order{missing, swapped, silent, open} {
		if !strings.Contains(ev, o.token) {
			t.Errorf("no evidence for order %s in:\n%s", o.token, ev)
		}
	}
}

// TestCarriesToken checks what counts as an error an operator can retry the order from.
func TestCarriesToken(t *testing.T) {
	t.Parallel()
	opErr := &expressconnect.OperationError{Operation: "CreateVirtualPhysicalConnection", Token: "tok-1", Err: errors.New("EOF")}
	if !carriesToken(fmt.Errorf("order 7: %w", opErr), "tok-1") {
		t.Error("a wrapped *OperationError with the token does not count")
	}
	if carriesToken(opErr, "tok-2") {
		t.Error("another order's token counts")
	}
	if carriesToken(errors.New("tok-1"), "tok-1") {
		t.Error("a text that only shows the token counts")
	}
}
