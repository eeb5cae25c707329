package e2e_test

// orgChart and the Cytoscape export handed, as they come, with no mapping,
// to d3-org-chart and Cytoscape.js on a page of another origin. The
// libraries are built from npm into testdata/libs (bash web/build.sh e2e),
// so nothing comes from a CDN.

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"testing"
)

type orgChartAnswer struct {
	Nodes []struct {
		ID       string
		ParentID *string
		Parent   *string
	}
	Connections []struct{ From, To string }
}

// TestD3OrgChartDrawsOrgChartAsItComes: d3-org-chart, given orgChart's
// nodes and connections as the API answers them, draws a box per node, a
// link from each box to its parent's, and a line per connection once every
// box is open; any exception or console error fails the test (a second
// root, or a parentId missing from the nodes, makes d3-org-chart throw).
func TestD3OrgChartDrawsOrgChartAsItComes(t *testing.T) {
	from := pages(t)
	api := apiFor(t, from.URL)
	var d struct{ OrgChart orgChartAnswer }
	api.query(t, "", `{ orgChart { nodes { id parentId } connections { from to } } }`, nil, &d)
	var wantBoxes, wantLinks, wantConns, roots []string
	for _, n := range d.OrgChart.Nodes {
		wantBoxes = append(wantBoxes, n.ID)
		if n.ParentID != nil {
			wantLinks = append(wantLinks, *n.ParentID+" > "+n.ID)
		} else {
			roots = append(roots, n.ID)
		}
	}
	// d3-org-chart (d3.stratify) throws on a second root or a parentId
	// that names no node, which the page below would catch; it takes ""
	// for no parent as it takes null, so the README's "null at the root"
	// is checked here.
	if len(roots) != 1 {
		t.Errorf("orgChart has roots %v (parentId null), want one", roots)
	}
	for _, c := range d.OrgChart.Connections {
		wantConns = append(wantConns, c.From+" > "+c.To)
	}
	for _, l := range []*[]string{&wantBoxes, &wantLinks, &wantConns} {
		slices.Sort(*l)
	}
	if len(wantConns) == 0 || len(wantLinks) == 0 {
		t.Fatalf("orgChart has %d links and %d connections: nothing to draw", len(wantLinks), len(wantConns))
	}

	tb := visit(t, from, api, "d3-org-chart.html", nil)
	boxes := eval[[]string](t, tb, `[...document.querySelectorAll('#chart g.node')].map(g => g.__data__.data.id).sort()`)
	if !slices.Equal(boxes, wantBoxes) {
		t.Errorf("d3-org-chart drew %d boxes %v\nwant one per node of orgChart, %d: %v", len(boxes), boxes, len(wantBoxes), wantBoxes)
	}
	links := eval[[]string](t, tb, `[...document.querySelectorAll('#chart path.link')].map(p => p.__data__.parent.data.id + ' > ' + p.__data__.data.id).sort()`)
	if !slices.Equal(links, wantLinks) {
		t.Errorf("d3-org-chart drew links %v\nwant one per parentId %v", links, wantLinks)
	}
	conns := eval[[]string](t, tb, `[...document.querySelectorAll('#chart path.connection')].map(p => p.__data__.from + ' > ' + p.__data__.to).sort()`)
	if !slices.Equal(conns, wantConns) {
		t.Errorf("d3-org-chart drew %d connection lines %v\nwant one per connection of orgChart, %d: %v", len(conns), conns, len(wantConns), wantConns)
	}
	// Every line has a shape: a connection whose ends d3-org-chart did not
	// find would have none (or NaN in it).
	if bad := eval[int](t, tb, `[...document.querySelectorAll('#chart path.connection, #chart path.link')].filter(p => !p.getAttribute('d') || p.getAttribute('d').includes('NaN')).length`); bad > 0 {
		t.Errorf("%d lines drawn without a shape", bad)
	}
	tb.noProblems(t)
	tb.screenshot(t, "d3-org-chart")
}

// cyjs is the part of the Cytoscape JSON export the tests read.
type cyjs struct {
	Elements struct {
		Nodes []struct{ Data map[string]any }
		Edges []struct{ Data map[string]any }
	}
}

