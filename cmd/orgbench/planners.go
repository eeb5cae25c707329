package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/orgraph/orgraph/internal/bench"
	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/seed"
)

// plannersGoal is the target for addChange under load: p99 under 100 ms on
// the embedded store at seed size.
const plannersGoal = 100 * time.Millisecond

func plannerFlags(fs *flag.FlagSet, l *bench.Planners) {
	fs.IntVar(&l.Planners, "planners", 50, "write case: concurrent planners, each adding changes to scenarios of its own; 0 skips the case")
	fs.IntVar(&l.Readers, "readers", 200, "write case: concurrent readers asking Q1-Q3 meanwhile")
	fs.IntVar(&l.Changes, "changes", 2000, "write case: addChange calls in all")
	fs.IntVar(&l.PerDraft, "changes-per-scenario", 20, "write case: changes a planner adds to one scenario before it starts another")
	fs.DurationVar(&l.Cap, "planners-cap", 60*time.Second, "write case: time cap per store")
	l.Node = "KS-07"
}

// writes runs the write case on the embedded store, opened over a fresh
// data directory as orgraph serve opens it, and on Neo4j when it is
// measured. qs are the seed's reference questions the readers ask.
func (b *runner) writes(qs []question, quiet *slog.Logger) error {
	l := b.o.planners
	if l.Planners < 1 {
		return nil
	}
	reads := make([]bench.Reading, len(qs))
	for i, q := range qs {
		reads[i] = bench.Reading{Body: q.body, Want: q.want}
	}
	dir, err := os.MkdirTemp("", "orgbench-data-")
	if err != nil {
		return setupErr("data directory", err)
	}
	defer os.RemoveAll(dir)
	mem, err := memstore.Open(dir)
	if err != nil {
		return setupErr("opening the embedded store", err)
	}
	defer mem.Close()
	g, err := seed.Graph()
	if err != nil {
		return setupErr("seed", err)
	}
	if err := mem.Load(b.ctx, g); err != nil {
		return setupErr("loading the seed into the embedded store", err)
	}
	srv, err := bench.Serve(handler(mem, false, false, quiet))
	if err != nil {
		return setupErr("listen", err)
	}
	defer srv.Close()
	label := fmt.Sprintf("%d planners, %d readers", l.Planners, l.Readers)
	b.plannersCase(label, bench.Embedded+" (data dir)", srv.URL, reads)
	if b.neo4jURL != "" {
		b.plannersCase(label, bench.Neo4j, b.neo4jURL, reads)
	}
	return nil
}

func (b *runner) plannersCase(label, target, url string, reads []bench.Reading) {
	l := b.o.planners
	r := bench.RunPlanners(b.ctx, url, l, reads)
	b.add(bench.Result{Query: "addChange, " + label, Target: target, Stats: r.AddChange, Writes: true})
	b.add(bench.Result{Query: "reads, " + label, Target: target, Stats: r.Reads, Writes: true})
	if target != bench.Neo4j {
		verdict := "met"
		if r.AddChange.P99 >= plannersGoal || r.AddChange.Errors > 0 || r.AddChange.Requests == 0 {
			verdict = "NOT met"
		}
		b.note("addChange with %s on the %s at seed size: p50 %s, p99 %s over %d calls (readers' p99 %s); target p99 < %s: %s",
			label, target, r.AddChange.P50.Round(100*time.Microsecond), r.AddChange.P99.Round(100*time.Microsecond), r.AddChange.Requests,
			r.Reads.P99.Round(100*time.Microsecond), plannersGoal, verdict)
	}
}
