package neo4jstore_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/neo4jstore"
	"github.com/orgraph/orgraph/internal/org"
)

// silentServer accepts connections on loopback and never answers, as a
// Neo4j that is shutting down holds its connections.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "bolt://" + ln.Addr().String()
}

// A store call that waits on a silent server is reported to the hook after
// SlowAfter, and Abort ends it at once, EUNAVAILABLE with Abort's cause kept
// for the logs; the store then serves later calls as usual (here: they wait
// again).
func TestAbortEndsCallsInFlight(t *testing.T) {
	ctx := context.Background()
	s, err := neo4jstore.New(ctx, neo4jstore.Config{URI: silentServer(t), QueryTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	reported := make(chan error, 10)
	s.OnUnavailable(func(err error) { reported <- err })

	done := make(chan error, 1)
	start := time.Now()
	go func() { _, err := s.Search(ctx, "referat", 0); done <- err }()
	select {
	case err := <-reported:
		if took := time.Since(start); took < neo4jstore.SlowAfter {
			t.Errorf("reported after %s, before SlowAfter (%s): %v", took, neo4jstore.SlowAfter, err)
		}
	case err := <-done:
		t.Fatalf("the call returned before it was reported slow: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("a call waiting on a silent server was not reported within 5 s")
	}

	s.Abort(errors.New("the probe found the database away"))
	select {
	case err := <-done:
		if code := org.ErrorCode(err); code != org.EUNAVAILABLE {
			t.Errorf("aborted call: got code %q (%v), want %q", code, err, org.EUNAVAILABLE)
		}
		if !strings.Contains(err.Error(), "the probe found the database away") {
			t.Errorf("aborted call: %v does not keep Abort's cause", err)
		}
		if msg := org.ErrorMessage(err); strings.Contains(msg, "probe") || strings.Contains(msg, "127.0.0.1") {
			t.Errorf("aborted call: the message %q shows the cause", msg)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Abort did not end the call within 2 s")
	}

	// A call that starts after Abort is not ended by it.
	cctx, cancel := context.WithTimeout(ctx, 700*time.Millisecond)
	defer cancel()
	_, err = s.Search(cctx, "referat", 0)
	if code := org.ErrorCode(err); code != org.EUNAVAILABLE || time.Since(start) < 700*time.Millisecond {
		t.Errorf("a call after Abort: got %q (%v), want EUNAVAILABLE at its own deadline", code, err)
	}
}

// Ping is a query, bounded by its context: a server that accepts
// connections and runs nothing is not ready.
func TestPingOfASilentServerFails(t *testing.T) {
	ctx := context.Background()
	s, err := neo4jstore.New(ctx, neo4jstore.Config{URI: silentServer(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	pctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = s.Ping(pctx)
	if code := org.ErrorCode(err); code != org.EUNAVAILABLE {
		t.Errorf("got code %q (%v), want %q", code, err, org.EUNAVAILABLE)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Ping took %s past its 300 ms deadline", took)
	}
}
