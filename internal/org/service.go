package org

import (
	"cmp"
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Service answers the questions orgraph exists for, over any Store.
type Service struct {
	Store Store
	// Overlay holds a scenario's graph in memory to answer questions about
	// it; without it, scenarios are not offered.
	Overlay func(context.Context, *Graph) (Store, error)
	// Acts reads an act's facts from its text, for the structure on a past
	// day (AsOf); without it, only today's is offered.
	Acts ActReader
	// Clock tells the time of scenario edits; time.Now when nil.
	Clock func() time.Time

	views     views      // the scenario views kept, by scenario version and baseline revision
	shared    *views     // the views of the service this one was made from (With), kept there
	revisions Revisioner // the revisions of the service this one was made from (With)
}

// NewService returns a service over store.
func NewService(store Store) *Service { return &Service{Store: store} }

// MaxRefLength bounds a node reference: longer input is a malformed argument.
const MaxRefLength = 200

var refRE = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N} ._:/§-]*$`)

// CheckRef returns EINVALID when ref cannot be a unit code or a node id.
func CheckRef(ref string) error {
	if len(ref) > MaxRefLength || !refRE.MatchString(ref) {
		if len(ref) > 60 { // not the whole of a long input back
			ref = strings.ToValidUTF8(ref[:60], "") + "…"
		}
		return Errorf(EINVALID, "%q is not a unit code or a node id", ref)
	}
	return nil
}

// Resolve finds the node that ref names: a unit code ("KS-07", any case) or
// a node id ("dyrektor-wydzialu"). EINVALID for a malformed ref, ENOTFOUND
// for an unknown one.
func (s *Service) Resolve(ctx context.Context, ref string) (Node, error) {
	f, err := refFilter(ref)
	if err != nil {
		return Node{}, err
	}
	return s.find(ctx, f)
}

// find returns the one node f selects: by Ref, or by the one id in IDs.
func (s *Service) find(ctx context.Context, f NodeFilter) (Node, error) {
	ns, err := s.Store.FindNodes(ctx, f)
	if err != nil {
		return Node{}, err
	}
	if len(ns) == 0 {
		return Node{}, missing(f)
	}
	return ns[0], nil
}

// ByID selects the node with the given id: what nested fields, which know
// their node, ask by.
func ByID(id string) NodeFilter { return NodeFilter{IDs: []string{id}} }

func missing(f NodeFilter) error {
	if f.Ref == "" && len(f.IDs) == 1 {
		return Errorf(ENOTFOUND, "no node with id %q", f.IDs[0])
	}
	return notFound(f.Ref)
}

// ResolveUnit is Resolve for refs that must name a unit.
func (s *Service) ResolveUnit(ctx context.Context, ref string) (Node, error) {
	n, err := s.Resolve(ctx, ref)
	if err == nil && n.Kind != KindUnit {
		return Node{}, notUnit(ref, n)
	}
	return n, err
}

func notUnit(ref string, n Node) error {
	return Errorf(EINVALID, "%q is a %s, not a unit", ref, strings.ToLower(string(n.Kind)))
}

// ChainOfCommand is the line from a node up to the top: the reporting lines,
// and where a node reports to no one, the step to its head (for a unit) or
// to the unit it heads (for a position), from which the line goes on
// (NextInChain). One store call, or, when the service holds the baseline
// of the current revision in memory (heldBaseline), a revision check and
// a walk there: the same answer, without the chain's variable-length
// query, which a restarted Neo4j plans for seconds.
func (s *Service) ChainOfCommand(ctx context.Context, ref string) (Path, error) {
	f, err := refFilter(ref)
	if err != nil {
		return Path{}, err
	}
	base, err := s.heldBaseline(ctx)
	if err != nil {
		return Path{}, err
	}
	if base != nil {
		p, err := (&Service{Store: base}).ChainOfCommandOf(ctx, f)
		if k, ok := s.Store.(PathKeeper); ok && err == nil {
			k.KeepPaths([]Path{p})
		}
		return p, err
	}
	return s.ChainOfCommandOf(ctx, f)
}

// ChainOfCommandOf is ChainOfCommand for the node f selects (ByID, or a Ref).
func (s *Service) ChainOfCommandOf(ctx context.Context, f NodeFilter) (Path, error) {
	paths, err := s.Store.ChainsOfCommand(ctx, f)
	if err != nil {
		return Path{}, err
	}
	if len(paths) == 0 {
		return Path{}, missing(f)
	}
	return paths[0], nil
}

// refFilter checks ref and returns the filter that selects the node it names.
func refFilter(ref string) (NodeFilter, error) {
	ref = strings.TrimSpace(ref)
	if err := CheckRef(ref); err != nil {
		return NodeFilter{}, err
	}
	return NodeFilter{Ref: ref}, nil
}

func notFound(ref string) error {
	return Errorf(ENOTFOUND, "no unit with code %q and no node with id %q", ref, ref)
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
	f, err := refFilter(ref)
	if err != nil {
		return Span{}, err
	}
	return s.SpanOfControlOf(ctx, f)
}

// SpanOfControlOf is SpanOfControl for the node f selects.
func (s *Service) SpanOfControlOf(ctx context.Context, f NodeFilter) (Span, error) {
	n, err := s.find(ctx, f)
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
// ordered by partner (Seq), then outgoing first, then provision order;
// partners of the given kinds only, when kinds are given. One store call.
func (s *Service) Cooperation(ctx context.Context, ref string, partnerKinds []NodeKind, strength Strength) ([]Cooperation, error) {
	f, err := refFilter(ref)
	if err != nil {
		return nil, err
	}
	_, coops, err := s.cooperation(ctx, f, partnerKinds, strength)
	return coops, err
}

// CooperatingUnits is Cooperation for a unit, with units as partners.
func (s *Service) CooperatingUnits(ctx context.Context, ref string, strength Strength) ([]Cooperation, error) {
	f, err := refFilter(ref)
	if err != nil {
		return nil, err
	}
	n, coops, err := s.cooperation(ctx, f, []NodeKind{KindUnit}, strength)
	if err == nil && n.Kind != KindUnit {
		return nil, notUnit(ref, n)
	}
	return coops, err
}

// CooperationOf is Cooperation for the node f selects.
func (s *Service) CooperationOf(ctx context.Context, f NodeFilter, partnerKinds []NodeKind, strength Strength) ([]Cooperation, error) {
	_, coops, err := s.cooperation(ctx, f, partnerKinds, strength)
	return coops, err
}

func (s *Service) cooperation(ctx context.Context, f NodeFilter, partnerKinds []NodeKind, strength Strength) (Node, []Cooperation, error) {
	nb, err := s.Store.FindNeighbourhood(ctx, f, Around{Relations: true, Kinds: []RelationKind{CooperatesWith}})
	if err != nil {
		return Node{}, nil, err
	}
	if len(nb.Nodes) == 0 {
		return Node{}, nil, missing(f)
	}
	n := nb.Nodes[0]
	var out, in []Relation
	for _, r := range nb.Relations {
		switch {
		case r.From == n.ID:
			out = append(out, r)
		case r.To == n.ID:
			in = append(in, r)
		}
	}
	var partners []Node
	for _, p := range nb.Ends {
		if len(partnerKinds) == 0 || slices.Contains(partnerKinds, p.Kind) {
			partners = append(partners, p)
		}
	}
	return n, Cooperations(out, in, partners, strength), nil
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
	f, err := refFilter(ref)
	if err != nil {
		return nil, err
	}
	return s.TaskersOf(ctx, f)
}

// TaskersOf is Taskers for the unit f selects.
func (s *Service) TaskersOf(ctx context.Context, f NodeFilter) ([]Tasking, error) {
	u, err := s.find(ctx, f)
	if err != nil {
		return nil, err
	}
	if u.Kind != KindUnit {
		return nil, notUnit(cmp.Or(f.Ref, u.ID), u)
	}
	rs, err := s.Store.FindRelations(ctx, RelationFilter{To: []string{u.ID}, Kinds: []RelationKind{MayTask}})
	if err != nil {
		return nil, err
	}
	chain, err := s.ChainOfCommandOf(ctx, ByID(u.ID))
	if err != nil {
		return nil, err
	}
	by, err := s.nodesByID(ctx, rs, func(r Relation) string { return r.From })
	if err != nil {
		return nil, err
	}
	var out []Tasking
	for _, r := range rs {
		out = append(out, Tasking{By: by[r.From], Unit: u, Relation: r, InReportingLine: chain.Contains(r.From)})
	}
	return out, nil
}

// Tasks lists the units a position may commission tasks to.
func (s *Service) Tasks(ctx context.Context, ref string) ([]Tasking, error) {
	f, err := refFilter(ref)
	if err != nil {
		return nil, err
	}
	return s.TasksOf(ctx, f)
}

// TasksOf is Tasks for the position f selects.
func (s *Service) TasksOf(ctx context.Context, f NodeFilter) ([]Tasking, error) {
	p, err := s.find(ctx, f)
	if err != nil {
		return nil, err
	}
	rs, err := s.Store.FindRelations(ctx, RelationFilter{From: []string{p.ID}, Kinds: []RelationKind{MayTask}})
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	units := make([]string, len(rs))
	for i, r := range rs {
		units[i] = r.To
	}
	chains, err := s.Store.ChainsOfCommand(ctx, NodeFilter{IDs: units})
	if err != nil {
		return nil, err
	}
	chainOf := make(map[string]Path, len(chains))
	for _, c := range chains {
		chainOf[c.Nodes[0].ID] = c
	}
	var out []Tasking
	for _, r := range rs {
		c := chainOf[r.To]
		if len(c.Nodes) == 0 {
			return nil, Errorf(EINTERNAL, "the store lost node %q", r.To)
		}
		out = append(out, Tasking{By: p, Unit: c.Nodes[0], Relation: r, InReportingLine: c.Contains(p.ID)})
	}
	return out, nil
}

// nodesByID fetches the nodes at one end of rs, in one store call.
func (s *Service) nodesByID(ctx context.Context, rs []Relation, end func(Relation) string) (map[string]Node, error) {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = end(r)
	}
	ns, err := s.Store.FindNodes(ctx, NodeFilter{IDs: ids})
	if err != nil {
		return nil, err
	}
	out := make(map[string]Node, len(ns))
	for _, n := range ns {
		out[n.ID] = n
	}
	for _, id := range ids {
		if _, ok := out[id]; !ok {
			return nil, Errorf(EINTERNAL, "the store lost node %q", id)
		}
	}
	return out, nil
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

// MaxSearchText bounds the text of a search, in bytes.
const MaxSearchText = 500

// Search finds names and duty texts holding every word of q, diacritics
// folded. limit 0 means the default of 50.
func (s *Service) Search(ctx context.Context, q string, limit int) ([]SearchHit, error) {
	switch {
	case len(q) > MaxSearchText: // checked first: a limit of 0 skipped it once
		return nil, Errorf(EINVALID, "the search text is longer than %d bytes", MaxSearchText)
	case limit == 0:
		limit = 50
	case limit < 0 || limit > MaxSearchLimit:
		return nil, Errorf(EINVALID, "limit must lie in 1..%d", MaxSearchLimit)
	}
	return s.Store.Search(ctx, q, limit)
}
