package org_test

import (
	"context"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/batch"
	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
)

// chainCounting is remote counting the chains of command asked of it.
type chainCounting struct {
	*remote
	chains atomic.Int32
}

func (c *chainCounting) ChainsOfCommand(ctx context.Context, f org.NodeFilter) ([]org.Path, error) {
	c.chains.Add(1)
	return c.remote.ChainsOfCommand(ctx, f)
}

// A chain of command is walked in the baseline the service holds in memory
// when it holds the current revision's, with the store's answer, also
// through a request's service over a store that names no revision (With);
// once the baseline changes, the store answers until it is held again.
func TestChainOfCommandFromTheHeldBaseline(t *testing.T) {
	ctx := context.Background()
	g := orggen.Generate(5, 200)
	mem := memstore.New()
	if err := mem.Load(ctx, g); err != nil {
		t.Fatal(err)
	}
	c := &chainCounting{remote: &remote{Store: mem}}
	svc := &org.Service{Store: struct{ remoteStore }{c}, Overlay: memstore.Overlay}
	per := svc.With(struct{ org.Store }{c}) // as a request's batching store
	refs := []string{g.Nodes[len(g.Nodes)-1].ID, g.Nodes[len(g.Nodes)/2].ID, g.Nodes[0].ID}
	ask := func(s *org.Service) []org.Path {
		t.Helper()
		var out []org.Path
		for _, ref := range refs {
			p, err := s.ChainOfCommand(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, p)
		}
		if _, err := s.ChainOfCommand(ctx, "no-such-node"); org.ErrorCode(err) != org.ENOTFOUND {
			t.Errorf("an unknown node: %v, want ENOTFOUND", err)
		}
		return out
	}

	want := ask(svc)
	if n := c.chains.Load(); n != int32(len(refs)+1) {
		t.Fatalf("with no baseline held, the store answered %d chains, want %d", n, len(refs)+1)
	}
	if _, err := svc.WarmScenarios(ctx); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*org.Service{svc, per} {
		before := c.chains.Load()
		if got := ask(s); !reflect.DeepEqual(got, want) {
			t.Errorf("the chains walked in the held baseline differ from the store's:\n%v\n%v", got, want)
		}
		if n := c.chains.Load() - before; n != 0 {
			t.Errorf("with the baseline held, the store answered %d chains", n)
		}
	}

	// A new baseline (loaded again): the held one is of an older revision.
	g2 := orggen.Generate(5, 200)
	if err := mem.Load(ctx, g2); err != nil {
		t.Fatal(err)
	}
	before := c.chains.Load()
	p, err := per.ChainOfCommand(ctx, g2.Nodes[len(g2.Nodes)-1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.chains.Load() == before {
		t.Error("after the baseline changed, the chain was walked in the baseline held before")
	}
	want2, _ := mem.ChainsOfCommand(ctx, org.NodeFilter{IDs: []string{g2.Nodes[len(g2.Nodes)-1].ID}})
	if len(want2) != 1 || !reflect.DeepEqual(p, want2[0]) {
		t.Errorf("after the baseline changed: %v, want %v", p, want2)
	}
}

// A request's service (With) reads what the service it was made from
// reads: the past acts, the clock and the overlay come along.
func TestWithKeepsTheServicesSettings(t *testing.T) {
	svc := &org.Service{
		Store:   memstore.New(),
		Overlay: memstore.Overlay,
		Acts:    func(context.Context, org.Document) (*org.Graph, error) { return &org.Graph{}, nil },
		Clock:   time.Now,
	}
	w := svc.With(memstore.New())
	if w.Acts == nil || w.Clock == nil || w.Overlay == nil {
		t.Errorf("With dropped a setting: acts %t, clock %t, overlay %t", w.Acts != nil, w.Clock != nil, w.Overlay != nil)
	}
}

// nodeCounting is chainCounting also counting the look-ups of nodes by id.
type nodeCounting struct {
	*chainCounting
	lookups atomic.Int32
}

func (c *nodeCounting) FindNodes(ctx context.Context, f org.NodeFilter) ([]org.Node, error) {
	c.lookups.Add(1)
	return c.chainCounting.FindNodes(ctx, f)
}

func (c *nodeCounting) FindNodeByID(ctx context.Context, id string) (org.Node, error) {
	c.lookups.Add(1)
	return c.chainCounting.FindNodeByID(ctx, id)
}

// A chain walked in the held baseline is kept by a request's batching
// store with its nodes: the answer's nested fields ask the store nothing.
func TestChainFromTheHeldBaselineIsKeptForTheRequest(t *testing.T) {
	ctx := context.Background()
	g := orggen.Generate(5, 200)
	mem := memstore.New()
	if err := mem.Load(ctx, g); err != nil {
		t.Fatal(err)
	}
	c := &nodeCounting{chainCounting: &chainCounting{remote: &remote{Store: mem}}}
	svc := &org.Service{Store: struct{ remoteStore }{c}, Overlay: memstore.Overlay}
	if _, err := svc.WarmScenarios(ctx); err != nil {
		t.Fatal(err)
	}
	per := svc.With(batch.New(struct{ org.Store }{c}, 0))
	var unit string
	for _, n := range g.Nodes {
		if n.Kind == org.KindUnit {
			unit = n.ID
		}
	}
	p, err := per.ChainOfCommand(ctx, unit)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Nodes) < 2 {
		t.Fatalf("a chain of %d nodes tests nothing", len(p.Nodes))
	}
	before := c.lookups.Load()
	for _, n := range p.Nodes {
		got, err := per.Store.FindNodeByID(ctx, n.ID)
		if err != nil || got != n {
			t.Fatalf("node %s: %v %v", n.ID, got, err)
		}
	}
	if n := c.lookups.Load() - before; n != 0 || c.chains.Load() != 0 {
		t.Errorf("the chain's nodes cost %d look-ups and %d chains of the store, want none", n, c.chains.Load())
	}
}
