#!/usr/bin/env bash
# Local Neo4j 5.26 (embedded Community, tools/neo4j-launcher) for development and tests.
#
#   scripts/neo4j.sh up         build the launcher if needed, start it in the background, wait for Bolt
#   scripts/neo4j.sh down       stop it (SIGTERM, wait, then SIGKILL); idempotent
#   scripts/neo4j.sh status     say whether it runs
#   scripts/neo4j.sh build      build the launcher if sources/pom changed or target/ is missing
#   scripts/neo4j.sh classpath  (build if needed and) print the java classpath of the launcher
#   scripts/neo4j.sh jvm-opts   print the JVM options to run the launcher with, one per line
#
# Environment:
#   NEO4J_PORT           Bolt port on 127.0.0.1 (default 7687)
#   NEO4J_STATE_DIR      where data/, neo4j.log and neo4j.pid live (default <root>/.neo4j)
#   NEO4J_START_TIMEOUT  seconds to wait for Bolt (default 120)
#   NEO4J_STOP_TIMEOUT   seconds to wait after SIGTERM before SIGKILL (default 60)
#   NEO4J_HEAP           the JVM's maximum heap, as java's -Xmx takes it (default 4g: loads and
#                        queries at 100,000 generated units; the heap grows only as it is needed)
#   NEO4J_PAGECACHE      the store files kept in memory, as Neo4j's settings take a size (default
#                        2g: the store of 100,000 generated units, about 1.1 GiB; a store larger
#                        than the cache is written back and read again page by page)
# Needs java (17+) and, to build, mvn (3.8+). The server runs without authentication.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAUNCHER_DIR="$ROOT/tools/neo4j-launcher"
TARGET="$LAUNCHER_DIR/target"
STAMP="$TARGET/.built"
MAIN_CLASS="org.orgraph.launcher.Launcher"

PORT="${NEO4J_PORT:-7687}"
STATE_DIR="${NEO4J_STATE_DIR:-$ROOT/.neo4j}"
DATA_DIR="$STATE_DIR/data"
LOG="$STATE_DIR/neo4j.log"
PIDFILE="$STATE_DIR/neo4j.pid"
START_TIMEOUT="${NEO4J_START_TIMEOUT:-120}"
STOP_TIMEOUT="${NEO4J_STOP_TIMEOUT:-60}"
HEAP="${NEO4J_HEAP:-4g}"
[[ "$HEAP" =~ ^[1-9][0-9]*[kKmMgG]?$ ]] || { echo "neo4j: NEO4J_HEAP=$HEAP: want a size as -Xmx takes it (4g, 1536m)" >&2; exit 2; }

JVM_OPTS=(
  -Xms256m "-Xmx$HEAP"
  -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  -Dio.netty.tryReflectionSetAccessible=true
)

die() { echo "neo4j: $*" >&2; exit 1; }

classpath() { echo "$TARGET/classes:$TARGET/lib/*"; }

need_build() {
  [[ -f "$STAMP" && -f "$TARGET/classes/org/orgraph/launcher/Launcher.class" && -d "$TARGET/lib" ]] || return 0
  [[ -n "$(find "$LAUNCHER_DIR/pom.xml" "$LAUNCHER_DIR/src" -newer "$STAMP" -print -quit)" ]]
}

build() {
  need_build || return 0
  command -v java >/dev/null || die "java not found: install a JDK 17+ (Debian: apt-get install openjdk-17-jdk-headless)"
  command -v mvn >/dev/null || die "mvn not found: install Maven 3.8+ (Debian: apt-get install maven)"
  mkdir -p "$TARGET"
  # Serialise concurrent builds (e.g. several test binaries asking for the classpath at once).
  local lock="$TARGET/.build.lock"
  if command -v flock >/dev/null; then
    exec 9>"$lock"
    flock 9
    need_build || { exec 9>&-; return 0; }
  fi
  echo "neo4j: building launcher (mvn -B -q compile in tools/neo4j-launcher)" >&2
  local t0=$SECONDS
  # The stamp is written before the build, so an edit made while Maven runs triggers a rebuild.
  local newstamp="$TARGET/.built.new"
  touch "$newstamp"
  rm -rf "$TARGET/lib" # stale jars from an older Neo4j version must not stay on the classpath
  # Maven's output is kept only on failure (Debian's Maven 3.8 prints stray colour resets even with -B -q).
  local mvnlog="$TARGET/mvn.log"
  if ! mvn -B -q -Dstyle.color=never -f "$LAUNCHER_DIR/pom.xml" compile >"$mvnlog" 2>&1; then
    sed -e 's/\x1b\[[0-9;]*m//g' "$mvnlog" >&2
    rm -f "$newstamp"
    die "launcher build failed (Maven output above, also in $mvnlog)"
  fi
  mv "$newstamp" "$STAMP"
  echo "neo4j: launcher built in $((SECONDS - t0)) s" >&2
  if command -v flock >/dev/null; then exec 9>&-; fi
}

