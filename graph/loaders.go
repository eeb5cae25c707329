package graph

import (
	"context"
	"net/http"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vikstrous/dataloadgen"

	"github.com/orgraph/orgraph/internal/org"
)

// Loaders batch the look-ups of nested fields, so that a query costs a fixed
// number of store calls however many nodes it walks. They live for one request.
type Loaders struct {
	Node          *dataloadgen.Loader[string, org.Node]
	Duty          *dataloadgen.Loader[string, org.Duty]
	DutiesOfUnit  *dataloadgen.Loader[string, []org.Duty]
	RelationsFrom *dataloadgen.Loader[string, []org.Relation]
	RelationsTo   *dataloadgen.Loader[string, []org.Relation]
}

// NewLoaders returns fresh loaders over store.
func NewLoaders(store org.Store) *Loaders {
	return &Loaders{
		Node: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]org.Node, error) {
			nodes, err := store.FindNodes(ctx, org.NodeFilter{IDs: ids})
			if err != nil {
				return nil, err
			}
			out := make(map[string]org.Node, len(nodes))
			for _, n := range nodes {
				out[n.ID] = n
			}
			return out, nil
		}),
		Duty: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]org.Duty, error) {
			duties, err := store.FindDuties(ctx, org.DutyFilter{IDs: ids})
			if err != nil {
				return nil, err
			}
			out := make(map[string]org.Duty, len(duties))
			for _, d := range duties {
				out[d.ID] = d
			}
			return out, nil
		}),
		DutiesOfUnit: dataloadgen.NewLoader(func(ctx context.Context, units []string) ([][]org.Duty, []error) {
			duties, err := store.FindDuties(ctx, org.DutyFilter{Units: units})
			return group(units, duties, err, func(d org.Duty) string { return d.Unit })
		}),
		RelationsFrom: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([][]org.Relation, []error) {
			rels, err := store.FindRelations(ctx, org.RelationFilter{From: ids})
			return group(ids, rels, err, func(r org.Relation) string { return r.From })
		}),
		RelationsTo: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([][]org.Relation, []error) {
			rels, err := store.FindRelations(ctx, org.RelationFilter{To: ids})
			return group(ids, rels, err, func(r org.Relation) string { return r.To })
		}),
	}
}

// group sorts items into one list per key, keeping their order.
func group[T any](keys []string, items []T, err error, key func(T) string) ([][]T, []error) {
	if err != nil {
		errs := make([]error, len(keys))
		for i := range errs {
			errs[i] = err
		}
		return nil, errs
	}
	byKey := map[string][]T{}
	for _, it := range items {
		byKey[key(it)] = append(byKey[key(it)], it)
	}
	out := make([][]T, len(keys))
	for i, k := range keys {
		out[i] = byKey[k]
	}
	return out, nil
}

// view is what one operation reads: the baseline or a scenario, with its
// own loaders.
type view struct {
	svc     *org.Service
	loaders *Loaders
}

type viewKey struct{}

func withView(ctx context.Context, svc *org.Service) context.Context {
	return context.WithValue(ctx, viewKey{}, &view{svc: svc, loaders: NewLoaders(svc.Store)})
}

// WithLoaders is middleware that gives each request fresh loaders over the baseline.
func WithLoaders(svc *org.Service) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(withView(r.Context(), svc)))
		})
	}
}

func (r *Resolver) view(ctx context.Context) *view {
	if v, ok := ctx.Value(viewKey{}).(*view); ok {
		return v
	}
	return &view{svc: r.Service, loaders: NewLoaders(r.Service.Store)}
}

// svc is the service the operation reads: the baseline or a scenario's view.
func (r *Resolver) svc(ctx context.Context) *org.Service { return r.view(ctx).svc }

// loaders are the operation's loaders.
func (r *Resolver) loaders(ctx context.Context) *Loaders { return r.view(ctx).loaders }

// prefetch fills the loaders for the nested fields a list query asks for, in
// a fixed number of store calls: a list's elements then find their duties,
// relations and neighbours in the loaders' caches, however long the list,
// instead of relying on how many loads fall into one batching window.
func (r *Resolver) prefetch(ctx context.Context, ids []string) error {
	if len(ids) == 0 || graphql.GetFieldContext(ctx) == nil {
		return nil
	}
	asked := graphql.CollectAllFields(ctx)
	wants := func(names ...string) bool {
		return slices.ContainsFunc(asked, func(f string) bool { return slices.Contains(names, f) })
	}
	l, store := r.loaders(ctx), r.svc(ctx).Store
	if wants("duties") {
		duties, err := store.FindDuties(ctx, org.DutyFilter{Units: ids})
		grouped, errs := group(ids, duties, err, func(d org.Duty) string { return d.Unit })
		if errs != nil {
			return errs[0]
		}
		for i, id := range ids {
			l.DutiesOfUnit.Prime(id, grouped[i])
		}
	}
	if !wants("superior", "cooperation", "relations", "partOf", "parts", "head", "heads") {
		return nil
	}
	var ends []string
	for _, dir := range []struct {
		loader *dataloadgen.Loader[string, []org.Relation]
		filter org.RelationFilter
		key    func(org.Relation) string
		other  func(org.Relation) string
	}{
		{l.RelationsFrom, org.RelationFilter{From: ids}, func(r org.Relation) string { return r.From }, func(r org.Relation) string { return r.To }},
		{l.RelationsTo, org.RelationFilter{To: ids}, func(r org.Relation) string { return r.To }, func(r org.Relation) string { return r.From }},
	} {
		rels, err := store.FindRelations(ctx, dir.filter)
		grouped, errs := group(ids, rels, err, dir.key)
		if errs != nil {
			return errs[0]
		}
		for i, id := range ids {
			dir.loader.Prime(id, grouped[i])
		}
		for _, rel := range rels {
			ends = append(ends, dir.other(rel))
		}
	}
	nodes, err := store.FindNodes(ctx, org.NodeFilter{IDs: ends})
	if err != nil {
		return err
	}
	for _, n := range nodes {
		l.Node.Prime(n.ID, n)
	}
	return nil
}

// prefetchNodes is prefetch for a list of nodes.
func (r *Resolver) prefetchNodes(ctx context.Context, nodes []org.Node) error {
	ids := make([]string, len(nodes))
	for i, n := range nodes {
		ids[i] = n.ID
	}
	return r.prefetch(ctx, ids)
}
