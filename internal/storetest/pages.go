package storetest

import (
	"context"
	"encoding/base64"
	"fmt"
	"reflect"
	"testing"

	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
)

// The page sizes every list is read in: one item a page, a few, a size
// that divides nothing, and more than most lists hold.
var pageSizes = []int{1, 2, 3, 7, 50}

// testPages is RunPages for a store that pages itself (org.Pager), as
// every store of orgraph's does.
func testPages(t *testing.T, open Opener) {
	if _, ok := open(t).(org.Pager); !ok {
		t.Errorf("the store does not page itself (org.Pager): every page would read the whole list")
	}
	RunPages(t, open)
}

// RunPages states what pages are, over a generated organisation, through
// the service over the store: every list, read page by page in any size,
// is the plain list; the count is its length; a page says whether another
// follows; a cursor holds its place when items are added before it; and a
// bad page size or cursor is refused.
func RunPages(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	g := orggen.Generate(9, 25)
	if err := s.Load(ctx, g); err != nil {
		t.Fatal(err)
	}
	svc := org.NewService(s)

	t.Run("every list read page by page is the plain list, counted and ended where it ends", func(t *testing.T) {
		checkEveryList(t, svc, s)
	})

	// A scenario's view is a fork of a baseline held in memory: for a
	// store that holds none (Neo4j), the view is the embedded store's,
	// whose own run of this suite pages it.
	if fr, ok := s.(org.Freezer); ok {
		t.Run("a scenario's view pages its own lists", func(t *testing.T) {
			base := fr.Freeze()
			d, err := org.ApplyDelta(base, org.Scenario{ID: "pages", Changes: orggen.Changes(3, g, 15)})
			if err != nil {
				t.Fatal(err)
			}
			view := base.Fork(d)
			checkEveryList(t, org.NewService(view), view)
		})
	}

	t.Run("a cursor keeps its place when items are added before it", func(t *testing.T) {
		type cut struct {
			name  string
			read  func(after string) (org.Page[string], error)
			start string // the cursor the second read starts after
			seen  []string
		}
		cuts := []*cut{
			{name: "units", read: func(after string) (org.Page[string], error) {
				pg, err := svc.NodesPage(ctx, org.KindUnit, "", 4, after)
				return mapPage(pg, func(n org.Node) string { return n.ID }), err
			}},
			{name: "duties", read: func(after string) (org.Page[string], error) {
				pg, err := svc.DutiesPage(ctx, "", nil, 4, after)
				return mapPage(pg, func(d org.Duty) string { return d.ID }), err
			}},
			{name: "relations", read: func(after string) (org.Page[string], error) {
				pg, err := svc.RelationsPage(ctx, nil, "", "", 4, after)
				return mapPage(pg, func(r org.Relation) string { return r.ID }), err
			}},
		}
		// Two pages of each, and the rest after the second, before the load.
		rest := map[string][]string{}
		for _, c := range cuts {
			first, err := c.read("")
			if err != nil {
				t.Fatal(err)
			}
			second, err := c.read(first.Cursors[len(first.Cursors)-1])
			if err != nil {
				t.Fatal(err)
			}
			c.start = second.Cursors[len(second.Cursors)-1]
			c.seen = append(first.Items, second.Items...)
			rest[c.name] = readAll(t, c.read, c.start)
		}
		// New items that sort first: Seq 0, below everything generated.
		var u org.Node
		for _, n := range g.Nodes {
			if n.Kind == org.KindUnit {
				u = n
				break
			}
		}
		added := &org.Graph{
			Nodes:     []org.Node{{ID: "a-new-unit", Kind: org.KindUnit, Name: "Referat nowy", Type: org.UnitSection, Seq: 0, Source: u.Source}},
			Duties:    []org.Duty{{ID: "a-new-duty", Unit: u.ID, Level: org.LevelItem, Number: "99", Text: "nowe zadanie", Seq: 0, Source: u.Source}},
			Relations: []org.Relation{{ID: "a-new-relation", Kind: org.CooperatesWith, Strength: org.Plain, From: u.ID, To: "a-new-unit", Seq: 0, Source: u.Source}},
		}
		if err := s.Load(ctx, added); err != nil {
			t.Fatal(err)
		}
		for _, c := range cuts {
			after := readAll(t, c.read, c.start)
			if !reflect.DeepEqual(after, rest[c.name]) {
				t.Errorf("%s after the cursor: got %d items %v, want the %d read before the load %v",
					c.name, len(after), head(after), len(rest[c.name]), head(rest[c.name]))
			}
			// From the start, the new item comes first and nothing else moved.
			all := readAll(t, c.read, "")
			want := append(append([]string{"a-new-" + map[string]string{"units": "unit", "duties": "duty", "relations": "relation"}[c.name]}, c.seen...), rest[c.name]...)
			if !reflect.DeepEqual(all, want) {
				t.Errorf("%s from the start: got %v, want %v", c.name, head(all), head(want))
			}
		}
	})

	t.Run("a page size out of 1..1000 and a cursor that is not one are refused", func(t *testing.T) {
		units, err := svc.NodesPage(ctx, org.KindUnit, "", 2, "")
		if err != nil {
			t.Fatal(err)
		}
		unitCursor := units.Cursors[0]
		for _, first := range []int{0, -1, org.MaxPageSize + 1} {
			_, err := svc.NodesPage(ctx, org.KindUnit, "", first, "")
			mustBeInvalid(t, fmt.Sprintf("first %d", first), err)
		}
		for name, after := range map[string]string{
			"not base64":                    "not a cursor!",
			"base64 of anything":            base64.RawURLEncoding.EncodeToString([]byte("hello")),
			"a cursor of another version":   base64.RawURLEncoding.EncodeToString([]byte("c0:unit:0:1:x")),
			"a cursor with a seq not a num": base64.RawURLEncoding.EncodeToString([]byte("c1:unit:0:one:x")),
			"a cursor with no id":           base64.RawURLEncoding.EncodeToString([]byte("c1:unit:0:1:")),
			"a cursor of 1 KB":              base64.RawURLEncoding.EncodeToString(make([]byte, 1000)),
		} {
			_, err := svc.NodesPage(ctx, org.KindUnit, "", 2, after)
			mustBeInvalid(t, name, err)
		}
		// A cursor of units is foreign to every other list.
		mustBeInvalid(t, "a unit's cursor for positions", second(svc.NodesPage(ctx, org.KindPosition, "", 2, unitCursor)))
		mustBeInvalid(t, "a unit's cursor for duties", second(svc.DutiesPage(ctx, "", nil, 2, unitCursor)))
		mustBeInvalid(t, "a unit's cursor for relations", second(svc.RelationsPage(ctx, nil, "", "", 2, unitCursor)))
		mustBeInvalid(t, "a unit's cursor for search", second(svc.SearchPage(ctx, "referat", 2, unitCursor)))
		mustBeInvalid(t, "a unit's cursor for subordinates", second(svc.SubordinatesPage(ctx, units.Items[0].ID, true, 2, unitCursor)))
		mustBeInvalid(t, "a search with no word", second(svc.SearchPage(ctx, " ,. ", 2, "")))
		if code := org.ErrorCode(second(svc.SubordinatesPage(ctx, "nobody-at-all", true, 2, ""))); code != org.ENOTFOUND {
			t.Errorf("subordinates of an unknown node: got %q, want %q", code, org.ENOTFOUND)
		}
	})
}

