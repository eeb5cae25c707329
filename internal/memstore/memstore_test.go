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
	t.Run("in memory", func(t *testing.T) {
		storetest.RunScenarios(t, storetest.Harness{
			Open:    func(t *testing.T) org.Store { return memstore.New() },
			Overlay: memstore.Overlay,
		})
	})
	// The same contract over a data file, which a reopen reads back.
	t.Run("over a data file", func(t *testing.T) {
		dirs := map[org.Store]string{}
		open := func(t *testing.T, dir string) org.Store {
			t.Helper()
			s, err := memstore.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			dirs[s] = dir
			t.Cleanup(func() { s.Close() })
			return s
		}
		storetest.RunScenarios(t, storetest.Harness{
			Open:    func(t *testing.T) org.Store { return open(t, t.TempDir()) },
			Overlay: memstore.Overlay,
			Reopen: func(t *testing.T, s org.Store) org.Store {
				s.(*memstore.Store).Close() // as the process would at its end
				return open(t, dirs[s])
			},
		})
	})
}

func TestHistory(t *testing.T) {
	storetest.RunHistory(t, storetest.Harness{
		Open:    func(t *testing.T) org.Store { return memstore.New() },
		Overlay: memstore.Overlay,
	})
}
