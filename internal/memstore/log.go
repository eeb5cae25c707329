package memstore

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"

	"github.com/orgraph/orgraph/internal/org"
)

// LogFile is the append-only log beside the data file: every write since
// the data file was last written whole, one record each.
//
// A record is framed as
//
//	4 bytes  length of the payload, big-endian
//	4 bytes  CRC-32C (Castagnoli) of the payload, big-endian
//	payload  JSON: {"Seq": n, "Kind": "...", "Data": {...}}
//
// so that a record torn by a crash (short, or with a checksum that does not
// match) is found and dropped at the next Open, never misread. The file is
// written with zeros ahead of the records; a length of zero ends the log. Seq grows by
// one per record; the data file names the last Seq it includes (LogSeq),
// and replay skips records at or below it.
const LogFile = "orgraph.log"

// The kinds of record. A new kind (an audit entry, a review status) needs a
// constant here, a payload type, and a case in (*Store).replay.
const (
	kindScenario       = "scenario"        // Data: org.Scenario, stored whole (created or updated)
	kindAppendChanges  = "scenario.append" // Data: appended: a scenario updated by changes added at its end
	kindDeleteScenario = "scenario.delete" // Data: deleted
)

// record is one entry of the log.
type record struct {
	Seq  int64
	Kind string
	Data json.RawMessage
}

// appended is the payload of a kindAppendChanges record: the scenario as
// stored without its changes, and the changes added after those it held, so
// that adding a change writes the change, not the whole scenario.
type appended struct {
	Scenario org.Scenario
	Changes  []org.Change
}

// deleted is the payload of a kindDeleteScenario record.
type deleted struct {
	ID string
}

const (
	headerSize = 8
	// maxRecord bounds one record's payload, so that a corrupt length is
	// never taken for an allocation of gigabytes. A scenario is capped far
	// below it (org.MaxChangesPerScenario).
	maxRecord = 64 << 20
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// newRecord makes a record of kind with data as its payload; the committer
// sets Seq.
func newRecord(kind string, data any) (record, error) {
	b, err := json.Marshal(data)
	if err != nil {
		return record{}, err
	}
	return record{Kind: kind, Data: b}, nil
}

// appendRecord appends r, framed, to buf.
func appendRecord(buf []byte, r record) ([]byte, error) {
	payload, err := json.Marshal(r)
	if err != nil {
		return buf, err
	}
	if len(payload) > maxRecord {
		return buf, fmt.Errorf("a record of %d bytes is over the %d a record may hold", len(payload), maxRecord)
	}
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(payload)))
	buf = binary.BigEndian.AppendUint32(buf, crc32.Checksum(payload, castagnoli))
	return append(buf, payload...), nil
}

// readRecords reads the records framed in data, in order. It stops at the
// first one that is short or fails its checksum: what a crash mid-append
// leaves. valid is the length of the records before it, where the log is cut
// back to. A record whose checksum matches but that cannot be read, or
// whose Seq does not grow, is an error: the file was damaged, not torn.
func readRecords(data []byte) (recs []record, valid int64, err error) {
	off := 0
	for len(data)-off >= headerSize {
		n := int(binary.BigEndian.Uint32(data[off:]))
		sum := binary.BigEndian.Uint32(data[off+4:])
		if n == 0 || n > maxRecord || len(data)-off-headerSize < n {
			break
		}
		payload := data[off+headerSize : off+headerSize+n]
		if crc32.Checksum(payload, castagnoli) != sum {
			break
		}
		var r record
		if err := json.Unmarshal(payload, &r); err != nil {
			return nil, 0, fmt.Errorf("the record at byte %d: %w", off, err)
		}
		if len(recs) > 0 && r.Seq <= recs[len(recs)-1].Seq {
			return nil, 0, fmt.Errorf("the record at byte %d has seq %d after %d", off, r.Seq, recs[len(recs)-1].Seq)
		}
		recs = append(recs, r)
		off += headerSize + n
	}
	return recs, int64(off), nil
}
