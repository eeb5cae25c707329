package org

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Source is a baseline that changes are applied to without copying it:
// applying a scenario reads only what its changes touch. Its answers never
// change (a new baseline is a new Source).
type Source interface {
	// Node returns the node with the given id.
	Node(id string) (Node, bool)
	// NodeWithCode returns the id of the unit with the given code.
	NodeWithCode(code string) (string, bool)
	// RelationsFrom and RelationsTo return the relations that start, or
	// end, at a node, ordered by Seq, then ID.
	RelationsFrom(id string) []Relation
	RelationsTo(id string) []Relation
	// Duty returns the duty with the given id.
	Duty(id string) (Duty, bool)
	// DutiesOf returns the duties a unit holds, ordered by Seq, then ID.
	DutiesOf(unit string) []Duty
	// SubDuties returns the ids of the duties whose parent is id.
	SubDuties(id string) []string
	// MaxSeq is the greatest Seq of a node, relation or duty.
	MaxSeq() int
}

// Delta is what a scenario changes in its baseline: what it adds or
// changes, and the ids of what it removes from the baseline. A store
// answers for the scenario by reading the delta, then the baseline.
type Delta struct {
	Document  Document   // the scenario's document, which its facts cite
	Nodes     []Node     // added, renamed, or made anew after a removal; by Seq, then ID
	Relations []Relation // added; by Seq, then ID
	Duties    []Duty     // moved to another unit; by Seq, then ID
	// What the scenario removes from the baseline, ordered.
	RemovedNodes, RemovedRelations, RemovedDuties []string
}

// ApplyChanges returns the graph as the scenario's changes would leave it;
// g is not modified. Each change is checked against the graph the changes
// before it made: an unknown node is ENOTFOUND; a reporting cycle, removing
// the top of the reporting lines, or a change that does not fit is EINVALID;
// an id already taken is ECONFLICT. The error names the change.
func ApplyChanges(g *Graph, s Scenario) (*Graph, error) {
	w, err := apply(indexGraph(g), s)
	if err != nil {
		return nil, err
	}
	return w.materialize(g), nil
}

// ApplyDelta is ApplyChanges over a Source: it returns what the changes
// change, at the cost of what they touch rather than of the whole graph.
func ApplyDelta(base Source, s Scenario) (*Delta, error) {
	w, err := apply(base, s)
	if err != nil {
		return nil, err
	}
	return w.delta(), nil
}

func apply(base Source, s Scenario) (*workGraph, error) {
	w := &workGraph{
		base: base, seq: base.MaxSeq(),
		nodes: map[string]*Node{}, created: map[string]bool{}, codes: map[string]string{},
		rels: map[string]*Relation{}, added: map[string]bool{}, dropped: map[string]bool{}, out: map[string][]string{}, in: map[string][]string{},
		duties: map[string]*Duty{}, held: map[string][]string{},
		doc: Document{ID: "scenario:" + s.ID, Title: "Scenario " + s.Name, Issuer: s.Owner},
	}
	for i, c := range s.Changes {
		if err := w.apply(w.doc.ID, i+1, c); err != nil {
			return nil, Errorf(ErrorCode(err), "change %d (%s): %s", i+1, strings.ToLower(string(c.Kind)), ErrorMessage(err))
		}
	}
	if err := w.check(); err != nil {
		return nil, err
	}
	return w, nil
}

// workGraph is a baseline being changed: the changes are kept apart from
// it, and every read answers from them, then from the baseline.
type workGraph struct {
	base Source
	doc  Document
	seq  int

	nodes   map[string]*Node // added or changed; nil: removed
	created map[string]bool  // nodes added by a change (rather than renamed)
	codes   map[string]string

	rels    map[string]*Relation // added; nil: removed
	added   map[string]bool      // relations a change added
	dropped map[string]bool      // baseline relations a change removed
	out, in map[string][]string  // added relations by their ends

	duties map[string]*Duty    // moved; nil: removed
	held   map[string][]string // moved duties by the unit they went to

	fault error // the first fault Validate would find in the result
}

