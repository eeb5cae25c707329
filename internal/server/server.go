// Package server is orgraph's HTTP face: the GraphQL endpoint, the GraphiQL
// playground, health and readiness probes, and the middleware around them.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/orgraph/orgraph/graph"
	"github.com/orgraph/orgraph/internal/org"
)

// Config tunes the handler; zero values take the defaults.
type Config struct {
	// MaxBodyBytes bounds a request body (default 1 MiB).
	MaxBodyBytes int64
	// ComplexityLimit bounds a query's cost (default graph.DefaultComplexityLimit).
	ComplexityLimit int
	// Timeout bounds one request (default 30 s).
	Timeout time.Duration
	// Ready reports whether the store can serve; nil means always ready.
	Ready func(context.Context) error
	// RequestStore wraps the store for one request: a batching store
	// (batch.New) for a remote store, so that a request's look-ups share
	// round trips. Nil: requests read the store itself.
	RequestStore func(org.Store) org.Store
	// AnswerCacheBytes bounds the answers kept for repeated queries of the
	// baseline (graph.Answers); 0 keeps none. Needs a store that is an
	// org.Revisioner.
	AnswerCacheBytes int
	// AdminToken, when set, is the bearer token admin mutations
	// (importOrdinance) need; without it they are refused.
	AdminToken string
}

// New returns the HTTP handler: POST /query, GraphiQL at /, GET /healthz
// (the process is up) and GET /readyz (the store answers).
func New(svc *org.Service, cfg Config, log *slog.Logger) http.Handler {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	r := chi.NewRouter()
	r.Use(middleware.RequestID, logRequests(log), middleware.Recoverer, limitBody(cfg.MaxBodyBytes))
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
	r.Handle("/", playground.Handler("orgraph", "/query"))
	gql := graph.NewServer(svc, cfg.ComplexityLimit, log)
	mw := []func(http.Handler) http.Handler{middleware.Timeout(cfg.Timeout)}
	if rv, ok := svc.Store.(org.Revisioner); ok && cfg.AnswerCacheBytes > 0 {
		answers := graph.NewAnswers(rv, cfg.AnswerCacheBytes)
		answers.Use(gql)
		mw = append(mw, answers.Middleware)
	}
	mw = append(mw, graph.RequestStores(svc, cfg.RequestStore), graph.WithAdmin(cfg.AdminToken))
	r.With(mw...).Handle("/query", gql)
	return r
}

// limitBody caps what a client may send.
func limitBody(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

// logRequests logs one line per request with log/slog.
func logRequests(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			next.ServeHTTP(ww, r)
			log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", ww.Status()), slog.Duration("took", time.Since(start)),
				slog.String("id", middleware.GetReqID(r.Context())))
		})
	}
}
