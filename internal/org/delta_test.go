package org_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
	"github.com/orgraph/orgraph/internal/storetest"
)

// sorted is g in the order a store's snapshot gives it.
func sorted(g *org.Graph) *org.Graph {
	out := &org.Graph{Documents: g.Documents, Nodes: slices.Clone(g.Nodes), Relations: slices.Clone(g.Relations), Duties: slices.Clone(g.Duties)}
	slices.SortStableFunc(out.Nodes, org.CompareNodes)
	slices.SortStableFunc(out.Relations, org.CompareRelations)
	slices.SortStableFunc(out.Duties, org.CompareDuties)
	return out
}

// wildChanges are changes drawn with no care whether they fit: of every
// kind, over the graph's nodes and duties and some that do not exist.
func wildChanges(rnd *rand.Rand, g *org.Graph, n int) []org.Change {
	var nodes, duties []string
	for _, x := range g.Nodes {
		nodes = append(nodes, x.ID)
	}
	for _, d := range g.Duties {
		duties = append(duties, d.ID)
	}
	nodes = append(nodes, "nobody", "new-1", "new-2")
	duties = append(duties, "no duty")
	node := func() string { return nodes[rnd.IntN(len(nodes))] }
	duty := func() string { return duties[rnd.IntN(len(duties))] }
	kinds := []org.ChangeKind{org.ChangeMove, org.ChangeCreate, org.ChangeRename, org.ChangeRemove, org.ChangeMerge,
		org.ChangeSplit, org.ChangeReassignDuty, org.ChangeAddCooperation, org.ChangeRemoveCooperation,
		org.ChangeAddTasking, org.ChangeRemoveTasking}
	var out []org.Change
	for i := range n {
		c := org.Change{Kind: kinds[rnd.IntN(len(kinds))], Node: node(), Under: node(), Into: node(), From: node(), To: node(),
			Name: fmt.Sprintf("Nazwa %d", i), NewNode: []string{"new-1", "new-2", node()}[rnd.IntN(3)],
			NodeKind: []org.NodeKind{org.KindUnit, org.KindPosition}[rnd.IntN(2)], Duty: duty(), Duties: []string{duty()}}
		if rnd.IntN(3) == 0 {
			c.PartOf = node()
		}
		if rnd.IntN(2) == 0 {
			c.Code = []string{"KS-07", "NEW", "G-00003"}[rnd.IntN(3)]
		}
		if c.Kind == org.ChangeRemoveCooperation || c.Kind == org.ChangeRemoveTasking {
			if r := g.Relations[rnd.IntN(len(g.Relations))]; r.Kind == org.CooperatesWith || r.Kind == org.MayTask {
				c.From, c.To = r.From, r.To
			}
		}
		out = append(out, c)
	}
	return out
}

// TestApplyChangesIsTheWholeCopy: the delta ApplyChanges keeps gives the
// graph, or the error, that applying the changes to a whole copy gives,
// for fitting scenarios and for changes drawn at random, on the seed and
// on generated organisations.
func TestApplyChangesIsTheWholeCopy(t *testing.T) {
	graphs := map[string]*org.Graph{"the seed": sorted(storetest.MustSeed(t))}
	for seed := range int64(3) {
		graphs[fmt.Sprintf("generated %d", seed)] = sorted(orggen.Generate(seed, 200))
	}
	errors, fits := 0, 0
	for name, g := range graphs {
		rnd := rand.New(rand.NewPCG(7, uint64(len(name))))
		for trial := range 60 {
			var changes []org.Change
			switch trial % 3 {
			case 0:
				changes = orggen.Changes(int64(trial), g, 30)
			case 1:
				changes = wildChanges(rnd, g, 1+rnd.IntN(4))
			case 2: // a fitting start, then anything
				changes = append(orggen.Changes(int64(trial), g, 10), wildChanges(rnd, g, 3)...)
			}
			sc := org.Scenario{ID: fmt.Sprint(trial), Name: "t", Owner: "o", Changes: changes}
			got, gotErr := org.ApplyChanges(g, sc)
			want, wantErr := org.ApplyChangesByCopy(g, sc)
			if org.ErrorCode(gotErr) != org.ErrorCode(wantErr) || (gotErr == nil) != (wantErr == nil) {
				t.Fatalf("%s, trial %d: got error %v, want %v", name, trial, gotErr, wantErr)
			}
			if wantErr != nil {
				errors++
				continue
			}
			fits++
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s, trial %d: the graphs differ (%d/%d nodes, %d/%d relations, %d/%d duties)", name, trial,
					len(got.Nodes), len(want.Nodes), len(got.Relations), len(want.Relations), len(got.Duties), len(want.Duties))
			}
		}
	}
	if errors < 20 || fits < 60 {
		t.Errorf("%d scenarios fit and %d did not: too few of either to tell", fits, errors)
	}
	t.Logf("%d scenarios fit, %d did not", fits, errors)
}
