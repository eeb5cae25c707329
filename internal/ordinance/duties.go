package ordinance

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/seed"
)

// This file reads the duties (one paragraph per unit, and one for all
// units), and the relations their items state: who may commission tasks,
// and who cooperates with whom.

// dutyParagraphs records every item, letter and dash of the duty paragraphs
// and the relations they state.
func (f *facts) dutyParagraphs() {
	paras := append(f.paragraphs(roleDuties), f.paragraphs(roleCommon)...)
	sortByNumber(paras)
	var lists []*node
	for _, para := range f.paras {
		if para.role == roleDuties || para.role == roleCommon {
			continue
		}
		// The department's own scope as a section of another paragraph:
		// "§ 1 … 4. Zakres działania Wydziału obejmuje: 1) … 2) …".
		for _, ust := range para.root.items(levelUst) {
			if _, ok := dutyRef(ust.text); ok {
				lists = append(lists, ust)
			}
		}
	}
	for _, para := range paras {
		lists = append(lists, para.root)
	}
	// A shared entity takes the provision that first names it.
	order := 0
	for _, list := range lists {
		list.walk(func(n *node) {
			if n.level < levelItem {
				return
			}
			for _, m := range f.vocab.scan(n.text) {
				if _, ok := f.mentioned[m.term.id]; m.term.kind == termEntity && !ok {
					f.mentioned[m.term.id] = mentionAt{n.provision(), order}
					order++
				}
			}
		})
	}
	recorded := map[string]bool{}
	for _, list := range lists {
		para := list.para
		u, common := para.unit, para.role == roleCommon && list == para.root
		if common {
			u = f.dept
		}
		if u == nil {
			ref, _ := dutyRef(list.text)
			u = f.unitNamed(ref)
		}
		if u == nil {
			count := 0
			list.walk(func(n *node) {
				if n.level >= levelItem {
					count++
				}
			})
			f.warnAt(f.firstLine(list), list.provision(), "Doubt: the heading of %s names no unit of the list of units (%q); its %d duties are not recorded.", list.provision(), list.text, count)
			continue
		}
		if list == para.root {
			para.unit = u
		}
		speakers := []*unit{u}
		if common {
			speakers = f.units[1:]
		}
		list.walk(func(n *node) {
			if n.level < levelItem {
				return
			}
			if n.text == "" {
				f.warnAt(f.firstLine(n), n.provision(), "Doubt: %s has no text; it is not recorded as a duty.", n.provision())
				return
			}
			if recorded[n.provision()] {
				f.warnAt(f.firstLine(n), n.provision(), "Doubt: the text has %s twice (the second: %q); only the first is recorded as a duty.", n.provision(), quote(n.text, 8))
				return
			}
			recorded[n.provision()] = true
			f.duties = append(f.duties, seed.DutyJSON{Unit: u.id, Provision: n.provision(), Text: n.text, Common: common})
			f.tasking(n, speakers)
			f.cooperation(n, speakers)
		})
	}
}

// unitNamed is the unit a heading names ("Referatu Geodezji (GD-01)",
// "Wydziału"), or nil.
func (f *facts) unitNamed(ref string) *unit {
	if loc := codeRE.FindStringIndex(ref); loc != nil {
		if u := f.byCode[ref[loc[0]:loc[1]]]; u != nil {
			return u
		}
	}
	if m, ok := f.vocab.at(ref, 0); ok && m.term.kind == termUnit {
		if m.term.id == f.dept.id {
			return f.dept
		}
		return f.byCode[m.term.id]
	}
	// The department by its kind alone: "Zakres działania Wydziału".
	if w := strings.Fields(ref); len(w) == 1 {
		if o, ok := f.city.office(w[0]); ok && strings.HasPrefix(f.dept.name, o.Nominative+" ") {
			return f.dept
		}
	}
	return nil
}

var taskRE = regexp.MustCompile(`(?i)(?:zleconych|zlecanych|zlecone|powierzonych|powierzone)\s+przez\s+`)

