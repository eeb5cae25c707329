package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/internal/server/servertest"
	"github.com/orgraph/orgraph/internal/storetest"
)

// nestedFragments is the query of issue 11: each fragment spreads the next
// twice, so its expansion doubles per level (22 levels: 4 million fields).
func nestedFragments(levels int) string {
	var b strings.Builder
	b.WriteString("query { units { ...F0 } }\n")
	for i := 0; i < levels; i++ {
		fmt.Fprintf(&b, "fragment F%d on Unit { id superior { ... on Unit { ...F%d ...F%d } } }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Unit { id }\n", levels)
	return b.String()
}

func aliased(n int, field string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "a%d: %s\n", i, field)
	}
	return b.String()
}

// TestBoundedCost: operations whose cost is out of bounds are refused
// before they run, and the fragment query before gqlgen's complexity walk
// (which would re-walk every spread): its refusal names the expansion, not
// a computed complexity. No timing is asserted beyond a generous second.
func TestBoundedCost(t *testing.T) {
	h := MustOpenHandler(t)
	var created struct{ CreateScenario struct{ ID string } }
	post(t, h, `mutation { createScenario(name: "cost") { id } }`, nil, &created)
	id := created.CreateScenario.ID
	for _, tc := range []struct {
		name, query, code, message string
	}{
		{"22 levels of fragments, each spreading the next twice", nestedFragments(22), "COMPLEXITY_LIMIT_EXCEEDED", "once its fragments are expanded"},
		{"30 levels of fragments", nestedFragments(30), "COMPLEXITY_LIMIT_EXCEEDED", "once its fragments are expanded"},
		{"fields nested beyond the depth limit", "{ units { " + strings.Repeat("superior { ... on Unit { ", 20) + "id" + strings.Repeat(" } }", 20) + " } }", "COMPLEXITY_LIMIT_EXCEEDED", "levels deep"},
		{"1,000 aliased scenarioImpact", "{ " + aliased(1000, `scenarioImpact(scenario: "`+id+`") { cutOff { id } }`) + " }", "COMPLEXITY_LIMIT_EXCEEDED", "complexity"},
		{"five aliased scenarioImpact", "{ " + aliased(5, `scenarioImpact(scenario: "`+id+`") { cutOff { id } }`) + " }", "COMPLEXITY_LIMIT_EXCEEDED", "complexity"},
		{"1,000 aliased createScenario", "mutation { " + aliased(1000, `createScenario(name: "x") { id }`) + " }", "COMPLEXITY_LIMIT_EXCEEDED", "mutations"},
		{"eleven mutations", "mutation { " + aliased(11, `createScenario(name: "x") { id }`) + " }", "COMPLEXITY_LIMIT_EXCEEDED", "11 mutations"},
		{"100 aliased overlappingDuties", "{ " + aliased(100, `overlappingDuties { score }`) + " }", "COMPLEXITY_LIMIT_EXCEEDED", "complexity"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			resp := send(t, h, tc.query, nil)
			took := time.Since(start)
			t.Logf("refused in %v", took)
			if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != tc.code || !strings.Contains(resp.Errors[0].Message, tc.message) {
				t.Fatalf("got %+v, want %s (%q)", resp.Errors, tc.code, tc.message)
			}
			if string(resp.Data) != "" && string(resp.Data) != "null" {
				t.Errorf("a refused operation answered data %s", resp.Data)
			}
			if took > time.Second {
				t.Errorf("refused after %v", took)
			}
		})
	}
	var list struct{ Scenarios []struct{ ID string } }
	post(t, h, `{ scenarios { id } }`, nil, &list)
	if len(list.Scenarios) != 1 {
		t.Errorf("refused mutations wrote: %d scenarios, want 1", len(list.Scenarios))
	}
	t.Run("within the bounds", func(t *testing.T) {
		var out map[string]any
		post(t, h, "{ "+aliased(4, `scenarioImpact(scenario: "`+id+`") { cutOff { id } }`)+" }", nil, &out)
		post(t, h, nestedFragments(5), nil, &out)
		post(t, h, "mutation { "+aliased(10, `createScenario(name: "x") { id }`)+" }", nil, &out)
	})
}

// stalling is a store whose chain of command waits for release, whatever
// its context says, then reports whether that context was done.
type stalling struct {
	*memstore.Store
	release chan struct{}
	done    chan error
}

func (s *stalling) ChainsOfCommand(ctx context.Context, f org.NodeFilter) ([]org.Path, error) {
	<-s.release
	s.done <- ctx.Err()
	return s.Store.ChainsOfCommand(ctx, f)
}

