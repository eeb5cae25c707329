package ordinance

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// termKind tells what a phrase of the text names.
type termKind int

const (
	termUnit     termKind = iota // one unit of the act
	termPosition                 // one position
	termEntity                   // one shared entity
	// termOtherUnits is "(innymi) komórkami organizacyjnymi Wydziału":
	// every unit of the act but the speaker.
	termOtherUnits
	// termOtherSections is "(pozostałymi) referatami Wydziału": every unit
	// but the speaker, the ones that are not sections only by reading.
	termOtherSections
	termDeputies // "jego Zastępców": every deputy of the head
	// termHead is a unit's head by title, "Kierownikowi Referatu …": a
	// position of its own, that heads the unit (id is the unit's).
	termHead
)

// term is one thing a phrase can name, with the pattern of its forms.
type term struct {
	kind termKind
	id   string
	re   *regexp.Regexp
	// bare marks the Director's title without the department's name
	// ("Dyrektora"), which a truncated text may leave.
	bare bool
}

// match is one phrase of a text that names a term.
type match struct {
	term       *term
	start, end int
	text       string
}

// termSet is every term of one act: the vocabulary of the city (city.go) and
// the names the act gives.
type termSet struct{ terms []*term }

func (v *termSet) add(kind termKind, id, pattern string) *term {
	re := regexp.MustCompile(`^(?i:` + pattern + `)`)
	re.Longest() // "mediami", not "media" and a dangling "mi"
	t := &term{kind: kind, id: id, re: re}
	v.terms = append(v.terms, t)
	return t
}

// at returns the longest term named at byte offset off of s.
func (v *termSet) at(s string, off int) (match, bool) {
	var best match
	found := false
	for _, t := range v.terms {
		loc := t.re.FindStringIndex(s[off:])
		if loc == nil || isLetterAt(s, off+loc[1]) {
			continue
		}
		if end := off + loc[1]; !found || end > best.end {
			best, found = match{term: t, start: off, end: end, text: s[off:end]}, true
		}
	}
	return best, found
}

// scan returns the terms named in s, leftmost first, longest at each place,
// never overlapping.
func (v *termSet) scan(s string) []match {
	var out []match
	for off := 0; off < len(s); {
		if wordStart(s, off) {
			if m, ok := v.at(s, off); ok {
				out = append(out, m)
				off = m.end
				continue
			}
		}
		_, n := utf8.DecodeRuneInString(s[off:])
		off += n
	}
	return out
}

// wordStart reports whether a word or a parenthesis begins at byte off of s.
func wordStart(s string, off int) bool {
	r, _ := utf8.DecodeRuneInString(s[off:])
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '(' {
		return false
	}
	if off == 0 {
		return true
	}
	p, _ := utf8.DecodeLastRuneInString(s[:off])
	return !unicode.IsLetter(p) && !unicode.IsDigit(p)
}

// skipSpace returns the offset of the first non-space byte of s at or after off.
func skipSpace(s string, off int) int {
	for off < len(s) && (s[off] == ' ' || s[off] == '\t') {
		off++
	}
	return off
}

// connector matches what joins the members of a list: ",", "oraz", "i",
// "a także".
var connector = regexp.MustCompile(`^\s*(?:,\s*(?:(?:oraz|i|a\s+także)\s+)?|(?:oraz|i|a\s+także)\s+)`)

// parenthetical matches a bracketed aside such as "(wyznaczonymi koordynatorami)".
var parenthetical = regexp.MustCompile(`^\s*\([^)]*\)`)

// list reads a list of terms at the start of s, joined by connectors, each
// term perhaps followed by a bracketed aside. It returns the terms and the
// offset where the list ends.
func (v *termSet) list(s string) ([]match, int) {
	var out []match
	off := skipSpace(s, 0)
	end := 0
	for off < len(s) {
		m, ok := v.at(s, off)
		if !ok {
			break
		}
		out = append(out, m)
		end = m.end
		if loc := parenthetical.FindStringIndex(s[end:]); loc != nil {
			end += loc[1]
		}
		loc := connector.FindStringIndex(s[end:])
		if loc == nil {
			break
		}
		off = end + loc[1]
	}
	return out, end
}

// strip removes a trailing punctuation mark and spaces.
func strip(s string) string {
	return strings.TrimRight(strings.TrimSpace(s), ";.,:")
}
