package server_test

import (
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server/servertest"
)

func TestHistoryThroughTheAPI(t *testing.T) {
	servertest.RunHistory(t, func(t *testing.T) org.Store { return memstore.New() }, nil)
}
