package memstore_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
	"github.com/orgraph/orgraph/internal/storetest"
)

// MustOpen opens a store over dir, loading the seed when dir holds no baseline.
func MustOpen(t *testing.T, dir string) (*memstore.Store, *org.Service) {
	t.Helper()
	s, err := memstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if empty, _ := s.Empty(context.Background()); empty {
		if err := s.Load(context.Background(), storetest.MustSeed(t)); err != nil {
			t.Fatal(err)
		}
	}
	return s, &org.Service{Store: s, Overlay: memstore.Overlay}
}

func TestScenariosSurviveARestart(t *testing.T) {
	ctx := storetest.Owner
	dir := t.TempDir()
	s1, svc := MustOpen(t, dir)
	kept, err := svc.CreateScenario(ctx, "kept", "stays a draft")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddChange(ctx, kept.ID, org.Change{Kind: org.ChangeRemove, Node: "KS-05"}); err != nil {
		t.Fatal(err)
	}
	applied, _ := svc.CreateScenario(ctx, "applied", "")
	if _, err := svc.AddChange(ctx, applied.ID, org.Change{Kind: org.ChangeRename, Node: "KS-01", Name: "Referat Organizacyjny"}); err != nil {
		t.Fatal(err)
	}
	if _, err := storetest.ApplyApproved(ctx, svc, applied.ID); err != nil {
		t.Fatal(err)
	}
	// A crash mid-write leaves a temporary file beside the data file; it is ignored.
	if err := os.WriteFile(filepath.Join(dir, ".orgraph-123.json"), []byte(`{"Scenar`), 0o644); err != nil {
		t.Fatal(err)
	}

	s1.Close() // as the process would at its end
	s2, svc2 := MustOpen(t, dir)
	got, err := svc2.Scenario(ctx, kept.ID)
	if err != nil || len(got.Changes) != 1 || got.Changes[0].Node != "KS-05" || got.Description != "stays a draft" {
		t.Fatalf("the draft after a restart: got %+v, %v", got, err)
	}
	n, err := s2.FindNodeByID(ctx, "KS-01")
	if err != nil || n.Name != "Referat Organizacyjny" {
		t.Errorf("the applied rename after a restart: got %q, %v", n.Name, err)
	}
	if n, _ := s2.FindNodeByID(ctx, "KS-05"); n.ID != "KS-05" {
		t.Error("the draft's removal reached the baseline")
	}
	// The audit log's last revision names the baseline the restart serves.
	log, err := s2.AuditLog(ctx, 10, "")
	rev, _ := s2.Revision(ctx)
	if err != nil || len(log) != 2 || log[1].Action != org.AuditApply || log[1].RevisionAfter != rev {
		t.Errorf("the audit log after a restart: %+v, %v; want an approval, then an apply leaving revision %s", log, err, rev)
	}
}

func TestACorruptDataFileIsReportedNotIgnored(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, memstore.DataFile), []byte(`{"Scenarios": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := memstore.Open(dir); err == nil {
		t.Error("a corrupt data file opened without error")
	}
}

// One data directory, one process: a second Open waits for Close, and says
// why it cannot go on.
func TestADataDirectoryIsOpenedOnce(t *testing.T) {
	dir := t.TempDir()
	s, err := memstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = memstore.Open(dir)
	if org.ErrorCode(err) != org.ECONFLICT || !strings.Contains(err.Error(), "in use by another orgraph process (pid ") {
		t.Errorf("a second open: got %v, want ECONFLICT naming the process that holds it", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := memstore.Open(dir)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	again.Close()
}

// Replace sets the baseline in the data file, drops the scenarios, and the
// next Open serves it.
func TestAReplacedBaselineSurvivesARestart(t *testing.T) {
	ctx := storetest.Owner
	dir := t.TempDir()
	s, svc := MustOpen(t, dir)
	if _, err := svc.CreateScenario(ctx, "on the seed", ""); err != nil {
		t.Fatal(err)
	}
	g := orggen.Generate(5, 40)
	if err := s.Replace(ctx, &org.Graph{Nodes: []org.Node{{ID: "x"}}}); org.ErrorCode(err) != org.EINVALID {
		t.Errorf("replace with an invalid graph: got %v, want EINVALID", err)
	}
	if err := s.Replace(ctx, g); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := memstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, _ := s2.Snapshot(ctx)
	if len(got.Nodes) != len(g.Nodes) || len(got.Relations) != len(g.Relations) || len(got.Duties) != len(g.Duties) {
		t.Errorf("after a restart: %d nodes, %d relations, %d duties; want %d, %d, %d",
			len(got.Nodes), len(got.Relations), len(got.Duties), len(g.Nodes), len(g.Relations), len(g.Duties))
	}
	if _, err := s2.FindNodeByCode(ctx, "KS-07"); org.ErrorCode(err) != org.ENOTFOUND {
		t.Errorf("the seed's KS-07 after a replace: got %v, want ENOTFOUND", err)
	}
	if scs, _ := s2.FindScenarios(ctx); len(scs) != 0 {
		t.Errorf("got %d scenarios after a replace, want none", len(scs))
	}
}
