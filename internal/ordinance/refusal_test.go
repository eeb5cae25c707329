package ordinance_test

import (
	"context"
	"math/rand"
	"strings"
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/ordinance"
	"github.com/orgraph/orgraph/internal/org"
)

// A unit's page on the City's site, as a user might paste it.
const unitPage = `Wydział Geodezji
Urząd Miasta Krakowa
ul. Grunwaldzka 8, 31-524 Kraków
tel. 12 616 96 00, e-mail: gd.umk@um.krakow.pl
Dyrektor Wydziału: Anna Nowak
Wydział prowadzi państwowy zasób geodezyjny i kartograficzny, wydaje wypisy z ewidencji gruntów
i budynków oraz uzgadnia usytuowanie projektowanych sieci uzbrojenia terenu.
Godziny pracy: poniedziałek–piątek 7:30–15:30.`

// An article, with no unit in it.
const article = `Nad Małopolską przejdą w czwartek burze z gradem. Synoptycy zapowiadają, że po południu
temperatura spadnie o kilka stopni, a wiatr w porywach osiągnie 70 km/h. W weekend ma się
wypogodzić: w sobotę słonecznie, w niedzielę do 24 stopni.`

func junk(seed int64, n int) string {
	rng := rand.New(rand.NewSource(seed))
	b := make([]byte, n)
	rng.Read(b)
	return string(b)
}

// TestWhatIsNotAnOrdinanceIsRefusedSayingWhy: a text that is not an
// organisational ordinance is EINVALID (BAD_USER_INPUT over GraphQL), the
// message says what was expected and what was found, and Load writes
// nothing.
func TestWhatIsNotAnOrdinanceIsRefusedSayingWhy(t *testing.T) {
	for _, tc := range []struct{ name, text, found string }{
		{"a unit's web page", unitPage, "no act number and no unit list: this looks like a page describing one unit"},
		{"an article", article, "this looks like an article or other prose"},
		{"an empty text", "", "the text is empty"},
		{"blank lines", " \n\n\t\n", "the text is empty"},
		{"binary junk", junk(1, 4096), "binary data"},
		{"a PNG file", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + junk(2, 512), "binary data"},
		{"a PDF file", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n" + junk(3, 256), "a PDF file, not its text: extract the text first"},
		{"a Word file", "PK\x03\x04\x14\x00\x06\x00" + junk(4, 256), "save the document as plain text"},
		{"a unit's page in HTML", "<html><body><h1>Wydział Geodezji</h1><p>ul. Grunwaldzka 8</p><p>tel. 12 616 96 00</p></body></html>", "this looks like a page describing one unit"},
		{"a UTF-8 text with control bytes", strings.Repeat("ab\x00\x01\x02", 100), "binary data"},
		{"an act with no list of units", "ZARZĄDZENIE NR 1/2025\nPREZYDENTA MIASTA KRAKOWA\nz dnia 2 stycznia 2025 r.\n§ 1. Zarządzenie wchodzi w życie z dniem podpisania.\n", "no list of units"},
		{"paragraphs with no act number", "§ 1. Wydziałem Sportu kieruje Dyrektor.\n§ 2. W skład Wydziału wchodzą: 1) Referat Sportu – SP-01.\n", "no act number"},
		{"a unit's page quoting a paragraph", unitPage + "\nWydział działa na podstawie § 5 Regulaminu Organizacyjnego. § 6. Zmiany ogłasza się w BIP.", "this looks like a page describing one unit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ordinance.Parse("x.txt", tc.text)
			if org.ErrorCode(err) != org.EINVALID {
				t.Fatalf("got %v (%v), want %v", org.ErrorCode(err), err, org.EINVALID)
			}
			msg := org.ErrorMessage(err)
			for _, want := range []string{"not an organisational ordinance", tc.found, "expected"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q does not say %q", msg, want)
				}
			}
			store := memstore.New()
			if _, err := ordinance.Load(context.Background(), store, "x.txt", tc.text, false); org.ErrorCode(err) != org.EINVALID {
				t.Errorf("Load: got %v, want EINVALID", err)
			}
			if docs, err := store.FindDocuments(context.Background()); err != nil || len(docs) != 0 {
				t.Errorf("Load wrote %d documents (%v), want none", len(docs), err)
			}
		})
	}
}
