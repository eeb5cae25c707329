// Package neo4jstore is the Neo4j store, the system of record in production.
// It answers every question of org.Store in Cypher, with results identical
// to memstore's, order included.
//
// The graph model: nodes are (:Node:Unit), (:Node:Position) or
// (:Node:Entity); each org.Relation is a relationship whose type is its Kind
// ((:Node)-[:REPORTS_TO {id, seq, ...}]->(:Node)); duties are (:Duty) nodes,
// (:Unit)-[:HAS_DUTY]->(:Duty) for every duty and
// (:Duty)-[:PART_OF_DUTY]->(:Duty) from a letter or dash to its parent;
// documents are (:Document) nodes. Nodes and duties carry `folded`, the
// text Search runs against (org.FoldedWords of the name or text).
package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/orgraph/orgraph/internal/org"
)

var _ org.Store = (*Store)(nil)

// Defaults for the zero values of Config and Options.
const (
	DefaultQueryTimeout = 30 * time.Second
	DefaultLoadTimeout  = 5 * time.Minute
)

// Config says how to reach a Neo4j server.
type Config struct {
	// URI is bolt://host:7687 for one server, or neo4j://host:7687 for a
	// cluster, whose readers then answer the reads.
	URI string
	// Username selects basic auth; without it the driver sends none.
	Username, Password string
	// Database is the database to use; empty for the server's default.
	Database string
	// MaxPoolSize bounds the connections kept per server; 0 keeps the driver's default.
	MaxPoolSize int
	// ConnectTimeout bounds dialling a server; 0 keeps the driver's default.
	ConnectTimeout time.Duration
	// QueryTimeout and LoadTimeout: see Options.
	QueryTimeout, LoadTimeout time.Duration
}

// Options tune a Store over a driver it does not own.
type Options struct {
	// QueryTimeout bounds every call but Load, on the client and on the
	// server; DefaultQueryTimeout when 0.
	QueryTimeout time.Duration
	// LoadTimeout bounds Load, ApplyScenario, EnsureSchema and Snapshot
	// (the whole baseline, read once per revision for scenarios);
	// DefaultLoadTimeout when 0.
	LoadTimeout time.Duration
	// LoadBatch is the most rows Load writes in one transaction: a larger
	// graph is written in several (see Load); DefaultLoadBatch when 0.
	LoadBatch int
}

// Store is an org.Store over a Neo4j database. It is safe for concurrent use.
type Store struct {
	driver   neo4j.DriverWithContext
	database string
	opts     Options
	owned    bool // Close closes the driver only when New made it

	schemaReady atomic.Bool // EnsureSchema has succeeded once
	roundTrips  atomic.Int64
	sessions    atomic.Int64 // open now: each holds at most one of the driver's pooled connections

	warm   atomic.Bool // a driver call has returned once
	warmMu sync.Mutex  // held by calls until then

	onUnavailable atomic.Pointer[func(error)] // see OnUnavailable
	warmed        warmSet                     // the statements Warm sends again
	rehearsals    atomic.Int64                // statements Warm has rehearsed (tests read it)
	epoch         atomic.Pointer[epoch]       // the calls Abort cancels
}

// epoch is what the calls in flight share: Abort cancels its context.
type epoch struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
}

func newEpoch() *epoch {
	ctx, cancel := context.WithCancelCause(context.Background())
	return &epoch{ctx, cancel}
}

// SlowAfter is how long a read or a write may run before the store
// reports it to the OnUnavailable hook: a database that stopped answering
// (one shutting down holds its connections open) returns no error to
// report, only silence.
const SlowAfter = 500 * time.Millisecond

// errSlow is what the hook hears of a call past SlowAfter.
var errSlow = org.Errorf(org.EUNAVAILABLE, "a call to the graph database has run for %s", SlowAfter)

// OnUnavailable has f called with every EUNAVAILABLE error a read or a
// write meets (but a cancelled context), and when one has run past
// SlowAfter, so that a server can probe the database at once rather than
// at its next turn. f must not block.
func (s *Store) OnUnavailable(f func(error)) { s.onUnavailable.Store(&f) }

