// Package e2e_test drives the pages the binary serves (the playground and
// /chart) in a real headless Chromium, with the network shut: the browser
// resolves no host but loopback, and every request it makes is checked to
// go to the server under test. Screenshots go to TEST_OUTPUT_DIR (default
// .test-output/e2e at the repository's root).
package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/ordinance"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/internal/server/servertest"
	"github.com/orgraph/orgraph/internal/storetest"
)

// chromium finds the browser: $CHROMIUM, or Debian's chromium on PATH
// (scripts/test.sh installs it). A missing browser fails the tests: they
// are part of make test, not optional.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium on PATH: install Debian's chromium (make test does) or set CHROMIUM")
	return ""
}

// site is the server under test: the seed in the embedded store, anonymous
// requests acting as viewers (the default), servertest's tokens for the rest.
type site struct {
	*httptest.Server
	received *received
}

func serve(t *testing.T) site {
	t.Helper()
	return serveWith(t, server.Config{})
}

// serveWith is serve with cfg (Auth defaults to serve's), keeping every
// request the server received (method, path and the CORS request headers).
func serveWith(t *testing.T, cfg server.Config) site {
	t.Helper()
	s := memstore.New()
	if err := s.Load(context.Background(), storetest.MustSeed(t)); err != nil {
		t.Fatal(err)
	}
	if cfg.Auth == nil {
		cfg.Auth = servertest.Auth(string(org.RoleViewer))
	}
	h := server.New(&org.Service{Store: s, Overlay: memstore.Overlay, Acts: ordinance.ReadAct}, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	st := site{received: &received{}}
	st.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st.received.add(r)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(st.Close)
	return st
}

// received keeps the requests a site was sent, as the browser sent them.
type received struct {
	mu   sync.Mutex
	reqs []receivedRequest
}

type receivedRequest struct {
	Method, Path, Origin string
	// Access-Control-Request-Method and -Headers: set on a preflight.
	RequestMethod, RequestHeaders string
}

func (rs *received) add(r *http.Request) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.reqs = append(rs.reqs, receivedRequest{Method: r.Method, Path: r.URL.Path, Origin: r.Header.Get("Origin"),
		RequestMethod: r.Header.Get("Access-Control-Request-Method"), RequestHeaders: r.Header.Get("Access-Control-Request-Headers")})
}

func (rs *received) all() []receivedRequest {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return slices.Clone(rs.reqs)
}

// query posts a GraphQL query with a token ("" for none) and decodes its
// data into out, failing on any error.
func (s site) query(t *testing.T, token, query string, vars map[string]any, out any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	if len(r.Errors) > 0 {
		t.Fatalf("%s: %+v", query, r.Errors)
	}
	if err := json.Unmarshal(r.Data, out); err != nil {
		t.Fatal(err)
	}
}

// tab is one page in its own headless browser, with every URL it asked for
// and what it reported: failed loads, refusals by CORS, console errors and
// warnings, uncaught exceptions.
type tab struct {
	ctx        context.Context
	origins    []string // where the page may send requests
	mu         sync.Mutex
	urls       []string
	logs       []string
	preflights []string // "OPTIONS url" of each CORS preflight
	corsErrors []string // "url: CorsError" of each request CORS refused
	problems   []string // console errors and warnings, uncaught exceptions
	byID       map[network.RequestID]string
}

// open starts a browser for a page of s.
func open(t *testing.T, s site) *tab {
	t.Helper()
	return openFrom(t, s.URL)
}

