package org_test

import (
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/storetest"
)

// unpaged is a store that is no org.Pager: the service cuts its lists.
type unpaged struct{ org.Store }

// Over a store that does not page itself, the service pages by cutting the
// whole list, and the pages are what the contract says.
func TestPagesOfAStoreThatDoesNotPage(t *testing.T) {
	storetest.RunPages(t, func(t *testing.T) org.Store { return unpaged{memstore.New()} })
}

func TestCursorsReadBackAsTheyWereWritten(t *testing.T) {
	for _, c := range []org.Cursor{{}, {Rank: 2, Seq: -5, ID: "a:b:c"}, {Seq: 1 << 40, ID: "3468/2024 § 9 pkt 3 lit. a"}} {
		got, err := org.DecodeCursor("duty", org.EncodeCursor("duty", c))
		if c.ID == "" {
			if err == nil {
				t.Errorf("a cursor with no id read back as %+v", got)
			}
			continue
		}
		if err != nil || got != c {
			t.Errorf("got %+v, %v; want %+v", got, err, c)
		}
		if _, err := org.DecodeCursor("unit", org.EncodeCursor("duty", c)); org.ErrorCode(err) != org.EINVALID {
			t.Errorf("a duty's cursor read as a unit's: %v", err)
		}
	}
}
