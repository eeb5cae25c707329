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
	common := false
	duties, err := s.Store.FindDuties(ctx, DutyFilter{Common: &common})
	if err != nil {
		return nil, err
	}
	mirrored, err := s.Store.FindRelations(ctx, RelationFilter{Kinds: []RelationKind{MayTask, CooperatesWith}})
	if err != nil {
		return nil, err
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
	stems := make([][]string, len(duties))
	for i, d := range duties {
		stems[i] = Stems(d.Text)
	}
	var out []Overlap
	for i, a := range duties {
		for j := i + 1; j < len(duties); j++ {
			b := duties[j]
			if a.Unit == b.Unit || skip[a.ID] || skip[b.ID] || (unitID != "" && a.Unit != unitID && b.Unit != unitID) {
				continue
			}
			shared := sharedStems(stems[i], stems[j])
			shorter := min(len(stems[i]), len(stems[j]))
			if shorter == 0 || len(shared) < opt.MinShared {
				continue
			}
			score := float64(len(shared)) / float64(shorter)
			if score >= opt.MinScore {
				out = append(out, Overlap{A: a, B: b, Score: score, Shared: shared})
			}
		}
	}
	return out, nil
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
