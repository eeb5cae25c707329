package servertest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/orgraph/orgraph/internal/auth"
	"github.com/orgraph/orgraph/seed"
)

// caller is one of the principals the matrix asks as.
type caller struct{ name, token string }

// callers: the anonymous viewer (no token), a viewer, the planner who owns
// the scenarios, another planner, and an admin.
var callers = []caller{
	{"anonymous", ""}, {"viewer", ViewerToken}, {"owner", PlannerToken}, {"other planner", OtherPlannerToken}, {"admin", AdminToken},
}

// Outcomes of a call: OK, or an extensions.code with a word its message
// must hold (the role missing, or the owner).
const (
	ok        = "OK"
	planner   = "FORBIDDEN needs the planner role"
	admin     = "FORBIDDEN needs the admin role"
	ownerOnly = "FORBIDDEN only its owner"
	notFound  = "NOT_FOUND"
)

// mutationRow is one mutation of the matrix: the state its scenario starts
// in, the call, and what each caller gets, in the order of callers.
type mutationRow struct {
	state string // the scenario the call is on: draft, submitted, approved ("" none)
	query string // SCENARIO stands for its id
	want  [5]string
}

// mutationMatrix holds a row for every mutation of the schema
// (RunRoles checks it against introspection).
var mutationMatrix = map[string]mutationRow{
	"createScenario": {"", `mutation { createScenario(name: "matrix") { id } }`,
		[5]string{planner, planner, ok, ok, ok}},
	"addChange": {"draft", `mutation { addChange(scenario: "SCENARIO", change: { rename: { node: "KS-03", name: "Referat Trzeci" } }) { id } }`,
		[5]string{planner, planner, ok, notFound, ownerOnly}},
	"removeChange": {"draft", `mutation { removeChange(scenario: "SCENARIO", change: "c2") { id } }`,
		[5]string{planner, planner, ok, notFound, ownerOnly}},
	"moveChange": {"draft", `mutation { moveChange(scenario: "SCENARIO", change: "c2", position: 0) { id } }`,
		[5]string{planner, planner, ok, notFound, ownerOnly}},
	"shareScenario": {"draft", `mutation { shareScenario(id: "SCENARIO", with: ["olga"]) { id } }`,
		[5]string{planner, planner, ok, notFound, ownerOnly}},
	"submitScenario": {"draft", `mutation { submitScenario(id: "SCENARIO") { id } }`,
		[5]string{planner, planner, ok, notFound, ownerOnly}},
	"approveScenario": {"submitted", `mutation { approveScenario(id: "SCENARIO") { id } }`,
		[5]string{admin, admin, admin, admin, ok}},
	"rejectScenario": {"submitted", `mutation { rejectScenario(id: "SCENARIO", comment: "not now") { id } }`,
		[5]string{admin, admin, admin, admin, ok}},
	"applyScenario": {"approved", `mutation { applyScenario(id: "SCENARIO") { id } }`,
		[5]string{admin, admin, admin, admin, ok}},
	"deleteScenario": {"draft", `mutation { deleteScenario(id: "SCENARIO") }`,
		[5]string{planner, planner, ok, notFound, ok}},
	"importOrdinance": {"", `mutation($t: String!) { importOrdinance(name: "ks.txt", text: $t, dryRun: true) { loaded } }`,
		[5]string{admin, admin, admin, admin, ok}},
}

// readMatrix: who may read a scenario of the owner's, by how it is shared.
var readMatrix = []struct {
	state string // draft, or applied
	share string // the shareScenario list, as GraphQL ("" not shared)
	want  [5]bool
}{
	{"draft", "", [5]bool{false, false, true, false, true}},
	{"draft", `["olga"]`, [5]bool{false, false, true, true, true}},
	{"draft", `["vera"]`, [5]bool{false, true, true, false, true}},
	{"draft", `["*"]`, [5]bool{true, true, true, true, true}},
	{"submitted", `["olga"]`, [5]bool{false, false, true, true, true}},
	{"applied", "", [5]bool{true, true, true, true, true}},
}

