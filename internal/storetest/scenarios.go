package storetest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/org"
)

// Harness is what a store's tests hand the scenario suite, as gocloud.dev's
// docstore/drivertest takes one: the suite imports no store of its own.
type Harness struct {
	// Open returns a fresh, empty store that also implements
	// org.ScenarioStore; it closes it with t.Cleanup.
	Open Opener
	// Overlay holds a scenario's graph in a store of its own, to answer the
	// questions asked of the scenario (org.Service.Overlay); the server uses
	// memstore.Overlay whichever store keeps the baseline.
	Overlay func(context.Context, *org.Graph) (org.Store, error)
	// Reopen returns a new store over what s keeps, as after a restart. Nil
	// for a store that keeps nothing past its life: the suite then leaves out
	// what needs a reopen.
	Reopen func(t *testing.T, s org.Store) org.Store
}

// RunScenarios runs the scenario part of the contract against the stores
// h opens, with scenario graphs held by h.Overlay, as the server does.
func RunScenarios(t *testing.T, h Harness) {
	if h.Open == nil || h.Overlay == nil {
		t.Fatal("storetest: the harness needs Open and Overlay")
	}
	scenarioStore := func(t *testing.T, s org.Store) org.ScenarioStore {
		t.Helper()
		ss, ok := s.(org.ScenarioStore)
		if !ok {
			t.Fatalf("%T does not keep scenarios", s)
		}
		return ss
	}
	seeded := func(t *testing.T) (org.ScenarioStore, *org.Service) {
		s := MustOpenSeeded(t, h.Open)
		return scenarioStore(t, s), &org.Service{Store: s, Overlay: h.Overlay}
	}
	empty := func(t *testing.T) org.ScenarioStore { return scenarioStore(t, h.Open(t)) }
	loaded := func(t *testing.T, g *org.Graph) org.ScenarioStore {
		t.Helper()
		s := h.Open(t)
		if err := s.Load(Owner, g); err != nil {
			t.Fatal(err)
		}
		return scenarioStore(t, s)
	}
	// The service's calls are an admin's, who may do all a planner may
	// too; who may do what is RunRoles' part of the contract.
	ctx := Owner

	t.Run("scenarios are created, found, listed, updated and deleted", func(t *testing.T) {
		ss, _ := seeded(t)
		at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
		a := org.Scenario{ID: "a", Name: "A", Owner: "planner", Version: 1, CreatedAt: at, UpdatedAt: at,
			Changes: []org.Change{{ID: "c1", Kind: org.ChangeMove, Node: "KS-07", Under: "zastepca-dyrektora-ds-promocji", Note: "why"}}}
		b := org.Scenario{ID: "b", Name: "B", Version: 1, CreatedAt: at.Add(time.Second), UpdatedAt: at}
		for _, sc := range []org.Scenario{b, a} {
			if err := ss.CreateScenario(ctx, sc); err != nil {
				t.Fatal(err)
			}
		}
		if err := ss.CreateScenario(ctx, a); org.ErrorCode(err) != org.ECONFLICT {
			t.Errorf("a second scenario with id a: got %v, want conflict", err)
		}
		got, err := ss.FindScenarioByID(ctx, "a")
		if err != nil || !sameScenario(got, a) {
			t.Fatalf("got %+v, %v; want %+v", got, err, a)
		}
		list, err := ss.FindScenarios(ctx)
		if err != nil || len(list) != 2 || list[0].ID != "a" || list[1].ID != "b" {
			t.Fatalf("FindScenarios: got %v, %v; want a, b by creation", list, err)
		}
		a.Name = "A2"
		if err := ss.UpdateScenario(ctx, a, 1); err != nil {
			t.Fatal(err)
		}
		if err := ss.UpdateScenario(ctx, a, 1); org.ErrorCode(err) != org.ECONFLICT {
			t.Errorf("a stale update: got %v, want conflict", err)
		}
		got, _ = ss.FindScenarioByID(ctx, "a")
		if got.Name != "A2" || got.Version != 2 {
			t.Errorf("after update: got name %q version %d, want A2, 2", got.Name, got.Version)
		}
		if err := ss.DeleteScenario(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		for _, err := range []error{ss.DeleteScenario(ctx, "a"), ss.UpdateScenario(ctx, a, 2)} {
			if org.ErrorCode(err) != org.ENOTFOUND {
				t.Errorf("got %v, want not found", err)
			}
		}
		if _, err := ss.FindScenarioByID(ctx, "a"); org.ErrorCode(err) != org.ENOTFOUND {
			t.Errorf("got %v, want not found", err)
		}
	})

	t.Run("of two planners updating the same version, one wins", func(t *testing.T) {
		ss, _ := seeded(t)
		sc := org.Scenario{ID: "race", Name: "race", Version: 1, CreatedAt: time.Now().UTC(), UpdatedAt: time.Now().UTC()}
		if err := ss.CreateScenario(ctx, sc); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := sc
				c.Name = fmt.Sprintf("planner %d", i)
				errs[i] = ss.UpdateScenario(ctx, c, 1)
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch org.ErrorCode(err) {
			case "":
				won++
			case org.ECONFLICT:
			default:
				t.Errorf("got %v", err)
			}
		}
		if won != 1 {
			t.Errorf("got %d winners, want 1", won)
		}
	})

	t.Run("the snapshot is the loaded seed", func(t *testing.T) {
		ss, _ := seeded(t)
		g, err := ss.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		seed := MustSeed(t)
		if len(g.Nodes) != len(seed.Nodes) || len(g.Relations) != len(seed.Relations) || len(g.Duties) != len(seed.Duties) ||
			len(g.Documents) != 1 || g.Documents[0].Text != seed.Documents[0].Text || len(g.Documents[0].Repairs) != len(seed.Documents[0].Repairs) {
			t.Fatalf("snapshot: %d nodes, %d relations, %d duties; want %d, %d, %d",
				len(g.Nodes), len(g.Relations), len(g.Duties), len(seed.Nodes), len(seed.Relations), len(seed.Duties))
		}
	})

	moveKS07 := org.Change{Kind: org.ChangeMove, Node: "KS-07", Under: "zastepca-dyrektora-ds-promocji"}
	removeDeputy := org.Change{Kind: org.ChangeRemove, Node: "zastepca-dyrektora-ds-mediow-miejskich"}

	t.Run("a scenario's view follows its edits and the baseline, whatever was read before", func(t *testing.T) {
		_, svc := seeded(t)
		sc := mustScenario(t, svc, moveKS07)
		chainIn := func(id, from string) []string {
			t.Helper()
			view, err := svc.View(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			p, err := view.ChainOfCommand(ctx, from)
			if err != nil {
				t.Fatal(err)
			}
			return ids(p.Nodes)[:2]
		}
		for range 2 { // asked twice: the second answer may come from what the first kept
			assertEqual(t, chainIn(sc.ID, "KS-07"), []string{"KS-07", "zastepca-dyrektora-ds-promocji"})
			assertEqual(t, chainIn(sc.ID, "KS-03"), []string{"KS-03", "zastepca-dyrektora-ds-mediow-miejskich"})
		}
		// An edit of the scenario: its view follows.
		if _, err := svc.AddChange(ctx, sc.ID, org.Change{Kind: org.ChangeMove, Node: "KS-03", Under: "zastepca-dyrektora-ds-promocji"}); err != nil {
			t.Fatal(err)
		}
		assertEqual(t, chainIn(sc.ID, "KS-03"), []string{"KS-03", "zastepca-dyrektora-ds-promocji"})
		// Another scenario applied: the baseline changes under the first, whose view follows too.
		other := mustScenario(t, svc, org.Change{Kind: org.ChangeMove, Node: "KS-01", Under: "zastepca-dyrektora-ds-promocji"})
		assertEqual(t, chainIn(sc.ID, "KS-01"), []string{"KS-01", "dyrektor-wydzialu"})
		if _, err := ApplyApproved(ctx, svc, other.ID); err != nil {
			t.Fatal(err)
		}
		assertEqual(t, chainIn(sc.ID, "KS-01"), []string{"KS-01", "zastepca-dyrektora-ds-promocji"})
		im, err := svc.Impact(ctx, sc.ID, org.Rules{})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range im.Moved {
			if m.Node.ID == "KS-01" {
				t.Errorf("the impact still compares with the baseline before the apply: KS-01 moved")
			}
		}
	})

	t.Run("moving KS-07 under the Deputy for Promotion: its chain, spans, tasking and cooperation", func(t *testing.T) {
		_, svc := seeded(t)
		sc := mustScenario(t, svc, moveKS07)
		view, err := svc.View(ctx, sc.ID)
		if err != nil {
			t.Fatal(err)
		}
		p, err := view.ChainOfCommand(ctx, "KS-07")
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, ids(p.Nodes), []string{"KS-07", "zastepca-dyrektora-ds-promocji", "dyrektor-wydzialu", "dyrektor-departamentu", "zastepca-prezydenta", "prezydent"})
		if p.Links[0].Relation.Source.Basis != org.Planned {
			t.Errorf("the moved link's basis: got %s, want PLANNED", p.Links[0].Relation.Source.Basis)
		}
		im, err := svc.Impact(ctx, sc.ID, org.Rules{MaxSpan: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(im.Moved) != 1 || im.Moved[0].Node.ID != "KS-07" || im.Moved[0].Before.ID != "zastepca-dyrektora-ds-mediow-miejskich" || im.Moved[0].After.ID != "zastepca-dyrektora-ds-promocji" {
			t.Errorf("moved: got %+v", im.Moved)
		}
		if len(im.CutOff) != 0 || len(im.Removed) != 0 || len(im.UnownedDuties) != 0 {
			t.Errorf("got cut off %v, removed %v, unowned %d; want none", ids(im.CutOff), ids(im.Removed), len(im.UnownedDuties))
		}
		spans := map[string]string{}
		for _, s := range im.Spans {
			spans[s.After.Node.ID] = fmt.Sprintf("%d→%d", s.Before.Direct, s.After.Direct)
		}
		if spans["zastepca-dyrektora-ds-mediow-miejskich"] != "2→1" || spans["zastepca-dyrektora-ds-promocji"] != "2→3" {
			t.Errorf("spans: got %v", spans)
		}
		var outside []string
		for _, o := range im.TaskingOutside {
			if o.New {
				outside = append(outside, o.Tasking.By.ID+">"+o.Tasking.Unit.ID+" "+o.Tasking.Relation.Source.Provision)
			}
		}
		assertEqual(t, outside, []string{"zastepca-dyrektora-ds-mediow-miejskich>KS-07 § 11 pkt 24"})
		var split []string
		for _, c := range im.CooperationSplits {
			if c.Relation.From == "KS-03" && c.Relation.To == "KS-07" {
				split = append(split, c.Before.ID+"→"+c.After.ID)
			}
		}
		assertEqual(t, split, []string{"zastepca-dyrektora-ds-mediow-miejskich→dyrektor-wydzialu"})
		var breaches []string
		for _, b := range im.Breaches {
			breaches = append(breaches, fmt.Sprintf("%s %s %d/%d %v", b.Node.ID, b.Rule, b.Value, b.Limit, b.InBaseline))
		}
		assertEqual(t, breaches, []string{"dyrektor-wydzialu MAX_SPAN 4/2 true", "zastepca-dyrektora-ds-promocji MAX_SPAN 3/2 false"})
	})

	t.Run("removing the Deputy for City Media cuts KS-03 and KS-07 off from the President", func(t *testing.T) {
		_, svc := seeded(t)
		sc := mustScenario(t, svc, removeDeputy)
		im, err := svc.Impact(ctx, sc.ID, org.Rules{})
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, ids(im.Removed), []string{"zastepca-dyrektora-ds-mediow-miejskich"})
		assertEqual(t, ids(im.CutOff), []string{"KS-03", "KS-07"})
		for _, s := range im.Spans {
			if s.After.Node.ID == "dyrektor-wydzialu" && (s.Before.Direct != 4 || s.After.Direct != 3 || s.Before.Total != 8 || s.After.Total != 5) {
				t.Errorf("the Director's span: got %+v → %+v, want 4/8 → 3/5", s.Before, s.After)
			}
		}
	})

	t.Run("invalid changes are refused and leave the scenario as it was", func(t *testing.T) {
		_, svc := seeded(t)
		sc := mustScenario(t, svc, moveKS07)
		for _, tc := range []struct {
			name string
			c    org.Change
			code string
		}{
			{"a reporting cycle", org.Change{Kind: org.ChangeMove, Node: "dyrektor-wydzialu", Under: "KS-03"}, org.EINVALID},
			{"an unknown node", org.Change{Kind: org.ChangeMove, Node: "KS-99", Under: "dyrektor-wydzialu"}, org.ENOTFOUND},
			{"deleting the President", org.Change{Kind: org.ChangeRemove, Node: "prezydent"}, org.EINVALID},
			{"a taken id", org.Change{Kind: org.ChangeCreate, NewNode: "KS-01", Name: "x", NodeKind: org.KindUnit}, org.ECONFLICT},
			{"a duty of another unit in a split", org.Change{Kind: org.ChangeSplit, Node: "KS-01", NewNode: "KS-01b", Name: "x", Duties: []string{"3468/2024 § 5 pkt 1"}}, org.EINVALID},
			{"an unknown kind", org.Change{Kind: "TELEPORT"}, org.EINVALID},
		} {
			_, err := svc.AddChange(ctx, sc.ID, tc.c)
			if org.ErrorCode(err) != tc.code {
				t.Errorf("%s: got %v, want %s", tc.name, err, tc.code)
			}
		}
		got, err := svc.Scenario(ctx, sc.ID)
		if err != nil || got.Version != sc.Version || len(got.Changes) != 1 {
			t.Errorf("after refusals: got version %d with %d changes, want %d with 1", got.Version, len(got.Changes), sc.Version)
		}
	})

	t.Run("the baseline does not change until the scenario is applied, then atomically", func(t *testing.T) {
		ss, svc := seeded(t)
		sc := mustScenario(t, svc, moveKS07, removeDeputy)
		before, _ := svc.ChainOfCommand(ctx, "KS-03")
		assertEqual(t, ids(before.Nodes)[:2], []string{"KS-03", "zastepca-dyrektora-ds-mediow-miejskich"})
		applied, err := ApplyApproved(ctx, svc, sc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if applied.AppliedAt == nil {
			t.Error("the applied scenario has no AppliedAt")
		}
		after, err := svc.ChainOfCommand(ctx, "KS-07")
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, ids(after.Nodes)[:2], []string{"KS-07", "zastepca-dyrektora-ds-promocji"})
		if _, err := ss.(org.Store).FindNodeByID(ctx, "zastepca-dyrektora-ds-mediow-miejskich"); org.ErrorCode(err) != org.ENOTFOUND {
			t.Errorf("the removed deputy: got %v, want not found", err)
		}
		if _, err := svc.AddChange(ctx, sc.ID, moveKS07); org.ErrorCode(err) != org.EINVALID {
			t.Errorf("a change to an applied scenario: got %v, want invalid", err)
		}
		stored, _ := svc.Scenario(ctx, sc.ID)
		if stored.AppliedAt == nil {
			t.Error("the stored scenario does not record when it was applied")
		}
	})

	t.Run("a failed apply changes nothing", func(t *testing.T) {
		ss, svc := seeded(t)
		sc := mustScenario(t, svc, moveKS07)
		bad := &org.Graph{Documents: []org.Document{{ID: "x"}}, Nodes: []org.Node{{ID: "n", Kind: "NONSENSE", Name: "n"}}}
		if err := ss.ApplyScenario(ctx, bad, sc, sc.Version, Entry()); org.ErrorCode(err) != org.EINVALID {
			t.Errorf("an invalid graph: got %v, want invalid", err)
		}
		g, _ := ss.Snapshot(ctx)
		if err := ss.ApplyScenario(ctx, g, sc, sc.Version-1, Entry()); org.ErrorCode(err) != org.ECONFLICT {
			t.Errorf("a stale version: got %v, want conflict", err)
		}
		after, _ := ss.Snapshot(ctx)
		if len(after.Nodes) != len(MustSeed(t).Nodes) {
			t.Errorf("got %d nodes after failed applies, want %d", len(after.Nodes), len(MustSeed(t).Nodes))
		}
		got, _ := svc.Scenario(ctx, sc.ID)
		if got.AppliedAt != nil || got.Version != sc.Version {
			t.Errorf("the scenario changed: %+v", got)
		}
	})

	t.Run("changes are undone and reordered, and must still fit", func(t *testing.T) {
		_, svc := seeded(t)
		create := org.Change{Kind: org.ChangeCreate, NewNode: "KS-08", Name: "Referat Nowy", NodeKind: org.KindUnit, Code: "KS-08", Under: "dyrektor-wydzialu", PartOf: "KS"}
		move := org.Change{Kind: org.ChangeMove, Node: "KS-08", Under: "zastepca-dyrektora-ds-promocji"}
		sc := mustScenario(t, svc, create, move)
		if _, err := svc.MoveChange(ctx, sc.ID, sc.Changes[1].ID, 0); org.ErrorCode(err) != org.ENOTFOUND {
			t.Errorf("moving KS-08 before it exists: got %v, want not found", err)
		}
		if _, err := svc.RemoveChange(ctx, sc.ID, sc.Changes[0].ID); org.ErrorCode(err) != org.ENOTFOUND {
			t.Errorf("undoing the creation the move needs: got %v, want not found", err)
		}
		got, err := svc.RemoveChange(ctx, sc.ID, sc.Changes[1].ID)
		if err != nil || len(got.Changes) != 1 || got.Changes[0].Kind != org.ChangeCreate {
			t.Fatalf("undo the move: got %+v, %v", got.Changes, err)
		}
		third := org.Change{Kind: org.ChangeRename, Node: "KS-01", Name: "Referat Organizacyjny"}
		got, err = svc.AddChange(ctx, sc.ID, third)
		if err != nil {
			t.Fatal(err)
		}
		renamed := got.Changes[1].ID
		if renamed == sc.Changes[1].ID {
			t.Errorf("the new change reuses the id %q of an undone one", renamed)
		}
		got, err = svc.MoveChange(ctx, sc.ID, renamed, 0)
		if err != nil || got.Changes[0].ID != renamed || got.Changes[1].Kind != org.ChangeCreate {
			t.Fatalf("reorder: got %+v, %v", got.Changes, err)
		}
	})

	t.Run("planners edit at once: no change is lost and scenarios stay apart", func(t *testing.T) {
		_, svc := seeded(t)
		a := mustScenario(t, svc)
		b := mustScenario(t, svc)
		var wg sync.WaitGroup
		units := []string{"KS-01", "KS-02", "KS-03", "KS-04", "KS-05", "KS-07"}
		for i, u := range units {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id := a.ID
				if i%2 == 1 {
					id = b.ID
				}
				if _, err := svc.AddChange(ctx, id, org.Change{Kind: org.ChangeRename, Node: u, Name: "Nowa nazwa " + u}); err != nil {
					t.Errorf("%s: %v", u, err)
				}
			}()
		}
		wg.Wait()
		for _, sc := range []org.Scenario{a, b} {
			got, _ := svc.Scenario(ctx, sc.ID)
			if len(got.Changes) != 3 {
				t.Errorf("scenario %s: got %d changes, want 3", sc.ID, len(got.Changes))
			}
		}
		n, _ := svc.Store.FindNodeByID(ctx, "KS-01")
		if n.Name != "Referat ds. Organizacyjnych" {
			t.Errorf("the baseline changed: KS-01 is %q", n.Name)
		}
	})
	t.Run("a scenario comes back exactly as it was stored", func(t *testing.T) {
		ss := empty(t)
		applied := time.Date(2026, 3, 4, 5, 6, 7, 890123456, time.UTC)
		want := org.Scenario{
			ID: "full", Name: "Wszystko", Owner: "planistka", Description: "każde pole, \"cudzysłowy\" i ' apostrofy",
			Version: 7, CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC), AppliedAt: &applied,
			Status: org.StatusApplied, SharedWith: []string{"*", "olga", "vera"}, ReviewedBy: "ada", ReviewComment: "dobrze, ale \"ostrożnie\"",
			Changes: []org.Change{
				{ID: "c1", Kind: org.ChangeSplit, Node: "KS-01", Name: "Nowy", NewNode: "KS-01b", NodeKind: org.KindUnit,
					Code: "KS-01b", Type: org.UnitSection, PartOf: "KS", Duties: []string{"d1", "d2"}, Note: "bo tak"},
				{ID: "c2", Kind: org.ChangeAddCooperation, From: "KS-01", To: "KS-02", Strength: org.Close, Scope: "w zakresie"},
				{ID: "c3", Kind: org.ChangeReassignDuty, Duty: "d3", To: "KS-03", Duties: []string{}},
			},
		}
		if err := ss.CreateScenario(ctx, want); err != nil {
			t.Fatal(err)
		}
		got, err := ss.FindScenarioByID(ctx, "full")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v\nwant %+v", got, want)
		}
		// A time in another zone comes back as the same instant. (Which zone
		// it comes back in is the store's: Neo4j's tests hold it to UTC.)
		warsaw := time.FixedZone("CET", 3600)
		local := org.Scenario{ID: "local", CreatedAt: time.Date(2026, 1, 2, 4, 4, 5, 6, warsaw)}
		if err := ss.CreateScenario(ctx, local); err != nil {
			t.Fatal(err)
		}
		got, err = ss.FindScenarioByID(ctx, "local")
		if err != nil {
			t.Fatal(err)
		}
		if !got.CreatedAt.Equal(want.CreatedAt) || got.Changes != nil || got.AppliedAt != nil || !got.UpdatedAt.IsZero() {
			t.Errorf("got %+v, want created at %v, no changes, never applied, zero update time", got, want.CreatedAt)
		}
	})

	t.Run("scenarios are listed by creation, then id, and every method knows a missing one", func(t *testing.T) {
		ss := empty(t)
		if list, err := ss.FindScenarios(ctx); err != nil || len(list) != 0 {
			t.Fatalf("FindScenarios on an empty store: got %v, %v; want none", list, err)
		}
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		// Stored as text, 10:00:00.5 must still come after 10:00:00.
		for _, sc := range []org.Scenario{
			{ID: "b", CreatedAt: at}, {ID: "a", CreatedAt: at.Add(500 * time.Millisecond)},
			{ID: "c", CreatedAt: at}, {ID: "0", CreatedAt: at.Add(time.Hour)}, {ID: "z", CreatedAt: at.Add(-time.Nanosecond)},
		} {
			if err := ss.CreateScenario(ctx, sc); err != nil {
				t.Fatal(err)
			}
		}
		list, err := ss.FindScenarios(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, sc := range list {
			got = append(got, sc.ID)
		}
		if want := []string{"z", "b", "c", "a", "0"}; !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		if err := ss.CreateScenario(ctx, org.Scenario{ID: "b", Name: "again"}); org.ErrorCode(err) != org.ECONFLICT {
			t.Errorf("CreateScenario of a taken id: got %v, want code %q", err, org.ECONFLICT)
		}
		if sc, _ := ss.FindScenarioByID(ctx, "b"); sc.Name != "" {
			t.Errorf("the refused create changed the stored scenario: %+v", sc)
		}
		g, err := ss.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for what, err := range map[string]error{
			"FindScenarioByID": second(ss.FindScenarioByID(ctx, "nobody")),
			"UpdateScenario":   ss.UpdateScenario(ctx, org.Scenario{ID: "nobody"}, 0),
			"DeleteScenario":   ss.DeleteScenario(ctx, "nobody"),
			"ApplyScenario":    ss.ApplyScenario(ctx, g, org.Scenario{ID: "nobody"}, 0, Entry()),
		} {
			if org.ErrorCode(err) != org.ENOTFOUND {
				t.Errorf("%s of a missing scenario: got %v, want code %q", what, err, org.ENOTFOUND)
			}
		}
	})

	t.Run("an update stores every field at the next version, and a stale one nothing", func(t *testing.T) {
		ss := empty(t)
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		sc := org.Scenario{ID: "s", Name: "first", Owner: "o", Description: "d", Version: 3, CreatedAt: at, UpdatedAt: at,
			Changes: []org.Change{{ID: "c1", Kind: org.ChangeRename, Node: "KS-01", Name: "x"}}}
		if err := ss.CreateScenario(ctx, sc); err != nil {
			t.Fatal(err)
		}
		upd := sc
		upd.Name, upd.Owner, upd.Description, upd.UpdatedAt, upd.Version = "second", "", "", at.Add(time.Minute), 99
		upd.Changes = append(slices.Clone(sc.Changes), org.Change{ID: "c2", Kind: org.ChangeRemove, Node: "KS-02"})
		if err := ss.UpdateScenario(ctx, upd, 3); err != nil {
			t.Fatal(err)
		}
		want := upd
		want.Version = 4
		mustFindScenario(t, ss, want)
		stale := upd
		stale.Name = "lost"
		for _, version := range []int{3, 5} {
			if err := ss.UpdateScenario(ctx, stale, version); org.ErrorCode(err) != org.ECONFLICT {
				t.Errorf("an update from version %d: got %v, want code %q", version, err, org.ECONFLICT)
			}
		}
		mustFindScenario(t, ss, want)
		if err := ss.DeleteScenario(ctx, "s"); err != nil {
			t.Fatal(err)
		}
		if err := ss.DeleteScenario(ctx, "s"); org.ErrorCode(err) != org.ENOTFOUND {
			t.Errorf("a second delete: got %v, want code %q", err, org.ENOTFOUND)
		}
	})

	t.Run("of eight planners updating one version, exactly one wins and its update is kept", func(t *testing.T) {
		ss := empty(t)
		for round := range 5 {
			sc := org.Scenario{ID: fmt.Sprintf("race-%d", round), Version: 1}
			if err := ss.CreateScenario(ctx, sc); err != nil {
				t.Fatal(err)
			}
			errs := make([]error, 8)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					c := sc
					c.Name = fmt.Sprintf("planner %d", i)
					c.Changes = []org.Change{{ID: fmt.Sprintf("c%d", i), Kind: org.ChangeRename, Node: "KS-01", Name: c.Name}}
					<-start
					errs[i] = ss.UpdateScenario(ctx, c, 1)
				}()
			}
			close(start)
			wg.Wait()
			winner := -1
			for i, err := range errs {
				switch org.ErrorCode(err) {
				case "":
					if winner >= 0 {
						t.Errorf("round %d: planners %d and %d both won", round, winner, i)
					}
					winner = i
				case org.ECONFLICT:
				default:
					t.Errorf("round %d, planner %d: got %v, want nil or code %q", round, i, err, org.ECONFLICT)
				}
			}
			if winner < 0 {
				t.Fatalf("round %d: nobody won", round)
			}
			got, err := ss.FindScenarioByID(ctx, sc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if name := fmt.Sprintf("planner %d", winner); got.Version != 2 || got.Name != name || len(got.Changes) != 1 || got.Changes[0].Name != name {
				t.Errorf("round %d: got %+v, want the update of planner %d at version 2", round, got, winner)
			}
		}
	})

	t.Run("an empty store's snapshot is empty", func(t *testing.T) {
		ss := empty(t)
		if err := ss.CreateScenario(ctx, org.Scenario{ID: "not in the graph"}); err != nil {
			t.Fatal(err)
		}
		g, err := ss.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(g, &org.Graph{}) {
			t.Errorf("got %+v, want an empty graph", g)
		}
	})

	for name, g := range map[string]func() *org.Graph{"seed": func() *org.Graph { return MustSeed(t) }, "tangle": Tangle} {
		t.Run("the snapshot of the "+name+" is the loaded graph in Seq order", func(t *testing.T) {
			ss := loaded(t, g())
			got, err := ss.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			SameGraph(t, "loaded", got, InSeqOrder(g()))
			if len(got.Documents) == 0 || len(got.Documents[0].Repairs) == 0 || got.Documents[0].Text == "" && name == "seed" {
				t.Errorf("the documents lack their text or repairs: %+v", got.Documents)
			}
		})
	}

	t.Run("applying a scenario replaces the baseline exactly, and applying the seed restores it", func(t *testing.T) {
		seed := MustSeed(t)
		ss := loaded(t, seed)
		at := time.Date(2026, 2, 3, 4, 5, 6, 7, time.UTC)
		sc := org.Scenario{ID: "plan", Name: "plan", Version: 1, CreatedAt: at, UpdatedAt: at}
		if err := ss.CreateScenario(ctx, sc); err != nil {
			t.Fatal(err)
		}
		g := Reshaped(t, seed)
		sc.AppliedAt = &at
		sc.Changes = []org.Change{{ID: "c1", Kind: org.ChangeRemove, Node: "KS-05"}}
		if err := ss.ApplyScenario(ctx, g, sc, 1, Entry()); err != nil {
			t.Fatal(err)
		}
		SameGraph(t, "applied", MustSnapshot(t, ss), InSeqOrder(g))
		want := sc
		want.Version = 2
		mustFindScenario(t, ss, want)
		// The look-ups answer from the new baseline, not from what was loaded.
		s := ss.(org.Store)
		if _, err := s.FindNodeByID(ctx, "KS-05"); org.ErrorCode(err) != org.ENOTFOUND {
			t.Errorf("the removed KS-05: got %v, want not found", err)
		}
		if n, err := s.FindNodeByCode(ctx, "KS-09"); err != nil || n.Name != "Nowy Referat" {
			t.Errorf("the new KS-09: got %+v, %v", n, err)
		}
		if n, err := s.FindNodeByID(ctx, "KS-01"); err != nil || n.Name != "Referat Organizacyjny" {
			t.Errorf("the renamed KS-01: got %q, %v", n.Name, err)
		}

		// And back: applying the seed restores it exactly.
		if err := ss.ApplyScenario(ctx, seed, sc, 2, Entry()); err != nil {
			t.Fatal(err)
		}
		SameGraph(t, "restored", MustSnapshot(t, ss), InSeqOrder(MustSeed(t)))
	})

	t.Run("a refused apply changes neither the baseline nor the scenario", func(t *testing.T) {
		seed := MustSeed(t)
		ss := loaded(t, seed)
		sc := org.Scenario{ID: "plan", Name: "plan", Version: 1}
		if err := ss.CreateScenario(ctx, sc); err != nil {
			t.Fatal(err)
		}
		want := MustSnapshot(t, ss)
		g := Reshaped(t, seed)
		broken := Reshaped(t, seed)
		broken.Relations = append(broken.Relations, org.Relation{ID: "dangling", Kind: org.ReportsTo, From: "KS-09", To: "nobody",
			Source: org.Provenance{Document: "3468/2024", Provision: "§ 1", Basis: org.Stated}})
		applied := sc
		now := time.Now().UTC()
		applied.AppliedAt = &now
		for _, tc := range []struct {
			name    string
			g       *org.Graph
			version int
			code    string
		}{
			{"a broken graph", broken, 1, org.EINVALID},
			{"no graph", nil, 1, org.EINVALID},
			{"a stale version", g, 0, org.ECONFLICT},
			{"a version ahead", g, 2, org.ECONFLICT},
		} {
			if err := ss.ApplyScenario(ctx, tc.g, applied, tc.version, Entry()); org.ErrorCode(err) != tc.code {
				t.Errorf("%s: got %v, want code %q", tc.name, err, tc.code)
			}
			SameGraph(t, tc.name, MustSnapshot(t, ss), want)
			mustFindScenario(t, ss, sc)
		}
		if log, err := ss.AuditLog(ctx, 10, ""); err != nil || len(log) != 0 {
			t.Errorf("the audit log after refused applies: got %+v, %v; want it empty", log, err)
		}
	})

	t.Run("reviews, applies and loads are recorded with the revisions before and after, and the log pages", func(t *testing.T) {
		seed := MustSeed(t)
		ss := loaded(t, seed)
		rv, ok := ss.(org.Revisioner)
		if !ok {
			t.Fatalf("%T names no revisions", ss)
		}
		revision := func() string {
			t.Helper()
			r, err := rv.Revision(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		sc := org.Scenario{ID: "plan", Name: "plan", Owner: "piotr", Status: org.StatusSubmitted, Version: 1, CreatedAt: time.Now().UTC()}
		if err := ss.CreateScenario(ctx, sc); err != nil {
			t.Fatal(err)
		}
		rev0 := revision()
		approved := sc
		approved.Status, approved.ReviewedBy = org.StatusApproved, "ada"
		e1 := Entry()
		e1.Action, e1.Target, e1.Name, e1.Subject = org.AuditApprove, "plan", "plan", "ada"
		if err := ss.ReviewScenario(ctx, approved, 0, e1); org.ErrorCode(err) != org.ECONFLICT {
			t.Errorf("a review of a stale version: got %v, want conflict", err)
		}
		if err := ss.ReviewScenario(ctx, approved, 1, e1); err != nil {
			t.Fatal(err)
		}
		approved.Version = 2
		mustFindScenario(t, ss, approved)
		e1.RevisionBefore, e1.RevisionAfter = rev0, rev0

		applied := approved
		now := time.Now().UTC()
		applied.Status, applied.AppliedAt = org.StatusApplied, &now
		e2 := Entry()
		if err := ss.ApplyScenario(ctx, Reshaped(t, seed), applied, 2, e2); err != nil {
			t.Fatal(err)
		}
		rev1 := revision()
		e2.RevisionBefore, e2.RevisionAfter = rev0, rev1

		e3 := Entry()
		e3.Action, e3.Target = org.AuditImport, "3468/2024"
		bad := &org.Graph{Relations: []org.Relation{{ID: "dangling", Kind: org.ReportsTo, From: "KS-09", To: "nobody"}}}
		if err := ss.LoadAudited(ctx, bad, e3); org.ErrorCode(err) != org.EINVALID {
			t.Errorf("a load of a broken graph: got %v, want invalid", err)
		}
		if err := ss.LoadAudited(ctx, seed, e3); err != nil {
			t.Fatal(err)
		}
		rev2 := revision()
		e3.RevisionBefore, e3.RevisionAfter = rev1, rev2
		if rev1 == rev0 || rev2 == rev1 {
			t.Errorf("revisions %q, %q, %q: an apply and a load each change it", rev0, rev1, rev2)
		}
		SameGraph(t, "after a recorded load of the seed", MustSnapshot(t, ss), InSeqOrder(org.Upsert(Reshaped(t, seed), seed)))

		all := []org.AuditEntry{e1, e2, e3}
		for _, tc := range []struct {
			first int
			after string
			want  []org.AuditEntry
		}{
			{10, "", all}, {1, "", all[:1]}, {2, e1.ID, all[1:]}, {1, e2.ID, all[2:]}, {5, e3.ID, nil}, {5, "no such entry", nil},
		} {
			got, err := ss.AuditLog(ctx, tc.first, tc.after)
			if err != nil || len(got) != len(tc.want) || (len(got) > 0 && !reflect.DeepEqual(got, tc.want)) {
				t.Errorf("AuditLog(%d, %q): got %+v, %v\nwant %+v", tc.first, tc.after, got, err, tc.want)
			}
		}
	})

	t.Run("the review: draft, submitted, rejected with a comment, approved, applied once; recorded", func(t *testing.T) {
		ss, svc := seeded(t)
		planner := org.WithPrincipal(ctx, org.Principal{Subject: "piotr", Role: org.RolePlanner})
		admin := org.WithPrincipal(ctx, org.Principal{Subject: "ada", Role: org.RoleAdmin})
		sc, err := svc.CreateScenario(planner, "Referat Pierwszy", "")
		if err != nil || sc.Owner != "piotr" || sc.Status != org.StatusDraft {
			t.Fatalf("create: got %+v, %v; want a draft of piotr's", sc, err)
		}
		id := sc.ID
		must := func(sc org.Scenario, err error) org.Scenario {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			return sc
		}
		refused := func(what string, code string, _ org.Scenario, err error) {
			t.Helper()
			if org.ErrorCode(err) != code {
				t.Errorf("%s: got %v, want code %q", what, err, code)
			}
		}
		two := func(sc org.Scenario, err error) (org.Scenario, error) { return sc, err }
		sc2, err2 := two(svc.SubmitScenario(planner, id))
		refused("submitting an empty scenario", org.EINVALID, sc2, err2)
		must(svc.AddChange(planner, id, org.Change{Kind: org.ChangeRename, Node: "KS-01", Name: "Referat Pierwszy"}))
		if sc = must(svc.SubmitScenario(planner, id)); sc.Status != org.StatusSubmitted {
			t.Errorf("submitted: got %s", sc.Status)
		}
		// An edit of a submitted scenario returns it to DRAFT.
		if sc = must(svc.AddChange(planner, id, org.Change{Kind: org.ChangeRename, Node: "KS-02", Name: "Referat Drugi"})); sc.Status != org.StatusDraft {
			t.Errorf("edited after submission: got %s, want DRAFT", sc.Status)
		}
		sc2, err2 = two(svc.ApproveScenario(admin, id))
		refused("approving a draft", org.EINVALID, sc2, err2)
		must(svc.SubmitScenario(planner, id))
		sc2, err2 = two(svc.RejectScenario(admin, id, " "))
		refused("a rejection without a comment", org.EINVALID, sc2, err2)
		sc2, err2 = two(svc.ApplyScenario(admin, id))
		refused("applying a submitted scenario", org.EINVALID, sc2, err2)
		if sc = must(svc.RejectScenario(admin, id, "za wcześnie")); sc.Status != org.StatusRejected || sc.ReviewComment != "za wcześnie" || sc.ReviewedBy != "ada" {
			t.Errorf("rejected: got %+v", sc)
		}
		must(svc.SubmitScenario(planner, id))
		if sc = must(svc.ApproveScenario(admin, id)); sc.Status != org.StatusApproved || sc.ReviewedBy != "ada" || sc.ReviewComment != "" {
			t.Errorf("approved: got %+v", sc)
		}
		before, _ := ss.(org.Revisioner).Revision(ctx)
		if sc = must(svc.ApplyScenario(admin, id)); sc.Status != org.StatusApplied || sc.AppliedAt == nil {
			t.Errorf("applied: got %+v", sc)
		}
		after, _ := ss.(org.Revisioner).Revision(ctx)
		for what, err := range map[string]error{
			"applying again": second(svc.ApplyScenario(admin, id)),
			"editing":        second(svc.AddChange(planner, id, org.Change{Kind: org.ChangeRename, Node: "KS-03", Name: "Trzeci"})),
			"sharing":        second(svc.ShareScenario(planner, id, []string{"olga"})),
			"deleting":       svc.DeleteScenario(admin, id),
		} {
			if org.ErrorCode(err) != org.EINVALID {
				t.Errorf("%s an applied scenario: got %v, want invalid", what, err)
			}
		}
		if stored, err := svc.Scenario(planner, id); err != nil || stored.Status != org.StatusApplied || stored.Version != sc.Version {
			t.Errorf("the stored scenario: got %+v, %v; want it applied at version %d", stored, err, sc.Version)
		}
		log, err := svc.AuditLog(admin, 10, "")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range log {
			got = append(got, fmt.Sprintf("%s %s %s %s %q", e.Action, e.Subject, e.Role, e.Target, e.Comment))
		}
		want := []string{
			fmt.Sprintf("REJECT ada admin %s %q", id, "za wcześnie"), fmt.Sprintf("APPROVE ada admin %s %q", id, ""), fmt.Sprintf("APPLY ada admin %s %q", id, ""),
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the audit log: got %q\nwant %q", got, want)
		}
		if len(log) == 3 && (log[2].RevisionBefore != before || log[2].RevisionAfter != after || before == after || log[0].RevisionBefore != log[0].RevisionAfter) {
			t.Errorf("the revisions recorded: %+v; want the apply's %q → %q, and a review's unchanged", log, before, after)
		}
		if _, err := svc.AuditLog(planner, 10, ""); org.ErrorCode(err) != org.EFORBIDDEN {
			t.Errorf("the audit log as a planner: got %v, want forbidden", err)
		}
	})

	t.Run("of an apply and an update from one version, exactly one wins", func(t *testing.T) {
		seed := MustSeed(t)
		ss := loaded(t, seed)
		sc := org.Scenario{ID: "plan", Version: 1}
		if err := ss.CreateScenario(ctx, sc); err != nil {
			t.Fatal(err)
		}
		g := Reshaped(t, seed)
		var applyErr, updateErr error
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); applyErr = ss.ApplyScenario(ctx, g, sc, 1, Entry()) }()
		go func() { defer wg.Done(); updateErr = ss.UpdateScenario(ctx, sc, 1) }()
		wg.Wait()
		codes := []string{org.ErrorCode(applyErr), org.ErrorCode(updateErr)}
		if slices.Compare(codes, []string{"", org.ECONFLICT}) != 0 && slices.Compare(codes, []string{org.ECONFLICT, ""}) != 0 {
			t.Fatalf("apply: %v; update: %v; want one nil and one conflict", applyErr, updateErr)
		}
		want := InSeqOrder(seed)
		if applyErr == nil {
			want = InSeqOrder(g)
		}
		SameGraph(t, "after the race", MustSnapshot(t, ss), want)
	})

	t.Run("an apply computed from a baseline since replaced is refused and writes nothing", func(t *testing.T) {
		seed := MustSeed(t)
		ss := loaded(t, seed)
		r, ok := ss.(org.Revisioner)
		if !ok {
			t.Fatalf("%T names no baseline revision", ss)
		}
		sc := org.Scenario{ID: "stale", Version: 1}
		if err := ss.CreateScenario(ctx, sc); err != nil {
			t.Fatal(err)
		}
		rev, err := r.Revision(ctx)
		if err != nil {
			t.Fatal(err)
		}
		e := Entry()
		e.RevisionBefore = rev + "-stale"
		err = ss.ApplyScenario(ctx, Reshaped(t, seed), sc, 1, e)
		if org.ErrorCode(err) != org.ECONFLICT {
			t.Fatalf("apply from another revision: %v, want ECONFLICT", err)
		}
		SameGraph(t, "after the refused apply", MustSnapshot(t, ss), InSeqOrder(seed))
		if got, err := ss.FindScenarioByID(ctx, sc.ID); err != nil || got.Version != 1 || got.AppliedAt != nil {
			t.Errorf("the scenario after the refused apply: %+v, %v; want version 1, not applied", got, err)
		}
		e = Entry()
		e.RevisionBefore = rev
		if err := ss.ApplyScenario(ctx, Reshaped(t, seed), sc, 1, e); err != nil {
			t.Fatalf("apply from the current revision: %v", err)
		}
	})

	t.Run("two scenarios applied at once both reach the baseline", func(t *testing.T) {
		for round := range 3 {
			ss, svc := seeded(t)
			a := mustScenario(t, svc, org.Change{Kind: org.ChangeRename, Node: "KS-02", Name: "Biuro Prasowe A"})
			b := mustScenario(t, svc, org.Change{Kind: org.ChangeRename, Node: "KS-03", Name: "Referat B"})
			for _, id := range []string{a.ID, b.ID} {
				if _, err := svc.SubmitScenario(ctx, id); err != nil {
					t.Fatal(err)
				}
				if _, err := svc.ApproveScenario(ctx, id); err != nil {
					t.Fatal(err)
				}
			}
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i, id := range []string{a.ID, b.ID} {
				wg.Add(1)
				go func() { defer wg.Done(); _, errs[i] = svc.ApplyScenario(ctx, id) }()
			}
			wg.Wait()
			if errs[0] != nil || errs[1] != nil {
				t.Fatalf("round %d: applies: %v, %v; want both", round, errs[0], errs[1])
			}
			g := MustSnapshot(t, ss)
			names := map[string]string{}
			for _, n := range g.Nodes {
				names[n.Code] = n.Name
			}
			if names["KS-02"] != "Biuro Prasowe A" || names["KS-03"] != "Referat B" {
				t.Fatalf("round %d: after both applies KS-02 is %q and KS-03 %q: an apply was overwritten", round, names["KS-02"], names["KS-03"])
			}
		}
	})

	// A store that keeps nothing past its life has nothing to reopen.
	if h.Reopen != nil {
		t.Run("drafts, applied scenarios, the applied baseline and the audit log survive a reopen", func(t *testing.T) {
			s := MustOpenSeeded(t, h.Open)
			svc := &org.Service{Store: s, Overlay: h.Overlay}
			kept, err := svc.CreateScenario(ctx, "kept", "stays a draft")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.AddChange(ctx, kept.ID, org.Change{Kind: org.ChangeRemove, Node: "KS-05"}); err != nil {
				t.Fatal(err)
			}
			applied, err := svc.CreateScenario(ctx, "applied", "")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.AddChange(ctx, applied.ID, org.Change{Kind: org.ChangeRename, Node: "KS-01", Name: "Referat Organizacyjny"}); err != nil {
				t.Fatal(err)
			}
			if _, err := ApplyApproved(ctx, svc, applied.ID); err != nil {
				t.Fatal(err)
			}
			ss := scenarioStore(t, s)
			scenarios, err := ss.FindScenarios(ctx)
			if err != nil {
				t.Fatal(err)
			}
			baseline := MustSnapshot(t, ss)
			log, err := ss.AuditLog(ctx, 10, "")
			if err != nil || len(log) != 2 {
				t.Fatalf("the audit log of an approval and an apply: got %+v, %v", log, err)
			}

			s2 := h.Reopen(t, s)
			ss2 := scenarioStore(t, s2)
			if got, err := ss2.AuditLog(ctx, 10, ""); err != nil || !reflect.DeepEqual(got, log) {
				t.Errorf("the audit log after a reopen: got %+v, %v\nwant %+v", got, err, log)
			}
			got, err := ss2.FindScenarios(ctx)
			if err != nil || !reflect.DeepEqual(got, scenarios) {
				t.Errorf("the scenarios after a reopen: got %+v, %v\nwant %+v", got, err, scenarios)
			}
			SameGraph(t, "the baseline after a reopen", MustSnapshot(t, ss2), baseline)
			svc2 := &org.Service{Store: s2, Overlay: h.Overlay}
			draft, err := svc2.Scenario(ctx, kept.ID)
			if err != nil || len(draft.Changes) != 1 || draft.Changes[0].Node != "KS-05" || draft.Description != "stays a draft" || draft.AppliedAt != nil {
				t.Fatalf("the draft after a reopen: got %+v, %v", draft, err)
			}
			if done, err := svc2.Scenario(ctx, applied.ID); err != nil || done.AppliedAt == nil {
				t.Errorf("the applied scenario after a reopen: got %+v, %v; want it applied", done, err)
			}
			n, err := s2.FindNodeByID(ctx, "KS-01")
			if err != nil || n.Name != "Referat Organizacyjny" {
				t.Errorf("the applied rename after a reopen: got %q, %v", n.Name, err)
			}
			if n, _ := s2.FindNodeByID(ctx, "KS-05"); n.ID != "KS-05" {
				t.Error("the draft's removal reached the baseline")
			}
			// The reopened store takes the draft on from the version it kept.
			next, err := svc2.AddChange(ctx, kept.ID, org.Change{Kind: org.ChangeRename, Node: "KS-02", Name: "Referat Drugi"})
			if err != nil || next.Version != draft.Version+1 || len(next.Changes) != 2 {
				t.Errorf("a change after a reopen: got %+v, %v; want version %d with 2 changes", next, err, draft.Version+1)
			}
		})
	}
}

