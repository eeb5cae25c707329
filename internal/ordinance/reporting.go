package ordinance

import (
	"regexp"
	"strings"

	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/seed"
)

// This file reads who reports to whom (§ 3, and any sentence of § 1 that
// puts the department under an official), and makes the positions the text
// names on the way.

// deputyTerm makes a deputy of the head from its title in the nominative.
func (f *facts) deputyTerm(name, provision string) *position {
	id := slug(name) + "-" + strings.ToLower(f.dept.id)
	if pos := f.positions[id]; pos != nil {
		return pos
	}
	pos := f.position(id, name, provision)
	f.deputies = append(f.deputies, pos)
	words := strings.Fields(name)
	pattern := phrasePattern(strings.Join(words[:min(2, len(words))], " "))
	if rest := strings.Join(words[min(2, len(words)):], " "); rest != "" {
		if strings.Contains(rest, "ds.") {
			pattern += `\s+` + phrasePattern(rest)
		} else {
			pattern += `(?:\s+` + phrasePattern(rest) + `)?`
		}
	}
	f.vocab.add(termPosition, id, pattern)
	return pos
}

var (
	subordinationRE = regexp.MustCompile(`(?i)^(.*?)\s+podlega(?:ją)?(?:\s+(bezpośrednio|merytorycznie))?\s*(?::\s*$|:?\s+(.*?)\.?$|$)`)
	// passiveRE is "Bezpośredni nadzór nad Referatem … sprawuje Zastępca
	// Dyrektora": the subordinate first, in the instrumental.
	passiveRE     = regexp.MustCompile(`(?i)^(?:bezpośredni\s+)?nadzór\s+nad\s+(.+?)\s+sprawuj\pL*\s+(.+?)\.?$`)
	listSepRE     = regexp.MustCompile(`\s*(?:,|;|\s+oraz)\s+`)
	supervisionRE = regexp.MustCompile(`(?i)^nadzór\s+merytoryczny\s+nad\s+(.+?)\s+sprawuje\s+(.+?)\.?$`)
	// oversightRE is the superior first, the subordinates after, in the
	// instrumental or the accusative: "Dyrektor Wydziału sprawuje
	// bezpośredni nadzór nad: 1) Referatem …", "Zastępca Dyrektora nadzoruje
	// pracę: 1) Referatu …".
	oversightRE = regexp.MustCompile(`(?i)^(.*?)\s+(?:sprawuj\pL*\s+(?:bezpośredni\s+)?nadzór\s+nad|nadzoruj\pL*(?:\s+bezpośrednio)?(?:\s+(?:pracę|pracą|działalność))?)\s*(?::\s*$|\s+(.*?)\.?$|$)`)
)

// reporting reads who reports to whom: § 3, and any sentence of § 1 that
// puts the department under an official ("podlega merytorycznie …").
func (f *facts) reporting() {
	var statements []*node
	for _, para := range f.paragraphs(roleHead) {
		for i, ust := range para.root.items(levelUst) {
			if i > 0 {
				statements = append(statements, ust)
			}
		}
	}
	for _, para := range f.paragraphs(roleReporting) {
		if para.usesUst {
			statements = append(statements, para.root.items(levelUst)...)
		} else {
			statements = append(statements, para.root)
		}
	}
	for _, st := range statements {
		f.statement(st)
	}
}

