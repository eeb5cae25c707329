package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/neo4jtest"
)

// The bounds of an outage under load (issue 11, items 6 and 8).
const (
	// failFast: each answer while Neo4j is away. Most come in 1–2 ms; a
	// read in flight when Neo4j begins to shut down waits for the shutdown,
	// which took up to 2 s here, so the bound is 5 s (against the ~30 s per
	// request before).
	failFast = 5 * time.Second
	// recoverBy: every kind of request (each read, the write, /readyz)
	// succeeds again, and is no longer slow (slowAnswer), within the
	// issue's 5 s of Neo4j's return. The test runs alone (scripts/test.sh),
	// under the race detector. Measured so, in three runs on a quiet
	// machine: /readyz back in 2.9–3.2 s, the reads in 3.0–3.4 s, writes in
	// 3.6–3.7 s. Two changes took 0.3–0.7 s off: a probe while the
	// database is not ready may take 5 s (a restarted Neo4j took over a
	// second to answer its first query, and a 1 s probe failed and was
	// tried again), and the warm-up rehearses the statements of writes
	// rather than EXPLAINing them (EXPLAIN does not keep the plan: the
	// first write planned cold). Before those, writes took 3.6–4.4 s, and
	// 5.1 s once with a load of 4.5 on two cores; before the chain was
	// walked in memory, its reads took 12.4 and 15.4 s.
	recoverBy = 5 * time.Second
	// slowAnswer: an answer after Neo4j returned that takes longer has not
	// recovered yet (a warm one takes a few milliseconds).
	slowAnswer = time.Second
	outageLoad = 3 // clients that read, besides the one that writes
)

// answer is one request of the load: when it started, how long it took,
// and what came back.
type answer struct {
	op         string // "read", "write" or "readyz"
	what       string // which read: "unit", "scenarios" or "chain"
	start, end time.Time
	ok         bool
	code       string // extensions.code, or the HTTP status of /readyz, or the transport error
	id         string // the scenario a write created
}

