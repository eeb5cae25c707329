package neo4jstore_test

import (
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/orgraph/orgraph/internal/auth"
	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"

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

// TestNeo4jRoles runs the role matrix (servertest) through the real
// handler over Neo4j: who may do what is the domain's, the same over
// either store.
func TestNeo4jRoles(t *testing.T) {
	driver := neo4jtest.Connect(t)
	_, n4j := mustLoadBoth(t, driver, storetest.MustSeed(t))
	svc := &org.Service{Store: n4j, Overlay: memstore.Overlay}
	servertest.RunRoles(t, func(a *auth.Authenticator) http.Handler {
		return server.New(svc, server.Config{RequestStore: perRequest(n4j), Auth: a}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	})
}

// TestNeo4jPages reads the connections (servertest) through the real
// handler over Neo4j, with the per-request batching store under the service.
func TestNeo4jPages(t *testing.T) {
	driver := neo4jtest.Connect(t)
	_, n4j := mustLoadBoth(t, driver, storetest.MustSeed(t))
	servertest.RunPages(t, scenarioHandler(n4j))
}
