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
// names and duty texts.
//
// A search with a limit first reads a window: the first nodes and the
// first duties in hit order (searchWindow of each, through the seq
// indexes), matched in place. The first hits within a window are the
// first hits of all, so when the window holds enough of them, or is the
// whole of its part, it is the answer: a word that many texts hold costs
// the window, not a sort of every text that holds it. Otherwise the
// search finds its candidates in the text indexes (searchQuery).
func (s *Store) Search(ctx context.Context, q string, limit int) ([]org.SearchHit, error) {
	terms := org.Terms(q)
	if len(terms) == 0 {
		return nil, org.Errorf(org.EINVALID, "the search %q has no word to look for", q)
	}
	params := map[string]any{"terms": terms, "needle": needle(terms), "limit": limit}
	if limit > 0 && limit <= windowedSearchLimit {
		params["window"] = searchWindow
		vs, err := s.read(ctx, "search", windowSearchQuery, params)
		if err != nil {
			return nil, err
		}
		if hits, ok := windowHits(vs[0].(map[string]any), limit); ok {
			return hits, nil
		}
	}
	if limit <= 0 {
		params["limit"] = math.MaxInt64
	}
	vs, err := s.read(ctx, "search", searchQuery, params)
	if err != nil {
		return nil, err
	}
	out := make([]org.SearchHit, len(vs))
	for i, v := range vs {
		out[i] = decodeHit(v)
	}
	return out, nil
}

// searchWindow is how many nodes, and how many duties, a search's window
// holds; windowedSearchLimit the largest limit a window is read for (a
// window of 2,000 holds twenty hits of a word one text in a hundred holds).
const (
	searchWindow        = 2000
	windowedSearchLimit = 50
)

// windowHits returns the first limit hits from what windowSearchQuery
// returned, and whether they are the answer: the nodes' window holds limit
// hits or every node, and, if the nodes are fewer, the duties' window holds
// the rest or every duty.
func windowHits(m map[string]any, limit int) ([]org.SearchHit, bool) {
	nodes, duties := m["nodes"].([]any), m["duties"].([]any)
	if len(nodes) < limit && !m["nodesAll"].(bool) {
		return nil, false
	}
	need := max(limit-len(nodes), 0)
	if len(duties) < need && !m["dutiesAll"].(bool) {
		return nil, false
	}
	out := make([]org.SearchHit, 0, limit)
	for _, v := range nodes[:min(len(nodes), limit)] {
		n := decodeNode(v)
		out = append(out, org.SearchHit{Node: &n})
	}
	for _, v := range duties[:min(len(duties), need)] {
		d := decodeDuty(v)
		out = append(out, org.SearchHit{Duty: &d})
	}
	return out, true
}
