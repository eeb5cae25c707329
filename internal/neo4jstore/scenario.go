package neo4jstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/orgraph/orgraph/internal/org"
)

var _ org.ScenarioStore = (*Store)(nil)

// timeLayout is RFC 3339 with all nine digits of the fraction, so that the
// stored strings sort as the times do.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// CreateScenario stores a new scenario. ECONFLICT when the id is taken.
func (s *Store) CreateScenario(ctx context.Context, sc org.Scenario) error {
	// The uniqueness of ids is the constraint's to keep.
	if err := s.EnsureSchema(ctx); err != nil {
		return err
	}
	p, err := scenarioProps(sc, sc.Version)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.QueryTimeout)
	defer cancel()
	_, err = s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return nil, s.exec(ctx, tx, createScenarioQuery, map[string]any{"props": p})
	})
	if constraintViolated(err) {
		return org.Errorf(org.ECONFLICT, "scenario %q already exists", sc.ID)
	}
	return mapError("create scenario", err)
}

// FindScenarioByID returns a scenario. ENOTFOUND.
func (s *Store) FindScenarioByID(ctx context.Context, id string) (org.Scenario, error) {
	vs, err := s.read(ctx, "find scenario", findScenarioByIDQuery, map[string]any{"id": id})
	if err != nil {
		return org.Scenario{}, err
	}
	if len(vs) == 0 {
		return org.Scenario{}, org.Errorf(org.ENOTFOUND, "no scenario with id %q", id)
	}
	return decodeScenario(vs[0])
}

// FindScenarios returns every scenario, ordered by CreatedAt, then ID.
func (s *Store) FindScenarios(ctx context.Context) ([]org.Scenario, error) {
	vs, err := s.read(ctx, "find scenarios", findScenariosQuery, nil)
	if err != nil {
		return nil, err
	}
	var out []org.Scenario
	for _, v := range vs {
		sc, err := decodeScenario(v)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	slices.SortFunc(out, func(a, b org.Scenario) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// UpdateScenario replaces a scenario whose stored Version is version,
// storing it with Version version+1, in one statement that holds the
// scenario's lock from reading the version to writing. ENOTFOUND;
// ECONFLICT when another write came first.
func (s *Store) UpdateScenario(ctx context.Context, sc org.Scenario, version int) error {
	p, err := scenarioProps(sc, version+1)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.QueryTimeout)
	defer cancel()
	_, err = s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		vs, err := s.collect(ctx, tx, updateScenarioQuery, map[string]any{"id": sc.ID, "version": version, "props": p})
		if err != nil {
			return nil, err
		}
		return nil, checkVersion(sc.ID, vs, version)
	})
	return mapError("update scenario", err)
}

// ReviewScenario stores sc as UpdateScenario does and appends e to the
// audit log, in one transaction.
func (s *Store) ReviewScenario(ctx context.Context, sc org.Scenario, version int, e org.AuditEntry) error {
	p, err := scenarioProps(sc, version+1)
	if err != nil {
		return err
	}
	if err := s.EnsureSchema(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.QueryTimeout)
	defer cancel()
	_, err = s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		vs, err := s.collect(ctx, tx, lockScenarioQuery, map[string]any{"id": sc.ID})
		if err != nil {
			return nil, err
		}
		if err := checkVersion(sc.ID, vs, version); err != nil {
			return nil, err
		}
		if err := s.exec(ctx, tx, storeScenarioQuery, map[string]any{"id": sc.ID, "props": p}); err != nil {
			return nil, err
		}
		if e.RevisionBefore, err = s.txRevision(ctx, tx); err != nil {
			return nil, err
		}
		return nil, s.appendEntry(ctx, tx, e)
	})
	return mapError("review scenario", err)
}

