package memstore

import (
	"context"
	"slices"
	"strings"

	"github.com/orgraph/orgraph/internal/org"
)

// resolve finds the node a reference names: a unit code, or else a node
// id. The caller holds the lock.
func (s *Store) resolve(ref string) (org.Node, bool) {
	if id, ok := s.codes.get(strings.ToUpper(ref)); ok {
		return s.nodes.at(id), true
	}
	n, ok := s.nodes.get(ref)
	return n, ok
}

// ChainsOfCommand walks up from every node f matches.
func (s *Store) ChainsOfCommand(ctx context.Context, f org.NodeFilter) ([]org.Path, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	starts := s.findNodes(f)
	step := func(n org.Node) (org.Link, bool) { return org.NextInChain(n, s.out.at(n.ID), s.in.at(n.ID)) }
	node := func(id string) org.Node { return s.nodes.at(id) }
	out := make([]org.Path, len(starts))
	for i, n := range starts {
		out[i] = org.WalkChain(n, step, node)
	}
	return out, nil
}

// FindNeighbourhood returns the nodes f matches with their duties,
// relations and neighbours, as a asks.
func (s *Store) FindNeighbourhood(ctx context.Context, f org.NodeFilter, a org.Around) (org.Neighbourhood, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	nodes := s.findNodes(f)
	nb := org.Neighbourhood{Nodes: nodes}
	if a.Duties {
		for _, n := range nodes {
			nb.Duties = append(nb.Duties, s.held.at(n.ID)...)
		}
		slices.SortFunc(nb.Duties, org.CompareDuties)
	}
	if !a.Relations {
		return nb, nil
	}
	seen, ends := map[string]bool{}, map[string]bool{}
	for _, n := range nodes {
		for _, idx := range []*layer[[]org.Relation]{&s.out, &s.in} {
			for _, r := range idx.at(n.ID) {
				if len(a.Kinds) > 0 && !slices.Contains(a.Kinds, r.Kind) {
					continue
				}
				if !seen[r.ID] {
					seen[r.ID] = true
					nb.Relations = append(nb.Relations, r)
				}
				other := r.Other(n.ID)
				if !ends[other] {
					ends[other] = true
					nb.Ends = append(nb.Ends, s.nodes.at(other))
				}
			}
		}
	}
	slices.SortFunc(nb.Relations, org.CompareRelations)
	slices.SortFunc(nb.Ends, org.CompareNodes)
	return nb, nil
}
