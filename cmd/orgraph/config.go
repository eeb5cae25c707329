package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/orgraph/orgraph/internal/auth"
	"github.com/orgraph/orgraph/internal/memtune"
	"github.com/orgraph/orgraph/internal/neo4jstore"
	"github.com/orgraph/orgraph/internal/observe"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
)

// config is everything the environment sets. The Neo4j variables carry the
// names Neo4j's own tools use.
type config struct {
	Addr            string // ADDR, default 127.0.0.1:8080
	ComplexityLimit int    // ORGRAPH_COMPLEXITY_LIMIT, default 5000
	DataDir         string // ORGRAPH_DATA or --data, default ./data: the embedded store's scenarios and edits
	AdminToken      string // ORGRAPH_ADMIN_TOKEN: one more admin token, subject "admin"
	TokensFile      string // ORGRAPH_TOKENS_FILE: token,subject,role per line
	AnonymousRole   string // ORGRAPH_ANONYMOUS_ROLE, default viewer; none refuses requests without a token
	JWT             auth.JWTConfig
	ConcurrentReads int    // ORGRAPH_CONCURRENT_READS: 0 unset (the store's default), -1 none
	AnswerCacheMB   int    // ORGRAPH_ANSWER_CACHE_MB, default 64: answers kept for repeated baseline queries; 0 keeps none
	GCHeadroomMB    int    // ORGRAPH_GC_HEADROOM_MB, default 256: the heap's least growth between collections; 0 leaves Go's default
	LogFormat       string // ORGRAPH_LOG_FORMAT: text or json
	LogLevel        slog.Level
	MetricsAddr     string // ORGRAPH_METRICS_ADDR: /metrics on its own listener; unset: on ADDR
	OTLPEndpoint    string // OTEL_EXPORTER_OTLP_ENDPOINT: traces to this collector; unset: no tracing
	Neo4j           neo4jstore.Config

	// ORGRAPH_CORS_ORIGINS: other origins whose pages may call the API,
	// comma-separated, or *; unset: same origin only.
	CORSOrigins []string
}

// envVar is one variable orgraph reads: the list `orgraph help` prints and
// the README's configuration table is checked against (readme_test.go).
type envVar struct {
	Name    string
	Default string // as the README shows it
	Meaning string // Markdown; `orgraph help` prints it plain
	// set parses a value that is not empty into c; its error says what is
	// allowed. Nil: any value is taken as it is.
	set func(c *config, v string) error
}

