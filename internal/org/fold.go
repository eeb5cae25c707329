package org

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Letters that carry no combining mark under NFD and so survive it.
var unfoldable = strings.NewReplacer("ł", "l", "Ł", "l", "ø", "o", "đ", "d", "ß", "ss")

// Fold lowercases s and strips its diacritics, so that "wspolpraca" and
// "współpraca" compare equal.
func Fold(s string) string {
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
