// Package observetest checks, over any store, that what orgraph reports of
// a request agrees with what it did: the request's log line, the metrics
// at /metrics and the spans. It is imported by tests only.
package observetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/orgraph/orgraph/internal/observe"
)

// Query is one request and the answer code it must be counted under.
type Query struct {
	Name  string // the operation's name, as the log and the metrics carry it
	Body  string // the JSON body POSTed to /query
	Code  string // OK or the first extensions.code
	NoOp  bool   // refused before an operation runs (unparsable, invalid): no GraphQL span, no store call
	Calls bool   // at least one store call (a question the cache cannot answer)
}

// Queries are the requests Run sends: questions at the top level and
// nested ones (whose look-ups a batching store gathers), refusals by the
// domain and by GraphQL.
var Queries = []Query{
	{Name: "Chain", Code: "OK", Calls: true,
		Body: `{"query":"query Chain { chainOfCommand(from: \"KS-07\") { links { from { name } to { name } source { provision } } } }"}`},
	{Name: "Units", Code: "OK", Calls: true,
		Body: `{"query":"query Units { units { code superior { id } duties { text } taskers { by { id } } } }"}`},
	{Name: "Cooperation", Code: "OK", Calls: true,
		Body: `{"query":"query Cooperation { cooperatingUnits(code: \"KS-06\", strength: CLOSE) { unit { code } declaredBy { id } } }"}`},
	{Name: "Search", Code: "OK", Calls: true,
		Body: `{"query":"query Search { search(text: \"media\", limit: 5) { text node { id } } }"}`},
	{Name: "Missing", Code: "NOT_FOUND", Calls: true,
		Body: `{"query":"query Missing { unit(code: \"NOPE\") { name } }"}`},
	{Name: "Invalid", Code: "GRAPHQL_VALIDATION_FAILED", NoOp: true,
		Body: `{"query":"query Invalid { unit(code: 7) { nope } }"}`},
	{Name: "", Code: "BAD_REQUEST", NoOp: true, Body: `{"query": `},
}

// Run sends Queries, one at a time, through the handler newHandler makes
// with obs and log, and checks per request that
//   - its log line names the operation, and its store_calls are the store
//     calls /metrics counted for it, and roundTrips' (Neo4j's statements)
//     when roundTrips is not nil;
//   - /metrics counts it under its route, operation and code;
//   - it made one server span, the GraphQL operation's span under it, and
//     a span per store call under that.
func Run(t *testing.T, newHandler func(obs *observe.Observer, log *slog.Logger) http.Handler, roundTrips func() int64) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { _ = tp.Shutdown(t.Context()) })
	var logs lockedBuffer
	h := newHandler(observe.New(tp), slog.New(slog.NewJSONHandler(&logs, nil)))

	for _, q := range Queries {
		t.Run(q.Name+"/"+q.Code, func(t *testing.T) {
			before := Scrape(t, h)
			var trips int64
			if roundTrips != nil {
				trips = roundTrips()
			}
			exp.Reset()
			logs.Reset()
			req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(q.Body))
			req.Header.Set("Content-Type", "application/json")
			h.ServeHTTP(httptest.NewRecorder(), req)
			spans := exp.GetSpans()
			line := logs.requestLine(t)
			if roundTrips != nil {
				trips = roundTrips() - trips
			}
			after := Scrape(t, h)

			calls := int64(line["store_calls"].(float64))
			if op, _ := line["operation"].(string); op != q.Name {
				t.Errorf("log: operation %q, want %q", op, q.Name)
			}
			if q.Calls && calls == 0 || q.NoOp && calls != 0 {
				t.Errorf("log: store_calls %d for %s", calls, q.Body)
			}
			if got := Sum(after, "orgraph_store_call_duration_seconds", nil) - Sum(before, "orgraph_store_call_duration_seconds", nil); got != float64(calls) {
				t.Errorf("/metrics counted %v store calls, the log %d", got, calls)
			}
			if roundTrips != nil && trips != calls {
				t.Errorf("Neo4j got %d statements, the log says %d store calls", trips, calls)
			}
			if codes, _ := line["codes"].(string); q.Code != "OK" && !strings.HasPrefix(codes, q.Code) || q.Code == "OK" && codes != "" {
				t.Errorf("log: codes %q, want %s", codes, q.Code)
			}
			labels := map[string]string{"route": "/query", "operation": opLabel(q.Name), "code": q.Code}
			if got := Sum(after, "orgraph_requests_total", labels) - Sum(before, "orgraph_requests_total", labels); got != 1 {
				t.Errorf("orgraph_requests_total%v went up by %v, want 1", labels, got)
			}
			delete(labels, "code")
			if got := Sum(after, "orgraph_request_duration_seconds", labels) - Sum(before, "orgraph_request_duration_seconds", labels); got != 1 {
				t.Errorf("orgraph_request_duration_seconds%v counted %v requests, want 1", labels, got)
			}
			checkSpans(t, q, spans, calls)
		})
	}
}

