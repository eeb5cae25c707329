package neo4jstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/neo4jstore"
	"github.com/orgraph/orgraph/internal/neo4jtest"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/storetest"
)

// What every scenario store does is in storetest.RunScenarios; here is what
// only Neo4j has: times kept as text, memstore as the oracle of whole
// snapshots and applies, round trips, and nodes Snapshot cannot see.
func TestNeo4jScenarioStore(t *testing.T) {
	driver := neo4jtest.Connect(t)
	ctx := context.Background()

	t.Run("the contract", func(t *testing.T) {
		storetest.RunScenarios(t, storetest.Harness{
			Open:    func(t *testing.T) org.Store { return mustOpenEmpty(t, driver) },
			Overlay: memstore.Overlay,
			// A restart is a new store over the same database.
			Reopen: func(t *testing.T, _ org.Store) org.Store { return neo4jstore.Open(driver, "", neo4jstore.Options{}) },
		})
	})

	t.Run("the history", func(t *testing.T) {
		storetest.RunHistory(t, storetest.Harness{
			Open:    func(t *testing.T) org.Store { return mustOpenEmpty(t, driver) },
			Overlay: memstore.Overlay,
		})
	})

	t.Run("a time in another zone comes back as the same instant, in UTC", func(t *testing.T) {
		neo := mustOpenEmpty(t, driver)
		warsaw := time.FixedZone("CET", 3600)
		local := org.Scenario{ID: "local", CreatedAt: time.Date(2026, 1, 2, 4, 4, 5, 6, warsaw)}
		if err := neo.CreateScenario(ctx, local); err != nil {
			t.Fatal(err)
		}
		got, err := neo.FindScenarioByID(ctx, "local")
		if err != nil {
			t.Fatal(err)
		}
		want := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
		if got.CreatedAt != want || got.Changes != nil || got.AppliedAt != nil || !got.UpdatedAt.IsZero() {
			t.Errorf("got %+v, want created at %v, no changes, never applied, zero update time", got, want)
		}
	})

	for name, g := range map[string]func() *org.Graph{"seed": func() *org.Graph { return storetest.MustSeed(t) }, "tangle": storetest.Tangle} {
		t.Run("the snapshot of the "+name+" is memstore's", func(t *testing.T) {
			mem, neo := mustLoadBoth(t, driver, g())
			start := time.Now()
			got, err := neo.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("snapshot in %s", time.Since(start).Round(time.Millisecond))
			storetest.SameGraph(t, "memstore", got, storetest.MustSnapshot(t, mem))
		})
	}

	t.Run("applying a scenario replaces the baseline as memstore does, and leaves no strays", func(t *testing.T) {
		seed := storetest.MustSeed(t)
		mem, neo := mustLoadBoth(t, driver, seed)
		at := time.Date(2026, 2, 3, 4, 5, 6, 7, time.UTC)
		sc := org.Scenario{ID: "plan", Name: "plan", Version: 1, CreatedAt: at, UpdatedAt: at}
		for _, s := range []org.ScenarioStore{mem, neo} {
			if err := s.CreateScenario(ctx, sc); err != nil {
				t.Fatal(err)
			}
		}
		g := storetest.Reshaped(t, seed)
		sc.AppliedAt = &at
		sc.Changes = []org.Change{{ID: "c1", Kind: org.ChangeRemove, Node: "KS-05"}}
		before := neo.RoundTrips()
		start := time.Now()
		if err := neo.ApplyScenario(ctx, g, sc, 1, storetest.Entry()); err != nil {
			t.Fatal(err)
		}
		t.Logf("applied in %s, %d statements", time.Since(start).Round(time.Millisecond), neo.RoundTrips()-before)
		if err := mem.ApplyScenario(ctx, g, sc, 1, storetest.Entry()); err != nil {
			t.Fatal(err)
		}
		storetest.SameGraph(t, "memstore", storetest.MustSnapshot(t, neo), storetest.MustSnapshot(t, mem))
		c := comparer{t: t, mem: mem, neo: neo}
		c.everything()
		c.lookups([]string{"KS-01", "KS-05", "KS-09"}, []string{"KS-05", "KS-09"})
		c.chain("KS-09")
		c.subordinates("dyrektor-wydzialu", 0)
		c.search("nowy referat", 0)
		mustHaveNoStrays(t, driver, g)

		// And back: applying the seed leaves no strays either.
		if err := neo.ApplyScenario(ctx, seed, sc, 2, storetest.Entry()); err != nil {
			t.Fatal(err)
		}
		mustHaveNoStrays(t, driver, seed)
	})
}

// mustHaveNoStrays checks what Snapshot cannot see: no duty without a unit,
// one HAS_DUTY per duty, one PART_OF_DUTY per letter or dash, and no other
// node than the graph's and the scenarios.
func mustHaveNoStrays(t *testing.T, driver neo4j.DriverWithContext, g *org.Graph) {
	t.Helper()
	for _, tc := range []struct {
		query string
		want  int64
	}{
		{`MATCH (d:Duty) RETURN count(d)`, int64(len(g.Duties))},
		{`MATCH ()-[h:HAS_DUTY]->() RETURN count(h)`, int64(len(g.Duties))},
		{`MATCH ()-[p:PART_OF_DUTY]->() RETURN count(p)`, count(g.Duties, func(d org.Duty) bool { return d.Parent != "" })},
		{`MATCH ()-[r]->() WHERE NOT type(r) IN ['HAS_DUTY', 'PART_OF_DUTY'] RETURN count(r)`, int64(len(g.Relations))},
		{`MATCH (n) WHERE NOT n:Scenario AND NOT n:Baseline AND NOT n:AuditEntry RETURN count(n)`, int64(len(g.Nodes) + len(g.Duties) + len(g.Documents))},
		{`MATCH (b:Baseline) RETURN count(b)`, 1}, // the revision, one node however many writes
	} {
		res, err := neo4j.ExecuteQuery(context.Background(), driver, tc.query, nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		if got := res.Records[0].Values[0]; got != tc.want {
			t.Errorf("%s: got %v, want %d", tc.query, got, tc.want)
		}
	}
}
