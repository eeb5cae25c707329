package ordinance_test

import (
	"strings"
	"testing"

	"github.com/orgraph/orgraph/internal/org"
)

// The fixtures of the legal forms other departments' ordinances use, one
// act for a few forms each; the expectations are read off the texts.
const (
	// gd is a copy from a web page: one line; the head sentence with the
	// short name in quotes; an ISO date; codes in parentheses, after a tab
	// and with a non-breaking hyphen; a post ("Główny Specjalista") and
	// plural posts ("Stanowiska") listed among the units, a post nested
	// under the plural ones.
	gd = "zarzadzenie-1502-2025-gd.txt"
	// km is a Kancelaria ("Kancelarią …, zwaną dalej „Kancelarią”"), with
	// the units as § 1 ust. 2 and its own scope as § 1 ust. 4, who reports
	// to whom in § 2, a date "17.02.2025 r.".
	km = "zarzadzenie-215-2025-km.txt"
	// usc is the Urząd Stanu Cywilnego, headed by a Kierownik, dated
	// "14.08.2013", in chapters ("Rozdział 2 …"), whose "§ 2." was lost in
	// extraction.
	usc = "zarzadzenie-1890-2013-usc.txt"
	// wp is a Wydział named by an adjective ("Wydziałem Prawnym"), with no
	// date in its heading, codes after an em dash or at the line's end, who
	// reports to whom as "Dyrektor … sprawuje bezpośredni nadzór nad: 1)
	// Referatem …", the department's own scope as a paragraph of its own.
	wp = "zarzadzenie-77-2025-wp.txt"
	// fe is a Biuro ("Biurem …, zwanym dalej „Biurem”"), whose § 2 lost its
	// full stop, whose list gives a code before a name and after the word
	// "symbol", nests a Sekcja, and whose § 3 lists who reports to the
	// Director in one sentence and puts a unit under the deputy as
	// "Bezpośredni nadzór nad Referatem … sprawuje Zastępca Dyrektora".
	fe = "zarzadzenie-930-2025-fe.txt"
)

