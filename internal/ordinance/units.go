package ordinance

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/seed"
)

// This file reads the units (§ 2), who heads the department (§ 1), and
// the units' names wherever the text gives them, to catch typos.

var codeRE = regexp.MustCompile(`\b[A-Z]{1,4}-\d{1,3}(?:-\d{1,3})*\b`)

// unitType tells a unit's type from the first words of its name. A type
// phrase misspelt by one or two letters is still recognised; typo then
// holds the words as written (the caller repairs the name only when the
// act spells it right elsewhere).
func (f *facts) unitType(name string) (typ, phrase, typo string) {
	words := strings.Fields(name)
	head := func(k int) string {
		if len(words) < k {
			return ""
		}
		return strings.Join(words[:k], " ")
	}
	for _, t := range f.city.UnitTypes {
		if strings.EqualFold(head(len(strings.Fields(t.Phrase))), t.Phrase) {
			return t.Type, t.Phrase, ""
		}
	}
	for _, t := range f.city.UnitTypes {
		got := head(len(strings.Fields(t.Phrase)))
		if got != "" && utf8.RuneCountInString(t.Phrase) >= 6 && levenshtein(strings.ToLower(got), strings.ToLower(t.Phrase)) <= 2 {
			return t.Type, t.Phrase, got
		}
	}
	return "", "", ""
}

// spelledElsewhere reports whether the act writes a name, word for word,
// anywhere in its text.
func (f *facts) spelledElsewhere(name string) bool {
	var words []string
	for _, w := range strings.Fields(name) {
		words = append(words, regexp.QuoteMeta(w))
	}
	return len(words) > 0 && regexp.MustCompile(strings.Join(words, `\s+`)).MatchString(f.text.stream)
}

// typeNames describes a unit type for messages.
var typeNames = map[string]string{
	org.UnitOffice:         "an office (Biuro)",
	org.UnitStandalonePost: "a standalone post (Samodzielne stanowisko)",
	"TEAM":                 "a team (Zespół)",
	org.UnitSection:        "a section (Referat)",
}

// unitList reads the paragraph listing the units: items, and letters under
// them for units nested in others.
func (f *facts) unitList() error {
	lists := f.unitLists()
	if len(lists) == 0 {
		return refusal(f.name, "an act with no list of units (no \"W skład … wchodzą …\")")
	}
	list := lists[0]
	para := list.para
	for _, extra := range lists[1:] {
		f.warnAt(f.firstLine(extra), extra.provision(), "Doubt: %s lists units again; only %s is read as the list of units.", extra.provision(), list.provision())
	}
	f.dept = &unit{typ: org.UnitDepartment}
	f.units = append(f.units, f.dept)
	var layout []string
	list.walk(func(n *node) {
		if n.level != levelItem && n.level != levelLetter {
			return
		}
		var parent *unit
		if n.level == levelLetter {
			parent = f.unitAt(n.parent)
		}
		if u := f.unitItem(n, parent); u != nil && regexp.MustCompile(`\S\s{2,}`+regexp.QuoteMeta(u.code)).MatchString(joinParts(n.parts)) {
			layout = append(layout, n.provision())
		}
	})
	if len(f.units) == 1 {
		return refusal(f.name, fmt.Sprintf("%s opens a list of units, but it lists no unit with a code (\"XX-01\")", list.provision()))
	}
	if len(layout) > 0 {
		f.warnAt(para.heading, layout[0], "Table layout: runs of spaces between the unit names and their codes in %s are dropped.", listProvisions(layout))
	}
	// The department's id is the prefix its units' codes share.
	count := map[string]int{}
	for _, u := range f.units[1:] {
		count[strings.SplitN(u.code, "-", 2)[0]]++
	}
	for prefix, n := range count {
		if n > count[f.dept.id] || (n == count[f.dept.id] && prefix < f.dept.id) {
			f.dept.id = prefix
		}
	}
	for _, u := range f.units[1:] {
		if prefix := strings.SplitN(u.code, "-", 2)[0]; prefix != f.dept.id {
			f.warnAt(u.node.parts[0].line, u.provision, "Doubt: the code %s does not begin with the department's %s like the other units' codes; kept as written.", u.code, f.dept.id)
		}
		to := f.dept.id
		if u.parent != nil {
			to = u.parent.id
		}
		f.relate(seed.RelationJSON{Kind: string(org.PartOf), From: u.id, To: to, Provision: u.provision})
	}
	return nil
}

