package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/internal/server/servertest"
	"github.com/orgraph/orgraph/internal/storetest"
)

// MustOpenHandler returns the real HTTP handler over the seeded embedded
// store, with servertest's tokens; a request without a token is the
// anonymous admin's, who may do everything.
func MustOpenHandler(tb testing.TB) http.Handler {
	tb.Helper()
	s := memstore.New()
	if err := s.Load(context.Background(), storetest.MustSeed(tb)); err != nil {
		tb.Fatal(err)
	}
	return server.New(&org.Service{Store: s, Overlay: memstore.Overlay}, server.Config{Auth: servertest.Auth("admin")}, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// post sends a GraphQL query and decodes the data into out, failing on any error.
func post(t *testing.T, h http.Handler, query string, vars map[string]any, out any) {
	t.Helper()
	resp := send(t, h, query, vars)
	if len(resp.Errors) > 0 {
		t.Fatalf("query failed: %+v", resp.Errors)
	}
	if err := json.Unmarshal(resp.Data, out); err != nil {
		t.Fatalf("decode %s: %v", resp.Data, err)
	}
}

func send(t *testing.T, h http.Handler, query string, vars map[string]any) response {
	t.Helper()
	return sendAs(t, h, "", query, vars)
}

// sendAs is send with a bearer token ("": none).
func sendAs(t *testing.T, h http.Handler, token, query string, vars map[string]any) response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp response
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("status %d, body %q: %v", rec.Code, rec.Body.String(), err)
	}
	return resp
}

type node struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type source struct {
	Document  string  `json:"document"`
	Provision string  `json:"provision"`
	Basis     string  `json:"basis"`
	Reason    *string `json:"reason"`
}

type path struct {
	Nodes []node `json:"nodes"`
	Links []struct {
		From   node   `json:"from"`
		To     node   `json:"to"`
		Kind   string `json:"kind"`
		Source source `json:"source"`
	} `json:"links"`
}

const chainQuery = `query($from: String!) { chainOfCommand(from: $from) {
  nodes { id name } links { from { id } to { id } kind source { document provision basis reason } } } }`

func TestChainOfCommand(t *testing.T) {
	h := MustOpenHandler(t)
	for _, tc := range []struct {
		name, from string
		want       []string
	}{
		{"KS-07 climbs through its deputy and the Director, then three inferred links", "KS-07", []string{
			"KS-07 → zastepca-dyrektora-ds-mediow-miejskich REPORTS_TO § 3 ust. 2 pkt 2 STATED",
			"zastepca-dyrektora-ds-mediow-miejskich → dyrektor-wydzialu REPORTS_TO § 3 ust. 1 pkt 1 STATED",
			"dyrektor-wydzialu → dyrektor-departamentu REPORTS_TO § 4 pkt 2 INFERRED",
			"dyrektor-departamentu → zastepca-prezydenta REPORTS_TO § 11 pkt 24 INFERRED",
			"zastepca-prezydenta → prezydent REPORTS_TO § 11 pkt 24 INFERRED",
		}},
		{"KS-06 reports straight to the President", "KS-06", []string{
			"KS-06 → prezydent REPORTS_TO § 3 ust. 4 STATED",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out struct{ ChainOfCommand path }
			post(t, h, chainQuery, map[string]any{"from": tc.from}, &out)
			var got []string
			for _, l := range out.ChainOfCommand.Links {
				got = append(got, fmt.Sprintf("%s → %s %s %s %s", l.From.ID, l.To.ID, l.Kind, l.Source.Provision, l.Source.Basis))
				if l.Source.Document != "3468/2024" {
					t.Errorf("document: got %q, want 3468/2024", l.Source.Document)
				}
				if (l.Source.Basis == "INFERRED") != (l.Source.Reason != nil) {
					t.Errorf("%s: basis %s with reason %v", l.From.ID, l.Source.Basis, l.Source.Reason)
				}
			}
			assertEqual(t, got, tc.want)
			last := out.ChainOfCommand.Nodes[len(out.ChainOfCommand.Nodes)-1]
			if last.Name != "Prezydent Miasta Krakowa" {
				t.Errorf("top: got %q, want Prezydent Miasta Krakowa", last.Name)
			}
		})
	}
}

