package memstore

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"

	"github.com/orgraph/orgraph/internal/org"
)

// DataFile is the data file: the scenarios, and the baseline once a
// scenario has been applied to it or Replace has set it (until then the
// seed is the baseline), as of the log record it names (LogSeq). Writes
// since then are in LogFile.
const DataFile = "orgraph.json"

// tempPattern names the temporary file a data file is written to before it
// is renamed into place; one left by a crash is removed at Open.
const tempPattern = ".orgraph-*.json"

// compactAt is the least size of the log at which it is folded into the
// data file; the log may also grow to twice the data file's size first.
const compactAt = 4 << 20

// state is what the data file holds.
type state struct {
	Baseline  *org.Graph     `json:",omitempty"`
	Scenarios []org.Scenario `json:",omitempty"`
	// Audit is the audit log, oldest first: applies, reviews and imports.
	Audit []org.AuditEntry `json:",omitempty"`
	// LogSeq is the last log record the file includes; replay starts after it.
	LogSeq int64 `json:",omitempty"`
}

// Open returns a store that keeps its scenarios and applied edits (and a
// baseline set by Replace) in dir, loading what an earlier run left there:
// the data file, then the log's records after it (a record torn by a crash
// is dropped). Every write appends a record to the log and is synced to
// disk before it is acknowledged; writes arriving together share one sync.
// Baseline-wide writes (ApplyScenario, Replace, SetBaseline) write the data
// file whole, through a temporary file and a rename, and empty the log; so
// does the log outgrowing the data file. The store holds dir's lock
// (LockFile) until Close: while it does, Open of the same directory by
// another process, or by this one, fails with ECONFLICT.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, org.Errorf(org.EINVALID, "data directory %s: %v", dir, err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	s, err := open(dir)
	if err != nil {
		_ = unlockFile(lock)
		lock.Close()
		return nil, err
	}
	s.lock = lock
	return s, nil
}

func open(dir string) (*Store, error) {
	s := New()
	s.path = filepath.Join(dir, DataFile)
	leftovers, _ := filepath.Glob(filepath.Join(dir, tempPattern))
	for _, name := range leftovers {
		if err := os.Remove(name); err != nil {
			return nil, fmt.Errorf("memstore: removing %s, left by an earlier run: %w", name, err)
		}
	}
	var st state
	data, err := os.ReadFile(s.path)
	switch {
	case err == nil:
		if err := json.Unmarshal(data, &st); err != nil {
			return nil, fmt.Errorf("memstore: %s is corrupt: %w", s.path, err)
		}
	case !os.IsNotExist(err):
		return nil, err
	}
	for _, sc := range st.Scenarios {
		s.scenarios[sc.ID] = sc
	}
	s.audit = st.Audit
	if st.Baseline != nil {
		if err := s.Load(context.Background(), st.Baseline); err != nil {
			return nil, fmt.Errorf("memstore: the baseline in %s: %w", s.path, err)
		}
		s.applied = true
		// The revision goes on from the last one the audit log recorded,
		// so that the log's revisions name this baseline after a restart.
		if n := len(s.audit); n > 0 {
			if rev, err := strconv.ParseInt(s.audit[n-1].RevisionAfter, 10, 64); err == nil && rev > s.revision.Load() {
				s.revision.Store(rev)
			}
		}
	}
	w, err := openLog(filepath.Join(dir, LogFile), st.LogSeq, s.replay)
	if err != nil {
		return nil, err
	}
	w.dataSize = int64(len(data))
	s.log = w
	s.commits = make(chan *commit)
	s.stopped = make(chan struct{})
	go s.committer()
	return s, nil
}

