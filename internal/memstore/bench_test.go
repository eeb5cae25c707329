package memstore_test

import (
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/storetest"
)

// BenchmarkScenarioImpact: a 100-change scenarioImpact at 2,000 and 20,000
// generated units, and the memory a scenario adds:
//
//	go test -run '^$' -bench ScenarioImpact -benchtime 3x ./internal/memstore/
func BenchmarkScenarioImpact(b *testing.B) {
	storetest.BenchScenarioImpact(b, storetest.ScenarioImpactSizes, func(testing.TB) org.Store { return memstore.New() }, memstore.Overlay)
}
