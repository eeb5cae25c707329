package ordinance_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/ordinance"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/seed"
)

// The fixtures are ordinances written for these tests in the style of
// 3468/2024: PO nests teams under a section, is supervised on the merits
// by the City Treasurer and has one deputy; SP has no deputy and no
// numbered sections; EP is a broken extraction.
const (
	po = "zarzadzenie-412-2025-po.txt"
	sp = "zarzadzenie-1207-2025-sp.txt"
	ep = "zarzadzenie-2044-2025-ep.txt"
)

func parse(t *testing.T, name string) *ordinance.Result {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	r, err := ordinance.Parse(name, string(text))
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	if _, err := r.Graph(); err != nil {
		t.Fatalf("Graph(%s): %v", name, err)
	}
	return r
}

// unitsOf describes each unit as "code|name|type|parent".
func unitsOf(f seed.File) map[string]string {
	parent := map[string]string{}
	for _, r := range f.Relations {
		if r.Kind == string(org.PartOf) {
			parent[r.From] = r.To
		}
	}
	out := map[string]string{}
	for _, u := range f.Units {
		out[u.ID] = strings.Join([]string{u.Code, u.Name, u.Type, parent[u.ID]}, "|")
	}
	return out
}

// linesOf describes each relation of a kind as "from > to" → provision.
func linesOf(f seed.File, kind org.RelationKind) map[string]string {
	out := map[string]string{}
	for _, r := range f.Relations {
		if r.Kind == string(kind) {
			out[r.From+" > "+r.To] = r.Provision
		}
	}
	return out
}

func dutyCounts(f seed.File) map[string]int {
	out := map[string]int{}
	for _, d := range f.Duties {
		out[d.Unit]++
	}
	return out
}

func dutyText(f seed.File, provision string) string {
	for _, d := range f.Duties {
		if d.Provision == provision {
			return d.Text
		}
	}
	return ""
}

func taskers(f seed.File, unit, provision string) []string {
	var out []string
	for _, r := range f.Relations {
		if r.Kind == string(org.MayTask) && r.To == unit && r.Provision == provision {
			out = append(out, r.From)
		}
	}
	slices.Sort(out)
	return out
}

// warned reports whether a warning at where says every one of words.
func warned(f seed.File, where string, words ...string) bool {
	for _, w := range f.Repairs {
		if w.Where != where {
			continue
		}
		all := true
		for _, word := range words {
			all = all && strings.Contains(w.Message, word)
		}
		if all {
			return true
		}
	}
	return false
}

func check(t *testing.T, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestTheActIsReadFromItsHeadingAndClosingParagraphs(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string
		want seed.DocumentJSON
	}{
		{"PO takes effect on a stated date and repeals one act", po, seed.DocumentJSON{
			ID:         "412/2025",
			Title:      "Zarządzenie nr 412/2025 Prezydenta Miasta Krakowa z dnia 17 lutego 2025 r. w sprawie podziału na wewnętrzne komórki organizacyjne oraz szczegółowego zakresu działania Wydziału Podatków i Opłat",
			Issuer:     "Prezydent Miasta Krakowa",
			Date:       "2025-02-17",
			Effective:  "2025-03-01",
			LegalBasis: "art. 33 ust. 3 ustawy z dnia 8 marca 1990 r. o samorządzie gminnym (Dz. U. z 2024 r. poz. 1465, 1572)",
			Signatory:  "Aleksander Miszalski",
			Repeals:    []string{"2875/2023"},
			File:       po,
		}},
		{"SP takes effect when signed and repeals two acts", sp, seed.DocumentJSON{
			ID:         "1207/2025",
			Title:      "Zarządzenie nr 1207/2025 Prezydenta Miasta Krakowa z dnia 12 maja 2025 r. w sprawie podziału na wewnętrzne komórki organizacyjne oraz szczegółowego zakresu działania Wydziału Sportu",
			Issuer:     "Prezydent Miasta Krakowa",
			Date:       "2025-05-12",
			Effective:  "2025-05-12",
			LegalBasis: "art. 33 ust. 3 ustawy z dnia 8 marca 1990 r. o samorządzie gminnym (Dz. U. z 2024 r. poz. 1465, 1572)",
			Signatory:  "Aleksander Miszalski",
			Repeals:    []string{"1502/2022", "330/2024"},
			File:       sp,
		}},
		{"the truncated EP has no date of effect and no signatory", ep, seed.DocumentJSON{
			ID:         "2044/2025",
			Title:      "Zarządzenie nr 2044/2025 Prezydenta Miasta Krakowa z dnia 3 lipca 2025 r. w sprawie podziału na wewnętrzne komórki organizacyjne oraz szczegółowego zakresu działania Wydziału Ewidencji Pojazdów i Kierowców",
			Issuer:     "Prezydent Miasta Krakowa",
			Date:       "2025-07-03",
			LegalBasis: "art. 33 ust. 3 ustawy z dnia 8 marca 1990 r. o samorządzie gminnym (Dz. U. z 2024 r. poz. 1465, 1572)",
			Repeals:    []string{},
			File:       ep,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, parse(t, tc.file).File.Document, tc.want) })
	}
}

