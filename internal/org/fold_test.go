package org

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// The table Fold takes for Latin text gives what normalisation gives, on
// any text: Polish, other Latin letters, combining marks written apart,
// other scripts, and bytes that are not UTF-8.
func TestFoldFastPath(t *testing.T) {
	pools := [][]rune{
		[]rune("abcxyzABCXYZ0129 -.,;:/()„”«»\t\n"),
		[]rune("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"),
		[]rune("àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿßÀÉÎÕÜİıĲĳŒœŠšŽžƒǅǆǈȘșȚț"),
		{0x0300, 0x0301, 0x0307, 0x0328, 0x0327}, // combining marks, apart
		[]rune("ΑΒΓάέήΩωЖжЁёЙй가각ᄀ\u1161ﬁ①ⅷ"),     // other scripts, Hangul jamo that compose
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		var b strings.Builder
		for range rng.IntN(24) {
			pool := pools[rng.IntN(len(pools))]
			if i%5 != 0 && rng.IntN(8) != 0 { // mostly Latin, as the acts are
				pool = pools[rng.IntN(3)]
			}
			b.WriteRune(pool[rng.IntN(len(pool))])
		}
		s := b.String()
		if i%97 == 0 {
			s += "\xff" // not UTF-8
		}
		if got, want := Fold(s), slowFold(s); got != want {
			t.Fatalf("Fold(%q) = %q, normalisation gives %q", s, got, want)
		}
	}
	for s, want := range map[string]string{
		"Współpraca": "wspolpraca", "ŁÓDŹ": "lodz", "Straße": "strasse", "e\u0301": "e", "": "",
	} {
		if got := Fold(s); got != want {
			t.Errorf("Fold(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Współpraca z Rzecznikiem", "e\u0301", "가", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Fold(s), slowFold(s); got != want {
			t.Fatalf("Fold(%q) = %q, normalisation gives %q", s, got, want)
		}
	})
}
