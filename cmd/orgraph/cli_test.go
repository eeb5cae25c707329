package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orgraph/orgraph/internal/org"
)

// cli runs orgraph with args and env as main does, and returns what it
// wrote on stdout and stderr (main's report included) and its exit status.
func cli(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	var out, errs bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errs, nil)
	status = report(&errs, err)
	return out.String(), errs.String(), status
}

func TestHelpListsEveryCommandWithItsFlagsAndVariables(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}, {"-help"}, {"help", "help"}} {
		out, errs, status := cli(t, nil, args...)
		if status != 0 || errs != "" {
			t.Errorf("orgraph %q: exit %d, stderr %q; want 0 and nothing", args, status, errs)
		}
		for _, c := range commands {
			if !strings.Contains(out, "\n  "+c.name+" ") {
				t.Errorf("orgraph %q does not list %s", args, c.name)
			}
		}
		for _, v := range envVars {
			if !strings.Contains(out, v.Name) {
				t.Errorf("orgraph %q does not list %s", args, v.Name)
			}
		}
		for _, f := range []string{"--addr host:port", "--units N", "--format F", "--raw", "--replace", "--data DIR"} {
			if !strings.Contains(out, f) {
				t.Errorf("orgraph %q does not list the flag %s", args, f)
			}
		}
	}
}

func TestCommandHelpShowsOnlyItsOwnFlags(t *testing.T) {
	own := map[string][]string{
		"serve":    {"--addr", "--data"},
		"seed":     nil,
		"import":   {"--format", "--raw", "--data"},
		"export":   {"--format", "--root", "--depth", "--kinds", "--strength", "--scenario", "--table", "--out", "--data"},
		"generate": {"--units", "--seed", "--replace", "--data"},
		"version":  nil,
	}
	all := []string{"--addr", "--data", "--format", "--raw", "--root", "--depth", "--kinds", "--strength", "--scenario", "--table", "--out", "--units", "--seed", "--replace"}
	for _, c := range commands {
		for _, args := range [][]string{{c.name, "--help"}, {c.name, "-h"}, {"help", c.name}} {
			out, errs, status := cli(t, nil, args...)
			if status != 0 || errs != "" {
				t.Errorf("orgraph %q: exit %d, stderr %q; want 0 and nothing", args, status, errs)
			}
			if !strings.HasPrefix(out, "usage: orgraph "+c.name) {
				t.Errorf("orgraph %q: %.60q…, want a usage line first", args, out)
			}
			flags := out
			if i := strings.Index(out, "\nFlags:\n"); i >= 0 {
				flags = out[i:]
				if j := strings.Index(flags, "\nEnvironment:"); j >= 0 {
					flags = flags[:j]
				}
			} else {
				flags = ""
			}
			for _, f := range all {
				has := strings.Contains(flags, "  "+f+" ") || strings.Contains(flags, "  "+f+"\n")
				if want := slices.Contains(own[c.name], f); has != want {
					t.Errorf("orgraph %q lists %s: %v, want %v\n%s", args, f, has, want, flags)
				}
			}
			for _, v := range envVars {
				if got, want := strings.Contains(out, "\n  "+v.Name+" "), slices.Contains(c.env, v.Name); got != want {
					t.Errorf("orgraph %q lists %s: %v, want %v", args, v.Name, got, want)
				}
			}
		}
	}
	// A flag of another command is refused.
	if _, errs, status := cli(t, nil, "seed", "--addr", ":0"); status != 2 || !strings.Contains(errs, "-addr") {
		t.Errorf("seed --addr: exit %d, %q; want 2, naming the flag", status, errs)
	}
}

func TestHelpAnswersWhateverTheEnvironmentHolds(t *testing.T) {
	env := map[string]string{"ORGRAPH_COMPLEXITY_LIMIT": "abc", "ADDR": "nowhere"}
	for _, args := range [][]string{{"help"}, {"serve", "--help"}, {"version"}} {
		if _, errs, status := cli(t, env, args...); status != 0 {
			t.Errorf("orgraph %q with a bad setting: exit %d, %q; want 0", args, status, errs)
		}
	}
}