func TestTheUnitsAreThoseOfTheListWithTheirParents(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string
		want map[string]string
	}{
		{"PO nests two teams under PO-01 by their codes, and gives its symbol", po, map[string]string{
			"PO":      "PO|Wydział Podatków i Opłat|DEPARTMENT|",
			"PO-01":   "PO-01|Referat Podatku od Nieruchomości|SECTION|PO",
			"PO-01-1": "PO-01-1|Zespół Wymiaru Podatku od Osób Fizycznych|TEAM|PO-01",
			"PO-01-2": "PO-01-2|Zespół Wymiaru Podatku od Osób Prawnych|TEAM|PO-01",
			"PO-02":   "PO-02|Referat Opłat Lokalnych|SECTION|PO",
			"PO-03":   "PO-03|Referat Windykacji Należności|SECTION|PO",
			"PO-04":   "PO-04|Samodzielne stanowisko ds. Kontroli Podatkowej|STANDALONE_POST|PO",
		}},
		{"SP has a section, an office and a standalone post, and no symbol", sp, map[string]string{
			"SP":    "|Wydział Sportu|DEPARTMENT|",
			"SP-01": "SP-01|Referat Infrastruktury Sportowej|SECTION|SP",
			"SP-02": "SP-02|Referat Sportu Powszechnego|SECTION|SP",
			"SP-03": "SP-03|Biuro Obsługi Klubów|OFFICE|SP",
			"SP-04": "SP-04|Samodzielne stanowisko ds. Organizacji Pozarządowych|STANDALONE_POST|SP",
		}},
		{"EP's misspelt section takes the name § 3 and § 4 agree on", ep, map[string]string{
			"EP":    "EP|Wydział Ewidencji Pojazdów i Kierowców|DEPARTMENT|",
			"EP-01": "EP-01|Referat Rejestracji Pojazdów|SECTION|EP",
			"EP-02": "EP-02|Referat Uprawnień do Kierowania Pojazdami|SECTION|EP",
			"EP-03": "EP-03|Referat Obsługi Klientów|SECTION|EP",
			"EP-04": "EP-04|Samodzielne stanowisko ds. Kontroli Stacji Diagnostycznych|STANDALONE_POST|EP",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, unitsOf(parse(t, tc.file).File), tc.want) })
	}
}

