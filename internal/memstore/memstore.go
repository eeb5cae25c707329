// Package memstore is the embedded, in-process store: the zero-setup default,
// and the oracle the Neo4j store is checked against.
package memstore

import (
	"cmp"
	"context"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/orgraph/orgraph/internal/org"
)

var _ org.Store = (*Store)(nil)

// Store keeps the graph in memory. It is safe for concurrent use.
//
// Its maps are layers (layer.go): the baseline's are built whole by each
// write and never changed in place after, so that a scenario's view
// (Fork) shares them and holds only what its changes change.
type Store struct {
	mu        sync.RWMutex
	documents layer[org.Document]
	nodes     layer[org.Node]
	codes     layer[string] // unit code → node id
	relations layer[org.Relation]
	duties    layer[org.Duty]
	folded    layer[string] // node or duty id → FoldedWords of its text
	// out and in index relations by their ends, each list ordered by Seq, then ID.
	out, in layer[[]org.Relation]
	// held indexes duties by the unit holding them, ordered by Seq, then ID.
	held layer[[]org.Duty]
	// subs indexes duties by their parent.
	subs layer[[]string]
	// kinds indexes the baseline's relations by kind, ordered by Seq, then
	// ID; a fork reads it through its layer of relations (ofKind).
	kinds  map[org.RelationKind][]org.Relation
	maxSeq int // the greatest Seq of the baseline's nodes, relations and duties
	// pages holds the sorted keys of the lists paged over these maps (pages.go).
	pages *pageIndex
	// forkOf is, for a fork, the maps of the store it was made from as
	// they were then (Fork), whose search index it reads; nil for any
	// other store.
	forkOf *Store

	revision atomic.Int64 // bumped whenever the baseline is replaced

	scenarios map[string]org.Scenario
	audit     []org.AuditEntry // oldest first
	applied   bool             // a scenario has changed the baseline (or Replace set it), so the data file keeps it

	// What a store made by Open keeps on disk (persist.go); all nil for one
	// made by New.
	path    string   // the data file
	lock    *os.File // the data directory's lock (LockFile), held from Open to Close
	log     *wal     // the log, written by the committer goroutine only
	commits chan *commit
	stopped chan struct{} // closed when the committer has ended
	// writing is held for reading by every write while it is under way, and
	// for writing by those that need none under way: Replace, SetBaseline,
	// Close. closed is set by Close under it.
	writing sync.RWMutex
	// applying is held by ApplyScenario, so that two applies do not both
	// replace the baseline they read.
	applying sync.Mutex
	closed   bool
	// scenarioLocks queue writes to one scenario.
	scenarioLocks keyLocks
}

// New returns an empty store.
func New() *Store {
	s := &Store{scenarios: map[string]org.Scenario{}}
	s.reset()
	return s
}

func (s *Store) reset() {
	s.documents = newLayer[org.Document]()
	s.nodes = newLayer[org.Node]()
	s.codes = newLayer[string]()
	s.relations = newLayer[org.Relation]()
	s.duties = newLayer[org.Duty]()
	s.folded = newLayer[string]()
	s.out = newLayer[[]org.Relation]()
	s.in = newLayer[[]org.Relation]()
	s.held = newLayer[[]org.Duty]()
	s.subs = newLayer[[]string]()
	s.kinds = map[org.RelationKind][]org.Relation{}
	s.maxSeq = 0
	s.pages = newPageIndex()
}

// Load merges g into the store. The merged graph is validated first, so a
// graph that would leave the store broken changes nothing.
func (s *Store) Load(ctx context.Context, g *org.Graph) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	merged := s.snapshot()
	merged = org.Upsert(merged, g)
	if err := org.Validate(merged); err != nil {
		return err
	}
	s.replace(merged)
	return nil
}

// replace makes g the store's whole graph; g is valid. The caller holds
// the lock. It builds new maps rather than changing the old ones, which
// views forked from them keep reading.
func (s *Store) replace(merged *org.Graph) {
	s.revision.Add(1)
	s.reset()
	for _, d := range merged.Documents {
		s.documents.own[d.ID] = d
	}
	for _, n := range merged.Nodes {
		s.nodes.own[n.ID] = n
		if n.Code != "" {
			s.codes.own[n.Code] = n.ID
		}
		s.folded.own[n.ID] = org.FoldedWords(n.Name)
		s.maxSeq = max(s.maxSeq, n.Seq)
	}
	for _, d := range merged.Duties {
		s.duties.own[d.ID] = d
		s.held.own[d.Unit] = append(s.held.own[d.Unit], d)
		s.folded.own[d.ID] = org.FoldedWords(d.Text)
		if d.Parent != "" {
			s.subs.own[d.Parent] = append(s.subs.own[d.Parent], d.ID)
		}
		s.maxSeq = max(s.maxSeq, d.Seq)
	}
	for _, ds := range s.held.own {
		slices.SortFunc(ds, org.CompareDuties)
	}
	for _, r := range merged.Relations {
		s.relations.own[r.ID] = r
		s.out.own[r.From] = append(s.out.own[r.From], r)
		s.in.own[r.To] = append(s.in.own[r.To], r)
		s.kinds[r.Kind] = append(s.kinds[r.Kind], r)
		s.maxSeq = max(s.maxSeq, r.Seq)
	}
	for _, rs := range s.kinds {
		slices.SortFunc(rs, byRelationSeq)
	}
	for _, idx := range []map[string][]org.Relation{s.out.own, s.in.own} {
		for _, rs := range idx {
			slices.SortFunc(rs, byRelationSeq)
		}
	}
}

