package neo4jstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"reflect"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/orgraph/orgraph/internal/org"
)

// loadBatched is Load for a graph larger than one transaction should hold
// (one transaction of a million relations ran at 2,000 relations/s and ran
// out of the server's heap):
//
//  1. One transaction locks the baseline, reads the stored graph,
//     validates the merged graph, and marks the baseline as being loaded
//     (a fresh load id; a new revision). A refused load ends here, having
//     written nothing. While the mark stands, other loads and applies are
//     refused with ECONFLICT.
//  2. Only the items that are not stored as they are in g are written, in
//     transactions of LoadBatch rows: new items with CREATE (the snapshot
//     says they are not there), changed ones with MERGE by id.
//  3. One transaction clears the mark and sets a new revision.
//
// When a write fails (an error, a timeout, ctx cancelled), the load is
// undone from what step 1 read: what it created is deleted, what it changed
// or moved is written back as it was stored, and the mark is cleared; the
// store then holds what it held before, and Load returns the error. Readers
// may see part of the load while it runs, never after it has ended either
// way. Only if the undo cannot be written either (the database is gone, or
// this process dies mid-load) does part of the load stay: the mark then
// refuses other loads and applies until the load's own LoadTimeout has
// passed, and loading the same graph again completes it (loads are
// idempotent).
func (s *Store) loadBatched(ctx context.Context, g *org.Graph, progress func(LoadProgress)) error {
	id := newLoadID()
	var p *loadPlan
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if _, err := s.lockBaseline(ctx, tx); err != nil {
			return nil, err
		}
		stored, err := s.snapshot(ctx, tx)
		if err != nil {
			return nil, err
		}
		merged := org.Upsert(stored, g)
		if err := org.Validate(merged); err != nil {
			return nil, err
		}
		p = planLoad(stored, merged)
		return nil, s.exec(ctx, tx, markLoadQuery, map[string]any{"id": id, "timeout": s.opts.LoadTimeout.Milliseconds()})
	})
	if err != nil {
		return mapError("load", err)
	}
	if err := s.runSteps(ctx, p.steps(), p.total(), progress); err != nil {
		return s.undo(ctx, id, p, err)
	}
	if err := s.endLoad(ctx, id); err != nil {
		return s.undo(ctx, id, p, err)
	}
	progress(LoadProgress{Step: "done", Rows: p.total(), Total: p.total(),
		Nodes: p.nodes(), Relations: p.relations(), Duties: p.duties()})
	return nil
}

func newLoadID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// loadPlan is what a batched load writes, and what it would write back to
// undo itself.
type loadPlan struct {
	documents     split[org.Document]
	nodeSplit     split[org.Node]
	dutySplit     split[org.Duty]
	relationSplit split[org.Relation]
	// moved are the stored relations g gives another kind or other ends.
	moved []org.Relation
}

// split is the items of the merged graph that differ from what is stored:
// added (not stored at all) and changed (stored otherwise), with the stored
// versions of the changed ones.
type split[T any] struct {
	added, changed, was []T
}

func splitOf[T any](stored, merged []T, id func(T) string, same func(a, b T) bool) split[T] {
	byID := make(map[string]T, len(stored))
	for _, v := range stored {
		byID[id(v)] = v
	}
	var out split[T]
	for _, v := range merged {
		old, ok := byID[id(v)]
		switch {
		case !ok:
			out.added = append(out.added, v)
		case !same(old, v):
			out.changed = append(out.changed, v)
			out.was = append(out.was, old)
		}
	}
	return out
}

func planLoad(stored, merged *org.Graph) *loadPlan {
	p := &loadPlan{
		documents: splitOf(stored.Documents, merged.Documents, func(d org.Document) string { return d.ID },
			func(a, b org.Document) bool { return reflect.DeepEqual(a, b) }),
		nodeSplit:     splitOf(stored.Nodes, merged.Nodes, func(n org.Node) string { return n.ID }, func(a, b org.Node) bool { return a == b }),
		dutySplit:     splitOf(stored.Duties, merged.Duties, func(d org.Duty) string { return d.ID }, func(a, b org.Duty) bool { return a == b }),
		relationSplit: splitOf(stored.Relations, merged.Relations, func(r org.Relation) string { return r.ID }, func(a, b org.Relation) bool { return a == b }),
	}
	p.moved = moved(stored.Relations, p.relationSplit.changed)
	return p
}

