#!/usr/bin/env bash
# The fuzz smoke stage of the test suite (CTest `stage.fuzz_smoke`): builds the libFuzzer targets with
# the `fuzz` preset into BUILD_DIR, replays every past crash, then runs each target for SECONDS.
#   bash tests/fuzz/smoke.sh BUILD_DIR [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1 seconds=${2:-30}
cmake -S "$root" -B "$build" --preset fuzz >/dev/null
cmake --build "$build" -j 2
TWINRISK_FUZZ_BUILD="$build" bash "$root/tests/fuzz/run.sh" -t "$seconds" -j 2
