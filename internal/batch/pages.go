package batch

import (
	"context"

	"github.com/orgraph/orgraph/internal/org"
)

var _ org.Pager = (*Store)(nil)

// Pages go through to the store underneath (paged there when it pages,
// org.PageNodes and the like), remembering what they bring, so that the
// nested fields of a page's items look it up here.

// PageNodes goes through, remembering the nodes.
func (b *Store) PageNodes(ctx context.Context, f org.NodeFilter, typ string, p org.PageArgs) (org.Page[org.Node], error) {
	pg, err := org.PageNodes(ctx, b.underlying, f, typ, p)
	b.primeNodes(pg.Items)
	return pg, err
}

// PageDuties goes through, remembering the duties.
func (b *Store) PageDuties(ctx context.Context, f org.DutyFilter, p org.PageArgs) (org.Page[org.Duty], error) {
	pg, err := org.PageDuties(ctx, b.underlying, f, p)
	for _, d := range pg.Items {
		b.duty.Prime(d.ID, d)
	}
	return pg, err
}

// PageRelations goes through.
func (b *Store) PageRelations(ctx context.Context, f org.RelationFilter, p org.PageArgs) (org.Page[org.Relation], error) {
	return org.PageRelations(ctx, b.underlying, f, p)
}

// PageSearch goes through, remembering the nodes and duties found.
func (b *Store) PageSearch(ctx context.Context, q string, p org.PageArgs) (org.Page[org.SearchHit], error) {
	pg, err := org.PageSearch(ctx, b.underlying, q, p)
	for _, h := range pg.Items {
		if h.Node != nil {
			b.node.Prime(h.Node.ID, *h.Node)
		} else {
			b.duty.Prime(h.Duty.ID, *h.Duty)
		}
	}
	return pg, err
}

// PageSubordinates goes through, remembering the nodes.
func (b *Store) PageSubordinates(ctx context.Context, id string, maxDepth int, p org.PageArgs) (org.Page[org.Subordinate], error) {
	pg, err := org.PageSubordinates(ctx, b.underlying, id, maxDepth, p)
	for _, s := range pg.Items {
		b.node.Prime(s.Node.ID, s.Node)
	}
	return pg, err
}
