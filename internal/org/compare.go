package org

import (
	"context"
	"maps"
	"slices"
)

// ImpactParts selects the parts of an Impact to compute: each costs its
// own work, so that a question about a few parts costs only those.
type ImpactParts struct {
	Added, Removed, Renamed, Moved, ChainsChanged, CutOff, Spans, UnownedDuties,
	HeldTwice, CooperationSplits, TaskingOutside, Breaches bool
}

// AllParts selects every part of an Impact.
func AllParts() ImpactParts {
	return ImpactParts{Added: true, Removed: true, Renamed: true, Moved: true, ChainsChanged: true, CutOff: true,
		Spans: true, UnownedDuties: true, HeldTwice: true, CooperationSplits: true, TaskingOutside: true, Breaches: true}
}

// compareStructures computes the parts of the impact of d, which makes
// after of before, that parts selects. It compares what the changes touch:
// added, removed and renamed nodes and unowned duties come from d; chains
// of command are compared as the ids they pass, in one pass over the
// reporting lines of each side, and walked in full only where they
// changed; cooperation is checked only where a partner's chain changed;
// new overlaps are searched only from the duties d moved, or whose
// standing changed, through the baseline's index of stems (ob).
func compareStructures(ctx context.Context, before, after *Service, d *Delta, rules Rules, parts ImpactParts,
	lines func() (*side, error), ob func() (*overlapBase, error)) (Impact, error) {
	var im Impact
	if err := im.nodes(ctx, before, after, d, parts); err != nil {
		return im, err
	}
	if parts.UnownedDuties && len(d.RemovedDuties) > 0 {
		ds, err := before.Store.FindDuties(ctx, DutyFilter{IDs: d.RemovedDuties})
		if err != nil {
			return im, err
		}
		im.UnownedDuties = ds
	}
	if parts.HeldTwice {
		base, err := ob()
		if err != nil {
			return im, err
		}
		if im.HeldTwice, err = base.newOverlaps(ctx, before, after, d); err != nil {
			return im, err
		}
	}
	needChains := parts.Moved || parts.ChainsChanged || parts.CutOff || parts.CooperationSplits || parts.TaskingOutside ||
		(parts.Breaches && rules.MaxDepth > 0)
	needSpans := parts.Spans || (parts.Breaches && rules.MaxSpan > 0)
	if !needChains && !needSpans {
		return im, nil
	}
	b, err := lines()
	if err != nil {
		return im, err
	}
	a, err := loadSide(ctx, after, false)
	if err != nil {
		return im, err
	}
	if needChains {
		a.walkChains(b)
	}
	var spans []SpanChange
	if needSpans {
		for _, n := range a.nodes {
			if n.Kind != KindPosition {
				continue
			}
			sb := Span{Node: n}
			if bn, ok := b.byID[n.ID]; ok {
				sb = b.span(bn)
			}
			spans = append(spans, SpanChange{Before: sb, After: a.span(n)})
		}
		if parts.Spans {
			im.Spans = spans
		}
	}
	if needChains {
		if err := im.chains(ctx, before, after, a, b, parts); err != nil {
			return im, err
		}
		if parts.CooperationSplits {
			if err := im.splits(ctx, after, a, b); err != nil {
				return im, err
			}
		}
		if parts.TaskingOutside {
			if err := im.taskingOutside(ctx, before, after, d, a, b); err != nil {
				return im, err
			}
		}
	}
	if parts.Breaches {
		im.breachesOf(rules, spans, a, b)
	}
	return im, nil
}

