package ordinance

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The text comes from a PDF: paragraphs may stand out of order, items break
// across lines with blank lines between, page footers and numbers interrupt
// them, an item may lose its number. This file reads the lines into a tree
// of paragraphs (§), sections (ust.), items (pkt), letters (lit.) and dashes
// (tiret), noting every scar so that it can be reported.

type level int

const (
	levelParagraph level = iota
	levelUst
	levelItem
	levelLetter
	levelDash
)

// node is a paragraph's body, a section, an item, a letter or a dash.
type node struct {
	level    level
	num      string
	parent   *node
	children []*node
	parts    []part // its own text, line by line, before its first child
	para     *paragraph
	restored bool // the number was lost in the text and is restored
	text     string
}

// part is the text one line gives a node.
type part struct {
	line int // index into parser.lines
	text string
}

type paragraph struct {
	num     int
	heading int // index of the heading line
	root    *node
	usesUst bool
	cur     *node // where the next line of text goes
	// interrupts is the paragraph this one was found inside; while set, an
	// item that continues that paragraph's numbering ends this one.
	interrupts *paragraph
	last       int // index of the last line of text
	role       role
	unit       *unit // for duty paragraphs: whose duties
}

func (n *node) add(l level, num string) *node {
	c := &node{level: l, num: num, parent: n, para: n.para}
	n.children = append(n.children, c)
	return c
}

// provision names the node the Polish way: "§ 7 pkt 2 lit. b tiret 1".
func (n *node) provision() string {
	var parts []string
	for x := n; x != nil; x = x.parent {
		switch x.level {
		case levelParagraph:
			parts = append(parts, "§ "+strconv.Itoa(x.para.num))
		case levelUst:
			parts = append(parts, "ust. "+x.num)
		case levelItem:
			parts = append(parts, "pkt "+x.num)
		case levelLetter:
			parts = append(parts, "lit. "+x.num)
		case levelDash:
			parts = append(parts, "tiret "+x.num)
		}
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, " ")
}

// ancestor returns the nearest node at level l from n upwards, or nil.
func (n *node) ancestor(l level) *node {
	for x := n; x != nil; x = x.parent {
		if x.level == l {
			return x
		}
	}
	return nil
}

// list is the node whose children are the items n belongs to.
func (n *node) list() *node {
	if u := n.ancestor(levelUst); u != nil {
		return u
	}
	return n.para.root
}

// items returns the children at level l.
func (n *node) items(l level) []*node {
	var out []*node
	for _, c := range n.children {
		if c.level == l {
			out = append(out, c)
		}
	}
	return out
}

// nextNumber is the number the next child at level l should carry.
func (n *node) nextNumber(l level) string {
	items := n.items(l)
	if l == levelLetter {
		if len(items) == 0 {
			return "a"
		}
		return string(rune(items[len(items)-1].num[0] + 1))
	}
	if len(items) == 0 {
		return "1"
	}
	k, _ := strconv.Atoi(items[len(items)-1].num)
	return strconv.Itoa(k + 1)
}

// walk calls f for n and every node below it, in document order.
func (n *node) walk(f func(*node)) {
	f(n)
	for _, c := range n.children {
		c.walk(f)
	}
}

// displacement is a paragraph found inside another one's list of items.
type displacement struct {
	block        *paragraph
	before, next *node // the items of the interrupted paragraph around it
}

// build reads the blocks of the body (stage 2) into paragraphs: stage 3,
// the provisions.
// provisions is stage 3: the act's paragraphs as trees of sections, items,
// letters and dashes, read from the blocks of stage 2, with the scars the
// reading met (paragraphs out of place, lost numbers) as warnings.
type provisions struct {
	*text
	paras     []*paragraph // in the order of the text
	displaced []displacement
	owner     map[int]*node // line index → the last node its text went to
	// firstOwner maps a line index to the first node its text went to.
	firstOwner map[int]*node
	warnings   []warning
	seen       map[int]int // § number → the line of its heading
}

func newProvisions(t *text) *provisions {
	return &provisions{text: t, owner: map[int]*node{}, firstOwner: map[int]*node{}, seen: map[int]int{}}
}

