package memstore_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
)

// stateOf is everything the store answers that its files keep: the
// scenarios and the baseline, as JSON.
func stateOf(t *testing.T, s *memstore.Store) string {
	t.Helper()
	ctx := context.Background()
	scs, err := s.FindScenarios(ctx)
	if err != nil {
		t.Fatal(err)
	}
	g, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(struct {
		Scenarios []org.Scenario
		Baseline  *org.Graph
	}{scs, g})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func open(t *testing.T, dir string) *memstore.Store {
	t.Helper()
	s, err := memstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// baseline is a small generated organisation, made the store's baseline
// durably, so that a reopened store answers the same without a seed.
func baseline(t *testing.T, s *memstore.Store) *org.Graph {
	t.Helper()
	g := orggen.Generate(7, 4)
	if err := s.Replace(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	return g
}

func service(s *memstore.Store) *org.Service {
	return &org.Service{Store: s, Overlay: memstore.Overlay}
}

// as is ctx with a planner named subject as its caller.
func as(ctx context.Context, subject string) context.Context {
	return org.WithPrincipal(ctx, org.Principal{Subject: subject, Role: org.RolePlanner})
}

// applyNow submits the scenario id (as ctx's caller, its owner), approves
// and applies it as an admin.
func applyNow(ctx context.Context, svc *org.Service, id string) error {
	admin := org.WithPrincipal(ctx, org.Principal{Subject: "admin", Role: org.RoleAdmin})
	if _, err := svc.SubmitScenario(ctx, id); err != nil {
		return err
	}
	if _, err := svc.ApproveScenario(admin, id); err != nil {
		return err
	}
	_, err := svc.ApplyScenario(admin, id)
	return err
}

// units returns the baseline's unit ids, for changes that fit it.
func units(g *org.Graph) []string {
	var out []string
	for _, n := range g.Nodes {
		if n.Kind == org.KindUnit {
			out = append(out, n.ID)
		}
	}
	return out
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	for _, name := range []string{memstore.DataFile, memstore.LogFile} {
		b, err := os.ReadFile(filepath.Join(from, name))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A crash can cut the log anywhere in the records being appended. Whatever
// the cut, a reopened store holds exactly the writes whose records are
// whole, and takes new writes after them.
func TestATornLogKeepsEveryWholeRecordAndNoMore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir)
	// The store's own writes, with no baseline kept: each is one record.
	states := []string{stateOf(t, s)} // states[k]: after k records
	step := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		states = append(states, stateOf(t, s))
	}
	a := org.Scenario{ID: "a", Name: "a", Owner: "planner", Version: 1}
	step(s.CreateScenario(ctx, a))
	step(s.CreateScenario(ctx, org.Scenario{ID: "b", Name: "b", Owner: "planner", Version: 1}))
	for i := range 3 {
		a.Changes = append(a.Changes, org.Change{ID: fmt.Sprint("c", i), Kind: org.ChangeRename, Node: fmt.Sprint("KS-0", i), Name: fmt.Sprintf("Wydział %d", i)})
		step(s.UpdateScenario(ctx, a, a.Version))
		a.Version++
	}
	step(s.DeleteScenario(ctx, "b"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	log, err := os.ReadFile(filepath.Join(dir, memstore.LogFile))
	if err != nil {
		t.Fatal(err)
	}
	ends, err := memstore.RecordEnds(log)
	if err != nil {
		t.Fatal(err)
	}
	if len(ends) != len(states)-1 {
		t.Fatalf("the log holds %d records, want one per write: %d", len(ends), len(states)-1)
	}
	end := ends[len(ends)-1]
	// Every byte of the last record, and of the one before its header and
	// every fifth byte of the rest.
	from, last := ends[len(ends)-3], ends[len(ends)-2]
	t.Logf("cutting the log at bytes %d to %d", from, end)
	torn := map[bool]string{false: t.TempDir(), true: t.TempDir()}
	for _, d := range torn {
		copyDir(t, dir, d)
	}
	for cut := from; cut <= end; cut++ {
		if cut < last && cut > from+16 && cut%5 != 0 {
			continue
		}
		whole := 0
		for whole < len(ends) && ends[whole] <= cut {
			whole++
		}
		for zeroed, d := range torn {
			rest := log[:cut]
			if zeroed { // the rest of the file as written ahead: zeros
				rest = append(append([]byte{}, log[:cut]...), make([]byte, len(log)-int(cut))...)
			}
			if err := os.WriteFile(filepath.Join(d, memstore.LogFile), rest, 0o644); err != nil {
				t.Fatal(err)
			}
			r, err := memstore.Open(d)
			if err != nil {
				t.Fatalf("cut at byte %d of %d: %v", cut, end, err)
			}
			if got := stateOf(t, r); got != states[whole] {
				t.Fatalf("cut at byte %d of %d (zeros after: %v): the state is not the one after record %d", cut, end, zeroed, whole)
			}
			if cut%97 == 0 || cut == end { // a write after the torn end, kept
				if err := r.CreateScenario(ctx, org.Scenario{ID: "after", Name: "after", Version: 1}); err != nil {
					t.Fatal(err)
				}
				want := stateOf(t, r)
				r.Close()
				r = open(t, d)
				if got := stateOf(t, r); got != want {
					t.Fatalf("cut at byte %d: a write after the torn end was lost or misread", cut)
				}
			}
			r.Close()
		}
	}
}

// Random writes, the store closed and reopened after each: it answers as
// it did before it closed, through compactions too.
func TestRandomWritesSurviveEveryReopen(t *testing.T) {
	ctx := as(context.Background(), "planner")
	for seed := range uint64(3) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(seed, 42))
			dir := t.TempDir()
			s := open(t, dir)
			memstore.SetCompactAt(s, 1500)
			g := baseline(t, s)
			ids := units(g)
			var scenarios []string
			for step := range 40 {
				svc := service(s)
				op := rnd.IntN(10)
				var err error
				switch {
				case op < 2 || len(scenarios) == 0:
					var sc org.Scenario
					sc, err = svc.CreateScenario(ctx, fmt.Sprintf("s%d", step), "")
					scenarios = append(scenarios, sc.ID)
				case op < 7:
					id := scenarios[rnd.IntN(len(scenarios))]
					_, err = svc.AddChange(ctx, id, org.Change{Kind: org.ChangeRename, Node: ids[rnd.IntN(len(ids))], Name: fmt.Sprintf("Nazwa %d", step)})
				case op < 8 && rnd.IntN(2) == 0: // undo a change: the scenario is written whole
					id := scenarios[rnd.IntN(len(scenarios))]
					sc, _ := svc.Scenario(ctx, id)
					if len(sc.Changes) > 0 {
						_, err = svc.RemoveChange(ctx, id, sc.Changes[rnd.IntN(len(sc.Changes))].ID)
					}
				case op < 8:
					i := rnd.IntN(len(scenarios))
					err = svc.DeleteScenario(org.WithPrincipal(ctx, org.Principal{Subject: "admin", Role: org.RoleAdmin}), scenarios[i])
					scenarios = append(scenarios[:i], scenarios[i+1:]...)
				case op < 9:
					err = applyNow(ctx, svc, scenarios[rnd.IntN(len(scenarios))])
				default:
					err = memstore.Compact(s)
				}
				if err != nil && org.ErrorCode(err) != org.EINVALID { // applying twice is EINVALID, and leaves all as it was
					t.Fatalf("step %d: %v", step, err)
				}
				want := stateOf(t, s)
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
				s = open(t, dir)
				memstore.SetCompactAt(s, 1500)
				if got := stateOf(t, s); got != want {
					t.Fatalf("step %d (op %d): the reopened store answers otherwise:\ngot  %.300s\nwant %.300s", step, op, got, want)
				}
			}
		})
	}
}

