package neo4jstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/orgraph/orgraph/internal/neo4jtest"
	"github.com/orgraph/orgraph/internal/org"
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
