#!/usr/bin/env bash
# `make bench`: orgraph against its floors in one run (cmd/orgbench).
#
# The Neo4j it measures:
#   NEO4J_BENCH_URI set              -> that server. It is EMPTIED first: never point it at data you keep.
#                                       (NEO4J_URI, which serves data, is deliberately not used.)
#   otherwise                        -> the local launcher (scripts/neo4j.sh) on 127.0.0.1:NEO4J_BENCH_PORT
#                                       (default 7689, apart from make test's 7688 and neo4j-up's 7687),
#                                       fresh data in .neo4j/bench, stopped on exit.
# Without Java/Maven the launcher cannot start: the bench then measures the embedded store and the
# HTTP floor only, and says so. Flags for orgbench follow on the command line (make: BENCH_FLAGS),
# e.g. scripts/bench.sh -n 5000 -units 20000 -json bench.json
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
GO="${GO:-go}"

uri="${NEO4J_BENCH_URI:-}"
started=""
PORT="${NEO4J_BENCH_PORT:-7689}"
STATE="$ROOT/.neo4j/bench"
cleanup() {
  if [[ -n "$started" ]]; then
    NEO4J_PORT="$PORT" NEO4J_STATE_DIR="$STATE" "$ROOT/scripts/neo4j.sh" down >/dev/null ||
      echo "bench: stopping the launcher on port $PORT failed" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n "$uri" ]]; then
  echo "== bench: Neo4j at $uri: WARNING, its database is emptied and loaded with the seed"
else
  echo "== bench: starting the local launcher on port $PORT (state in .neo4j/bench)"
  # Fresh data every run; a launcher left over from an interrupted run is stopped first.
  NEO4J_PORT="$PORT" NEO4J_STATE_DIR="$STATE" "$ROOT/scripts/neo4j.sh" down >/dev/null || true
  rm -rf "$STATE/data"
  started=1
  if NEO4J_PORT="$PORT" NEO4J_STATE_DIR="$STATE" "$ROOT/scripts/neo4j.sh" up; then
    uri="bolt://127.0.0.1:$PORT"
    # Its resident memory goes into the scale table (-scale).
    set -- -neo4j-pid "$(cat "$STATE/neo4j.pid")" "$@"
  else
    echo "== bench: the launcher did not start; Neo4j figures will be missing" >&2
    uri="bolt://127.0.0.1:$PORT" # orgbench reports it unreachable and why
    set -- -neo4j-timeout 2s "$@"
  fi
fi

# NEO4J_URI is not passed on: -neo4j says which server, and only that one is emptied.
env -u NEO4J_URI "$GO" run ./cmd/orgbench -neo4j "$uri" "$@"
