package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
)

// The scale targets (issue 9), judged in the scale table.
const (
	chainGrowthGoal = 2.0                    // chain at the largest size ≤ 2× its latency at the smallest
	impactGoal2k    = 300 * time.Millisecond // a 100-change scenarioImpact at 2,000 units
	impactGoal20k   = 2 * time.Second        // … at 20,000 units
	scenarioMemGoal = 0.10                   // memory a scenario adds ÷ the baseline's
	loadGoal        = 50000.0                // relations/s into Neo4j…
	loadJudgedFrom  = 20000                  // … judged from this many units up
)

// ScaleRow is one store at one size of generated organisation.
type ScaleRow struct {
	Units     int    `json:"units"`
	Nodes     int    `json:"nodes"`
	Relations int    `json:"relations"`
	Duties    int    `json:"duties"`
	Store     string `json:"store"` // Embedded or Neo4j
	// Load is how long loading the organisation into the store took, and
	// LoadRate its relations per second.
	Load     time.Duration `json:"load_ns"`
	LoadRate float64       `json:"load_relations_per_s"`
	// Chain is the median latency of the chain of command from a unit
	// ChainNodes long, the length of the deepest chain at 150 units, over
	// HTTP, nothing kept, one client: the chain compared across sizes.
	// Deepest is the same from the deepest unit, DeepestNodes long.
	Chain        time.Duration `json:"chain_p50_ns"`
	ChainNodes   int           `json:"chain_nodes"`
	Deepest      time.Duration `json:"deepest_chain_p50_ns"`
	DeepestNodes int           `json:"deepest_chain_nodes"`
	// Search is the median latency of Searches(SearchesAsked), each asked
	// once over HTTP, nothing kept, for its first 20 hits.
	Search time.Duration `json:"search_p50_ns"`
	// Warm is how long the server's warming of scenario questions took
	// after the load (org.Service.WarmScenarios, as orgraph serve does at
	// start and after every change of the baseline).
	Warm time.Duration `json:"warm_ns"`
	// ImpactFirst is the first scenarioImpact of the 100-change scenario
	// (after the warming, nothing of the scenario computed before); Impact
	// the median of the ones after it.
	ImpactFirst time.Duration `json:"impact_first_ns"`
	Impact      time.Duration `json:"impact_p50_ns"`
	Changes     int           `json:"changes"`
	// RSSBase is the resident memory of the store's process with the
	// organisation loaded; RSSScenario the same after the scenario's
	// impact was asked. 0 when it could not be read.
	RSSBase     int64 `json:"rss_base_bytes"`
	RSSScenario int64 `json:"rss_scenario_bytes"`
	// Errors says what failed, if anything did.
	Errors []string `json:"errors,omitempty"`
}

// ScenarioChanges returns n changes for g that ApplyChanges accepts, drawn
// from seed: moves of units from the later half of the reporting lines
// under units created before them (so no move makes a cycle), renames, new
// cooperation and reassigned duties, in turn. The ids are c0, c1, …
func ScenarioChanges(g *org.Graph, n int, seed int64) []org.Change {
	rnd := rand.New(rand.NewPCG(uint64(seed), 0x696d70))
	var units []org.Node
	for _, nd := range g.Nodes {
		if nd.Kind == org.KindUnit {
			units = append(units, nd)
		}
	}
	if len(units) < 2 {
		return nil
	}
	// Units in the order the graph lists them: orggen makes each report to
	// one listed before it.
	out := make([]org.Change, 0, n)
	for i := range n {
		c := org.Change{ID: fmt.Sprintf("c%d", i), Note: "bench"}
		switch i % 4 {
		case 0:
			at := len(units)/2 + rnd.IntN(len(units)-len(units)/2)
			c.Kind, c.Node, c.Under = org.ChangeMove, units[at].ID, units[rnd.IntN(max(at, 1))].ID
			if c.Node == c.Under {
				c.Kind, c.Under, c.Name = org.ChangeRename, "", units[at].Name+" (po zmianie)"
			}
		case 1:
			u := units[rnd.IntN(len(units))]
			c.Kind, c.Node, c.Name = org.ChangeRename, u.ID, u.Name+" (po zmianie)"
		case 2:
			a, b := units[rnd.IntN(len(units))], units[rnd.IntN(len(units))]
			if a.ID == b.ID {
				b = units[(rnd.IntN(len(units)-1)+1+indexOf(units, a.ID))%len(units)]
			}
			c.Kind, c.From, c.To, c.Strength, c.Scope = org.ChangeAddCooperation, a.ID, b.ID, org.Close, "w zakresie zmian organizacyjnych"
		case 3:
			if len(g.Duties) == 0 {
				c.Kind, c.Node, c.Name = org.ChangeRename, units[0].ID, units[0].Name+" (po zmianie)"
				break
			}
			d := g.Duties[rnd.IntN(len(g.Duties))]
			for d.Parent != "" || d.Common { // a whole item, with its letters and dashes; not one common to all units
				d = g.Duties[rnd.IntN(len(g.Duties))]
			}
			c.Kind, c.Duty, c.To = org.ChangeReassignDuty, d.ID, units[rnd.IntN(len(units))].ID
		}
		out = append(out, c)
	}
	return out
}

