// Package export writes an org chart in the formats other tools read:
// Cytoscape JSON, Graphviz DOT, a Mermaid flowchart, GraphML, CSV (a table
// of nodes or of edges) and JSON-LD in the W3C Organization Ontology. With
// a scenario, every format marks the nodes the scenario adds, removes,
// moves and cuts off.
package export

import (
	"context"
	"io"
	"slices"
	"strings"

	"github.com/orgraph/orgraph/internal/org"
)

// Formats are the names Write takes, as the file extensions of the HTTP
// routes (/export/orgchart.F).
var Formats = []string{"cyjs", "dot", "mmd", "graphml", "csv", "json"}

// ContentType is the media type of each format.
var ContentType = map[string]string{
	"cyjs":    "application/json",
	"dot":     "text/vnd.graphviz; charset=utf-8",
	"mmd":     "text/vnd.mermaid; charset=utf-8",
	"graphml": "application/graphml+xml; charset=utf-8",
	"csv":     "text/csv; charset=utf-8",
	"json":    "application/ld+json",
}

// Options choose the chart: as org.ChartQuery, plus a scenario to read and
// mark, and for CSV the table (nodes or edges).
type Options struct {
	Root     string
	Depth    int
	Kinds    []org.RelationKind // beside the tree; nil: COOPERATES_WITH and MAY_TASK
	Strength org.Strength
	Scenario string
	AsOf     string // a day: the structure the acts in force then give; not with Scenario
	Table    string // csv: "nodes" (the default) or "edges"
}

// Marks of a scenario's changes, as class names.
const (
	Added   = "added"
	Removed = "removed"
	Moved   = "moved"
	CutOff  = "cut-off"
)

// Node is one box of the export.
type Node struct {
	org.ChartNode
	Marks []string // Added, Removed, Moved, CutOff
}

// Edge is one line of the export: a tree edge from the box above to the box
// below (Tree set; kind REPORTS_TO or HEADS, the relation going the other
// way), or a connection beside the tree.
type Edge struct {
	ID, Source, Target string
	Kind               org.RelationKind
	Tree               bool
	Link               org.ChartLink // the relations and their provisions
	Marks              []string      // Moved for the edge that puts a moved node under its new superior
}

// Directed is false for cooperation, which either unit may declare.
func (e Edge) Directed() bool { return e.Kind != org.CooperatesWith }

// Doc is a chart ready to write.
type Doc struct {
	Title    string
	Scenario string
	Nodes    []Node
	Edges    []Edge
}

// Build draws the chart opt asks for, from the baseline or, with
// opt.Scenario, from the scenario's view, marking its changes; the nodes
// it removes are kept, marked, under their old superior when it remains.
func Build(ctx context.Context, svc *org.Service, opt Options) (*Doc, error) {
	if opt.Table != "" && opt.Table != "nodes" && opt.Table != "edges" {
		return nil, org.Errorf(org.EINVALID, "table must be nodes or edges, not %q", opt.Table)
	}
	var kinds []org.RelationKind // nil: the default kinds
	if opt.Kinds != nil {
		kinds = []org.RelationKind{}
		for _, k := range opt.Kinds {
			if k != org.ReportsTo && k != org.Heads { // the tree draws those
				kinds = append(kinds, k)
			}
		}
	}
	if opt.AsOf != "" {
		if opt.Scenario != "" {
			return nil, org.Errorf(org.EINVALID, "a scenario is drawn against today's baseline: give scenario or asOf, not both")
		}
		v, err := svc.AsOf(ctx, opt.AsOf)
		if err != nil {
			return nil, err
		}
		svc = v
	}
	q := org.ChartQuery{Root: opt.Root, Depth: opt.Depth, Kinds: kinds, Strength: opt.Strength, Containers: true}
	view := svc
	d := &Doc{Title: "orgraph", Scenario: opt.Scenario}
	if opt.AsOf != "" {
		d.Title = "orgraph: " + opt.AsOf
	}
	marks := map[string][]string{}
	var removed, orphans []org.ChartNode
	if opt.Scenario != "" {
		v, err := svc.View(ctx, opt.Scenario)
		if err != nil {
			return nil, err
		}
		view = v
		im, err := svc.ImpactOf(ctx, opt.Scenario, org.Rules{}, org.ImpactParts{Added: true, Moved: true, CutOff: true, Removed: true})
		if err != nil {
			return nil, err
		}
		sc, err := svc.Scenario(ctx, opt.Scenario)
		if err != nil {
			return nil, err
		}
		d.Title = "orgraph: " + sc.Name
		for _, n := range im.Added {
			marks[n.ID] = append(marks[n.ID], Added)
		}
		for _, m := range im.Moved {
			marks[m.Node.ID] = append(marks[m.Node.ID], Moved)
		}
		for _, n := range im.CutOff {
			marks[n.ID] = append(marks[n.ID], CutOff)
			if opt.Root == "" { // the tree no longer reaches it: a box of its own
				orphans = append(orphans, org.ChartNode{Node: n})
			}
		}
		gone := map[string]bool{}
		for _, n := range im.Removed {
			gone[n.ID] = true
		}
		if len(gone) > 0 {
			base, err := svc.Chart(ctx, org.ChartQuery{Root: opt.Root, Depth: opt.Depth, Kinds: []org.RelationKind{}, Containers: true})
			if err != nil && org.ErrorCode(err) != org.ENOTFOUND {
				return nil, err
			}
			for _, n := range base.Nodes {
				if gone[n.Node.ID] {
					removed = append(removed, n)
				}
			}
		}
	}
	c, err := view.Chart(ctx, q)
	if err != nil {
		return nil, err
	}
	in := map[string]bool{}
	for _, n := range c.Nodes {
		in[n.Node.ID] = true
		d.Nodes = append(d.Nodes, Node{ChartNode: n, Marks: marks[n.Node.ID]})
	}
	for _, n := range orphans {
		if !in[n.Node.ID] {
			in[n.Node.ID] = true
			d.Nodes = append(d.Nodes, Node{ChartNode: n, Marks: marks[n.Node.ID]})
		}
	}
	for _, n := range removed {
		in[n.Node.ID] = true
	}
	for _, n := range removed {
		if !in[n.ParentID] {
			n.ParentID, n.Via = "", nil
		}
		if !in[n.Container] {
			n.Container = ""
		}
		d.Nodes = append(d.Nodes, Node{ChartNode: n, Marks: []string{Removed}})
	}
	for _, n := range d.Nodes {
		if n.ParentID == "" || n.Via == nil {
			continue
		}
		e := Edge{ID: string(n.Via.Kind) + ":" + n.ParentID + ":" + n.Node.ID, Source: n.ParentID, Target: n.Node.ID, Kind: n.Via.Kind, Tree: true,
			Link: org.ChartLink{ID: n.Via.ID, Kind: n.Via.Kind, From: n.Via.From, To: n.Via.To, Relations: []org.Relation{*n.Via}}}
		if slices.Contains(n.Marks, Moved) || slices.Contains(n.Marks, Removed) {
			e.Marks = []string{n.Marks[0]}
		}
		d.Edges = append(d.Edges, e)
	}
	for _, l := range c.Connections {
		d.Edges = append(d.Edges, Edge{ID: l.ID, Source: l.From, Target: l.To, Kind: l.Kind, Link: l})
	}
	return d, nil
}

