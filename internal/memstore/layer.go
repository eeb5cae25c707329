package memstore

import "iter"

// layer is one of the store's maps, which a scenario's view shares with
// the baseline: a read looks in own first, then, unless the key is gone,
// in base. The baseline's layers have no base, and are never changed in
// place once built (a write builds new ones), so that the views forked
// from them stay as they were.
type layer[V any] struct {
	base map[string]V
	own  map[string]V
	gone map[string]bool
}

func newLayer[V any]() layer[V] { return layer[V]{own: map[string]V{}} }

// fork returns a layer over l that starts empty: what is set in it does
// not reach l.
func (l *layer[V]) fork() layer[V] {
	if l.base != nil {
		panic("memstore: a fork of a fork")
	}
	return layer[V]{base: l.own, own: map[string]V{}, gone: map[string]bool{}}
}

func (l *layer[V]) get(k string) (V, bool) {
	if v, ok := l.own[k]; ok {
		return v, true
	}
	if l.gone[k] {
		var zero V
		return zero, false
	}
	v, ok := l.base[k]
	return v, ok
}

// at is get without the ok: the zero value for a missing key.
func (l *layer[V]) at(k string) V {
	v, _ := l.get(k)
	return v
}

func (l *layer[V]) set(k string, v V) {
	l.own[k] = v
	delete(l.gone, k)
}

func (l *layer[V]) del(k string) {
	delete(l.own, k)
	if l.base != nil {
		l.gone[k] = true
	}
}

// all yields every key and value, in no particular order.
func (l *layer[V]) all() iter.Seq2[string, V] {
	return func(yield func(string, V) bool) {
		for k, v := range l.base {
			if _, shadowed := l.own[k]; shadowed || l.gone[k] {
				continue
			}
			if !yield(k, v) {
				return
			}
		}
		for k, v := range l.own {
			if !yield(k, v) {
				return
			}
		}
	}
}

// empty reports whether the layer holds no key.
func (l *layer[V]) empty() bool {
	for range l.all() {
		return false
	}
	return true
}
