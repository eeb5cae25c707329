package memstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/storetest"
)

// The page index keeps a list per type some node has, not per type asked
// for: asking for a thousand types no unit has keeps nothing more.
func TestThePageIndexKeepsNoListForATypeNoNodeHas(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	if err := s.Load(ctx, storetest.MustSeed(t)); err != nil {
		t.Fatal(err)
	}
	units := org.NodeFilter{Kinds: []org.NodeKind{org.KindUnit}}
	pg, err := s.PageNodes(ctx, units, "section", org.PageArgs{First: 50})
	if err != nil || pg.Total != 5 {
		t.Fatalf("sections: got %d, %v; want 5", pg.Total, err)
	}
	kept := memstore.PagedLists(s)
	for i := range 1000 {
		pg, err := s.PageNodes(ctx, units, fmt.Sprintf("no such type %d", i), org.PageArgs{First: 50})
		if err != nil || pg.Total != 0 {
			t.Fatalf("got %d, %v; want none", pg.Total, err)
		}
	}
	if got := memstore.PagedLists(s); got != kept {
		t.Errorf("the index keeps %d lists after asking for absent types, %d before", got, kept)
	}
	// A load makes a new index.
	if err := s.Load(ctx, storetest.MustSeed(t)); err != nil {
		t.Fatal(err)
	}
	if got := memstore.PagedLists(s); got != 0 {
		t.Errorf("after a load the index keeps %d lists, want 0", got)
	}
}
