package org

import (
	"cmp"
	"context"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
)

// Pages of the lists that grow: a list is cut in the order its store
// returns it (by Seq, then ID; subordinates by depth first; search hits
// nodes first), and a page starts after a cursor, the sort key of the last
// item seen. A key, not an offset: a page after a cursor stays the same
// when items are added before it.

// DefaultPageSize is how many items a page holds when the caller does not say.
const DefaultPageSize = 50

// MaxPageSize bounds the items of one page.
const MaxPageSize = 1000

// Cursor is a place in one of the orders stores list things in: items
// after it sort above (Rank, Seq, ID).
type Cursor struct {
	// Rank comes before Seq: a subordinate's depth; a search hit's part
	// (0 for nodes, 1 for duties); 0 elsewhere.
	Rank int
	Seq  int
	ID   string
}

// Compare orders cursors as the lists are ordered.
func (c Cursor) Compare(d Cursor) int {
	return cmp.Or(cmp.Compare(c.Rank, d.Rank), cmp.Compare(c.Seq, d.Seq), cmp.Compare(c.ID, d.ID))
}

// PageArgs says which page: at most First items (1 to MaxPageSize), after
// the cursor After (from the start when nil).
type PageArgs struct {
	First int
	After *Cursor
}

// Page is one page of a list.
type Page[T any] struct {
	Items []T
	// Cursors[i] is the cursor of Items[i], to ask for the page after it.
	// Stores leave it empty; the service fills it in.
	Cursors []string
	// Total is the length of the whole list, every page together.
	Total int
	// HasNext: items follow the page; HasPrevious: items come before it.
	HasNext, HasPrevious bool
}

// Pager is a store that cuts its lists into pages itself, counting the
// whole without handing it over. Each method answers the list its Store
// counterpart does, cut as p says; a service over a store that is no
// Pager cuts the whole list (PageNodes and the like, below).
type Pager interface {
	// PageNodes pages FindNodes(f), keeping the nodes whose Type equals typ
	// in any case when typ is set.
	PageNodes(ctx context.Context, f NodeFilter, typ string, p PageArgs) (Page[Node], error)
	// PageDuties pages FindDuties(f).
	PageDuties(ctx context.Context, f DutyFilter, p PageArgs) (Page[Duty], error)
	// PageRelations pages FindRelations(f).
	PageRelations(ctx context.Context, f RelationFilter, p PageArgs) (Page[Relation], error)
	// PageSearch pages Search(q, no limit). EINVALID for a query with no term.
	PageSearch(ctx context.Context, q string, p PageArgs) (Page[SearchHit], error)
	// PageSubordinates pages Subordinates(id, maxDepth). ENOTFOUND.
	PageSubordinates(ctx context.Context, id string, maxDepth int, p PageArgs) (Page[Subordinate], error)
}

// The sort keys of the items of each list.

// NodeKey is a node's place in a list of nodes.
func NodeKey(n Node) Cursor { return Cursor{Seq: n.Seq, ID: n.ID} }

// DutyKey is a duty's place in a list of duties.
func DutyKey(d Duty) Cursor { return Cursor{Seq: d.Seq, ID: d.ID} }

// RelationKey is a relation's place in a list of relations.
func RelationKey(r Relation) Cursor { return Cursor{Seq: r.Seq, ID: r.ID} }

// SubordinateKey is a subordinate's place in a list of subordinates.
func SubordinateKey(s Subordinate) Cursor {
	return Cursor{Rank: s.Depth, Seq: s.Node.Seq, ID: s.Node.ID}
}

// HitKey is a search hit's place among the hits: nodes, then duties.
func HitKey(h SearchHit) Cursor {
	if h.Node != nil {
		return Cursor{Rank: 0, Seq: h.Node.Seq, ID: h.Node.ID}
	}
	return Cursor{Rank: 1, Seq: h.Duty.Seq, ID: h.Duty.ID}
}

// PageOf cuts the page p asks for out of items, sorted by key: a binary
// search for the cursor, so that a store holding a sorted list pays for the
// page only.
func PageOf[T any](items []T, key func(T) Cursor, p PageArgs) Page[T] {
	start := 0
	if p.After != nil {
		start, _ = slices.BinarySearchFunc(items, *p.After, func(item T, c Cursor) int {
			if key(item).Compare(c) <= 0 {
				return -1
			}
			return 1
		})
	}
	end := min(len(items), start+p.First)
	return Page[T]{
		Items: slices.Clone(items[start:end]), Total: len(items),
		HasNext: end < len(items), HasPrevious: start > 0,
	}
}

