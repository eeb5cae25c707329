package ordinance

import (
	"fmt"
	"maps"
	"regexp"
	"strconv"
	"strings"
)

// This file is stage 6, the checks: it turns the scars the earlier stages
// met into warnings: paragraphs out of place, page breaks, lost numbers, a
// truncated end, odd punctuation.

// checker reads the provisions and the facts of an act, and the layout of
// its text, for what they depart from; it changes none of them.
type checker struct {
	*facts // and through them the provisions and the text
	layout
	settled  map[*node]bool // the facts' settled items, and the checks'
	warnings []warning
}

// check is stage 6: the warnings for how the act departs from its order
// and its style, given its facts (f.settled: the items whose ending a
// warning of the facts already explains) and the layout of its text.
func check(f *facts, l layout) []warning {
	c := &checker{facts: f, layout: l, settled: maps.Clone(f.settled)}
	c.checkStructure()
	c.checkText()
	return c.warnings
}

// warnAt records a warning of stage 6 that arises at line index i.
func (c *checker) warnAt(i int, where, format string, args ...any) {
	c.warnings = append(c.warnings, warning{line: i, where: where, message: fmt.Sprintf(format, args...)})
}

// checkStructure reports how the text departs from the act's order.
func (c *checker) checkStructure() {
	for _, d := range c.displaced {
		c.displacedWarning(d)
	}
	for _, para := range c.paras {
		if para.interrupts != nil {
			c.warnAt(para.heading, "§ "+strconv.Itoa(para.num), "Out of order: § %d (lines %d–%d) stands after § %d in the text; it is read in its place.",
				para.num, c.lineOf(para.heading), c.lineOf(para.last), para.interrupts.num)
		}
	}
	c.missingParagraphs()
	c.singleSections()
	c.gaps()
	c.restoredNumbers()
	c.truncation()
}

func (c *checker) displacedWarning(d displacement) {
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
	c.warnAt(b.heading, where, "Displaced: %s (lines %d–%d) stands %s, a PDF extraction scar; it is not %s and is recorded as %s.",
		where, c.lineOf(b.heading), c.lineOf(b.last), between, notOf, c.recordedAs(b))
}

