package memstore

import (
	"cmp"
	"context"
	"reflect"
	"slices"
	"strconv"

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

// ApplyScenario makes g the baseline, records sc and appends e to the
// audit log, all or none. It writes the data file whole (a baseline-wide
// change is rare).
func (s *Store) ApplyScenario(ctx context.Context, g *org.Graph, sc org.Scenario, version int, e org.AuditEntry) error {
	if err := org.Validate(g); err != nil {
		return err
	}
	// Applies one at a time, and no load while one is (writeScenario):
	// the revision checked is the one the write replaces.
	s.applying.Lock()
	defer s.applying.Unlock()
	defer s.writeScenario(sc.ID)()
	if _, err := s.stored(sc.ID, version); err != nil {
		return err
	}
	if e.RevisionBefore != "" && e.RevisionBefore != s.rev() {
		return org.Errorf(org.ECONFLICT, "the baseline changed (revision %s, not %s) while scenario %s was applied: apply it again", s.rev(), e.RevisionBefore, sc.ID)
	}
	sc.Version = version + 1
	// Computed when the write commits (writes commit one at a time), so
	// that the entry names the revisions the apply goes between.
	whole := func() state {
		s.mu.RLock()
		defer s.mu.RUnlock()
		scs := s.sortedScenarios()
		for i := range scs {
			if scs[i].ID == sc.ID {
				scs[i] = sc
			}
		}
		e.RevisionBefore = s.rev()
		e.RevisionAfter = strconv.FormatInt(s.revision.Load()+1, 10) // replace bumps it
		return state{Baseline: g, Scenarios: scs, Audit: withEntry(s.audit, e)}
	}
	return s.write(record{}, whole, func() {
		// The same revisions as whole's: writes commit one at a time.
		e.RevisionBefore = s.rev()
		s.replace(g)
		e.RevisionAfter = s.rev()
		s.scenarios[sc.ID] = sc
		s.applied = true
		s.audit = withEntry(s.audit, e)
	})
}

// ReviewScenario stores sc as UpdateScenario does and appends e to the
// audit log, both or neither (the data file written whole: reviews are rare).
func (s *Store) ReviewScenario(ctx context.Context, sc org.Scenario, version int, e org.AuditEntry) error {
	defer s.writeScenario(sc.ID)()
	if _, err := s.stored(sc.ID, version); err != nil {
		return err
	}
	sc.Version = version + 1
	whole := func() state {
		s.mu.RLock()
		defer s.mu.RUnlock()
		st := s.stateLocked()
		for i := range st.Scenarios {
			if st.Scenarios[i].ID == sc.ID {
				st.Scenarios[i] = sc
			}
		}
		e.RevisionBefore, e.RevisionAfter = s.rev(), s.rev()
		st.Audit = withEntry(s.audit, e)
		return st
	}
	return s.write(record{}, whole, func() {
		e.RevisionBefore, e.RevisionAfter = s.rev(), s.rev()
		s.scenarios[sc.ID] = sc
		s.audit = withEntry(s.audit, e)
	})
}

// LoadAudited merges g into the store as Load does and appends e to the
// audit log; an opened store keeps the merged baseline in its data file
// from then on. All or nothing, durable before it returns.
func (s *Store) LoadAudited(ctx context.Context, g *org.Graph, e org.AuditEntry) error {
	s.writing.Lock() // no scenario write is under way
	defer s.writing.Unlock()
	s.mu.RLock()
	merged := org.Supersede(s.snapshot(), g)
	s.mu.RUnlock()
	if err := org.Validate(merged); err != nil {
		return err
	}
	whole := func() state {
		s.mu.RLock()
		defer s.mu.RUnlock()
		st := s.stateLocked()
		st.Baseline = merged
		e.RevisionBefore = s.rev()
		e.RevisionAfter = strconv.FormatInt(s.revision.Load()+1, 10) // replace bumps it
		st.Audit = withEntry(s.audit, e)
		return st
	}
	return s.write(record{}, whole, func() {
		e.RevisionBefore = s.rev()
		s.replace(merged)
		e.RevisionAfter = s.rev()
		s.applied = true
		s.audit = withEntry(s.audit, e)
	})
}

// withEntry returns a copy of log with e in its place, by At, then ID.
func withEntry(log []org.AuditEntry, e org.AuditEntry) []org.AuditEntry {
	i, _ := slices.BinarySearchFunc(log, e, compareEntries)
	return slices.Insert(slices.Clone(log), i, e)
}

func compareEntries(a, b org.AuditEntry) int {
	return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID))
}

// AuditLog returns at most first entries after the one with id after,
// oldest first.
func (s *Store) AuditLog(ctx context.Context, first int, after string) ([]org.AuditEntry, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	log := s.audit
	if after != "" {
		i := slices.IndexFunc(log, func(e org.AuditEntry) bool { return e.ID == after })
		if i < 0 {
			return []org.AuditEntry{}, nil
		}
		log = log[i+1:]
	}
	return slices.Clone(log[:min(first, len(log))]), nil
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
