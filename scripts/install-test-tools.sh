#!/usr/bin/env bash
# Installs what the integration tests need, only when it is missing: Debian packages through apt and
# the npm packages of src/test/js. Safe to run repeatedly; does nothing when everything is present.
# Any failure exits non-zero with a reason: browser tests must never be skipped for a missing tool.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JS_DIR="$ROOT/src/test/js"

# Debian packages as "package command-it-provides".
APT_TOOLS=(
  "chromium /usr/bin/chromium"
  "nginx /usr/sbin/nginx"
  "haproxy /usr/sbin/haproxy"
  "coturn /usr/bin/turnserver"
  "prometheus /usr/bin/prometheus"
  "prometheus /usr/bin/promtool"
  "systemd /usr/bin/systemd-analyze"
  # Later issues add their tools here.
)

die() {
  echo "install-test-tools: FAILED: $*" >&2
  exit 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "not root and no sudo, cannot run: $*"
  fi
}

install_apt_tools() {
  local missing=() entry
  for entry in "${APT_TOOLS[@]}"; do
    set -- $entry
    [ -x "$2" ] || missing+=("$1")
  done
  [ ${#missing[@]} -eq 0 ] && return

  echo "install-test-tools: installing ${missing[*]} with apt-get"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
    || die "apt-get update failed; the integration tests need: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || die "apt-get install ${missing[*]} failed"

  for entry in "${APT_TOOLS[@]}"; do
    set -- $entry
    [ -x "$2" ] || die "package $1 is installed but $2 is missing"
  done
}

check_node() {
  command -v node >/dev/null 2>&1 || die "node is not on PATH (Node.js 20 or newer is needed)"
  command -v npm >/dev/null 2>&1 || die "npm is not on PATH"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || die "Node.js $(node -v) is too old; playwright-core needs 20 or newer"
}

# npm ci leaves node_modules/.package-lock.json behind; it is older than the lock after a dependency change.
install_npm_packages() {
  local marker="$JS_DIR/node_modules/.package-lock.json"
  if [ -f "$marker" ] && [ ! "$JS_DIR/package-lock.json" -nt "$marker" ] \
      && [ -f "$JS_DIR/node_modules/peerjs/dist/peerjs.min.js" ] && [ -d "$JS_DIR/node_modules/playwright-core" ] \
      && [ -f "$JS_DIR/node_modules/typescript/bin/tsc" ] && [ -f "$JS_DIR/node_modules/ws/package.json" ]; then
    return
  fi
  echo "install-test-tools: npm ci in $JS_DIR"
  # Chromium comes from Debian; Playwright must never fetch its own browser build.
  (cd "$JS_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund) \
    || die "npm ci in $JS_DIR failed"
  [ -f "$JS_DIR/node_modules/peerjs/dist/peerjs.min.js" ] || die "npm ci did not install peerjs"
  [ -d "$JS_DIR/node_modules/playwright-core" ] || die "npm ci did not install playwright-core"
  [ -f "$JS_DIR/node_modules/typescript/bin/tsc" ] || die "npm ci did not install typescript"
  # The benchmark smoke run's Node load generator (src/bench/js/ws-load.mjs) needs ws.
  [ -f "$JS_DIR/node_modules/ws/package.json" ] || die "npm ci did not install ws"
}

# PeerJS 0.3.24 (the last with XHR streaming) declares a git dependency, so npm cannot install it
# offline-safely; its published tarball already holds the built dist/, which is all the tests load.
PEERJS_LEGACY_VERSION=0.3.24
PEERJS_LEGACY_SHA256=f48784ba2c89d9e67c7df334d86e9dd421b75b25920d2ecc6f47af58a8fb5ed1
install_peerjs_legacy() {
  local dir="$JS_DIR/vendor/peerjs-$PEERJS_LEGACY_VERSION" tmp tarball
  [ -f "$dir/dist/peerjs.min.js" ] && return
  echo "install-test-tools: npm pack peerjs@$PEERJS_LEGACY_VERSION into $dir"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack "peerjs@$PEERJS_LEGACY_VERSION" --silent >/dev/null) || die "npm pack peerjs@$PEERJS_LEGACY_VERSION failed"
  tarball="$tmp/peerjs-$PEERJS_LEGACY_VERSION.tgz"
  echo "$PEERJS_LEGACY_SHA256  $tarball" | sha256sum -c --quiet - || die "peerjs-$PEERJS_LEGACY_VERSION.tgz does not match its known checksum"
  mkdir -p "$dir"
  tar xzf "$tarball" -C "$dir" --strip-components=1 package/dist package/package.json package/LICENSE \
    || die "could not unpack $tarball"
  rm -rf "$tmp"
  [ -f "$dir/dist/peerjs.min.js" ] || die "peerjs@$PEERJS_LEGACY_VERSION has no dist/peerjs.min.js"
}

install_apt_tools
/usr/bin/chromium --version >/dev/null 2>&1 || die "/usr/bin/chromium is present but does not run"
check_node
install_npm_packages
install_peerjs_legacy
echo "install-test-tools: ready ($(/usr/bin/chromium --version 2>/dev/null), node $(node -v))"
