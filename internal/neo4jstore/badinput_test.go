package neo4jstore_test

import (
	"testing"

	"github.com/orgraph/orgraph/internal/neo4jtest"
	"github.com/orgraph/orgraph/internal/server/servertest"
	"github.com/orgraph/orgraph/internal/storetest"
)

// TestNeo4jBadInputs runs the table of bad requests (servertest) through
// the real handler over Neo4j: the same status and code as over the
// embedded store, and nothing written.
func TestNeo4jBadInputs(t *testing.T) {
	driver := neo4jtest.Connect(t)
	_, n4j := mustLoadBoth(t, driver, storetest.MustSeed(t))
	servertest.RunBadInputs(t, scenarioHandler(n4j))
}
