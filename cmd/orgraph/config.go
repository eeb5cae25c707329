package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/orgraph/orgraph/internal/neo4jstore"
	"github.com/orgraph/orgraph/internal/server"
)

// config is everything the environment sets. The Neo4j variables carry the
// names Neo4j's own tools use.
type config struct {
	Addr            string // ADDR, default 127.0.0.1:8080
	ComplexityLimit int    // ORGRAPH_COMPLEXITY_LIMIT, default 5000
	DataDir         string // ORGRAPH_DATA or --data, default ./data: the embedded store's scenarios and edits
	AdminToken      string // ORGRAPH_ADMIN_TOKEN: the bearer token admin mutations need
	AnswerCacheMB   int    // ORGRAPH_ANSWER_CACHE_MB, default 64: answers kept for repeated baseline queries; 0 keeps none
	Neo4j           neo4jstore.Config

	// ORGRAPH_CORS_ORIGINS: other origins whose pages may call the API,
	// comma-separated, or *; unset: same origin only.
	CORSOrigins []string
}

func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		Addr:          envOr(getenv, "ADDR", "127.0.0.1:8080"),
		DataDir:       envOr(getenv, "ORGRAPH_DATA", "data"),
		AdminToken:    getenv("ORGRAPH_ADMIN_TOKEN"),
		AnswerCacheMB: 64,
		Neo4j: neo4jstore.Config{
			URI:      getenv("NEO4J_URI"),
			Username: getenv("NEO4J_USERNAME"),
			Password: getenv("NEO4J_PASSWORD"),
			Database: getenv("NEO4J_DATABASE"),
		},
	}
	var err error
	set := func(key string, parse func(string) error) {
		if v := getenv(key); v != "" && err == nil {
			if perr := parse(v); perr != nil {
				err = fmt.Errorf("%s=%q: %v", key, v, perr)
			}
		}
	}
	set("ORGRAPH_COMPLEXITY_LIMIT", func(v string) (e error) { c.ComplexityLimit, e = strconv.Atoi(v); return })
	set("ORGRAPH_ANSWER_CACHE_MB", func(v string) (e error) {
		if c.AnswerCacheMB, e = strconv.Atoi(v); e == nil && (c.AnswerCacheMB < 0 || c.AnswerCacheMB > 1<<14) {
			e = fmt.Errorf("want a number of MiB from 0 (keep none) to 16384")
		}
		return
	})
	set("ORGRAPH_CORS_ORIGINS", func(v string) (e error) { c.CORSOrigins, e = server.ParseOrigins(v); return })
	set("NEO4J_MAX_POOL_SIZE", func(v string) (e error) { c.Neo4j.MaxPoolSize, e = strconv.Atoi(v); return })
	set("NEO4J_CONNECT_TIMEOUT", func(v string) (e error) { c.Neo4j.ConnectTimeout, e = time.ParseDuration(v); return })
	set("NEO4J_QUERY_TIMEOUT", func(v string) (e error) { c.Neo4j.QueryTimeout, e = time.ParseDuration(v); return })
	return c, err
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
