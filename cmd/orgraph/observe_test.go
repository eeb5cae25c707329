package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// With ORGRAPH_METRICS_ADDR, /metrics is served there and not on ADDR;
// its counters follow the requests served on ADDR.
func TestMetricsOnTheirOwnAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := ln.Addr().String()
	ln.Close()
	addr, stop := serveLogged(t, map[string]string{"ORGRAPH_DATA": t.TempDir(), "ORGRAPH_METRICS_ADDR": metricsAddr})
	send(t, addr, `{"query":"query Chain { chainOfCommand(from: \"KS-07\") { nodes { id } } }"}`, nil, nil)
	if code, _ := get(t, "http://"+addr+"/metrics"); code != http.StatusNotFound {
		t.Errorf("GET /metrics on ADDR: %d, want 404", code)
	}
	code, body := get(t, "http://"+metricsAddr+"/metrics")
	if want := `orgraph_requests_total{code="OK",operation="Chain",route="/query"} 1`; code != http.StatusOK || !strings.Contains(body, want) {
		t.Errorf("GET /metrics on ORGRAPH_METRICS_ADDR: %d, want a body with %s:\n%.3000s", code, want, body)
	}
	if log := stop(); !strings.Contains(log, "msg=metrics addr=http://"+metricsAddr+"/metrics") {
		t.Errorf("the log does not say where the metrics are:\n%s", log)
	}
}

// A taken ORGRAPH_METRICS_ADDR fails serve at once, as a taken ADDR does.
func TestMetricsAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	env := map[string]string{"ADDR": "127.0.0.1:0", "ORGRAPH_DATA": t.TempDir(), "ORGRAPH_METRICS_ADDR": ln.Addr().String()}
	err = run(t.Context(), []string{"serve"}, func(k string) string { return env[k] }, io.Discard, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "ORGRAPH_METRICS_ADDR") {
		t.Errorf("got %v, want an error naming ORGRAPH_METRICS_ADDR", err)
	}
}

// With OTEL_EXPORTER_OTLP_ENDPOINT set, serve sends its spans to that
// collector over OTLP/HTTP: the request's, its operation's and its store
// calls', flushed when it stops.
func TestTracesGoToTheOTLPEndpoint(t *testing.T) {
	var mu sync.Mutex
	var got bytes.Buffer
	var paths []string
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		paths = append(paths, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type"))
		got.Write(b) // protobuf: span names are in it as they are
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer collector.Close()
	// The exporter reads the OTEL_* variables from the process environment.
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)
	t.Setenv("OTEL_SERVICE_NAME", "orgraph-under-test")
	addr, stop := serveLogged(t, map[string]string{"ORGRAPH_DATA": t.TempDir(), "OTEL_EXPORTER_OTLP_ENDPOINT": collector.URL})
	send(t, addr, `{"query":"query Chain { chainOfCommand(from: \"KS-07\") { nodes { id } } }"}`, nil, nil)
	stop()
	mu.Lock()
	defer mu.Unlock()
	if len(paths) == 0 || paths[0] != "POST /v1/traces application/x-protobuf" {
		t.Fatalf("the collector got %q, want POST /v1/traces", paths)
	}
	for _, want := range []string{"POST /query", "query Chain", "store.ChainsOfCommand", "orgraph-under-test"} {
		if !bytes.Contains(got.Bytes(), []byte(want)) {
			t.Errorf("no %q in the spans exported", want)
		}
	}
}

// An OTEL_EXPORTER_OTLP_ENDPOINT that is not an http(s) URL is refused
// before anything starts.
func TestBadOTLPEndpoint(t *testing.T) {
	env := map[string]string{"ORGRAPH_DATA": t.TempDir(), "OTEL_EXPORTER_OTLP_ENDPOINT": "127.0.0.1:4318"}
	err := run(t.Context(), []string{"serve"}, func(k string) string { return env[k] }, io.Discard, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), `OTEL_EXPORTER_OTLP_ENDPOINT="127.0.0.1:4318": want`) {
		t.Errorf("got %v", err)
	}
}
