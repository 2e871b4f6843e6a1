#!/usr/bin/env bash
# Configures and builds authd.
#
#   scripts/build.sh [release|asan] [extra `cmake --build` arguments, e.g. --target authd]
#
# release (the default): RelWithDebInfo into build/, benchmarks included.
# asan: AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/, no
# benchmarks (their timings mean nothing under the sanitizers).
# AUTHD_BUILD_DIR overrides the build directory (relative to the repository).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mode="${1:-release}"
[[ $# -gt 0 ]] && shift
case "${mode}" in
  release)
    build_dir="${AUTHD_BUILD_DIR:-build}"
    options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DAUTHD_SANITIZE=OFF)
    ;;
  asan)
    build_dir="${AUTHD_BUILD_DIR:-build-asan}"
    options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DAUTHD_SANITIZE=ON -DAUTHD_BUILD_BENCH=OFF)
    ;;
  *)
    echo "usage: scripts/build.sh [release|asan] [cmake --build arguments...]" >&2
    exit 2
    ;;
esac

cmake -S . -B "${build_dir}" "${options[@]}"
cmake --build "${build_dir}" -j"$(nproc)" "$@"
