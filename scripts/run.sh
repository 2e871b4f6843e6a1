#!/usr/bin/env bash
# Installs the Debian packages, builds authd, initialises a data directory on
# first use, and runs the daemon on https://127.0.0.1:8443.
#
# AUTHD_DATA_DIR chooses the data directory (default ./data).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Progress goes to stderr, so stdout carries only what authd prints.
bash scripts/install-deps.sh >&2
bash scripts/build.sh release >&2

data_dir="${AUTHD_DATA_DIR:-./data}"
if [[ ! -e "${data_dir}" ]]; then
  echo "run.sh: initialising ${data_dir}" >&2
  # init prints one JSON object on stdout; it goes straight to the terminal and
  # is not kept anywhere else.
  build/bin/authd init --data-dir "${data_dir}"
  cat >&2 <<HINT

run.sh: SAVE THE JSON ABOVE NOW. It is printed only this once and is not stored
anywhere in readable form. It holds the bootstrap administrator's username, a
one-time password (to be changed at first login) and the otpauth:// URI of the
administrator's TOTP token: add it to an authenticator app, or generate codes
with  oathtool --totp -b SECRET  (SECRET is the URI's secret parameter).

HINT
fi

exec build/bin/authd serve --data-dir "${data_dir}" --listen 127.0.0.1:8443
