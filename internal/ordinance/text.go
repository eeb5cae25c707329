package ordinance

import (
	"regexp"
	"strings"
)

// Stage 1, text: the act's lines, page furniture told apart from the text
// of the act, and the text itself as one stream in which line breaks are
// only white space. Nothing later depends on where a line breaks: the
// structure is found in the stream by its markers (blocks.go), and the
// lines are kept only to say where a warning arises.

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

// span is where one content line's text stands in the stream.
type span struct {
	line       int // index into text.lines
	start, end int // byte offsets in text.stream
}

// cut is page furniture found inside a line and blanked out of the stream:
// a page number, a repeated page header, a footer address.
type cut struct {
	line int    // index into text.lines
	what string // "page number", "repeated page header", "address"
	text string
}

// text is the act after stage 1.
type text struct {
	lines []line
	// bodyStart is the index of the line holding the first § heading; -1
	// when there is none.
	bodyStart int
	// stream is the text of the content lines joined by "\n", inline page
	// furniture replaced by spaces.
	stream string
	spans  []span
	cuts   []cut
	fixes  []fix
}

// fix is a code written with a hyphen other than "-", normalised.
type fix struct {
	line          int
	written, read string
	hyphen        rune
}

// oddHyphens are the hyphens and dashes a code may be written with
// instead of "-": hyphen, non-breaking hyphen, figure dash, en dash, em
// dash, minus.
const oddHyphens = "\u2010\u2011\u2012\u2013\u2014\u2212"

var (
	oddCodeRE     = regexp.MustCompile(`\b[A-Z]{1,4}(?:[-` + oddHyphens + `]\d{1,3})+\b`)
	unicodeSpaces = strings.NewReplacer("\u00a0", " ", "\u2007", " ", "\u202f", " ", "\u2009", " ", "\u2002", " ", "\u2003", " ")
	invisible     = strings.NewReplacer("\u00ad", "", "\u200b", "", "\ufeff", "", "\u200e", "", "\u200f", "")
	urlRE         = regexp.MustCompile(`^(?:https?://|www\.)\S+$`)
	pageNoRE      = regexp.MustCompile(`^(?:-\s*\d{1,3}\s*-|\d{1,3}|(?i:strona\s+\d+(?:\s+z\s+\d+)?))$`)
	anyHeadingRE  = regexp.MustCompile(`§\s*\d+\s*\.`)
	inlinePageRE  = regexp.MustCompile(`(?:^|\s)(-\s+\d{1,3}\s+-|Strona\s+\d{1,3}\s+z\s+\d{1,3})(?:\s|$)`)
	inlineURLRE   = regexp.MustCompile(`https?://\S+`)
	trailingNoRE  = regexp.MustCompile(`^\s+\d{1,3}(?:\s|$)`)
)

