package neo4jstore

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

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
	// write: sent inside a transaction, so perhaps a write. Warm rehearses
	// it (runs it in a transaction it rolls back) when its last call took
	// at most rehearseUnder, and only plans it (EXPLAIN) otherwise.
	write bool
	// last is the last call's duration, inside a transaction; 0 when none
	// ended or the calls are not timed (collectWhole: the snapshot's).
	last time.Duration
}

// rehearseUnder: a statement sent inside a transaction whose last call
// took longer is only EXPLAINed by Warm, not rehearsed: a whole-baseline
// read, or a batch of a load, would cost a rehearsal what it cost then.
// The last call, not the quickest: a statement's cost grows with the data.
// The snapshot's statements, quick over the empty database at the seeding,
// are never timed (collectWhole), and the schema's never noted.
//
// EXPLAIN plans a statement but does not keep the plan for its runs (a
// statement EXPLAINed on Neo4j 5.26 was planned again when it ran: 23 ms,
// against 2 ms from the cache), so the first write after a restart planned
// its statements cold, for about a second; a rehearsal keeps the plan.
const rehearseUnder = 100 * time.Millisecond

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

// ran records that a call of query inside a transaction took d.
func (w *warmSet) ran(query string, d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if c, ok := w.calls[query]; ok {
		c.last = d
		w.calls[query] = c
	}
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
// the most sent first: reads run as they ran (with at most warmLimit
// elements of each list), statements of transactions rehearsed (run in
// transactions rolled back) or, when slow, only planned (EXPLAIN), so that
// nothing is written. It returns
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
				var err error
				switch {
				case c.write && c.last > 0 && c.last <= rehearseUnder:
					err = s.rehearse(ctx, c.query, c.params)
					s.rehearsals.Add(1)
				case c.write:
					_, err = s.run(ctx, "warm", "EXPLAIN "+c.query, c.params)
				default:
					_, err = s.run(ctx, "warm", c.query, c.params)
				}
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

// rehearsalTimeout bounds a rehearsal's transaction, and so how long it
// may hold the baseline's lock: enough to plan a statement on a cold
// server, where the rehearsed statements took 0.1-1 s.
const rehearsalTimeout = 2 * time.Second

// rehearse runs query in write transactions that it rolls back, so that
// its plan is made and kept and nothing is written: once as a
// transaction's first statement, and once after a change (the baseline's
// lock taken, as a load or an apply takes it), since Neo4j keeps a plan
// for a transaction with changes apart from one for a transaction without
// (a statement planned in one was planned again in the other: 92 ms, then
// 1 ms). It returns an error only when the database is away (a
// connectivity error) or ctx has ended. A rehearsal that fails otherwise
// has been planned all the same, or is not worth more of the warm-up's
// time: a constraint (the parameters are an old call's), a deadlock or a
// lock held by a real write, its own timeout.
func (s *Store) rehearse(ctx context.Context, query string, params map[string]any) error {
	for _, changed := range []bool{false, true} {
		err := s.rolledBack(ctx, func(ctx context.Context, tx neo4j.ExplicitTransaction) error {
			if changed {
				if err := runIn(ctx, tx, lockBaselineQuery, nil); err != nil {
					return err
				}
			}
			return runIn(ctx, tx, query, params)
		})
		var away *neo4j.ConnectivityError
		switch {
		case ctx.Err() != nil:
			return mapError("warm", whyEnded(ctx, ctx.Err()))
		case errors.As(err, &away):
			return mapError("warm", err)
		}
	}
	return nil
}

// rolledBack runs work in a write transaction of at most rehearsalTimeout
// and rolls it back.
func (s *Store) rolledBack(ctx context.Context, work func(context.Context, neo4j.ExplicitTransaction) error) (err error) {
	ctx, cancel := context.WithTimeout(ctx, rehearsalTimeout)
	defer cancel()
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.database, AccessMode: neo4j.AccessModeWrite})
	s.sessions.Add(1)
	defer s.sessions.Add(-1)
	defer session.Close(ctx)
	release := s.alone()
	tx, err := session.BeginTransaction(ctx, neo4j.WithTxTimeout(rehearsalTimeout))
	release()
	if err != nil {
		return err
	}
	err = work(ctx, tx)
	if rerr := tx.Rollback(ctx); err == nil {
		err = rerr
	}
	return err
}

// runIn runs one statement of an explicit transaction to its end.
func runIn(ctx context.Context, tx neo4j.ExplicitTransaction, query string, params map[string]any) error {
	res, err := tx.Run(ctx, query, params)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}