// checkEveryList pages each list the API pages, over svc, against the
// plain list of the same service (and, for search, of the store, unbounded).
func checkEveryList(t *testing.T, svc *org.Service, s org.Store) {
	ctx := context.Background()
	nodes := func(kind org.NodeKind, typ string) {
		checkPages(t, fmt.Sprintf("%s of type %q", kind, typ),
			func() ([]org.Node, error) { return svc.Nodes(ctx, kind, typ, org.Prefetch{}) },
			func(first int, after string) (org.Page[org.Node], error) {
				return svc.NodesPage(ctx, kind, typ, first, after)
			}, org.NodeKey)
	}
	nodes(org.KindUnit, "")
	nodes(org.KindUnit, "office") // types in any case
	nodes(org.KindPosition, "")
	nodes(org.KindEntity, "")

	units, err := svc.Nodes(ctx, org.KindUnit, "", org.Prefetch{})
	if err != nil || len(units) < 3 {
		t.Fatalf("units: %d, %v", len(units), err)
	}
	no := false
	for _, tc := range []struct {
		name   string
		unit   string
		common *bool
	}{{"every duty", "", nil}, {"the duties not common", "", &no}, {"one unit's duties", units[1].ID, nil}} {
		checkPages(t, tc.name,
			func() ([]org.Duty, error) { return svc.Duties(ctx, tc.unit, tc.common) },
			func(first int, after string) (org.Page[org.Duty], error) {
				return svc.DutiesPage(ctx, tc.unit, tc.common, first, after)
			}, org.DutyKey)
	}

	for _, tc := range []struct {
		name     string
		kinds    []org.RelationKind
		from, to string
	}{
		{"every relation", nil, "", ""},
		{"cooperation and reporting", []org.RelationKind{org.CooperatesWith, org.ReportsTo}, "", ""},
		{"the relations from a unit", nil, units[2].ID, ""},
		{"the relations to a unit", nil, "", units[0].ID},
	} {
		checkPages(t, tc.name,
			func() ([]org.Relation, error) { return svc.FindRelations(ctx, tc.kinds, tc.from, tc.to) },
			func(first int, after string) (org.Page[org.Relation], error) {
				return svc.RelationsPage(ctx, tc.kinds, tc.from, tc.to, first, after)
			}, org.RelationKey)
	}

	for _, q := range []string{"referat", "realizacja współpraca", "wspolpraca"} {
		checkPages(t, "search "+q,
			func() ([]org.SearchHit, error) { return s.Search(ctx, q, 0) },
			func(first int, after string) (org.Page[org.SearchHit], error) {
				return svc.SearchPage(ctx, q, first, after)
			}, org.HitKey)
	}

	// Subordinates of the node with the most of them, and of a unit.
	positions, err := svc.Nodes(ctx, org.KindPosition, "", org.Prefetch{})
	if err != nil || len(positions) == 0 {
		t.Fatalf("positions: %d, %v", len(positions), err)
	}
	for _, of := range []string{positions[0].ID, units[0].ID} {
		for _, all := range []bool{false, true} {
			checkPages(t, fmt.Sprintf("subordinates of %s (all: %v)", of, all),
				func() ([]org.Subordinate, error) { return svc.Subordinates(ctx, of, all) },
				func(first int, after string) (org.Page[org.Subordinate], error) {
					return svc.SubordinatesPage(ctx, of, all, first, after)
				}, org.SubordinateKey)
		}
	}
}