// openFrom starts a browser whose page may ask for nothing but the origins
// given (each an httptest server's URL).
func openFrom(t *testing.T, origins ...string) *tab {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 900),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		// The network shut: no host resolves but the loopback the server
		// listens on, so a request for a CDN fails instead of leaving.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		// and whatever resolves anyway goes to a proxy that is not there
		// (loopback bypasses proxies).
		chromedp.Flag("proxy-server", "http://127.0.0.1:9"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	tb := &tab{ctx: ctx, origins: origins, byID: map[network.RequestID]string{}}
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Listen(ctx, func(ev any) {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			tb.urls = append(tb.urls, e.Request.URL)
			tb.byID[e.RequestID] = e.Request.URL
			// Chromium reports a preflight as a request of its own, of type
			// Other, that a preflight initiated.
			if e.Initiator != nil && e.Initiator.Type == network.InitiatorTypePreflight {
				tb.preflights = append(tb.preflights, e.Request.Method+" "+e.Request.URL)
			}
		case *network.EventLoadingFailed:
			tb.logs = append(tb.logs, "request failed: "+e.ErrorText)
			if e.CorsErrorStatus != nil {
				tb.corsErrors = append(tb.corsErrors, tb.byID[e.RequestID]+": "+string(e.CorsErrorStatus.CorsError))
			}
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			text := d.Text
			if d.Exception != nil {
				text += " " + d.Exception.Description
			}
			tb.problems = append(tb.problems, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, text))
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range e.Args {
					if a.Description != "" {
						args = append(args, a.Description)
					} else {
						args = append(args, string(a.Value))
					}
				}
				tb.problems = append(tb.problems, "console."+string(e.Type)+": "+strings.Join(args, " "))
			}
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError || e.Entry.Level == cdplog.EntryLevelWarning {
				tb.problems = append(tb.problems, fmt.Sprintf("browser %s (%s): %s", e.Entry.Level, e.Entry.Source, e.Entry.Text))
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tb.checkRequests(t) })
	return tb
}

// checkRequests fails the test for any request that went elsewhere than
// the servers under test.
func (tb *tab) checkRequests(t *testing.T) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	if len(tb.urls) == 0 {
		t.Error("the browser made no request at all")
	}
	for _, u := range tb.urls {
		if strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "blob:") ||
			slices.ContainsFunc(tb.origins, func(o string) bool { return strings.HasPrefix(u, o+"/") }) {
			continue
		}
		t.Errorf("the page asked for %s, outside the servers under test", u)
	}
	if t.Failed() && len(tb.logs) > 0 {
		t.Logf("browser: %s", strings.Join(tb.logs, "; "))
	}
}

// noProblems fails the test for any console error or warning and any
// uncaught exception the page reported so far.
func (tb *tab) noProblems(t *testing.T) {
	t.Helper()
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, p := range tb.problems {
		t.Errorf("the page reported %s", p)
	}
}

// do runs the actions, each step bounded so that a broken page fails in
// seconds rather than hanging the suite.
func (tb *tab) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

func eval[T any](t *testing.T, tb *tab, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("browser: %s: %v", expr, err)
	}
	return v
}

// wait polls a predicate in the page until it holds, for at most 30 s.
func (tb *tab) wait(t *testing.T, predicate string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 40*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](predicate, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		status, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`(document.getElementById('status') || document.body).innerText.slice(0, 500)`))
		t.Fatalf("browser: waiting for %s: %v (page: %q)", predicate, err, status)
	}
}

// screenshot writes the whole page as name.png under the test output folder.
func (tb *tab) screenshot(t *testing.T, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	dir := os.Getenv("TEST_OUTPUT_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", ".test-output", "e2e")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// clickBox clicks the middle of a chart box where the canvas draws it, as
// a user would.
func (tb *tab) clickBox(t *testing.T, id string) {
	t.Helper()
	var at struct{ X, Y float64 }
	raw := eval[json.RawMessage](t, tb, fmt.Sprintf(`(() => {
		const cy = orgraphChart.cy, n = cy.getElementById(%q);
		cy.center(n);
		const p = n.renderedPosition(), r = document.getElementById('cy').getBoundingClientRect();
		return {x: r.left + p.x, y: r.top + p.y};
	})()`, id))
	if err := json.Unmarshal(raw, &at); err != nil {
		t.Fatal(err)
	}
	tb.do(t, chromedp.MouseClickXY(at.X, at.Y))
}

func TestPlaygroundRendersAndRunsAQuery(t *testing.T) {
	s := serve(t)
	tb := open(t, s)
	tb.do(t,
		chromedp.Navigate(s.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(".graphiql-execute-button")),
	)
	// The default query is KS-07's chain of command; its first step is
	// KS-07 itself, "Referat ds. Wydawnictw i Publikacji" (§ 3 ust. 1 pkt 7).
	tb.wait(t, `document.querySelector('.graphiql-query-editor') && document.querySelector('.graphiql-query-editor').innerText.includes('chainOfCommand')`)
	tb.do(t, chromedp.Click(chromedp.CSS(".graphiql-execute-button")))
	tb.wait(t, `(document.querySelector('.graphiql-response') || {innerText: ''}).innerText.replace(/\u00a0/g, ' ').includes('Referat ds. Wydawnictw i Publikacji')`)
	tb.screenshot(t, "playground")
	// The explorer and history plugins a user expects are there.
	for _, label := range []string{"Show GraphiQL Explorer", "Show History"} {
		if !eval[bool](t, tb, fmt.Sprintf(`!!document.querySelector('[aria-label=%q]')`, label)) {
			t.Errorf("the playground has no %q button", label)
		}
	}
}

type chartNode struct {
	ID       string
	ParentID *string
	Name     string
	Code     *string
}

func (s site) chart(t *testing.T, token, scenario string) []chartNode {
	t.Helper()
	var d struct{ OrgChart struct{ Nodes []chartNode } }
	vars := map[string]any{}
	if scenario != "" {
		vars["s"] = scenario
	}
	s.query(t, token, `query($s: ID) { orgChart(scenario: $s) { nodes { id parentId name code } } }`, vars, &d)
	return d.OrgChart.Nodes
}

func ids(ns []chartNode) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.ID
	}
	slices.Sort(out)
	return out
}

