package neo4jstore

import (
	"context"
	"math"

	"github.com/orgraph/orgraph/internal/org"
)

// Subordinates walks REPORTS_TO downwards from id, in one query.
func (s *Store) Subordinates(ctx context.Context, id string, maxDepth int) ([]org.Subordinate, error) {
	vs, err := s.read(ctx, "subordinates", subordinatesQuery, map[string]any{"id": id, "maxDepth": maxDepth})
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, org.Errorf(org.ENOTFOUND, "no node with id %q", id)
	}
	var out []org.Subordinate
	for _, v := range vs[0].([]any) {
		m := v.(map[string]any)
		out = append(out, org.Subordinate{Node: decodeNode(m["node"]), Depth: num(m, "depth"), Superior: str(m, "superior")})
	}
	return out, nil
}

// ShortestPath finds the least shortest walk between two nodes, in one query.
func (s *Store) ShortestPath(ctx context.Context, from, to string, kinds []org.RelationKind) (org.Path, error) {
	vs, err := s.read(ctx, "shortest path", shortestPathQuery, map[string]any{
		"from": from, "to": to, "kinds": kindNames(kinds),
	})
	if err != nil {
		return org.Path{}, err
	}
	if len(vs) == 0 {
		// Say which node is unknown, as memstore does.
		for _, id := range []string{from, to} {
			if _, err := s.FindNodeByID(ctx, id); err != nil {
				return org.Path{}, err
			}
		}
		return org.Path{}, org.Errorf(org.ENOTFOUND, "no node with id %q", from)
	}
	if vs[0] == nil {
		return org.Path{}, org.Errorf(org.ENOTFOUND, "no path from %q to %q", from, to)
	}
	var p org.Path
	for i, v := range vs[0].([]any) {
		step := v.(map[string]any)
		p.Nodes = append(p.Nodes, decodeNode(step["node"]))
		if i > 0 {
			reversed, _ := step["reversed"].(bool)
			p.Links = append(p.Links, org.Link{Relation: decodeRelation(step["link"]), Reversed: reversed})
		}
	}
	return p, nil
}

// needle is the term a search finds its candidates by in the text
// indexes, after the space that starts a word: the longest, which fewer
// texts hold than a shorter one would.
func needle(terms []string) string {
	longest := terms[0]
	for _, t := range terms[1:] {
		if len(t) > len(longest) {
			longest = t
		}
	}
	return " " + longest
}

// Search matches every term of q against the start of the words of node
// names and duty texts, in one query.
func (s *Store) Search(ctx context.Context, q string, limit int) ([]org.SearchHit, error) {
	terms := org.Terms(q)
	if len(terms) == 0 {
		return nil, org.Errorf(org.EINVALID, "the search %q has no word to look for", q)
	}
	if limit <= 0 {
		limit = math.MaxInt64
	}
	vs, err := s.read(ctx, "search", searchQuery, map[string]any{"terms": terms, "needle": needle(terms), "limit": limit})
	if err != nil {
		return nil, err
	}
	var out []org.SearchHit
	for _, v := range vs {
		m := v.(map[string]any)
		if n, ok := m["node"]; ok {
			node := decodeNode(n)
			out = append(out, org.SearchHit{Node: &node})
			continue
		}
		duty := decodeDuty(m["duty"])
		out = append(out, org.SearchHit{Duty: &duty})
	}
	return out, nil
}
