package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orgraph/orgraph/graph"
	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/internal/server/servertest"
	"github.com/orgraph/orgraph/internal/storetest"
)

// heldStore holds every chain of command read until release is closed,
// whatever its context says.
type heldStore struct {
	*memstore.Store
	entered chan struct{}
	release chan struct{}
}

func (s *heldStore) ChainsOfCommand(ctx context.Context, f org.NodeFilter) ([]org.Path, error) {
	s.entered <- struct{}{}
	<-s.release
	return s.Store.ChainsOfCommand(ctx, f)
}

// heldHandler is the handler over the seed in a heldStore, with cfg.
func heldHandler(t *testing.T, cfg server.Config) (http.Handler, *heldStore) {
	t.Helper()
	mem := memstore.New()
	if err := mem.Load(context.Background(), storetest.MustSeed(t)); err != nil {
		t.Fatal(err)
	}
	st := &heldStore{Store: mem, entered: make(chan struct{}, 1), release: make(chan struct{})}
	cfg.Auth = servertest.Auth("admin")
	return server.New(&org.Service{Store: st, Overlay: memstore.Overlay}, cfg, slog.New(slog.NewTextHandler(io.Discard, nil))), st
}

// TestConcurrentReads: with one read at a time, a second query waits for
// the first, held in the store, while a mutation does not; with no bound,
// the second query is answered while the first is still held.
func TestConcurrentReads(t *testing.T) {
	for _, tc := range []struct {
		name        string
		reads       int
		secondWaits bool
	}{
		{"one at a time", 1, true},
		{"no bound", -1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, st := heldHandler(t, server.Config{ConcurrentReads: tc.reads})
			var wg sync.WaitGroup
			var held response
			wg.Go(func() { held = send(t, h, chainQuery, map[string]any{"from": "KS-07"}) })
			select {
			case <-st.entered:
			case <-time.After(10 * time.Second):
				t.Fatal("the chain of command never reached the store")
			}
			second := make(chan response, 1)
			wg.Go(func() { second <- send(t, h, `{ units { id } }`, nil) })

			// A mutation is answered while the first query holds its slot.
			var created struct{ CreateScenario struct{ ID string } }
			post(t, h, `mutation { createScenario(name: "while reading") { id } }`, nil, &created)
			if created.CreateScenario.ID == "" {
				t.Error("the mutation gave no scenario")
			}
			if tc.secondWaits {
				// Time enough to be answered, were it not waiting.
				select {
				case r := <-second:
					t.Fatalf("the second query was answered while the only read slot was held: %s %v", r.Data, r.Errors)
				case <-time.After(300 * time.Millisecond):
				}
				close(st.release)
			} else {
				r := <-second // answered though the first is still held
				if len(r.Errors) > 0 || len(r.Data) == 0 {
					t.Errorf("second query: %s %v", r.Data, r.Errors)
				}
				close(st.release)
			}
			wg.Wait()
			if len(held.Errors) > 0 {
				t.Errorf("the held query failed: %v", held.Errors)
			}
			if tc.secondWaits {
				if r := <-second; len(r.Errors) > 0 || len(r.Data) == 0 {
					t.Errorf("the second query, after the first: %s %v", r.Data, r.Errors)
				}
			}
		})
	}
}

// TestConcurrentReadsWaitEndsWithTheRequest: a query that waits for a slot
// past its request's deadline is answered UNAVAILABLE, not held.
func TestConcurrentReadsWaitEndsWithTheRequest(t *testing.T) {
	h, st := heldHandler(t, server.Config{ConcurrentReads: 1, Timeout: 300 * time.Millisecond})
	done := make(chan struct{})
	go func() { defer close(done); send(t, h, chainQuery, map[string]any{"from": "KS-07"}) }()
	<-st.entered
	answered := make(chan *httptest.ResponseRecorder, 1)
	go func() {
		req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(`{"query": "{ units { id } }"}`))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		answered <- rec
	}()
	select {
	case rec := <-answered:
		var r response
		_ = json.Unmarshal(rec.Body.Bytes(), &r)
		if rec.Code != http.StatusServiceUnavailable || len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "TIMEOUT" {
			t.Errorf("a query that waited past its deadline: HTTP %d %s, want 503 TIMEOUT", rec.Code, rec.Body.String())
		}
	case <-time.After(10 * time.Second):
		t.Error("a query waiting for a read slot was held past its request's deadline")
	}
	close(st.release)
	<-done
}

// TestConcurrentReadsWaitEndsWithTheContext: the GraphQL handler alone (no
// request timeout in front of it) answers a query whose context ends while
// it waits for a slot UNAVAILABLE, not an internal error.
func TestConcurrentReadsWaitEndsWithTheContext(t *testing.T) {
	mem := memstore.New()
	if err := mem.Load(context.Background(), storetest.MustSeed(t)); err != nil {
		t.Fatal(err)
	}
	st := &heldStore{Store: mem, entered: make(chan struct{}, 1), release: make(chan struct{})}
	gql := graph.NewServer(&org.Service{Store: st, Overlay: memstore.Overlay}, 0, slog.New(slog.NewTextHandler(io.Discard, nil)))
	graph.LimitReads(gql, 1)
	post := func(ctx context.Context, query string) *httptest.ResponseRecorder {
		body, _ := json.Marshal(map[string]any{"query": query})
		req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(string(body))).WithContext(ctx)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		gql.ServeHTTP(rec, req)
		return rec
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		post(context.Background(), `{ chainOfCommand(from: "KS-07") { nodes { id } } }`)
	}()
	<-st.entered
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	rec := post(ctx, `{ units { id } }`)
	close(st.release)
	<-done
	var r response
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatalf("HTTP %d %q: %v", rec.Code, rec.Body.String(), err)
	}
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "UNAVAILABLE" {
		t.Errorf("a query whose context ended while it waited: HTTP %d %s, want UNAVAILABLE", rec.Code, rec.Body.String())
	}
}
