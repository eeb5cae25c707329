package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/orgraph/orgraph/internal/org"
)

// Cytoscape JSON (.cyjs), as Cytoscape desktop and cytoscape.js read it:
// members inside their container (the compound parent).
func writeCytoscape(w io.Writer, d *Doc) error {
	type element struct {
		Data    map[string]any `json:"data"`
		Classes string         `json:"classes,omitempty"`
	}
	var nodes, edges []element
	for _, n := range d.Nodes {
		data := map[string]any{"id": n.Node.ID, "label": label(n.Node), "name": n.Node.Name, "kind": string(n.Node.Kind), "depth": n.Depth}
		if n.Node.Code != "" {
			data["code"] = n.Node.Code
		}
		if n.ParentID != "" {
			data["parentId"] = n.ParentID
		}
		if n.Container != "" {
			data["parent"] = n.Container
		}
		if len(n.Marks) > 0 {
			data["change"] = joinMarks(n.Marks)
		}
		classes := append([]string{kindName(n.Node.Kind)}, n.Marks...)
		if n.IsContainer {
			classes = append(classes, "container")
		}
		nodes = append(nodes, element{Data: data, Classes: strings.Join(classes, " ")})
	}
	for _, e := range d.Edges {
		data := map[string]any{"id": e.ID, "source": e.Source, "target": e.Target, "kind": string(e.Kind),
			"label": e.Link.Label(), "provisions": provisions(e.Link), "tree": e.Tree, "directed": e.Directed()}
		if s := strength(e.Link); s != "" {
			data["strength"] = s
			data["mutual"] = e.Link.Mutual
		}
		if len(e.Marks) > 0 {
			data["change"] = joinMarks(e.Marks)
		}
		classes := append([]string{strings.ToLower(string(e.Kind))}, e.Marks...)
		edges = append(edges, element{Data: data, Classes: strings.Join(classes, " ")})
	}
	doc := map[string]any{
		"format_version":             "1.0",
		"generated_by":               "orgraph",
		"target_cytoscapejs_version": "~3",
		"data":                       map[string]any{"name": d.Title},
		"elements":                   map[string]any{"nodes": nodes, "edges": edges},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// DOT for Graphviz: the tree top-down, connections dashed and not
// constraining the layout, a scenario's changes filled in colour.
func writeDOT(w io.Writer, d *Doc) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "digraph orgchart {\n  label=%s;\n  labelloc=t;\n  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=9];\n", dotString(d.Title))
	for _, n := range d.Nodes {
		attrs := []string{"label=" + dotString(label(n.Node)), "class=" + dotString(strings.TrimSpace(kindName(n.Node.Kind)+" "+joinMarks(n.Marks)))}
		if n.Node.Kind == org.KindPosition {
			attrs = append(attrs, "shape=ellipse")
		}
		if n.IsContainer {
			attrs = append(attrs, "peripheries=2")
		}
		if len(n.Marks) > 0 {
			attrs = append(attrs, "fillcolor="+dotString(markColour[n.Marks[0]]), "tooltip="+dotString(joinMarks(n.Marks)))
			if n.Marks[0] == Removed {
				attrs = append(attrs, "style=\"rounded,filled,dashed\"")
			}
		}
		fmt.Fprintf(b, "  %s [%s];\n", dotString(n.Node.ID), strings.Join(attrs, ", "))
	}
	for _, e := range d.Edges {
		attrs := []string{"class=" + dotString(strings.TrimSpace(strings.ToLower(string(e.Kind))+" "+joinMarks(e.Marks)))}
		if !e.Tree {
			attrs = append(attrs, "label="+dotString(e.Link.Label()), "style=dashed", "constraint=false", "color="+dotString(kindColour[e.Kind]))
		} else {
			attrs = append(attrs, "tooltip="+dotString(string(e.Kind)+" "+e.Link.Label()))
		}
		if !e.Directed() {
			attrs = append(attrs, "dir=none")
		}
		if len(e.Marks) > 0 {
			attrs = append(attrs, "color="+dotString(markColour[e.Marks[0]]), "penwidth=2")
		}
		fmt.Fprintf(b, "  %s -> %s [%s];\n", dotString(e.Source), dotString(e.Target), strings.Join(attrs, ", "))
	}
	b.WriteString("}\n")
	return b.Flush()
}

