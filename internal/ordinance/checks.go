package ordinance

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// This file turns the scars the parser met into warnings: paragraphs out of
// place, page breaks, lost numbers, a truncated end, odd punctuation.

// checkStructure reports how the text departs from the act's order.
func (p *parser) checkStructure() {
	for _, d := range p.displaced {
		p.displacedWarning(d)
	}
	for _, para := range p.paras {
		if para.interrupts != nil {
			p.warnAt(para.heading, "§ "+strconv.Itoa(para.num), "Out of order: § %d (lines %d–%d) stands after § %d in the text; it is read in its place.",
				para.num, p.lineOf(para.heading), p.lineOf(para.last), para.interrupts.num)
		}
	}
	p.missingParagraphs()
	p.singleSections()
	p.gaps()
	p.restoredNumbers()
	p.truncation()
}

func (p *parser) displacedWarning(d displacement) {
	b := d.block
	where := "§ " + strconv.Itoa(b.num)
	if usts := b.root.items(levelUst); len(usts) == 1 {
		where = usts[0].provision()
	}
	between := "before " + d.next.provision()
	if d.before != nil {
		between = "between " + d.before.provision() + " and " + d.next.provision()
	}
	host := d.next.para
	notOf := "part of § " + strconv.Itoa(host.num)
	if host.unit != nil {
		notOf = "a duty of " + host.unit.id
	}
	p.warnAt(b.heading, where, "Displaced: %s (lines %d–%d) stands %s, a PDF extraction scar; it is not %s and is recorded as %s.",
		where, p.lineOf(b.heading), p.lineOf(b.last), between, notOf, p.recordedAs(b))
}

// recordedAs says in a few words what a displaced paragraph is read as.
func (p *parser) recordedAs(b *paragraph) string {
	switch b.role {
	case roleHead:
		head := strings.Fields(p.director.name)[0]
		if head == "Dyrektor" {
			head = "Director"
		}
		with := "with " + deputiesPhrase(p.deputiesSaid)
		switch p.deputiesSaid {
		case 0:
			with = "alone"
		case -1:
			with = "with Deputies"
		}
		return fmt.Sprintf("the Department's structure (the %s heads the %s %s)", head, strings.Fields(p.dept.name)[0], with)
	case roleUnits:
		return "the list of units"
	case roleReporting:
		return "reporting lines"
	case roleDuties, roleCommon:
		if b.unit != nil {
			return "the duties of " + b.unit.id
		}
	}
	return "§ " + strconv.Itoa(b.num)
}

func (p *parser) missingParagraphs() {
	have := map[int]*paragraph{}
	maxNum := 0
	for _, para := range p.paras {
		have[para.num] = para
		maxNum = max(maxNum, para.num)
	}
	for k := 1; k < maxNum; k++ {
		if have[k] != nil {
			continue
		}
		line := p.bodyStart
		for j := k + 1; j <= maxNum; j++ {
			if have[j] != nil {
				line = have[j].heading
				break
			}
		}
		p.warnAt(line, "§ "+strconv.Itoa(k), "Doubt: the text has no § %d; a paragraph may be lost.", k)
	}
}

var ustMarkerRE = regexp.MustCompile(`^§\s*\d+\s*\.\s*1\s*\.`)

// singleSections doubts a paragraph that opens "§ N. 1." with no ust. 2.
func (p *parser) singleSections() {
	for _, para := range p.paras {
		usts := para.root.items(levelUst)
		if !para.usesUst || len(usts) != 1 {
			continue
		}
		marker := ustMarkerRE.FindString(p.lines[para.heading].text)
		msg := fmt.Sprintf("Doubt: § %d opens %q but no ust. 2 follows anywhere in the text; a further section of § %d may have been lost.", para.num, marker, para.num)
		if para.role == roleHead && p.dept.code == "" {
			msg = fmt.Sprintf("Doubt: § %d opens %q but no ust. 2 follows anywhere in the text; a further section of § %d (perhaps the Department's symbol %q) may have been lost. The Department gets no code.", para.num, marker, para.num, p.dept.id)
		}
		p.warnAt(para.heading, usts[0].provision(), "%s", msg)
	}
}

