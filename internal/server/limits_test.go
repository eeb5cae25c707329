package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// nestedFragments is the query of issue 11: each fragment spreads the next
// twice, so its expansion doubles per level (22 levels: 4 million fields).
func nestedFragments(levels int) string {
	var b strings.Builder
	b.WriteString("query { units { ...F0 } }\n")
	for i := 0; i < levels; i++ {
		fmt.Fprintf(&b, "fragment F%d on Unit { id superior { ... on Unit { ...F%d ...F%d } } }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Unit { id }\n", levels)
	return b.String()
}

func aliased(n int, field string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "a%d: %s\n", i, field)
	}
	return b.String()
}

// TestBoundedCost: operations whose cost is out of bounds are refused
// before they run, and the fragment query before gqlgen's complexity walk
// (which would re-walk every spread): its refusal names the expansion, not
// a computed complexity. No timing is asserted beyond a generous second.
func TestBoundedCost(t *testing.T) {
	h := MustOpenHandler(t)
	var created struct{ CreateScenario struct{ ID string } }
	post(t, h, `mutation { createScenario(name: "cost") { id } }`, nil, &created)
	id := created.CreateScenario.ID
	for _, tc := range []struct {
		name, query, code, message string
	}{
		{"22 levels of fragments, each spreading the next twice", nestedFragments(22), "COMPLEXITY_LIMIT_EXCEEDED", "once its fragments are expanded"},
		{"30 levels of fragments", nestedFragments(30), "COMPLEXITY_LIMIT_EXCEEDED", "once its fragments are expanded"},
		{"fields nested beyond the depth limit", "{ units { " + strings.Repeat("superior { ... on Unit { ", 20) + "id" + strings.Repeat(" } }", 20) + " } }", "COMPLEXITY_LIMIT_EXCEEDED", "levels deep"},
		{"1,000 aliased scenarioImpact", "{ " + aliased(1000, `scenarioImpact(scenario: "`+id+`") { cutOff { id } }`) + " }", "COMPLEXITY_LIMIT_EXCEEDED", "complexity"},
		{"five aliased scenarioImpact", "{ " + aliased(5, `scenarioImpact(scenario: "`+id+`") { cutOff { id } }`) + " }", "COMPLEXITY_LIMIT_EXCEEDED", "complexity"},
		{"1,000 aliased createScenario", "mutation { " + aliased(1000, `createScenario(name: "x") { id }`) + " }", "COMPLEXITY_LIMIT_EXCEEDED", "mutations"},
		{"eleven mutations", "mutation { " + aliased(11, `createScenario(name: "x") { id }`) + " }", "COMPLEXITY_LIMIT_EXCEEDED", "11 mutations"},
		{"100 aliased overlappingDuties", "{ " + aliased(100, `overlappingDuties { score }`) + " }", "COMPLEXITY_LIMIT_EXCEEDED", "complexity"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			resp := send(t, h, tc.query, nil)
			took := time.Since(start)
			t.Logf("refused in %v", took)
			if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != tc.code || !strings.Contains(resp.Errors[0].Message, tc.message) {
				t.Fatalf("got %+v, want %s (%q)", resp.Errors, tc.code, tc.message)
			}
			if string(resp.Data) != "" && string(resp.Data) != "null" {
				t.Errorf("a refused operation answered data %s", resp.Data)
			}
			if took > time.Second {
				t.Errorf("refused after %v", took)
			}
		})
	}
	var list struct{ Scenarios []struct{ ID string } }
	post(t, h, `{ scenarios { id } }`, nil, &list)
	if len(list.Scenarios) != 1 {
		t.Errorf("refused mutations wrote: %d scenarios, want 1", len(list.Scenarios))
	}
	t.Run("within the bounds", func(t *testing.T) {
		var out map[string]any
		post(t, h, "{ "+aliased(4, `scenarioImpact(scenario: "`+id+`") { cutOff { id } }`)+" }", nil, &out)
		post(t, h, nestedFragments(5), nil, &out)
		post(t, h, "mutation { "+aliased(10, `createScenario(name: "x") { id }`)+" }", nil, &out)
	})
}
