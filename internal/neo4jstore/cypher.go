package neo4jstore

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/orgraph/orgraph/internal/org"
)

// Every query the store sends. User input only ever reaches them as
// parameters. Queries that walk org relations take $kinds, never empty:
// the relation kinds to follow, so that HAS_DUTY and PART_OF_DUTY, which
// are not org relations, are never walked.

// schema is run by EnsureSchema, one statement per transaction.
var schema = slices.Concat(
	[]string{
		`CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE`,
		`CREATE CONSTRAINT duty_id IF NOT EXISTS FOR (d:Duty) REQUIRE d.id IS UNIQUE`,
		`CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE`,
		`CREATE CONSTRAINT scenario_id IF NOT EXISTS FOR (s:Scenario) REQUIRE s.id IS UNIQUE`,
		`CREATE CONSTRAINT audit_entry_id IF NOT EXISTS FOR (a:AuditEntry) REQUIRE a.id IS UNIQUE`,
	},
	// A relationship constraint holds for one type, so each kind has its own.
	perKind(relationIDConstraint),
	[]string{
		// FindNodeByCode matches any node with the code, as memstore does; in
		// practice only units have one.
		`CREATE INDEX node_code IF NOT EXISTS FOR (n:Node) ON (n.code)`,
		// Pages start at a key (seq, id), written so that these can seek to
		// it (cypher_page.go).
		`CREATE INDEX node_seq IF NOT EXISTS FOR (n:Node) ON (n.seq)`,
		`CREATE INDEX duty_seq IF NOT EXISTS FOR (d:Duty) ON (d.seq)`,
		// Search looks its hits up by the folded words (" dyrektor
		// wydzialu"): a text index answers CONTAINS from trigrams, so a
		// search reads the nodes and duties that hold its longest term
		// rather than every one (at 20,000 units 3-70 ms rather than
		// 150-260 ms). It kept a 20,000-unit load within 15% of its time.
		`CREATE TEXT INDEX node_folded IF NOT EXISTS FOR (n:Node) ON (n.folded)`,
		`CREATE TEXT INDEX duty_folded IF NOT EXISTS FOR (d:Duty) ON (d.folded)`,
		// For people exploring the graph in Neo4j's tools; Search matches
		// word starts of `folded`, which the full-text analyser would not
		// reproduce exactly. Nothing of orgraph reads it, so it is brought up
		// to date after each commit rather than in it: a load's duties are
		// not held up by Lucene.
		"CREATE FULLTEXT INDEX search_text IF NOT EXISTS FOR (n:Node|Duty) ON EACH [n.name, n.text] " +
			"OPTIONS {indexConfig: {`fulltext.eventually_consistent`: true}}",
	},
)

// Loading. The snapshot queries read what is stored, inside the write
// transaction, so that the merged graph is validated before anything is
// written.
const (
	snapshotDocumentsQuery = `MATCH (d:Document) RETURN d {.*}`
	snapshotNodesQuery     = `MATCH (n:Node) RETURN n {.*}`
	snapshotRelationsQuery = `
MATCH (a:Node)-[r]->(b:Node) WHERE type(r) IN $kinds
RETURN r {.*, kind: type(r), from: a.id, to: b.id}`
	snapshotDutiesQuery = `
MATCH (u:Node)-[:HAS_DUTY]->(d:Duty)
OPTIONAL MATCH (d)-[:PART_OF_DUTY]->(p:Duty)
RETURN d {.*, unit: u.id, parent: p.id}`

	writeDocumentsQuery = `
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
SET d = row`

	// The kind labels are replaced, in case a node changed kind.
	writeNodesQuery = `
UNWIND $rows AS row
MERGE (n:Node {id: row.props.id})
SET n = row.props
REMOVE n:Unit:Position:Entity
SET n:$(row.label)`

	writeDutiesQuery = `
UNWIND $rows AS row
MATCH (u:Node {id: row.unit})
MERGE (d:Duty {id: row.props.id})
SET d = row.props
WITH u, d
CALL (u, d) {
  MATCH (d)<-[old:HAS_DUTY]-(other) WHERE other <> u
  DELETE old
}
MERGE (u)-[:HAS_DUTY]->(d)`

	// Run after every duty of the load is written, so that a parent exists
	// whatever batch it came in.
	writeDutyParentsQuery = `
UNWIND $rows AS row
MATCH (d:Duty {id: row.id})
CALL (d, row) {
  MATCH (d)-[old:PART_OF_DUTY]->(p) WHERE p.id <> row.parent
  DELETE old
}
WITH d, row WHERE row.parent <> ''
MATCH (p:Duty {id: row.parent})
MERGE (d)-[:PART_OF_DUTY]->(p)`

	// A relation whose kind or ends changed is deleted first, then written
	// anew (writeRelationQueries); one that did not is merged in place.
	deleteRelationsQuery = `
UNWIND $rows AS row
MATCH (:Node {id: row.from})-[r]->(:Node)
WHERE r.id = row.id AND type(r) IN $kinds
DELETE r`
)

