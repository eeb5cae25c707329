package org_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/orgraph/orgraph/internal/org"
)

// Each role may do what the roles before it may, and more; a refusal names
// the least role that would do.
func TestRolesAreNestedAndRefusalsNameTheRoleNeeded(t *testing.T) {
	var before []org.Permission
	for _, r := range org.Roles {
		perms := org.Permissions(r)
		if len(perms) <= len(before) || !slices.Equal(perms[:len(before)], before) {
			t.Errorf("%s may %v, which does not extend %v", r, perms, before)
		}
		for _, p := range perms {
			if err := org.Authorize(org.Principal{Subject: "x", Role: r}, p); err != nil {
				t.Errorf("%s may %s, yet: %v", r, p, err)
			}
		}
		before = perms
	}
	all := org.Permissions(org.RoleAdmin)
	for _, p := range all {
		least := ""
		for _, r := range org.Roles {
			if slices.Contains(org.Permissions(r), p) {
				least = string(r)
				break
			}
		}
		for _, r := range append([]org.Role{""}, org.Roles...) {
			err := org.Authorize(org.Principal{Subject: "x", Role: r}, p)
			if slices.Contains(org.Permissions(r), p) {
				continue
			}
			if msg := org.ErrorMessage(err); org.ErrorCode(err) != org.EFORBIDDEN || strings.HasPrefix(msg, " ") || !strings.Contains(msg, " needs the "+least+" role") {
				t.Errorf("%s as %q: got %v, want FORBIDDEN naming %s", p, r, err, least)
			}
		}
	}
	if org.Permissions("root") != nil {
		t.Error("an unknown role may do something")
	}
	for _, s := range []string{"viewer", "planner", "admin"} {
		if r, err := org.ParseRole(s); err != nil || string(r) != s {
			t.Errorf("ParseRole(%q): %q, %v", s, r, err)
		}
	}
	if _, err := org.ParseRole("Admin"); org.ErrorCode(err) != org.EINVALID {
		t.Errorf("ParseRole(Admin): %v, want EINVALID", err)
	}
}