// RunRoles checks who may do what through the real handler: every
// mutation the schema has (a mutation without a row fails) and every
// scenario read, under every role, as the owner and as another planner,
// and anonymously; a refused mutation changes nothing. open returns a
// handler with the given authenticator over one store that holds the
// seed, the same store at every call.
func RunRoles(t *testing.T, open func(*auth.Authenticator) http.Handler) {
	h := open(Auth("viewer"))
	c := client{t, h}

	// Every mutation has a row, and every row a mutation.
	var schema struct {
		Schema struct {
			MutationType struct{ Fields []struct{ Name string } }
		} `json:"__schema"`
	}
	c.must(AdminToken, `{ __schema { mutationType { fields { name } } } }`, nil, &schema)
	var names []string
	for _, f := range schema.Schema.MutationType.Fields {
		names = append(names, f.Name)
		if _, ok := mutationMatrix[f.Name]; !ok {
			t.Errorf("mutation %s has no row in the role matrix (servertest/roles.go)", f.Name)
		}
	}
	for name := range mutationMatrix {
		if !slices.Contains(names, name) {
			t.Errorf("the role matrix has a row for %s, which the schema lacks", name)
		}
	}

	text, err := seed.Text("zarzadzenie-3468-2024-ks.txt")
	if err != nil {
		t.Fatal(err)
	}
	for name, row := range mutationMatrix {
		for i, who := range callers {
			t.Run(name+" as "+who.name, func(t *testing.T) {
				c := client{t, h}
				id := c.scenario(row.state)
				before := c.state(id)
				code, msg := c.call(who.token, strings.ReplaceAll(row.query, "SCENARIO", id), map[string]any{"t": text})
				checkOutcome(t, code, msg, row.want[i])
				if row.want[i] != ok && id != "" && c.state(id) != before {
					t.Errorf("a refused %s changed the scenario: %s, then %s", name, before, c.state(id))
				}
			})
		}
	}

	for _, row := range readMatrix {
		t.Run("reading a "+row.state+" scenario shared with "+row.share, func(t *testing.T) {
			c := client{t, h}
			id := c.scenario(row.state)
			if row.share != "" {
				c.must(PlannerToken, `mutation($s: ID!) { shareScenario(id: $s, with: `+row.share+`) { id } }`, map[string]any{"s": id}, nil)
			}
			vars := map[string]any{"s": id}
			for i, who := range callers {
				want := notFound
				if row.want[i] {
					want = ok
				}
				for _, q := range []string{
					`query($s: ID!) { scenario(id: $s) { id owner } }`,
					`query($s: ID!) { scenarioImpact(scenario: $s) { renamed { node { id } } } }`,
					`query($s: ID!) { unit(code: "KS-01", scenario: $s) { name } }`,
				} {
					code, msg := c.call(who.token, q, vars)
					if code != "" && code == want || code == "" && want == ok {
						continue
					}
					t.Errorf("%s: %s got %s %q, want %s", who.name, q, code, msg, want)
				}
				var list struct{ Scenarios []struct{ ID string } }
				c.must(who.token, `{ scenarios { id } }`, nil, &list)
				listed := slices.ContainsFunc(list.Scenarios, func(s struct{ ID string }) bool { return s.ID == id })
				if listed != row.want[i] {
					t.Errorf("%s: the scenario listed: %v, want %v", who.name, listed, row.want[i])
				}
			}
		})
	}

	t.Run("me and the audit log", func(t *testing.T) {
		c := client{t, h}
		wantMe := map[string]string{"anonymous": "anonymous VIEWER", "viewer": "vera VIEWER", "owner": "piotr PLANNER",
			"other planner": "olga PLANNER", "admin": "ada ADMIN"}
		for _, who := range callers {
			var me struct {
				Me struct {
					Subject, Role string
					Anonymous     bool
					Permissions   []string
				}
			}
			c.must(who.token, `{ me { subject role anonymous permissions } }`, nil, &me)
			if got := me.Me.Subject + " " + me.Me.Role; got != wantMe[who.name] || me.Me.Anonymous != (who.token == "") {
				t.Errorf("me as %s: got %+v, want %s", who.name, me.Me, wantMe[who.name])
			}
			if may := slices.Contains(me.Me.Permissions, "READ_AUDIT_LOG"); may != (who.name == "admin") {
				t.Errorf("me as %s: permissions %v", who.name, me.Me.Permissions)
			}
			code, msg := c.call(who.token, `{ auditLog { id } }`, nil)
			want := admin
			if who.name == "admin" {
				want = ok
			}
			checkOutcome(t, code, msg, want)
		}
	})

	t.Run("no token where one is needed, and a bad token, are UNAUTHENTICATED", func(t *testing.T) {
		strict := client{t, open(Auth(auth.None))}
		for _, q := range []string{`{ units { id } }`, `{ me { subject } }`, `mutation { createScenario(name: "x") { id } }`} {
			if code, _ := strict.call("", q, nil); code != "UNAUTHENTICATED" {
				t.Errorf("no token, anonymous role none: %s got %s, want UNAUTHENTICATED", q, code)
			}
			if code, _ := strict.call(PlannerToken, `{ me { subject } }`, nil); code != "" {
				t.Errorf("a planner's token, anonymous role none: got %s", code)
			}
			if code, _ := c.call("not-a-token", q, nil); code != "UNAUTHENTICATED" {
				t.Errorf("an unknown token: %s got %s, want UNAUTHENTICATED", q, code)
			}
		}
	})
}