func indexOf(nodes []org.Node, id string) int {
	for i, n := range nodes {
		if n.ID == id {
			return i
		}
	}
	return 0
}

// SearchesAsked is how many searches a scale row asks.
const SearchesAsked = 24

// Searches returns n searches drawn in turn from the generator's
// vocabulary: a whole word, the start of one (three to five letters), a
// word without its diacritics, two words, and a one- or two-letter start
// with a word. The same n gives the same searches.
func Searches(n int) []string {
	rnd := rand.New(rand.NewPCG(uint64(n), 0x736561))
	word := func() string { return orggen.Vocabulary[rnd.IntN(len(orggen.Vocabulary))] }
	start := func(w string, most int) string {
		r := []rune(w)
		return string(r[:min(len(r), most)])
	}
	out := make([]string, n)
	for i := range out {
		w := word()
		switch i % 5 {
		case 0:
			out[i] = w
		case 1:
			out[i] = start(w, 3+rnd.IntN(3))
		case 2:
			out[i] = org.Fold(w)
		case 3:
			out[i] = w + " " + word()
		case 4:
			out[i] = start(w, 1+rnd.IntN(2)) + " " + word()
		}
	}
	return out
}

// SearchQuery asks search for text, the ids of its first 20 hits.
func SearchQuery(text string) Query {
	b, _ := json.Marshal(text) // a JSON string is a GraphQL string
	return Query{Name: "search " + text, Text: `query Search { search(text: ` + string(b) + `, limit: 20) { node { id } duty { id } } }`}
}

// ImpactQuery asks for every part of scenario id's impact, by ids.
func ImpactQuery(id string) Query {
	text := `query Impact {
  scenarioImpact(scenario: ` + strconv.Quote(id) + `) {
    added { id }
    removed { id }
    renamed { node { id } before }
    moved { node { id } before { id } after { id } }
    chainsChanged { node { id } before { length } after { length } }
    cutOff { id }
    spans { node { id } before { direct total layers } after { direct total layers } changed }
    unownedDuties { id }
    heldTwice { a { id } b { id } score }
    cooperationSplits { link { from { id } to { id } } before { id } after { id } }
    taskingOutsideLine { tasking { by { id } unit { id } } new }
    breaches { node { id } rule value limit inBaseline }
  }
}`
	return Query{Name: "impact", File: "(scale)", Text: text}
}

// RSS returns the resident memory of process pid (0: this process) from
// /proc, in bytes.
func RSS(pid int) (int64, error) {
	path := "/proc/self/status"
	if pid > 0 {
		path = fmt.Sprintf("/proc/%d/status", pid)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("%s: VmRSS %q: %v", path, v, err)
			}
			return kb << 10, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("%s: no VmRSS", path)
}