// LoadAudited is Load in one transaction, whatever the graph's size (an
// import through the API is bounded by the request's body), that also
// appends e to the audit log.
func (s *Store) LoadAudited(ctx context.Context, g *org.Graph, e org.AuditEntry) error {
	if err := s.EnsureSchema(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.LoadTimeout)
	defer cancel()
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if _, err := s.lockBaseline(ctx, tx); err != nil {
			return nil, err
		}
		stored, err := s.snapshot(ctx, tx)
		if err != nil {
			return nil, err
		}
		target := org.Supersede(stored, g)
		if err := org.Validate(target); err != nil {
			return nil, err
		}
		if e.RevisionBefore, err = s.txRevision(ctx, tx); err != nil {
			return nil, err
		}
		// What the load makes of the baseline, written as a difference: an
		// act in place of those it supersedes (their facts go), a node
		// another act states already kept as stated (org.Supersede).
		if err := s.replaceGraph(ctx, tx, stored, target); err != nil {
			return nil, err
		}
		return nil, s.appendEntry(ctx, tx, e)
	})
	return mapError("load", err)
}

// AuditLog returns at most first entries after the one with id after,
// ordered by At, then ID.
func (s *Store) AuditLog(ctx context.Context, first int, after string) ([]org.AuditEntry, error) {
	vs, err := s.read(ctx, "audit log", auditLogQuery, map[string]any{"first": first, "after": after})
	if err != nil {
		return nil, err
	}
	out := []org.AuditEntry{}
	for _, v := range vs {
		e, err := decodeEntry(v)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// txRevision reads the baseline's revision inside tx.
func (s *Store) txRevision(ctx context.Context, tx neo4j.ManagedTransaction) (string, error) {
	vs, err := s.collect(ctx, tx, revisionQuery, nil)
	if err != nil {
		return "", err
	}
	rev, _ := vs[0].(string)
	return rev, nil
}

// appendEntry writes e as an (:AuditEntry) node inside tx, with the
// revision the transaction leaves the baseline at as RevisionAfter.
func (s *Store) appendEntry(ctx context.Context, tx neo4j.ManagedTransaction, e org.AuditEntry) error {
	after, err := s.txRevision(ctx, tx)
	if err != nil {
		return err
	}
	e.RevisionAfter = after
	p := props(map[string]any{
		"subject": e.Subject, "role": string(e.Role), "action": string(e.Action), "target": e.Target,
		"name": e.Name, "comment": e.Comment, "revisionBefore": e.RevisionBefore, "revisionAfter": e.RevisionAfter,
	})
	p["id"], p["at"] = e.ID, formatTime(e.At)
	return s.exec(ctx, tx, createAuditEntryQuery, map[string]any{"props": p})
}

func decodeEntry(v any) (org.AuditEntry, error) {
	m := v.(map[string]any)
	e := org.AuditEntry{
		ID: str(m, "id"), Subject: str(m, "subject"), Role: org.Role(str(m, "role")),
		Action: org.AuditAction(str(m, "action")), Target: str(m, "target"), Name: str(m, "name"),
		Comment: str(m, "comment"), RevisionBefore: str(m, "revisionBefore"), RevisionAfter: str(m, "revisionAfter"),
	}
	at, err := time.Parse(time.RFC3339Nano, str(m, "at"))
	if err != nil {
		return org.AuditEntry{}, org.Errorf(org.EINTERNAL, "audit entry %q: stored time unreadable: %v", e.ID, err)
	}
	e.At = at
	return e, nil
}

// DeleteScenario removes a scenario. ENOTFOUND.
func (s *Store) DeleteScenario(ctx context.Context, id string) error {
	ctx, cancel := context.WithTimeout(ctx, s.opts.QueryTimeout)
	defer cancel()
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		vs, err := s.collect(ctx, tx, deleteScenarioQuery, map[string]any{"id": id})
		if err != nil {
			return nil, err
		}
		if vs[0].(int64) == 0 {
			return nil, org.Errorf(org.ENOTFOUND, "no scenario with id %q", id)
		}
		return nil, nil
	})
	return mapError("delete scenario", err)
}

// Snapshot returns the whole baseline graph, in one statement bounded by
// LoadTimeout (a bulk read, which the service makes once per revision of
// the baseline): documents by
// ID; nodes, relations and duties by Seq, then ID, as memstore returns them.
//
// It reads documents, nodes, relations and duties as four statements of
// rows in one read transaction: one statement collecting the whole
// baseline into a single value held that value in the server's heap and in
// one message, and at 100,000 units (1.15 million relations) it failed.
func (s *Store) Snapshot(ctx context.Context) (*org.Graph, error) {
	v, err := s.readTx(ctx, s.opts.LoadTimeout, func(tx neo4j.ManagedTransaction) (any, error) { return s.snapshot(ctx, tx) })
	if err != nil {
		return nil, mapError("snapshot", err)
	}
	return v.(*org.Graph), nil
}

