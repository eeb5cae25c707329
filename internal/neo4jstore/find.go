package neo4jstore

import (
	"context"
	"slices"
	"strings"

	"github.com/orgraph/orgraph/internal/org"
)

// Empty reports whether the store holds no node.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	vs, err := s.read(ctx, "empty", emptyQuery, nil)
	if err != nil {
		return false, err
	}
	return vs[0].(bool), nil
}

// FindDocuments returns every document, ordered by ID.
func (s *Store) FindDocuments(ctx context.Context) ([]org.Document, error) {
	vs, err := s.read(ctx, "find documents", findDocumentsQuery, nil)
	if err != nil {
		return nil, err
	}
	out := make([]org.Document, 0, len(vs))
	for _, v := range vs {
		out = append(out, decodeDocument(v))
	}
	return out, nil
}

// FindNodeByID returns the node with the given id.
func (s *Store) FindNodeByID(ctx context.Context, id string) (org.Node, error) {
	vs, err := s.read(ctx, "find node", findNodeByIDQuery, map[string]any{"id": id})
	if err != nil {
		return org.Node{}, err
	}
	if len(vs) == 0 {
		return org.Node{}, org.Errorf(org.ENOTFOUND, "no node with id %q", id)
	}
	return decodeNode(vs[0]), nil
}

// FindNodeByCode returns the unit with the given code.
func (s *Store) FindNodeByCode(ctx context.Context, code string) (org.Node, error) {
	vs, err := s.read(ctx, "find node by code", findNodeByCodeQuery, map[string]any{"code": code})
	if err != nil {
		return org.Node{}, err
	}
	if len(vs) == 0 {
		return org.Node{}, org.Errorf(org.ENOTFOUND, "no unit with code %q", code)
	}
	return decodeNode(vs[0]), nil
}

// FindNodes returns the nodes that match f, ordered by Seq, then ID.
func (s *Store) FindNodes(ctx context.Context, f org.NodeFilter) ([]org.Node, error) {
	query, params := selection(findNodesQueries, f)
	vs, err := s.read(ctx, "find nodes", query, params)
	if err != nil {
		return nil, err
	}
	var out []org.Node
	for _, v := range vs {
		out = append(out, decodeNode(v))
	}
	return out, nil
}

// selection picks the query for f's way of selecting nodes and its parameters.
func selection(qs selected, f org.NodeFilter) (string, map[string]any) {
	params := map[string]any{"nodeKinds": strs(f.Kinds)}
	switch {
	case f.Ref != "":
		params["code"], params["id"] = strings.ToUpper(f.Ref), f.Ref
		return qs.ref, params
	case f.IDs != nil:
		params["ids"] = unique(f.IDs)
		return qs.ids, params
	}
	return qs.all, params
}

// FindRelations returns the relations that match f, ordered by Seq, then ID.
func (s *Store) FindRelations(ctx context.Context, f org.RelationFilter) ([]org.Relation, error) {
	params := map[string]any{"kinds": kindNames(f.Kinds), "to": nil}
	query := findRelationsQuery
	switch {
	case f.From != nil:
		query = findRelationsFromQuery
		params["from"] = unique(f.From)
		if f.To != nil {
			params["to"] = unique(f.To)
		}
	case f.To != nil:
		query = findRelationsToQuery
		params["to"] = unique(f.To)
	}
	vs, err := s.read(ctx, "find relations", query, params)
	if err != nil {
		return nil, err
	}
	var out []org.Relation
	for _, v := range vs {
		out = append(out, decodeRelation(v))
	}
	return out, nil
}

// FindDuties returns the duties that match f, ordered by Seq, then ID.
func (s *Store) FindDuties(ctx context.Context, f org.DutyFilter) ([]org.Duty, error) {
	params := map[string]any{"units": nil, "common": nil}
	if f.Common != nil {
		params["common"] = *f.Common
	}
	query := findDutiesQuery
	switch {
	case f.IDs != nil:
		query = findDutiesByIDQuery
		params["ids"] = unique(f.IDs)
		if f.Units != nil {
			params["units"] = unique(f.Units)
		}
	case f.Units != nil:
		query = findDutiesByUnitQuery
		params["units"] = unique(f.Units)
	}
	vs, err := s.read(ctx, "find duties", query, params)
	if err != nil {
		return nil, err
	}
	var out []org.Duty
	for _, v := range vs {
		out = append(out, decodeDuty(v))
	}
	return out, nil
}

// unique returns ids sorted and without repeats: a repeated id would match
// twice after UNWIND. It is never nil, so that an empty filter matches
// nothing rather than everything.
func unique(ids []string) []string {
	out := append([]string{}, ids...)
	slices.Sort(out)
	return slices.Compact(out)
}

// kindNames returns the kinds as strings, or every kind when there is none.
func kindNames(kinds []org.RelationKind) []string {
	if len(kinds) == 0 {
		kinds = org.RelationKinds
	}
	return strs(kinds)
}

// strs converts a slice of string kinds to the []string the driver sends;
// never nil, which would reach Cypher as null.
func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// The decoders read the maps the queries project. A missing property is an
// empty value: the rows leave empty strings out.

func decodeDocument(v any) org.Document {
	m := v.(map[string]any)
	d := org.Document{
		ID: str(m, "id"), Title: str(m, "title"), Issuer: str(m, "issuer"), Date: str(m, "date"),
		Effective: str(m, "effective"), LegalBasis: str(m, "legalBasis"), Signatory: str(m, "signatory"),
		Repeals: list(m, "repeals"), File: str(m, "file"), Text: str(m, "text"),
	}
	where, message := list(m, "repairWhere"), list(m, "repairMessage")
	for i := range min(len(where), len(message)) {
		d.Repairs = append(d.Repairs, org.Repair{Where: where[i], Message: message[i]})
	}
	return d
}

func decodeNode(v any) org.Node {
	m := v.(map[string]any)
	return org.Node{
		ID: str(m, "id"), Kind: org.NodeKind(str(m, "kind")), Name: str(m, "name"),
		Code: str(m, "code"), Type: str(m, "type"), Seq: num(m, "seq"), Source: source(m),
	}
}

func decodeRelation(v any) org.Relation {
	m := v.(map[string]any)
	return org.Relation{
		ID: str(m, "id"), Kind: org.RelationKind(str(m, "kind")), From: str(m, "from"), To: str(m, "to"),
		Strength: org.Strength(str(m, "strength")), Phrase: str(m, "phrase"), Scope: str(m, "scope"),
		Duty: str(m, "duty"), Seq: num(m, "seq"), Source: source(m),
	}
}

func decodeDuty(v any) org.Duty {
	m := v.(map[string]any)
	common, _ := m["common"].(bool)
	return org.Duty{
		ID: str(m, "id"), Unit: str(m, "unit"), Common: common, Level: org.DutyLevel(str(m, "level")),
		Number: str(m, "number"), Parent: str(m, "parent"), Text: str(m, "text"), Seq: num(m, "seq"),
		Source: source(m),
	}
}

func source(m map[string]any) org.Provenance {
	return org.Provenance{
		Document: str(m, "document"), Provision: str(m, "provision"),
		Basis: org.Basis(str(m, "basis")), Reason: str(m, "reason"),
	}
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func num(m map[string]any, key string) int {
	n, _ := m[key].(int64)
	return int(n)
}

// list reads a list of strings; nil when absent, as the domain leaves an
// empty list nil.
func list(m map[string]any, key string) []string {
	vs, _ := m[key].([]any)
	var out []string
	for _, v := range vs {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}
