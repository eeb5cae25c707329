package ordinance

import (
	"fmt"

	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/seed"
)

// facts is stage 5: what the act states, read from its provisions (stage
// 3, with the roles of stage 4) in a city's vocabulary: the units and the
// department (units.go), the positions and who reports to whom
// (reporting.go), the duties and the relations their items state
// (duties.go), with the warnings the reading raises.
type facts struct {
	// The input: the provisions with their roles, the city's vocabulary,
	// the file's name (for a refusal) and the act's title, which names
	// the department when no paragraph does.
	*provisions
	city        *Vocabulary
	name, title string

	dept          *unit
	units         []*unit // the department first, then the list's order
	byCode        map[string]*unit
	typeGenitive  string // "Wydziału": how the text names the department in short
	deputiesSaid  int    // how many deputies § 1 gives the head; -1 when it does not say
	deputies      []*position
	director      *position
	positions     map[string]*position
	positionOrder []string
	entities      []*entity
	entityByID    map[string]*entity
	mentioned     map[string]mentionAt // entity id → its first mention in the duties
	vocab         *termSet             // the city's terms and the act's names

	relations []seed.RelationJSON
	relSeen   map[string]bool
	duties    []seed.DutyJSON
	// settled holds the items whose ending a more specific warning explains.
	settled  map[*node]bool
	warnings []warning
}

// readFacts reads the facts of an act from its provisions: the units
// before the head, whose ids need the units' codes; the names of the
// units compared across the text before the terms are built from them;
// the positions before the duties that task and cooperate. It fails only
// when the act lists no unit.
func readFacts(city *Vocabulary, name, title string, pr *provisions) (*facts, error) {
	f := &facts{
		provisions: pr,
		city:       city,
		name:       name,
		title:      title,
		byCode:     map[string]*unit{},
		positions:  map[string]*position{},
		entityByID: map[string]*entity{},
		mentioned:  map[string]mentionAt{},
		relSeen:    map[string]bool{},
		vocab:      &termSet{},
		settled:    map[*node]bool{},
	}
	if err := f.unitList(); err != nil {
		return nil, err
	}
	f.head()
	f.collectMentions()
	f.reconcileNames()
	f.buildVocabulary()
	f.reporting()
	f.deputyMembership()
	f.dutyParagraphs()
	return f, nil
}

// warnAt records a warning of stage 5 that arises at line index i.
func (f *facts) warnAt(i int, where, format string, args ...any) {
	f.warnings = append(f.warnings, warning{line: i, where: where, message: fmt.Sprintf(format, args...)})
}

type unit struct {
	id, code, name, typ, provision string
	parent                         *unit
	node                           *node // its item in the list of units
	mentions                       []mention
	typo                           string // the unit type as the text misspelt it
}

// mention is a place other than the list of units that names a unit.
type mention struct {
	provision, text string
	genitive        bool // a heading "Do zakresu działania Referatu …"
}

type position struct {
	id, name, provision string
	shared              bool
	used                bool
}

func (p *position) json() seed.NodeJSON {
	return seed.NodeJSON{ID: p.id, Name: p.name, Provision: p.provision, Basis: string(org.Stated)}
}

type entity struct {
	id, name, category, provision string
	order                         int
}

type mentionAt struct {
	provision string
	order     int
}
