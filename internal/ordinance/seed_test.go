package ordinance_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/orgraph/orgraph/internal/ordinance"
	"github.com/orgraph/orgraph/seed"
)

var update = flag.Bool("update", false, "rewrite seed/ks-3468-2024.json as the importer reads the text, keeping the file's order")

const (
	seedText = "zarzadzenie-3468-2024-ks.txt"
	seedJSON = "ks-3468-2024.json"
)

// shipped returns the seed as shipped.
func shipped(t *testing.T) seed.File {
	t.Helper()
	data, err := seed.Text(seedJSON)
	if err != nil {
		t.Fatal(err)
	}
	var f seed.File
	if err := json.Unmarshal([]byte(data), &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// imported returns the importer's reading of the seed's text, with the
// shipped corrections applied.
func imported(t *testing.T) *ordinance.Result {
	t.Helper()
	text, err := seed.Text(seedText)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ordinance.Import(seedText, text)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return r
}

// TestTheShippedSeedIsTheImportersOutput is the importer's contract with
// the seed: the text, read and corrected, is the seed. Nodes, relations and
// repairs are compared as sets, duties in order.
func TestTheShippedSeedIsTheImportersOutput(t *testing.T) {
	got, want := imported(t).File, shipped(t)
	if *update {
		got = keepOrder(got, want)
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(got); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("../../seed/"+seedJSON, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		want = got
	}
	t.Run("the document's metadata is read from the text", func(t *testing.T) {
		if !reflect.DeepEqual(got.Document, want.Document) {
			t.Errorf("got %+v, want %+v", got.Document, want.Document)
		}
	})
	for _, tc := range []struct {
		name      string
		got, want []string
	}{
		{"the units are the seed's", keys(got.Units), keys(want.Units)},
		{"the positions are the seed's", keys(got.Positions), keys(want.Positions)},
		{"the entities are the seed's", keys(got.Entities), keys(want.Entities)},
		{"the relations are the seed's", keys(got.Relations), keys(want.Relations)},
		{"the repairs are the seed's", keys(got.Repairs), keys(want.Repairs)},
	} {
		t.Run(tc.name, func(t *testing.T) { diffSets(t, tc.got, tc.want) })
	}
	t.Run("the duties are the seed's, in order", func(t *testing.T) {
		g, w := keys(got.Duties), keys(want.Duties)
		if !slices.Equal(g, w) {
			diffSets(t, g, w)
			if len(g) == len(w) {
				t.Errorf("same duties in another order")
			}
		}
	})
}

// keys turns items into their JSON, one string each, for comparison.
func keys[T any](items []T) []string {
	var out []string
	for _, it := range items {
		b, _ := json.Marshal(it)
		out = append(out, string(b))
	}
	return out
}

func diffSets(t *testing.T, got, want []string) {
	t.Helper()
	count := map[string]int{}
	for _, w := range want {
		count[w]++
	}
	for _, g := range got {
		count[g]--
	}
	for _, w := range want {
		if count[w] > 0 {
			t.Errorf("missing %s", w)
			count[w]--
		}
	}
	for _, g := range got {
		if count[g] < 0 {
			t.Errorf("unexpected %s", g)
			count[g]++
		}
	}
}

// keepOrder orders got's lists like want's, new items last, so that
// -update leaves the seed's order alone (it sets the Seq of every node).
func keepOrder(got, want seed.File) seed.File {
	got.Units = orderLike(got.Units, want.Units)
	got.Positions = orderLike(got.Positions, want.Positions)
	got.Entities = orderLike(got.Entities, want.Entities)
	got.Relations = orderLike(got.Relations, want.Relations)
	got.Repairs = orderLike(got.Repairs, want.Repairs)
	return got
}

func orderLike[T any](got, want []T) []T {
	rank := map[string]int{}
	for i, w := range keys(want) {
		rank[w] = i
	}
	k := keys(got)
	idx := make([]int, len(got))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		ra, oka := rank[k[a]]
		rb, okb := rank[k[b]]
		switch {
		case oka && okb:
			return ra - rb
		case oka:
			return -1
		case okb:
			return 1
		}
		return 0
	})
	out := make([]T, len(got))
	for i, j := range idx {
		out[i] = got[j]
	}
	return out
}
