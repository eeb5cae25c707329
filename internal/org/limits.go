package org

import (
	"context"
	"regexp"
	"strings"
)

// Caps on what scenarios may hold, so that storage stays bounded whoever
// writes. A create or an edit past them is refused with ECONFLICT and
// leaves everything as it was.
const (
	// MaxScenariosPerOwner bounds the scenarios one owner keeps (applied
	// ones included: they are the record of the baseline's changes).
	MaxScenariosPerOwner = 100
	// MaxChangesPerScenario bounds one scenario's changes.
	MaxChangesPerScenario = 500
)

// Length limits on the text a change carries, in bytes. Longer input is
// EINVALID.
const (
	MaxNameLength  = 200  // a node's or a scenario's name, an owner
	MaxNoteLength  = 2000 // a change's note
	MaxScopeLength = 500  // a cooperation's scope words
	MaxTypeLength  = 100  // a new unit's type
	MaxDescription = 5000 // a scenario's description
	maxDuties      = 500  // duties a split hands over
)

// codeRE is the shape of a unit code: the department's letters, then the
// unit's numbers ("KS-07", "PO-01-1"), as the importer reads them.
var codeRE = regexp.MustCompile(`^[A-Z]{1,4}-[0-9]{1,3}(?:-[0-9]{1,3})*$`)

// CheckCode returns EINVALID unless code has the shape of a unit code.
func CheckCode(code string) error {
	if !codeRE.MatchString(code) {
		return Errorf(EINVALID, "%q is not a unit code: codes look like KS-07 (capital letters, a dash, digits)", code)
	}
	return nil
}

// checkChange refuses a change whose text is too long or malformed before
// it is checked against the graph.
func checkChange(c Change) error {
	for _, f := range []struct {
		what, value string
		max         int
	}{
		{"name", c.Name, MaxNameLength}, {"note", c.Note, MaxNoteLength},
		{"scope", c.Scope, MaxScopeLength}, {"type", c.Type, MaxTypeLength},
	} {
		if len(f.value) > f.max {
			return Errorf(EINVALID, "a change's %s takes at most %d bytes; this one has %d", f.what, f.max, len(f.value))
		}
	}
	for _, ref := range []string{c.Node, c.Under, c.Into, c.NewNode, c.PartOf, c.Duty, c.From, c.To} {
		if ref = strings.TrimSpace(ref); ref != "" {
			if err := CheckRef(ref); err != nil {
				return err
			}
		}
	}
	if len(c.Duties) > maxDuties {
		return Errorf(EINVALID, "a split hands over at most %d duties", maxDuties)
	}
	for _, d := range c.Duties {
		if err := CheckRef(d); err != nil {
			return err
		}
	}
	if c.Code != "" {
		return CheckCode(c.Code)
	}
	return nil
}

// checkScenarioText refuses a scenario's name, owner or description when
// too long.
func checkScenarioText(name, owner, description string) error {
	switch {
	case name == "":
		return Errorf(EINVALID, "a scenario needs a name")
	case len(name) > MaxNameLength || len(owner) > MaxNameLength || len(description) > MaxDescription:
		return Errorf(EINVALID, "name and owner take at most %d bytes, description %d", MaxNameLength, MaxDescription)
	}
	return nil
}

// checkOwnerRoom refuses a new scenario for an owner who keeps
// MaxScenariosPerOwner already.
func checkOwnerRoom(ctx context.Context, ss ScenarioStore, owner string) error {
	all, err := ss.FindScenarios(ctx)
	if err != nil {
		return err
	}
	n := 0
	for _, sc := range all {
		if sc.Owner == owner {
			n++
		}
	}
	if n >= MaxScenariosPerOwner {
		return Errorf(ECONFLICT, "owner %q keeps %d scenarios, the most one owner may; delete one first", owner, n)
	}
	return nil
}