func opLabel(name string) string {
	if name == "" {
		return "none"
	}
	return name
}

func checkSpans(t *testing.T, q Query, spans tracetest.SpanStubs, calls int64) {
	t.Helper()
	byID := map[trace.SpanID]tracetest.SpanStub{}
	var server, op []tracetest.SpanStub
	var store int64
	for _, s := range spans {
		byID[s.SpanContext.SpanID()] = s
		switch {
		case s.SpanKind == trace.SpanKindServer:
			server = append(server, s)
		case strings.HasPrefix(s.Name, "store."):
			store++
		case strings.HasPrefix(s.Name, "query"):
			op = append(op, s)
		}
	}
	if len(server) != 1 || server[0].Name != "POST /query" || server[0].Parent.IsValid() {
		t.Fatalf("want one root server span POST /query, got %v", names(spans))
	}
	if q.NoOp {
		if len(op) != 0 || store != 0 {
			t.Errorf("a request refused before it ran has spans %v", names(spans))
		}
		return
	}
	t.Logf("spans:\n%s", tree(spans))
	if len(op) != 1 || op[0].Name != "query "+q.Name || op[0].Parent.SpanID() != server[0].SpanContext.SpanID() {
		t.Fatalf("want the span %q under the server span, got %v", "query "+q.Name, names(spans))
	}
	if store != calls {
		t.Errorf("%d store spans, %d store calls", store, calls)
	}
	for _, s := range spans {
		if !strings.HasPrefix(s.Name, "store.") {
			continue
		}
		if s.SpanContext.TraceID() != server[0].SpanContext.TraceID() {
			t.Errorf("%s is in another trace", s.Name)
		}
		// A store call is made inside the operation: under its span (the
		// spans between, if any, are the operation's too).
		p, ok := byID[s.Parent.SpanID()]
		for ok && p.SpanContext.SpanID() != op[0].SpanContext.SpanID() {
			p, ok = byID[p.Parent.SpanID()]
		}
		if !ok {
			t.Errorf("%s is not under %s", s.Name, op[0].Name)
		}
	}
}

// tree draws spans as a tree, children indented under their parent.
func tree(spans tracetest.SpanStubs) string {
	children := map[trace.SpanID][]tracetest.SpanStub{}
	ids := map[trace.SpanID]bool{}
	for _, s := range spans {
		ids[s.SpanContext.SpanID()] = true
	}
	var roots []tracetest.SpanStub
	for _, s := range spans {
		if ids[s.Parent.SpanID()] {
			children[s.Parent.SpanID()] = append(children[s.Parent.SpanID()], s)
		} else {
			roots = append(roots, s)
		}
	}
	var b strings.Builder
	var draw func(s tracetest.SpanStub, depth int)
	draw = func(s tracetest.SpanStub, depth int) {
		fmt.Fprintf(&b, "%s%s\n", strings.Repeat("  ", depth), s.Name)
		kids := children[s.SpanContext.SpanID()]
		slices.SortFunc(kids, func(a, b tracetest.SpanStub) int { return a.StartTime.Compare(b.StartTime) })
		for _, k := range kids {
			draw(k, depth+1)
		}
	}
	for _, r := range roots {
		draw(r, 0)
	}
	return b.String()
}

func names(spans tracetest.SpanStubs) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name)
	}
	return out
}

// Scrape GETs /metrics from h and parses it with Prometheus' text parser.
func Scrape(t *testing.T, h http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body.String())
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	mf, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return mf
}

// Sum adds the values of the series of name whose labels include labels:
// a counter's or gauge's value, a histogram's count.
func Sum(mf map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	f, ok := mf[name]
	if !ok {
		return 0
	}
	var sum float64
next:
	for _, m := range f.GetMetric() {
		for k, v := range labels {
			found := false
			for _, l := range m.GetLabel() {
				if l.GetName() == k {
					found = l.GetValue() == v
				}
			}
			if !found {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			sum += m.Counter.GetValue()
		case m.Gauge != nil:
			sum += m.Gauge.GetValue()
		case m.Histogram != nil:
			sum += float64(m.Histogram.GetSampleCount())
		}
	}
	return sum
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.Reset()
}

// requestLine is the one request line logged since the last Reset.
func (l *lockedBuffer) requestLine(t *testing.T) map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var found []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.b.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("a log line that is not JSON: %q", line)
		}
		if m["msg"] == "request" {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one request line, got:\n%s", l.b.String())
	}
	return found[0]
}
