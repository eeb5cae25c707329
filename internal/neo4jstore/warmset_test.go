package neo4jstore

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// The warm-up plans what the requests send most before the rest: list
// orders the statements by how often they were sent, most first, and by
// when they were first sent among equals, whatever the order of the sends.
func TestWarmSetListsTheMostSentFirst(t *testing.T) {
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 1))
		var w warmSet
		counts := map[string]int{}
		var first []string
		for range 200 {
			q := fmt.Sprintf("q%d", r.IntN(12))
			if counts[q] == 0 {
				first = append(first, q)
			}
			counts[q]++
			w.note(q, map[string]any{"ids": []any{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}, false)
		}
		got := w.list()
		if len(got) != len(counts) {
			t.Fatalf("seed %d: %d statements listed, %d sent", seed, len(got), len(counts))
		}
		for i := 1; i < len(got); i++ {
			a, b := got[i-1].query, got[i].query
			if counts[a] < counts[b] || (counts[a] == counts[b] && slices.Index(first, a) > slices.Index(first, b)) {
				t.Fatalf("seed %d: %s (sent %d) listed before %s (sent %d)", seed, a, counts[a], b, counts[b])
			}
			if n := len(got[i].params["ids"].([]any)); n != warmLimit {
				t.Fatalf("seed %d: a list parameter of %d elements kept, want %d", seed, n, warmLimit)
			}
		}
	}
}
