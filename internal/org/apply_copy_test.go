package org

import (
	"fmt"
	"slices"
	"strings"
)

// The test oracle of ApplyChanges: the scenario's changes applied to a
// whole copy of the graph, scanning it for what each change touches, as
// ApplyChanges did before it kept only a delta.

// applyChangesByCopy returns the graph as the scenario's changes would leave it;
// g is not modified. Each change is checked against the graph the changes
// before it made: an unknown node is ENOTFOUND; a reporting cycle, removing
// the top of the reporting lines, or a change that does not fit is EINVALID;
// an id already taken is ECONFLICT. The error names the change.
func applyChangesByCopy(g *Graph, s Scenario) (*Graph, error) {
	w := newWorkGraph(g)
	doc := "scenario:" + s.ID
	w.Documents = append(w.Documents, Document{ID: doc, Title: "Scenario " + s.Name, Issuer: s.Owner})
	for i, c := range s.Changes {
		if err := w.apply(doc, i+1, c); err != nil {
			return nil, Errorf(ErrorCode(err), "change %d (%s): %s", i+1, strings.ToLower(string(c.Kind)), ErrorMessage(err))
		}
	}
	out := w.graph()
	if err := Validate(out); err != nil {
		return nil, err
	}
	return out, nil
}

// copyGraph is a graph being changed, with its nodes indexed.
type copyGraph struct {
	Graph
	nodes map[string]int // id → index in Nodes
	seq   int
}

func newWorkGraph(g *Graph) *copyGraph {
	w := &copyGraph{Graph: Graph{
		Documents: slices.Clone(g.Documents),
		Nodes:     slices.Clone(g.Nodes),
		Relations: slices.Clone(g.Relations),
		Duties:    slices.Clone(g.Duties),
	}}
	w.index()
	for _, n := range w.Nodes {
		w.seq = max(w.seq, n.Seq)
	}
	for _, r := range w.Relations {
		w.seq = max(w.seq, r.Seq)
	}
	for _, d := range w.Duties {
		w.seq = max(w.seq, d.Seq)
	}
	return w
}

func (w *copyGraph) index() {
	w.nodes = make(map[string]int, len(w.Nodes))
	for i, n := range w.Nodes {
		w.nodes[n.ID] = i
	}
}

func (w *copyGraph) graph() *Graph { return &w.Graph }

func (w *copyGraph) node(id string) (Node, error) {
	if strings.TrimSpace(id) == "" {
		return Node{}, Errorf(EINVALID, "a node is missing")
	}
	i, ok := w.nodes[id]
	if !ok {
		return Node{}, Errorf(ENOTFOUND, "no node %q", id)
	}
	return w.Nodes[i], nil
}

func (w *copyGraph) nextSeq() int { w.seq++; return w.seq }

// relate adds a planned relation made by change n.
func (w *copyGraph) relate(doc string, n int, c Change, r Relation) {
	r.Seq = w.nextSeq()
	r.ID = fmt.Sprintf("%s:%s>%s@%s change %d", r.Kind, r.From, r.To, doc, n)
	reason := fmt.Sprintf("planned by change %d of the scenario", n)
	if c.Note != "" {
		reason += ": " + c.Note
	}
	r.Source = Provenance{Document: doc, Provision: fmt.Sprintf("change %d", n), Basis: Planned, Reason: reason}
	w.Relations = append(w.Relations, r)
}

// dropRelations removes the relations keep rejects.
func (w *copyGraph) dropRelations(drop func(Relation) bool) int {
	before := len(w.Relations)
	w.Relations = slices.DeleteFunc(w.Relations, drop)
	return before - len(w.Relations)
}

// superiorOf returns the node's REPORTS_TO target of lowest Seq.
func (w *copyGraph) superiorOf(id string) string {
	best := Relation{}
	for _, r := range w.Relations {
		if r.Kind == ReportsTo && r.From == id && (best.ID == "" || r.Seq < best.Seq) {
			best = r
		}
	}
	return best.To
}

// reportsUpTo reports whether walking up from id reaches top.
func (w *copyGraph) reportsUpTo(id, top string) bool {
	seen := map[string]bool{}
	for at := id; at != "" && !seen[at]; at = w.superiorOf(at) {
		if at == top {
			return true
		}
		seen[at] = true
	}
	return false
}

