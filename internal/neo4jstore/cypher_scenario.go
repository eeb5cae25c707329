package neo4jstore

// Scenarios are (:Scenario) nodes, apart from the org graph: no query over
// :Node, :Duty or :Document ever meets them. Their changes are one JSON
// string, their times fixed-width RFC 3339 strings in UTC.

const (
	// createScenarioQuery relies on the scenario_id constraint: a taken id
	// fails the statement, and the store answers ECONFLICT.
	createScenarioQuery = `CREATE (s:Scenario) SET s = $props`

	findScenarioByIDQuery = `MATCH (s:Scenario {id: $id}) RETURN s {.*}`

	// Ordered in Go, by time and then id, as memstore orders them.
	findScenariosQuery = `MATCH (s:Scenario) RETURN s {.*}`

	// Setting a property takes the scenario's write lock before its
	// version is read, so that of two writers starting from one version
	// the second waits for the first to commit, then reads the version the
	// first wrote: without the lock both would read the old version and
	// one update would be lost. The lock holds to the end of the
	// transaction. No record when the scenario does not exist.
	lockScenarioQuery = `
MATCH (s:Scenario {id: $id})
SET s._lock = true
WITH s, s.version AS stored
REMOVE s._lock
RETURN stored`

	// updateScenarioQuery replaces the scenario only if its version is
	// still $version, under the same lock, in one statement; it returns the
	// version it found.
	updateScenarioQuery = `
MATCH (s:Scenario {id: $id})
SET s._lock = true
WITH s, s.version AS stored
CALL (s, stored) {
  WITH s, stored WHERE stored = $version
  SET s = $props
}
REMOVE s._lock
RETURN stored`

	// storeScenarioQuery replaces a scenario the transaction has locked.
	storeScenarioQuery = `MATCH (s:Scenario {id: $id}) SET s = $props`

	// The audit log: (:AuditEntry) nodes, apart from the org graph as
	// scenarios are, written in the transaction of the change they record.
	createAuditEntryQuery = `CREATE (a:AuditEntry) SET a = $props`

	// auditLogQuery pages through the log by time, then id; an unknown
	// $after yields nothing.
	auditLogQuery = `
OPTIONAL MATCH (c:AuditEntry {id: $after})
WITH c WHERE $after = '' OR c IS NOT NULL
MATCH (a:AuditEntry)
WHERE c IS NULL OR a.at > c.at OR (a.at = c.at AND a.id > c.id)
RETURN a {.*}
ORDER BY a.at, a.id
LIMIT $first`

	deleteScenarioQuery = `
MATCH (s:Scenario {id: $id})
DELETE s
RETURN count(*)`
)

// The baseline, for Snapshot and ApplyScenario.
const (
	// Deleting a node, duty or document deletes its relationships with it;
	// the relations ApplyScenario drops between nodes that stay go through
	// deleteRelationsQuery.
	deleteDocumentsByIDQuery = `
UNWIND $ids AS id
MATCH (d:Document {id: id})
DETACH DELETE d`

	deleteNodesByIDQuery = `
UNWIND $ids AS id
MATCH (n:Node {id: id})
DETACH DELETE n`

	deleteDutiesByIDQuery = `
UNWIND $ids AS id
MATCH (d:Duty {id: id})
DETACH DELETE d`
)
