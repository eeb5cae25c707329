package bench

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
)

// The scale table's scenario is one ApplyChanges accepts, at every size and
// seed, with the changes asked for, each of them changing the graph.
func TestScenarioChangesApply(t *testing.T) {
	for _, units := range []int{10, 150, 2000} {
		for seed := range int64(3) {
			t.Run(fmt.Sprintf("%d-units-seed-%d", units, seed), func(t *testing.T) {
				g := orggen.Generate(seed, units)
				changes := ScenarioChanges(g, 100, seed)
				if len(changes) != 100 {
					t.Fatalf("%d changes, want 100", len(changes))
				}
				kinds := map[org.ChangeKind]int{}
				ids := map[string]bool{}
				for _, c := range changes {
					kinds[c.Kind]++
					if ids[c.ID] {
						t.Fatalf("change id %s twice", c.ID)
					}
					ids[c.ID] = true
				}
				if len(kinds) < 3 {
					t.Errorf("only %v kinds of change", kinds)
				}
				after, err := org.ApplyChanges(g, org.Scenario{ID: "s", Changes: changes})
				if err != nil {
					t.Fatal(err)
				}
				if len(after.Relations) == len(g.Relations) && kinds[org.ChangeAddCooperation] > 0 {
					t.Errorf("the scenario added no relation: %d before and after", len(g.Relations))
				}
			})
		}
	}
}

func TestRSSOfThisProcess(t *testing.T) {
	n, err := RSS(0)
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	if n < 1<<20 {
		t.Fatalf("RSS %d bytes: less than a MiB for a running Go test", n)
	}
}

// The scale targets are judged from the rows: met and not met alike.
func TestScaleTargets(t *testing.T) {
	r := &Report{Scale: []ScaleRow{
		{Units: 150, Store: Embedded, Chain: time.Millisecond, ChainNodes: 7, RSSBase: 100 << 20, RSSScenario: 105 << 20},
		{Units: 2000, Store: Embedded, Chain: 3 * time.Millisecond, ImpactFirst: 200 * time.Millisecond, Impact: 100 * time.Millisecond},
		{Units: 20000, Store: Neo4j, LoadRate: 60000, ImpactFirst: 3 * time.Second, Impact: time.Second},
		// A fast failure is not a fast answer.
		{Units: 20000, Store: Embedded, Chain: 6 * time.Millisecond, ChainNodes: 7, ImpactFirst: time.Millisecond, Errors: []string{"scenarioImpact: NOT_FOUND"}},
	}}
	got := strings.Join(r.ScaleTargets(), "\n")
	for _, want := range []string{
		"embedded chain of 7 nodes at 20000 units ÷ of 7 at 150: 6.00× (target ≤ 2×): NOT met",
		"embedded memory a scenario adds at 150 units: +5.0% of 100 MiB (target < 10%): met",
		"embedded impact at 2000 units: first 200.0ms, p50 100.0ms (target < 300ms): met",
		"neo4j    impact at 20000 units: first 3.00s, p50 1.00s (target < 2s): NOT met",
		"neo4j    load at 20000 units: 60000 relations/s (target ≥ 50000): met",
		"embedded impact at 20000 units: first 1.00ms, p50 - (target < 2s): NOT met",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("targets lack %q:\n%s", want, got)
		}
	}
}

// The scale rows' searches are the same every run, each has a word to look
// for, and among them are starts shorter than a trigram.
func TestSearches(t *testing.T) {
	a, b := Searches(SearchesAsked), Searches(SearchesAsked)
	if !slices.Equal(a, b) || len(a) != SearchesAsked {
		t.Fatalf("two draws differ or are not %d long: %q, %q", SearchesAsked, a, b)
	}
	short := false
	for _, q := range a {
		terms := org.Terms(q)
		if len(terms) == 0 {
			t.Errorf("search %q has no word", q)
		}
		short = short || slices.ContainsFunc(terms, func(t string) bool { return len([]rune(t)) < 3 })
	}
	if !short {
		t.Errorf("no search has a start of one or two letters: %q", a)
	}
}