// TestChartDrawsOneBoxPerNode: the page draws exactly orgChart's nodes,
// each under its parent (top-down), and lists them all for the keyboard.
func TestChartDrawsOneBoxPerNode(t *testing.T) {
	s := serve(t)
	want := s.chart(t, "", "")
	tb := open(t, s)
	tb.do(t, chromedp.Navigate(s.URL+"/chart"))
	tb.wait(t, `document.body.dataset.state === 'ready'`)
	got := eval[[]string](t, tb, `orgraphChart.cy.nodes().map(n => n.id()).sort()`)
	if !slices.Equal(got, ids(want)) {
		t.Errorf("the chart draws %v\nwant orgChart's nodes %v", got, ids(want))
	}
	if n := eval[int](t, tb, `document.querySelectorAll('#outline li').length`); n != len(want) {
		t.Errorf("the outline lists %d boxes, want %d", n, len(want))
	}
	// Top-down: every box sits below its parent.
	var ys map[string]float64
	if err := json.Unmarshal(eval[json.RawMessage](t, tb, `Object.fromEntries(orgraphChart.cy.nodes().map(n => [n.id(), n.position('y')]))`), &ys); err != nil {
		t.Fatal(err)
	}
	for _, n := range want {
		if n.ParentID != nil && ys[n.ID] <= ys[*n.ParentID] {
			t.Errorf("%s (y %.0f) is not below its parent %s (y %.0f)", n.ID, ys[n.ID], *n.ParentID, ys[*n.ParentID])
		}
	}
	if n := eval[int](t, tb, `orgraphChart.cy.edges().length`); n != len(want)-1 {
		t.Errorf("%d lines drawn before any click, want the tree's %d (cooperation and tasking only on demand)", n, len(want)-1)
	}
	tb.screenshot(t, "chart")

	// With containers, what a unit is part of is drawn around it
	// (Cytoscape's compound parent), as orgChart(containers: true) says.
	var d struct {
		OrgChart struct {
			Nodes []struct {
				ID     string
				Parent *string
			}
		}
	}
	s.query(t, "", `{ orgChart(containers: true) { nodes { id parent } } }`, nil, &d)
	want2 := map[string]string{}
	for _, n := range d.OrgChart.Nodes {
		if n.Parent != nil {
			want2[n.ID] = *n.Parent
		}
	}
	tb.do(t, chromedp.Click(chromedp.CSS("#containers")))
	tb.wait(t, `document.body.dataset.state === 'ready' && orgraphChart.cy.nodes(':parent').length > 0`)
	var got2 map[string]string
	if err := json.Unmarshal(eval[json.RawMessage](t, tb, `Object.fromEntries(orgraphChart.cy.nodes().filter(n => n.parent().nonempty()).map(n => [n.id(), n.parent().id()]))`), &got2); err != nil {
		t.Fatal(err)
	}
	if len(want2) == 0 || !maps.Equal(got2, want2) {
		t.Errorf("containers drawn %v, want orgChart's %v", got2, want2)
	}
	if n := eval[int](t, tb, `orgraphChart.cy.nodes().length`); n != len(d.OrgChart.Nodes) {
		t.Errorf("%d boxes with containers, want %d", n, len(d.OrgChart.Nodes))
	}
	tb.screenshot(t, "chart-containers")
}

