package neo4jstore

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
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

// The warm-up rehearses a statement of a transaction only when it ran
// quickly last time: ran keeps the last call's duration of each, and
// ignores a statement never noted.
func TestWarmSetKeepsTheLastCall(t *testing.T) {
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 2))
		var w warmSet
		last := map[string]time.Duration{}
		for range 200 {
			q := fmt.Sprintf("q%d", r.IntN(8))
			d := time.Duration(1+r.IntN(500)) * time.Millisecond
			w.note(q, nil, true)
			w.ran(q, d)
			last[q] = d
		}
		w.ran("never noted", time.Millisecond)
		for _, c := range w.list() {
			if c.last != last[c.query] {
				t.Fatalf("seed %d: %s's last call %s, want %s", seed, c.query, c.last, last[c.query])
			}
		}
		if len(w.list()) != len(last) {
			t.Fatalf("seed %d: %d statements listed, want %d", seed, len(w.list()), len(last))
		}
	}
}
