package main

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
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

// chainRefUnits is the size of organisation whose deepest chain of command
// sets the length of the chain the scale table compares across sizes.
const chainRefUnits = 150

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
	// The chain compared across sizes is one as long as the deepest of the
	// smallest organisation: a larger one has longer lines too, whose walk
	// costs more for its length, not for the size of the graph around it.
	ref := unitDepths(orggen.Generate(b.o.genSeed, chainRefUnits))
	if len(ref) == 0 {
		return fmt.Errorf("%w: the organisation of %d units has no unit with a code", errSetup, chainRefUnits)
	}
	refDepth := ref[0].depth
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
		depths := unitDepths(g)
		if len(depths) == 0 {
			return fmt.Errorf("%w: the organisation of %d units has no unit with a code", errSetup, units)
		}
		from := chainsFrom{at: unitAt(depths, refDepth), deepest: depths[0]}
		row := bench.ScaleRow{Units: units, Nodes: len(g.Nodes), Relations: len(g.Relations), Duties: len(g.Duties),
			Changes: len(sc.Changes), ChainNodes: from.at.depth, DeepestNodes: from.deepest.depth}
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
	b.logf("scale %d units %-8s load %s (%.0f relations/s), chain p50 %s (%d nodes), deepest %s (%d nodes), warm %s, impact first %s p50 %s, RSS %d MiB → %d MiB %v",
		r.Units, r.Store, r.Load.Round(time.Millisecond), r.LoadRate, r.Chain, r.ChainNodes, r.Deepest, r.DeepestNodes, r.Warm.Round(time.Millisecond), r.ImpactFirst.Round(time.Millisecond),
		r.Impact.Round(time.Millisecond), r.RSSBase>>20, r.RSSScenario>>20, r.Errors)
}

// answers are the embedded store's, which Neo4j's must equal.
type answers struct {
	chain, deepest, impact []byte
	search                 [][]byte
}

// chainsFrom are the units whose chains of command the scale table asks:
// one at the reference length, and the deepest.
type chainsFrom struct{ at, deepest unitDepth }

func (b *runner) scaleEmbedded(g *org.Graph, sc org.Scenario, from chainsFrom, row bench.ScaleRow, quiet *slog.Logger) (bench.ScaleRow, answers) {
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
	want := b.measureScale(&row, srv.URL, from, sc.ID, answers{}, func() int64 {
		debug.FreeOSMemory()
		n, _ := bench.RSS(0)
		return n
	})
	return row, want
}

func (b *runner) scaleNeo4j(g *org.Graph, sc org.Scenario, from chainsFrom, row bench.ScaleRow, want answers, quiet *slog.Logger) bench.ScaleRow {
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
	b.measureScale(&row, srv.URL, from, sc.ID, want, rss)
	return row
}

// measureScale asks url the chains of command from the units from names
// and the impact of scenario id, into row, checking each answer against
// the one in want (when not nil: otherwise the first answer is kept as the
// wanted one and returned).
func (b *runner) measureScale(row *bench.ScaleRow, url string, from chainsFrom, id string, want answers, rss func() int64) answers {
	// The rows before this one and the warming leave gigabytes of garbage
	// at 100,000 units: collected now, not in the middle of the latencies.
	debug.FreeOSMemory()
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
	// chain measures the chain of command from code, checking its length.
	chain := func(what, code string, nodes int, want []byte) ([]byte, time.Duration) {
		body := bench.Body(bench.ChainFrom(code))
		got, _, err := first(body, want)
		if err != nil {
			fail(what, err)
			return nil, 0
		}
		if fp, err := bench.ChainFingerprint(got); err == nil {
			if _, _, n := bench.ChainEnds(fp); n != nodes {
				fail(what, fmt.Errorf("the chain from %s has %d nodes, want %d", code, n, nodes))
			}
		}
		st := bench.Run(b.ctx, bench.Load{Clients: 1, Requests: 200, Cap: 10 * time.Second, Warmup: 20},
			bench.HTTPCase(c, url, body, got), nil)
		if st.Errors > 0 {
			fail(what, fmt.Errorf("%d of %d requests failed: %v", st.Errors, st.Requests, st.FirstErrors))
		}
		return got, st.P50
	}
	var got answers
	if got.chain, row.Chain = chain("chain of command", from.at.code, from.at.depth, want.chain); got.chain == nil {
		return answers{}
	}
	if got.deepest, row.Deepest = chain("deepest chain of command", from.deepest.code, from.deepest.depth, want.deepest); got.deepest == nil {
		return answers{}
	}
	if got.search, row.Search = b.searches(row, first, want.search); got.search == nil {
		return answers{}
	}

	row.RSSBase = rss()
	impactBody := bench.Body(bench.ImpactQuery(id))
	impact, d, err := first(impactBody, want.impact)
	row.ImpactFirst = d
	if err != nil {
		fail("scenarioImpact", err)
		return got
	}
	got.impact = impact
	st := bench.Run(b.ctx, bench.Load{Clients: 1, Requests: 3, Cap: time.Minute},
		bench.HTTPCase(c, url, impactBody, impact), nil)
	row.Impact = st.P50
	if st.Errors > 0 {
		fail("scenarioImpact", fmt.Errorf("%d of %d requests failed: %v", st.Errors, st.Requests, st.FirstErrors))
	}
	row.RSSScenario = rss()
	return got
}

