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

	"github.com/orgraph/orgraph/internal/auth"
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
	h := server.New(&org.Service{Store: s, Overlay: memstore.Overlay}, server.Config{Auth: mustAuth(t, auth.Config{AdminToken: "sekret"})}, slog.New(slog.NewTextHandler(io.Discard, nil)))
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
	for token, code := range map[string]string{"": "FORBIDDEN", "wrong": "UNAUTHENTICATED"} {
		if resp := importAs(token, false); len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != code {
			t.Errorf("token %q: got %+v, want %s", token, resp.Errors, code)
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
	// The import, not the dry run, is in the audit log, by the admin token's subject.
	var log struct {
		AuditLog []struct{ Subject, Action, Target, Name, RevisionBefore, RevisionAfter string }
	}
	if resp := sendAs(t, h, "sekret", `{ auditLog { subject action target name revisionBefore revisionAfter } }`, nil); len(resp.Errors) > 0 || json.Unmarshal(resp.Data, &log) != nil {
		t.Fatalf("auditLog: %+v", resp.Errors)
	}
	if len(log.AuditLog) != 1 || log.AuditLog[0].Subject != "admin" || log.AuditLog[0].Action != "IMPORT" || log.AuditLog[0].Target != "412/2025" ||
		log.AuditLog[0].Name != "po.txt" || log.AuditLog[0].RevisionBefore == log.AuditLog[0].RevisionAfter {
		t.Errorf("the audit log after an import: got %+v", log.AuditLog)
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

func mustAuth(t *testing.T, cfg auth.Config) *auth.Authenticator {
	t.Helper()
	a, err := auth.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
