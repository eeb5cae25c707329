package neo4jstore

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/orgraph/orgraph/internal/org"
)

// A Neo4j that has just started plans its first queries slowly: the
// planner's own code is not yet compiled by the JVM, and the chain of
// command's variable-length pattern took from one to over ten seconds to
// plan in a fresh server on two busy cores, while the same query planned
// again took half a second and, cached, a few milliseconds. Requests that
// arrive first after a restart would wait for that, all together. So the
// store remembers one call of every statement it has sent (their texts are
// constants: user input is only ever a parameter) and Warm sends them again
// before the server calls the database ready.

// warmLimit bounds the elements of a remembered list parameter: the plan's
// cache key is the text and the parameters' types, which a short list keeps.
const warmLimit = 8

// warmCall is a statement the store has sent, with parameters of the types
// it was sent with.
type warmCall struct {
	query  string
	params map[string]any
	write  bool // EXPLAINed, not run, by Warm
}

// warmSet is the store's memory of the statements it has sent.
type warmSet struct {
	mu    sync.Mutex
	calls map[string]warmCall // by query text
	sent  map[string]int      // how often each was sent
	order []string            // first sent first
}

// note remembers query with a bounded copy of params, the first time, and
// counts it every time.
func (w *warmSet) note(query string, params map[string]any, write bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, seen := w.calls[query]; seen {
		w.sent[query]++
		return
	}
	if w.calls == nil {
		w.calls, w.sent = map[string]warmCall{}, map[string]int{}
	}
	w.calls[query] = warmCall{query: query, params: bounded(params), write: write}
	w.sent[query] = 1
	w.order = append(w.order, query)
}

// list returns the statements most sent first (first sent first among
// equals): what the requests send most is planned before the rest, such as
// the load's statements, sent once.
func (w *warmSet) list() []warmCall {
	w.mu.Lock()
	defer w.mu.Unlock()
	order := slices.Clone(w.order)
	slices.SortStableFunc(order, func(a, b string) int { return cmp.Compare(w.sent[b], w.sent[a]) })
	out := make([]warmCall, len(order))
	for i, q := range order {
		out[i] = w.calls[q]
	}
	return out
}

// bounded copies params with every list cut to warmLimit elements, lists
// in maps and lists included.
func bounded(params map[string]any) map[string]any {
	if params == nil {
		return nil
	}
	out := make(map[string]any, len(params))
	for k, v := range params {
		out[k] = boundedValue(v)
	}
	return out
}

func boundedValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return bounded(v)
	case []any:
		n := min(len(v), warmLimit)
		out := make([]any, n)
		for i := range n {
			out[i] = boundedValue(v[i])
		}
		return out
	case []map[string]any:
		n := min(len(v), warmLimit)
		out := make([]any, n)
		for i := range n {
			out[i] = bounded(v[i])
		}
		return out
	case []string:
		return v[:min(len(v), warmLimit)]
	}
	return v
}

// warmers is how many statements Warm sends at once: the planner of one
// statement is single-threaded, and the JVM compiles its code on other
// threads, so two keep two cores busy.
const warmers = 2

// Warm sends again every statement the store has sent since it was made,
// the most sent first: reads run as they ran (with at most warmLimit elements of each list),
// writes only planned (EXPLAIN), so that nothing is written. It returns
// how many it sent, and stops at the first sign that the database is away
// (EUNAVAILABLE); other failures are not its business and are ignored.
// Warm does not count as round trips.
func (s *Store) Warm(ctx context.Context) (int, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	calls := make(chan warmCall)
	var (
		wg   sync.WaitGroup
		sent atomic.Int64
	)
	for range warmers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range calls {
				query := c.query
				if c.write {
					query = "EXPLAIN " + query
				}
				_, err := s.run(ctx, "warm", query, c.params)
				if org.ErrorCode(err) == org.EUNAVAILABLE {
					cancel(err)
					continue
				}
				sent.Add(1)
			}
		}()
	}
	for _, c := range s.warmed.list() {
		if ctx.Err() != nil {
			break
		}
		calls <- c
	}
	close(calls)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return int(sent.Load()), err
	}
	return int(sent.Load()), nil
}
