package storetest

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/ordinance"
	"github.com/orgraph/orgraph/internal/org"
)

// HistoryActs are the successive acts of one department (Wydział Geodezji)
// the history contract imports, oldest first, as files beside the importer's
// tests.
var HistoryActs = []string{
	"history/zarzadzenie-880-2019-gd.txt",
	"history/zarzadzenie-1102-2023-gd.txt",
	"zarzadzenie-1502-2025-gd.txt",
}

// historyDir is where HistoryActs are, from a store's package
// (internal/memstore, internal/neo4jstore, ...).
const historyDir = "../ordinance/testdata"

type act struct {
	name string
	text string
	g    *org.Graph
}

func (a act) doc() org.Document { return a.g.Documents[0] }

func (a act) from() string { return cmp.Or(a.doc().Effective, a.doc().Date) }

func mustActs(t *testing.T) []act {
	t.Helper()
	var out []act
	for _, name := range HistoryActs {
		text, err := os.ReadFile(filepath.Join(historyDir, name))
		if err != nil {
			t.Fatal(err)
		}
		r, err := ordinance.Import(filepath.Base(name), string(text))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		g, err := r.Graph()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, act{name: name, text: string(text), g: g})
	}
	return out
}

// historyToday is the day the history contract runs on: after every act.
var historyToday = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

// structure is what a graph says, as the history compares it: nodes with
// their names, relations by what they say (kind and ends), duties' words
// by unit. The same act read twice, or a fact two acts state, is one.
type structure struct {
	Nodes     map[string]string // id → kind, name, code
	Relations map[string]bool
	Duties    map[string]int // unit and folded words → how many
}

func structureOf(g *org.Graph) structure {
	s := structure{Nodes: map[string]string{}, Relations: map[string]bool{}, Duties: map[string]int{}}
	for _, n := range g.Nodes {
		s.Nodes[n.ID] = string(n.Kind) + " " + n.Name + " " + n.Code
	}
	for _, r := range g.Relations {
		s.Relations[string(r.Kind)+" "+r.From+" > "+r.To] = true
	}
	for _, d := range g.Duties {
		s.Duties[d.Unit+": "+strings.Join(org.Terms(d.Text), " ")]++
	}
	return s
}

func (s structure) equal(o structure) bool {
	return mapsEqual(s.Nodes, o.Nodes) && mapsEqual(s.Relations, o.Relations) && mapsEqual(s.Duties, o.Duties)
}

