package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/neo4jtest"
)

// startServe runs `orgraph serve` with env on a free port until the test
// ends, and returns a function that posts a query and returns the body.
func startServe(t *testing.T, env map[string]string) func(query string) string {
	t.Helper()
	env["ADDR"] = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, io.Discard, io.Discard, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("server stopped before listening: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("server did not listen within 60 s")
	}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("shutdown: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("server did not shut down within 15 s")
		}
	})
	return func(query string) string {
		t.Helper()
		body, _ := json.Marshal(map[string]string{"query": query})
		resp, err := http.Post("http://"+addr+"/query", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
}

// unitIDs decodes the answer to { units { id } }.
func unitIDs(t *testing.T, body string) []string {
	t.Helper()
	var out struct {
		Data struct {
			Units []struct{ ID string } `json:"units"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	var ids []string
	for _, u := range out.Data.Units {
		ids = append(ids, u.ID)
	}
	return ids
}

func generate(env map[string]string, args ...string) (string, error) {
	var out bytes.Buffer
	err := run(context.Background(), append([]string{"generate"}, args...), func(k string) string { return env[k] }, &out, io.Discard, nil)
	return out.String(), err
}

// `orgraph generate` writes a generated organisation into the data
// directory; `orgraph serve` on that directory then serves it, and holds
// the directory, so that generate cannot write under it.
func TestGenerateIntoTheDataDirectoryThenServe(t *testing.T) {
	env := map[string]string{"ORGRAPH_DATA": t.TempDir()}
	out, err := generate(env, "--units", "60", "--seed", "3")
	if err != nil {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	for _, want := range []string{"generated 60 units (seed 3)", "relations/s", "serve it with"} {
		if !strings.Contains(out, want) {
			t.Errorf("got %q, want a line with %q", out, want)
		}
	}
	t.Logf("%s", out)

	t.Run("a second run refuses to overwrite it", func(t *testing.T) {
		_, err := generate(env, "--units", "10")
		if err == nil || !strings.Contains(err.Error(), "--replace") || !strings.Contains(err.Error(), "already holds an organisation") {
			t.Errorf("got %v, want a refusal that names --replace", err)
		}
	})
	t.Run("bad flags are refused", func(t *testing.T) {
		if _, err := generate(env); err == nil || !strings.Contains(err.Error(), "--units") {
			t.Errorf("without --units: got %v", err)
		}
	})

	ask := startServe(t, env)
	ids := unitIDs(t, ask(`{ units { id } }`))
	if len(ids) != 60 || !strings.HasPrefix(ids[0], "u") {
		t.Errorf("served %d units (%v…), want the 60 generated ones", len(ids), ids[:min(3, len(ids))])
	}
	if body := ask(`{ unit(code: "KS-07") { name } }`); !strings.Contains(body, "NOT_FOUND") {
		t.Errorf("the seed's KS-07: got %s, want NOT_FOUND", body)
	}

	t.Run("while served, the directory is not written", func(t *testing.T) {
		_, err := generate(env, "--units", "10", "--replace")
		if err == nil || !strings.Contains(err.Error(), "in use by another orgraph process") {
			t.Errorf("got %v, want a refusal: the directory is in use", err)
		}
		if ids := unitIDs(t, ask(`{ units { id } }`)); len(ids) != 60 {
			t.Errorf("served %d units after the refused generate, want 60", len(ids))
		}
	})
}

func TestGenerateReplaces(t *testing.T) {
	env := map[string]string{"ORGRAPH_DATA": t.TempDir()}
	if out, err := generate(env, "--units", "30"); err != nil {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	if out, err := generate(env, "--units", "20", "--seed", "2", "--replace"); err != nil {
		t.Fatalf("generate --replace: %v\n%s", err, out)
	}
	ask := startServe(t, env)
	if ids := unitIDs(t, ask(`{ units { id } }`)); len(ids) != 20 {
		t.Errorf("served %d units, want the 20 of the replacing run", len(ids))
	}
}

// With NEO4J_URI, generate loads into Neo4j (a private server: --replace
// empties the database), in batches, and serve serves it from there.
func TestNeo4jGenerate(t *testing.T) {
	db := neo4jtest.StartServer(t)
	env := map[string]string{"NEO4J_URI": db.URI(), "ORGRAPH_DATA": t.TempDir()}
	out, err := generate(env, "--units", "800", "--seed", "5")
	if err != nil {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	t.Logf("%s", out)
	for _, want := range []string{"generated 800 units (seed 5)", "  relations", "relations/s", "loaded "} {
		if !strings.Contains(out, want) {
			t.Errorf("got %q, want a line with %q", out, want)
		}
	}
	if _, err := generate(env, "--units", "10"); err == nil || !strings.Contains(err.Error(), "--replace") {
		t.Errorf("a second run: got %v, want a refusal that names --replace", err)
	}
	if out, err := generate(env, "--units", "700", "--seed", "6", "--replace"); err != nil {
		t.Fatalf("generate --replace: %v\n%s", err, out)
	}
	ask := startServe(t, env)
	deadline := time.Now().Add(60 * time.Second)
	for {
		body := ask(`{ units { id } }`)
		if ids := unitIDs(t, body); len(ids) == 700 {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("served %d units, want the 700 of the replacing run: %.300s", len(ids), body)
		}
		time.Sleep(time.Second)
	}
}
