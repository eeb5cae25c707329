package org

import (
	"context"
	"slices"
)

// overlapBase is what the baseline's overlaps are found through, kept
// until the baseline changes: its duties that are not common, those left
// out (skip), the relations that name a duty, and the index of stems.
type overlapBase struct {
	duties  []Duty // by Seq, then ID
	at      map[string]int
	skip    map[string]bool
	names   map[string][]Relation // duty → the tasking and cooperation that name it
	dutyOf  map[string]string     // relation → the duty it names
	byUnit  map[string][]string   // unit → the duties named by cooperation it takes part in
	holders map[string]int        // unit → how many duties (not common) it holds
	x       *overlapIndex
}

func newOverlapBase(ctx context.Context, before *Service) (*overlapBase, error) {
	duties, rels, skip, err := before.overlapInputs(ctx)
	if err != nil {
		return nil, err
	}
	ob := &overlapBase{duties: duties, at: make(map[string]int, len(duties)), skip: skip,
		names: map[string][]Relation{}, dutyOf: map[string]string{}, byUnit: map[string][]string{}, holders: map[string]int{}, x: newOverlapIndex(duties)}
	for i, d := range duties {
		ob.at[d.ID] = i
		ob.holders[d.Unit]++
	}
	for _, r := range rels {
		if r.Duty == "" {
			continue
		}
		ob.names[r.Duty] = append(ob.names[r.Duty], r)
		ob.dutyOf[r.ID] = r.Duty
		if r.Kind == CooperatesWith {
			ob.byUnit[r.From] = append(ob.byUnit[r.From], r.Duty)
			ob.byUnit[r.To] = append(ob.byUnit[r.To], r.Duty)
		}
	}
	return ob, nil
}

// newOverlaps finds the overlaps the scenario creates: pairs of duties that
// overlap after d and did not, held by the same units, before it. Only a
// duty d moved, or whose standing (left out or not) d changed, can be in
// such a pair, so only those are searched from, through the baseline's
// index of stems (a duty's text never changes in a scenario); the answer
// is the one comparing every pair in both would give.
func (ob *overlapBase) newOverlaps(ctx context.Context, before, after *Service, d *Delta) ([]Overlap, error) {
	opt := OverlapOptions{MinScore: 0.6, MinShared: 4}
	gone := map[string]bool{}
	for _, id := range d.RemovedDuties {
		gone[id] = true
	}
	unitOf := map[string]string{} // moved duties (not common) → their unit after d
	holders := map[string]int{}   // the change in how many duties a unit holds
	for _, id := range d.RemovedDuties {
		if i, ok := ob.at[id]; ok {
			holders[ob.duties[i].Unit]--
		}
	}
	for _, du := range d.Duties {
		if i, ok := ob.at[du.ID]; ok && ob.duties[i].Unit != du.Unit {
			unitOf[du.ID] = du.Unit
			holders[ob.duties[i].Unit]--
			holders[du.Unit]++
		}
	}
	holdsAfter := func(u string) bool { return ob.holders[u]+holders[u] > 0 }
	holdsBefore := func(u string) bool { return ob.holders[u] > 0 }

	// The relations after d that name a duty: the baseline's, less those
	// removed, and those added.
	removed := map[string]bool{}
	for _, id := range d.RemovedRelations {
		removed[id] = true
	}
	added := map[string][]Relation{}
	for _, r := range d.Relations {
		removed[r.ID] = true // replaced, if it was there
		if r.Duty != "" && (r.Kind == MayTask || r.Kind == CooperatesWith) {
			added[r.Duty] = append(added[r.Duty], r)
		}
	}
	leftOut := func(r Relation) bool { return r.Kind == MayTask || (holdsAfter(r.From) && holdsAfter(r.To)) }
	skipAfter := func(id string) bool {
		for _, r := range ob.names[id] {
			if !removed[r.ID] && leftOut(r) {
				return true
			}
		}
		return slices.ContainsFunc(added[id], leftOut)
	}
	// The duties whose standing may differ: named by a relation d removed
	// or added, or by cooperation of a unit that gained its first duty or
	// lost its last.
	maybe := map[string]bool{}
	for _, id := range d.RemovedRelations {
		maybe[ob.dutyOf[id]] = true
	}
	for _, r := range d.Relations {
		maybe[r.Duty] = true
	}
	for u := range holders {
		if holdsAfter(u) != holdsBefore(u) {
			for _, id := range ob.byUnit[u] {
				maybe[id] = true
			}
		}
	}
	skip := map[string]bool{} // skip after d, where it differs
	for id := range maybe {
		if _, ok := ob.at[id]; ok && !gone[id] && skipAfter(id) != ob.skip[id] {
			skip[id] = !ob.skip[id]
		}
	}
	isSkipped := func(id string) bool {
		if s, ok := skip[id]; ok {
			return s
		}
		return ob.skip[id]
	}
	dutyAfter := func(i int) Duty {
		du := ob.duties[i]
		if u, ok := unitOf[du.ID]; ok {
			du.Unit = u
		}
		return du
	}

	var from []int // the duties to search from, in the baseline's order
	for id := range unitOf {
		if !gone[id] {
			from = append(from, ob.at[id])
		}
	}
	for id := range skip {
		if _, moved := unitOf[id]; !moved {
			from = append(from, ob.at[id])
		}
	}
	slices.Sort(from)
	counts := make([]int, len(ob.duties))
	pairs := map[[2]int]Overlap{}
	for _, i := range from {
		ob.x.candidatesWith(counts, i, opt.MinShared, false, func(j int) { // the pairs are sorted below
			p, q := min(i, j), max(i, j)
			if _, seen := pairs[[2]int{p, q}]; seen || gone[ob.duties[j].ID] {
				return
			}
			a, b := dutyAfter(p), dutyAfter(q)
			if a.Unit == b.Unit || isSkipped(a.ID) || isSkipped(b.ID) {
				return
			}
			// Every overlap found is new: one of the two was moved (so the
			// units differ from the baseline's), or was left out there.
			if o, ok := ob.x.overlapOf(p, q, a, b, opt); ok {
				pairs[[2]int{p, q}] = o
			}
		})
	}
	keys := make([][2]int, 0, len(pairs))
	for k := range pairs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(p, q [2]int) int {
		if p[0] != q[0] {
			return p[0] - q[0]
		}
		return p[1] - q[1]
	})
	out := make([]Overlap, len(keys))
	for k, key := range keys {
		out[k] = pairs[key]
	}
	return out, nil
}