func (p *loadPlan) nodes() int { return len(p.nodeSplit.added) + len(p.nodeSplit.changed) }
func (p *loadPlan) duties() int {
	return len(p.dutySplit.added) + len(p.dutySplit.changed)
}
func (p *loadPlan) relations() int {
	return len(p.relationSplit.added) + len(p.relationSplit.changed)
}
func (p *loadPlan) total() int {
	return len(p.documents.added) + len(p.documents.changed) + p.nodes() + p.duties() + p.relations()
}

// loadStep is one statement run over rows, a batch per transaction.
type loadStep struct {
	name  string
	query string
	rows  []map[string]any
	// sort says which count of LoadProgress the rows add to: 'n', 'd',
	// 'r', or 0 for none (documents; the second pass over duties).
	sort byte
	// Optional: rowsLater, when set, makes the rows as the step starts,
	// from what the steps before it returned; got takes what each batch
	// returns (the first column of every record). An extra step's rows are
	// not counted in LoadProgress.Rows.
	rowsLater func() ([]map[string]any, error)
	got       func([]any)
	extra     bool
}

// ends maps the ids of nodes to their element ids, for the statements that
// match the ends of new duties and relations by element id: a seek by
// element id costs less than one in the id index, and a relation has two
// ends. A 20,000-unit load (orggen seed 1) took 28.1-28.3 s rather than
// 31-34 s, its relations 12.3-12.9 s rather than 14.0-14.4.
type ends map[string]string

// add takes what a statement returning [id, elementId] per node returned.
func (e ends) add(vs []any) {
	for _, v := range vs {
		pair := v.([]any)
		e[pair[0].(string)] = pair[1].(string)
	}
}

// of returns the element id of node id, or an error when the load has not
// seen it (which validation rules out).
func (e ends) of(id string) (string, error) {
	eid, ok := e[id]
	if !ok {
		return "", fmt.Errorf("node %s is not in the store", id)
	}
	return eid, nil
}

func (p *loadPlan) steps() []loadStep {
	isMoved := map[string]bool{}
	for _, r := range p.moved {
		isMoved[r.ID] = true
	}
	// A moved relation is deleted and created anew; a changed one that
	// keeps its kind and ends is merged in place.
	var create, merge []org.Relation
	create = append(create, p.relationSplit.added...)
	for _, r := range p.relationSplit.changed {
		if isMoved[r.ID] {
			create = append(create, r)
		} else {
			merge = append(merge, r)
		}
	}
	parent := func(d org.Duty) map[string]any { return map[string]any{"id": d.ID, "parent": d.Parent} }
	withParent := slices.DeleteFunc(slices.Clone(p.dutySplit.added), func(d org.Duty) bool { return d.Parent == "" })
	known := ends{}
	// The nodes new duties and relations hang on that this load does not
	// create: their element ids are looked up by id, once each.
	lookUp := func() ([]map[string]any, error) {
		seen := map[string]bool{}
		var out []map[string]any
		need := func(id string) {
			if _, ok := known[id]; !ok && !seen[id] {
				seen[id] = true
				out = append(out, map[string]any{"id": id})
			}
		}
		for _, d := range p.dutySplit.added {
			need(d.Unit)
		}
		for _, r := range create {
			need(r.From)
			need(r.To)
		}
		return out, nil
	}
	newDuties := func() ([]map[string]any, error) {
		out := make([]map[string]any, len(p.dutySplit.added))
		for i, d := range p.dutySplit.added {
			row := dutyRow(d)
			eid, err := known.of(d.Unit)
			if err != nil {
				return nil, err
			}
			row["unit"] = eid
			out[i] = row
		}
		return out, nil
	}
	steps := []loadStep{
		{name: "documents", query: writeDocumentsQuery, rows: rows(slices.Concat(p.documents.added, p.documents.changed), documentRow)},
		{name: "nodes", query: createNodesQuery, rows: rows(p.nodeSplit.added, nodeRow), sort: 'n', got: known.add},
		{name: "nodes", query: writeNodesQuery, rows: rows(p.nodeSplit.changed, nodeRow), sort: 'n'},
		{name: "node ends", query: nodeEndsQuery, rowsLater: lookUp, got: known.add, extra: true},
		{name: "duties", query: createDutiesByEndQuery, rowsLater: newDuties, sort: 'd'},
		{name: "duties", query: writeDutiesQuery, rows: rows(p.dutySplit.changed, dutyRow), sort: 'd'},
		{name: "duty parents", query: createDutyParentsQuery, rows: rows(withParent, parent), extra: true},
		{name: "duty parents", query: writeDutyParentsQuery, rows: rows(p.dutySplit.changed, parent), extra: true},
		{name: "moved relations", query: deleteRelationsQuery, rows: rows(p.moved, relationKey)},
	}
	creates, merges := byKind(create), byKind(merge)
	for _, kind := range org.RelationKinds {
		steps = append(steps,
			loadStep{name: "relations", query: createRelationByEndQueries[kind], rowsLater: relationsByEnd(creates[kind], known), sort: 'r'},
			loadStep{name: "relations", query: writeRelationQueries[kind], rows: rows(merges[kind], relationRow), sort: 'r'})
	}
	return steps
}

