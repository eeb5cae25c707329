// Command testsummary reads `go test -json` on standard input and prints a
// summary: one line per package as packages finish, the output of failed
// (and of skipped Neo4j) tests, a Neo4j line and, as the very last line,
//
//	N passed, N failed, N skipped
//
// Counts include subtests: every test event (top-level or subtest) that ends
// in pass, fail or skip counts once.
//
// Neo4j rule (see internal/neo4jtest): a test talks to Neo4j iff its top-level
// name contains "Neo4j"; all its subtests count as Neo4j tests too. The line
//
//	neo4j: N tests ran against <backend>
//
// counts Neo4j test events that ran (passed or failed, top-level and subtests).
// The exit status is non-zero when
//   - any test or package failed (build errors, panics, timeouts included), or
//     a test started but never finished;
//   - any Neo4j test was skipped;
//   - a Neo4j test declared in the listed packages' _test.go files did not run,
//     in particular when zero Neo4j tests ran although some exist. Zero Neo4j
//     tests is accepted only when no top-level test named *Neo4j* is declared.
//
// Usage:
//
//	go test -json PKGS | go run ./scripts/testsummary -neo4j-backend "DESC" PKGS
//
// PKGS (default ./...) are only used, with `go list` when the program starts,
// to find the declared Neo4j tests. -v also echoes every test's output.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Time        time.Time
	Action      string
	Package     string
	Test        string
	Elapsed     float64
	Output      string
	ImportPath  string // build-output / build-fail
	FailedBuild string
}

type testKey struct{ pkg, test string }

type pkgResult struct {
	name             string
	action           string // pass, fail, skip
	elapsed          float64
	passed, failed   int
	skipped          int
	output           []string // package-level output (Test == "")
	topOrder         []string // top-level tests in order of first event
	topOutput        map[string][]string
	topFailed        map[string]bool
	topSkippedNeo4j  map[string]bool
	running          map[string]bool // tests started, not finished
	failedBuildPaths []string
}

func isNeo4j(test string) bool {
	top, _, _ := strings.Cut(test, "/")
	return strings.Contains(top, "Neo4j")
}

func main() {
	backend := flag.String("neo4j-backend", "unknown backend", "description of the Neo4j backend, for the summary line")
	verbose := flag.Bool("v", false, "echo the output of every test")
	flag.Parse()
	patterns := flag.Args()
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	os.Exit(run(os.Stdin, os.Stdout, *backend, *verbose, patterns))
}