// The log is folded into the data file: it empties, and the state stays.
func TestCompactionKeepsTheState(t *testing.T) {
	ctx := as(context.Background(), "planner")
	dir := t.TempDir()
	s := open(t, dir)
	g := baseline(t, s)
	ids := units(g)
	svc := service(s)
	sc, err := svc.CreateScenario(ctx, "kept", "")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := svc.AddChange(ctx, sc.ID, org.Change{Kind: org.ChangeRename, Node: ids[i%len(ids)], Name: fmt.Sprint("N", i)}); err != nil {
			t.Fatal(err)
		}
	}
	logPath := filepath.Join(dir, memstore.LogFile)
	before, _ := os.ReadFile(logPath)
	if ends, _ := memstore.RecordEnds(before); len(ends) != 6 {
		t.Fatalf("the log holds %d records before compaction, want 6", len(ends))
	}
	want := stateOf(t, s)
	if err := memstore.Compact(s); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(logPath); err != nil || fi.Size() != 0 {
		t.Fatalf("the log after compaction: %v, %v; want it empty", fi, err)
	}
	if got := stateOf(t, s); got != want {
		t.Fatal("compaction changed what the store answers")
	}
	s.Close()
	s = open(t, dir)
	if got := stateOf(t, s); got != want {
		t.Fatal("after compaction and a reopen the store answers otherwise")
	}
	// A crash after the data file was renamed into place but before the log
	// was emptied: the old records are in the data file already, and skipped.
	s.Close()
	if err := os.WriteFile(logPath, before, 0o644); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir)
	if got := stateOf(t, s); got != want {
		t.Fatal("the records a data file includes were applied twice")
	}
	if _, err := service(s).AddChange(ctx, sc.ID, org.Change{Kind: org.ChangeRename, Node: ids[0], Name: "Po"}); err != nil {
		t.Fatal(err)
	}
	want = stateOf(t, s)
	s.Close()
	if got := stateOf(t, open(t, dir)); got != want {
		t.Fatal("a write after the skipped records was lost")
	}
}

