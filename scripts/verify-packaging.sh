#!/usr/bin/env bash
# Verifies the container recipe and the systemd unit as far as a machine without a container registry
# allows. SLOW: the first run assembles two Debian base images with mmdebstrap from the Debian mirror
# (about 5 minutes, ~1 GB); later runs reuse them and take 2–3 minutes (the Maven build inside the
# image). Not part of `mvn verify` (PackagingFilesIT there runs the fast unit checks); run it after
# changing Containerfile or docs/deploy/switchboard.service:
#
#   scripts/verify-packaging.sh
#
# What it does (docs/deploy.md, section 11):
#   1. local base images, since no registry is reachable: localhost/switchboard-base-run (Debian 12
#      minbase + openjdk-17-jre-headless) and localhost/switchboard-base-build (+ JDK and Maven), made
#      with mmdebstrap and `podman import`;
#   2. `podman build` of Containerfile from them (chroot isolation: this machine refuses the OCI
#      runtime's cgroup setup), with the local Maven repository mounted (copy-on-write) and -o;
#   3. checks of the image: non-root user, port, HEALTHCHECK, entrypoint, the jar;
#   4. the image's own file system started under chroot as its user (not a container: that is refused
#      here), through the image's entrypoint (the launcher) with the image's JRE: the broker must run
#      with the launcher's JVM flags, answer the image's HEALTHCHECK command, then drain and exit 0 on
#      SIGTERM;
#   5. systemd-analyze verify and an offline security exposure score of the unit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGE=localhost/switchboard:verify
RUN_BASE=localhost/switchboard-base-run:bookworm
BUILD_BASE=localhost/switchboard-base-build:bookworm
UNIT="$ROOT/docs/deploy/switchboard.service"
WORK="$(mktemp -d)"
MOUNTED=""
BROKER_PID=""

die() {
  echo "verify-packaging: FAILED: $*" >&2
  exit 1
}

step() {
  echo "verify-packaging: $*"
}

