// Command orgbench measures orgraph against its floors, side by side in one
// run: the reference queries (internal/bench/queries) over the embedded
// store and over Neo4j, the same traversals as one Cypher statement each
// through the Go driver (the database floor), and a bare chi handler that
// writes orgraph's answer bytes (the HTTP floor). Every answer is checked;
// the exit status is non-zero when one was wrong.
//
//	go run ./cmd/orgbench -neo4j bolt://127.0.0.1:7689 [-c 8] [-n 2000] [-cap 20s] [-units 20000] [-scale 150,2000] [-json FILE]
//
// -scale adds the scale table (scale.go): at each size of generated
// organisation, on each store, the load rate, the chain of command, a
// 100-change scenarioImpact and resident memory.
//
// The database it is pointed at is emptied first: never aim it at data you keep.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/orgraph/orgraph/internal/batch"
	"github.com/orgraph/orgraph/internal/bench"
	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/memtune"
	"github.com/orgraph/orgraph/internal/neo4jstore"
	"github.com/orgraph/orgraph/internal/ordinance"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/seed"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

type options struct {
	neo4j        neo4jstore.Config
	load         bench.Load
	units        int
	genSeed      int64
	jsonPath     string
	requireNeo4j bool
	neo4jTimeout time.Duration
	loadTimeout  time.Duration
	skipHTTP     bool
	planners     bench.Planners
	scale        []int // unit counts of the scale table (scale.go)
	neo4jPID     int   // the Neo4j process, for its resident memory
}

