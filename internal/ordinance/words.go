package ordinance

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The helpers here deal with Polish as the ordinances write it: words that
// change their endings with the case ("Referat", "Referatu", "Referatem"),
// and ids that must be plain ASCII.

var spaceRun = regexp.MustCompile(`\s+`)

// squeeze trims s and turns every run of white space into one space.
func squeeze(s string) string { return strings.TrimSpace(spaceRun.ReplaceAllString(s, " ")) }

var asciiFold = strings.NewReplacer(
	"ą", "a", "ć", "c", "ę", "e", "ł", "l", "ń", "n", "ó", "o", "ś", "s", "ź", "z", "ż", "z",
	"Ą", "a", "Ć", "c", "Ę", "e", "Ł", "l", "Ń", "n", "Ó", "o", "Ś", "s", "Ź", "z", "Ż", "z",
)

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes an id from a Polish name: "Zastępca Dyrektora ds. Mediów
// Miejskich" → "zastepca-dyrektora-ds-mediow-miejskich".
func slug(s string) string {
	s = strings.ToLower(asciiFold.Replace(s))
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

// polishCount reads the number words the ordinances use for deputies.
var polishCount = map[string]int{
	"jednego": 1, "dwóch": 2, "dwoch": 2, "trzech": 3, "czterech": 4, "pięciu": 5,
}

// months are the genitive month names of Polish dates.
var months = map[string]string{
	"stycznia": "01", "lutego": "02", "marca": "03", "kwietnia": "04", "maja": "05", "czerwca": "06",
	"lipca": "07", "sierpnia": "08", "września": "09", "października": "10", "listopada": "11", "grudnia": "12",
}
