package ordinance

import (
	"html"
	"regexp"
	"strings"
)

// A text saved from a web page may come with its markup. Stage 1 then
// reads the page's text: scripts and styles dropped, block elements
// (paragraphs, list items, rows, line breaks) as line ends, other tags as
// spaces, entities decoded.

var (
	htmlTagRE     = regexp.MustCompile(`(?i)<(?:html|body|div|p|br|li|ul|ol|table|tr|td|span|h[1-6])\b[^>]*>`)
	htmlDropRE    = regexp.MustCompile(`(?is)<(script|style|head)\b.*?</(?:script|style|head)\s*>|<!--.*?-->`)
	htmlBlockRE   = regexp.MustCompile(`(?i)</?(?:p|div|br|li|ul|ol|table|tr|h[1-6]|section|article|header|footer)\b[^>]*>`)
	htmlAnyTagRE  = regexp.MustCompile(`<[^<>]{1,1000}>`)
	htmlBlankRuns = regexp.MustCompile(`\n[ \t]*\n(?:[ \t]*\n)+`)
)

// fromHTML returns the text of a page written in HTML, and whether the
// text was HTML at all (three tags of a page or more).
func fromHTML(s string) (string, bool) {
	if len(htmlTagRE.FindAllStringIndex(s, 3)) < 3 {
		return s, false
	}
	s = htmlDropRE.ReplaceAllString(s, " ")
	s = htmlBlockRE.ReplaceAllString(s, "\n")
	s = htmlAnyTagRE.ReplaceAllString(s, " ")
	s = html.UnescapeString(s)
	s = htmlBlankRuns.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s) + "\n", true
}