// relationsByEnd makes the rows of createRelationByEndQueries for rs, their
// ends given by element id.
func relationsByEnd(rs []org.Relation, known ends) func() ([]map[string]any, error) {
	return func() ([]map[string]any, error) {
		out := make([]map[string]any, len(rs))
		for i, r := range rs {
			row := relationRow(r)
			var err error
			if row["from"], err = known.of(r.From); err != nil {
				return nil, err
			}
			if row["to"], err = known.of(r.To); err != nil {
				return nil, err
			}
			out[i] = row
		}
		return out, nil
	}
}

// undoSteps write back what steps wrote: the relations the load created
// are deleted (those of nodes it created go with the nodes), the ones it
// changed or moved are merged back as stored; then duties, nodes and
// documents alike.
func (p *loadPlan) undoSteps() []loadStep {
	createdNode := map[string]bool{}
	for _, n := range p.nodeSplit.added {
		createdNode[n.ID] = true
	}
	isMoved := map[string]bool{}
	for _, r := range p.moved {
		isMoved[r.ID] = true
	}
	var created []org.Relation
	for _, r := range p.relationSplit.added {
		if !createdNode[r.From] && !createdNode[r.To] {
			created = append(created, r)
		}
	}
	for _, r := range p.relationSplit.changed {
		if isMoved[r.ID] {
			created = append(created, r) // its new version
		}
	}
	dutyIDs := make([]string, len(p.dutySplit.added))
	for i, d := range p.dutySplit.added {
		dutyIDs[i] = d.ID
	}
	nodeIDs := make([]string, len(p.nodeSplit.added))
	for i, n := range p.nodeSplit.added {
		nodeIDs[i] = n.ID
	}
	docIDs := make([]string, len(p.documents.added))
	for i, d := range p.documents.added {
		docIDs[i] = d.ID
	}
	steps := []loadStep{{name: "undo relations", query: deleteRelationsQuery, rows: rows(created, relationKey)}}
	back := byKind(p.relationSplit.was) // the moved ones' stored versions among them
	for _, kind := range org.RelationKinds {
		steps = append(steps, loadStep{name: "undo relations", query: writeRelationQueries[kind], rows: rows(back[kind], relationRow)})
	}
	parent := func(d org.Duty) map[string]any { return map[string]any{"id": d.ID, "parent": d.Parent} }
	return append(steps,
		loadStep{name: "undo duties", query: deleteDutiesByIDRowsQuery, rows: idRows(dutyIDs)},
		loadStep{name: "undo duties", query: writeDutiesQuery, rows: rows(p.dutySplit.was, dutyRow)},
		loadStep{name: "undo duties", query: writeDutyParentsQuery, rows: rows(p.dutySplit.was, parent)},
		loadStep{name: "undo nodes", query: deleteNodesByIDRowsQuery, rows: idRows(nodeIDs)},
		loadStep{name: "undo nodes", query: writeNodesQuery, rows: rows(p.nodeSplit.was, nodeRow)},
		loadStep{name: "undo documents", query: deleteDocumentsByIDRowsQuery, rows: idRows(docIDs)},
		loadStep{name: "undo documents", query: writeDocumentsQuery, rows: rows(p.documents.was, documentRow)},
	)
}

func idRows(ids []string) []map[string]any {
	out := make([]map[string]any, len(ids))
	for i, id := range ids {
		out[i] = map[string]any{"id": id}
	}
	return out
}

func relationKey(r org.Relation) map[string]any { return map[string]any{"id": r.ID, "from": r.From} }

