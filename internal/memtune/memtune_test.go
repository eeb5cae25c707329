package memtune

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestPercentFor(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		live, min uint64
		want      int
	}{
		{0, 256 * mib, 6400},         // nothing live yet: the runtime's minimum goal, scaled, is the headroom
		{1 * mib, 256 * mib, 6400},   // as little as its minimum
		{32 * mib, 256 * mib, 800},   // a department: 256 MiB over 32 live
		{256 * mib, 256 * mib, 100},  // the live heap is the headroom: GOGC's default
		{4096 * mib, 256 * mib, 100}, // a City Hall: the default
		{100 * mib, 150 * mib, 150},
	} {
		if got := percentFor(c.live, c.min); got != c.want {
			t.Errorf("percentFor(%d MiB, %d MiB) = %d, want %d", c.live/mib, c.min/mib, got, c.want)
		}
	}
}

var keep [][]byte

// garbage allocates n MiB that nothing keeps, and returns how many
// collections ran meanwhile.
func garbage(n int) uint32 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		b := make([]byte, 1<<20)
		b[0] = 1
	}
	runtime.ReadMemStats(&after)
	return after.NumGC - before.NumGC
}

// waitPercent waits for the finalizer goroutine to have tuned to a
// percentage that ok accepts.
func waitPercent(t *testing.T, tu *Tuner, want string, ok func(int) bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok(tu.Percent()) {
		if time.Now().After(deadline) {
			t.Fatalf("percent %d, want %s", tu.Percent(), want)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}

func TestHeadroomCollectsLessOftenAtSmallHeapsOnly(t *testing.T) {
	t.Setenv("GOGC", "") // the test's own environment may set it; Headroom reads it
	defer debug.SetGCPercent(debug.SetGCPercent(DefaultPercent))
	runtime.GC()
	plain := garbage(1024)

	tu := Headroom(128 << 20)
	if tu == nil {
		t.Fatal("Headroom returned nil with GOGC unset")
	}
	// A test binary has a few MiB live: 128 MiB over that is 1,000% or more.
	waitPercent(t, tu, "at least 1000", func(p int) bool { return p >= 1000 })
	tuned := garbage(1024)
	// 1 GiB of garbage over a few MiB live: about 256 collections at GOGC's
	// default, and 1024/128 = 8 with the headroom.
	t.Logf("collections for 1 GiB of garbage: %d at GOGC's default, %d with the headroom", plain, tuned)
	if tuned > 16 || tuned*4 > plain {
		t.Errorf("%d collections with 128 MiB of headroom, %d without: want at most 16 and a quarter", tuned, plain)
	}

	// Once as much is live as the headroom, the default comes back.
	keep = make([][]byte, 160)
	for i := range keep {
		keep[i] = make([]byte, 1<<20)
	}
	waitPercent(t, tu, "the default", func(p int) bool { return p == DefaultPercent })
	keep = nil

	tu.Stop()
	if p := debug.SetGCPercent(DefaultPercent); p != DefaultPercent {
		t.Errorf("after Stop the percentage is %d, want %d", p, DefaultPercent)
	}
}

func TestHeadroomLeavesAnOperatorsGOGC(t *testing.T) {
	t.Setenv("GOGC", "50")
	if tu := Headroom(128 << 20); tu != nil {
		tu.Stop()
		t.Fatal("Headroom tuned with GOGC set")
	}
	t.Setenv("GOGC", "")
	if tu := Headroom(0); tu != nil {
		tu.Stop()
		t.Fatal("Headroom(0) tuned")
	}
}