func TestUsageErrorsExit2AndPrintOnce(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `orgraph: unknown command "frobnicate"; the commands are serve, seed, import, export, generate, version and help`},
		{[]string{"serve", "--bogus"}, "orgraph: serve: flag provided but not defined: -bogus"},
		{[]string{"--bogus"}, "orgraph: serve: flag provided but not defined: -bogus"},
		{[]string{"generate", "--units", "many"}, `orgraph: generate: invalid value "many" for flag -units`},
		{[]string{"generate"}, "orgraph: generate: --units must be at least 1"},
		{[]string{"serve", "extra"}, `orgraph: serve: unexpected argument "extra"`},
		{[]string{"serve", "--addr", "8080"}, `orgraph: serve: --addr "8080": want host:port`},
		{[]string{"version", "x"}, `orgraph: version: unexpected argument "x"`},
		{[]string{"help", "frobnicate"}, `orgraph: help: unknown command "frobnicate"`},
		{[]string{"import"}, "orgraph: import: name at least one file"},
		{[]string{"export", "--format", "pdf"}, "orgraph: export: --format must be one of cyjs, dot, mmd, graphml, csv, json"},
		{[]string{"export", "--format", "dot", "--depth", "-2"}, "orgraph: export: depth must be a whole number"},
		{[]string{"seed"}, "orgraph: seed: set NEO4J_URI"},
	} {
		out, errs, status := cli(t, map[string]string{"ORGRAPH_DATA": t.TempDir()}, tc.args...)
		if status != 2 {
			t.Errorf("orgraph %q: exit %d, want 2", tc.args, status)
		}
		if !strings.HasPrefix(errs, tc.want) {
			t.Errorf("orgraph %q: stderr %q, want it to begin %q", tc.args, errs, tc.want)
		}
		if n := strings.Count(errs, "orgraph: "); n != 1 {
			t.Errorf("orgraph %q: %d lines of error, want 1: %q", tc.args, n, errs)
		}
		if !strings.Contains(errs, "--help' for") && !strings.Contains(errs, "'orgraph help'") {
			t.Errorf("orgraph %q: %q does not say where help is", tc.args, errs)
		}
		if out != "" {
			t.Errorf("orgraph %q: stdout %q, want nothing", tc.args, out)
		}
	}
}

// A failure exits 1, with one prefix however the error was made.
func TestFailuresExit1PrefixedOnce(t *testing.T) {
	env := map[string]string{"ORGRAPH_DATA": t.TempDir()}
	startServe(t, env) // holds the data directory
	for _, args := range [][]string{{"serve"}, {"generate", "--units", "5"}, {"export", "--format", "dot"}} {
		env := map[string]string{"ORGRAPH_DATA": env["ORGRAPH_DATA"], "ADDR": "127.0.0.1:0"}
		_, errs, status := cli(t, env, args...)
		if status != 1 {
			t.Errorf("orgraph %q on a data directory in use: exit %d, want 1 (%q)", args, status, errs)
		}
		if !strings.HasPrefix(errs, "orgraph: ") || strings.Contains(errs, "orgraph: orgraph:") ||
			strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "in use") {
			t.Errorf("orgraph %q: %q, want one line, prefixed once, saying the directory is in use", args, errs)
		}
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{org.Errorf(org.EINVALID, "x"), "orgraph: x\n"},
		{fmt.Errorf("generate: %w", org.Errorf(org.ECONFLICT, "x")), "orgraph: generate: x\n"},
		{errors.New("orgraph: orgraph: y"), "orgraph: y\n"},
	} {
		var b bytes.Buffer
		if status := report(&b, tc.err); status != 1 || b.String() != tc.want {
			t.Errorf("report(%v): %d, %q; want 1, %q", tc.err, status, b.String(), tc.want)
		}
	}
}

