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
# default 10) and stops the server. Both processes share this machine. Then
# it builds a log of BIG_EVENTS events (default 1,000,000; 0 skips it) and
# reports the server's memory with it and its restart time.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/debian-packages.sh
# curl reads gaveld's /metrics in the load suite.
gavel_require_packages curl

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

# Starts gaveld on data folder $1 with tokens $2 and extra flags; sets
# GAVELD_PID, PORT and METRICS_PORT.
start_gaveld() {
  local dir=$1 tokens=$2
  shift 2
  : >"$dir/gaveld.log"
  "$BUILD_DIR/tools/gaveld" --listen=127.0.0.1:0 --data_dir="$dir/data" \
    --tokens_file="$tokens" --log_format=json --metrics_listen=127.0.0.1:0 \
    "$@" 2>>"$dir/gaveld.log" &
  GAVELD_PID=$!
  PORT=""
  for _ in $(seq 1 600); do
    PORT=$(grep -o '"event":"server_started".*' "$dir/gaveld.log" 2>/dev/null |
      grep -o '"port":"[0-9]*"' | grep -o '[0-9]*' || true)
    [ -n "$PORT" ] && break
    sleep 0.05
  done
  if [ -z "$PORT" ]; then
    echo "gaveld did not start:" >&2
    cat "$dir/gaveld.log" >&2
    return 1
  fi
  METRICS_PORT=$(grep -o '"event":"server_started".*' "$dir/gaveld.log" |
    grep -o '"metrics_port":"[0-9]*"' | grep -o '[0-9]*')
}

# The value of an unlabelled metric of the running gaveld.
metric() {
  curl -s "http://127.0.0.1:$METRICS_PORT/metrics" | grep -E "^$1 " |
    cut -d' ' -f2
}

# Fills a fresh log in folder $1 (tokens $2, board members $3) with
# BIG_EVENTS events (default 1,000,000) over BIG_INITIATIVES initiatives
# (default 5,000) and all projections caught up, then
# reports the server's resident memory and how long a restart takes until
# it serves. The fill runs without fsync (it only builds the history); the
# restart measured is a normal synced server.
run_big_log() {
  local dir=$1 tokens=$2 members=$3
  local target=${BIG_EVENTS:-1000000} round=0 head=0 lag
  mkdir -p "$dir"
  start_gaveld "$dir" "$tokens" --sync=false
  local loadgen=("$BUILD_DIR/tools/gavel-loadgen" --addr="127.0.0.1:$PORT"
    --token=load-token-admin --members="$members")
  "${loadgen[@]}" --setup_only >&2
  # A portfolio of BIG_INITIATIVES initiatives (default 5,000) with long
  # histories: after its scripted life each keeps reporting costs and
  # measuring benefits. Each command appends about one event.
  while [ "$head" -lt "$target" ]; do
    round=$((round + 1))
    "${loadgen[@]}" --setup=false --concurrency=64 \
      --count=$((target - head)) --initiatives="${BIG_INITIATIVES:-5000}" \
      --run_id="big$round" --seed=$round >/dev/null
    head=$(metric gavel_log_head_position)
    echo "big log: $head events" >&2
  done
  for _ in $(seq 1 1200); do
    lag=$(curl -s "http://127.0.0.1:$METRICS_PORT/metrics" |
      grep -E '^gavel_projection_lag_events' | cut -d' ' -f2 | sort -n |
      tail -1)
    [ "$lag" = 0 ] && break
    sleep 0.5
  done
  local rss_kb
  rss_kb=$(grep VmRSS "/proc/$GAVELD_PID/status" | grep -o '[0-9]*')
  echo "server_rss_mb_after_1m_events=$((rss_kb / 1024))"
  echo "server_events_in_big_log=$head"
  kill "$GAVELD_PID"
  wait "$GAVELD_PID" || true
  local started ended
  started=$(date +%s%N)
  start_gaveld "$dir" "$tokens"
  ended=$(date +%s%N)
  echo "server_start_s_with_1m_events=$(awk -v ns=$((ended - started)) \
    'BEGIN { printf "%.2f", ns / 1e9 }')"
  rss_kb=$(grep VmRSS "/proc/$GAVELD_PID/status" | grep -o '[0-9]*')
  echo "server_rss_mb_after_restart=$((rss_kb / 1024))"
  kill "$GAVELD_PID"
  wait "$GAVELD_PID" || true
  GAVELD_PID=""
}

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
  # LOAD_GAVELD_FLAGS: extra server flags for a diagnostic run (e.g.
  # --sync=false, to see the ceiling without the synced append; never for
  # the figures the targets are checked on).
  # shellcheck disable=SC2086
  start_gaveld "$dir" "$tokens" ${LOAD_GAVELD_FLAGS:-}
  local loadgen=("$BUILD_DIR/tools/gavel-loadgen" --addr="127.0.0.1:$PORT"
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
  if [ "${BIG_EVENTS:-1000000}" -gt 0 ]; then
    mkdir -p "$dir/big"
    run_big_log "$dir/big" "$tokens" "$members"
  fi
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
