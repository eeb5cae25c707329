package neo4jstore_test

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/batch"
	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/neo4jtest"
	"github.com/orgraph/orgraph/internal/observe"
	"github.com/orgraph/orgraph/internal/observe/observetest"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/internal/storetest"
)

// TestNeo4jObservedRequests serves Neo4j as orgraph does (the batching
// store per request over the observed store): each request's logged store
// calls are the Cypher statements Neo4j got, and /metrics and the spans
// agree with them.
func TestNeo4jObservedRequests(t *testing.T) {
	driver := neo4jtest.Connect(t)
	_, s := mustLoadBoth(t, driver, storetest.MustSeed(t))
	observetest.Run(t, func(obs *observe.Observer, log *slog.Logger) http.Handler {
		cfg := server.Config{Observer: obs, Timeout: time.Minute,
			RequestStore: func(s org.Store) org.Store { return batch.New(s, 0) }}
		return server.New(&org.Service{Store: obs.Store(s, "neo4j"), Overlay: memstore.Overlay}, cfg, log)
	}, s.RoundTrips)
}
