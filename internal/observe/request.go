// Package observe is orgraph's operational view of itself: what one request
// did (for its log line), Prometheus metrics, OpenTelemetry traces, and the
// org.Store decorator that times, counts and traces every store call.
package observe

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
)

// Request is what one HTTP request did, gathered while it runs: the store
// calls it made and the error codes it was answered with.
type Request struct {
	storeCalls atomic.Int64
	mu         sync.Mutex
	codes      []string
}

type requestKey struct{}

// WithRequest returns ctx carrying a new Request record.
func WithRequest(ctx context.Context) (context.Context, *Request) {
	r := &Request{}
	return context.WithValue(ctx, requestKey{}, r), r
}

func requestOf(ctx context.Context) *Request {
	r, _ := ctx.Value(requestKey{}).(*Request)
	return r
}

// NoteCode records an error code (extensions.code) the request is answered
// with; each code once, in the order first seen.
func NoteCode(ctx context.Context, code string) {
	r := requestOf(ctx)
	if r == nil || code == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !slices.Contains(r.codes, code) && len(r.codes) < 8 {
		r.codes = append(r.codes, code)
	}
}

// StoreCalls is how many calls the request made to the store under the
// per-request layers: for Neo4j, its round trips.
func (r *Request) StoreCalls() int64 { return r.storeCalls.Load() }

// Codes are the error codes noted, each once.
func (r *Request) Codes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.codes)
}
