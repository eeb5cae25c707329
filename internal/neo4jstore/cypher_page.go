package neo4jstore

// The queries behind the pages (pages.go). Each answers one page and its
// count in one statement. A page starts after the key ($seq, $id) — for
// the first page the least key there is — written as
// `x.seq >= $seq AND (x.seq > $seq OR x.id > $id)`, so that an index on
// seq can seek to it; it holds $limit items, one more than asked, to tell
// whether another page follows. The count is a COUNT subquery, which
// counts the matches without projecting them, and whether items come
// before the page an EXISTS, which stops at the first. User input reaches
// them only as parameters.

const (
	// The nodes of $nodeKinds (all when empty) whose type is $type in
	// upper case (any when empty).
	pageNodesQuery = `
MATCH (n:Node)
WHERE (size($nodeKinds) = 0 OR n.kind IN $nodeKinds) AND ($type = '' OR toUpper(n.type) = $type)
  AND n.seq >= $seq AND (n.seq > $seq OR n.id > $id)
WITH n ORDER BY n.seq, n.id LIMIT $limit
WITH collect(n {.*}) AS items
RETURN {
  items: items,
  total: COUNT { MATCH (m:Node) WHERE (size($nodeKinds) = 0 OR m.kind IN $nodeKinds) AND ($type = '' OR toUpper(m.type) = $type) },
  before: EXISTS { MATCH (m:Node) WHERE (size($nodeKinds) = 0 OR m.kind IN $nodeKinds) AND ($type = '' OR toUpper(m.type) = $type)
    AND (m.seq < $seq OR (m.seq = $seq AND m.id <= $id)) }
}`

	// Every duty, or the common ones or the others ($common; null: all).
	pageDutiesQuery = `
MATCH (u:Node)-[:HAS_DUTY]->(d:Duty)
WHERE ($common IS NULL OR d.common = $common)
  AND d.seq >= $seq AND (d.seq > $seq OR d.id > $id)
WITH u, d ORDER BY d.seq, d.id LIMIT $limit
OPTIONAL MATCH (d)-[:PART_OF_DUTY]->(p:Duty)
WITH collect(d {.*, unit: u.id, parent: p.id}) AS items
RETURN {
  items: items,
  total: COUNT { MATCH (:Node)-[:HAS_DUTY]->(e:Duty) WHERE $common IS NULL OR e.common = $common },
  before: EXISTS { MATCH (:Node)-[:HAS_DUTY]->(e:Duty) WHERE ($common IS NULL OR e.common = $common)
    AND (e.seq < $seq OR (e.seq = $seq AND e.id <= $id)) }
}`

	// Every relation of $kinds.
	pageRelationsQuery = `
MATCH (a:Node)-[r]->(b:Node)
WHERE type(r) IN $kinds AND r.seq >= $seq AND (r.seq > $seq OR r.id > $id)
WITH a, r, b ORDER BY r.seq, r.id LIMIT $limit
WITH collect(r {.*, kind: type(r), from: a.id, to: b.id}) AS items
RETURN {
  items: items,
  total: COUNT { MATCH (:Node)-[q]->(:Node) WHERE type(q) IN $kinds },
  before: EXISTS { MATCH (:Node)-[q]->(:Node) WHERE type(q) IN $kinds AND (q.seq < $seq OR (q.seq = $seq AND q.id <= $id)) }
}`

	// pageSearchQuery matches as searchQuery does, keeps the keys of the
	// hits (part: 0 for nodes, 1 for duties; seq; id), and projects only
	// the hits of the page: those after ($rank, $seq, $id), $first of them.
	pageSearchQuery = `
CALL () {
  MATCH (n:Node)
  WHERE n.folded CONTAINS $needle AND all(t IN $terms WHERE n.folded CONTAINS ' ' + t)
  RETURN 0 AS part, n.seq AS seq, n.id AS id
  UNION ALL
  MATCH (d:Duty)
  WHERE d.folded CONTAINS $needle AND all(t IN $terms WHERE d.folded CONTAINS ' ' + t)
    AND EXISTS { (:Node)-[:HAS_DUTY]->(d) }
  RETURN 1 AS part, d.seq AS seq, d.id AS id
}
WITH part, seq, id ORDER BY part, seq, id
WITH collect({part: part, seq: seq, id: id}) AS keys
WITH size(keys) AS total,
     [k IN keys WHERE k.part > $rank OR (k.part = $rank AND (k.seq > $seq OR (k.seq = $seq AND k.id > $id)))] AS rest
CALL (rest) {
  UNWIND rest[..$first] AS k
  CALL (k) {
    WITH k WHERE k.part = 0
    MATCH (n:Node {id: k.id})
    RETURN {node: n {.*}} AS hit
    UNION ALL
    WITH k WHERE k.part = 1
    MATCH (u:Node)-[:HAS_DUTY]->(d:Duty {id: k.id})
    OPTIONAL MATCH (d)-[:PART_OF_DUTY]->(p:Duty)
    RETURN {duty: d {.*, unit: u.id, parent: p.id}} AS hit
  }
  RETURN collect(hit) AS hits
}
RETURN {items: hits, total: total, next: size(rest) > $first, before: total > size(rest)}`

	// pageSubordinatesQuery walks as subordinatesQuery does, counts the
	// nodes below the root, keeps those after ($rank, $seq, $id) in
	// (depth, seq, id) order, and looks up the superior of the page's only.
	pageSubordinatesQuery = `
MATCH (root:Node {id: $id0})
CALL (root) {
  MATCH p = ANY SHORTEST (root)<-[:REPORTS_TO]-+(sub:Node)
  WITH sub, length(p) AS depth
  WHERE sub <> root AND ($maxDepth <= 0 OR depth <= $maxDepth)
  RETURN count(*) AS total,
         collect(CASE WHEN depth > $rank OR (depth = $rank AND (sub.seq > $seq OR (sub.seq = $seq AND sub.id > $id)))
                 THEN {sub: sub, depth: depth} END) AS rest
}
CALL (root, rest) {
  UNWIND rest AS x
  WITH x.sub AS sub, x.depth AS depth
  ORDER BY depth, sub.seq, sub.id
  LIMIT $first
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
  RETURN collect({node: sub {.*}, depth: depth, superior: superior}) AS page
}
RETURN {items: page, total: total, next: size(rest) > $first, before: total > size(rest)}`
)
