package org

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// Service answers the questions orgraph exists for, over any Store.
type Service struct {
	Store Store
	// Overlay holds a scenario's graph in memory to answer questions about
	// it; without it, scenarios are not offered.
	Overlay func(context.Context, *Graph) (Store, error)
	// Clock tells the time of scenario edits; time.Now when nil.
	Clock func() time.Time
}

// NewService returns a service over store.
func NewService(store Store) *Service { return &Service{Store: store} }

// MaxRefLength bounds a node reference: longer input is a malformed argument.
const MaxRefLength = 200

var refRE = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N} ._:/§-]*$`)

// CheckRef returns EINVALID when ref cannot be a unit code or a node id.
func CheckRef(ref string) error {
	if len(ref) > MaxRefLength || !refRE.MatchString(ref) {
		return Errorf(EINVALID, "%q is not a unit code or a node id", ref)
	}
	return nil
}

// Resolve finds the node that ref names: a unit code ("KS-07", any case) or
// a node id ("dyrektor-wydzialu"). EINVALID for a malformed ref, ENOTFOUND
// for an unknown one.
func (s *Service) Resolve(ctx context.Context, ref string) (Node, error) {
	ref = strings.TrimSpace(ref)
	if err := CheckRef(ref); err != nil {
		return Node{}, err
	}
	n, err := s.Store.FindNodeByCode(ctx, strings.ToUpper(ref))
	if ErrorCode(err) != ENOTFOUND {
		return n, err
	}
	n, err = s.Store.FindNodeByID(ctx, ref)
	if ErrorCode(err) == ENOTFOUND {
		return Node{}, Errorf(ENOTFOUND, "no unit with code %q and no node with id %q", ref, ref)
	}
	return n, err
}

// ResolveUnit is Resolve for refs that must name a unit.
func (s *Service) ResolveUnit(ctx context.Context, ref string) (Node, error) {
	n, err := s.Resolve(ctx, ref)
	if err == nil && n.Kind != KindUnit {
		return Node{}, Errorf(EINVALID, "%q is a %s, not a unit", ref, strings.ToLower(string(n.Kind)))
	}
	return n, err
}

// ChainOfCommand is the line from a node up to the top: the reporting lines,
// and where a node reports to no one, the step to its head (for a unit) or
// to the unit it heads (for a position), from which the line goes on.
func (s *Service) ChainOfCommand(ctx context.Context, ref string) (Path, error) {
	start, err := s.Resolve(ctx, ref)
	if err != nil {
		return Path{}, err
	}
	path := Path{Nodes: []Node{start}}
	seen := map[string]bool{start.ID: true}
	for at := start.ID; ; {
		part, err := s.Store.ReportingChain(ctx, at)
		if err != nil {
			return Path{}, err
		}
		for i, l := range part.Links {
			next := part.Nodes[i+1]
			if seen[next.ID] {
				return path, nil
			}
			seen[next.ID] = true
			path.Nodes = append(path.Nodes, next)
			path.Links = append(path.Links, l)
		}
		top := part.Nodes[len(part.Nodes)-1]
		hop, ok, err := s.headHop(ctx, top)
		if err != nil || !ok || seen[hop.Relation.Other(top.ID)] {
			return path, err
		}
		next, err := s.Store.FindNodeByID(ctx, hop.Relation.Other(top.ID))
		if err != nil {
			return Path{}, err
		}
		seen[next.ID] = true
		path.Nodes = append(path.Nodes, next)
		path.Links = append(path.Links, hop)
		at = next.ID
	}
}

// headHop finds the HEADS relation that carries a chain on from a node that
// reports to no one: a unit's head, or the unit a position heads.
func (s *Service) headHop(ctx context.Context, n Node) (Link, bool, error) {
	f := RelationFilter{Kinds: []RelationKind{Heads}}
	reversed := false
	switch n.Kind {
	case KindUnit:
		f.To, reversed = []string{n.ID}, true
	case KindPosition:
		f.From = []string{n.ID}
	default:
		return Link{}, false, nil
	}
	rs, err := s.Store.FindRelations(ctx, f)
	if err != nil || len(rs) == 0 {
		return Link{}, false, err
	}
	return Link{Relation: rs[0], Reversed: reversed}, true, nil
}

// Other returns the end of r that is not id.
func (r Relation) Other(id string) string {
	if r.From == id {
		return r.To
	}
	return r.From
}

// Span is a node's span of control.
type Span struct {
	Node   Node
	Direct int // nodes reporting to it directly
	Total  int // nodes below it at any depth
	Layers int // levels of nodes below it
}

// SpanOfControl counts what reports to a node, directly and in all.
func (s *Service) SpanOfControl(ctx context.Context, ref string) (Span, error) {
	n, err := s.Resolve(ctx, ref)
	if err != nil {
		return Span{}, err
	}
	subs, err := s.Store.Subordinates(ctx, n.ID, 0)
	if err != nil {
		return Span{}, err
	}
	sp := Span{Node: n, Total: len(subs)}
	for _, sub := range subs {
		if sub.Depth == 1 {
			sp.Direct++
		}
		sp.Layers = max(sp.Layers, sub.Depth)
	}
	return sp, nil
}

// Cooperation is one declared cooperation seen from one of its ends.
type Cooperation struct {
	Partner  Node
	Relation Relation
	// Outgoing is set when the node asked about declared it; otherwise the
	// partner did.
	Outgoing bool
}

// Cooperation lists every cooperation a node declares or is named in,
// ordered by partner (Seq), then outgoing first, then provision order.
func (s *Service) Cooperation(ctx context.Context, ref string, partnerKinds []NodeKind, strength Strength) ([]Cooperation, error) {
	n, err := s.Resolve(ctx, ref)
	if err != nil {
		return nil, err
	}
	kinds := []RelationKind{CooperatesWith}
	out, err := s.Store.FindRelations(ctx, RelationFilter{From: []string{n.ID}, Kinds: kinds})
	if err != nil {
		return nil, err
	}
	in, err := s.Store.FindRelations(ctx, RelationFilter{To: []string{n.ID}, Kinds: kinds})
	if err != nil {
		return nil, err
	}
	partners, err := s.Store.FindNodes(ctx, NodeFilter{IDs: Partners(n.ID, out, in), Kinds: partnerKinds})
	if err != nil {
		return nil, err
	}
	return Cooperations(out, in, partners, strength), nil
}

// Partners returns the ids at the other end of a node's relations.
func Partners(id string, out, in []Relation) []string {
	ids := make([]string, 0, len(out)+len(in))
	for _, r := range out {
		ids = append(ids, r.To)
	}
	for _, r := range in {
		ids = append(ids, r.From)
	}
	return ids
}

// Cooperations pairs a node's outgoing and incoming COOPERATES_WITH
// relations with its partners (ordered by Seq), keeping only the given
// strength when one is given: by partner, outgoing first, then provision order.
func Cooperations(out, in []Relation, partners []Node, strength Strength) []Cooperation {
	var coops []Cooperation
	for _, p := range partners {
		for _, r := range out {
			if r.Kind == CooperatesWith && r.To == p.ID && (strength == "" || r.Strength == strength) {
				coops = append(coops, Cooperation{Partner: p, Relation: r, Outgoing: true})
			}
		}
		for _, r := range in {
			if r.Kind == CooperatesWith && r.From == p.ID && (strength == "" || r.Strength == strength) {
				coops = append(coops, Cooperation{Partner: p, Relation: r})
			}
		}
	}
	return coops
}

// Tasking is one grant of authority to commission tasks to a unit.
type Tasking struct {
	By       Node
	Unit     Node
	Relation Relation
	// InReportingLine is set when By stands in the unit's chain of command.
	InReportingLine bool
}

// Taskers lists who may commission tasks to a unit, and whether each stands
// in the unit's reporting line: tasking that leaves the line is what a
// reorganisation planner looks for.
func (s *Service) Taskers(ctx context.Context, ref string) ([]Tasking, error) {
	u, err := s.ResolveUnit(ctx, ref)
	if err != nil {
		return nil, err
	}
	return s.tasking(ctx, u, RelationFilter{To: []string{u.ID}, Kinds: []RelationKind{MayTask}})
}

// Tasks lists the units a position may commission tasks to.
func (s *Service) Tasks(ctx context.Context, ref string) ([]Tasking, error) {
	p, err := s.Resolve(ctx, ref)
	if err != nil {
		return nil, err
	}
	rs, err := s.Store.FindRelations(ctx, RelationFilter{From: []string{p.ID}, Kinds: []RelationKind{MayTask}})
	if err != nil {
		return nil, err
	}
	var out []Tasking
	for _, r := range rs {
		u, err := s.Store.FindNodeByID(ctx, r.To)
		if err != nil {
			return nil, err
		}
		line, err := s.inLine(ctx, u.ID, p.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, Tasking{By: p, Unit: u, Relation: r, InReportingLine: line})
	}
	return out, nil
}

func (s *Service) tasking(ctx context.Context, u Node, f RelationFilter) ([]Tasking, error) {
	rs, err := s.Store.FindRelations(ctx, f)
	if err != nil {
		return nil, err
	}
	chain, err := s.ChainOfCommand(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	var out []Tasking
	for _, r := range rs {
		by, err := s.Store.FindNodeByID(ctx, r.From)
		if err != nil {
			return nil, err
		}
		out = append(out, Tasking{By: by, Unit: u, Relation: r, InReportingLine: chain.Contains(by.ID)})
	}
	return out, nil
}

func (s *Service) inLine(ctx context.Context, unit, superior string) (bool, error) {
	chain, err := s.ChainOfCommand(ctx, unit)
	return chain.Contains(superior), err
}

// Contains reports whether the path passes through the node.
func (p Path) Contains(id string) bool {
	for _, n := range p.Nodes {
		if n.ID == id {
			return true
		}
	}
	return false
}

// ShortestPath finds a shortest walk between two nodes named by code or id.
func (s *Service) ShortestPath(ctx context.Context, from, to string, kinds []RelationKind) (Path, error) {
	a, err := s.Resolve(ctx, from)
	if err != nil {
		return Path{}, err
	}
	b, err := s.Resolve(ctx, to)
	if err != nil {
		return Path{}, err
	}
	return s.Store.ShortestPath(ctx, a.ID, b.ID, kinds)
}

// MaxSearchLimit bounds how many hits one search returns.
const MaxSearchLimit = 500

// Search finds names and duty texts holding every word of q, diacritics
// folded. limit 0 means the default of 50.
func (s *Service) Search(ctx context.Context, q string, limit int) ([]SearchHit, error) {
	switch {
	case limit == 0:
		limit = 50
	case limit < 0 || limit > MaxSearchLimit:
		return nil, Errorf(EINVALID, "limit must lie in 1..%d", MaxSearchLimit)
	case len(q) > 500:
		return nil, Errorf(EINVALID, "the search text is longer than 500 bytes")
	}
	return s.Store.Search(ctx, q, limit)
}
