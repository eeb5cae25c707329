package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"net/http"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/orgraph/orgraph/internal/org"
)

// Answers keeps the answers to queries of the baseline, by request and
// baseline revision: the baseline changes only on an import or an apply,
// and until then the same question has the same answer, byte for byte. A
// hit costs one revision check (in memory for the embedded store, one
// small statement for Neo4j, so several servers on one database stay
// right); a miss is answered as usual and kept if the revision did not
// move meanwhile. Only queries whose every root field is a baseline read
// (no scenario argument, no scenario list, no impact) and that answered
// without error are kept. The cache is bounded in bytes, oldest out first.
type Answers struct {
	revision func(context.Context) (string, error)
	budget   int

	mu    sync.Mutex
	bytes int
	lru   *lru.Cache[[sha256.Size]byte, []byte]
}

// baselineReads are the root fields whose answers depend on the baseline
// alone (and the arguments): only operations made of these are kept.
var baselineReads = map[string]bool{
	"unit": true, "units": true, "position": true, "positions": true, "entities": true, "node": true,
	"chainOfCommand": true, "cooperatingUnits": true, "cooperation": true, "subordinates": true,
	"spanOfControl": true, "taskers": true, "shortestPath": true, "search": true, "duties": true,
	"duty": true, "overlappingDuties": true, "relations": true, "orgChart": true, "document": true,
	"documents": true, "unitsConnection": true, "positionsConnection": true, "dutiesConnection": true,
	"relationsConnection": true, "searchConnection": true, "subordinatesConnection": true,
	"__typename": true, "__schema": true, "__type": true,
}

// NewAnswers returns a cache of at most budget bytes of answers over the
// revisions r names.
func NewAnswers(r org.Revisioner, budget int) *Answers {
	a := &Answers{revision: r.Revision, budget: budget}
	a.lru, _ = lru.NewWithEvict(1<<20, func(_ [sha256.Size]byte, v []byte) { a.bytes -= len(v) })
	return a
}

// keepable is set on a request's context by Middleware and cleared by the
// executor for an answer that must not be kept.
type keepable struct{ ok bool }

type keepableKey struct{}

// Use registers the hooks that tell which answers may be kept.
func (a *Answers) Use(srv *handler.Server) {
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		k, _ := ctx.Value(keepableKey{}).(*keepable)
		if k == nil {
			return next(ctx)
		}
		op := graphql.GetOperationContext(ctx)
		k.ok = op.Operation != nil && op.Operation.Operation == ast.Query
		if k.ok {
			for _, f := range graphql.CollectFields(op, op.Operation.SelectionSet, []string{"Query"}) {
				if !baselineReads[f.Name] || f.ArgumentMap(op.Variables)["scenario"] != nil {
					k.ok = false
				}
			}
		}
		return next(ctx)
	})
	srv.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		if k, _ := ctx.Value(keepableKey{}).(*keepable); k != nil && resp != nil && len(resp.Errors) > 0 {
			k.ok = false
		}
		return resp
	})
}

// Middleware answers a request from the cache, or serves it and keeps the
// answer when it may.
func (a *Answers) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost && r.Method != http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil { // too large, or the client went away: let the transport say so
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
			next.ServeHTTP(w, r)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rev, err := a.revision(r.Context())
		if err != nil {
			next.ServeHTTP(w, r)
			return
		}
		key := a.key(rev, r, body)
		if answer, ok := a.get(key); ok {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(answer)
			return
		}
		k := &keepable{}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), keepableKey{}, k)))
		if !k.ok || rec.status != http.StatusOK || rec.buf.Len() == 0 || rec.buf.Len() > a.budget/8 {
			return
		}
		if now, err := a.revision(r.Context()); err == nil && now == rev {
			a.put(key, bytes.Clone(rec.buf.Bytes()))
		}
	})
}

// key hashes what an answer depends on: the revision and the request
// (method, query string, content type, body). Not who asks: only baseline
// reads are kept, and every principal reads the same baseline; what
// depends on the principal (me, scenarios, the audit log) is never kept.
// The token was checked before the request got here, on every request.
func (a *Answers) key(rev string, r *http.Request, body []byte) [sha256.Size]byte {
	h := sha256.New()
	for _, part := range []string{rev, r.Method, r.URL.RawQuery, r.Header.Get("Content-Type")} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	h.Write(body)
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k
}

func (a *Answers) get(k [sha256.Size]byte) ([]byte, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.lru.Get(k)
}

func (a *Answers) put(k [sha256.Size]byte, v []byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.lru.Contains(k) {
		return
	}
	a.lru.Add(k, v)
	a.bytes += len(v)
	for a.bytes > a.budget {
		a.lru.RemoveOldest()
	}
}

// recorder passes a response through and keeps a copy of its body.
type recorder struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.buf.Write(p)
	return r.ResponseWriter.Write(p)
}
