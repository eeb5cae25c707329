package ordinance

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/orgraph/orgraph/seed"
)

// parser holds one act while it is read: the stages' values, each made
// from the ones before it (see parse), and the act's document.
type parser struct {
	name string
	raw  string
	city *Vocabulary
	// provisions is stage 3 and, through it, stage 1's text: the lines,
	// the stream, the paragraphs and what each line's text went to.
	*provisions
	// facts is stage 5: the units, positions, relations and duties.
	facts    *facts
	warnings []warning
	words    map[string]bool // every word of the text, lower case

	doc    seed.DocumentJSON
	issuer string // the issuer's title in the nominative, as signed
	layout
}

// layout is what reading the text learnt of its layout, which the checks
// report on.
type layout struct {
	signedAt  int // index of the signature line; -1 when unsigned
	hyphens   int // words broken at line ends and joined
	compounds int // compounds broken at their hyphen and joined
}

func newParser(city *Vocabulary, name, text string) *parser {
	return &parser{
		city:   city,
		name:   name,
		raw:    text,
		layout: layout{signedAt: -1},
		words:  map[string]bool{},
	}
}

// warnAt records a warning that arises at line index i.
func (p *parser) warnAt(i int, where, format string, args ...any) {
	p.warnings = append(p.warnings, warning{line: i, where: where, message: fmt.Sprintf(format, args...)})
}

// parse reads the act in stages, each a value made from the ones before
// it:
//
//  1. text (text.go, readText): the lines, page furniture set aside, the
//     stream the later stages read;
//  2. blocks (blocks.go, splitBody): the stream cut at the provisions'
//     markers; the heading and the signature read on the way (parser.go);
//  3. provisions (tree.go, provisions.build; texts): § › ust. › pkt ›
//     lit. › tiret, each node with its text;
//  4. roles (parser.go, roleOf): what each paragraph does;
//  5. facts (facts.go, readFacts; units.go, reporting.go, duties.go): the
//     units, positions, relations and duties; then the act's closing
//     paragraphs for the document (parser.go, closing);
//  6. checks (checks.go, check): the warnings for every scar, when all are
//     known.
func (p *parser) parse() error {
	id := ""
	if m := actNumberRE.FindStringSubmatch(p.raw); m != nil {
		id = m[1]
	}
	t := readText(p.raw, id)
	p.provisions = newProvisions(t)
	first := t.bodyOffset()
	if first < 0 {
		return p.refuse(t.stream)
	}
	t.bodyStart = t.lineAt(first)
	p.collectWords()
	if err := p.header(p.join(t.parts(0, first), "line 1")); err != nil {
		return err
	}
	b := splitBody(t, first, strings.ToUpper(p.issuer))
	p.build(b.blocks)
	p.signature(b)
	p.texts()
	p.furnitureInLines()
	readRoles(p.provisions)
	f, err := readFacts(p.city, p.name, p.doc.Title, p.provisions)
	if err != nil {
		return err
	}
	p.facts = f
	p.warnings = append(p.warnings, f.warnings...)
	p.closing()
	p.warnings = append(p.warnings, check(f, p.layout)...)
	return nil
}

var (
	actNumberRE = regexp.MustCompile(`(?i)zarządzenie\s+nr\s+(\d+/\d{4})`)
	actDateRE   = regexp.MustCompile(`(?i)(?:z\s+dnia\s+)?` + datePattern)
	// datePattern is a date as the acts write it: "30 grudnia 2024 r.",
	// "2013-08-14", "14.08.2013", "17.02.2025 r.".
	subjectStartRE = regexp.MustCompile(`(?i)\bw\s+sprawie\s`)
	basisStartRE   = regexp.MustCompile(`(?i)\bNa\s+podstawie\s`)
	subjectRE      = regexp.MustCompile(`(?i)(w\s+sprawie\s+.*?)\s*(?:Na\s+podstawie\s|$)`)
	basisRE        = regexp.MustCompile(`(?i)Na\s+podstawie\s+(.*?)\s*,?\s*zarządza\s+się`)
)

