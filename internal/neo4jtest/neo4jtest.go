// Package neo4jtest gives tests a real Neo4j 5.26. It is imported by tests only.
//
// Convention: every test that talks to Neo4j has "Neo4j" in its top-level name
// (TestNeo4jStore, TestNeo4jReconnect, ...). `make test` (scripts/test.sh) counts
// those tests and fails when any of them is skipped or when none ran although
// some exist, so a Neo4j test must never call t.Skip because the server is missing:
// Connect and StartServer fail the test instead.
//
// Where the server comes from, in this order:
//
//  1. NEO4J_TEST_URI (e.g. bolt://127.0.0.1:7688), with NEO4J_TEST_USERNAME and
//     NEO4J_TEST_PASSWORD when the server wants authentication (no auth when unset).
//     `make test` starts the local launcher (scripts/neo4j.sh) and sets it;
//     by hand: `make neo4j-up` then NEO4J_TEST_URI=bolt://127.0.0.1:7687 go test ./...
//  2. A reachable Docker engine: one neo4j:5.26 container per test binary
//     (testcontainers-go), started on first use and shared by the binary's tests.
//  3. Otherwise the test fails, telling how to get a server.
//
// A package whose tests call Connect should call Cleanup from its TestMain, so
// that the container of case 2 is removed when the binary ends (testcontainers'
// reaper would remove it later anyway); with cases 1 and 3 Cleanup does nothing:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		neo4jtest.Cleanup()
//		os.Exit(code)
//	}
//
// Connect shares one server between the tests of a binary (and, through
// NEO4J_TEST_URI, between packages run in parallel): tests must create their own
// data (unique labels or ids) and not assume an empty database. StartServer
// instead gives a test a private server it can stop and start again.
package neo4jtest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/testcontainers/testcontainers-go"
	tcneo4j "github.com/testcontainers/testcontainers-go/modules/neo4j"
)

// Image is the Docker image used when the server comes from testcontainers.
const Image = "neo4j:5.26"

const (
	envURI      = "NEO4J_TEST_URI"
	envUser     = "NEO4J_TEST_USERNAME"
	envPassword = "NEO4J_TEST_PASSWORD"

	connectTimeout   = 60 * time.Second  // first connectivity check of a driver
	containerTimeout = 5 * time.Minute   // pull + start of the container
	startTimeout     = 120 * time.Second // launcher start-up (StartServer / Start)
	stopTimeout      = 60 * time.Second  // SIGTERM before SIGKILL
	dockerProbeLimit = 5 * time.Second
)

const howToGetOne = "no Neo4j for the tests: run `make test` (it starts a local Neo4j), " +
	"or `make neo4j-up` and set NEO4J_TEST_URI=bolt://127.0.0.1:7687, " +
	"or make a Docker engine reachable for testcontainers"

// Connect returns a driver for the test Neo4j, checked with a bounded
// connectivity test and closed when tb's test ends. It never skips: without a
// server it fails tb.
func Connect(tb testing.TB) neo4j.DriverWithContext {
	tb.Helper()
	uri, auth, err := target()
	if err != nil {
		tb.Fatalf("neo4jtest: %v", err)
	}
	drv, err := newDriver(uri, auth)
	if err != nil {
		tb.Fatalf("neo4jtest: Neo4j at %s (%s): %v", uri, Describe(), err)
	}
	tb.Cleanup(func() { _ = drv.Close(context.Background()) })
	return drv
}

// Describe says which Neo4j backend Connect uses, for logs.
func Describe() string {
	if uri := os.Getenv(envURI); uri != "" {
		d := "Neo4j server at " + uri + " (NEO4J_TEST_URI"
		if os.Getenv(envUser) != "" {
			d += ", basic auth"
		} else {
			d += ", no auth"
		}
		return d + ")"
	}
	ctr.mu.Lock()
	uri, err := ctr.uri, ctr.err
	ctr.mu.Unlock()
	switch {
	case uri != "":
		return "testcontainers " + Image + " at " + uri
	case err != nil:
		return "testcontainers " + Image + " (failed: " + err.Error() + ")"
	}
	if dockerErr := dockerReachable(); dockerErr != nil {
		return "none (NEO4J_TEST_URI unset, no Docker engine: " + dockerErr.Error() + ")"
	}
	return "testcontainers " + Image + " (started on first use)"
}

