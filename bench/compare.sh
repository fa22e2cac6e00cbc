#!/usr/bin/env bash
# A before/after table of two Google Benchmark JSON files (for a pull request), with Google
# Benchmark's own compare.py (Debian: libbenchmark-tools and python3-scipy, which
# cmake/setup-debian.sh installs).
#   bash bench/compare.sh BEFORE.json AFTER.json
# Make the files with full runs of one program on each tree, e.g.
#   build/bench/bench/twinrisk_sim_bench --benchmark_out=before.json --benchmark_out_format=json
set -euo pipefail
compare=/usr/share/benchmark/compare.py
[ -f "$compare" ] || { echo "bench/compare.sh: $compare not found: apt-get install libbenchmark-tools" >&2; exit 1; }
exec /usr/bin/python3 "$compare" benchmarks "$1" "$2"
