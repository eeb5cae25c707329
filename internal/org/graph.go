package org

import (
	"slices"
	"strings"
)

// Merge appends other to g, shifting other's Seq values by offset so that
// the order of g comes first.
func (g *Graph) Merge(other *Graph, offset int) {
	g.Documents = append(g.Documents, other.Documents...)
	for _, n := range other.Nodes {
		n.Seq += offset
		g.Nodes = append(g.Nodes, n)
	}
	for _, r := range other.Relations {
		r.Seq += offset
		g.Relations = append(g.Relations, r)
	}
	for _, d := range other.Duties {
		d.Seq += offset
		g.Duties = append(g.Duties, d)
	}
}

// Validate checks that g is whole: ids unique and non-empty, every relation
// and duty pointing at known nodes, every fact with a provision and a basis,
// every inferred fact with a reason. It returns an EINVALID *Error naming
// the first fault. No graph at all is EINVALID too.
func Validate(g *Graph) error {
	if g == nil {
		return Errorf(EINVALID, "no graph")
	}
	docs := map[string]bool{}
	for _, d := range g.Documents {
		if d.ID == "" {
			return Errorf(EINVALID, "a document has no id")
		}
		docs[d.ID] = true
	}
	nodes := map[string]Node{}
	codes := map[string]bool{}
	for _, n := range g.Nodes {
		switch {
		case strings.TrimSpace(n.ID) == "":
			return Errorf(EINVALID, "a node named %q has no id", n.Name)
		case nodes[n.ID].ID != "":
			return Errorf(EINVALID, "node id %q is used twice", n.ID)
		case n.Kind != KindUnit && n.Kind != KindPosition && n.Kind != KindEntity:
			return Errorf(EINVALID, "node %q has unknown kind %q", n.ID, n.Kind)
		case strings.TrimSpace(n.Name) == "":
			return Errorf(EINVALID, "node %q has no name", n.ID)
		case n.Code != "" && codes[n.Code]:
			return Errorf(EINVALID, "unit code %q is used twice", n.Code)
		}
		if err := validateSource("node "+n.ID, n.Source, docs); err != nil {
			return err
		}
		nodes[n.ID] = n
		if n.Code != "" {
			codes[n.Code] = true
		}
	}
	rels := map[string]bool{}
	for _, r := range g.Relations {
		where := "relation " + r.ID
		switch {
		case r.ID == "" || rels[r.ID]:
			return Errorf(EINVALID, "relation id %q is empty or used twice", r.ID)
		case !r.Kind.Valid():
			return Errorf(EINVALID, "%s has unknown kind %q", where, r.Kind)
		case nodes[r.From].ID == "":
			return Errorf(EINVALID, "%s starts at unknown node %q", where, r.From)
		case nodes[r.To].ID == "":
			return Errorf(EINVALID, "%s ends at unknown node %q", where, r.To)
		case r.From == r.To:
			return Errorf(EINVALID, "%s is a loop", where)
		case r.Kind == CooperatesWith && r.Strength != Close && r.Strength != Standing && r.Strength != Plain:
			return Errorf(EINVALID, "%s has unknown strength %q", where, r.Strength)
		case r.Kind != CooperatesWith && r.Strength != "":
			return Errorf(EINVALID, "%s is not a cooperation but has a strength", where)
		}
		if err := validateSource(where, r.Source, docs); err != nil {
			return err
		}
		rels[r.ID] = true
	}
	duties := map[string]bool{}
	for _, d := range g.Duties {
		switch {
		case d.ID == "" || duties[d.ID]:
			return Errorf(EINVALID, "duty id %q is empty or used twice", d.ID)
		case nodes[d.Unit].Kind != KindUnit:
			return Errorf(EINVALID, "duty %q belongs to %q, which is not a unit", d.ID, d.Unit)
		case d.Parent != "" && !duties[d.Parent]:
			return Errorf(EINVALID, "duty %q comes before its parent %q", d.ID, d.Parent)
		case strings.TrimSpace(d.Text) == "":
			return Errorf(EINVALID, "duty %q has no text", d.ID)
		}
		if err := validateSource("duty "+d.ID, d.Source, docs); err != nil {
			return err
		}
		duties[d.ID] = true
	}
	return nil
}

func validateSource(where string, p Provenance, docs map[string]bool) error {
	switch {
	case !docs[p.Document]:
		return Errorf(EINVALID, "%s cites unknown document %q", where, p.Document)
	case strings.TrimSpace(p.Provision) == "":
		return Errorf(EINVALID, "%s cites no provision", where)
	case p.Basis != Stated && p.Basis != Inferred && p.Basis != Planned:
		return Errorf(EINVALID, "%s has basis %q, not STATED, INFERRED or PLANNED", where, p.Basis)
	case p.Basis != Stated && strings.TrimSpace(p.Reason) == "":
		return Errorf(EINVALID, "%s is %s but gives no reason", where, strings.ToLower(string(p.Basis)))
	}
	return nil
}

// Upsert returns base with add's items put in, replacing those with the
// same id: what a store holds after loading add. Duties come back in Seq
// order, stably, so that a parent comes before its letters.
func Upsert(base, add *Graph) *Graph {
	out := &Graph{
		Documents: replaceByID(base.Documents, add.Documents, func(d Document) string { return d.ID }),
		Nodes:     replaceByID(base.Nodes, add.Nodes, func(n Node) string { return n.ID }),
		Relations: replaceByID(base.Relations, add.Relations, func(r Relation) string { return r.ID }),
		Duties:    replaceByID(base.Duties, add.Duties, func(d Duty) string { return d.ID }),
	}
	slices.SortStableFunc(out.Duties, CompareDuties)
	return out
}

func replaceByID[T any](base, add []T, id func(T) string) []T {
	pos := map[string]int{}
	out := slices.Clone(base)
	for i, v := range out {
		pos[id(v)] = i
	}
	for _, v := range add {
		if i, ok := pos[id(v)]; ok {
			out[i] = v
			continue
		}
		pos[id(v)] = len(out)
		out = append(out, v)
	}
	return out
}