// TestDeadline: a request past the timeout is answered at once with 503
// and extensions.code TIMEOUT, while the work is still going on, and the
// work's context is cancelled, so what checks it stops. The request's log
// line has the code.
func TestDeadline(t *testing.T) {
	s := &stalling{Store: memstore.New(), release: make(chan struct{}), done: make(chan error, 1)}
	if err := s.Load(context.Background(), storetest.MustSeed(t)); err != nil {
		t.Fatal(err)
	}
	var log syncBuffer
	h := server.New(&org.Service{Store: s, Overlay: memstore.Overlay}, server.Config{Timeout: 50 * time.Millisecond}, slog.New(slog.NewTextHandler(&log, nil)))
	body, _ := json.Marshal(map[string]string{"query": `{ chainOfCommand(from: "KS-07") { length } }`})
	req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req) // returns while the store still waits
	var resp response
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || rec.Code != http.StatusServiceUnavailable ||
		len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "TIMEOUT" || rec.Header().Get("Content-Type") != "application/json" {
		t.Errorf("got %d %q %s, want 503 TIMEOUT", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	if line := log.String(); !strings.Contains(line, "msg=request") || !strings.Contains(line, "status=503") || !strings.Contains(line, "codes=TIMEOUT") {
		t.Errorf("the request's log line: %s", line)
	}
	close(s.release)
	if err := <-s.done; !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the work's context: %v, want deadline exceeded", err)
	}
}

// TestHTTPServerTimeouts: the server main runs has read, write and idle
// timeouts, so a trickled body or an idle connection does not stay open.
func TestHTTPServerTimeouts(t *testing.T) {
	srv := server.NewHTTPServer(http.NotFoundHandler(), server.Config{})
	if srv.ReadTimeout <= 0 || srv.ReadHeaderTimeout <= 0 || srv.IdleTimeout <= 0 || srv.WriteTimeout <= 30*time.Second {
		t.Errorf("read %v, header %v, idle %v, write %v", srv.ReadTimeout, srv.ReadHeaderTimeout, srv.IdleTimeout, srv.WriteTimeout)
	}
}

// TestChunkedBodyOverTheLimit sends a chunked body over a real connection.
func TestChunkedBodyOverTheLimit(t *testing.T) {
	ts := httptest.NewServer(MustOpenHandler(t))
	defer ts.Close()
	// Just over the limit: past a refusal the server reads on only 256 KB.
	big := io.MultiReader(strings.NewReader(`{"query": "{ units { id } }", "x": "`), strings.NewReader(strings.Repeat("a", 1<<20+1000)), strings.NewReader(`"}`))
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/query", big)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	if len(res.TransferEncoding) == 0 && res.Request.ContentLength > 0 {
		t.Errorf("the body was not chunked")
	}
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(out), `"PAYLOAD_TOO_LARGE"`) {
		t.Errorf("got %d %s", res.StatusCode, out)
	}
}

// TestScenarioCaps: an owner keeps at most org.MaxScenariosPerOwner
// scenarios, a scenario at most org.MaxChangesPerScenario changes; past
// them the write is refused with CONFLICT and nothing changes.
func TestScenarioCaps(t *testing.T) {
	h := MustOpenHandler(t)
	var ids []string
	for len(ids) < org.MaxScenariosPerOwner {
		var out map[string]struct{ ID string }
		post(t, h, "mutation { "+aliased(min(10, org.MaxScenariosPerOwner-len(ids)), `createScenario(name: "cap") { id }`)+" }", nil, &out)
		for _, sc := range out {
			ids = append(ids, sc.ID)
		}
	}
	resp := send(t, h, `mutation { createScenario(name: "one more") { id } }`, nil)
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "CONFLICT" {
		t.Fatalf("scenario %d of one owner: got %+v, want CONFLICT", org.MaxScenariosPerOwner+1, resp.Errors)
	}
	if resp := sendAs(t, h, servertest.PlannerToken, `mutation { createScenario(name: "another owner's") { id } }`, nil); len(resp.Errors) > 0 {
		t.Errorf("another owner's first scenario: got %+v", resp.Errors)
	}

	id := ids[0]
	rename := `addChange(scenario: "` + id + `", change: { rename: { node: "KS-07", name: "Referat" } }) { version }`
	for n := 0; n < org.MaxChangesPerScenario; n += 10 {
		var out map[string]any
		post(t, h, "mutation { "+aliased(10, rename)+" }", nil, &out)
	}
	resp = send(t, h, "mutation { "+rename+" }", nil)
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "CONFLICT" {
		t.Fatalf("change %d: got %+v, want CONFLICT", org.MaxChangesPerScenario+1, resp.Errors)
	}
	var sc struct{ Scenario scenarioResp }
	post(t, h, `query($s: ID!) { scenario(id: $s) { id version changes { id } } }`, map[string]any{"s": id}, &sc)
	if len(sc.Scenario.Changes) != org.MaxChangesPerScenario || sc.Scenario.Version != org.MaxChangesPerScenario+1 {
		t.Errorf("got %d changes, version %d", len(sc.Scenario.Changes), sc.Scenario.Version)
	}
}
