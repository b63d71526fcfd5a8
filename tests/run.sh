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
#   ./tests/run.sh --sanitize ASan+UBSan build in build-asan/ running every
#                             default test, then a TSan build in build-tsan/
#                             running the concurrency tests
#                             (GAVEL_TSAN_TESTS, a ctest -R regex)
#   ./tests/run.sh --reliability
#                             Release build in build/, then the crash
#                             harness for GAVEL_CRASH_CYCLES (default 50)
#                             kill cycles and the disk-fault and
#                             hostile-input suites; prints
#                             crash_cycles=N acknowledged=N lost=0 ...
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/debian-packages.sh

MODE=default
for arg in "$@"; do
  case "$arg" in
    --clang) MODE=clang ;;
    --fuzz) MODE=fuzz ;;
    --sanitize) MODE=sanitize ;;
    --reliability) MODE=reliability ;;
    *) echo "usage: $0 [--clang|--fuzz|--sanitize|--reliability]" >&2
       exit 2 ;;
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

if [ "$MODE" = sanitize ]; then
  # ASan+UBSan: every default test. Debian's gRPC, RocksDB and Abseil are
  # not instrumented; leaks inside them are not ours (LSan still reports
  # leaks of memory our code allocated; tests/lsan.supp names the one
  # library, c-ares, whose per-process allocations it would flag).
  ASAN_DIR=${GAVEL_ASAN_BUILD_DIR:-build-asan}
  cmake -S . -B "$ASAN_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DGAVEL_SANITIZE=address -DGAVEL_BUILD_BENCH=OFF >/dev/null
  cmake --build "$ASAN_DIR" -j2
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
  LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    ctest --test-dir "$ASAN_DIR" --output-on-failure -j2 --timeout 1800
  # TSan: the tests that run threads against each other. Debian's Abseil
  # is not instrumented: tests/testing/tsan_absl_sync.cc (linked into every
  # target of this build) reports absl::Mutex, CondVar and Notification to
  # TSan; tests/tsan.supp ignores accesses made inside RocksDB, gRPC and
  # Abseil (uninstrumented too) and reports whose stack passes through
  # gRPC's inlined templates (see the file for why).
  TSAN_DIR=${GAVEL_TSAN_BUILD_DIR:-build-tsan}
  cmake -S . -B "$TSAN_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DGAVEL_SANITIZE=thread -DGAVEL_BUILD_BENCH=OFF >/dev/null
  cmake --build "$TSAN_DIR" -j2 --target storage_test services_test \
    projections_test
  TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp} \
    exec ctest --test-dir "$TSAN_DIR" --output-on-failure --timeout 1800 \
      -R "${GAVEL_TSAN_TESTS:-Concurren|Thread|Parallel|Subscri|Processor|Rebuild|Backup|LogFold|Checkpoint|Stream}"
fi

# Formatting is part of the tests: every tracked C++ and proto file is as
# clang-format (the project's .clang-format, Google style) writes it.
if [ "$MODE" = default ] || [ "$MODE" = clang ]; then
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    sources=$(git ls-files '*.cc' '*.h' '*.proto')
  else
    sources=$(find . -path ./build\* -prune -o \( -name '*.cc' -o -name '*.h' \
      -o -name '*.proto' \) -print)
  fi
  unformatted=$(echo "$sources" | xargs clang-format --dry-run -Werror 2>&1 |
    sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: .*/\1/p' | sort -u)
  if [ -n "$unformatted" ]; then
    echo "Not formatted (run clang-format -i on them):" >&2
    echo "$unformatted" | sed 's/^/  /' >&2
    exit 1
  fi
fi

cmake -S . -B "$BUILD_DIR" "${CMAKE_ARGS[@]}" >/dev/null
if [ "$MODE" = reliability ]; then
  cmake --build "$BUILD_DIR" -j2 --target gaveld gavel reliability_test
  GAVEL_CRASH_CYCLES=${GAVEL_CRASH_CYCLES:-50} \
    "$BUILD_DIR/tests/reliability/reliability_test" | tee "$BUILD_DIR/reliability.log"
  exec grep -E '^crash_cycles=[0-9]+ acknowledged=[0-9]+ lost=0 duplicated=0 root_mismatch=0 projection_mismatch=0$' \
    "$BUILD_DIR/reliability.log"
fi
cmake --build "$BUILD_DIR" -j2
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 --timeout 900
