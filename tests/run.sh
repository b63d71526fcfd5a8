#!/usr/bin/env bash
# Sets up (Debian packages), configures, builds and runs every test.
# Exits non-zero on any failure.
#
#   ./tests/run.sh            Release build in build/, every default test
#   ./tests/run.sh --clang    clang build in build-clang/ with
#                             -Wthread-safety -Werror, then the same tests
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/debian-packages.sh

MODE=default
for arg in "$@"; do
  case "$arg" in
    --clang) MODE=clang ;;
    *) echo "usage: $0 [--clang]" >&2; exit 2 ;;
  esac
done

if [ "$MODE" = clang ]; then
  gavel_require_packages "${GAVEL_TEST_PACKAGES[@]}" clang
else
  gavel_require_packages "${GAVEL_TEST_PACKAGES[@]}"
fi
BUILD_DIR=${GAVEL_BUILD_DIR:-build}
CMAKE_ARGS=(-DCMAKE_BUILD_TYPE=Release)
if [ "$MODE" = clang ]; then
  BUILD_DIR=${GAVEL_BUILD_DIR:-build-clang}
  CMAKE_ARGS+=(-DCMAKE_CXX_COMPILER=clang++ -DGAVEL_WERROR=ON)
fi

cmake -S . -B "$BUILD_DIR" "${CMAKE_ARGS[@]}" >/dev/null
cmake --build "$BUILD_DIR" -j2
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 --timeout 900