// A batched load (loadBatched) creates what the snapshot it validated
// against does not hold, rather than merging it: CREATE looks nothing up.
// The id constraints still refuse a duplicate. The nodes it creates return
// their element ids, the other ends are looked up once each (nodeEndsQuery),
// and new duties and relations match their ends by element id.
const (
	createNodesQuery = `
UNWIND $rows AS row
CREATE (n:Node)
SET n = row.props
SET n:$(row.label)
RETURN [n.id, elementId(n)]`
	nodeEndsQuery = `
UNWIND $rows AS row
MATCH (n:Node {id: row.id})
RETURN [n.id, elementId(n)]`
	createDutiesByEndQuery = `
UNWIND $rows AS row
MATCH (u) WHERE elementId(u) = row.unit
CREATE (u)-[:HAS_DUTY]->(d:Duty)
SET d = row.props`

	// Run after every duty of the load is written.
	createDutyParentsQuery = `
UNWIND $rows AS row
MATCH (d:Duty {id: row.id}), (p:Duty {id: row.parent})
CREATE (d)-[:PART_OF_DUTY]->(p)`

	// The undo of a batched load deletes what it created by id.
	deleteDutiesByIDRowsQuery = `
UNWIND $rows AS row
MATCH (d:Duty {id: row.id})
DETACH DELETE d`
	deleteNodesByIDRowsQuery = `
UNWIND $rows AS row
MATCH (n:Node {id: row.id})
DETACH DELETE n`
	deleteDocumentsByIDRowsQuery = `
UNWIND $rows AS row
MATCH (d:Document {id: row.id})
DETACH DELETE d`

	// lockBaselineQuery takes the baseline node's write lock (setting a
	// property takes it) before reading the mark of a batched load under
	// way: its id, its age and the milliseconds left until its own timeout
	// by the server's clock.
	lockBaselineQuery = `
MERGE (b:Baseline {id: 'baseline'})
SET b._lock = true
WITH b
REMOVE b._lock
RETURN {loading: b.loading, age: timestamp() - coalesce(b.loadingSince, 0), left: coalesce(b.loadingUntil, 0) - timestamp()}`

	// markLoadQuery marks the baseline as being loaded by load $id until
	// $timeout ms from now at the latest, with a new revision: answers kept
	// while the load runs are never served after it.
	markLoadQuery = `
MATCH (b:Baseline {id: 'baseline'})
SET b.loading = $id, b.loadingSince = timestamp(), b.loadingUntil = timestamp() + $timeout,
    b.revision = randomUUID()`

	// endLoadQuery clears load $id's mark; no record if the mark is not its.
	endLoadQuery = `
MATCH (b:Baseline {id: 'baseline'}) WHERE b.loading = $id
REMOVE b.loading, b.loadingSince, b.loadingUntil
SET b.revision = randomUUID()
RETURN b.id`

	// clearBatchQuery deletes up to $limit nodes but the baseline's, with
	// their relationships, and says how many.
	clearBatchQuery = `
MATCH (n) WHERE NOT n:Baseline
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*)`
)

