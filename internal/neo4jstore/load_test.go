package neo4jstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/neo4jstore"
	"github.com/orgraph/orgraph/internal/neo4jtest"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
	"github.com/orgraph/orgraph/internal/storetest"
)

// mustOpenEmptyWith is mustOpenEmpty with options: a small LoadBatch makes
// every load of a test a batched one.
func mustOpenEmptyWith(t *testing.T, driver neo4j.DriverWithContext, opts neo4jstore.Options) *neo4jstore.Store {
	t.Helper()
	mustOpenEmpty(t, driver)
	return neo4jstore.Open(driver, "", opts)
}

// loadBoth loads g into memstore and the Neo4j store.
func loadBoth(t *testing.T, mem *memstore.Store, neo *neo4jstore.Store, g *org.Graph) {
	t.Helper()
	ctx := context.Background()
	if err := mem.Load(ctx, g); err != nil {
		t.Fatalf("memstore load: %v", err)
	}
	if err := neo.Load(ctx, g); err != nil {
		t.Fatalf("neo4j load: %v", err)
	}
}

// The reload of TestNeo4jStoreReloadReplacesByID, a transaction per row: a
// node that changes kind, a relation its kind and ends, a duty its unit and
// parent, written in batches, as memstore merges them.
func TestNeo4jBatchedLoadReplacesByID(t *testing.T) {
	driver := neo4jtest.Connect(t)
	neo := mustOpenEmptyWith(t, driver, neo4jstore.Options{LoadBatch: 1})
	mem := memstore.New()
	loadBoth(t, mem, neo, storetest.Tangle())
	src := org.Provenance{Document: "T/1", Provision: "§ 2", Basis: org.Inferred, Reason: "changed"}
	change := &org.Graph{
		Documents: []org.Document{{ID: "T/1", Title: "tangle, amended"}},
		Nodes:     []org.Node{{ID: "x", Kind: org.KindUnit, Name: "Jednostka x", Seq: 9, Source: src}},
		Relations: []org.Relation{
			{ID: "c2", Kind: org.ReportsTo, From: "x", To: "e", Seq: 1, Source: src},
			{ID: "r1", Kind: org.ReportsTo, From: "c", To: "d", Seq: 1, Duty: "a1", Source: src},
		},
		Duties: []org.Duty{
			{ID: "a1a", Unit: "x", Level: org.LevelLetter, Number: "a", Parent: "b1", Text: "przeniesiona", Seq: 2, Source: src},
			{ID: "b1", Unit: "b", Level: org.LevelItem, Number: "1", Text: "obsługa", Seq: 0, Source: src},
		},
	}
	loadBoth(t, mem, neo, change)
	c := comparer{t: t, mem: mem, neo: neo}
	c.everything()
	c.chain("x")
	c.search("przeniesiona", 0)

	back := &org.Graph{Nodes: []org.Node{{ID: "x", Kind: org.KindEntity, Name: "x", Seq: 9, Source: src}}}
	if err := neo.Load(context.Background(), back); org.ErrorCode(err) != org.EINVALID {
		t.Errorf("load making x an entity: got %v, want code %q", err, org.EINVALID)
	}
	c.everything()
}

// amend returns changes to g, a generated graph: renamed nodes, moved and
// rewritten cooperation, rewritten duties, and new units with a reporting
// line and a duty each.
func amend(g *org.Graph) *org.Graph {
	var units []org.Node
	for _, n := range g.Nodes {
		if n.Kind == org.KindUnit {
			units = append(units, n)
		}
	}
	out := &org.Graph{}
	for i, n := range g.Nodes {
		if i%7 == 0 {
			n.Name += " zmieniona"
			out.Nodes = append(out.Nodes, n)
		}
	}
	for i, r := range g.Relations {
		if r.Kind != org.CooperatesWith {
			continue
		}
		switch i % 5 {
		case 0: // other ends
			to := units[(i*31)%len(units)].ID
			if to == r.From {
				continue
			}
			r.To = to
			out.Relations = append(out.Relations, r)
		case 1:
			r.Scope += " zmieniony"
			out.Relations = append(out.Relations, r)
		}
	}
	for i, d := range g.Duties {
		if i%6 == 0 {
			d.Text = "zmieniona " + d.Text
			out.Duties = append(out.Duties, d)
		}
	}
	for i := range 40 {
		n := units[i]
		n.ID, n.Code, n.Seq = fmt.Sprintf("new%03d", i), fmt.Sprintf("N-%03d", i), 100000+i
		out.Nodes = append(out.Nodes, n)
		out.Relations = append(out.Relations, org.Relation{ID: fmt.Sprintf("newr%03d", i), Kind: org.ReportsTo,
			From: n.ID, To: units[i+1].ID, Seq: 100000 + i, Source: n.Source})
		out.Duties = append(out.Duties, org.Duty{ID: n.ID + " pkt 1", Unit: n.ID, Level: org.LevelItem, Number: "1",
			Text: "nowe zadanie", Seq: 100000 + i, Source: n.Source})
	}
	return out
}

