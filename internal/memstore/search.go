package memstore

import (
	"context"
	"iter"
	"maps"
	"slices"

	"github.com/orgraph/orgraph/internal/org"
)

// Search. Hits come nodes first, then duties, each by Seq, then ID: the
// order of org.HitKey. A store keeps every node's and duty's folded words
// in that order (searchIndex, built on the first search over its maps and
// kept with its pages), so a search reads them in order and stops at its
// limit, rather than matching, copying and sorting every item. A fork reads
// its base's index, less what it changes, merged with its own items.

// searchEntry is one node's or duty's place among the hits and its words.
type searchEntry struct {
	key    org.Cursor
	folded string
}

// searchIndex returns the entries of s's own maps, sorted by key, made the
// first time. The caller holds the store's lock.
func (s *Store) searchIndex() []searchEntry {
	x := s.pages
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.search == nil {
		x.search = s.entriesOf(s.nodes.all(), s.duties.all())
	}
	return x.search
}

// IndexSearch builds the search index of s's maps now, for a store that
// is not a fork (a fork reads its base's).
func (s *Store) IndexSearch() {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.forkOf == nil {
		s.searchIndex()
	}
}

// dutyHitKey is a duty's place among the hits (org.HitKey): after every node.
func dutyHitKey(d org.Duty) org.Cursor { return org.HitKey(org.SearchHit{Duty: &d}) }

// entriesOf makes the sorted entries of nodes and duties.
func (s *Store) entriesOf(nodes iter.Seq2[string, org.Node], duties iter.Seq2[string, org.Duty]) []searchEntry {
	out := []searchEntry{}
	for id, n := range nodes {
		out = append(out, searchEntry{org.NodeKey(n), s.folded.at(id)})
	}
	for id, d := range duties {
		out = append(out, searchEntry{dutyHitKey(d), s.folded.at(id)})
	}
	slices.SortFunc(out, func(a, b searchEntry) int { return a.key.Compare(b.key) })
	return out
}

// searchEntries yields every entry of s in key order. The caller holds the
// store's lock.
func (s *Store) searchEntries() iter.Seq[searchEntry] {
	if s.forkOf == nil {
		return slices.Values(s.searchIndex())
	}
	base := s.forkOf.searchIndex()
	// What the fork changes or removes is left out of its base's entries
	// (by the key the base gives it, in key order); what it holds itself
	// is merged in.
	var shadowed []org.Cursor
	for _, id := range keysOf(s.nodes.own, s.nodes.gone) {
		if n, ok := s.forkOf.nodes.get(id); ok {
			shadowed = append(shadowed, org.NodeKey(n))
		}
	}
	for _, id := range keysOf(s.duties.own, s.duties.gone) {
		if d, ok := s.forkOf.duties.get(id); ok {
			shadowed = append(shadowed, dutyHitKey(d))
		}
	}
	slices.SortFunc(shadowed, org.Cursor.Compare)
	own := s.entriesOf(maps.All(s.nodes.own), maps.All(s.duties.own))
	return func(yield func(searchEntry) bool) {
		i, j := 0, 0
		for _, e := range base {
			for len(shadowed) > j && shadowed[j].Compare(e.key) < 0 {
				j++
			}
			if len(shadowed) > j && shadowed[j] == e.key {
				continue
			}
			for ; i < len(own) && own[i].key.Compare(e.key) < 0; i++ {
				if !yield(own[i]) {
					return
				}
			}
			if !yield(e) {
				return
			}
		}
		for ; i < len(own); i++ {
			if !yield(own[i]) {
				return
			}
		}
	}
}

// keysOf returns the keys of own and gone.
func keysOf[V any](own map[string]V, gone map[string]bool) []string {
	out := make([]string, 0, len(own)+len(gone))
	for k := range own {
		out = append(out, k)
	}
	for k := range gone {
		out = append(out, k)
	}
	return out
}

// hit looks up the node or duty of an entry's key.
func (s *Store) hit(k org.Cursor) org.SearchHit {
	if k.Rank == 0 {
		n := s.nodes.at(k.ID)
		return org.SearchHit{Node: &n}
	}
	d := s.duties.at(k.ID)
	return org.SearchHit{Duty: &d}
}

// Search matches every term of q against the start of the words of node
// names and duty texts: the first limit hits (every hit when limit ≤ 0).
func (s *Store) Search(ctx context.Context, q string, limit int) ([]org.SearchHit, error) {
	terms := org.Terms(q)
	if len(terms) == 0 {
		return nil, org.Errorf(org.EINVALID, "the search %q has no word to look for", q)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []org.SearchHit
	for e := range s.searchEntries() {
		if org.MatchesTerms(e.folded, terms) {
			out = append(out, s.hit(e.key))
			if limit > 0 && len(out) == limit {
				break
			}
		}
	}
	return out, nil
}

// PageSearch pages every hit of Search(q): every entry is matched, to
// count the hits, and only the page's are looked up.
func (s *Store) PageSearch(ctx context.Context, q string, p org.PageArgs) (org.Page[org.SearchHit], error) {
	terms := org.Terms(q)
	if len(terms) == 0 {
		return org.Page[org.SearchHit]{}, org.Errorf(org.EINVALID, "the search %q has no word to look for", q)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out org.Page[org.SearchHit]
	for e := range s.searchEntries() {
		if !org.MatchesTerms(e.folded, terms) {
			continue
		}
		out.Total++
		switch {
		case p.After != nil && e.key.Compare(*p.After) <= 0:
			out.HasPrevious = true
		case len(out.Items) < p.First:
			out.Items = append(out.Items, s.hit(e.key))
		default:
			out.HasNext = true
		}
	}
	if out.Items == nil {
		out.Items = []org.SearchHit{}
	}
	return out, nil
}