// byKind groups rs by kind, each group in rs's order.
func byKind(rs []org.Relation) map[org.RelationKind][]org.Relation {
	out := map[org.RelationKind][]org.Relation{}
	for _, r := range rs {
		out[r.Kind] = append(out[r.Kind], r)
	}
	return out
}

// runSteps runs each step in transactions of LoadBatch rows, reporting
// after each.
func (s *Store) runSteps(ctx context.Context, steps []loadStep, total int, progress func(LoadProgress)) error {
	var done LoadProgress
	done.Total = total
	for _, st := range steps {
		if st.rowsLater != nil {
			var err error
			if st.rows, err = st.rowsLater(); err != nil {
				return fmt.Errorf("%s: %w", st.name, err)
			}
		}
		for batch := range slices.Chunk(st.rows, s.opts.LoadBatch) {
			if err := ctx.Err(); err != nil {
				return err
			}
			got, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
				params := map[string]any{"rows": batch, "kinds": kindNames(nil)}
				if st.got == nil {
					return nil, s.exec(ctx, tx, st.query, params)
				}
				return s.collect(ctx, tx, st.query, params)
			})
			if err != nil {
				return fmt.Errorf("%s: %w", st.name, err)
			}
			if st.got != nil {
				st.got(got.([]any))
			}
			if progress == nil {
				continue
			}
			switch st.sort {
			case 'n':
				done.Nodes += len(batch)
			case 'd':
				done.Duties += len(batch)
			case 'r':
				done.Relations += len(batch)
			}
			if !st.extra {
				done.Rows += len(batch)
			}
			done.Step = st.name
			progress(done)
		}
	}
	return nil
}

// endLoad clears the load's mark and gives the baseline a new revision.
func (s *Store) endLoad(ctx context.Context, id string) error {
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		vs, err := s.collect(ctx, tx, endLoadQuery, map[string]any{"id": id})
		if err != nil {
			return nil, err
		}
		if len(vs) == 0 {
			return nil, org.Errorf(org.ECONFLICT, "load %s lost its mark on the baseline to another load", id)
		}
		return nil, nil
	})
	return err
}

// undo writes back what the load wrote, after cause made it fail, with a
// context of its own: a load cancelled by its caller is undone all the same.
func (s *Store) undo(ctx context.Context, id string, p *loadPlan, cause error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.LoadTimeout)
	defer cancel()
	err := s.runSteps(ctx, p.undoSteps(), 0, nil)
	if err == nil {
		err = s.endLoad(ctx, id)
	}
	mapped := mapError("load", cause)
	if err != nil {
		return &partialLoad{cause: mapped, undo: err, id: id}
	}
	return fmt.Errorf("%w (the load was undone: the store holds what it held before)", mapped)
}

// partialLoad is a load that failed and could not be undone.
type partialLoad struct {
	cause, undo error
	id          string
}

func (e *partialLoad) Error() string {
	return fmt.Sprintf("neo4jstore: load %s failed (%v) and undoing it failed too (%v): the store holds part of the load; "+
		"loading the same graph again completes it", e.id, e.cause, e.undo)
}

func (e *partialLoad) Unwrap() error { return e.cause }

// Clear deletes everything the store holds: the graph, the documents and the
// scenarios, in transactions of a few thousand nodes each, and gives the
// baseline a new revision. It is refused with ECONFLICT while a batched
// load is under way, and holds the same mark while it runs. If it fails
// part way, what is left is a part of the graph: Clear again finishes it.
func (s *Store) Clear(ctx context.Context) error {
	if err := s.EnsureSchema(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.LoadTimeout)
	defer cancel()
	id := newLoadID()
	if _, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if _, err := s.lockBaseline(ctx, tx); err != nil {
			return nil, err
		}
		return nil, s.exec(ctx, tx, markLoadQuery, map[string]any{"id": id, "timeout": s.opts.LoadTimeout.Milliseconds()})
	}); err != nil {
		return mapError("clear", err)
	}
	for {
		v, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			vs, err := s.collect(ctx, tx, clearBatchQuery, map[string]any{"limit": s.opts.LoadBatch})
			if err != nil {
				return nil, err
			}
			return vs[0], nil
		})
		if err != nil {
			return mapError("clear", err)
		}
		if v.(int64) == 0 {
			break
		}
	}
	return mapError("clear", s.endLoad(ctx, id))
}
