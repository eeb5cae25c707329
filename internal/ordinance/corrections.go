package ordinance

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"strings"

	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/seed"
)

// Corrections are the manual changes made to the parser's reading of one
// act: what a reader adds by judgement and the text cannot give. Each
// change says why. seed/CORRECTIONS.md explains the shipped ones.
type Corrections struct {
	Document string   `json:"document"` // the act's number, "3468/2024"
	Changes  []Change `json:"changes"`
}

// Change is one correction: ids renamed, then items removed, then items
// added. Remove and Add hold parts of an act in the seed's form; an item
// to remove must be there, an item to add must not, so that a correction
// that no longer fits the parser's output fails loudly.
type Change struct {
	Why    string            `json:"why"`
	Rename map[string]string `json:"rename,omitempty"`
	Remove *seed.File        `json:"remove,omitempty"`
	Add    *seed.File        `json:"add,omitempty"`
}

// ShippedCorrections returns the corrections shipped in seed/corrections/
// for the act with the given number, or nil if there are none.
func ShippedCorrections(doc string) (*Corrections, error) {
	dir := seed.Corrections()
	names, err := fs.Glob(dir, "*.json")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		data, err := fs.ReadFile(dir, name)
		if err != nil {
			return nil, err
		}
		var c Corrections
		if err := json.Unmarshal(data, &c); err != nil {
			return nil, fmt.Errorf("corrections %s: %w", name, err)
		}
		if c.Document == doc {
			return &c, nil
		}
	}
	return nil, nil
}

// Apply makes the changes to the act, in order. It fails (EINVALID) when a
// change does not fit: a correction for another act, an id or item that is
// not there, an item already there.
func (r *Result) Apply(c *Corrections) error {
	f := &r.File
	if c.Document != f.Document.ID {
		return org.Errorf(org.EINVALID, "corrections for %s do not apply to %s", c.Document, f.Document.ID)
	}
	for _, ch := range c.Changes {
		fail := func(format string, args ...any) error {
			return org.Errorf(org.EINVALID, "correction %q of %s: %s", ch.Why, c.Document, fmt.Sprintf(format, args...))
		}
		for _, part := range []*seed.File{ch.Remove, ch.Add} {
			if part != nil && !reflect.DeepEqual(part.Document, seed.DocumentJSON{}) {
				return fail("a change cannot touch the document's metadata")
			}
		}
		if err := rename(f, ch.Rename); err != nil {
			return fail("%v", err)
		}
		if ch.Remove != nil {
			if err := remove(f, ch.Remove); err != nil {
				return fail("%v", err)
			}
		}
		if ch.Add != nil {
			if err := add(f, ch.Add); err != nil {
				return fail("%v", err)
			}
		}
		r.Corrections = append(r.Corrections, ch.Why)
	}
	return nil
}

func rename(f *seed.File, ids map[string]string) error {
	if len(ids) == 0 {
		return nil
	}
	found := map[string]bool{}
	for _, nodes := range [][]seed.NodeJSON{f.Units, f.Positions, f.Entities} {
		for i := range nodes {
			if to, ok := ids[nodes[i].ID]; ok {
				found[nodes[i].ID] = true
				nodes[i].ID = to
			}
		}
	}
	for old := range ids {
		if !found[old] {
			return fmt.Errorf("no node %q to rename", old)
		}
	}
	renamed := func(id string) string {
		if to, ok := ids[id]; ok {
			return to
		}
		return id
	}
	for i := range f.Relations {
		f.Relations[i].From, f.Relations[i].To = renamed(f.Relations[i].From), renamed(f.Relations[i].To)
	}
	for i := range f.Duties {
		f.Duties[i].Unit = renamed(f.Duties[i].Unit)
	}
	return nil
}

// Keys say when two items are the same: a node by id, a relation by its
// kind, ends and provision, a duty by provision, a repair by all of it.
func nodeKey(n seed.NodeJSON) string { return n.ID }
func relationKey(r seed.RelationJSON) string {
	return r.Kind + " " + r.From + ">" + r.To + " @" + r.Provision
}
func dutyKey(d seed.DutyJSON) string     { return d.Provision }
func repairKey(r seed.RepairJSON) string { return r.Where + ": " + r.Message }

func remove(f *seed.File, part *seed.File) error {
	var err error
	f.Units, err = without(f.Units, part.Units, nodeKey, "unit")
	if err != nil {
		return err
	}
	if f.Positions, err = without(f.Positions, part.Positions, nodeKey, "position"); err != nil {
		return err
	}
	if f.Entities, err = without(f.Entities, part.Entities, nodeKey, "entity"); err != nil {
		return err
	}
	if f.Relations, err = without(f.Relations, part.Relations, relationKey, "relation"); err != nil {
		return err
	}
	if f.Duties, err = without(f.Duties, part.Duties, dutyKey, "duty"); err != nil {
		return err
	}
	f.Repairs, err = without(f.Repairs, part.Repairs, repairKey, "warning")
	return err
}

func add(f *seed.File, part *seed.File) error {
	var err error
	if f.Units, err = with(f.Units, part.Units, nodeKey, "unit"); err != nil {
		return err
	}
	if f.Positions, err = with(f.Positions, part.Positions, nodeKey, "position"); err != nil {
		return err
	}
	if f.Entities, err = with(f.Entities, part.Entities, nodeKey, "entity"); err != nil {
		return err
	}
	if f.Relations, err = with(f.Relations, part.Relations, relationKey, "relation"); err != nil {
		return err
	}
	if f.Duties, err = with(f.Duties, part.Duties, dutyKey, "duty"); err != nil {
		return err
	}
	f.Repairs, err = with(f.Repairs, part.Repairs, repairKey, "warning")
	return err
}

// without returns items less the ones removed, each of which must be there.
func without[T any](items, removed []T, key func(T) string, what string) ([]T, error) {
	for _, r := range removed {
		i := slices.IndexFunc(items, func(x T) bool { return key(x) == key(r) })
		if i < 0 {
			return nil, fmt.Errorf("no %s %q to remove", what, key(r))
		}
		items = slices.Delete(items, i, i+1)
	}
	return items, nil
}

// with returns items and the ones added, none of which may be there.
func with[T any](items, added []T, key func(T) string, what string) ([]T, error) {
	for _, a := range added {
		if slices.ContainsFunc(items, func(x T) bool { return key(x) == key(a) }) {
			return nil, fmt.Errorf("the %s %q is already there", what, strings.TrimSpace(key(a)))
		}
		items = append(items, a)
	}
	return items, nil
}
