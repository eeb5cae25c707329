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
func (p *parser) deputyTerm(name, provision string) *position {
	id := slug(name) + "-" + strings.ToLower(p.dept.id)
	if pos := p.positions[id]; pos != nil {
		return pos
	}
	pos := p.position(id, name, provision)
	p.deputies = append(p.deputies, pos)
	words := strings.Fields(name)
	pattern := phrasePattern(strings.Join(words[:min(2, len(words))], " "))
	if rest := strings.Join(words[min(2, len(words)):], " "); rest != "" {
		if strings.Contains(rest, "ds.") {
			pattern += `\s+` + phrasePattern(rest)
		} else {
			pattern += `(?:\s+` + phrasePattern(rest) + `)?`
		}
	}
	p.vocab.add(termPosition, id, pattern)
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
func (p *parser) reporting() {
	var statements []*node
	for _, para := range p.paragraphs(roleHead) {
		for i, ust := range para.root.items(levelUst) {
			if i > 0 {
				statements = append(statements, ust)
			}
		}
	}
	for _, para := range p.paragraphs(roleReporting) {
		if para.usesUst {
			statements = append(statements, para.root.items(levelUst)...)
		} else {
			statements = append(statements, para.root)
		}
	}
	for _, st := range statements {
		p.statement(st)
	}
}

// statement reads one sentence of subordination, with or without a list.
func (p *parser) statement(st *node) {
	prov := st.provision()
	line := p.firstLine(st)
	if m := supervisionRE.FindStringSubmatch(st.text); m != nil {
		sub, sup := p.subject(m[1], prov, line), p.superior(m[2], prov, line)
		if sub != "" && sup != "" {
			p.relate(seed.RelationJSON{Kind: string(org.Supervises), From: sup, To: sub, Provision: prov})
		}
		return
	}
	if m := oversightRE.FindStringSubmatch(st.text); m != nil && !strings.Contains(strings.ToLower(st.text), "merytoryczn") {
		sup := p.superior(m[1], prov, line)
		items := st.items(levelItem)
		if len(items) == 0 && m[2] != "" {
			ms, _ := p.vocab.list(m[2])
			for _, mm := range ms {
				if sub := p.subject(mm.text, prov, line); sub != "" && sup != "" {
					p.relate(seed.RelationJSON{Kind: string(org.ReportsTo), From: sub, To: sup, Provision: prov})
				}
			}
			return
		}
		for _, it := range items {
			if sub := p.subject(strip(it.text), it.provision(), it.parts[0].line); sub != "" && sup != "" {
				p.relate(seed.RelationJSON{Kind: string(org.ReportsTo), From: sub, To: sup, Provision: it.provision()})
			}
		}
		return
	}
	if m := passiveRE.FindStringSubmatch(st.text); m != nil {
		sup := p.superior(m[2], prov, line)
		for _, piece := range listSepRE.Split(m[1], -1) {
			if sub := p.subject(piece, prov, line); sub != "" && sup != "" {
				p.relate(seed.RelationJSON{Kind: string(org.ReportsTo), From: sub, To: sup, Provision: prov})
			}
		}
		return
	}
	m := subordinationRE.FindStringSubmatch(st.text)
	if m == nil {
		if st.para.role == roleReporting && st.text != "" {
			p.warnAt(line, prov, "Doubt: %q says nothing the importer reads as a reporting line; not linked.", st.text)
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
			p.relate(seed.RelationJSON{Kind: string(kind), From: sup, To: sub, Provision: prov})
			return
		}
		p.relate(seed.RelationJSON{Kind: string(kind), From: sub, To: sup, Provision: prov})
	}
	items := st.items(levelItem)
	if len(items) > 0 || m[3] == "" {
		sup := p.superior(m[1], prov, line)
		for _, it := range items {
			link(p.subject(strip(it.text), it.provision(), it.parts[0].line), sup, it.provision())
		}
		return
	}
	// "X podlega bezpośrednio Y": the subject comes first, unless the
	// first half names an official in the dative ("Dyrektorowi … podlega Referat …").
	left, right := m[1], m[3]
	// "Dyrektorowi Biura podlegają bezpośrednio: Zastępca Dyrektora,
	// Referat … – FE-01 oraz Samodzielne stanowisko … – FE-03": an official
	// in the dative, then the list of who reports to it.
	if ml, ok := p.vocab.at(strip(left), 0); ok && ml.term.kind == termPosition && strip(strip(left)[ml.end:]) == "" && listSepRE.MatchString(right) {
		sup := p.superior(left, prov, line)
		for _, piece := range listSepRE.Split(right, -1) {
			link(p.subject(piece, prov, line), sup, prov)
		}
		return
	}
	if mm, ok := p.vocab.at(right, 0); ok && mm.term.kind == termUnit && !strings.HasPrefix(strings.ToLower(left), "samodzieln") {
		if ml, ok := p.vocab.at(left, 0); ok && (ml.term.kind == termPosition || ml.term.kind == termHead) {
			left, right = right, left
		}
	}
	link(p.subject(left, prov, line), p.superior(right, prov, line), prov)
}

// deputyTitle reads a deputy of the head by title, in any case:
// "Zastępcy Dyrektora ds. Promocji" gives "Dyrektora ds. Promocji",
// "Zastępca Kierownika ds. Obsługi Klientów" gives "Kierownika ds. Obsługi
// Klientów"; "" when the text names no deputy of the head.
func (p *parser) deputyTitle(text string) string {
	head := strings.Fields(p.director.name)[0]
	m := regexp.MustCompile(`(?i)^Zastęp\pL*\s+(` + wordPattern(head) + `.*)$`).FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return m[1]
}

// firstLine is the index of the first line of a node's text.
func (p *parser) firstLine(n *node) int {
	if len(n.parts) > 0 {
		return n.parts[0].line
	}
	return n.para.heading
}

// subject resolves who is subordinated: a unit by its code or name, a
// position, or a deputy named here for the first time.
func (p *parser) subject(text, prov string, line int) string {
	text = strip(text)
	if loc := codeRE.FindStringIndex(text); loc != nil {
		if u := p.byCode[text[loc[0]:loc[1]]]; u != nil {
			return u.id
		}
	}
	if m, ok := p.vocab.at(text, 0); ok && strip(text[m.end:]) == "" {
		if m.term.kind == termHead {
			return p.headOf(m, prov)
		}
		return p.use(m.term.id, prov)
	}
	if first := strings.Fields(text); len(first) > 0 {
		if o, ok := p.city.office(first[0]); ok && o.Nominative == strings.SplitN(p.dept.name, " ", 2)[0] && len(first) == 1 {
			return p.dept.id
		}
	}
	if m := p.deputyTitle(text); m != "" {
		return p.use(p.deputyTerm("Zastępca "+m, prov).id, prov)
	}
	p.warnAt(line, prov, "Doubt: %q is neither a unit of § 2 nor a position the importer knows; its reporting line is not linked.", text)
	return ""
}

// superior resolves to whom: a position (in the dative), or a unit by its head.
func (p *parser) superior(text, prov string, line int) string {
	text = strip(text)
	if m, ok := p.vocab.at(text, 0); ok && strip(text[m.end:]) == "" {
		switch m.term.kind {
		case termHead:
			return p.headOf(m, prov)
		case termPosition, termUnit:
			return p.use(m.term.id, prov)
		}
	}
	if m := p.deputyTitle(text); m != "" {
		return p.use(p.deputyTerm("Zastępca "+m, prov).id, prov)
	}
	p.warnAt(line, prov, "Doubt: %q is not a position the importer knows; the reporting line is not linked.", text)
	return ""
}

// headOf returns the position of a unit's head named by title
// ("Kierownika Referatu Podatku od Nieruchomości"), making it, and the
// HEADS relation the title states, where the text first names it. Its id
// is "kierownik-referatu-po-01": the title's words and the unit's id.
func (p *parser) headOf(m match, prov string) string {
	u := p.byCode[m.term.id]
	words := strings.Fields(squeeze(m.text))
	id := slug("Kierownik "+words[1]) + "-" + strings.ToLower(u.id)
	if p.positions[id] == nil {
		p.position(id, "Kierownik "+strings.Join(words[1:], " "), prov)
		p.relate(seed.RelationJSON{Kind: string(org.Heads), From: id, To: u.id, Provision: prov})
	}
	return p.use(id, prov)
}

// use marks a position as part of the act and returns its id; a shared
// position gets the provision where the act first uses it.
func (p *parser) use(id, provision string) string {
	pos := p.positions[id]
	if pos == nil {
		for _, sp := range p.city.Officials {
			if sp.ID == id {
				pos = p.position(id, sp.Name, provision)
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
func (p *parser) deputyMembership() {
	heads := p.paragraphs(roleHead)
	if len(heads) == 0 {
		return
	}
	line := heads[0].heading
	if p.deputiesSaid > 0 && len(p.deputies) == 0 {
		name := "Zastępca " + strings.Fields(p.director.name)[0] + "a"
		if p.deputiesSaid == 1 {
			p.deputyTerm(name, p.dept.provision)
		}
		p.warnAt(line, p.dept.provision, "Doubt: %s gives the head %s, and no paragraph names them; %s.", p.dept.provision, deputiesPhrase(p.deputiesSaid), map[bool]string{true: "one \"" + name + "\" is recorded", false: "none is recorded"}[p.deputiesSaid == 1])
	} else if p.deputiesSaid >= 0 && p.deputiesSaid != len(p.deputies) {
		p.warnAt(line, p.dept.provision, "Doubt: %s gives the head %s but the text names %d; the named ones are recorded.", p.dept.provision, deputiesPhrase(p.deputiesSaid), len(p.deputies))
	}
	// A deputy's membership is cited where the text names the deputy (in
	// the list of who reports to the head of the department), not at § 1,
	// which gives the head deputies but names none.
	for _, d := range p.deputies {
		p.use(d.id, p.dept.provision)
		p.relate(seed.RelationJSON{Kind: string(org.PartOf), From: d.id, To: p.dept.id, Provision: d.provision})
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
func (p *parser) relate(r seed.RelationJSON) {
	key := r.Kind + "|" + r.From + "|" + r.To + "|" + r.Provision
	if p.relSeen[key] || r.From == r.To {
		return
	}
	p.relSeen[key] = true
	if r.Basis == "" {
		r.Basis = string(org.Stated)
	}
	for _, id := range []string{r.From, r.To} {
		if pos := p.positions[id]; pos != nil {
			pos.used = true
		}
	}
	p.relations = append(p.relations, r)
}