// createRelationByEndQueries create the relations of one kind each, their
// ends matched by element id (the batched load's).
var createRelationByEndQueries = func() map[org.RelationKind]string {
	m := map[org.RelationKind]string{}
	for _, k := range org.RelationKinds {
		m[k] = fmt.Sprintf(`UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.from MATCH (b) WHERE elementId(b) = row.to
CREATE (a)-[r:%s]->(b) SET r = row.props`, relationType(k))
	}
	return m
}()

// writeRelationQueries merge the relations of one kind each. One query
// with a dynamic type, MERGE (a)-[r:$(row.kind) {id: ...}]->(b), cannot
// look the relationship up by type among the transaction's own changes:
// it slowed a 20,000-relation load from seconds to minutes.
var writeRelationQueries = func() map[org.RelationKind]string {
	m := map[org.RelationKind]string{}
	for _, k := range org.RelationKinds {
		m[k] = writeRelationQuery(k)
	}
	return m
}()

// The statements written once for every kind in org.RelationKinds. Cypher
// takes no parameter for a relationship type where these need one, so the
// kind is spliced into the text. That is safe because the kind is always one
// of org's constants, a trusted name, never user input; relationType checks
// it all the same.

// relationIDConstraint makes the ids of kind k's relationships unique.
func relationIDConstraint(k org.RelationKind) string {
	return fmt.Sprintf("CREATE CONSTRAINT %s_id IF NOT EXISTS FOR ()-[r:%s]-() REQUIRE r.id IS UNIQUE",
		strings.ToLower(relationType(k)), relationType(k))
}

// writeRelationQuery merges $rows of kind k, matching each by id.
func writeRelationQuery(k org.RelationKind) string {
	return fmt.Sprintf(`UNWIND $rows AS row MATCH (a:Node {id: row.from}), (b:Node {id: row.to})
MERGE (a)-[r:%s {id: row.props.id}]->(b) SET r = row.props`, relationType(k))
}

// relationType is k as a relationship type. It panics on anything but a
// plain upper-case name, which only a programming error in org can make.
func relationType(k org.RelationKind) string {
	if !plainType.MatchString(string(k)) {
		panic(fmt.Sprintf("neo4jstore: relation kind %q is not a plain relationship type", k))
	}
	return string(k)
}

var plainType = regexp.MustCompile(`^[A-Z][A-Z_]*$`)

// perKind makes statement for every relation kind, in org's order.
func perKind(statement func(org.RelationKind) string) []string {
	out := make([]string, 0, len(org.RelationKinds))
	for _, k := range org.RelationKinds {
		out = append(out, statement(k))
	}
	return out
}

