package ordinance_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/orgraph/orgraph/internal/ordinance"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/seed"
)

// said is the text a provision says, with the lists it belongs to: for
// "§ 3 ust. 2 pkt 1", the texts of § 3, § 3 ust. 2 and § 3 ust. 2 pkt 1,
// folded.
func said(r *ordinance.Result, provision string) (string, bool) {
	f := strings.Fields(provision)
	var parts []string
	found := false
	for k := 2; k <= len(f); k += 2 {
		if t, ok := r.Provisions[strings.Join(f[:k], " ")]; ok {
			parts = append(parts, t)
			found = found || k == len(f)
		}
	}
	return org.Fold(strings.Join(parts, " ")), found
}

// functionWords are left out of a name when looking for it in a text: the
// words that join a name, and the City's name, which a text often drops
// ("Zastępca Prezydenta" for "Zastępca Prezydenta Miasta Krakowa").
var functionWords = map[string]bool{"ds": true, "i": true, "w": true, "z": true, "oraz": true, "na": true, "do": true,
	"od": true, "przez": true, "dla": true, "miasta": true, "krakowa": true, "urzedu": true, "umk": true,
	// A department's own positions are named in its act without its name:
	// "Dyrektora" is the Director of the Wydział.
	"wydzialu": true, "biura": true, "kancelarii": true, "departamentu": true}

// unitTypeWords open a unit's name; the words after them tell it apart.
var unitTypeWords = map[string]bool{"referat": true, "biuro": true, "zespol": true, "samodzielne": true, "stanowisko": true}

// stem is a folded word less its ending: enough to find it in any case.
func stem(w string) string {
	r := []rune(w)
	if len(r) <= 4 {
		return string(r[:min(3, len(r))])
	}
	return string(r[:max(4, len(r)-3)])
}

// mentions reports whether a folded text names a node: by its code, by
// every word of its name but the unit type it opens with, for the
// department by its kind ("Wydziału"), or, when group is set, by a phrase
// naming a group: units ("komórki organizacyjne", "referaty"), the
// deputies ("jego Zastępców").
func mentions(text string, n seed.NodeJSON, isDept, group bool) bool {
	if n.Code != "" && strings.Contains(text, org.Fold(n.Code)) {
		return true
	}
	if strings.Contains(text, org.Fold(n.ID)) && strings.ContainsAny(n.ID, "0123456789") {
		return true
	}
	words := org.Terms(n.Name)
	// The department by its kind, in any case ("Urząd", "Urzędu").
	if isDept && len(words) > 0 && strings.Contains(text, string([]rune(words[0])[:min(3, len([]rune(words[0])))])) {
		return true
	}
	for len(words) > 1 && n.Type != "" && unitTypeWords[words[0]] {
		words = words[1:]
	}
	all := true
	for _, w := range words {
		if !functionWords[w] && utf8.RuneCountInString(w) > 1 && !strings.Contains(text, stem(w)) {
			all = false
		}
	}
	if all {
		return true
	}
	switch {
	case !group:
		return false
	case n.Type != "" && strings.Contains(text, "komor") && strings.Contains(text, "organizac"):
		return true
	case n.Type == org.UnitSection && strings.Contains(text, "referat"):
		return true
	}
	return len(words) > 0 && words[0] == "zastepca" && (strings.Contains(text, "zastepcow") || strings.Contains(text, "zastepcami") || strings.Contains(text, "zastepcom"))
}

// TestEveryStatedRelationCitesAProvisionThatSaysIt checks, for every
// STATED relation of the seed and of every fixture, that its provision
// exists and that its text, or the list it stands in, names both ends.
func TestEveryStatedRelationCitesAProvisionThatSaysIt(t *testing.T) {
	for name, text := range acts(t) {
		t.Run(name, func(t *testing.T) {
			r, err := ordinance.Parse(name, text)
			if err != nil {
				t.Fatal(err)
			}
			nodes := map[string]seed.NodeJSON{}
			dept := ""
			for _, list := range [][]seed.NodeJSON{r.File.Units, r.File.Positions, r.File.Entities} {
				for _, n := range list {
					nodes[n.ID] = n
					if n.Type == org.UnitDepartment {
						dept = n.ID
					}
				}
			}
			checked := 0
			for _, rel := range r.File.Relations {
				if rel.Basis != string(org.Stated) {
					continue
				}
				s, ok := said(r, rel.Provision)
				if !ok {
					t.Errorf("%s %s → %s cites %s, which the act does not have", rel.Kind, rel.From, rel.To, rel.Provision)
					continue
				}
				for _, end := range []string{rel.From, rel.To} {
					// Membership and headship name the node itself.
					group := rel.Kind != string(org.PartOf) && rel.Kind != string(org.Heads)
					if !mentions(s, nodes[end], end == dept, group) {
						t.Errorf("%s %s → %s cites %s, which does not name %s (%q): %q", rel.Kind, rel.From, rel.To, rel.Provision, end, nodes[end].Name, s)
					}
				}
				checked++
			}
			if checked == 0 {
				t.Error("no STATED relation checked")
			}
		})
	}
}