// run is main without the process; it returns the exit status: 0, 1 when an
// answer was wrong (or Neo4j was required and missing), 2 on bad usage or
// a setup failure.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("orgbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.neo4j.URI, "neo4j", getenv("NEO4J_BENCH_URI"), "Neo4j to measure (bolt://host:port); it is EMPTIED first ($NEO4J_BENCH_URI; never $NEO4J_URI, which serves data); empty: embedded and HTTP floor only")
	fs.StringVar(&o.neo4j.Username, "neo4j-user", getenv("NEO4J_USERNAME"), "Neo4j user ($NEO4J_USERNAME)")
	fs.StringVar(&o.neo4j.Database, "neo4j-database", getenv("NEO4J_DATABASE"), "Neo4j database ($NEO4J_DATABASE)")
	fs.DurationVar(&o.neo4jTimeout, "neo4j-timeout", 15*time.Second, "how long to wait for Neo4j to answer at start")
	fs.DurationVar(&o.loadTimeout, "load-timeout", 10*time.Minute, "bound on loading a graph into Neo4j")
	fs.IntVar(&o.load.Clients, "c", 8, "concurrent clients")
	fs.IntVar(&o.load.Requests, "n", 2000, "requests per case")
	fs.DurationVar(&o.load.Cap, "cap", 20*time.Second, "time cap per case; a case stops early when it is reached")
	fs.IntVar(&o.load.Warmup, "warmup", 50, "unmeasured requests before each case")
	fs.IntVar(&o.units, "units", 0, "scale case: the chain of command in a generated organisation of this many units (internal/orggen), e.g. 20000; 0 skips it")
	fs.Int64Var(&o.genSeed, "gen-seed", 1, "seed of the generated organisation")
	fs.StringVar(&o.jsonPath, "json", "", "also write the results as JSON to this file")
	fs.BoolVar(&o.requireNeo4j, "require-neo4j", false, "exit non-zero when Neo4j cannot be measured")
	fs.BoolVar(&o.skipHTTP, "no-http-floor", false, "skip the HTTP floor cases")
	plannerFlags(fs, &o.planners)
	headroom := fs.Int("gc-headroom", memtune.DefaultHeadroomMB, "MiB the heap may grow by between collections, as orgraph serve's ORGRAPH_GC_HEADROOM_MB (servers and clients share this process); 0 leaves Go's default")
	scale := fs.String("scale", "", "scale table: chain of command, 100-change scenarioImpact, load rate and RSS at these generated sizes, e.g. 150,2000,20000,100000; empty skips it")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run (servers and clients, one process) to this file")
	fs.IntVar(&o.neo4jPID, "neo4j-pid", 0, "the Neo4j server's process id, for its resident memory in the scale table (scripts/bench.sh passes the launcher's)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var err error
	if o.scale, err = parseSizes(*scale); err != nil {
		fmt.Fprintln(stderr, "orgbench:", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "orgbench: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if o.planners.Planners > maxPlanners {
		fmt.Fprintf(stderr, "orgbench: -planners %d: at most %d\n", o.planners.Planners, maxPlanners)
		return 2
	}
	o.neo4j.Password = getenv("NEO4J_PASSWORD")
	o.neo4j.LoadTimeout = o.loadTimeout
	if o.load.Clients < 1 || o.load.Requests < 1 {
		fmt.Fprintln(stderr, "orgbench: -c and -n must be at least 1")
		return 2
	}

	defer memtune.Headroom(uint64(max(*headroom, 0)) << 20).Stop()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(stderr, "orgbench: -cpuprofile:", err)
			return 2
		}
		defer func() { pprof.StopCPUProfile(); _ = f.Close() }()
	}
	b := &runner{o: o, ctx: ctx, log: stderr, report: &bench.Report{
		Started: time.Now(), Machine: bench.ThisMachine(),
		Load: bench.LoadJSON{Clients: o.load.Clients, Requests: o.load.Requests, Cap: o.load.Cap.String(), Warmup: o.load.Warmup},
	}}
	err = b.all()
	rep := b.report
	if err != nil {
		rep.Failures = append(rep.Failures, "the run stopped: "+err.Error())
	}
	rep.ComputeRatios(b.unmeasured)
	fmt.Fprintln(stdout)
	rep.Print(stdout)
	if o.jsonPath != "" {
		if err := rep.WriteJSON(o.jsonPath); err != nil {
			fmt.Fprintln(stderr, "orgbench: writing JSON:", err)
			return 2
		}
		fmt.Fprintln(stdout, "\nresults written to", o.jsonPath)
	}
	switch {
	case errors.Is(err, errSetup):
		return 2
	case rep.Failed():
		fmt.Fprintln(stdout, "\nFAIL: some answers were wrong or failed (see FAILURES)")
		return 1
	case o.requireNeo4j && b.unmeasured != "":
		fmt.Fprintln(stdout, "\nFAIL: -require-neo4j, and Neo4j was not measured:", b.unmeasured)
		return 1
	}
	return 0
}

var errSetup = errors.New("setup failed")

// maxPlanners bounds -planners: the servers measured know this many
// planners' tokens (bench.PlannerAuth).
const maxPlanners = 1000

// handler is orgraph's HTTP handler over store, built as cmd/orgraph serve
// builds it: a remote store is read through a batching store per request
// and its reads are not bounded, the embedded store's run as many at once
// as there are CPUs;
// answers are kept as by default (ORGRAPH_ANSWER_CACHE_MB=64) unless fresh.
func handler(store org.Store, remote, fresh bool, log *slog.Logger) http.Handler {
	return serviceHandler(&org.Service{Store: store, Overlay: memstore.Overlay, Acts: ordinance.ReadAct}, remote, fresh, log)
}

// serviceHandler is handler over svc, whose views the caller may warm.
func serviceHandler(svc *org.Service, remote, fresh bool, log *slog.Logger) http.Handler {
	var perRequest func(org.Store) org.Store
	reads := 0 // as many at once as there are CPUs
	if remote {
		perRequest = func(s org.Store) org.Store { return batch.New(s, 0) }
		reads = -1
	}
	keep := 64 << 20
	if fresh {
		keep = 0
	}
	return server.New(svc, server.Config{RequestStore: perRequest, AnswerCacheBytes: keep, ConcurrentReads: reads, Auth: bench.PlannerAuth(maxPlanners)}, log)
}