// TestChartOpensAUnitsDuties clicks KS-07's box: the panel lists its
// duties, each with its provision, as the API answers them, and draws its
// cooperation.
func TestChartOpensAUnitsDuties(t *testing.T) {
	s := serve(t)
	var d struct {
		Unit struct {
			Duties []struct {
				Number, Text string
				Source       struct{ Provision string }
			}
		}
		Cooperation []struct{ Partner struct{ ID string } }
		OrgChart    struct{ Nodes []struct{ ID string } }
	}
	s.query(t, "", `{ unit(code: "KS-07") { duties { number text source { provision } } }
		cooperation(node: "KS-07") { partner { id } } orgChart { nodes { id } } }`, nil, &d)
	if len(d.Unit.Duties) == 0 {
		t.Fatal("KS-07 has no duties in the seed")
	}
	tb := open(t, s)
	tb.do(t, chromedp.Navigate(s.URL+"/chart"))
	tb.wait(t, `document.body.dataset.state === 'ready'`)
	tb.clickBox(t, "KS-07")
	tb.wait(t, `document.getElementById('details').dataset.node === 'KS-07'`)
	items := eval[[]string](t, tb, `[...document.querySelectorAll('#duties li')].map(li => li.innerText)`)
	if len(items) != len(d.Unit.Duties) {
		t.Fatalf("the panel lists %d duties, want KS-07's %d", len(items), len(d.Unit.Duties))
	}
	for i, duty := range d.Unit.Duties {
		if !strings.Contains(items[i], duty.Text) || !strings.Contains(items[i], duty.Source.Provision) {
			t.Errorf("duty %d shown as %q, want its text %q and provision %q", i, items[i], duty.Text, duty.Source.Provision)
		}
	}
	inChart := map[string]bool{}
	for _, n := range d.OrgChart.Nodes {
		inChart[n.ID] = true
	}
	want := 0
	for _, c := range d.Cooperation {
		if inChart[c.Partner.ID] {
			want++
		}
	}
	if got := eval[int](t, tb, `orgraphChart.cy.edges('.cooperation').length`); got != want {
		t.Errorf("%d cooperation lines drawn for KS-07, want %d (one per declaration with a partner in the chart)", got, want)
	}
	tb.screenshot(t, "chart-duties")
}

