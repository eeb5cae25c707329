package observe

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/orgraph/orgraph/internal/org"
)

// Store wraps s so that every call is timed (orgraph_store_call_duration_seconds),
// counted in the request's record (its store calls), and traced as a span
// "store.Method" under the caller's. kind names the store in the spans
// (embedded, neo4j). A store that keeps scenarios and names revisions,
// as both of orgraph's do, stays one.
func (o *Observer) Store(s org.Store, kind string) org.Store {
	b := base{s: s, o: o, kind: attribute.String("orgraph.store", kind)}
	if f, ok := s.(fullStore); ok {
		w := &full{base: b, f: f}
		if fr, ok := s.(org.Freezer); ok {
			// The embedded store hands out its baseline for scenario views
			// without a copy: kept visible, or the service would copy it.
			return &freezing{full: w, fr: fr}
		}
		return w
	}
	return &b
}

// fullStore is what memstore and neo4jstore implement.
type fullStore interface {
	org.Store
	org.ScenarioStore
	org.Revisioner
}

type base struct {
	s    org.Store
	o    *Observer
	kind attribute.KeyValue
}

type full struct {
	base
	f fullStore
}

var _ fullStore = (*full)(nil)

// observed runs one store call f, named op.
func observed[T any](ctx context.Context, b *base, op string, f func(context.Context) (T, error)) (T, error) {
	if r := requestOf(ctx); r != nil {
		r.storeCalls.Add(1)
	}
	ctx, span := b.o.tracer.Start(ctx, "store."+op, trace.WithAttributes(b.kind))
	defer span.End()
	b.o.storeInFlight.Inc()
	start := time.Now()
	v, err := f(ctx)
	took := time.Since(start)
	b.o.storeInFlight.Dec()
	result := "ok"
	if err != nil {
		result = org.ErrorCode(err)
		span.SetStatus(codes.Error, result)
		span.RecordError(err)
	}
	b.o.storeCalls.WithLabelValues(op, result).Observe(took.Seconds())
	return v, err
}

// done is observed for a call that answers only an error.
func done(ctx context.Context, b *base, op string, f func(context.Context) error) error {
	_, err := observed(ctx, b, op, func(ctx context.Context) (struct{}, error) { return struct{}{}, f(ctx) })
	return err
}

func (b *base) Load(ctx context.Context, g *org.Graph) error {
	err := done(ctx, b, "Load", func(ctx context.Context) error { return b.s.Load(ctx, g) })
	if err == nil {
		b.o.imports.Inc()
	}
	return err
}

func (b *base) Empty(ctx context.Context) (bool, error) {
	return observed(ctx, b, "Empty", b.s.Empty)
}

func (b *base) FindDocuments(ctx context.Context) ([]org.Document, error) {
	return observed(ctx, b, "FindDocuments", b.s.FindDocuments)
}

func (b *base) FindNodeByID(ctx context.Context, id string) (org.Node, error) {
	return observed(ctx, b, "FindNodeByID", func(ctx context.Context) (org.Node, error) { return b.s.FindNodeByID(ctx, id) })
}

func (b *base) FindNodeByCode(ctx context.Context, code string) (org.Node, error) {
	return observed(ctx, b, "FindNodeByCode", func(ctx context.Context) (org.Node, error) { return b.s.FindNodeByCode(ctx, code) })
}

func (b *base) FindNodes(ctx context.Context, f org.NodeFilter) ([]org.Node, error) {
	return observed(ctx, b, "FindNodes", func(ctx context.Context) ([]org.Node, error) { return b.s.FindNodes(ctx, f) })
}

func (b *base) FindRelations(ctx context.Context, f org.RelationFilter) ([]org.Relation, error) {
	return observed(ctx, b, "FindRelations", func(ctx context.Context) ([]org.Relation, error) { return b.s.FindRelations(ctx, f) })
}

func (b *base) FindDuties(ctx context.Context, f org.DutyFilter) ([]org.Duty, error) {
	return observed(ctx, b, "FindDuties", func(ctx context.Context) ([]org.Duty, error) { return b.s.FindDuties(ctx, f) })
}

func (b *base) Subordinates(ctx context.Context, id string, maxDepth int) ([]org.Subordinate, error) {
	return observed(ctx, b, "Subordinates", func(ctx context.Context) ([]org.Subordinate, error) { return b.s.Subordinates(ctx, id, maxDepth) })
}

func (b *base) ShortestPath(ctx context.Context, from, to string, kinds []org.RelationKind) (org.Path, error) {
	return observed(ctx, b, "ShortestPath", func(ctx context.Context) (org.Path, error) { return b.s.ShortestPath(ctx, from, to, kinds) })
}

func (b *base) ChainsOfCommand(ctx context.Context, f org.NodeFilter) ([]org.Path, error) {
	return observed(ctx, b, "ChainsOfCommand", func(ctx context.Context) ([]org.Path, error) { return b.s.ChainsOfCommand(ctx, f) })
}

func (b *base) FindNeighbourhood(ctx context.Context, f org.NodeFilter, a org.Around) (org.Neighbourhood, error) {
	return observed(ctx, b, "FindNeighbourhood", func(ctx context.Context) (org.Neighbourhood, error) { return b.s.FindNeighbourhood(ctx, f, a) })
}

