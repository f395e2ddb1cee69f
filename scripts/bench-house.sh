#!/usr/bin/env bash
# Benchmarks of "the house", on SQLite and on PostgreSQL, each beside its ceiling measured in the same run.
#   - with 1,000 clients: the server-side time (the `micros` of the request log line) of the client list (first page
#     of 50), a search, and one client's page — medians over 300 sequential requests;
#   - wrk -t2 -c16 -d10s on the signed-in client list, and on /healthz (the ceiling: no database, no template);
#   - the time from starting `accountable serve` on an existing database to its first answer.
# Usage: scripts/bench-house.sh [postgres-admin-url]   (default postgres://postgres@127.0.0.1:5432/test)
# Needs: wrk, curl, python3. Prints a Markdown table for docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_ADMIN=${1:-postgres://postgres@127.0.0.1:5432/test}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
cargo build --release --quiet -p accountable-app
BIN=$PWD/target/release/accountable
WORK=$(mktemp -d)
PORT=18181
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

start_server() { # $1 = database url, $2 = log file; prints ms from spawn to the first /healthz answer
  python3 - "$BIN" "$1" "$PORT" "$2" <<'PY'
import socket, subprocess, sys, time
binary, url, port, log = sys.argv[1:5]
t0 = time.perf_counter()
p = subprocess.Popen([binary, "--database-url", url, "serve", "--listen", f"127.0.0.1:{port}"],
                     stdout=subprocess.DEVNULL, stderr=open(log, "w"), start_new_session=True)
while True:
    try:
        s = socket.create_connection(("127.0.0.1", int(port)), timeout=1)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        if s.recv(64).startswith(b"HTTP/1.1 200"):
            break
    except OSError:
        time.sleep(0.001)
    if time.perf_counter() - t0 > 30:
        sys.exit("the server did not answer within 30 s")
print(f"{(time.perf_counter() - t0) * 1000:.0f} {p.pid}")
PY
}

median_micros() { # $1 = log file, $2 = from line, $3 = path; the median server-side time in ms
  python3 - "$1" "$2" "$3" <<'PY'
import json, statistics, sys
log, start, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
values = []
with open(log) as f:
    for i, line in enumerate(f):
        if i < start: continue
        try: e = json.loads(line)
        except ValueError: continue
        if e.get("message") == "request" and e.get("path") == path and e.get("status") == 200:
            values.append(e["micros"])
print(f"{statistics.median(values) / 1000:.2f} ms (n={len(values)})")
PY
}

rps() { wrk -t2 -c16 -d10s "$@" | awk '/Requests\/sec/ {print $2}'; }

bench() { # $1 = label, $2 = database url
  local label=$1 url=$2 log="$WORK/$1.log"
  "$BIN" --database-url "$url" demo >/dev/null 2>&1
  read -r _ SERVER < <(start_server "$url" "$log")
  local base="http://127.0.0.1:$PORT" jar="$WORK/$label.jar"
  curl -s -c "$jar" -b "$jar" "$base/sign-in" -o "$WORK/signin.html"
  local csrf; csrf=$(grep -o 'name="_csrf" value="[0-9a-f]*"' "$WORK/signin.html" | head -1 | sed 's/.*value="//;s/"//')
  curl -s -c "$jar" -b "$jar" -o /dev/null -d "_csrf=$csrf&email=owner@northwind.example&password=accountable-demo&next=/clients" "$base/sign-in"
  local cookie; cookie=$(awk '$6 == "acc_session" {print $7}' "$jar")
  seq 1 992 | xargs -P 4 -I{} curl -s -o /dev/null -b "acc_session=$cookie" -H 'content-type: application/json' \
    -d '{"name":"Bench client {}","business_model":"brand","time_zone":"Europe/Budapest","language":"hu","currency":"HUF","address":"Budapest","vat_number":"HU{}"}' \
    "$base/api/v1/clients"
  local total; total=$(curl -s -b "acc_session=$cookie" "$base/api/v1/clients?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
  local client_id; client_id=$(curl -s -b "acc_session=$cookie" "$base/api/v1/clients?q=bench%20client%20500" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  # Sequential requests, one kind at a time, so the log's median is of that page alone.
  local from list search show
  from=$(wc -l < "$log"); for _ in $(seq 1 300); do curl -s -o /dev/null -b "acc_session=$cookie" "$base/clients"; done
  list=$(median_micros "$log" "$from" /clients)
  from=$(wc -l < "$log"); for _ in $(seq 1 300); do curl -s -o /dev/null -b "acc_session=$cookie" "$base/clients?q=client%2077"; done
  search=$(median_micros "$log" "$from" /clients)
  from=$(wc -l < "$log"); for _ in $(seq 1 300); do curl -s -o /dev/null -b "acc_session=$cookie" "$base/clients/$client_id"; done
  show=$(median_micros "$log" "$from" "/clients/$client_id")
  local ceiling lists
  ceiling=$(rps "$base/healthz")
  lists=$(rps -H "Cookie: acc_session=$cookie" "$base/clients")
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
  local first; read -r first SERVER < <(start_server "$url" "$WORK/$label-restart.log")
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
  echo "| $label | $total | $list | $search | $show | $lists | $ceiling | $first ms |"
}

echo "| database | clients | list (first 50), median server-side | search, median server-side | client page, median server-side | wrk /clients req/s | wrk /healthz req/s (ceiling) | first answer after start |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
bench sqlite "sqlite:$WORK/bench.db"
DB="acc_bench_$$"
psql "$PG_ADMIN" -qc "CREATE DATABASE $DB"
bench postgres "${PG_ADMIN%/*}/$DB"
psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
