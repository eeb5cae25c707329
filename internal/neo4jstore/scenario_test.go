package neo4jstore_test

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/neo4jstore"
	"github.com/orgraph/orgraph/internal/neo4jtest"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/storetest"
)

func TestNeo4jScenarioStore(t *testing.T) {
	driver := neo4jtest.Connect(t)
	ctx := context.Background()

	t.Run("the contract", func(t *testing.T) {
		storetest.RunScenarios(t, storetest.Harness{
			Open:    func(t *testing.T) org.Store { return mustOpenEmpty(t, driver) },
			Overlay: memstore.Overlay,
		})
	})

	t.Run("a scenario comes back exactly as it was stored", func(t *testing.T) {
		neo := mustOpenEmpty(t, driver)
		applied := time.Date(2026, 3, 4, 5, 6, 7, 890123456, time.UTC)
		want := org.Scenario{
			ID: "full", Name: "Wszystko", Owner: "planistka", Description: "każde pole, \"cudzysłowy\" i ' apostrofy",
			Version: 7, CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC), AppliedAt: &applied,
			Changes: []org.Change{
				{ID: "c1", Kind: org.ChangeSplit, Node: "KS-01", Name: "Nowy", NewNode: "KS-01b", NodeKind: org.KindUnit,
					Code: "KS-01b", Type: org.UnitSection, PartOf: "KS", Duties: []string{"d1", "d2"}, Note: "bo tak"},
				{ID: "c2", Kind: org.ChangeAddCooperation, From: "KS-01", To: "KS-02", Strength: org.Close, Scope: "w zakresie"},
				{ID: "c3", Kind: org.ChangeReassignDuty, Duty: "d3", To: "KS-03", Duties: []string{}},
			},
		}
		if err := neo.CreateScenario(ctx, want); err != nil {
			t.Fatal(err)
		}
		got, err := neo.FindScenarioByID(ctx, "full")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v\nwant %+v", got, want)
		}
		// A time in another zone comes back as the same instant, in UTC.
		warsaw := time.FixedZone("CET", 3600)
		local := org.Scenario{ID: "local", CreatedAt: time.Date(2026, 1, 2, 4, 4, 5, 6, warsaw)}
		if err := neo.CreateScenario(ctx, local); err != nil {
			t.Fatal(err)
		}
		got, err = neo.FindScenarioByID(ctx, "local")
		if err != nil {
			t.Fatal(err)
		}
		if got.CreatedAt != want.CreatedAt || got.Changes != nil || got.AppliedAt != nil || !got.UpdatedAt.IsZero() {
			t.Errorf("got %+v, want created at %v, no changes, never applied, zero update time", got, want.CreatedAt)
		}
	})

	t.Run("scenarios are listed by creation, then id, and every method knows a missing one", func(t *testing.T) {
		neo := mustOpenEmpty(t, driver)
		if list, err := neo.FindScenarios(ctx); err != nil || len(list) != 0 {
			t.Fatalf("FindScenarios on an empty store: got %v, %v; want none", list, err)
		}
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		// Stored as text, 10:00:00.5 must still come after 10:00:00.
		for _, sc := range []org.Scenario{
			{ID: "b", CreatedAt: at}, {ID: "a", CreatedAt: at.Add(500 * time.Millisecond)},
			{ID: "c", CreatedAt: at}, {ID: "0", CreatedAt: at.Add(time.Hour)}, {ID: "z", CreatedAt: at.Add(-time.Nanosecond)},
		} {
			if err := neo.CreateScenario(ctx, sc); err != nil {
				t.Fatal(err)
			}
		}
		list, err := neo.FindScenarios(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, sc := range list {
			got = append(got, sc.ID)
		}
		if want := []string{"z", "b", "c", "a", "0"}; !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		if err := neo.CreateScenario(ctx, org.Scenario{ID: "b", Name: "again"}); org.ErrorCode(err) != org.ECONFLICT {
			t.Errorf("CreateScenario of a taken id: got %v, want code %q", err, org.ECONFLICT)
		}
		if sc, _ := neo.FindScenarioByID(ctx, "b"); sc.Name != "" {
			t.Errorf("the refused create changed the stored scenario: %+v", sc)
		}
		g, err := neo.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for what, err := range map[string]error{
			"FindScenarioByID": second(neo.FindScenarioByID(ctx, "nobody")),
			"UpdateScenario":   neo.UpdateScenario(ctx, org.Scenario{ID: "nobody"}, 0),
			"DeleteScenario":   neo.DeleteScenario(ctx, "nobody"),
			"ApplyScenario":    neo.ApplyScenario(ctx, g, org.Scenario{ID: "nobody"}, 0),
		} {
			if org.ErrorCode(err) != org.ENOTFOUND {
				t.Errorf("%s of a missing scenario: got %v, want code %q", what, err, org.ENOTFOUND)
			}
		}
	})

	t.Run("an update stores every field at the next version, and a stale one nothing", func(t *testing.T) {
		neo := mustOpenEmpty(t, driver)
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		sc := org.Scenario{ID: "s", Name: "first", Owner: "o", Description: "d", Version: 3, CreatedAt: at, UpdatedAt: at,
			Changes: []org.Change{{ID: "c1", Kind: org.ChangeRename, Node: "KS-01", Name: "x"}}}
		if err := neo.CreateScenario(ctx, sc); err != nil {
			t.Fatal(err)
		}
		upd := sc
		upd.Name, upd.Owner, upd.Description, upd.UpdatedAt, upd.Version = "second", "", "", at.Add(time.Minute), 99
		upd.Changes = append(slices.Clone(sc.Changes), org.Change{ID: "c2", Kind: org.ChangeRemove, Node: "KS-02"})
		if err := neo.UpdateScenario(ctx, upd, 3); err != nil {
			t.Fatal(err)
		}
		want := upd
		want.Version = 4
		mustFindScenario(t, neo, want)
		stale := upd
		stale.Name = "lost"
		for _, version := range []int{3, 5} {
			if err := neo.UpdateScenario(ctx, stale, version); org.ErrorCode(err) != org.ECONFLICT {
				t.Errorf("an update from version %d: got %v, want code %q", version, err, org.ECONFLICT)
			}
		}
		mustFindScenario(t, neo, want)
		if err := neo.DeleteScenario(ctx, "s"); err != nil {
			t.Fatal(err)
		}
		if err := neo.DeleteScenario(ctx, "s"); org.ErrorCode(err) != org.ENOTFOUND {
			t.Errorf("a second delete: got %v, want code %q", err, org.ENOTFOUND)
		}
	})

	t.Run("of eight planners updating one version, exactly one wins and its update is kept", func(t *testing.T) {
		neo := mustOpenEmpty(t, driver)
		for round := range 5 {
			sc := org.Scenario{ID: fmt.Sprintf("race-%d", round), Version: 1}
			if err := neo.CreateScenario(ctx, sc); err != nil {
				t.Fatal(err)
			}
			errs := make([]error, 8)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					c := sc
					c.Name = fmt.Sprintf("planner %d", i)
					c.Changes = []org.Change{{ID: fmt.Sprintf("c%d", i), Kind: org.ChangeRename, Node: "KS-01", Name: c.Name}}
					<-start
					errs[i] = neo.UpdateScenario(ctx, c, 1)
				}()
			}
			close(start)
			wg.Wait()
			winner := -1
			for i, err := range errs {
				switch org.ErrorCode(err) {
				case "":
					if winner >= 0 {
						t.Errorf("round %d: planners %d and %d both won", round, winner, i)
					}
					winner = i
				case org.ECONFLICT:
				default:
					t.Errorf("round %d, planner %d: got %v, want nil or code %q", round, i, err, org.ECONFLICT)
				}
			}
			if winner < 0 {
				t.Fatalf("round %d: nobody won", round)
			}
			got, err := neo.FindScenarioByID(ctx, sc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if name := fmt.Sprintf("planner %d", winner); got.Version != 2 || got.Name != name || len(got.Changes) != 1 || got.Changes[0].Name != name {
				t.Errorf("round %d: got %+v, want the update of planner %d at version 2", round, got, winner)
			}
		}
	})

	t.Run("an empty store's snapshot is empty", func(t *testing.T) {
		neo := mustOpenEmpty(t, driver)
		if err := neo.CreateScenario(ctx, org.Scenario{ID: "not in the graph"}); err != nil {
			t.Fatal(err)
		}
		g, err := neo.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(g, &org.Graph{}) {
			t.Errorf("got %+v, want an empty graph", g)
		}
	})

	for name, g := range map[string]func() *org.Graph{"seed": func() *org.Graph { return storetest.MustSeed(t) }, "tangle": tangle} {
		t.Run("the snapshot of the "+name+" is memstore's, and the loaded graph in Seq order", func(t *testing.T) {
			mem, neo := mustLoadBoth(t, driver, g())
			start := time.Now()
			got, err := neo.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("snapshot in %s", time.Since(start).Round(time.Millisecond))
			want, err := mem.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			sameGraph(t, "memstore", got, want)
			sameGraph(t, "loaded", got, inSeqOrder(g()))
			if len(got.Documents) == 0 || len(got.Documents[0].Repairs) == 0 || got.Documents[0].Text == "" && name == "seed" {
				t.Errorf("the documents lack their text or repairs: %+v", got.Documents)
			}
		})
	}

	t.Run("applying a scenario replaces the baseline exactly, as memstore does", func(t *testing.T) {
		seed := storetest.MustSeed(t)
		mem, neo := mustLoadBoth(t, driver, seed)
		at := time.Date(2026, 2, 3, 4, 5, 6, 7, time.UTC)
		sc := org.Scenario{ID: "plan", Name: "plan", Version: 1, CreatedAt: at, UpdatedAt: at}
		for _, s := range []org.ScenarioStore{mem, neo} {
			if err := s.CreateScenario(ctx, sc); err != nil {
				t.Fatal(err)
			}
		}
		g := reshaped(t, seed)
		sc.AppliedAt = &at
		sc.Changes = []org.Change{{ID: "c1", Kind: org.ChangeRemove, Node: "KS-05"}}
		before := neo.RoundTrips()
		start := time.Now()
		if err := neo.ApplyScenario(ctx, g, sc, 1); err != nil {
			t.Fatal(err)
		}
		t.Logf("applied in %s, %d statements", time.Since(start).Round(time.Millisecond), neo.RoundTrips()-before)
		if err := mem.ApplyScenario(ctx, g, sc, 1); err != nil {
			t.Fatal(err)
		}
		got := mustSnapshot(t, neo)
		sameGraph(t, "applied", got, inSeqOrder(g))
		sameGraph(t, "memstore", got, mustSnapshot(t, mem))
		want := sc
		want.Version = 2
		mustFindScenario(t, neo, want)
		c := comparer{t: t, mem: mem, neo: neo}
		c.everything()
		c.lookups([]string{"KS-01", "KS-05", "KS-09"}, []string{"KS-05", "KS-09"})
		c.chain("KS-09")
		c.subordinates("dyrektor-wydzialu", 0)
		c.search("nowy referat", 0)
		mustHaveNoStrays(t, driver, g)

		// And back: applying the seed restores it exactly.
		if err := neo.ApplyScenario(ctx, seed, sc, 2); err != nil {
			t.Fatal(err)
		}
		sameGraph(t, "restored", mustSnapshot(t, neo), inSeqOrder(storetest.MustSeed(t)))
		mustHaveNoStrays(t, driver, seed)
	})

	t.Run("a refused apply changes neither the baseline nor the scenario", func(t *testing.T) {
		seed := storetest.MustSeed(t)
		neo := mustOpenEmpty(t, driver)
		if err := neo.Load(ctx, seed); err != nil {
			t.Fatal(err)
		}
		sc := org.Scenario{ID: "plan", Name: "plan", Version: 1}
		if err := neo.CreateScenario(ctx, sc); err != nil {
			t.Fatal(err)
		}
		want := mustSnapshot(t, neo)
		g := reshaped(t, seed)
		broken := reshaped(t, seed)
		broken.Relations = append(broken.Relations, org.Relation{ID: "dangling", Kind: org.ReportsTo, From: "KS-09", To: "nobody",
			Source: org.Provenance{Document: "3468/2024", Provision: "§ 1", Basis: org.Stated}})
		applied := sc
		now := time.Now().UTC()
		applied.AppliedAt = &now
		for _, tc := range []struct {
			name    string
			g       *org.Graph
			version int
			code    string
		}{
			{"a broken graph", broken, 1, org.EINVALID},
			{"no graph", nil, 1, org.EINVALID},
			{"a stale version", g, 0, org.ECONFLICT},
			{"a version ahead", g, 2, org.ECONFLICT},
		} {
			if err := neo.ApplyScenario(ctx, tc.g, applied, tc.version); org.ErrorCode(err) != tc.code {
				t.Errorf("%s: got %v, want code %q", tc.name, err, tc.code)
			}
			sameGraph(t, tc.name, mustSnapshot(t, neo), want)
			mustFindScenario(t, neo, sc)
		}
	})

	t.Run("of an apply and an update from one version, exactly one wins", func(t *testing.T) {
		seed := storetest.MustSeed(t)
		neo := mustOpenEmpty(t, driver)
		if err := neo.Load(ctx, seed); err != nil {
			t.Fatal(err)
		}
		sc := org.Scenario{ID: "plan", Version: 1}
		if err := neo.CreateScenario(ctx, sc); err != nil {
			t.Fatal(err)
		}
		g := reshaped(t, seed)
		var applyErr, updateErr error
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); applyErr = neo.ApplyScenario(ctx, g, sc, 1) }()
		go func() { defer wg.Done(); updateErr = neo.UpdateScenario(ctx, sc, 1) }()
		wg.Wait()
		codes := []string{org.ErrorCode(applyErr), org.ErrorCode(updateErr)}
		if slices.Compare(codes, []string{"", org.ECONFLICT}) != 0 && slices.Compare(codes, []string{org.ECONFLICT, ""}) != 0 {
			t.Fatalf("apply: %v; update: %v; want one nil and one conflict", applyErr, updateErr)
		}
		want := inSeqOrder(seed)
		if applyErr == nil {
			want = inSeqOrder(g)
		}
		sameGraph(t, "after the race", mustSnapshot(t, neo), want)
	})
}

