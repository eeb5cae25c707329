package ordinance_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/seed"
)

// Three successive acts of the Wydział Geodezji, in order: 880/2019 and
// 1102/2023 are written for these tests in the style of 1502/2025, which is
// the existing fixture, read where it is. What each step changes is
// testdata/history/CHANGES.md, written from the texts.
const (
	gd2019 = "history/zarzadzenie-880-2019-gd.txt"
	gd2023 = "history/zarzadzenie-1102-2023-gd.txt"
	gd2025 = gd // zarzadzenie-1502-2025-gd.txt
)

const (
	gdDir    = "dyrektor-wydzialu-gd"
	gdZasob  = "zastepca-dyrektora-ds-zasobu-gd"
	gdEwid   = "zastepca-dyrektora-ds-ewidencji-gd"
	gdKier02 = "kierownik-referatu-gd-02"
)

func TestGDsSuccessiveActsAreReadFromTheirTexts(t *testing.T) {
	const basis = "art. 33 ust. 3 ustawy z dnia 8 marca 1990 r. o samorządzie gminnym "
	const about = " w sprawie podziału na wewnętrzne komórki organizacyjne oraz szczegółowego zakresu działania Wydziału Geodezji"
	for _, tc := range []struct {
		file      string
		doc       seed.DocumentJSON
		units     map[string]string // code|name|type|parent
		positions []string
		reports   map[string]string // from > to → provision
		warnings  [][]string        // where, then words of the message: all of them
	}{
		{gd2019, seed.DocumentJSON{
			ID:         "880/2019",
			Title:      "Zarządzenie nr 880/2019 Prezydenta Miasta Krakowa z dnia 28 marca 2019 r." + about,
			Issuer:     "Prezydent Miasta Krakowa",
			Date:       "2019-03-28",
			Effective:  "2019-04-01",
			LegalBasis: basis + "(Dz. U. z 2019 r. poz. 506)",
			Signatory:  "Jacek Majchrowski",
			Repeals:    []string{"412/2015"},
			File:       "zarzadzenie-880-2019-gd.txt",
		}, map[string]string{
			"GD":    "GD|Wydział Geodezji|DEPARTMENT|",
			"GD-01": "GD-01|Referat Ewidencji Gruntów|SECTION|GD",
			"GD-02": "GD-02|Referat Państwowego Zasobu Geodezyjnego|SECTION|GD",
			"GD-03": "GD-03|Referat Koordynacji Usytuowania Sieci Uzbrojenia Terenu|SECTION|GD",
			"GD-04": "GD-04|Samodzielne stanowisko ds. Kontroli Prac Geodezyjnych|STANDALONE_POST|GD",
			"GD-05": "GD-05|Stanowiska Obsługi Klienta|STANDALONE_POST|GD",
			"GD-06": "GD-06|Referat Ewidencji Budynków i Lokali|SECTION|GD",
		}, []string{"prezydent", gdDir, gdZasob, gdEwid}, map[string]string{
			gdZasob + " > " + gdDir: "§ 3 ust. 1 pkt 1",
			gdEwid + " > " + gdDir:  "§ 3 ust. 1 pkt 2",
			"GD-04 > " + gdDir:      "§ 3 ust. 1 pkt 3",
			"GD-05 > " + gdDir:      "§ 3 ust. 1 pkt 4",
			"GD-02 > " + gdZasob:    "§ 3 ust. 2 pkt 1",
			"GD-03 > " + gdZasob:    "§ 3 ust. 2 pkt 2",
			"GD-01 > " + gdEwid:     "§ 3 ust. 3 pkt 1",
			"GD-06 > " + gdEwid:     "§ 3 ust. 3 pkt 2",
		}, [][]string{{"§ 4–§ 10", "Line breaks"}}},
		{gd2023, seed.DocumentJSON{
			ID:         "1102/2023",
			Title:      "Zarządzenie nr 1102/2023 Prezydenta Miasta Krakowa z dnia 20 kwietnia 2023 r." + about,
			Issuer:     "Prezydent Miasta Krakowa",
			Date:       "2023-04-20",
			Effective:  "2023-05-01",
			LegalBasis: basis + "(Dz. U. z 2023 r. poz. 40, 572)",
			Signatory:  "Jacek Majchrowski",
			Repeals:    []string{"880/2019"},
			File:       "zarzadzenie-1102-2023-gd.txt",
		}, map[string]string{
			"GD":      "GD|Wydział Geodezji|DEPARTMENT|",
			"GD-01":   "GD-01|Referat Ewidencji Gruntów i Budynków|SECTION|GD",
			"GD-02":   "GD-02|Referat Państwowego Zasobu Geodezyjnego|SECTION|GD",
			"GD-02-1": "GD-02-1|Zespół Udostępniania Materiałów Zasobu|TEAM|GD-02",
			"GD-03":   "GD-03|Referat Uzgadniania Dokumentacji Projektowej|SECTION|GD",
			"GD-04":   "GD-04|Samodzielne stanowisko ds. Kontroli Prac Geodezyjnych|STANDALONE_POST|GD",
			"GD-05":   "GD-05|Stanowiska Obsługi Klienta|STANDALONE_POST|GD",
		}, []string{"prezydent", gdDir, gdZasob, gdKier02}, map[string]string{
			gdZasob + " > " + gdDir: "§ 3 ust. 1 pkt 1",
			"GD-01 > " + gdDir:      "§ 3 ust. 1 pkt 2",
			"GD-04 > " + gdDir:      "§ 3 ust. 1 pkt 3",
			"GD-05 > " + gdDir:      "§ 3 ust. 1 pkt 4",
			"GD-02 > " + gdZasob:    "§ 3 ust. 2 pkt 1",
			"GD-03 > " + gdZasob:    "§ 3 ust. 2 pkt 2",
			"GD-02-1 > " + gdKier02: "§ 3 ust. 3",
		}, [][]string{{"§ 4–§ 10", "Line breaks"}}},
		{gd2025, seed.DocumentJSON{
			ID:         "1502/2025",
			Title:      "Zarządzenie nr 1502/2025 Prezydenta Miasta Krakowa z dnia 2025-06-30" + about,
			Issuer:     "Prezydent Miasta Krakowa",
			Date:       "2025-06-30",
			Effective:  "2025-07-01",
			LegalBasis: basis + "(Dz. U. z 2024 r. poz. 1465, 1572)",
			Signatory:  "Aleksander Miszalski",
			Repeals:    []string{"1102/2023"},
			File:       "zarzadzenie-1502-2025-gd.txt",
		}, map[string]string{
			"GD":      "GD|Wydział Geodezji|DEPARTMENT|",
			"GD-01":   "GD-01|Referat Ewidencji Gruntów i Budynków|SECTION|GD",
			"GD-02":   "GD-02|Referat Państwowego Zasobu Geodezyjnego|SECTION|GD",
			"GD-03":   "GD-03|Referat Uzgadniania Dokumentacji Projektowej|SECTION|GD",
			"GD-04":   "GD-04|Główny Specjalista ds. Kontroli|STANDALONE_POST|GD",
			"GD-05":   "GD-05|Stanowiska Obsługi Klienta|STANDALONE_POST|GD",
			"GD-05-1": "GD-05-1|Stanowisko ds. Informacji o Terenie|STANDALONE_POST|GD-05",
		}, []string{"prezydent", gdDir, gdZasob}, map[string]string{
			gdZasob + " > " + gdDir: "§ 3 ust. 1 pkt 1",
			"GD-01 > " + gdDir:      "§ 3 ust. 1 pkt 2",
			"GD-04 > " + gdDir:      "§ 3 ust. 1 pkt 3",
			"GD-02 > " + gdZasob:    "§ 3 ust. 2 pkt 1",
			"GD-03 > " + gdZasob:    "§ 3 ust. 2 pkt 2",
			"GD-05 > " + gdZasob:    "§ 3 ust. 2 pkt 3",
		}, [][]string{{"§ 2 pkt 3", "Code normalised", "non-breaking hyphen", "GD-03"}}},
	} {
		t.Run(tc.doc.ID, func(t *testing.T) {
			f := parse(t, tc.file).File
			check(t, f.Document, tc.doc)
			check(t, unitsOf(f), tc.units)
			var positions []string
			for _, p := range f.Positions {
				positions = append(positions, p.ID)
			}
			check(t, positions, tc.positions)
			check(t, linesOf(f, org.ReportsTo), tc.reports)
			// The warnings are exactly those listed: a repealed act that
			// is not among the texts is no warning (the act reports it in
			// Document.Repeals).
			for _, w := range tc.warnings {
				if !warned(f, w[0], w[1:]...) {
					t.Errorf("no warning at %s saying %q in %v", w[0], w[1:], f.Repairs)
				}
			}
			if len(f.Repairs) != len(tc.warnings) {
				t.Errorf("got %d warnings, want %d: %v", len(f.Repairs), len(tc.warnings), f.Repairs)
			}
		})
	}
}