// cyParents are the compound parents Cytoscape.js set, by node.
func cyParents(t *testing.T, tb *tab) map[string]string {
	t.Helper()
	var got map[string]string
	if err := json.Unmarshal(eval[json.RawMessage](t, tb, `Object.fromEntries(cy.nodes().filter(n => n.parent().nonempty()).map(n => [n.id(), n.parent().id()]))`), &got); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestCytoscapeDrawsTheExportAsItComes: Cytoscape.js, given the elements
// of GET /export/orgchart.cyjs, draws every node and edge, members inside
// their containers.
func TestCytoscapeDrawsTheExportAsItComes(t *testing.T) {
	from := pages(t)
	api := apiFor(t, from.URL)
	resp, err := http.Get(api.URL + "/export/orgchart.cyjs")
	if err != nil {
		t.Fatal(err)
	}
	var doc cyjs
	err = json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	wantParents := map[string]string{}
	for _, n := range doc.Elements.Nodes {
		if p, ok := n.Data["parent"].(string); ok {
			wantParents[n.Data["id"].(string)] = p
		}
	}
	if len(wantParents) == 0 {
		t.Fatal("the export puts no node inside a container")
	}

	tb := visit(t, from, api, "cytoscape.html", url.Values{"from": {"export"}})
	if n := eval[int](t, tb, `cy.nodes().length`); n != len(doc.Elements.Nodes) {
		t.Errorf("Cytoscape.js drew %d nodes, want the export's %d", n, len(doc.Elements.Nodes))
	}
	if n := eval[int](t, tb, `cy.edges().length`); n != len(doc.Elements.Edges) {
		t.Errorf("Cytoscape.js drew %d edges, want the export's %d", n, len(doc.Elements.Edges))
	}
	if got := cyParents(t, tb); !maps.Equal(got, wantParents) {
		t.Errorf("Cytoscape.js put nodes inside %v, want the export's %v", got, wantParents)
	}
	tb.noProblems(t)
	tb.screenshot(t, "cytoscape-export")
}

// TestCytoscapeDrawsOrgChartAsItComes: the README says orgChart's nodes
// carry parent (the container) for Cytoscape.js compound nodes, its
// connections source/target for its edges, and kinds: [REPORTS_TO, HEADS]
// gives the tree as edges. Each node and connection passed as an
// element's data, Cytoscape.js draws them all, members inside their
// containers, and an edge between every node and its parentId.
func TestCytoscapeDrawsOrgChartAsItComes(t *testing.T) {
	from := pages(t)
	api := apiFor(t, from.URL)
	var d struct{ OrgChart orgChartAnswer }
	api.query(t, "", `{ orgChart(containers: true, kinds: [REPORTS_TO, HEADS]) { nodes { id parentId parent } connections { from to } } }`, nil, &d)
	wantParents := map[string]string{}
	for _, n := range d.OrgChart.Nodes {
		if n.Parent != nil {
			wantParents[n.ID] = *n.Parent
		}
	}
	if len(wantParents) == 0 {
		t.Fatal("orgChart(containers: true) puts no node inside a container")
	}

	tb := visit(t, from, api, "cytoscape.html", url.Values{"from": {"orgchart"}})
	if n := eval[int](t, tb, `cy.nodes().length`); n != len(d.OrgChart.Nodes) {
		t.Errorf("Cytoscape.js drew %d nodes, want orgChart's %d", n, len(d.OrgChart.Nodes))
	}
	if n := eval[int](t, tb, `cy.edges().length`); n != len(d.OrgChart.Connections) {
		t.Errorf("Cytoscape.js drew %d edges, want orgChart's %d connections", n, len(d.OrgChart.Connections))
	}
	if got := cyParents(t, tb); !maps.Equal(got, wantParents) {
		t.Errorf("Cytoscape.js put nodes inside %v, want orgChart's parents %v", got, wantParents)
	}
	// The tree as edges: one between each node and its parentId.
	missing := eval[[]string](t, tb, `cy.nodes().filter(n => n.data('parentId') && cy.getElementById(n.data('parentId')).edgesWith(n).length !== 1).map(n => n.id())`)
	if len(missing) > 0 {
		t.Errorf("no single edge between these nodes and their parentId: %v", missing)
	}
	tb.noProblems(t)
	tb.screenshot(t, "cytoscape-orgchart")
}