// unitLists returns the provisions that list units, in the order of the
// paragraphs' numbers: a paragraph of its own ("§ 2. W skład Wydziału
// wchodzą: …"), or a section of another ("§ 1 … 2. W skład Kancelarii
// wchodzą: …").
func (f *facts) unitLists() []*node {
	var out []*node
	paras := append([]*paragraph(nil), f.paras...)
	sortByNumber(paras)
	for _, para := range paras {
		if para.role == roleUnits {
			out = append(out, para.root)
			continue
		}
		for _, ust := range para.root.items(levelUst) {
			if unitListRE.MatchString(ust.text) {
				out = append(out, ust)
			}
		}
	}
	return out
}

// unitAt returns the unit listed at node n, if any.
func (f *facts) unitAt(n *node) *unit {
	for _, u := range f.units {
		if u.node == n {
			return u
		}
	}
	return nil
}

// unitItem reads one entry of the list of units: "Referat ds. Organizacyjnych – KS-01;".
func (f *facts) unitItem(n *node, parent *unit) *unit {
	loc := codeRE.FindAllStringIndex(n.text, -1)
	if loc == nil {
		f.warnAt(n.parts[0].line, n.provision(), "Doubt: %q gives no unit code; it is not recorded as a unit.", n.text)
		return nil
	}
	last := loc[len(loc)-1]
	code := n.text[last[0]:last[1]]
	name := squeeze(symbolWordRE.ReplaceAllString(strings.TrimRight(n.text[:last[0]], " \t-–—,(:"), ""))
	name = strings.TrimRight(name, " \t-–—,(:")
	if name == "" && len(loc) == 1 {
		// The code before the name: "1) FE-01 Referat Programowania;".
		name = squeeze(strings.Trim(n.text[last[1]:], " \t-–—,():;."))
	}
	if name == "" {
		f.warnAt(n.parts[0].line, n.provision(), "Doubt: %q gives a code but no name; it is not recorded as a unit.", n.text)
		return nil
	}
	if f.byCode[code] != nil {
		f.warnAt(n.parts[0].line, n.provision(), "Doubt: the code %s is listed twice; the second %q is not recorded.", code, name)
		return nil
	}
	typ, phrase, typo := f.unitType(name)
	if typo != "" {
		// A repair needs evidence: the act spelling the name right elsewhere.
		if fixed := phrase + strings.TrimPrefix(name, typo); f.spelledElsewhere(fixed) {
			name = fixed
		} else {
			f.warnAt(n.parts[0].line, n.provision(), "Doubt: %q may be the unit type %q misspelt, but the act spells the name no other way; kept as written, read as %s.", typo, phrase, typeNames[typ])
			typo = ""
		}
	}
	if typ == "" {
		f.warnAt(n.parts[0].line, n.provision(), "Doubt: %q does not begin with a unit type the importer knows (%s); no type recorded.", name, f.city.typeNames())
	}
	u := &unit{id: code, code: code, name: name, typ: typ, provision: n.provision(), node: n, typo: typo}
	// A nested code ("PO-01-1") belongs to the unit whose code it extends.
	if i := strings.LastIndex(code, "-"); strings.Count(code, "-") > 1 {
		byCode := f.byCode[code[:i]]
		switch {
		case byCode == nil:
			f.warnAt(n.parts[0].line, n.provision(), "Doubt: %s extends the code %s, which no unit carries; %s is read as a unit of the department.", code, code[:i], code)
		case parent != nil && parent != byCode:
			f.warnAt(n.parts[0].line, n.provision(), "Doubt: %s stands under %s but its code extends %s; the code is followed.", code, parent.code, byCode.code)
		}
		parent = byCode
	}
	u.parent = parent
	f.units = append(f.units, u)
	f.byCode[code] = u
	return u
}

// symbolWordRE is the word that may stand before a code: "Referat Kadr –
// symbol: KD-01", "Referat Kadr o symbolu KD-01".
var symbolWordRE = regexp.MustCompile(`(?i)[\s,–-]*(?:o\s+)?symbol\pL*\s*:?$`)

