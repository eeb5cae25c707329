package ordinance

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Each stage of the parser on its own: text, blocks, provisions, roles,
// facts and checks, the declension of the department's name, and the
// vocabulary as the seam between one city's acts and another's.

func TestStageTextSetsPageFurnitureAside(t *testing.T) {
	raw := strings.Join([]string{
		"ZARZĄDZENIE NR 5/2025",
		"§ 1. Wydziałem\u00a0Sportu kieruje Dyrektor.",
		"",
		"- 2 -",
		"Zarządzenie nr 5/2025 Prezydenta Miasta Krakowa",
		"http://www.krakow.pl/",
		"§ 2. W skład Wydziału wchodzą: 1) Referat Sportu – SP\u201101; 2) Referat Klubów SP-02 - 3 - ;",
	}, "\n")
	tx := readText(raw, "5/2025")
	var kinds []lineKind
	for _, l := range tx.lines {
		kinds = append(kinds, l.kind)
	}
	want := []lineKind{contentLine, contentLine, blankLine, pageNumber, runningHeader, urlLine, contentLine}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("line kinds: got %v, want %v", kinds, want)
	}
	if strings.Contains(tx.stream, "\u00a0") || !strings.Contains(tx.stream, "Wydziałem Sportu") {
		t.Errorf("a non-breaking space is not read as a space: %q", tx.stream)
	}
	if len(tx.fixes) != 1 || tx.fixes[0].read != "SP-01" || tx.fixes[0].hyphen != '\u2011' {
		t.Errorf("fixes: got %+v, want SP\u201101 read as SP-01", tx.fixes)
	}
	if len(tx.cuts) != 1 || tx.cuts[0].what != "page number" || strings.Contains(tx.stream, "- 3 -") {
		t.Errorf("cuts: got %+v in %q, want the page number inside the last line blanked", tx.cuts, tx.stream)
	}
	if strings.Contains(tx.stream, "krakow.pl") || strings.Contains(tx.stream, "- 2 -") {
		t.Errorf("page furniture lines are in the stream: %q", tx.stream)
	}
}

// markers lists a body's blocks as "kind num: text".
func markers(s string) []string {
	tx := readText(s, "")
	first := tx.bodyOffset()
	if first < 0 {
		return nil
	}
	var out []string
	for _, b := range splitBody(tx, first, "").blocks {
		var text []string
		for _, p := range b.parts {
			text = append(text, p.text)
		}
		out = append(out, []string{"text", "§", "ust", "pkt", "lit", "tiret", "soft", "chapter"}[b.kind]+" "+b.num+": "+strings.Join(text, " "))
	}
	return out
}

