package org

// Rules are the limits a planner checks a structure against; zero means no limit.
type Rules struct {
	MaxSpan  int // most nodes reporting directly to one node
	MaxDepth int // most links from a node up to the top
}

// NodeMove is a node whose direct superior changed.
type NodeMove struct {
	Node          Node
	Before, After *Node // nil: none
}

// Rename is a node whose name changed.
type Rename struct {
	Node         Node
	Before       string
	BeforeSource Provenance // where the earlier name is stated
}

// ChainChange is a node whose chain of command changed.
type ChainChange struct {
	Node          Node
	Before, After Path
}

// SpanChange is a node's span of control before and after.
type SpanChange struct {
	Before, After Span
}

// CooperationSplit is a cooperation whose partners' lowest common superior
// changed: they no longer meet in one reporting line where they did.
type CooperationSplit struct {
	Relation      Relation
	Before, After *Node // the lowest common superior; nil when none
}

// TaskingOutside is a tasking authority outside the unit's reporting line.
type TaskingOutside struct {
	Tasking Tasking
	// New is set when the authority was within the line, or absent, before.
	New bool
}

// Breach is a node that breaks a rule.
type Breach struct {
	Node       Node
	Rule       string // MAX_SPAN or MAX_DEPTH
	Value      int
	Limit      int
	InBaseline bool // the baseline broke it too
}

// Impact is what a scenario changes against the baseline.
type Impact struct {
	Added, Removed    []Node
	Renamed           []Rename
	Moved             []NodeMove
	ChainsChanged     []ChainChange
	CutOff            []Node // nodes whose line no longer reaches the top it reached
	Spans             []SpanChange
	UnownedDuties     []Duty    // duties whose unit is gone
	HeldTwice         []Overlap // overlaps between units that the scenario creates
	CooperationSplits []CooperationSplit
	TaskingOutside    []TaskingOutside
	Breaches          []Breach
	// What changed beyond nodes and lines: structureChanges fills it.
	FactChanges
}

func byID(nodes []Node) map[string]Node {
	m := make(map[string]Node, len(nodes))
	for _, n := range nodes {
		m[n.ID] = n
	}
	return m
}

func superior(p Path) *Node {
	if len(p.Nodes) < 2 || p.Links[0].Relation.Kind != ReportsTo {
		return nil
	}
	return &p.Nodes[1]
}

func superiorID(n *Node) string {
	if n == nil {
		return ""
	}
	return n.ID
}

func top(p Path) string { return p.Nodes[len(p.Nodes)-1].ID }

func pathIDs(p Path) []string {
	ids := make([]string, len(p.Nodes))
	for i, n := range p.Nodes {
		ids[i] = n.ID
	}
	return ids
}