var markColour = map[string]string{Added: "#c8e6c9", Removed: "#ffcdd2", Moved: "#ffe0b2", CutOff: "#e0e0e0"}

var kindColour = map[org.RelationKind]string{org.CooperatesWith: "#1e88e5", org.MayTask: "#8e24aa"}

// dotString quotes s as a DOT string: backslashes and quotes escaped, line
// breaks as \n.
func dotString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")
	return `"` + r.Replace(s) + `"`
}

// A Mermaid flowchart, top-down: boxes n0, n1, ... labelled with code and
// name, containers as subgraphs around their members; connections dotted
// with their provisions; changes as classes.
func writeMermaid(w io.Writer, d *Doc) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "---\ntitle: %s\n---\nflowchart TB\n", mermaidText(d.Title))
	id := map[string]string{}
	for i, n := range d.Nodes {
		id[n.Node.ID] = "n" + strconv.Itoa(i)
	}
	// A container is a subgraph, titled with its code and name, holding its
	// members (and so on down); lines to it end at the subgraph's frame.
	d.nest(func(n Node, depth int) {
		indent := strings.Repeat("  ", depth+1)
		if n.IsContainer {
			fmt.Fprintf(b, "%ssubgraph %s [\"%s\"]\n%s  direction TB\n", indent, id[n.Node.ID], mermaidText(label(n.Node)), indent)
			return
		}
		open, close := "[", "]"
		if n.Node.Kind == org.KindPosition {
			open, close = "(", ")"
		}
		fmt.Fprintf(b, "%s%s%s\"%s\"%s\n", indent, id[n.Node.ID], open, mermaidText(label(n.Node)), close)
	}, func(_ Node, depth int) {
		fmt.Fprintf(b, "%send\n", strings.Repeat("  ", depth+1))
	})
	for _, e := range d.Edges {
		arrow := "-->"
		switch {
		case !e.Tree && e.Directed():
			arrow = "-.->"
		case !e.Tree:
			arrow = "-.-"
		}
		if e.Tree {
			fmt.Fprintf(b, "  %s %s %s\n", id[e.Source], arrow, id[e.Target])
		} else {
			fmt.Fprintf(b, "  %s %s|\"%s\"| %s\n", id[e.Source], arrow, mermaidText(e.Link.Label()), id[e.Target])
		}
	}
	for _, m := range []string{Added, Removed, Moved, CutOff} {
		var ids []string
		for _, n := range d.Nodes {
			for _, nm := range n.Marks {
				if nm == m {
					ids = append(ids, id[n.Node.ID])
				}
			}
		}
		if len(ids) > 0 {
			class := strings.ReplaceAll(m, "-", "")
			fmt.Fprintf(b, "  classDef %s fill:%s\n  class %s %s\n", class, markColour[m], strings.Join(ids, ","), class)
		}
	}
	return b.Flush()
}

// mermaidText escapes a label for a quoted Mermaid string.
func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "\n", " ", "<", "#lt;", ">", "#gt;").Replace(s)
}

