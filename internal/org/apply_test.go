package org_test

import (
	"slices"
	"testing"

	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/storetest"
)

func apply(t *testing.T, changes ...org.Change) *org.Graph {
	t.Helper()
	g, err := org.ApplyChanges(storetest.MustSeed(t), org.Scenario{ID: "s", Name: "test", Changes: changes})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func relations(g *org.Graph, kind org.RelationKind, from, to string) []org.Relation {
	var out []org.Relation
	for _, r := range g.Relations {
		if r.Kind == kind && (from == "" || r.From == from) && (to == "" || r.To == to) {
			out = append(out, r)
		}
	}
	return out
}

func dutiesOf(g *org.Graph, unit string) []string {
	var out []string
	for _, d := range g.Duties {
		if d.Unit == unit {
			out = append(out, d.ID)
		}
	}
	return out
}

func hasNode(g *org.Graph, id string) bool {
	return slices.ContainsFunc(g.Nodes, func(n org.Node) bool { return n.ID == id })
}

func TestMergingKS05IntoKS04MovesItsDutiesAndRelations(t *testing.T) {
	g := apply(t, org.Change{Kind: org.ChangeMerge, Node: "KS-05", Into: "KS-04"})
	if hasNode(g, "KS-05") {
		t.Fatal("KS-05 survived its merge")
	}
	if got := len(dutiesOf(g, "KS-04")); got != 23+10 {
		t.Errorf("KS-04 holds %d duties, want 33 (its 23 and KS-05's 10)", got)
	}
	if got := relations(g, org.ReportsTo, "KS-04", ""); len(got) != 1 || got[0].To != "zastepca-dyrektora-ds-promocji" {
		t.Errorf("KS-04 reports to %v, want its own superior only", got)
	}
	// KS-05 declared close cooperation with KS-06 (§ 8 pkt 6); the survivor declares it already (§ 7 pkt 15).
	if got := relations(g, org.CooperatesWith, "KS-04", "KS-04"); len(got) != 0 {
		t.Errorf("the survivor cooperates with itself: %v", got)
	}
	if got := relations(g, org.MayTask, "zastepca-dyrektora-ds-promocji", "KS-05"); len(got) != 0 {
		t.Errorf("tasking of the merged unit survives: %v", got)
	}
}

func TestSplittingKS04GivesTheNewPartItsDutiesSuperiorAndDepartment(t *testing.T) {
	wyprawka := "3468/2024 § 7 pkt 5"
	g := apply(t, org.Change{Kind: org.ChangeSplit, Node: "KS-04", NewNode: "KS-08", Name: "Referat Krakowskiej Wyprawki", Code: "KS-08", Duties: []string{wyprawka}})
	got := dutiesOf(g, "KS-08")
	want := []string{wyprawka, wyprawka + " lit. a", wyprawka + " lit. b", wyprawka + " lit. c"}
	if !slices.Equal(got, want) {
		t.Errorf("KS-08 holds %v, want the item with its letters %v", got, want)
	}
	if got := len(dutiesOf(g, "KS-04")); got != 23-4 {
		t.Errorf("KS-04 keeps %d duties, want 19", got)
	}
	if len(relations(g, org.ReportsTo, "KS-08", "zastepca-dyrektora-ds-promocji")) != 1 || len(relations(g, org.PartOf, "KS-08", "KS")) != 1 {
		t.Error("the new part does not report to KS-04's superior or belong to KS")
	}
}

func TestDutiesCooperationAndTaskingChange(t *testing.T) {
	g := apply(t,
		org.Change{Kind: org.ChangeReassignDuty, Duty: "3468/2024 § 9 pkt 3", To: "KS-02"},
		org.Change{Kind: org.ChangeAddCooperation, From: "KS-01", To: "KS-07", Strength: org.Close, Scope: "w zakresie archiwum"},
		org.Change{Kind: org.ChangeRemoveCooperation, From: "KS-02", To: "KS-06"},
		org.Change{Kind: org.ChangeAddTasking, From: "zastepca-dyrektora-ds-promocji", To: "KS-07"},
		org.Change{Kind: org.ChangeRemoveTasking, From: "zastepca-dyrektora-ds-mediow-miejskich", To: "KS-02"},
	)
	if !slices.Contains(dutiesOf(g, "KS-02"), "3468/2024 § 9 pkt 3") {
		t.Error("§ 9 pkt 3 did not move to KS-02")
	}
	if got := relations(g, org.CooperatesWith, "KS-01", "KS-07"); len(got) != 2 || got[1].Strength != org.Close || got[1].Source.Basis != org.Planned {
		t.Errorf("KS-01 → KS-07 cooperation: got %+v, want § 4 pkt 3 and a planned close one", got)
	}
	if got := relations(g, org.CooperatesWith, "KS-02", "KS-06"); len(got) != 0 {
		t.Errorf("KS-02 still declares cooperation with KS-06: %v", got)
	}
	if len(relations(g, org.MayTask, "zastepca-dyrektora-ds-promocji", "KS-07")) != 2 {
		t.Error("the added tasking is missing")
	}
	if got := relations(g, org.MayTask, "zastepca-dyrektora-ds-mediow-miejskich", "KS-02"); len(got) != 0 {
		t.Errorf("the removed tasking remains: %v", got)
	}
}

func TestChangesThatDoNotFitAreRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    org.Change
		code string
	}{
		{"tasking from a unit", org.Change{Kind: org.ChangeAddTasking, From: "KS-01", To: "KS-02"}, org.EINVALID},
		{"merging a unit into a position", org.Change{Kind: org.ChangeMerge, Node: "KS-01", Into: "prezydent"}, org.EINVALID},
		{"reassigning a common duty", org.Change{Kind: org.ChangeReassignDuty, Duty: "3468/2024 § 11 pkt 1", To: "KS-01"}, org.EINVALID},
		{"reassigning an unknown duty", org.Change{Kind: org.ChangeReassignDuty, Duty: "3468/2024 § 99 pkt 1", To: "KS-01"}, org.ENOTFOUND},
		{"removing cooperation never declared", org.Change{Kind: org.ChangeRemoveCooperation, From: "KS-06", To: "prezydent"}, org.EINVALID},
		{"a new unit with a taken code", org.Change{Kind: org.ChangeCreate, NewNode: "nowy", Name: "Nowy", NodeKind: org.KindUnit, Code: "KS-01"}, org.ECONFLICT},
		{"moving under an entity", org.Change{Kind: org.ChangeMove, Node: "KS-01", Under: "bip"}, org.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := org.ApplyChanges(storetest.MustSeed(t), org.Scenario{ID: "s", Changes: []org.Change{tc.c}})
			if org.ErrorCode(err) != tc.code {
				t.Errorf("got %v, want %s", err, tc.code)
			}
		})
	}
}
