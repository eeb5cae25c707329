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

// Status is where a scenario stands in its review.
type Status string

// A scenario moves DRAFT → SUBMITTED → APPROVED or REJECTED → APPLIED. An
// edit of a submitted, approved or rejected scenario returns it to DRAFT;
// an applied one changes no more.
const (
	StatusDraft     Status = "DRAFT"
	StatusSubmitted Status = "SUBMITTED"
	StatusApproved  Status = "APPROVED"
	StatusRejected  Status = "REJECTED"
	StatusApplied   Status = "APPLIED"
)

// Everyone, in a scenario's SharedWith, shares it with every reader.
const Everyone = "*"

// Scenario is a named, ordered list of changes against the baseline.
type Scenario struct {
	ID          string
	Name        string
	Owner       string // the subject who created it
	Description string
	Changes     []Change
	Status      Status
	// SharedWith names the subjects besides the owner who may read it
	// (Everyone: all), sorted.
	SharedWith []string `json:",omitempty"`
	// Review is the last approval's or rejection's: who, and the comment.
	ReviewedBy    string `json:",omitempty"`
	ReviewComment string `json:",omitempty"`
	// Version counts the scenario's writes, for optimistic concurrency.
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
	// AppliedAt is set once applyScenario has made the scenario the baseline.
	AppliedAt *time.Time
}

// AuditAction names what an audit entry records.
type AuditAction string

// The actions the audit log records: every change of the baseline, and
// every review.
const (
	AuditApply   AuditAction = "APPLY"   // a scenario became the baseline
	AuditImport  AuditAction = "IMPORT"  // an ordinance was loaded into the baseline
	AuditApprove AuditAction = "APPROVE" // a submitted scenario was approved
	AuditReject  AuditAction = "REJECT"  // a submitted scenario was rejected, with a comment
)

// AuditEntry records one action: who, when, what, and the baseline's
// revision before and after it (the same for a review).
type AuditEntry struct {
	ID      string
	At      time.Time
	Subject string
	Role    Role
	Action  AuditAction
	// Target is what the action was on: a scenario's id, or the document
	// an import loaded; Name its name.
	Target, Name string
	Comment      string // a rejection's comment
	// RevisionBefore and RevisionAfter are the store's (Revisioner) as the
	// write found and left the baseline; the store sets them.
	RevisionBefore, RevisionAfter string
}

// ScenarioStore keeps scenarios, applies them, and keeps the audit log.
// Both stores implement it beside Store and pass the scenario part of
// internal/storetest.
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
	// ApplyScenario makes g the baseline, stores s (with AppliedAt set) and
	// appends e to the audit log, all or none: s's stored Version must be
	// version (ECONFLICT otherwise). EINVALID when g is malformed. When
	// e.RevisionBefore is set, it is the baseline revision g was computed
	// from: ECONFLICT, and nothing written, when the baseline is at another.
	ApplyScenario(ctx context.Context, g *Graph, s Scenario, version int, e AuditEntry) error
	// ReviewScenario is UpdateScenario and appends e to the audit log, both
	// or neither.
	ReviewScenario(ctx context.Context, s Scenario, version int, e AuditEntry) error
	// LoadAudited is Load and appends e to the audit log, both or neither.
	LoadAudited(ctx context.Context, g *Graph, e AuditEntry) error
	// AuditLog returns at most first entries of the audit log, oldest
	// first (by At, then ID), after the entry with id after (from the
	// start when after is ""; none when no entry has that id).
	AuditLog(ctx context.Context, first int, after string) ([]AuditEntry, error)
}
