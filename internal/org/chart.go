package org

import "context"

// ChartNode is one box of an org chart: a node and the id of its parent box.
type ChartNode struct {
	Node     Node
	ParentID string // empty for the root
	Depth    int
	// Via is the relation that puts the node under its parent: REPORTS_TO,
	// or HEADS for a unit under its head or a post under its unit.
	Via *Relation
}

// Chart is an org chart in the flat form chart libraries read: boxes with
// parent ids, plus the links that do not fit the tree.
type Chart struct {
	Nodes []ChartNode
	Links []Relation // COOPERATES_WITH and MAY_TASK between boxes of the chart
}

// OrgChart draws the tree under root (the top of the reporting lines when
// root is empty) down to depth levels (0: all). The tree follows the
// reporting lines; a unit with no superior of its own hangs under its head,
// and a post with no superior under the unit it heads.
func (s *Service) OrgChart(ctx context.Context, root string, depth int) (Chart, error) {
	if depth < 0 {
		return Chart{}, Errorf(EINVALID, "depth must not be negative")
	}
	nodes, err := s.Store.FindNodes(ctx, NodeFilter{Kinds: []NodeKind{KindUnit, KindPosition}})
	if err != nil {
		return Chart{}, err
	}
	rels, err := s.Store.FindRelations(ctx, RelationFilter{Kinds: []RelationKind{ReportsTo, Heads}})
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
	for _, r := range rels {
		if r.Kind != Heads || byID[r.From].ID == "" || byID[r.To].ID == "" {
			continue
		}
		if _, ok := parent[r.To]; !ok && byID[r.To].Kind == KindUnit {
			parent[r.To] = r // the unit under its head
		} else if _, ok := parent[r.From]; !ok {
			parent[r.From] = r // the post under its unit
		}
	}
	children := map[string][]string{}
	for _, n := range nodes {
		if r, ok := parent[n.ID]; ok {
			children[r.Other(n.ID)] = append(children[r.Other(n.ID)], n.ID)
		}
	}
	var roots []string
	if root != "" {
		n, err := s.Resolve(ctx, root)
		if err != nil {
			return Chart{}, err
		}
		if n.Kind == KindEntity {
			return Chart{}, Errorf(EINVALID, "%q is an entity, not a unit or a position", root)
		}
		roots = []string{n.ID}
	} else {
		for _, n := range nodes {
			if _, ok := parent[n.ID]; !ok && len(children[n.ID]) > 0 {
				roots = append(roots, n.ID)
			}
		}
	}
	var c Chart
	in := map[string]bool{}
	var walk func(id, parentID string, d int)
	walk = func(id, parentID string, d int) {
		if in[id] || (depth > 0 && d > depth) {
			return
		}
		in[id] = true
		cn := ChartNode{Node: byID[id], ParentID: parentID, Depth: d}
		if parentID != "" {
			r := parent[id]
			cn.Via = &r
		}
		c.Nodes = append(c.Nodes, cn)
		for _, child := range children[id] {
			walk(child, id, d+1)
		}
	}
	for _, r := range roots {
		walk(r, "", 0)
	}
	links, err := s.Store.FindRelations(ctx, RelationFilter{Kinds: []RelationKind{CooperatesWith, MayTask}})
	if err != nil {
		return Chart{}, err
	}
	for _, l := range links {
		if in[l.From] && in[l.To] {
			c.Links = append(c.Links, l)
		}
	}
	return c, nil
}
