// Package batch is the per-request batching org.Store: it sits under the
// org.Service of one GraphQL request and over a remote store, so that the
// nested fields of an answer cost a fixed number of round trips however
// many nodes it holds. Look-ups of one node, one unit's duties or one
// node's relations are answered from what earlier answers of the request
// brought (a neighbourhood, a chain), or gathered with the other look-ups
// made at the same moment into one store call (dataloadgen).
//
// It lives for one request: it never sees a later change of the store.
package batch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/orgraph/orgraph/internal/org"
)

var _ org.Prefetcher = (*Store)(nil)

// DefaultWait is how long a look-up waits for others to join its batch.
// gqlgen resolves the fields of a list's elements concurrently, so the
// look-ups of one level of an answer arrive within microseconds.
const DefaultWait = time.Millisecond

// Store batches and caches look-ups for one request.
type Store struct {
	org.Store // Load, Empty, ... go straight through

	node       *dataloadgen.Loader[string, org.Node]
	duty       *dataloadgen.Loader[string, org.Duty]
	dutiesOf   *dataloadgen.Loader[string, []org.Duty]
	relsFrom   *dataloadgen.Loader[string, []org.Relation]
	relsTo     *dataloadgen.Loader[string, []org.Relation]
	chain      *dataloadgen.Loader[string, org.Path]
	mu         sync.Mutex
	primedFrom map[string]primed
	primedTo   map[string]primed
	chains     map[string]bool // nodes whose chain the chain loader holds
	memo       map[string]*call
	underlying org.Store
}

// primed is what an earlier answer told about one node's relations in one
// direction: those of kinds (all kinds when nil).
type primed struct {
	rels  []org.Relation
	kinds []org.RelationKind
}

func (p primed) covers(kinds []org.RelationKind) bool {
	if p.kinds == nil {
		return true
	}
	if len(kinds) == 0 {
		return false
	}
	for _, k := range kinds {
		if !slices.Contains(p.kinds, k) {
			return false
		}
	}
	return true
}

// call is one pass-through call, shared by identical calls of the request.
type call struct {
	done chan struct{}
	v    any
	err  error
}

// New returns a batching store over s for one request; wait is how long a
// look-up waits for others (DefaultWait when 0).
func New(s org.Store, wait time.Duration) *Store {
	if wait <= 0 {
		wait = DefaultWait
	}
	b := &Store{
		Store: s, underlying: s,
		primedFrom: map[string]primed{}, primedTo: map[string]primed{}, chains: map[string]bool{},
		memo: map[string]*call{},
	}
	opt := dataloadgen.WithWait(wait)
	b.node = dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]org.Node, error) {
		ns, err := s.FindNodes(ctx, org.NodeFilter{IDs: ids})
		return byKey(ns, err, func(n org.Node) string { return n.ID })
	}, opt)
	b.duty = dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]org.Duty, error) {
		ds, err := s.FindDuties(ctx, org.DutyFilter{IDs: ids})
		return byKey(ds, err, func(d org.Duty) string { return d.ID })
	}, opt)
	b.dutiesOf = dataloadgen.NewLoader(func(ctx context.Context, units []string) ([][]org.Duty, []error) {
		ds, err := s.FindDuties(ctx, org.DutyFilter{Units: units})
		return group(units, ds, err, func(d org.Duty) string { return d.Unit })
	}, opt)
	b.relsFrom = dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([][]org.Relation, []error) {
		rs, err := s.FindRelations(ctx, org.RelationFilter{From: ids})
		return group(ids, rs, err, func(r org.Relation) string { return r.From })
	}, opt)
	b.relsTo = dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([][]org.Relation, []error) {
		rs, err := s.FindRelations(ctx, org.RelationFilter{To: ids})
		return group(ids, rs, err, func(r org.Relation) string { return r.To })
	}, opt)
	b.chain = dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]org.Path, error) {
		ps, err := s.ChainsOfCommand(ctx, org.NodeFilter{IDs: ids})
		b.primePaths(ps)
		return byKey(ps, err, func(p org.Path) string { return p.Nodes[0].ID })
	}, opt)
	return b
}

