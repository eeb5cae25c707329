package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/neo4jstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
)

const generateAbout = `Generates a synthetic but valid organisation of about N units (the
generator the differential tests use: positions heading reporting lines,
units below them, dense cooperation, three to six duties a unit) and writes
it into the store: Neo4j when NEO4J_URI is set, otherwise the embedded
store's data directory (--data, $ORGRAPH_DATA, default ./data), which a
later "orgraph serve" on the same directory serves. The same seed gives the
same organisation.

A store that already holds an organisation or scenarios is left alone
unless --replace is given; --replace deletes what it holds, scenarios
included. The embedded store's directory must not be in use by a running
"orgraph serve": stop it first.`

// loadTimeout bounds a generated load into Neo4j unless the configuration
// sets one: at 100,000 units it writes over a million relations.
const loadTimeout = time.Hour

var generateCommand = &command{
	name:     "generate",
	synopsis: "--units N [--seed S] [--replace] [--data DIR]",
	summary:  "write a synthetic organisation of N units into ./data or Neo4j",
	about:    generateAbout,
	env:      append([]string{"ORGRAPH_DATA"}, neo4jVars...),
	setup: func(fs *flag.FlagSet, cfg *config) runner {
		units := fs.Int("units", 0, "make `N` units (required)")
		seed := fs.Int64("seed", 1, "the generator's seed `S`")
		replace := fs.Bool("replace", false, "replace what the store holds, scenarios included")
		fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "the embedded store's data directory `DIR` ($ORGRAPH_DATA)")
		return func(ctx context.Context, cfg config, args []string, o outputs) error {
			if err := noArgs("generate", args); err != nil {
				return err
			}
			if *units < 1 {
				return usageErrorf("generate", "--units must be at least 1")
			}
			return runGenerate(ctx, cfg, *units, *seed, *replace, o.stdout)
		}
	},
}

// runGenerate generates and writes an organisation.
func runGenerate(ctx context.Context, cfg config, units int, seed int64, replace bool, stdout io.Writer) error {
	start := time.Now()
	g := orggen.Generate(seed, units)
	fmt.Fprintf(stdout, "generated %d units (seed %d): %d nodes, %d relations, %d duties in %s\n",
		units, seed, len(g.Nodes), len(g.Relations), len(g.Duties), since(start))
	if cfg.Neo4j.URI != "" {
		return generateNeo4j(ctx, cfg, g, replace, stdout)
	}
	return generateEmbedded(ctx, cfg.DataDir, g, replace, stdout)
}

func generateEmbedded(ctx context.Context, dir string, g *org.Graph, replace bool, stdout io.Writer) error {
	store, err := memstore.Open(dir)
	if err != nil {
		return fmt.Errorf("generate: %s", org.ErrorMessage(err))
	}
	defer store.Close()
	if err := refuseNonEmpty(ctx, store, "the data directory "+dir, replace); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "writing %s …\n", filepath.Join(dir, memstore.DataFile))
	start := time.Now()
	if err := store.Replace(ctx, g); err != nil {
		return fmt.Errorf("generate: %s", org.ErrorMessage(err))
	}
	elapsed := time.Since(start)
	size := ""
	if fi, err := os.Stat(filepath.Join(dir, memstore.DataFile)); err == nil {
		size = fmt.Sprintf(" (%.1f MB)", float64(fi.Size())/1e6)
	}
	fmt.Fprintf(stdout, "wrote %d nodes, %d relations, %d duties into %s%s in %s: %s\n",
		len(g.Nodes), len(g.Relations), len(g.Duties), filepath.Join(dir, memstore.DataFile), size, since(start),
		rates(len(g.Nodes)+len(g.Duties), len(g.Relations), elapsed))
	fmt.Fprintf(stdout, "serve it with: orgraph serve --data %s\n", dir)
	return nil
}

func generateNeo4j(ctx context.Context, cfg config, g *org.Graph, replace bool, stdout io.Writer) error {
	if cfg.Neo4j.LoadTimeout == 0 {
		cfg.Neo4j.LoadTimeout = loadTimeout
	}
	store, err := neo4jstore.New(ctx, cfg.Neo4j)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	where := "neo4j at " + cfg.Neo4j.URI
	if err := refuseNonEmpty(ctx, store, where, replace); err != nil {
		return err
	}
	if replace {
		fmt.Fprintf(stdout, "clearing %s …\n", where)
		if err := store.Clear(ctx); err != nil {
			return fmt.Errorf("generate: clear %s: %s", where, org.ErrorMessage(err))
		}
	}
	start := time.Now()
	last := start
	err = store.LoadWithProgress(ctx, g, func(p neo4jstore.LoadProgress) {
		now := time.Now()
		if p.Step != "done" && now.Sub(last) < time.Second {
			return
		}
		last = now
		fmt.Fprintf(stdout, "  %-15s %3.0f%%  %d/%d nodes, %d/%d relations, %d/%d duties  %s\n",
			p.Step, percent(p.Rows, p.Total), p.Nodes, len(g.Nodes), p.Relations, len(g.Relations), p.Duties, len(g.Duties),
			rates(p.Nodes+p.Duties, p.Relations, now.Sub(start)))
	})
	if err != nil {
		return fmt.Errorf("generate: load into %s: %s", where, org.ErrorMessage(err))
	}
	elapsed := time.Since(start)
	fmt.Fprintf(stdout, "loaded %d nodes, %d relations, %d duties into %s in %s: %s\n",
		len(g.Nodes), len(g.Relations), len(g.Duties), where, since(start), rates(len(g.Nodes)+len(g.Duties), len(g.Relations), elapsed))
	return nil
}

// holder is what refuseNonEmpty asks of a store.
type holder interface {
	Empty(context.Context) (bool, error)
	FindScenarios(context.Context) ([]org.Scenario, error)
}

// refuseNonEmpty fails, unless replace, when the store holds an
// organisation or scenarios.
func refuseNonEmpty(ctx context.Context, s holder, where string, replace bool) error {
	empty, err := s.Empty(ctx)
	if err != nil {
		return fmt.Errorf("generate: %s: %s", where, org.ErrorMessage(err))
	}
	scenarios, err := s.FindScenarios(ctx)
	if err != nil {
		return fmt.Errorf("generate: %s: %s", where, org.ErrorMessage(err))
	}
	if (empty && len(scenarios) == 0) || replace {
		return nil
	}
	what := "an organisation"
	switch {
	case empty:
		what = fmt.Sprintf("%d scenario(s)", len(scenarios))
	case len(scenarios) > 0:
		what = fmt.Sprintf("an organisation and %d scenario(s)", len(scenarios))
	}
	return fmt.Errorf("generate: %s already holds %s; nothing was written. "+
		"Run again with --replace to replace it with the generated one (the scenarios are deleted too)", where, what)
}

func percent(n, of int) float64 {
	if of == 0 {
		return 100
	}
	return 100 * float64(n) / float64(of)
}

func rates(nodes, relations int, d time.Duration) string {
	s := max(d.Seconds(), 1e-3)
	return fmt.Sprintf("%.0f nodes/s, %.0f relations/s (duties count as nodes)", float64(nodes)/s, float64(relations)/s)
}

func since(t time.Time) string { return time.Since(t).Round(time.Millisecond).String() }
