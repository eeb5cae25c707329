# orgraph's vocabulary: make run, make test, make generate, make build, make lint.
GO ?= go
BIN := bin/orgraph

.PHONY: run build generate lint test neo4j-up neo4j-down

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