func run(in io.Reader, out io.Writer, backend string, verbose bool, patterns []string) int {
	// List the declared Neo4j tests now, while go test compiles the same sources
	// (files added during a long run must not count as "declared but not run").
	type declaredResult struct {
		keys []testKey
		err  error
	}
	declaredCh := make(chan declaredResult, 1)
	go func() {
		keys, err := declaredNeo4jTests(patterns)
		declaredCh <- declaredResult{keys, err}
	}()

	pkgs := map[string]*pkgResult{}
	var pkgOrder []string
	buildOutput := map[string][]string{} // import path -> compiler output
	var stray []string                   // non-JSON lines
	getPkg := func(name string) *pkgResult {
		p := pkgs[name]
		if p == nil {
			p = &pkgResult{name: name, topOutput: map[string][]string{}, topFailed: map[string]bool{},
				topSkippedNeo4j: map[string]bool{}, running: map[string]bool{}}
			pkgs[name] = p
			pkgOrder = append(pkgOrder, name)
		}
		return p
	}
	var passed, failed, skipped int
	var neoPassed, neoFailed, neoSkipped, neoTop, neoSub int
	ranNeo4j := map[testKey]bool{} // top-level Neo4j tests that ran

	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1024*1024), 64*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if line[0] != '{' || json.Unmarshal(line, &e) != nil {
			stray = append(stray, string(line))
			fmt.Fprintln(out, string(line))
			continue
		}
		switch e.Action {
		case "build-output":
			buildOutput[e.ImportPath] = append(buildOutput[e.ImportPath], e.Output)
			continue
		case "build-fail":
			continue
		}
		if e.Package == "" {
			continue
		}
		p := getPkg(e.Package)
		if e.Test == "" {
			switch e.Action {
			case "output":
				p.output = append(p.output, e.Output)
			case "pass", "fail", "skip":
				// A package run twice (make test runs one test alone after
				// the rest) keeps a failure of either run.
				if p.action != "fail" {
					p.action = e.Action
				}
				p.elapsed += e.Elapsed
				if e.FailedBuild != "" {
					p.failedBuildPaths = append(p.failedBuildPaths, e.FailedBuild)
				}
				printPkgLine(out, p)
			}
			continue
		}
		top, _, sub := strings.Cut(e.Test, "/")
		if _, seen := p.topOutput[top]; !seen {
			p.topOutput[top] = nil
			p.topOrder = append(p.topOrder, top)
		}
		switch e.Action {
		case "run":
			p.running[e.Test] = true
		case "output":
			p.topOutput[top] = append(p.topOutput[top], e.Output)
			if verbose {
				fmt.Fprint(out, e.Output)
			}
		case "pass", "fail", "skip":
			delete(p.running, e.Test)
			neo := isNeo4j(e.Test)
			switch e.Action {
			case "pass":
				passed++
				p.passed++
			case "fail":
				failed++
				p.failed++
				p.topFailed[top] = true
			case "skip":
				skipped++
				p.skipped++
				if neo {
					p.topSkippedNeo4j[top] = true
				}
			}
			if neo {
				switch e.Action {
				case "pass":
					neoPassed++
				case "fail":
					neoFailed++
				case "skip":
					neoSkipped++
				}
				if e.Action != "skip" {
					if sub {
						neoSub++
					} else {
						neoTop++
						ranNeo4j[testKey{e.Package, top}] = true
					}
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(out, "testsummary: reading input: %v\n", err)
		return 2
	}

	var problems []string

	// Output of failed tests, skipped Neo4j tests, and failed packages.
	for _, name := range pkgOrder {
		p := pkgs[name]
		for _, top := range p.topOrder {
			switch {
			case p.topFailed[top]:
				printBlock(out, fmt.Sprintf("FAIL %s %s", name, top), p.topOutput[top])
			case p.topSkippedNeo4j[top]:
				printBlock(out, fmt.Sprintf("SKIPPED Neo4j test %s %s", name, top), p.topOutput[top])
			}
		}
		for t := range p.running {
			// Started but never ended: a panic, os.Exit or timeout in that test.
			failed++
			problems = append(problems, fmt.Sprintf("%s: %s started but did not finish", name, t))
			top, _, _ := strings.Cut(t, "/")
			if !p.topFailed[top] {
				p.topFailed[top] = true
				printBlock(out, fmt.Sprintf("UNFINISHED %s %s", name, t), p.topOutput[top])
			}
		}
		if p.action == "fail" || p.action == "" {
			var lines []string
			for _, ip := range p.failedBuildPaths {
				lines = append(lines, buildOutput[ip]...)
			}
			lines = append(lines, p.output...)
			if p.failed == 0 || len(p.failedBuildPaths) > 0 {
				printBlock(out, "FAIL package "+name, lines)
			}
			if p.action == "" {
				problems = append(problems, fmt.Sprintf("%s: no final result (go test interrupted?)", name))
			} else {
				problems = append(problems, fmt.Sprintf("%s: package failed", name))
			}
		}
	}
	if failed > 0 {
		problems = append(problems, fmt.Sprintf("%d test(s) failed", failed))
	}
	if neoSkipped > 0 {
		problems = append(problems, fmt.Sprintf("%d Neo4j test(s) skipped: Neo4j tests must run, never skip", neoSkipped))
	}

	// Declared Neo4j tests that did not run (explicit rule: zero Neo4j tests
	// is only acceptable when none is declared).
	dr := <-declaredCh
	declared := dr.keys
	if dr.err != nil {
		problems = append(problems, "cannot list declared Neo4j tests: "+dr.err.Error())
	}
	var missing []string
	for _, k := range declared {
		if !ranNeo4j[k] {
			missing = append(missing, k.pkg+"."+k.test)
		}
	}
	neoRan := neoPassed + neoFailed
	if len(declared) > 0 && neoRan == 0 {
		problems = append(problems, fmt.Sprintf("zero Neo4j tests ran, but %d are declared", len(declared)))
	}
	if len(missing) > 0 {
		problems = append(problems, fmt.Sprintf("declared Neo4j tests that did not run: %s", strings.Join(missing, ", ")))
	}

	// Summary.
	var nOK, nFail, nNoTests int
	for _, p := range pkgs {
		switch {
		case p.action == "skip":
			nNoTests++
		case p.action == "pass":
			nOK++
		default:
			nFail++
		}
	}
	fmt.Fprintln(out)
	fmt.Fprintf(out, "packages: %d ok, %d failed, %d without tests\n", nOK, nFail, nNoTests)
	if len(stray) > 0 {
		fmt.Fprintf(out, "note: %d non-JSON line(s) in go test's output (printed above)\n", len(stray))
	}
	for _, pr := range problems {
		fmt.Fprintln(out, "FAILURE:", pr)
	}
	fmt.Fprintf(out, "neo4j: %d tests ran against %s\n", neoRan, backend)
	fmt.Fprintf(out, "neo4j: (all levels: %d top-level + %d subtests; %d passed, %d failed, %d skipped; %d top-level Neo4j tests declared)\n",
		neoTop, neoSub, neoPassed, neoFailed, neoSkipped, len(declared))
	fmt.Fprintf(out, "%d passed, %d failed, %d skipped\n", passed, failed, skipped)
	if len(problems) > 0 {
		return 1
	}
	return 0
}

func printPkgLine(out io.Writer, p *pkgResult) {
	switch p.action {
	case "pass":
		fmt.Fprintf(out, "ok    %-50s %6.1fs  %d passed, %d skipped\n", p.name, p.elapsed, p.passed, p.skipped)
	case "fail":
		if len(p.failedBuildPaths) > 0 {
			fmt.Fprintf(out, "FAIL  %-50s [build failed]\n", p.name)
		} else {
			fmt.Fprintf(out, "FAIL  %-50s %6.1fs  %d passed, %d failed, %d skipped\n", p.name, p.elapsed, p.passed, p.failed, p.skipped)
		}
	case "skip":
		// no test files: counted in the summary only
	}
}

func printBlock(out io.Writer, title string, lines []string) {
	fmt.Fprintf(out, "\n===== %s\n", title)
	for _, l := range lines {
		fmt.Fprint(out, l)
		if !strings.HasSuffix(l, "\n") {
			fmt.Fprintln(out)
		}
	}
}

var testFunc = regexp.MustCompile(`(?m)^func\s+(Test\w*)\s*\(\s*\w+\s+\*testing\.T\s*\)`)

// declaredNeo4jTests lists top-level test functions whose name contains Neo4j
// in the _test.go files (default build tags) of the packages matching patterns.
func declaredNeo4jTests(patterns []string) ([]testKey, error) {
	args := append([]string{"list", "-e", "-f",
		"{{.ImportPath}}\t{{.Dir}}\t{{join .TestGoFiles \",\"}}\t{{join .XTestGoFiles \",\"}}"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Stderr = os.Stderr
	listing, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v", err)
	}
	var keys []testKey
	for _, line := range strings.Split(strings.TrimSpace(string(listing)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			continue
		}
		seen := map[string]bool{}
		for _, files := range f[2:] {
			if files == "" {
				continue
			}
			for _, file := range strings.Split(files, ",") {
				src, err := os.ReadFile(filepath.Join(f[1], file))
				if err != nil {
					return nil, err
				}
				for _, m := range testFunc.FindAllSubmatch(src, -1) {
					name := string(m[1])
					if strings.Contains(name, "Neo4j") && !seen[name] {
						seen[name] = true
						keys = append(keys, testKey{f[0], name})
					}
				}
			}
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].pkg != keys[j].pkg {
			return keys[i].pkg < keys[j].pkg
		}
		return keys[i].test < keys[j].test
	})
	return keys, nil
}