func TestTheReportingLinesAreThoseOfParagraph3(t *testing.T) {
	const (
		poDir = "dyrektor-wydzialu-po"
		poDep = "zastepca-dyrektora-wydzialu-po"
		poKie = "kierownik-referatu-po-01"
		spDir = "dyrektor-wydzialu-sp"
		epDir = "dyrektor-wydzialu-ep"
		epReg = "zastepca-dyrektora-ds-rejestracji-ep"
		epUpr = "zastepca-dyrektora-ds-uprawnien-ep"
	)
	for _, tc := range []struct {
		name string
		file string
		kind org.RelationKind
		want map[string]string
	}{
		{"PO's one deputy, its sections, and its teams under the head of PO-01", po, org.ReportsTo, map[string]string{
			poDep + " > " + poDir: "§ 3 ust. 1 pkt 1",
			"PO-03 > " + poDir:    "§ 3 ust. 1 pkt 2",
			"PO-04 > " + poDir:    "§ 3 ust. 1 pkt 3",
			"PO-01 > " + poDep:    "§ 3 ust. 2 pkt 1",
			"PO-02 > " + poDep:    "§ 3 ust. 2 pkt 2",
			"PO-01-1 > " + poKie:  "§ 3 ust. 3 pkt 1",
			"PO-01-2 > " + poKie:  "§ 3 ust. 3 pkt 2",
		}},
		{"PO is supervised on the merits by the City Treasurer", po, org.Supervises, map[string]string{
			"skarbnik-miasta > PO": "§ 1 ust. 3",
		}},
		{"PO's Director heads PO, the head of PO-01 heads PO-01", po, org.Heads, map[string]string{
			poDir + " > PO":    "§ 1 ust. 1",
			poKie + " > PO-01": "§ 3 ust. 3",
		}},
		{"PO's deputy belongs to PO by § 3 ust. 1 pkt 1, which names the deputy (§ 1 names none)", po, org.PartOf, map[string]string{
			"PO-01 > PO": "§ 2 pkt 1", "PO-01-1 > PO-01": "§ 2 pkt 1 lit. a", "PO-01-2 > PO-01": "§ 2 pkt 1 lit. b",
			"PO-02 > PO": "§ 2 pkt 2", "PO-03 > PO": "§ 2 pkt 3", "PO-04 > PO": "§ 2 pkt 4",
			poDep + " > PO": "§ 3 ust. 1 pkt 1",
		}},
		{"every SP unit reports to the Director, in a § 3 without sections", sp, org.ReportsTo, map[string]string{
			"SP-01 > " + spDir: "§ 3 pkt 1",
			"SP-02 > " + spDir: "§ 3 pkt 2",
			"SP-03 > " + spDir: "§ 3 pkt 3",
			"SP-04 > " + spDir: "§ 3 pkt 4",
		}},
		{"EP reads § 3 ust. 3 with the superior first and the unit after", ep, org.ReportsTo, map[string]string{
			epReg + " > " + epDir: "§ 3 ust. 1 pkt 1",
			epUpr + " > " + epDir: "§ 3 ust. 1 pkt 2",
			"EP-04 > " + epDir:    "§ 3 ust. 1 pkt 3",
			"EP-01 > " + epReg:    "§ 3 ust. 2 pkt 1",
			"EP-03 > " + epReg:    "§ 3 ust. 2 pkt 2",
			"EP-02 > " + epUpr:    "§ 3 ust. 3",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, linesOf(parse(t, tc.file).File, tc.kind), tc.want) })
	}
}

func TestThePositionsAreSharedOrTheDepartmentsOwn(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string
		want []string
	}{
		{"PO has the President, the Treasurer, a Director, one deputy and a section head", po,
			[]string{"prezydent", "skarbnik-miasta", "dyrektor-wydzialu-po", "zastepca-dyrektora-wydzialu-po", "kierownik-referatu-po-01"}},
		{"SP has the President and a Director with no deputy", sp, []string{"prezydent", "dyrektor-wydzialu-sp"}},
		{"EP has a Director and the two deputies § 1 announces", ep,
			[]string{"dyrektor-wydzialu-ep", "zastepca-dyrektora-ds-rejestracji-ep", "zastepca-dyrektora-ds-uprawnien-ep"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range parse(t, tc.file).File.Positions {
				got = append(got, p.ID)
			}
			check(t, got, tc.want)
		})
	}
}

func TestTheDutiesAreEveryItemLetterAndDash(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string
		want map[string]int
	}{
		{"PO's teams keep their own duties; the department holds the common ones", po,
			map[string]int{"PO-01": 6, "PO-01-1": 4, "PO-01-2": 3, "PO-02": 3, "PO-03": 3, "PO-04": 2, "PO": 3}},
		{"SP-03 counts its letters and dashes", sp,
			map[string]int{"SP-01": 4, "SP-02": 5, "SP-03": 7, "SP-04": 2, "SP": 3}},
		{"EP counts the item that lost its number and the one cut off", ep,
			map[string]int{"EP-01": 5, "EP-02": 3, "EP-03": 3, "EP-04": 2, "EP": 4}},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, dutyCounts(parse(t, tc.file).File), tc.want) })
	}
	for _, tc := range []struct {
		name, file, provision, want string
	}{
		{"a letter is its own duty", po, "§ 4 pkt 1 lit. b", "przygotowywanie projektów uchwał Rady Miasta Krakowa w sprawie stawek podatków;"},
		{"a dash is its own duty", sp, "§ 6 pkt 2 lit. b tiret 2", "w zakresie finansowym;"},
		{"the item that lost its number keeps its text", ep, "§ 4 pkt 3", "prowadzenie centralnej ewidencji pojazdów zarejestrowanych w Krakowie;"},
		{"a word broken at the line end is whole again", ep, "§ 4 pkt 4", "współpraca z komórkami organizacyjnymi Urzędu Miasta Krakowa w zakresie obsługi opłat komunikacyjnych;"},
		{"a page number inside an item is dropped", ep, "§ 8 pkt 2", "przestrzeganie przepisów ustawy o ochronie danych osobowych;"},
		{"the paragraph out of order keeps its numbers", ep, "§ 5 pkt 1", "wydawanie praw jazdy i międzynarodowych praw jazdy;"},
		{"the item cut off is kept as far as it goes", ep, "§ 8 pkt 4", "prawidłowe pod względem formalnym i merytorycznym publikowanie informacji w"},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, dutyText(parse(t, tc.file).File, tc.provision), tc.want) })
	}
}