// header reads the act's number, issuer, date, subject and legal basis from
// the lines before the first paragraph.
func (p *parser) header(h string) error {
	num := actNumberRE.FindStringSubmatchIndex(h)
	if num == nil {
		return p.refuse(p.text.stream)
	}
	p.doc = seed.DocumentJSON{ID: h[num[2]:num[3]], Repeals: []string{}, File: p.name}
	where := "line 1"
	// The act's date stands in its heading, before the subject ("w
	// sprawie …") and the legal basis, whose statute has a date of its own
	// ("ustawy z dnia 8 marca 1990 r.") that is never the act's.
	heading := h
	for _, re := range []*regexp.Regexp{subjectStartRE, basisStartRE} {
		if loc := re.FindStringIndex(heading); loc != nil {
			heading = heading[:loc[0]]
		}
	}
	issuerGen, written := titleCase(squeeze(heading[num[1]:])), ""
	if d, ok := p.findDate(heading, actDateRE, where); ok {
		issuerGen = titleCase(squeeze(h[num[1]:d.at]))
		p.doc.Date, written = d.iso, d.written
	} else if !d.found {
		p.warnAt(0, where, "Doubt: the heading gives no date (\"z dnia …\") before the subject; the act's date is left empty (the date of the statute in the legal basis is not the act's).")
	}
	p.issuer = p.city.Issuers[issuerGen]
	if p.issuer == "" {
		p.warnAt(0, where, "Doubt: the issuer %q is not one the importer knows; it is kept as written.", issuerGen)
		p.issuer = issuerGen
	}
	p.doc.Issuer = p.issuer
	subject := ""
	if m := subjectRE.FindStringSubmatch(h); m != nil {
		subject = m[1]
	}
	if !strings.Contains(strings.ToLower(subject), p.city.Subject) {
		p.warnAt(0, where, "Doubt: the subject %q is not \"w sprawie podziału na %s …\"; the act is read as one anyway.", subject, p.city.Subject)
	}
	dated := ""
	if written != "" {
		dated = "z dnia " + written
	}
	p.doc.Title = squeeze(strings.Join([]string{"Zarządzenie nr " + p.doc.ID, issuerGen, dated, subject}, " "))
	if m := basisRE.FindStringSubmatch(h); m != nil {
		p.doc.LegalBasis = m[1]
	} else {
		p.warnAt(0, where, "Doubt: no legal basis (\"Na podstawie … zarządza się\") before the first paragraph.")
	}
	return nil
}

const datePattern = `(?:(\d{1,2})\s+(\pL+)\s+(\d{4})|(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\.(\d{1,2})\.(\d{4}))(?:\s*r\.)?`

// date is a date found in a text.
type date struct {
	found        bool   // a date is written, readable or not
	at           int    // where it starts
	iso, written string // "2024-12-30", "30 grudnia 2024 r."
}

// findDate reads the first date re finds in s (re ends in datePattern);
// one that is written but not a real date is a doubt at where.
func (p *parser) findDate(s string, re *regexp.Regexp, where string) (date, bool) {
	m := re.FindStringSubmatchIndex(s)
	if m == nil {
		return date{}, false
	}
	g := func(k int) string {
		if m[2*k] < 0 {
			return ""
		}
		return s[m[2*k]:m[2*k+1]]
	}
	d := date{found: true, at: m[0]}
	var day, month, year string
	switch {
	case g(1) != "":
		day, year = g(1), g(3)
		name := strings.ToLower(g(2))
		month = p.city.Months[name]
		d.written = fmt.Sprintf("%s %s %s r.", day, name, year)
		if month == "" {
			p.warnAt(0, where, "Doubt: the month %q of the date %q is not a Polish month; the date is left empty.", name, squeeze(s[m[0]:m[1]]))
			return d, false
		}
	case g(4) != "":
		year, month, day = g(4), g(5), g(6)
		d.written = fmt.Sprintf("%s-%s-%s", year, month, day)
	default:
		day, month, year = g(7), g(8), g(9)
		d.written = fmt.Sprintf("%s.%s.%s r.", day, month, year)
	}
	dd, _ := strconv.Atoi(day)
	mm, _ := strconv.Atoi(month)
	if dd < 1 || dd > 31 || mm < 1 || mm > 12 {
		p.warnAt(0, where, "Doubt: %q is not a date; the date is left empty.", squeeze(s[m[0]:m[1]]))
		return d, false
	}
	d.iso = fmt.Sprintf("%s-%02d-%02d", year, mm, dd)
	return d, true
}

// hyphenNames names the hyphens a code may be written with.
var hyphenNames = map[rune]string{
	'\u2010': "a Unicode hyphen (U+2010)", '\u2011': "a non-breaking hyphen (U+2011)", '\u2012': "a figure dash (U+2012)",
	'\u2013': "an en dash (U+2013)", '\u2014': "an em dash (U+2014)", '\u2212': "a minus sign (U+2212)",
}

// furnitureInLines reports what stage 1 changed inside lines: codes
// written with another hyphen, page furniture inside a line.
func (p *parser) furnitureInLines() {
	where := func(line int) string {
		if n := p.firstOwner[line]; n != nil {
			return n.provision()
		}
		return "line " + strconv.Itoa(p.lineOf(line))
	}
	for _, f := range p.text.fixes {
		at := where(f.line)
		found := false
		for _, para := range p.paras {
			para.root.walk(func(n *node) {
				if !found && strings.Contains(n.text, f.read) {
					at, found = n.provision(), true
				}
			})
		}
		p.warnAt(f.line, at, "Code normalised: %q (line %d) is written with %s; read as %s.", f.written, p.lineOf(f.line), hyphenNames[f.hyphen], f.read)
	}
	for _, c := range p.text.cuts {
		p.warnAt(c.line, where(c.line), "The %s %q inside line %d is page furniture; dropped from the text.", c.what, c.text, p.lineOf(c.line))
	}
}