// Abort makes the reads and writes in flight fail at once, EUNAVAILABLE
// with cause as the reason in their error, for a server that found the
// database away: they would otherwise wait for it until their timeout.
// Calls that start later run as usual.
func (s *Store) Abort(cause error) {
	if old := s.epoch.Swap(newEpoch()); old != nil {
		old.cancel(cause)
	}
}

// bind returns ctx, cancelled also by Abort (with an *aborted cause), and
// a function that releases it.
func (s *Store) bind(ctx context.Context) (context.Context, func()) {
	e := s.epoch.Load()
	ctx, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(e.ctx, func() { cancel(&aborted{context.Cause(e.ctx)}) })
	return ctx, func() { stop(); cancel(nil) }
}

// aborted is the cause of a call Abort ended.
type aborted struct{ cause error }

func (e *aborted) Error() string { return fmt.Sprintf("aborted: %v", e.cause) }
func (e *aborted) Unwrap() error { return e.cause }

// whyEnded adds to err, when ctx has ended, the reason (ctx.Err(), which
// mapError takes for unavailable, and Abort's cause): the driver's errors
// for a read or a write cut short by its context (ConnectionReadCanceled,
// ...) do not wrap it.
func whyEnded(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil {
		return err
	}
	if !errors.Is(err, ctx.Err()) {
		err = fmt.Errorf("%w: %w", err, ctx.Err())
	}
	if cause := context.Cause(ctx); cause != ctx.Err() {
		err = fmt.Errorf("%w (%v)", err, cause)
	}
	return err
}

// watch reports a call still running after SlowAfter to the hook; the
// returned function ends the watch.
func (s *Store) watch() (stop func() bool) {
	return time.AfterFunc(SlowAfter, func() { s.noted(errSlow) }).Stop
}

// noted passes err to the OnUnavailable hook if it says the database is
// unavailable, and returns it.
func (s *Store) noted(err error) error {
	if err == nil || org.ErrorCode(err) != org.EUNAVAILABLE || errors.Is(err, context.Canceled) {
		return err
	}
	if f := s.onUnavailable.Load(); f != nil && *f != nil {
		(*f)(err)
	}
	return err
}

// alone runs the store's driver calls one at a time until one has
// returned: the driver's connector sets a field without a lock on its first
// connection (neo4j-go-driver v5.28.4, connector.go:55), a data race when
// the readiness probe and a request open the first two at once.
func (s *Store) alone() (release func()) {
	if s.warm.Load() {
		return func() {}
	}
	s.warmMu.Lock()
	return func() {
		s.warm.Store(true)
		s.warmMu.Unlock()
	}
}

