package servertest

import (
	"github.com/orgraph/orgraph/internal/auth"
	"github.com/orgraph/orgraph/internal/org"
)

// The bearer tokens of Auth's principals.
const (
	ViewerToken       = "servertest-viewer"        // subject "vera", viewer
	PlannerToken      = "servertest-planner"       // subject "piotr", planner
	OtherPlannerToken = "servertest-other-planner" // subject "olga", planner
	AdminToken        = "servertest-admin"         // subject "ada", admin
)

// Auth returns the authenticator a handler under test takes: the tokens
// above, and anonymous as the role of requests without one (a role's name,
// or auth.None).
func Auth(anonymous string) *auth.Authenticator {
	a, err := auth.New(auth.Config{Anonymous: anonymous, Tokens: []auth.Token{
		{Token: ViewerToken, Subject: "vera", Role: org.RoleViewer},
		{Token: PlannerToken, Subject: "piotr", Role: org.RolePlanner},
		{Token: OtherPlannerToken, Subject: "olga", Role: org.RolePlanner},
		{Token: AdminToken, Subject: "ada", Role: org.RoleAdmin},
	}})
	if err != nil {
		panic(err)
	}
	return a
}
