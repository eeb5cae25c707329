package orggen_test

import (
	"reflect"
	"testing"

	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/orggen"
)

func TestGenerateIsValidAndLarge(t *testing.T) {
	g := orggen.Generate(1, 2000)
	if err := org.Validate(g); err != nil {
		t.Fatal(err)
	}
	if got := len(g.Relations); got < 20000 {
		t.Errorf("got %d relations, want at least 20000", got)
	}
	units := 0
	for _, n := range g.Nodes {
		if n.Kind == org.KindUnit {
			units++
		}
	}
	if units != 2000 {
		t.Errorf("got %d units, want 2000", units)
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	if !reflect.DeepEqual(orggen.Generate(7, 50), orggen.Generate(7, 50)) {
		t.Error("two graphs from seed 7 differ")
	}
	if reflect.DeepEqual(orggen.Generate(7, 50), orggen.Generate(8, 50)) {
		t.Error("graphs from seeds 7 and 8 are equal")
	}
}

// Each node reports to at most one node, created before it: a forest.
func TestGenerateReportingIsAForest(t *testing.T) {
	g := orggen.Generate(2, 500)
	seq := map[string]int{}
	for i, n := range g.Nodes {
		seq[n.ID] = i
	}
	superiors := map[string]int{}
	for _, r := range g.Relations {
		if r.Kind != org.ReportsTo {
			continue
		}
		superiors[r.From]++
		if seq[r.To] >= seq[r.From] {
			t.Errorf("%s reports to %s, created after it", r.From, r.To)
		}
	}
	for id, n := range superiors {
		if n > 1 {
			t.Errorf("%s has %d superiors, want 1", id, n)
		}
	}
}
