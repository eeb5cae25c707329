package storetest

import (
	"cmp"
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/orgraph/orgraph/internal/org"
)

// Tangle returns a small graph with what the seed lacks: several superiors,
// equal Seq, a reporting cycle, parallel relations in both directions, and
// nodes nothing reaches.
func Tangle() *org.Graph {
	src := org.Provenance{Document: "T/1", Provision: "§ 1", Basis: org.Stated}
	g := &org.Graph{Documents: []org.Document{{ID: "T/1", Title: "tangle", Repeals: []string{"T/0"},
		Repairs: []org.Repair{{Where: "§ 1", Message: "none"}}}}}
	for i, id := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "x", "y"} {
		kind := org.KindUnit
		if id == "x" || id == "y" {
			kind = org.KindEntity
		}
		// Seq repeats in pairs, so that ids break the ties.
		g.Nodes = append(g.Nodes, org.Node{ID: id, Kind: kind, Name: "Węzeł " + id, Code: "T-" + id, Seq: i / 2, Source: src})
	}
	rel := func(id string, kind org.RelationKind, from, to string, seq int) {
		r := org.Relation{ID: id, Kind: kind, From: from, To: to, Seq: seq, Source: src}
		if kind == org.CooperatesWith {
			r.Strength = org.Plain
		}
		g.Relations = append(g.Relations, r)
	}
	rel("r5", org.ReportsTo, "a", "b", 5)
	rel("r4", org.ReportsTo, "a", "c", 5) // same Seq as r5, lower id: a's superior is c
	rel("r1", org.ReportsTo, "c", "d", 1)
	rel("r2", org.ReportsTo, "d", "c", 2) // a cycle: the chain from a stops at d
	rel("r3", org.ReportsTo, "b", "d", 3)
	rel("r6", org.ReportsTo, "e", "a", 6)
	rel("r7", org.ReportsTo, "f", "a", 7)
	rel("r8", org.ReportsTo, "f", "b", 1) // f is two levels below d through b, three through a
	rel("c2", org.CooperatesWith, "g", "h", 1)
	rel("c1", org.CooperatesWith, "h", "g", 1) // g to h walks c1 backwards
	rel("c3", org.CooperatesWith, "h", "a", 2)
	rel("c4", org.CooperatesWith, "g", "e", 2)
	rel("c5", org.CooperatesWith, "e", "b", 3)
	rel("t1", org.Runs, "x", "b", 1)
	g.Duties = []org.Duty{
		{ID: "a1", Unit: "a", Level: org.LevelItem, Number: "1", Text: "współpraca z referatami", Seq: 1, Source: src},
		{ID: "a1a", Unit: "a", Level: org.LevelLetter, Number: "a", Parent: "a1", Text: "ścisła współpraca", Seq: 1, Common: true, Source: src},
		{ID: "b1", Unit: "b", Level: org.LevelItem, Number: "1", Text: "obsługa Węzła", Seq: 0, Source: src},
	}
	return g
}

// Reshaped returns seed with what an applied scenario changes: a unit gone
// with its duties and relations, a unit renamed, a unit added with a
// relation and a duty taken from another unit, a relation changed in kind
// and ends, one dropped, and the document retitled.
func Reshaped(t *testing.T, seed *org.Graph) *org.Graph {
	t.Helper()
	g := MustSeed(t)
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

// InSeqOrder returns g in the order stores return a snapshot in.
func InSeqOrder(g *org.Graph) *org.Graph {
	out := &org.Graph{
		Documents: slices.Clone(g.Documents), Nodes: slices.Clone(g.Nodes),
		Relations: slices.Clone(g.Relations), Duties: slices.Clone(g.Duties),
	}
	slices.SortFunc(out.Documents, func(a, b org.Document) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(out.Nodes, org.CompareNodes)
	slices.SortFunc(out.Relations, org.CompareRelations)
	slices.SortFunc(out.Duties, org.CompareDuties)
	return out
}

// SameGraph reports the first difference of each part of two graphs.
func SameGraph(t *testing.T, what string, got, want *org.Graph) {
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

// MustSnapshot returns s's baseline graph.
func MustSnapshot(t *testing.T, s org.ScenarioStore) *org.Graph {
	t.Helper()
	g, err := s.Snapshot(context.Background())
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	return g
}

func mustFindScenario(t *testing.T, s org.ScenarioStore, want org.Scenario) {
	t.Helper()
	got, err := s.FindScenarioByID(context.Background(), want.ID)
	if err != nil {
		t.Fatalf("find scenario %q: %v", want.ID, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("scenario %q:\n got %+v\nwant %+v", want.ID, got, want)
	}
}
