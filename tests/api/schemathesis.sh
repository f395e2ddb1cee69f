#!/usr/bin/env bash
# Runs schemathesis (PyPI, pinned in tests/requirements.txt) against the running app's own OpenAPI document, for
# the client endpoints: no answer may be a 500, and every answer must fit the documented schema.
# Usage: tests/api/schemathesis.sh [BINARY] [DATABASE_URL]   (defaults: target/debug/accountable, a fresh SQLite file)
# CI runs a fixed seed so a run can be repeated; set SCHEMATHESIS_SEED (and SCHEMATHESIS_EXAMPLES) to explore more.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-target/debug/accountable}
WORK=$(mktemp -d)
DB=${2:-sqlite:$WORK/schemathesis.db}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
env -u ACCOUNTABLE_DATABASE_URL "$BIN" --database-url "$DB" demo >/dev/null 2>"$WORK/demo.log"
TOKEN=$("$BIN" --database-url "$DB" users token --agency "Northwind Creative" owner@northwind.example --name schemathesis --scope read-write 2>/dev/null)
"$BIN" --database-url "$DB" serve --listen "127.0.0.1:$PORT" >"$WORK/serve.out" 2>"$WORK/serve.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
status=0
st run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --include-path-regex '^/api/v1/clients' \
  --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-25}" \
  --seed "${SCHEMATHESIS_SEED:-20261123}" \
  --workers 1 \
  --no-color || status=$?
if [ "$status" -eq 0 ]; then echo "schemathesis: 1 passed, 0 failed"; else echo "schemathesis: 0 passed, 1 failed"; fi
exit "$status"
