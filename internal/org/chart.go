package org

import (
	"context"
	"slices"
	"strings"
)

// ChartNode is one box of an org chart: a node and the id of its parent box.
type ChartNode struct {
	Node     Node
	ParentID string // empty for the root
	Depth    int
	// Via is the relation that puts the node under its parent: REPORTS_TO,
	// or HEADS for a unit under its head or a post under its unit.
	Via *Relation
	// Container is the node of the chart this one is part of (PART_OF), so
	// that a chart can draw members inside it (Cytoscape's compound parent);
	// empty when that node is not in the chart.
	Container string
	// IsContainer is set when other nodes of the chart are part of this one.
	IsContainer bool
}

// ChartLink is every relation of one kind between two boxes of a chart:
// cooperation by the unordered pair (either unit may declare it), other
// kinds by the ordered pair. Relations are in provision (Seq) order.
type ChartLink struct {
	ID       string // kind:from:to, unique in the chart
	Kind     RelationKind
	From, To string
	// For COOPERATES_WITH: the strongest declaration, and whether both
	// units declare it.
	Strength  Strength
	Mutual    bool
	Relations []Relation
}

// Chart is an org chart in the flat form chart libraries read: boxes with
// parent ids, plus the links that do not fit the tree.
type Chart struct {
	Nodes []ChartNode
	Links []Relation // the chosen kinds (COOPERATES_WITH and MAY_TASK) between boxes of the chart
	// Connections are Links grouped: one per pair and kind.
	Connections []ChartLink
}

// ChartQuery says which chart to draw.
type ChartQuery struct {
	Root  string // a code or id; empty: the top of the reporting lines
	Depth int    // levels below the root; 0: all
	// Kinds are the relations drawn beside the tree; nil: COOPERATES_WITH
	// and MAY_TASK.
	Kinds []RelationKind
	// Strength keeps only cooperation of that strength; other kinds are
	// not filtered by it.
	Strength Strength
	// Containers keeps as boxes the units others are part of that head no
	// box of the tree (the department KS, the Departament). Without it
	// they are no boxes, and their members name no container.
	Containers bool
}

// DefaultChartKinds are the relations a chart draws beside the tree.
var DefaultChartKinds = []RelationKind{CooperatesWith, MayTask}

// OrgChart draws the tree under root (the top of the reporting lines when
// root is empty) down to depth levels (0: all), with every container as a
// box and cooperation and tasking beside it.
func (s *Service) OrgChart(ctx context.Context, root string, depth int) (Chart, error) {
	return s.Chart(ctx, ChartQuery{Root: root, Depth: depth, Containers: true})
}

