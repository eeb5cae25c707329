package org

import (
	"cmp"
	"context"
	"maps"
	"slices"
)

// compareEverything is the test oracle of CompareStructures: the impact
// computed the slow way, asking every node of both graphs every question.
func compareEverything(ctx context.Context, before, after *Service, rules Rules) (Impact, error) {
	var im Impact
	kinds := NodeFilter{Kinds: []NodeKind{KindUnit, KindPosition}}
	bNodes, err := before.Store.FindNodes(ctx, kinds)
	if err != nil {
		return im, err
	}
	aNodes, err := after.Store.FindNodes(ctx, kinds)
	if err != nil {
		return im, err
	}
	bByID, aByID := byID(bNodes), byID(aNodes)
	for _, n := range aNodes {
		if b, ok := bByID[n.ID]; !ok {
			im.Added = append(im.Added, n)
		} else if b.Name != n.Name {
			im.Renamed = append(im.Renamed, Rename{Node: n, Before: b.Name, BeforeSource: b.Source})
		}
	}
	for _, n := range bNodes {
		if _, ok := aByID[n.ID]; !ok {
			im.Removed = append(im.Removed, n)
		}
	}
	bChains, err := chains(ctx, before, bNodes)
	if err != nil {
		return im, err
	}
	aChains, err := chains(ctx, after, aNodes)
	if err != nil {
		return im, err
	}
	for _, n := range aNodes {
		a := aChains[n.ID]
		b, existed := bChains[n.ID]
		if !existed {
			continue
		}
		if sup := superior(a); superiorID(sup) != superiorID(superior(b)) {
			im.Moved = append(im.Moved, NodeMove{Node: n, Before: superior(b), After: sup})
		}
		if !slices.Equal(pathIDs(a), pathIDs(b)) {
			im.ChainsChanged = append(im.ChainsChanged, ChainChange{Node: n, Before: b, After: a})
		}
		if top(a) != top(b) {
			im.CutOff = append(im.CutOff, n)
		}
	}
	for _, n := range aNodes {
		if n.Kind != KindPosition {
			continue
		}
		a, err := after.SpanOfControl(ctx, n.ID)
		if err != nil {
			return im, err
		}
		b := Span{Node: n}
		if _, ok := bByID[n.ID]; ok {
			if b, err = before.SpanOfControl(ctx, n.ID); err != nil {
				return im, err
			}
		}
		im.Spans = append(im.Spans, SpanChange{Before: b, After: a})
	}
	if err := im.everyDuties(ctx, before, after); err != nil {
		return im, err
	}
	if err := im.everyCooperation(ctx, after, aByID, bChains, aChains); err != nil {
		return im, err
	}
	if err := im.everyTasking(ctx, before, after, aNodes); err != nil {
		return im, err
	}
	im.everyBreaches(rules, aNodes, aChains, bChains)
	return im, nil
}

func (im *Impact) everyDuties(ctx context.Context, before, after *Service) error {
	bDuties, err := before.Store.FindDuties(ctx, DutyFilter{})
	if err != nil {
		return err
	}
	aDuties, err := after.Store.FindDuties(ctx, DutyFilter{})
	if err != nil {
		return err
	}
	kept := map[string]bool{}
	for _, d := range aDuties {
		kept[d.ID] = true
	}
	for _, d := range bDuties {
		if !kept[d.ID] {
			im.UnownedDuties = append(im.UnownedDuties, d)
		}
	}
	held, err := everyNewOverlap(ctx, before, after)
	im.HeldTwice = held
	return err
}

// newOverlaps finds the overlaps the scenario creates: pairs of duties that
// overlap in after and did not, held by the same units, in before. Only a
// duty whose unit changed (or that is new, or is no longer left out) can
// be in such a pair, so only those are searched from, through the index
// of stems; the answer is the one comparing every pair in both would give.
func everyNewOverlap(ctx context.Context, before, after *Service) ([]Overlap, error) {
	opt := OverlapOptions{MinScore: 0.6, MinShared: 4}
	bDuties, bSkip, err := before.overlapInput(ctx)
	if err != nil {
		return nil, err
	}
	aDuties, aSkip, err := after.overlapInput(ctx)
	if err != nil {
		return nil, err
	}
	type held struct {
		unit string
		at   int
	}
	was := make(map[string]held, len(bDuties))
	for i, d := range bDuties {
		was[d.ID] = held{d.Unit, i}
	}
	// overlappedBefore: the pair was an overlap in before, the same way round
	// and held by the same units as in after.
	overlappedBefore := func(a, b Duty) bool {
		wa, okA := was[a.ID]
		wb, okB := was[b.ID]
		return okA && okB && wa.unit == a.Unit && wb.unit == b.Unit && wa.at < wb.at && !bSkip[a.ID] && !bSkip[b.ID]
	}
	x := newOverlapIndex(aDuties)
	pairs := map[[2]int]Overlap{}
	for i, d := range aDuties {
		w, ok := was[d.ID]
		if ok && w.unit == d.Unit && bSkip[d.ID] == aSkip[d.ID] {
			continue // untouched: its pairs with untouched duties are as they were
		}
		x.candidates(i, opt.MinShared, func(j int) {
			a, b := min(i, j), max(i, j)
			if _, seen := pairs[[2]int{a, b}]; seen || aDuties[a].Unit == aDuties[b].Unit || aSkip[aDuties[a].ID] || aSkip[aDuties[b].ID] {
				return
			}
			if o, ok := x.overlap(a, b, opt); ok && !overlappedBefore(aDuties[a], aDuties[b]) {
				pairs[[2]int{a, b}] = o
			}
		})
	}
	keys := slices.SortedFunc(maps.Keys(pairs), func(p, q [2]int) int { return cmp.Or(cmp.Compare(p[0], q[0]), cmp.Compare(p[1], q[1])) })
	out := make([]Overlap, len(keys))
	for k, key := range keys {
		out[k] = pairs[key]
	}
	return out, nil
}

