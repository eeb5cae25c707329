package neo4jstore

import (
	"context"
	"math"
	"slices"
	"strings"

	"github.com/orgraph/orgraph/internal/org"
)

var _ org.Pager = (*Store)(nil)

// Pages. The long lists (nodes of a kind, every duty, relations of some
// kinds, search hits, subordinates) are paged in Cypher, one statement a
// page (cypher_page.go); the short ones a filter of ids or ends selects
// (a node's relations, a unit's duties) are read whole and cut, as
// FindRelations and FindDuties read them.

// after is the key a page starts after: the cursor's, or for the first
// page one below every key.
func after(p org.PageArgs) org.Cursor {
	if p.After == nil {
		return org.Cursor{Rank: math.MinInt64, Seq: math.MinInt64, ID: ""}
	}
	return *p.After
}

// pageParams are the parameters every page query takes.
func pageParams(p org.PageArgs) map[string]any {
	c := after(p)
	return map[string]any{"rank": c.Rank, "seq": c.Seq, "id": c.ID, "first": p.First, "limit": p.First + 1}
}

// readPage runs a page query and decodes its one record: items (decoded
// by decode, then sorted by key), total, and either next or one item more
// than the page holds.
func readPage[T any](ctx context.Context, s *Store, op, query string, params map[string]any, p org.PageArgs,
	decode func(any) T, key func(T) org.Cursor) (org.Page[T], bool, error) {
	vs, err := s.read(ctx, op, query, params)
	if err != nil || len(vs) == 0 {
		return org.Page[T]{}, false, err
	}
	m := vs[0].(map[string]any)
	var pg org.Page[T]
	for _, v := range m["items"].([]any) {
		pg.Items = append(pg.Items, decode(v))
	}
	slices.SortFunc(pg.Items, func(a, b T) int { return key(a).Compare(key(b)) })
	pg.Total = num(m, "total")
	pg.HasPrevious, _ = m["before"].(bool)
	if next, ok := m["next"].(bool); ok {
		pg.HasNext = next
	} else if len(pg.Items) > p.First {
		pg.Items, pg.HasNext = pg.Items[:p.First], true
	}
	return pg, true, nil
}

// PageNodes pages FindNodes(f) of type typ.
func (s *Store) PageNodes(ctx context.Context, f org.NodeFilter, typ string, p org.PageArgs) (org.Page[org.Node], error) {
	if f.Ref != "" || f.IDs != nil {
		ns, err := s.FindNodes(ctx, f)
		if err != nil {
			return org.Page[org.Node]{}, err
		}
		ns = slices.DeleteFunc(ns, func(n org.Node) bool { return typ != "" && !strings.EqualFold(n.Type, typ) })
		return org.PageOf(ns, org.NodeKey, p), nil
	}
	params := pageParams(p)
	params["nodeKinds"], params["type"] = strs(f.Kinds), strings.ToUpper(typ)
	pg, _, err := readPage(ctx, s, "page nodes", pageNodesQuery, params, p, decodeNode, org.NodeKey)
	return pg, err
}

// PageDuties pages FindDuties(f).
func (s *Store) PageDuties(ctx context.Context, f org.DutyFilter, p org.PageArgs) (org.Page[org.Duty], error) {
	if f.IDs != nil || f.Units != nil {
		ds, err := s.FindDuties(ctx, f)
		return org.PageOf(ds, org.DutyKey, p), err
	}
	params := pageParams(p)
	params["common"] = nil
	if f.Common != nil {
		params["common"] = *f.Common
	}
	pg, _, err := readPage(ctx, s, "page duties", pageDutiesQuery, params, p, decodeDuty, org.DutyKey)
	return pg, err
}

// PageRelations pages FindRelations(f).
func (s *Store) PageRelations(ctx context.Context, f org.RelationFilter, p org.PageArgs) (org.Page[org.Relation], error) {
	if f.From != nil || f.To != nil {
		rs, err := s.FindRelations(ctx, f)
		return org.PageOf(rs, org.RelationKey, p), err
	}
	params := pageParams(p)
	params["kinds"] = kindNames(f.Kinds)
	pg, _, err := readPage(ctx, s, "page relations", pageRelationsQuery, params, p, decodeRelation, org.RelationKey)
	return pg, err
}

// PageSearch pages every hit of Search(q).
func (s *Store) PageSearch(ctx context.Context, q string, p org.PageArgs) (org.Page[org.SearchHit], error) {
	terms := org.Terms(q)
	if len(terms) == 0 {
		return org.Page[org.SearchHit]{}, org.Errorf(org.EINVALID, "the search %q has no word to look for", q)
	}
	params := pageParams(p)
	params["terms"] = terms
	params["needle"] = needle(terms)
	pg, _, err := readPage(ctx, s, "page search", pageSearchQuery, params, p, decodeHit, org.HitKey)
	return pg, err
}

func decodeHit(v any) org.SearchHit {
	m := v.(map[string]any)
	if n, ok := m["node"]; ok {
		node := decodeNode(n)
		return org.SearchHit{Node: &node}
	}
	duty := decodeDuty(m["duty"])
	return org.SearchHit{Duty: &duty}
}

// PageSubordinates pages Subordinates(id, maxDepth).
func (s *Store) PageSubordinates(ctx context.Context, id string, maxDepth int, p org.PageArgs) (org.Page[org.Subordinate], error) {
	params := pageParams(p)
	params["id0"], params["maxDepth"] = id, maxDepth
	pg, found, err := readPage(ctx, s, "page subordinates", pageSubordinatesQuery, params, p, decodeSubordinate, org.SubordinateKey)
	if err == nil && !found {
		return org.Page[org.Subordinate]{}, org.Errorf(org.ENOTFOUND, "no node with id %q", id)
	}
	return pg, err
}

func decodeSubordinate(v any) org.Subordinate {
	m := v.(map[string]any)
	return org.Subordinate{Node: decodeNode(m["node"]), Depth: num(m, "depth"), Superior: str(m, "superior")}
}
