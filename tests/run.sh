#!/usr/bin/env bash
# Sets up (Debian packages), configures, builds and runs every test.
# Exits non-zero on any failure.
#
#   ./tests/run.sh            Release build in build/, all default tests
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/debian-packages.sh
gavel_require_packages

BUILD_DIR=${GAVEL_BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j2
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 --timeout 900
