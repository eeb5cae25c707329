package graph

import (
	"context"
	"net/http"
	"slices"

	"github.com/99designs/gqlgen/graphql"

	"github.com/orgraph/orgraph/internal/org"
)

// view is what one operation reads: the baseline, through the request's
// own store (see RequestStores), or a scenario.
type view struct {
	svc *org.Service
}

type viewKey struct{}

func withView(ctx context.Context, svc *org.Service) context.Context {
	return context.WithValue(ctx, viewKey{}, &view{svc: svc})
}

// RequestStores is middleware that gives each request its own service over
// wrap(the baseline store): a batching store (internal/batch) for a remote
// store, so that the request's look-ups share round trips. With a nil wrap
// requests read the store itself, which suits a store held in memory.
func RequestStores(svc *org.Service, wrap func(org.Store) org.Store) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			per := svc
			if wrap != nil {
				per = svc.With(wrap(svc.Store)) // sharing the views svc keeps
			}
			next.ServeHTTP(w, r.WithContext(withView(r.Context(), per)))
		})
	}
}

// svc is the service the operation reads: the baseline or a scenario's view.
func (r *Resolver) svc(ctx context.Context) *org.Service {
	if v, ok := ctx.Value(viewKey{}).(*view); ok {
		return v.svc
	}
	return r.Service
}

// around says what a list query's elements ask for, so that the list comes
// with it in one store call: the nested fields then find it in the
// request's store, however long the list.
func around(ctx context.Context) org.Prefetch {
	var a org.Prefetch
	if graphql.GetFieldContext(ctx) == nil {
		return a
	}
	kinds := map[string][]org.RelationKind{
		"superior":    {org.ReportsTo},
		"cooperation": {org.CooperatesWith},
		"partOf":      {org.PartOf},
		"parts":       {org.PartOf},
		"head":        {org.Heads},
		"heads":       {org.Heads},
		"taskers":     {org.MayTask},
		"mayTask":     {org.MayTask},
		"duties":      {org.PartOf}, // common duties sit with the unit this one is part of
	}
	all := false
	for _, f := range graphql.CollectAllFields(ctx) {
		switch f {
		case "duties":
			a.Duties = true
		case "relations":
			all = true
		case "chainOfCommand", "taskers":
			a.Chains = true
		case "mayTask":
			a.TaskedChains = true
		}
		for _, k := range kinds[f] {
			if !slices.Contains(a.Kinds, k) {
				a.Kinds = append(a.Kinds, k)
			}
		}
	}
	a.Relations = all || len(a.Kinds) > 0
	if all {
		a.Kinds = nil
	}
	return a
}
