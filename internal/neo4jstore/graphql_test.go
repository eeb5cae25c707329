package neo4jstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/orgraph/orgraph/internal/batch"
	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/neo4jstore"
	"github.com/orgraph/orgraph/internal/neo4jtest"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/internal/storetest"
)

// handler serves s as orgraph does: Neo4j through a batching store per
// request, the embedded store (the oracle) as it is.
func handler(s org.Store) http.Handler {
	return server.New(org.NewService(s), server.Config{ComplexityLimit: 1 << 30, RequestStore: perRequest(s)}, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func perRequest(s org.Store) func(org.Store) org.Store {
	if _, remote := s.(*neo4jstore.Store); remote {
		return func(s org.Store) org.Store { return batch.New(s, 0) }
	}
	return nil
}

func ask(t *testing.T, h http.Handler, query string) []byte {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp struct {
		Errors []any `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || len(resp.Errors) > 0 {
		t.Fatalf("query %s: status %d, %s", query, rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes()
}

// TestNeo4jRoundTrips holds a query for all units with their duties,
// superiors and cooperation partners to a fixed number of Cypher round
// trips, whatever the number of units: nested fields go through the
// per-request loaders.
func TestNeo4jRoundTrips(t *testing.T) {
	driver := neo4jtest.Connect(t)
	const query = `{ units { id duties { id } superior { id } cooperation { unit { id } direction } } }`
	trips := map[int]int64{}
	for _, units := range []int{200, 2000} {
		s := mustOpenEmpty(t, driver)
		if err := s.Load(context.Background(), orggen.Generate(7, units)); err != nil {
			t.Fatal(err)
		}
		h := handler(s)
		before := s.RoundTrips()
		out := ask(t, h, query)
		trips[units] = s.RoundTrips() - before
		var resp struct {
			Data struct{ Units []struct{ ID string } }
		}
		if err := json.Unmarshal(out, &resp); err != nil || len(resp.Data.Units) < units {
			t.Fatalf("%d units: got %d units back (%v)", units, len(resp.Data.Units), err)
		}
		t.Logf("%d units: %d round trips", units, trips[units])
	}
	if trips[200] != trips[2000] {
		t.Errorf("round trips grow with the organisation: %d for 200 units, %d for 2,000", trips[200], trips[2000])
	}
	if trips[2000] > 10 {
		t.Errorf("got %d round trips, want at most 10", trips[2000])
	}
}

// TestNeo4jServesWhatMemstoreServes asks the API's questions through the
// real handler over both stores, loaded with the seed, and wants the same
// bytes back.
func TestNeo4jServesWhatMemstoreServes(t *testing.T) {
	driver := neo4jtest.Connect(t)
	mem, n4j := mustLoadBoth(t, driver, storetest.MustSeed(t))
	memH, n4jH := handler(mem), handler(n4j)
	for _, q := range []string{
		`{ chainOfCommand(from: "KS-07") { nodes { id name kind } links { from { id } to { id } kind reversed source { document provision basis reason } } } }`,
		`{ chainOfCommand(from: "rzecznik-prezydenta") { nodes { id } links { kind source { provision } } } }`,
		`{ cooperatingUnits(code: "KS-06") { unit { code } direction declaredBy { id } strength phrase scope duty { id } source { provision basis reason } } }`,
		`{ cooperation(node: "KS-02") { partner { id kind } direction strength } }`,
		`{ taskers(code: "KS-02") { by { id } unit { id } withinReportingLine common source { provision } } }`,
		`{ subordinates(of: "dyrektor-wydzialu", all: true) { node { id } depth superior { id } } }`,
		`{ spanOfControl(of: "prezydent") { node { id } direct total layers } }`,
		`{ shortestPath(from: "KS-01", to: "KS-06") { nodes { id } links { kind reversed } } }`,
		`{ search(text: "wspolpraca") { text node { id } duty { id } } }`,
		`{ overlappingDuties { a { id } b { id } score shared } }`,
		`{ orgChart { nodes { id parentId name kind code depth via { kind } } links { from { id } to { id } kind } } }`,
		`{ units { id code name type source { provision basis } partOf { id } parts { id } head { id } superior { id }
		   duties(includeCommon: true) { id text level number common parent { id } children { id } relations { kind to { id } } } } }`,
		`{ positions { id name heads { id } superior { id } mayTask { unit { id } withinReportingLine } } }`,
		`{ entities { id name category relations { kind from { id } } } }`,
		`{ document { id title date effective repeals repairs { where message } } }`,
	} {
		if got, want := ask(t, n4jH, q), ask(t, memH, q); !bytes.Equal(got, want) {
			t.Errorf("query %s\nneo4j:    %.400s\nembedded: %.400s", q, got, want)
		}
	}
}

// TestNeo4jScenariosThroughTheAPI runs the README's two worked examples
// through the real handler over both stores and wants the same impact, the
// baseline unchanged afterwards.
func TestNeo4jScenariosThroughTheAPI(t *testing.T) {
	driver := neo4jtest.Connect(t)
	mem, n4j := mustLoadBoth(t, driver, storetest.MustSeed(t))
	handlers := []http.Handler{scenarioHandler(mem), scenarioHandler(n4j)}
	const impact = `{ scenarioImpact(scenario: "%s", rules: { maxSpanOfControl: 3 }) {
	  added { id } removed { id } renamed { node { id } before } moved { node { id } before { id } after { id } }
	  chainsChanged { node { id } before { nodes { id } } after { nodes { id } } } cutOff { id }
	  spans { node { id } before { direct total layers } after { direct total layers } changed }
	  unownedDuties { id } heldTwice { a { id } b { id } }
	  cooperationSplits { link { from { id } to { id } source { provision } } before { id } after { id } }
	  taskingOutsideLine { tasking { by { id } unit { id } source { provision } } new }
	  breaches { node { id } rule value limit inBaseline } } }`
	baseline := ask(t, handlers[0], `{ chainOfCommand(from: "KS-07") { nodes { id } } }`)
	for _, change := range []string{
		`{ move: { node: "KS-07", under: "zastepca-dyrektora-ds-promocji" } }`,
		`{ remove: { node: "zastepca-dyrektora-ds-mediow-miejskich" } }`,
	} {
		var answers [][]byte
		for _, h := range handlers {
			var created struct {
				Data struct{ CreateScenario struct{ ID string } }
			}
			if err := json.Unmarshal(ask(t, h, `mutation { createScenario(name: "example") { id } }`), &created); err != nil {
				t.Fatal(err)
			}
			id := created.Data.CreateScenario.ID
			ask(t, h, `mutation { addChange(scenario: "`+id+`", change: `+change+`) { version } }`)
			answers = append(answers, ask(t, h, fmt.Sprintf(impact, id)))
			if got := ask(t, h, `{ chainOfCommand(from: "KS-07") { nodes { id } } }`); !bytes.Equal(got, baseline) {
				t.Errorf("the baseline changed: %s", got)
			}
		}
		if !bytes.Equal(answers[0], answers[1]) {
			t.Errorf("%s\nembedded: %.600s\nneo4j:    %.600s", change, answers[0], answers[1])
		}
		if !bytes.Contains(answers[1], []byte(`"cutOff"`)) {
			t.Errorf("no impact: %s", answers[1])
		}
	}
}

func scenarioHandler(s org.Store) http.Handler {
	svc := &org.Service{Store: s, Overlay: memstore.Overlay}
	return server.New(svc, server.Config{RequestStore: perRequest(s)}, slog.New(slog.NewTextHandler(io.Discard, nil)))
}
