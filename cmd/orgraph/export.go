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
	"github.com/orgraph/orgraph/internal/org"
)

const exportUsage = `usage: orgraph export --format F [--root R] [--depth N] [--kinds K,...] [--strength S] [--scenario ID] [--table nodes|edges] [--out FILE]

Writes the org chart of the configured store (the embedded store with its
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
removes, moves and cuts off.
`

// runExport is "orgraph export".
func runExport(ctx context.Context, args []string, cfg config, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("orgraph export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, exportUsage) }
	format := fs.String("format", "", "the format: "+strings.Join(export.Formats, ", "))
	vals := map[string]*string{}
	for _, name := range []string{"root", "depth", "kinds", "strength", "scenario", "table"} {
		vals[name] = fs.String(name, "", "")
	}
	out := fs.String("out", "", "write into this file rather than stdout")
	fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "directory of the embedded store's scenarios and edits ($ORGRAPH_DATA)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("export: unexpected arguments %q", fs.Args())
	}
	if !slices.Contains(export.Formats, *format) {
		fs.Usage()
		return fmt.Errorf("export: --format must be one of %s", strings.Join(export.Formats, ", "))
	}
	opt, err := export.ParseOptions(func(k string) string { return *vals[k] })
	if err != nil {
		return fmt.Errorf("export: %s", org.ErrorMessage(err))
	}
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
	doc, err := export.Build(ctx, &org.Service{Store: store, Overlay: memstore.Overlay}, opt)
	if err != nil {
		return fmt.Errorf("export: %s", org.ErrorMessage(err))
	}
	w := stdout
	var f *os.File
	if *out != "" {
		if f, err = os.Create(*out); err != nil {
			return err
		}
		w = f
	}
	bw := bufio.NewWriter(w)
	err = export.Write(bw, *format, doc, opt)
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
