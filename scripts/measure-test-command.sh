#!/usr/bin/env bash
# Measures the README's test command (`cargo test --workspace`) for one commit: the build from an empty target
# directory ("cold"), the run of the tests, and the build again after touching one core file (the edit-test loop),
# twice. The whole command after a touch is the touched build plus the run.
# Usage: scripts/measure-test-command.sh COMMIT LABEL [mold]
#   With "mold" the links go through Debian's mold (apt-get install mold) by RUSTFLAGS.
# Each measurement has its own clone and CARGO_TARGET_DIR under $MEASURE_DIR (default /tmp/measure), removed after.
# Run it on an otherwise idle machine: two cores shared with another build halve every figure.
set -euo pipefail
COMMIT=$1 LABEL=$2 LINKER=${3:-}
REPO=$(cd "$(dirname "$0")/.." && pwd)
DIR=${MEASURE_DIR:-/tmp/measure}/$LABEL
rm -rf "$DIR"; mkdir -p "$DIR"
git clone -q "$REPO" "$DIR/src"
git -C "$DIR/src" checkout -q "$COMMIT"
export CARGO_TARGET_DIR="$DIR/target"
if [ "$LINKER" = mold ]; then export RUSTFLAGS="-C link-arg=-fuse-ld=mold"; fi
cd "$DIR/src"
secs() { local s; s=$(date +%s.%N); "$@" >"$DIR/log" 2>&1 || { tail -30 "$DIR/log"; exit 1; }; echo "$(date +%s.%N) - $s" | bc; }
cold=$(secs cargo test --workspace --no-run)
binaries=$(grep -c 'Executable' "$DIR/log" || true)
run=$(secs cargo test --workspace)
touch crates/core/src/lib.rs
touched=$(secs cargo test --workspace --no-run)
touch crates/core/src/lib.rs
touched_again=$(secs cargo test --workspace --no-run)
printf '%s commit=%s linker=%s cold_build_s=%.0f test_run_s=%.0f touched_core_build_s=%.0f,%.0f test_executables=%s load=%s\n' \
  "$LABEL" "$(git rev-parse --short HEAD)" "${LINKER:-default}" "$cold" "$run" "$touched" "$touched_again" "$binaries" "$(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$DIR"
