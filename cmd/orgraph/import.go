package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/neo4jstore"
	"github.com/orgraph/orgraph/internal/ordinance"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/seed"
)

const importAbout = `Reads each FILE, the text of a department's organisational ordinance
("w sprawie podziału na wewnętrzne komórki organizacyjne oraz szczegółowego
zakresu działania …"), and applies the manual corrections shipped for that
act in seed/corrections/, if any.

Without --format, loads the acts into the configured store, with a line per
act and a summary: Neo4j when NEO4J_URI is set; otherwise the embedded
store's data directory (--data, ORGRAPH_DATA), the one orgraph serve and
make run use, where the acts join the seed's department, all of them or
none, durably, and the next start serves them. While a server holds that
directory the import is refused: import through the server
(importOrdinance), or stop it first.

With --format json, loads nothing and prints each act on stdout as one JSON
object, one after another in the order of the files (a JSON stream; jq -s
makes it an array):
  {"document": {...}, "units": [{"id","code","name","type",...}],
   "positions": [{"id","name",...}], "entities": [...],
   "relations": [{"kind","from","to","provision","basis",...}],
   "duties": [{"unit","provision","text",...}],
   "warnings": [{"where","message"}], "corrections": ["why", ...]}
Renaming "warnings" to "repairs" makes an object a seed file (seed.File).

A FILE that is not an organisational ordinance (no act number, no unit
list) is refused with exit status 2, saying what was expected and what was
found; then no act is loaded, not even those before it.

Flags go before the files.`

// importedAct is one act as `orgraph import --format json` prints it.
type importedAct struct {
	Document    seed.DocumentJSON   `json:"document"`
	Units       []seed.NodeJSON     `json:"units"`
	Positions   []seed.NodeJSON     `json:"positions"`
	Entities    []seed.NodeJSON     `json:"entities"`
	Relations   []seed.RelationJSON `json:"relations"`
	Duties      []seed.DutyJSON     `json:"duties"`
	Warnings    []seed.RepairJSON   `json:"warnings"`
	Corrections []string            `json:"corrections"`
}

var importCommand = &command{
	name:     "import",
	synopsis: "[--format json] [--raw] [--data DIR] FILE...",
	summary:  "parse ordinance texts; print them (--format json) or load them",
	about:    importAbout,
	env:      append([]string{"ORGRAPH_DATA"}, neo4jVars...),
	setup: func(fs *flag.FlagSet, cfg *config) runner {
		fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "the embedded store's data directory `DIR` ($ORGRAPH_DATA)")
		format := fs.String("format", "", "print the acts as `json` instead of loading them")
		raw := fs.Bool("raw", false, "leave out the shipped manual corrections: the parser's reading alone")
		return func(ctx context.Context, cfg config, args []string, o outputs) error {
			if *format != "" && *format != "json" {
				return usageErrorf("import", "unknown --format %q (want json)", *format)
			}
			if len(args) == 0 {
				return usageErrorf("import", "name at least one file")
			}
			var acts []*ordinance.Result
			var graphs []*org.Graph
			for _, name := range args {
				r, g, err := readAct(name, *raw)
				if err != nil {
					return err
				}
				acts, graphs = append(acts, r), append(graphs, g)
			}
			if *format == "json" {
				return printActs(o.stdout, acts)
			}
			return loadActs(ctx, cfg, acts, graphs, o.stdout, o.stderr)
		}
	},
}

// runImport is `orgraph import` with cfg: it reads every file first, and
// loads nothing unless all of them read as valid acts.
func runImport(ctx context.Context, args []string, cfg config, stdout, stderr io.Writer) error {
	return importCommand.exec(ctx, args, cfg, nil, outputs{stdout: stdout, stderr: stderr})
}

// readAct parses one file into an act and its graph, checked.
func readAct(name string, raw bool) (*ordinance.Result, *org.Graph, error) {
	text, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, fmt.Errorf("import: %w", err)
	}
	read := ordinance.Import
	if raw {
		read = ordinance.Parse
	}
	r, err := read(name, string(text))
	if err != nil {
		// A text that is not an ordinance is a wrong argument: exit 2.
		return nil, nil, usageErrorf("import", "%s", org.ErrorMessage(err))
	}
	g, err := r.Graph()
	if err != nil {
		return nil, nil, fmt.Errorf("import %s: %s", name, org.ErrorMessage(err))
	}
	return r, g, nil
}

func printActs(w io.Writer, acts []*ordinance.Result) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // keep "„Krakowska Wyprawka”" and "&" readable
	enc.SetIndent("", "  ")
	for _, r := range acts {
		f := r.File
		corrections := r.Corrections
		if corrections == nil {
			corrections = []string{}
		}
		if err := enc.Encode(importedAct{
			Document: f.Document, Units: f.Units, Positions: f.Positions, Entities: f.Entities,
			Relations: f.Relations, Duties: f.Duties, Warnings: f.Repairs, Corrections: corrections,
		}); err != nil {
			return err
		}
	}
	return nil
}

