package neo4jstore_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/neo4jstore"
	"github.com/orgraph/orgraph/internal/neo4jtest"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/storetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	neo4jtest.Cleanup()
	os.Exit(code)
}

func TestNeo4jStore(t *testing.T) {
	driver := neo4jtest.Connect(t)
	storetest.Run(t, func(t *testing.T) org.Store { return mustOpenEmpty(t, driver) })
}

// mustOpenEmpty returns a store over an emptied database: Neo4j Community
// has one user database, so a fresh store is a cleared one.
func mustOpenEmpty(t testing.TB, driver neo4j.DriverWithContext) *neo4jstore.Store {
	t.Helper()
	ctx := context.Background()
	for {
		// In batches, so that no transaction holds a whole large graph.
		res, err := neo4j.ExecuteQuery(ctx, driver,
			`MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted`,
			nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatalf("clear the database: %v", err)
		}
		deleted, _, err := neo4j.GetRecordValue[int64](res.Records[0], "deleted")
		if err != nil {
			t.Fatalf("clear the database: %v", err)
		}
		if deleted == 0 {
			break
		}
	}
	return neo4jstore.Open(driver, "", neo4jstore.Options{})
}

// mustLoadBoth loads g into memstore and into an emptied Neo4j store.
func mustLoadBoth(t *testing.T, driver neo4j.DriverWithContext, g *org.Graph) (*memstore.Store, *neo4jstore.Store) {
	t.Helper()
	ctx := context.Background()
	mem := memstore.New()
	if err := mem.Load(ctx, g); err != nil {
		t.Fatalf("memstore load: %v", err)
	}
	neo := mustOpenEmpty(t, driver)
	start := time.Now()
	if err := neo.Load(ctx, g); err != nil {
		t.Fatalf("neo4j load: %v", err)
	}
	t.Logf("loaded %d nodes, %d relations, %d duties in %s",
		len(g.Nodes), len(g.Relations), len(g.Duties), time.Since(start).Round(time.Millisecond))
	return mem, neo
}

