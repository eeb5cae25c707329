package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/neo4jtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	neo4jtest.Cleanup()
	os.Exit(code)
}

// TestNeo4jFaults runs the server against a private Neo4j that is down at
// start, comes up, goes down and comes back: the process stays up, /healthz
// answers throughout, /readyz and queries follow the database, and queries
// while it is down fail with UNAVAILABLE.
func TestNeo4jFaults(t *testing.T) {
	db := neo4jtest.StartServer(t)
	db.Stop()

	ctx, cancel := context.WithCancel(context.Background())
	env := map[string]string{
		// The defaults: failing fast and recovering fast must not need settings.
		"ADDR": "127.0.0.1:0", "NEO4J_URI": db.URI(), "ORGRAPH_DATA": t.TempDir(),
		// The planners the outage's writer writes as (writerToken).
		"ORGRAPH_TOKENS_FILE": writerTokens(t),
	}
	serverLog := filepath.Join(t.TempDir(), "server.log")
	logf, err := os.Create(serverLog)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, io.Discard, logf, ready)
	}()
	var base string
	select {
	case addr := <-ready:
		base = "http://" + addr
	case err := <-done:
		t.Fatalf("server stopped before listening: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("server did not listen within 30 s")
	}
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("shutdown: %v", err)
		}
	}()

	const query = `{"query":"{ unit(code: \"KS-07\") { name } }"}`
	const want = `{"data":{"unit":{"name":"Referat ds. Wydawnictw i Publikacji"}}}`
	status := func(path string) int {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	ask := func() (body string, code any) {
		resp, err := http.Post(base+"/query", "application/json", strings.NewReader(query))
		if err != nil {
			t.Fatalf("POST /query: %v", err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var out struct {
			Errors []struct {
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		_ = json.Unmarshal(b, &out)
		if len(out.Errors) > 0 {
			code = out.Errors[0].Extensions["code"]
		}
		return string(b), code
	}
	eventually := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 90 s", what)
			}
			time.Sleep(500 * time.Millisecond)
		}
	}

	t.Log("Neo4j down at start")
	if got := status("/healthz"); got != http.StatusOK {
		t.Errorf("/healthz: got %d, want 200", got)
	}
	if got := status("/readyz"); got != http.StatusServiceUnavailable {
		t.Errorf("/readyz: got %d, want 503", got)
	}
	asked := time.Now()
	if body, code := ask(); code != "UNAVAILABLE" {
		t.Errorf("query: got %s, want extensions.code UNAVAILABLE", body)
	}
	if took := time.Since(asked); took > failFast {
		t.Errorf("query: UNAVAILABLE after %s, want within %s", took, failFast)
	}

	t.Log("Neo4j comes up: the server seeds it and becomes ready by itself")
	db.Start()
	started := time.Now()
	eventually("ready after Neo4j started", func() bool { return status("/readyz") == http.StatusOK })
	t.Logf("ready (schema made, seed loaded) %s after Neo4j started", time.Since(started).Round(time.Millisecond))
	asked = time.Now()
	body, _ := ask()
	t.Logf("the first query took %s", time.Since(asked).Round(time.Millisecond))
	if body != want {
		t.Errorf("query: got %s, want %s", body, want)
	}

	// A server in service holds the baseline in memory for scenario
	// questions (warmScenarios, within warmEvery of becoming ready), and
	// walks chains of command there: the outage is of such a server.
	eventually("scenario questions warmed", func() bool {
		b, _ := os.ReadFile(serverLog)
		return strings.Contains(string(b), "scenario questions warmed for the baseline")
	})

	t.Log("Neo4j goes down while serving, under load, and returns: queries recover without a restart")
	outageUnderLoad(t, base, db, serverLog)
	if body, _ := ask(); body != want {
		t.Errorf("query after the outage: got %s, want %s", body, want)
	}
}
