// Package seed ships the organisations orgraph starts with: the text of each
// ordinance and a structured seed derived from it, in JSON, one file per act.
package seed

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/orgraph/orgraph/internal/org"
)

//go:embed *.json *.txt
var files embed.FS

// File is the JSON form of one act's seed.
type File struct {
	Document  DocumentJSON   `json:"document"`
	Repairs   []RepairJSON   `json:"repairs"`
	Units     []NodeJSON     `json:"units"`
	Positions []NodeJSON     `json:"positions"`
	Entities  []NodeJSON     `json:"entities"`
	Relations []RelationJSON `json:"relations"`
	Duties    []DutyJSON     `json:"duties"`
}

// DocumentJSON describes the act.
type DocumentJSON struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Issuer     string   `json:"issuer"`
	Date       string   `json:"date"`
	Effective  string   `json:"effective"`
	LegalBasis string   `json:"legalBasis"`
	Signatory  string   `json:"signatory"`
	Repeals    []string `json:"repeals"`
	File       string   `json:"file"`
}

// RepairJSON records a repair of the extracted text, or a doubt about it.
type RepairJSON struct {
	Where   string `json:"where"`
	Message string `json:"message"`
}

// NodeJSON is a unit, a position or an entity.
type NodeJSON struct {
	ID        string `json:"id"`
	Code      string `json:"code,omitempty"`
	Name      string `json:"name"`
	Type      string `json:"type,omitempty"`     // units: DEPARTMENT, SECTION, ...
	Category  string `json:"category,omitempty"` // entities: SYSTEM, PUBLICATION, ...
	Provision string `json:"provision"`
	Basis     string `json:"basis"`
	Reason    string `json:"reason,omitempty"`
}

// RelationJSON is one relation as one provision states it.
type RelationJSON struct {
	Kind      string `json:"kind"`
	From      string `json:"from"`
	To        string `json:"to"`
	Provision string `json:"provision"`
	Basis     string `json:"basis"`
	Reason    string `json:"reason,omitempty"`
	Strength  string `json:"strength,omitempty"`
	Phrase    string `json:"phrase,omitempty"`
	Scope     string `json:"scope,omitempty"`
}

// DutyJSON is one item, letter or dash.
type DutyJSON struct {
	Unit      string `json:"unit"`
	Provision string `json:"provision"`
	Text      string `json:"text"`
	Common    bool   `json:"common,omitempty"`
}

// Graph returns every shipped act, merged into one graph.
func Graph() (*org.Graph, error) {
	names, err := fs.Glob(files, "*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	g := &org.Graph{}
	for _, name := range names {
		data, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var f File
		if err := json.Unmarshal(data, &f); err != nil {
			return nil, fmt.Errorf("seed %s: %w", name, err)
		}
		text, err := files.ReadFile(path.Clean(f.Document.File))
		if err != nil {
			return nil, fmt.Errorf("seed %s: the text: %w", name, err)
		}
		part, err := f.Graph(string(text))
		if err != nil {
			return nil, fmt.Errorf("seed %s: %w", name, err)
		}
		g.Merge(part, len(g.Nodes)+len(g.Relations)+len(g.Duties))
	}
	if err := org.Validate(g); err != nil {
		return nil, err
	}
	return g, nil
}

// Text returns the shipped text of a seed file, by file name.
func Text(name string) (string, error) {
	b, err := files.ReadFile(name)
	return string(b), err
}

// Graph turns the seed into the domain's graph; text is the act's text.
func (f *File) Graph(text string) (*org.Graph, error) {
	doc := f.Document.ID
	prov := func(provision, basis, reason string) org.Provenance {
		return org.Provenance{Document: doc, Provision: provision, Basis: org.Basis(basis), Reason: reason}
	}
	g := &org.Graph{}
	d := org.Document{
		ID: doc, Title: f.Document.Title, Issuer: f.Document.Issuer, Date: f.Document.Date,
		Effective: f.Document.Effective, LegalBasis: f.Document.LegalBasis,
		Signatory: f.Document.Signatory, Repeals: f.Document.Repeals, File: f.Document.File, Text: text,
	}
	for _, r := range f.Repairs {
		d.Repairs = append(d.Repairs, org.Repair{Where: r.Where, Message: r.Message})
	}
	g.Documents = append(g.Documents, d)

	seq := 0
	add := func(kind org.NodeKind, typ string, n NodeJSON) {
		seq++
		g.Nodes = append(g.Nodes, org.Node{
			ID: n.ID, Kind: kind, Name: n.Name, Code: n.Code, Type: typ, Seq: seq,
			Source: prov(n.Provision, n.Basis, n.Reason),
		})
	}
	for _, n := range f.Units {
		add(org.KindUnit, n.Type, n)
	}
	for _, n := range f.Positions {
		add(org.KindPosition, "", n)
	}
	for _, n := range f.Entities {
		add(org.KindEntity, n.Category, n)
	}

	dutyByProvision := map[string]string{}
	for _, dj := range f.Duties {
		seq++
		level, number, parent, err := parseProvision(dj.Provision)
		if err != nil {
			return nil, err
		}
		id := DutyID(doc, dj.Provision)
		parentID := ""
		if parent != "" {
			parentID = DutyID(doc, parent)
		}
		dutyByProvision[dj.Provision] = id
		g.Duties = append(g.Duties, org.Duty{
			ID: id, Unit: dj.Unit, Common: dj.Common, Level: level, Number: number, Parent: parentID,
			Text: dj.Text, Seq: seq, Source: prov(dj.Provision, string(org.Stated), ""),
		})
	}
	for _, r := range f.Relations {
		seq++
		g.Relations = append(g.Relations, org.Relation{
			ID:   RelationID(org.RelationKind(r.Kind), r.From, r.To, doc, r.Provision),
			Kind: org.RelationKind(r.Kind), From: r.From, To: r.To,
			Strength: org.Strength(r.Strength), Phrase: r.Phrase, Scope: r.Scope,
			Duty: dutyByProvision[r.Provision], Seq: seq,
			Source: prov(r.Provision, r.Basis, r.Reason),
		})
	}
	return g, nil
}

// DutyID is the id of the duty at a provision of a document:
// "3468/2024 § 7 pkt 2 lit. b".
func DutyID(doc, provision string) string { return doc + " " + provision }

// RelationID is the id of a relation: its kind, ends and provision.
func RelationID(kind org.RelationKind, from, to, doc, provision string) string {
	return fmt.Sprintf("%s:%s>%s@%s %s", kind, from, to, doc, provision)
}

var provisionRE = regexp.MustCompile(`^§ \d+[a-z]?( ust\. \d+)? pkt (\d+)( lit\. ([a-z]))?( tiret (\d+))?$`)

// parseProvision tells a duty's level, number and parent provision from its own.
func parseProvision(p string) (level org.DutyLevel, number, parent string, err error) {
	m := provisionRE.FindStringSubmatch(p)
	if m == nil {
		return "", "", "", fmt.Errorf("duty provision %q is not of the form \"§ N pkt N[ lit. x][ tiret N]\"", p)
	}
	switch {
	case m[6] != "":
		return org.LevelDash, m[6], strings.TrimSuffix(p, m[5]), nil
	case m[4] != "":
		return org.LevelLetter, m[4], strings.TrimSuffix(p, m[3]), nil
	}
	return org.LevelItem, m[2], "", nil
}
