package main

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orgraph/orgraph/internal/neo4jstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
)

// probeTimeout bounds one readiness probe of Neo4j (a connectivity check):
// a database that takes longer is as good as away. While the server does
// not call the database ready, a probe may take up to returnTimeout: a
// Neo4j that has just started took over a second to answer its first
// connection's first query, so a 1 s probe failed, and the server was
// ready a second later than it could have been. Requests are answered
// UNAVAILABLE at once then, so a slow probe holds nobody up; while ready
// (the probe that checks a failed one again included), 1 s it is.
const (
	probeTimeout  = time.Second
	returnTimeout = 5 * time.Second
)

// warmTimeout bounds the warm-up after the database returns: past it the
// statements not yet planned are planned by the requests that send them.
// warmBudget is how long readiness waits for it: the statements the
// requests send most go first and are planned within it (a restarted
// Neo4j here planned the 38 of the seed's load and requests in ~6 s, the
// most sent in the first second); the rest are planned in the background
// while the server answers. The chain of command, the slowest to plan
// (4-6 s cold), is walked in the baseline held in memory
// (org.Service.ChainOfCommand) and waits for none of it. Waiting 1 s
// rather than 2 s brought every kind of request in the outage test back
// 0.6-0.7 s sooner (writes in 4.1-4.3 s rather than 4.7 s, reads in
// 3.0-3.5 s rather than 3.9-4.1 s): the statements the requests send
// next are planned by them as soon as by the warm-up.
const (
	warmTimeout = 20 * time.Second
	warmBudget  = time.Second
)

// watchNeo4j keeps the readiness of store as the server sees it, from now
// until the returned stop is called: a probe at once, then on the
// server.Readiness schedule (every 2 s while ready, every 250 to 500 ms
// while not, and at once when a request finds the database unavailable or
// slow), a probe being a query (store.Ping) bounded by probeTimeout. When
// the database is found away, the store calls in flight fail at once.
// Until the first probe after which the database has its schema and data
// (an empty one is seeded from g; one that holds data is never
// overwritten), the store is not ready. The returned check is Config.Ready:
// it reports the state kept, and never asks the database itself.
func watchNeo4j(ctx context.Context, store *neo4jstore.Store, g *org.Graph, log *slog.Logger) (check func(context.Context) error, stop func()) {
	var (
		prepared, warm atomic.Bool
		warming        sync.WaitGroup // warm-ups going on past warmBudget
		ready          *server.Readiness
	)
	probe := func(ctx context.Context) error {
		timeout := probeTimeout
		if ready.Err() != nil {
			timeout = returnTimeout
		}
		pctx, cancel := context.WithTimeout(ctx, timeout)
		err := store.Ping(pctx)
		cancel()
		if err != nil {
			warm.Store(false) // it may come back as a fresh server
			return err
		}
		if !prepared.Load() {
			if err := prepare(ctx, store, g, log); err != nil {
				return err
			}
			prepared.Store(true)
			warm.Store(true) // what prepare sent, it planned
		}
		if !warm.Load() {
			// Back after a failure: perhaps a restarted server, whose
			// planner is cold. Plan what the store has sent before the
			// requests come (neo4jstore.Store.Warm).
			if err := warmUp(ctx, store, log, &warming); err != nil {
				return err
			}
			warm.Store(true)
		}
		return nil
	}
	ready = server.NewReadiness(probe, log.With("store", "neo4j"))
	store.OnUnavailable(ready.Suspect)
	ready.OnDown(store.Abort) // the calls waiting for it fail now
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		ready.Run(ctx)
	}()
	// Stopped, it waits for the warm-ups too: the store closes after.
	return ready.Check, func() { cancel(); <-done; warming.Wait() }
}

// prepare makes sure of the schema and seeds an empty database; a
// non-empty one is never overwritten.
func prepare(ctx context.Context, store *neo4jstore.Store, g *org.Graph, log *slog.Logger) error {
	if err := store.EnsureSchema(ctx); err != nil {
		return err
	}
	empty, err := store.Empty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		log.Info("store prepared", "store", "neo4j", "seeded", false, "note", "the database holds data; it is served as it is")
		return nil
	}
	if err := store.Load(ctx, g); err != nil {
		return err
	}
	log.Info("store prepared", "store", "neo4j", "seeded", true, "nodes", len(g.Nodes), "relations", len(g.Relations), "duties", len(g.Duties))
	return nil
}

// warmUp replays what store has sent (neo4jstore.Store.Warm) for up to
// warmBudget, and returns; a warm-up not done by then goes on in the
// background, up to warmTimeout or until ctx ends, counted in warming.
// An error is the database found away within the budget.
func warmUp(ctx context.Context, store *neo4jstore.Store, log *slog.Logger, warming *sync.WaitGroup) error {
	start := time.Now()
	done := make(chan error, 1)
	warming.Add(1)
	go func() {
		defer warming.Done()
		wctx, cancel := context.WithTimeout(ctx, warmTimeout)
		defer cancel()
		n, err := store.Warm(wctx)
		switch {
		case wctx.Err() != nil:
			// Out of time, or the server stopping: the requests plan the rest.
			log.Info("store warm-up cut short", "store", "neo4j", "statements", n, "took", time.Since(start).Round(time.Millisecond))
			err = nil
		case err == nil:
			log.Info("store warmed", "store", "neo4j", "statements", n, "took", time.Since(start).Round(time.Millisecond))
		default:
			log.Warn("store warm-up stopped: the database went away", "store", "neo4j", "statements", n, "cause", err)
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(warmBudget):
		log.Info("store ready while warming", "store", "neo4j", "after", warmBudget)
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
