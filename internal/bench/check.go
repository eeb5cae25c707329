package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// SameAnswer returns nil when got is want byte for byte, and otherwise an
// error that shows where they part.
func SameAnswer(got, want []byte) error {
	if bytes.Equal(got, want) {
		return nil
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	if bytes.HasPrefix(got, []byte(`{"errors":`)) {
		return fmt.Errorf("wrong answer: GraphQL errors: %s", Snippet(got))
	}
	lo := max(i-30, 0)
	return fmt.Errorf("wrong answer: %d bytes, want %d; first difference at byte %d: got %q, want %q",
		len(got), len(want), i, Snippet(got[lo:min(len(got), i+40)]), Snippet(want[lo:min(len(want), i+40)]))
}

// Snippet shortens b for a message.
func Snippet(b []byte) string {
	const n = 200
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// CheckGraphQL returns an error when a GraphQL answer carries errors or no
// data: the expected answer must be a real one.
func CheckGraphQL(body []byte) error {
	var resp struct {
		Data   json.RawMessage   `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return fmt.Errorf("not a GraphQL answer: %v: %s", err, Snippet(body))
	}
	if len(resp.Errors) > 0 {
		return fmt.Errorf("the answer has errors: %s", Snippet(body))
	}
	if len(resp.Data) == 0 || string(resp.Data) == "null" {
		return fmt.Errorf("the answer has no data: %s", Snippet(body))
	}
	return nil
}

// Fingerprint is a canonical form of an answer, one line per fact, that the
// GraphQL answer and a floor's Cypher records can both be reduced to, so
// that the floor is checked against orgraph without matching its bytes.
type Fingerprint []string

// Equal reports whether f and g hold the same lines, order not counted
// unless the lines say it.
func (f Fingerprint) Equal(g Fingerprint) bool {
	a, b := slices.Clone(f), slices.Clone(g)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// Diff describes how g differs from the expectation f, for a message.
func (f Fingerprint) Diff(g Fingerprint) string {
	missing, extra := minus(f, g), minus(g, f)
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, fmt.Sprintf("%d missing (first %q)", len(missing), missing[0]))
	}
	if len(extra) > 0 {
		parts = append(parts, fmt.Sprintf("%d unexpected (first %q)", len(extra), extra[0]))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("%d lines, want %d", len(g), len(f))
	}
	return strings.Join(parts, ", ")
}

// minus returns the lines of a not in b, counting repeats.
func minus(a, b []string) []string {
	left := map[string]int{}
	for _, s := range b {
		left[s]++
	}
	var out []string
	for _, s := range a {
		if left[s] > 0 {
			left[s]--
			continue
		}
		out = append(out, s)
	}
	return out
}

type (
	jsonNode struct {
		ID   string `json:"id"`
		Code string `json:"code"`
		Name string `json:"name"`
	}
	jsonSource struct {
		Provision string `json:"provision"`
		Basis     string `json:"basis"`
		Reason    string `json:"reason"`
	}
	jsonCooperation struct {
		Unit       jsonNode   `json:"unit"`
		Direction  string     `json:"direction"`
		DeclaredBy jsonNode   `json:"declaredBy"`
		Strength   string     `json:"strength"`
		Source     jsonSource `json:"source"`
	}
)

// ChainLine is the fingerprint line of one link of a chain of command; the
// step number keeps the order in the fingerprint.
func ChainLine(step int, from, to, provision, basis, reason string) string {
	return fmt.Sprintf("%02d %s>%s|%s|%s|%s", step, from, to, provision, basis, reason)
}

// ChainFingerprint reads Q1's answer (chainOfCommand.links).
func ChainFingerprint(body []byte) (Fingerprint, error) {
	var resp struct {
		Data struct {
			ChainOfCommand struct {
				Links []struct {
					From, To jsonNode
					Source   jsonSource
				} `json:"links"`
			} `json:"chainOfCommand"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, err
	}
	var f Fingerprint
	for i, l := range resp.Data.ChainOfCommand.Links {
		f = append(f, ChainLine(i, l.From.ID, l.To.ID, l.Source.Provision, l.Source.Basis, l.Source.Reason))
	}
	if len(f) == 0 {
		return nil, fmt.Errorf("the chain has no links: %s", Snippet(body))
	}
	return f, nil
}

// ChainEnds returns the first and last node ids of a chain fingerprint and
// its node count, for the report.
func ChainEnds(f Fingerprint) (first, last string, nodes int) {
	if len(f) == 0 {
		return "", "", 0
	}
	ends := func(line string) (string, string) {
		_, rest, _ := strings.Cut(line, " ")
		rest, _, _ = strings.Cut(rest, "|")
		a, b, _ := strings.Cut(rest, ">")
		return a, b
	}
	first, _ = ends(f[0])
	_, last = ends(f[len(f)-1])
	return first, last, len(f) + 1
}

// CooperationLine is the fingerprint line of one cooperation of a unit.
func CooperationLine(partner, direction, declaredBy, strength, provision, basis, reason string) string {
	return strings.Join([]string{partner, direction, declaredBy, strength, provision, basis, reason}, "|")
}

// CooperationFingerprint reads Q2's answer (cooperatingUnits).
func CooperationFingerprint(body []byte) (Fingerprint, error) {
	var resp struct {
		Data struct {
			CooperatingUnits []jsonCooperation `json:"cooperatingUnits"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, err
	}
	var f Fingerprint
	for _, c := range resp.Data.CooperatingUnits {
		f = append(f, CooperationLine(c.Unit.Code, c.Direction, c.DeclaredBy.ID, c.Strength,
			c.Source.Provision, c.Source.Basis, c.Source.Reason))
	}
	if len(f) == 0 {
		return nil, fmt.Errorf("no cooperation: %s", Snippet(body))
	}
	return f, nil
}

// UnitLine is the fingerprint line of one unit of Q3: its code and name,
// its superior, the provisions of its duties and its cooperation entries
// (each list sorted, so that ties in order do not matter).
func UnitLine(code, name, superior string, dutyProvisions, cooperation []string) string {
	d, c := slices.Clone(dutyProvisions), slices.Clone(cooperation)
	slices.Sort(d)
	slices.Sort(c)
	return fmt.Sprintf("%s|%s|sup=%s|duties=%d[%s]|coop=%d[%s]", code, name, superior,
		len(d), strings.Join(d, ";"), len(c), strings.Join(c, ";"))
}

// UnitsFingerprint reads Q3's answer (units with duties, superior, cooperation).
func UnitsFingerprint(body []byte) (Fingerprint, error) {
	var resp struct {
		Data struct {
			Units []struct {
				Code   string `json:"code"`
				Name   string `json:"name"`
				Duties []struct {
					Text   string     `json:"text"`
					Source jsonSource `json:"source"`
				} `json:"duties"`
				Superior    *jsonNode         `json:"superior"`
				Cooperation []jsonCooperation `json:"cooperation"`
			} `json:"units"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, err
	}
	var f Fingerprint
	for _, u := range resp.Data.Units {
		var duties, coop []string
		for _, d := range u.Duties {
			duties = append(duties, d.Source.Provision)
		}
		for _, c := range u.Cooperation {
			coop = append(coop, CooperationLine(c.Unit.Code, c.Direction, "", c.Strength, c.Source.Provision, c.Source.Basis, ""))
		}
		sup := ""
		if u.Superior != nil {
			sup = u.Superior.ID
		}
		f = append(f, UnitLine(u.Code, u.Name, sup, duties, coop))
	}
	if len(f) == 0 {
		return nil, fmt.Errorf("no units: %s", Snippet(body))
	}
	return f, nil
}