// envVars lists every variable, in the README's order.
var envVars = []envVar{
	{"ADDR", "`127.0.0.1:8080`", "where the server listens, host:port (`:8080` for every interface, port `0` for any free one; `--addr` too)",
		func(c *config, v string) error { c.Addr = v; return checkAddr(v) }},
	{"NEO4J_URI", "unset", "serve from Neo4j: `bolt://host:7687` for one server, `neo4j://host:7687` for a cluster, whose readers then take the reads (schemes: " + strings.Join(neo4jSchemes, ", ") + "); unset: the embedded store",
		func(c *config, v string) error { c.Neo4j.URI = v; return checkNeo4jURI(v) }},
	{"NEO4J_USERNAME", "unset", "the Neo4j user (basic auth); unset: no auth",
		func(c *config, v string) error { c.Neo4j.Username = v; return nil }},
	{"NEO4J_PASSWORD", "unset", "the Neo4j user's password (never logged)",
		func(c *config, v string) error { c.Neo4j.Password = v; return nil }},
	{"NEO4J_DATABASE", "server default", "the database to use",
		func(c *config, v string) error { c.Neo4j.Database = v; return nil }},
	{"NEO4J_MAX_POOL_SIZE", "driver default (100)", "connections kept per server, a whole number from 1",
		func(c *config, v string) (err error) { c.Neo4j.MaxPoolSize, err = positiveInt(v); return }},
	{"NEO4J_CONNECT_TIMEOUT", "driver default (5s)", "how long to dial a server, a positive Go duration (`2s`, `1m`)",
		func(c *config, v string) (err error) { c.Neo4j.ConnectTimeout, err = positiveDuration(v); return }},
	{"NEO4J_QUERY_TIMEOUT", "`30s`", "how long one statement may take, a positive Go duration",
		func(c *config, v string) (err error) { c.Neo4j.QueryTimeout, err = positiveDuration(v); return }},
	{"ORGRAPH_COMPLEXITY_LIMIT", "`5000`", "the most a query may cost, a whole number from 1",
		func(c *config, v string) (err error) { c.ComplexityLimit, err = positiveInt(v); return }},
	{"ORGRAPH_CONCURRENT_READS", "the CPUs on the embedded store, `none` on Neo4j", "the queries that run at once, a whole number from 1, or `none` for no bound; the others wait their turn, and writes never wait (see [Writes under load](#writes-under-load))",
		func(c *config, v string) (err error) {
			if v == "none" {
				c.ConcurrentReads = -1
				return nil
			}
			if c.ConcurrentReads, err = positiveInt(v); err != nil {
				return errors.New("want a whole number from 1, or none")
			}
			return nil
		}},
	{"ORGRAPH_TOKENS_FILE", "unset", "the static tokens file: CSV, one `token,subject,role` a line, as Kubernetes' `--token-auth-file` (see [Who may do what](#who-may-do-what)); a bad line stops the server, naming the line",
		func(c *config, v string) error { c.TokensFile = v; return nil }},
	{"ORGRAPH_ADMIN_TOKEN", "unset", "one more bearer token, of the subject `admin` in the role admin (never logged)",
		func(c *config, v string) error { c.AdminToken = v; return nil }},
	{"ORGRAPH_ANONYMOUS_ROLE", "`viewer`", "the role of a request without a token: `viewer`, `planner`, `admin`, or `none` to refuse it (401 UNAUTHENTICATED)",
		func(c *config, v string) error {
			if v != auth.None {
				if _, err := org.ParseRole(v); err != nil {
					return errors.New("want viewer, planner, admin or none")
				}
			}
			c.AnonymousRole = v
			return nil
		}},
	{"ORGRAPH_JWT_JWKS", "unset", "accept JWTs signed by a key of this JWKS: an `https://` URL (refreshed hourly) or a file; unset: no JWTs",
		func(c *config, v string) error { c.JWT.JWKS = v; return nil }},
	{"ORGRAPH_JWT_ISSUER", "unset", "the `iss` a JWT must carry; unset: any",
		func(c *config, v string) error { c.JWT.Issuer = v; return nil }},
	{"ORGRAPH_JWT_AUDIENCE", "unset", "an `aud` a JWT must carry; unset: any",
		func(c *config, v string) error { c.JWT.Audience = v; return nil }},
	{"ORGRAPH_JWT_ROLE_CLAIM", "`role`", "the JWT claim that holds the role (`viewer`, `planner` or `admin`)",
		func(c *config, v string) error { c.JWT.RoleClaim = v; return nil }},
	{"ORGRAPH_DATA", "`./data`", "where the embedded store keeps scenarios, applied edits and a generated baseline (`--data` too)",
		func(c *config, v string) error { c.DataDir = v; return nil }},
	{"ORGRAPH_ANSWER_CACHE_MB", "`64`", "MiB of answers kept for repeated queries of the baseline, until the baseline changes (see [Speed](#speed)), from `0` (keep none) to `16384`",
		func(c *config, v string) (err error) { c.AnswerCacheMB, err = mebibytes(v, "keep none"); return }},
	{"ORGRAPH_GC_HEADROOM_MB", "`256`", "MiB the heap may grow by between garbage collections, at least, however little is live (see [Writes under load](#writes-under-load)), from `0` (Go's default: as much as is live) to `16384`; a `GOGC` setting overrides it",
		func(c *config, v string) (err error) { c.GCHeadroomMB, err = mebibytes(v, "Go's default"); return }},
	{"ORGRAPH_CORS_ORIGINS", "unset", "origins whose pages may call the API from a browser, comma-separated (`https://charts.example.org,http://localhost:5173`), or `*`; unset: the same origin only",
		func(c *config, v string) (err error) { c.CORSOrigins, err = server.ParseOrigins(v); return }},
	{"ORGRAPH_LOG_FORMAT", "`text`", "the log's format: `text` (key=value) or `json` (one object a line), on stderr",
		func(c *config, v string) error {
			if v != "text" && v != "json" {
				return errors.New("want text or json")
			}
			c.LogFormat = v
			return nil
		}},
	{"ORGRAPH_LOG_LEVEL", "`info`", "the least level logged: `debug`, `info` (a line a request), `warn` or `error`",
		func(c *config, v string) error {
			l, ok := logLevels[strings.ToLower(v)]
			if !ok {
				return errors.New("want debug, info, warn or error")
			}
			c.LogLevel = l
			return nil
		}},
	{"ORGRAPH_METRICS_ADDR", "unset", "serve `GET /metrics` on this host:port instead of ADDR (to keep it off a public address); unset: on ADDR",
		func(c *config, v string) error { c.MetricsAddr = v; return checkAddr(v) }},
	{"OTEL_EXPORTER_OTLP_ENDPOINT", "unset", "send traces (OTLP over HTTP) to this collector, such as `http://127.0.0.1:4318`; the other standard `OTEL_*` variables apply too (`OTEL_SERVICE_NAME`, `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_TRACES_SAMPLER`, …); unset: no tracing",
		func(c *config, v string) error { c.OTLPEndpoint = v; return observe.CheckEndpoint(v) }},
}

