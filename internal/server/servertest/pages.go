package servertest

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

type pageInfo struct {
	HasNextPage, HasPreviousPage bool
	StartCursor, EndCursor       *string
}

type unitPage struct {
	TotalCount int
	Edges      []struct {
		Cursor string
		Node   struct {
			Code *string
			Name string
		}
	}
	PageInfo pageInfo
}

// RunPages reads the connections through h, whose store holds the seed:
// the first units of § 2 a page at a time, every connection against the
// plain field beside it, and a scenario's units.
func RunPages(t *testing.T, h http.Handler) {
	t.Run("the units of § 2, three and then the rest", func(t *testing.T) {
		var first struct{ UnitsConnection unitPage }
		mustQuery(t, h, `{ unitsConnection(first: 3) { totalCount edges { cursor node { code name } }
			pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`, nil, &first)
		pg := first.UnitsConnection
		var got []string
		for _, e := range pg.Edges {
			got = append(got, str(e.Node.Code)+" "+e.Node.Name)
		}
		want := []string{" Wydział Komunikacji Społecznej", "KS-01 Referat ds. Organizacyjnych", "KS-02 Biuro Prasowe"}
		if !reflect.DeepEqual(got, want) || pg.TotalCount != 9 || !pg.PageInfo.HasNextPage || pg.PageInfo.HasPreviousPage {
			t.Fatalf("got %q, totalCount %d, %+v; want %q, 9, a next page and no previous one", got, pg.TotalCount, pg.PageInfo, want)
		}
		if str(pg.PageInfo.StartCursor) != pg.Edges[0].Cursor || str(pg.PageInfo.EndCursor) != pg.Edges[2].Cursor {
			t.Errorf("start and end cursors %+v are not the first and last edges'", pg.PageInfo)
		}
		var rest struct{ UnitsConnection unitPage }
		mustQuery(t, h, `query($a: String) { unitsConnection(after: $a) { totalCount edges { cursor node { code name } }
			pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`, map[string]any{"a": str(pg.PageInfo.EndCursor)}, &rest)
		got = got[:0]
		for _, e := range rest.UnitsConnection.Edges {
			got = append(got, str(e.Node.Code))
		}
		want = []string{"KS-03", "KS-04", "KS-05", "KS-06", "KS-07", ""}
		if info := rest.UnitsConnection.PageInfo; !reflect.DeepEqual(got, want) || info.HasNextPage || !info.HasPreviousPage {
			t.Errorf("after the third: got %q, %+v; want %q, no next page, a previous one", got, info, want)
		}
	})

	t.Run("every connection read whole is the plain field beside it", func(t *testing.T) {
		for _, tc := range []struct{ plain, connection, item string }{
			{`units(type: "section")`, `unitsConnection(type: "SECTION", first: 1000)`, `id`},
			{`positions`, `positionsConnection(first: 1000)`, `id`},
			{`duties(unit: "KS-04")`, `dutiesConnection(unit: "KS-04", first: 1000)`, `id`},
			{`duties`, `dutiesConnection(first: 1000)`, `id`},
			{`relations(kinds: [COOPERATES_WITH])`, `relationsConnection(kinds: [COOPERATES_WITH], first: 1000)`, `kind from { id } to { id } source { provision }`},
			{`relations(from: "KS-06")`, `relationsConnection(from: "KS-06", first: 1000)`, `kind to { id } strength`},
			{`search(text: "wspolpraca", limit: 500)`, `searchConnection(text: "wspolpraca", first: 1000)`, `text node { id } duty { id }`},
			{`subordinates(of: "dyrektor-wydzialu", all: true)`, `subordinatesConnection(of: "dyrektor-wydzialu", all: true, first: 1000)`, `node { id } depth superior { id }`},
		} {
			var resp struct {
				Plain      []json.RawMessage
				Connection struct {
					TotalCount int
					Nodes      []json.RawMessage
					Edges      []struct{ Node json.RawMessage }
					PageInfo   pageInfo
				}
			}
			mustQuery(t, h, `{ plain: `+tc.plain+` { `+tc.item+` } connection: `+tc.connection+
				` { totalCount nodes { `+tc.item+` } edges { node { `+tc.item+` } } pageInfo { hasNextPage hasPreviousPage } } }`, nil, &resp)
			c := resp.Connection
			var edges []json.RawMessage
			for _, e := range c.Edges {
				edges = append(edges, e.Node)
			}
			if len(resp.Plain) == 0 || c.TotalCount != len(resp.Plain) || !reflect.DeepEqual(c.Nodes, resp.Plain) ||
				!reflect.DeepEqual(edges, resp.Plain) || c.PageInfo.HasNextPage || c.PageInfo.HasPreviousPage {
				t.Errorf("%s: totalCount %d, %d nodes, %d edges, %+v; the plain field has %d items",
					tc.connection, c.TotalCount, len(c.Nodes), len(edges), c.PageInfo, len(resp.Plain))
			}
		}
	})

	t.Run("a scenario's units are paged as the scenario leaves them", func(t *testing.T) {
		var created struct{ CreateScenario struct{ ID string } }
		mustQuery(t, h, `mutation { createScenario(name: "pages") { id } }`, nil, &created)
		id := created.CreateScenario.ID
		mustQuery(t, h, `mutation($s: ID!) { addChange(scenario: $s, change: {rename: {node: "KS-01", name: "Referat Nowy"}}) { version } }`,
			map[string]any{"s": id}, nil)
		var page struct{ UnitsConnection unitPage }
		mustQuery(t, h, `query($s: ID) { unitsConnection(first: 2, scenario: $s) { totalCount edges { cursor node { code name } } } }`,
			map[string]any{"s": id}, &page)
		if e := page.UnitsConnection.Edges; len(e) != 2 || e[1].Node.Name != "Referat Nowy" {
			t.Errorf("the scenario's second unit: got %+v, want KS-01 renamed", e)
		}
		mustQuery(t, h, `{ unitsConnection(first: 2) { totalCount edges { cursor node { code name } } } }`, nil, &page)
		if e := page.UnitsConnection.Edges; len(e) != 2 || e[1].Node.Name != "Referat ds. Organizacyjnych" {
			t.Errorf("the baseline's second unit: got %+v, want KS-01 as the act names it", e)
		}
		mustQuery(t, h, `mutation($s: ID!) { deleteScenario(id: $s) }`, map[string]any{"s": id}, nil)
	})
}

// mustQuery posts query as an admin and decodes its data into out (when
// not nil), failing on any error.
func mustQuery(t *testing.T, h http.Handler, query string, vars map[string]any, out any) {
	t.Helper()
	rec := do(h, http.MethodPost, "/query", "application/json", strings.NewReader(gql(query, vars)), false)
	var resp struct {
		Data   json.RawMessage
		Errors []json.RawMessage
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || len(resp.Errors) > 0 || rec.Code != http.StatusOK {
		t.Fatalf("%.200s: %d %.500s", query, rec.Code, rec.Body)
	}
	if out != nil {
		if err := json.Unmarshal(resp.Data, out); err != nil {
			t.Fatalf("%.200s: %v", query, err)
		}
	}
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
