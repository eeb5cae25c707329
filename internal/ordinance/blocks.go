package ordinance

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Stage 2, blocks: the stream cut where a provision begins. A marker is
// "§ 4.", "2." (a section), "3)" (an item), "b)" (a letter), "–" (a dash)
// wherever it stands, at a line's start or in the middle of one; what
// tells a marker from a number in the text is its context, never the line
// break: the punctuation before it, the word before it ("w § 3." cites a
// paragraph), and the numbering so far. The tree (tree.go) then checks each
// marker against the numbering of the provision it would open.

type markerKind int

const (
	markText      markerKind = iota // no marker: text before the first one
	markParagraph                   // "§ 4."
	markUst                         // "2." opening a section
	markItem                        // "3)"
	markLetter                      // "b)"
	markDash                        // "–"
	// markSoft is text after "; " that begins in lower case: an item whose
	// number the extraction lost, if the tree finds an item ended there.
	markSoft
	// markChapter is a chapter's heading ("Rozdział 2 Zakres działania
	// komórek"), up to the next marker: it groups paragraphs and states
	// nothing itself.
	markChapter
)

// block is one provision's opening and its text up to the next marker.
type block struct {
	kind   markerKind
	num    string // "4", "2", "3", "b"; empty for dashes and text
	marker string // the marker as written, to give back when it is not one
	parts  []part // the text after the marker, piece by piece (one per line)
}

// firstPart is the text of the block's first piece.
func (b block) firstPart() part {
	if len(b.parts) == 0 {
		return part{}
	}
	return b.parts[0]
}

// body is the act after stage 2.
type body struct {
	preamble  string  // the heading, title and legal basis, squeezed
	blocks    []block // from the first § on, up to the signature
	signature []part  // the signature block, if any
	sigLine   int     // index of its first line; -1 when unsigned
}

var markerRE = regexp.MustCompile(`§\s*(\d{1,3})\s*\.?|(\d{1,3})\s*\.(?:\s|$)|(\d{1,3})\s*\)|([a-z])\)|([-–—])(?:\s)|(;)\s+|(Rozdział|ROZDZIAŁ)\s+(?:[IVXLC]+|\d{1,2})(?:\.|\s|$)`)

// citing are the words before "§ 3." or "pkt 2)" that make it a citation,
// not a marker: "w § 3.", "o którym mowa w ust. 2.".
var citing = map[string]bool{
	"w": true, "we": true, "z": true, "ze": true, "o": true, "do": true, "na": true, "od": true, "przez": true,
	"mowa": true, "i": true, "oraz": true, "lub": true, "albo": true, "według": true, "zgodnie": true,
	"pod": true, "po": true, "przy": true, "ust.": true, "ust": true, "pkt": true, "pkt.": true, "lit.": true,
	"art.": true, "§": true, "nr": true, "poz.": true, "par.": true, "tiret": true,
}

// bodyStart is the offset in the stream of the first § heading that is
// not a citation, or -1.
func (t *text) bodyOffset() int {
	for off := 0; off < len(t.stream); {
		loc := headingRE.FindStringIndex(t.stream[off:])
		if loc == nil {
			return -1
		}
		at := off + loc[0]
		if tokenStart(t.stream, at) && headingAt(t.stream, at, off+loc[1]) {
			return at
		}
		off = off + loc[1]
	}
	return -1
}

var headingRE = regexp.MustCompile(`§\s*\d{1,3}\s*\.?`)

// headingAt reports whether "§ N." at s[at:end] opens a paragraph: not
// after a citing word ("w § 3."); without its full stop ("§ 2 W skład …",
// lost in extraction) only at a sentence's end and before a capital.
func headingAt(s string, at, end int) bool {
	if citingWord(s, at) {
		return false
	}
	if strings.HasSuffix(s[at:end], ".") {
		return true
	}
	pc := prevChar(s, at)
	return upperNext(s, end) && !strings.HasPrefix(strings.TrimLeftFunc(s[end:], unicode.IsSpace), "§") && (pc == 0 || strings.ContainsRune(".:;", pc))
}

// splitBody is stage 2: the provisions' blocks from the first § (at
// offset first) to the signature, which opens with the issuer's title in
// capitals (caps) or with "Z up.".
func splitBody(t *text, first int, caps string) body {
	s := t.stream
	out := body{sigLine: -1, preamble: squeeze(s[:first])}
	end := len(s)
	if words := strings.Fields(caps); len(words) > 0 {
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, regexp.QuoteMeta(w))
		}
		if all := regexp.MustCompile(strings.Join(quoted, `\s+`)).FindAllStringIndex(s[first:], -1); all != nil {
			end = first + all[len(all)-1][0]
		}
	}
	if m := signedForRE.FindStringSubmatchIndex(s[first:end]); m != nil {
		end = first + m[2]
	}
	if end < len(s) {
		out.signature = t.parts(end, len(s))
		out.sigLine = t.lineAt(skipSpaceNL(s, end))
	}
	out.blocks = t.blocks(first, end)
	return out
}

var letterNextRE = regexp.MustCompile(`^[a-z]\)`)

var signedForRE = regexp.MustCompile(`(?:^|\s)(Z)\s+up\.`)