func byKey[T any](items []T, err error, key func(T) string) (map[string]T, error) {
	if err != nil {
		return nil, err
	}
	out := make(map[string]T, len(items))
	for _, it := range items {
		out[key(it)] = it
	}
	return out, nil
}

// group sorts items into one list per key, keeping their order.
func group[T any](keys []string, items []T, err error, key func(T) string) ([][]T, []error) {
	if err != nil {
		errs := make([]error, len(keys))
		for i := range errs {
			errs[i] = err
		}
		return nil, errs
	}
	byKey := map[string][]T{}
	for _, it := range items {
		byKey[key(it)] = append(byKey[key(it)], it)
	}
	out := make([][]T, len(keys))
	for i, k := range keys {
		out[i] = byKey[k]
	}
	return out, nil
}

// once runs fn for the first of identical pass-through calls and hands its
// answer to the others.
func once[T any](b *Store, key string, fn func() (T, error)) (T, error) {
	b.mu.Lock()
	c, ok := b.memo[key]
	if !ok {
		c = &call{done: make(chan struct{})}
		b.memo[key] = c
	}
	b.mu.Unlock()
	if !ok {
		c.v, c.err = fn()
		close(c.done)
	}
	<-c.done
	v, _ := c.v.(T)
	return v, c.err
}

