#!/usr/bin/env bash
# Imports every real export sample of ../shared/samples (see its SOURCES.md) with `accountable import`, into a fresh
# demo database, for a demo client whose currency (GBP) is that of the Google Ads samples: each Search Console folder
# as one set (its Filters.csv gives the tables their period), every other file on its own. Each must import, except
# the Meta export that says "No data available.", which must say that there is nothing to import.
# Usage: tests/samples/import-samples.sh [BINARY] [DATABASE_URL]
#   (defaults: target/debug/accountable, a fresh SQLite file; a postgres:// URL must name an empty database)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-target/debug/accountable}
SAMPLES=${SAMPLES:-../shared/samples}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DB=${2:-sqlite:$WORK/samples.db}
AGENCY="Southwind Media"
CLIENT="Meridian Dental Clinics"

[ -d "$SAMPLES" ] || { echo "error: $SAMPLES is missing"; exit 1; }
accountable() { env -u ACCOUNTABLE_DATABASE_URL -u ACCOUNTABLE_CONFIG "$BIN" --database-url "$DB" "$@"; }
if ! accountable demo >/dev/null 2>"$WORK/demo.log"; then
  echo "error: 'accountable demo' failed:"; tail -5 "$WORK/demo.log"; exit 1
fi

passed=0
failed=0
# check LABEL EXPECTED FILE…: EXPECTED is "imported" (every file imports, a Filters.csv says nothing) or "nothing".
check() {
  local label=$1 expected=$2 status=0 ok=1
  shift 2
  accountable import --agency "$AGENCY" --client "$CLIENT" "$@" >"$WORK/out" 2>&1 || status=$?
  if [ "$status" -ne 0 ] || grep -q '^REFUSED' "$WORK/out"; then ok=0; fi
  case $expected in
    imported) grep -q '^imported' "$WORK/out" || ok=0 ;;
    nothing) { grep -q '^nothing' "$WORK/out" && ! grep -q '^imported' "$WORK/out"; } || ok=0 ;;
  esac
  if [ "$ok" -eq 1 ]; then
    passed=$((passed + 1))
    echo "ok     $label ($expected)"
  else
    failed=$((failed + 1))
    echo "FAILED $label (expected: $expected; exit status $status)"
  fi
  sed 's/^/         /' "$WORK/out"
}

for dir in "$SAMPLES"/*/; do
  dir=${dir%/}
  name=$(basename "$dir")
  if [ -f "$dir/Filters.csv" ]; then
    files=()
    for f in "$dir"/*; do files+=("$f"); done
    check "$name (one set of ${#files[@]} files)" imported "${files[@]}"
  else
    for f in "$dir"/*; do
      if grep -q 'No data available' "$f"; then expected=nothing; else expected=imported; fi
      check "$name/$(basename "$f")" "$expected" "$f"
    done
  fi
done

echo "import-samples: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
