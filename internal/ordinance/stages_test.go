package ordinance

import (
	"reflect"
	"strings"
	"testing"
)

// Each stage of the parser on its own: text, blocks, provisions, roles,
// and the declension of the department's name.

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
