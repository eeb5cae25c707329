package org_test

import (
	"context"
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
)

// On generated organisations (where a unit may report to the post that
// heads it) the chart without a root finds the top: every unit and post on
// a reporting or heading line is a box, once, and each box's parent is a
// box drawn before it.
func TestChartWithoutRootHoldsEveryLinkedNode(t *testing.T) {
	ctx := context.Background()
	for seed := range int64(6) {
		g := orggen.Generate(seed, 150)
		s := memstore.New()
		if err := s.Load(ctx, g); err != nil {
			t.Fatal(err)
		}
		svc := &org.Service{Store: s, Overlay: memstore.Overlay}
		c, err := svc.OrgChart(ctx, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		kind := map[string]org.NodeKind{}
		for _, n := range g.Nodes {
			kind[n.ID] = n.Kind
		}
		linked := map[string]bool{}
		for _, r := range g.Relations {
			if r.Kind != org.ReportsTo && r.Kind != org.Heads {
				continue
			}
			for _, id := range []string{r.From, r.To} {
				if kind[id] == org.KindUnit || kind[id] == org.KindPosition {
					linked[id] = true
				}
			}
		}
		drawn := map[string]bool{}
		for _, n := range c.Nodes {
			if drawn[n.Node.ID] {
				t.Fatalf("seed %d: %s drawn twice", seed, n.Node.ID)
			}
			if n.ParentID != "" && !drawn[n.ParentID] {
				t.Fatalf("seed %d: %s drawn before its parent %s", seed, n.Node.ID, n.ParentID)
			}
			drawn[n.Node.ID] = true
		}
		for id := range linked {
			if !drawn[id] {
				t.Errorf("seed %d: %s is on a reporting or heading line but not in the chart (%d of %d drawn)", seed, id, len(drawn), len(linked))
				break
			}
		}
	}
}
