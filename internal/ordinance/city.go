package ordinance

import (
	"strings"

	"github.com/orgraph/orgraph/internal/org"
)

// Vocabulary is what the importer knows of one city's acts, in one value:
// who issues them and what their subject says, the kinds of office a
// department is, the unit types and post titles a list of units uses, the
// titles of heads and deputies, the City's officials and the bodies
// outside the department that units work with, the phrases that name
// groups of units, and the words of dates and counts. Another city's acts
// need another Vocabulary, not a fork of the parser (ParseWith); a copy of
// Krakow with some fields replaced is one.
type Vocabulary struct {
	// Issuers maps an issuer's title in the genitive, as the heading
	// writes it ("Prezydenta Miasta Krakowa"), to the nominative.
	Issuers map[string]string
	// Offices are the kinds of department, in the cases the acts use.
	Offices []Office
	// UnitTypes are the words that open a unit's name, longest first.
	UnitTypes []UnitType
	// Officials are the City's officials above every department, in order
	// of rank: one node each, shared by every act that names them.
	Officials []Official
	// Partners are the bodies, roles and groups outside the department that
	// an act may name as partners; each keeps one id across acts.
	Partners []Partner
	// Months are the genitive month names of dates, with their numbers.
	Months map[string]string
	// Counts are the number words of "przy pomocy dwóch Zastępców".
	Counts map[string]int
	// Subject is what the subject of an organisational ordinance speaks
	// of: "w sprawie podziału na wewnętrzne komórki organizacyjne …".
	Subject string
	// Head is the title of a department's head when the act names none;
	// UnitHead the title of a unit's head ("Kierownikowi Referatu …");
	// Deputy the title of a head's deputy ("przy pomocy Zastępcy").
	Head, UnitHead, Deputy Title
	// OtherUnits and OtherSections are the patterns of "(innymi)
	// komórkami organizacyjnymi" and "(pozostałymi) referatami": followed
	// by the department's short name, every unit but the one that speaks,
	// and every section but it.
	OtherUnits, OtherSections string
	// UnitWords is the pattern of the words (an office, a unit type, a
	// post) that tell a text about a unit, when the text is not an act.
	UnitWords string
}

// Title is a post's title: its nominative ("Zastępca"), its genitive
// singular ("Zastępcy"), the stem all its forms share ("Zastęp"), the
// pattern of its plural forms but the nominative ("Zastęp(?:ców|cami|com)"),
// and its name in English for messages ("Director"). The parser reads of
// Head the Nominative and English, of UnitHead the Nominative and Stem, of
// Deputy all but English; a title without its Stem is never matched.
type Title struct {
	Nominative, Genitive, Stem, Plural, English string
}

// Office is a kind of department: "Wydział", "Wydziału", "Wydziałem".
// Gender ('m', 'f', 'n') declines the adjectives of its name back to the
// nominative ("Wydziałem Prawnym" → "Wydział Prawny").
type Office struct {
	Nominative, Genitive, Instrumental string
	Gender                             byte
}

// UnitType is a phrase that opens a unit's name and the type it gives:
// "Referat" a SECTION, "Główny Specjalista" a STANDALONE_POST.
type UnitType struct {
	Phrase, Type string
}

// Official is one of the City's officials: its id, its name, and the
// pattern of its title in any case.
type Official struct {
	ID, Name, Pattern string
}

// Partner is a body outside the department, with its category (BODY,
// GROUP, ROLE, SYSTEM, PUBLICATION, ORGANISATION) and the pattern of its
// name in any case.
type Partner struct {
	ID, Name, Category, Pattern string
}