// ApplyScenario makes g the baseline and stores sc, as given but with
// Version version+1. It validates g first, as memstore does, then in one
// write transaction locks the baseline (ECONFLICT while a batched load is
// under way) and the scenario and checks its version, reads the
// stored baseline, deletes what g lacks, writes what g changes or adds, and
// stores sc. Any failure leaves both as they were. EINVALID when g is
// malformed; ENOTFOUND; ECONFLICT when the stored version is not version.
func (s *Store) ApplyScenario(ctx context.Context, g *org.Graph, sc org.Scenario, version int, e org.AuditEntry) error {
	if err := org.Validate(g); err != nil {
		return err
	}
	p, err := scenarioProps(sc, version+1)
	if err != nil {
		return err
	}
	if err := s.EnsureSchema(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.LoadTimeout)
	defer cancel()
	_, err = s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if _, err := s.lockBaseline(ctx, tx); err != nil {
			return nil, err
		}
		vs, err := s.collect(ctx, tx, lockScenarioQuery, map[string]any{"id": sc.ID})
		if err != nil {
			return nil, err
		}
		if err := checkVersion(sc.ID, vs, version); err != nil {
			return nil, err
		}
		stored, err := s.snapshot(ctx, tx)
		if err != nil {
			return nil, err
		}
		// The baseline is locked (lockBaseline): the revision read is the
		// one this write replaces.
		expected := e.RevisionBefore
		if e.RevisionBefore, err = s.txRevision(ctx, tx); err != nil {
			return nil, err
		}
		if expected != "" && expected != e.RevisionBefore {
			return nil, org.Errorf(org.ECONFLICT, "the baseline changed (revision %s, not %s) while scenario %s was applied: apply it again", e.RevisionBefore, expected, sc.ID)
		}
		if err := s.replaceGraph(ctx, tx, stored, g); err != nil {
			return nil, err
		}
		if err := s.exec(ctx, tx, storeScenarioQuery, map[string]any{"id": sc.ID, "props": p}); err != nil {
			return nil, err
		}
		return nil, s.appendEntry(ctx, tx, e)
	})
	return mapError("apply scenario", err)
}

// replaceGraph turns the stored graph into g, which is valid: it deletes the
// documents, nodes, duties and relations g lacks, and relations g moves to
// another kind or other ends, then writes through writeGraph only the items
// g adds or changes, so that a scenario of a few changes costs a few
// writes. An item equal to its stored self decodes equal, and is stored
// alike: all its properties and labels come from its fields.
func (s *Store) replaceGraph(ctx context.Context, tx neo4j.ManagedTransaction, stored, g *org.Graph) error {
	documentID := func(d org.Document) string { return d.ID }
	nodeID := func(n org.Node) string { return n.ID }
	dutyID := func(d org.Duty) string { return d.ID }
	relationID := func(r org.Relation) string { return r.ID }

	gone := append(missingFrom(stored.Relations, g.Relations, relationID), moved(stored.Relations, g.Relations)...)
	for _, del := range []struct {
		query string
		ids   []string
	}{
		{deleteDutiesByIDQuery, idsOf(missingFrom(stored.Duties, g.Duties, dutyID), dutyID)},
		{deleteNodesByIDQuery, idsOf(missingFrom(stored.Nodes, g.Nodes, nodeID), nodeID)},
		{deleteDocumentsByIDQuery, idsOf(missingFrom(stored.Documents, g.Documents, documentID), documentID)},
	} {
		for batch := range slices.Chunk(del.ids, batchSize) {
			if err := s.exec(ctx, tx, del.query, map[string]any{"ids": batch}); err != nil {
				return err
			}
		}
	}
	changes := &org.Graph{
		Documents: changedIn(stored.Documents, g.Documents, documentID, func(a, b org.Document) bool { return reflect.DeepEqual(a, b) }),
		Nodes:     changedIn(stored.Nodes, g.Nodes, nodeID, func(a, b org.Node) bool { return a == b }),
		Relations: changedIn(stored.Relations, g.Relations, relationID, func(a, b org.Relation) bool { return a == b }),
		Duties:    changedIn(stored.Duties, g.Duties, dutyID, func(a, b org.Duty) bool { return a == b }),
	}
	return s.writeGraph(ctx, tx, changes, gone)
}

