// Package ordinance reads the organisational ordinances of Kraków City Hall
// departments ("w sprawie podziału na wewnętrzne komórki organizacyjne oraz
// szczegółowego zakresu działania …") into orgraph's seed form: the act, its
// units, positions, relations and duties, with a warning for every repair of
// the extracted text and every doubt about it.
//
// It reads in stages, each a type of its own with its own tests: the text
// (text.go: page furniture set aside, non-breaking spaces and odd hyphens
// normalised, the lines joined into one stream), the blocks (blocks.go: the
// stream cut at the provisions' markers, judged by context, never by line
// starts), the provisions (tree.go: § › ust. › pkt › lit. › tiret), the
// roles of the paragraphs (parser.go: roleOf), the facts (facts.go:
// readFacts, with units.go, reporting.go, duties.go: the units, positions,
// relations and duties) and the checks (checks.go: check, the warnings for
// the scars all the stages met); parser.go's parse runs them in turn. What
// it knows of one city (its offices, unit types, post titles, officials,
// partners and the phrases that name them) is a Vocabulary (city.go);
// Parse reads Kraków's acts, ParseWith another city's. The legal phrasing
// every Polish act shares ("W skład … wchodzą", "… kieruje …", "podlega")
// and the declension of Polish words (words.go) stay in the parser. A text that is not an ordinance is refused (refusal.go)
// saying what was expected and what was found.
//
// The parser states only what the text states. What a reader adds by
// judgement (the chain above the Director, the systems a unit runs) comes
// from manual corrections, kept beside the seed and applied by Apply.
//
// Ids: units keep their codes ("KS-01", "PO-01-1") and the department the
// letters its units' codes share ("KS"); the City's officials have fixed ids
// shared by every act ("prezydent", "zastepca-prezydenta",
// "skarbnik-miasta", "sekretarz-miasta"), and so do the bodies outside the
// department that units cooperate with (Vocabulary.Partners); a department's own
// positions are the slug of the title followed by the id of the unit they
// belong to, so that two departments' Directors never meet:
// "dyrektor-wydzialu-po", "zastepca-dyrektora-ds-promocji-ks",
// "kierownik-referatu-po-01". The seed of 3468/2024 keeps the unsuffixed ids
// it has always had, by a correction (seed/CORRECTIONS.md).
package ordinance

import (
	"cmp"
	"context"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/seed"
)

// Result is one act as the parser reads it, in the seed's JSON form.
// File.Repairs holds the warnings: every repair and every doubt, each with
// its place.
type Result struct {
	File seed.File
	// Text is the text the act was read from; the graph keeps it.
	Text string
	// Corrections lists why each applied manual correction was made.
	Corrections []string
	// Provisions holds the text of every provision by its name ("§ 3 ust.
	// 2 pkt 1"), its own text only, as the parser read it: what each
	// fact's provision says.
	Provisions map[string]string
}

// Warnings returns the repairs and doubts, each with where it arises.
func (r *Result) Warnings() []seed.RepairJSON { return r.File.Repairs }

// Graph returns the act as a graph, checked by org.Validate.
func (r *Result) Graph() (*org.Graph, error) {
	g, err := r.File.Graph(r.Text)
	if err != nil {
		return nil, org.Errorf(org.EINVALID, "%s: %v", r.File.Document.ID, err)
	}
	if err := org.Validate(g); err != nil {
		return nil, err
	}
	return g, nil
}

// Summary counts what an act holds.
type Summary struct {
	Units, Positions, Entities, Relations, Duties, Warnings int
}

// Summary counts the act's units, positions, entities, relations, duties and
// warnings.
func (r *Result) Summary() Summary {
	f := r.File
	return Summary{len(f.Units), len(f.Positions), len(f.Entities), len(f.Relations), len(f.Duties), len(f.Repairs)}
}

// Parse reads one ordinance. name is the file's name; only its base is kept.
// It fails (EINVALID) only when the text is not an ordinance of this form:
// not UTF-8, no act number, or no units.
func Parse(name, text string) (*Result, error) { return ParseWith(Krakow, name, text) }