// The seed through every method, answered by Neo4j as by memstore.
func TestNeo4jStoreAnswersTheSeedAsMemstore(t *testing.T) {
	driver := neo4jtest.Connect(t)
	g := storetest.MustSeed(t)
	mem, neo := mustLoadBoth(t, driver, g)
	c := comparer{t: t, mem: mem, neo: neo}

	var ids, codes []string
	for _, n := range g.Nodes {
		ids = append(ids, n.ID)
		if n.Code != "" {
			codes = append(codes, n.Code)
		}
	}
	c.lookups(append(ids, "nobody", ""), append(codes, "KS-99", ""))
	for _, id := range append(ids, "nobody") {
		c.chain(id)
		for _, depth := range []int{0, 1, 2} {
			c.subordinates(id, depth)
		}
		c.relations(org.RelationFilter{From: []string{id}})
		c.relations(org.RelationFilter{To: []string{id}})
		c.duties(org.DutyFilter{Units: []string{id}})
	}
	// Every node to a few targets: along all kinds, along reporting lines
	// only, and along what units run, which leaves most pairs unconnected.
	for _, to := range []string{"KS-04", "prezydent", "bip", "nobody"} {
		for _, from := range ids {
			c.path(from, to, nil)
			c.path(from, to, []org.RelationKind{org.ReportsTo})
			c.path(from, to, []org.RelationKind{org.Runs, org.Serves})
		}
	}
	c.path("nobody", "KS-01", nil)
	for _, q := range []string{
		"wspolpraca", "współpraca", "ŚCISŁA WSPÓŁ", "konferencji prasowych", "rzecznik", "referat",
		"krak", "bip", "magiczny kraków", "o", "zzz", "prowadzenie obsługi", "2024",
	} {
		for _, limit := range []int{0, 1, 5} {
			c.search(q, limit)
		}
	}
	c.search(" ;; ", 0)

	// The graph is one a Neo4j user reads directly: labels for the kinds,
	// a relationship type per relation kind, duties hung from their units
	// and letters from their items.
	for _, tc := range []struct {
		query string
		want  int64
	}{
		{`MATCH (n:Node:Unit) RETURN count(n)`, count(g.Nodes, func(n org.Node) bool { return n.Kind == org.KindUnit })},
		{`MATCH (n:Node:Position) RETURN count(n)`, count(g.Nodes, func(n org.Node) bool { return n.Kind == org.KindPosition })},
		{`MATCH (n:Node:Entity) RETURN count(n)`, count(g.Nodes, func(n org.Node) bool { return n.Kind == org.KindEntity })},
		{`MATCH (:Node)-[r:REPORTS_TO]->(:Node) RETURN count(r)`, count(g.Relations, func(r org.Relation) bool { return r.Kind == org.ReportsTo })},
		{`MATCH (:Node)-[r:COOPERATES_WITH]->(:Node) WHERE r.strength IS NOT NULL RETURN count(r)`, count(g.Relations, func(r org.Relation) bool { return r.Kind == org.CooperatesWith })},
		{`MATCH (:Unit)-[:HAS_DUTY]->(d:Duty) RETURN count(d)`, int64(len(g.Duties))},
		{`MATCH (:Duty)-[:PART_OF_DUTY]->(:Duty) RETURN count(*)`, count(g.Duties, func(d org.Duty) bool { return d.Parent != "" })},
		{`MATCH (:Unit {code: 'KS-07'})-[:HAS_DUTY]->(d:Duty) WHERE d.folded CONTAINS ' wydawnictw' RETURN count(d)`, 1},
		{`MATCH (d:Document {id: '3468/2024'}) RETURN size(d.repairWhere)`, int64(len(g.Documents[0].Repairs))},
	} {
		res, err := neo4j.ExecuteQuery(context.Background(), driver, tc.query, nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		if got := res.Records[0].Values[0]; got != tc.want {
			t.Errorf("%s: got %v, want %d", tc.query, got, tc.want)
		}
	}
}

func count[T any](items []T, match func(T) bool) int64 {
	var n int64
	for _, v := range items {
		if match(v) {
			n++
		}
	}
	return n
}

func (c comparer) lookups(ids, codes []string) {
	ctx := context.Background()
	c.same("Empty", call(c.mem.Empty(ctx)), call(c.neo.Empty(ctx)))
	c.same("FindDocuments", call(c.mem.FindDocuments(ctx)), call(c.neo.FindDocuments(ctx)))
	for _, id := range ids {
		c.same("FindNodeByID "+id, call(c.mem.FindNodeByID(ctx, id)), call(c.neo.FindNodeByID(ctx, id)))
	}
	for _, code := range codes {
		c.same("FindNodeByCode "+code, call(c.mem.FindNodeByCode(ctx, code)), call(c.neo.FindNodeByCode(ctx, code)))
	}
	for _, f := range []org.NodeFilter{
		{},
		{Kinds: []org.NodeKind{org.KindUnit}},
		{Kinds: []org.NodeKind{org.KindPosition, org.KindEntity}},
		{IDs: []string{}},
		{IDs: append(slices.Clone(head(ids, 5)), ids[2], "nobody")},
		{IDs: ids, Kinds: []org.NodeKind{org.KindPosition}},
	} {
		c.same(fmt.Sprintf("FindNodes %+v", f), call(c.mem.FindNodes(ctx, f)), call(c.neo.FindNodes(ctx, f)))
	}
	for _, f := range []org.RelationFilter{
		{},
		{Kinds: []org.RelationKind{org.CooperatesWith}},
		{Kinds: []org.RelationKind{org.ReportsTo, org.PartOf}},
		{From: []string{}},
		{To: []string{}},
		{From: head(ids, 10), To: head(ids, 10)},
		{From: ids, To: []string{}},
		{From: append(slices.Clone(head(ids, 3)), ids[0]), Kinds: []org.RelationKind{org.MayTask}},
		{To: head(ids[min(5, len(ids)):], 10), Kinds: []org.RelationKind{org.Runs, org.Serves}},
	} {
		c.relations(f)
	}
	yes, no := true, false
	for _, f := range []org.DutyFilter{
		{},
		{Common: &yes},
		{Common: &no},
		{IDs: []string{}},
		{Units: []string{}},
		{Units: head(ids, 4), Common: &no},
		{IDs: []string{"3468/2024 § 7 pkt 2 lit. b", "3468/2024 § 4 pkt 1", "nothing", "3468/2024 § 4 pkt 1"}},
		{IDs: []string{"3468/2024 § 7 pkt 2 lit. b", "3468/2024 § 4 pkt 1"}, Units: []string{"KS-04"}},
	} {
		c.duties(f)
	}
}

func head(ids []string, n int) []string { return ids[:min(n, len(ids))] }

// comparer asks both stores the same question and reports where the
// answers differ, in value, order or error code.
type comparer struct {
	t   *testing.T
	mem org.Store
	neo org.Store
	// batched, when set, is a batching store over neo that must answer as
	// mem does too, whatever it has cached from earlier answers.
	batched org.Store
}

// result is one store's answer.
type result struct {
	value any
	err   error
}

func call[T any](v T, err error) result { return result{v, err} }

func (c comparer) same(what string, want, got result) {
	c.t.Helper()
	if org.ErrorCode(got.err) != org.ErrorCode(want.err) {
		c.t.Errorf("%s: got error %v, want %v", what, got.err, want.err)
		return
	}
	if want.err != nil {
		if got.err.Error() != want.err.Error() {
			c.t.Errorf("%s: got error %q, want %q", what, got.err, want.err)
		}
		return
	}
	if !equal(reflect.ValueOf(got.value), reflect.ValueOf(want.value)) {
		c.t.Errorf("%s:\n got %+v\nwant %+v", what, got.value, want.value)
	}
}

// equal is reflect.DeepEqual, except that a nil and an empty slice are
// equal: memstore itself returns either for no result.
func equal(a, b reflect.Value) bool {
	if a.Kind() == reflect.Slice && a.Len() == 0 && b.Len() == 0 {
		return true
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}

func (c comparer) chain(id string) {
	c.t.Helper()
	c.chains(org.NodeFilter{IDs: []string{id}})
}

func (c comparer) subordinates(id string, depth int) {
	c.t.Helper()
	ctx := context.Background()
	c.same(fmt.Sprintf("Subordinates %s %d", id, depth),
		call(c.mem.Subordinates(ctx, id, depth)), call(c.neo.Subordinates(ctx, id, depth)))
}

func (c comparer) path(from, to string, kinds []org.RelationKind) {
	c.t.Helper()
	ctx := context.Background()
	c.same(fmt.Sprintf("ShortestPath %s %s %v", from, to, kinds),
		call(c.mem.ShortestPath(ctx, from, to, kinds)), call(c.neo.ShortestPath(ctx, from, to, kinds)))
}

func (c comparer) relations(f org.RelationFilter) {
	c.t.Helper()
	ctx := context.Background()
	c.same(fmt.Sprintf("FindRelations %+v", f), call(c.mem.FindRelations(ctx, f)), call(c.neo.FindRelations(ctx, f)))
}

func (c comparer) duties(f org.DutyFilter) {
	c.t.Helper()
	ctx := context.Background()
	c.same(fmt.Sprintf("FindDuties %+v", f), call(c.mem.FindDuties(ctx, f)), call(c.neo.FindDuties(ctx, f)))
}

func (c comparer) search(q string, limit int) {
	c.t.Helper()
	ctx := context.Background()
	c.same(fmt.Sprintf("Search %q %d", q, limit), call(c.mem.Search(ctx, q, limit)), call(c.neo.Search(ctx, q, limit)))
}

// everything compares the whole contents of both stores.
func (c comparer) everything() {
	c.t.Helper()
	ctx := context.Background()
	c.same("FindDocuments", call(c.mem.FindDocuments(ctx)), call(c.neo.FindDocuments(ctx)))
	c.same("FindNodes", call(c.mem.FindNodes(ctx, org.NodeFilter{})), call(c.neo.FindNodes(ctx, org.NodeFilter{})))
	c.relations(org.RelationFilter{})
	c.duties(org.DutyFilter{})
}

func TestNeo4jStoreAnswersATangleAsMemstore(t *testing.T) {
	driver := neo4jtest.Connect(t)
	g := storetest.Tangle()
	mem, neo := mustLoadBoth(t, driver, g)
	c := comparer{t: t, mem: mem, neo: neo}
	c.everything()
	var ids []string
	for _, n := range g.Nodes {
		ids = append(ids, n.ID)
	}
	for _, from := range ids {
		c.chain(from)
		c.subordinates(from, 0)
		c.subordinates(from, 2)
		for _, to := range ids {
			c.path(from, to, nil)
			c.path(from, to, []org.RelationKind{org.ReportsTo})
			c.path(from, to, []org.RelationKind{org.CooperatesWith})
		}
	}
	for _, q := range []string{"wezel", "WĘZ", "wspolpraca", "scisla wsp", "obsługa węzła"} {
		c.search(q, 0)
		c.search(q, 2)
	}

	// The rules the tangle is built for, spelt out, so that the test does
	// not only agree with memstore but says what both must answer.
	ctx := context.Background()
	chains, err := neo.ChainsOfCommand(ctx, org.ByID("a"))
	if err != nil || len(chains) != 1 {
		t.Fatalf("chains from a: %v, %v", chains, err)
	}
	chain := chains[0]
	if got := nodeIDs(chain.Nodes); !slices.Equal(got, []string{"a", "c", "d"}) {
		t.Errorf("chain from a: got %v, want [a c d]", got)
	}
	subs, err := neo.Subordinates(ctx, "d", 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range subs {
		got = append(got, fmt.Sprintf("%s@%d<%s", s.Node.ID, s.Depth, s.Superior))
	}
	if want := []string{"b@1<d", "c@1<d", "a@2<b", "f@2<b", "e@3<a"}; !slices.Equal(got, want) {
		t.Errorf("subordinates of d: got %v, want %v", got, want)
	}
	p, err := neo.ShortestPath(ctx, "g", "h", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Links) != 1 || p.Links[0].Relation.ID != "c1" || !p.Links[0].Reversed {
		t.Errorf("g to h: got %+v, want c1 walked backwards", p.Links)
	}
}

func nodeIDs(nodes []org.Node) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.ID)
	}
	return out
}

