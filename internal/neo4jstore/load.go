package neo4jstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/orgraph/orgraph/internal/org"
)

// batchSize bounds the rows of one UNWIND, so that no single statement of a
// large load holds the whole graph in memory on the server.
const batchSize = 1000

// DefaultLoadBatch is the rows a large load writes per transaction.
const DefaultLoadBatch = 5000

// LoadProgress says how far a load has come, after each transaction.
type LoadProgress struct {
	// Step is what is being written: "documents", "nodes", "duties",
	// "duty parents", "moved relations" or "relations"; "done" at the end.
	Step string
	// Rows and Total: the rows written so far, of the rows the load writes
	// (items that are stored as they are in the graph are not written).
	Rows, Total int
	// Nodes, Relations, Duties: of them, the items of each sort.
	Nodes, Relations, Duties int
}

// Load merges g into the store. It reads what is stored, validates the
// merged graph as memstore does, and only then writes g. A refused load
// writes nothing, and loading the same graph again changes nothing.
//
// A graph of at most Options.LoadBatch rows is written in one transaction:
// a failed write leaves nothing written, and no reader ever sees part of
// it. A larger graph is written in transactions of LoadBatch rows each
// (see loadBatched): a failed write is undone, so the store holds what it
// held before; readers meanwhile may see part of the load.
func (s *Store) Load(ctx context.Context, g *org.Graph) error {
	return s.LoadWithProgress(ctx, g, nil)
}

// LoadWithProgress is Load, calling progress (when not nil) after each
// transaction of a batched load, and once at the end.
func (s *Store) LoadWithProgress(ctx context.Context, g *org.Graph, progress func(LoadProgress)) error {
	if err := s.EnsureSchema(ctx); err != nil {
		return err
	}
	if progress == nil {
		progress = func(LoadProgress) {}
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.LoadTimeout)
	defer cancel()
	if len(g.Documents)+len(g.Nodes)+len(g.Relations)+2*len(g.Duties) > s.opts.LoadBatch {
		return s.loadBatched(ctx, g, progress)
	}
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if _, err := s.lockBaseline(ctx, tx); err != nil {
			return nil, err
		}
		stored, err := s.snapshot(ctx, tx)
		if err != nil {
			return nil, err
		}
		if err := org.Validate(org.Upsert(stored, g)); err != nil {
			return nil, err
		}
		return nil, s.writeGraph(ctx, tx, g, moved(stored.Relations, g.Relations))
	})
	if err == nil {
		n := len(g.Documents) + len(g.Nodes) + len(g.Relations) + len(g.Duties)
		progress(LoadProgress{Step: "done", Rows: n, Total: n, Nodes: len(g.Nodes), Relations: len(g.Relations), Duties: len(g.Duties)})
	}
	return mapError("load", err)
}

// lockBaseline takes the write lock of the baseline's node for the rest of
// tx, so that loads and applies run one after another, and refuses with
// ECONFLICT while a batched load is under way (one whose own LoadTimeout
// has not passed; a mark older than that is a load whose process died). It
// returns the id of a dead load's mark, or "".
func (s *Store) lockBaseline(ctx context.Context, tx neo4j.ManagedTransaction) (string, error) {
	vs, err := s.collect(ctx, tx, lockBaselineQuery, nil)
	if err != nil {
		return "", err
	}
	m := vs[0].(map[string]any)
	loading, _ := m["loading"].(string)
	age, _ := m["age"].(int64)
	left, _ := m["left"].(int64)
	if loading == "" {
		return "", nil
	}
	if left > 0 {
		return "", org.Errorf(org.ECONFLICT, "a load of the graph is under way (load %s, started %s ago); try again when it ends",
			loading, (time.Duration(age) * time.Millisecond).Round(time.Second))
	}
	return loading, nil
}