// ParseWith reads one ordinance with a city's vocabulary.
func ParseWith(city *Vocabulary, name, text string) (*Result, error) {
	if what := binaryKind(text); what != "" {
		return nil, refusal(path.Base(name), what)
	}
	if !utf8.ValidString(text) {
		return nil, org.Errorf(org.EINVALID, "%s: the text is not UTF-8; convert it first (iconv -f cp1250 -t utf-8)", path.Base(name))
	}
	text, page := fromHTML(text)
	p := newParser(city, path.Base(name), text)
	if err := p.parse(); err != nil {
		return nil, err
	}
	if page {
		p.warnAt(0, "line 1", "The text is a web page's HTML; its markup is dropped and its text read.")
	}
	return &Result{File: p.file(), Text: text, Provisions: p.provisionTexts()}, nil
}

// Import parses an act and applies the manual corrections shipped for it,
// if any: what `orgraph import` and the importOrdinance mutation do.
func Import(name, text string) (*Result, error) {
	r, err := Parse(name, text)
	if err != nil {
		return nil, err
	}
	c, err := ShippedCorrections(r.File.Document.ID)
	if err != nil {
		return nil, err
	}
	if c != nil {
		if err := r.Apply(c); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// ReadAct reads the facts of an act the graph keeps from its stored text,
// as Import does: the org.ActReader cmd gives the service, for the
// structure on a past day.
func ReadAct(_ context.Context, d org.Document) (*org.Graph, error) {
	r, err := Import(cmp.Or(d.File, d.ID), d.Text)
	if err != nil {
		return nil, err
	}
	return r.Graph()
}

// provisionTexts is the text of every provision by its name.
func (p *parser) provisionTexts() map[string]string {
	out := map[string]string{}
	for _, para := range p.paras {
		para.root.walk(func(n *node) {
			if _, dup := out[n.provision()]; !dup {
				out[n.provision()] = n.text
			}
		})
	}
	return out
}

// warning is a repair or doubt, with the line it arises at for ordering.
type warning struct {
	line           int
	where, message string
}

func (p *parser) file() seed.File {
	p.warnings = append(p.provisions.warnings, p.warnings...)
	slices.SortStableFunc(p.warnings, func(a, b warning) int { return a.line - b.line })
	f := seed.File{
		Document:  p.doc,
		Repairs:   []seed.RepairJSON{},
		Units:     []seed.NodeJSON{},
		Positions: []seed.NodeJSON{},
		Entities:  []seed.NodeJSON{},
		Relations: p.facts.relations,
		Duties:    p.facts.duties,
	}
	for _, w := range p.warnings {
		f.Repairs = append(f.Repairs, seed.RepairJSON{Where: w.where, Message: w.message})
	}
	for _, u := range p.facts.units {
		f.Units = append(f.Units, seed.NodeJSON{ID: u.id, Code: u.code, Name: u.name, Type: u.typ, Provision: u.provision, Basis: string(org.Stated)})
	}
	// The City's officials first, in order of rank, then the department's own.
	for _, sp := range p.city.Officials {
		if pos := p.facts.positions[sp.ID]; pos != nil && pos.used {
			f.Positions = append(f.Positions, pos.json())
		}
	}
	for _, id := range p.facts.positionOrder {
		if pos := p.facts.positions[id]; !pos.shared && pos.used {
			f.Positions = append(f.Positions, pos.json())
		}
	}
	slices.SortStableFunc(p.facts.entities, func(a, b *entity) int { return a.order - b.order })
	for _, e := range p.facts.entities {
		f.Entities = append(f.Entities, seed.NodeJSON{ID: e.id, Name: e.name, Category: e.category, Provision: e.provision, Basis: string(org.Stated)})
	}
	if f.Relations == nil {
		f.Relations = []seed.RelationJSON{}
	}
	if f.Duties == nil {
		f.Duties = []seed.DutyJSON{}
	}
	return f
}

// quote shortens a text for a message.
func quote(s string, words int) string {
	f := strings.Fields(s)
	if len(f) <= words {
		return s
	}
	return "… " + strings.Join(f[len(f)-words:], " ")
}