// act is what the diff compares of one parsed act.
type act struct {
	id        string
	units     map[string]string // id → name
	positions map[string]string // id → name
	reportsTo map[string]string // from → to
	rels      map[string]map[string]bool
	duties    map[string]string // unit|text → provision
	dutyAt    map[string]string // provision → text
}

func actOf(t *testing.T, file string) act {
	t.Helper()
	f := parse(t, file).File
	a := act{id: f.Document.ID, units: map[string]string{}, positions: map[string]string{}, reportsTo: map[string]string{},
		rels: map[string]map[string]bool{}, duties: map[string]string{}, dutyAt: map[string]string{}}
	for _, u := range f.Units {
		a.units[u.ID] = u.Name
	}
	for _, p := range f.Positions {
		a.positions[p.ID] = p.Name
	}
	for _, r := range f.Relations {
		if a.rels[r.Kind] == nil {
			a.rels[r.Kind] = map[string]bool{}
		}
		a.rels[r.Kind][r.From+" > "+r.To] = true
		if r.Kind == string(org.ReportsTo) {
			if to, dup := a.reportsTo[r.From]; dup && to != r.To {
				t.Fatalf("%s: %s reports to both %s and %s", a.id, r.From, to, r.To)
			}
			a.reportsTo[r.From] = r.To
		}
	}
	for _, d := range f.Duties {
		a.duties[d.Unit+"|"+d.Text] = d.Provision
		a.dutyAt[d.Provision] = d.Text
	}
	return a
}