// serveEmbedded serves mem twice, as shipped and with nothing kept; it
// returns the first and remembers the second in b.embFresh.
func (b *runner) serveEmbedded(mem org.Store, log *slog.Logger) (*bench.Server, func(), error) {
	emb, err := bench.Serve(handler(mem, false, false, log))
	if err != nil {
		return nil, nil, setupErr("listen", err)
	}
	fresh, err := bench.Serve(handler(mem, false, true, log))
	if err != nil {
		_ = emb.Close()
		return nil, nil, setupErr("listen", err)
	}
	b.embFresh = fresh.URL
	return emb, func() { _ = emb.Close(); _ = fresh.Close() }, nil
}

// runner holds what the cases share.
type runner struct {
	o      options
	ctx    context.Context
	log    io.Writer
	report *bench.Report

	store      *neo4jstore.Store       // nil when Neo4j is not measured
	driver     neo4j.DriverWithContext // the floor's own driver
	neo4jURL   string                  // orgraph over store
	embFresh   string                  // orgraph over the embedded store, nothing kept
	neo4jFresh string                  // orgraph over store, nothing kept
	unmeasured string                  // why Neo4j figures are missing
}

// question is one query with everything needed to ask it of every target.
type question struct {
	label string
	query bench.Query
	body  []byte
	want  []byte // the embedded store's answer
	fp    bench.Fingerprint
	floor bench.Floor
	chain bool
}

func (b *runner) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "orgbench: "+format+"\n", args...)
}

func setupErr(what string, err error) error {
	return fmt.Errorf("%w: %s: %s", errSetup, what, org.ErrorMessage(err))
}

func (b *runner) all() error {
	ctx := b.ctx
	quiet := slog.New(slog.DiscardHandler)
	g, err := seed.Graph()
	if err != nil {
		return setupErr("seed", err)
	}
	mem := memstore.New()
	if err := mem.Load(ctx, g); err != nil {
		return setupErr("loading the seed into the embedded store", err)
	}
	emb, closeEmb, err := b.serveEmbedded(mem, quiet)
	if err != nil {
		return err
	}
	defer closeEmb()

	refs := bench.Reference()
	floors := []bench.Floor{bench.ChainFloor("KS-07"), bench.CooperationFloor("KS-06"), bench.UnitsFloor()}
	reads := []func([]byte) (bench.Fingerprint, error){bench.ChainFingerprint, bench.CooperationFingerprint, bench.UnitsFingerprint}
	var qs []question
	for i, q := range refs {
		qu, err := b.expect(emb.URL, q, q.Name, floors[i], reads[i], i == 0)
		if err != nil {
			return err
		}
		qs = append(qs, qu)
	}
	first, last, n := bench.ChainEnds(qs[0].fp)
	b.note("Q1 expected: a chain of %d nodes, %s to %s; Q2: %d cooperation entries; Q3: %d units (all from the embedded store's answer)",
		n, first, last, len(qs[1].fp), len(qs[2].fp))

	b.connectNeo4j()
	if b.driver != nil {
		defer b.driver.Close(context.Background())
	}
	if b.store != nil {
		defer b.store.Close(context.Background())
		if err := b.loadNeo4j(g, "the seed"); err != nil {
			return err
		}
		srv, err := bench.Serve(handler(b.store, true, false, quiet))
		if err != nil {
			return setupErr("listen", err)
		}
		defer srv.Close()
		b.neo4jURL = srv.URL
		fresh, err := bench.Serve(handler(b.store, true, true, quiet))
		if err != nil {
			return setupErr("listen", err)
		}
		defer fresh.Close()
		b.neo4jFresh = fresh.URL
	}
	for _, q := range qs {
		if err := b.cases(q, emb.URL); err != nil {
			return err
		}
	}
	if err := b.writes(qs, quiet); err != nil {
		return err
	}
	if b.o.units > 0 {
		if err := b.scale(quiet); err != nil {
			return err
		}
	}
	return b.scaleTable(quiet)
}

