package neo4jstore_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
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
// identical, order included. An organisation of 2,000 units; with
// ORGRAPH_DIFFERENTIAL_UNITS=N, another of N units (make test runs it at
// 20,000 too, outside the race detector: scripts/test.sh).
func TestNeo4jDifferential(t *testing.T) {
	driver := neo4jtest.Connect(t)
	units, seeds := 2000, []int64{1}
	if v := os.Getenv("ORGRAPH_DIFFERENTIAL_UNITS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 100 {
			t.Fatalf("ORGRAPH_DIFFERENTIAL_UNITS=%s: want a number of units from 100", v)
		}
		units, seeds = n, []int64{2}
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("%d units, seed %d", units, seed), func(t *testing.T) {
			g := orggen.Generate(seed, units)
			if len(g.Relations) < 10*units {
				t.Fatalf("the generated graph has %d relations, want at least %d", len(g.Relations), 10*units)
			}
			mem, neo := mustLoadBoth(t, driver, g)
			c := comparer{t: t, mem: mem, neo: neo, batched: batch.New(neo, 0)}
			rnd := rand.New(rand.NewPCG(uint64(seed), 1))
			pick := func() string { return g.Nodes[rnd.IntN(len(g.Nodes))].ID }
			start := time.Now()
			phase := func(what string) { t.Logf("%s by %s", what, time.Since(start).Round(time.Millisecond)) }

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
			phase("chains, subordinates and relations of the sample")

			// The reads a question and its nested fields make: chains of
			// many nodes at once, and lists with their neighbourhoods, then
			// the same nodes again through what the batching store keeps.
			c.chains(org.NodeFilter{IDs: sample})
			// Questions of every unit or position at once are asked up to
			// 5,000 units: at 20,000 they take a minute and find nothing
			// the samples do not.
			whole := units <= 5000
			if whole {
				c.chains(org.NodeFilter{Kinds: []org.NodeKind{org.KindPosition}})
			}
			c.chains(org.NodeFilter{IDs: sample, Kinds: []org.NodeKind{org.KindUnit}})
			everyKind := org.Around{Duties: true, Relations: true}
			reporting := org.Around{Duties: true, Relations: true, Kinds: []org.RelationKind{org.ReportsTo, org.CooperatesWith}}
			if whole {
				c.neighbourhood(org.NodeFilter{Kinds: []org.NodeKind{org.KindUnit}}, reporting)
			}
			c.neighbourhood(org.NodeFilter{IDs: sample[:10]}, everyKind)
			c.neighbourhood(org.NodeFilter{IDs: sample[10:20]}, org.Around{Relations: true, Kinds: []org.RelationKind{org.MayTask}})
			c.neighbourhood(org.NodeFilter{IDs: sample[20:30]}, org.Around{Duties: true})
			c.neighbourhood(org.NodeFilter{IDs: sample}, reporting)
			phase("chains and neighbourhoods of many nodes")
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
			phase("references and duties")

			// Over reporting lines only most pairs are in different trees,
			// or one end is an entity: both stores must say not found.
			unreachable := 0
			for i := range 50 {
				from, to := pick(), pick()
				if i%2 == 0 {
					// Up its own line too: in a large forest two nodes
					// picked at random are almost never in one tree.
					if ps, err := mem.ChainsOfCommand(t.Context(), org.ByID(from)); err == nil && len(ps) == 1 && len(ps[0].Nodes) > 1 {
						to = ps[0].Nodes[len(ps[0].Nodes)-1].ID
					}
				}
				c.path(from, to, nil)
				c.path(from, to, []org.RelationKind{org.ReportsTo})
				if _, err := mem.ShortestPath(t.Context(), from, to, []org.RelationKind{org.ReportsTo}); org.ErrorCode(err) == org.ENOTFOUND {
					unreachable++
				}
			}
			if unreachable == 0 || unreachable == 50 {
				t.Errorf("%d of 50 pairs are unconnected by reporting lines; the sample tests too little", unreachable)
			}

			phase("paths")
			// A search finds its candidates in the text indexes by its
			// longest term; the rest are matched on what they return.
			n := 60
			if !whole {
				n = 12
			}
			for _, q := range searches(rnd, n) {
				c.search(q, 0)
				c.search(q, 10)
			}
			t.Logf("compared the answers in %s", time.Since(start).Round(time.Millisecond))
		})
	}
}

// searches returns n queries from the generator's vocabulary: whole words,
// word starts (of three to five letters, and of one or two, shorter than
// the text indexes' trigrams), words without their diacritics or in
// capitals, pairs of words, and a word no text holds.
func searches(rnd *rand.Rand, n int) []string {
	word := func() string { return orggen.Vocabulary[rnd.IntN(len(orggen.Vocabulary))] }
	out := []string{"niczego"}
	for len(out) < n {
		w := word()
		switch len(out) % 6 {
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
		case 5:
			short := func(w string) string { return string([]rune(w)[:min(len([]rune(w)), 1+rnd.IntN(2))]) }
			if len(out)%12 == 5 {
				out = append(out, short(w)+" "+word())
			} else {
				out = append(out, short(w)+" "+short(word()))
			}
		}
	}
	return out
}
