package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/orgraph/orgraph/internal/neo4jstore"
)

// config is everything the environment sets. The Neo4j variables carry the
// names Neo4j's own tools use.
type config struct {
	Addr            string // ADDR, default 127.0.0.1:8080
	ComplexityLimit int    // ORGRAPH_COMPLEXITY_LIMIT, default 5000
	DataDir         string // ORGRAPH_DATA or --data, default ./data: the embedded store's scenarios and edits
	AdminToken      string // ORGRAPH_ADMIN_TOKEN: the bearer token admin mutations need
	Neo4j           neo4jstore.Config
}

func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		Addr:       envOr(getenv, "ADDR", "127.0.0.1:8080"),
		DataDir:    envOr(getenv, "ORGRAPH_DATA", "data"),
		AdminToken: getenv("ORGRAPH_ADMIN_TOKEN"),
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
