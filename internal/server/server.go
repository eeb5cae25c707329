// Package server is orgraph's HTTP face: the GraphQL endpoint, the GraphiQL
// playground, health and readiness probes, and the middleware around them.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/orgraph/orgraph/graph"
	"github.com/orgraph/orgraph/internal/auth"
	"github.com/orgraph/orgraph/internal/observe"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/web"
)

// Config tunes the handler; zero values take the defaults.
type Config struct {
	// MaxBodyBytes bounds a request body (default 1 MiB).
	MaxBodyBytes int64
	// ComplexityLimit bounds a query's cost (default graph.DefaultComplexityLimit).
	ComplexityLimit int
	// Timeout bounds one request to /query (default 30 s): past it the
	// request's context is cancelled and the client answered 503 TIMEOUT.
	Timeout time.Duration
	// ReadTimeout bounds reading a whole request, body included (default
	// 15 s); IdleTimeout how long a keep-alive connection may wait for the
	// next (default 30 s). For NewHTTPServer.
	ReadTimeout, IdleTimeout time.Duration
	// Ready reports whether the store can serve, as the server keeps it
	// (Readiness.Check); nil means always ready. /readyz answers it, and
	// while it returns an EUNAVAILABLE error /query and the exports are
	// refused at once (503 UNAVAILABLE): it is called per request and must
	// not probe the store.
	Ready func(context.Context) error
	// RequestStore wraps the store for one request: a batching store
	// (batch.New) for a remote store, so that a request's look-ups share
	// round trips. Nil: requests read the store itself.
	RequestStore func(org.Store) org.Store
	// AnswerCacheBytes bounds the answers kept for repeated queries of the
	// baseline (graph.Answers); 0 keeps none. Needs a store that is an
	// org.Revisioner.
	AnswerCacheBytes int
	// Auth tells each request's principal (tokens file, admin token, JWT,
	// the anonymous role); nil takes every request as an anonymous viewer.
	Auth *auth.Authenticator
	// CORSOrigins are the other origins whose pages may call the API
	// (ParseOrigins; "*" for any); none: same origin only.
	CORSOrigins []string
	// ConcurrentReads bounds the query operations that run at once (the
	// others wait their turn; mutations never wait, see graph.LimitReads):
	// 0 takes runtime.GOMAXPROCS, what suits a store in this process;
	// negative sets no bound, for a store elsewhere, whose reads mostly wait
	// on the network.
	ConcurrentReads int
	// Observer keeps the metrics and makes the traces; nil: one of the
	// handler's own, whose spans go nowhere. /metrics serves its metrics
	// unless MetricsElsewhere (ORGRAPH_METRICS_ADDR serves them then).
	Observer         *observe.Observer
	MetricsElsewhere bool
}

// New returns the HTTP handler: POST /query, GraphiQL at /, GET /healthz
// (the process is up), GET /readyz (the store answers) and GET /metrics,
// each request a server span (otelhttp).
func New(svc *org.Service, cfg Config, log *slog.Logger) http.Handler {
	obs := cfg.Observer
	if obs == nil {
		obs = observe.New(nil)
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	r := chi.NewRouter()
	r.Use(middleware.RequestID, logRequests(log, obs), middleware.Recoverer, limitBody(cfg.MaxBodyBytes))
	if c := allowOrigins(cfg.CORSOrigins); c != nil {
		r.Use(c)
	}
	r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	r.Get("/readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if cfg.Ready != nil {
			if err := cfg.Ready(r.Context()); err != nil {
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte("not ready: " + org.ErrorMessage(err) + "\n"))
				return
			}
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	if !cfg.MetricsElsewhere {
		r.Method(http.MethodGet, "/metrics", obs.Handler())
	}
	// GraphiQL, embedded: the page loads nothing from outside this server.
	pg := web.Playground()
	r.Handle("/", pg)
	r.Handle("/index.html", pg)
	r.Handle("/playground/*", pg)
	// The chart page, embedded the same way; it reads /query like any client.
	ch := web.Chart()
	r.Handle("/chart", ch)
	r.Handle("/chart/*", ch)
	gate := failFast(cfg.Ready, log)
	if cfg.Auth == nil {
		cfg.Auth = auth.Anonymous(string(org.RoleViewer))
	}
	// Authentication first: every answer below, kept ones included, is
	// for a principal whose token was checked on this request.
	who := authenticate(cfg.Auth, log)
	r.With(who, gate, deadline(cfg.Timeout)).Get("/export/orgchart.{format}", exportChart(svc))
	gql := graph.NewServer(svc, cfg.ComplexityLimit, log)
	gql.Use(obs.GraphQL())
	mw := []func(http.Handler) http.Handler{who, gate, deadline(cfg.Timeout)}
	if rv, ok := svc.Store.(org.Revisioner); ok && cfg.AnswerCacheBytes > 0 {
		answers := graph.NewAnswers(rv, cfg.AnswerCacheBytes)
		answers.Use(gql)
		mw = append(mw, answers.Middleware)
	}
	if n := cfg.ConcurrentReads; n >= 0 {
		if n == 0 {
			n = runtime.GOMAXPROCS(0)
		}
		graph.LimitReads(gql, n) // last: it holds the other middleware's work
	}
	mw = append(mw, graph.RequestStores(svc, cfg.RequestStore))
	r.With(mw...).Handle("/query", gql)
	return otelhttp.NewHandler(r, "orgraph", otelhttp.WithTracerProvider(obs.TracerProvider()))
}

// NewHTTPServer returns an http.Server for h with the timeouts cfg sets:
// a slowly trickled request is cut off after ReadTimeout, an idle
// keep-alive connection after IdleTimeout, and a response must be written
// within the request timeout and a margin, so the TIMEOUT answer still
// goes out.
func NewHTTPServer(h http.Handler, cfg Config) *http.Server {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = 15 * time.Second
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 30 * time.Second
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: min(10*time.Second, cfg.ReadTimeout),
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.ReadTimeout + cfg.Timeout + 5*time.Second,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
	}
}

