package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orgraph/orgraph/internal/auth"
	"github.com/orgraph/orgraph/internal/org"
)

// Planners says how the mixed write case is driven: planners adding changes
// to scenarios of their own while readers ask the reference queries.
type Planners struct {
	Planners int           // concurrent planners, each on its own scenarios
	Readers  int           // concurrent readers
	Changes  int           // addChange calls in all, measured
	PerDraft int           // changes a planner adds to one scenario before it starts another
	Cap      time.Duration // the most the case may take
	Node     string        // the unit the planners rename, a code in the baseline
}

// Reading is one question a reader asks, with the answer it must get.
type Reading struct {
	Body, Want []byte
}

// PlannersResult is what the mixed write case measured: the addChange calls
// and the reads made meanwhile.
type PlannersResult struct {
	AddChange Stats
	Reads     Stats
}

// RunPlanners drives url's GraphQL API with l.Planners planners, each
// creating scenarios and adding renames of l.Node to them, and l.Readers
// readers asking reads in turn, until l.Changes changes are added or l.Cap
// has passed. Every answer is checked: a read must be its Want byte for
// byte, an addChange must return the scenario at the next version.
func RunPlanners(ctx context.Context, url string, l Planners, reads []Reading) PlannersResult {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	deadline := time.Now().Add(l.Cap)
	c := NewClient(l.Planners + l.Readers)
	defer c.CloseIdleConnections()

	var writes, readings recorder
	var next atomic.Int64
	start := time.Now()
	var planners sync.WaitGroup
	for p := range max(l.Planners, 1) {
		planners.Add(1)
		go func() {
			defer planners.Done()
			pl := planner{c: c, url: url, owner: PlannerSubject(p), node: l.Node}
			for ctx.Err() == nil && time.Now().Before(deadline) && next.Add(1) <= int64(l.Changes) {
				if pl.scenario == "" || pl.added >= max(l.PerDraft, 1) {
					if err := pl.create(ctx); err != nil {
						writes.fail(err) // the failure counts; the planner stops
						return
					}
				}
				t0 := time.Now()
				err := pl.addChange(ctx)
				writes.add(time.Since(t0), err)
			}
		}()
	}
	var readers sync.WaitGroup
	stop := make(chan struct{})
	for r := range max(l.Readers, 0) {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for i := r; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				q := reads[i%len(reads)]
				t0 := time.Now()
				err := PostCheck(ctx, c, url, q.Body, func(got []byte) error { return SameAnswer(got, q.Want) })
				if ctx.Err() != nil {
					return
				}
				readings.add(time.Since(t0), err)
			}
		}()
	}
	planners.Wait()
	elapsed := time.Since(start)
	close(stop)
	readers.Wait()
	return PlannersResult{
		AddChange: writes.stats(elapsed, l.Changes),
		Reads:     readings.stats(elapsed, 0),
	}
}

// planner is one planner's state: its current scenario and how many changes
// it holds.
type planner struct {
	c        *http.Client
	url      string
	owner    string
	node     string
	scenario string
	version  int
	added    int
	drafts   int
}

func (p *planner) post(ctx context.Context, query string, vars map[string]any) (json.RawMessage, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return nil, err
	}
	got, err := PostAs(ctx, p.c, p.url, p.owner, body)
	if err != nil {
		return nil, err
	}
	var resp struct {
		Data   json.RawMessage   `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(got, &resp); err != nil || len(resp.Errors) > 0 {
		return nil, fmt.Errorf("GraphQL errors: %s", Snippet(got))
	}
	return resp.Data, nil
}

const (
	createScenarioQuery = `mutation($name: String!) { createScenario(name: $name) { id version } }`
	addChangeQuery      = `mutation($id: ID!, $node: String!, $name: String!) { addChange(scenario: $id, change: {rename: {node: $node, name: $name}}) { id version } }`
)

type scenarioAnswer struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
}

func (p *planner) create(ctx context.Context) error {
	p.drafts++
	data, err := p.post(ctx, createScenarioQuery, map[string]any{"name": fmt.Sprintf("%s draft %d", p.owner, p.drafts)})
	if err != nil {
		return fmt.Errorf("createScenario: %w", err)
	}
	var a struct{ CreateScenario scenarioAnswer }
	if err := json.Unmarshal(data, &a); err != nil || a.CreateScenario.ID == "" {
		return fmt.Errorf("createScenario: no scenario in %s", Snippet(data))
	}
	p.scenario, p.version, p.added = a.CreateScenario.ID, a.CreateScenario.Version, 0
	return nil
}

// addChange renames the node once more; only this planner writes its
// scenario, so the answer must be the next version.
func (p *planner) addChange(ctx context.Context) error {
	data, err := p.post(ctx, addChangeQuery, map[string]any{"id": p.scenario, "node": p.node,
		"name": fmt.Sprintf("Referat %s, wersja %d", p.owner, p.version+1)})
	if err != nil {
		return fmt.Errorf("addChange: %w", err)
	}
	var a struct{ AddChange scenarioAnswer }
	if err := json.Unmarshal(data, &a); err != nil {
		return fmt.Errorf("addChange: %s", Snippet(data))
	}
	if a.AddChange.ID != p.scenario || a.AddChange.Version != p.version+1 {
		return fmt.Errorf("addChange: got scenario %q at version %d, want %q at %d", a.AddChange.ID, a.AddChange.Version, p.scenario, p.version+1)
	}
	p.version++
	p.added++
	return nil
}

// recorder collects latencies and errors from many goroutines.
type recorder struct {
	mu     sync.Mutex
	lat    []time.Duration
	errors int
	first  []string
}

func (r *recorder) add(d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lat = append(r.lat, d)
	if err != nil {
		r.errors++
		if len(r.first) < keepErrors && !slices.Contains(r.first, err.Error()) {
			r.first = append(r.first, err.Error())
		}
	}
}

// fail records a failure outside a measured call.
func (r *recorder) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors++
	if len(r.first) < keepErrors && !slices.Contains(r.first, err.Error()) {
		r.first = append(r.first, err.Error())
	}
}

// stats sums up; want, when positive, is how many calls were meant (fewer
// is a capped case).
func (r *recorder) stats(elapsed time.Duration, want int) Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	lat := slices.Clone(r.lat)
	slices.Sort(lat)
	st := Stats{Requests: len(lat), Errors: r.errors, Elapsed: elapsed, FirstErrors: r.first,
		P50: Percentile(lat, 50), P99: Percentile(lat, 99), Capped: want > 0 && len(lat) < want}
	if elapsed > 0 {
		st.PerSecond = float64(len(lat)) / elapsed.Seconds()
	}
	return st
}

// PlannerSubject is the subject, and the bearer token, of planner p of
// RunPlanners: a server it drives authenticates them with PlannerAuth.
func PlannerSubject(p int) string { return fmt.Sprintf("bench-planner-%d", p) }

// PlannerAuth authenticates the first n planners of RunPlanners, each as a
// planner of its own, and takes other requests as viewers.
func PlannerAuth(n int) *auth.Authenticator {
	tokens := make([]auth.Token, max(n, 1))
	for p := range tokens {
		tokens[p] = auth.Token{Token: PlannerSubject(p), Subject: PlannerSubject(p), Role: org.RolePlanner}
	}
	a, err := auth.New(auth.Config{Tokens: tokens})
	if err != nil {
		panic(err) // no admin token, no anonymous role: nothing to refuse
	}
	return a
}