// target picks the server: NEO4J_TEST_URI, else the per-binary container.
func target() (string, neo4j.AuthToken, error) {
	if uri := os.Getenv(envURI); uri != "" {
		auth := neo4j.NoAuth()
		if user := os.Getenv(envUser); user != "" {
			auth = neo4j.BasicAuth(user, os.Getenv(envPassword), "")
		}
		return uri, auth, nil
	}
	if err := dockerReachable(); err != nil {
		return "", neo4j.AuthToken{}, fmt.Errorf("%s (NEO4J_TEST_URI is unset and no Docker engine answers: %v)", howToGetOne, err)
	}
	uri, err := containerURI()
	if err != nil {
		return "", neo4j.AuthToken{}, fmt.Errorf("starting %s with testcontainers: %w", Image, err)
	}
	return uri, neo4j.NoAuth(), nil
}

func newDriver(uri string, auth neo4j.AuthToken) (neo4j.DriverWithContext, error) {
	drv, err := neo4j.NewDriverWithContext(uri, auth, func(c *neo4j.Config) {
		c.SocketConnectTimeout = 5 * time.Second
		c.ConnectionAcquisitionTimeout = 30 * time.Second
	})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	if err := drv.VerifyConnectivity(ctx); err != nil {
		_ = drv.Close(context.Background())
		return nil, fmt.Errorf("connectivity check (%s): %w", connectTimeout, err)
	}
	return drv, nil
}

// ---- Docker / testcontainers ----

var docker struct {
	once sync.Once
	err  error
}

// dockerReachable reports (once per binary) whether a Docker engine answers.
func dockerReachable() error {
	docker.once.Do(func() {
		docker.err = probeDocker()
	})
	return docker.err
}

func probeDocker() (err error) {
	defer func() {
		if r := recover(); r != nil { // testcontainers panics on some broken setups
			err = fmt.Errorf("docker probe panicked: %v", r)
		}
	}()
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), dockerProbeLimit)
	defer cancel()
	return p.Health(ctx) // closes p
}

var ctr struct {
	once sync.Once
	mu   sync.Mutex
	c    *tcneo4j.Neo4jContainer
	uri  string
	err  error
}

func containerURI() (string, error) {
	ctr.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), containerTimeout)
		defer cancel()
		c, err := tcneo4j.Run(ctx, Image,
			tcneo4j.WithoutAuthentication(),
			tcneo4j.WithNeo4jSettings(map[string]string{
				"server.memory.pagecache.size":    "256M",
				"server.memory.heap.max_size":     "1G",
				"server.memory.heap.initial_size": "256M",
			}),
		)
		var uri string
		if err == nil {
			uri, err = c.PortEndpoint(ctx, "7687/tcp", "bolt")
		}
		ctr.mu.Lock()
		defer ctr.mu.Unlock()
		ctr.c = c // may be non-nil on error: Cleanup terminates it
		ctr.uri, ctr.err = uri, err
	})
	ctr.mu.Lock()
	defer ctr.mu.Unlock()
	return ctr.uri, ctr.err
}

// Cleanup terminates the container Connect started for this test binary, if
// any. Call it from TestMain after m.Run; it is a no-op otherwise.
func Cleanup() {
	ctr.mu.Lock()
	c := ctr.c
	ctr.c = nil
	ctr.mu.Unlock()
	if c != nil {
		if err := testcontainers.TerminateContainer(c); err != nil {
			fmt.Fprintf(os.Stderr, "neo4jtest: terminating %s container: %v\n", Image, err)
		}
	}
}

// ---- private launcher servers ----

// Server is a private Neo4j (tools/neo4j-launcher) on its own loopback port and
// data directory, for tests that stop and restart the database. It runs
// without authentication; use neo4j.NoAuth().
type Server struct {
	tb      testing.TB
	port    int
	dataDir string
	logDir  string
	java    string
	args    []string

	mu     sync.Mutex
	cmd    *exec.Cmd
	stdin  io.WriteCloser // held open: the launcher exits when it closes (parent died)
	done   chan struct{}  // closed when cmd has been waited for
	starts int
}

// StartServer starts a private launcher instance (own free port, own temporary
// data directory) and waits until Bolt accepts connections. It is stopped when
// tb's test ends. Without Java/Maven (the launcher cannot be built) it fails tb.
func StartServer(tb testing.TB) *Server {
	tb.Helper()
	java, args, err := launcherCommand()
	if err != nil {
		tb.Fatalf("neo4jtest: %v", err)
	}
	port, err := freePort()
	if err != nil {
		tb.Fatalf("neo4jtest: free port: %v", err)
	}
	dir := tb.TempDir()
	s := &Server{
		tb:      tb,
		port:    port,
		dataDir: filepath.Join(dir, "data"),
		logDir:  dir,
		java:    java,
		args:    args,
	}
	tb.Cleanup(s.Stop)
	if err := s.start(); err != nil {
		tb.Fatalf("neo4jtest: %v", err)
	}
	return s
}

