package memstore

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/orgraph/orgraph/internal/org"
)

var _ org.Pager = (*Store)(nil)

// Pages. The long lists (nodes of a kind, all duties, relations of some
// kinds) are paged from an index: the sort keys of the list, sorted once,
// then a binary search for the cursor, so that a page costs its own items
// and a count costs nothing. The index is built when a list is first
// paged and belongs to the maps it was built from: a write builds new maps
// and a new index (reset), a frozen baseline shares its store's, and a
// fork, whose maps differ, starts its own. Short lists (a node's
// relations, a unit's duties, subordinates) are made whole and cut;
// search hits are read from an index of their own (search.go).

// pageIndex holds the sorted keys of the lists paged so far, by the list.
type pageIndex struct {
	mu   sync.Mutex
	keys map[string][]org.Cursor
	// search is every node's and duty's entry for Search (search.go).
	search []searchEntry
}

func newPageIndex() *pageIndex { return &pageIndex{keys: map[string][]org.Cursor{}} }

// sorted returns the keys of the list named list, made by build (then
// sorted) the first time. The caller holds the store's lock.
func (s *Store) sorted(list string, build func(add func(org.Cursor))) []org.Cursor {
	x := s.pages
	x.mu.Lock()
	defer x.mu.Unlock()
	if keys, ok := x.keys[list]; ok {
		return keys
	}
	keys := []org.Cursor{}
	build(func(c org.Cursor) { keys = append(keys, c) })
	slices.SortFunc(keys, org.Cursor.Compare)
	x.keys[list] = keys
	return keys
}

// kept returns the list kept under name, or the one build makes, kept
// when it is not empty. build makes it sorted. The caller holds the
// store's lock.
func (s *Store) kept(name string, build func() []org.Cursor) []org.Cursor {
	x := s.pages
	x.mu.Lock()
	keys, ok := x.keys[name]
	x.mu.Unlock()
	if ok {
		return keys
	}
	keys = build()
	if len(keys) > 0 {
		x.mu.Lock()
		x.keys[name] = keys
		x.mu.Unlock()
	}
	return keys
}

// pageKeys cuts a page of keys, then looks up its items.
func pageKeys[T any](keys []org.Cursor, p org.PageArgs, item func(id string) T) org.Page[T] {
	kp := org.PageOf(keys, func(c org.Cursor) org.Cursor { return c }, p)
	out := org.Page[T]{Items: make([]T, len(kp.Items)), Total: kp.Total, HasNext: kp.HasNext, HasPrevious: kp.HasPrevious}
	for i, k := range kp.Items {
		out.Items[i] = item(k.ID)
	}
	return out
}

// PageNodes pages FindNodes(f) of type typ; the nodes of some kinds (or
// all) from the index.
func (s *Store) PageNodes(ctx context.Context, f org.NodeFilter, typ string, p org.PageArgs) (org.Page[org.Node], error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	match := func(n org.Node) bool { return typ == "" || strings.EqualFold(n.Type, typ) }
	if f.Ref != "" || f.IDs != nil {
		return org.PageOf(slices.DeleteFunc(s.findNodes(f), func(n org.Node) bool { return !match(n) }), org.NodeKey, p), nil
	}
	kinds := slices.Clone(f.Kinds)
	slices.Sort(kinds)
	list := "nodes " + strings.Join(strs(slices.Compact(kinds)), ",")
	keys := s.sorted(list, func(add func(org.Cursor)) {
		for _, n := range s.nodes.all() {
			if matchKind(n, f.Kinds) {
				add(org.NodeKey(n))
			}
		}
	})
	if typ != "" {
		// Kept only for a type some node has, so that the index holds no
		// more lists than the graph has types, whatever types are asked.
		typed := s.kept(list+" "+strings.ToUpper(typ), func() []org.Cursor {
			var out []org.Cursor
			for _, k := range keys {
				if match(s.nodes.at(k.ID)) {
					out = append(out, k)
				}
			}
			return out
		})
		keys = typed
	}
	return pageKeys(keys, p, s.nodes.at), nil
}

// PageDuties pages FindDuties(f): a unit's from its list, all duties (or
// the common ones, or the others) from the index.
func (s *Store) PageDuties(ctx context.Context, f org.DutyFilter, p org.PageArgs) (org.Page[org.Duty], error) {
	if f.IDs != nil || f.Units != nil {
		ds, err := s.FindDuties(ctx, f)
		return org.PageOf(ds, org.DutyKey, p), err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	list := "duties"
	if f.Common != nil {
		list += map[bool]string{true: " common", false: " own"}[*f.Common]
	}
	keys := s.sorted(list, func(add func(org.Cursor)) {
		for _, d := range s.duties.all() {
			if f.Common == nil || *f.Common == d.Common {
				add(org.DutyKey(d))
			}
		}
	})
	return pageKeys(keys, p, s.duties.at), nil
}

// PageRelations pages FindRelations(f): a node's from its lists, those of
// some kinds (or all) from the index.
func (s *Store) PageRelations(ctx context.Context, f org.RelationFilter, p org.PageArgs) (org.Page[org.Relation], error) {
	if f.From != nil || f.To != nil {
		rs, err := s.FindRelations(ctx, f)
		return org.PageOf(rs, org.RelationKey, p), err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	kinds := slices.Clone(f.Kinds)
	slices.Sort(kinds)
	kinds = slices.Compact(kinds)
	keys := s.sorted("relations "+strings.Join(strs(kinds), ","), func(add func(org.Cursor)) {
		for _, r := range s.relations.all() {
			if len(kinds) == 0 || slices.Contains(kinds, r.Kind) {
				add(org.RelationKey(r))
			}
		}
	})
	return pageKeys(keys, p, s.relations.at), nil
}

// PageSubordinates pages Subordinates(id, maxDepth): the walk is made
// whole (a breadth-first walk cannot start in the middle), then cut.
func (s *Store) PageSubordinates(ctx context.Context, id string, maxDepth int, p org.PageArgs) (org.Page[org.Subordinate], error) {
	subs, err := s.Subordinates(ctx, id, maxDepth)
	if err != nil {
		return org.Page[org.Subordinate]{}, err
	}
	return org.PageOf(subs, org.SubordinateKey, p), nil
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
