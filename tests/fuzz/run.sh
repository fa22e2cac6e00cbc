#!/usr/bin/env bash
# Runs twinrisk's libFuzzer targets (built by `cmake --workflow --preset fuzz`) for a bounded
# time each, from the seed corpora (tests/fuzz/seeds plus the project's real test data) with the
# dictionaries in tests/fuzz/dict. Exits 1 if any target finds a crash, leak, timeout or OOM; the
# reproducer is left in build/fuzz/artifacts/TARGET/. Prints one summary line per target.
#   bash tests/fuzz/run.sh [-t SECONDS] [-j JOBS] [TARGET...]      (default: 30 s, 1 job, every target)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
fuzz="$root/tests/fuzz"
build="${TWINRISK_FUZZ_BUILD:-$root/build/fuzz}"
seconds=30 jobs=1
while getopts "t:j:" opt; do
  case $opt in t) seconds=$OPTARG ;; j) jobs=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
targets=("$@")
# Every target and its dictionary: tests/fuzz/targets.txt, the list CMake builds.
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(awk '!/^#/ && NF { print $1 }' "$fuzz/targets.txt")

dict_of() { awk -v t="$1" '!/^#/ && $1 == t { print $2 }' "$fuzz/targets.txt"; }

# The project's real inputs of each kind, added to the corpus.
real_seeds() {
  case $1 in
    twin_json) echo "$root/examples/data/acme.twin.json" ;;
    bloodhound) ls "$root"/tests/data/bloodhound/specterops-testlab/v5/*.json "$root"/tests/data/bloodhound/specterops-testlab/v6/*.json \
                   "$root"/tests/data/azurehound/*.json ;;
    nessus) ls "$root"/tests/data/nessus/*.nessus ;;
    aws) ls "$root"/tests/data/aws-iam/*.json ;;
    gcp) ls "$root"/tests/data/gcp/*.json "$root"/tests/data/gcp/*.jsonl ;;
    kubernetes) ls "$root"/tests/data/kubernetes/kubehound-test-cluster/*.json "$root"/tests/data/kubernetes/kubehound-test-cluster/*/*.json ;;
    openvas) ls "$root"/tests/data/scanners/openvas/*.xml ;;
    nmap) ls "$root"/tests/data/scanners/nmap/*.xml ;;
    kev) echo "$root/examples/data/acme.kev.json" ;;
    epss) echo "$root/examples/data/acme.epss.csv" ;;
    evidence) echo "$root/examples/data/acme.pentest-2026-q4.evidence.json" ;;
  esac
}

run_one() {
  local target=$1 corpus="$build/corpus/$1" artifacts="$build/artifacts/$1/" log="$build/logs/$1.log"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  cp -n "$fuzz/seeds/$target"/* "$corpus"/ 2>/dev/null || true
  for f in $(real_seeds "$target"); do cp -n "$f" "$corpus/real-$(basename "$f")"; done
  if [ "$target" = cvss ]; then  # every golden vector is a seed
    cat "$root"/tests/data/cvss/*/*.txt | grep -o '^CVSS:[^ ]*' | sort -u | head -2000 | split -l 1 -a 4 - "$corpus/golden-"
    for f in "$corpus"/golden-*; do printf '%s' "$(cat "$f")" >"$f"; done
  fi
  local status=0
  # Every input that once crashed a target is replayed first (tests/fuzz/regressions/TARGET).
  if compgen -G "$fuzz/regressions/$target/*" >/dev/null; then
    "$build/fuzz/fuzz_$target" "$fuzz"/regressions/"$target"/* >"$log.regressions" 2>&1 ||
      { echo "$target: FAILED on a regression input, see $log.regressions"; return 1; }
  fi
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/fuzz/fuzz_$target" "$corpus" -dict="$fuzz/dict/$(dict_of "$target").dict" -max_total_time="$seconds" \
    -max_len=65536 -timeout=10 -rss_limit_mb=2560 -malloc_limit_mb=2048 -artifact_prefix="$artifacts" \
    -print_final_stats=1 >"$log" 2>&1 || status=$?
  local execs cov ft units
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  units=$(ls "$corpus" | wc -l)
  if [ $status -eq 0 ]; then
    echo "$target: ok, $execs runs in ${seconds} s, coverage $cov edges, $ft features, corpus $units"
  else
    echo "$target: FAILED (exit $status), see $log and $artifacts"
    grep -m 5 -E 'ERROR|SUMMARY|deadly signal|uncaught|Out-of-memory|Timeout' "$log" || true
    return 1
  fi
}

failed=0
export -f run_one dict_of real_seeds
export root fuzz build seconds
if [ "$jobs" -gt 1 ]; then
  printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one {}' || failed=1
else
  for t in "${targets[@]}"; do run_one "$t" || failed=1; done
fi
exit $failed
