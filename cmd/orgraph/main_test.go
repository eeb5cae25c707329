package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

// TestServeEndToEnd runs the command as a user would, on a free port, asks
// the headline question over HTTP, and shuts it down.
func TestServeEndToEnd(t *testing.T) {
	ask := startServe(t, map[string]string{"ORGRAPH_DATA": t.TempDir()})
	got := ask(`{ chainOfCommand(from: "KS-06") { nodes { id } } }`)
	if want := `{"data":{"chainOfCommand":{"nodes":[{"id":"KS-06"},{"id":"prezydent"}]}}}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestUnknownCommand(t *testing.T) {
	err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, io.Discard, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Errorf("got %v, want an unknown command error", err)
	}
}