// gaps reports the runs of blank lines and page furniture inside the act:
// furniture always (text was dropped), blank runs of three lines or more
// where they break a paragraph, not between paragraphs.
func (p *parser) gaps() {
	end := len(p.lines)
	if p.signedAt >= 0 {
		end = p.signedAt
	}
	prev := -1
	for i := p.bodyStart; i < end; {
		if p.lines[i].kind == contentLine {
			prev = i
			i++
			continue
		}
		j := i
		for j < end && p.lines[j].kind != contentLine {
			j++
		}
		next := -1
		if j < end {
			next = j
		}
		p.gap(prev, i, j, next)
		i = j
	}
}

// gap reports the run of lines [from, to) between content lines prev and next.
func (p *parser) gap(prev, from, to, next int) {
	blanks := 0
	var furniture []int
	for k := from; k < to; k++ {
		if p.lines[k].kind == blankLine {
			blanks++
		} else {
			furniture = append(furniture, k)
		}
	}
	a, b := p.owner[prev], p.firstOwner[next]
	atHeading := next >= 0 && b != nil && b.parts[0].line == next && b.level <= levelUst && next == b.para.heading
	if len(furniture) > 0 {
		p.furnitureWarning(furniture, blanks, a, b, atHeading)
		return
	}
	if blanks < 3 || a == nil || b == nil || atHeading {
		return
	}
	lines := fmt.Sprintf("lines %d–%d", p.lineOf(from), p.lineOf(to-1))
	where := "line " + strconv.Itoa(p.lineOf(from))
	switch {
	case a.para != b.para:
		if p.resumed(a.para, b.para) {
			p.warnAt(from, where, "Page-break blank run (%s) after the displaced %s, inside § %d; dropped.", lines, p.blockName(a.para), b.para.num)
		}
	case a == b && a.level >= levelItem:
		p.warnAt(from, a.provision(), "Page-break blank run (%s) inside the item, before %q; dropped.", lines, strings.Fields(p.lines[next].text)[0])
	case a == b:
		p.warnAt(from, where, "Blank run (%s) inside the heading of § %d; dropped.", lines, a.para.num)
	case a.level < levelItem:
		p.warnAt(from, where, "Blank run (%s) between the heading of § %d and %s; dropped.", lines, a.para.num, strings.TrimPrefix(b.provision(), "§ "+strconv.Itoa(b.para.num)+" "))
	default:
		p.warnAt(from, where, "Page-break blank run (%s) between %s; dropped.", lines, listProvisions([]string{a.provision(), b.provision()}))
	}
}

// resumed reports whether block is a displaced paragraph that host resumed after.
func (p *parser) resumed(block, host *paragraph) bool {
	for _, d := range p.displaced {
		if d.block == block && d.next.para == host {
			return true
		}
	}
	return false
}

func (p *parser) blockName(b *paragraph) string {
	if usts := b.root.items(levelUst); len(usts) == 1 {
		return usts[0].provision()
	}
	return "§ " + strconv.Itoa(b.num)
}

// furnitureWarning reports page footers, page numbers and repeated headers
// dropped from the text.
func (p *parser) furnitureWarning(lines []int, blanks int, a, b *node, atHeading bool) {
	var parts []string
	scar := map[lineKind]string{urlLine: "a page footer scar", pageNumber: "a page break scar", runningHeader: "a page header scar"}[p.lines[lines[0]].kind]
	count := 0
	for k := 0; k < len(lines); {
		l := p.lines[lines[k]]
		j := k
		for j+1 < len(lines) && p.lines[lines[j+1]].text == l.text && p.lines[lines[j+1]].kind == l.kind {
			j++
		}
		if p.lines[lines[j]].kind != p.lines[lines[0]].kind {
			scar = "a page break scar"
		}
		n := j - k + 1
		span := "line " + strconv.Itoa(l.n)
		if n > 1 {
			span = fmt.Sprintf("lines %d–%d", l.n, p.lines[lines[j]].n)
		}
		what := map[lineKind]string{urlLine: "line", pageNumber: "page number", runningHeader: "repeated page header"}[l.kind]
		if n == 1 {
			parts = append(parts, fmt.Sprintf("the %s %q (%s)", what, l.text, span))
		} else {
			parts = append(parts, fmt.Sprintf("%s %ss %q (%s)", numberWord(n), what, l.text, span))
		}
		count += n
		k = j + 1
	}
	desc := strings.Join(parts, " and ")
	if blanks >= 2 {
		desc += " and a blank run"
	}
	desc = strings.ToUpper(desc[:1]) + desc[1:]
	if strings.HasPrefix(desc, "The line ") {
		desc = "A line " + strings.TrimPrefix(desc, "The line ")
	}
	verb := "interrupt"
	if count == 1 && blanks < 2 {
		verb = "interrupts"
	}
	first := lines[0]
	where := "line " + strconv.Itoa(p.lineOf(first))
	switch {
	case a != nil && a == b && a.level >= levelItem:
		p.warnAt(first, a.provision(), "%s %s the item, %s; dropped from the item text.", desc, verb, scar)
	case a != nil && b != nil && a.para == b.para && !atHeading:
		p.warnAt(first, where, "%s %s %s, %s; dropped.", desc, verb, "the text of § "+strconv.Itoa(a.para.num), scar)
	default:
		p.warnAt(first, where, "%s %s the text between paragraphs, %s; dropped.", desc, verb, scar)
	}
}

