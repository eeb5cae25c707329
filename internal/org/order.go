package org

import "cmp"

// The order stores return things in: by Seq, then ID. Written once here so
// that every store and every caller sorts alike.

// CompareRelations orders relations by Seq, then ID.
func CompareRelations(a, b Relation) int {
	return cmp.Or(cmp.Compare(a.Seq, b.Seq), cmp.Compare(a.ID, b.ID))
}

// CompareDuties orders duties by Seq, then ID.
func CompareDuties(a, b Duty) int {
	return cmp.Or(cmp.Compare(a.Seq, b.Seq), cmp.Compare(a.ID, b.ID))
}
