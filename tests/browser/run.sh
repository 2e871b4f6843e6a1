#!/usr/bin/env bash
# Runs the browser test (login_flow_test.mjs) against an authd binary:
#
#   bash tests/browser/run.sh [PATH/TO/authd]    # default: build/bin/authd
#
# Installs the pinned npm packages first (`npm ci`) when node_modules is
# missing or was installed from another package-lock.json. Needs node, npm,
# /usr/bin/chromium, certutil, openssl and oathtool (scripts/install-deps.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
authd="${1:-${here}/../../build/bin/authd}"
if [[ ! -x "${authd}" ]]; then
  echo "run.sh: no authd binary at ${authd} (build it: scripts/build.sh release --target authd)" >&2
  exit 1
fi
authd="$(readlink -f "${authd}")"

cd "${here}"
for tool in node npm certutil openssl oathtool; do
  if ! command -v "${tool}" >/dev/null 2>&1; then
    echo "run.sh: ${tool} is missing; run scripts/install-deps.sh" >&2
    exit 1
  fi
done

# node_modules is current when it was installed from this exact lock file.
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp=node_modules/.authd-lock-sha256
if [[ ! -f "${stamp}" || "$(cat "${stamp}")" != "${lock_sum}" ]]; then
  echo "run.sh: npm ci (node_modules missing or stale)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "${lock_sum}" > "${stamp}"
fi

AUTHD_BIN="${authd}" exec node login_flow_test.mjs
