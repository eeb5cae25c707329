package server_test

import (
	"fmt"
	"slices"
	"testing"
)

type chartAnswer struct {
	OrgChart struct {
		Nodes []struct {
			ID        string  `json:"id"`
			ParentID  *string `json:"parentId"`
			Pid       *string `json:"pid"`
			Parent    *string `json:"parent"`
			Container bool    `json:"container"`
		} `json:"nodes"`
		Links []struct {
			Kind string `json:"kind"`
		} `json:"links"`
		Connections []struct {
			ID         string  `json:"id"`
			From       string  `json:"from"`
			To         string  `json:"to"`
			Source     string  `json:"source"`
			Target     string  `json:"target"`
			Kind       string  `json:"kind"`
			Strength   *string `json:"strength"`
			Mutual     bool    `json:"mutual"`
			Label      string  `json:"label"`
			Provisions []struct {
				Provision string `json:"provision"`
				Basis     string `json:"basis"`
			} `json:"provisions"`
			Links []struct {
				Kind string `json:"kind"`
			} `json:"links"`
		} `json:"connections"`
	} `json:"orgChart"`
}

const chartFields = `nodes { id parentId pid parent container }
	links { kind }
	connections { id from to source target kind strength mutual label provisions { provision basis } links { kind } }`

func chart(t *testing.T, args string) chartAnswer {
	t.Helper()
	var a chartAnswer
	post(t, MustOpenHandler(t), fmt.Sprintf("{ orgChart%s { %s } }", args, chartFields), nil, &a)
	return a
}

func count[T any](xs []T, kind func(T) string) map[string]int {
	out := map[string]int{}
	for _, x := range xs {
		out[kind(x)]++
	}
	return out
}

// TestOrgChartForChartLibraries holds orgChart to the shapes d3-org-chart,
// Cytoscape.js and BALKAN OrgChart read as they come, with the counts the
// ordinance gives: 42 declarations of cooperation over 21 pairs of units
// (each pair declares it from both ends), 52 grants of tasking over 35
// pairs.
func TestOrgChartForChartLibraries(t *testing.T) {
	for _, tc := range []struct {
		name, args         string
		nodes              int
		links, connections map[string]int
		containers         []string
	}{
		{name: "the default", nodes: 14,
			links:       map[string]int{"COOPERATES_WITH": 42, "MAY_TASK": 52},
			connections: map[string]int{"COOPERATES_WITH": 21, "MAY_TASK": 35}},
		{name: "with containers", args: "(containers: true)", nodes: 16, containers: []string{"departament", "KS"},
			links:       map[string]int{"COOPERATES_WITH": 42, "MAY_TASK": 52},
			connections: map[string]int{"COOPERATES_WITH": 21, "MAY_TASK": 35}},
		{name: "close cooperation", args: "(kinds: [COOPERATES_WITH], strength: CLOSE)", nodes: 14,
			links: map[string]int{"COOPERATES_WITH": 36}, connections: map[string]int{"COOPERATES_WITH": 21}},
		{name: "plain cooperation", args: "(kinds: [COOPERATES_WITH], strength: PLAIN)", nodes: 14,
			links: map[string]int{"COOPERATES_WITH": 6}, connections: map[string]int{"COOPERATES_WITH": 6}},
		{name: "tasking only", args: "(kinds: [MAY_TASK])", nodes: 14,
			links: map[string]int{"MAY_TASK": 52}, connections: map[string]int{"MAY_TASK": 35}},
		// The tree itself as edges, for Cytoscape: 13 edges for 14 boxes.
		{name: "the tree as edges", args: "(kinds: [REPORTS_TO, HEADS])", nodes: 14,
			links: map[string]int{"REPORTS_TO": 12, "HEADS": 1}, connections: map[string]int{"REPORTS_TO": 12, "HEADS": 1}},
		{name: "under the Director, one level", args: `(root: "dyrektor-wydzialu", depth: 1)`, nodes: 5,
			links: map[string]int{"COOPERATES_WITH": 2, "MAY_TASK": 9}, connections: map[string]int{"COOPERATES_WITH": 1, "MAY_TASK": 6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := chart(t, tc.args).OrgChart
			if len(c.Nodes) != tc.nodes {
				t.Errorf("%d nodes, want %d", len(c.Nodes), tc.nodes)
			}
			ids := map[string]bool{}
			var roots, containers []string
			for _, n := range c.Nodes {
				ids[n.ID] = true
				if n.ParentID == nil {
					roots = append(roots, n.ID)
				}
				if n.Container {
					containers = append(containers, n.ID)
				}
			}
			if len(roots) != 1 {
				t.Errorf("roots (parentId null) %v, want one", roots)
			}
			if !slices.Equal(containers, tc.containers) {
				t.Errorf("containers %v, want %v", containers, tc.containers)
			}
			for _, n := range c.Nodes {
				if n.ParentID != nil && !ids[*n.ParentID] {
					t.Errorf("%s: parentId %q is no node of the chart", n.ID, *n.ParentID)
				}
				if (n.ParentID == nil) != (n.Pid == nil) || (n.Pid != nil && *n.Pid != *n.ParentID) {
					t.Errorf("%s: pid %v differs from parentId %v", n.ID, n.Pid, n.ParentID)
				}
				if n.Parent != nil && !ids[*n.Parent] {
					t.Errorf("%s: parent (container) %q is no node of the chart", n.ID, *n.Parent)
				}
			}
			if got := count(c.Links, func(l struct {
				Kind string `json:"kind"`
			}) string {
				return l.Kind
			}); fmt.Sprint(got) != fmt.Sprint(tc.links) {
				t.Errorf("links by kind %v, want %v", got, tc.links)
			}
			conns := map[string]int{}
			seen := map[string]bool{}
			perProvision := 0
			for _, l := range c.Connections {
				conns[l.Kind]++
				if seen[l.ID] {
					t.Errorf("connection id %s twice", l.ID)
				}
				seen[l.ID] = true
				if !ids[l.Source] || !ids[l.Target] || l.Source != l.From || l.Target != l.To {
					t.Errorf("%s: source %q, target %q, from %q, to %q: want node ids, source = from, target = to", l.ID, l.Source, l.Target, l.From, l.To)
				}
				if len(l.Provisions) == 0 || len(l.Links) == 0 || l.Label == "" {
					t.Errorf("%s: %d provisions, %d links, label %q", l.ID, len(l.Provisions), len(l.Links), l.Label)
				}
				perProvision += len(l.Links)
			}
			if fmt.Sprint(conns) != fmt.Sprint(tc.connections) {
				t.Errorf("connections by kind %v, want %v", conns, tc.connections)
			}
			if perProvision != len(c.Links) {
				t.Errorf("connections carry %d links, the chart has %d", perProvision, len(c.Links))
			}
		})
	}
}

