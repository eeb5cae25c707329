// Package orggen generates random but valid organisations, large enough to
// tell two stores apart where the seed is too small to: deep reporting
// lines, dense cooperation, duties in Polish with diacritics.
package orggen

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/orgraph/orgraph/internal/org"
)

// Document is the id of the one document a generated graph cites.
const Document = "GEN/1"

// Vocabulary is the words duty texts and names are drawn from: the commonest
// words of the seed's duties, so that searches hit as they would there.
var Vocabulary = strings.Fields(`
	miasta krakowa prezydenta oraz wydziału informacji przez współpraca miejskich
	zakresie prowadzenie urzędu promocyjnych zadań dyrektora organizacyjnymi
	materiałów działań innych realizacja zastępców polityki wykonywanie
	organizacyjnych informacyjnych związanych zleconych koordynacja
	przygotowywanie udział informacyjnej prasowych ścisła mediów promocji
	komórkami opracowywanie projektów publicznej miejskiej jednostek kampanii
	obsługa kraków rzecznikiem publikowanie elektronicznej współpracy ewidencji
	realizacji publicznych planów pracowników nadzór spraw przedsięwzięć
	zewnętrznych platformy marki budżetu zamówień sprawozdań zarządzeń poleceń
	służbowych działalności biuletynie przekazywanie spółek przepływu medialnej
	magistratu organizowanie spotkaniach dziennikarzami wydarzeniach mediach
	monitorowanie bieżąca zarządzanie internetowej zespołów graficznych
	wyprawki korespondencji pisemnej rozliczeń sporządzanie dokumentacji umów
	zleceń dokumentów bezpieczeństwa magazynów komunikacji gminy konferencji
	towarzyszenie autoryzacja wywiadów archiwizowanie reagowanie sytuacjach
	kryzysowych redakcja aktualizacja portalu informowanie wizualnej
	identyfikacji beneficjentów reklamowymi krakowskiej wsparcie partnerów
	marketingowych koncepcji organizacja kreatywnych tekstów dwutygodnika
	sprawozdawczości faktur procedur weryfikacja pełnomocnictw stała
	dystrybucja analiz gospodarowanie mieniem majątku trwałego archiwum
	szkoleniach strategii służby sprostowań dyżurów sesji społecznościowych
	patronatem źródeł żądań świadczenie łączności
`)

var unitTypes = []string{org.UnitSection, org.UnitSection, org.UnitSection, org.UnitOffice, org.UnitStandalonePost}

var entityTypes = []string{"SYSTEM", "PUBLICATION", "PROGRAMME", "BODY", "GROUP", "RESOURCE"}

var strengths = []org.Strength{org.Close, org.Standing, org.Plain}

// Generate returns an organisation of about units units, with a tenth as
// many positions and a fifth as many entities: reporting lines forming a
// forest (each node reports to at most one node created before it), PART_OF
// alongside them, cooperation dense enough that a graph of 2,000 units holds
// more than 20,000 relations, tasking, heads, runs and serves, and three to
// six duties per unit with letters and dashes. The same seed gives the same
// graph. Seq values repeat now and then, and ids do not follow Seq, so that
// every tie-break of the Store contract is exercised.
func Generate(seed int64, units int) *org.Graph {
	g := &gen{rnd: rand.New(rand.NewPCG(uint64(seed), 0x6f7267)), graph: &org.Graph{}}
	g.graph.Documents = []org.Document{{
		ID: Document, Title: fmt.Sprintf("Generated organisation %d", seed), Issuer: "orggen",
		Date: "2025-01-01", Effective: "2025-01-01",
	}}
	units = max(units, 1)
	positions := max(units/10, 1)
	entities := max(units/5, 1)

	// Nodes get ids from a shuffled numbering, so that id order differs from
	// Seq. Positions come first: they head the reporting lines.
	ids := g.rnd.Perm(units + positions + entities)
	var unitIDs, positionIDs, entityIDs []string
	for i := range positions {
		id := fmt.Sprintf("p%05d", ids[i])
		positionIDs = append(positionIDs, id)
		g.node(org.Node{ID: id, Kind: org.KindPosition, Name: "Dyrektor " + g.words(1, 3)})
	}
	for i := range units {
		id := fmt.Sprintf("u%05d", ids[positions+i])
		unitIDs = append(unitIDs, id)
		g.node(org.Node{
			ID: id, Kind: org.KindUnit, Name: "Referat " + g.words(2, 4), Code: fmt.Sprintf("G-%05d", i),
			Type: unitTypes[g.rnd.IntN(len(unitTypes))],
		})
	}
	for i := range entities {
		id := fmt.Sprintf("e%05d", ids[units+positions+i])
		entityIDs = append(entityIDs, id)
		g.node(org.Node{
			ID: id, Kind: org.KindEntity, Name: "Platforma " + g.words(1, 3),
			Type: entityTypes[g.rnd.IntN(len(entityTypes))],
		})
	}

	// Reporting: positions form the top of the forest, units hang below them
	// and below one another; a node only ever reports to one created before
	// it, so there is no cycle. About one position in five heads a tree of
	// its own.
	line := append(append([]string{}, positionIDs...), unitIDs...)
	for i, id := range line {
		if i == 0 || (i < len(positionIDs) && g.rnd.IntN(5) == 0) {
			continue
		}
		to := line[g.rnd.IntN(i)]
		g.relation(org.Relation{Kind: org.ReportsTo, From: id, To: to})
		if i >= len(positionIDs) && to[0] == 'u' {
			g.relation(org.Relation{Kind: org.PartOf, From: id, To: to})
		}
	}
	for _, p := range positionIDs {
		g.relation(org.Relation{Kind: org.Heads, From: p, To: g.pick(unitIDs)})
	}

	// Cooperation: eight partners per unit, among units and entities; now
	// and then twice with the same partner, as two provisions would state it.
	partners := append(append([]string{}, unitIDs...), entityIDs...)
	for _, u := range unitIDs {
		for range 8 {
			to := g.pick(partners)
			if to == u {
				continue
			}
			r := org.Relation{
				Kind: org.CooperatesWith, From: u, To: to, Strength: strengths[g.rnd.IntN(len(strengths))],
				Phrase: "współpraca z " + g.words(1, 2), Scope: "w zakresie " + g.words(2, 5),
			}
			g.relation(r)
			if g.rnd.IntN(30) == 0 {
				g.relation(r)
			}
		}
	}
	for _, u := range unitIDs {
		g.relation(org.Relation{Kind: org.MayTask, From: g.pick(positionIDs), To: u})
	}
	for _, e := range entityIDs {
		g.relation(org.Relation{Kind: org.Runs, From: g.pick(unitIDs), To: e})
		if g.rnd.IntN(2) == 0 {
			g.relation(org.Relation{Kind: org.Serves, From: g.pick(unitIDs), To: g.pick(positionIDs)})
		}
	}
	for _, u := range unitIDs {
		g.duties(u)
	}
	return g.graph
}

