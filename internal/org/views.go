package org

import (
	"context"
	"fmt"
	"sync"
)

// maxViews bounds the scenario views a service keeps: each holds a whole
// graph in memory.
const maxViews = 8

// views keeps the in-memory graphs that answer questions about scenarios
// (and the baseline they are compared with), by scenario version and
// baseline revision: until either changes, a scenario's view is the same,
// so a read of it costs a revision check instead of a snapshot of the
// baseline and a copy. Without a store that names its revision
// (Revisioner), nothing is kept.
type views struct {
	mu      sync.Mutex
	entries []viewEntry // most recently used first
}

type viewEntry struct {
	key   string
	store Store
}

// get returns the store kept under key, or makes it with build and keeps it.
func (v *views) get(key string, build func() (Store, error)) (Store, error) {
	v.mu.Lock()
	for i, e := range v.entries {
		if e.key == key {
			copy(v.entries[1:i+1], v.entries[:i])
			v.entries[0] = e
			v.mu.Unlock()
			return e.store, nil
		}
	}
	v.mu.Unlock()
	store, err := build()
	if err != nil {
		return nil, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.entries = append([]viewEntry{{key, store}}, v.entries...)
	if len(v.entries) > maxViews {
		v.entries = v.entries[:maxViews]
	}
	return store, nil
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
	return fmt.Sprintf("%s@%s", what, rev), true, nil
}

// kept returns the view keyed by what and the baseline revision, made by
// build when it is not kept.
func (s *Service) kept(ctx context.Context, what string, build func() (Store, error)) (Store, error) {
	key, ok, err := s.viewKey(ctx, what)
	if err != nil {
		return nil, err
	}
	if !ok {
		return build()
	}
	return s.views.get(key, build)
}