// tasking reads "wykonywanie innych zadań zleconych przez …": every
// position listed may task the unit.
func (f *facts) tasking(n *node, speakers []*unit) {
	loc := taskRE.FindStringIndex(n.text)
	if loc == nil {
		return
	}
	prov, line := n.provision(), n.parts[0].line
	tail := n.text[loc[1]:]
	ms, end := f.vocab.list(tail)
	var who []string
	for i, m := range ms {
		switch m.term.kind {
		case termPosition:
			who = append(who, f.use(m.term.id, prov))
			if m.term.bare && len(strings.Fields(m.text)) == 1 && i == len(ms)-1 && !endsSentence(n.text) {
				f.truncatedTitle(n, m)
			}
		case termDeputies:
			for _, d := range f.deputies {
				who = append(who, f.use(d.id, prov))
			}
		case termHead:
			who = append(who, f.headOf(m, prov))
		default:
			f.warnAt(line, prov, "Doubt: %q in the list of who may commission tasks is not a position; not linked.", m.text)
		}
	}
	if rest := strip(tail[end:]); rest != "" {
		f.warnAt(line, prov, "Doubt: %q in the list of who may commission tasks is not a position the importer knows; not linked.", rest)
	}
	for _, w := range who {
		for _, s := range speakers {
			f.relate(seed.RelationJSON{Kind: string(org.MayTask), From: w, To: s.id, Provision: prov})
		}
	}
}

// endsSentence reports whether a text ends with a punctuation mark.
func endsSentence(s string) bool { return strings.ContainsRune(";.,:", lastRune(s)) }

// truncatedTitle records the doubt of an item that ends on the head's
// title without the department's name, as when a page break ate the rest.
func (f *facts) truncatedTitle(n *node, m match) {
	last := n.parts[len(n.parts)-1].line
	at := "at the end of line " + strconv.Itoa(f.lineOf(last))
	if a, b := f.gapAfter(last); b > a {
		at = "at the page break (lines " + strconv.Itoa(a) + "–" + strconv.Itoa(b) + ")"
	}
	complement := strings.TrimSpace(strings.TrimPrefix(f.director.name, strings.Fields(f.director.name)[0]))
	f.warnAt(last, n.provision(), "Doubt: the item ends %q with no final punctuation; %q was probably lost %s. Text kept as written; %q is read as the %s for MAY_TASK.",
		quote(n.text, 2), complement+".", at, m.text, f.director.name)
	f.settled[n] = true
}

// gapAfter returns the line numbers of the run of blank lines after line
// index i, or 0, 0.
func (p *provisions) gapAfter(i int) (int, int) {
	j := i + 1
	for j < len(p.lines) && p.lines[j].kind == blankLine {
		j++
	}
	if j == i+1 {
		return 0, 0
	}
	return p.lineOf(i + 1), p.lineOf(j - 1)
}

var (
	coopRE      = regexp.MustCompile(`(?i)współprac(?:a|y|ę|ą)\s+ze?\s+`)
	strengthRE  = regexp.MustCompile(`(?i)(ścisł\pL*|stał\pL*)\s+$`)
	adverbialRE = regexp.MustCompile(`(?i)(?:^|\s)(we?)\s+$`)
	purposeRE   = regexp.MustCompile(`(?i)(?:^|\s)(na\s+potrzeby)\s+$`)
	scopeRE     = regexp.MustCompile(`(?i)^\s*,?\s*(w\s+zakresie|w\s+sprawach|w\s+organizowaniu|w\s+celu|przy)\s`)
	scopeAnyRE  = regexp.MustCompile(`(?i)\s(w\s+zakresie|w\s+sprawach|w\s+organizowaniu|w\s+celu|przy)\s`)
	scopeEndRE  = regexp.MustCompile(`,\s+w\s+tym|;`)
	relativeRE  = regexp.MustCompile(`(?i)^,\s+któr\pL*\s`)
	instrRE     = regexp.MustCompile(`^\s*(?:,\s*(?:oraz\s+|i\s+)?|oraz\s+|i\s+)(\pL+(?:em|ami|ą|imi|ymi|om))(?:[^\pL]|$)`)
	upperNextRE = regexp.MustCompile(`^\s+\p{Lu}`)
)

