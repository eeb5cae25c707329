package memstore

import (
	"context"
	"slices"

	"github.com/orgraph/orgraph/internal/org"
)

// Subordinates walks REPORTS_TO downwards from id, breadth first.
func (s *Store) Subordinates(ctx context.Context, id string, maxDepth int) ([]org.Subordinate, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, ok := s.nodes.get(id); !ok {
		return nil, org.Errorf(org.ENOTFOUND, "no node with id %q", id)
	}
	var out []org.Subordinate
	seen := map[string]bool{id: true}
	frontier := []string{id}
	for depth := 1; len(frontier) > 0 && (maxDepth <= 0 || depth <= maxDepth); depth++ {
		var level []org.Subordinate
		for _, sup := range frontier {
			for _, r := range s.in.at(sup) {
				if r.Kind != org.ReportsTo || seen[r.From] {
					continue
				}
				seen[r.From] = true
				level = append(level, org.Subordinate{Node: s.nodes.at(r.From), Depth: depth, Superior: sup})
			}
		}
		slices.SortFunc(level, func(a, b org.Subordinate) int { return byNodeSeq(a.Node, b.Node) })
		frontier = frontier[:0]
		for _, sub := range level {
			frontier = append(frontier, sub.Node.ID)
		}
		out = append(out, level...)
	}
	return out, nil
}

// ShortestPath finds the least walk between two nodes: a breadth-first search
// from the target gives every node's distance, then the walk from the source
// takes, at each step, the neighbour of least id one step closer.
func (s *Store) ShortestPath(ctx context.Context, from, to string, kinds []org.RelationKind) (org.Path, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, id := range []string{from, to} {
		if _, ok := s.nodes.get(id); !ok {
			return org.Path{}, org.Errorf(org.ENOTFOUND, "no node with id %q", id)
		}
	}
	allowed := func(r org.Relation) bool { return len(kinds) == 0 || slices.Contains(kinds, r.Kind) }
	dist := map[string]int{to: 0}
	queue := []string{to}
	for len(queue) > 0 && dist[from] == 0 && from != to {
		id := queue[0]
		queue = queue[1:]
		s.eachNeighbour(id, allowed, func(next string, _ org.Link) {
			if _, ok := dist[next]; !ok {
				dist[next] = dist[id] + 1
				queue = append(queue, next)
			}
		})
	}
	if _, ok := dist[from]; !ok {
		return org.Path{}, org.Errorf(org.ENOTFOUND, "no path from %q to %q", from, to)
	}
	p := org.Path{Nodes: []org.Node{s.nodes.at(from)}}
	for at := from; at != to; {
		var bestID string
		var best org.Link
		s.eachNeighbour(at, allowed, func(next string, l org.Link) {
			d, ok := dist[next]
			if !ok || d != dist[at]-1 {
				return
			}
			if bestID == "" || next < bestID || (next == bestID && l.Relation.ID < best.Relation.ID) {
				bestID, best = next, l
			}
		})
		p.Nodes = append(p.Nodes, s.nodes.at(bestID))
		p.Links = append(p.Links, best)
		at = bestID
	}
	return p, nil
}

// eachNeighbour calls fn for every relation touching id, with the node at its other end.
func (s *Store) eachNeighbour(id string, allowed func(org.Relation) bool, fn func(string, org.Link)) {
	for _, r := range s.out.at(id) {
		if allowed(r) {
			fn(r.To, org.Link{Relation: r})
		}
	}
	for _, r := range s.in.at(id) {
		if allowed(r) {
			fn(r.From, org.Link{Relation: r, Reversed: true})
		}
	}
}
