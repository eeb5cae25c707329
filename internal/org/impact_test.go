package org_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
	"github.com/orgraph/orgraph/internal/storetest"
)

// overlapsByEveryPair is the definition of Service.Overlaps, written the
// slow way: every pair of duties of two units, none of them an item that
// mirrors another (tasking, cooperation between units), sharing at least 4
// stems and 60% of the shorter one's.
func overlapsByEveryPair(t *testing.T, g *org.Graph) []org.Overlap {
	t.Helper()
	var duties []org.Duty
	units := map[string]bool{}
	for _, d := range g.Duties {
		if !d.Common {
			duties = append(duties, d)
			units[d.Unit] = true
		}
	}
	slices.SortFunc(duties, org.CompareDuties)
	skip := map[string]bool{}
	for _, r := range g.Relations {
		if r.Kind == org.MayTask || (r.Kind == org.CooperatesWith && units[r.From] && units[r.To]) {
			skip[r.Duty] = true
		}
	}
	stems := make([][]string, len(duties))
	for i, d := range duties {
		stems[i] = org.Stems(d.Text)
	}
	var out []org.Overlap
	for i, a := range duties {
		for j := i + 1; j < len(duties); j++ {
			b := duties[j]
			if a.Unit == b.Unit || skip[a.ID] || skip[b.ID] {
				continue
			}
			sa, sb := stems[i], stems[j]
			var shared []string
			for _, s := range sa {
				if slices.Contains(sb, s) {
					shared = append(shared, s)
				}
			}
			if shorter := min(len(sa), len(sb)); shorter > 0 && len(shared) >= 4 && float64(len(shared))/float64(shorter) >= 0.6 {
				out = append(out, org.Overlap{A: a, B: b, Score: float64(len(shared)) / float64(shorter), Shared: shared})
			}
		}
	}
	return out
}

func mustService(t *testing.T, g *org.Graph) *org.Service {
	t.Helper()
	s := memstore.New()
	if err := s.Load(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	return &org.Service{Store: s, Overlay: memstore.Overlay}
}

// TestOverlapsAreEveryPairsOverlaps: the index of stems finds what comparing
// every pair finds, on the seed and on generated organisations.
func TestOverlapsAreEveryPairsOverlaps(t *testing.T) {
	graphs := map[string]*org.Graph{"the seed": storetest.MustSeed(t)}
	for seed := range int64(3) {
		graphs[fmt.Sprintf("generated %d", seed)] = orggen.Generate(seed, 150)
	}
	for name, g := range graphs {
		got, err := mustService(t, g).Overlaps(context.Background(), org.OverlapOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if want := overlapsByEveryPair(t, g); !slices.EqualFunc(got, want, sameOverlap) || len(want) == 0 {
			t.Errorf("%s: %d overlaps, want %d (and some)", name, len(got), len(want))
		}
	}
}

func sameOverlap(a, b org.Overlap) bool {
	return a.A.ID == b.A.ID && a.B.ID == b.B.ID && a.A.Unit == b.A.Unit && a.B.Unit == b.B.Unit && a.Score == b.Score && slices.Equal(a.Shared, b.Shared)
}

// TestImpactFindsTheOverlapsAScenarioCreates: for random scenarios of
// moves, merges, splits and duty reassignments on generated organisations,
// the overlaps an impact reports as new are exactly the overlaps of the
// scenario's graph that the baseline's graph lacks, held by the same units.
func TestImpactFindsTheOverlapsAScenarioCreates(t *testing.T) {
	ctx := org.WithPrincipal(context.Background(), org.Principal{Subject: "test", Role: org.RolePlanner})
	for seed := range int64(4) {
		g := orggen.Generate(seed, 120)
		svc := mustService(t, g)
		rnd := rand.New(rand.NewPCG(uint64(seed), 9))
		var units []string
		for _, n := range g.Nodes {
			if n.Kind == org.KindUnit {
				units = append(units, n.ID)
			}
		}
		var duties []org.Duty
		for _, d := range g.Duties {
			if !d.Common && d.Parent == "" {
				duties = append(duties, d)
			}
		}
		sc, err := svc.CreateScenario(ctx, "random", "")
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; len(sc.Changes) < 12 && k < 200; k++ {
			u, v := units[rnd.IntN(len(units))], units[rnd.IntN(len(units))]
			var c org.Change
			switch k % 3 {
			case 0:
				d := duties[rnd.IntN(len(duties))]
				c = org.Change{Kind: org.ChangeReassignDuty, Duty: d.ID, To: v}
			case 1:
				c = org.Change{Kind: org.ChangeMerge, Node: u, Into: v}
			case 2:
				c = org.Change{Kind: org.ChangeMove, Node: u, Under: v}
			}
			if next, err := svc.AddChange(ctx, sc.ID, c); err == nil {
				sc = next
			}
		}
		if len(sc.Changes) < 6 {
			t.Fatalf("seed %d: only %d changes applied", seed, len(sc.Changes))
		}
		im, err := svc.Impact(ctx, sc.ID, org.Rules{})
		if err != nil {
			t.Fatal(err)
		}
		after, err := org.ApplyChanges(g, sc)
		if err != nil {
			t.Fatal(err)
		}
		before := overlapsByEveryPair(t, g)
		var want []org.Overlap
		for _, o := range overlapsByEveryPair(t, after) {
			if !slices.ContainsFunc(before, func(b org.Overlap) bool {
				return b.A.ID == o.A.ID && b.B.ID == o.B.ID && b.A.Unit == o.A.Unit && b.B.Unit == o.B.Unit
			}) {
				want = append(want, o)
			}
		}
		if !slices.EqualFunc(im.HeldTwice, want, sameOverlap) {
			t.Errorf("seed %d, %d changes: %d new overlaps, want %d", seed, len(sc.Changes), len(im.HeldTwice), len(want))
		}
		t.Logf("seed %d: %d changes, %d new overlaps", seed, len(sc.Changes), len(want))
	}
}