func (w *copyGraph) apply(doc string, n int, c Change) error {
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
		w.dropRelations(func(r Relation) bool { return r.Kind == ReportsTo && r.From == node.ID })
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
		w.Nodes[w.nodes[node.ID]] = node
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
		if w.reportsUpTo(into.ID, node.ID) && w.superiorOf(into.ID) == node.ID {
			// into reported to node: it takes node's place in the line.
			w.dropRelations(func(r Relation) bool { return r.Kind == ReportsTo && r.From == into.ID })
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
		for _, r := range slices.Clone(w.Relations) {
			if r.From == node.ID && (r.Kind == ReportsTo || r.Kind == PartOf) {
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
		if w.dropRelations(func(r Relation) bool { return r.Kind == kind && r.From == c.From && r.To == c.To }) == 0 {
			return Errorf(EINVALID, "there is no %s from %s to %s", kind, c.From, c.To)
		}
	default:
		return Errorf(EINVALID, "unknown kind of change %q", c.Kind)
	}
	return nil
}

func (w *copyGraph) create(doc string, n int, c Change, id string, kind NodeKind, name, code, typ string) error {
	id, name = strings.TrimSpace(id), strings.TrimSpace(name)
	switch {
	case id == "" || name == "":
		return Errorf(EINVALID, "a new node needs an id and a name")
	case CheckRef(id) != nil:
		return CheckRef(id)
	}
	if _, ok := w.nodes[id]; ok {
		return Errorf(ECONFLICT, "id %q is taken", id)
	}
	for _, other := range w.Nodes {
		if code != "" && other.Code == code {
			return Errorf(ECONFLICT, "code %q is taken by %s", code, other.ID)
		}
	}
	reason := fmt.Sprintf("planned by change %d of the scenario", n)
	if c.Note != "" {
		reason += ": " + c.Note
	}
	w.Nodes = append(w.Nodes, Node{
		ID: id, Kind: kind, Name: name, Code: code, Type: typ, Seq: w.nextSeq(),
		Source: Provenance{Document: doc, Provision: fmt.Sprintf("change %d", n), Basis: Planned, Reason: reason},
	})
	w.nodes[id] = len(w.Nodes) - 1
	return nil
}

func (w *copyGraph) hasSubordinates(id string) bool {
	return slices.ContainsFunc(w.Relations, func(r Relation) bool { return r.Kind == ReportsTo && r.To == id })
}

// remove drops a node, its relations, and its duties: they are left without an owner.
func (w *copyGraph) remove(id string) {
	w.Nodes = slices.DeleteFunc(w.Nodes, func(n Node) bool { return n.ID == id })
	w.dropRelations(func(r Relation) bool { return r.From == id || r.To == id })
	w.Duties = slices.DeleteFunc(w.Duties, func(d Duty) bool { return d.Unit == id })
	w.index()
}

// merge moves what from holds onto into, then removes from.
func (w *copyGraph) merge(doc string, n int, c Change, from, into string) {
	for i, d := range w.Duties {
		if d.Unit == from {
			w.Duties[i].Unit = into
		}
	}
	for _, r := range slices.Clone(w.Relations) {
		if r.From != from && r.To != from {
			continue
		}
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
		dup := slices.ContainsFunc(w.Relations, func(x Relation) bool {
			return x.Kind == moved.Kind && x.From == moved.From && x.To == moved.To
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
func (w *copyGraph) reassign(id, owner, to string) error {
	i := slices.IndexFunc(w.Duties, func(d Duty) bool { return d.ID == id })
	if i < 0 {
		return Errorf(ENOTFOUND, "no duty %q", id)
	}
	if owner != "" && w.Duties[i].Unit != owner {
		return Errorf(EINVALID, "duty %q belongs to %s, not %s", id, w.Duties[i].Unit, owner)
	}
	if w.Duties[i].Common {
		return Errorf(EINVALID, "duty %q is common to all units", id)
	}
	moving := map[string]bool{id: true}
	for j, d := range w.Duties { // children follow their parents in Seq order
		if moving[d.ID] || moving[d.Parent] {
			moving[d.ID] = true
			w.Duties[j].Unit = to
		}
	}
	return nil
}
