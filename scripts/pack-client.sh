#!/usr/bin/env bash
# Packs peerjs-patches/ as the npm package of the client add-ons, versioned as the broker:
#   scripts/pack-client.sh VERSION OUT_DIR   ->  OUT_DIR/peerjs-xhr-fallback-VERSION.tgz
# The build runs it in Maven's package phase with the pom's version (mvn -Dclient.pack.skip skips it).
# The package is staged in OUT_DIR/npm-package so that package.json and the add-ons' own `version`
# fields carry VERSION without touching the sources; npm pack then takes what package.json's "files"
# lists. Needs npm on PATH (without it: a warning, no package), no network.
set -euo pipefail

die() {
  echo "pack-client: FAILED: $*" >&2
  exit 1
}

[ $# -eq 2 ] || die "usage: $0 VERSION OUT_DIR"
VERSION="$1"
OUT="$(mkdir -p "$2" && cd "$2" && pwd)"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STAGE="$OUT/npm-package"

# Building the broker needs only Java and Maven: without npm the package is not made, loudly. mvn verify
# still fails then (ClientPackageIT needs the tarball).
if ! command -v npm >/dev/null 2>&1; then
  echo "pack-client: WARNING: npm is not on PATH, so the client add-ons' npm package was not packed" >&2
  exit 0
fi

rm -rf "$STAGE"
mkdir -p "$STAGE"
cp -R "$ROOT/peerjs-patches/." "$STAGE/"
cmp -s "$ROOT/LICENSE" "$STAGE/LICENSE" || die "peerjs-patches/LICENSE differs from the repository's LICENSE"

# The version each add-on reports at run time (PeerXhrFallback.version, Switchboard.version).
for file in peerjs-xhr-fallback.js switchboard.js; do
  count="$(grep -cE "^    version: '[^']*',$" "$STAGE/$file" || true)"
  [ "$count" = 1 ] || die "$file has $count lines \"    version: '...',\" (expected one)"
  sed -i -E "s/^(    version: ')[^']*(',)$/\1$VERSION\2/" "$STAGE/$file"
done

(cd "$STAGE" && npm pkg set "version=$VERSION" >/dev/null) || die "npm pkg set version=$VERSION failed (not a semver version?)"
name="$(cd "$STAGE" && npm pkg get name | tr -d '"')"
rm -f "$OUT/$name-$VERSION.tgz"
(cd "$STAGE" && npm pack --silent --pack-destination "$OUT" >/dev/null) || die "npm pack failed"
[ -f "$OUT/$name-$VERSION.tgz" ] || die "npm pack did not write $OUT/$name-$VERSION.tgz"
echo "pack-client: $OUT/$name-$VERSION.tgz"
