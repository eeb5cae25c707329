// Command orgraph serves the organisation graph over GraphQL.
//
//	orgraph serve     serve the seeded graph (the default command)
//	orgraph seed      load the seed into Neo4j and exit; loading twice changes nothing
//	orgraph import    parse ordinance texts; print them (--format json) or load them
//	orgraph export    write the org chart: --format cyjs, dot, mmd, graphml, csv or json (JSON-LD)
//	orgraph generate  a synthetic organisation of N units, into the data directory or Neo4j
//	orgraph version   the version, commit and Go version it was built from
//	orgraph help      every command with its flags and settings (COMMAND --help: one)
//
// Configuration comes from the environment: envVars in config.go lists
// every variable, and each command checks those it reads before it starts.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/orgraph/orgraph/internal/batch"
	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/memtune"
	"github.com/orgraph/orgraph/internal/neo4jstore"
	"github.com/orgraph/orgraph/internal/observe"
	"github.com/orgraph/orgraph/internal/ordinance"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/seed"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr, nil)
	stop()
	os.Exit(report(os.Stderr, err))
}

// run is main without the process: it returns when ctx ends or on error.
// When ready is not nil, it receives the address the server listens on.
// A *usageError or a configError is a wrong command line or setting.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready chan<- string) error {
	return dispatch(ctx, args, getenv, outputs{stdout: stdout, stderr: stderr, ready: ready})
}

var serveCommand = &command{
	name:     "serve",
	synopsis: "[--addr host:port] [--data DIR]",
	summary:  "serve the GraphQL API and its playground (the default command)",
	about: `Serves POST /query (GraphQL), the GraphiQL playground at /, the org chart
exports at /export/orgchart.F, /healthz, /readyz and /metrics (Prometheus),
until SIGINT or SIGTERM.

Every setting is checked, and the address taken, before the store is
opened: a bad setting or a port in use fails at once. Without NEO4J_URI it
serves the embedded store: the data directory's baseline (an applied
scenario, orgraph generate) or the seed. With NEO4J_URI it serves Neo4j,
seeding an empty database and never overwriting one; it starts at once and
/readyz says 503 until the database answers.`,
	env: append([]string{"ADDR", "ORGRAPH_DATA", "ORGRAPH_COMPLEXITY_LIMIT", "ORGRAPH_CONCURRENT_READS", "ORGRAPH_TOKENS_FILE", "ORGRAPH_ADMIN_TOKEN",
		"ORGRAPH_ANONYMOUS_ROLE", "ORGRAPH_JWT_JWKS", "ORGRAPH_JWT_ISSUER", "ORGRAPH_JWT_AUDIENCE", "ORGRAPH_JWT_ROLE_CLAIM",
		"ORGRAPH_ANSWER_CACHE_MB", "ORGRAPH_GC_HEADROOM_MB", "ORGRAPH_CORS_ORIGINS", "ORGRAPH_LOG_FORMAT", "ORGRAPH_LOG_LEVEL",
		"ORGRAPH_METRICS_ADDR", "OTEL_EXPORTER_OTLP_ENDPOINT"}, neo4jVars...),
	setup: func(fs *flag.FlagSet, cfg *config) runner {
		fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen on `host:port` ($ADDR)")
		fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "the embedded store's data directory `DIR` ($ORGRAPH_DATA)")
		return func(ctx context.Context, cfg config, args []string, o outputs) error {
			if err := noArgs("serve", args); err != nil {
				return err
			}
			if err := checkAddr(cfg.Addr); err != nil {
				return usageErrorf("serve", "--addr %q: %v", cfg.Addr, err)
			}
			return serve(ctx, cfg, newLogger(cfg, o.stderr), o.ready)
		}
	},
}

var seedCommand = &command{
	name:     "seed",
	synopsis: "",
	summary:  "load the seed into Neo4j and exit; loading twice changes nothing",
	about: `Loads the shipped seed (ordinance 3468/2024, Wydział Komunikacji Społecznej)
into the Neo4j database NEO4J_URI names, and exits. The embedded store
needs no seeding: it is seeded at every start.`,
	env: neo4jVars,
	setup: func(fs *flag.FlagSet, cfg *config) runner {
		return func(ctx context.Context, cfg config, args []string, o outputs) error {
			if err := noArgs("seed", args); err != nil {
				return err
			}
			return seedNeo4j(ctx, cfg, o.stdout)
		}
	},
}

