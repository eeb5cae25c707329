package org

import (
	"context"
	"strings"
)

// The paged questions: each is the list its plain counterpart answers
// (Nodes, Duties, FindRelations, Search, Subordinates), one page of it, in
// one store call (PageNodes and the like, page.go).

// pageArgs checks first (1 to MaxPageSize) and reads after, a cursor of
// the list named list ("" for the first page). EINVALID.
func pageArgs(list string, first int, after string) (PageArgs, error) {
	if first < 1 || first > MaxPageSize {
		return PageArgs{}, Errorf(EINVALID, "first takes 1 to %d items", MaxPageSize)
	}
	p := PageArgs{First: first}
	if after != "" {
		c, err := DecodeCursor(list, after)
		if err != nil {
			return PageArgs{}, err
		}
		p.After = &c
	}
	return p, nil
}

// withCursors fills in the cursors of a page of the list named list.
func withCursors[T any](pg Page[T], err error, list string, key func(T) Cursor) (Page[T], error) {
	if err != nil {
		return Page[T]{}, err
	}
	pg.Cursors = make([]string, len(pg.Items))
	for i, item := range pg.Items {
		pg.Cursors[i] = EncodeCursor(list, key(item))
	}
	return pg, nil
}

// NodesPage is a page of Nodes(kind, typ): the nodes of a kind, of one
// type when typ is set. EINVALID for a bad first or after.
func (s *Service) NodesPage(ctx context.Context, kind NodeKind, typ string, first int, after string) (Page[Node], error) {
	list := strings.ToLower(string(kind))
	p, err := pageArgs(list, first, after)
	if err != nil {
		return Page[Node]{}, err
	}
	pg, err := PageNodes(ctx, s.Store, NodeFilter{Kinds: []NodeKind{kind}}, typ, p)
	return withCursors(pg, err, list, NodeKey)
}

// DutiesPage is a page of Duties(ref, common).
func (s *Service) DutiesPage(ctx context.Context, ref string, common *bool, first int, after string) (Page[Duty], error) {
	p, err := pageArgs("duty", first, after)
	if err != nil {
		return Page[Duty]{}, err
	}
	f := DutyFilter{Common: common}
	if ref != "" {
		u, err := s.ResolveUnit(ctx, ref)
		if err != nil {
			return Page[Duty]{}, err
		}
		f.Units = []string{u.ID}
	}
	pg, err := PageDuties(ctx, s.Store, f, p)
	return withCursors(pg, err, "duty", DutyKey)
}

// RelationsPage is a page of FindRelations(kinds, from, to).
func (s *Service) RelationsPage(ctx context.Context, kinds []RelationKind, from, to string, first int, after string) (Page[Relation], error) {
	p, err := pageArgs("relation", first, after)
	if err != nil {
		return Page[Relation]{}, err
	}
	f := RelationFilter{Kinds: kinds}
	for _, end := range []struct {
		ref string
		ids *[]string
	}{{from, &f.From}, {to, &f.To}} {
		if end.ref != "" {
			n, err := s.Resolve(ctx, end.ref)
			if err != nil {
				return Page[Relation]{}, err
			}
			*end.ids = []string{n.ID}
		}
	}
	pg, err := PageRelations(ctx, s.Store, f, p)
	return withCursors(pg, err, "relation", RelationKey)
}

// SearchPage is a page of every hit of Search(q): no limit but the page's.
func (s *Service) SearchPage(ctx context.Context, q string, first int, after string) (Page[SearchHit], error) {
	if len(q) > MaxSearchText {
		return Page[SearchHit]{}, Errorf(EINVALID, "the search text is longer than %d bytes", MaxSearchText)
	}
	p, err := pageArgs("search", first, after)
	if err != nil {
		return Page[SearchHit]{}, err
	}
	pg, err := PageSearch(ctx, s.Store, q, p)
	return withCursors(pg, err, "search", HitKey)
}

// SubordinatesPage is a page of Subordinates of the node ref names.
func (s *Service) SubordinatesPage(ctx context.Context, ref string, all bool, first int, after string) (Page[Subordinate], error) {
	p, err := pageArgs("subordinate", first, after)
	if err != nil {
		return Page[Subordinate]{}, err
	}
	n, err := s.Resolve(ctx, ref)
	if err != nil {
		return Page[Subordinate]{}, err
	}
	depth := 1
	if all {
		depth = 0
	}
	pg, err := PageSubordinates(ctx, s.Store, n.ID, depth, p)
	return withCursors(pg, err, "subordinate", SubordinateKey)
}
