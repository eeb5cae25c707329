package ordinance

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// sharedPosition is an official of the City, above every department: the
// same node in every act that names it, so that several acts make one graph.
type sharedPosition struct {
	id, name, pattern string
}

// sharedPositions are the City's officials an ordinance may name. The order
// is the order of rank, which is the order positions are listed in.
var sharedPositions = []sharedPosition{
	{"prezydent", "Prezydent Miasta Krakowa", `Prezydent\pL*(?:\s+Miasta(?:\s+Krakowa)?)?`},
	{"zastepca-prezydenta", "Zastępca Prezydenta Miasta Krakowa", `(?:właściw\pL*\s+)?Zastęp\pL*\s+Prezydent\pL*(?:\s+Miasta(?:\s+Krakowa)?)?`},
	{"skarbnik-miasta", "Skarbnik Miasta Krakowa", `Skarbnik\pL*(?:\s+Miasta(?:\s+Krakowa)?)?`},
	{"sekretarz-miasta", "Sekretarz Miasta Krakowa", `Sekretarz\pL*(?:\s+Miasta(?:\s+Krakowa)?)?`},
}

// sharedEntity is a body, role or group outside the department that any
// department's ordinance may name as a partner. Like shared positions they
// keep one id across acts.
type sharedEntity struct {
	id, name, category, pattern string
}

// sharedEntities are the partners the importer recognises. A partner it
// does not know is reported as a doubt, never invented.
var sharedEntities = []sharedEntity{
	{"administrator-bip", "administrator Biuletynu Informacji Publicznej", "ROLE", `administrator\pL*\s+(?:Biuletyn\pL*(?:\s+Informacji\s+Publicznej)?|BIP)`},
	{"administrator-mpi", "administrator serwisu Miejskiej Platformy Internetowej", "ROLE", `administrator\pL*\s+serwis\pL*\s+(?:Miejskiej\s+Platformy\s+Internetowej|MPI)`},
	{"komorki-organizacyjne-umk", "komórki organizacyjne Urzędu Miasta Krakowa", "GROUP", `(?:(?:inn|pozostał|wszystki)\pL*\s+)?komór\pL*\s+organizacyjn\pL*\s+(?:Urzędu\s+Miasta\s+Krakowa|UMK)`},
	{"miejskie-jednostki-organizacyjne", "miejskie jednostki organizacyjne", "GROUP", `miejsk\pL*\s+jednost\pL*\s+organizacyjn\pL*`},
	{"spolki-komunalne", "spółki komunalne", "GROUP", `spół\pL*\s+komunaln\pL*`},
	{"rzecznicy-miejskich-jednostek", "rzecznicy miejskich jednostek organizacyjnych", "GROUP", `rzeczni\pL*\s+miejskich\s+jednostek\s+organizacyjnych`},
	{"asystenci-zastepcow-prezydenta", "asystenci Zastępców Prezydenta", "GROUP", `asystent\pL*\s+Zastęp\pL*\s+Prezydent\pL*(?:\s+Miasta(?:\s+Krakowa)?)?`},
	{"kancelaria-prezydenta", "Kancelaria Prezydenta", "ORGANISATION", `Kancelari\pL*\s+Prezydent\pL*(?:\s+Miasta(?:\s+Krakowa)?)?`},
	{"zespol-zarzadzania-kryzysowego", "Zespół Zarządzania Kryzysowego Miasta Krakowa", "BODY", `Zesp[oó]\pL*\s+Zarządzania\s+Kryzysowego(?:\s+Miasta(?:\s+Krakowa)?)?`},
	{"rada-miasta-krakowa", "Rada Miasta Krakowa", "BODY", `Rad\pL*\s+Miasta\s+Krakowa`},
	{"komisje-rady-miasta-krakowa", "Komisje Rady Miasta Krakowa", "BODY", `Komisj\pL*\s+Rady\s+Miasta\s+Krakowa`},
	{"instytucje-zewnetrzne", "instytucje zewnętrzne", "GROUP", `(?:przedstawiciel\pL*\s+)?instytucj\pL*\s+zewnętrzn\pL*`},
	{"media-miejskie", "media miejskie", "PUBLICATION", `medi(?:a|ów|om|ami|ach)\s+miejsk\pL*`},
	{"media-spolecznosciowe", "media społecznościowe", "SYSTEM", `medi(?:a|ów|om|ami|ach)\s+społecznościow\pL*`},
	{"media", "media", "GROUP", `medi(?:a|ów|om|ami|ach)`},
	{"agencje-reklamowe", "agencje reklamowe", "GROUP", `agencj\pL*\s+reklamow\pL*`},
	{"domy-mediowe", "domy mediowe", "GROUP", `dom(?:y|ów|ami|om|ach)\s+mediow\pL*`},
	{"zewnetrzni-organizatorzy-wydarzen", "zewnętrzni organizatorzy wydarzeń współfinansowanych przez Miasto", "GROUP", `zewnętrzn\pL*\s+organizator\pL*\s+wydarzeń`},
	{"dziennikarze", "dziennikarze", "GROUP", `dziennikar\pL*`},
	{"mieszkancy", "mieszkańcy", "GROUP", `mieszkańc\pL*`},
}

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

// vocabulary is every term of one act.
type vocabulary struct{ terms []*term }

func (v *vocabulary) add(kind termKind, id, pattern string) *term {
	re := regexp.MustCompile(`^(?i:` + pattern + `)`)
	re.Longest() // "mediami", not "media" and a dangling "mi"
	t := &term{kind: kind, id: id, re: re}
	v.terms = append(v.terms, t)
	return t
}

// at returns the longest term named at byte offset off of s.
func (v *vocabulary) at(s string, off int) (match, bool) {
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
func (v *vocabulary) scan(s string) []match {
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
func (v *vocabulary) list(s string) ([]match, int) {
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