func (b *base) Search(ctx context.Context, q string, limit int) ([]org.SearchHit, error) {
	return observed(ctx, b, "Search", func(ctx context.Context) ([]org.SearchHit, error) { return b.s.Search(ctx, q, limit) })
}

func (s *full) Revision(ctx context.Context) (string, error) {
	return observed(ctx, &s.base, "Revision", s.f.Revision)
}

func (s *full) CreateScenario(ctx context.Context, sc org.Scenario) error {
	return s.changed("created", done(ctx, &s.base, "CreateScenario", func(ctx context.Context) error { return s.f.CreateScenario(ctx, sc) }))
}

func (s *full) FindScenarioByID(ctx context.Context, id string) (org.Scenario, error) {
	return observed(ctx, &s.base, "FindScenarioByID", func(ctx context.Context) (org.Scenario, error) { return s.f.FindScenarioByID(ctx, id) })
}

func (s *full) FindScenarios(ctx context.Context) ([]org.Scenario, error) {
	return observed(ctx, &s.base, "FindScenarios", s.f.FindScenarios)
}

func (s *full) UpdateScenario(ctx context.Context, sc org.Scenario, version int) error {
	return s.changed("updated", done(ctx, &s.base, "UpdateScenario", func(ctx context.Context) error { return s.f.UpdateScenario(ctx, sc, version) }))
}

func (s *full) DeleteScenario(ctx context.Context, id string) error {
	return s.changed("deleted", done(ctx, &s.base, "DeleteScenario", func(ctx context.Context) error { return s.f.DeleteScenario(ctx, id) }))
}

func (s *full) Snapshot(ctx context.Context) (*org.Graph, error) {
	return observed(ctx, &s.base, "Snapshot", s.f.Snapshot)
}

func (s *full) ApplyScenario(ctx context.Context, g *org.Graph, sc org.Scenario, version int, e org.AuditEntry) error {
	return s.changed("applied", done(ctx, &s.base, "ApplyScenario", func(ctx context.Context) error { return s.f.ApplyScenario(ctx, g, sc, version, e) }))
}

func (s *full) ReviewScenario(ctx context.Context, sc org.Scenario, version int, e org.AuditEntry) error {
	return s.changed("reviewed", done(ctx, &s.base, "ReviewScenario", func(ctx context.Context) error { return s.f.ReviewScenario(ctx, sc, version, e) }))
}

func (s *full) LoadAudited(ctx context.Context, g *org.Graph, e org.AuditEntry) error {
	return done(ctx, &s.base, "LoadAudited", func(ctx context.Context) error { return s.f.LoadAudited(ctx, g, e) })
}

func (s *full) AuditLog(ctx context.Context, first int, after string) ([]org.AuditEntry, error) {
	return observed(ctx, &s.base, "AuditLog", func(ctx context.Context) ([]org.AuditEntry, error) { return s.f.AuditLog(ctx, first, after) })
}

// freezing is full over a store that is an org.Freezer.
type freezing struct {
	*full
	fr org.Freezer
}

func (s *freezing) Freeze() org.Forker { return s.fr.Freeze() }

func (s *full) changed(change string, err error) error {
	if err == nil {
		s.o.scenarioChanges.WithLabelValues(change).Inc()
	}
	return err
}

// The pages go through too, each one observed call: the store inside
// pages natively when it can (org.PageNodes and the like), so that the
// wrapper does not hide its org.Pager.

var _ org.Pager = (*base)(nil)

func (b *base) PageNodes(ctx context.Context, f org.NodeFilter, typ string, p org.PageArgs) (org.Page[org.Node], error) {
	return observed(ctx, b, "PageNodes", func(ctx context.Context) (org.Page[org.Node], error) { return org.PageNodes(ctx, b.s, f, typ, p) })
}

func (b *base) PageDuties(ctx context.Context, f org.DutyFilter, p org.PageArgs) (org.Page[org.Duty], error) {
	return observed(ctx, b, "PageDuties", func(ctx context.Context) (org.Page[org.Duty], error) { return org.PageDuties(ctx, b.s, f, p) })
}

func (b *base) PageRelations(ctx context.Context, f org.RelationFilter, p org.PageArgs) (org.Page[org.Relation], error) {
	return observed(ctx, b, "PageRelations", func(ctx context.Context) (org.Page[org.Relation], error) { return org.PageRelations(ctx, b.s, f, p) })
}

func (b *base) PageSearch(ctx context.Context, q string, p org.PageArgs) (org.Page[org.SearchHit], error) {
	return observed(ctx, b, "PageSearch", func(ctx context.Context) (org.Page[org.SearchHit], error) { return org.PageSearch(ctx, b.s, q, p) })
}

func (b *base) PageSubordinates(ctx context.Context, id string, maxDepth int, p org.PageArgs) (org.Page[org.Subordinate], error) {
	return observed(ctx, b, "PageSubordinates", func(ctx context.Context) (org.Page[org.Subordinate], error) {
		return org.PageSubordinates(ctx, b.s, id, maxDepth, p)
	})
}
