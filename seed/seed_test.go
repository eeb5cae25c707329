package seed_test

import (
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/seed"
)

const doc = "3468/2024"

// load returns the shipped graph; seed.Graph also runs org.Validate.
func load(t *testing.T) *org.Graph {
	t.Helper()
	g, err := seed.Graph()
	if err != nil {
		t.Fatalf("seed.Graph: %v", err)
	}
	return g
}

// paragraph returns "§ 7" for "§ 7 pkt 2 lit. b".
func paragraph(provision string) string {
	f := strings.Fields(provision)
	if len(f) < 2 {
		return provision
	}
	return f[0] + " " + f[1]
}

func nodeByID(g *org.Graph) map[string]org.Node {
	m := map[string]org.Node{}
	for _, n := range g.Nodes {
		m[n.ID] = n
	}
	return m
}

func relations(g *org.Graph, kind org.RelationKind) []org.Relation {
	var out []org.Relation
	for _, r := range g.Relations {
		if r.Kind == kind && r.Source.Document == doc {
			out = append(out, r)
		}
	}
	return out
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func TestEachParagraphListsItsNumberedItems(t *testing.T) {
	g := load(t)
	items := map[string]int{}
	total := 0
	for _, d := range g.Duties {
		if d.Level == org.LevelItem {
			items[paragraph(d.Source.Provision)]++
			total++
		}
	}
	for _, tc := range []struct {
		name, paragraph string
		want            int
	}{
		{"§ 4 gives KS-01 19 items", "§ 4", 19},
		{"§ 5 gives KS-02 18 items", "§ 5", 18},
		{"§ 6 gives KS-03 17 items", "§ 6", 17},
		{"§ 7 gives KS-04 16 items", "§ 7", 16},
		{"§ 8 gives KS-05 7 items", "§ 8", 7},
		{"§ 9 gives KS-06 8 items", "§ 9", 8},
		{"§ 10 gives KS-07 15 items, the last one unnumbered in the text", "§ 10", 15},
		{"§ 11 gives all units 24 common items", "§ 11", 24},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := items[tc.paragraph]; got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("the ordinance has 124 numbered items in all", func(t *testing.T) {
		if total != 124 {
			t.Errorf("got %v, want %v", total, 124)
		}
	})
	t.Run("each paragraph numbers its items 1 to n in order", func(t *testing.T) {
		next := map[string]int{}
		for _, d := range g.Duties {
			if d.Level != org.LevelItem {
				continue
			}
			p := paragraph(d.Source.Provision)
			next[p]++
			if want := p + " pkt " + strconv.Itoa(next[p]); d.Source.Provision != want {
				t.Errorf("got %v, want %v", d.Source.Provision, want)
			}
		}
	})
}

func TestLettersAndDashesSitUnderTheirItems(t *testing.T) {
	g := load(t)
	children := map[string][]string{}
	letters, dashes := 0, 0
	for _, d := range g.Duties {
		switch d.Level {
		case org.LevelLetter:
			letters++
		case org.LevelDash:
			dashes++
		default:
			continue
		}
		parent := strings.TrimPrefix(d.Parent, doc+" ")
		children[parent] = append(children[parent], d.Number)
	}
	t.Run("the ordinance has 11 letters", func(t *testing.T) {
		if letters != 11 {
			t.Errorf("got %v, want %v", letters, 11)
		}
	})
	t.Run("the ordinance has 2 dashes", func(t *testing.T) {
		if dashes != 2 {
			t.Errorf("got %v, want %v", dashes, 2)
		}
	})
	for _, tc := range []struct {
		name, parent string
		want         []string
	}{
		{"§ 7 pkt 2 has letters a and b", "§ 7 pkt 2", []string{"a", "b"}},
		{"§ 7 pkt 2 lit. b has two dashes", "§ 7 pkt 2 lit. b", []string{"1", "2"}},
		{"§ 7 pkt 5 has letters a, b and c", "§ 7 pkt 5", []string{"a", "b", "c"}},
		{"§ 8 pkt 3 has letters a, b and c", "§ 8 pkt 3", []string{"a", "b", "c"}},
		{"§ 11 pkt 6 has letters a, b and c", "§ 11 pkt 6", []string{"a", "b", "c"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := children[tc.parent]; !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("no other item has letters or dashes", func(t *testing.T) {
		if got := len(children); got != 5 {
			t.Errorf("got %v, want %v", got, 5)
		}
	})
}

func TestEachUnitHoldsItsDuties(t *testing.T) {
	g := load(t)
	count := map[string]int{}
	common := map[string]int{}
	for _, d := range g.Duties {
		count[d.Unit]++
		if d.Common {
			common[d.Unit]++
		}
	}
	for _, tc := range []struct {
		name, unit string
		want       int
	}{
		{"KS-01 holds 19 duties", "KS-01", 19},
		{"KS-02 holds 18 duties", "KS-02", 18},
		{"KS-03 holds 17 duties", "KS-03", 17},
		{"KS-04 holds 23 duties: 16 items, 5 letters and 2 dashes", "KS-04", 23},
		{"KS-05 holds 10 duties: 7 items and 3 letters", "KS-05", 10},
		{"KS-06 holds 8 duties", "KS-06", 8},
		{"KS-07 holds 15 duties", "KS-07", 15},
		{"the Department holds 27 common duties: 24 items and 3 letters", "KS", 27},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := count[tc.unit]; got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("only the Department's duties are common", func(t *testing.T) {
		want := map[string]int{"KS": 27}
		if !reflect.DeepEqual(common, want) {
			t.Errorf("got %v, want %v", common, want)
		}
	})
}

func TestTheUnitsAreThoseOfParagraph2(t *testing.T) {
	g := load(t)
	nodes := nodeByID(g)
	for _, tc := range []struct {
		name                     string
		id, code, unitName, kind string
	}{
		{"the Department has no code", "KS", "", "Wydział Komunikacji Społecznej", org.UnitDepartment},
		{"KS-01 is the organisational section", "KS-01", "KS-01", "Referat ds. Organizacyjnych", org.UnitSection},
		{"KS-02 is the press office", "KS-02", "KS-02", "Biuro Prasowe", org.UnitOffice},
		{"KS-03 is the city media section", "KS-03", "KS-03", "Referat Mediów Miejskich", org.UnitSection},
		{"KS-04 is the Kraków brand section", "KS-04", "KS-04", "Referat Zarządzania Marką Kraków", org.UnitSection},
		{"KS-05 is the campaigns section", "KS-05", "KS-05", "Referat Kampanii Informacyjno-Promocyjnych Miasta", org.UnitSection},
		{"KS-06 is the spokesperson's standalone post, typo repaired", "KS-06", "KS-06", "Samodzielne stanowisko Rzecznika Prezydenta Miasta Krakowa", org.UnitStandalonePost},
		{"KS-07 is the publications section", "KS-07", "KS-07", "Referat ds. Wydawnictw i Publikacji", org.UnitSection},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := nodes[tc.id]
			got := []string{string(n.Kind), n.Code, n.Name, n.Type, string(n.Source.Basis)}
			want := []string{string(org.KindUnit), tc.code, tc.unitName, tc.kind, string(org.Stated)}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
	t.Run("the only other unit is the inferred Departament", func(t *testing.T) {
		var others []string
		for _, n := range g.Nodes {
			if n.Kind == org.KindUnit && n.ID != "KS" && !strings.HasPrefix(n.ID, "KS-0") {
				others = append(others, n.ID+" "+string(n.Source.Basis))
			}
		}
		if want := []string{"departament INFERRED"}; !reflect.DeepEqual(others, want) {
			t.Errorf("got %v, want %v", others, want)
		}
	})
	t.Run("every internal unit is part of the Department by § 2", func(t *testing.T) {
		var got []string
		for _, r := range relations(g, org.PartOf) {
			if r.To == "KS" && nodes[r.From].Kind == org.KindUnit {
				got = append(got, r.From+" "+r.Source.Provision)
			}
		}
		want := []string{"KS-01 § 2 pkt 1", "KS-02 § 2 pkt 2", "KS-03 § 2 pkt 3", "KS-04 § 2 pkt 4",
			"KS-05 § 2 pkt 5", "KS-06 § 2 pkt 6", "KS-07 § 2 pkt 7"}
		if !reflect.DeepEqual(sorted(got), want) {
			t.Errorf("got %v, want %v", sorted(got), want)
		}
	})
}

func TestThePositions(t *testing.T) {
	g := load(t)
	got := map[string]string{}
	for _, n := range g.Nodes {
		if n.Kind == org.KindPosition {
			got[n.ID] = n.Name + " " + string(n.Source.Basis)
		}
	}
	want := map[string]string{
		"prezydent":                              "Prezydent Miasta Krakowa STATED",
		"zastepca-prezydenta":                    "Zastępca Prezydenta Miasta Krakowa STATED",
		"dyrektor-departamentu":                  "Dyrektor Departamentu INFERRED",
		"dyrektor-wydzialu":                      "Dyrektor Wydziału STATED",
		"zastepca-dyrektora-ds-mediow-miejskich": "Zastępca Dyrektora ds. Mediów Miejskich STATED",
		"zastepca-dyrektora-ds-promocji":         "Zastępca Dyrektora ds. Promocji STATED",
		"rzecznik-prezydenta":                    "Rzecznik Prezydenta Miasta Krakowa STATED",
	}
	t.Run("there are seven positions with their names", func(t *testing.T) {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
}

func TestReportingLinesAreThoseOfParagraph3(t *testing.T) {
	g := load(t)
	got := map[string]string{}
	for _, r := range relations(g, org.ReportsTo) {
		got[r.From+" > "+r.To] = r.Source.Provision + " " + string(r.Source.Basis)
	}
	want := map[string]string{
		"zastepca-dyrektora-ds-mediow-miejskich > dyrektor-wydzialu": "§ 3 ust. 1 pkt 1 STATED",
		"zastepca-dyrektora-ds-promocji > dyrektor-wydzialu":         "§ 3 ust. 1 pkt 2 STATED",
		"KS-01 > dyrektor-wydzialu":                                  "§ 3 ust. 1 pkt 3 STATED",
		"KS-02 > dyrektor-wydzialu":                                  "§ 3 ust. 1 pkt 4 STATED",
		"KS-03 > zastepca-dyrektora-ds-mediow-miejskich":             "§ 3 ust. 2 pkt 1 STATED",
		"KS-07 > zastepca-dyrektora-ds-mediow-miejskich":             "§ 3 ust. 2 pkt 2 STATED",
		"KS-04 > zastepca-dyrektora-ds-promocji":                     "§ 3 ust. 3 pkt 1 STATED",
		"KS-05 > zastepca-dyrektora-ds-promocji":                     "§ 3 ust. 3 pkt 2 STATED",
		"KS-06 > prezydent":                                          "§ 3 ust. 4 STATED",
		"dyrektor-wydzialu > dyrektor-departamentu":                  "§ 4 pkt 2 INFERRED",
		"dyrektor-departamentu > zastepca-prezydenta":                "§ 11 pkt 24 INFERRED",
		"zastepca-prezydenta > prezydent":                            "§ 11 pkt 24 INFERRED",
	}
	t.Run("the reporting lines are exactly § 3 plus the inferred chain above the Director", func(t *testing.T) {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("every line is stated once", func(t *testing.T) {
		if n := len(relations(g, org.ReportsTo)); n != len(want) {
			t.Errorf("got %v, want %v", n, len(want))
		}
	})
}

func TestWhoMayTaskEachUnit(t *testing.T) {
	g := load(t)
	tasking := map[string][]string{} // "KS-01 § 4 pkt 19" → positions
	for _, r := range relations(g, org.MayTask) {
		k := r.To + " " + r.Source.Provision
		tasking[k] = append(tasking[k], r.From)
	}
	const (
		p  = "prezydent"
		zp = "zastepca-prezydenta"
		d  = "dyrektor-wydzialu"
		dm = "zastepca-dyrektora-ds-mediow-miejskich"
		dp = "zastepca-dyrektora-ds-promocji"
	)
	for _, tc := range []struct {
		name, unit, provision string
		want                  []string
	}{
		{"the President and the Director may task KS-01", "KS-01", "§ 4 pkt 19", []string{p, d}},
		{"the President, the Director and the Deputy for City Media may task KS-02", "KS-02", "§ 5 pkt 18", []string{p, d, dm}},
		{"the President, the Director and the Deputy for City Media may task KS-03", "KS-03", "§ 6 pkt 17", []string{p, d, dm}},
		{"the President, the Director and the Deputy for Promotion may task KS-04", "KS-04", "§ 7 pkt 16", []string{p, d, dp}},
		{"the President, the Director and the Deputy for Promotion may task KS-05", "KS-05", "§ 8 pkt 7", []string{p, d, dp}},
		{"only the President may task KS-06", "KS-06", "§ 9 pkt 8", []string{p}},
		{"the President and the Director may task KS-07", "KS-07", "§ 10 pkt 15", []string{p, d}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := sorted(tasking[tc.unit+" "+tc.provision]); !reflect.DeepEqual(got, sorted(tc.want)) {
				t.Errorf("got %v, want %v", got, sorted(tc.want))
			}
		})
	}
	for _, unit := range []string{"KS-01", "KS-02", "KS-03", "KS-04", "KS-05", "KS-06", "KS-07"} {
		t.Run("§ 11 pkt 24 lets five positions task "+unit, func(t *testing.T) {
			want := sorted([]string{p, zp, d, dm, dp})
			if got := sorted(tasking[unit+" § 11 pkt 24"]); !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
	t.Run("no other item grants tasking", func(t *testing.T) {
		if got := len(tasking); got != 14 {
			t.Errorf("got %v, want %v", got, 14)
		}
	})
}

func TestCooperationWithTheSpokesperson(t *testing.T) {
	g := load(t)
	var towards, from []string
	for _, r := range relations(g, org.CooperatesWith) {
		if r.To == "KS-06" && r.Strength == org.Close {
			towards = append(towards, r.From+" "+r.Source.Provision)
		}
		if r.From == "KS-06" && r.Source.Provision == "§ 9 pkt 7" && strings.HasPrefix(r.To, "KS-0") {
			from = append(from, r.To)
		}
	}
	for _, tc := range []struct {
		name      string
		got, want []string
	}{
		{"KS-02, KS-03, KS-04, KS-05 and KS-07 declare close cooperation with KS-06", towards,
			[]string{"KS-02 § 5 pkt 9", "KS-03 § 6 pkt 16", "KS-04 § 7 pkt 15", "KS-05 § 8 pkt 6", "KS-07 § 10 pkt 14"}},
		{"KS-06 declares close cooperation with the six other units in § 9 pkt 7", from,
			[]string{"KS-01", "KS-02", "KS-03", "KS-04", "KS-05", "KS-07"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := sorted(tc.got); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("every cooperation carries its phrase", func(t *testing.T) {
		for _, r := range relations(g, org.CooperatesWith) {
			if !strings.Contains(r.Phrase, "współprac") {
				t.Errorf("%s: got %v, want a phrase with «współprac»", r.ID, r.Phrase)
			}
		}
	})
}

func TestEveryDutyTextIsClean(t *testing.T) {
	g := load(t)
	for _, d := range g.Duties {
		t.Run(d.Source.Provision+" reads as one clean line", func(t *testing.T) {
			for _, tc := range []struct {
				what string
				bad  bool
			}{
				{"is empty", strings.TrimSpace(d.Text) == ""},
				{"has a double space", strings.Contains(d.Text, "  ")},
				{"has a line break", strings.ContainsAny(d.Text, "\r\n\t")},
				{"has the URL scar", strings.Contains(d.Text, "http://")},
				{"has edge spaces", d.Text != strings.TrimSpace(d.Text)},
			} {
				if tc.bad {
					t.Errorf("got %v, want a text that never %s", d.Text, tc.what)
				}
			}
		})
	}
}

func TestRelationsStatedInDutiesLinkToThem(t *testing.T) {
	g := load(t)
	for _, r := range g.Relations {
		p := paragraph(r.Source.Provision)
		if p == "§ 1" || p == "§ 2" || p == "§ 3" {
			continue
		}
		if want := seed.DutyID(doc, r.Source.Provision); r.Duty != want {
			t.Errorf("%s: got %v, want %v", r.ID, r.Duty, want)
		}
	}
}

func TestTheRepairsAreRecorded(t *testing.T) {
	g := load(t)
	var repairs []org.Repair
	for _, d := range g.Documents {
		if d.ID == doc {
			repairs = d.Repairs
		}
	}
	has := func(where, word string) bool {
		for _, r := range repairs {
			if r.Where == where && strings.Contains(r.Message, word) {
				return true
			}
		}
		return false
	}
	for _, tc := range []struct {
		name, where, word string
	}{
		{"the lost number of § 10 pkt 15 is restored", "§ 10 pkt 15", "15"},
		{"the lost «Wydziału» of § 10 pkt 15 is doubted", "§ 10 pkt 15", "Wydziału"},
		{"the «Samodzielnie» typo of KS-06 is repaired", "§ 2 pkt 6", "Samodzielnie"},
		{"§ 1 ust. 1 inside § 4 is recorded", "§ 1 ust. 1", "§ 4"},
		{"the garbled § 7 pkt 11 is doubted", "§ 7 pkt 11", "garbled"},
		{"the repeated URL in § 7 pkt 3 is dropped", "§ 7 pkt 3", "http://"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := has(tc.where, tc.word); !got {
				t.Errorf("got %v, want %v", got, true)
			}
		})
	}
}