// New connects to the server cfg names. It does not dial: the driver
// connects on first use, and Ping tells whether the server answers.
func New(ctx context.Context, cfg Config) (*Store, error) {
	auth := neo4j.NoAuth()
	if cfg.Username != "" {
		auth = neo4j.BasicAuth(cfg.Username, cfg.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, auth, func(c *config.Config) {
		if cfg.MaxPoolSize > 0 {
			c.MaxConnectionPoolSize = cfg.MaxPoolSize
		}
		if cfg.ConnectTimeout > 0 {
			c.SocketConnectTimeout = cfg.ConnectTimeout
		}
		configure(c)
	})
	if err != nil {
		return nil, org.Errorf(org.EINVALID, "neo4j: cannot use URI %q: %v", cfg.URI, err)
	}
	s := Open(driver, cfg.Database, Options{QueryTimeout: cfg.QueryTimeout, LoadTimeout: cfg.LoadTimeout})
	s.owned = true
	return s, nil
}

// Driver settings for failing fast and recovering fast (see configure).
const (
	// LivenessCheckAfter: a pooled connection idle longer is checked
	// (a RESET round trip) before it is lent out.
	LivenessCheckAfter = time.Second
	// AcquireTimeout bounds waiting for a connection of the pool.
	AcquireTimeout = 5 * time.Second
	// MaxRetryTime bounds the driver's retries of a write transaction.
	MaxRetryTime = 3 * time.Second
)

// configure sets what New's driver needs to fail fast while the database
// is away and to recover as soon as it is back:
//
//   - the driver lends out pooled connections unchecked by default: after
//     a restart of the database every idle one is dead, and each fails the
//     query it is lent to. Checked once idle for LivenessCheckAfter, a dead
//     one is dropped and a new one dialled instead; under steady load a
//     connection is reused sooner and pays nothing.
//   - waiting for a connection is bounded by AcquireTimeout, not a minute;
//   - a write transaction is retried for MaxRetryTime, not 30 s: while the
//     database is down the retries only hold the caller (and its
//     connection attempts), and the write fails UNAVAILABLE after them.
func configure(c *config.Config) {
	c.ConnectionLivenessCheckTimeout = LivenessCheckAfter
	c.ConnectionAcquisitionTimeout = AcquireTimeout
	c.MaxTransactionRetryTime = MaxRetryTime
}

// Open returns a store over a driver the caller owns and closes.
func Open(driver neo4j.DriverWithContext, database string, opts Options) *Store {
	if opts.QueryTimeout <= 0 {
		opts.QueryTimeout = DefaultQueryTimeout
	}
	if opts.LoadTimeout <= 0 {
		opts.LoadTimeout = DefaultLoadTimeout
	}
	if opts.LoadBatch <= 0 {
		opts.LoadBatch = DefaultLoadBatch
	}
	s := &Store{driver: driver, database: database, opts: opts}
	s.epoch.Store(newEpoch())
	return s
}

// Close releases the driver if New made it.
func (s *Store) Close(ctx context.Context) error {
	if !s.owned {
		return nil
	}
	return s.driver.Close(ctx)
}

// Ping reports whether the database answers a query (RETURN 1, on the
// database the store uses), for a readiness probe: a server that accepts
// connections but runs no query (one shutting down, or whose database is
// not started) is not ready. It neither counts as a round trip nor is
// reported to the OnUnavailable hook, nor does Abort end it.
func (s *Store) Ping(ctx context.Context) error {
	_, err := s.run(ctx, "ping", "RETURN 1", nil)
	return err
}

// RoundTrips returns how many Cypher statements the store has sent, so that
// a test can hold a question to a fixed cost: each read counts once, and a
// write counts each statement of each attempt the driver makes.
func (s *Store) RoundTrips() int64 { return s.roundTrips.Load() }

// SessionsOpen is how many driver sessions the store holds open now. The
// driver (v5.28) does not expose its connection pool; a session holds at
// most one of its connections, so this bounds the connections in use.
func (s *Store) SessionsOpen() int64 { return s.sessions.Load() }

// EnsureSchema creates the constraints and indexes the queries rely on, if
// they do not exist yet. Load calls it; a deployment may call it at start.
// After one success the store does not ask again.
func (s *Store) EnsureSchema(ctx context.Context) error {
	if s.schemaReady.Load() {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.LoadTimeout)
	defer cancel()
	// One transaction per statement: each is idempotent, so a failure part
	// way leaves nothing that the next call does not finish.
	for _, q := range schema {
		if _, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			// Not noted for the warm-up: the schema is made once.
			return nil, s.execUnnoted(ctx, tx, q, nil)
		}); err != nil {
			return mapError("ensure schema", err)
		}
	}
	s.schemaReady.Store(true)
	return nil
}

// read runs one query as an auto-commit read, routed to a reader of a
// cluster, and returns the first column of every record: one round trip
// (RUN and PULL pipelined, every record in one batch), where a managed
// transaction would add BEGIN and COMMIT. Its session shares the bookmark
// manager of writes, so a read after a write sees it on any member of a
// cluster.
func (s *Store) read(ctx context.Context, op, query string, params map[string]any) (out []any, err error) {
	return s.readWithin(ctx, s.opts.QueryTimeout, op, query, params)
}

// readWithin is read bounded by timeout rather than QueryTimeout: for the
// reads of the whole baseline (Snapshot), bounded as a Load is.
func (s *Store) readWithin(ctx context.Context, timeout time.Duration, op, query string, params map[string]any) (out []any, err error) {
	s.roundTrips.Add(1)
	s.warmed.note(query, params, false)
	ctx, release := s.bind(ctx)
	defer release()
	defer s.watch()()
	out, err = s.runWithin(ctx, timeout, op, query, params)
	return out, s.noted(err)
}

