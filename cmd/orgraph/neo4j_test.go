package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
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
		"ADDR": "127.0.0.1:0", "NEO4J_URI": db.URI(), "ORGRAPH_DATA": t.TempDir(),
		"NEO4J_QUERY_TIMEOUT": "5s", "NEO4J_CONNECT_TIMEOUT": "2s",
	}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, io.Discard, io.Discard, ready)
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
	if body, code := ask(); code != "UNAVAILABLE" {
		t.Errorf("query: got %s, want extensions.code UNAVAILABLE", body)
	}

	t.Log("Neo4j comes up: the server seeds it and becomes ready by itself")
	db.Start()
	eventually("ready after Neo4j started", func() bool { return status("/readyz") == http.StatusOK })
	if body, _ := ask(); body != want {
		t.Errorf("query: got %s, want %s", body, want)
	}

	t.Log("Neo4j goes down while serving")
	db.Stop()
	if body, code := ask(); code != "UNAVAILABLE" {
		t.Errorf("query: got %s, want extensions.code UNAVAILABLE", body)
	}
	if got := status("/healthz"); got != http.StatusOK {
		t.Errorf("/healthz: got %d, want 200", got)
	}
	if got := status("/readyz"); got != http.StatusServiceUnavailable {
		t.Errorf("/readyz: got %d, want 503", got)
	}

	t.Log("Neo4j returns: queries recover without a restart")
	db.Start()
	eventually("answers after Neo4j returned", func() bool { body, _ := ask(); return body == want })
}