// cooperation reads every "współpraca z …" of an item: its strength
// (ścisła, stała), its partners, its scope words.
func (f *facts) cooperation(n *node, speakers []*unit) {
	text, prov, line := n.text, n.provision(), n.parts[0].line
	for _, loc := range coopRE.FindAllStringIndex(text, -1) {
		if isLetterAt(text, loc[0]-1) {
			continue
		}
		start := loc[0]
		strength := org.Plain
		if m := strengthRE.FindStringSubmatchIndex(text[:start]); m != nil {
			if strings.HasPrefix(strings.ToLower(text[m[2]:m[3]]), "ści") {
				strength = org.Close
			} else {
				strength = org.Standing
			}
			start = m[2]
		}
		adverbial := false
		if m := adverbialRE.FindStringSubmatchIndex(text[:start]); m != nil {
			adverbial, start = true, m[2]
		} else if m := purposeRE.FindStringSubmatchIndex(text[:start]); m != nil {
			f.warnAt(line, prov, "Doubt: %q names a cooperation without saying who cooperates; no relation recorded.", strip(text[m[2]:]))
			continue
		}
		ms, end := f.vocab.list(text[loc[1]:])
		end += loc[1]
		if len(ms) == 0 || upperNextRE.MatchString(text[end:]) {
			stop := len(text)
			if s := scopeAnyRE.FindStringIndex(text[loc[1]:]); s != nil {
				stop = loc[1] + s[0]
			}
			f.warnAt(line, prov, "Doubt: the partner in %q is neither a unit of the act nor a body the importer knows; no relation recorded.", strip(text[start:stop]))
			continue
		}
		if m := instrRE.FindStringSubmatch(text[end:]); m != nil && !scopeRE.MatchString(text[end:]) {
			f.warnAt(line, prov, "Doubt: the cooperation in %q also names %q, which the importer does not know; not linked.", strip(text[start:]), m[1])
		}
		// A relative clause belongs to the partner: "organizatorami
		// wydarzeń, które są współfinansowane przez Miasto".
		if relativeRE.MatchString(text[end:]) {
			rest := text[end:]
			stop := len(rest)
			for _, re := range []*regexp.Regexp{scopeAnyRE, scopeEndRE} {
				if s := re.FindStringIndex(rest); s != nil && s[0] < stop {
					stop = s[0]
				}
			}
			end += stop
		}
		phrase := strip(text[start:end])
		scope := ""
		if s := scopeRE.FindStringSubmatchIndex(text[end:]); s != nil {
			from := end + s[2]
			to := len(text)
			if e := scopeEndRE.FindStringIndex(text[from:]); e != nil {
				to = from + e[0]
			}
			scope = strip(text[from:to])
		} else if adverbial {
			// "przygotowywanie we współpracy z X projektu budżetu": the
			// cooperation qualifies the activity around it.
			clause := strings.LastIndex(text[:start], ":") + 1
			before := strings.TrimRight(strings.TrimSpace(text[clause:start]), ",")
			after := text[end:]
			if e := strings.IndexAny(after, ";"); e >= 0 {
				after = after[:e]
			}
			scope = squeeze(before + " " + strip(after))
		}
		for _, s := range speakers {
			f.partners(s, ms, seed.RelationJSON{
				Kind: string(org.CooperatesWith), From: s.id, Provision: prov,
				Strength: string(strength), Phrase: phrase, Scope: scope,
			})
		}
	}
}

// partners relates a speaker to every partner the list names.
func (f *facts) partners(s *unit, ms []match, r seed.RelationJSON) {
	named := map[string]bool{}
	for _, m := range ms {
		if m.term.kind == termUnit {
			named[m.term.id] = true
		}
	}
	to := func(id, reason string) {
		rel := r
		rel.To = id
		if reason != "" {
			rel.Basis, rel.Reason = string(org.Inferred), reason
		}
		f.relate(rel)
	}
	for _, m := range ms {
		switch m.term.kind {
		case termUnit:
			to(m.term.id, "")
		case termEntity:
			f.entity(m.term.id)
			to(m.term.id, "")
		case termPosition:
			to(f.use(m.term.id, r.Provision), "")
		case termHead:
			to(f.headOf(m, r.Provision), "")
		case termDeputies:
			for _, d := range f.deputies {
				to(f.use(d.id, r.Provision), "")
			}
		case termOtherUnits:
			for _, u := range f.units[1:] {
				if u != s {
					to(u.id, "")
				}
			}
		case termOtherSections:
			core := m.text
			if w := strings.Fields(core); len(w) > 2 {
				core = strings.Join(w[1:], " ")
			}
			for _, u := range f.units[1:] {
				switch {
				case u == s || named[u.id]:
				case u.typ == org.UnitSection:
					to(u.id, "")
				default:
					to(u.id, "«"+core+"» read as the Department's units; "+u.code+" is not named a referat but "+typeNames[u.typ])
				}
			}
		}
	}
}

// entity returns the shared entity with the id, adding it to the act with
// the provision that first names it.
func (f *facts) entity(id string) *entity {
	if e := f.entityByID[id]; e != nil {
		return e
	}
	for _, se := range f.city.Partners {
		if se.ID == id {
			at := f.mentioned[id]
			e := &entity{id: id, name: se.Name, category: se.Category, provision: at.provision, order: at.order}
			f.entityByID[id] = e
			f.entities = append(f.entities, e)
			return e
		}
	}
	return nil
}