// A second load replaces what it names and keeps the rest, as memstore's
// does, even where a node changes kind, a relation its kind and ends, and a
// duty its unit and parent.
func TestNeo4jStoreReloadReplacesByID(t *testing.T) {
	driver := neo4jtest.Connect(t)
	mem, neo := mustLoadBoth(t, driver, storetest.Tangle())
	src := org.Provenance{Document: "T/1", Provision: "§ 2", Basis: org.Inferred, Reason: "changed"}
	change := &org.Graph{
		Documents: []org.Document{{ID: "T/1", Title: "tangle, amended"}},
		Nodes:     []org.Node{{ID: "x", Kind: org.KindUnit, Name: "Jednostka x", Seq: 9, Source: src}},
		Relations: []org.Relation{
			{ID: "c2", Kind: org.ReportsTo, From: "x", To: "e", Seq: 1, Source: src},
			{ID: "r1", Kind: org.ReportsTo, From: "c", To: "d", Seq: 1, Duty: "a1", Source: src},
		},
		Duties: []org.Duty{
			{ID: "a1a", Unit: "x", Level: org.LevelLetter, Number: "a", Parent: "b1", Text: "przeniesiona", Seq: 2, Source: src},
			{ID: "b1", Unit: "b", Level: org.LevelItem, Number: "1", Text: "obsługa", Seq: 0, Source: src},
		},
	}
	ctx := context.Background()
	if err := mem.Load(ctx, change); err != nil {
		t.Fatalf("memstore: %v", err)
	}
	if err := neo.Load(ctx, change); err != nil {
		t.Fatalf("neo4j: %v", err)
	}
	c := comparer{t: t, mem: mem, neo: neo}
	c.everything()
	c.lookups(nodeIDs(storetest.Tangle().Nodes), []string{"T-x", "T-a"})
	c.chain("x")
	c.subordinates("e", 0)
	c.path("g", "h", nil)
	c.search("przeniesiona", 0)
	res, err := neo4j.ExecuteQuery(ctx, driver, `MATCH (n:Node {id: 'x'}) RETURN n:Unit AND NOT n:Entity`, nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	if relabelled := res.Records[0].Values[0]; relabelled != true {
		t.Error("x, now a unit, is not labelled :Unit alone")
	}

	// A duty may only belong to a unit: making x an entity again is refused
	// while a duty of x remains, and nothing changes.
	back := &org.Graph{Nodes: []org.Node{{ID: "x", Kind: org.KindEntity, Name: "x", Seq: 9, Source: src}}}
	if err := neo.Load(ctx, back); org.ErrorCode(err) != org.EINVALID {
		t.Errorf("load making x an entity: got %v, want code %q", err, org.EINVALID)
	}
	c.everything()
}

func TestNeo4jStoreCostsOneRoundTripPerQuestion(t *testing.T) {
	driver := neo4jtest.Connect(t)
	_, neo := mustLoadBoth(t, driver, storetest.Tangle())
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		ask  func() error
	}{
		{"a node", func() error { _, err := neo.FindNodeByID(ctx, "a"); return err }},
		{"nodes", func() error { _, err := neo.FindNodes(ctx, org.NodeFilter{IDs: []string{"a", "b"}}); return err }},
		{"relations", func() error { _, err := neo.FindRelations(ctx, org.RelationFilter{From: []string{"a"}}); return err }},
		{"duties", func() error { _, err := neo.FindDuties(ctx, org.DutyFilter{Units: []string{"a"}}); return err }},
		{"a chain", func() error { _, err := neo.ChainsOfCommand(ctx, org.ByID("f")); return err }},
		{"subordinates", func() error { _, err := neo.Subordinates(ctx, "d", 0); return err }},
		{"a path", func() error { _, err := neo.ShortestPath(ctx, "g", "f", nil); return err }},
		{"a search", func() error { _, err := neo.Search(ctx, "węzeł", 0); return err }},
	} {
		before := neo.RoundTrips()
		if err := tc.ask(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := neo.RoundTrips() - before; got != 1 {
			t.Errorf("%s: got %d round trips, want 1", tc.name, got)
		}
	}
}

func TestNeo4jStoreTimeoutIsUnavailable(t *testing.T) {
	driver := neo4jtest.Connect(t)
	s := neo4jstore.Open(driver, "", neo4jstore.Options{QueryTimeout: time.Nanosecond})
	_, err := s.FindNodes(context.Background(), org.NodeFilter{})
	if code := org.ErrorCode(err); code != org.EUNAVAILABLE {
		t.Fatalf("got code %q (%v), want %q", code, err, org.EUNAVAILABLE)
	}
}

// No server answers on port 1: every call says unavailable, in words fit
// for a user, without the driver's details.
func TestUnreachableServerIsUnavailable(t *testing.T) {
	ctx := context.Background()
	s, err := neo4jstore.New(ctx, neo4jstore.Config{
		URI: "bolt://127.0.0.1:1", ConnectTimeout: time.Second, QueryTimeout: 2 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	for what, err := range map[string]error{
		"Ping":   s.Ping(ctx),
		"Search": func() error { _, err := s.Search(ctx, "referat", 0); return err }(),
		// Search was remembered (before it failed): Warm sends it again.
		"Warm": func() error { _, err := s.Warm(ctx); return err }(),
	} {
		if code := org.ErrorCode(err); code != org.EUNAVAILABLE {
			t.Errorf("%s: got code %q (%v), want %q", what, code, err, org.EUNAVAILABLE)
		}
		if msg := org.ErrorMessage(err); strings.Contains(msg, "127.0.0.1") {
			t.Errorf("%s: the message %q shows the driver's details", what, msg)
		}
	}
}

func TestNewRefusesABadURI(t *testing.T) {
	_, err := neo4jstore.New(context.Background(), neo4jstore.Config{URI: "http://127.0.0.1:7474"})
	if code := org.ErrorCode(err); code != org.EINVALID {
		t.Fatalf("got code %q (%v), want %q", code, err, org.EINVALID)
	}
}

// chains compares ChainsOfCommand; with batched set, also through the
// batching store over Neo4j.
func (c comparer) chains(f org.NodeFilter) {
	c.t.Helper()
	ctx := context.Background()
	want := call(c.mem.ChainsOfCommand(ctx, f))
	c.same(fmt.Sprintf("ChainsOfCommand %+v", f), want, call(c.neo.ChainsOfCommand(ctx, f)))
	if c.batched != nil {
		c.same(fmt.Sprintf("batched ChainsOfCommand %+v", f), want, call(c.batched.ChainsOfCommand(ctx, f)))
	}
}

// neighbourhood compares FindNeighbourhood, and through the batching store.
func (c comparer) neighbourhood(f org.NodeFilter, a org.Around) {
	c.t.Helper()
	ctx := context.Background()
	want := call(c.mem.FindNeighbourhood(ctx, f, a))
	c.same(fmt.Sprintf("FindNeighbourhood %+v %+v", f, a), want, call(c.neo.FindNeighbourhood(ctx, f, a)))
	if c.batched != nil {
		c.same(fmt.Sprintf("batched FindNeighbourhood %+v %+v", f, a), want, call(c.batched.FindNeighbourhood(ctx, f, a)))
	}
}