func TestVersion(t *testing.T) {
	defer func(f func() (*debug.BuildInfo, bool)) { readBuildInfo = f }(readBuildInfo)
	for _, tc := range []struct {
		name string
		info *debug.BuildInfo
		want []string
	}{
		{"a build from a work tree with changes", &debug.BuildInfo{GoVersion: "go1.26.8",
			Main:     debug.Module{Version: "v0.0.0-20261202045232-6d30c196d9b0+dirty"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "6d30c196d9b04d315aeda96b732c50079d11552f"}, {Key: "vcs.modified", Value: "true"}}},
			[]string{"orgraph v0.0.0-20261202045232-6d30c196d9b0+dirty\n", "commit  6d30c196d9b04d315aeda96b732c50079d11552f (modified)\n", "go      go1.26.8 "}},
		{"a clean build", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.modified", Value: "false"}}},
			[]string{"orgraph v1.2.0\n", "commit  abc123\n"}},
		{"go run, no VCS stamp", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			[]string{"orgraph devel\n", "commit  devel\n", "go      go1.26.8 "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			readBuildInfo = func() (*debug.BuildInfo, bool) { return tc.info, true }
			for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
				out, errs, status := cli(t, nil, args...)
				if status != 0 || errs != "" {
					t.Errorf("orgraph %q: exit %d, %q", args, status, errs)
				}
				for _, w := range tc.want {
					if !strings.Contains(out, w) {
						t.Errorf("orgraph %q: %q, want %q", args, out, w)
					}
				}
			}
		})
	}
	readBuildInfo = func() (*debug.BuildInfo, bool) { return nil, false }
	if out, _, _ := cli(t, nil, "version"); !strings.HasPrefix(out, "orgraph devel\ncommit  devel\ngo      go") {
		t.Errorf("without build info: %q", out)
	}
}

