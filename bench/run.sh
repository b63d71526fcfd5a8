#!/usr/bin/env bash
# Runs the benchmark suites and prints one name=value line per figure.
#
#   ./bench/run.sh            every suite
#   ./bench/run.sh storage    one suite (storage, audit, streams, projections,
#                             load, plans)
#
# The load suite starts a fresh gaveld (tokens, loopback, real fsync) on a
# scratch folder, creates the reference data with gavel-loadgen, runs the
# command mix and pings at concurrency 1, 8 and 64 (LOAD_SECONDS each,
# default 10) and stops the server. Both processes share this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/debian-packages.sh
gavel_require_packages

BUILD_DIR=${GAVEL_BUILD_DIR:-build}
SUITES=(storage audit streams projections load plans)
if [ $# -gt 0 ]; then SUITES=("$@"); fi

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
# Scratch space on the same disk as the project (never a tmpfs, where
# fsync would be free and durable figures meaningless).
SCRATCH=$(mktemp -d "$PWD/$BUILD_DIR/bench-XXXXXX")
GAVELD_PID=""
cleanup() {
  if [ -n "$GAVELD_PID" ]; then kill "$GAVELD_PID" 2>/dev/null || true; fi
  if [ -n "$GAVELD_PID" ]; then wait "$GAVELD_PID" 2>/dev/null || true; fi
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

# Runs the load suite in folder $1.
run_load() {
  local dir=$1 seconds=${LOAD_SECONDS:-10}
  mkdir -p "$dir"
  local tokens="$dir/tokens" name role token members=""
  : >"$tokens"
  for entry in admin:admin chair:board_member bo:board_member \
      cy:board_member; do
    name=${entry%%:*}
    role=${entry#*:}
    token="load-token-$name"
    echo "$(printf %s "$token" | sha256sum | cut -d' ' -f1) load-$name $role" \
      >>"$tokens"
    if [ "$name" != admin ]; then members+="${members:+,}load-$name:$token"; fi
  done
  "$BUILD_DIR/tools/gaveld" --listen=127.0.0.1:0 --data_dir="$dir/data" \
    --tokens_file="$tokens" --log_format=json 2>"$dir/gaveld.log" &
  GAVELD_PID=$!
  local port=""
  for _ in $(seq 1 100); do
    port=$(grep -o '"event":"server_started".*' "$dir/gaveld.log" 2>/dev/null |
      grep -o '"port":"[0-9]*"' | grep -o '[0-9]*' || true)
    [ -n "$port" ] && break
    sleep 0.1
  done
  if [ -z "$port" ]; then
    echo "gaveld did not start:" >&2
    cat "$dir/gaveld.log" >&2
    return 1
  fi
  local loadgen=("$BUILD_DIR/tools/gavel-loadgen" --addr="127.0.0.1:$port"
    --token=load-token-admin --members="$members")
  "${loadgen[@]}" --setup_only >&2
  local c out
  for c in 1 8 64; do
    "${loadgen[@]}" --setup=false --ping --concurrency=$c \
      --duration_s="$seconds" --metric_prefix="load_ping_c${c}_" \
      >"$dir/ping_c$c.txt"
    grep -E "^load_ping_c${c}_per_s=" "$dir/ping_c$c.txt"
    "${loadgen[@]}" --setup=false --concurrency=$c --duration_s="$seconds" \
      --run_id="c$c" --seed=$c --metric_prefix="load_commands_c${c}_" \
      >"$dir/commands_c$c.txt"
    grep -E "^load_commands_c${c}_(per_s|p50_ms|p99_ms|rejected|errors)=" \
      "$dir/commands_c$c.txt"
    out=$(grep -E "^load_commands_c${c}_events_per_fsync=" \
      "$dir/commands_c$c.txt" | cut -d= -f2)
    echo "load_events_per_fsync_c$c=$out"
  done
  kill "$GAVELD_PID"
  wait "$GAVELD_PID" || true
  GAVELD_PID=""
}

for suite in "${SUITES[@]}"; do
  case "$suite" in
    storage)
      cmake --build "$BUILD_DIR" -j2 --target gavel_storage_bench >&2
      "$BUILD_DIR/bench/gavel_storage_bench" --dir="$SCRATCH/storage"
      ;;
    audit)
      cmake --build "$BUILD_DIR" -j2 --target gavel_audit_bench >&2
      "$BUILD_DIR/bench/gavel_audit_bench" --dir="$SCRATCH/audit"
      ;;
    streams)
      cmake --build "$BUILD_DIR" -j2 --target gavel_streams_bench >&2
      "$BUILD_DIR/bench/gavel_streams_bench" --dir="$SCRATCH"
      ;;
    projections)
      cmake --build "$BUILD_DIR" -j2 --target gavel_projections_bench >&2
      "$BUILD_DIR/bench/gavel_projections_bench" --dir="$SCRATCH/projections"
      ;;
    load)
      cmake --build "$BUILD_DIR" -j2 --target gaveld >&2
      cmake --build "$BUILD_DIR" -j2 --target gavel-loadgen >&2
      run_load "$SCRATCH/load"
      ;;
    plans)
      cmake --build "$BUILD_DIR" -j2 --target gavel_plans_bench >&2
      "$BUILD_DIR/bench/gavel_plans_bench"
      ;;
    *)
      echo "unknown suite: $suite (known: storage, audit, streams, projections, load, plans)" >&2
      exit 2
      ;;
  esac
done
