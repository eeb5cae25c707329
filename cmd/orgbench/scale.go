package main

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/orgraph/orgraph/internal/bench"
	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/ordinance"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
)

// scaleChanges is the size of the scenario the scale table asks the
// impact of.
const scaleChanges = 100

// parseSizes reads -scale: unit counts separated by commas; "" is none.
func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 10 {
			return nil, fmt.Errorf("-scale: %q is not a number of units (10 or more)", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// scaleTable measures, at each size of generated organisation, on each
// store: the load, the chain of command from the deepest unit, the impact
// of a 100-change scenario and resident memory. Every answer of Neo4j must
// be the embedded store's, byte for byte.
func (b *runner) scaleTable(quiet *slog.Logger) error {
	for _, units := range b.o.scale {
		if b.ctx.Err() != nil {
			return b.ctx.Err()
		}
		g := orggen.Generate(b.o.genSeed, units)
		sc := org.Scenario{ID: "bench-scale", Name: fmt.Sprintf("bench: %d changes", scaleChanges), Owner: "orgbench",
			// Shared, so the anonymous reader that asks for its impact may see it.
			SharedWith: []string{org.Everyone},
			Changes:    bench.ScenarioChanges(g, scaleChanges, b.o.genSeed), Version: 1,
			CreatedAt: time.Now().UTC(), UpdatedAt: time.Now().UTC()}
		if _, err := org.ApplyChanges(g, sc); err != nil {
			return setupErr(fmt.Sprintf("the %d-change scenario at %d units", scaleChanges, units), err)
		}
		from, depth := deepestUnit(g)
		if from == "" {
			return fmt.Errorf("%w: the organisation of %d units has no unit with a code", errSetup, units)
		}
		row := bench.ScaleRow{Units: units, Nodes: len(g.Nodes), Relations: len(g.Relations), Duties: len(g.Duties),
			Changes: len(sc.Changes), ChainNodes: depth}
		emb, want := b.scaleEmbedded(g, sc, from, row, quiet)
		b.scaleRow(emb)
		// Neo4j is measured even when the embedded impact failed: its answer
		// is then checked for errors only.
		if b.store != nil && want.chain != nil {
			b.scaleRow(b.scaleNeo4j(g, sc, from, row, want, quiet))
		}
	}
	return nil
}

func (b *runner) scaleRow(r bench.ScaleRow) {
	b.report.Scale = append(b.report.Scale, r)
	b.logf("scale %d units %-8s load %s (%.0f relations/s), chain p50 %s, warm %s, impact first %s p50 %s, RSS %d MiB → %d MiB %v",
		r.Units, r.Store, r.Load.Round(time.Millisecond), r.LoadRate, r.Chain, r.Warm.Round(time.Millisecond), r.ImpactFirst.Round(time.Millisecond),
		r.Impact.Round(time.Millisecond), r.RSSBase>>20, r.RSSScenario>>20, r.Errors)
}

// answers are the embedded store's, which Neo4j's must equal.
type answers struct{ chain, impact []byte }

func (b *runner) scaleEmbedded(g *org.Graph, sc org.Scenario, from string, row bench.ScaleRow, quiet *slog.Logger) (bench.ScaleRow, answers) {
	row.Store = bench.Embedded
	debug.FreeOSMemory()
	mem := memstore.New()
	t0 := time.Now()
	if err := mem.Load(b.ctx, g); err != nil {
		row.Errors = append(row.Errors, "load: "+org.ErrorMessage(err))
		return row, answers{}
	}
	row.Load = time.Since(t0)
	row.LoadRate = float64(len(g.Relations)) / row.Load.Seconds()
	if err := mem.CreateScenario(b.ctx, sc); err != nil {
		row.Errors = append(row.Errors, "create scenario: "+org.ErrorMessage(err))
		return row, answers{}
	}
	svc := &org.Service{Store: mem, Overlay: memstore.Overlay, Acts: ordinance.ReadAct}
	t0 = time.Now()
	if _, err := svc.WarmScenarios(b.ctx); err != nil {
		row.Errors = append(row.Errors, "warm: "+org.ErrorMessage(err))
		return row, answers{}
	}
	row.Warm = time.Since(t0)
	srv, err := bench.Serve(serviceHandler(svc, false, true, quiet))
	if err != nil {
		row.Errors = append(row.Errors, "listen: "+err.Error())
		return row, answers{}
	}
	defer srv.Close()
	var want answers
	want.chain, want.impact = b.measureScale(&row, srv.URL, from, sc.ID, nil, nil, func() int64 {
		debug.FreeOSMemory()
		n, _ := bench.RSS(0)
		return n
	})
	return row, want
}

func (b *runner) scaleNeo4j(g *org.Graph, sc org.Scenario, from string, row bench.ScaleRow, want answers, quiet *slog.Logger) bench.ScaleRow {
	row.Store = bench.Neo4j
	if err := bench.Wipe(b.ctx, b.driver, b.o.neo4j.Database); err != nil {
		row.Errors = append(row.Errors, "emptying Neo4j: "+org.ErrorMessage(err))
		return row
	}
	t0 := time.Now()
	if err := b.store.Load(b.ctx, g); err != nil {
		row.Errors = append(row.Errors, "load: "+org.ErrorMessage(err))
		return row
	}
	row.Load = time.Since(t0)
	row.LoadRate = float64(len(g.Relations)) / row.Load.Seconds()
	if err := b.store.CreateScenario(b.ctx, sc); err != nil {
		row.Errors = append(row.Errors, "create scenario: "+org.ErrorMessage(err))
		return row
	}
	svc := &org.Service{Store: b.store, Overlay: memstore.Overlay, Acts: ordinance.ReadAct}
	t0 = time.Now()
	if _, err := svc.WarmScenarios(b.ctx); err != nil {
		row.Errors = append(row.Errors, "warm: "+org.ErrorMessage(err))
		return row
	}
	row.Warm = time.Since(t0)
	srv, err := bench.Serve(serviceHandler(svc, true, true, quiet))
	if err != nil {
		row.Errors = append(row.Errors, "listen: "+err.Error())
		return row
	}
	defer srv.Close()
	rss := func() int64 { return 0 }
	if b.o.neo4jPID > 0 {
		rss = func() int64 {
			n, _ := bench.RSS(b.o.neo4jPID)
			return n
		}
	}
	b.measureScale(&row, srv.URL, from, sc.ID, want.chain, want.impact, rss)
	return row
}

// measureScale asks url the chain of command from unit code from and the
// impact of scenario id, into row, checking each answer against the
// wanted one (when not nil: otherwise the first answer is kept as the
// wanted one and returned).
func (b *runner) measureScale(row *bench.ScaleRow, url, from, id string, chain, impact []byte, rss func() int64) ([]byte, []byte) {
	c := bench.NewClient(1)
	defer c.CloseIdleConnections()
	fail := func(what string, err error) { row.Errors = append(row.Errors, what+": "+err.Error()) }
	first := func(body, want []byte) ([]byte, time.Duration, error) {
		t0 := time.Now()
		got, err := bench.Post(b.ctx, c, url, body)
		d := time.Since(t0)
		if err == nil {
			err = bench.CheckGraphQL(got)
		}
		if err == nil && want != nil {
			err = bench.SameAnswer(got, want)
		}
		return got, d, err
	}

	chainBody := bench.Body(bench.ChainFrom(from))
	got, _, err := first(chainBody, chain)
	if err != nil {
		fail("chain of command", err)
		return nil, nil
	}
	chain = got
	if fp, err := bench.ChainFingerprint(chain); err == nil {
		_, _, row.ChainNodes = bench.ChainEnds(fp)
	}
	st := bench.Run(b.ctx, bench.Load{Clients: 1, Requests: 200, Cap: 10 * time.Second, Warmup: 20},
		bench.HTTPCase(c, url, chainBody, chain), nil)
	row.Chain = st.P50
	if st.Errors > 0 {
		fail("chain of command", fmt.Errorf("%d of %d requests failed: %v", st.Errors, st.Requests, st.FirstErrors))
	}

	row.RSSBase = rss()
	impactBody := bench.Body(bench.ImpactQuery(id))
	got, d, err := first(impactBody, impact)
	row.ImpactFirst = d
	if err != nil {
		fail("scenarioImpact", err)
		return chain, nil
	}
	impact = got
	st = bench.Run(b.ctx, bench.Load{Clients: 1, Requests: 3, Cap: time.Minute},
		bench.HTTPCase(c, url, impactBody, impact), nil)
	row.Impact = st.P50
	if st.Errors > 0 {
		fail("scenarioImpact", fmt.Errorf("%d of %d requests failed: %v", st.Errors, st.Requests, st.FirstErrors))
	}
	row.RSSScenario = rss()
	return chain, impact
}

// deepestUnit returns the code of the unit with the longest reporting line
// above it in g, and that line's length in nodes. A node's superior is the
// one it reports to by the REPORTS_TO of lowest Seq, as org's chain takes.
func deepestUnit(g *org.Graph) (string, int) {
	up := map[string]org.Relation{}
	for _, r := range g.Relations {
		if old, ok := up[r.From]; r.Kind == org.ReportsTo && (!ok || r.Seq < old.Seq || (r.Seq == old.Seq && r.ID < old.ID)) {
			up[r.From] = r
		}
	}
	depth := map[string]int{}
	var walk func(id string, seen int) int
	walk = func(id string, seen int) int {
		if d, ok := depth[id]; ok {
			return d
		}
		d := 1
		if r, ok := up[id]; ok && seen < len(g.Nodes) {
			d = 1 + walk(r.To, seen+1)
		}
		depth[id] = d
		return d
	}
	code, most := "", 0
	for _, n := range g.Nodes {
		if n.Kind == org.KindUnit && n.Code != "" {
			if d := walk(n.ID, 0); d > most {
				code, most = n.Code, d
			}
		}
	}
	return code, most
}