// Write writes d in format f.
func Write(w io.Writer, f string, d *Doc, opt Options) error {
	switch f {
	case "cyjs":
		return writeCytoscape(w, d)
	case "dot":
		return writeDOT(w, d)
	case "mmd":
		return writeMermaid(w, d)
	case "graphml":
		return writeGraphML(w, d)
	case "csv":
		if opt.Table == "edges" {
			return writeEdgesCSV(w, d)
		}
		return writeNodesCSV(w, d)
	case "json":
		return writeJSONLD(w, d)
	}
	return org.Errorf(org.ENOTFOUND, "unknown export format %q (want %s)", f, strings.Join(Formats, ", "))
}

// label is a box's text: a unit's code and name, or a post's name.
func label(n org.Node) string {
	if n.Code != "" {
		return n.Code + " " + n.Name
	}
	return n.Name
}

func kindName(k org.NodeKind) string { return strings.ToLower(string(k)) }

func joinMarks(m []string) string { return strings.Join(m, " ") }

func provisions(l org.ChartLink) []string {
	var out []string
	for _, p := range l.Provisions() {
		s := p.Provision + " (" + string(p.Basis) + ")"
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func strength(l org.ChartLink) string { return string(l.Strength) }

// nest walks the nodes as their containers hold them: each node once, in
// the document's order among its siblings, a container's members right
// after it and before leave(container) is called; depth counts the
// containers around a node. A container the document does not hold, or
// one on a cycle of containers, holds nothing: its members are visited
// where they stand.
func (d *Doc) nest(visit, leave func(n Node, depth int)) {
	held := map[string]bool{}
	for _, n := range d.Nodes {
		if n.IsContainer {
			held[n.Node.ID] = true
		}
	}
	members := map[string][]int{}
	var top []int
	for i, n := range d.Nodes {
		if c := n.Container; c != "" && c != n.Node.ID && held[c] {
			members[c] = append(members[c], i)
		} else {
			top = append(top, i)
		}
	}
	seen := make([]bool, len(d.Nodes))
	var walk func(i, depth int)
	walk = func(i, depth int) {
		if seen[i] {
			return
		}
		seen[i] = true
		n := d.Nodes[i]
		visit(n, depth)
		if !n.IsContainer {
			return
		}
		for _, m := range members[n.Node.ID] {
			walk(m, depth+1)
		}
		leave(n, depth)
	}
	for _, i := range top {
		walk(i, 0)
	}
	// Members of containers on a cycle were reached from no top node.
	for i := range d.Nodes {
		walk(i, 0)
	}
}
