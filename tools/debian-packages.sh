#!/usr/bin/env bash
# Installs the Debian 12 packages Gavel builds, tests and runs with.
# Sourced by deploy/quickstart.sh, tests/run.sh and bench/run.sh.
#
#   gavel_require_packages [extra packages...]
#
# As root it runs apt-get for whatever is missing; otherwise it prints the
# exact apt-get line and returns 1.

GAVEL_PACKAGES=(
  cmake g++ make pkg-config
  protobuf-compiler libprotobuf-dev
  libgrpc++-dev protobuf-compiler-grpc
  librocksdb-dev libabsl-dev libssl-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev
  libyaml-cpp-dev libjemalloc-dev
  coinor-libcbc-dev
)

# What the tests need beyond the build: the Python subscriber example
# (docs/examples/python) runs with Debian's gRPC and protobuf for Python;
# its stubs come from grpc_python_plugin (protobuf-compiler-grpc). The
# deploy tests (tests/deploy) parse the YAML with python3-yaml and make a
# signing key with openssl; systemd-analyze is used when present.
# clang-format checks the formatting of every C++ and proto file.
GAVEL_TEST_PACKAGES=(python3-grpcio python3-protobuf python3-yaml openssl
  clang-format)

gavel_require_packages() {
  local missing=()
  local pkg
  for pkg in "${GAVEL_PACKAGES[@]}" "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
        grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local line="apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "Gavel needs Debian packages that are not installed. As root, run:" >&2
    echo "  apt-get update && $line" >&2
    return 1
  fi
  echo "Installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}