// replay applies one record of the log at Open.
func (s *Store) replay(r record) error {
	switch r.Kind {
	case kindScenario:
		var sc org.Scenario
		if err := json.Unmarshal(r.Data, &sc); err != nil {
			return err
		}
		s.scenarios[sc.ID] = sc
	case kindAppendChanges:
		var a appended
		if err := json.Unmarshal(r.Data, &a); err != nil {
			return err
		}
		old, ok := s.scenarios[a.Scenario.ID]
		if !ok {
			return fmt.Errorf("changes added to scenario %q, which is not there", a.Scenario.ID)
		}
		a.Scenario.Changes = append(slices.Clone(old.Changes), a.Changes...)
		s.scenarios[a.Scenario.ID] = a.Scenario
	case kindDeleteScenario:
		var d deleted
		if err := json.Unmarshal(r.Data, &d); err != nil {
			return err
		}
		delete(s.scenarios, d.ID)
	default:
		return fmt.Errorf("a record of unknown kind %q (written by a newer orgraph?)", r.Kind)
	}
	return nil
}

// wal is the open log.
type wal struct {
	path     string
	f        *os.File
	size     int64 // bytes of whole records
	zeroed   int64 // the file's length: past size it holds zeros, written ahead (see append)
	seq      int64 // the last record's Seq (or the data file's LogSeq)
	dataSize int64 // the data file's size when last written
	// compactAt is the least size at which the log is folded into the data
	// file; retryAt the size at which it is tried again after a failure.
	compactAt, retryAt int64
	// broken is set when a failed write could not be undone: the log's end
	// is unknown, so nothing more is written until the store is reopened.
	broken error
}

// openLog opens the log at path, applies its records after seq, and cuts
// off a torn last record.
func openLog(path string, seq int64, apply func(record) error) (*wal, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("memstore: opening %s: %w", path, err)
	}
	w := &wal{path: path, f: f, seq: seq, compactAt: compactAt}
	fail := func(err error) (*wal, error) {
		f.Close()
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fail(fmt.Errorf("memstore: reading %s: %w", path, err))
	}
	recs, valid, err := readRecords(data)
	if err != nil {
		return fail(fmt.Errorf("memstore: %s is corrupt: %w", path, err))
	}
	for _, r := range recs {
		if r.Seq <= seq {
			continue // already in the data file: a crash came between its rename and the log's truncation
		}
		if err := apply(r); err != nil {
			return fail(fmt.Errorf("memstore: %s, record %d: %w", path, r.Seq, err))
		}
		w.seq = r.Seq
	}
	// A torn record was never acknowledged: it goes. The cut needs no sync
	// of its own: the next append writes zeros over it first and syncs the
	// file whole (zeroUpTo).
	if valid < int64(len(data)) {
		if err := f.Truncate(valid); err != nil {
			return fail(fmt.Errorf("memstore: cutting the torn end off %s: %w", path, err))
		}
	}
	w.size, w.zeroed = valid, valid
	return w, nil
}

// commit is one write handed to the committer. Either rec is appended to
// the log, or whole (a baseline-wide write) returns the state to write as
// the data file; then apply makes the change in memory, and the result is
// sent on done.
type commit struct {
	rec   record
	whole func() state
	apply func()
	done  chan error
}

// maxBatch bounds the writes that share one sync.
const maxBatch = 256

// committer writes what arrives on s.commits until it is closed: the
// records of writes that arrive together in one append and one sync, then
// their changes in memory under one lock. Only it changes the scenarios
// and, through whole writes, the data file.
func (s *Store) committer() {
	defer close(s.stopped)
	for c := range s.commits {
		batch := []*commit{c}
	more:
		for len(batch) < maxBatch {
			select {
			case c, ok := <-s.commits:
				if !ok {
					break more
				}
				batch = append(batch, c)
			default:
				break more
			}
		}
		for len(batch) > 0 {
			n := 0
			for n < len(batch) && batch[n].whole == nil {
				n++
			}
			if n > 0 {
				s.appendBatch(batch[:n])
				batch = batch[n:]
				continue
			}
			s.writeWhole(batch[0])
			batch = batch[1:]
		}
		w := s.log
		if w.broken == nil && w.size > max(w.compactAt, 2*w.dataSize, w.retryAt) {
			if err := s.compact(); err != nil {
				// The log stays as it is, and takes writes; compaction is
				// tried again once it has grown by compactAt more.
				w.retryAt = w.size + w.compactAt
			}
		}
	}
}

