package neo4jstore

// The queries behind FindNeighbourhood and ChainsOfCommand, and FindNodes
// by reference. Each is made of a node selection (selectAll, selectIDs,
// selectRef: constant text, joined at init) and a body that works on the
// selected `n`. User input reaches them only as parameters.

const (
	// selectAll: every node of $nodeKinds (all kinds when empty).
	selectAll = `
MATCH (n:Node) WHERE size($nodeKinds) = 0 OR n.kind IN $nodeKinds
`
	// selectIDs: the nodes of $ids, unknown ids ignored.
	selectIDs = `
UNWIND $ids AS id
MATCH (n:Node {id: id}) WHERE size($nodeKinds) = 0 OR n.kind IN $nodeKinds
`
	// selectRef: the node whose code is $code, or else the node whose id is
	// $id, as org.NodeFilter.Ref says.
	selectRef = `
OPTIONAL MATCH (byCode:Node {code: $code})
OPTIONAL MATCH (byID:Node {id: $id})
WITH coalesce(byCode, byID) AS n
WHERE n IS NOT NULL AND (size($nodeKinds) = 0 OR n.kind IN $nodeKinds)
`

	findNodesBody = `
RETURN n {.*} ORDER BY n.seq, n.id`

	// neighbourhoodBody gathers, for each selected node, its duties (when
	// $duties) and its relations of $kinds in both directions with the
	// nodes at their other ends (when $relations). The Go side merges the
	// rows, each relation and end once.
	neighbourhoodBody = `
WITH DISTINCT n
CALL (n) {
  WITH n WHERE $duties
  MATCH (n)-[:HAS_DUTY]->(d:Duty)
  OPTIONAL MATCH (d)-[:PART_OF_DUTY]->(p:Duty)
  RETURN collect(d {.*, unit: n.id, parent: p.id}) AS duties
}
CALL (n) {
  WITH n WHERE $relations
  MATCH (n)-[r]-(m:Node) WHERE type(r) IN $kinds
  RETURN collect(r {.*, kind: type(r), from: startNode(r).id, to: endNode(r).id}) AS relations,
         collect(m {.*}) AS ends
}
RETURN {node: n {.*}, duties: duties, relations: relations, ends: ends}
ORDER BY n.seq, n.id`

	// chainBody walks the chain of command up from each selected node as
	// one variable-length pattern: each step is the relation org.NextInChain
	// picks, the REPORTS_TO of lowest (seq, id) leaving the node, or where
	// there is none, the HEADS of lowest (seq, id) into a unit (walked
	// backwards) or out of a position. The predicate prunes every other
	// edge as the path grows, so the only paths are prefixes of the one
	// walk; relationships do not repeat in a match, so on a cycle it stops
	// after one turn, and the longest prefix whose nodes are all distinct is
	// the chain, as WalkChain stops before a node seen twice.
	chainBody = `
WITH DISTINCT n
CALL (n) {
  MATCH p = (n) ((a:Node)-[r:REPORTS_TO|HEADS]-(:Node)
    WHERE CASE type(r)
      WHEN 'REPORTS_TO' THEN startNode(r) = a AND NOT EXISTS {
        MATCH (a)-[o:REPORTS_TO]->(:Node) WHERE o.seq < r.seq OR (o.seq = r.seq AND o.id < r.id) }
      ELSE NOT EXISTS { (a)-[:REPORTS_TO]->(:Node) } AND CASE a.kind
        WHEN 'UNIT' THEN endNode(r) = a AND NOT EXISTS {
          MATCH (:Node)-[o:HEADS]->(a) WHERE o.seq < r.seq OR (o.seq = r.seq AND o.id < r.id) }
        WHEN 'POSITION' THEN startNode(r) = a AND NOT EXISTS {
          MATCH (a)-[o:HEADS]->(:Node) WHERE o.seq < r.seq OR (o.seq = r.seq AND o.id < r.id) }
        ELSE false END
    END)* (:Node)
  WITH p, nodes(p) AS ns
  WHERE all(i IN range(1, size(ns) - 1) WHERE NOT ns[i] IN ns[..i])
  RETURN p, ns ORDER BY length(p) DESC LIMIT 1
}
RETURN {
  nodes: [x IN ns | x {.*}],
  links: [r IN relationships(p) | r {.*, kind: type(r), from: startNode(r).id, to: endNode(r).id}]
}
ORDER BY n.seq, n.id`
)

// The baseline's revision: a fresh random token on every write of the
// baseline (Load, ApplyScenario), so that a database emptied and loaded
// again never shows a revision it showed before.
const (
	bumpRevisionQuery = `
MERGE (b:Baseline {id: 'baseline'})
SET b.revision = randomUUID()`

	revisionQuery = `
OPTIONAL MATCH (b:Baseline {id: 'baseline'})
RETURN coalesce(b.revision, '')`
)

// selected holds one query per node selection.
type selected struct{ all, ids, ref string }

func selections(body string) selected {
	return selected{all: selectAll + body, ids: selectIDs + body, ref: selectRef + body}
}

var (
	findNodesQueries     = selections(findNodesBody)
	neighbourhoodQueries = selections(neighbourhoodBody)
	chainQueries         = selections(chainBody)
)