# alive PID: the process exists and is not a zombie (a container without an init may not reap it).
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  if [[ -r "/proc/$1/stat" ]]; then
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    [[ "${stat:0:1}" != "Z" ]] || return 1
  fi
  return 0
}

# pid of our launcher if it runs, else nothing (stale pid files are removed).
running_pid() {
  [[ -f "$PIDFILE" ]] || return 0
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid"; then
    # Guard against a recycled pid: it must be our launcher (checked where /proc exists).
    if [[ ! -r "/proc/$pid/cmdline" ]] || grep -qa "$MAIN_CLASS" "/proc/$pid/cmdline"; then
      echo "$pid"
      return 0
    fi
  fi
  rm -f "$PIDFILE"
}

port_open() {
  if command -v timeout >/dev/null; then
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

wait_ready() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! alive "$pid"; then
      echo "neo4j: launcher exited during start-up; last lines of $LOG:" >&2
      tail -n 40 "$LOG" >&2 || true
      rm -f "$PIDFILE"
      return 1
    fi
    if grep -q '^launcher: bolt ready' "$LOG" 2>/dev/null && port_open "$PORT"; then
      return 0
    fi
    sleep 0.3
  done
  echo "neo4j: Bolt not ready on 127.0.0.1:$PORT after ${START_TIMEOUT} s; last lines of $LOG:" >&2
  tail -n 40 "$LOG" >&2 || true
  return 1
}

up() {
  local pid
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    wait_ready "$pid" || die "already running (pid $pid) but not ready"
    echo "neo4j: bolt://127.0.0.1:$PORT ready (already running, pid $pid)"
    return 0
  fi
  if port_open "$PORT"; then
    die "port $PORT on 127.0.0.1 is already in use by another process (set NEO4J_PORT)"
  fi
  build
  mkdir -p "$DATA_DIR"
  [[ -f "$LOG" ]] && mv -f "$LOG" "$LOG.1"
  local t0=$SECONDS
  nohup java "${JVM_OPTS[@]}" -cp "$(classpath)" "$MAIN_CLASS" "$PORT" "$DATA_DIR" >"$LOG" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PIDFILE"
  wait_ready "$pid" || { kill -KILL "$pid" 2>/dev/null || true; rm -f "$PIDFILE"; die "start failed"; }
  echo "neo4j: bolt://127.0.0.1:$PORT ready (pid $pid, started in $((SECONDS - t0)) s, log $LOG)"
}

down() {
  local pid
  pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    echo "neo4j: not running (port $PORT)"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  if alive "$pid"; then
    echo "neo4j: pid $pid still running after ${STOP_TIMEOUT} s, sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
    if alive "$pid"; then die "pid $pid survived SIGKILL"; fi
  fi
  rm -f "$PIDFILE"
  echo "neo4j: stopped (pid $pid, port $PORT)"
}

status() {
  local pid
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    echo "neo4j: running, pid $pid, bolt://127.0.0.1:$PORT, state $STATE_DIR"
  else
    echo "neo4j: not running (port $PORT, state $STATE_DIR)"
    return 3
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  build) build ;;
  classpath) build && classpath ;;
  jvm-opts) printf '%s\n' "${JVM_OPTS[@]}" ;;
  *) echo "usage: $0 up|down|status|build|classpath|jvm-opts" >&2; exit 2 ;;
esac