// appendBatch appends the batch's records, syncs, and applies them.
func (s *Store) appendBatch(batch []*commit) {
	w := s.log
	err := w.broken
	var buf []byte
	seq := w.seq
	for _, c := range batch {
		if err != nil {
			break
		}
		seq++
		c.rec.Seq = seq
		buf, err = appendRecord(buf, c.rec)
	}
	if err == nil {
		err = w.append(buf)
	}
	if err != nil {
		for _, c := range batch {
			c.done <- org.Errorf(org.EUNAVAILABLE, "cannot write the data directory's log: %v", err)
		}
		return
	}
	w.seq = seq
	s.mu.Lock()
	for _, c := range batch {
		c.apply()
	}
	s.mu.Unlock()
	for _, c := range batch {
		c.done <- nil
	}
}

// zeroAhead is how much of the log is written with zeros ahead of the
// records, so that an append writes over bytes the file already has and its
// sync need not commit the file's new length.
const zeroAhead = 1 << 20

// append writes buf at the log's end and syncs. On failure it cuts the log
// back to where it was, or marks it broken when it cannot.
func (w *wal) append(buf []byte) error {
	err := w.zeroUpTo(w.size + int64(len(buf)))
	if err == nil {
		_, err = w.f.WriteAt(buf, w.size)
	}
	if err == nil {
		err = syncData(w.f)
	}
	if err != nil {
		w.zeroed = w.size
		if terr := w.f.Truncate(w.size); terr != nil {
			w.broken = fmt.Errorf("a failed write (%v) could not be undone (%v): reopen the store", err, terr)
		} else if serr := w.f.Sync(); serr != nil {
			w.broken = fmt.Errorf("a failed write (%v) could not be undone (%v): reopen the store", err, serr)
		}
		return err
	}
	w.size += int64(len(buf))
	return nil
}

// zeroUpTo makes the file at least end long, writing zeros ahead and
// syncing the file whole (its length with it).
func (w *wal) zeroUpTo(end int64) error {
	if end <= w.zeroed {
		return nil
	}
	n := max(end-w.zeroed, zeroAhead)
	if _, err := w.f.WriteAt(make([]byte, n), w.zeroed); err != nil {
		return err
	}
	if err := w.f.Sync(); err != nil {
		return err
	}
	w.zeroed += n
	return nil
}

// writeWhole writes c's state as the data file, then applies c.
func (s *Store) writeWhole(c *commit) {
	if err := s.writeState(c.whole()); err != nil {
		c.done <- err
		return
	}
	s.mu.Lock()
	c.apply()
	s.mu.Unlock()
	c.done <- nil
}

// compact writes the state in memory as the data file, emptying the log.
func (s *Store) compact() error {
	return s.writeState(s.current())
}

// current returns the state in memory, to be written as the data file.
func (s *Store) current() state {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.stateLocked()
}

// stateLocked is current with s.mu held.
func (s *Store) stateLocked() state {
	st := state{Scenarios: s.sortedScenarios(), Audit: slices.Clone(s.audit)}
	if s.applied {
		st.Baseline = s.snapshot()
	}
	return st
}

// writeState writes st as the data file, including every log record so
// far, then empties the log. Only the committer calls it.
func (s *Store) writeState(st state) error {
	w := s.log
	if w.broken != nil {
		return org.Errorf(org.EUNAVAILABLE, "cannot write the data directory: %v", w.broken)
	}
	st.LogSeq = w.seq
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	if err := writeFile(s.path, data); err != nil {
		return org.Errorf(org.EUNAVAILABLE, "cannot write the data file: %v", err)
	}
	w.dataSize = int64(len(data))
	// The data file holds every record now; should emptying the log fail,
	// its records are skipped at replay (their Seq is at most LogSeq).
	if err := w.f.Truncate(0); err == nil {
		if err := w.f.Sync(); err == nil {
			w.size, w.zeroed, w.retryAt = 0, 0, 0
		}
	}
	return nil
}

