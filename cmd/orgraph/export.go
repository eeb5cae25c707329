package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/orgraph/orgraph/internal/export"
	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/ordinance"
	"github.com/orgraph/orgraph/internal/org"
)

const exportAbout = `Writes the org chart of the configured store (the embedded store with its
data directory, or Neo4j when NEO4J_URI is set) on stdout, or into FILE,
in one of these formats (the same as GET /export/orgchart.F):
  cyjs     Cytoscape JSON, members inside their container (compound parents)
  dot      Graphviz DOT: dot -Tsvg
  mmd      a Mermaid flowchart
  graphml  GraphML, for yEd, Gephi, NetworkX
  csv      CSV of the nodes, or with --table edges of the edges (Gephi's columns)
  json     JSON-LD in the W3C Organization Ontology (org:)

--kinds chooses the relations drawn beside the reporting tree
(COOPERATES_WITH,MAY_TASK when omitted); --strength keeps only cooperation
of that strength; --scenario draws a scenario and marks what it adds,
removes, moves and cuts off; --as-of draws the structure in force on a day
(2024-06-01), read from the acts in force then.`

var exportCommand = &command{
	name:     "export",
	synopsis: "--format F [--root R] [--depth N] [--kinds K,...] [--strength S] [--scenario ID | --as-of DAY] [--table nodes|edges] [--out FILE] [--data DIR]",
	summary:  "write the org chart: cyjs, dot, mmd, graphml, csv or json (JSON-LD)",
	about:    exportAbout,
	env:      append([]string{"ORGRAPH_DATA"}, neo4jVars...),
	setup: func(fs *flag.FlagSet, cfg *config) runner {
		format := fs.String("format", "", "the format `F`: "+strings.Join(export.Formats, ", ")+" (required)")
		vals := map[string]*string{}
		for _, f := range []struct{ name, usage string }{
			{"root", "draw the tree below `NODE` (a unit code or a node id); default: all of it"},
			{"depth", "draw `N` levels below the root; 0: all"},
			{"kinds", "the relation kinds drawn beside the reporting tree, `K,...` (default COOPERATES_WITH,MAY_TASK)"},
			{"strength", "only cooperation of strength `S`: CLOSE, STANDING or PLAIN"},
			{"scenario", "draw scenario `ID`, marking what it changes"},
			{"as-of", "draw the structure in force on `DAY` (2024-06-01)"},
			{"table", "csv: the table `T`, nodes (default) or edges"},
		} {
			vals[f.name] = fs.String(f.name, "", f.usage)
		}
		out := fs.String("out", "", "write into `FILE` rather than stdout")
		fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "the embedded store's data directory `DIR` ($ORGRAPH_DATA)")
		return func(ctx context.Context, cfg config, args []string, o outputs) error {
			if err := noArgs("export", args); err != nil {
				return err
			}
			if !slices.Contains(export.Formats, *format) {
				return usageErrorf("export", "--format must be one of %s", strings.Join(export.Formats, ", "))
			}
			opt, err := export.ParseOptions(func(k string) string {
				if k == "asOf" {
					k = "as-of"
				}
				if v, ok := vals[k]; ok {
					return *v
				}
				return ""
			})
			if err != nil {
				return usageErrorf("export", "%s", org.ErrorMessage(err))
			}
			return runExport(ctx, cfg, *format, opt, *out, o.stdout)
		}
	},
}

// runExport writes the chart in format into out, or stdout.
func runExport(ctx context.Context, cfg config, format string, opt export.Options, out string, stdout io.Writer) error {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store, ready, closeStore, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeStore()
	if ready != nil { // Neo4j: wait until it is prepared
		wait, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		for ready(wait) != nil {
			select {
			case <-wait.Done():
				return fmt.Errorf("export: the store is not ready: %s", org.ErrorMessage(ready(ctx)))
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	doc, err := export.Build(operator(ctx), &org.Service{Store: store, Overlay: memstore.Overlay, Acts: ordinance.ReadAct}, opt)
	if err != nil {
		return fmt.Errorf("export: %s", org.ErrorMessage(err))
	}
	w := stdout
	var f *os.File
	if out != "" {
		if f, err = os.Create(out); err != nil {
			return err
		}
		w = f
	}
	bw := bufio.NewWriter(w)
	err = export.Write(bw, format, doc, opt)
	if err == nil {
		err = bw.Flush()
	}
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
