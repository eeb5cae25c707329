package servertest

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/ordinance"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/internal/storetest"
)

// RunHistory imports the three successive acts of Wydział Geodezji
// (storetest.HistoryActs) through importOrdinance, out of order, into a
// seeded store open makes, and asks the API about each period. The golden
// answers are read off the texts; internal/ordinance/testdata/history/
// CHANGES.md lists them with both acts' provisions.
func RunHistory(t *testing.T, open func(t *testing.T) org.Store, requestStore func(org.Store) org.Store) {
	s := open(t)
	if err := s.Load(storetest.Owner, storetest.MustSeed(t)); err != nil {
		t.Fatal(err)
	}
	today := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	svc := &org.Service{Store: s, Overlay: memstore.Overlay, Acts: ordinance.ReadAct, Clock: func() time.Time { return today }}
	h := server.New(svc, server.Config{Auth: Auth("admin"), RequestStore: requestStore}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ask := func(t *testing.T, query string, vars map[string]any, out any) []gqlErr {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var resp struct {
			Data   json.RawMessage
			Errors []gqlErr
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("%s: %v: %s", query, err, rec.Body.String())
		}
		if len(resp.Errors) == 0 && out != nil {
			if err := json.Unmarshal(resp.Data, out); err != nil {
				t.Fatal(err)
			}
		}
		return resp.Errors
	}
	must := func(t *testing.T, query string, vars map[string]any, out any) {
		t.Helper()
		if errs := ask(t, query, vars, out); len(errs) > 0 {
			t.Fatalf("%s: %+v", query, errs)
		}
	}

	// Newest first, then the oldest, then the middle one.
	notes := map[string][]string{}
	for _, name := range []string{storetest.HistoryActs[2], storetest.HistoryActs[0], storetest.HistoryActs[1]} {
		// From the package under test: internal/server, internal/neo4jstore.
		text, err := os.ReadFile(filepath.Join("..", "ordinance", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		var d struct {
			ImportOrdinance struct {
				Document struct{ ID string }
				Loaded   bool
				Warnings []struct{ Where, Message string }
			}
		}
		must(t, `mutation($n: String!, $t: String!) { importOrdinance(name: $n, text: $t) { document { id } loaded warnings { where message } } }`,
			map[string]any{"n": filepath.Base(name), "t": string(text)}, &d)
		for _, w := range d.ImportOrdinance.Warnings {
			if w.Where == "history" {
				notes[d.ImportOrdinance.Document.ID] = append(notes[d.ImportOrdinance.Document.ID], w.Message)
			}
		}
	}

	t.Run("the import says where each act stands", func(t *testing.T) {
		want := map[string][]string{
			// When it came, the graph held neither older act.
			"1502/2025": {"in force since 2025-07-01: it is the baseline",
				"repeals 1102/2023, which the graph does not hold: the structure before 2025-07-01 is not known"},
			// Then 1502/2025, a later act of the same department, ended it.
			"880/2019": {"in force 2019-04-01 to 2025-07-01 (superseded by 1502/2025): kept for those days, the baseline is unchanged",
				"repeals 412/2015, which the graph does not hold: the structure before 2019-04-01 is not known"},
			"1102/2023": {"in force 2023-05-01 to 2025-07-01 (superseded by 1502/2025): kept for those days, the baseline is unchanged"},
		}
		for id, w := range want {
			if !slices.Equal(notes[id], w) {
				t.Errorf("%s: notes %q, want %q", id, notes[id], w)
			}
		}
	})

	t.Run("documents say when each act is in force", func(t *testing.T) {
		var d struct {
			Documents []struct {
				ID                        string
				InForceFrom, InForceUntil *string
				SupersededBy              *string
			}
		}
		must(t, `{ documents { id inForceFrom inForceUntil supersededBy } }`, nil, &d)
		got := map[string]string{}
		for _, doc := range d.Documents {
			got[doc.ID] = deref(doc.InForceFrom) + " " + deref(doc.InForceUntil) + " " + deref(doc.SupersededBy)
		}
		want := map[string]string{
			"880/2019":  "2019-04-01 2023-05-01 1102/2023",
			"1102/2023": "2023-05-01 2025-07-01 1502/2025",
			"1502/2025": "2025-07-01  ",
			"3468/2024": "2025-01-01  ",
		}
		for id, w := range want {
			if got[id] != w {
				t.Errorf("%s: in force %q, want %q", id, got[id], w)
			}
		}
	})

	type unit struct{ Code, Name string }
	gdUnits := func(t *testing.T, asOf string) map[string]string {
		t.Helper()
		var d struct{ Units []unit }
		must(t, `query($d: Date) { units(asOf: $d) { code name } }`, map[string]any{"d": asOf}, &d)
		out := map[string]string{}
		for _, u := range d.Units {
			out[u.Code] = u.Name
		}
		return out
	}

	t.Run("asOf answers each period's units as its act names them", func(t *testing.T) {
		// 880/2019 § 2; the seed's act (3468/2024) is not in force yet.
		u2020 := gdUnits(t, "2020-01-01")
		for code, name := range map[string]string{
			"GD-01": "Referat Ewidencji Gruntów",
			"GD-03": "Referat Koordynacji Usytuowania Sieci Uzbrojenia Terenu",
			"GD-06": "Referat Ewidencji Budynków i Lokali",
		} {
			if u2020[code] != name {
				t.Errorf("asOf 2020-01-01: %s is %q, want %q (880/2019 § 2)", code, u2020[code], name)
			}
		}
		var page struct {
			UnitsConnection struct{ TotalCount int }
		}
		must(t, `{ unitsConnection(asOf: "2020-01-01", first: 2) { totalCount } }`, nil, &page)
		if page.UnitsConnection.TotalCount != len(u2020) {
			t.Errorf("asOf 2020-01-01: unitsConnection counts %d units, units lists %d", page.UnitsConnection.TotalCount, len(u2020))
		}
		if _, ok := u2020["KS-01"]; ok {
			t.Errorf("asOf 2020-01-01 answers KS-01, whose act is in force from 2025-01-01")
		}
		// 1102/2023 § 2: GD-06 merged into GD-01, the team GD-02-1.
		u2024 := gdUnits(t, "2024-01-01")
		if _, ok := u2024["GD-06"]; ok || u2024["GD-01"] != "Referat Ewidencji Gruntów i Budynków" || u2024["GD-02-1"] != "Zespół Udostępniania Materiałów Zasobu" {
			t.Errorf("asOf 2024-01-01: GD-06 %q, GD-01 %q, GD-02-1 %q", u2024["GD-06"], u2024["GD-01"], u2024["GD-02-1"])
		}
		// Today: 1502/2025 and the seed.
		now := gdUnits(t, "2026-12-02")
		if now["GD-04"] != "Główny Specjalista ds. Kontroli" || now["KS-07"] != "Referat ds. Wydawnictw i Publikacji" || now["GD-02-1"] != "" {
			t.Errorf("today: GD-04 %q, KS-07 %q, GD-02-1 %q", now["GD-04"], now["KS-07"], now["GD-02-1"])
		}
	})

	t.Run("asOf walks each period's reporting lines", func(t *testing.T) {
		chain := func(asOf string) []string {
			var d struct {
				ChainOfCommand struct{ Nodes []struct{ ID string } }
			}
			must(t, `query($d: Date) { chainOfCommand(from: "GD-01", asOf: $d) { nodes { id } } }`, map[string]any{"d": asOf}, &d)
			var out []string
			for _, n := range d.ChainOfCommand.Nodes {
				out = append(out, n.ID)
			}
			return out
		}
		// 880/2019 § 3 ust. 3 pkt 1: GD-01 under the Deputy for Records;
		// 1102/2023 § 3 ust. 1 pkt 2: under the Director.
		if got := chain("2020-01-01"); len(got) < 3 || got[1] != "zastepca-dyrektora-ds-ewidencji-gd" || got[2] != "dyrektor-wydzialu-gd" {
			t.Errorf("asOf 2020-01-01: GD-01's chain %v", got)
		}
		if got := chain("2024-01-01"); len(got) < 2 || got[1] != "dyrektor-wydzialu-gd" {
			t.Errorf("asOf 2024-01-01: GD-01's chain %v", got)
		}
	})

	t.Run("asOf refuses what it cannot answer, with a code", func(t *testing.T) {
		for _, c := range []struct {
			query string
			code  string
			says  string
		}{
			{`{ units(asOf: "2010-01-01") { code } }`, "NOT_FOUND", "880/2019 (in force 2019-04-01 to 2023-05-01)"},
			{`{ units(asOf: "1 czerwca 2024") { code } }`, "BAD_USER_INPUT", "2024-06-01"},
			{`{ a: units(asOf: "2020-01-01") { code } b: units(asOf: "2024-01-01") { code } }`, "BAD_USER_INPUT", "one day"},
			{`{ units(asOf: "2020-01-01", scenario: "x") { code } }`, "BAD_USER_INPUT", "not both"},
		} {
			errs := ask(t, c.query, nil, nil)
			if len(errs) == 0 || errs[0].Extensions["code"] != c.code || !strings.Contains(errs[0].Message, c.says) {
				t.Errorf("%s: %+v, want %s saying %q", c.query, errs, c.code, c.says)
			}
		}
	})

	type node struct{ ID string }
	type provenance struct{ Document, Provision string }
	type link struct {
		Kind     string
		From, To node
		Source   provenance
	}
	type dutyChange struct {
		Before, After struct {
			Unit   node
			Text   string
			Source provenance
		}
	}
	type changes struct {
		Added, Removed []node
		Renamed        []struct {
			Node         node
			Before       string
			BeforeSource provenance
		}
		Moved                          []struct{ Node, Before, After node }
		DutiesReworded, DutiesMoved    []dutyChange
		RelationsGained, RelationsLost []link
	}
	structureChanges := func(t *testing.T, from, to string) changes {
		t.Helper()
		var d struct{ StructureChanges changes }
		must(t, `query($f: Date!, $t: Date!) { structureChanges(from: $f, to: $t, department: "GD") {
			added { id } removed { id } renamed { node { id } before beforeSource { document provision } } moved { node { id } before { id } after { id } }
			dutiesReworded { before { unit { id } text source { document provision } } after { unit { id } text source { document provision } } }
			dutiesMoved { before { unit { id } text source { document provision } } after { unit { id } text source { document provision } } }
			relationsGained { kind from { id } to { id } source { document provision } }
			relationsLost { kind from { id } to { id } source { document provision } } } }`,
			map[string]any{"f": from, "t": to}, &d)
		return d.StructureChanges
	}
	ids := func(ns []node) []string {
		var out []string
		for _, n := range ns {
			out = append(out, n.ID)
		}
		slices.Sort(out)
		return out
	}
	hasLink := func(ls []link, kind, from, to, doc, provision string) bool {
		return slices.ContainsFunc(ls, func(l link) bool {
			return l.Kind == kind && l.From.ID == from && l.To.ID == to && l.Source.Document == doc && l.Source.Provision == provision
		})
	}

	t.Run("structureChanges 880/2019 → 1102/2023 lists what the texts changed, with both provisions", func(t *testing.T) {
		c := structureChanges(t, "2020-01-01", "2024-01-01")
		if got := ids(c.Added); !slices.Equal(got, []string{"GD-02-1", "kierownik-referatu-gd-02"}) {
			t.Errorf("added %v", got)
		}
		if got := ids(c.Removed); !slices.Equal(got, []string{"GD-06", "zastepca-dyrektora-ds-ewidencji-gd"}) {
			t.Errorf("removed %v", got)
		}
		renamed := map[string]string{}
		for _, r := range c.Renamed {
			renamed[r.Node.ID] = r.Before
			if r.BeforeSource.Document != "880/2019" || !strings.HasPrefix(r.BeforeSource.Provision, "§ 2 pkt ") {
				t.Errorf("%s's earlier name cited at %+v, want 880/2019 § 2", r.Node.ID, r.BeforeSource)
			}
		}
		if renamed["GD-01"] != "Referat Ewidencji Gruntów" || renamed["GD-03"] != "Referat Koordynacji Usytuowania Sieci Uzbrojenia Terenu" || len(renamed) != 2 {
			t.Errorf("renamed %v", renamed)
		}
		if !slices.ContainsFunc(c.Moved, func(m struct{ Node, Before, After node }) bool {
			return m.Node.ID == "GD-01" && m.Before.ID == "zastepca-dyrektora-ds-ewidencji-gd" && m.After.ID == "dyrektor-wydzialu-gd"
		}) {
			t.Errorf("GD-01 not moved from the Deputy for Records to the Director: %+v", c.Moved)
		}
		if !hasLink(c.RelationsLost, "REPORTS_TO", "GD-01", "zastepca-dyrektora-ds-ewidencji-gd", "880/2019", "§ 3 ust. 3 pkt 1") ||
			!hasLink(c.RelationsGained, "REPORTS_TO", "GD-01", "dyrektor-wydzialu-gd", "1102/2023", "§ 3 ust. 1 pkt 2") {
			t.Errorf("GD-01's reporting line not lost at 880/2019 § 3 ust. 3 pkt 1 and gained at 1102/2023 § 3 ust. 1 pkt 2:\nlost %+v\ngained %+v", c.RelationsLost, c.RelationsGained)
		}
		if !slices.ContainsFunc(c.DutiesReworded, func(d dutyChange) bool {
			return d.Before.Unit.ID == "GD-03" && d.Before.Source == provenance{"880/2019", "§ 6 pkt 1"} && d.After.Source == provenance{"1102/2023", "§ 7 pkt 1"}
		}) {
			t.Errorf("GD-03's council duty not reworded from 880/2019 § 6 pkt 1 to 1102/2023 § 7 pkt 1: %+v", c.DutiesReworded)
		}
		if !slices.ContainsFunc(c.DutiesMoved, func(d dutyChange) bool {
			return d.Before.Unit.ID == "GD-02" && d.After.Unit.ID == "GD-02-1" && d.Before.Source == provenance{"880/2019", "§ 5 pkt 3"} && d.After.Source == provenance{"1102/2023", "§ 6 pkt 1"}
		}) {
			t.Errorf("the duty of access to the resource not moved from GD-02 to GD-02-1: %+v", c.DutiesMoved)
		}
	})

	t.Run("structureChanges 1102/2023 → 1502/2025 lists what the texts changed", func(t *testing.T) {
		c := structureChanges(t, "2024-01-01", "2025-08-01")
		if got := ids(c.Added); !slices.Equal(got, []string{"GD-05-1"}) {
			t.Errorf("added %v", got)
		}
		if got := ids(c.Removed); !slices.Equal(got, []string{"GD-02-1", "kierownik-referatu-gd-02"}) {
			t.Errorf("removed %v", got)
		}
		if len(c.Renamed) != 1 || c.Renamed[0].Node.ID != "GD-04" || c.Renamed[0].Before != "Samodzielne stanowisko ds. Kontroli Prac Geodezyjnych" {
			t.Errorf("renamed %+v", c.Renamed)
		}
		if !hasLink(c.RelationsGained, "REPORTS_TO", "GD-05", "zastepca-dyrektora-ds-zasobu-gd", "1502/2025", "§ 3 ust. 2 pkt 3") ||
			!hasLink(c.RelationsLost, "REPORTS_TO", "GD-05", "dyrektor-wydzialu-gd", "1102/2023", "§ 3 ust. 1 pkt 4") {
			t.Errorf("GD-05's move to the Deputy for the Resource is not in the relations changed")
		}
	})

	t.Run("a scenario is compared with a past day", func(t *testing.T) {
		var c struct{ CreateScenario struct{ ID string } }
		must(t, `mutation { createScenario(name: "GD-05 z powrotem pod Dyrektora") { id } }`, nil, &c)
		id := c.CreateScenario.ID
		must(t, `mutation($s: ID!) { addChange(scenario: $s, change: { move: { node: "GD-05", under: "dyrektor-wydzialu-gd" } }) { version } }`, map[string]any{"s": id}, nil)
		impact := func(against any) changes {
			var d struct{ ScenarioImpact changes }
			must(t, `query($s: ID!, $a: Date) { scenarioImpact(scenario: $s, against: $a) {
				added { id } removed { id } renamed { node { id } before } moved { node { id } before { id } after { id } }
				relationsLost { kind from { id } to { id } source { document provision } } } }`, map[string]any{"s": id, "a": against}, &d)
			return d.ScenarioImpact
		}
		movedGD05 := func(c changes) bool {
			return slices.ContainsFunc(c.Moved, func(m struct{ Node, Before, After node }) bool { return m.Node.ID == "GD-05" })
		}
		// Against today GD-05 moves back; against 1102/2023 (§ 3 ust. 1
		// pkt 4: under the Director) it is where it was, and the team
		// GD-02-1 is gone, GD-05-1 and the seed's department new.
		if now := impact(nil); !movedGD05(now) {
			t.Errorf("against today GD-05 is not moved: %+v", now.Moved)
		}
		then := impact("2024-01-01")
		if movedGD05(then) {
			t.Errorf("against 2024-01-01 GD-05 is moved, though 1102/2023 § 3 ust. 1 pkt 4 puts it under the Director")
		}
		if r := ids(then.Removed); !slices.Contains(r, "GD-02-1") {
			t.Errorf("against 2024-01-01 GD-02-1 is not removed: %v", r)
		}
		if a := ids(then.Added); !slices.Contains(a, "GD-05-1") || !slices.Contains(a, "KS-01") {
			t.Errorf("against 2024-01-01 GD-05-1 and KS-01 are not added: %v", a)
		}
		if !hasLink(then.RelationsLost, "REPORTS_TO", "GD-02-1", "kierownik-referatu-gd-02", "1102/2023", "§ 3 ust. 3") {
			t.Errorf("against 2024-01-01 GD-02-1's line (1102/2023 § 3 ust. 3) is not lost")
		}
	})

	t.Run("a unit every act states is one node with a source per act", func(t *testing.T) {
		var d struct {
			Unit struct{ Sources []provenance }
		}
		must(t, `{ unit(code: "GD-01") { sources { document provision } } }`, nil, &d)
		want := []provenance{{"880/2019", "§ 2 pkt 1"}, {"1102/2023", "§ 2 pkt 1"}, {"1502/2025", "§ 2 pkt 1"}}
		if !slices.Equal(d.Unit.Sources, want) {
			t.Errorf("GD-01's sources %v, want %v", d.Unit.Sources, want)
		}
	})

	t.Run("the exports draw a past day", func(t *testing.T) {
		get := func(path string) *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("Authorization", "Bearer "+AdminToken)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec
		}
		rec := get("/export/orgchart.csv?asOf=2020-01-01")
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, "\nGD-06,") || strings.Contains(body, "\nKS-01,") {
			t.Errorf("orgchart.csv?asOf=2020-01-01: %d\n%s", rec.Code, body)
		}
		for path, code := range map[string]string{
			"/export/orgchart.csv?asOf=2024-13-01":             "BAD_USER_INPUT",
			"/export/orgchart.csv?asOf=2010-01-01":             "NOT_FOUND",
			"/export/orgchart.csv?asOf=2020-01-01&scenario=xx": "BAD_USER_INPUT",
		} {
			if rec := get(path); !strings.Contains(rec.Body.String(), `"code":"`+code+`"`) {
				t.Errorf("GET %s: %d %s, want %s", path, rec.Code, rec.Body.String(), code)
			}
		}
	})

	t.Run("a unit's timeline has its versions, acts and superiors", func(t *testing.T) {
		var d struct {
			Timeline []struct {
				Node     struct{ Name string }
				Document struct{ ID string }
				From     string
				Until    *string
				Superior *node
			}
		}
		must(t, `{ timeline(node: "gd-01") { node { name } document { id } from until superior { id } } }`, nil, &d)
		var got []string
		for _, v := range d.Timeline {
			sup := ""
			if v.Superior != nil {
				sup = v.Superior.ID
			}
			got = append(got, strings.Join([]string{v.Document.ID, v.From, deref(v.Until), v.Node.Name, sup}, " | "))
		}
		want := []string{
			"880/2019 | 2019-04-01 | 2023-05-01 | Referat Ewidencji Gruntów | zastepca-dyrektora-ds-ewidencji-gd",
			"1102/2023 | 2023-05-01 | 2025-07-01 | Referat Ewidencji Gruntów i Budynków | dyrektor-wydzialu-gd",
			"1502/2025 | 2025-07-01 |  | Referat Ewidencji Gruntów i Budynków | dyrektor-wydzialu-gd",
		}
		if !slices.Equal(got, want) {
			t.Errorf("timeline of GD-01:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

type gqlErr struct {
	Message    string
	Extensions map[string]any
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