// reshaped returns seed with what an applied scenario changes: a unit gone
// with its duties and relations, a unit renamed, a unit added with a
// relation and a duty taken from another unit, a relation changed in kind
// and ends, one dropped, and the document retitled.
func reshaped(t *testing.T, seed *org.Graph) *org.Graph {
	t.Helper()
	g := storetest.MustSeed(t)
	src := org.Provenance{Document: "3468/2024", Provision: "§ 2", Basis: org.Inferred, Reason: "the plan"}
	gone := func(id string) bool { return id == "KS-05" }
	g.Nodes = slices.DeleteFunc(g.Nodes, func(n org.Node) bool { return gone(n.ID) })
	g.Relations = slices.DeleteFunc(g.Relations, func(r org.Relation) bool { return gone(r.From) || gone(r.To) })
	g.Duties = slices.DeleteFunc(g.Duties, func(d org.Duty) bool { return gone(d.Unit) })
	if len(g.Nodes) == len(seed.Nodes) || len(g.Relations) == len(seed.Relations) || len(g.Duties) == len(seed.Duties) {
		t.Fatal("the seed has no KS-05 with relations and duties to remove")
	}
	top := 0
	for _, n := range g.Nodes {
		top = max(top, n.Seq)
	}
	for i, n := range g.Nodes {
		if n.ID == "KS-01" {
			g.Nodes[i].Name = "Referat Organizacyjny"
		}
	}
	g.Nodes = append(g.Nodes, org.Node{ID: "KS-09", Kind: org.KindUnit, Name: "Nowy Referat", Code: "KS-09",
		Type: org.UnitSection, Seq: top + 1, Source: src})
	g.Relations = append(g.Relations, org.Relation{ID: "plan-1", Kind: org.ReportsTo, From: "KS-09", To: "dyrektor-wydzialu",
		Seq: top + 1, Source: src})
	// A duty without letters moves to the new unit.
	parents := map[string]bool{}
	for _, d := range g.Duties {
		parents[d.Parent] = true
	}
	i := slices.IndexFunc(g.Duties, func(d org.Duty) bool { return d.Unit == "KS-04" && !parents[d.ID] })
	if i < 0 {
		t.Fatal("the seed has no duty of KS-04 to move")
	}
	g.Duties[i].Unit = "KS-09"
	// A cooperation becomes a tasking the other way round.
	i = slices.IndexFunc(g.Relations, func(r org.Relation) bool { return r.Kind == org.CooperatesWith })
	r := &g.Relations[i]
	r.Kind, r.From, r.To, r.Strength, r.Phrase, r.Scope = org.MayTask, "dyrektor-wydzialu", r.From, "", "", ""
	g.Relations = slices.Delete(g.Relations, i+1, i+2)
	g.Documents[0].Title += " (po zmianach)"
	if err := org.Validate(g); err != nil {
		t.Fatalf("the reshaped seed: %v", err)
	}
	return g
}

