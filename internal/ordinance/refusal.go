package ordinance

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/orgraph/orgraph/internal/org"
)

// What is not an organisational ordinance is refused with what was
// expected and what was found instead, so that whoever pasted a unit's web
// page or an article knows at once why nothing was imported.

const expected = `expected an organisational ordinance: "Zarządzenie nr N/RRRR", paragraphs (§ 1. …) and a list of units ("W skład … wchodzą: 1) … XX-01 …")`

var (
	contactWordRE = regexp.MustCompile(`(?i)(?:tel\.|telefon|e-mail|@|\bul\.|\bpok\.|pokój|godziny\s+pracy|adres)`)
)

// refusal is the error for a text that is not an ordinance.
func refusal(name, found string) error {
	return org.Errorf(org.EINVALID, "%s: not an organisational ordinance: %s; %s", name, found, expected)
}

// refuse says why a text with no paragraph (§), or no act number before
// its first, is not an ordinance.
func (p *parser) refuse(stream string) error {
	s := strings.TrimSpace(stream)
	aboutUnit := p.city.UnitWords != "" && regexp.MustCompile(`(?i)(?:^|[^\pL])(?:`+p.city.UnitWords+`)`).MatchString(s)
	switch {
	case s == "":
		return refusal(p.name, "the text is empty")
	case actNumberRE.MatchString(s):
		return refusal(p.name, "an act number but no paragraph (§)")
	case strings.Contains(s, "§") && unitListRE.MatchString(s):
		return refusal(p.name, "paragraphs (§) and a list of units but no act number (\"Zarządzenie nr N/RRRR\") before the first paragraph")
	case aboutUnit && contactWordRE.MatchString(s):
		return refusal(p.name, "no act number and no unit list: this looks like a page describing one unit")
	case aboutUnit:
		return refusal(p.name, "no act number, no paragraph (§) and no unit list: this looks like a text about a unit, not the act that makes it")
	}
	return refusal(p.name, "no act number, no paragraph (§) and no unit list: this looks like an article or other prose")
}

// binaryKind says what a file that is not text is ("a PDF file, not its
// text: …"), or "" for text.
func binaryKind(s string) string {
	switch {
	case strings.HasPrefix(s, "%PDF"):
		return "a PDF file, not its text: extract the text first (pdftotext -layout FILE.pdf FILE.txt)"
	case strings.HasPrefix(s, "PK\x03\x04"):
		return "a zip file (a .docx or .odt?), not text: save the document as plain text (.txt, UTF-8) first"
	case strings.HasPrefix(s, "\xD0\xCF\x11\xE0"):
		return "an old Word (.doc) file, not text: save the document as plain text (.txt, UTF-8) first"
	case binary(strings.ToValidUTF8(s, "\uFFFD")):
		return "binary data, not text"
	}
	return ""
}

// binary reports whether a text holds control characters that no text
// copied from a page or a PDF has: it is a binary file.
func binary(s string) bool {
	bad, all := 0, 0
	for _, r := range s {
		all++
		if r == 0 || unicode.IsControl(r) && !strings.ContainsRune("\n\r\t\f", r) || r == '\uFFFD' {
			bad++
		}
	}
	return bad > 0 && bad*100 >= all
}
