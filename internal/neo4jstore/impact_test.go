package neo4jstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/neo4jstore"
	"github.com/orgraph/orgraph/internal/neo4jtest"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
	"github.com/orgraph/orgraph/internal/storetest"
)

// TestNeo4jScenarioImpactIsMemstores: for random scenarios on a generated
// organisation kept in Neo4j, the scenario's view answers and the impact
// is what the embedded store (checked against the slow impact in
// internal/org) gives for the same baseline and changes; edits are checked
// against the baseline kept by revision.
func TestNeo4jScenarioImpactIsMemstores(t *testing.T) {
	ctx := org.WithPrincipal(context.Background(), org.Principal{Subject: "test", Role: org.RolePlanner})
	driver := neo4jtest.Connect(t)
	g := orggen.Generate(5, 150)
	mem, neo := mustLoadBoth(t, driver, g)
	memSvc := &org.Service{Store: mem, Overlay: memstore.Overlay}
	neoSvc := &org.Service{Store: neo, Overlay: memstore.Overlay}
	for trial := range int64(3) {
		changes := orggen.Changes(trial, g, 20+20*int(trial))
		var views [2]*org.Service
		var impacts [2]org.Impact
		for i, svc := range []*org.Service{memSvc, neoSvc} {
			sc, err := svc.CreateScenario(ctx, fmt.Sprint(trial), "")
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range changes {
				if sc, err = svc.AddChange(ctx, sc.ID, c); err != nil {
					t.Fatalf("trial %d: %v", trial, err)
				}
			}
			if views[i], err = svc.View(ctx, sc.ID); err != nil {
				t.Fatal(err)
			}
			if impacts[i], err = svc.Impact(ctx, sc.ID, org.Rules{MaxSpan: 4, MaxDepth: 5}); err != nil {
				t.Fatal(err)
			}
		}
		// The planned facts cite the scenario's document, whose id differs.
		for _, s := range []org.Store{views[0].Store, views[1].Store} {
			if n, err := s.FindNodes(ctx, org.NodeFilter{}); err != nil || len(n) == 0 {
				t.Fatalf("a view holds no nodes: %v", err)
			}
		}
		if a, b := withoutDocument(impacts[0]), withoutDocument(impacts[1]); a != b {
			i := 0
			for i < min(len(a), len(b)) && a[i] == b[i] {
				i++
			}
			t.Fatalf("trial %d: Neo4j's impact differs from memstore's at\n%.300s\nwant\n%.300s", trial, b[max(i-100, 0):], a[max(i-100, 0):])
		}
		if len(impacts[0].Moved) == 0 || len(impacts[0].TaskingOutside) == 0 {
			t.Fatalf("trial %d: an impact with too little in it to tell", trial)
		}
	}
}

// withoutDocument is im with the scenario's document left out of what
// its planned facts cite: two stores' scenarios have different ids.
func withoutDocument(im org.Impact) string {
	s, err := json.Marshal(im)
	if err != nil {
		panic(err)
	}
	return scenarioDoc.ReplaceAllString(string(s), "scenario:X")
}

// BenchmarkNeo4jScenarioImpact: a 100-change scenarioImpact over Neo4j at
// 2,000 and 20,000 generated units (BENCH_UNITS=2000 for one size):
//
//	NEO4J_TEST_URI=bolt://127.0.0.1:7687 go test -run '^$' -bench Neo4jScenarioImpact -benchtime 3x ./internal/neo4jstore/
func BenchmarkNeo4jScenarioImpact(b *testing.B) {
	driver := neo4jtest.Connect(b)
	open := func(tb testing.TB) org.Store {
		mustOpenEmpty(tb, driver)
		return neo4jstore.Open(driver, "", neo4jstore.Options{LoadTimeout: time.Hour})
	}
	storetest.BenchScenarioImpact(b, benchSizes(), open, memstore.Overlay)
}

var scenarioDoc = regexp.MustCompile(`scenario:[0-9a-f]{16}`)

func benchSizes() []int {
	if v, err := strconv.Atoi(os.Getenv("BENCH_UNITS")); err == nil && v > 0 {
		return []int{v}
	}
	return storetest.ScenarioImpactSizes
}