// nodes finds the nodes added, removed and renamed: those d names.
func (im *Impact) nodes(ctx context.Context, before, after *Service, d *Delta, parts ImpactParts) error {
	kinds := []NodeKind{KindUnit, KindPosition}
	if (parts.Added || parts.Renamed) && len(d.Nodes) > 0 {
		ids := make([]string, len(d.Nodes))
		for i, n := range d.Nodes {
			ids[i] = n.ID
		}
		was, err := before.Store.FindNodes(ctx, NodeFilter{IDs: ids})
		if err != nil {
			return err
		}
		wasByID := byID(was)
		for _, n := range d.Nodes {
			if !slices.Contains(kinds, n.Kind) {
				continue
			}
			if w, ok := wasByID[n.ID]; !ok {
				if parts.Added {
					im.Added = append(im.Added, n)
				}
			} else if w.Name != n.Name && parts.Renamed {
				im.Renamed = append(im.Renamed, Rename{Node: n, Before: w.Name, BeforeSource: w.Source})
			}
		}
	}
	if parts.Removed && len(d.RemovedNodes) > 0 {
		gone, err := before.Store.FindNodes(ctx, NodeFilter{IDs: d.RemovedNodes, Kinds: kinds})
		if err != nil {
			return err
		}
		im.Removed = gone
	}
	return nil
}

// side is one graph's reporting lines, as ids: what chains of command and
// spans of control are computed from.
type side struct {
	nodes    []Node // units and positions, by Seq, then ID
	byID     map[string]Node
	next     map[string]string   // the next node up the chain (NextInChain)
	reports  map[string]bool     // the next step is a REPORTS_TO
	children map[string][]string // who reports to a node, in Seq order
	chain    map[string][]string // each unit's and position's chain of command, as ids
}

// loadSide reads a graph's reporting lines, and walks its chains of
// command when chains is set.
func loadSide(ctx context.Context, s *Service, chains bool) (*side, error) {
	nodes, err := s.Store.FindNodes(ctx, NodeFilter{Kinds: []NodeKind{KindUnit, KindPosition}})
	if err != nil {
		return nil, err
	}
	rels, err := s.Store.FindRelations(ctx, RelationFilter{Kinds: []RelationKind{ReportsTo, Heads}})
	if err != nil {
		return nil, err
	}
	sd := &side{nodes: nodes, byID: byID(nodes), next: map[string]string{}, reports: map[string]bool{}, children: map[string][]string{}}
	headOut, headIn := map[string]string{}, map[string]string{}
	for _, r := range rels { // in Seq order: the first of a kind is the one NextInChain takes
		switch r.Kind {
		case ReportsTo:
			if !sd.reports[r.From] {
				sd.reports[r.From], sd.next[r.From] = true, r.To
			}
			sd.children[r.To] = append(sd.children[r.To], r.From)
		case Heads:
			if _, ok := headOut[r.From]; !ok {
				headOut[r.From] = r.To
			}
			if _, ok := headIn[r.To]; !ok {
				headIn[r.To] = r.From
			}
		}
	}
	for _, n := range nodes {
		if sd.reports[n.ID] {
			continue
		}
		switch up, ok := "", false; n.Kind {
		case KindUnit:
			if up, ok = headIn[n.ID]; ok {
				sd.next[n.ID] = up
			}
		case KindPosition:
			if up, ok = headOut[n.ID]; ok {
				sd.next[n.ID] = up
			}
		}
	}
	if chains {
		sd.walkChains(nil)
	}
	return sd, nil
}

// walkChains walks every unit's and position's chain of command, as
// WalkChain does: up until a node would repeat or no step is left. Where
// base is given, a chain of base is taken as it is when no node on it
// steps elsewhere here than in base: the walk would be the same.
func (sd *side) walkChains(base *side) {
	sd.chain = make(map[string][]string, len(sd.nodes))
	var moved map[string]bool // the nodes whose step differs from base's
	if base != nil {
		moved = map[string]bool{}
		for id, up := range sd.next {
			if was, ok := base.next[id]; !ok || was != up {
				moved[id] = true
			}
		}
		for id := range base.next {
			if _, ok := sd.next[id]; !ok {
				moved[id] = true
			}
		}
	}
	for _, n := range sd.nodes {
		if c, ok := base.chainOf(n.ID); ok && !slices.ContainsFunc(c, func(id string) bool { return moved[id] }) {
			sd.chain[n.ID] = c
			continue
		}
		sd.chain[n.ID] = sd.walk(n.ID)
	}
}

// chainOf is the chain walked from id; false without one (or without sd).
func (sd *side) chainOf(id string) ([]string, bool) {
	if sd == nil {
		return nil, false
	}
	c, ok := sd.chain[id]
	return c, ok
}