// loadMany loads the values of keys through l, all in the same batch,
// each key once, leaving out the unknown ones.
func loadMany[V any](ctx context.Context, l *dataloadgen.Loader[string, V], keys []string) ([]V, error) {
	keys = slices.Compact(slices.Sorted(slices.Values(keys)))
	thunks := make([]func() (V, error), len(keys))
	for i, k := range keys {
		thunks[i] = l.LoadThunk(ctx, k)
	}
	out := make([]V, 0, len(keys))
	for _, th := range thunks {
		v, err := th()
		if errors.Is(err, dataloadgen.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// loadNodes loads nodes by id, leaving out the unknown ones.
func (b *Store) loadNodes(ctx context.Context, ids []string) ([]org.Node, error) {
	return loadMany(ctx, b.node, ids)
}

// Prefetches says that lists should come with what their elements ask for:
// this store keeps it for them.
func (b *Store) Prefetches() {}

// FindNodeByID returns the node with the given id, batched.
func (b *Store) FindNodeByID(ctx context.Context, id string) (org.Node, error) {
	n, err := b.node.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return org.Node{}, org.Errorf(org.ENOTFOUND, "no node with id %q", id)
	}
	return n, err
}

// FindNodeByCode goes through, remembering the node.
func (b *Store) FindNodeByCode(ctx context.Context, code string) (org.Node, error) {
	n, err := b.underlying.FindNodeByCode(ctx, code)
	if err == nil {
		b.node.Prime(n.ID, n)
	}
	return n, err
}

// FindNodes batches a look-up by ids; any other goes through.
func (b *Store) FindNodes(ctx context.Context, f org.NodeFilter) ([]org.Node, error) {
	if f.IDs == nil || f.Ref != "" {
		ns, err := once(b, fmt.Sprintf("nodes %q %q", f.Ref, f.Kinds), func() ([]org.Node, error) {
			return b.underlying.FindNodes(ctx, f)
		})
		b.primeNodes(ns)
		return ns, err
	}
	ns, err := b.loadNodes(ctx, f.IDs)
	if err != nil {
		return nil, err
	}
	out := ns[:0]
	for _, n := range ns {
		if len(f.Kinds) == 0 || slices.Contains(f.Kinds, n.Kind) {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, org.CompareNodes)
	return out, nil
}

// FindRelations answers relations from, or to, a set of nodes from what
// the request already knows, or batched; any other look-up goes through.
func (b *Store) FindRelations(ctx context.Context, f org.RelationFilter) ([]org.Relation, error) {
	var ids []string
	var known map[string]primed
	var loader *dataloadgen.Loader[string, []org.Relation]
	switch {
	case f.From != nil && f.To == nil:
		ids, known, loader = f.From, b.primedFrom, b.relsFrom
	case f.To != nil && f.From == nil:
		ids, known, loader = f.To, b.primedTo, b.relsTo
	default:
		return once(b, fmt.Sprintf("relations %q %q %q", f.From, f.To, f.Kinds), func() ([]org.Relation, error) {
			return b.underlying.FindRelations(ctx, f)
		})
	}
	var out []org.Relation
	var missing []string
	b.mu.Lock()
	for _, id := range ids {
		if p, ok := known[id]; ok && p.covers(f.Kinds) {
			out = append(out, p.rels...)
		} else {
			missing = append(missing, id)
		}
	}
	b.mu.Unlock()
	if len(missing) > 0 {
		lists, err := loader.LoadAll(ctx, slices.Compact(slices.Sorted(slices.Values(missing))))
		if err != nil {
			return nil, err
		}
		for _, l := range lists {
			out = append(out, l...)
		}
	}
	kept := out[:0]
	seen := map[string]bool{}
	for _, r := range out {
		if !seen[r.ID] && (len(f.Kinds) == 0 || slices.Contains(f.Kinds, r.Kind)) {
			seen[r.ID] = true
			kept = append(kept, r)
		}
	}
	slices.SortFunc(kept, org.CompareRelations)
	return kept, nil
}

// FindDuties answers duties by id or by unit, batched; any other look-up
// goes through.
func (b *Store) FindDuties(ctx context.Context, f org.DutyFilter) ([]org.Duty, error) {
	var out []org.Duty
	switch {
	case f.IDs != nil && f.Units == nil:
		ds, err := loadMany(ctx, b.duty, f.IDs)
		if err != nil {
			return nil, err
		}
		out = ds
	case f.Units != nil && f.IDs == nil:
		lists, err := b.dutiesOf.LoadAll(ctx, slices.Compact(slices.Sorted(slices.Values(f.Units))))
		if err != nil {
			return nil, err
		}
		for _, l := range lists {
			out = append(out, l...)
		}
	default:
		return once(b, fmt.Sprintf("duties %q %q %v", f.IDs, f.Units, f.Common), func() ([]org.Duty, error) {
			return b.underlying.FindDuties(ctx, f)
		})
	}
	kept := out[:0]
	for _, d := range out {
		if f.Common == nil || *f.Common == d.Common {
			kept = append(kept, d)
		}
	}
	slices.SortFunc(kept, org.CompareDuties)
	return kept, nil
}

// bulk is how many unknown keys make a look-up go to the store at once
// rather than wait for others: a list's prefetch asks for all its
// elements in one call, and enqueuing them one by one could outlast the
// batching window and split them over several statements.
const bulk = 16

// ChainsOfCommand answers chains by node id from what the request knows, or
// batched, or, for many unknown ids, in one call; any other selection goes
// through.
func (b *Store) ChainsOfCommand(ctx context.Context, f org.NodeFilter) ([]org.Path, error) {
	if f.IDs == nil || f.Ref != "" || len(f.Kinds) > 0 {
		ps, err := b.underlying.ChainsOfCommand(ctx, f)
		b.primePaths(ps)
		return ps, err
	}
	ids := slices.Compact(slices.Sorted(slices.Values(f.IDs)))
	var unknown []string
	b.mu.Lock()
	for _, id := range ids {
		if _, ok := b.chains[id]; !ok {
			unknown = append(unknown, id)
		}
	}
	b.mu.Unlock()
	if len(unknown) > bulk {
		ps, err := b.underlying.ChainsOfCommand(ctx, org.NodeFilter{IDs: unknown})
		if err != nil {
			return nil, err
		}
		b.primePaths(ps)
	}
	out, err := loadMany(ctx, b.chain, ids)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(x, y org.Path) int { return org.CompareNodes(x.Nodes[0], y.Nodes[0]) })
	return out, nil
}

// FindNeighbourhood goes through and remembers all it brings, so that the
// nested fields of the answer find it here.
func (b *Store) FindNeighbourhood(ctx context.Context, f org.NodeFilter, a org.Around) (org.Neighbourhood, error) {
	if f.IDs != nil && f.Ref == "" && len(f.Kinds) == 0 {
		return b.known(ctx, f.IDs, a)
	}
	nb, err := b.underlying.FindNeighbourhood(ctx, f, a)
	if err != nil {
		return nb, err
	}
	b.primeNodes(nb.Nodes)
	b.primeNodes(nb.Ends)
	for _, d := range nb.Duties {
		b.duty.Prime(d.ID, d)
	}
	if a.Duties {
		held := map[string][]org.Duty{}
		for _, d := range nb.Duties {
			held[d.Unit] = append(held[d.Unit], d)
		}
		for _, n := range nb.Nodes {
			b.dutiesOf.Prime(n.ID, held[n.ID])
		}
	}
	if a.Relations {
		var kinds []org.RelationKind
		if len(a.Kinds) > 0 {
			kinds = a.Kinds
		}
		from, to := map[string][]org.Relation{}, map[string][]org.Relation{}
		for _, r := range nb.Relations {
			from[r.From] = append(from[r.From], r)
			to[r.To] = append(to[r.To], r)
		}
		b.mu.Lock()
		for _, n := range nb.Nodes {
			b.primedFrom[n.ID] = primed{rels: from[n.ID], kinds: kinds}
			b.primedTo[n.ID] = primed{rels: to[n.ID], kinds: kinds}
		}
		b.mu.Unlock()
	}
	return nb, nil
}

// known answers the neighbourhood of nodes given by id, which nested
// fields ask for, from what the request already knows, batching what it
// does not with the other look-ups of the moment.
func (b *Store) known(ctx context.Context, ids []string, a org.Around) (org.Neighbourhood, error) {
	var nb org.Neighbourhood
	var err error
	if nb.Nodes, err = b.FindNodes(ctx, org.NodeFilter{IDs: ids}); err != nil {
		return nb, err
	}
	if a.Duties {
		if nb.Duties, err = b.FindDuties(ctx, org.DutyFilter{Units: ids}); err != nil {
			return nb, err
		}
	}
	if !a.Relations {
		return nb, nil
	}
	out, err := b.FindRelations(ctx, org.RelationFilter{From: ids, Kinds: a.Kinds})
	if err != nil {
		return nb, err
	}
	in, err := b.FindRelations(ctx, org.RelationFilter{To: ids, Kinds: a.Kinds})
	if err != nil {
		return nb, err
	}
	asked := map[string]bool{}
	for _, id := range ids {
		asked[id] = true
	}
	seen := map[string]bool{}
	ends := []string{}
	for _, r := range slices.Concat(out, in) {
		if !seen[r.ID] {
			seen[r.ID] = true
			nb.Relations = append(nb.Relations, r)
		}
		if asked[r.From] {
			ends = append(ends, r.To)
		}
		if asked[r.To] {
			ends = append(ends, r.From)
		}
	}
	if nb.Ends, err = b.FindNodes(ctx, org.NodeFilter{IDs: ends}); err != nil {
		return nb, err
	}
	org.SortNeighbourhood(&nb)
	return nb, nil
}

// Subordinates goes through, remembering the nodes it brings.
func (b *Store) Subordinates(ctx context.Context, id string, maxDepth int) ([]org.Subordinate, error) {
	subs, err := b.underlying.Subordinates(ctx, id, maxDepth)
	for _, s := range subs {
		b.node.Prime(s.Node.ID, s.Node)
	}
	return subs, err
}

// ShortestPath goes through, remembering the nodes it brings.
func (b *Store) ShortestPath(ctx context.Context, from, to string, kinds []org.RelationKind) (org.Path, error) {
	p, err := b.underlying.ShortestPath(ctx, from, to, kinds)
	b.primeNodes(p.Nodes)
	return p, err
}

func (b *Store) primeNodes(ns []org.Node) {
	for _, n := range ns {
		b.node.Prime(n.ID, n)
	}
}

// KeepPaths remembers chains of command the service walked elsewhere (in
// the baseline it holds), and their nodes: org.PathKeeper.
func (b *Store) KeepPaths(ps []org.Path) { b.primePaths(ps) }

// primePaths remembers chains of command, and their nodes.
func (b *Store) primePaths(ps []org.Path) {
	b.mu.Lock()
	for _, p := range ps {
		b.chains[p.Nodes[0].ID] = true
	}
	b.mu.Unlock()
	for _, p := range ps {
		b.chain.Prime(p.Nodes[0].ID, p)
		b.primeNodes(p.Nodes)
	}
}
