package org

// NextInChain is the step a chain of command takes from n, given the
// relations leaving and entering n, each list ordered by Seq, then ID: the
// REPORTS_TO of lowest Seq; where n reports to no one, the step to its head
// (for a unit, walked against the HEADS arrow) or to the unit it heads (for
// a position), from which the line goes on. False when n is the top.
func NextInChain(n Node, out, in []Relation) (Link, bool) {
	for _, r := range out {
		if r.Kind == ReportsTo {
			return Link{Relation: r}, true
		}
	}
	switch n.Kind {
	case KindUnit:
		for _, r := range in {
			if r.Kind == Heads {
				return Link{Relation: r, Reversed: true}, true
			}
		}
	case KindPosition:
		for _, r := range out {
			if r.Kind == Heads {
				return Link{Relation: r}, true
			}
		}
	}
	return Link{}, false
}

// WalkChain walks from start along step until the next node would repeat
// or step finds none: a chain of command. node looks up the node a step
// leads to.
func WalkChain(start Node, step func(Node) (Link, bool), node func(id string) Node) Path {
	p := Path{Nodes: []Node{start}}
	seen := map[string]bool{start.ID: true}
	for at := start; ; {
		l, ok := step(at)
		if !ok {
			return p
		}
		next := l.Relation.Other(at.ID)
		if seen[next] {
			return p
		}
		seen[next] = true
		at = node(next)
		p.Nodes = append(p.Nodes, at)
		p.Links = append(p.Links, l)
	}
}