// statement reads one sentence of subordination, with or without a list.
func (f *facts) statement(st *node) {
	prov := st.provision()
	line := f.firstLine(st)
	if m := supervisionRE.FindStringSubmatch(st.text); m != nil {
		sub, sup := f.subject(m[1], prov, line), f.superior(m[2], prov, line)
		if sub != "" && sup != "" {
			f.relate(seed.RelationJSON{Kind: string(org.Supervises), From: sup, To: sub, Provision: prov})
		}
		return
	}
	if m := oversightRE.FindStringSubmatch(st.text); m != nil && !strings.Contains(strings.ToLower(st.text), "merytoryczn") {
		sup := f.superior(m[1], prov, line)
		items := st.items(levelItem)
		if len(items) == 0 && m[2] != "" {
			ms, _ := f.vocab.list(m[2])
			for _, mm := range ms {
				if sub := f.subject(mm.text, prov, line); sub != "" && sup != "" {
					f.relate(seed.RelationJSON{Kind: string(org.ReportsTo), From: sub, To: sup, Provision: prov})
				}
			}
			return
		}
		for _, it := range items {
			if sub := f.subject(strip(it.text), it.provision(), it.parts[0].line); sub != "" && sup != "" {
				f.relate(seed.RelationJSON{Kind: string(org.ReportsTo), From: sub, To: sup, Provision: it.provision()})
			}
		}
		return
	}
	if m := passiveRE.FindStringSubmatch(st.text); m != nil {
		sup := f.superior(m[2], prov, line)
		for _, piece := range listSepRE.Split(m[1], -1) {
			if sub := f.subject(piece, prov, line); sub != "" && sup != "" {
				f.relate(seed.RelationJSON{Kind: string(org.ReportsTo), From: sub, To: sup, Provision: prov})
			}
		}
		return
	}
	m := subordinationRE.FindStringSubmatch(st.text)
	if m == nil {
		if st.para.role == roleReporting && st.text != "" {
			f.warnAt(line, prov, "Doubt: %q says nothing the importer reads as a reporting line; not linked.", st.text)
		}
		return
	}
	kind := org.ReportsTo
	if strings.EqualFold(m[2], "merytorycznie") {
		kind = org.Supervises
	}
	link := func(sub, sup, prov string) {
		if sub == "" || sup == "" {
			return
		}
		if kind == org.Supervises {
			f.relate(seed.RelationJSON{Kind: string(kind), From: sup, To: sub, Provision: prov})
			return
		}
		f.relate(seed.RelationJSON{Kind: string(kind), From: sub, To: sup, Provision: prov})
	}
	items := st.items(levelItem)
	if len(items) > 0 || m[3] == "" {
		sup := f.superior(m[1], prov, line)
		for _, it := range items {
			link(f.subject(strip(it.text), it.provision(), it.parts[0].line), sup, it.provision())
		}
		return
	}
	// "X podlega bezpośrednio Y": the subject comes first, unless the
	// first half names an official in the dative ("Dyrektorowi … podlega Referat …").
	left, right := m[1], m[3]
	// "Dyrektorowi Biura podlegają bezpośrednio: Zastępca Dyrektora,
	// Referat … – FE-01 oraz Samodzielne stanowisko … – FE-03": an official
	// in the dative, then the list of who reports to it.
	if ml, ok := f.vocab.at(strip(left), 0); ok && ml.term.kind == termPosition && strip(strip(left)[ml.end:]) == "" && listSepRE.MatchString(right) {
		sup := f.superior(left, prov, line)
		for _, piece := range listSepRE.Split(right, -1) {
			link(f.subject(piece, prov, line), sup, prov)
		}
		return
	}
	if mm, ok := f.vocab.at(right, 0); ok && mm.term.kind == termUnit && !f.standalonePost(left) {
		if ml, ok := f.vocab.at(left, 0); ok && (ml.term.kind == termPosition || ml.term.kind == termHead) {
			left, right = right, left
		}
	}
	link(f.subject(left, prov, line), f.superior(right, prov, line), prov)
}

// standalonePost reports whether a text opens with a standalone post's
// type ("Samodzielne stanowisko Rzecznika Prezydenta …"): a unit that is
// the subject of "… podlega …" though its name holds an official's title.
func (f *facts) standalonePost(text string) bool {
	typ, _, typo := f.unitType(text)
	return typ == org.UnitStandalonePost && typo == ""
}

// deputyTitle reads a deputy of the head by title, in any case:
// "Zastępcy Dyrektora ds. Promocji" gives "Dyrektora ds. Promocji",
// "Zastępca Kierownika ds. Obsługi Klientów" gives "Kierownika ds. Obsługi
// Klientów"; "" when the text names no deputy of the head.
func (f *facts) deputyTitle(text string) string {
	if f.city.Deputy.Stem == "" {
		return ""
	}
	head := strings.Fields(f.director.name)[0]
	m := regexp.MustCompile(`(?i)^` + regexp.QuoteMeta(f.city.Deputy.Stem) + `\pL*\s+(` + wordPattern(head) + `.*)$`).FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return m[1]
}

// firstLine is the index of the first line of a node's text.
func (p *provisions) firstLine(n *node) int {
	if len(n.parts) > 0 {
		return n.parts[0].line
	}
	return n.para.heading
}

// subject resolves who is subordinated: a unit by its code or name, a
// position, or a deputy named here for the first time.
func (f *facts) subject(text, prov string, line int) string {
	text = strip(text)
	if loc := codeRE.FindStringIndex(text); loc != nil {
		if u := f.byCode[text[loc[0]:loc[1]]]; u != nil {
			return u.id
		}
	}
	if m, ok := f.vocab.at(text, 0); ok && strip(text[m.end:]) == "" {
		if m.term.kind == termHead {
			return f.headOf(m, prov)
		}
		return f.use(m.term.id, prov)
	}
	if first := strings.Fields(text); len(first) > 0 {
		if o, ok := f.city.office(first[0]); ok && o.Nominative == strings.SplitN(f.dept.name, " ", 2)[0] && len(first) == 1 {
			return f.dept.id
		}
	}
	if m := f.deputyTitle(text); m != "" {
		return f.use(f.deputyTerm(f.city.Deputy.Nominative+" "+m, prov).id, prov)
	}
	f.warnAt(line, prov, "Doubt: %q is neither a unit of § 2 nor a position the importer knows; its reporting line is not linked.", text)
	return ""
}

