package server

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orgraph/orgraph/internal/org"
)

// Probe intervals of a Readiness.
const (
	// ProbeEvery is the interval of probes while the store is ready.
	ProbeEvery = 2 * time.Second
	// ProbeRetry is the first interval of probes while it is not; it
	// doubles up to ProbeRetryMax, so that a store that returns is seen
	// within half a second. A probe that failed slowly (it timed out) is
	// followed by the next at once.
	ProbeRetry, ProbeRetryMax = 250 * time.Millisecond, 500 * time.Millisecond

	stillDownEvery = 30 * time.Second
)

// errNotChecked is the state before the first probe.
var errNotChecked = org.Errorf(org.EUNAVAILABLE, "the graph database has not been reached yet; try again later")

// Readiness is the store's readiness as the server keeps it: a state that
// /readyz reports and /query consults before any work, so that while the
// store is away a request is refused at once (503 UNAVAILABLE) rather than
// after the driver's timeouts. One goroutine (Run) keeps it: it probes the
// store every ProbeEvery while it is ready, every ProbeRetry to
// ProbeRetryMax while it is not (a probe is cheap when the store refuses
// connections), and at once when a request reports the
// store unavailable or slow (Suspect). A probe that succeeds makes it ready
// at once. One that fails makes it unready if a request's report
// prompted it; a periodic one is repeated first, so that one lost probe
// does not make /readyz flap. On becoming unready it calls the OnDown
// function, which may end the store calls still waiting.
type Readiness struct {
	probe  func(context.Context) error
	log    *slog.Logger
	kick   chan struct{}
	onDown func(error)

	mu     sync.Mutex
	err    error     // nil: ready
	since  time.Time // of the state
	logged time.Time // the last line about it

	ready atomic.Bool // err == nil, read by every request
}

// NewReadiness returns a Readiness that is not ready until probe has
// succeeded once; Run keeps it. probe bounds its own time.
func NewReadiness(probe func(context.Context) error, log *slog.Logger) *Readiness {
	return &Readiness{probe: probe, log: log, kick: make(chan struct{}, 1), err: errNotChecked, since: time.Now(), logged: time.Now()}
}

// OnDown has f called, from Run, whenever the store stops being ready,
// with the probe's failure. Call it before Run.
func (r *Readiness) OnDown(f func(error)) { r.onDown = f }

// Err returns nil when the store is ready, an EUNAVAILABLE error (with the
// last probe's failure as its cause) when it is not. It does not probe.
func (r *Readiness) Err() error {
	if r.ready.Load() {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// Check is Err in the shape of Config.Ready.
func (r *Readiness) Check(context.Context) error { return r.Err() }

// Suspect says that a request found the store unavailable: Run probes at
// once. It never blocks.
func (r *Readiness) Suspect(error) {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// Run probes until ctx ends.
func (r *Readiness) Run(ctx context.Context) {
	wait := time.Duration(0) // the first probe at once
	failures := 0
	for {
		timer := time.NewTimer(wait)
		kicked := false
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		case <-r.kick:
			timer.Stop()
			kicked = true
		}
		start := time.Now()
		err := r.probe(ctx)
		if ctx.Err() != nil {
			return
		}
		switch {
		case err == nil:
			failures = 0
			r.set(nil)
			wait = ProbeEvery
		case r.ready.Load() && failures == 0 && !kicked:
			// Once more before the state changes: a probe may fail alone.
			failures++
			wait = 100 * time.Millisecond
		default:
			switch {
			case time.Since(start) >= ProbeRetry:
				// A probe that waited (a database still starting accepts
				// connections before it answers): the next one at once.
				wait = 0
			case r.ready.Load() || failures <= 1:
				wait = ProbeRetry
			default:
				wait = min(2*max(wait, ProbeRetry/2), ProbeRetryMax)
			}
			failures++
			r.set(err)
		}
	}
}

// set records the outcome of a probe. It logs a change of state, with the
// cause of a failure, and while the store stays away a line every
// stillDownEvery.
func (r *Readiness) set(err error) {
	r.mu.Lock()
	was, since := r.err, r.since
	if err != nil {
		r.err = unavailable(err)
	} else {
		r.err = nil
	}
	r.ready.Store(err == nil)
	changed := (err == nil) != (was == nil) || was == errNotChecked
	if changed {
		r.since, r.logged = time.Now(), time.Now()
	}
	still := !changed && err != nil && time.Since(r.logged) >= stillDownEvery
	if still {
		r.logged = time.Now()
	}
	r.mu.Unlock()
	if changed && err != nil && was == nil && r.onDown != nil {
		r.onDown(r.Err())
	}
	switch {
	case changed && err == nil:
		r.log.Info("store ready", "after", time.Since(since).Round(time.Millisecond))
	case changed:
		r.log.Warn("store unavailable; probing until it answers", "cause", err)
	case still:
		r.log.Warn("store still unavailable", "for", time.Since(since).Round(time.Second), "cause", err)
	}
}

// unavailable is err as the state keeps it: EUNAVAILABLE, with a message
// fit for a client and err as its cause.
func unavailable(err error) error {
	return org.Wrap(org.EUNAVAILABLE, err, "the graph database is unavailable; try again later")
}