func TestLeftoverTemporaryFilesAreRemovedAtOpen(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	baseline(t, s)
	want := stateOf(t, s)
	s.Close()
	leftovers := []string{".orgraph-123.json", ".orgraph-4567890.json"}
	for _, name := range leftovers {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(`{"Scenar`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s = open(t, dir)
	if got := stateOf(t, s); got != want {
		t.Error("a leftover temporary file changed the state")
	}
	for _, name := range leftovers {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s is still there after Open (%v)", name, err)
		}
	}
}

// A record whose checksum holds but that cannot be read is damage, not a
// torn end: Open says so rather than dropping it and what follows.
func TestADamagedLogIsReportedNotIgnored(t *testing.T) {
	ctx := context.Background()
	for name, payload := range map[string]string{
		"a kind this build does not know": `{"Seq":2,"Kind":"scenario.archive","Data":{"ID":"x"}}`,
		"a seq that does not grow":        `{"Seq":1,"Kind":"scenario.delete","Data":{"ID":"x"}}`,
		"not JSON":                        `{"Seq":2,"Kind":`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s := open(t, dir)
			if err := s.CreateScenario(ctx, org.Scenario{ID: "x", Name: "x", Version: 1}); err != nil {
				t.Fatal(err)
			}
			s.Close()
			path := filepath.Join(dir, memstore.LogFile)
			log, _ := os.ReadFile(path)
			ends, _ := memstore.RecordEnds(log)
			log = append(log[:ends[len(ends)-1]], memstore.Frame([]byte(payload))...)
			if err := os.WriteFile(path, log, 0o644); err != nil {
				t.Fatal(err)
			}
			if r, err := memstore.Open(dir); err == nil {
				r.Close()
				t.Fatal("a damaged log opened without error")
			} else if !strings.Contains(err.Error(), memstore.LogFile) {
				t.Errorf("the error does not name the log: %v", err)
			}
		})
	}
}