// run is read without the round trip's count, Abort or the hook.
func (s *Store) run(ctx context.Context, op, query string, params map[string]any) (out []any, err error) {
	return s.runWithin(ctx, s.opts.QueryTimeout, op, query, params)
}

func (s *Store) runWithin(ctx context.Context, timeout time.Duration, op, query string, params map[string]any) (out []any, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{
		DatabaseName:    s.database,
		AccessMode:      neo4j.AccessModeRead,
		BookmarkManager: s.driver.ExecuteQueryBookmarkManager(),
		FetchSize:       neo4j.FetchAll,
	})
	s.sessions.Add(1)
	defer s.sessions.Add(-1)
	defer func() {
		if cerr := session.Close(ctx); err == nil && cerr != nil {
			out, err = nil, mapError(op, whyEnded(ctx, cerr))
		}
	}()
	release := s.alone()
	res, err := session.Run(ctx, query, params, neo4j.WithTxTimeout(timeout))
	release()
	if err != nil {
		return nil, mapError(op, whyEnded(ctx, err))
	}
	records, err := res.Collect(ctx)
	if err != nil {
		return nil, mapError(op, whyEnded(ctx, err))
	}
	out = make([]any, len(records))
	for i, r := range records {
		out[i] = r.Values[0]
	}
	return out, nil
}

// write runs work in one write transaction, retried by the driver on
// transient failures. Its session shares ExecuteQuery's bookmark manager,
// so that a read after a write sees it on any member of a cluster.
//
// Abort ends it as it ends reads: the statements exec and collect send
// inside work run with the transaction's context (boundTx).
func (s *Store) write(ctx context.Context, work neo4j.ManagedTransactionWork) (any, error) {
	return s.transact(ctx, neo4j.AccessModeWrite, s.opts.LoadTimeout, work)
}

// readTx runs work in one read transaction of at most timeout, as write
// runs a write's: its statements are noted for the warm-up as writes are,
// to be planned (EXPLAIN) after a restart, never rehearsed (collectWhole).
func (s *Store) readTx(ctx context.Context, timeout time.Duration, work neo4j.ManagedTransactionWork) (any, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return s.transact(ctx, neo4j.AccessModeRead, timeout, work)
}

// transact runs work in one managed transaction of mode, bound to the
// calls Abort ends; a write runs alone while the store says so (alone).
func (s *Store) transact(ctx context.Context, mode neo4j.AccessMode, timeout time.Duration, work neo4j.ManagedTransactionWork) (res any, err error) {
	ctx, release := s.bind(ctx)
	defer release()
	defer s.watch()()
	bound := func(tx neo4j.ManagedTransaction) (any, error) { return work(boundTx{tx, ctx}) }
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{
		DatabaseName:    s.database,
		AccessMode:      mode,
		BookmarkManager: s.driver.ExecuteQueryBookmarkManager(),
	})
	s.sessions.Add(1)
	defer s.sessions.Add(-1)
	op := "write"
	if mode == neo4j.AccessModeRead {
		op = "read"
	}
	defer func() {
		if cerr := session.Close(ctx); err == nil {
			err = cerr
		}
		if err != nil {
			err = whyEnded(ctx, err)
			s.noted(mapError(op, err))
		}
	}()
	if mode == neo4j.AccessModeRead {
		return session.ExecuteRead(ctx, bound, neo4j.WithTxTimeout(timeout))
	}
	alone := s.alone()
	res, err = session.ExecuteWrite(ctx, bound, neo4j.WithTxTimeout(timeout))
	alone()
	return res, err
}

// boundTx is a write's transaction with the write's context, which Abort
// cancels.
type boundTx struct {
	neo4j.ManagedTransaction
	ctx context.Context
}

