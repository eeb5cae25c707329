package org

import (
	"cmp"
	"slices"
)

// The one order stores return nodes, relations and duties in: by Seq (the
// place in the text), then ID to break ties. Neo4j's queries spell it
// ORDER BY x.seq, x.id; Go code sorts with these.

// CompareNodes orders nodes as stores return them: by Seq, then ID.
func CompareNodes(a, b Node) int { return bySeqThenID(a.Seq, a.ID, b.Seq, b.ID) }

// CompareRelations orders relations as stores return them: by Seq, then ID.
func CompareRelations(a, b Relation) int { return bySeqThenID(a.Seq, a.ID, b.Seq, b.ID) }

// CompareDuties orders duties as stores return them: by Seq, then ID.
func CompareDuties(a, b Duty) int { return bySeqThenID(a.Seq, a.ID, b.Seq, b.ID) }

func bySeqThenID(aSeq int, aID string, bSeq int, bID string) int {
	return cmp.Or(cmp.Compare(aSeq, bSeq), cmp.Compare(aID, bID))
}

// SortNeighbourhood puts the parts of nb in the order FindNeighbourhood promises.
func SortNeighbourhood(nb *Neighbourhood) {
	slices.SortFunc(nb.Nodes, CompareNodes)
	slices.SortFunc(nb.Duties, CompareDuties)
	slices.SortFunc(nb.Relations, CompareRelations)
	slices.SortFunc(nb.Ends, CompareNodes)
}
