package storetest

import (
	"context"
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
)

// ScenarioImpactSizes are the organisations BenchScenarioImpact measures.
var ScenarioImpactSizes = []int{2000, 20000}

// BenchScenarioImpact measures a 100-change scenarioImpact on generated
// organisations of each size, as a planner asks it just after an edit: the
// scenario's view made anew each time, what the service keeps of the
// baseline kept (cold-ms, cold-cpu-ms: the first impact, which builds that).
// It reports the heap the baseline store holds (baseline-bytes), the heap
// one scenario's view adds to it (scenario-bytes) and what the service
// keeps of the baseline besides the store (baseline-view-bytes: the
// snapshot a remote store's scenarios are answered over). open returns an
// empty store that keeps scenarios; overlay is the service's Overlay.
func BenchScenarioImpact(b *testing.B, sizes []int, open func(testing.TB) org.Store, overlay func(context.Context, *org.Graph) (org.Store, error)) {
	ctx := org.WithPrincipal(context.Background(), org.Principal{Subject: "bench", Role: org.RolePlanner})
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
			sc, err := svc.CreateScenario(ctx, "bench", "")
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
			rules := org.Rules{MaxSpan: 8, MaxDepth: 12}
			// Cold: the first impact a service computes (after a start, or a
			// change of the baseline), which builds what it keeps of the baseline.
			cold, coldCPU := time.Now(), cpuTime()
			if _, err := (&org.Service{Store: s, Overlay: overlay}).Impact(ctx, sc.ID, rules); err != nil {
				b.Fatal(err)
			}
			coldMS, coldCPUMS := time.Since(cold).Milliseconds(), (cpuTime() - coldCPU).Milliseconds()
			// Each op: the impact just after an edit, the scenario's view made
			// anew over what the service keeps of the baseline.
			var cpu time.Duration
			n, version := 0, sc.Version+1
			for b.Loop() {
				b.StopTimer()
				if err := ss.UpdateScenario(ctx, sc, version); err != nil {
					b.Fatal(err)
				}
				version++
				b.StartTimer()
				cpu0 := cpuTime()
				if _, err := svc.Impact(ctx, sc.ID, rules); err != nil {
					b.Fatal(err)
				}
				cpu, n = cpu+cpuTime()-cpu0, n+1
			}
			// On a machine shared with other work the wall time says little;
			// the CPU time the process spent per impact says what it cost.
			b.ReportMetric(float64(cpu.Milliseconds())/float64(n), "cpu-ms/op")
			b.ReportMetric(float64(coldMS), "cold-ms")
			b.ReportMetric(float64(coldCPUMS), "cold-cpu-ms")
			b.ReportMetric(float64(heap1-heap0), "baseline-bytes")
			b.ReportMetric(float64(heapView-heapBase), "baseline-view-bytes")
			b.ReportMetric(float64(heapScenario-heapView), "scenario-bytes")
		})
	}
}

// cpuTime is the CPU time the process has spent, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// heapInUse is the live heap after a collection.
func heapInUse() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
