package org

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// maxViews bounds the views a service keeps: a scenario's holds its
// changes; the baseline's, for a store that does not keep it in memory,
// the whole graph.
const maxViews = 8

// views keeps the in-memory graphs that answer questions about scenarios
// (and the baseline they are compared with), by scenario version and
// baseline revision: until either changes, a scenario's view is the same,
// so a read of it costs a revision check instead of a snapshot of the
// baseline and a copy. Without a store that names its revision
// (Revisioner), nothing is kept.
type views struct {
	mu      sync.Mutex
	entries []viewEntry       // most recently used first
	acts    map[string]*Graph // the acts read, by id and text (history.go)
}

// maxActs bounds the acts kept read: more than a City Hall's history.
const maxActs = 4096

// act returns the graph kept under key, or reads it with read and keeps
// it: an act's graph depends on its text alone.
func (v *views) act(key string, read func() (*Graph, error)) (*Graph, error) {
	v.mu.Lock()
	g, ok := v.acts[key]
	v.mu.Unlock()
	if ok {
		return g, nil
	}
	g, err := read()
	if err != nil {
		return nil, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.acts == nil || len(v.acts) >= maxActs {
		v.acts = map[string]*Graph{}
	}
	v.acts[key] = g
	return g, nil
}

type viewEntry struct {
	key   string
	value any
}

// get returns the value kept under key, or makes it with build and keeps it.
func (v *views) get(key string, build func() (any, error)) (any, error) {
	if value, ok := v.lookup(key); ok {
		return value, nil
	}
	value, err := build()
	if err != nil {
		return nil, err
	}
	v.put(key, value)
	return value, nil
}

// lookup returns the value kept under key, marking it the most recently
// used.
func (v *views) lookup(key string) (any, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for i, e := range v.entries {
		if e.key == key {
			copy(v.entries[1:i+1], v.entries[:i])
			v.entries[0] = e
			return e.value, true
		}
	}
	return nil, false
}

// put keeps value under key, the most recently used.
func (v *views) put(key string, value any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.entries = append([]viewEntry{{key, value}}, slices.DeleteFunc(v.entries, func(e viewEntry) bool { return e.key == key })...)
	if len(v.entries) > maxViews {
		v.entries = v.entries[:maxViews]
	}
}

// held returns the value kept under key, without making one.
func (v *views) held(key string) (any, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, e := range v.entries {
		if e.key == key {
			return e.value, true
		}
	}
	return nil, false
}

// holds reports whether some value is kept under a key that begins with prefix.
func (v *views) holds(prefix string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, e := range v.entries {
		if strings.HasPrefix(e.key, prefix) {
			return true
		}
	}
	return false
}

// viewKey names a view: the baseline revision, read before the baseline
// is, so that a view is never kept under a revision newer than its data;
// false when the store names no revision.
func (s *Service) viewKey(ctx context.Context, what string) (string, bool, error) {
	r, ok := s.Store.(Revisioner)
	if !ok {
		return "", false, nil
	}
	rev, err := r.Revision(ctx)
	if err != nil {
		return "", false, err
	}
	return keyAt(what, rev), true, nil
}

// keyAt is the key of what at the baseline revision rev.
func keyAt(what, rev string) string { return fmt.Sprintf("%s@%s", what, rev) }

// kept returns the value keyed by what and the baseline revision, made by
// build when it is not kept.
//
// A view is kept only once the revision, read again after it was made, is
// the one read before: a store that reads the baseline in several
// statements (Neo4j's snapshot, under read committed) may have read part
// of it before a change and part after. Such a view is made again, up to
// keptAttempts times; the last is returned all the same, unkept.
func kept[T any](ctx context.Context, s *Service, what string, build func() (T, error)) (T, error) {
	var zero T
	for attempt := 1; ; attempt++ {
		key, ok, err := s.viewKey(ctx, what)
		if err != nil || !ok {
			if err != nil {
				return zero, err
			}
			return build()
		}
		if v, ok := s.cache().lookup(key); ok {
			return v.(T), nil
		}
		v, err := build()
		if err != nil {
			return zero, err
		}
		after, _, err := s.viewKey(ctx, what)
		if err != nil {
			return zero, err
		}
		if after == key {
			s.cache().put(key, v)
			return v, nil
		}
		if attempt == keptAttempts {
			return v, nil
		}
	}
}

// keptAttempts bounds the views kept tries to make while the baseline changes.
const keptAttempts = 3

// cache is where the service keeps views: its own, or the one it shares
// with the service it was made from (With).
func (s *Service) cache() *views {
	if s.shared != nil {
		return s.shared
	}
	return &s.views
}

// With returns a service over store that shares s's settings and the
// views s keeps: a request's service over its own batching store keeps
// the baseline's and the scenarios' views across requests.
func (s *Service) With(store Store) *Service {
	w := &Service{Store: store, Overlay: s.Overlay, Acts: s.Acts, Clock: s.Clock, shared: s.cache()}
	w.revisions, _ = s.revisioner()
	return w
}

// revisioner names the baseline's revision: the store does, or the store
// of the service this one was made from (With), over the same baseline.
func (s *Service) revisioner() (Revisioner, bool) {
	if s.revisions != nil {
		return s.revisions, true
	}
	r, ok := s.Store.(Revisioner)
	return r, ok
}

// heldBaseline returns the baseline held in memory (Baseline, kept by
// WarmScenarios for each new baseline) if the service holds it already
// and it is of the baseline's revision now; nil otherwise, and for a store
// that keeps the baseline in memory itself (Freezer). It never makes one,
// and it costs a revision check only when one is held.
func (s *Service) heldBaseline(ctx context.Context) (Store, error) {
	if _, ok := s.Store.(Freezer); ok {
		return nil, nil
	}
	r, ok := s.revisioner()
	if !ok || !s.cache().holds(keyAt("baseline", "")) {
		return nil, nil
	}
	rev, err := r.Revision(ctx)
	if err != nil {
		return nil, err
	}
	v, ok := s.cache().held(keyAt("baseline", rev))
	if !ok {
		return nil, nil
	}
	base, _ := v.(Store)
	return base, nil
}
