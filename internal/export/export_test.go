package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"

	"github.com/orgraph/orgraph/internal/export"
	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
	"github.com/orgraph/orgraph/internal/storetest"
)

func mustService(tb testing.TB) *org.Service {
	tb.Helper()
	s := memstore.New()
	if err := s.Load(context.Background(), storetest.MustSeed(tb)); err != nil {
		tb.Fatal(err)
	}
	return &org.Service{Store: s, Overlay: memstore.Overlay}
}

func mustDoc(tb testing.TB, svc *org.Service, opt export.Options) *export.Doc {
	tb.Helper()
	d, err := export.Build(storetest.Owner, svc, opt)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func mustExport(tb testing.TB, svc *org.Service, format string, opt export.Options) []byte {
	tb.Helper()
	d := mustDoc(tb, svc, opt)
	var b bytes.Buffer
	if err := export.Write(&b, format, d, opt); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// The seed's chart with containers: 16 boxes (KS and the Departament
// among them), 15 tree edges, 21 pairs cooperating and 35 tasking.
const (
	seedNodes     = 16
	seedTreeEdges = 15
	seedCoop      = 21
	seedTasking   = 35
)

// mustScenario makes a scenario that moves KS-07 under the Deputy Director
// for Promotion, removes the post of Deputy Director for City Media (which
// cuts off KS-03) and creates a unit under the Director.
func mustScenario(tb testing.TB, svc *org.Service) string {
	tb.Helper()
	ctx := storetest.Owner
	sc, err := svc.CreateScenario(ctx, "Reorganizacja KS", "")
	if err != nil {
		tb.Fatal(err)
	}
	for _, c := range []org.Change{
		{Kind: org.ChangeMove, Node: "KS-07", Under: "zastepca-dyrektora-ds-promocji"},
		{Kind: org.ChangeRemove, Node: "zastepca-dyrektora-ds-mediow-miejskich"},
		{Kind: org.ChangeCreate, NewNode: "KS-08", Name: "Referat Nowy", NodeKind: org.KindUnit, Code: "KS-08", Under: "dyrektor-wydzialu", PartOf: "KS"},
	} {
		if _, err := svc.AddChange(ctx, sc.ID, c); err != nil {
			tb.Fatalf("%s: %v", c.Kind, err)
		}
	}
	return sc.ID
}

func TestCytoscapeJSON(t *testing.T) {
	var doc struct {
		Elements struct {
			Nodes []struct {
				Data    map[string]any `json:"data"`
				Classes string         `json:"classes"`
			} `json:"nodes"`
			Edges []struct {
				Data map[string]any `json:"data"`
			} `json:"edges"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(mustExport(t, mustService(t), "cyjs", export.Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, n := range doc.Elements.Nodes {
		ids[n.Data["id"].(string)] = true
	}
	if len(ids) != seedNodes {
		t.Errorf("%d nodes, want %d", len(ids), seedNodes)
	}
	for _, n := range doc.Elements.Nodes {
		if p, ok := n.Data["parent"].(string); ok && !ids[p] {
			t.Errorf("%v: compound parent %q is no node", n.Data["id"], p)
		}
	}
	if p := doc.Elements.Nodes[slices.IndexFunc(doc.Elements.Nodes, func(n struct {
		Data    map[string]any `json:"data"`
		Classes string         `json:"classes"`
	}) bool {
		return n.Data["id"] == "KS-07"
	})].Data["parent"]; p != "KS" {
		t.Errorf("KS-07's compound parent %v, want KS", p)
	}
	kinds := map[string]int{}
	for _, e := range doc.Elements.Edges {
		kinds[e.Data["kind"].(string)]++
		if !ids[e.Data["source"].(string)] || !ids[e.Data["target"].(string)] {
			t.Errorf("edge %v: source or target is no node", e.Data["id"])
		}
	}
	if kinds["COOPERATES_WITH"] != seedCoop || kinds["MAY_TASK"] != seedTasking || kinds["REPORTS_TO"]+kinds["HEADS"] != seedTreeEdges {
		t.Errorf("edges by kind %v, want %d cooperation, %d tasking, %d tree", kinds, seedCoop, seedTasking, seedTreeEdges)
	}
}

func TestGraphML(t *testing.T) {
	var g struct {
		Keys []struct {
			ID  string `xml:"id,attr"`
			For string `xml:"for,attr"`
		} `xml:"key"`
		Graph struct {
			Nodes []struct {
				ID   string `xml:"id,attr"`
				Data []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"node"`
			Edges []struct {
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
				Data   []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"edge"`
		} `xml:"graph"`
	}
	out := mustExport(t, mustService(t), "graphml", export.Options{})
	if err := xml.Unmarshal(out, &g); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, k := range g.Keys {
		keys[k.ID] = true
	}
	ids := map[string]bool{}
	for _, n := range g.Graph.Nodes {
		ids[n.ID] = true
		for _, d := range n.Data {
			if !keys[d.Key] {
				t.Errorf("node %s: data key %q is not declared", n.ID, d.Key)
			}
			if d.Key == "n_name" && n.ID == "KS-07" && d.Value != "Referat ds. Wydawnictw i Publikacji" {
				t.Errorf("KS-07's name %q", d.Value)
			}
		}
	}
	if len(ids) != seedNodes || len(g.Graph.Edges) != seedTreeEdges+seedCoop+seedTasking {
		t.Errorf("%d nodes, %d edges; want %d, %d", len(ids), len(g.Graph.Edges), seedNodes, seedTreeEdges+seedCoop+seedTasking)
	}
	for _, e := range g.Graph.Edges {
		if !ids[e.Source] || !ids[e.Target] {
			t.Errorf("edge %s → %s: an end is no node", e.Source, e.Target)
		}
	}
}

func TestCSV(t *testing.T) {
	svc := mustService(t)
	nodes, err := csv.NewReader(bytes.NewReader(mustExport(t, svc, "csv", export.Options{}))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(nodes) != seedNodes+1 || nodes[0][0] != "Id" || nodes[0][1] != "Label" {
		t.Fatalf("nodes: %d rows, header %v", len(nodes), nodes[0])
	}
	ids := map[string]bool{}
	for _, r := range nodes[1:] {
		ids[r[0]] = true
	}
	opt := export.Options{Table: "edges", Kinds: []org.RelationKind{org.CooperatesWith}, Strength: org.Plain}
	edges, err := csv.NewReader(bytes.NewReader(mustExport(t, svc, "csv", opt))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The tree, and the six plain cooperations (KS-01 on the budget, § 4 pkt 3).
	if len(edges) != 1+seedTreeEdges+6 || !slices.Equal(edges[0][:4], []string{"Id", "Source", "Target", "Type"}) {
		t.Fatalf("edges: %d rows, header %v", len(edges), edges[0])
	}
	for _, r := range edges[1:] {
		if !ids[r[1]] || !ids[r[2]] {
			t.Errorf("edge %s: an end is no node", r[0])
		}
		if r[5] == "COOPERATES_WITH" && (r[3] != "Undirected" || !strings.Contains(r[8], "§ 4 pkt 3")) {
			t.Errorf("cooperation %v: want Undirected, § 4 pkt 3", r)
		}
	}
}

func TestJSONLD(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(mustExport(t, mustService(t), "json", export.Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	proc := ld.NewJsonLdProcessor()
	expanded, err := proc.Expand(doc, ld.NewJsonLdOptions(""))
	if err != nil {
		t.Fatalf("JSON-LD expansion: %v", err)
	}
	const orgNS = "http://www.w3.org/ns/org#"
	byID := map[string]map[string]any{}
	for _, o := range expanded {
		m := o.(map[string]any)
		byID[m["@id"].(string)] = m
	}
	ref := func(m map[string]any, prop string) []string {
		var out []string
		for _, v := range asSlice(m[prop]) {
			out = append(out, v.(map[string]any)["@id"].(string))
		}
		return out
	}
	ks07 := byID[export.NodeIRI("KS-07")]
	if ks07 == nil {
		t.Fatalf("no %s in the expanded graph", export.NodeIRI("KS-07"))
	}
	if !slices.Contains(asStrings(ks07["@type"]), orgNS+"OrganizationalUnit") {
		t.Errorf("KS-07 @type %v, want org:OrganizationalUnit", ks07["@type"])
	}
	if got := ref(ks07, orgNS+"reportsTo"); !slices.Equal(got, []string{export.NodeIRI("zastepca-dyrektora-ds-mediow-miejskich")}) {
		t.Errorf("KS-07 org:reportsTo %v", got)
	}
	if got := ref(ks07, orgNS+"unitOf"); !slices.Equal(got, []string{export.NodeIRI("KS")}) {
		t.Errorf("KS-07 org:unitOf %v", got)
	}
	name := asSlice(ks07["http://www.w3.org/2004/02/skos/core#prefLabel"])
	if len(name) != 1 || name[0].(map[string]any)["@language"] != "pl" {
		t.Errorf("KS-07 skos:prefLabel %v, want one in Polish", name)
	}
	if !slices.Contains(asStrings(byID[export.NodeIRI("zastepca-dyrektora-ds-promocji")]["@type"]), orgNS+"Post") {
		t.Errorf("the Deputy Director for Promotion is no org:Post")
	}
	if !slices.Contains(asStrings(byID[export.NodeIRI("departament")]["@type"]), orgNS+"Organization") {
		t.Errorf("the Departament, part of nothing in the chart, is no org:Organization")
	}
	relations := 0
	for _, o := range byID {
		if slices.Contains(asStrings(o["@type"]), export.Namespace+"Relation") {
			relations++
		}
	}
	// 94 cooperation and tasking declarations and the 15 tree relations, each with its provision.
	if relations != 42+52+seedTreeEdges {
		t.Errorf("%d relations, want %d", relations, 42+52+seedTreeEdges)
	}
}

// TestDOT runs Graphviz on the export: it must parse and lay out.
func TestDOT(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Fatal("Graphviz's dot is needed to check the DOT export: apt-get install graphviz (.ci/run installs it)")
	}
	svc := mustService(t)
	for _, opt := range []export.Options{{}, {Scenario: mustScenario(t, svc)}} {
		cmd := exec.Command(dot, "-Tsvg")
		cmd.Stdin = bytes.NewReader(mustExport(t, svc, "dot", opt))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || stderr.Len() > 0 {
			t.Fatalf("dot: %v: %s", err, stderr.String())
		}
		if !bytes.Contains(out, []byte("<svg")) || !bytes.Contains(out, []byte("Referat ds. Wydawnictw i Publikacji")) {
			t.Errorf("dot's SVG lacks the chart: %.300s", out)
		}
	}
}

func TestMermaid(t *testing.T) {
	out := string(mustExport(t, mustService(t), "mmd", export.Options{Root: "dyrektor-wydzialu", Depth: 1}))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !slices.Contains(lines, "flowchart TB") {
		t.Fatalf("no flowchart header:\n%s", out)
	}
	boxes, arrows, depth := 0, 0, 0
	var inKS []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		switch {
		case strings.Contains(l, "-->") || strings.Contains(l, "-.->") || strings.Contains(l, "-.-"):
			arrows++
		case strings.HasPrefix(l, "subgraph "):
			depth++
			if !strings.Contains(l, `"Wydział Komunikacji Społecznej"`) {
				t.Errorf("a subgraph other than the department's: %s", l)
			}
		case l == "end":
			depth--
		case strings.HasPrefix(l, "n") && strings.Contains(l, `"`):
			boxes++
			if depth > 0 {
				inKS = append(inKS, l[strings.Index(l, `"`)+1:strings.LastIndex(l, `"`)])
			}
		}
	}
	// The Director and, inside the department's subgraph, KS-01, KS-02 and
	// the two deputies; 5 tree edges, 1 cooperation, 6 tasking.
	wantInKS := []string{"KS-01 Referat ds. Organizacyjnych", "KS-02 Biuro Prasowe", "Zastępca Dyrektora ds. Mediów Miejskich", "Zastępca Dyrektora ds. Promocji"}
	if boxes != 5 || arrows != 5+1+6 || depth != 0 || !slices.Equal(inKS, wantInKS) {
		t.Errorf("%d boxes, %d arrows, %v in the department, depth %d at the end; want 5, 12, %v, 0:\n%s", boxes, arrows, inKS, depth, wantInKS, out)
	}
}

// With a scenario, every format marks what it adds, removes, moves and cuts off.
func TestScenarioMarks(t *testing.T) {
	svc := mustService(t)
	opt := export.Options{Scenario: mustScenario(t, svc)}
	var cy struct {
		Elements struct {
			Nodes []struct {
				Data map[string]any `json:"data"`
			} `json:"nodes"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(mustExport(t, svc, "cyjs", opt), &cy); err != nil {
		t.Fatal(err)
	}
	change := map[string]string{}
	for _, n := range cy.Elements.Nodes {
		if c, ok := n.Data["change"].(string); ok {
			change[n.Data["id"].(string)] = c
		}
	}
	want := map[string]string{
		"KS-07": "moved", "KS-08": "added", "zastepca-dyrektora-ds-mediow-miejskich": "removed", "KS-03": "cut-off",
	}
	for id, w := range want {
		if !strings.Contains(change[id], w) {
			t.Errorf("cyjs: %s marked %q, want %q (all: %v)", id, change[id], w, change)
		}
	}
	for _, f := range []string{"dot", "mmd", "graphml", "csv", "json"} {
		out := string(mustExport(t, svc, f, opt))
		for _, m := range []string{"moved", "added", "removed", "cut"} {
			if !strings.Contains(out, m) {
				t.Errorf("%s: no %q mark", f, m)
			}
		}
	}
}

func TestOptionsRefused(t *testing.T) {
	for _, q := range []map[string]string{{"depth": "-1"}, {"depth": "x"}, {"kinds": "FRIENDS"}, {"strength": "WEAK"}, {"table": "rows"}} {
		if _, err := export.ParseOptions(func(k string) string { return q[k] }); org.ErrorCode(err) != org.EINVALID {
			t.Errorf("%v: %v, want invalid", q, err)
		}
	}
	if _, err := export.Build(context.Background(), mustService(t), export.Options{Root: "KS-99"}); org.ErrorCode(err) != org.ENOTFOUND {
		t.Errorf("an unknown root: %v, want not found", err)
	}
}

func asSlice(v any) []any {
	l, _ := v.([]any)
	return l
}

func asStrings(v any) []string {
	var out []string
	for _, x := range asSlice(v) {
		out = append(out, x.(string))
	}
	return out
}

// On generated organisations, the Mermaid export declares every node once,
// each inside the subgraph of its container and of no other, with every
// subgraph closed.
func TestMermaidNestingOnGeneratedOrganisations(t *testing.T) {
	for seed := range int64(4) {
		s := memstore.New()
		g := orggen.Generate(seed, 120)
		if err := s.Load(context.Background(), g); err != nil {
			t.Fatal(err)
		}
		svc := &org.Service{Store: s, Overlay: memstore.Overlay}
		// From the generator's first post, which reports to no one: the
		// chart without a root finds none in a generated organisation.
		opt := export.Options{Root: firstPost(g)}
		d := mustDoc(t, svc, opt)
		containers, byID := 0, map[string]export.Node{}
		for i, n := range d.Nodes {
			byID["n"+strconv.Itoa(i)] = n
			if n.IsContainer {
				containers++
			}
		}
		if containers == 0 {
			t.Fatalf("seed %d: a generated organisation without containers tests nothing", seed)
		}
		var open []string
		declared := map[string]int{}
		for _, l := range strings.Split(string(mustExport(t, svc, "mmd", opt)), "\n") {
			l = strings.TrimSpace(l)
			if l == "end" {
				open = open[:len(open)-1]
				continue
			}
			f := strings.Fields(l)
			var id string
			switch {
			case len(f) >= 2 && f[0] == "subgraph":
				id = f[1]
			case len(f) >= 2 && strings.HasPrefix(f[1], "-"): // an edge
				continue
			case len(f) >= 1 && strings.HasPrefix(l, "n") && strings.ContainsAny(l, "[("):
				id = l[:strings.IndexAny(l, "[(")]
			default:
				continue
			}
			declared[id]++
			n, ok := byID[id]
			if !ok {
				t.Fatalf("seed %d: %s declared, not a node of the chart", seed, id)
			}
			inner := ""
			if len(open) > 0 {
				inner = byID[open[len(open)-1]].Node.ID
			}
			if inner != n.Container {
				t.Errorf("seed %d: %s declared inside %q, its container is %q", seed, n.Node.ID, inner, n.Container)
			}
			if f[0] == "subgraph" {
				open = append(open, id)
			}
		}
		if len(open) != 0 || len(declared) != len(d.Nodes) {
			t.Errorf("seed %d: %d subgraphs left open, %d of %d nodes declared", seed, len(open), len(declared), len(d.Nodes))
		}
		for id, k := range declared {
			if k != 1 {
				t.Errorf("seed %d: %s declared %d times", seed, id, k)
			}
		}
	}
}

// firstPost returns the first position of g that reports to no one.
func firstPost(g *org.Graph) string {
	reports := map[string]bool{}
	for _, r := range g.Relations {
		if r.Kind == org.ReportsTo {
			reports[r.From] = true
		}
	}
	first := ""
	for _, n := range g.Nodes {
		if n.Kind == org.KindPosition && !reports[n.ID] && (first == "" || n.ID < first) {
			first = n.ID
		}
	}
	return first
}