// inSeqOrder returns g in the order stores return a snapshot in.
func inSeqOrder(g *org.Graph) *org.Graph {
	out := &org.Graph{
		Documents: slices.Clone(g.Documents), Nodes: slices.Clone(g.Nodes),
		Relations: slices.Clone(g.Relations), Duties: slices.Clone(g.Duties),
	}
	slices.SortFunc(out.Documents, func(a, b org.Document) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(out.Nodes, org.CompareNodes)
	slices.SortFunc(out.Relations, func(a, b org.Relation) int { return cmp.Or(cmp.Compare(a.Seq, b.Seq), cmp.Compare(a.ID, b.ID)) })
	slices.SortFunc(out.Duties, func(a, b org.Duty) int { return cmp.Or(cmp.Compare(a.Seq, b.Seq), cmp.Compare(a.ID, b.ID)) })
	return out
}

// sameGraph reports the first difference of each part of two graphs.
func sameGraph(t *testing.T, what string, got, want *org.Graph) {
	t.Helper()
	sameItems(t, what+": documents", got.Documents, want.Documents)
	sameItems(t, what+": nodes", got.Nodes, want.Nodes)
	sameItems(t, what+": relations", got.Relations, want.Relations)
	sameItems(t, what+": duties", got.Duties, want.Duties)
}

func sameItems[T any](t *testing.T, what string, got, want []T) {
	t.Helper()
	for i := range min(len(got), len(want)) {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("%s, item %d:\n got %+v\nwant %+v", what, i, got[i], want[i])
			return
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: got %d, want %d", what, len(got), len(want))
	}
}

func mustSnapshot(t *testing.T, s org.ScenarioStore) *org.Graph {
	t.Helper()
	g, err := s.Snapshot(context.Background())
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	return g
}

func mustFindScenario(t *testing.T, s *neo4jstore.Store, want org.Scenario) {
	t.Helper()
	got, err := s.FindScenarioByID(context.Background(), want.ID)
	if err != nil {
		t.Fatalf("find scenario %q: %v", want.ID, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("scenario %q:\n got %+v\nwant %+v", want.ID, got, want)
	}
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
		{`MATCH (n) WHERE NOT n:Scenario RETURN count(n)`, int64(len(g.Nodes) + len(g.Duties) + len(g.Documents))},
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

func second[T any](_ T, err error) error { return err }