// recordedAs says in a few words what a displaced paragraph is read as.
func (c *checker) recordedAs(b *paragraph) string {
	switch b.role {
	case roleHead:
		head := strings.Fields(c.director.name)[0]
		if t := c.city.Head; head == t.Nominative && t.English != "" {
			head = t.English
		}
		with := "with " + deputiesPhrase(c.deputiesSaid)
		switch c.deputiesSaid {
		case 0:
			with = "alone"
		case -1:
			with = "with Deputies"
		}
		return fmt.Sprintf("the Department's structure (the %s heads the %s %s)", head, strings.Fields(c.dept.name)[0], with)
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

func (c *checker) missingParagraphs() {
	have := map[int]*paragraph{}
	maxNum := 0
	for _, para := range c.paras {
		have[para.num] = para
		maxNum = max(maxNum, para.num)
	}
	for k := 1; k < maxNum; k++ {
		if have[k] != nil {
			continue
		}
		line := c.bodyStart
		for j := k + 1; j <= maxNum; j++ {
			if have[j] != nil {
				line = have[j].heading
				break
			}
		}
		c.warnAt(line, "§ "+strconv.Itoa(k), "Doubt: the text has no § %d; a paragraph may be lost.", k)
	}
}

var ustMarkerRE = regexp.MustCompile(`^§\s*\d+\s*\.\s*1\s*\.`)

// singleSections doubts a paragraph that opens "§ N. 1." with no ust. 2.
func (c *checker) singleSections() {
	for _, para := range c.paras {
		usts := para.root.items(levelUst)
		if !para.usesUst || len(usts) != 1 {
			continue
		}
		marker := ustMarkerRE.FindString(c.lines[para.heading].text)
		msg := fmt.Sprintf("Doubt: § %d opens %q but no ust. 2 follows anywhere in the text; a further section of § %d may have been lost.", para.num, marker, para.num)
		if para.role == roleHead && c.dept.code == "" {
			msg = fmt.Sprintf("Doubt: § %d opens %q but no ust. 2 follows anywhere in the text; a further section of § %d (perhaps the Department's symbol %q) may have been lost. The Department gets no code.", para.num, marker, para.num, c.dept.id)
		}
		c.warnAt(para.heading, usts[0].provision(), "%s", msg)
	}
}

// gaps reports the runs of blank lines and page furniture inside the act:
// furniture always (text was dropped), blank runs of three lines or more
// where they break a paragraph, not between paragraphs.
func (c *checker) gaps() {
	end := len(c.lines)
	if c.signedAt >= 0 {
		end = c.signedAt
	}
	prev := -1
	for i := c.bodyStart; i < end; {
		if c.lines[i].kind == contentLine {
			prev = i
			i++
			continue
		}
		j := i
		for j < end && c.lines[j].kind != contentLine {
			j++
		}
		next := -1
		if j < end {
			next = j
		}
		c.gap(prev, i, j, next)
		i = j
	}
}

// gap reports the run of lines [from, to) between content lines prev and next.
func (c *checker) gap(prev, from, to, next int) {
	blanks := 0
	var furniture []int
	for k := from; k < to; k++ {
		if c.lines[k].kind == blankLine {
			blanks++
		} else {
			furniture = append(furniture, k)
		}
	}
	a, b := c.owner[prev], c.firstOwner[next]
	atHeading := next >= 0 && b != nil && b.parts[0].line == next && b.level <= levelUst && next == b.para.heading
	if len(furniture) > 0 {
		c.furnitureWarning(furniture, blanks, a, b, atHeading)
		return
	}
	if blanks < 3 || a == nil || b == nil || atHeading {
		return
	}
	lines := fmt.Sprintf("lines %d–%d", c.lineOf(from), c.lineOf(to-1))
	where := "line " + strconv.Itoa(c.lineOf(from))
	switch {
	case a.para != b.para:
		if c.resumed(a.para, b.para) {
			c.warnAt(from, where, "Page-break blank run (%s) after the displaced %s, inside § %d; dropped.", lines, c.blockName(a.para), b.para.num)
		}
	case a == b && a.level >= levelItem:
		c.warnAt(from, a.provision(), "Page-break blank run (%s) inside the item, before %q; dropped.", lines, strings.Fields(c.lines[next].text)[0])
	case a == b:
		c.warnAt(from, where, "Blank run (%s) inside the heading of § %d; dropped.", lines, a.para.num)
	case a.level < levelItem:
		c.warnAt(from, where, "Blank run (%s) between the heading of § %d and %s; dropped.", lines, a.para.num, strings.TrimPrefix(b.provision(), "§ "+strconv.Itoa(b.para.num)+" "))
	default:
		c.warnAt(from, where, "Page-break blank run (%s) between %s; dropped.", lines, listProvisions([]string{a.provision(), b.provision()}))
	}
}

// resumed reports whether block is a displaced paragraph that host resumed after.
func (c *checker) resumed(block, host *paragraph) bool {
	for _, d := range c.displaced {
		if d.block == block && d.next.para == host {
			return true
		}
	}
	return false
}

func (c *checker) blockName(b *paragraph) string {
	if usts := b.root.items(levelUst); len(usts) == 1 {
		return usts[0].provision()
	}
	return "§ " + strconv.Itoa(b.num)
}

// furnitureWarning reports page footers, page numbers and repeated headers
// dropped from the text.
func (c *checker) furnitureWarning(lines []int, blanks int, a, b *node, atHeading bool) {
	var parts []string
	scar := map[lineKind]string{urlLine: "a page footer scar", pageNumber: "a page break scar", runningHeader: "a page header scar"}[c.lines[lines[0]].kind]
	count := 0
	for k := 0; k < len(lines); {
		l := c.lines[lines[k]]
		j := k
		for j+1 < len(lines) && c.lines[lines[j+1]].text == l.text && c.lines[lines[j+1]].kind == l.kind {
			j++
		}
		if c.lines[lines[j]].kind != c.lines[lines[0]].kind {
			scar = "a page break scar"
		}
		n := j - k + 1
		span := "line " + strconv.Itoa(l.n)
		if n > 1 {
			span = fmt.Sprintf("lines %d–%d", l.n, c.lines[lines[j]].n)
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
	where := "line " + strconv.Itoa(c.lineOf(first))
	switch {
	case a != nil && a == b && a.level >= levelItem:
		c.warnAt(first, a.provision(), "%s %s the item, %s; dropped from the item text.", desc, verb, scar)
	case a != nil && b != nil && a.para == b.para && !atHeading:
		c.warnAt(first, where, "%s %s %s, %s; dropped.", desc, verb, "the text of § "+strconv.Itoa(a.para.num), scar)
	default:
		c.warnAt(first, where, "%s %s the text between paragraphs, %s; dropped.", desc, verb, scar)
	}
}

// restoredNumbers reports items whose number the text lost.
func (c *checker) restoredNumbers() {
	for _, para := range c.paras {
		para.root.walk(func(n *node) {
			if !n.restored {
				return
			}
			items := n.parent.items(levelItem)
			which := "an item"
			if items[len(items)-1] == n {
				which = "the last item"
			}
			c.warnAt(n.parts[0].line, n.provision(), "Number restored: %s of %s (line %d) has lost its \"%s)\"; recorded as %s.",
				which, n.parent.provision(), c.lineOf(n.parts[0].line), n.num, n.provision())
		})
	}
}

// truncation reports a text that breaks off before its closing paragraphs.
func (c *checker) truncation() {
	last := -1
	for i := len(c.lines) - 1; i >= c.bodyStart; i-- {
		if c.lines[i].kind == contentLine {
			last = i
			break
		}
	}
	n := c.owner[last]
	if len(c.paragraphs(roleEffective)) > 0 {
		if c.signedAt < 0 {
			c.warnAt(last, "line "+strconv.Itoa(c.lineOf(last)), "Doubt: the act is not signed: no signature block follows the last paragraph.")
		}
		return
	}
	if n == nil {
		return
	}
	unsigned := ""
	if c.signedAt < 0 {
		unsigned = ", and no one signs it"
	}
	c.warnAt(last, n.provision(), "Truncated: the text breaks off at line %d, in %s; no paragraph says when the act takes effect%s.", c.lineOf(last), n.provision(), unsigned)
	if !endsSentence(n.text) {
		c.warnAt(last, n.provision(), "Doubt: %s ends mid-sentence (%q) where the text breaks off; kept as far as it goes.", n.provision(), quote(n.text, 3))
		c.settled[n] = true
	}
}

var abbreviationRE = regexp.MustCompile(`m\.\s?in(?:[^.\pL]|$)`)

// checkText reports punctuation that departs from the act's style, and
// how lines were joined.
func (c *checker) checkText() {
	var dutyParas []*paragraph
	for _, para := range c.paras {
		if para.role == roleDuties || para.role == roleCommon {
			dutyParas = append(dutyParas, para)
			continue
		}
		para.root.walk(func(n *node) {
			if n.level <= levelUst && len(n.items(levelItem)) == 0 && n.text != "" && !endsSentence(n.text) && !c.settled[n] {
				c.warnAt(c.firstLine(n), n.provision(), "Ends without final punctuation; nothing appears lost.")
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
				c.itemEnding(n)
			}
			for _, pt := range n.parts {
				if innerSpaceRE.MatchString(pt.text) {
					c.warnAt(pt.line, n.provision(), "Spaces: a run of spaces inside line %d is read as one.", c.lineOf(pt.line))
				}
			}
			if loc := abbreviationRE.FindStringIndex(n.text); loc != nil {
				found := strings.TrimSpace(n.text[loc[0]:loc[1]])
				fixed := strings.Replace(found, "in", "in.", 1)
				c.warnAt(n.parts[0].line, n.provision(), "The abbreviation %q lacks its final full stop (%q); kept as written.", found, fixed)
			}
		})
	}
	c.lineBreaks(dutyParas)
}

// itemEnding checks the punctuation an item ends with: ";" between items,
// ":" before sub-items, "." at the end of the paragraph.
func (c *checker) itemEnding(n *node) {
	if c.settled[n] {
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
			c.warnAt(line, prov, "Ends with %q where \":\" is expected before its sub-items; kept as written.", string(end))
		}
	case end == ':':
		c.warnAt(line, prov, "Ends with \":\" where \";\" is expected (no sub-items follow); kept as written.")
	case last && end == ';':
		c.warnAt(line, prov, "Ends with \";\" where \".\" is expected at the end of § %d; kept as written.", n.para.num)
	case !last && end == '.':
		c.warnAt(line, prov, "Ends with \".\" where \";\" is expected (%s); kept as written.", following(items[idx+1:]))
	case !endsSentence(n.text) && last:
		c.warnAt(line, prov, "Ends without final punctuation (a full stop is expected at the end of § %d); kept as written.", n.para.num)
	case !endsSentence(n.text):
		c.warnAt(line, prov, "Ends without final punctuation (a semicolon is expected); kept as written.")
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
func (c *checker) lineBreaks(paras []*paragraph) {
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
				raw := c.lines[prev.line].raw
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
	case c.hyphens > 0:
		msg += fmt.Sprintf(" %s broken at a line end with a hyphen %s joined, each with its own warning.", pluralWords(c.hyphens), map[bool]string{true: "is", false: "are"}[c.hyphens == 1])
	case c.compounds == 0:
		var seen []string
		have := map[string]bool{}
		for _, para := range paras {
			for i := para.heading; i <= para.last; i++ {
				if c.lines[i].kind != contentLine {
					continue
				}
				for _, w := range compoundRE.FindAllString(c.lines[i].text, -1) {
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
	c.warnAt(len(c.lines), where, "%s", msg)
}

func pluralWords(n int) string {
	if n == 1 {
		return "One word"
	}
	w := numberWord(n)
	return strings.ToUpper(w[:1]) + w[1:] + " words"
}
