package neo4jstore

import (
	"context"

	"github.com/orgraph/orgraph/internal/org"
)

// ChainsOfCommand walks up from every node f matches, in one query.
func (s *Store) ChainsOfCommand(ctx context.Context, f org.NodeFilter) ([]org.Path, error) {
	query, params := selection(chainQueries, f)
	vs, err := s.read(ctx, "chain of command", query, params)
	if err != nil {
		return nil, err
	}
	out := make([]org.Path, len(vs))
	for i, v := range vs {
		m := v.(map[string]any)
		for _, n := range m["nodes"].([]any) {
			out[i].Nodes = append(out[i].Nodes, decodeNode(n))
		}
		for j, r := range m["links"].([]any) {
			rel := decodeRelation(r)
			// A step walks against the arrow where it leaves from the relation's end.
			out[i].Links = append(out[i].Links, org.Link{Relation: rel, Reversed: rel.From != out[i].Nodes[j].ID})
		}
	}
	return out, nil
}

// FindNeighbourhood returns the nodes f matches with what a asks for
// around them, in one query.
func (s *Store) FindNeighbourhood(ctx context.Context, f org.NodeFilter, a org.Around) (org.Neighbourhood, error) {
	query, params := selection(neighbourhoodQueries, f)
	params["duties"], params["relations"], params["kinds"] = a.Duties, a.Relations, kindNames(a.Kinds)
	vs, err := s.read(ctx, "neighbourhood", query, params)
	if err != nil {
		return org.Neighbourhood{}, err
	}
	var nb org.Neighbourhood
	rels, ends := map[string]bool{}, map[string]bool{}
	for _, v := range vs {
		m := v.(map[string]any)
		nb.Nodes = append(nb.Nodes, decodeNode(m["node"]))
		for _, d := range m["duties"].([]any) {
			nb.Duties = append(nb.Duties, decodeDuty(d))
		}
		for _, r := range m["relations"].([]any) {
			if rel := decodeRelation(r); !rels[rel.ID] {
				rels[rel.ID] = true
				nb.Relations = append(nb.Relations, rel)
			}
		}
		for _, e := range m["ends"].([]any) {
			if n := decodeNode(e); !ends[n.ID] {
				ends[n.ID] = true
				nb.Ends = append(nb.Ends, n)
			}
		}
	}
	org.SortNeighbourhood(&nb)
	return nb, nil
}

// Revision names the baseline's state: it changes with every Load and
// ApplyScenario, on any server of the database. One small query.
func (s *Store) Revision(ctx context.Context) (string, error) {
	vs, err := s.read(ctx, "revision", revisionQuery, nil)
	if err != nil {
		return "", err
	}
	return vs[0].(string), nil
}
