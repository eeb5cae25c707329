// Package storetest is the contract every org.Store passes: the same
// questions, with golden answers taken from the text of ordinance 3468/2024.
// A store's test calls Run with a function that opens a fresh, empty store,
// and RunScenarios with a Harness that also says how scenario graphs are
// held and how the store is reopened. The package imports no store.
package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/seed"
)

// Opener returns a fresh, empty store; it closes it with t.Cleanup.
type Opener func(t *testing.T) org.Store

// Run runs the whole contract against the stores open makes.
func Run(t *testing.T, open Opener) {
	t.Run("loading", func(t *testing.T) { testLoading(t, open) })
	t.Run("look-ups", func(t *testing.T) { testLookups(t, MustOpenSeeded(t, open)) })
	t.Run("traversals", func(t *testing.T) { testTraversals(t, MustOpenSeeded(t, open)) })
	t.Run("questions", func(t *testing.T) { testQuestions(t, MustOpenSeeded(t, open)) })
	t.Run("pages", func(t *testing.T) { testPages(t, open) })
}

// MustOpenSeeded opens a store and loads the shipped seed into it.
func MustOpenSeeded(t *testing.T, open Opener) org.Store {
	t.Helper()
	s := open(t)
	if err := s.Load(context.Background(), MustSeed(t)); err != nil {
		t.Fatalf("load seed: %v", err)
	}
	return s
}

// MustSeed returns the shipped seed graph.
func MustSeed(tb testing.TB) *org.Graph {
	tb.Helper()
	g, err := seed.Graph()
	if err != nil {
		tb.Fatalf("seed: %v", err)
	}
	return g
}

func testLoading(t *testing.T, open Opener) {
	ctx := context.Background()
	t.Run("an empty store says so", func(t *testing.T) {
		s := open(t)
		if empty, err := s.Empty(ctx); err != nil || !empty {
			t.Fatalf("Empty() = %v, %v; want true, nil", empty, err)
		}
	})
	t.Run("loading the seed twice changes nothing", func(t *testing.T) {
		s := open(t)
		g := MustSeed(t)
		for i := range 2 {
			if err := s.Load(ctx, g); err != nil {
				t.Fatalf("load %d: %v", i+1, err)
			}
			nodes, rels, duties := mustCount(t, s)
			if nodes != len(g.Nodes) || rels != len(g.Relations) || duties != len(g.Duties) {
				t.Fatalf("after load %d: got %d nodes, %d relations, %d duties; want %d, %d, %d",
					i+1, nodes, rels, duties, len(g.Nodes), len(g.Relations), len(g.Duties))
			}
		}
		if empty, err := s.Empty(ctx); err != nil || empty {
			t.Fatalf("Empty() = %v, %v; want false, nil", empty, err)
		}
	})
	t.Run("a broken graph is refused and nothing of it is written", func(t *testing.T) {
		s := open(t)
		g := MustSeed(t)
		g.Relations = append(g.Relations, org.Relation{
			ID: "broken", Kind: org.ReportsTo, From: "KS-01", To: "nobody", Seq: 1 << 20,
			Source: org.Provenance{Document: "3468/2024", Provision: "§ 3 ust. 1 pkt 3", Basis: org.Stated},
		})
		err := s.Load(ctx, g)
		if code := org.ErrorCode(err); code != org.EINVALID {
			t.Fatalf("load: got code %q (%v), want %q", code, err, org.EINVALID)
		}
		if empty, err := s.Empty(ctx); err != nil || !empty {
			t.Fatalf("after a refused load Empty() = %v, %v; want true, nil", empty, err)
		}
	})
	t.Run("a load that would break the stored graph is refused", func(t *testing.T) {
		s := open(t)
		if err := s.Load(ctx, MustSeed(t)); err != nil {
			t.Fatal(err)
		}
		g := &org.Graph{Relations: []org.Relation{{
			ID: "dangling", Kind: org.CooperatesWith, Strength: org.Plain, From: "KS-01", To: "KS-99", Seq: 1 << 20,
			Source: org.Provenance{Document: "3468/2024", Provision: "§ 4 pkt 3", Basis: org.Stated},
		}}}
		if code := org.ErrorCode(s.Load(ctx, g)); code != org.EINVALID {
			t.Fatalf("got code %q, want %q", code, org.EINVALID)
		}
		if _, rels, _ := mustCount(t, s); rels != len(MustSeed(t).Relations) {
			t.Fatalf("got %d relations after the refused load, want %d", rels, len(MustSeed(t).Relations))
		}
	})
}

