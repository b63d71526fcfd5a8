#!/usr/bin/env bash
# Sets up (Debian packages), builds Release, starts the Gavel server on
# 127.0.0.1:50051 with its data in ./gavel-data (RocksDB, embedded: nothing
# else to install or start) and loads the demo portfolio into it (two years
# of a strategic PMO; `gavel demo load`, a no-op when it is already there).
#
#   ./deploy/quickstart.sh            build, start, load the demo
#   GAVEL_DEMO=0 ./deploy/quickstart.sh          an empty portfolio
#   GAVEL_LISTEN=127.0.0.1:6000 ./deploy/quickstart.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/debian-packages.sh
gavel_require_packages

BUILD_DIR=${GAVEL_BUILD_DIR:-build}
LISTEN=${GAVEL_LISTEN:-127.0.0.1:50051}
DATA_DIR=${GAVEL_DATA_DIR:-$PWD/gavel-data}

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
# Only the server and the CLI: the tests and benchmarks are ./tests/run.sh's.
cmake --build "$BUILD_DIR" -j"$(nproc)" --target gaveld gavel

mkdir -p "$DATA_DIR"
LOG_FILE="$DATA_DIR/gaveld.log"
if [ -f "$DATA_DIR/gaveld.pid" ] && kill -0 "$(cat "$DATA_DIR/gaveld.pid")" 2>/dev/null; then
  echo "gaveld is already running (pid $(cat "$DATA_DIR/gaveld.pid"))."
else
  nohup "$BUILD_DIR/tools/gaveld" --listen="$LISTEN" --data_dir="$DATA_DIR" \
    >"$LOG_FILE" 2>&1 &
  echo $! >"$DATA_DIR/gaveld.pid"
fi

GAVEL="$BUILD_DIR/tools/gavel"
for _ in $(seq 1 100); do
  if "$GAVEL" --addr="$LISTEN" health >/dev/null 2>&1; then break; fi
  if ! kill -0 "$(cat "$DATA_DIR/gaveld.pid")" 2>/dev/null; then
    echo "gaveld did not start; its log ($LOG_FILE) says:" >&2
    tail -n 20 "$LOG_FILE" >&2
    exit 1
  fi
  sleep 0.1
done
"$GAVEL" --addr="$LISTEN" health
if [ "${GAVEL_DEMO:-1}" != 0 ]; then
  # Refused (exit 1, with the reason) only when the server holds another
  # portfolio; the server keeps running either way.
  "$GAVEL" --addr="$LISTEN" demo load || true
fi
"$GAVEL" --addr="$LISTEN" admin status

cat <<MSG

gaveld is running on $LISTEN (pid $(cat "$DATA_DIR/gaveld.pid")), data in
$DATA_DIR, log in $LOG_FILE. It runs in development mode (loopback, no
tokens file): every caller acts as local-admin.

Next, with the CLI (every command: $GAVEL --help, docs/cli.md):
  export GAVEL_ADDR=$LISTEN
  $GAVEL portfolio show                          # the ranked portfolio
  $GAVEL decisions show crm-consolidation/3      # a G2 decision and what the board knew
  $GAVEL metrics --since=$(date -u -d '-6 months' +%Y-%m-01)   # governance metrics, trend per cycle
  $GAVEL plan show next-12-months                # the published plan, its cut line and frontier
  $GAVEL audit verify --state=gavel-audit.state --key=$DATA_DIR/signing_key.pub --trust_on_first_use
A guided walk (submit, score, gate review, vote, decide): docs/getting-started.md

Stop it with: kill \$(cat $DATA_DIR/gaveld.pid)
MSG
