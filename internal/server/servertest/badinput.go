// Package servertest holds tests of the HTTP handler that every store must
// pass: the table of bad requests, each refused with its status and
// extensions.code and none writing anything.
package servertest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// BodyLimit is the body limit the handler under test must have (the
// default, 1 MiB).
const BodyLimit = 1 << 20

// Case is one bad request and how it must be answered.
type Case struct {
	Name        string
	Method      string // POST when empty
	ContentType string // application/json when empty and the method is POST; "-" for none
	Body        string // sent as is; SCENARIO stands for a scenario's id
	Chunked     bool   // send the body without a Content-Length
	Query       string // the URL's query string (GET)
	Status      int
	Code        string
}

// gql is a POST body for query with variables.
func gql(query string, vars map[string]any) string {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return string(b)
}

// aliases repeats field n times under aliases a0, a1, ...
func aliases(n int, field string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("a" + strconv.Itoa(i) + ": " + field + " ")
	}
	return b.String()
}

// long is a string of n bytes.
func long(n int) string { return strings.Repeat("a", n) }

// BadInputs is the table: transport errors first, then arguments and
// variables the API refuses. Each answers a GraphQL-shaped error.
func BadInputs() []Case {
	const units = `{ units { id } }`
	addChange := `mutation($s: ID!, $c: ChangeInput!) { addChange(scenario: $s, change: $c) { version } }`
	change := func(c map[string]any) string {
		return gql(addChange, map[string]any{"s": "SCENARIO", "c": c})
	}
	return []Case{
		// The transport.
		{Name: "malformed JSON", Body: `{"query": "{ units { id } }"`, Status: 400, Code: "BAD_REQUEST"},
		{Name: "an empty body", Body: ``, Status: 400, Code: "BAD_REQUEST"},
		{Name: "a body of blanks", Body: " \n ", Status: 400, Code: "BAD_REQUEST"},
		{Name: "trailing bytes after the JSON body", Body: gql(units, nil) + ` x`, Status: 400, Code: "BAD_REQUEST"},
		{Name: "two JSON objects", Body: gql(units, nil) + gql(units, nil), Status: 400, Code: "BAD_REQUEST"},
		{Name: "a batch (a JSON array)", Body: "[" + gql(units, nil) + "," + gql(units, nil) + "]", Status: 400, Code: "BAD_REQUEST"},
		{Name: "a JSON string, not an object", Body: `"{ units { id } }"`, Status: 400, Code: "BAD_REQUEST"},
		{Name: "no query", Body: `{"variables": {}}`, Status: 400, Code: "BAD_REQUEST"},
		{Name: "a query that is not a string", Body: `{"query": 42}`, Status: 400, Code: "BAD_REQUEST"},
		{Name: "variables that are not an object", Body: `{"query": "{ units { id } }", "variables": [1]}`, Status: 400, Code: "BAD_REQUEST"},
		{Name: "text/plain", ContentType: "text/plain", Body: gql(units, nil), Status: 415, Code: "UNSUPPORTED_MEDIA_TYPE"},
		{Name: "no content type", ContentType: "-", Body: gql(units, nil), Status: 415, Code: "UNSUPPORTED_MEDIA_TYPE"},
		{Name: "a form", ContentType: "application/x-www-form-urlencoded", Body: "query=" + url.QueryEscape(units), Status: 415, Code: "UNSUPPORTED_MEDIA_TYPE"},
		{Name: "PUT", Method: http.MethodPut, Body: gql(units, nil), Status: 405, Code: "METHOD_NOT_ALLOWED"},
		{Name: "DELETE", Method: http.MethodDelete, Status: 405, Code: "METHOD_NOT_ALLOWED"},
		{Name: "PATCH", Method: http.MethodPatch, Body: gql(units, nil), Status: 405, Code: "METHOD_NOT_ALLOWED"},
		{Name: "a body over the limit", Body: `{"query": "{ units { id } }", "x": "` + long(BodyLimit) + `"}`, Status: 413, Code: "PAYLOAD_TOO_LARGE"},
		{Name: "a chunked body over the limit", Chunked: true, Body: `{"query": "{ units { id } }", "x": "` + long(BodyLimit) + `"}`, Status: 413, Code: "PAYLOAD_TOO_LARGE"},
		{Name: "a mutation over GET", Method: http.MethodGet, Query: "query=" + url.QueryEscape(`mutation { createScenario(name: "x") { id } }`), Status: 405, Code: "METHOD_NOT_ALLOWED"},
		{Name: "undecodable GET variables", Method: http.MethodGet, Query: "query=" + url.QueryEscape(`query($c: String!) { unit(code: $c) { id } }`) + "&variables=%7Bnot+json", Status: 400, Code: "BAD_REQUEST"},
		{Name: "GET variables that are an array", Method: http.MethodGet, Query: "query=" + url.QueryEscape(units) + "&variables=%5B%5D", Status: 400, Code: "BAD_REQUEST"},
		{Name: "GET without a query", Method: http.MethodGet, Query: "", Status: 400, Code: "BAD_REQUEST"},
		{Name: "a GET query string that does not decode", Method: http.MethodGet, Query: "query=%zz", Status: 400, Code: "BAD_REQUEST"},

		// Operations refused before they run.
		{Name: "a syntax error", Body: gql(`{ units { `, nil), Status: 422, Code: "GRAPHQL_PARSE_FAILED"},
		{Name: "an unknown field", Body: gql(`{ units { salary } }`, nil), Status: 422, Code: "GRAPHQL_VALIDATION_FAILED"},
		{Name: "a cost over the limit", Body: gql(`{ units { duties(includeCommon: true) { unit { duties(includeCommon: true) { unit { duties { id } } } } } } }`, nil), Status: 422, Code: "COMPLEXITY_LIMIT_EXCEEDED"},
		{Name: "eleven aliased mutations", Body: gql("mutation { "+aliases(11, `createScenario(name: "x") { id }`)+"}", nil), Status: 422, Code: "COMPLEXITY_LIMIT_EXCEEDED"},

		// Enum values in variables, spelled exactly or refused.
		{Name: "kinds: [reports_to]", Body: gql(`query($k: [RelationKind!]) { shortestPath(from: "KS-03", to: "KS-04", kinds: $k) { length } }`, map[string]any{"k": []string{"reports_to"}}), Status: 422, Code: "BAD_USER_INPUT"},
		{Name: "kinds: reports_to, not in a list", Body: gql(`query($k: [RelationKind!]) { relations(kinds: $k) { kind } }`, map[string]any{"k": "reports_to"}), Status: 422, Code: "BAD_USER_INPUT"},
		{Name: "strength: close", Body: gql(`query($s: Strength) { cooperatingUnits(code: "KS-06", strength: $s) { unit { id } } }`, map[string]any{"s": "close"}), Status: 422, Code: "BAD_USER_INPUT"},
		{Name: "strength: STRONG", Body: gql(`query($s: Strength) { cooperatingUnits(code: "KS-06", strength: $s) { unit { id } } }`, map[string]any{"s": "STRONG"}), Status: 422, Code: "BAD_USER_INPUT"},
		{Name: "a missing variable", Body: gql(`query($c: String!) { unit(code: $c) { id } }`, nil), Status: 422, Code: "BAD_USER_INPUT"},
		{Name: "an enum inside a change: strength close", Body: change(map[string]any{"addCooperation": map[string]any{"from": "KS-03", "to": "KS-04", "strength": "close"}}), Status: 422, Code: "BAD_USER_INPUT"},
		{Name: "an enum inside a change: kind unit", Body: change(map[string]any{"create": map[string]any{"id": "nowy", "name": "Nowy", "kind": "unit"}}), Status: 422, Code: "BAD_USER_INPUT"},

		// Lengths and shapes of strings.
		{Name: "a search of 600 bytes with limit 0", Body: gql(`query($t: String!) { search(text: $t, limit: 0) { text } }`, map[string]any{"t": long(600)}), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a search of 600 bytes", Body: gql(`query($t: String!) { search(text: $t) { text } }`, map[string]any{"t": long(600)}), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a search of 500 KB", Body: gql(`query($t: String!) { search(text: $t, limit: 0) { text } }`, map[string]any{"t": long(500 << 10)}), Status: 422, Code: "BAD_USER_INPUT"},
		{Name: "a literal string of 100 KB", Body: gql(`{ units(type: "`+long(100<<10)+`") { id } }`, nil), Status: 422, Code: "BAD_USER_INPUT"},
		{Name: "a unit code of 300 bytes", Body: gql(`query($c: String!) { unit(code: $c) { id } }`, map[string]any{"c": "KS-" + long(300)}), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a scenario name of 100 KB", Body: gql(`mutation($n: String!) { createScenario(name: $n) { id } }`, map[string]any{"n": long(100 << 10)}), Status: 422, Code: "BAD_USER_INPUT"},
		{Name: "a scenario name of 300 bytes", Body: gql(`mutation($n: String!) { createScenario(name: $n) { id } }`, map[string]any{"n": long(300)}), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a subject to share with of 300 bytes", Body: gql(`mutation($s: ID!, $w: String!) { shareScenario(id: $s, with: [$w]) { id } }`, map[string]any{"s": "SCENARIO", "w": long(300)}), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a rejection without a comment", Body: gql(`mutation($s: ID!) { rejectScenario(id: $s, comment: "  ") { id } }`, map[string]any{"s": "SCENARIO"}), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a page of 0 units", Body: gql(`{ unitsConnection(first: 0) { totalCount } }`, nil), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a page of 1,001 relations", Body: gql(`{ relationsConnection(first: 1001) { totalCount } }`, nil), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a page of -1 search hits", Body: gql(`{ searchConnection(text: "referat", first: -1) { totalCount } }`, nil), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a page after a cursor that is no cursor", Body: gql(`{ dutiesConnection(after: "not a cursor") { totalCount } }`, nil), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a page of subordinates after a cursor of units", Body: gql(`{ subordinatesConnection(of: "dyrektor-wydzialu", after: "YzE6dW5pdDowOjE6S1M") { totalCount } }`, nil), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a page of positions after a cursor of 2 KB", Body: gql(`query($a: String) { positionsConnection(after: $a) { totalCount } }`, map[string]any{"a": long(2 << 10)}), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "an audit page of 1,000", Body: gql(`{ auditLog(first: 1000) { id } }`, nil), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a description of 6,000 bytes", Body: gql(`mutation($d: String!) { createScenario(name: "x", description: $d) { id } }`, map[string]any{"d": long(6000)}), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a new name of 300 bytes", Body: change(map[string]any{"rename": map[string]any{"node": "KS-07", "name": long(300)}}), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a note of 3,000 bytes", Body: change(map[string]any{"rename": map[string]any{"node": "KS-07", "name": "x"}, "note": long(3000)}), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a scope of 600 bytes", Body: change(map[string]any{"addCooperation": map[string]any{"from": "KS-03", "to": "KS-04", "scope": long(600)}}), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a new unit's type of 200 bytes", Body: change(map[string]any{"create": map[string]any{"id": "nowy", "name": "Nowy", "kind": "UNIT", "type": long(200)}}), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a new unit's code that is no code", Body: change(map[string]any{"create": map[string]any{"id": "nowy", "name": "Nowy", "kind": "UNIT", "code": "any string at all"}}), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a new unit's code in lower case", Body: change(map[string]any{"create": map[string]any{"id": "nowy", "name": "Nowy", "kind": "UNIT", "code": "ks-08"}}), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a split's code that is no code", Body: change(map[string]any{"split": map[string]any{"node": "KS-07", "newId": "ks-07-b", "name": "Nowy", "code": "KS_07B", "duties": []string{"3468/2024 § 10 pkt 1"}}}), Status: 200, Code: "BAD_USER_INPUT"},
		{Name: "a reference of 300 bytes in a change", Body: change(map[string]any{"move": map[string]any{"node": long(300), "under": "KS"}}), Status: 200, Code: "BAD_USER_INPUT"},
	}
}

// Observe answers the questions whose answers no bad request may change:
// the scenarios and a baseline answer.
func Observe(t testing.TB, h http.Handler) string {
	t.Helper()
	var out strings.Builder
	for _, q := range []string{
		`{ scenarios { id name owner description version changes { id kind node name note scope code } appliedAt status sharedWith reviewedBy reviewComment } auditLog { id action target } }`,
		`{ units { id code name type superior { id } } positions { id name } chainOfCommand(from: "KS-07") { nodes { id } } }`,
		`{ cooperatingUnits(code: "KS-06") { unit { id } strength } }`,
	} {
		rec := do(h, http.MethodPost, "/query", "application/json", strings.NewReader(gql(q, nil)), false)
		if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
			t.Fatalf("%s: %d %s", q, rec.Code, rec.Body)
		}
		out.Write(rec.Body.Bytes())
	}
	return out.String()
}

func do(h http.Handler, method, target, contentType string, body io.Reader, chunked bool) *httptest.ResponseRecorder {
	if chunked && body != nil {
		body = io.MultiReader(body) // hides the length: no Content-Length
	}
	req := httptest.NewRequest(method, target, body)
	if chunked {
		req.ContentLength = -1
		req.TransferEncoding = []string{"chunked"}
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+AdminToken)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// RunBadInputs sends every case of BadInputs to h, whose store holds the
// seed and whose authenticator is Auth's, as an admin (who may do all a
// planner may), and checks each answer's status and extensions.code, and that
// nothing changed: the scenarios and the baseline answer as before.
func RunBadInputs(t *testing.T, h http.Handler) {
	var created struct {
		Data struct{ CreateScenario struct{ ID string } }
	}
	rec := do(h, http.MethodPost, "/query", "application/json", strings.NewReader(gql(`mutation { createScenario(name: "bad inputs") { id } }`, nil)), false)
	if err := json.Unmarshal(rec.Body.Bytes(), &created); err != nil || created.Data.CreateScenario.ID == "" {
		t.Fatalf("createScenario: %d %s", rec.Code, rec.Body)
	}
	id := created.Data.CreateScenario.ID
	before := Observe(t, h)
	for _, tc := range BadInputs() {
		t.Run(tc.Name, func(t *testing.T) {
			method, ct := tc.Method, tc.ContentType
			if method == "" {
				method = http.MethodPost
			}
			if ct == "" && method == http.MethodPost {
				ct = "application/json"
			}
			if ct == "-" {
				ct = ""
			}
			target := "/query"
			if tc.Query != "" {
				target += "?" + tc.Query
			}
			var body io.Reader
			if tc.Body != "" {
				body = strings.NewReader(strings.ReplaceAll(tc.Body, "SCENARIO", id))
			}
			rec := do(h, method, target, ct, body, tc.Chunked)
			var resp struct {
				Data   json.RawMessage `json:"data"`
				Errors []struct {
					Message    string         `json:"message"`
					Extensions map[string]any `json:"extensions"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
				t.Fatalf("status %d, not a GraphQL response: %.300q", rec.Code, rec.Body.String())
			}
			if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != tc.Code || rec.Code != tc.Status {
				t.Fatalf("got %d %.300s, want %d %s", rec.Code, rec.Body.String(), tc.Status, tc.Code)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			if n := len(resp.Errors[0].Message); n > 1000 {
				t.Errorf("the message is %d bytes: the input echoed back?", n)
			}
			t.Logf("%d %s: %s", rec.Code, tc.Code, resp.Errors[0].Message)
			if after := Observe(t, h); after != before {
				t.Errorf("the request changed what the API answers:\nbefore %.500s\nafter  %.500s", before, after)
			}
		})
	}
}