cleanup() {
  if [ -n "$BROKER_PID" ]; then kill "$BROKER_PID" 2>/dev/null || true; fi
  if [ -n "$MOUNTED" ]; then
    umount "$MOUNTED/proc" 2>/dev/null || true
    umount "$MOUNTED/tmp" 2>/dev/null || true
    podman image unmount "$IMAGE" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || die "run as root (podman build with chroot isolation, mmdebstrap, chroot)"

install_tools() {
  local missing=()
  command -v podman >/dev/null 2>&1 || missing+=(podman)
  command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
  command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
  [ ${#missing[@]} -eq 0 ] && return
  step "installing ${missing[*]} with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || die "apt-get install ${missing[*]} failed"
}

# A Debian 12 minbase root file system with the given packages, imported as an image.
base_image() {
  local name="$1" packages="$2"
  if podman image exists "$name"; then
    step "base image $name exists"
    return
  fi
  step "assembling $name (Debian 12 minbase + $packages) with mmdebstrap"
  mmdebstrap --variant=minbase --mode=root --include="$packages" bookworm "$WORK/rootfs.tar" \
    http://deb.debian.org/debian > "$WORK/mmdebstrap.log" 2>&1 || { cat "$WORK/mmdebstrap.log" >&2; die "mmdebstrap for $name"; }
  podman import "$WORK/rootfs.tar" "$name" >/dev/null || die "podman import $name"
  rm -f "$WORK/rootfs.tar"
}

build_image() {
  [ -d "$HOME/.m2/repository" ] || die "no local Maven repository in $HOME/.m2: run mvn package once first"
  step "podman build of Containerfile (Maven runs inside, offline against $HOME/.m2)"
  podman build --isolation chroot --format docker --pull=never -t "$IMAGE" \
    --build-arg "BUILD_IMAGE=$BUILD_BASE" --build-arg "RUN_IMAGE=$RUN_BASE" --build-arg "MAVEN_FLAGS=-o" \
    --volume "$HOME/.m2:/root/.m2:O" \
    -f "$ROOT/Containerfile" "$ROOT" || die "podman build"
}

inspect_image() {
  local user ports health entry
  user="$(podman image inspect --format '{{.Config.User}}' "$IMAGE")"
  ports="$(podman image inspect --format '{{range $p, $v := .Config.ExposedPorts}}{{$p}} {{end}}' "$IMAGE")"
  health="$(podman image inspect --format '{{if .Config.Healthcheck}}{{join .Config.Healthcheck.Test " "}}{{end}}' "$IMAGE")"
  entry="$(podman image inspect --format '{{join .Config.Entrypoint " "}}' "$IMAGE")"
  [ "$user" = "10001:10001" ] || die "image user is '$user', expected 10001:10001"
  [ "$ports" = "9000/tcp " ] || die "image exposes '$ports', expected 9000/tcp"
  case "$health" in *"GET /health"*) ;; *) die "image has no HEALTHCHECK on /health: '$health'" ;; esac
  [ "$entry" = "/opt/switchboard/switchboard" ] || die "image entrypoint is '$entry'"
  step "image: user $user, exposes $ports, HEALTHCHECK on /health, entrypoint $entry"
}

# The HEALTHCHECK's command, taken from the image, run inside the image's file system.
healthcheck() {
  local command
  command="$(podman image inspect --format '{{index .Config.Healthcheck.Test 3}}' "$IMAGE")"
  chroot --userspec=10001:10001 "$MOUNTED" /usr/bin/env -i SWITCHBOARD_PORT="$1" /bin/bash -c "$command"
}

run_under_chroot() {
  local port status
  MOUNTED="$(podman image mount "$IMAGE")" || die "podman image mount"
  [ -s "$MOUNTED/opt/switchboard/switchboard.jar" ] || die "no /opt/switchboard/switchboard.jar in the image"
  [ -x "$MOUNTED/opt/switchboard/switchboard" ] || die "no executable /opt/switchboard/switchboard (the launcher) in the image"
  mount -t proc proc "$MOUNTED/proc" || die "cannot mount /proc into the image's file system"
  # The mounted image is read-only, as a container run with --read-only; Vert.x needs a writable /tmp
  # (its file cache), which podman gives such containers by default (docker: --tmpfs /tmp).
  mount -t tmpfs -o mode=1777,size=64m tmpfs "$MOUNTED/tmp" || die "cannot mount a tmpfs on the image's /tmp"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  step "starting the image's launcher with the image's JRE under chroot as 10001 on 127.0.0.1:$port"
  # chroot, env and the launcher exec in turn: BROKER_PID is the JVM's.
  chroot --userspec=10001:10001 "$MOUNTED" /usr/bin/env -i PATH=/usr/bin:/bin \
    SWITCHBOARD_HOST=127.0.0.1 SWITCHBOARD_PORT="$port" \
    /opt/switchboard/switchboard > "$WORK/broker.log" 2>&1 &
  BROKER_PID=$!
  for _ in $(seq 1 60); do
    if healthcheck "$port" 2>/dev/null; then break; fi
    kill -0 "$BROKER_PID" 2>/dev/null || { cat "$WORK/broker.log" >&2; die "the broker exited"; }
    sleep 1
  done
  healthcheck "$port" || { cat "$WORK/broker.log" >&2; die "the HEALTHCHECK command did not pass within 60 s"; }
  tr '\0' ' ' < "/proc/$BROKER_PID/cmdline" | grep -q -- "-XX:MaxRAMPercentage=75 .*-Dswitchboard.launcher=true -jar /opt/switchboard/switchboard.jar" \
    || die "the JVM does not run with the launcher's flags: $(tr '\0' ' ' < "/proc/$BROKER_PID/cmdline")"
  step "HEALTHCHECK command passes against the running broker"
  kill -TERM "$BROKER_PID"
  status=0
  wait "$BROKER_PID" || status=$?
  BROKER_PID=""
  [ "$status" -eq 0 ] || { cat "$WORK/broker.log" >&2; die "the broker exited with $status on SIGTERM"; }
  step "SIGTERM: drained and exited 0"
}

check_unit() {
  local out installed
  # verify requires ExecStart's executable to exist: check the unit as installed, with the launcher
  # (src/main/dist/switchboard, which mvn package copies to target/switchboard) at its install path.
  grep -q '^ExecStart=/opt/switchboard/switchboard ' "$UNIT" || die "the unit does not start /opt/switchboard/switchboard"
  installed="$WORK/switchboard.service"
  sed "s|^ExecStart=/opt/switchboard/switchboard |ExecStart=$ROOT/src/main/dist/switchboard |" "$UNIT" > "$installed"
  out="$(systemd-analyze verify "$installed" 2>&1)" || die "systemd-analyze verify: $out"
  [ -z "$out" ] || die "systemd-analyze verify warns: $out"
  out="$(systemd-analyze security --offline=yes --threshold=20 "$UNIT" 2>&1)" \
    || { echo "$out" >&2; die "the unit's exposure is above 2.0"; }
  step "unit: systemd-analyze verify clean; $(echo "$out" | grep 'Overall exposure' | sed 's/^→ //')"
}

install_tools
check_unit
base_image "$RUN_BASE" openjdk-17-jre-headless
base_image "$BUILD_BASE" openjdk-17-jdk-headless,maven
build_image
inspect_image
run_under_chroot
step "all checks passed"