// superior resolves to whom: a position (in the dative), or a unit by its head.
func (f *facts) superior(text, prov string, line int) string {
	text = strip(text)
	if m, ok := f.vocab.at(text, 0); ok && strip(text[m.end:]) == "" {
		switch m.term.kind {
		case termHead:
			return f.headOf(m, prov)
		case termPosition, termUnit:
			return f.use(m.term.id, prov)
		}
	}
	if m := f.deputyTitle(text); m != "" {
		return f.use(f.deputyTerm(f.city.Deputy.Nominative+" "+m, prov).id, prov)
	}
	f.warnAt(line, prov, "Doubt: %q is not a position the importer knows; the reporting line is not linked.", text)
	return ""
}

// headOf returns the position of a unit's head named by title
// ("Kierownika Referatu Podatku od Nieruchomości"), making it, and the
// HEADS relation the title states, where the text first names it. Its id
// is "kierownik-referatu-po-01": the title's words and the unit's id.
func (f *facts) headOf(m match, prov string) string {
	u := f.byCode[m.term.id]
	words := strings.Fields(squeeze(m.text))
	title := f.city.UnitHead.Nominative
	id := slug(title+" "+words[1]) + "-" + strings.ToLower(u.id)
	if f.positions[id] == nil {
		f.position(id, title+" "+strings.Join(words[1:], " "), prov)
		f.relate(seed.RelationJSON{Kind: string(org.Heads), From: id, To: u.id, Provision: prov})
	}
	return f.use(id, prov)
}

// use marks a position as part of the act and returns its id; a shared
// position gets the provision where the act first uses it.
func (f *facts) use(id, provision string) string {
	pos := f.positions[id]
	if pos == nil {
		for _, sp := range f.city.Officials {
			if sp.ID == id {
				pos = f.position(id, sp.Name, provision)
				pos.shared = true
			}
		}
	}
	if pos != nil {
		pos.used = true
		if pos.provision == "" {
			pos.provision = provision
		}
	}
	return id
}

// deputyMembership makes the deputies named in § 3 members of the
// department, and checks their number against § 1.
func (f *facts) deputyMembership() {
	heads := f.paragraphs(roleHead)
	if len(heads) == 0 {
		return
	}
	line := heads[0].heading
	if f.deputiesSaid > 0 && len(f.deputies) == 0 {
		name := f.city.Deputy.Nominative + " " + strings.Fields(f.director.name)[0] + "a"
		if f.deputiesSaid == 1 {
			f.deputyTerm(name, f.dept.provision)
		}
		f.warnAt(line, f.dept.provision, "Doubt: %s gives the head %s, and no paragraph names them; %s.", f.dept.provision, deputiesPhrase(f.deputiesSaid), map[bool]string{true: "one \"" + name + "\" is recorded", false: "none is recorded"}[f.deputiesSaid == 1])
	} else if f.deputiesSaid >= 0 && f.deputiesSaid != len(f.deputies) {
		f.warnAt(line, f.dept.provision, "Doubt: %s gives the head %s but the text names %d; the named ones are recorded.", f.dept.provision, deputiesPhrase(f.deputiesSaid), len(f.deputies))
	}
	// A deputy's membership is cited where the text names the deputy (in
	// the list of who reports to the head of the department), not at § 1,
	// which gives the head deputies but names none.
	for _, d := range f.deputies {
		f.use(d.id, f.dept.provision)
		f.relate(seed.RelationJSON{Kind: string(org.PartOf), From: d.id, To: f.dept.id, Provision: d.provision})
	}
}

func deputiesPhrase(n int) string {
	if n == 1 {
		return "one Deputy"
	}
	return numberWord(n) + " Deputies"
}

// relate records a relation once; the same edge from the same provision is
// one relation.
func (f *facts) relate(r seed.RelationJSON) {
	key := r.Kind + "|" + r.From + "|" + r.To + "|" + r.Provision
	if f.relSeen[key] || r.From == r.To {
		return
	}
	f.relSeen[key] = true
	if r.Basis == "" {
		r.Basis = string(org.Stated)
	}
	for _, id := range []string{r.From, r.To} {
		if pos := f.positions[id]; pos != nil {
			pos.used = true
		}
	}
	f.relations = append(f.relations, r)
}
