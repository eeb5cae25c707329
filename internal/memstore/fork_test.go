package memstore_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
)

// TestForkAnswersAsTheWholeCopy: a scenario's view forked from the
// baseline (sharing its maps, holding the delta) answers every read as a
// store holding the whole graph the changes make, for random scenarios on
// generated organisations; and the baseline it was forked from still
// answers as before.
func TestForkAnswersAsTheWholeCopy(t *testing.T) {
	ctx := context.Background()
	for seed := range int64(4) {
		g := orggen.Generate(seed, 300)
		base := memstore.New()
		if err := base.Load(ctx, g); err != nil {
			t.Fatal(err)
		}
		snap, err := base.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for trial := range int64(3) {
			sc := org.Scenario{ID: fmt.Sprint(trial), Name: "t", Owner: "o", Changes: orggen.Changes(seed*10+trial, g, 40)}
			whole, err := org.ApplyChanges(snap, sc)
			if err != nil {
				t.Fatal(err)
			}
			copied, err := memstore.Overlay(ctx, whole)
			if err != nil {
				t.Fatal(err)
			}
			frozen := base.Freeze()
			d, err := org.ApplyDelta(frozen, sc)
			if err != nil {
				t.Fatal(err)
			}
			fork := frozen.Fork(d)
			sameAnswers(t, fmt.Sprintf("seed %d, trial %d", seed, trial), fork, copied, whole, d.RemovedNodes)
			// Its searches read the baseline's index, built once with the
			// baseline's maps, and build none of the fork's own.
			if memstore.SearchIndexed(fork.(*memstore.Store)) || !memstore.SearchIndexed(base) {
				t.Errorf("seed %d, trial %d: the fork built a search index of its own, or the baseline none", seed, trial)
			}
			after, _ := base.Snapshot(ctx)
			if !reflect.DeepEqual(after, snap) {
				t.Fatalf("seed %d: forking changed the baseline", seed)
			}
		}
	}
}

