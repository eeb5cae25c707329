package neo4jstore_test

import (
	"context"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/orgraph/orgraph/internal/neo4jstore"
	"github.com/orgraph/orgraph/internal/neo4jtest"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
)

// Warm sends again what the store has sent, once each: reads run, the
// statements of transactions rehearsed in transactions rolled back (or,
// when slow, only planned), so that the database is as it was; it costs no
// round trip the store counts.
func TestNeo4jWarmResendsWhatWasSentAndWritesNothing(t *testing.T) {
	driver := neo4jtest.Connect(t)
	ctx := context.Background()
	s := mustOpenEmpty(t, driver)

	if n, err := s.Warm(ctx); err != nil || n != 0 {
		t.Fatalf("Warm on a store that sent nothing: %d, %v; want 0, nil", n, err)
	}
	g := orggen.Generate(7, 60) // more rows than a remembered list keeps
	if err := s.Load(ctx, g); err != nil {
		t.Fatal(err)
	}
	afterLoad := sentSince(t, s, ctx)
	if afterLoad == 0 {
		t.Fatal("Warm after a load sent nothing: the load's statements were not remembered")
	}

	// Reads, twice each: remembered once.
	for range 2 {
		if _, err := s.FindNodes(ctx, org.NodeFilter{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ChainsOfCommand(ctx, org.NodeFilter{Ref: g.Nodes[len(g.Nodes)-1].ID}); err != nil {
			t.Fatal(err)
		}
	}
	if got := sentSince(t, s, ctx); got != afterLoad+2 {
		t.Errorf("Warm after two reads sent twice: %d statements, want %d", got, afterLoad+2)
	}

	before, revision := counts(t, driver), mustRevision(t, s)
	trips, rehearsed := s.RoundTrips(), neo4jstore.Rehearsals(s)
	if _, err := s.Warm(ctx); err != nil {
		t.Fatal(err)
	}
	if after := counts(t, driver); after != before {
		t.Errorf("Warm changed the database: %v before, %v after", before, after)
	}
	// The load's statements ran quickly at this size: rehearsed, not only
	// planned, so that their plans are kept.
	if n := neo4jstore.Rehearsals(s) - rehearsed; n == 0 {
		t.Error("Warm rehearsed no statement of a transaction")
	}
	if s.RoundTrips() != trips {
		t.Errorf("Warm counted %d round trips, want none", s.RoundTrips()-trips)
	}
	if after := mustRevision(t, s); after != revision {
		t.Errorf("Warm changed the baseline's revision: %s before, %s after", revision, after)
	}
}

func mustRevision(t *testing.T, s *neo4jstore.Store) string {
	t.Helper()
	rev, err := s.Revision(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

// sentSince returns how many statements Warm sends now.
func sentSince(t *testing.T, s interface {
	Warm(context.Context) (int, error)
}, ctx context.Context) int {
	t.Helper()
	n, err := s.Warm(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// counts is the database's nodes, relationships and the sum of their
// property counts.
func counts(t *testing.T, driver neo4j.DriverWithContext) [3]int64 {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), driver, `
MATCH (n) OPTIONAL MATCH (n)-[r]->()
RETURN count(DISTINCT n) AS nodes, count(r) AS rels,
       sum(size(keys(n))) + sum(CASE WHEN r IS NULL THEN 0 ELSE size(keys(r)) END) AS props`,
		nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	var out [3]int64
	for i, k := range []string{"nodes", "rels", "props"} {
		v, _, err := neo4j.GetRecordValue[int64](res.Records[0], k)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = v
	}
	return out
}
