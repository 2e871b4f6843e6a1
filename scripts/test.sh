#!/usr/bin/env bash
# Installs the Debian packages, builds the release and sanitizer trees, and
# runs every test in both. Exits non-zero if any build or test fails; both
# trees are always attempted so one run reports everything.
#
# CTEST_PARALLEL_LEVEL (read by ctest itself) runs tests in parallel.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

bash scripts/install-deps.sh || exit 1

logs="$(mktemp -d)"
trap 'rm -rf "${logs}"' EXIT
failed=0
summary=()

# run_suite NAME BUILD_DIR [VAR=VALUE...]: ctest in BUILD_DIR with that environment.
run_suite() {
  local name="$1" dir="$2"
  shift 2
  echo "=== ${name}: ctest in ${dir}"
  (cd "${dir}" && env "$@" ctest --output-on-failure --timeout 120) 2>&1 | tee "${logs}/${name}.log"
  local status="${PIPESTATUS[0]}"
  # ctest's own closing line ("100% tests passed, 0 tests failed out of N"),
  # repeated at the end so it is the last thing a CI log shows.
  local line
  line="$(grep -E 'tests passed|No tests were found' "${logs}/${name}.log" | tail -n 1)"
  summary+=("${name}: ${line:-ctest printed no summary (exit ${status})}")
  # The names of failed tests too, since CI keeps only the end of the log.
  local failure
  while IFS= read -r failure; do
    summary+=("${name}: FAILED ${failure}")
  done < <(sed -n '/The following tests FAILED:/,/^$/{/^[[:space:]]*[0-9]\+ - /p}' "${logs}/${name}.log")
  [[ "${status}" -eq 0 ]] || failed=1
}

for mode in release asan; do
  dir=build
  [[ "${mode}" == asan ]] && dir=build-asan
  echo "=== ${mode}: build into ${dir}"
  if ! bash scripts/build.sh "${mode}"; then
    summary+=("${mode}: BUILD FAILED")
    failed=1
    continue
  fi
  if [[ "${mode}" == asan ]]; then
    run_suite asan build-asan ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  else
    run_suite release build
  fi
done

echo "=== summary"
printf '%s\n' "${summary[@]}"
if [[ "${failed}" -ne 0 ]]; then
  echo "test.sh: FAILED"
  exit 1
fi
echo "test.sh: all builds and tests passed"
