package e2e_test

// Pages of another origin: testdata's pages, served by a second server (a
// second port is a second origin), read the API the way a team's own page
// would: across origins, allowed by ORGRAPH_CORS_ORIGINS (server.Config's
// CORSOrigins).

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/orgraph/orgraph/internal/server"
)

// pages serves testdata on an origin of its own.
func pages(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.FileServer(http.Dir("testdata")))
	t.Cleanup(srv.Close)
	return srv
}

// apiFor is the API allowing pages of the origins given, as
// ORGRAPH_CORS_ORIGINS would list them.
func apiFor(t *testing.T, origins ...string) site {
	t.Helper()
	list, err := server.ParseOrigins(strings.Join(origins, ","))
	if err != nil {
		t.Fatal(err)
	}
	return serveWith(t, server.Config{CORSOrigins: list})
}

// visit opens page (with ?api= the API's origin, and more query) in a
// browser that may ask for nothing but the page's and the API's origins,
// and waits for the page to say it is done: data-state ready, done or error.
func visit(t *testing.T, from *httptest.Server, api site, page string, query url.Values) *tab {
	t.Helper()
	tb := openFrom(t, from.URL, api.URL)
	if query == nil {
		query = url.Values{}
	}
	query.Set("api", api.URL)
	tb.do(t, chromedp.Navigate(from.URL+"/"+page+"?"+query.Encode()))
	tb.wait(t, `['ready', 'done', 'error'].includes(document.body.dataset.state)`)
	if eval[string](t, tb, `document.body.dataset.state`) == "error" {
		tb.noProblems(t)
		t.Fatalf("%s failed: %s", page, eval[string](t, tb, `document.getElementById('status').innerText`))
	}
	return tb
}

// corsResult is what cors.html's fetch of orgChart gave: the nodes, or the
// error the fetch rejected with.
type corsResult struct {
	Status int
	Nodes  []chartNode
	Error  string
}

func (tb *tab) corsResult(t *testing.T) corsResult {
	t.Helper()
	var r corsResult
	if err := json.Unmarshal(eval[json.RawMessage](t, tb, `window.result`), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// preflights are the CORS preflights a site received for /query from origin.
func (s site) preflights(origin string) []receivedRequest {
	var out []receivedRequest
	for _, r := range s.received.all() {
		if r.Method == http.MethodOptions && r.Path == "/query" && r.Origin == origin && r.RequestMethod != "" {
			out = append(out, r)
		}
	}
	return out
}

// posts are the POST /query requests a site received from origin.
func (s site) posts(origin string) int {
	n := 0
	for _, r := range s.received.all() {
		if r.Method == http.MethodPost && r.Path == "/query" && r.Origin == origin {
			n++
		}
	}
	return n
}

// TestCORSAnAllowedOriginReadsTheAPI: a page of an origin the API lists
// posts a JSON query; the browser asks first (a preflight OPTIONS naming
// Content-Type), then reads orgChart's nodes.
func TestCORSAnAllowedOriginReadsTheAPI(t *testing.T) {
	from := pages(t)
	api := apiFor(t, from.URL)
	want := ids(api.chart(t, "", ""))
	tb := visit(t, from, api, "cors.html", nil)
	r := tb.corsResult(t)
	if r.Error != "" || r.Status != http.StatusOK {
		t.Fatalf("a page of the allowed origin %s could not read the API: %+v", from.URL, r)
	}
	if got := ids(r.Nodes); !slices.Equal(got, want) {
		t.Errorf("the page read nodes %v, want orgChart's %v", got, want)
	}
	// The browser sent a preflight, and the server saw it ask for
	// Content-Type.
	tb.mu.Lock()
	preflights := slices.Clone(tb.preflights)
	tb.mu.Unlock()
	if !slices.Contains(preflights, "OPTIONS "+api.URL+"/query") {
		t.Errorf("the browser reported no preflight for %s/query; its preflights: %v", api.URL, preflights)
	}
	pf := api.preflights(from.URL)
	if len(pf) != 1 || pf[0].RequestMethod != http.MethodPost || !strings.Contains(strings.ToLower(pf[0].RequestHeaders), "content-type") {
		t.Errorf("the server received preflights %+v, want one OPTIONS asking for POST with content-type", pf)
	}
	if n := api.posts(from.URL); n != 1 {
		t.Errorf("the server received %d POST /query from %s, want 1", n, from.URL)
	}
	tb.noProblems(t)
	tb.screenshot(t, "cors-allowed")
}

// TestCORSRefusesOtherOrigins: a page of an origin the API does not list,
// and any page of another origin when the API lists none (the default),
// cannot read it: the preflight gets no Access-Control-Allow-Origin, the
// browser never sends the query, and fetch rejects with a TypeError.
func TestCORSRefusesOtherOrigins(t *testing.T) {
	allowed, other := pages(t), pages(t)
	for _, c := range []struct {
		name string
		from *httptest.Server
		api  site
	}{
		{"an origin not listed", other, apiFor(t, allowed.URL)},
		{"no origins listed (the default)", allowed, serveWith(t, server.Config{})},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb := visit(t, c.from, c.api, "cors.html", nil)
			r := tb.corsResult(t)
			if !strings.HasPrefix(r.Error, "TypeError") || len(r.Nodes) > 0 {
				t.Errorf("a page of %s read the API at %s: %+v, want fetch to reject with a TypeError", c.from.URL, c.api.URL, r)
			}
			if n := len(c.api.preflights(c.from.URL)); n != 1 {
				t.Errorf("the server received %d preflights from %s, want 1 (the browser asked and was refused)", n, c.from.URL)
			}
			if n := c.api.posts(c.from.URL); n != 0 {
				t.Errorf("the server received %d POST /query from %s after refusing its preflight, want none", n, c.from.URL)
			}
			tb.mu.Lock()
			refused := slices.Clone(tb.corsErrors)
			tb.mu.Unlock()
			if !slices.ContainsFunc(refused, func(e string) bool {
				return strings.HasPrefix(e, c.api.URL+"/query: Preflight")
			}) {
				t.Errorf("the browser reported CORS errors %v, want the preflight of %s/query refused", refused, c.api.URL)
			}
		})
	}
}
