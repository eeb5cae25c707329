package server_test

import (
	"testing"

	"github.com/orgraph/orgraph/internal/server/servertest"
)

// TestPages reads the connections (servertest) through the real handler
// over the embedded store; internal/neo4jstore reads them over Neo4j.
func TestPages(t *testing.T) {
	servertest.RunPages(t, MustOpenHandler(t))
}