var (
	headSentenceRE = regexp.MustCompile(`(?i)^(\pL+)\s+(.+?)(?:,\s+zwan\pL*\s+dalej\s+[„"»]?(\pL+)[”"«]?\s*,)?\s+kieruje\s+(.+?)\.?$`)
	symbolRE       = regexp.MustCompile(`(?i)symbol\pL*`)
	titleDeptRE    = regexp.MustCompile(`(?i)zakresu\s+działania\s+(\pL+)\s+(.+)$`)
)

// head reads § 1: the department's name, its head, how many deputies help
// the head, the department's symbol.
func (f *facts) head() {
	d := f.dept
	heads := f.paragraphs(roleHead)
	if len(heads) == 0 {
		where := "§ 1"
		if m := titleDeptRE.FindStringSubmatch(f.title); m != nil {
			if o, ok := f.city.office(m[1]); ok {
				d.name, f.typeGenitive = strings.TrimSpace(o.Nominative+" "+nominative(m[2], o, m[1])), o.Genitive
			}
		}
		if d.name == "" {
			d.name = d.id
		}
		d.provision = where
		f.deputiesSaid = -1
		f.warnAt(f.bodyStart, where, "Doubt: no paragraph says who heads the department (\"… kieruje …\"); the department is named from the title and has no head.")
		f.directorTerm(f.city.Head.Nominative)
		return
	}
	para := heads[0]
	first := para.root
	if para.usesUst {
		first = para.root.children[0]
	}
	d.provision = first.provision()
	m := headSentenceRE.FindStringSubmatch(first.text)
	if m == nil {
		f.warnAt(para.heading, d.provision, "Doubt: %q does not read \"<Wydziałem> …, zwanym dalej …, kieruje …\"; the department is named from the title.", first.text)
		m = []string{"", "", "", "", first.text}
		if t := titleDeptRE.FindStringSubmatch(f.title); t != nil {
			m[1], m[2] = t[1], t[2]
		}
	}
	o, ok := f.city.office(m[1])
	if !ok {
		o = Office{Nominative: m[1], Genitive: m[1], Instrumental: m[1]}
		f.warnAt(para.heading, d.provision, "Doubt: %q is not a kind of department the importer knows (%s); the name is kept as written.", m[1], f.city.officeNames())
	}
	d.name, f.typeGenitive = strings.TrimSpace(o.Nominative+" "+nominative(m[2], o, m[1])), o.Genitive
	if d.name == "" || strings.TrimSpace(m[4]) == "" {
		d.name = f.dept.id
		f.warnAt(para.heading, d.provision, "Doubt: § %d names neither the department nor its head; the department is named by its code.", para.num)
		m[4] = f.city.Head.Nominative
	}
	headWord := strings.Fields(m[4])[0]
	dir := f.directorTerm(headWord)
	dir.provision = d.provision
	f.relate(seed.RelationJSON{Kind: string(org.Heads), From: dir.id, To: d.id, Provision: d.provision})

	f.deputiesSaid = 0
	deputiesRE := regexp.MustCompile(`(?i)przy\s+pomocy\s+(?:(\pL+)\s+)?(` + regexp.QuoteMeta(f.city.Deputy.Stem) + `\pL*)`)
	if dm := deputiesRE.FindStringSubmatch(m[4]); dm != nil && f.city.Deputy.Stem != "" {
		switch n, ok := f.city.Counts[strings.ToLower(dm[1])]; {
		case ok:
			f.deputiesSaid = n
		case strings.EqualFold(dm[2], f.city.Deputy.Genitive) && dm[1] == "":
			f.deputiesSaid = 1
		default:
			f.deputiesSaid = -1
		}
	}
	for i, ust := range para.root.items(levelUst) {
		if i > 0 && symbolRE.MatchString(ust.text) && len(ust.children) == 0 && !unitListRE.MatchString(ust.text) {
			fields := strings.Fields(strings.Trim(ust.text, ". "))
			symbol := strings.Trim(fields[len(fields)-1], ".„”\":")
			d.code = symbol
			if symbol != d.id {
				f.warnAt(ust.parts[0].line, ust.provision(), "Doubt: the symbol %s differs from the prefix %s of the units' codes; the units' prefix stays the department's id.", symbol, d.id)
			}
		}
	}
}

