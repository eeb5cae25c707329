package ordinance

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/orgraph/orgraph/internal/org"
)

// The helpers here deal with Polish as the ordinances write it: words that
// change their endings with the case ("Referat", "Referatu", "Referatem"),
// and ids that must be plain ASCII.

var spaceRun = regexp.MustCompile(`\s+`)

// squeeze trims s and turns every run of white space into one space.
func squeeze(s string) string { return strings.TrimSpace(spaceRun.ReplaceAllString(s, " ")) }

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes an id from a Polish name: "Zastępca Dyrektora ds. Mediów
// Miejskich" → "zastepca-dyrektora-ds-mediow-miejskich".
func slug(s string) string {
	s = org.Fold(s)
	return strings.Trim(nonSlug.ReplaceAllString(s, "-"), "-")
}

// wordPattern is a regular expression for a word in any of its case forms:
// the stem is the word less up to three final letters (keeping at least
// four), followed by any letters; "ó" and "o" alternate ("Kraków",
// "Krakowa"). Short words and abbreviations match as written.
func wordPattern(w string) string {
	letters := strings.TrimRightFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
	if letters != w || utf8.RuneCountInString(w) <= 4 {
		return foldO(regexp.QuoteMeta(w))
	}
	r := []rune(w)
	keep := max(4, len(r)-3)
	return foldO(regexp.QuoteMeta(string(r[:keep]))) + `\pL*`
}

// foldO lets "o" and "ó" stand for each other in a pattern.
func foldO(p string) string {
	return strings.NewReplacer("o", "[oó]", "ó", "[oó]", "O", "[OÓ]", "Ó", "[OÓ]").Replace(p)
}

// phrasePattern is the pattern of a name in any case: each word by
// wordPattern, separated by white space.
func phrasePattern(name string) string {
	var parts []string
	for _, w := range strings.Fields(name) {
		parts = append(parts, wordPattern(w))
	}
	return strings.Join(parts, `\s+`)
}

// levenshtein is the edit distance between two strings, in runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// titleCase turns "PREZYDENTA MIASTA KRAKOWA" into "Prezydenta Miasta
// Krakowa"; text already in mixed case is returned as it is.
func titleCase(s string) string {
	if strings.ToUpper(s) != s {
		return s
	}
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(words, " ")
}

// startsLower reports whether s begins with a lower-case letter.
func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

// lastRune is the last rune of s, or 0.
func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	if r == utf8.RuneError {
		return 0
	}
	return r
}

// isLetterAt reports whether the rune starting at byte i of s is a letter.
func isLetterAt(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

// numberWord spells small counts in English for messages.
func numberWord(n int) string {
	words := []string{"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
	if n >= 0 && n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n)
}

// nominative declines the words of a department's name that follow its
// kind, written in the case of the word "as" (instrumental in the head
// sentence, "Wydziałem Prawnym"; genitive in the title, "Wydziału
// Prawnego"), back to the nominative: the adjectives that agree with the
// kind, up to the first word that does not ("Wydziałem Mieszkalnictwa
// Komunalnego" keeps "Mieszkalnictwa Komunalnego", a genitive of its own).
func nominative(rest string, o Office, as string) string {
	words := strings.Fields(rest)
	instrumental := strings.EqualFold(as, o.Instrumental) && !strings.EqualFold(as, o.Nominative)
	genitive := strings.EqualFold(as, o.Genitive) && !strings.EqualFold(as, o.Nominative)
	for i, w := range words {
		var d string
		switch {
		case instrumental:
			d = fromInstrumental(w, o.Gender)
		case genitive:
			d = fromGenitive(w, o.Gender)
		}
		if d == "" {
			break
		}
		words[i] = d
	}
	return strings.Join(words, " ")
}

// fromInstrumental is an adjective in the instrumental in the nominative of
// gender g, or "" when w is not such an adjective: "Prawnym" → "Prawny",
// "Miejskim" → "Miejski" (m) or "Miejskie" (n), "Główną" → "Główna" (f).
func fromInstrumental(w string, g byte) string {
	if !unicode.IsUpper([]rune(w)[0]) {
		return ""
	}
	switch {
	case g == 'f' && strings.HasSuffix(w, "ą"):
		return strings.TrimSuffix(w, "ą") + "a"
	case g != 'f' && strings.HasSuffix(w, "ym"):
		return strings.TrimSuffix(w, "ym") + map[byte]string{'m': "y", 'n': "e"}[g]
	case g != 'f' && strings.HasSuffix(w, "im"):
		return strings.TrimSuffix(w, "im") + map[byte]string{'m': "i", 'n': "ie"}[g]
	}
	return ""
}

// fromGenitive is an adjective in the genitive in the nominative of gender
// g, or "": "Prawnego" → "Prawny", "Miejskiego" → "Miejski" (m) or
// "Miejskie" (n), "Głównej" → "Główna", "Miejskiej" → "Miejska" (f).
func fromGenitive(w string, g byte) string {
	if !unicode.IsUpper([]rune(w)[0]) {
		return ""
	}
	switch {
	case g == 'f' && (strings.HasSuffix(w, "kiej") || strings.HasSuffix(w, "giej")):
		return strings.TrimSuffix(w, "iej") + "a"
	case g == 'f' && strings.HasSuffix(w, "iej"):
		return strings.TrimSuffix(w, "ej") + "a"
	case g == 'f' && strings.HasSuffix(w, "ej"):
		return strings.TrimSuffix(w, "ej") + "a"
	case g != 'f' && strings.HasSuffix(w, "iego"):
		return strings.TrimSuffix(w, "ego") + map[byte]string{'m': "", 'n': "e"}[g]
	case g != 'f' && strings.HasSuffix(w, "ego"):
		return strings.TrimSuffix(w, "ego") + map[byte]string{'m': "y", 'n': "e"}[g]
	}
	return ""
}
