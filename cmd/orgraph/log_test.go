package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer the server's goroutines may write at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveLogged runs `orgraph serve` with env on a free port and returns its
// address and a function that stops it and returns what it logged.
func serveLogged(t *testing.T, env map[string]string) (addr string, stop func() string) {
	t.Helper()
	env["ADDR"] = "127.0.0.1:0"
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, io.Discard, &logs, ready)
	}()
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("server stopped before listening: %v\n%s", err, logs.String())
	case <-time.After(30 * time.Second):
		t.Fatal("server did not listen within 30 s")
	}
	stopped := false
	stop = func() string {
		if !stopped {
			stopped = true
			cancel()
			if err := <-done; err != nil {
				t.Errorf("shutdown: %v", err)
			}
		}
		return logs.String()
	}
	t.Cleanup(func() { stop() })
	return addr, stop
}

// send makes one request to /query: a POST of body, or with body "" a GET
// of query.
func send(t *testing.T, addr, body string, query url.Values, header http.Header) {
	t.Helper()
	var req *http.Request
	var err error
	if body != "" {
		req, err = http.NewRequest(http.MethodPost, "http://"+addr+"/query", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	} else {
		req, err = http.NewRequest(http.MethodGet, "http://"+addr+"/query?"+query.Encode(), nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// jsonLines decodes a JSON log, failing on a line that is not an object.
func jsonLines(t *testing.T, log string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("a log line that is not JSON: %q", line)
		}
		out = append(out, m)
	}
	return out
}

// With ORGRAPH_LOG_FORMAT=json every line is a JSON object; a request's
// line names its GraphQL operation when it has one, and no line holds
// the admin token a client sent.
func TestJSONLogNamesOperationsAndNoToken(t *testing.T) {
	const token = "tok-3f9a1c-secret"
	addr, stop := serveLogged(t, map[string]string{
		"ORGRAPH_DATA": t.TempDir(), "ORGRAPH_LOG_FORMAT": "json", "ORGRAPH_ADMIN_TOKEN": token,
	})
	auth := http.Header{"Authorization": {"Bearer " + token}, "Cookie": {"session=" + token}}
	send(t, addr, `{"query":"query Chain { chainOfCommand(from: \"KS-06\") { nodes { id } } }"}`, nil, nil)
	send(t, addr, `{"operationName":"Second","query":"# two\nquery First { units { id } } query Second { document { title } }"}`, nil, nil)
	send(t, addr, `{"query":"{ units { id } }","variables":{"operationName":"NotThis"}}`, nil, nil)
	// A body longer than the log looks at: the name comes before the cut.
	send(t, addr, `{"query":"query Big($pad: String) { units { id } }","variables":{"pad":"`+strings.Repeat("x", 100<<10)+`"}}`, nil, nil)
	send(t, addr, "", url.Values{"query": {"query Got { units { id } }"}}, nil)
	send(t, addr, "", url.Values{"query": {"{ units { id } }"}, "operationName": {"Named"}}, nil)
	send(t, addr, `{"query":"mutation Import($t: String!) { importOrdinance(name: \"x\", text: $t, dryRun: true) { warnings { message } } }","variables":{"t":"`+token+`"}}`, nil, auth)
	log := stop()

	var ops []string
	for _, m := range jsonLines(t, log) {
		if m["msg"] != "request" {
			continue
		}
		for _, k := range []string{"time", "level", "method", "path", "status", "took", "id", "store_calls"} {
			if _, ok := m[k]; !ok {
				t.Errorf("a request line without %s: %v", k, m)
			}
		}
		op, _ := m["operation"].(string)
		ops = append(ops, op)
	}
	if want := []string{"Chain", "Second", "", "Big", "Got", "Named", "Import"}; strings.Join(ops, ",") != strings.Join(want, ",") {
		t.Errorf("operations logged: %q, want %q\n%s", ops, want, log)
	}
	if strings.Contains(log, token) || strings.Contains(strings.ToLower(log), "authorization") {
		t.Errorf("the log holds the token or the Authorization header:\n%s", log)
	}
}

// A request's line carries the codes it was answered with, whichever layer
// refused it: the domain, the admin check, the body limit, GraphQL.
func TestRequestLineCarriesTheErrorCodes(t *testing.T) {
	addr, stop := serveLogged(t, map[string]string{"ORGRAPH_DATA": t.TempDir(), "ORGRAPH_LOG_FORMAT": "json"})
	send(t, addr, `{"query":"query Two { a: unit(code: \"NOPE\") { name } b: unit(code: \"KS-07\") { name } }"}`, nil, nil)
	send(t, addr, `{"query":"mutation Import { importOrdinance(name: \"x\", text: \"y\") { warnings { message } } }"}`, nil, nil)
	send(t, addr, `{"query":"query Big { units { id } }","variables":{"pad":"`+strings.Repeat("x", 2<<20)+`"}}`, nil, nil)
	send(t, addr, `{"query":"query Broken { units { nope } }"}`, nil, nil)
	send(t, addr, `{"query":"query Fine { units { id } }"}`, nil, nil)
	var got []string
	for _, m := range jsonLines(t, stop()) {
		if m["msg"] == "request" {
			op, _ := m["operation"].(string)
			codes, _ := m["codes"].(string)
			got = append(got, op+":"+codes)
		}
	}
	// A body announced too large is refused unread: its operation is not known.
	want := []string{"Two:NOT_FOUND", "Import:FORBIDDEN", ":PAYLOAD_TOO_LARGE", "Broken:GRAPHQL_VALIDATION_FAILED", "Fine:"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %q, want %q", got, want)
	}
}

// NEO4J_PASSWORD is in no log line, while the server waits for a Neo4j
// that does not answer (and warns of it) and serves requests.
func TestLogHoldsNoNeo4jPassword(t *testing.T) {
	const password = "pw-77e1b0-secret"
	addr, stop := serveLogged(t, map[string]string{
		"ORGRAPH_DATA": t.TempDir(), "NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_USERNAME": "neo4j",
		"NEO4J_PASSWORD": password, "NEO4J_CONNECT_TIMEOUT": "1s", "NEO4J_QUERY_TIMEOUT": "2s",
		"ORGRAPH_LOG_LEVEL": "debug",
	})
	// A GET: a request refused before its body is read is still named.
	send(t, addr, "", url.Values{"query": {`query Unit { unit(code: "KS-07") { name } }`}}, http.Header{"Authorization": {"Basic " + password}})
	time.Sleep(700 * time.Millisecond) // a retry or two
	log := stop()
	if !strings.Contains(log, "level=WARN") || !strings.Contains(log, "operation=Unit") {
		t.Errorf("want a warning that Neo4j does not answer, and the request, logged:\n%s", log)
	}
	if strings.Contains(log, password) {
		t.Errorf("the log holds NEO4J_PASSWORD:\n%s", log)
	}
}

// ORGRAPH_LOG_LEVEL=warn leaves out the info lines, requests included; the
// default format is text.
func TestLogLevel(t *testing.T) {
	addr, stop := serveLogged(t, map[string]string{"ORGRAPH_DATA": t.TempDir(), "ORGRAPH_LOG_LEVEL": "warn"})
	send(t, addr, `{"query":"{ units { id } }"}`, nil, nil)
	if log := stop(); log != "" {
		t.Errorf("at warn: %q, want nothing", log)
	}
	addr, stop = serveLogged(t, map[string]string{"ORGRAPH_DATA": t.TempDir()})
	send(t, addr, `{"query":"query Units { units { id } }"}`, nil, nil)
	log := stop()
	if !strings.Contains(log, "level=INFO msg=request method=POST path=/query status=200") || !strings.Contains(log, "operation=Units") {
		t.Errorf("the default text log:\n%s", log)
	}
}