// serve opens the configured store and serves it until ctx ends. With Neo4j,
// the HTTP server starts at once and /readyz says not ready until the
// database has answered, with its schema in place and the seed loaded.
func serve(ctx context.Context, cfg config, log *slog.Logger, ready chan<- string) error {
	// Who may do what first: a bad tokens file is a wrong setting, and
	// nothing starts.
	authn, err := authenticator(ctx, cfg)
	if err != nil {
		return err
	}
	defer memtune.Headroom(uint64(cfg.GCHeadroomMB) << 20).Stop()
	// The address next: a port in use fails before the store is opened.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w (ADDR or --addr sets another address)", err)
	}
	defer ln.Close()
	var metricsLn net.Listener
	if cfg.MetricsAddr != "" {
		if metricsLn, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			return fmt.Errorf("serve: %w (ORGRAPH_METRICS_ADDR sets another address)", err)
		}
		defer metricsLn.Close()
	}
	tp, stopTracing, err := observe.Tracing(ctx, cfg.OTLPEndpoint, log)
	if err != nil {
		return err
	}
	defer func() {
		flushCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = stopTracing(flushCtx)
	}()
	obs := observe.New(tp)
	raw, readiness, closeStore, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeStore()
	kind := "embedded"
	if ns, ok := raw.(*neo4jstore.Store); ok {
		kind = "neo4j"
		observeNeo4j(obs, ns, cfg.Neo4j.MaxPoolSize)
	}
	store := obs.Store(raw, kind)

	// A remote store answers each request's look-ups in batches (the
	// embedded one answers from memory and gains nothing from waiting),
	// and its reads mostly wait on the network, so they are not bounded
	// by the CPUs here.
	var perRequest func(org.Store) org.Store
	reads := cfg.ConcurrentReads
	if cfg.Neo4j.URI != "" {
		perRequest = batched
		if reads == 0 {
			reads = -1
		}
	}
	scfg := server.Config{
		ComplexityLimit:  cfg.ComplexityLimit,
		ConcurrentReads:  reads,
		Ready:            readiness,
		Auth:             authn,
		RequestStore:     perRequest,
		AnswerCacheBytes: cfg.AnswerCacheMB << 20,
		CORSOrigins:      cfg.CORSOrigins,
		Observer:         obs,
		MetricsElsewhere: metricsLn != nil,
	}
	svc := &org.Service{Store: store, Overlay: memstore.Overlay, Acts: ordinance.ReadAct}
	// The background work ends, and is waited for, before the store closes.
	bg, stopBackground := context.WithCancel(ctx)
	var background sync.WaitGroup
	defer func() { stopBackground(); background.Wait() }()
	background.Go(func() { catchUp(bg, svc, log) })
	background.Go(func() { warmScenarios(bg, svc, log) })
	srv := server.NewHTTPServer(server.New(svc, scfg, log), scfg)
	log.Info("listening", "addr", "http://"+ln.Addr().String(), "playground", "http://"+ln.Addr().String()+"/", "chart", "http://"+ln.Addr().String()+"/chart")
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	if metricsLn != nil {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", obs.Handler())
		msrv := server.NewHTTPServer(mux, scfg)
		defer msrv.Close()
		log.Info("metrics", "addr", "http://"+metricsLn.Addr().String()+"/metrics")
		go func() { errc <- msrv.Serve(metricsLn) }()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

func batched(s org.Store) org.Store { return batch.New(s, 0) }

// catchUp brings the baseline to today now and every hour: an act
// imported before its day takes the place of the acts it supersedes on
// that day (org.Service.CatchUp).
func catchUp(ctx context.Context, svc *org.Service, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		placed, err := svc.CatchUp(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("catching the baseline up with the acts in force today failed; trying again in an hour", "err", org.ErrorMessage(err))
		case len(placed) > 0:
			log.Info("acts in force today joined the baseline", "acts", placed)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// warmScenarios keeps what scenario questions compare against built for
// the baseline of the moment (org.Service.WarmScenarios): at start and
// within warmEvery of every change of the baseline, so that the first
// planner to ask after an import or an apply does not wait for a
// snapshot of the whole baseline and its index of stems. It builds once
// per revision: what the views later drop for newer scenarios is built
// again only when asked for.
func warmScenarios(ctx context.Context, svc *org.Service, log *slog.Logger) {
	rv, ok := svc.Store.(org.Revisioner)
	if !ok {
		return
	}
	t := time.NewTicker(warmEvery)
	defer t.Stop()
	last := ""
	for {
		if rev, err := rv.Revision(ctx); err == nil && rev != last {
			t0 := time.Now()
			switch _, err := svc.WarmScenarios(ctx); {
			case err == nil:
				last = rev
				log.Info("scenario questions warmed for the baseline", "revision", rev, "took", time.Since(t0).Round(time.Millisecond))
			case ctx.Err() == nil:
				log.Warn("warming scenario questions failed; trying again", "err", org.ErrorMessage(err))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// warmEvery is how often warmScenarios looks for a new baseline.
const warmEvery = 5 * time.Second

// observeNeo4j adds the Neo4j gauges to the metrics: the driver does not
// expose its pool, so the sessions the store holds open stand for the
// connections in use, beside the pool's bound.
func observeNeo4j(obs *observe.Observer, s *neo4jstore.Store, maxPool int) {
	if maxPool <= 0 {
		maxPool = 100 // the driver's default
	}
	obs.GaugeFunc("orgraph_neo4j_sessions_in_use", "Neo4j sessions open now; each holds at most one pooled connection.",
		func() float64 { return float64(s.SessionsOpen()) })
	obs.GaugeFunc("orgraph_neo4j_pool_max_size", "The most connections the driver keeps per server (NEO4J_MAX_POOL_SIZE).",
		func() float64 { return float64(maxPool) })
}

// openStore returns the store to serve, a readiness check and a closer.
func openStore(ctx context.Context, cfg config, log *slog.Logger) (org.Store, func(context.Context) error, func(), error) {
	g, err := seed.Graph()
	if err != nil {
		return nil, nil, nil, err
	}
	if cfg.Neo4j.URI == "" {
		store, err := memstore.Open(cfg.DataDir)
		if err != nil {
			return nil, nil, nil, err
		}
		// The directory's lock is held until the server ends.
		closer := func() { _ = store.Close() }
		if empty, _ := store.Empty(ctx); !empty {
			log.Info("store ready", "store", "embedded", "baseline", "as the data directory keeps it (applied scenarios, orgraph generate)", "data", cfg.DataDir)
			return store, nil, closer, nil
		}
		if err := store.Load(ctx, g); err != nil {
			closer()
			return nil, nil, nil, err
		}
		log.Info("store ready", "store", "embedded", "data", cfg.DataDir, "nodes", len(g.Nodes), "relations", len(g.Relations), "duties", len(g.Duties))
		return store, nil, closer, nil
	}
	store, err := neo4jstore.New(ctx, cfg.Neo4j)
	if err != nil {
		return nil, nil, nil, err
	}
	log.Info("store", "store", "neo4j", "uri", redacted(cfg.Neo4j.URI), "database", cfg.Neo4j.Database)
	readiness, stop := watchNeo4j(ctx, store, g, log)
	closer := func() {
		stop()
		_ = store.Close(context.Background())
	}
	return store, readiness, closer, nil
}

// seedNeo4j loads the seed into Neo4j; a second run changes nothing.
func seedNeo4j(ctx context.Context, cfg config, stdout io.Writer) error {
	if cfg.Neo4j.URI == "" {
		return usageErrorf("seed", "set NEO4J_URI: seed loads Neo4j; the embedded store is seeded at every start")
	}
	g, err := seed.Graph()
	if err != nil {
		return err
	}
	store, err := neo4jstore.New(ctx, cfg.Neo4j)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	if err := store.Load(ctx, g); err != nil {
		return fmt.Errorf("seed: %s", org.ErrorMessage(err))
	}
	fmt.Fprintf(stdout, "seeded %s: %d nodes, %d relations, %d duties from %d document(s)\n",
		cfg.Neo4j.URI, len(g.Nodes), len(g.Relations), len(g.Duties), len(g.Documents))
	return nil
}

// redacted is a URI fit for a log: without a password, should one be in it
// (loadConfig refuses one there).
func redacted(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return "(unparsable)"
	}
	return u.Redacted()
}
