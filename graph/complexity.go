package graph

import (
	"github.com/orgraph/orgraph/graph/model"
	"github.com/orgraph/orgraph/internal/org"
)

// Typical list sizes, so that the complexity limit sees how a nested list
// multiplies the work: a field's cost is its children's times its size.
const (
	fewItems  = 10 // units, positions, subordinates, taskers
	manyItems = 30 // duties, cooperation, relations of one node
	allItems  = 100
)

// complexity prices the list fields; the rest cost 1 plus their children.
func complexity() ComplexityRoot {
	var c ComplexityRoot
	times := func(n int) func(int) int { return func(child int) int { return 1 + n*child } }
	c.Query.Units = func(child int, _, _ *string) int { return times(fewItems)(child) }
	c.Query.Positions = func(child int, _ *string) int { return times(fewItems)(child) }
	c.Query.Entities = func(child int, _, _ *string) int { return times(allItems)(child) }
	c.Query.Duties = func(child int, _ *string, _ *bool, _ *string) int { return times(allItems)(child) }
	c.Query.Relations = func(child int, _ []org.RelationKind, _, _, _ *string) int { return times(allItems)(child) }
	c.Query.Search = func(child int, _ string, limit *int, _ *string) int {
		n := 50
		if limit != nil && *limit > 0 {
			n = *limit
		}
		return times(n)(child)
	}
	c.Query.Subordinates = func(child int, _ string, _ *bool, _ *string) int { return times(manyItems)(child) }
	c.Query.CooperatingUnits = func(child int, _ string, _ *org.Strength, _ *string) int { return times(manyItems)(child) }
	c.Query.Cooperation = func(child int, _ string, _ *org.Strength, _ *string) int { return times(manyItems)(child) }
	c.Query.Taskers = func(child int, _ string, _ *string) int { return times(fewItems)(child) }
	c.Query.OverlappingDuties = func(child int, _ *string, _ *float64, _ *int, _ *string) int { return times(manyItems)(child) }
	c.Unit.Duties = func(child int, _ *bool) int { return times(manyItems)(child) }
	c.Unit.Parts = times(fewItems)
	c.Unit.Subordinates = func(child int, _ *bool) int { return times(fewItems)(child) }
	c.Unit.Cooperation = func(child int, _ *org.Strength) int { return times(manyItems)(child) }
	c.Unit.Taskers = times(fewItems)
	c.Unit.Relations = func(child int, _ []org.RelationKind, _ *model.Direction) int { return times(manyItems)(child) }
	c.Position.Subordinates = func(child int, _ *bool) int { return times(fewItems)(child) }
	c.Position.MayTask = times(manyItems)
	c.Position.Heads = times(fewItems)
	c.Position.Relations = func(child int, _ []org.RelationKind, _ *model.Direction) int { return times(manyItems)(child) }
	c.Entity.Relations = func(child int, _ []org.RelationKind, _ *model.Direction) int { return times(manyItems)(child) }
	c.Duty.Children = times(fewItems)
	c.Duty.Relations = times(fewItems)
	c.Path.Nodes = times(fewItems)
	c.Path.Links = times(fewItems)
	c.OrgChart.Nodes = times(allItems)
	c.OrgChart.Links = times(allItems)
	c.Query.Scenarios = times(fewItems)
	c.Scenario.Changes = times(manyItems)
	return c
}