func TestCooperatingUnits(t *testing.T) {
	h := MustOpenHandler(t)
	var out struct {
		CooperatingUnits []struct {
			Unit struct {
				Code string `json:"code"`
			} `json:"unit"`
			Direction  string `json:"direction"`
			DeclaredBy node   `json:"declaredBy"`
			Strength   string `json:"strength"`
			Phrase     string `json:"phrase"`
			Source     source `json:"source"`
		}
	}
	post(t, h, `{ cooperatingUnits(code: "KS-06", strength: CLOSE) {
	  unit { code } direction declaredBy { id } strength phrase source { provision basis } } }`, nil, &out)
	var got []string
	units := map[string]bool{}
	for _, c := range out.CooperatingUnits {
		got = append(got, fmt.Sprintf("%s %s by %s %s", c.Unit.Code, c.Direction, c.DeclaredBy.ID, c.Source.Provision))
		units[c.Unit.Code] = true
		if !strings.HasPrefix(c.Phrase, "ścisła współpraca z") {
			t.Errorf("phrase: got %q", c.Phrase)
		}
	}
	assertEqual(t, got, []string{
		"KS-01 OUTGOING by KS-06 § 9 pkt 7",
		"KS-02 OUTGOING by KS-06 § 9 pkt 7", "KS-02 INCOMING by KS-02 § 5 pkt 9",
		"KS-03 OUTGOING by KS-06 § 9 pkt 7", "KS-03 INCOMING by KS-03 § 6 pkt 16",
		"KS-04 OUTGOING by KS-06 § 9 pkt 7", "KS-04 INCOMING by KS-04 § 7 pkt 15",
		"KS-05 OUTGOING by KS-06 § 9 pkt 7", "KS-05 INCOMING by KS-05 § 8 pkt 6",
		"KS-07 OUTGOING by KS-06 § 9 pkt 7", "KS-07 INCOMING by KS-07 § 10 pkt 14",
	})
	if len(units) != 6 {
		t.Errorf("got %d partner units, want 6 (KS-01..KS-05, KS-07)", len(units))
	}
}

func TestSubordinatesOfEachDeputy(t *testing.T) {
	h := MustOpenHandler(t)
	for deputy, want := range map[string][]string{
		"zastepca-dyrektora-ds-mediow-miejskich": {"KS-03 § 3 ust. 2 pkt 1", "KS-07 § 3 ust. 2 pkt 2"},
		"zastepca-dyrektora-ds-promocji":         {"KS-04 § 3 ust. 3 pkt 1", "KS-05 § 3 ust. 3 pkt 2"},
	} {
		t.Run(deputy, func(t *testing.T) {
			var out struct {
				Position struct {
					Subordinates []struct {
						Node  node `json:"node"`
						Depth int  `json:"depth"`
					} `json:"subordinates"`
					Relations []struct {
						From   node   `json:"from"`
						Source source `json:"source"`
					} `json:"relations"`
					SpanOfControl struct{ Direct, Total, Layers int } `json:"spanOfControl"`
				}
			}
			post(t, h, `query($id: ID!) { position(id: $id) {
			  subordinates { node { id } depth }
			  relations(kinds: [REPORTS_TO], direction: INCOMING) { from { id } source { provision } }
			  spanOfControl { direct total layers } } }`, map[string]any{"id": deputy}, &out)
			var got []string
			for _, r := range out.Position.Relations {
				got = append(got, r.From.ID+" "+r.Source.Provision)
			}
			assertEqual(t, got, want)
			if n := len(out.Position.Subordinates); n != 2 {
				t.Errorf("got %d subordinates, want 2", n)
			}
			if sp := out.Position.SpanOfControl; sp.Direct != 2 || sp.Total != 2 || sp.Layers != 1 {
				t.Errorf("span: got %+v, want 2, 2, 1", sp)
			}
		})
	}
}