// warnAt records a warning of stage 3 that arises at line index i.
func (p *provisions) warnAt(i int, where, format string, args ...any) {
	p.warnings = append(p.warnings, warning{line: i, where: where, message: fmt.Sprintf(format, args...)})
}

func (p *provisions) build(blocks []block) {
	var para *paragraph
	maxNum := 0
	seen := p.seen
	for bi, b := range blocks {
		first := b.firstPart()
		rest := b.parts
		if len(rest) > 0 {
			rest = rest[1:]
		}
		switch {
		case b.kind == markParagraph:
			num, _ := strconv.Atoi(b.num)
			i := first.line
			if len(b.parts) == 0 {
				i = p.blockLine(blocks, bi)
			}
			if prev, dup := seen[num]; dup {
				p.warnAt(i, "line "+strconv.Itoa(p.lines[i].n), "Doubt: § %d appears twice (lines %d and %d); the second one is read as part of the text before it.", num, p.lines[prev].n, p.lines[i].n)
				if para != nil {
					p.put(para, i, strings.TrimSpace(b.marker+" "+first.text))
					for _, pt := range rest {
						p.put(para, pt.line, pt.text)
					}
				}
				continue
			}
			seen[num] = i
			para = p.openParagraph(para, num, i, maxNum)
			maxNum = max(maxNum, num)
			if first.text == "" && len(rest) == 0 && bi+1 < len(blocks) && blocks[bi+1].kind == markUst && blocks[bi+1].num == "1" {
				para.usesUst = true
				para.cur = para.root.add(levelUst, "1")
				nb := blocks[bi+1]
				blocks[bi+1] = block{kind: markText, parts: nb.parts}
				continue
			}
			p.put(para, i, first.text)
		case para == nil || b.kind == markChapter:
			// A chapter's heading belongs to no provision.
			continue
		default:
			para = p.place(para, b, first)
			maxNum = max(maxNum, para.num)
		}
		for _, pt := range rest {
			para = p.put(para, pt.line, pt.text)
		}
	}
}

// blockLine is the line a block without text stands on: that of the next
// block with text.
func (p *provisions) blockLine(blocks []block, bi int) int {
	for _, b := range blocks[bi:] {
		if len(b.parts) > 0 {
			return b.parts[0].line
		}
	}
	return p.bodyStart
}

// openParagraph starts § num at line i.
func (p *provisions) openParagraph(para *paragraph, num, i, maxNum int) *paragraph {
	np := &paragraph{num: num, heading: i}
	np.root = &node{level: levelParagraph, para: np}
	np.cur = np.root
	if para != nil && num < maxNum {
		np.interrupts = para
	}
	np.last = i
	p.paras = append(p.paras, np)
	return np
}

