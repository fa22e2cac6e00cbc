#!/usr/bin/env bash
# Installs exactly the Debian 12 packages twinrisk needs to build, test and benchmark, when any
# is missing; does nothing when all are present. Run as root (or with sudo available).
#   bash cmake/setup-debian.sh
set -euo pipefail

packages=(
  g++ cmake ninja-build          # toolchain (C++20: g++ 12, CMake >= 3.25 for workflow presets)
  libboost-graph-dev             # Boost.Graph 1.74 (header-only use)
  libeigen3-dev                  # Eigen 3.4
  libtbb-dev                     # oneTBB 2021.8
  nlohmann-json3-dev             # nlohmann/json 3.11
  libexpat1-dev                  # expat 2.5, streaming XML (Nessus scan reports)
  libzip-dev                     # libzip 1.7, .zip collections in the CLI (optional at build time)
  zip                            # makes a .zip collection in the CLI tests
  libcli11-dev                   # CLI11 2.1, the CLI's argument parser
  doctest-dev                    # doctest 2.4, tests
  libbenchmark-dev               # Google Benchmark 1.7, bench/
  libbenchmark-tools python3-scipy  # compare.py: before/after tables of benchmark runs (bench/compare.sh)
  ccache                         # compiles twinrisk's programs when present (a fresh clone reuses the last build's objects)
  chromium                       # headless browser: the HTML report test renders and screenshots the reports
  graphviz                       # dot: the report test renders the DOT graphs (optional for users)
  clang-16 libclang-rt-16-dev    # libFuzzer + sanitizers for the fuzz targets (tests/fuzz/, the stage.fuzz_smoke test)
  fonts-liberation               # Helvetica/Arial metrics for the screenshots (chromium only recommends fonts)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup-debian.sh: run as root to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "setup-debian.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