// expect asks the embedded store q once: its answer is what every other
// target must give.
func (b *runner) expect(url string, q bench.Query, label string, f bench.Floor, read func([]byte) (bench.Fingerprint, error), chain bool) (question, error) {
	body := bench.Body(q)
	c := bench.NewClient(1)
	defer c.CloseIdleConnections()
	want, err := bench.Post(b.ctx, c, url, body)
	if err == nil {
		err = bench.CheckGraphQL(want)
	}
	if err != nil {
		return question{}, fmt.Errorf("%w: %s on the embedded store: %v", errSetup, label, err)
	}
	fp, err := read(want)
	if err != nil {
		return question{}, fmt.Errorf("%w: reading the embedded store's answer to %s: %v", errSetup, label, err)
	}
	return question{label: label, query: q, body: body, want: want, fp: fp, floor: f, chain: chain}, nil
}

func (b *runner) note(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	b.report.Notes = append(b.report.Notes, s)
	b.logf("%s", s)
}

// connectNeo4j opens the store and the floor's driver, or says why not.
func (b *runner) connectNeo4j() {
	cfg := b.o.neo4j
	if cfg.URI == "" {
		b.unmeasured = "no Neo4j given (-neo4j or NEO4J_BENCH_URI)"
		b.note("Neo4j and DB floor not measured: %s", b.unmeasured)
		return
	}
	store, err := neo4jstore.New(b.ctx, cfg)
	if err != nil {
		b.unmeasured = fmt.Sprintf("cannot use %s: %s", cfg.URI, org.ErrorMessage(err))
		b.note("Neo4j and DB floor not measured: %s", b.unmeasured)
		return
	}
	pctx, cancel := context.WithTimeout(b.ctx, b.o.neo4jTimeout)
	defer cancel()
	if err := store.Ping(pctx); err != nil {
		_ = store.Close(context.Background())
		b.unmeasured = fmt.Sprintf("Neo4j at %s did not answer within %s: %v", cfg.URI, b.o.neo4jTimeout, err)
		b.note("Neo4j and DB floor not measured: %s", b.unmeasured)
		return
	}
	auth := neo4j.NoAuth()
	if cfg.Username != "" {
		auth = neo4j.BasicAuth(cfg.Username, cfg.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, auth)
	if err != nil {
		_ = store.Close(context.Background())
		b.unmeasured = fmt.Sprintf("driver for %s: %v", cfg.URI, err)
		b.note("Neo4j and DB floor not measured: %s", b.unmeasured)
		return
	}
	b.store, b.driver = store, driver
	if info, err := driver.GetServerInfo(pctx); err == nil {
		b.report.Machine.Neo4j = fmt.Sprintf("%s at %s (%s)", info.Agent(), cfg.URI, info.Address())
	} else {
		b.report.Machine.Neo4j = cfg.URI
	}
}

// loadNeo4j empties the database and loads g.
func (b *runner) loadNeo4j(g *org.Graph, what string) error {
	t0 := time.Now()
	if err := bench.Wipe(b.ctx, b.driver, b.o.neo4j.Database); err != nil {
		return setupErr("emptying Neo4j", err)
	}
	t1 := time.Now()
	if err := b.store.Load(b.ctx, g); err != nil {
		return setupErr("loading "+what+" into Neo4j", err)
	}
	b.logf("neo4j: emptied in %s, loaded %s (%d nodes, %d relations, %d duties) in %s",
		t1.Sub(t0).Round(time.Millisecond), what, len(g.Nodes), len(g.Relations), len(g.Duties), time.Since(t1).Round(time.Millisecond))
	return nil
}

// cases runs one question on every target there is.
func (b *runner) cases(q question, embURL string) error {
	b.httpCase(q, bench.Embedded, embURL, nil)
	b.httpCase(q, bench.EmbeddedFresh, b.embFresh, nil)
	if b.store != nil {
		b.httpCase(q, bench.Neo4j, b.neo4jURL, b.store)
		b.httpCase(q, bench.Neo4jFresh, b.neo4jFresh, b.store)
		b.dbCase(q)
	}
	if !b.o.skipHTTP {
		floor, err := bench.Serve(bench.FloorHandler(q.want))
		if err != nil {
			return setupErr("listen", err)
		}
		b.httpCase(q, bench.HTTPFloor, floor.URL, nil)
		_ = floor.Close()
	}
	return nil
}

func (b *runner) httpCase(q question, target, url string, store *neo4jstore.Store) {
	c := bench.NewClient(b.o.load.Clients)
	defer c.CloseIdleConnections()
	var rt0 int64
	mark := func() {
		if store != nil {
			rt0 = store.RoundTrips()
		}
	}
	st := bench.Run(b.ctx, b.o.load, bench.HTTPCase(c, url, q.body, q.want), mark)
	res := bench.Result{Query: q.label, Target: target, Stats: st, Chain: q.chain}
	if store != nil && st.Requests > 0 {
		per := float64(store.RoundTrips()-rt0) / float64(st.Requests)
		res.Statements = &per
	}
	b.add(res)
}

func (b *runner) dbCase(q question) {
	st := bench.Run(b.ctx, b.o.load, bench.DBCase(b.driver, b.o.neo4j.Database, q.floor, q.fp), nil)
	one := 1.0
	b.add(bench.Result{Query: q.label, Target: bench.DBFloor, Stats: st, Statements: &one, Chain: q.chain})
}

func (b *runner) add(r bench.Result) {
	b.report.Results = append(b.report.Results, r)
	capped := ""
	if r.Capped {
		capped = " (capped)"
	}
	b.logf("%-8s %-10s %6.0f req/s  p50 %-8s p99 %-8s %d requests%s, %d errors",
		r.Query, r.Target, r.PerSecond, r.P50, r.P99, r.Requests, capped, r.Errors)
}

// scale asks the chain of command from the deepest unit of a generated
// organisation.
func (b *runner) scale(quiet *slog.Logger) error {
	ctx := b.ctx
	g := orggen.Generate(b.o.genSeed, b.o.units)
	mem := memstore.New()
	if err := mem.Load(ctx, g); err != nil {
		return setupErr("loading the generated organisation into the embedded store", err)
	}
	svc := org.NewService(mem)
	var deepest org.Node
	depth := 0
	for _, n := range g.Nodes {
		if n.Kind != org.KindUnit || n.Code == "" {
			continue
		}
		p, err := svc.ChainOfCommand(ctx, n.ID)
		if err != nil {
			return setupErr("chain of command of "+n.ID, err)
		}
		if len(p.Nodes) > depth {
			deepest, depth = n, len(p.Nodes)
		}
	}
	if depth == 0 {
		return fmt.Errorf("%w: the generated organisation has no unit with a code", errSetup)
	}
	emb, closeEmb, err := b.serveEmbedded(mem, quiet)
	if err != nil {
		return err
	}
	defer closeEmb()
	label := fmt.Sprintf("chain@%dunits", b.o.units)
	q, err := b.expect(emb.URL, bench.ChainFrom(deepest.Code), label, bench.ChainFloor(deepest.Code), bench.ChainFingerprint, true)
	if err != nil {
		return err
	}
	b.note("%s: orggen.Generate(%d, %d), %d nodes, %d relations; the chain of command from the deepest unit, %s (%s): %d nodes",
		label, b.o.genSeed, b.o.units, len(g.Nodes), len(g.Relations), deepest.Code, deepest.ID, depth)
	if b.store != nil {
		if err := b.loadNeo4j(g, "the generated organisation"); err != nil {
			return err
		}
	}
	return b.cases(q, emb.URL)
}
