#!/usr/bin/env bash
# Runs the benchmark suites and prints one name=value line per figure.
#
#   ./bench/run.sh            every suite
#   ./bench/run.sh storage    one suite (storage, audit, streams, projections)
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/debian-packages.sh
gavel_require_packages

BUILD_DIR=${GAVEL_BUILD_DIR:-build}
SUITES=(storage audit streams projections)
if [ $# -gt 0 ]; then SUITES=("$@"); fi

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
# Scratch space on the same disk as the project (never a tmpfs, where
# fsync would be free and durable figures meaningless).
SCRATCH=$(mktemp -d "$PWD/$BUILD_DIR/bench-XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

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
    *)
      echo "unknown suite: $suite (known: storage, audit, streams, projections)" >&2
      exit 2
      ;;
  esac
done
