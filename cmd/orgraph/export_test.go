package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runExportCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	env := func(k string) string {
		if k == "ORGRAPH_DATA" {
			return dir
		}
		return ""
	}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), append([]string{"export"}, args...), env, &stdout, &stderr, nil)
	return stdout.String(), err
}

func TestExportCommand(t *testing.T) {
	out, err := runExportCLI(t, "--format", "graphml")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Graph struct {
			Nodes []struct {
				ID string `xml:"id,attr"`
			} `xml:"node"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal([]byte(out), &g); err != nil || len(g.Graph.Nodes) != 16 {
		t.Errorf("graphml: %d nodes, %v; want 16", len(g.Graph.Nodes), err)
	}
	out, err = runExportCLI(t, "--format", "csv", "--table", "edges", "--root", "KS-06", "--kinds", "MAY_TASK")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) < 2 || rows[0][1] != "Source" {
		t.Errorf("csv edges under KS-06: %v %v", rows, err)
	}
	file := filepath.Join(t.TempDir(), "chart.dot")
	if _, err := runExportCLI(t, "--format", "dot", "--out", file); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(file); err != nil || !bytes.HasPrefix(b, []byte("digraph orgchart")) {
		t.Errorf("--out: %.80s %v", b, err)
	}
	for _, bad := range [][]string{{}, {"--format", "pdf"}, {"--format", "dot", "--depth", "-2"}, {"--format", "dot", "--root", "KS-99"}} {
		if _, err := runExportCLI(t, bad...); err == nil {
			t.Errorf("orgraph export %q: no error", bad)
		}
	}
}
