// Package org is orgraph's domain: the nodes of an organisation (units,
// positions, external entities), the relations between them, the duties the
// ordinance assigns, where each fact comes from, and the questions asked of
// them. It knows nothing of GraphQL or of any database.
package org

// Basis says whether the source text states a fact or it is derived.
type Basis string

const (
	// Stated facts are written in the provision they cite.
	Stated Basis = "STATED"
	// Inferred facts are derived; Provenance.Reason says how.
	Inferred Basis = "INFERRED"
)

// Provenance ties a fact to the provision of a document that gives it.
type Provenance struct {
	Document  string // the act's number, e.g. "3468/2024"
	Provision string // written the Polish way, e.g. "§ 7 pkt 2 lit. b"
	Basis     Basis
	Reason    string // why an INFERRED fact is held; empty for STATED ones
}

// NodeKind tells the three sorts of node apart.
type NodeKind string

const (
	// KindUnit is an organisational unit: a department, section, office or standalone post.
	KindUnit NodeKind = "UNIT"
	// KindPosition is a post held by one person: the President, a director, a deputy.
	KindPosition NodeKind = "POSITION"
	// KindEntity is anything else the text names: a body outside the
	// department, a group of entities, a system, a publication, a programme.
	KindEntity NodeKind = "ENTITY"
)

// Unit types, from the names the ordinance uses.
const (
	UnitDepartment     = "DEPARTMENT"      // Wydział
	UnitSection        = "SECTION"         // Referat
	UnitOffice         = "OFFICE"          // Biuro
	UnitStandalonePost = "STANDALONE_POST" // Samodzielne stanowisko
	UnitDepartament    = "DEPARTAMENT"     // Departament, the level above a Wydział
	UnitTeam           = "TEAM"            // Zespół, inside a section
)

// Node is a unit, a position or an entity.
type Node struct {
	ID   string
	Kind NodeKind
	Name string
	// Code is the unit's code as the text gives it ("KS-07"); empty when it gives none.
	Code string
	// Type refines Kind: a unit type (UnitSection, ...) or an entity category
	// (SYSTEM, PUBLICATION, ...); empty for positions.
	Type string
	// Seq orders nodes as their source lists them.
	Seq    int
	Source Provenance
}

// RelationKind names a kind of edge. Edges point from the subject of the
// sentence: a unit REPORTS_TO its superior, a position MAY_TASK a unit.
type RelationKind string

const (
	PartOf         RelationKind = "PART_OF"         // unit → the unit it belongs to
	ReportsTo      RelationKind = "REPORTS_TO"      // subordinate → superior
	Heads          RelationKind = "HEADS"           // position → the unit it heads
	CooperatesWith RelationKind = "COOPERATES_WITH" // declarer → partner
	MayTask        RelationKind = "MAY_TASK"        // position → unit it may commission tasks to
	Runs           RelationKind = "RUNS"            // unit → system, publication or programme it runs
	Serves         RelationKind = "SERVES"          // unit → body or position it serves
	Supervises     RelationKind = "SUPERVISES"      // position → unit it supervises on the merits
)

// RelationKinds lists every kind, in a stable order.
var RelationKinds = []RelationKind{PartOf, ReportsTo, Heads, CooperatesWith, MayTask, Runs, Serves, Supervises}

// Valid reports whether k is a known relation kind.
func (k RelationKind) Valid() bool {
	for _, known := range RelationKinds {
		if k == known {
			return true
		}
	}
	return false
}

// Strength of a cooperation, as the text qualifies it.
type Strength string

const (
	Close    Strength = "CLOSE"    // ścisła współpraca
	Standing Strength = "STANDING" // stała współpraca
	Plain    Strength = "PLAIN"    // współpraca
)

// Relation is one edge, as one provision states it. Two provisions stating
// the same edge make two relations.
type Relation struct {
	ID   string
	Kind RelationKind
	From string
	To   string
	// Strength, Phrase and Scope are set on COOPERATES_WITH only: how strong,
	// the words that declare it, and the scope words ("w zakresie ...").
	Strength Strength
	Phrase   string
	Scope    string
	// Duty is the id of the duty item that states the relation, if one does.
	Duty   string
	Seq    int
	Source Provenance
}

// DutyLevel tells a numbered item, a lettered sub-item and a dashed point apart.
type DutyLevel string

// Duty levels.
const (
	LevelItem   DutyLevel = "ITEM"
	LevelLetter DutyLevel = "LETTER"
	LevelDash   DutyLevel = "DASH"
)

// Duty is one item, letter or dash of a unit's scope of duties.
type Duty struct {
	ID string
	// Unit is the id of the unit whose paragraph lists it; for the common
	// duties of all internal units (§ 11) it is the department.
	Unit string
	// Common marks duties that every internal unit holds.
	Common bool
	Level  DutyLevel
	Number string // "7", "b", "1"
	Parent string // the id of the enclosing item or letter; empty for items
	Text   string // the Polish text as the ordinance writes it, lines joined
	Seq    int
	Source Provenance
}

// Document is a legal act the graph was built from.
type Document struct {
	ID         string // "3468/2024"
	Title      string
	Issuer     string
	Date       string // YYYY-MM-DD
	Effective  string // YYYY-MM-DD
	LegalBasis string
	Signatory  string
	Repeals    []string
	File       string // the text's file name in seed/
	Text       string
	Repairs    []Repair
}

// Repair records where the stored text departs from the extracted text, or
// where it was doubted.
type Repair struct {
	Where   string // a provision or a line of the text
	Message string
}

// Graph is a whole organisation, as loaded into a store.
type Graph struct {
	Documents []Document
	Nodes     []Node
	Relations []Relation
	Duties    []Duty
	// Retire names acts whose facts a load takes out first, but for those
	// the graph states again (Supersede): the acts a newly imported act
	// supersedes. Empty for any other graph.
	Retire []string
}

// Link is one step of a path: a relation walked in either direction.
type Link struct {
	Relation Relation
	// Reversed is set when the walk went against the relation's direction.
	Reversed bool
}

// Path is a walk through the graph: len(Links) == len(Nodes)-1.
type Path struct {
	Nodes []Node
	Links []Link
}

// Subordinate is a node below another in the reporting lines.
type Subordinate struct {
	Node  Node
	Depth int // 1 for direct subordinates
	// Superior is the id of the node it reports to directly.
	Superior string
}

// SearchHit is one node or duty whose text matches a search.
type SearchHit struct {
	Node *Node // set when a node's name matched
	Duty *Duty // set when a duty's text matched
}
