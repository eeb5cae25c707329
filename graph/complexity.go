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

// What the expensive questions cost beyond their fields, in the same unit
// as a field (about 30 µs of work on the seed): measured through the real
// handler, they take many times a look-up, and grow with the graph.
const (
	// scenarioImpactCost: builds the scenario's graph and the baseline's,
	// and compares every chain, span, cooperation and tasking (31 ms on the
	// seed, against 0.2 ms for a look-up): a request holds at most four.
	scenarioImpactCost = 1000
	// overlappingDutiesCost: compares every pair of duties (6 ms).
	overlappingDutiesCost = 200
	// orgChartCost: walks the whole graph (1 ms).
	orgChartCost = 40
	// shortestPathCost: a breadth-first walk over every relation of the
	// graph in both directions.
	shortestPathCost = 50
)

// complexity prices the list fields; the rest cost 1 plus their children.
func complexity() ComplexityRoot {
	var c ComplexityRoot
	times := func(n int) func(int) int { return func(child int) int { return 1 + n*child } }
	c.Query.Units = func(child int, _, _, _ *string) int { return times(fewItems)(child) }
	c.Query.Positions = func(child int, _, _ *string) int { return times(fewItems)(child) }
	c.Query.Entities = func(child int, _, _, _ *string) int { return times(allItems)(child) }
	c.Query.Duties = func(child int, _ *string, _ *bool, _, _ *string) int { return times(allItems)(child) }
	c.Query.Relations = func(child int, _ []org.RelationKind, _, _, _, _ *string) int { return times(allItems)(child) }
	c.Query.Search = func(child int, _ string, limit *int, _, _ *string) int {
		n := 50
		if limit != nil && *limit > 0 {
			n = *limit
		}
		return times(n)(child)
	}
	c.Query.Subordinates = func(child int, _ string, _ *bool, _, _ *string) int { return times(manyItems)(child) }
	c.Query.CooperatingUnits = func(child int, _ string, _ *org.Strength, _, _ *string) int { return times(manyItems)(child) }
	c.Query.Cooperation = func(child int, _ string, _ *org.Strength, _, _ *string) int { return times(manyItems)(child) }
	c.Query.Taskers = func(child int, _ string, _, _ *string) int { return times(fewItems)(child) }
	c.Query.OverlappingDuties = func(child int, _ *string, _ *float64, _ *int, _, _ *string) int {
		return overlappingDutiesCost + times(manyItems)(child)
	}
	c.Query.ScenarioImpact = func(child int, _ string, _ *model.RulesInput, _ *string) int { return scenarioImpactCost + child }
	// Two structures compared as a scenario's impact is; a timeline reads
	// every act the graph holds.
	c.Query.StructureChanges = func(child int, _, _ string, _ *string) int { return scenarioImpactCost + child }
	c.Query.Timeline = func(child int, _ string) int { return orgChartCost + times(fewItems)(child) }
	c.Query.ShortestPath = func(child int, _, _ string, _ []org.RelationKind, _, _ *string) int { return shortestPathCost + child }
	c.Query.OrgChart = func(child int, _ *string, _ *int, _, _ *string, _ []org.RelationKind, _ *org.Strength, _ *bool) int {
		return orgChartCost + child
	}
	// A page costs its size times its items' fields (its edges', nodes' and
	// pageInfo's together), up to allItems: priced like the plain lists,
	// whose size is a typical one, so that a page of 1,000 small items
	// passes and nesting under it still multiplies.
	page := func(first *int, child int) int { return times(min(pageSize(first), allItems))(child) }
	c.Query.UnitsConnection = func(child int, _ *string, first *int, _, _, _ *string) int { return page(first, child) }
	c.Query.PositionsConnection = func(child int, first *int, _, _, _ *string) int { return page(first, child) }
	c.Query.DutiesConnection = func(child int, _ *string, _ *bool, first *int, _, _, _ *string) int { return page(first, child) }
	c.Query.RelationsConnection = func(child int, _ []org.RelationKind, _, _ *string, first *int, _, _, _ *string) int {
		return page(first, child)
	}
	c.Query.SearchConnection = func(child int, _ string, first *int, _, _, _ *string) int { return page(first, child) }
	c.Query.SubordinatesConnection = func(child int, _ string, _ *bool, first *int, _, _, _ *string) int { return page(first, child) }
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
	c.OrgChart.Connections = times(allItems)
	c.ChartLink.Provisions = times(fewItems)
	c.ChartLink.Links = times(fewItems)
	c.Query.Scenarios = times(fewItems)
	c.Scenario.Changes = times(manyItems)
	c.Impact.Added = times(fewItems)
	c.Impact.Removed = times(fewItems)
	c.Impact.Renamed = times(fewItems)
	c.Impact.Moved = times(fewItems)
	c.Impact.ChainsChanged = times(fewItems)
	c.Impact.CutOff = times(fewItems)
	c.Impact.Spans = times(manyItems)
	c.Impact.UnownedDuties = times(manyItems)
	c.Impact.HeldTwice = times(fewItems)
	c.Impact.CooperationSplits = times(manyItems)
	c.Impact.TaskingOutsideLine = times(manyItems)
	c.Impact.Breaches = times(fewItems)
	return c
}
