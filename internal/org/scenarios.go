package org

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Scenario services need the store to keep scenarios, and a way to hold a
// scenario's graph in memory to answer questions about it.
func (s *Service) scenarios() (ScenarioStore, error) {
	ss, ok := s.Store.(ScenarioStore)
	if !ok || s.Overlay == nil {
		return nil, Errorf(EINVALID, "this store keeps no scenarios")
	}
	return ss, nil
}

func (s *Service) now() time.Time {
	if s.Clock != nil {
		return s.Clock().UTC()
	}
	return time.Now().UTC()
}

func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// CreateScenario starts an empty scenario.
func (s *Service) CreateScenario(ctx context.Context, name, owner, description string) (Scenario, error) {
	ss, err := s.scenarios()
	if err != nil {
		return Scenario{}, err
	}
	name, owner = strings.TrimSpace(name), strings.TrimSpace(owner)
	if err := checkScenarioText(name, owner, description); err != nil {
		return Scenario{}, err
	}
	if err := checkOwnerRoom(ctx, ss, owner); err != nil {
		return Scenario{}, err
	}
	now := s.now()
	sc := Scenario{ID: newID(), Name: name, Owner: owner, Description: description,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := ss.CreateScenario(ctx, sc); err != nil {
		return Scenario{}, err
	}
	return sc, nil
}

// Scenario returns a scenario by id. ENOTFOUND.
func (s *Service) Scenario(ctx context.Context, id string) (Scenario, error) {
	ss, err := s.scenarios()
	if err != nil {
		return Scenario{}, err
	}
	return ss.FindScenarioByID(ctx, id)
}

// Scenarios lists every scenario.
func (s *Service) Scenarios(ctx context.Context) ([]Scenario, error) {
	ss, err := s.scenarios()
	if err != nil {
		return nil, err
	}
	return ss.FindScenarios(ctx)
}

// DeleteScenario removes a scenario. ENOTFOUND.
func (s *Service) DeleteScenario(ctx context.Context, id string) error {
	ss, err := s.scenarios()
	if err != nil {
		return err
	}
	return ss.DeleteScenario(ctx, id)
}

// AddChange appends a change after checking it against the baseline and
// the scenario's earlier changes; a change that does not fit leaves the
// scenario as it was.
func (s *Service) AddChange(ctx context.Context, id string, c Change) (Scenario, error) {
	if err := checkChange(c); err != nil {
		return Scenario{}, err
	}
	return s.edit(ctx, id, func(sc *Scenario) error {
		if len(sc.Changes) >= MaxChangesPerScenario {
			return Errorf(ECONFLICT, "scenario %s holds %d changes, the most one may; start another", id, len(sc.Changes))
		}
		// The version grows with every write, so an id is never given twice.
		c.ID = fmt.Sprintf("c%d", sc.Version)
		sc.Changes = append(sc.Changes, c)
		return nil
	})
}

// RemoveChange undoes a change; the changes after it must still fit.
func (s *Service) RemoveChange(ctx context.Context, id, changeID string) (Scenario, error) {
	return s.edit(ctx, id, func(sc *Scenario) error {
		i := slices.IndexFunc(sc.Changes, func(c Change) bool { return c.ID == changeID })
		if i < 0 {
			return Errorf(ENOTFOUND, "scenario %s has no change %q", id, changeID)
		}
		sc.Changes = slices.Delete(sc.Changes, i, i+1)
		return nil
	})
}

// MoveChange puts a change at a new place (0 is first); the reordered
// changes must still fit.
func (s *Service) MoveChange(ctx context.Context, id, changeID string, to int) (Scenario, error) {
	return s.edit(ctx, id, func(sc *Scenario) error {
		i := slices.IndexFunc(sc.Changes, func(c Change) bool { return c.ID == changeID })
		if i < 0 {
			return Errorf(ENOTFOUND, "scenario %s has no change %q", id, changeID)
		}
		if to < 0 || to >= len(sc.Changes) {
			return Errorf(EINVALID, "position %d is outside 0..%d", to, len(sc.Changes)-1)
		}
		c := sc.Changes[i]
		sc.Changes = slices.Insert(slices.Delete(sc.Changes, i, i+1), to, c)
		return nil
	})
}

// edit applies fn to a scenario, checks the result against the baseline and
// stores it; when another planner wrote first it tries again on the fresh copy.
func (s *Service) edit(ctx context.Context, id string, fn func(*Scenario) error) (Scenario, error) {
	ss, err := s.scenarios()
	if err != nil {
		return Scenario{}, err
	}
	for attempt := 0; ; attempt++ {
		sc, err := ss.FindScenarioByID(ctx, id)
		if err != nil {
			return Scenario{}, err
		}
		if sc.AppliedAt != nil {
			return Scenario{}, Errorf(EINVALID, "scenario %s was applied on %s and can no longer change", id, sc.AppliedAt.Format(time.RFC3339))
		}
		version := sc.Version
		sc.Changes = slices.Clone(sc.Changes)
		if err := fn(&sc); err != nil {
			return Scenario{}, err
		}
		base, err := s.Baseline(ctx)
		if err != nil {
			return Scenario{}, err
		}
		if _, err := ApplyDelta(base, sc); err != nil {
			return Scenario{}, err
		}
		sc.UpdatedAt = s.now()
		err = ss.UpdateScenario(ctx, sc, version)
		if ErrorCode(err) == ECONFLICT && attempt < 5 {
			continue
		}
		if err != nil {
			return Scenario{}, err
		}
		sc.Version = version + 1
		return sc, nil
	}
}

// ApplyScenario makes the scenario the baseline, atomically, and records when.
func (s *Service) ApplyScenario(ctx context.Context, id string) (Scenario, error) {
	ss, err := s.scenarios()
	if err != nil {
		return Scenario{}, err
	}
	sc, err := ss.FindScenarioByID(ctx, id)
	if err != nil {
		return Scenario{}, err
	}
	if sc.AppliedAt != nil {
		return Scenario{}, Errorf(EINVALID, "scenario %s was applied already", id)
	}
	base, err := ss.Snapshot(ctx)
	if err != nil {
		return Scenario{}, err
	}
	g, err := ApplyChanges(base, sc)
	if err != nil {
		return Scenario{}, err
	}
	version := sc.Version
	now := s.now()
	sc.AppliedAt, sc.UpdatedAt = &now, now
	if err := ss.ApplyScenario(ctx, g, sc, version); err != nil {
		return Scenario{}, err
	}
	sc.Version = version + 1
	return sc, nil
}

// View returns a service that answers as if the scenario were applied. The
// baseline is not touched.
func (s *Service) View(ctx context.Context, id string) (*Service, error) {
	v, err := s.view(ctx, id)
	if err != nil {
		return nil, err
	}
	return &Service{Store: v.store}, nil
}

// scenarioView is a scenario's view: the baseline it was made of, what
// the scenario changes in it, and the store that answers for it.
type scenarioView struct {
	base  Forker
	delta *Delta
	store Store
	// facts names, by the baseline's revision, what is kept of the
	// baseline for comparisons (its overlap index, its reporting lines);
	// empty when the store names no revision.
	facts string
}

func (s *Service) view(ctx context.Context, id string) (*scenarioView, error) {
	ss, err := s.scenarios()
	if err != nil {
		return nil, err
	}
	sc, err := ss.FindScenarioByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return kept(ctx, s, fmt.Sprintf("scenario %s v%d", sc.ID, sc.Version), func() (*scenarioView, error) {
		facts, _, err := s.viewKey(ctx, "baseline facts") // read before the baseline, as kept does
		if err != nil {
			return nil, err
		}
		base, err := s.Baseline(ctx)
		if err != nil {
			return nil, err
		}
		d, err := ApplyDelta(base, sc)
		if err != nil {
			return nil, err
		}
		return &scenarioView{base: base, delta: d, store: base.Fork(d), facts: facts}, nil
	})
}

// Impact compares the scenario with the baseline.
func (s *Service) Impact(ctx context.Context, id string, rules Rules) (Impact, error) {
	return s.ImpactOf(ctx, id, rules, AllParts())
}

// ImpactOf computes the parts of the scenario's impact that parts selects.
func (s *Service) ImpactOf(ctx context.Context, id string, rules Rules, parts ImpactParts) (Impact, error) {
	if rules.MaxSpan < 0 || rules.MaxDepth < 0 {
		return Impact{}, Errorf(EINVALID, "rule limits must not be negative")
	}
	v, err := s.view(ctx, id)
	if err != nil {
		return Impact{}, err
	}
	before := &Service{Store: v.base}
	overlaps := func() (*overlapBase, error) {
		return keptFact(s, v, "overlaps", func() (*overlapBase, error) { return newOverlapBase(ctx, before) })
	}
	lines := func() (*side, error) {
		return keptFact(s, v, "lines", func() (*side, error) { return loadSide(ctx, before, true) })
	}
	return compareStructures(ctx, before, &Service{Store: v.store}, v.delta, rules, parts, lines, overlaps)
}

// Baseline returns the baseline as scenarios are compared with and made
// of: a store that keeps it in memory hands it out as it is (Freezer);
// another's snapshot is held in memory (Overlay), kept until the baseline's
// revision changes.
func (s *Service) Baseline(ctx context.Context) (Forker, error) {
	ss, err := s.scenarios()
	if err != nil {
		return nil, err
	}
	if f, ok := s.Store.(Freezer); ok {
		return f.Freeze(), nil
	}
	store, err := kept(ctx, s, "baseline", func() (Store, error) {
		base, err := ss.Snapshot(ctx)
		if err != nil {
			return nil, err
		}
		return s.Overlay(ctx, base)
	})
	if err != nil {
		return nil, err
	}
	f, ok := store.(Forker)
	if !ok {
		return nil, Errorf(EINTERNAL, "the store %T that holds the baseline in memory makes no scenario views", store)
	}
	return f, nil
}

// keptFact returns what build makes of the view's baseline, kept with the
// views by the baseline's revision when the store names one.
func keptFact[T any](s *Service, v *scenarioView, what string, build func() (T, error)) (T, error) {
	if v.facts == "" {
		return build()
	}
	x, err := s.cache().get(v.facts+" "+what, func() (any, error) { return build() })
	if err != nil {
		var zero T
		return zero, err
	}
	return x.(T), nil
}