// restoredNumbers reports items whose number the text lost.
func (p *parser) restoredNumbers() {
	for _, para := range p.paras {
		para.root.walk(func(n *node) {
			if !n.restored {
				return
			}
			items := n.parent.items(levelItem)
			which := "an item"
			if items[len(items)-1] == n {
				which = "the last item"
			}
			p.warnAt(n.parts[0].line, n.provision(), "Number restored: %s of %s (line %d) has lost its \"%s)\"; recorded as %s.",
				which, n.parent.provision(), p.lineOf(n.parts[0].line), n.num, n.provision())
		})
	}
}

// truncation reports a text that breaks off before its closing paragraphs.
func (p *parser) truncation() {
	last := -1
	for i := len(p.lines) - 1; i >= p.bodyStart; i-- {
		if p.lines[i].kind == contentLine {
			last = i
			break
		}
	}
	n := p.owner[last]
	if len(p.paragraphs(roleEffective)) > 0 {
		if p.signedAt < 0 {
			p.warnAt(last, "line "+strconv.Itoa(p.lineOf(last)), "Doubt: the act is not signed: no signature block follows the last paragraph.")
		}
		return
	}
	if n == nil {
		return
	}
	unsigned := ""
	if p.signedAt < 0 {
		unsigned = ", and no one signs it"
	}
	p.warnAt(last, n.provision(), "Truncated: the text breaks off at line %d, in %s; no paragraph says when the act takes effect%s.", p.lineOf(last), n.provision(), unsigned)
	if !endsSentence(n.text) {
		p.warnAt(last, n.provision(), "Doubt: %s ends mid-sentence (%q) where the text breaks off; kept as far as it goes.", n.provision(), quote(n.text, 3))
		p.settled[n] = true
	}
}

var abbreviationRE = regexp.MustCompile(`m\.\s?in(?:[^.\pL]|$)`)

// checkText reports punctuation that departs from the act's style, and
// how lines were joined.
func (p *parser) checkText() {
	var dutyParas []*paragraph
	for _, para := range p.paras {
		if para.role == roleDuties || para.role == roleCommon {
			dutyParas = append(dutyParas, para)
			continue
		}
		para.root.walk(func(n *node) {
			if n.level <= levelUst && len(n.items(levelItem)) == 0 && n.text != "" && !endsSentence(n.text) && !p.settled[n] {
				p.warnAt(p.firstLine(n), n.provision(), "Ends without final punctuation; nothing appears lost.")
			}
		})
	}
	sortByNumber(dutyParas)
	for _, para := range dutyParas {
		para.root.walk(func(n *node) {
			if n.level < levelItem {
				return
			}
			if n.level == levelItem {
				p.itemEnding(n)
			}
			for _, pt := range n.parts {
				if innerSpaceRE.MatchString(pt.text) {
					p.warnAt(pt.line, n.provision(), "Spaces: a run of spaces inside line %d is read as one.", p.lineOf(pt.line))
				}
			}
			if loc := abbreviationRE.FindStringIndex(n.text); loc != nil {
				found := strings.TrimSpace(n.text[loc[0]:loc[1]])
				fixed := strings.Replace(found, "in", "in.", 1)
				p.warnAt(n.parts[0].line, n.provision(), "The abbreviation %q lacks its final full stop (%q); kept as written.", found, fixed)
			}
		})
	}
	p.lineBreaks(dutyParas)
}