// diff is the changes from a to b, each as the line CHANGES.md gives it:
// the keyword and the ids in backquotes, joined by spaces.
func diff(a, b act) []string {
	var out []string
	nodes := func(kind string, old, new map[string]string) {
		for id, name := range old {
			if n, ok := new[id]; !ok {
				out = append(out, kind+" removed "+id)
			} else if n != name {
				out = append(out, kind+" renamed "+id)
			}
		}
		for id := range new {
			if _, ok := old[id]; !ok {
				out = append(out, kind+" added "+id)
			}
		}
	}
	nodes("unit", a.units, b.units)
	nodes("position", a.positions, b.positions)
	for from, to := range a.reportsTo {
		if nto, ok := b.reportsTo[from]; ok && nto != to {
			kind := "unit"
			if _, pos := a.positions[from]; pos {
				kind = "position"
			}
			out = append(out, kind+" moved "+from+" "+to+" "+nto)
		}
	}
	pairs := func(kind org.RelationKind, name, removed, added string) {
		for p := range a.rels[string(kind)] {
			if !b.rels[string(kind)][p] {
				out = append(out, name+" "+removed+" "+strings.Replace(p, " > ", " ", 1))
			}
		}
		for p := range b.rels[string(kind)] {
			if !a.rels[string(kind)][p] {
				out = append(out, name+" "+added+" "+strings.Replace(p, " > ", " ", 1))
			}
		}
	}
	pairs(org.ReportsTo, "reports-to", "removed", "added")
	pairs(org.PartOf, "part-of", "removed", "added")
	pairs(org.Heads, "heads", "removed", "added")
	pairs(org.CooperatesWith, "cooperation", "lost", "gained")
	pairs(org.MayTask, "tasking", "lost", "gained")
	slices.Sort(out)
	return out
}

// A step of CHANGES.md: its heading "## 880/2019 → 1102/2023" and its
// lines that start with a keyword.
type step struct {
	from, to string
	lines    []string
}

var (
	stepHeading = regexp.MustCompile(`^## (\d+/\d{4}) → (\d+/\d{4})$`)
	itemLine    = regexp.MustCompile(`^- (unit|position|reports-to|part-of|heads|cooperation|tasking|duty) (added|removed|renamed|moved|gained|lost|reworded|merged): (.*)$`)
	backquoted  = regexp.MustCompile("`([^`]+)`")
	quotedAt    = regexp.MustCompile(`„([^”]*)” \[(\d+/\d{4}) (§[^\]]*)\]`)
	reference   = regexp.MustCompile(`\[(\d+/\d{4}) (§[^\]]*)\]`)
	quoted      = regexp.MustCompile(`„([^”]*)”`)
)