// blocks cuts the stream between from and to at every marker that its
// context allows.
func (t *text) blocks(from, to int) []block {
	s := t.stream[:to]
	var out []block
	cur := block{kind: markText}
	start := from
	lastItem, prevParaItem := 0, 0
	lastKind := markText
	flush := func(at int) {
		cur.parts = t.parts(start, at)
		out = append(out, cur)
	}
	for _, m := range markerRE.FindAllStringSubmatchIndex(s[from:], -1) {
		for k := range m {
			if m[k] >= 0 {
				m[k] += from
			}
		}
		at, mend := m[0], m[1]
		if at < start || !tokenStart(s, at) && m[12] < 0 {
			continue
		}
		pc := prevChar(s, at)
		justOpened := (lastKind == markParagraph || lastKind == markUst) && strings.TrimSpace(s[start:at]) == ""
		var next block
		switch {
		case m[2] >= 0: // § N.
			if !headingAt(s, at, mend) {
				continue
			}
			next = block{kind: markParagraph, num: s[m[2]:m[3]]}
			prevParaItem, lastItem = lastItem, 0
		case m[4] >= 0: // N.
			if citingWord(s, at) || !(justOpened || upperNext(s, mend)) {
				continue
			}
			next = block{kind: markUst, num: s[m[4]:m[5]]}
			mend = m[5] + strings.IndexByte(s[m[5]:], '.') + 1
			lastItem = 0
		case m[6] >= 0: // N)
			n, _ := strconv.Atoi(s[m[6]:m[7]])
			ok := n == lastItem+1 || n == prevParaItem+1 && n > 1 ||
				n == lastItem+2 && strings.ContainsRune(";.:,", pc) ||
				n == 1 && (justOpened || strings.ContainsRune(":.;", pc))
			if citingWord(s, at) || !ok {
				continue
			}
			next = block{kind: markItem, num: s[m[6]:m[7]]}
			lastItem = n
		case m[8] >= 0: // a)
			l := s[m[8]:m[9]]
			if citingWord(s, at) || !(l == "a" && pc == ':' || l != "a" && strings.ContainsRune(":;,.", pc)) {
				continue
			}
			next = block{kind: markLetter, num: l}
		case m[10] >= 0: // –
			if !strings.ContainsRune(":;,", pc) {
				continue
			}
			next = block{kind: markDash}
		case m[14] >= 0: // Rozdział 2
			if !strings.ContainsRune(".;:", pc) && pc != 0 {
				continue
			}
			next = block{kind: markChapter}
		case m[12] >= 0: // ; lower case
			if r, _ := utf8.DecodeRuneInString(s[mend:]); !unicode.IsLower(r) || letterNextRE.MatchString(s[mend:]) {
				continue
			}
			at = m[12] + 1
			mend = at
			next = block{kind: markSoft}
		}
		next.marker = strings.TrimSpace(s[at:mend])
		flush(at)
		cur, start, lastKind = next, mend, next.kind
	}
	flush(len(s))
	if len(out) > 0 && out[0].kind == markText && len(out[0].parts) == 0 {
		out = out[1:]
	}
	return out
}

// parts returns the text of the stream between a and b, one piece per
// line, each trimmed; a piece is also cut after a word ending in a hyphen
// and a space ("Społeczno- Gospodarczy"), as if a line ended there, so
// that the hyphen is judged the same whether the break was kept or not.
func (t *text) parts(a, b int) []part {
	var out []part
	first := sort.Search(len(t.spans), func(k int) bool { return t.spans[k].end > a })
	for _, sp := range t.spans[first:] {
		if sp.start >= b {
			break
		}
		lo, hi := max(a, sp.start), min(b, sp.end)
		if lo >= hi {
			continue
		}
		seg := t.stream[lo:hi]
		for _, piece := range splitAtHyphens(seg) {
			if p := strings.TrimSpace(piece); p != "" {
				out = append(out, part{line: sp.line, text: p})
			}
		}
	}
	return out
}

var hyphenSpaceRE = regexp.MustCompile(`\pL-\s+\pL`)

func splitAtHyphens(s string) []string {
	var out []string
	for {
		loc := hyphenSpaceRE.FindStringIndex(s)
		if loc == nil {
			return append(out, s)
		}
		_, n := utf8.DecodeRuneInString(s[loc[0]:])
		cutAt := loc[0] + n + 1
		out = append(out, s[:cutAt])
		s = s[cutAt:]
	}
}

// tokenStart reports whether a marker at off stands at the start of a
// token: at the start of the stream or after white space.
func tokenStart(s string, off int) bool {
	if off == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:off])
	return unicode.IsSpace(r)
}

// prevChar is the last rune before off that is not white space, or 0.
func prevChar(s string, off int) rune {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRightFunc(s[:off], unicode.IsSpace))
	if r == utf8.RuneError {
		return 0
	}
	return r
}

// citingWord reports whether the word before off makes what follows a
// citation ("w § 3.").
func citingWord(s string, off int) bool {
	f := strings.Fields(s[max(0, off-40):off])
	if len(f) == 0 {
		return false
	}
	return citing[strings.ToLower(f[len(f)-1])]
}

// upperNext reports whether the first letter after off is upper case, as
// a section's first word is.
func upperNext(s string, off int) bool {
	rest := strings.TrimLeftFunc(s[min(off, len(s)):], unicode.IsSpace)
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsUpper(r) || r == '„' || r == '§'
}

func skipSpaceNL(s string, off int) int {
	for off < len(s) && unicode.IsSpace(rune(s[off])) {
		off++
	}
	return off
}