// outageUnderLoad stops db under a steady light load on the server at
// base (a few readers, one writer of scenarios, a /readyz poller), keeps it
// down a moment and starts it again, then checks that every answer during
// the outage was UNAVAILABLE (or a success) within failFast, that reads
// and writes succeed within recoverBy of Neo4j's return and fail no more
// after, that /readyz followed without flapping, and that every scenario
// whose creation was acknowledged is there.
//
// serverLog is the file the server logs to: its warnings and errors are
// shown when the test fails (or OUTAGE_DEBUG is set), with the slow answers.
func outageUnderLoad(t *testing.T, base string, db *neo4jtest.Server, serverLog string) {
	t.Helper()
	client := &http.Client{Timeout: 40 * time.Second}
	var (
		mu      sync.Mutex
		answers []answer
	)
	record := func(a answer) {
		mu.Lock()
		answers = append(answers, a)
		mu.Unlock()
	}
	post := func(op, token, query string) answer {
		a := answer{op: op, start: time.Now()}
		defer func() { a.end = time.Now() }()
		body, _ := json.Marshal(map[string]string{"query": query})
		req, _ := http.NewRequest(http.MethodPost, base+"/query", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			a.code = err.Error()
			a.end = time.Now()
			return a
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		a.end = time.Now()
		var out struct {
			Data   map[string]json.RawMessage `json:"data"`
			Errors []struct {
				Message    string         `json:"message"`
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(b, &out); err != nil {
			a.code = fmt.Sprintf("HTTP %d %q", resp.StatusCode, b)
			return a
		}
		if len(out.Errors) > 0 {
			a.code, _ = out.Errors[0].Extensions["code"].(string)
			if a.code == "" {
				a.code = out.Errors[0].Message
			}
			return a
		}
		a.ok = true
		if raw, ok := out.Data["createScenario"]; ok {
			var s struct{ ID string }
			_ = json.Unmarshal(raw, &s)
			a.id = s.ID
			a.ok = s.ID != ""
		}
		return a
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	loop := func(pause time.Duration, f func(i int) answer) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				record(f(i))
				select {
				case <-stop:
					return
				case <-time.After(pause):
				}
			}
		}()
	}
	reads := []struct{ what, query string }{
		{"unit", `{ unit(code: "KS-07") { name } }`},
		{"scenarios", `{ scenarios { id } }`},
		{"chain", `{ chainOfCommand(from: "KS-07") { links { from { name } to { name } } } }`},
	}
	for c := 0; c < outageLoad; c++ {
		loop(100*time.Millisecond, func(i int) answer {
			r := reads[(c+i)%len(reads)]
			a := post("read", "", r.query)
			a.what = r.what
			return a
		})
	}
	loop(150*time.Millisecond, func(i int) answer {
		// A fresh owner every 50 scenarios keeps below the cap per owner.
		return post("write", writerToken(i/50), fmt.Sprintf(`mutation { createScenario(name: "outage %d") { id } }`, i))
	})
	loop(100*time.Millisecond, func(int) answer {
		if resp, err := client.Get(base + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("/healthz: %v %v, want 200", resp, err)
		} else {
			resp.Body.Close()
		}
		a := answer{op: "readyz", start: time.Now()}
		resp, err := client.Get(base + "/readyz")
		a.end = time.Now()
		if err != nil {
			a.code = err.Error()
			return a
		}
		resp.Body.Close()
		a.ok, a.code = resp.StatusCode == http.StatusOK, fmt.Sprint(resp.StatusCode)
		return a
	})

	time.Sleep(time.Second)
	down := time.Now()
	db.Stop()
	stopped := time.Now()
	time.Sleep(time.Second)
	starting := time.Now()
	db.Start()
	up := time.Now()
	// Load until recovery could have happened, and a while after.
	time.Sleep(recoverBy + 2*time.Second)
	close(stop)
	wg.Wait()
	t.Logf("Neo4j stopped in %s, down %s, started in %s", stopped.Sub(down).Round(time.Millisecond),
		starting.Sub(stopped).Round(time.Millisecond), up.Sub(starting).Round(time.Millisecond))

	mu.Lock()
	defer mu.Unlock()
	var (
		firstOK           = map[string]time.Duration{}
		lastFail          = map[string]time.Duration{}
		settled           = map[string]time.Duration{} // the end of the last answer failed or slower than slowAnswer
		outage, slow, bad int
		acknowledged      []string
	)
	for _, a := range answers {
		took := a.end.Sub(a.start)
		if a.id != "" {
			acknowledged = append(acknowledged, a.id)
		}
		switch {
		case a.end.Before(down):
			// Before the outage every answer is a success, /readyz included.
			if !a.ok {
				t.Errorf("%s before the outage: %s after %s", a.op, a.code, took)
			}
		case a.start.Before(up):
			// During the outage: UNAVAILABLE (or a success), and quickly.
			outage++
			if a.op != "readyz" && !a.ok && a.code != "UNAVAILABLE" {
				bad++
				t.Errorf("%s during the outage: %s, want UNAVAILABLE", a.op, a.code)
			}
			if took > failFast {
				slow++
				t.Errorf("%s during the outage took %s (%s), want at most %s", a.op, took.Round(time.Millisecond), a.code, failFast)
			}
			if a.op == "readyz" && a.ok && a.start.After(stopped.Add(failFast)) && a.end.Before(starting) {
				t.Errorf("/readyz said ready %s after Neo4j stopped", a.start.Sub(stopped).Round(time.Millisecond))
			}
		default:
			// After Neo4j returned: successes from recoverBy on, no flapping.
			since, kind := a.end.Sub(up), strings.TrimSpace(a.op+" "+a.what)
			if a.ok {
				if _, seen := firstOK[kind]; !seen {
					firstOK[kind] = since
				}
			} else {
				lastFail[kind] = since
				if a.start.Sub(up) > recoverBy {
					t.Errorf("%s %s after Neo4j returned: %s", kind, a.start.Sub(up).Round(time.Millisecond), a.code)
				}
			}
			if !a.ok || took > slowAnswer {
				settled[kind] = since
			}
		}
	}
	// Each kind of request has recovered when it has succeeded and no
	// answer of it fails or is slow any more: a read that waits 10 s for
	// a restarted server has not recovered, even if it succeeds.
	for _, kind := range []string{"read unit", "read scenarios", "read chain", "write", "readyz"} {
		first, ok := firstOK[kind]
		recovered := max(first, settled[kind])
		switch {
		case !ok:
			t.Errorf("no %s succeeded after Neo4j returned", kind)
		case recovered > recoverBy:
			t.Errorf("%s recovered %s after Neo4j returned (first success %s), want within %s", kind,
				recovered.Round(time.Millisecond), first.Round(time.Millisecond), recoverBy)
		}
		t.Logf("%s: recovered %s after Neo4j returned: first success %s, last failure %s, last failed or slow answer %s",
			kind, recovered.Round(time.Millisecond), first.Round(time.Millisecond), lastFail[kind].Round(time.Millisecond), settled[kind].Round(time.Millisecond))
	}
	t.Logf("%d answers, %d during the outage (%d slow, %d with a wrong code), %d scenarios acknowledged",
		len(answers), outage, slow, bad, len(acknowledged))

	// No acknowledged write is lost.
	lost := 0
	for _, id := range acknowledged {
		a := post("check", checkerToken, fmt.Sprintf(`{ scenario(id: %q) { id } }`, id))
		if !a.ok {
			lost++
			if lost <= 5 {
				t.Errorf("scenario %s was acknowledged but is not there: %s", id, a.code)
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged scenarios lost", lost, len(acknowledged))
	}
	if t.Failed() || os.Getenv("OUTAGE_DEBUG") != "" {
		t.Log("answers (from when Neo4j was told to stop) that took over 500 ms, failed after it returned, or were the first successes:")
		seen := map[string]bool{}
		for _, a := range answers {
			took, first := a.end.Sub(a.start), a.ok && !a.start.Before(up) && !seen[a.op]
			if first {
				seen[a.op] = true
			}
			if a.end.Before(down) || !(took > 500*time.Millisecond || first || (!a.ok && !a.start.Before(up))) {
				continue
			}
			t.Logf("  %+7.3fs %-6s %-9s took %6.3fs ok=%t %s", a.start.Sub(down).Seconds(), a.op, a.what, took.Seconds(), a.ok, a.code)
		}
		t.Logf("  (Neo4j stopped at %+.3fs, started at %+.3fs, up at %+.3fs)", stopped.Sub(down).Seconds(), starting.Sub(down).Seconds(), up.Sub(down).Seconds())
		if b, err := os.ReadFile(serverLog); err == nil {
			n := 0
			for _, line := range strings.Split(string(b), "\n") {
				// Not the line of each request refused while Neo4j was known away.
				if (strings.Contains(line, "level=WARN") || strings.Contains(line, "level=ERROR") || strings.Contains(line, "store ready") || strings.Contains(line, "store warm")) &&
					!strings.Contains(line, "refused: store unavailable") && n < 200 {
					t.Log("  server: " + line)
					n++
				}
			}
		}
	}
}

// writerToken is the bearer token of the outage's writer's nth planner
// (writerTokens); checkerToken is an admin's, who reads every scenario.
func writerToken(n int) string { return fmt.Sprintf("reliability-token-%d", n) }

const checkerToken = "reliability-checker"

// writerTokens writes a tokens file with the writer's planners (enough for
// 50 scenarios each over any outage the test allows) and the checker.
func writerTokens(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for n := range 100 {
		fmt.Fprintf(&b, "%s,reliability-%d,planner\n", writerToken(n), n)
	}
	fmt.Fprintf(&b, "%s,reliability-checker,admin\n", checkerToken)
	path := filepath.Join(t.TempDir(), "tokens.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
