package memstore

import (
	"slices"

	"github.com/orgraph/orgraph/internal/org"
)

var _ org.Forker = (*Store)(nil)

// The store is the org.Source its scenarios are applied to: what a change
// touches is read from the maps, nothing is copied.

// Node returns the node with the given id.
func (s *Store) Node(id string) (org.Node, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.nodes.get(id)
}

// NodeWithCode returns the id of the unit with the given code.
func (s *Store) NodeWithCode(code string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.codes.get(code)
}

// RelationsFrom returns the relations from a node, ordered by Seq, then ID.
// The caller does not change the slice.
func (s *Store) RelationsFrom(id string) []org.Relation {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.out.at(id)
}

// RelationsTo returns the relations to a node, ordered by Seq, then ID.
// The caller does not change the slice.
func (s *Store) RelationsTo(id string) []org.Relation {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.in.at(id)
}

// Duty returns the duty with the given id.
func (s *Store) Duty(id string) (org.Duty, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.duties.get(id)
}

// DutiesOf returns the duties a unit holds, ordered by Seq, then ID. The
// caller does not change the slice.
func (s *Store) DutiesOf(unit string) []org.Duty {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.held.at(unit)
}

// SubDuties returns the ids of the duties whose parent is id.
func (s *Store) SubDuties(id string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for _, sub := range s.subs.at(id) {
		if _, ok := s.duties.get(sub); ok {
			out = append(out, sub)
		}
	}
	return out
}

// MaxSeq is the greatest Seq of the baseline's nodes, relations and duties.
func (s *Store) MaxSeq() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.maxSeq
}

// Freeze returns the baseline as it is now, as a store that no later write
// changes, sharing the maps (a write builds new ones): what a scenario's
// view forks. It costs no copy.
func (s *Store) Freeze() org.Forker {
	s.mu.RLock()
	defer s.mu.RUnlock()
	f := s.shared()
	f.revision.Store(s.revision.Load())
	return f
}

// shared is a store over s's maps, with no scenarios and no file. The
// caller holds s's lock.
func (s *Store) shared() *Store {
	return &Store{
		documents: s.documents, nodes: s.nodes, codes: s.codes, relations: s.relations, duties: s.duties,
		folded: s.folded, out: s.out, in: s.in, held: s.held, subs: s.subs, kinds: s.kinds, maxSeq: s.maxSeq,
		pages:     s.pages, // the same maps: the same lists
		scenarios: map[string]org.Scenario{},
	}
}

// Fork returns a store that answers as s with d applied: it shares s's
// maps and holds only what d changes, and the lists of relations and
// duties of the nodes d touches. s is a baseline no write changes (Freeze,
// or a store Overlay made and nothing loads into); d was made from it
// (org.ApplyDelta).
func (s *Store) Fork(d *org.Delta) org.Store {
	s.mu.RLock()
	defer s.mu.RUnlock()
	f := s.shared()
	f.pages = newPageIndex() // its lists are its own
	f.forkOf = s.shared()    // its maps and index as they are now, whatever is written to s later
	f.documents, f.nodes, f.codes = s.documents.fork(), s.nodes.fork(), s.codes.fork()
	f.relations, f.duties, f.folded = s.relations.fork(), s.duties.fork(), s.folded.fork()
	f.out, f.in, f.held = s.out.fork(), s.in.fork(), s.held.fork()

	f.documents.set(d.Document.ID, d.Document)
	for _, id := range d.RemovedNodes {
		if n, ok := f.nodes.get(id); ok && n.Code != "" && f.codes.at(n.Code) == id {
			f.codes.del(n.Code)
		}
		f.nodes.del(id)
		f.folded.del(id)
	}
	for _, n := range d.Nodes {
		if old, ok := f.nodes.get(n.ID); ok && old.Code != "" && old.Code != n.Code && f.codes.at(old.Code) == n.ID {
			f.codes.del(old.Code)
		}
		f.nodes.set(n.ID, n)
		if n.Code != "" {
			f.codes.set(n.Code, n.ID)
		}
		f.folded.set(n.ID, org.FoldedWords(n.Name))
	}

	// Relations: the lists of every end a change touches are made anew.
	changed := map[string]bool{}
	froms, tos := map[string]bool{}, map[string]bool{}
	touch := func(r org.Relation) {
		changed[r.ID] = true
		froms[r.From], tos[r.To] = true, true
	}
	for _, id := range d.RemovedRelations {
		if r, ok := f.relations.get(id); ok {
			touch(r)
		}
		f.relations.del(id)
	}
	addedFrom, addedTo := map[string][]org.Relation{}, map[string][]org.Relation{}
	for _, r := range d.Relations {
		if old, ok := f.relations.get(r.ID); ok {
			touch(old)
		}
		touch(r)
		f.relations.set(r.ID, r)
		addedFrom[r.From] = append(addedFrom[r.From], r)
		addedTo[r.To] = append(addedTo[r.To], r)
	}
	relist := func(base []org.Relation, added []org.Relation) []org.Relation {
		var out []org.Relation
		for _, r := range base {
			if !changed[r.ID] {
				out = append(out, r)
			}
		}
		out = append(out, added...)
		slices.SortFunc(out, org.CompareRelations)
		return out
	}
	for id := range froms {
		f.out.set(id, relist(s.out.at(id), addedFrom[id]))
	}
	for id := range tos {
		f.in.set(id, relist(s.in.at(id), addedTo[id]))
	}

	// Duties: likewise the lists of every unit that loses or gains one.
	moved := map[string]bool{}
	units := map[string]bool{}
	for _, id := range d.RemovedDuties {
		if old, ok := f.duties.get(id); ok {
			units[old.Unit] = true
		}
		moved[id] = true
		f.duties.del(id)
		f.folded.del(id)
	}
	gained := map[string][]org.Duty{}
	for _, du := range d.Duties {
		if old, ok := f.duties.get(du.ID); ok {
			units[old.Unit] = true
		}
		units[du.Unit] = true
		moved[du.ID] = true
		f.duties.set(du.ID, du)
		gained[du.Unit] = append(gained[du.Unit], du)
	}
	for u := range units {
		var held []org.Duty
		for _, du := range s.held.at(u) {
			if !moved[du.ID] {
				held = append(held, du)
			}
		}
		held = append(held, gained[u]...)
		slices.SortFunc(held, org.CompareDuties)
		f.held.set(u, held)
	}
	for _, r := range d.Relations {
		f.maxSeq = max(f.maxSeq, r.Seq)
	}
	for _, n := range d.Nodes {
		f.maxSeq = max(f.maxSeq, n.Seq)
	}
	return f
}
