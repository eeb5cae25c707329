package org

import "context"

// Store holds an organisation graph and answers the traversals that a
// graph database answers natively. Every implementation passes the suite in
// internal/storetest; results are ordered as the methods say, so that two
// stores give identical answers.
type Store interface {
	// Load writes g into the store. Loading the same graph twice changes
	// nothing: nodes, relations, duties and documents are keyed by ID.
	// EINVALID when g is malformed (a relation to an unknown node, ...);
	// then nothing is written.
	Load(ctx context.Context, g *Graph) error
	// Empty reports whether the store holds no node.
	Empty(ctx context.Context) (bool, error)

	// FindDocuments returns every source document, ordered by ID.
	FindDocuments(ctx context.Context) ([]Document, error)
	// FindNodeByID returns the node with the given id. ENOTFOUND.
	FindNodeByID(ctx context.Context, id string) (Node, error)
	// FindNodeByCode returns the unit with the given code. ENOTFOUND.
	FindNodeByCode(ctx context.Context, code string) (Node, error)
	// FindNodes returns the nodes that match f, ordered by Seq, then ID.
	// Unknown ids in f are ignored.
	FindNodes(ctx context.Context, f NodeFilter) ([]Node, error)
	// FindRelations returns the relations that match f, ordered by Seq, then ID.
	FindRelations(ctx context.Context, f RelationFilter) ([]Relation, error)
	// FindDuties returns the duties that match f, ordered by Seq, then ID.
	FindDuties(ctx context.Context, f DutyFilter) ([]Duty, error)

	// Subordinates returns every node below id along REPORTS_TO, at most
	// maxDepth levels down (0: all), ordered by Depth, then Seq, then ID;
	// a node reachable at several depths appears once, at its least depth.
	// ENOTFOUND when id is unknown.
	Subordinates(ctx context.Context, id string, maxDepth int) ([]Subordinate, error)
	// ShortestPath returns a shortest walk from one node to another over
	// relations of the given kinds (all kinds when empty), walking each
	// relation in either direction. Among equally short walks it returns the
	// one whose sequence of node ids is least, and between two nodes it walks
	// the relation of least ID. ENOTFOUND when a node is unknown or no walk
	// exists.
	ShortestPath(ctx context.Context, from, to string, kinds []RelationKind) (Path, error)
	// ChainsOfCommand returns, for each node f matches (ordered by Seq,
	// then ID), its chain of command: the walk up from the node along the
	// step NextInChain picks, until a node would repeat or no step is left.
	// An empty answer when f matches nothing.
	ChainsOfCommand(ctx context.Context, f NodeFilter) ([]Path, error)
	// FindNeighbourhood returns the nodes f matches with what a asks for
	// around them, in one answer: so that a question and the nested fields
	// of its answer cost one round trip to a remote store.
	FindNeighbourhood(ctx context.Context, f NodeFilter, a Around) (Neighbourhood, error)

	// Search returns the nodes whose name and the duties whose text contain
	// every term of q, after Fold, as the start of a word; nodes first, then
	// duties, each ordered by Seq, then ID; at most limit hits. EINVALID for
	// a query with no term.
	Search(ctx context.Context, q string, limit int) ([]SearchHit, error)
}

// NodeFilter selects nodes; a zero field matches all.
type NodeFilter struct {
	IDs []string
	// Ref, when set, selects the node Service.Resolve finds for it: the
	// node whose code is strings.ToUpper(Ref), or else the node whose id is
	// Ref. It is used alone, without IDs.
	Ref   string
	Kinds []NodeKind
}

// Around says what FindNeighbourhood fetches around each node.
type Around struct {
	// Duties: the duties the node holds.
	Duties bool
	// Relations: the relations from and to the node, of Kinds (all kinds
	// when Kinds is empty), and the nodes at their other ends.
	Relations bool
	Kinds     []RelationKind
}

// Neighbourhood is what FindNeighbourhood answers.
type Neighbourhood struct {
	Nodes     []Node     // the nodes asked about, ordered by Seq, then ID
	Duties    []Duty     // their duties, ordered by Seq, then ID
	Relations []Relation // relations from or to them, each once, ordered by Seq, then ID
	Ends      []Node     // the nodes at the relations' other ends, each once, ordered by Seq, then ID
}

// RelationFilter selects relations; a zero field matches all. From and To
// together match relations between the two sets.
type RelationFilter struct {
	From  []string
	To    []string
	Kinds []RelationKind
}

// DutyFilter selects duties; a zero field matches all.
type DutyFilter struct {
	IDs    []string
	Units  []string
	Common *bool
}

// Revisioner is a store that names the state of its baseline, so that
// answers can be kept until it changes.
type Revisioner interface {
	// Revision changes whenever the baseline does (Load, ApplyScenario),
	// and only then; scenarios are not part of it.
	Revision(ctx context.Context) (string, error)
}

// Forker is a baseline held in memory that a scenario's view is made of
// without a copy: ApplyDelta reads what the changes touch from it, and
// Fork answers as the baseline with a delta applied, sharing the rest.
// A Forker's answers never change.
type Forker interface {
	Store
	Source
	Fork(d *Delta) Store
}

// Freezer is a store that hands out its baseline as it is now as a
// Forker, without a copy.
type Freezer interface {
	Freeze() Forker
}

// SearchIndexer is a store that builds its search index on the first
// search unless asked to before (memstore: a second at 100,000 units).
// WarmScenarios asks, so that no analyst waits for it.
type SearchIndexer interface {
	IndexSearch()
}
