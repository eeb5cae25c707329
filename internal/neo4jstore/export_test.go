package neo4jstore

// Rehearsals is how many statements s's warm-ups have rehearsed.
func Rehearsals(s *Store) int64 { return s.rehearsals.Load() }

// SearchQueries are the statements of Search and PageSearch.
var SearchQueries = map[string]string{"search": searchQuery, "page search": pageSearchQuery}

// WindowSearchQuery is the statement of a search's window.
const WindowSearchQuery = windowSearchQuery

// Needle is the term a search finds its candidates by.
var Needle = needle
