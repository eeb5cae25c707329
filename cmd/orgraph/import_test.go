package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/seed"
)

const (
	seedTextPath = "../../seed/zarzadzenie-3468-2024-ks.txt"
	poPath       = "../../internal/ordinance/testdata/zarzadzenie-412-2025-po.txt"
	spPath       = "../../internal/ordinance/testdata/zarzadzenie-1207-2025-sp.txt"
)

// importJSON runs `orgraph import --format json` and decodes the stream.
func importJSON(t *testing.T, args ...string) []importedAct {
	t.Helper()
	var out, errs bytes.Buffer
	if err := runImport(context.Background(), append([]string{"--format", "json"}, args...), config{}, &out, &errs); err != nil {
		t.Fatalf("import: %v\n%s", err, errs.String())
	}
	var acts []importedAct
	dec := json.NewDecoder(&out)
	for {
		var a importedAct
		if err := dec.Decode(&a); errors.Is(err, io.EOF) {
			return acts
		} else if err != nil {
			t.Fatal(err)
		}
		acts = append(acts, a)
	}
}

// asSet turns items into sorted JSON strings, to compare lists whose order
// does not matter.
func asSet[T any](t *testing.T, items []T) []string {
	t.Helper()
	var out []string
	for _, it := range items {
		b, err := json.Marshal(it)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	slices.Sort(out)
	return out
}

func TestImportOfTheSeedTextPrintsTheShippedSeed(t *testing.T) {
	acts := importJSON(t, seedTextPath)
	if len(acts) != 1 {
		t.Fatalf("got %d acts, want 1", len(acts))
	}
	got := acts[0]
	data, err := seed.Text("ks-3468-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	var want seed.File
	if err := json.Unmarshal([]byte(data), &want); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		got, want []string
	}{
		{"the document", asSet(t, []seed.DocumentJSON{got.Document}), asSet(t, []seed.DocumentJSON{want.Document})},
		{"the units", asSet(t, got.Units), asSet(t, want.Units)},
		{"the positions", asSet(t, got.Positions), asSet(t, want.Positions)},
		{"the entities", asSet(t, got.Entities), asSet(t, want.Entities)},
		{"the relations", asSet(t, got.Relations), asSet(t, want.Relations)},
		{"the duties", asSet(t, got.Duties), asSet(t, want.Duties)},
		{"the warnings are the seed's repairs", asSet(t, got.Warnings), asSet(t, want.Repairs)},
	} {
		t.Run(tc.name+" are the seed's", func(t *testing.T) {
			if !slices.Equal(tc.got, tc.want) {
				t.Errorf("got %d items, want %d; first difference: %s", len(tc.got), len(tc.want), firstDifference(tc.got, tc.want))
			}
		})
	}
	t.Run("the applied corrections are named", func(t *testing.T) {
		if len(got.Corrections) == 0 {
			t.Error("got no corrections, want the shipped ones")
		}
	})
}

func firstDifference(got, want []string) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return "got " + got[i] + ", want " + want[i]
		}
	}
	return "one list is longer"
}

func TestImportOfAFixturePrintsItsUnitsLinesAndWarnings(t *testing.T) {
	acts := importJSON(t, poPath, spPath)
	t.Run("one object per file, in order", func(t *testing.T) {
		var got []string
		for _, a := range acts {
			got = append(got, a.Document.ID)
		}
		if want := []string{"412/2025", "1207/2025"}; !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	po := acts[0]
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"PO-01-1 is a unit with its code and name", slices.ContainsFunc(po.Units, func(u seed.NodeJSON) bool {
			return u.Code == "PO-01-1" && u.Name == "Zespół Wymiaru Podatku od Osób Fizycznych"
		})},
		{"PO-01-1 is part of PO-01", slices.ContainsFunc(po.Relations, func(r seed.RelationJSON) bool {
			return r.Kind == "PART_OF" && r.From == "PO-01-1" && r.To == "PO-01"
		})},
		{"the Treasurer supervises PO by § 1 ust. 3", slices.ContainsFunc(po.Relations, func(r seed.RelationJSON) bool {
			return r.Kind == "SUPERVISES" && r.From == "skarbnik-miasta" && r.To == "PO" && r.Provision == "§ 1 ust. 3"
		})},
		{"the unknown partner of § 7 pkt 2 is a warning", slices.ContainsFunc(po.Warnings, func(w seed.RepairJSON) bool {
			return w.Where == "§ 7 pkt 2" && strings.Contains(w.Message, "Wydziałem Budżetu Miasta")
		})},
		{"no correction is shipped for PO", len(po.Corrections) == 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.ok {
				t.Errorf("got %+v", po)
			}
		})
	}
}