// The pages of any store: its own when it is a Pager, else cut from the
// whole list. Stores that wrap another (observe, batch) call these, so
// that the store inside pages as it can.

// PageNodes pages s.FindNodes(f), of type typ when set.
func PageNodes(ctx context.Context, s Store, f NodeFilter, typ string, p PageArgs) (Page[Node], error) {
	if pg, ok := s.(Pager); ok {
		return pg.PageNodes(ctx, f, typ, p)
	}
	ns, err := s.FindNodes(ctx, f)
	if err != nil {
		return Page[Node]{}, err
	}
	if typ != "" {
		ns = slices.DeleteFunc(ns, func(n Node) bool { return !strings.EqualFold(n.Type, typ) })
	}
	return PageOf(ns, NodeKey, p), nil
}

// PageDuties pages s.FindDuties(f).
func PageDuties(ctx context.Context, s Store, f DutyFilter, p PageArgs) (Page[Duty], error) {
	if pg, ok := s.(Pager); ok {
		return pg.PageDuties(ctx, f, p)
	}
	ds, err := s.FindDuties(ctx, f)
	if err != nil {
		return Page[Duty]{}, err
	}
	return PageOf(ds, DutyKey, p), nil
}

// PageRelations pages s.FindRelations(f).
func PageRelations(ctx context.Context, s Store, f RelationFilter, p PageArgs) (Page[Relation], error) {
	if pg, ok := s.(Pager); ok {
		return pg.PageRelations(ctx, f, p)
	}
	rs, err := s.FindRelations(ctx, f)
	if err != nil {
		return Page[Relation]{}, err
	}
	return PageOf(rs, RelationKey, p), nil
}

// PageSearch pages every hit of s.Search(q).
func PageSearch(ctx context.Context, s Store, q string, p PageArgs) (Page[SearchHit], error) {
	if pg, ok := s.(Pager); ok {
		return pg.PageSearch(ctx, q, p)
	}
	hs, err := s.Search(ctx, q, 0)
	if err != nil {
		return Page[SearchHit]{}, err
	}
	return PageOf(hs, HitKey, p), nil
}

// PageSubordinates pages s.Subordinates(id, maxDepth).
func PageSubordinates(ctx context.Context, s Store, id string, maxDepth int, p PageArgs) (Page[Subordinate], error) {
	if pg, ok := s.(Pager); ok {
		return pg.PageSubordinates(ctx, id, maxDepth, p)
	}
	subs, err := s.Subordinates(ctx, id, maxDepth)
	if err != nil {
		return Page[Subordinate]{}, err
	}
	return PageOf(subs, SubordinateKey, p), nil
}

// Cursors are opaque to clients: base64 of the list they belong to and
// the key, so that a cursor of one list is refused by another.

const cursorVersion = "c1"

// EncodeCursor writes c as the opaque cursor of the list named list.
func EncodeCursor(list string, c Cursor) string {
	s := strings.Join([]string{cursorVersion, list, strconv.Itoa(c.Rank), strconv.Itoa(c.Seq), c.ID}, ":")
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

// MaxCursorLength bounds a cursor: longer input is no cursor of orgraph's.
const MaxCursorLength = 400

// DecodeCursor reads a cursor of the list named list. EINVALID for a
// string that is no cursor, or one of another list.
func DecodeCursor(list, s string) (Cursor, error) {
	bad := Errorf(EINVALID, "after: not a cursor of this list; pass an endCursor or a cursor of an edge it answered")
	if len(s) > MaxCursorLength {
		return Cursor{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, bad
	}
	parts := strings.SplitN(string(raw), ":", 5)
	if len(parts) != 5 || parts[0] != cursorVersion || parts[1] != list || parts[4] == "" {
		return Cursor{}, bad
	}
	rank, err1 := strconv.Atoi(parts[2])
	seq, err2 := strconv.Atoi(parts[3])
	if err1 != nil || err2 != nil {
		return Cursor{}, bad
	}
	return Cursor{Rank: rank, Seq: seq, ID: parts[4]}, nil
}
