#!/usr/bin/env bash
# Builds the fuzz targets (tests/fuzz) with clang and libFuzzer and runs each
# over its committed corpus. Not part of scripts/test.sh: CI replays the
# corpus through ctest instead (fuzz_replay_*); this looks for new inputs.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# SECONDS per target (default 30); TARGETs among registration, assertion,
# policy, encoding (default all). The tree is build-fuzz/ (clang-14,
# -fsanitize=fuzzer,address,undefined). New inputs go to
# build-fuzz/fuzz-scratch/TARGET/, crashes, leaks and timeouts to
# build-fuzz/fuzz-artifacts/TARGET/; the committed corpus is only read.
# FUZZ_JOBS (default 2) is the cmake --build parallelism. Extra libFuzzer
# flags may be given in LIBFUZZER_FLAGS.
#
# Exits non-zero if the build fails or any target found a crash, leak,
# sanitizer report or timeout; the artifacts are listed at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds="${1:-30}"
[[ $# -gt 0 ]] && shift
if ! [[ "${seconds}" =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS] [registration|assertion|policy|encoding ...]" >&2
  exit 2
fi
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(registration assertion policy encoding)

for tool in clang-14 clang++-14; do
  command -v "${tool}" >/dev/null || { echo "fuzz.sh: ${tool} missing (scripts/install-deps.sh)" >&2; exit 1; }
done

build_dir=build-fuzz
sanitizers="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S . -B "${build_dir}" \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS="${sanitizers}" -DCMAKE_CXX_FLAGS="${sanitizers}" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DAUTHD_LIBFUZZER=ON -DAUTHD_BUILD_BENCH=OFF >/dev/null
cmake --build "${build_dir}" -j"${FUZZ_JOBS:-2}" --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=()
touch "${build_dir}/fuzz-started"
for target in "${targets[@]}"; do
  corpus="tests/fuzz/corpus/${target}"
  scratch="${build_dir}/fuzz-scratch/${target}"
  artifacts="${build_dir}/fuzz-artifacts/${target}"
  mkdir -p "${scratch}" "${artifacts}"
  echo "=== fuzz_${target}: ${seconds}s over ${corpus}"
  # libFuzzer writes new inputs into the first directory only.
  # shellcheck disable=SC2086
  if ! "${build_dir}/bin/fuzz_${target}" -max_total_time="${seconds}" -max_len=8192 \
      -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="${artifacts}/" ${LIBFUZZER_FLAGS:-} "${scratch}" "${corpus}"; then
    failed+=("${target}")
  fi
done

echo "=== summary"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz.sh: FAILED: ${failed[*]}"
  find "${build_dir}/fuzz-artifacts" -type f -newer "${build_dir}/fuzz-started" -print
  exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets ran ${seconds}s each with no findings"
