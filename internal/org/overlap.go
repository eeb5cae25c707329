package org

import (
	"context"
	"slices"
	"unicode/utf8"
)

// stemLength is how many leading letters of a folded word stand for the word:
// a crude stemmer that lets Polish inflections meet ("konferencji",
// "konferencje").
const stemLength = 6

// stopWords carry no meaning of their own in the ordinance's duties.
var stopWords = map[string]bool{
	"oraz": true, "przez": true, "ich": true, "tym": true, "takze": true, "dla": true,
	"ze": true, "we": true, "na": true, "do": true, "od": true, "po": true, "in": true,
	"zakresie": true, "tj": true, "itp": true, "innych": true, "inne": true,
	"miasta": true, "miasto": true, "krakowa": true, "urzedu": true, "wydzialu": true,
}

// Overlap is a pair of duties of two units that describe the same work.
type Overlap struct {
	A, B Duty
	// Score is the share of the shorter duty's words that the other shares.
	Score float64
	// Shared lists the shared stems, in A's order.
	Shared []string
}

// OverlapOptions tune Overlaps; zero values take the defaults.
type OverlapOptions struct {
	MinScore  float64 // default 0.6
	MinShared int     // default 4
	Unit      string  // only overlaps involving this unit's duties
}

// Overlaps finds duties written for two different units that share most of
// their words. Items that say who may commission tasks, or declare
// cooperation between units, are left out: they mirror each other by design.
func (s *Service) Overlaps(ctx context.Context, opt OverlapOptions) ([]Overlap, error) {
	if opt.MinScore == 0 {
		opt.MinScore = 0.6
	}
	if opt.MinShared == 0 {
		opt.MinShared = 4
	}
	if opt.MinScore < 0 || opt.MinScore > 1 || opt.MinShared < 0 {
		return nil, Errorf(EINVALID, "minScore must lie in 0..1 and minShared be positive")
	}
	unitID := ""
	if opt.Unit != "" {
		u, err := s.ResolveUnit(ctx, opt.Unit)
		if err != nil {
			return nil, err
		}
		unitID = u.ID
	}
	duties, skip, err := s.overlapInput(ctx)
	if err != nil {
		return nil, err
	}
	x := newOverlapIndex(duties)
	var out []Overlap
	for i, a := range duties {
		if skip[a.ID] {
			continue
		}
		x.candidates(i, opt.MinShared, func(j int) {
			b := duties[j]
			if j < i || a.Unit == b.Unit || skip[b.ID] || (unitID != "" && a.Unit != unitID && b.Unit != unitID) {
				return
			}
			if o, ok := x.overlap(i, j, opt); ok {
				out = append(out, o)
			}
		})
	}
	return out, nil
}

// overlapInput is what overlaps are looked for among: the duties that are
// not common, and the set of those left out (items that say who may
// commission tasks, or declare cooperation between units, mirror each
// other by design).
func (s *Service) overlapInput(ctx context.Context) ([]Duty, map[string]bool, error) {
	duties, _, skip, err := s.overlapInputs(ctx)
	return duties, skip, err
}

// overlapInputs is overlapInput with the tasking and cooperation the set
// left out was drawn from.
func (s *Service) overlapInputs(ctx context.Context) ([]Duty, []Relation, map[string]bool, error) {
	common := false
	duties, err := s.Store.FindDuties(ctx, DutyFilter{Common: &common})
	if err != nil {
		return nil, nil, nil, err
	}
	mirrored, err := s.Store.FindRelations(ctx, RelationFilter{Kinds: []RelationKind{MayTask, CooperatesWith}})
	if err != nil {
		return nil, nil, nil, err
	}
	units := map[string]bool{}
	for _, d := range duties {
		units[d.Unit] = true
	}
	skip := map[string]bool{}
	for _, r := range mirrored {
		if r.Kind == MayTask || (units[r.From] && units[r.To]) {
			skip[r.Duty] = true
		}
	}
	return duties, mirrored, skip, nil
}

// overlapIndex finds the duties that share stems with a duty through an
// inverted index of stems, so that a search costs what the stems'
// postings hold rather than a comparison with every other duty.
type overlapIndex struct {
	duties []Duty
	stems  [][]string
	post   map[string][]int // stem → the duties holding it, ascending
	counts []int            // scratch for candidates
}

func newOverlapIndex(duties []Duty) *overlapIndex {
	x := &overlapIndex{duties: duties, stems: make([][]string, len(duties)), post: map[string][]int{}, counts: make([]int, len(duties))}
	for i, d := range duties {
		x.stems[i] = Stems(d.Text)
		for _, st := range x.stems[i] {
			x.post[st] = append(x.post[st], i)
		}
	}
	return x
}

// candidates calls fn, in ascending order, for every duty other than i that
// shares at least minShared stems with it (at least one when minShared is 0).
func (x *overlapIndex) candidates(i, minShared int, fn func(j int)) {
	x.candidatesWith(x.counts, i, minShared, true, fn)
}

// candidatesWith is candidates with counts (zeroes, one per duty) as the
// scratch space, so that callers with their own may share the index, in
// ascending order when ordered is set (else in no particular order).
func (x *overlapIndex) candidatesWith(counts []int, i, minShared int, ordered bool, fn func(j int)) {
	var touched []int
	for _, st := range x.stems[i] {
		for _, j := range x.post[st] {
			if j == i {
				continue
			}
			if counts[j] == 0 {
				touched = append(touched, j)
			}
			counts[j]++
		}
	}
	if ordered {
		slices.Sort(touched)
	}
	for _, j := range touched {
		n := counts[j]
		counts[j] = 0
		if n >= max(minShared, 1) {
			fn(j)
		}
	}
}

// overlap scores duties i and j (i first) and says whether they overlap.
func (x *overlapIndex) overlap(i, j int, opt OverlapOptions) (Overlap, bool) {
	return x.overlapOf(i, j, x.duties[i], x.duties[j], opt)
}

// overlapOf is overlap for duties i and j as a and b: the same texts, held
// by the units a and b name.
func (x *overlapIndex) overlapOf(i, j int, a, b Duty, opt OverlapOptions) (Overlap, bool) {
	shared := sharedStems(x.stems[i], x.stems[j])
	shorter := min(len(x.stems[i]), len(x.stems[j]))
	if shorter == 0 || len(shared) < opt.MinShared {
		return Overlap{}, false
	}
	score := float64(len(shared)) / float64(shorter)
	return Overlap{A: a, B: b, Score: score, Shared: shared}, score >= opt.MinScore
}

// Stems returns the distinct stems of a text's meaningful words, in order.
func Stems(text string) []string {
	var out []string
	for _, w := range Terms(text) {
		if utf8.RuneCountInString(w) < 3 || stopWords[w] {
			continue
		}
		if len(w) > stemLength {
			w = w[:stemLength]
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

func sharedStems(a, b []string) []string {
	var out []string
	for _, w := range a {
		if slices.Contains(b, w) {
			out = append(out, w)
		}
	}
	return out
}
