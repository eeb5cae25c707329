package org_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
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

// TestImpactIsTheSlowImpact: for random scenarios on generated
// organisations, the impact computed from the delta, touched parts only,
// equals the impact computed by asking every node of both graphs every
// question; and each part asked for alone is that part of the whole.
func TestImpactIsTheSlowImpact(t *testing.T) {
	ctx := org.WithPrincipal(context.Background(), org.Principal{Subject: "test", Role: org.RolePlanner})
	rules := []org.Rules{{}, {MaxSpan: 3, MaxDepth: 4}}
	found := map[string]int{} // how many of each part all the impacts held
	for seed := range int64(4) {
		g := orggen.Generate(seed, 250)
		svc := mustService(t, g)
		for trial := range 3 {
			sc, err := svc.CreateScenario(ctx, fmt.Sprint(trial), "")
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range orggen.Changes(seed*7+int64(trial), g, 10+15*trial) {
				if sc, err = svc.AddChange(ctx, sc.ID, c); err != nil {
					t.Fatal(err)
				}
			}
			view, err := svc.View(ctx, sc.ID)
			if err != nil {
				t.Fatal(err)
			}
			base, err := svc.Baseline(ctx)
			if err != nil {
				t.Fatal(err)
			}
			r := rules[trial%2]
			want, err := org.CompareEverything(ctx, &org.Service{Store: base}, view, r)
			if err != nil {
				t.Fatal(err)
			}
			got, err := svc.Impact(ctx, sc.ID, r)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d, trial %d: the impacts differ:\n%s", seed, trial, impactDiff(got, want))
			}
			if len(want.Moved) == 0 || len(want.Spans) == 0 || len(want.TaskingOutside) == 0 {
				t.Fatalf("seed %d, trial %d: an impact with too little in it to tell: %d moved", seed, trial, len(want.Moved))
			}
			checkParts(t, ctx, svc, sc.ID, r, want)
			wv := reflect.ValueOf(want)
			for i := range wv.NumField() {
				if wv.Field(i).Kind() == reflect.Slice {
					found[wv.Type().Field(i).Name] += wv.Field(i).Len()
				}
			}
		}
	}
	for _, f := range reflect.VisibleFields(reflect.TypeOf(org.Impact{})) {
		if f.Type.Kind() == reflect.Slice && len(f.Index) == 1 && found[f.Name] == 0 { // not FactChanges: structureChanges only
			t.Errorf("no impact held any %s: the scenarios tell nothing of it", f.Name)
		}
	}
	t.Logf("parts found: %v", found)
}

func impactDiff(got, want org.Impact) string {
	var out string
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range gv.NumField() {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			out += fmt.Sprintf("%s: got %d, want %d\n got %+v\nwant %+v\n", gv.Type().Field(i).Name, gv.Field(i).Len(), wv.Field(i).Len(),
				gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
	return out
}

// checkParts asks for each part alone: the part is whole's, the rest empty.
func checkParts(t *testing.T, ctx context.Context, svc *org.Service, id string, r org.Rules, whole org.Impact) {
	t.Helper()
	pv := reflect.ValueOf(org.ImpactParts{})
	for i := range pv.NumField() {
		var parts org.ImpactParts
		name := pv.Type().Field(i).Name
		reflect.ValueOf(&parts).Elem().Field(i).SetBool(true)
		got, err := svc.ImpactOf(ctx, id, r, parts)
		if err != nil {
			t.Fatal(err)
		}
		field := name
		gv, wv := reflect.ValueOf(got), reflect.ValueOf(whole)
		for j := range gv.NumField() {
			f := gv.Type().Field(j).Name
			if gv.Field(j).Kind() == reflect.Struct { // FactChanges: structureChanges only
				if !gv.Field(j).IsZero() {
					t.Errorf("%s alone: %s set for a scenario", name, f)
				}
				continue
			}
			g, w := gv.Field(j).Interface(), wv.Field(j).Interface()
			if f == field && !reflect.DeepEqual(g, w) {
				t.Errorf("%s alone: got %d, want %d", name, gv.Field(j).Len(), wv.Field(j).Len())
			}
			if f != field && gv.Field(j).Len() != 0 {
				t.Errorf("%s alone: %s computed too (%d)", name, f, gv.Field(j).Len())
			}
		}
	}
}
