#!/usr/bin/env bash
# Runs a browser test against an authd binary:
#
#   bash tests/browser/run.sh [PATH/TO/authd]             # Chromium: login_flow_test.mjs
#   bash tests/browser/run.sh --firefox [PATH/TO/authd]   # Firefox: firefox_flow_test.mjs
#
# The default binary is build/bin/authd. For Chromium it installs the pinned
# npm packages first (`npm ci`) when node_modules is missing or was installed
# from another package-lock.json; the Firefox test needs no npm package (it
# speaks Marionette itself, marionette.mjs). Needs node, certutil, openssl,
# oathtool and /usr/bin/chromium + npm or /usr/bin/firefox-esr
# (scripts/install-deps.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
browser=chromium
if [[ "${1:-}" == "--firefox" ]]; then
  browser=firefox
  shift
fi
authd="${1:-${here}/../../build/bin/authd}"
if [[ ! -x "${authd}" ]]; then
  echo "run.sh: no authd binary at ${authd} (build it: scripts/build.sh release --target authd)" >&2
  exit 1
fi
authd="$(readlink -f "${authd}")"

cd "${here}"
tools=(node certutil openssl oathtool)
if [[ "${browser}" == chromium ]]; then tools+=(npm); fi
for tool in "${tools[@]}"; do
  if ! command -v "${tool}" >/dev/null 2>&1; then
    echo "run.sh: ${tool} is missing; run scripts/install-deps.sh" >&2
    exit 1
  fi
done

if [[ "${browser}" == firefox ]]; then
  AUTHD_BIN="${authd}" exec node firefox_flow_test.mjs
fi

# node_modules is current when it was installed from this exact lock file.
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp=node_modules/.authd-lock-sha256
if [[ ! -f "${stamp}" || "$(cat "${stamp}")" != "${lock_sum}" ]]; then
  echo "run.sh: npm ci (node_modules missing or stale)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "${lock_sum}" > "${stamp}"
fi

AUTHD_BIN="${authd}" exec node login_flow_test.mjs
