package neo4jstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/orgraph/orgraph/internal/neo4jstore"
	"github.com/orgraph/orgraph/internal/neo4jtest"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
)

// Neo4j holds an id constraint for every relation kind, and a load writes a
// relation of every kind as a relationship of that type.
func TestNeo4jSchemaCoversEveryRelationKind(t *testing.T) {
	driver := neo4jtest.Connect(t)
	ctx := context.Background()
	neo := mustOpenEmpty(t, driver)
	src := org.Provenance{Document: "K/1", Provision: "§ 1", Basis: org.Stated}
	g := &org.Graph{
		Documents: []org.Document{{ID: "K/1", Title: "every kind"}},
		Nodes: []org.Node{
			{ID: "p", Kind: org.KindPosition, Name: "p", Seq: 1, Source: src},
			{ID: "u", Kind: org.KindUnit, Name: "u", Seq: 2, Source: src},
		},
	}
	for i, k := range org.RelationKinds {
		r := org.Relation{ID: fmt.Sprintf("r%d", i), Kind: k, From: "p", To: "u", Seq: i, Source: src}
		if k == org.CooperatesWith {
			r.Strength = org.Plain
		}
		g.Relations = append(g.Relations, r)
	}
	if err := neo.Load(ctx, g); err != nil {
		t.Fatal(err)
	}

	res, err := neo4j.ExecuteQuery(ctx, driver, `
SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties
WHERE type = 'RELATIONSHIP_UNIQUENESS'
RETURN name, labelsOrTypes[0] AS relType, properties`, nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	constraints := map[string]string{}
	for _, rec := range res.Records {
		name, _ := rec.Get("name")
		typ, _ := rec.Get("relType")
		props, _ := rec.Get("properties")
		constraints[fmt.Sprint(typ)] = fmt.Sprintf("%v on %v", name, props)
	}
	for _, k := range org.RelationKinds {
		if got, want := constraints[string(k)], strings.ToLower(string(k))+"_id on [id]"; got != want {
			t.Errorf("constraint on %s: got %q, want %q", k, got, want)
		}
		res, err := neo4j.ExecuteQuery(ctx, driver, `MATCH (:Node {id: 'p'})-[r]->(:Node {id: 'u'}) WHERE type(r) = $kind RETURN collect(r.id)`,
			map[string]any{"kind": string(k)}, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(res.Records[0].Values[0]); got != fmt.Sprintf("[r%d]", slices.Index(org.RelationKinds, k)) {
			t.Errorf("relationships of type %s: got %s, want [r%d]", k, got, slices.Index(org.RelationKinds, k))
		}
	}
}

// planOf loads a generated organisation into an emptied Neo4j, waits for
// its indexes, and returns the operators of the plan q ran with params,
// each with its details. PROFILE, not EXPLAIN: the driver (v5.28) gives
// every child of an explained plan as its last one.
func planOf(t *testing.T, q string, params map[string]any) []string {
	t.Helper()
	driver := neo4jtest.Connect(t)
	ctx := context.Background()
	neo := mustOpenEmpty(t, driver)
	if err := neo.Load(ctx, orggen.Generate(3, 300)); err != nil {
		t.Fatal(err)
	}
	if _, err := neo4j.ExecuteQuery(ctx, driver, `CALL db.awaitIndexes(60)`, nil, neo4j.EagerResultTransformer); err != nil {
		t.Fatal(err)
	}
	res, err := neo4j.ExecuteQuery(ctx, driver, "PROFILE "+q, params, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	var walk func(p neo4j.ProfiledPlan)
	walk = func(p neo4j.ProfiledPlan) {
		ops = append(ops, fmt.Sprintf("%s %v", p.Operator(), p.Arguments()["Details"]))
		for _, c := range p.Children() {
			walk(c)
		}
	}
	walk(res.Summary.Profile())
	return ops
}

// hasOp reports whether ops holds an operator named op whose details hold
// detail.
func hasOp(ops []string, op, detail string) bool {
	return slices.ContainsFunc(ops, func(o string) bool { return strings.HasPrefix(o, op) && strings.Contains(o, detail) })
}

// A search finds its candidates through the text indexes on the folded
// words of nodes and of duties, never by reading every one: the plan of
// each search statement seeks both indexes and scans no label.
// (Its stems are matched exactly all the same: the contract suite says so.)
func TestNeo4jSearchSeeksTheTextIndexes(t *testing.T) {
	terms := org.Terms("wspolpraca z dyrektorem")
	params := map[string]any{"terms": terms, "needle": neo4jstore.Needle(terms), "limit": 20,
		"first": 20, "rank": -1, "seq": -1, "id": ""}
	for name, q := range neo4jstore.SearchQueries {
		ops := planOf(t, q, params)
		for _, want := range []string{"n:Node(folded)", "d:Duty(folded)"} {
			if !hasOp(ops, "NodeIndexContainsScan", want) {
				t.Errorf("%s: no text index seek on %s in the plan:\n%s", name, want, strings.Join(ops, "\n"))
			}
		}
		if hasOp(ops, "NodeByLabelScan", "") || hasOp(ops, "AllNodesScan", "") {
			t.Errorf("%s: the plan scans a label:\n%s", name, strings.Join(ops, "\n"))
		}
	}
}

// A search's window reads the first nodes and duties in hit order from the
// seq indexes, and sorts only within equal seqs (PartialTop), never every
// node or duty.
func TestNeo4jSearchWindowReadsInOrder(t *testing.T) {
	terms := org.Terms("wspolpraca")
	ops := planOf(t, neo4jstore.WindowSearchQuery,
		map[string]any{"terms": terms, "needle": neo4jstore.Needle(terms), "limit": 20, "window": 100})
	for _, want := range []string{"RANGE INDEX n:Node(seq)", "RANGE INDEX d:Duty(seq)"} {
		if !hasOp(ops, "NodeIndexScan", want) {
			t.Errorf("no ordered scan of %s in the plan:\n%s", want, strings.Join(ops, "\n"))
		}
	}
	for _, op := range []string{"Sort", "Top", "NodeByLabelScan"} {
		if hasOp(ops, op, "") {
			t.Errorf("the window's plan has a %s:\n%s", op, strings.Join(ops, "\n"))
		}
	}
}

// The needle is the longest term, after a space.
func TestNeedleIsTheLongestTerm(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		{"dyrektor", " dyrektor"},
		{"z wydzialem ks", " wydzialem"},
		{"ab cd", " ab"},
	} {
		if got := neo4jstore.Needle(org.Terms(tc.q)); got != tc.want {
			t.Errorf("Needle(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}
