#!/usr/bin/env bash
# Churn soak: runs the packaged jar for a few minutes under a steady churn of PeerJS-like peers
# (connects, disconnects, relays, messages to peers that just left) and reports whether memory drifts:
# the slope of the heap after a full GC and of the RSS over the run (after a warm-up), and the peers the
# broker still lists once every client has gone (leaked peers). Not part of mvn verify; its figures are
# in docs/deploy.md ("Soak").
#
#   scripts/soak.sh                          # 3 minutes, 200 peers, 40 replaced and 400 relays per second
#   scripts/soak.sh --minutes 30 --peers 1000 --churn 100 --relays 2000
#   SOAK_SKIP_BUILD=1 scripts/soak.sh        # use target/switchboard.jar and target/test-classes as they are
#
# Loopback only. Output: the terminal and target/soak/soak-<time>.txt; samples in target/soak/samples.txt.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT_DIR="$ROOT/target/soak"
MINUTES=3 PEERS=200 CHURN=40 RELAYS=400 INTERVAL=10
HEAP_OPTS=${SOAK_JVM:-"-Xms64m -Xmx256m -XX:+UseParallelGC -Xmn48m"}

while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) MINUTES="$2"; shift 2 ;;
    --peers) PEERS="$2"; shift 2 ;;
    --churn) CHURN="$2"; shift 2 ;;
    --relays) RELAYS="$2"; shift 2 ;;
    --interval) INTERVAL="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "soak: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() {
  echo "soak: FAILED: $*" >&2
  exit 1
}

if [ "${SOAK_SKIP_BUILD:-0}" != 1 ]; then
  echo "soak: building (mvn package -DskipTests)"
  mvn -q -B -ntp ${SOAK_MVN_OPTS:-} package -DskipTests || die "build failed"
fi
mkdir -p "$OUT_DIR"
# The test classpath (the client is in src/bench), through the exec plugin the build already uses.
[ -s "$OUT_DIR/classpath.txt" ] && [ "$OUT_DIR/classpath.txt" -nt pom.xml ] \
  || mvn -q -B -ntp ${SOAK_MVN_OPTS:-} org.codehaus.mojo:exec-maven-plugin:3.6.2:exec -Dexec.executable=echo \
    -Dexec.args=%classpath -Dexec.classpathScope=test -Dexec.outputFile="$OUT_DIR/classpath.txt" \
  || die "could not resolve the client's classpath"

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
REPORT="$OUT_DIR/soak-$STAMP.txt"
LOG="$OUT_DIR/broker-$STAMP.log"
SAMPLES="$OUT_DIR/samples.txt"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JCMD="${JAVA_HOME:+$JAVA_HOME/bin/}jcmd"

# shellcheck disable=SC2086
"$JAVA" $HEAP_OPTS -jar target/switchboard.jar --host 127.0.0.1 --port 0 --allow_discovery >"$LOG" 2>&1 &
BROKER=$!
trap 'kill "$BROKER" 2>/dev/null || true' EXIT
PORT=""
for _ in $(seq 1 300); do
  PORT="$(grep -oE 'listening on http://[^:]+:[0-9]+/' "$LOG" | grep -oE '[0-9]+/$' | tr -d / || true)"
  [ -n "$PORT" ] && break
  kill -0 "$BROKER" 2>/dev/null || die "the broker exited; see $LOG"
  sleep 0.1
done
[ -n "$PORT" ] || die "the broker did not start; see $LOG"

# One sample: seconds since start, heap used after a full GC (KiB), RSS (KiB).
START=$(date +%s)
sample() {
  "$JCMD" "$BROKER" GC.run >/dev/null
  local heap rss
  heap="$("$JCMD" "$BROKER" GC.heap_info | grep -v space | grep -oE 'used [0-9]+K' | grep -oE '[0-9]+' | paste -sd+ | bc)"
  rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$BROKER/status")"
  echo "$(( $(date +%s) - START )) $heap $rss" >>"$SAMPLES"
}

: >"$SAMPLES"
{
  echo "soak: $MINUTES min, $PEERS peers, $CHURN replaced/s, $RELAYS relays/s, broker JVM: $HEAP_OPTS, port $PORT"
  sample
  "$JAVA" -Xmx512m -cp "$ROOT/target/test-classes:$(cat "$OUT_DIR/classpath.txt")" dev.switchboard.bench.Soak \
    --port "$PORT" --seconds "$((MINUTES * 60))" --peers "$PEERS" --churn "$CHURN" --relays "$RELAYS" &
  CLIENT=$!
  while kill -0 "$CLIENT" 2>/dev/null; do
    sleep "$INTERVAL" # the sampling period
    kill -0 "$BROKER" 2>/dev/null || die "the broker died; see $LOG"
    sample
  done
  wait "$CLIENT" || die "the soak client failed"
  sample
  # Least-squares slope over the samples after the first quarter of the run (warm-up: JIT, pools).
  awk -v minutes="$MINUTES" '
    { t[NR] = $1; h[NR] = $2; r[NR] = $3 }
    END {
      from = int(NR / 4) + 1; n = 0
      for (i = from; i <= NR; i++) { n++; st += t[i]; sh += h[i]; sr += r[i]; stt += t[i] * t[i]; sth += t[i] * h[i]; str += t[i] * r[i] }
      d = n * stt - st * st
      printf "soak: %d samples (%d after warm-up); heap after GC %d -> %d KiB, RSS %d -> %d KiB\n", NR, n, h[1], h[NR], r[1], r[NR]
      printf "soak: heap slope %.1f KiB/min, RSS slope %.1f KiB/min (after warm-up)\n", 60 * (n * sth - st * sh) / d, 60 * (n * str - st * sr) / d
    }' "$SAMPLES"
  echo "soak: SEVERE lines in the broker log: $(grep -c ' SEVERE ' "$LOG" || true)"
} 2>&1 | tee "$REPORT"