// txContext returns ctx, also cancelled with tx's write if tx is a boundTx.
func txContext(ctx context.Context, tx neo4j.ManagedTransaction) (context.Context, func()) {
	b, ok := tx.(boundTx)
	if !ok {
		return ctx, func() {}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(b.ctx, func() { cancel(context.Cause(b.ctx)) })
	return ctx, func() { stop(); cancel(nil) }
}

// collect runs one query inside tx and returns the first column of every record.
func (s *Store) collect(ctx context.Context, tx neo4j.ManagedTransaction, query string, params map[string]any) ([]any, error) {
	return s.collectTimed(ctx, tx, query, params, true)
}

// collectWhole is collect for a statement over the whole baseline (the
// snapshot's): its calls are not timed for the warm-up, which then only
// plans it, never rehearses it. It is as quick as the baseline is small
// (a snapshot of the empty database at the seeding was), and off the
// requests' path once the server holds the baseline.
func (s *Store) collectWhole(ctx context.Context, tx neo4j.ManagedTransaction, query string, params map[string]any) ([]any, error) {
	return s.collectTimed(ctx, tx, query, params, false)
}

func (s *Store) collectTimed(ctx context.Context, tx neo4j.ManagedTransaction, query string, params map[string]any, timed bool) ([]any, error) {
	s.roundTrips.Add(1)
	s.warmed.note(query, params, true)
	ctx, done := txContext(ctx, tx)
	defer done()
	start := time.Now()
	res, err := tx.Run(ctx, query, params)
	if err != nil {
		return nil, err
	}
	records, err := res.Collect(ctx)
	if err == nil && timed {
		s.warmed.ran(query, time.Since(start))
	}
	if err != nil {
		return nil, err
	}
	out := make([]any, len(records))
	for i, r := range records {
		out[i] = r.Values[0]
	}
	return out, nil
}

// exec runs one query inside tx for its effect.
func (s *Store) exec(ctx context.Context, tx neo4j.ManagedTransaction, query string, params map[string]any) error {
	s.warmed.note(query, params, true)
	start := time.Now()
	err := s.execUnnoted(ctx, tx, query, params)
	if err == nil {
		s.warmed.ran(query, time.Since(start))
	}
	return err
}

// execUnnoted is exec for a statement the warm-up does not send again.
func (s *Store) execUnnoted(ctx context.Context, tx neo4j.ManagedTransaction, query string, params map[string]any) error {
	s.roundTrips.Add(1)
	ctx, done := txContext(ctx, tx)
	defer done()
	res, err := tx.Run(ctx, query, params)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}

// mapError turns a driver error into an org error: a domain error passes
// through, a violated constraint is a conflict, an unreachable or slow
// server is unavailable, and anything else is internal, its text kept for
// the logs but hidden from users.
func mapError(op string, err error) error {
	var (
		domain   *org.Error
		neo      *neo4j.Neo4jError
		conn     *neo4j.ConnectivityError
		limit    *neo4j.TransactionExecutionLimit
		timeouts interface{ Timeout() bool }
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &domain):
		return err
	case errors.As(err, &conn), errors.As(err, &limit),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.As(err, &timeouts) && timeouts.Timeout():
		return unavailable(op, err)
	case errors.As(err, &neo):
		switch {
		case neo.Code == "Neo.ClientError.Schema.ConstraintValidationFailed":
			return org.Errorf(org.ECONFLICT, "%s: the change conflicts with what is stored", op)
		case strings.HasPrefix(neo.Code, "Neo.TransientError."),
			strings.HasPrefix(neo.Code, "Neo.ClientError.Transaction.TransactionTimedOut"),
			neo.Code == "Neo.ClientError.Database.DatabaseNotFound",
			neo.Code == "Neo.ClientError.Security.Unauthorized":
			return unavailable(op, err)
		}
	}
	return org.Wrap(org.EINTERNAL, fmt.Errorf("neo4jstore: %s: %w", op, err), "internal error")
}

// unavailable is an EUNAVAILABLE org error that keeps the driver's error
// as its cause, for the logs, out of the user's sight.
func unavailable(op string, err error) error {
	return org.Wrap(org.EUNAVAILABLE, fmt.Errorf("neo4jstore: %s: %w", op, err), "the graph database is unavailable; try again later")
}
