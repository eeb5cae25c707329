package org

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The history of the structure comes from the acts themselves: an act's
// facts hold from its entry into force until the entry into force of the
// act that supersedes it, one that repeals it or a later act of the same
// department. The baseline holds the acts in force today; the acts that
// are not are kept as documents, with their text, and a past day's
// structure is read from the texts of the acts in force on that day.

// ActReader reads the facts an act states from its stored text: the
// importer, which cmd wires (the domain knows no parser).
type ActReader func(ctx context.Context, d Document) (*Graph, error)

// DayLayout is how a day is written: an ISO date.
const DayLayout = "2006-01-02"

// CheckDay returns EINVALID unless day is an ISO date ("2024-06-01").
func CheckDay(day string) error {
	if _, err := time.Parse(DayLayout, day); err != nil {
		return Errorf(EINVALID, "%q is not a date: write it as 2024-06-01", clip(day, 40))
	}
	return nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// Today is the day the service's clock says, in UTC.
func (s *Service) Today() string { return s.now().Format(DayLayout) }

// Period is when an act is in force: from From (its entry into force)
// until Until (exclusive; "" while nothing supersedes it).
type Period struct {
	Document     Document
	Department   string // the id of the department the act organises; "" when it names none
	From, Until  string
	SupersededBy string // the act whose entry into force ends this one's
}

// InForceOn reports whether the act is in force on day.
func (p Period) InForceOn(day string) bool {
	return p.From != "" && p.From <= day && (p.Until == "" || day < p.Until)
}

// isAct tells an act from the other documents a graph may hold (a
// scenario's, say): an act has a text and a date.
func isAct(d Document) bool {
	return d.Text != "" && (d.Effective != "" || d.Date != "")
}

// periods works out when each act of docs is in force. dept names the
// department each act organises.
func periods(docs []Document, dept func(Document) string) []Period {
	var out []Period
	for _, d := range docs {
		if !isAct(d) {
			continue
		}
		out = append(out, Period{Document: d, Department: dept(d), From: cmp.Or(d.Effective, d.Date)})
	}
	slices.SortFunc(out, func(a, b Period) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.Document.ID, b.Document.ID))
	})
	for i := range out {
		p := &out[i]
		for _, q := range out {
			repeals := slices.Contains(q.Document.Repeals, p.Document.ID)
			later := p.Department != "" && q.Department == p.Department && q.From > p.From
			if q.Document.ID == p.Document.ID || q.From == "" || !repeals && !later {
				continue
			}
			if p.Until == "" || q.From < p.Until {
				p.Until, p.SupersededBy = q.From, q.Document.ID
			}
		}
	}
	return out
}

// departmentOf is the id of the first department (a Wydział) an act's
// graph names.
func departmentOf(g *Graph) string {
	for _, n := range g.Nodes {
		if n.Kind == KindUnit && n.Type == UnitDepartment {
			return n.ID
		}
	}
	return ""
}

// act reads an act's graph, kept while its text is the same.
func (s *Service) act(ctx context.Context, d Document) (*Graph, error) {
	if s.Acts == nil {
		return nil, Errorf(EINVALID, "this server reads no past acts")
	}
	sum := sha256.Sum256([]byte(d.Text))
	return s.cache().act(d.ID+" "+hex.EncodeToString(sum[:12]), func() (*Graph, error) {
		g, err := s.Acts(ctx, d)
		if err != nil {
			return nil, Errorf(ErrorCodeOr(err, EINTERNAL), "act %s: %s", d.ID, ErrorMessageOr(err))
		}
		return g, nil
	})
}

// Periods returns when each act the graph holds is in force, ordered by
// entry into force, then id.
func (s *Service) Periods(ctx context.Context) ([]Period, error) {
	docs, err := s.Store.FindDocuments(ctx)
	if err != nil {
		return nil, err
	}
	return s.periodsOf(ctx, docs, nil)
}

