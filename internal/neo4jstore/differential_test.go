package neo4jstore_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/batch"
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
			c := comparer{t: t, mem: mem, neo: neo, batched: batch.New(neo, 0)}
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

			// The reads a question and its nested fields make: chains of
			// many nodes at once, and lists with their neighbourhoods, then
			// the same nodes again through what the batching store keeps.
			c.chains(org.NodeFilter{IDs: sample})
			c.chains(org.NodeFilter{Kinds: []org.NodeKind{org.KindPosition}})
			c.chains(org.NodeFilter{IDs: sample, Kinds: []org.NodeKind{org.KindUnit}})
			everyKind := org.Around{Duties: true, Relations: true}
			reporting := org.Around{Duties: true, Relations: true, Kinds: []org.RelationKind{org.ReportsTo, org.CooperatesWith}}
			c.neighbourhood(org.NodeFilter{Kinds: []org.NodeKind{org.KindUnit}}, reporting)
			c.neighbourhood(org.NodeFilter{IDs: sample[:10]}, everyKind)
			c.neighbourhood(org.NodeFilter{IDs: sample[10:20]}, org.Around{Relations: true, Kinds: []org.RelationKind{org.MayTask}})
			c.neighbourhood(org.NodeFilter{IDs: sample[20:30]}, org.Around{Duties: true})
			c.neighbourhood(org.NodeFilter{IDs: sample}, reporting)
			for _, id := range sample[:10] {
				c.relations(org.RelationFilter{From: []string{id}})
				c.relations(org.RelationFilter{To: []string{id}, Kinds: []org.RelationKind{org.ReportsTo}})
			}
			for _, n := range g.Nodes[:40] {
				for _, ref := range []string{n.ID, n.Code, strings.ToLower(n.Code), "no such " + n.ID} {
					if ref != "" {
						c.chains(org.NodeFilter{Ref: ref})
						c.neighbourhood(org.NodeFilter{Ref: ref}, org.Around{Relations: true, Kinds: []org.RelationKind{org.CooperatesWith}})
					}
				}
			}
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