func changes(t *testing.T) []step {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "history", "CHANGES.md"))
	if err != nil {
		t.Fatal(err)
	}
	var steps []step
	for _, line := range strings.Split(string(b), "\n") {
		if m := stepHeading.FindStringSubmatch(line); m != nil {
			steps = append(steps, step{from: m[1], to: m[2]})
			continue
		}
		if strings.HasPrefix(line, "## ") {
			t.Fatalf("CHANGES.md: a heading that is not a step: %q", line)
		}
		if itemLine.MatchString(line) {
			if len(steps) == 0 {
				t.Fatalf("CHANGES.md: an item before the first step: %q", line)
			}
			steps[len(steps)-1].lines = append(steps[len(steps)-1].lines, line)
		}
	}
	return steps
}

// TestCHANGESIsTheDiffOfTheActs checks every structural, cooperation and
// tasking item of CHANGES.md against set differences of the parsed acts,
// and every duty item against the duties whose unit and text the other
// act does not have; the names and texts it quotes against the acts.
func TestCHANGESIsTheDiffOfTheActs(t *testing.T) {
	acts := map[string]act{}
	for _, file := range []string{gd2019, gd2023, gd2025} {
		a := actOf(t, file)
		acts[a.id] = a
	}
	steps := changes(t)
	var names []string
	for _, s := range steps {
		names = append(names, s.from+" → "+s.to)
	}
	check(t, names, []string{"880/2019 → 1102/2023", "1102/2023 → 1502/2025"})
	for _, s := range steps {
		t.Run(s.from+" to "+s.to, func(t *testing.T) {
			a, b := acts[s.from], acts[s.to]
			var written []string
			// Duties: the provisions of a that lose their unit and text in
			// b, and of b that a does not have.
			refs := map[string]map[string]bool{s.from: {}, s.to: {}}
			for _, line := range s.lines {
				m := itemLine.FindStringSubmatch(line)
				kind, change, rest := m[1], m[2], m[3]
				ids := backquoted.FindAllStringSubmatch(rest, -1)
				if kind == "duty" {
					for _, r := range reference.FindAllStringSubmatch(rest, -1) {
						if refs[r[1]] == nil {
							t.Errorf("%q names act %s, not of this step", line, r[1])
							continue
						}
						refs[r[1]][r[2]] = true
					}
					for _, q := range quotedAt.FindAllStringSubmatch(rest, -1) {
						if got := acts[q[2]].dutyAt[q[3]]; got != q[1] {
							t.Errorf("%s %s reads %q, CHANGES.md quotes %q", q[2], q[3], got, q[1])
						}
					}
					continue
				}
				need := 1
				switch {
				case change == "moved":
					need = 3
				case kind != "unit" && kind != "position":
					need = 2
				}
				if len(ids) < need {
					t.Errorf("%q: want %d ids in backquotes", line, need)
					continue
				}
				item := []string{kind, change}
				for _, id := range ids[:need] {
					item = append(item, id[1])
				}
				written = append(written, strings.Join(item, " "))
				// The names a unit or position line quotes are the acts'.
				if (kind == "unit" || kind == "position") && change != "moved" {
					id := ids[0][1]
					nameIn := func(x act) string {
						if n, ok := x.units[id]; ok {
							return n
						}
						return x.positions[id]
					}
					var want []string
					switch change {
					case "added":
						want = []string{nameIn(b)}
					case "removed":
						want = []string{nameIn(a)}
					case "renamed":
						want = []string{nameIn(a), nameIn(b)}
					}
					var got []string
					for _, q := range quoted.FindAllStringSubmatch(rest, len(want)) {
						got = append(got, q[1])
					}
					if !slices.Equal(got, want) {
						t.Errorf("%q quotes %q, the acts name it %q", line, got, want)
					}
				}
			}
			slices.Sort(written)
			check(t, written, diff(a, b))

			lost, gained := map[string]bool{}, map[string]bool{}
			for key, prov := range a.duties {
				if _, kept := b.duties[key]; !kept {
					lost[prov] = true
				}
			}
			for key, prov := range b.duties {
				if _, had := a.duties[key]; !had {
					gained[prov] = true
				}
			}
			check(t, refs[s.from], lost)
			check(t, refs[s.to], gained)
		})
	}
}