func TestImportIntoTheEmbeddedStoreKeepsTheActsAfterARestart(t *testing.T) {
	dir := t.TempDir()
	cfg := config{DataDir: dir}
	var out, errs bytes.Buffer
	if err := runImport(context.Background(), []string{poPath}, cfg, &out, &errs); err != nil {
		t.Fatalf("import: %v", err)
	}
	for _, want := range []string{
		"412/2025 (zarzadzenie-412-2025-po.txt): 7 units, 5 positions, 1 entities, 24 duties, 57 relations, 2 warnings, 0 corrections\n",
		"imported 1 act(s) into the embedded store's data directory " + dir + ": 7 units, 5 positions, 1 entities, 24 duties, 57 relations, 2 warnings\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("got %s, want a line with %q", out.String(), want)
		}
	}
	// What the next start serves: the seed's department and the act, with
	// the import in the audit log; importing it again changes nothing.
	units := func() (map[string]bool, int) {
		t.Helper()
		s, err := memstore.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		g, err := s.Snapshot(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		codes := map[string]bool{}
		for _, n := range g.Nodes {
			if n.Kind == org.KindUnit {
				codes[n.Code] = true
			}
		}
		log, err := s.AuditLog(context.Background(), 100, "")
		if err != nil {
			t.Fatal(err)
		}
		return codes, len(log)
	}
	codes, entries := units()
	seedGraph, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{} // the seed's units and the act's, one node for a unit both name
	for _, n := range seedGraph.Nodes {
		if n.Kind == org.KindUnit {
			want[n.Code] = true
		}
	}
	for _, u := range importJSON(t, poPath)[0].Units {
		want[u.Code] = true
	}
	for code := range want {
		if !codes[code] {
			t.Errorf("%s is not in the data directory after the import", code)
		}
	}
	if len(codes) != len(want) || entries != 1 {
		t.Errorf("%d units and %d audit entries after the import, want %d and 1", len(codes), entries, len(want))
	}
	if err := runImport(context.Background(), []string{poPath}, cfg, io.Discard, io.Discard); err != nil {
		t.Fatalf("import again: %v", err)
	}
	if again, _ := units(); len(again) != len(codes) {
		t.Errorf("importing the act again: %d units, want %d", len(again), len(codes))
	}

	// While another process (a server) holds the directory: refused, and
	// nothing written.
	held, err := memstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = runImport(context.Background(), []string{spPath}, cfg, io.Discard, io.Discard)
	held.Close()
	if err == nil || !strings.Contains(err.Error(), "in use by another orgraph process") {
		t.Fatalf("import into a held directory: %v, want a refusal naming it", err)
	}
	if after, n := units(); len(after) != len(codes) || n != 2 {
		t.Errorf("the refused import wrote: %d units, %d entries; want %d, 2", len(after), n, len(codes))
	}
}

func TestImportRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	letter := filepath.Join(dir, "letter.txt")
	if err := os.WriteFile(letter, []byte("Szanowni Państwo,\nw nawiązaniu do pisma …\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no file", nil, "name at least one file"},
		{"a file that is not there", []string{filepath.Join(dir, "missing.txt")}, "no such file"},
		{"a text that is not an ordinance", []string{letter}, "not an organisational ordinance"},
		{"an unknown format", []string{"--format", "xml", seedTextPath}, "unknown --format"},
		{"a bad act among good ones loads nothing", []string{seedTextPath, letter}, "letter.txt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := runImport(context.Background(), tc.args, config{}, &out, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
			if out.Len() != 0 {
				t.Errorf("got output %q, want none", out.String())
			}
		})
	}
}
