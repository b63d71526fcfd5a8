#!/usr/bin/env bash
# Sets up (Debian packages), builds Release and starts the Gavel server on
# 127.0.0.1:50051 with its data in ./gavel-data (RocksDB, embedded: nothing
# else to install or start).
#
#   ./deploy/quickstart.sh            build, start, load the demo portfolio
#   GAVEL_LISTEN=127.0.0.1:6000 ./deploy/quickstart.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/debian-packages.sh
gavel_require_packages

BUILD_DIR=${GAVEL_BUILD_DIR:-build}
LISTEN=${GAVEL_LISTEN:-127.0.0.1:50051}
DATA_DIR=${GAVEL_DATA_DIR:-$PWD/gavel-data}

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j2

if [ ! -x "$BUILD_DIR/tools/gaveld" ]; then
  cat <<MSG

Built what exists so far: the event log (storage/) and the governance
domain (domain/), with their tests and the storage benchmark.
The server (gaveld) is not part of this build yet, so nothing was started.
Try:  ./tests/run.sh            every test
      ./bench/run.sh storage    the event log against plain RocksDB
MSG
  exit 0
fi

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
  if "$GAVEL" --addr="$LISTEN" admin status >/dev/null 2>&1; then break; fi
  sleep 0.1
done
"$GAVEL" --addr="$LISTEN" admin status

if [ -z "$("$GAVEL" --addr="$LISTEN" --json portfolio show 2>/dev/null | grep -o initiative_id | head -1)" ]; then
  "$GAVEL" --addr="$LISTEN" demo load
fi

cat <<MSG

gaveld is running on $LISTEN (pid $(cat "$DATA_DIR/gaveld.pid")), data in
$DATA_DIR, log in $LOG_FILE. Talk to it with the CLI:

  export GAVEL_ADDR=$LISTEN
  $GAVEL portfolio show
  $GAVEL decisions list
  $GAVEL metrics
  $GAVEL audit verify --state ./gavel-audit.state --key $DATA_DIR/signing_key.pub

Stop it with: kill \$(cat $DATA_DIR/gaveld.pid)
MSG