// Planners write their own scenarios at once while readers read: every
// acknowledged change is there after a reopen.
func TestConcurrentWritersLoseNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir)
	memstore.SetCompactAt(s, 8<<10) // compactions among the writes
	g := baseline(t, s)
	ids := units(g)
	svc := service(s)
	const planners, changes = 8, 15
	scenarios := make([]string, planners)
	var wg sync.WaitGroup
	for p := range planners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := as(ctx, fmt.Sprint("planner", p))
			sc, err := svc.CreateScenario(ctx, fmt.Sprint("p", p), "")
			if err != nil {
				t.Error(err)
				return
			}
			scenarios[p] = sc.ID
			for i := range changes {
				if _, err := svc.AddChange(ctx, sc.ID, org.Change{Kind: org.ChangeRename, Node: ids[i%len(ids)], Name: fmt.Sprintf("p%d c%d", p, i)}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 4 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.FindScenarios(ctx); err != nil {
					t.Error(err)
				}
				if _, err := s.FindNodes(ctx, org.NodeFilter{}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	s.Close()
	r := open(t, dir)
	for p, id := range scenarios {
		sc, err := r.FindScenarioByID(ctx, id)
		if err != nil || len(sc.Changes) != changes || sc.Version != 1+changes {
			t.Errorf("planner %d's scenario after a reopen: %d changes at version %d (%v), want %d at %d",
				p, len(sc.Changes), sc.Version, err, changes, 1+changes)
		}
	}
}

// helperDir names the data directory the writer process writes to, when
// this test binary runs as that process.
const helperDir = "MEMSTORE_TEST_WRITER_DIR"

// The writer: planners adding changes to their own scenarios, a line on
// stdout for every acknowledged write, until it is killed (or 20 s pass).
func TestWriterProcess(t *testing.T) {
	dir := os.Getenv(helperDir)
	if dir == "" {
		t.Skip("the writer process of TestAKilledProcessKeepsEveryAcknowledgedWrite")
	}
	ctx := context.Background()
	s, err := memstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	memstore.SetCompactAt(s, 16<<10) // compactions among the writes, killed mid-way too
	g := orggen.Generate(7, 8)
	if err := s.Replace(ctx, g); err != nil {
		t.Fatal(err)
	}
	ids := units(g)
	svc := service(s)
	var out sync.Mutex
	deadline := time.Now().Add(20 * time.Second)
	var wg sync.WaitGroup
	for p := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := as(ctx, fmt.Sprint("planner", p))
			for n := 0; time.Now().Before(deadline); n++ {
				sc, err := svc.CreateScenario(ctx, fmt.Sprint("p", p, "-", n), "")
				if err != nil {
					t.Error(err)
					return
				}
				for i := range 30 {
					sc, err = svc.AddChange(ctx, sc.ID, org.Change{Kind: org.ChangeRename, Node: ids[i%len(ids)], Name: fmt.Sprint("c", i)})
					if err != nil {
						t.Error(err)
						return
					}
					out.Lock()
					fmt.Printf("ack %s %d\n", sc.ID, sc.Version)
					out.Unlock()
				}
			}
		}()
	}
	wg.Wait()
}