// searches asks bench.Searches once each, through first, against want
// (the embedded store's answers, or nil), and returns the answers and
// their median latency; nil answers when one failed.
func (b *runner) searches(row *bench.ScaleRow, first func(body, want []byte) ([]byte, time.Duration, error), want [][]byte) ([][]byte, time.Duration) {
	qs := bench.Searches(bench.SearchesAsked)
	got := make([][]byte, len(qs))
	ds := make([]time.Duration, len(qs))
	for i, q := range qs {
		var w []byte
		if want != nil {
			w = want[i]
		}
		var err error
		if got[i], ds[i], err = first(bench.Body(bench.SearchQuery(q)), w); err != nil {
			row.Errors = append(row.Errors, fmt.Sprintf("search %q: %v", q, err))
			return nil, 0
		}
	}
	slices.Sort(ds)
	return got, ds[len(ds)/2]
}

// unitDepth is a unit by its code, with the length in nodes of the
// reporting line above it.
type unitDepth struct {
	code  string
	depth int
}

// unitDepths returns the units of g that have a code, deepest first (ties
// in g's order), each with the length of its chain of command as org walks
// it (org.NextInChain).
func unitDepths(g *org.Graph) []unitDepth {
	nodes := make(map[string]org.Node, len(g.Nodes))
	for _, n := range g.Nodes {
		nodes[n.ID] = n
	}
	out, in := map[string][]org.Relation{}, map[string][]org.Relation{}
	for _, r := range g.Relations {
		out[r.From] = append(out[r.From], r)
		in[r.To] = append(in[r.To], r)
	}
	bySeq := func(a, b org.Relation) int {
		if a.Seq != b.Seq {
			return a.Seq - b.Seq
		}
		return strings.Compare(a.ID, b.ID)
	}
	for _, rs := range out {
		slices.SortFunc(rs, bySeq)
	}
	for _, rs := range in {
		slices.SortFunc(rs, bySeq)
	}
	depth := map[string]int{} // known lengths, of chains that meet no cycle
	walk := func(start string) int {
		var line []string
		onLine := map[string]bool{}
		for at := start; ; {
			if d, ok := depth[at]; ok {
				for i, id := range slices.Backward(line) {
					depth[id] = d + len(line) - i
				}
				return depth[start]
			}
			line = append(line, at)
			onLine[at] = true
			l, ok := org.NextInChain(nodes[at], out[at], in[at])
			next := l.Relation.Other(at)
			if !ok || onLine[next] {
				if !ok { // the top: every node on the line is known now
					for i, id := range line {
						depth[id] = len(line) - i
					}
				}
				return len(line) // a cycle: the walk stops before a repeat
			}
			at = next
		}
	}
	var units []unitDepth
	for _, n := range g.Nodes {
		if n.Kind == org.KindUnit && n.Code != "" {
			units = append(units, unitDepth{n.Code, walk(n.ID)})
		}
	}
	slices.SortStableFunc(units, func(a, b unitDepth) int { return b.depth - a.depth })
	return units
}

// unitAt returns the first unit of us (deepest first) whose line is depth
// nodes long, or else the shallowest of those longer, or else the deepest.
func unitAt(us []unitDepth, depth int) unitDepth {
	best := us[0]
	for _, u := range us {
		if u.depth < depth {
			break
		}
		best = u
		if u.depth == depth {
			break
		}
	}
	return best
}
