package graph

import (
	"context"

	"github.com/orgraph/orgraph/graph/model"
	"github.com/orgraph/orgraph/internal/org"
)

// node looks up a node by id, through the request's store.
func (r *Resolver) node(ctx context.Context, id string) (model.OrgNode, error) {
	n, err := r.svc(ctx).Node(ctx, id)
	if err != nil {
		return nil, err
	}
	return model.FromNode(n), nil
}

func (r *Resolver) unitByID(ctx context.Context, id string) (*model.Unit, error) {
	n, err := r.svc(ctx).Node(ctx, id)
	if err != nil {
		return nil, err
	}
	return &model.Unit{Node: n}, nil
}

// relationsOf returns the relations touching id, filtered by kind and
// direction (both when nil).
func (r *Resolver) relationsOf(ctx context.Context, id string, kinds []org.RelationKind, dir *model.Direction) ([]org.Relation, error) {
	out := dir == nil || *dir == model.DirectionOutgoing
	in := dir == nil || *dir == model.DirectionIncoming
	return r.svc(ctx).Relations(ctx, id, kinds, out, in)
}

// superior is the node id reports to directly.
func (r *Resolver) superior(ctx context.Context, id string) (model.OrgNode, error) {
	n, ok, err := r.svc(ctx).Superior(ctx, id)
	if err != nil || !ok {
		return nil, err
	}
	return model.FromNode(n), nil
}

func (r *Resolver) subordinates(ctx context.Context, id string, all *bool) ([]org.Subordinate, error) {
	return r.svc(ctx).Subordinates(ctx, id, deref(all))
}

func links(rs []org.Relation) []org.Link {
	out := make([]org.Link, len(rs))
	for i, rel := range rs {
		out[i] = org.Link{Relation: rel}
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// optional returns nil for an empty string.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func direction(c *org.Cooperation) model.Direction {
	if c.Outgoing {
		return model.DirectionOutgoing
	}
	return model.DirectionIncoming
}

func (r *Resolver) declaredBy(ctx context.Context, c *org.Cooperation) (model.OrgNode, error) {
	return r.node(ctx, c.Relation.From)
}

func (r *Resolver) relationDuty(ctx context.Context, rel org.Relation) (*org.Duty, error) {
	if rel.Duty == "" {
		return nil, nil
	}
	d, err := r.svc(ctx).Duty(ctx, rel.Duty)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// optionalNode is a node that may be absent.
func optionalNode[T any](n org.Node, ok bool, err error, wrap func(org.Node) T) (*T, error) {
	if err != nil || !ok {
		return nil, err
	}
	v := wrap(n)
	return &v, nil
}

func unit(n org.Node) model.Unit         { return model.Unit{Node: n} }
func position(n org.Node) model.Position { return model.Position{Node: n} }

func units(ns []org.Node) []model.Unit {
	out := make([]model.Unit, len(ns))
	for i, n := range ns {
		out[i] = unit(n)
	}
	return out
}

// deref returns the value p points at, or the zero value for nil.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func nodes(ns []org.Node) []model.OrgNode {
	out := make([]model.OrgNode, len(ns))
	for i, n := range ns {
		out[i] = model.FromNode(n)
	}
	return out
}

func nodeOrNil(n *org.Node) model.OrgNode {
	if n == nil {
		return nil
	}
	return model.FromNode(*n)
}

// importer loads an imported act through the service, which records it.
type importer struct {
	svc  *org.Service
	name string
}

func (i importer) Load(ctx context.Context, g *org.Graph) error { return i.svc.Import(ctx, g, i.name) }

// period is when the act id is in force, as the whole history (the
// baseline's documents, whatever day the operation reads) says.
func (r *Resolver) period(ctx context.Context, id string) (org.Period, error) {
	ps, err := r.Service.Periods(ctx)
	for _, p := range ps {
		if p.Document.ID == id {
			return p, err
		}
	}
	return org.Period{}, err
}