func checkOutcome(t *testing.T, code, msg, want string) {
	t.Helper()
	if want == ok {
		if code != "" {
			t.Errorf("got %s %q, want success", code, msg)
		}
		return
	}
	wantCode, words, _ := strings.Cut(want, " ")
	if code != wantCode || !strings.Contains(msg, words) {
		t.Errorf("got %s %q, want %s with %q", code, msg, wantCode, words)
	}
}

type client struct {
	t *testing.T
	h http.Handler
}

// call sends query with token ("" none) and returns the first error's
// code and message, or "" for an answer without errors.
func (c client) call(token, query string, vars map[string]any) (code, message string) {
	c.t.Helper()
	code, message, _ = c.send(token, query, vars)
	return code, message
}

func (c client) send(token, query string, vars map[string]any) (string, string, json.RawMessage) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "/query", strings.NewReader(gql(query, vars)))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	var resp struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		c.t.Fatalf("%s: status %d, %q", query, rec.Code, rec.Body.String())
	}
	if len(resp.Errors) > 0 {
		code, _ := resp.Errors[0].Extensions["code"].(string)
		return code, resp.Errors[0].Message, resp.Data
	}
	return "", "", resp.Data
}

// must sends query and decodes its data into out (when not nil), failing
// on any error.
func (c client) must(token, query string, vars map[string]any, out any) {
	c.t.Helper()
	code, msg, data := c.send(token, query, vars)
	if code != "" {
		c.t.Fatalf("%s: %s %s", query, code, msg)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s: %v", query, err)
		}
	}
}

// scenario makes a scenario of the owner's with two changes, in state:
// draft, submitted, approved or applied; "" makes none.
func (c client) scenario(state string) string {
	c.t.Helper()
	if state == "" {
		return ""
	}
	var created struct{ CreateScenario struct{ ID string } }
	c.must(PlannerToken, `mutation { createScenario(name: "matrix") { id } }`, nil, &created)
	id := created.CreateScenario.ID
	vars := map[string]any{"s": id}
	c.must(PlannerToken, `mutation($s: ID!) { addChange(scenario: $s, change: { rename: { node: "KS-01", name: "Referat Pierwszy" } }) { id } }`, vars, nil)
	c.must(PlannerToken, `mutation($s: ID!) { addChange(scenario: $s, change: { rename: { node: "KS-02", name: "Referat Drugi" } }) { id } }`, vars, nil)
	steps := map[string][]string{
		"submitted": {"submitScenario"},
		"approved":  {"submitScenario", "approveScenario"},
		"applied":   {"submitScenario", "approveScenario", "applyScenario"},
	}
	for _, m := range steps[state] {
		token := AdminToken
		if m == "submitScenario" {
			token = PlannerToken
		}
		c.must(token, `mutation($s: ID!) { `+m+`(id: $s) { id } }`, vars, nil)
	}
	// The drafts are deleted when the case ends, so that the owner stays
	// below the cap; an applied scenario is kept.
	if state != "applied" {
		c.t.Cleanup(func() { c.call(AdminToken, `mutation($s: ID!) { deleteScenario(id: $s) }`, vars) })
	}
	return id
}

// state is what the admin reads of a scenario: its version and status.
func (c client) state(id string) string {
	c.t.Helper()
	if id == "" {
		return ""
	}
	_, _, data := c.send(AdminToken, `query($s: ID!) { scenario(id: $s) { version status sharedWith changes { id } } }`, map[string]any{"s": id})
	return string(data)
}
