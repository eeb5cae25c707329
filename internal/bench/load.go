package bench

import (
	"context"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Load says how hard and how long one case is driven.
type Load struct {
	Clients  int           // concurrent clients
	Requests int           // requests per case, warm-up not included
	Cap      time.Duration // the most a case may take; it stops early when reached
	Warmup   int           // requests sent first and not measured (for a fifth of Cap at most)
}

// Do sends one request and checks its answer: a non-nil error is a failed
// request (a transport error or a wrong answer).
type Do func(ctx context.Context) error

// Stats is what one case measured.
type Stats struct {
	Requests  int           `json:"requests"` // completed, failed ones included
	Errors    int           `json:"errors"`
	Elapsed   time.Duration `json:"elapsed_ns"`
	PerSecond float64       `json:"req_per_s"`
	P50       time.Duration `json:"p50_ns"`
	P99       time.Duration `json:"p99_ns"`
	// Capped is set when the time cap stopped the case before Requests.
	Capped bool `json:"capped"`
	// FirstErrors keeps the first few distinct error messages.
	FirstErrors []string `json:"first_errors,omitempty"`
}

const keepErrors = 3

// Run warms up, then drives do from l.Clients goroutines until l.Requests
// have completed or l.Cap has passed. Requests in flight when the cap is
// reached are allowed to finish and are counted. mark, when not nil, is
// called between the warm-up and the measured requests.
func Run(ctx context.Context, l Load, do Do, mark func()) Stats {
	clients := max(l.Clients, 1)
	var errMu sync.Mutex
	var st Stats
	record := func(err error) {
		errMu.Lock()
		defer errMu.Unlock()
		st.Errors++
		msg := err.Error()
		if len(st.FirstErrors) < keepErrors && !slices.Contains(st.FirstErrors, msg) {
			st.FirstErrors = append(st.FirstErrors, msg)
		}
	}

	// Warm-up: connections opened, caches and query plans filled; it may
	// take a fifth of the cap at most.
	var warmEnd time.Time
	if l.Cap > 0 {
		warmEnd = time.Now().Add(l.Cap / 5)
	}
	drive(ctx, clients, l.Warmup, warmEnd, func(ctx context.Context) time.Duration {
		if err := do(ctx); err != nil {
			record(err)
		}
		return 0
	})

	if mark != nil {
		mark()
	}
	start := time.Now()
	var deadline time.Time
	if l.Cap > 0 {
		deadline = start.Add(l.Cap)
	}
	lat := drive(ctx, clients, l.Requests, deadline, func(ctx context.Context) time.Duration {
		t0 := time.Now()
		err := do(ctx)
		d := time.Since(t0)
		if err != nil {
			record(err)
		}
		return d
	})
	st.Elapsed = time.Since(start)
	st.Requests = len(lat)
	st.Capped = len(lat) < l.Requests
	if st.Elapsed > 0 {
		st.PerSecond = float64(st.Requests) / st.Elapsed.Seconds()
	}
	slices.Sort(lat)
	st.P50 = Percentile(lat, 50)
	st.P99 = Percentile(lat, 99)
	return st
}

// drive runs one at a time from each of clients goroutines until n have
// been started, the deadline (when not zero) has passed or ctx ends, and
// returns the durations one returned.
func drive(ctx context.Context, clients, n int, deadline time.Time, one func(context.Context) time.Duration) []time.Duration {
	var next atomic.Int64
	per := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && next.Add(1) <= int64(n) {
				if !deadline.IsZero() && time.Now().After(deadline) {
					return
				}
				per[c] = append(per[c], one(ctx))
			}
		}()
	}
	wg.Wait()
	var all []time.Duration
	for _, p := range per {
		all = append(all, p...)
	}
	return all
}

// Percentile returns the p-th percentile (0 < p ≤ 100) of sorted durations
// by the nearest-rank method: the smallest value with at least p% of the
// values at or below it. It returns 0 for no values.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p * float64(len(sorted)) / 100))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}