// periodsOf is periods over docs and the acts extra (being imported,
// their graphs at hand), which replace stored documents of the same id.
func (s *Service) periodsOf(ctx context.Context, docs []Document, extra []*Graph) ([]Period, error) {
	depts := map[string]string{}
	docs = slices.Clone(docs)
	for _, g := range extra {
		d := g.Documents[0]
		depts[d.ID] = departmentOf(g)
		docs = append(slices.DeleteFunc(docs, func(x Document) bool { return x.ID == d.ID }), d)
	}
	for _, d := range docs {
		if _, ok := depts[d.ID]; ok || !isAct(d) || s.Acts == nil {
			continue
		}
		g, err := s.act(ctx, d)
		if err != nil {
			return nil, err
		}
		depts[d.ID] = departmentOf(g)
	}
	return periods(docs, func(d Document) string { return depts[d.ID] }), nil
}

func inForce(ps []Period, day string) []Period {
	var out []Period
	for _, p := range ps {
		if p.InForceOn(day) {
			out = append(out, p)
		}
	}
	return out
}

func sameActs(a, b []Period) bool {
	return slices.EqualFunc(a, b, func(x, y Period) bool { return x.Document.ID == y.Document.ID })
}

// held lists the acts for a message: "1102/2023 (in force 2023-05-01 to
// 2025-07-01), 1502/2025 (from 2025-07-01)".
func held(ps []Period) string {
	if len(ps) == 0 {
		return "no act"
	}
	parts := make([]string, len(ps))
	for i, p := range ps {
		switch {
		case p.From == "":
			parts[i] = p.Document.ID + " (no date of entry into force)"
		case p.Until == "":
			parts[i] = fmt.Sprintf("%s (from %s)", p.Document.ID, p.From)
		default:
			parts[i] = fmt.Sprintf("%s (in force %s to %s)", p.Document.ID, p.From, p.Until)
		}
	}
	return strings.Join(parts, ", ")
}

// structureOn is the graph of the acts in force on day: the facts each
// states, merged in the order of their entry into force (for a post two
// departments' acts name, the newer act's words).
func (s *Service) structureOn(ctx context.Context, acts []Period) (*Graph, Store, error) {
	ids := make([]string, len(acts))
	for i, p := range acts {
		ids[i] = p.Document.ID
	}
	type structure struct {
		g     *Graph
		store Store
	}
	st, err := kept(ctx, s, "acts "+strings.Join(ids, ","), func() (structure, error) {
		g := &Graph{}
		for _, p := range acts {
			ag, err := s.act(ctx, p.Document)
			if err != nil {
				return structure{}, err
			}
			g = Upsert(g, ag)
		}
		groupByDepartment(g)
		if s.Overlay == nil {
			return structure{}, Errorf(EINVALID, "this store answers for today only")
		}
		store, err := s.Overlay(ctx, g)
		return structure{g, store}, err
	})
	return st.g, st.store, err
}

// AsOf returns a service that answers with the structure in force on day:
// the service itself when the acts in force then are those in force
// today. ENOTFOUND when no act was in force on day, naming the acts the
// graph holds.
func (s *Service) AsOf(ctx context.Context, day string) (*Service, error) {
	if err := CheckDay(day); err != nil {
		return nil, err
	}
	ps, err := s.Periods(ctx)
	if err != nil {
		return nil, err
	}
	then := inForce(ps, day)
	if len(then) == 0 {
		return nil, Errorf(ENOTFOUND, "no act in force on %s; the graph holds %s", day, held(ps))
	}
	if sameActs(then, inForce(ps, s.Today())) {
		return s, nil
	}
	_, store, err := s.structureOn(ctx, then)
	if err != nil {
		return nil, err
	}
	return &Service{Store: store, Acts: s.Acts, Clock: s.Clock}, nil
}

// retired is what importing an act in force today takes out of the
// baseline: the acts it supersedes, now or already.
func retired(ps []Period, today string) []string {
	var out []string
	for _, p := range ps {
		if p.Until != "" && p.Until <= today {
			out = append(out, p.Document.ID)
		}
	}
	return out
}

