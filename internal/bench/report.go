package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// The targets a case is measured against.
const (
	Embedded = "embedded"
	Neo4j    = "neo4j"
	// The same, with no answer kept between requests (ORGRAPH_ANSWER_CACHE_MB=0):
	// every request runs the question.
	EmbeddedFresh = "embedded, nothing kept"
	Neo4jFresh    = "neo4j, nothing kept"
	DBFloor       = "db floor"
	HTTPFloor     = "http floor"
	neo4jGoal     = 0.50 // Neo4j ≥ 50% of the DB floor's throughput
	chainGoal     = 0.25 // embedded chain of command ≥ 25% of the HTTP floor's
	chainQuery    = "Q1"
)

// Result is one row of the table.
type Result struct {
	Query  string `json:"query"`
	Target string `json:"target"`
	Stats
	// Statements is Cypher statements per request, for the Neo4j store (and
	// 1 for the DB floor, by construction); nil elsewhere.
	Statements *float64 `json:"statements_per_req,omitempty"`
	// Chain says whether the query is a chain of command, to which the
	// embedded ÷ HTTP floor target applies.
	Chain bool `json:"chain,omitempty"`
	// Writes marks the write case's rows (planners.go): no floor to compare with.
	Writes bool `json:"writes,omitempty"`
}

// Ratio compares two targets' throughput on one query.
type Ratio struct {
	Query string   `json:"query"`
	Of    string   `json:"of"`
	Over  string   `json:"over"`
	Value *float64 `json:"value,omitempty"` // nil when not measured
	// OfPerSecond and OverPerSecond are the two throughputs compared.
	OfPerSecond   float64  `json:"of_req_per_s,omitempty"`
	OverPerSecond float64  `json:"over_req_per_s,omitempty"`
	Target        *float64 `json:"target,omitempty"`
	Met           *bool    `json:"met,omitempty"`
	Note          string   `json:"note,omitempty"`
}