// limitBody caps what a client may send: a body announced larger is
// refused at once, a chunked one when it grows past n (the transport
// answers 413 then).
func limitBody(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				graph.WriteError(w, r, http.StatusRequestEntityTooLarge, graph.CodePayloadTooLarge, fmt.Sprintf("the request body is larger than %d bytes", n))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

// failFast refuses a request at once, 503 with extensions.code UNAVAILABLE
// and Retry-After, while ready says the store is unavailable: no store call
// waits on a database known to be away. The log line carries the cause and
// the request id.
func failFast(ready func(context.Context) error, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if ready == nil {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			err := ready(r.Context())
			if err == nil || org.ErrorCode(err) != org.EUNAVAILABLE {
				next.ServeHTTP(w, r)
				return
			}
			log.LogAttrs(r.Context(), slog.LevelWarn, "refused: store unavailable",
				slog.String("id", middleware.GetReqID(r.Context())), slog.Any("cause", errors.Unwrap(err)))
			w.Header().Set("Retry-After", "1")
			graph.WriteError(w, r, http.StatusServiceUnavailable, graph.CodeUnavailable, org.ErrorMessage(err))
		})
	}
}

// deadline bounds a request to d: its context is cancelled then, which
// stops the store calls and the root fields not yet begun, and the client
// is answered 503 with extensions.code TIMEOUT at once, whatever the
// handler is still doing.
func deadline(d time.Duration) func(http.Handler) http.Handler {
	body := fmt.Sprintf(`{"errors":[{"message":"the request took longer than %s","extensions":{"code":%q}}]}`, d, graph.CodeTimeout)
	return func(next http.Handler) http.Handler {
		th := http.TimeoutHandler(next, d, body)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// The handler's own headers replace this one when it answers in time.
			w.Header().Set("Content-Type", "application/json")
			start := time.Now()
			th.ServeHTTP(w, r)
			if time.Since(start) >= d {
				observe.NoteCode(r.Context(), graph.CodeTimeout)
			}
		})
	}
}

// logRequests logs one line per request with log/slog: the operation's
// name, the duration, the store calls made (for Neo4j, round trips) and the
// error codes answered; never a header or a variable. It counts the
// request in obs's metrics and names its server span after the route.
func logRequests(log *slog.Logger, obs *observe.Observer) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			ctx, rec := observe.WithRequest(r.Context())
			r = r.WithContext(ctx)
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			body := peekBody(r) // for the operation's name; no header is logged
			next.ServeHTTP(ww, r)
			took := time.Since(start)
			route := chi.RouteContext(ctx).RoutePattern()
			op := operationName(r, body)
			codes := rec.Codes()
			attrs := []slog.Attr{slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", ww.Status()), slog.Duration("took", took),
				slog.String("id", middleware.GetReqID(ctx))}
			if op != "" {
				attrs = append(attrs, slog.String("operation", op))
			}
			attrs = append(attrs, slog.Int64("store_calls", rec.StoreCalls()))
			if len(codes) > 0 {
				attrs = append(attrs, slog.String("codes", strings.Join(codes, ",")))
			}
			log.LogAttrs(ctx, slog.LevelInfo, "request", attrs...)

			code := "OK"
			switch {
			case len(codes) > 0:
				code = codes[0]
			case ww.Status() >= 400:
				code = strconv.Itoa(ww.Status())
			}
			obs.ObserveRequest(route, op, code, took)
			if route != "" {
				span := trace.SpanFromContext(ctx)
				span.SetName(r.Method + " " + route)
				span.SetAttributes(attribute.String("http.route", route))
			}
		})
	}
}