// missingFrom returns the items of stored whose id is not in g.
func missingFrom[T any](stored, g []T, id func(T) string) []T {
	keep := map[string]bool{}
	for _, v := range g {
		keep[id(v)] = true
	}
	var out []T
	for _, v := range stored {
		if !keep[id(v)] {
			out = append(out, v)
		}
	}
	return out
}

// changedIn returns the items of g that are not stored as they are in g.
func changedIn[T any](stored, g []T, id func(T) string, same func(a, b T) bool) []T {
	byID := map[string]T{}
	for _, v := range stored {
		byID[id(v)] = v
	}
	var out []T
	for _, v := range g {
		if old, ok := byID[id(v)]; !ok || !same(old, v) {
			out = append(out, v)
		}
	}
	return out
}

func idsOf[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, v := range items {
		out[i] = id(v)
	}
	return out
}

// checkVersion reads the result of lockScenarioQuery or updateScenarioQuery.
func checkVersion(id string, vs []any, version int) error {
	if len(vs) == 0 {
		return org.Errorf(org.ENOTFOUND, "no scenario with id %q", id)
	}
	if stored, _ := vs[0].(int64); stored != int64(version) {
		return org.Errorf(org.ECONFLICT, "scenario %q is at version %d, not %d: it was changed meanwhile", id, stored, version)
	}
	return nil
}

func constraintViolated(err error) bool {
	var neo *neo4j.Neo4jError
	return errors.As(err, &neo) && neo.Code == "Neo.ClientError.Schema.ConstraintValidationFailed"
}

// scenarioProps returns the properties sc is stored with, at version.
func scenarioProps(sc org.Scenario, version int) (map[string]any, error) {
	changes, err := json.Marshal(sc.Changes)
	if err != nil {
		return nil, org.Errorf(org.EINVALID, "scenario %q: cannot encode its changes: %v", sc.ID, err)
	}
	p := props(map[string]any{
		"name": sc.Name, "owner": sc.Owner, "description": sc.Description,
		"createdAt": formatTime(sc.CreatedAt), "updatedAt": formatTime(sc.UpdatedAt),
		"status": string(sc.Status), "sharedWith": sc.SharedWith,
		"reviewedBy": sc.ReviewedBy, "reviewComment": sc.ReviewComment,
	})
	p["id"] = sc.ID
	p["version"] = version
	p["changes"] = string(changes)
	if sc.AppliedAt != nil {
		p["appliedAt"] = formatTime(*sc.AppliedAt)
	}
	return p, nil
}

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func decodeScenario(v any) (org.Scenario, error) {
	m := v.(map[string]any)
	sc := org.Scenario{
		ID: str(m, "id"), Name: str(m, "name"), Owner: str(m, "owner"),
		Description: str(m, "description"), Version: num(m, "version"),
		Status: org.Status(str(m, "status")), SharedWith: list(m, "sharedWith"),
		ReviewedBy: str(m, "reviewedBy"), ReviewComment: str(m, "reviewComment"),
	}
	var err error
	if sc.CreatedAt, err = parseTime(sc.ID, m, "createdAt"); err != nil {
		return org.Scenario{}, err
	}
	if sc.UpdatedAt, err = parseTime(sc.ID, m, "updatedAt"); err != nil {
		return org.Scenario{}, err
	}
	if _, ok := m["appliedAt"]; ok {
		at, err := parseTime(sc.ID, m, "appliedAt")
		if err != nil {
			return org.Scenario{}, err
		}
		sc.AppliedAt = &at
	}
	if err := json.Unmarshal([]byte(str(m, "changes")), &sc.Changes); err != nil {
		return org.Scenario{}, org.Errorf(org.EINTERNAL, "scenario %q: stored changes unreadable: %v", sc.ID, err)
	}
	return sc, nil
}

func parseTime(id string, m map[string]any, key string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, str(m, key))
	if err != nil {
		return time.Time{}, org.Errorf(org.EINTERNAL, "scenario %q: stored %s unreadable: %v", id, key, err)
	}
	return t, nil
}