// Machine describes where the bench ran.
type Machine struct {
	NumCPU     int    `json:"nproc"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	GoVersion  string `json:"go_version"`
	CPU        string `json:"cpu_model"`
	OS         string `json:"os_arch"`
	Neo4j      string `json:"neo4j,omitempty"`
}

// Report is the whole run.
type Report struct {
	Started  time.Time  `json:"started"`
	Machine  Machine    `json:"machine"`
	Load     LoadJSON   `json:"load"`
	Results  []Result   `json:"results"`
	Ratios   []Ratio    `json:"ratios"`
	Scale    []ScaleRow `json:"scale,omitempty"`
	Notes    []string   `json:"notes,omitempty"`
	Failures []string   `json:"failures,omitempty"`
}

// LoadJSON is Load as the JSON report writes it.
type LoadJSON struct {
	Clients  int    `json:"clients"`
	Requests int    `json:"requests"`
	Cap      string `json:"cap"`
	Warmup   int    `json:"warmup"`
}

// ThisMachine reads nproc, GOMAXPROCS, the Go version and the CPU model.
func ThisMachine() Machine {
	return Machine{
		NumCPU: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), GoVersion: runtime.Version(),
		CPU: cpuModel("/proc/cpuinfo"), OS: runtime.GOOS + "/" + runtime.GOARCH,
	}
}

func cpuModel(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// Failed reports whether any answer was wrong or any request failed.
func (r *Report) Failed() bool {
	if len(r.Failures) > 0 {
		return true
	}
	for _, res := range r.Results {
		if res.Errors > 0 {
			return true
		}
	}
	for _, s := range r.Scale {
		if len(s.Errors) > 0 {
			return true
		}
	}
	return false
}

// ComputeRatios fills r.Ratios: for every query, neo4j ÷ db floor and
// embedded ÷ http floor throughput, with the targets where they apply.
// unmeasured says why Neo4j figures are missing, when they are.
func (r *Report) ComputeRatios(unmeasured string) {
	r.Ratios = nil
	var queries []string
	find := func(q, target string) *Result {
		for i := range r.Results {
			if r.Results[i].Query == q && r.Results[i].Target == target {
				return &r.Results[i]
			}
		}
		return nil
	}
	for _, res := range r.Results {
		if !res.Writes && !slices.Contains(queries, res.Query) {
			queries = append(queries, res.Query)
		}
	}
	for _, q := range queries {
		chain := false
		if e := find(q, Embedded); e != nil {
			chain = e.Chain
		}
		var goal *float64
		if chain {
			goal = ptr(chainGoal)
		}
		for _, neo := range []string{Neo4j, Neo4jFresh} {
			r.Ratios = append(r.Ratios, ratio(q, neo, DBFloor, find(q, neo), find(q, DBFloor), ptr(neo4jGoal), unmeasured))
		}
		for _, emb := range []string{Embedded, EmbeddedFresh} {
			r.Ratios = append(r.Ratios, ratio(q, emb, HTTPFloor, find(q, emb), find(q, HTTPFloor), goal, ""))
		}
	}
}

func ratio(q, of, over string, a, b *Result, goal *float64, unmeasured string) Ratio {
	out := Ratio{Query: q, Of: of, Over: over, Target: goal}
	switch {
	case a == nil || b == nil:
		out.Note = "not measured"
		if unmeasured != "" {
			out.Note += ": " + unmeasured
		}
		out.Target = goal
		return out
	case a.Errors > 0 || b.Errors > 0:
		out.Note = "answers were wrong or failed; the ratio means nothing"
	}
	out.OfPerSecond, out.OverPerSecond = a.PerSecond, b.PerSecond
	if b.PerSecond > 0 {
		out.Value = ptr(a.PerSecond / b.PerSecond)
		if goal != nil && out.Note == "" {
			out.Met = ptr(*out.Value >= *goal)
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// Print writes the machine, the table, the ratios, notes and failures.
func (r *Report) Print(w io.Writer) {
	m := r.Machine
	fmt.Fprintf(w, "machine: nproc %d, GOMAXPROCS %d, %s, %s, cpu %q\n", m.NumCPU, m.GOMAXPROCS, m.GoVersion, m.OS, m.CPU)
	if m.Neo4j != "" {
		fmt.Fprintf(w, "neo4j:   %s\n", m.Neo4j)
	}
	fmt.Fprintf(w, "load:    %d clients, %d requests per case (after %d warm-up), cap %s per case, HTTP/1.1 keep-alive on 127.0.0.1\n\n",
		r.Load.Clients, r.Load.Requests, r.Load.Warmup, r.Load.Cap)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "query\ttarget\treq/s\tp50\tp99\tstatements/req\terrors\trequests\t")
	for _, res := range r.Results {
		st := "-"
		if res.Statements != nil {
			st = fmt.Sprintf("%.2f", *res.Statements)
		}
		n := fmt.Sprintf("%d", res.Requests)
		if res.Capped {
			n += " (capped)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%.0f\t%s\t%s\t%s\t%d\t%s\t\n", res.Query, res.Target, res.PerSecond,
			dur(res.P50), dur(res.P99), st, res.Errors, n)
	}
	tw.Flush()

	fmt.Fprintln(w)
	fmt.Fprintln(w, "throughput ratios:")
	width := 0
	for _, ra := range r.Ratios {
		width = max(width, len(ra.Query))
	}
	for _, ra := range r.Ratios {
		line := fmt.Sprintf("  %-*s  %-22s", width, ra.Query, ra.Of+" ÷ "+ra.Over+":")
		value, note := "    -", ra.Note
		if ra.Value != nil {
			value = fmt.Sprintf("%5.1f%%  (%.0f ÷ %.0f req/s)", 100**ra.Value, ra.OfPerSecond, ra.OverPerSecond)
		} else if strings.HasPrefix(note, "not measured") {
			value, note = "not measured", strings.TrimPrefix(strings.TrimPrefix(note, "not measured"), ": ")
		}
		line += fmt.Sprintf(" %-32s", value)
		if ra.Target != nil {
			line += fmt.Sprintf("  target ≥ %.0f%%", 100**ra.Target)
			switch {
			case ra.Met == nil:
				line += ": not judged"
			case *ra.Met:
				line += ": met"
			default:
				line += ": NOT met"
			}
		}
		if note != "" {
			line += "  (" + note + ")"
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	r.printScale(w)
	capped := false
	for _, res := range r.Results {
		capped = capped || res.Capped
	}
	if capped {
		fmt.Fprintf(w, "\n(capped): the case hit its %s time cap before all %d requests; its figures are over the requests it completed\n", r.Load.Cap, r.Load.Requests)
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w, "\nnotes:")
		for _, n := range r.Notes {
			fmt.Fprintln(w, "  - "+n)
		}
	}
	var errs []string
	for _, res := range r.Results {
		for _, e := range res.FirstErrors {
			errs = append(errs, fmt.Sprintf("%s %s: %s", res.Query, res.Target, e))
		}
	}
	if len(r.Failures) > 0 || len(errs) > 0 {
		fmt.Fprintln(w, "\nFAILURES:")
		for _, f := range append(append([]string{}, r.Failures...), errs...) {
			fmt.Fprintln(w, "  - "+f)
		}
	}
}

// dur prints a latency in µs or ms with three significant figures.
func dur(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Millisecond:
		return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond))
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	}
}

// WriteJSON writes the report to path.
func (r *Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
