#!/usr/bin/env bash
# `make test`: gofmt, go vet, then all Go tests with the race detector against a real Neo4j.
#
# The Neo4j backend is picked here and printed:
#   (a) NEO4J_TEST_URI set             -> that server (NEO4J_TEST_USERNAME/PASSWORD optional)
#   (b) a Docker engine answers         -> testcontainers-go, one neo4j:5.26 container per test
#                                          binary (ORGRAPH_NEO4J_BACKEND=testcontainers)
#   (c) otherwise                       -> the local launcher (scripts/neo4j.sh) on 127.0.0.1:NEO4J_TEST_PORT
#                                          (default 7688, beside a developer's `make neo4j-up` on 7687),
#                                          fresh data in .neo4j/test, stopped on exit even if tests fail.
# Environment: PKGS (package patterns, default ./...), GO_TEST_TIMEOUT (default 20m),
#   GO_TEST_FLAGS (extra flags for go test), TEST_VERBOSE=1 (echo all test output).
# The closing line is `N passed, N failed, N skipped` (scripts/testsummary); the exit status is
# non-zero on gofmt/vet problems, failed tests, skipped Neo4j tests, or declared Neo4j tests that did not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
GO="${GO:-go}"
read -r -a PKGS_ARR <<<"${PKGS:-./...}"
TIMEOUT="${GO_TEST_TIMEOUT:-20m}"
read -r -a EXTRA_FLAGS <<<"${GO_TEST_FLAGS:-}"

section() { echo "== $*"; }

