package orggen_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/ordinance"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
	"github.com/orgraph/orgraph/seed"
)

func TestGenerateIsValidAndLarge(t *testing.T) {
	g := orggen.Generate(1, 2000)
	if err := org.Validate(g); err != nil {
		t.Fatal(err)
	}
	if got := len(g.Relations); got < 20000 {
		t.Errorf("got %d relations, want at least 20000", got)
	}
	units := 0
	for _, n := range g.Nodes {
		if n.Kind == org.KindUnit {
			units++
		}
	}
	if units != 2000 {
		t.Errorf("got %d units, want 2000", units)
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	if !reflect.DeepEqual(orggen.Generate(7, 50), orggen.Generate(7, 50)) {
		t.Error("two graphs from seed 7 differ")
	}
	if reflect.DeepEqual(orggen.Generate(7, 50), orggen.Generate(8, 50)) {
		t.Error("graphs from seeds 7 and 8 are equal")
	}
}

// Each node reports to at most one node, created before it: a forest.
func TestGenerateReportingIsAForest(t *testing.T) {
	g := orggen.Generate(2, 500)
	seq := map[string]int{}
	for i, n := range g.Nodes {
		seq[n.ID] = i
	}
	superiors := map[string]int{}
	for _, r := range g.Relations {
		if r.Kind != org.ReportsTo {
			continue
		}
		superiors[r.From]++
		if seq[r.To] >= seq[r.From] {
			t.Errorf("%s reports to %s, created after it", r.From, r.To)
		}
	}
	for id, n := range superiors {
		if n > 1 {
			t.Errorf("%s has %d superiors, want 1", id, n)
		}
	}
}

// A generated organisation is not an act: it has no text for the importer
// to read, so the history (periods, the hourly catch-up) passes it by and
// still works for the acts beside it. With a text the importer refused,
// every server start warned, and no past day could be read.
func TestGeneratedOrganisationIsNoAct(t *testing.T) {
	ctx := context.Background()
	act, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	for _, gen := range []int64{1, 2, 3} {
		for _, units := range []int{1, 40, 300} {
			s := memstore.New()
			for _, g := range []*org.Graph{act, orggen.Generate(gen, units)} {
				if err := s.Load(ctx, g); err != nil {
					t.Fatal(err)
				}
			}
			svc := &org.Service{Store: s, Overlay: memstore.Overlay, Acts: ordinance.ReadAct}
			ps, err := svc.Periods(ctx)
			if err != nil {
				t.Fatalf("generator seed %d, %d units: %v", gen, units, err)
			}
			if len(ps) != 1 || ps[0].Document.ID != act.Documents[0].ID {
				t.Errorf("generator seed %d, %d units: periods %+v, want only the seed's act %s", gen, units, ps, act.Documents[0].ID)
			}
			if placed, err := svc.CatchUp(ctx); err != nil || len(placed) != 0 {
				t.Errorf("generator seed %d, %d units: catch-up placed %v (%v), want nothing and no error", gen, units, placed, err)
			}
		}
	}
}
