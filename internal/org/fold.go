package org

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Letters that carry no combining mark under NFD and so survive it.
var unfoldable = strings.NewReplacer("ł", "l", "Ł", "l", "ø", "o", "đ", "d", "ß", "ss")

// fastFoldBelow bounds the runes folded one by one from a table: Latin,
// its supplements and extensions (Polish among them), where no rune is a
// combining mark and no two runes compose under NFC, so the fold of a
// text is the concatenation of its runes' folds.
const fastFoldBelow = 0x300

// folded holds slowFold of every rune below fastFoldBelow.
var folded = func() (t [fastFoldBelow]string) {
	for r := range rune(fastFoldBelow) {
		t[r] = slowFold(string(r))
	}
	return t
}()

// Fold lowercases s and strips its diacritics, so that "wspolpraca" and
// "współpraca" compare equal. Text in Latin script is folded rune by rune
// from a table; any other goes through Unicode normalisation (the answer
// is the same: TestFoldFastPath).
func Fold(s string) string {
	for _, r := range s {
		if r >= fastFoldBelow {
			return slowFold(s)
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:]) // valid: checked above
		b.WriteString(folded[r])
		i += n
	}
	return b.String()
}

// slowFold is Fold by Unicode normalisation: decompose, drop the
// combining marks, compose, lowercase.
func slowFold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, unfoldable.Replace(s))
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// Terms splits a text into folded words: runs of letters and digits.
func Terms(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// FoldedWords returns the text a search runs against: the folded words of
// s, each preceded by one space, so that " "+term matches a word's start.
func FoldedWords(s string) string {
	var b strings.Builder
	for _, w := range Terms(s) {
		b.WriteByte(' ')
		b.WriteString(w)
	}
	return b.String()
}

// MatchesTerms reports whether every term starts a word of the folded text
// made by FoldedWords.
func MatchesTerms(folded string, terms []string) bool {
	for _, t := range terms {
		if !strings.Contains(folded, " "+t) {
			return false
		}
	}
	return len(terms) > 0
}
