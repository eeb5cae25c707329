package bench_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/bench"
	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/internal/storetest"
)

// The write case adds exactly the changes it counts, to scenarios of each
// planner's own, and counts a read whose answer differs as an error.
func TestRunPlannersAddsWhatItCountsAndChecksReads(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	if err := store.Load(ctx, storetest.MustSeed(t)); err != nil {
		t.Fatal(err)
	}
	srv, err := bench.Serve(server.New(&org.Service{Store: store, Overlay: memstore.Overlay}, server.Config{Auth: bench.PlannerAuth(3)}, slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	q := bench.Body(bench.Reference()[0])
	want, err := bench.Post(ctx, bench.NewClient(1), srv.URL, q)
	if err != nil {
		t.Fatal(err)
	}
	reads := []bench.Reading{{Body: q, Want: want}, {Body: q, Want: []byte(`{"data":{}}`)}}
	l := bench.Planners{Planners: 3, Readers: 2, Changes: 25, PerDraft: 4, Cap: time.Minute, Node: "KS-07"}
	r := bench.RunPlanners(ctx, srv.URL, l, reads)

	if r.AddChange.Requests != 25 || r.AddChange.Errors != 0 || r.AddChange.Capped {
		t.Errorf("addChange: %d calls, %d errors (%q), capped %v; want 25, none", r.AddChange.Requests, r.AddChange.Errors, r.AddChange.FirstErrors, r.AddChange.Capped)
	}
	if r.Reads.Requests == 0 || r.Reads.Errors == 0 || r.Reads.Errors == r.Reads.Requests {
		t.Errorf("reads: %d, %d of them wrong; want some right and the ones with a wrong answer counted", r.Reads.Requests, r.Reads.Errors)
	}
	scs, err := store.FindScenarios(ctx)
	if err != nil {
		t.Fatal(err)
	}
	changes, owners := 0, map[string]int{}
	for _, sc := range scs {
		changes += len(sc.Changes)
		owners[sc.Owner]++
		if len(sc.Changes) > l.PerDraft {
			t.Errorf("scenario %s holds %d changes, more than %d", sc.ID, len(sc.Changes), l.PerDraft)
		}
	}
	if changes != 25 || len(owners) != 3 {
		t.Errorf("the store holds %d changes from %d planners, want 25 from 3", changes, len(owners))
	}
}
