package ordinance_test

import (
	"encoding/json"
	"fmt"
	"html"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/orgraph/orgraph/internal/ordinance"
	"github.com/orgraph/orgraph/seed"
)

// acts returns the text of the seed and of every fixture, those of
// testdata/history among them, by name.
func acts(t testing.TB) map[string]string {
	t.Helper()
	out := map[string]string{}
	text, err := seed.Text(seedText)
	if err != nil {
		t.Fatal(err)
	}
	out[seedText] = text
	names, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	history, err := filepath.Glob(filepath.Join("testdata", "history", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	names = append(names, history...)
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(name)] = string(b)
	}
	return out
}

// graphOf is what an act states, without the warnings (which name lines):
// the document, units, positions, entities, relations and duties.
func graphOf(t *testing.T, f seed.File) string {
	t.Helper()
	f.Repairs = nil
	b, err := json.MarshalIndent(f, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// oneLine joins every line of a text into one, as a copy from a web page
// or a PDF viewer gives it: page numbers, repeated headers and footer
// addresses end up inside the text.
func oneLine(text string) string { return strings.Join(strings.Fields(text), " ") }

// rewrap wraps a text at width, breaking only between words, and inserts
// page-break noise at random line ends: blank runs, a page number, the
// act's heading repeated, a footer address.
// With hyphenate, a long word of small letters that does not fit is
// broken with a hyphen, as typesetting does.
func rewrap(text, act string, width int, rng *rand.Rand, hyphenate bool) string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(text) {
		if cur != "" && len(cur)+1+len(w) > width {
			if r := []rune(w); hyphenate && len(r) >= 8 && isLowerWord(w) {
				k := 3 + rng.Intn(len(r)-6)
				lines = append(lines, cur+" "+string(r[:k])+"-")
				cur = string(r[k:])
				continue
			}
			lines = append(lines, cur)
			cur = ""
		}
		if cur != "" {
			cur += " "
		}
		cur += w
	}
	lines = append(lines, cur)
	var b strings.Builder
	page := 1
	for i, l := range lines {
		b.WriteString(l)
		b.WriteString("\n")
		// Noise goes inside the body only: after the first § and before
		// the signature, as page breaks fall.
		if i < 8 || i > len(lines)-4 || rng.Intn(12) != 0 {
			continue
		}
		page++
		b.WriteString(strings.Repeat("\n", rng.Intn(5)))
		switch rng.Intn(4) {
		case 0:
			fmt.Fprintf(&b, "- %d -\n", page)
		case 1:
			fmt.Fprintf(&b, "%d\n", page)
		case 2:
			fmt.Fprintf(&b, "Zarządzenie nr %s Prezydenta Miasta Krakowa\n%d\n", act, page)
		case 3:
			b.WriteString("http://www.krakow.pl/\n")
		}
		b.WriteString(strings.Repeat("\n", rng.Intn(4)))
	}
	return b.String()
}

// noisy keeps a text's own lines and inserts page-break noise between
// them, with runs of spaces and tabs inside lines.
func noisy(text, act string, rng *rand.Rand) string {
	lines := strings.Split(text, "\n")
	var b strings.Builder
	for i, l := range lines {
		if rng.Intn(6) == 0 {
			l = strings.Replace(l, " ", "  \t ", 1)
		}
		b.WriteString(l + "\n")
		if i > 12 && i < len(lines)-6 && rng.Intn(15) == 0 {
			fmt.Fprintf(&b, "\n\n- %d -\nZarządzenie nr %s\n\n", i, act)
		}
	}
	return b.String()
}

// asHTML is a text as a web page's source has it: a paragraph per line,
// entities for dashes and spaces, a script in the head.
func asHTML(text string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><head><title>BIP</title><script>var x = 1 < 2;</script></head><body><div class=\"tresc\">\n")
	for _, l := range strings.Split(text, "\n") {
		l = strings.ReplaceAll(html.EscapeString(l), "–", "&ndash;")
		b.WriteString("<p>" + strings.ReplaceAll(l, "  ", " &nbsp;") + "</p>\n")
	}
	b.WriteString("</div></body></html>\n")
	return b.String()
}

func isLowerWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// TestTheGraphDoesNotDependOnLineBreaks re-flows the seed and every
// fixture: joined into one line, re-wrapped at widths from 40 to 200 with
// page-break noise inserted, every other time with words hyphenated at line ends; each must read as the same act.
func TestTheGraphDoesNotDependOnLineBreaks(t *testing.T) {
	for name, text := range acts(t) {
		t.Run(name, func(t *testing.T) {
			r, err := ordinance.Parse(name, text)
			if err != nil {
				t.Fatal(err)
			}
			want := graphOf(t, r.File)
			act := r.File.Document.ID
			variants := map[string]string{
				"one line":                  oneLine(text),
				"Windows line ends":         strings.ReplaceAll(text, "\n", "\r\n"),
				"its own lines, page noise": noisy(text, act, rand.New(rand.NewSource(7))),
				"non-breaking spaces":       strings.ReplaceAll(oneLine(text), " ", "\u00a0 "),
				"a web page's HTML":         asHTML(text),
			}
			for seedNo := int64(1); seedNo <= 10; seedNo++ {
				rng := rand.New(rand.NewSource(seedNo))
				width := 40 + rng.Intn(161)
				hyphenate := seedNo%2 == 0
				variants[fmt.Sprintf("wrapped at %d (seed %d, hyphenated %v)", width, seedNo, hyphenate)] = rewrap(oneLine(text), act, width, rng, hyphenate)
			}
			for vname, v := range variants {
				got, err := ordinance.Parse(name, v)
				if err != nil {
					t.Errorf("%s: %v", vname, err)
					continue
				}
				if g := graphOf(t, got.File); g != want {
					t.Errorf("%s: the graph differs:\n%s", vname, firstDiff(want, g))
				}
			}
		})
	}
}

// firstDiff shows the first line where two texts differ, with context.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n want %s\n  got %s", i+1, wl, gl)
		}
	}
	return ""
}
