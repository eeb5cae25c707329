package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/orgraph/orgraph/internal/auth"
	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/internal/storetest"
)

// TestImportOrdinanceRefusesWhatIsNotAnOrdinance: importOrdinance answers
// BAD_USER_INPUT with why, and the store keeps only the seed.
func TestImportOrdinanceRefusesWhatIsNotAnOrdinance(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	if err := s.Load(ctx, storetest.MustSeed(t)); err != nil {
		t.Fatal(err)
	}
	h := server.New(&org.Service{Store: s, Overlay: memstore.Overlay}, server.Config{Auth: mustAuth(t, auth.Config{AdminToken: "sekret"})}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	const page = "Wydział Geodezji\nul. Grunwaldzka 8, 31-524 Kraków\ntel. 12 616 96 00\nDyrektor Wydziału: Anna Nowak\n"
	body, _ := json.Marshal(map[string]any{
		"query":     `mutation($t: String!) { importOrdinance(name: "gd.txt", text: $t) { loaded } }`,
		"variables": map[string]any{"t": page},
	})
	req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer sekret")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp response
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" ||
		!strings.Contains(resp.Errors[0].Message, "this looks like a page describing one unit") ||
		!strings.Contains(resp.Errors[0].Message, "expected an organisational ordinance") {
		t.Fatalf("got %+v, want BAD_USER_INPUT saying what was expected and found", resp.Errors)
	}
	docs, err := s.FindDocuments(ctx)
	if err != nil || len(docs) != 1 {
		t.Errorf("got %d documents (%v), want the seed's one", len(docs), err)
	}
}
