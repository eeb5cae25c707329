package server_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/internal/storetest"
)

// fakeProbe fails while down is set, and counts its calls.
type fakeProbe struct {
	down  atomic.Bool
	calls atomic.Int64
}

func (p *fakeProbe) probe(context.Context) error {
	p.calls.Add(1)
	if p.down.Load() {
		return errors.New("dial tcp 127.0.0.1:7687: connect: connection refused")
	}
	return nil
}

func waitFor(t *testing.T, what string, within time.Duration, ok func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !ok() {
		if time.Since(start) > within {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

func TestReadiness(t *testing.T) {
	p := &fakeProbe{}
	p.down.Store(true)
	var logs syncBuffer
	r := server.NewReadiness(p.probe, slog.New(slog.NewTextHandler(&logs, nil)))
	if err := r.Err(); org.ErrorCode(err) != org.EUNAVAILABLE {
		t.Fatalf("before any probe: got %v, want EUNAVAILABLE", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); r.Run(ctx) }()
	defer func() { cancel(); <-done }()

	waitFor(t, "a first probe", time.Second, func() bool { return p.calls.Load() > 0 })
	err := r.Err()
	if org.ErrorCode(err) != org.EUNAVAILABLE || strings.Contains(org.ErrorMessage(err), "refused") {
		t.Errorf("down: got %q (%v), want EUNAVAILABLE in words fit for a client", org.ErrorMessage(err), err)
	}
	if !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("down: %v does not keep the probe's failure as its cause", err)
	}

	p.down.Store(false)
	took := waitFor(t, "ready once the store answers", 2*time.Second, func() bool { return r.Err() == nil })
	t.Logf("ready %s after the store answered", took)

	// Ready: probes are seconds apart; a request's failure has one made at once.
	p.down.Store(true)
	r.Suspect(errors.New("a request failed"))
	took = waitFor(t, "not ready once a request reported the store away", time.Second, func() bool { return r.Err() != nil })
	t.Logf("not ready %s after a request reported the store away", took)

	p.down.Store(false)
	waitFor(t, "ready again", 2*time.Second, func() bool { return r.Err() == nil })
	if out := logs.String(); !strings.Contains(out, "store unavailable") || !strings.Contains(out, "connection refused") || !strings.Contains(out, "store ready") {
		t.Errorf("the log does not tell the changes of state with their cause:\n%s", out)
	}
}

// One failed periodic probe while ready does not make the server unready:
// /readyz does not flap.
func TestReadinessDoesNotFlap(t *testing.T) {
	var calls atomic.Int64
	probe := func(context.Context) error {
		if calls.Add(1) == 2 { // the second probe, the first while ready
			return errors.New("a lost probe")
		}
		return nil
	}
	r := server.NewReadiness(probe, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); r.Run(ctx) }()
	defer func() { cancel(); <-done }()
	waitFor(t, "ready", time.Second, func() bool { return r.Err() == nil })
	deadline := time.Now().Add(server.ProbeEvery + 300*time.Millisecond)
	for time.Now().Before(deadline) {
		if err := r.Err(); err != nil {
			t.Fatalf("one failed probe made the server unready: %v", err)
		}
		time.Sleep(time.Millisecond)
	}
	if calls.Load() < 3 {
		t.Errorf("the failed probe was not repeated (%d probes)", calls.Load())
	}
}

// While the store is known to be away, /query and the exports are refused
// at once with 503 UNAVAILABLE and Retry-After, and /readyz says so; the log
// line has the cause and the request id, the client the generic message.
func TestFailFast(t *testing.T) {
	s := memstore.New()
	if err := s.Load(context.Background(), storetest.MustSeed(t)); err != nil {
		t.Fatal(err)
	}
	var down atomic.Bool
	down.Store(true)
	ready := func(context.Context) error {
		if down.Load() {
			return org.Wrap(org.EUNAVAILABLE, errors.New("dial tcp 10.0.0.7:7687: connection refused"), "the graph database is unavailable; try again later")
		}
		return nil
	}
	var logs syncBuffer
	h := server.New(&org.Service{Store: s, Overlay: memstore.Overlay}, server.Config{Ready: ready}, slog.New(slog.NewTextHandler(&logs, nil)))
	do := func(method, path, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Request-Id", "req-42")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	const query = `{"query":"{ unit(code: \"KS-07\") { name } }"}`
	rec := do(http.MethodPost, "/query", query)
	body := rec.Body.String()
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
		!strings.Contains(body, `"code":"UNAVAILABLE"`) || strings.Contains(body, "10.0.0.7") {
		t.Errorf("/query while down: got %d %q (Retry-After %q), want 503 UNAVAILABLE without the cause", rec.Code, body, rec.Header().Get("Retry-After"))
	}
	if rec := do(http.MethodGet, "/export/orgchart.csv", ""); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("export while down: got %d, want 503", rec.Code)
	}
	if rec := do(http.MethodGet, "/readyz", ""); rec.Code != http.StatusServiceUnavailable || strings.Contains(rec.Body.String(), "10.0.0.7") {
		t.Errorf("/readyz while down: got %d %q", rec.Code, rec.Body.String())
	}
	if rec := do(http.MethodGet, "/healthz", ""); rec.Code != http.StatusOK {
		t.Errorf("/healthz while down: got %d", rec.Code)
	}
	if out := logs.String(); !strings.Contains(out, "10.0.0.7") || !strings.Contains(out, "req-42") {
		t.Errorf("the log line lacks the cause or the request id:\n%s", out)
	}
	down.Store(false)
	if rec := do(http.MethodPost, "/query", query); rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "errors") {
		t.Errorf("/query when ready: got %d %q", rec.Code, rec.Body.String())
	}
}

// brokenStore fails every look-up with an error the client must not see.
type brokenStore struct {
	org.Store
	err error
}

func (b brokenStore) FindNodes(context.Context, org.NodeFilter) ([]org.Node, error) {
	return nil, b.err
}

func (b brokenStore) FindNeighbourhood(context.Context, org.NodeFilter, org.Around) (org.Neighbourhood, error) {
	return org.Neighbourhood{}, b.err
}

// An internal or unavailable error met while executing is logged with its
// cause and the request id; the client sees the generic message.
func TestErrorsAreLoggedWithCause(t *testing.T) {
	s := memstore.New()
	if err := s.Load(context.Background(), storetest.MustSeed(t)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		err        error
		code, want string
	}{
		{org.Wrap(org.EUNAVAILABLE, errors.New("neo4jstore: find nodes: ConnectivityError: EOF"), "the graph database is unavailable; try again later"), "UNAVAILABLE", "ConnectivityError: EOF"},
		{org.Wrap(org.EINTERNAL, errors.New("neo4jstore: find nodes: Neo.DatabaseError.General.UnknownError"), "internal error"), "INTERNAL_SERVER_ERROR", "UnknownError"},
		{errors.New("a bare error with a secret"), "INTERNAL_SERVER_ERROR", "a bare error with a secret"},
	} {
		var logs syncBuffer
		h := server.New(&org.Service{Store: brokenStore{s, tc.err}, Overlay: memstore.Overlay}, server.Config{}, slog.New(slog.NewTextHandler(&logs, nil)))
		req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(`{"query":"{ units { name } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Request-Id", "req-7")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body := rec.Body.String()
		if !strings.Contains(body, `"code":"`+tc.code+`"`) || strings.Contains(body, tc.want) {
			t.Errorf("%v: the client got %q, want %s without the cause", tc.err, body, tc.code)
		}
		var line string
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, "request error") {
				line = l
			}
		}
		if !strings.Contains(line, tc.want) || !strings.Contains(line, "req-7") || !strings.Contains(line, tc.code) {
			t.Errorf("%v: the log line %q lacks the cause, the code or the request id", tc.err, line)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the goroutines of a handler and a test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