// readText is stage 1. actID is the act's number ("3468/2024") when the
// text gives one, to tell its repetitions at the top of pages.
func readText(raw, actID string) *text {
	t := &text{lines: splitLines(raw), bodyStart: -1}
	for i := range t.lines {
		l := &t.lines[i]
		l.text = strings.TrimSpace(unicodeSpaces.Replace(l.text))
		if strings.HasSuffix(l.text, "\u00ad") {
			l.text = strings.TrimSuffix(l.text, "\u00ad") + "-"
		}
		l.text = invisible.Replace(l.text)
		l.text = oddCodeRE.ReplaceAllStringFunc(l.text, func(code string) string {
			read := strings.Map(func(r rune) rune {
				if strings.ContainsRune(oddHyphens, r) {
					return '-'
				}
				return r
			}, code)
			if read != code {
				h := []rune(strings.Trim(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"))[0]
				t.fixes = append(t.fixes, fix{line: i, written: code, read: read, hyphen: h})
			}
			return read
		})
		if l.text == "" {
			l.kind = blankLine
		}
	}
	for i, l := range t.lines {
		if l.kind == contentLine && anyHeadingRE.MatchString(l.text) {
			t.bodyStart = i
			break
		}
	}
	// A line is the repeated heading only when it holds nothing else; a
	// line that begins with it and goes on is text, the heading in it
	// blanked out below.
	var header *regexp.Regexp
	if actID != "" {
		header = regexp.MustCompile(`^` + headerPattern(actID) + `(?:\s+\d{1,3})?$`)
	}
	if t.bodyStart >= 0 {
		for i := t.bodyStart + 1; i < len(t.lines); i++ {
			l := &t.lines[i]
			switch {
			case l.kind != contentLine:
			case urlRE.MatchString(l.text):
				l.kind = urlLine
			case pageNoRE.MatchString(l.text):
				l.kind = pageNumber
			case header != nil && header.MatchString(l.text):
				l.kind = runningHeader
			}
		}
	}
	var b strings.Builder
	for i, l := range t.lines {
		if l.kind != contentLine {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		start := b.Len()
		b.WriteString(l.text)
		t.spans = append(t.spans, span{line: i, start: start, end: b.Len()})
	}
	t.stream = b.String()
	t.blankFurniture(actID)
	return t
}

// lineAt is the index of the line holding byte off of the stream.
func (t *text) lineAt(off int) int {
	lo, hi := 0, len(t.spans)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if t.spans[mid].start <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if len(t.spans) == 0 {
		return 0
	}
	return t.spans[lo].line
}

// blankFurniture finds page furniture inside lines of the body, as a text
// copied from a PDF viewer in one piece has it, and blanks it out: page
// numbers ("- 3 -", "Strona 2 z 5"), the act's heading repeated at the top
// of a page (with the page number after it), and a footer address that the
// text repeats (an address given once is part of the text).
func (t *text) blankFurniture(actID string) {
	body := strings.Index(t.stream, "§")
	if body < 0 {
		return
	}
	s := []byte(t.stream)
	blank := func(a, b int, what string) {
		t.cuts = append(t.cuts, cut{line: t.lineAt(a), what: what, text: strings.Join(strings.Fields(string(s[a:b])), " ")})
		for k := a; k < b; k++ {
			if s[k] != '\n' {
				s[k] = ' '
			}
		}
	}
	for _, m := range inlinePageRE.FindAllStringSubmatchIndex(t.stream[body:], -1) {
		blank(body+m[2], body+m[3], "page number")
	}
	if actID != "" {
		re := regexp.MustCompile(headerPattern(actID))
		for _, m := range re.FindAllStringIndex(t.stream[body:], -1) {
			a, b := body+m[0], body+m[1]
			if n := trailingNoRE.FindStringIndex(t.stream[b:]); n != nil {
				b += len(strings.TrimRight(t.stream[b:b+n[1]], " \n\t"))
			}
			blank(a, b, "repeated page header")
		}
	}
	count := map[string]int{}
	for _, u := range inlineURLRE.FindAllString(t.stream, -1) {
		count[u]++
	}
	for _, l := range t.lines {
		if l.kind == urlLine {
			count[l.text]++
		}
	}
	for _, m := range inlineURLRE.FindAllStringIndex(t.stream[body:], -1) {
		if count[t.stream[body+m[0]:body+m[1]]] >= 2 {
			blank(body+m[0], body+m[1], "address")
		}
	}
	t.stream = string(s)
}

// headerPattern is the act's heading as a page repeats it: "Zarządzenie nr
// 2044/2025 Prezydenta Miasta Krakowa z dnia 3 lipca 2025 r.".
func headerPattern(actID string) string {
	return `(?i:zarządzenie)\s+(?i:nr)\s+` + regexp.QuoteMeta(actID) + `(?:\s+\p{Lu}\pL*)*(?:\s+(?i:z\s+dnia)\s+` + datePattern + `)?`
}

// splitLines numbers the lines of the text and tells blank ones apart.
func splitLines(raw string) []line {
	raw = strings.ReplaceAll(raw, "\r\n", "\n")
	raw = strings.ReplaceAll(raw, "\r", "\n")
	raw = strings.ReplaceAll(raw, "\f", "\n")
	var out []line
	for i, r := range strings.Split(raw, "\n") {
		l := line{n: i + 1, raw: r, text: strings.TrimSpace(r), kind: contentLine}
		if l.text == "" {
			l.kind = blankLine
		}
		out = append(out, l)
	}
	return out
}