// Every variable is checked before anything starts, and an invalid value
// is named with what is allowed.
func TestBadSettingsAreRefusedAtOnce(t *testing.T) {
	for _, tc := range []struct{ name, value, want string }{
		{"ORGRAPH_COMPLEXITY_LIMIT", "-1", "a whole number from 1"},
		{"ORGRAPH_COMPLEXITY_LIMIT", "0", "a whole number from 1"},
		{"ORGRAPH_COMPLEXITY_LIMIT", "abc", "a whole number from 1"},
		{"ORGRAPH_ANSWER_CACHE_MB", "-5", "from 0 (keep none) to 16384"},
		{"NEO4J_MAX_POOL_SIZE", "0", "a whole number from 1"},
		{"NEO4J_CONNECT_TIMEOUT", "5", "a positive Go duration"},
		{"NEO4J_QUERY_TIMEOUT", "-1s", "a positive Go duration"},
		{"NEO4J_QUERY_TIMEOUT", "0s", "a positive Go duration"},
		{"ADDR", "8080", "want host:port"},
		{"ADDR", "localhost:http", "not a number from 0 to 65535"},
		{"ADDR", "127.0.0.1:70000", "not a number from 0 to 65535"},
		{"NEO4J_URI", "http://db:7687", "bolt, bolt+s, bolt+ssc, neo4j, neo4j+s, neo4j+ssc"},
		{"NEO4J_URI", "db:7687", "bolt, bolt+s, bolt+ssc, neo4j, neo4j+s, neo4j+ssc"},
		{"NEO4J_URI", "bolt://neo4j:secret@db:7687", "NEO4J_USERNAME and NEO4J_PASSWORD"},
		{"ORGRAPH_CORS_ORIGINS", "localhost:5173", "not an origin"},
		{"ORGRAPH_LOG_FORMAT", "xml", "want text or json"},
		{"ORGRAPH_LOG_LEVEL", "verbose", "want debug, info, warn or error"},
		{"ORGRAPH_ANONYMOUS_ROLE", "guest", "want viewer, planner, admin or none"},
	} {
		dir := filepath.Join(t.TempDir(), "data")
		env := map[string]string{tc.name: tc.value, "ORGRAPH_DATA": dir, "ADDR": "127.0.0.1:0"}
		_, errs, status := cli(t, env, "serve")
		if status != 2 || !strings.HasPrefix(errs, "orgraph: "+tc.name+"=") || !strings.Contains(errs, tc.want) {
			t.Errorf("%s=%s: exit %d, %q; want 2 and a message with %q", tc.name, tc.value, status, errs, tc.want)
		}
		if strings.Contains(tc.value, "secret") && strings.Count(errs, "secret") > 1 {
			t.Errorf("%s: the value is repeated: %q", tc.name, errs)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%s=%s: the data directory was made: nothing may start", tc.name, tc.value)
		}
	}
	// A bad tokens file, or JWT settings without a key set: nothing starts,
	// the line is named, the token never.
	tokens := filepath.Join(t.TempDir(), "tokens.csv")
	if err := os.WriteFile(tokens, []byte("tok-1,vera,viewer\ntok-2,piotr,owner\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"ORGRAPH_TOKENS_FILE": tokens}, "orgraph: ORGRAPH_TOKENS_FILE: " + tokens + `, line 2: "owner" is not a role`},
		{map[string]string{"ORGRAPH_TOKENS_FILE": tokens + ".missing"}, "orgraph: ORGRAPH_TOKENS_FILE: "},
		{map[string]string{"ORGRAPH_JWT_ISSUER": "https://idp.example"}, "ORGRAPH_JWT_JWKS is not"},
		{map[string]string{"ORGRAPH_JWT_JWKS": tokens + ".missing"}, "orgraph: ORGRAPH_JWT_JWKS: "},
	} {
		dir := filepath.Join(t.TempDir(), "data")
		tc.env["ORGRAPH_DATA"], tc.env["ADDR"] = dir, "127.0.0.1:0"
		_, errs, status := cli(t, tc.env, "serve")
		if status != 2 || !strings.Contains(errs, tc.want) || strings.Contains(errs, "tok-2") {
			t.Errorf("%v: exit %d, %q; want 2 and a message with %q", tc.env, status, errs, tc.want)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%v: the data directory was made: nothing may start", tc.env)
		}
	}
	// Every invalid value at once, one a line.
	env := map[string]string{"ORGRAPH_COMPLEXITY_LIMIT": "0", "ADDR": "x", "NEO4J_PASSWORD": "pw"}
	_, errs, status := cli(t, env, "serve")
	for _, want := range []string{"ADDR=", "ORGRAPH_COMPLEXITY_LIMIT=", "NEO4J_PASSWORD is set but NEO4J_USERNAME is not"} {
		if status != 2 || !strings.Contains(errs, "orgraph: "+want) {
			t.Errorf("three bad settings: exit %d, %q; want a line with %q", status, errs, want)
		}
	}
	if strings.Contains(errs, "pw") {
		t.Errorf("the password is printed: %q", errs)
	}
	// A command checks only what it reads: import reads no ADDR.
	if _, errs, status := cli(t, map[string]string{"ADDR": "x"}, "import", "--format", "json", seedTextPath); status != 0 {
		t.Errorf("import with a bad ADDR: exit %d, %q; want 0", status, errs)
	}
	// Valid values are taken.
	c, err := loadConfig(func(k string) string {
		return map[string]string{"ORGRAPH_COMPLEXITY_LIMIT": "7", "NEO4J_QUERY_TIMEOUT": "2s", "ADDR": ":9000",
			"NEO4J_URI": "neo4j+s://db.example.org", "ORGRAPH_LOG_LEVEL": "WARN", "ORGRAPH_LOG_FORMAT": "json"}[k]
	})
	if err != nil || c.ComplexityLimit != 7 || c.Neo4j.QueryTimeout != 2*time.Second || c.Addr != ":9000" ||
		c.Neo4j.URI != "neo4j+s://db.example.org" || c.LogLevel.String() != "WARN" || c.LogFormat != "json" {
		t.Errorf("valid settings: %+v, %v", c, err)
	}
}

// The address is taken before the store is opened: a port in use fails at
// once, and the data directory is not touched.
func TestAPortInUseFailsBeforeTheStoreLoads(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := filepath.Join(t.TempDir(), "data")
	start := time.Now()
	_, errs, status := cli(t, map[string]string{"ADDR": ln.Addr().String(), "ORGRAPH_DATA": dir}, "serve")
	if status != 1 || !strings.Contains(errs, "address already in use") || !strings.Contains(errs, "ADDR or --addr") {
		t.Errorf("exit %d, %q; want 1 and the address in use", status, errs)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %s to fail", took)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the data directory was opened before the address was taken")
	}
}