// URI is the server's Bolt address, bolt://127.0.0.1:PORT.
func (s *Server) URI() string { return "bolt://127.0.0.1:" + strconv.Itoa(s.port) }

// Start starts the server again on the same port and data directory and waits
// until Bolt accepts connections; a no-op if it runs. It fails the test on error.
func (s *Server) Start() {
	s.tb.Helper()
	if err := s.start(); err != nil {
		s.tb.Fatalf("neo4jtest: %v", err)
	}
}

// Stop shuts the server down (SIGTERM, then SIGKILL after a minute) and waits
// for it to exit; a no-op if it is not running.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	t0 := time.Now()
	select {
	case <-s.done:
	default:
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(stopTimeout):
			s.tb.Logf("neo4jtest: launcher on port %d ignored SIGTERM for %s, killing it", s.port, stopTimeout)
			_ = s.cmd.Process.Kill()
			<-s.done
		}
		s.tb.Logf("neo4jtest: private Neo4j at %s stopped in %.1fs", s.URI(), time.Since(t0).Seconds())
	}
	_ = s.stdin.Close()
	s.cmd, s.stdin, s.done = nil, nil, nil
}

func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		select {
		case <-s.done: // died on its own: start it again
			_ = s.stdin.Close()
			s.cmd = nil
		default:
			return nil
		}
	}
	s.starts++
	logPath := filepath.Join(s.logDir, fmt.Sprintf("launcher-%d.log", s.starts))
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close() // the child holds its own copy
	args := append(append([]string(nil), s.args...), strconv.Itoa(s.port), s.dataDir)
	cmd := exec.Command(s.java, args...)
	cmd.Env = append(os.Environ(), "NEO4J_LAUNCHER_WATCH_STDIN=1")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting launcher (%s): %w", s.java, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	s.cmd, s.stdin, s.done = cmd, stdin, done

	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-done:
			_ = stdin.Close()
			s.cmd = nil
			return fmt.Errorf("launcher on port %d exited during start-up (%v); log %s:\n%s",
				s.port, cmd.ProcessState, logPath, tail(logPath, 40))
		default:
		}
		if logHas(logPath, "launcher: bolt ready") && portOpen(s.port) {
			s.tb.Logf("neo4jtest: private Neo4j at %s ready in %.1fs (start #%d)", s.URI(), time.Since(t0).Seconds(), s.starts)
			return nil
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-done
			_ = stdin.Close()
			s.cmd = nil
			return fmt.Errorf("launcher on port %d not ready after %s; log %s:\n%s", s.port, startTimeout, logPath, tail(logPath, 40))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

var launcher struct {
	once sync.Once
	java string
	args []string
	err  error
}

// launcherCommand returns java and its arguments up to the main class, asking
// scripts/neo4j.sh (which builds the launcher if needed) for the classpath and
// JVM options. Done once per test binary.
func launcherCommand() (string, []string, error) {
	launcher.once.Do(func() {
		launcher.java, launcher.args, launcher.err = buildLauncherCommand()
	})
	return launcher.java, launcher.args, launcher.err
}

func buildLauncherCommand() (string, []string, error) {
	root, err := projectRoot()
	if err != nil {
		return "", nil, err
	}
	java, err := exec.LookPath("java")
	if err != nil {
		return "", nil, fmt.Errorf("java not found on PATH: the Neo4j launcher needs a JDK 17+ and Maven (%v)", err)
	}
	script := filepath.Join(root, "scripts", "neo4j.sh")
	run := func(arg string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute) // a cold Maven build
		defer cancel()
		var stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, "bash", script, arg)
		cmd.Dir = root
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return "", fmt.Errorf("%s %s: %v\n%s", script, arg, err, stderr.String())
		}
		return strings.TrimSpace(string(out)), nil
	}
	cp, err := run("classpath")
	if err != nil {
		return "", nil, fmt.Errorf("cannot build the Neo4j launcher: %w", err)
	}
	opts, err := run("jvm-opts")
	if err != nil {
		return "", nil, err
	}
	args := strings.Fields(opts)
	args = append(args, "-cp", cp, "org.orgraph.launcher.Launcher")
	return java, args, nil
}

// projectRoot walks up from the working directory (a test runs in its
// package's directory) to the directory holding go.mod.
func projectRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("project root (go.mod) not found above the working directory")
		}
		dir = parent
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func portOpen(port int) bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}

func logHas(path, s string) bool {
	b, err := os.ReadFile(path)
	return err == nil && bytes.Contains(b, []byte(s))
}

func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}
