#!/usr/bin/env bash
# Scale check (README "Scale and memory"): generates synthetic enterprise twins, runs the CLI's
# subcommands on them and prints wall time and peak resident memory (GNU time's maximum RSS) as
# a Markdown table, plus memory per node and per edge of a loaded twin (the slope between two
# sizes, so the program's own footprint cancels out). Exits non-zero if any run fails.
#   bash bench/scale_check.sh TWINRISK_CLI WORK_DIR [NODES_SMALL NODES_LARGE]
# Defaults: 100,000 and 1,000,000 nodes (about 1M and 10M edges). The large twin is written as
# an edge list (its JSON would be about 1 GB and its DOM several times that); the subcommands
# that need threats and losses (loss, plan, report) run on the small twin's JSON.
set -euo pipefail
cli=$1 work=$2 small=${3:-100000} large=${4:-1000000}
command -v /usr/bin/time >/dev/null || { echo "scale_check.sh: needs GNU time (Debian package time)" >&2; exit 1; }
mkdir -p "$work"
cd "$work"

peak() {  # peak LABEL TWIN ARGS...: one run, one table row
  local label=$1 twin=$2
  shift 2
  local out
  out=$(/usr/bin/time -f '%e %M' "$cli" "$@" 2>&1 >/dev/null | tail -1) ||
    { echo "scale_check.sh: '$label' failed: $out" >&2; exit 1; }
  read -r seconds kb <<<"$out"
  printf '| %s | %s | %s | %.0f |\n' "$label" "$twin" "$seconds" "$((kb / 1024))"
}

rss_of_info() { /usr/bin/time -f '%M' "$cli" info "$1" 2>&1 >/dev/null | tail -1; }

[ -f "s$small/edges.tsv" ] || "$cli" generate --nodes "$small" --seed 7 --format tsv -o "s$small" >/dev/null
[ -f "s$small.twin.json" ] || "$cli" generate --nodes "$small" --seed 7 -o "s$small.twin.json" >/dev/null
[ -f "l$large/edges.tsv" ] || "$cli" generate --nodes "$large" --seed 7 --format tsv -o "l$large" >/dev/null
edges_of() { head -1 "$1/edges.tsv" | sed 's/.*edges=//'; }
ms=$(edges_of "s$small") ml=$(edges_of "l$large")

echo "Twins: $small nodes / $ms edges (s$small, TSV and JSON); $large nodes / $ml edges (l$large, TSV)."
echo
echo "| subcommand | twin | wall s | peak RSS MiB |"
echo "|---|---|---:|---:|"
for twin in "l$large" "s$small"; do
  nodes=${twin:1}
  name="$nodes nodes (TSV)"
  peak "info" "$name" "$twin" info "$twin"
  peak "paths --k 100" "$name" "$twin" paths "$twin" --k 100 --format json
  peak "paths --all --max-hops 3 --count" "$name" "$twin" paths "$twin" --all --max-hops 3 --count --format json
  peak "simulate --trials 10000" "$name" "$twin" simulate "$twin" --trials 10000 --format json
done
json="s$small.twin.json"
name="$small nodes (JSON)"
peak "info" "$name" "$json" info "$json"
peak "simulate --trials 10000" "$name" "$json" simulate "$json" --trials 10000 --format json
peak "loss --years 16384" "$name" "$json" loss "$json" --years 16384 --format json
peak "plan --years 4096 --max-actions 3" "$name" "$json" plan "$json" --years 4096 --max-actions 3 --format json
peak "report --persona all --format json" "$name" "$json" report "$json" --persona all --format json --years 16384 --plan-years 4096 -o report.json

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
