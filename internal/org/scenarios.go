package org

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Scenario services need the store to keep scenarios, and a way to hold a
// scenario's graph in memory to answer questions about it.
func (s *Service) scenarios() (ScenarioStore, error) {
	ss, ok := s.Store.(ScenarioStore)
	if !ok || s.Overlay == nil {
		return nil, Errorf(EINVALID, "this store keeps no scenarios")
	}
	return ss, nil
}

func (s *Service) now() time.Time {
	if s.Clock != nil {
		return s.Clock().UTC()
	}
	return time.Now().UTC()
}

// NewID returns a fresh random id (16 hex digits) for a scenario, a change
// or an audit entry.
func NewID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// CreateScenario starts an empty draft, owned by ctx's principal.
func (s *Service) CreateScenario(ctx context.Context, name, description string) (Scenario, error) {
	ss, err := s.scenarios()
	if err != nil {
		return Scenario{}, err
	}
	p := PrincipalFrom(ctx)
	if err := Authorize(p, PermCreateScenario); err != nil {
		return Scenario{}, err
	}
	name = strings.TrimSpace(name)
	if err := checkScenarioText(name, p.Subject, description); err != nil {
		return Scenario{}, err
	}
	if err := checkOwnerRoom(ctx, ss, p.Subject); err != nil {
		return Scenario{}, err
	}
	now := s.now()
	sc := Scenario{ID: NewID(), Name: name, Owner: p.Subject, Description: description,
		Status: StatusDraft, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := ss.CreateScenario(ctx, sc); err != nil {
		return Scenario{}, err
	}
	return sc, nil
}

// find returns a scenario ctx's principal may read; ENOTFOUND for one it
// may not, so that a scenario's existence is not told to whom it is not
// shared with.
func (s *Service) findScenario(ctx context.Context, ss ScenarioStore, id string) (Scenario, error) {
	sc, err := ss.FindScenarioByID(ctx, id)
	if err != nil {
		return Scenario{}, err
	}
	sc = withStatus(sc)
	if !mayRead(PrincipalFrom(ctx), sc) {
		return Scenario{}, Errorf(ENOTFOUND, "no scenario %q", id)
	}
	return sc, nil
}

// withStatus gives a scenario stored before reviews existed its status.
func withStatus(sc Scenario) Scenario {
	switch {
	case sc.Status != "":
	case sc.AppliedAt != nil:
		sc.Status = StatusApplied
	default:
		sc.Status = StatusDraft
	}
	return sc
}

// Scenario returns a scenario by id. ENOTFOUND, also for one the caller
// may not read.
func (s *Service) Scenario(ctx context.Context, id string) (Scenario, error) {
	ss, err := s.scenarios()
	if err != nil {
		return Scenario{}, err
	}
	return s.findScenario(ctx, ss, id)
}

// Scenarios lists the scenarios the caller may read.
func (s *Service) Scenarios(ctx context.Context) ([]Scenario, error) {
	ss, err := s.scenarios()
	if err != nil {
		return nil, err
	}
	all, err := ss.FindScenarios(ctx)
	if err != nil {
		return nil, err
	}
	p := PrincipalFrom(ctx)
	out := []Scenario{}
	for _, sc := range all {
		if sc = withStatus(sc); mayRead(p, sc) {
			out = append(out, sc)
		}
	}
	return out, nil
}

// DeleteScenario removes a scenario that was not applied: the applied ones
// are the record of why the baseline changed. An admin deletes any; a
// planner its own. ENOTFOUND.
func (s *Service) DeleteScenario(ctx context.Context, id string) error {
	ss, err := s.scenarios()
	if err != nil {
		return err
	}
	p := PrincipalFrom(ctx)
	anyone := p.Can(PermDeleteScenario)
	if !anyone {
		if err := Authorize(p, PermEditOwn); err != nil {
			return err
		}
	}
	sc, err := s.findScenario(ctx, ss, id)
	if err != nil {
		return err
	}
	if sc.Status == StatusApplied {
		return Errorf(EINVALID, "scenario %s was applied: it is the record of a change of the baseline and is kept", id)
	}
	if !anyone {
		if err := mayEdit(p, sc); err != nil {
			return err
		}
	}
	return ss.DeleteScenario(ctx, id)
}

// AddChange appends a change after checking it against the baseline and
// the scenario's earlier changes; a change that does not fit leaves the
// scenario as it was.
func (s *Service) AddChange(ctx context.Context, id string, c Change) (Scenario, error) {
	if err := checkChange(c); err != nil {
		return Scenario{}, err
	}
	return s.edit(ctx, id, true, func(sc *Scenario) error {
		if len(sc.Changes) >= MaxChangesPerScenario {
			return Errorf(ECONFLICT, "scenario %s holds %d changes, the most one may; start another", id, len(sc.Changes))
		}
		// The version grows with every write, so an id is never given twice.
		c.ID = fmt.Sprintf("c%d", sc.Version)
		sc.Changes = append(sc.Changes, c)
		return nil
	})
}

// RemoveChange undoes a change; the changes after it must still fit.
func (s *Service) RemoveChange(ctx context.Context, id, changeID string) (Scenario, error) {
	return s.edit(ctx, id, true, func(sc *Scenario) error {
		i := slices.IndexFunc(sc.Changes, func(c Change) bool { return c.ID == changeID })
		if i < 0 {
			return Errorf(ENOTFOUND, "scenario %s has no change %q", id, changeID)
		}
		sc.Changes = slices.Delete(sc.Changes, i, i+1)
		return nil
	})
}

// MoveChange puts a change at a new place (0 is first); the reordered
// changes must still fit.
func (s *Service) MoveChange(ctx context.Context, id, changeID string, to int) (Scenario, error) {
	return s.edit(ctx, id, true, func(sc *Scenario) error {
		i := slices.IndexFunc(sc.Changes, func(c Change) bool { return c.ID == changeID })
		if i < 0 {
			return Errorf(ENOTFOUND, "scenario %s has no change %q", id, changeID)
		}
		if to < 0 || to >= len(sc.Changes) {
			return Errorf(EINVALID, "position %d is outside 0..%d", to, len(sc.Changes)-1)
		}
		c := sc.Changes[i]
		sc.Changes = slices.Insert(slices.Delete(sc.Changes, i, i+1), to, c)
		return nil
	})
}

// MaxSharedWith bounds the subjects one scenario is shared with.
const MaxSharedWith = 100

// ShareScenario sets whom besides its owner the scenario is shared with:
// named subjects, or Everyone. It leaves its review as it was.
func (s *Service) ShareScenario(ctx context.Context, id string, with []string) (Scenario, error) {
	if len(with) > MaxSharedWith {
		return Scenario{}, Errorf(EINVALID, "a scenario is shared with at most %d subjects, or with everyone (%q)", MaxSharedWith, Everyone)
	}
	var subjects []string
	for _, w := range with {
		w = strings.TrimSpace(w)
		if w == "" || len(w) > MaxNameLength {
			return Scenario{}, Errorf(EINVALID, "a subject to share with takes 1 to %d bytes", MaxNameLength)
		}
		subjects = append(subjects, w)
	}
	slices.Sort(subjects)
	subjects = slices.Compact(subjects)
	return s.edit(ctx, id, false, func(sc *Scenario) error {
		sc.SharedWith = subjects
		return nil
	})
}

// SubmitScenario puts a draft (or a rejected scenario) up for review.
func (s *Service) SubmitScenario(ctx context.Context, id string) (Scenario, error) {
	return s.edit(ctx, id, false, func(sc *Scenario) error {
		switch {
		case sc.Status != StatusDraft && sc.Status != StatusRejected:
			return Errorf(EINVALID, "scenario %s is %s; only a draft or a rejected scenario is submitted", id, sc.Status)
		case len(sc.Changes) == 0:
			return Errorf(EINVALID, "scenario %s has no change to review", id)
		}
		sc.Status, sc.ReviewedBy, sc.ReviewComment = StatusSubmitted, "", ""
		return nil
	})
}

// edit applies fn to a scenario its owner changes, checks the result
// against the baseline and stores it; when another write came first it
// tries again on the fresh copy. An edit of the content (content) returns
// a submitted, approved or rejected scenario to DRAFT: what was reviewed
// is no longer what it holds. An applied scenario changes no more.
func (s *Service) edit(ctx context.Context, id string, content bool, fn func(*Scenario) error) (Scenario, error) {
	ss, err := s.scenarios()
	if err != nil {
		return Scenario{}, err
	}
	p := PrincipalFrom(ctx)
	if err := Authorize(p, PermEditOwn); err != nil {
		return Scenario{}, err
	}
	for attempt := 0; ; attempt++ {
		sc, err := s.findScenario(ctx, ss, id)
		if err != nil {
			return Scenario{}, err
		}
		if sc.Status == StatusApplied {
			return Scenario{}, Errorf(EINVALID, "scenario %s was applied on %s and can no longer change", id, sc.AppliedAt.Format(time.RFC3339))
		}
		if err := mayEdit(p, sc); err != nil {
			return Scenario{}, err
		}
		version := sc.Version
		sc.Changes = slices.Clone(sc.Changes)
		if err := fn(&sc); err != nil {
			return Scenario{}, err
		}
		if content && sc.Status != StatusDraft {
			sc.Status, sc.ReviewedBy, sc.ReviewComment = StatusDraft, "", ""
		}
		base, err := s.Baseline(ctx)
		if err != nil {
			return Scenario{}, err
		}
		if _, err := ApplyDelta(base, sc); err != nil {
			return Scenario{}, err
		}
		sc.UpdatedAt = s.now()
		err = ss.UpdateScenario(ctx, sc, version)
		if ErrorCode(err) == ECONFLICT && attempt < 5 {
			continue
		}
		if err != nil {
			return Scenario{}, err
		}
		sc.Version = version + 1
		return sc, nil
	}
}

// ApproveScenario approves a submitted scenario that still fits the
// baseline, and records who did.
func (s *Service) ApproveScenario(ctx context.Context, id string) (Scenario, error) {
	return s.review(ctx, id, StatusApproved, "")
}

// RejectScenario sends a submitted scenario back to its owner with a
// comment, and records who did.
func (s *Service) RejectScenario(ctx context.Context, id, comment string) (Scenario, error) {
	comment = strings.TrimSpace(comment)
	if comment == "" || len(comment) > MaxNoteLength {
		return Scenario{}, Errorf(EINVALID, "a rejection needs a comment of 1 to %d bytes", MaxNoteLength)
	}
	return s.review(ctx, id, StatusRejected, comment)
}

func (s *Service) review(ctx context.Context, id string, to Status, comment string) (Scenario, error) {
	ss, err := s.scenarios()
	if err != nil {
		return Scenario{}, err
	}
	p := PrincipalFrom(ctx)
	if err := Authorize(p, PermReviewScenario); err != nil {
		return Scenario{}, err
	}
	sc, err := s.findScenario(ctx, ss, id)
	if err != nil {
		return Scenario{}, err
	}
	if sc.Status != StatusSubmitted {
		return Scenario{}, Errorf(EINVALID, "scenario %s is %s; only a submitted scenario is reviewed", id, sc.Status)
	}
	if to == StatusApproved {
		base, err := ss.Snapshot(ctx)
		if err != nil {
			return Scenario{}, err
		}
		if _, err := ApplyChanges(base, sc); err != nil {
			return Scenario{}, err
		}
	}
	version := sc.Version
	now := s.now()
	sc.Status, sc.ReviewedBy, sc.ReviewComment, sc.UpdatedAt = to, p.Subject, comment, now
	action := AuditApprove
	if to == StatusRejected {
		action = AuditReject
	}
	e := s.entry(now, p, action, sc.ID, sc.Name, comment)
	if err := ss.ReviewScenario(ctx, sc, version, e); err != nil {
		return Scenario{}, err
	}
	sc.Version = version + 1
	return sc, nil
}

func (s *Service) entry(at time.Time, p Principal, a AuditAction, target, name, comment string) AuditEntry {
	return AuditEntry{ID: NewID(), At: at, Subject: p.Subject, Role: p.Role, Action: a,
		Target: target, Name: name, Comment: comment}
}

// ApplyScenario makes an approved scenario the baseline, atomically, and
// records when and who did. A scenario is applied once.
func (s *Service) ApplyScenario(ctx context.Context, id string) (Scenario, error) {
	ss, err := s.scenarios()
	if err != nil {
		return Scenario{}, err
	}
	p := PrincipalFrom(ctx)
	if err := Authorize(p, PermApplyScenario); err != nil {
		return Scenario{}, err
	}
	sc, err := s.findScenario(ctx, ss, id)
	if err != nil {
		return Scenario{}, err
	}
	if sc.Status != StatusApproved {
		return Scenario{}, Errorf(EINVALID, "scenario %s is %s; only an approved scenario is applied", id, sc.Status)
	}
	version := sc.Version
	// The new baseline is computed from the one read; the store refuses it
	// if another apply or an import came first (the revision moved), and
	// then it is computed again from the new one, where it must still fit.
	for attempt := 0; ; attempt++ {
		rev := ""
		if r, ok := ss.(Revisioner); ok {
			if rev, err = r.Revision(ctx); err != nil {
				return Scenario{}, err
			}
		}
		base, err := ss.Snapshot(ctx)
		if err != nil {
			return Scenario{}, err
		}
		g, err := ApplyChanges(base, sc)
		if err != nil {
			return Scenario{}, err
		}
		now := s.now()
		applied := sc
		applied.AppliedAt, applied.UpdatedAt, applied.Status = &now, now, StatusApplied
		e := s.entry(now, p, AuditApply, sc.ID, sc.Name, "")
		e.RevisionBefore = rev
		err = ss.ApplyScenario(ctx, g, applied, version, e)
		if ErrorCode(err) == ECONFLICT && rev != "" && attempt < 5 {
			if cur, ferr := ss.FindScenarioByID(ctx, id); ferr == nil && cur.Version == version {
				continue // the baseline moved, not the scenario
			}
		}
		if err != nil {
			return Scenario{}, err
		}
		applied.Version = version + 1
		return applied, nil
	}
}

// Import loads g, an act's graph named name, and records who did: what
// the importOrdinance mutation ends with. An act in force today joins the
// baseline in place of the acts it supersedes; an act that is not (one
// superseded already, or not yet in force) is kept as a document, its
// text read when a day it was in force is asked about.
func (s *Service) Import(ctx context.Context, g *Graph, name string) error {
	ss, err := s.scenarios()
	if err != nil {
		return err
	}
	p := PrincipalFrom(ctx)
	if err := Authorize(p, PermImportOrdinance); err != nil {
		return err
	}
	target := ""
	if len(g.Documents) > 0 {
		target = g.Documents[0].ID
		if g, err = s.PlaceActs(ctx, []*Graph{g}); err != nil {
			return err
		}
	}
	return ss.LoadAudited(ctx, g, s.entry(s.now(), p, AuditImport, target, name, ""))
}

// PlaceActs returns what loading the acts gs (each an act's graph, its
// document first) writes, all at once: the facts of those in force today,
// with the acts they supersede to retire; of the others (superseded
// already, or not yet in force), the documents only.
func (s *Service) PlaceActs(ctx context.Context, gs []*Graph) (*Graph, error) {
	out := &Graph{}
	if s.Acts == nil {
		for _, g := range gs {
			out = Upsert(out, g)
		}
		return out, nil
	}
	docs, err := s.Store.FindDocuments(ctx)
	if err != nil {
		return nil, err
	}
	var acts []*Graph
	for _, g := range gs {
		if len(g.Documents) > 0 && isAct(g.Documents[0]) {
			acts = append(acts, g)
		} else {
			out = Upsert(out, g)
		}
	}
	ps, err := s.periodsOf(ctx, docs, acts)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	for _, g := range acts {
		i := slices.IndexFunc(ps, func(p Period) bool { return p.Document.ID == g.Documents[0].ID })
		if ps[i].InForceOn(today) {
			out = Upsert(out, g)
		} else {
			out = Upsert(out, &Graph{Documents: g.Documents})
		}
	}
	out.Retire = retired(ps, today)
	return out, nil
}

// ImportNotes says what the graph makes of an act just imported: when it
// is in force, and each act it repeals that the graph does not hold.
func (s *Service) ImportNotes(ctx context.Context, id string) ([]Repair, error) {
	ps, err := s.Periods(ctx)
	if err != nil {
		return nil, err
	}
	var out []Repair
	have := map[string]bool{}
	for _, p := range ps {
		have[p.Document.ID] = true
	}
	for _, p := range ps {
		if p.Document.ID != id {
			continue
		}
		switch today := s.Today(); {
		case p.InForceOn(today):
			out = append(out, Repair{Where: "history", Message: fmt.Sprintf("in force since %s: it is the baseline", p.From)})
		case p.From > today:
			out = append(out, Repair{Where: "history", Message: fmt.Sprintf("in force from %s: kept for that day, the baseline is unchanged", p.From)})
		default:
			out = append(out, Repair{Where: "history", Message: fmt.Sprintf("in force %s to %s (superseded by %s): kept for those days, the baseline is unchanged", p.From, p.Until, p.SupersededBy)})
		}
		for _, r := range p.Document.Repeals {
			if !have[r] {
				out = append(out, Repair{Where: "history", Message: fmt.Sprintf("repeals %s, which the graph does not hold: the structure before %s is not known", r, p.From)})
			}
		}
	}
	return out, nil
}

// MaxAuditPage bounds the entries one AuditLog call returns.
const MaxAuditPage = 100

// AuditLog returns at most first entries of the audit log (1 to
// MaxAuditPage), oldest first, after the entry with id after.
func (s *Service) AuditLog(ctx context.Context, first int, after string) ([]AuditEntry, error) {
	ss, err := s.scenarios()
	if err != nil {
		return nil, err
	}
	if err := s.Authorize(ctx, PermReadAuditLog); err != nil {
		return nil, err
	}
	if first < 1 || first > MaxAuditPage {
		return nil, Errorf(EINVALID, "first takes 1 to %d entries", MaxAuditPage)
	}
	return ss.AuditLog(ctx, first, after)
}

// View returns a service that answers as if the scenario were applied. The
// baseline is not touched.
func (s *Service) View(ctx context.Context, id string) (*Service, error) {
	v, err := s.view(ctx, id)
	if err != nil {
		return nil, err
	}
	return &Service{Store: v.store}, nil
}

// scenarioView is a scenario's view: the baseline it was made of, what
// the scenario changes in it, and the store that answers for it.
type scenarioView struct {
	base  Forker
	delta *Delta
	store Store
	// facts names, by the baseline's revision, what is kept of the
	// baseline for comparisons (its overlap index, its reporting lines);
	// empty when the store names no revision.
	facts string
}

func (s *Service) view(ctx context.Context, id string) (*scenarioView, error) {
	ss, err := s.scenarios()
	if err != nil {
		return nil, err
	}
	sc, err := s.findScenario(ctx, ss, id)
	if err != nil {
		return nil, err
	}
	return kept(ctx, s, fmt.Sprintf("scenario %s v%d", sc.ID, sc.Version), func() (*scenarioView, error) {
		facts, _, err := s.viewKey(ctx, "baseline facts") // read before the baseline, as kept does
		if err != nil {
			return nil, err
		}
		base, err := s.Baseline(ctx)
		if err != nil {
			return nil, err
		}
		d, err := ApplyDelta(base, sc)
		if err != nil {
			return nil, err
		}
		return &scenarioView{base: base, delta: d, store: base.Fork(d), facts: facts}, nil
	})
}

// Impact compares the scenario with the baseline.
func (s *Service) Impact(ctx context.Context, id string, rules Rules) (Impact, error) {
	return s.ImpactOf(ctx, id, rules, AllParts())
}

// ImpactOf computes the parts of the scenario's impact that parts selects.
func (s *Service) ImpactOf(ctx context.Context, id string, rules Rules, parts ImpactParts) (Impact, error) {
	if rules.MaxSpan < 0 || rules.MaxDepth < 0 {
		return Impact{}, Errorf(EINVALID, "rule limits must not be negative")
	}
	v, err := s.view(ctx, id)
	if err != nil {
		return Impact{}, err
	}
	before := &Service{Store: v.base}
	overlaps := func() (*overlapBase, error) {
		return keptFact(s, v, "overlaps", func() (*overlapBase, error) { return newOverlapBase(ctx, before) })
	}
	lines := func() (*side, error) {
		return keptFact(s, v, "lines", func() (*side, error) { return loadSide(ctx, before, true) })
	}
	return compareStructures(ctx, before, &Service{Store: v.store}, v.delta, rules, parts, lines, overlaps)
}

// Baseline returns the baseline as scenarios are compared with and made
// of: a store that keeps it in memory hands it out as it is (Freezer);
// another's snapshot is held in memory (Overlay), kept until the baseline's
// revision changes.
func (s *Service) Baseline(ctx context.Context) (Forker, error) {
	ss, err := s.scenarios()
	if err != nil {
		return nil, err
	}
	if f, ok := s.Store.(Freezer); ok {
		return f.Freeze(), nil
	}
	store, err := kept(ctx, s, "baseline", func() (Store, error) {
		base, err := ss.Snapshot(ctx)
		if err != nil {
			return nil, err
		}
		return s.Overlay(ctx, base)
	})
	if err != nil {
		return nil, err
	}
	f, ok := store.(Forker)
	if !ok {
		return nil, Errorf(EINTERNAL, "the store %T that holds the baseline in memory makes no scenario views", store)
	}
	return f, nil
}

// keptFact returns what build makes of the view's baseline, kept with the
// views by the baseline's revision when the store names one.
func keptFact[T any](s *Service, v *scenarioView, what string, build func() (T, error)) (T, error) {
	if v.facts == "" {
		return build()
	}
	x, err := s.cache().get(v.facts+" "+what, func() (any, error) { return build() })
	if err != nil {
		var zero T
		return zero, err
	}
	return x.(T), nil
}

// WarmScenarios builds, for the baseline as it is now, what the first
// scenario question after a change of the baseline would otherwise wait
// for: the baseline held in memory (a snapshot, on a store that does not
// keep it there) and the facts of it that every impact compares against
// (its lines of command, its duties' index of stems), kept with the views
// under the baseline's revision, and has a store that builds a search
// index (SearchIndexer) build it with its maps. WarmScenarios returns that
// revision; "" when the store names none, and then nothing is kept to warm.
func (s *Service) WarmScenarios(ctx context.Context) (string, error) {
	facts, ok, err := s.viewKey(ctx, "baseline facts")
	if err != nil || !ok {
		return "", err
	}
	base, err := s.Baseline(ctx)
	if err != nil {
		return "", err
	}
	v := &scenarioView{base: base, facts: facts}
	before := &Service{Store: base}
	if _, err := keptFact(s, v, "overlaps", func() (*overlapBase, error) { return newOverlapBase(ctx, before) }); err != nil {
		return "", err
	}
	if _, err := keptFact(s, v, "lines", func() (*side, error) { return loadSide(ctx, before, true) }); err != nil {
		return "", err
	}
	if x, ok := base.(SearchIndexer); ok {
		x.IndexSearch()
	}
	return facts, nil
}