var logLevels = map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}

// neo4jSchemes are the URI schemes the Neo4j driver dials.
var neo4jSchemes = []string{"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}

// neo4jVars are the variables every command that may use Neo4j reads.
var neo4jVars = []string{"NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE", "NEO4J_MAX_POOL_SIZE", "NEO4J_CONNECT_TIMEOUT", "NEO4J_QUERY_TIMEOUT"}

// defaultConfig is the configuration of an empty environment.
func defaultConfig() config {
	return config{Addr: "127.0.0.1:8080", DataDir: "data", AnswerCacheMB: 64, GCHeadroomMB: memtune.DefaultHeadroomMB, LogFormat: "text", LogLevel: slog.LevelInfo}
}

// loadConfig reads and checks every variable.
func loadConfig(getenv func(string) string) (config, error) {
	var names []string
	for _, v := range envVars {
		names = append(names, v.Name)
	}
	return loadConfigOf(getenv, names)
}

// loadConfigOf reads and checks the variables named, and reports every one
// that is invalid, each with what it allows.
func loadConfigOf(getenv func(string) string, names []string) (config, error) {
	c := defaultConfig()
	var bad configError
	for _, v := range envVars {
		if !slices.Contains(names, v.Name) {
			continue
		}
		val := getenv(v.Name)
		if val == "" {
			continue
		}
		if err := v.set(&c, val); err != nil {
			bad = append(bad, fmt.Sprintf("%s=%q: %v", v.Name, val, err))
		}
	}
	if c.JWT.JWKS == "" && (c.JWT.Issuer != "" || c.JWT.Audience != "" || c.JWT.RoleClaim != "") {
		bad = append(bad, "ORGRAPH_JWT_ISSUER, ORGRAPH_JWT_AUDIENCE or ORGRAPH_JWT_ROLE_CLAIM is set but ORGRAPH_JWT_JWKS is not: JWTs need the key set")
	}
	if c.Neo4j.Password != "" && c.Neo4j.Username == "" {
		bad = append(bad, "NEO4J_PASSWORD is set but NEO4J_USERNAME is not: set both for basic auth, or neither")
	}
	if len(bad) > 0 {
		return c, bad
	}
	return c, nil
}

// configError lists the invalid settings, one a line.
type configError []string

func (e configError) Error() string { return strings.Join(e, "\n") }

func positiveInt(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, errors.New("want a whole number from 1")
	}
	return n, nil
}

// mebibytes reads a number of MiB from 0, which means zero, to 16384.
func mebibytes(v, zero string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 1<<14 {
		return 0, fmt.Errorf("want a number of MiB from 0 (%s) to 16384", zero)
	}
	return n, nil
}

func positiveDuration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, errors.New("want a positive Go duration such as 500ms, 2s or 1m")
	}
	return d, nil
}

// checkAddr accepts host:port with a numeric port (0 for any free one);
// the host may be empty (every interface).
func checkAddr(v string) error {
	const want = "want host:port, such as 127.0.0.1:8080, :8080 or [::1]:8080"
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		return errors.New(want)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("the port %q is not a number from 0 to 65535; %s", port, want)
	}
	if strings.ContainsAny(host, " /") {
		return fmt.Errorf("%q is not a host name or address; %s", host, want)
	}
	return nil
}

func checkNeo4jURI(v string) error {
	u, err := url.Parse(v)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("want scheme://host[:port] with a scheme of %s, such as bolt://127.0.0.1:7687", strings.Join(neo4jSchemes, ", "))
	}
	if !slices.Contains(neo4jSchemes, u.Scheme) {
		return fmt.Errorf("the scheme %q is not one of %s", u.Scheme, strings.Join(neo4jSchemes, ", "))
	}
	if u.User != nil {
		return errors.New("put the credentials in NEO4J_USERNAME and NEO4J_PASSWORD, not in the URI")
	}
	return nil
}

// newLogger makes the logger the configuration asks for, on w.
func newLogger(c config, w interface{ Write([]byte) (int, error) }) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

var mdLink = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)

// plain is Markdown text as a terminal shows it: no backticks, links as
// their text.
func plain(md string) string {
	return strings.ReplaceAll(mdLink.ReplaceAllString(md, "$1"), "`", "")
}