func TestTaskers(t *testing.T) {
	h := MustOpenHandler(t)
	for code, want := range map[string][]string{
		// § 5 pkt 18 lets the Deputy for City Media task KS-02, which reports to the Director.
		"KS-02": {"prezydent § 5 pkt 18 true", "dyrektor-wydzialu § 5 pkt 18 true", "zastepca-dyrektora-ds-mediow-miejskich § 5 pkt 18 false"},
		// § 10 pkt 15 leaves out KS-07's own line manager, the Deputy for City Media.
		"KS-07": {"prezydent § 10 pkt 15 true", "dyrektor-wydzialu § 10 pkt 15 true"},
	} {
		t.Run("who may task "+code, func(t *testing.T) {
			var out struct {
				Taskers []struct {
					By                  node   `json:"by"`
					WithinReportingLine bool   `json:"withinReportingLine"`
					Common              bool   `json:"common"`
					Source              source `json:"source"`
				}
			}
			post(t, h, `query($code: String!) { taskers(code: $code) { by { id } withinReportingLine common source { provision } } }`,
				map[string]any{"code": code}, &out)
			var own []string
			common := 0
			for _, x := range out.Taskers {
				if x.Common {
					common++
					if x.Source.Provision != "§ 11 pkt 24" {
						t.Errorf("common grant from %s", x.Source.Provision)
					}
					continue
				}
				own = append(own, fmt.Sprintf("%s %s %v", x.By.ID, x.Source.Provision, x.WithinReportingLine))
			}
			assertEqual(t, own, want)
			if common != 5 { // § 11 pkt 24: the President, the Deputy President, the Director and both deputies
				t.Errorf("got %d common grants, want 5", common)
			}
		})
	}
}

func TestDutiesPerUnit(t *testing.T) {
	h := MustOpenHandler(t)
	var out struct {
		Units []struct {
			Code   *string `json:"code"`
			ID     string  `json:"id"`
			Duties []struct {
				Level  string `json:"level"`
				Source source `json:"source"`
			} `json:"duties"`
			All []struct{ ID string } `json:"all"`
		}
	}
	post(t, h, `{ units { id code duties { level source { provision } } all: duties(includeCommon: true) { id } } }`, nil, &out)
	// Items per § 4–§ 10, with letters and dashes: § 7 has 5 letters and 2 dashes, § 8 has 3 letters.
	wantItems := map[string]int{"KS-01": 19, "KS-02": 18, "KS-03": 17, "KS-04": 16, "KS-05": 7, "KS-06": 8, "KS-07": 15}
	wantAll := map[string]int{"KS-01": 19, "KS-02": 18, "KS-03": 17, "KS-04": 23, "KS-05": 10, "KS-06": 8, "KS-07": 15}
	total := 0
	for _, u := range out.Units {
		if u.Code == nil {
			if u.ID == "KS" && len(u.Duties) != 0 {
				t.Errorf("the department lists %d own duties, want 0", len(u.Duties))
			}
			continue
		}
		items := 0
		for _, d := range u.Duties {
			if d.Level == "ITEM" {
				items++
			}
		}
		total += items
		if items != wantItems[*u.Code] || len(u.Duties) != wantAll[*u.Code] {
			t.Errorf("%s: got %d items, %d duties; want %d, %d", *u.Code, items, len(u.Duties), wantItems[*u.Code], wantAll[*u.Code])
		}
		if len(u.All) != wantAll[*u.Code]+27 { // § 11: 24 items and 3 letters
			t.Errorf("%s with common duties: got %d, want %d", *u.Code, len(u.All), wantAll[*u.Code]+27)
		}
	}
	if total+24 != 124 {
		t.Errorf("got %d numbered items in § 4–§ 11, want 124", total+24)
	}
}

