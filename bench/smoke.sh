#!/usr/bin/env bash
# The benchmark smoke stage of the test suite (CTest `stage.bench_smoke`): builds bench/ with the
# `bench` preset (Release) into BUILD_DIR, then runs every benchmark family once at its first
# (smallest) size with a short minimum time, writing Google Benchmark JSON per program to
# BUILD_DIR/smoke/PROGRAM.json. Fails when a benchmark does not build, crashes or reports an error.
# The figures are not comparable to docs/benchmarks.md's (one short run); compare two full runs with
# bench/compare.sh.
#   bash bench/smoke.sh BUILD_DIR [MIN_TIME_SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$1 min_time=${2:-0.01}
cmake -S "$root" -B "$build" --preset bench >/dev/null
cmake --build "$build" -j 2
mkdir -p "$build/smoke"
status=0
for program in "$build"/bench/twinrisk_*_bench; do
  name=$(basename "$program")
  # The first registered instance of each family is its smallest size (one thread where swept).
  filter=$("$program" --benchmark_list_tests=true | awk -F/ '!seen[$1]++' |
           sed 's/[][\.*^$(){}+?|]/\\&/g' | paste -sd'|')
  start=$(date +%s.%N)
  if "$program" --benchmark_filter="^($filter)\$" --benchmark_min_time="$min_time" \
       --benchmark_out="$build/smoke/$name.json" --benchmark_out_format=json >"$build/smoke/$name.log" 2>&1 &&
     ! grep -q '"error_occurred": true' "$build/smoke/$name.json"; then
    count=$(grep -c '"run_name"' "$build/smoke/$name.json" || true)
    printf '%s: ok, %s benchmarks in %s s\n' "$name" "$count" "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
  else
    echo "$name: FAILED, see $build/smoke/$name.log"
    tail -5 "$build/smoke/$name.log"
    status=1
  fi
done
# The pull-request comparison works on these files (a file against itself: every change is 0).
if [ $status -eq 0 ] && [ -f /usr/share/benchmark/compare.py ]; then
  first=$(ls "$build"/smoke/*.json | head -1)
  bash "$root/bench/compare.sh" "$first" "$first" >"$build/smoke/compare.log" 2>&1 ||
    { echo "bench/compare.sh FAILED, see $build/smoke/compare.log"; status=1; }
fi
exit $status