type gen struct {
	rnd   *rand.Rand
	graph *org.Graph
	seq   int
	rels  int
}

// next returns the next Seq; one in twenty repeats the last.
func (g *gen) next() int {
	if g.seq == 0 || g.rnd.IntN(20) != 0 {
		g.seq++
	}
	return g.seq
}

func (g *gen) source(provision string) org.Provenance {
	if g.rnd.IntN(10) == 0 {
		return org.Provenance{Document: Document, Provision: provision, Basis: org.Inferred, Reason: "wygenerowane: " + g.words(2, 4)}
	}
	return org.Provenance{Document: Document, Provision: provision, Basis: org.Stated}
}

func (g *gen) node(n org.Node) {
	n.Seq = g.next()
	n.Source = g.source(fmt.Sprintf("§ %d", n.Seq))
	g.graph.Nodes = append(g.graph.Nodes, n)
}

// relation adds r with an id that does not follow Seq: the counter's digits
// reversed.
func (g *gen) relation(r org.Relation) {
	g.rels++
	digits := []byte(fmt.Sprintf("%07d", g.rels))
	for i, j := 0, len(digits)-1; i < j; i, j = i+1, j-1 {
		digits[i], digits[j] = digits[j], digits[i]
	}
	r.ID = "r" + string(digits)
	r.Seq = g.next()
	r.Source = g.source(fmt.Sprintf("§ %d ust. %d", r.Seq, g.rnd.IntN(3)+1))
	g.graph.Relations = append(g.graph.Relations, r)
}

// duties adds three to six items to unit u; one in four has lettered
// sub-items, and one lettered sub-item in three has dashed points.
func (g *gen) duties(u string) {
	add := func(level org.DutyLevel, number, parent, id string) string {
		seq := g.next()
		g.graph.Duties = append(g.graph.Duties, org.Duty{
			ID: id, Unit: u, Level: level, Number: number, Parent: parent, Common: g.rnd.IntN(25) == 0,
			Text: g.words(4, 14) + ";", Seq: seq, Source: g.source(strings.TrimPrefix(id, u+" ")),
		})
		return id
	}
	for item := range 3 + g.rnd.IntN(4) {
		itemID := add(org.LevelItem, fmt.Sprint(item+1), "", fmt.Sprintf("%s pkt %d", u, item+1))
		if g.rnd.IntN(4) != 0 {
			continue
		}
		for l := range 1 + g.rnd.IntN(3) {
			letter := string(rune('a' + l))
			letterID := add(org.LevelLetter, letter, itemID, itemID+" lit. "+letter)
			if g.rnd.IntN(3) != 0 {
				continue
			}
			for d := range 1 + g.rnd.IntN(2) {
				add(org.LevelDash, fmt.Sprint(d+1), letterID, fmt.Sprintf("%s tiret %d", letterID, d+1))
			}
		}
	}
}

func (g *gen) word() string { return Vocabulary[g.rnd.IntN(len(Vocabulary))] }

// words returns between lo and hi words of the vocabulary, joined by spaces.
func (g *gen) words(lo, hi int) string {
	n := lo + g.rnd.IntN(hi-lo+1)
	w := make([]string, n)
	for i := range w {
		w[i] = g.word()
	}
	return strings.Join(w, " ")
}

func (g *gen) pick(ids []string) string { return ids[g.rnd.IntN(len(ids))] }
