package memstore

import (
	"encoding/binary"
	"hash/crc32"
)

// What the tests of package memstore_test reach inside for.

// SetCompactAt makes s fold its log into the data file once the log holds
// n bytes (and twice the data file's size); call it before writing.
func SetCompactAt(s *Store, n int64) { s.log.compactAt = n }

// Compact folds s's log into its data file now, as the committer does when
// the log grows.
func Compact(s *Store) error {
	s.writing.RLock()
	defer s.writing.RUnlock()
	return s.write(record{}, s.current, func() {})
}

// RecordEnds returns where each whole record of a log ends.
func RecordEnds(log []byte) ([]int64, error) {
	recs, _, err := readRecords(log)
	if err != nil {
		return nil, err
	}
	ends := make([]int64, len(recs))
	var off int64
	for i := range recs {
		off += headerSize + int64(binary.BigEndian.Uint32(log[off:]))
		ends[i] = off
	}
	return ends, nil
}

// Frame frames a record's payload as the log does.
func Frame(payload []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(payload)))
	b = binary.BigEndian.AppendUint32(b, crc32.Checksum(payload, castagnoli))
	return append(b, payload...)
}

// BreakLog closes s's log file under it, so that every write to it fails;
// call it while no write is under way.
func BreakLog(s *Store) error {
	s.writing.Lock()
	defer s.writing.Unlock()
	return s.log.f.Close()
}

// PagedLists is how many lists s's page index keeps.
func PagedLists(s *Store) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.pages.mu.Lock()
	defer s.pages.mu.Unlock()
	return len(s.pages.keys)
}

// SearchIndexed reports whether s's maps have their search index built.
func SearchIndexed(s *Store) bool {
	s.pages.mu.Lock()
	defer s.pages.mu.Unlock()
	return s.pages.search != nil
}
