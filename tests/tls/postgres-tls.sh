#!/usr/bin/env bash
# PostgreSQL over TLS, as every managed PostgreSQL asks: a throwaway cluster with ssl=on and a self-signed
# certificate for localhost signed by a test authority (TESTING.md); the storage conformance suite runs through sslmode=verify-full; the
# binary migrates through it; and a root certificate that did not sign the server's, or a host name the
# certificate does not name, is refused at start with an error that says so.
# Usage: tests/tls/postgres-tls.sh path/to/accountable   (as root: initdb and pg_ctl run as the postgres user)
set -euo pipefail
BIN=$(realpath "$1")
PGBIN=/usr/lib/postgresql/15/bin
[ -x "$PGBIN/initdb" ] || { echo "error: $PGBIN/initdb is missing (apt-get install postgresql-15)"; exit 1; }
command -v openssl >/dev/null || { echo "error: openssl is missing"; exit 1; }

TMP=$(mktemp -d)
chown postgres "$TMP"
DATA="$TMP/data"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
runuser -u postgres -- "$PGBIN/initdb" -D "$DATA" -A trust -U postgres >/dev/null
# A certificate authority, and the server's certificate signed by it for localhost and 127.0.0.1 (rustls, unlike
# libpq, refuses a self-signed CA certificate used as the server's own: CaUsedAsEndEntity); a second authority
# that signed nothing of the server's.
ca() {  # $1: file stem
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Accountable test CA $1" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$TMP/$1.key" -out "$TMP/$1.crt" 2>/dev/null
}
ca root
ca stranger
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$DATA/server.key" -out "$TMP/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$TMP/server.ext"
openssl x509 -req -in "$TMP/server.csr" -CA "$TMP/root.crt" -CAkey "$TMP/root.key" -CAcreateserial -days 2 \
  -extfile "$TMP/server.ext" -out "$DATA/server.crt" 2>/dev/null
chown postgres "$DATA/server.key" "$DATA/server.crt"
chmod 600 "$DATA/server.key"
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DATA" -l "$TMP/log" -w -o "-p $PORT -k $TMP -c listen_addresses=127.0.0.1,127.0.0.2 \
  -c ssl=on -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
trap 'runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$TMP"' EXIT

URL="postgres://postgres@localhost:$PORT/postgres?sslmode=verify-full&sslrootcert=$TMP/root.crt"

echo "--- the storage conformance suite through sslmode=verify-full"
TESTKIT_POSTGRES_URL="$URL" cargo test --quiet -p accountable-testkit --test it store::

echo "--- the binary migrates through it, and the server sees TLS"
ACCOUNTABLE_DATABASE_URL="$URL" "$BIN" migrate
psql "postgres://postgres@localhost:$PORT/postgres?sslmode=verify-full&sslrootcert=$TMP/root.crt" -Atc \
  "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()" | grep -qx t

echo "--- sslmode=require (encrypted, not verified: what a managed PostgreSQL's default URL says) connects"
ACCOUNTABLE_DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres?sslmode=require" "$BIN" migrate

refused() {  # $1: what, $2: URL — the start must fail and say why
  local out
  if out=$(ACCOUNTABLE_DATABASE_URL="$2" "$BIN" migrate 2>&1); then
    echo "error: $1 was accepted"; exit 1
  fi
  if ! grep -q "TLS connection was refused" <<<"$out"; then
    echo "error: $1 was refused without saying why:"; echo "$out"; exit 1
  fi
  echo "refused as it should be ($1): $(grep -o 'TLS connection was refused ([^)]*)' <<<"$out" | head -1)"
}
echo "--- wrong certificates are refused at start"
refused "a root that did not sign the server's certificate" \
  "postgres://postgres@localhost:$PORT/postgres?sslmode=verify-full&sslrootcert=$TMP/stranger.crt"
refused "a host name the certificate does not name" \
  "postgres://postgres@127.0.0.2:$PORT/postgres?sslmode=verify-full&sslrootcert=$TMP/root.crt"
if out=$(ACCOUNTABLE_DATABASE_URL="postgres://postgres@localhost:$PORT/postgres?sslmode=verify-full&sslrootcert=$TMP/missing.crt" "$BIN" migrate 2>&1) \
  || ! grep -q "sslrootcert file .*missing.crt does not exist" <<<"$out"; then
  echo "error: a missing sslrootcert file was not named: $out"; exit 1
fi
echo "refused as it should be (a missing sslrootcert file): named"
echo "PostgreSQL over TLS: all checks passed"
