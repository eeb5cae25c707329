package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
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
}

// RunScenarios runs the scenario part of the contract against the stores
// h opens, with scenario graphs held by h.Overlay, as the server does.
func RunScenarios(t *testing.T, h Harness) {
	if h.Open == nil || h.Overlay == nil {
		t.Fatal("storetest: the harness needs Open and Overlay")
	}
	seeded := func(t *testing.T) (org.ScenarioStore, *org.Service) {
		s := MustOpenSeeded(t, h.Open)
		ss, ok := s.(org.ScenarioStore)
		if !ok {
			t.Fatalf("%T does not keep scenarios", s)
		}
		return ss, &org.Service{Store: s, Overlay: h.Overlay}
	}
	ctx := context.Background()

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
		applied, err := svc.ApplyScenario(ctx, sc.ID)
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
		if err := ss.ApplyScenario(ctx, bad, sc, sc.Version); org.ErrorCode(err) != org.EINVALID {
			t.Errorf("an invalid graph: got %v, want invalid", err)
		}
		g, _ := ss.Snapshot(ctx)
		if err := ss.ApplyScenario(ctx, g, sc, sc.Version-1); org.ErrorCode(err) != org.ECONFLICT {
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
}

func mustScenario(t *testing.T, svc *org.Service, changes ...org.Change) org.Scenario {
	t.Helper()
	sc, err := svc.CreateScenario(context.Background(), "test", "planner", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if sc, err = svc.AddChange(context.Background(), sc.ID, c); err != nil {
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
