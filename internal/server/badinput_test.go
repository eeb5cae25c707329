package server_test

import (
	"testing"

	"github.com/orgraph/orgraph/internal/server/servertest"
)

// TestBadInputs sends the table of bad requests through the real handler
// over the embedded store: each is refused with its status and code and
// changes nothing. internal/neo4jstore runs the same table over Neo4j.
func TestBadInputs(t *testing.T) {
	servertest.RunBadInputs(t, MustOpenHandler(t))
}