func (w *workGraph) node(id string) (Node, error) {
	if strings.TrimSpace(id) == "" {
		return Node{}, Errorf(EINVALID, "a node is missing")
	}
	if n, ok := w.lookup(id); ok {
		return n, nil
	}
	return Node{}, Errorf(ENOTFOUND, "no node %q", id)
}

func (w *workGraph) lookup(id string) (Node, bool) {
	if p, ok := w.nodes[id]; ok {
		if p == nil {
			return Node{}, false
		}
		return *p, true
	}
	return w.base.Node(id)
}

func (w *workGraph) relationsFrom(id string) []Relation {
	return w.relations(w.base.RelationsFrom(id), w.out[id])
}

func (w *workGraph) relationsTo(id string) []Relation {
	return w.relations(w.base.RelationsTo(id), w.in[id])
}

// relations is what base holds that no change touched, then the relations
// added and kept (their Seq follows every baseline Seq, in the order they
// were made).
func (w *workGraph) relations(base []Relation, added []string) []Relation {
	var out []Relation
	for _, r := range base {
		if _, touched := w.rels[r.ID]; !touched {
			out = append(out, r)
		}
	}
	for _, id := range added {
		if p := w.rels[id]; p != nil {
			out = append(out, *p)
		}
	}
	return out
}

// touching is every relation from or to id, ordered by Seq, then ID.
func (w *workGraph) touching(id string) []Relation {
	out := append(w.relationsFrom(id), w.relationsTo(id)...)
	slices.SortFunc(out, CompareRelations)
	return out
}

func (w *workGraph) duty(id string) (Duty, bool) {
	if p, ok := w.duties[id]; ok {
		if p == nil {
			return Duty{}, false
		}
		return *p, true
	}
	return w.base.Duty(id)
}

// dutiesOf is the duties the unit holds now, in no particular order.
func (w *workGraph) dutiesOf(unit string) []Duty {
	var out []Duty
	for _, d := range w.base.DutiesOf(unit) {
		if _, changed := w.duties[d.ID]; !changed {
			out = append(out, d)
		}
	}
	seen := map[string]bool{}
	for _, id := range w.held[unit] {
		if p := w.duties[id]; p != nil && p.Unit == unit && !seen[id] {
			seen[id] = true
			out = append(out, *p)
		}
	}
	return out
}

func (w *workGraph) setDuty(d Duty) {
	w.duties[d.ID] = &d
	w.held[d.Unit] = append(w.held[d.Unit], d.ID)
}

func (w *workGraph) nextSeq() int { w.seq++; return w.seq }

// relate adds a planned relation made by change n.
func (w *workGraph) relate(doc string, n int, c Change, r Relation) {
	r.Seq = w.nextSeq()
	r.ID = fmt.Sprintf("%s:%s>%s@%s change %d", r.Kind, r.From, r.To, doc, n)
	reason := fmt.Sprintf("planned by change %d of the scenario", n)
	if c.Note != "" {
		reason += ": " + c.Note
	}
	r.Source = Provenance{Document: doc, Provision: fmt.Sprintf("change %d", n), Basis: Planned, Reason: reason}
	if slices.ContainsFunc(w.relationsFrom(r.From), func(x Relation) bool { return x.ID == r.ID }) && w.fault == nil {
		w.fault = Errorf(EINVALID, "relation id %q is empty or used twice", r.ID)
	}
	if !w.added[r.ID] {
		w.out[r.From] = append(w.out[r.From], r.ID)
		w.in[r.To] = append(w.in[r.To], r.ID)
	}
	w.rels[r.ID] = &r
	w.added[r.ID] = true
}

// drop removes the relations of rs that drop selects, and counts them.
func (w *workGraph) drop(rs []Relation, drop func(Relation) bool) int {
	n := 0
	for _, r := range rs {
		if drop(r) {
			if !w.added[r.ID] {
				w.dropped[r.ID] = true
			}
			w.rels[r.ID] = nil
			n++
		}
	}
	return n
}

// superiorOf returns the node's REPORTS_TO target of lowest Seq.
func (w *workGraph) superiorOf(id string) string {
	for _, r := range w.relationsFrom(id) {
		if r.Kind == ReportsTo {
			return r.To
		}
	}
	return ""
}