func mustCount(t *testing.T, s org.Store) (nodes, relations, duties int) {
	t.Helper()
	ctx := context.Background()
	ns, err := s.FindNodes(ctx, org.NodeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := s.FindRelations(ctx, org.RelationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := s.FindDuties(ctx, org.DutyFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(ns), len(rs), len(ds)
}

func testLookups(t *testing.T, s org.Store) {
	ctx := context.Background()
	t.Run("units come in the order of § 2 with their names", func(t *testing.T) {
		units, err := s.FindNodes(ctx, org.NodeFilter{Kinds: []org.NodeKind{org.KindUnit}})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			"KS Wydział Komunikacji Społecznej",
			"KS-01 Referat ds. Organizacyjnych",
			"KS-02 Biuro Prasowe",
			"KS-03 Referat Mediów Miejskich",
			"KS-04 Referat Zarządzania Marką Kraków",
			"KS-05 Referat Kampanii Informacyjno-Promocyjnych Miasta",
			"KS-06 Samodzielne stanowisko Rzecznika Prezydenta Miasta Krakowa",
			"KS-07 Referat ds. Wydawnictw i Publikacji",
			"departament Departament",
		}
		var got []string
		for _, u := range units {
			got = append(got, u.ID+" "+u.Name)
		}
		assertEqual(t, got, want)
	})
	t.Run("a unit is found by its code and a position by its id", func(t *testing.T) {
		u, err := s.FindNodeByCode(ctx, "KS-07")
		if err != nil || u.ID != "KS-07" || u.Source.Provision != "§ 2 pkt 7" {
			t.Fatalf("FindNodeByCode(KS-07) = %+v, %v", u, err)
		}
		p, err := s.FindNodeByID(ctx, "zastepca-dyrektora-ds-mediow-miejskich")
		if err != nil || p.Name != "Zastępca Dyrektora ds. Mediów Miejskich" || p.Kind != org.KindPosition {
			t.Fatalf("FindNodeByID = %+v, %v", p, err)
		}
	})
	t.Run("unknown codes and ids are not found", func(t *testing.T) {
		if _, err := s.FindNodeByCode(ctx, "KS-99"); org.ErrorCode(err) != org.ENOTFOUND {
			t.Fatalf("FindNodeByCode(KS-99): got %v, want not found", err)
		}
		if _, err := s.FindNodeByID(ctx, "nobody"); org.ErrorCode(err) != org.ENOTFOUND {
			t.Fatalf("FindNodeByID(nobody): got %v, want not found", err)
		}
	})
	t.Run("FindNodes by ids keeps seed order and ignores unknown ids", func(t *testing.T) {
		ns, err := s.FindNodes(ctx, org.NodeFilter{IDs: []string{"prezydent", "KS-02", "nobody", "KS-01"}})
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, ids(ns), []string{"KS-01", "KS-02", "prezydent"})
	})
	t.Run("each unit holds the duties its paragraph lists", func(t *testing.T) {
		// § 4–§ 11: items, plus letters and dashes (§ 7: 2 a–b, 2 b two dashes, 5 a–c; § 8: 3 a–c; § 11: 6 a–c).
		want := map[string]int{"KS-01": 19, "KS-02": 18, "KS-03": 17, "KS-04": 16 + 5 + 2, "KS-05": 7 + 3, "KS-06": 8, "KS-07": 15, "KS": 24 + 3}
		for unit, n := range want {
			ds, err := s.FindDuties(ctx, org.DutyFilter{Units: []string{unit}})
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != n {
				t.Errorf("%s: got %d duties, want %d", unit, len(ds), n)
			}
		}
		common := true
		ds, err := s.FindDuties(ctx, org.DutyFilter{Common: &common})
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 27 || ds[0].Source.Provision != "§ 11 pkt 1" {
			t.Errorf("common duties: got %d starting at %q, want 27 starting at § 11 pkt 1", len(ds), ds[0].Source.Provision)
		}
	})
	t.Run("a letter's duty names its item as parent and keeps its text", func(t *testing.T) {
		ds, err := s.FindDuties(ctx, org.DutyFilter{IDs: []string{"3468/2024 § 7 pkt 2 lit. b tiret 2"}})
		if err != nil || len(ds) != 1 {
			t.Fatalf("got %v, %v", ds, err)
		}
		d := ds[0]
		if d.Parent != "3468/2024 § 7 pkt 2 lit. b" || d.Level != org.LevelDash || d.Unit != "KS-04" ||
			!strings.HasPrefix(d.Text, "akceptacja projektów graficznych") {
			t.Fatalf("got %+v", d)
		}
	})
	t.Run("relations are filtered by both ends and kind", func(t *testing.T) {
		rs, err := s.FindRelations(ctx, org.RelationFilter{From: []string{"KS-02"}, To: []string{"KS-06"}, Kinds: []org.RelationKind{org.CooperatesWith}})
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 || rs[0].Source.Provision != "§ 5 pkt 9" || rs[0].Strength != org.Close || rs[0].Duty != "3468/2024 § 5 pkt 9" {
			t.Fatalf("got %+v", rs)
		}
	})
	t.Run("documents carry the act's metadata and repairs", func(t *testing.T) {
		docs, err := s.FindDocuments(ctx)
		if err != nil || len(docs) != 1 {
			t.Fatalf("got %v, %v", docs, err)
		}
		d := docs[0]
		if d.ID != "3468/2024" || d.Date != "2024-12-30" || d.Effective != "2025-01-01" ||
			!slices.Equal(d.Repeals, []string{"1837/2023"}) || !strings.Contains(d.Text, "ZARZĄDZENIE NR 3468/2024") {
			t.Fatalf("got %+v", d)
		}
		if !slices.ContainsFunc(d.Repairs, func(r org.Repair) bool { return r.Where == "§ 10 pkt 15" }) {
			t.Errorf("repairs do not name § 10 pkt 15: %+v", d.Repairs)
		}
	})
}

// chainOf is the chain of command from the node ref names, ENOTFOUND when
// there is none.
func chainOf(ctx context.Context, s org.Store, ref string) (org.Path, error) {
	ps, err := s.ChainsOfCommand(ctx, org.NodeFilter{Ref: ref})
	if err != nil {
		return org.Path{}, err
	}
	if len(ps) == 0 {
		return org.Path{}, org.Errorf(org.ENOTFOUND, "no node %q", ref)
	}
	if len(ps) > 1 {
		return org.Path{}, fmt.Errorf("%d chains for one reference", len(ps))
	}
	return ps[0], nil
}

func testTraversals(t *testing.T, s org.Store) {
	ctx := context.Background()
	t.Run("the reporting chain from KS-07 climbs § 3 ust. 2 and ust. 1, then the inferred links", func(t *testing.T) {
		p, err := chainOf(ctx, s, "KS-07")
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, steps(p), []string{
			"KS-07 REPORTS_TO zastepca-dyrektora-ds-mediow-miejskich (§ 3 ust. 2 pkt 2, STATED)",
			"zastepca-dyrektora-ds-mediow-miejskich REPORTS_TO dyrektor-wydzialu (§ 3 ust. 1 pkt 1, STATED)",
			"dyrektor-wydzialu REPORTS_TO dyrektor-departamentu (§ 4 pkt 2, INFERRED)",
			"dyrektor-departamentu REPORTS_TO zastepca-prezydenta (§ 11 pkt 24, INFERRED)",
			"zastepca-prezydenta REPORTS_TO prezydent (§ 11 pkt 24, INFERRED)",
		})
	})
	t.Run("the reporting chain from KS-06 is one step to the President", func(t *testing.T) {
		p, err := chainOf(ctx, s, "KS-06")
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, steps(p), []string{"KS-06 REPORTS_TO prezydent (§ 3 ust. 4, STATED)"})
	})
	t.Run("the President's chain is the President alone", func(t *testing.T) {
		p, err := chainOf(ctx, s, "prezydent")
		if err != nil || len(p.Nodes) != 1 || len(p.Links) != 0 {
			t.Fatalf("got %+v, %v", p, err)
		}
	})
	t.Run("an unknown start is not found", func(t *testing.T) {
		if _, err := chainOf(ctx, s, "KS-99"); org.ErrorCode(err) != org.ENOTFOUND {
			t.Fatalf("got %v, want not found", err)
		}
	})
	for _, tc := range []struct {
		of       string
		maxDepth int
		want     []string
	}{
		{"zastepca-dyrektora-ds-mediow-miejskich", 0, []string{"1 KS-03", "1 KS-07"}},
		{"zastepca-dyrektora-ds-promocji", 0, []string{"1 KS-04", "1 KS-05"}},
		{"dyrektor-wydzialu", 1, []string{"1 KS-01", "1 KS-02", "1 zastepca-dyrektora-ds-mediow-miejskich", "1 zastepca-dyrektora-ds-promocji"}},
		{"dyrektor-wydzialu", 0, []string{"1 KS-01", "1 KS-02", "1 zastepca-dyrektora-ds-mediow-miejskich", "1 zastepca-dyrektora-ds-promocji", "2 KS-03", "2 KS-04", "2 KS-05", "2 KS-07"}},
		{"prezydent", 1, []string{"1 KS-06", "1 zastepca-prezydenta"}},
		{"KS-07", 0, nil},
	} {
		t.Run(fmt.Sprintf("subordinates of %s to depth %d follow § 3", tc.of, tc.maxDepth), func(t *testing.T) {
			subs, err := s.Subordinates(ctx, tc.of, tc.maxDepth)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, sub := range subs {
				got = append(got, fmt.Sprintf("%d %s", sub.Depth, sub.Node.ID))
			}
			assertEqual(t, got, tc.want)
		})
	}
	t.Run("subordinates of an unknown node are not found", func(t *testing.T) {
		if _, err := s.Subordinates(ctx, "nobody", 0); org.ErrorCode(err) != org.ENOTFOUND {
			t.Fatalf("got %v, want not found", err)
		}
	})
	t.Run("the shortest reporting path between KS-03 and KS-04 goes through both deputies", func(t *testing.T) {
		p, err := s.ShortestPath(ctx, "KS-03", "KS-04", []org.RelationKind{org.ReportsTo})
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, ids(p.Nodes), []string{"KS-03", "zastepca-dyrektora-ds-mediow-miejskich", "dyrektor-wydzialu", "zastepca-dyrektora-ds-promocji", "KS-04"})
		if !p.Links[2].Reversed || p.Links[0].Reversed {
			t.Errorf("got reversed flags %v, %v; want false then true on the way down", p.Links[0].Reversed, p.Links[2].Reversed)
		}
	})
	t.Run("over cooperation KS-03 and KS-04 are one step apart, by the least relation id", func(t *testing.T) {
		p, err := s.ShortestPath(ctx, "KS-03", "KS-04", []org.RelationKind{org.CooperatesWith})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Links) != 1 {
			t.Fatalf("got %d links, want 1", len(p.Links))
		}
		rs, _ := s.FindRelations(ctx, org.RelationFilter{Kinds: []org.RelationKind{org.CooperatesWith}})
		least := ""
		for _, r := range rs {
			if (r.From == "KS-03" && r.To == "KS-04") || (r.From == "KS-04" && r.To == "KS-03") {
				if least == "" || r.ID < least {
					least = r.ID
				}
			}
		}
		if p.Links[0].Relation.ID != least {
			t.Errorf("got relation %q, want %q", p.Links[0].Relation.ID, least)
		}
	})
	t.Run("a path to itself has no links", func(t *testing.T) {
		p, err := s.ShortestPath(ctx, "KS-01", "KS-01", nil)
		if err != nil || len(p.Nodes) != 1 || len(p.Links) != 0 {
			t.Fatalf("got %+v, %v", p, err)
		}
	})
	t.Run("no path over the chosen kinds is not found", func(t *testing.T) {
		_, err := s.ShortestPath(ctx, "KS-01", "prezydent", []org.RelationKind{org.Runs})
		if org.ErrorCode(err) != org.ENOTFOUND {
			t.Fatalf("got %v, want not found", err)
		}
	})
	t.Run("search folds diacritics and matches word starts", func(t *testing.T) {
		hits, err := s.Search(ctx, "konferencji prasowych", 0)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, hitIDs(hits), []string{"3468/2024 § 5 pkt 6", "3468/2024 § 9 pkt 3"})
		hits, err = s.Search(ctx, "KONFERENCJI PRASOWYCH", 1)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, hitIDs(hits), []string{"3468/2024 § 5 pkt 6"})
	})
	t.Run("search without diacritics finds the text with them", func(t *testing.T) {
		hits, err := s.Search(ctx, "scisla wspolpraca", 0)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, hitIDs(hits), []string{
			"3468/2024 § 5 pkt 9", "3468/2024 § 6 pkt 16", "3468/2024 § 7 pkt 7", "3468/2024 § 7 pkt 15",
			"3468/2024 § 8 pkt 6", "3468/2024 § 9 pkt 7", "3468/2024 § 10 pkt 14",
		})
	})
	t.Run("search finds names as well as duties, names first", func(t *testing.T) {
		hits, err := s.Search(ctx, "rzecznik", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 || hits[0].Node == nil || hits[0].Node.ID != "KS-06" {
			t.Fatalf("got %v, want KS-06 first", hitIDs(hits))
		}
	})
	t.Run("a search with no word is invalid", func(t *testing.T) {
		if _, err := s.Search(ctx, " ,.; ", 0); org.ErrorCode(err) != org.EINVALID {
			t.Fatalf("got %v, want invalid", err)
		}
	})
}

