package org

import (
	"context"
	"fmt"
	"slices"
)

// Role is what a caller may do: each role may do what the roles before it
// may, and more.
type Role string

// The roles, least first.
const (
	RoleViewer  Role = "viewer"  // reads the baseline and the scenarios shared with it
	RolePlanner Role = "planner" // drafts scenarios, shares them, submits them for review
	RoleAdmin   Role = "admin"   // reviews and applies scenarios, imports acts, reads the audit log
)

// Roles lists the roles, least first.
var Roles = []Role{RoleViewer, RolePlanner, RoleAdmin}

// ParseRole returns the role named s. EINVALID for any other name.
func ParseRole(s string) (Role, error) {
	if r := Role(s); slices.Contains(Roles, r) {
		return r, nil
	}
	return "", Errorf(EINVALID, "%q is not a role: viewer, planner or admin", s)
}

// Principal is who asks: a subject (a user or a service, as its token
// names it) acting in a role. The transport authenticates it and puts it in
// the request's context (WithPrincipal); the domain decides with it.
type Principal struct {
	Subject string
	Role    Role
	// Anonymous is set for a request that carried no credentials; its
	// subject is AnonymousSubject, shared by every such request.
	Anonymous bool
}

// AnonymousSubject is the subject of a request without credentials.
const AnonymousSubject = "anonymous"

// Permission is one thing a role may do.
type Permission string

// The permissions, in the order Permissions lists them.
const (
	PermReadBaseline     Permission = "READ_BASELINE"      // every read query without a scenario
	PermReadShared       Permission = "READ_SHARED"        // scenarios shared with the caller, or with everyone, and applied ones
	PermCreateScenario   Permission = "CREATE_SCENARIO"    // start a scenario, owned by the caller
	PermEditOwn          Permission = "EDIT_OWN_SCENARIO"  // change, share, submit and delete the caller's own scenarios
	PermReadAllScenarios Permission = "READ_ALL_SCENARIOS" // every scenario, whoever owns it
	PermReviewScenario   Permission = "REVIEW_SCENARIO"    // approve or reject a submitted scenario
	PermApplyScenario    Permission = "APPLY_SCENARIO"     // make an approved scenario the baseline
	PermDeleteScenario   Permission = "DELETE_SCENARIO"    // delete any scenario not applied
	PermImportOrdinance  Permission = "IMPORT_ORDINANCE"   // load an act into the baseline
	PermReadAuditLog     Permission = "READ_AUDIT_LOG"     // the record of applies, imports and reviews
)

// rolePermissions is the one table of who may do what: each role's own
// permissions, on top of those of the roles before it.
var rolePermissions = map[Role][]Permission{
	RoleViewer:  {PermReadBaseline, PermReadShared},
	RolePlanner: {PermCreateScenario, PermEditOwn},
	RoleAdmin: {PermReadAllScenarios, PermReviewScenario, PermApplyScenario, PermDeleteScenario,
		PermImportOrdinance, PermReadAuditLog},
}

// what says in words what a permission allows, for error messages.
var what = map[Permission]string{
	PermReadBaseline: "reading the baseline", PermReadShared: "reading a scenario",
	PermCreateScenario: "creating a scenario", PermEditOwn: "changing a scenario",
	PermReadAllScenarios: "reading every scenario", PermReviewScenario: "reviewing a scenario",
	PermApplyScenario: "applying a scenario", PermDeleteScenario: "deleting a scenario",
	PermImportOrdinance: "importing an ordinance", PermReadAuditLog: "reading the audit log",
}

// Permissions returns what role r may do, in the table's order; none for
// an unknown role.
func Permissions(r Role) []Permission {
	var out []Permission
	for _, role := range Roles {
		out = append(out, rolePermissions[role]...)
		if role == r {
			return out
		}
	}
	return nil
}

// leastRole returns the least role that has p.
func leastRole(p Permission) Role {
	for _, r := range Roles {
		if slices.Contains(rolePermissions[r], p) {
			return r
		}
	}
	return RoleAdmin
}

// Can reports whether the principal's role has permission p.
func (p Principal) Can(perm Permission) bool {
	return slices.Contains(Permissions(p.Role), perm)
}

// Authorize returns EFORBIDDEN, naming the role needed, unless p may do perm.
func Authorize(p Principal, perm Permission) error {
	if p.Can(perm) {
		return nil
	}
	as := string(p.Role)
	if as == "" {
		as = "no role"
	}
	return &Error{Code: EFORBIDDEN, Message: fmt.Sprintf("%s needs the %s role; %s acts as %s", what[perm], leastRole(perm), p.name(), as)}
}

func (p Principal) name() string {
	if p.Anonymous || p.Subject == "" {
		return "an anonymous caller"
	}
	return fmt.Sprintf("%q", p.Subject)
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p: what the transport does once it
// has authenticated a request.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal ctx carries; without one, a principal
// with no role, who may do nothing.
func PrincipalFrom(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey{}).(Principal)
	return p
}

// Me says who ctx's principal is and what it may do.
func (s *Service) Me(ctx context.Context) (Principal, []Permission) {
	p := PrincipalFrom(ctx)
	return p, Permissions(p.Role)
}

// Authorize returns EFORBIDDEN unless ctx's principal may do perm: for
// the transport's checks of what the domain does not itself do (an import
// is parsed outside it).
func (s *Service) Authorize(ctx context.Context, perm Permission) error {
	return Authorize(PrincipalFrom(ctx), perm)
}

// mayRead reports whether p may read sc: its owner, an admin, a subject
// it is shared with (or everyone, when shared with Everyone), and anyone
// for an applied scenario, which is part of the baseline's record.
func mayRead(p Principal, sc Scenario) bool {
	switch {
	case !p.Can(PermReadShared):
		return false
	case p.Can(PermReadAllScenarios), sc.Status == StatusApplied:
		return true
	case p.Subject != "" && sc.Owner == p.Subject:
		return true
	}
	for _, who := range sc.SharedWith {
		if who == Everyone || (p.Subject != "" && who == p.Subject) {
			return true
		}
	}
	return false
}

// mayEdit returns nil when p may change sc (its content, its sharing, its
// submission): p owns it and has the planner's permission.
func mayEdit(p Principal, sc Scenario) error {
	if err := Authorize(p, PermEditOwn); err != nil {
		return err
	}
	if sc.Owner != p.Subject {
		return Errorf(EFORBIDDEN, "scenario %s belongs to %q; only its owner may change it", sc.ID, sc.Owner)
	}
	return nil
}
