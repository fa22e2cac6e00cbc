#!/usr/bin/env bash
# Builds oneTBB under ThreadSanitizer for the `tsan` preset. Debian's libtbb is not instrumented,
# so TSan cannot see the happens-before edges of its task queues and reports races that are not
# there; the same oneTBB release (Debian's own source package, the version libtbb-dev has) built
# with TBB_SANITIZE=thread fixes that. Nothing is downloaded from outside Debian's mirror. Does
# nothing when the build is already there. Needs root (or sudo) once, to enable deb-src.
# The build is kept once per machine, in a cache folder named by the oneTBB version
# (${TWINRISK_CACHE_DIR:-~/.cache/twinrisk}/onetbb-VERSION-tsan), and linked from
# build/deps/onetbb-tsan, where the `tsan` preset looks: a fresh clone reuses it.
#   bash cmake/build-tbb-tsan.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(dpkg-query -W -f='${source:Version}' libtbb-dev)
cache=${TWINRISK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/twinrisk}
prefix="$cache/onetbb-$version-tsan"
link="$root/build/deps/onetbb-tsan"
mkdir -p "$(dirname "$link")"
ln -sfn "$prefix" "$link"
[ -f "$prefix/lib/cmake/TBB/TBBConfig.cmake" ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
work="$prefix.work"
rm -rf "$work" && mkdir -p "$work"
cd "$work"
if ! apt-get source --download-only -qq "onetbb=$version" >/dev/null 2>&1; then
  # Source packages are not enabled on a stock Debian 12 image: enable them for bookworm main.
  $sudo tee /etc/apt/sources.list.d/twinrisk-deb-src.sources >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  $sudo apt-get update -qq
  apt-get source --download-only -qq "onetbb=$version" >/dev/null
fi
tar -xf onetbb_*.orig.tar.*
src=$(find . -maxdepth 1 -type d -name 'oneTBB-*' -o -maxdepth 1 -type d -name 'onetbb-*' | head -1)
cmake -S "$src" -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DTBB_SANITIZE=thread -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF -DTBB_STRICT=OFF -DTBBMALLOC_BUILD=OFF \
  -DTBB_DISABLE_HWLOC_AUTOMATIC_SEARCH=ON >/dev/null
cmake --build build -j "$(nproc)" >/dev/null
cmake --install build >/dev/null
cd / && rm -rf "$work"
echo "build-tbb-tsan.sh: oneTBB $version with ThreadSanitizer in $prefix"
