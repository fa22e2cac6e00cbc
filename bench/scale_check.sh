#!/usr/bin/env bash
# Scale check (docs/reliability.md, "Scale and memory"): generates synthetic enterprise twins, runs the CLI's
# subcommands on them and prints wall time and peak resident memory (GNU time's maximum RSS) as
# a Markdown table, then the memory of a node and of an edge in a loaded twin. Exits non-zero if
# any run fails.
#   bash bench/scale_check.sh TWINRISK_CLI WORK_DIR [SMALL MEDIUM LARGE]
# Defaults: 10,000, 100,000 and 1,000,000 nodes (about 100k, 1M and 10M edges). The large twin is
# an edge list (its JSON would be about 1 GB, its DOM several times that): info, paths and
# simulate run on it. The medium twin also runs from JSON (with its threats and losses: loss);
# plan and report, which run dozens of loss simulations with detection races, run on the small.
set -euo pipefail
cli=$(realpath "$1") work=$2 small=${3:-10000} medium=${4:-100000} large=${5:-1000000}
command -v /usr/bin/time >/dev/null || { echo "scale_check.sh: needs GNU time (Debian package time)" >&2; exit 1; }
mkdir -p "$work"
cd "$work"

peak() {  # peak LABEL TWIN ARGS...: one run, one table row
  local label=$1 twin=$2
  shift 2
  local out
  out=$(/usr/bin/time -f '%e %U %S %M' "$cli" "$@" 2>&1 >/dev/null | tail -1) ||
    { echo "scale_check.sh: '$label' failed: $out" >&2; exit 1; }
  read -r seconds user system kb <<<"$out"
  printf '| %s | %s | %s | %.1f | %d |\n' "$label" "$twin" "$seconds" "$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')" "$((kb / 1024))"
}

rss_of_info() { /usr/bin/time -f '%M' "$cli" info "$1" 2>&1 >/dev/null | tail -1; }

generate() {  # generate NODES PATH [--format tsv]
  [ -e "$2" ] || "$cli" generate --nodes "$1" --seed 7 -o "$2" "${@:3}" >/dev/null
}
generate "$large" "l$large" --format tsv
generate "$medium" "m$medium" --format tsv
generate "$medium" "m$medium.twin.json"
generate "$small" "s$small.twin.json"
ml=$(head -1 "l$large/edges.tsv" | sed 's/.*edges=//')
mm=$(head -1 "m$medium/edges.tsv" | sed 's/.*edges=//')

echo "| subcommand | twin | wall s | CPU s | peak RSS MiB |"
echo "|---|---|---:|---:|---:|"
for twin in "l$large" "m$medium"; do
  name="${twin:1} nodes, $( [ "$twin" = "l$large" ] && echo "$ml" || echo "$mm") edges (TSV)"
  peak "info" "$name" info "$twin"
  peak "paths --k 100" "$name" paths "$twin" --k 100 --format json
  peak "paths --all --max-hops 3 --count" "$name" paths "$twin" --all --max-hops 3 --count --format json
  peak "simulate --trials 10000" "$name" simulate "$twin" --trials 10000 --format json
done
json="m$medium.twin.json" name="$medium nodes, $mm edges (JSON)"
peak "info" "$name" info "$json"
peak "simulate --trials 10000" "$name" simulate "$json" --trials 10000 --format json
peak "loss --years 1024" "$name" loss "$json" --years 1024 --format json
json="s$small.twin.json" name="$small nodes (JSON)"
peak "loss --years 16384" "$name" loss "$json" --years 16384 --format json
peak "plan --years 2048 --max-actions 3" "$name" plan "$json" --years 2048 --max-actions 3 --format json
peak "report --persona all --format json" "$name" report "$json" --persona all --format json --years 4096 --plan-years 2048 --trials 10000 -o report.json

# Memory of a loaded twin: a million isolated nodes against one node gives the cost of a node;
# the large edge list minus its nodes gives the cost of an edge (info loads the twin and counts).
mkdir -p nodes1 nodes1m
printf '# nodes=1 edges=0\n' >nodes1/edges.tsv
printf '# nodes=1000000 edges=0\n' >nodes1m/edges.tsv
one_kb=$(rss_of_info nodes1) million_kb=$(rss_of_info nodes1m) large_kb=$(rss_of_info "l$large")
echo
awk -v one="$one_kb" -v mil="$million_kb" -v big="$large_kb" -v n="$large" -v m="$ml" 'BEGIN {
  node = (mil - one) * 1024.0 / 999999; edge = ((big - one) * 1024.0 - node * n) / m
  printf "Loaded twin (edge list, measured by info): %.0f bytes per node, %.0f bytes per edge.\n", node, edge }'
