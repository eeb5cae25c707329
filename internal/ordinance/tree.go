package ordinance

import (
	"regexp"
	"strconv"
	"strings"
)

// The text comes from a PDF: paragraphs may stand out of order, items break
// across lines with blank lines between, page footers and numbers interrupt
// them, an item may lose its number. This file reads the lines into a tree
// of paragraphs (§), sections (ust.), items (pkt), letters (lit.) and dashes
// (tiret), noting every scar so that it can be reported.

type lineKind int

const (
	blankLine     lineKind = iota
	contentLine            // text of the act
	urlLine                // a page footer: a bare address
	pageNumber             // "2", "- 2 -", "Strona 2 z 5"
	runningHeader          // the act's number repeated at the top of a page
	signatureLine          // the signature block after the last paragraph
)

type line struct {
	n    int    // 1-based, as an editor shows it
	raw  string // as extracted
	text string // trimmed
	kind lineKind
}

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

var (
	headingRE = regexp.MustCompile(`^§\s*(\d+)\s*\.\s*(.*)$`)
	ustRE     = regexp.MustCompile(`^(\d+)\s*\.\s+(\S.*)$`)
	itemRE    = regexp.MustCompile(`^(\d+)\s*\)\s*(.*)$`)
	letterRE  = regexp.MustCompile(`^([a-z])\)\s*(.*)$`)
	dashRE    = regexp.MustCompile(`^[-–—]\s+(.*)$`)
	urlRE     = regexp.MustCompile(`^(?:https?://|www\.)\S+$`)
	pageNoRE  = regexp.MustCompile(`^(?:-\s*\d{1,3}\s*-|\d{1,3}|(?i:strona\s+\d+(?:\s+z\s+\d+)?))$`)
)

// splitLines numbers the lines of the text and tells blank ones apart.
func splitLines(text string) []line {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []line
	for i, raw := range strings.Split(text, "\n") {
		l := line{n: i + 1, raw: raw, text: strings.TrimSpace(raw), kind: contentLine}
		if l.text == "" {
			l.kind = blankLine
		}
		out = append(out, l)
	}
	return out
}

// displacement is a paragraph found inside another one's list of items.
type displacement struct {
	block        *paragraph
	before, next *node // the items of the interrupted paragraph around it
}

// build reads the body (from the first § on) into paragraphs.
func (p *parser) build() {
	var para *paragraph
	maxNum := 0
	seen := map[int]int{}
	for i := p.bodyStart; i < len(p.lines); i++ {
		l := &p.lines[i]
		if l.kind != contentLine {
			continue
		}
		t := l.text
		if p.isSignature(t) {
			p.signature(i)
			return
		}
		if m := headingRE.FindStringSubmatch(t); m != nil {
			num, _ := strconv.Atoi(m[1])
			if prev, dup := seen[num]; dup {
				p.warnAt(i, "line "+strconv.Itoa(l.n), "Doubt: § %d appears twice (lines %d and %d); the second one is read as part of the text before it.", num, p.lines[prev].n, l.n)
				if para != nil {
					para.cur.parts = append(para.cur.parts, part{i, t})
					p.owner[i] = para.cur
					para.last = i
				}
				continue
			}
			seen[num] = i
			np := &paragraph{num: num, heading: i}
			np.root = &node{level: levelParagraph, para: np}
			np.cur = np.root
			if para != nil && num < maxNum {
				np.interrupts = para
			}
			maxNum = max(maxNum, num)
			rest := m[2]
			if u := ustRE.FindStringSubmatch(rest); u != nil && u[1] == "1" {
				np.usesUst = true
				np.cur = np.root.add(levelUst, "1")
				rest = u[2]
			}
			np.cur.parts = append(np.cur.parts, part{i, rest})
			p.owner[i] = np.cur
			np.last = i
			p.paras = append(p.paras, np)
			para = np
			continue
		}
		if para == nil {
			continue
		}
		para = p.place(para, i, t)
	}
}

// place puts line i, with text t, into the tree, and returns the paragraph
// it belongs to, which differs from para when a displaced paragraph ends.
func (p *parser) place(para *paragraph, i int, t string) *paragraph {
	cur := para.cur
	if u := ustRE.FindStringSubmatch(t); u != nil && para.usesUst && u[1] == para.root.nextNumber(levelUst) {
		para.cur = para.root.add(levelUst, u[1])
		return p.put(para, i, u[2])
	}
	if m := itemRE.FindStringSubmatch(t); m != nil {
		list := cur.list()
		want := list.nextNumber(levelItem)
		if m[1] != want && para.interrupts != nil {
			other := para.interrupts
			olist := other.cur.list()
			if m[1] == olist.nextNumber(levelItem) {
				items := olist.items(levelItem)
				d := displacement{block: para}
				if len(items) > 0 {
					d.before = items[len(items)-1]
				}
				para.interrupts = nil
				para, list, want = other, olist, m[1]
				para.cur = list.add(levelItem, m[1])
				d.next = para.cur
				p.displaced = append(p.displaced, d)
				return p.put(para, i, m[2])
			}
		}
		if n, _ := strconv.Atoi(m[1]); n < len(list.items(levelItem))+1 {
			p.warnAt(i, cur.provision(), "Doubt: %q (line %d) repeats a number already used in %s; read as text of %s.", m[1]+")", p.lineOf(i), list.provision(), cur.provision())
			return p.put(para, i, t)
		}
		para.cur = list.add(levelItem, m[1])
		if m[1] != want {
			p.warnAt(i, para.cur.provision(), "Doubt: %s jumps from pkt %s to pkt %s; an item may be lost.", list.provision(), prevNumber(want), m[1])
		}
		return p.put(para, i, m[2])
	}
	if m := letterRE.FindStringSubmatch(t); m != nil {
		if item := cur.ancestor(levelItem); item != nil && m[1] == item.nextNumber(levelLetter) {
			para.cur = item.add(levelLetter, m[1])
			return p.put(para, i, m[2])
		}
	}
	if m := dashRE.FindStringSubmatch(t); m != nil {
		parent := cur.ancestor(levelLetter)
		if parent == nil {
			parent = cur.ancestor(levelItem)
		}
		if parent != nil {
			para.cur = parent.add(levelDash, parent.nextNumber(levelDash))
			return p.put(para, i, m[1])
		}
	}
	// A line that starts in lower case after an item that has ended (";"
	// or ".") is an item whose number the extraction lost.
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

func (p *parser) put(para *paragraph, i int, t string) *paragraph {
	para.cur.parts = append(para.cur.parts, part{i, t})
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