// checkPages reads a list page by page in every size and compares the
// pages with the plain list.
func checkPages[T any](t *testing.T, name string, plain func() ([]T, error),
	page func(first int, after string) (org.Page[T], error), key func(T) org.Cursor) {
	t.Helper()
	want, err := plain()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for _, first := range pageSizes {
		var got []T
		after := ""
		for n := 0; ; n++ {
			if n > len(want)+1 {
				t.Fatalf("%s, %d a page: more than %d pages", name, first, n)
			}
			pg, err := page(first, after)
			if err != nil {
				t.Fatalf("%s, %d a page, page %d: %v", name, first, n+1, err)
			}
			if pg.Total != len(want) {
				t.Errorf("%s, %d a page, page %d: totalCount %d, want %d", name, first, n+1, pg.Total, len(want))
			}
			if len(pg.Items) > first || len(pg.Cursors) != len(pg.Items) {
				t.Fatalf("%s, %d a page, page %d: %d items, %d cursors", name, first, n+1, len(pg.Items), len(pg.Cursors))
			}
			got = append(got, pg.Items...)
			if last := len(got) >= len(want); pg.HasNext == last {
				t.Errorf("%s, %d a page, page %d: hasNextPage %v after %d of %d items", name, first, n+1, pg.HasNext, len(got), len(want))
			}
			if pg.HasPrevious != (n > 0) {
				t.Errorf("%s, %d a page, page %d: hasPreviousPage %v", name, first, n+1, pg.HasPrevious)
			}
			if !pg.HasNext || len(pg.Items) == 0 {
				break
			}
			// Every cursor of the page starts the list right after its item.
			if first == 3 && len(pg.Items) > 1 {
				mid, err := page(1, pg.Cursors[0])
				if err != nil || len(mid.Items) != 1 || key(mid.Items[0]) != key(pg.Items[1]) {
					t.Errorf("%s: the page after the first cursor of a page is not its second item: %v", name, err)
				}
			}
			after = pg.Cursors[len(pg.Cursors)-1]
		}
		if len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
			t.Errorf("%s, %d a page: the pages hold %d items, the list %d, or they differ", name, first, len(got), len(want))
		}
	}
}

// readAll reads the ids of a list after a cursor, to its end.
func readAll(t *testing.T, read func(after string) (org.Page[string], error), after string) []string {
	t.Helper()
	var out []string
	for {
		pg, err := read(after)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pg.Items...)
		if !pg.HasNext {
			return out
		}
		after = pg.Cursors[len(pg.Cursors)-1]
	}
}

func mapPage[T, U any](pg org.Page[T], f func(T) U) org.Page[U] {
	out := org.Page[U]{Cursors: pg.Cursors, Total: pg.Total, HasNext: pg.HasNext, HasPrevious: pg.HasPrevious}
	for _, item := range pg.Items {
		out.Items = append(out.Items, f(item))
	}
	return out
}

func head(ids []string) []string { return ids[:min(len(ids), 8)] }

func mustBeInvalid(t *testing.T, what string, err error) {
	t.Helper()
	if code := org.ErrorCode(err); code != org.EINVALID {
		t.Errorf("%s: got code %q (%v), want %q", what, code, err, org.EINVALID)
	}
}
