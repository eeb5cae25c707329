package neo4jstore

import (
	"fmt"
	"testing"
)

// A window is the answer only when it holds every hit the limit asks for
// of its part, or the whole part: the nodes' window decides first, the
// duties' only for the hits the nodes leave.
func TestWindowHits(t *testing.T) {
	items := func(prefix string, n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = map[string]any{"id": fmt.Sprintf("%s%d", prefix, i), "seq": int64(i)}
		}
		return out
	}
	for _, tc := range []struct {
		name                string
		nodes, duties       int
		nodesAll, dutiesAll bool
		limit               int
		ok                  bool
		wantNodes, wantDuty int
	}{
		{"the nodes fill the limit", 10, 0, false, false, 10, true, 10, 0},
		{"too few nodes in a part window", 4, 20, false, true, 10, false, 0, 0},
		{"every node, duties fill the rest", 3, 7, true, false, 10, true, 3, 7},
		{"every node, too few duties in a part window", 3, 5, true, false, 10, false, 0, 0},
		{"every node and every duty", 3, 5, true, true, 10, true, 3, 5},
		{"no hit at all, both whole", 0, 0, true, true, 10, true, 0, 0},
		{"the duties' window holds more than the rest", 6, 10, true, false, 10, true, 6, 4},
	} {
		m := map[string]any{"nodes": items("n", tc.nodes), "duties": items("d", tc.duties), "nodesAll": tc.nodesAll, "dutiesAll": tc.dutiesAll}
		hits, ok := windowHits(m, tc.limit)
		if ok != tc.ok {
			t.Errorf("%s: ok = %v, want %v", tc.name, ok, tc.ok)
			continue
		}
		nodes, duties := 0, 0
		for i, h := range hits {
			switch {
			case h.Node != nil && duties == 0 && h.Node.ID == fmt.Sprintf("n%d", i):
				nodes++
			case h.Duty != nil && h.Duty.ID == fmt.Sprintf("d%d", i-nodes):
				duties++
			default:
				t.Errorf("%s: hit %d is %+v, out of order", tc.name, i, h)
			}
		}
		if ok && (nodes != tc.wantNodes || duties != tc.wantDuty) {
			t.Errorf("%s: %d nodes and %d duties, want %d and %d", tc.name, nodes, duties, tc.wantNodes, tc.wantDuty)
		}
	}
}
