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
	"time"

	"github.com/orgraph/orgraph/internal/batch"
	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/neo4jstore"
	"github.com/orgraph/orgraph/internal/neo4jtest"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/internal/server/servertest"
	"github.com/orgraph/orgraph/internal/storetest"
)

// handler serves s as orgraph does: Neo4j through a batching store per
// request, the embedded store (the oracle) as it is.
func handler(s org.Store) http.Handler {
	return server.New(org.NewService(s), server.Config{ComplexityLimit: 1 << 30, RequestStore: perRequest(s), Timeout: 10 * time.Minute}, slog.New(slog.NewTextHandler(io.Discard, nil)))
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
		t.Fatalf("query %s: status %d, %.2000s", query, rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes()
}

// roundTrips asks query through h and returns how many Cypher statements
// the store sent for it.
func roundTrips(t *testing.T, s *neo4jstore.Store, h http.Handler, query string) int64 {
	t.Helper()
	before := s.RoundTrips()
	ask(t, h, query)
	return s.RoundTrips() - before
}

// TestNeo4jReferenceQueriesTakeOneStatement holds the three reference
// queries (shared/bench) to one Cypher statement each: the question and
// every nested field of its answer come back in one round trip.
func TestNeo4jReferenceQueriesTakeOneStatement(t *testing.T) {
	driver := neo4jtest.Connect(t)
	_, s := mustLoadBoth(t, driver, storetest.MustSeed(t))
	h := handler(s)
	for name, q := range map[string]string{
		"Q1 chain of command": `{ chainOfCommand(from: "KS-07") { links { from { id name } to { id name } source { provision basis reason } } } }`,
		"Q2 cooperation":      `{ cooperatingUnits(code: "KS-06") { unit { code name } direction declaredBy { id } strength source { provision basis reason } } }`,
		"Q3 units nested": `{ units { code name duties { text source { provision } } superior { id name }
		  cooperation { unit { code name } direction strength source { provision basis } } } }`,
	} {
		if got := roundTrips(t, s, h, q); got != 1 {
			t.Errorf("%s: %d statements, want 1", name, got)
		}
	}
}

// TestNeo4jRoundTrips holds every kind of query to a fixed, small number of
// Cypher statements, whatever the size of the organisation: lists come
// with what their elements ask for, and nested look-ups are batched.
func TestNeo4jRoundTrips(t *testing.T) {
	driver := neo4jtest.Connect(t)
	queries := []struct {
		name  string
		query string
		max   int64
	}{
		{"units with every nested field", `{ units { id code name type source { provision }
		  duties(includeCommon: true) { id text parent { id } children { id } relations { kind to { id } } }
		  superior { id name } partOf { id } parts { id } head { id name }
		  cooperation { unit { id } direction declaredBy { id } duty { id } }
		  taskers { by { id } unit { id } withinReportingLine common }
		  relations { kind from { id } to { id } } chainOfCommand { nodes { id } links { kind } } } }`, 3},
		{"positions with their units and tasking", `{ positions { id heads { id } superior { id }
		  mayTask { unit { id } withinReportingLine } relations(direction: OUTGOING) { kind to { id } } } }`, 2},
		{"entities with their relations", `{ entities { id category relations { kind from { id name } } } }`, 1},
		{"a deep chain of command", `{ chainOfCommand(from: "G-00150") { nodes { id } links { from { id } to { id } kind } } }`, 1},
		{"cooperation of one unit", `{ cooperatingUnits(code: "G-00100") { unit { id } declaredBy { id } duty { id } } }`, 2},
		{"an org chart", `{ orgChart { nodes { id parentId } links { from { id } to { id } kind } } }`, 3},
	}
	trips := map[int][]int64{}
	// Five times the size is enough to tell a statement per node from a
	// statement per request; 2,000 units took half a minute more of make
	// test under the race detector.
	for _, units := range []int{200, 1000} {
		s := mustOpenEmpty(t, driver)
		if err := s.Load(context.Background(), orggen.Generate(7, units)); err != nil {
			t.Fatal(err)
		}
		h := handler(s)
		for _, q := range queries {
			trips[units] = append(trips[units], roundTrips(t, s, h, q.query))
		}
	}
	for i, q := range queries {
		small, large := trips[200][i], trips[1000][i]
		t.Logf("%s: %d statements at 200 units, %d at 1,000", q.name, small, large)
		if small != large {
			t.Errorf("%s: statements grow with the organisation: %d at 200 units, %d at 1,000", q.name, small, large)
		}
		if large > q.max {
			t.Errorf("%s: %d statements, want at most %d", q.name, large, q.max)
		}
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
	return server.New(svc, server.Config{RequestStore: perRequest(s), Auth: servertest.Auth("admin")}, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// TestNeo4jKeptAnswersFollowAnotherServersApply runs two servers with kept
// answers on one database: when one applies a scenario, the other stops
// serving what it kept, at its next request.
func TestNeo4jKeptAnswersFollowAnotherServersApply(t *testing.T) {
	driver := neo4jtest.Connect(t)
	_, first := mustLoadBoth(t, driver, storetest.MustSeed(t))
	second := neo4jstore.Open(driver, "", neo4jstore.Options{})
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	serve := func(s *neo4jstore.Store) http.Handler {
		return server.New(&org.Service{Store: s, Overlay: memstore.Overlay},
			server.Config{AnswerCacheBytes: 1 << 20, RequestStore: perRequest(s), Auth: servertest.Auth("admin")}, quiet)
	}
	a, b := serve(first), serve(second)
	const chain = `{ chainOfCommand(from: "KS-07") { nodes { id } } }`
	before := ask(t, a, chain)
	trips := first.RoundTrips()
	if again := ask(t, a, chain); !bytes.Equal(again, before) || first.RoundTrips()-trips != 1 {
		t.Errorf("a kept answer: got %s in %d statements, want %s in 1 (the revision)", again, first.RoundTrips()-trips, before)
	}
	var created struct {
		Data struct{ CreateScenario struct{ ID string } }
	}
	if err := json.Unmarshal(ask(t, b, `mutation { createScenario(name: "move") { id } }`), &created); err != nil {
		t.Fatal(err)
	}
	id := created.Data.CreateScenario.ID
	ask(t, b, `mutation { addChange(scenario: "`+id+`", change: { move: { node: "KS-07", under: "zastepca-dyrektora-ds-promocji" } }) { version } }`)
	ask(t, b, `mutation { submitScenario(id: "`+id+`") { id } }`)
	ask(t, b, `mutation { approveScenario(id: "`+id+`") { id } }`)
	ask(t, b, `mutation { applyScenario(id: "`+id+`") { id } }`)
	after := ask(t, a, chain)
	if bytes.Equal(after, before) || !bytes.Contains(after, []byte("zastepca-dyrektora-ds-promocji")) {
		t.Errorf("after the other server's apply: %s", after)
	}
	if want := ask(t, b, chain); !bytes.Equal(after, want) {
		t.Errorf("the two servers disagree: %s and %s", after, want)
	}
}

// The history through the API over Neo4j: the same golden answers as the
// embedded store's (internal/server's TestHistoryThroughTheAPI).
func TestNeo4jHistoryThroughTheAPI(t *testing.T) {
	driver := neo4jtest.Connect(t)
	servertest.RunHistory(t, func(t *testing.T) org.Store { return mustOpenEmpty(t, driver) },
		func(s org.Store) org.Store { return batch.New(s, 0) })
}