// Supersede returns base with add loaded, after taking out the facts of the
// acts add.Retire names that add does not state again: their relations and
// duties, and the nodes only they state (with the relations touching
// those). A node another act in force states already (a post or a body
// two departments' acts name) keeps that statement: one node, cited where
// it was first stated. base is not modified.
func Supersede(base, add *Graph) *Graph {
	gone := func(p Provenance) bool { return slices.Contains(add.Retire, p.Document) }
	restated := map[string]bool{}
	for _, n := range add.Nodes {
		restated[n.ID] = true
	}
	kept := &Graph{Documents: base.Documents}
	dropped := map[string]bool{}
	stated := map[string]Node{}
	for _, n := range base.Nodes {
		if gone(n.Source) && !restated[n.ID] {
			dropped[n.ID] = true
			continue
		}
		kept.Nodes = append(kept.Nodes, n)
		if !gone(n.Source) && n.Source.Basis != Planned {
			stated[n.ID] = n
		}
	}
	for _, r := range base.Relations {
		if gone(r.Source) || dropped[r.From] || dropped[r.To] {
			continue
		}
		kept.Relations = append(kept.Relations, r)
	}
	for _, d := range base.Duties {
		if gone(d.Source) || dropped[d.Unit] {
			continue
		}
		kept.Duties = append(kept.Duties, d)
	}
	in := *add
	in.Nodes = slices.Clone(add.Nodes)
	for i, n := range in.Nodes {
		if o, ok := stated[n.ID]; ok && o.Source.Document != n.Source.Document {
			in.Nodes[i] = o
		}
	}
	out := Upsert(kept, &in)
	out.Retire = nil
	groupByDepartment(out)
	return out
}

// DutyChange is a duty two structures both hold, in other words or by
// another unit: matched by meaning, with how alike the words are (1 for
// the same words).
type DutyChange struct {
	Before, After Duty
	Score         float64
}

// FactChanges is what changed between two structures beyond their nodes
// and lines: the duties and the relations, each with the provision of the
// act that states it.
type FactChanges struct {
	DutiesAdded, DutiesRemoved []Duty
	DutiesReworded             []DutyChange // the same duty in other words
	DutiesMoved                []DutyChange // the same duty held by another unit
	RelationsGained            []Relation   // relations the later structure states and the earlier does not
	RelationsLost              []Relation
}

// relationKey tells relations apart by what they say, not by the act that
// says it: the same line stated by two acts is one relation.
func relationKey(r Relation) string {
	return string(r.Kind) + "\x00" + r.From + "\x00" + r.To
}

// rewordScore is how alike two duties' words must be to be one duty in
// other words.
const rewordScore = 0.5

// diffStructures compares two structures' facts: nodes by id, relations by
// what they say, duties by meaning (the same words anywhere, else alike
// words in the same unit). The Delta makes after of before, for the
// impact's machinery.
func diffStructures(before, after *Graph) (*Delta, FactChanges) {
	d := &Delta{}
	if n := len(after.Documents); n > 0 {
		d.Document = after.Documents[n-1]
	}
	was := byID(before.Nodes)
	is := byID(after.Nodes)
	for _, n := range after.Nodes {
		if b, ok := was[n.ID]; !ok || b.Name != n.Name || b.Code != n.Code || b.Type != n.Type || b.Kind != n.Kind {
			d.Nodes = append(d.Nodes, n)
		}
	}
	for _, n := range before.Nodes {
		if _, ok := is[n.ID]; !ok {
			d.RemovedNodes = append(d.RemovedNodes, n.ID)
		}
	}
	var fc FactChanges
	keys := func(rs []Relation) map[string]bool {
		m := make(map[string]bool, len(rs))
		for _, r := range rs {
			m[relationKey(r)] = true
		}
		return m
	}
	had, has := keys(before.Relations), keys(after.Relations)
	seen := map[string]bool{}
	for _, r := range after.Relations {
		if k := relationKey(r); !had[k] && !seen[k] {
			seen[k] = true
			d.Relations = append(d.Relations, r)
			fc.RelationsGained = append(fc.RelationsGained, r)
		}
	}
	clear(seen)
	for _, r := range before.Relations {
		if k := relationKey(r); !has[k] && !seen[k] {
			seen[k] = true
			d.RemovedRelations = append(d.RemovedRelations, r.ID)
			fc.RelationsLost = append(fc.RelationsLost, r)
		}
	}
	matchDuties(before.Duties, after.Duties, is, d, &fc)
	return d, fc
}

