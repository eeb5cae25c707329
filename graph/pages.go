package graph

import (
	"github.com/orgraph/orgraph/graph/model"
	"github.com/orgraph/orgraph/internal/org"
)

// pageSize is a connection's first argument: the default when null.
func pageSize(first *int) int {
	if first == nil {
		return org.DefaultPageSize
	}
	return *first
}

func pageInfo[T any](pg org.Page[T]) *model.PageInfo {
	info := &model.PageInfo{HasNextPage: pg.HasNext, HasPreviousPage: pg.HasPrevious}
	if n := len(pg.Cursors); n > 0 {
		info.StartCursor, info.EndCursor = &pg.Cursors[0], &pg.Cursors[n-1]
	}
	return info
}

// connection makes the edges and the nodes of a page: node wraps an item
// as the API shows it, edge pairs it with its cursor.
func connection[T, N, E any](pg org.Page[T], node func(T) N, edge func(cursor string, n *N) E) ([]E, []N) {
	nodes := make([]N, len(pg.Items))
	edges := make([]E, len(pg.Items))
	for i, item := range pg.Items {
		nodes[i] = node(item)
		edges[i] = edge(pg.Cursors[i], &nodes[i])
	}
	return edges, nodes
}

func same[T any](v T) T { return v }

func link(r org.Relation) org.Link { return org.Link{Relation: r} }