func mapsEqual[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func diffKeys[V any](a, b map[string]V) (onlyA, onlyB []string) {
	for k := range a {
		if _, ok := b[k]; !ok {
			onlyA = append(onlyA, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			onlyB = append(onlyB, k)
		}
	}
	slices.Sort(onlyA)
	slices.Sort(onlyB)
	return onlyA, onlyB
}

func (s structure) diff(o structure) string {
	var b strings.Builder
	n1, n2 := diffKeys(s.Nodes, o.Nodes)
	r1, r2 := diffKeys(s.Relations, o.Relations)
	d1, d2 := diffKeys(s.Duties, o.Duties)
	for k, v := range s.Nodes {
		if w, ok := o.Nodes[k]; ok && w != v {
			b.WriteString("node " + k + ": " + v + " / " + w + "\n")
		}
	}
	for _, l := range []struct {
		what   string
		xs, ys []string
	}{{"nodes", n1, n2}, {"relations", r1, r2}, {"duties", d1, d2}} {
		if len(l.xs)+len(l.ys) > 0 {
			b.WriteString(l.what + " only in the first: " + strings.Join(l.xs, "; ") + "\n")
			b.WriteString(l.what + " only in the second: " + strings.Join(l.ys, "; ") + "\n")
		}
	}
	return b.String()
}

// RunHistory runs the history part of the contract: a department's
// successive acts imported in any order, the structure on any day, what
// the acts changed, and every version of a unit. Acts are read with the
// importer, as the server reads them.
func RunHistory(t *testing.T, h Harness) {
	acts := mustActs(t)
	seed := MustSeed(t)
	open := func(t *testing.T) (*org.Service, org.ScenarioStore) {
		t.Helper()
		s := MustOpenSeeded(t, h.Open)
		ss, ok := s.(org.ScenarioStore)
		if !ok {
			t.Fatalf("%T keeps no audit log", s)
		}
		return &org.Service{Store: s, Overlay: h.Overlay, Acts: ordinance.ReadAct,
			Clock: func() time.Time { return historyToday }}, ss
	}
	importActs := func(t *testing.T, svc *org.Service, order []int) {
		t.Helper()
		for _, i := range order {
			if err := svc.Import(Owner, acts[i].g, acts[i].name); err != nil {
				t.Fatalf("importing %s: %v", acts[i].doc().ID, err)
			}
		}
	}
	baseline := func(t *testing.T, ss org.ScenarioStore) *org.Graph {
		t.Helper()
		g, err := ss.Snapshot(Owner)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	// Today the newest act is in force: the baseline is the seed and it.
	want := structureOf(org.Upsert(seed, acts[len(acts)-1].g))

	t.Run("acts imported in any order leave the seed and the act in force today", func(t *testing.T) {
		orders := [][]int{{0, 1, 2}, {2, 1, 0}, {1, 0, 2}, {2, 0, 1}, {0, 2, 1}, {1, 2, 0}}
		for _, order := range orders {
			svc, ss := open(t)
			importActs(t, svc, order)
			got := structureOf(baseline(t, ss))
			if !got.equal(want) {
				t.Errorf("order %v: the baseline is not the seed and %s:\n%s", order, acts[len(acts)-1].doc().ID, got.diff(want))
			}
			docs, err := svc.Store.FindDocuments(Owner)
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != len(acts)+len(seed.Documents) {
				t.Errorf("order %v: %d documents kept, want every act and the seed's", order, len(docs))
			}
		}
	})

	t.Run("an act imported before its day takes its place on that day", func(t *testing.T) {
		s := MustOpenSeeded(t, h.Open)
		ss := s.(org.ScenarioStore)
		day := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC) // 1102/2023 in force, 1502/2025 to come
		svc := &org.Service{Store: s, Overlay: h.Overlay, Acts: ordinance.ReadAct, Clock: func() time.Time { return day }}
		importActs(t, svc, []int{0, 1, 2})
		if got, want := structureOf(baseline(t, ss)), structureOf(org.Upsert(seed, acts[1].g)); !got.equal(want) {
			t.Fatalf("on 2025-03-01 the baseline is not the seed and %s:\n%s", acts[1].doc().ID, got.diff(want))
		}
		if placed, err := svc.CatchUp(Owner); err != nil || len(placed) != 0 {
			t.Fatalf("a catch-up before the day placed %v (%v)", placed, err)
		}
		day = time.Date(2025, 7, 1, 0, 30, 0, 0, time.UTC)
		placed, err := svc.CatchUp(Owner)
		if err != nil || !slices.Equal(placed, []string{acts[2].doc().ID}) {
			t.Fatalf("on 2025-07-01 the catch-up placed %v (%v), want [%s]", placed, err, acts[2].doc().ID)
		}
		if got := structureOf(baseline(t, ss)); !got.equal(want) {
			t.Errorf("after the catch-up the baseline is not the seed and %s:\n%s", acts[2].doc().ID, got.diff(want))
		}
		if placed, err := svc.CatchUp(Owner); err != nil || len(placed) != 0 {
			t.Errorf("a second catch-up placed %v (%v)", placed, err)
		}
		log, err := ss.AuditLog(Owner, 100, "")
		if err != nil || len(log) == 0 || log[len(log)-1].Subject != "orgraph" || log[len(log)-1].Target != acts[2].doc().ID {
			t.Errorf("the catch-up is not in the audit log: %+v (%v)", log, err)
		}
	})

	svc, ss := open(t)
	importActs(t, svc, []int{2, 0, 1})

	t.Run("units come grouped by department, in the order of their codes, each in its act's order", func(t *testing.T) {
		ns, err := svc.Store.FindNodes(Owner, org.NodeFilter{Kinds: []org.NodeKind{org.KindUnit}})
		if err != nil {
			t.Fatal(err)
		}
		order := func(g *org.Graph, prefix string) []string {
			var out []string
			for _, n := range g.Nodes {
				if n.Kind == org.KindUnit && strings.HasPrefix(n.ID, prefix) {
					out = append(out, n.ID)
				}
			}
			return out
		}
		var got []string
		for _, n := range ns {
			got = append(got, n.ID)
		}
		// The Departament (no code), then GD's units as 1502/2025 § 2
		// lists them, then KS's as the seed does.
		want := slices.Concat([]string{"departament"}, order(acts[2].g, "GD"), order(seed, "KS"))
		if !slices.Equal(got, want) {
			t.Errorf("units %v\nwant %v", got, want)
		}
	})

	t.Run("importing an act again changes nothing", func(t *testing.T) {
		before := structureOf(baseline(t, ss))
		importActs(t, svc, []int{1, 2})
		if got := structureOf(baseline(t, ss)); !got.equal(before) {
			t.Errorf("a second import changed the baseline:\n%s", got.diff(before))
		}
	})

	t.Run("each act is in force from its day until the next act's", func(t *testing.T) {
		ps, err := svc.Periods(Owner)
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range acts {
			j := slices.IndexFunc(ps, func(p org.Period) bool { return p.Document.ID == a.doc().ID })
			if j < 0 {
				t.Fatalf("%s has no period", a.doc().ID)
			}
			p := ps[j]
			until, by := "", ""
			if i+1 < len(acts) {
				until, by = acts[i+1].from(), acts[i+1].doc().ID
			}
			if p.From != a.from() || p.Until != until || p.SupersededBy != by {
				t.Errorf("%s in force %s to %q (by %q), want %s to %q (by %q)", a.doc().ID, p.From, p.Until, p.SupersededBy, a.from(), until, by)
			}
		}
	})

	t.Run("asOf a day of each act answers with that act's structure", func(t *testing.T) {
		for i, a := range acts {
			days := []string{a.from()}
			if i+1 < len(acts) { // the last day before the next act
				next, _ := time.Parse(org.DayLayout, acts[i+1].from())
				days = append(days, next.AddDate(0, 0, -1).Format(org.DayLayout))
			}
			for _, day := range days {
				view, err := svc.AsOf(Owner, day)
				if err != nil {
					t.Fatalf("asOf %s: %v", day, err)
				}
				g, err := org.ReadGraph(Owner, view.Store)
				if err != nil {
					t.Fatal(err)
				}
				// The seed's act is in force from 2025-01-01.
				wantG := a.g
				if day >= cmp.Or(seed.Documents[0].Effective, seed.Documents[0].Date) {
					wantG = org.Upsert(seed, a.g)
				}
				if got, want := structureOf(g), structureOf(wantG); !mapsEqual(got.Nodes, want.Nodes) || !mapsEqual(got.Relations, want.Relations) || !mapsEqual(got.Duties, want.Duties) {
					t.Errorf("asOf %s is not %s's structure:\n%s", day, a.doc().ID, got.diff(want))
				}
			}
		}
	})

	t.Run("asOf a day before every act is not found, naming the acts held", func(t *testing.T) {
		_, err := svc.AsOf(Owner, "2010-01-01")
		if org.ErrorCode(err) != org.ENOTFOUND {
			t.Fatalf("asOf 2010-01-01: %v, want ENOTFOUND", err)
		}
		for _, a := range acts {
			if !strings.Contains(org.ErrorMessage(err), a.doc().ID) {
				t.Errorf("the refusal %q does not name %s", org.ErrorMessage(err), a.doc().ID)
			}
		}
		for _, bad := range []string{"2024-02-30", "01.06.2024", "", "2024-6-1"} {
			if _, err := svc.AsOf(Owner, bad); org.ErrorCode(err) != org.EINVALID {
				t.Errorf("asOf %q: %v, want EINVALID", bad, err)
			}
		}
	})

	t.Run("structureChanges between two acts lists what the texts changed", func(t *testing.T) {
		for i := 0; i+1 < len(acts); i++ {
			a, b := acts[i], acts[i+1]
			im, err := svc.StructureChanges(Owner, a.from(), b.from(), "GD", org.AllParts())
			if err != nil {
				t.Fatal(err)
			}
			checkChanges(t, a.g, b.g, im)
		}
	})

	t.Run("structureChanges for one department leaves the others out", func(t *testing.T) {
		im, err := svc.StructureChanges(Owner, acts[1].from(), acts[2].from(), "", org.AllParts())
		if err != nil {
			t.Fatal(err)
		}
		// The seed's department came into force between the two days.
		if !slices.ContainsFunc(im.Added, func(n org.Node) bool { return n.ID == "KS" }) {
			t.Errorf("without department, the seed's KS is not among the added")
		}
		if _, err := svc.StructureChanges(Owner, acts[0].from(), acts[2].from(), "XX", org.AllParts()); org.ErrorCode(err) != org.ENOTFOUND {
			t.Errorf("an unknown department: %v, want ENOTFOUND", err)
		}
	})

	t.Run("a unit's timeline has a version per act that names it", func(t *testing.T) {
		for _, n := range acts[len(acts)-1].g.Nodes {
			if n.Kind != org.KindUnit {
				continue
			}
			vs, err := svc.Timeline(Owner, n.ID)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, a := range acts {
				if slices.ContainsFunc(a.g.Nodes, func(m org.Node) bool { return m.ID == n.ID }) {
					want = append(want, a.doc().ID)
				}
			}
			var got []string
			for _, v := range vs {
				got = append(got, v.Period.Document.ID)
			}
			if !slices.Equal(got, want) {
				t.Errorf("timeline of %s: %v, want %v", n.ID, got, want)
			}
		}
		if _, err := svc.Timeline(Owner, "GD-99"); org.ErrorCode(err) != org.ENOTFOUND {
			t.Errorf("timeline of an unknown unit: %v, want ENOTFOUND", err)
		}
	})

	t.Run("an act that repeals an act the graph does not hold says so", func(t *testing.T) {
		notes, err := svc.ImportNotes(Owner, acts[0].doc().ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range acts[0].doc().Repeals {
			if !slices.ContainsFunc(notes, func(n org.Repair) bool { return strings.Contains(n.Message, r) }) {
				t.Errorf("no note that %s repeals %s, which the graph does not hold: %v", acts[0].doc().ID, r, notes)
			}
		}
	})
}

// checkChanges holds structureChanges from a to b to a diff of the two
// acts' graphs made here, independently: nodes added, removed, renamed,
// moved (their REPORTS_TO target), relations gained and lost by what they
// say, and every duty accounted for once.
func checkChanges(t *testing.T, a, b *org.Graph, im org.Impact) {
	t.Helper()
	id := a.Documents[0].ID + " → " + b.Documents[0].ID
	na, nb := map[string]org.Node{}, map[string]org.Node{}
	for _, n := range a.Nodes {
		na[n.ID] = n
	}
	for _, n := range b.Nodes {
		nb[n.ID] = n
	}
	var added, removed, renamed []string
	for _, n := range b.Nodes {
		if n.Kind == org.KindEntity {
			continue
		}
		if o, ok := na[n.ID]; !ok {
			added = append(added, n.ID)
		} else if o.Name != n.Name {
			renamed = append(renamed, n.ID)
		}
	}
	for _, n := range a.Nodes {
		if _, ok := nb[n.ID]; !ok && n.Kind != org.KindEntity {
			removed = append(removed, n.ID)
		}
	}
	sup := func(g *org.Graph) map[string]string {
		m := map[string]string{}
		for _, r := range g.Relations {
			if r.Kind == org.ReportsTo {
				if _, dup := m[r.From]; !dup {
					m[r.From] = r.To
				}
			}
		}
		return m
	}
	sa, sb := sup(a), sup(b)
	var moved []string
	for n, to := range sb {
		if from, ok := sa[n]; ok && from != to {
			moved = append(moved, n)
		}
	}
	ids := func(ns []org.Node) []string {
		var out []string
		for _, n := range ns {
			if n.Kind != org.KindEntity {
				out = append(out, n.ID)
			}
		}
		slices.Sort(out)
		return out
	}
	var gotRenamed, gotMoved []string
	for _, r := range im.Renamed {
		gotRenamed = append(gotRenamed, r.Node.ID)
	}
	for _, m := range im.Moved {
		if m.Before != nil && m.After != nil {
			gotMoved = append(gotMoved, m.Node.ID)
		}
	}
	for _, c := range []struct {
		what      string
		got, want []string
	}{
		{"added", ids(im.Added), added}, {"removed", ids(im.Removed), removed},
		{"renamed", gotRenamed, renamed}, {"moved", gotMoved, moved},
	} {
		slices.Sort(c.got)
		slices.Sort(c.want)
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: %s %v, want %v", id, c.what, c.got, c.want)
		}
	}
	ra, rb := structureOf(a).Relations, structureOf(b).Relations
	lost, gained := diffKeys(ra, rb)
	key := func(rs []org.Relation) []string {
		var out []string
		for _, r := range rs {
			out = append(out, string(r.Kind)+" "+r.From+" > "+r.To)
		}
		slices.Sort(out)
		return out
	}
	if got := key(im.RelationsGained); !slices.Equal(got, gained) {
		t.Errorf("%s: relations gained %v, want %v", id, got, gained)
	}
	if got := key(im.RelationsLost); !slices.Equal(got, lost) {
		t.Errorf("%s: relations lost %v, want %v", id, got, lost)
	}
	for _, r := range slices.Concat(im.RelationsGained, im.RelationsLost) {
		if r.Source.Document == "" || r.Source.Provision == "" {
			t.Errorf("%s: relation %s %s > %s names no provision", id, r.Kind, r.From, r.To)
		}
	}
	// Every duty of a is kept, reworded, moved or removed, once; every duty
	// of b is kept, reworded, moved or added, once.
	seenA, seenB := map[string]int{}, map[string]int{}
	for _, c := range slices.Concat(im.DutiesReworded, im.DutiesMoved) {
		seenA[c.Before.ID]++
		seenB[c.After.ID]++
	}
	for _, d := range im.DutiesRemoved {
		seenA[d.ID]++
	}
	for _, d := range im.DutiesAdded {
		seenB[d.ID]++
	}
	unchanged := len(a.Duties) - len(seenA)
	if len(b.Duties)-len(seenB) != unchanged {
		t.Errorf("%s: %d duties of the older act unaccounted for, %d of the newer: the unchanged must pair up", id, unchanged, len(b.Duties)-len(seenB))
	}
	for k, n := range seenA {
		if n > 1 {
			t.Errorf("%s: duty %s counted %d times", id, k, n)
		}
	}
	for k, n := range seenB {
		if n > 1 {
			t.Errorf("%s: duty %s counted %d times", id, k, n)
		}
	}
}