func TestOrgChartConnectionsCarryEveryProvision(t *testing.T) {
	c := chart(t, "").OrgChart
	byID := map[string]int{}
	for i, l := range c.Connections {
		byID[l.ID] = i
	}
	for _, want := range []struct {
		id, strength, label string
		mutual              bool
	}{
		// KS-03 and KS-07 declare close cooperation with each other (§ 6 pkt 16, § 10 pkt 14).
		{id: "COOPERATES_WITH:KS-03:KS-07", strength: "CLOSE", label: "§ 6 pkt 16; § 10 pkt 14", mutual: true},
		// KS-01 with every unit on the budget (§ 4 pkt 3, plain); KS-07 closely with KS-01 (§ 10 pkt 14): the stronger wins.
		{id: "COOPERATES_WITH:KS-01:KS-07", strength: "CLOSE", label: "§ 4 pkt 3; § 10 pkt 14", mutual: true},
		{id: "MAY_TASK:prezydent:KS-07", label: "§ 10 pkt 15; § 11 pkt 24"},
		{id: "MAY_TASK:zastepca-dyrektora-ds-promocji:KS-07", label: "§ 11 pkt 24"},
	} {
		i, ok := byID[want.id]
		if !ok {
			t.Errorf("no connection %s", want.id)
			continue
		}
		l := c.Connections[i]
		if got := deref(l.Strength); got != want.strength || l.Label != want.label || l.Mutual != want.mutual {
			t.Errorf("%s: strength %q, label %q, mutual %v; want %q, %q, %v", want.id, got, l.Label, l.Mutual, want.strength, want.label, want.mutual)
		}
	}
}

// Membership draws as containers (Cytoscape's compound parents), not as
// leaf boxes beside their own units.
func TestOrgChartContainers(t *testing.T) {
	c := chart(t, "(containers: true)").OrgChart
	parent := map[string]string{}
	for _, n := range c.Nodes {
		parent[n.ID] = deref(n.Parent)
	}
	for id, want := range map[string]string{
		"KS-01": "KS", "KS-06": "KS", "KS-07": "KS", "zastepca-dyrektora-ds-promocji": "KS",
		"KS": "departament", "dyrektor-wydzialu": "", "prezydent": "",
	} {
		if parent[id] != want {
			t.Errorf("parent (container) of %s: %q, want %q", id, parent[id], want)
		}
	}
	for _, n := range chart(t, "").OrgChart.Nodes {
		if n.ID == "KS" || n.ID == "departament" {
			t.Errorf("without containers, %s is a leaf box of the tree", n.ID)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