func (sd *side) walk(start string) []string {
	ids := []string{start}
	var seen map[string]bool // for long chains only
	for at := start; ; {
		up, ok := sd.next[at]
		if !ok {
			return ids
		}
		if len(ids) > 32 && seen == nil {
			seen = map[string]bool{}
			for _, id := range ids {
				seen[id] = true
			}
		}
		if (seen != nil && seen[up]) || (seen == nil && slices.Contains(ids, up)) {
			return ids
		}
		if seen != nil {
			seen[up] = true
		}
		ids = append(ids, up)
		at = up
	}
}

// superior is the node's direct superior: the next step, when it is a
// REPORTS_TO.
func (sd *side) superior(id string) string {
	if c := sd.chain[id]; len(c) > 1 && sd.reports[id] {
		return c[1]
	}
	return ""
}

// span is Service.SpanOfControl over the side's reporting lines.
func (sd *side) span(n Node) Span {
	sp := Span{Node: n}
	seen := map[string]bool{n.ID: true}
	frontier := []string{n.ID}
	for depth := 1; len(frontier) > 0; depth++ {
		var level []string
		for _, sup := range frontier {
			for _, c := range sd.children[sup] {
				if !seen[c] {
					seen[c] = true
					level = append(level, c)
				}
			}
		}
		if depth == 1 {
			sp.Direct = len(level)
		}
		if len(level) > 0 {
			sp.Layers = depth
		}
		sp.Total += len(level)
		frontier = level
	}
	return sp
}

