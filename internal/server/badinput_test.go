package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/orgraph/orgraph/internal/auth"
	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/internal/storetest"

	"github.com/orgraph/orgraph/internal/server/servertest"
)

// TestBadInputs sends the table of bad requests through the real handler
// over the embedded store: each is refused with its status and code and
// changes nothing. internal/neo4jstore runs the same table over Neo4j.
func TestBadInputs(t *testing.T) {
	servertest.RunBadInputs(t, MustOpenHandler(t))
}

// TestRoles runs the role matrix (servertest) over the embedded store;
// internal/neo4jstore runs it over Neo4j.
func TestRoles(t *testing.T) {
	s := memstore.New()
	if err := s.Load(context.Background(), storetest.MustSeed(t)); err != nil {
		t.Fatal(err)
	}
	svc := &org.Service{Store: s, Overlay: memstore.Overlay}
	servertest.RunRoles(t, func(a *auth.Authenticator) http.Handler {
		return server.New(svc, server.Config{Auth: a}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	})
}
