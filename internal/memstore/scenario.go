package memstore

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/orgraph/orgraph/internal/org"
)

var _ org.ScenarioStore = (*Store)(nil)

// DataFile is the name of the file an opened store keeps its state in.
const DataFile = "orgraph.json"

// state is what the data file holds: the scenarios, and the baseline once
// a scenario has been applied to it or Replace has set it (until then the
// seed is the baseline).
type state struct {
	Baseline  *org.Graph       `json:",omitempty"`
	Scenarios []org.Scenario   `json:",omitempty"`
	Audit     []org.AuditEntry `json:",omitempty"`
}

// Open returns a store that keeps its scenarios and applied edits (and a
// baseline set by Replace) in dir/orgraph.json, loading what an earlier run
// left there. The file is replaced whole through a rename, so a crash
// mid-write leaves the old one. The store holds dir's lock (LockFile) until
// Close: while it does, Open of the same directory by another process, or
// by this one, fails with ECONFLICT.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, org.Errorf(org.EINVALID, "data directory %s: %v", dir, err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	s, err := open(dir)
	if err != nil {
		_ = unlockFile(lock)
		lock.Close()
		return nil, err
	}
	s.lock = lock
	return s, nil
}

func open(dir string) (*Store, error) {
	s := New()
	s.path = filepath.Join(dir, DataFile)
	data, err := os.ReadFile(s.path)
	if os.IsNotExist(err) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	var st state
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("memstore: %s is corrupt: %w", s.path, err)
	}
	for _, sc := range st.Scenarios {
		s.scenarios[sc.ID] = sc
	}
	s.audit = st.Audit
	if st.Baseline != nil {
		if err := s.Load(context.Background(), st.Baseline); err != nil {
			return nil, fmt.Errorf("memstore: the baseline in %s: %w", s.path, err)
		}
		s.applied = true
		// The revision goes on from the last one the audit log recorded,
		// so that the log's revisions name this baseline after a restart.
		if n := len(s.audit); n > 0 {
			if rev, err := strconv.ParseInt(s.audit[n-1].RevisionAfter, 10, 64); err == nil && rev > s.revision.Load() {
				s.revision.Store(rev)
			}
		}
	}
	return s, nil
}

// Replace makes g the store's whole content: its baseline, and no
// scenarios (they were drawn on another baseline). An opened store writes
// it to its data file before it answers, so that the next Open serves g
// rather than loading the seed; on a failed write nothing changes.
func (s *Store) Replace(ctx context.Context, g *org.Graph) error {
	merged := org.Upsert(&org.Graph{}, g) // the order Load validates in
	if err := org.Validate(merged); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	prev, prevApplied, prevScenarios := s.snapshot(), s.applied, s.scenarios
	s.replace(merged)
	s.scenarios, s.applied = map[string]org.Scenario{}, true
	if err := s.save(); err != nil {
		s.replace(prev)
		s.scenarios, s.applied = prevScenarios, prevApplied
		return err
	}
	return nil
}

