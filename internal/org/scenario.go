package org

import (
	"context"
	"time"
)

// Planned is the basis of facts a scenario adds: a planner's change, not yet
// in force.
const Planned Basis = "PLANNED"

// ChangeKind names one kind of change a scenario holds.
type ChangeKind string

// The kinds of change.
const (
	ChangeMove              ChangeKind = "MOVE"               // Node goes under Under
	ChangeCreate            ChangeKind = "CREATE"             // a new unit or position NewNode, under Under, part of PartOf
	ChangeRename            ChangeKind = "RENAME"             // Node takes Name
	ChangeRemove            ChangeKind = "REMOVE"             // Node and its relations go; its duties are left without an owner
	ChangeMerge             ChangeKind = "MERGE"              // Node merges into Into: duties, relations and subordinates move to Into
	ChangeSplit             ChangeKind = "SPLIT"              // Node splits: NewNode takes Duties, the same superior and unit
	ChangeReassignDuty      ChangeKind = "REASSIGN_DUTY"      // Duty (with its letters and dashes) goes to unit To
	ChangeAddCooperation    ChangeKind = "ADD_COOPERATION"    // From declares cooperation with To (Strength, Scope)
	ChangeRemoveCooperation ChangeKind = "REMOVE_COOPERATION" // every cooperation From declares with To goes
	ChangeAddTasking        ChangeKind = "ADD_TASKING"        // position From may task unit To
	ChangeRemoveTasking     ChangeKind = "REMOVE_TASKING"     // position From may no longer task unit To
)

// Change is one step of a scenario. Which fields count depends on Kind.
type Change struct {
	ID       string
	Kind     ChangeKind
	Node     string // the node changed (MOVE, RENAME, REMOVE, MERGE, SPLIT)
	Under    string // the new superior (MOVE, CREATE, optional for CREATE)
	Into     string // the survivor (MERGE)
	Name     string // the new name (RENAME, CREATE, SPLIT)
	NewNode  string // the new node's id (CREATE, SPLIT)
	NodeKind NodeKind
	Code     string   // the new unit's code (CREATE, SPLIT; optional)
	Type     string   // the new unit's type (CREATE; optional)
	PartOf   string   // the unit the new one belongs to (CREATE; optional)
	Duties   []string // the duties that go to the new part (SPLIT)
	Duty     string   // the duty reassigned (REASSIGN_DUTY)
	From, To string   // the ends (REASSIGN_DUTY: To; cooperation and tasking: both)
	Strength Strength // ADD_COOPERATION; PLAIN when empty
	Scope    string   // ADD_COOPERATION
	Note     string   // the planner's reason, shown with the facts it makes
}

// Scenario is a named, ordered list of changes against the baseline.
type Scenario struct {
	ID          string
	Name        string
	Owner       string
	Description string
	Changes     []Change
	// Version counts the scenario's writes, for optimistic concurrency.
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
	// AppliedAt is set once applyScenario has made the scenario the baseline.
	AppliedAt *time.Time
}

// ScenarioStore keeps scenarios and applies them. Both stores implement it
// beside Store and pass the scenario part of internal/storetest.
type ScenarioStore interface {
	// CreateScenario stores a new scenario. ECONFLICT when the id is taken.
	CreateScenario(ctx context.Context, s Scenario) error
	// FindScenarioByID returns a scenario. ENOTFOUND.
	FindScenarioByID(ctx context.Context, id string) (Scenario, error)
	// FindScenarios returns every scenario, ordered by CreatedAt, then ID.
	FindScenarios(ctx context.Context) ([]Scenario, error)
	// UpdateScenario replaces a scenario whose stored Version is version,
	// storing it with Version version+1. ENOTFOUND; ECONFLICT when another
	// write came first.
	UpdateScenario(ctx context.Context, s Scenario, version int) error
	// DeleteScenario removes a scenario. ENOTFOUND.
	DeleteScenario(ctx context.Context, id string) error
	// Snapshot returns the whole baseline graph.
	Snapshot(ctx context.Context) (*Graph, error)
	// ApplyScenario makes g the baseline and stores s (with AppliedAt set),
	// both or neither: s's stored Version must be version (ECONFLICT
	// otherwise). EINVALID when g is malformed.
	ApplyScenario(ctx context.Context, g *Graph, s Scenario, version int) error
}
