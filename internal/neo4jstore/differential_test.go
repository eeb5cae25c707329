package neo4jstore_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/neo4jtest"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
)

// TestNeo4jDifferential loads large generated organisations into memstore
// and Neo4j and asks both the same sample of questions: the answers must be
// identical, order included.
func TestNeo4jDifferential(t *testing.T) {
	driver := neo4jtest.Connect(t)
	for _, seed := range []int64{1, 2} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			g := orggen.Generate(seed, 2000)
			if len(g.Relations) < 20000 {
				t.Fatalf("the generated graph has %d relations, want at least 20000", len(g.Relations))
			}
			mem, neo := mustLoadBoth(t, driver, g)
			c := comparer{t: t, mem: mem, neo: neo}
			rnd := rand.New(rand.NewPCG(uint64(seed), 1))
			pick := func() string { return g.Nodes[rnd.IntN(len(g.Nodes))].ID }
			start := time.Now()

			// The first nodes head the largest trees: their spans are the
			// deepest walks.
			sample := []string{g.Nodes[0].ID, g.Nodes[1].ID}
			for len(sample) < 50 {
				sample = append(sample, pick())
			}
			for _, id := range sample {
				c.chain(id)
				c.subordinates(id, 0)
				c.subordinates(id, 2)
				c.relations(org.RelationFilter{From: []string{id}, Kinds: []org.RelationKind{org.CooperatesWith}})
				c.relations(org.RelationFilter{To: []string{id}, Kinds: []org.RelationKind{org.CooperatesWith}})
			}
			c.relations(org.RelationFilter{From: sample[:25], To: sample[25:]})
			c.duties(org.DutyFilter{Units: sample})

			// Over reporting lines only most pairs are in different trees,
			// or one end is an entity: both stores must say not found.
			unreachable := 0
			for range 50 {
				from, to := pick(), pick()
				c.path(from, to, nil)
				c.path(from, to, []org.RelationKind{org.ReportsTo})
				if _, err := mem.ShortestPath(t.Context(), from, to, []org.RelationKind{org.ReportsTo}); org.ErrorCode(err) == org.ENOTFOUND {
					unreachable++
				}
			}
			if unreachable == 0 || unreachable == 50 {
				t.Errorf("%d of 50 pairs are unconnected by reporting lines; the sample tests too little", unreachable)
			}

			for _, q := range searches(rnd, 30) {
				c.search(q, 0)
				c.search(q, 10)
			}
			t.Logf("compared the answers in %s", time.Since(start).Round(time.Millisecond))
		})
	}
}

// searches returns n queries from the generator's vocabulary: whole words,
// word starts, words without their diacritics or in capitals, pairs of
// words, and a word no text holds.
func searches(rnd *rand.Rand, n int) []string {
	word := func() string { return orggen.Vocabulary[rnd.IntN(len(orggen.Vocabulary))] }
	out := []string{"niczego"}
	for len(out) < n {
		w := word()
		switch len(out) % 5 {
		case 0:
			out = append(out, w)
		case 1:
			r := []rune(w)
			out = append(out, string(r[:min(len(r), 3+rnd.IntN(3))]))
		case 2:
			out = append(out, org.Fold(w))
		case 3:
			out = append(out, strings.ToUpper(w))
		case 4:
			out = append(out, w+" "+word())
		}
	}
	return out
}