// matchDuties pairs the duties of two structures: first the same words
// (folded), preferring the same unit; then, within one unit, the most
// alike words above rewordScore. What is left is added or removed.
func matchDuties(before, after []Duty, is map[string]Node, d *Delta, fc *FactChanges) {
	folded := func(t string) string { return strings.Join(Terms(t), " ") }
	byText := map[string][]int{}
	for j, a := range after {
		k := folded(a.Text)
		byText[k] = append(byText[k], j)
	}
	usedA := make([]bool, len(after))
	usedB := make([]bool, len(before))
	pair := func(i, j int, score float64) {
		usedB[i], usedA[j] = true, true
		b, a := before[i], after[j]
		c := DutyChange{Before: b, After: a, Score: score}
		if b.Unit != a.Unit {
			fc.DutiesMoved = append(fc.DutiesMoved, c)
			d.Duties = append(d.Duties, a)
		} else if score < 1 {
			fc.DutiesReworded = append(fc.DutiesReworded, c)
		}
	}
	for pass := 0; pass < 2; pass++ { // the same unit first, then any
		for i, b := range before {
			if usedB[i] {
				continue
			}
			for _, j := range byText[folded(b.Text)] {
				if !usedA[j] && (pass == 1 || after[j].Unit == b.Unit) {
					pair(i, j, 1)
					break
				}
			}
		}
	}
	// Alike words within one unit, the best pairs first.
	type cand struct {
		i, j  int
		score float64
	}
	var cands []cand
	stemsA := make([][]string, len(after))
	for j, a := range after {
		if !usedA[j] {
			stemsA[j] = Stems(a.Text)
		}
	}
	for i, b := range before {
		if usedB[i] {
			continue
		}
		sb := Stems(b.Text)
		for j, a := range after {
			if usedA[j] || a.Unit != b.Unit || a.Common != b.Common {
				continue
			}
			shared := len(sharedStems(sb, stemsA[j]))
			union := len(sb) + len(stemsA[j]) - shared
			if union == 0 {
				continue
			}
			if score := float64(shared) / float64(union); score >= rewordScore {
				cands = append(cands, cand{i, j, score})
			}
		}
	}
	slices.SortStableFunc(cands, func(x, y cand) int { return cmp.Compare(y.score, x.score) })
	for _, c := range cands {
		if !usedB[c.i] && !usedA[c.j] {
			pair(c.i, c.j, float64(int(c.score*100+0.5))/100)
		}
	}
	for j, a := range after {
		if !usedA[j] {
			fc.DutiesAdded = append(fc.DutiesAdded, a)
		}
	}
	for i, b := range before {
		if !usedB[i] {
			fc.DutiesRemoved = append(fc.DutiesRemoved, b)
			if _, ok := is[b.Unit]; !ok {
				d.RemovedDuties = append(d.RemovedDuties, b.ID)
			}
		}
	}
	slices.SortFunc(d.Duties, CompareDuties)
	slices.SortFunc(fc.DutiesReworded, func(x, y DutyChange) int { return CompareDuties(x.After, y.After) })
	slices.SortFunc(fc.DutiesMoved, func(x, y DutyChange) int { return CompareDuties(x.After, y.After) })
}

// structureFor is the structure on day, of department's acts only when
// department is set (a unit code or id): its graph, a store over it, and
// the acts.
func (s *Service) structureFor(ctx context.Context, ps []Period, day, department string) (*Graph, Store, error) {
	acts := inForce(ps, day)
	if department != "" {
		acts = slices.DeleteFunc(acts, func(p Period) bool {
			return !strings.EqualFold(p.Department, department)
		})
	}
	return s.structureOn(ctx, acts)
}

// StructureChanges compares the structure in force on from with the one
// in force on to (of one department's acts when department is set): the
// parts of an Impact parts selects, and the duties and relations changed.
func (s *Service) StructureChanges(ctx context.Context, from, to, department string, parts ImpactParts) (Impact, error) {
	im, fc, err := s.structureChanges(ctx, from, to, department, parts)
	im.FactChanges = fc
	return im, err
}

