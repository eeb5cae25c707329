package org_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
)

// remote is a store that keeps scenarios and names its revision but does
// not hold the baseline in memory for the service (no org.Freezer), as the
// Neo4j store; snapshots counts the baselines read whole.
type remote struct {
	*memstore.Store
	snapshots atomic.Int32
}

type remoteStore interface {
	org.Store
	org.ScenarioStore
	org.Revisioner
}

func (r *remote) Snapshot(ctx context.Context) (*org.Graph, error) {
	r.snapshots.Add(1)
	return r.Store.Snapshot(ctx)
}

// Warming reads the baseline once for every scenario question after it,
// and again only when the baseline changes; the impacts are the ones an
// unwarmed service gives.
func TestWarmScenarios(t *testing.T) {
	ctx := org.WithPrincipal(context.Background(), org.Principal{Subject: "test", Role: org.RolePlanner})
	g := orggen.Generate(3, 300)
	mem := memstore.New()
	if err := mem.Load(ctx, g); err != nil {
		t.Fatal(err)
	}
	r := &remote{Store: mem}
	var _ remoteStore = struct{ remoteStore }{r} // what the service sees
	svc := &org.Service{Store: struct{ remoteStore }{r}, Overlay: memstore.Overlay}
	cold := &org.Service{Store: struct{ remoteStore }{r}, Overlay: memstore.Overlay}

	rev, err := svc.WarmScenarios(ctx)
	if err != nil || rev == "" {
		t.Fatalf("WarmScenarios = %q, %v", rev, err)
	}
	if n := r.snapshots.Load(); n != 1 {
		t.Fatalf("warming read the baseline %d times, want once", n)
	}
	if again, err := svc.WarmScenarios(ctx); err != nil || again != rev || r.snapshots.Load() != 1 {
		t.Fatalf("warming again: %q, %v, %d snapshots; want %q and no new read", again, err, r.snapshots.Load(), rev)
	}
	sc, err := svc.CreateScenario(ctx, "warm", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range orggen.Changes(5, g, 30) {
		if sc, err = svc.AddChange(ctx, sc.ID, c); err != nil {
			t.Fatal(err)
		}
	}
	got, err := svc.Impact(ctx, sc.ID, org.Rules{})
	if err != nil {
		t.Fatal(err)
	}
	if n := r.snapshots.Load(); n != 1 {
		t.Fatalf("after warming, the scenario's edits and impact read the baseline %d more times", n-1)
	}
	want, err := cold.Impact(ctx, sc.ID, org.Rules{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("the warmed impact differs:\n%s", impactDiff(got, want))
	}

	// A new baseline: a new revision, read and warmed again.
	g2 := orggen.Generate(3, 300)
	g2.Nodes[5].Name += " (po zmianie)"
	if err := mem.Load(ctx, g2); err != nil {
		t.Fatal(err)
	}
	before := r.snapshots.Load()
	next, err := svc.WarmScenarios(ctx)
	if err != nil || next == rev || r.snapshots.Load() != before+1 {
		t.Fatalf("after a load, WarmScenarios = %q (was %q), %v, %d new reads; want a new revision read once", next, rev, err, r.snapshots.Load()-before)
	}
}

// changing is remote whose first snapshot is read while the baseline
// changes: it returns the baseline as it was, and the store then holds
// the change under a new revision, as a Neo4j snapshot read across an
// apply would be.
type changing struct {
	remote
	change *org.Graph
	once   sync.Once
}

func (c *changing) Snapshot(ctx context.Context) (*org.Graph, error) {
	g, err := c.remote.Snapshot(ctx)
	c.once.Do(func() { err = errors.Join(err, c.Store.Load(ctx, c.change)) })
	return g, err
}

// A view of the baseline made while the baseline changed is not kept under
// the revision read before: it is made again, and the one kept is the
// baseline after the change.
func TestBaselineReadAcrossAChangeIsNotKept(t *testing.T) {
	ctx := org.WithPrincipal(context.Background(), org.Principal{Subject: "test", Role: org.RolePlanner})
	g := orggen.Generate(3, 100)
	mem := memstore.New()
	if err := mem.Load(ctx, g); err != nil {
		t.Fatal(err)
	}
	renamed := g.Nodes[0]
	renamed.Name = "Przemianowany " + renamed.Name
	c := &changing{remote: remote{Store: mem}, change: &org.Graph{Documents: g.Documents, Nodes: []org.Node{renamed}}}
	svc := &org.Service{Store: struct{ remoteStore }{c}, Overlay: memstore.Overlay}
	nameIn := func() string {
		t.Helper()
		base, err := svc.Baseline(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n, err := base.FindNodeByID(ctx, renamed.ID)
		if err != nil {
			t.Fatal(err)
		}
		return n.Name
	}
	if got := nameIn(); got != renamed.Name {
		t.Errorf("the baseline's view names %s %q, want %q as the store holds it", renamed.ID, got, renamed.Name)
	}
	if n := c.snapshots.Load(); n != 2 {
		t.Errorf("%d snapshots, want 2: the one read across the change, and one after it", n)
	}
	if got := nameIn(); got != renamed.Name || c.snapshots.Load() != 2 {
		t.Errorf("asked again: %q after %d snapshots; want the kept view, %q", got, c.snapshots.Load(), renamed.Name)
	}
}