// Owner is the context of the contract's service calls: the principal
// "planner", in the admin role.
var Owner = org.WithPrincipal(context.Background(), org.Principal{Subject: "planner", Role: org.RoleAdmin})

// ApplyApproved submits, approves and applies a scenario: the review a
// scenario passes before it is applied.
func ApplyApproved(ctx context.Context, svc *org.Service, id string) (org.Scenario, error) {
	if _, err := svc.SubmitScenario(ctx, id); err != nil {
		return org.Scenario{}, err
	}
	if _, err := svc.ApproveScenario(ctx, id); err != nil {
		return org.Scenario{}, err
	}
	return svc.ApplyScenario(ctx, id)
}

// Entry is an audit entry of a store-level apply, with a fresh id.
func Entry() org.AuditEntry {
	n := entries.Add(1)
	return org.AuditEntry{ID: fmt.Sprintf("storetest-%d-%d", time.Now().UnixNano(), n), At: time.Now().UTC().Truncate(time.Microsecond),
		Subject: "storetest", Role: org.RoleAdmin, Action: org.AuditApply, Target: "a scenario"}
}

var entries atomic.Int64

func mustScenario(t *testing.T, svc *org.Service, changes ...org.Change) org.Scenario {
	t.Helper()
	sc, err := svc.CreateScenario(Owner, "test", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if sc, err = svc.AddChange(Owner, sc.ID, c); err != nil {
			t.Fatalf("add %s: %v", c.Kind, err)
		}
	}
	return sc
}

func sameScenario(a, b org.Scenario) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Owner == b.Owner && a.Version == b.Version &&
		a.CreatedAt.Equal(b.CreatedAt) && a.UpdatedAt.Equal(b.UpdatedAt) &&
		slices.EqualFunc(a.Changes, b.Changes, func(x, y org.Change) bool { return fmt.Sprint(x) == fmt.Sprint(y) })
}

func second[T any](_ T, err error) error { return err }
