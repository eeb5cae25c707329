package e2e_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/orgraph/orgraph/internal/server/servertest"
	"github.com/orgraph/orgraph/internal/storetest"
)

// TestChartShowsAPastDayAndWhatChangedSince imports the three acts of
// Wydział Geodezji and opens /chart as of 2024-01-01 (1102/2023 in force)
// with the changes since 2020-01-01 (880/2019) marked: the boxes are
// orgChart's for that day, with 880/2019's GD-06 kept and marked removed,
// GD-01 moved to the Director, the team GD-02-1 added (CHANGES.md).
func TestChartShowsAPastDayAndWhatChangedSince(t *testing.T) {
	s := serve(t)
	for _, name := range storetest.HistoryActs {
		text, err := os.ReadFile(filepath.Join("..", "ordinance", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		var out struct{ ImportOrdinance struct{ Loaded bool } }
		s.query(t, servertest.AdminToken, `mutation($n: String!, $t: String!) { importOrdinance(name: $n, text: $t) { loaded } }`,
			map[string]any{"n": filepath.Base(name), "t": string(text)}, &out)
	}
	var d struct{ OrgChart struct{ Nodes []chartNode } }
	s.query(t, "", `{ orgChart(asOf: "2024-01-01") { nodes { id parentId name code } } }`, nil, &d)
	want := ids(d.OrgChart.Nodes)
	if !slices.Contains(want, "GD-02-1") || slices.Contains(want, "GD-06") {
		t.Fatalf("orgChart as of 2024-01-01 is not 1102/2023's: %v", want)
	}

	tb := open(t, s)
	tb.do(t, chromedp.Navigate(s.URL+"/chart?asOf=2024-01-01"))
	tb.wait(t, `document.body.dataset.state === 'ready'`)
	if got := eval[[]string](t, tb, `orgraphChart.cy.nodes().map(n => n.id()).sort()`); !slices.Equal(got, want) {
		t.Errorf("as of 2024-01-01 the chart draws %v\nwant %v", got, want)
	}
	// Pick the earlier day the way the date field does.
	tb.do(t, chromedp.SetValue(chromedp.CSS("#since"), "2020-01-01"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('since').dispatchEvent(new Event('change'))`))
	tb.wait(t, `document.body.dataset.state === 'ready' && !document.getElementById('legend').hidden`)
	for cls, wantIDs := range map[string][]string{
		"moved":   {"GD-01"},
		"removed": {"GD-06", "zastepca-dyrektora-ds-ewidencji-gd"},
		"added":   {"GD-02-1", "kierownik-referatu-gd-02"},
		"renamed": {"GD-01", "GD-03"},
	} {
		got := eval[[]string](t, tb, `orgraphChart.cy.nodes('.`+cls+`').map(n => n.id()).sort()`)
		if !slices.Equal(got, wantIDs) {
			t.Errorf("%s boxes %v, want %v", cls, got, wantIDs)
		}
	}
	if q := eval[string](t, tb, `location.search`); q != "?asOf=2024-01-01&since=2020-01-01" {
		t.Errorf("the address keeps %q", q)
	}
	tb.screenshot(t, "chart-history")
}