// Krakow is the vocabulary of the ordinances of Kraków City Hall.
var Krakow = &Vocabulary{
	Issuers: map[string]string{
		"Prezydenta Miasta Krakowa": "Prezydent Miasta Krakowa",
	},
	Offices: []Office{
		{"Wydział", "Wydziału", "Wydziałem", 'm'},
		{"Biuro", "Biura", "Biurem", 'n'},
		{"Kancelaria", "Kancelarii", "Kancelarią", 'f'},
		{"Departament", "Departamentu", "Departamentem", 'm'},
		{"Urząd", "Urzędu", "Urzędem", 'm'},
		{"Zarząd", "Zarządu", "Zarządem", 'm'},
		{"Centrum", "Centrum", "Centrum", 'n'},
	},
	UnitTypes: []UnitType{
		{"Samodzielne wieloosobowe stanowisko", org.UnitStandalonePost},
		{"Wieloosobowe stanowisko", org.UnitStandalonePost},
		{"Samodzielne stanowisko", org.UnitStandalonePost},
		{"Samodzielne stanowiska", org.UnitStandalonePost},
		{"Główny Specjalista", org.UnitStandalonePost},
		{"Główni Specjaliści", org.UnitStandalonePost},
		{"Starszy Specjalista", org.UnitStandalonePost},
		{"Pełnomocnik", org.UnitStandalonePost},
		{"Audytor Wewnętrzny", org.UnitStandalonePost},
		{"Radca Prawny", org.UnitStandalonePost},
		{"Radcowie Prawni", org.UnitStandalonePost},
		{"Referat", org.UnitSection},
		{"Biuro", org.UnitOffice},
		{"Zespół", org.UnitTeam},
		{"Sekcja", org.UnitTeam},
		{"Stanowisko", org.UnitStandalonePost},
		{"Stanowiska", org.UnitStandalonePost},
	},
	Officials: []Official{
		{"prezydent", "Prezydent Miasta Krakowa", `Prezydent\pL*(?:\s+Miasta(?:\s+Krakowa)?)?`},
		{"zastepca-prezydenta", "Zastępca Prezydenta Miasta Krakowa", `(?:właściw\pL*\s+)?Zastęp\pL*\s+Prezydent\pL*(?:\s+Miasta(?:\s+Krakowa)?)?`},
		{"skarbnik-miasta", "Skarbnik Miasta Krakowa", `Skarbnik\pL*(?:\s+Miasta(?:\s+Krakowa)?)?`},
		{"sekretarz-miasta", "Sekretarz Miasta Krakowa", `Sekretarz\pL*(?:\s+Miasta(?:\s+Krakowa)?)?`},
	},
	Partners: []Partner{
		{"administrator-bip", "administrator Biuletynu Informacji Publicznej", "ROLE", `administrator\pL*\s+(?:Biuletyn\pL*(?:\s+Informacji\s+Publicznej)?|BIP)`},
		{"administrator-mpi", "administrator serwisu Miejskiej Platformy Internetowej", "ROLE", `administrator\pL*\s+serwis\pL*\s+(?:Miejskiej\s+Platformy\s+Internetowej|MPI)`},
		{"komorki-organizacyjne-umk", "komórki organizacyjne Urzędu Miasta Krakowa", "GROUP", `(?:(?:inn|pozostał|wszystki)\pL*\s+)?komór\pL*\s+organizacyjn\pL*\s+(?:Urzędu\s+Miasta\s+Krakowa|UMK)`},
		{"miejskie-jednostki-organizacyjne", "miejskie jednostki organizacyjne", "GROUP", `miejsk\pL*\s+jednost\pL*\s+organizacyjn\pL*`},
		{"spolki-komunalne", "spółki komunalne", "GROUP", `spół\pL*\s+komunaln\pL*`},
		{"rzecznicy-miejskich-jednostek", "rzecznicy miejskich jednostek organizacyjnych", "GROUP", `rzeczni\pL*\s+miejskich\s+jednostek\s+organizacyjnych`},
		{"asystenci-zastepcow-prezydenta", "asystenci Zastępców Prezydenta", "GROUP", `asystent\pL*\s+Zastęp\pL*\s+Prezydent\pL*(?:\s+Miasta(?:\s+Krakowa)?)?`},
		{"kancelaria-prezydenta", "Kancelaria Prezydenta", "ORGANISATION", `Kancelari\pL*\s+Prezydent\pL*(?:\s+Miasta(?:\s+Krakowa)?)?`},
		{"zespol-zarzadzania-kryzysowego", "Zespół Zarządzania Kryzysowego Miasta Krakowa", "BODY", `Zesp[oó]\pL*\s+Zarządzania\s+Kryzysowego(?:\s+Miasta(?:\s+Krakowa)?)?`},
		{"rada-miasta-krakowa", "Rada Miasta Krakowa", "BODY", `Rad\pL*\s+Miasta\s+Krakowa`},
		{"komisje-rady-miasta-krakowa", "Komisje Rady Miasta Krakowa", "BODY", `Komisj\pL*\s+Rady\s+Miasta\s+Krakowa`},
		{"instytucje-zewnetrzne", "instytucje zewnętrzne", "GROUP", `(?:przedstawiciel\pL*\s+)?instytucj\pL*\s+zewnętrzn\pL*`},
		{"media-miejskie", "media miejskie", "PUBLICATION", `medi(?:a|ów|om|ami|ach)\s+miejsk\pL*`},
		{"media-spolecznosciowe", "media społecznościowe", "SYSTEM", `medi(?:a|ów|om|ami|ach)\s+społecznościow\pL*`},
		{"media", "media", "GROUP", `medi(?:a|ów|om|ami|ach)`},
		{"agencje-reklamowe", "agencje reklamowe", "GROUP", `agencj\pL*\s+reklamow\pL*`},
		{"domy-mediowe", "domy mediowe", "GROUP", `dom(?:y|ów|ami|om|ach)\s+mediow\pL*`},
		{"zewnetrzni-organizatorzy-wydarzen", "zewnętrzni organizatorzy wydarzeń współfinansowanych przez Miasto", "GROUP", `zewnętrzn\pL*\s+organizator\pL*\s+wydarzeń`},
		{"dziennikarze", "dziennikarze", "GROUP", `dziennikar\pL*`},
		{"mieszkancy", "mieszkańcy", "GROUP", `mieszkańc\pL*`},
	},
	Months: map[string]string{
		"stycznia": "01", "lutego": "02", "marca": "03", "kwietnia": "04", "maja": "05", "czerwca": "06",
		"lipca": "07", "sierpnia": "08", "września": "09", "października": "10", "listopada": "11", "grudnia": "12",
	},
	Counts: map[string]int{
		"jednego": 1, "dwóch": 2, "dwoch": 2, "trzech": 3, "czterech": 4, "pięciu": 5,
	},
	Subject:       "wewnętrzne komórki organizacyjne",
	Head:          Title{Nominative: "Dyrektor", English: "Director"},
	UnitHead:      Title{Nominative: "Kierownik", Stem: "Kierownik"},
	Deputy:        Title{Nominative: "Zastępca", Genitive: "Zastępcy", Stem: "Zastęp", Plural: `Zastęp(?:ców|cami|com)`},
	OtherUnits:    `(?:(?:inn|pozostał|wszystki)\pL*\s+)?(?:wewnętrzn\pL*\s+)?komór\pL*\s+organizacyjn\pL*`,
	OtherSections: `(?:(?:inn|pozostał)\pL*\s+)?referat\pL*`,
	UnitWords:     `wydział|referat|biur|kancelari|urz[ąę]d|zesp[oó]ł|stanowisk|kierownik|dyrektor`,
}

// office returns the kind of department a word names in any of its cases.
func (v *Vocabulary) office(word string) (Office, bool) {
	for _, o := range v.Offices {
		for _, form := range []string{o.Nominative, o.Genitive, o.Instrumental} {
			if strings.EqualFold(form, word) {
				return o, true
			}
		}
	}
	return Office{}, false
}

// officeNames lists the kinds of department for a message.
func (v *Vocabulary) officeNames() string {
	var out []string
	for _, o := range v.Offices {
		out = append(out, o.Nominative)
	}
	return strings.Join(out, ", ")
}

// typeNames lists the unit types for a message.
func (v *Vocabulary) typeNames() string {
	var out []string
	for _, t := range v.UnitTypes {
		out = append(out, t.Phrase)
	}
	return strings.Join(out, ", ")
}
