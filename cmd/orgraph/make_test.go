package main

import (
	"bufio"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var makeTarget = regexp.MustCompile(`^([a-z0-9-]+):`)

// Every target of the Makefile says what it does in a "## target: text"
// comment above it, and make help lists them all with that text.
func TestMakeHelpListsEveryTarget(t *testing.T) {
	f, err := os.Open("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc := map[string]string{}
	var targets, phony []string
	prev := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if m := makeTarget.FindStringSubmatch(line); m != nil {
			targets = append(targets, m[1])
			if !strings.HasPrefix(prev, "## "+m[1]+": ") {
				t.Errorf("make %s has no ## %s: comment above it", m[1], m[1])
			}
			doc[m[1]] = strings.TrimPrefix(prev, "## "+m[1]+": ")
		}
		if rest, ok := strings.CutPrefix(line, ".PHONY:"); ok {
			phony = strings.Fields(rest)
		}
		prev = line
	}
	slices.Sort(targets)
	slices.Sort(phony)
	if !slices.Equal(targets, phony) {
		t.Errorf("targets %q, .PHONY %q: want the same", targets, phony)
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make here")
	}
	out, err := exec.Command("make", "-s", "-C", "../..", "help").Output()
	if err != nil {
		t.Fatalf("make help: %v", err)
	}
	for _, target := range targets {
		if !strings.Contains(string(out), "  "+target+" ") || !strings.Contains(string(out), doc[target]) {
			t.Errorf("make help does not list %s with %q:\n%s", target, doc[target], out)
		}
	}
}
