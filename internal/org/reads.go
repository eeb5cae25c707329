package org

import (
	"context"
	"slices"
	"strings"
)

// The reads behind the nested fields of an answer: a unit's superior, its
// parts, its duties. Each is one store call or two, which a batching store
// (internal/batch) answers for a whole list of nodes at once.

// Node returns the node with the given id. ENOTFOUND.
func (s *Service) Node(ctx context.Context, id string) (Node, error) {
	return s.Store.FindNodeByID(ctx, id)
}

// Duty returns the duty with the given id. ENOTFOUND.
func (s *Service) Duty(ctx context.Context, id string) (Duty, error) {
	ds, err := s.Store.FindDuties(ctx, DutyFilter{IDs: []string{id}})
	if err != nil {
		return Duty{}, err
	}
	if len(ds) == 0 {
		return Duty{}, Errorf(ENOTFOUND, "no duty with id %q", id)
	}
	return ds[0], nil
}

// Prefetcher is a store that gains from being handed what a list's
// elements will ask for with the list (a batching store over a remote
// one). Over any other store, Nodes fetches the list alone: a store that
// answers from memory would do the work twice.
type Prefetcher interface {
	Store
	Prefetches()
}

// PathKeeper is a request's store that keeps chains of command the service
// found elsewhere (in the baseline it holds in memory), with their nodes,
// so that the answer's nested fields are answered from them too.
type PathKeeper interface {
	KeepPaths([]Path)
}

// Prefetch says what the elements of a list will ask for, so that Nodes
// brings it along and a batching store holds it when they ask.
type Prefetch struct {
	Around            // fetched with the nodes, in the same store call
	Chains       bool // their chains of command (chainOfCommand, taskers)
	TaskedChains bool // the chains of the units they may task (mayTask)
}

// Nodes lists the nodes of a kind, of one type (unit type or entity
// category, any case) when typ is set, with what p asks for: one store
// call, and one more for each kind of chain asked.
func (s *Service) Nodes(ctx context.Context, kind NodeKind, typ string, p Prefetch) ([]Node, error) {
	f := NodeFilter{Kinds: []NodeKind{kind}}
	if p.TaskedChains {
		p.Relations = true
		if len(p.Kinds) > 0 && !slices.Contains(p.Kinds, MayTask) {
			p.Kinds = append(slices.Clone(p.Kinds), MayTask)
		}
	}
	var nb Neighbourhood
	var err error
	_, prefetches := s.Store.(Prefetcher)
	if !prefetches {
		p = Prefetch{}
	}
	if p.Duties || p.Relations {
		nb, err = s.Store.FindNeighbourhood(ctx, f, p.Around)
	} else {
		nb.Nodes, err = s.Store.FindNodes(ctx, f)
	}
	if err != nil {
		return nil, err
	}
	ns := nb.Nodes
	if typ != "" {
		ns = []Node{}
		for _, n := range nb.Nodes {
			if strings.EqualFold(typ, n.Type) {
				ns = append(ns, n)
			}
		}
	}
	var chains []string
	if p.Chains {
		for _, n := range ns {
			chains = append(chains, n.ID)
		}
	}
	if p.TaskedChains {
		for _, r := range nb.Relations {
			if r.Kind == MayTask {
				chains = append(chains, r.To)
			}
		}
	}
	if len(chains) > 0 {
		if _, err := s.Store.ChainsOfCommand(ctx, NodeFilter{IDs: chains}); err != nil {
			return nil, err
		}
	}
	return ns, nil
}

// Relations returns the relations leaving id (out) and entering it (in),
// of the given kinds (all when none): outgoing first, each part ordered
// by Seq, then ID.
func (s *Service) Relations(ctx context.Context, id string, kinds []RelationKind, out, in bool) ([]Relation, error) {
	var rs []Relation
	if out {
		o, err := s.Store.FindRelations(ctx, RelationFilter{From: []string{id}, Kinds: kinds})
		if err != nil {
			return nil, err
		}
		rs = append(rs, o...)
	}
	if in {
		i, err := s.Store.FindRelations(ctx, RelationFilter{To: []string{id}, Kinds: kinds})
		if err != nil {
			return nil, err
		}
		rs = append(rs, i...)
	}
	return rs, nil
}

// ends returns the nodes at one end of rs, in the order of rs.
func (s *Service) ends(ctx context.Context, rs []Relation, end func(Relation) string, kinds ...NodeKind) ([]Node, error) {
	byID, err := s.nodesByID(ctx, rs, end)
	if err != nil {
		return nil, err
	}
	out := []Node{}
	for _, r := range rs {
		if n := byID[end(r)]; len(kinds) == 0 || slices.Contains(kinds, n.Kind) {
			out = append(out, n)
		}
	}
	return out, nil
}

func from(r Relation) string { return r.From }
func to(r Relation) string   { return r.To }

// first returns the node at one end of the first relation of the kind
// leaving (out) or entering id; false when there is none.
func (s *Service) first(ctx context.Context, id string, kind RelationKind, out bool) (Node, bool, error) {
	rs, err := s.Relations(ctx, id, []RelationKind{kind}, out, !out)
	if err != nil || len(rs) == 0 {
		return Node{}, false, err
	}
	end := rs[0].To
	if !out {
		end = rs[0].From
	}
	n, err := s.Store.FindNodeByID(ctx, end)
	return n, err == nil, err
}