// printScale writes the scale table and the targets judged on it.
func (r *Report) printScale(w io.Writer) {
	if len(r.Scale) == 0 {
		return
	}
	fmt.Fprintf(w, "\nscale (generated organisations; chain: p50, one client, nothing kept, from a unit as deep as the deepest at 150 units, and from the deepest, nodes in parentheses; search: p50 of %d searches, once each, nothing kept; warm: the server's warming after the load; impact: 100 changes, first and p50 after; RSS: the store's process, warmed):\n", SearchesAsked)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "units\trelations\tstore\tload\trelations/s\tchain\tdeepest chain\tsearch\twarm\timpact first\timpact p50\tRSS\t+scenario\t")
	for _, s := range r.Scale {
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s (%d)\t%s (%d)\t%s\t%s\t%s\t%s\t%s\t%s\t\n", s.Units, s.Relations, s.Store,
			secs(s.Load), rate(s.LoadRate), dur(s.Chain), s.ChainNodes, dur(s.Deepest), s.DeepestNodes, latency(s.Search), latency(s.Warm),
			latency(s.ImpactFirst), latency(s.Impact), mib(s.RSSBase), delta(s.RSSBase, s.RSSScenario))
	}
	tw.Flush()
	fmt.Fprintln(w, "scale targets:")
	for _, line := range r.ScaleTargets() {
		fmt.Fprintln(w, "  "+line)
	}
	for _, s := range r.Scale {
		for _, e := range s.Errors {
			fmt.Fprintf(w, "  ! %d units, %s: %s\n", s.Units, s.Store, e)
		}
	}
}

// ScaleTargets judges issue 9's targets on the scale rows there are.
func (r *Report) ScaleTargets() []string {
	var out []string
	judge := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT met"
	}
	for _, store := range []string{Embedded, Neo4j} {
		var rows []ScaleRow
		for _, s := range r.Scale {
			if s.Store == store {
				rows = append(rows, s)
			}
		}
		if len(rows) == 0 {
			continue
		}
		small, large := rows[0], rows[len(rows)-1]
		if len(rows) > 1 && small.Chain > 0 && large.Chain > 0 {
			g := float64(large.Chain) / float64(small.Chain)
			out = append(out, fmt.Sprintf("%-8s chain of %d nodes at %d units ÷ of %d at %d: %.2f× (target ≤ %.0f×): %s",
				store, large.ChainNodes, large.Units, small.ChainNodes, small.Units, g, chainGrowthGoal, judge(g <= chainGrowthGoal)))
		}
		for _, s := range rows {
			goal := time.Duration(0)
			switch s.Units {
			case 2000:
				goal = impactGoal2k
			case 20000:
				goal = impactGoal20k
			}
			if goal > 0 {
				// A row whose impact failed is not met, however fast the failure.
				got := s.ImpactFirst
				ok := len(s.Errors) == 0 && got > 0 && s.Impact > 0 && got < goal && s.Impact < goal
				out = append(out, fmt.Sprintf("%-8s impact at %d units: first %s, p50 %s (target < %s): %s",
					store, s.Units, latency(got), latency(s.Impact), goal, judge(ok)))
			}
			if s.RSSBase > 0 && s.RSSScenario > 0 {
				add := float64(s.RSSScenario-s.RSSBase) / float64(s.RSSBase)
				out = append(out, fmt.Sprintf("%-8s memory a scenario adds at %d units: %+.1f%% of %s (target < %.0f%%): %s",
					store, s.Units, 100*add, mib(s.RSSBase), 100*scenarioMemGoal, judge(add < scenarioMemGoal)))
			}
			// A small load is one transaction's latency, not a rate.
			if store == Neo4j && s.LoadRate > 0 && s.Units >= loadJudgedFrom {
				out = append(out, fmt.Sprintf("%-8s load at %d units: %s relations/s (target ≥ %s): %s",
					store, s.Units, rate(s.LoadRate), rate(loadGoal), judge(s.LoadRate >= loadGoal)))
			}
		}
	}
	return out
}

// latency is dur, in seconds from a second up.
func latency(d time.Duration) string {
	if d >= time.Second {
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
	return dur(d)
}

func secs(d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}

func rate(v float64) string {
	if v <= 0 {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func mib(b int64) string {
	if b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%d MiB", b>>20)
}

func delta(base, after int64) string {
	if base <= 0 || after <= 0 {
		return "-"
	}
	return fmt.Sprintf("%+d MiB", (after-base)>>20)
}
