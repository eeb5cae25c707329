package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/internal/server/servertest"
	"github.com/orgraph/orgraph/internal/storetest"
)

// counting is a store that counts the look-ups made of it.
type counting struct {
	*memstore.Store
	calls atomic.Int64
}

func (c *counting) FindNodes(ctx context.Context, f org.NodeFilter) ([]org.Node, error) {
	c.calls.Add(1)
	return c.Store.FindNodes(ctx, f)
}

func (c *counting) ChainsOfCommand(ctx context.Context, f org.NodeFilter) ([]org.Path, error) {
	c.calls.Add(1)
	return c.Store.ChainsOfCommand(ctx, f)
}

func (c *counting) FindNeighbourhood(ctx context.Context, f org.NodeFilter, a org.Around) (org.Neighbourhood, error) {
	c.calls.Add(1)
	return c.Store.FindNeighbourhood(ctx, f, a)
}

func seededHandlers(t *testing.T) (cached, plain http.Handler, store *counting) {
	t.Helper()
	store = &counting{Store: memstore.New()}
	if err := store.Load(context.Background(), storetest.MustSeed(t)); err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := &org.Service{Store: store, Overlay: memstore.Overlay}
	a := servertest.Auth("admin")
	return server.New(svc, server.Config{AnswerCacheBytes: 1 << 20, Auth: a}, quiet), server.New(svc, server.Config{Auth: a}, quiet), store
}

func raw(t *testing.T, h http.Handler, query string) []byte {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: status %d, %s", query, rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// TestKeptAnswersAreTheAnswers asks every kind of baseline question twice
// through a handler that keeps answers and once through one that does
// not: the bytes are the same, and the second asking reads nothing from
// the store. After an apply changes the baseline, the kept answers are
// not served any more.
func TestKeptAnswersAreTheAnswers(t *testing.T) {
	cached, plain, store := seededHandlers(t)
	queries := []string{
		`{ chainOfCommand(from: "KS-07") { nodes { id } links { kind source { provision basis reason } } } }`,
		`{ cooperatingUnits(code: "KS-06") { unit { code } direction declaredBy { id } strength } }`,
		`{ units { code name duties { text } superior { id } cooperation { unit { code } } } }`,
		`{ taskers(code: "KS-02") { by { id } withinReportingLine } }`,
		`{ search(text: "wspolpraca") { text } }`,
		`{ orgChart { nodes { id parentId } } }`,
		`{ unit(code: "KS-99") { code } }`, // an error: answered, never kept
	}
	check := func(when string) {
		for _, q := range queries {
			first := raw(t, cached, q)
			before := store.calls.Load()
			second := raw(t, cached, q)
			reads := store.calls.Load() - before
			want := raw(t, plain, q)
			if !bytes.Equal(first, want) || !bytes.Equal(second, want) {
				t.Errorf("%s: %s\nkept: %.300s\nwant: %.300s", when, q, second, want)
			}
			if errs := bytes.Contains(want, []byte(`"errors"`)); errs != (reads > 0) {
				t.Errorf("%s: %s: the second asking read the store %d times (an error answer: %v)", when, q, reads, errs)
			}
		}
	}
	check("on the seed")

	var created struct {
		Data struct{ CreateScenario struct{ ID string } }
	}
	_ = json.Unmarshal(raw(t, cached, `mutation { createScenario(name: "move") { id } }`), &created)
	id := created.Data.CreateScenario.ID
	raw(t, cached, `mutation { addChange(scenario: "`+id+`", change: { move: { node: "KS-07", under: "zastepca-dyrektora-ds-promocji" } }) { version } }`)
	scenarios := raw(t, cached, `{ scenarios { id version } }`)
	raw(t, cached, `mutation { addChange(scenario: "`+id+`", change: { rename: { node: "KS-07", name: "Referat Wydawnictw" } }) { version } }`)
	if again := raw(t, cached, `{ scenarios { id version } }`); bytes.Equal(again, scenarios) {
		t.Errorf("the list of scenarios was kept across a change: %s", again)
	}
	before := raw(t, cached, queries[0])
	raw(t, cached, `mutation { submitScenario(id: "`+id+`") { id } }`)
	raw(t, cached, `mutation { approveScenario(id: "`+id+`") { id } }`)
	raw(t, cached, `mutation { applyScenario(id: "`+id+`") { id } }`)
	if after := raw(t, cached, queries[0]); bytes.Equal(after, before) {
		t.Errorf("after the apply the chain of KS-07 is still %s", after)
	}
	check("after an apply")
}

// Kept answers never cross principals: whoever asked a question first,
// each principal gets from the cached handler what the uncached one
// answers it, for questions about who asks (me), about scenarios only some
// may read, and about the baseline; a bad token is refused even for a
// question whose answer is kept.
func TestKeptAnswersNeverCrossPrincipals(t *testing.T) {
	cached, plain, _ := seededHandlers(t)
	ask := func(h http.Handler, token, query string) (int, []byte) {
		body, _ := json.Marshal(map[string]any{"query": query})
		req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.Bytes()
	}
	_, created := ask(cached, servertest.PlannerToken, `mutation { createScenario(name: "mine") { id } }`)
	var out struct {
		Data struct{ CreateScenario struct{ ID string } }
	}
	if err := json.Unmarshal(created, &out); err != nil || out.Data.CreateScenario.ID == "" {
		t.Fatalf("createScenario: %s", created)
	}
	id := out.Data.CreateScenario.ID
	tokens := []string{servertest.PlannerToken, "", servertest.ViewerToken, servertest.OtherPlannerToken, servertest.AdminToken}
	for _, q := range []string{
		`{ units { id } }`,
		`{ me { subject role permissions } units { id } }`,
		`{ me { subject } }`,
		`{ scenarios { id owner } }`,
		`{ scenario(id: "` + id + `") { id owner } }`,
		`{ units(scenario: "` + id + `") { id } }`,
		`{ auditLog { id } }`,
	} {
		for round := range 2 {
			for _, token := range tokens {
				_, got := ask(cached, token, q)
				_, want := ask(plain, token, q)
				if !bytes.Equal(got, want) {
					t.Errorf("%s, round %d, token %q: the cached handler answered %s, the plain one %s", q, round, token, got, want)
				}
			}
		}
		if code, body := ask(cached, "not-a-token", q); code != http.StatusUnauthorized || !bytes.Contains(body, []byte(`"UNAUTHENTICATED"`)) {
			t.Errorf("%s with a bad token: %d %s, want 401 UNAUTHENTICATED", q, code, body)
		}
	}
}
