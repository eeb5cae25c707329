// Package graph is the GraphQL transport: the generated executor, thin
// resolvers over org.Service, per-request loaders and the error presenter.
package graph

import "github.com/orgraph/orgraph/internal/org"

//go:generate go run github.com/99designs/gqlgen generate

// Resolver holds the dependencies the resolvers share.
type Resolver struct {
	Service *org.Service
}