func testQuestions(t *testing.T, s org.Store) {
	ctx := context.Background()
	svc := org.NewService(s)
	t.Run("the chain of command from KS-07 reaches the President with every provision", func(t *testing.T) {
		p, err := svc.ChainOfCommand(ctx, "ks-07")
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, ids(p.Nodes), []string{"KS-07", "zastepca-dyrektora-ds-mediow-miejskich", "dyrektor-wydzialu", "dyrektor-departamentu", "zastepca-prezydenta", "prezydent"})
	})
	t.Run("the chain of command from the department climbs from its head", func(t *testing.T) {
		p, err := svc.ChainOfCommand(ctx, "KS")
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, steps(p)[:1], []string{"dyrektor-wydzialu HEADS KS (§ 1 ust. 1, STATED)"})
		assertEqual(t, ids(p.Nodes), []string{"KS", "dyrektor-wydzialu", "dyrektor-departamentu", "zastepca-prezydenta", "prezydent"})
	})
	t.Run("the spokesperson's post climbs through its unit, KS-06", func(t *testing.T) {
		p, err := svc.ChainOfCommand(ctx, "rzecznik-prezydenta")
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, ids(p.Nodes), []string{"rzecznik-prezydenta", "KS-06", "prezydent"})
	})
	t.Run("cooperation with KS-06: five units declare it, KS-06 declares it with six", func(t *testing.T) {
		coops, err := svc.Cooperation(ctx, "KS-06", []org.NodeKind{org.KindUnit}, org.Close)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range coops {
			got = append(got, fmt.Sprintf("%s declared by %s (%s)", c.Partner.ID, c.Relation.From, c.Relation.Source.Provision))
		}
		assertEqual(t, got, []string{
			"KS-01 declared by KS-06 (§ 9 pkt 7)",
			"KS-02 declared by KS-06 (§ 9 pkt 7)", "KS-02 declared by KS-02 (§ 5 pkt 9)",
			"KS-03 declared by KS-06 (§ 9 pkt 7)", "KS-03 declared by KS-03 (§ 6 pkt 16)",
			"KS-04 declared by KS-06 (§ 9 pkt 7)", "KS-04 declared by KS-04 (§ 7 pkt 15)",
			"KS-05 declared by KS-06 (§ 9 pkt 7)", "KS-05 declared by KS-05 (§ 8 pkt 6)",
			"KS-07 declared by KS-06 (§ 9 pkt 7)", "KS-07 declared by KS-07 (§ 10 pkt 14)",
		})
	})
	for _, tc := range []struct {
		unit string
		want []string
	}{
		{"KS-02", []string{
			"prezydent § 5 pkt 18 in line", "dyrektor-wydzialu § 5 pkt 18 in line", "zastepca-dyrektora-ds-mediow-miejskich § 5 pkt 18 outside",
			"prezydent § 11 pkt 24 in line", "zastepca-prezydenta § 11 pkt 24 in line", "dyrektor-wydzialu § 11 pkt 24 in line",
			"zastepca-dyrektora-ds-mediow-miejskich § 11 pkt 24 outside", "zastepca-dyrektora-ds-promocji § 11 pkt 24 outside",
		}},
		{"KS-07", []string{
			"prezydent § 10 pkt 15 in line", "dyrektor-wydzialu § 10 pkt 15 in line",
			"prezydent § 11 pkt 24 in line", "zastepca-prezydenta § 11 pkt 24 in line", "dyrektor-wydzialu § 11 pkt 24 in line",
			"zastepca-dyrektora-ds-mediow-miejskich § 11 pkt 24 in line", "zastepca-dyrektora-ds-promocji § 11 pkt 24 outside",
		}},
	} {
		t.Run("who may task "+tc.unit+", and whether each stands in its reporting line", func(t *testing.T) {
			ts, err := svc.Taskers(ctx, tc.unit)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range ts {
				line := "outside"
				if x.InReportingLine {
					line = "in line"
				}
				got = append(got, fmt.Sprintf("%s %s %s", x.By.ID, x.Relation.Source.Provision, line))
			}
			assertEqual(t, got, tc.want)
		})
	}
	t.Run("span of control of the Director: four direct, eight in all, two layers", func(t *testing.T) {
		sp, err := svc.SpanOfControl(ctx, "dyrektor-wydzialu")
		if err != nil {
			t.Fatal(err)
		}
		if sp.Direct != 4 || sp.Total != 8 || sp.Layers != 2 {
			t.Fatalf("got direct %d, total %d, layers %d; want 4, 8, 2", sp.Direct, sp.Total, sp.Layers)
		}
	})
	t.Run("overlapping duties are found from the text", func(t *testing.T) {
		ov, err := svc.Overlaps(ctx, org.OverlapOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, o := range ov {
			got = append(got, o.A.Source.Provision+" ~ "+o.B.Source.Provision)
		}
		for _, want := range []string{
			"§ 5 pkt 6 ~ § 9 pkt 3",   // press conferences of the President
			"§ 5 pkt 7 ~ § 9 pkt 4",   // meetings with journalists
			"§ 6 pkt 12 ~ § 10 pkt 7", // monitoring the portals of city units
			"§ 4 pkt 11 ~ § 7 pkt 9",  // warehouses
			"§ 7 pkt 6 ~ § 8 pkt 2",   // own promotional initiatives
			"§ 5 pkt 5 ~ § 9 pkt 1",   // integrating the President's information policy
		} {
			if !slices.Contains(got, want) {
				t.Errorf("overlaps lack %s; got %v", want, got)
			}
		}
	})
	t.Run("the org chart hangs every unit and position under the President", func(t *testing.T) {
		c, err := svc.OrgChart(ctx, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		parents := map[string]string{}
		for _, n := range c.Nodes {
			parents[n.Node.ID] = n.ParentID
		}
		want := map[string]string{
			"prezydent": "", "zastepca-prezydenta": "prezydent", "KS-06": "prezydent", "rzecznik-prezydenta": "KS-06",
			"dyrektor-departamentu": "zastepca-prezydenta", "departament": "dyrektor-departamentu",
			"dyrektor-wydzialu": "dyrektor-departamentu", "KS": "dyrektor-wydzialu",
			"KS-01": "dyrektor-wydzialu", "KS-02": "dyrektor-wydzialu",
			"zastepca-dyrektora-ds-mediow-miejskich": "dyrektor-wydzialu", "zastepca-dyrektora-ds-promocji": "dyrektor-wydzialu",
			"KS-03": "zastepca-dyrektora-ds-mediow-miejskich", "KS-07": "zastepca-dyrektora-ds-mediow-miejskich",
			"KS-04": "zastepca-dyrektora-ds-promocji", "KS-05": "zastepca-dyrektora-ds-promocji",
		}
		if len(parents) != len(want) {
			t.Errorf("got %d boxes, want %d: %v", len(parents), len(want), parents)
		}
		for id, p := range want {
			if got, ok := parents[id]; !ok || got != p {
				t.Errorf("parent of %s: got %q, want %q", id, got, p)
			}
		}
		if len(c.Links) == 0 {
			t.Error("the chart has no cooperation or tasking links")
		}
	})
}

func steps(p org.Path) []string {
	var out []string
	for _, l := range p.Links {
		r := l.Relation
		out = append(out, fmt.Sprintf("%s %s %s (%s, %s)", r.From, r.Kind, r.To, r.Source.Provision, r.Source.Basis))
	}
	return out
}

func ids(ns []org.Node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

func hitIDs(hits []org.SearchHit) []string {
	var out []string
	for _, h := range hits {
		if h.Node != nil {
			out = append(out, h.Node.ID)
		} else {
			out = append(out, h.Duty.ID)
		}
	}
	return out
}

func assertEqual(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