func (s *Service) structureChanges(ctx context.Context, from, to, department string, parts ImpactParts) (Impact, FactChanges, error) {
	for _, day := range []string{from, to} {
		if err := CheckDay(day); err != nil {
			return Impact{}, FactChanges{}, err
		}
	}
	if department != "" {
		if err := CheckRef(department); err != nil {
			return Impact{}, FactChanges{}, err
		}
	}
	ps, err := s.Periods(ctx)
	if err != nil {
		return Impact{}, FactChanges{}, err
	}
	if department != "" && !slices.ContainsFunc(ps, func(p Period) bool { return strings.EqualFold(p.Department, department) }) {
		return Impact{}, FactChanges{}, Errorf(ENOTFOUND, "no act of the graph organises %q; it holds %s", department, held(ps))
	}
	if len(inForce(ps, from)) == 0 && len(inForce(ps, to)) == 0 {
		return Impact{}, FactChanges{}, Errorf(ENOTFOUND, "no act in force on %s or on %s; the graph holds %s", from, to, held(ps))
	}
	gb, before, err := s.structureFor(ctx, ps, from, department)
	if err != nil {
		return Impact{}, FactChanges{}, err
	}
	ga, after, err := s.structureFor(ctx, ps, to, department)
	if err != nil {
		return Impact{}, FactChanges{}, err
	}
	d, fc := diffStructures(gb, ga)
	b := &Service{Store: before}
	lines := func() (*side, error) { return loadSide(ctx, b, true) }
	ob := func() (*overlapBase, error) { return newOverlapBase(ctx, b) }
	im, err := compareStructures(ctx, b, &Service{Store: after}, d, Rules{}, parts, lines, ob)
	return im, fc, err
}

// Version is a node as one act states it, with when that act is in force.
type Version struct {
	Node     Node
	Period   Period
	Superior *Node // whom it reports to under that act; nil: no one
}

// Timeline returns every version of a node (a unit code or a node id), one
// per act that names it, oldest first. ENOTFOUND when no act names it.
func (s *Service) Timeline(ctx context.Context, ref string) ([]Version, error) {
	if err := CheckRef(ref); err != nil {
		return nil, err
	}
	x, err := s.versions(ctx)
	if err != nil {
		return nil, err
	}
	id := ref
	if code, ok := x.codes[strings.ToUpper(ref)]; ok && len(x.byID[ref]) == 0 {
		id = code
	}
	if len(x.byID[id]) == 0 {
		return nil, Errorf(ENOTFOUND, "no act names %q; the graph holds %s", ref, held(x.periods))
	}
	return x.byID[id], nil
}

// Sources returns every act's statement of a node, oldest first: one
// node, as many sources as acts that state it. Empty when no act held
// names it (a node a scenario made).
func (s *Service) Sources(ctx context.Context, id string) ([]Provenance, error) {
	x, err := s.versions(ctx)
	if err != nil {
		return nil, err
	}
	vs := x.byID[id]
	out := make([]Provenance, len(vs))
	for i, v := range vs {
		out[i] = v.Node.Source
	}
	return out, nil
}

// versionIndex is every act's version of every node, kept until the
// baseline changes.
type versionIndex struct {
	periods []Period
	byID    map[string][]Version
	codes   map[string]string // upper-case code → id
}

func (s *Service) versions(ctx context.Context) (*versionIndex, error) {
	return kept(ctx, s, "versions", func() (*versionIndex, error) {
		ps, err := s.Periods(ctx)
		if err != nil {
			return nil, err
		}
		x := &versionIndex{periods: ps, byID: map[string][]Version{}, codes: map[string]string{}}
		if s.Acts == nil { // no reader: no acts to tell versions by
			return x, nil
		}
		for _, p := range ps {
			g, err := s.act(ctx, p.Document)
			if err != nil {
				return nil, err
			}
			nodes := byID(g.Nodes)
			sup := map[string]string{}
			for _, r := range g.Relations {
				if _, seen := sup[r.From]; r.Kind == ReportsTo && !seen {
					sup[r.From] = r.To
				}
			}
			for _, n := range g.Nodes {
				v := Version{Node: n, Period: p}
				if up, ok := nodes[sup[n.ID]]; ok {
					v.Superior = &up
				}
				x.byID[n.ID] = append(x.byID[n.ID], v)
				if n.Code != "" {
					x.codes[strings.ToUpper(n.Code)] = n.ID
				}
			}
		}
		return x, nil
	})
}

