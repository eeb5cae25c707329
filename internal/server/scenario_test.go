package server_test

import (
	"fmt"
	"testing"
)

type scenarioResp struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
	Changes []struct {
		ID   string `json:"id"`
		Kind string `json:"kind"`
	} `json:"changes"`
}

func TestScenariosThroughTheAPI(t *testing.T) {
	h := MustOpenHandler(t)
	create := func(t *testing.T, name string, changes ...string) string {
		t.Helper()
		var out struct{ CreateScenario scenarioResp }
		post(t, h, `mutation($n: String!) { createScenario(name: $n) { id version } }`, map[string]any{"n": name}, &out)
		id := out.CreateScenario.ID
		for _, c := range changes {
			var added struct{ AddChange scenarioResp }
			post(t, h, fmt.Sprintf(`mutation($s: ID!) { addChange(scenario: $s, change: %s) { id version changes { id kind } } }`, c), map[string]any{"s": id}, &added)
		}
		return id
	}
	chain := func(t *testing.T, from string, scenario any) []string {
		var out struct{ ChainOfCommand path }
		post(t, h, `query($f: String!, $s: ID) { chainOfCommand(from: $f, scenario: $s) { nodes { id } links { kind source { basis } } } }`,
			map[string]any{"f": from, "s": scenario}, &out)
		var ids []string
		for _, n := range out.ChainOfCommand.Nodes {
			ids = append(ids, n.ID)
		}
		return ids
	}
	baseline := chain(t, "KS-07", nil)

	t.Run("moving KS-07 under the Deputy for Promotion", func(t *testing.T) {
		id := create(t, "KS-07 do promocji", `{ move: { node: "KS-07", under: "zastepca-dyrektora-ds-promocji" }, note: "publikacje bliżej promocji" }`)
		assertEqual(t, chain(t, "KS-07", id), []string{"KS-07", "zastepca-dyrektora-ds-promocji", "dyrektor-wydzialu", "dyrektor-departamentu", "zastepca-prezydenta", "prezydent"})
		assertEqual(t, chain(t, "KS-07", nil), baseline)
		var out struct {
			ScenarioImpact struct {
				Moved []struct {
					Node   node  `json:"node"`
					Before *node `json:"before"`
					After  *node `json:"after"`
				} `json:"moved"`
				CutOff []node `json:"cutOff"`
				Spans  []struct {
					Node    node `json:"node"`
					Before  struct{ Direct int }
					After   struct{ Direct int }
					Changed bool `json:"changed"`
				} `json:"spans"`
				TaskingOutsideLine []struct {
					Tasking struct {
						By   node `json:"by"`
						Unit node `json:"unit"`
					} `json:"tasking"`
					New bool `json:"new"`
				} `json:"taskingOutsideLine"`
			}
		}
		post(t, h, `query($s: ID!) { scenarioImpact(scenario: $s) {
		  moved { node { id } before { id } after { id } } cutOff { id }
		  spans { node { id } before { direct } after { direct } changed }
		  taskingOutsideLine { tasking { by { id } unit { id } } new } } }`, map[string]any{"s": id}, &out)
		im := out.ScenarioImpact
		if len(im.Moved) != 1 || im.Moved[0].Node.ID != "KS-07" || im.Moved[0].Before.ID != "zastepca-dyrektora-ds-mediow-miejskich" || im.Moved[0].After.ID != "zastepca-dyrektora-ds-promocji" {
			t.Errorf("moved: got %+v", im.Moved)
		}
		if len(im.CutOff) != 0 {
			t.Errorf("cut off: got %v, want none", im.CutOff)
		}
		var changed []string
		for _, s := range im.Spans {
			if s.Changed {
				changed = append(changed, fmt.Sprintf("%s %d→%d", s.Node.ID, s.Before.Direct, s.After.Direct))
			}
		}
		assertEqual(t, changed, []string{"zastepca-dyrektora-ds-mediow-miejskich 2→1", "zastepca-dyrektora-ds-promocji 2→3"})
		var fresh []string
		for _, o := range im.TaskingOutsideLine {
			if o.New {
				fresh = append(fresh, o.Tasking.By.ID+" tasks "+o.Tasking.Unit.ID)
			}
		}
		assertEqual(t, fresh, []string{"zastepca-dyrektora-ds-mediow-miejskich tasks KS-07"})
	})

	t.Run("removing the Deputy Director for City Media", func(t *testing.T) {
		id := create(t, "bez zastępcy ds. mediów", `{ remove: { node: "zastepca-dyrektora-ds-mediow-miejskich" } }`)
		var out struct {
			ScenarioImpact struct {
				Removed []node `json:"removed"`
				CutOff  []node `json:"cutOff"`
			}
		}
		post(t, h, `query($s: ID!) { scenarioImpact(scenario: $s) { removed { id } cutOff { id name } } }`, map[string]any{"s": id}, &out)
		if len(out.ScenarioImpact.Removed) != 1 || len(out.ScenarioImpact.CutOff) != 2 ||
			out.ScenarioImpact.CutOff[0].ID != "KS-03" || out.ScenarioImpact.CutOff[1].ID != "KS-07" {
			t.Errorf("got %+v", out.ScenarioImpact)
		}
		assertEqual(t, chain(t, "KS-03", id), []string{"KS-03"})
		// The parts are computed as the selection asks, through fragments too.
		var frag struct {
			ScenarioImpact struct {
				Removed []node `json:"removed"`
				CutOff  []node `json:"cutOff"`
			}
		}
		post(t, h, `query($s: ID!) { scenarioImpact(scenario: $s) { ...gone ... on Impact { cutOff { id name } } } }
		  fragment gone on Impact { removed { id } }`, map[string]any{"s": id}, &frag)
		if got, want := fmt.Sprint(frag.ScenarioImpact), fmt.Sprint(out.ScenarioImpact); got != want || len(frag.ScenarioImpact.CutOff) == 0 {
			t.Errorf("through fragments: got %s, want %s", got, want)
		}
		var units struct {
			Units []struct {
				ID       string `json:"id"`
				Superior *node  `json:"superior"`
			}
		}
		post(t, h, `query($s: ID) { units(scenario: $s) { id superior { id } } }`, map[string]any{"s": id}, &units)
		for _, u := range units.Units {
			if u.ID == "KS-07" && u.Superior != nil {
				t.Errorf("nested fields read the baseline: KS-07's superior is %s in the scenario", u.Superior.ID)
			}
		}
	})

	t.Run("invalid changes are refused with a code and change nothing", func(t *testing.T) {
		id := create(t, "refusals")
		for _, tc := range []struct{ change, code string }{
			{`{ move: { node: "dyrektor-wydzialu", under: "KS-03" } }`, "BAD_USER_INPUT"},
			{`{ move: { node: "KS-99", under: "dyrektor-wydzialu" } }`, "NOT_FOUND"},
			{`{ remove: { node: "prezydent" } }`, "BAD_USER_INPUT"},
			{`{ remove: { node: "KS-01" }, rename: { node: "KS-02", name: "x" } }`, "BAD_USER_INPUT"},
			{`{ note: "nothing" }`, "BAD_USER_INPUT"},
		} {
			resp := send(t, h, `mutation($s: ID!) { addChange(scenario: $s, change: `+tc.change+`) { id } }`, map[string]any{"s": id})
			if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != tc.code {
				t.Errorf("%s: got %+v, want %s", tc.change, resp.Errors, tc.code)
			}
		}
		var out struct{ Scenario scenarioResp }
		post(t, h, `query($s: ID!) { scenario(id: $s) { id version changes { id } } }`, map[string]any{"s": id}, &out)
		if out.Scenario.Version != 1 || len(out.Scenario.Changes) != 0 {
			t.Errorf("after refusals: got %+v", out.Scenario)
		}
		resp := send(t, h, `{ chainOfCommand(from: "KS-07", scenario: "nope") { nodes { id } } }`, nil)
		if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "NOT_FOUND" {
			t.Errorf("an unknown scenario: got %+v", resp.Errors)
		}
		assertEqual(t, chain(t, "KS-07", nil), baseline)
	})
}
