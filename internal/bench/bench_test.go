package bench

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(vs ...int) []time.Duration {
		out := make([]time.Duration, len(vs))
		for i, v := range vs {
			out[i] = time.Duration(v) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	for _, c := range []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one", ms(7), 99, 7 * time.Millisecond},
		{"median of four is the second", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"median of five is the third", ms(1, 2, 3, 4, 5), 50, 3 * time.Millisecond},
		{"p99 of 100 is the 99th", ms(hundred...), 99, 99 * time.Millisecond},
		{"p99 of 10 is the largest", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{"p100", ms(1, 2, 3), 100, 3 * time.Millisecond},
		{"tiny p is the smallest", ms(1, 2, 3), 0.1, 1 * time.Millisecond},
	} {
		if got := Percentile(c.sorted, c.p); got != c.want {
			t.Errorf("%s: Percentile(p%v) = %v, want %v", c.name, c.p, got, c.want)
		}
	}
}

func TestSameAnswer(t *testing.T) {
	want := []byte(`{"data":{"x":1}}`)
	if err := SameAnswer([]byte(`{"data":{"x":1}}`), want); err != nil {
		t.Fatalf("equal bytes: %v", err)
	}
	err := SameAnswer([]byte(`{"data":{"x":2}}`), want)
	if err == nil || !strings.Contains(err.Error(), "first difference at byte 13") {
		t.Fatalf("one byte off: %v", err)
	}
	if err := SameAnswer([]byte(`{"data":{"x":1}} `), want); err == nil {
		t.Fatal("a trailing space must be a wrong answer: the check is byte for byte")
	}
	err = SameAnswer([]byte(`{"errors":[{"message":"internal error"}],"data":null}`), want)
	if err == nil || !strings.Contains(err.Error(), "internal error") {
		t.Fatalf("a GraphQL error should be shown: %v", err)
	}
}

func TestCheckGraphQL(t *testing.T) {
	if err := CheckGraphQL([]byte(`{"data":{"units":[]}}`)); err != nil {
		t.Errorf("data: %v", err)
	}
	for _, bad := range []string{`{"errors":[{"message":"x"}],"data":null}`, `{"data":null}`, `not json`} {
		if err := CheckGraphQL([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestChainFingerprint(t *testing.T) {
	body := []byte(`{"data":{"chainOfCommand":{"links":[
		{"from":{"id":"KS-07","name":"a"},"to":{"id":"z","name":"b"},"source":{"provision":"§ 3","basis":"STATED","reason":null}},
		{"from":{"id":"z","name":"b"},"to":{"id":"prezydent","name":"c"},"source":{"provision":"§ 11","basis":"INFERRED","reason":"why"}}]}}}`)
	f, err := ChainFingerprint(body)
	if err != nil {
		t.Fatal(err)
	}
	want := Fingerprint{ChainLine(0, "KS-07", "z", "§ 3", "STATED", ""), ChainLine(1, "z", "prezydent", "§ 11", "INFERRED", "why")}
	if !f.Equal(want) {
		t.Fatalf("got %q, want %q", f, want)
	}
	if first, last, n := ChainEnds(f); first != "KS-07" || last != "prezydent" || n != 3 {
		t.Errorf("ChainEnds = %s, %s, %d", first, last, n)
	}
	// The same links in another order are another chain.
	swapped := Fingerprint{ChainLine(0, "z", "prezydent", "§ 11", "INFERRED", "why"), ChainLine(1, "KS-07", "z", "§ 3", "STATED", "")}
	if f.Equal(swapped) {
		t.Error("a chain in another order must not match")
	}
	if _, err := ChainFingerprint([]byte(`{"data":{"chainOfCommand":{"links":[]}}}`)); err == nil {
		t.Error("an empty chain must not be an expectation")
	}
}

func TestFingerprintCountsRepeats(t *testing.T) {
	a := Fingerprint{"x", "x", "y"}
	if a.Equal(Fingerprint{"x", "y", "y"}) {
		t.Error("repeats must count")
	}
	if !a.Equal(Fingerprint{"y", "x", "x"}) {
		t.Error("order of lines must not count")
	}
	d := a.Diff(Fingerprint{"x", "y", "z"})
	if !strings.Contains(d, `1 missing (first "x")`) || !strings.Contains(d, `1 unexpected (first "z")`) {
		t.Errorf("Diff = %s", d)
	}
}

func TestUnitsFingerprintIgnoresListOrder(t *testing.T) {
	body := []byte(`{"data":{"units":[{"code":"KS-01","name":"n","duties":[{"text":"a","source":{"provision":"§ 4 pkt 2"}},{"text":"b","source":{"provision":"§ 4 pkt 1"}}],
		"superior":{"id":"dyr","name":"D"},"cooperation":[{"unit":{"code":"KS-02","name":"m"},"direction":"OUTGOING","strength":"PLAIN","source":{"provision":"§ 4 pkt 3","basis":"STATED"}}]},
		{"code":"KS-02","name":"m","duties":[],"superior":null,"cooperation":[]}]}}`)
	f, err := UnitsFingerprint(body)
	if err != nil {
		t.Fatal(err)
	}
	want := Fingerprint{
		UnitLine("KS-02", "m", "", nil, nil),
		UnitLine("KS-01", "n", "dyr", []string{"§ 4 pkt 1", "§ 4 pkt 2"},
			[]string{CooperationLine("KS-02", "OUTGOING", "", "PLAIN", "§ 4 pkt 3", "STATED", "")}),
	}
	if !f.Equal(want) {
		t.Fatalf("got %q\nwant %q", f, want)
	}
}

func TestCooperationFingerprint(t *testing.T) {
	body := []byte(`{"data":{"cooperatingUnits":[{"unit":{"code":"KS-01","name":"x"},"direction":"INCOMING","declaredBy":{"id":"KS-01"},"strength":"CLOSE","source":{"provision":"§ 4","basis":"STATED","reason":null}}]}}`)
	f, err := CooperationFingerprint(body)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Fingerprint{CooperationLine("KS-01", "INCOMING", "KS-01", "CLOSE", "§ 4", "STATED", "")}); !f.Equal(want) {
		t.Fatalf("got %q, want %q", f, want)
	}
}

func TestRunCountsRequestsAndErrors(t *testing.T) {
	var calls atomic.Int64
	marked := int64(-1)
	st := Run(context.Background(), Load{Clients: 4, Requests: 100, Warmup: 10}, func(context.Context) error {
		if calls.Add(1)%10 == 0 {
			return errors.New("wrong answer: boom")
		}
		return nil
	}, func() { marked = calls.Load() })
	if marked != 10 {
		t.Errorf("mark called after %d calls, want after the 10 of the warm-up", marked)
	}
	if calls.Load() != 110 || st.Requests != 100 || st.Capped {
		t.Errorf("calls %d, requests %d, capped %v; want 110, 100, false", calls.Load(), st.Requests, st.Capped)
	}
	if st.Errors != 11 || len(st.FirstErrors) != 1 {
		t.Errorf("errors %d (%q), want 11 and one distinct message", st.Errors, st.FirstErrors)
	}
	if st.P50 > st.P99 {
		t.Errorf("p50 %v > p99 %v", st.P50, st.P99)
	}
}

func TestRunStopsAtTheCap(t *testing.T) {
	// 1000 requests of 5 ms from 2 clients take 2.5 s; a 50 ms cap stops them long before.
	st := Run(context.Background(), Load{Clients: 2, Requests: 1000, Cap: 50 * time.Millisecond}, func(context.Context) error {
		time.Sleep(5 * time.Millisecond)
		return nil
	}, nil)
	if !st.Capped || st.Requests >= 1000 || st.Requests == 0 {
		t.Errorf("capped %v after %d requests; want capped with some but not all done", st.Capped, st.Requests)
	}
}

func TestRatios(t *testing.T) {
	r := &Report{Results: []Result{
		{Query: "Q1", Target: Embedded, Stats: Stats{PerSecond: 300}, Chain: true},
		{Query: "Q1", Target: Neo4j, Stats: Stats{PerSecond: 40}},
		{Query: "Q1", Target: DBFloor, Stats: Stats{PerSecond: 100}},
		{Query: "Q1", Target: HTTPFloor, Stats: Stats{PerSecond: 1000}},
		{Query: "Q2", Target: Embedded, Stats: Stats{PerSecond: 100}},
		{Query: "Q2", Target: HTTPFloor, Stats: Stats{PerSecond: 1000}},
	}}
	r.ComputeRatios("Neo4j at x did not answer")
	// Per query: neo4j, neo4j with nothing kept, embedded, embedded with nothing kept.
	if len(r.Ratios) != 8 {
		t.Fatalf("%d ratios, want 8", len(r.Ratios))
	}
	neo, emb := r.Ratios[0], r.Ratios[2]
	if fresh := r.Ratios[1]; fresh.Of != Neo4jFresh || fresh.Value != nil {
		t.Errorf("Q1 neo4j with nothing kept was not measured: got %+v", fresh)
	}
	if *neo.Value != 0.4 || *neo.Met {
		t.Errorf("Q1 neo4j ÷ db floor = %v met %v, want 0.4, not met", *neo.Value, *neo.Met)
	}
	if *emb.Value != 0.3 || !*emb.Met {
		t.Errorf("Q1 embedded ÷ http floor = %v met %v, want 0.3, met", *emb.Value, *emb.Met)
	}
	if q2 := r.Ratios[4]; q2.Value != nil || !strings.Contains(q2.Note, "did not answer") {
		t.Errorf("Q2 neo4j ratio without Neo4j: %+v", q2)
	}
	if q2 := r.Ratios[6]; q2.Target != nil || q2.Met != nil {
		t.Errorf("Q2 is no chain: no target, got %+v", q2)
	}
	r.Results[1].Errors = 1
	r.ComputeRatios("")
	if r.Ratios[0].Met != nil || !r.Failed() {
		t.Error("a wrong answer must leave the target unjudged and fail the run")
	}
}
