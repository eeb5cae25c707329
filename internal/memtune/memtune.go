// Package memtune gives Go's garbage collector a floor of headroom.
//
// With the default GOGC of 100 the collector runs whenever the heap has
// grown by as much as the last collection found live. orgraph's live heap
// is small at a department's size (tens of MiB) while a busy server
// allocates hundreds of MiB a second for answers it throws away, so it
// collected many times a second, and the stops and assists of those
// collections, not the work, set the tail of a write's latency under load
// (orgbench's 50 planners and 200 readers). Headroom lets the heap grow by
// at least a fixed amount between collections, and by GOGC's 100% of the
// live heap once that is more: a large organisation keeps Go's default,
// and memory grows by at most the headroom.
package memtune

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// DefaultHeadroomMB is orgraph serve's headroom, in MiB, unless
// ORGRAPH_GC_HEADROOM_MB says otherwise.
const DefaultHeadroomMB = 256

// DefaultPercent is the collector's percentage when the live heap is at
// least the headroom: GOGC's own default.
const DefaultPercent = 100

// Tuner adjusts the collector's percentage after each collection.
type Tuner struct {
	min uint64

	mu      sync.Mutex
	percent int
	stopped bool
	sample  []metrics.Sample
}

// Headroom starts a Tuner that keeps at least min bytes of headroom. It
// does nothing, and returns nil, when min is 0 or the operator has set
// GOGC (their choice stands). GOMEMLIMIT works alongside: near the limit
// the collector runs more often whatever the percentage. Stop ends it.
func Headroom(min uint64) *Tuner {
	if min == 0 || os.Getenv("GOGC") != "" {
		return nil
	}
	t := &Tuner{min: min, percent: DefaultPercent,
		sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	t.tune()
	t.arm()
	return t
}

// Percent is the percentage the tuner set last.
func (t *Tuner) Percent() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.percent
}

// Stop ends the tuning and gives the collector GOGC's default back. A nil
// Tuner's Stop does nothing. The percentage is the process's: one Tuner at
// a time (a process that starts two, such as tests serving twice at once,
// has the second's Stop reset the first's percentage).
func (t *Tuner) Stop() {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stopped = true
	t.percent = DefaultPercent
	debug.SetGCPercent(DefaultPercent)
}

// sentinel is garbage from the moment it is made: its finalizer runs after
// the next collection, tunes, and arms a new one. It holds a pointer so
// that the tiny allocator does not batch it with other objects (whose
// finalizers may then wait for all of them).
type sentinel struct {
	_ *int
	_ [8]byte
}

func (t *Tuner) arm() {
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
		if t.tune() {
			t.arm()
		}
	})
}

// tune sets the percentage for what the last collection found live, and
// tells whether the tuner still runs. It changes the percentage only when
// it moves by more than an eighth, so that a steady heap does not retune
// the pacer after every cycle.
func (t *Tuner) tune() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return false
	}
	metrics.Read(t.sample)
	var live uint64
	if t.sample[0].Value.Kind() == metrics.KindUint64 {
		live = t.sample[0].Value.Uint64()
	}
	p := percentFor(live, t.min)
	if d := p - t.percent; d > t.percent/8 || -d > t.percent/8 {
		t.percent = p
		debug.SetGCPercent(p)
	}
	return true
}

// heapMinimum is the Go runtime's smallest heap goal at GOGC=100, which it
// scales with the percentage: a percentage of p makes the goal at least
// heapMinimum×p/100 however little is live.
const heapMinimum = 4 << 20

// percentFor is the percentage that lets a heap of live bytes grow by at
// least min before the next collection, and never less than the default.
// Below heapMinimum live counts as heapMinimum, so that the runtime's
// scaled minimum goal stays within min too.
func percentFor(live, min uint64) int {
	live = max(live, heapMinimum)
	return max(DefaultPercent, int(min*100/live))
}
