#!/usr/bin/env bash
# The benchmark suite in one command: builds the jar, installs PeerServer 1.0.2 from npm into
# target/bench/peerserver, and runs every scenario against Switchboard, PeerServer and the raw
# forwarding baseline, A B A B. Figures go to the terminal and to target/bench/results-<time>.txt.
#
#   scripts/bench.sh                 # the full run (about 12 minutes on 2 cores)
#   scripts/bench.sh --smoke         # seconds, tiny sizes
#   scripts/bench.sh --scenarios relay,fixed --rounds 3 --pairs 200   # see --help for all options
#
# The node scenarios (node-idle, node-pingpong, node-fixed, mix) run src/bench/js/ws-load.mjs under Node with
# the ws package installed here next to PeerServer (ws, exact version below). With BENCH_NO_PEERSERVER=1 nothing
# is installed: pass --ws-from DIR (DIR/node_modules/ws) or leave those scenarios out.
#
# Loopback only (127.0.0.1 for the servers, 127.0.0.2.. as the generator's source addresses).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH_DIR="$ROOT/target/bench"
PEER_DIR="$BENCH_DIR/peerserver"
PEER_VERSION="1.0.2"
WS_VERSION="8.23.0"

die() {
  echo "bench: FAILED: $*" >&2
  exit 1
}

# Idle-memory runs hold one socket per peer in each process: take every file descriptor allowed.
ulimit -n "$(ulimit -Hn)" || true

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "bench: building (mvn package -DskipTests)"
  mvn -q -B -ntp package -DskipTests || die "build failed"
fi
mkdir -p "$BENCH_DIR"
mvn -q -B -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$BENCH_DIR/classpath.txt" \
  || die "could not resolve the benchmark classpath"

PEER_ARGS=()
if [ "${BENCH_NO_PEERSERVER:-0}" != 1 ]; then
  command -v node >/dev/null 2>&1 || die "node is not on PATH (needed to run PeerServer)"
  installed() {
    node -p "try{require('$PEER_DIR/node_modules/$1/package.json').version}catch(e){''}" 2>/dev/null
  }
  if [ "$(installed peer)" != "$PEER_VERSION" ] || [ "$(installed ws)" != "$WS_VERSION" ]; then
    echo "bench: installing PeerServer (npm peer@$PEER_VERSION) and ws@$WS_VERSION into $PEER_DIR"
    mkdir -p "$PEER_DIR"
    [ -f "$PEER_DIR/package.json" ] || echo '{"name":"bench-peerserver","private":true}' > "$PEER_DIR/package.json"
    (cd "$PEER_DIR" && npm install --no-audit --no-fund --save-exact "peer@$PEER_VERSION" "ws@$WS_VERSION" >/dev/null) \
      || die "npm install peer@$PEER_VERSION ws@$WS_VERSION failed"
  fi
  PEER_ARGS=(--peerserver "$PEER_DIR/node_modules/peer/dist/bin/peerjs.js" --ws-from "$PEER_DIR")
fi

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$BENCH_DIR/results-$STAMP.txt"
echo "bench: results also go to $OUT"
java -Xms256m -Xmx2g -XX:+UseParallelGC -cp "$ROOT/target/test-classes:$(cat "$BENCH_DIR/classpath.txt")" \
  dev.switchboard.bench.Bench --jar "$ROOT/target/switchboard.jar" --log-dir "$BENCH_DIR/logs" \
  "${PEER_ARGS[@]}" "$@" 2>&1 | tee "$OUT"
exit "${PIPESTATUS[0]}"
