#!/usr/bin/env bash
# Sets up (Debian packages), builds Release and starts the Gavel server on
# 127.0.0.1:50051 with its data in ./gavel-data (RocksDB, embedded: nothing
# else to install or start).
#
#   ./deploy/quickstart.sh            build and start the server
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
"$GAVEL" --addr="$LISTEN" admin status

cat <<MSG

gaveld is running on $LISTEN (pid $(cat "$DATA_DIR/gaveld.pid")), data in
$DATA_DIR, log in $LOG_FILE. It runs in development mode (loopback, no
tokens file): every caller acts as local-admin.

Talk to it with the CLI or any gRPC client (reflection is on):
  export GAVEL_ADDR=$LISTEN
  $GAVEL health
  $GAVEL objective define objective_id=growth title="Grow ARR" horizon=three_years owner=alice
  $GAVEL initiative submit initiative_id=crm title="New CRM" problem_statement="Three CRMs" \\
      business_unit=sales sponsor=carol cost_estimate.minor_units=25000000 cost_estimate.currency=EUR
  $GAVEL portfolio show
  $GAVEL events tail --follow=false
  $GAVEL audit verify --state ./gavel-audit.state --key $DATA_DIR/signing_key.pub
  $GAVEL --help            (every command and query; docs/cli.md)

Stop it with: kill \$(cat $DATA_DIR/gaveld.pid)
MSG