// chains finds the nodes moved, whose chain changed, or that are cut off:
// the chains are compared as ids, and asked for in full only where they differ.
func (im *Impact) chains(ctx context.Context, before, after *Service, a, b *side, parts ImpactParts) error {
	if !parts.Moved && !parts.ChainsChanged && !parts.CutOff {
		return nil
	}
	var changed []string
	for _, n := range a.nodes {
		cb, ok := b.chain[n.ID]
		if ok && (!slices.Equal(cb, a.chain[n.ID]) || b.superior(n.ID) != a.superior(n.ID)) {
			changed = append(changed, n.ID)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	bPaths, err := before.Store.ChainsOfCommand(ctx, NodeFilter{IDs: changed})
	if err != nil {
		return err
	}
	aPaths, err := after.Store.ChainsOfCommand(ctx, NodeFilter{IDs: changed})
	if err != nil {
		return err
	}
	was := map[string]Path{}
	for _, p := range bPaths {
		was[p.Nodes[0].ID] = p
	}
	for _, ap := range aPaths {
		n := ap.Nodes[0]
		bp := was[n.ID]
		if sup := superior(ap); parts.Moved && superiorID(sup) != superiorID(superior(bp)) {
			im.Moved = append(im.Moved, NodeMove{Node: n, Before: superior(bp), After: sup})
		}
		if parts.ChainsChanged && !slices.Equal(pathIDs(ap), pathIDs(bp)) {
			im.ChainsChanged = append(im.ChainsChanged, ChainChange{Node: n, Before: bp, After: ap})
		}
		if parts.CutOff && top(ap) != top(bp) {
			im.CutOff = append(im.CutOff, n)
		}
	}
	return nil
}

// splits checks the cooperation of the units whose chain changed (or that
// are new): elsewhere the lowest common superior is what it was.
func (im *Impact) splits(ctx context.Context, after *Service, a, b *side) error {
	var moved []string
	for _, n := range a.nodes {
		if cb, ok := b.chain[n.ID]; !ok || !slices.Equal(cb, a.chain[n.ID]) {
			moved = append(moved, n.ID)
		}
	}
	if len(moved) == 0 {
		return nil
	}
	coop := []RelationKind{CooperatesWith}
	from, err := after.Store.FindRelations(ctx, RelationFilter{From: moved, Kinds: coop})
	if err != nil {
		return err
	}
	to, err := after.Store.FindRelations(ctx, RelationFilter{To: moved, Kinds: coop})
	if err != nil {
		return err
	}
	rels := append(from, to...)
	slices.SortFunc(rels, CompareRelations)
	rels = slices.CompactFunc(rels, func(x, y Relation) bool { return x.ID == y.ID })
	for _, r := range rels {
		if a.byID[r.From].Kind != KindUnit || a.byID[r.To].Kind != KindUnit {
			continue
		}
		bs := lowestCommon(b.chain[r.From], b.chain[r.To])
		as := lowestCommon(a.chain[r.From], a.chain[r.To])
		if bs != as {
			im.CooperationSplits = append(im.CooperationSplits, CooperationSplit{Relation: r, Before: b.node(bs), After: a.node(as)})
		}
	}
	return nil
}

func (sd *side) node(id string) *Node {
	if id == "" {
		return nil
	}
	n := sd.byID[id]
	return &n
}

// lowestCommon is commonSuperior over chains of ids.
func lowestCommon(a, b []string) string {
	if len(a) == 0 || len(b) == 0 {
		return ""
	}
	for _, x := range a[1:] {
		if slices.Contains(b[1:], x) {
			return x
		}
	}
	return ""
}

// taskingOutside lists the tasking authorities outside their unit's line,
// as Service.Taskers would tell them for every unit, marking those that
// were not outside it in the baseline.
func (im *Impact) taskingOutside(ctx context.Context, before, after *Service, d *Delta, a, b *side) error {
	rels, err := after.Store.FindRelations(ctx, RelationFilter{Kinds: []RelationKind{MayTask}})
	if err != nil {
		return err
	}
	added := map[string]bool{}
	for _, r := range d.Relations {
		added[r.ID] = true
	}
	order := make(map[string]int, len(a.nodes))
	for i, n := range a.nodes {
		order[n.ID] = i
	}
	var outside []Relation
	var missing []string
	for _, r := range rels {
		if a.byID[r.To].Kind != KindUnit || slices.Contains(a.chain[r.To], r.From) {
			continue
		}
		outside = append(outside, r)
		if _, ok := a.byID[r.From]; !ok {
			missing = append(missing, r.From)
		}
	}
	by := a.byID
	if len(missing) > 0 {
		more, err := after.Store.FindNodes(ctx, NodeFilter{IDs: missing})
		if err != nil {
			return err
		}
		by = maps.Clone(a.byID)
		for _, n := range more {
			by[n.ID] = n
		}
	}
	// What the baseline held of the relations a change made anew.
	wasThere := map[string]bool{}
	for _, r := range outside {
		if added[r.ID] {
			old, err := before.Store.FindRelations(ctx, RelationFilter{To: []string{r.To}, Kinds: []RelationKind{MayTask}})
			if err != nil {
				return err
			}
			wasThere[r.ID] = slices.ContainsFunc(old, func(x Relation) bool { return x.ID == r.ID })
		}
	}
	slices.SortStableFunc(outside, func(x, y Relation) int { return order[x.To] - order[y.To] })
	for _, r := range outside {
		_, unitWas := b.byID[r.To]
		existed := !added[r.ID] || wasThere[r.ID]
		outsideBefore := unitWas && existed && !slices.Contains(b.chain[r.To], r.From)
		t := Tasking{By: by[r.From], Unit: a.byID[r.To], Relation: r}
		im.TaskingOutside = append(im.TaskingOutside, TaskingOutside{Tasking: t, New: !outsideBefore})
	}
	return nil
}

// breachesOf checks the rules: spans from spans, depths from the chains.
func (im *Impact) breachesOf(rules Rules, spans []SpanChange, a, b *side) {
	for _, s := range spans {
		if rules.MaxSpan > 0 && s.After.Direct > rules.MaxSpan {
			im.Breaches = append(im.Breaches, Breach{Node: s.After.Node, Rule: "MAX_SPAN", Value: s.After.Direct,
				Limit: rules.MaxSpan, InBaseline: s.Before.Direct > rules.MaxSpan})
		}
	}
	if rules.MaxDepth <= 0 {
		return
	}
	for _, n := range a.nodes {
		if depth := len(a.chain[n.ID]) - 1; depth > rules.MaxDepth {
			cb, ok := b.chain[n.ID]
			im.Breaches = append(im.Breaches, Breach{Node: n, Rule: "MAX_DEPTH", Value: depth,
				Limit: rules.MaxDepth, InBaseline: ok && len(cb)-1 > rules.MaxDepth})
		}
	}
}
