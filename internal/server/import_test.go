package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/internal/storetest"
)

func TestImportOrdinanceThroughTheAPI(t *testing.T) {
	s := memstore.New()
	if err := s.Load(context.Background(), storetest.MustSeed(t)); err != nil {
		t.Fatal(err)
	}
	h := server.New(&org.Service{Store: s, Overlay: memstore.Overlay}, server.Config{AdminToken: "sekret"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	text, err := os.ReadFile("../ordinance/testdata/zarzadzenie-412-2025-po.txt")
	if err != nil {
		t.Fatal(err)
	}
	const mutation = `mutation($t: String!, $dry: Boolean) { importOrdinance(name: "po.txt", text: $t, dryRun: $dry) {
	  document { id } units positions duties warnings { where message } loaded } }`
	importAs := func(token string, dry bool) response {
		body, _ := json.Marshal(map[string]any{"query": mutation, "variables": map[string]any{"t": string(text), "dry": dry}})
		req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var resp response
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		return resp
	}
	for _, token := range []string{"", "wrong"} {
		if resp := importAs(token, false); len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "FORBIDDEN" {
			t.Errorf("token %q: got %+v, want FORBIDDEN", token, resp.Errors)
		}
	}
	if _, err := s.FindNodeByCode(context.Background(), "PO-01"); org.ErrorCode(err) != org.ENOTFOUND {
		t.Fatal("a refused import loaded something")
	}
	var report struct {
		ImportOrdinance struct {
			Document struct{ ID string }
			Units    int
			Loaded   bool
		}
	}
	resp := importAs("sekret", true)
	if len(resp.Errors) > 0 || json.Unmarshal(resp.Data, &report) != nil || report.ImportOrdinance.Loaded || report.ImportOrdinance.Document.ID != "412/2025" {
		t.Fatalf("dry run: got %s %+v", resp.Data, resp.Errors)
	}
	resp = importAs("sekret", false)
	if len(resp.Errors) > 0 || json.Unmarshal(resp.Data, &report) != nil || !report.ImportOrdinance.Loaded {
		t.Fatalf("import: got %s %+v", resp.Data, resp.Errors)
	}
	// The new department answers the headline question, and the President is still one node.
	var out struct{ ChainOfCommand path }
	post(t, h, `{ chainOfCommand(from: "PO-01-1") { nodes { id } links { kind source { document provision } } } }`, nil, &out)
	nodes := out.ChainOfCommand.Nodes
	if len(nodes) < 3 || nodes[0].ID != "PO-01-1" || out.ChainOfCommand.Links[0].Source.Document != "412/2025" {
		t.Errorf("chain from PO-01-1: got %+v", out.ChainOfCommand)
	}
	var positions struct{ Positions []node }
	post(t, h, `{ positions { id } }`, nil, &positions)
	presidents := 0
	for _, p := range positions.Positions {
		if p.ID == "prezydent" {
			presidents++
		}
	}
	if presidents != 1 {
		t.Errorf("got %d presidents, want 1", presidents)
	}
}