// GraphML, as yEd, Gephi and NetworkX read it: attributes declared as keys.
func writeGraphML(w io.Writer, d *Doc) error {
	type data struct {
		Key   string `xml:"key,attr"`
		Value string `xml:",chardata"`
	}
	type key struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	}
	type node struct {
		ID   string `xml:"id,attr"`
		Data []data `xml:"data"`
	}
	type edge struct {
		ID       string `xml:"id,attr"`
		Source   string `xml:"source,attr"`
		Target   string `xml:"target,attr"`
		Directed bool   `xml:"directed,attr"`
		Data     []data `xml:"data"`
	}
	type graph struct {
		ID          string `xml:"id,attr"`
		EdgeDefault string `xml:"edgedefault,attr"`
		Nodes       []node `xml:"node"`
		Edges       []edge `xml:"edge"`
	}
	type graphml struct {
		XMLName xml.Name `xml:"graphml"`
		XMLNS   string   `xml:"xmlns,attr"`
		Keys    []key    `xml:"key"`
		Graph   graph    `xml:"graph"`
	}
	g := graphml{XMLNS: "http://graphml.graphdrawing.org/xmlns", Graph: graph{ID: "orgchart", EdgeDefault: "directed"}}
	for _, k := range [][3]string{
		{"label", "node", "string"}, {"name", "node", "string"}, {"kind", "node", "string"}, {"code", "node", "string"},
		{"parentId", "node", "string"}, {"container", "node", "string"}, {"depth", "node", "int"}, {"change", "node", "string"},
		{"kind", "edge", "string"}, {"label", "edge", "string"}, {"tree", "edge", "boolean"}, {"strength", "edge", "string"},
		{"provisions", "edge", "string"}, {"change", "edge", "string"},
	} {
		g.Keys = append(g.Keys, key{ID: k[1][:1] + "_" + k[0], For: k[1], Name: k[0], Type: k[2]})
	}
	opt := func(ds []data, k, v string) []data {
		if v != "" {
			ds = append(ds, data{Key: k, Value: v})
		}
		return ds
	}
	for _, n := range d.Nodes {
		ds := []data{{"n_label", label(n.Node)}, {"n_name", n.Node.Name}, {"n_kind", string(n.Node.Kind)}}
		ds = opt(ds, "n_code", n.Node.Code)
		ds = opt(ds, "n_parentId", n.ParentID)
		ds = opt(ds, "n_container", n.Container)
		ds = append(ds, data{"n_depth", strconv.Itoa(n.Depth)})
		ds = opt(ds, "n_change", joinMarks(n.Marks))
		g.Graph.Nodes = append(g.Graph.Nodes, node{ID: n.Node.ID, Data: ds})
	}
	for _, e := range d.Edges {
		ds := []data{{"e_kind", string(e.Kind)}, {"e_label", e.Link.Label()}, {"e_tree", strconv.FormatBool(e.Tree)}}
		ds = opt(ds, "e_strength", strength(e.Link))
		ds = append(ds, data{"e_provisions", strings.Join(provisions(e.Link), "; ")})
		ds = opt(ds, "e_change", joinMarks(e.Marks))
		g.Graph.Edges = append(g.Graph.Edges, edge{ID: e.ID, Source: e.Source, Target: e.Target, Directed: e.Directed(), Data: ds})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(g); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// CSV of the nodes, with the column names Gephi's importer knows (Id, Label).
func writeNodesCSV(w io.Writer, d *Doc) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"Id", "Label", "name", "kind", "code", "parentId", "container", "depth", "change"})
	for _, n := range d.Nodes {
		_ = cw.Write([]string{n.Node.ID, label(n.Node), n.Node.Name, string(n.Node.Kind), n.Node.Code, n.ParentID, n.Container, strconv.Itoa(n.Depth), joinMarks(n.Marks)})
	}
	cw.Flush()
	return cw.Error()
}

// CSV of the edges, with Gephi's column names (Source, Target, Type).
func writeEdgesCSV(w io.Writer, d *Doc) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"Id", "Source", "Target", "Type", "Label", "kind", "tree", "strength", "provisions", "change"})
	for _, e := range d.Edges {
		typ := "Directed"
		if !e.Directed() {
			typ = "Undirected"
		}
		_ = cw.Write([]string{e.ID, e.Source, e.Target, typ, e.Link.Label(), string(e.Kind), strconv.FormatBool(e.Tree), strength(e.Link), strings.Join(provisions(e.Link), "; "), joinMarks(e.Marks)})
	}
	cw.Flush()
	return cw.Error()
}
