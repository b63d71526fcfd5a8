#!/usr/bin/env bash
# Sets up (Debian packages), configures, builds and runs every test.
# Exits non-zero on any failure.
#
#   ./tests/run.sh            Release build in build/, every default test
#   ./tests/run.sh --clang    clang build in build-clang/ with
#                             -Wthread-safety -Werror, then the same tests
#   ./tests/run.sh --fuzz     clang + libFuzzer + ASan/UBSan build in
#                             build-fuzz/, then every fuzz target for
#                             GAVEL_FUZZ_SECONDS (default 60) each
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/debian-packages.sh

MODE=default
for arg in "$@"; do
  case "$arg" in
    --clang) MODE=clang ;;
    --fuzz) MODE=fuzz ;;
    *) echo "usage: $0 [--clang|--fuzz]" >&2; exit 2 ;;
  esac
done

case "$MODE" in
  clang) gavel_require_packages "${GAVEL_TEST_PACKAGES[@]}" clang ;;
  fuzz) gavel_require_packages clang libclang-rt-14-dev ;;
  *) gavel_require_packages "${GAVEL_TEST_PACKAGES[@]}" ;;
esac
BUILD_DIR=${GAVEL_BUILD_DIR:-build}
CMAKE_ARGS=(-DCMAKE_BUILD_TYPE=Release)
if [ "$MODE" = clang ]; then
  BUILD_DIR=${GAVEL_BUILD_DIR:-build-clang}
  CMAKE_ARGS+=(-DCMAKE_CXX_COMPILER=clang++ -DGAVEL_WERROR=ON)
fi

if [ "$MODE" = fuzz ]; then
  BUILD_DIR=${GAVEL_BUILD_DIR:-build-fuzz}
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DGAVEL_FUZZ=ON -DGAVEL_BUILD_BENCH=OFF \
    -DGAVEL_FUZZ_SECONDS="${GAVEL_FUZZ_SECONDS:-60}" >/dev/null
  cmake --build "$BUILD_DIR" -j2 --target gavel_fuzzers
  exec ctest --test-dir "$BUILD_DIR" --output-on-failure -L fuzz
fi

cmake -S . -B "$BUILD_DIR" "${CMAKE_ARGS[@]}" >/dev/null
cmake --build "$BUILD_DIR" -j2
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 --timeout 900