// place puts a block into the tree, and returns the paragraph it belongs
// to, which differs from para when a displaced paragraph ends or a lost §
// is restored.
func (p *provisions) place(para *paragraph, b block, first part) *paragraph {
	cur := para.cur
	i, t := first.line, first.text
	if len(b.parts) == 0 {
		i = para.last
	}
	asText := strings.TrimSpace(b.marker + " " + t)
	switch b.kind {
	case markText:
		return p.put(para, i, t)
	case markUst:
		if para.usesUst && b.num == para.root.nextNumber(levelUst) {
			para.cur = para.root.add(levelUst, b.num)
			return p.put(para, i, t)
		}
		if np := p.lostParagraph(para, b, i, t); np != nil {
			return np
		}
		return p.put(para, i, asText)
	case markItem:
		list := cur.list()
		want := list.nextNumber(levelItem)
		if b.num != want && para.interrupts != nil {
			other := para.interrupts
			olist := other.cur.list()
			if b.num == olist.nextNumber(levelItem) {
				items := olist.items(levelItem)
				d := displacement{block: para}
				if len(items) > 0 {
					d.before = items[len(items)-1]
				}
				para.interrupts = nil
				para, list = other, olist
				para.cur = list.add(levelItem, b.num)
				d.next = para.cur
				p.displaced = append(p.displaced, d)
				return p.put(para, i, t)
			}
		}
		if n, _ := strconv.Atoi(b.num); n < len(list.items(levelItem))+1 {
			p.warnAt(i, cur.provision(), "Doubt: %q (line %d) repeats a number already used in %s; read as text of %s.", b.num+")", p.lineOf(i), list.provision(), cur.provision())
			return p.put(para, i, asText)
		}
		para.cur = list.add(levelItem, b.num)
		if b.num != want {
			p.warnAt(i, para.cur.provision(), "Doubt: %s jumps from pkt %s to pkt %s; an item may be lost.", list.provision(), prevNumber(want), b.num)
		}
		return p.put(para, i, t)
	case markLetter:
		if item := cur.ancestor(levelItem); item != nil && b.num == item.nextNumber(levelLetter) {
			para.cur = item.add(levelLetter, b.num)
			return p.put(para, i, t)
		}
	case markDash:
		parent := cur.ancestor(levelLetter)
		if parent == nil {
			parent = cur.ancestor(levelItem)
		}
		if parent != nil {
			para.cur = parent.add(levelDash, parent.nextNumber(levelDash))
			return p.put(para, i, t)
		}
	case markSoft:
		// Text after "; " in lower case, after an item that has ended, is
		// an item whose number the extraction lost.
		if item := cur.ancestor(levelItem); item != nil && startsLower(t) {
			if end := lastRune(squeeze(joinParts(cur.parts))); end == ';' || end == '.' {
				list := item.list()
				para.cur = list.add(levelItem, list.nextNumber(levelItem))
				para.cur.restored = true
				return p.put(para, i, t)
			}
		}
		return p.put(para, i, t)
	}
	return p.put(para, i, asText)
}

// lostParagraph restores a § sign lost in extraction: a section marker
// where no section is due ("1. W skład …" or "3. Do zakresu …" where "§ 3."
// stood), whose words open a paragraph of this form. It returns the new
// paragraph, or nil.
func (p *provisions) lostParagraph(para *paragraph, b block, i int, t string) *paragraph {
	next := 0
	for _, q := range p.paras {
		next = max(next, q.num+1)
	}
	n, _ := strconv.Atoi(b.num)
	if !opensParagraph(squeeze(joinParts(b.parts))) || (n != 1 && n != next) {
		return nil
	}
	if _, dup := p.seen[next]; dup {
		return nil
	}
	p.seen[next] = i
	np := p.openParagraph(para, next, i, next)
	where := "§ " + strconv.Itoa(next)
	if n == 1 {
		np.usesUst = true
		np.cur = np.root.add(levelUst, "1")
		where += " ust. 1"
	}
	p.warnAt(i, where, "§ sign restored: %q (line %d) opens a paragraph of its own (%q) with no \"§\" before it, lost in extraction; read as %s.", b.marker, p.lineOf(i), quoteStart(t, 4), where)
	return p.put(np, i, t)
}

// opensParagraph reports whether a text opens one of the paragraphs of an
// organisational ordinance.
func opensParagraph(t string) bool {
	for _, re := range []*regexp.Regexp{dutiesHeadingRE, scopeHeadingRE, commonHeadingRE, unitListRE, repealsRE} {
		if loc := re.FindStringIndex(t); loc != nil && loc[0] == 0 {
			return true
		}
	}
	return strings.Contains(strings.ToLower(t), "wchodzi w życie")
}

// quoteStart is the first words of a text, for a message.
func quoteStart(s string, words int) string {
	f := strings.Fields(s)
	if len(f) <= words {
		return s
	}
	return strings.Join(f[:words], " ") + " …"
}

func (p *provisions) put(para *paragraph, i int, t string) *paragraph {
	para.cur.parts = append(para.cur.parts, part{i, t})
	if _, ok := p.firstOwner[i]; !ok {
		p.firstOwner[i] = para.cur
	}
	p.owner[i] = para.cur
	para.last = i
	return para
}

func prevNumber(n string) string {
	k, _ := strconv.Atoi(n)
	return strconv.Itoa(k - 1)
}

// joinParts joins a node's lines with single spaces, as a first reading;
// text() does the real join, with hyphenation.
func joinParts(parts []part) string {
	var s []string
	for _, p := range parts {
		s = append(s, p.text)
	}
	return strings.Join(s, " ")
}