// directorTerm makes the department's head, named by its title
// ("Dyrektor") and the department's short name ("Wydziału").
func (f *facts) directorTerm(headWord string) *position {
	name := headWord + " " + f.typeGenitive
	dir := f.position(slug(name)+"-"+strings.ToLower(f.dept.id), name, "")
	f.director = dir
	t := f.vocab.add(termPosition, dir.id, wordPattern(headWord)+`(?:\s+`+wordPattern(f.typeGenitive)+`)?`)
	t.bare = true // matches without the department's name too; see tasking
	return dir
}

// position returns the position with the id, making it if new.
func (f *facts) position(id, name, provision string) *position {
	if pos := f.positions[id]; pos != nil {
		return pos
	}
	pos := &position{id: id, name: name, provision: provision}
	f.positions[id] = pos
	f.positionOrder = append(f.positionOrder, id)
	return pos
}

// collectMentions finds, by code, where § 3 and the duty headings name the
// units, so that their names can be compared with § 2.
func (f *facts) collectMentions() {
	for _, para := range f.paragraphs(roleReporting) {
		para.root.walk(func(n *node) {
			if n.level != levelItem {
				return
			}
			// "sprawuje nadzór nad: 1) Referatem …" names the units in
			// another case, compared word by word like a duty heading.
			inflected := oversightRE.MatchString(n.parent.text)
			if loc := codeRE.FindStringIndex(n.text); loc != nil {
				if u := f.byCode[n.text[loc[0]:loc[1]]]; u != nil {
					u.mentions = append(u.mentions, mention{provision: n.provision(), text: squeeze(strings.TrimRight(n.text[:loc[0]], " -–—,(")), genitive: inflected})
				}
			}
		})
	}
	for _, para := range f.paragraphs(roleDuties) {
		ref, _ := dutyRef(para.root.text)
		loc := codeRE.FindStringIndex(ref)
		if loc == nil {
			continue
		}
		if u := f.byCode[ref[loc[0]:loc[1]]]; u != nil {
			para.unit = u
			u.mentions = append(u.mentions, mention{provision: "§ " + strconv.Itoa(para.num), text: squeeze(strings.TrimRight(ref[:loc[0]], " (-–")), genitive: true})
		}
	}
}

var compoundDash = regexp.MustCompile(`(\pL)\s*[-–—]\s*(\pL)`)

// normName compares names regardless of spaces around a compound's dash.
func normName(s string) string { return compoundDash.ReplaceAllString(squeeze(s), "$1-$2") }

// reconcileNames compares each unit's name in § 2 with the other places
// that name it. A § 2 name that all the others (two or more) spell alike
// and otherwise is a typo, repaired; any other difference keeps the § 2 form.
func (f *facts) reconcileNames() {
	for _, u := range f.units[1:] {
		_, phrase, _ := f.unitType(u.name)
		k := len(strings.Fields(phrase))
		tail := func(s string) string {
			w := strings.Fields(s)
			if len(w) < k {
				return ""
			}
			return strings.Join(w[k:], " ")
		}
		base := tail(u.name)
		var differ []mention
		for _, m := range u.mentions {
			if (!m.genitive && squeeze(m.text) != u.name) || (m.genitive && !sameWords(base, tail(m.text))) {
				differ = append(differ, m)
			}
		}
		if len(differ) >= 2 && len(differ) == len(u.mentions) && agree(differ, tail) && !sameWords(base, tail(differ[0].text)) && levenshtein(base, tail(differ[0].text)) <= 3 {
			alt := tail(differ[0].text)
			for _, m := range differ {
				if !m.genitive {
					alt = tail(m.text)
				}
			}
			fixed := strings.TrimSpace(phrase + " " + alt)
			var where []string
			for _, m := range differ {
				where = append(where, m.provision)
			}
			f.warnAt(u.node.parts[0].line, u.provision, "Typo repaired: %q read as %q, as %s write it.", wrongWords(base, alt), fixed, strings.Join(where, " and "))
			u.name = fixed
			differ = nil
		}
		for _, m := range differ {
			if m.genitive {
				f.warnAt(u.node.parts[0].line, m.provision, "Spelling normalised: the heading of %s names the unit %q, which § 2 spells %q (%s); the § 2 form is used.", m.provision, m.text, u.name, u.provision)
				continue
			}
			f.warnAt(u.node.parts[0].line, m.provision, "Spelling normalised: %q is the unit named in %s %q; the § 2 form is used.", m.text, u.provision, u.name)
		}
		if u.typo != "" {
			f.warnAt(u.node.parts[0].line, u.provision, "Typo repaired: %q read as %q, %s.", u.typo, u.name, f.writtenAs(u.name))
		}
	}
}