func TestTaskingAndCooperationComeFromTheItems(t *testing.T) {
	t.Run("four positions may task PO-01, the Treasurer among them", func(t *testing.T) {
		check(t, taskers(parse(t, po).File, "PO-01", "§ 4 pkt 4"),
			[]string{"dyrektor-wydzialu-po", "prezydent", "skarbnik-miasta", "zastepca-dyrektora-wydzialu-po"})
	})
	t.Run("the head of PO-01 may task the team under it", func(t *testing.T) {
		check(t, taskers(parse(t, po).File, "PO-01-1", "§ 5 pkt 4"), []string{"dyrektor-wydzialu-po", "kierownik-referatu-po-01"})
	})
	t.Run("the common duties let the Treasurer task every PO unit", func(t *testing.T) {
		f := parse(t, po).File
		for _, u := range []string{"PO-01", "PO-01-1", "PO-01-2", "PO-02", "PO-03", "PO-04"} {
			if !slices.Contains(taskers(f, u, "§ 10 pkt 3"), "skarbnik-miasta") {
				t.Errorf("%s: got %v, want the Treasurer among them", u, taskers(f, u, "§ 10 pkt 3"))
			}
		}
	})
	t.Run("PO-03 cooperates closely with the two sections it names", func(t *testing.T) {
		got := map[string]string{}
		for _, r := range parse(t, po).File.Relations {
			if r.Kind == string(org.CooperatesWith) && r.From == "PO-03" && r.Provision == "§ 8 pkt 2" {
				got[r.To] = r.Strength
			}
		}
		check(t, got, map[string]string{"PO-01": "CLOSE", "PO-02": "CLOSE"})
	})
	t.Run("SP-02 names an office and a standalone post as partners", func(t *testing.T) {
		check(t, linesOf(parse(t, sp).File, org.CooperatesWith), map[string]string{
			"SP-01 > miejskie-jednostki-organizacyjne": "§ 4 pkt 3",
			"SP-02 > SP-03": "§ 5 pkt 2",
			"SP-02 > SP-04": "§ 5 pkt 2",
		})
	})
}

func TestEveryRepairAndDoubtIsAWarningWithItsPlace(t *testing.T) {
	for _, tc := range []struct {
		name  string
		file  string
		want  [][]string // where, then words of the message
		total int
	}{
		{"PO warns of a partner it does not know and of its line breaks", po, [][]string{
			{"§ 7 pkt 2", "Wydziałem Budżetu Miasta", "no relation"},
			{"§ 4–§ 10", "Line breaks"},
		}, 2},
		{"the clean SP warns only that it joined broken lines", sp, [][]string{
			{"§ 4–§ 8", "Line breaks"},
		}, 1},
		{"EP warns of every scar of its extraction", ep, [][]string{
			{"§ 2", "Hyphenation repaired", "organizacyjne"},
			{"§ 2 pkt 1", "Typo repaired", "Rejestacji", "Referat Rejestracji Pojazdów"},
			{"line 36", "repeated page header", "page number \"2\""},
			{"§ 4 pkt 3", "Number restored", "3)"},
			{"§ 4 pkt 4", "Hyphenation repaired", "organizacyjnymi"},
			{"§ 5", "Out of order", "after § 6"},
			{"§ 8 pkt 2", "page number \"- 3 -\"", "dropped"},
			{"§ 8 pkt 4", "Truncated", "no one signs it"},
			{"§ 8 pkt 4", "mid-sentence"},
			{"§ 4–§ 8", "Line breaks"},
		}, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := parse(t, tc.file).File
			for _, w := range tc.want {
				if !warned(f, w[0], w[1:]...) {
					t.Errorf("no warning at %s saying %q in %v", w[0], w[1:], f.Repairs)
				}
			}
			if len(f.Repairs) != tc.total {
				t.Errorf("got %d warnings, want %d: %v", len(f.Repairs), tc.total, f.Repairs)
			}
		})
	}
}