// A process killed (SIGKILL) in the middle of writes: every write it
// acknowledged is there when the directory is opened again.
func TestAKilledProcessKeepsEveryAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		dir := t.TempDir()
		cmd := exec.Command(exe, "-test.run=^TestWriterProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), helperDir+"="+dir)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		acked := map[string]int{} // scenario → the highest version acknowledged
		n, want := 0, 200+300*round
		lines := bufio.NewScanner(stdout)
		timeout := time.AfterFunc(15*time.Second, func() { _ = cmd.Process.Kill() })
		for lines.Scan() && n < want {
			f := strings.Fields(lines.Text())
			if len(f) != 3 || f[0] != "ack" {
				continue
			}
			v, _ := strconv.Atoi(f[2])
			acked[f[1]] = max(acked[f[1]], v)
			n++
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		timeout.Stop()
		_ = cmd.Wait()
		if n < want {
			t.Fatalf("round %d: the writer acknowledged %d writes before it ended, want %d", round, n, want)
		}

		s, err := memstore.Open(dir)
		if err != nil {
			t.Fatalf("round %d: opening after the kill: %v", round, err)
		}
		for id, v := range acked {
			sc, err := s.FindScenarioByID(context.Background(), id)
			if err != nil || sc.Version < v || len(sc.Changes) != sc.Version-1 {
				t.Errorf("round %d: scenario %s after the kill: version %d with %d changes (%v); version %d was acknowledged",
					round, id, sc.Version, len(sc.Changes), err, v)
			}
		}
		s.Close()
		t.Logf("round %d: killed after %d acknowledged writes to %d scenarios; all there", round, n, len(acked))
	}
}

// A write the disk refuses is not acknowledged and changes nothing, in
// memory or on disk; the store refuses writes until it is reopened.
func TestAFailedWriteChangesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir)
	if err := s.CreateScenario(ctx, org.Scenario{ID: "kept", Name: "kept", Version: 1}); err != nil {
		t.Fatal(err)
	}
	want := stateOf(t, s)
	if err := memstore.BreakLog(s); err != nil {
		t.Fatal(err)
	}
	err := s.CreateScenario(ctx, org.Scenario{ID: "lost", Name: "lost", Version: 1})
	if org.ErrorCode(err) != org.EUNAVAILABLE {
		t.Errorf("a write the log refused: got %v, want EUNAVAILABLE", err)
	}
	if err := s.UpdateScenario(ctx, org.Scenario{ID: "kept", Name: "renamed"}, 1); org.ErrorCode(err) != org.EUNAVAILABLE {
		t.Errorf("the next write: got %v, want EUNAVAILABLE", err)
	}
	if got := stateOf(t, s); got != want {
		t.Errorf("failed writes changed the store:\ngot  %s\nwant %s", got, want)
	}
	s.Close()
	if got := stateOf(t, open(t, dir)); got != want {
		t.Errorf("after a reopen:\ngot  %s\nwant %s", got, want)
	}
}

// Adding a change writes the change: the record does not grow with the
// scenario it is added to.
func TestAddingAChangeWritesTheChangeNotTheScenario(t *testing.T) {
	ctx := as(context.Background(), "planner")
	dir := t.TempDir()
	s := open(t, dir)
	g := baseline(t, s)
	ids := units(g)
	svc := service(s)
	sc, err := svc.CreateScenario(ctx, "long", "")
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int64
	for i := range 60 {
		if _, err := svc.AddChange(ctx, sc.ID, org.Change{Kind: org.ChangeRename, Node: ids[i%len(ids)], Name: fmt.Sprintf("Nazwa numer %d", i)}); err != nil {
			t.Fatal(err)
		}
		log, _ := os.ReadFile(filepath.Join(dir, memstore.LogFile))
		ends, err := memstore.RecordEnds(log)
		if err != nil || len(ends) < 2 {
			t.Fatalf("the log after change %d: %d records, %v", i, len(ends), err)
		}
		sizes = append(sizes, ends[len(ends)-1]-ends[len(ends)-2])
	}
	if first, last := sizes[0], sizes[len(sizes)-1]; last > first+16 {
		t.Errorf("the record of the 1st change is %d bytes, of the 60th %d: it grows with the scenario", first, last)
	}
	want := stateOf(t, s)
	s.Close()
	if got := stateOf(t, open(t, dir)); got != want {
		t.Error("the scenario read back from its added changes differs")
	}
}