// loadActs loads the acts one by one, so that the City's officials that
// several acts share are merged by id rather than listed twice.
func loadActs(ctx context.Context, cfg config, acts []*ordinance.Result, graphs []*org.Graph, stdout, stderr io.Writer) error {
	var neo *neo4jstore.Store
	where := "neo4j at " + cfg.Neo4j.URI
	if cfg.Neo4j.URI == "" {
		if err := importEmbedded(ctx, cfg.DataDir, acts, graphs); err != nil {
			return err
		}
		where = "the embedded store's data directory " + cfg.DataDir
	} else {
		var err error
		if neo, err = neo4jstore.New(ctx, cfg.Neo4j); err != nil {
			return err
		}
		defer neo.Close(context.Background())
	}
	var total ordinance.Summary
	for i, r := range acts {
		if neo != nil {
			// Each act in its place in its department's history, recorded.
			svc := &org.Service{Store: neo, Overlay: memstore.Overlay, Acts: ordinance.ReadAct}
			g, err := svc.PlaceActs(ctx, graphs[i:i+1])
			if err == nil {
				e := org.AuditEntry{ID: org.NewID(), At: time.Now().UTC(), Subject: "orgraph import", Role: org.RoleAdmin,
					Action: org.AuditImport, Target: r.File.Document.ID, Name: r.File.Document.File}
				err = neo.LoadAudited(ctx, g, e)
			}
			if err != nil {
				return fmt.Errorf("import %s: %s", r.File.Document.File, org.ErrorMessage(err))
			}
		}
		s := r.Summary()
		fmt.Fprintf(stdout, "%s (%s): %s, %d corrections\n", r.File.Document.ID, r.File.Document.File, counts(s), len(r.Corrections))
		for _, w := range r.Warnings() {
			fmt.Fprintf(stdout, "  warning %s: %s\n", w.Where, w.Message)
		}
		total.Units += s.Units
		total.Positions += s.Positions
		total.Entities += s.Entities
		total.Duties += s.Duties
		total.Relations += s.Relations
		total.Warnings += s.Warnings
	}
	fmt.Fprintf(stdout, "imported %d act(s) into %s: %s\n", len(acts), where, counts(total))
	return nil
}

// importEmbedded writes the acts into the embedded store's data directory,
// all of them or none, durably, with an entry in the audit log: what `make
// run` serves from its next start. A directory without a baseline of its
// own gets the seed's first (what serve would start from). Refused while
// another process (a running server) holds the directory.
func importEmbedded(ctx context.Context, dir string, acts []*ordinance.Result, graphs []*org.Graph) error {
	mem, err := memstore.Open(dir)
	if org.ErrorCode(err) == org.ECONFLICT {
		return fmt.Errorf("import: the data directory %s is in use by another orgraph process (a running server?): import through it (the importOrdinance mutation) or stop it first; nothing was imported", dir)
	}
	if err != nil {
		return fmt.Errorf("import: %s", org.ErrorMessage(err))
	}
	defer mem.Close()
	if empty, err := mem.Empty(ctx); err != nil {
		return err
	} else if empty {
		g, err := seed.Graph()
		if err != nil {
			return err
		}
		if err := mem.Load(ctx, g); err != nil {
			return err
		}
	}
	var ids, files []string
	for i := range graphs {
		ids = append(ids, acts[i].File.Document.ID)
		files = append(files, acts[i].File.Document.File)
	}
	// Each act in its place in its department's history: the ones in
	// force today in the baseline, the others kept for their days.
	svc := &org.Service{Store: mem, Overlay: memstore.Overlay, Acts: ordinance.ReadAct}
	all, err := svc.PlaceActs(ctx, graphs)
	if err != nil {
		return fmt.Errorf("import: %s; nothing was imported", org.ErrorMessage(err))
	}
	e := org.AuditEntry{ID: org.NewID(), At: time.Now().UTC(), Subject: "orgraph import", Role: org.RoleAdmin,
		Action: org.AuditImport, Target: strings.Join(ids, ", "), Name: strings.Join(files, ", ")}
	if err := mem.LoadAudited(ctx, all, e); err != nil {
		return fmt.Errorf("import: %s; nothing was imported", org.ErrorMessage(err))
	}
	return nil
}

func counts(s ordinance.Summary) string {
	return fmt.Sprintf("%d units, %d positions, %d entities, %d duties, %d relations, %d warnings",
		s.Units, s.Positions, s.Entities, s.Duties, s.Relations, s.Warnings)
}