// itemEnding checks the punctuation an item ends with: ";" between items,
// ":" before sub-items, "." at the end of the paragraph.
func (p *parser) itemEnding(n *node) {
	if p.settled[n] {
		return
	}
	items := n.parent.items(levelItem)
	idx := 0
	for i, it := range items {
		if it == n {
			idx = i
		}
	}
	last := idx == len(items)-1
	end := lastRune(n.text)
	prov, line := n.provision(), n.parts[len(n.parts)-1].line
	switch {
	case len(n.children) > 0:
		if end != ':' {
			p.warnAt(line, prov, "Ends with %q where \":\" is expected before its sub-items; kept as written.", string(end))
		}
	case end == ':':
		p.warnAt(line, prov, "Ends with \":\" where \";\" is expected (no sub-items follow); kept as written.")
	case last && end == ';':
		p.warnAt(line, prov, "Ends with \";\" where \".\" is expected at the end of § %d; kept as written.", n.para.num)
	case !last && end == '.':
		p.warnAt(line, prov, "Ends with \".\" where \";\" is expected (%s); kept as written.", following(items[idx+1:]))
	case !endsSentence(n.text) && last:
		p.warnAt(line, prov, "Ends without final punctuation (a full stop is expected at the end of § %d); kept as written.", n.para.num)
	case !endsSentence(n.text):
		p.warnAt(line, prov, "Ends without final punctuation (a semicolon is expected); kept as written.")
	}
}

// following writes "pkt 7 and 8 follow" for the items after one.
func following(items []*node) string {
	switch len(items) {
	case 1:
		return "pkt " + items[0].num + " follows"
	case 2:
		return "pkt " + items[0].num + " and " + items[1].num + " follow"
	}
	return "pkt " + items[0].num + " to " + items[len(items)-1].num + " follow"
}

var compoundRE = regexp.MustCompile(`\pL+-\pL+`)

// lineBreaks sums up how the duties' lines were joined: one warning for
// the act, since nearly every item is broken across lines.
func (p *parser) lineBreaks(paras []*paragraph) {
	if len(paras) == 0 {
		return
	}
	broken, blankBetween := false, false
	example := ""
	for _, para := range paras {
		para.root.walk(func(n *node) {
			if n.level < levelItem {
				return
			}
			for k := 1; k < len(n.parts); k++ {
				broken = true
				prev, cur := n.parts[k-1], n.parts[k]
				if cur.line-prev.line > 1 {
					blankBetween = true
				}
				raw := p.lines[prev.line].raw
				trail := raw[len(strings.TrimRight(raw, " \t")):]
				if example == "" && len(trail) >= 2 {
					words := strings.Fields(prev.text)
					example = fmt.Sprintf(" (e.g. the double space in %s %q)", n.provision(), words[len(words)-1]+trail+strings.Fields(cur.text)[0])
				}
			}
		})
	}
	if !broken {
		return
	}
	msg := "Line breaks: items broken across lines"
	if blankBetween {
		msg += " (with blank lines between)"
	}
	msg += " are joined with single spaces, leading indentation and trailing spaces dropped" + example + "."
	switch {
	case p.hyphens > 0:
		msg += fmt.Sprintf(" %s broken at a line end with a hyphen %s joined, each with its own warning.", pluralWords(p.hyphens), map[bool]string{true: "is", false: "are"}[p.hyphens == 1])
	case p.compounds == 0:
		var seen []string
		have := map[string]bool{}
		for _, para := range paras {
			for i := para.heading; i <= para.last; i++ {
				if p.lines[i].kind != contentLine {
					continue
				}
				for _, w := range compoundRE.FindAllString(p.lines[i].text, -1) {
					if !have[w] {
						have[w] = true
						seen = append(seen, strconv.Quote(w))
					}
				}
			}
		}
		if len(seen) > 0 {
			msg += " No hyphenation scars: every hyphen in the text (" + strings.Join(seen, ", ") + ") belongs to a compound word."
		}
	}
	where := "§ " + strconv.Itoa(paras[0].num)
	if len(paras) > 1 {
		where += "–§ " + strconv.Itoa(paras[len(paras)-1].num)
	}
	p.warnAt(len(p.lines), where, "%s", msg)
}

func pluralWords(n int) string {
	if n == 1 {
		return "One word"
	}
	w := numberWord(n)
	return strings.ToUpper(w[:1]) + w[1:] + " words"
}
