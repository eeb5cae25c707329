package memstore_test

import (
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) org.Store { return memstore.New() })
}

func TestScenarios(t *testing.T) {
	storetest.RunScenarios(t, storetest.Harness{
		Open:    func(t *testing.T) org.Store { return memstore.New() },
		Overlay: memstore.Overlay,
	})
}