func TestStageBlocksCutsAtMarkersNotAtLines(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"one line", "co następuje: § 1. 1. Wydział. 2. Symbol GD. § 2. Do zadań: 1) a; 2) b.", []string{
			"§ 1: ", "ust 1: Wydział.", "ust 2: Symbol GD.", "§ 2: Do zadań:", "pkt 1: a;", "pkt 2: b."}},
		{"a marker at a line's end", "§ 1. W skład wchodzą: 1)\nReferat – X-01; 2) Biuro\n– X-02.", []string{
			"§ 1: W skład wchodzą:", "pkt 1: Referat – X-01;", "pkt 2: Biuro – X-02."}},
		{"citations are not markers", "§ 1. Jak w § 3. Oraz ust. 2. Zgodnie z pkt 2) i poz. 1465, 1572) tak.", []string{
			"§ 1: Jak w § 3. Oraz ust. 2. Zgodnie z pkt 2) i poz. 1465, 1572) tak."}},
		{"a number in a line's start is text", "§ 1. Od dnia\n2. stycznia i 3) razy.", []string{"§ 1: Od dnia 2. stycznia i 3) razy."}},
		{"letters and dashes", "§ 1. Sprawy: 1) x, w tym: a) y, b) z: – u, – w; 2) v.", []string{
			"§ 1: Sprawy:", "pkt 1: x, w tym:", "lit a: y,", "lit b: z:", "tiret : u,", "tiret : w;", "pkt 2: v."}},
		{"a chapter's heading is no provision's text", "§ 1. Sprawy: 1) x. Rozdział 2 Zakres działania § 2. Y.", []string{
			"§ 1: Sprawy:", "pkt 1: x.", "chapter : Zakres działania", "§ 2: Y."}},
		{"lower case after a semicolon", "§ 1. Sprawy: 1) x; y; 3) z.", []string{"§ 1: Sprawy:", "pkt 1: x;", "soft : y;", "pkt 3: z."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := markers(tc.text); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestStageProvisionsNameEveryNode(t *testing.T) {
	tx := readText("ZARZĄDZENIE NR 1/2025 § 1. 1. A. 2. B: 1) c, w tym: a) d: – e; 2) f. § 2. G; h.", "1/2025")
	pr := newProvisions(tx)
	pr.build(splitBody(tx, tx.bodyOffset(), "").blocks)
	p := newParser(Krakow, "x.txt", "")
	p.provisions = pr
	p.texts()
	var got []string
	for _, para := range p.paras {
		para.root.walk(func(n *node) { got = append(got, n.provision()+"="+n.text) })
	}
	want := []string{"§ 1=", "§ 1 ust. 1=A.", "§ 1 ust. 2=B:", "§ 1 ust. 2 pkt 1=c, w tym:", "§ 1 ust. 2 pkt 1 lit. a=d:",
		"§ 1 ust. 2 pkt 1 lit. a tiret 1=e;", "§ 1 ust. 2 pkt 2=f.", "§ 2=G; h."}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestStageRolesFromOpeningWords(t *testing.T) {
	for text, want := range map[string]role{
		"Wydziałem Geodezji kieruje Dyrektor.":                                roleHead,
		"W skład Urzędu Stanu Cywilnego wchodzą następujące komórki:":         roleUnits,
		"Dyrektorowi Wydziału podlegają bezpośrednio:":                        roleReporting,
		"Do zakresu działania Referatu Kadr (XX-01) należą sprawy:":           roleDuties,
		"Zakres działania Wydziału obejmuje:":                                 roleDuties,
		"Wszystkie wewnętrzne komórki organizacyjne Wydziału odpowiadają za:": roleCommon,
		"Traci moc zarządzenie nr 1/2020.":                                    roleRepeals,
		"Zarządzenie wchodzi w życie z dniem podpisania.":                     roleEffective,
		"Wykonanie zarządzenia powierza się Dyrektorowi.":                     roleOther,
	} {
		para := &paragraph{}
		para.root = &node{level: levelParagraph, para: para, text: text}
		if got := roleOf(para); got != want {
			t.Errorf("%q: got role %d, want %d", text, got, want)
		}
	}
}

func TestTheDepartmentsNameIsDeclinedBackToTheNominative(t *testing.T) {
	for _, tc := range []struct{ kind, rest, want string }{
		{"Wydziałem", "Geodezji", "Wydział Geodezji"},
		{"Wydziałem", "Mieszkalnictwa Komunalnego", "Wydział Mieszkalnictwa Komunalnego"},
		{"Wydziałem", "Prawnym", "Wydział Prawny"},
		{"Wydziałem", "Miejskim Konserwatora", "Wydział Miejski Konserwatora"},
		{"Biurem", "Prasowym", "Biuro Prasowe"},
		{"Biurem", "Miejskim Konserwatora Zabytków", "Biuro Miejskie Konserwatora Zabytków"},
		{"Kancelarią", "Główną", "Kancelaria Główna"},
		{"Kancelarią", "Magistratu", "Kancelaria Magistratu"},
		{"Urzędem", "Stanu Cywilnego", "Urząd Stanu Cywilnego"},
		{"Wydziału", "Prawnego", "Wydział Prawny"},
		{"Wydziału", "Komunikacji Społecznej", "Wydział Komunikacji Społecznej"},
		{"Biura", "Miejskiego Konserwatora", "Biuro Miejskie Konserwatora"},
		{"Kancelarii", "Głównej", "Kancelaria Główna"},
		{"Wydział", "Prawny", "Wydział Prawny"},
	} {
		o, ok := Krakow.office(tc.kind)
		if !ok {
			t.Fatalf("%q is not an office", tc.kind)
		}
		if got := o.Nominative + " " + nominative(tc.rest, o, tc.kind); got != tc.want {
			t.Errorf("%s %s: got %q, want %q", tc.kind, tc.rest, got, tc.want)
		}
	}
}

// TestSlugsFoldLikeTheDomain: ids are made with org.Fold, the one folding
// table of the project.
func TestSlugsFoldLikeTheDomain(t *testing.T) {
	for in, want := range map[string]string{
		"Zastępca Dyrektora ds. Mediów Miejskich": "zastepca-dyrektora-ds-mediow-miejskich",
		"Kierownik Urzędu":                        "kierownik-urzedu",
		"Źródło Łąki ŻÓŁW":                        "zrodlo-laki-zolw",
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// smallAct is an act in the legal style of the fixtures, as one line: a
// head sentence with a deputy, a list of units, reporting lines in two
// sections, one unit's duties with a cooperation and a tasking, and the
// closing paragraph.
const smallAct = "ZARZĄDZENIE NR 7/2025 PREZYDENTA MIASTA KRAKOWA z dnia 2 stycznia 2025 r. " +
	"w sprawie podziału na wewnętrzne komórki organizacyjne oraz zakresu działania Wydziału Sportu " +
	"Na podstawie art. 33 ust. 2 ustawy z dnia 8 marca 1990 r. o samorządzie gminnym zarządza się, co następuje: " +
	"§ 1. Wydziałem Sportu, zwanym dalej „Wydziałem”, kieruje Dyrektor przy pomocy Zastępcy Dyrektora. " +
	"§ 2. W skład Wydziału wchodzą: 1) Referat Klubów – SP-01; 2) Referat Imprez – SP-02. " +
	"§ 3. 1. Dyrektorowi Wydziału podlegają bezpośrednio: 1) Zastępca Dyrektora ds. Imprez; 2) Referat Klubów – SP-01. " +
	"2. Zastępcy Dyrektora ds. Imprez podlega Referat Imprez – SP-02. " +
	"§ 4. Do zakresu działania Referatu Klubów (SP-01) należą sprawy: " +
	"1) współpraca z Referatem Imprez w zakresie organizacji zawodów; " +
	"2) wykonywanie innych zadań zleconych przez Dyrektora Wydziału. " +
	"§ 5. Zarządzenie wchodzi w życie z dniem podpisania."

// stagesToRoles reads a text through the stages before the facts: text,
// blocks, provisions (with their texts) and roles.
func stagesToRoles(raw string) *provisions {
	tx := readText(raw, "")
	first := tx.bodyOffset()
	tx.bodyStart = tx.lineAt(first)
	pr := newProvisions(tx)
	pr.build(splitBody(tx, first, "").blocks)
	p := newParser(Krakow, "x.txt", raw)
	p.provisions = pr
	p.collectWords()
	p.texts()
	readRoles(pr)
	return pr
}

func TestStageProvisionsWarnOfAGapInTheNumbering(t *testing.T) {
	pr := stagesToRoles(strings.Replace(smallAct, "2) Referat Imprez – SP-02.", "3) Referat Imprez – SP-02.", 1))
	want := []warning{{line: 0, where: "§ 2 pkt 3", message: "Doubt: § 2 jumps from pkt 1 to pkt 3; an item may be lost."}}
	if !reflect.DeepEqual(pr.warnings, want) {
		t.Errorf("got %+v, want %+v", pr.warnings, want)
	}
}

func TestStageFactsFromProvisions(t *testing.T) {
	f, err := readFacts(Krakow, "x.txt", "", stagesToRoles(smallAct))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.warnings) != 0 {
		t.Errorf("warnings: %+v", f.warnings)
	}
	// The head sentence gives the department and its Director; the list
	// gives the units with their codes, part of the department.
	var units []string
	for _, u := range f.units {
		units = append(units, u.id+"|"+u.code+"|"+u.name+"|"+u.typ+"|"+u.provision)
	}
	if want := []string{"SP||Wydział Sportu|DEPARTMENT|§ 1", "SP-01|SP-01|Referat Klubów|SECTION|§ 2 pkt 1", "SP-02|SP-02|Referat Imprez|SECTION|§ 2 pkt 2"}; !reflect.DeepEqual(units, want) {
		t.Errorf("units:\ngot  %q\nwant %q", units, want)
	}
	var positions []string
	for _, id := range f.positionOrder {
		pos := f.positions[id]
		positions = append(positions, pos.id+"|"+pos.name+"|"+pos.provision)
	}
	if want := []string{"dyrektor-wydzialu-sp|Dyrektor Wydziału|§ 1", "zastepca-dyrektora-ds-imprez-sp|Zastępca Dyrektora ds. Imprez|§ 3 ust. 1 pkt 1"}; !reflect.DeepEqual(positions, want) {
		t.Errorf("positions:\ngot  %q\nwant %q", positions, want)
	}
	if f.director == nil || f.director.id != "dyrektor-wydzialu-sp" || f.deputiesSaid != 1 || len(f.deputies) != 1 {
		t.Errorf("director %+v, deputies said %d, named %d; want the Director with one Deputy", f.director, f.deputiesSaid, len(f.deputies))
	}
	var rels []string
	for _, r := range f.relations {
		rels = append(rels, r.Kind+" "+r.From+" → "+r.To+" @ "+r.Provision)
	}
	want := []string{
		"PART_OF SP-01 → SP @ § 2 pkt 1",
		"PART_OF SP-02 → SP @ § 2 pkt 2",
		"HEADS dyrektor-wydzialu-sp → SP @ § 1",
		"REPORTS_TO zastepca-dyrektora-ds-imprez-sp → dyrektor-wydzialu-sp @ § 3 ust. 1 pkt 1",
		"REPORTS_TO SP-01 → dyrektor-wydzialu-sp @ § 3 ust. 1 pkt 2",
		"REPORTS_TO SP-02 → zastepca-dyrektora-ds-imprez-sp @ § 3 ust. 2",
		// The deputy is a member where the text names the deputy, not § 1.
		"PART_OF zastepca-dyrektora-ds-imprez-sp → SP @ § 3 ust. 1 pkt 1",
		"COOPERATES_WITH SP-01 → SP-02 @ § 4 pkt 1",
		"MAY_TASK dyrektor-wydzialu-sp → SP-01 @ § 4 pkt 2",
	}
	if !reflect.DeepEqual(rels, want) {
		t.Errorf("relations:\ngot  %q\nwant %q", rels, want)
	}
	for _, r := range f.relations {
		if r.Kind == "COOPERATES_WITH" && (r.Strength != "PLAIN" || r.Phrase != "współpraca z Referatem Imprez" || r.Scope != "w zakresie organizacji zawodów") {
			t.Errorf("cooperation: got %+v", r)
		}
	}
	var duties []string
	for _, d := range f.duties {
		duties = append(duties, d.Unit+" @ "+d.Provision+": "+d.Text)
	}
	if want := []string{
		"SP-01 @ § 4 pkt 1: współpraca z Referatem Imprez w zakresie organizacji zawodów;",
		"SP-01 @ § 4 pkt 2: wykonywanie innych zadań zleconych przez Dyrektora Wydziału.",
	}; !reflect.DeepEqual(duties, want) {
		t.Errorf("duties:\ngot  %q\nwant %q", duties, want)
	}
}

func TestStageFactsRefuseAnActWithoutUnits(t *testing.T) {
	raw := strings.Replace(smallAct, "§ 2. W skład Wydziału wchodzą: 1) Referat Klubów – SP-01; 2) Referat Imprez – SP-02. ", "", 1)
	if _, err := readFacts(Krakow, "x.txt", "", stagesToRoles(raw)); err == nil || !strings.Contains(err.Error(), "no list of units") {
		t.Errorf("got %v, want a refusal for an act with no list of units", err)
	}
}

func TestStageChecksFromFacts(t *testing.T) {
	signed := func(pr *provisions) layout { return layout{signedAt: len(pr.lines)} }
	for _, tc := range []struct {
		name, old, new string
		layout         func(*provisions) layout
		want           []string
	}{
		{"a whole signed act", "", "", signed, nil},
		{"an unsigned act", "", "", func(*provisions) layout { return layout{signedAt: -1} }, []string{
			"line 1: Doubt: the act is not signed: no signature block follows the last paragraph."}},
		{"a lost paragraph", "§ 3. 1. Dyrektorowi Wydziału podlegają bezpośrednio: 1) Zastępca Dyrektora ds. Imprez; 2) Referat Klubów – SP-01. 2. Zastępcy Dyrektora ds. Imprez podlega Referat Imprez – SP-02. ", "", signed, []string{
			"§ 3: Doubt: the text has no § 3; a paragraph may be lost."}},
		{"a full stop between items", "zawodów;", "zawodów.", signed, []string{
			`§ 4 pkt 1: Ends with "." where ";" is expected (pkt 2 follows); kept as written.`}},
		{"no closing paragraph", " § 5. Zarządzenie wchodzi w życie z dniem podpisania.", "", signed, []string{
			"§ 4 pkt 2: Truncated: the text breaks off at line 1, in § 4 pkt 2; no paragraph says when the act takes effect."}},
		{"a line broken in an item", "w zakresie organizacji", "w zakresie\norganizacji", signed, []string{
			"§ 4: Line breaks: items broken across lines are joined with single spaces, leading indentation and trailing spaces dropped."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := smallAct
			if tc.old != "" {
				raw = strings.Replace(raw, tc.old, tc.new, 1)
			}
			pr := stagesToRoles(raw)
			f, err := readFacts(Krakow, "x.txt", "", pr)
			if err != nil {
				t.Fatal(err)
			}
			settled := len(f.settled)
			var got []string
			for _, w := range check(f, tc.layout(pr)) {
				got = append(got, w.where+": "+w.message)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
			if len(f.settled) != settled {
				t.Errorf("the checks changed the facts: %d settled items, were %d", len(f.settled), settled)
			}
		})
	}
}

// dzialAct is an act of a city whose departments are Działy, with Piony
// in them: words the Kraków vocabulary does not have.
const dzialAct = "ZARZĄDZENIE NR 3/2025 BURMISTRZA MIASTA GNIEZNA z dnia 2 stycznia 2025 r. " +
	"w sprawie podziału na wewnętrzne komórki organizacyjne Działu Kadr " +
	"Na podstawie art. 33 ust. 2 ustawy z dnia 8 marca 1990 r. o samorządzie gminnym zarządza się, co następuje: " +
	"§ 1. Działem Kadr, zwanym dalej „Działem”, kieruje Naczelnik. " +
	"§ 2. W skład Działu wchodzą: 1) Pion Płac – KD-01; 2) Pion Akt – KD-02. " +
	"§ 3. Naczelnikowi Działu podlegają: 1) Pion Płac – KD-01; 2) Pion Akt – KD-02. " +
	"§ 4. Zakres działania Działu obejmuje: 1) prowadzenie spraw kadrowych. " +
	"§ 5. Zarządzenie wchodzi w życie z dniem podpisania."

// TestAnotherCitysVocabularyIsTheSeam: the same parser reads another
// city's act right given that city's Vocabulary, and the Kraków one does
// not; no code changes between the two.
func TestAnotherCitysVocabularyIsTheSeam(t *testing.T) {
	gniezno := *Krakow
	gniezno.Issuers = map[string]string{"Burmistrza Miasta Gniezna": "Burmistrz Miasta Gniezna"}
	gniezno.Offices = append(slices.Clone(Krakow.Offices), Office{"Dział", "Działu", "Działem", 'm'})
	gniezno.UnitTypes = append([]UnitType{{"Pion", "SECTION"}}, Krakow.UnitTypes...)
	gniezno.Head = Title{Nominative: "Naczelnik", English: "Chief"}
	if len(Krakow.Offices) != 7 || Krakow.UnitTypes[0].Phrase == "Pion" {
		t.Fatal("building another vocabulary changed Krakow")
	}
	read := func(city *Vocabulary) (units, relations, duties, warnings []string, issuer string) {
		r, err := ParseWith(city, "dzial.txt", dzialAct)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range r.File.Units {
			units = append(units, u.ID+"|"+u.Name+"|"+u.Type)
		}
		for _, rel := range r.File.Relations {
			relations = append(relations, rel.Kind+" "+rel.From+" → "+rel.To+" @ "+rel.Provision)
		}
		for _, d := range r.File.Duties {
			duties = append(duties, d.Unit+" @ "+d.Provision)
		}
		for _, w := range r.File.Repairs {
			warnings = append(warnings, w.Where+": "+w.Message)
		}
		return units, relations, duties, warnings, r.File.Document.Issuer
	}

	units, relations, duties, warnings, issuer := read(&gniezno)
	if want := []string{"KD|Dział Kadr|DEPARTMENT", "KD-01|Pion Płac|SECTION", "KD-02|Pion Akt|SECTION"}; !reflect.DeepEqual(units, want) {
		t.Errorf("units:\ngot  %q\nwant %q", units, want)
	}
	if want := []string{
		"PART_OF KD-01 → KD @ § 2 pkt 1",
		"PART_OF KD-02 → KD @ § 2 pkt 2",
		"HEADS naczelnik-dzialu-kd → KD @ § 1",
		"REPORTS_TO KD-01 → naczelnik-dzialu-kd @ § 3 pkt 1",
		"REPORTS_TO KD-02 → naczelnik-dzialu-kd @ § 3 pkt 2",
	}; !reflect.DeepEqual(relations, want) {
		t.Errorf("relations:\ngot  %q\nwant %q", relations, want)
	}
	if want := []string{"KD @ § 4 pkt 1"}; !reflect.DeepEqual(duties, want) {
		t.Errorf("duties: got %q, want %q", duties, want)
	}
	if issuer != "Burmistrz Miasta Gniezna" || len(warnings) != 1 {
		t.Errorf("issuer %q, warnings %q; want the Burmistrz and only the missing signature", issuer, warnings)
	}

	// Kraków's vocabulary knows no Dział and no Pion: the department keeps
	// the case it is written in, the units have no type, the scope of
	// "Działu" names no unit, and each is a doubt.
	units, _, duties, warnings, _ = read(Krakow)
	if want := []string{"KD|Działem Kadr|DEPARTMENT", "KD-01|Pion Płac|", "KD-02|Pion Akt|"}; !reflect.DeepEqual(units, want) {
		t.Errorf("Krakow units:\ngot  %q\nwant %q", units, want)
	}
	if len(duties) != 0 {
		t.Errorf("Krakow duties: got %q, want none", duties)
	}
	for _, want := range []string{"is not one the importer knows", `"Działem" is not a kind of department`, `"Pion Płac" does not begin with a unit type`, "names no unit of the list of units"} {
		if !slices.ContainsFunc(warnings, func(w string) bool { return strings.Contains(w, want) }) {
			t.Errorf("Krakow warnings lack %q:\n%s", want, strings.Join(warnings, "\n"))
		}
	}
}

// TestAVocabularyOfOfficesAndTypesAloneReads: a vocabulary built from
// nothing but its offices and unit types reads the units and the head;
// what it lacks (deputies, officials, months) is left out with doubts,
// never matched by an empty pattern.
func TestAVocabularyOfOfficesAndTypesAloneReads(t *testing.T) {
	bare := &Vocabulary{
		Offices:   []Office{{"Wydział", "Wydziału", "Wydziałem", 'm'}},
		UnitTypes: []UnitType{{"Referat", "SECTION"}},
	}
	r, err := ParseWith(bare, "x.txt", smallAct)
	if err != nil {
		t.Fatal(err)
	}
	var units []string
	for _, u := range r.File.Units {
		units = append(units, u.ID+"|"+u.Name+"|"+u.Type)
	}
	if want := []string{"SP|Wydział Sportu|DEPARTMENT", "SP-01|Referat Klubów|SECTION", "SP-02|Referat Imprez|SECTION"}; !reflect.DeepEqual(units, want) {
		t.Errorf("units:\ngot  %q\nwant %q", units, want)
	}
	heads := 0
	for _, rel := range r.File.Relations {
		if rel.Kind == "HEADS" {
			heads++
			if rel.From != "dyrektor-wydzialu-sp" || rel.To != "SP" {
				t.Errorf("HEADS: got %+v", rel)
			}
		}
	}
	if heads != 1 {
		t.Errorf("got %d HEADS, want the Director's", heads)
	}
	if r.File.Document.Date != "" {
		t.Errorf("date %q read without the months' names", r.File.Document.Date)
	}
	if _, err := ParseWith(bare, "x.txt", "Referat Klubów, tel. 12 616 00 00"); err == nil || strings.Contains(err.Error(), "describing one unit") {
		t.Errorf("with no unit words a page is not read as one about a unit: %v", err)
	}
}
