package observe_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/observe"
	"github.com/orgraph/orgraph/internal/observe/observetest"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/internal/storetest"
)

// The decorator changes no answer: the store contract holds through it,
// scenarios included.
func TestObservedStoreKeepsTheContract(t *testing.T) {
	obs := observe.New(nil)
	open := func(t *testing.T) org.Store { return obs.Store(memstore.New(), "embedded") }
	storetest.Run(t, open)
	storetest.RunScenarios(t, storetest.Harness{Open: open, Overlay: memstore.Overlay})
}

func seeded(t *testing.T) *memstore.Store {
	t.Helper()
	s := memstore.New()
	if err := s.Load(context.Background(), storetest.MustSeed(t)); err != nil {
		t.Fatal(err)
	}
	return s
}

// Over the embedded store, the log, /metrics and the spans agree with
// what each request did (the same check runs over Neo4j in
// internal/neo4jstore).
func TestObservedRequests(t *testing.T) {
	s := seeded(t)
	observetest.Run(t, func(obs *observe.Observer, log *slog.Logger) http.Handler {
		return server.New(&org.Service{Store: obs.Store(s, "embedded"), Overlay: memstore.Overlay}, server.Config{Observer: obs}, log)
	}, nil)
}

// Clients name operations: past a bound, new names share one series, so
// that a client cannot make /metrics grow without end.
func TestOperationNamesAreBounded(t *testing.T) {
	obs := observe.New(nil)
	h := server.New(&org.Service{Store: obs.Store(seeded(t), "embedded"), Overlay: memstore.Overlay},
		server.Config{Observer: obs}, slog.New(slog.DiscardHandler))
	const sent = 260
	for i := range sent {
		body := fmt.Sprintf(`{"query":"query Op%d { documents { title } }"}`, i)
		req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	mf := observetest.Scrape(t, h)
	ops := map[string]bool{}
	for _, m := range mf["orgraph_requests_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "operation" {
				ops[l.GetValue()] = true
			}
		}
	}
	if len(ops) > 201 || !ops["Op0"] || !ops["other"] {
		t.Errorf("%d operation labels (want at most 200 names and other)", len(ops))
	}
	if got := observetest.Sum(mf, "orgraph_requests_total", map[string]string{"route": "/query", "code": "OK"}); got != sent {
		t.Errorf("counted %v requests, sent %d", got, sent)
	}
}

// /metrics carries the Go runtime's and the process's metrics, and the
// scenario and import counters from the first scrape.
func TestMetricsExposeRuntimeAndCounters(t *testing.T) {
	obs := observe.New(nil)
	h := server.New(&org.Service{Store: obs.Store(seeded(t), "embedded"), Overlay: memstore.Overlay},
		server.Config{Observer: obs}, slog.New(slog.DiscardHandler))
	mf := observetest.Scrape(t, h)
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes",
		"orgraph_imports_total", "orgraph_scenario_changes_total", "orgraph_store_calls_in_flight"} {
		if _, ok := mf[name]; !ok {
			t.Errorf("/metrics has no %s", name)
		}
	}
	if g := observetest.Sum(mf, "go_goroutines", nil); g < 1 {
		t.Errorf("go_goroutines %v", g)
	}
}
