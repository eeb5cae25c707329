package observe

import (
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// Observer holds the process's metrics and the tracer provider its spans
// go to. One per server.
type Observer struct {
	reg             *prometheus.Registry
	tp              trace.TracerProvider
	tracer          trace.Tracer
	requests        *prometheus.CounterVec
	duration        *prometheus.HistogramVec
	storeCalls      *prometheus.HistogramVec
	storeInFlight   prometheus.Gauge
	imports         prometheus.Counter
	scenarioChanges *prometheus.CounterVec
	names           operationNames
}

// New returns an Observer whose spans go to tp (nil: nowhere), with the
// Go runtime and process collectors registered.
func New(tp trace.TracerProvider) *Observer {
	if tp == nil {
		tp = noop.NewTracerProvider()
	}
	o := &Observer{
		reg: prometheus.NewRegistry(), tp: tp, tracer: tp.Tracer("github.com/orgraph/orgraph"),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "orgraph_requests_total",
			Help: "HTTP requests by route, GraphQL operation name and answer code (OK, or the first extensions.code).",
		}, []string{"route", "operation", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "orgraph_request_duration_seconds",
			Help:    "How long HTTP requests took, by route and GraphQL operation name.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "operation"}),
		storeCalls: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "orgraph_store_call_duration_seconds",
			Help:    "How long store calls took, by org.Store method and result (ok or the domain error code).",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 9), // 100µs to 6.5s
		}, []string{"op", "result"}),
		storeInFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "orgraph_store_calls_in_flight",
			Help: "Store calls under way.",
		}),
		imports: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "orgraph_imports_total",
			Help: "Graphs loaded into the served store (importOrdinance) since the start.",
		}),
		scenarioChanges: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "orgraph_scenario_changes_total",
			Help: "Scenario writes since the start, by change: created, updated, deleted, applied.",
		}, []string{"change"}),
	}
	for _, c := range []string{"created", "updated", "deleted", "applied"} {
		o.scenarioChanges.WithLabelValues(c)
	}
	o.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		o.requests, o.duration, o.storeCalls, o.storeInFlight, o.imports, o.scenarioChanges)
	return o
}

// Handler serves the metrics in the Prometheus text format.
func (o *Observer) Handler() http.Handler {
	return promhttp.HandlerFor(o.reg, promhttp.HandlerOpts{})
}

// TracerProvider is where the spans go.
func (o *Observer) TracerProvider() trace.TracerProvider { return o.tp }

// GaugeFunc adds a gauge read from f at every scrape.
func (o *Observer) GaugeFunc(name, help string, f func() float64) {
	o.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f))
}

// ObserveRequest counts a finished request: route is the router's
// pattern, operation the name the client gave, code OK or what it was
// answered with.
func (o *Observer) ObserveRequest(route, operation, code string, took time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	op := o.names.label(operation)
	o.requests.WithLabelValues(route, op, code).Inc()
	o.duration.WithLabelValues(route, op).Observe(took.Seconds())
}

// maxOperations bounds the operation names kept as label values: clients
// choose them, and every new one would be a new time series.
const maxOperations = 200

var graphqlName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]{0,63}$`)

// operationNames keeps the first maxOperations names seen; later ones are
// "other", a request without one "none".
type operationNames struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (n *operationNames) label(name string) string {
	if name == "" {
		return "none"
	}
	if !graphqlName.MatchString(name) {
		return "other"
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.seen == nil {
		n.seen = map[string]bool{}
	}
	if !n.seen[name] {
		if len(n.seen) >= maxOperations {
			return "other"
		}
		n.seen[name] = true
	}
	return name
}