// Look-ups.
const (
	emptyQuery = `RETURN NOT EXISTS { MATCH (:Node) }`

	findDocumentsQuery = `MATCH (d:Document) RETURN d {.*} ORDER BY d.id`

	findNodeByIDQuery = `MATCH (n:Node {id: $id}) RETURN n {.*}`

	findNodeByCodeQuery = `MATCH (n:Node {code: $code}) RETURN n {.*}`

	findRelationsQuery = `
MATCH (a:Node)-[r]->(b:Node) WHERE type(r) IN $kinds
RETURN r {.*, kind: type(r), from: a.id, to: b.id} ORDER BY r.seq, r.id`

	// $to is null when the filter has no To.
	findRelationsFromQuery = `
UNWIND $from AS id
MATCH (a:Node {id: id})-[r]->(b:Node)
WHERE type(r) IN $kinds AND ($to IS NULL OR b.id IN $to)
RETURN r {.*, kind: type(r), from: a.id, to: b.id} ORDER BY r.seq, r.id`

	findRelationsToQuery = `
UNWIND $to AS id
MATCH (a:Node)-[r]->(b:Node {id: id})
WHERE type(r) IN $kinds
RETURN r {.*, kind: type(r), from: a.id, to: b.id} ORDER BY r.seq, r.id`

	// $units and $common are null when the filter leaves them out.
	findDutiesQuery = `
MATCH (u:Node)-[:HAS_DUTY]->(d:Duty)
WHERE $common IS NULL OR d.common = $common
OPTIONAL MATCH (d)-[:PART_OF_DUTY]->(p:Duty)
RETURN d {.*, unit: u.id, parent: p.id} ORDER BY d.seq, d.id`

	findDutiesByUnitQuery = `
UNWIND $units AS id
MATCH (u:Node {id: id})-[:HAS_DUTY]->(d:Duty)
WHERE $common IS NULL OR d.common = $common
OPTIONAL MATCH (d)-[:PART_OF_DUTY]->(p:Duty)
RETURN d {.*, unit: u.id, parent: p.id} ORDER BY d.seq, d.id`

	findDutiesByIDQuery = `
UNWIND $ids AS id
MATCH (u:Node)-[:HAS_DUTY]->(d:Duty {id: id})
WHERE ($units IS NULL OR u.id IN $units) AND ($common IS NULL OR d.common = $common)
OPTIONAL MATCH (d)-[:PART_OF_DUTY]->(p:Duty)
RETURN d {.*, unit: u.id, parent: p.id} ORDER BY d.seq, d.id`
)