func (im *Impact) everyCooperation(ctx context.Context, after *Service, aByID map[string]Node, bChains, aChains map[string]Path) error {
	rels, err := after.Store.FindRelations(ctx, RelationFilter{Kinds: []RelationKind{CooperatesWith}})
	if err != nil {
		return err
	}
	for _, r := range rels {
		if aByID[r.From].Kind != KindUnit || aByID[r.To].Kind != KindUnit {
			continue
		}
		b := commonSuperior(bChains[r.From], bChains[r.To])
		a := commonSuperior(aChains[r.From], aChains[r.To])
		if superiorID(a) != superiorID(b) {
			im.CooperationSplits = append(im.CooperationSplits, CooperationSplit{Relation: r, Before: b, After: a})
		}
	}
	return nil
}

func (im *Impact) everyTasking(ctx context.Context, before, after *Service, aNodes []Node) error {
	for _, u := range aNodes {
		if u.Kind != KindUnit {
			continue
		}
		ts, err := after.Taskers(ctx, u.ID)
		if err != nil {
			return err
		}
		var was []Tasking
		if _, err := before.Store.FindNodeByID(ctx, u.ID); err == nil {
			if was, err = before.Taskers(ctx, u.ID); err != nil {
				return err
			}
		}
		for _, t := range ts {
			if t.InReportingLine {
				continue
			}
			outsideBefore := slices.ContainsFunc(was, func(b Tasking) bool { return b.Relation.ID == t.Relation.ID && !b.InReportingLine })
			im.TaskingOutside = append(im.TaskingOutside, TaskingOutside{Tasking: t, New: !outsideBefore})
		}
	}
	return nil
}

func (im *Impact) everyBreaches(rules Rules, aNodes []Node, aChains, bChains map[string]Path) {
	spanBefore := map[string]int{}
	for _, s := range im.Spans {
		spanBefore[s.After.Node.ID] = s.Before.Direct
	}
	for _, s := range im.Spans {
		if rules.MaxSpan > 0 && s.After.Direct > rules.MaxSpan {
			im.Breaches = append(im.Breaches, Breach{Node: s.After.Node, Rule: "MAX_SPAN", Value: s.After.Direct,
				Limit: rules.MaxSpan, InBaseline: s.Before.Direct > rules.MaxSpan})
		}
	}
	if rules.MaxDepth <= 0 {
		return
	}
	for _, n := range aNodes {
		if d := len(aChains[n.ID].Links); d > rules.MaxDepth {
			b, ok := bChains[n.ID]
			im.Breaches = append(im.Breaches, Breach{Node: n, Rule: "MAX_DEPTH", Value: d,
				Limit: rules.MaxDepth, InBaseline: ok && len(b.Links) > rules.MaxDepth})
		}
	}
}

func chains(ctx context.Context, s *Service, nodes []Node) (map[string]Path, error) {
	out := make(map[string]Path, len(nodes))
	for _, n := range nodes {
		p, err := s.ChainOfCommand(ctx, n.ID)
		if err != nil {
			return nil, err
		}
		out[n.ID] = p
	}
	return out, nil
}

// commonSuperior is the first node above both starts that both chains pass.
func commonSuperior(a, b Path) *Node {
	if len(a.Nodes) == 0 || len(b.Nodes) == 0 {
		return nil
	}
	for i := 1; i < len(a.Nodes); i++ {
		for j := 1; j < len(b.Nodes); j++ {
			if a.Nodes[i].ID == b.Nodes[j].ID {
				return &a.Nodes[i]
			}
		}
	}
	return nil
}