// snapshot reads the stored graph, in Seq order as memstore's snapshot is,
// so that validation sees the items in the same order.
func (s *Store) snapshot(ctx context.Context, tx neo4j.ManagedTransaction) (*org.Graph, error) {
	g := &org.Graph{}
	docs, err := s.collectWhole(ctx, tx, snapshotDocumentsQuery, nil)
	if err != nil {
		return nil, err
	}
	for _, v := range docs {
		g.Documents = append(g.Documents, decodeDocument(v))
	}
	nodes, err := s.collectWhole(ctx, tx, snapshotNodesQuery, nil)
	if err != nil {
		return nil, err
	}
	for _, v := range nodes {
		g.Nodes = append(g.Nodes, decodeNode(v))
	}
	rels, err := s.collectWhole(ctx, tx, snapshotRelationsQuery, map[string]any{"kinds": kindNames(nil)})
	if err != nil {
		return nil, err
	}
	for _, v := range rels {
		g.Relations = append(g.Relations, decodeRelation(v))
	}
	duties, err := s.collectWhole(ctx, tx, snapshotDutiesQuery, nil)
	if err != nil {
		return nil, err
	}
	for _, v := range duties {
		g.Duties = append(g.Duties, decodeDuty(v))
	}
	slices.SortFunc(g.Documents, func(a, b org.Document) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(g.Nodes, org.CompareNodes)
	slices.SortFunc(g.Relations, org.CompareRelations)
	slices.SortFunc(g.Duties, org.CompareDuties)
	return g, nil
}

// moved returns the stored relations that incoming replaces with another
// kind or other ends: a relationship cannot change its type or its nodes,
// so these are deleted before the new ones are written.
func moved(stored, incoming []org.Relation) []org.Relation {
	byID := map[string]org.Relation{}
	for _, r := range stored {
		byID[r.ID] = r
	}
	var out []org.Relation
	for _, r := range incoming {
		if old, ok := byID[r.ID]; ok && (old.Kind != r.Kind || old.From != r.From || old.To != r.To) {
			out = append(out, old)
		}
	}
	return out
}

// writeGraph writes g, whose merge with the stored graph is valid.
func (s *Store) writeGraph(ctx context.Context, tx neo4j.ManagedTransaction, g *org.Graph, moved []org.Relation) error {
	type step struct {
		query string
		rows  []map[string]any
	}
	steps := []step{
		{writeDocumentsQuery, rows(g.Documents, documentRow)},
		{writeNodesQuery, rows(g.Nodes, nodeRow)},
		{writeDutiesQuery, rows(g.Duties, dutyRow)},
		{writeDutyParentsQuery, rows(g.Duties, func(d org.Duty) map[string]any {
			return map[string]any{"id": d.ID, "parent": d.Parent}
		})},
		{deleteRelationsQuery, rows(moved, func(r org.Relation) map[string]any {
			return map[string]any{"id": r.ID, "from": r.From}
		})},
	}
	for _, kind := range org.RelationKinds {
		of := slices.DeleteFunc(slices.Clone(g.Relations), func(r org.Relation) bool { return r.Kind != kind })
		steps = append(steps, step{writeRelationQueries[kind], rows(of, relationRow)})
	}
	for _, st := range steps {
		for batch := range slices.Chunk(st.rows, batchSize) {
			params := map[string]any{"rows": batch, "kinds": kindNames(nil)}
			if err := s.exec(ctx, tx, st.query, params); err != nil {
				return err
			}
		}
	}
	// In the same transaction: every server on this database sees the new
	// revision exactly when it sees the new baseline.
	return s.exec(ctx, tx, bumpRevisionQuery, nil)
}

func rows[T any](items []T, row func(T) map[string]any) []map[string]any {
	out := make([]map[string]any, len(items))
	for i, v := range items {
		out[i] = row(v)
	}
	return out
}

// The rows below hold the properties as stored. Empty strings are left out,
// as a Neo4j user expects of an absent value; the decoders read them back
// as empty.

func documentRow(d org.Document) map[string]any {
	var where, message []string
	for _, r := range d.Repairs {
		where = append(where, r.Where)
		message = append(message, r.Message)
	}
	return props(map[string]any{
		"id": d.ID, "title": d.Title, "issuer": d.Issuer, "date": d.Date, "effective": d.Effective,
		"legalBasis": d.LegalBasis, "signatory": d.Signatory, "repeals": d.Repeals, "file": d.File,
		"text": d.Text, "repairWhere": where, "repairMessage": message,
	})
}

func nodeRow(n org.Node) map[string]any {
	return map[string]any{
		"label": nodeLabels[n.Kind],
		"props": props(map[string]any{
			"id": n.ID, "kind": string(n.Kind), "name": n.Name, "code": n.Code, "type": n.Type,
			"seq": n.Seq, "folded": org.FoldedWords(n.Name),
			"document": n.Source.Document, "provision": n.Source.Provision,
			"basis": string(n.Source.Basis), "reason": n.Source.Reason,
		}),
	}
}

// nodeLabels gives the label of each node kind, besides :Node.
var nodeLabels = map[org.NodeKind]string{org.KindUnit: "Unit", org.KindPosition: "Position", org.KindEntity: "Entity"}

func dutyRow(d org.Duty) map[string]any {
	return map[string]any{
		"unit": d.Unit,
		"props": props(map[string]any{
			"id": d.ID, "common": d.Common, "level": string(d.Level), "number": d.Number,
			"text": d.Text, "seq": d.Seq, "folded": org.FoldedWords(d.Text),
			"document": d.Source.Document, "provision": d.Source.Provision,
			"basis": string(d.Source.Basis), "reason": d.Source.Reason,
		}),
	}
}

func relationRow(r org.Relation) map[string]any {
	return map[string]any{
		"from": r.From, "to": r.To,
		"props": props(map[string]any{
			"id": r.ID, "seq": r.Seq, "strength": string(r.Strength), "phrase": r.Phrase,
			"scope": r.Scope, "duty": r.Duty,
			"document": r.Source.Document, "provision": r.Source.Provision,
			"basis": string(r.Source.Basis), "reason": r.Source.Reason,
		}),
	}
}

// props drops empty strings and lists from m.
func props(m map[string]any) map[string]any {
	for k, v := range m {
		switch v := v.(type) {
		case string:
			if v == "" {
				delete(m, k)
			}
		case []string:
			if len(v) == 0 {
				delete(m, k)
			}
		}
	}
	return m
}