// ChangesView returns a service over both structures StructureChanges
// compares, the later one's words first: where the nodes and duties its
// answer names are found, whichever side states them.
func (s *Service) ChangesView(ctx context.Context, from, to, department string) (*Service, error) {
	for _, day := range []string{from, to} {
		if err := CheckDay(day); err != nil {
			return nil, err
		}
	}
	ps, err := s.Periods(ctx)
	if err != nil {
		return nil, err
	}
	gb, _, err := s.structureFor(ctx, ps, from, department)
	if err != nil {
		return nil, err
	}
	ga, _, err := s.structureFor(ctx, ps, to, department)
	if err != nil {
		return nil, err
	}
	store, err := kept(ctx, s, "changes "+from+" "+to+" "+strings.ToUpper(department), func() (Store, error) {
		if s.Overlay == nil {
			return nil, Errorf(EINVALID, "this store answers for today only")
		}
		return s.Overlay(ctx, Upsert(gb, ga))
	})
	if err != nil {
		return nil, err
	}
	return &Service{Store: store, Acts: s.Acts, Clock: s.Clock}, nil
}

// ImpactAgainst compares a scenario with the structure in force on day,
// not with today's baseline: what the scenario would make of the
// organisation against, say, the last reorganisation. Nodes, lines, spans,
// duties and relations, as StructureChanges compares two days.
func (s *Service) ImpactAgainst(ctx context.Context, id, day string, rules Rules, parts ImpactParts) (Impact, error) {
	if rules.MaxSpan < 0 || rules.MaxDepth < 0 {
		return Impact{}, Errorf(EINVALID, "rule limits must not be negative")
	}
	if err := CheckDay(day); err != nil {
		return Impact{}, err
	}
	v, err := s.view(ctx, id)
	if err != nil {
		return Impact{}, err
	}
	ps, err := s.Periods(ctx)
	if err != nil {
		return Impact{}, err
	}
	acts := inForce(ps, day)
	if len(acts) == 0 {
		return Impact{}, Errorf(ENOTFOUND, "no act in force on %s; the graph holds %s", day, held(ps))
	}
	gb, before, err := s.structureOn(ctx, acts)
	if err != nil {
		return Impact{}, err
	}
	ga, err := ReadGraph(ctx, v.store)
	if err != nil {
		return Impact{}, err
	}
	d, fc := diffStructures(gb, ga)
	b := &Service{Store: before}
	lines := func() (*side, error) { return loadSide(ctx, b, true) }
	ob := func() (*overlapBase, error) { return newOverlapBase(ctx, b) }
	im, err := compareStructures(ctx, b, &Service{Store: v.store}, d, rules, parts, lines, ob)
	im.FactChanges = fc
	return im, err
}

// ReadGraph reads a store's whole structure through the Store interface.
func ReadGraph(ctx context.Context, st Store) (*Graph, error) {
	g := &Graph{}
	var err error
	if g.Documents, err = st.FindDocuments(ctx); err != nil {
		return nil, err
	}
	if g.Nodes, err = st.FindNodes(ctx, NodeFilter{}); err != nil {
		return nil, err
	}
	if g.Relations, err = st.FindRelations(ctx, RelationFilter{}); err != nil {
		return nil, err
	}
	if g.Duties, err = st.FindDuties(ctx, DutyFilter{}); err != nil {
		return nil, err
	}
	return g, nil
}