func TestTheFormsOfOtherDepartmentsActsAreRead(t *testing.T) {
	t.Run("the department is named in the nominative, its head by its title", func(t *testing.T) {
		for _, tc := range []struct{ file, dept, symbol, name, head string }{
			{gd, "GD", "GD", "Wydział Geodezji", "dyrektor-wydzialu-gd"},
			{km, "KM", "KM", "Kancelaria Magistratu", "dyrektor-kancelarii-km"},
			{usc, "USC", "", "Urząd Stanu Cywilnego", "kierownik-urzedu-usc"},
			{wp, "WP", "", "Wydział Prawny", "dyrektor-wydzialu-wp"},
		} {
			f := parse(t, tc.file).File
			check(t, unitsOf(f)[tc.dept], tc.symbol+"|"+tc.name+"|"+org.UnitDepartment+"|")
			heads := linesOf(f, org.Heads)
			if _, ok := heads[tc.head+" > "+tc.dept]; !ok {
				t.Errorf("%s: %s does not head %s: %v", tc.file, tc.head, tc.dept, heads)
			}
		}
	})
	t.Run("the act's date in any form, never the statute's", func(t *testing.T) {
		for _, tc := range []struct{ file, date, effective string }{
			{gd, "2025-06-30", "2025-07-01"},
			{km, "2025-02-17", "2025-03-01"},
			{usc, "2013-08-14", "2013-09-01"},
			{wp, "", ""},
		} {
			d := parse(t, tc.file).File.Document
			check(t, []string{d.Date, d.Effective}, []string{tc.date, tc.effective})
		}
		if f := parse(t, wp).File; !warned(f, "line 1", "no date", "left empty") {
			t.Errorf("no warning that WP has no date: %v", f.Repairs)
		}
	})
	t.Run("GD's units: posts among them, names as written, codes normalised", func(t *testing.T) {
		f := parse(t, gd).File
		check(t, unitsOf(f), map[string]string{
			"GD":      "GD|Wydział Geodezji|DEPARTMENT|",
			"GD-01":   "GD-01|Referat Ewidencji Gruntów i Budynków|SECTION|GD",
			"GD-02":   "GD-02|Referat Państwowego Zasobu Geodezyjnego|SECTION|GD",
			"GD-03":   "GD-03|Referat Uzgadniania Dokumentacji Projektowej|SECTION|GD",
			"GD-04":   "GD-04|Główny Specjalista ds. Kontroli|STANDALONE_POST|GD",
			"GD-05":   "GD-05|Stanowiska Obsługi Klienta|STANDALONE_POST|GD",
			"GD-05-1": "GD-05-1|Stanowisko ds. Informacji o Terenie|STANDALONE_POST|GD-05",
		})
		if !warned(f, "§ 2 pkt 3", "Code normalised", "non-breaking hyphen", "GD-03") {
			t.Errorf("no warning for the non-breaking hyphen of GD-03: %v", f.Repairs)
		}
		check(t, linesOf(f, org.ReportsTo), map[string]string{
			"zastepca-dyrektora-ds-zasobu-gd > dyrektor-wydzialu-gd": "§ 3 ust. 1 pkt 1",
			"GD-01 > dyrektor-wydzialu-gd":                           "§ 3 ust. 1 pkt 2",
			"GD-04 > dyrektor-wydzialu-gd":                           "§ 3 ust. 1 pkt 3",
			"GD-02 > zastepca-dyrektora-ds-zasobu-gd":                "§ 3 ust. 2 pkt 1",
			"GD-03 > zastepca-dyrektora-ds-zasobu-gd":                "§ 3 ust. 2 pkt 2",
			"GD-05 > zastepca-dyrektora-ds-zasobu-gd":                "§ 3 ust. 2 pkt 3",
		})
		check(t, dutyCounts(f), map[string]int{"GD": 2, "GD-01": 4, "GD-02": 3, "GD-03": 2, "GD-04": 2, "GD-05": 3, "GD-05-1": 2})
	})
	t.Run("KM's units are § 1 ust. 2, its own scope § 1 ust. 4", func(t *testing.T) {
		f := parse(t, km).File
		check(t, unitsOf(f), map[string]string{
			"KM":    "KM|Kancelaria Magistratu|DEPARTMENT|",
			"KM-01": "KM-01|Referat Obsługi Kancelaryjnej|SECTION|KM",
			"KM-02": "KM-02|Referat Archiwum Zakładowego|SECTION|KM",
			"KM-03": "KM-03|Samodzielne stanowisko ds. Doręczeń|STANDALONE_POST|KM",
		})
		check(t, linesOf(f, org.PartOf)["KM-01 > KM"], "§ 1 ust. 2 pkt 1")
		check(t, dutyText(f, "§ 1 ust. 4 pkt 1"), "prowadzenie kancelarii ogólnej Urzędu Miasta Krakowa;")
		scope := 0
		for _, d := range f.Duties {
			if d.Unit == "KM" && !d.Common {
				scope++
			}
		}
		check(t, scope, 3)
		check(t, linesOf(f, org.ReportsTo), map[string]string{
			"zastepca-dyrektora-kancelarii-km > dyrektor-kancelarii-km": "§ 2 ust. 1 pkt 1",
			"KM-03 > dyrektor-kancelarii-km":                            "§ 2 ust. 1 pkt 2",
			"KM-01 > zastepca-dyrektora-kancelarii-km":                  "§ 2 ust. 2 pkt 1",
			"KM-02 > zastepca-dyrektora-kancelarii-km":                  "§ 2 ust. 2 pkt 2",
		})
		check(t, linesOf(f, org.CooperatesWith)["KM > komorki-organizacyjne-umk"], "§ 1 ust. 4 pkt 3")
	})
	t.Run("USC's lost § 2 is restored with a warning; its Kierownik has two deputies", func(t *testing.T) {
		f := parse(t, usc).File
		if !warned(f, "§ 2", "§ sign restored", "line 17") {
			t.Errorf("no warning for the lost § 2: %v", f.Repairs)
		}
		check(t, linesOf(f, org.PartOf)["USC-03 > USC"], "§ 2 pkt 3")
		check(t, linesOf(f, org.ReportsTo), map[string]string{
			"zastepca-kierownika-ds-rejestracji-usc > kierownik-urzedu-usc": "§ 3 ust. 1 pkt 1",
			"zastepca-kierownika-ds-akt-usc > kierownik-urzedu-usc":         "§ 3 ust. 1 pkt 2",
			"USC-04 > kierownik-urzedu-usc":                                 "§ 3 ust. 1 pkt 3",
			"USC-01 > zastepca-kierownika-ds-rejestracji-usc":               "§ 3 ust. 2 pkt 1",
			"USC-02 > zastepca-kierownika-ds-rejestracji-usc":               "§ 3 ust. 2 pkt 2",
			"USC-03 > zastepca-kierownika-ds-akt-usc":                       "§ 3 ust. 3",
		})
		for _, d := range f.Duties {
			if strings.Contains(d.Text, "Rozdział") || strings.Contains(d.Text, "Postanowienia") {
				t.Errorf("a chapter's heading is read into %s: %q", d.Provision, d.Text)
			}
		}
		check(t, taskers(f, "USC-01", "§ 4 pkt 3"), []string{"kierownik-urzedu-usc", "zastepca-kierownika-ds-rejestracji-usc"})
	})
	t.Run("WP's units, codes after an em dash normalised; its scope is the department's", func(t *testing.T) {
		f := parse(t, wp).File
		check(t, unitsOf(f), map[string]string{
			"WP":    "|Wydział Prawny|DEPARTMENT|",
			"WP-01": "WP-01|Referat Obsługi Prawnej Urzędu|SECTION|WP",
			"WP-02": "WP-02|Radcowie Prawni|STANDALONE_POST|WP",
			"WP-03": "WP-03|Referat Legislacji|SECTION|WP",
		})
		for _, w := range []string{"§ 2 pkt 1", "§ 2 pkt 2", "§ 2 pkt 3"} {
			if !warned(f, w, "Code normalised", "em dash") {
				t.Errorf("no warning for the em dash at %s: %v", w, f.Repairs)
			}
		}
		check(t, linesOf(f, org.ReportsTo), map[string]string{
			"WP-01 > dyrektor-wydzialu-wp": "§ 3 pkt 1",
			"WP-02 > dyrektor-wydzialu-wp": "§ 3 pkt 2",
			"WP-03 > dyrektor-wydzialu-wp": "§ 3 pkt 3",
		})
		for _, w := range f.Repairs {
			if strings.Contains(w.Message, "Spelling normalised") {
				t.Errorf("the units § 3 names in the instrumental are not misspelt: %v", w)
			}
		}
		check(t, dutyCounts(f)["WP"], 3)
		check(t, taskers(f, "WP", "§ 4 pkt 3"), []string{"prezydent"})
	})
	t.Run("FE's units and who reports to whom in sentences, not lists", func(t *testing.T) {
		f := parse(t, fe).File
		check(t, unitsOf(f), map[string]string{
			"FE":      "FE|Biuro Funduszy Europejskich|DEPARTMENT|",
			"FE-01":   "FE-01|Referat Programowania|SECTION|FE",
			"FE-02":   "FE-02|Referat Rozliczeń Projektów|SECTION|FE",
			"FE-02-1": "FE-02-1|Sekcja Monitoringu|TEAM|FE-02",
			"FE-03":   "FE-03|Samodzielne stanowisko ds. Kontroli Projektów|STANDALONE_POST|FE",
		})
		check(t, linesOf(f, org.ReportsTo), map[string]string{
			"zastepca-dyrektora-fe > dyrektor-biura-fe": "§ 3 ust. 1",
			"FE-01 > dyrektor-biura-fe":                 "§ 3 ust. 1",
			"FE-03 > dyrektor-biura-fe":                 "§ 3 ust. 1",
			"FE-02 > zastepca-dyrektora-fe":             "§ 3 ust. 2",
			"FE-02-1 > kierownik-referatu-fe-02":        "§ 3 ust. 3",
		})
		check(t, linesOf(f, org.Heads)["kierownik-referatu-fe-02 > FE-02"], "§ 3 ust. 3")
		check(t, len(f.Repairs), 1)
	})
}