// writeFile replaces path with data durably: a temporary file beside it,
// synced, renamed over it, and the directory synced, so that a crash
// leaves either the old file or the new one.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), tempPattern)
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync() // makes the rename itself durable
}

// errClosed is what a write to a closed store gets.
var errClosed = org.Errorf(org.EUNAVAILABLE, "the store is closed")

// write makes one durable change: rec appended to the log (or, with whole,
// the data file written), then apply run under the store's lock. A store
// made by New keeps nothing on disk and only applies. The caller holds
// s.writing for reading and whatever keeps its check valid (the
// scenario's lock).
func (s *Store) write(rec record, whole func() state, apply func()) error {
	if s.log == nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		apply()
		return nil
	}
	if s.closed {
		return errClosed
	}
	c := &commit{rec: rec, whole: whole, apply: apply, done: make(chan error, 1)}
	s.commits <- c
	return <-c.done
}

// Close releases the data directory of a store made by Open, after the
// writes under way; a store made by New has none. The store must not be
// used afterwards.
func (s *Store) Close() error {
	s.writing.Lock()
	defer s.writing.Unlock()
	if s.lock == nil || s.closed {
		return nil
	}
	s.closed = true
	close(s.commits)
	<-s.stopped
	err := s.log.f.Close()
	if uerr := unlockFile(s.lock); err == nil {
		err = uerr
	}
	if cerr := s.lock.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("memstore: closing the data directory: %w", err)
	}
	return nil
}

// SetBaseline makes g the baseline, durably, and keeps the scenarios: the
// way an import writes a whole act. g is validated first; an invalid graph
// or a failed write changes nothing.
func (s *Store) SetBaseline(ctx context.Context, g *org.Graph) error {
	return s.setBaseline(g, false)
}

// Replace makes g the store's whole content: its baseline, and no
// scenarios (they were drawn on another baseline). An opened store writes
// it to its data file before it answers, so that the next Open serves g
// rather than loading the seed; on a failed write nothing changes.
func (s *Store) Replace(ctx context.Context, g *org.Graph) error {
	return s.setBaseline(g, true)
}

func (s *Store) setBaseline(g *org.Graph, dropScenarios bool) error {
	merged := org.Upsert(&org.Graph{}, g) // the order Load validates in
	if err := org.Validate(merged); err != nil {
		return err
	}
	s.writing.Lock() // no scenario write is under way
	defer s.writing.Unlock()
	whole := func() state {
		s.mu.RLock()
		defer s.mu.RUnlock()
		st := state{Baseline: merged, Audit: slices.Clone(s.audit)}
		if !dropScenarios {
			st.Scenarios = s.sortedScenarios()
		}
		return st
	}
	return s.write(record{}, whole, func() {
		s.replace(merged)
		s.applied = true
		if dropScenarios {
			s.scenarios = map[string]org.Scenario{}
		}
	})
}

// keyLocks holds one mutex per key in use: writes to one scenario queue,
// writes to different scenarios do not wait on one another.
type keyLocks struct {
	mu sync.Mutex
	m  map[string]*keyLock
}

type keyLock struct {
	sync.Mutex
	users int
}

// lock takes key's mutex and returns its unlock.
func (k *keyLocks) lock(key string) func() {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*keyLock{}
	}
	l := k.m[key]
	if l == nil {
		l = &keyLock{}
		k.m[key] = l
	}
	l.users++
	k.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		k.mu.Lock()
		if l.users--; l.users == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
}