func TestWhatIsNotAnOrdinanceIsRefused(t *testing.T) {
	for _, tc := range []struct {
		name, text string
	}{
		{"an empty text", ""},
		{"a text with no paragraph", "ZARZĄDZENIE NR 1/2025\nPREZYDENTA MIASTA KRAKOWA\n"},
		{"paragraphs with no act number", "§ 1. Wydziałem Sportu kieruje Dyrektor.\n"},
		{"an act with no list of units", "ZARZĄDZENIE NR 1/2025\nPREZYDENTA MIASTA KRAKOWA\nz dnia 2 stycznia 2025 r.\n§ 1. Zarządzenie wchodzi w życie z dniem podpisania.\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ordinance.Parse("x.txt", tc.text)
			if got := org.ErrorCode(err); got != org.EINVALID {
				t.Errorf("got %v (%v), want %v", got, err, org.EINVALID)
			}
		})
	}
}

// TestSeveralActsMakeOneGraph loads the seed and the fixtures into one
// store: the City's officials are one node each, every department keeps
// its own units and positions.
func TestSeveralActsMakeOneGraph(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	results := []*ordinance.Result{imported(t), parse(t, po), parse(t, sp), parse(t, ep)}
	for _, r := range results {
		g, err := r.Graph()
		if err != nil {
			t.Fatal(err)
		}
		if err := store.Load(ctx, g); err != nil {
			t.Fatalf("Load %s: %v", r.File.Document.ID, err)
		}
	}
	docs, err := store.FindDocuments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the store holds the four acts", func(t *testing.T) { check(t, len(docs), 4) })
	t.Run("the President is one node that every act's units answer to", func(t *testing.T) {
		rs, err := store.FindRelations(ctx, org.RelationFilter{From: []string{"prezydent"}, Kinds: []org.RelationKind{org.MayTask}})
		if err != nil {
			t.Fatal(err)
		}
		acts := map[string]bool{}
		for _, r := range rs {
			acts[r.Source.Document] = true
		}
		check(t, acts, map[string]bool{"3468/2024": true, "412/2025": true, "1207/2025": true})
	})
	t.Run("each department has its own Director", func(t *testing.T) {
		for _, id := range []string{"dyrektor-wydzialu", "dyrektor-wydzialu-po", "dyrektor-wydzialu-sp", "dyrektor-wydzialu-ep"} {
			if _, err := store.FindNodeByID(ctx, id); err != nil {
				t.Errorf("%s: %v", id, err)
			}
		}
	})
	t.Run("the chain from a PO team runs through its section to the Director", func(t *testing.T) {
		svc := org.NewService(store)
		path, err := svc.ChainOfCommand(ctx, "PO-01-1")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, n := range path.Nodes {
			got = append(got, n.ID)
		}
		check(t, got, []string{"PO-01-1", "kierownik-referatu-po-01", "PO-01", "zastepca-dyrektora-wydzialu-po", "dyrektor-wydzialu-po", "PO"})
	})
}

func TestCorrectionsThatNoLongerFitFail(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change ordinance.Change
	}{
		{"renaming a node that is not there", ordinance.Change{Why: "x", Rename: map[string]string{"nobody": "someone"}}},
		{"removing a relation that is not there", ordinance.Change{Why: "x", Remove: &seed.File{Relations: []seed.RelationJSON{{Kind: "HEADS", From: "a", To: "b", Provision: "§ 1"}}}}},
		{"adding a unit that is there", ordinance.Change{Why: "x", Add: &seed.File{Units: []seed.NodeJSON{{ID: "SP-01", Name: "x"}}}}},
		{"touching the document", ordinance.Change{Why: "x", Add: &seed.File{Document: seed.DocumentJSON{ID: "1/2025"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := parse(t, sp).Apply(&ordinance.Corrections{Document: "1207/2025", Changes: []ordinance.Change{tc.change}})
			if got := org.ErrorCode(err); got != org.EINVALID {
				t.Errorf("got %v (%v), want %v", got, err, org.EINVALID)
			}
		})
	}
	t.Run("corrections for another act", func(t *testing.T) {
		err := parse(t, sp).Apply(&ordinance.Corrections{Document: "3468/2024"})
		if got := org.ErrorCode(err); got != org.EINVALID {
			t.Errorf("got %v (%v), want %v", got, err, org.EINVALID)
		}
	})
}

// FuzzParse checks that no text makes the parser panic, and that whatever
// it accepts makes a valid graph. The corpus is the seed and the fixtures.
func FuzzParse(f *testing.F) {
	for _, text := range acts(f) {
		f.Add(text)
		f.Add(oneLine(text))
	}
	f.Fuzz(func(t *testing.T, text string) {
		r, err := ordinance.Parse("fuzz.txt", text)
		if err != nil {
			return
		}
		if _, err := r.Graph(); err != nil {
			t.Errorf("Graph: %v", err)
		}
	})
}
