package ordinance_test

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/orgraph/orgraph/internal/ordinance"
)

// mutate damages a text the ways extraction does, at random: a span cut
// out, a span repeated, a marker or furniture inserted, lines joined.
func mutate(text string, rng *rand.Rand) string {
	r := []rune(text)
	if len(r) < 10 {
		return text
	}
	for k := 0; k < 1+rng.Intn(4); k++ {
		i := rng.Intn(len(r))
		j := min(len(r), i+rng.Intn(200))
		bits := []string{"§ 3.", "§ 12. ", " 2) ", " a) ", " – ", "; ", " 1. ", "\n\n- 2 -\n", "Rozdział 2 ", "W skład Wydziału wchodzą: ", " kieruje ", " podlega ", "-\n", "\u2011", "XX-01", "(", ")", ":"}
		switch rng.Intn(4) {
		case 0:
			r = append(r[:i:i], r[j:]...)
		case 1:
			r = append(r[:j:j], append(append([]rune{}, r[i:j]...), r[j:]...)...)
		case 2:
			r = append(r[:i:i], append([]rune(bits[rng.Intn(len(bits))]), r[i:]...)...)
		case 3:
			r = []rune(strings.Replace(string(r), "\n", " ", 1+rng.Intn(40)))
		}
	}
	return string(r)
}

// TestDamagedActsNeverBreakTheParser parses randomly damaged copies of
// every act: each is refused or read into a valid graph, never a panic.
func TestDamagedActsNeverBreakTheParser(t *testing.T) {
	rng := rand.New(rand.NewSource(42))
	for name, text := range acts(t) {
		for k := 0; k < 6; k++ {
			damaged := mutate(text, rng)
			r, err := ordinance.Parse(name, damaged)
			if err != nil {
				continue
			}
			if _, err := r.Graph(); err != nil {
				t.Errorf("%s, damage %d: Graph: %v", name, k, err)
			}
		}
	}
}