// snapshot returns the store's contents as a graph, in Seq order.
func (s *Store) snapshot() *org.Graph {
	g := &org.Graph{}
	for _, d := range s.documents.all() {
		g.Documents = append(g.Documents, d)
	}
	for _, n := range s.nodes.all() {
		g.Nodes = append(g.Nodes, n)
	}
	for _, r := range s.relations.all() {
		g.Relations = append(g.Relations, r)
	}
	for _, d := range s.duties.all() {
		g.Duties = append(g.Duties, d)
	}
	slices.SortFunc(g.Documents, func(a, b org.Document) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(g.Nodes, byNodeSeq)
	slices.SortFunc(g.Relations, byRelationSeq)
	slices.SortFunc(g.Duties, byDutySeq)
	return g
}

// Revision names the baseline's state: it changes with every Load and
// ApplyScenario.
func (s *Store) Revision(ctx context.Context) (string, error) {
	return s.rev(), nil
}

func (s *Store) rev() string { return strconv.FormatInt(s.revision.Load(), 10) }

// Empty reports whether the store holds no node.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.nodes.empty(), nil
}

// FindDocuments returns every document, ordered by ID.
func (s *Store) FindDocuments(ctx context.Context) ([]org.Document, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []org.Document{}
	for _, d := range s.documents.all() {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b org.Document) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// FindNodeByID returns the node with the given id.
func (s *Store) FindNodeByID(ctx context.Context, id string) (org.Node, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n, ok := s.nodes.get(id)
	if !ok {
		return org.Node{}, org.Errorf(org.ENOTFOUND, "no node with id %q", id)
	}
	return n, nil
}

// FindNodeByCode returns the unit with the given code.
func (s *Store) FindNodeByCode(ctx context.Context, code string) (org.Node, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.codes.get(code)
	if !ok {
		return org.Node{}, org.Errorf(org.ENOTFOUND, "no unit with code %q", code)
	}
	return s.nodes.at(id), nil
}

// FindNodes returns the nodes that match f, ordered by Seq, then ID.
func (s *Store) FindNodes(ctx context.Context, f org.NodeFilter) ([]org.Node, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.findNodes(f), nil
}

// findNodes is FindNodes for a caller that holds the lock.
func (s *Store) findNodes(f org.NodeFilter) []org.Node {
	var out []org.Node
	if f.Ref != "" {
		if n, ok := s.resolve(f.Ref); ok && matchKind(n, f.Kinds) {
			out = append(out, n)
		}
	} else if f.IDs != nil {
		seen := map[string]bool{}
		for _, id := range f.IDs {
			if n, ok := s.nodes.get(id); ok && !seen[id] && matchKind(n, f.Kinds) {
				seen[id] = true
				out = append(out, n)
			}
		}
	} else {
		for _, n := range s.nodes.all() {
			if matchKind(n, f.Kinds) {
				out = append(out, n)
			}
		}
	}
	slices.SortFunc(out, byNodeSeq)
	return out
}

func matchKind(n org.Node, kinds []org.NodeKind) bool {
	return len(kinds) == 0 || slices.Contains(kinds, n.Kind)
}

// FindRelations returns the relations that match f, ordered by Seq, then ID.
func (s *Store) FindRelations(ctx context.Context, f org.RelationFilter) ([]org.Relation, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var candidates []org.Relation
	switch {
	case f.From != nil:
		for _, id := range unique(f.From) {
			candidates = append(candidates, s.out.at(id)...)
		}
	case f.To != nil:
		for _, id := range unique(f.To) {
			candidates = append(candidates, s.in.at(id)...)
		}
	case len(f.Kinds) > 0:
		kinds := slices.Clone(f.Kinds)
		slices.Sort(kinds)
		for _, k := range slices.Compact(kinds) {
			candidates = append(candidates, s.ofKind(k)...)
		}
	default:
		for _, r := range s.relations.all() {
			candidates = append(candidates, r)
		}
	}
	out := candidates[:0:0]
	to := set(f.To)
	for _, r := range candidates {
		if (f.To == nil || to[r.To]) && (len(f.Kinds) == 0 || slices.Contains(f.Kinds, r.Kind)) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, byRelationSeq)
	return out, nil
}

// ofKind returns the relations of a kind: the baseline's index, and in a
// fork, less what the fork changed, with what it added. The caller holds
// the lock and does not change the slice.
func (s *Store) ofKind(k org.RelationKind) []org.Relation {
	if s.relations.base == nil {
		return s.kinds[k]
	}
	var out []org.Relation
	for _, r := range s.kinds[k] {
		if _, changed := s.relations.own[r.ID]; !changed && !s.relations.gone[r.ID] {
			out = append(out, r)
		}
	}
	for _, r := range s.relations.own {
		if r.Kind == k {
			out = append(out, r)
		}
	}
	return out
}

// FindDuties returns the duties that match f, ordered by Seq, then ID.
func (s *Store) FindDuties(ctx context.Context, f org.DutyFilter) ([]org.Duty, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []org.Duty
	if f.IDs == nil && f.Units != nil { // through the index of duties by unit
		for _, u := range unique(f.Units) {
			for _, d := range s.held.at(u) {
				if f.Common == nil || *f.Common == d.Common {
					out = append(out, d)
				}
			}
		}
		if len(f.Units) > 1 {
			slices.SortFunc(out, byDutySeq)
		}
		return out, nil
	}
	ids, units := set(f.IDs), set(f.Units)
	for _, d := range s.duties.all() {
		if (f.IDs == nil || ids[d.ID]) &&
			(f.Units == nil || units[d.Unit]) &&
			(f.Common == nil || *f.Common == d.Common) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, byDutySeq)
	return out, nil
}

func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func unique(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

var (
	byNodeSeq     = org.CompareNodes
	byRelationSeq = org.CompareRelations
	byDutySeq     = org.CompareDuties
)
