package storetest

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
)

// ScenarioImpactSizes are the organisations BenchScenarioImpact measures.
var ScenarioImpactSizes = []int{2000, 20000}

// BenchScenarioImpact measures a 100-change scenarioImpact on generated
// organisations of each size, as a planner asks it just after an edit: a
// fresh service each time, so that nothing of an earlier answer is kept.
// It reports the heap the baseline store holds (baseline-bytes), the heap
// one scenario's view adds to it (scenario-bytes) and what the service
// keeps of the baseline besides the store (baseline-view-bytes: the
// snapshot a remote store's scenarios are answered over). open returns an
// empty store that keeps scenarios; overlay is the service's Overlay.
func BenchScenarioImpact(b *testing.B, sizes []int, open func(testing.TB) org.Store, overlay func(context.Context, *org.Graph) (org.Store, error)) {
	ctx := context.Background()
	for _, units := range sizes {
		b.Run(fmt.Sprintf("units=%d", units), func(b *testing.B) {
			heap0 := heapInUse()
			s := open(b)
			ss := s.(org.ScenarioStore)
			g := orggen.Generate(1, units)
			changes := orggen.Changes(1, g, 100)
			if err := s.Load(ctx, g); err != nil {
				b.Fatal(err)
			}
			g = nil
			heap1 := heapInUse()
			svc := &org.Service{Store: s, Overlay: overlay}
			sc, err := svc.CreateScenario(ctx, "bench", "bench", "")
			if err != nil {
				b.Fatal(err)
			}
			sc.Changes = changes
			if err := ss.UpdateScenario(ctx, sc, sc.Version); err != nil {
				b.Fatal(err)
			}
			// What the service keeps: the baseline's view (for a remote
			// store), then one scenario's.
			if _, err := svc.Impact(ctx, sc.ID, org.Rules{}); err != nil {
				b.Fatal(err)
			}
			other := &org.Service{Store: s, Overlay: overlay}
			heapBase := heapInUse()
			if _, err := other.Baseline(ctx); err != nil {
				b.Fatal(err)
			}
			heapView := heapInUse()
			if _, err := other.View(ctx, sc.ID); err != nil {
				b.Fatal(err)
			}
			heapScenario := heapInUse()
			runtime.KeepAlive(svc)
			runtime.KeepAlive(other)
			var last time.Duration
			for b.Loop() {
				start := time.Now()
				fresh := &org.Service{Store: s, Overlay: overlay}
				if _, err := fresh.Impact(ctx, sc.ID, org.Rules{MaxSpan: 8, MaxDepth: 12}); err != nil {
					b.Fatal(err)
				}
				last = time.Since(start)
			}
			b.ReportMetric(float64(heap1-heap0), "baseline-bytes")
			b.ReportMetric(float64(heapView-heapBase), "baseline-view-bytes")
			b.ReportMetric(float64(heapScenario-heapView), "scenario-bytes")
			b.Logf("%d units, %d changes: last impact %v", units, len(changes), last)
		})
	}
}

// heapInUse is the live heap after a collection.
func heapInUse() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