// Superior is the node id reports to directly: the REPORTS_TO of lowest Seq.
func (s *Service) Superior(ctx context.Context, id string) (Node, bool, error) {
	return s.first(ctx, id, ReportsTo, true)
}

// PartOf is the unit id is part of.
func (s *Service) PartOf(ctx context.Context, id string) (Node, bool, error) {
	return s.first(ctx, id, PartOf, true)
}

// Head is the position heading unit id.
func (s *Service) Head(ctx context.Context, id string) (Node, bool, error) {
	return s.first(ctx, id, Heads, false)
}

// Parts are the units that are part of id.
func (s *Service) Parts(ctx context.Context, id string) ([]Node, error) {
	rs, err := s.Relations(ctx, id, []RelationKind{PartOf}, false, true)
	if err != nil {
		return nil, err
	}
	return s.ends(ctx, rs, from, KindUnit)
}

// Heads are the units position id heads.
func (s *Service) Heads(ctx context.Context, id string) ([]Node, error) {
	rs, err := s.Relations(ctx, id, []RelationKind{Heads}, true, false)
	if err != nil {
		return nil, err
	}
	return s.ends(ctx, rs, to)
}

// Subordinates lists what reports to id: directly, or at any depth when all.
func (s *Service) Subordinates(ctx context.Context, id string, all bool) ([]Subordinate, error) {
	depth := 1
	if all {
		depth = 0
	}
	return s.Store.Subordinates(ctx, id, depth)
}

// UnitDuties lists a unit's own duties and, when includeCommon, the
// duties common to every unit, which sit with the unit it is part of (and
// with itself, for the department).
func (s *Service) UnitDuties(ctx context.Context, id string, includeCommon bool) ([]Duty, error) {
	own, err := s.Store.FindDuties(ctx, DutyFilter{Units: []string{id}})
	if err != nil {
		return nil, err
	}
	out := []Duty{}
	for _, d := range own {
		if !d.Common {
			out = append(out, d)
		}
	}
	if !includeCommon {
		return out, nil
	}
	for _, d := range own {
		if d.Common {
			out = append(out, d)
		}
	}
	parts, err := s.Relations(ctx, id, []RelationKind{PartOf}, true, false)
	if err != nil {
		return nil, err
	}
	for _, p := range parts {
		ds, err := s.Store.FindDuties(ctx, DutyFilter{Units: []string{p.To}})
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if d.Common {
				out = append(out, d)
			}
		}
	}
	return out, nil
}

// DutyChildren lists the letters or dashes of a duty.
func (s *Service) DutyChildren(ctx context.Context, d Duty) ([]Duty, error) {
	siblings, err := s.Store.FindDuties(ctx, DutyFilter{Units: []string{d.Unit}})
	if err != nil {
		return nil, err
	}
	var out []Duty
	for _, c := range siblings {
		if c.Parent == d.ID {
			out = append(out, c)
		}
	}
	return out, nil
}

// DutyRelations lists the relations a duty states. A common duty states
// relations for every unit, so those are looked for everywhere.
func (s *Service) DutyRelations(ctx context.Context, d Duty) ([]Link, error) {
	var rs []Relation
	var err error
	if d.Common {
		rs, err = s.Store.FindRelations(ctx, RelationFilter{})
	} else {
		rs, err = s.Relations(ctx, d.Unit, nil, true, false)
	}
	if err != nil {
		return nil, err
	}
	var out []Link
	for _, r := range rs {
		if r.Duty == d.ID {
			out = append(out, Link{Relation: r})
		}
	}
	return out, nil
}

// Duties lists duties: of the unit ref names when ref is set, common or
// not when common is set.
func (s *Service) Duties(ctx context.Context, ref string, common *bool) ([]Duty, error) {
	f := DutyFilter{Common: common}
	if ref != "" {
		u, err := s.ResolveUnit(ctx, ref)
		if err != nil {
			return nil, err
		}
		f.Units = []string{u.ID}
	}
	return s.Store.FindDuties(ctx, f)
}

// FindRelations lists the relations of the given kinds (all when none),
// from the node from names and to the node to names, when set.
func (s *Service) FindRelations(ctx context.Context, kinds []RelationKind, from, to string) ([]Relation, error) {
	f := RelationFilter{Kinds: kinds}
	for _, end := range []struct {
		ref string
		ids *[]string
	}{{from, &f.From}, {to, &f.To}} {
		if end.ref != "" {
			n, err := s.Resolve(ctx, end.ref)
			if err != nil {
				return nil, err
			}
			*end.ids = []string{n.ID}
		}
	}
	return s.Store.FindRelations(ctx, f)
}

// Documents lists the acts the graph cites, by id.
func (s *Service) Documents(ctx context.Context) ([]Document, error) {
	return s.Store.FindDocuments(ctx)
}

// Document returns the act with the given id, or the first act when id is
// empty. ENOTFOUND.
func (s *Service) Document(ctx context.Context, id string) (Document, error) {
	docs, err := s.Store.FindDocuments(ctx)
	if err != nil {
		return Document{}, err
	}
	for _, d := range docs {
		if id == "" || d.ID == id {
			return d, nil
		}
	}
	return Document{}, Errorf(ENOTFOUND, "no document %q", id)
}