// A batched load that fails part way (here: its caller cancels it after a
// few transactions, once among the nodes, once among the relations) is
// undone: the store answers as before, as memstore, which never saw it.
// Loaded in full it answers as memstore does, and loaded again it writes
// nothing.
func TestNeo4jBatchedLoadIsUndoneWhenItFails(t *testing.T) {
	driver := neo4jtest.Connect(t)
	neo := mustOpenEmptyWith(t, driver, neo4jstore.Options{LoadBatch: 200})
	mem := memstore.New()
	g := orggen.Generate(3, 300)
	loadBoth(t, mem, neo, g)
	c := comparer{t: t, mem: mem, neo: neo}
	change := amend(g)
	if err := org.Validate(org.Upsert(g, change)); err != nil {
		t.Fatalf("the amended graph is invalid: %v", err)
	}

	for _, at := range []string{"nodes", "relations"} {
		t.Run("cancelled among the "+at, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var seen []string
			err := neo.LoadWithProgress(ctx, change, func(p neo4jstore.LoadProgress) {
				seen = append(seen, p.Step)
				if p.Step == at {
					cancel()
				}
			})
			if err == nil {
				t.Fatalf("the cancelled load succeeded (steps %v)", seen)
			}
			if !strings.Contains(err.Error(), "undone") {
				t.Errorf("got %v, want an error that says the load was undone", err)
			}
			c.everything()
			c.search("zmieniona", 0)
		})
	}

	t.Run("another load waits for the mark to go", func(t *testing.T) {
		other := neo4jstore.Open(driver, "", neo4jstore.Options{})
		var conflict error
		asked := false
		if err := neo.LoadWithProgress(context.Background(), change, func(p neo4jstore.LoadProgress) {
			if !asked {
				asked = true
				conflict = other.Load(context.Background(), &org.Graph{Documents: []org.Document{{ID: "X/1"}}})
			}
		}); err != nil {
			t.Fatal(err)
		}
		if org.ErrorCode(conflict) != org.ECONFLICT {
			t.Errorf("a load during a batched one: got %v, want code %q", conflict, org.ECONFLICT)
		}
		if err := mem.Load(context.Background(), change); err != nil {
			t.Fatal(err)
		}
		c.everything()
		c.search("zmieniona", 0)
	})

	t.Run("loaded again, it writes nothing", func(t *testing.T) {
		var written int
		if err := neo.LoadWithProgress(context.Background(), org.Upsert(g, change), func(p neo4jstore.LoadProgress) {
			written = p.Rows
		}); err != nil {
			t.Fatal(err)
		}
		if written != 0 {
			t.Errorf("the second load wrote %d rows, want 0", written)
		}
		c.everything()
	})
}

// A load refused by validation writes nothing, batched or not.
func TestNeo4jBatchedLoadRefusedWritesNothing(t *testing.T) {
	driver := neo4jtest.Connect(t)
	neo := mustOpenEmptyWith(t, driver, neo4jstore.Options{LoadBatch: 50})
	mem := memstore.New()
	g := orggen.Generate(4, 100)
	loadBoth(t, mem, neo, g)
	bad := amend(g)
	bad.Relations = append(bad.Relations, org.Relation{ID: "dangling", Kind: org.ReportsTo, From: g.Nodes[5].ID, To: "nobody", Seq: 1})
	err := neo.Load(context.Background(), bad)
	if org.ErrorCode(err) != org.EINVALID || errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want code %q", err, org.EINVALID)
	}
	comparer{t: t, mem: mem, neo: neo}.everything()
}

// BenchmarkNeo4jLoad loads a generated organisation into an emptied
// database and reports relations (and nodes) written per second:
//
//	NEO4J_TEST_URI=bolt://127.0.0.1:7687 go test -run '^$' -bench Neo4jLoad -benchtime 1x ./internal/neo4jstore/
//
// LOAD_UNITS (default 20000) sets the size.
func BenchmarkNeo4jLoad(b *testing.B) {
	units := 20000
	if v := os.Getenv("LOAD_UNITS"); v != "" {
		units, _ = strconv.Atoi(v)
	}
	driver := neo4jtest.Connect(b)
	g := orggen.Generate(1, units)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		mustOpenEmpty(b, driver)
		neo := neo4jstore.Open(driver, "", neo4jstore.Options{LoadTimeout: time.Hour})
		b.StartTimer()
		start := time.Now()
		if err := neo.Load(context.Background(), g); err != nil {
			b.Fatal(err)
		}
		s := time.Since(start).Seconds()
		b.ReportMetric(float64(len(g.Relations))/s, "relations/s")
		b.ReportMetric(float64(len(g.Nodes)+len(g.Duties))/s, "nodes+duties/s")
		b.Logf("%d units: %d nodes, %d relations, %d duties in %.1f s", units, len(g.Nodes), len(g.Relations), len(g.Duties), s)
	}
}
