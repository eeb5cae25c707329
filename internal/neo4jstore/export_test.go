package neo4jstore

// Rehearsals is how many statements s's warm-ups have rehearsed.
func Rehearsals(s *Store) int64 { return s.rehearsals.Load() }