// collectWords collects the words of the text, the evidence for
// judging a word broken at a line end.
func (p *parser) collectWords() {
	for _, w := range strings.FieldsFunc(p.text.stream, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
		p.words[strings.ToLower(strings.Trim(w, "-"))] = true
	}
}

// signature reads the signatory: the last words of the signature block
// that are not in capitals.
func (p *parser) signature(b body) {
	if b.sigLine < 0 {
		return
	}
	p.signedAt = b.sigLine
	for i := b.sigLine; i < len(p.lines); i++ {
		if p.lines[i].kind == contentLine {
			p.lines[i].kind = signatureLine
		}
	}
	var words []string
	for _, pt := range b.signature {
		words = append(words, strings.Fields(pt.text)...)
	}
	var run, last []string
	for _, w := range words {
		if strings.ToUpper(w) == w || w == "up." {
			if len(run) > 0 {
				last, run = run, nil
			}
			continue
		}
		run = append(run, w)
	}
	if len(run) > 0 {
		last = run
	}
	p.doc.Signatory = strings.Join(last, " ")
	if p.doc.Signatory == "" {
		p.warnAt(b.sigLine, "line "+strconv.Itoa(p.lines[b.sigLine].n), "Doubt: the signature block names no one.")
	}
}

var (
	hyphenEndRE  = regexp.MustCompile(`(\pL+)-$`)
	leadingWord  = regexp.MustCompile(`^\pL+`)
	innerSpaceRE = regexp.MustCompile(`\S\s{2,}\S`)
)

// texts joins each node's lines into its text: single spaces between
// lines, a word broken at a line end made whole again.
func (p *parser) texts() {
	for _, para := range p.paras {
		para.root.walk(func(n *node) { n.text = p.join(n.parts, n.provision()) })
	}
}

// suspended are the words after a suspended hyphen: "krótko- i
// długoterminowych" keeps its hyphen and its space.
var suspended = map[string]bool{"i": true, "oraz": true, "lub": true, "albo": true, "czy": true, "a": true}

// join joins the pieces of a text with single spaces, and a word broken at
// a line end whole again, judged by the evidence of the rest of the text:
// a compound ("Społeczno-Gospodarczy", or one the text writes with its
// hyphen elsewhere) keeps its hyphen, a word the text writes whole
// elsewhere loses it, and a word neither way is joined with a doubt.
func (p *parser) join(parts []part, where string) string {
	var b strings.Builder
	for k, pt := range parts {
		t := squeeze(pt.text)
		if k == 0 || t == "" {
			b.WriteString(t)
			continue
		}
		s := b.String()
		// Only the end of the text so far can hold the broken word.
		tail := s[max(0, len(s)-120):]
		for len(tail) > 0 && !utf8.RuneStart(tail[0]) {
			tail = tail[1:]
		}
		m := hyphenEndRE.FindStringSubmatch(tail)
		right := leadingWord.FindString(t)
		if m != nil && right != "" && !suspended[right] {
			joined, compound := strings.ToLower(m[1]+right), strings.ToLower(m[1]+"-"+right)
			prevLine := p.lines[parts[k-1].line].n
			switch {
			case !startsLower(t) || p.words[compound] && !p.words[joined]:
				p.compounds++
				p.warnAt(pt.line, where, "Line break inside the compound %q (lines %d–%d) joined without a space.", m[1]+"-"+right, prevLine, p.lines[pt.line].n)
				b.WriteString(t)
			case p.words[joined]:
				p.hyphens++
				b.Reset()
				b.WriteString(strings.TrimSuffix(s, "-") + t)
				p.warnAt(pt.line, where, "Hyphenation repaired: %q at the end of line %d and %q read as %q.", m[1]+"-", prevLine, right, m[1]+right)
			default:
				p.hyphens++
				b.Reset()
				b.WriteString(strings.TrimSuffix(s, "-") + t)
				p.warnAt(pt.line, where, "Doubt: %q at the end of line %d and %q read as %q, a word broken at the line end; neither form occurs elsewhere in the text.", m[1]+"-", prevLine, right, m[1]+right)
			}
			continue
		}
		if s != "" {
			b.WriteString(" ")
		}
		b.WriteString(t)
	}
	return b.String()
}

type role int

const (
	roleOther     role = iota
	roleHead           // § 1: who heads the department
	roleUnits          // § 2: the internal units
	roleReporting      // § 3: who reports to whom
	roleDuties         // the duties of one unit
	roleCommon         // the duties of all units
	roleRepeals        // what the act repeals
	roleEffective      // when it takes effect
)