// AgainstView returns a service over both structures ImpactAgainst
// compares, the scenario's words first: where the nodes and duties its
// answer names are found.
func (s *Service) AgainstView(ctx context.Context, id, day string) (*Service, error) {
	if err := CheckDay(day); err != nil {
		return nil, err
	}
	v, err := s.view(ctx, id)
	if err != nil {
		return nil, err
	}
	ps, err := s.Periods(ctx)
	if err != nil {
		return nil, err
	}
	gb, _, err := s.structureOn(ctx, inForce(ps, day))
	if err != nil {
		return nil, err
	}
	ga, err := ReadGraph(ctx, v.store)
	if err != nil {
		return nil, err
	}
	if s.Overlay == nil {
		return nil, Errorf(EINVALID, "this store answers for today only")
	}
	store, err := s.Overlay(ctx, Upsert(gb, ga))
	if err != nil {
		return nil, err
	}
	return &Service{Store: store, Acts: s.Acts, Clock: s.Clock}, nil
}

// CatchUp brings the baseline to today: an act imported before its day
// of entry into force was kept for that day only, and on that day it
// takes the place of the acts it supersedes. It returns the acts it
// placed, each recorded in the audit log as an import by "orgraph".
// The server calls it at start and every hour.
func (s *Service) CatchUp(ctx context.Context) ([]string, error) {
	ss, err := s.scenarios()
	if err != nil || s.Acts == nil {
		return nil, err
	}
	ps, err := s.Periods(ctx)
	if err != nil {
		return nil, err
	}
	var placed []string
	for _, p := range inForce(ps, s.Today()) {
		g, err := s.act(ctx, p.Document)
		if err != nil {
			return placed, err
		}
		in, err := s.inBaseline(ctx, g)
		if err != nil || in {
			if err != nil {
				return placed, err
			}
			continue
		}
		add, err := s.PlaceActs(ctx, []*Graph{g})
		if err != nil {
			return placed, err
		}
		e := s.entry(s.now(), Principal{Subject: "orgraph", Role: RoleAdmin}, AuditImport, p.Document.ID,
			"in force from "+p.From, "")
		if err := ss.LoadAudited(ctx, add, e); err != nil {
			return placed, err
		}
		placed = append(placed, p.Document.ID)
	}
	return placed, nil
}

// inBaseline reports whether the baseline holds act g's facts: its
// duties (whose ids name the act), or else a node it is the source of.
func (s *Service) inBaseline(ctx context.Context, g *Graph) (bool, error) {
	doc := g.Documents[0].ID
	if len(g.Duties) > 0 {
		ds, err := s.Store.FindDuties(ctx, DutyFilter{IDs: []string{g.Duties[0].ID}})
		return len(ds) > 0, err
	}
	ids := make([]string, len(g.Nodes))
	for i, n := range g.Nodes {
		ids[i] = n.ID
	}
	ns, err := s.Store.FindNodes(ctx, NodeFilter{IDs: ids})
	return slices.ContainsFunc(ns, func(n Node) bool { return n.Source.Document == doc }), err
}

// departmentKey is what groups a unit with its department: the letters
// its code (or an id written as a code) begins with, "KS" for KS-07 and
// KS; "" for a unit with neither (the Departament above the Wydziały) and
// for posts and bodies.
func departmentKey(n Node) string {
	if n.Kind != KindUnit {
		return ""
	}
	c := n.Code
	if c == "" {
		c = n.ID
	}
	prefix, _, _ := strings.Cut(c, "-")
	if prefix == "" || strings.ToUpper(prefix) != prefix {
		return ""
	}
	return prefix
}

// groupByDepartment numbers the nodes of a graph of several departments
// anew so that, in the order of Seq, each department's units come
// together, departments in the order of their codes, each in its act's
// order; the rest keep their order.
// Many departments' acts in one graph otherwise interleave, each act
// numbering from 1.
func groupByDepartment(g *Graph) {
	keys := map[string]bool{}
	for _, n := range g.Nodes {
		if k := departmentKey(n); k != "" {
			keys[k] = true
		}
	}
	if len(keys) < 2 { // one department: its act's order as it is
		return
	}
	slices.SortStableFunc(g.Nodes, func(a, b Node) int {
		return cmp.Or(cmp.Compare(departmentKey(a), departmentKey(b)), cmp.Compare(a.Seq, b.Seq), cmp.Compare(a.ID, b.ID))
	})
	for i := range g.Nodes {
		g.Nodes[i].Seq = i + 1
	}
}