// sameAnswers compares every read of got with want's, on g's nodes and
// on the nodes gone from it.
func sameAnswers(t *testing.T, what string, got, want org.Store, g *org.Graph, gone []string) {
	t.Helper()
	ctx := context.Background()
	check := func(name string, f func(org.Store) (any, error)) {
		t.Helper()
		a, errA := f(got)
		b, errB := f(want)
		if org.ErrorCode(errA) != org.ErrorCode(errB) || !reflect.DeepEqual(a, b) {
			t.Fatalf("%s: %s differs:\n got %v, %v\nwant %v, %v", what, name, a, errA, b, errB)
		}
	}
	check("documents", func(s org.Store) (any, error) { return s.FindDocuments(ctx) })
	check("nodes", func(s org.Store) (any, error) { return s.FindNodes(ctx, org.NodeFilter{}) })
	check("relations", func(s org.Store) (any, error) { return s.FindRelations(ctx, org.RelationFilter{}) })
	check("duties", func(s org.Store) (any, error) { return s.FindDuties(ctx, org.DutyFilter{}) })
	for _, kinds := range [][]org.RelationKind{{org.ReportsTo, org.Heads}, {org.CooperatesWith}, {org.MayTask, org.MayTask}} {
		check(fmt.Sprint("relations of kinds ", kinds), func(s org.Store) (any, error) {
			return s.FindRelations(ctx, org.RelationFilter{Kinds: kinds})
		})
	}
	check("chains", func(s org.Store) (any, error) { return s.ChainsOfCommand(ctx, org.NodeFilter{}) })
	// Searches: the fork reads its base's index less what it changes, with
	// its own items merged in; words the changes write ("zmianie",
	// "wydzielony", "nowy"), one- and two-letter starts, words of the
	// generator, with limits, and paged.
	searches := []string{"referat", "zmianie", "po zm", "wydzielony", "nowy", "r", "re", "dy"}
	for i := 0; i < len(orggen.Vocabulary); i += len(orggen.Vocabulary)/6 + 1 {
		searches = append(searches, orggen.Vocabulary[i], org.Fold(orggen.Vocabulary[i])[:2]+" referat")
	}
	for _, q := range searches {
		check("search "+q, func(s org.Store) (any, error) { return s.Search(ctx, q, 0) })
		check("search "+q+", 5 hits", func(s org.Store) (any, error) { return s.Search(ctx, q, 5) })
		check("pages of search "+q, func(s org.Store) (any, error) {
			var pages []org.Page[org.SearchHit]
			p := org.PageArgs{First: 7}
			for range 1000 {
				pg, err := org.PageSearch(ctx, s, q, p)
				if err != nil {
					return nil, err
				}
				pages = append(pages, pg)
				if !pg.HasNext {
					break
				}
				after := org.HitKey(pg.Items[len(pg.Items)-1])
				p.After = &after
			}
			return pages, nil
		})
	}
	var ids []string
	for i, n := range g.Nodes {
		if i%7 != 0 {
			continue
		}
		ids = append(ids, n.ID)
		check("node "+n.ID, func(s org.Store) (any, error) { return s.FindNodeByID(ctx, n.ID) })
		if n.Code != "" {
			check("code "+n.Code, func(s org.Store) (any, error) { return s.FindNodeByCode(ctx, n.Code) })
		}
		check("subordinates of "+n.ID, func(s org.Store) (any, error) { return s.Subordinates(ctx, n.ID, 0) })
		check("relations from "+n.ID, func(s org.Store) (any, error) {
			return s.FindRelations(ctx, org.RelationFilter{From: []string{n.ID}})
		})
		check("duties of "+n.ID, func(s org.Store) (any, error) { return s.FindDuties(ctx, org.DutyFilter{Units: []string{n.ID}}) })
		to := g.Nodes[(i*31)%len(g.Nodes)].ID
		check("path "+n.ID+" "+to, func(s org.Store) (any, error) { return s.ShortestPath(ctx, n.ID, to, nil) })
	}
	check("neighbourhood", func(s org.Store) (any, error) {
		return s.FindNeighbourhood(ctx, org.NodeFilter{IDs: ids}, org.Around{Duties: true, Relations: true})
	})
	for _, id := range append(gone, "nobody") {
		check("node "+id, func(s org.Store) (any, error) { return s.FindNodeByID(ctx, id) })
		check("subordinates of "+id, func(s org.Store) (any, error) { return s.Subordinates(ctx, id, 0) })
	}
}

// The server's warming after a change of the baseline builds the search
// index, so that the first search does not wait for it; a write replaces
// it, and a fork reads its base's rather than building one.
func TestWarmingBuildsTheSearchIndex(t *testing.T) {
	ctx := org.WithPrincipal(context.Background(), org.Principal{Subject: "test", Role: org.RolePlanner})
	g := orggen.Generate(2, 200)
	s := memstore.New()
	if err := s.Load(ctx, g); err != nil {
		t.Fatal(err)
	}
	if memstore.SearchIndexed(s) {
		t.Fatal("a load built the search index")
	}
	svc := &org.Service{Store: s, Overlay: memstore.Overlay}
	if _, err := svc.WarmScenarios(ctx); err != nil {
		t.Fatal(err)
	}
	if !memstore.SearchIndexed(s) {
		t.Fatal("warming left the search index to the first search")
	}
	renamed := g.Nodes[1]
	renamed.Name = "Przemianowany"
	if err := s.Load(ctx, &org.Graph{Documents: g.Documents, Nodes: []org.Node{renamed}}); err != nil {
		t.Fatal(err)
	}
	if memstore.SearchIndexed(s) {
		t.Error("the index of the maps before the write was kept")
	}
	hits, err := s.Search(ctx, "przemianowany", 0)
	if err != nil || len(hits) != 1 || hits[0].Node == nil || hits[0].Node.ID != renamed.ID {
		t.Errorf("search after the write: %+v, %v; want %s", hits, err, renamed.ID)
	}
}
