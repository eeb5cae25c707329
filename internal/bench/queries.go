// Package bench measures orgraph against its floors: the same questions
// asked of the GraphQL API over the embedded and the Neo4j store, as one
// hand-written Cypher statement through the Go driver (the database floor),
// and as a bare HTTP handler that writes the same bytes (the HTTP floor).
//
// The load runs over real HTTP on loopback with keep-alive clients; every
// answer is checked, and no figure is a pass or fail of a test: speeds are
// reported, never asserted.
package bench

import (
	"embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

//go:embed queries/*.graphql
var queryFiles embed.FS

// Query is one GraphQL question the bench asks.
type Query struct {
	Name string // "Q1"
	File string // "q1-chain.graphql"
	Text string
}

// Reference returns the three reference queries, Q1 to Q3.
func Reference() []Query {
	files := []struct{ name, file string }{
		{"Q1", "q1-chain.graphql"},
		{"Q2", "q2-cooperation.graphql"},
		{"Q3", "q3-units-nested.graphql"},
	}
	out := make([]Query, len(files))
	for i, f := range files {
		b, err := queryFiles.ReadFile("queries/" + f.file)
		if err != nil {
			panic(err) // embedded at build time
		}
		out[i] = Query{Name: f.name, File: f.file, Text: string(b)}
	}
	return out
}

// ChainFrom returns Q1 asked from another node: the scale case.
func ChainFrom(ref string) Query {
	q1 := Reference()[0]
	text := strings.Replace(q1.Text, `"KS-07"`, strconv.Quote(ref), 1)
	return Query{Name: "chain@" + ref, File: q1.File, Text: text}
}

// Body is the POST /query request body for a query.
func Body(q Query) []byte {
	b, err := json.Marshal(map[string]string{"query": q.Text})
	if err != nil {
		panic(fmt.Sprintf("bench: marshal query: %v", err))
	}
	return b
}
