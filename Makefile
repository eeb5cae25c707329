# orgraph's vocabulary: make run, make test, make generate, make build, make lint; make help lists it all.
GO ?= go
BIN := bin/orgraph
.DEFAULT_GOAL := run

.PHONY: help run build generate lint test bench bench-scale neo4j-up neo4j-down profile

## help: list the targets, from their ## target: comments
help:
	@awk '/^## [a-z0-9-]+: / { t = $$2; sub(/:$$/, "", t); sub(/^## [a-z0-9-]+: /, ""); printf "  %-11s %s\n", t, $$0 }' $(firstword $(MAKEFILE_LIST))

## run: serve the seeded graph on the embedded store (ADDR, default 127.0.0.1:8080)
run:
	$(GO) run ./cmd/orgraph serve

## build: build the server binary into bin/
build:
	$(GO) build -o $(BIN) ./cmd/orgraph

## generate: regenerate the GraphQL executor from schema.graphqls and gqlgen.yml
generate:
	$(GO) run github.com/99designs/gqlgen generate

## lint: gofmt and go vet
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## test: gofmt, go vet, then go test -race over ./... against a real Neo4j (scripts/test.sh picks it: NEO4J_TEST_URI, Docker/testcontainers, or the local launcher on port 7688); PKGS=./internal/... narrows
test:
	GO=$(GO) bash scripts/test.sh

## bench: orgraph (embedded and Neo4j) against the DB floor and the HTTP floor on Q1-Q3, one table (scripts/bench.sh: NEO4J_BENCH_URI, EMPTIED first, or the local launcher on port 7689); BENCH_FLAGS passes flags, e.g. BENCH_FLAGS='-units 20000 -json bench.json' or BENCH_FLAGS='-scale 150,2000,20000,100000'
bench:
	GO=$(GO) bash scripts/bench.sh $(BENCH_FLAGS)

## bench-scale: make bench with the scale table at 150, 2,000, 20,000 and 100,000 generated units on both stores (issue 9's figures; about 30 minutes on 2 cores)
bench-scale:
	GO=$(GO) bash scripts/bench.sh -scale 150,2000,20000,100000 $(BENCH_FLAGS)

## neo4j-up: start a local Neo4j 5.26 (embedded launcher, no auth) on bolt://127.0.0.1:7687 (NEO4J_PORT moves it), data in .neo4j/
neo4j-up:
	bash scripts/neo4j.sh up

## neo4j-down: stop the local Neo4j started by neo4j-up
neo4j-down:
	bash scripts/neo4j.sh down

## profile: CPU and blocking profiles of the reference queries through the real handler over the embedded store (in .profile/)
profile:
	@mkdir -p .profile
	$(GO) test -run '^$$' -bench BenchmarkReferenceQueries -benchtime 3s -benchmem \
	  -cpuprofile .profile/cpu.out -blockprofile .profile/block.out -o .profile/server.test ./internal/server/
	$(GO) tool pprof -top -nodecount 25 .profile/server.test .profile/cpu.out
	$(GO) tool pprof -top -nodecount 10 .profile/server.test .profile/block.out
	@echo "interactive: go tool pprof -http=127.0.0.1:0 .profile/server.test .profile/cpu.out"
