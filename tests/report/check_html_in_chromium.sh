#!/usr/bin/env bash
# The HTML report in a real browser: renders the CISO and full reports of the sample twin and of
# an imported BloodHound collection (TESTLAB.LOCAL) in headless Chromium, fails on any console
# message (a script error, a blocked external load), checks the rendered DOM holds the charts,
# and leaves a screenshot of each as a test artifact. First proves the check catches a broken page.
#   check_html_in_chromium.sh TWINRISK_CLI SOURCE_DIR OUT_DIR
# Exit 77 (skipped) when Chromium is not installed (cmake/setup-debian.sh installs it).
set -euo pipefail
cli=$1 source_dir=$2 out=$3
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then echo "chromium not installed: skipped"; exit 77; fi
rm -rf "$out" && mkdir -p "$out"

# Renders $1 (an HTML file) to $1.png; prints what the page logged to its console; fails when
# Chromium does, or when the page logged anything, or when the screenshot or DOM are wrong.
check_page() {
  local page=$1 log="$1.log" profile
  profile=$(mktemp -d)
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --enable-logging=stderr --v=0 \
    --window-size=1280,2400 --hide-scrollbars --screenshot="$page.png" "file://$page" >"$log" 2>&1 || { cat "$log"; return 1; }
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --dump-dom "file://$page" >"$page.dom" 2>/dev/null
  rm -rf "$profile"
  if grep -q ":CONSOLE" "$log"; then echo "$page: console messages:"; grep ":CONSOLE" "$log"; return 1; fi
  [ "$(stat -c %s "$page.png")" -gt 20000 ] || { echo "$page: screenshot missing or blank"; return 1; }
  grep -q "</main>" "$page.dom" || { echo "$page: the DOM lacks the report"; return 1; }
  echo "$page: rendered, no console message, $(grep -o "<svg" "$page.dom" | wc -l) charts, screenshot $page.png"
}

# The check must be able to fail: a page with a script error and an external image.
printf '%s\n' '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src '"'none'"'"></head>' \
  '<body><main><img src="http://example.invalid/x.png"><script>undefinedFunction()</script></main></body></html>' >"$out/broken.html"
if check_page "$out/broken.html" >/dev/null; then echo "the console check missed a broken page"; exit 1; fi
echo "the check catches a broken page"

quick=(--years 2048 --plan-years 1024 --trials 1024)  # what renders, not the figures: small runs (ASan CLI)
"$cli" report --persona ciso "${quick[@]}" -o "$out/sample-ciso.html"
"$cli" report --persona all "${quick[@]}" -o "$out/sample-all.html"
"$cli" import bloodhound "$source_dir/tests/data/bloodhound/specterops-testlab/v6" --assume-scenario \
  --entry "owned:S-1-5-21-3130019616-2776909439-2417379446-1105" -o "$out/testlab.twin.json" >/dev/null
for persona in ciso engineer responder; do
  "$cli" report "$out/testlab.twin.json" --persona "$persona" "${quick[@]}" -o "$out/testlab-$persona.html"
done
for page in "$out"/sample-*.html "$out"/testlab-*.html; do
  check_page "$page"
  grep -c "<svg" "$page.dom" >/dev/null || { echo "$page: no chart"; exit 1; }
done
echo "all reports render in Chromium"