// save writes the state; the caller holds the lock. Stores made by New keep
// nothing on disk.
func (s *Store) save() error {
	if s.path == "" {
		return nil
	}
	st := state{Scenarios: s.sortedScenarios(), Audit: s.audit}
	if s.applied {
		st.Baseline = s.snapshot()
	}
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".orgraph-*.json")
	if err != nil {
		return org.Errorf(org.EUNAVAILABLE, "cannot write the data file: %v", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return org.Errorf(org.EUNAVAILABLE, "cannot write the data file: %v", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return org.Errorf(org.EUNAVAILABLE, "cannot write the data file: %v", err)
	}
	if err := tmp.Close(); err != nil {
		return org.Errorf(org.EUNAVAILABLE, "cannot write the data file: %v", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return org.Errorf(org.EUNAVAILABLE, "cannot write the data file: %v", err)
	}
	if d, err := os.Open(filepath.Dir(s.path)); err == nil {
		_ = d.Sync() // make the rename itself durable
		d.Close()
	}
	return nil
}

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
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.scenarios[sc.ID]; ok {
		return org.Errorf(org.ECONFLICT, "scenario %q exists", sc.ID)
	}
	s.scenarios[sc.ID] = sc
	if err := s.save(); err != nil {
		delete(s.scenarios, sc.ID)
		return err
	}
	return nil
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
	s.mu.Lock()
	defer s.mu.Unlock()
	old, err := s.stored(sc.ID, version)
	if err != nil {
		return err
	}
	sc.Version = version + 1
	s.scenarios[sc.ID] = sc
	if err := s.save(); err != nil {
		s.scenarios[sc.ID] = old
		return err
	}
	return nil
}

// DeleteScenario removes a scenario.
func (s *Store) DeleteScenario(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.scenarios[id]
	if !ok {
		return org.Errorf(org.ENOTFOUND, "no scenario %q", id)
	}
	delete(s.scenarios, id)
	if err := s.save(); err != nil {
		s.scenarios[id] = old
		return err
	}
	return nil
}

// Snapshot returns the whole baseline graph.
func (s *Store) Snapshot(ctx context.Context) (*org.Graph, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.snapshot(), nil
}

// ApplyScenario makes g the baseline, records sc and appends e to the
// audit log, all or none.
func (s *Store) ApplyScenario(ctx context.Context, g *org.Graph, sc org.Scenario, version int, e org.AuditEntry) error {
	if err := org.Validate(g); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, err := s.stored(sc.ID, version)
	if err != nil {
		return err
	}
	prev, prevApplied, prevAudit := s.snapshot(), s.applied, s.audit
	e.RevisionBefore = s.rev()
	s.replace(g)
	e.RevisionAfter = s.rev()
	sc.Version = version + 1
	s.scenarios[sc.ID] = sc
	s.applied = true
	s.audit = withEntry(s.audit, e)
	if err := s.save(); err != nil {
		s.replace(prev)
		s.scenarios[sc.ID], s.applied, s.audit = old, prevApplied, prevAudit
		return err
	}
	return nil
}

// ReviewScenario stores sc as UpdateScenario does and appends e to the
// audit log, both or neither.
func (s *Store) ReviewScenario(ctx context.Context, sc org.Scenario, version int, e org.AuditEntry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, err := s.stored(sc.ID, version)
	if err != nil {
		return err
	}
	prevAudit := s.audit
	e.RevisionBefore, e.RevisionAfter = s.rev(), s.rev()
	sc.Version = version + 1
	s.scenarios[sc.ID] = sc
	s.audit = withEntry(s.audit, e)
	if err := s.save(); err != nil {
		s.scenarios[sc.ID], s.audit = old, prevAudit
		return err
	}
	return nil
}

// LoadAudited merges g into the store as Load does and appends e to the
// audit log; an opened store keeps the merged baseline in its data file
// from then on. All or nothing.
func (s *Store) LoadAudited(ctx context.Context, g *org.Graph, e org.AuditEntry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := s.snapshot()
	merged := org.Upsert(s.snapshot(), g)
	if err := org.Validate(merged); err != nil {
		return err
	}
	prevApplied, prevAudit := s.applied, s.audit
	e.RevisionBefore = s.rev()
	s.replace(merged)
	e.RevisionAfter = s.rev()
	s.applied = true
	s.audit = withEntry(s.audit, e)
	if err := s.save(); err != nil {
		s.replace(prev)
		s.applied, s.audit = prevApplied, prevAudit
		return err
	}
	return nil
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

// stored returns the scenario stored at the given version; the caller holds the lock.
func (s *Store) stored(id string, version int) (org.Scenario, error) {
	old, ok := s.scenarios[id]
	switch {
	case !ok:
		return old, org.Errorf(org.ENOTFOUND, "no scenario %q", id)
	case old.Version != version:
		return old, org.Errorf(org.ECONFLICT, "scenario %q changed meanwhile (version %d, not %d)", id, old.Version, version)
	}
	return old, nil
}