// Traversals.
const (
	// subordinatesQuery: a breadth-first search down the reporting lines
	// (ANY SHORTEST from one bound end) gives each node below the root its
	// least depth. A node's superior is, among those it reports to at the
	// level above, the one of lowest (seq, id): the order memstore's
	// level-by-level walk meets them in. The depth of each candidate is
	// checked by a search up from it, short on a tree. The aggregating
	// subquery yields one row, empty or not, whenever the root exists.
	subordinatesQuery = `
MATCH (root:Node {id: $id})
CALL (root) {
  MATCH p = ANY SHORTEST (root)<-[:REPORTS_TO]-+(sub:Node)
  WITH sub, length(p) AS depth
  WHERE sub <> root AND ($maxDepth <= 0 OR depth <= $maxDepth)
  CALL (root, sub, depth) {
    MATCH (sub)-[:REPORTS_TO]->(s:Node)
    CALL (root, s) {
      MATCH q = ANY SHORTEST (s)-[:REPORTS_TO]->*(root)
      RETURN length(q) AS up
    }
    WITH s WHERE up = depth - 1
    RETURN s.id AS superior
    ORDER BY s.seq, s.id
    LIMIT 1
  }
  WITH sub, depth, superior
  ORDER BY depth, sub.seq, sub.id
  RETURN collect({node: sub {.*}, depth: depth, superior: superior}) AS subordinates
}
RETURN subordinates`

	// shortestPathQuery: a bidirectional search (ANY SHORTEST between two
	// bound nodes) gives the length of a shortest walk over the allowed
	// kinds, in either direction. The walk then starts at the source and
	// each step takes, among the neighbours one step closer to the target,
	// the one of least id, and between the two the relation of least id: the
	// least sequence of node ids among the shortest walks, as memstore's.
	// Whether a neighbour is one step closer is another bidirectional
	// search. The steps run inside reduce, each a COLLECT subquery on the
	// walk so far. Searching from one end to every node (StatefulShortestPath
	// (All)) took seconds on 2,600 nodes; enumerating ALL SHORTEST walks can
	// explode; this costs (length × degree) small searches. No record when
	// either node is unknown; null when no walk exists.
	shortestPathQuery = `
MATCH (a:Node {id: $from}), (b:Node {id: $to})
OPTIONAL MATCH sp = ANY SHORTEST (a) (()-[r]-() WHERE type(r) IN $kinds)* (b)
WITH a, b, length(sp) AS steps
RETURN CASE WHEN steps IS NULL THEN null ELSE
  [s IN reduce(walk = [{node: a, link: null, reversed: false}], i IN range(1, steps) | walk + COLLECT {
    WITH last(walk).node AS x
    MATCH (x)-[r]-(y:Node) WHERE type(r) IN $kinds
    CALL (y, b) {
      MATCH q = ANY SHORTEST (y) (()-[t]-() WHERE type(t) IN $kinds)* (b)
      RETURN length(q) AS remaining
    }
    WITH x, r, y WHERE remaining = steps - i
    RETURN {node: y, link: r {.*, kind: type(r), from: startNode(r).id, to: endNode(r).id}, reversed: startNode(r) <> x}
    ORDER BY y.id, r.id
    LIMIT 1
  }) | {node: properties(s.node), link: s.link, reversed: s.reversed}]
END`

	// windowSearchQuery matches as searchQuery does within the first
	// $window nodes and the first $window duties in hit order (by seq,
	// then id: the seq indexes give the order), and says whether each
	// window is the whole of its part. Store.Search says when that is the
	// answer.
	windowSearchQuery = `
CALL () {
  MATCH (n:Node) WHERE n.seq IS NOT NULL
  WITH n ORDER BY n.seq, n.id LIMIT $window
  WITH collect(n) AS window
  RETURN size(window) < $window AS nodesAll,
         [n IN window WHERE n.folded CONTAINS $needle AND all(t IN $terms WHERE n.folded CONTAINS ' ' + t)][..$limit] AS nodes
}
CALL () {
  MATCH (d:Duty) WHERE d.seq IS NOT NULL
  WITH d ORDER BY d.seq, d.id LIMIT $window
  WITH collect(d) AS window
  RETURN size(window) < $window AS dutiesAll,
         [d IN window WHERE d.folded CONTAINS $needle AND all(t IN $terms WHERE d.folded CONTAINS ' ' + t)
            AND EXISTS { (:Node)-[:HAS_DUTY]->(d) }][..$limit] AS duties
}
RETURN {nodesAll: nodesAll, dutiesAll: dutiesAll, nodes: [n IN nodes | n {.*}],
        duties: [d IN duties | d {.*, unit: head([(u:Node)-[:HAS_DUTY]->(d) | u.id]),
                                      parent: head([(d)-[:PART_OF_DUTY]->(p:Duty) | p.id])}]}`

	// searchQuery matches every term at the start of a word of the folded
	// text: nodes first, then duties, each by seq, then id. $needle (one
	// of the terms, after a space) is what the text indexes find the
	// candidates by. Only the hits within the limit are projected (at
	// 20,000 units a third less time than projecting every match).
	searchQuery = `
CALL () {
  MATCH (n:Node)
  WHERE n.folded CONTAINS $needle AND all(t IN $terms WHERE n.folded CONTAINS ' ' + t)
  RETURN 0 AS part, n.seq AS seq, n.id AS id, n AS x
  UNION ALL
  MATCH (d:Duty)
  WHERE d.folded CONTAINS $needle AND all(t IN $terms WHERE d.folded CONTAINS ' ' + t)
    AND EXISTS { (:Node)-[:HAS_DUTY]->(d) }
  RETURN 1 AS part, d.seq AS seq, d.id AS id, d AS x
}
WITH part, seq, id, x ORDER BY part, seq, id LIMIT $limit
CALL (part, x) {
  WITH part, x WHERE part = 0
  RETURN {node: x {.*}} AS hit
  UNION ALL
  WITH part, x WHERE part = 1
  MATCH (u:Node)-[:HAS_DUTY]->(x)
  OPTIONAL MATCH (x)-[:PART_OF_DUTY]->(p:Duty)
  RETURN {duty: x {.*, unit: u.id, parent: p.id}} AS hit
}
RETURN hit ORDER BY part, seq, id`
)
