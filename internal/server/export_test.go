package server_test

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func getPath(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

func TestExportRoutes(t *testing.T) {
	h := MustOpenHandler(t)
	for _, tc := range []struct {
		path, ctype, has string
	}{
		{"/export/orgchart.cyjs", "application/json", `"elements"`},
		{"/export/orgchart.dot", "text/vnd.graphviz", "digraph orgchart"},
		{"/export/orgchart.mmd", "text/vnd.mermaid", "flowchart TB"},
		{"/export/orgchart.graphml", "application/graphml+xml", "<graphml"},
		{"/export/orgchart.csv", "text/csv", "Id,Label,"},
		{"/export/orgchart.csv?table=edges", "text/csv", "Id,Source,Target,Type"},
		{"/export/orgchart.json", "application/ld+json", "http://www.w3.org/ns/org#"},
		{"/export/orgchart.cyjs?root=KS-04&depth=0&kinds=cooperates_with&strength=CLOSE", "application/json", `"KS-04"`},
	} {
		rec := getPath(t, h, tc.path)
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), tc.ctype) || !strings.Contains(rec.Body.String(), tc.has) {
			t.Errorf("GET %s: %d %q %.200s", tc.path, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
		}
	}
	var g struct {
		XMLName xml.Name
	}
	if err := xml.Unmarshal(getPath(t, h, "/export/orgchart.graphml").Body.Bytes(), &g); err != nil || g.XMLName.Local != "graphml" {
		t.Errorf("GraphML: %v %v", g.XMLName, err)
	}
	for _, tc := range []struct {
		path   string
		status int
		code   string
	}{
		{"/export/orgchart.pdf", 404, "NOT_FOUND"},
		{"/export/orgchart.dot?root=KS-99", 404, "NOT_FOUND"},
		{"/export/orgchart.dot?depth=-1", 400, "BAD_USER_INPUT"},
		{"/export/orgchart.dot?kinds=FRIENDS", 400, "BAD_USER_INPUT"},
		{"/export/orgchart.dot?scenario=nope", 404, "NOT_FOUND"},
	} {
		rec := getPath(t, h, tc.path)
		var resp response
		_ = json.Unmarshal(rec.Body.Bytes(), &resp)
		if rec.Code != tc.status || len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != tc.code {
			t.Errorf("GET %s: %d %s; want %d %s", tc.path, rec.Code, rec.Body.String(), tc.status, tc.code)
		}
	}
}

func TestExportScenario(t *testing.T) {
	h := MustOpenHandler(t)
	var created struct {
		CreateScenario struct{ ID string } `json:"createScenario"`
	}
	post(t, h, `mutation { createScenario(name: "KS-07 pod Zastępcę ds. Promocji") { id } }`, nil, &created)
	id := created.CreateScenario.ID
	var added map[string]any
	post(t, h, `mutation($s: ID!) { addChange(scenario: $s, change: { move: { node: "KS-07", under: "zastepca-dyrektora-ds-promocji" } }) { version } }`, map[string]any{"s": id}, &added)
	rec := getPath(t, h, "/export/orgchart.csv?scenario="+id)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "KS-07,KS-07 Referat ds. Wydawnictw i Publikacji,Referat ds. Wydawnictw i Publikacji,UNIT,KS-07,zastepca-dyrektora-ds-promocji,KS,") ||
		!strings.Contains(rec.Body.String(), ",moved\n") {
		t.Errorf("GET orgchart.csv?scenario: %d\n%s", rec.Code, rec.Body.String())
	}
}
