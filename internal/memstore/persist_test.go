package memstore_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/storetest"
)

// MustOpen opens a store over dir, loading the seed when dir holds no baseline.
func MustOpen(t *testing.T, dir string) (*memstore.Store, *org.Service) {
	t.Helper()
	s, err := memstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if empty, _ := s.Empty(context.Background()); empty {
		if err := s.Load(context.Background(), storetest.MustSeed(t)); err != nil {
			t.Fatal(err)
		}
	}
	return s, &org.Service{Store: s, Overlay: memstore.Overlay}
}

func TestScenariosSurviveARestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	_, svc := MustOpen(t, dir)
	kept, err := svc.CreateScenario(ctx, "kept", "planner", "stays a draft")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddChange(ctx, kept.ID, org.Change{Kind: org.ChangeRemove, Node: "KS-05"}); err != nil {
		t.Fatal(err)
	}
	applied, _ := svc.CreateScenario(ctx, "applied", "planner", "")
	if _, err := svc.AddChange(ctx, applied.ID, org.Change{Kind: org.ChangeRename, Node: "KS-01", Name: "Referat Organizacyjny"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ApplyScenario(ctx, applied.ID); err != nil {
		t.Fatal(err)
	}
	// A crash mid-write leaves a temporary file beside the data file; it is ignored.
	if err := os.WriteFile(filepath.Join(dir, ".orgraph-123.json"), []byte(`{"Scenar`), 0o644); err != nil {
		t.Fatal(err)
	}

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