// sameWords reports whether b is a in another case: the same number of
// words, each a form of the word of a ("Biuro Prasowe", "Biura Prasowego").
func sameWords(a, b string) bool {
	wa, wb := strings.Fields(normName(a)), strings.Fields(normName(b))
	if len(wa) != len(wb) {
		return false
	}
	for i := range wa {
		if !regexp.MustCompile(`^(?i:` + wordPattern(wa[i]) + `)$`).MatchString(wb[i]) {
			return false
		}
	}
	return true
}

// writtenAs says where else the text writes a name exactly as repaired.
func (f *facts) writtenAs(name string) string {
	for _, para := range f.paragraphs(roleReporting) {
		found := ""
		para.root.walk(func(n *node) {
			if found == "" && strings.Contains(n.text, name) {
				found = n.provision()
			}
		})
		if found != "" {
			return "as " + found + " writes it"
		}
	}
	return "the spelling of the unit type"
}

func agree(ms []mention, tail func(string) string) bool {
	for _, m := range ms[1:] {
		if !sameWords(tail(m.text), tail(ms[0].text)) {
			return false
		}
	}
	return true
}

// wrongWords returns the words of a that b spells otherwise.
func wrongWords(a, b string) string {
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) != len(wb) {
		return a
	}
	var out []string
	for i := range wa {
		if wa[i] != wb[i] {
			out = append(out, wa[i])
		}
	}
	return strings.Join(out, " ")
}

// buildVocabulary gathers every term the text may name: units, groups of
// units, positions, shared entities.
func (f *facts) buildVocabulary() {
	v := f.vocab
	v.add(termUnit, f.dept.id, phrasePattern(f.dept.name))
	for _, u := range f.units[1:] {
		code := regexp.QuoteMeta(u.code)
		v.add(termUnit, u.id, phrasePattern(u.name)+`(?:\s*[-–]?\s*\(?`+code+`\)?)?`)
		v.add(termUnit, u.id, `\(?`+code+`\)?`)
		if f.city.UnitHead.Stem != "" {
			v.add(termHead, u.id, regexp.QuoteMeta(f.city.UnitHead.Stem)+`\pL*\s+`+phrasePattern(u.name))
		}
		// A standalone post is also named by its holder's title:
		// "Rzecznikiem Prezydenta Miasta Krakowa" for KS-06.
		if u.typ == org.UnitStandalonePost {
			_, phrase, _ := f.unitType(u.name)
			holder := strings.TrimSpace(strings.TrimPrefix(u.name, phrase))
			if holder != "" && !startsLower(holder) && !strings.HasPrefix(holder, "ds.") {
				v.add(termUnit, u.id, phrasePattern(holder))
			}
		}
	}
	dept := wordPattern(f.typeGenitive)
	v.add(termOtherUnits, "", f.city.OtherUnits+`\s+`+dept)
	v.add(termOtherSections, "", f.city.OtherSections+`\s+`+dept)
	head := wordPattern(strings.Fields(f.director.name)[0])
	v.add(termDeputies, "", `(?:jego\s+)?`+f.city.Deputy.Plural+`(?:\s+`+head+`(?:\s+`+dept+`)?)?`)
	for _, sp := range f.city.Officials {
		v.add(termPosition, sp.ID, sp.Pattern)
	}
	for _, se := range f.city.Partners {
		v.add(termEntity, se.ID, se.Pattern)
	}
}

// listProvisions writes "§ 2 pkt 1 and pkt 2" for a list of provisions of
// one paragraph.
func listProvisions(ps []string) string {
	if len(ps) == 0 {
		return ""
	}
	out := []string{ps[0]}
	prefix := ""
	if f := strings.Fields(ps[0]); len(f) >= 2 {
		prefix = f[0] + " " + f[1] + " "
	}
	for _, q := range ps[1:] {
		out = append(out, strings.TrimPrefix(q, prefix))
	}
	if len(out) == 1 {
		return out[0]
	}
	return strings.Join(out[:len(out)-1], ", ") + " and " + out[len(out)-1]
}
