package export

import (
	"encoding/json"
	"io"
	"net/url"
	"strconv"

	"github.com/orgraph/orgraph/internal/org"
)

// Namespace is the IRI prefix of orgraph's own terms and of its nodes.
const (
	Namespace = "https://github.com/orgraph/orgraph/ns#"
	nodeIRI   = "urn:orgraph:node:"
)

// jsonLDContext maps the document's terms to the W3C Organization
// Ontology (org:), SKOS for names and codes, and orgraph's own terms for
// what the ontology has no word for (cooperation, tasking, provisions).
var jsonLDContext = map[string]any{
	"org":            "http://www.w3.org/ns/org#",
	"skos":           "http://www.w3.org/2004/02/skos/core#",
	"orgraph":        Namespace,
	"name":           map[string]any{"@id": "skos:prefLabel", "@language": "pl"},
	"identifier":     "org:identifier",
	"reportsTo":      map[string]any{"@id": "org:reportsTo", "@type": "@id"},
	"unitOf":         map[string]any{"@id": "org:unitOf", "@type": "@id"},
	"postIn":         map[string]any{"@id": "org:postIn", "@type": "@id"},
	"heads":          map[string]any{"@id": "orgraph:heads", "@type": "@id"},
	"cooperatesWith": map[string]any{"@id": "orgraph:cooperatesWith", "@type": "@id"},
	"mayTask":        map[string]any{"@id": "orgraph:mayTask", "@type": "@id"},
	"change":         "orgraph:change",
	"relation":       map[string]any{"@id": "orgraph:relation", "@type": "@id"},
	"from":           map[string]any{"@id": "orgraph:from", "@type": "@id"},
	"to":             map[string]any{"@id": "orgraph:to", "@type": "@id"},
	"kind":           "orgraph:kind",
	"strength":       "orgraph:strength",
	"provision":      "orgraph:provision",
	"basis":          "orgraph:basis",
	"reason":         map[string]any{"@id": "orgraph:reason", "@language": "en"},
	"document":       "orgraph:document",
}

// NodeIRI is the IRI a node has in the JSON-LD export.
func NodeIRI(id string) string { return nodeIRI + url.PathEscape(id) }

// JSON-LD in the W3C Organization Ontology: units are
// org:OrganizationalUnit (org:unitOf the unit they are part of; one part
// of none is an org:Organization), posts org:Post (org:postIn their unit),
// org:reportsTo the reporting lines; each relation with its provisions as
// an orgraph:Relation.
func writeJSONLD(w io.Writer, d *Doc) error {
	var graph []map[string]any
	heads := map[string]string{} // unit → the post heading it, from the tree
	for _, n := range d.Nodes {
		if n.Via != nil && n.Via.Kind == org.Heads {
			heads[n.Via.To] = n.Via.From
		}
	}
	for _, n := range d.Nodes {
		o := map[string]any{"@id": NodeIRI(n.Node.ID), "name": n.Node.Name}
		switch {
		case n.Node.Kind == org.KindPosition:
			o["@type"] = "org:Post"
			if n.Container != "" {
				o["postIn"] = NodeIRI(n.Container)
			}
		case n.Container != "":
			o["@type"] = "org:OrganizationalUnit"
			o["unitOf"] = NodeIRI(n.Container)
		default:
			o["@type"] = []string{"org:Organization", "org:OrganizationalUnit"}
		}
		if n.Node.Code != "" {
			o["identifier"] = n.Node.Code
		}
		if n.Via != nil && n.Via.Kind == org.ReportsTo {
			o["reportsTo"] = NodeIRI(n.ParentID)
		}
		if len(n.Marks) > 0 {
			o["change"] = n.Marks
		}
		graph = append(graph, o)
	}
	byID := map[string]map[string]any{}
	for _, o := range graph {
		byID[o["@id"].(string)] = o
	}
	for unit, post := range heads {
		if p := byID[NodeIRI(post)]; p != nil {
			p["heads"] = NodeIRI(unit)
			if _, ok := p["postIn"]; !ok {
				p["postIn"] = NodeIRI(unit)
			}
		}
	}
	term := map[org.RelationKind]string{org.CooperatesWith: "cooperatesWith", org.MayTask: "mayTask"}
	for _, e := range d.Edges {
		if t := term[e.Kind]; t != "" && !e.Tree {
			if from := byID[NodeIRI(e.Source)]; from != nil {
				from[t] = append(asList(from[t]), NodeIRI(e.Target))
			}
		}
		for _, r := range e.Link.Relations {
			id := r.ID
			if id == "" { // a scenario's new relation
				id = string(r.Kind) + ":" + r.From + ":" + r.To + ":" + strconv.Itoa(r.Seq)
			}
			rel := map[string]any{"@id": "urn:orgraph:relation:" + url.PathEscape(id), "@type": "orgraph:Relation",
				"kind": string(r.Kind), "from": NodeIRI(r.From), "to": NodeIRI(r.To),
				"document": r.Source.Document, "provision": r.Source.Provision, "basis": string(r.Source.Basis)}
			if r.Source.Reason != "" {
				rel["reason"] = r.Source.Reason
			}
			if r.Strength != "" {
				rel["strength"] = string(r.Strength)
			}
			graph = append(graph, rel)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"@context": jsonLDContext, "@graph": graph})
}

func asList(v any) []string {
	l, _ := v.([]string)
	return l
}