// TestChartSearchFoldsDiacritics types a query without Polish letters:
// the boxes marked are those whose folded code and name hold every term.
func TestChartSearchFoldsDiacritics(t *testing.T) {
	s := serve(t)
	nodes := s.chart(t, "", "")
	tb := open(t, s)
	tb.do(t, chromedp.Navigate(s.URL+"/chart"))
	tb.wait(t, `document.body.dataset.state === 'ready'`)
	for _, q := range []string{"zastepca dyrektora", "referat wydawnictw", "ks-0", "miejskich"} {
		var want []string
		for _, n := range nodes {
			code := ""
			if n.Code != nil {
				code = *n.Code
			}
			text := org.Fold(code + " " + n.Name)
			all := true
			for _, term := range strings.Fields(org.Fold(q)) {
				all = all && strings.Contains(text, term)
			}
			if all {
				want = append(want, n.ID)
			}
		}
		slices.Sort(want)
		if len(want) == 0 {
			t.Fatalf("%q matches nothing in the seed", q)
		}
		tb.do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById('search').value = ''`), chromedp.SendKeys(chromedp.CSS("#search"), q))
		got := eval[[]string](t, tb, `orgraphChart.cy.nodes('.match').map(n => n.id()).sort()`)
		if !slices.Equal(got, want) {
			t.Errorf("search %q marks %v, want %v", q, got, want)
		}
	}
}

// TestChartShowsAScenario: a planner's scenario moving KS-07 under the
// Deputy Director for Promotion, shared with everyone, picked in the
// page by an anonymous viewer: KS-07 is marked moved and drawn under its
// new superior; the SVG and PNG of the view download and parse.
func TestChartShowsAScenario(t *testing.T) {
	s := serve(t)
	var c struct{ CreateScenario struct{ ID string } }
	s.query(t, servertest.PlannerToken, `mutation { createScenario(name: "KS-07 pod Zastępcę ds. Promocji") { id } }`, nil, &c)
	id := c.CreateScenario.ID
	var ignore json.RawMessage
	s.query(t, servertest.PlannerToken, `mutation($s: ID!) { addChange(scenario: $s, change: { move: { node: "KS-07", under: "zastepca-dyrektora-ds-promocji" } }) { version } }`, map[string]any{"s": id}, &ignore)
	s.query(t, servertest.PlannerToken, `mutation($s: ID!) { shareScenario(id: $s, with: ["*"]) { id } }`, map[string]any{"s": id}, &ignore)

	tb := open(t, s)
	downloads := t.TempDir()
	tb.do(t,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads})
			return err
		}),
		chromedp.Navigate(s.URL+"/chart"),
	)
	tb.wait(t, `document.body.dataset.state === 'ready' && [...document.querySelectorAll('#scenario option')].some(o => o.value === `+jsString(id)+`)`)
	// Pick the scenario the way the select does when a user picks it.
	tb.do(t, chromedp.SetValue(chromedp.CSS("#scenario"), id),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('scenario').dispatchEvent(new Event('change'))`))
	tb.wait(t, `document.body.dataset.state === 'ready' && !document.getElementById('legend').hidden`)
	if moved := eval[[]string](t, tb, `orgraphChart.cy.nodes('.moved').map(n => n.id())`); !slices.Equal(moved, []string{"KS-07"}) {
		t.Errorf("moved boxes %v, want [KS-07]", moved)
	}
	if n := eval[string](t, tb, `document.querySelector('#legend [data-kind=moved]').dataset.count`); n != "1" {
		t.Errorf("the legend counts %s moved, want 1", n)
	}
	parent := eval[[]string](t, tb, `orgraphChart.cy.getElementById('KS-07').incomers('edge.tree').map(e => e.source().id())`)
	if !slices.Equal(parent, []string{"zastepca-dyrektora-ds-promocji"}) {
		t.Errorf("KS-07 drawn under %v, want the scenario's zastepca-dyrektora-ds-promocji", parent)
	}
	if got, want := eval[[]string](t, tb, `orgraphChart.cy.nodes().map(n => n.id()).sort()`), ids(s.chart(t, servertest.PlannerToken, id)); !slices.Equal(got, want) {
		t.Errorf("the scenario's chart draws %v, want %v", got, want)
	}
	if !strings.Contains(eval[string](t, tb, `location.search`), "scenario="+id) {
		t.Errorf("the address does not keep the scenario: a reload or a shared link would lose it")
	}
	tb.screenshot(t, "chart-scenario")

	tb.do(t, chromedp.Click(chromedp.CSS("#svg")), chromedp.Click(chromedp.CSS("#png")))
	svgFile := waitFile(t, filepath.Join(downloads, "orgchart-"+id+".svg"))
	pngFile := waitFile(t, filepath.Join(downloads, "orgchart-"+id+".png"))
	root, text, err := svgText(svgFile)
	if err != nil || root != "svg" {
		t.Errorf("the SVG export does not parse as SVG: %v (root %q)", err, root)
	}
	// Cytoscape wraps a box's label over several <text> lines.
	if !strings.Contains(text, "KS-07 Referat ds. Wydawnictw i Publikacji") {
		t.Errorf("the SVG export does not label KS-07's box; its text: %q", text)
	}
	img, err := png.Decode(bytes.NewReader(pngFile))
	if err != nil {
		t.Fatalf("the PNG export does not decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 400 || b.Dy() < 200 {
		t.Errorf("the PNG export is %v: too small for the chart", b)
	}
}

// svgText parses an SVG document: its root element's name and the text of
// its <text> elements, joined by spaces, runs of spaces folded.
func svgText(b []byte) (root, text string, err error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	var words []string
	depth, inText := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return root, strings.Join(strings.Fields(strings.Join(words, " ")), " "), nil
		}
		if err != nil {
			return root, "", err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				root = e.Name.Local
			}
			depth++
			if e.Name.Local == "text" {
				inText++
			}
		case xml.EndElement:
			depth--
			if e.Name.Local == "text" {
				inText--
			}
		case xml.CharData:
			if inText > 0 {
				words = append(words, string(e))
			}
		}
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// waitFile waits up to 20 s for a download to finish and returns it.
func waitFile(t *testing.T, path string) []byte {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			if _, err := os.Stat(path + ".crdownload"); os.IsNotExist(err) {
				return b
			}
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(filepath.Dir(path))
			names := []string{}
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Fatalf("no download %s after 20 s (folder holds %v)", filepath.Base(path), names)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