# ---- gofmt and vet ----
section "gofmt"
mapfile -t gofiles < <(
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files --cached --others --exclude-standard -- '*.go'
  else
    find . -name '*.go' -not -path './.git/*'
  fi | grep -v -E '(^|/)vendor/' || true
)
existing=()
for f in "${gofiles[@]}"; do [[ -f "$f" ]] && existing+=("$f"); done
if ((${#existing[@]})); then
  unformatted="$(gofmt -l "${existing[@]}")"
  if [[ -n "$unformatted" ]]; then
    echo "gofmt would change these files (run gofmt -w):"
    echo "$unformatted"
    exit 1
  fi
fi
section "go vet ${PKGS_ARR[*]}"
"$GO" vet "${PKGS_ARR[@]}"

# ---- tools the tests call ----
# Graphviz's dot checks the DOT export (internal/export); Debian's Chromium
# runs the browser tests (internal/e2e). Installed here so that `make test`
# sets up a fresh machine by itself.
missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
[[ -n "${CHROMIUM:-}" ]] || command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ((${#missing[@]})); then
  section "installing ${missing[*]} for the export and browser tests"
  sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  if command -v apt-get >/dev/null 2>&1; then
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
      echo "${missing[*]} could not be installed: the tests that need them will fail" >&2
  else
    echo "no apt-get: install ${missing[*]} by hand (or set CHROMIUM), or the tests that need them fail" >&2
  fi
fi

# ---- Neo4j backend ----
neo4j_started=""
cleanup() {
  if [[ -n "$neo4j_started" ]]; then
    # Quiet on success, so that the summary's closing line stays the last line of the output.
    NEO4J_PORT="$NEO4J_TEST_PORT" NEO4J_STATE_DIR="$ROOT/.neo4j/test" "$ROOT/scripts/neo4j.sh" down >/dev/null ||
      echo "neo4j: stopping the test launcher on port $NEO4J_TEST_PORT failed" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

docker_reachable() {
  command -v docker >/dev/null 2>&1 || return 1
  if command -v timeout >/dev/null 2>&1; then
    timeout 10 docker info >/dev/null 2>&1
  else
    docker info >/dev/null 2>&1
  fi
}

if [[ -n "${NEO4J_TEST_URI:-}" ]]; then
  backend="Neo4j server at $NEO4J_TEST_URI (NEO4J_TEST_URI)"
  export ORGRAPH_NEO4J_BACKEND=uri
elif docker_reachable; then
  backend="testcontainers neo4j:5.26 (one container per test binary)"
  export ORGRAPH_NEO4J_BACKEND=testcontainers
else
  NEO4J_TEST_PORT="${NEO4J_TEST_PORT:-7688}"
  export NEO4J_TEST_PORT
  section "neo4j: no NEO4J_TEST_URI and no Docker engine: starting the local launcher on port $NEO4J_TEST_PORT"
  # Fresh data for every run; a launcher left over from an interrupted run is stopped first.
  NEO4J_PORT="$NEO4J_TEST_PORT" NEO4J_STATE_DIR="$ROOT/.neo4j/test" "$ROOT/scripts/neo4j.sh" down >/dev/null
  rm -rf "$ROOT/.neo4j/test/data"
  neo4j_started=1
  NEO4J_PORT="$NEO4J_TEST_PORT" NEO4J_STATE_DIR="$ROOT/.neo4j/test" "$ROOT/scripts/neo4j.sh" up
  export NEO4J_TEST_URI="bolt://127.0.0.1:$NEO4J_TEST_PORT"
  unset NEO4J_TEST_USERNAME NEO4J_TEST_PASSWORD
  backend="local launcher (embedded Neo4j 5.26 Community) at $NEO4J_TEST_URI"
  export ORGRAPH_NEO4J_BACKEND=launcher
fi
section "neo4j backend: $backend"

# ---- tests ----
section "go test -race -count=1 -json -timeout $TIMEOUT ${EXTRA_FLAGS[*]} ${PKGS_ARR[*]}"
# Build the summary program first so its compile errors are not mistaken for test output.
summary_bin="$(mktemp -d)/testsummary"
"$GO" build -o "$summary_bin" ./scripts/testsummary
summary_flags=(-neo4j-backend "$backend")
[[ "${TEST_VERBOSE:-}" == 1 ]] && summary_flags+=(-v)

# The Neo4j outage test holds recovery to a bound in seconds: it runs after
# the others, alone, so that their load on the machine's cores is not in its
# figures. Its output joins theirs in one summary.
alone='^TestNeo4jFaults$'
alone_pkg=github.com/orgraph/orgraph/cmd/orgraph
differential_pkg=github.com/orgraph/orgraph/internal/neo4jstore
set +e
{
  "$GO" test -race -count=1 -json -timeout "$TIMEOUT" -skip "$alone" "${EXTRA_FLAGS[@]}" "${PKGS_ARR[@]}" 2>&1
  first=$?
  if "$GO" list "${PKGS_ARR[@]}" 2>/dev/null | grep -qx "$alone_pkg"; then
    "$GO" test -race -count=1 -json -timeout "$TIMEOUT" -run "$alone" "${EXTRA_FLAGS[@]}" "$alone_pkg" 2>&1 || first=1
  fi
  # The differential test once more at City Hall size, one organisation of
  # 20,000 units on both stores, outside the race detector (about a minute).
  if "$GO" list "${PKGS_ARR[@]}" 2>/dev/null | grep -qx "$differential_pkg"; then
    ORGRAPH_DIFFERENTIAL_UNITS=20000 "$GO" test -count=1 -json -timeout "$TIMEOUT" -run '^TestNeo4jDifferential$' \
      "${EXTRA_FLAGS[@]}" "$differential_pkg" 2>&1 || first=1
  fi
  exit "$first"
} | "$summary_bin" "${summary_flags[@]}" "${PKGS_ARR[@]}"
statuses=("${PIPESTATUS[@]}")
set -e
rm -rf "$(dirname "$summary_bin")"
go_status="${statuses[0]}"
summary_status="${statuses[1]}"
if ((summary_status != 0)); then
  exit "$summary_status"
fi
if ((go_status != 0)); then
  echo "go test exited with status $go_status" >&2
  exit "$go_status"
fi