// reportsUpTo reports whether walking up from id reaches top.
func (w *workGraph) reportsUpTo(id, top string) bool {
	seen := map[string]bool{}
	for at := id; at != "" && !seen[at]; at = w.superiorOf(at) {
		if at == top {
			return true
		}
		seen[at] = true
	}
	return false
}

func reportsFrom(id string) func(Relation) bool {
	return func(r Relation) bool { return r.Kind == ReportsTo && r.From == id }
}

func (w *workGraph) apply(doc string, n int, c Change) error {
	switch c.Kind {
	case ChangeMove:
		node, err := w.node(c.Node)
		if err != nil {
			return err
		}
		under, err := w.node(c.Under)
		if err != nil {
			return err
		}
		if node.Kind == KindEntity || under.Kind == KindEntity {
			return Errorf(EINVALID, "only units and positions stand in reporting lines")
		}
		if w.reportsUpTo(under.ID, node.ID) {
			return Errorf(EINVALID, "%s reports, directly or not, to %s: moving it there would make a reporting cycle", under.ID, node.ID)
		}
		w.drop(w.relationsFrom(node.ID), reportsFrom(node.ID))
		w.relate(doc, n, c, Relation{Kind: ReportsTo, From: node.ID, To: under.ID})
	case ChangeCreate:
		if c.NodeKind != KindUnit && c.NodeKind != KindPosition {
			return Errorf(EINVALID, "a new node is a UNIT or a POSITION")
		}
		if err := w.create(doc, n, c, c.NewNode, c.NodeKind, c.Name, c.Code, c.Type); err != nil {
			return err
		}
		if c.Under != "" {
			if _, err := w.node(c.Under); err != nil {
				return err
			}
			w.relate(doc, n, c, Relation{Kind: ReportsTo, From: c.NewNode, To: c.Under})
		}
		if c.PartOf != "" {
			if p, err := w.node(c.PartOf); err != nil || p.Kind != KindUnit {
				return cmpErr(err, Errorf(EINVALID, "%q is not a unit", c.PartOf))
			}
			w.relate(doc, n, c, Relation{Kind: PartOf, From: c.NewNode, To: c.PartOf})
		}
	case ChangeRename:
		node, err := w.node(c.Node)
		if err != nil {
			return err
		}
		if strings.TrimSpace(c.Name) == "" {
			return Errorf(EINVALID, "the new name is empty")
		}
		node.Name = strings.TrimSpace(c.Name)
		w.nodes[node.ID] = &node
	case ChangeRemove:
		node, err := w.node(c.Node)
		if err != nil {
			return err
		}
		if w.superiorOf(node.ID) == "" && w.hasSubordinates(node.ID) {
			return Errorf(EINVALID, "%s stands at the top of the reporting lines and cannot be removed", node.ID)
		}
		w.remove(node.ID)
	case ChangeMerge:
		node, err := w.node(c.Node)
		if err != nil {
			return err
		}
		into, err := w.node(c.Into)
		if err != nil {
			return err
		}
		if node.ID == into.ID || node.Kind != into.Kind || node.Kind == KindEntity {
			return Errorf(EINVALID, "merge two different units, or two different positions")
		}
		if w.superiorOf(into.ID) == node.ID {
			// into reported to node: it takes node's place in the line.
			w.drop(w.relationsFrom(into.ID), reportsFrom(into.ID))
			if sup := w.superiorOf(node.ID); sup != "" {
				w.relate(doc, n, c, Relation{Kind: ReportsTo, From: into.ID, To: sup})
			}
		}
		w.merge(doc, n, c, node.ID, into.ID)
	case ChangeSplit:
		node, err := w.node(c.Node)
		if err != nil {
			return err
		}
		if node.Kind != KindUnit {
			return Errorf(EINVALID, "only a unit can be split")
		}
		if len(c.Duties) == 0 {
			return Errorf(EINVALID, "name the duties the new part takes")
		}
		typ := c.Type
		if typ == "" {
			typ = node.Type
		}
		if err := w.create(doc, n, c, c.NewNode, KindUnit, c.Name, c.Code, typ); err != nil {
			return err
		}
		for _, id := range c.Duties {
			if err := w.reassign(id, node.ID, c.NewNode); err != nil {
				return err
			}
		}
		for _, r := range w.relationsFrom(node.ID) {
			if r.Kind == ReportsTo || r.Kind == PartOf {
				w.relate(doc, n, c, Relation{Kind: r.Kind, From: c.NewNode, To: r.To})
			}
		}
	case ChangeReassignDuty:
		to, err := w.node(c.To)
		if err != nil {
			return err
		}
		if to.Kind != KindUnit {
			return Errorf(EINVALID, "duties belong to units; %q is not one", c.To)
		}
		return w.reassign(c.Duty, "", to.ID)
	case ChangeAddCooperation, ChangeAddTasking:
		from, err := w.node(c.From)
		if err != nil {
			return err
		}
		to, err := w.node(c.To)
		if err != nil {
			return err
		}
		if from.ID == to.ID {
			return Errorf(EINVALID, "a node does not relate to itself")
		}
		r := Relation{Kind: CooperatesWith, From: from.ID, To: to.ID, Scope: c.Scope, Strength: c.Strength}
		if c.Kind == ChangeAddTasking {
			if from.Kind != KindPosition || to.Kind != KindUnit {
				return Errorf(EINVALID, "tasking authority runs from a position to a unit")
			}
			r = Relation{Kind: MayTask, From: from.ID, To: to.ID}
		} else if r.Strength == "" {
			r.Strength = Plain
		}
		w.relate(doc, n, c, r)
	case ChangeRemoveCooperation, ChangeRemoveTasking:
		kind := CooperatesWith
		if c.Kind == ChangeRemoveTasking {
			kind = MayTask
		}
		for _, id := range []string{c.From, c.To} {
			if _, err := w.node(id); err != nil {
				return err
			}
		}
		if w.drop(w.relationsFrom(c.From), func(r Relation) bool { return r.Kind == kind && r.To == c.To }) == 0 {
			return Errorf(EINVALID, "there is no %s from %s to %s", kind, c.From, c.To)
		}
	default:
		return Errorf(EINVALID, "unknown kind of change %q", c.Kind)
	}
	return nil
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

func (w *workGraph) create(doc string, n int, c Change, id string, kind NodeKind, name, code, typ string) error {
	id, name = strings.TrimSpace(id), strings.TrimSpace(name)
	switch {
	case id == "" || name == "":
		return Errorf(EINVALID, "a new node needs an id and a name")
	case CheckRef(id) != nil:
		return CheckRef(id)
	}
	if _, ok := w.lookup(id); ok {
		return Errorf(ECONFLICT, "id %q is taken", id)
	}
	if code != "" {
		if other, ok := w.holderOf(code); ok {
			return Errorf(ECONFLICT, "code %q is taken by %s", code, other)
		}
	}
	reason := fmt.Sprintf("planned by change %d of the scenario", n)
	if c.Note != "" {
		reason += ": " + c.Note
	}
	w.nodes[id] = &Node{
		ID: id, Kind: kind, Name: name, Code: code, Type: typ, Seq: w.nextSeq(),
		Source: Provenance{Document: doc, Provision: fmt.Sprintf("change %d", n), Basis: Planned, Reason: reason},
	}
	w.created[id] = true
	if code != "" {
		w.codes[code] = id
	}
	return nil
}

// holderOf returns the node that holds a code now.
func (w *workGraph) holderOf(code string) (string, bool) {
	for _, id := range []string{w.codes[code], baseHolder(w.base, code)} {
		if n, ok := w.lookup(id); id != "" && ok && n.Code == code {
			return id, true
		}
	}
	return "", false
}

func baseHolder(base Source, code string) string {
	id, _ := base.NodeWithCode(code)
	return id
}

func (w *workGraph) hasSubordinates(id string) bool {
	return slices.ContainsFunc(w.relationsTo(id), func(r Relation) bool { return r.Kind == ReportsTo })
}

// remove drops a node, its relations, and its duties: they are left without an owner.
func (w *workGraph) remove(id string) {
	w.nodes[id] = nil
	delete(w.created, id)
	w.drop(w.touching(id), func(Relation) bool { return true })
	for _, d := range w.dutiesOf(id) {
		w.duties[d.ID] = nil
	}
}

// merge moves what from holds onto into, then removes from.
func (w *workGraph) merge(doc string, n int, c Change, from, into string) {
	for _, d := range w.dutiesOf(from) {
		d.Unit = into
		w.setDuty(d)
	}
	for _, r := range w.touching(from) {
		moved := r
		if moved.From == from {
			moved.From = into
		}
		if moved.To == from {
			moved.To = into
		}
		// The survivor keeps its own superior, and no relation to itself.
		if moved.From == moved.To || (r.From == from && r.Kind == ReportsTo) {
			continue
		}
		dup := slices.ContainsFunc(w.relationsFrom(moved.From), func(x Relation) bool {
			return x.Kind == moved.Kind && x.To == moved.To
		})
		if !dup {
			moved.Strength, moved.Scope = r.Strength, r.Scope
			w.relate(doc, n, c, moved)
		}
	}
	w.remove(from)
}

// reassign moves a duty, with its letters and dashes, to a unit; owner, when
// set, is the unit the duty must belong to.
func (w *workGraph) reassign(id, owner, to string) error {
	d, ok := w.duty(id)
	if !ok {
		return Errorf(ENOTFOUND, "no duty %q", id)
	}
	if owner != "" && d.Unit != owner {
		return Errorf(EINVALID, "duty %q belongs to %s, not %s", id, d.Unit, owner)
	}
	if d.Common {
		return Errorf(EINVALID, "duty %q is common to all units", id)
	}
	for moving := []string{id}; len(moving) > 0; {
		d, ok := w.duty(moving[0])
		moving = moving[1:]
		if !ok {
			continue
		}
		d.Unit = to
		w.setDuty(d)
		moving = append(moving, w.base.SubDuties(d.ID)...)
	}
	return nil
}

// check finds what Validate would find wrong with the result in what the
// changes touched: the rest is the baseline, valid already.
func (w *workGraph) check() error {
	if w.fault != nil {
		return w.fault
	}
	docs := map[string]bool{w.doc.ID: true}
	for _, id := range slices.Sorted(maps.Keys(w.added)) {
		r := w.rels[id]
		if r == nil {
			continue
		}
		where := "relation " + r.ID
		_, fromOK := w.lookup(r.From)
		_, toOK := w.lookup(r.To)
		switch {
		case !fromOK:
			return Errorf(EINVALID, "%s starts at unknown node %q", where, r.From)
		case !toOK:
			return Errorf(EINVALID, "%s ends at unknown node %q", where, r.To)
		case r.From == r.To:
			return Errorf(EINVALID, "%s is a loop", where)
		case r.Kind == CooperatesWith && r.Strength != Close && r.Strength != Standing && r.Strength != Plain:
			return Errorf(EINVALID, "%s has unknown strength %q", where, r.Strength)
		}
		if err := validateSource(where, r.Source, docs); err != nil {
			return err
		}
	}
	for _, id := range slices.Sorted(maps.Keys(w.duties)) {
		d := w.duties[id]
		if d == nil {
			for _, sub := range w.base.SubDuties(id) {
				if _, ok := w.duty(sub); ok {
					return Errorf(EINVALID, "duty %q comes before its parent %q", sub, id)
				}
			}
			continue
		}
		if u, ok := w.lookup(d.Unit); !ok || u.Kind != KindUnit {
			return Errorf(EINVALID, "duty %q belongs to %q, which is not a unit", d.ID, d.Unit)
		}
	}
	return nil
}

// delta is what the changes change.
func (w *workGraph) delta() *Delta {
	d := &Delta{Document: w.doc}
	for id, p := range w.nodes {
		if p != nil {
			d.Nodes = append(d.Nodes, *p)
		} else if _, ok := w.base.Node(id); ok {
			d.RemovedNodes = append(d.RemovedNodes, id)
		}
	}
	for id, p := range w.rels {
		switch {
		case p != nil:
			d.Relations = append(d.Relations, *p)
		case w.dropped[id]:
			d.RemovedRelations = append(d.RemovedRelations, id)
		}
	}
	for id, p := range w.duties {
		if p != nil {
			d.Duties = append(d.Duties, *p)
		} else {
			d.RemovedDuties = append(d.RemovedDuties, id)
		}
	}
	slices.SortFunc(d.Nodes, CompareNodes)
	slices.SortFunc(d.Relations, CompareRelations)
	slices.SortFunc(d.Duties, CompareDuties)
	slices.Sort(d.RemovedNodes)
	slices.Sort(d.RemovedRelations)
	slices.Sort(d.RemovedDuties)
	return d
}

// materialize is g with the changes made: in g's order, with what the
// changes added after it, in the order they added it.
func (w *workGraph) materialize(g *Graph) *Graph {
	out := &Graph{Documents: append(slices.Clone(g.Documents), w.doc)}
	for _, n := range g.Nodes {
		if p, ok := w.nodes[n.ID]; ok {
			if p == nil || w.created[n.ID] {
				continue
			}
			n = *p
		}
		out.Nodes = append(out.Nodes, n)
	}
	var made []Node
	for id := range w.created {
		made = append(made, *w.nodes[id])
	}
	slices.SortFunc(made, CompareNodes)
	out.Nodes = append(out.Nodes, made...)
	for _, r := range g.Relations {
		if _, touched := w.rels[r.ID]; !touched {
			out.Relations = append(out.Relations, r)
		}
	}
	var added []Relation
	for id := range w.added {
		if p := w.rels[id]; p != nil {
			added = append(added, *p)
		}
	}
	slices.SortFunc(added, CompareRelations)
	out.Relations = append(out.Relations, added...)
	for _, d := range g.Duties {
		if p, ok := w.duties[d.ID]; ok {
			if p == nil {
				continue
			}
			d = *p
		}
		out.Duties = append(out.Duties, d)
	}
	return out
}

// graphIndex is a Source over a graph held whole.
type graphIndex struct {
	nodes   map[string]Node
	codes   map[string]string
	out, in map[string][]Relation
	duties  map[string]Duty
	held    map[string][]Duty
	subs    map[string][]string
	maxSeq  int
}

func indexGraph(g *Graph) *graphIndex {
	x := &graphIndex{
		nodes: make(map[string]Node, len(g.Nodes)), codes: map[string]string{},
		out: map[string][]Relation{}, in: map[string][]Relation{},
		duties: make(map[string]Duty, len(g.Duties)), held: map[string][]Duty{}, subs: map[string][]string{},
	}
	for _, n := range g.Nodes {
		x.nodes[n.ID] = n
		if n.Code != "" {
			x.codes[n.Code] = n.ID
		}
		x.maxSeq = max(x.maxSeq, n.Seq)
	}
	for _, r := range g.Relations {
		x.out[r.From] = append(x.out[r.From], r)
		x.in[r.To] = append(x.in[r.To], r)
		x.maxSeq = max(x.maxSeq, r.Seq)
	}
	for _, d := range g.Duties {
		x.duties[d.ID] = d
		x.held[d.Unit] = append(x.held[d.Unit], d)
		if d.Parent != "" {
			x.subs[d.Parent] = append(x.subs[d.Parent], d.ID)
		}
		x.maxSeq = max(x.maxSeq, d.Seq)
	}
	for _, idx := range []map[string][]Relation{x.out, x.in} {
		for _, rs := range idx {
			slices.SortStableFunc(rs, CompareRelations)
		}
	}
	for _, ds := range x.held {
		slices.SortStableFunc(ds, CompareDuties)
	}
	return x
}

func (x *graphIndex) Node(id string) (Node, bool)             { n, ok := x.nodes[id]; return n, ok }
func (x *graphIndex) NodeWithCode(code string) (string, bool) { id, ok := x.codes[code]; return id, ok }
func (x *graphIndex) RelationsFrom(id string) []Relation      { return x.out[id] }
func (x *graphIndex) RelationsTo(id string) []Relation        { return x.in[id] }
func (x *graphIndex) Duty(id string) (Duty, bool)             { d, ok := x.duties[id]; return d, ok }
func (x *graphIndex) DutiesOf(unit string) []Duty             { return x.held[unit] }
func (x *graphIndex) SubDuties(id string) []string            { return x.subs[id] }
func (x *graphIndex) MaxSeq() int                             { return x.maxSeq }