var (
	dutiesHeadingRE = regexp.MustCompile(`(?i)^Do\s+(?:zakresu\s+działania|zadań)\s+(.+?)\s+należ\pL*(?:\s+(?:w\s+szczególności\s+)?sprawy)?\s*:?$`)
	scopeHeadingRE  = regexp.MustCompile(`(?i)^Zakres\s+(?:działania|zadań)\s+(.+?)\s+obejmuje(?:\s+w\s+szczególności)?(?:\s+sprawy)?\s*:?$`)
	commonHeadingRE = regexp.MustCompile(`(?i)^Wszystkie\s+(?:wewnętrzne\s+)?komórki\s+organizacyjne`)
	unitListRE      = regexp.MustCompile(`(?i)W\s+skład\s+(?:\pL+\s+){1,5}?wchodz`)
	headRE          = regexp.MustCompile(`(?i)\skieruje\s`)
	reportsRE       = regexp.MustCompile(`(?i)\s(?:podlega(?:ją)?|sprawuj\pL*\s+(?:bezpośredni\s+)?nadzór\s+nad|nadzoruj\pL*)[\s:]`)
	repealsRE       = regexp.MustCompile(`(?i)Trac(?:i|ą)\s+moc`)
)

// readRoles is stage 4: each paragraph's role.
func readRoles(pr *provisions) {
	for _, para := range pr.paras {
		para.role = roleOf(para)
	}
}

// roleOf tells what a paragraph does from its opening words, not its
// number, so that a misnumbered act still reads.
func roleOf(para *paragraph) role {
	first := para.root.text
	if para.usesUst {
		first = para.root.children[0].text
	}
	all := ""
	para.root.walk(func(n *node) { all += " " + n.text })
	switch {
	case isDutyHeading(first):
		return roleDuties
	case commonHeadingRE.MatchString(first):
		return roleCommon
	case unitListRE.MatchString(first):
		return roleUnits
	case headRE.MatchString(" " + first):
		return roleHead
	case reportsRE.MatchString(" " + all + " "):
		return roleReporting
	case repealsRE.MatchString(first):
		return roleRepeals
	case strings.Contains(strings.ToLower(first), "wchodzi w życie"):
		return roleEffective
	}
	return roleOther
}

// dutyRef returns what a duty heading names: "Referatu Geodezji (GD-01)"
// in "Do zakresu działania Referatu Geodezji (GD-01) należą sprawy:",
// "Wydziału" in "Zakres działania Wydziału obejmuje:".
func dutyRef(text string) (string, bool) {
	for _, re := range []*regexp.Regexp{dutiesHeadingRE, scopeHeadingRE} {
		if m := re.FindStringSubmatch(text); m != nil {
			return m[1], true
		}
	}
	return "", false
}

func isDutyHeading(text string) bool { _, ok := dutyRef(text); return ok }

// paragraphs returns the paragraphs of a role in the order of their numbers.
func (p *provisions) paragraphs(r role) []*paragraph {
	var out []*paragraph
	for _, para := range p.paras {
		if para.role == r {
			out = append(out, para)
		}
	}
	sortByNumber(out)
	return out
}

func sortByNumber(ps []*paragraph) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].num < ps[j-1].num; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// lineOf is the 1-based number of line index i.
func (t *text) lineOf(i int) int { return t.lines[i].n }

var (
	repealRE    = regexp.MustCompile(`nr\s+(\d+/\d{4})`)
	effectiveRE = regexp.MustCompile(`(?i)z\s+dniem\s+` + datePattern)
)

// closing reads what the act repeals and when it takes effect.
func (p *parser) closing() {
	for _, para := range p.paragraphs(roleRepeals) {
		for _, m := range repealRE.FindAllStringSubmatch(allText(para), -1) {
			p.doc.Repeals = append(p.doc.Repeals, m[1])
		}
	}
	eff := p.paragraphs(roleEffective)
	if len(eff) == 0 {
		return
	}
	text := allText(eff[0])
	where := "§ " + strconv.Itoa(eff[0].num)
	d, ok := p.findDate(text, effectiveRE, where)
	switch {
	case ok:
		p.doc.Effective = d.iso
	case d.found:
	case strings.Contains(strings.ToLower(text), "z dniem podpisania"):
		p.doc.Effective = p.doc.Date
	default:
		p.warnAt(eff[0].heading, where, "Doubt: %q gives no date the importer can read; the date it takes effect is left empty.", text)
	}
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// allText is the whole text of a paragraph.
func allText(para *paragraph) string {
	var parts []string
	para.root.walk(func(n *node) {
		if n.text != "" {
			parts = append(parts, n.text)
		}
	})
	return strings.Join(parts, " ")
}
