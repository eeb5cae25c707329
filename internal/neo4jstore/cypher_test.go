package neo4jstore

import (
	"regexp"
	"strings"
	"testing"

	"github.com/orgraph/orgraph/internal/org"
)

// The per-kind statements are made from org.RelationKinds; these tests read
// them back with patterns written apart from the template, so that a kind
// added to org without its constraint or write query, or a template that
// drifted, fails here and not in a load.
func TestEveryRelationKindHasItsIDConstraintAndItsWriteQuery(t *testing.T) {
	constraint := regexp.MustCompile(`^CREATE CONSTRAINT ([a-z_]+)_id IF NOT EXISTS FOR \(\)-\[r:([A-Z_]+)\]-\(\) REQUIRE r\.id IS UNIQUE$`)
	constrained := map[string]string{} // relationship type → constraint name
	for _, q := range schema {
		if m := constraint.FindStringSubmatch(q); m != nil {
			if _, twice := constrained[m[2]]; twice {
				t.Errorf("two constraints on %s", m[2])
			}
			constrained[m[2]] = m[1]
		}
	}
	if len(constrained) != len(org.RelationKinds) {
		t.Errorf("got %d relationship-id constraints, want one per kind (%d): %v", len(constrained), len(org.RelationKinds), constrained)
	}
	if len(writeRelationQueries) != len(org.RelationKinds) {
		t.Errorf("got %d write queries, want one per kind (%d)", len(writeRelationQueries), len(org.RelationKinds))
	}
	for _, k := range org.RelationKinds {
		if name, ok := constrained[string(k)]; !ok || name != strings.ToLower(string(k)) {
			t.Errorf("%s: got constraint %q (present %v), want %s_id", k, name, ok, strings.ToLower(string(k)))
		}
		want := "UNWIND $rows AS row MATCH (a:Node {id: row.from}), (b:Node {id: row.to})\n" +
			"MERGE (a)-[r:" + string(k) + " {id: row.props.id}]->(b) SET r = row.props"
		if got, ok := writeRelationQueries[k]; !ok || got != want {
			t.Errorf("%s: got write query %q (present %v), want %q", k, got, ok, want)
		}
	}
}

// The statements as they were written out by hand before they were made
// from the kinds, kept verbatim for one kind.
func TestTheMadeStatementsAreTheHandWrittenOnes(t *testing.T) {
	if got, want := relationIDConstraint(org.ReportsTo),
		`CREATE CONSTRAINT reports_to_id IF NOT EXISTS FOR ()-[r:REPORTS_TO]-() REQUIRE r.id IS UNIQUE`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := writeRelationQueries[org.CooperatesWith], `UNWIND $rows AS row MATCH (a:Node {id: row.from}), (b:Node {id: row.to})
MERGE (a)-[r:COOPERATES_WITH {id: row.props.id}]->(b) SET r = row.props`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// The node constraints and indexes keep their places around the kinds'.
	if !strings.Contains(schema[0], "node_id") || !strings.Contains(schema[len(schema)-1], "FULLTEXT INDEX search_text") {
		t.Errorf("schema begins with %q and ends with %q", schema[0], schema[len(schema)-1])
	}
}

func TestOnlyAPlainKindIsSplicedIntoCypher(t *testing.T) {
	for _, k := range []org.RelationKind{"", "reports_to", "REPORTS_TO]->() DETACH DELETE r //", "A-B", "`X`"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%q was spliced into a statement", k)
				}
			}()
			writeRelationQuery(k)
		}()
	}
}