func TestSearch(t *testing.T) {
	h := MustOpenHandler(t)
	search := func(t *testing.T, text string) []string {
		var out struct {
			Search []struct {
				Duty *struct {
					Source source `json:"source"`
				} `json:"duty"`
				Node *node `json:"node"`
			}
		}
		post(t, h, `query($t: String!) { search(text: $t) { duty { source { provision } } node { id } } }`, map[string]any{"t": text}, &out)
		var got []string
		for _, hit := range out.Search {
			if hit.Node != nil {
				got = append(got, hit.Node.ID)
			} else {
				got = append(got, hit.Duty.Source.Provision)
			}
		}
		return got
	}
	t.Run("konferencji prasowych finds the press conferences of § 5 and § 9", func(t *testing.T) {
		assertEqual(t, search(t, "konferencji prasowych"), []string{"§ 5 pkt 6", "§ 9 pkt 3"})
	})
	t.Run("wspolpraca, without diacritics, finds every współpraca", func(t *testing.T) {
		assertEqual(t, search(t, "wspolpraca"), []string{
			"§ 4 pkt 8", "§ 5 pkt 4", "§ 5 pkt 8", "§ 5 pkt 9", "§ 6 pkt 6", "§ 6 pkt 8", "§ 6 pkt 14", "§ 6 pkt 16",
			"§ 7 pkt 7", "§ 7 pkt 15", "§ 8 pkt 3 lit. b", "§ 8 pkt 3 lit. c", "§ 8 pkt 4", "§ 8 pkt 6", "§ 9 pkt 7",
			"§ 10 pkt 2", "§ 10 pkt 4", "§ 10 pkt 5", "§ 10 pkt 11", "§ 10 pkt 14",
		})
	})
}

func TestErrors(t *testing.T) {
	h := MustOpenHandler(t)
	for _, tc := range []struct {
		name, query, code string
	}{
		{"an unknown unit code is NOT_FOUND", `{ unit(code: "KS-99") { name } }`, "NOT_FOUND"},
		{"an unknown start of a chain is NOT_FOUND", `{ chainOfCommand(from: "KS-42") { nodes { id } } }`, "NOT_FOUND"},
		{"a malformed code is BAD_USER_INPUT", `{ unit(code: "KS-07'; DROP") { name } }`, "BAD_USER_INPUT"},
		{"an empty code is BAD_USER_INPUT", `{ cooperatingUnits(code: "") { unit { id } } }`, "BAD_USER_INPUT"},
		{"a position asked for as a unit is BAD_USER_INPUT", `{ taskers(code: "prezydent") { by { id } } }`, "BAD_USER_INPUT"},
		{"a search with no word is BAD_USER_INPUT", `{ search(text: "  ") { text } }`, "BAD_USER_INPUT"},
		{"a negative search limit is BAD_USER_INPUT", `{ search(text: "media", limit: -1) { text } }`, "BAD_USER_INPUT"},
		{"a negative chart depth is BAD_USER_INPUT", `{ orgChart(depth: -1) { nodes { id } } }`, "BAD_USER_INPUT"},
		{"an unknown enum value fails validation", `{ cooperatingUnits(code: "KS-06", strength: STRONG) { unit { id } } }`, "GRAPHQL_VALIDATION_FAILED"},
		{"an unknown field fails validation", `{ units { salary } }`, "GRAPHQL_VALIDATION_FAILED"},
		{"a syntax error fails parsing", `{ units { `, "GRAPHQL_PARSE_FAILED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := send(t, h, tc.query, nil)
			if len(resp.Errors) == 0 {
				t.Fatalf("got no error, data %s", resp.Data)
			}
			if got := resp.Errors[0].Extensions["code"]; got != tc.code {
				t.Errorf("got code %v (%s), want %s", got, resp.Errors[0].Message, tc.code)
			}
		})
	}
	t.Run("a query beyond the complexity limit is refused", func(t *testing.T) {
		q := `{ units { duties(includeCommon: true) { unit { duties(includeCommon: true) { unit { duties(includeCommon: true) { id } } } } } } }`
		resp := send(t, h, q, nil)
		if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "COMPLEXITY_LIMIT_EXCEEDED" {
			t.Fatalf("got %+v", resp.Errors)
		}
	})
}

func TestHTTP(t *testing.T) {
	h := MustOpenHandler(t)
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	if rec := get("/healthz"); rec.Code != http.StatusOK || rec.Body.String() != "ok\n" {
		t.Errorf("/healthz: got %d %q", rec.Code, rec.Body.String())
	}
	if rec := get("/readyz"); rec.Code != http.StatusOK {
		t.Errorf("/readyz: got %d", rec.Code)
	}
	if rec := get("/"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "graphiql") {
		t.Errorf("/: got %d without GraphiQL", rec.Code)
	}
	t.Run("a body over the limit is refused", func(t *testing.T) {
		big := `{"query":"{ units { id } }","x":"` + strings.Repeat("a", 2<<20) + `"}`
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(big))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("got %d, want 413", rec.Code)
		}
	})
}

func assertEqual(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
