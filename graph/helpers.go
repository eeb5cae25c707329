package graph

import (
	"context"
	"slices"

	"github.com/orgraph/orgraph/graph/model"
	"github.com/orgraph/orgraph/internal/org"
)

// node loads a node by id, batched.
func (r *Resolver) node(ctx context.Context, id string) (model.OrgNode, error) {
	n, err := r.loaders(ctx).Node.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	return model.FromNode(n), nil
}

func (r *Resolver) unitByID(ctx context.Context, id string) (*model.Unit, error) {
	n, err := r.loaders(ctx).Node.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	return &model.Unit{Node: n}, nil
}

func (r *Resolver) positionByID(ctx context.Context, id string) (*model.Position, error) {
	n, err := r.loaders(ctx).Node.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	return &model.Position{Node: n}, nil
}

// relationsOf returns the relations touching id, batched, filtered by kind
// and direction (both when nil).
func (r *Resolver) relationsOf(ctx context.Context, id string, kinds []org.RelationKind, dir *model.Direction) ([]org.Relation, error) {
	var out []org.Relation
	keep := func(rs []org.Relation) {
		for _, rel := range rs {
			if len(kinds) == 0 || slices.Contains(kinds, rel.Kind) {
				out = append(out, rel)
			}
		}
	}
	if dir == nil || *dir == model.DirectionOutgoing {
		rs, err := r.loaders(ctx).RelationsFrom.Load(ctx, id)
		if err != nil {
			return nil, err
		}
		keep(rs)
	}
	if dir == nil || *dir == model.DirectionIncoming {
		rs, err := r.loaders(ctx).RelationsTo.Load(ctx, id)
		if err != nil {
			return nil, err
		}
		keep(rs)
	}
	return out, nil
}

// superior is the node id reports to directly: the REPORTS_TO relation of lowest Seq.
func (r *Resolver) superior(ctx context.Context, id string) (model.OrgNode, error) {
	rs, err := r.relationsOf(ctx, id, []org.RelationKind{org.ReportsTo}, ptr(model.DirectionOutgoing))
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return r.node(ctx, rs[0].To)
}

func (r *Resolver) subordinates(ctx context.Context, id string, all *bool) ([]org.Subordinate, error) {
	depth := 1
	if all != nil && *all {
		depth = 0
	}
	return r.svc(ctx).Store.Subordinates(ctx, id, depth)
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
	d, err := r.loaders(ctx).Duty.Load(ctx, rel.Duty)
	if err != nil {
		return nil, err
	}
	return &d, nil
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
