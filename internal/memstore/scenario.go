package memstore

import (
	"cmp"
	"context"
	"reflect"
	"slices"

	"github.com/orgraph/orgraph/internal/org"
)

var _ org.ScenarioStore = (*Store)(nil)

func (s *Store) sortedScenarios() []org.Scenario {
	out := make([]org.Scenario, 0, len(s.scenarios))
	for _, sc := range s.scenarios {
		out = append(out, sc)
	}
	slices.SortFunc(out, func(a, b org.Scenario) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// CreateScenario stores a new scenario.
func (s *Store) CreateScenario(ctx context.Context, sc org.Scenario) error {
	defer s.writeScenario(sc.ID)()
	s.mu.RLock()
	_, taken := s.scenarios[sc.ID]
	s.mu.RUnlock()
	if taken {
		return org.Errorf(org.ECONFLICT, "scenario %q exists", sc.ID)
	}
	return s.putScenario(sc)
}

// writeScenario starts a write to scenario id: it waits for the writes to
// id under way, not for those to other scenarios. The caller defers the
// function it returns.
func (s *Store) writeScenario(id string) func() {
	s.writing.RLock()
	unlock := s.scenarioLocks.lock(id)
	return func() {
		unlock()
		s.writing.RUnlock()
	}
}

// putScenario stores sc whole, durably; the caller is writing sc.ID.
func (s *Store) putScenario(sc org.Scenario) error {
	rec, err := newRecord(kindScenario, sc)
	if err != nil {
		return err
	}
	return s.write(rec, nil, func() { s.scenarios[sc.ID] = sc })
}

// FindScenarioByID returns a scenario.
func (s *Store) FindScenarioByID(ctx context.Context, id string) (org.Scenario, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sc, ok := s.scenarios[id]
	if !ok {
		return org.Scenario{}, org.Errorf(org.ENOTFOUND, "no scenario %q", id)
	}
	sc.Changes = slices.Clone(sc.Changes)
	return sc, nil
}

// FindScenarios returns every scenario, oldest first.
func (s *Store) FindScenarios(ctx context.Context) ([]org.Scenario, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.sortedScenarios(), nil
}

// UpdateScenario replaces a scenario stored at the given version.
func (s *Store) UpdateScenario(ctx context.Context, sc org.Scenario, version int) error {
	defer s.writeScenario(sc.ID)()
	old, err := s.stored(sc.ID, version)
	if err != nil {
		return err
	}
	sc.Version = version + 1
	if n := len(old.Changes); len(sc.Changes) > n && slices.EqualFunc(old.Changes, sc.Changes[:n], sameChange) {
		head := sc
		head.Changes = nil
		rec, err := newRecord(kindAppendChanges, appended{Scenario: head, Changes: sc.Changes[n:]})
		if err != nil {
			return err
		}
		return s.write(rec, nil, func() { s.scenarios[sc.ID] = sc })
	}
	return s.putScenario(sc)
}

func sameChange(a, b org.Change) bool { return reflect.DeepEqual(a, b) }

// DeleteScenario removes a scenario.
func (s *Store) DeleteScenario(ctx context.Context, id string) error {
	defer s.writeScenario(id)()
	s.mu.RLock()
	_, ok := s.scenarios[id]
	s.mu.RUnlock()
	if !ok {
		return org.Errorf(org.ENOTFOUND, "no scenario %q", id)
	}
	rec, err := newRecord(kindDeleteScenario, deleted{ID: id})
	if err != nil {
		return err
	}
	return s.write(rec, nil, func() { delete(s.scenarios, id) })
}

// Snapshot returns the whole baseline graph.
func (s *Store) Snapshot(ctx context.Context) (*org.Graph, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.snapshot(), nil
}

// ApplyScenario makes g the baseline and records sc, both or neither. It
// writes the data file whole (a baseline-wide change is rare).
func (s *Store) ApplyScenario(ctx context.Context, g *org.Graph, sc org.Scenario, version int) error {
	if err := org.Validate(g); err != nil {
		return err
	}
	defer s.writeScenario(sc.ID)()
	if _, err := s.stored(sc.ID, version); err != nil {
		return err
	}
	sc.Version = version + 1
	whole := func() state {
		s.mu.RLock()
		defer s.mu.RUnlock()
		scs := s.sortedScenarios()
		for i := range scs {
			if scs[i].ID == sc.ID {
				scs[i] = sc
			}
		}
		return state{Baseline: g, Scenarios: scs}
	}
	return s.write(record{}, whole, func() {
		s.replace(g)
		s.scenarios[sc.ID] = sc
		s.applied = true
	})
}

// Overlay holds g in a fresh in-memory store: how a scenario's graph is
// answered, whichever store keeps the baseline.
func Overlay(ctx context.Context, g *org.Graph) (org.Store, error) {
	s := New()
	return s, s.Load(ctx, g)
}

// stored returns the scenario stored at the given version.
func (s *Store) stored(id string, version int) (org.Scenario, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	old, ok := s.scenarios[id]
	switch {
	case !ok:
		return old, org.Errorf(org.ENOTFOUND, "no scenario %q", id)
	case old.Version != version:
		return old, org.Errorf(org.ECONFLICT, "scenario %q changed meanwhile (version %d, not %d)", id, old.Version, version)
	}
	return old, nil
}
