package orggen

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/orgraph/orgraph/internal/org"
)

// Changes returns n changes to g that org.ApplyChanges accepts, one after
// another: moves, renames, duty reassignments, cooperation, merges,
// splits, new units and removals, drawn at random from seed. They are what
// a planner's large scenario looks like, for benchmarks and differential
// tests. g is not modified.
func Changes(seed int64, g *org.Graph, n int) []org.Change {
	c := newChanger(seed, g)
	var out []org.Change
	for tries := 0; len(out) < n && tries < 50*n; tries++ {
		if ch, ok := c.next(len(out)); ok {
			out = append(out, ch)
		}
	}
	return out
}

// changer tracks what the changes so far made of the reporting lines and
// the duties, so that each change it draws fits.
type changer struct {
	rnd    *rand.Rand
	kind   map[string]org.NodeKind
	parent map[string]string   // node → its superior
	alive  []string            // units and positions, in the order first seen
	gone   map[string]bool     // removed or merged away
	duties map[string][]string // unit → its movable duties (items, not common)
	owner  map[string]string   // movable duty → its unit
}

func newChanger(seed int64, g *org.Graph) *changer {
	c := &changer{
		rnd: rand.New(rand.NewPCG(uint64(seed), 0x636867)), kind: map[string]org.NodeKind{},
		parent: map[string]string{}, gone: map[string]bool{}, duties: map[string][]string{}, owner: map[string]string{},
	}
	for _, n := range g.Nodes {
		c.kind[n.ID] = n.Kind
		if n.Kind != org.KindEntity {
			c.alive = append(c.alive, n.ID)
		}
	}
	for _, r := range g.Relations {
		if r.Kind == org.ReportsTo && c.parent[r.From] == "" {
			c.parent[r.From] = r.To
		}
	}
	for _, d := range g.Duties {
		if !d.Common && d.Parent == "" {
			c.duties[d.Unit] = append(c.duties[d.Unit], d.ID)
			c.owner[d.ID] = d.Unit
		}
	}
	return c
}

// pick returns a node still there, of the given kind (any when empty).
func (c *changer) pick(kind org.NodeKind) (string, bool) {
	for range 20 {
		id := c.alive[c.rnd.IntN(len(c.alive))]
		if !c.gone[id] && (kind == "" || c.kind[id] == kind) {
			return id, true
		}
	}
	return "", false
}

// above reports whether walking up from id passes top.
func (c *changer) above(top, id string) bool {
	seen := map[string]bool{}
	for at := id; at != "" && !seen[at]; at = c.parent[at] {
		if at == top {
			return true
		}
		seen[at] = true
	}
	return false
}

func (c *changer) hasChildren(id string) bool {
	for child, p := range c.parent {
		if p == id && !c.gone[child] {
			return true
		}
	}
	return false
}

func (c *changer) giveDuty(d, to string) {
	from := c.owner[d]
	c.duties[from] = slices.DeleteFunc(c.duties[from], func(x string) bool { return x == d })
	c.duties[to] = append(c.duties[to], d)
	c.owner[d] = to
}

func (c *changer) next(k int) (org.Change, bool) {
	note := fmt.Sprintf("zmiana %d", k+1)
	switch r := c.rnd.IntN(100); {
	case r < 30: // move
		u, ok1 := c.pick(org.KindUnit)
		v, ok2 := c.pick("")
		if !ok1 || !ok2 || u == v || c.above(u, v) {
			return org.Change{}, false
		}
		c.parent[u] = v
		return org.Change{Kind: org.ChangeMove, Node: u, Under: v, Note: note}, true
	case r < 40: // rename
		u, ok := c.pick("")
		if !ok {
			return org.Change{}, false
		}
		return org.Change{Kind: org.ChangeRename, Node: u, Name: fmt.Sprintf("Referat po zmianie %d", k+1)}, true
	case r < 60: // reassign a duty
		u, ok := c.pick(org.KindUnit)
		v, ok2 := c.pick(org.KindUnit)
		if !ok || !ok2 || u == v || len(c.duties[u]) == 0 {
			return org.Change{}, false
		}
		d := c.duties[u][c.rnd.IntN(len(c.duties[u]))]
		c.giveDuty(d, v)
		return org.Change{Kind: org.ChangeReassignDuty, Duty: d, To: v, Note: note}, true
	case r < 75: // add a cooperation
		u, ok := c.pick(org.KindUnit)
		v, ok2 := c.pick(org.KindUnit)
		if !ok || !ok2 || u == v {
			return org.Change{}, false
		}
		return org.Change{Kind: org.ChangeAddCooperation, From: u, To: v, Scope: "w zakresie zmiany", Note: note}, true
	case r < 83: // merge
		u, ok := c.pick(org.KindUnit)
		v, ok2 := c.pick(org.KindUnit)
		if !ok || !ok2 || u == v || (c.above(u, v) && c.parent[v] != u) || c.parent[u] == "" {
			return org.Change{}, false
		}
		if c.parent[v] == u {
			c.parent[v] = c.parent[u]
		}
		for child, p := range c.parent {
			if p == u && child != v {
				c.parent[child] = v
			}
		}
		for _, d := range slices.Clone(c.duties[u]) {
			c.giveDuty(d, v)
		}
		c.gone[u] = true
		return org.Change{Kind: org.ChangeMerge, Node: u, Into: v, Note: note}, true
	case r < 90: // split
		u, ok := c.pick(org.KindUnit)
		if !ok || len(c.duties[u]) < 2 {
			return org.Change{}, false
		}
		id := fmt.Sprintf("split-%d", k+1)
		d := c.duties[u][0]
		c.kind[id], c.parent[id] = org.KindUnit, c.parent[u]
		c.alive = append(c.alive, id)
		c.giveDuty(d, id)
		return org.Change{Kind: org.ChangeSplit, Node: u, NewNode: id, Name: "Referat wydzielony " + id, Duties: []string{d}, Note: note}, true
	case r < 95: // create
		v, ok := c.pick("")
		if !ok {
			return org.Change{}, false
		}
		id := fmt.Sprintf("new-%d", k+1)
		c.kind[id], c.parent[id] = org.KindUnit, v
		c.alive = append(c.alive, id)
		return org.Change{Kind: org.ChangeCreate, NewNode: id, NodeKind: org.KindUnit, Name: "Referat nowy " + id,
			Code: fmt.Sprintf("NEW-%d", k+1), Under: v, Note: note}, true
	default: // remove a unit no one reports to
		u, ok := c.pick(org.KindUnit)
		if !ok || c.parent[u] == "" || c.hasChildren(u) {
			return org.Change{}, false
		}
		c.gone[u] = true
		return org.Change{Kind: org.ChangeRemove, Node: u, Note: note}, true
	}
}