// Chart draws the chart q asks for. The tree follows the reporting lines;
// a unit with no superior of its own hangs under its head, and a post with
// no superior under the unit it heads, unless that unit is under the post
// already (a unit reporting to the post that heads it): the tree has no
// cycle, so a chart without a root always finds the top.
func (s *Service) Chart(ctx context.Context, q ChartQuery) (Chart, error) {
	if q.Depth < 0 {
		return Chart{}, Errorf(EINVALID, "depth must not be negative")
	}
	if q.Strength != "" && !slices.Contains([]Strength{Close, Standing, Plain}, q.Strength) {
		return Chart{}, Errorf(EINVALID, "unknown strength %q", q.Strength)
	}
	kinds := q.Kinds
	if kinds == nil {
		kinds = DefaultChartKinds
	}
	nodes, err := s.Store.FindNodes(ctx, NodeFilter{Kinds: []NodeKind{KindUnit, KindPosition}})
	if err != nil {
		return Chart{}, err
	}
	rels, err := s.Store.FindRelations(ctx, RelationFilter{Kinds: []RelationKind{ReportsTo, Heads, PartOf}})
	if err != nil {
		return Chart{}, err
	}
	byID := map[string]Node{}
	for _, n := range nodes {
		byID[n.ID] = n
	}
	parent := map[string]Relation{}
	for _, r := range rels { // REPORTS_TO first: it wins over HEADS
		if _, ok := parent[r.From]; r.Kind == ReportsTo && !ok && byID[r.To].ID != "" {
			parent[r.From] = r
		}
	}
	// under reports whether id is at or above from in the tree so far (or
	// from is on a cycle): then from is no place to hang id.
	under := func(from, id string) bool {
		for range len(parent) + 1 {
			r, ok := parent[from]
			switch {
			case from == id:
				return true
			case !ok:
				return false
			}
			from = r.Other(from)
		}
		return true
	}
	for _, r := range rels {
		if r.Kind != Heads || byID[r.From].ID == "" || byID[r.To].ID == "" {
			continue
		}
		if _, ok := parent[r.To]; !ok && byID[r.To].Kind == KindUnit && !under(r.From, r.To) {
			parent[r.To] = r // the unit under its head
		} else if _, ok := parent[r.From]; !ok && !under(r.To, r.From) {
			parent[r.From] = r // the post under its unit, unless the unit is under the post
		}
	}
	children := map[string][]string{}
	for _, n := range nodes {
		if r, ok := parent[n.ID]; ok {
			children[r.Other(n.ID)] = append(children[r.Other(n.ID)], n.ID)
		}
	}
	var roots []string
	if q.Root != "" {
		n, err := s.Resolve(ctx, q.Root)
		if err != nil {
			return Chart{}, err
		}
		if n.Kind == KindEntity {
			return Chart{}, Errorf(EINVALID, "%q is an entity, not a unit or a position", q.Root)
		}
		roots = []string{n.ID}
	} else {
		for _, n := range nodes {
			if _, ok := parent[n.ID]; !ok && len(children[n.ID]) > 0 {
				roots = append(roots, n.ID)
			}
		}
	}
	var tree []ChartNode
	in := map[string]bool{}
	var walk func(id, parentID string, d int)
	walk = func(id, parentID string, d int) {
		if in[id] || (q.Depth > 0 && d > q.Depth) {
			return
		}
		in[id] = true
		cn := ChartNode{Node: byID[id], ParentID: parentID, Depth: d}
		if parentID != "" {
			r := parent[id]
			cn.Via = &r
		}
		tree = append(tree, cn)
		for _, child := range children[id] {
			walk(child, id, d+1)
		}
	}
	for _, r := range roots {
		walk(r, "", 0)
	}

	// Membership: a member's container, when both are in the tree.
	container, isContainer := map[string]string{}, map[string]bool{}
	for _, r := range rels {
		if _, ok := container[r.From]; r.Kind == PartOf && !ok && in[r.From] && in[r.To] && r.From != r.To {
			container[r.From] = r.To
			isContainer[r.To] = true
		}
	}
	hasChildren := map[string]bool{}
	for _, n := range tree {
		hasChildren[n.ParentID] = true
	}
	var c Chart
	kept := map[string]bool{}
	for _, n := range tree {
		if isContainer[n.Node.ID] && !hasChildren[n.Node.ID] && !q.Containers && n.ParentID != "" {
			continue // a container, not a box of the tree
		}
		n.IsContainer = isContainer[n.Node.ID]
		kept[n.Node.ID] = true
		c.Nodes = append(c.Nodes, n)
	}
	for i, n := range c.Nodes {
		if ct := container[n.Node.ID]; kept[ct] {
			c.Nodes[i].Container = ct
		}
	}

	if len(kinds) == 0 { // kinds: [] asks for the tree alone
		return c, nil
	}
	links, err := s.Store.FindRelations(ctx, RelationFilter{Kinds: kinds})
	if err != nil {
		return Chart{}, err
	}
	for _, l := range links {
		if kept[l.From] && kept[l.To] && (l.Kind != CooperatesWith || q.Strength == "" || l.Strength == q.Strength) {
			c.Links = append(c.Links, l)
		}
	}
	c.Connections = GroupLinks(c.Links)
	return c, nil
}

// GroupLinks makes one ChartLink per pair and kind, in the order each pair
// first appears: cooperation by the unordered pair, the first declaration
// giving its direction; other kinds by the ordered pair.
func GroupLinks(links []Relation) []ChartLink {
	var out []ChartLink
	at := map[[3]string]int{}
	for _, l := range links {
		key := [3]string{string(l.Kind), l.From, l.To}
		if l.Kind == CooperatesWith && l.To < l.From {
			key = [3]string{string(l.Kind), l.To, l.From}
		}
		i, ok := at[key]
		if !ok {
			i = len(out)
			at[key] = i
			out = append(out, ChartLink{ID: string(l.Kind) + ":" + l.From + ":" + l.To, Kind: l.Kind, From: l.From, To: l.To})
		}
		cl := &out[i]
		cl.Relations = append(cl.Relations, l)
		if l.Kind == CooperatesWith {
			if l.From != cl.From {
				cl.Mutual = true
			}
			if strengthRank(l.Strength) > strengthRank(cl.Strength) {
				cl.Strength = l.Strength
			}
		}
	}
	return out
}

func strengthRank(s Strength) int {
	switch s {
	case Close:
		return 3
	case Standing:
		return 2
	case Plain:
		return 1
	}
	return 0
}

// Provisions are the provenances of the link's relations, in order, each
// once.
func (l ChartLink) Provisions() []Provenance {
	var out []Provenance
	for _, r := range l.Relations {
		if !slices.Contains(out, r.Source) {
			out = append(out, r.Source)
		}
	}
	return out
}

// Label joins the provisions: "§ 6 pkt 16; § 10 pkt 14".
func (l ChartLink) Label() string {
	var ps []string
	for _, p := range l.Provisions() {
		if !slices.Contains(ps, p.Provision) {
			ps = append(ps, p.Provision)
		}
	}
	return strings.Join(ps, "; ")
}
