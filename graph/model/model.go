// Package model holds the GraphQL types that wrap domain nodes: the OrgNode
// interface needs a Go type per implementation.
package model

import "github.com/orgraph/orgraph/internal/org"

// Unit is an org.Node of kind UNIT.
type Unit struct{ org.Node }

// Position is an org.Node of kind POSITION.
type Position struct{ org.Node }

// Entity is an org.Node of kind ENTITY.
type Entity struct{ org.Node }

// IsOrgNode marks the GraphQL interface.
func (Unit) IsOrgNode() {}

// IsOrgNode marks the GraphQL interface.
func (Position) IsOrgNode() {}

// IsOrgNode marks the GraphQL interface.
func (Entity) IsOrgNode() {}

// FromNode wraps a domain node in its GraphQL type.
func FromNode(n org.Node) OrgNode {
	switch n.Kind {
	case org.KindUnit:
		return &Unit{n}
	case org.KindPosition:
		return &Position{n}
	}
	return &Entity{n}
}
