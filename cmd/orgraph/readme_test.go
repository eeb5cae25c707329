package main

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
)

const readmePath = "../../README.md"

// readmeSection returns the lines of the README's section "## title", up
// to the next section of that level.
func readmeSection(t *testing.T, title string) []string {
	t.Helper()
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "## ") {
			in = line == "## "+title
			continue
		}
		if in {
			out = append(out, line)
		}
	}
	if out == nil {
		t.Fatalf("README.md has no section %q", title)
	}
	return out
}

// envTableRow is the README's table row for v.
func envTableRow(v envVar) string {
	return "| `" + v.Name + "` | " + v.Default + " | " + v.Meaning + " |"
}

// The README's configuration table is envVars, row for row, so that the
// variables the code reads and the ones documented cannot drift apart.
func TestREADMEConfigurationTableIsEnvVars(t *testing.T) {
	var got []string
	for _, line := range readmeSection(t, "Configuration") {
		if strings.HasPrefix(line, "| `") {
			got = append(got, line)
		}
	}
	var want []string
	for _, v := range envVars {
		want = append(want, envTableRow(v))
	}
	if !slices.Equal(got, want) {
		t.Errorf("README.md's configuration table differs from envVars (config.go); its rows should be:\n%s", strings.Join(want, "\n"))
	}
}

// Every variable is read: listed in envVars, it belongs to some command.
func TestEveryVariableIsReadByACommand(t *testing.T) {
	for _, v := range envVars {
		used := false
		for _, c := range commands {
			used = used || slices.Contains(c.env, v.Name)
		}
		if !used || v.set == nil {
			t.Errorf("%s: read by no command, or never parsed", v.Name)
		}
	}
	for _, c := range commands {
		for _, name := range c.env {
			if !slices.ContainsFunc(envVars, func(v envVar) bool { return v.Name == name }) {
				t.Errorf("%s reads %s, which envVars does not list", c.name, name)
			}
		}
	}
}

// The README's "Command line" shows the head of `orgraph help` as it is.
func TestREADMEShowsOrgraphHelp(t *testing.T) {
	var block []string
	in := false
	for _, line := range readmeSection(t, "Command line") {
		switch {
		case !in && line == "```console":
			in = true
		case in && line == "```":
			in = false
		case in:
			block = append(block, line)
		}
		if block != nil && !in {
			break
		}
	}
	if len(block) < 2 || block[0] != "$ orgraph help" {
		t.Fatalf("README.md's Command line has no ```console block beginning $ orgraph help")
	}
	var out bytes.Buffer
	printHelp(&out)
	lines := strings.Split(out.String(), "\n")
	shown := block[1:]
	if last := shown[len(shown)-1]; last == "…" {
		shown = shown[:len(shown)-1]
	}
	if len(shown) > len(lines) || !slices.Equal(shown, lines[:len(shown)]) {
		t.Errorf("README.md shows an orgraph help that is not the command's; its first %d lines are:\n%s",
			len(shown), strings.Join(lines[:min(len(shown), len(lines))], "\n"))
	}
}
